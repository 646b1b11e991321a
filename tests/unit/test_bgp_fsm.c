/* mpbgp/fsm.c: one test per row of the RFC 4271 8 state table (every
 * state x event pair: next state and the observable action), with the
 * socket layer replaced by stubs (bgp_fsm_ops); plus timers of each state,
 * automatic restart, collision without a second connection, and the OPEN
 * negotiation (hold time, keepalive, families, AS4). */
#include "config.h"

#include <check.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "mpbgp/session.h"

/* ---- stubs ---- */

static struct {
	int connect, close, promote, open, keepalive, notif;
	uint8_t code, subcode;
	int hook_est, hook_down, hook_update, hook_rr;
	size_t update_len;
	int rr_af;
} st;
static int connect_ret;  /* what the stub connect returns */
static int promote_ret;  /* 0: a second connection exists */

static int s_connect(struct bgp_peer *p)
{
	(void)p;
	st.connect++;
	return connect_ret;
}
static void s_close(struct bgp_peer *p)
{
	(void)p;
	st.close++;
}
static int s_promote(struct bgp_peer *p)
{
	(void)p;
	st.promote++;
	return promote_ret;
}
static int s_open(struct bgp_peer *p)
{
	(void)p;
	st.open++;
	return 0;
}
static int s_keepalive(struct bgp_peer *p)
{
	(void)p;
	st.keepalive++;
	return 0;
}
static int s_notif(struct bgp_peer *p, uint8_t code, uint8_t subcode, const uint8_t *data,
		   size_t len)
{
	(void)p;
	(void)data;
	(void)len;
	st.notif++;
	st.code = code;
	st.subcode = subcode;
	return 0;
}
static const struct bgp_fsm_ops stub_ops = {
	.connect = s_connect,
	.close = s_close,
	.promote = s_promote,
	.send_open = s_open,
	.send_keepalive = s_keepalive,
	.send_notification = s_notif,
};

static void h_est(struct bgp_peer *p)
{
	(void)p;
	st.hook_est++;
}
static void h_down(struct bgp_peer *p, const char *reason)
{
	(void)p;
	(void)reason;
	st.hook_down++;
}
static void h_update(struct bgp_peer *p, const uint8_t *body, size_t len)
{
	(void)p;
	(void)body;
	st.hook_update++;
	st.update_len = len;
}
static void h_rr(struct bgp_peer *p, int af)
{
	(void)p;
	st.hook_rr++;
	st.rr_af = af;
}
static const struct bgp_session_hooks hooks = {
	.established = h_est,
	.down = h_down,
	.update = h_update,
	.route_refresh = h_rr,
};

static struct event_base *base;
static struct bgp bgp;
static struct bgp_peer peer;

static void setup(void)
{
	log_init("test_bgp_fsm", true, false);
	base = event_base_new();
	bgp_evbase = base;
	bgp_hooks = &hooks;
	bgp_fsm_ops = &stub_ops;
	memset(&bgp, 0, sizeof(bgp));
	bgp.asn = 65000;
	bgp.router_id = 0x01010101;
	memset(&peer, 0, sizeof(peer));
	peer.bgp = &bgp;
	peer.cfg.addr = ipaddr_v4(0x0a000002);
	peer.cfg.remote_as = 65001;
	peer.cfg.af_active[BGP_AF_VPNV4] = true;
	memset(&st, 0, sizeof(st));
	connect_ret = 0;
	promote_ret = 0;
}

static void teardown(void)
{
	bgp_sess_free(&peer);
	event_base_free(base);
	base = NULL;
}

/* Put the peer in state s as if it got there normally. */
static void enter(enum bgp_state s)
{
	struct bgp_sess *ss = bgp_sess_get(&peer);

	ss->started = true;
	peer.state = s;
	if (s >= BGP_ST_OPENCONFIRM) {
		peer.holdtime = 90;
		peer.keepalive = 30;
	}
	memset(&st, 0, sizeof(st));
}

/* ---- the table ---- */

#define F_CONNECT 0x01
#define F_OPEN 0x02
#define F_KEEPALIVE 0x04
#define F_NOTIF 0x08
#define F_CLOSE 0x10
#define F_PROMOTE 0x20
#define F_EST 0x40
#define F_DOWN 0x80
#define F_UPDATE 0x100
#define F_RR 0x200

