/* The running BGP speaker (speaker.c). */
#ifndef PE_BGP_SPEAKER_H
#define PE_BGP_SPEAKER_H

#include "mpbgp/bgp.h"

struct event_base;
struct vrf;
struct rib_dest;

/* VPN labels from the label manager; own says what each label does. */
struct speaker_label_ops {
	mpls_label_t (*alloc)(const struct label_owner *own);
	int (*alloc_specific)(mpls_label_t l, const struct label_owner *own, char *err,
			      size_t errlen);
	void (*release)(mpls_label_t l);
};

/* Before the configuration is read (commands need the hooks). */
void speaker_init(uint32_t (*router_id)(void), const struct speaker_label_ops *lops);
/* The address `update-source IFNAME` stands for (first non-loopback-net
 * address of IFNAME in vrf's namespace; 0 if none). */
void speaker_set_iface_addr_fn(uint32_t (*fn)(const struct vrf *vrf, const char *ifname));
/* The global IPv6 address of the interface of vrf that holds IPv4 address
 * v4 (next hop self for IPv6 routes over an IPv4 session); false if none. */
void speaker_set_iface_addr6_fn(bool (*fn)(const struct vrf *vrf, uint32_t v4, struct ipaddr *out));
/* After it was accepted: sessions start. */
void speaker_start(struct event_base *base);
/* pe/hitless.c: our restart completed (mpbgp/gr.h bgp_gr_restart_done). */
void speaker_restart_done(void);
/* pe/hitless.c: ped exits keeping forwarding: sessions in graceful-restart
 * mode close without a NOTIFICATION. */
void speaker_close_quietly(void);
void speaker_fini(void);
void speaker_vrf_route_changed(struct vrf *vrf, const struct rib_dest *d);
void speaker_redistribute_refresh(struct bgp *b);
/* Puts b's unicast best paths into its VRF table again (`distance bgp`). */
void speaker_vrf_reinstall(struct bgp *b);
void speaker_vrf_cfg_changed(struct vrf *vrf);

/* LDP's labelled paths: with LDP running, VPN next hops must be reached
 * through a labelled path (the core route to them has an LDP binding),
 * unless `no bgp labelled-nexthop-resolution`. */
void speaker_set_ldp_enabled_fn(bool (*fn)(void));
/* Whether LDP has a labelled path for exactly this FEC (set by pe/). */
void speaker_set_ldp_labelled_fn(bool (*fn)(const struct prefix4 *fec));
/* Told when a session ends whose paths are withdrawn (lost: not a graceful
 * restart), and when it is established again (PIC edge, set by pe/). */
void speaker_set_peer_lost_fn(void (*fn)(const struct ipaddr *addr, bool lost));
/* LDP's labelled paths of some FEC changed: VPN next hops are validated again. */
void speaker_ldp_paths_changed(void);

/* Read-only, for `explain`: how a next hop resolves, step by step, as
 * nh_resolve (vrf: PE-CE paths; NULL: the core) and, with vpn, as
 * nh_resolve_vpn decide. */
enum speaker_nh_ldp {
	SPK_NH_LDP_OFF,       /* LDP not running: no label required */
	SPK_NH_LDP_KNOB,      /* `no bgp labelled-nexthop-resolution` */
	SPK_NH_LDP_LABELLED,  /* LDP has a labelled path for the core route */
	SPK_NH_LDP_CONNECTED, /* directly connected PE: no transport label needed */
	SPK_NH_LDP_NONE,      /* LDP runs and the core route has no label */
};
struct speaker_nh_info {
	struct ipaddr addr;           /* what is resolved (6VPE: the IPv4 PE it maps) */
	bool covered;                 /* some selected route covers it */
	bool default_only;            /* only the default route does (not used) */
	struct prefix route;          /* the covering route */
	const struct rib_route *sel;  /* its selected route */
	bool resolved;                /* nh_resolve's verdict */
	enum speaker_nh_ldp ldp;      /* vpn only */
	bool usable;                  /* the verdict the RIB got */
};
/* Whether a VPN next hop resolves as BGP requires it (a core route, and an
 * LDP binding for it when LDP runs, unless `no bgp labelled-nexthop-resolution`). */
bool speaker_vpn_nh_usable(const struct ipaddr *nexthop);
void speaker_nh_explain(const struct vrf *vrf, const struct ipaddr *nh, bool vpn,
			struct speaker_nh_info *out);

/* `debug bgp updates|neighbor-events` */
extern bool bgp_debug_updates, bgp_debug_events;
void speaker_vpn_networks_refresh(void);

#endif
