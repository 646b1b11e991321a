/* Which I/O backend serves each dataplane port, and the XDP side of the
 * control plane (see fwd_ctl.h, xdp.h):
 *
 *   dataplane backend xdp|packet     (global; default xdp)
 *   interface IF / dataplane backend xdp|packet   (per interface)
 *
 * xdp: the port's receive side is the XDP program (xdp.c), which forwards
 * the common cases in the driver and hands the rest to the worker through
 * the slow-path ring; the worker keeps a transmit-only AF_PACKET socket on
 * the port for what the C pipeline sends (ICMP errors, slow-path frames).
 * packet: the AF_PACKET worker does everything, as before XDP.
 * Where XDP is chosen but cannot run (no BPF, no native XDP in the driver,
 * another program attached), the port falls back to packet and the reason
 * is logged and shown in `show dataplane`. A port the kernel will not
 * redirect into (a veth whose peer has no NAPI: GRO off and no XDP program
 * there; the device's xdp_features say so) stops being a redirect target
 * while that lasts: frames toward it take the slow path.
 *
 * Every write to struct fwd_tables in fwd_ctl.c is mirrored here into the
 * maps with the same objects (be_*), before the old object is released. */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/ethtool.h"
#include "lib/log.h"
#include "lib/prefix.h"
#include "pe/fwd/fwd_ctl.h"
#include "pe/fwd/fwd_ctl_priv.h"
#include "pe/fwd/worker.h"
#include "pe/fwd/xdp.h"
#include "pe/iface.h"
#include "pe/ped.h"
#include "vrf/fib.h"
#include "vrf/fib6.h"
#include "vrf/vrf.h"

#define XDP_NODES_DEFAULT 2048 /* XF_LPM_NODES, xdp.h */

struct be_override {
	char name[16];
	enum fwd_backend be;
};

static struct {
	struct fwd_xdp *x;      /* NULL: XDP unavailable (why) */
	bool tried;
	char why[160];
	enum fwd_backend dflt;
	struct be_override *ov;
	size_t nov;
	size_t nodes;           /* `dataplane xdp route-nodes`, 0: the default */
	struct event *ev_check;
	char adopt_dir[256];    /* hitless restart: a previous ped's pins, "" none */
	int adopted;            /* ports running on an adopted link */
} be;

const char *fwd_backend_name(enum fwd_backend b)
{
	return b == FWD_BE_XDP ? "xdp" : "packet";
}

static enum fwd_backend configured(const char *ifname)
{
	size_t i;

	for (i = 0; i < be.nov; i++)
		if (strcmp(be.ov[i].name, ifname) == 0)
			return be.ov[i].be;
	return be.dflt;
}

/* ---- the slow path (worker thread) ---- */

struct slow_ctx {
	struct fwd_pkt *pkts;
	unsigned n, max;
};

static void slow_frame(void *arg, uint16_t in_port, const uint8_t *data, uint16_t len)
{
	struct slow_ctx *c = arg;
	struct fwd_pkt *p;

	if (c->n >= c->max || len > FWD_BUF_SIZE - FWD_HEADROOM)
		return;
	p = &c->pkts[c->n++];
	memcpy(p->data, data, len);
	p->len = len;
	p->in_port = in_port;
}

static void slow_resolve(void *arg, uint16_t port, uint32_t ip)
{
	struct ipaddr a = ipaddr_v4(ip);

	(void)arg;
	fwd_worker_resolve(fc.w, port, &a);
}

static unsigned slow_poll(void *arg, struct fwd_pkt *pkts, unsigned max)
{
	struct slow_ctx c = { pkts, 0, max };

	fwd_xdp_slow_poll(arg, max, slow_frame, slow_resolve, &c);
	return c.n;
}

/* ---- XDP availability ---- */

static int port_nsfd(uint16_t idx)
{
	struct vrf *vrf;

	if (!fc.port[idx].used || fc.port[idx].vrf_id == VRF_DEFAULT_ID ||
	    (vrf = vrf_lookup_id(fc.port[idx].vrf_id)) == NULL)
		return -1;
	return vrf->nsfd;
}

