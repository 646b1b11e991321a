/* The running BGP speaker: glue between the session layer (session.h), the
 * UPDATE codec (wire.h), the RIBs and Adj-RIB-Out (rib.h), VRF <-> VPN
 * leaking (vpn.h) and the VRF routing tables (vrf/).
 *
 * - an UPDATE is decoded (RFC 7606 verdict applied here: reset, treat as
 *   withdraw, attribute discard), attributes interned, NLRI applied to the
 *   family's Loc-RIB; maximum-prefix is checked after each UPDATE;
 * - best-path changes go to Adj-RIB-Out (attached per RIB), to VPN export
 *   (VRF instance RIBs) or VPN import (the VPN RIB), and to the VRF's own
 *   routing table (vrf/rib.c) as `bgp` routes;
 * - next hops are resolved through the default VRF's RIB (the core routes)
 *   for the default instance, through the VRF's RIB for PE-CE sessions. */
#include "config.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h> /* malloc_trim */
#endif

#include "lib/log.h"
#include "lib/wbuf.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/peer_filter.h"
#include "mpbgp/policy.h"
#include "mpbgp/rib.h"
#include "mpbgp/gr.h"
#include "mpbgp/rtc.h"
#include "mpbgp/session.h"
#include "mpbgp/speaker.h"
#include "mpbgp/vpn.h"
#include "vrf/vrf.h"

bool bgp_debug_updates, bgp_debug_events;
static bool running;
static struct event_base *evbase;
static void mp_restart_cancel(struct bgp_peer *p);
static struct event *flush_ev, *reval_ev, *drain_ev;
static void (*peer_lost_fn)(const struct ipaddr *addr, bool lost);

void speaker_set_peer_lost_fn(void (*fn)(const struct ipaddr *addr, bool lost))
{
	peer_lost_fn = fn;
}

/* Only sessions of the default instance name PEs (a VRF's CE may have any
 * address, a PE's loopback too); the mark lasts until the session is back
 * or its paths are gone. */
static void peer_lost(const struct bgp_peer *p, bool lost)
{
	if (peer_lost_fn != NULL && p->bgp->vrf == NULL)
		peer_lost_fn(&p->cfg.addr, lost);
}
static void reval_request(void);
static void reval_tables_compacted(void);
static uint32_t (*router_id_fn)(void);
static uint32_t (*iface_addr_fn)(const struct vrf *vrf, const char *ifname);
static bool (*iface_addr6_fn)(const struct vrf *vrf, uint32_t v4, struct ipaddr *out);

void speaker_set_iface_addr6_fn(bool (*fn)(const struct vrf *vrf, uint32_t v4, struct ipaddr *out))
{
	iface_addr6_fn = fn;
}

void speaker_set_iface_addr_fn(uint32_t (*fn)(const struct vrf *vrf, const char *ifname))
{
	iface_addr_fn = fn;
}

/* `update-source IFNAME`: the session binds to that interface's address,
 * looked up when the session starts (a loopback's 10.255.0.1, not lo's
 * 127.0.0.1 that SIOCGIFADDR would give). */
static void peer_start(struct bgp_peer *p)
{
	char pb[IPADDR_STRLEN];
	if (p->cfg.update_source[0] != '\0' && iface_addr_fn != NULL) {
		uint32_t a = iface_addr_fn(p->bgp->vrf ? p->bgp->vrf : vrf_default(),
					   p->cfg.update_source);

		if (a == 0)
			log_warnx("BGP peer %s: update-source %s has no address yet",
				  bgp_peer_str(p, pb, sizeof(pb)), p->cfg.update_source);
		p->cfg.update_source_addr = a ? ipaddr_v4(a) : (struct ipaddr){ 0 };
	}
	bgp_peer_start(p);
}

/* ---- next-hop resolution ---- */

/* A 6VPE next hop (::ffff:a.b.c.d, RFC 4659 3.2.1.1) is the IPv4 PE it
 * maps: it resolves over the IPv4 core and its LSP. */
static struct ipaddr nh_core(const struct ipaddr *nexthop)
{
	uint32_t v4;

	return ipaddr_v4mapped(nexthop, &v4) ? ipaddr_v4(v4) : *nexthop;
}

static bool nh_resolve(const struct ipaddr *nexthop, uint32_t *igp_metric, void *arg)
{
	struct vrf *vrf = arg ? arg : vrf_default();
	struct ipaddr nh = nh_core(nexthop);
	struct rib_dest *d = rib_match(vrf->rib, &nh);

	/* the default route does not resolve a BGP next hop (FRR's default) */
	if (d == NULL || d->selected == NULL || d->pfx.len == 0)
		return false;
	*igp_metric = d->selected->metric;
	return true;
}

/* LDP, reached through hooks that pe/ sets (mpbgp does not depend on ldp/):
 * whether it runs, and whether a FEC (a core prefix) has a labelled path.
 * The bindings themselves stay in LDP's LIB, the one copy of them. */
static bool (*ldp_enabled_fn)(void);
static bool (*ldp_labelled_fn)(const struct prefix4 *fec);

void speaker_set_ldp_enabled_fn(bool (*fn)(void))
{
	ldp_enabled_fn = fn;
}

void speaker_set_ldp_labelled_fn(bool (*fn)(const struct prefix4 *fec))
{
	ldp_labelled_fn = fn;
}

static bool labelled(const struct prefix *p)
{
	struct prefix4 p4 = prefix_to4(p);

	/* LDP FECs are IPv4 */
	return p->af == AF_INET && ldp_labelled_fn != NULL && ldp_labelled_fn(&p4);
}

void speaker_ldp_paths_changed(void)
{
	/* VPN next hops are validated again once, 100 ms after the first of
	 * a burst of changes (not pushed back by each one) */
	reval_request();
}

/* VPN next hops (the remote PEs): through the core, and, with LDP running,
 * only when the core route to them has a labelled path (RFC 4364 5: the
 * packet needs a tunnel to the egress PE). */
static bool nh_resolve_vpn(const struct ipaddr *nexthop, uint32_t *igp_metric, void *arg)
{
	struct bgp *def = bgp_default_instance();
	struct ipaddr nh = nh_core(nexthop);
	struct rib_dest *d;

	(void)arg;
	if (!nh_resolve(nexthop, igp_metric, NULL))
		return false;
	if (ldp_enabled_fn == NULL || !ldp_enabled_fn() || (def != NULL && def->nh_unlabelled_ok))
		return true;
	d = rib_match(vrf_default()->rib, &nh);
	/* a directly connected PE needs no transport label (PHP would pop it) */
	return d != NULL && (labelled(&d->pfx) ||
			     (d->selected != NULL && d->selected->proto == RIB_CONNECTED));
}

bool speaker_vpn_nh_usable(const struct ipaddr *nexthop)
{
	uint32_t metric;

	return nh_resolve_vpn(nexthop, &metric, NULL);
}

void speaker_nh_explain(const struct vrf *vrf, const struct ipaddr *nexthop, bool vpn,
			struct speaker_nh_info *out)
{
	struct bgp *def = bgp_default_instance();
	const struct vrf *v = vrf != NULL ? vrf : vrf_default();
	struct rib_dest *d;
	uint32_t metric;

