/* Where the routing policy engine (policy.h) is applied to BGP routes:
 * neighbor inbound and outbound, network and redistribute (peer_filter.c). */
#ifndef PE_BGP_PEER_FILTER_H
#define PE_BGP_PEER_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "mpbgp/bgp.h"

/* peer_filter.c */
bool bgp_peer_has_policy(const struct bgp_peer *p, enum bgp_af af, enum bgp_dir dir);
/* RFC 8212: p is an eBGP neighbor without policy in af/dir while its
 * instance has `bgp ebgp-requires-policy` (the default): nothing passes. */
bool bgp_ebgp_policy_missing(const struct bgp_peer *p, enum bgp_af af, enum bgp_dir dir);
/* Inbound, FRR's order: prefix-list, filter-list, route-map (on a template
 * copy of in, with the peer's address for `set ip next-hop peer-address`).
 * false: denied. On permit *out is NULL when nothing changed, else the
 * interned result (a reference for the caller); *weight the path weight.
 * The signature is bgp_rib_in_fn's (rib.h). */
bool bgp_policy_in(struct bgp_peer *p, enum bgp_af af, const struct bgp_prefix *pfx,
		   const struct bgp_attr *in, const struct bgp_attr **out, uint32_t *weight,
		   void *arg);
/* One route received from p into rib; through bgp_policy_in when policy
 * (bgp_peer_has_policy: no template copy otherwise). */
struct bgp_rib;
void bgp_policy_ingest(struct bgp_rib *rib, struct bgp_peer *p, bool policy,
		       const struct bgp_nlri *n, const struct bgp_attr *ia);
/* Outbound, after the default export rules: prefix-list, filter-list,
 * route-map on the out template; orig is the best path's attributes (for
 * `set ip next-hop unchanged`). false: do not advertise. */
bool bgp_policy_out(struct bgp_peer *p, enum bgp_af af, const struct bgp_prefix *pfx,
		    const struct bgp_attr *orig, struct bgp_attr *out);
/* `network P route-map NAME`, `redistribute ... route-map NAME` on a
 * locally originated template. false: not originated. */
bool bgp_policy_local(const char *route_map, const struct bgp_prefix *pfx, struct bgp_attr *a,
		      uint32_t *weight);
/* Soft reconfiguration of peer in af: re-runs inbound policy over the kept
 * Adj-RIB-In (in), refreshes Adj-RIB-Out (out); no session reset. */
void bgp_policy_soft(struct bgp_peer *p, enum bgp_af af, bool in, bool out);
/* A policy object changed (policy_set_change_hook): every neighbor with
 * policy is re-evaluated, and local origination redone. */
void bgp_policy_changed(void);

#endif
