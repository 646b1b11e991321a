/* LDP graceful restart (RFC 3478): the helper's timers per restarting
 * neighbor, and the Fault Tolerant Session TLV we advertise. See gr.c.
 *
 * A pure state machine: no sockets, no libevent, no LDE. Time is passed in
 * (CLOCK_MONOTONIC milliseconds); the daemon arms one timer at
 * ldp_gr_next_deadline() and calls ldp_gr_expire() when it fires; what to
 * keep or delete goes out through struct ldp_gr_ops (the LDE's stale
 * bindings). */
#ifndef PE_LDP_GR_H
#define PE_LDP_GR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ldp/wire.h"

#define LDP_GR_DEF_RECONNECT 120 /* seconds: `graceful-restart reconnect-time` */
#define LDP_GR_DEF_RECOVERY 120  /* seconds: `graceful-restart recovery-time` */
#define LDP_GR_TIME_MAX 1800

enum ldp_gr_state {
	LDP_GR_RECONNECT = 1, /* session down: waiting for the neighbor to come back */
	LDP_GR_RECOVERY,      /* session back: waiting for its mappings again */
};

/* A neighbor whose bindings are kept stale. */
struct ldp_gr_peer {
	struct ldp_gr_peer *next;
	uint32_t lsr_id;
	enum ldp_gr_state state;
	int64_t deadline_ms;                /* when the rest is swept */
	int64_t first_ms;                   /* when it first went stale: flaps do not extend */
	uint32_t reconnect_ms, recovery_ms; /* the FT values it sent last (show) */
};

/* Our side: helper caps, in milliseconds (the configured times). */
struct ldp_gr_limits {
	uint32_t reconnect_ms, recovery_ms;
};

struct ldp_gr_ops {
	/* delete lsr_id's bindings still stale (all of them, and the neighbor,
	 * when its session is down); why is for the log */
	void (*sweep)(void *arg, uint32_t lsr_id, const char *why);
};

struct ldp_gr;

/* gr.c */
struct ldp_gr *ldp_gr_new(const struct ldp_gr_ops *ops, void *arg);
void ldp_gr_free(struct ldp_gr *gr); /* forgets every neighbor, sweeps nothing */
/* The FT TLV says the peer does RFC 3478 and keeps its forwarding across a
 * restart: L flag, FT Reconnect Timeout not 0. */
bool ldp_gr_peer_capable(const struct ldp_ft *ft);
/* lsr_id's session left OPERATIONAL. ft: the FT TLV of its Initialization
 * (NULL: none); lim: NULL when we do not help (graceful restart off, or the
 * session was closed by our own configuration or `clear`). true: keep its
 * bindings, stale, for min(its reconnect timeout, ours) (the caller calls
 * lde_nbr_down_stale); false: the caller deletes them (lde_nbr_down) and
 * nothing is kept here. */
bool ldp_gr_session_down(struct ldp_gr *gr, uint32_t lsr_id, const struct ldp_ft *ft,
			 const struct ldp_gr_limits *lim, int64_t now_ms);
/* lsr_id's session is OPERATIONAL again (after lde_nbr_up). A Recovery
 * Time of 0, no FT TLV or lim NULL: its stale bindings go at once;
 * otherwise they stay min(its recovery time, ours) for it to refresh. */
void ldp_gr_session_up(struct ldp_gr *gr, uint32_t lsr_id, const struct ldp_ft *ft,
		       const struct ldp_gr_limits *lim, int64_t now_ms);
/* Sweeps every neighbor whose time is up; returns the next deadline, or -1. */
int64_t ldp_gr_expire(struct ldp_gr *gr, int64_t now_ms);
int64_t ldp_gr_next_deadline(const struct ldp_gr *gr); /* -1: none */
/* Sweeps lsr_id now (0: every neighbor): `clear mpls ldp neighbor`,
 * `no graceful-restart`. */
void ldp_gr_flush(struct ldp_gr *gr, uint32_t lsr_id, const char *why);
const struct ldp_gr_peer *ldp_gr_find(const struct ldp_gr *gr, uint32_t lsr_id);
const struct ldp_gr_peer *ldp_gr_first(const struct ldp_gr *gr);
const char *ldp_gr_state_name(enum ldp_gr_state st);
/* Restarting side: the FT TLV of our Initialization. reconnect_ms: ours;
 * hold_until_ms: end of our Forwarding State Holding time (0: forwarding
 * not preserved across our restart): the Recovery Time is what is left
 * of it, 0 once it is over. */
void ldp_gr_local_ft(struct ldp_ft *ft, uint32_t reconnect_ms, int64_t hold_until_ms,
		     int64_t now_ms);

#endif