	memset(out, 0, sizeof(*out));
	out->addr = nh_core(nexthop);
	d = rib_match(v->rib, &out->addr);
	out->covered = d != NULL && d->selected != NULL;
	out->default_only = out->covered && d->pfx.len == 0;
	if (out->covered) {
		out->route = d->pfx;
		out->sel = d->selected;
	}
	out->resolved = nh_resolve(nexthop, &metric, (void *)(uintptr_t)vrf);
	out->usable = out->resolved;
	if (!vpn || !out->resolved)
		return;
	if (ldp_enabled_fn == NULL || !ldp_enabled_fn())
		out->ldp = SPK_NH_LDP_OFF;
	else if (def != NULL && def->nh_unlabelled_ok)
		out->ldp = SPK_NH_LDP_KNOB;
	else if (labelled(&d->pfx))
		out->ldp = SPK_NH_LDP_LABELLED;
	else if (d->selected->proto == RIB_CONNECTED)
		out->ldp = SPK_NH_LDP_CONNECTED;
	else
		out->ldp = SPK_NH_LDP_NONE;
	out->usable = nh_resolve_vpn(nexthop, &metric, NULL);
}

/* ---- memory after bulk frees ---- */

/* A withdrawal of many routes or a session down with a large table leaves
 * the tables sized for it and freed memory in the heap. Once more than
 * BGP_MEM_COMPACT_AFTER bytes of routes went back to the pools, check
 * every second; when a second passed without more frees (the burst is
 * over; at most MEM_WAIT_MAX seconds), shrink the hash tables to what is
 * left and malloc_trim, once. Pool blocks left empty went back at once. */
#define BGP_MEM_COMPACT_AFTER (16u * 1024 * 1024)
#define MEM_WAIT_MAX 30
static struct event *mem_ev;
static size_t mem_last;
static int mem_waits;

static void mem_compact(void)
{
	struct bgp *b;
	int af;

	for (b = bgp_first(); b != NULL; b = bgp_next(b))
		for (af = 0; af < BGP_AF_MAX; af++)
			if (b->rib[af] != NULL)
				bgp_rib_compact(b->rib[af]);
	bgp_attr_compact();
	reval_tables_compacted();
#ifdef __GLIBC__
	malloc_trim(0);
#endif
	bgp_mem_compacted();
}

static void mem_cb(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval sec = { 1, 0 };
	size_t now = bgp_mem_freed();

	(void)fd;
	(void)what;
	(void)arg;
	if (now != mem_last && ++mem_waits < MEM_WAIT_MAX) {
		mem_last = now; /* still freeing */
		evtimer_add(mem_ev, &sec);
		return;
	}
	if (bgp_debug_events)
		log_debug("BGP: %zu MB of routes freed, tables compacted, heap trimmed", now >> 20);
	mem_compact();
}

static void mem_freed(void)
{
	static const struct timeval sec = { 1, 0 };

	if (mem_ev == NULL)
		return;
	mem_last = bgp_mem_freed();
	mem_waits = 0;
	evtimer_add(mem_ev, &sec);
}

/* Core or VRF routes changed: re-check next hops a little later, once per
 * burst of changes. The pass gives the event loop back every
 * REVAL_STEP changed prefixes (BFD's timers run in the same loop: a pass
 * over 100,000 VPN routes that lost their next hop held it for seconds, and
 * sessions to other PEs timed out); a request during a pass runs another
 * one after it. */
#define REVAL_STEP 256
static struct {
	bool active, again;
	struct bgp *b;
	int af;
	size_t pos;
} rv;

static void reval_request(void)
{
	if (!running || reval_ev == NULL)
		return;
	if (rv.active)
		rv.again = true;
	else if (!event_pending(reval_ev, EV_TIMEOUT, NULL))
		event_add(reval_ev, &(struct timeval){ 0, 100000 });
}

/* A table shrank: buckets a pass in progress had not reached moved below
 * its position. Another pass follows this one. */
static void reval_tables_compacted(void)
{
	if (rv.active)
		rv.again = true;
}

static void reval_peers(void)
{
	struct bgp *b;

	for (b = bgp_first(); b != NULL; b = bgp_next(b)) {
		struct vrf *vrf = b->vrf != NULL ? b->vrf : vrf_default();
		struct bgp_peer *p;

		/* a peer whose address just became reachable (the IGP beside
		 * ped brought the remote loopback) is tried at once rather than
		 * at its next ConnectRetry, up to 120 s away (as FRR's next-hop
		 * tracking of peers does) */
		for (p = b->peers; p != NULL; p = p->next) {
			const struct rib_dest *d = rib_match(vrf->rib, &p->cfg.addr);
			bool reach = d != NULL && d->selected != NULL;

			if (reach && !p->addr_reachable && p->state == BGP_ST_ACTIVE &&
			    !p->cfg.passive && !p->cfg.shutdown)
				bgp_fsm_event(p, BGP_EV_CONNRETRY_EXP, NULL);
			p->addr_reachable = reach;
		}
	}
}

static void reval_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bgp *b;

	(void)fd;
	(void)what;
	(void)arg;
	if (!rv.active) {
		rv.active = true;
		rv.again = false;
		rv.b = bgp_first();
		rv.af = 0;
		rv.pos = 0;
	}
	for (b = bgp_first(); b != NULL && b != rv.b; b = bgp_next(b))
		;
	if (b == NULL && rv.b != NULL) { /* its instance went: from the start */
		rv.b = bgp_first();
		rv.af = 0;
		rv.pos = 0;
	}
	while (rv.b != NULL) {
		if (rv.af >= BGP_AF_MAX) {
			rv.b = bgp_next(rv.b);
			rv.af = 0;
			rv.pos = 0;
			continue;
		}
		if (rv.b->rib[rv.af] != NULL &&
		    !bgp_rib_revalidate_step(rv.b->rib[rv.af], &rv.pos, REVAL_STEP)) {
			event_add(reval_ev, &(struct timeval){ 0, 0 }); /* the rest next turn */
			return;
		}
		rv.af++;
		rv.pos = 0;
	}
	rv.active = false;
	reval_peers();
	if (rv.again) {
		rv.again = false;
		event_add(reval_ev, &(struct timeval){ 0, 100000 });
	}
}

/* ---- RIB change hooks ---- */

/* The next hop of one selected path for the VRF table: a CE or PE-CE peer
 * of this VRF; a remote PE (imported from the VPN table: through the core,
 * pushing its VPN label); or, leaked from VRF instance B of this PE (by
 * `import vrf` or matching route targets), B's own next hop in B, without
 * labels (a connected or local route of B: B's interface for it). */
