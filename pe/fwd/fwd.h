/* The forwarding plane (user space): ports, the tables the worker reads, and
 * the packet pipeline. See ../../docs/architecture.md "Forwarding".
 *
 * Shape:
 *   control plane (libevent thread)            worker thread
 *   fwd_ctl.c builds struct fwd_tables  --->   worker.c: rx burst per port
 *   (RCU-style publication, epoch.c)           pipeline.c: fwd_process()
 *                                              worker.c: tx per output port
 *
 * Concurrency contract: everything reachable from struct fwd_tables that the
 * worker reads is either immutable once published (struct fwd_nh, struct
 * fwd_neigh_tab, struct fwd_neigh6_tab, struct fwd_vrf, struct fwd_port_cfg)
 * and replaced by an atomic pointer store, or a struct fib or fib6 (which
 * support one writer and concurrent readers themselves). Old objects are
 * freed only after the worker has passed a quiescent state (epoch.c). The
 * worker never takes a lock; counters (and the ICMP rate limit's buckets)
 * are written by the worker only and read racily (64-bit aligned) by the
 * control plane.
 *
 * IPv4 addresses in these structures are in HOST byte order, IPv6 addresses
 * 16 bytes in network byte order (lib/prefix.h); labels are 20-bit values
 * in the low bits of a uint32_t. Frames are Ethernet II. The core is IPv4
 * (LDP LSPs toward IPv4 loopbacks); customer packets are IPv4 or IPv6 (6VPE,
 * RFC 4659: the same labels over the same LSPs). */
#ifndef PE_FWD_H
#define PE_FWD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/label.h"
#include "lib/prefix.h"

struct fib;
struct fib6;

#define FWD_MAX_PORTS 256    /* port indexes 0..FWD_MAX_PORTS-1 */
#define FWD_MAX_VRFS 4096    /* VRF ids 0..FWD_MAX_VRFS-1 (0 = default: the core) */
#define FWD_MAX_PUSH 3       /* labels one next hop may push */
#define FWD_MAX_ADJ 16       /* ECMP members of one next hop */
#define FWD_MAX_LOCAL 16     /* own addresses per VRF (left to the kernel) */
#define FWD_MAX_PE 4096      /* remote PEs watched for PIC edge: slots 1..FWD_MAX_PE-1 */
#define FWD_BURST 32         /* packets handed to fwd_process() at once, at most */
#define FWD_HEADROOM 64      /* bytes before a received frame, for pushes */
#define FWD_BUF_SIZE 2048    /* headroom + frame: frames up to FWD_BUF_SIZE-FWD_HEADROOM */
#define FWD_ICMP_MAX 576     /* ICMP errors we originate: at most this IP length (RFC 1812) */
#define FWD_ICMP6_MAX 1280   /* ICMPv6 errors: at most the minimum IPv6 MTU (RFC 4443 2.4 (c)) */
#define FWD_ICMP_RATE 200    /* ICMP(v6) errors per second and receiving port, at most */
#define FWD_ICMP_BURST 100   /* ... and in one burst (RFC 4443 2.4 (f), RFC 1812 4.3.2.8) */

#define ETH_P_MPLS_UC 0x8847

/* Why a packet was dropped (or not forwarded by us). Counted per port and per
 * VRF. Names for show output: fwd_drop_name(). */
enum fwd_drop {
	FWD_OK = 0,           /* forwarded (out_port set) */
	FWD_DROP_MALFORMED,   /* truncated/bad IP header (version, IHL, length), bad MPLS */
	FWD_DROP_NO_ROUTE,    /* VRF FIB miss; IPv6 from an address that may not be routed */
	FWD_DROP_BLACKHOLE,   /* route says drop */
	FWD_DROP_NO_LSP,      /* route via a remote PE with no transport LSP / unresolved */
	FWD_DROP_TTL,         /* TTL or hop limit expired (IP or label) */
	FWD_DROP_MTU,         /* too big for the out port after pushes (ICMP sent if DF;
			       * ICMPv6 always) */
	FWD_DROP_NO_NEIGH,    /* next hop's MAC unknown (resolution requested) */
	FWD_DROP_BAD_LABEL,   /* label not ours / not bound, reserved label we do not handle */
	FWD_DROP_PORT_DOWN,   /* output port down or gone */
	FWD_DROP_NOT_IP,      /* payload after the last pop is neither IPv4 nor IPv6 */
	FWD_DROP_TX,          /* the output queue refused it */
	FWD_DROP_STACK,       /* label stack too deep */
	FWD_DROP_MAX
};
/* Not drops: the frame is for the kernel (own address, broadcast, multicast,
 * IPv6 link-local destinations, neither IPv4 nor IPv6 on a customer port);
 * counted as "punt" and otherwise ignored, because the kernel got its own
 * copy. */
