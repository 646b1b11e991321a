#include "config.h"

/* BGP finite state machine, RFC 4271 8 (8.2.2 per-state behaviour), as one
 * full table fsm[state][event] = {action, next} (after FRR bgp_fsm.c) so
 * every pair is decided; every transition goes through change_state(),
 * which logs "peer X: event E: A -> B", runs the timers of the new state,
 * counts, and calls the upper-layer hooks (after OpenBGPD change_state).
 *
 * Deviations / choices:
 *  - One FSM per peer, not per connection. A second connection during a
 *    collision (6.8) lives beside it in session.c until its OPEN arrives;
 *    then one of the two is dumped with Cease/7 (OpenCollisionDump). When
 *    the dumped one is the FSM's, the other is promoted and the FSM goes
 *    to OpenSent (our OPEN was already sent on it).
 *  - DelayOpen, DampPeerOscillations, the optional 8.1 events about TCP
 *    ack and AutomaticStop are not implemented. Automatic restart after an
 *    error: Idle for bgp_idle_hold_secs (capped at the connect retry time),
 *    then Start (FRR restarts after an idle hold too).
 *  - TcpConnectionFails in Active stays in Active until ConnectRetry fires
 *    (FRR); in OpenSent it goes to Active (RFC 4271 8.2.2).
 *  - FSM error NOTIFICATIONs carry the RFC 6608 subcodes (1 OpenSent,
 *    2 OpenConfirm, 3 Established).
 *  - Jitter (RFC 4271 10) applies to ConnectRetry, Keepalive and IdleHold. */

#include <arpa/inet.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/gr.h"
#include "mpbgp/session.h"

const struct bgp_fsm_ops *bgp_fsm_ops;
const struct bgp_session_hooks *bgp_hooks;
struct event_base *bgp_evbase;

uint16_t bgp_session_port = BGP_PORT;
unsigned bgp_connect_retry_default = 120;
unsigned bgp_idle_hold_secs = 5;
unsigned bgp_opensent_hold = 240;
bool bgp_timer_jitter = true;
size_t bgp_outq_max = 4u << 20;

static const char *const state_names[BGP_ST_MAX] = {
	[BGP_ST_IDLE] = "Idle",
	[BGP_ST_CONNECT] = "Connect",
	[BGP_ST_ACTIVE] = "Active",
	[BGP_ST_OPENSENT] = "OpenSent",
	[BGP_ST_OPENCONFIRM] = "OpenConfirm",
	[BGP_ST_ESTABLISHED] = "Established",
};

static const char *const event_names[BGP_EV_MAX] = {
	[BGP_EV_START] = "ManualStart",
	[BGP_EV_STOP] = "ManualStop",
	[BGP_EV_CONNRETRY_EXP] = "ConnectRetryTimer_Expires",
	[BGP_EV_HOLD_EXP] = "HoldTimer_Expires",
	[BGP_EV_KEEPALIVE_EXP] = "KeepaliveTimer_Expires",
	[BGP_EV_IDLEHOLD_EXP] = "IdleHoldTimer_Expires",
	[BGP_EV_TCP_VALID] = "TcpConnection_Valid",
	[BGP_EV_TCP_CONFIRMED] = "TcpConnectionConfirmed",
	[BGP_EV_TCP_FAILS] = "TcpConnectionFails",
	[BGP_EV_OPEN] = "BGPOpen",
	[BGP_EV_HDR_ERR] = "BGPHeaderErr",
	[BGP_EV_OPEN_ERR] = "BGPOpenMsgErr",
	[BGP_EV_COLLISION_DUMP] = "OpenCollisionDump",
	[BGP_EV_NOTIF] = "NotifMsg",
	[BGP_EV_KEEPALIVE] = "KeepAliveMsg",
	[BGP_EV_UPDATE] = "UpdateMsg",
	[BGP_EV_UPDATE_ERR] = "UpdateMsgErr",
	[BGP_EV_ROUTE_REFRESH] = "RouteRefreshMsg",
};

const char *bgp_state_name(enum bgp_state s)
{
	return (unsigned)s < BGP_ST_MAX ? state_names[s] : "Unknown";
}

const char *bgp_event_name(enum bgp_event e)
{
	return (unsigned)e < BGP_EV_MAX ? event_names[e] : "Unknown";
}