static void path_nh(const struct bgp_path *p, const struct prefix *pfx, struct rib_nh *nh)
{
	memset(nh, 0, sizeof(*nh));
	nh->gw = p->attr->nexthop;
	if (p->src != BGP_SRC_IMPORTED)
		return;
	nh->nh_vrf_set = true;
	if (p->origin_bgp != NULL && p->origin_bgp->vrf != NULL) {
		struct vrf *from = p->origin_bgp->vrf;
		struct rib_dest *fd;

		nh->nh_vrf_id = from->id;
		if (ipaddr_is_zero(&nh->gw) &&
		    (fd = rib_lookup_exact(from->rib, pfx)) != NULL && fd->selected != NULL &&
		    fd->selected->nh_count > 0) {
			const struct rib_nh *f = &fd->selected->nh[0];

			nh->gw = f->gw;
			memcpy(nh->ifname, f->ifname[0] ? f->ifname : f->res_ifname,
			       sizeof(nh->ifname));
		}
		return;
	}
	nh->nh_vrf_id = VRF_DEFAULT_ID; /* the remote PE is reached through the core */
	nh->nlabels = p->nlabels > 2 ? 2 : p->nlabels;
	memcpy(nh->labels, p->labels, sizeof(nh->labels[0]) * (size_t)nh->nlabels);
	/* implicit null as the VPN label (a PE without `label vpn export`, as
	 * FRR sends it): nothing to push under the transport label */
	if (nh->nlabels == 1 && nh->labels[0] == MPLS_LABEL_IMPLICIT_NULL)
		nh->nlabels = 0;
}

/* A VRF instance's (or, for a CE, the default instance's) unicast best
 * path goes into the VRF routing table as a `bgp` route, with one next hop
 * per multipath path (`maximum-paths`), the best first. An aggregate this
 * instance originates goes in as a blackhole at the local distance (FRR:
 * "unreachable (blackhole)", 200), so that traffic to a part of it that no
 * more specific route covers is dropped here instead of following a less
 * specific route, back into the core for one. */
static void install_in_vrf(struct bgp *b, const struct bgp_dest *d)
{
	struct vrf *vrf = b->vrf ? b->vrf : vrf_default();
	const struct bgp_path *best = d->best, *p;
	struct rib_nh nh[RIB_MAX_NH];
	uint8_t dist;
	int n = 0, i;

	if (best != NULL && bgp_path_is_aggregate(best)) {
		int fi = af_index(d->p.pfx.af);

		memset(&nh[0], 0, sizeof(nh[0]));
		nh[0].blackhole = true;
		dist = b->distance[fi][0] != 0 ? b->distance[fi][2] : 200;
		if (rib_update(vrf->rib, &d->p.pfx, RIB_BGP, 0, dist, 0, nh, 1) != 0)
			log_warnx("VRF %s: BGP route refused (route limit)", vrf->name);
		return;
	}
	if (best == NULL || best->src == BGP_SRC_LOCAL) {
		/* local paths came from this RIB; nothing to install */
		rib_withdraw(vrf->rib, &d->p.pfx, RIB_BGP, 0);
		return;
	}
	path_nh(best, &d->p.pfx, &nh[n++]);
	if (best->flags & BGP_PATH_MULTIPATH)
		for (p = d->paths; p != NULL && n < RIB_MAX_NH; p = p->next) {
			if (p == best || !(p->flags & BGP_PATH_MULTIPATH))
				continue;
			path_nh(p, &d->p.pfx, &nh[n]);
			for (i = 0; i < n; i++) /* two paths to one next hop: one entry */
				if (memcmp(&nh[i], &nh[n], sizeof(nh[n])) == 0)
					break;
			if (i == n)
				n++;
		}
	/* PIC edge: the backup path's next hop after the primaries, for
	 * forwarding to fall back to when the primary PE fails (a remote PE's
	 * path only: the dataplane watches remote PEs) */
	for (p = d->paths; p != NULL && n < RIB_MAX_NH; p = p->next)
		if ((p->flags & BGP_PATH_BACKUP) && p->src == BGP_SRC_IMPORTED && b->vrf != NULL &&
		    (p->origin_bgp == NULL || p->origin_bgp->vrf == NULL)) {
			path_nh(p, &d->p.pfx, &nh[n]);
			nh[n++].backup = true;
			break;
		}
	{
		int fi = af_index(d->p.pfx.af);
		bool ext = (best->src == BGP_SRC_PEER && bgp_peer_ebgp(best->peer, b->asn)) ||
			   best->src == BGP_SRC_IMPORTED;

		/* `distance bgp EXT INT LOCAL`, FRR's 20 200 by default */
		dist = b->distance[fi][0] != 0 ? b->distance[fi][ext ? 0 : 1] : ext ? 20 : 200;
	}
	if (rib_update(vrf->rib, &d->p.pfx, RIB_BGP, 0, dist,
		       (best->attr->present & BGP_ATTR_BIT(BGP_ATTR_MED)) ? best->attr->med : 0, nh,
		       n) != 0)
		log_warnx("VRF %s: BGP route refused (route limit)", vrf->name);
}

static void reinstall_fn(struct bgp_dest *d, void *arg)
{
	install_in_vrf(arg, d);
}

void speaker_vrf_reinstall(struct bgp *b)
{
	if (!running)
		return;
	if (b->rib[BGP_AF_IPV4_UNICAST] != NULL)
		bgp_rib_walk(b->rib[BGP_AF_IPV4_UNICAST], reinstall_fn, b);
	if (b->rib[BGP_AF_IPV6_UNICAST] != NULL)
		bgp_rib_walk(b->rib[BGP_AF_IPV6_UNICAST], reinstall_fn, b);
}

static void unicast_changed(struct bgp_rib *rib, struct bgp_dest *d, const struct bgp_path *old,
			    void *arg)
{
	struct bgp *b = bgp_rib_bgp(rib);

	(void)old;
	(void)arg;
	install_in_vrf(b, d);
	if (b->vrf != NULL) {
		vpn_leak_from_vrf_update(b, &d->p.pfx, d->best);
		vpn_leak_vrf_update(b, &d->p.pfx, d->best);
	}
}

static void vpn_changed_hook(struct bgp_rib *rib, struct bgp_dest *d, const struct bgp_path *old,
			     void *arg)
{
	(void)rib;
	(void)old;
	(void)arg;
	vpn_leak_to_vrf_update(d);
}

/* ---- export policy ---- */

static bool ecomm_has(const struct bgp_attr *a, const struct ecomm *e)
{
	int i;

	for (i = 0; i < a->necomms; i++)
		if (memcmp(a->ecomms[i].b + 2, e->b + 2, 6) == 0 && a->ecomms[i].b[1] == e->b[1] &&
		    a->ecomms[i].b[0] == e->b[0])
			return true;
	return false;
}

