/* BGP session layer: the RFC 4271 8 finite state machine (fsm.c) and the
 * TCP connections under it (session.c): listening per namespace, active
 * open from the update source, collision detection (6.8), message framing,
 * timers, NOTIFICATION on every error, TCP MD5 (RFC 2385), eBGP TTL.
 *
 * The upper layer (UPDATE processing, RIB) sees only the hooks below and
 * the bgp_peer_* calls; it never touches a socket. */
#ifndef PE_BGP_SESSION_H
#define PE_BGP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mpbgp/bgp.h"

struct event_base;
struct event;

/* Upper-layer callbacks; any may be NULL. They run from the event loop.
 * A hook may call bgp_peer_send(), bgp_peer_reset() and bgp_peer_stop() on
 * the peer it is given, but must not free the session (bgp_peer_free_session)
 * from inside a hook. */
struct bgp_session_hooks {
	void (*established)(struct bgp_peer *p);
	void (*down)(struct bgp_peer *p, const char *reason); /* left Established */
	void (*update)(struct bgp_peer *p, const uint8_t *body, size_t len);
	void (*route_refresh)(struct bgp_peer *p, int af); /* enum bgp_af */
	/* Every state change (for a harness or `debug bgp neighbor-events`). */
	void (*state_change)(struct bgp_peer *p, enum bgp_state from, enum bgp_state to);
	/* BGP identifier of an instance whose router_id is 0; NULL: use the
	 * local address of the connection. */
	uint32_t (*router_id)(const struct bgp *bgp);
};

/* RFC 4271 8.1 events (the mandatory ones plus the optional ones used). */
enum bgp_event {
	BGP_EV_START,            /* 1 ManualStart / AutomaticStart */
	BGP_EV_STOP,             /* 2 ManualStop */
	BGP_EV_CONNRETRY_EXP,    /* 9 ConnectRetryTimer_Expires */
	BGP_EV_HOLD_EXP,         /* 10 HoldTimer_Expires */
	BGP_EV_KEEPALIVE_EXP,    /* 11 KeepaliveTimer_Expires */
	BGP_EV_IDLEHOLD_EXP,     /* 13 IdleHoldTimer_Expires (automatic restart) */
	BGP_EV_TCP_VALID,        /* 16/17 outgoing connect succeeded */
	BGP_EV_TCP_CONFIRMED,    /* 17 incoming connection accepted */
	BGP_EV_TCP_FAILS,        /* 18 TcpConnectionFails (EOF, error, refused) */
	BGP_EV_OPEN,             /* 19 BGPOpen (decoded and verified) */
	BGP_EV_HDR_ERR,          /* 21 BGPHeaderErr */
	BGP_EV_OPEN_ERR,         /* 22 BGPOpenMsgErr */
	BGP_EV_COLLISION_DUMP,   /* 23 OpenCollisionDump */
	BGP_EV_NOTIF,            /* 25 NotifMsg */
	BGP_EV_KEEPALIVE,        /* 26 KeepAliveMsg */
	BGP_EV_UPDATE,           /* 27 UpdateMsg */
	BGP_EV_UPDATE_ERR,       /* 28 UpdateMsgErr: upper layer asks for a reset */
	BGP_EV_ROUTE_REFRESH,    /* RFC 2918 ROUTE-REFRESH received */
	BGP_EV_MAX
};

/* What comes with an event (all optional). */
struct bgp_fsm_arg {
	uint8_t code, subcode;        /* NOTIFICATION to send (errors) or received */
	const uint8_t *data;          /* NOTIFICATION data, or UPDATE body */
	size_t len;
	const struct bgp_open *open;  /* BGP_EV_OPEN */
	int af;                       /* BGP_EV_ROUTE_REFRESH */
	bool quiet;                   /* COLLISION_DUMP: the peer already closed it */
	const char *reason;           /* for last_error and the log */
};

/* Socket-side operations the FSM drives. session.c provides the real ones;
 * tests replace them (bgp_fsm_ops) to drive the table without sockets. */
struct bgp_fsm_ops {
	int (*connect)(struct bgp_peer *p);   /* start a non-blocking connect: 0 or -1 */
	void (*close)(struct bgp_peer *p);    /* close the connection(s), free buffers */
	int (*promote)(struct bgp_peer *p);   /* secondary (collision) connection becomes
					       * the connection: 0, or -1 if there is none */
	int (*send_open)(struct bgp_peer *p);
	int (*send_keepalive)(struct bgp_peer *p);
	int (*send_notification)(struct bgp_peer *p, uint8_t code, uint8_t subcode,
				 const uint8_t *data, size_t len);
};

