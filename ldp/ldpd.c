/* The running LDP instance (RFC 5036) inside ped's network namespace.
 *
 * Discovery (2.4): one UDP socket on port 646 receives with IP_PKTINFO (to
 * know the interface); each LDP interface joins 224.0.0.2 with a socket of
 * its own (struct ldp_ifrt: the kernel limits the groups per socket), a
 * refusal being logged and shown as the interface's state; link Hellos go
 * to 224.0.0.2 with TTL 1 out of each `interface IFNAME`
 * (IP_MULTICAST_IF), and at once on a link where a new neighbor appears;
 * targeted Hellos (2.4.2) unicast to `neighbor X targeted`. Adjacencies
 * carry the negotiated hold time (2.5.5: the smaller of both, 0 meaning the
 * default) and expire on their own timer; the table is bounded by
 * ldpd_adj_limit(), which grows with the configuration: hellos from unknown
 * sources beyond it are dropped and counted, never stored.
 *
 * Sessions (2.5): one neighbor per LSR ID; the LSR with the higher
 * transport address is active (2.5.2) and connects from its transport
 * address to TCP 646, the other accepts and matches the connection to an
 * adjacency by source address; a connection from an address we have no
 * Hello from yet is held LDP_PENDING_CONN_TIMEOUT seconds for that Hello
 * (struct ldp_pending). Initialization carries the Common Session
 * Parameters (keepalive from config, max PDU 4096, receiver LDP ID); the
 * state machine is ldp/fsm.c; KeepAlives every third of the negotiated
 * time. A failed initialization backs off exponentially (15 s .. 120 s,
 * 2.5.3) before the next connect. Decoder errors answer with the codec's
 * status (advisory: Notification and go on; fatal: Notification and reset).
 * A dropped session frees everything and tells the LDE (lde_nbr_down),
 * unless the neighbor does graceful restart (RFC 3478, ldp/gr.c): then its
 * bindings stay, stale, while gr.c's timers run (one libevent timer here at
 * the next deadline). A session closed by our own configuration or by
 * `clear mpls ldp neighbor` (L.admin) is never kept.
 *
 * Security: TCP MD5 (RFC 5925's predecessor, RFC 2385) with TCP_MD5SIG for
 * `neighbor X password`; GTSM (RFC 6720) for link sessions: our link
 * Hellos carry the G bit unless `ttl-security disable`; when the peer's
 * Hellos carry it, the session sends with TTL 255 and (if ours is on too)
 * accepts only TTL 255 (IP_MINTTL).
 *
 * Core routes: every selected route of the default VRF except BGP's feeds
 * the LDE (connected routes are egress FECs). The LFIB lives in the LDE
 * (no kernel MPLS here): `show mpls table` reads it.
 *
 * Our addresses are advertised when a session comes up and their changes
 * (polled every second) as Address / Address Withdraw (3.5.5, 3.5.6), split
 * over as many messages as the negotiated max PDU length needs. No table
 * here has a fixed size: interfaces, neighbors and address lists grow.
 *
 * Deviations: IPv4 only; no Label Request origination; the LFIB is not
 * pushed to a dataplane (ops hooks are no-ops). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ldp/ldpd.h"
#include "ldp/wire.h"
#include "lib/log.h"
#include "vrf/vrf.h"

#ifndef IP_MINTTL
#define IP_MINTTL 21
#endif

#define LDP_INBUF_SIZE (LDP_MAX_PDU_DEFAULT * 4)

/* An LDP interface at run time. Each holds its 224.0.0.2 membership on a
 * socket of its own (mfd): the kernel allows a socket at most
 * net.ipv4.igmp_max_memberships groups (20 by default), so one socket for
 * every interface stops joining at the 21st. Membership sockets are never
 * bound and never read: the one receive socket (udp_fd, IP_MULTICAST_ALL
 * on) gets the Hellos of every group joined in the namespace, with
 * IP_PKTINFO naming the interface. */
struct ldp_ifrt {
	char name[LDP_IFNAMSIZ];
	int ifindex;
	int mfd; /* membership socket, -1 when not joined */
	bool joined;
	bool oper_up;   /* seen up: a later down drops its adjacencies */
	int join_errno; /* last refusal (0: none), shown as the state */
	int send_errno; /* last Hello refused (0: none), shown as the error */
	time_t last_hello, uptime;
	int64_t last_fast_ms; /* monotonic: last Hello sent for a new neighbor */
};

/* A connection from an address with no adjacency yet (the peer heard our
 * Hello before we heard its own): held until its Hello comes. */
struct ldp_pending {
	struct ldp_pending *next;
	int fd;
	uint32_t addr;
	uint16_t port;
	struct event *ev_timeout;
};

struct ldpd_conf ldpd_conf;

static struct {
	struct event_base *base;
	const struct ldpd_ops *ops;
	bool running;
	uint32_t rid, trans;
	struct lde *lde;
	int udp_fd, tcp_fd;
	struct event *ev_udp, *ev_tcp, *ev_tick, *ev_retry;
	struct event *ev_soon; /* one tick now (interfaces changed) */
	struct ldp_adj *adjs;
	int nadj;
	struct ldp_nbr *nbrs;
	int nnbr;
	int nifrt, ifrt_cap;
	struct ldp_ifrt *ifrt;
	struct ldp_pending *pending;
	int npending;
	int nadv; /* our addresses as last advertised (sorted) */
	uint32_t *adv;
	bool adv_valid;
	struct ldpd_stats st;
	/* graceful restart (RFC 3478) */
	struct ldp_gr *gr;
	struct event *ev_gr;    /* at gr's next deadline */
	bool admin;             /* sessions close by our config or `clear`: no helper */
	bool fwd_preserved;     /* ldpd_set_fwd_preserved: our forwarding survived */
	int64_t fwd_hold_until; /* end of our Forwarding State Holding time (0: none) */
	uint64_t last_mapping_ms;
} L = { .udp_fd = -1, .tcp_fd = -1 };

static void nbr_close(struct ldp_nbr *n, uint32_t status);
static int64_t mono_ms(void);
static void nbr_maybe_connect(struct ldp_nbr *n);
static void pending_adopt(struct ldp_nbr *n);
static void hello_fast(const char *ifname);

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

/* ---- config accessors ---- */

