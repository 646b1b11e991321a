/* The running LDP instance (RFC 5036) inside ped's network namespace:
 * start and stop, configuration changes, the public interface of
 * ldp/ldpd.h (config accessors, walks for show, Hello input, the pure
 * helpers), the one-second tick, graceful restart's timer (ldp/gr.c), the
 * glue to the label decision engine (ldp/lde.c) and the core routes that
 * feed it. The instance's state is `ldpd_g` (ldp/ldpd_priv.h); the rest of
 * LDP's run time is split as OpenBSD ldpd splits it:
 *   adjacency.c  Hello adjacencies, discovery, targeted Hellos, hold timers
 *   interface.c  LDP interfaces (224.0.0.2 membership, link Hellos), our
 *                addresses and their advertisement
 *   neighbor.c   neighbors and their sessions: FSM glue, KeepAlives, TCP I/O
 *   socket.c     listeners, MD5 and GTSM socket options, accepting
 *                connections
 *
 * Core routes: every selected route of the default VRF except BGP's feeds
 * the LDE (connected routes are egress FECs). The LFIB lives in the LDE
 * (no kernel MPLS here): `show mpls table` reads it.
 *
 * Deviations: IPv4 only; no Label Request origination; the LFIB is not
 * pushed to a dataplane (ops hooks are no-ops). */
#include "config.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ldp/ldpd_priv.h"
#include "ldp/wire.h"
#include "lib/log.h"
#include "vrf/vrf.h"

struct ldpd_conf ldpd_conf;

struct ldpd_instance ldpd_g = { .udp_fd = -1, .tcp_fd = -1 };

int64_t ldpd_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- pure helpers ---- */

bool ldp_active_role(uint32_t our_trans, uint32_t peer_trans)
{
	return our_trans > peer_trans; /* RFC 5036 2.5.2: higher address is active */
}

int ldp_backoff_next(int cur)
{
	if (cur < LDP_BACKOFF_MIN)
		return LDP_BACKOFF_MIN;
	return cur * 2 > LDP_BACKOFF_MAX ? LDP_BACKOFF_MAX : cur * 2;
}

uint16_t ldp_hold_negotiate(uint16_t ours, uint16_t theirs, bool targeted)
{
	/* RFC 5036 3.5.2: 0 = default (15 link, 45 targeted), 0xffff = infinite */
	uint16_t def = targeted ? LDP_DEF_TARGETED_HOLD : LDP_DEF_LINK_HOLD;

	if (theirs == 0)
		theirs = def;
	if (ours == 0)
		ours = def;
	return ours < theirs ? ours : theirs;
}

/* Addresses that fit one Address message in a PDU of max_pdu bytes:
 * PDU header (10), message header and id (8), Address List TLV header
 * (4) and address family (2), then 4 bytes each (RFC 5036 3.5.5). */
int ldp_addrs_per_msg(uint16_t max_pdu)
{
	return ((int)max_pdu - 10 - 8 - 4 - 2) / 4;
}

/* ---- config accessors ---- */

uint32_t ldpd_router_id(void)
{
	if (ldpd_conf.router_id)
		return ldpd_conf.router_id;
	return ldpd_g.ops && ldpd_g.ops->router_id ? ldpd_g.ops->router_id() : 0;
}

uint32_t ldpd_transport_addr(void)
{
	return ldpd_conf.transport_addr ? ldpd_conf.transport_addr : ldpd_router_id();
}

struct ldp_iface_conf *ldpd_iface_conf(const char *ifname)
{
	for (int i = 0; i < ldpd_conf.niface; i++)
		if (strcmp(ldpd_conf.iface[i].name, ifname) == 0)
			return &ldpd_conf.iface[i];
	return NULL;
}

struct ldp_nbr_conf *ldpd_nbr_conf(uint32_t lsr_id)
{
	for (int i = 0; i < ldpd_conf.nnbr; i++)
		if (ldpd_conf.nbr[i].lsr_id == lsr_id)
			return &ldpd_conf.nbr[i];
	return NULL;
}

