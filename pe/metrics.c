/* Prometheus metrics: the exposition (text format 0.0.4) built from the
 * counters the modules keep, `show metrics`, and a small HTTP/1.1 server for
 * GET /metrics (docs/metrics.md is the contract of names and labels).
 *
 * Bounded by design: every family is a loop over BGP peers, VRFs, LDP
 * neighbors, BFD sessions or dataplane ports, reading counts the modules
 * maintain (Loc-RIB and Adj-RIB-In sizes, VRF RIB counts, label counts per
 * client); nothing walks a table of routes or labels. Dataplane counters are
 * read through `show dataplane json` (the same functions, the same
 * baselines), so this file needs nothing private of pe/fwd/.
 *
 * Why not evhttp: libevent 2.1 (Debian 12) has no connection limit
 * (evhttp_set_max_connections is 2.2) and no hook on a new connection, and
 * its timeout is an idle one, so a client sending a header byte a second
 * holds a connection for as long as its size limit allows. The server here
 * is ~350 lines of bufferevents, as the control socket (pe/ctl.c) is: at most
 * METRICS_MAX_CONNS connections (the next ones get a 503 at accept), a
 * request head of at most METRICS_MAX_REQUEST bytes that must arrive within
 * METRICS_REQUEST_SECS, one answer per connection (Connection: close) built
 * in one go and written without blocking, METRICS_ANSWER_SECS for the
 * client to take it, then a lingering close. A client that never reads
 * costs its answer's memory until its deadline; ped never waits for it. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "bfd/bfd.h"
#include "cli/cmd.h"
#include "ldp/ldpd.h"
#include "lib/log.h"
#include "lib/prefix.h"
#include "mpbgp/bgp.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/rib.h"
#include "mpbgp/session.h"
#include "pe/label.h"
#include "pe/metrics.h"
#include "pe/ped.h"
#include "vrf/vrf.h"

enum mc_state { MC_REQUEST, MC_ANSWER, MC_LINGER };

struct mconn {
	TAILQ_ENTRY(mconn) entry;
	struct metrics *m;
	struct bufferevent *bev;
	struct event *deadline;
	enum mc_state st;
	size_t scanned; /* bytes of the request head already split into lines */
};

TAILQ_HEAD(mconns, mconn);

/* HTTP status codes counted in pe_metrics_requests_total */
static const int codes[] = { 200, 400, 404, 405, 414, 431 };
#define NCODES ARRAY_SIZE(codes)

struct metrics {
	/* configuration */
	bool configured;
	struct metrics_addr addr;
	/* run time */
	struct event_base *base;
	struct evconnlistener *lev;
	struct metrics_addr bound; /* where lev listens */
	struct event *retry_ev;    /* the configured listener could not open */
	struct event *pause_ev;    /* accept failed (out of fds): listener paused */
	bool warned;
	struct mconns conns;
	unsigned nconns;
	uint64_t requests[NCODES];
	uint64_t refused;
	time_t started;
};

static struct metrics M = { .conns = TAILQ_HEAD_INITIALIZER(M.conns) };

/* ---- the text exposition format ---- */

void metrics_put_label_value(struct evbuffer *o, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *esc = *s == '\\' ? "\\\\" :
				  *s == '"'  ? "\\\"" :
				  *s == '\n' ? "\\n" :
					       NULL;

		if (esc == NULL)
			continue;
		evbuffer_add(o, run, (size_t)(s - run));
		evbuffer_add(o, esc, 2);
		run = s + 1;
	}
	evbuffer_add(o, run, (size_t)(s - run));
}

static void family(struct evbuffer *o, const char *name, const char *type, const char *help)
{
	evbuffer_add_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* NAME{k1="v1",k2="v2"} VALUE; the labels as key, value pairs up to NULL */
static void vsample(struct evbuffer *o, const char *name, const char *value, va_list ap)
{
	const char *k, *v;
	bool first = true;

	evbuffer_add(o, name, strlen(name));
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		evbuffer_add_printf(o, "%s%s=\"", first ? "{" : ",", k);
		metrics_put_label_value(o, v != NULL ? v : "");
		evbuffer_add(o, "\"", 1);
		first = false;
	}
	evbuffer_add_printf(o, "%s %s\n", first ? "" : "}", value);
}

static void __attribute__((sentinel)) sample(struct evbuffer *o, const char *name, uint64_t v, ...)
{
	char buf[24];
	va_list ap;

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	va_start(ap, v);
	vsample(o, name, buf, ap);
	va_end(ap);
}

static void __attribute__((sentinel)) samplef(struct evbuffer *o, const char *name, double v, ...)
{
	char buf[40];
	va_list ap;

	snprintf(buf, sizeof(buf), "%.9g", v);
	va_start(ap, v);
	vsample(o, name, buf, ap);
	va_end(ap);
}

/* ---- process ---- */

