/* `aggregate-address P [summary-only] [as-set]` (FRR's syntax and, in the
 * main, its semantics; RFC 4271 9.2.2.2): a unicast instance (default or
 * VRF) originates P while its table holds a valid best path for a prefix
 * strictly inside P.
 *
 * - The aggregate is a local path of its own source ({LOCAL, no origin}),
 *   next to `network`/`redistribute` paths of the same prefix; a VRF
 *   instance exports it to the VPN like any local route.
 * - Attributes: ORIGIN the highest of the contributors' (IGP < EGP <
 *   INCOMPLETE), AGGREGATOR our AS and router id; without as-set an empty
 *   AS_PATH and ATOMIC_AGGREGATE. With as-set, as FRR: the AS_SEQUENCE
 *   every contributor's path starts with, then every other AS of their
 *   paths in AS_SET segments (ascending, 255 ASes a segment); the union of
 *   their communities and extended communities (ascending);
 *   ATOMIC_AGGREGATE only if a contributor carries it.
 * - summary-only: the contributors are not advertised to peers nor
 *   exported to the VPN (bgp_aggregate_suppressed()); they stay in the
 *   table and the forwarding plane.
 * - Contributors are best paths only (FRR looks at every path; with one
 *   path per prefix the result is the same). Recomputation walks the table
 *   once per batch of changes under an aggregate (from the event loop). */
#include "config.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/wbuf.h"
#include "mpbgp/bgp.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/rib.h"

static struct event *agg_ev;

static bool strictly_inside(const struct prefix *outer, const struct prefix *p)
{
	struct ipaddr a;

	if (outer->af != p->af || p->len <= outer->len)
		return false;
	memset(&a, 0, sizeof(a));
	a.af = p->af;
	if (p->af == AF_INET)
		a.v4 = p->v4;
	else
		memcpy(a.v6, p->v6, sizeof(a.v6));
	return prefix_contains(outer, &a);
}

bool bgp_path_is_aggregate(const struct bgp_path *p)
{
	return p->src == BGP_SRC_LOCAL && p->origin_bgp == NULL && p->origin == NULL;
}

static const struct bgp_rib_src agg_src = { BGP_SRC_LOCAL, NULL, NULL, NULL };

/* A growing array of distinct values of one type, appended in order. */
struct uset {
	void *v;
	size_t n, cap, size;
};

static void uset_add(struct uset *u, const void *x)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (memcmp((const uint8_t *)u->v + i * u->size, x, u->size) == 0)
			return;
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 16;
		u->v = xrealloc(u->v, u->cap * u->size);
	}
	memcpy((uint8_t *)u->v + u->n * u->size, x, u->size);
	u->n++;
}

struct agg_walk {
	const struct bgp_aggregate *agg;
	size_t count;
	uint8_t origin;
	bool atomic; /* a contributor has ATOMIC_AGGREGATE */
	/* as-set: the AS_SEQUENCE all contributors start with (seq_known once
	 * the first is seen), the other ASes, the communities */
	uint32_t *seq;
	size_t nseq;
	bool seq_known;
	struct uset set, comms, ecomms;
};

/* One contributor's AS_PATH (4-octet, segments checked against its length):
 * the common leading sequence shrinks to what this path starts with too,
 * and what leaves it, with every other AS of the path, goes to the set. */
static void add_path_asns(struct agg_walk *w, const struct bgp_attr *a)
{
	struct wbuf r = wbuf_from(a->aspath, a->aspath_len), seg;
	size_t k, lead = 0; /* ASes of a's leading sequence matched so far */
	bool in_lead = true;
	uint8_t type, n;
	uint32_t asn;

	while (wbuf_get_u8(&r, &type) == 0 && wbuf_get_u8(&r, &n) == 0 &&
	       wbuf_get_sub(&r, &seg, (size_t)n * 4) == 0) {
		if (type != BGP_ASPATH_SEQUENCE)
			in_lead = false;
		while (wbuf_get_u32(&seg, &asn) == 0) {
			if (type != BGP_ASPATH_SEQUENCE && type != BGP_ASPATH_SET)
				continue; /* confederation segments stay inside the confederation */
			if (in_lead && !w->seq_known) {
				w->seq = xrealloc(w->seq, (w->nseq + 1) * sizeof(*w->seq));
				w->seq[w->nseq++] = asn;
				continue;
			}
			if (in_lead && lead < w->nseq && w->seq[lead] == asn) {
				lead++;
				continue;
			}
			in_lead = false;
			uset_add(&w->set, &asn);
		}
	}
	if (!w->seq_known) {
		w->seq_known = true;
		return;
	}
	/* the common part is what this path matched: the rest goes to the set */
	for (k = lead; k < w->nseq; k++)
		uset_add(&w->set, &w->seq[k]);
	w->nseq = lead;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_ecomm(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct ecomm));
}

