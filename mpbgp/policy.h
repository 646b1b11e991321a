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

/* The same for interned attributes, the form BGP ingest has: on permit,
 * *out is the interned result (a reference for the caller; the same object
 * as in when nothing changed), *weight what `set weight` gave (0 if none)
 * and *nh_unchanged whether `set ip next-hop unchanged` applied. Routes
 * with the same input attributes that take the same route-map entries
 * share one evaluation of the set clauses and one interned result (a
 * memo, emptied when any policy object changes), so that a policy setting
 * attributes costs about as much as one that only matches. */
enum policy_result policy_route_map_apply_interned(const char *name, const struct prefix *pfx,
						   const struct bgp_attr *in,
						   const struct ipaddr *peer_addr,
						   const char *source_vrf,
						   const struct bgp_attr **out, uint32_t *weight,
						   bool *nh_unchanged);

/* Called (once, from the event loop, coalesced) after policy objects
 * changed (any of them may have); the speaker re-evaluates what uses
 * policy. */
typedef void (*policy_change_fn)(void);
void policy_set_change_hook(policy_change_fn fn);
/* Sets the event base used to coalesce change notifications (NULL: call
 * the hook at once, as unit tests want). */
struct event_base;
void policy_set_event_base(struct event_base *base);

/* Frees every policy object (daemon exit, tests). */
void policy_fini(void);

/* ---- internals (policy.c): the compiled objects, for policy_cli.c
 * (configuration, show, running-config) and the unit tests. Attachment
 * points use only the functions above. ---- */

#include <regex.h>

#define POLICY_NAME_MAX 63 /* names are at most this long (trace step map[64]) */

/* One prefix-list entry: matches a prefix inside p whose length is in
 * [lo, hi] (FRR: no ge/le = exact; ge only: up to the maximum; le only:
 * from the mask length). */
struct plist_entry {
	uint32_t seq;
	bool permit;
	bool any;        /* `any`: 0.0.0.0/0 le 32, ::/0 le 128 */
	struct prefix p; /* masked */
	uint8_t ge, le;  /* as configured; 0: not given */
	uint8_t lo, hi;
};
struct pl_node;
struct plist {
	char *name;
	int af; /* AF_INET or AF_INET6 */
	char *descr;
	struct plist_entry *e; /* by ascending seq */
	size_t n, cap;
	struct pl_node *trie; /* rebuilt after each change */
};

enum clist_kind { CLIST_COMM, CLIST_LCOMM, CLIST_ECOMM, CLIST_KIND_MAX };
struct lcomm {
	uint32_t g, l1, l2;
};
struct clist_entry {
	uint32_t seq;
	bool permit;
	char *text;  /* canonical values ("65000:1 no-export", "rt 65000:1") or the regex */
	regex_t *re; /* expanded lists */
	size_t nval; /* standard lists: the values, all of which must be present */
	uint32_t *comm;
	struct lcomm *lcomm;
	struct ecomm *ecomm;
};
struct clist {
	char *name;
	enum clist_kind kind;
	bool expanded;
	struct clist_entry *e; /* by ascending seq */
	size_t n, cap;
};

struct aslist_entry {
	uint32_t seq;
	bool permit;
	char *text;  /* as configured */
	regex_t *re; /* `_` translated */
};
struct aslist {
	char *name;
	struct aslist_entry *e; /* by ascending seq */
	size_t n, cap;
};

enum rm_match {
	RM_MATCH_IP_PL,
	RM_MATCH_IPV6_PL,
	RM_MATCH_NH_PL,
	RM_MATCH_COMM,
	RM_MATCH_LCOMM,
	RM_MATCH_ECOMM,
	RM_MATCH_ASPATH,
	RM_MATCH_SRC_VRF,
	RM_MATCH_METRIC, /* `match metric N`: the value as text in match[] */
	RM_MATCH_LPREF,  /* `match local-preference N` */
	RM_MATCH_MAX
};
#define RM_SET_LPREF (1u << 0)
#define RM_SET_METRIC (1u << 1)
#define RM_SET_WEIGHT (1u << 2)
#define RM_SET_ORIGIN (1u << 3)
#define RM_SET_COMM (1u << 4)
#define RM_SET_COMM_DELETE (1u << 5)
#define RM_SET_RT (1u << 6)
#define RM_SET_SOO (1u << 7)
#define RM_SET_PREPEND (1u << 8)
#define RM_SET_NH (1u << 9)
enum rm_nh { RM_NH_ADDR, RM_NH_PEER, RM_NH_UNCHANGED };
enum rm_exit { RM_EXIT, RM_NEXT, RM_GOTO };

