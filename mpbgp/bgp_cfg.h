/* BGP configuration objects and the hooks the running speaker plugs in. */
#ifndef PE_BGP_CFG_H
#define PE_BGP_CFG_H

#include "mpbgp/bgp.h"

#define BGP_DEFAULT_HOLDTIME 180  /* FRR's "traditional" defaults */
#define BGP_DEFAULT_KEEPALIVE 60

struct cli;

/* Knobs a peer-group member inherits unless it sets them itself
 * (peer->own, FRR's semantics; `no` on a member inherits again). */
#define BGP_KNOB_REMOTE_AS     (1u << 0)
#define BGP_KNOB_DESCRIPTION   (1u << 1)
#define BGP_KNOB_UPDATE_SOURCE (1u << 2)
#define BGP_KNOB_EBGP_MULTIHOP (1u << 3)
#define BGP_KNOB_TIMERS        (1u << 4)
#define BGP_KNOB_CONNECT       (1u << 5)
#define BGP_KNOB_PASSWORD      (1u << 6)
#define BGP_KNOB_PASSIVE       (1u << 7)
#define BGP_KNOB_SHUTDOWN      (1u << 8)
#define BGP_KNOB_AS_OVERRIDE   (1u << 9)
#define BGP_KNOB_ALLOWAS_IN    (1u << 10)
#define BGP_KNOB_SOO           (1u << 11)
#define BGP_KNOB_BFD           (1u << 12)
#define BGP_KNOB_ALL           ((1u << 13) - 1)
/* per family (peer->own_af[af]) */
#define BGP_AFKNOB_ACTIVATE    (1u << 0)
#define BGP_AFKNOB_RR_CLIENT   (1u << 1)
#define BGP_AFKNOB_NHS         (1u << 2)
#define BGP_AFKNOB_NHS_FORCE   (1u << 3)
#define BGP_AFKNOB_MAX_PREFIX  (1u << 4)
#define BGP_AFKNOB_RMAP_IN     (1u << 5)
#define BGP_AFKNOB_RMAP_OUT    (1u << 6)
#define BGP_AFKNOB_PLIST_IN    (1u << 7)
#define BGP_AFKNOB_PLIST_OUT   (1u << 8)
#define BGP_AFKNOB_FLIST_IN    (1u << 9)
#define BGP_AFKNOB_FLIST_OUT   (1u << 10)
#define BGP_AFKNOB_ALL         ((1u << 11) - 1)
#define BGP_AFKNOB_POLICY_IN   (BGP_AFKNOB_RMAP_IN | BGP_AFKNOB_PLIST_IN | BGP_AFKNOB_FLIST_IN)
#define BGP_AFKNOB_POLICY_OUT  (BGP_AFKNOB_RMAP_OUT | BGP_AFKNOB_PLIST_OUT | BGP_AFKNOB_FLIST_OUT)

struct bgp_ops {
	void (*instance_created)(struct bgp *b);
	void (*instance_deleted)(struct bgp *b);
	void (*peer_created)(struct bgp_peer *p);
	void (*peer_deleted)(struct bgp_peer *p);
	void (*peer_changed)(struct bgp_peer *p, bool needs_reset);
	/* a policy attachment of p in af changed: re-run inbound policy over
	 * the kept Adj-RIB-In (in) and/or refresh Adj-RIB-Out (out), no reset */
	void (*peer_policy_changed)(struct bgp_peer *p, enum bgp_af af, bool in, bool out);
	void (*vpn_changed)(struct bgp *b); /* RD/RT/label/import/export of a VRF instance */
	uint32_t (*auto_router_id)(void);
	/* the label manager lives in pe/ (dependencies go lib <- vrf <- mpbgp <- pe) */
	mpls_label_t (*label_alloc)(const struct label_owner *own);
	int (*label_alloc_specific)(mpls_label_t l, const struct label_owner *own, char *err,
				    size_t errlen);
	void (*label_release)(mpls_label_t l);
};

/* bgp.c */
/* Set while the running configuration is written with its secrets (write
 * memory, ped -C); otherwise neighbor passwords print as <hidden>. */
extern bool bgp_cfg_write_secrets;

/* BFD for peers (`neighbor X bfd`): ped plugs in the tracker (pe/bfd_bgp.c).
 * track() runs whenever what BFD should watch for p may have changed
 * (configuration, a session coming up with its local address) and also
 * when bfd is off, to stop; untrack() when p goes; show() adds FRR's
 * "peerBfdInfo" to p's `show bgp neighbors` JSON. The tracker calls
 * bgp_peer_bfd_down() when the session goes down. */
struct json_object;
struct bgp_bfd_hooks {
	void (*track)(struct bgp_peer *p);
	void (*untrack)(struct bgp_peer *p);
	void (*show)(const struct bgp_peer *p, struct json_object *o);
};
void bgp_set_bfd_hooks(const struct bgp_bfd_hooks *h);
void bgp_bfd_track(struct bgp_peer *p);
void bgp_bfd_show(const struct bgp_peer *p, struct json_object *o);
/* BFD says the path to p is down: Cease/10 "BFD Down" (RFC 9384) and a
 * reset, if a connection is up; nothing otherwise. */
