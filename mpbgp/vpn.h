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
	bool vrf_leaks; /* direct leaks (`import vrf`) were made into this VRF */
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
/* Read-only, for `explain`: would VRF instance b import VPN dest vd, and if
 * not, the first check of import_one that refuses it; *matched (may be
 * NULL) gets the import route target that matched. */
enum vpn_import_verdict {
	VPN_IMPORT_OK,
	VPN_IMPORT_NO_RIB,     /* the instance has no table of that family */
	VPN_IMPORT_NO_BEST,    /* the VPN route has no valid path */
	VPN_IMPORT_DISABLED,   /* no `import vpn` */
	VPN_IMPORT_OWN_EXPORT, /* exported by this VRF: never imported back */
	VPN_IMPORT_INVALID,    /* best path not valid */
	VPN_IMPORT_NO_RT,      /* no route target in common */
};
enum vpn_import_verdict vpn_import_check(const struct bgp *b, const struct bgp_dest *vd,
					 struct ecomm *matched);
/* VRF instance from's best path for pfx changed: leak it into the VRFs of
 * this PE that `import vrf` it. */
void vpn_leak_vrf_update(struct bgp *from, const struct prefix *pfx,
			 const struct bgp_path *best);
/* Instance b goes away: its leaks into other VRFs are withdrawn. */
void vpn_vrf_leak_withdraw(struct bgp *b);
/* Route-maps changed (the policy engine's change hook) or a VRF's policy
 * attachment or import vrf list changed: re-runs export, import and VRF
 * leaking of every VRF instance, without withdrawing what stays. */
void vpn_policy_changed(void);
void vpn_collect_origin(struct bgp_rib *rib, struct bgp *b, struct bgp_prefix **v, size_t *n,
			size_t *cap);

#endif