struct ldp_iface_conf *ldpd_iface_conf_add(const char *ifname)
{
	struct ldp_iface_conf *ic;

	if (ldpd_conf.niface == ldpd_conf.iface_cap) {
		ldpd_conf.iface_cap = ldpd_conf.iface_cap ? ldpd_conf.iface_cap * 2 : 8;
		ldpd_conf.iface = xrealloc(ldpd_conf.iface,
					   (size_t)ldpd_conf.iface_cap * sizeof(*ldpd_conf.iface));
	}
	ic = &ldpd_conf.iface[ldpd_conf.niface++];
	memset(ic, 0, sizeof(*ic));
	snprintf(ic->name, sizeof(ic->name), "%s", ifname);
	return ic;
}

/* Keeps the configuration order (the running config prints it). */
void ldpd_iface_conf_del(struct ldp_iface_conf *ic)
{
	int i = (int)(ic - ldpd_conf.iface);

	memmove(&ldpd_conf.iface[i], &ldpd_conf.iface[i + 1],
		(size_t)(ldpd_conf.niface - i - 1) * sizeof(*ic));
	ldpd_conf.niface--;
}

struct ldp_nbr_conf *ldpd_nbr_conf_add(uint32_t lsr_id)
{
	struct ldp_nbr_conf *nc;

	if (ldpd_conf.nnbr == ldpd_conf.nbr_cap) {
		ldpd_conf.nbr_cap = ldpd_conf.nbr_cap ? ldpd_conf.nbr_cap * 2 : 8;
		ldpd_conf.nbr =
			xrealloc(ldpd_conf.nbr, (size_t)ldpd_conf.nbr_cap * sizeof(*ldpd_conf.nbr));
	}
	nc = &ldpd_conf.nbr[ldpd_conf.nnbr++];
	memset(nc, 0, sizeof(*nc));
	nc->lsr_id = lsr_id;
	return nc;
}

int ldpd_adj_limit(void)
{
	return LDP_ADJ_BASE + LDP_ADJ_PER_IFACE * ldpd_conf.niface + ldpd_conf.nnbr;
}

struct ldp_adj *ldpd_adj_first(void) { return ldpd_g.adjs; }
struct ldp_nbr *ldpd_nbr_first(void) { return ldpd_g.nbrs; }
const struct lde *ldpd_lde(void) { return ldpd_g.lde; }
const struct ldpd_stats *ldpd_stats(void) { return &ldpd_g.st; }
int ldpd_adj_count(void) { return ldpd_g.nadj; }

time_t ldpd_iface_uptime(const char *ifname)
{
	for (int i = 0; i < ldpd_g.nifrt; i++)
		if (strcmp(ldpd_g.ifrt[i].name, ifname) == 0 && ldpd_g.ifrt[i].joined)
			return ldpd_g.ifrt[i].uptime;
	return 0;
}

const char *ldpd_iface_state(const char *ifname, char *err, size_t errlen)
{
	if (errlen > 0)
		err[0] = '\0';
	for (int i = 0; ldpd_g.running && i < ldpd_g.nifrt; i++) {
		const struct ldp_ifrt *r = &ldpd_g.ifrt[i];

		if (strcmp(r->name, ifname) != 0)
			continue;
		if (r->joined) {
			if (r->send_errno != 0)
				snprintf(err, errlen, "cannot send Hello: %s",
					 strerror(r->send_errno));
			return "ACTIVE";
		}
		if (r->join_errno != 0 && r->ifindex != 0 && r->oper_up) {
			snprintf(err, errlen, "%s", strerror(r->join_errno));
			return "JOIN FAILED";
		}
	}
	return "DOWN";
}

bool (*ldpd_fwd_keepable)(void); /* ldpd_set_fwd_keepable_fn */

void ldpd_set_fwd_keepable_fn(bool (*fn)(void))
{
	ldpd_fwd_keepable = fn;
}

uint32_t ldpd_gr_reconnect_ms(void)
{
	return (ldpd_conf.gr_reconnect ? ldpd_conf.gr_reconnect : LDP_GR_DEF_RECONNECT) * 1000u;
}