uint32_t ldpd_router_id(void)
{
	if (ldpd_conf.router_id)
		return ldpd_conf.router_id;
	return L.ops && L.ops->router_id ? L.ops->router_id() : 0;
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

struct ldp_adj *ldpd_adj_first(void) { return L.adjs; }
struct ldp_nbr *ldpd_nbr_first(void) { return L.nbrs; }
const struct lde *ldpd_lde(void) { return L.lde; }
const struct ldpd_stats *ldpd_stats(void) { return &L.st; }
int ldpd_adj_count(void) { return L.nadj; }

time_t ldpd_iface_uptime(const char *ifname)
{
	for (int i = 0; i < L.nifrt; i++)
		if (strcmp(L.ifrt[i].name, ifname) == 0 && L.ifrt[i].joined)
			return L.ifrt[i].uptime;
	return 0;
}

const char *ldpd_iface_state(const char *ifname, char *err, size_t errlen)
{
	if (errlen > 0)
		err[0] = '\0';
	for (int i = 0; L.running && i < L.nifrt; i++) {
		const struct ldp_ifrt *r = &L.ifrt[i];

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

static uint16_t link_hold(const char *ifname)
{
	struct ldp_iface_conf *ic = ifname ? ldpd_iface_conf(ifname) : NULL;

	if (ic && ic->hello_hold)
		return ic->hello_hold;
	return ldpd_conf.link_hold ? ldpd_conf.link_hold : LDP_DEF_LINK_HOLD;
}

static uint16_t link_interval(const char *ifname)
{
	struct ldp_iface_conf *ic = ifname ? ldpd_iface_conf(ifname) : NULL;

	if (ic && ic->hello_interval)
		return ic->hello_interval;
	return ldpd_conf.link_interval ? ldpd_conf.link_interval : LDP_DEF_LINK_INTERVAL;
}

static uint16_t session_keepalive(uint32_t lsr_id)
{
	struct ldp_nbr_conf *nc = ldpd_nbr_conf(lsr_id);

	if (nc && nc->keepalive)
		return nc->keepalive;
	return ldpd_conf.keepalive ? ldpd_conf.keepalive : LDP_DEF_KEEPALIVE;
}

static bool (*fwd_keepable)(void); /* ldpd_set_fwd_keepable_fn */

void ldpd_set_fwd_keepable_fn(bool (*fn)(void))
{
	fwd_keepable = fn;
}

static uint32_t gr_reconnect_ms(void)
{
	return (ldpd_conf.gr_reconnect ? ldpd_conf.gr_reconnect : LDP_GR_DEF_RECONNECT) * 1000u;
}

static uint32_t gr_recovery_ms(void)
{
	return (ldpd_conf.gr_recovery ? ldpd_conf.gr_recovery : LDP_GR_DEF_RECOVERY) * 1000u;
}

/* The helper's caps, NULL when it does not help: graceful restart off, or
 * the session closes by our own action. */
static const struct ldp_gr_limits *gr_limits(void)
{
	static struct ldp_gr_limits lim;

	if (!ldpd_conf.gr || L.admin)
		return NULL;
	lim.reconnect_ms = gr_reconnect_ms();
	lim.recovery_ms = gr_recovery_ms();
	return &lim;
}

/* gr.c's sweeps end in the LDE (forwarding and BGP's paths follow). */
static void gr_sweep(void *arg, uint32_t lsr_id, const char *why)
{
	char b[ADDR4_STRLEN];
	size_t n;

	(void)arg;
	if (L.lde == NULL)
		return;
	n = lde_nbr_stale_sweep(L.lde, lsr_id);
	log_info("ldp nbr %s: graceful restart: %zu stale bindings deleted (%s)",
		 addr4_ntop(lsr_id, b, sizeof(b)), n, why);
}

static const struct ldp_gr_ops gr_ops = { gr_sweep };

/* One timer at gr.c's next deadline. */
static void gr_arm(void)
{
	int64_t next;
	struct timeval tv;

	if (L.gr == NULL || L.ev_gr == NULL)
		return;
	if ((next = ldp_gr_next_deadline(L.gr)) < 0) {
		evtimer_del(L.ev_gr);
		return;
	}
	next -= mono_ms();
	if (next < 0)
		next = 0;
	tv.tv_sec = (time_t)(next / 1000);
	tv.tv_usec = (suseconds_t)(next % 1000) * 1000;
	evtimer_add(L.ev_gr, &tv);
}

static void gr_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	ldp_gr_expire(L.gr, mono_ms());
	gr_arm();
}

static struct lde_config lde_cfg_from_conf(void)
{
	struct lde_config c = { .ordered_control = ldpd_conf.ordered_control,
				.explicit_null = ldpd_conf.explicit_null,
				.host_routes_only = ldpd_conf.host_routes_only };
	return c;
}

/* ---- neighbors: lookup, creation, deletion ---- */

static struct ldp_nbr *nbr_find(uint32_t lsr_id)
{
	for (struct ldp_nbr *n = L.nbrs; n; n = n->next)
		if (n->lsr_id == lsr_id)
			return n;
	return NULL;
}

static struct ldp_nbr *nbr_find_addr(uint32_t raddr)
{
	for (struct ldp_nbr *n = L.nbrs; n; n = n->next)
		if (n->raddr == raddr)
			return n;
	return NULL;
}

static const struct ldp_fsm_ops nbr_fsm_ops;
static void nbr_reset_cb(evutil_socket_t fd, short what, void *arg);
static void nbr_ka_timeout_cb(evutil_socket_t fd, short what, void *arg);
static void nbr_ka_timer_cb(evutil_socket_t fd, short what, void *arg);
static void nbr_connect_cb(evutil_socket_t fd, short what, void *arg);
static void md5_set(int fd, uint32_t addr, const char *password);

static struct ldp_nbr *nbr_new(uint32_t lsr_id, uint32_t raddr)
{
	struct ldp_nbr *n = xcalloc(1, sizeof(*n));
	char name[ADDR4_STRLEN];
	struct ldp_nbr_conf *nc = ldpd_nbr_conf(lsr_id);

	n->lsr_id = lsr_id;
	n->raddr = raddr;
	n->fd = -1;
	n->max_pdu = LDP_MAX_PDU_DEFAULT;
	n->active = ldp_active_role(L.trans, raddr);
	ldp_fsm_init(&n->fsm, &nbr_fsm_ops, n, addr4_ntop(lsr_id, name, sizeof(name)));
	n->ev_ka_timeout = evtimer_new(L.base, nbr_ka_timeout_cb, n);
	n->ev_ka_timer = evtimer_new(L.base, nbr_ka_timer_cb, n);
	n->ev_connect = evtimer_new(L.base, nbr_connect_cb, n);
	n->ev_reset = evtimer_new(L.base, nbr_reset_cb, n);
	n->out = evbuffer_new();
	n->inbuf = xmalloc(LDP_INBUF_SIZE);
	n->next = L.nbrs;
	L.nbrs = n;
	L.nnbr++;
	if (nc && nc->password[0] && L.tcp_fd >= 0)
		md5_set(L.tcp_fd, raddr, nc->password);
	log_debug("ldp nbr %s: new (transport %s, %s role)", name,
		 addr4_ntop(raddr, (char[ADDR4_STRLEN]){ 0 }, ADDR4_STRLEN),
		 n->active ? "active" : "passive");
	return n;
}

/* Mirror of nbr_new(): the session (if any) is closed with Shutdown. */
static void nbr_del(struct ldp_nbr *n)
{
	struct ldp_nbr **pp;

	if (n->fsm.state != LDP_NBR_STA_NONEXISTENT)
		nbr_close(n, LDP_FSM_ST_SHUTDOWN);
	if (n->fd >= 0) { /* connect in progress */
		close(n->fd);
		n->fd = -1;
	}
	for (pp = &L.nbrs; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	L.nnbr--;
	event_free(n->ev_ka_timeout);
	event_free(n->ev_ka_timer);
	event_free(n->ev_connect);
	event_free(n->ev_reset);
	if (n->ev_read)
		event_free(n->ev_read);
	if (n->ev_write)
		event_free(n->ev_write);
	evbuffer_free(n->out);
	free(n->inbuf);
	free(n->addrs);
	free(n);
}

unsigned ldp_debug;
static bool debug_events_flag;

static void debug_msg(bool sent, const struct ldp_nbr *n, const struct ldp_msg *m)
{
	char lsr[ADDR4_STRLEN], fec[PREFIX4_STRLEN] = "";
	const struct ldp_label_msg *lm = &m->u_.label;

	if (!(ldp_debug & LDP_DEBUG_MESSAGES))
		return;
	addr4_ntop(n->lsr_id, lsr, sizeof(lsr));
	if (m->type >= LDP_MSG_LABEL_MAPPING && m->type <= LDP_MSG_LABEL_ABORT && lm->nfec > 0) {
		if (lm->fecs[0].type == LDP_FEC_PREFIX)
			prefix4_ntop(&lm->fecs[0].pfx, fec, sizeof(fec));
		else
			snprintf(fec, sizeof(fec), "wildcard");
		if (lm->has_label)
			log_info("ldp: %s %s %s %s FEC %s label %u", sent ? "sent" : "received",
				 ldp_msg_name(m->type), sent ? "to" : "from", lsr, fec, lm->label);
		else
			log_info("ldp: %s %s %s %s FEC %s", sent ? "sent" : "received",
				 ldp_msg_name(m->type), sent ? "to" : "from", lsr, fec);
		return;
	}
	log_info("ldp: %s %s %s %s", sent ? "sent" : "received", ldp_msg_name(m->type),
		 sent ? "to" : "from", lsr);
}

void ldpd_set_debug(unsigned flags)
{
	ldp_debug = flags;
	debug_events_flag = (flags & LDP_DEBUG_EVENTS) != 0;
	ldp_fsm_debug_events = &debug_events_flag;
}

/* ---- adjacencies ---- */

static void adj_del(struct ldp_adj *a)
{
	struct ldp_adj **pp;
	struct ldp_nbr *n = a->nbr;

	for (pp = &L.adjs; *pp; pp = &(*pp)->next)
		if (*pp == a) {
			*pp = a->next;
			break;
		}
	L.nadj--;
	event_free(a->expire);
	free(a);
	if (n != NULL && --n->nadj == 0)
		nbr_del(n); /* RFC 5036 2.5.5: last Hello adjacency gone, session goes */
}

static void adj_expire_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_adj *a = arg;
	char b[ADDR4_STRLEN];

	(void)fd;
	(void)what;
	log_info("ldp adjacency %s (%s): hold time expired", addr4_ntop(a->lsr_id, b, sizeof(b)),
		 a->type == LDP_ADJ_LINK ? a->ifname : "targeted");
	L.st.adj_expired++;
	adj_del(a);
}

static struct ldp_adj *adj_find(enum ldp_adj_type type, uint32_t lsr_id, const char *ifname,
				uint32_t src)
{
	for (struct ldp_adj *a = L.adjs; a; a = a->next) {
		if (a->type != type || a->lsr_id != lsr_id)
			continue;
		if (type == LDP_ADJ_LINK ? strcmp(a->ifname, ifname) == 0 : a->src == src)
			return a;
	}
	return NULL;
}

static bool targeted_accepted(uint32_t lsr_id, uint32_t src)
{
	for (int i = 0; i < ldpd_conf.nnbr; i++)
		if (ldpd_conf.nbr[i].targeted &&
		    (ldpd_conf.nbr[i].lsr_id == lsr_id || ldpd_conf.nbr[i].lsr_id == src))
			return true;
	return false;
}

static struct ldp_adj *adj_new(enum ldp_adj_type type, uint32_t lsr_id, const char *ifname,
			       uint32_t src, uint32_t trans)
{
	struct ldp_nbr *n = nbr_find(lsr_id);
	struct ldp_adj *a;

	if (n == NULL && L.nnbr >= ldpd_adj_limit())
		return NULL;
	if (n == NULL)
		n = nbr_new(lsr_id, trans);
	a = xcalloc(1, sizeof(*a));
	a->type = type;
	a->lsr_id = lsr_id;
	a->src = src;
	a->trans_addr = trans;
	if (ifname)
		snprintf(a->ifname, sizeof(a->ifname), "%s", ifname);
	a->uptime = time(NULL);
	a->expire = evtimer_new(L.base, adj_expire_cb, a);
	a->nbr = n;
	n->nadj++;
	a->next = L.adjs;
	L.adjs = a;
	L.nadj++;
	L.st.adj_created++;
	return a;
}

int ldpd_hello_input(const char *ifname, uint32_t src, uint32_t lsr_id, const struct ldp_hello *h)
{
	bool targeted = (h->flags & LDP_HELLO_T) != 0;
	enum ldp_adj_type type = targeted ? LDP_ADJ_TARGETED : LDP_ADJ_LINK;
	uint32_t trans = h->has_trans_addr ? h->trans_addr : src;
	struct ldp_adj *a;
	struct timeval tv = { 0, 0 };

	L.st.hello_rx++;
	if (!L.running || lsr_id == L.rid || lsr_id == 0 || trans == 0)
		return -1;
	if (targeted ? !targeted_accepted(lsr_id, src)
		     : (ifname == NULL || ldpd_iface_conf(ifname) == NULL)) {
		L.st.hello_unknown_if++;
		return -1;
	}
	a = adj_find(type, lsr_id, ifname, src);
	if (a == NULL) {
		if (L.nadj >= ldpd_adj_limit()) {
			L.st.hello_dropped_full++; /* bounded: unknown sources cost nothing */
			return -1;
		}
		if ((a = adj_new(type, lsr_id, targeted ? NULL : ifname, src, trans)) == NULL) {
			L.st.hello_dropped_full++;
			return -1;
		}
		/* a new neighbor on the link hears from us now, not up to one
		 * interval later: its session can start at once */
		if (!targeted)
			hello_fast(ifname);
	}
	a->holdtime = ldp_hold_negotiate(
		targeted ? (ldpd_conf.targeted_hold ? ldpd_conf.targeted_hold
						    : LDP_DEF_TARGETED_HOLD)
			 : link_hold(ifname),
		h->holdtime, targeted);
	a->gtsm = !targeted && (h->flags & LDP_HELLO_G);
	a->last_rx = time(NULL);
	if (a->holdtime != 0xffff) {
		tv.tv_sec = a->holdtime;
		evtimer_add(a->expire, &tv);
	}
	nbr_maybe_connect(a->nbr);
	pending_adopt(a->nbr);
	return 0;
}

/* ---- session I/O ---- */

static size_t outbuf_limit(void)
{
	struct lde_stats st = { 0 };

	if (L.lde != NULL)
		lde_get_stats(L.lde, &st);
	return LDP_OUTBUF_BASE + LDP_OUTBUF_PER_FEC * (size_t)st.fecs;
}

static void nbr_reset_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;

	(void)fd;
	(void)what;
	if (n->out_full && n->fsm.state != LDP_NBR_STA_NONEXISTENT)
		nbr_close(n, LDP_FSM_ST_INTERNAL_ERROR);
	n->out_full = false;
}

static int nbr_send(struct ldp_nbr *n, struct ldp_msg *m)
{
	uint8_t buf[LDP_MAX_PDU_DEFAULT];
	struct wbuf w = wbuf_init_fixed(buf, sizeof(buf));
	struct ldp_pdu_builder pb;
	struct ldp_id id = { L.rid, 0 };
	int len;

	if (n->fd < 0 || n->connecting)
		return -1;
	if (evbuffer_get_length(n->out) > outbuf_limit()) {
		/* mappings may not be dropped on a live session: it is reset
		 * (after this call chain returns) and resynchronized when it
		 * comes back */
		if (!n->out_full) {
			n->out_full = true;
			log_warnx(
				"ldp nbr %s: more than %zu bytes waiting to be sent (the peer does "
				"not read): session reset",
				n->fsm.name, outbuf_limit());
			event_active(n->ev_reset, EV_TIMEOUT, 0);
		}
		snprintf(n->last_error, sizeof(n->last_error), "output buffer full");
		return -1;
	}
	if (ldp_pdu_begin(&pb, &w, &id, n->max_pdu, &n->msg_id) < 0 || ldp_pdu_add(&pb, m) < 0 ||
	    (len = ldp_pdu_finish(&pb)) < 0)
		return -1;
	evbuffer_add(n->out, buf, (size_t)len);
	if (n->ev_write)
		event_add(n->ev_write, NULL);
	debug_msg(true, n, m);
	return 0;
}

static void nbr_flush(struct ldp_nbr *n)
{
	if (n->fd >= 0 && !n->connecting)
		while (evbuffer_get_length(n->out) > 0)
			if (evbuffer_write(n->out, n->fd) <= 0)
				break;
}

static int op_send_init(void *ctx)
{
	struct ldp_nbr *n = ctx;
	struct ldp_msg m = { .type = LDP_MSG_INIT };

	m.u_.init.proto_version = LDP_VERSION;
	m.u_.init.keepalive = session_keepalive(n->lsr_id);
	m.u_.init.max_pdu = LDP_MAX_PDU_DEFAULT;
	m.u_.init.receiver.lsr_id = n->lsr_id;
	m.u_.init.receiver.lspace = 0;
	if (ldpd_conf.gr) { /* RFC 3478 3: the FT Session TLV */
		m.u_.init.has_ft = true;
		/* RFC 3478 3: a reconnect time only if our forwarding would
		 * survive our restart */
		ldp_gr_local_ft(&m.u_.init.ft,
				fwd_keepable == NULL || fwd_keepable() ? gr_reconnect_ms() : 0,
				L.fwd_hold_until, mono_ms());
	}
	return nbr_send(n, &m);
}

static int op_send_keepalive(void *ctx)
{
	struct ldp_nbr *n = ctx;
	struct ldp_msg m = { .type = LDP_MSG_KEEPALIVE };

	n->st.ka_sent++;
	return nbr_send(n, &m);
}

static void op_send_notification(void *ctx, uint32_t status)
{
	struct ldp_nbr *n = ctx;
	struct ldp_msg m = { .type = LDP_MSG_NOTIFICATION };

	m.u_.notif.status = status;
	n->st.notif_sent++;
	snprintf(n->last_error, sizeof(n->last_error), "sent %s", ldp_status_name(status));
	if (nbr_send(n, &m) == 0)
		nbr_flush(n);
}

static void op_close_conn(void *ctx)
{
	struct ldp_nbr *n = ctx;
	struct timeval tv = { 0, 0 };

	nbr_flush(n);
	if (n->ev_read) {
		event_free(n->ev_read);
		n->ev_read = NULL;
	}
	if (n->ev_write) {
		event_free(n->ev_write);
		n->ev_write = NULL;
	}
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	n->connecting = false;
	evbuffer_drain(n->out, evbuffer_get_length(n->out));
	n->inlen = 0;
	n->msg_id = 0;
	n->max_pdu = LDP_MAX_PDU_DEFAULT;
	/* RFC 5036 2.5.3: back off after a failed initialization */
	if (!n->was_oper) {
		n->init_failures++;
		log_info("ldp nbr %s: session closed before operational (%s)", n->fsm.name,
			 n->last_error[0] ? n->last_error : "no reason recorded");
	}
	n->backoff = n->was_oper ? 0 : ldp_backoff_next(n->backoff);
	n->was_oper = false;
	if (n->active) {
		tv.tv_sec = n->backoff ? n->backoff : 1;
		evtimer_add(n->ev_connect, &tv);
	}
}

/* Our IPv4 addresses except 127/8, in a heap array that grows with the
 * interfaces (*out, freed by the caller). */
static int local_addrs(uint32_t **out)
{
	struct ifaddrs *ifa, *i;
	int n = 0, cap = 0;

	*out = NULL;
	if (getifaddrs(&ifa) != 0)
		return 0;
	for (i = ifa; i; i = i->ifa_next) {
		uint32_t a;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET)
			continue;
		a = ntohl(((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr.s_addr);
		if ((a >> 24) == 127)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = xrealloc(*out, (size_t)cap * sizeof(**out));
		}
		(*out)[n++] = a;
	}
	freeifaddrs(ifa);
	return n;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Addresses that fit one Address message in a PDU of max_pdu bytes:
 * PDU header (10), message header and id (8), Address List TLV header
 * (4) and address family (2), then 4 bytes each (RFC 5036 3.5.5). */
int ldp_addrs_per_msg(uint16_t max_pdu)
{
	return ((int)max_pdu - 10 - 8 - 4 - 2) / 4;
}

/* Address / Address Withdraw for addrs[0..n) to one neighbor, split over as
 * many messages (one per PDU) as its negotiated max PDU length needs. */
static void addr_send_nbr(struct ldp_nbr *nb, uint16_t type, uint32_t *addrs, int n)
{
	int per = ldp_addrs_per_msg(nb->max_pdu), off;

	for (off = 0; per > 0 && off < n; off += per) {
		struct ldp_msg m = { .type = type };

		m.u_.addr.family = LDP_AF_IPV4;
		m.u_.addr.naddr = (uint16_t)(n - off < per ? n - off : per);
		m.u_.addr.addrs = addrs + off;
		if (nbr_send(nb, &m) != 0)
			return;
		if (type == LDP_MSG_ADDRESS)
			nb->st.addr_sent++;
		else
			nb->st.addrwd_sent++;
	}
}

static void addr_send_all(uint16_t type, uint32_t *addrs, int n)
{
	if (n == 0)
		return;
	for (struct ldp_nbr *nb = L.nbrs; nb; nb = nb->next)
		if (nb->fsm.state == LDP_NBR_STA_OPERATIONAL)
			addr_send_nbr(nb, type, addrs, n);
}

/* Our interface addresses now; with notify, operational neighbors get
 * Address / Address Withdraw for the difference (RFC 5036 3.5.5, 3.5.6). */
static void addr_refresh(bool notify)
{
	uint32_t *cur, *add, *del;
	int n = local_addrs(&cur), i = 0, j = 0, na = 0, nd = 0;

	if (n > 0)
		qsort(cur, (size_t)n, sizeof(cur[0]), cmp_u32);
	add = xcalloc((size_t)n + 1, sizeof(*add));
	del = xcalloc((size_t)L.nadv + 1, sizeof(*del));
	while (i < n || j < L.nadv) {
		if (j >= L.nadv || (i < n && cur[i] < L.adv[j]))
			add[na++] = cur[i++];
		else if (i >= n || L.adv[j] < cur[i])
			del[nd++] = L.adv[j++];
		else
			i++, j++;
	}
	free(L.adv);
	L.adv = cur;
	L.nadv = n;
	L.adv_valid = true;
	if (notify) {
		addr_send_all(LDP_MSG_ADDRESS_WITHDRAW, del, nd);
		addr_send_all(LDP_MSG_ADDRESS, add, na);
	}
	free(add);
	free(del);
}

static void op_session_up(void *ctx)
{
	struct ldp_nbr *n = ctx;

	n->was_oper = true;
	n->backoff = 0;
	n->uptime = time(NULL);
	n->last_error[0] = '\0';
	L.st.sessions_up++;
	log_info("ldp nbr %s: session operational", n->fsm.name);
	/* RFC 5036 3.5.5: our addresses first, so that the peer maps next hops */
	if (!L.adv_valid)
		addr_refresh(false);
	addr_send_nbr(n, LDP_MSG_ADDRESS, L.adv, L.nadv);
	lde_nbr_up(L.lde, n->lsr_id, n->addrs, n->naddr);
	/* RFC 3478: a restarting neighbor is back; its Recovery Time starts */
	ldp_gr_session_up(L.gr, n->lsr_id, n->peer_has_ft ? &n->peer_ft : NULL, gr_limits(),
			  mono_ms());
	gr_arm();
}

/* An OPERATIONAL session with lsr_id is gone; ft: its Initialization's. */
static void session_lost(uint32_t lsr_id, const struct ldp_ft *ft)
{
	if (ldp_gr_session_down(L.gr, lsr_id, ft, gr_limits(), mono_ms()))
		lde_nbr_down_stale(L.lde, lsr_id); /* RFC 3478 helper */
	else
		lde_nbr_down(L.lde, lsr_id);
	gr_arm();
}

static void op_session_down(void *ctx)
{
	struct ldp_nbr *n = ctx;

	L.st.sessions_down++;
	n->naddr = 0;
	n->uptime = 0;
	session_lost(n->lsr_id, n->peer_has_ft ? &n->peer_ft : NULL);
}

static void op_start_ka_timeout(void *ctx)
{
	struct ldp_nbr *n = ctx;
	struct timeval tv = { n->keepalive ? n->keepalive : session_keepalive(n->lsr_id), 0 };

	evtimer_add(n->ev_ka_timeout, &tv);
}

static void op_start_ka_timer(void *ctx)
{
	struct ldp_nbr *n = ctx;
	int ka = n->keepalive ? n->keepalive : session_keepalive(n->lsr_id);
	struct timeval tv = { ka / 3 > 0 ? ka / 3 : 1, 0 };

	evtimer_add(n->ev_ka_timer, &tv);
}

static void op_stop_timers(void *ctx)
{
	struct ldp_nbr *n = ctx;

	evtimer_del(n->ev_ka_timeout);
	evtimer_del(n->ev_ka_timer);
}

static const struct ldp_fsm_ops nbr_fsm_ops = {
	op_send_init,	   op_send_keepalive,	op_send_notification,
	op_close_conn,	   op_session_up,	op_session_down,
	op_start_ka_timeout, op_start_ka_timer, op_stop_timers,
};

static void nbr_close(struct ldp_nbr *n, uint32_t status)
{
	ldp_fsm_event(&n->fsm, LDP_EVT_CLOSE_SESSION, status);
}

static void nbr_ka_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;

	(void)fd;
	(void)what;
	snprintf(n->last_error, sizeof(n->last_error), "keepalive timer expired");
	ldp_fsm_event(&n->fsm, LDP_EVT_KEEPALIVE_TIMEOUT, 0);
}

static void nbr_ka_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;

	(void)fd;
	(void)what;
	if (n->fsm.state != LDP_NBR_STA_OPERATIONAL)
		return;
	if (op_send_keepalive(n) != 0) {
		nbr_close(n, LDP_FSM_ST_INTERNAL_ERROR);
		return;
	}
	op_start_ka_timer(n);
}