static void render_process(struct metrics *m, struct evbuffer *o)
{
	unsigned long pages, rss = 0;
	FILE *fp;

	family(o, "pe_build_info", "gauge", "ped's version (value 1)");
	sample(o, "pe_build_info", 1, "version", PACKAGE_VERSION, NULL);
	family(o, "process_start_time_seconds", "gauge", "Start time of ped since the Unix epoch");
	sample(o, "process_start_time_seconds", (uint64_t)m->started, NULL);
	if ((fp = fopen("/proc/self/statm", "r")) != NULL) {
		if (fscanf(fp, "%lu %lu", &pages, &rss) != 2)
			rss = 0;
		fclose(fp);
	}
	family(o, "process_resident_memory_bytes", "gauge", "Resident memory of ped");
	sample(o, "process_resident_memory_bytes", (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE),
	       NULL);
}

/* ---- BGP: per peer (O(1) each: Adj-RIB-In and Adj-RIB-Out sizes are kept) ---- */

#define FOR_PEERS(b, p)                                         \
	for ((b) = bgp_first(); (b) != NULL; (b) = bgp_next(b)) \
		for ((p) = (b)->peers; (p) != NULL; (p) = (p)->next)

static const char *bgp_vrf(const struct bgp *b)
{
	return b->vrf_name[0] ? b->vrf_name : VRF_DEFAULT_NAME;
}

static const char *const msg_types[6] = { NULL,           "open",      "update",
					  "notification", "keepalive", "route_refresh" };

static void render_bgp_msgs(struct evbuffer *o, bool in)
{
	const char *name = in ? "pe_bgp_peer_messages_received_total" :
				"pe_bgp_peer_messages_sent_total";
	struct bgp *b;
	struct bgp_peer *p;
	char a[IPADDR_STRLEN];
	int t;

	family(o, name, "counter",
	       in ? "BGP messages received, by type" : "BGP messages sent, by type");
	FOR_PEERS(b, p)
	{
		bgp_peer_str(p, a, sizeof(a));
		for (t = 1; t <= 5; t++)
			sample(o, name, in ? p->cnt.msgs_in[t] : p->cnt.msgs_out[t], "vrf",
			       bgp_vrf(b), "peer", a, "type", msg_types[t], NULL);
	}
}

static void render_bgp_prefixes(struct evbuffer *o, bool rcvd)
{
	const char *name = rcvd ? "pe_bgp_peer_prefixes_received" : "pe_bgp_peer_prefixes_sent";
	struct bgp *b;
	struct bgp_peer *p;
	char a[IPADDR_STRLEN];
	uint64_t v;
	int af;

	family(o, name, "gauge",
	       rcvd ? "Prefixes of the peer accepted by inbound policy (pfxRcd), per family" :
		      "Prefixes advertised to the peer (pfxSnt), per family");
	FOR_PEERS(b, p)
	{
		bgp_peer_str(p, a, sizeof(a));
		for (af = 0; af < BGP_AF_MAX; af++) {
			if (!p->cfg.af_active[af])
				continue;
			if (rcvd)
				v = b->rib[af] ? bgp_rib_peer_path_count(b->rib[af], p) : 0;
			else
				v = bgp_adjout_count(p, (enum bgp_af)af);
			sample(o, name, v, "vrf", bgp_vrf(b), "peer", a, "afi_safi",
			       bgp_af_table[af].json_name, NULL);
		}
	}
}

static void render_bgp_rib(struct evbuffer *o, bool paths)
{
	const char *name = paths ? "pe_bgp_rib_paths" : "pe_bgp_rib_prefixes";
	struct bgp *b;
	int af;

	family(o, name, "gauge",
	       paths ? "Paths in the BGP table of an instance, per family" :
		       "Prefixes in the BGP table of an instance (ribCount), per family");
	for (b = bgp_first(); b != NULL; b = bgp_next(b))
		for (af = 0; af < BGP_AF_MAX; af++)
			if (b->rib[af] != NULL)
				sample(o, name,
				       paths ? bgp_rib_path_count(b->rib[af]) :
					       bgp_rib_dest_count(b->rib[af]),
				       "vrf", bgp_vrf(b), "afi_safi", bgp_af_table[af].json_name,
				       NULL);
}

/* per-peer values that are one number each */
enum peer_val { PV_UP, PV_SHUTDOWN, PV_REMOTE_AS, PV_SINCE, PV_ESTABLISHED, PV_DROPPED };

static const struct {
	enum peer_val v;
	const char *name, *type, *help;
} peer_vals[] = {
	{ PV_UP, "pe_bgp_peer_up", "gauge", "1 if the session is Established, else 0" },
	{ PV_SHUTDOWN, "pe_bgp_peer_shutdown", "gauge",
	  "1 if the neighbor is administratively shut down" },
	{ PV_REMOTE_AS, "pe_bgp_peer_remote_as", "gauge", "AS number of the neighbor" },
	{ PV_SINCE, "pe_bgp_peer_last_state_change_timestamp_seconds", "gauge",
	  "When the session last changed state, since the Unix epoch (0: never)" },
	{ PV_ESTABLISHED, "pe_bgp_peer_established_total", "counter",
	  "Times the session was established" },
	{ PV_DROPPED, "pe_bgp_peer_dropped_total", "counter",
	  "Times an established session went down" },
};

