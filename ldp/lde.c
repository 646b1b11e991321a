/* LDP label decision engine: RFC 5036 2.6 (downstream unsolicited
 * advertisement, independent or ordered control, liberal retention),
 * 3.5.5-3.5.6 (address lists map next hops to LSR IDs), 3.5.7-3.5.11 and
 * Appendix A.1 (procedures for Label Mapping, Request, Withdraw, Release).
 *
 * Model: one FEC entry per IPv4 prefix that has a core route, a received
 * binding, an advertised label or a withdrawn label waiting for release.
 * Each FEC keeps per-neighbor state (its LIB entry: received label; the
 * label we advertised to it; a pending request) and a list of withdrawn
 * labels waiting for the neighbor's Release. fec_update() is the single
 * reconciliation step: from the route, the neighbors' bindings and the
 * config it derives the local label, sends what changed, and updates the
 * LFIB entry and the labelled paths for BGP. Every input ends in it.
 *
 * Local labels: egress FECs (connected, our loopback) get implicit-null
 * (PHP) or explicit-null; others a label from the shared label manager,
 * which is freed only when no neighbor still holds it (every withdrawn copy
 * was released, or its session went down).
 *
 * Deviations / choices:
 *  - Loop detection (hop count, path vector: A.1 "LMp.3-8") is not done.
 *  - A Label Request under ordered control for a FEC whose next hop has not
 *    mapped it yet is held until the mapping arrives (no request is
 *    propagated downstream: we are downstream unsolicited).
 *  - A change of the local label of a FEC (explicit-null toggled, a FEC
 *    turning egress) is a Withdraw followed by a new Mapping.
 *  - A Release of the label we currently advertise stops us re-advertising
 *    it to that neighbor until the label changes, it asks (Request) or its
 *    session restarts (A.1.6 LRl.5-6, as ldpd).
 *  - Only next hops in a neighbor's address list count (not its LSR ID);
 *    the LFIB entry carries only next hops with a binding (ECMP).
 *
 * Graceful restart, helper side (RFC 3478): a neighbor whose session went
 * down while it preserves its forwarding stays in the table, marked down,
 * with its received bindings marked stale: they keep their place in the
 * LFIB and in BGP's labelled paths, its addresses keep mapping next hops,
 * and nothing is advertised to it. When it comes back, the addresses it had
 * are kept beside those it advertises again until the sweep, each Label
 * Mapping it sends again refreshes a binding, and lde_nbr_stale_sweep()
 * deletes what was not refreshed, as a withdraw would (no Release: those
 * labels belong to its previous session). The timers are ldp/gr.c's. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldp/lde.h"
#include "lib/log.h"

struct lde_nbr {
	struct lde_nbr *next;
	uint32_t lsr_id;
	uint32_t *addrs;
	int naddrs, addrcap;
	bool down;           /* session down, kept for its stale bindings (RFC 3478) */
	uint32_t *old_addrs; /* addresses from before its restart, kept until the sweep */
	int nold;
	size_t nstale;       /* its stale bindings */
};

/* A FEC's state toward one neighbor: its LIB entry and our advertisement. */
struct fec_nbr {
	struct fec_nbr *next;
	struct lde_nbr *nbr;
	mpls_label_t remote; /* label the neighbor mapped, NONE if none */
	mpls_label_t sent;   /* label we mapped to it, NONE if none */
	bool released;       /* it released our current label: do not resend */
	bool req_pending;    /* a Label Request waits for a local label */
	uint32_t req_id;
	bool stale;          /* remote kept across the neighbor's restart, not refreshed */
};

/* A label we withdrew from a neighbor, waiting for its Release (A.1.6). */
struct fec_wdraw {
	struct fec_wdraw *next;
	struct lde_nbr *nbr;
	mpls_label_t label;
};

struct fec {
	struct prefix4 pfx;
	bool has_route, egress;
	int nnh;
	struct lde_nh *nh;  /* nnh entries (heap, NULL when none): most FECs have no route */
	mpls_label_t local; /* advertised local label, NONE if none */
	struct fec_nbr *nbrs;
	struct fec_wdraw *wdraws;
	mpls_label_t lfib_in; /* in-label of the installed LFIB entry, NONE if none */
	int npaths;           /* labelled paths in use (LFIB and BGP) */
	struct lde_path *paths; /* npaths entries (heap, NULL when none) */
};

struct lde {
	const struct lde_ops *ops;
	void *arg;
	struct lde_config cfg;
	struct lde_nbr *nbrs;
	struct fec **tab; /* open addressing by prefix (NULL = empty), load <= 1/2 */
	size_t tabcap, nfecs;
	struct lde_stats st;
};

#define NONE MPLS_LABEL_NONE

static bool label_allocated(mpls_label_t l)
{
	return l != NONE && l >= MPLS_LABEL_FIRST_UNRESERVED;
}

const char *lde_label_str(mpls_label_t label, char *buf, size_t len)
{
	if (label == NONE)
		snprintf(buf, len, "-");
	else if (label == MPLS_LABEL_IMPLICIT_NULL)
		snprintf(buf, len, "imp-null");
	else if (label == MPLS_LABEL_IPV4_EXPLICIT_NULL)
		snprintf(buf, len, "exp-null");
	else
		snprintf(buf, len, "%u", label);
	return buf;
}