static const char *peer_str(const struct bgp_peer *p, char *buf, size_t len)
{
	return bgp_peer_str(p, buf, len);
}

/* ------------------------------------------------------------ timers */

#define TIMER_CB(name, ev)                                      \
	static void name(evutil_socket_t fd, short what, void *arg) \
	{                                                       \
		struct bgp_sess *s = arg;                       \
		(void)fd;                                       \
		(void)what;                                     \
		bgp_fsm_event(s->peer, ev, NULL);               \
	}
TIMER_CB(connretry_cb, BGP_EV_CONNRETRY_EXP)
TIMER_CB(hold_cb, BGP_EV_HOLD_EXP)
TIMER_CB(keepalive_cb, BGP_EV_KEEPALIVE_EXP)
TIMER_CB(idlehold_cb, BGP_EV_IDLEHOLD_EXP)

/* Constructor of the per-peer session state (bgp_sess_free mirrors it). */
struct bgp_sess *bgp_sess_get(struct bgp_peer *p)
{
	struct bgp_sess *s = p->sess;

	if (s != NULL)
		return s;
	s = xcalloc(1, sizeof(*s));
	s->peer = p;
	s->t_connretry = evtimer_new(bgp_evbase, connretry_cb, s);
	s->t_hold = evtimer_new(bgp_evbase, hold_cb, s);
	s->t_keepalive = evtimer_new(bgp_evbase, keepalive_cb, s);
	s->t_idlehold = evtimer_new(bgp_evbase, idlehold_cb, s);
	if (!s->t_connretry || !s->t_hold || !s->t_keepalive || !s->t_idlehold)
		fatalx("bgp: evtimer_new failed");
	p->sess = s;
	return s;
}

void bgp_sess_free(struct bgp_peer *p)
{
	struct bgp_sess *s = p->sess;

	if (s == NULL)
		return;
	if (bgp_fsm_ops != NULL)
		bgp_fsm_ops->close(p);
	event_free(s->t_connretry);
	event_free(s->t_hold);
	event_free(s->t_keepalive);
	event_free(s->t_idlehold);
	free(s);
	p->sess = NULL;
}

static void timer_start(struct event *ev, unsigned secs, bool jitter)
{
	struct timeval tv;
	double t = secs;

	if (jitter && bgp_timer_jitter)
		t *= 0.75 + 0.25 * ((double)random() / RAND_MAX); /* RFC 4271 10 */
	tv.tv_sec = (time_t)t;
	tv.tv_usec = (suseconds_t)((t - (double)tv.tv_sec) * 1e6);
	evtimer_add(ev, &tv);
}

static void timer_stop(struct event *ev)
{
	evtimer_del(ev);
}

/* ------------------------------------------------------------ parameters */

uint16_t bgp_fsm_cfg_holdtime(const struct bgp_peer *p)
{
	if (p->cfg.holdtime)
		return p->cfg.holdtime;
	if (p->bgp != NULL && p->bgp->holdtime)
		return p->bgp->holdtime;
	return 180;
}

static uint16_t cfg_keepalive(const struct bgp_peer *p)
{
	if (p->cfg.keepalive)
		return p->cfg.keepalive;
	if (p->bgp != NULL && p->bgp->keepalive)
		return p->bgp->keepalive;
	return 60;
}

unsigned bgp_fsm_connect_retry(const struct bgp_peer *p)
{
	return p->cfg.connect_retry ? p->cfg.connect_retry : bgp_connect_retry_default;
}

void bgp_fsm_local_capa(const struct bgp_peer *p, struct bgp_capa *c)
{
	int af;

	memset(c, 0, sizeof(*c));
	for (af = 0; af < BGP_AF_MAX; af++)
		c->mp[af] = p->cfg.af_active[af];
	c->rtc = p->cfg.rtc;
	bgp_gr_local_capa(p, c);
	c->as4 = true;
	c->as4_asn = p->bgp != NULL ? p->bgp->asn : 0;
	c->route_refresh = true;
}

