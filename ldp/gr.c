/* LDP graceful restart, RFC 3478 (downstream unsolicited), as a helper and
 * as the restarting LSR's advertisement.
 *
 * The FT Session TLV (RFC 3479, codec in init.c) in an Initialization
 * says the sender does graceful restart when its L flag is set; its FT
 * Reconnect Timeout (0: the sender does not keep its forwarding across a
 * restart) is how long its neighbors should wait for it after losing the
 * session, its Recovery Time (0: forwarding was not kept across this
 * restart) how long they keep the bindings it gave before, for it to
 * advertise them again.
 *
 * Helper: when the session with such a neighbor goes down (not by our own
 * configuration or `clear`), its bindings are kept, marked stale, and keep
 * forwarding (the LDE: lde_nbr_down_stale) for the smaller of its reconnect
 * timeout and ours (`graceful-restart reconnect-time`). If it comes back in
 * time, they stay for the smaller of the Recovery Time of its new
 * Initialization and ours (`graceful-restart recovery-time`); each mapping
 * it sends again refreshes one (the LDE), and at the end the ones still
 * stale are deleted. A Recovery Time of 0, or an Initialization without the
 * TLV, deletes them at once; so does the reconnect time running out. A
 * neighbor that goes down again during its recovery starts over (its
 * refreshed bindings are stale again).
 *
 * Restarting side: our Initialization carries the TLV with L, our reconnect
 * time, and as Recovery Time what is left of our Forwarding State Holding
 * time (the configured recovery time from the start of an instance whose
 * forwarding survived the restart, ldpd_set_fwd_preserved), 0 once it is
 * over or when forwarding was not preserved. Our labels are kept across
 * the restart by the label manager, not here.
 *
 * Deviations / choices:
 *  - RFC 3479's other flags (R, S, A, C: fault tolerance by check-pointing)
 *    are ignored on receipt and never sent; L=0 means no graceful restart.
 *  - The Recovery Time we honour is capped by our own recovery time, as
 *    the reconnect timeout is by ours (vendors' "max recovery").
 *  - Any loss of an operational session starts the helper (a TCP reset, a
 *    keepalive or Hello hold timeout, a Notification either way), since the
 *    restarting LSR may well say Shutdown as it goes. */
#include "config.h"

#include <stdlib.h>

#include "ldp/gr.h"
#include "lib/log.h"
#include "lib/prefix.h"

struct ldp_gr {
	const struct ldp_gr_ops *ops;
	void *arg;
	struct ldp_gr_peer *peers;
};

