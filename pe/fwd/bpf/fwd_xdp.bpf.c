/* The XDP fast path: the common cases of pipeline.c in the driver's
 * context, on the tables of xdp_maps.h that ped writes (../xdp.c).
 *
 *   customer port: IPv4 or IPv6 -> VRF LPM -> push the next hop's labels
 *     (RFC 3032, RFC 4364 ingress PE; 6VPE, RFC 4659, for IPv6) or forward
 *     to another CE of the VRF;
 *   core port: label -> swap, PHP, pop to IPv4 or IPv6 (RFC 3031), or pop
 *     and look up the IP payload in a VRF (RFC 4364 egress PE).
 *
 * IPv4 routes are the multibit tries of xf_lpm, IPv6 routes one BPF LPM
 * trie for all VRFs (xf_lpm6: VRF id + address).
 *
 * Each case makes exactly the decision pipeline.c makes, with the same
 * counters (the differential test in tests/unit/test_fwd_pipeline.c runs
 * every pipeline test frame through both). What this program does not
 * finish:
 *   - packets for the kernel (ARP, ND and other IPv6 multicast, IPv6
 *     link-local destinations, own addresses, multicast, non-IP on a
 *     customer port, non-MPLS on a core port): XDP_PASS, counted punt;
 *   - packets that get an ICMP error (TTL expiry, DF over the MTU, RFC 792 /
 *     RFC 1812 4.3.2 with the same exceptions as pipeline.c; for IPv6 hop
 *     limit expiry and too big, RFC 4443, where pipeline.c may answer: the
 *     C pipeline makes the finer checks (extension headers, rate)) and
 *     packets routed to a port flagged XF_PORT_SLOWTX: copied whole into the
 *     xf_slow ring for the C pipeline, not counted here (XDP_DROP);
 *   - IPv4 neighbor misses: dropped and counted noNeighbor as in
 *     pipeline.c, with a resolution request in the ring (one per port and
 *     address per 100 ms and CPU); IPv6 (ND) misses go to the slow path,
 *     which drops, counts and asks the kernel the same way.
 * A full ring is a drop of the cause the frame had.
 * The program (fwd_xdp) is loaded and verified once per ped. Each port gets
 * its own instance of a stub (fwd_xdp_port) whose constant xf_port_idx, set
 * before it is loaded, says which port it serves (ifindexes repeat across
 * namespaces): the stub writes it into this CPU's slot of xf_cur and
 * tail-calls fwd_xdp (xf_main[0]), which reads it there. An XDP program runs
 * to its end on one CPU, so the slot cannot change in between. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "xdp_maps.h"

#define ETH_HLEN 14
#define ETH_P_IPV4 0x0800
#define ETH_P_IPV6 0x86dd
#define ETH_P_MPLS_UC 0x8847
#define IP6_HLEN 40
#define MPLS_MAX_DEPTH 8
#define LABEL_FIRST_UNRESERVED 16
#define LABEL_IPV4_EXPLICIT_NULL 0
#define LABEL_IPV6_EXPLICIT_NULL 2
#define RESOLVE_HOLD_NS 100000000ull

const volatile __u32 xf_port_idx = 0;

/* the port of the frame being processed on this CPU (fwd_xdp_port) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xf_cur SEC(".maps");

/* [0]: fwd_xdp, the one program every port's stub enters */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xf_main SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, XF_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct xf_port);
} xf_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, XF_MAX_PORTS);
	__type(key, __u32);
	__type(value, __u32);
} xf_tx SEC(".maps");

/* max_entries: set by the loader (fwd_xdp_set_lpm_nodes) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, XF_LPM_NODES);
	__type(key, __u32);
	__type(value, struct xf_lpm_node);
} xf_lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, XF_LPM6_MAX);
	__type(key, struct xf_lpm6_key);
	__type(value, __u32);
} xf_lpm6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, XF_LOCAL_MAX);
	__type(key, struct xf_addr_key);
	__type(value, __u32);
} xf_local SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, XF_LOCAL_MAX);
	__type(key, struct xf_addr6_key);
	__type(value, __u32);
} xf_local6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, XF_MAX_VRFS);
	__type(key, __u32);
	__type(value, struct xf_adj);
} xf_vlocal SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XF_MAX_VRFS);
	__type(key, __u32);
	__type(value, struct xf_vrf);
} xf_vrf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, XF_NH_MAX);
	__type(key, __u32);
	__type(value, struct xf_nh);
} xf_nh SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, XF_LFIB_MAX);
	__type(key, __u32);
	__type(value, struct xf_nh);
} xf_lfib SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XF_MAX_PE);
	__type(key, __u32);
	__type(value, __u32);
} xf_pedown SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, XF_NEIGH_MAX);
	__type(key, struct xf_addr_key);
	__type(value, struct xf_mac);
} xf_neigh SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, XF_NEIGH_MAX);
	__type(key, struct xf_addr6_key);
	__type(value, struct xf_mac);
} xf_neigh6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xf_cfg);
} xf_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XF_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct xf_counters);
} xf_pcnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XF_MAX_VRFS);
	__type(key, __u32);
	__type(value, struct xf_counters);
} xf_vcnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, XF_SLOW_RING);
} xf_slow SEC(".maps");

struct resolve_seen {
	__u32 port, ip;
	__u64 when;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct resolve_seen);
} xf_seen SEC(".maps");

/* What one packet's processing found out. */
struct st {
	struct xdp_md *ctx;
	__u32 pipe, icmp;
	__u32 cvrf;           /* the VRF counted for the outcome */
	__u32 out_port;
	__u32 resolve_ip;
	__u32 af;             /* XF_AF_IPV4/IPV6: the family counted (0: none) */
	const struct xf_port *in;
};

#define INLINE static __always_inline

INLINE __u16 rd16(const __u8 *b)
{
	return (__u16)(b[0] << 8 | b[1]);
}

