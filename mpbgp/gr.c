/* BGP graceful restart (RFC 4724) with RFC 8538's notification rules:
 * the capability, the helper side, and FRR's commands and JSON.
 *
 * Modes, per instance as FRR's global ones: helper (the default: the
 * capability without families, Restart Time, N bit), restart (`bgp
 * graceful-restart`: our families listed too), disable (`bgp
 * graceful-restart-disable`: no capability). Restarting side (restart
 * mode, pe/hitless.c): after a restart that adopted the previous ped's
 * forwarding, the R bit, the F bit for our families while that forwarding
 * is really in use, and no updates to a peer (but a restarting one) until
 * the restart completes; then our routes and End-of-RIB.
 *
 * Helper: when a session with a peer that sent the capability ends without
 * a NOTIFICATION (TCP reset, the process gone, or a new connection from
 * the peer while the old one still looks up, RFC 4724 4.2), the peer's
 * routes of each family it listed are kept, marked stale, for its Restart
 * Time; the rest are withdrawn at once. When it comes back: a family it no
 * longer lists, or lists without the F bit, loses its stale routes at
 * once; the others keep them until the family's End-of-RIB (or our
 * stale-path time) and then lose only those not announced again. A peer
 * that does not come back within its Restart Time loses them all; the
 * stale-path timer, once started, is not restarted by further flaps, so a
 * peer that keeps flapping without End-of-RIB loses them too.
 *
 * Long-lived graceful restart (RFC 9494), helper side: a family the peer
 * listed in its LLGR capability (sent beside the GR one) goes on, when its
 * Restart Time ends (at once without one), as long-lived stale for its
 * Long-lived Stale Time: LLGR_STALE added to each path (kept through
 * inbound policy run again), least preferred (decide.c), not sent to peers
 * without the capability, NO_LLGR paths withdrawn. A return and End-of-RIB
 * end it as above; a new loss before that keeps the running deadline (and
 * stops our stale-path timer). Not done: configuration per family (RFC 9494
 * 5: here one stale time per instance), a local cap on the received stale
 * time, NO_EXPORT toward eBGP peers (4.7.1), the partial deployment of 4.6.
 *
 * Not the N bit (RFC 8538): with it a peer keeps our routes after any
 * NOTIFICATION but Cease/Hard Reset, so every administrative reset,
 * maximum-prefix or BFD down of ours would need to be sent as a Hard
 * Reset first. Without it, a NOTIFICATION either way ends graceful
 * restart, as RFC 4724 says. */
#include "config.h"

#include <event2/event.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/gr.h"
#include "mpbgp/rib.h"

struct gr_state {
	struct event *restart_ev;   /* the peer's Restart Time, from the session's end */
	struct event *stale_ev;     /* our stale-path time, from its return */
	struct event *llgr_ev;      /* the next family whose long-lived stale time ends */
	bool stale[BGP_AF_MAX];
	bool llgr[BGP_AF_MAX];      /* long-lived stale (RFC 9494) */
	time_t llgr_until[BGP_AF_MAX]; /* CLOCK_MONOTONIC seconds */
	/* the last session's LLGR capability, taken when it ended (a new
	 * OPEN may overwrite capa_rcvd before the timers fire) */
	bool llgr_can[BGP_AF_MAX];
	uint32_t llgr_time[BGP_AF_MAX];
	uint16_t restart_time;
};

static struct event_base *base;
/* our own restart (pe/hitless.c): R bit, the F bit if forwarding was
 * kept, and our updates held back until the restart completes */
static bool restarting;
static bool (*fwd_kept)(void);

void bgp_gr_set_restarting(bool (*forwarding_preserved)(void))
{
	restarting = true;
	fwd_kept = forwarding_preserved;
}

bool bgp_gr_restarting(void)
{
	return restarting;
}

/* Not toward a peer restarting too: it waits for our End-of-RIB as we
 * would wait for its own (RFC 4724 4.1 excludes such peers). */
bool bgp_gr_hold_updates(const struct bgp_peer *p)
{
	return restarting && p->bgp != NULL && p->bgp->gr_mode == BGP_GR_RESTART &&
	       !p->capa_rcvd.gr_restarting;
}