#define FWD_PUNT 0xfe

const char *fwd_drop_name(enum fwd_drop d); /* camelCase, for JSON: "noRoute" ... */

/* ---- ports ---- */

/* Configuration of a port as the worker sees it (immutable once published). */
struct fwd_port_cfg {
	uint16_t idx;
	int ifindex;          /* in the port's namespace */
	uint32_t vrf_id;      /* 0: core (MPLS) port; else a customer (VRF) port */
	uint8_t mac[6];
	uint32_t mtu;         /* IP MTU of the link */
	uint32_t addr;        /* primary IPv4 address: source of our ICMP errors (0: none) */
	uint8_t addr6[16];    /* source of our ICMPv6 errors: a global IPv6 address of the
			       * port, else its link-local one (all zero: none) */
	bool up;
	char name[16];
};

/* Families of the IP packets counted in struct fwd_counters.af (index - 1). */
#define FWD_AF_IPV4 1
#define FWD_AF_IPV6 2

/* What became of the IP packets of one family: customer packets (from a VRF
 * port) and packets under the last label popped here. Label swaps are in
 * neither family. tx is counted on the output port, the rest on the input
 * port (and both on the VRF the outcome belongs to). */
struct fwd_af_counters {
	uint64_t tx_pkts, tx_bytes; /* forwarded */
	uint64_t punt;
	uint64_t icmp_sent;
	uint64_t drop[FWD_DROP_MAX];
};

struct fwd_counters {
	uint64_t rx_pkts, rx_bytes;
	uint64_t tx_pkts, tx_bytes;
	uint64_t punt;
	uint64_t icmp_sent;  /* ICMP and ICMPv6 errors originated */
	uint64_t drop[FWD_DROP_MAX];
	uint64_t icmp_limited; /* errors not sent: over FWD_ICMP_RATE (the drop is counted) */
	struct fwd_af_counters af[2]; /* [FWD_AF_IPV4 - 1], [FWD_AF_IPV6 - 1] */
};

/* ---- neighbors (per port; immutable snapshot, open addressing) ---- */
struct fwd_neigh {
	uint32_t ip;          /* 0 = empty slot */
	uint8_t mac[6];
};
struct fwd_neigh_tab {
	uint32_t mask;        /* slots - 1 (power of two, at least 2x the entries) */
	struct fwd_neigh slot[]; /* linear probing from fwd_neigh_hash(ip) & mask */
};
static inline uint32_t fwd_neigh_hash(uint32_t ip)
{
	return (ip * 2654435761u) >> 7;
}

/* IPv6 neighbors (ND), the same per port: all-zero address = empty slot. */
struct fwd_neigh6 {
	uint8_t ip[16];
	uint8_t mac[6];
};
struct fwd_neigh6_tab {
	uint32_t mask;
	struct fwd_neigh6 slot[];
};
static inline uint32_t fwd_neigh6_hash(const uint8_t ip[16])
{
	uint32_t w[4];

	memcpy(w, ip, 16);
	return ((w[0] ^ w[1]) * 0x9e3779b1u ^ (w[2] ^ w[3]) * 2654435761u) >> 7;
}

/* ---- next hops and LSPs ---- */

/* One way out: an output port, the next hop whose MAC the frame gets, and
 * the labels to push, outermost first (labels[0] is the top of the stack).
 * The next hop is gw (IPv4; 0: directly connected, use the packet's own
 * destination, of its family) unless gw_af is AF_INET6: then gw6 (a CE's
 * IPv6 address; also for IPv4 packets, RFC 5549). IPv4 paths read gw_af
 * and gw only. */