static uint64_t peer_val(const struct bgp_peer *p, enum peer_val v)
{
	switch (v) {
	case PV_UP:
		return p->state == BGP_ST_ESTABLISHED;
	case PV_SHUTDOWN:
		return p->cfg.shutdown;
	case PV_REMOTE_AS:
		return p->cfg.remote_as;
	case PV_SINCE:
		return p->state_since > 0 ? (uint64_t)p->state_since : 0;
	case PV_ESTABLISHED:
		return p->cnt.established_count;
	case PV_DROPPED:
		return p->cnt.dropped_count;
	}
	return 0;
}

static void render_bgp(struct evbuffer *o)
{
	struct bgp *b;
	struct bgp_peer *p;
	char a[IPADDR_STRLEN];
	size_t i;
	int s;

	for (i = 0; i < ARRAY_SIZE(peer_vals); i++) {
		family(o, peer_vals[i].name, peer_vals[i].type, peer_vals[i].help);
		FOR_PEERS(b, p)
		{
			sample(o, peer_vals[i].name, peer_val(p, peer_vals[i].v), "vrf", bgp_vrf(b),
			       "peer", bgp_peer_str(p, a, sizeof(a)), NULL);
		}
	}
	family(o, "pe_bgp_peer_state", "gauge",
	       "Session state (RFC 4271 8.2.2): 1 for the current state, 0 for the others");
	FOR_PEERS(b, p)
	{
		bgp_peer_str(p, a, sizeof(a));
		for (s = BGP_ST_IDLE; s < BGP_ST_MAX; s++)
			sample(o, "pe_bgp_peer_state", p->state == (enum bgp_state)s, "vrf",
			       bgp_vrf(b), "peer", a, "state", bgp_state_name((enum bgp_state)s),
			       NULL);
	}
	render_bgp_msgs(o, true);
	render_bgp_msgs(o, false);
	render_bgp_prefixes(o, true);
	render_bgp_prefixes(o, false);
	render_bgp_rib(o, false);
	render_bgp_rib(o, true);
}

/* ---- VRFs: the RIB keeps its counts ---- */

/* the default VRF first, then the others by name */
static struct vrf *vrf_iter(struct vrf *v)
{
	if (v == NULL)
		return vrf_default();
	return v == vrf_default() ? vrf_first() : vrf_next(v);
}

static void render_vrf(struct evbuffer *o)
{
	struct vrf *v;

	family(o, "pe_vrf_routes", "gauge", "Prefixes in the VRF's routing table, per family");
	for (v = vrf_iter(NULL); v != NULL; v = vrf_iter(v)) {
		sample(o, "pe_vrf_routes", rib_count_af(v->rib, AF_INET), "vrf", v->name, "afi",
		       "ipv4", NULL);
		sample(o, "pe_vrf_routes", rib_count_af(v->rib, AF_INET6), "vrf", v->name, "afi",
		       "ipv6", NULL);
	}
	family(o, "pe_vrf_route_limit", "gauge",
	       "`maximum routes` of the VRF, per family (absent: no limit)");
	for (v = vrf_iter(NULL); v != NULL; v = vrf_iter(v))
		if (v->max_routes != 0)
			sample(o, "pe_vrf_route_limit", v->max_routes, "vrf", v->name, NULL);
	family(o, "pe_vrf_routes_rejected_total", "counter",
	       "New prefixes refused by the route limit");
	for (v = vrf_iter(NULL); v != NULL; v = vrf_iter(v))
		sample(o, "pe_vrf_routes_rejected_total", rib_stats(v->rib)->rejected, "vrf",
		       v->name, NULL);
}

/* ---- LDP ---- */

static const int ldp_states[] = { LDP_NBR_STA_NONEXISTENT, LDP_NBR_STA_INITIALIZED,
				  LDP_NBR_STA_OPENREC, LDP_NBR_STA_OPENSENT,
				  LDP_NBR_STA_OPERATIONAL };

