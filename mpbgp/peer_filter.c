/* The routing policy engine (policy.h) at the BGP attachment points, one
 * evaluation for all of them (as OpenBGPD's rde_filter.c):
 *
 * - neighbor inbound (FRR's bgp_input_filter then the route-map): the
 *   prefix-list, then the filter-list (AS path), then the route-map on a
 *   template copy of what was received; the peer's address stands for
 *   `set ip next-hop peer-address`. A denied route stays in the Adj-RIB-In
 *   (rib.c flags it) so that a later policy change re-evaluates it
 *   without asking the peer (soft reconfiguration inbound);
 * - neighbor outbound, after the default export rules (adjout.c): the
 *   prefix-list and filter-list look at the best path as it is (FRR's
 *   bgp_output_filter), the route-map at the export template; our session
 *   address stands for `peer-address`;
 * - `network P route-map` and `redistribute ... route-map`: the route-map
 *   on the locally originated template.
 *
 * Names that do not exist: a route-map denies, a list denies (policy.h).
 * A change of a policy object re-runs everything that uses policy; a
 * change of one attachment only that neighbor and family. */
#include "config.h"

#include <string.h>

#include "mpbgp/bgp_cfg.h"
#include "mpbgp/peer_filter.h"
#include "mpbgp/policy.h"
#include "mpbgp/rib.h"
#include "mpbgp/speaker.h"
#include "mpbgp/vpn.h"

bool bgp_peer_has_policy(const struct bgp_peer *p, enum bgp_af af, enum bgp_dir dir)
{
	const struct bgp_peer_filter *f = &p->cfg.filter[af];

	return f->route_map[dir][0] != '\0' || f->prefix_list[dir][0] != '\0' ||
	       f->filter_list[dir][0] != '\0';
}

bool bgp_ebgp_policy_missing(const struct bgp_peer *p, enum bgp_af af, enum bgp_dir dir)
{
	return p->bgp != NULL && p->bgp->ebgp_requires_policy && bgp_peer_ebgp(p, p->bgp->asn) &&
	       !bgp_peer_has_policy(p, af, dir);
}

bool bgp_policy_in(struct bgp_peer *p, enum bgp_af af, const struct bgp_prefix *pfx,
		   const struct bgp_attr *in, const struct bgp_attr **out, uint32_t *weight,
		   void *arg)
{
	const struct bgp_peer_filter *f = &p->cfg.filter[af];
	const struct bgp_attr *ia;
	bool exists, nh_unchanged;

	(void)arg;
	*out = NULL;
	*weight = 0;
	if (bgp_ebgp_policy_missing(p, af, BGP_DIR_IN)) /* RFC 8212 */
		return false;
	if (f->prefix_list[BGP_DIR_IN][0] != '\0' &&
	    policy_prefix_list_apply(f->prefix_list[BGP_DIR_IN], &pfx->pfx, &exists) == POLICY_DENY)
		return false;
	if (f->filter_list[BGP_DIR_IN][0] != '\0' &&
	    policy_as_path_apply(f->filter_list[BGP_DIR_IN], in, &exists) == POLICY_DENY)
		return false;
	if (f->route_map[BGP_DIR_IN][0] == '\0')
		return true;
	if (policy_route_map_apply_interned(f->route_map[BGP_DIR_IN], &pfx->pfx, in, &p->cfg.addr,
					    NULL, &ia, weight, &nh_unchanged) == POLICY_DENY)
		return false;
	if (ia == in)
		bgp_attr_unref(ia); /* nothing changed: no second copy kept */
	else
		*out = ia;
	return true;
}

