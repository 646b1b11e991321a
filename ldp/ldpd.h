/* The running LDP instance (RFC 5036): configuration, discovery (2.4.1
 * basic, 2.4.2 extended/targeted), adjacencies with hold timers, sessions
 * over TCP 646 (2.5) driven by ldp/fsm.c, and the glue to the label
 * decision engine (ldp/lde.c) and to the default VRF's RIB.
 *
 * ldp/ depends on lib/, vrf/ and cli/ only: the label manager and the
 * router id reach it through struct ldpd_ops set by pe/main.c.
 *
 * Graceful restart (RFC 3478, ldp/gr.c): the FT Session TLV in our
 * Initialization with `graceful-restart`, the helper side for neighbors that
 * send it, and the restart gate's counters for pe/.
 *
 * Deviations: IPv4 only; one label space (0); no Label Request origination
 * (downstream unsolicited, liberal retention); GTSM (RFC 6720) follows the
 * G bit of link hellos as OpenBSD/FRR ldpd do for IPv4. */
#ifndef PE_LDP_LDPD_H
#define PE_LDP_LDPD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "ldp/fsm.h"
#include "ldp/gr.h"
#include "ldp/lde.h"
#include "lib/label.h"
#include "lib/prefix.h"

struct event;
struct event_base;
struct evbuffer;
struct vrf;
struct rib_dest;
struct ldp_hello;

#define LDP_IFNAMSIZ 16
#define LDP_PASSWORD_LEN 80           /* TCP_MD5SIG_MAXKEYLEN */
/* Hello-flood bounds that grow with the configuration: adjacencies and
 * neighbors (one per LSR ID) at most LDP_ADJ_BASE + LDP_ADJ_PER_IFACE per
 * LDP interface + one per configured neighbor (ldpd_adj_limit()). */
#define LDP_ADJ_BASE 256
#define LDP_ADJ_PER_IFACE 16
/* Addresses a neighbor may advertise (RFC 5036 3.5.5): not config-bound,
 * so a safety bound against a peer that never stops; the excess is logged
 * and counted, never kept. */
#define LDP_NBR_ADDRS_MAX 16384
/* Connections that arrive before their adjacency are held this long
 * (seconds) waiting for the Hello, as OpenBSD ldpd does; at most
 * ldpd_adj_limit() of them, one per source address. */
#define LDP_PENDING_CONN_TIMEOUT 5
/* Output buffered for a session beyond which the peer is taken as not
 * reading: LDP_OUTBUF_BASE + LDP_OUTBUF_PER_FEC per FEC (a whole LIB dump
 * fits); beyond it the session is reset (logged), never grown. */
#define LDP_OUTBUF_BASE (4u << 20)
#define LDP_OUTBUF_PER_FEC 64u
#define LDP_DEF_LINK_HOLD 15          /* RFC 5036 3.5.2 */
#define LDP_DEF_LINK_INTERVAL 5
#define LDP_DEF_TARGETED_HOLD 45
#define LDP_DEF_TARGETED_INTERVAL 15
#define LDP_DEF_KEEPALIVE 180         /* FRR's default session holdtime */
#define LDP_BACKOFF_MIN 15            /* RFC 5036 2.5.3: exponential backoff */
#define LDP_BACKOFF_MAX 120
#define LDP_ALL_ROUTERS 0xe0000002u   /* 224.0.0.2 */

struct ldp_iface_conf {
	char name[LDP_IFNAMSIZ];
	uint16_t hello_hold, hello_interval; /* 0: instance value */
};

struct ldp_nbr_conf {
	uint32_t lsr_id;
	char password[LDP_PASSWORD_LEN + 1];
	bool targeted;        /* `neighbor X targeted`: X is also the hello target */
	uint16_t keepalive;   /* `neighbor X session holdtime N`, 0: instance value */
	bool ttl_security_off; /* `neighbor X ttl-security disable` */
	time_t last_targeted;  /* run time: last targeted Hello sent */
	int send_errno;        /* run time: its last refusal (logged once) */
};

