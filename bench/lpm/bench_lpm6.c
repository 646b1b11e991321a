#include "config.h"

/*
 * IPv6 LPM benchmark, method B of BENCHMARK-METHODS.md: vrf/fib6.c beside the
 * IPv4 table of vrf/fib.c (the real IPv4 prefixes of the same file, in the
 * same run) and beside a naive IPv6 reference (one open-addressing hash table
 * per prefix length, probed from the longest non-empty length down).
 *
 *   bench_lpm6 -f full-table-prefixes.txt.gz [-n lookups] [-r runs] [-q]
 *              [-c random|table|zipf -C ours6|ours4|naive6]   one pass, for callgrind
 *
 * Keys: IPv6 "random" is uniform over 2000::/3 (uniform 128-bit keys would
 * all end at the direct-pointing level), IPv4 "random" uniform 32-bit as in
 * bench_lpm; "table" a random address inside a random prefix; "zipf" the
 * same with prefixes drawn by a Zipf (s = 1) law. Output is Markdown.
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
#include "vrf/fib.h"
#include "vrf/fib6.h"

/* ------------------------------------------------------------ helpers */

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

static inline uint64_t rdtsc(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
#else
	return (uint64_t)(now() * 1e9);
#endif
}

static double tsc_hz;

static void tsc_calibrate(void)
{
	double t0 = now(), t1;
	uint64_t c0 = rdtsc(), c1;

	do
		t1 = now();
	while (t1 - t0 < 0.2);
	c1 = rdtsc();
	tsc_hz = (double)(c1 - c0) / (t1 - t0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stat3 {
	double med, min, max;
};

static struct stat3 stat_of(const double *in, int n)
{
	double v[16];
	struct stat3 s;

	memcpy(v, in, (size_t)n * sizeof(double));
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	s.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s.min = v[0];
	s.max = v[n - 1];
	return s;
}

static inline uint64_t be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
}

static inline void put_be64(uint8_t *p, uint64_t v)
{
	v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
}

static inline uint64_t mask_hi(unsigned len)
{
	return len == 0 ? 0 : len >= 64 ? ~0ULL : ~0ULL << (64 - len);
}

static inline uint64_t mask_lo(unsigned len)
{
	return len <= 64 ? 0 : len >= 128 ? ~0ULL : ~0ULL << (128 - len);
}

static inline uint32_t mask4(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

/* ------------------------------------------------ naive IPv6 reference */

struct ntab {
	uint64_t *kv; /* hi, lo, value triples; value 0 = empty */
	uint32_t cap, n;
};

struct naive {
	struct ntab t[129];
	uint8_t order[129]; /* non-empty lengths, longest first */
	unsigned norder;
};

static inline uint32_t nslot(uint64_t hi, uint64_t lo, uint32_t cap)
{
	uint64_t h = hi * 0x9e3779b97f4a7c15ULL ^ lo * 0xc2b2ae3d27d4eb4fULL;

	return (uint32_t)(h ^ (h >> 31)) & (cap - 1);
}

static void ntab_put(struct ntab *t, uint64_t hi, uint64_t lo, uint32_t v)
{
	uint32_t j;

	if ((t->n + 1) * 2 > t->cap) {
		struct ntab o = *t;
		uint32_t i;

		t->cap = o.cap ? o.cap * 2 : 16;
		t->kv = xcalloc(3 * (size_t)t->cap, sizeof(uint64_t));
		t->n = 0;
		for (i = 0; i < o.cap; i++)
			if (o.kv[3 * i + 2])
				ntab_put(t, o.kv[3 * i], o.kv[3 * i + 1], (uint32_t)o.kv[3 * i + 2]);
		free(o.kv);
	}
	for (j = nslot(hi, lo, t->cap); t->kv[3 * j + 2] != 0; j = (j + 1) & (t->cap - 1)) {
		if (t->kv[3 * j] == hi && t->kv[3 * j + 1] == lo) {
			t->kv[3 * j + 2] = v;
			return;
		}
	}
	t->kv[3 * j] = hi;
	t->kv[3 * j + 1] = lo;
	t->kv[3 * j + 2] = v;
	t->n++;
}

static bool ntab_del(struct ntab *t, uint64_t hi, uint64_t lo)
{
	uint32_t j, i, h;

	if (t->n == 0)
		return false;
	for (j = nslot(hi, lo, t->cap); t->kv[3 * j + 2] != 0; j = (j + 1) & (t->cap - 1))
		if (t->kv[3 * j] == hi && t->kv[3 * j + 1] == lo)
			break;
	if (t->kv[3 * j + 2] == 0)
		return false;
	t->kv[3 * j + 2] = 0;
	for (i = (j + 1) & (t->cap - 1); t->kv[3 * i + 2] != 0; i = (i + 1) & (t->cap - 1)) {
		h = nslot(t->kv[3 * i], t->kv[3 * i + 1], t->cap);
		if ((j < i) ? (h <= j || h > i) : (h <= j && h > i)) {
			memcpy(&t->kv[3 * j], &t->kv[3 * i], 3 * sizeof(uint64_t));
			t->kv[3 * i + 2] = 0;
			j = i;
		}
	}
	t->n--;
	return true;
}

static void naive_order(struct naive *nv)
{
	int l;

	nv->norder = 0;
	for (l = 128; l >= 0; l--)
		if (nv->t[l].n)
			nv->order[nv->norder++] = (uint8_t)l;
}

static void naive_add(struct naive *nv, const uint8_t *a, unsigned len, uint32_t nh)
{
	bool fresh = nv->t[len].n == 0;

	ntab_put(&nv->t[len], be64(a) & mask_hi(len), be64(a + 8) & mask_lo(len), nh);
	if (fresh)
		naive_order(nv);
}

static void naive_del(struct naive *nv, const uint8_t *a, unsigned len)
{
	if (ntab_del(&nv->t[len], be64(a) & mask_hi(len), be64(a + 8) & mask_lo(len)) && nv->t[len].n == 0)
		naive_order(nv);
}

static inline uint32_t naive_lookup(const struct naive *nv, uint64_t hi, uint64_t lo)
{
	unsigned i;

	for (i = 0; i < nv->norder; i++) {
		unsigned l = nv->order[i];
		const struct ntab *t = &nv->t[l];
		uint64_t kh = hi & mask_hi(l), kl = lo & mask_lo(l);
		uint32_t j;

		for (j = nslot(kh, kl, t->cap); t->kv[3 * j + 2] != 0; j = (j + 1) & (t->cap - 1))
			if (t->kv[3 * j] == kh && t->kv[3 * j + 1] == kl)
				return (uint32_t)t->kv[3 * j + 2];
	}
	return 0;
}

static __attribute__((noinline)) void naive_lookup_bulk(const struct naive *nv, const uint8_t *a, uint32_t *nh,
							 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		nh[i] = naive_lookup(nv, be64(a + 16 * i), be64(a + 16 * i + 8));
}

static size_t naive_memory(const struct naive *nv)
{
	size_t m = sizeof(*nv);
	unsigned l;

	for (l = 0; l <= 128; l++)
		m += 3 * sizeof(uint64_t) * (size_t)nv->t[l].cap;
	return m;
}

static void naive_free(struct naive *nv)
{
	unsigned l;

	for (l = 0; l <= 128; l++)
		free(nv->t[l].kv);
	memset(nv, 0, sizeof(*nv));
}

/* ----------------------------------------------------------------- keys */

enum keykind { K_RANDOM, K_TABLE, K_ZIPF, K_NKINDS };
static const char *const keyname[K_NKINDS] = { "random", "table", "zipf" };

/* Prefix indices for the table and Zipf kinds. */
static void pick_prefixes(size_t np, enum keykind kind, size_t *idx, size_t n)
{
	size_t i;

	if (kind == K_TABLE) {
		for (i = 0; i < n; i++)
			idx[i] = rnd64() % np;
	} else {
		/* Zipf (s = 1) over the prefixes in a random order */
		double *cdf = xcalloc(np, sizeof(double)), sum = 0;
		size_t *perm = xcalloc(np, sizeof(size_t));

		for (i = 0; i < np; i++) {
			sum += 1.0 / (double)(i + 1);
			cdf[i] = sum;
			perm[i] = i;
		}
		for (i = np - 1; i > 0; i--) {
			size_t j = rnd64() % (i + 1), x = perm[i];

			perm[i] = perm[j];
			perm[j] = x;
		}
		for (i = 0; i < n; i++) {
			double u = (double)(rnd64() >> 11) * 0x1p-53 * sum;
			size_t lo = 0, hi = np - 1;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (cdf[mid] < u)
					lo = mid + 1;
				else
					hi = mid;
			}
			idx[i] = perm[lo];
		}
		free(cdf);
		free(perm);
	}
}

/* IPv6 keys, 16 bytes each. Depend only on the table, the kind and n. */
static void make_keys6(const struct bench_table6 *t, enum keykind kind, uint8_t *keys, size_t n)
{
	uint64_t saved = rng_state;
	size_t i, *idx = NULL;

	rng_state = 0x6000 + (uint64_t)kind;
	if (kind != K_RANDOM) {
		idx = xcalloc(n, sizeof(size_t));
		pick_prefixes(t->n, kind, idx, n);
	}
	for (i = 0; i < n; i++) {
		uint64_t hi = rnd64(), lo = rnd64();

		if (kind == K_RANDOM) {
			hi = (hi >> 3) | 1ULL << 61; /* 2000::/3 */
		} else {
			const uint8_t *a = t->addr + 16 * idx[i];
			unsigned len = t->len[idx[i]];

			hi = be64(a) | (hi & ~mask_hi(len));
			lo = be64(a + 8) | (lo & ~mask_lo(len));
		}
		put_be64(keys + 16 * i, hi);
		put_be64(keys + 16 * i + 8, lo);
	}
	free(idx);
	rng_state = saved;
}

static void make_keys4(const struct bench_table *t, enum keykind kind, uint32_t *keys, size_t n)
{
	uint64_t saved = rng_state;
	size_t i, *idx = NULL;

	rng_state = 0x4000 + (uint64_t)kind;
	if (kind != K_RANDOM) {
		idx = xcalloc(n, sizeof(size_t));
		pick_prefixes(t->n, kind, idx, n);
	}
	for (i = 0; i < n; i++) {
		uint32_t r = (uint32_t)(rnd64() >> 32);

		keys[i] = kind == K_RANDOM ? r : t->addr[idx[i]] | (r & ~mask4(t->len[idx[i]]));
	}
	free(idx);
	rng_state = saved;
}

/* ------------------------------------------------------ measurements */

static int runs = 5;
static size_t nkeys = 10000000;
static volatile uint32_t zero_mask; /* 0, unknown to the compiler */
static uint32_t sink;

static double tp6(const struct fib6 *f, const uint8_t *keys, uint32_t *out, size_t n)
{
	double t0 = now(), t1;

	fib6_lookup_bulk(f, keys, out, n);
	t1 = now();
	sink += out[n / 2];
	return (double)n / (t1 - t0);
}

static double tp4(const struct fib *f, const uint32_t *keys, uint32_t *out, size_t n)
{
	double t0 = now(), t1;

	fib_lookup_bulk(f, keys, out, n);
	t1 = now();
	sink += out[n / 2];
	return (double)n / (t1 - t0);
}

static double tp_naive(const struct naive *nv, const uint8_t *keys, uint32_t *out, size_t n)
{
	double t0 = now(), t1;

	naive_lookup_bulk(nv, keys, out, n);
	t1 = now();
	sink += out[n / 2];
	return (double)n / (t1 - t0);
}

/* Dependent chains: the next key depends on the previous result. Lookups/s. */
static double lat6(const struct fib6 *f, const uint8_t *keys, size_t n)
{
	uint32_t m = zero_mask, nh = 0;
	uint8_t k[16];
	double t0 = now(), t1;
	size_t i;

	for (i = 0; i < n; i++) {
		memcpy(k, keys + 16 * i, 16);
		k[15] ^= (uint8_t)(nh & m);
		nh = fib6_lookup(f, k);
	}
	t1 = now();
	sink += nh;
	return (double)n / (t1 - t0);
}

static double lat4(const struct fib *f, const uint32_t *keys, size_t n)
{
	uint32_t m = zero_mask, nh = 0;
	double t0 = now(), t1;
	size_t i;

	for (i = 0; i < n; i++)
		nh = fib_lookup(f, keys[i] ^ (nh & m));
	t1 = now();
	sink += nh;
	return (double)n / (t1 - t0);
}

static double lat_naive(const struct naive *nv, const uint8_t *keys, size_t n)
{
	uint32_t m = zero_mask, nh = 0;
	double t0 = now(), t1;
	size_t i;

	for (i = 0; i < n; i++)
		nh = naive_lookup(nv, be64(keys + 16 * i), be64(keys + 16 * i + 8) ^ (nh & m));
	t1 = now();
	sink += nh;
	return (double)n / (t1 - t0);
}

static void print_rate(const char *what, const double *v)
{
	struct stat3 s = stat_of(v, runs);

	printf("| %s | %.1f | %.1f - %.1f | %.1f |\n", what, s.med / 1e6, s.min / 1e6, s.max / 1e6, tsc_hz / s.med);
}

static uint32_t *nh_array(size_t n, unsigned nhmod)
{
	uint32_t *nh = xcalloc(n ? n : 1, sizeof(uint32_t));
	size_t i;

	for (i = 0; i < n; i++)
		nh[i] = 1 + (uint32_t)(i % nhmod);
	return nh;
}

static struct fib6 *build6(const struct bench_table6 *t, unsigned nhmod)
{
	uint32_t *nh = nh_array(t->n, nhmod);
	struct fib6 *f = fib6_new();

	if (fib6_build(f, t->addr, t->len, nh, t->n) != 0)
		fatalx("fib6_build failed");
	free(nh);
	return f;
}

static struct fib *build4(const struct bench_table *t, unsigned nhmod)
{
	uint32_t *nh = nh_array(t->n, nhmod);
	struct fib *f = fib_new();

	if (fib_build(f, t->addr, t->len, nh, t->n) != 0)
		fatalx("fib_build failed");
	free(nh);
	return f;
}

static void build_naive(struct naive *nv, const struct bench_table6 *t, unsigned nhmod)
{
	size_t i;

	memset(nv, 0, sizeof(*nv));
	for (i = 0; i < t->n; i++)
		naive_add(nv, t->addr + 16 * i, t->len[i], 1 + (uint32_t)(i % nhmod));
}

/* Build times and memory of the three structures. */
static void bench_build(const struct bench_table6 *t6, const struct bench_table *t4, unsigned nhmod,
			struct fib6 **f6, struct fib **f4, struct naive *nv)
{
	double v6[16], v4[16], vn;
	struct fib_stats s6, s4;
	struct stat3 b6, b4;
	int r;

	for (r = 0; r < runs; r++) {
		double t0 = now();

		*f6 = build6(t6, nhmod);
		v6[r] = now() - t0;
		t0 = now();
		*f4 = build4(t4, nhmod);
		v4[r] = now() - t0;
		if (r < runs - 1) {
			fib6_free(*f6);
			fib_free(*f4);
		}
	}
	vn = now();
	build_naive(nv, t6, nhmod);
	vn = now() - vn;
	fib6_stats(*f6, &s6);
	fib_stats(*f4, &s4);
	b6 = stat_of(v6, runs);
	b4 = stat_of(v4, runs);
	printf("| metric | IPv6 ours (fib6) | IPv6 naive | IPv4 ours (fib) |\n|---|---|---|---|\n");
	printf("| prefixes | %zu | %zu | %zu |\n", t6->n, t6->n, t4->n);
	printf("| build from the list, s (median, range of %d) | %.4f (%.4f - %.4f) | %.4f (1 run) | "
	       "%.4f (%.4f - %.4f) |\n",
	       runs, b6.med, b6.min, b6.max, vn, b4.med, b4.min, b4.max);
	printf("| memory, bytes | %zu | %zu | %zu |\n", s6.mem_total, naive_memory(nv), s4.mem_total);
	printf("| bytes/prefix, everything | %.2f | %.2f | %.2f |\n", (double)s6.mem_total / (double)t6->n,
	       (double)naive_memory(nv) / (double)t6->n, (double)s4.mem_total / (double)t4->n);
	printf("| bytes/prefix, lookup structure only | %.2f | - | %.2f |\n", (double)s6.mem_lookup / (double)t6->n,
	       (double)s4.mem_lookup / (double)t4->n);
	printf("| bytes/prefix, the prefixes (IPv6: in the blocks; IPv4: control trie) | %.2f | - | %.2f |\n",
	       (double)s6.mem_control / (double)t6->n, (double)s4.mem_control / (double)t4->n);
	printf("| direct-pointing bits, nodes, leaves, blocks | %u, %zu, %zu, %zu | - | %u, %zu, %zu, %zu |\n",
	       s6.direct_bits, s6.nodes, s6.leaves, s6.blocks, s4.direct_bits, s4.nodes, s4.leaves, s4.blocks);
}

static void bench_lookups(const struct bench_table6 *t6, const struct bench_table *t4, const struct fib6 *f6,
			  const struct fib *f4, const struct naive *nv)
{
	uint8_t *k6 = xcalloc(nkeys, 16);
	uint32_t *k4 = xcalloc(nkeys, sizeof(uint32_t)), *o6 = xcalloc(nkeys, sizeof(uint32_t));
	uint32_t *o4 = xcalloc(nkeys, sizeof(uint32_t)), *on = xcalloc(nkeys, sizeof(uint32_t));
	size_t nn = nkeys / 8, i;
	double v[5][16];
	int r, k;

	printf("\nLookups, %zu keys per run (naive: %zu), %d runs, IPv6 ours, IPv4 ours and IPv6 naive "
	       "alternating: median M lookups/s (range), TSC cycles/lookup at the median.\n\n",
	       nkeys, nn, runs);
	printf("| keys, mode | median | range | cycles |\n|---|---|---|---|\n");
	for (k = 0; k < K_NKINDS; k++) {
		char what[96];
		struct stat3 a, b;

		make_keys6(t6, (enum keykind)k, k6, nkeys);
		make_keys4(t4, (enum keykind)k, k4, nkeys);
		for (r = 0; r < runs; r++) {
			v[0][r] = tp6(f6, k6, o6, nkeys);
			v[1][r] = tp4(f4, k4, o4, nkeys);
			v[2][r] = tp_naive(nv, k6, on, nn);
		}
		for (i = 0; i < nn; i++)
			if (o6[i] != on[i])
				fatalx("mismatch at IPv6 key %zu: ours %u, naive %u", i, o6[i], on[i]);
		for (r = 0; r < runs; r++) {
			v[3][r] = lat6(f6, k6, nkeys);
			v[4][r] = lat4(f4, k4, nkeys);
		}
		snprintf(what, sizeof(what), "%s, batched, IPv6 ours", keyname[k]);
		print_rate(what, v[0]);
		snprintf(what, sizeof(what), "%s, batched, IPv4 ours", keyname[k]);
		print_rate(what, v[1]);
		snprintf(what, sizeof(what), "%s, batched, IPv6 naive", keyname[k]);
		print_rate(what, v[2]);
		a = stat_of(v[0], runs);
		b = stat_of(v[1], runs);
		printf("| %s, batched, IPv6/IPv4 time per lookup | %.2fx | | |\n", keyname[k], b.med / a.med);
		printf("| %s, batched, IPv6 ours/naive | %.1fx | | |\n", keyname[k],
		       a.med / stat_of(v[2], runs).med);
		snprintf(what, sizeof(what), "%s, dependent, IPv6 ours", keyname[k]);
		print_rate(what, v[3]);
		snprintf(what, sizeof(what), "%s, dependent, IPv4 ours", keyname[k]);
		print_rate(what, v[4]);
		printf("| %s, dependent, IPv6/IPv4 time per lookup | %.2fx | | |\n", keyname[k],
		       stat_of(v[4], runs).med / stat_of(v[3], runs).med);
		for (r = 0; r < runs; r++)
			v[2][r] = lat_naive(nv, k6, nn);
		snprintf(what, sizeof(what), "%s, dependent, IPv6 naive", keyname[k]);
		print_rate(what, v[2]);
	}
	free(k6);
	free(k4);
	free(o6);
	free(o4);
	free(on);
}

/* The table added one by one in random order, churn at full size (del + add
 * of one prefix), then everything deleted; ours and naive. */
static void bench_updates(const struct bench_table6 *t, unsigned nhmod)
{
	size_t *perm = xcalloc(t->n, sizeof(size_t)), nch = t->n / 10, i;
	struct fib6 *g = fib6_new();
	struct naive nv;
	double ta, tc, td, na, nc, nd;

	memset(&nv, 0, sizeof(nv));
	for (i = 0; i < t->n; i++)
		perm[i] = i;
	for (i = t->n - 1; i > 0; i--) {
		size_t j = rnd64() % (i + 1), x = perm[i];

		perm[i] = perm[j];
		perm[j] = x;
	}
	ta = now();
	for (i = 0; i < t->n; i++)
		fib6_add(g, t->addr + 16 * perm[i], t->len[perm[i]], 1 + (uint32_t)(perm[i] % nhmod));
	ta = now() - ta;
	tc = now();
	for (i = 0; i < nch; i++) {
		size_t p = perm[rnd64() % t->n];

		fib6_del(g, t->addr + 16 * p, t->len[p]);
		fib6_add(g, t->addr + 16 * p, t->len[p], 1 + (uint32_t)((p + 7) % nhmod));
	}
	tc = now() - tc;
	td = now();
	for (i = 0; i < t->n; i++)
		fib6_del(g, t->addr + 16 * perm[i], t->len[perm[i]]);
	td = now() - td;
	na = now();
	for (i = 0; i < t->n; i++)
		naive_add(&nv, t->addr + 16 * perm[i], t->len[perm[i]], 1 + (uint32_t)(perm[i] % nhmod));
	na = now() - na;
	nc = now();
	for (i = 0; i < nch; i++) {
		size_t p = perm[rnd64() % t->n];

		naive_del(&nv, t->addr + 16 * p, t->len[p]);
		naive_add(&nv, t->addr + 16 * p, t->len[p], 1 + (uint32_t)((p + 7) % nhmod));
	}
	nc = now() - nc;
	nd = now();
	for (i = 0; i < t->n; i++)
		naive_del(&nv, t->addr + 16 * perm[i], t->len[perm[i]]);
	nd = now() - nd;
	printf("\nIncremental updates, IPv6 (random order, 1 run):\n\n| operation | ours | naive |\n|---|---|---|\n");
	printf("| fib6_add of the whole table into an empty VRF, adds/s | %.0f | %.0f |\n", (double)t->n / ta,
	       (double)t->n / na);
	printf("| churn at full size (del + add of one prefix), pairs/s | %.0f | %.0f |\n", (double)nch / tc,
	       (double)nch / nc);
	printf("| fib6_del of the whole table, dels/s | %.0f | %.0f |\n", (double)t->n / td, (double)t->n / nd);
	printf("| memory after deleting everything, bytes | %zu | - |\n", fib6_memory(g));
	fib6_free(g);
	naive_free(&nv);
	free(perm);
}

static void bench_empty(void)
{
	enum { NE = 10000 };
	struct fib6 **f = xcalloc(NE, sizeof(*f));
	struct fib *g = fib_new();
	size_t i, m = 0;

	for (i = 0; i < NE; i++) {
		f[i] = fib6_new();
		m += fib6_memory(f[i]);
	}
	printf("\nEmpty VRF: fib6_memory() = %zu bytes (average over %d empty VRFs: %.0f); IPv4 fib_memory() = "
	       "%zu bytes\n",
	       fib6_memory(f[0]), NE, (double)m / NE, fib_memory(g));
	for (i = 0; i < NE; i++)
		fib6_free(f[i]);
	fib_free(g);
	free(f);
}

/* One pass of nkeys lookups, for callgrind --toggle-collect. */
static void one_pass(const struct bench_table6 *t6, const struct bench_table *t4, const char *kind,
		     const char *impl)
{
	uint32_t *out = xcalloc(nkeys, sizeof(uint32_t));
	int k;

	for (k = 0; k < K_NKINDS; k++)
		if (strcmp(kind, keyname[k]) == 0)
			break;
	if (k == K_NKINDS)
		fatalx("unknown key kind %s", kind);
	if (strcmp(impl, "ours4") == 0) {
		uint32_t *keys = xcalloc(nkeys, sizeof(uint32_t));
		struct fib *f = build4(t4, 1000);

		make_keys4(t4, (enum keykind)k, keys, nkeys);
		fib_lookup_bulk(f, keys, out, nkeys);
		fib_free(f);
		free(keys);
	} else {
		uint8_t *keys = xcalloc(nkeys, 16);

		make_keys6(t6, (enum keykind)k, keys, nkeys);
		if (strcmp(impl, "naive6") == 0) {
			struct naive nv;

			build_naive(&nv, t6, 1000);
			naive_lookup_bulk(&nv, keys, out, nkeys);
			naive_free(&nv);
		} else if (strcmp(impl, "ours6") == 0) {
			struct fib6 *f = build6(t6, 1000);

			fib6_lookup_bulk(f, keys, out, nkeys);
			fib6_free(f);
		} else {
			fatalx("unknown implementation %s", impl);
		}
		free(keys);
	}
	printf("%u\n", out[0] + out[nkeys - 1]);
	free(out);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_lpm6 -f table.txt.gz [-n lookups] [-r runs] [-q] "
			"[-c random|table|zipf -C ours6|ours4|naive6]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *file = NULL, *cg_kind = NULL, *cg_impl = "ours6";
	struct bench_table6 t6;
	struct bench_table t4;
	struct fib6 *f6 = NULL;
	struct fib *f4 = NULL;
	struct naive nv;
	bool quick = false;
	int c;

	while ((c = getopt(argc, argv, "f:n:r:qc:C:")) != -1) {
		switch (c) {
		case 'f':
			file = optarg;
			break;
		case 'n':
			nkeys = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'q':
			quick = true;
			break;
		case 'c':
			cg_kind = optarg;
			break;
		case 'C':
			cg_impl = optarg;
			break;
		default:
			usage();
		}
	}
	if (file == NULL || runs < 1 || runs > 16 || nkeys < 16)
		usage();
	bench_table6_load(file, &t6);
	bench_table_load(file, &t4);
	if (cg_kind != NULL) {
		one_pass(&t6, &t4, cg_kind, cg_impl);
		return 0;
	}
	tsc_calibrate();
	printf("TSC %.3f GHz; %zu IPv6 and %zu IPv4 prefixes from %s\n", tsc_hz / 1e9, t6.n, t4.n, file);
	printf("\n### Full tables, next hops round-robin over 16\n\n");
	bench_build(&t6, &t4, 16, &f6, &f4, &nv);
	bench_lookups(&t6, &t4, f6, f4, &nv);
	fib6_free(f6);
	fib_free(f4);
	naive_free(&nv);
	if (!quick)
		bench_updates(&t6, 16);
	bench_empty();
	bench_table6_free(&t6);
	bench_table_free(&t4);
	return sink == 0x12345678 ? 1 : 0;
}
