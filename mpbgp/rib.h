/* Loc-RIB, Adj-RIB-In index and Adj-RIB-Out of the BGP speaker
 * (RFC 4271 3.2, 9.1; RFC 4456 for reflection; RFC 4724 2 End-of-RIB).
 *
 * One struct bgp_rib per (instance, family), keyed by struct bgp_prefix
 * (RD + prefix). Each dest holds the paths of every source; the paths of a
 * peer are also threaded on a per-peer list (peer->adj_in[af]), which is the
 * Adj-RIB-In: withdraw-all on session down touches only that peer's paths.
 * Paths hold one reference on their interned attribute set.
 *
 * Memory (measured by tests/unit/test_bgp_rib.c, glibc, x86-64): a VPNv4
 * path that is the only one of its dest ~203 B (dest + path 128 B from
 * pools + hash slots), each further path of the same dest 128 B (8 of them
 * the attr_in pointer kept for soft reconfiguration inbound); an
 * Adj-RIB-Out entry ~51 B per prefix per peer; attributes are shared. */
#ifndef PE_BGP_RIB_H
#define PE_BGP_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mpbgp/bgp.h"

struct bgp_rib;
struct wbuf;

/* decide.c */
struct bgp_decide_ctx {
	uint32_t local_as;
	bool always_compare_med;
};
/* <0: a is better, >0: b is better, 0: equal. *reason (may be NULL) gets
 * the step that decided. Pure. */
int bgp_path_cmp(const struct bgp_path *a, const struct bgp_path *b,
		 const struct bgp_decide_ctx *ctx, enum bgp_select_reason *reason);
const char *bgp_select_reason_str(enum bgp_select_reason r);
/* May p share forwarding with best (multipath)? The rules are FRR's
 * (decide.c); how many do is the RIB's maximum-paths. Pure. */
bool bgp_path_multipath_eq(const struct bgp_path *p, const struct bgp_path *best,
			   const struct bgp_decide_ctx *ctx);

/* rib.c */
/* Fixed-size object pool: no per-object malloc header or size rounding
 * (8-16 bytes a route). Objects live in 64 KB blocks aligned on their size,
 * so put() finds an object's block with a mask; a block whose objects are
 * all back is returned to the system at once (munmap), except one kept
 * spare so that a get/put at a block's edge does not map and unmap each
 * time. After a large withdrawal or session down, only blocks still
 * holding a live object stay. Built with AddressSanitizer, blocks come from
 * aligned_alloc (so LeakSanitizer sees them) and free objects are poisoned. */
struct bgp_pool {
	size_t size;   /* object size, rounded up to 8 */
	size_t per;    /* objects per block */
	void *avail;   /* blocks with a free object (struct pool_block list) */
	void *blocks;  /* every block */
	void *spare;   /* the one empty block kept, or NULL */
	size_t inuse, nblocks;
	size_t released; /* blocks given back since init (for tests, show memory) */
};
void bgp_pool_init(struct bgp_pool *p, size_t size);
void *bgp_pool_get(struct bgp_pool *p); /* zeroed */
void bgp_pool_put(struct bgp_pool *p, void *obj);
/* Give back the spare block too (after a burst of frees). */
void bgp_pool_trim(struct bgp_pool *p);
/* Bytes in the blocks of every pool (not in malloc's statistics). */
size_t bgp_pool_mapped(void);
void bgp_pool_destroy(struct bgp_pool *p); /* objects still out are gone too */
/* Bytes given back to pools since the last bgp_mem_compacted(); fn is
 * called once when they pass `after` (then again only after
 * bgp_mem_compacted), so that the owner can compact and malloc_trim once the
 * burst is over instead of per route. */
void bgp_mem_set_freed_hook(void (*fn)(void), size_t after);
size_t bgp_mem_freed(void);
void bgp_mem_compacted(void);

