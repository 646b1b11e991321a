/* LDP session (neighbor) state machine: RFC 5036 2.5.4 (session
 * initialization state transitions), 2.5.5 (the active/passive roles),
 * 2.5.6 (keepalive: any PDU restarts the keepalive timeout).
 *
 * The table below is the RFC figure with the two roles spelled out:
 *   passive: NONEXISTENT -match adj-> INITIALIZED -Init rcvd (send Init+KA)->
 *            OPENREC -KA rcvd-> OPERATIONAL
 *   active:  NONEXISTENT -connect up (send Init)-> INITIALIZED -Init sent->
 *            OPENSENT -Init rcvd (send KA)-> OPENREC -KA rcvd-> OPERATIONAL
 *
 * Deviations / choices:
 *  - "Receive any other LDP msg" in the initialization states (2.5.4) is a
 *    row per unexpected message (Init in OPENREC/OPERATIONAL, KeepAlive
 *    before Init): the session closes with Shutdown, as OpenBSD and FRR ldpd
 *    do. Other messages before OPERATIONAL are the caller's to refuse (it
 *    feeds CLOSE_SESSION with Shutdown).
 *  - An event that no row accepts in a session state is a local bug: the
 *    session closes with Internal Error (0x19). In NONEXISTENT it is logged
 *    and ignored (there is nothing to close).
 *  - The session-initialization timeout reuses the keepalive timeout, which
 *    runs from INITIALIZED on (2.5.3 leaves the timer to the implementation). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ldp/fsm.h"
#include "lib/log.h"

#define ST(x) LDP_NBR_STA_##x
#define EV(x) LDP_EVT_##x
#define ACT(x) LDP_ACT_##x

/* clang-format off */
static const struct ldp_fsm_row fsm_tbl[] = {
	/* state mask                     event                    action                 new state (0: same) */
	/* passive role */
	{ ST(NONEXISTENT),                 EV(MATCH_ADJ),           ACT(NOTHING),          ST(INITIALIZED) },
	{ ST(INITIALIZED),                 EV(INIT_RCVD),           ACT(PASSIVE_INIT),     ST(OPENREC) },
	/* active role */
	{ ST(NONEXISTENT),                 EV(CONNECT_UP),          ACT(START_INIT),       ST(INITIALIZED) },
	{ ST(INITIALIZED),                 EV(INIT_SENT),           ACT(NOTHING),          ST(OPENSENT) },
	{ ST(OPENSENT),                    EV(INIT_RCVD),           ACT(SEND_KEEPALIVE),   ST(OPENREC) },
	/* both */
	{ ST(OPENREC),                     EV(KEEPALIVE_RCVD),      ACT(SESSION_EST),      ST(OPERATIONAL) },
	/* session maintenance (2.5.6) */
	{ ST(OPERATIONAL),                 EV(KEEPALIVE_RCVD),      ACT(NOTHING),          0 },
	{ ST(SESSION),                     EV(PDU_RCVD),            ACT(RST_KA_TIMEOUT),   0 },
	{ ST(OPERATIONAL),                 EV(PDU_SENT),            ACT(RST_KA_TIMER),     0 },
	{ ST(INIT_PHASE),                  EV(PDU_SENT),            ACT(NOTHING),          0 },
	/* unexpected messages (2.5.4 "receive any other LDP msg") */
	{ ST(OPENREC) | ST(OPERATIONAL),   EV(INIT_RCVD),           ACT(CLOSE_SHUTDOWN),   ST(NONEXISTENT) },
	{ ST(INITIALIZED) | ST(OPENSENT),  EV(KEEPALIVE_RCVD),      ACT(CLOSE_SHUTDOWN),   ST(NONEXISTENT) },
	/* session close */
	{ ST(SESSION),                     EV(KEEPALIVE_TIMEOUT),   ACT(CLOSE_KA_EXPIRED), ST(NONEXISTENT) },
	{ ST(SESSION),                     EV(CLOSE_SESSION),       ACT(CLOSE),            ST(NONEXISTENT) },
	{ ST(NONEXISTENT),                 EV(CLOSE_SESSION),       ACT(NOTHING),          0 },
};
/* clang-format on */

#undef ST
#undef EV
#undef ACT