static void render_ldp(struct evbuffer *o)
{
	const struct lde *lde = ldpd_lde();
	const struct ldp_nbr *n;
	struct lde_stats st;
	char a[IPADDR_STRLEN];
	uint64_t cnt;
	size_t i;

	family(o, "pe_ldp_enabled", "gauge", "1 if `mpls ldp` is configured");
	sample(o, "pe_ldp_enabled", ldpd_conf.enabled, NULL);
	family(o, "pe_ldp_neighbors", "gauge", "LDP neighbors (sessions), by session state");
	for (i = 0; i < ARRAY_SIZE(ldp_states); i++) {
		cnt = 0;
		for (n = ldpd_nbr_first(); n != NULL; n = n->next)
			cnt += n->fsm.state == ldp_states[i];
		sample(o, "pe_ldp_neighbors", cnt, "state", ldp_fsm_state_name(ldp_states[i]),
		       NULL);
	}
	family(o, "pe_ldp_neighbor_up", "gauge",
	       "1 if the session with the neighbor is OPERATIONAL");
	for (n = ldpd_nbr_first(); n != NULL; n = n->next)
		sample(o, "pe_ldp_neighbor_up", n->fsm.state == LDP_NBR_STA_OPERATIONAL, "neighbor",
		       addr4_ntop(n->lsr_id, a, sizeof(a)), NULL);
	family(o, "pe_ldp_adjacencies", "gauge", "LDP adjacencies (link and targeted)");
	sample(o, "pe_ldp_adjacencies", (uint64_t)ldpd_adj_count(), NULL);
	if (lde == NULL)
		return;
	lde_get_stats(lde, &st);
	family(o, "pe_ldp_fecs", "gauge", "FECs in the LIB");
	sample(o, "pe_ldp_fecs", st.fecs, NULL);
	family(o, "pe_ldp_local_bindings", "gauge", "FECs with a local label");
	sample(o, "pe_ldp_local_bindings", st.local_labels, NULL);
	family(o, "pe_ldp_lfib_entries", "gauge", "LFIB entries LDP installed");
	sample(o, "pe_ldp_lfib_entries", st.lfib_entries, NULL);
	family(o, "pe_ldp_messages_sent_total", "counter", "LDP label messages sent, by type");
	sample(o, "pe_ldp_messages_sent_total", st.mappings_sent, "type", "mapping", NULL);
	sample(o, "pe_ldp_messages_sent_total", st.withdraws_sent, "type", "withdraw", NULL);
	sample(o, "pe_ldp_messages_sent_total", st.releases_sent, "type", "release", NULL);
	sample(o, "pe_ldp_messages_sent_total", st.notifications_sent, "type", "notification",
	       NULL);
	family(o, "pe_ldp_messages_received_total", "counter",
	       "LDP label messages received, by type");
	sample(o, "pe_ldp_messages_received_total", st.mappings_rcvd, "type", "mapping", NULL);
	sample(o, "pe_ldp_messages_received_total", st.withdraws_rcvd, "type", "withdraw", NULL);
	sample(o, "pe_ldp_messages_received_total", st.releases_rcvd, "type", "release", NULL);
	sample(o, "pe_ldp_messages_received_total", st.requests_rcvd, "type", "request", NULL);
}

/* ---- label manager, BFD ---- */

static void render_labels_bfd(struct evbuffer *o)
{
	mpls_label_t lo, hi;
	const struct bfd_sess *s;
	uint64_t cnt;
	int c, st;

	family(o, "pe_label_used", "gauge", "Labels in use, by client of the label manager");
	for (c = 0; c < LABEL_CLIENT_MAX; c++)
		sample(o, "pe_label_used", label_count((enum label_client)c), "client",
		       label_client_name((enum label_client)c), NULL);
	label_get_dynamic_block(&lo, &hi);
	family(o, "pe_label_dynamic_block_size", "gauge", "Labels in the dynamic block");
	sample(o, "pe_label_dynamic_block_size", (uint64_t)hi - lo + 1, NULL);
	family(o, "pe_bfd_sessions", "gauge", "BFD sessions, by local state");
	for (st = BFD_ADMIN_DOWN; st <= BFD_UP; st++) {
		cnt = 0;
		for (s = bfd_sess_first(); s != NULL; s = bfd_sess_next(s))
			cnt += s->state == st;
		sample(o, "pe_bfd_sessions", cnt, "state", bfd_state_str((uint8_t)st), NULL);
	}
}

/* ---- dataplane: `show dataplane json`, one object per port and VRF ---- */

static void capture(void *arg, const char *buf, size_t len)
{
	evbuffer_add(arg, buf, len);
}

/* A show command's JSON document, NULL if it failed or does not exist. */
static json_object *show_json(const char *cmd)
{
	struct evbuffer *b = evbuffer_new();
	struct cli *cli = cli_new(capture, b);
	json_object *o = NULL;
	json_tokener *tok;

	if (cli_execute(cli, cmd) == CMD_SUCCESS && evbuffer_get_length(b) > 0 &&
	    evbuffer_get_length(b) < INT32_MAX) {
		tok = json_tokener_new();
		o = json_tokener_parse_ex(tok, (const char *)evbuffer_pullup(b, -1),
					  (int)evbuffer_get_length(b));
		json_tokener_free(tok);
	}
	cli_free(cli);
	evbuffer_free(b);
	return o;
}

static uint64_t ju64(json_object *o, const char *key)
{
	json_object *v = json_object_object_get(o, key);
	int64_t n = v != NULL ? json_object_get_int64(v) : 0;

	return n > 0 ? (uint64_t)n : 0;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v = json_object_object_get(o, key);

	return v != NULL ? json_object_get_string(v) : "";
}

/* Counters of a port and of a VRF: JSON key, metric after the prefix. */
static const struct {
	const char *key, *name, *help;
	bool port_only;
} dp_counters[] = {
	{ "rxPackets", "rx_packets_total", "Frames received", false },
	{ "rxBytes", "rx_bytes_total", "Bytes received", false },
	{ "txPackets", "tx_packets_total", "Frames sent", false },
	{ "txBytes", "tx_bytes_total", "Bytes sent", false },
	{ "punted", "punted_total", "Frames left to the kernel (own address, broadcast, multicast)",
	  false },
	{ "icmpSent", "icmp_sent_total", "ICMP errors originated", false },
	{ "ringDrops", "ring_drops_total",
	  "Frames the receive ring dropped before the worker saw them", true },
};