/* ---- received messages ---- */

static int recv_init(struct ldp_nbr *n, const struct ldp_init *in, struct ldp_err *err)
{
	uint16_t ours = session_keepalive(n->lsr_id);

	/* RFC 5036 3.5.3: the receiver LDP identifier must be ours */
	if (in->receiver.lsr_id != L.rid || in->receiver.lspace != 0)
		return ldp_err_set(err, LDP_ST_REJ_NO_HELLO, "Init for another LDP ID");
	if (in->keepalive == 0)
		return ldp_err_set(err, LDP_ST_REJ_BAD_KEEPALIVE, "keepalive time 0");
	n->keepalive = in->keepalive < ours ? in->keepalive : ours;
	n->peer_has_ft = in->has_ft;
	n->peer_ft = in->ft; /* zero without the TLV */
	n->max_pdu = ldp_init_max_pdu(in) < LDP_MAX_PDU_DEFAULT ? ldp_init_max_pdu(in)
								: LDP_MAX_PDU_DEFAULT;
	if (n->max_pdu < 256)
		n->max_pdu = LDP_MAX_PDU_DEFAULT;
	return 0;
}

/* false when the address is refused (over LDP_NBR_ADDRS_MAX) */
static bool nbr_addr_add(struct ldp_nbr *n, uint32_t a)
{
	for (int i = 0; i < n->naddr; i++)
		if (n->addrs[i] == a)
			return true;
	if (n->naddr >= LDP_NBR_ADDRS_MAX) {
		if (n->addrs_dropped++ == 0)
			log_warnx("ldp nbr %s: more than %d addresses advertised: the rest are "
				  "ignored",
				  n->fsm.name, LDP_NBR_ADDRS_MAX);
		return false;
	}
	if (n->naddr == n->addr_cap) {
		n->addr_cap = n->addr_cap ? n->addr_cap * 2 : 16;
		n->addrs = xrealloc(n->addrs, (size_t)n->addr_cap * sizeof(*n->addrs));
	}
	n->addrs[n->naddr++] = a;
	return true;
}