static uint32_t gr_recovery_ms(void)
{
	return (ldpd_conf.gr_recovery ? ldpd_conf.gr_recovery : LDP_GR_DEF_RECOVERY) * 1000u;
}

/* The helper's caps, NULL when it does not help: graceful restart off, or
 * the session closes by our own action. */
const struct ldp_gr_limits *ldpd_gr_limits(void)
{
	static struct ldp_gr_limits lim;

	if (!ldpd_conf.gr || ldpd_g.admin)
		return NULL;
	lim.reconnect_ms = ldpd_gr_reconnect_ms();
	lim.recovery_ms = gr_recovery_ms();
	return &lim;
}

/* gr.c's sweeps end in the LDE (forwarding and BGP's paths follow). */
static void gr_sweep(void *arg, uint32_t lsr_id, const char *why)
{
	char b[ADDR4_STRLEN];
	size_t n;

	(void)arg;
	if (ldpd_g.lde == NULL)
		return;
	n = lde_nbr_stale_sweep(ldpd_g.lde, lsr_id);
	log_info("ldp nbr %s: graceful restart: %zu stale bindings deleted (%s)",
		 addr4_ntop(lsr_id, b, sizeof(b)), n, why);
}

static const struct ldp_gr_ops gr_ops = { gr_sweep };

/* One timer at gr.c's next deadline. */
void ldpd_gr_arm(void)
{
	int64_t next;
	struct timeval tv;

	if (ldpd_g.gr == NULL || ldpd_g.ev_gr == NULL)
		return;
	if ((next = ldp_gr_next_deadline(ldpd_g.gr)) < 0) {
		evtimer_del(ldpd_g.ev_gr);
		return;
	}
	next -= ldpd_mono_ms();
	if (next < 0)
		next = 0;
	tv.tv_sec = (time_t)(next / 1000);
	tv.tv_usec = (suseconds_t)(next % 1000) * 1000;
	evtimer_add(ldpd_g.ev_gr, &tv);
}

static void gr_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	ldp_gr_expire(ldpd_g.gr, ldpd_mono_ms());
	ldpd_gr_arm();
}

static struct lde_config lde_cfg_from_conf(void)
{
	struct lde_config c = { .ordered_control = ldpd_conf.ordered_control,
				.explicit_null = ldpd_conf.explicit_null,
				.host_routes_only = ldpd_conf.host_routes_only };
	return c;
}

unsigned ldp_debug;
static bool debug_events_flag;

void ldpd_set_debug(unsigned flags)
{
	ldp_debug = flags;
	debug_events_flag = (flags & LDP_DEBUG_EVENTS) != 0;
	ldp_fsm_debug_events = &debug_events_flag;
}

/* ---- Hello input (the adjacencies are adjacency.c's) ---- */

int ldpd_hello_input(const char *ifname, uint32_t src, uint32_t lsr_id, const struct ldp_hello *h)
{
	bool targeted = (h->flags & LDP_HELLO_T) != 0;
	enum ldp_adj_type type = targeted ? LDP_ADJ_TARGETED : LDP_ADJ_LINK;
	uint32_t trans = h->has_trans_addr ? h->trans_addr : src;
	struct ldp_adj *a;
	struct timeval tv = { 0, 0 };

	ldpd_g.st.hello_rx++;
	if (!ldpd_g.running || lsr_id == ldpd_g.rid || lsr_id == 0 || trans == 0)
		return -1;
	if (targeted ? !ldpd_targeted_accepted(lsr_id, src)
		     : (ifname == NULL || ldpd_iface_conf(ifname) == NULL)) {
		ldpd_g.st.hello_unknown_if++;
		return -1;
	}
	a = ldpd_adj_find(type, lsr_id, ifname, src);
	if (a == NULL) {
		if (ldpd_g.nadj >= ldpd_adj_limit()) {
			ldpd_g.st.hello_dropped_full++; /* bounded: unknown sources cost nothing */
			return -1;
		}
		if ((a = ldpd_adj_new(type, lsr_id, targeted ? NULL : ifname, src, trans)) == NULL) {
			ldpd_g.st.hello_dropped_full++;
			return -1;
		}
		/* a new neighbor on the link hears from us now, not up to one
		 * interval later: its session can start at once */
		if (!targeted)
			ldpd_hello_fast(ifname);
	}
	a->holdtime = ldp_hold_negotiate(
		targeted ? (ldpd_conf.targeted_hold ? ldpd_conf.targeted_hold
						    : LDP_DEF_TARGETED_HOLD)
			 : ldpd_link_hold(ifname),
		h->holdtime, targeted);
	a->gtsm = !targeted && (h->flags & LDP_HELLO_G);
	a->last_rx = time(NULL);
	if (a->holdtime != 0xffff) {
		tv.tv_sec = a->holdtime;
		evtimer_add(a->expire, &tv);
	}
	ldpd_nbr_maybe_connect(a->nbr);
	ldpd_pending_adopt(a->nbr);
	return 0;
}

