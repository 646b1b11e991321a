/* The control plane's side of the forwarding plane: turns interfaces, VRF
 * next-hop groups, LDP bindings, BGP VPN labels and kernel neighbors into
 * the tables of pe/fwd/fwd.h, publishes them to the worker, and provides
 * `show dataplane`, `clear dataplane counters`, `show mpls table` and the
 * TTL mode knob. Runs on the libevent thread only. */
#ifndef PE_FWD_CTL_H
#define PE_FWD_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "ldp/lde.h"
#include "lib/label.h"
#include "lib/nl.h"
#include "lib/prefix.h"

struct vrf;
struct cli;
struct rib_dest;

/* fwd_ctl.c */
void fwd_ctl_init(void);   /* tables, CLI; before the config is loaded */
void fwd_ctl_start(void);  /* after the config: the worker runs once a port exists */
void fwd_ctl_fini(void);
/* Hitless restart (pe/hitless.c). keep: before fwd_ctl_fini, pins the
 * XDP links in dir and leaves forwarding running after ped exits (the
 * links pinned, -1 + reason). adopt_from: before the first port opens,
 * the directory of a previous ped's pins; ports take their links over and
 * the old programs forward until adopt_finish switches each port to the
 * new tables with one atomic link update (returns the ports switched). */
int fwd_ctl_keep(const char *dir, char *err, size_t errlen);
void fwd_ctl_adopt_from(const char *dir);
int fwd_ctl_adopted_ports(void);
int fwd_ctl_adopt_finish(void);
int fwd_ctl_xdp_ports(void); /* ports forwarded by an XDP program now */
bool fwd_ctl_ports_pending(void); /* a change of ports not applied yet (first turn) */
void fwd_ctl_config_write(struct cli *cli);
/* The dataplane lines of `interface IFNAME` in the running config. */
void fwd_ctl_iface_config_write(struct cli *cli, const char *ifname);

/* From pe/iface.c: something about interfaces changed (coalesced). */
void fwd_ctl_ifaces_changed(void);
void fwd_ctl_vrf_created(struct vrf *vrf);
/* Before the VRF (and its FIB) is freed: the worker no longer reads it
 * when this returns. */
void fwd_ctl_vrf_deleted(struct vrf *vrf);
void fwd_ctl_neigh(uint32_t vrf_id, bool add, const struct nl_neigh *n);
/* The effective MTU a customer may send on a VRF port: min(the port's MTU,
 * the smallest core port MTU - 8 bytes of labels); 0 if not a VRF port. */
uint32_t fwd_ctl_customer_mtu(uint32_t vrf_id, const char *ifname);

/* From the RIBs: a selected route changed (core routes re-resolve VPN next
 * hops). */
void fwd_ctl_route_changed(struct vrf *vrf, const struct rib_dest *d);
/* From LDP: the LFIB entries it computes, and labelled paths per FEC. */
void fwd_ctl_ldp_lfib(mpls_label_t in, const struct prefix4 *fec, const struct lde_path *paths,
		      int npaths);
void fwd_ctl_ldp_lfib_del(mpls_label_t in);
/* LDP's labelled paths of some FEC changed (they are read in its LIB). */
void fwd_ctl_ldp_paths_changed(void);
/* From BGP through the label manager: a VPN label was allocated for own
 * (a VRF, a CE next hop of a VRF, or a prefix of a VRF), or freed. */
void fwd_ctl_bgp_label(mpls_label_t l, const struct label_owner *own);
void fwd_ctl_bgp_label_del(mpls_label_t l);
/* PIC edge: a BFD session to a remote PE's address (default VRF) went down
 * after being up (down), or came up again. */
void fwd_ctl_pe_bfd(const struct ipaddr *pe, bool down);
/* PIC edge: the BGP session with that address ended without graceful
 * restart (lost), or is established again. */
void fwd_ctl_pe_bgp(const struct ipaddr *pe, bool lost);

/* fwd_explain.c */
/* Hands `explain` (mpbgp/explain.h) the dataplane's view of a route. */
void fwd_explain_init(void);

#endif
