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
 * vpn_leak_* naming, written anew.
 *
 * Policy (FRR's af commands of a VRF instance): `route-map vpn export` of
 * the exporting VRF and `route-map vpn import` of the importing one are
 * applied on a template copy of the attributes (deny: not exported / not
 * imported; sets apply), with `match source-vrf` naming the VRF the route
 * comes from.
 *
 * Leaking between VRFs of this PE: a VPN path exported by a local VRF B
 * (by route targets), or B's best path itself (`import vrf B`, done
 * directly rather than through the VPN table with auto RD/RT as FRR does:
 * the result is the same path, without advertising B to remote PEs), is
 * imported with B's own next hop (the CE, or none for B's connected and
 * local routes) and without labels; its origin_bgp is B, so the VRF route
 * gets a next hop in B (speaker.c install_in_vrf) and the dataplane sends
 * the packet out of B's port. Leaked paths are never leaked again. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/policy.h"
#include "mpbgp/rib.h"
#include "mpbgp/vpn.h"
#include "vrf/vrf.h"

static struct bgp_rib *rib_of(struct bgp *b, enum bgp_af af)
{
	return b != NULL ? b->rib[af] : NULL;
}

/* The VPN family of a unicast prefix family, and back. */
static enum bgp_af vpn_af(int family)
{
	return family == AF_INET6 ? BGP_AF_VPNV6 : BGP_AF_VPNV4;
}

static enum bgp_af uni_af(int family)
{
	return family == AF_INET6 ? BGP_AF_IPV6_UNICAST : BGP_AF_IPV4_UNICAST;
}

/* ---- policy ---- */

/* Applies route-map `name` (empty: permit) to *attr (the engine's
 * memoized form: routes sharing attributes and entries share one result);
 * on permit *attr becomes the interned result (a reference the caller
 * drops) and *weight what `set weight` made of it. */
static bool rmap_apply(const char *name, const struct prefix *pfx, const char *source_vrf,
		       const struct bgp_attr **attr, uint32_t *weight)
{
	const struct bgp_attr *out;
	uint32_t w;
	bool nhu;

	if (policy_route_map_apply_interned(name, pfx, *attr, NULL, source_vrf, &out, &w, &nhu) !=
	    POLICY_PERMIT)
		return false;
	*attr = out; /* a reference for the caller */
	if (weight != NULL && w != 0)
		*weight = w;
	return true;
}

/* ---- labels ---- */

/* What a label of b's VRF does, for the label manager and the dataplane. */
static struct label_owner vrf_owner(const struct bgp *b, enum label_owner_kind kind)
{
	struct label_owner o = { .kind = kind, .vrf_id = b->vrf->id };

	return o;
}

/* The label of the VRF (per-VRF allocation: pop and look up in the VRF);
 * per-nexthop and per-prefix labels are below. MPLS_LABEL_NONE: not
 * exportable (a fixed label the label manager refused). Without `label vpn
 * export` the routes are exported with implicit null (3), as FRR does: the
 * ingress PE pushes no VPN label, only the transport label. */