/* RFC 4271 4.2 (hold time), RFC 5492/4760 (families), RFC 6793 (AS4). */
void bgp_fsm_negotiate(struct bgp_peer *p, const struct bgp_open *o)
{
	uint16_t hold = bgp_fsm_cfg_holdtime(p), ka;
	bool any_mp = false;
	int af;

	p->remote_id = o->bgp_id;
	p->capa_rcvd = o->capa;
	if (o->holdtime < hold)
		hold = o->holdtime;
	p->holdtime = hold;
	ka = cfg_keepalive(p);
	if (ka > hold / 3)
		ka = hold / 3;
	p->keepalive = hold == 0 ? 0 : ka;
	for (af = 0; af < BGP_AF_MAX; af++)
		any_mp |= o->capa.mp[af];
	for (af = 0; af < BGP_AF_MAX; af++) {
		bool rcvd = o->capa.mp[af];

		/* RFC 4760 8: no MP capability at all means IPv4 unicast */
		if (!any_mp && af == BGP_AF_IPV4_UNICAST)
			rcvd = true;
		p->af_nego[af] = p->capa_sent.mp[af] && rcvd;
	}
	p->as4 = p->capa_sent.as4 && o->capa.as4;
	p->rtc_nego = p->capa_sent.rtc && o->capa.rtc;
}

/* ------------------------------------------------------------ actions */

#define NEXT (-1) /* the table's next state */
#define SESS(p) ((struct bgp_sess *)(p)->sess)

typedef int (*fsm_action)(struct bgp_peer *p, const struct bgp_fsm_arg *a);

static void set_error(struct bgp_peer *p, const struct bgp_fsm_arg *a, const char *dflt)
{
	const char *r = a != NULL && a->reason != NULL ? a->reason : dflt;

	if (r != NULL)
		snprintf(p->last_error, sizeof(p->last_error), "%s", r);
}

static void notify(struct bgp_peer *p, uint8_t code, uint8_t subcode, const uint8_t *data,
		   size_t len, const char *why)
{
	struct bgp_sess *s = p->sess;

	s->last_sent_code = code;
	s->last_sent_subcode = subcode;
	p->notif_seen = true;
	p->notif_code = code;
	p->notif_subcode = subcode;
	snprintf(p->last_error, sizeof(p->last_error), "sent NOTIFICATION %u/%u (%s/%s)%s%s",
		 code, subcode, bgp_err_name(code), bgp_suberr_name(code, subcode),
		 why ? ": " : "", why ? why : "");
	bgp_fsm_ops->send_notification(p, code, subcode, data, len);
}

static int act_ignore(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	(void)p;
	(void)a;
	return NEXT;
}

/* Idle + Start / IdleHold expiry: RFC 4271 8.2.2 Idle state. */
static int act_start(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	struct bgp_sess *s = p->sess;

	(void)a;
	s->started = true;
	s->auto_restart = false;
	timer_stop(s->t_idlehold);
	timer_start(s->t_connretry, bgp_fsm_connect_retry(p), true);
	if (p->cfg.passive)
		return BGP_ST_ACTIVE;
	if (bgp_fsm_ops->connect(p) == -1)
		return BGP_ST_ACTIVE; /* retry when the timer fires */
	return BGP_ST_CONNECT;
}

/* ManualStop: Cease if an OPEN went out, release everything, stay down. */
static int act_stop(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	struct bgp_sess *s = p->sess;
	uint8_t sub = a != NULL && a->subcode ? a->subcode : BGP_CEASE_ADMIN_SHUTDOWN;

	if (p->state >= BGP_ST_OPENSENT)
		notify(p, BGP_ERR_CEASE, sub, NULL, 0, a ? a->reason : NULL);
	else
		set_error(p, a, "stopped");
	bgp_fsm_ops->close(p);
	timer_stop(s->t_idlehold);
	s->started = false;
	s->auto_restart = false;
	return NEXT;
}

/* ConnectRetry expiry in Connect/Active: drop any attempt, try again. */
static int act_reconnect(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	struct bgp_sess *s = p->sess;

	(void)a;
	timer_start(s->t_connretry, bgp_fsm_connect_retry(p), true);
	if (p->cfg.passive)
		return BGP_ST_ACTIVE;
	bgp_fsm_ops->close(p);
	if (bgp_fsm_ops->connect(p) == -1)
		return BGP_ST_ACTIVE;
	return BGP_ST_CONNECT;
}

/* The connection failed before OPEN was answered: wait for ConnectRetry. */
static int act_connect_fail(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	struct bgp_sess *s = p->sess;

	set_error(p, a, "connection failed");
	bgp_fsm_ops->close(p);
	if (!evtimer_pending(s->t_connretry, NULL) || p->state == BGP_ST_OPENSENT)
		timer_start(s->t_connretry, bgp_fsm_connect_retry(p), true);
	return NEXT;
}