static const char *pfx_str(const struct prefix4 *p)
{
	static char buf[4][PREFIX4_STRLEN];
	static int i;

	i = (i + 1) % 4;
	return p ? prefix4_ntop(p, buf[i], sizeof(buf[i])) : "wildcard";
}

static const char *id_str(uint32_t id)
{
	static char buf[4][ADDR4_STRLEN];
	static int i;

	i = (i + 1) % 4;
	return addr4_ntop(id, buf[i], sizeof(buf[i]));
}

/* ---- neighbors ---- */

static struct lde_nbr *nbr_find(const struct lde *lde, uint32_t lsr_id)
{
	struct lde_nbr *n;

	for (n = lde->nbrs; n; n = n->next)
		if (n->lsr_id == lsr_id)
			return n;
	return NULL;
}

/* A received message's neighbor: up (a down one has no session). */
static struct lde_nbr *nbr_live(const struct lde *lde, uint32_t lsr_id)
{
	struct lde_nbr *n = nbr_find(lde, lsr_id);

	return n != NULL && !n->down ? n : NULL;
}

static bool addr_in(const uint32_t *v, int n, uint32_t addr)
{
	for (int i = 0; i < n; i++)
		if (v[i] == addr)
			return true;
	return false;
}

/* The neighbor that owns a next hop: by the addresses it advertises now,
 * else by those it had before a restart while its stale bindings are kept. */
static struct lde_nbr *nbr_find_addr(const struct lde *lde, uint32_t addr)
{
	struct lde_nbr *n;

	if (addr == 0)
		return NULL;
	for (n = lde->nbrs; n; n = n->next)
		if (addr_in(n->addrs, n->naddrs, addr))
			return n;
	for (n = lde->nbrs; n; n = n->next)
		if (addr_in(n->old_addrs, n->nold, addr))
			return n;
	return NULL;
}

static bool nbr_has_addr(const struct lde_nbr *n, uint32_t addr)
{
	return addr_in(n->addrs, n->naddrs, addr);
}

/* Removes addr from v[0..*n); true if it was there. */
static bool addr_remove(uint32_t *v, int *n, uint32_t addr)
{
	for (int i = 0; i < *n; i++)
		if (v[i] == addr) {
			v[i] = v[--*n];
			return true;
		}
	return false;
}

/* ---- FEC table ----
 * A hash table of FECs: a received mapping, withdraw or release finds its
 * FEC in constant time, and a withdraw storm frees FECs without moving the
 * others. Walks that need prefix order (show, re-evaluation) sort a
 * snapshot. */

static size_t fec_slot(const struct prefix4 *p, size_t cap)
{
	uint64_t k = ((uint64_t)p->addr << 8) | p->len;

	k ^= k >> 29;
	k *= 0xbf58476d1ce4e5b9ull;
	k ^= k >> 32;
	return (size_t)k & (cap - 1);
}

static size_t fec_probe(const struct lde *lde, const struct prefix4 *p)
{
	size_t i;

	for (i = fec_slot(p, lde->tabcap); lde->tab[i] != NULL; i = (i + 1) & (lde->tabcap - 1))
		if (prefix4_equal(&lde->tab[i]->pfx, p))
			break;
	return i;
}

static struct fec *fec_find(const struct lde *lde, const struct prefix4 *p)
{
	struct prefix4 m = *p;

	if (lde->tabcap == 0)
		return NULL;
	prefix4_apply_mask(&m);
	return lde->tab[fec_probe(lde, &m)];
}

int lde_fec_paths(const struct lde *lde, const struct prefix4 *fec, const struct lde_path **paths)
{
	const struct fec *f = fec_find(lde, fec);

	*paths = NULL;
	if (f == NULL || f->npaths == 0)
		return 0;
	*paths = f->paths;
	return f->npaths;
}

static void fec_tab_grow(struct lde *lde)
{
	struct fec **old = lde->tab;
	size_t ocap = lde->tabcap, i;

	lde->tabcap = ocap ? ocap * 2 : 64;
	lde->tab = xcalloc(lde->tabcap, sizeof(*lde->tab));
	for (i = 0; i < ocap; i++)
		if (old[i] != NULL)
			lde->tab[fec_probe(lde, &old[i]->pfx)] = old[i];
	free(old);
}

static struct fec *fec_get(struct lde *lde, const struct prefix4 *p)
{
	struct prefix4 m = *p;
	struct fec *f;
	size_t i;

	prefix4_apply_mask(&m);
	if ((f = fec_find(lde, &m)) != NULL)
		return f;
	if ((lde->nfecs + 1) * 2 > lde->tabcap)
		fec_tab_grow(lde);
	i = fec_probe(lde, &m);
	f = xcalloc(1, sizeof(*f));
	f->pfx = m;
	f->local = NONE;
	f->lfib_in = NONE;
	lde->tab[i] = f;
	lde->nfecs++;
	return f;
}

/* Backward-shift deletion keeps probe sequences whole without tombstones. */
static void fec_unlink(struct lde *lde, struct fec *f)
{
	size_t i = fec_probe(lde, &f->pfx), j;

	if (lde->tab[i] != f)
		fatalx("ldp: fec table corrupt");
	lde->tab[i] = NULL;
	lde->nfecs--;
	for (j = (i + 1) & (lde->tabcap - 1); lde->tab[j] != NULL; j = (j + 1) & (lde->tabcap - 1)) {
		size_t home = fec_slot(&lde->tab[j]->pfx, lde->tabcap);

		if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
			lde->tab[i] = lde->tab[j];
			lde->tab[j] = NULL;
			i = j;
		}
	}
}

