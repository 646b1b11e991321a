/* BFD sessions in ped: RFC 5880 asynchronous mode over UDP, single-hop
 * (RFC 5881) and multi-hop (RFC 5883), IPv4 and IPv6, in the default
 * namespace or a VRF's.
 *
 * A session exists while something wants it: a `peer` line of the `bfd`
 * block (FRR bfdd's syntax, bfd_cli.c), or a client (BGP's `neighbor X
 * bfd`) registered with bfd_client_add(). Clients are told every change of
 * state. The protocol machinery is split in two:
 *   session.c  the state machine and the timer arithmetic of RFC 5880 6.8,
 *              on a struct bfd_sess and a clock given by the caller, no I/O
 *              (unit tests drive it packet by packet);
 *   bfd.c      the registry, sockets (TTL 255 sent and checked, RFC 5881 5),
 *              libevent timers, clients.
 * Not implemented: echo mode, demand mode, authentication (packets with
 * the A bit are discarded as RFC 5880 6.8.6 says when none is configured). */
#ifndef PE_BFD_H
#define PE_BFD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "bfd/wire.h"
#include "lib/prefix.h"

struct event_base;
struct event;

#define BFD_DEF_MULT 3
#define BFD_DEF_TX_MS 300       /* FRR's defaults */
#define BFD_DEF_RX_MS 300
#define BFD_DEF_MHOP_TTL 254    /* the lowest TTL a multi-hop packet may arrive with */
#define BFD_SLOW_TX_US 1000000  /* RFC 5880 6.8.3: at least 1 s while not Up */
#define BFD_MIN_MS 10
#define BFD_MAX_MS 60000
#define BFD_NAME_LEN 64
#define BFD_IFNAMSIZ 16
#define BFD_VRFNAMSIZ 32

/* What identifies a session (FRR: peer [multihop] [local-address]
 * [interface] [vrf]). */
struct bfd_key {
	struct ipaddr peer;
	struct ipaddr local;          /* af 0: any (the kernel's source) */
	char ifname[BFD_IFNAMSIZ];    /* "" = any */
	char vrf[BFD_VRFNAMSIZ];      /* "" = the default VRF */
	bool multihop;
};

/* Settings of a peer or profile; `set` says which are given there (the
 * rest come from the profile, then the defaults). */
#define BFD_SET_MULT 0x01
#define BFD_SET_TX 0x02
#define BFD_SET_RX 0x04
#define BFD_SET_TTL 0x08
#define BFD_SET_PASSIVE 0x10
#define BFD_SET_SHUTDOWN 0x20
struct bfd_params {
	uint32_t set;
	uint8_t detect_mult;
	uint32_t tx_ms, rx_ms;
	uint8_t min_ttl;
	bool passive, shutdown;
};

struct bfd_profile {
	struct bfd_profile *next;
	char name[BFD_NAME_LEN];
	struct bfd_params p;
};

struct bfd_counters {
	uint64_t rx, tx;          /* control packets */
	uint64_t rx_dropped;      /* for this session but refused (TTL, auth, admin down) */
	uint64_t up, down;        /* state changes */
	uint64_t notifications;   /* client callbacks */
};

struct bfd_client;

struct bfd_sess {
	struct bfd_sess *next;        /* registry list */
	struct bfd_sess *dnext;       /* discriminator hash chain */
	struct bfd_key key;
	/* configuration */
	bool configured;              /* a `peer` line */
	struct bfd_params own;
	char profile[BFD_NAME_LEN];   /* "" = none */
	struct bfd_client *clients;
	struct bfd_params eff;        /* effective (bfd_sess_params) */
	/* RFC 5880 6.8.1 state variables (times in microseconds) */
	uint8_t state, remote_state;
	uint8_t diag, remote_diag;
	uint32_t local_disc, remote_disc;
	uint32_t desired_min_tx, required_min_rx;
	uint32_t remote_desired_min_tx, remote_min_rx, remote_min_echo_rx;
	uint8_t remote_detect_mult;   /* 0 until a packet arrived */
	bool remote_demand;
	bool poll;                    /* Poll Sequence in progress (6.5) */
	uint32_t poll_old_rx;         /* RequiredMinRx before a reduction under Poll */
	uint32_t poll_old_tx;         /* DesiredMinTx before an increase under Poll */
	bool send_final;              /* answer a Poll with F at once */
	uint64_t last_rx;             /* clock of the last packet accepted */
	uint64_t since;               /* clock of the last state change */
	struct bfd_counters cnt;
	/* I/O (bfd.c) */
	int txfd;
	uint16_t sport;
	struct event *tx_ev, *detect_ev;
	void *rx;                     /* the receive socket it holds */
	bool started, start_warned;
};

/* ---- session.c: RFC 5880 6.8, no I/O; `now` in microseconds ---- */
/* Fresh session in Down (the caller sets key and local_disc). */
void bfd_sess_init(struct bfd_sess *s, uint64_t now);
/* Recomputes the effective settings from own settings, profile (may be
 * NULL) and defaults, and the timers they give; starts a Poll Sequence if
 * Up and the advertised intervals changed (6.8.3); goes to or leaves
 * AdminDown with `shutdown`. Returns true if the state changed. */