static void nbr_addr_del(struct ldp_nbr *n, uint32_t a)
{
	for (int i = 0; i < n->naddr; i++)
		if (n->addrs[i] == a) {
			n->addrs[i] = n->addrs[--n->naddr];
			break;
		}
}

static void recv_label(struct ldp_nbr *n, const struct ldp_msg *m)
{
	const struct ldp_label_msg *lm = &m->u_.label;
	mpls_label_t lbl = lm->has_label ? lm->label : MPLS_LABEL_NONE;

	for (int i = 0; i < lm->nfec; i++) {
		const struct prefix4 *fec =
			lm->fecs[i].type == LDP_FEC_PREFIX ? &lm->fecs[i].pfx : NULL;

		switch (m->type) {
		case LDP_MSG_LABEL_MAPPING:
			if (fec)
				lde_recv_mapping(L.lde, n->lsr_id, fec, lbl);
			break;
		case LDP_MSG_LABEL_WITHDRAW:
			lde_recv_withdraw(L.lde, n->lsr_id, fec, lbl);
			break;
		case LDP_MSG_LABEL_RELEASE:
			lde_recv_release(L.lde, n->lsr_id, fec, lbl);
			break;
		case LDP_MSG_LABEL_REQUEST:
			if (fec)
				lde_recv_request(L.lde, n->lsr_id, fec, m->id);
			break;
		default:
			break;
		}
		if (n->fsm.state != LDP_NBR_STA_OPERATIONAL)
			return;
	}
}

static void recv_oper_msg(struct ldp_nbr *n, struct ldp_msg *m)
{
	switch (m->type) {
	case LDP_MSG_ADDRESS: {
		int k = 0;

		n->st.addr_rcvd++;
		/* one LDE re-evaluation per message, not per address */
		for (int i = 0; i < m->u_.addr.naddr; i++)
			if (nbr_addr_add(n, m->u_.addr.addrs[i]))
				m->u_.addr.addrs[k++] = m->u_.addr.addrs[i];
		lde_nbr_addresses_add(L.lde, n->lsr_id, m->u_.addr.addrs, k);
		break;
	}
	case LDP_MSG_ADDRESS_WITHDRAW:
		n->st.addrwd_rcvd++;
		for (int i = 0; i < m->u_.addr.naddr; i++)
			nbr_addr_del(n, m->u_.addr.addrs[i]);
		lde_nbr_addresses_del(L.lde, n->lsr_id, m->u_.addr.addrs, m->u_.addr.naddr);
		break;
	case LDP_MSG_LABEL_MAPPING:
		n->st.map_rcvd++;
		L.last_mapping_ms = (uint64_t)mono_ms(); /* ped's restart gate */
		recv_label(n, m);
		break;
	case LDP_MSG_LABEL_WITHDRAW: n->st.wd_rcvd++; recv_label(n, m); break;
	case LDP_MSG_LABEL_RELEASE: n->st.rel_rcvd++; recv_label(n, m); break;
	case LDP_MSG_LABEL_REQUEST: n->st.req_rcvd++; recv_label(n, m); break;
	case LDP_MSG_LABEL_ABORT: n->st.abort_rcvd++; break;
	default: break;
	}
}