/* ---- LDE glue ---- */

static mpls_label_t lde_alloc(void *arg, const struct prefix4 *fec)
{
	(void)arg;
	return ldpd_g.ops && ldpd_g.ops->label_alloc ? ldpd_g.ops->label_alloc(fec) : MPLS_LABEL_NONE;
}

static void lde_release(void *arg, mpls_label_t label)
{
	(void)arg;
	if (ldpd_g.ops && ldpd_g.ops->label_release)
		ldpd_g.ops->label_release(label);
}

static struct ldp_nbr *oper_nbr(uint32_t lsr_id)
{
	struct ldp_nbr *n = ldpd_nbr_find(lsr_id);

	return n && n->fsm.state == LDP_NBR_STA_OPERATIONAL ? n : NULL;
}

static void lde_send_label(uint32_t lsr_id, uint16_t type, const struct prefix4 *fec,
			   mpls_label_t label, const uint32_t *req_id)
{
	struct ldp_nbr *n = oper_nbr(lsr_id);
	struct ldp_fec f = { .type = fec ? LDP_FEC_PREFIX : LDP_FEC_WILDCARD };
	struct ldp_msg m = { .type = type };

	if (n == NULL)
		return;
	if (fec)
		f.pfx = *fec;
	m.u_.label.nfec = 1;
	m.u_.label.fecs = &f;
	m.u_.label.has_label = label != MPLS_LABEL_NONE;
	m.u_.label.label = label;
	if (req_id) {
		m.u_.label.has_reqid = true;
		m.u_.label.reqid = *req_id;
	}
	if (ldpd_nbr_send(n, &m) != 0)
		return;
	if (type == LDP_MSG_LABEL_MAPPING)
		n->st.map_sent++;
	else if (type == LDP_MSG_LABEL_WITHDRAW)
		n->st.wd_sent++;
	else
		n->st.rel_sent++;
}

static void lde_mapping(void *arg, uint32_t lsr_id, const struct prefix4 *fec, mpls_label_t label,
			const uint32_t *req_id)
{
	(void)arg;
	lde_send_label(lsr_id, LDP_MSG_LABEL_MAPPING, fec, label, req_id);
}

static void lde_withdraw(void *arg, uint32_t lsr_id, const struct prefix4 *fec, mpls_label_t label)
{
	(void)arg;
	lde_send_label(lsr_id, LDP_MSG_LABEL_WITHDRAW, fec, label, NULL);
}

static void lde_rel(void *arg, uint32_t lsr_id, const struct prefix4 *fec, mpls_label_t label)
{
	(void)arg;
	lde_send_label(lsr_id, LDP_MSG_LABEL_RELEASE, fec, label, NULL);
}