static struct fwd_xdp *xdp(void)
{
	if (be.x == NULL && !be.tried) {
		be.tried = true;
		if (be.nodes != 0)
			fwd_xdp_set_lpm_nodes(be.nodes);
		be.x = fwd_xdp_new(be.why, sizeof(be.why));
		if (be.x == NULL) {
			log_warnx("dataplane: XDP unavailable (%s): the AF_PACKET worker serves every port",
				  be.why);
		} else {
			bool run = fc.running;
			int i;

			/* everything published so far, VRF FIBs included; ports
			 * already served by the worker are no redirect targets */
			if (be.adopt_dir[0])
				fwd_xdp_adopt(be.x, be.adopt_dir);
			fwd_xdp_sync(be.x, fc.t, port_nsfd);
			for (i = 0; i < FWD_MAX_PORTS; i++)
				if (fc.port[i].used)
					be_port_cfg(i, atomic_load(&fc.t->port[i]), port_nsfd((uint16_t)i));
			if (run)
				fwd_worker_stop(fc.w);
			fwd_worker_set_slow(fc.w, fwd_xdp_slow_fd(be.x), slow_poll, be.x);
			if (run && fwd_worker_start(fc.w, -1) != 0)
				fc.running = false;
		}
	}
	return be.x;
}

/* ---- ports ---- */

static void target_check(int idx);

/* The AF_PACKET worker reads frames of at most one MTU: GRO would hand it
 * TCP segments merged into one large frame (dropped as too long), so a
 * port it serves gets GRO off, and its earlier state back when XDP takes
 * the port again or the port closes. A veth without GRO (and without an
 * XDP program) is no redirect target for its peer's XDP: the neighbour's
 * ped sees that in xdp_features and sends through its slow path instead
 * (target_check), so the link stays correct at AF_PACKET speed. */
static void gro_for_packet(struct port *p, const char *ifname, int nsfd, bool packet)
{
	bool on = false;
	int rc;

	if (packet && !p->gro_off) {
		if (eth_get_gro_ns(nsfd, ifname, &on) != 0 || !on)
			return;
		if ((rc = eth_set_gro_ns(nsfd, ifname, false)) != 0) {
			log_warnx("dataplane: port %s: cannot turn GRO off: %s", ifname, strerror(-rc));
			return;
		}
		p->gro_off = true;
	} else if (!packet && p->gro_off) {
		if ((rc = eth_set_gro_ns(nsfd, ifname, true)) != 0)
			log_warnx("dataplane: port %s: cannot turn GRO back on: %s", ifname,
				  strerror(-rc));
		p->gro_off = false;
	}
}

enum fwd_port_kind be_port_open(int idx, const char *ifname, int nsfd, int ifindex,
				const struct fwd_port_cfg *cfg, enum fwd_port_kind kind)
{
	struct port *p = &fc.port[idx];
	char err[200];
	int rc;

	p->backend = FWD_BE_PACKET;
	p->peer_broken = false;
	if (configured(ifname) == FWD_BE_PACKET) {
		snprintf(p->be_why, sizeof(p->be_why), "configured");
		gro_for_packet(p, ifname, nsfd, true);
		return kind;
	}
	if (xdp() == NULL) {
		snprintf(p->be_why, sizeof(p->be_why), "XDP unavailable: %s", be.why);
		gro_for_packet(p, ifname, nsfd, true);
		return kind;
	}
	/* the maps know the port before its program runs */
	fwd_xdp_set_port(be.x, (uint16_t)idx, cfg, nsfd, false);
	if ((rc = fwd_xdp_adopt_port(be.x, (uint16_t)idx, ifname, nsfd, ifindex, err,
				     sizeof(err))) > 0) {
		be.adopted++;
		log_info("dataplane: port %s: the previous ped's program forwards until the "
			 "restart completes", ifname);
	} else if (rc < 0 ||
		   fwd_xdp_attach(be.x, (uint16_t)idx, nsfd, ifindex, err, sizeof(err)) != 0) {
		snprintf(p->be_why, sizeof(p->be_why), "%s", err);
		fwd_xdp_set_port(be.x, (uint16_t)idx, cfg, nsfd, true);
		log_warnx("dataplane: port %s: %s; AF_PACKET worker instead", ifname, err);
		gro_for_packet(p, ifname, nsfd, true);
		return kind;
	}
	gro_for_packet(p, ifname, nsfd, false);
	p->backend = FWD_BE_XDP;
	p->be_why[0] = '\0';
	p->peer_broken = false;
	target_check(idx);
	return FWD_PORT_TXONLY;
}

