/* The packet pipeline: one burst of Ethernet II frames in, verdicts and
 * rewritten frames out (fwd.h). Three paths:
 *
 *   customer port (VRF): IPv4 or IPv6 -> VRF LPM of that family -> push the
 *     next hop's labels (RFC 3032; IPv6 over the IPv4 LSPs: 6VPE, RFC 4659)
 *     or forward to another CE;
 *   core port, label -> FWD_NH_FWD: swap, PHP or pop to IP (RFC 3031);
 *   core port, label -> FWD_NH_LOOKUP: pop, then the VRF lookup of the IP
 *     payload as for a customer packet (the egress PE of RFC 4364); the
 *     first nibble under the popped label tells IPv4 from IPv6.
 *
 * TTL: RFC 3443 uniform model by default (label TTL copied from the IP TTL
 * or IPv6 hop limit and back), pipe model when ttl_pipe is set (pushed
 * labels get 255, the IP TTL is left alone on pop). ICMP errors (RFC 792,
 * RFC 1812 4.3.2) and ICMPv6 errors (RFC 4443: time exceeded, packet too
 * big) are originated only for packets that arrived on a customer port, at
 * most FWD_ICMP_RATE per second and port; for labelled packets we drop and
 * count (no RFC 3032 2.3.2 tunnelling of ICMP along the LSP). We never
 * fragment: too big is dropped, with "fragmentation needed" (RFC 1191) when
 * DF is set, and always with "packet too big" for IPv6 (RFC 8201). IP
 * options and IPv6 extension headers are forwarded untouched. IPv4 header
 * checksums are not verified (the end hosts do), but are kept right on TTL
 * changes (RFC 1624); IPv6 has none.
 *
 * IPv6 and the router itself (RFC 4291): multicast destinations (ND, RS/RA,
 * MLD), link-local destinations and the VRF's own addresses are the
 * kernel's (punt); packets from the unspecified or a link-local source are
 * not forwarded (noRoute).
 *
 * Reader discipline: every table pointer is loaded with acquire once per
 * burst or per packet; the nh/lfib capacity is loaded before its array
 * (see tables.c). Nothing here allocates, logs or blocks. */
#include "config.h"

#include <string.h>

#include <time.h>

#include "pe/fwd/fwd.h"
#include "vrf/fib.h"
#include "vrf/fib6.h"

#define ETH_HLEN 14
#define ETH_P_IPV4 0x0800
#define ETH_P_IPV6 0x86dd
#define IP6_HLEN 40
#define MPLS_MAX_DEPTH 8      /* labels we look through (explicit nulls) */
#define MPLS_LABEL_IPV6_EXPLICIT_NULL 2
#define ICMP_HLEN (20 + 8)    /* IP + ICMP header in front of the quote */
#define ICMP6_HLEN (IP6_HLEN + 8) /* IPv6 + ICMPv6 header in front of the quote */
#define IPPROTO_ICMPV6_ 58

#define LD(x) atomic_load_explicit(&(x), memory_order_acquire)

/* What one burst reads once. */
struct burst {
	struct fwd_tables *t;
	_Atomic(struct fwd_nh *) *nh;
	_Atomic(struct fwd_nh *) *lfib;
	uint32_t nh_cap, lfib_cap;
	bool pipe, icmp;
	/* LPM results looked up ahead for the burst (see fwd_process) */
	unsigned cur;
	const struct fib *lfib_of[FWD_BURST];
	uint32_t ldst[FWD_BURST], lid[FWD_BURST];
};

static inline uint16_t rd16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t rd32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline void wr16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline void wr32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') */
static inline void csum_replace16(uint8_t *ck, uint16_t old, uint16_t new)
{
	uint32_t s = (uint32_t)(uint16_t)~rd16(ck) + (uint16_t)~old + new;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	wr16(ck, (uint16_t)~s);
}

static inline void ip_set_ttl(uint8_t *ip, uint8_t ttl)
{
	uint16_t old = rd16(ip + 8);

	ip[8] = ttl;
	csum_replace16(ip + 10, old, rd16(ip + 8));
}

/* RFC 1071: the one's complement sum of b[0..n) added to s (not folded,
 * not complemented; an odd tail is padded with zero). */
static uint32_t csum_add(uint32_t s, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += rd16(b + i);
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	return s;
}

static uint16_t csum_fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* RFC 1071 Internet checksum of b[0..n). */
static uint16_t csum(const uint8_t *b, size_t n)
{
	return csum_fold(csum_add(0, b, n));
}

static inline bool ip_martian_src(uint32_t a)
{
	return a == 0 || a >= 0xe0000000u || (a >> 24) == 127;
}

static inline bool ip6_zero(const uint8_t *a)
{
	uint64_t w[2];

	memcpy(w, a, 16);
	return (w[0] | w[1]) == 0;
}

