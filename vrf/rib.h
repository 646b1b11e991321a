/* Per-VRF routing information base: every source's routes per prefix,
 * administrative-distance selection, ECMP next hops, and the hand-off of the
 * selected route to the VRF's forwarding table. */
#ifndef PE_RIB_H
#define PE_RIB_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "lib/label.h"
#include "lib/prefix.h"

#define RIB_MAX_NH 16
#define RIB_IFNAMSIZ 16

enum rib_proto {
	RIB_CONNECTED,
	RIB_KERNEL,
	RIB_STATIC,
	RIB_OSPF,
	RIB_BGP,
	RIB_PROTO_MAX
};

struct rib_nh {
	struct ipaddr gw;            /* af 0 = none */
	char ifname[RIB_IFNAMSIZ];   /* "" = none (resolved via gw) */
	int ifindex;                 /* 0 = unknown */
	bool blackhole;
	uint32_t nh_vrf_id;          /* VRF the gateway lives in (imported VPN routes: 0) */
	bool nh_vrf_set;
	int nlabels;                 /* labels to push (VPN label, outermost first) */
	uint32_t labels[2];
	bool backup;                 /* PIC edge: used only while the primaries' remote PE
				      * is down (backups come after the primaries) */
	/* computed */
	bool active;
	bool fib;
	char res_ifname[RIB_IFNAMSIZ]; /* interface the gw resolved to */
};

struct rib_route {
	struct rib_route *next;
	enum rib_proto proto;
	uint32_t key;       /* distinguishes routes of one source (static: distance) */
	uint8_t distance;
	uint32_t metric;
	time_t uptime;
	bool selected;
	bool installed;
	bool stale; /* not seen again since rib_mark_stale() */
	int nh_count;
	struct rib_nh nh[]; /* nh_count of them */
};

struct rib_dest {
	struct prefix pfx;
	struct rib_route *routes;
	struct rib_route *selected;
	uint32_t fib_nh; /* next-hop group id in the FIB, 0 if not installed */
};

struct rib;
struct vrf;

/* What the RIB tells its owner when the selected route of a prefix changes. */
struct rib_hooks {
	/* sel == NULL: prefix no longer has a selected route. Return true if the
	 * route is now installed in a FIB (kernel or dataplane). */
	bool (*install)(void *arg, struct rib *rib, struct rib_dest *d, struct rib_route *sel);
	/* Resolves a gateway to an active interface name (connected lookup). */
	void *arg;
};

struct rib_stats {
	uint64_t routes;    /* prefixes with at least one route */
	uint64_t rejected;  /* refused by the VRF route limit */
};

/* rib.c */
struct rib *rib_new(struct vrf *vrf);
void rib_free(struct rib *rib);
void rib_set_hooks(struct rib *rib, const struct rib_hooks *hooks);
struct vrf *rib_vrf(const struct rib *rib);
/* Adds or replaces the route (proto, key) for pfx. Returns 0, or -1 when the
 * VRF's route limit refuses a new prefix (nothing changed). */
int rib_update(struct rib *rib, const struct prefix *pfx, enum rib_proto proto, uint32_t key,
	       uint8_t distance, uint32_t metric, const struct rib_nh *nh, int nh_count);
/* Removes the route (proto, key) for pfx; 0 or -1 if absent. */
int rib_withdraw(struct rib *rib, const struct prefix *pfx, enum rib_proto proto, uint32_t key);
/* Removes every route of proto (e.g. all kernel routes before a redump). */
void rib_withdraw_proto(struct rib *rib, enum rib_proto proto);
struct rib_dest *rib_lookup_exact(const struct rib *rib, const struct prefix *pfx);
/* Longest match among prefixes that have a selected route. */
struct rib_dest *rib_match(const struct rib *rib, const struct ipaddr *addr);
/* Recomputes next-hop activity and selection for every prefix (after an
 * interface or connected-route change). */
void rib_reevaluate(struct rib *rib);
/* Mark-and-sweep after a full resync from a source (e.g. a netlink redump):
 * mark every route of proto, let the dump refresh them, withdraw the rest. */
void rib_mark_stale(struct rib *rib, enum rib_proto proto);
void rib_sweep_stale(struct rib *rib, enum rib_proto proto);
/* In prefix order (IPv4 first, then address, then length). Stop early by
 * returning non-zero. rib_walk_af: one family's prefixes only. */
int rib_walk(const struct rib *rib, int (*fn)(void *arg, struct rib_dest *d), void *arg);
int rib_walk_af(const struct rib *rib, int af, int (*fn)(void *arg, struct rib_dest *d), void *arg);
uint64_t rib_count(const struct rib *rib);
uint64_t rib_count_af(const struct rib *rib, int af);
const struct rib_stats *rib_stats(const struct rib *rib);
void rib_count_rejected(struct rib *rib);
const char *rib_proto_name(enum rib_proto p);
char rib_proto_code(enum rib_proto p);
uint8_t rib_proto_distance(enum rib_proto p);
/* Interface state used to decide next-hop activity: set by pe/iface. */
void rib_set_ifstate_fn(bool (*fn)(const struct vrf *vrf, const char *ifname, int *ifindex));

#endif