/* One decoded message; returns -1 when the session closed. */
static int nbr_recv_msg(struct ldp_nbr *n, struct ldp_msg *m)
{
	struct ldp_err err;

	if (m->ignored)
		return 0;
	debug_msg(false, n, m);
	switch (m->type) {
	case LDP_MSG_INIT:
		memset(&err, 0, sizeof(err));
		if (recv_init(n, &m->u_.init, &err) != 0) {
			snprintf(n->last_error, sizeof(n->last_error), "%s", err.reason);
			nbr_close(n, err.status);
			return -1;
		}
		ldp_fsm_event(&n->fsm, LDP_EVT_INIT_RCVD, 0);
		break;
	case LDP_MSG_KEEPALIVE:
		n->st.ka_rcvd++;
		ldp_fsm_event(&n->fsm, LDP_EVT_KEEPALIVE_RCVD, 0);
		break;
	case LDP_MSG_NOTIFICATION:
		n->st.notif_rcvd++;
		snprintf(n->last_error, sizeof(n->last_error), "received %s",
			 ldp_status_name(m->u_.notif.status));
		log_info("ldp nbr %s: notification %s", n->fsm.name,
			 ldp_status_name(m->u_.notif.status));
		if (ldp_status_fatal(m->u_.notif.status))
			nbr_close(n, LDP_FSM_ST_NONE); /* 3.5.1.1: no answer to a fatal one */
		break;
	case LDP_MSG_HELLO:
		break; /* not on a session: ignored */
	default:
		if (n->fsm.state != LDP_NBR_STA_OPERATIONAL) {
			/* 2.5.4: any other message before OPERATIONAL */
			nbr_close(n, LDP_FSM_ST_SHUTDOWN);
			return -1;
		}
		recv_oper_msg(n, m);
		break;
	}
	return n->fd >= 0 ? 0 : -1;
}

static void nbr_send_err_notification(struct ldp_nbr *n, const struct ldp_err *err)
{
	struct ldp_msg m;

	memset(&m, 0, sizeof(m));
	ldp_notification_from_err(&m, err);
	n->st.notif_sent++;
	nbr_send(n, &m);
}

/* One whole PDU of total bytes; -1 when the session closed. */
static int nbr_recv_pdu(struct ldp_nbr *n, const uint8_t *data, size_t total)
{
	struct wbuf b = wbuf_from(data, total), msgs;
	struct ldp_id expect = { n->lsr_id, 0 };
	struct ldp_pdu_hdr h;
	struct ldp_err err;
	struct ldp_msg m;
	int rc;

	memset(&err, 0, sizeof(err));
	if (ldp_pdu_open(&b, n->max_pdu, &expect, &h, &msgs, &err) != 0)
		goto fatal;
	ldp_fsm_event(&n->fsm, LDP_EVT_PDU_RCVD, 0);
	for (;;) {
		memset(&m, 0, sizeof(m));
		memset(&err, 0, sizeof(err));
		rc = ldp_msg_next(&msgs, &m, &err);
		if (rc == 0)
			return 0;
		if (rc < 0) {
			ldp_msg_clear(&m);
			if (ldp_status_fatal(err.status))
				goto fatal;
			log_info("ldp nbr %s: %s", n->fsm.name, err.reason);
			nbr_send_err_notification(n, &err); /* advisory: go on */
			continue;
		}
		rc = nbr_recv_msg(n, &m);
		ldp_msg_clear(&m);
		if (rc < 0)
			return -1;
	}
fatal:
	log_warnx("ldp nbr %s: %s (%s): session reset", n->fsm.name, err.reason,
		  ldp_status_name(err.status));
	snprintf(n->last_error, sizeof(n->last_error), "%s", err.reason);
	nbr_close(n, err.status);
	return -1;
}

static void nbr_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;
	ssize_t r;
	size_t off = 0, total;
	struct ldp_err err;

	(void)what;
	r = read(fd, n->inbuf + n->inlen, LDP_INBUF_SIZE - n->inlen);
	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
		snprintf(n->last_error, sizeof(n->last_error), "%s",
			 r == 0 ? "connection closed by peer" : strerror(errno));
		nbr_close(n, LDP_FSM_ST_NONE);
		return;
	}
	if (r < 0)
		return;
	n->inlen += (size_t)r;
	for (;;) {
		struct wbuf b = wbuf_from(n->inbuf + off, n->inlen - off);
		int rc;

		memset(&err, 0, sizeof(err));
		rc = ldp_pdu_peek(&b, n->max_pdu, &total, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			log_warnx("ldp nbr %s: %s: session reset", n->fsm.name, err.reason);
			snprintf(n->last_error, sizeof(n->last_error), "%s", err.reason);
			nbr_close(n, err.status);
			return;
		}
		if (nbr_recv_pdu(n, n->inbuf + off, total) < 0)
			return; /* closed: buffers are gone */
		off += total;
	}
	memmove(n->inbuf, n->inbuf + off, n->inlen - off);
	n->inlen -= off;
}

static void nbr_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;

	(void)what;
	if (evbuffer_write(n->out, fd) < 0 && errno != EAGAIN && errno != EINTR) {
		snprintf(n->last_error, sizeof(n->last_error), "write: %s", strerror(errno));
		nbr_close(n, LDP_FSM_ST_NONE);
		return;
	}
	if (evbuffer_get_length(n->out) > 0)
		event_add(n->ev_write, NULL);
}

/* ---- socket options ---- */

static void md5_set(int fd, uint32_t addr, const char *password)
{
	struct tcp_md5sig md5;
	struct sockaddr_in *sin = (struct sockaddr_in *)&md5.tcpm_addr;
	size_t len = strlen(password);

	memset(&md5, 0, sizeof(md5));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
	if (len > TCP_MD5SIG_MAXKEYLEN)
		len = TCP_MD5SIG_MAXKEYLEN;
	md5.tcpm_keylen = (uint16_t)len;
	memcpy(md5.tcpm_key, password, len);
	if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5)) != 0)
		log_warn("ldp: TCP_MD5SIG");
}

static bool nbr_gtsm(const struct ldp_nbr *n, bool *check)
{
	struct ldp_nbr_conf *nc = ldpd_nbr_conf(n->lsr_id);

	*check = !ldpd_conf.gtsm_off && !(nc && nc->ttl_security_off);
	for (struct ldp_adj *a = L.adjs; a; a = a->next)
		if (a->nbr == n && a->type == LDP_ADJ_LINK && a->gtsm)
			return true;
	return false;
}

/* RFC 6720: send with TTL 255 and, when both ends do GTSM, accept only 255 */
static void sock_session_opts(struct ldp_nbr *n, int fd)
{
	int one = 1, ttl = 255;
	bool check;
	struct ldp_nbr_conf *nc = ldpd_nbr_conf(n->lsr_id);

	evutil_make_socket_nonblocking(fd);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	n->gtsm = nbr_gtsm(n, &check);
	if (n->gtsm) {
		setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
		if (check)
			setsockopt(fd, IPPROTO_IP, IP_MINTTL, &ttl, sizeof(ttl));
		else
			n->gtsm = false;
	}
	n->md5 = nc && nc->password[0];
	if (n->md5)
		md5_set(fd, n->raddr, nc->password);
}

static void nbr_session_events(struct ldp_nbr *n)
{
	n->ev_read = event_new(L.base, n->fd, EV_READ | EV_PERSIST, nbr_read_cb, n);
	n->ev_write = event_new(L.base, n->fd, EV_WRITE, nbr_write_cb, n);
	event_add(n->ev_read, NULL);
}

static void nbr_local_addr(struct ldp_nbr *n)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	if (getsockname(n->fd, (struct sockaddr *)&sin, &sl) == 0) {
		n->laddr = ntohl(sin.sin_addr.s_addr);
		n->lport = ntohs(sin.sin_port);
	}
}

/* ---- active role: connect ---- */

static void nbr_connected_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;
	int soerr = 0;
	socklen_t sl = sizeof(soerr);
	struct timeval tv = { 0, 0 };

	(void)what;
	if (n->connect_errno != 0)
		soerr = n->connect_errno; /* connect() itself failed: SO_ERROR is 0 */
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
		soerr = errno;
	if (soerr != 0) {
		/* a TCP failure, not a failed initialization (RFC 5036 2.5.3's
		 * backoff is for those): typically no route yet to the peer's
		 * transport address while the IGP beside ped converges, or its
		 * LDP not listening yet; try again in a second */
		snprintf(n->last_error, sizeof(n->last_error), "connect: %s", strerror(soerr));
		log_info("ldp nbr %s: %s", n->fsm.name, n->last_error);
		event_free(n->ev_write);
		n->ev_write = NULL;
		close(n->fd);
		n->fd = -1;
		n->connecting = false;
		n->connect_errno = 0;
		tv.tv_sec = 1;
		evtimer_add(n->ev_connect, &tv);
		return;
	}
	event_free(n->ev_write);
	n->ev_write = NULL;
	n->connecting = false;
	nbr_local_addr(n);
	n->rport = LDP_PORT;
	nbr_session_events(n);
	ldp_fsm_event(&n->fsm, LDP_EVT_CONNECT_UP, 0);
}