static void fec_free(struct fec *f)
{
	free(f->nh);
	free(f->paths);
	free(f);
}

static int fec_cmp(const void *a, const void *b)
{
	return prefix4_cmp(&(*(struct fec *const *)a)->pfx, &(*(struct fec *const *)b)->pfx);
}

/* Every FEC in prefix order; the caller frees the array. Processing one
 * FEC may free that FEC only, so the rest of the snapshot stays valid. */
static struct fec **fec_list(const struct lde *lde, size_t *n)
{
	struct fec **v = xcalloc(lde->nfecs + 1, sizeof(*v));
	size_t i, k = 0;

	for (i = 0; i < lde->tabcap; i++)
		if (lde->tab[i] != NULL)
			v[k++] = lde->tab[i];
	qsort(v, k, sizeof(*v), fec_cmp);
	*n = k;
	return v;
}

static struct fec_nbr *fn_find(const struct fec *f, const struct lde_nbr *n)
{
	struct fec_nbr *fn;

	for (fn = f->nbrs; fn; fn = fn->next)
		if (fn->nbr == n)
			return fn;
	return NULL;
}

static struct fec_nbr *fn_get(struct fec *f, struct lde_nbr *n)
{
	struct fec_nbr *fn = fn_find(f, n);

	if (fn)
		return fn;
	fn = xcalloc(1, sizeof(*fn));
	fn->nbr = n;
	fn->remote = NONE;
	fn->sent = NONE;
	fn->next = f->nbrs;
	f->nbrs = fn;
	return fn;
}

static bool fn_empty(const struct fec_nbr *fn)
{
	return fn->remote == NONE && fn->sent == NONE && !fn->req_pending && !fn->released;
}

static void fn_unstale(struct fec_nbr *fn)
{
	if (fn->stale) {
		fn->stale = false;
		fn->nbr->nstale--;
	}
}

/* ---- sends (counted, logged) ---- */

static void send_mapping(struct lde *lde, struct fec *f, struct fec_nbr *fn)
{
	char lb[16];

	log_debug("ldp: %s: mapping %s to %s%s", pfx_str(&f->pfx),
		  lde_label_str(f->local, lb, sizeof(lb)), id_str(fn->nbr->lsr_id),
		  fn->req_pending ? " (request)" : "");
	lde->ops->send_mapping(lde->arg, fn->nbr->lsr_id, &f->pfx, f->local,
			       fn->req_pending ? &fn->req_id : NULL);
	lde->st.mappings_sent++;
	fn->sent = f->local;
	fn->req_pending = false;
	fn->released = false;
}

static void send_release(struct lde *lde, struct lde_nbr *n, const struct prefix4 *p,
			 mpls_label_t label)
{
	char lb[16];

	log_debug("ldp: %s: release %s to %s", pfx_str(p), lde_label_str(label, lb, sizeof(lb)),
		  id_str(n->lsr_id));
	lde->ops->send_release(lde->arg, n->lsr_id, p, label);
	lde->st.releases_sent++;
}

static void send_notification(struct lde *lde, struct lde_nbr *n, uint32_t status,
			      const struct prefix4 *p, uint32_t msg_id)
{
	log_debug("ldp: %s: notification 0x%08x to %s", pfx_str(p), status, id_str(n->lsr_id));
	lde->ops->send_notification(lde->arg, n->lsr_id, status, p, msg_id);
	lde->st.notifications_sent++;
}

/* Frees label (from the label manager) once nothing holds it any more:
 * neither the FEC's local label nor a withdrawn copy waiting for release. */
static void label_maybe_free(struct lde *lde, struct fec *f, mpls_label_t label)
{
	struct fec_wdraw *w;

	if (!label_allocated(label) || label == f->local)
		return;
	for (w = f->wdraws; w; w = w->next)
		if (w->label == label)
			return;
	lde->ops->release_label(lde->arg, label);
	lde->st.local_labels--;
}

/* The local label stops being advertised: out of the LFIB, withdrawn from
 * every neighbor that has it (A.1.1 "LWd" side of a route loss). */
static void local_retire(struct lde *lde, struct fec *f)
{
	mpls_label_t old = f->local;
	struct fec_nbr *fn;
	char lb[16];

	if (old == NONE)
		return;
	if (f->lfib_in == old) {
		lde->ops->lfib_delete(lde->arg, old, &f->pfx);
		lde->st.lfib_entries--;
		f->lfib_in = NONE;
	}
	for (fn = f->nbrs; fn; fn = fn->next) {
		struct fec_wdraw *w;

		fn->released = false;
		if (fn->sent == NONE)
			continue;
		log_debug("ldp: %s: withdraw %s from %s", pfx_str(&f->pfx),
			  lde_label_str(fn->sent, lb, sizeof(lb)), id_str(fn->nbr->lsr_id));
		lde->ops->send_withdraw(lde->arg, fn->nbr->lsr_id, &f->pfx, fn->sent);
		lde->st.withdraws_sent++;
		w = xcalloc(1, sizeof(*w));
		w->nbr = fn->nbr;
		w->label = fn->sent;
		w->next = f->wdraws;
		f->wdraws = w;
		lde->st.waiting_release++;
		fn->sent = NONE;
	}
	f->local = NONE;
	label_maybe_free(lde, f, old);
}