/* Drop the connection without a NOTIFICATION (nothing to say it on, or the
 * peer said it), restart automatically. */
static int act_drop(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	set_error(p, a, "connection dropped");
	bgp_fsm_ops->close(p);
	SESS(p)->auto_restart = true;
	return NEXT;
}

static int act_notif_rcvd(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	struct bgp_sess *s = p->sess;

	p->notif_seen = true;
	if (a != NULL) {
		s->last_rcvd_code = a->code;
		s->last_rcvd_subcode = a->subcode;
		p->notif_code = a->code;
		p->notif_subcode = a->subcode;
		snprintf(p->last_error, sizeof(p->last_error),
			 "received NOTIFICATION %u/%u (%s/%s)", a->code, a->subcode,
			 bgp_err_name(a->code), bgp_suberr_name(a->code, a->subcode));
	}
	bgp_fsm_ops->close(p);
	s->auto_restart = true;
	return NEXT;
}

/* Send the NOTIFICATION the event carries (header, OPEN, UPDATE errors). */
static int act_notify_err(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	if (a != NULL)
		notify(p, a->code, a->subcode, a->data, a->len, a->reason);
	else
		notify(p, BGP_ERR_CEASE, 0, NULL, 0, NULL);
	bgp_fsm_ops->close(p);
	SESS(p)->auto_restart = true;
	return NEXT;
}

/* RFC 4271 6.6, RFC 6608 subcodes */
static int act_fsm_err(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	uint8_t sub = p->state == BGP_ST_OPENSENT      ? 1
		      : p->state == BGP_ST_OPENCONFIRM ? 2
		      : p->state == BGP_ST_ESTABLISHED ? 3
						       : 0;

	(void)a;
	notify(p, BGP_ERR_FSM, sub, NULL, 0, "unexpected event");
	bgp_fsm_ops->close(p);
	SESS(p)->auto_restart = true;
	return NEXT;
}

static int act_hold_exp(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	(void)a;
	notify(p, BGP_ERR_HOLD, 0, NULL, 0, NULL);
	bgp_fsm_ops->close(p);
	SESS(p)->auto_restart = true;
	return NEXT;
}

/* TCP up (either direction): send OPEN (RFC 4271 8.2.2 Connect/Active). */
static int act_send_open(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	(void)a;
	if (bgp_fsm_ops->send_open(p) == -1) {
		set_error(p, NULL, "cannot send OPEN");
		bgp_fsm_ops->close(p);
		SESS(p)->auto_restart = true;
		return BGP_ST_IDLE;
	}
	return NEXT;
}

/* OpenSent + valid OPEN: negotiate, KEEPALIVE, OpenConfirm. */
static int act_open_rcvd(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	if (a != NULL && a->open != NULL)
		bgp_fsm_negotiate(p, a->open);
	if (bgp_fsm_ops->send_keepalive(p) == -1) {
		set_error(p, NULL, "cannot send KEEPALIVE");
		bgp_fsm_ops->close(p);
		SESS(p)->auto_restart = true;
		return BGP_ST_IDLE;
	}
	return NEXT;
}

static void hold_restart(struct bgp_peer *p)
{
	if (p->holdtime)
		timer_start(SESS(p)->t_hold, p->holdtime, false);
}

static int act_send_keepalive(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	(void)a;
	bgp_fsm_ops->send_keepalive(p);
	if (p->keepalive)
		timer_start(SESS(p)->t_keepalive, p->keepalive, true);
	return NEXT;
}

static int act_keepalive_rcvd(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	(void)a;
	hold_restart(p);
	return NEXT;
}

static int act_update(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	hold_restart(p);
	if (bgp_hooks != NULL && bgp_hooks->update != NULL && a != NULL)
		bgp_hooks->update(p, a->data, a->len);
	return NEXT;
}

static int act_route_refresh(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	hold_restart(p);
	if (bgp_hooks != NULL && bgp_hooks->route_refresh != NULL && a != NULL)
		bgp_hooks->route_refresh(p, a->af);
	return NEXT;
}

/* RFC 4271 6.8: our connection loses the collision. Cease/7 on it (unless
 * the peer closed it already or no OPEN went out), then carry on with the
 * other connection if there is one. */