static void lde_notif(void *arg, uint32_t lsr_id, uint32_t status, const struct prefix4 *fec,
		      uint32_t msg_id)
{
	struct ldp_nbr *n = oper_nbr(lsr_id);
	struct ldp_msg m = { .type = LDP_MSG_NOTIFICATION };

	(void)arg;
	if (n == NULL)
		return;
	m.u_.notif.status = status;
	m.u_.notif.msg_id = msg_id;
	if (fec) {
		m.u_.notif.has_fec = true;
		m.u_.notif.fec.type = LDP_FEC_PREFIX;
		m.u_.notif.fec.pfx = *fec;
	}
	if (ldpd_nbr_send(n, &m) == 0)
		n->st.notif_sent++;
}

static void lde_lfib_upd(void *arg, mpls_label_t in_label, const struct prefix4 *fec,
			 const struct lde_path *paths, int npaths)
{
	/* no kernel MPLS: the user-space dataplane installs it (pe/fwd) */
	(void)arg;
	if (ldpd_g.ops && ldpd_g.ops->lfib_update)
		ldpd_g.ops->lfib_update(in_label, fec, paths, npaths);
}

static void lde_lfib_del(void *arg, mpls_label_t in_label, const struct prefix4 *fec)
{
	(void)arg, (void)fec;
	if (ldpd_g.ops && ldpd_g.ops->lfib_delete)
		ldpd_g.ops->lfib_delete(in_label);
}

static void lde_nh_bound(void *arg, const struct prefix4 *fec, const struct lde_path *paths,
			 int npaths)
{
	(void)arg;
	if (ldpd_g.ops && ldpd_g.ops->nh_bound)
		ldpd_g.ops->nh_bound(fec, paths, npaths);
}

static const struct lde_ops ldpd_lde_ops = {
	lde_alloc,    lde_release,  lde_mapping,  lde_withdraw, lde_rel,
	lde_notif,    lde_lfib_upd, lde_lfib_del, lde_nh_bound,
};

/* ---- core routes (default VRF) ---- */

/* LDP binds IPv4 FECs only (no RFC 7552 LDPv6): IPv6 core routes are
 * not fed to the label database. */
static void feed_dest(const struct rib_dest *d)
{
	struct rib_route *sel = d->selected;
	struct lde_nh nh[LDE_MAX_NH];
	struct prefix4 fec;
	int nnh = 0;

	if (d->pfx.af != AF_INET)
		return;
	fec = prefix_to4(&d->pfx);
	if (sel == NULL || sel->proto == RIB_BGP) {
		lde_route_delete(ldpd_g.lde, &fec);
		return;
	}
	for (int i = 0; i < sel->nh_count && nnh < LDE_MAX_NH; i++) {
		const struct rib_nh *rn = &sel->nh[i];

		if (!rn->active || rn->blackhole || (rn->gw.af != 0 && rn->gw.af != AF_INET))
			continue;
		nh[nnh].addr = rn->gw.af == AF_INET ? rn->gw.v4 : 0;
		snprintf(nh[nnh].ifname, sizeof(nh[nnh].ifname), "%s",
			 rn->res_ifname[0] ? rn->res_ifname : rn->ifname);
		nnh++;
	}
	if (nnh == 0 && sel->proto != RIB_CONNECTED) {
		lde_route_delete(ldpd_g.lde, &fec);
		return;
	}
	lde_route_update(ldpd_g.lde, &fec, nh, nnh, sel->proto == RIB_CONNECTED);
}

void ldpd_route_changed(struct vrf *vrf, const struct rib_dest *d)
{
	static const struct timeval now = { 0, 0 };

	if (!ldpd_g.running || vrf == NULL || vrf->id != VRF_DEFAULT_ID)
		return;
	feed_dest(d);
	/* a connected route comes and goes with an interface's address and
	 * state: join, Hello and advertise at once rather than at the next
	 * one-second tick (first convergence) */
	if (ldpd_g.ev_soon != NULL && (d->selected == NULL || d->selected->proto == RIB_CONNECTED) &&
	    !evtimer_pending(ldpd_g.ev_soon, NULL))
		evtimer_add(ldpd_g.ev_soon, &now);
}

static int feed_walk_cb(void *arg, struct rib_dest *d)
{
	(void)arg;
	feed_dest(d);
	return 0;
}