static const char *const event_names[LDP_EVT_MAX] = {
	[LDP_EVT_MATCH_ADJ] = "MATCH_ADJ",
	[LDP_EVT_CONNECT_UP] = "CONNECT_UP",
	[LDP_EVT_CLOSE_SESSION] = "CLOSE_SESSION",
	[LDP_EVT_INIT_RCVD] = "INIT_RCVD",
	[LDP_EVT_KEEPALIVE_RCVD] = "KEEPALIVE_RCVD",
	[LDP_EVT_KEEPALIVE_TIMEOUT] = "KEEPALIVE_TIMEOUT",
	[LDP_EVT_PDU_RCVD] = "PDU_RCVD",
	[LDP_EVT_PDU_SENT] = "PDU_SENT",
	[LDP_EVT_INIT_SENT] = "INIT_SENT",
};

static const char *const action_names[LDP_ACT_MAX] = {
	[LDP_ACT_NOTHING] = "NOTHING",
	[LDP_ACT_START_INIT] = "START_INIT",
	[LDP_ACT_PASSIVE_INIT] = "PASSIVE_INIT",
	[LDP_ACT_SEND_KEEPALIVE] = "SEND_KEEPALIVE",
	[LDP_ACT_SESSION_EST] = "SESSION_EST",
	[LDP_ACT_RST_KA_TIMEOUT] = "RST_KA_TIMEOUT",
	[LDP_ACT_RST_KA_TIMER] = "RST_KA_TIMER",
	[LDP_ACT_CLOSE] = "CLOSE",
	[LDP_ACT_CLOSE_SHUTDOWN] = "CLOSE_SHUTDOWN",
	[LDP_ACT_CLOSE_KA_EXPIRED] = "CLOSE_KA_EXPIRED",
};

const char *ldp_fsm_state_name(int state)
{
	switch (state) {
	case LDP_NBR_STA_NONEXISTENT:
		return "NONEXISTENT";
	case LDP_NBR_STA_INITIALIZED:
		return "INITIALIZED";
	case LDP_NBR_STA_OPENREC:
		return "OPENREC";
	case LDP_NBR_STA_OPENSENT:
		return "OPENSENT";
	case LDP_NBR_STA_OPERATIONAL:
		return "OPERATIONAL";
	}
	return "UNKNOWN";
}

const char *ldp_fsm_event_name(enum ldp_fsm_event ev)
{
	if ((unsigned)ev >= LDP_EVT_MAX)
		return "UNKNOWN";
	return event_names[ev];
}

const char *ldp_fsm_action_name(enum ldp_fsm_action a)
{
	if ((unsigned)a >= LDP_ACT_MAX)
		return "UNKNOWN";
	return action_names[a];
}

const struct ldp_fsm_row *ldp_fsm_table(int *nrows)
{
	*nrows = (int)(sizeof(fsm_tbl) / sizeof(fsm_tbl[0]));
	return fsm_tbl;
}

void ldp_fsm_init(struct ldp_fsm *f, const struct ldp_fsm_ops *ops, void *ctx, const char *name)
{
	memset(f, 0, sizeof(*f));
	f->state = LDP_NBR_STA_NONEXISTENT;
	f->ops = ops;
	f->ctx = ctx;
	f->last_status = LDP_FSM_ST_NONE;
	f->last_event = LDP_EVT_MAX;
	snprintf(f->name, sizeof(f->name), "%s", name ? name : "?");
}

/* The only place f->state changes: timers of the new state, then the log. */
static void change_state(struct ldp_fsm *f, enum ldp_fsm_event ev, int to)
{
	int from = f->state;

	f->state = to;
	f->transitions++;
	switch (to) {
	case LDP_NBR_STA_INITIALIZED:
		/* session initialization must finish within the keepalive time */
		f->ops->start_ka_timeout(f->ctx);
		break;
	case LDP_NBR_STA_OPERATIONAL:
		f->ops->start_ka_timeout(f->ctx);
		f->ops->start_ka_timer(f->ctx);
		break;
	case LDP_NBR_STA_NONEXISTENT:
		f->ops->stop_timers(f->ctx);
		break;
	default:
		break;
	}
	if (to == LDP_NBR_STA_OPERATIONAL || from == LDP_NBR_STA_OPERATIONAL ||
	    (ldp_fsm_debug_events != NULL && *ldp_fsm_debug_events))
		log_info("ldp nbr %s: event %s: %s -> %s", f->name, ldp_fsm_event_name(ev),
			 ldp_fsm_state_name(from), ldp_fsm_state_name(to));
	else
		log_debug("ldp nbr %s: event %s: %s -> %s", f->name, ldp_fsm_event_name(ev),
			  ldp_fsm_state_name(from), ldp_fsm_state_name(to));
}

