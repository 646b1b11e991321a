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
 *   AS_PATH and ATOMIC_AGGREGATE; with as-set one AS_SET of every AS in the
 *   contributors' paths (FRR keeps their common leading sequence in front
 *   of it: not done here) and no ATOMIC_AGGREGATE. Communities are not
 *   merged.
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

struct agg_walk {
	const struct bgp_aggregate *agg;
	size_t count;
	uint8_t origin;
	uint32_t *asns; /* as-set: distinct ASNs */
	size_t nasn, capasn;
};

static void add_asn(struct agg_walk *w, uint32_t asn)
{
	size_t i;

	for (i = 0; i < w->nasn; i++)
		if (w->asns[i] == asn)
			return;
	if (w->nasn == 255) /* one AS_SET segment */
		return;
	if (w->nasn == w->capasn) {
		w->capasn = w->capasn ? w->capasn * 2 : 16;
		w->asns = xrealloc(w->asns, w->capasn * sizeof(*w->asns));
	}
	w->asns[w->nasn++] = asn;
}

/* Every AS of a 4-octet AS_PATH (segments checked against its length). */
static void add_path_asns(struct agg_walk *w, const struct bgp_attr *a)
{
	size_t off = 0, k;

	while (off + 2 <= a->aspath_len) {
		uint8_t type = a->aspath[off], n = a->aspath[off + 1];

		off += 2;
		if (off + (size_t)n * 4 > a->aspath_len)
			return;
		for (k = 0; k < n; k++, off += 4)
			if (type == BGP_ASPATH_SEQUENCE || type == BGP_ASPATH_SET)
				add_asn(w, (uint32_t)a->aspath[off] << 24 | (uint32_t)a->aspath[off + 1] << 16 |
					   (uint32_t)a->aspath[off + 2] << 8 | a->aspath[off + 3]);
	}
}

static void walk_fn(struct bgp_dest *d, void *arg)
{
	struct agg_walk *w = arg;
	const struct bgp_path *b = d->best;

	if (b == NULL || !(b->flags & BGP_PATH_VALID) || bgp_path_is_aggregate(b) ||
	    !strictly_inside(&w->agg->p, &d->p.pfx))
		return;
	w->count++;
	if (b->attr->origin > w->origin)
		w->origin = b->attr->origin;
	if (w->agg->as_set)
		add_path_asns(w, b->attr);
}

static void recompute(struct bgp *b, struct bgp_aggregate *agg)
{
	struct bgp_rib *rib = b->rib[agg->af];
	struct agg_walk w;
	struct bgp_nlri n;
	struct bgp_attr a;
	const struct bgp_attr *ia;
	size_t i;

	agg->dirty = false;
	if (rib == NULL)
		return;
	memset(&w, 0, sizeof(w));
	w.agg = agg;
	bgp_rib_walk(rib, walk_fn, &w);
	memset(&n, 0, sizeof(n));
	n.p.pfx = agg->p;
	agg->contributors = w.count;
	if (w.count == 0) {
		bgp_rib_withdraw(rib, &agg_src, &n.p);
		free(w.asns);
		return;
	}
	bgp_attr_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		    BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR);
	a.origin = w.origin;
	a.aggregator_as = b->asn;
	a.aggregator_addr = bgp_effective_router_id(b);
	if (agg->as_set && w.nasn > 0) {
		a.aspath_len = (uint16_t)(2 + 4 * w.nasn);
		a.aspath = xmalloc(a.aspath_len);
		a.aspath[0] = BGP_ASPATH_SET;
		a.aspath[1] = (uint8_t)w.nasn;
		for (i = 0; i < w.nasn; i++) {
			a.aspath[2 + 4 * i] = (uint8_t)(w.asns[i] >> 24);
			a.aspath[3 + 4 * i] = (uint8_t)(w.asns[i] >> 16);
			a.aspath[4 + 4 * i] = (uint8_t)(w.asns[i] >> 8);
			a.aspath[5 + 4 * i] = (uint8_t)w.asns[i];
		}
	} else if (!agg->as_set) {
		a.present |= BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE); /* RFC 4271 9.2.2.2 */
	}
	free(w.asns);
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