struct row {
	enum bgp_state state;
	enum bgp_event ev;
	enum bgp_state next;
	unsigned fx;
	uint8_t code, subcode; /* when F_NOTIF */
};

#define I BGP_ST_IDLE
#define C BGP_ST_CONNECT
#define A BGP_ST_ACTIVE
#define OS BGP_ST_OPENSENT
#define OC BGP_ST_OPENCONFIRM
#define E BGP_ST_ESTABLISHED
#define N(c, s) F_NOTIF, c, s

static const struct row rows[] = {
	/* Idle: only Start (manual or automatic) does something */
	{ I, BGP_EV_START, C, F_CONNECT, 0, 0 },
	{ I, BGP_EV_STOP, I, 0, 0, 0 },
	{ I, BGP_EV_CONNRETRY_EXP, I, 0, 0, 0 },
	{ I, BGP_EV_HOLD_EXP, I, 0, 0, 0 },
	{ I, BGP_EV_KEEPALIVE_EXP, I, 0, 0, 0 },
	{ I, BGP_EV_IDLEHOLD_EXP, C, F_CONNECT, 0, 0 },
	{ I, BGP_EV_TCP_VALID, I, 0, 0, 0 },
	{ I, BGP_EV_TCP_CONFIRMED, I, 0, 0, 0 },
	{ I, BGP_EV_TCP_FAILS, I, 0, 0, 0 },
	{ I, BGP_EV_OPEN, I, 0, 0, 0 },
	{ I, BGP_EV_HDR_ERR, I, 0, 0, 0 },
	{ I, BGP_EV_OPEN_ERR, I, 0, 0, 0 },
	{ I, BGP_EV_COLLISION_DUMP, I, 0, 0, 0 },
	{ I, BGP_EV_NOTIF, I, 0, 0, 0 },
	{ I, BGP_EV_KEEPALIVE, I, 0, 0, 0 },
	{ I, BGP_EV_UPDATE, I, 0, 0, 0 },
	{ I, BGP_EV_UPDATE_ERR, I, 0, 0, 0 },
	{ I, BGP_EV_ROUTE_REFRESH, I, 0, 0, 0 },
	/* Connect */
	{ C, BGP_EV_START, C, 0, 0, 0 },
	{ C, BGP_EV_STOP, I, F_CLOSE, 0, 0 },
	{ C, BGP_EV_CONNRETRY_EXP, C, F_CLOSE | F_CONNECT, 0, 0 },
	{ C, BGP_EV_HOLD_EXP, I, F_CLOSE, 0, 0 },
	{ C, BGP_EV_KEEPALIVE_EXP, I, F_CLOSE, 0, 0 },
	{ C, BGP_EV_IDLEHOLD_EXP, C, 0, 0, 0 },
	{ C, BGP_EV_TCP_VALID, OS, F_OPEN, 0, 0 },
	{ C, BGP_EV_TCP_CONFIRMED, OS, F_OPEN, 0, 0 },
	{ C, BGP_EV_TCP_FAILS, A, F_CLOSE, 0, 0 },
	{ C, BGP_EV_OPEN, I, F_CLOSE, 0, 0 },
	{ C, BGP_EV_HDR_ERR, I, F_CLOSE, 0, 0 },
	{ C, BGP_EV_OPEN_ERR, I, F_CLOSE, 0, 0 },
	{ C, BGP_EV_COLLISION_DUMP, OS, F_PROMOTE, 0, 0 },
	{ C, BGP_EV_NOTIF, I, F_CLOSE, 0, 0 },
	{ C, BGP_EV_KEEPALIVE, I, F_CLOSE, 0, 0 },
	{ C, BGP_EV_UPDATE, I, F_CLOSE, 0, 0 },
	{ C, BGP_EV_UPDATE_ERR, I, F_CLOSE, 0, 0 },
	{ C, BGP_EV_ROUTE_REFRESH, I, F_CLOSE, 0, 0 },
	/* Active */
	{ A, BGP_EV_START, A, 0, 0, 0 },
	{ A, BGP_EV_STOP, I, F_CLOSE, 0, 0 },
	{ A, BGP_EV_CONNRETRY_EXP, C, F_CLOSE | F_CONNECT, 0, 0 },
	{ A, BGP_EV_HOLD_EXP, I, F_CLOSE, 0, 0 },
	{ A, BGP_EV_KEEPALIVE_EXP, I, F_CLOSE, 0, 0 },
	{ A, BGP_EV_IDLEHOLD_EXP, A, 0, 0, 0 },
	{ A, BGP_EV_TCP_VALID, OS, F_OPEN, 0, 0 },
	{ A, BGP_EV_TCP_CONFIRMED, OS, F_OPEN, 0, 0 },
	{ A, BGP_EV_TCP_FAILS, A, F_CLOSE, 0, 0 },
	{ A, BGP_EV_OPEN, I, F_CLOSE, 0, 0 },
	{ A, BGP_EV_HDR_ERR, I, F_CLOSE, 0, 0 },
	{ A, BGP_EV_OPEN_ERR, I, F_CLOSE, 0, 0 },
	{ A, BGP_EV_COLLISION_DUMP, OS, F_PROMOTE, 0, 0 },
	{ A, BGP_EV_NOTIF, I, F_CLOSE, 0, 0 },
	{ A, BGP_EV_KEEPALIVE, I, F_CLOSE, 0, 0 },
	{ A, BGP_EV_UPDATE, I, F_CLOSE, 0, 0 },
	{ A, BGP_EV_UPDATE_ERR, I, F_CLOSE, 0, 0 },
	{ A, BGP_EV_ROUTE_REFRESH, I, F_CLOSE, 0, 0 },
	/* OpenSent: errors answered with NOTIFICATION */
	{ OS, BGP_EV_START, OS, 0, 0, 0 },
	{ OS, BGP_EV_STOP, I, F_CLOSE | N(6, 2) },
	{ OS, BGP_EV_CONNRETRY_EXP, I, F_CLOSE | N(5, 1) },
	{ OS, BGP_EV_HOLD_EXP, I, F_CLOSE | N(4, 0) },
	{ OS, BGP_EV_KEEPALIVE_EXP, I, F_CLOSE | N(5, 1) },
	{ OS, BGP_EV_IDLEHOLD_EXP, OS, 0, 0, 0 },
	{ OS, BGP_EV_TCP_VALID, OS, 0, 0, 0 },
	{ OS, BGP_EV_TCP_CONFIRMED, OS, 0, 0, 0 },
	{ OS, BGP_EV_TCP_FAILS, A, F_CLOSE, 0, 0 },
	{ OS, BGP_EV_OPEN, OC, F_KEEPALIVE, 0, 0 },
	{ OS, BGP_EV_HDR_ERR, I, F_CLOSE | N(1, 2) },
	{ OS, BGP_EV_OPEN_ERR, I, F_CLOSE | N(2, 2) },
	{ OS, BGP_EV_COLLISION_DUMP, OS, F_PROMOTE | N(6, 7) },
	{ OS, BGP_EV_NOTIF, I, F_CLOSE, 0, 0 },
	{ OS, BGP_EV_KEEPALIVE, I, F_CLOSE | N(5, 1) },
	{ OS, BGP_EV_UPDATE, I, F_CLOSE | N(5, 1) },
	{ OS, BGP_EV_UPDATE_ERR, I, F_CLOSE | N(3, 1) },
	{ OS, BGP_EV_ROUTE_REFRESH, I, F_CLOSE | N(5, 1) },
	/* OpenConfirm */
	{ OC, BGP_EV_START, OC, 0, 0, 0 },
	{ OC, BGP_EV_STOP, I, F_CLOSE | N(6, 2) },
	{ OC, BGP_EV_CONNRETRY_EXP, I, F_CLOSE | N(5, 2) },
	{ OC, BGP_EV_HOLD_EXP, I, F_CLOSE | N(4, 0) },
	{ OC, BGP_EV_KEEPALIVE_EXP, OC, F_KEEPALIVE, 0, 0 },
	{ OC, BGP_EV_IDLEHOLD_EXP, OC, 0, 0, 0 },
	{ OC, BGP_EV_TCP_VALID, OC, 0, 0, 0 },
	{ OC, BGP_EV_TCP_CONFIRMED, OC, 0, 0, 0 },
	{ OC, BGP_EV_TCP_FAILS, I, F_CLOSE, 0, 0 },
	{ OC, BGP_EV_OPEN, I, F_CLOSE | N(5, 2) },
	{ OC, BGP_EV_HDR_ERR, I, F_CLOSE | N(1, 2) },
	{ OC, BGP_EV_OPEN_ERR, I, F_CLOSE | N(2, 2) },
	{ OC, BGP_EV_COLLISION_DUMP, OS, F_PROMOTE | N(6, 7) },
	{ OC, BGP_EV_NOTIF, I, F_CLOSE, 0, 0 },
	{ OC, BGP_EV_KEEPALIVE, E, F_EST, 0, 0 },
	{ OC, BGP_EV_UPDATE, I, F_CLOSE | N(5, 2) },
	{ OC, BGP_EV_UPDATE_ERR, I, F_CLOSE | N(3, 1) },
	{ OC, BGP_EV_ROUTE_REFRESH, I, F_CLOSE | N(5, 2) },
	/* Established */
	{ E, BGP_EV_START, E, 0, 0, 0 },
	{ E, BGP_EV_STOP, I, F_CLOSE | F_DOWN | N(6, 2) },
	{ E, BGP_EV_CONNRETRY_EXP, I, F_CLOSE | F_DOWN | N(5, 3) },
	{ E, BGP_EV_HOLD_EXP, I, F_CLOSE | F_DOWN | N(4, 0) },
	{ E, BGP_EV_KEEPALIVE_EXP, E, F_KEEPALIVE, 0, 0 },
	{ E, BGP_EV_IDLEHOLD_EXP, E, 0, 0, 0 },
	{ E, BGP_EV_TCP_VALID, E, 0, 0, 0 },
	{ E, BGP_EV_TCP_CONFIRMED, E, 0, 0, 0 },
	{ E, BGP_EV_TCP_FAILS, I, F_CLOSE | F_DOWN, 0, 0 },
	{ E, BGP_EV_OPEN, I, F_CLOSE | F_DOWN | N(5, 3) },
	{ E, BGP_EV_HDR_ERR, I, F_CLOSE | F_DOWN | N(1, 2) },
	{ E, BGP_EV_OPEN_ERR, I, F_CLOSE | F_DOWN | N(2, 2) },
	{ E, BGP_EV_COLLISION_DUMP, OS, F_PROMOTE | F_DOWN | N(6, 7) },
	{ E, BGP_EV_NOTIF, I, F_CLOSE | F_DOWN, 0, 0 },
	{ E, BGP_EV_KEEPALIVE, E, 0, 0, 0 },
	{ E, BGP_EV_UPDATE, E, F_UPDATE, 0, 0 },
	{ E, BGP_EV_UPDATE_ERR, I, F_CLOSE | F_DOWN | N(3, 1) },
	{ E, BGP_EV_ROUTE_REFRESH, E, F_RR, 0, 0 },
};

