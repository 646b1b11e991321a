#include "config.h"

/* Unit tests for pe/fwd/pipeline.c and tables.c: frames built in memory,
 * run through fwd_process(), and compared byte by byte. Differential: every
 * frame also goes through the XDP fast path (pe/fwd/bpf/fwd_xdp.bpf.c, with
 * BPF_PROG_TEST_RUN on maps written from the same tables by pe/fwd/xdp.c),
 * which must agree with the C pipeline: same verdict, same output bytes,
 * and its counters plus those of the C pipeline on the frames it handed to
 * the slow path must equal the C pipeline's alone (xdp_check()). As root
 * only (BPF); elsewhere the C pipeline alone is tested, and says so. The
 * topology:
 *
 *   port 0  core, MAC 02:00:00:00:00:00, neighbors P1 10.0.0.2, P2 10.0.0.3
 *   port 1  VRF 1, 10.1.1.1      port 2  VRF 2, 10.1.1.1 (same address)
 *   port 3  VRF 1, CE 192.168.4.5 behind it     port 5  VRF 1, down
 *
 * IPv6 (6VPE) on the same ports: port 1 and 2 have 2001:db8:1:1::1 (VRF 1
 * and 2), port 3 2001:db8:4::1 with the CE 2001:db8:4::5 (ND entry) on its
 * link; VRF 1 routes 2001:db8:2::/48 over two labels, 2001:db8:3::/48 over
 * one (implicit null), 2001:db8:4::/48 to the CE, 2001:db8:44::/64
 * connected on port 3 (no ND entries); VRF 2 has 2001:db8:2::/48 with its
 * own labels.
 */

#include <arpa/inet.h>
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "lib/log.h"
#include "pe/fwd/fwd.h"
#include "pe/fwd/worker.h"
#include "pe/fwd/xdp.h"
#include "vrf/fib.h"
#include "vrf/fib6.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const uint8_t mac_sender[6] = {0x66, 0x66, 0x66, 0x66, 0x66, 0x01};
static const uint8_t mac_p1[6] = {0xaa, 0, 0, 0, 0, 0x02};
static const uint8_t mac_p2[6] = {0xaa, 0, 0, 0, 0, 0x03};
static const uint8_t mac_ce3[6] = {0xcc, 0, 0, 0, 0, 0x05};

static struct fwd_tables *t;
static struct fib *fib1, *fib2;
static struct fib6 *fib61, *fib62;
static uint8_t bufs[4][FWD_BUF_SIZE];
static struct fwd_pkt pk[4];

/* ------------------------------------------------------------ helpers */

static uint16_t rd16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static uint32_t rd32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void wr16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void wr32(uint8_t *b, uint32_t v)
{
	wr16(b, (uint16_t)(v >> 16));
	wr16(b + 2, (uint16_t)v);
}

