/* BGP best-path comparator: one pure function that orders two paths of the
 * same destination and says which step decided. RFC 4271 9.1.2.2 with the
 * customary tie-breaks (weight, locally originated, IGP metric, router id,
 * cluster list length, peer address) in FRR's order, RFC 4456 9 for
 * reflected routes. No state, no allocation, no I/O.
 *
 * RFC
 * ===
 * RFC 4271 9.1.2.2 (Breaking Ties), applied in order among paths with
 * equal degree of preference:
 *   a) remove routes whose AS_PATH is not the shortest (an AS_SET counts 1);
 *   b) remove routes whose ORIGIN is not the lowest;
 *   c) remove routes whose MULTI_EXIT_DISC is not the lowest, comparing only
 *      routes learned from the same neighboring AS (a missing MED is the
 *      lowest possible value, 0);
 *   d) prefer routes learned by eBGP over routes learned by iBGP;
 *   e) remove routes whose interior cost to the NEXT_HOP is not the lowest;
 *   f) prefer the route from the BGP speaker with the lowest BGP Identifier;
 *   g) prefer the route from the lowest peer address.
 * RFC 4456 9: the ORIGINATOR_ID is used as the BGP Identifier in f) when
 * present, and the shorter CLUSTER_LIST wins before g).
 * RFC 5065 5.3: confederation segments do not count in a).
 *
 * Our implementation
 * ==================
 * Before the steps: a path without BGP_PATH_VALID never wins, and a path
 * with the LLGR_STALE community loses to any without (RFC 9494 4.2).
 *   1. highest weight (local, never on the wire)
 *   2. highest LOCAL_PREF (100 when absent)
 *   3. locally originated (BGP_SRC_LOCAL) over everything else
 *   4. shortest AS_PATH (SET = 1, CONFED_SEQUENCE/CONFED_SET = 0)
 *   5. lowest ORIGIN (IGP < EGP < INCOMPLETE)
 *   6. lowest MED, only between paths whose first AS is the same, unless
 *      always-compare-med; missing MED = 0
 *   7. eBGP over iBGP (a non-peer path counts as iBGP here)
 *   8. lowest IGP metric to the next hop
 *   9. lowest router id: ORIGINATOR_ID when present, else the peer's BGP
 *      Identifier (0 for local paths)
 *  10. shortest CLUSTER_LIST
 *  11. lowest peer address (local paths count as 0.0.0.0)
 * Not done: FRR's "Older Path" step between eBGP paths (FRR keeps the older
 * one unless `bgp bestpath compare-routerid`); we always go on to the router
 * id as RFC 4271 does, so the result does not depend on arrival order.
 * No confederation "Confed Peer Type" step.
 *
 * Multipath (bgp_path_multipath_eq, FRR's `maximum-paths`): a path joins the
 * best one when the comparison got past the IGP metric (steps 1-8 equal:
 * weight, LOCAL_PREF, local route, AS_PATH length, ORIGIN, MED, peer type,
 * IGP metric), both or neither carry labels, and, as FRR does without
 * `bgp bestpath as-path multipath-relax`: iBGP paths (imported VPN paths
 * count as iBGP) have the same AS_PATH, eBGP paths come from the same
 * neighbouring AS. Locally originated paths never share. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "mpbgp/rib.h"

#define DEFAULT_LOCAL_PREF 100

/* RFC 4271 9.1.2.2 a) on the wire form (4-octet ASNs); malformed tails are
 * ignored (the decoder already refused them). */
static int aspath_len(const struct bgp_attr *a)
{
	int n = 0;
	size_t off = 0;

	if (a == NULL || a->aspath == NULL)
		return 0;
	while (off + 2 <= a->aspath_len) {
		uint8_t type = a->aspath[off];
		uint8_t cnt = a->aspath[off + 1];

		if (type == BGP_ASPATH_SEQUENCE)
			n += cnt;
		else if (type == BGP_ASPATH_SET)
			n += 1;
		/* RFC 5065 5.3: confederation segments count 0 */
		off += 2 + (size_t)cnt * 4;
	}
	return n;
}

