#include "config.h"

/*
 * LPM benchmark, method B of BENCHMARK-METHODS.md: vrf/fib.c beside a naive
 * reference (one open-addressing hash table per prefix length, probed from
 * the longest non-empty length down) in the same run, on the real IPv4 table.
 *
 *   bench_lpm -f full-table-prefixes.txt.gz [-n lookups] [-r runs] [-q]
 *             [-w dir]                  write routes/keys for dpdk-test-fib
 *             [-c random|table|zipf] [-C ours|naive]   one pass, for callgrind
 *             [-p random|table|zipf] [-N 16|1000]      one DPDK-style pass
 *
 * Output is Markdown, pasted into bench/results/.
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

/* ------------------------------------------------------------ helpers */

static uint64_t rng_state = 0x853c49e6748fea9bULL;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd32(void)
{
	return (uint32_t)(rnd64() >> 32);
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

static uint32_t mask(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stat3 {
	double med, min, max;
};

static struct stat3 stat_of(double *v, int n)
{
	struct stat3 s;

	qsort(v, (size_t)n, sizeof(double), cmp_double);
	s.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s.min = v[0];
	s.max = v[n - 1];
	return s;
}

/* ------------------------------------------------------------ the table */


/* ------------------------------------------------- naive reference LPM */

struct ntab {
	uint32_t *kv; /* key, value pairs; value 0 = empty */
	uint32_t cap, n;
};

struct naive {
	struct ntab t[33];
	uint8_t order[33]; /* non-empty lengths, longest first */
	unsigned norder;
};

static inline uint32_t nslot(uint32_t k, uint32_t cap)
{
	return ((k * 0x9e3779b1u) ^ (k >> 13)) & (cap - 1);
}

static void ntab_put(struct ntab *t, uint32_t k, uint32_t v)
{
	uint32_t j;

	if ((t->n + 1) * 2 > t->cap) {
		struct ntab o = *t;
		uint32_t i;

		t->cap = o.cap ? o.cap * 2 : 16;
		t->kv = xcalloc(2 * (size_t)t->cap, sizeof(uint32_t));
		t->n = 0;
		for (i = 0; i < o.cap; i++)
			if (o.kv[2 * i + 1])
				ntab_put(t, o.kv[2 * i], o.kv[2 * i + 1]);
		free(o.kv);
	}
	for (j = nslot(k, t->cap); t->kv[2 * j + 1] != 0; j = (j + 1) & (t->cap - 1)) {
		if (t->kv[2 * j] == k) {
			t->kv[2 * j + 1] = v;
			return;
		}
	}
	t->kv[2 * j] = k;
	t->kv[2 * j + 1] = v;
	t->n++;
}

static bool ntab_del(struct ntab *t, uint32_t k)
{
	uint32_t j, i, h;

	if (t->n == 0)
		return false;
	for (j = nslot(k, t->cap); t->kv[2 * j + 1] != 0; j = (j + 1) & (t->cap - 1))
		if (t->kv[2 * j] == k)
			break;
	if (t->kv[2 * j + 1] == 0)
		return false;
	t->kv[2 * j + 1] = 0;
	for (i = (j + 1) & (t->cap - 1); t->kv[2 * i + 1] != 0; i = (i + 1) & (t->cap - 1)) {
		h = nslot(t->kv[2 * i], t->cap);
		if ((j < i) ? (h <= j || h > i) : (h <= j && h > i)) {
			t->kv[2 * j] = t->kv[2 * i];
			t->kv[2 * j + 1] = t->kv[2 * i + 1];
			t->kv[2 * i + 1] = 0;
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
	for (l = 32; l >= 0; l--)
		if (nv->t[l].n)
			nv->order[nv->norder++] = (uint8_t)l;
}

static void naive_add(struct naive *nv, uint32_t a, unsigned len, uint32_t nh)
{
	bool fresh = nv->t[len].n == 0;

	ntab_put(&nv->t[len], a & mask(len), nh);
	if (fresh)
		naive_order(nv);
}

static void naive_del(struct naive *nv, uint32_t a, unsigned len)
{
	if (ntab_del(&nv->t[len], a & mask(len)) && nv->t[len].n == 0)
		naive_order(nv);
}

static inline uint32_t naive_lookup(const struct naive *nv, uint32_t a)
{
	unsigned i;

	for (i = 0; i < nv->norder; i++) {
		unsigned l = nv->order[i];
		const struct ntab *t = &nv->t[l];
		uint32_t k = a & mask(l), j;

		for (j = nslot(k, t->cap); t->kv[2 * j + 1] != 0; j = (j + 1) & (t->cap - 1))
			if (t->kv[2 * j] == k)
				return t->kv[2 * j + 1];
	}
	return 0;
}

static __attribute__((noinline)) void naive_lookup_bulk(const struct naive *nv, const uint32_t *a, uint32_t *nh,
							 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		nh[i] = naive_lookup(nv, a[i]);
}

static size_t naive_memory(const struct naive *nv)
{
	size_t m = sizeof(*nv);
	unsigned l;

	for (l = 0; l <= 32; l++)
		m += 2 * sizeof(uint32_t) * (size_t)nv->t[l].cap;
	return m;
}

static void naive_free(struct naive *nv)
{
	unsigned l;

	for (l = 0; l <= 32; l++)
		free(nv->t[l].kv);
	memset(nv, 0, sizeof(*nv));
}

/* ----------------------------------------------------------------- keys */

enum keykind { K_RANDOM, K_TABLE, K_ZIPF, K_NKINDS };
static const char *const keyname[K_NKINDS] = { "random", "table", "zipf" };

/* A random address inside prefix i. */
static uint32_t in_prefix(const struct bench_table *t, size_t i)
{
	return t->addr[i] | (rnd32() & ~mask(t->len[i]));
}

/* Keys depend only on the table, the kind and n: the files written for
 * dpdk-test-fib hold the very keys the main run uses. */
static void make_keys(const struct bench_table *t, enum keykind kind, uint32_t *keys, size_t n)
{
	uint64_t saved = rng_state;
	size_t i;

	rng_state = 0x1000 + (uint64_t)kind;

	if (kind == K_RANDOM) {
		for (i = 0; i < n; i++)
			keys[i] = rnd32();
	} else if (kind == K_TABLE) {
		for (i = 0; i < n; i++)
			keys[i] = in_prefix(t, rnd64() % t->n);
	} else {
		/* Zipf (s = 1) over the prefixes in a random order: a few
		 * destinations take most of the traffic, as on a real link. */
		double *cdf = xcalloc(t->n, sizeof(double)), sum = 0;
		size_t *perm = xcalloc(t->n, sizeof(size_t));

		for (i = 0; i < t->n; i++) {
			sum += 1.0 / (double)(i + 1);
			cdf[i] = sum;
			perm[i] = i;
		}
		for (i = t->n - 1; i > 0; i--) {
			size_t j = rnd64() % (i + 1), x = perm[i];

			perm[i] = perm[j];
			perm[j] = x;
		}
		for (i = 0; i < n; i++) {
			double u = (double)(rnd64() >> 11) * 0x1p-53 * sum;
			size_t lo = 0, hi = t->n - 1;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (cdf[mid] < u)
					lo = mid + 1;
				else
					hi = mid;
			}
			keys[i] = in_prefix(t, perm[lo]);
		}
		free(cdf);
		free(perm);
	}
	rng_state = saved;
}

/* ------------------------------------------------------ measurements */

static int runs = 5;
static size_t nkeys = 10000000;
static volatile uint32_t zero_mask; /* 0, unknown to the compiler */

static uint32_t sink;

/* Batched throughput: lookups/s over keys[0..n). */
static double tp_ours(const struct fib *f, const uint32_t *keys, uint32_t *out, size_t n)
{
	double t0 = now(), t1;

	fib_lookup_bulk(f, keys, out, n);
	t1 = now();
	sink += out[n / 2];
	return (double)n / (t1 - t0);
}

static double tp_naive(const struct naive *nv, const uint32_t *keys, uint32_t *out, size_t n)
{
	double t0 = now(), t1;

	naive_lookup_bulk(nv, keys, out, n);
	t1 = now();
	sink += out[n / 2];
	return (double)n / (t1 - t0);
}

/* As dpdk-test-fib measures: bursts of 64 keys, each timed with a
 * serialised TSC read; cycles/lookup. */
static inline uint64_t rdtsc_precise(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return rdtsc();
}

static double dpdkstyle_ours(const struct fib *f, const uint32_t *keys, uint32_t *out, size_t n)
{
	uint64_t acc = 0, t0;
	size_t i;

	for (i = 0; i + 64 <= n; i += 64) {
		t0 = rdtsc_precise();
		fib_lookup_bulk(f, keys + i, out + i, 64);
		acc += rdtsc_precise() - t0;
	}
	sink += out[n / 2];
	return (double)acc / (double)i;
}

/* Dependent chain: the next key depends on the previous result. ns/lookup. */
static double lat_ours(const struct fib *f, const uint32_t *keys, size_t n)
{
	uint32_t m = zero_mask, nh = 0;
	double t0 = now(), t1;
	size_t i;

	for (i = 0; i < n; i++)
		nh = fib_lookup(f, keys[i] ^ (nh & m));
	t1 = now();
	sink += nh;
	return (t1 - t0) * 1e9 / (double)n;
}

static double lat_naive(const struct naive *nv, const uint32_t *keys, size_t n)
{
	uint32_t m = zero_mask, nh = 0;
	double t0 = now(), t1;
	size_t i;

	for (i = 0; i < n; i++)
		nh = naive_lookup(nv, keys[i] ^ (nh & m));
	t1 = now();
	sink += nh;
	return (t1 - t0) * 1e9 / (double)n;
}

static void print_rate(const char *what, double *v)
{
	struct stat3 s = stat_of(v, runs);

	printf("| %s | %.1f | %.1f - %.1f | %.1f |\n", what, s.med / 1e6, s.min / 1e6, s.max / 1e6,
	       tsc_hz / s.med);
}

static void print_lat(const char *what, double *v)
{
	struct stat3 s = stat_of(v, runs);

	printf("| %s | %.2f | %.2f - %.2f | %.1f |\n", what, s.med, s.min, s.max, s.med * 1e-9 * tsc_hz);
}

static struct fib *build_ours(const struct bench_table *t, size_t lo, size_t hi, unsigned nhmod)
{
	size_t n = hi - lo, i;
	uint32_t *nh = xcalloc(n ? n : 1, sizeof(uint32_t));
	struct fib *f = fib_new();

	for (i = 0; i < n; i++)
		nh[i] = 1 + (uint32_t)((lo + i) % nhmod);
	if (fib_build(f, t->addr + lo, t->len + lo, nh, n) != 0)
		fatalx("fib_build failed");
	free(nh);
	return f;
}

static void build_naive(struct naive *nv, const struct bench_table *t, size_t lo, size_t hi, unsigned nhmod)
{
	size_t i;

	memset(nv, 0, sizeof(*nv));
	for (i = lo; i < hi; i++)
		naive_add(nv, t->addr[i], t->len[i], 1 + (uint32_t)(i % nhmod));
}

/* Full table: lookups, memory, build and update rates. */
static void bench_full(const struct bench_table *t, unsigned nhmod, bool quick)
{
	uint32_t *keys = xcalloc(nkeys, sizeof(uint32_t)), *out = xcalloc(nkeys, sizeof(uint32_t));
	uint32_t *out2 = xcalloc(nkeys, sizeof(uint32_t));
	double v[3][16];
	struct fib_stats st;
	struct naive nv;
	struct fib *f = NULL;
	int r, k;
	size_t i;

	printf("\n### Full table, %zu prefixes, next hops round-robin over %u\n\n", t->n, nhmod);

	for (r = 0; r < runs; r++) {
		double t0 = now();

		f = build_ours(t, 0, t->n, nhmod);
		v[0][r] = now() - t0;
		if (r < runs - 1)
			fib_free(f);
	}
	{
		double t0 = now();

		build_naive(&nv, t, 0, t->n, nhmod);
		v[1][0] = now() - t0;
	}
	fib_stats(f, &st);
	{
		struct stat3 b = stat_of(v[0], runs);

		printf("| metric | ours | naive |\n|---|---|---|\n");
		printf("| build from the list, s (median, range of %d) | %.3f (%.3f - %.3f) | %.3f (1 run) |\n",
		       runs, b.med, b.min, b.max, v[1][0]);
	}
	printf("| memory, bytes | %zu | %zu |\n", st.mem_total, naive_memory(&nv));
	printf("| bytes/prefix, everything | %.2f | %.2f |\n", (double)st.mem_total / (double)t->n,
	       (double)naive_memory(&nv) / (double)t->n);
	printf("| bytes/prefix, lookup structure only | %.2f | - |\n", (double)st.mem_lookup / (double)t->n);
	printf("| bytes/prefix, control trie | %.2f | - |\n", (double)st.mem_control / (double)t->n);
	printf("| direct-pointing bits, nodes, leaves, blocks, control nodes | %u, %zu, %zu, %zu, %zu | - |\n",
	       st.direct_bits, st.nodes, st.leaves, st.blocks, st.cnodes);

	printf("\nLookups, %zu keys per run, %d runs: median M lookups/s (range), TSC cycles/lookup at "
	       "the median; dependent chain in ns/lookup.\n\n",
	       nkeys, runs);
	printf("| keys, mode | median | range | cycles |\n|---|---|---|---|\n");
	for (k = 0; k < K_NKINDS; k++) {
		char what[64];

		make_keys(t, (enum keykind)k, keys, nkeys);
		/* alternate ours and naive */
		for (r = 0; r < runs; r++) {
			v[0][r] = tp_ours(f, keys, out, nkeys);
			v[1][r] = tp_naive(&nv, keys, out2, nkeys);
		}
		for (i = 0; i < nkeys; i++)
			if (out[i] != out2[i])
				fatalx("mismatch at key %08x: ours %u, naive %u", keys[i], out[i], out2[i]);
		snprintf(what, sizeof(what), "%s, batched, ours", keyname[k]);
		print_rate(what, v[0]);
		snprintf(what, sizeof(what), "%s, batched, naive", keyname[k]);
		print_rate(what, v[1]);
		printf("| %s, batched, ours/naive | %.2fx | | |\n", keyname[k],
		       stat_of(v[0], runs).med / stat_of(v[1], runs).med);
		for (r = 0; r < runs; r++) {
			v[0][r] = lat_ours(f, keys, nkeys);
			v[1][r] = lat_naive(&nv, keys, nkeys / 4);
		}
		for (r = 0; r < runs; r++)
			v[2][r] = dpdkstyle_ours(f, keys, out, nkeys);
		{
			struct stat3 d = stat_of(v[2], runs);

			printf("| %s, bursts of 64 timed as dpdk-test-fib does, ours | %.1f | %.1f - %.1f | %.1f |\n",
			       keyname[k], tsc_hz / d.med / 1e6, tsc_hz / d.max / 1e6, tsc_hz / d.min / 1e6, d.med);
		}
		snprintf(what, sizeof(what), "%s, dependent, ours (ns)", keyname[k]);
		print_lat(what, v[0]);
		snprintf(what, sizeof(what), "%s, dependent, naive (ns)", keyname[k]);
		print_lat(what, v[1]);
	}

	if (!quick) {
		/* Incremental updates: the table added one by one in random
		 * order, churn at full size, then everything deleted. */
		size_t *perm = xcalloc(t->n, sizeof(size_t)), nch = t->n / 10;
		struct fib *g = fib_new();
		struct naive nv2;
		double ta, tc, td, na, nc, nd;

		memset(&nv2, 0, sizeof(nv2));
		for (i = 0; i < t->n; i++)
			perm[i] = i;
		for (i = t->n - 1; i > 0; i--) {
			size_t j = rnd64() % (i + 1), x = perm[i];

			perm[i] = perm[j];
			perm[j] = x;
		}
		ta = now();
		for (i = 0; i < t->n; i++)
			fib_add(g, t->addr[perm[i]], t->len[perm[i]], 1 + (uint32_t)(perm[i] % nhmod));
		ta = now() - ta;
		tc = now();
		for (i = 0; i < nch; i++) {
			size_t p = perm[rnd64() % t->n];

			fib_del(g, t->addr[p], t->len[p]);
			fib_add(g, t->addr[p], t->len[p], 1 + (uint32_t)((p + 7) % nhmod));
		}
		tc = now() - tc;
		td = now();
		for (i = 0; i < t->n; i++)
			fib_del(g, t->addr[perm[i]], t->len[perm[i]]);
		td = now() - td;
		na = now();
		for (i = 0; i < t->n; i++)
			naive_add(&nv2, t->addr[perm[i]], t->len[perm[i]], 1 + (uint32_t)(perm[i] % nhmod));
		na = now() - na;
		nc = now();
		for (i = 0; i < nch; i++) {
			size_t p = perm[rnd64() % t->n];

			naive_del(&nv2, t->addr[p], t->len[p]);
			naive_add(&nv2, t->addr[p], t->len[p], 1 + (uint32_t)((p + 7) % nhmod));
		}
		nc = now() - nc;
		nd = now();
		for (i = 0; i < t->n; i++)
			naive_del(&nv2, t->addr[perm[i]], t->len[perm[i]]);
		nd = now() - nd;
		printf("\nIncremental updates (random order, 1 run):\n\n| operation | ours | naive |\n|---|---|---|\n");
		printf("| fib_add of the whole table into an empty VRF, adds/s | %.0f | %.0f |\n",
		       (double)t->n / ta, (double)t->n / na);
		printf("| churn at full size (del + add of one prefix), pairs/s | %.0f | %.0f |\n",
		       (double)nch / tc, (double)nch / nc);
		printf("| fib_del of the whole table, dels/s | %.0f | %.0f |\n", (double)t->n / td,
		       (double)t->n / nd);
		printf("| memory after deleting everything, bytes | %zu | - |\n", fib_memory(g));
		fib_free(g);
		naive_free(&nv2);
		free(perm);
	}
	fib_free(f);
	naive_free(&nv);
	free(keys);
	free(out);
	free(out2);
}

/* The table split into nvrf VRFs of consecutive prefixes (sorted by address,
 * so a VRF's prefixes cluster as a customer's do). */
static void bench_shape(const struct bench_table *t, size_t nvrf, size_t per, unsigned nhmod)
{
	struct fib **f = xcalloc(nvrf, sizeof(*f));
	struct naive *nv = xcalloc(nvrf, sizeof(*nv));
	size_t n = nvrf * per > t->n ? t->n : nvrf * per, i, memtot = 0, memmin = SIZE_MAX, memmax = 0,
	       lk = 0, nkv = nkeys, navail = 0;
	uint32_t *keys = xcalloc(nkv, sizeof(uint32_t)), *vrf = xcalloc(nkv, sizeof(uint32_t));
	uint32_t *out = xcalloc(nkv, sizeof(uint32_t));
	double v[2][16], t0, tb;
	int r, k;

	t0 = now();
	for (i = 0; i < nvrf; i++) {
		size_t lo = i * n / nvrf, hi = (i + 1) * n / nvrf;
		struct fib_stats st;

		f[i] = build_ours(t, lo, hi, nhmod);
		fib_stats(f[i], &st);
		memtot += st.mem_total;
		lk += st.mem_lookup;
		if (st.mem_total < memmin)
			memmin = st.mem_total;
		if (st.mem_total > memmax)
			memmax = st.mem_total;
	}
	tb = now() - t0;
	for (i = 0; i < nvrf; i++)
		build_naive(&nv[i], t, i * n / nvrf, (i + 1) * n / nvrf, nhmod);
	printf("| %zu x %zu | %.3f | %.0f | %zu - %zu | %.2f | %.2f |", nvrf, n / nvrf, tb, (double)memtot / (double)nvrf,
	       memmin, memmax, (double)memtot / (double)n, (double)lk / (double)n);
	for (k = 0; k < 2; k++) {
		/* keys: a random VRF each, random or drawn from that VRF */
		for (i = 0; i < nkv; i++) {
			size_t vi = rnd64() % nvrf, lo = vi * n / nvrf, hi = (vi + 1) * n / nvrf;

			vrf[i] = (uint32_t)vi;
			keys[i] = (k == 0 || hi == lo) ? rnd32() : in_prefix(t, lo + rnd64() % (hi - lo));
		}
		for (r = 0; r < runs; r++) {
			double a = now(), b;

			for (i = 0; i < nkv; i++)
				out[i] = fib_lookup(f[vrf[i]], keys[i]);
			b = now();
			v[0][r] = (double)nkv / (b - a);
			sink += out[nkv / 3];
			a = now();
			for (i = 0; i < nkv / 4; i++)
				out[i] = naive_lookup(&nv[vrf[i]], keys[i]);
			b = now();
			v[1][r] = (double)(nkv / 4) / (b - a);
			sink += out[nkv / 5];
		}
		navail++;
		printf(" %.1f | %.1f |", stat_of(v[0], runs).med / 1e6, stat_of(v[1], runs).med / 1e6);
	}
	printf("\n");
	(void)navail;
	for (i = 0; i < nvrf; i++) {
		fib_free(f[i]);
		naive_free(&nv[i]);
	}
	free(f);
	free(nv);
	free(keys);
	free(vrf);
	free(out);
}

static void bench_empty(void)
{
	enum { NE = 10000 };
	struct fib **f = xcalloc(NE, sizeof(*f));
	size_t i, m = 0;

	for (i = 0; i < NE; i++) {
		f[i] = fib_new();
		m += fib_memory(f[i]);
	}
	printf("\nEmpty VRF: fib_memory() = %zu bytes (average over %d empty VRFs: %.0f)\n",
	       fib_memory(f[0]), NE, (double)m / NE);
	for (i = 0; i < NE; i++)
		fib_free(f[i]);
	free(f);
}

/* Files for dpdk-test-fib: "a.b.c.d/len nh" routes and one key per line. */
static void write_dpdk(const struct bench_table *t, const char *dir, unsigned nhmod, bool with_keys)
{
	char path[4096];
	uint32_t *keys = xcalloc(nkeys, sizeof(uint32_t));
	FILE *fp;
	size_t i;
	int k;

	snprintf(path, sizeof(path), "%s/routes-%u.txt", dir, nhmod);
	if ((fp = fopen(path, "w")) == NULL)
		fatal("%s", path);
	for (i = 0; i < t->n; i++)
		fprintf(fp, "%u.%u.%u.%u/%u %u\n", t->addr[i] >> 24, (t->addr[i] >> 16) & 255,
			(t->addr[i] >> 8) & 255, t->addr[i] & 255, t->len[i], 1 + (unsigned)(i % nhmod));
	fclose(fp);
	for (k = 0; with_keys && k < K_NKINDS; k++) {
		snprintf(path, sizeof(path), "%s/keys-%s.txt", dir, keyname[k]);
		if ((fp = fopen(path, "w")) == NULL)
			fatal("%s", path);
		make_keys(t, (enum keykind)k, keys, nkeys);
		for (i = 0; i < nkeys; i++)
			fprintf(fp, "%u.%u.%u.%u\n", keys[i] >> 24, (keys[i] >> 16) & 255, (keys[i] >> 8) & 255,
				keys[i] & 255);
		fclose(fp);
	}
	free(keys);
}

/* One pass of nkeys lookups, for callgrind --toggle-collect. */
static void one_pass(const struct bench_table *t, const char *kind, const char *impl)
{
	uint32_t *keys = xcalloc(nkeys, sizeof(uint32_t)), *out = xcalloc(nkeys, sizeof(uint32_t));
	int k;

	for (k = 0; k < K_NKINDS; k++)
		if (strcmp(kind, keyname[k]) == 0)
			break;
	if (k == K_NKINDS)
		fatalx("unknown key kind %s", kind);
	make_keys(t, (enum keykind)k, keys, nkeys);
	if (strcmp(impl, "naive") == 0) {
		struct naive nv;

		build_naive(&nv, t, 0, t->n, 1000);
		naive_lookup_bulk(&nv, keys, out, nkeys);
		naive_free(&nv);
	} else {
		struct fib *f = build_ours(t, 0, t->n, 1000);

		fib_lookup_bulk(f, keys, out, nkeys);
		fib_free(f);
	}
	printf("%u\n", out[0] + out[nkeys - 1]);
	free(keys);
	free(out);
}

/* One DPDK-style pass (bursts of 64, serialised TSC reads), printed as
 * dpdk-test-fib prints it, so run.sh can alternate the two. */
static void dpdk_pass(const struct bench_table *t, const char *kind, unsigned nhmod)
{
	uint32_t *keys = xcalloc(nkeys, sizeof(uint32_t)), *out = xcalloc(nkeys, sizeof(uint32_t));
	struct fib *f = build_ours(t, 0, t->n, nhmod);
	int k;

	for (k = 0; k < K_NKINDS; k++)
		if (strcmp(kind, keyname[k]) == 0)
			break;
	if (k == K_NKINDS)
		fatalx("unknown key kind %s", kind);
	make_keys(t, (enum keykind)k, keys, nkeys);
	printf("AVG ours lookup %.1f\n", dpdkstyle_ours(f, keys, out, nkeys));
	fib_free(f);
	free(keys);
	free(out);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_lpm -f table.txt.gz [-n lookups] [-r runs] [-q] [-w dir] "
			"[-c random|table|zipf -C ours|naive] [-p random|table|zipf -N nexthops]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *file = NULL, *wdir = NULL, *cg_kind = NULL, *cg_impl = "ours", *dp_kind = NULL;
	unsigned dp_nh = 16;
	struct bench_table t;
	bool quick = false;
	int c;

	while ((c = getopt(argc, argv, "f:n:r:qw:c:C:p:N:")) != -1) {
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
		case 'w':
			wdir = optarg;
			break;
		case 'c':
			cg_kind = optarg;
			break;
		case 'C':
			cg_impl = optarg;
			break;
		case 'p':
			dp_kind = optarg;
			break;
		case 'N':
			dp_nh = (unsigned)strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (file == NULL || runs < 1 || runs > 16 || nkeys < 16)
		usage();
	bench_table_load(file, &t);
	if (cg_kind != NULL) {
		one_pass(&t, cg_kind, cg_impl);
		return 0;
	}
	if (dp_kind != NULL) {
		dpdk_pass(&t, dp_kind, dp_nh ? dp_nh : 16);
		return 0;
	}
	if (wdir != NULL) {
		write_dpdk(&t, wdir, 16, true);
		write_dpdk(&t, wdir, 1000, false);
		return 0;
	}
	tsc_calibrate();
	printf("TSC %.3f GHz; %zu IPv4 prefixes from %s\n", tsc_hz / 1e9, t.n, file);
	bench_full(&t, 16, quick);
	bench_full(&t, 1000, quick);
	printf("\n### VRF shapes (the table cut into consecutive runs of prefixes, next hops over 16)\n\n");
	printf("Lookups: single fib_lookup() per key, each key in a random VRF, median M lookups/s of %d runs; "
	       "naive on a quarter of the keys.\n\n",
	       runs);
	printf("| VRFs x prefixes | build s (all) | bytes/VRF avg | bytes/VRF min - max | B/prefix all | "
	       "B/prefix lookup | random ours | random naive | table ours | table naive |\n");
	printf("|---|---|---|---|---|---|---|---|---|---|\n");
	bench_shape(&t, 1, t.n, 16);
	bench_shape(&t, 10, t.n / 10, 16);
	bench_shape(&t, 1000, t.n / 1000, 16);
	bench_shape(&t, 10000, 50, 16);
	bench_empty();
	free(t.addr);
	free(t.len);
	return sink == 0x12345678 ? 1 : 0;
}