void bgp_gr_progress(unsigned *established, unsigned *complete)
{
	*established = *complete = 0;
	for (struct bgp *b = bgp_first(); b != NULL; b = bgp_next(b))
		for (struct bgp_peer *p = b->peers; p != NULL; p = p->next) {
			bool all = true;

			if (p->state != BGP_ST_ESTABLISHED)
				continue;
			(*established)++;
			for (int af = 0; af < BGP_AF_MAX; af++)
				if (p->af_nego[af] && !p->eor_rcvd[af] && !p->capa_rcvd.gr_restarting)
					all = false;
			if (all)
				(*complete)++;
		}
}

void bgp_gr_restart_done(void (*peer_release)(struct bgp_peer *p))
{
	if (!restarting)
		return;
	restarting = false;
	for (struct bgp *b = bgp_first(); b != NULL; b = bgp_next(b))
		if (b->gr_mode == BGP_GR_RESTART)
			for (struct bgp_peer *p = b->peers; p != NULL; p = p->next)
				if (p->state == BGP_ST_ESTABLISHED)
					peer_release(p);
}

void bgp_gr_start(struct event_base *b)
{
	base = b;
}

void bgp_gr_local_capa(const struct bgp_peer *p, struct bgp_capa *c)
{
	const struct bgp *b = p->bgp;

	if (b == NULL || b->gr_mode == BGP_GR_DISABLE)
		return;
	c->gr = true;
	c->gr_time = b->gr_restart_time;
	if (b->llgr_stale_time > 0) { /* RFC 9494 3: our families, our stale time */
		c->llgr = true;
		for (int af = 0; af < BGP_AF_MAX; af++) {
			c->llgr_af[af] = p->cfg.af_active[af];
			c->llgr_time[af] = b->llgr_stale_time;
			c->llgr_fwd[af] = c->llgr_af[af] && restarting && fwd_kept != NULL &&
					  fwd_kept();
		}
	}
	if (b->gr_mode == BGP_GR_RESTART) {
		c->gr_restarting = restarting;
		for (int af = 0; af < BGP_AF_MAX; af++) {
			c->gr_af[af] = p->cfg.af_active[af];
			c->gr_fwd[af] = c->gr_af[af] && restarting && fwd_kept != NULL &&
					fwd_kept();
		}
	}
}

static bool negotiated(const struct bgp_peer *p)
{
	return p->capa_sent.gr && p->capa_rcvd.gr;
}

/* RFC 4724 4.2 (no N bit: see above) */
static bool graceful_end(const struct bgp_peer *p)
{
	return !p->notif_seen;
}

static void sweep(struct bgp_peer *p, int af, const char *why)
{
	struct gr_state *g = p->gr;
	char pb[IPADDR_STRLEN];
	size_t n = 0;

	if (g == NULL || !g->stale[af])
		return;
	g->stale[af] = false;
	g->llgr[af] = false;
	if (p->bgp->rib[af] != NULL)
		n = bgp_rib_sweep_stale(p->bgp->rib[af], p);
	log_info("BGP peer %s: graceful restart: %zu stale %s routes withdrawn (%s)",
		 bgp_peer_str(p, pb, sizeof(pb)), n, bgp_af_table[af].name, why);
}

static void state_free(struct bgp_peer *p)
{
	struct gr_state *g = p->gr;

	if (g == NULL)
		return;
	if (g->restart_ev != NULL)
		event_free(g->restart_ev);
	if (g->stale_ev != NULL)
		event_free(g->stale_ev);
	if (g->llgr_ev != NULL)
		event_free(g->llgr_ev);
	free(g);
	p->gr = NULL;
}

static void sweep_all(struct bgp_peer *p, const char *why)
{
	for (int af = 0; af < BGP_AF_MAX; af++)
		sweep(p, af, why);
	state_free(p);
}