static void nbr_connect_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;
	struct sockaddr_in sin;
	int s;

	(void)fd;
	(void)what;
	if (!n->active || n->fd >= 0 || n->fsm.state != LDP_NBR_STA_NONEXISTENT || n->nadj == 0)
		return;
	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return;
	n->fd = s;
	sock_session_opts(n, s);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(L.trans);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		log_warn("ldp nbr %s: bind to transport address", n->fsm.name);
	sin.sin_addr.s_addr = htonl(n->raddr);
	sin.sin_port = htons(LDP_PORT);
	n->connecting = true;
	n->connect_errno = 0;
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 && errno != EINPROGRESS) {
		n->connect_errno = errno;
		n->ev_write = event_new(L.base, s, EV_WRITE, nbr_connected_cb, n);
		event_active(n->ev_write, EV_WRITE, 0);
		return;
	}
	n->ev_write = event_new(L.base, s, EV_WRITE, nbr_connected_cb, n);
	event_add(n->ev_write, NULL);
}

static void nbr_maybe_connect(struct ldp_nbr *n)
{
	struct timeval tv = { 0, 0 };

	if (!n->active || n->fd >= 0 || n->fsm.state != LDP_NBR_STA_NONEXISTENT ||
	    evtimer_pending(n->ev_connect, NULL))
		return;
	tv.tv_sec = n->backoff;
	evtimer_add(n->ev_connect, &tv);
}

/* ---- passive role: accept ---- */

/* The connection becomes the neighbor's session (passive side). */
static void nbr_take_conn(struct ldp_nbr *n, int s, uint16_t port)
{
	n->fd = s;
	n->rport = port;
	sock_session_opts(n, s);
	nbr_local_addr(n);
	nbr_session_events(n);
	ldp_fsm_event(&n->fsm, LDP_EVT_MATCH_ADJ, 0);
}

static void pending_del(struct ldp_pending *p, bool close_fd)
{
	struct ldp_pending **pp;

	for (pp = &L.pending; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	L.npending--;
	if (close_fd)
		close(p->fd);
	event_free(p->ev_timeout);
	free(p);
}

static void pending_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_pending *p = arg;
	char b[ADDR4_STRLEN];

	(void)fd;
	(void)what;
	log_info("ldp: connection from %s closed: no Hello from it within %d s",
		 addr4_ntop(p->addr, b, sizeof(b)), LDP_PENDING_CONN_TIMEOUT);
	L.st.conn_pending_expired++;
	pending_del(p, true);
}

/* A Hello made n known: a connection it opened before is its session now. */
static void pending_adopt(struct ldp_nbr *n)
{
	struct ldp_pending *p;

	if (n->active || n->fd >= 0 || n->fsm.state != LDP_NBR_STA_NONEXISTENT)
		return;
	for (p = L.pending; p; p = p->next)
		if (p->addr == n->raddr) {
			int s = p->fd;
			uint16_t port = p->port;

			pending_del(p, false);
			L.st.conn_adopted++;
			if (ldp_debug & LDP_DEBUG_EVENTS)
				log_info("ldp nbr %s: held connection bound to the new adjacency",
					 n->fsm.name);
			nbr_take_conn(n, s, port);
			return;
		}
}

/* RFC 5036 2.5.3 wants a Hello from the source before the session: a
 * connection that comes first (the peer heard our Hello, we have not heard
 * its own yet) is held for LDP_PENDING_CONN_TIMEOUT seconds instead of
 * reset, which would cost the peer its 15 s initialization backoff. One per
 * source address (a newer one replaces it), at most ldpd_adj_limit(). */
static void pending_add(int s, uint32_t addr, uint16_t port)
{
	struct timeval tv = { LDP_PENDING_CONN_TIMEOUT, 0 };
	struct ldp_pending *p;

	for (p = L.pending; p; p = p->next)
		if (p->addr == addr) {
			pending_del(p, true);
			break;
		}
	if (L.npending >= ldpd_adj_limit()) {
		L.st.conn_refused++;
		close(s);
		return;
	}
	p = xcalloc(1, sizeof(*p));
	p->fd = s;
	p->addr = addr;
	p->port = port;
	p->ev_timeout = evtimer_new(L.base, pending_timeout_cb, p);
	evtimer_add(p->ev_timeout, &tv);
	p->next = L.pending;
	L.pending = p;
	L.npending++;
	L.st.conn_pending++;
}

static void tcp_accept_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct ldp_nbr *n;
	uint32_t addr;
	int s;

	(void)what;
	(void)arg;
	s = accept4(fd, (struct sockaddr *)&sin, &sl, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (s < 0)
		return;
	addr = ntohl(sin.sin_addr.s_addr);
	n = nbr_find_addr(addr);
	if (n == NULL) {
		pending_add(s, addr, ntohs(sin.sin_port));
		return;
	}
	/* only when we are the passive side and have no session yet */
	if (n->fd >= 0 || n->active || n->fsm.state != LDP_NBR_STA_NONEXISTENT) {
		L.st.conn_refused++;
		close(s);
		return;
	}
	nbr_take_conn(n, s, ntohs(sin.sin_port));
}

/* ---- discovery sockets ---- */

static void udp_recv_cb(evutil_socket_t fd, short what, void *arg)
{
	uint8_t pkt[LDP_MAX_PDU_DEFAULT];
	char cbuf[256], ifname[IF_NAMESIZE] = "";
	struct sockaddr_in src;
	struct iovec iov = { pkt, sizeof(pkt) };
	struct msghdr mh = { .msg_name = &src, .msg_namelen = sizeof(src), .msg_iov = &iov,
			     .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	bool mcast = false;
	ssize_t r;
	struct wbuf b, msgs;
	struct ldp_pdu_hdr h;
	struct ldp_err err;
	struct ldp_msg m;

	(void)what;
	(void)arg;
	if ((r = recvmsg(fd, &mh, 0)) <= 0)
		return;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			mcast = ntohl(pi.ipi_addr.s_addr) == LDP_ALL_ROUTERS;
			if (if_indextoname((unsigned)pi.ipi_ifindex, ifname) == NULL)
				ifname[0] = '\0';
		}
	b = wbuf_from(pkt, (size_t)r);
	memset(&err, 0, sizeof(err));
	memset(&m, 0, sizeof(m));
	if (ldp_pdu_open(&b, LDP_MAX_PDU_DEFAULT, NULL, &h, &msgs, &err) != 0 ||
	    ldp_msg_next(&msgs, &m, &err) != 1 || m.type != LDP_MSG_HELLO ||
	    mcast == ((m.u_.hello.flags & LDP_HELLO_T) != 0)) {
		L.st.hello_bad++;
		ldp_msg_clear(&m);
		return;
	}
	ldpd_hello_input(mcast ? ifname : NULL, ntohl(src.sin_addr.s_addr), h.id.lsr_id,
			 &m.u_.hello);
	ldp_msg_clear(&m);
}

static int hello_build(uint8_t *buf, size_t len, bool targeted, uint16_t hold)
{
	struct wbuf w = wbuf_init_fixed(buf, len);
	struct ldp_pdu_builder pb;
	struct ldp_id id = { L.rid, 0 };
	struct ldp_msg m = { .type = LDP_MSG_HELLO };
	uint32_t msgid = 0;

	m.u_.hello.holdtime = hold;
	m.u_.hello.flags = targeted ? (LDP_HELLO_T | LDP_HELLO_R)
				    : (ldpd_conf.gtsm_off ? 0 : LDP_HELLO_G);
	m.u_.hello.has_trans_addr = true;
	m.u_.hello.trans_addr = L.trans;
	if (ldp_pdu_begin(&pb, &w, &id, LDP_MAX_PDU_DEFAULT, &msgid) < 0 ||
	    ldp_pdu_add(&pb, &m) < 0)
		return -1;
	return ldp_pdu_finish(&pb);
}

/* Targeted Hellos leave from our transport address (as FRR's do), so the
 * peer keys the adjacency on a stable source, not on an outgoing link. */
static ssize_t hello_sendmsg(const void *buf, size_t len, struct sockaddr_in *dst, bool targeted)
{
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct iovec iov = { (void *)(uintptr_t)buf, len };
	struct msghdr mh = { .msg_name = dst, .msg_namelen = sizeof(*dst), .msg_iov = &iov,
			     .msg_iovlen = 1 };
	struct cmsghdr *c;
	struct in_pktinfo pi;

	if (targeted) {
		memset(cbuf, 0, sizeof(cbuf));
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst.s_addr = htonl(L.trans);
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	return sendmsg(L.udp_fd, &mh, 0);
}

/* 0, or the errno of the kernel's refusal */
static int hello_send(int ifindex, uint32_t dst, bool targeted, uint16_t hold)
{
	uint8_t buf[128];
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(LDP_PORT) };
	struct ip_mreqn mr;
	int len = hello_build(buf, sizeof(buf), targeted, hold);

	if (len < 0)
		return EINVAL;
	if (!targeted) {
		memset(&mr, 0, sizeof(mr));
		mr.imr_ifindex = ifindex;
		if (setsockopt(L.udp_fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) != 0)
			return errno;
	}
	sin.sin_addr.s_addr = htonl(dst);
	if (hello_sendmsg(buf, (size_t)len, &sin, targeted) != len)
		return errno ? errno : EIO;
	L.st.hello_tx++;
	return 0;
}