static bool export_filter(struct bgp_peer *peer, enum bgp_af af, const struct bgp_dest *dest,
			  const struct bgp_path *best, struct bgp_attr *out, struct bgp_nlri *out_nlri,
			  void *arg)
{
	const struct bgp_peer_cfg *c = &peer->cfg;
	struct bgp *b = peer->bgp;

	(void)arg;
	/* RFC 4684: only the VPN routes the peer has a membership for; with an
	 * outbound policy (which may set route targets) after it, below */
	if (bgp_af_is_vpn(af) && !bgp_peer_has_policy(peer, af, BGP_DIR_OUT) &&
	    !bgp_rtc_allows(peer, best->attr))
		return false;
	/* RFC 9494 4.5: long-lived stale routes only to peers that know them */
	if (!(peer->capa_rcvd.llgr && peer->capa_rcvd.gr) &&
	    bgp_attr_has_comm(best->attr, BGP_COMM_LLGR_STALE))
		return false;
	/* RFC 4364 7: Site of Origin: never back into the site it came from */
	if (c->soo.b[1] == ECOMM_SUB_SOO && ecomm_has(best->attr, &c->soo))
		return false;
	if (bgp_aggregate_suppressed(b, af, &dest->p.pfx)) /* summary-only */
		return false;
	if (!bgp_export_default(peer, af, dest, best, out, out_nlri))
		return false;
	if (bgp_af_is_vpn(af) && ipaddr_is_zero(&out->nexthop))
		out->nexthop = peer->local_addr;
	/* `next-hop-self force`: reflected routes too (FRR) */
	if (c->nhs_force[af] && !bgp_peer_ebgp(peer, b->asn))
		out->nexthop = peer->local_addr;
	/* outbound policy after the default rules: deny = not advertised */
	if (bgp_ebgp_policy_missing(peer, af, BGP_DIR_OUT)) /* RFC 8212 */
		return false;
	if (bgp_peer_has_policy(peer, af, BGP_DIR_OUT) &&
	    (!bgp_policy_out(peer, af, &dest->p, best->attr, out) ||
	     (bgp_af_is_vpn(af) && !bgp_rtc_allows(peer, out))))
		return false;
	if ((af == BGP_AF_IPV4_UNICAST || af == BGP_AF_VPNV4) && out->nexthop.af == AF_INET6)
		return false; /* IPv4 routes over an IPv6 session need RFC 8950: not done */
	if (af == BGP_AF_IPV6_UNICAST && out->nexthop.af == AF_INET) {
		/* next hop self for IPv6 routes over an IPv4 session: the global
		 * IPv6 address of the interface the session runs on, as FRR; without
		 * one, the IPv4-mapped address (::ffff:a.b.c.d) */
		struct ipaddr v6;

		if (iface_addr6_fn != NULL &&
		    iface_addr6_fn(b->vrf ? b->vrf : vrf_default(), out->nexthop.v4, &v6))
			out->nexthop = v6;
	}
	if (b->vrf != NULL && bgp_peer_ebgp(peer, b->asn)) {
		int i, n = 0;

		/* PE-CE: route targets stay inside the provider */
		for (i = 0; i < out->necomms; i++)
			if (out->ecomms[i].b[1] != ECOMM_SUB_RT)
				out->ecomms[n++] = out->ecomms[i];
		out->necomms = (uint16_t)n;
		if (n == 0)
			out->present &= ~BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES);
	}
	return true;
}

static int send_hook(struct bgp_peer *peer, const uint8_t *msg, size_t len, void *arg)
{
	(void)arg;
	if (bgp_peer_send(peer, msg, len) != 0) {
		event_add(flush_ev, &(struct timeval){ 0, 20000 });
		return BGP_SEND_ERR;
	}
	if (bgp_peer_outq(peer) > bgp_outq_max / 2) {
		event_add(flush_ev, &(struct timeval){ 0, 20000 });
		return BGP_SEND_FULL;
	}
	return BGP_SEND_OK;
}

static void flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bgp *b;
	struct bgp_peer *p;

	(void)fd;
	(void)what;
	(void)arg;
	for (b = bgp_first(); b != NULL; b = bgp_next(b))
		for (p = b->peers; p != NULL; p = p->next)
			if (p->state == BGP_ST_ESTABLISHED)
				bgp_adjout_flush(p);
}

/* Adj-RIB-Out queues what changed; the queues are flushed once the event
 * loop is idle, so one burst of changes (a whole UPDATE, a VRF refresh)
 * leaves in as few UPDATEs as possible. */
static void flush_soon(struct bgp_rib *rib, struct bgp_dest *d, const struct bgp_path *old,
		       void *arg)
{
	(void)rib;
	(void)d;
	(void)old;
	(void)arg;
	if (flush_ev != NULL)
		event_active(flush_ev, 0, 0);
}

/* ---- instances ---- */

/* PIC edge (`bgp pic`, on unless `no bgp pic`): backups are chosen in the
 * VPN tables (so that a second path of one VPN route, the same RD from two
 * PEs, is imported too) and in the VRF instances' unicast tables, whose
 * backup goes into the VRF routing table beside the best. The default
 * instance's unicast tables (the core and CE-facing global routes) have
 * none. */
static bool pic_wanted(const struct bgp *b, enum bgp_af af)
{
	const struct bgp *def = b->vrf != NULL ? bgp_lookup(NULL) : b;

	if (b->no_pic || (def != NULL && def->no_pic))
		return false;
	return bgp_af_is_vpn(af) ? b->vrf == NULL : b->vrf != NULL;
}

static void rib_setup(struct bgp *b, enum bgp_af af)
{
	struct bgp_adjout_ops ops = { export_filter, send_hook, NULL };
	struct bgp_rib *rib = bgp_rib_new(b, af);

	b->rib[af] = rib;
	if (bgp_af_is_vpn(af))
		bgp_rib_set_nh(rib, nh_resolve_vpn, NULL);
	else
		bgp_rib_set_nh(rib, nh_resolve, b->vrf ? b->vrf : NULL);
	bgp_rib_set_always_compare_med(rib, b->always_compare_med);
	bgp_rib_set_backup(rib, pic_wanted(b, af));
	if (bgp_af_is_vpn(af)) {
		/* every equal path of a VPN route is marked multipath, so that
		 * changes to any of them reach the importing VRFs (vpn.c), whose
		 * own maximum-paths decides */
		bgp_rib_set_maxpaths(rib, 64, 64);
		bgp_rib_add_hook(rib, vpn_changed_hook, NULL);
	}
	else {
		bgp_rib_add_hook(rib, unicast_changed, NULL);
		if (bgp_rib_add_hook(rib, bgp_aggregate_rib_changed, NULL) < 0)
			log_warnx("BGP %s: no room for the aggregate-address hook", bgp_af_table[af].name);
	}
	bgp_adjout_attach(rib, &ops);
	bgp_rib_add_hook(rib, flush_soon, NULL);
}

static void instance_start(struct bgp *b)
{
	char err[200];
	int nsfd = b->vrf ? b->vrf->nsfd : -1;
	struct bgp_peer *p;

	if (b->vrf != NULL && nsfd < 0) {
		log_warnx("BGP VRF %s: namespace not ready; sessions wait", b->vrf_name);
		return;
	}
	if (b->listen == NULL && bgp_listen_start(b, nsfd, err, sizeof(err)) != 0)
		log_warnx("BGP%s%s: cannot listen: %s", b->vrf ? " VRF " : "", b->vrf_name, err);
	for (p = b->peers; p != NULL; p = p->next)
		if (!p->cfg.shutdown && (p->cfg.remote_as != 0 || p->cfg.as_type == BGP_AS_EXTERNAL))
			peer_start(p);
}