static uint16_t cksum(const uint8_t *b, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += rd16(b + i);
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* An IPv6 address from its text (the tests' own: always valid). */
static void a6(uint8_t *out, const char *text)
{
	ck_assert_int_eq(inet_pton(AF_INET6, text, out), 1);
}

static void add_port(uint16_t idx, uint32_t vrf, uint32_t addr, bool up)
{
	struct fwd_port_cfg *c = xcalloc(1, sizeof(*c));

	c->idx = idx;
	c->vrf_id = vrf;
	c->mac[0] = 0x02;
	c->mac[5] = (uint8_t)idx;
	c->mtu = 1500;
	c->ifindex = 1; /* lo: the XDP program's DEVMAP needs a device */
	c->addr = addr;
	c->up = up;
	if (idx == 1 || idx == 2)
		a6(c->addr6, "2001:db8:1:1::1");
	else if (idx == 3)
		a6(c->addr6, "2001:db8:4::1");
	snprintf(c->name, sizeof(c->name), "p%u", idx);
	atomic_store(&t->port[idx], c);
}

static struct fwd_nh *nh_fwd(uint16_t port, uint32_t gw, int nl, uint32_t l0, uint32_t l1)
{
	struct fwd_nh *nh = fwd_nh_new(FWD_NH_FWD, 1);

	nh->adj[0].port = port;
	nh->adj[0].gw = gw;
	nh->adj[0].nlabels = (uint8_t)nl;
	nh->adj[0].labels[0] = l0;
	nh->adj[0].labels[1] = l1;
	return nh;
}

static struct fwd_nh *nh_fwd6(uint16_t port, const char *gw6)
{
	struct fwd_nh *nh = fwd_nh_new(FWD_NH_FWD, 1);

	nh->adj[0].port = port;
	nh->adj[0].gw_af = AF_INET6;
	a6(nh->adj[0].gw6, gw6);
	return nh;
}

static void add_vrf(uint32_t id, struct fib *f, struct fib6 *f6, uint32_t local)
{
	struct fwd_vrf *v = xcalloc(1, sizeof(*v));

	v->id = id;
	v->fib = f;
	v->fib6 = f6;
	v->nlocal = 1;
	v->local[0] = local;
	v->nlocal6 = 1;
	a6(v->local6[0], "2001:db8:1:1::1");
	atomic_store(&t->vrf[id], v);
}

static void route6(struct fib6 *f, const char *pfx, uint8_t len, uint32_t nh)
{
	uint8_t a[16];

	a6(a, pfx);
	ck_assert_int_eq(fib6_add(f, a, len, nh), 0);
}

/* The IPv6 side of the topology (top of the file). */
static void setup6(void)
{
	struct fwd_neigh6 n3[1];
	struct fwd_nh *nh;

	a6(n3[0].ip, "2001:db8:4::5");
	memcpy(n3[0].mac, mac_ce3, 6);
	atomic_store(&t->neigh6[3], fwd_neigh6_build(n3, 1));
	route6(fib61, "2001:db8:2::", 48, 40);       /* 6VPE: LDP 1100, VPN 2100 */
	fwd_set_nh(t, 40, nh_fwd(0, IP4(10, 0, 0, 2), 2, 1100, 2100), NULL);
	route6(fib62, "2001:db8:2::", 48, 41);       /* the same prefix in VRF 2 */
	fwd_set_nh(t, 41, nh_fwd(0, IP4(10, 0, 0, 2), 2, 1101, 2101), NULL);
	route6(fib61, "2001:db8:3::", 48, 42);       /* transport implicit null */
	fwd_set_nh(t, 42, nh_fwd(0, IP4(10, 0, 0, 3), 1, 3100, 0), NULL);
	route6(fib61, "2001:db8:4::", 48, 43);       /* the CE of port 3 */
	fwd_set_nh(t, 43, nh_fwd6(3, "2001:db8:4::5"), NULL);
	route6(fib61, "2001:db8:44::", 64, 44);      /* connected, nobody known */
	fwd_set_nh(t, 44, nh_fwd(3, 0, 0, 0, 0), NULL);
	route6(fib61, "2001:db8:5::", 48, 14);       /* blackhole (shared id) */
	route6(fib61, "2001:db8:8::", 48, 17);       /* core neighbor unknown */
	route6(fib61, "2001:db8:11::", 48, 20);      /* RECEIVE */
	route6(fib61, "2001:db8:7::", 48, 45);       /* ECMP over two PEs */
	nh = fwd_nh_new(FWD_NH_FWD, 2);
	nh->adj[0].port = 0;
	nh->adj[0].gw = IP4(10, 0, 0, 2);
	nh->adj[0].nlabels = 2;
	nh->adj[0].labels[0] = 110;
	nh->adj[0].labels[1] = 210;
	nh->adj[1].port = 0;
	nh->adj[1].gw = IP4(10, 0, 0, 3);
	nh->adj[1].nlabels = 2;
	nh->adj[1].labels[0] = 111;
	nh->adj[1].labels[1] = 211;
	fwd_set_nh(t, 45, nh, NULL);
	/* PIC edge: two prefixes (IPv4 and IPv6) behind PE 10.0.0.2, each with
	 * a backup through PE 10.0.0.3, sharing PE slot 7 */
	fib_add(fib1, IP4(192, 168, 19, 0), 24, 46);
	route6(fib61, "2001:db8:19::", 48, 47);
	for (int k = 46; k <= 47; k++) {
		nh = fwd_nh_new(FWD_NH_FWD, 2);
		nh->nadj = 1;
		nh->nbackup = 1;
		nh->pe_slot = 7;
		nh->adj[0].port = 0;
		nh->adj[0].gw = IP4(10, 0, 0, 2);
		nh->adj[0].nlabels = 2;
		nh->adj[0].labels[0] = 120;
		nh->adj[0].labels[1] = (uint32_t)(220 + k - 46);
		nh->adj[1].port = 0;
		nh->adj[1].gw = IP4(10, 0, 0, 3);
		nh->adj[1].nlabels = 2;
		nh->adj[1].labels[0] = 121;
		nh->adj[1].labels[1] = (uint32_t)(320 + k - 46);
		fwd_set_nh(t, (uint32_t)k, nh, NULL);
	}
	/* IPv4 over an IPv6 next hop (RFC 5549) */
	fib_add(fib1, IP4(192, 168, 12, 0), 24, 43);
	fwd_set_lfib(t, 601, nh_fwd6(3, "2001:db8:4::5"), NULL); /* per CE, IPv6 */
}

static void setup(void)
{
	struct fwd_neigh n0[] = {{IP4(10, 0, 0, 2), {0}}, {IP4(10, 0, 0, 3), {0}}};
	struct fwd_neigh n3[] = {{IP4(192, 168, 4, 5), {0}}};
	struct fwd_nh *nh;

	memcpy(n0[0].mac, mac_p1, 6);
	memcpy(n0[1].mac, mac_p2, 6);
	memcpy(n3[0].mac, mac_ce3, 6);
	t = fwd_tables_new();
	add_port(0, 0, IP4(10, 0, 0, 1), true);
	add_port(1, 1, IP4(10, 1, 1, 1), true);
	add_port(2, 2, IP4(10, 1, 1, 1), true);
	add_port(3, 1, IP4(192, 168, 4, 1), true);
	add_port(5, 1, IP4(10, 5, 5, 1), false);
	atomic_store(&t->neigh[0], fwd_neigh_build(n0, 2));
	atomic_store(&t->neigh[3], fwd_neigh_build(n3, 1));

	fib1 = fib_new();
	fib2 = fib_new();
	fib61 = fib6_new();
	fib62 = fib6_new();
	add_vrf(1, fib1, fib61, IP4(10, 1, 1, 1));
	add_vrf(2, fib2, fib62, IP4(10, 1, 1, 1));
	/* isolation: the same prefix, different next hops */
	fib_add(fib1, IP4(192, 168, 2, 0), 24, 10);
	fib_add(fib2, IP4(192, 168, 2, 0), 24, 11);
	fwd_set_nh(t, 10, nh_fwd(0, IP4(10, 0, 0, 2), 2, 1000, 2000), NULL);
	fwd_set_nh(t, 11, nh_fwd(0, IP4(10, 0, 0, 2), 2, 1001, 2001), NULL);
	fib_add(fib1, IP4(192, 168, 3, 0), 24, 12);  /* transport implicit null */
	fwd_set_nh(t, 12, nh_fwd(0, IP4(10, 0, 0, 3), 1, 3000, 0), NULL);
	fib_add(fib1, IP4(192, 168, 4, 0), 24, 13);  /* another CE of VRF 1 */
	fwd_set_nh(t, 13, nh_fwd(3, 0, 0, 0, 0), NULL);
	fib_add(fib1, IP4(192, 168, 5, 0), 24, 14);
	fwd_set_nh(t, 14, fwd_nh_new(FWD_NH_DROP, 0), NULL);
	fib_add(fib1, IP4(192, 168, 6, 0), 24, 15);
	fwd_set_nh(t, 15, fwd_nh_new(FWD_NH_UNRESOLVED, 0), NULL);
	fib_add(fib1, IP4(192, 168, 7, 0), 24, 16);  /* ECMP */
	nh = fwd_nh_new(FWD_NH_FWD, 2);
	nh->adj[0].port = 0;
	nh->adj[0].gw = IP4(10, 0, 0, 2);
	nh->adj[0].nlabels = 2;
	nh->adj[0].labels[0] = 100;
	nh->adj[0].labels[1] = 200;
	nh->adj[1].port = 0;
	nh->adj[1].gw = IP4(10, 0, 0, 3);
	nh->adj[1].nlabels = 2;
	nh->adj[1].labels[0] = 101;
	nh->adj[1].labels[1] = 201;
	fwd_set_nh(t, 16, nh, NULL);
	fib_add(fib1, IP4(192, 168, 8, 0), 24, 17);  /* unknown neighbor */
	fwd_set_nh(t, 17, nh_fwd(0, IP4(10, 0, 0, 9), 2, 1000, 2000), NULL);
	fib_add(fib1, IP4(192, 168, 9, 0), 24, 18);  /* out a down port */
	fwd_set_nh(t, 18, nh_fwd(5, 0, 0, 0, 0), NULL);
	fib_add(fib1, IP4(192, 168, 10, 0), 24, 19); /* id with no next hop */
	fib_add(fib1, IP4(192, 168, 11, 0), 24, 20); /* RECEIVE */
	fwd_set_nh(t, 20, fwd_nh_new(FWD_NH_RECEIVE, 0), NULL);

	fwd_set_lfib(t, 16000, nh_fwd(0, IP4(10, 0, 0, 3), 1, 17000, 0), NULL); /* swap */
	fwd_set_lfib(t, 16001, nh_fwd(0, IP4(10, 0, 0, 3), 0, 0, 0), NULL);     /* PHP */
	nh = fwd_nh_new(FWD_NH_LOOKUP, 0);
	nh->vrf_id = 1;
	fwd_set_lfib(t, 500, nh, NULL);                                        /* VPN, per VRF */
	fwd_set_lfib(t, 501, nh_fwd(3, IP4(192, 168, 4, 5), 0, 0, 0), NULL);   /* per CE */
	fwd_set_lfib(t, 502, nh_fwd(0, 0, 1, 17001, 0), NULL);                 /* no gw */
	fwd_set_lfib(t, 503, fwd_nh_new(FWD_NH_DROP, 0), NULL);
	setup6();
}

static void teardown(void)
{
	fwd_tables_free(t);
	fib_free(fib1);
	fib_free(fib2);
	fib6_free(fib61);
	fib6_free(fib62);
}

struct ipspec {
	uint32_t src, dst;
	uint8_t ttl, tos, proto;
	bool df;
	uint16_t sport, dport;
	uint16_t len; /* IP total length */
};

static struct ipspec ipdef(uint32_t dst)
{
	struct ipspec s = {IP4(10, 1, 1, 2), dst, 64, 0xb8, 17, false, 1234, 80, 60};

	return s;
}

static size_t put_ip(uint8_t *ip, const struct ipspec *s)
{
	size_t i;

	memset(ip, 0, s->len);
	ip[0] = 0x45;
	ip[1] = s->tos;
	wr16(ip + 2, s->len);
	wr16(ip + 4, 0x1234);
	wr16(ip + 6, s->df ? 0x4000 : 0);
	ip[8] = s->ttl;
	ip[9] = s->proto;
	wr32(ip + 12, s->src);
	wr32(ip + 16, s->dst);
	wr16(ip + 10, cksum(ip, 20));
	if (s->proto == 17 || s->proto == 6) {
		wr16(ip + 20, s->sport);
		wr16(ip + 22, s->dport);
	}
	for (i = 28; i < s->len; i++)
		ip[i] = (uint8_t)i;
	return s->len;
}

/* IPv6 packets: payload after the fixed header (len is the whole packet). */
struct ip6spec {
	uint8_t src[16], dst[16];
	uint8_t hl, tc, nh;
	uint32_t flow;
	uint16_t sport, dport;
	uint16_t len;
};

static struct ip6spec ip6def(const char *dst)
{
	struct ip6spec s;

	memset(&s, 0, sizeof(s));
	a6(s.src, "2001:db8:1:1::2");
	a6(s.dst, dst);
	s.hl = 64;
	s.tc = 0xb8; /* DSCP 46 (EF): precedence 5 */
	s.nh = 17;
	s.flow = 0x12345;
	s.sport = 1234;
	s.dport = 80;
	s.len = 80;
	return s;
}

static size_t put_ip6(uint8_t *ip, const struct ip6spec *s)
{
	size_t i;

	memset(ip, 0, s->len);
	wr32(ip, 6u << 28 | (uint32_t)s->tc << 20 | (s->flow & 0xfffff));
	wr16(ip + 4, (uint16_t)(s->len - 40));
	ip[6] = s->nh;
	ip[7] = s->hl;
	memcpy(ip + 8, s->src, 16);
	memcpy(ip + 24, s->dst, 16);
	for (i = 40; i < s->len; i++)
		ip[i] = (uint8_t)i;
	if (s->nh == 17 || s->nh == 6) {
		wr16(ip + 40, s->sport);
		wr16(ip + 42, s->dport);
	} else if (s->nh == 58) {
		ip[40] = 128; /* echo request */
		ip[41] = 0;
	}
	return s->len;
}

/* Frame into packet k: Ethernet to port in_port's MAC, then labels (top
 * first, ttls[i]) if nl > 0, then the IPv4 packet (s) or the IPv6 one (s6). */
static struct fwd_pkt *frame46(int k, uint16_t in_port, const uint32_t *labels,
			       const uint8_t *ttls, int nl, const struct ipspec *s,
			       const struct ip6spec *s6)
{
	struct fwd_pkt *p = &pk[k];
	uint8_t *d;
	int i;

	memset(bufs[k], 0xee, FWD_BUF_SIZE);
	memset(p, 0, sizeof(*p));
	p->buf = bufs[k];
	p->data = d = bufs[k] + FWD_HEADROOM;
	p->in_port = in_port;
	d[0] = 0x02;
	d[5] = (uint8_t)in_port;
	memcpy(d + 6, mac_sender, 6);
	wr16(d + 12, nl ? ETH_P_MPLS_UC : s6 != NULL ? 0x86dd : 0x0800);
	for (i = 0; i < nl; i++)
		wr32(d + 14 + 4 * i, labels[i] << 12 | (i == nl - 1 ? 0x100u : 0) | ttls[i]);
	p->len = (uint16_t)(14 + 4 * nl + (s6 != NULL ? put_ip6(d + 14 + 4 * nl, s6)
							: put_ip(d + 14 + 4 * nl, s)));
	p->verdict = 0x55;
	return p;
}

static struct fwd_pkt *frame(int k, uint16_t in_port, const uint32_t *labels, const uint8_t *ttls,
			     int nl, const struct ipspec *s)
{
	return frame46(k, in_port, labels, ttls, nl, s, NULL);
}

static struct fwd_pkt *frame6(int k, uint16_t in_port, const uint32_t *labels,
			      const uint8_t *ttls, int nl, const struct ip6spec *s)
{
	return frame46(k, in_port, labels, ttls, nl, NULL, s);
}

/* ------------------------------------------------------------ XDP */

#define XDP_DROP_ 1
#define XDP_PASS_ 2
#define XDP_REDIRECT_ 4

static struct fwd_xdp *xdp;   /* NULL: no BPF here, C pipeline only */

struct slow_rec {
	unsigned nframes, nresolve;
	uint16_t port[8];
	uint16_t len[8];
	uint8_t data[8][FWD_BUF_SIZE];
	uint16_t rport[8];
	uint32_t rip[8];
};

static void slow_frame(void *arg, uint16_t in_port, const uint8_t *data, uint16_t len)
{
	struct slow_rec *r = arg;

	ck_assert_uint_lt(r->nframes, 8);
	r->port[r->nframes] = in_port;
	r->len[r->nframes] = len;
	memcpy(r->data[r->nframes], data, len);
	r->nframes++;
}

static void slow_resolve(void *arg, uint16_t port, uint32_t ip)
{
	struct slow_rec *r = arg;

	ck_assert_uint_lt(r->nresolve, 8);
	r->rport[r->nresolve] = port;
	r->rip[r->nresolve] = ip;
	r->nresolve++;
}

/* Every counter, the per-family ones included (the struct is all
 * uint64_t). */
static void add_counters(struct fwd_counters *a, const struct fwd_counters *b, int sign)
{
	uint64_t *x = (uint64_t *)(void *)a;
	const uint64_t *y = (const uint64_t *)(const void *)b;
	size_t k;

	_Static_assert(sizeof(*a) % sizeof(uint64_t) == 0, "counters are uint64_t");
	for (k = 0; k < sizeof(*a) / sizeof(uint64_t); k++)
		x[k] += (uint64_t)sign * y[k];
}

#define CHECK_PORTS 16 /* the tests use port indexes below this */
#define CHECK_VRFS 8   /* and VRF ids below this */

struct cnt_snap {
	struct fwd_counters port[FWD_MAX_PORTS];
	struct fwd_counters vrf[CHECK_VRFS];
};

static void snap(struct cnt_snap *s)
{
	memcpy(s->port, t->port_cnt, sizeof(s->port));
	memcpy(s->vrf, t->vrf_cnt, sizeof(s->vrf));
}

/* The C pipeline on frames that were in[k] before fwd_process() ran on
 * pkts; the XDP program on the same frames must agree (see the top). */
static void xdp_check(struct fwd_pkt *pkts, unsigned n, uint8_t (*in)[FWD_BUF_SIZE],
		      const uint16_t *inlen, const struct cnt_snap *before)
{
	static struct cnt_snap after, slow_before, xc, x0;
	static struct slow_rec rec;
	uint8_t out[FWD_BUF_SIZE];
	unsigned i, k;
	struct fwd_counters c;
	int act;

	ck_assert_int_eq(fwd_xdp_sync(xdp, t, NULL), 0);
	for (i = 0; i < CHECK_PORTS; i++)
		fwd_xdp_port_counters(xdp, (uint16_t)i, &x0.port[i]);
	for (i = 0; i < CHECK_VRFS; i++)
		fwd_xdp_vrf_counters(xdp, i, &x0.vrf[i]);
	memset(&rec, 0, sizeof(rec));
	while (fwd_xdp_slow_poll(xdp, 64, NULL, NULL, NULL) > 0)
		; /* leftovers of an earlier check */
	for (i = 0; i < n; i++) {
		uint32_t olen = sizeof(out);

		/* no program instance serves a port index beyond the table
		 * (the C pipeline counts nothing for it either) */
		if (pkts[i].in_port >= FWD_MAX_PORTS)
			continue;
		ck_assert_int_eq(fwd_xdp_prog_load(xdp, pkts[i].in_port, NULL, 0), 0);
		act = fwd_xdp_test_run(xdp, pkts[i].in_port, in[i], inlen[i], out, &olen);
		if (pkts[i].verdict == FWD_OK && !pkts[i].icmp) {
			ck_assert_msg(act == XDP_REDIRECT_, "frame %u: C forwarded, XDP action %d", i, act);
			ck_assert_uint_eq(olen, pkts[i].len);
			ck_assert_mem_eq(out, pkts[i].data, olen);
		} else if (pkts[i].verdict == FWD_PUNT) {
			ck_assert_msg(act == XDP_PASS_, "frame %u: C punted, XDP action %d", i, act);
		} else {
			ck_assert_msg(act == XDP_DROP_, "frame %u: C verdict %u, XDP action %d", i,
				      pkts[i].verdict, act);
		}
		/* what went to the slow path: an ICMP error from the C pipeline
		 * (or a frame the C pipeline drops for that cause anyway) */
		k = rec.nframes;
		fwd_xdp_slow_poll(xdp, 64, slow_frame, slow_resolve, &rec);
		if (rec.nframes > k) {
			ck_assert_uint_eq(rec.nframes, k + 1);
			ck_assert_uint_eq(rec.port[k], pkts[i].in_port);
			ck_assert_uint_eq(rec.len[k], inlen[i]);
			ck_assert_mem_eq(rec.data[k], in[i], inlen[i]);

		} else {
			ck_assert_msg(!pkts[i].icmp, "frame %u: C sent ICMP, XDP did not hand it over", i);
		}
		if (pkts[i].verdict == FWD_DROP_NO_NEIGH && pkts[i].resolve_ip != 0 && rec.nresolve > 0) {
			ck_assert_uint_eq(rec.rport[rec.nresolve - 1], pkts[i].out_port);
			ck_assert_uint_eq(rec.rip[rec.nresolve - 1], pkts[i].resolve_ip);
		}
	}
	/* the slow path's share: the C pipeline on the handed-over frames,
	 * counted aside and taken back out of t afterwards */
	snap(&after);
	snap(&slow_before);
	for (k = 0; k < rec.nframes; k++) {
		uint8_t buf[FWD_BUF_SIZE];
		struct fwd_pkt q = {0};

		memcpy(buf + FWD_HEADROOM, rec.data[k], rec.len[k]);
		q.buf = buf;
		q.data = buf + FWD_HEADROOM;
		q.len = rec.len[k];
		q.in_port = rec.port[k];
		fwd_process(t, &q, 1);
	}
	snap(&xc);
	for (i = 0; i < CHECK_PORTS; i++) {
		/* XDP + slow path == C alone */
		fwd_xdp_port_counters(xdp, (uint16_t)i, &c);
		add_counters(&c, &x0.port[i], -1);
		add_counters(&c, &xc.port[i], 1);
		add_counters(&c, &slow_before.port[i], -1);
		add_counters(&c, &before->port[i], 1);
		ck_assert_msg(memcmp(&c, &after.port[i], sizeof(c)) == 0,
			      "port %u counters differ (rx %llu/%llu tx %llu/%llu punt %llu/%llu)", i,
			      (unsigned long long)c.rx_pkts, (unsigned long long)after.port[i].rx_pkts,
			      (unsigned long long)c.tx_pkts, (unsigned long long)after.port[i].tx_pkts,
			      (unsigned long long)c.punt, (unsigned long long)after.port[i].punt);
	}
	for (i = 0; i < CHECK_VRFS; i++) {
		fwd_xdp_vrf_counters(xdp, i, &c);
		add_counters(&c, &x0.vrf[i], -1);
		add_counters(&c, &xc.vrf[i], 1);
		add_counters(&c, &slow_before.vrf[i], -1);
		add_counters(&c, &before->vrf[i], 1);
		ck_assert_msg(memcmp(&c, &after.vrf[i], sizeof(c)) == 0, "VRF %u counters differ", i);
	}
	memcpy(t->port_cnt, after.port, sizeof(after.port));
	memcpy(t->vrf_cnt, after.vrf, sizeof(after.vrf));
}

/* fwd_process(), and the same frames through XDP where it runs. */
static void process(struct fwd_pkt *pkts, unsigned n)
{
	static uint8_t in[FWD_BURST][FWD_BUF_SIZE];
	static uint16_t inlen[FWD_BURST];
	static struct cnt_snap before;
	unsigned i;
	bool diff = xdp != NULL;

	ck_assert_uint_le(n, FWD_BURST);
	for (i = 0; i < n; i++) {
		inlen[i] = pkts[i].len;
		memcpy(in[i], pkts[i].data, pkts[i].len);
		/* BPF_PROG_TEST_RUN takes whole Ethernet headers only (and no
		 * driver hands XDP less) */
		if (pkts[i].len < 14)
			diff = false;
	}
	if (diff)
		snap(&before);
	fwd_process(t, pkts, n);
	if (diff)
		xdp_check(pkts, n, in, inlen, &before);
}

static void run(int n)
{
	process(pk, (unsigned)n);
}

static void check_eth(const struct fwd_pkt *p, const uint8_t *dmac, uint16_t sport, uint16_t etype)
{
	uint8_t smac[6] = {0x02, 0, 0, 0, 0, (uint8_t)sport};

	ck_assert_mem_eq(p->data, dmac, 6);
	ck_assert_mem_eq(p->data + 6, smac, 6);
	ck_assert_uint_eq(rd16(p->data + 12), etype);
}

static void check_label(const uint8_t *l, uint32_t label, unsigned tc, bool s, unsigned ttl)
{
	uint32_t w = rd32(l);

	ck_assert_uint_eq(w >> 12, label);
	ck_assert_uint_eq((w >> 9) & 7, tc);
	ck_assert_uint_eq((w >> 8) & 1, s);
	ck_assert_uint_eq(w & 0xff, ttl);
}

static void check_ip(const uint8_t *ip, uint8_t ttl, const struct ipspec *s)
{
	ck_assert_uint_eq(ip[8], ttl);
	ck_assert_uint_eq(cksum(ip, 20), 0);
	ck_assert_uint_eq(rd32(ip + 16), s->dst);
	ck_assert_uint_eq(rd16(ip + 2), s->len);
}

/* ------------------------------------------------------------ ingress */

START_TEST(test_drop_names)
{
	ck_assert_str_eq(fwd_drop_name(FWD_OK), "ok");
	ck_assert_str_eq(fwd_drop_name(FWD_DROP_NO_ROUTE), "noRoute");
	ck_assert_str_eq(fwd_drop_name(FWD_DROP_TTL), "ttlExpired");
	ck_assert_str_eq(fwd_drop_name(FWD_DROP_STACK), "stackTooDeep");
	ck_assert_str_eq(fwd_drop_name(FWD_DROP_TX), "txFailed");
	ck_assert_ptr_nonnull(fwd_drop_name(FWD_DROP_MAX));
}
END_TEST

START_TEST(test_push2_isolation)
{
	struct ipspec s = ipdef(IP4(192, 168, 2, 7));
	struct fwd_pkt *p = frame(0, 1, NULL, NULL, 0, &s), *q = frame(1, 2, NULL, NULL, 0, &s);

	run(2);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->out_port, 0);
	ck_assert_uint_eq(p->icmp, 0);
	ck_assert_uint_eq(p->len, 14 + 8 + 60);
	ck_assert_ptr_eq(p->data, bufs[0] + FWD_HEADROOM - 8);
	check_eth(p, mac_p1, 0, ETH_P_MPLS_UC);
	/* TOS 0xb8 = DSCP 46 (EF): TC 5; uniform: TTL 63 */
	check_label(p->data + 14, 1000, 5, false, 63);
	check_label(p->data + 18, 2000, 5, true, 63);
	check_ip(p->data + 22, 63, &s);
	ck_assert_uint_eq(p->data[22 + 20 + 8], 28); /* payload untouched */
	/* VRF 2: the same destination, its own next hop */
	ck_assert_uint_eq(q->verdict, FWD_OK);
	check_label(q->data + 14, 1001, 5, false, 63);
	check_label(q->data + 18, 2001, 5, true, 63);
	ck_assert_uint_eq(t->port_cnt[1].rx_pkts, 1);
	ck_assert_uint_eq(t->port_cnt[1].rx_bytes, 74);
	ck_assert_uint_eq(t->port_cnt[0].tx_pkts, 2);
	ck_assert_uint_eq(t->port_cnt[0].tx_bytes, 2 * 82);
	ck_assert_uint_eq(t->vrf_cnt[1].rx_pkts, 1);
	ck_assert_uint_eq(t->vrf_cnt[1].tx_pkts, 1);
	ck_assert_uint_eq(t->vrf_cnt[2].tx_pkts, 1);
}
END_TEST

START_TEST(test_push_pipe)
{
	struct ipspec s = ipdef(IP4(192, 168, 2, 7));
	struct fwd_pkt *p;

	atomic_store(&t->ttl_pipe, true);
	s.ttl = 10;
	s.tos = 0;
	p = frame(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	check_label(p->data + 14, 1000, 0, false, 255);
	check_label(p->data + 18, 2000, 0, true, 255);
	check_ip(p->data + 22, 9, &s);
}
END_TEST

START_TEST(test_push_implicit_null)
{
	struct ipspec s = ipdef(IP4(192, 168, 3, 1));
	struct fwd_pkt *p = frame(0, 1, NULL, NULL, 0, &s);

	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->len, 14 + 4 + 60);
	check_eth(p, mac_p2, 0, ETH_P_MPLS_UC);
	check_label(p->data + 14, 3000, 5, true, 63);
	check_ip(p->data + 18, 63, &s);
}
END_TEST

START_TEST(test_local_ce)
{
	struct ipspec s = ipdef(IP4(192, 168, 4, 5));
	struct fwd_pkt *p;

	s.len = 46; /* a 60-byte frame: Ethernet padding is trimmed */
	p = frame(0, 1, NULL, NULL, 0, &s);
	p->len = 64;
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->out_port, 3);
	ck_assert_uint_eq(p->len, 14 + 46);
	ck_assert_ptr_eq(p->data, bufs[0] + FWD_HEADROOM);
	check_eth(p, mac_ce3, 3, 0x0800);
	check_ip(p->data + 14, 63, &s);
	ck_assert_uint_eq(t->vrf_cnt[1].tx_pkts, 1);
	ck_assert_uint_eq(t->port_cnt[3].tx_pkts, 1);
}
END_TEST