/* The argument each event comes with. */
static void event_arg(enum bgp_event ev, struct bgp_fsm_arg *a, struct bgp_open *o)
{
	static const uint8_t body[] = { 0, 0, 0, 0 };

	memset(a, 0, sizeof(*a));
	memset(o, 0, sizeof(*o));
	switch (ev) {
	case BGP_EV_STOP:
		a->subcode = BGP_CEASE_ADMIN_SHUTDOWN;
		break;
	case BGP_EV_OPEN:
		o->version = 4;
		o->my_as = 65001;
		o->holdtime = 90;
		o->bgp_id = 0x02020202;
		o->capa.mp[BGP_AF_VPNV4] = true;
		a->open = o;
		break;
	case BGP_EV_HDR_ERR:
		a->code = BGP_ERR_HEADER;
		a->subcode = BGP_HDR_BAD_LEN;
		break;
	case BGP_EV_OPEN_ERR:
		a->code = BGP_ERR_OPEN;
		a->subcode = BGP_OPEN_BAD_PEER_AS;
		break;
	case BGP_EV_UPDATE_ERR:
		a->code = BGP_ERR_UPDATE;
		a->subcode = BGP_UPD_MALFORMED_ATTR_LIST;
		break;
	case BGP_EV_NOTIF:
		a->code = BGP_ERR_CEASE;
		a->subcode = BGP_CEASE_ADMIN_RESET;
		break;
	case BGP_EV_UPDATE:
		a->data = body;
		a->len = sizeof(body);
		break;
	case BGP_EV_ROUTE_REFRESH:
		a->af = BGP_AF_VPNV4;
		break;
	default:
		break;
	}
}