/* Who a path comes from: (src, peer, origin_bgp, origin) is its identity
 * within a dest. A peer path: {BGP_SRC_PEER, peer}. A network statement or
 * VRF export into the VPN table: {BGP_SRC_LOCAL, NULL, vrf_bgp}. A leak into
 * a VRF: {BGP_SRC_IMPORTED, NULL, vpn_bgp, vpn_path}. */
struct bgp_rib_src {
	enum bgp_path_src src;
	struct bgp_peer *peer;
	struct bgp *origin_bgp;
	const struct bgp_path *origin;
};

/* Called after the best path of dest changed (another path, its attributes
 * or labels changed, or it is gone: dest->best == NULL). old_best is only
 * for comparison by address (it may be freed). When the last path went away
 * the dest is freed right after the hook returns: key on dest->p, never keep
 * the dest pointer. */
typedef void (*bgp_rib_change_fn)(struct bgp_rib *rib, struct bgp_dest *dest,
				  const struct bgp_path *old_best, void *arg);
/* Next-hop accessibility from the core RIB (IGP/LDP): true and the metric. */
typedef bool (*bgp_rib_nh_fn)(const struct ipaddr *nexthop, uint32_t *igp_metric, void *arg);
typedef void (*bgp_rib_walk_fn)(struct bgp_dest *dest, void *arg);

#define BGP_RIB_MAX_HOOKS 4

struct bgp_rib *bgp_rib_new(struct bgp *bgp, enum bgp_af af);
/* Frees every path and the adj-out state of the instance's peers for this
 * family (no hooks called). */
void bgp_rib_free(struct bgp_rib *rib);
/* Shrink the dest table (and adj-out's) to the routes left, give back the
 * pools' spare blocks: after a burst of withdrawals, never inside a walk. */
void bgp_rib_compact(struct bgp_rib *rib);
size_t bgp_rib_buckets(const struct bgp_rib *rib);
struct bgp *bgp_rib_bgp(const struct bgp_rib *rib);
enum bgp_af bgp_rib_af(const struct bgp_rib *rib);
/* Up to BGP_RIB_MAX_HOOKS change hooks (adj-out, VRF<->VPN); -1 when full. */
int bgp_rib_add_hook(struct bgp_rib *rib, bgp_rib_change_fn fn, void *arg);
void bgp_rib_set_nh(struct bgp_rib *rib, bgp_rib_nh_fn fn, void *arg); /* NULL: all accessible */
void bgp_rib_set_always_compare_med(struct bgp_rib *rib, bool on);
/* `maximum-paths`: at most ebgp (best eBGP) or ibgp (best iBGP or
 * imported) paths get BGP_PATH_MULTIPATH, the best included; 0 or 1 = none.
 * Reruns the decision of every dest when the numbers change (hooks where
 * the multipath set moved). */
void bgp_rib_set_maxpaths(struct bgp_rib *rib, uint16_t ebgp, uint16_t ibgp);
/* BGP PIC edge: after best and multipath, the best remaining valid path
 * whose next hop is none of theirs gets BGP_PATH_BACKUP (a change of it runs
 * the hooks like a multipath change). Off: no path is flagged. */
void bgp_rib_set_backup(struct bgp_rib *rib, bool on);

/* Adds or replaces the path of src for n->p with attr (interned; the RIB
 * takes its own reference) and n's labels, sets VALID/NH_OK/LOOP, runs the
 * decision for that dest and calls the hooks if the best changed. Returns
 * the path (owned by the RIB). */
struct bgp_path *bgp_rib_update(struct bgp_rib *rib, const struct bgp_rib_src *src,
				const struct bgp_nlri *n, const struct bgp_attr *attr,
				uint32_t weight);
/* The same, with the outcome of inbound policy: attr is what policy made
 * (or what was received when it changed nothing, or denied), attr_in what
 * was received when policy changed it (else NULL); a denied path is kept
 * (Adj-RIB-In) flagged BGP_PATH_DENIED, never valid, not counted. */
struct bgp_path *bgp_rib_update_in(struct bgp_rib *rib, const struct bgp_rib_src *src,
				   const struct bgp_nlri *n, const struct bgp_attr *attr,
				   const struct bgp_attr *attr_in, uint32_t weight, bool denied);