void be_port_cfg(int idx, const struct fwd_port_cfg *cfg, int nsfd)
{
	struct port *p = &fc.port[idx];

	if (be.x != NULL)
		fwd_xdp_set_port(be.x, (uint16_t)idx, cfg, nsfd,
				 p->backend != FWD_BE_XDP || p->peer_broken);
}

void be_port_close(int idx)
{
	struct port *p = &fc.port[idx];

	if (p->gro_off) { /* the interface may be gone already: then nothing to restore */
		eth_set_gro_ns(port_nsfd((uint16_t)idx), p->name, true);
		p->gro_off = false;
	}
	if (be.x == NULL)
		return;
	if (fwd_xdp_adopting(be.x, (uint16_t)idx) && be.adopted > 0)
		be.adopted--;
	fwd_xdp_detach(be.x, (uint16_t)idx);
	fwd_xdp_set_port(be.x, (uint16_t)idx, NULL, -1, false);
	fwd_xdp_set_neigh(be.x, (uint16_t)idx, atomic_load(&fc.t->neigh[idx]), NULL);
	fwd_xdp_set_neigh6(be.x, (uint16_t)idx, atomic_load(&fc.t->neigh6[idx]), NULL);
}

/* A veth refuses frames redirected into it while its peer has no NAPI (GRO
 * off and no XDP program there): the kernel says so in the device's
 * xdp_features (no NDO_XMIT), and drops such frames after our program
 * counted them sent. Such a port is no redirect target: frames toward it
 * take the slow path until the peer changes (checked every second). */
static void target_check(int idx)
{
	struct port *p = &fc.port[idx];
	struct vrf *vrf = vrf_lookup_id(p->vrf_id);
	int nsfd = p->vrf_id && vrf ? vrf->nsfd : -1, ok;
	bool broken;

	if (!p->used || p->backend != FWD_BE_XDP || (p->vrf_id && vrf == NULL))
		return;
	ok = eth_xdp_redirect_target_ok(nsfd, p->ifindex);
	if (ok < 0)
		return; /* cannot tell (old kernel): trust the redirect */
	broken = ok == 0;
	if (broken == p->peer_broken)
		return;
	p->peer_broken = broken;
	if (broken) {
		snprintf(p->be_why, sizeof(p->be_why),
			 "the device refuses redirected frames (a veth whose peer has neither GRO "
			 "nor an XDP program): frames to it go through the slow path");
		log_warnx("dataplane: port %s: %s", p->name, p->be_why);
	} else {
		p->be_why[0] = '\0';
		log_info("dataplane: port %s takes redirected frames again", p->name);
	}
	be_port_cfg(idx, atomic_load(&fc.t->port[idx]), nsfd);
}

static void target_check_cb(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval again = { 1, 0 };
	int i;

	(void)fd;
	(void)what;
	(void)arg;
	for (i = 0; be.x != NULL && i < FWD_MAX_PORTS; i++)
		target_check(i);
	if (be.ev_check != NULL)
		event_add(be.ev_check, &again);
}

/* ---- tables ---- */

void be_nh(uint32_t id, const struct fwd_nh *nh, bool lfib)
{
	if (be.x == NULL)
		return;
	if (lfib)
		fwd_xdp_set_lfib(be.x, id, nh);
	else
		fwd_xdp_set_nh(be.x, id, nh);
}

void be_pe_down(uint32_t slot, bool down)
{
	if (be.x != NULL)
		fwd_xdp_set_pe_down(be.x, slot, down);
}

void be_neigh(int idx, const struct fwd_neigh_tab *old, const struct fwd_neigh_tab *new)
{
	if (be.x != NULL)
		fwd_xdp_set_neigh(be.x, (uint16_t)idx, old, new);
}

void be_neigh6(int idx, const struct fwd_neigh6_tab *old, const struct fwd_neigh6_tab *new)
{
	if (be.x != NULL)
		fwd_xdp_set_neigh6(be.x, (uint16_t)idx, old, new);
}

void be_vrf(uint32_t id, const struct fwd_vrf *old, const struct fwd_vrf *new)
{
	if (be.x != NULL)
		fwd_xdp_set_vrf(be.x, id, old, new);
}