/* prefix "pe_dataplane_port_" (labels port, vrf, role) or "pe_dataplane_vrf_" (vrf) */
static void render_dp_objects(struct evbuffer *o, json_object *objs, bool ports)
{
	const char *pfx = ports ? "pe_dataplane_port_" : "pe_dataplane_vrf_";
	char name[96], help[160];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dp_counters); i++) {
		if (dp_counters[i].port_only && !ports)
			continue;
		snprintf(name, sizeof(name), "%s%s", pfx, dp_counters[i].name);
		snprintf(help, sizeof(help), "%s, per %s", dp_counters[i].help,
			 ports ? "port" : "VRF");
		family(o, name, "counter", help);
		json_object_object_foreach (objs, key, v) {
			if (ports)
				sample(o, name, ju64(v, dp_counters[i].key), "port", key, "vrf",
				       jstr(v, "vrf"), "role", jstr(v, "role"), NULL);
			else
				sample(o, name, ju64(v, dp_counters[i].key), "vrf", key, NULL);
		}
	}
	snprintf(name, sizeof(name), "%sdrops_total", pfx);
	family(o, name, "counter",
	       ports ? "Frames dropped, per port and cause (the names of show dataplane json)" :
		       "Frames dropped, per VRF and cause (the names of show dataplane json)");
	json_object_object_foreach (objs, key, v) {
		json_object *drops = json_object_object_get(v, "drops");

		if (drops == NULL || !json_object_is_type(drops, json_type_object))
			continue;
		json_object_object_foreach (drops, cause, n) {
			uint64_t cnt = (uint64_t)(json_object_get_int64(n) > 0 ?
							  json_object_get_int64(n) :
							  0);

			if (ports)
				sample(o, name, cnt, "port", key, "vrf", jstr(v, "vrf"), "role",
				       jstr(v, "role"), "cause", cause, NULL);
			else
				sample(o, name, cnt, "vrf", key, "cause", cause, NULL);
		}
	}
}

static void render_dataplane(struct evbuffer *o)
{
	json_object *top = show_json("show dataplane json"), *ports, *vrfs, *x;

	if (top == NULL)
		return;
	family(o, "pe_dataplane_worker_running", "gauge", "1 while the forwarding worker runs");
	sample(o, "pe_dataplane_worker_running",
	       json_object_get_boolean(json_object_object_get(top, "workerRunning")), NULL);
	if ((x = json_object_object_get(top, "xdpRouteNodes")) != NULL) {
		family(o, "pe_dataplane_xdp_route_nodes", "gauge",
		       "Nodes of the XDP route trie (`dataplane xdp route-nodes`)");
		sample(o, "pe_dataplane_xdp_route_nodes", ju64(top, "xdpRouteNodes"), NULL);
		family(o, "pe_dataplane_xdp_route_nodes_used", "gauge",
		       "Nodes of the XDP route trie in use");
		sample(o, "pe_dataplane_xdp_route_nodes_used", ju64(top, "xdpRouteNodesUsed"),
		       NULL);
	}
	if ((ports = json_object_object_get(top, "ports")) != NULL &&
	    json_object_is_type(ports, json_type_object)) {
		family(o, "pe_dataplane_port_up", "gauge", "1 if the port is up");
		json_object_object_foreach (ports, key, v) {
			sample(o, "pe_dataplane_port_up",
			       json_object_get_boolean(json_object_object_get(v, "up")), "port",
			       key, "vrf", jstr(v, "vrf"), "role", jstr(v, "role"), NULL);
		}
		family(o, "pe_dataplane_port_info", "gauge",
		       "The port's backend (xdp, packet), value 1");
		json_object_object_foreach (ports, key2, v2) {
			sample(o, "pe_dataplane_port_info", 1, "port", key2, "vrf", jstr(v2, "vrf"),
			       "role", jstr(v2, "role"), "backend", jstr(v2, "backend"), NULL);
		}
		render_dp_objects(o, ports, true);
	}
	if ((vrfs = json_object_object_get(top, "vrfs")) != NULL &&
	    json_object_is_type(vrfs, json_type_object))
		render_dp_objects(o, vrfs, false);
	json_object_put(top);
}

/* ---- the exposition ---- */

static double elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void render_self(struct metrics *m, struct evbuffer *o, const struct timespec *t0)
{
	char code[8];
	size_t i;

	family(o, "pe_metrics_connections", "gauge",
	       "HTTP connections open on the metrics listener");
	sample(o, "pe_metrics_connections", m->nconns, NULL);
	family(o, "pe_metrics_connections_refused_total", "counter",
	       "Connections answered 503 and closed: the connection limit was reached");
	sample(o, "pe_metrics_connections_refused_total", m->refused, NULL);
	family(o, "pe_metrics_requests_total", "counter", "HTTP requests answered, by status code");
	for (i = 0; i < NCODES; i++) {
		snprintf(code, sizeof(code), "%d", codes[i]);
		sample(o, "pe_metrics_requests_total", m->requests[i], "code", code, NULL);
	}
	family(o, "pe_metrics_scrape_duration_seconds", "gauge",
	       "Time ped took to build this exposition (up to this line)");
	samplef(o, "pe_metrics_scrape_duration_seconds", elapsed(t0), NULL);
}

void metrics_render(struct evbuffer *o)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	render_process(&M, o);
	render_bgp(o);
	render_vrf(o);
	render_ldp(o);
	render_labels_bfd(o);
	render_dataplane(o);
	render_self(&M, o, &t0);
}