/* Inbound policy for bgp_rib_reeval_peer: decides on a path of peer from
 * what was received (in); false: deny. On permit *out is NULL (nothing
 * changed) or an interned set whose reference the callee hands over, and
 * *weight the path's weight. */
typedef bool (*bgp_rib_in_fn)(struct bgp_peer *peer, enum bgp_af af, const struct bgp_prefix *p,
			      const struct bgp_attr *in, const struct bgp_attr **out,
			      uint32_t *weight, void *arg);
/* Soft reconfiguration inbound: re-runs fn over every path of peer (its
 * Adj-RIB-In) from the received attributes, reruns the decision where the
 * outcome changed; returns how many paths changed. */
size_t bgp_rib_reeval_peer(struct bgp_rib *rib, struct bgp_peer *peer, bgp_rib_in_fn fn,
			   void *arg);
/* Removes the path of src for p; 0, or -1 when there was none. */
int bgp_rib_withdraw(struct bgp_rib *rib, const struct bgp_rib_src *src,
		     const struct bgp_prefix *p);
/* Session down: removes every path of peer in this family; returns how many. */
size_t bgp_rib_withdraw_peer(struct bgp_rib *rib, struct bgp_peer *peer);
/* Graceful restart (RFC 4724 4.2): every path of peer becomes stale (kept,
 * used, replaced by the next announcement of its prefix); the sweep
 * withdraws those still stale. Both return the number of paths. */
size_t bgp_rib_mark_peer_stale(struct bgp_rib *rib, struct bgp_peer *peer);
size_t bgp_rib_sweep_stale(struct bgp_rib *rib, struct bgp_peer *peer);
/* Long-lived graceful restart (RFC 9494 4.2/4.3): peer's stale paths get
 * the LLGR_STALE community (least preferred from then on), those with
 * NO_LLGR go (*dropped); returns the paths now long-lived stale. */
size_t bgp_rib_llgr_stale(struct bgp_rib *rib, struct bgp_peer *peer, size_t *dropped);
struct bgp_dest *bgp_rib_lookup(const struct bgp_rib *rib, const struct bgp_prefix *p);
/* Every dest ordered by RD then prefix (as `show bgp ipv4 vpn` groups by
 * RD); sorts on demand. The callback must not change the RIB. */
void bgp_rib_walk_sorted(struct bgp_rib *rib, bgp_rib_walk_fn fn, void *arg);
/* Every dest in hash order (cheap; initial table dumps). */
void bgp_rib_walk(struct bgp_rib *rib, bgp_rib_walk_fn fn, void *arg);
size_t bgp_rib_dest_count(const struct bgp_rib *rib);
size_t bgp_rib_path_count(const struct bgp_rib *rib);
/* A peer's paths accepted by inbound policy (FRR's acceptedPrefixCounter,
 * what maximum-prefix counts); all it sent (denied ones too); those that
 * policy denied or changed. */
size_t bgp_rib_peer_path_count(const struct bgp_rib *rib, const struct bgp_peer *peer);
size_t bgp_rib_peer_received_count(const struct bgp_rib *rib, const struct bgp_peer *peer);
size_t bgp_rib_peer_policy_count(const struct bgp_rib *rib, const struct bgp_peer *peer);
/* Next-hop accessibility or metrics changed: re-checks every peer path with
 * the nh callback (nexthop NULL: all; else only paths with that next hop)
 * and reruns the decision where a flag or metric changed. Returns how many
 * dests changed best path. */
size_t bgp_rib_revalidate(struct bgp_rib *rib, const struct ipaddr *nexthop);
/* The same over the buckets from *pos on, stopping once max dests changed
 * (their hooks ran); true when the table is done (*pos is reset). Lets the
 * caller give the event loop back between steps. */
bool bgp_rib_revalidate_step(struct bgp_rib *rib, size_t *pos, size_t max);
/* Removes at most max of peer's stale paths; returns how many went (fewer
 * than max: none is left). */
