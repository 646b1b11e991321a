/* rtnetlink over libmnl: dumps, change notifications, and the few changes ped
 * makes (addresses, link moves/state, core routes). Every message read from
 * the kernel is parsed with bounds (mnl_attr_validate) and unknown attributes
 * are ignored. IPv4 and IPv6 (addresses, neighbors, routes). */
#ifndef PE_NL_H
#define PE_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"

#define NL_MAX_NEXTHOPS 16
#define NL_IFNAMSIZ 16

struct nl_link {
	int ifindex;
	char name[NL_IFNAMSIZ];
	unsigned flags; /* IFF_* */
	bool up;        /* IFF_UP */
	bool running;   /* IFF_RUNNING (carrier) */
	uint32_t mtu;
	uint8_t mac[6];
	char kind[16];  /* IFLA_INFO_KIND ("veth", "" if none) */
};

struct nl_addr {
	int ifindex;
	struct prefix pfx; /* the interface address (not masked) and its length */
};

/* A neighbor entry: ARP (IPv4) or ND (IPv6). */
struct nl_neigh {
	int ifindex;
	struct ipaddr ip;
	uint16_t state;  /* NUD_* */
	bool has_mac;    /* NDA_LLADDR present (6 bytes) */
	uint8_t mac[6];
};

struct nl_nexthop {
	struct ipaddr gw; /* af 0 if none */
	int ifindex; /* 0 if none */
};

struct nl_route {
	struct prefix dst;
	uint32_t table;   /* RT_TABLE_MAIN = 254 */
	uint8_t protocol; /* RTPROT_* */
	uint8_t scope;
	uint8_t type;     /* RTN_UNICAST, RTN_BLACKHOLE, ... */
	uint32_t metric;  /* RTA_PRIORITY */
	bool onlink;      /* RTNH_F_ONLINK: the gateway is on the link, no address needed */
	int nh_count;
	struct nl_nexthop nh[NL_MAX_NEXTHOPS]; /* RTA_MULTIPATH expanded */
};

/* Callbacks (any may be NULL). Consumers MUST be idempotent: a dump reports
 * everything as add = true, including what they already know, and
 * notifications queued while a dump ran arrive after it (replaying changes
 * the dump already showed). After a receive-queue overrun (ENOBUFS) the
 * notifications lost are not replayed: nl_dispatch() redumps everything, so
 * deletions are only visible as "absent from the dump" -- use resync for
 * a mark-and-sweep if that matters. */
struct nl_cbs {
	void (*link)(void *arg, bool add, const struct nl_link *l);
	void (*addr)(void *arg, bool add, const struct nl_addr *a);
	void (*route)(void *arg, bool add, const struct nl_route *r);
	/* neighbors (subscribed and dumped only when set) */
	void (*neigh)(void *arg, bool add, const struct nl_neigh *n);
	/* Added: brackets every full dump (nl_dump() and the redump after an
	 * overrun): end = false before the first entry, end = true after the
	 * last one, only when the dump completed. What was not reported in
	 * between is gone from the kernel. */
	void (*resync)(void *arg, bool end);
};

struct nl_sock;

/* nl.c */
/* A listening socket inside namespace nsfd (-1: current) subscribed to
 * link, address and route groups of both families; callbacks get every change.
 * Receive buffer is enlarged; on ENOBUFS (overrun) nl_dispatch() redumps. */
struct nl_sock *nl_listen(int nsfd, const struct nl_cbs *cbs, void *arg);
void nl_close(struct nl_sock *nl);
int nl_fd(const struct nl_sock *nl);
/* Reads and dispatches whatever is pending (non-blocking), at most a few
 * thousand datagrams per call (the fd stays readable if more is queued). On
 * an overrun it discards the queue and redumps (see struct nl_cbs).
 * Callbacks must not call nl_close() on this socket. -1 on fatal error. */
int nl_dispatch(struct nl_sock *nl);
/* Synchronous full dump of links, then addresses, then routes (all
 * tables), delivered through the callbacks with add = true. Uses its own
 * socket: notifications meanwhile stay queued on nl_fd() and should be
 * dispatched afterwards (listen first, then dump, then dispatch). */
int nl_dump(struct nl_sock *nl);

/* Added: parses a buffer of rtnetlink messages exactly as nl_dispatch()
 * parses a datagram from the kernel and calls cbs (replay, tests). buf
 * should be 4-byte aligned. */
void nl_feed(const struct nl_cbs *cbs, void *arg, const void *buf, size_t len);

/* One-shot synchronous requests (own socket each, ACK awaited); return 0
 * or -1 with the kernel's reason in err. */
int nl_link_move(int from_nsfd, const char *ifname, int to_nsfd, char *err, size_t errlen);
int nl_link_set_up(int nsfd, const char *ifname, bool up, char *err, size_t errlen);
int nl_ifindex(int nsfd, const char *ifname); /* -1 if absent */
int nl_addr_change(int nsfd, bool add, const char *ifname, const struct prefix *addr, char *err,
		   size_t errlen);
/* Asks the kernel of namespace nsfd to resolve ip on ifindex (an ARP
 * request or a neighbor solicitation if the entry is missing or stale:
 * RTM_NEWNEIGH with NTF_USE). */
int nl_neigh_resolve(int nsfd, int ifindex, const struct ipaddr *ip, char *err, size_t errlen);
/* Route in the main table with the given protocol; nh_count 0 = blackhole.
 * A delete matches r->type (RTN_UNSPEC: any type) and r->protocol. */
int nl_route_change(int nsfd, bool add, const struct nl_route *r, char *err, size_t errlen);
/* A veth pair name/peer, both ends in namespace nsfd, with the given MACs. */
int nl_veth_add(int nsfd, const char *name, const uint8_t mac[6], const char *peer,
		const uint8_t peer_mac[6], char *err, size_t errlen);
int nl_link_del(int nsfd, const char *ifname, char *err, size_t errlen);
/* A permanent neighbor entry (ip -> mac on ifindex), replacing any other. */
int nl_neigh_set_permanent(int nsfd, int ifindex, const struct ipaddr *ip, const uint8_t mac[6],
			   char *err, size_t errlen);

#endif