struct ldpd_conf {
	bool enabled;       /* `mpls ldp` */
	uint32_t router_id; /* 0: from the interfaces */
	bool ordered_control;
	bool explicit_null;
	bool host_routes_only;
	bool af_ipv4;             /* `address-family ipv4` */
	uint32_t transport_addr;  /* 0: router id */
	uint16_t link_hold, link_interval;         /* `discovery hello ...` */
	uint16_t targeted_hold, targeted_interval; /* `discovery targeted-hello ...` */
	uint16_t keepalive;                        /* `session holdtime` (seconds) */
	bool gtsm_off;                             /* `ttl-security disable` */
	bool gr;                                   /* `graceful-restart` */
	uint16_t gr_reconnect, gr_recovery;        /* seconds, 0: LDP_GR_DEF_* */
	/* grow with the configuration (ldpd_iface_conf_add, ldpd_nbr_conf_add) */
	int niface, iface_cap;
	struct ldp_iface_conf *iface;
	int nnbr, nbr_cap;
	struct ldp_nbr_conf *nbr;
};

/* Hooks from pe/: label manager and router id. */
struct ldpd_ops {
	uint32_t (*router_id)(void);
	mpls_label_t (*label_alloc)(const struct prefix4 *fec); /* a local label for fec */
	void (*label_release)(mpls_label_t l);
	/* labelled paths of a FEC (BGP next-hop resolution); may be NULL */
	void (*nh_bound)(const struct prefix4 *fec, const struct lde_path *paths, int npaths);
	/* the LFIB entries to install (swap, or pop for implicit-null); may be NULL */
	void (*lfib_update)(mpls_label_t in, const struct prefix4 *fec, const struct lde_path *paths,
			    int npaths);
	void (*lfib_delete)(mpls_label_t in);
};

enum ldp_adj_type { LDP_ADJ_LINK, LDP_ADJ_TARGETED };

struct ldp_nbr;

struct ldp_adj {
	struct ldp_adj *next;
	enum ldp_adj_type type;
	uint32_t lsr_id;
	uint32_t src;        /* hello source */
	uint32_t trans_addr; /* transport address TLV or source */
	char ifname[LDP_IFNAMSIZ];
	uint16_t holdtime;   /* negotiated */
	bool gtsm;           /* peer set the G bit */
	time_t uptime, last_rx;
	struct event *expire;
	struct ldp_nbr *nbr;
};

struct ldp_nbr_stats {
	uint64_t ka_sent, ka_rcvd, addr_sent, addr_rcvd, addrwd_sent, addrwd_rcvd;
	uint64_t notif_sent, notif_rcvd, map_sent, map_rcvd, req_sent, req_rcvd;
	uint64_t wd_sent, wd_rcvd, rel_sent, rel_rcvd, abort_rcvd;
};

struct ldp_nbr {
	struct ldp_nbr *next;
	uint32_t lsr_id;
	uint32_t raddr, laddr; /* transport addresses */
	uint16_t rport, lport;
	int nadj;
	struct ldp_fsm fsm;
	int fd;
	bool active;           /* we connect (our transport address is higher) */
	bool connecting;
	int connect_errno; /* connect() failed at once with it (0: none) */
	bool gtsm;
	bool md5;
	struct event *ev_read, *ev_write, *ev_ka_timeout, *ev_ka_timer, *ev_connect;
	struct evbuffer *out;
	uint8_t *inbuf;
	size_t inlen;
	uint16_t keepalive;    /* negotiated */
	uint16_t max_pdu;
	uint32_t msg_id;
	int backoff;           /* seconds before the next attempt (active role) */
	uint32_t init_failures; /* sessions closed before OPERATIONAL */
	bool out_full;          /* output over the bound: reset pending (ev_reset) */
	struct event *ev_reset;
	time_t uptime;
	int naddr, addr_cap;
	uint32_t *addrs; /* advertised by the peer (at most LDP_NBR_ADDRS_MAX) */
	uint64_t addrs_dropped;
	struct ldp_nbr_stats st;
	bool was_oper;
	char last_error[96];
	bool peer_has_ft; /* its last Initialization's FT Session TLV (RFC 3478) */
	struct ldp_ft peer_ft;
};

struct ldpd_stats {
	uint64_t hello_rx, hello_tx, hello_bad, hello_dropped_full, hello_unknown_if;
	uint64_t adj_created, adj_expired, sessions_up, sessions_down;
	uint64_t conn_pending, conn_adopted, conn_pending_expired, conn_refused;
	uint64_t join_failed;
};

/* ldpd.c */
extern struct ldpd_conf ldpd_conf;
void ldpd_init(const struct ldpd_ops *ops);
/* Opens the sockets when LDP is configured; also called after a config
 * change (ldpd_conf_changed). */