size_t bgp_rib_sweep_stale_some(struct bgp_rib *rib, struct bgp_peer *peer, size_t max);
/* The dest of a path the RIB owns. */
struct bgp_dest *bgp_rib_path_dest(const struct bgp_path *path);
/* Loop checks of RFC 4271 9.1.2 / RFC 4456 8 for a peer path: own AS in
 * AS_PATH more than allowas-in times, ORIGINATOR_ID == our router id, our
 * cluster id in CLUSTER_LIST. */
bool bgp_rib_path_looped(const struct bgp *bgp, const struct bgp_peer *peer,
			 const struct bgp_attr *attr);
uint32_t bgp_cluster_id(const struct bgp *bgp);
/* adjout.c's slot (a malloc'd object freed by bgp_rib_free). */
void **bgp_rib_adjout_slot(struct bgp_rib *rib);

/* adjout.c */
/* Result of the send hook. */
#define BGP_SEND_OK 0    /* queued */
#define BGP_SEND_FULL 1  /* queued, and the queue is now full: stop */
#define BGP_SEND_ERR (-1) /* not queued (stop, retry on flush) */

/* The export policy: fill out (a deep copy of best->attr, a template) and
 * out_nlri (prefix and best's labels) for peer; false: do not advertise
 * (withdraw if advertised). The lead's filter calls bgp_export_default()
 * and then adds VPN specifics. */
typedef bool (*bgp_export_fn)(struct bgp_peer *peer, enum bgp_af af, const struct bgp_dest *dest,
			      const struct bgp_path *best, struct bgp_attr *out,
			      struct bgp_nlri *out_nlri, void *arg);
typedef int (*bgp_send_fn)(struct bgp_peer *peer, const uint8_t *msg, size_t len, void *arg);

struct bgp_adjout_ops {
	bgp_export_fn export_filter; /* NULL: bgp_export_default */
	bgp_send_fn send;
	void *arg;
};

/* Standard rules: no reflection back to the source peer; iBGP split
 * horizon with RFC 4456 8 reflection (ORIGINATOR_ID, CLUSTER_LIST); eBGP:
 * prepend our AS, next hop self, strip LOCAL_PREF, MED from another AS,
 * ORIGINATOR_ID and CLUSTER_LIST; iBGP: LOCAL_PREF 100 when absent, next
 * hop self for local paths and next-hop-self peers. */
bool bgp_export_default(struct bgp_peer *peer, enum bgp_af af, const struct bgp_dest *dest,
			const struct bgp_path *best, struct bgp_attr *out,
			struct bgp_nlri *out_nlri);
/* Registers adj-out on rib (a change hook); ops is copied. */
int bgp_adjout_attach(struct bgp_rib *rib, const struct bgp_adjout_ops *ops);
/* Session Established and family negotiated: dump the table, then EoR. */
void bgp_adjout_peer_up(struct bgp_rib *rib, struct bgp_peer *peer);
/* Outbound policy changed: re-export every dest, send the differences. */
void bgp_adjout_refresh(struct bgp_rib *rib, struct bgp_peer *peer);
bool bgp_adjout_eor_sent(const struct bgp_peer *peer, int af); /* End-of-RIB sent this session */
/* Session down: forget what was sent. */
void bgp_adjout_peer_down(struct bgp_rib *rib, struct bgp_peer *peer);
void bgp_adjout_compact(struct bgp_rib *rib);
/* Send what is pending for peer (every family), until the send hook says
 * the queue is full; call again when the output queue drains. */
void bgp_adjout_flush(struct bgp_peer *peer);
size_t bgp_adjout_count(const struct bgp_peer *peer, enum bgp_af af);  /* advertised */
size_t bgp_adjout_pending(const struct bgp_peer *peer, enum bgp_af af);
/* The advertised attributes/labels of p to peer, or NULL. */
const struct bgp_attr *bgp_adjout_lookup(const struct bgp_peer *peer, enum bgp_af af,
					 const struct bgp_prefix *p, struct bgp_nlri *out);

#endif