struct fwd_adj {
	uint16_t port;
	uint8_t nlabels;      /* 0..FWD_MAX_PUSH */
	uint8_t gw_af;        /* 0 or AF_INET: gw; AF_INET6: gw6 */
	union {
		uint32_t gw;
		uint8_t gw6[16];
	};
	uint32_t labels[FWD_MAX_PUSH];
};

enum fwd_nh_type {
	FWD_NH_DROP = 0,      /* blackhole: FWD_DROP_BLACKHOLE */
	FWD_NH_UNRESOLVED,    /* known but not forwardable now: FWD_DROP_NO_LSP */
	FWD_NH_RECEIVE,       /* for the kernel: FWD_PUNT */
	FWD_NH_FWD,           /* send via adj[hash % nadj] */
	FWD_NH_LOOKUP,        /* LFIB only: pop and look up the IP payload in vrf_id */
};

/* What a FIB next-hop id or an incoming label leads to (immutable).
 * PIC edge (a hierarchical FIB: prefix -> next-hop id -> this): a next hop
 * toward one remote PE may carry backup adjacencies (through another PE),
 * after its own, and the liveness slot of its PE; while that slot says
 * down, packets take the backups. Taking a PE down is one store into
 * pe_down[] (and one map write for XDP), whatever the number of prefixes
 * and next hops that lead to it. */
struct fwd_nh {
	uint8_t type;         /* enum fwd_nh_type */
	uint8_t nadj;         /* FWD_NH_FWD: 1..FWD_MAX_ADJ (with nbackup) */
	uint8_t nbackup;      /* backup adjacencies after them: adj[nadj..nadj+nbackup) */
	uint8_t pad;
	uint32_t vrf_id;      /* FWD_NH_LOOKUP: the VRF to look up in */
	uint32_t pe_slot;     /* 0, or the slot of the PE the primaries go to */
	struct fwd_adj adj[]; /* nadj + nbackup entries */
};

/* ---- VRFs ---- */
struct fwd_vrf {
	uint32_t id;
	struct fib *fib;      /* the VRF's LPM FIB (vrf/fib.h): addr -> next-hop id */
	struct fib6 *fib6;    /* its IPv6 LPM FIB (vrf/fib6.h), same ids; NULL: no IPv6 */
	int nlocal;
	uint32_t local[FWD_MAX_LOCAL]; /* own addresses in this VRF: punt */
	int nlocal6;
	uint8_t local6[FWD_MAX_LOCAL][16]; /* own IPv6 addresses (global ones: link-local
					    * destinations are punted anyway) */
	/* The VRF's local port (pe/localport.c), if open: packets popped into
	 * the VRF from the core for one of its own addresses go out there, to
	 * the VRF's kernel (punted, the core port's kernel would get them). */
	bool has_local;
	struct fwd_adj local_adj; /* IPv4 and IPv6: the kernel end's neighbor (gw) */
};

