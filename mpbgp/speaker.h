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
void speaker_fini(void);
void speaker_vrf_route_changed(struct vrf *vrf, const struct rib_dest *d);
void speaker_redistribute_refresh(struct bgp *b);
void speaker_vrf_cfg_changed(struct vrf *vrf);

/* LDP's labelled paths: with LDP running, VPN next hops must be reached
 * through a labelled path (the core route to them has an LDP binding),
 * unless `no bgp labelled-nexthop-resolution`. */
void speaker_set_ldp_enabled_fn(bool (*fn)(void));
void speaker_fec_labelled(const struct prefix4 *fec, bool labelled);

/* `debug bgp updates|neighbor-events` */
extern bool bgp_debug_updates, bgp_debug_events;
void speaker_vpn_networks_refresh(void);

#endif
