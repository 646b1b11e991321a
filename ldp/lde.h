/* LDP label decision engine (LDE): FEC table, per-neighbor LIB, local
 * bindings, the LFIB and the labelled paths for BGP next-hop resolution.
 * RFC 5036 2.6 (label distribution and management), 3.5.5-3.5.11 (Address,
 * Label Mapping/Request/Withdraw/Release), Appendix A.1 (procedures).
 *
 * A pure engine: no sockets, no timers, no global state. The daemon feeds
 * it neighbors, core routes (the default VRF's RIB) and received messages,
 * and it answers through struct lde_ops (label manager, message sends,
 * LFIB). Neighbors are named by LSR ID. Prefix FECs (IPv4) only.
 *
 * Graceful restart (RFC 3478), helper side: a neighbor whose session went
 * down may be kept with its bindings marked stale (lde_nbr_down_stale):
 * they keep forwarding, nothing is sent to it; lde_nbr_up revives it, a
 * mapping received again refreshes a binding, lde_nbr_stale_sweep deletes
 * the rest. The timers are the caller's (ldp/gr.c). */
#ifndef PE_LDP_LDE_H
#define PE_LDP_LDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/label.h"
#include "lib/prefix.h"

#define LDE_MAX_NH 16
#define LDE_IFNAMSIZ 16

/* RFC 5036 3.9 status codes the LDE sends (no E/F bits: advisory). */
#define LDE_ST_NO_ROUTE 0x0000000Du
#define LDE_ST_NO_LABEL_RES 0x0000000Eu

struct lde_nh {
	uint32_t addr; /* next-hop address, 0 = directly attached */
	char ifname[LDE_IFNAMSIZ];
};

/* One labelled way out for a FEC: the core next hop, the neighbor that owns
 * that address, and the label it advertised (MPLS_LABEL_IMPLICIT_NULL: pop). */
struct lde_path {
	uint32_t nexthop;
	char ifname[LDE_IFNAMSIZ];
	uint32_t lsr_id;
	mpls_label_t label;
};

/* arg is the pointer given to lde_new(). Sends are to an operational neighbor. */
struct lde_ops {
	/* shared label manager (pe/label.c); MPLS_LABEL_NONE when exhausted */
	mpls_label_t (*alloc_label)(void *arg, const struct prefix4 *fec);
	void (*release_label)(void *arg, mpls_label_t label);
	/* req_id: the Label Request this answers (RFC 5036 3.5.7), or NULL */
	void (*send_mapping)(void *arg, uint32_t lsr_id, const struct prefix4 *fec,
			     mpls_label_t label, const uint32_t *req_id);
	void (*send_withdraw)(void *arg, uint32_t lsr_id, const struct prefix4 *fec,
			      mpls_label_t label);
	void (*send_release)(void *arg, uint32_t lsr_id, const struct prefix4 *fec,
			     mpls_label_t label);
	/* advisory notification about fec for the message msg_id */
	void (*send_notification)(void *arg, uint32_t lsr_id, uint32_t status,
				  const struct prefix4 *fec, uint32_t msg_id);
	/* install/replace in_label -> paths (swap, or pop for implicit-null) */
	void (*lfib_update)(void *arg, mpls_label_t in_label, const struct prefix4 *fec,
			    const struct lde_path *paths, int npaths);
	void (*lfib_delete)(void *arg, mpls_label_t in_label, const struct prefix4 *fec);
	/* labelled paths to reach fec (BGP next-hop resolution); npaths 0: none */
	void (*nh_bound)(void *arg, const struct prefix4 *fec, const struct lde_path *paths,
			 int npaths);
};

struct lde_config {
	bool ordered_control;  /* RFC 5036 2.6.1: default independent */
	bool explicit_null;    /* `label local advertise explicit-null` */
	bool host_routes_only; /* `label local allocate host-routes` */
};

struct lde_stats {
	uint64_t fecs, nbrs, local_labels, waiting_release;
	uint64_t mappings_sent, withdraws_sent, releases_sent, notifications_sent;
	uint64_t mappings_rcvd, withdraws_rcvd, releases_rcvd, requests_rcvd;
	uint64_t lfib_entries;
};

/* Read-only views for show commands. */
struct lde_binding_info {
	uint32_t lsr_id;
	mpls_label_t remote_label; /* received mapping, MPLS_LABEL_NONE if none */
	mpls_label_t sent_label;   /* what we advertised to it, MPLS_LABEL_NONE if none */
	bool in_use;               /* its label is in the LFIB / BGP path */
	bool stale;                /* kept across the neighbor's restart, not refreshed yet */
};

struct lde_fec_info {
	struct prefix4 pfx;
	bool has_route;
	bool egress;              /* connected or our loopback */
	mpls_label_t local_label; /* MPLS_LABEL_NONE if none */
	int nbindings;
	const struct lde_binding_info *bindings; /* one per neighbor with state */
	int npaths;                              /* in-use labelled paths */
	const struct lde_path *paths;
};