static inline bool ip6_eq(const uint8_t *a, const uint8_t *b)
{
	uint64_t x[2], y[2];

	memcpy(x, a, 16);
	memcpy(y, b, 16);
	return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

static inline bool ip6_linklocal(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80; /* fe80::/10 */
}

/* RFC 1812 5.2.2 checks that matter to us: version, IHL, total length within
 * what we received. Returns FWD_OK and the total length, or the cause;
 * badver is what a non-4 version means here (malformed on a customer port,
 * notIp after a pop). */
static inline uint8_t ip_valid(const uint8_t *ip, size_t avail, uint8_t badver, uint16_t *tot)
{
	unsigned ihl;
	uint16_t t;

	if (avail < 1)
		return FWD_DROP_MALFORMED;
	if ((ip[0] >> 4) != 4)
		return badver;
	if (avail < 20)
		return FWD_DROP_MALFORMED;
	ihl = (ip[0] & 0xfu) * 4;
	t = rd16(ip + 2);
	if (ihl < 20 || t < ihl || t > avail)
		return FWD_DROP_MALFORMED;
	*tot = t;
	return FWD_OK;
}

/* The same for IPv6 (RFC 8200 3): version, the fixed header, the payload
 * length within what we received (no jumbograms: our frames are short). */
static inline uint8_t ip6_valid(const uint8_t *ip, size_t avail, uint8_t badver, uint16_t *tot)
{
	uint32_t t;

	if (avail < 1)
		return FWD_DROP_MALFORMED;
	if ((ip[0] >> 4) != 6)
		return badver;
	if (avail < IP6_HLEN)
		return FWD_DROP_MALFORMED;
	t = IP6_HLEN + (uint32_t)rd16(ip + 4);
	if (t > avail)
		return FWD_DROP_MALFORMED;
	*tot = (uint16_t)t;
	return FWD_OK;
}

/* ECMP: addresses, plus ports of unfragmented TCP/UDP, so a flow keeps one
 * path (no reordering). */
static inline uint32_t flow_hash(const uint8_t *ip, uint16_t tot)
{
	unsigned ihl = (ip[0] & 0xfu) * 4;
	uint32_t h = rd32(ip + 12) * 0x9e3779b1u ^ rd32(ip + 16);

	if ((ip[9] == 6 || ip[9] == 17) && (rd16(ip + 6) & 0x3fff) == 0 && ihl + 4 <= tot)
		h ^= rd32(ip + ihl) * 0x85ebca6bu;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h;
}

/* IPv6: addresses and flow label, plus the ports of TCP/UDP right behind
 * the fixed header. */
static inline uint32_t flow_hash6(const uint8_t *ip, uint16_t tot)
{
	uint32_t s = rd32(ip + 8) ^ rd32(ip + 12) ^ rd32(ip + 16) ^ rd32(ip + 20);
	uint32_t d = rd32(ip + 24) ^ rd32(ip + 28) ^ rd32(ip + 32) ^ rd32(ip + 36);
	uint32_t h = s * 0x9e3779b1u ^ d ^ (rd32(ip) & 0xfffffu);

	if ((ip[6] == 6 || ip[6] == 17) && IP6_HLEN + 4 <= tot)
		h ^= rd32(ip + IP6_HLEN) * 0x85ebca6bu;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h;
}

/* MPLS TC of an IP packet: the precedence bits (DSCP >> 3), as Cisco does
 * by default. */
static inline uint32_t ip_prec(const uint8_t *ip)
{
	return ip[1] >> 5;
}

static inline uint32_t ip6_prec(const uint8_t *ip)
{
	return (ip[0] >> 1) & 7; /* the traffic class's top 3 bits */
}

static inline const struct fwd_nh *nh_get(const struct burst *b, uint32_t id)
{
	if (id >= b->nh_cap)
		return NULL;
	return LD(b->nh[id]);
}

static inline const struct fwd_port_cfg *port_get(const struct fwd_tables *t, unsigned port)
{
	const struct fwd_port_cfg *c;

	if (port >= FWD_MAX_PORTS)
		return NULL;
	c = LD(t->port[port]);
	return c != NULL && c->up ? c : NULL;
}

static const struct fwd_neigh *neigh_find(const struct fwd_tables *t, unsigned port, uint32_t ip)
{
	const struct fwd_neigh_tab *tab = LD(t->neigh[port]);
	uint32_t i, n;

	if (tab == NULL || ip == 0)
		return NULL;
	i = fwd_neigh_hash(ip) & tab->mask;
	/* bounded even for a full table built by hand */
	for (n = 0; n <= tab->mask; n++) {
		if (tab->slot[i].ip == ip)
			return &tab->slot[i];
		if (tab->slot[i].ip == 0)
			return NULL;
		i = (i + 1) & tab->mask;
	}
	return NULL;
}

static const struct fwd_neigh6 *neigh6_find(const struct fwd_tables *t, unsigned port,
					    const uint8_t *ip)
{
	const struct fwd_neigh6_tab *tab = LD(t->neigh6[port]);
	uint32_t i, n;

	if (tab == NULL || ip6_zero(ip))
		return NULL;
	i = fwd_neigh6_hash(ip) & tab->mask;
	for (n = 0; n <= tab->mask; n++) {
		if (ip6_eq(tab->slot[i].ip, ip))
			return &tab->slot[i];
		if (ip6_zero(tab->slot[i].ip))
			return NULL;
		i = (i + 1) & tab->mask;
	}
	return NULL;
}

/* The MAC of the neighbor adjacency a sends to: its IPv6 gateway, its IPv4
 * gateway, else (directly connected) the packet's own destination: dst6
 * for an IPv6 packet, dst4 for an IPv4 one (dst6 NULL). NULL if unknown,
 * with the address to resolve on a->port in p. */
static inline const uint8_t *adj_mac(const struct fwd_tables *t, struct fwd_pkt *p,
				     const struct fwd_adj *a, uint32_t dst4, const uint8_t *dst6)
{
	const struct fwd_neigh6 *n6;
	const struct fwd_neigh *ne;
	uint32_t ip;

	if (a->gw_af == AF_INET6)
		dst6 = a->gw6;
	else if (a->gw != 0)
		dst6 = NULL;
	if (dst6 != NULL) {
		if ((n6 = neigh6_find(t, a->port, dst6)) != NULL)
			return n6->mac;
		p->resolve_af = AF_INET6;
		memcpy(p->resolve_ip6, dst6, 16);
		return NULL;
	}
	ip = a->gw ? a->gw : dst4;
	if ((ne = neigh_find(t, a->port, ip)) != NULL)
		return ne->mac;
	p->resolve_ip = ip;
	return NULL;
}

/* The adjacency of a next hop for a packet (ECMP: by flow), or the verdict
 * for a next hop that does not forward. */
static inline uint8_t nh_adj(const struct fwd_tables *t, const struct fwd_nh *nh,
			     const uint8_t *ip, uint16_t tot, bool v6, const struct fwd_adj **ap)
{
	switch (nh->type) {
	case FWD_NH_DROP:
		return FWD_DROP_BLACKHOLE;
	case FWD_NH_UNRESOLVED:
		return FWD_DROP_NO_LSP;
	case FWD_NH_RECEIVE:
		return FWD_PUNT;
	case FWD_NH_FWD: {
		unsigned base = 0, n = nh->nadj;

		/* PIC edge: the primaries' PE is down, the backups take over */
		if (nh->nbackup > 0 && nh->pe_slot < FWD_MAX_PE &&
		    atomic_load_explicit(&t->pe_down[nh->pe_slot], memory_order_relaxed)) {
			base = nh->nadj;
			n = nh->nbackup;
		}
		if (n == 0)
			return FWD_DROP_NO_ROUTE;
		if (n == 1)
			*ap = &nh->adj[base];
		else
			*ap = &nh->adj[base + (v6 ? flow_hash6(ip, tot) : flow_hash(ip, tot)) % n];
		return FWD_OK;
	}
	default:
		/* FWD_NH_LOOKUP has no meaning in a FIB */
		return FWD_DROP_NO_ROUTE;
	}
}

/* A packet for one of the VRF's own addresses: a customer port's kernel is
 * the VRF's, it has its copy (punt); one popped from the core goes to the
 * VRF's kernel through its local port, if there is one. */
static inline uint8_t local_verdict(const struct fwd_vrf *vrf, bool from_core,
				    const struct fwd_adj **ap)
{
	if (!from_core || !vrf->has_local)
		return FWD_PUNT;
	*ap = &vrf->local_adj;
	return FWD_OK;
}

/* The VRF step shared by ingress and egress: punt what is ours, then LPM.
 * On FWD_OK *ap is the adjacency to use. */
static uint8_t ip_route(const struct burst *b, uint32_t vrf_id, const uint8_t *ip, uint16_t tot,
			bool from_core, const struct fwd_adj **ap)
{
	const struct fwd_vrf *vrf;
	const struct fwd_nh *nh;
	uint32_t dst = rd32(ip + 16), id;
	int i, nlocal;

	vrf = vrf_id < FWD_MAX_VRFS ? LD(b->t->vrf[vrf_id]) : NULL;
	if (vrf == NULL || vrf->fib == NULL)
		return FWD_DROP_NO_ROUTE;
	/* multicast, class E and limited broadcast: the kernel's */
	if (dst >= 0xe0000000u)
		return FWD_PUNT;
	nlocal = vrf->nlocal < FWD_MAX_LOCAL ? vrf->nlocal : FWD_MAX_LOCAL;
	for (i = 0; i < nlocal; i++)
		if (vrf->local[i] == dst)
			return local_verdict(vrf, from_core, ap);
	if (b->lfib_of[b->cur] == vrf->fib && b->ldst[b->cur] == dst)
		id = b->lid[b->cur];
	else
		id = fib_lookup(vrf->fib, dst);
	if (id == FIB_NH_NONE || (nh = nh_get(b, id)) == NULL)
		return FWD_DROP_NO_ROUTE;
	return nh_adj(b->t, nh, ip, tot, false, ap);
}

/* The same for IPv6 (RFC 4291 2.5.6, 2.7: link-local and multicast
 * destinations are the kernel's; 2.5.2, 2.5.6: nothing from the unspecified
 * or a link-local source is forwarded). */
static uint8_t ip6_route(const struct burst *b, uint32_t vrf_id, const uint8_t *ip, uint16_t tot,
			 bool from_core, const struct fwd_adj **ap)
{
	const uint8_t *dst = ip + 24, *src = ip + 8;
	const struct fwd_vrf *vrf;
	const struct fwd_nh *nh;
	int i, nlocal;
	uint32_t id;

	vrf = vrf_id < FWD_MAX_VRFS ? LD(b->t->vrf[vrf_id]) : NULL;
	if (vrf == NULL || vrf->fib6 == NULL)
		return FWD_DROP_NO_ROUTE;
	if (dst[0] == 0xff || ip6_linklocal(dst))
		return FWD_PUNT;
	nlocal = vrf->nlocal6 < FWD_MAX_LOCAL ? vrf->nlocal6 : FWD_MAX_LOCAL;
	for (i = 0; i < nlocal; i++)
		if (ip6_eq(vrf->local6[i], dst))
			return local_verdict(vrf, from_core, ap);
	if (ip6_zero(src) || ip6_linklocal(src) || src[0] == 0xff)
		return FWD_DROP_NO_ROUTE;
	id = fib6_lookup(vrf->fib6, dst);
	if (id == FIB_NH_NONE || (nh = nh_get(b, id)) == NULL)
		return FWD_DROP_NO_ROUTE;
	return nh_adj(b->t, nh, ip, tot, true, ap);
}

/* Lays out [Ethernet][adj labels] in front of l3, which stays where it is.
 * Label TTLs: ttl_last on the innermost pushed label, ttl_outer on the
 * others; S on the innermost pushed label if bos. */
static inline uint8_t put_headers(struct fwd_pkt *p, uint8_t *l3, size_t l3len,
				  const struct fwd_adj *a, uint32_t tc, uint32_t ttl_outer,
				  uint32_t ttl_last, bool bos, uint16_t etype,
				  const uint8_t *dmac, const uint8_t *smac)
{
	unsigned nl = a->nlabels, i;
	uint8_t *d;
	uint32_t w;

	if (nl > FWD_MAX_PUSH)
		nl = FWD_MAX_PUSH;
	if ((size_t)(l3 - p->buf) < ETH_HLEN + 4 * nl)
		return FWD_DROP_STACK; /* no headroom left */
	d = l3 - ETH_HLEN - 4 * nl;
	for (i = 0; i < nl; i++) {
		/* RFC 3032 2.1: label 20, TC 3, S 1, TTL 8 */
		w = (a->labels[i] & 0xfffffu) << 12 | (tc & 7) << 9;
		if (i + 1 == nl)
			w |= (bos ? 0x100u : 0) | (ttl_last & 0xff);
		else
			w |= ttl_outer & 0xff;
		wr32(d + ETH_HLEN + 4 * i, w);
	}
	memcpy(d, dmac, 6);
	memcpy(d + 6, smac, 6);
	wr16(d + 12, nl ? ETH_P_MPLS_UC : etype);
	p->data = d;
	p->len = (uint16_t)(ETH_HLEN + 4 * nl + l3len);
	return FWD_OK;
}

/* ---- errors we originate ---- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One error may go out of port (a token bucket of FWD_ICMP_BURST, refilled
 * at FWD_ICMP_RATE per second); counted icmp_limited (port and VRF) when
 * not. Only when an error is due is the clock read. */
static bool icmp_allow(struct fwd_tables *t, unsigned port, uint32_t cvrf)
{
	struct fwd_icmp_bucket *k = &t->icmp_rl[port];
	const uint64_t per = 1000000000ull / FWD_ICMP_RATE;
	uint64_t now = now_ns(), add;

	if (k->last_ns == 0 || now - k->last_ns >= per * FWD_ICMP_BURST) {
		k->tokens = FWD_ICMP_BURST;
		k->last_ns = now;
	} else if ((add = (now - k->last_ns) / per) > 0) {
		k->tokens = k->tokens + add > FWD_ICMP_BURST ? FWD_ICMP_BURST
							     : k->tokens + (uint32_t)add;
		k->last_ns += add * per;
	}
	if (k->tokens == 0) {
		t->port_cnt[port].icmp_limited++;
		t->vrf_cnt[cvrf].icmp_limited++;
		return false;
	}
	k->tokens--;
	return true;
}

/* An error goes back out in_port: its cause is counted here as a drop (port,
 * VRF and family), the error as sent. */
static void icmp_count(const struct burst *b, struct fwd_pkt *p, uint32_t cvrf, uint8_t cause)
{
	struct fwd_counters *pc = &b->t->port_cnt[p->in_port], *vc = &b->t->vrf_cnt[cvrf];

	p->out_port = p->in_port;
	p->icmp = 1;
	pc->drop[cause]++;
	pc->icmp_sent++;
	vc->drop[cause]++;
	if (p->af != 0) {
		pc->af[p->af - 1].drop[cause]++;
		pc->af[p->af - 1].icmp_sent++;
		vc->af[p->af - 1].drop[cause]++;
		vc->af[p->af - 1].icmp_sent++;
	}
}

/* Turns the frame into an ICMP error back to the sender out in_port
 * (RFC 792, RFC 1812 4.3.2). Returns cause if no error may be sent (the
 * caller counts it); else counts cause itself and returns FWD_OK. The new
 * headers go in the headroom so the quote stays in place. */
static uint8_t icmp_error(const struct burst *b, struct fwd_pkt *p, const struct fwd_port_cfg *in,
			  uint32_t cvrf, uint8_t *ip, uint16_t tot, uint8_t type, uint8_t code,
			  uint16_t mtu, uint8_t cause)
{
	unsigned ihl = (ip[0] & 0xfu) * 4;
	uint32_t src = rd32(ip + 12);
	uint8_t smac[6], *d, *ih, *ic;
	size_t q;

	if (!b->icmp || in->addr == 0 || ip_martian_src(src))
		return cause;
	/* RFC 1812 4.3.2.7: not about a non-first fragment, nor an ICMP error */
	if ((rd16(ip + 6) & 0x1fff) != 0)
		return cause;
	if (ip[9] == 1) {
		if (ihl >= tot)
			return cause;
		switch (ip[ihl]) {
		case 3: case 4: case 5: case 11: case 12:
			return cause;
		}
	}
	if ((size_t)(p->data - p->buf) < ICMP_HLEN || !icmp_allow(b->t, p->in_port, cvrf))
		return cause;

	q = tot < FWD_ICMP_MAX - ICMP_HLEN ? tot : FWD_ICMP_MAX - ICMP_HLEN;
	memcpy(smac, p->data + 6, 6);
	d = p->data - ICMP_HLEN;
	ih = d + ETH_HLEN;
	ic = ih + 20; /* == ip - 8 */

	memcpy(d, smac, 6);
	memcpy(d + 6, in->mac, 6);
	wr16(d + 12, ETH_P_IPV4);

	ih[0] = 0x45;
	ih[1] = 0xc0; /* precedence internetwork control, as for routing traffic */
	wr16(ih + 2, (uint16_t)(20 + 8 + q));
	wr16(ih + 4, 0);
	wr16(ih + 6, 0);
	ih[8] = 64;
	ih[9] = 1;
	wr16(ih + 10, 0);
	wr32(ih + 12, in->addr);
	wr32(ih + 16, src);
	wr16(ih + 10, csum(ih, 20));

	ic[0] = type;
	ic[1] = code;
	wr16(ic + 2, 0);
	wr16(ic + 4, 0);
	wr16(ic + 6, mtu); /* RFC 1191: next-hop MTU, 0 for others */
	wr16(ic + 2, csum(ic, 8 + q));

	p->data = d;
	p->len = (uint16_t)(ETH_HLEN + ICMP_HLEN + q);
	icmp_count(b, p, cvrf, cause);
	return FWD_OK;
}

/* RFC 4443 2.4 (e.1): is the packet itself an ICMPv6 error message? Its
 * type is looked for behind a few extension headers; a packet whose type
 * cannot be seen (a non-first fragment, a truncated or long chain) is not
 * taken for one (as Linux's is_ineligible). */
static bool ip6_is_icmp_error(const uint8_t *ip, uint16_t tot)
{
	size_t off = IP6_HLEN;
	uint8_t nh = ip[6];
	int i;

	for (i = 0; i < 8; i++) {
		switch (nh) {
		case IPPROTO_ICMPV6_:
			/* a truncated ICMPv6 header counts as an error (no reply) */
			return off >= tot || ip[off] < 128;
		case 0:  /* hop-by-hop options */
		case 43: /* routing */
		case 60: /* destination options */
			if (off + 2 > tot)
				return false;
			nh = ip[off];
			off += ((size_t)ip[off + 1] + 1) * 8;
			break;
		case 51: /* AH */
			if (off + 2 > tot)
				return false;
			nh = ip[off];
			off += ((size_t)ip[off + 1] + 2) * 4;
			break;
		case 44: /* fragment */
			if (off + 8 > tot || (rd16(ip + off + 2) & 0xfff8) != 0)
				return false;
			nh = ip[off];
			off += 8;
			break;
		default:
			return false;
		}
	}
	return false;
}

/* Turns the frame into an ICMPv6 error back to the sender out in_port
 * (RFC 4443 3.2 packet too big with mtu, 3.3 time exceeded), from the
 * port's IPv6 address. Returns cause if no error may be sent (RFC 4443 2.4
 * (e): not about an ICMPv6 error, a link-layer multicast frame, a source
 * that names no single node; multicast destinations never get here: they
 * are punted; (f): the rate limit), else counts cause itself and returns
 * FWD_OK. The quote stays in place and is cut so that the error fits the
 * minimum MTU (2.4 (c)). */
static uint8_t icmp6_error(const struct burst *b, struct fwd_pkt *p, const struct fwd_port_cfg *in,
			   uint32_t cvrf, uint8_t *ip, uint16_t tot, uint8_t type, uint32_t mtu,
			   uint8_t cause)
{
	uint8_t smac[6], *d, *ih, *ic, pseudo[8];
	uint32_t s;
	size_t q;

	if (!b->icmp || ip6_zero(in->addr6) || (p->data[0] & 1))
		return cause;
	if (ip6_zero(ip + 8) || ip[8] == 0xff || ip6_is_icmp_error(ip, tot))
		return cause;
	if ((size_t)(p->data - p->buf) < ICMP6_HLEN || !icmp_allow(b->t, p->in_port, cvrf))
		return cause;

	q = tot < FWD_ICMP6_MAX - ICMP6_HLEN ? tot : FWD_ICMP6_MAX - ICMP6_HLEN;
	memcpy(smac, p->data + 6, 6);
	d = p->data - ICMP6_HLEN;
	ih = d + ETH_HLEN;
	ic = ih + IP6_HLEN; /* == ip - 8 */

	memcpy(d, smac, 6);
	memcpy(d + 6, in->mac, 6);
	wr16(d + 12, ETH_P_IPV6);

	/* version 6, traffic class 0xc0 (network control), flow label 0 */
	wr32(ih, 6u << 28 | 0xc0u << 20);
	wr16(ih + 4, (uint16_t)(8 + q));
	ih[6] = IPPROTO_ICMPV6_;
	ih[7] = 64;
	memcpy(ih + 8, in->addr6, 16);
	memcpy(ih + 24, ip + 8, 16);

	ic[0] = type;
	ic[1] = 0;
	wr16(ic + 2, 0);
	wr32(ic + 4, mtu); /* packet too big: the MTU; time exceeded: unused */
	/* RFC 8200 8.1: the pseudo-header (addresses, length, next header) */
	wr32(pseudo, (uint32_t)(8 + q));
	wr32(pseudo + 4, IPPROTO_ICMPV6_);
	s = csum_add(0, ih + 8, 32);
	s = csum_add(s, pseudo, 8);
	s = csum_add(s, ic, 8 + q);
	wr16(ic + 2, csum_fold(s));

	p->data = d;
	p->len = (uint16_t)(ETH_HLEN + ICMP6_HLEN + q);
	icmp_count(b, p, cvrf, cause);
	return FWD_OK;
}

/* ---- customer ports ---- */

/* An IPv4 packet from a CE (RFC 4364 ingress PE). */
static uint8_t from_customer4(const struct burst *b, struct fwd_pkt *p,
			      const struct fwd_port_cfg *in, uint32_t cvrf)
{
	const struct fwd_port_cfg *out;
	const struct fwd_adj *a;
	const uint8_t *mac;
	uint8_t *ip = p->data + ETH_HLEN, v, ttl;
	uint32_t nl, lt, mtu;
	uint16_t tot;

	p->af = FWD_AF_IPV4;
	if ((v = ip_valid(ip, p->len - ETH_HLEN, FWD_DROP_MALFORMED, &tot)) != FWD_OK)
		return v;
	if ((v = ip_route(b, in->vrf_id, ip, tot, false, &a)) != FWD_OK)
		return v;
	ttl = ip[8];
	if (ttl <= 1)
		return icmp_error(b, p, in, cvrf, ip, tot, 11, 0, 0, FWD_DROP_TTL);
	if ((out = port_get(b->t, a->port)) == NULL)
		return FWD_DROP_PORT_DOWN;
	nl = a->nlabels;
	mtu = out->mtu;
	if (tot + 4 * nl > mtu) {
		/* RFC 1191: the MTU the packet may have, labels taken off */
		mtu = mtu > 4 * nl ? mtu - 4 * nl : 0;
		if (rd16(ip + 6) & 0x4000)
			return icmp_error(b, p, in, cvrf, ip, tot, 3, 4,
					  (uint16_t)(mtu > 0xffff ? 0xffff : mtu), FWD_DROP_MTU);
		return FWD_DROP_MTU;
	}
	p->out_port = a->port;
	if ((mac = adj_mac(b->t, p, a, rd32(ip + 16), NULL)) == NULL)
		return FWD_DROP_NO_NEIGH;
	ttl--;
	ip_set_ttl(ip, ttl);
	lt = b->pipe ? 255 : ttl;
	return put_headers(p, ip, tot, a, ip_prec(ip), lt, lt, true, ETH_P_IPV4, mac, out->mac);
}

/* An IPv6 packet from a CE (RFC 4364 ingress PE; remote routes: 6VPE, RFC
 * 4659, the VPN label under the LDP label of the IPv4 LSP). The hop limit
 * plays the TTL's part (RFC 3443 applies to it the same way). */
static uint8_t from_customer6(const struct burst *b, struct fwd_pkt *p,
			      const struct fwd_port_cfg *in, uint32_t cvrf)
{
	const struct fwd_port_cfg *out;
	const struct fwd_adj *a;
	const uint8_t *mac;
	uint8_t *ip = p->data + ETH_HLEN, v, hl;
	uint32_t nl, lt, mtu;
	uint16_t tot;

	p->af = FWD_AF_IPV6;
	if ((v = ip6_valid(ip, p->len - ETH_HLEN, FWD_DROP_MALFORMED, &tot)) != FWD_OK)
		return v;
	if ((v = ip6_route(b, in->vrf_id, ip, tot, false, &a)) != FWD_OK)
		return v;
	hl = ip[7];
	if (hl <= 1)
		return icmp6_error(b, p, in, cvrf, ip, tot, 3, 0, FWD_DROP_TTL);
	if ((out = port_get(b->t, a->port)) == NULL)
		return FWD_DROP_PORT_DOWN;
	nl = a->nlabels;
	mtu = out->mtu;
	if (tot + 4 * nl > mtu) {
		/* RFC 8201: routers do not fragment; the MTU without the labels */
		mtu = mtu > 4 * nl ? mtu - 4 * nl : 0;
		return icmp6_error(b, p, in, cvrf, ip, tot, 2, mtu, FWD_DROP_MTU);
	}
	p->out_port = a->port;
	if ((mac = adj_mac(b->t, p, a, 0, ip + 24)) == NULL)
		return FWD_DROP_NO_NEIGH;
	ip[7] = --hl;
	lt = b->pipe ? 255 : hl;
	return put_headers(p, ip, tot, a, ip6_prec(ip), lt, lt, true, ETH_P_IPV6, mac, out->mac);
}

static uint8_t from_customer(const struct burst *b, struct fwd_pkt *p,
			     const struct fwd_port_cfg *in, uint32_t cvrf)
{
	uint16_t et;

	if (p->len < ETH_HLEN)
		return FWD_DROP_MALFORMED;
	et = rd16(p->data + 12);
	if (et == ETH_P_IPV4)
		return from_customer4(b, p, in, cvrf);
	if (et == ETH_P_IPV6)
		return from_customer6(b, p, in, cvrf);
	/* ARP, VLAN tags...: the kernel has its copy */
	return FWD_PUNT;
}

/* ---- core ports ---- */

/* Pop to IPv6 (PHP of the last label, or a per-CE label): uniform copies
 * the label's TTL - 1 into a larger hop limit. */
static uint8_t pop6(const struct burst *b, struct fwd_pkt *p, const struct fwd_adj *a,
		    const struct fwd_port_cfg *out, uint8_t *l3, size_t l3len, uint32_t lttl)
{
	const uint8_t *mac;
	uint8_t v, hl;
	uint16_t tot;

	p->af = FWD_AF_IPV6;
	if ((v = ip6_valid(l3, l3len, FWD_DROP_NOT_IP, &tot)) != FWD_OK)
		return v;
	hl = l3[7];
	if (!b->pipe && lttl - 1 < hl)
		hl = (uint8_t)(lttl - 1);
	if (hl == 0)
		return FWD_DROP_TTL;
	if (tot > out->mtu)
		return FWD_DROP_MTU;
	p->out_port = a->port;
	if ((mac = adj_mac(b->t, p, a, 0, l3 + 24)) == NULL)
		return FWD_DROP_NO_NEIGH;
	l3[7] = hl;
	return put_headers(p, l3, tot, a, 0, 0, 0, true, ETH_P_IPV6, mac, out->mac);
}

/* LFIB FWD_NH_FWD: pop the top label (at off), push the adjacency's. */
static uint8_t mpls_fwd(const struct burst *b, struct fwd_pkt *p, const struct fwd_nh *nh,
			size_t off, uint32_t w, uint32_t lttl, uint32_t *cvrf)
{
	const struct fwd_port_cfg *out;
	const struct fwd_adj *a;
	const uint8_t *mac;
	uint8_t *l3 = p->data + off + 4, v, ipttl;
	size_t l3len = p->len - off - 4;
	bool bos = w & 0x100;
	uint32_t nl, iw;
	uint16_t tot;

	if (nh->nadj == 0)
		return FWD_DROP_BAD_LABEL;
	a = &nh->adj[0];
	if (nh->nadj > 1) {
		/* the flow under the stack if we can see it, else the label */
		uint32_t h = w >> 12;

		if (bos && l3len >= 20 && (l3[0] >> 4) == 4 && ip_valid(l3, l3len, FWD_DROP_NOT_IP, &tot) == FWD_OK)
			h = flow_hash(l3, tot);
		else if (bos && l3len >= IP6_HLEN && (l3[0] >> 4) == 6 &&
			 ip6_valid(l3, l3len, FWD_DROP_NOT_IP, &tot) == FWD_OK)
			h = flow_hash6(l3, tot);
		else if (!bos && l3len >= 4)
			h = (rd32(l3) >> 12) * 0x9e3779b1u >> 7;
		a = &nh->adj[h % nh->nadj];
	}
	if ((out = port_get(b->t, a->port)) == NULL)
		return FWD_DROP_PORT_DOWN;
	nl = a->nlabels;

	if (nl == 0 && bos) {
		/* pop to IP (PHP of the last label, or per-CE label) */
		if (out->vrf_id < FWD_MAX_VRFS)
			*cvrf = out->vrf_id;
		if (l3len >= 1 && (l3[0] >> 4) == 6)
			return pop6(b, p, a, out, l3, l3len, lttl);
		if (l3len >= 1 && (l3[0] >> 4) == 4)
			p->af = FWD_AF_IPV4;
		if ((v = ip_valid(l3, l3len, FWD_DROP_NOT_IP, &tot)) != FWD_OK)
			return v;
		ipttl = l3[8];
		if (!b->pipe && lttl - 1 < ipttl)
			ipttl = (uint8_t)(lttl - 1); /* RFC 3443 uniform */
		if (ipttl == 0)
			return FWD_DROP_TTL;
		if (tot > out->mtu)
			return FWD_DROP_MTU;
		p->out_port = a->port;
		if ((mac = adj_mac(b->t, p, a, rd32(l3 + 16), NULL)) == NULL)
			return FWD_DROP_NO_NEIGH;
		if (ipttl != l3[8])
			ip_set_ttl(l3, ipttl);
		return put_headers(p, l3, tot, a, 0, 0, 0, true, ETH_P_IPV4, mac, out->mac);
	}

	if (!bos && l3len < 4)
		return FWD_DROP_MALFORMED;
	if (l3len + 4 * nl > out->mtu)
		return FWD_DROP_MTU;
	p->out_port = a->port;
	/* a labelled frame has no IP destination we can use */
	if ((mac = adj_mac(b->t, p, a, 0, NULL)) == NULL)
		return FWD_DROP_NO_NEIGH;
	if (nl == 0) {
		/* PHP exposing an inner label: uniform copies the TTL down */
		iw = rd32(l3);
		if (!b->pipe && (iw & 0xff) > lttl - 1)
			wr32(l3, (iw & ~0xffu) | (lttl - 1));
		return put_headers(p, l3, l3len, a, 0, 0, 0, false, ETH_P_MPLS_UC, mac, out->mac);
	}
	/* swap (+ push): the label that replaces ours carries TTL - 1; new
	 * outer tunnel labels copy it (uniform) or start at 255 (pipe) */
	return put_headers(p, l3, l3len, a, (w >> 9) & 7, b->pipe ? 255 : lttl - 1, lttl - 1, bos,
			   ETH_P_MPLS_UC, mac, out->mac);
}

/* LFIB FWD_NH_LOOKUP, IPv6 under the VPN label (6VPE egress PE): as
 * mpls_lookup() with the hop limit. */
static uint8_t mpls_lookup6(const struct burst *b, struct fwd_pkt *p, const struct fwd_nh *nh,
			    uint8_t *l3, size_t l3len, uint32_t lttl)
{
	const struct fwd_port_cfg *out;
	const struct fwd_adj *a;
	const uint8_t *mac;
	uint8_t v, hl;
	uint32_t nl, lt;
	uint16_t tot;

	p->af = FWD_AF_IPV6;
	if ((v = ip6_valid(l3, l3len, FWD_DROP_NOT_IP, &tot)) != FWD_OK)
		return v;
	hl = l3[7];
	if (!b->pipe && lttl < hl)
		hl = (uint8_t)lttl;
	if ((v = ip6_route(b, nh->vrf_id, l3, tot, true, &a)) != FWD_OK)
		return v;
	if (hl <= 1)
		return FWD_DROP_TTL;
	hl--;
	if ((out = port_get(b->t, a->port)) == NULL)
		return FWD_DROP_PORT_DOWN;
	nl = a->nlabels;
	if (tot + 4 * nl > out->mtu)
		return FWD_DROP_MTU;
	p->out_port = a->port;
	if ((mac = adj_mac(b->t, p, a, 0, l3 + 24)) == NULL)
		return FWD_DROP_NO_NEIGH;
	l3[7] = hl;
	lt = b->pipe ? 255 : hl;
	return put_headers(p, l3, tot, a, ip6_prec(l3), lt, lt, true, ETH_P_IPV6, mac, out->mac);
}

/* LFIB FWD_NH_LOOKUP: pop the VPN label, forward the IP payload in its
 * VRF (RFC 4364 egress PE, per-VRF label); the first nibble tells IPv4
 * from IPv6. */
static uint8_t mpls_lookup(const struct burst *b, struct fwd_pkt *p, const struct fwd_nh *nh,
			   size_t off, uint32_t w, uint32_t lttl, uint32_t *cvrf)
{
	const struct fwd_port_cfg *out;
	const struct fwd_adj *a;
	const uint8_t *mac;
	uint8_t *l3 = p->data + off + 4, v, ttl;
	size_t l3len = p->len - off - 4;
	uint32_t nl, lt;
	uint16_t tot;

	if (!(w & 0x100))
		return FWD_DROP_BAD_LABEL; /* a VPN label is at the bottom */
	if (nh->vrf_id < FWD_MAX_VRFS)
		*cvrf = nh->vrf_id;
	if (l3len >= 1 && (l3[0] >> 4) == 6)
		return mpls_lookup6(b, p, nh, l3, l3len, lttl);
	if (l3len >= 1 && (l3[0] >> 4) == 4)
		p->af = FWD_AF_IPV4;
	if ((v = ip_valid(l3, l3len, FWD_DROP_NOT_IP, &tot)) != FWD_OK)
		return v;
	/* uniform (RFC 3443): the label's TTL goes back into the IP header;
	 * this PE is one hop: the IP forwarding below decrements once (no
	 * decrement at the pop, or the egress PE would count twice) */
	ttl = l3[8];
	if (!b->pipe && lttl < ttl)
		ttl = (uint8_t)lttl;
	if ((v = ip_route(b, nh->vrf_id, l3, tot, true, &a)) != FWD_OK)
		return v;
	if (ttl <= 1)
		return FWD_DROP_TTL;
	ttl--;
	if ((out = port_get(b->t, a->port)) == NULL)
		return FWD_DROP_PORT_DOWN;
	nl = a->nlabels;
	if (tot + 4 * nl > out->mtu)
		return FWD_DROP_MTU;
	p->out_port = a->port;
	if ((mac = adj_mac(b->t, p, a, rd32(l3 + 16), NULL)) == NULL)
		return FWD_DROP_NO_NEIGH;
	ip_set_ttl(l3, ttl);
	lt = b->pipe ? 255 : ttl;
	return put_headers(p, l3, tot, a, ip_prec(l3), lt, lt, true, ETH_P_IPV4, mac, out->mac);
}

/* A frame on a core port: MPLS only (RFC 3032). */
static uint8_t from_core(const struct burst *b, struct fwd_pkt *p, uint32_t *cvrf)
{
	const struct fwd_nh *nh;
	uint32_t w = 0, label = 0, lttl = 0, prev = 255;
	size_t off = ETH_HLEN;
	int depth;

	if (p->len < ETH_HLEN)
		return FWD_DROP_MALFORMED;
	if (rd16(p->data + 12) != ETH_P_MPLS_UC)
		return FWD_PUNT;
	for (depth = 0;; depth++) {
		if (depth == MPLS_MAX_DEPTH)
			return FWD_DROP_STACK;
		if (off + 4 > p->len)
			return FWD_DROP_MALFORMED;
		w = rd32(p->data + off);
		label = w >> 12;
		lttl = w & 0xff;
		if (!b->pipe && prev < lttl)
			lttl = prev; /* a popped explicit null's TTL carries down */
		if (label >= MPLS_LABEL_FIRST_UNRESERVED)
			break;
		/* RFC 3032 2.1: IPv4 and IPv6 explicit null are popped; only
		 * as the top of more labels here, we are not an IP endpoint
		 * of the core */
		if ((label != MPLS_LABEL_IPV4_EXPLICIT_NULL &&
		     label != MPLS_LABEL_IPV6_EXPLICIT_NULL) || (w & 0x100))
			return FWD_DROP_BAD_LABEL;
		prev = lttl;
		off += 4;
	}
	if (lttl <= 1)
		return FWD_DROP_TTL;
	if (label >= b->lfib_cap || (nh = LD(b->lfib[label])) == NULL)
		return FWD_DROP_BAD_LABEL;
	switch (nh->type) {
	case FWD_NH_DROP:
		return FWD_DROP_BLACKHOLE;
	case FWD_NH_UNRESOLVED:
		return FWD_DROP_NO_LSP;
	case FWD_NH_RECEIVE:
		return FWD_PUNT;
	case FWD_NH_FWD:
		return mpls_fwd(b, p, nh, off, w, lttl, cvrf);
	case FWD_NH_LOOKUP:
		return mpls_lookup(b, p, nh, off, w, lttl, cvrf);
	default:
		return FWD_DROP_BAD_LABEL;
	}
}

/* The FIB and destination a packet will most likely be looked up with, from
 * a quick look at its headers (bounds checked, nothing validated: a wrong
 * guess only costs a lookup, ip_route() checks that it matches). IPv4
 * only: IPv6 packets are looked up one by one. */
static const struct fib *lpm_guess(const struct burst *b, const struct fwd_pkt *p,
				   const struct fwd_port_cfg *in, uint32_t *dst)
{
	const struct fwd_vrf *vrf;
	const struct fwd_nh *nh;
	uint32_t vrf_id = in->vrf_id, w;
	size_t off = ETH_HLEN;

	if (p->len < ETH_HLEN + 20)
		return NULL;
	if (vrf_id == 0) {
		if (rd16(p->data + 12) != ETH_P_MPLS_UC || p->len < ETH_HLEN + 4 + 20)
			return NULL;
		w = rd32(p->data + ETH_HLEN);
		if ((w & 0x100) == 0 || (w >> 12) >= b->lfib_cap ||
		    (p->data[ETH_HLEN + 4] >> 4) != 4)
			return NULL;
		nh = LD(b->lfib[w >> 12]);
		if (nh == NULL || nh->type != FWD_NH_LOOKUP)
			return NULL;
		vrf_id = nh->vrf_id;
		off += 4;
	} else if (rd16(p->data + 12) != ETH_P_IPV4) {
		return NULL;
	}
	if (vrf_id >= FWD_MAX_VRFS || (vrf = LD(b->t->vrf[vrf_id])) == NULL)
		return NULL;
	*dst = rd32(p->data + off + 16);
	return vrf->fib;
}

/* The LPM of every packet of the burst up front, in runs of one FIB: the
 * lookups are independent, so their cache misses overlap (fib_lookup_bulk
 * prefetches) instead of stalling each packet in turn. */
static void lpm_ahead(struct burst *b, const struct fwd_pkt *pkts, unsigned n)
{
	uint32_t cdst[FWD_BURST], cid[FWD_BURST];
	unsigned idx[FWD_BURST], i, k = 0, s, e;
	const struct fwd_port_cfg *in;

	for (i = 0; i < n; i++) {
		b->lfib_of[i] = NULL;
		if (pkts[i].in_port >= FWD_MAX_PORTS)
			continue;
		in = LD(b->t->port[pkts[i].in_port]);
		if (in == NULL || (b->lfib_of[i] = lpm_guess(b, &pkts[i], in, &b->ldst[i])) == NULL)
			continue;
		cdst[k] = b->ldst[i];
		idx[k++] = i;
	}
	for (s = 0; s < k; s = e) {
		for (e = s + 1; e < k && b->lfib_of[idx[e]] == b->lfib_of[idx[s]]; e++)
			;
		fib_lookup_bulk(b->lfib_of[idx[s]], cdst + s, cid + s, e - s);
	}
	for (i = 0; i < k; i++)
		b->lid[idx[i]] = cid[i];
}

/* The outcome of one packet in the counters of its input port (drops,
 * punts), output port (tx) and VRF, and of its family (fwd.h). */
static inline void count(struct fwd_tables *t, struct fwd_pkt *p, struct fwd_counters *pc,
			 struct fwd_counters *vc, uint8_t v)
{
	struct fwd_counters *oc;

	if (v == FWD_OK) {
		oc = &t->port_cnt[p->out_port];
		oc->tx_pkts++;
		oc->tx_bytes += p->len;
		if (p->icmp)
			return; /* counted by icmp_count() */
		vc->tx_pkts++;
		vc->tx_bytes += p->len;
		if (p->af != 0) {
			oc->af[p->af - 1].tx_pkts++;
			oc->af[p->af - 1].tx_bytes += p->len;
			vc->af[p->af - 1].tx_pkts++;
			vc->af[p->af - 1].tx_bytes += p->len;
		}
	} else if (v == FWD_PUNT) {
		pc->punt++;
		vc->punt++;
		if (p->af != 0) {
			pc->af[p->af - 1].punt++;
			vc->af[p->af - 1].punt++;
		}
	} else {
		pc->drop[v]++;
		vc->drop[v]++;
		if (p->af != 0) {
			pc->af[p->af - 1].drop[v]++;
			vc->af[p->af - 1].drop[v]++;
		}
	}
}

static void process_burst(struct fwd_tables *t, struct fwd_pkt *pkts, unsigned n)
{
	const struct fwd_port_cfg *in;
	struct fwd_counters *pc, *vc;
	struct fwd_pkt *p;
	struct burst b;
	uint32_t cvrf;
	unsigned i;
	uint8_t v;

	b.t = t;
	/* capacity before array: see tables.c */
	b.nh_cap = LD(t->nh_cap);
	b.nh = LD(t->nh);
	b.lfib_cap = LD(t->lfib_cap);
	b.lfib = LD(t->lfib);
	b.pipe = atomic_load_explicit(&t->ttl_pipe, memory_order_relaxed);
	b.icmp = atomic_load_explicit(&t->icmp_errors, memory_order_relaxed);
	if (b.nh == NULL)
		b.nh_cap = 0;
	if (b.lfib == NULL)
		b.lfib_cap = 0;

	lpm_ahead(&b, pkts, n);
	for (i = 0; i < n; i++) {
		p = &pkts[i];
		b.cur = i;
		p->icmp = 0;
		p->af = 0;
		p->out_port = 0;
		p->resolve_ip = 0;
		p->resolve_af = 0;
		if (p->in_port >= FWD_MAX_PORTS) {
			p->verdict = FWD_DROP_PORT_DOWN;
			continue;
		}
		pc = &t->port_cnt[p->in_port];
		pc->rx_pkts++;
		pc->rx_bytes += p->len;
		in = LD(t->port[p->in_port]);
		if (in == NULL) {
			/* no VRF to blame */
			p->verdict = FWD_DROP_PORT_DOWN;
			pc->drop[FWD_DROP_PORT_DOWN]++;
			continue;
		}
		cvrf = in->vrf_id < FWD_MAX_VRFS ? in->vrf_id : 0;
		vc = &t->vrf_cnt[cvrf];
		vc->rx_pkts++;
		vc->rx_bytes += p->len;
		if (!in->up)
			v = FWD_DROP_PORT_DOWN;
		else if (in->vrf_id != 0)
			v = from_customer(&b, p, in, cvrf);
		else
			v = from_core(&b, p, &cvrf);
		p->verdict = v;
		count(t, p, pc, &t->vrf_cnt[cvrf], v);
	}
}

void fwd_process(struct fwd_tables *t, struct fwd_pkt *pkts, unsigned n)
{
	unsigned i, k;

	/* more than promised is still processed, FWD_BURST at a time */
	for (i = 0; i < n; i += k) {
		k = n - i < FWD_BURST ? n - i : FWD_BURST;
		process_burst(t, pkts + i, k);
	}
}