/* ---- the decision ---- */

/* In-use labelled paths: each route next hop owned by a neighbor that
 * mapped the FEC (the binding from the core next hop, A.1.3 LMp.15). */
static int compute_paths(const struct lde *lde, const struct fec *f, struct lde_path *out)
{
	int i, n = 0;

	if (!f->has_route || f->egress)
		return 0;
	for (i = 0; i < f->nnh; i++) {
		struct lde_nbr *nb = nbr_find_addr(lde, f->nh[i].addr);
		struct fec_nbr *fn;

		if (nb == NULL || (fn = fn_find(f, nb)) == NULL || fn->remote == NONE)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].nexthop = f->nh[i].addr;
		memcpy(out[n].ifname, f->nh[i].ifname, sizeof(out[n].ifname));
		out[n].lsr_id = nb->lsr_id;
		out[n].label = fn->remote;
		n++;
	}
	return n;
}

static bool fec_filter_ok(const struct lde *lde, const struct fec *f)
{
	/* `label local allocate host-routes`: only /32s get a local label */
	return !lde->cfg.host_routes_only || f->pfx.len == 32;
}

/* Reconciles one FEC with its inputs; frees it when nothing refers to it.
 * Returns true if it was freed. */
static bool fec_update(struct lde *lde, struct fec *f)
{
	struct lde_path paths[LDE_MAX_NH];
	int npaths = compute_paths(lde, f, paths);
	bool routable = f->has_route && fec_filter_ok(lde, f);
	bool want = routable && (f->egress || !lde->cfg.ordered_control || npaths > 0);
	mpls_label_t egress_label = lde->cfg.explicit_null ? MPLS_LABEL_IPV4_EXPLICIT_NULL :
							     MPLS_LABEL_IMPLICIT_NULL;
	struct fec_nbr *fn, **fnp;
	struct lde_nbr *nb;
	mpls_label_t new_in;
	bool paths_changed;

	/* 1. local label: keep, retire, or (re)assign */
	if (f->local != NONE &&
	    (!want || (f->egress ? f->local != egress_label : !label_allocated(f->local))))
		local_retire(lde, f);
	if (want && f->local == NONE) {
		if (f->egress) {
			f->local = egress_label;
		} else {
			f->local = lde->ops->alloc_label(lde->arg, &f->pfx);
			if (f->local == NONE)
				log_warnx("ldp: %s: no local label available", pfx_str(&f->pfx));
			else
				lde->st.local_labels++;
		}
	}

	/* 2. advertise it to every neighbor (downstream unsolicited), answer requests */
	if (f->local != NONE) {
		for (nb = lde->nbrs; nb; nb = nb->next) {
			if (nb->down)
				continue; /* no session: it gets everything when it is back */
			fn = fn_get(f, nb);
			if (fn->req_pending || (fn->sent != f->local && !fn->released))
				send_mapping(lde, f, fn);
		}
	} else {
		for (fn = f->nbrs; fn; fn = fn->next) {
			if (!fn->req_pending)
				continue;
			if (!routable || f->egress || !lde->cfg.ordered_control) {
				/* no route (or no label to give): A.1.1 LRq.5 / LRq.9 */
				send_notification(lde, fn->nbr,
						  routable ? LDE_ST_NO_LABEL_RES : LDE_ST_NO_ROUTE,
						  &f->pfx, fn->req_id);
				fn->req_pending = false;
			}
		}
	}

	/* 3. LFIB (local label -> next hop's label) and BGP paths. The FEC's
	 * paths are stored first: they are the one copy (lde_fec_paths), which
	 * the callbacks below may read */
	paths_changed = npaths != f->npaths ||
			(npaths > 0 && memcmp(paths, f->paths, (size_t)npaths * sizeof(paths[0])) != 0);
	if (paths_changed) {
		free(f->paths);
		f->paths = NULL;
		if (npaths > 0) {
			f->paths = xcalloc((size_t)npaths, sizeof(paths[0]));
			memcpy(f->paths, paths, (size_t)npaths * sizeof(paths[0]));
		}
		f->npaths = npaths;
	}
	new_in = label_allocated(f->local) && npaths > 0 ? f->local : NONE;
	if (f->lfib_in != NONE && f->lfib_in != new_in) {
		lde->ops->lfib_delete(lde->arg, f->lfib_in, &f->pfx);
		lde->st.lfib_entries--;
	}
	if (new_in != NONE && (f->lfib_in != new_in || paths_changed)) {
		if (f->lfib_in != new_in)
			lde->st.lfib_entries++;
		lde->ops->lfib_update(lde->arg, new_in, &f->pfx, f->paths, f->npaths);
	}
	f->lfib_in = new_in;
	if (paths_changed)
		lde->ops->nh_bound(lde->arg, &f->pfx, f->paths, f->npaths);

	/* 4. garbage: empty neighbor entries, then the FEC itself */
	for (fnp = &f->nbrs; (fn = *fnp) != NULL;) {
		if (fn_empty(fn)) {
			*fnp = fn->next;
			free(fn);
		} else {
			fnp = &fn->next;
		}
	}
	if (!f->has_route && f->local == NONE && f->nbrs == NULL && f->wdraws == NULL &&
	    f->npaths == 0 && f->lfib_in == NONE) {
		fec_unlink(lde, f);
		fec_free(f);
		return true;
	}
	return false;
}