mpls_label_t vpn_vrf_label(struct bgp *b)
{
	struct vpn_state *vs = b->vpn;
	struct label_owner own;
	char err[160];

	if (vs == NULL || b->vrf == NULL)
		return MPLS_LABEL_NONE;
	if (b->label_mode == BGP_LABEL_NONE) {
		vpn_label_release(b);
		return MPLS_LABEL_IMPLICIT_NULL;
	}
	if (vs->label != MPLS_LABEL_NONE &&
	    (b->label_mode == BGP_LABEL_AUTO ? vs->label_auto : vs->label == b->label_fixed))
		return vs->label;
	vpn_label_release(b);
	own = vrf_owner(b, LABEL_OWN_VRF);
	if (bgp_get_ops()->label_alloc == NULL)
		return MPLS_LABEL_NONE;
	if (b->label_mode == BGP_LABEL_AUTO) {
		vs->label = bgp_get_ops()->label_alloc(&own);
		vs->label_auto = true;
	} else if (bgp_get_ops()->label_alloc_specific(b->label_fixed, &own, err,
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

/* ---- per-nexthop and per-prefix labels ---- */

static size_t map_slot(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

static uint64_t *map_find(const struct vpn_map *m, uint64_t k)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = map_slot(k, m->cap); m->keys[i] != 0; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == k)
			return &m->vals[i];
	return NULL;
}

static void map_put(struct vpn_map *m, uint64_t k, uint64_t v);

static void map_grow(struct vpn_map *m)
{
	struct vpn_map o = *m;
	size_t i;

	m->cap = o.cap ? o.cap * 2 : 64;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->vals = xcalloc(m->cap, sizeof(*m->vals));
	m->n = 0;
	for (i = 0; i < o.cap; i++)
		if (o.keys[i] != 0)
			map_put(m, o.keys[i], o.vals[i]);
	free(o.keys);
	free(o.vals);
}

static void map_put(struct vpn_map *m, uint64_t k, uint64_t v)
{
	uint64_t *slot = map_find(m, k);
	size_t i;

	if (slot != NULL) {
		*slot = v;
		return;
	}
	if ((m->n + 1) * 2 > m->cap)
		map_grow(m);
	for (i = map_slot(k, m->cap); m->keys[i] != 0; i = (i + 1) & (m->cap - 1))
		;
	m->keys[i] = k;
	m->vals[i] = v;
	m->n++;
}

/* Backward-shift deletion (no tombstones). */
static void map_del(struct vpn_map *m, uint64_t k)
{
	uint64_t *v = map_find(m, k);
	size_t i, j;

	if (v == NULL)
		return;
	i = (size_t)(v - m->vals);
	m->keys[i] = 0;
	m->n--;
	for (j = (i + 1) & (m->cap - 1); m->keys[j] != 0; j = (j + 1) & (m->cap - 1)) {
		size_t home = map_slot(m->keys[j], m->cap);

		if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			m->keys[j] = 0;
			i = j;
		}
	}
}

static void map_free(struct vpn_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* VPN -> VRF import index (see vpn_leak_to_vrf_update) */
static struct {
	struct vpn_map rt;      /* RT -> 1 + first entry */
	struct rt_ent {
		struct bgp *b;
		uint32_t next;  /* 1 + next entry, 0 = end */
	} *ent;
	size_t nent, cap;
	bool valid;
	struct vpn_map imported; /* VPN dest -> interned attribute it was imported with */
	uint32_t gen;
} vx;

#define KEY_NEXTHOP (1ull << 48)
#define KEY_PREFIX (2ull << 48)

/* 48-bit identities of prefixes and next hops inside the maps: exact for
 * IPv4; for IPv6 a 47-bit hash (bit 47 set), so two IPv6 prefixes of one
 * VRF share a per-prefix label only if they collide (about 1e-8 for a
 * million prefixes). */
static uint64_t v6_id(const uint8_t *v6, uint8_t len)
{
	uint64_t hi, lo, h;

	memcpy(&hi, v6, 8);
	memcpy(&lo, v6 + 8, 8);
	h = (hi * 0x9e3779b97f4a7c15ull) ^ (lo * 0xc2b2ae3d27d4eb4full) ^ len;
	h ^= h >> 31;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 29;
	return (h & ((1ull << 47) - 1)) | (1ull << 47);
}

static uint64_t pfx_id(const struct prefix *p)
{
	if (p->af == AF_INET6)
		return v6_id(p->v6, p->len) | (1ull << 50);
	return ((uint64_t)p->v4 << 8) | p->len | (1ull << 50);
}

static uint64_t nh_id(const struct ipaddr *a)
{
	return a->af == AF_INET6 ? v6_id(a->v6, 128) : a->v4;
}

/* Which label an exported path takes under the VRF's allocation mode: 0 =
 * the per-VRF label (pop and look up in the VRF), else a key of its own. */
static uint64_t label_key(const struct bgp *b, const struct prefix *pfx,
			  const struct bgp_path *best)
{
	if (b->label_mode != BGP_LABEL_AUTO || b->label_alloc == BGP_LABEL_PER_VRF)
		return 0;
	if (b->label_alloc == BGP_LABEL_PER_PREFIX)
		return KEY_PREFIX | pfx_id(pfx);
	/* per next hop: the CE the route points to; local routes (connected,
	 * networks) have none and use the VRF label */
	if (ipaddr_is_zero(&best->attr->nexthop))
		return 0;
	return KEY_NEXTHOP | nh_id(&best->attr->nexthop);
}

static mpls_label_t key_ref(struct bgp *b, uint64_t key, const struct prefix *pfx,
			    const struct bgp_path *best)
{
	struct vpn_state *vs = b->vpn;
	uint64_t *v = map_find(&vs->key_label, key);
	struct label_owner own;
	mpls_label_t l;

	if (v != NULL) {
		*v += 1ull << 32;
		return (mpls_label_t)(*v & 0xffffffffu);
	}
	if ((key & KEY_PREFIX) == KEY_PREFIX) {
		own = vrf_owner(b, LABEL_OWN_VRF_PREFIX);
		own.prefix = *pfx;
	} else {
		own = vrf_owner(b, LABEL_OWN_VRF_NEXTHOP);
		own.nexthop = best->attr->nexthop;
	}
	l = bgp_get_ops()->label_alloc ? bgp_get_ops()->label_alloc(&own) : MPLS_LABEL_NONE;
	if (l == MPLS_LABEL_NONE)
		return MPLS_LABEL_NONE;
	map_put(&vs->key_label, key, (1ull << 32) | l);
	return l;
}

static void key_unref(struct bgp *b, uint64_t key)
{
	struct vpn_state *vs = b->vpn;
	uint64_t *v = map_find(&vs->key_label, key);

	if (v == NULL)
		return;
	*v -= 1ull << 32;
	if ((*v >> 32) == 0) {
		if (bgp_get_ops()->label_release != NULL)
			bgp_get_ops()->label_release((mpls_label_t)(*v & 0xffffffffu));
		map_del(&vs->key_label, key);
	}
}

/* The exported prefix no longer holds its key's label. */
static void prefix_unlabel(struct bgp *b, const struct prefix *pfx)
{
	struct vpn_state *vs = b->vpn;
	uint64_t *k = map_find(&vs->pfx_key, pfx_id(pfx));

	if (k == NULL)
		return;
	key_unref(b, *k);
	map_del(&vs->pfx_key, pfx_id(pfx));
}

/* Label for pfx exported from best; MPLS_LABEL_NONE if none can be had. */
static mpls_label_t prefix_label(struct bgp *b, const struct prefix *pfx,
				 const struct bgp_path *best)
{
	struct vpn_state *vs = b->vpn;
	uint64_t key = label_key(b, pfx, best), *old = map_find(&vs->pfx_key, pfx_id(pfx));
	mpls_label_t l;

	if (old != NULL && *old == key && key != 0)
		return (mpls_label_t)(*map_find(&vs->key_label, key) & 0xffffffffu);
	if (key == 0) {
		prefix_unlabel(b, pfx);
		return vpn_vrf_label(b);
	}
	l = key_ref(b, key, pfx, best);
	prefix_unlabel(b, pfx);
	if (l != MPLS_LABEL_NONE)
		map_put(&vs->pfx_key, pfx_id(pfx), key);
	return l;
}

void vpn_state_free(struct bgp *b)
{
	struct vpn_state *vs = b->vpn;
	size_t i;

	vx.valid = false; /* the instance leaves the route target index */
	if (vs == NULL)
		return;
	for (i = 0; i < vs->key_label.cap; i++)
		if (vs->key_label.keys[i] != 0 && bgp_get_ops()->label_release != NULL)
			bgp_get_ops()->label_release((mpls_label_t)(vs->key_label.vals[i] & 0xffffffffu));
	map_free(&vs->key_label);
	map_free(&vs->pfx_key);
	vpn_label_release(b);
	free(vs);
	b->vpn = NULL;
}

/* ---- VRF -> VPN ---- */

static bool exportable(struct bgp *b)
{
	/* no export route target: nothing to export (FRR withdraws; a VPN route
	 * without one would be imported by nobody and advertised to everyone) */
	return b->vrf != NULL && b->export_vpn && b->vrf->rd_set && b->vrf->rt_export.count > 0 &&
	       bgp_default_instance() != NULL &&
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

void vpn_leak_from_vrf_update(struct bgp *b, const struct prefix *pfx,
			      const struct bgp_path *best)
{
	struct bgp *def = bgp_default_instance();
	struct bgp_rib *vpn = rib_of(def, vpn_af(pfx->af));
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
	if (best == NULL || best->src == BGP_SRC_IMPORTED || !exportable(b) ||
	    bgp_aggregate_suppressed(b, uni_af(pfx->af), pfx)) {
		bgp_rib_withdraw(vpn, &src, &n.p);
		prefix_unlabel(b, pfx);
		return;
	}
	n.nlabels = 1;
	n.labels[0] = prefix_label(b, pfx, best);
	if (n.labels[0] == MPLS_LABEL_NONE) {
		bgp_rib_withdraw(vpn, &src, &n.p);
		return;
	}
	bgp_attr_init(&a);
	bgp_attr_copy(&a, best->attr);
	set_rts(&a, &b->vrf->rt_export);
	memset(&a.nexthop, 0, sizeof(a.nexthop)); /* next hop self when advertised */
	ia = bgp_attr_intern(&a);
	bgp_attr_clear(&a);
	{
		const struct bgp_attr *pa = ia;
		/* FRR: the VPN copy keeps the VRF path's weight (32768 for a
		 * redistributed route), `set weight` of the export map wins */
		uint32_t weight = best->weight;

		if (!rmap_apply(b->rmap_vpn_export[af_index(pfx->af)], pfx, b->vrf_name, &pa,
				&weight)) {
			bgp_attr_unref(ia);
			bgp_rib_withdraw(vpn, &src, &n.p);
			prefix_unlabel(b, pfx);
			return;
		}
		bgp_attr_unref(ia);
		ia = pa;
		bgp_rib_update(vpn, &src, &n, ia, weight);
	}
	bgp_attr_unref(ia);
	/* VRFs of this PE that import it take B's next hop, which the VPN path
	 * does not carry: tell them even when the VPN path did not change */
	{
		struct bgp_dest *vd = bgp_rib_lookup(vpn, &n.p);

		if (vd != NULL && vd->best != NULL && vd->best->origin_bgp == b)
			vpn_leak_to_vrf_update(vd);
	}
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

static void collect_all_fn(struct bgp_dest *d, void *arg)
{
	struct collect_ctx *c = arg;

	if (*c->n == *c->cap) {
		*c->cap = *c->cap ? *c->cap * 2 : 64;
		*c->v = xrealloc(*c->v, *c->cap * sizeof(**c->v));
	}
	(*c->v)[(*c->n)++] = d->p;
}

static void vpn_collect_all(struct bgp_rib *rib, struct bgp_prefix **v, size_t *n, size_t *cap)
{
	struct collect_ctx c = { NULL, v, n, cap };

	bgp_rib_walk(rib, collect_all_fn, &c);
}

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
	static const enum bgp_af vafs[] = { BGP_AF_VPNV4, BGP_AF_VPNV6 };
	struct bgp_rib_src src = { BGP_SRC_LOCAL, NULL, b, NULL };
	size_t k;

	for (k = 0; k < sizeof(vafs) / sizeof(vafs[0]); k++) {
		struct bgp_rib *vpn = rib_of(bgp_default_instance(), vafs[k]);
		struct bgp_prefix *v = NULL;
		size_t n = 0, cap = 0, i;

		if (vpn == NULL)
			continue;
		vpn_collect_origin(vpn, b, &v, &n, &cap);
		for (i = 0; i < n; i++) {
			bgp_rib_withdraw(vpn, &src, &v[i]);
			prefix_unlabel(b, &v[i].pfx);
		}
		free(v);
	}
}

void vpn_vrf_reexport(struct bgp *b)
{
	struct reexport_ctx c = { b, false };

	withdraw_exports(b);
	if (rib_of(b, BGP_AF_IPV4_UNICAST) != NULL && exportable(b))
		bgp_rib_walk(rib_of(b, BGP_AF_IPV4_UNICAST), reexport_one, &c);
	if (rib_of(b, BGP_AF_IPV6_UNICAST) != NULL && exportable(b))
		bgp_rib_walk(rib_of(b, BGP_AF_IPV6_UNICAST), reexport_one, &c);
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

/* The local VRF instance a VPN path was exported from, or NULL (a remote
 * PE's, or a `network ... rd` of the default instance). */
static struct bgp *local_origin(const struct bgp_path *vp)
{
	return vp != NULL && vp->src == BGP_SRC_LOCAL && vp->origin_bgp != NULL &&
			       vp->origin_bgp->vrf != NULL
		       ? vp->origin_bgp
		       : NULL;
}

/* Removes from VRF RIB vr the paths imported from vd, all of them (keep
 * NULL) or those whose VPN path is not in keep[0..nkeep) (by the source
 * peer and origin instance: one VPN path per source within a dest). */
struct vd_src {
	const struct bgp_peer *peer;
	const struct bgp *origin_bgp;
};

static void withdraw_vd_except(struct bgp_rib *vr, const struct bgp_dest *vd,
			       const struct bgp_prefix *p, const struct vd_src *keep, int nkeep)
{
	struct bgp_dest *d = bgp_rib_lookup(vr, p);
	struct bgp_rib_src gone[16];
	struct bgp_path *q;
	int n = 0, i;

	for (q = d != NULL ? d->paths : NULL; q != NULL && n < 16; q = q->next) {
		if (q->src != BGP_SRC_IMPORTED || q->origin != (const void *)vd)
			continue;
		for (i = 0; i < nkeep; i++)
			if (keep[i].peer == q->peer && keep[i].origin_bgp == q->origin_bgp)
				break;
		if (i == nkeep)
			gone[n++] = (struct bgp_rib_src){ BGP_SRC_IMPORTED, q->peer, q->origin_bgp,
							  q->origin };
	}
	/* (the dest may go with the last path: withdraw after the walk) */
	for (i = 0; i < n; i++)
		bgp_rib_withdraw(vr, &gone[i], p);
}

static void withdraw_vd(struct bgp_rib *vr, const struct bgp_dest *vd,
			const struct bgp_prefix *p)
{
	withdraw_vd_except(vr, vd, p, NULL, 0);
}

/* The attributes of a path leaked from local VRF instance from into b:
 * from's own next hop for pfx (its best path's), then b's import policy.
 * NULL: nothing to import. */
static const struct bgp_attr *leak_attr(struct bgp *b, struct bgp *from, const struct prefix *pfx,
					const struct bgp_attr *base, const char *rmap,
					uint32_t *weight)
{
	struct bgp_rib *fr = rib_of(from, uni_af(pfx->af));
	struct bgp_prefix fp;
	struct bgp_dest *fd;
	struct bgp_attr a;
	const struct bgp_attr *ia, *out;

	memset(&fp, 0, sizeof(fp));
	fp.pfx = *pfx;
	if (fr == NULL || (fd = bgp_rib_lookup(fr, &fp)) == NULL || fd->best == NULL)
		return NULL;
	bgp_attr_init(&a);
	bgp_attr_copy(&a, base);
	a.nexthop = fd->best->attr->nexthop;
	ia = bgp_attr_intern(&a);
	bgp_attr_clear(&a);
	out = ia;
	if (!rmap_apply(rmap, pfx, from->vrf_name, &out, weight))
		out = NULL;
	bgp_attr_unref(ia);
	(void)b;
	return out;
}

/* One VPN path vp of vd into VRF b: its source is part of the imported
 * path's identity (the VPN path's peer, or the local VRF it was exported
 * from: then that instance is origin_bgp, its next hop lives there), so
 * that equal paths of one VPN route from several PEs land as several paths
 * (multipath). false: the route-map denied it. */
static bool import_path(struct bgp *b, struct bgp_rib *vr, const struct bgp_dest *vd,
			const struct bgp_path *vp, struct vd_src *id)
{
	struct bgp_rib_src src = { BGP_SRC_IMPORTED, vp->peer, bgp_default_instance(),
				   (const struct bgp_path *)(const void *)vd };
	const char *rmap = b->rmap_vpn_import[af_index(vd->p.pfx.af)];
	struct bgp *from = local_origin(vp);
	const struct bgp_attr *ia;
	uint32_t weight = 0;
	struct bgp_nlri n;
	int i;

	memset(&n, 0, sizeof(n));
	n.p.pfx = vd->p.pfx;
	if (from != NULL) {
		ia = leak_attr(b, from, &vd->p.pfx, vp->attr, rmap, &weight);
		src.origin_bgp = from;
	} else {
		ia = vp->attr;
		if (!rmap_apply(rmap, &vd->p.pfx, NULL, &ia, &weight))
			ia = NULL;
		n.nlabels = vp->nlabels;
		for (i = 0; i < vp->nlabels && i < BGP_MAX_LABELS; i++)
			n.labels[i] = vp->labels[i];
	}
	if (ia == NULL)
		return false;
	bgp_rib_update(vr, &src, &n, ia, weight);
	bgp_attr_unref(ia);
	id->peer = src.peer;
	id->origin_bgp = src.origin_bgp;
	return true;
}

/* The identity of an imported path is the VPN dest it comes from and the
 * source of the VPN path (the dest pointer is compared, never followed, and
 * the paths are withdrawn before that dest is freed: the VPN change hook
 * runs first). The VPN table marks multipath (every equal path of a dest,
 * e.g. the same RD from two PEs in a full mesh) and changes to those paths
 * run its hooks, so the best path and the multipath ones are imported; the
 * VRF's own decision and `maximum-paths` then choose among them. */
static bool import_one(struct bgp *b, const struct bgp_dest *vd)
{
	struct bgp_rib *vr = rib_of(b, uni_af(vd->p.pfx.af));
	struct vd_src keep[16];
	const struct bgp_path *vp;
	struct bgp_prefix pfx;
	int nkeep = 0;

	if (vr == NULL)
		return false;
	memset(&pfx, 0, sizeof(pfx));
	pfx.pfx = vd->p.pfx;
	/* the checks explain shows, in one place */
	if (vpn_import_check(b, vd, NULL) != VPN_IMPORT_OK) {
		withdraw_vd(vr, vd, &pfx);
		return false;
	}
	for (vp = vd->paths; vp != NULL && nkeep < 16; vp = vp->next) {
		if (vp != vd->best &&
		    (!(vp->flags & (BGP_PATH_MULTIPATH | BGP_PATH_BACKUP)) ||
		     !(vp->flags & BGP_PATH_VALID) ||
		     vp->origin_bgp == b || !rt_match(vp->attr, &b->vrf->rt_import)))
			continue;
		if (import_path(b, vr, vd, vp, &keep[nkeep]))
			nkeep++;
	}
	withdraw_vd_except(vr, vd, &pfx, keep, nkeep);
	return true; /* concerned: the route targets match (even if a route-map denied) */
}

/* Whether VRF b imports VPN route vd (before its route-map): import_one's
 * gate and `explain`'s words (the route-map is applied by the caller). */
enum vpn_import_verdict vpn_import_check(const struct bgp *b, const struct bgp_dest *vd,
					 struct ecomm *matched)
{
	const struct bgp_path *best = vd->best;
	const struct bgp_attr *a;
	int i;

	if (b->rib[uni_af(vd->p.pfx.af)] == NULL)
		return VPN_IMPORT_NO_RIB;
	if (best == NULL)
		return VPN_IMPORT_NO_BEST;
	if (!b->import_vpn || b->vrf == NULL)
		return VPN_IMPORT_DISABLED;
	if (best->origin_bgp == b)
		return VPN_IMPORT_OWN_EXPORT;
	if (!(best->flags & BGP_PATH_VALID))
		return VPN_IMPORT_INVALID;
	if (!rt_match(best->attr, &b->vrf->rt_import))
		return VPN_IMPORT_NO_RT;
	for (i = 0, a = best->attr; matched != NULL && i < a->necomms; i++)
		if (a->ecomms[i].b[1] == ECOMM_SUB_RT && a->ecomms[i].b[0] <= 0x02 &&
		    rt_set_has(&b->vrf->rt_import, &a->ecomms[i])) {
			*matched = a->ecomms[i];
			break;
		}
	return VPN_IMPORT_OK;
}

/* Which VRFs a VPN route concerns, without asking all of them: an index
 * from import route target to the VRF instances importing it (rebuilt after
 * any VRF or RT change), and, per VPN dest that some VRF imported, the
 * attributes it was imported with (a reference), so that a VRF imported
 * under the old route targets is found again when they change or the
 * route goes. A route update then costs its route targets' VRFs, not every
 * VRF: 1,000 VRFs made 1M paths cost a billion withdrawal lookups. */

static uint64_t rt_key(const struct ecomm *e)
{
	uint64_t k;

	memcpy(&k, e->b, 8);
	return k | 1; /* never 0 (map's empty key); type/subtype make it unique anyway */
}

static void rt_index_build(void)
{
	struct bgp *b;
	int i;

	map_free(&vx.rt);
	vx.nent = 0;
	for (b = bgp_first(); b != NULL; b = bgp_next(b)) {
		if (b->vrf == NULL)
			continue;
		for (i = 0; i < b->vrf->rt_import.count; i++) {
			uint64_t k = rt_key(&b->vrf->rt_import.rt[i]), *head = map_find(&vx.rt, k);

			if (vx.nent == vx.cap) {
				vx.cap = vx.cap ? vx.cap * 2 : 64;
				vx.ent = xrealloc(vx.ent, vx.cap * sizeof(*vx.ent));
			}
			vx.ent[vx.nent].b = b;
			vx.ent[vx.nent].next = head != NULL ? (uint32_t)*head : 0;
			vx.nent++;
			map_put(&vx.rt, k, vx.nent);
		}
	}
	vx.valid = true;
}

/* Imports vd into every not yet visited VRF that a route target of a
 * concerns; true if one of them holds it now. */
static bool import_by_rts(const struct bgp_attr *a, const struct bgp_dest *vd)
{
	bool any = false;
	int i;

	for (i = 0; a != NULL && i < a->necomms; i++) {
		uint64_t *head;
		uint32_t e;

		if (a->ecomms[i].b[1] != ECOMM_SUB_RT || a->ecomms[i].b[0] > 0x02 ||
		    (head = map_find(&vx.rt, rt_key(&a->ecomms[i]))) == NULL)
			continue;
		for (e = (uint32_t)*head; e != 0; e = vx.ent[e - 1].next) {
			struct bgp *b = vx.ent[e - 1].b;

			if (b->vpn_gen == vx.gen)
				continue;
			b->vpn_gen = vx.gen;
			any |= import_one(b, vd);
		}
	}
	return any;
}

static void imported_set(const struct bgp_dest *vd, const struct bgp_attr *a)
{
	uint64_t k = (uint64_t)(uintptr_t)vd, *v = map_find(&vx.imported, k);
	const struct bgp_attr *old = v != NULL ? (const struct bgp_attr *)(uintptr_t)*v : NULL;

	if (old == a)
		return;
	if (a != NULL) {
		bgp_attr_ref(a);
		map_put(&vx.imported, k, (uint64_t)(uintptr_t)a);
	} else {
		map_del(&vx.imported, k);
	}
	if (old != NULL)
		bgp_attr_unref(old);
}

void vpn_leak_to_vrf_update(const struct bgp_dest *vd)
{
	uint64_t *v = map_find(&vx.imported, (uint64_t)(uintptr_t)vd);
	const struct bgp_attr *old = v != NULL ? (const struct bgp_attr *)(uintptr_t)*v : NULL;
	const struct bgp_attr *now = vd->best != NULL ? vd->best->attr : NULL;
	bool any;

	if (!vx.valid)
		rt_index_build();
	if (++vx.gen == 0) { /* wrapped: no instance may keep a stale mark */
		struct bgp *b;

		for (b = bgp_first(); b != NULL; b = bgp_next(b))
			b->vpn_gen = 0;
		vx.gen = 1;
	}
	/* VRFs of the old route targets first (withdrawn there if the new best
	 * no longer goes there, else updated), then those of the new ones */
	any = old != NULL && import_by_rts(old, vd);
	any |= import_by_rts(now, vd);
	imported_set(vd, any ? now : NULL);
}

static void reimport_one(struct bgp_dest *d, void *arg)
{
	if (import_one(arg, d) && d->best != NULL) {
		uint64_t *v = map_find(&vx.imported, (uint64_t)(uintptr_t)d);

		if (v == NULL)
			imported_set(d, d->best->attr);
	}
}

void vpn_vrf_reimport(struct bgp *b)
{
	struct bgp_rib *vpn = rib_of(bgp_default_instance(), BGP_AF_VPNV4);

	vx.valid = false; /* its import route targets may have changed */
	if (vpn != NULL)
		bgp_rib_walk(vpn, reimport_one, b);
	if ((vpn = rib_of(bgp_default_instance(), BGP_AF_VPNV6)) != NULL)
		bgp_rib_walk(vpn, reimport_one, b);
}

static void vrf_leak_refresh(struct bgp *a);

void vpn_vrf_refresh(struct bgp *b)
{
	struct bgp *a;

	vpn_vrf_reexport(b);
	vpn_vrf_reimport(b);
	/* its import vrf list, or the export policy others leak through */
	for (a = bgp_first(); a != NULL; a = bgp_next(a))
		vrf_leak_refresh(a);
}

/* ---- VRF -> VRF on this PE (`import vrf NAME`) ---- */

static bool imports_vrf(const struct bgp *a, const struct bgp *from, int fi)
{
	int i;

	for (i = 0; i < a->nimport_vrf[fi]; i++)
		if (strcmp(a->import_vrf[fi][i], from->vrf_name) == 0)
			return true;
	return false;
}

/* from's best path for pfx into a: from's export policy, then a's `import
 * vrf route-map` (else its `route-map vpn import`), as if through the VPN
 * table. Imported paths of from are not leaked again. */
static void vrf_leak_one(struct bgp *a, struct bgp *from, const struct prefix *pfx,
			 const struct bgp_path *best)
{
	struct bgp_rib *ar = rib_of(a, uni_af(pfx->af));
	struct bgp_rib_src src = { BGP_SRC_IMPORTED, NULL, from, NULL };
	int fi = af_index(pfx->af);
	const char *rmap = a->rmap_import_vrf[fi][0] ? a->rmap_import_vrf[fi] : a->rmap_vpn_import[fi];
	const struct bgp_attr *ea, *ia;
	uint32_t weight = 0;
	struct bgp_nlri n;

	if (ar == NULL)
		return;
	memset(&n, 0, sizeof(n));
	n.p.pfx = *pfx;
	if (best == NULL || best->src == BGP_SRC_IMPORTED || !(best->flags & BGP_PATH_VALID) ||
	    a == from || a->vrf == NULL || from->vrf == NULL || !imports_vrf(a, from, fi)) {
		bgp_rib_withdraw(ar, &src, &n.p);
		return;
	}
	ea = best->attr;
	if (!rmap_apply(from->rmap_vpn_export[fi], pfx, from->vrf_name, &ea, &weight)) {
		bgp_rib_withdraw(ar, &src, &n.p);
		return;
	}
	ia = ea;
	weight = 0;
	if (!rmap_apply(rmap, pfx, from->vrf_name, &ia, &weight))
		ia = NULL;
	bgp_attr_unref(ea);
	if (ia == NULL) {
		bgp_rib_withdraw(ar, &src, &n.p);
		return;
	}
	if (a->vpn != NULL)
		((struct vpn_state *)a->vpn)->vrf_leaks = true;
	bgp_rib_update(ar, &src, &n, ia, weight);
	bgp_attr_unref(ia);
}

void vpn_leak_vrf_update(struct bgp *from, const struct prefix *pfx, const struct bgp_path *best)
{
	int fi = af_index(pfx->af);
	struct bgp *a;

	if (from->vrf == NULL)
		return;
	for (a = bgp_first(); a != NULL; a = bgp_next(a))
		if (a->vrf != NULL && a != from && imports_vrf(a, from, fi))
			vrf_leak_one(a, from, pfx, best);
}

struct leak_coll {
	struct bgp *from;  /* NULL: every leaked path */
	const struct bgp *keep; /* instance whose import list decides (NULL: none kept) */
	int fi;
	struct bgp_rib_src *v;
	struct prefix *p;
	size_t n, cap;
};

static void leak_coll_fn(struct bgp_dest *d, void *arg)
{
	struct leak_coll *c = arg;
	struct bgp_path *q;

	for (q = d->paths; q != NULL; q = q->next) {
		if (q->src != BGP_SRC_IMPORTED || q->origin != NULL || q->origin_bgp == NULL ||
		    (c->from != NULL && q->origin_bgp != c->from))
			continue;
		if (c->keep != NULL && imports_vrf(c->keep, q->origin_bgp, c->fi))
			continue;
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 16;
			c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
			c->p = xrealloc(c->p, c->cap * sizeof(*c->p));
		}
		c->v[c->n].src = BGP_SRC_IMPORTED;
		c->v[c->n].peer = NULL;
		c->v[c->n].origin_bgp = q->origin_bgp;
		c->v[c->n].origin = NULL;
		c->p[c->n++] = d->p.pfx;
	}
}

/* Withdraws from a the direct leaks of `from` (NULL: of any instance a no
 * longer imports). */
static void vrf_leak_withdraw(struct bgp *a, struct bgp *from)
{
	static const enum bgp_af afs[] = { BGP_AF_IPV4_UNICAST, BGP_AF_IPV6_UNICAST };
	size_t k, i;

	for (k = 0; k < 2; k++) {
		struct bgp_rib *r = rib_of(a, afs[k]);
		struct leak_coll c;

		if (r == NULL)
			continue;
		memset(&c, 0, sizeof(c));
		c.from = from;
		c.keep = from == NULL ? a : NULL;
		c.fi = af_index(bgp_af_family(afs[k]));
		bgp_rib_walk(r, leak_coll_fn, &c);
		for (i = 0; i < c.n; i++) {
			struct bgp_prefix bp;

			memset(&bp, 0, sizeof(bp));
			bp.pfx = c.p[i];
			bgp_rib_withdraw(r, &c.v[i], &bp);
		}
		free(c.v);
		free(c.p);
	}
}

/* Re-evaluates every direct leak into a (its import list or a policy
 * changed). */
static void vrf_leak_refresh(struct bgp *a)
{
	static const enum bgp_af afs[] = { BGP_AF_IPV4_UNICAST, BGP_AF_IPV6_UNICAST };
	struct vpn_state *vs = a->vpn;
	size_t k, i;
	int j;

	if (a->vrf == NULL || vs == NULL ||
	    (!vs->vrf_leaks && a->nimport_vrf[0] == 0 && a->nimport_vrf[1] == 0))
		return;
	vrf_leak_withdraw(a, NULL);
	for (k = 0; k < 2; k++) {
		int fi = af_index(bgp_af_family(afs[k]));

		for (j = 0; j < a->nimport_vrf[fi]; j++) {
			struct bgp *from = bgp_lookup(a->import_vrf[fi][j]);
			struct bgp_rib *fr = rib_of(from, afs[k]);
			struct bgp_prefix *v = NULL;
			size_t n = 0, cap = 0;

			if (fr == NULL || from == a)
				continue;
			/* a snapshot: leaking may change from's table (reverse leaks) */
			vpn_collect_all(fr, &v, &n, &cap);
			for (i = 0; i < n; i++) {
				struct bgp_dest *d = bgp_rib_lookup(fr, &v[i]);

				vrf_leak_one(a, from, &v[i].pfx, d != NULL ? d->best : NULL);
			}
			free(v);
		}
	}
}

/* Instance b goes away: nothing leaked from it stays anywhere. */
void vpn_vrf_leak_withdraw(struct bgp *b)
{
	struct bgp *a;

	for (a = bgp_first(); a != NULL; a = bgp_next(a))
		if (a != b && a->vrf != NULL)
			vrf_leak_withdraw(a, b);
}

/* Every attachment point of policy (route-map vpn import|export, import vrf
 * route-map) and every import vrf, evaluated again without withdrawing
 * first (no churn for what did not change). */
static bool uses_policy(const struct bgp *b)
{
	int i;

	for (i = 0; i < AFI_COUNT; i++)
		if (b->rmap_vpn_import[i][0] || b->rmap_vpn_export[i][0] || b->rmap_import_vrf[i][0])
			return true;
	return false;
}

void vpn_policy_changed(void)
{
	struct bgp *b;

	/* only the VRFs that use a route-map: the others' results cannot change */
	for (b = bgp_first(); b != NULL; b = bgp_next(b)) {
		struct reexport_ctx c = { b, false };

		if (b->vrf == NULL || !uses_policy(b))
			continue;
		if (rib_of(b, BGP_AF_IPV4_UNICAST) != NULL)
			bgp_rib_walk(rib_of(b, BGP_AF_IPV4_UNICAST), reexport_one, &c);
		if (rib_of(b, BGP_AF_IPV6_UNICAST) != NULL)
			bgp_rib_walk(rib_of(b, BGP_AF_IPV6_UNICAST), reexport_one, &c);
	}
	for (b = bgp_first(); b != NULL; b = bgp_next(b))
		if (b->vrf != NULL && uses_policy(b))
			vpn_vrf_reimport(b);
	for (b = bgp_first(); b != NULL; b = bgp_next(b))
		if (uses_policy(b) || b->nimport_vrf[0] || b->nimport_vrf[1])
			vrf_leak_refresh(b); /* the exporting VRF's map applies too */
}