bool bfd_sess_params(struct bfd_sess *s, const struct bfd_profile *prof, uint64_t now);
/* A packet that decoded (bfd_decode) and was demultiplexed to s; the
 * checks of 6.8.6 that need the session are made here. Returns true if the
 * state changed. false with *dropped set: discarded. */
bool bfd_sess_rx(struct bfd_sess *s, const struct bfd_ctl *c, uint64_t now, bool *dropped);
/* The Detection Time passed with no packet: true if the state changed. */
bool bfd_sess_expired(struct bfd_sess *s, uint64_t now);
/* The next control packet to send (F bit if final). */
void bfd_sess_packet(struct bfd_sess *s, struct bfd_ctl *c, bool final);
/* Whether periodic packets go out now (6.8.7): not when the remote asked
 * for none (RemoteMinRxInterval 0), nor when passive before any packet. */
bool bfd_sess_may_send(const struct bfd_sess *s);
/* The interval between periodic packets before jitter (microseconds). */
uint64_t bfd_sess_tx_interval(const struct bfd_sess *s);
/* The same with RFC 5880 6.8.7 jitter: 75-100 % (75-90 % with Detect Mult
 * 1); rnd is any 32-bit random value. */
uint64_t bfd_sess_tx_jittered(const struct bfd_sess *s, uint32_t rnd);
/* The Detection Time (6.8.4); 0 before the first packet. */
uint64_t bfd_sess_detect_time(const struct bfd_sess *s);

/* ---- bfd.c: the registry and its I/O ---- */
struct bfd_sess *bfd_sess_first(void);
struct bfd_sess *bfd_sess_next(const struct bfd_sess *s);
size_t bfd_sess_count(void);
size_t bfd_sess_nclients(const struct bfd_sess *s);
struct bfd_sess *bfd_sess_lookup(const struct bfd_key *k);
struct bfd_sess *bfd_sess_by_disc(uint32_t disc);
/* "PEER [multihop] [local-address A] [interface IF] [vrf NAME]", as in
 * the configuration */
const char *bfd_key_str(const struct bfd_key *k, char *buf, size_t len);
bool bfd_key_equal(const struct bfd_key *a, const struct bfd_key *b);
/* A `peer` line: the session, created if absent. NULL + err on refusal. */
struct bfd_sess *bfd_peer_get(const struct bfd_key *k, char *err, size_t errlen);
/* `no peer`: drops the configuration; the session stays while clients want it. */
void bfd_peer_del(struct bfd_sess *s);
/* After a change of s->own or s->profile. */
void bfd_peer_changed(struct bfd_sess *s);

struct bfd_profile *bfd_profile_first(void);
struct bfd_profile *bfd_profile_lookup(const char *name);
struct bfd_profile *bfd_profile_get(const char *name); /* created if absent */
void bfd_profile_del(struct bfd_profile *p);
void bfd_profile_changed(struct bfd_profile *p);

/* Clients: cb(arg, s) after every state change of the session. */
typedef void (*bfd_notify_fn)(void *arg, const struct bfd_sess *s, uint8_t old_state);
/* profile: applied when the session has no `peer` configuration of its
 * own (FRR: the peer line wins), "" or NULL for none. min_ttl (multi-hop,
 * 0 = the default 254): the lowest TTL the client's packets may arrive
 * with, as bgpd derives it from the peer's TTL (256 - TTL); a `minimum-ttl`
 * line wins. A client joins a configured session that matches its key
 * where the key leaves the local address or interface open (FRR: one
 * session per neighbor). Callbacks may delete clients, their own too. */
struct bfd_client *bfd_client_add(const struct bfd_key *k, const char *profile, uint8_t min_ttl,
				  bfd_notify_fn cb, void *arg);
void bfd_client_set_profile(struct bfd_client *c, const char *profile);
void bfd_client_del(struct bfd_client *c);
const struct bfd_sess *bfd_client_sess(const struct bfd_client *c);

/* Told of every state change of every session, clients or not (gone: the
 * session is being deleted; its state is then the last one). Set by ped
 * (PIC edge watches remote PEs). */
void bfd_set_observer(void (*fn)(const struct bfd_sess *s, uint8_t old_state, bool gone));
/* The namespace a VRF name maps to (fd, -1 if not there): set by ped. */
void bfd_set_nsfd_fn(int (*fn)(const char *vrf));
/* A key's ifname to ifindex in its namespace (0 if unknown). */
void bfd_set_ifindex_fn(int (*fn)(const char *vrf, const char *ifname));

/* bfd_cli.c */
struct cli;
void bfd_cli_init(void);
void bfd_config_write(struct cli *cli);

void bfd_init(void);
/* Opens sockets and starts the sessions; before this (ped -C, config load)
 * sessions exist without I/O. */
void bfd_start(struct event_base *base);
void bfd_fini(void);
/* Microseconds on the monotonic clock. */
uint64_t bfd_now(void);
/* For the fuzz target and tests: one received datagram, as the socket
 * layer hands it over after reading the TTL and addresses. */
void bfd_input(const uint8_t *buf, size_t len, const struct ipaddr *src, const struct ipaddr *dst,
	       const char *vrf, bool multihop, int ttl, int ifindex);

extern uint64_t bfd_rx_no_session;   /* datagrams for no session */
extern uint64_t bfd_rx_bad;          /* datagrams that failed bfd_decode */

#endif