static int act_collision_dump(struct bgp_peer *p, const struct bgp_fsm_arg *a)
{
	struct bgp_sess *s = p->sess;

	s->collisions++;
	if ((a == NULL || !a->quiet) && p->state >= BGP_ST_OPENSENT)
		notify(p, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0, "collision");
	else
		snprintf(p->last_error, sizeof(p->last_error), "connection collision");
	if (bgp_fsm_ops->promote(p) == 0) {
		/* a fresh connection: the OpenSent timers start over */
		if (p->state == BGP_ST_OPENSENT)
			timer_start(s->t_hold, bgp_opensent_hold, false);
		return BGP_ST_OPENSENT;
	}
	bgp_fsm_ops->close(p);
	s->auto_restart = true;
	return BGP_ST_IDLE;
}

/* ------------------------------------------------------------ the table */

struct fsm_row {
	fsm_action action;
	enum bgp_state next;
};

#define I BGP_ST_IDLE
#define C BGP_ST_CONNECT
#define A BGP_ST_ACTIVE
#define OS BGP_ST_OPENSENT
#define OC BGP_ST_OPENCONFIRM
#define E BGP_ST_ESTABLISHED

/* Columns in enum bgp_event order:
 * START STOP CONNRETRY HOLD KEEPALIVE_EXP IDLEHOLD TCP_VALID TCP_CONFIRMED
 * TCP_FAILS OPEN HDR_ERR OPEN_ERR COLLISION NOTIF KEEPALIVE UPDATE
 * UPDATE_ERR ROUTE_REFRESH */