static void instance_created(struct bgp *b)
{
	struct vpn_state *vs = xcalloc(1, sizeof(*vs));

	vs->label = MPLS_LABEL_NONE;
	b->vpn = vs;
	rib_setup(b, BGP_AF_IPV4_UNICAST);
	rib_setup(b, BGP_AF_IPV6_UNICAST);
	if (b->vrf == NULL) {
		rib_setup(b, BGP_AF_VPNV4);
		rib_setup(b, BGP_AF_VPNV6);
	}
	if (running)
		instance_start(b);
}

static void instance_deleted(struct bgp *b)
{
	int af;

	if (b->vrf != NULL) {
		b->export_vpn = false;
		b->import_vpn = false;
		vpn_vrf_refresh(b); /* withdraws exports and imports */
		vpn_vrf_leak_withdraw(b); /* and what `import vrf` took from it */
	}
	bgp_listen_stop(b);
	for (af = 0; af < BGP_AF_MAX; af++)
		if (b->rib[af] != NULL) {
			bgp_rib_free(b->rib[af]);
			b->rib[af] = NULL;
		}
	vpn_state_free(b);
}

static void peer_created(struct bgp_peer *p)
{
	if (running && !p->cfg.shutdown)
		peer_start(p);
}

static void peer_routes_drop(struct bgp_peer *p)
{
	int af;

	p->draining = false;
	for (af = 0; af < BGP_AF_MAX; af++)
		if (p->bgp->rib[af] != NULL) {
			bgp_adjout_peer_down(p->bgp->rib[af], p);
			bgp_rib_withdraw_peer(p->bgp->rib[af], p);
		}
}

/* A lost session's paths go DRAIN_STEP at a time per turn of the event
 * loop: marked stale at once (a new session's announcements take them
 * back, as after a graceful restart), then swept. Withdrawing 100,000 paths
 * in one go held the loop for seconds, and BFD, which runs in it, dropped
 * the sessions to the other PEs. */
#define DRAIN_STEP 256

static void drain_cb(evutil_socket_t fd, short what, void *arg)
{
	size_t budget = DRAIN_STEP;
	struct bgp *b;
	struct bgp_peer *p;
	int af;

	(void)fd;
	(void)what;
	(void)arg;
	for (b = bgp_first(); b != NULL; b = bgp_next(b))
		for (p = b->peers; p != NULL; p = p->next) {
			bool left = false;

			if (!p->draining)
				continue;
			for (af = 0; af < BGP_AF_MAX; af++) {
				size_t n;

				if (b->rib[af] == NULL || budget == 0) {
					left |= b->rib[af] != NULL;
					continue;
				}
				n = bgp_rib_sweep_stale_some(b->rib[af], p, budget);
				left |= n == budget;
				budget -= n;
			}
			if (left) {
				event_add(drain_ev, &(struct timeval){ 0, 0 });
				return;
			}
			p->draining = false;
			if (p->state != BGP_ST_ESTABLISHED) { /* frees its empty Adj-RIB-In */
				for (af = 0; af < BGP_AF_MAX; af++)
					if (b->rib[af] != NULL)
						bgp_rib_withdraw_peer(b->rib[af], p);
				peer_lost(p, false); /* its paths are gone: nothing to protect */
			}
		}
}

static void peer_routes_drain(struct bgp_peer *p)
{
	int af;

	if (drain_ev == NULL) {
		peer_routes_drop(p);
		return;
	}
	for (af = 0; af < BGP_AF_MAX; af++)
		if (p->bgp->rib[af] != NULL) {
			bgp_adjout_peer_down(p->bgp->rib[af], p);
			bgp_rib_mark_peer_stale(p->bgp->rib[af], p);
		}
	p->draining = true;
	event_add(drain_ev, &(struct timeval){ 0, 0 });
}

static void peer_deleted(struct bgp_peer *p)
{
	mp_restart_cancel(p);
	bgp_peer_free_session(p); /* (its down hook runs first) */
	bgp_gr_peer_deleted(p);
	peer_routes_drop(p);
	peer_lost(p, false);
	bgp_rtc_peer_down(p);
}

static void peer_changed(struct bgp_peer *p, bool needs_reset)
{
	if (!running)
		return;
	if (p->cfg.shutdown) {
		bgp_peer_stop(p, BGP_CEASE_ADMIN_SHUTDOWN);
		bgp_gr_flush(p); /* routes kept for a restarting peer go with it */
		return;
	}
	if (!needs_reset && p->state == BGP_ST_ESTABLISHED) {
		int af;

		/* an outbound knob (soo, as-override, next-hop-self...): resend the diff */
		bgp_rtc_peer_changed(p); /* route reflector client: the default membership */
		for (af = 0; af < BGP_AF_MAX; af++)
			if (p->af_nego[af] && p->bgp->rib[af] != NULL)
				bgp_adjout_refresh(p->bgp->rib[af], p);
		return;
	}
	if (needs_reset && p->state != BGP_ST_IDLE)
		bgp_peer_stop(p, BGP_CEASE_CONFIG_CHANGE);
	if (p->cfg.password[0] || needs_reset)
		bgp_listen_md5_update(p);
	peer_start(p);
}

static void vpn_cfg_changed(struct bgp *b)
{
	int af;

	for (af = 0; af < BGP_AF_MAX; af++)
		if (b->rib[af] != NULL)
			bgp_rib_set_backup(b->rib[af], pic_wanted(b, (enum bgp_af)af));

	for (af = 0; af < BGP_AF_MAX; af++)
		if (b->rib[af] != NULL && !bgp_af_is_vpn(af)) {
			int fi = af_index(bgp_af_family(af));

			bgp_rib_set_always_compare_med(b->rib[af], b->always_compare_med);
			bgp_rib_set_maxpaths(b->rib[af], b->maxpaths[fi], b->maxpaths_ibgp[fi]);
		}
	speaker_redistribute_refresh(b);
	if (b->vrf != NULL)
		vpn_vrf_refresh(b);
	if (running && (b = bgp_lookup(NULL)) != NULL)
		bgp_rtc_local_changed(b); /* `rt vpn import` changes what the VRFs import */
}

/* The VRF block's `rd` / `route-target` changed: as for `rd vpn export`. */
void speaker_vrf_cfg_changed(struct vrf *vrf)
{
	struct bgp *b;

	for (b = bgp_first(); b != NULL; b = bgp_next(b))
		if (b->vrf == vrf && running)
			vpn_vrf_refresh(b);
	if (running && (b = bgp_lookup(NULL)) != NULL)
		bgp_rtc_local_changed(b); /* its import route targets may have changed */
}

/* ---- session hooks ---- */