struct rm_entry {
	uint32_t seq;
	bool permit;
	char *descr;
	char *match[RM_MATCH_MAX]; /* names (NULL: no such clause) */
	bool comm_exact;
	uint32_t sets; /* RM_SET_* */
	uint32_t lpref, metric, weight;
	char metric_op; /* '=', '+', '-' */
	uint8_t origin;
	uint32_t *comm; /* set community (none: ncomm 0) */
	uint16_t ncomm;
	bool comm_additive;
	char *comm_delete; /* set comm-list NAME delete */
	struct ecomm *rt;
	uint16_t nrt;
	struct ecomm soo;
	uint32_t *prepend;
	uint16_t nprepend;
	enum rm_nh nh_mode;
	struct ipaddr nh;
	char *call;
	enum rm_exit exit;
	uint32_t goto_seq;
	uint64_t invoked; /* times the entry matched */
	/* the objects the match clauses name, looked up once per generation
	 * of the policy objects (policy.c's counter, bumped by every change) */
	void *mobj[RM_MATCH_MAX];
	uint64_t mobj_gen;
};
struct rm_ct;
struct route_map {
	char *name;
	struct rm_entry **e; /* by ascending seq */
	size_t n, cap;
	uint64_t invoked;
	/* compiled: the prefix-lists of every `match ip|ipv6 address
	 * prefix-list` clause in one trie per family (policy.c), rebuilt when
	 * the generation changed */
	struct rm_ct *ct;
	uint64_t ct_gen;
};

enum policy_obj {
	POBJ_PLIST4,
	POBJ_PLIST6,
	POBJ_CLIST_COMM,
	POBJ_CLIST_LCOMM,
	POBJ_CLIST_ECOMM,
	POBJ_ASLIST,
	POBJ_RMAP,
	POBJ_MAX
};

/* policy.c */
void *policy_obj_lookup(enum policy_obj kind, const char *name);
/* A match clause kind's words ("ip address prefix-list") and the kind of
 * object it names (POBJ_MAX: it takes a value). */
const char *policy_match_text(int k);
enum policy_obj policy_match_obj(int k);
/* Every object of kind, sorted by name; the caller frees the array. */
void **policy_obj_sorted(enum policy_obj kind, size_t *n);
/* Calls the change hook (coalesced through the event base when set). */
void policy_notify(void);
/* Prefix-lists. add: validates ge/le (0, or -1 with "% ..." in err); seq 0:
 * FRR's automatic seq (highest + 5); an identical entry without seq is a
 * no-op. del_entry: by seq when seq != 0, else by value. */
int policy_plist_add(int af, const char *name, uint32_t seq, bool permit, const char *pfx,
		     unsigned ge, unsigned le, char *err, size_t errlen);
int policy_plist_del_entry(int af, const char *name, uint32_t seq, bool permit,
			   const char *pfx, unsigned ge, unsigned le, char *err, size_t errlen);
int policy_plist_del(int af, const char *name, char *err, size_t errlen);
int policy_plist_descr(int af, const char *name, const char *descr); /* NULL: remove */
/* Community lists: values is the rest of the line. */
int policy_clist_add(enum clist_kind kind, bool expanded, const char *name, uint32_t seq,
		     bool permit, const char *values, char *err, size_t errlen);
int policy_clist_del(enum clist_kind kind, const char *name, bool has_entry, bool permit,
		     const char *values, char *err, size_t errlen);
int policy_aslist_add(const char *name, uint32_t seq, bool permit, const char *regex, char *err,
		      size_t errlen);
int policy_aslist_del(const char *name, uint32_t seq, const char *regex, char *err,
		      size_t errlen);
/* Route-maps: entry get/create (an entry of the other type at seq is
 * replaced, as FRR does); entries are changed in place by policy_cli.c,
 * which then calls policy_notify(). */
struct rm_entry *policy_rmap_entry(const char *name, bool permit, uint32_t seq, bool create);
int policy_rmap_del(const char *name, bool has_entry, bool permit, uint32_t seq, char *err,
		    size_t errlen);
/* 0, or -1 with "% route-map call loop: A -> B -> A" when map calling
 * callee would close a cycle. */
int policy_rmap_call_check(const char *map, const char *callee, char *err, size_t errlen);
void policy_rmap_entry_clear_sets(struct rm_entry *e, uint32_t bits);
/* Formatting shared with show/running-config. */
const char *policy_comm_str(uint32_t c, char *buf, size_t len);
int policy_comm_parse(const char *s, uint32_t *out);
/* The route's large communities (from attr->unknown, type 32): count
 * written to out (at most max). */
size_t policy_lcomm_get(const struct bgp_attr *attr, struct lcomm *out, size_t max);

/* ---- configuration (policy_cli.c) ---- */

void policy_cli_init(void);
/* Prefix-lists, community lists, as-path lists, then route-maps, in FRR's
 * order and form. */
void policy_config_write(struct cli *cli);

#endif