static uint8_t verdict_for(uint16_t port, uint32_t dst)
{
	struct ipspec s = ipdef(dst);
	struct fwd_pkt *p = frame(0, port, NULL, NULL, 0, &s);

	run(1);
	return p->verdict;
}

START_TEST(test_ingress_drops)
{
	ck_assert_uint_eq(verdict_for(1, IP4(8, 8, 8, 8)), FWD_DROP_NO_ROUTE);
	ck_assert_uint_eq(verdict_for(1, IP4(192, 168, 5, 1)), FWD_DROP_BLACKHOLE);
	ck_assert_uint_eq(verdict_for(1, IP4(192, 168, 6, 1)), FWD_DROP_NO_LSP);
	ck_assert_uint_eq(verdict_for(1, IP4(192, 168, 10, 1)), FWD_DROP_NO_ROUTE);
	ck_assert_uint_eq(verdict_for(1, IP4(192, 168, 9, 1)), FWD_DROP_PORT_DOWN);
	ck_assert_uint_eq(verdict_for(2, IP4(192, 168, 3, 1)), FWD_DROP_NO_ROUTE); /* VRF 1 only */
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_NO_ROUTE], 2);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_BLACKHOLE], 1);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_NO_LSP], 1);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_PORT_DOWN], 1);
	ck_assert_uint_eq(t->vrf_cnt[1].drop[FWD_DROP_NO_ROUTE], 2);
	ck_assert_uint_eq(t->vrf_cnt[2].drop[FWD_DROP_NO_ROUTE], 1);
	ck_assert_uint_eq(t->vrf_cnt[1].drop[FWD_DROP_BLACKHOLE], 1);
	ck_assert_uint_eq(t->vrf_cnt[1].rx_pkts, 5);
	ck_assert_uint_eq(t->vrf_cnt[1].tx_pkts, 0);
	ck_assert_uint_eq(t->port_cnt[0].tx_pkts, 0);
}
END_TEST