/* First AS of the path: the neighboring AS for the MED rule. */
static uint32_t aspath_neighbor(const struct bgp_attr *a)
{
	size_t off = 0;

	if (a == NULL || a->aspath == NULL)
		return 0;
	while (off + 2 <= a->aspath_len) {
		uint8_t type = a->aspath[off];
		uint8_t cnt = a->aspath[off + 1];
		const uint8_t *p = a->aspath + off + 2;

		if (type == BGP_ASPATH_SEQUENCE && cnt > 0 && off + 6 <= a->aspath_len)
			return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		if (type == BGP_ASPATH_SET)
			return 0;
		off += 2 + (size_t)cnt * 4; /* skip confederation segments */
	}
	return 0;
}

static uint32_t local_pref(const struct bgp_attr *a)
{
	if (a->present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF))
		return a->local_pref;
	return DEFAULT_LOCAL_PREF;
}

static uint32_t med(const struct bgp_attr *a)
{
	return (a->present & BGP_ATTR_BIT(BGP_ATTR_MED)) ? a->med : 0;
}

static bool path_ebgp(const struct bgp_path *p, const struct bgp_decide_ctx *ctx)
{
	return p->src == BGP_SRC_PEER && p->peer != NULL && p->peer->cfg.remote_as != ctx->local_as;
}

static uint32_t path_router_id(const struct bgp_path *p)
{
	if (p->attr->present & BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID))
		return p->attr->originator_id;
	return p->peer != NULL ? p->peer->remote_id : 0;
}

static uint32_t path_cluster_len(const struct bgp_path *p)
{
	if (p->attr->present & BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST))
		return p->attr->ncluster;
	return 0;
}

/* RFC 4271 9.1.2.2 g): the lower peer address; IPv4 before IPv6, none
 * (local paths) lowest. */
static int peer_addr_cmp(const struct bgp_path *a, const struct bgp_path *b)
{
	static const struct ipaddr none;
	const struct ipaddr *x = a->peer != NULL ? &a->peer->cfg.addr : &none;
	const struct ipaddr *y = b->peer != NULL ? &b->peer->cfg.addr : &none;

	if (x->af != y->af)
		return x->af == 0 ? -1 : y->af == 0 ? 1 : x->af == AF_INET ? -1 : 1;
	return x->af == 0 ? 0 : ipaddr_cmp(x, y);
}

#define PREFER_LOWER(x, y, why)                    \
	do {                                       \
		if ((x) != (y)) {                  \
			*reason = (why);           \
			return (x) < (y) ? -1 : 1; \
		}                                  \
	} while (0)