void bgp_peer_bfd_down(struct bgp_peer *p);
void bgp_set_ops(const struct bgp_ops *o);
/* Which interface of VRF vrf ("" or NULL: default) has address a (NULL:
 * none): a neighbor address of our own is refused. Set by ped (pe/iface.c). */
void bgp_set_local_addr_fn(const char *(*fn)(const char *vrf, const struct ipaddr *a));
const char *bgp_local_addr(const char *vrf, const struct ipaddr *a);
const struct bgp_ops *bgp_get_ops(void);
/* The `network` statements of an instance: found in O(1) (a config of
 * tens of thousands loads in linear time), kept in the list b->networks
 * in (family, prefix) order. add takes n (malloc'ed, not yet in); del
 * unlinks and frees it. */
struct bgp_network *bgp_network_find(const struct bgp *b, enum bgp_af af,
				     const struct bgp_prefix *p);
void bgp_network_add(struct bgp *b, struct bgp_network *n);
void bgp_network_del(struct bgp *b, struct bgp_network *n);
struct bgp *bgp_first(void);
struct bgp *bgp_next(const struct bgp *bgp);
struct bgp *bgp_lookup(const char *vrf);
struct bgp *bgp_default_instance(void);
struct bgp *bgp_create(uint32_t asn, const char *vrf, char *err, size_t errlen);
void bgp_delete(struct bgp *b);
void bgp_fini(void);
struct bgp_peer *bgp_peer_lookup(const struct bgp *bgp, const struct ipaddr *addr);
struct bgp_peer *bgp_peer_create(struct bgp *bgp, const struct ipaddr *addr, uint32_t remote_as);
/* A new member of g, with g's configuration (before its session starts). */
struct bgp_peer *bgp_peer_create_member(struct bgp *bgp, const struct ipaddr *addr,
					struct bgp_peer_group *g);
void bgp_peer_delete(struct bgp_peer *p);
void bgp_peer_changed(struct bgp_peer *p, bool needs_reset);
void bgp_peer_policy_changed(struct bgp_peer *p, enum bgp_af af, bool in, bool out);
void bgp_peer_cfg_defaults(struct bgp_peer_cfg *c, const struct bgp *bgp);
/* Copies the knobs in mask (BGP_KNOB_*) / afmask (BGP_AFKNOB_*, family af)
 * from src to dst. */
void bgp_cfg_knob_copy(struct bgp_peer_cfg *dst, const struct bgp_peer_cfg *src, uint32_t mask);
void bgp_cfg_afknob_copy(struct bgp_peer_cfg *dst, const struct bgp_peer_cfg *src, int af,
			 uint32_t afmask);
/* Peer-groups */
struct bgp_peer_group *bgp_group_lookup(const struct bgp *bgp, const char *name);
struct bgp_peer_group *bgp_group_create(struct bgp *bgp, const char *name);
void bgp_group_delete(struct bgp_peer_group *g);   /* deletes its members too (FRR) */
/* Makes p a member of g (NULL: of none): knobs p does not set come from g. */
void bgp_peer_group_bind(struct bgp_peer *p, struct bgp_peer_group *g);
/* Re-copies the knobs p does not set from its group (after a group change). */
void bgp_peer_inherit(struct bgp_peer *p);
uint32_t bgp_effective_router_id(const struct bgp *bgp);

/* aggregate.c */
struct bgp_rib;
struct bgp_dest;
struct bgp_path;
struct event_base;
int bgp_aggregate_set(struct bgp *b, enum bgp_af af, const struct prefix *p, bool summary_only,
		      bool as_set, bool del);
void bgp_aggregates_free(struct bgp *b);
/* The path an aggregate-address originates (the VRF table gets it as a
 * blackhole route, as FRR's zebra does) */
bool bgp_path_is_aggregate(const struct bgp_path *p);
/* summary-only: p is strictly inside an aggregate of b in af: not advertised */
bool bgp_aggregate_suppressed(const struct bgp *b, enum bgp_af af, const struct prefix *p);
void bgp_aggregate_rib_changed(struct bgp_rib *rib, struct bgp_dest *dest,
			       const struct bgp_path *old_best, void *arg);
void bgp_aggregate_start(struct event_base *base);
/* Recomputes the aggregates marked since the last run (the event does it;
 * unit tests call it). */
void bgp_aggregate_run(void);
void bgp_aggregate_stop(void);

/* bgp_cli.c */
void bgp_cli_init(void);
void bgp_config_write(struct cli *cli);
/* The instance and family of the session's `router bgp` / `address-family`
 * node (NULL, after saying so, when the instance is gone). */
struct bgp *bgp_cli_instance(struct cli *cli);
int bgp_cli_af(struct cli *cli);
struct cmd_args;
int bgp_cli_exit_af(struct cli *cli, const struct cmd_args *a); /* `exit-address-family` */
#define BGP_STR "BGP information\n"                            /* command help */

/* neighbor_cli.c */
void bgp_neighbor_cli_init(void);
/* `neighbor` lines of the instance level, and of family af (opens the
 * family's block when *any is false and something is written). */
void bgp_neighbor_config_write(struct cli *cli, const struct bgp *b);
void bgp_neighbor_af_write(struct cli *cli, const struct bgp *b, int af, bool *any);

/* bgp_show.c */
void bgp_show_init(void);

#endif