void ldpd_start(struct event_base *base);
void ldpd_fini(void);
void ldpd_set_debug(unsigned flags);
/* Config changed at run time: sockets, adjacencies, LDE settings follow. */
void ldpd_conf_changed(void);
/* A selected route changed in some VRF (the default VRF's feed the LDE). */
void ldpd_route_changed(struct vrf *vrf, const struct rib_dest *d);
uint32_t ldpd_router_id(void);
uint32_t ldpd_transport_addr(void);
struct ldp_iface_conf *ldpd_iface_conf(const char *ifname);
struct ldp_nbr_conf *ldpd_nbr_conf(uint32_t lsr_id);
/* New zeroed entries (the arrays grow; earlier pointers become invalid). */
struct ldp_iface_conf *ldpd_iface_conf_add(const char *ifname);
void ldpd_iface_conf_del(struct ldp_iface_conf *ic);
struct ldp_nbr_conf *ldpd_nbr_conf_add(uint32_t lsr_id);
void ldpd_conf_clear(void); /* `no mpls ldp`: everything back to the defaults */
int ldpd_adj_limit(void);
/* Walks for show commands. */
struct ldp_adj *ldpd_adj_first(void);
/* Graceful restart (RFC 3478). Called by ped before ldpd_start: forwarding
 * (LDP's LFIB and our labels) survived this restart, so our Initialization
 * advertises the configured recovery time, counting down from the start
 * (default false: Recovery Time 0). */
void ldpd_set_fwd_preserved(bool preserved);
/* Whether our forwarding would survive a restart of ours now (pe/hitless.c):
 * the FT Reconnect Timeout we send is 0 when it would not (RFC 3478 3). NULL
 * (the default): it would. */
void ldpd_set_fwd_keepable_fn(bool (*fn)(void));
/* For ped's restart gate: neighbors in OPERATIONAL state, and the
 * CLOCK_MONOTONIC time (ms) of the last Label Mapping message received
 * from any neighbor (0: none yet). */
int ldpd_operational_sessions(void);
uint64_t ldpd_last_mapping_ms(void);
/* `clear mpls ldp neighbor [A.B.C.D]` (lsr_id 0: all): sessions reset with
 * Shutdown, stale bindings of restarting neighbors deleted at once.
 * Returns how many neighbors were cleared. */
int ldpd_clear_neighbor(uint32_t lsr_id);
/* The helper's restarting neighbors (NULL when LDP is not running), and the
 * remaining milliseconds of one (show). */
const struct ldp_gr *ldpd_gr(void);
int64_t ldpd_gr_remaining_ms(const struct ldp_gr_peer *p);

/* `debug mpls ldp messages|events` */
#define LDP_DEBUG_MESSAGES 0x1u
#define LDP_DEBUG_EVENTS 0x2u
extern unsigned ldp_debug;
struct ldp_nbr *ldpd_nbr_first(void);
const struct lde *ldpd_lde(void);
const struct ldpd_stats *ldpd_stats(void);
int ldpd_adj_count(void);
time_t ldpd_iface_uptime(const char *ifname); /* 0: not joined */
/* The interface's discovery state for show: "ACTIVE" (joined 224.0.0.2),
 * "DOWN" (LDP off, interface missing or down) or "JOIN FAILED" with the
 * kernel's reason in err (e.g. "No buffer space available"). */
const char *ldpd_iface_state(const char *ifname, char *err, size_t errlen);
/* Hello input without sockets (also the unit tests' entry point):
 * 0 accepted, -1 dropped. */
int ldpd_hello_input(const char *ifname, uint32_t src, uint32_t lsr_id,
		     const struct ldp_hello *h);
/* Pure helpers (unit tested). */
bool ldp_active_role(uint32_t our_trans, uint32_t peer_trans); /* RFC 5036 2.5.2 */
int ldp_backoff_next(int cur);                                 /* 15, 30, 60, 120, 120 */
uint16_t ldp_hold_negotiate(uint16_t ours, uint16_t theirs, bool targeted);
int ldp_addrs_per_msg(uint16_t max_pdu); /* Address message split (3.5.5) */

/* ldp_cli.c */
void ldp_cli_init(void);
struct cli;
void ldp_config_write(struct cli *cli);
/* Set while the running configuration is written with its secrets (write
 * memory, ped -C); otherwise neighbor passwords print as <hidden>. */
extern bool ldp_cfg_write_secrets;

/* ldp_show.c */
void ldp_show_init(void);

#endif