static const char *id_str(uint32_t id, char *buf)
{
	return addr4_ntop(id, buf, ADDR4_STRLEN);
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

struct ldp_gr *ldp_gr_new(const struct ldp_gr_ops *ops, void *arg)
{
	struct ldp_gr *gr = xcalloc(1, sizeof(*gr));

	gr->ops = ops;
	gr->arg = arg;
	return gr;
}

void ldp_gr_free(struct ldp_gr *gr)
{
	struct ldp_gr_peer *p;

	if (gr == NULL)
		return;
	while ((p = gr->peers) != NULL) {
		gr->peers = p->next;
		free(p);
	}
	free(gr);
}

static struct ldp_gr_peer *peer_find(const struct ldp_gr *gr, uint32_t lsr_id)
{
	for (struct ldp_gr_peer *p = gr->peers; p; p = p->next)
		if (p->lsr_id == lsr_id)
			return p;
	return NULL;
}

static void peer_del(struct ldp_gr *gr, struct ldp_gr_peer *p)
{
	struct ldp_gr_peer **pp;

	for (pp = &gr->peers; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	free(p);
}

/* Forgets p, then deletes its stale bindings (the record goes first: the
 * sweep reaches the LDE and its sends, never back here). */
static void peer_sweep(struct ldp_gr *gr, struct ldp_gr_peer *p, const char *why)
{
	uint32_t id = p->lsr_id;

	peer_del(gr, p);
	gr->ops->sweep(gr->arg, id, why);
}

/* A neighbor that keeps flapping within its windows keeps nothing stale
 * longer than our reconnect plus recovery time from its first loss. */
static int64_t capped(const struct ldp_gr_peer *p, const struct ldp_gr_limits *lim, int64_t when)
{
	int64_t limit = p->first_ms + (int64_t)lim->reconnect_ms + (int64_t)lim->recovery_ms;

	return when < limit ? when : limit;
}

/* p waits in state for at most wait ms (capped) with the FT values it sent */
static void peer_wait(struct ldp_gr_peer *p, enum ldp_gr_state state, const struct ldp_ft *ft,
		      const struct ldp_gr_limits *lim, int64_t now_ms, uint32_t wait)
{
	p->state = state;
	p->reconnect_ms = ft->reconnect_ms;
	p->recovery_ms = ft->recovery_ms;
	p->deadline_ms = capped(p, lim, now_ms + wait);
}

bool ldp_gr_peer_capable(const struct ldp_ft *ft)
{
	return ft != NULL && (ft->flags & LDP_FT_L) && ft->reconnect_ms != 0;
}

bool ldp_gr_session_down(struct ldp_gr *gr, uint32_t lsr_id, const struct ldp_ft *ft,
			 const struct ldp_gr_limits *lim, int64_t now_ms)
{
	struct ldp_gr_peer *p = peer_find(gr, lsr_id);
	uint32_t wait;
	char b[ADDR4_STRLEN];

	if (lim == NULL || !ldp_gr_peer_capable(ft)) {
		if (p != NULL)
			peer_del(gr, p); /* the caller deletes them all */
		return false;
	}
	if (p == NULL) {
		p = xcalloc(1, sizeof(*p));
		p->lsr_id = lsr_id;
		p->first_ms = now_ms;
		p->next = gr->peers;
		gr->peers = p;
	}
	wait = min_u32(ft->reconnect_ms, lim->reconnect_ms);
	peer_wait(p, LDP_GR_RECONNECT, ft, lim, now_ms, wait);
	log_info("ldp nbr %s: graceful restart: bindings kept as stale for up to %u ms",
		 id_str(lsr_id, b), wait);
	return true;
}

void ldp_gr_session_up(struct ldp_gr *gr, uint32_t lsr_id, const struct ldp_ft *ft,
		       const struct ldp_gr_limits *lim, int64_t now_ms)
{
	struct ldp_gr_peer *p = peer_find(gr, lsr_id);
	uint32_t wait;
	char b[ADDR4_STRLEN];

	if (p == NULL)
		return;
	if (lim == NULL || ft == NULL || !(ft->flags & LDP_FT_L)) {
		peer_sweep(gr, p, "back without graceful restart");
		return;
	}
	if (ft->recovery_ms == 0) {
		peer_sweep(gr, p, "back with Recovery Time 0 (forwarding not preserved)");
		return;
	}
	wait = min_u32(ft->recovery_ms, lim->recovery_ms);
	peer_wait(p, LDP_GR_RECOVERY, ft, lim, now_ms, wait);
	log_info("ldp nbr %s: graceful restart: back, stale bindings recovered for %u ms",
		 id_str(lsr_id, b), wait);
}

int64_t ldp_gr_next_deadline(const struct ldp_gr *gr)
{
	int64_t next = -1;

	for (const struct ldp_gr_peer *p = gr->peers; p; p = p->next)
		if (next < 0 || p->deadline_ms < next)
			next = p->deadline_ms;
	return next;
}

int64_t ldp_gr_expire(struct ldp_gr *gr, int64_t now_ms)
{
	struct ldp_gr_peer *p;

	/* one at a time from the head: each sweep changes the list */
	for (p = gr->peers; p != NULL;) {
		if (p->deadline_ms > now_ms) {
			p = p->next;
			continue;
		}
		if (p->state == LDP_GR_RECONNECT)
			peer_sweep(gr, p, "not back within the reconnect time");
		else
			peer_sweep(gr, p, "recovery time over");
		p = gr->peers;
	}
	return ldp_gr_next_deadline(gr);
}

void ldp_gr_flush(struct ldp_gr *gr, uint32_t lsr_id, const char *why)
{
	struct ldp_gr_peer *p;

	for (p = gr->peers; p != NULL;) {
		if (lsr_id != 0 && p->lsr_id != lsr_id) {
			p = p->next;
			continue;
		}
		peer_sweep(gr, p, why);
		p = gr->peers;
	}
}

const struct ldp_gr_peer *ldp_gr_find(const struct ldp_gr *gr, uint32_t lsr_id)
{
	return gr != NULL ? peer_find(gr, lsr_id) : NULL;
}

const struct ldp_gr_peer *ldp_gr_first(const struct ldp_gr *gr)
{
	return gr != NULL ? gr->peers : NULL;
}

const char *ldp_gr_state_name(enum ldp_gr_state st)
{
	switch (st) {
	case LDP_GR_RECONNECT:
		return "reconnect";
	case LDP_GR_RECOVERY:
		return "recovery";
	}
	return "none";
}

void ldp_gr_local_ft(struct ldp_ft *ft, uint32_t reconnect_ms, int64_t hold_until_ms,
		     int64_t now_ms)
{
	int64_t left = hold_until_ms - now_ms;

	ft->flags = LDP_FT_L;
	ft->reconnect_ms = reconnect_ms;
	/* RFC 3478: the Forwarding State Holding timer's current value */
	if (hold_until_ms == 0 || left <= 0)
		ft->recovery_ms = 0;
	else
		ft->recovery_ms = left > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)left;
}
