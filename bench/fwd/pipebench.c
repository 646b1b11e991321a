#include "config.h"

/*
 * In-memory benchmark of the packet pipeline (pe/fwd/pipeline.c), no I/O:
 * the real IPv4 table in a VRF, 4096 pre-made 64-byte frames per path,
 * fwd_process() over bursts of FWD_BURST.
 *
 *   pipebench [-n packets] [-r runs] TABLE.txt.gz
 *   pipebench --callgrind N [-p ingress|swap|egress] TABLE.txt.gz
 *
 * Paths:
 *   ingress  customer port, VRF LPM, push 2 labels, MAC rewrite
 *   swap     core port, swap the top of 2 labels (P router)
 *   egress   core port, pop the VPN label (FWD_NH_LOOKUP), VRF LPM, to a CE
 *
 * Every burst first restores its frames from the templates (memcpy of 64
 * bytes each): a copy-only loop of the same shape is timed too, and the
 * pipeline figure is the difference. Output is Markdown.
 */

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/table.h"
#include "lib/log.h"
#include "pe/fwd/fwd.h"
#include "vrf/fib.h"

#define NFRAMES 4096
#define FRAME_LEN 64
#define NNH 16
#define NLABELS_IN 1024          /* distinct incoming labels on the swap path */
#define VPN_LABEL 100
#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

enum path { P_INGRESS, P_SWAP, P_EGRESS, P_MAX };
static const char *const path_name[P_MAX] = {"ingress", "swap", "egress"};