static void fec_update_all(struct lde *lde)
{
	size_t i, n;
	struct fec **v = fec_list(lde, &n);

	for (i = 0; i < n; i++)
		fec_update(lde, v[i]);
	free(v);
}

/* ---- life cycle and config ---- */

struct lde *lde_new(const struct lde_ops *ops, void *arg, const struct lde_config *cfg)
{
	struct lde *lde = xcalloc(1, sizeof(*lde));

	lde->ops = ops;
	lde->arg = arg;
	if (cfg)
		lde->cfg = *cfg;
	return lde;
}

void lde_free(struct lde *lde)
{
	size_t i;

	if (lde == NULL)
		return;
	for (i = 0; i < lde->tabcap; i++) {
		struct fec *f = lde->tab[i];
		struct fec_nbr *fn;
		struct fec_wdraw *w;
		mpls_label_t local;

		if (f == NULL)
			continue;
		local = f->local;

		if (f->lfib_in != NONE)
			lde->ops->lfib_delete(lde->arg, f->lfib_in, &f->pfx);
		while ((fn = f->nbrs) != NULL) {
			f->nbrs = fn->next;
			free(fn);
		}
		f->local = NONE;
		while ((w = f->wdraws) != NULL) {
			f->wdraws = w->next;
			label_maybe_free(lde, f, w->label);
			free(w);
		}
		label_maybe_free(lde, f, local);
		fec_free(f);
	}
	free(lde->tab);
	while (lde->nbrs) {
		struct lde_nbr *n = lde->nbrs;

		lde->nbrs = n->next;
		free(n->addrs);
		free(n->old_addrs);
		free(n);
	}
	free(lde);
}

void lde_set_config(struct lde *lde, const struct lde_config *cfg)
{
	lde->cfg = *cfg;
	fec_update_all(lde);
}

const struct lde_config *lde_config(const struct lde *lde)
{
	return &lde->cfg;
}

/* ---- neighbors ---- */

static void nbr_addr_add(struct lde_nbr *n, uint32_t addr)
{
	if (addr == 0 || nbr_has_addr(n, addr))
		return;
	if (n->naddrs == n->addrcap) {
		n->addrcap = n->addrcap ? n->addrcap * 2 : 8;
		n->addrs = xrealloc(n->addrs, (size_t)n->addrcap * sizeof(*n->addrs));
	}
	n->addrs[n->naddrs++] = addr;
}

/* RFC 3478: the neighbor kept by lde_nbr_down_stale() is back. The
 * addresses it had keep mapping the next hops of its stale bindings until
 * the sweep (its Address messages follow the session's start). */
static int nbr_revive(struct lde *lde, struct lde_nbr *n, const uint32_t *addrs, int naddrs)
{
	int i;

	n->down = false;
	lde->st.nbrs++;
	if (n->naddrs > 0) { /* once each: a neighbor flapping in recovery adds none */
		n->old_addrs = xrealloc(n->old_addrs,
					(size_t)(n->nold + n->naddrs) * sizeof(*n->old_addrs));
		for (i = 0; i < n->naddrs; i++)
			if (!addr_in(n->old_addrs, n->nold, n->addrs[i]))
				n->old_addrs[n->nold++] = n->addrs[i];
		n->naddrs = 0;
	}
	for (i = 0; i < naddrs; i++)
		nbr_addr_add(n, addrs[i]);
	fec_update_all(lde); /* 2.6.1.1: every local binding to it again */
	return 0;
}

int lde_nbr_up(struct lde *lde, uint32_t lsr_id, const uint32_t *addrs, int naddrs)
{
	struct lde_nbr *n, **np;
	int i;

	if ((n = nbr_find(lde, lsr_id)) != NULL && n->down)
		return nbr_revive(lde, n, addrs, naddrs);
	if (n != NULL) {
		log_warnx("ldp: neighbor %s already up", id_str(lsr_id));
		return -1;
	}
	n = xcalloc(1, sizeof(*n));
	n->lsr_id = lsr_id;
	for (i = 0; i < naddrs; i++)
		nbr_addr_add(n, addrs[i]);
	/* kept in LSR ID order so that sends are deterministic */
	for (np = &lde->nbrs; *np && (*np)->lsr_id < lsr_id; np = &(*np)->next)
		;
	n->next = *np;
	*np = n;
	lde->st.nbrs++;
	/* 2.6.1.1: advertise every local binding to the new peer */
	fec_update_all(lde);
	return 0;
}

/* Its copies of withdrawn labels die with the session. */
static void nbr_wdraws_drop(struct lde *lde, struct fec *f, const struct lde_nbr *n)
{
	struct fec_wdraw *w, **wp;

	for (wp = &f->wdraws; (w = *wp) != NULL;) {
		if (w->nbr == n) {
			mpls_label_t l = w->label;

			*wp = w->next;
			free(w);
			lde->st.waiting_release--;
			label_maybe_free(lde, f, l);
		} else {
			wp = &w->next;
		}
	}
}