/* The aggregate's AS_PATH: SEQUENCE segments of the common part, then SET
 * segments of the rest (ascending), 255 ASes a segment at most. */
/* v[0..n) as segments of type, 255 ASes a segment at most */
static void put_segments(struct wbuf *w, uint8_t type, const uint32_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i % 255 == 0) {
			(void)wbuf_put_u8(w, type);
			(void)wbuf_put_u8(w, (uint8_t)(n - i > 255 ? 255 : n - i));
		}
		(void)wbuf_put_u32(w, v[i]);
	}
}

static void build_aspath(struct agg_walk *w, struct bgp_attr *a)
{
	uint32_t *set = w->set.v;
	size_t nset = 0, i, len;
	struct wbuf out;

	/* an AS of the common sequence is not repeated in the set */
	for (i = 0; i < w->set.n; i++) {
		size_t k;

		for (k = 0; k < w->nseq && w->seq[k] != set[i]; k++)
			;
		if (k == w->nseq)
			set[nset++] = set[i];
	}
	if (nset > 1)
		qsort(set, nset, sizeof(*set), cmp_u32);
	len = 2 * ((w->nseq + 254) / 255 + (nset + 254) / 255) + 4 * (w->nseq + nset);
	if (len == 0 || len > UINT16_MAX)
		return;
	a->aspath = xmalloc(len);
	a->aspath_len = (uint16_t)len;
	out = wbuf_init_fixed(a->aspath, len); /* exactly len: no write can fail */
	put_segments(&out, BGP_ASPATH_SEQUENCE, w->seq, w->nseq);
	put_segments(&out, BGP_ASPATH_SET, set, nset);
}

static void walk_fn(struct bgp_dest *d, void *arg)
{
	struct agg_walk *w = arg;
	const struct bgp_path *b = d->best;
	size_t i;

	if (b == NULL || !(b->flags & BGP_PATH_VALID) || bgp_path_is_aggregate(b) ||
	    !strictly_inside(&w->agg->p, &d->p.pfx))
		return;
	w->count++;
	if (b->attr->origin > w->origin)
		w->origin = b->attr->origin;
	if (!w->agg->as_set)
		return;
	add_path_asns(w, b->attr);
	if (b->attr->present & BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE))
		w->atomic = true;
	for (i = 0; i < b->attr->ncommunities; i++)
		uset_add(&w->comms, &b->attr->communities[i]);
	for (i = 0; i < b->attr->necomms; i++)
		uset_add(&w->ecomms, &b->attr->ecomms[i]);
}

static void walk_free(struct agg_walk *w)
{
	free(w->seq);
	free(w->set.v);
	free(w->comms.v);
	free(w->ecomms.v);
}

static void recompute(struct bgp *b, struct bgp_aggregate *agg)
{
	struct bgp_rib *rib = b->rib[agg->af];
	struct agg_walk w;
	struct bgp_nlri n;
	struct bgp_attr a;
	const struct bgp_attr *ia;

	agg->dirty = false;
	if (rib == NULL)
		return;
	memset(&w, 0, sizeof(w));
	w.agg = agg;
	w.set.size = sizeof(uint32_t);
	w.comms.size = sizeof(uint32_t);
	w.ecomms.size = sizeof(struct ecomm);
	bgp_rib_walk(rib, walk_fn, &w);
	memset(&n, 0, sizeof(n));
	n.p.pfx = agg->p;
	agg->contributors = w.count;
	if (w.count == 0) {
		bgp_rib_withdraw(rib, &agg_src, &n.p);
		walk_free(&w);
		return;
	}
	bgp_attr_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		    BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR);
	a.origin = w.origin;
	a.aggregator_as = b->asn;
	a.aggregator_addr = bgp_effective_router_id(b);
	if (agg->as_set) {
		build_aspath(&w, &a);
		if (w.atomic)
			a.present |= BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE);
		if (w.comms.n > 0 && w.comms.n <= UINT16_MAX / 4) {
			qsort(w.comms.v, w.comms.n, sizeof(uint32_t), cmp_u32);
			a.communities = w.comms.v;
			a.ncommunities = (uint16_t)w.comms.n;
			a.present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
			w.comms.v = NULL; /* a owns it now */
		}
		if (w.ecomms.n > 0 && w.ecomms.n <= UINT16_MAX / 8) {
			qsort(w.ecomms.v, w.ecomms.n, sizeof(struct ecomm), cmp_ecomm);
			a.ecomms = w.ecomms.v;
			a.necomms = (uint16_t)w.ecomms.n;
			a.present |= BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES);
			w.ecomms.v = NULL;
		}
	} else {
		a.present |= BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE); /* RFC 4271 9.2.2.2 */
	}
	walk_free(&w);
	ia = bgp_attr_intern(&a);
	bgp_attr_clear(&a);
	bgp_rib_update(rib, &agg_src, &n, ia, 32768);
	bgp_attr_unref(ia);
}