/* A link Hello out of r; a refusal is logged once per cause and shown. */
static void ifrt_hello(struct ldp_ifrt *r)
{
	int err = hello_send(r->ifindex, LDP_ALL_ROUTERS, false, link_hold(r->name));

	if (err != 0 && err != r->send_errno)
		log_warnx("ldp: interface %s: cannot send Hello: %s", r->name, strerror(err));
	else if (err == 0 && r->send_errno != 0)
		log_info("ldp: interface %s: Hellos go out again", r->name);
	r->send_errno = err;
}

/* Joins 224.0.0.2 on the interface with a socket of its own (struct
 * ldp_ifrt); a refusal is logged once per cause and kept as the
 * interface's state for show. */
static int ifrt_join(struct ldp_ifrt *r)
{
	struct ip_mreqn mr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), zero = 0, err;

	memset(&mr, 0, sizeof(mr));
	mr.imr_multiaddr.s_addr = htonl(LDP_ALL_ROUTERS);
	mr.imr_ifindex = r->ifindex;
	if (s >= 0) {
		/* never read: it must not collect other sockets' groups either */
		setsockopt(s, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof(zero));
		if (setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) == 0) {
			if (r->join_errno != 0)
				log_info("ldp: interface %s joined 224.0.0.2", r->name);
			r->mfd = s;
			r->join_errno = 0;
			return 0;
		}
	}
	err = errno;
	if (s >= 0)
		close(s);
	if (err != r->join_errno) {
		log_warnx("ldp: interface %s: cannot join 224.0.0.2: %s", r->name, strerror(err));
		L.st.join_failed++;
	}
	r->join_errno = err;
	return -1;
}

/* Closing the socket drops its membership. */
static void ifrt_leave(struct ldp_ifrt *r)
{
	if (r->mfd >= 0)
		close(r->mfd);
	r->mfd = -1;
	r->joined = false;
	r->uptime = 0;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A Hello now on the link where a new neighbor appeared: its first Hellos
 * may have gone out before we had joined, and its session needs ours.
 * At most one every LDP_FAST_HELLO_MS per interface (a flood of new LSR IDs
 * costs at most that many packets). */
#define LDP_FAST_HELLO_MS 50
static void hello_fast(const char *ifname)
{
	int64_t now = mono_ms();

	if (L.base == NULL || L.udp_fd < 0)
		return;
	for (int i = 0; i < L.nifrt; i++) {
		struct ldp_ifrt *r = &L.ifrt[i];

		if (strcmp(r->name, ifname) != 0 || !r->joined ||
		    (r->last_fast_ms != 0 && now - r->last_fast_ms < LDP_FAST_HELLO_MS))
			continue;
		ifrt_hello(r);
		r->last_fast_ms = now;
	}
}

/* An LDP interface that is down holds no link adjacency (as FRR does):
 * the sessions over it go at once instead of after the hello hold time. */
static void ifrt_adjs_drop(const char *ifname)
{
	struct ldp_adj *a, *next;

	for (a = L.adjs; a; a = next) {
		next = a->next;
		if (a->type == LDP_ADJ_LINK && strcmp(a->ifname, ifname) == 0) {
			if (ldp_debug & LDP_DEBUG_EVENTS)
				log_info("ldp: interface %s down: adjacency dropped", ifname);
			adj_del(a);
		}
	}
}

static bool ifrt_oper_up(const char *ifname)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(L.udp_fd, SIOCGIFFLAGS, &ifr) != 0)
		return false;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
}

static void ifrt_remove(int i)
{
	struct ldp_adj *a, *next;

	ifrt_leave(&L.ifrt[i]);
	for (a = L.adjs; a; a = next) {
		next = a->next;
		if (a->type == LDP_ADJ_LINK && strcmp(a->ifname, L.ifrt[i].name) == 0)
			adj_del(a); /* may free later entries' neighbor, not adjacencies */
	}
	L.ifrt[i] = L.ifrt[--L.nifrt];
}

/* Interfaces follow the config: join/leave, and send due Hellos. */
static void ifaces_sync(time_t now)
{
	int i, j;

	for (i = 0; i < L.nifrt; i++)
		if (ldpd_iface_conf(L.ifrt[i].name) == NULL)
			ifrt_remove(i--);
	for (j = 0; j < ldpd_conf.niface; j++) {
		struct ldp_ifrt *r = NULL;
		unsigned idx = if_nametoindex(ldpd_conf.iface[j].name);

		for (i = 0; i < L.nifrt; i++)
			if (strcmp(L.ifrt[i].name, ldpd_conf.iface[j].name) == 0)
				r = &L.ifrt[i];
		if (r == NULL) {
			if (L.nifrt == L.ifrt_cap) {
				L.ifrt_cap = L.ifrt_cap ? L.ifrt_cap * 2 : 8;
				L.ifrt = xrealloc(L.ifrt, (size_t)L.ifrt_cap * sizeof(*L.ifrt));
			}
			r = &L.ifrt[L.nifrt++];
			memset(r, 0, sizeof(*r));
			r->mfd = -1;
			snprintf(r->name, sizeof(r->name), "%s", ldpd_conf.iface[j].name);
		}
		if (r->joined && (int)idx != r->ifindex)
			ifrt_leave(r); /* interface went away or was recreated */
		r->ifindex = (int)idx;
		if (idx != 0 && !ifrt_oper_up(r->name)) {
			if (r->oper_up)
				ifrt_adjs_drop(r->name);
			r->oper_up = false;
			continue;
		}
		r->oper_up = idx != 0;
		if (!r->joined && idx != 0 && ifrt_join(r) == 0) {
			r->joined = true;
			r->uptime = now;
		}
		if (r->joined && now - r->last_hello >= link_interval(r->name)) {
			ifrt_hello(r);
			r->last_hello = now;
		}
	}
}

static void targeted_sync(time_t now)
{
	int iv = ldpd_conf.targeted_interval ? ldpd_conf.targeted_interval
					     : LDP_DEF_TARGETED_INTERVAL;
	int hold = ldpd_conf.targeted_hold ? ldpd_conf.targeted_hold : LDP_DEF_TARGETED_HOLD;

	for (int i = 0; i < ldpd_conf.nnbr; i++)
		if (ldpd_conf.nbr[i].targeted && now - ldpd_conf.nbr[i].last_targeted >= iv) {
			struct ldp_nbr_conf *nc = &ldpd_conf.nbr[i];
			int err = hello_send(0, nc->lsr_id, true, (uint16_t)hold);
			char b[ADDR4_STRLEN];

			if (err != 0 && err != nc->send_errno)
				log_warnx("ldp: cannot send targeted Hello to %s: %s",
					  addr4_ntop(nc->lsr_id, b, sizeof(b)), strerror(err));
			nc->send_errno = err;
			ldpd_conf.nbr[i].last_targeted = now;
		}
}

static void tick_cb(evutil_socket_t fd, short what, void *arg)
{
	time_t now = time(NULL);

	(void)fd;
	(void)what;
	(void)arg;
	ifaces_sync(now);
	targeted_sync(now);
	addr_refresh(true);
}

/* ---- LDE glue ---- */

static mpls_label_t lde_alloc(void *arg, const struct prefix4 *fec)
{
	(void)arg;
	return L.ops && L.ops->label_alloc ? L.ops->label_alloc(fec) : MPLS_LABEL_NONE;
}

static void lde_release(void *arg, mpls_label_t label)
{
	(void)arg;
	if (L.ops && L.ops->label_release)
		L.ops->label_release(label);
}

static struct ldp_nbr *oper_nbr(uint32_t lsr_id)
{
	struct ldp_nbr *n = nbr_find(lsr_id);

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
	if (nbr_send(n, &m) != 0)
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
	if (nbr_send(n, &m) == 0)
		n->st.notif_sent++;
}

static void lde_lfib_upd(void *arg, mpls_label_t in_label, const struct prefix4 *fec,
			 const struct lde_path *paths, int npaths)
{
	/* no kernel MPLS: the user-space dataplane installs it (pe/fwd) */
	(void)arg;
	if (L.ops && L.ops->lfib_update)
		L.ops->lfib_update(in_label, fec, paths, npaths);
}

static void lde_lfib_del(void *arg, mpls_label_t in_label, const struct prefix4 *fec)
{
	(void)arg, (void)fec;
	if (L.ops && L.ops->lfib_delete)
		L.ops->lfib_delete(in_label);
}

static void lde_nh_bound(void *arg, const struct prefix4 *fec, const struct lde_path *paths,
			 int npaths)
{
	(void)arg;
	if (L.ops && L.ops->nh_bound)
		L.ops->nh_bound(fec, paths, npaths);
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
		lde_route_delete(L.lde, &fec);
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
		lde_route_delete(L.lde, &fec);
		return;
	}
	lde_route_update(L.lde, &fec, nh, nnh, sel->proto == RIB_CONNECTED);
}

void ldpd_route_changed(struct vrf *vrf, const struct rib_dest *d)
{
	static const struct timeval now = { 0, 0 };

	if (!L.running || vrf == NULL || vrf->id != VRF_DEFAULT_ID)
		return;
	feed_dest(d);
	/* a connected route comes and goes with an interface's address and
	 * state: join, Hello and advertise at once rather than at the next
	 * one-second tick (first convergence) */
	if (L.ev_soon != NULL && (d->selected == NULL || d->selected->proto == RIB_CONNECTED) &&
	    !evtimer_pending(L.ev_soon, NULL))
		evtimer_add(L.ev_soon, &now);
}