START_TEST(test_punt)
{
	struct ipspec s = ipdef(IP4(192, 168, 2, 1));
	struct fwd_pkt *p;

	ck_assert_uint_eq(verdict_for(1, IP4(10, 1, 1, 1)), FWD_PUNT);
	ck_assert_uint_eq(verdict_for(2, IP4(10, 1, 1, 1)), FWD_PUNT);
	ck_assert_uint_eq(verdict_for(1, IP4(255, 255, 255, 255)), FWD_PUNT);
	ck_assert_uint_eq(verdict_for(1, IP4(224, 0, 0, 5)), FWD_PUNT);
	ck_assert_uint_eq(verdict_for(1, IP4(192, 168, 11, 1)), FWD_PUNT);
	p = frame(0, 1, NULL, NULL, 0, &s);
	wr16(p->data + 12, 0x0806); /* ARP */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_PUNT);
	p = frame(0, 1, NULL, NULL, 0, &s);
	wr16(p->data + 12, 0x8100); /* VLAN */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_PUNT);
	ck_assert_uint_eq(t->port_cnt[1].punt, 6);
	ck_assert_uint_eq(t->vrf_cnt[1].punt, 6);
	ck_assert_uint_eq(t->vrf_cnt[2].punt, 1);
	/* a non-IPv4 frame on a core port too */
	p = frame(0, 0, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_PUNT);
	ck_assert_uint_eq(t->port_cnt[0].punt, 1);
}
END_TEST

START_TEST(test_malformed_ip)
{
	struct ipspec s = ipdef(IP4(192, 168, 2, 1));
	struct fwd_pkt *p;

	p = frame(0, 1, NULL, NULL, 0, &s);
	p->data[14] = 0x65; /* version 6 */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_MALFORMED);
	p = frame(0, 1, NULL, NULL, 0, &s);
	p->data[14] = 0x44; /* IHL 4 */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_MALFORMED);
	p = frame(0, 1, NULL, NULL, 0, &s);
	wr16(p->data + 16, 61); /* longer than received */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_MALFORMED);
	p = frame(0, 1, NULL, NULL, 0, &s);
	p->data[14] = 0x4f; /* header 60 > total 60 is fine, 60 > len not */
	wr16(p->data + 16, 40);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_MALFORMED);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_MALFORMED], 4);
}
END_TEST

/* ------------------------------------------------------------ ICMP */

static void check_icmp(const struct fwd_pkt *p, uint16_t in_port, uint32_t src, const struct ipspec *s,
		       uint8_t type, uint8_t code, uint16_t mtu)
{
	const uint8_t *ip = p->data + 14, *ic = ip + 20;
	uint16_t tot = rd16(ip + 2);
	uint8_t smac[6] = {0x02, 0, 0, 0, 0, (uint8_t)in_port};

	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->icmp, 1);
	ck_assert_uint_eq(p->out_port, in_port);
	ck_assert_mem_eq(p->data, mac_sender, 6);
	ck_assert_mem_eq(p->data + 6, smac, 6);
	ck_assert_uint_eq(rd16(p->data + 12), 0x0800);
	ck_assert_uint_eq(ip[0], 0x45);
	ck_assert_uint_eq(ip[8], 64);
	ck_assert_uint_eq(ip[9], 1);
	ck_assert_uint_eq(cksum(ip, 20), 0);
	ck_assert_uint_eq(rd32(ip + 12), src);
	ck_assert_uint_eq(rd32(ip + 16), s->src);
	ck_assert_uint_le(tot, FWD_ICMP_MAX);
	ck_assert_uint_eq(p->len, 14 + tot);
	ck_assert_uint_eq(tot, 28 + (s->len < FWD_ICMP_MAX - 28 ? s->len : FWD_ICMP_MAX - 28));
	ck_assert_uint_eq(ic[0], type);
	ck_assert_uint_eq(ic[1], code);
	ck_assert_uint_eq(rd16(ic + 6), mtu);
	ck_assert_uint_eq(cksum(ic, tot - 20u), 0);
	/* the quote is the packet as received */
	ck_assert_uint_eq(ic[8], 0x45);
	ck_assert_uint_eq(ic[8 + 8], s->ttl);
	ck_assert_uint_eq(rd32(ic + 8 + 16), s->dst);
	ck_assert_uint_eq(cksum(ic + 8, 20), 0);
}

START_TEST(test_ttl_icmp)
{
	struct ipspec s = ipdef(IP4(192, 168, 2, 7));
	struct fwd_pkt *p;

	s.ttl = 1;
	p = frame(0, 1, NULL, NULL, 0, &s);
	run(1);
	check_icmp(p, 1, IP4(10, 1, 1, 1), &s, 11, 0, 0);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_TTL], 1);
	ck_assert_uint_eq(t->vrf_cnt[1].drop[FWD_DROP_TTL], 1);
	ck_assert_uint_eq(t->port_cnt[1].icmp_sent, 1);
	ck_assert_uint_eq(t->port_cnt[1].tx_pkts, 1);
	ck_assert_uint_eq(t->port_cnt[0].tx_pkts, 0);

	/* no error about an ICMP error */
	s.proto = 1;
	p = frame(0, 1, NULL, NULL, 0, &s);
	p->data[14 + 20] = 11;
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	ck_assert_uint_eq(p->icmp, 0);
	/* an echo request is fine */
	p = frame(0, 1, NULL, NULL, 0, &s);
	p->data[14 + 20] = 8;
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->icmp, 1);
	/* nor to a multicast source, nor about a non-first fragment */
	s.proto = 17;
	s.src = IP4(224, 1, 1, 1);
	p = frame(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	s.src = IP4(10, 1, 1, 2);
	p = frame(0, 1, NULL, NULL, 0, &s);
	wr16(p->data + 14 + 6, 0x0010);
	wr16(p->data + 14 + 10, 0);
	wr16(p->data + 14 + 10, cksum(p->data + 14, 20));
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	/* switched off */
	atomic_store(&t->icmp_errors, false);
	p = frame(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_TTL], 6);
	ck_assert_uint_eq(t->port_cnt[1].icmp_sent, 2);
	/* TTL 0 too */
	atomic_store(&t->icmp_errors, true);
	s.ttl = 0;
	p = frame(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->icmp, 1);
}
END_TEST

START_TEST(test_mtu)
{
	struct ipspec s = ipdef(IP4(192, 168, 2, 7));
	struct fwd_pkt *p;

	s.len = 1500;
	s.df = true;
	p = frame(0, 1, NULL, NULL, 0, &s);
	run(1);
	check_icmp(p, 1, IP4(10, 1, 1, 1), &s, 3, 4, 1492);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_MTU], 1);
	ck_assert_uint_eq(t->vrf_cnt[1].drop[FWD_DROP_MTU], 1);
	ck_assert_uint_eq(t->port_cnt[1].icmp_sent, 1);
	ck_assert_uint_eq(p->len, 14 + FWD_ICMP_MAX);

	s.df = false;
	p = frame(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_MTU);
	ck_assert_uint_eq(p->icmp, 0);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_MTU], 2);
	ck_assert_uint_eq(t->port_cnt[1].icmp_sent, 1);

	/* 1492 + 8 fits */
	s.len = 1492;
	s.df = true;
	p = frame(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->len, 14 + 1500);
	/* 1500 to the local CE (no labels) fits */
	s.len = 1500;
	s.dst = IP4(192, 168, 4, 5);
	p = frame(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
}
END_TEST

/* ------------------------------------------------------------ core */

START_TEST(test_swap)
{
	struct ipspec s = ipdef(IP4(192, 168, 4, 5));
	uint32_t l[2] = {16000, 500};
	uint8_t ttl[2] = {20, 255};
	struct fwd_pkt *p = frame(0, 0, l, ttl, 2, &s);

	p->data[14 + 2] |= 3 << 1; /* TC 3 on the top label */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->out_port, 0);
	ck_assert_uint_eq(p->len, 14 + 8 + 60);
	ck_assert_ptr_eq(p->data, bufs[0] + FWD_HEADROOM);
	check_eth(p, mac_p2, 0, ETH_P_MPLS_UC);
	check_label(p->data + 14, 17000, 3, false, 19);
	check_label(p->data + 18, 500, 0, true, 255);
	check_ip(p->data + 22, 64, &s);
	ck_assert_uint_eq(t->vrf_cnt[0].rx_pkts, 1);
	ck_assert_uint_eq(t->vrf_cnt[0].tx_pkts, 1);
	ck_assert_uint_eq(t->port_cnt[0].tx_pkts, 1);
	/* pipe: a swap still decrements */
	atomic_store(&t->ttl_pipe, true);
	p = frame(0, 0, l, ttl, 2, &s);
	run(1);
	check_label(p->data + 14, 17000, 0, false, 19);
}
END_TEST

START_TEST(test_php_label)
{
	struct ipspec s = ipdef(IP4(192, 168, 4, 5));
	uint32_t l[2] = {16001, 500};
	uint8_t ttl[2] = {20, 255};
	struct fwd_pkt *p = frame(0, 0, l, ttl, 2, &s);

	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->len, 14 + 4 + 60);
	ck_assert_ptr_eq(p->data, bufs[0] + FWD_HEADROOM + 4);
	check_eth(p, mac_p2, 0, ETH_P_MPLS_UC);
	check_label(p->data + 14, 500, 0, true, 19); /* uniform: min(255, 19) */
	/* a lower inner TTL stays */
	ttl[1] = 7;
	p = frame(0, 0, l, ttl, 2, &s);
	run(1);
	check_label(p->data + 14, 500, 0, true, 7);
	/* pipe leaves it */
	atomic_store(&t->ttl_pipe, true);
	ttl[1] = 255;
	p = frame(0, 0, l, ttl, 2, &s);
	run(1);
	check_label(p->data + 14, 500, 0, true, 255);
}
END_TEST

START_TEST(test_pop_ip)
{
	struct ipspec s = ipdef(IP4(192, 168, 4, 5));
	uint32_t l[1] = {16001};
	uint8_t ttl[1] = {20};
	struct fwd_pkt *p = frame(0, 0, l, ttl, 1, &s);

	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->len, 14 + 60);
	check_eth(p, mac_p2, 0, 0x0800);
	check_ip(p->data + 14, 19, &s); /* uniform: min(64, 20 - 1) */
	ttl[0] = 200;
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	check_ip(p->data + 14, 64, &s);
	atomic_store(&t->ttl_pipe, true);
	ttl[0] = 20;
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	check_ip(p->data + 14, 64, &s);
	/* neither IPv4 nor IPv6 under the last label */
	p = frame(0, 0, l, ttl, 1, &s);
	p->data[18] = 0x50; /* neither 4 nor 6 */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NOT_IP);
	/* IP TTL 0 under it */
	atomic_store(&t->ttl_pipe, false);
	s.ttl = 0;
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	ck_assert_uint_eq(p->icmp, 0);
}
END_TEST

/* A VRF's local port (pe/localport.c): a packet popped from the core for one
 * of the VRF's own addresses goes out there to the VRF's kernel (Ethernet
 * header toward the kernel end's MAC), IPv4 and IPv6; without a local port
 * it is punted as before; from a customer port it is always punted (the
 * VRF's kernel has it already). */
START_TEST(test_local_port)
{
	static const uint8_t mac_kern[6] = {0x02, 0x70, 0x65, 0x6c, 0x00, 0x01};
	struct fwd_neigh n6[] = {{IP4(169, 254, 0, 2), {0}}};
	struct ipspec s = ipdef(IP4(10, 1, 1, 1));
	struct ip6spec s6 = ip6def("2001:db8:1:1::1");
	struct fwd_vrf *v = atomic_load(&t->vrf[1]);
	uint32_t l[1] = {500};
	uint8_t ttl[1] = {30};
	struct fwd_pkt *p;

	memcpy(n6[0].mac, mac_kern, 6);
	add_port(6, 1, 0, true);
	atomic_store(&t->neigh[6], fwd_neigh_build(n6, 1));
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_PUNT);

	v->has_local = true;
	v->local_adj.port = 6;
	v->local_adj.gw_af = AF_INET;
	v->local_adj.gw = IP4(169, 254, 0, 2);
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->out_port, 6);
	ck_assert_uint_eq(p->len, 14 + 60);
	check_eth(p, mac_kern, 6, 0x0800);
	check_ip(p->data + 14, 29, &s);
	ck_assert_uint_eq(t->port_cnt[6].tx_pkts, 1);
	ck_assert_uint_eq(t->vrf_cnt[1].tx_pkts, 1);
	p = frame6(0, 0, l, ttl, 1, &s6);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->out_port, 6);
	check_eth(p, mac_kern, 6, 0x86dd);
	ck_assert_uint_eq(p->data[14 + 7], 29);
	/* from the VRF's own customer port: the kernel's copy, as before */
	ck_assert_uint_eq(verdict_for(1, IP4(10, 1, 1, 1)), FWD_PUNT);
	p = frame6(0, 1, NULL, NULL, 0, &s6);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_PUNT);
	ck_assert_uint_eq(t->port_cnt[6].tx_pkts, 2);
	/* the local port down: the packet is not handed to the core's kernel */
	free(atomic_load(&t->port[6]));
	add_port(6, 1, 0, false);
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_PORT_DOWN);
}
END_TEST