void lde_nbr_down(struct lde *lde, uint32_t lsr_id)
{
	struct lde_nbr *n = nbr_find(lde, lsr_id), **np;
	size_t i;

	if (n == NULL)
		return;
	for (np = &lde->nbrs; *np != n; np = &(*np)->next)
		;
	*np = n->next; /* out of next-hop lookups before the FECs are redone */
	for (i = 0; i < lde->tabcap; i++) {
		struct fec *f = lde->tab[i];
		struct fec_nbr *fn, **fnp;

		if (f == NULL)
			continue;
		for (fnp = &f->nbrs; (fn = *fnp) != NULL;) {
			if (fn->nbr == n) {
				*fnp = fn->next;
				free(fn);
			} else {
				fnp = &fn->next;
			}
		}
		nbr_wdraws_drop(lde, f, n);
	}
	fec_update_all(lde);
	if (!n->down)
		lde->st.nbrs--;
	free(n->addrs);
	free(n->old_addrs);
	free(n);
}

void lde_nbr_down_stale(struct lde *lde, uint32_t lsr_id)
{
	struct lde_nbr *n = nbr_find(lde, lsr_id);
	size_t i;

	if (n == NULL)
		return;
	if (!n->down) {
		n->down = true;
		lde->st.nbrs--;
	}
	for (i = 0; i < lde->tabcap; i++) {
		struct fec *f = lde->tab[i];
		struct fec_nbr *fn;

		if (f == NULL)
			continue;
		for (fn = f->nbrs; fn; fn = fn->next) {
			if (fn->nbr != n)
				continue;
			/* what we told it went with the session; what it told us stays */
			fn->sent = NONE;
			fn->released = false;
			fn->req_pending = false;
			if (fn->remote != NONE && !fn->stale) {
				fn->stale = true;
				n->nstale++;
			}
		}
		nbr_wdraws_drop(lde, f, n);
	}
	fec_update_all(lde); /* frees what is left empty; the LFIB stays as it is */
}

size_t lde_nbr_stale_sweep(struct lde *lde, uint32_t lsr_id)
{
	struct lde_nbr *n = nbr_find(lde, lsr_id);
	size_t i, swept;

	if (n == NULL)
		return 0;
	swept = n->nstale;
	if (n->down) {
		lde_nbr_down(lde, lsr_id);
		return swept;
	}
	for (i = 0; i < lde->tabcap && n->nstale > 0; i++) {
		struct fec *f = lde->tab[i];
		struct fec_nbr *fn;

		if (f == NULL)
			continue;
		for (fn = f->nbrs; fn; fn = fn->next)
			if (fn->nbr == n && fn->stale) {
				fn_unstale(fn);
				fn->remote = NONE;
			}
	}
	free(n->old_addrs);
	n->old_addrs = NULL;
	n->nold = 0;
	fec_update_all(lde); /* out of the LFIB and BGP's paths, as withdrawn */
	return swept;
}

size_t lde_nbr_stale_count(const struct lde *lde, uint32_t lsr_id)
{
	const struct lde_nbr *n = nbr_find(lde, lsr_id);

	return n != NULL ? n->nstale : 0;
}

void lde_nbr_address_add(struct lde *lde, uint32_t lsr_id, uint32_t addr)
{
	struct lde_nbr *n = nbr_find(lde, lsr_id);

	if (n == NULL || nbr_has_addr(n, addr))
		return;
	nbr_addr_add(n, addr);
	fec_update_all(lde);
}

/* A whole Address message: one re-evaluation of the FECs, not one per
 * address (a core router advertises dozens). */
void lde_nbr_addresses_add(struct lde *lde, uint32_t lsr_id, const uint32_t *addrs, int n)
{
	struct lde_nbr *nb = nbr_find(lde, lsr_id);
	bool changed = false;

	if (nb == NULL)
		return;
	for (int i = 0; i < n; i++)
		if (addrs[i] != 0 && !nbr_has_addr(nb, addrs[i])) {
			nbr_addr_add(nb, addrs[i]);
			changed = true;
		}
	if (changed)
		fec_update_all(lde);
}

/* An address withdrawn also stops mapping from the list of before its
 * restart. */
void lde_nbr_addresses_del(struct lde *lde, uint32_t lsr_id, const uint32_t *addrs, int n)
{
	struct lde_nbr *nb = nbr_find(lde, lsr_id);
	bool changed = false;

	if (nb == NULL)
		return;
	for (int i = 0; i < n; i++) {
		if (addr_remove(nb->addrs, &nb->naddrs, addrs[i]))
			changed = true;
		if (addr_remove(nb->old_addrs, &nb->nold, addrs[i]))
			changed = true;
	}
	if (changed)
		fec_update_all(lde);
}

void lde_nbr_address_del(struct lde *lde, uint32_t lsr_id, uint32_t addr)
{
	lde_nbr_addresses_del(lde, lsr_id, &addr, 1);
}

bool lde_nbr_exists(const struct lde *lde, uint32_t lsr_id)
{
	return nbr_find(lde, lsr_id) != NULL;
}

/* ---- routes ---- */