/* ---- HTTP ---- */

static void count_code(struct metrics *m, int code)
{
	size_t i;

	for (i = 0; i < NCODES; i++)
		if (codes[i] == code)
			m->requests[i]++;
}

static const char *reason(int code)
{
	switch (code) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 414:
		return "URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	}
	return "Error";
}

static void conn_free(struct mconn *c)
{
	TAILQ_REMOVE(&c->m->conns, c, entry);
	c->m->nconns--;
	event_free(c->deadline);
	bufferevent_free(c->bev); /* closes the socket */
	free(c);
}

static void conn_deadline(struct mconn *c, int secs)
{
	struct timeval tv = { secs, 0 };

	event_add(c->deadline, &tv);
}

static void deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_free(arg);
}

/* Queues the whole answer and stops reading; write_cb closes once it is
 * out. body: the metrics (moved out of it), or NULL for an error page. */
static void answer(struct mconn *c, int code, struct evbuffer *body)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	char page[64];
	size_t len;

	count_code(c->m, code);
	snprintf(page, sizeof(page), "%d %s\n", code, reason(code));
	len = body != NULL ? evbuffer_get_length(body) : strlen(page);
	evbuffer_add_printf(out,
			    "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			    "Cache-Control: no-store\r\nConnection: close\r\n%s\r\n",
			    code, reason(code),
			    body != NULL ? "text/plain; version=0.0.4; charset=utf-8" :
					   "text/plain; charset=utf-8",
			    len, code == 405 ? "Allow: GET\r\n" : "");
	if (body != NULL)
		evbuffer_add_buffer(out, body);
	else
		evbuffer_add(out, page, len);
	evbuffer_drain(bufferevent_get_input(c->bev),
		       evbuffer_get_length(bufferevent_get_input(c->bev)));
	c->st = MC_ANSWER;
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_enable(c->bev, EV_WRITE);
	conn_deadline(c, METRICS_ANSWER_SECS);
}

/* "GET /metrics HTTP/1.1": the status code to answer with */
static int request_line(const char *line)
{
	const char *sp1 = strchr(line, ' '), *sp2, *q;
	size_t plen;

	if (sp1 == NULL || (sp2 = strchr(sp1 + 1, ' ')) == NULL || strchr(sp2 + 1, ' ') != NULL ||
	    strncmp(sp2 + 1, "HTTP/1.", 7) != 0 || sp1 == line || sp2 == sp1 + 1)
		return 400;
	if ((size_t)(sp1 - line) != 3 || strncmp(line, "GET", 3) != 0)
		return 405;
	q = memchr(sp1 + 1, '?', (size_t)(sp2 - sp1 - 1));
	plen = (size_t)((q != NULL ? q : sp2) - (sp1 + 1));
	if (plen != strlen("/metrics") || strncmp(sp1 + 1, "/metrics", plen) != 0)
		return 404;
	return 200;
}

/* Splits what arrived into lines (each byte once); the empty line ends the
 * head (RFC 9112 2.2: a bare LF ends a line too). */
static void request_read(struct mconn *c, struct evbuffer *in)
{
	char line[1024];
	struct evbuffer_ptr p, eol;
	struct evbuffer *body;
	size_t n, first;
	int code;

	for (;;) {
		if (evbuffer_ptr_set(in, &p, c->scanned, EVBUFFER_PTR_SET) != 0)
			break;
		eol = evbuffer_search_eol(in, &p, &n, EVBUFFER_EOL_CRLF);
		if (eol.pos < 0)
			break;
		c->scanned = (size_t)eol.pos + n;
		if (c->scanned > METRICS_MAX_REQUEST) {
			answer(c, 431, NULL);
			return;
		}
		if (eol.pos != p.pos || p.pos == 0)
			continue; /* a header line (or an empty request line, refused below) */
		/* the end of the head: the request line is the first one */
		first = (size_t)evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_CRLF).pos;
		if (first >= sizeof(line)) {
			answer(c, 414, NULL);
			return;
		}
		evbuffer_copyout(in, line, first);
		line[first] = '\0';
		code = request_line(line);
		if (code != 200) {
			answer(c, code, NULL);
			return;
		}
		body = evbuffer_new();
		metrics_render(body);
		answer(c, 200, body);
		evbuffer_free(body);
		return;
	}
	if (evbuffer_get_length(in) >= METRICS_MAX_REQUEST)
		answer(c, 431, NULL);
}

static void read_cb(struct bufferevent *bev, void *arg)
{
	struct mconn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	if (c->st == MC_REQUEST)
		request_read(c, in);
	else
		evbuffer_drain(in, evbuffer_get_length(in)); /* lingering: discarded */
}

/* The answer is out: close our side, read until the client closes or the
 * linger time is over (a close with unread input would reset the
 * connection and could destroy the end of the answer). */
static void write_cb(struct bufferevent *bev, void *arg)
{
	struct mconn *c = arg;

	if (c->st != MC_ANSWER)
		return;
	c->st = MC_LINGER;
	shutdown(bufferevent_getfd(bev), SHUT_WR);
	bufferevent_enable(bev, EV_READ);
	conn_deadline(c, METRICS_LINGER_SECS);
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		conn_free(arg);
}