START_TEST(test_egress_lookup)
{
	struct ipspec s = ipdef(IP4(192, 168, 4, 5));
	uint32_t l[1] = {500};
	uint8_t ttl[1] = {30};
	struct fwd_pkt *p = frame(0, 0, l, ttl, 1, &s);

	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->out_port, 3);
	ck_assert_uint_eq(p->len, 14 + 60);
	check_eth(p, mac_ce3, 3, 0x0800);
	check_ip(p->data + 14, 29, &s); /* min(64, label 30), then the egress IP hop */
	ck_assert_uint_eq(t->vrf_cnt[1].tx_pkts, 1);
	ck_assert_uint_eq(t->vrf_cnt[1].tx_bytes, 74);
	ck_assert_uint_eq(t->port_cnt[3].tx_pkts, 1);
	ck_assert_uint_eq(t->vrf_cnt[0].rx_pkts, 1);
	/* pipe: the IP TTL only loses the IP hop */
	atomic_store(&t->ttl_pipe, true);
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	check_ip(p->data + 14, 63, &s);
	atomic_store(&t->ttl_pipe, false);
	/* back into the core from the VRF (a route via another PE) */
	s.dst = IP4(192, 168, 2, 9);
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	check_label(p->data + 14, 1000, 5, false, 29);
	check_label(p->data + 18, 2000, 5, true, 29);
	/* drops in the VRF count there */
	s.dst = IP4(8, 8, 8, 8);
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NO_ROUTE);
	ck_assert_uint_eq(t->vrf_cnt[1].drop[FWD_DROP_NO_ROUTE], 1);
	ck_assert_uint_eq(t->port_cnt[0].drop[FWD_DROP_NO_ROUTE], 1);
	ck_assert_uint_eq(t->vrf_cnt[0].drop[FWD_DROP_NO_ROUTE], 0);
	/* label TTL 2: the egress PE is one hop, the CE gets TTL 1 */
	s.dst = IP4(192, 168, 4, 5);
	ttl[0] = 2;
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	check_ip(p->data + 14, 1, &s);
	/* an IP TTL of 1 under a larger label TTL (pipe-mode ingress): expires here */
	s.ttl = 1;
	atomic_store(&t->ttl_pipe, true);
	ttl[0] = 30;
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	ck_assert_uint_eq(t->vrf_cnt[1].drop[FWD_DROP_TTL], 1);
	atomic_store(&t->ttl_pipe, false);
	s.ttl = 64;
	/* own address of the VRF: punt, no crash */
	s.dst = IP4(10, 1, 1, 1);
	ttl[0] = 30;
	p = frame(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_PUNT);
	/* not at the bottom of the stack */
	{
		uint32_t l2[2] = {500, 600};
		uint8_t t2[2] = {30, 30};

		p = frame(0, 0, l2, t2, 2, &s);
		run(1);
		ck_assert_uint_eq(p->verdict, FWD_DROP_BAD_LABEL);
	}
	/* not IPv4 */
	p = frame(0, 0, l, ttl, 1, &s);
	p->data[18] = 0x50; /* neither 4 nor 6 */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NOT_IP);
}
END_TEST

START_TEST(test_per_ce_label)
{
	struct ipspec s = ipdef(IP4(192, 168, 4, 5));
	uint32_t l[1] = {501};
	uint8_t ttl[1] = {30};
	struct fwd_pkt *p = frame(0, 0, l, ttl, 1, &s);

	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->out_port, 3);
	check_eth(p, mac_ce3, 3, 0x0800);
	check_ip(p->data + 14, 29, &s);
	ck_assert_uint_eq(t->vrf_cnt[1].tx_pkts, 1);
}
END_TEST

static uint8_t core_verdict(uint32_t label, uint8_t lttl)
{
	struct ipspec s = ipdef(IP4(192, 168, 4, 5));
	uint32_t l[1] = {label};
	uint8_t ttl[1] = {lttl};
	struct fwd_pkt *p = frame(0, 0, l, ttl, 1, &s);

	run(1);
	return p->verdict;
}

START_TEST(test_core_drops)
{
	ck_assert_uint_eq(core_verdict(16000, 1), FWD_DROP_TTL);
	ck_assert_uint_eq(core_verdict(16000, 0), FWD_DROP_TTL);
	ck_assert_uint_eq(core_verdict(99999, 64), FWD_DROP_BAD_LABEL);
	ck_assert_uint_eq(core_verdict(3, 64), FWD_DROP_BAD_LABEL);
	ck_assert_uint_eq(core_verdict(1, 64), FWD_DROP_BAD_LABEL);
	ck_assert_uint_eq(core_verdict(0, 64), FWD_DROP_BAD_LABEL); /* explicit null, BOS */
	ck_assert_uint_eq(core_verdict(503, 64), FWD_DROP_BLACKHOLE);
	ck_assert_uint_eq(core_verdict(502, 64), FWD_DROP_NO_NEIGH);
	ck_assert_uint_eq(pk[0].resolve_ip, 0);
	ck_assert_uint_eq(t->port_cnt[0].drop[FWD_DROP_TTL], 2);
	ck_assert_uint_eq(t->port_cnt[0].drop[FWD_DROP_BAD_LABEL], 4);
	ck_assert_uint_eq(t->vrf_cnt[0].drop[FWD_DROP_BAD_LABEL], 4);
	ck_assert_uint_eq(t->port_cnt[0].icmp_sent, 0);
}
END_TEST

START_TEST(test_explicit_null)
{
	struct ipspec s = ipdef(IP4(192, 168, 4, 5));
	uint32_t l[9] = {0, 16000, 0, 0, 0, 0, 0, 0, 0};
	uint8_t ttl[9] = {40, 50, 1, 1, 1, 1, 1, 1, 1};
	uint32_t l9[9];
	uint8_t t9[9];
	int i;
	struct fwd_pkt *p = frame(0, 0, l, ttl, 2, &s);

	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->len, 14 + 4 + 60);
	check_label(p->data + 14, 17000, 0, true, 39);
	/* eight explicit nulls and more */
	p = frame(0, 0, l + 2, ttl + 2, 7, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_BAD_LABEL); /* null at the bottom */
	for (i = 0; i < 9; i++) {
		l9[i] = i < 8 ? 0 : 16000;
		t9[i] = 64;
	}
	p = frame(0, 0, l9, t9, 8, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_BAD_LABEL);
	p = frame(0, 0, l9 + 1, t9, 8, &s); /* 7 nulls, then a label */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	p = frame(0, 0, l9, t9, 9, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_STACK);
}
END_TEST

START_TEST(test_no_neighbor)
{
	struct ipspec s = ipdef(IP4(192, 168, 8, 1));
	struct fwd_pkt *p = frame(0, 1, NULL, NULL, 0, &s);

	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NO_NEIGH);
	ck_assert_uint_eq(p->out_port, 0);
	ck_assert_uint_eq(p->resolve_ip, IP4(10, 0, 0, 9));
	/* a directly connected destination resolves the destination */
	free(atomic_exchange(&t->neigh[3], NULL));
	s.dst = IP4(192, 168, 4, 77);
	p = frame(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NO_NEIGH);
	ck_assert_uint_eq(p->out_port, 3);
	ck_assert_uint_eq(p->resolve_ip, IP4(192, 168, 4, 77));
	ck_assert_uint_eq(t->vrf_cnt[1].drop[FWD_DROP_NO_NEIGH], 2);
}
END_TEST

START_TEST(test_port_down)
{
	struct ipspec s = ipdef(IP4(192, 168, 2, 7));
	struct fwd_pkt *p = frame(0, 5, NULL, NULL, 0, &s);

	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_PORT_DOWN);
	ck_assert_uint_eq(t->port_cnt[5].drop[FWD_DROP_PORT_DOWN], 1);
	ck_assert_uint_eq(t->vrf_cnt[1].drop[FWD_DROP_PORT_DOWN], 1);
	p = frame(0, 9, NULL, NULL, 0, &s); /* no such port */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_PORT_DOWN);
	ck_assert_uint_eq(t->port_cnt[9].rx_pkts, 1);
	p = frame(0, FWD_MAX_PORTS + 3, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_PORT_DOWN);
}
END_TEST

START_TEST(test_ecmp)
{
	struct ipspec s = ipdef(IP4(192, 168, 7, 1));
	int seen[2] = {0, 0}, i, j, first;

	for (i = 0; i < 64; i++) {
		s.sport = (uint16_t)(1000 + i);
		first = -1;
		for (j = 0; j < 3; j++) {
			struct fwd_pkt *p = frame(0, 1, NULL, NULL, 0, &s);
			int m;

			run(1);
			ck_assert_uint_eq(p->verdict, FWD_OK);
			m = rd32(p->data + 14) >> 12 == 100 ? 0 : 1;
			ck_assert_uint_eq(rd32(p->data + 14) >> 12, m ? 101u : 100u);
			ck_assert_uint_eq(rd32(p->data + 18) >> 12, m ? 201u : 200u);
			ck_assert_mem_eq(p->data, m ? mac_p2 : mac_p1, 6);
			if (first < 0)
				first = m;
			ck_assert_int_eq(m, first); /* one flow, one path */
		}
		seen[first]++;
	}
	ck_assert_int_gt(seen[0], 8);
	ck_assert_int_gt(seen[1], 8);
}
END_TEST

/* PIC edge: while PE slot 7 is up the primaries' labels and MAC, once it
 * is down (one store) the backups', for both families; another slot going
 * down changes nothing; back up, the primaries again. XDP runs the same
 * frames (xdp_check syncs pe_down into xf_pedown). */
START_TEST(test_pic_backup)
{
	struct ipspec s = ipdef(IP4(192, 168, 19, 1));
	struct ip6spec s6 = ip6def("2001:db8:19::1");
	int step;

	for (step = 0; step < 4; step++) {
		bool down = step == 1;
		struct fwd_pkt *p;

		atomic_store(&t->pe_down[7], down);
		atomic_store(&t->pe_down[8], step == 2);
		p = frame(0, 1, NULL, NULL, 0, &s);
		run(1);
		ck_assert_uint_eq(p->verdict, FWD_OK);
		ck_assert_uint_eq(rd32(p->data + 14) >> 12, down ? 121u : 120u);
		ck_assert_uint_eq(rd32(p->data + 18) >> 12, down ? 320u : 220u);
		ck_assert_mem_eq(p->data, down ? mac_p2 : mac_p1, 6);
		p = frame6(0, 1, NULL, NULL, 0, &s6);
		run(1);
		ck_assert_uint_eq(p->verdict, FWD_OK);
		ck_assert_uint_eq(rd32(p->data + 14) >> 12, down ? 121u : 120u);
		ck_assert_uint_eq(rd32(p->data + 18) >> 12, down ? 321u : 221u);
	}
	atomic_store(&t->pe_down[7], false);
	atomic_store(&t->pe_down[8], false);
}
END_TEST