/* A route XDP could not take sends its VRF to the slow path for good: said
 * once per VRF and family (a table that filled up used to log one line per
 * further route: 146,814 lines for 200k routes), with the first prefix. */
static uint8_t route_warned[FWD_MAX_VRFS]; /* bit 0 IPv4, bit 1 IPv6 */

static void route_refused(const struct vrf *vrf, const struct prefix *p, int err)
{
	char buf[PREFIX_STRLEN];
	uint8_t bit = p->af == AF_INET6 ? 2 : 1;

	if (route_warned[vrf->id] & bit)
		return;
	route_warned[vrf->id] |= bit;
	log_warnx("dataplane: VRF %s: %s not in the XDP route table (%s): the VRF is forwarded by the "
		  "slow path from now on%s (said once per VRF)",
		  vrf->name, prefix_ntop(p, buf, sizeof(buf)), strerror(err),
		  err == ENOSPC ? "; `dataplane xdp route-nodes N` makes room" : "");
}

static void fib_changed(void *arg, uint32_t addr, uint8_t len, uint32_t nh)
{
	struct vrf *vrf = arg;

	if (be.x != NULL && vrf->id < FWD_MAX_VRFS &&
	    fwd_xdp_set_route(be.x, vrf->id, addr, len, nh) != 0 && nh != FIB_NH_NONE) {
		struct prefix p = prefix_v4(addr, len);

		route_refused(vrf, &p, errno);
	}
}

static void fib6_changed(void *arg, const uint8_t addr[16], uint8_t len, uint32_t nh)
{
	struct vrf *vrf = arg;
	struct prefix p;

	if (be.x != NULL && vrf->id < FWD_MAX_VRFS &&
	    fwd_xdp_set_route6(be.x, vrf->id, addr, len, nh) != 0 && nh != FIB_NH_NONE) {
		memset(&p, 0, sizeof(p));
		p.af = AF_INET6;
		p.len = len;
		memcpy(p.v6, addr, 16);
		route_refused(vrf, &p, errno);
	}
}

static int fib6_add_walk(const uint8_t addr[16], uint8_t len, uint32_t nh, void *arg)
{
	fib6_changed(arg, addr, len, nh);
	return 0;
}

static int fib6_del_walk(const uint8_t addr[16], uint8_t len, uint32_t nh, void *arg)
{
	(void)nh;
	fib6_changed(arg, addr, len, FIB_NH_NONE);
	return 0;
}

static int fib_add_walk(uint32_t addr, uint8_t len, uint32_t nh, void *arg)
{
	fib_changed(arg, addr, len, nh);
	return 0;
}

static int fib_del_walk(uint32_t addr, uint8_t len, uint32_t nh, void *arg)
{
	(void)nh;
	fib_changed(arg, addr, len, FIB_NH_NONE);
	return 0;
}

/* A VRF's FIBs (both families) are mirrored from its creation (walked
 * once) to its deletion (every route removed before the FIB goes). */
void be_vrf_fib(struct vrf *vrf, bool add)
{
	if (vrf->id < FWD_MAX_VRFS)
		route_warned[vrf->id] = 0; /* a VRF (re)attached or gone: its id may be reused */
	if (add) {
		fib_set_notify(vrf->fib, fib_changed, vrf);
		fib6_set_notify(vrf->fib6, fib6_changed, vrf);
		if (be.x != NULL) {
			fib_walk(vrf->fib, fib_add_walk, vrf);
			fib6_walk(vrf->fib6, fib6_add_walk, vrf);
		}
	} else {
		fib_set_notify(vrf->fib, NULL, NULL);
		fib6_set_notify(vrf->fib6, NULL, NULL);
		if (be.x != NULL) {
			fib_walk(vrf->fib, fib_del_walk, vrf);
			fib6_walk(vrf->fib6, fib6_del_walk, vrf);
		}
	}
}

void be_flags(void)
{
	if (be.x != NULL)
		fwd_xdp_set_flags(be.x, atomic_load(&fc.t->ttl_pipe), atomic_load(&fc.t->icmp_errors));
}

/* ---- counters and show ---- */