START_TEST(test_row)
{
	const struct row *r = &rows[_i];
	struct bgp_fsm_arg a;
	struct bgp_open o;
	enum bgp_state got;

	enter(r->state);
	event_arg(r->ev, &a, &o);
	got = bgp_fsm_event(&peer, r->ev, &a);
	ck_assert_msg(got == r->next, "%s + %s: got %s, expected %s", bgp_state_name(r->state),
		      bgp_event_name(r->ev), bgp_state_name(got), bgp_state_name(r->next));
	ck_assert_int_eq(peer.state, r->next);
	ck_assert_int_eq(st.connect, !!(r->fx & F_CONNECT));
	ck_assert_int_eq(st.open, !!(r->fx & F_OPEN));
	ck_assert_int_eq(st.keepalive, !!(r->fx & F_KEEPALIVE));
	ck_assert_int_eq(st.notif, !!(r->fx & F_NOTIF));
	if (r->fx & F_NOTIF) {
		ck_assert_uint_eq(st.code, r->code);
		ck_assert_uint_eq(st.subcode, r->subcode);
	}
	if (r->fx & F_CLOSE)
		ck_assert_int_gt(st.close, 0);
	ck_assert_int_eq(st.promote, !!(r->fx & F_PROMOTE));
	ck_assert_int_eq(st.hook_est, !!(r->fx & F_EST));
	ck_assert_int_eq(st.hook_down, !!(r->fx & F_DOWN));
	ck_assert_int_eq(st.hook_update, !!(r->fx & F_UPDATE));
	ck_assert_int_eq(st.hook_rr, !!(r->fx & F_RR));
	if (r->fx & F_UPDATE)
		ck_assert_uint_eq(st.update_len, 4);
	if (r->fx & F_RR)
		ck_assert_int_eq(st.rr_af, BGP_AF_VPNV4);
	if (r->state == BGP_ST_ESTABLISHED && r->next != BGP_ST_ESTABLISHED)
		ck_assert_uint_eq(peer.cnt.dropped_count, 1);
	if (r->next == BGP_ST_ESTABLISHED && r->state != BGP_ST_ESTABLISHED)
		ck_assert_uint_eq(peer.cnt.established_count, 1);
	if (r->fx & F_NOTIF)
		ck_assert_ptr_nonnull(strstr(peer.last_error, "NOTIFICATION"));
}
END_TEST

