/* Routing policy in FRR's syntax and semantics: prefix-lists (IPv4 and
 * IPv6), community, large-community and extcommunity lists (standard and
 * expanded), AS-path access lists (regular expressions with FRR's `_`),
 * and route-maps (match/set, on-match next|goto, call, continue).
 *
 * One engine for every attachment point (neighbor in/out, VPN import and
 * export, import vrf, network, redistribute), as OpenBGPD's rde_filter.c
 * is one filter over input and output. Objects are compiled when they are
 * configured (regular expressions once, prefix-lists as tries), so that
 * applying a policy costs little per route.
 *
 * Attachment points keep the NAME of the object (FRR allows referencing an
 * object that does not exist yet) and look it up when they apply it:
 * - a route-map that does not exist denies everything (FRR's behaviour for
 *   a neighbor's route-map); policy_route_map_apply() says so in the trace;
 * - a prefix-list, community-list or as-path list that does not exist
 *   never matches (FRR), and `show route-map` names it as missing.
 *
 * Every change of a policy object calls the change hook (set by the BGP
 * speaker), which re-evaluates the attachment points that use policy
 * (soft reconfiguration: Adj-RIB-In kept, no session reset). */
#ifndef PE_BGP_POLICY_H
#define PE_BGP_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "mpbgp/wire.h"

struct cli;

enum policy_result { POLICY_DENY = 0, POLICY_PERMIT = 1 };

/* What a route-map sees of a route, and may change. */
struct policy_route {
	const struct prefix *pfx;        /* the route's prefix (RD stripped) */
	struct bgp_attr *attr;           /* a template (refcnt 0): `set` clauses change it */
	uint32_t *weight;                /* `set weight` (NULL: ignored) */
	const struct ipaddr *peer_addr;  /* `set ip next-hop peer-address` (NULL: none) */
	const char *source_vrf;          /* `match source-vrf` (NULL or "": none) */
	bool nexthop_unchanged;          /* out: `set ip next-hop unchanged` was applied */
};

/* Why a route-map gave its verdict, step by step (for `explain`). Filled
 * only when a trace is passed; NULL costs nothing. */
#define POLICY_TRACE_MAX 16
struct policy_trace_step {
	char map[64];       /* route-map name */
	uint32_t seq;       /* entry sequence number; 0: no entry (missing map, implicit deny) */
	bool permit;        /* the entry's type */
	bool matched;       /* every match clause of the entry matched */
	char detail[200];   /* "match ip address prefix-list PL: no match", "set local-preference 200" */
};
struct policy_trace {
	int n;                                    /* steps recorded (at most POLICY_TRACE_MAX) */
	struct policy_trace_step step[POLICY_TRACE_MAX];
	enum policy_result result;
	char reason[200];   /* one line: "permitted by route-map RM seq 10", "denied: route-map RM
			     * is not defined", "denied: no entry of route-map RM matched" */
};

/* ---- lookups and application (policy.c) ---- */

bool policy_route_map_exists(const char *name);
/* Applies route-map name to r. NULL or "" name: POLICY_PERMIT with nothing
 * changed. A map that does not exist: POLICY_DENY. On deny, r->attr may
 * have been changed partly: callers discard it. */
enum policy_result policy_route_map_apply(const char *name, struct policy_route *r,
					  struct policy_trace *trace);
/* `ip prefix-list` / `ipv6 prefix-list` NAME for pfx (the list of pfx's
 * family). A list that does not exist: POLICY_DENY, *exists = false. */
enum policy_result policy_prefix_list_apply(const char *name, const struct prefix *pfx,
					    bool *exists);
/* `bgp as-path access-list NAME` for attr's AS_PATH. Missing list: deny. */
enum policy_result policy_as_path_apply(const char *name, const struct bgp_attr *attr,
					bool *exists);

/* Called (once, from the event loop, coalesced) after policy objects
 * changed; names[] lists the route-maps and lists that changed (NULL: any
 * may have). The speaker re-evaluates what uses them. */
typedef void (*policy_change_fn)(void);
void policy_set_change_hook(policy_change_fn fn);
/* Sets the event base used to coalesce change notifications (NULL: call
 * the hook at once, as unit tests want). */
struct event_base;
void policy_set_event_base(struct event_base *base);

/* Frees every policy object (daemon exit, tests). */
void policy_fini(void);

/* ---- configuration (policy_cli.c) ---- */

void policy_cli_init(void);
/* Prefix-lists, community lists, as-path lists, then route-maps, in FRR's
 * order and form. */
void policy_config_write(struct cli *cli);

#endif