static time_t mono_secs(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/* RFC 9494: the peer keeps af's routes for its long-lived stale time (the
 * capability counts only beside graceful restart's, 4.1) */
static bool llgr_ok(const struct bgp_peer *p, int af)
{
	return p->capa_rcvd.gr && p->capa_rcvd.llgr && p->capa_rcvd.llgr_af[af] &&
	       p->capa_rcvd.llgr_time[af] > 0;
}

static void llgr_expired(evutil_socket_t fd, short what, void *arg);

/* The next long-lived deadline, or the end of graceful restart */
static void llgr_arm(struct bgp_peer *p)
{
	struct gr_state *g = p->gr;
	struct timeval tv = { 0, 0 };
	time_t next = 0, now = mono_secs();
	bool any = false;

	for (int af = 0; af < BGP_AF_MAX; af++) {
		if (g->stale[af] && !g->llgr[af])
			any = true; /* still in graceful restart: its timers run */
		if (g->llgr[af] && (next == 0 || g->llgr_until[af] < next))
			next = g->llgr_until[af];
	}
	if (next == 0) {
		if (!any)
			state_free(p);
		return;
	}
	if (g->llgr_ev == NULL)
		g->llgr_ev = evtimer_new(base, llgr_expired, p);
	tv.tv_sec = next > now ? next - now : 0;
	evtimer_add(g->llgr_ev, &tv);
}

/* RFC 9494 4.2: af's stale routes become long-lived stale (LLGR_STALE,
 * least preferred; NO_LLGR ones go) */
static void llgr_enter(struct bgp_peer *p, int af)
{
	struct gr_state *g = p->gr;
	char pb[IPADDR_STRLEN];
	size_t n = 0, dropped = 0;

	/* paths learned again since an earlier period are marked too
	 * (those marked already are skipped) */
	if (p->bgp->rib[af] != NULL)
		n = bgp_rib_llgr_stale(p->bgp->rib[af], p, &dropped);
	if (g->llgr[af]) /* 4.2: a running long-lived timer is not restarted */
		return;
	g->llgr[af] = true;
	g->llgr_until[af] = mono_secs() + (time_t)g->llgr_time[af];
	log_info("BGP peer %s: long-lived graceful restart: %zu %s routes kept as LLGR stale for "
		 "up to %u s, %zu with NO_LLGR withdrawn",
		 bgp_peer_str(p, pb, sizeof(pb)), n, bgp_af_table[af].name, g->llgr_time[af],
		 dropped);
}

static void llgr_expired(evutil_socket_t fd, short what, void *arg)
{
	struct bgp_peer *p = arg;
	struct gr_state *g = p->gr;
	time_t now = mono_secs();

	(void)fd;
	(void)what;
	for (int af = 0; af < BGP_AF_MAX; af++)
		if (g->llgr[af] && g->llgr_until[af] <= now)
			sweep(p, af, "long-lived stale time expired");
	llgr_arm(p);
}

static void restart_expired(evutil_socket_t fd, short what, void *arg)
{
	struct bgp_peer *p = arg;
	struct gr_state *g = p->gr;

	(void)fd;
	(void)what;
	for (int af = 0; af < BGP_AF_MAX; af++) {
		if (!g->stale[af])
			continue;
		if (g->llgr_can[af])
			llgr_enter(p, af);
		else
			sweep(p, af, "the peer did not come back within its restart time");
	}
	llgr_arm(p);
}

static void stale_expired(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sweep_all(arg, "stale-path time expired before End-of-RIB");
}

bool bgp_gr_peer_down(struct bgp_peer *p)
{
	struct gr_state *g;
	struct timeval tv;
	char pb[IPADDR_STRLEN];
	bool any = false, llgr_any = false;

	for (int af = 0; af < BGP_AF_MAX; af++)
		llgr_any |= llgr_ok(p, af);
	if (p->bgp->gr_mode == BGP_GR_DISABLE || !negotiated(p) || !graceful_end(p) ||
	    (p->capa_rcvd.gr_time == 0 && !llgr_any) || p->cfg.shutdown || base == NULL) {
		sweep_all(p, "session ended");
		return false;
	}
	if ((g = p->gr) == NULL)
		g = p->gr = xcalloc(1, sizeof(*g));
	for (int af = 0; af < BGP_AF_MAX; af++) {
		g->llgr_can[af] = llgr_ok(p, af);
		g->llgr_time[af] = p->capa_rcvd.llgr_time[af];
		/* down again during a long-lived period, before End-of-RIB: that
		 * period's deadline bounds it, not our stale-path time (4.2) */
		if (g->llgr[af] && g->stale_ev != NULL) {
			event_free(g->stale_ev);
			g->stale_ev = NULL;
		}
	}
	/* nothing to keep (the families it has routes in are not preserved):
	 * the caller withdraws them as after any session loss */
	for (int af = 0; af < BGP_AF_MAX; af++)
		if (p->bgp->rib[af] != NULL && p->adj_in[af] != NULL &&
		    ((p->capa_rcvd.gr_af[af] && p->capa_rcvd.gr_time > 0) || g->llgr_can[af]))
			any = true;
	if (!any) {
		state_free(p);
		return false;
	}
	any = false;
	for (int af = 0; af < BGP_AF_MAX; af++) {
		struct bgp_rib *rib = p->bgp->rib[af];
		bool gr_period = p->capa_rcvd.gr_af[af] && p->capa_rcvd.gr_time > 0;

		if (rib == NULL)
			continue;
		bgp_adjout_peer_down(rib, p);
		/* (af_nego is already cleared: the session is gone) */
		if ((gr_period || g->llgr_can[af]) && p->adj_in[af] != NULL) {
			bgp_rib_mark_peer_stale(rib, p);
			g->stale[af] = true;
			any = true;
			/* RFC 9494 4.2: no graceful restart period for this family
			 * (Restart Time 0, or not listed): long-lived at once */
			if (!gr_period)
				llgr_enter(p, af);
		} else {
			g->stale[af] = false;
			bgp_rib_withdraw_peer(rib, p);
		}
	}
	if (!any) {
		state_free(p);
		return true;
	}
	g->restart_time = p->capa_rcvd.gr_time;
	if (g->restart_time > 0) {
		if (g->restart_ev == NULL)
			g->restart_ev = evtimer_new(base, restart_expired, p);
		tv.tv_sec = g->restart_time;
		tv.tv_usec = 0;
		evtimer_add(g->restart_ev, &tv);
		log_info("BGP peer %s: graceful restart: routes kept as stale for up to %u s",
			 bgp_peer_str(p, pb, sizeof(pb)), g->restart_time);
	}
	llgr_arm(p);
	return true;
}

void bgp_gr_established(struct bgp_peer *p)
{
	struct gr_state *g = p->gr;
	struct timeval tv;

	if (g == NULL)
		return;
	if (g->restart_ev != NULL)
		event_del(g->restart_ev);
	if (g->llgr_ev != NULL) /* back: End-of-RIB or our stale-path time decide */
		event_del(g->llgr_ev);
	for (int af = 0; af < BGP_AF_MAX; af++) {
		/* in a long-lived period, its LLGR F bit decides (RFC 9494 4.2) */
		bool kept = p->capa_sent.gr && p->capa_rcvd.gr && p->af_nego[af] &&
			    (g->llgr[af] ? llgr_ok(p, af) && p->capa_rcvd.llgr_fwd[af]
					 : (p->capa_rcvd.gr_af[af] && p->capa_rcvd.gr_fwd[af]) ||
						   (!p->capa_rcvd.gr_af[af] && llgr_ok(p, af) &&
						    p->capa_rcvd.llgr_fwd[af]));

		if (g->stale[af] && !kept)
			sweep(p, af, "forwarding state not preserved across the restart");
	}
	for (int af = 0; af < BGP_AF_MAX; af++)
		if (g->stale[af]) {
			if (g->stale_ev == NULL) {
				g->stale_ev = evtimer_new(base, stale_expired, p);
				tv.tv_sec = p->bgp->gr_stalepath_time;
				tv.tv_usec = 0;
				evtimer_add(g->stale_ev, &tv);
			}
			return;
		}
	state_free(p);
}

void bgp_gr_eor(struct bgp_peer *p, int af)
{
	struct gr_state *g = p->gr;

	if (g == NULL)
		return;
	sweep(p, af, "End-of-RIB");
	for (int i = 0; i < BGP_AF_MAX; i++)
		if (g->stale[i])
			return;
	state_free(p);
}

void bgp_gr_flush(struct bgp_peer *p)
{
	sweep_all(p, "shut down or reconfigured");
}

void bgp_gr_peer_deleted(struct bgp_peer *p)
{
	state_free(p); /* its routes go with it anyway */
}

bool bgp_gr_stale(const struct bgp_peer *p, int af)
{
	const struct gr_state *g = p->gr;

	return g != NULL && g->stale[af];
}

/* ---- show bgp neighbors json: FRR's fields ---- */

static const char *mode_str(const struct bgp *b)
{
	return b->gr_mode == BGP_GR_RESTART ? "Restart*" : b->gr_mode == BGP_GR_DISABLE ? "Disable*"
											 : "Helper*";
}

static const char *remote_mode(const struct bgp_peer *p)
{
	if (p->state != BGP_ST_ESTABLISHED || !p->capa_sent.gr)
		return "NotApplicable"; /* FRR */
	if (!p->capa_rcvd.gr)
		return "Disable";
	for (int af = 0; af < BGP_AF_MAX; af++)
		if (p->capa_rcvd.gr_af[af])
			return "Restart";
	return "Helper";
}

void bgp_gr_json(const struct bgp_peer *p, json_object *o, json_object *caps,
		 bool (*eor_sent)(const struct bgp_peer *p, int af))
{
	json_object *gi = json_object_new_object(), *snd = json_object_new_object(),
		    *rcv = json_object_new_object(), *t = json_object_new_object();

	/* FRR: gracefulRestart when both, gracefulRestartCapability when one side */
	if (negotiated(p))
		json_object_object_add(caps, "gracefulRestart",
				       json_object_new_string("advertisedAndReceived"));
	else if (p->capa_sent.gr || p->capa_rcvd.gr)
		json_object_object_add(caps, "gracefulRestartCapability",
				       json_object_new_string(p->capa_sent.gr ? "advertised" : "received"));
	/* FRR 8.2+: longLivedGracefulRestart, as gracefulRestart */
	if (p->capa_sent.llgr || p->capa_rcvd.llgr)
		json_object_object_add(caps, "longLivedGracefulRestart",
				       json_object_new_string(p->capa_sent.llgr && p->capa_rcvd.llgr
								      ? "advertisedAndReceived"
							      : p->capa_sent.llgr ? "advertised"
										  : "received"));
	if (p->capa_rcvd.gr)
		json_object_object_add(caps, "gracefulRestartRemoteTimerMsecs",
				       json_object_new_int64((int64_t)p->capa_rcvd.gr_time * 1000));
	for (int af = 0; af < BGP_AF_MAX; af++) {
		if (!p->af_nego[af])
			continue;
		if (eor_sent(p, af))
			json_object_object_add(snd, bgp_af_table[af].json_name, json_object_new_boolean(true));
		if (p->eor_rcvd[af])
			json_object_object_add(rcv, bgp_af_table[af].json_name, json_object_new_boolean(true));
	}
	json_object_object_add(gi, "endOfRibSend", snd);
	json_object_object_add(gi, "endOfRibRecv", rcv);
	json_object_object_add(gi, "localGrMode", json_object_new_string(mode_str(p->bgp)));
	json_object_object_add(gi, "remoteGrMode", json_object_new_string(remote_mode(p)));
	json_object_object_add(gi, "rBit", json_object_new_boolean(p->capa_rcvd.gr_restarting));
	json_object_object_add(gi, "nBit", json_object_new_boolean(p->capa_rcvd.gr_notification));
	json_object_object_add(t, "configuredRestartTimer", json_object_new_int(p->bgp->gr_restart_time));
	json_object_object_add(t, "receivedRestartTimer", json_object_new_int(p->capa_rcvd.gr_time));
	json_object_object_add(gi, "timers", t);
	for (int af = 0; af < BGP_AF_MAX; af++) {
		json_object *x, *st, *xt;

		if (!p->af_nego[af] && !bgp_gr_stale(p, af))
			continue;
		x = json_object_new_object();
		st = json_object_new_object();
		xt = json_object_new_object();
		json_object_object_add(x, "fBit", json_object_new_boolean(p->capa_rcvd.gr_fwd[af]));
		json_object_object_add(st, "endOfRibSend", json_object_new_boolean(eor_sent(p, af)));
		json_object_object_add(st, "endOfRibRecv", json_object_new_boolean(p->eor_rcvd[af]));
		json_object_object_add(x, "endOfRibStatus", st);
		json_object_object_add(xt, "stalePathTimer", json_object_new_int(p->bgp->gr_stalepath_time));
		json_object_object_add(x, "timers", xt);
		/* ours: routes kept stale for this peer right now */
		json_object_object_add(x, "staleRoutesKept", json_object_new_boolean(bgp_gr_stale(p, af)));
		json_object_object_add(gi, bgp_af_table[af].json_name, x);
	}
	json_object_object_add(o, "gracefulRestartInfo", gi);
}

