/* The VRF <-> VPN boundary (RFC 4364 4.3, 5), in one place.
 *
 * vpn_leak_from_vrf_update(): a VRF instance's best path (learned from a CE,
 * redistributed, or a `network`) becomes a path of the VPN table of the
 * default instance: the VRF's RD is added, its export route targets are
 * attached, the next hop is cleared (it becomes our address when advertised)
 * and the VRF's label is carried.
 * vpn_leak_to_vrf_update(): a VPN best path whose route targets meet a
 * VRF's import route targets becomes a path of that VRF instance, RD
 * stripped, remote PE next hop (in the default VRF) and VPN label kept.
 * An RD or label change re-exports the VRF; an RT change re-evaluates
 * imports (vpn_vrf_refresh). Learned from BIRD's l3vpn.c shape and FRR's
 * vpn_leak_* naming, written anew. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/rib.h"
#include "mpbgp/vpn.h"
#include "vrf/vrf.h"

static struct bgp_rib *rib_of(struct bgp *b, enum bgp_af af)
{
	return b != NULL ? b->rib[af] : NULL;
}

/* ---- labels ---- */

/* The label a VRF's exported routes carry (per-VRF allocation; per-nexthop
 * and per-prefix modes use the same label until the dataplane needs them
 * apart). MPLS_LABEL_NONE: not exportable. */
mpls_label_t vpn_vrf_label(struct bgp *b)
{
	struct vpn_state *vs = b->vpn;
	char purpose[64], err[160];

	if (vs == NULL)
		return MPLS_LABEL_NONE;
	if (b->label_mode == BGP_LABEL_NONE) {
		vpn_label_release(b);
		return MPLS_LABEL_NONE;
	}
	if (vs->label != MPLS_LABEL_NONE &&
	    (b->label_mode == BGP_LABEL_AUTO ? vs->label_auto : vs->label == b->label_fixed))
		return vs->label;
	vpn_label_release(b);
	snprintf(purpose, sizeof(purpose), "vrf %s", b->vrf_name);
	if (bgp_get_ops()->label_alloc == NULL)
		return MPLS_LABEL_NONE;
	if (b->label_mode == BGP_LABEL_AUTO) {
		vs->label = bgp_get_ops()->label_alloc(purpose);
		vs->label_auto = true;
	} else if (bgp_get_ops()->label_alloc_specific(b->label_fixed, purpose, err,
						       sizeof(err)) == 0) {
		vs->label = b->label_fixed;
		vs->label_auto = false;
	} else {
		log_warnx("VRF %s: label vpn export %u: %s", b->vrf_name, b->label_fixed, err);
	}
	return vs->label;
}

void vpn_label_release(struct bgp *b)
{
	struct vpn_state *vs = b->vpn;

	if (vs != NULL && vs->label != MPLS_LABEL_NONE) {
		if (bgp_get_ops()->label_release != NULL)
			bgp_get_ops()->label_release(vs->label);
		vs->label = MPLS_LABEL_NONE;
	}
}

/* ---- VRF -> VPN ---- */

static bool exportable(struct bgp *b)
{
	return b->vrf != NULL && b->export_vpn && b->vrf->rd_set && bgp_default_instance() != NULL &&
	       rib_of(bgp_default_instance(), BGP_AF_VPNV4) != NULL &&
	       vpn_vrf_label(b) != MPLS_LABEL_NONE;
}

/* Replaces the route targets of a (template) attribute set with rts. */
static void set_rts(struct bgp_attr *a, const struct rt_set *rts)
{
	struct ecomm *v = xcalloc((size_t)a->necomms + (size_t)rts->count + 1, sizeof(*v));
	int i, n = 0;

	for (i = 0; i < a->necomms; i++)
		if (a->ecomms[i].b[1] != ECOMM_SUB_RT || a->ecomms[i].b[0] > 0x02)
			v[n++] = a->ecomms[i];
	for (i = 0; i < rts->count; i++)
		v[n++] = rts->rt[i];
	free(a->ecomms);
	a->ecomms = v;
	a->necomms = (uint16_t)n;
	if (n > 0)
		a->present |= BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES);
	else
		a->present &= ~BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES);
}

void vpn_leak_from_vrf_update(struct bgp *b, const struct prefix4 *pfx,
			      const struct bgp_path *best)
{
	struct bgp *def = bgp_default_instance();
	struct bgp_rib *vpn = rib_of(def, BGP_AF_VPNV4);
	struct bgp_rib_src src = { BGP_SRC_LOCAL, NULL, b, NULL };
	struct bgp_nlri n;
	struct bgp_attr a;
	const struct bgp_attr *ia;

	if (vpn == NULL || b->vrf == NULL)
		return;
	memset(&n, 0, sizeof(n));
	n.p.rd = b->vrf->rd;
	n.p.pfx = *pfx;
	/* imported paths never go back to the VPN (no VRF -> VPN -> VRF loop) */
	if (best == NULL || best->src == BGP_SRC_IMPORTED || !exportable(b)) {
		bgp_rib_withdraw(vpn, &src, &n.p);
		return;
	}
	n.nlabels = 1;
	n.labels[0] = vpn_vrf_label(b);
	bgp_attr_init(&a);
	bgp_attr_copy(&a, best->attr);
	set_rts(&a, &b->vrf->rt_export);
	a.nexthop = 0; /* next hop self when advertised */
	ia = bgp_attr_intern(&a);
	bgp_attr_clear(&a);
	bgp_rib_update(vpn, &src, &n, ia, 0);
	bgp_attr_unref(ia);
}

