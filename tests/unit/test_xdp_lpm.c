#include "config.h"

/* Unit tests for the XDP fast path's VRF route tables (pe/fwd/xdp.c, the
 * multibit tries of bpf/xdp_maps.h): after random adds, replaces and
 * deletes in several VRFs, a C copy of the program's walk over the mmapped
 * array must give what fib_lookup() gives on a vrf/fib.c FIB holding the
 * same routes; a few frames through the real program (BPF_PROG_TEST_RUN)
 * show it walks the same structure. Needs root (BPF); skipped otherwise.
 * The real table (../shared/data, or PE_SHARED_DIR) is loaded into one VRF;
 * PE_SKIP_FULL_TABLE=1 skips that part. */

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "pe/fwd/bpf/xdp_maps.h"
#include "pe/fwd/fwd.h"
#include "pe/fwd/xdp.h"
#include "vrf/fib.h"

#define TABLE_REL "/data/full-table-prefixes.txt.gz"

static const char *table_file(void)
{
	static char path[4096];
	const char *dir = getenv("PE_SHARED_DIR");

	if (dir != NULL && dir[0] != '\0')
		snprintf(path, sizeof(path), "%s" TABLE_REL, dir);
	else
		snprintf(path, sizeof(path), "%s/../shared" TABLE_REL, TOP_SRCDIR);
	return path;
}

static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s * 0x9e3779b97f4a7c15ULL + 1;
}

static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

static uint32_t mask(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The program's lpm_lookup() (bpf/fwd_xdp.bpf.c) over the mmapped array. */
static uint32_t mirror_lookup(struct fwd_xdp *x, uint32_t vrf, uint32_t dst)
{
	const uint32_t *a = fwd_xdp_lpm_array(x);
	uint32_t node = fwd_xdp_lpm_root(x, vrf), e;
	int l;

	for (l = 0; l < 4; l++) {
		e = __atomic_load_n(&a[(size_t)node * XF_LPM_SLOTS + (dst >> (24 - 8 * l) & 0xff)],
				    __ATOMIC_ACQUIRE);
		if (!(e & XF_LPM_CHILD))
			return e;
		node = e & ~XF_LPM_CHILD;
	}
	return 0xffffffffu; /* a child pointer at the last level: broken */
}

/* Prefix lengths about as a real table has them. */
static unsigned rnd_len(void)
{
	unsigned r = rnd() % 100;

	if (r < 2)
		return rnd() % 8;
	if (r < 10)
		return 8 + rnd() % 8;
	if (r < 20)
		return 16 + rnd() % 6;
	if (r < 30)
		return 22 + rnd() % 2;
	if (r < 88)
		return 24;
	return 25 + rnd() % 8;
}

/* Addresses cluster in a few regions, so that prefixes overlap. */
#define NREGION 48
static uint32_t region[NREGION];

static uint32_t rnd_addr(void)
{
	if (rnd() % 8 == 0)
		return rnd();
	return region[rnd() % NREGION] ^ (rnd() & (rnd() % 2 ? 0xfffff : 0x3fff));
}

struct route {
	uint32_t addr, nh;
	uint8_t len;
};

#define NVRF 4
static const uint32_t vrfs[NVRF] = { 1, 2, 7, FWD_MAX_VRFS - 1 };

struct vstate {
	struct fib *fib;
	struct route *r; /* as added (duplicates possible: both sides see the same ops) */
	size_t n, cap;
};

static void op_add(struct fwd_xdp *x, struct vstate *v, uint32_t vrf, uint32_t addr, uint8_t len,
		   uint32_t nh)
{
	addr &= mask(len);
	ck_assert_int_eq(fib_add(v->fib, addr, len, nh), 0);
	ck_assert_msg(fwd_xdp_set_route(x, vrf, addr, len, nh) == 0, "set_route: %s",
		      strerror(errno));
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 1024;
		v->r = xrealloc(v->r, v->cap * sizeof(*v->r));
	}
	v->r[v->n].addr = addr;
	v->r[v->n].len = len;
	v->r[v->n].nh = nh;
	v->n++;
}

static void op_del(struct fwd_xdp *x, struct vstate *v, uint32_t vrf, size_t i)
{
	struct route r = v->r[i];

	v->r[i] = v->r[--v->n];
	fib_del(v->fib, r.addr, r.len); /* -1 if a duplicate went already */
	ck_assert_int_eq(fwd_xdp_set_route(x, vrf, r.addr, r.len, FIB_NH_NONE), 0);
}