#undef I
#undef C
#undef A
#undef OS
#undef OC
#undef E

/* ---- timers and restarts ---- */

static bool pending(struct event *ev)
{
	return evtimer_pending(ev, NULL) != 0;
}

START_TEST(test_timers_per_state)
{
	struct bgp_sess *s;
	struct bgp_fsm_arg a;
	struct bgp_open o;

	s = bgp_sess_get(&peer);
	bgp_fsm_event(&peer, BGP_EV_START, NULL);
	ck_assert_int_eq(peer.state, BGP_ST_CONNECT);
	ck_assert(pending(s->t_connretry));
	ck_assert(!pending(s->t_hold));
	bgp_fsm_event(&peer, BGP_EV_TCP_VALID, NULL);
	ck_assert_int_eq(peer.state, BGP_ST_OPENSENT);
	ck_assert(!pending(s->t_connretry));
	ck_assert(pending(s->t_hold)); /* the large OpenSent value */
	event_arg(BGP_EV_OPEN, &a, &o);
	bgp_fsm_event(&peer, BGP_EV_OPEN, &a);
	ck_assert_int_eq(peer.state, BGP_ST_OPENCONFIRM);
	ck_assert_uint_eq(peer.holdtime, 90);
	ck_assert_uint_eq(peer.keepalive, 30);
	ck_assert(pending(s->t_hold));
	ck_assert(pending(s->t_keepalive));
	bgp_fsm_event(&peer, BGP_EV_KEEPALIVE, NULL);
	ck_assert_int_eq(peer.state, BGP_ST_ESTABLISHED);
	ck_assert(pending(s->t_hold));
	ck_assert(pending(s->t_keepalive));
	/* an error: everything stops, the idle hold timer restarts us */
	bgp_fsm_event(&peer, BGP_EV_HOLD_EXP, NULL);
	ck_assert_int_eq(peer.state, BGP_ST_IDLE);
	ck_assert(!pending(s->t_hold));
	ck_assert(!pending(s->t_keepalive));
	ck_assert(!pending(s->t_connretry));
	ck_assert(pending(s->t_idlehold));
	ck_assert_uint_eq(peer.holdtime, 0);
	ck_assert(!peer.af_nego[BGP_AF_VPNV4]);
}
END_TEST