static void accept_cb(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa,
		      int salen, void *arg)
{
	static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
				   "Connection: close\r\n\r\n";
	struct metrics *m = arg;
	struct mconn *c;

	(void)lev;
	(void)sa;
	(void)salen;
	if (m->nconns >= METRICS_MAX_CONNS) {
		char sink[1024];
		int i;

		m->refused++;
		if (send(fd, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			log_debug("metrics: 503: %s", strerror(errno));
		/* what the client already sent: unread, close() would reset the
		 * connection and could destroy the 503 before it is read */
		for (i = 0; i < 8 && recv(fd, sink, sizeof(sink), MSG_DONTWAIT) > 0; i++)
			;
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->bev = bufferevent_socket_new(m->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->deadline = evtimer_new(m->base, deadline_cb, c);
	if (c->bev == NULL || c->deadline == NULL)
		fatalx("metrics: out of memory");
	TAILQ_INSERT_TAIL(&m->conns, c, entry);
	m->nconns++;
	bufferevent_setcb(c->bev, read_cb, write_cb, event_cb, c);
	/* libevent stops reading at the high mark: a head is never bigger */
	bufferevent_setwatermark(c->bev, EV_READ, 0, METRICS_MAX_REQUEST + 1);
	bufferevent_enable(c->bev, EV_READ);
	conn_deadline(c, METRICS_REQUEST_SECS);
}

static void pause_cb(evutil_socket_t fd, short what, void *arg)
{
	struct metrics *m = arg;

	(void)fd;
	(void)what;
	if (m->lev != NULL)
		evconnlistener_enable(m->lev);
}

/* accept() failed (EMFILE...): the socket stays readable, so pause for a
 * second instead of spinning. */
static void accept_error_cb(struct evconnlistener *lev, void *arg)
{
	struct metrics *m = arg;
	struct timeval one = { 1, 0 };

	log_warnx("metrics: accept: %s", strerror(errno));
	evconnlistener_disable(lev);
	event_add(m->pause_ev, &one);
}

static void conns_close(struct metrics *m)
{
	while (!TAILQ_EMPTY(&m->conns))
		conn_free(TAILQ_FIRST(&m->conns));
}

static void listener_close(struct metrics *m)
{
	if (m->lev != NULL)
		evconnlistener_free(m->lev);
	m->lev = NULL;
	if (m->pause_ev != NULL)
		event_del(m->pause_ev);
}

static bool addr_equal(const struct metrics_addr *a, const struct metrics_addr *b)
{
	return a->len == b->len && memcmp(&a->ss, &b->ss, a->len) == 0;
}

/* Listens on a (replacing the listener, if any, once the new one is open);
 * -1 + reason, the old listener kept, on failure. */
static int listener_open(struct metrics *m, const struct metrics_addr *a, char *err, size_t errlen)
{
	struct evconnlistener *lev;
	int fd, one = 1;

	if (m->lev != NULL && addr_equal(&m->bound, a))
		return 0;
	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (a->ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&a->ss, a->len) != 0 || listen(fd, 16) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	/* backlog 0: listening already (libevent's -1 would listen again, with 128) */
	lev = evconnlistener_new(m->base, accept_cb, m,
				 LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (lev == NULL) {
		snprintf(err, errlen, "evconnlistener_new failed");
		close(fd);
		return -1;
	}
	evconnlistener_set_error_cb(lev, accept_error_cb);
	listener_close(m);
	m->lev = lev;
	m->bound = *a;
	m->warned = false;
	event_del(m->retry_ev);
	return 0;
}

static void retry_cb(evutil_socket_t fd, short what, void *arg);

/* After start: the configured listener, retried later if it cannot open. */
static void listener_sync(struct metrics *m)
{
	struct timeval tv = { METRICS_RETRY_SECS, 0 };
	char err[160], a[80];

	if (m->base == NULL)
		return;
	if (!m->configured) {
		listener_close(m);
		conns_close(m);
		event_del(m->retry_ev);
		return;
	}
	if (listener_open(m, &m->addr, err, sizeof(err)) == 0) {
		log_info("metrics: listening on %s", metrics_addr_str(&m->addr, a, sizeof(a)));
		return;
	}
	if (!m->warned)
		log_warnx("metrics: cannot listen on %s: %s (retried every %d s)",
			  metrics_addr_str(&m->addr, a, sizeof(a)), err, METRICS_RETRY_SECS);
	m->warned = true;
	event_add(m->retry_ev, &tv);
}

static void retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	listener_sync(arg);
}

static void set_base(struct metrics *m, struct event_base *base)
{
	if (m->base != NULL)
		return;
	m->base = base;
	m->retry_ev = evtimer_new(base, retry_cb, m);
	m->pause_ev = evtimer_new(base, pause_cb, m);
}

void metrics_start(struct event_base *base)
{
	set_base(&M, base);
	listener_sync(&M);
}

void metrics_fini(void)
{
	struct metrics *m = &M;

	listener_close(m);
	conns_close(m);
	if (m->retry_ev != NULL)
		event_free(m->retry_ev);
	if (m->pause_ev != NULL)
		event_free(m->pause_ev);
	m->retry_ev = m->pause_ev = NULL;
	m->base = NULL;
	m->configured = false;
	m->warned = false;
	memset(m->requests, 0, sizeof(m->requests));
	m->refused = 0;
}

/* ---- addresses ---- */

static int parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;

	if (*s == '\0' || strlen(s) > 5)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int metrics_parse_listen(const char *s, struct metrics_addr *a, char *err, size_t errlen)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&a->ss;
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *port = NULL;
	uint16_t pnum = METRICS_DEFAULT_PORT;
	size_t hlen;

	memset(a, 0, sizeof(*a));
	if (s == NULL || *s == '\0')
		s = METRICS_DEFAULT_ADDR;
	if (s[0] == '[') { /* [X:X::X:X] or [X:X::X:X]:PORT */
		colon = strchr(s, ']');
		if (colon == NULL || (colon[1] != '\0' && colon[1] != ':'))
			goto bad;
		hlen = (size_t)(colon - s - 1);
		port = colon[1] == ':' ? colon + 2 : NULL;
		s++;
	} else if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		hlen = strlen(s); /* a bare IPv6 address: no port */
	} else {
		colon = strchr(s, ':');
		hlen = colon != NULL ? (size_t)(colon - s) : strlen(s);
		port = colon != NULL ? colon + 1 : NULL;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (port != NULL && parse_port(port, &pnum) != 0) {
		snprintf(err, errlen, "Invalid port \"%s\" (1-65535)", port);
		return -1;
	}
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(pnum);
		a->len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(pnum);
		a->len = sizeof(*sin6);
		return 0;
	}
bad:
	snprintf(err, errlen,
		 "Invalid address \"%s\": A.B.C.D[:PORT], [X:X::X:X][:PORT] or X:X::X:X", s);
	memset(a, 0, sizeof(*a));
	return -1;
}

const char *metrics_addr_str(const struct metrics_addr *a, char *buf, size_t len)
{
	char h[INET6_ADDRSTRLEN];

	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&a->ss;

		inet_ntop(AF_INET, &sin->sin_addr, h, sizeof(h));
		snprintf(buf, len, "%s:%u", h, ntohs(sin->sin_port));
	} else if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&a->ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, h, sizeof(h));
		snprintf(buf, len, "[%s]:%u", h, ntohs(sin6->sin6_port));
	} else {
		snprintf(buf, len, "-");
	}
	return buf;
}