static void check_addr(struct fwd_xdp *x, struct vstate *v, uint32_t vrf, uint32_t a)
{
	uint32_t want = fib_lookup(v->fib, a), got = mirror_lookup(x, vrf, a);

	if (want != got)
		ck_abort_msg("VRF %u, %u.%u.%u.%u: trie %u, FIB %u", vrf, a >> 24, a >> 16 & 0xff,
			     a >> 8 & 0xff, a & 0xff, got, want);
}

static void check_all(struct fwd_xdp *x, struct vstate *vs, unsigned nrandom)
{
	unsigned i, k;
	size_t j;

	for (i = 0; i < nrandom; i++) {
		k = rnd() % NVRF;
		check_addr(x, &vs[k], vrfs[k], rnd_addr());
	}
	for (k = 0; k < NVRF; k++)
		for (j = 0; j < vs[k].n; j++) {
			check_addr(x, &vs[k], vrfs[k], vs[k].r[j].addr);
			check_addr(x, &vs[k], vrfs[k], vs[k].r[j].addr | ~mask(vs[k].r[j].len));
		}
}

static struct fwd_xdp *new_xdp(size_t nodes)
{
	struct fwd_xdp *x;
	char err[256];

	fwd_xdp_set_lpm_nodes(nodes);
	x = fwd_xdp_new(err, sizeof(err));
	ck_assert_msg(x != NULL, "fwd_xdp_new: %s", err);
	return x;
}

START_TEST(test_random)
{
	struct vstate vs[NVRF];
	struct fwd_xdp *x = new_xdp(1 << 15);
	unsigned i, k, batch;

	rng_seed(42);
	for (i = 0; i < NREGION; i++)
		region[i] = rnd();
	memset(vs, 0, sizeof(vs));
	for (k = 0; k < NVRF; k++)
		vs[k].fib = fib_new();
	/* empty VRFs: no route anywhere */
	check_all(x, vs, 1000);
	for (k = 0; k < NVRF; k++)
		for (i = 0; i < 5000; i++)
			op_add(x, &vs[k], vrfs[k], rnd_addr(), (uint8_t)rnd_len(), 1 + rnd() % FIB_NH_MAX);
	check_all(x, vs, 100000);
	for (batch = 0; batch < 12; batch++) {
		for (i = 0; i < 3000; i++) {
			unsigned r = rnd() % 100;
			struct vstate *v;

			k = rnd() % NVRF;
			v = &vs[k];
			if (r < (batch >= 8 ? 20u : 45u) || v->n == 0) {
				op_add(x, v, vrfs[k], rnd_addr(), (uint8_t)rnd_len(), 1 + rnd() % 1000);
			} else if (r < 70) {
				/* replace: same prefix, another next hop */
				struct route q = v->r[rnd() % v->n];

				op_add(x, v, vrfs[k], q.addr, q.len, 1 + rnd() % 1000);
			} else {
				op_del(x, v, vrfs[k], rnd() % v->n);
			}
		}
		check_all(x, vs, 100000);
	}
	/* everything away: nothing matches */
	for (k = 0; k < NVRF; k++)
		while (vs[k].n > 0)
			op_del(x, &vs[k], vrfs[k], rnd() % vs[k].n);
	check_all(x, vs, 100000);
	printf("random: %zu trie nodes used\n", fwd_xdp_lpm_nodes_used(x));
	for (k = 0; k < NVRF; k++) {
		fib_free(vs[k].fib);
		free(vs[k].r);
	}
	fwd_xdp_free(x);
}
END_TEST

/* ---- through the program ---- */

#define GW 0xc0a80002u /* 192.168.0.2 on core port 1 */

static void setup_ports(struct fwd_xdp *x)
{
	struct fwd_port_cfg c;
	struct fwd_neigh ne = { GW, { 2, 0, 0, 0, 0, 2 } };
	struct fwd_neigh_tab *nt;
	struct fwd_vrf *v = xcalloc(1, sizeof(*v));
	struct fwd_nh *nh;
	char err[256];
	uint32_t id;

	memset(&c, 0, sizeof(c));
	c.idx = 0;
	c.ifindex = 1; /* lo: the DEVMAP needs a device */
	c.vrf_id = 1;
	c.mac[5] = 0x10;
	c.mtu = 1500;
	c.up = true;
	ck_assert_int_eq(fwd_xdp_set_port(x, 0, &c, -1, false), 0);
	c.idx = 1;
	c.vrf_id = 0;
	c.mac[5] = 0x11;
	ck_assert_int_eq(fwd_xdp_set_port(x, 1, &c, -1, false), 0);
	nt = fwd_neigh_build(&ne, 1);
	ck_assert_int_eq(fwd_xdp_set_neigh(x, 1, NULL, nt), 0);
	free(nt);
	/* odd ids forward (REDIRECT), even ones are blackholes (DROP) */
	for (id = 1; id <= 64; id++) {
		if (id % 2) {
			nh = fwd_nh_new(FWD_NH_FWD, 1);
			nh->adj[0].port = 1;
			nh->adj[0].gw = GW;
			nh->adj[0].nlabels = 1;
			nh->adj[0].labels[0] = 1000 + id;
		} else {
			nh = fwd_nh_new(FWD_NH_DROP, 0);
		}
		ck_assert_int_eq(fwd_xdp_set_nh(x, id, nh), 0);
		free(nh);
	}
	v->id = 1;
	v->fib = fib_new(); /* any FIB: the VRF forwards */
	ck_assert_int_eq(fwd_xdp_set_vrf(x, 1, NULL, v), 0);
	fib_free(v->fib);
	free(v);
	ck_assert_msg(fwd_xdp_prog_load(x, 0, err, sizeof(err)) == 0, "%s", err);
}