START_TEST(test_hold_zero_no_keepalive)
{
	struct bgp_sess *s = bgp_sess_get(&peer);
	struct bgp_fsm_arg a;
	struct bgp_open o;

	enter(BGP_ST_OPENSENT);
	event_arg(BGP_EV_OPEN, &a, &o);
	o.holdtime = 0;
	bgp_fsm_event(&peer, BGP_EV_OPEN, &a);
	ck_assert_int_eq(peer.state, BGP_ST_OPENCONFIRM);
	ck_assert_uint_eq(peer.holdtime, 0);
	ck_assert_uint_eq(peer.keepalive, 0);
	ck_assert(!pending(s->t_hold));
	ck_assert(!pending(s->t_keepalive));
}
END_TEST

START_TEST(test_auto_restart_fires)
{
	struct bgp_sess *s = bgp_sess_get(&peer);
	struct timeval tv = { 3, 0 };

	bgp_idle_hold_secs = 1;
	bgp_timer_jitter = false;
	enter(BGP_ST_ESTABLISHED);
	bgp_fsm_event(&peer, BGP_EV_TCP_FAILS, NULL);
	ck_assert_int_eq(peer.state, BGP_ST_IDLE);
	ck_assert(pending(s->t_idlehold));
	event_base_loopexit(base, &tv);
	/* the loop ends when the idle hold fired and connect retry is pending,
	 * or after 3 s */
	while (peer.state == BGP_ST_IDLE && event_base_loop(base, EVLOOP_ONCE) == 0)
		;
	ck_assert_int_eq(peer.state, BGP_ST_CONNECT);
	ck_assert_int_eq(st.connect, 1);
	bgp_idle_hold_secs = 5;
	bgp_timer_jitter = true;
}
END_TEST

START_TEST(test_manual_stop_no_restart)
{
	struct bgp_sess *s = bgp_sess_get(&peer);
	struct bgp_fsm_arg a = { .subcode = BGP_CEASE_ADMIN_SHUTDOWN };

	enter(BGP_ST_ESTABLISHED);
	bgp_fsm_event(&peer, BGP_EV_STOP, &a);
	ck_assert_int_eq(peer.state, BGP_ST_IDLE);
	ck_assert(!pending(s->t_idlehold));
	ck_assert(!s->started);
	ck_assert_uint_eq(s->last_sent_code, 6);
	ck_assert_uint_eq(s->last_sent_subcode, 2);
}
END_TEST

START_TEST(test_passive_start)
{
	peer.cfg.passive = true;
	bgp_fsm_event(&peer, BGP_EV_START, NULL);
	ck_assert_int_eq(peer.state, BGP_ST_ACTIVE);
	ck_assert_int_eq(st.connect, 0);
	/* ConnectRetry expiry keeps a passive peer waiting */
	bgp_fsm_event(&peer, BGP_EV_CONNRETRY_EXP, NULL);
	ck_assert_int_eq(peer.state, BGP_ST_ACTIVE);
	ck_assert_int_eq(st.connect, 0);
}
END_TEST

START_TEST(test_connect_fails_at_once)
{
	struct bgp_sess *s = bgp_sess_get(&peer);

	connect_ret = -1;
	bgp_fsm_event(&peer, BGP_EV_START, NULL);
	ck_assert_int_eq(peer.state, BGP_ST_ACTIVE);
	ck_assert(pending(s->t_connretry));
}
END_TEST

START_TEST(test_collision_without_second)
{
	promote_ret = -1;
	enter(BGP_ST_OPENCONFIRM);
	bgp_fsm_event(&peer, BGP_EV_COLLISION_DUMP, NULL);
	ck_assert_int_eq(peer.state, BGP_ST_IDLE);
	ck_assert_uint_eq(st.code, 6);
	ck_assert_uint_eq(st.subcode, 7);
}
END_TEST