/* Set by the daemon (`debug mpls ldp events`): every transition at info. */
const bool *ldp_fsm_debug_events;

/* Tear down after change_state() moved to NONEXISTENT; from is the state
 * the session was in. */
static void do_close(struct ldp_fsm *f, int from, uint32_t status)
{
	f->last_status = status;
	if (status != LDP_FSM_ST_NONE)
		f->ops->send_notification(f->ctx, status);
	f->ops->close_conn(f->ctx);
	if (from == LDP_NBR_STA_OPERATIONAL)
		f->ops->session_down(f->ctx);
}

static const struct ldp_fsm_row *find_row(int state, enum ldp_fsm_event ev)
{
	size_t i;

	for (i = 0; i < sizeof(fsm_tbl) / sizeof(fsm_tbl[0]); i++)
		if ((fsm_tbl[i].state_mask & state) && fsm_tbl[i].event == ev)
			return &fsm_tbl[i];
	return NULL;
}

int ldp_fsm_event(struct ldp_fsm *f, enum ldp_fsm_event ev, uint32_t status)
{
	const struct ldp_fsm_row *row;
	int from = f->state;

	f->last_event = ev;
	row = find_row(from, ev);
	if (row == NULL) {
		f->bad_events++;
		if (from == LDP_NBR_STA_NONEXISTENT) {
			log_warnx("ldp nbr %s: event %s ignored in %s", f->name,
				  ldp_fsm_event_name(ev), ldp_fsm_state_name(from));
			return f->state;
		}
		log_warnx("ldp nbr %s: unexpected event %s in %s, closing session", f->name,
			  ldp_fsm_event_name(ev), ldp_fsm_state_name(from));
		change_state(f, ev, LDP_NBR_STA_NONEXISTENT);
		do_close(f, from, LDP_FSM_ST_INTERNAL_ERROR);
		return f->state;
	}

	if (row->new_state != 0 && row->new_state != from)
		change_state(f, ev, row->new_state);

	switch (row->action) {
	case LDP_ACT_NOTHING:
		break;
	case LDP_ACT_START_INIT:
		if (f->ops->send_init(f->ctx) == -1)
			return ldp_fsm_event(f, LDP_EVT_CLOSE_SESSION, LDP_FSM_ST_INTERNAL_ERROR);
		return ldp_fsm_event(f, LDP_EVT_INIT_SENT, 0);
	case LDP_ACT_PASSIVE_INIT:
		/* 2.5.4: "Receive acceptable Init msg: send Init msg, send KeepAlive msg" */
		if (f->ops->send_init(f->ctx) == -1 || f->ops->send_keepalive(f->ctx) == -1)
			return ldp_fsm_event(f, LDP_EVT_CLOSE_SESSION, LDP_FSM_ST_INTERNAL_ERROR);
		break;
	case LDP_ACT_SEND_KEEPALIVE:
		if (f->ops->send_keepalive(f->ctx) == -1)
			return ldp_fsm_event(f, LDP_EVT_CLOSE_SESSION, LDP_FSM_ST_INTERNAL_ERROR);
		break;
	case LDP_ACT_SESSION_EST:
		f->last_status = LDP_FSM_ST_NONE;
		f->ops->session_up(f->ctx);
		break;
	case LDP_ACT_RST_KA_TIMEOUT:
		f->ops->start_ka_timeout(f->ctx);
		break;
	case LDP_ACT_RST_KA_TIMER:
		f->ops->start_ka_timer(f->ctx);
		break;
	case LDP_ACT_CLOSE:
		do_close(f, from, status);
		break;
	case LDP_ACT_CLOSE_SHUTDOWN:
		do_close(f, from, LDP_FSM_ST_SHUTDOWN);
		break;
	case LDP_ACT_CLOSE_KA_EXPIRED:
		do_close(f, from, LDP_FSM_ST_KEEPALIVE_EXPIRED);
		break;
	case LDP_ACT_MAX:
		fatalx("ldp fsm: bad action");
	}
	return f->state;
}