/* ---- start / stop ---- */

static void tick_cb(evutil_socket_t fd, short what, void *arg)
{
	time_t now = time(NULL);

	(void)fd;
	(void)what;
	(void)arg;
	ldpd_ifaces_sync(now);
	ldpd_targeted_sync(now);
	ldpd_addr_refresh(true);
}

static void ldpd_stop(void)
{
	if (!ldpd_g.running)
		return;
	ldpd_g.admin = true; /* no helper for sessions we close */
	while (ldpd_g.adjs)
		ldpd_adj_del(ldpd_g.adjs);
	while (ldpd_g.nbrs) /* neighbors without adjacencies (should not exist) */
		ldpd_nbr_del(ldpd_g.nbrs);
	/* restarting neighbors' stale bindings go the normal way, so BGP's
	 * labelled paths hear of it (lde_free does not tell it) */
	ldp_gr_flush(ldpd_g.gr, 0, "LDP stopped");
	ldp_gr_free(ldpd_g.gr);
	ldpd_g.gr = NULL;
	if (ldpd_g.ev_gr)
		event_free(ldpd_g.ev_gr);
	ldpd_g.ev_gr = NULL;
	ldpd_g.admin = false;
	/* a later start is not a restart with forwarding preserved */
	ldpd_g.fwd_preserved = false;
	ldpd_g.fwd_hold_until = 0;
	while (ldpd_g.pending)
		ldpd_pending_del(ldpd_g.pending, true);
	for (int i = 0; i < ldpd_g.nifrt; i++)
		ldpd_ifrt_leave(&ldpd_g.ifrt[i]);
	ldpd_g.nifrt = 0;
	free(ldpd_g.adv);
	ldpd_g.adv = NULL;
	ldpd_g.nadv = 0;
	if (ldpd_g.ev_udp)
		event_free(ldpd_g.ev_udp);
	if (ldpd_g.ev_tcp)
		event_free(ldpd_g.ev_tcp);
	if (ldpd_g.ev_tick)
		event_free(ldpd_g.ev_tick);
	if (ldpd_g.ev_soon)
		event_free(ldpd_g.ev_soon);
	ldpd_g.ev_udp = ldpd_g.ev_tcp = ldpd_g.ev_tick = ldpd_g.ev_soon = NULL;
	if (ldpd_g.udp_fd >= 0)
		close(ldpd_g.udp_fd);
	if (ldpd_g.tcp_fd >= 0)
		close(ldpd_g.tcp_fd);
	ldpd_g.udp_fd = ldpd_g.tcp_fd = -1;
	lde_free(ldpd_g.lde);
	ldpd_g.lde = NULL;
	ldpd_g.running = false;
	log_info("ldp: stopped");
}

static void ldpd_run(void);

static void retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (!ldpd_g.running && ldpd_conf.enabled)
		ldpd_run();
}