START_TEST(test_quiet_collision)
{
	struct bgp_fsm_arg a = { .quiet = true };

	enter(BGP_ST_OPENSENT);
	bgp_fsm_event(&peer, BGP_EV_COLLISION_DUMP, &a);
	ck_assert_int_eq(peer.state, BGP_ST_OPENSENT);
	ck_assert_int_eq(st.notif, 0);
	ck_assert_int_eq(st.promote, 1);
}
END_TEST

/* ---- negotiation ---- */

START_TEST(test_negotiate)
{
	struct bgp_open o;

	memset(&o, 0, sizeof(o));
	peer.cfg.holdtime = 30;
	peer.cfg.af_active[BGP_AF_IPV4_UNICAST] = true;
	bgp_fsm_local_capa(&peer, &peer.capa_sent);
	ck_assert(peer.capa_sent.as4);
	ck_assert_uint_eq(peer.capa_sent.as4_asn, 65000);
	ck_assert(peer.capa_sent.route_refresh);
	o.holdtime = 90;
	o.bgp_id = 0x02020202;
	o.capa.mp[BGP_AF_VPNV4] = true;
	o.capa.as4 = true;
	bgp_fsm_negotiate(&peer, &o);
	ck_assert_uint_eq(peer.holdtime, 30);   /* min of both */
	ck_assert_uint_eq(peer.keepalive, 10);  /* hold / 3 */
	ck_assert(peer.af_nego[BGP_AF_VPNV4]);
	ck_assert(!peer.af_nego[BGP_AF_IPV4_UNICAST]);
	ck_assert(peer.as4);
	ck_assert_uint_eq(peer.remote_id, 0x02020202);
	/* no MP capability at all: IPv4 unicast (RFC 4760 8) */
	memset(&o.capa, 0, sizeof(o.capa));
	o.holdtime = 9;
	bgp_fsm_negotiate(&peer, &o);
	ck_assert(peer.af_nego[BGP_AF_IPV4_UNICAST]);
	ck_assert(!peer.af_nego[BGP_AF_VPNV4]);
	ck_assert(!peer.as4);
	ck_assert_uint_eq(peer.holdtime, 9);
	ck_assert_uint_eq(peer.keepalive, 3);
	/* configured keepalive below hold/3 wins */
	peer.cfg.keepalive = 2;
	bgp_fsm_negotiate(&peer, &o);
	ck_assert_uint_eq(peer.keepalive, 2);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(bgp_state_name(BGP_ST_IDLE), "Idle");
	ck_assert_str_eq(bgp_state_name(BGP_ST_CONNECT), "Connect");
	ck_assert_str_eq(bgp_state_name(BGP_ST_ACTIVE), "Active");
	ck_assert_str_eq(bgp_state_name(BGP_ST_OPENSENT), "OpenSent");
	ck_assert_str_eq(bgp_state_name(BGP_ST_OPENCONFIRM), "OpenConfirm");
	ck_assert_str_eq(bgp_state_name(BGP_ST_ESTABLISHED), "Established");
	for (int e = 0; e < BGP_EV_MAX; e++)
		ck_assert_ptr_nonnull(bgp_event_name((enum bgp_event)e));
	ck_assert_str_eq(bgp_event_name(BGP_EV_MAX), "Unknown");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bgp_fsm");
	TCase *t = tcase_create("table");
	TCase *m = tcase_create("misc");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, test_row, 0, (int)(sizeof(rows) / sizeof(rows[0])));
	suite_add_tcase(s, t);
	tcase_add_checked_fixture(m, setup, teardown);
	tcase_add_test(m, test_timers_per_state);
	tcase_add_test(m, test_hold_zero_no_keepalive);
	tcase_add_test(m, test_auto_restart_fires);
	tcase_add_test(m, test_manual_stop_no_restart);
	tcase_add_test(m, test_passive_start);
	tcase_add_test(m, test_connect_fails_at_once);
	tcase_add_test(m, test_collision_without_second);
	tcase_add_test(m, test_quiet_collision);
	tcase_add_test(m, test_negotiate);
	tcase_add_test(m, test_names);
	suite_add_tcase(s, m);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	_Static_assert(sizeof(rows) / sizeof(rows[0]) == BGP_ST_MAX * BGP_EV_MAX,
		       "one row per state x event");
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