INLINE __u32 rd32(const __u8 *b)
{
	return (__u32)b[0] << 24 | (__u32)b[1] << 16 | (__u32)b[2] << 8 | b[3];
}

INLINE void wr16(__u8 *b, __u16 v)
{
	b[0] = (__u8)(v >> 8);
	b[1] = (__u8)v;
}

INLINE void wr32(__u8 *b, __u32 v)
{
	b[0] = (__u8)(v >> 24);
	b[1] = (__u8)(v >> 16);
	b[2] = (__u8)(v >> 8);
	b[3] = (__u8)v;
}

/* RFC 1624 eqn. 3 */
INLINE void ip_set_ttl(__u8 *ip, __u8 ttl)
{
	__u16 old = rd16(ip + 8), new;
	__u32 s;

	ip[8] = ttl;
	new = rd16(ip + 8);
	s = (__u32)(__u16)~rd16(ip + 10) + (__u16)~old + new;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	wr16(ip + 10, (__u16)~s);
}

INLINE const struct xf_port *port_get(__u32 port)
{
	const struct xf_port *c;

	if (port >= XF_MAX_PORTS)
		return 0;
	c = bpf_map_lookup_elem(&xf_ports, &port);
	return c != 0 && (c->flags & XF_PORT_UP) ? c : 0;
}

/* pipeline.c ip_valid(); ip..end is what we have. */
INLINE __u32 ip_valid(const __u8 *ip, const void *end, __u32 badver, __u32 *tot)
{
	__u32 ihl, t, avail;

	if ((const void *)(ip + 1) > end)
		return XF_DROP_MALFORMED;
	if ((ip[0] >> 4) != 4)
		return badver;
	if ((const void *)(ip + 20) > end)
		return XF_DROP_MALFORMED;
	avail = (__u32)((const __u8 *)end - ip);
	ihl = (ip[0] & 0xfu) * 4;
	t = rd16(ip + 2);
	if (ihl < 20 || t < ihl || t > avail)
		return XF_DROP_MALFORMED;
	*tot = t;
	return XF_OK;
}

/* pipeline.c ip6_valid() */
INLINE __u32 ip6_valid(const __u8 *ip, const void *end, __u32 badver, __u32 *tot)
{
	__u32 t, avail;

	if ((const void *)(ip + 1) > end)
		return XF_DROP_MALFORMED;
	if ((ip[0] >> 4) != 6)
		return badver;
	if ((const void *)(ip + IP6_HLEN) > end)
		return XF_DROP_MALFORMED;
	avail = (__u32)((const __u8 *)end - ip);
	t = IP6_HLEN + (__u32)rd16(ip + 4);
	if (t > avail)
		return XF_DROP_MALFORMED;
	*tot = t;
	return XF_OK;
}

/* 16 bytes (packet, map or stack) all zero? */
INLINE int ip6_zero(const __u8 *a)
{
	return (rd32(a) | rd32(a + 4) | rd32(a + 8) | rd32(a + 12)) == 0;
}