void bgp_aggregate_run(void)
{
	struct bgp *b;
	struct bgp_aggregate *agg;

	for (b = bgp_first(); b != NULL; b = bgp_next(b))
		for (agg = b->aggregates; agg != NULL; agg = agg->next)
			if (agg->dirty)
				recompute(b, agg);
}

static void agg_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	bgp_aggregate_run();
}

/* rib change hook (unicast tables): a change strictly under an aggregate
 * marks it; recomputed from the event loop, never inside the RIB's own
 * processing. */
void bgp_aggregate_rib_changed(struct bgp_rib *rib, struct bgp_dest *dest,
			       const struct bgp_path *old_best, void *arg)
{
	struct bgp *b = bgp_rib_bgp(rib);
	struct bgp_aggregate *agg;
	bool any = false;

	(void)old_best;
	(void)arg;
	for (agg = b->aggregates; agg != NULL; agg = agg->next)
		if (agg->af == bgp_rib_af(rib) && strictly_inside(&agg->p, &dest->p.pfx)) {
			agg->dirty = true;
			any = true;
		}
	if (any && agg_ev != NULL)
		event_active(agg_ev, 0, 0);
}

void bgp_aggregate_start(struct event_base *base)
{
	struct bgp *b;
	struct bgp_aggregate *agg;

	agg_ev = event_new(base, -1, 0, agg_cb, NULL);
	for (b = bgp_first(); b != NULL; b = bgp_next(b))
		for (agg = b->aggregates; agg != NULL; agg = agg->next)
			agg->dirty = true;
	event_active(agg_ev, 0, 0);
}

void bgp_aggregate_stop(void)
{
	if (agg_ev != NULL)
		event_free(agg_ev);
	agg_ev = NULL;
}

bool bgp_aggregate_suppressed(const struct bgp *b, enum bgp_af af, const struct prefix *p)
{
	const struct bgp_aggregate *agg;

	for (agg = b->aggregates; agg != NULL; agg = agg->next)
		if (agg->summary_only && agg->af == af && strictly_inside(&agg->p, p))
			return true;
	return false;
}

/* Configuration: set (add or replace the options of) or delete P. */
int bgp_aggregate_set(struct bgp *b, enum bgp_af af, const struct prefix *p, bool summary_only,
		      bool as_set, bool del)
{
	struct bgp_aggregate **ap, *agg;
	struct bgp_nlri n;

	for (ap = &b->aggregates; (agg = *ap) != NULL; ap = &agg->next)
		if (agg->af == af && prefix_equal(&agg->p, p))
			break;
	if (del) {
		if (agg == NULL)
			return -1;
		*ap = agg->next;
		free(agg);
		if (b->rib[af] != NULL) {
			memset(&n, 0, sizeof(n));
			n.p.pfx = *p;
			bgp_rib_withdraw(b->rib[af], &agg_src, &n.p);
		}
		return 0;
	}
	if (agg == NULL) {
		agg = xcalloc(1, sizeof(*agg));
		agg->af = af;
		agg->p = *p;
		/* sorted by family then prefix, for the running configuration */
		for (ap = &b->aggregates; *ap != NULL; ap = &(*ap)->next)
			if ((*ap)->af > af || ((*ap)->af == af && prefix_cmp(&(*ap)->p, p) > 0))
				break;
		agg->next = *ap;
		*ap = agg;
	}
	agg->summary_only = summary_only;
	agg->as_set = as_set;
	agg->dirty = true;
	if (agg_ev != NULL)
		event_active(agg_ev, 0, 0);
	return 0;
}

void bgp_aggregates_free(struct bgp *b)
{
	struct bgp_aggregate *agg, *next;

	for (agg = b->aggregates; agg != NULL; agg = next) {
		next = agg->next;
		free(agg);
	}
	b->aggregates = NULL;
}