void lde_route_update(struct lde *lde, const struct prefix4 *fec, const struct lde_nh *nh, int nnh,
		      bool egress)
{
	struct fec *f = fec_get(lde, fec);

	if (nnh < 0)
		nnh = 0;
	if (nnh > LDE_MAX_NH)
		nnh = LDE_MAX_NH;
	f->has_route = true;
	f->egress = egress;
	free(f->nh);
	f->nh = NULL;
	if (nnh) {
		f->nh = xcalloc((size_t)nnh, sizeof(*nh));
		memcpy(f->nh, nh, (size_t)nnh * sizeof(*nh));
	}
	f->nnh = nnh;
	fec_update(lde, f);
}

void lde_route_delete(struct lde *lde, const struct prefix4 *fec)
{
	struct fec *f = fec_find(lde, fec);

	if (f == NULL || !f->has_route)
		return;
	f->has_route = false;
	f->egress = false;
	free(f->nh);
	f->nh = NULL;
	f->nnh = 0;
	fec_update(lde, f);
}

/* ---- received messages ---- */

static bool label_valid(mpls_label_t l)
{
	/* only the null labels of the reserved range may be mapped (RFC 3032 2.1) */
	return l <= MPLS_LABEL_MAX &&
	       (l >= MPLS_LABEL_FIRST_UNRESERVED || l == MPLS_LABEL_IMPLICIT_NULL ||
		l == MPLS_LABEL_IPV4_EXPLICIT_NULL);
}

/* A.1.3 (Label Mapping, liberal retention) */
void lde_recv_mapping(struct lde *lde, uint32_t lsr_id, const struct prefix4 *fec,
		      mpls_label_t label)
{
	struct lde_nbr *n = nbr_live(lde, lsr_id);
	struct fec_nbr *fn;
	struct fec *f;

	if (n == NULL) {
		log_warnx("ldp: mapping from unknown neighbor %s", id_str(lsr_id));
		return;
	}
	if (!label_valid(label)) {
		log_warnx("ldp: %s: invalid label %u from %s", pfx_str(fec), label, id_str(lsr_id));
		return;
	}
	lde->st.mappings_rcvd++;
	f = fec_get(lde, fec);
	fn = fn_get(f, n);
	if (fn->stale) {
		/* RFC 3478: refreshed after its restart; a new label replaces
		 * the stale one, which its new session never advertised (no
		 * Release) */
		fn_unstale(fn);
		fn->remote = label;
		fec_update(lde, f);
		return;
	}
	if (fn->remote == label) {
		fec_update(lde, f); /* same mapping again: nothing changes */
		return;
	}
	/* LMp.10: a new label replaces the one retained from this peer */
	if (fn->remote != NONE)
		send_release(lde, n, &f->pfx, fn->remote);
	fn->remote = label;
	fec_update(lde, f);
}

static void withdraw_one(struct lde *lde, struct lde_nbr *n, struct fec *f, mpls_label_t label)
{
	struct fec_nbr *fn = fn_find(f, n);

	/* LWd.2: release to the sender even without a matching binding */
	send_release(lde, n, &f->pfx, label != NONE ? label : fn ? fn->remote : NONE);
	/* LWd.3-4: forget the binding when the label matches (or none given) */
	if (fn && fn->remote != NONE && (label == NONE || label == fn->remote)) {
		fn_unstale(fn);
		fn->remote = NONE;
	}
	fec_update(lde, f); /* LWd.1: out of forwarding use */
}

/* A.1.5 (Label Withdraw) */
void lde_recv_withdraw(struct lde *lde, uint32_t lsr_id, const struct prefix4 *fec,
		       mpls_label_t label)
{
	struct lde_nbr *n = nbr_live(lde, lsr_id);
	struct fec *f;
	size_t i;

	if (n == NULL)
		return;
	lde->st.withdraws_rcvd++;
	if (fec != NULL) {
		f = fec_find(lde, fec);
		if (f == NULL) {
			send_release(lde, n, fec, label);
			return;
		}
		withdraw_one(lde, n, f, label);
		return;
	}
	/* wildcard FEC: every binding from this peer (with that label) */
	{
		size_t nf;
		struct fec **v = fec_list(lde, &nf);

		for (i = 0; i < nf; i++) {
			struct fec_nbr *fn = fn_find(v[i], n);

			if (fn && fn->remote != NONE && (label == NONE || label == fn->remote))
				withdraw_one(lde, n, v[i], fn->remote); /* may free v[i] only */
		}
		free(v);
	}
}

static void release_one(struct lde *lde, struct lde_nbr *n, struct fec *f, mpls_label_t label)
{
	struct fec_wdraw *w, **wp;
	struct fec_nbr *fn = fn_find(f, n);
	bool answered = false;

	/* LRl.3-4: the withdrawn label is no longer held by n */
	for (wp = &f->wdraws; (w = *wp) != NULL;) {
		if (w->nbr == n && (label == NONE || label == w->label)) {
			mpls_label_t l = w->label;

			*wp = w->next;
			free(w);
			lde->st.waiting_release--;
			label_maybe_free(lde, f, l);
			answered = true;
		} else {
			wp = &w->next;
		}
	}
	/* LRl.6: n released the label we still advertise: stop sending it. A
	 * release that answers a withdraw is not that: a null label can be
	 * withdrawn and advertised again before the release comes back. */
	if (!answered && fn && fn->sent != NONE && (label == NONE || label == fn->sent)) {
		fn->sent = NONE;
		fn->released = true;
	}
	fec_update(lde, f);
}