static const struct fsm_row fsm[BGP_ST_MAX][BGP_EV_MAX] = {
	[BGP_ST_IDLE] = {
		/* RFC 4271 8.2.2: in Idle all events but Start are ignored */
		{ act_start, C },          /* START */
		{ act_stop, I },           /* STOP: no automatic restart */
		{ act_ignore, I },         /* CONNRETRY_EXP */
		{ act_ignore, I },         /* HOLD_EXP */
		{ act_ignore, I },         /* KEEPALIVE_EXP */
		{ act_start, C },          /* IDLEHOLD_EXP (automatic start) */
		{ act_ignore, I },         /* TCP_VALID */
		{ act_ignore, I },         /* TCP_CONFIRMED (refused by session.c) */
		{ act_ignore, I },         /* TCP_FAILS */
		{ act_ignore, I },         /* OPEN */
		{ act_ignore, I },         /* HDR_ERR */
		{ act_ignore, I },         /* OPEN_ERR */
		{ act_ignore, I },         /* COLLISION_DUMP */
		{ act_ignore, I },         /* NOTIF */
		{ act_ignore, I },         /* KEEPALIVE */
		{ act_ignore, I },         /* UPDATE */
		{ act_ignore, I },         /* UPDATE_ERR */
		{ act_ignore, I },         /* ROUTE_REFRESH */
	},
	[BGP_ST_CONNECT] = {
		{ act_ignore, C },         /* START */
		{ act_stop, I },           /* STOP */
		{ act_reconnect, C },      /* CONNRETRY_EXP */
		{ act_drop, I },           /* HOLD_EXP */
		{ act_drop, I },           /* KEEPALIVE_EXP */
		{ act_ignore, C },         /* IDLEHOLD_EXP */
		{ act_send_open, OS },     /* TCP_VALID */
		{ act_send_open, OS },     /* TCP_CONFIRMED */
		{ act_connect_fail, A },   /* TCP_FAILS */
		{ act_drop, I },           /* OPEN (no DelayOpen) */
		{ act_drop, I },           /* HDR_ERR */
		{ act_drop, I },           /* OPEN_ERR */
		{ act_collision_dump, OS },/* COLLISION_DUMP: take the incoming one */
		{ act_drop, I },           /* NOTIF */
		{ act_drop, I },           /* KEEPALIVE */
		{ act_drop, I },           /* UPDATE */
		{ act_drop, I },           /* UPDATE_ERR */
		{ act_drop, I },           /* ROUTE_REFRESH */
	},
	[BGP_ST_ACTIVE] = {
		{ act_ignore, A },         /* START */
		{ act_stop, I },           /* STOP */
		{ act_reconnect, C },      /* CONNRETRY_EXP */
		{ act_drop, I },           /* HOLD_EXP */
		{ act_drop, I },           /* KEEPALIVE_EXP */
		{ act_ignore, A },         /* IDLEHOLD_EXP */
		{ act_send_open, OS },     /* TCP_VALID */
		{ act_send_open, OS },     /* TCP_CONFIRMED */
		{ act_connect_fail, A },   /* TCP_FAILS */
		{ act_drop, I },           /* OPEN */
		{ act_drop, I },           /* HDR_ERR */
		{ act_drop, I },           /* OPEN_ERR */
		{ act_collision_dump, OS },/* COLLISION_DUMP */
		{ act_drop, I },           /* NOTIF */
		{ act_drop, I },           /* KEEPALIVE */
		{ act_drop, I },           /* UPDATE */
		{ act_drop, I },           /* UPDATE_ERR */
		{ act_drop, I },           /* ROUTE_REFRESH */
	},
	[BGP_ST_OPENSENT] = {
		{ act_ignore, OS },        /* START */
		{ act_stop, I },           /* STOP: Cease */
		{ act_fsm_err, I },        /* CONNRETRY_EXP */
		{ act_hold_exp, I },       /* HOLD_EXP: 4/0 */
		{ act_fsm_err, I },        /* KEEPALIVE_EXP */
		{ act_ignore, OS },        /* IDLEHOLD_EXP */
		{ act_ignore, OS },        /* TCP_VALID (second conn: session.c) */
		{ act_ignore, OS },        /* TCP_CONFIRMED (second conn: session.c) */
		{ act_connect_fail, A },   /* TCP_FAILS: RFC 4271 -> Active */
		{ act_open_rcvd, OC },     /* OPEN */
		{ act_notify_err, I },     /* HDR_ERR: 1/x */
		{ act_notify_err, I },     /* OPEN_ERR: 2/x */
		{ act_collision_dump, OS },/* COLLISION_DUMP: Cease/7 */
		{ act_notif_rcvd, I },     /* NOTIF */
		{ act_fsm_err, I },        /* KEEPALIVE: 5/1 */
		{ act_fsm_err, I },        /* UPDATE: 5/1 */
		{ act_notify_err, I },     /* UPDATE_ERR */
		{ act_fsm_err, I },        /* ROUTE_REFRESH: 5/1 */
	},
	[BGP_ST_OPENCONFIRM] = {
		{ act_ignore, OC },        /* START */
		{ act_stop, I },           /* STOP: Cease */
		{ act_fsm_err, I },        /* CONNRETRY_EXP */
		{ act_hold_exp, I },       /* HOLD_EXP: 4/0 */
		{ act_send_keepalive, OC },/* KEEPALIVE_EXP */
		{ act_ignore, OC },        /* IDLEHOLD_EXP */
		{ act_ignore, OC },        /* TCP_VALID */
		{ act_ignore, OC },        /* TCP_CONFIRMED */
		{ act_drop, I },           /* TCP_FAILS */
		{ act_fsm_err, I },        /* OPEN: second OPEN on the connection */
		{ act_notify_err, I },     /* HDR_ERR */
		{ act_notify_err, I },     /* OPEN_ERR */
		{ act_collision_dump, OS },/* COLLISION_DUMP */
		{ act_notif_rcvd, I },     /* NOTIF */
		{ act_keepalive_rcvd, E }, /* KEEPALIVE: Established */
		{ act_fsm_err, I },        /* UPDATE: 5/2 */
		{ act_notify_err, I },     /* UPDATE_ERR */
		{ act_fsm_err, I },        /* ROUTE_REFRESH: 5/2 */
	},
	[BGP_ST_ESTABLISHED] = {
		{ act_ignore, E },         /* START */
		{ act_stop, I },           /* STOP: Cease */
		{ act_fsm_err, I },        /* CONNRETRY_EXP */
		{ act_hold_exp, I },       /* HOLD_EXP: 4/0 */
		{ act_send_keepalive, E }, /* KEEPALIVE_EXP */
		{ act_ignore, E },         /* IDLEHOLD_EXP */
		{ act_ignore, E },         /* TCP_VALID */
		{ act_ignore, E },         /* TCP_CONFIRMED */
		{ act_drop, I },           /* TCP_FAILS */
		{ act_fsm_err, I },        /* OPEN: 5/3 */
		{ act_notify_err, I },     /* HDR_ERR */
		{ act_notify_err, I },     /* OPEN_ERR */
		{ act_collision_dump, OS },/* COLLISION_DUMP: Cease/7 */
		{ act_notif_rcvd, I },     /* NOTIF */
		{ act_keepalive_rcvd, E }, /* KEEPALIVE */
		{ act_update, E },         /* UPDATE */
		{ act_notify_err, I },     /* UPDATE_ERR */
		{ act_route_refresh, E },  /* ROUTE_REFRESH */
	},
};