static void ldpd_run(void)
{
	struct lde_config cfg = lde_cfg_from_conf();
	struct timeval tv = { 1, 0 };
	struct vrf *def = vrf_default();

	ldpd_g.rid = ldpd_router_id();
	ldpd_g.trans = ldpd_transport_addr();
	if (ldpd_g.rid == 0) {
		/* no address yet: try again in a second (interfaces come up) */
		log_debug("ldp: no router id yet");
		if (ldpd_g.base != NULL && ldpd_g.ev_retry == NULL)
			ldpd_g.ev_retry = evtimer_new(ldpd_g.base, retry_cb, NULL);
		if (ldpd_g.ev_retry != NULL)
			evtimer_add(ldpd_g.ev_retry, &tv);
		return;
	}
	ldpd_g.lde = lde_new(&ldpd_lde_ops, NULL, &cfg);
	ldpd_g.gr = ldp_gr_new(&gr_ops, NULL);
	/* RFC 3478: our Forwarding State Holding time runs from the start of
	 * an instance whose forwarding survived the restart */
	ldpd_g.fwd_hold_until = ldpd_g.fwd_preserved ? ldpd_mono_ms() + gr_recovery_ms() : 0;
	ldpd_g.running = true;
	if (def && def->rib)
		rib_walk(def->rib, feed_walk_cb, NULL);
	for (int i = 0; i < ldpd_conf.nnbr; i++)
		ldpd_conf.nbr[i].last_targeted = 0;
	ldpd_g.adv_valid = false;
	if (ldpd_g.base == NULL)
		return; /* unit tests: no sockets */
	ldpd_g.udp_fd = ldpd_udp_open();
	ldpd_g.tcp_fd = ldpd_tcp_open();
	if (ldpd_g.udp_fd >= 0) {
		ldpd_g.ev_udp = event_new(ldpd_g.base, ldpd_g.udp_fd, EV_READ | EV_PERSIST, ldpd_udp_recv_cb, NULL);
		event_add(ldpd_g.ev_udp, NULL);
	}
	if (ldpd_g.tcp_fd >= 0) {
		ldpd_g.ev_tcp = event_new(ldpd_g.base, ldpd_g.tcp_fd, EV_READ | EV_PERSIST, ldpd_tcp_accept_cb, NULL);
		event_add(ldpd_g.ev_tcp, NULL);
	}
	ldpd_g.ev_tick = event_new(ldpd_g.base, -1, EV_PERSIST, tick_cb, NULL);
	event_add(ldpd_g.ev_tick, &tv);
	ldpd_g.ev_soon = evtimer_new(ldpd_g.base, tick_cb, NULL);
	ldpd_g.ev_gr = evtimer_new(ldpd_g.base, gr_timer_cb, NULL);
	tick_cb(-1, 0, NULL);
	log_info("ldp: started (lsr-id %s)", addr4_ntop(ldpd_g.rid, (char[ADDR4_STRLEN]){ 0 },
							 ADDR4_STRLEN));
}

/* Passwords as one string: a change restarts the instance (the listener's
 * TCP_MD5SIG keys and every session are redone, as FRR resets sessions). */
static char *md5_sig; /* the last one seen (heap) */

static bool md5_sig_changed(void)
{
	size_t cap = 1, off = 0;
	char *cur;

	for (int i = 0; i < ldpd_conf.nnbr; i++)
		cap += strlen(ldpd_conf.nbr[i].password) + 16;
	cur = xmalloc(cap);
	cur[0] = '\0';
	for (int i = 0; i < ldpd_conf.nnbr; i++)
		if (ldpd_conf.nbr[i].password[0])
			off += (size_t)snprintf(cur + off, cap - off, "%08x:%s;",
						ldpd_conf.nbr[i].lsr_id, ldpd_conf.nbr[i].password);
	if (strcmp(cur, md5_sig ? md5_sig : "") == 0) {
		free(cur);
		return false;
	}
	free(md5_sig);
	md5_sig = cur;
	return true;
}

void ldpd_conf_changed(void)
{
	bool want = ldpd_conf.enabled, md5 = md5_sig_changed();
	struct lde_config cfg = lde_cfg_from_conf();

	if (ldpd_g.base == NULL && !ldpd_g.running)
		return; /* not started yet: ldpd_start() reads the config */
	if (ldpd_g.running && (!want || md5 || ldpd_g.rid != ldpd_router_id() ||
			  ldpd_g.trans != ldpd_transport_addr()))
		ldpd_stop();
	if (!ldpd_g.running && want) {
		ldpd_run();
		return;
	}
	if (ldpd_g.running) {
		ldpd_g.admin = true; /* sessions a config change closes are not kept */
		lde_set_config(ldpd_g.lde, &cfg);
		if (ldpd_g.base)
			tick_cb(-1, 0, NULL);
		if (!ldpd_conf.gr && ldp_gr_first(ldpd_g.gr) != NULL) {
			ldp_gr_flush(ldpd_g.gr, 0, "graceful restart unconfigured");
			ldpd_gr_arm();
		}
		ldpd_g.admin = false;
	}
}