static void established(struct bgp_peer *p)
{
	peer_lost(p, false);
	char pb[IPADDR_STRLEN];
	int af;

	if (bgp_debug_events)
		log_info("BGP peer %s Established (hold %u, keepalive %u, as4 %s)", bgp_peer_str(p, pb, sizeof(pb)), p->holdtime, p->keepalive, p->as4 ? "yes" : "no");
	bgp_gr_established(p); /* stale routes it cannot keep go first */
	/* RFC 4684 6: our memberships first, so that the peer's VPN routes
	 * toward us are filtered from the start */
	bgp_rtc_peer_up(p);
	if (bgp_gr_hold_updates(p)) {
		log_info("BGP peer %s: our routes wait until our restart completes (RFC 4724 4.1)",
			 bgp_peer_str(p, pb, sizeof(pb)));
		return;
	}
	for (af = 0; af < BGP_AF_MAX; af++)
		if (p->af_nego[af] && p->bgp->rib[af] != NULL)
			bgp_adjout_peer_up(p->bgp->rib[af], p);
}

/* Our restart completed: the routes and End-of-RIB held back. */
static void restart_release(struct bgp_peer *p)
{
	for (int af = 0; af < BGP_AF_MAX; af++)
		if (p->af_nego[af] && p->bgp->rib[af] != NULL && p->adj_out[af] == NULL)
			bgp_adjout_peer_up(p->bgp->rib[af], p);
}

void speaker_restart_done(void)
{
	bgp_gr_restart_done(restart_release);
}

void speaker_close_quietly(void)
{
	bgp_sessions_close_quietly();
}

static void down(struct bgp_peer *p, const char *reason)
{
	char pb[IPADDR_STRLEN];
	log_info("BGP peer %s down: %s", bgp_peer_str(p, pb, sizeof(pb)), reason);
	if (!bgp_gr_peer_down(p)) { /* a restarting peer's routes stay, stale (RFC 4724) */
		/* PIC edge: forwarding leaves the peer first (one write), then
		 * its paths go */
		peer_lost(p, true);
		peer_routes_drain(p);
	} else {
		p->draining = false; /* graceful restart's timers own its stale paths now */
	}
	bgp_rtc_peer_down(p);
}

static void log_update(const struct bgp_peer *p, const struct bgp_update *u)
{
	char pb[IPADDR_STRLEN];
	log_warnx("BGP peer %s: UPDATE %s: %s", bgp_peer_str(p, pb, sizeof(pb)),
		  u->action == BGP_UPD_TREAT_AS_WITHDRAW ? "treated as withdraw"
		  : u->action == BGP_UPD_ATTR_DISCARD   ? "attribute discarded"
							: "session reset",
		  u->reason);
}

/* maximum-prefix exceeded: Cease/1 (RFC 4486), and the session stays down
 * until `clear bgp`, or for `restart M` minutes. */
struct mp_restart {
	struct mp_restart *next;
	struct bgp_peer *peer;
	struct event *ev;
};
static struct mp_restart *mp_restarts;

static void mp_restart_cancel(struct bgp_peer *p)
{
	struct mp_restart **rp, *r;

	for (rp = &mp_restarts; (r = *rp) != NULL; rp = &r->next)
		if (r->peer == p) {
			*rp = r->next;
			event_free(r->ev);
			free(r);
			return;
		}
}

static void mp_restart_cb(evutil_socket_t fd, short what, void *arg)
{
	char pb[IPADDR_STRLEN];
	struct bgp_peer *p = arg;

	(void)fd;
	(void)what;
	mp_restart_cancel(p);
	log_info("BGP peer %s: maximum-prefix restart", bgp_peer_str(p, pb, sizeof(pb)));
	if (!p->cfg.shutdown)
		peer_start(p);
}

static void max_prefix_down(struct bgp_peer *p)
{
	struct timeval tv = { (time_t)p->cfg.max_prefix_restart * 60, 0 };
	struct mp_restart *r;

	bgp_peer_stop(p, BGP_CEASE_MAX_PREFIX);
	if (p->cfg.max_prefix_restart == 0 || evbase == NULL)
		return;
	mp_restart_cancel(p);
	r = xcalloc(1, sizeof(*r));
	r->peer = p;
	r->ev = evtimer_new(evbase, mp_restart_cb, p);
	evtimer_add(r->ev, &tv);
	r->next = mp_restarts;
	mp_restarts = r;
}