static void add(struct fwd_counters *a, const struct fwd_counters *b)
{
	int k, f;

	a->rx_pkts += b->rx_pkts;
	a->rx_bytes += b->rx_bytes;
	a->tx_pkts += b->tx_pkts;
	a->tx_bytes += b->tx_bytes;
	a->punt += b->punt;
	a->icmp_sent += b->icmp_sent;
	a->icmp_limited += b->icmp_limited;
	for (k = 0; k < FWD_DROP_MAX; k++)
		a->drop[k] += b->drop[k];
	for (f = 0; f < 2; f++) {
		a->af[f].tx_pkts += b->af[f].tx_pkts;
		a->af[f].tx_bytes += b->af[f].tx_bytes;
		a->af[f].punt += b->af[f].punt;
		a->af[f].icmp_sent += b->af[f].icmp_sent;
		for (k = 0; k < FWD_DROP_MAX; k++)
			a->af[f].drop[k] += b->af[f].drop[k];
	}
}

void be_port_counters(int idx, struct fwd_counters *c)
{
	struct fwd_counters x;

	*c = fc.t->port_cnt[idx];
	if (be.x != NULL) {
		fwd_xdp_port_counters(be.x, (uint16_t)idx, &x);
		add(c, &x);
	}
}

void be_vrf_counters(uint32_t id, struct fwd_counters *c)
{
	struct fwd_counters x;

	*c = fc.t->vrf_cnt[id];
	if (be.x != NULL) {
		fwd_xdp_vrf_counters(be.x, id, &x);
		add(c, &x);
	}
}

void be_show_port(json_object *o, int idx)
{
	struct port *p = &fc.port[idx];

	json_object_object_add(o, "backend", json_object_new_string(fwd_backend_name(p->backend)));
	if (p->be_why[0] != '\0')
		json_object_object_add(o, "backendReason", json_object_new_string(p->be_why));
	if (be.x != NULL && fwd_xdp_adopting(be.x, (uint16_t)idx))
		json_object_object_add(o, "adopted", json_object_new_boolean(true));
}

const char *be_default_name(void)
{
	return fwd_backend_name(be.dflt);
}

void be_show(json_object *top)
{
	if (be.x == NULL)
		return;
	json_object_object_add(top, "xdpRouteNodes",
			       json_object_new_int64((int64_t)(be.nodes ? be.nodes : XDP_NODES_DEFAULT)));
	json_object_object_add(top, "xdpRouteNodesUsed",
			       json_object_new_int64((int64_t)fwd_xdp_lpm_nodes_used(be.x)));
}

/* ---- configuration ---- */

static int backend_cmd(struct cli *cli, const struct cmd_args *a)
{
	enum fwd_backend b = cmd_has(a, "packet") ? FWD_BE_PACKET : FWD_BE_XDP;

	(void)cli;
	if (cmd_is_no(a))
		b = FWD_BE_XDP;
	if (b != be.dflt) {
		be.dflt = b;
		fwd_ctl_ports_reopen();
	}
	return CMD_SUCCESS;
}

static int if_backend_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *name = cli_ctx(cli);
	size_t i;

	if (name == NULL || strlen(name) >= sizeof(be.ov[0].name))
		return CMD_ERR_INVALID;
	for (i = 0; i < be.nov && strcmp(be.ov[i].name, name) != 0; i++)
		;
	if (cmd_is_no(a)) {
		if (i == be.nov)
			return CMD_SUCCESS;
		be.ov[i] = be.ov[--be.nov];
	} else {
		if (i == be.nov) {
			be.ov = xrealloc(be.ov, (be.nov + 1) * sizeof(*be.ov));
			memset(&be.ov[i], 0, sizeof(be.ov[i]));
			snprintf(be.ov[i].name, sizeof(be.ov[i].name), "%s", name);
			be.nov++;
		}
		be.ov[i].be = cmd_has(a, "packet") ? FWD_BE_PACKET : FWD_BE_XDP;
	}
	fwd_ctl_ports_reopen();
	return CMD_SUCCESS;
}

/* The XDP route table is sized when the maps are created (the first port):
 * a change takes effect at the next start of ped. */
static int nodes_cmd(struct cli *cli, const struct cmd_args *a)
{
	size_t n = cmd_is_no(a) ? 0 : (size_t)cmd_arg_u64(a, "nodes");

	if (n == be.nodes)
		return CMD_SUCCESS;
	be.nodes = n;
	if (be.x != NULL)
		cli_out(cli, "%% The XDP route table exists already: the new size applies when ped starts again\n");
	return CMD_SUCCESS;
}