int bgp_path_cmp(const struct bgp_path *a, const struct bgp_path *b,
		 const struct bgp_decide_ctx *ctx, enum bgp_select_reason *reason)
{
	enum bgp_select_reason dummy;
	bool va, vb;

	if (reason == NULL)
		reason = &dummy;
	*reason = BGP_SEL_NONE;
	if (a == b)
		return 0;

	/* 0. invalid paths never win */
	va = (a->flags & BGP_PATH_VALID) != 0;
	vb = (b->flags & BGP_PATH_VALID) != 0;
	if (va != vb)
		return va ? -1 : 1;

	/* 0b. RFC 9494 4.2: a long-lived stale route (LLGR_STALE, also on
	 * the copies imported into VRFs) is the least preferred */
	PREFER_LOWER(bgp_attr_has_comm(a->attr, BGP_COMM_LLGR_STALE),
		     bgp_attr_has_comm(b->attr, BGP_COMM_LLGR_STALE), BGP_SEL_LLGR);

	/* 1. weight: higher wins */
	PREFER_LOWER(b->weight, a->weight, BGP_SEL_WEIGHT);

	/* 2. LOCAL_PREF: higher wins, 100 when absent */
	PREFER_LOWER(local_pref(b->attr), local_pref(a->attr), BGP_SEL_LOCAL_PREF);

	/* 3. locally originated over learned */
	PREFER_LOWER(a->src != BGP_SRC_LOCAL, b->src != BGP_SRC_LOCAL, BGP_SEL_LOCAL_ROUTE);

	/* 4. AS_PATH length: shorter wins (RFC 4271 9.1.2.2 a) */
	PREFER_LOWER(aspath_len(a->attr), aspath_len(b->attr), BGP_SEL_AS_PATH);

	/* 5. ORIGIN: IGP < EGP < INCOMPLETE (b) */
	PREFER_LOWER(a->attr->origin, b->attr->origin, BGP_SEL_ORIGIN);

	/* 6. MED: lower wins, same neighbor AS only unless always-compare-med (c) */
	if (ctx->always_compare_med || aspath_neighbor(a->attr) == aspath_neighbor(b->attr))
		PREFER_LOWER(med(a->attr), med(b->attr), BGP_SEL_MED);

	/* 7. eBGP over iBGP (d) */
	PREFER_LOWER(!path_ebgp(a, ctx), !path_ebgp(b, ctx), BGP_SEL_EBGP);

	/* 8. IGP metric to the next hop: lower wins (e) */
	PREFER_LOWER(a->igp_metric, b->igp_metric, BGP_SEL_IGP_METRIC);

	/* 9. router id, ORIGINATOR_ID when present (f; RFC 4456 9) */
	PREFER_LOWER(path_router_id(a), path_router_id(b), BGP_SEL_ROUTER_ID);

	/* 10. CLUSTER_LIST length: shorter wins (RFC 4456 9) */
	PREFER_LOWER(path_cluster_len(a), path_cluster_len(b), BGP_SEL_CLUSTER_LEN);

	/* 11. peer address: lower wins (g) */
	PREFER_LOWER(peer_addr_cmp(a, b), 0, BGP_SEL_PEER_ADDR);

	return 0;
}

static bool aspath_same(const struct bgp_attr *a, const struct bgp_attr *b)
{
	if (a->aspath_len != b->aspath_len)
		return false;
	return a->aspath_len == 0 || memcmp(a->aspath, b->aspath, a->aspath_len) == 0;
}

bool bgp_path_multipath_eq(const struct bgp_path *p, const struct bgp_path *best,
			   const struct bgp_decide_ctx *ctx)
{
	enum bgp_select_reason r;
	int c;

	if (p == best || !(p->flags & BGP_PATH_VALID) || !(best->flags & BGP_PATH_VALID) ||
	    p->src == BGP_SRC_LOCAL || best->src == BGP_SRC_LOCAL)
		return false;
	c = bgp_path_cmp(p, best, ctx, &r);
	if (c != 0 && r < BGP_SEL_ROUTER_ID)
		return false;
	if ((p->nlabels > 0) != (best->nlabels > 0))
		return false;
	if (path_ebgp(p, ctx) != path_ebgp(best, ctx))
		return false;
	if (path_ebgp(p, ctx))
		return p->peer->cfg.remote_as == best->peer->cfg.remote_as;
	return aspath_same(p->attr, best->attr);
}

/* FRR's words (bgp_path_selection_reason2str) for bestpath.selectionReason. */
const char *bgp_select_reason_str(enum bgp_select_reason r)
{
	static const char *const names[BGP_SEL_MAX] = {
		[BGP_SEL_NONE] = "First path received",
		[BGP_SEL_LLGR] = "LLGR stale",
		[BGP_SEL_WEIGHT] = "Weight",
		[BGP_SEL_LOCAL_PREF] = "Local Pref",
		[BGP_SEL_LOCAL_ROUTE] = "Local Route",
		[BGP_SEL_AS_PATH] = "AS Path",
		[BGP_SEL_ORIGIN] = "Origin",
		[BGP_SEL_MED] = "MED",
		[BGP_SEL_EBGP] = "Peer Type",
		[BGP_SEL_IGP_METRIC] = "IGP Metric",
		[BGP_SEL_ROUTER_ID] = "Router ID",
		[BGP_SEL_CLUSTER_LEN] = "Cluster length",
		[BGP_SEL_PEER_ADDR] = "Neighbor IP",
	};

	if ((unsigned)r >= BGP_SEL_MAX)
		return "Nothing to Select";
	return names[r];
}