static void update(struct bgp_peer *p, const uint8_t *body, size_t len)
{
	char pb[IPADDR_STRLEN];
	struct bgp *b = p->bgp;
	struct bgp_decode_ctx ctx;
	struct bgp_update u;
	struct bgp_rib_src src = { BGP_SRC_PEER, p, NULL, NULL };
	const struct bgp_attr *ia = NULL;
	int af, i;

	memset(&ctx, 0, sizeof(ctx));
	ctx.as4 = p->as4;
	ctx.ebgp = bgp_peer_ebgp(p, b->asn);
	ctx.local_as = b->asn;
	/* `no bgp enforce-first-as`: an eBGP path need not start with the
	 * neighbor's AS (route servers) */
	ctx.peer_as = b->no_enforce_first_as ? 0 : p->cfg.remote_as;
	for (af = 0; af < BGP_AF_MAX; af++)
		ctx.af[af] = p->af_nego[af];
	ctx.rtc = p->rtc_nego;
	bgp_update_init(&u);
	bgp_update_decode(body, len, &ctx, &u);
	if (bgp_debug_updates)
		for (af = 0; af < BGP_AF_MAX; af++)
			if (u.reach[af].n || u.withdrawn[af].n || u.eor[af])
				log_info("BGP peer %s: UPDATE %s: %d announced, %d withdrawn%s%s%s", bgp_peer_str(p, pb, sizeof(pb)),
					 bgp_af_table[af].name, u.reach[af].n, u.withdrawn[af].n,
					 u.eor[af] ? ", End-of-RIB" : "", u.reason[0] ? ": " : "", u.reason);
	if (u.action == BGP_UPD_SESSION_RESET) {
		p->cnt.updates_reset++;
		log_update(p, &u);
		bgp_peer_reset(p, u.code, u.subcode, u.errdata, u.errdata_len);
		bgp_update_free(&u);
		return;
	}
	if (u.action == BGP_UPD_TREAT_AS_WITHDRAW) {
		p->cnt.updates_treat_as_withdraw++;
		log_update(p, &u);
	} else if (u.action == BGP_UPD_ATTR_DISCARD) {
		p->cnt.updates_attr_discard++;
		log_update(p, &u);
	}
	bgp_rtc_input(p, &u, u.action == BGP_UPD_TREAT_AS_WITHDRAW);
	for (af = 0; af < BGP_AF_MAX; af++) {
		struct bgp_rib *rib = b->rib[af];
		bool pol = bgp_peer_has_policy(p, (enum bgp_af)af, BGP_DIR_IN) ||
			   bgp_ebgp_policy_missing(p, (enum bgp_af)af, BGP_DIR_IN);

		if (rib == NULL || !p->af_nego[af])
			continue;
		for (i = 0; i < u.withdrawn[af].n; i++)
			bgp_rib_withdraw(rib, &src, &u.withdrawn[af].v[i].p);
		if (u.reach[af].n == 0)
			continue;
		if (u.action == BGP_UPD_TREAT_AS_WITHDRAW) {
			for (i = 0; i < u.reach[af].n; i++)
				bgp_rib_withdraw(rib, &src, &u.reach[af].v[i].p);
			continue;
		}
		if (ia == NULL) {
			/* RFC 4364 7: routes from a CE get the site's Site of Origin */
			if (af == BGP_AF_IPV4_UNICAST && p->cfg.soo.b[1] == ECOMM_SUB_SOO &&
			    !ecomm_has(&u.attr, &p->cfg.soo)) {
				u.attr.ecomms = xrealloc(u.attr.ecomms, ((size_t)u.attr.necomms + 1) *
									 sizeof(*u.attr.ecomms));
				u.attr.ecomms[u.attr.necomms++] = p->cfg.soo;
				u.attr.present |= BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES);
			}
			ia = bgp_attr_intern(&u.attr);
		}
		/* RFC 4271 9.1.2 / RFC 4456 8 loops (our AS beyond allowas-in, our
		 * originator id, our cluster id) are dropped at input, as FRR does:
		 * like a withdraw, never kept as an invalid path nor counted in
		 * pfxRcd; the count of such routes is kept per peer */
		if (bgp_rib_path_looped(b, p, ia)) {
			p->cnt.loop_dropped[af] += u.reach[af].n;
			for (i = 0; i < u.reach[af].n; i++)
				bgp_rib_withdraw(rib, &src, &u.reach[af].v[i].p);
			continue;
		}
		if (af == BGP_AF_IPV4_UNICAST && u.attr.nexthop.af != AF_INET) {
			/* IPv4 NLRI beside an MP_REACH of another family: their own
			 * next hop is the NEXT_HOP attribute */
			struct bgp_attr a4;
			const struct bgp_attr *ia4;

			bgp_attr_init(&a4);
			bgp_attr_copy(&a4, ia);
			a4.nexthop = u.nexthop_attr;
			ia4 = bgp_attr_intern(&a4);
			bgp_attr_clear(&a4);
			for (i = 0; i < u.reach[af].n; i++)
				bgp_policy_ingest(rib, p, pol, &u.reach[af].v[i], ia4);
			bgp_attr_unref(ia4);
			continue;
		}
		for (i = 0; i < u.reach[af].n; i++)
			bgp_policy_ingest(rib, p, pol, &u.reach[af].v[i], ia);
	}
	if (ia != NULL)
		bgp_attr_unref(ia);
	for (af = 0; af < BGP_AF_MAX; af++)
		if (u.eor[af] && p->af_nego[af]) {
			p->eor_rcvd[af] = true;
			bgp_gr_eor(p, af); /* what the restarted peer did not announce again goes */
		}
	bgp_update_free(&u);
	/* maximum-prefix (after the UPDATE, as FRR) */
	for (af = 0; af < BGP_AF_MAX; af++) {
		size_t n;

		if (b->rib[af] == NULL)
			continue;
		n = bgp_rib_peer_path_count(b->rib[af], p);
		p->cnt.prefixes_received[af] = n;
		if (p->cfg.max_prefix[af] == 0 || n <= p->cfg.max_prefix[af])
			continue;
		log_warnx("BGP peer %s: %zu prefixes exceed maximum-prefix %u%s", bgp_peer_str(p, pb, sizeof(pb)), n, p->cfg.max_prefix[af],
			  p->cfg.max_prefix_warning_only[af] ? " (warning only)" : "");
		if (!p->cfg.max_prefix_warning_only[af]) {
			max_prefix_down(p);
			return;
		}
	}
}

static void route_refresh(struct bgp_peer *p, int af)
{
	if (af >= 0 && af < BGP_AF_MAX && p->bgp->rib[af] != NULL) {
		bgp_adjout_peer_down(p->bgp->rib[af], p);
		bgp_adjout_peer_up(p->bgp->rib[af], p);
	}
}

static uint32_t hook_router_id(const struct bgp *bgp)
{
	return bgp_effective_router_id(bgp);
}

static uint32_t auto_router_id(void)
{
	return router_id_fn ? router_id_fn() : 0;
}

/* ---- redistribution: VRF routing table -> BGP ---- */

static void redist_one(struct bgp *b, const struct prefix *pfx, const struct rib_route *sel)
{
	enum bgp_af uaf = pfx->af == AF_INET6 ? BGP_AF_IPV6_UNICAST : BGP_AF_IPV4_UNICAST;
	struct bgp_rib *rib = b->rib[uaf];
	struct bgp_rib_src src = { BGP_SRC_LOCAL, NULL, b, NULL };
	struct bgp_nlri n;
	int fi = af_index(pfx->af);
	bool redist = sel != NULL && ((sel->proto == RIB_CONNECTED && b->redist_connected[fi]) ||
				      (sel->proto == RIB_STATIC && b->redist_static[fi]));
	bool network = false;
	struct bgp_network *net;
	const char *rmap = NULL;
	uint32_t weight = 32768; /* local routes: FRR's weight */

	if (rib == NULL)
		return;
	if (pfx->af == AF_INET6 && redist && sel->proto == RIB_CONNECTED && pfx->v6[0] == 0xfe &&
	    (pfx->v6[1] & 0xc0) == 0x80)
		redist = false; /* link-local subnets are never redistributed */
	memset(&n, 0, sizeof(n));
	n.p.pfx = *pfx;
	if ((net = bgp_network_find(b, uaf, &n.p)) != NULL) {
		network = true;
		rmap = net->route_map;
	}
	/* `bgp network import-check` (FRR's default): a network only while the
	 * table has a route of its prefix (not one of BGP's own) */
	if (network && !b->no_import_check && (sel == NULL || sel->proto == RIB_BGP))
		network = false;
	if (!network && redist)
		rmap = b->redist_rmap[sel->proto == RIB_CONNECTED ? 0 : 1][fi];
	if (!redist && !network) {
		bgp_rib_withdraw(rib, &src, &n.p);
		return;
	}
	{
		struct bgp_attr a;
		const struct bgp_attr *ia;

		bgp_attr_init(&a);
		a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
			    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		a.origin = network ? BGP_ORIGIN_IGP : BGP_ORIGIN_INCOMPLETE;
		if (sel != NULL) {
			a.present |= BGP_ATTR_BIT(BGP_ATTR_MED);
			a.med = sel->metric;
			a.nexthop = sel->nh[0].gw;
		}
		/* `network P route-map` / `redistribute ... route-map`: deny = not originated */
		if (!bgp_policy_local(rmap, &n.p, &a, &weight)) {
			bgp_attr_clear(&a);
			bgp_rib_withdraw(rib, &src, &n.p);
			return;
		}
		ia = bgp_attr_intern(&a);
		bgp_attr_clear(&a);
		bgp_rib_update(rib, &src, &n, ia, weight);
		bgp_attr_unref(ia);
	}
}

static struct bgp *instance_of_vrf(const struct vrf *vrf)
{
	struct bgp *b;

	for (b = bgp_first(); b != NULL; b = bgp_next(b))
		if ((b->vrf == NULL && vrf->id == VRF_DEFAULT_ID) || b->vrf == vrf)
			return b;
	return NULL;
}