/* The XDP action for an IPv4 packet to dst entering port 0. */
static int run_to(struct fwd_xdp *x, uint32_t dst)
{
	uint8_t f[64], out[256];
	uint32_t outlen = sizeof(out);
	uint8_t *ip = f + 14;

	memset(f, 0, sizeof(f));
	f[5] = 0x10;
	f[11] = 0x01;
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = 50; /* total length: 20 + 30 */
	ip[8] = 64;
	ip[9] = 17;
	ip[12] = 10;
	ip[15] = 1;
	ip[16] = (uint8_t)(dst >> 24);
	ip[17] = (uint8_t)(dst >> 16);
	ip[18] = (uint8_t)(dst >> 8);
	ip[19] = (uint8_t)dst;
	return fwd_xdp_test_run(x, 0, f, sizeof(f), out, &outlen);
}

START_TEST(test_program)
{
	struct fwd_xdp *x = new_xdp(0x1000);
	struct fib *f = fib_new();
	struct fwd_counters c0, c1;
	uint64_t want_miss = 0, want_bh = 0, want_tx = 0;
	unsigned i, len;
	uint32_t a, nh;
	int act;

	setup_ports(x);
	rng_seed(7);
	for (i = 0; i < NREGION; i++)
		region[i] = rnd() & 0xdfffffffu; /* below 224/3 */
	for (i = 0; i < 3000; i++) {
		len = rnd_len();
		if (len < 8)
			len += 16; /* leave room for misses */
		a = rnd_addr() & 0xdfffffffu & mask(len);
		nh = 1 + rnd() % 64;
		ck_assert_int_eq(fib_add(f, a, (uint8_t)len, nh), 0);
		ck_assert_int_eq(fwd_xdp_set_route(x, 1, a, (uint8_t)len, nh), 0);
		if (i % 4 == 3) {
			/* and a delete */
			fib_del(f, a, (uint8_t)len);
			ck_assert_int_eq(fwd_xdp_set_route(x, 1, a, (uint8_t)len, 0), 0);
		}
	}
	fwd_xdp_port_counters(x, 0, &c0);
	for (i = 0; i < 3000; i++) {
		a = rnd_addr() & 0xdfffffffu; /* multicast and above punt */
		nh = fib_lookup(f, a);
		act = run_to(x, a);
		if (nh == 0) {
			ck_assert_msg(act == 1, "%08x: no route, action %d", a, act);
			want_miss++;
		} else if (nh % 2) {
			ck_assert_msg(act == 4, "%08x: nh %u, action %d", a, nh, act);
			want_tx++;
		} else {
			ck_assert_msg(act == 1, "%08x: blackhole nh %u, action %d", a, nh, act);
			want_bh++;
		}
	}
	fwd_xdp_port_counters(x, 0, &c1);
	ck_assert_uint_eq(c1.drop[FWD_DROP_NO_ROUTE] - c0.drop[FWD_DROP_NO_ROUTE], want_miss);
	ck_assert_uint_eq(c1.drop[FWD_DROP_BLACKHOLE] - c0.drop[FWD_DROP_BLACKHOLE], want_bh);
	fwd_xdp_port_counters(x, 1, &c1);
	ck_assert_uint_eq(c1.tx_pkts, want_tx);
	ck_assert_uint_gt(want_miss, 0);
	ck_assert_uint_gt(want_bh, 0);
	ck_assert_uint_gt(want_tx, 0);
	fib_free(f);
	fwd_xdp_free(x);
}
END_TEST

static void count_frame(void *arg, uint16_t in_port, const uint8_t *data, uint16_t len)
{
	(void)in_port;
	(void)data;
	(void)len;
	(*(unsigned *)arg)++;
}

