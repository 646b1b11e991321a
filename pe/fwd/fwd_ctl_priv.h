/* pe/fwd private: the control plane's state behind fwd_ctl.c (tables,
 * ports, LFIB owners) shared with fwd_show.c (show/clear commands). */
#ifndef PE_FWD_CTL_PRIV_H
#define PE_FWD_CTL_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "ldp/lde.h"
#include "lib/label.h"
#include "pe/fwd/fwd.h"
#include "pe/fwd/worker.h"
#include "vrf/vrf.h"

struct cli;
struct event;
struct fwd_worker;

#define CORE_ENCAP 8 /* two labels: what a customer packet gains in the core */

struct neigh_list { /* kernel neighbors of one interface, ports or not */
	struct neigh_list *next;
	uint32_t vrf_id;
	int ifindex;
	size_t n, cap;
	struct fwd_neigh *e;      /* ARP */
	size_t n6, cap6;
	struct fwd_neigh6 *e6;    /* ND */
	bool dirty;
};

/* A gateway the tables point at (resolved ahead of traffic). */
struct want_gw {
	bool used;
	uint16_t port;
	struct ipaddr ip;
};

enum fwd_backend { FWD_BE_PACKET, FWD_BE_XDP };

struct port {
	bool used;
	uint32_t vrf_id;
	int ifindex;
	char name[16];
	bool open;
	struct fwd_counters base; /* `clear dataplane counters` */
	uint64_t ring_drops;
	enum fwd_backend backend; /* what serves its receive side */
	bool peer_broken;         /* XDP: not a redirect target now (fwd_backend.c) */
	bool gro_off;        /* we turned GRO off for the AF_PACKET worker: restore it */
	char be_why[200];         /* why not XDP, or why not a redirect target */
};

struct lfib_own {
	struct label_owner owner; /* LDP: prefix is the FEC (its paths: the LIB's); BGP: a VRF kind */
};

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
	struct fwd_counters vrf_base[FWD_MAX_VRFS];
	uint64_t resolve_requests;
	uint64_t resolve_requests6; /* of which ND */
	uint32_t nh_labels; /* LABEL_OWN_VRF_NEXTHOP entries: VRF route changes move them */
	/* gateways the tables point at: resolved ahead of traffic, so that
	 * the first packets toward them are not dropped as noNeighbor (open
	 * addressing, at most half full) */
	struct want_gw *want;
	size_t nwant, capwant;
	struct event *ev_prewarm;
};

extern struct fwd_ctl_state fc;

/* fwd_ctl.c */
struct fwd_nh *fwd_ctl_nh_current(uint32_t id, bool lfib);
/* Closes every port; the next sync reopens them (a backend change). */
void fwd_ctl_ports_reopen(void);
void fwd_ctl_port_reopen(int idx); /* closed, and opened again at the next turn */
/* fwd_backend.c */
struct json_object;
const char *fwd_backend_name(enum fwd_backend b);
void be_init(void);
void be_start(void);
void be_fini(void);
/* The backend of a port being opened (fc.port[idx] filled): XDP attached
 * (returns FWD_PORT_TXONLY) or kind, with the reason in fc.port[idx]. */
enum fwd_port_kind be_port_open(int idx, const char *ifname, int nsfd, int ifindex,
				const struct fwd_port_cfg *cfg, enum fwd_port_kind kind);
void be_port_cfg(int idx, const struct fwd_port_cfg *cfg, int nsfd);
void be_port_close(int idx);
void be_nh(uint32_t id, const struct fwd_nh *nh, bool lfib);
void be_pe_down(uint32_t slot, bool down);
struct json_object;
void fwd_ctl_pic_json(struct json_object *top); /* "picRemotePes" of `show dataplane json` */
/* LDP's labelled paths for exactly fec, from its LIB; 0 if none. */
int fwd_ctl_ldp_paths(const struct prefix4 *fec, const struct lde_path **paths);
/* A PIC slot's PE address into addr; true while it is down. */
bool fwd_ctl_pe_slot(uint32_t slot, char *addr, size_t len);
void be_neigh(int idx, const struct fwd_neigh_tab *old, const struct fwd_neigh_tab *new);
void be_neigh6(int idx, const struct fwd_neigh6_tab *old, const struct fwd_neigh6_tab *new);
void be_vrf(uint32_t id, const struct fwd_vrf *old, const struct fwd_vrf *new);
void be_vrf_fib(struct vrf *vrf, bool add);
void be_flags(void);
/* The port's or VRF's counters: the C pipeline's plus the XDP program's. */
void be_port_counters(int idx, struct fwd_counters *c);
void be_vrf_counters(uint32_t id, struct fwd_counters *c);
void be_show_port(struct json_object *o, int idx);
const char *be_default_name(void);
void be_show(struct json_object *top); /* XDP table sizes in `show dataplane json` */
void be_config_write(struct cli *cli);
/* fwd_show.c */
void fwd_show_init(void);

#endif