INLINE int ip6_linklocal(const __u8 *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* pipeline.c flow_hash6(); ip..ip + IP6_HLEN is in the packet. */
INLINE __u32 flow_hash6(const __u8 *ip, const void *end, __u32 tot)
{
	__u32 a = rd32(ip + 8) ^ rd32(ip + 12) ^ rd32(ip + 16) ^ rd32(ip + 20);
	__u32 d = rd32(ip + 24) ^ rd32(ip + 28) ^ rd32(ip + 32) ^ rd32(ip + 36);
	__u32 h = a * 0x9e3779b1u ^ d ^ (rd32(ip) & 0xfffffu);
	const __u8 *l4 = ip + IP6_HLEN;

	if ((ip[6] == 6 || ip[6] == 17) && IP6_HLEN + 4 <= tot && (const void *)(l4 + 4) <= end)
		h ^= rd32(l4) * 0x85ebca6bu;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h;
}

/* pipeline.c flow_hash(): the same bits, so both pick the same member. */
INLINE __u32 flow_hash(const __u8 *ip, const void *end, __u32 tot)
{
	__u32 ihl = (ip[0] & 0xfu) * 4;
	__u32 h = rd32(ip + 12) * 0x9e3779b1u ^ rd32(ip + 16);
	const __u8 *l4 = ip + ihl;

	if ((ip[9] == 6 || ip[9] == 17) && (rd16(ip + 6) & 0x3fff) == 0 && ihl + 4 <= tot &&
	    (const void *)(l4 + 4) <= end)
		h ^= rd32(l4) * 0x85ebca6bu;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h;
}

/* pipeline.c adj_mac(): the MAC of the neighbor adjacency a sends to (its
 * IPv6 gateway, its IPv4 gateway, else the packet's destination: dst6 for
 * an IPv6 packet, in bounds, dst4 for an IPv4 one) into mac. XF_OK;
 * XF_DROP_NO_NEIGH with s->resolve_ip for IPv4; XF_SLOW for an IPv6 miss
 * (the C pipeline drops, counts and asks for it). */
INLINE __u32 adj_mac(struct st *s, const struct xf_adj *a, __u32 dst4, const __u8 *dst6, __u8 *mac)
{
	struct xf_addr6_key k6;
	struct xf_addr_key k4;
	const struct xf_mac *m;
	__u32 gw = a->gw;

	if (a->gw_af == XF_AF_INET6 || (gw == 0 && dst6 != 0)) {
		k6.id = a->port;
		if (a->gw_af == XF_AF_INET6)
			__builtin_memcpy(k6.ip, a->gw6, 16);
		else
			__builtin_memcpy(k6.ip, dst6, 16);
		m = bpf_map_lookup_elem(&xf_neigh6, &k6);
		if (m == 0)
			return XF_SLOW;
	} else {
		k4.id = a->port;
		k4.ip = gw ? gw : dst4;
		m = k4.ip != 0 ? bpf_map_lookup_elem(&xf_neigh, &k4) : 0;
		if (m == 0) {
			s->resolve_ip = k4.ip;
			return XF_DROP_NO_NEIGH;
		}
	}
	__builtin_memcpy(mac, m->mac, 6);
	return XF_OK;
}

/* The longest match of dst in the trie at root (xdp_maps.h): a next-hop
 * id, 0 if none. The writer switches a slot to a child only once the child
 * is complete, so each entry read is a consistent state. */
INLINE __u32 lpm_lookup(__u32 root, __u32 dst)
{
	const struct xf_lpm_node *n;
	__u32 node = root, e;
	int l;

#pragma unroll
	for (l = 0; l < 4; l++) {
		n = bpf_map_lookup_elem(&xf_lpm, &node);
		if (n == 0)
			return 0;
		e = *(volatile const __u32 *)&n->slot[(dst >> (24 - 8 * l)) & 0xff];
		if (!(e & XF_LPM_CHILD))
			return e;
		node = e & ~XF_LPM_CHILD;
	}
	return 0; /* no level below the last */
}

/* pipeline.c nh_adj(): the adjacency of a next hop for a packet. */
INLINE __u32 nh_adj(const struct xf_nh *nh, const __u8 *ip, const void *end, __u32 tot, int v6,
		    const struct xf_adj **ap)
{
	__u32 i, base, n;

	switch (nh->type) {
	case XF_NH_DROP:
		return XF_DROP_BLACKHOLE;
	case XF_NH_UNRESOLVED:
		return XF_DROP_NO_LSP;
	case XF_NH_RECEIVE:
		return XF_PUNT;
	case XF_NH_FWD:
		base = 0;
		n = nh->nadj;
		if (nh->nbackup > 0) {
			/* PIC edge: the primaries' PE is down, the backups take over */
			__u32 slot = nh->pe_slot;
			const __u32 *down = bpf_map_lookup_elem(&xf_pedown, &slot);

			if (down != 0 && *down != 0) {
				base = nh->nadj;
				n = nh->nbackup;
			}
		}
		if (n == 0)
			return XF_DROP_NO_ROUTE;
		i = 0;
		if (n > 1)
			i = (v6 ? flow_hash6(ip, end, tot) : flow_hash(ip, end, tot)) % n;
		i += base;
		if (i >= XF_MAX_ADJ)
			return XF_DROP_NO_ROUTE;
		*ap = &nh->adj[i];
		return XF_OK;
	default:
		return XF_DROP_NO_ROUTE;
	}
}

/* pipeline.c local_verdict(): a packet for one of the VRF's own addresses
 * popped from the core goes to the VRF's kernel through its local port (if
 * any); one from a customer port is the kernel's already. */
INLINE __u32 local_verdict(struct st *s, __u32 vrf_id, const struct xf_adj **ap)
{
	const struct xf_adj *a;

	if (s->in->vrf_id != 0)
		return XF_PUNT;
	a = bpf_map_lookup_elem(&xf_vlocal, &vrf_id);
	if (a == 0)
		return XF_PUNT;
	*ap = a;
	return XF_OK;
}

/* pipeline.c ip_route(): own addresses, then the LPM. */
INLINE __u32 ip_route(struct st *s, __u32 vrf_id, const __u8 *ip, const void *end, __u32 tot,
		      const struct xf_adj **ap)
{
	struct xf_addr_key lk;
	const struct xf_nh *nh;
	const struct xf_vrf *v;
	__u32 dst = rd32(ip + 16), i;

	v = vrf_id < XF_MAX_VRFS ? bpf_map_lookup_elem(&xf_vrf, &vrf_id) : 0;
	if (v == 0 || v->state == 0)
		return XF_DROP_NO_ROUTE;
	if (v->state == XF_VRF_SLOW)
		return XF_SLOW;
	if (dst >= 0xe0000000u)
		return XF_PUNT;
	if (v->state > 1) {
		lk.id = vrf_id;
		lk.ip = dst;
		if (bpf_map_lookup_elem(&xf_local, &lk))
			return local_verdict(s, vrf_id, ap);
	}
	i = lpm_lookup(v->root, dst);
	if (i == 0)
		return XF_DROP_NO_ROUTE;
	nh = bpf_map_lookup_elem(&xf_nh, &i);
	if (nh == 0)
		return XF_DROP_NO_ROUTE;
	return nh_adj(nh, ip, end, tot, 0, ap);
}

/* pipeline.c ip6_route(): the kernel's destinations, own addresses, sources
 * that may not be routed, then the LPM trie (VRF id + address). A VRF on
 * the slow path goes there once the punts are decided (they must be here:
 * a frame handed over never reaches the kernel). */
INLINE __u32 ip6_route(struct st *s, __u32 vrf_id, const __u8 *ip, const void *end, __u32 tot,
		       const struct xf_adj **ap)
{
	struct xf_addr6_key lk;
	struct xf_lpm6_key k;
	const struct xf_nh *nh;
	const struct xf_vrf *v;
	const __u32 *id;
	__u32 i;

	if ((const void *)(ip + IP6_HLEN) > end)
		return XF_DROP_MALFORMED;
	v = vrf_id < XF_MAX_VRFS ? bpf_map_lookup_elem(&xf_vrf, &vrf_id) : 0;
	if (v == 0 || v->v6 == 0)
		return XF_DROP_NO_ROUTE;
	if (ip[24] == 0xff || ip6_linklocal(ip + 24))
		return XF_PUNT;
	if (v->v6 > 1) {
		lk.id = vrf_id;
		__builtin_memcpy(lk.ip, ip + 24, 16);
		if (bpf_map_lookup_elem(&xf_local6, &lk))
			return local_verdict(s, vrf_id, ap);
	}
	if (ip6_zero(ip + 8) || ip6_linklocal(ip + 8) || ip[8] == 0xff)
		return XF_DROP_NO_ROUTE;
	if (v->state == XF_VRF_SLOW)
		return XF_SLOW;
	k.prefixlen = 32 + 128;
	k.vrf = vrf_id;
	__builtin_memcpy(k.ip, ip + 24, 16);
	id = bpf_map_lookup_elem(&xf_lpm6, &k);
	if (id == 0 || *id == 0)
		return XF_DROP_NO_ROUTE;
	i = *id;
	nh = bpf_map_lookup_elem(&xf_nh, &i);
	if (nh == 0)
		return XF_DROP_NO_ROUTE;
	return nh_adj(nh, ip, end, tot, 1, ap);
}

/* pipeline.c icmp_error()'s conditions: would the C pipeline answer this
 * packet with an ICMP error? Then it is the slow path's, else a drop. */
INLINE __u32 icmp_or(const struct st *s, const __u8 *ip, const void *end, __u32 tot, __u32 cause)
{
	__u32 src = rd32(ip + 12), ihl = (ip[0] & 0xfu) * 4;
	const __u8 *t = ip + ihl;

	if (!s->icmp || s->in->addr == 0)
		return cause;
	if (src == 0 || src >= 0xe0000000u || (src >> 24) == 127)
		return cause;
	if ((rd16(ip + 6) & 0x1fff) != 0)
		return cause;
	if (ip[9] == 1) {
		if (ihl >= tot || (const void *)(t + 1) > end)
			return cause;
		switch (t[0]) {
		case 3: case 4: case 5: case 11: case 12:
			return cause;
		}
	}
	return XF_SLOW;
}

/* pipeline.c icmp6_error()'s conditions that are cheap to see here (RFC
 * 4443 2.4 (e)): a packet the C pipeline surely does not answer is dropped
 * here, the others go to it (it also walks extension headers and applies
 * the rate limit; what it declines it counts as we would). */
INLINE __u32 icmp6_or(const struct st *s, const __u8 *data, const __u8 *ip, const void *end,
		      __u32 tot, __u32 cause)
{
	const __u8 *t = ip + IP6_HLEN;

	if (!s->icmp || ip6_zero(s->in->addr6) || (data[0] & 1))
		return cause;
	if ((const void *)(ip + IP6_HLEN) > end || ip6_zero(ip + 8) || ip[8] == 0xff)
		return cause;
	if (ip[6] == 58) {
		/* an ICMPv6 error (type < 128), or too short to tell */
		if (IP6_HLEN >= tot || (const void *)(t + 1) > end || t[0] < 128)
			return cause;
	}
	return XF_SLOW;
}

/* Lays out [Ethernet][adj labels] in front of the l3 bytes at offset l3off
 * (l3len of them kept, the rest of the frame trimmed when trim is set).
 * Label TTLs: ttl_last on the innermost pushed label, ttl_outer on the
 * others; S on the innermost if bos. */
INLINE __u32 put_headers(struct st *s, __u32 l3off, __u32 l3len, int trim, const struct xf_adj *a,
			 __u32 tc, __u32 ttl_outer, __u32 ttl_last, int bos, __u16 etype,
			 const __u8 *dmac, const __u8 *smac)
{
	struct xdp_md *ctx = s->ctx;
	__u32 nl = a->nlabels, i, w, cur;
	__u32 lab[XF_MAX_PUSH];
	__u8 dm[6], sm[6];
	int delta;
	__u8 *d;
	void *end;

	if (nl > XF_MAX_PUSH)
		nl = XF_MAX_PUSH;
	/* the maps' memory is not the packet's: copy what we need first */
	__builtin_memcpy(dm, dmac, 6);
	__builtin_memcpy(sm, smac, 6);
	for (i = 0; i < XF_MAX_PUSH; i++)
		lab[i] = a->labels[i];
	delta = (int)l3off - (int)(ETH_HLEN + 4 * nl);
	if (delta != 0 && bpf_xdp_adjust_head(ctx, delta) != 0)
		return XF_DROP_STACK;
	if (trim) {
		cur = (__u32)(ctx->data_end - ctx->data);
		if (cur > ETH_HLEN + 4 * nl + l3len &&
		    bpf_xdp_adjust_tail(ctx, (int)(ETH_HLEN + 4 * nl + l3len) - (int)cur) != 0)
			return XF_DROP_MALFORMED;
	}
	d = (__u8 *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if ((void *)(d + ETH_HLEN + 4 * XF_MAX_PUSH) > end && (void *)(d + ETH_HLEN + 4 * nl) > end)
		return XF_DROP_MALFORMED;
	if ((void *)(d + ETH_HLEN) > end)
		return XF_DROP_MALFORMED;
	__builtin_memcpy(d, dm, 6);
	__builtin_memcpy(d + 6, sm, 6);
	wr16(d + 12, nl ? ETH_P_MPLS_UC : etype);
#pragma unroll
	for (i = 0; i < XF_MAX_PUSH; i++) {
		__u8 *l = d + ETH_HLEN + 4 * i;

		if (i >= nl)
			break;
		if ((void *)(l + 4) > end)
			return XF_DROP_MALFORMED;
		/* RFC 3032 2.1: label 20, TC 3, S 1, TTL 8 */
		w = (lab[i] & 0xfffffu) << 12 | (tc & 7) << 9;
		if (i + 1 == nl)
			w |= (bos ? 0x100u : 0) | (ttl_last & 0xff);
		else
			w |= ttl_outer & 0xff;
		wr32(l, w);
	}
	return XF_OK;
}

/* An IPv6 packet from a CE (RFC 4364 ingress PE, 6VPE): pipeline.c
 * from_customer6(). */
INLINE __u32 from_customer6(struct st *s, __u8 *data, void *end)
{
	const struct xf_port *out;
	const struct xf_adj *a = 0;
	__u8 *ip = data + ETH_HLEN, hl, mac[6];
	__u32 nl, lt, tot = 0, v, port;

	s->af = XF_AF_IPV6;
	if ((v = ip6_valid(ip, end, XF_DROP_MALFORMED, &tot)) != XF_OK)
		return v;
	if ((void *)(ip + IP6_HLEN) > end)
		return XF_DROP_MALFORMED;
	if ((v = ip6_route(s, s->in->vrf_id, ip, end, tot, &a)) != XF_OK)
		return v;
	if (a == 0)
		return XF_DROP_NO_ROUTE;
	hl = ip[7];
	if (hl <= 1)
		return icmp6_or(s, data, ip, end, tot, XF_DROP_TTL);
	port = a->port;
	nl = a->nlabels;
	if ((out = port_get(port)) == 0)
		return XF_DROP_PORT_DOWN;
	if (tot + 4 * nl > out->mtu)
		return icmp6_or(s, data, ip, end, tot, XF_DROP_MTU);
	s->out_port = port;
	if (out->flags & XF_PORT_SLOWTX)
		return XF_SLOW;
	if ((v = adj_mac(s, a, 0, ip + 24, mac)) != XF_OK)
		return v;
	hl--;
	ip[7] = hl;
	lt = s->pipe ? 255 : hl;
	return put_headers(s, ETH_HLEN, tot, 1, a, (ip[0] >> 1) & 7, lt, lt, 1, ETH_P_IPV6, mac,
			   out->mac);
}

/* An IPv4 packet from a CE (RFC 4364 ingress PE): pipeline.c from_customer4(). */
INLINE __u32 from_customer4(struct st *s, __u8 *data, void *end)
{
	const struct xf_port *out;
	const struct xf_adj *a = 0;
	__u8 *ip = data + ETH_HLEN, ttl, mac[6];
	__u32 nl, lt, mtu, tot = 0, v, port;

	s->af = XF_AF_IPV4;
	if ((v = ip_valid(ip, end, XF_DROP_MALFORMED, &tot)) != XF_OK)
		return v;
	if ((void *)(ip + 20) > end)
		return XF_DROP_MALFORMED;
	if ((v = ip_route(s, s->in->vrf_id, ip, end, tot, &a)) != XF_OK)
		return v;
	if (a == 0)
		return XF_DROP_NO_ROUTE;
	ttl = ip[8];
	if (ttl <= 1)
		return icmp_or(s, ip, end, tot, XF_DROP_TTL);
	port = a->port;
	nl = a->nlabels;
	if ((out = port_get(port)) == 0)
		return XF_DROP_PORT_DOWN;
	mtu = out->mtu;
	if (tot + 4 * nl > mtu) {
		if (rd16(ip + 6) & 0x4000)
			return icmp_or(s, ip, end, tot, XF_DROP_MTU);
		return XF_DROP_MTU;
	}
	s->out_port = port;
	if (out->flags & XF_PORT_SLOWTX)
		return XF_SLOW;
	if ((v = adj_mac(s, a, rd32(ip + 16), 0, mac)) != XF_OK)
		return v;
	ttl--;
	ip_set_ttl(ip, ttl);
	lt = s->pipe ? 255 : ttl;
	/* TC from the precedence bits (DSCP >> 3), as pipeline.c */
	return put_headers(s, ETH_HLEN, tot, 1, a, ip[1] >> 5, lt, lt, 1, ETH_P_IPV4, mac, out->mac);
}

INLINE __u32 from_customer(struct st *s, __u8 *data, void *end)
{
	__u16 et;

	if ((void *)(data + ETH_HLEN) > end)
		return XF_DROP_MALFORMED;
	et = rd16(data + 12);
	if (et == ETH_P_IPV4)
		return from_customer4(s, data, end);
	if (et == ETH_P_IPV6)
		return from_customer6(s, data, end);
	return XF_PUNT;
}

/* pipeline.c pop6(): pop to IPv6 (PHP of the last label, or per-CE label). */
INLINE __u32 pop6(struct st *s, void *end, const struct xf_adj *a, const struct xf_port *out,
		  __u8 *l3, __u32 off, __u32 lttl)
{
	__u32 v, tot = 0, port = a->port;
	__u8 hl, mac[6];

	s->af = XF_AF_IPV6;
	if ((v = ip6_valid(l3, end, XF_DROP_NOT_IP, &tot)) != XF_OK)
		return v;
	if ((void *)(l3 + IP6_HLEN) > end)
		return XF_DROP_MALFORMED;
	hl = l3[7];
	if (!s->pipe && lttl - 1 < hl)
		hl = (__u8)(lttl - 1);
	if (hl == 0)
		return XF_DROP_TTL;
	if (tot > out->mtu)
		return XF_DROP_MTU;
	s->out_port = port;
	if (out->flags & XF_PORT_SLOWTX)
		return XF_SLOW;
	if ((v = adj_mac(s, a, 0, l3 + 24, mac)) != XF_OK)
		return v;
	l3[7] = hl;
	return put_headers(s, off + 4, tot, 1, a, 0, 0, 0, 1, ETH_P_IPV6, mac, out->mac);
}

/* LFIB FWD: pop the top label (at off), push the adjacency's. */
INLINE __u32 mpls_fwd(struct st *s, __u8 *data, void *end, const struct xf_nh *nh, __u32 off,
		      __u32 w, __u32 lttl)
{
	const struct xf_port *out;
	const struct xf_adj *a;
	__u8 *l3 = data + off + 4, ipttl, mac[6];
	__u32 l3len = (__u32)((__u8 *)end - l3), nl, iw, tot = 0, h, i = 0, port, v;
	int bos = (w & 0x100) != 0;

	if ((void *)l3 > end)
		return XF_DROP_MALFORMED;
	if (nh->nadj == 0)
		return XF_DROP_BAD_LABEL;
	if (nh->nadj > 1) {
		/* the flow under the stack if we can see it, else the label */
		h = w >> 12;
		if (bos && l3len >= 20 && (void *)(l3 + 20) <= end && (l3[0] >> 4) == 4 &&
		    ip_valid(l3, end, XF_DROP_NOT_IP, &tot) == XF_OK)
			h = flow_hash(l3, end, tot);
		else if (bos && l3len >= IP6_HLEN && (void *)(l3 + IP6_HLEN) <= end &&
			 (l3[0] >> 4) == 6 && ip6_valid(l3, end, XF_DROP_NOT_IP, &tot) == XF_OK)
			h = flow_hash6(l3, end, tot);
		else if (!bos && l3len >= 4 && (void *)(l3 + 4) <= end)
			h = (rd32(l3) >> 12) * 0x9e3779b1u >> 7;
		i = h % nh->nadj;
	}
	if (i >= XF_MAX_ADJ)
		return XF_DROP_BAD_LABEL;
	a = &nh->adj[i];
	port = a->port;
	if ((out = port_get(port)) == 0)
		return XF_DROP_PORT_DOWN;
	nl = a->nlabels;

	if (nl == 0 && bos) {
		/* pop to IP (PHP of the last label, or per-CE label) */
		if (out->vrf_id < XF_MAX_VRFS)
			s->cvrf = out->vrf_id;
		if ((void *)(l3 + 1) <= end && (l3[0] >> 4) == 6)
			return pop6(s, end, a, out, l3, off, lttl);
		if ((void *)(l3 + 1) <= end && (l3[0] >> 4) == 4)
			s->af = XF_AF_IPV4;
		if ((v = ip_valid(l3, end, XF_DROP_NOT_IP, &tot)) != XF_OK)
			return v;
		if ((void *)(l3 + 20) > end)
			return XF_DROP_MALFORMED;
		ipttl = l3[8];
		if (!s->pipe && lttl - 1 < ipttl)
			ipttl = (__u8)(lttl - 1); /* RFC 3443 uniform */
		if (ipttl == 0)
			return XF_DROP_TTL;
		if (tot > out->mtu)
			return XF_DROP_MTU;
		s->out_port = port;
		if (out->flags & XF_PORT_SLOWTX)
			return XF_SLOW;
		if ((v = adj_mac(s, a, rd32(l3 + 16), 0, mac)) != XF_OK)
			return v;
		if (ipttl != l3[8])
			ip_set_ttl(l3, ipttl);
		return put_headers(s, off + 4, tot, 1, a, 0, 0, 0, 1, ETH_P_IPV4, mac, out->mac);
	}

	if (!bos && l3len < 4)
		return XF_DROP_MALFORMED;
	if (l3len + 4 * nl > out->mtu)
		return XF_DROP_MTU;
	s->out_port = port;
	if (out->flags & XF_PORT_SLOWTX)
		return XF_SLOW;
	/* a labelled frame has no IP destination we can use */
	if ((v = adj_mac(s, a, 0, 0, mac)) != XF_OK)
		return v;
	if (nl == 0) {
		/* PHP exposing an inner label: uniform copies the TTL down */
		if ((void *)(l3 + 4) > end)
			return XF_DROP_MALFORMED;
		iw = rd32(l3);
		if (!s->pipe && (iw & 0xff) > lttl - 1)
			wr32(l3, (iw & ~0xffu) | (lttl - 1));
		return put_headers(s, off + 4, l3len, 0, a, 0, 0, 0, 0, ETH_P_MPLS_UC, mac,
				   out->mac);
	}
	/* swap (+ push): the label that replaces ours carries TTL - 1; new
	 * outer tunnel labels copy it (uniform) or start at 255 (pipe) */
	return put_headers(s, off + 4, l3len, 0, a, (w >> 9) & 7, s->pipe ? 255 : lttl - 1, lttl - 1,
			   bos, ETH_P_MPLS_UC, mac, out->mac);
}

/* LFIB LOOKUP, IPv6 under the VPN label (6VPE egress PE): pipeline.c
 * mpls_lookup6(). */
INLINE __u32 mpls_lookup6(struct st *s, void *end, __u32 vrf_id, __u8 *l3, __u32 off, __u32 lttl)
{
	const struct xf_port *out;
	const struct xf_adj *a = 0;
	__u32 nl, lt, tot = 0, v, port;
	__u8 hl, mac[6];

	s->af = XF_AF_IPV6;
	if ((v = ip6_valid(l3, end, XF_DROP_NOT_IP, &tot)) != XF_OK)
		return v;
	if ((void *)(l3 + IP6_HLEN) > end)
		return XF_DROP_MALFORMED;
	hl = l3[7];
	if (!s->pipe && lttl < hl)
		hl = (__u8)lttl;
	if ((v = ip6_route(s, vrf_id, l3, end, tot, &a)) != XF_OK)
		return v;
	if (a == 0)
		return XF_DROP_NO_ROUTE;
	if (hl <= 1)
		return XF_DROP_TTL;
	hl--;
	port = a->port;
	if ((out = port_get(port)) == 0)
		return XF_DROP_PORT_DOWN;
	nl = a->nlabels;
	if (tot + 4 * nl > out->mtu)
		return XF_DROP_MTU;
	s->out_port = port;
	if (out->flags & XF_PORT_SLOWTX)
		return XF_SLOW;
	if ((v = adj_mac(s, a, 0, l3 + 24, mac)) != XF_OK)
		return v;
	l3[7] = hl;
	lt = s->pipe ? 255 : hl;
	return put_headers(s, off + 4, tot, 1, a, (l3[0] >> 1) & 7, lt, lt, 1, ETH_P_IPV6, mac,
			   out->mac);
}

/* LFIB LOOKUP: pop the VPN label, forward the IP payload in its VRF (RFC
 * 4364 egress PE, per-VRF label); the first nibble tells the family. */
INLINE __u32 mpls_lookup(struct st *s, __u8 *data, void *end, const struct xf_nh *nh, __u32 off,
			 __u32 w, __u32 lttl)
{
	const struct xf_port *out;
	const struct xf_adj *a = 0;
	__u8 *l3 = data + off + 4, ttl, mac[6];
	__u32 nl, lt, tot = 0, v, vrf_id = nh->vrf_id, port;

	if (!(w & 0x100))
		return XF_DROP_BAD_LABEL; /* a VPN label is at the bottom */
	if (vrf_id < XF_MAX_VRFS)
		s->cvrf = vrf_id;
	if ((void *)(l3 + 1) <= end && (l3[0] >> 4) == 6)
		return mpls_lookup6(s, end, vrf_id, l3, off, lttl);
	if ((void *)(l3 + 1) <= end && (l3[0] >> 4) == 4)
		s->af = XF_AF_IPV4;
	if ((v = ip_valid(l3, end, XF_DROP_NOT_IP, &tot)) != XF_OK)
		return v;
	if ((void *)(l3 + 20) > end)
		return XF_DROP_MALFORMED;
	/* uniform: the label's TTL goes back into the IP header; this PE is
	 * one hop (pipeline.c says why) */
	ttl = l3[8];
	if (!s->pipe && lttl < ttl)
		ttl = (__u8)lttl;
	if ((v = ip_route(s, vrf_id, l3, end, tot, &a)) != XF_OK)
		return v;
	if (a == 0)
		return XF_DROP_NO_ROUTE;
	if (ttl <= 1)
		return XF_DROP_TTL;
	ttl--;
	port = a->port;
	if ((out = port_get(port)) == 0)
		return XF_DROP_PORT_DOWN;
	nl = a->nlabels;
	if (tot + 4 * nl > out->mtu)
		return XF_DROP_MTU;
	s->out_port = port;
	if (out->flags & XF_PORT_SLOWTX)
		return XF_SLOW;
	if ((v = adj_mac(s, a, rd32(l3 + 16), 0, mac)) != XF_OK)
		return v;
	ip_set_ttl(l3, ttl);
	lt = s->pipe ? 255 : ttl;
	return put_headers(s, off + 4, tot, 1, a, l3[1] >> 5, lt, lt, 1, ETH_P_IPV4, mac, out->mac);
}

/* A frame on a core port: MPLS only (RFC 3032). */
INLINE __u32 from_core(struct st *s, __u8 *data, void *end)
{
	const struct xf_nh *nh;
	__u32 w = 0, label = 0, lttl = 0, prev = 255, off = ETH_HLEN;
	int depth;

	if ((void *)(data + ETH_HLEN) > end)
		return XF_DROP_MALFORMED;
	if (rd16(data + 12) != ETH_P_MPLS_UC)
		return XF_PUNT;
#pragma unroll
	for (depth = 0; depth < MPLS_MAX_DEPTH; depth++) {
		__u8 *l = data + ETH_HLEN + 4 * depth;

		off = ETH_HLEN + 4 * depth;
		if ((void *)(l + 4) > end)
			return XF_DROP_MALFORMED;
		w = rd32(l);
		label = w >> 12;
		lttl = w & 0xff;
		if (!s->pipe && prev < lttl)
			lttl = prev; /* a popped explicit null's TTL carries down */
		if (label >= LABEL_FIRST_UNRESERVED)
			break;
		/* RFC 3032 2.1: IPv4 and IPv6 explicit null are popped; only
		 * as the top of more labels here (pipeline.c) */
		if ((label != LABEL_IPV4_EXPLICIT_NULL && label != LABEL_IPV6_EXPLICIT_NULL) ||
		    (w & 0x100))
			return XF_DROP_BAD_LABEL;
		prev = lttl;
	}
	if (label < LABEL_FIRST_UNRESERVED)
		return XF_DROP_STACK;
	if (lttl <= 1)
		return XF_DROP_TTL;
	nh = bpf_map_lookup_elem(&xf_lfib, &label);
	if (nh == 0)
		return XF_DROP_BAD_LABEL;
	switch (nh->type) {
	case XF_NH_DROP:
		return XF_DROP_BLACKHOLE;
	case XF_NH_UNRESOLVED:
		return XF_DROP_NO_LSP;
	case XF_NH_RECEIVE:
		return XF_PUNT;
	case XF_NH_FWD:
		return mpls_fwd(s, data, end, nh, off, w, lttl);
	case XF_NH_LOOKUP:
		return mpls_lookup(s, data, end, nh, off, w, lttl);
	default:
		return XF_DROP_BAD_LABEL;
	}
}

/* The whole frame into the ring for the C pipeline. 0, or -1 if it does
 * not fit (the ring is full or the frame too long). */
static __noinline int to_slow(struct xdp_md *ctx, __u32 port)
{
	__u32 len = (__u32)(ctx->data_end - ctx->data);
	struct xf_slow *r;

	if (len == 0 || len > XF_SLOW_LEN)
		return -1; /* longer than the C pipeline takes: counted where it failed */
	r = bpf_ringbuf_reserve(&xf_slow, sizeof(*r), 0);
	if (r == 0)
		return -1;
	r->kind = XF_SLOW_FRAME;
	r->port = (__u16)port;
	r->len = (__u16)len;
	r->ip = 0;
	/* == len (1..XF_SLOW_LEN, checked above), in a form the verifier
	 * sees bounded whatever register the compiler uses */
	if (bpf_xdp_load_bytes(ctx, 0, r->data, ((len - 1) & (XF_SLOW_MAX - 1)) + 1) != 0) {
		bpf_ringbuf_discard(r, 0);
		return -1;
	}
	bpf_ringbuf_submit(r, 0);
	return 0;
}

static __noinline void resolve(__u32 port, __u32 ip)
{
	struct resolve_seen *seen;
	struct xf_slow *r;
	__u32 zero = 0;
	__u64 now = bpf_ktime_get_ns();

	if (ip == 0)
		return;
	seen = bpf_map_lookup_elem(&xf_seen, &zero);
	if (seen != 0) {
		if (seen->port == port && seen->ip == ip && now - seen->when < RESOLVE_HOLD_NS)
			return;
		seen->port = port;
		seen->ip = ip;
		seen->when = now;
	}
	/* only the header: no frame */
	r = bpf_ringbuf_reserve(&xf_slow, 16, 0);
	if (r == 0)
		return;
	r->kind = XF_SLOW_RESOLVE;
	r->port = (__u16)port;
	r->len = 0;
	r->pad = 0;
	r->ip = ip;
	r->pad2 = 0;
	bpf_ringbuf_submit(r, 0);
}

/* The family's share of a counter set (af: XF_AF_*, 0: none). */
INLINE struct xf_af_counters *af_of(struct xf_counters *c, __u32 af)
{
	if (c == 0 || af == 0)
		return 0;
	return af == XF_AF_IPV6 ? &c->af[1] : &c->af[0];
}

/* pipeline.c drops an undecodable cause as it is; so do we */
INLINE void count_outcome(struct xf_counters *pc, struct xf_counters *vc, __u32 v, __u32 af)
{
	struct xf_af_counters *pa = af_of(pc, af), *va = af_of(vc, af);

	if (v == XF_PUNT) {
		pc->punt++;
		if (vc)
			vc->punt++;
		if (pa)
			pa->punt++;
		if (va)
			va->punt++;
	} else if (v < XF_DROP_MAX) {
		pc->drop[v]++;
		if (vc)
			vc->drop[v]++;
		if (pa)
			pa->drop[v]++;
		if (va)
			va->drop[v]++;
	}
}

SEC("xdp")
int fwd_xdp(struct xdp_md *ctx)
{
	__u8 *data = (__u8 *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 idx, zero = 0, len = (__u32)((__u8 *)end - data), v, cin;
	struct xf_counters *pc, *vc, *oc;
	const struct xf_cfg *cfg;
	const __u32 *cur;
	struct st s = {};
	int act;

	cur = bpf_map_lookup_elem(&xf_cur, &zero);
	if (cur == 0)
		return XDP_PASS;
	idx = *cur;
	pc = bpf_map_lookup_elem(&xf_pcnt, &idx);
	cfg = bpf_map_lookup_elem(&xf_cfg, &zero);
	if (pc == 0 || cfg == 0)
		return XDP_PASS;
	s.ctx = ctx;
	s.pipe = cfg->ttl_pipe;
	s.icmp = cfg->icmp_errors;
	s.in = bpf_map_lookup_elem(&xf_ports, &idx);
	if (s.in == 0) {
		/* no VRF to blame */
		pc->rx_pkts++;
		pc->rx_bytes += len;
		pc->drop[XF_DROP_PORT_DOWN]++;
		return XDP_DROP;
	}
	cin = s.in->vrf_id < XF_MAX_VRFS ? s.in->vrf_id : 0;
	s.cvrf = cin;
	if (!(s.in->flags & XF_PORT_UP))
		v = XF_DROP_PORT_DOWN;
	else if (s.in->vrf_id != 0)
		v = from_customer(&s, data, end);
	else
		v = from_core(&s, data, end);

	if (v == XF_SLOW) {
		if (to_slow(ctx, idx) == 0)
			return XDP_DROP;
		/* no room: what the C pipeline would most likely have said */
		v = XF_DROP_TX;
	}
	act = XDP_DROP;
	if (v == XF_OK) {
		act = bpf_redirect_map(&xf_tx, s.out_port, 0);
		if (act != XDP_REDIRECT) {
			act = XDP_DROP;
			v = XF_DROP_TX;
		}
	} else if (v == XF_PUNT) {
		act = XDP_PASS;
	} else if (v == XF_DROP_NO_NEIGH) {
		resolve(s.out_port, s.resolve_ip);
	}

	pc->rx_pkts++;
	pc->rx_bytes += len;
	vc = bpf_map_lookup_elem(&xf_vcnt, &cin);
	if (vc) {
		vc->rx_pkts++;
		vc->rx_bytes += len;
	}
	if (s.cvrf != cin)
		vc = bpf_map_lookup_elem(&xf_vcnt, &s.cvrf);
	if (v == XF_OK) {
		__u32 olen = (__u32)(ctx->data_end - ctx->data), op = s.out_port;
		struct xf_af_counters *oa, *va;

		oc = bpf_map_lookup_elem(&xf_pcnt, &op);
		if (oc) {
			oc->tx_pkts++;
			oc->tx_bytes += olen;
		}
		if (vc) {
			vc->tx_pkts++;
			vc->tx_bytes += olen;
		}
		if ((oa = af_of(oc, s.af)) != 0) {
			oa->tx_pkts++;
			oa->tx_bytes += olen;
		}
		if ((va = af_of(vc, s.af)) != 0) {
			va->tx_pkts++;
			va->tx_bytes += olen;
		}
	} else {
		count_outcome(pc, vc, v, s.af);
	}
	return act;
}

/* A port's entry: which port, then the program. */
SEC("xdp")
int fwd_xdp_port(struct xdp_md *ctx)
{
	__u32 zero = 0, *cur = bpf_map_lookup_elem(&xf_cur, &zero);

	if (cur == 0)
		return XDP_PASS;
	*cur = xf_port_idx;
	bpf_tail_call(ctx, &xf_main, 0);
	return XDP_PASS; /* no program in xf_main: the kernel's path */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