/* Every prefix of a valid frame: no read past len (ASan), no OK. */
static void truncate_all(uint16_t in_port, const uint32_t *l, const uint8_t *ttl, int nl,
			 uint32_t dst, uint16_t min_ok)
{
	struct ipspec s = ipdef(dst);
	struct fwd_pkt *p = frame(0, in_port, l, ttl, nl, &s);
	uint8_t tmpl[256];
	uint16_t full = p->len, len;

	ck_assert_uint_le(full, sizeof(tmpl));
	memcpy(tmpl, p->data, full);
	for (len = 0; len <= full; len++) {
		uint8_t *b = xmalloc(FWD_HEADROOM + (size_t)len + 1);
		struct fwd_pkt q = {0};

		/* the buffer ends right after the frame */
		b += 1;
		memcpy(b + FWD_HEADROOM, tmpl, len);
		q.buf = b;
		q.data = b + FWD_HEADROOM;
		q.len = len;
		q.in_port = in_port;
		process(&q, 1);
		if (len < full && len < min_ok)
			ck_assert_msg(q.verdict != FWD_OK, "len %u: ok", len);
		else if (len == full)
			ck_assert_uint_eq(q.verdict, FWD_OK);
		ck_assert_msg(q.verdict == FWD_OK || q.verdict == FWD_DROP_MALFORMED ||
				      q.verdict == FWD_DROP_NOT_IP || q.verdict == FWD_PUNT,
			      "len %u: verdict %u", len, q.verdict);
		free(b - 1);
	}
}

START_TEST(test_truncated)
{
	uint32_t l[3] = {16000, 500, 0};
	uint8_t ttl[3] = {64, 64, 0};
	uint32_t l1[1] = {500}, l2[2] = {0, 16001};

	truncate_all(1, NULL, NULL, 0, IP4(192, 168, 2, 7), 0xffff);
	truncate_all(1, NULL, NULL, 0, IP4(192, 168, 4, 5), 0xffff);
	/* a swap does not look under the stack: any length with both labels */
	truncate_all(0, l, ttl, 2, IP4(192, 168, 4, 5), 14 + 8);
	truncate_all(0, l1, ttl, 1, IP4(192, 168, 4, 5), 0xffff);
	truncate_all(0, l1, ttl, 1, IP4(192, 168, 2, 7), 0xffff);
	truncate_all(0, l2, ttl, 2, IP4(192, 168, 4, 5), 0xffff);
	ck_assert_uint_gt(t->port_cnt[1].drop[FWD_DROP_MALFORMED], 60);
}
END_TEST

START_TEST(test_burst_mixed)
{
	struct ipspec a = ipdef(IP4(192, 168, 2, 7)), b = ipdef(IP4(8, 8, 8, 8));
	uint32_t l[1] = {500};
	uint8_t ttl[1] = {30};

	frame(0, 1, NULL, NULL, 0, &a);
	frame(1, 1, NULL, NULL, 0, &b);
	a.dst = IP4(192, 168, 4, 5);
	frame(2, 0, l, ttl, 1, &a);
	frame(3, 2, NULL, NULL, 0, &b);
	run(4);
	ck_assert_uint_eq(pk[0].verdict, FWD_OK);
	ck_assert_uint_eq(pk[1].verdict, FWD_DROP_NO_ROUTE);
	ck_assert_uint_eq(pk[2].verdict, FWD_OK);
	ck_assert_uint_eq(pk[2].out_port, 3);
	ck_assert_uint_eq(pk[3].verdict, FWD_DROP_NO_ROUTE);
	ck_assert_uint_eq(t->port_cnt[1].rx_pkts, 2);
	ck_assert_uint_eq(t->vrf_cnt[1].tx_pkts, 2);
	ck_assert_uint_eq(t->vrf_cnt[1].drop[FWD_DROP_NO_ROUTE], 1);
	ck_assert_uint_eq(t->vrf_cnt[2].drop[FWD_DROP_NO_ROUTE], 1);
}
END_TEST

/* ------------------------------------------------------------ IPv6 */

/* The IPv6 packet at ip is s as sent, but for its hop limit. */
static void check_ip6(const uint8_t *ip, uint8_t hl, const struct ip6spec *s)
{
	uint8_t want[2048];

	put_ip6(want, s);
	want[7] = hl;
	ck_assert_mem_eq(ip, want, s->len);
}

START_TEST(test6_push_6vpe)
{
	struct ip6spec s = ip6def("2001:db8:2::7");
	struct fwd_pkt *p = frame6(0, 1, NULL, NULL, 0, &s), *q = frame6(1, 2, NULL, NULL, 0, &s);

	run(2);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->out_port, 0);
	ck_assert_uint_eq(p->icmp, 0);
	ck_assert_uint_eq(p->len, 14 + 8 + 80);
	ck_assert_ptr_eq(p->data, bufs[0] + FWD_HEADROOM - 8);
	check_eth(p, mac_p1, 0, ETH_P_MPLS_UC);
	/* traffic class 0xb8 (EF): TC 5; uniform: the hop limit less one */
	check_label(p->data + 14, 1100, 5, false, 63);
	check_label(p->data + 18, 2100, 5, true, 63);
	check_ip6(p->data + 22, 63, &s);
	/* VRF 2: the same destination, its own labels */
	ck_assert_uint_eq(q->verdict, FWD_OK);
	check_label(q->data + 14, 1101, 5, false, 63);
	check_label(q->data + 18, 2101, 5, true, 63);
	check_ip6(q->data + 22, 63, &s);
	/* counted as IPv6, not as IPv4 */
	ck_assert_uint_eq(t->port_cnt[0].tx_pkts, 2);
	ck_assert_uint_eq(t->port_cnt[0].af[FWD_AF_IPV6 - 1].tx_pkts, 2);
	ck_assert_uint_eq(t->port_cnt[0].af[FWD_AF_IPV6 - 1].tx_bytes, 2 * (14 + 8 + 80));
	ck_assert_uint_eq(t->port_cnt[0].af[FWD_AF_IPV4 - 1].tx_pkts, 0);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV6 - 1].tx_pkts, 1);
	ck_assert_uint_eq(t->vrf_cnt[2].af[FWD_AF_IPV6 - 1].tx_pkts, 1);
	ck_assert_uint_eq(t->vrf_cnt[1].rx_pkts, 1);
}
END_TEST

START_TEST(test6_push_implicit_null)
{
	struct ip6spec s = ip6def("2001:db8:3::1");
	struct fwd_pkt *p = frame6(0, 1, NULL, NULL, 0, &s);

	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->len, 14 + 4 + 80);
	check_eth(p, mac_p2, 0, ETH_P_MPLS_UC);
	check_label(p->data + 14, 3100, 5, true, 63);
	check_ip6(p->data + 18, 63, &s);
}
END_TEST

START_TEST(test6_ttl_modes)
{
	struct ip6spec s = ip6def("2001:db8:2::7");
	uint32_t l[1] = {500};
	uint8_t ttl[1] = {30};
	struct fwd_pkt *p;

	/* pipe at ingress: labels 255, the hop limit loses one */
	atomic_store(&t->ttl_pipe, true);
	s.hl = 10;
	s.tc = 0;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	check_label(p->data + 14, 1100, 0, false, 255);
	check_label(p->data + 18, 2100, 0, true, 255);
	check_ip6(p->data + 22, 9, &s);
	/* pipe at egress: the label's TTL does not reach the hop limit */
	s = ip6def("2001:db8:4::9");
	p = frame6(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	check_ip6(p->data + 14, 63, &s);
	/* uniform at egress: min(hop limit, label TTL), then the egress hop */
	atomic_store(&t->ttl_pipe, false);
	p = frame6(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	check_ip6(p->data + 14, 29, &s);
	/* a larger label TTL leaves the hop limit */
	ttl[0] = 200;
	p = frame6(0, 0, l, ttl, 1, &s);
	run(1);
	check_ip6(p->data + 14, 63, &s);
	/* label TTL 2: the CE gets hop limit 1; an IPv6 hop limit of 1 under
	 * a larger label TTL (pipe-mode ingress) expires here, without ICMP */
	ttl[0] = 2;
	p = frame6(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	check_ip6(p->data + 14, 1, &s);
	s.hl = 1;
	ttl[0] = 30;
	atomic_store(&t->ttl_pipe, true);
	p = frame6(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	ck_assert_uint_eq(p->icmp, 0);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV6 - 1].drop[FWD_DROP_TTL], 1);
}
END_TEST

START_TEST(test6_local_ce)
{
	struct ip6spec s = ip6def("2001:db8:4::77");
	struct fwd_pkt *p;

	s.len = 46; /* a 60-byte frame: the Ethernet padding is trimmed */
	p = frame6(0, 1, NULL, NULL, 0, &s);
	p->len = 64;
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->out_port, 3);
	ck_assert_uint_eq(p->len, 14 + 46);
	ck_assert_ptr_eq(p->data, bufs[0] + FWD_HEADROOM);
	check_eth(p, mac_ce3, 3, 0x86dd);
	check_ip6(p->data + 14, 63, &s);
	ck_assert_uint_eq(t->vrf_cnt[1].tx_pkts, 1);
	ck_assert_uint_eq(t->port_cnt[3].af[FWD_AF_IPV6 - 1].tx_pkts, 1);
	/* IPv4 over the CE's IPv6 address (RFC 5549): the ND entry's MAC */
	{
		struct ipspec s4 = ipdef(IP4(192, 168, 12, 1));

		p = frame(0, 1, NULL, NULL, 0, &s4);
		run(1);
		ck_assert_uint_eq(p->verdict, FWD_OK);
		ck_assert_uint_eq(p->out_port, 3);
		check_eth(p, mac_ce3, 3, 0x0800);
		check_ip(p->data + 14, 63, &s4);
	}
}
END_TEST

START_TEST(test6_nd_miss)
{
	struct ip6spec s = ip6def("2001:db8:44::7");
	struct fwd_pkt *p = frame6(0, 1, NULL, NULL, 0, &s);
	struct fwd_worker *w;
	struct ipaddr a, b;
	uint16_t port;

	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NO_NEIGH);
	ck_assert_uint_eq(p->out_port, 3);
	ck_assert_uint_eq(p->resolve_af, AF_INET6);
	ck_assert_mem_eq(p->resolve_ip6, s.dst, 16);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_NO_NEIGH], 1);
	ck_assert_uint_eq(t->vrf_cnt[1].drop[FWD_DROP_NO_NEIGH], 1);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV6 - 1].drop[FWD_DROP_NO_NEIGH], 1);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV4 - 1].drop[FWD_DROP_NO_NEIGH], 0);
	/* the CE's ND entry gone: the route's gateway is what is resolved */
	free(atomic_exchange(&t->neigh6[3], NULL));
	s = ip6def("2001:db8:4::77");
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NO_NEIGH);
	a6(a.v6, "2001:db8:4::5");
	ck_assert_mem_eq(p->resolve_ip6, a.v6, 16);
	/* 6VPE toward a core neighbor without ARP entry: IPv4 is resolved */
	s = ip6def("2001:db8:8::1");
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NO_NEIGH);
	ck_assert_uint_eq(p->resolve_af, 0);
	ck_assert_uint_eq(p->resolve_ip, IP4(10, 0, 0, 9));
	/* the worker's request queue carries IPv6 addresses, once per hold time */
	w = fwd_worker_new(t);
	a = ipaddr_v6(s.dst);
	fwd_worker_resolve(w, 3, &a);
	fwd_worker_resolve(w, 3, &a);
	ck_assert_int_eq(fwd_worker_pop_resolve(w, &port, &b), 1);
	ck_assert_uint_eq(port, 3);
	ck_assert(ipaddr_equal(&a, &b));
	ck_assert_int_eq(fwd_worker_pop_resolve(w, &port, &b), 0);
	fwd_worker_free(w);
}
END_TEST

