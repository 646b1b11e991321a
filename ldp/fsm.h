/* LDP session (neighbor) state machine, RFC 5036 2.5.4 (figure "LDP session
 * initialization state transitions") and 2.5.6 (keepalive). A table of rows
 * {state mask, event, action, new state} with bit-flag states, walked by
 * ldp_fsm_event(); every transition goes through one change_state() that
 * runs the timers of the new state and logs "event E: A -> B".
 *
 * The FSM owns no sockets or timers: it calls the daemon through
 * struct ldp_fsm_ops, so unit tests drive every row without a network.
 * Status codes are RFC 5036 3.9 values without the E/F bits; every close
 * the FSM performs is fatal (the wire code sets the E bit). */
#ifndef PE_LDP_FSM_H
#define PE_LDP_FSM_H

#include <stdbool.h>
#include <stdint.h>

/* States are bit flags so one table row can cover several states. */
#define LDP_NBR_STA_NONEXISTENT 0x01
#define LDP_NBR_STA_INITIALIZED 0x02
#define LDP_NBR_STA_OPENREC 0x04
#define LDP_NBR_STA_OPENSENT 0x08
#define LDP_NBR_STA_OPERATIONAL 0x10
/* a TCP connection exists */
#define LDP_NBR_STA_SESSION                                                     \
	(LDP_NBR_STA_INITIALIZED | LDP_NBR_STA_OPENREC | LDP_NBR_STA_OPENSENT | \
	 LDP_NBR_STA_OPERATIONAL)
/* session initialization in progress (RFC 5036 2.5.3) */
#define LDP_NBR_STA_INIT_PHASE \
	(LDP_NBR_STA_INITIALIZED | LDP_NBR_STA_OPENREC | LDP_NBR_STA_OPENSENT)

enum ldp_fsm_event {
	LDP_EVT_MATCH_ADJ,     /* passive role: accepted connection matched an adjacency */
	LDP_EVT_CONNECT_UP,    /* active role: our TCP connect completed */
	LDP_EVT_CLOSE_SESSION, /* TCP closed, fatal notification, admin, adjacency gone */
	LDP_EVT_INIT_RCVD,     /* acceptable Initialization message received */
	LDP_EVT_KEEPALIVE_RCVD,
	LDP_EVT_KEEPALIVE_TIMEOUT, /* no PDU within the negotiated keepalive time */
	LDP_EVT_PDU_RCVD,          /* any PDU received (restarts the keepalive timeout) */
	LDP_EVT_PDU_SENT,          /* any PDU sent (restarts the keepalive send timer) */
	LDP_EVT_INIT_SENT,
	LDP_EVT_MAX
};

enum ldp_fsm_action {
	LDP_ACT_NOTHING,
	LDP_ACT_START_INIT,       /* active role: send Init, then INIT_SENT */
	LDP_ACT_PASSIVE_INIT,     /* passive role: answer Init with Init + KeepAlive */
	LDP_ACT_SEND_KEEPALIVE,   /* active role: Init answered, confirm with KeepAlive */
	LDP_ACT_SESSION_EST,      /* session operational: hand the neighbor to the LDE */
	LDP_ACT_RST_KA_TIMEOUT,   /* restart the keepalive (hold) timeout */
	LDP_ACT_RST_KA_TIMER,     /* restart the keepalive send timer */
	LDP_ACT_CLOSE,            /* close with the status the caller gave */
	LDP_ACT_CLOSE_SHUTDOWN,   /* unexpected message: close with Shutdown */
	LDP_ACT_CLOSE_KA_EXPIRED, /* close with KeepAlive Timer Expired */
	LDP_ACT_MAX
};

/* RFC 5036 3.9 status codes the FSM uses (prefixed to stay clear of the
 * wire codec's own names). */
#define LDP_FSM_ST_SHUTDOWN 0x8000000Au /* fatal: E bit set, as on the wire */
#define LDP_FSM_ST_KEEPALIVE_EXPIRED 0x80000014u
#define LDP_FSM_ST_INTERNAL_ERROR 0x80000019u
#define LDP_FSM_ST_NONE 0xffffffffu /* close without sending a Notification */

struct ldp_fsm;

/* Everything the FSM does to the outside world. ctx is ldp_fsm.ctx. */
struct ldp_fsm_ops {
	int (*send_init)(void *ctx);      /* 0 ok, -1: the session is closed (Internal Error) */
	int (*send_keepalive)(void *ctx); /* idem */
	void (*send_notification)(void *ctx, uint32_t status); /* fatal, before close */
	void (*close_conn)(void *ctx);       /* drop the TCP connection and its buffers */
	void (*session_up)(void *ctx);       /* entered OPERATIONAL: lde_nbr_up */
	void (*session_down)(void *ctx);     /* left OPERATIONAL: lde_nbr_down */
	void (*start_ka_timeout)(void *ctx); /* (re)start the keepalive timeout */
	void (*start_ka_timer)(void *ctx);   /* (re)start the keepalive send timer */
	void (*stop_timers)(void *ctx);
};

struct ldp_fsm {
	int state; /* one LDP_NBR_STA_* bit */
	const struct ldp_fsm_ops *ops;
	void *ctx;
	char name[32];        /* for logs: the neighbor's LSR ID */
	uint32_t last_status; /* status of the last close, LDP_FSM_ST_NONE if none */
	enum ldp_fsm_event last_event;
	uint64_t transitions;
	uint64_t bad_events; /* events no row accepts */
};

/* One row of the table; exported for tests and documentation. */
struct ldp_fsm_row {
	int state_mask;
	enum ldp_fsm_event event;
	enum ldp_fsm_action action;
	int new_state; /* 0: unchanged */
};

/* fsm.c */
void ldp_fsm_init(struct ldp_fsm *f, const struct ldp_fsm_ops *ops, void *ctx, const char *name);
/* Feeds one event. status is used by LDP_EVT_CLOSE_SESSION only (the
 * Notification to send, or LDP_FSM_ST_NONE). Returns the new state. */
int ldp_fsm_event(struct ldp_fsm *f, enum ldp_fsm_event ev, uint32_t status);
const struct ldp_fsm_row *ldp_fsm_table(int *nrows);
const char *ldp_fsm_state_name(int state);
const char *ldp_fsm_event_name(enum ldp_fsm_event ev);
const char *ldp_fsm_action_name(enum ldp_fsm_action a);

/* fsm.c: when non-NULL and true, every transition is logged at info level */
extern const bool *ldp_fsm_debug_events;

#endif