struct reexport_ctx {
	struct bgp *b;
	bool withdraw_only;
};

static void reexport_one(struct bgp_dest *d, void *arg)
{
	struct reexport_ctx *c = arg;

	vpn_leak_from_vrf_update(c->b, &d->p.pfx, c->withdraw_only ? NULL : d->best);
}

struct collect_ctx {
	struct bgp *b;
	struct bgp_prefix **v;
	size_t *n, *cap;
};

static void collect_fn(struct bgp_dest *d, void *arg)
{
	struct collect_ctx *c = arg;
	struct bgp_path *p;

	for (p = d->paths; p != NULL; p = p->next)
		if (p->src == BGP_SRC_LOCAL && p->origin_bgp == c->b) {
			if (*c->n == *c->cap) {
				*c->cap = *c->cap ? *c->cap * 2 : 64;
				*c->v = xrealloc(*c->v, *c->cap * sizeof(**c->v));
			}
			(*c->v)[(*c->n)++] = d->p;
		}
}

void vpn_collect_origin(struct bgp_rib *rib, struct bgp *b, struct bgp_prefix **v, size_t *n,
			size_t *cap)
{
	struct collect_ctx c = { b, v, n, cap };

	bgp_rib_walk(rib, collect_fn, &c);
}

/* Withdraws everything b exported under whatever RD (walks the VPN table
 * for paths of this origin), then exports again if b is exportable. */
static void withdraw_exports(struct bgp *b)
{
	struct bgp_rib *vpn = rib_of(bgp_default_instance(), BGP_AF_VPNV4);
	struct bgp_prefix *v = NULL;
	size_t n = 0, cap = 0, i;
	struct bgp_rib_src src = { BGP_SRC_LOCAL, NULL, b, NULL };

	if (vpn == NULL)
		return;
	vpn_collect_origin(vpn, b, &v, &n, &cap);
	for (i = 0; i < n; i++)
		bgp_rib_withdraw(vpn, &src, &v[i]);
	free(v);
}

void vpn_vrf_reexport(struct bgp *b)
{
	struct reexport_ctx c = { b, false };

	withdraw_exports(b);
	if (rib_of(b, BGP_AF_IPV4_UNICAST) != NULL && exportable(b))
		bgp_rib_walk(rib_of(b, BGP_AF_IPV4_UNICAST), reexport_one, &c);
}

/* ---- VPN -> VRF ---- */

static bool rt_match(const struct bgp_attr *a, const struct rt_set *imp)
{
	int i;

	for (i = 0; a != NULL && i < a->necomms; i++)
		if (a->ecomms[i].b[1] == ECOMM_SUB_RT && a->ecomms[i].b[0] <= 0x02 &&
		    rt_set_has(imp, &a->ecomms[i]))
			return true;
	return false;
}

/* The identity of an imported path is the VPN dest it comes from (one path
 * per RD+prefix); the pointer is compared, never followed, and the path is
 * withdrawn before that dest is freed (the VPN change hook runs first). */
static void import_one(struct bgp *b, const struct bgp_dest *vd)
{
	struct bgp_rib *vr = rib_of(b, BGP_AF_IPV4_UNICAST);
	struct bgp_rib_src src = { BGP_SRC_IMPORTED, NULL, bgp_default_instance(),
				   (const struct bgp_path *)(const void *)vd };
	const struct bgp_path *best = vd->best;
	struct bgp_nlri n;
	int i;

	if (vr == NULL)
		return;
	memset(&n, 0, sizeof(n));
	n.p.pfx = vd->p.pfx;
	if (best == NULL || !b->import_vpn || b->vrf == NULL || best->origin_bgp == b ||
	    !(best->flags & BGP_PATH_VALID) || !rt_match(best->attr, &b->vrf->rt_import)) {
		bgp_rib_withdraw(vr, &src, &n.p);
		return;
	}
	n.nlabels = best->nlabels;
	for (i = 0; i < best->nlabels && i < BGP_MAX_LABELS; i++)
		n.labels[i] = best->labels[i];
	bgp_rib_update(vr, &src, &n, best->attr, 0);
}

void vpn_leak_to_vrf_update(const struct bgp_dest *vd)
{
	struct bgp *b;

	for (b = bgp_first(); b != NULL; b = bgp_next(b))
		if (b->vrf != NULL)
			import_one(b, vd);
}

static void reimport_one(struct bgp_dest *d, void *arg)
{
	import_one(arg, d);
}

void vpn_vrf_reimport(struct bgp *b)
{
	struct bgp_rib *vpn = rib_of(bgp_default_instance(), BGP_AF_VPNV4);

	if (vpn != NULL)
		bgp_rib_walk(vpn, reimport_one, b);
}

void vpn_vrf_refresh(struct bgp *b)
{
	vpn_vrf_reexport(b);
	vpn_vrf_reimport(b);
}