START_TEST(test6_egress_pop)
{
	struct ip6spec s = ip6def("2001:db8:4::9");
	uint32_t l[1] = {500};
	uint8_t ttl[1] = {64};
	struct fwd_pkt *p;

	/* per-VRF label: the VRF's IPv6 FIB */
	p = frame6(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->out_port, 3);
	ck_assert_uint_eq(p->len, 14 + 80);
	check_eth(p, mac_ce3, 3, 0x86dd);
	check_ip6(p->data + 14, 63, &s);
	ck_assert_uint_eq(t->vrf_cnt[1].tx_pkts, 1);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV6 - 1].tx_pkts, 1);
	ck_assert_uint_eq(t->vrf_cnt[0].rx_pkts, 1);
	/* per-CE label: straight to the CE */
	l[0] = 601;
	p = frame6(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->out_port, 3);
	check_eth(p, mac_ce3, 3, 0x86dd);
	check_ip6(p->data + 14, 63, &s); /* uniform: min(64, 64 - 1) */
	/* PHP of the last label to IPv6 */
	l[0] = 16001;
	ttl[0] = 20;
	p = frame6(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	check_eth(p, mac_p2, 0, 0x86dd);
	check_ip6(p->data + 14, 19, &s);
	/* IPv6 explicit null over the VPN label */
	{
		uint32_t l2[2] = {2, 500};
		uint8_t t2[2] = {30, 40};

		p = frame6(0, 0, l2, t2, 2, &s);
		run(1);
		ck_assert_uint_eq(p->verdict, FWD_OK);
		ck_assert_uint_eq(p->out_port, 3);
		check_ip6(p->data + 14, 29, &s);
		/* alone at the bottom: we are no IPv6 endpoint of the core */
		p = frame6(0, 0, l2, t2, 1, &s);
		run(1);
		ck_assert_uint_eq(p->verdict, FWD_DROP_BAD_LABEL);
	}
	/* back into the core from the VRF (a 6VPE route via another PE) */
	l[0] = 500;
	ttl[0] = 30;
	s = ip6def("2001:db8:2::9");
	p = frame6(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	check_label(p->data + 14, 1100, 5, false, 29);
	check_label(p->data + 18, 2100, 5, true, 29);
	check_ip6(p->data + 22, 29, &s);
	/* drops in the VRF count there, as IPv6 */
	s = ip6def("2001:db8:99::1");
	p = frame6(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NO_ROUTE);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV6 - 1].drop[FWD_DROP_NO_ROUTE], 1);
	ck_assert_uint_eq(t->port_cnt[0].af[FWD_AF_IPV6 - 1].drop[FWD_DROP_NO_ROUTE], 1);
	/* the VRF's own address and link-local ones: the kernel's */
	s = ip6def("2001:db8:1:1::1");
	p = frame6(0, 0, l, ttl, 1, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_PUNT);
	/* truncated under the label */
	s = ip6def("2001:db8:4::9");
	p = frame6(0, 0, l, ttl, 1, &s);
	p->len -= 1;
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_MALFORMED);
}
END_TEST

START_TEST(test6_punt)
{
	static const char *const kernel[] = {
		"ff02::1", "ff02::1:ff00:1", "ff02::2", "fe80::1", "2001:db8:1:1::1",
		"2001:db8:11::1",
	};
	struct ip6spec s;
	struct fwd_pkt *p;
	size_t i;

	for (i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		s = ip6def(kernel[i]);
		s.nh = 58; /* ND, RS/RA, echo to us... */
		p = frame6(0, 1, NULL, NULL, 0, &s);
		run(1);
		ck_assert_msg(p->verdict == FWD_PUNT, "%s: verdict %u", kernel[i], p->verdict);
	}
	ck_assert_uint_eq(t->port_cnt[1].punt, i);
	ck_assert_uint_eq(t->port_cnt[1].af[FWD_AF_IPV6 - 1].punt, i);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV6 - 1].punt, i);
	/* not routed from link-local, unspecified or multicast sources */
	s = ip6def("2001:db8:2::7");
	a6(s.src, "fe80::2");
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NO_ROUTE);
	a6(s.src, "::");
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NO_ROUTE);
	a6(s.src, "ff05::1");
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_NO_ROUTE);
	/* other drops, as for IPv4 */
	s = ip6def("2001:db8:5::1");
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_BLACKHOLE);
	s = ip6def("2001:db8:2::7");
	p = frame6(0, 1, NULL, NULL, 0, &s);
	p->data[14] = 0x45; /* version 4 in an IPv6 frame */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_MALFORMED);
	p = frame6(0, 1, NULL, NULL, 0, &s);
	wr16(p->data + 14 + 4, 41); /* longer than received */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_MALFORMED);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV6 - 1].drop[FWD_DROP_MALFORMED], 2);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV4 - 1].drop[FWD_DROP_MALFORMED], 0);
	/* a VRF without an IPv6 FIB routes nothing */
	{
		struct fwd_vrf *v = xcalloc(1, sizeof(*v)), *old = atomic_load(&t->vrf[2]);

		*v = *old;
		v->fib6 = NULL;
		atomic_store(&t->vrf[2], v);
		free(old);
		p = frame6(0, 2, NULL, NULL, 0, &s);
		run(1);
		ck_assert_uint_eq(p->verdict, FWD_DROP_NO_ROUTE);
	}
}
END_TEST

/* The ICMPv6 error in p (RFC 4443): headers, the checksum recomputed over
 * the pseudo-header (RFC 8200 8.1), the quote as received. */
static void check_icmp6(const struct fwd_pkt *p, uint16_t in_port, const char *src,
			const struct ip6spec *s, uint8_t type, uint32_t mtu)
{
	const uint8_t *ip = p->data + 14, *ic = ip + 40;
	uint8_t smac[6] = {0x02, 0, 0, 0, 0, (uint8_t)in_port}, a[16], sum[2048];
	uint16_t plen = rd16(ip + 4);
	size_t q = s->len < 1280 - 48 ? s->len : 1280 - 48;

	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->icmp, 1);
	ck_assert_uint_eq(p->out_port, in_port);
	ck_assert_mem_eq(p->data, mac_sender, 6);
	ck_assert_mem_eq(p->data + 6, smac, 6);
	ck_assert_uint_eq(rd16(p->data + 12), 0x86dd);
	ck_assert_uint_eq(ip[0] >> 4, 6);
	ck_assert_uint_eq(ip[6], 58);
	ck_assert_uint_eq(ip[7], 64);
	a6(a, src);
	ck_assert_mem_eq(ip + 8, a, 16);
	ck_assert_mem_eq(ip + 24, s->src, 16);
	ck_assert_uint_eq(plen, 8 + q);
	ck_assert_uint_le(40 + plen, 1280);
	ck_assert_uint_eq(p->len, 14 + 40 + plen);
	ck_assert_uint_eq(ic[0], type);
	ck_assert_uint_eq(ic[1], 0);
	ck_assert_uint_eq(rd32(ic + 4), mtu);
	/* pseudo-header + message, checksum field included: sums to zero */
	memcpy(sum, ip + 8, 32);
	wr32(sum + 32, plen);
	wr32(sum + 36, 58);
	memcpy(sum + 40, ic, plen);
	ck_assert_uint_eq(cksum(sum, 40 + (size_t)plen), 0);
	/* the quote is the packet as received, cut to fit 1280 bytes */
	{
		uint8_t want[2048];

		put_ip6(want, s);
		ck_assert_mem_eq(ic + 8, want, q);
	}
}

START_TEST(test6_hop_limit_icmp)
{
	struct ip6spec s = ip6def("2001:db8:2::7");
	struct fwd_pkt *p;

	s.hl = 1;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	check_icmp6(p, 1, "2001:db8:1:1::1", &s, 3, 0);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_TTL], 1);
	ck_assert_uint_eq(t->vrf_cnt[1].drop[FWD_DROP_TTL], 1);
	ck_assert_uint_eq(t->port_cnt[1].icmp_sent, 1);
	ck_assert_uint_eq(t->port_cnt[1].af[FWD_AF_IPV6 - 1].icmp_sent, 1);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV6 - 1].drop[FWD_DROP_TTL], 1);
	ck_assert_uint_eq(t->port_cnt[1].tx_pkts, 1);
	ck_assert_uint_eq(t->port_cnt[0].tx_pkts, 0);
	ck_assert_uint_eq(t->vrf_cnt[1].tx_pkts, 0);
	/* hop limit 0 too, from the CE port's own address */
	s.hl = 0;
	s.dst[15] = 9;
	p = frame6(0, 3, NULL, NULL, 0, &s);
	run(1);
	check_icmp6(p, 3, "2001:db8:4::1", &s, 3, 0);

	/* a long packet: the error stops at 1280 bytes */
	s = ip6def("2001:db8:2::7");
	s.hl = 1;
	s.len = 1400;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	check_icmp6(p, 1, "2001:db8:1:1::1", &s, 3, 0);
	ck_assert_uint_eq(p->len, 14 + 1280);
	/* odd lengths sum right */
	s.len = 101;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	check_icmp6(p, 1, "2001:db8:1:1::1", &s, 3, 0);

	/* RFC 4443 2.4 (e): not about an ICMPv6 error */
	s = ip6def("2001:db8:2::7");
	s.hl = 1;
	s.nh = 58;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	p->data[14 + 40] = 1; /* destination unreachable */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	ck_assert_uint_eq(p->icmp, 0);
	/* nor behind an extension header */
	p = frame6(0, 1, NULL, NULL, 0, &s);
	p->data[14 + 6] = 60; /* destination options, 8 bytes, then ICMPv6 */
	p->data[14 + 40] = 58;
	p->data[14 + 41] = 0;
	p->data[14 + 48] = 3; /* time exceeded */
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	ck_assert_uint_eq(p->icmp, 0);
	/* an echo request is answered */
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	check_icmp6(p, 1, "2001:db8:1:1::1", &s, 3, 0);
	/* nor about a frame sent to a link-layer multicast address */
	s.nh = 17;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	memcpy(p->data, "\x33\x33\x00\x00\x00\x01", 6);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	ck_assert_uint_eq(p->icmp, 0);
	/* multicast destinations are the kernel's: no error either */
	s = ip6def("ff0e::1");
	s.hl = 1;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_PUNT);
	/* switched off */
	atomic_store(&t->icmp_errors, false);
	s = ip6def("2001:db8:2::7");
	s.hl = 1;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	ck_assert_uint_eq(p->icmp, 0);
	atomic_store(&t->icmp_errors, true);
	/* a port without an IPv6 address sends none */
	memset(((struct fwd_port_cfg *)atomic_load(&t->port[1]))->addr6, 0, 16);
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_DROP_TTL);
	ck_assert_uint_eq(p->icmp, 0);
}
END_TEST

START_TEST(test6_packet_too_big)
{
	struct ip6spec s = ip6def("2001:db8:2::7");
	struct fwd_pkt *p;

	/* no DF in IPv6: too big always gets packet too big, MTU without the
	 * two labels */
	s.len = 1500;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	check_icmp6(p, 1, "2001:db8:1:1::1", &s, 2, 1492);
	ck_assert_uint_eq(p->len, 14 + 1280);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_MTU], 1);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV6 - 1].drop[FWD_DROP_MTU], 1);
	/* one label: 1496 */
	s = ip6def("2001:db8:3::1");
	s.len = 1500;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	check_icmp6(p, 1, "2001:db8:1:1::1", &s, 2, 1496);
	/* 1492 + 8 fits */
	s = ip6def("2001:db8:2::7");
	s.len = 1492;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	ck_assert_uint_eq(p->len, 14 + 1500);
	/* 1500 to the local CE (no labels) fits */
	s = ip6def("2001:db8:4::9");
	s.len = 1500;
	p = frame6(0, 1, NULL, NULL, 0, &s);
	run(1);
	ck_assert_uint_eq(p->verdict, FWD_OK);
	/* labelled: dropped and counted, no error */
	{
		uint32_t l[1] = {16001};
		uint8_t ttl[1] = {20};
		struct fwd_port_cfg *c = atomic_load(&t->port[0]);

		c->mtu = 1400;
		p = frame6(0, 0, l, ttl, 1, &s);
		run(1);
		ck_assert_uint_eq(p->verdict, FWD_DROP_MTU);
		ck_assert_uint_eq(p->icmp, 0);
	}
}
END_TEST