/* ---- commands ---- */

void metrics_config_write(struct cli *cli)
{
	char a[80];

	if (M.configured)
		cli_out(cli, "metrics listen %s\n!\n", metrics_addr_str(&M.addr, a, sizeof(a)));
}

/* `metrics listen [ADDR:PORT]`: once ped runs, applied at once (refused,
 * nothing changed, when it cannot listen there); while the startup
 * configuration is read, recorded for metrics_start(). */
static int listen_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct metrics *m = &M;
	struct metrics_addr addr;
	char err[160], as[80];

	/* ped.base exists once main() runs the daemon (not with ped -C) */
	if (m->base == NULL && ped.base != NULL && ped.kernel_apply)
		set_base(m, ped.base);
	if (cmd_is_no(a)) {
		m->configured = false;
		listener_sync(m);
		return CMD_SUCCESS;
	}
	if (metrics_parse_listen(cmd_arg(a, "ADDR:PORT"), &addr, err, sizeof(err)) != 0) {
		cli_out(cli, "%% %s\n", err);
		return CMD_ERROR;
	}
	if (m->base != NULL && listener_open(m, &addr, err, sizeof(err)) != 0) {
		cli_out(cli, "%% Cannot listen on %s: %s\n",
			metrics_addr_str(&addr, as, sizeof(as)), err);
		return CMD_ERROR;
	}
	m->addr = addr;
	m->configured = true;
	if (m->base != NULL)
		log_info("metrics: listening on %s", metrics_addr_str(&addr, as, sizeof(as)));
	return CMD_SUCCESS;
}

static int show_metrics_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct evbuffer *b = evbuffer_new();

	(void)a;
	metrics_render(b);
	cli_write(cli, (const char *)evbuffer_pullup(b, -1), evbuffer_get_length(b));
	evbuffer_free(b);
	return CMD_SUCCESS;
}

#define METRICS_STR "Prometheus metrics over HTTP (GET /metrics)\n"

static const struct cmd_def config_cmds[] = {
	{ "metrics listen [ADDR:PORT]",
	  METRICS_STR "Listen for scrapes\n"
		      "A.B.C.D[:PORT] or [X:X::X:X][:PORT] (default 127.0.0.1:9273)\n",
	  listen_cmd },
	{ "no metrics listen [ADDR:PORT]",
	  NO_STR METRICS_STR "Stop listening\nA.B.C.D[:PORT] or [X:X::X:X][:PORT]\n", listen_cmd },
};

static const struct cmd_def view_cmds[] = {
	{ "show metrics", SHOW_STR "Prometheus metrics, as GET /metrics answers\n",
	  show_metrics_cmd },
};

void metrics_init(void)
{
	M.started = time(NULL);
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
	cmd_install_table(NODE_VIEW, view_cmds, ARRAY_SIZE(view_cmds));
}
