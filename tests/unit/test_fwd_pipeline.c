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
 */

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "lib/log.h"
#include "pe/fwd/fwd.h"
#include "pe/fwd/xdp.h"
#include "vrf/fib.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const uint8_t mac_sender[6] = {0x66, 0x66, 0x66, 0x66, 0x66, 0x01};
static const uint8_t mac_p1[6] = {0xaa, 0, 0, 0, 0, 0x02};
static const uint8_t mac_p2[6] = {0xaa, 0, 0, 0, 0, 0x03};
static const uint8_t mac_ce3[6] = {0xcc, 0, 0, 0, 0, 0x05};

static struct fwd_tables *t;
static struct fib *fib1, *fib2;
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

static void add_vrf(uint32_t id, struct fib *f, uint32_t local)
{
	struct fwd_vrf *v = xcalloc(1, sizeof(*v));

	v->id = id;
	v->fib = f;
	v->nlocal = 1;
	v->local[0] = local;
	atomic_store(&t->vrf[id], v);
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
	add_vrf(1, fib1, IP4(10, 1, 1, 1));
	add_vrf(2, fib2, IP4(10, 1, 1, 1));
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
}

static void teardown(void)
{
	fwd_tables_free(t);
	fib_free(fib1);
	fib_free(fib2);
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

/* Frame into packet k: Ethernet to port in_port's MAC, then labels (top
 * first, ttls[i]) if nl > 0, then the IPv4 packet. */
static struct fwd_pkt *frame(int k, uint16_t in_port, const uint32_t *labels, const uint8_t *ttls,
			     int nl, const struct ipspec *s)
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
	wr16(d + 12, nl ? ETH_P_MPLS_UC : 0x0800);
	for (i = 0; i < nl; i++)
		wr32(d + 14 + 4 * i, labels[i] << 12 | (i == nl - 1 ? 0x100u : 0) | ttls[i]);
	p->len = (uint16_t)(14 + 4 * nl + put_ip(d + 14 + 4 * nl, s));
	p->verdict = 0x55;
	return p;
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

static void add_counters(struct fwd_counters *a, const struct fwd_counters *b, int sign)
{
	int k;

	a->rx_pkts += (uint64_t)sign * b->rx_pkts;
	a->rx_bytes += (uint64_t)sign * b->rx_bytes;
	a->tx_pkts += (uint64_t)sign * b->tx_pkts;
	a->tx_bytes += (uint64_t)sign * b->tx_bytes;
	a->punt += (uint64_t)sign * b->punt;
	a->icmp_sent += (uint64_t)sign * b->icmp_sent;
	for (k = 0; k < FWD_DROP_MAX; k++)
		a->drop[k] += (uint64_t)sign * b->drop[k];
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
	/* not IPv4 under the last label */
	p = frame(0, 0, l, ttl, 1, &s);
	p->data[18] = 0x60;
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
	p->data[18] = 0x60;
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
	tcase_add_test(tc, test_per_ce_label);
	tcase_add_test(tc, test_core_drops);
	tcase_add_test(tc, test_explicit_null);
	tcase_add_test(tc, test_no_neighbor);
	tcase_add_test(tc, test_port_down);
	tcase_add_test(tc, test_ecmp);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_burst_mixed);
	tcase_add_test(tc, test_tables);
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
