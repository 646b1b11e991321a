/* The VRF registry: name, id, RD, import/export route targets, route limit,
 * the namespace backing it, its RIB and its LPM FIB. VRF 0 is "default". */
#ifndef PE_VRF_H
#define PE_VRF_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "lib/rdrt.h"
#include "vrf/rib.h"

#define VRF_NAMSIZ 32
#define VRF_DEFAULT_ID 0
#define VRF_DEFAULT_NAME "default"
#define VRF_MAX_RT 64

struct fib;
struct fib6;

struct rt_set {
	int count;
	struct ecomm rt[VRF_MAX_RT];
};

struct static_route {
	struct static_route *next;   /* the VRF's list, in the order they came */
	struct static_route *hnext;  /* vrf.c's index by prefix (private) */
	uint64_t seq;                /* vrf.c: insertion order (private) */
	struct prefix pfx;
	struct ipaddr gw;            /* af 0 = interface or blackhole route */
	char ifname[RIB_IFNAMSIZ];   /* "" = none */
	bool blackhole;
	uint8_t distance;
	/* `... bfd [{multi-hop|source A.B.C.D|profile NAME}]`: the next hop
	 * counts only while its BFD session is up (ped's tracker sets
	 * bfd_down and calls static_bfd_changed) */
	bool bfd, bfd_multihop;
	struct ipaddr bfd_source;     /* af 0 = none */
	char bfd_profile[64];
	bool bfd_down;
	void *bfd_handle;             /* the tracker's */
};

struct vrf {
	struct vrf *next;                  /* by name (vrf_first/vrf_next) */
	struct vrf *prev;                  /* (private to vrf.c) */
	struct vrf *hnext_name, *hnext_id; /* hash chains (private to vrf.c) */
	char name[VRF_NAMSIZ];
	uint32_t id;
	bool rd_set;
	struct rd rd;
	struct rt_set rt_import;
	struct rt_set rt_export;
	bool rd_rt_in_bgp;    /* set with FRR's `rd vpn export`/`rt vpn`: printed there */
	uint32_t max_routes;  /* 0 = no limit */
	bool max_warn_only;
	bool limit_warned;
	char netns[64];       /* backing namespace ("" for default) */
	bool netns_created;   /* ped created it (and so may delete it) */
	int nsfd;             /* -1 until opened */
	struct rib *rib;
	struct fib *fib;      /* IPv4 LPM */
	struct fib6 *fib6;    /* IPv6 LPM (same next-hop group ids) */
	struct static_route *statics; /* in insertion order; static_sorted() for prefix order */
	struct static_index *sidx;    /* vrf.c's index of statics by prefix (private) */
	void *owner;          /* per-VRF state of pe/ (netlink listener...) */
};

/* Next-hop groups: the FIB stores a 24-bit id per prefix; the group behind
 * an id never changes (interned: equal groups share one id). */
struct vrf_nh {
	struct ipaddr gw;            /* af 0 = directly connected */
	char ifname[RIB_IFNAMSIZ];   /* given or resolved interface ("" for VPN routes) */
	bool blackhole;
	uint32_t nh_vrf_id;          /* VRF the gateway is reached in (VPN routes: 0) */
	int nlabels;                 /* labels to push (VPN label), outermost first */
	uint32_t labels[2];
	bool backup;                 /* PIC edge backup (after the primaries) */
};
struct vrf_nhg {
	struct vrf_nhg *hnext;
	uint32_t id;
	uint32_t refcnt;
	uint32_t hash;
	uint32_t vrf_id;
	int count;
	struct vrf_nh nh[RIB_MAX_NH];
};

/* vrf.c */
void vrf_init(void);
void vrf_fini(void);
struct vrf *vrf_default(void);
struct vrf *vrf_lookup(const char *name); /* "default" gives the default VRF */
struct vrf *vrf_lookup_id(uint32_t id);
struct vrf *vrf_create(const char *name, char *err, size_t errlen);
/* Refuses (-1 + err naming them) while interfaces use the VRF. */
int vrf_delete(struct vrf *vrf, char *err, size_t errlen);
struct vrf *vrf_first(void); /* non-default VRFs in name order */
struct vrf *vrf_next(const struct vrf *vrf);
int vrf_count(void);
int rt_set_add(struct rt_set *s, const struct ecomm *rt);
int rt_set_del(struct rt_set *s, const struct ecomm *rt);
bool rt_set_has(const struct rt_set *s, const struct ecomm *rt);
/* Static routes (FRR semantics: same prefix+nexthop replaces the distance). */
enum static_result { STATIC_ADDED, STATIC_UPDATED, STATIC_EXISTS, STATIC_LIMIT, STATIC_NOTFOUND };
enum static_result static_add(struct vrf *vrf, const struct static_route *sr);
enum static_result static_del(struct vrf *vrf, const struct static_route *sr, bool any_distance);
void static_refresh(struct vrf *vrf);
/* The VRF's static routes sorted by prefix, then in the order they came (the
 * running config's order): a malloc'd array of *n (free it), NULL if none. */
struct static_route **static_sorted(const struct vrf *vrf, size_t *n);
/* The BFD state of sr's next hop changed (sr->bfd_down): re-feed its prefix. */
void static_bfd_changed(struct vrf *vrf, struct static_route *sr);
/* Static routes with `bfd`: track() when one appears or its BFD settings
 * change, untrack() before it goes (set by pe/). */
struct static_bfd_hooks {
	void (*track)(struct vrf *vrf, struct static_route *sr);
	void (*untrack)(struct static_route *sr);
};
void static_set_bfd_hooks(const struct static_bfd_hooks *h);
/* Hooks set by pe/: interfaces using a VRF (for delete refusal), lifecycle. */
struct vrf_hooks {
	/* writes the names of interfaces bound to vrf into buf; returns count */
	int (*users)(const struct vrf *vrf, char *buf, size_t len);
	void (*created)(struct vrf *vrf);
	void (*deleted)(struct vrf *vrf);
};
void vrf_set_hooks(const struct vrf_hooks *h);
/* The default RIB install hook (VRF LPM FIB); owners that wrap it call it. */
bool vrf_fib_install(void *arg, struct rib *rib, struct rib_dest *d, struct rib_route *sel);
/* Told of every change of a selected route in any VRF (BGP redistribution,
 * next-hop tracking). */
void vrf_set_route_notify(void (*fn)(struct vrf *vrf, const struct rib_dest *d));
/* RD or route targets of a VRF changed (BGP re-exports / re-imports). */
void vrf_set_cfg_notify(void (*fn)(struct vrf *vrf));
void vrf_cfg_changed(struct vrf *vrf);
/* Next-hop groups by id (NULL if unused); told when an id appears (before
 * any FIB entry uses it) and disappears (after the last one is gone). */
const struct vrf_nhg *vrf_nhg(uint32_t id);
void vrf_set_nhg_notify(void (*fn)(const struct vrf_nhg *g, bool add));
int vrf_nhg_walk(int (*fn)(void *arg, const struct vrf_nhg *g), void *arg);

/* vrf_cli.c */
void vrf_cli_init(void);
struct cli;
void vrf_config_write(struct cli *cli);
/* VRF route limit check used by the RIB when a new prefix arrives. */
int vrf_route_limit_check(struct vrf *vrf, uint64_t current);
struct json_object;
void vrf_cli_set_ifaces_fn(void (*fn)(const struct vrf *vrf, struct json_object *arr));

#endif