/* A.1.6 (Label Release) */
void lde_recv_release(struct lde *lde, uint32_t lsr_id, const struct prefix4 *fec,
		      mpls_label_t label)
{
	struct lde_nbr *n = nbr_live(lde, lsr_id);
	struct fec *f;
	size_t i;

	if (n == NULL)
		return;
	lde->st.releases_rcvd++;
	if (fec != NULL) {
		f = fec_find(lde, fec);
		if (f != NULL)
			release_one(lde, n, f, label);
		return;
	}
	{
		size_t nf;
		struct fec **v = fec_list(lde, &nf);

		for (i = 0; i < nf; i++)
			release_one(lde, n, v[i], label); /* may free v[i] only */
		free(v);
	}
}

/* A.1.1 (Label Request) */
void lde_recv_request(struct lde *lde, uint32_t lsr_id, const struct prefix4 *fec, uint32_t msg_id)
{
	struct lde_nbr *n = nbr_live(lde, lsr_id);
	struct fec_nbr *fn;
	struct fec *f;

	if (n == NULL)
		return;
	lde->st.requests_rcvd++;
	f = fec_find(lde, fec);
	if (f == NULL || !f->has_route || !fec_filter_ok(lde, f)) {
		/* LRq.3-5: no route to the FEC */
		send_notification(lde, n, LDE_ST_NO_ROUTE, fec, msg_id);
		return;
	}
	fn = fn_get(f, n);
	fn->req_pending = true; /* answered (always) by the next fec_update */
	fn->req_id = msg_id;
	fn->released = false;
	fec_update(lde, f);
}

/* ---- queries ---- */

static int fec_info_call(const struct lde *lde, const struct fec *f,
			 int (*fn)(void *arg, const struct lde_fec_info *fi), void *arg)
{
	struct lde_binding_info *b;
	struct lde_fec_info fi;
	const struct fec_nbr *x;
	int n = 0, i, rc;

	(void)lde;
	for (x = f->nbrs; x; x = x->next)
		n++;
	b = xcalloc((size_t)n + 1, sizeof(*b));
	n = 0;
	for (x = f->nbrs; x; x = x->next) {
		b[n].lsr_id = x->nbr->lsr_id;
		b[n].remote_label = x->remote;
		b[n].sent_label = x->sent;
		b[n].stale = x->stale;
		for (i = 0; i < f->npaths; i++)
			if (f->paths[i].lsr_id == x->nbr->lsr_id)
				b[n].in_use = true;
		n++;
	}
	memset(&fi, 0, sizeof(fi));
	fi.pfx = f->pfx;
	fi.has_route = f->has_route;
	fi.egress = f->egress;
	fi.local_label = f->local;
	fi.nbindings = n;
	fi.bindings = b;
	fi.npaths = f->npaths;
	fi.paths = f->paths;
	rc = fn(arg, &fi);
	free(b);
	return rc;
}

int lde_fec_walk(const struct lde *lde, int (*fn)(void *arg, const struct lde_fec_info *fi),
		 void *arg)
{
	size_t i;
	int rc;

	size_t n;
	struct fec **v = fec_list(lde, &n);

	for (i = 0, rc = 0; i < n && rc == 0; i++)
		rc = fec_info_call(lde, v[i], fn, arg);
	free(v);
	return rc;
}

int lde_fec_get(const struct lde *lde, const struct prefix4 *fec,
		int (*fn)(void *arg, const struct lde_fec_info *fi), void *arg)
{
	const struct fec *f = fec_find(lde, fec);

	if (f == NULL)
		return -1;
	return fec_info_call(lde, f, fn, arg);
}

mpls_label_t lde_local_label(const struct lde *lde, const struct prefix4 *fec)
{
	const struct fec *f = fec_find(lde, fec);

	return f ? f->local : NONE;
}

mpls_label_t lde_remote_label(const struct lde *lde, uint32_t lsr_id, const struct prefix4 *fec)
{
	const struct fec *f = fec_find(lde, fec);
	const struct lde_nbr *n = nbr_find(lde, lsr_id);
	const struct fec_nbr *fn;

	if (f == NULL || n == NULL || (fn = fn_find(f, n)) == NULL)
		return NONE;
	return fn->remote;
}

int lde_lfib_walk(const struct lde *lde,
		  int (*fn)(void *arg, mpls_label_t in_label, const struct prefix4 *fec,
			    const struct lde_path *paths, int npaths),
		  void *arg)
{
	size_t i;
	int rc;

	size_t n;
	struct fec **v = fec_list(lde, &n);

	for (i = 0, rc = 0; i < n && rc == 0; i++)
		if (v[i]->lfib_in != NONE)
			rc = fn(arg, v[i]->lfib_in, &v[i]->pfx, v[i]->paths, v[i]->npaths);
	free(v);
	return rc;
}

void lde_get_stats(const struct lde *lde, struct lde_stats *st)
{
	*st = lde->st;
	st->fecs = lde->nfecs;
}

/* Every FEC's prefix in table order: no copy, no sort (the cursor of
 * `show mpls ldp binding` picks its next batch in order from this). */
void lde_fec_keys(const struct lde *lde, void (*fn)(void *arg, const struct prefix4 *fec),
		  void *arg)
{
	size_t i;

	for (i = 0; i < lde->tabcap; i++)
		if (lde->tab[i] != NULL)
			fn(arg, &lde->tab[i]->pfx);
}