void ldpd_set_fwd_preserved(bool preserved)
{
	ldpd_g.fwd_preserved = preserved;
	if (ldpd_g.running) /* normally set before the start */
		ldpd_g.fwd_hold_until = preserved ? ldpd_mono_ms() + gr_recovery_ms() : 0;
}

int ldpd_operational_sessions(void)
{
	int n = 0;

	for (const struct ldp_nbr *nb = ldpd_g.nbrs; nb; nb = nb->next)
		if (nb->fsm.state == LDP_NBR_STA_OPERATIONAL)
			n++;
	return n;
}

uint64_t ldpd_last_mapping_ms(void)
{
	return ldpd_g.last_mapping_ms;
}

const struct ldp_gr *ldpd_gr(void)
{
	return ldpd_g.gr;
}

int64_t ldpd_gr_remaining_ms(const struct ldp_gr_peer *p)
{
	int64_t left = p->deadline_ms - ldpd_mono_ms();

	return left > 0 ? left : 0;
}

int ldpd_clear_neighbor(uint32_t lsr_id)
{
	int n = 0;

	if (!ldpd_g.running)
		return 0;
	ldpd_g.admin = true; /* their bindings go now, not after a restart */
	for (struct ldp_nbr *nb = ldpd_g.nbrs; nb; nb = nb->next) {
		if ((lsr_id != 0 && nb->lsr_id != lsr_id) ||
		    nb->fsm.state == LDP_NBR_STA_NONEXISTENT)
			continue;
		snprintf(nb->last_error, sizeof(nb->last_error), "cleared");
		ldpd_nbr_close(nb, LDP_FSM_ST_SHUTDOWN); /* the neighbor stays: it reconnects */
		n++;
	}
	ldpd_g.admin = false;
	for (const struct ldp_gr_peer *p = ldp_gr_first(ldpd_g.gr); p; p = p->next)
		if (lsr_id == 0 || p->lsr_id == lsr_id)
			n++;
	ldp_gr_flush(ldpd_g.gr, lsr_id, "cleared");
	ldpd_gr_arm();
	return n;
}

void ldpd_conf_clear(void)
{
	free(ldpd_conf.iface);
	free(ldpd_conf.nbr);
	memset(&ldpd_conf, 0, sizeof(ldpd_conf));
}

void ldpd_init(const struct ldpd_ops *ops)
{
	memset(&ldpd_conf, 0, sizeof(ldpd_conf));
	ldpd_g.ops = ops;
	ldp_cli_init();
	ldp_show_init();
}

void ldpd_start(struct event_base *base)
{
	ldpd_g.base = base;
	if (ldpd_conf.enabled && !ldpd_g.running)
		ldpd_run();
}

void ldpd_fini(void)
{
	ldpd_stop();
	ldpd_g.last_mapping_ms = 0;
	free(ldpd_g.ifrt);
	ldpd_g.ifrt = NULL;
	ldpd_g.ifrt_cap = 0;
	free(md5_sig);
	md5_sig = NULL;
	ldpd_conf_clear();
	if (ldpd_g.ev_retry)
		event_free(ldpd_g.ev_retry);
	ldpd_g.ev_retry = NULL;
	ldpd_g.base = NULL;
}

/* Unit tests: run without sockets on base (timers only). */
void ldpd_test_start(struct event_base *base);
void ldpd_test_start(struct event_base *base)
{
	ldpd_g.base = NULL;
	if (!ldpd_g.running)
		ldpd_run();
	ldpd_g.base = base;
}

/* Unit tests: a session with lsr_id that was OPERATIONAL (with ft in its
 * Initialization) is lost, as op_session_down sees it, without sockets. */
void ldpd_test_session_loss(uint32_t lsr_id, const struct ldp_ft *ft);
void ldpd_test_session_loss(uint32_t lsr_id, const struct ldp_ft *ft)
{
	if (!ldpd_g.running)
		return;
	lde_nbr_up(ldpd_g.lde, lsr_id, NULL, 0);
	ldpd_session_lost(lsr_id, ft);
}