void bgp_policy_ingest(struct bgp_rib *rib, struct bgp_peer *p, bool policy,
		       const struct bgp_nlri *n, const struct bgp_attr *ia)
{
	struct bgp_rib_src src = { BGP_SRC_PEER, p, NULL, NULL };
	const struct bgp_attr *out = NULL;
	uint32_t weight = 0;
	bool permit;

	if (!policy) {
		bgp_rib_update(rib, &src, n, ia, 0);
		return;
	}
	permit = bgp_policy_in(p, bgp_rib_af(rib), &n->p, ia, &out, &weight, NULL);
	bgp_rib_update_in(rib, &src, n, out != NULL ? out : ia, out != NULL ? ia : NULL, weight,
			  !permit);
	if (out != NULL)
		bgp_attr_unref(out);
}

bool bgp_policy_out(struct bgp_peer *p, enum bgp_af af, const struct bgp_prefix *pfx,
		    const struct bgp_attr *orig, struct bgp_attr *out)
{
	const struct bgp_peer_filter *f = &p->cfg.filter[af];
	struct policy_route r;
	bool exists;

	if (f->prefix_list[BGP_DIR_OUT][0] != '\0' &&
	    policy_prefix_list_apply(f->prefix_list[BGP_DIR_OUT], &pfx->pfx, &exists) == POLICY_DENY)
		return false;
	if (f->filter_list[BGP_DIR_OUT][0] != '\0' &&
	    policy_as_path_apply(f->filter_list[BGP_DIR_OUT], orig, &exists) == POLICY_DENY)
		return false;
	if (f->route_map[BGP_DIR_OUT][0] == '\0')
		return true;
	memset(&r, 0, sizeof(r));
	r.pfx = &pfx->pfx;
	r.attr = out;
	r.peer_addr = &p->local_addr;
	if (policy_route_map_apply(f->route_map[BGP_DIR_OUT], &r, NULL) == POLICY_DENY)
		return false;
	if (r.nexthop_unchanged)
		out->nexthop = orig->nexthop;
	return true;
}

bool bgp_policy_local(const char *route_map, const struct bgp_prefix *pfx, struct bgp_attr *a,
		      uint32_t *weight)
{
	struct policy_route r;

	if (route_map == NULL || route_map[0] == '\0')
		return true;
	memset(&r, 0, sizeof(r));
	r.pfx = &pfx->pfx;
	r.attr = a;
	r.weight = weight;
	return policy_route_map_apply(route_map, &r, NULL) == POLICY_PERMIT;
}

void bgp_policy_soft(struct bgp_peer *p, enum bgp_af af, bool in, bool out)
{
	struct bgp_rib *rib = p->bgp->rib[af];

	if (rib == NULL)
		return;
	/* a peer whose inbound policy went away still has paths to restore */
	if (in && (bgp_peer_has_policy(p, af, BGP_DIR_IN) || bgp_ebgp_policy_missing(p, af, BGP_DIR_IN) ||
		   bgp_rib_peer_policy_count(rib, p) > 0))
		bgp_rib_reeval_peer(rib, p, bgp_policy_in, NULL);
	if (out && p->state == BGP_ST_ESTABLISHED && p->af_nego[af])
		bgp_adjout_refresh(rib, p);
}

static bool local_policy_used(const struct bgp *b)
{
	const struct bgp_network *n;
	int i, k;

	for (n = b->networks; n != NULL; n = n->next)
		if (n->route_map[0] != '\0')
			return true;
	for (k = 0; k < 2; k++)
		for (i = 0; i < AFI_COUNT; i++)
			if (b->redist_rmap[k][i][0] != '\0')
				return true;
	return false;
}

void bgp_policy_changed(void)
{
	struct bgp *b;
	struct bgp_peer *p;
	int af;

	for (b = bgp_first(); b != NULL; b = bgp_next(b)) {
		for (p = b->peers; p != NULL; p = p->next)
			for (af = 0; af < BGP_AF_MAX; af++)
				bgp_policy_soft(p, (enum bgp_af)af, true,
						bgp_peer_has_policy(p, (enum bgp_af)af, BGP_DIR_OUT));
		if (local_policy_used(b))
			speaker_redistribute_refresh(b);
	}
	vpn_policy_changed(); /* route-map vpn import|export, import vrf route-map */
}