void be_config_write(struct cli *cli)
{
	if (be.dflt != FWD_BE_XDP)
		cli_out(cli, "dataplane backend %s\n!\n", fwd_backend_name(be.dflt));
	if (be.nodes != 0)
		cli_out(cli, "dataplane xdp route-nodes %zu\n!\n", be.nodes);
}

void fwd_ctl_iface_config_write(struct cli *cli, const char *ifname)
{
	size_t i;

	for (i = 0; i < be.nov; i++)
		if (strcmp(be.ov[i].name, ifname) == 0)
			cli_out(cli, " dataplane backend %s\n", fwd_backend_name(be.ov[i].be));
}

#define BACKEND_HELP                                                                       \
	"Forwarding plane\n"                                                               \
	"Which I/O serves the ports\n"                                                     \
	"XDP fast path in the driver, the C pipeline as slow path (default)\n"             \
	"AF_PACKET sockets and the C pipeline only\n"

static const struct cmd_def config_cmds[] = {
	{ "[no] dataplane backend <xdp|packet>", NO_STR BACKEND_HELP, backend_cmd },
	{ "[no] dataplane xdp route-nodes (256-4194304)$nodes",
	  NO_STR "Forwarding plane\n" "XDP fast path\n"
	  "Size of its route table, over all VRFs (default 2048; the Internet table needs ~26,100)\n"
	  "Trie nodes of 1 KiB\n",
	  nodes_cmd },
};

static const struct cmd_def if_cmds[] = {
	{ "[no] dataplane backend <xdp|packet>", NO_STR BACKEND_HELP, if_backend_cmd },
};

void be_init(void)
{
	be.dflt = FWD_BE_XDP;
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
	cmd_install_table(NODE_INTERFACE, if_cmds, ARRAY_SIZE(if_cmds));
}

void be_start(void)
{
	static const struct timeval first = { 1, 0 };

	be.ev_check = event_new(ped.base, -1, 0, target_check_cb, NULL);
	event_add(be.ev_check, &first);
}

/* ---- hitless restart (pe/hitless.c) ---- */

static const char *port_name(uint16_t idx)
{
	return fc.port[idx].used && fc.port[idx].backend == FWD_BE_XDP ? fc.port[idx].name : NULL;
}

int fwd_ctl_keep(const char *dir, char *err, size_t errlen)
{
	if (be.x == NULL) {
		snprintf(err, errlen, "no port is forwarded by XDP");
		return 0;
	}
	return fwd_xdp_keep(be.x, dir, port_name, err, errlen);
}

void fwd_ctl_adopt_from(const char *dir)
{
	snprintf(be.adopt_dir, sizeof(be.adopt_dir), "%s", dir ? dir : "");
}

int fwd_ctl_adopted_ports(void)
{
	return be.adopted;
}

int fwd_ctl_adopt_finish(void)
{
	int i, n = 0;

	if (be.x != NULL)
		n = fwd_xdp_adopt_finish(be.x);
	be.adopt_dir[0] = '\0';
	be.adopted = 0;
	/* a port whose program could be neither swapped nor attached anew
	 * opens again: on the AF_PACKET worker if XDP still fails */
	for (i = 0; be.x != NULL && i < FWD_MAX_PORTS; i++)
		if (fc.port[i].used && fc.port[i].backend == FWD_BE_XDP &&
		    !fwd_xdp_attached(be.x, (uint16_t)i)) {
			log_warnx("dataplane: port %s lost its XDP program at the restart's switch; "
				  "opening it again",
				  fc.port[i].name);
			fwd_ctl_port_reopen(i);
		}
	return n;
}

int fwd_ctl_xdp_ports(void)
{
	int i, n = 0;

	for (i = 0; be.x != NULL && i < FWD_MAX_PORTS; i++)
		n += fc.port[i].used && fc.port[i].backend == FWD_BE_XDP &&
		     fwd_xdp_attached(be.x, (uint16_t)i);
	return n;
}

/* After the worker stopped (it polls the ring). */
void be_fini(void)
{
	if (be.ev_check != NULL)
		event_free(be.ev_check);
	fwd_xdp_free(be.x);
	free(be.ov);
	memset(&be, 0, sizeof(be));
}