#undef I
#undef C
#undef A
#undef OS
#undef OC
#undef E

/* The one place a state changes: timers of the new state, counters, log,
 * hooks. */
static void change_state(struct bgp_peer *p, enum bgp_event ev, enum bgp_state to)
{
	struct bgp_sess *s = p->sess;
	enum bgp_state from = p->state;
	char addr[IPADDR_STRLEN];

	if (from == to) {
		log_debug("peer %s: event %s in %s", peer_str(p, addr, sizeof(addr)),
			  bgp_event_name(ev), bgp_state_name(from));
		return;
	}
	log_info("peer %s: event %s: %s -> %s", peer_str(p, addr, sizeof(addr)),
		 bgp_event_name(ev), bgp_state_name(from), bgp_state_name(to));
	p->state = to;
	p->state_since = time(NULL);
	s->transitions++;
	if (to == BGP_ST_ESTABLISHED)
		bgp_bfd_track(p); /* the local address of a multi-hop session is known now */

	switch (to) {
	case BGP_ST_IDLE:
		timer_stop(s->t_connretry);
		timer_stop(s->t_hold);
		timer_stop(s->t_keepalive);
		bgp_fsm_ops->close(p); /* every buffer and socket goes */
		p->holdtime = p->keepalive = 0;
		memset(p->af_nego, 0, sizeof(p->af_nego));
		if (s->auto_restart && s->started) {
			unsigned t = bgp_idle_hold_secs, cr = bgp_fsm_connect_retry(p);

			timer_start(s->t_idlehold, t < cr ? t : cr, true);
		}
		break;
	case BGP_ST_CONNECT:
	case BGP_ST_ACTIVE:
		timer_stop(s->t_hold);
		timer_stop(s->t_keepalive);
		break;
	case BGP_ST_OPENSENT:
		/* RFC 4271 8.2.2: ConnectRetry stops, hold = a large value */
		timer_stop(s->t_connretry);
		timer_stop(s->t_keepalive);
		timer_start(s->t_hold, bgp_opensent_hold, false);
		break;
	case BGP_ST_OPENCONFIRM:
		timer_stop(s->t_connretry);
		if (p->holdtime)
			timer_start(s->t_hold, p->holdtime, false);
		else
			timer_stop(s->t_hold); /* 0: no hold timer, no keepalives */
		if (p->keepalive)
			timer_start(s->t_keepalive, p->keepalive, true);
		else
			timer_stop(s->t_keepalive);
		break;
	case BGP_ST_ESTABLISHED:
	case BGP_ST_MAX:
		break;
	}

	if (from == BGP_ST_ESTABLISHED) {
		p->cnt.dropped_count++;
		if (bgp_hooks != NULL && bgp_hooks->down != NULL)
			bgp_hooks->down(p, p->last_error);
	}
	if (to == BGP_ST_ESTABLISHED) {
		p->cnt.established_count++;
		p->last_error[0] = '\0';
		p->notif_seen = false;
		memset(p->eor_rcvd, 0, sizeof(p->eor_rcvd));
		if (bgp_hooks != NULL && bgp_hooks->established != NULL)
			bgp_hooks->established(p);
	}
	if (bgp_hooks != NULL && bgp_hooks->state_change != NULL)
		bgp_hooks->state_change(p, from, to);
}

enum bgp_state bgp_fsm_event(struct bgp_peer *p, enum bgp_event ev, const struct bgp_fsm_arg *a)
{
	enum bgp_state from = p->state;
	const struct fsm_row *row;
	int next;

	if ((unsigned)ev >= BGP_EV_MAX || (unsigned)from >= BGP_ST_MAX)
		fatalx("bgp fsm: bad event %d in state %d", (int)ev, (int)from);
	bgp_sess_get(p);
	row = &fsm[from][ev];
	next = row->action(p, a);
	if (p->state != from)
		return p->state; /* a hook fed a nested event that already moved us */
	if (next == NEXT)
		next = (int)row->next;
	change_state(p, ev, (enum bgp_state)next);
	return p->state;
}