struct lde;

/* lde.c */
struct lde *lde_new(const struct lde_ops *ops, void *arg, const struct lde_config *cfg);
/* Releases every label (LFIB entries deleted, nothing sent). */
void lde_free(struct lde *lde);
/* Config change at run time: everything is re-evaluated. */
void lde_set_config(struct lde *lde, const struct lde_config *cfg);
const struct lde_config *lde_config(const struct lde *lde);

/* Neighbors (session OPERATIONAL / gone; RFC 5036 3.5.5 address lists).
 * lde_nbr_up of a neighbor kept by lde_nbr_down_stale revives it: its
 * stale bindings and addresses stay until refreshed or swept. */
int lde_nbr_up(struct lde *lde, uint32_t lsr_id, const uint32_t *addrs, int naddrs);
void lde_nbr_down(struct lde *lde, uint32_t lsr_id); /* everything it gave goes */
/* RFC 3478 helper: the session went down, the neighbor kept its forwarding
 * state: its bindings stay (stale) and in use, its addresses still map next
 * hops; what we advertised to it and requests from it are forgotten. */
void lde_nbr_down_stale(struct lde *lde, uint32_t lsr_id);
/* Deletes its bindings still stale (and the neighbor itself if its session
 * is down), as withdrawn: LFIB and labelled paths follow, no Release is
 * sent (they belong to its previous session). Returns how many went. */
size_t lde_nbr_stale_sweep(struct lde *lde, uint32_t lsr_id);
size_t lde_nbr_stale_count(const struct lde *lde, uint32_t lsr_id);
void lde_nbr_address_add(struct lde *lde, uint32_t lsr_id, uint32_t addr);
void lde_nbr_address_del(struct lde *lde, uint32_t lsr_id, uint32_t addr);
void lde_nbr_addresses_add(struct lde *lde, uint32_t lsr_id, const uint32_t *addrs, int n);
void lde_nbr_addresses_del(struct lde *lde, uint32_t lsr_id, const uint32_t *addrs, int n);
bool lde_nbr_exists(const struct lde *lde, uint32_t lsr_id); /* up or kept stale */

/* Core routes (default VRF). egress: connected or our own address. */
void lde_route_update(struct lde *lde, const struct prefix4 *fec, const struct lde_nh *nh, int nnh,
		      bool egress);
void lde_route_delete(struct lde *lde, const struct prefix4 *fec);

/* Received messages. fec NULL = wildcard FEC (withdraw/release only);
 * label MPLS_LABEL_NONE = no Generic Label TLV in the message. A mapping
 * for a stale binding refreshes it (RFC 3478: a new label replaces the
 * stale one, without a Release for a label of the previous session). */
void lde_recv_mapping(struct lde *lde, uint32_t lsr_id, const struct prefix4 *fec,
		      mpls_label_t label);
void lde_recv_withdraw(struct lde *lde, uint32_t lsr_id, const struct prefix4 *fec,
		       mpls_label_t label);
void lde_recv_release(struct lde *lde, uint32_t lsr_id, const struct prefix4 *fec,
		      mpls_label_t label);
void lde_recv_request(struct lde *lde, uint32_t lsr_id, const struct prefix4 *fec, uint32_t msg_id);

/* Queries. Walks are in prefix order; return non-zero from fn to stop. */
int lde_fec_walk(const struct lde *lde, int (*fn)(void *arg, const struct lde_fec_info *fi),
		 void *arg);
int lde_fec_get(const struct lde *lde, const struct prefix4 *fec,
		int (*fn)(void *arg, const struct lde_fec_info *fi), void *arg);
/* every FEC's prefix, unordered; fn must not change the LIB */
void lde_fec_keys(const struct lde *lde, void (*fn)(void *arg, const struct prefix4 *fec),
		  void *arg);
/* The labelled paths in use for exactly fec (the one copy of them: BGP's
 * next-hop resolution and the dataplane read it here); 0 and NULL if none.
 * Valid until the LIB changes. */
int lde_fec_paths(const struct lde *lde, const struct prefix4 *fec, const struct lde_path **paths);
/* local label of fec, MPLS_LABEL_NONE if none */
mpls_label_t lde_local_label(const struct lde *lde, const struct prefix4 *fec);
/* the label lsr_id advertised for fec, MPLS_LABEL_NONE if none */
mpls_label_t lde_remote_label(const struct lde *lde, uint32_t lsr_id, const struct prefix4 *fec);
int lde_lfib_walk(const struct lde *lde,
		  int (*fn)(void *arg, mpls_label_t in_label, const struct prefix4 *fec,
			    const struct lde_path *paths, int npaths),
		  void *arg);
void lde_get_stats(const struct lde *lde, struct lde_stats *st);
/* FRR's rendering: "imp-null", "exp-null", "-" for none, else the number */
const char *lde_label_str(mpls_label_t label, char *buf, size_t len);

#endif