static uint64_t rng_state = 0x853c49e6748fea9bULL;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint32_t mask(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
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

/* ------------------------------------------------------------ the table */


/* ------------------------------------------------------------ setup */

/*
 * port 0: core; 16 P neighbors 10.0.0.10..25
 * port 1: VRF 1 (the full table -> 16 next hops, 2 labels each, port 0)
 * port 2: VRF 2 (the full table -> 16 CEs on port 2, no labels)
 * LFIB: 1000..1000+NLABELS_IN swap to port 0; VPN_LABEL -> lookup in VRF 2
 */
static struct fwd_tables *tables_build(const struct bench_table *tb, struct fib **f1, struct fib **f2)
{
	struct fwd_tables *t = fwd_tables_new();
	struct fwd_neigh n0[NNH], n2[NNH];
	uint32_t *nh1 = xcalloc(tb->n, sizeof(uint32_t)), *nh2 = xcalloc(tb->n, sizeof(uint32_t));
	struct fwd_nh *nh;
	size_t i;
	int k;

	for (k = 0; k < 3; k++) {
		struct fwd_port_cfg *c = xcalloc(1, sizeof(*c));

		c->idx = (uint16_t)k;
		c->vrf_id = (uint32_t)k;
		c->mac[0] = 0x02;
		c->mac[5] = (uint8_t)k;
		c->mtu = 1500;
		c->addr = IP4(10, k, 0, 1);
		c->up = true;
		atomic_store(&t->port[k], c);
	}
	for (k = 0; k < NNH; k++) {
		n0[k].ip = IP4(10, 0, 0, 10 + k);
		n2[k].ip = IP4(10, 2, 0, 10 + k);
		memset(n0[k].mac, 0xa0 + k, 6);
		memset(n2[k].mac, 0xc0 + k, 6);

		nh = fwd_nh_new(FWD_NH_FWD, 1);
		nh->adj[0].port = 0;
		nh->adj[0].gw = n0[k].ip;
		nh->adj[0].nlabels = 2;
		nh->adj[0].labels[0] = 20000 + (uint32_t)k;
		nh->adj[0].labels[1] = 30000 + (uint32_t)k;
		fwd_set_nh(t, 1 + (uint32_t)k, nh, NULL);

		nh = fwd_nh_new(FWD_NH_FWD, 1);
		nh->adj[0].port = 2;
		nh->adj[0].gw = n2[k].ip;
		fwd_set_nh(t, 1 + NNH + (uint32_t)k, nh, NULL);
	}
	atomic_store(&t->neigh[0], fwd_neigh_build(n0, NNH));
	atomic_store(&t->neigh[2], fwd_neigh_build(n2, NNH));
	for (k = 0; k < NLABELS_IN; k++) {
		nh = fwd_nh_new(FWD_NH_FWD, 1);
		nh->adj[0].port = 0;
		nh->adj[0].gw = n0[k % NNH].ip;
		nh->adj[0].nlabels = 1;
		nh->adj[0].labels[0] = 40000 + (uint32_t)k;
		fwd_set_lfib(t, 1000 + (uint32_t)k, nh, NULL);
	}
	nh = fwd_nh_new(FWD_NH_LOOKUP, 0);
	nh->vrf_id = 2;
	fwd_set_lfib(t, VPN_LABEL, nh, NULL);

	for (i = 0; i < tb->n; i++) {
		nh1[i] = 1 + (uint32_t)(i % NNH);
		nh2[i] = 1 + NNH + (uint32_t)(i % NNH);
	}
	*f1 = fib_new();
	*f2 = fib_new();
	if (fib_build(*f1, tb->addr, tb->len, nh1, tb->n) != 0 ||
	    fib_build(*f2, tb->addr, tb->len, nh2, tb->n) != 0)
		fatalx("fib_build");
	for (k = 1; k <= 2; k++) {
		struct fwd_vrf *v = xcalloc(1, sizeof(*v));

		v->id = (uint32_t)k;
		v->fib = k == 1 ? *f1 : *f2;
		v->nlocal = 1;
		v->local[0] = IP4(10, k, 0, 1);
		atomic_store(&t->vrf[k], v);
	}
	free(nh1);
	free(nh2);
	return t;
}

/* 64-byte frames: Ethernet, the path's labels, IPv4/UDP to a destination
 * drawn from the table. */
static void make_frames(const struct bench_table *tb, enum path path, uint8_t (*tmpl)[FRAME_LEN])
{
	int i, nl = path == P_INGRESS ? 0 : path == P_SWAP ? 2 : 1;
	uint8_t *d, *ip;
	uint32_t s, dst;
	size_t j;

	for (i = 0; i < NFRAMES; i++) {
		d = tmpl[i];
		memset(d, 0, FRAME_LEN);
		do {
			j = (size_t)(rnd64() % tb->n);
			dst = tb->addr[j] | ((uint32_t)rnd64() & ~mask(tb->len[j]));
		} while (dst >= 0xe0000000u || dst == 0);
		d[0] = 0x02;
		d[5] = path == P_INGRESS ? 1 : 0;
		memset(d + 6, 0x66, 6);
		wr16(d + 12, nl ? ETH_P_MPLS_UC : 0x0800);
		if (path == P_SWAP) {
			wr32(d + 14, (1000 + (uint32_t)(rnd64() % NLABELS_IN)) << 12 | 64);
			wr32(d + 18, 50000u << 12 | 0x100 | 64);
		} else if (path == P_EGRESS) {
			wr32(d + 14, (uint32_t)VPN_LABEL << 12 | 0x100 | 64);
		}
		ip = d + 14 + 4 * nl;
		ip[0] = 0x45;
		wr16(ip + 2, (uint16_t)(FRAME_LEN - 14 - 4 * nl));
		ip[8] = 64;
		ip[9] = 17;
		wr32(ip + 12, IP4(172, 16, 0, 1) + (uint32_t)(rnd64() & 0xffff));
		wr32(ip + 16, dst);
		for (s = 0, j = 0; j < 20; j += 2)
			s += (uint32_t)ip[j] << 8 | ip[j + 1];
		while (s >> 16)
			s = (s & 0xffff) + (s >> 16);
		wr16(ip + 10, (uint16_t)~s);
		wr16(ip + 20, (uint16_t)(1024 + (rnd64() & 0x7fff)));
		wr16(ip + 22, 53);
	}
}

/* ------------------------------------------------------------ runs */

/* Buffers FWD_BUF_SIZE + 64 apart: a power-of-two stride would put every
 * frame's first line in the same few cache sets (DPDK pads its mbufs for
 * the same reason); a NIC ring tuned for speed would do the same. */
#define BUF_STRIDE (FWD_BUF_SIZE + 64)
static uint8_t *bufs;           /* NFRAMES buffers, BUF_STRIDE apart */
static struct fwd_pkt pkts[NFRAMES];

static inline void reset(unsigned first, unsigned n, uint8_t (*tmpl)[FRAME_LEN], uint16_t in_port)
{
	unsigned i;

	for (i = first; i < first + n; i++) {
		struct fwd_pkt *p = &pkts[i];

		p->buf = bufs + (size_t)i * BUF_STRIDE;
		p->data = p->buf + FWD_HEADROOM;
		memcpy(p->data, tmpl[i], FRAME_LEN);
		p->len = FRAME_LEN;
		p->in_port = in_port;
	}
}

/* Processes npkts packets (whole passes over the frames); returns seconds.
 * ok counts FWD_OK verdicts of the last pass. */
static double run(struct fwd_tables *t, uint8_t (*tmpl)[FRAME_LEN], uint16_t in_port,
		  uint64_t npkts, bool process, unsigned *ok)
{
	uint64_t done = 0;
	unsigned i, n;
	double t0 = now();

	while (done < npkts) {
		for (i = 0; i < NFRAMES && done < npkts; i += n, done += n) {
			n = NFRAMES - i < FWD_BURST ? NFRAMES - i : FWD_BURST;
			if (npkts - done < n)
				n = (unsigned)(npkts - done);
			reset(i, n, tmpl, in_port);
			if (process)
				fwd_process(t, pkts + i, n);
			else
				__asm__ volatile("" : : "r"(pkts + i) : "memory");
		}
	}
	t0 = now() - t0;
	if (ok != NULL) {
		*ok = 0;
		for (i = 0; i < NFRAMES; i++)
			*ok += pkts[i].verdict == FWD_OK;
	}
	return t0;
}

static void usage(void)
{
	fprintf(stderr, "usage: pipebench [-n packets] [-r runs] TABLE\n"
			"       pipebench --callgrind N [-p ingress|swap|egress] TABLE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{"callgrind", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	static uint8_t tmpl[P_MAX][NFRAMES][FRAME_LEN];
	static const uint16_t in_port[P_MAX] = {1, 0, 0};
	uint64_t npkts = 10000000, cg = 0;
	int runs = 5, ch, r, only = -1, pth;
	struct fwd_tables *t;
	struct fib *f1, *f2;
	struct bench_table tb;
	double tot[16], cp[16], net[16];
	unsigned ok;

	while ((ch = getopt_long(argc, argv, "n:r:p:", lopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			npkts = strtoull(optarg, NULL, 10);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'c':
			cg = strtoull(optarg, NULL, 10);
			break;
		case 'p':
			for (pth = 0; pth < P_MAX; pth++)
				if (strcmp(optarg, path_name[pth]) == 0)
					only = pth;
			if (only < 0)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || runs < 1 || runs > 16 || npkts == 0)
		usage();

	bench_table_load(argv[optind], &tb);
	t = tables_build(&tb, &f1, &f2);
	bufs = xcalloc(NFRAMES, BUF_STRIDE);
	for (pth = 0; pth < P_MAX; pth++)
		make_frames(&tb, (enum path)pth, tmpl[pth]);

	if (cg) {
		/* one pass for valgrind --tool=callgrind --toggle-collect=fwd_process */
		for (pth = 0; pth < P_MAX; pth++) {
			if (only >= 0 && pth != only)
				continue;
			run(t, tmpl[pth], in_port[pth], cg, true, &ok);
			printf("%s: %llu packets, %u/%u ok in the last pass\n", path_name[pth],
			       (unsigned long long)cg, ok, NFRAMES);
		}
		goto out;
	}

	printf("%zu IPv4 prefixes, %d frames of %d bytes, bursts of %d, %llu packets per run, "
	       "median of %d runs\n\n",
	       tb.n, NFRAMES, FRAME_LEN, FWD_BURST, (unsigned long long)npkts, runs);
	printf("| path | ns/pkt (pipeline) | Mpps (pipeline) | ns/pkt (with frame reset) | "
	       "ns/pkt (reset only) | ok |\n");
	printf("|---|---|---|---|---|---|\n");
	for (pth = 0; pth < P_MAX; pth++) {
		double mt, mc, mn;

		if (only >= 0 && pth != only)
			continue;
		run(t, tmpl[pth], in_port[pth], NFRAMES * 16, true, NULL); /* warm up */
		for (r = 0; r < runs; r++) {
			cp[r] = run(t, tmpl[pth], in_port[pth], npkts, false, NULL);
			tot[r] = run(t, tmpl[pth], in_port[pth], npkts, true, &ok);
			net[r] = tot[r] - cp[r];
		}
		mt = median(tot, runs) * 1e9 / (double)npkts;
		mc = median(cp, runs) * 1e9 / (double)npkts;
		mn = median(net, runs) * 1e9 / (double)npkts;
		printf("| %s | %.2f | %.1f | %.2f | %.2f | %u/%u |\n", path_name[pth], mn,
		       mn > 0 ? 1e3 / mn : 0, mt, mc, ok, NFRAMES);
	}
out:
	fwd_tables_free(t);
	fib_free(f1);
	fib_free(f2);
	free(bufs);
	free(tb.addr);
	free(tb.len);
	return 0;
}