START_TEST(test6_icmp_rate_limit)
{
	struct ip6spec s = ip6def("2001:db8:2::7");
	struct ipspec s4 = ipdef(IP4(192, 168, 2, 7));
	unsigned i, sent = 0;

	/* a burst far beyond the bucket, IPv4 and IPv6 alike (no timing
	 * assertions: the bucket refills by time, so only bounds are checked) */
	s.hl = 1;
	s4.ttl = 1;
	for (i = 0; i < 3 * FWD_ICMP_BURST; i++) {
		struct fwd_pkt *p = i & 1 ? frame6(0, 1, NULL, NULL, 0, &s)
					  : frame(0, 1, NULL, NULL, 0, &s4);

		fwd_process(t, p, 1);
		ck_assert_uint_eq(p->verdict, p->icmp ? FWD_OK : FWD_DROP_TTL);
		sent += p->icmp;
	}
	ck_assert_uint_ge(sent, FWD_ICMP_BURST);
	ck_assert_uint_lt(sent, 3 * FWD_ICMP_BURST);
	ck_assert_uint_eq(t->port_cnt[1].drop[FWD_DROP_TTL], 3 * FWD_ICMP_BURST);
	ck_assert_uint_eq(t->port_cnt[1].icmp_sent, sent);
	ck_assert_uint_eq(t->port_cnt[1].icmp_limited, 3 * FWD_ICMP_BURST - sent);
	ck_assert_uint_eq(t->vrf_cnt[1].icmp_limited, 3 * FWD_ICMP_BURST - sent);
}
END_TEST

START_TEST(test6_ecmp)
{
	struct ip6spec s = ip6def("2001:db8:7::1");
	int seen[2] = {0, 0}, i, j, first;

	for (i = 0; i < 64; i++) {
		s.sport = (uint16_t)(1000 + i);
		first = -1;
		for (j = 0; j < 2; j++) {
			struct fwd_pkt *p = frame6(0, 1, NULL, NULL, 0, &s);
			int m;

			run(1);
			ck_assert_uint_eq(p->verdict, FWD_OK);
			m = rd32(p->data + 14) >> 12 == 110 ? 0 : 1;
			ck_assert_uint_eq(rd32(p->data + 18) >> 12, m ? 211u : 210u);
			if (first < 0)
				first = m;
			ck_assert_int_eq(m, first);
		}
		seen[first]++;
	}
	ck_assert_int_gt(seen[0], 8);
	ck_assert_int_gt(seen[1], 8);
}
END_TEST

/* Every prefix of a valid IPv6 frame: no read past len, no OK. */
static void truncate_all6(uint16_t in_port, const uint32_t *l, const uint8_t *ttl, int nl,
			  const char *dst)
{
	struct ip6spec s = ip6def(dst);
	struct fwd_pkt *p = frame6(0, in_port, l, ttl, nl, &s);
	uint8_t tmpl[256];
	uint16_t full = p->len, len;

	ck_assert_uint_le(full, sizeof(tmpl));
	memcpy(tmpl, p->data, full);
	for (len = 0; len <= full; len++) {
		uint8_t *b = xmalloc(FWD_HEADROOM + (size_t)len + 1);
		struct fwd_pkt q = {0};

		b += 1;
		memcpy(b + FWD_HEADROOM, tmpl, len);
		q.buf = b;
		q.data = b + FWD_HEADROOM;
		q.len = len;
		q.in_port = in_port;
		process(&q, 1);
		if (len == full)
			ck_assert_uint_eq(q.verdict, FWD_OK);
		else
			ck_assert_msg(q.verdict == FWD_DROP_MALFORMED ||
					      q.verdict == FWD_DROP_NOT_IP || q.verdict == FWD_PUNT,
				      "len %u: verdict %u", len, q.verdict);
		free(b - 1);
	}
}

START_TEST(test6_truncated)
{
	uint32_t l1[1] = {500}, lce[1] = {601}, lphp[1] = {16001};
	uint8_t ttl[1] = {64};

	truncate_all6(1, NULL, NULL, 0, "2001:db8:2::7");
	truncate_all6(1, NULL, NULL, 0, "2001:db8:4::9");
	truncate_all6(0, l1, ttl, 1, "2001:db8:4::9");
	truncate_all6(0, l1, ttl, 1, "2001:db8:2::7");
	truncate_all6(0, lce, ttl, 1, "2001:db8:4::9");
	truncate_all6(0, lphp, ttl, 1, "2001:db8:4::9");
	ck_assert_uint_gt(t->port_cnt[1].drop[FWD_DROP_MALFORMED], 60);
}
END_TEST

START_TEST(test6_burst_mixed)
{
	struct ipspec a = ipdef(IP4(192, 168, 2, 7));
	struct ip6spec b = ip6def("2001:db8:2::7"), c = ip6def("2001:db8:4::9");
	uint32_t l[1] = {500};
	uint8_t ttl[1] = {30};

	frame(0, 1, NULL, NULL, 0, &a);
	frame6(1, 1, NULL, NULL, 0, &b);
	frame6(2, 0, l, ttl, 1, &c);
	frame6(3, 2, NULL, NULL, 0, &c); /* VRF 2 has no such route */
	run(4);
	ck_assert_uint_eq(pk[0].verdict, FWD_OK);
	ck_assert_uint_eq(pk[1].verdict, FWD_OK);
	ck_assert_uint_eq(pk[2].verdict, FWD_OK);
	ck_assert_uint_eq(pk[2].out_port, 3);
	ck_assert_uint_eq(pk[3].verdict, FWD_DROP_NO_ROUTE);
	ck_assert_uint_eq(t->vrf_cnt[1].tx_pkts, 3);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV4 - 1].tx_pkts, 1);
	ck_assert_uint_eq(t->vrf_cnt[1].af[FWD_AF_IPV6 - 1].tx_pkts, 2);
	ck_assert_uint_eq(t->vrf_cnt[2].af[FWD_AF_IPV6 - 1].drop[FWD_DROP_NO_ROUTE], 1);
}
END_TEST

/* ------------------------------------------------------------ tables */

static int deferred;

static void count_free(void *p)
{
	deferred++;
	free(p);
}

START_TEST(test_tables)
{
	struct fwd_tables *u = fwd_tables_new();
	struct fwd_nh *a = fwd_nh_new(FWD_NH_DROP, 0), *b = fwd_nh_new(FWD_NH_DROP, 0);
	struct fwd_neigh e[5];
	struct fwd_neigh_tab *nt;
	uint32_t i, j;

	ck_assert(atomic_load(&u->icmp_errors));
	ck_assert(!atomic_load(&u->ttl_pipe));
	ck_assert_uint_eq(atomic_load(&u->nh_cap), 0);
	ck_assert_ptr_null(fwd_set_nh(u, 5, a, count_free));
	ck_assert_uint_ge(atomic_load(&u->nh_cap), 6);
	ck_assert_int_eq(deferred, 0);
	ck_assert_ptr_eq(fwd_set_nh(u, 5, b, count_free), a);
	free(a);
	a = fwd_nh_new(FWD_NH_RECEIVE, 0);
	ck_assert_ptr_null(fwd_set_nh(u, 1000, a, count_free));
	ck_assert_int_eq(deferred, 1);
	i = atomic_load(&u->nh_cap);
	ck_assert_uint_gt(i, 1000);
	ck_assert_uint_eq(i & (i - 1), 0);
	ck_assert_ptr_eq(atomic_load(&atomic_load(&u->nh)[5]), b);
	ck_assert_ptr_eq(atomic_load(&atomic_load(&u->nh)[1000]), a);
	ck_assert_ptr_null(fwd_set_nh(u, 1u << 20, NULL, NULL)); /* no growth for NULL */
	ck_assert_uint_eq(atomic_load(&u->nh_cap), i);
	ck_assert_ptr_null(fwd_set_lfib(u, MPLS_LABEL_MAX, fwd_nh_new(FWD_NH_DROP, 0), NULL));
	ck_assert_uint_gt(atomic_load(&u->lfib_cap), MPLS_LABEL_MAX);

	for (i = 0; i < 5; i++) {
		e[i].ip = IP4(10, 0, 0, i + 1);
		memset(e[i].mac, (int)i, 6);
	}
	nt = fwd_neigh_build(e, 5);
	ck_assert_uint_ge(nt->mask + 1, 10);
	for (i = 0; i < 5; i++) {
		for (j = fwd_neigh_hash(e[i].ip) & nt->mask; nt->slot[j].ip != e[i].ip; j = (j + 1) & nt->mask)
			ck_assert_uint_ne(nt->slot[j].ip, 0);
		ck_assert_uint_eq(nt->slot[j].mac[0], i);
	}
	atomic_store(&u->neigh[7], nt);
	fwd_tables_free(u);
}
END_TEST

static Suite *fwd_suite(void)
{
	Suite *s = suite_create("fwd_pipeline");
	TCase *tc = tcase_create("pipeline");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_drop_names);
	tcase_add_test(tc, test_push2_isolation);
	tcase_add_test(tc, test_push_pipe);
	tcase_add_test(tc, test_push_implicit_null);
	tcase_add_test(tc, test_local_ce);
	tcase_add_test(tc, test_ingress_drops);
	tcase_add_test(tc, test_punt);
	tcase_add_test(tc, test_malformed_ip);
	tcase_add_test(tc, test_ttl_icmp);
	tcase_add_test(tc, test_mtu);
	tcase_add_test(tc, test_swap);
	tcase_add_test(tc, test_php_label);
	tcase_add_test(tc, test_pop_ip);
	tcase_add_test(tc, test_egress_lookup);
	tcase_add_test(tc, test_local_port);
	tcase_add_test(tc, test_per_ce_label);
	tcase_add_test(tc, test_core_drops);
	tcase_add_test(tc, test_explicit_null);
	tcase_add_test(tc, test_no_neighbor);
	tcase_add_test(tc, test_port_down);
	tcase_add_test(tc, test_ecmp);
	tcase_add_test(tc, test_pic_backup);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_burst_mixed);
	tcase_add_test(tc, test_tables);
	tcase_add_test(tc, test6_push_6vpe);
	tcase_add_test(tc, test6_push_implicit_null);
	tcase_add_test(tc, test6_ttl_modes);
	tcase_add_test(tc, test6_local_ce);
	tcase_add_test(tc, test6_nd_miss);
	tcase_add_test(tc, test6_egress_pop);
	tcase_add_test(tc, test6_punt);
	tcase_add_test(tc, test6_hop_limit_icmp);
	tcase_add_test(tc, test6_packet_too_big);
	tcase_add_test(tc, test6_icmp_rate_limit);
	tcase_add_test(tc, test6_ecmp);
	tcase_add_test(tc, test6_truncated);
	tcase_add_test(tc, test6_burst_mixed);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fwd_suite());
	char err[256];
	int failed;

	/* the XDP side of every test, where BPF can be used (root) */
	xdp = fwd_xdp_new(err, sizeof(err));
	if (xdp == NULL && geteuid() == 0) {
		fprintf(stderr, "XDP fast path unusable as root: %s\n", err);
		return EXIT_FAILURE;
	}
	if (xdp == NULL)
		printf("not root: the XDP differential is skipped (%s)\n", err);
	/* verified once here, inherited by every forked test */
	for (failed = 0; xdp != NULL && failed < CHECK_PORTS; failed++)
		if (fwd_xdp_prog_load(xdp, (uint16_t)failed, err, sizeof(err)) != 0) {
			fprintf(stderr, "XDP program for port %d: %s\n", failed, err);
			return EXIT_FAILURE;
		}

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	fwd_xdp_free(xdp);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