static int feed_walk_cb(void *arg, struct rib_dest *d)
{
	(void)arg;
	feed_dest(d);
	return 0;
}

/* ---- start / stop ---- */

static int udp_open(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1, ttl = 1,
	    zero = 0;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(LDP_PORT) };

	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(s, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)); /* link hellos: TTL 1 */
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero));
	/* Linux: Hellos to the groups joined by the interfaces' membership
	 * sockets (struct ldp_ifrt) are delivered here */
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_ALL, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		log_warn("ldp: bind UDP 646");
		close(s);
		return -1;
	}
	return s;
}

static int tcp_open(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1, ttl = 255;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(LDP_PORT) };

	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* RFC 6720: the SYN-ACK already goes out with TTL 255 (a GTSM peer
	 * drops anything lower) */
	setsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 || listen(s, SOMAXCONN) != 0) {
		log_warn("ldp: listen TCP 646");
		close(s);
		return -1;
	}
	for (int i = 0; i < ldpd_conf.nnbr; i++)
		if (ldpd_conf.nbr[i].password[0])
			md5_set(s, ldpd_conf.nbr[i].lsr_id, ldpd_conf.nbr[i].password);
	return s;
}

static void ldpd_stop(void)
{
	if (!L.running)
		return;
	L.admin = true; /* no helper for sessions we close */
	while (L.adjs)
		adj_del(L.adjs);
	while (L.nbrs) /* neighbors without adjacencies (should not exist) */
		nbr_del(L.nbrs);
	/* restarting neighbors' stale bindings go the normal way, so BGP's
	 * labelled paths hear of it (lde_free does not tell it) */
	ldp_gr_flush(L.gr, 0, "LDP stopped");
	ldp_gr_free(L.gr);
	L.gr = NULL;
	if (L.ev_gr)
		event_free(L.ev_gr);
	L.ev_gr = NULL;
	L.admin = false;
	/* a later start is not a restart with forwarding preserved */
	L.fwd_preserved = false;
	L.fwd_hold_until = 0;
	while (L.pending)
		pending_del(L.pending, true);
	for (int i = 0; i < L.nifrt; i++)
		ifrt_leave(&L.ifrt[i]);
	L.nifrt = 0;
	free(L.adv);
	L.adv = NULL;
	L.nadv = 0;
	if (L.ev_udp)
		event_free(L.ev_udp);
	if (L.ev_tcp)
		event_free(L.ev_tcp);
	if (L.ev_tick)
		event_free(L.ev_tick);
	if (L.ev_soon)
		event_free(L.ev_soon);
	L.ev_udp = L.ev_tcp = L.ev_tick = L.ev_soon = NULL;
	if (L.udp_fd >= 0)
		close(L.udp_fd);
	if (L.tcp_fd >= 0)
		close(L.tcp_fd);
	L.udp_fd = L.tcp_fd = -1;
	lde_free(L.lde);
	L.lde = NULL;
	L.running = false;
	log_info("ldp: stopped");
}

static void ldpd_run(void);

static void retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (!L.running && ldpd_conf.enabled)
		ldpd_run();
}

static void ldpd_run(void)
{
	struct lde_config cfg = lde_cfg_from_conf();
	struct timeval tv = { 1, 0 };
	struct vrf *def = vrf_default();

	L.rid = ldpd_router_id();
	L.trans = ldpd_transport_addr();
	if (L.rid == 0) {
		/* no address yet: try again in a second (interfaces come up) */
		log_debug("ldp: no router id yet");
		if (L.base != NULL && L.ev_retry == NULL)
			L.ev_retry = evtimer_new(L.base, retry_cb, NULL);
		if (L.ev_retry != NULL)
			evtimer_add(L.ev_retry, &tv);
		return;
	}
	L.lde = lde_new(&ldpd_lde_ops, NULL, &cfg);
	L.gr = ldp_gr_new(&gr_ops, NULL);
	/* RFC 3478: our Forwarding State Holding time runs from the start of
	 * an instance whose forwarding survived the restart */
	L.fwd_hold_until = L.fwd_preserved ? mono_ms() + gr_recovery_ms() : 0;
	L.running = true;
	if (def && def->rib)
		rib_walk(def->rib, feed_walk_cb, NULL);
	for (int i = 0; i < ldpd_conf.nnbr; i++)
		ldpd_conf.nbr[i].last_targeted = 0;
	L.adv_valid = false;
	if (L.base == NULL)
		return; /* unit tests: no sockets */
	L.udp_fd = udp_open();
	L.tcp_fd = tcp_open();
	if (L.udp_fd >= 0) {
		L.ev_udp = event_new(L.base, L.udp_fd, EV_READ | EV_PERSIST, udp_recv_cb, NULL);
		event_add(L.ev_udp, NULL);
	}
	if (L.tcp_fd >= 0) {
		L.ev_tcp = event_new(L.base, L.tcp_fd, EV_READ | EV_PERSIST, tcp_accept_cb, NULL);
		event_add(L.ev_tcp, NULL);
	}
	L.ev_tick = event_new(L.base, -1, EV_PERSIST, tick_cb, NULL);
	event_add(L.ev_tick, &tv);
	L.ev_soon = evtimer_new(L.base, tick_cb, NULL);
	L.ev_gr = evtimer_new(L.base, gr_timer_cb, NULL);
	tick_cb(-1, 0, NULL);
	log_info("ldp: started (lsr-id %s)", addr4_ntop(L.rid, (char[ADDR4_STRLEN]){ 0 },
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

	if (L.base == NULL && !L.running)
		return; /* not started yet: ldpd_start() reads the config */
	if (L.running && (!want || md5 || L.rid != ldpd_router_id() ||
			  L.trans != ldpd_transport_addr()))
		ldpd_stop();
	if (!L.running && want) {
		ldpd_run();
		return;
	}
	if (L.running) {
		L.admin = true; /* sessions a config change closes are not kept */
		lde_set_config(L.lde, &cfg);
		if (L.base)
			tick_cb(-1, 0, NULL);
		if (!ldpd_conf.gr && ldp_gr_first(L.gr) != NULL) {
			ldp_gr_flush(L.gr, 0, "graceful restart unconfigured");
			gr_arm();
		}
		L.admin = false;
	}
}

void ldpd_set_fwd_preserved(bool preserved)
{
	L.fwd_preserved = preserved;
	if (L.running) /* normally set before the start */
		L.fwd_hold_until = preserved ? mono_ms() + gr_recovery_ms() : 0;
}

int ldpd_operational_sessions(void)
{
	int n = 0;

	for (const struct ldp_nbr *nb = L.nbrs; nb; nb = nb->next)
		if (nb->fsm.state == LDP_NBR_STA_OPERATIONAL)
			n++;
	return n;
}

uint64_t ldpd_last_mapping_ms(void)
{
	return L.last_mapping_ms;
}

const struct ldp_gr *ldpd_gr(void)
{
	return L.gr;
}

int64_t ldpd_gr_remaining_ms(const struct ldp_gr_peer *p)
{
	int64_t left = p->deadline_ms - mono_ms();

	return left > 0 ? left : 0;
}

int ldpd_clear_neighbor(uint32_t lsr_id)
{
	int n = 0;

	if (!L.running)
		return 0;
	L.admin = true; /* their bindings go now, not after a restart */
	for (struct ldp_nbr *nb = L.nbrs; nb; nb = nb->next) {
		if ((lsr_id != 0 && nb->lsr_id != lsr_id) ||
		    nb->fsm.state == LDP_NBR_STA_NONEXISTENT)
			continue;
		snprintf(nb->last_error, sizeof(nb->last_error), "cleared");
		nbr_close(nb, LDP_FSM_ST_SHUTDOWN); /* the neighbor stays: it reconnects */
		n++;
	}
	L.admin = false;
	for (const struct ldp_gr_peer *p = ldp_gr_first(L.gr); p; p = p->next)
		if (lsr_id == 0 || p->lsr_id == lsr_id)
			n++;
	ldp_gr_flush(L.gr, lsr_id, "cleared");
	gr_arm();
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
	L.ops = ops;
	ldp_cli_init();
	ldp_show_init();
}

void ldpd_start(struct event_base *base)
{
	L.base = base;
	if (ldpd_conf.enabled && !L.running)
		ldpd_run();
}

void ldpd_fini(void)
{
	ldpd_stop();
	L.last_mapping_ms = 0;
	free(L.ifrt);
	L.ifrt = NULL;
	L.ifrt_cap = 0;
	free(md5_sig);
	md5_sig = NULL;
	ldpd_conf_clear();
	if (L.ev_retry)
		event_free(L.ev_retry);
	L.ev_retry = NULL;
	L.base = NULL;
}

/* Unit tests: run without sockets on base (timers only). */
void ldpd_test_start(struct event_base *base);
void ldpd_test_start(struct event_base *base)
{
	L.base = NULL;
	if (!L.running)
		ldpd_run();
	L.base = base;
}

/* Unit tests: a session with lsr_id that was OPERATIONAL (with ft in its
 * Initialization) is lost, as op_session_down sees it, without sockets. */
void ldpd_test_session_loss(uint32_t lsr_id, const struct ldp_ft *ft);
void ldpd_test_session_loss(uint32_t lsr_id, const struct ldp_ft *ft)
{
	if (!L.running)
		return;
	lde_nbr_up(L.lde, lsr_id, NULL, 0);
	session_lost(lsr_id, ft);
}