/* Per-peer private state (peer->sess): timers here, connections opaque. */
struct bgp_conn;
struct bgp_sess {
	struct bgp_peer *peer;
	struct bgp_conn *conn;     /* the connection the FSM runs on */
	struct bgp_conn *conn2;    /* a second (incoming) one during a collision */
	struct event *t_connretry, *t_hold, *t_keepalive, *t_idlehold;
	bool started;              /* ManualStart seen, not stopped */
	bool auto_restart;         /* set by error actions: Idle -> idle hold -> Start */
	bool read_paused;          /* tests: stop reading (hold timer expiry) */
	uint16_t port;             /* remote port for active open (0: bgp_session_port) */
	uint64_t transitions;
	uint64_t collisions;
	uint8_t last_sent_code, last_sent_subcode; /* last NOTIFICATION sent */
	uint8_t last_rcvd_code, last_rcvd_subcode; /* last NOTIFICATION received */
};

/* Knobs (globals so tests can shorten them). */
extern uint16_t bgp_session_port;         /* remote port for active opens (179) */
extern unsigned bgp_connect_retry_default; /* seconds, RFC 4271 10: 120 */
extern unsigned bgp_idle_hold_secs;        /* idle hold before automatic restart: 5 */
extern unsigned bgp_opensent_hold;         /* RFC 4271 8.2.2 "large value": 240 */
extern bool bgp_timer_jitter;              /* RFC 4271 10 jitter 0.75..1 (default on) */
extern size_t bgp_outq_max;                /* bgp_peer_send refuses beyond this */

/* fsm.c */
extern const struct bgp_fsm_ops *bgp_fsm_ops;
extern const struct bgp_session_hooks *bgp_hooks;
extern struct event_base *bgp_evbase;
const char *bgp_state_name(enum bgp_state s);   /* "Idle" ... "Established" */
const char *bgp_event_name(enum bgp_event e);
/* Feed one event; returns the new state. */
enum bgp_state bgp_fsm_event(struct bgp_peer *p, enum bgp_event ev, const struct bgp_fsm_arg *a);
struct bgp_sess *bgp_sess_get(struct bgp_peer *p); /* creates timers on first use */
void bgp_sess_free(struct bgp_peer *p);            /* ops->close + timers + struct */
/* Negotiation used by the OPEN action (exported for tests). */
void bgp_fsm_negotiate(struct bgp_peer *p, const struct bgp_open *o);
void bgp_fsm_local_capa(const struct bgp_peer *p, struct bgp_capa *c);
uint16_t bgp_fsm_cfg_holdtime(const struct bgp_peer *p);
unsigned bgp_fsm_connect_retry(const struct bgp_peer *p);

/* session.c */
void bgp_session_init(struct event_base *base, const struct bgp_session_hooks *h);
/* Listening socket of instance bgp in namespace nsfd (-1: the current one),
 * on 0.0.0.0:179; the _at form picks address and port (tests). */
int bgp_listen_start(struct bgp *bgp, int nsfd, char *err, size_t errlen);
int bgp_listen_start_at(struct bgp *bgp, int nsfd, uint32_t addr, uint16_t port, char *err,
			size_t errlen);
void bgp_listen_stop(struct bgp *bgp);
/* Namespace the peers of an instance use: the listener's, else the VRF's,
 * else -1 (the current namespace). */
int bgp_instance_nsfd(const struct bgp *bgp);
void bgp_peer_start(struct bgp_peer *p);   /* ManualStart */
void bgp_peer_stop(struct bgp_peer *p, uint8_t cease_subcode); /* ManualStop, Cease/subcode */
/* Send NOTIFICATION code/subcode/data and reset (UpdateMsgErr); the
 * session restarts after the idle hold time. */
void bgp_peer_reset(struct bgp_peer *p, uint8_t code, uint8_t subcode, const uint8_t *data,
		    size_t len);
/* One complete message (header included). -1 when not Established or the
 * output queue is over bgp_outq_max. */
int bgp_peer_send(struct bgp_peer *p, const uint8_t *msg, size_t len);
size_t bgp_peer_outq(const struct bgp_peer *p); /* bytes queued */
/* Peer being deleted: Cease/3 (Peer De-configured) if connected, then free
 * connections, timers and peer->sess. */
void bgp_peer_free_session(struct bgp_peer *p);
/* From now on, sessions freed while Established in graceful-restart mode
 * (both sides sent the capability) close without a NOTIFICATION: ped
 * exits keeping its forwarding (pe/hitless.c). */
void bgp_sessions_close_quietly(void);
void bgp_peer_set_port(struct bgp_peer *p, uint16_t port); /* tests */
void bgp_peer_read_pause(struct bgp_peer *p, bool pause);  /* tests */
/* TCP MD5 key for peer p on its instance's listener (after a password change). */
void bgp_listen_md5_update(struct bgp_peer *p);

#endif
