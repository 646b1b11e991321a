/* VRF <-> VPN leaking (vpn.c). */
#ifndef PE_BGP_VPN_H
#define PE_BGP_VPN_H

#include "mpbgp/bgp.h"

struct bgp_rib;

/* per VRF instance (bgp->vpn) */
/* u64 -> u64 open-addressing map (vpn.c private) */
struct vpn_map {
	uint64_t *keys, *vals; /* key 0 = empty */
	size_t cap, n;
};

struct vpn_state {
	mpls_label_t label; /* per-VRF label, MPLS_LABEL_NONE until allocated */
	bool label_auto;
	/* per-nexthop / per-prefix allocation: exported prefix -> label key,
	 * label key -> (refs << 32 | label) */
	struct vpn_map pfx_key, key_label;
};

void vpn_state_free(struct bgp *b);

mpls_label_t vpn_vrf_label(struct bgp *b);
void vpn_label_release(struct bgp *b);
/* VRF instance b's best path for pfx changed (best NULL: gone). */
void vpn_leak_from_vrf_update(struct bgp *b, const struct prefix *pfx,
			      const struct bgp_path *best);
/* The VPN best path of vd changed: every importing VRF re-evaluates it. */
void vpn_leak_to_vrf_update(const struct bgp_dest *vd);
void vpn_vrf_reexport(struct bgp *b);
void vpn_vrf_reimport(struct bgp *b);
void vpn_vrf_refresh(struct bgp *b);
void vpn_collect_origin(struct bgp_rib *rib, struct bgp *b, struct bgp_prefix **v, size_t *n,
			size_t *cap);

#endif