/* Out of nodes: ENOSPC, and the VRF goes to the slow path. */
START_TEST(test_full)
{
	struct fwd_xdp *x = new_xdp(3); /* node 0, the root, one child */
	unsigned frames = 0;

	setup_ports(x);
	ck_assert_int_eq(fwd_xdp_set_route(x, 1, 0x0a000000, 8, 1), 0);
	ck_assert_int_eq(fwd_xdp_set_route(x, 1, 0x0a010000, 16, 2), 0);
	ck_assert_uint_eq(fwd_xdp_lpm_nodes_used(x), 3);
	ck_assert_int_eq(run_to(x, 0x0a010203), 1); /* blackhole */
	ck_assert_int_eq(run_to(x, 0x0a020203), 4);
	errno = 0;
	ck_assert_int_eq(fwd_xdp_set_route(x, 1, 0x0a010200, 24, 3), -1);
	ck_assert_int_eq(errno, ENOSPC);
	while (fwd_xdp_slow_poll(x, 64, count_frame, NULL, &frames) > 0)
		;
	frames = 0;
	ck_assert_int_eq(run_to(x, 0x0a020203), 1);
	ck_assert_int_eq(fwd_xdp_slow_poll(x, 64, count_frame, NULL, &frames), 1);
	ck_assert_uint_eq(frames, 1);
	fwd_xdp_free(x);
}
END_TEST

/* ---- the real table ---- */

START_TEST(test_full_table)
{
	const char *file = table_file(), *skip = getenv("PE_SKIP_FULL_TABLE");
	struct fwd_xdp *x;
	struct fib *f;
	struct route *p;
	size_t n = 0, cap = 1 << 20, i, nodes;
	char line[256], cmd[4200];
	double t0, tload;
	FILE *fp;

	if (skip != NULL && skip[0] == '1') {
		printf("full table: skipped (PE_SKIP_FULL_TABLE)\n");
		return;
	}
	ck_assert_msg(access(file, R_OK) == 0, "missing %s (or set PE_SKIP_FULL_TABLE=1)", file);
	ck_assert(strchr(file, '\'') == NULL);
	snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", file);
	fp = popen(cmd, "r");
	ck_assert(fp != NULL);
	p = xcalloc(cap, sizeof(*p));
	while (fgets(line, sizeof(line), fp) != NULL) {
		unsigned b[4], len;

		if (strchr(line, ':') != NULL)
			continue;
		if (sscanf(line, "%u.%u.%u.%u/%u", &b[0], &b[1], &b[2], &b[3], &len) != 5 || len > 32)
			continue;
		if (n == cap) {
			cap *= 2;
			p = xrealloc(p, cap * sizeof(*p));
		}
		p[n].addr = (b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) & mask(len);
		p[n].len = (uint8_t)len;
		p[n].nh = 1 + (uint32_t)(n % 1000);
		n++;
	}
	ck_assert_int_eq(pclose(fp), 0);
	f = fib_new();
	for (i = 0; i < n; i++)
		ck_assert_int_eq(fib_add(f, p[i].addr, p[i].len, p[i].nh), 0);
	x = new_xdp(1 << 17);
	t0 = now_s();
	for (i = 0; i < n; i++)
		ck_assert_int_eq(fwd_xdp_set_route(x, 1, p[i].addr, p[i].len, p[i].nh), 0);
	tload = now_s() - t0;
	nodes = fwd_xdp_lpm_nodes_used(x);
	printf("full table: %zu prefixes, %zu trie nodes (%.1f MiB), loaded in %.2f s\n", n, nodes,
	       (double)nodes * sizeof(struct xf_lpm_node) / (1 << 20), tload);
	rng_seed(99);
	for (i = 0; i < 200000; i++) {
		uint32_t a = rnd(), want = fib_lookup(f, a), got = mirror_lookup(x, 1, a);

		ck_assert_msg(want == got, "%08x: trie %u, FIB %u", a, got, want);
	}
	for (i = 0; i < n; i += 7) {
		uint32_t a = p[i].addr | (~mask(p[i].len) & rnd());

		ck_assert_uint_eq(mirror_lookup(x, 1, a), fib_lookup(f, a));
	}
	fwd_xdp_free(x);
	fib_free(f);
	free(p);
}
END_TEST

static Suite *lpm_suite(void)
{
	Suite *s = suite_create("xdp_lpm");
	TCase *tc = tcase_create("lpm");

	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_program);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_full_table);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	struct fwd_xdp *x;
	char err[256];
	int failed;

	/* BPF is needed for everything here */
	x = fwd_xdp_new(err, sizeof(err));
	if (x == NULL) {
		if (geteuid() == 0) {
			fprintf(stderr, "XDP unusable as root: %s\n", err);
			return EXIT_FAILURE;
		}
		printf("not root: skipped (%s)\n", err);
		return 77;
	}
	fwd_xdp_free(x);
	sr = srunner_create(lpm_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