/* Called by the VRF tables on every change of a selected route, from inside
 * their own processing: the change is queued and handled from the event
 * loop, so BGP never modifies a VRF table re-entrantly. */
struct redist_item {
	uint32_t vrf_id;
	struct prefix pfx;
};
static struct redist_item *redist_q;
static size_t redist_n, redist_cap;
static struct event *redist_ev;

static void redist_cb(evutil_socket_t fd, short what, void *arg)
{
	size_t i, n = redist_n;
	struct redist_item *q = redist_q;

	(void)fd;
	(void)what;
	(void)arg;
	redist_q = NULL;
	redist_n = redist_cap = 0;
	for (i = 0; i < n; i++) {
		struct vrf *vrf = vrf_lookup_id(q[i].vrf_id);
		struct bgp *b = vrf ? instance_of_vrf(vrf) : NULL;
		struct rib_dest *d;

		if (b == NULL)
			continue;
		d = rib_lookup_exact(vrf->rib, &q[i].pfx);
		if (d != NULL && d->selected != NULL && d->selected->proto == RIB_BGP)
			continue; /* ours: never redistributed back */
		redist_one(b, &q[i].pfx, d ? d->selected : NULL);
	}
	free(q);
}

void speaker_vrf_route_changed(struct vrf *vrf, const struct rib_dest *d)
{
	if (!running)
		return;
	if (vrf->id == VRF_DEFAULT_ID)
		reval_request();
	if (instance_of_vrf(vrf) == NULL)
		return;
	if (redist_n == redist_cap) {
		redist_cap = redist_cap ? redist_cap * 2 : 64;
		redist_q = xrealloc(redist_q, redist_cap * sizeof(*redist_q));
	}
	redist_q[redist_n].vrf_id = vrf->id;
	redist_q[redist_n].pfx = d->pfx;
	redist_n++;
	event_active(redist_ev, 0, 0);
}

struct redist_walk {
	struct bgp *b;
};

static int redist_walk_fn(void *arg, struct rib_dest *d)
{
	struct redist_walk *w = arg;

	if (d->selected == NULL || d->selected->proto != RIB_BGP)
		redist_one(w->b, &d->pfx, d->selected);
	return 0;
}

void speaker_redistribute_refresh(struct bgp *b)
{
	struct vrf *vrf = b->vrf ? b->vrf : vrf_default();
	struct redist_walk w = { b };
	struct bgp_network *net;

	if (!running)
		return;
	rib_walk(vrf->rib, redist_walk_fn, &w);
	/* networks without a route in the table */
	for (net = b->networks; net != NULL; net = net->next)
		if ((net->af == BGP_AF_IPV4_UNICAST || net->af == BGP_AF_IPV6_UNICAST) &&
		    rib_lookup_exact(vrf->rib, &net->p.pfx) == NULL)
			redist_one(b, &net->p.pfx, NULL);
	speaker_vpn_networks_refresh();
}

/* `network P rd RD label L` under address-family ipv4 vpn */
void speaker_vpn_networks_refresh(void)
{
	struct bgp *def = bgp_default_instance();
	struct bgp_network *net;
	struct bgp_rib_src src = { BGP_SRC_LOCAL, NULL, NULL, NULL };

	if (def == NULL)
		return;
	src.origin_bgp = def;
	for (net = def->networks; net != NULL; net = net->next) {
		struct bgp_nlri n;
		struct bgp_attr a;
		const struct bgp_attr *ia;

		if (!bgp_af_is_vpn(net->af) || def->rib[net->af] == NULL)
			continue;
		memset(&n, 0, sizeof(n));
		n.p = net->p;
		n.nlabels = 1;
		n.labels[0] = net->label;
		bgp_attr_init(&a);
		a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
		a.origin = BGP_ORIGIN_IGP;
		ia = bgp_attr_intern(&a);
		bgp_attr_clear(&a);
		bgp_rib_update(def->rib[net->af], &src, &n, ia, 32768);
		bgp_attr_unref(ia);
	}
}

/* ---- life cycle ---- */

void speaker_init(uint32_t (*rid)(void), const struct speaker_label_ops *lops)
{
	struct bgp_ops ops;

	router_id_fn = rid;
	memset(&ops, 0, sizeof(ops));
	ops.instance_created = instance_created;
	ops.instance_deleted = instance_deleted;
	ops.peer_created = peer_created;
	ops.peer_deleted = peer_deleted;
	ops.peer_changed = peer_changed;
	ops.peer_policy_changed = bgp_policy_soft;
	ops.vpn_changed = vpn_cfg_changed;
	ops.auto_router_id = auto_router_id;
	ops.label_alloc = lops->alloc;
	ops.label_alloc_specific = lops->alloc_specific;
	ops.label_release = lops->release;
	bgp_set_ops(&ops);
}

/* After the startup configuration: listeners, sessions, local routes. */
void speaker_start(struct event_base *base)
{
	static struct bgp_session_hooks h;
	struct bgp *b;

	evbase = base;
	bgp_rtc_start(base);
	bgp_gr_start(base);
	memset(&h, 0, sizeof(h));
	h.established = established;
	h.down = down;
	h.update = update;
	h.route_refresh = route_refresh;
	h.router_id = hook_router_id;
	bgp_session_init(base, &h);
	flush_ev = event_new(base, -1, 0, flush_cb, NULL);
	reval_ev = event_new(base, -1, 0, reval_cb, NULL);
	drain_ev = event_new(base, -1, 0, drain_cb, NULL);
	redist_ev = event_new(base, -1, 0, redist_cb, NULL);
	mem_ev = evtimer_new(base, mem_cb, NULL);
	bgp_mem_set_freed_hook(mem_freed, BGP_MEM_COMPACT_AFTER);
	bgp_aggregate_start(base);
	/* a policy object changed: soft reconfiguration, coalesced by policy.c */
	policy_set_event_base(base);
	policy_set_change_hook(bgp_policy_changed);
	running = true;
	for (b = bgp_first(); b != NULL; b = bgp_next(b)) {
		instance_start(b);
		speaker_redistribute_refresh(b);
		if (b->vrf != NULL)
			vpn_vrf_refresh(b);
	}
}

void speaker_fini(void)
{
	running = false;
	policy_set_change_hook(NULL);
	while (mp_restarts != NULL)
		mp_restart_cancel(mp_restarts->peer);
	bgp_aggregate_stop();
	bgp_fini();
	bgp_rtc_fini();
	if (flush_ev != NULL)
		event_free(flush_ev);
	if (reval_ev != NULL)
		event_free(reval_ev);
	if (drain_ev != NULL)
		event_free(drain_ev);
	drain_ev = NULL;
	memset(&rv, 0, sizeof(rv));
	if (redist_ev != NULL)
		event_free(redist_ev);
	bgp_mem_set_freed_hook(NULL, BGP_MEM_COMPACT_AFTER);
	if (mem_ev != NULL)
		event_free(mem_ev);
	mem_ev = NULL;
	flush_ev = reval_ev = redist_ev = NULL;
	free(redist_q);
	redist_q = NULL;
	redist_n = redist_cap = 0;
}
