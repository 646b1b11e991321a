/* pe/fwd private: the control plane's state behind fwd_ctl.c (tables,
 * ports, LFIB owners) shared with fwd_show.c (show/clear commands). */
#ifndef PE_FWD_CTL_PRIV_H
#define PE_FWD_CTL_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "ldp/lde.h"
#include "pe/fwd/fwd.h"
#include "vrf/vrf.h"

struct event;
struct fwd_worker;

#define CORE_ENCAP 8 /* two labels: what a customer packet gains in the core */

struct neigh_list { /* kernel neighbors of one interface, ports or not */
	struct neigh_list *next;
	uint32_t vrf_id;
	int ifindex;
	size_t n, cap;
	struct fwd_neigh *e;
	bool dirty;
};

struct port {
	bool used;
	uint32_t vrf_id;
	int ifindex;
	char name[16];
	bool open;
	struct fwd_counters base; /* `clear dataplane counters` */
	uint64_t ring_drops;
};

enum lfib_owner { OWN_NONE, OWN_LDP, OWN_BGP_VRF, OWN_BGP_NH, OWN_BGP_PFX };

struct lfib_own {
	enum lfib_owner type;
	char vrf[VRF_NAMSIZ];
	uint32_t addr; /* per-nexthop: the CE */
	struct prefix4 fec;
	int npaths;
	struct lde_path *paths;
};

struct ldp_bound { /* labelled paths of a FEC */
	struct ldp_bound *next;
	struct prefix4 fec;
	int npaths;
	struct lde_path paths[LDE_MAX_NH];
};
#define BOUND_BUCKETS 65536

struct fwd_ctl_state {
	struct fwd_tables *t;
	struct fwd_worker *w;
	bool running; /* the worker thread */
	struct event *ev_sync, *ev_reclaim, *ev_worker;
	bool ports_dirty, resolve_dirty, neigh_dirty;
	struct port port[FWD_MAX_PORTS];
	struct neigh_list *neighs;
	struct lfib_own **own;
	uint32_t own_cap;
	struct ldp_bound **bound;
	struct fwd_counters vrf_base[FWD_MAX_VRFS];
	uint64_t resolve_requests;
	uint32_t nh_labels; /* OWN_BGP_NH entries: VRF route changes move them */
	/* gateways the tables point at: resolved ahead of traffic, so that
	 * the first packets toward them are not dropped as noNeighbor */
	uint64_t *want;
	size_t nwant, capwant;
	struct event *ev_prewarm;
};

extern struct fwd_ctl_state fc;

/* fwd_ctl.c */
struct fwd_nh *fwd_ctl_nh_current(uint32_t id, bool lfib);
/* fwd_show.c */
void fwd_show_init(void);

#endif