/* ---- everything the worker reads ---- */
struct fwd_tables {
	/* ports: by index; NULL = no port */
	_Atomic(struct fwd_port_cfg *) port[FWD_MAX_PORTS];
	_Atomic(struct fwd_neigh_tab *) neigh[FWD_MAX_PORTS]; /* NULL = empty */
	_Atomic(struct fwd_neigh6_tab *) neigh6[FWD_MAX_PORTS]; /* NULL = empty */
	/* VRFs by id; NULL = none (packets from its ports: FWD_DROP_NO_ROUTE) */
	_Atomic(struct fwd_vrf *) vrf[FWD_MAX_VRFS];
	/* FIB next-hop id -> next hop (ids come from vrf.c's next-hop groups);
	 * the array is replaced as a whole when it grows. */
	_Atomic(_Atomic(struct fwd_nh *) *) nh;
	_Atomic uint32_t nh_cap;
	/* incoming label -> next hop (the LFIB); replaced as a whole when it grows.
	 * FWD_NH_FWD here means: pop the top label, then push adj labels
	 * (nlabels 0 = pop: PHP or the last label). */
	_Atomic(_Atomic(struct fwd_nh *) *) lfib;
	_Atomic uint32_t lfib_cap;
	/* PIC edge: remote PE slot -> 1 while that PE is down (struct fwd_nh) */
	_Atomic uint8_t pe_down[FWD_MAX_PE];
	/* behaviour */
	_Atomic bool ttl_pipe;      /* false: uniform (copy TTL), true: pipe (labels 255) */
	_Atomic bool icmp_errors;   /* originate ICMP time-exceeded / frag-needed and ICMPv6
				     * time-exceeded / packet-too-big (default on) */
	/* counters, written by the worker only */
	struct fwd_counters port_cnt[FWD_MAX_PORTS];
	struct fwd_counters *vrf_cnt; /* FWD_MAX_VRFS entries */
	/* the error rate limit per receiving port (token buckets, worker only) */
	struct fwd_icmp_bucket {
		uint64_t last_ns; /* 0: full */
		uint32_t tokens;
	} icmp_rl[FWD_MAX_PORTS];
};

/* One packet in a burst. The frame starts at data; buf..data is headroom
 * (at least FWD_HEADROOM when received); the buffer holds FWD_BUF_SIZE bytes
 * from buf. fwd_process() may move data back (push), forward (pop), rewrite
 * the frame in place, or turn it into an ICMP error going back out in_port. */
struct fwd_pkt {
	uint8_t *buf;
	uint8_t *data;
	uint16_t len;         /* frame length from data */
	uint16_t in_port;
	uint16_t out_port;    /* set when verdict == FWD_OK */
	uint8_t verdict;      /* enum fwd_drop, or FWD_PUNT */
	uint8_t icmp;         /* 1: the frame is now an ICMP(v6) error we originate */
	uint8_t af;           /* FWD_AF_IPV4/IPV6: the family the verdict is about (0: none) */
	uint8_t resolve_af;   /* FWD_DROP_NO_NEIGH: AF_INET6: resolve_ip6, else resolve_ip */
	uint32_t resolve_ip;  /* verdict FWD_DROP_NO_NEIGH: the address to resolve on out_port */
	uint8_t resolve_ip6[16];
};

/* pipeline.c */
/* Processes n (<= FWD_BURST) frames received on their in_port: sets verdict,
 * out_port and rewrites the frames (Ethernet header with the neighbor's MAC
 * and the port's MAC). Counts rx on in_port/its VRF, drops and punts by cause,
 * and tx on the out port for FWD_OK (the worker corrects tx on a send
 * failure). Never reads outside [data, data+len) of a frame, never writes
 * outside [buf, buf+FWD_BUF_SIZE). Must be called between quiescent states. */
void fwd_process(struct fwd_tables *t, struct fwd_pkt *pkts, unsigned n);

/* tables.c: allocation helpers usable from tests and benchmarks (single
 * threaded use; the control plane wraps them with deferred frees). */
struct fwd_tables *fwd_tables_new(void);
void fwd_tables_free(struct fwd_tables *t);   /* frees everything reachable */
struct fwd_nh *fwd_nh_new(enum fwd_nh_type type, uint8_t nadj);
/* Set entry id of nh (or lfib) to nh, growing the array; returns the old one
 * (caller frees it, deferred if a worker runs); old arrays after growth go
 * to defer_free (NULL: freed at once). */
struct fwd_nh *fwd_set_nh(struct fwd_tables *t, uint32_t id, struct fwd_nh *nh,
			  void (*defer_free)(void *));
struct fwd_nh *fwd_set_lfib(struct fwd_tables *t, mpls_label_t label, struct fwd_nh *nh,
			    void (*defer_free)(void *));
/* Builds a neighbor snapshot from n (ip, mac) pairs. */
struct fwd_neigh_tab *fwd_neigh_build(const struct fwd_neigh *e, size_t n);
struct fwd_neigh6_tab *fwd_neigh6_build(const struct fwd_neigh6 *e, size_t n);

#endif
