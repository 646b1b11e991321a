#include "config.h"

/* Unit tests for vrf/fib6.c. Every lookup result is compared with a
 * reference written independently of it on 128-bit integers: a linear scan
 * for the longest match (small tables), one hash table per prefix length
 * probed from /128 down (large random tables; checked against the scan),
 * and address intervals searched by bisection (the real table). */

#include <arpa/inet.h>
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "vrf/fib6.h"

#define TABLE_REL "/data/full-table-prefixes.txt.gz"
#define REAL_V6 160147

typedef unsigned __int128 u128;

/* ../shared beside the repository; PE_SHARED_DIR overrides. */
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

/* ------------------------------------------------------------ helpers */

static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s * 0x9e3779b97f4a7c15ULL + 1;
}

static uint64_t rnd64(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(void)
{
	return (uint32_t)(rnd64() >> 32);
}

static u128 rnd128(void)
{
	u128 hi = rnd64();

	return hi << 64 | rnd64();
}

static u128 mask(unsigned len)
{
	return len == 0 ? 0 : ~(u128)0 << (128 - len);
}

static void to_bytes(u128 a, uint8_t b[16])
{
	int i;

	for (i = 15; i >= 0; i--) {
		b[i] = (uint8_t)a;
		a >>= 8;
	}
}

static u128 from_bytes(const uint8_t b[16])
{
	u128 a = 0;
	int i;

	for (i = 0; i < 16; i++)
		a = a << 8 | b[i];
	return a;
}

static const char *fmt(u128 a, char *buf)
{
	snprintf(buf, 40, "%016llx%016llx", (unsigned long long)(a >> 64), (unsigned long long)a);
	return buf;
}

static int f6_add(struct fib6 *f, u128 a, unsigned len, uint32_t nh)
{
	uint8_t b[16];

	to_bytes(a, b);
	return fib6_add(f, b, (uint8_t)len, nh);
}

static int f6_del(struct fib6 *f, u128 a, unsigned len)
{
	uint8_t b[16];

	to_bytes(a, b);
	return fib6_del(f, b, (uint8_t)len);
}

static uint32_t f6_lookup(const struct fib6 *f, u128 a)
{
	uint8_t b[16];

	to_bytes(a, b);
	return fib6_lookup(f, b);
}

struct pfx {
	u128 addr;
	uint8_t len;
	uint32_t nh;
};

/* ------------------------------------------------ reference: linear scan */

struct lin {
	struct pfx *p;
	size_t n, cap;
};

static void lin_add(struct lin *r, u128 a, unsigned len, uint32_t nh)
{
	size_t i;

	a &= mask(len);
	for (i = 0; i < r->n; i++) {
		if (r->p[i].addr == a && r->p[i].len == len) {
			r->p[i].nh = nh;
			return;
		}
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->p = xrealloc(r->p, r->cap * sizeof(r->p[0]));
	}
	r->p[r->n].addr = a;
	r->p[r->n].len = (uint8_t)len;
	r->p[r->n].nh = nh;
	r->n++;
}

static bool lin_del(struct lin *r, u128 a, unsigned len)
{
	size_t i;

	a &= mask(len);
	for (i = 0; i < r->n; i++) {
		if (r->p[i].addr == a && r->p[i].len == len) {
			r->p[i] = r->p[--r->n];
			return true;
		}
	}
	return false;
}

static uint32_t lin_lookup(const struct lin *r, u128 a)
{
	uint32_t nh = FIB_NH_NONE;
	int best = -1;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if ((int)r->p[i].len > best && (a & mask(r->p[i].len)) == r->p[i].addr) {
			best = r->p[i].len;
			nh = r->p[i].nh;
		}
	}
	return nh;
}

/* ------------------------------------- reference: hash per prefix length */

struct rtab {
	u128 *key;
	uint32_t *val; /* 0 = empty */
	size_t cap, n;
};

struct ref {
	struct rtab t[129];
	size_t count;
};

static size_t rslot(const struct rtab *t, u128 k)
{
	uint64_t h = (uint64_t)(k >> 64) * 0x9e3779b97f4a7c15ULL ^ (uint64_t)k * 0xc2b2ae3d27d4eb4fULL;

	return (size_t)(h ^ (h >> 29)) & (t->cap - 1);
}

static void rtab_grow(struct rtab *t)
{
	struct rtab o = *t;
	size_t i, j;

	t->cap = o.cap ? o.cap * 2 : 16;
	t->key = xcalloc(t->cap, sizeof(u128));
	t->val = xcalloc(t->cap, sizeof(uint32_t));
	for (i = 0; i < o.cap; i++) {
		if (o.val[i] == 0)
			continue;
		for (j = rslot(t, o.key[i]); t->val[j] != 0; j = (j + 1) & (t->cap - 1))
			;
		t->key[j] = o.key[i];
		t->val[j] = o.val[i];
	}
	free(o.key);
	free(o.val);
}

static uint32_t ref_get(const struct ref *r, u128 a, unsigned len)
{
	const struct rtab *t = &r->t[len];
	size_t j;

	if (t->n == 0)
		return 0;
	for (j = rslot(t, a); t->val[j] != 0; j = (j + 1) & (t->cap - 1))
		if (t->key[j] == a)
			return t->val[j];
	return 0;
}

static void ref_add(struct ref *r, u128 a, unsigned len, uint32_t nh)
{
	struct rtab *t = &r->t[len];
	size_t j;

	a &= mask(len);
	if ((t->n + 1) * 2 > t->cap)
		rtab_grow(t);
	for (j = rslot(t, a); t->val[j] != 0; j = (j + 1) & (t->cap - 1)) {
		if (t->key[j] == a) {
			t->val[j] = nh;
			return;
		}
	}
	t->key[j] = a;
	t->val[j] = nh;
	t->n++;
	r->count++;
}

/* Backward-shift deletion. Returns false if absent. */
static bool ref_del(struct ref *r, u128 a, unsigned len)
{
	struct rtab *t = &r->t[len];
	size_t j, k, h;

	a &= mask(len);
	if (t->n == 0)
		return false;
	for (j = rslot(t, a); t->val[j] != 0; j = (j + 1) & (t->cap - 1))
		if (t->key[j] == a)
			break;
	if (t->val[j] == 0)
		return false;
	t->val[j] = 0;
	for (k = (j + 1) & (t->cap - 1); t->val[k] != 0; k = (k + 1) & (t->cap - 1)) {
		h = rslot(t, t->key[k]);
		if ((j < k) ? (h <= j || h > k) : (h <= j && h > k)) {
			t->key[j] = t->key[k];
			t->val[j] = t->val[k];
			t->val[k] = 0;
			j = k;
		}
	}
	t->n--;
	r->count--;
	return true;
}

static uint32_t ref_lookup(const struct ref *r, u128 a)
{
	int len;

	for (len = 128; len >= 0; len--) {
		uint32_t v = ref_get(r, a & mask((unsigned)len), (unsigned)len);

		if (v)
			return v;
	}
	return FIB_NH_NONE;
}

static void ref_free(struct ref *r)
{
	unsigned l;

	for (l = 0; l <= 128; l++) {
		free(r->t[l].key);
		free(r->t[l].val);
	}
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------ random prefixes */

/* Hot bases shaped like real tables: most inside 2000::/3 around /29../48,
 * some anywhere. */
static void make_hot(u128 *hot, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		hot[i] = rnd128();
		if (i % 4 != 3)
			hot[i] = (hot[i] & ~mask(3)) | ((u128)1 << 125);
	}
}

/* A random prefix of any length 0..128, many of them overlapping: near a
 * hot base with a length around the real table's (/32../48), or any
 * length, or fully random. */
static void rand_pfx(struct pfx *p, const u128 *hot, unsigned nhot)
{
	uint32_t r = rnd();
	u128 a;

	switch (r % 8) {
	case 0:
		p->len = (uint8_t)(rnd() % 129);
		a = rnd128();
		break;
	case 1:
	case 2:
		p->len = (uint8_t)(rnd() % 129);
		a = hot[(r >> 8) % nhot] ^ (rnd128() >> (rnd() % 128));
		break;
	default:
		p->len = (uint8_t)(28 + rnd() % 21); /* 28..48 */
		if (rnd() % 16 == 0)
			p->len = (uint8_t)(56 + rnd() % 73);
		a = hot[(r >> 8) % nhot] ^ (rnd128() >> (16 + rnd() % 40));
		break;
	}
	p->addr = a & mask(p->len);
	p->nh = 1 + rnd() % FIB_NH_MAX;
}

/* -------------------------------------------------------------- checks */

typedef uint32_t (*ref_fn)(const void *r, u128 a);

static uint32_t lin_fn(const void *r, u128 a)
{
	return lin_lookup(r, a);
}

static uint32_t ref_fn_hash(const void *r, u128 a)
{
	return ref_lookup(r, a);
}

static void check_key(const struct fib6 *f, ref_fn ref, const void *r, u128 a)
{
	uint32_t got = f6_lookup(f, a), want = ref(r, a);
	char b[40];

	/* if/ck_abort rather than ck_assert: Check records every passed
	 * assertion with a write(), too slow for millions of keys */
	if (got != want)
		ck_abort_msg("lookup %s: fib6 %u, reference %u", fmt(a, b), got, want);
}

/* A random key: anywhere, inside 2000::/3, or inside one of the prefixes. */
static u128 rand_key(const struct pfx *p, size_t np)
{
	uint32_t r = rnd() % 4;

	if (r == 0 || np == 0)
		return rnd128();
	if (r == 1)
		return (rnd128() & ~mask(3)) | ((u128)1 << 125);
	r = rnd() % (uint32_t)np;
	return p[r].addr | (rnd128() & ~mask(p[r].len));
}

/* The first, last and neighbouring addresses of the given prefixes; nrand
 * random keys through fib6_lookup_bulk. */
static void check_all(const struct fib6 *f, ref_fn ref, const void *r, const struct pfx *p, size_t np,
		      size_t nrand)
{
	uint8_t keys[256 * 16];
	uint32_t nhs[256];
	u128 k128[256];
	size_t i, k, j;
	char b[40];

	for (i = 0; i < np; i++) {
		u128 last = p[i].addr | ~mask(p[i].len);

		check_key(f, ref, r, p[i].addr);
		check_key(f, ref, r, last);
		check_key(f, ref, r, p[i].addr - 1);
		check_key(f, ref, r, last + 1);
	}
	for (i = 0; i < nrand; i += k) {
		for (k = 0; k < 256 && i + k < nrand; k++) {
			k128[k] = rand_key(p, np);
			to_bytes(k128[k], keys + 16 * k);
		}
		fib6_lookup_bulk(f, keys, nhs, k);
		for (j = 0; j < k; j++)
			if (nhs[j] != ref(r, k128[j]))
				ck_abort_msg("bulk lookup %s: fib6 %u, reference %u", fmt(k128[j], b), nhs[j],
					     ref(r, k128[j]));
	}
}

struct walk_ctx {
	const struct ref *r;
	size_t n;
	bool started;
	u128 last_a;
	unsigned last_len;
};

static int walk_cb(const uint8_t addr[16], uint8_t len, uint32_t nh, void *arg)
{
	struct walk_ctx *w = arg;
	u128 a = from_bytes(addr);
	char b[40];

	if (len > 128 || (a & ~mask(len)) != 0 || ref_get(w->r, a, len) != nh)
		ck_abort_msg("fib6_walk: %s/%u -> %u not in the table", fmt(a, b), len, nh);
	if (w->started && (a < w->last_a || (a == w->last_a && len <= w->last_len)))
		ck_abort_msg("fib6_walk: %s/%u out of order", fmt(a, b), len);
	w->started = true;
	w->last_a = a;
	w->last_len = len;
	w->n++;
	return 0;
}

static void check_walk(const struct fib6 *f, const struct ref *r)
{
	struct walk_ctx w;

	memset(&w, 0, sizeof(w));
	w.r = r;
	ck_assert_int_eq(fib6_walk(f, walk_cb, &w), 0);
	ck_assert_uint_eq(w.n, r->count);
	ck_assert_uint_eq(fib6_count(f), r->count);
}

/* Incremental and bulk builds give the same lookup structure (the array of
 * short prefixes may differ in realloc slack). */
static void check_same_shape(const struct fib6 *f1, const struct fib6 *f2)
{
	struct fib_stats a, b;

	fib6_stats(f1, &a);
	fib6_stats(f2, &b);
	ck_assert_uint_eq(a.prefixes, b.prefixes);
	ck_assert_uint_eq(a.nodes, b.nodes);
	ck_assert_uint_eq(a.leaves, b.leaves);
	ck_assert_uint_eq(a.cnodes, b.cnodes);
	ck_assert_uint_eq(a.direct_bits, b.direct_bits);
	ck_assert_uint_eq(a.blocks, b.blocks);
	ck_assert_uint_eq(a.mem_lookup, b.mem_lookup);
}

static size_t empty_memory(void)
{
	struct fib6 *f = fib6_new();
	size_t m = fib6_memory(f);

	fib6_free(f);
	return m;
}

static void pfx_arrays(const struct pfx *p, size_t n, uint8_t **a, uint8_t **l, uint32_t **nh)
{
	size_t i;

	*a = xcalloc(n ? n : 1, 16);
	*l = xcalloc(n ? n : 1, 1);
	*nh = xcalloc(n ? n : 1, sizeof(uint32_t));
	for (i = 0; i < n; i++) {
		to_bytes(p[i].addr, *a + 16 * i);
		(*l)[i] = p[i].len;
		(*nh)[i] = p[i].nh;
	}
}

/* -------------------------------------------------------------- tests */

START_TEST(test_empty)
{
	struct fib6 *f = fib6_new();
	struct fib_stats st;
	unsigned i;

	ck_assert_uint_eq(fib6_count(f), 0);
	fprintf(stderr, "test_fib6: empty VRF %zu bytes\n", fib6_memory(f));
	ck_assert_msg(fib6_memory(f) <= 1024, "empty VRF costs %zu bytes", fib6_memory(f));
	for (i = 0; i < 1000; i++)
		ck_assert_uint_eq(f6_lookup(f, rnd128()), FIB_NH_NONE);
	ck_assert_uint_eq(f6_lookup(f, 0), FIB_NH_NONE);
	ck_assert_uint_eq(f6_lookup(f, ~(u128)0), FIB_NH_NONE);
	ck_assert_int_eq(f6_del(f, 0, 0), -1);
	ck_assert_int_eq(f6_del(f, (u128)0x20010db8 << 96, 32), -1);
	fib6_stats(f, &st);
	ck_assert_uint_eq(st.mem_total, fib6_memory(f));
	ck_assert(st.mem_lookup + st.mem_control <= st.mem_total);
	ck_assert_uint_eq(st.nodes, 0);
	ck_assert_uint_eq(st.direct_bits, 6);
	fib6_free(f);
	fib6_free(NULL);
}
END_TEST

START_TEST(test_errors)
{
	struct fib6 *f = fib6_new();
	size_t m0 = fib6_memory(f);
	u128 p = (u128)0x20010db8 << 96;
	uint8_t a[32], l[2] = { 32, 48 };
	uint32_t nh[2] = { 1, 0 };

	to_bytes(p, a);
	to_bytes(p | (u128)1 << 80, a + 16);
	ck_assert_int_eq(f6_add(f, p, 129, 1), -1);
	ck_assert_int_eq(f6_add(f, p, 255, 1), -1);
	ck_assert_int_eq(f6_add(f, p, 32, FIB_NH_NONE), -1);
	ck_assert_int_eq(f6_add(f, p, 32, FIB_NH_MAX + 1), -1);
	ck_assert_int_eq(f6_add(f, p, 32, 0xffffffffu), -1);
	ck_assert_int_eq(f6_del(f, p, 129), -1);
	ck_assert_int_eq(fib6_build(f, a, l, nh, 2), -1);
	nh[1] = FIB_NH_MAX + 1;
	ck_assert_int_eq(fib6_build(f, a, l, nh, 2), -1);
	nh[1] = 2;
	l[1] = 129;
	ck_assert_int_eq(fib6_build(f, a, l, nh, 2), -1);
	ck_assert_uint_eq(fib6_count(f), 0);
	ck_assert_uint_eq(fib6_memory(f), m0);
	ck_assert_uint_eq(f6_lookup(f, p | 1), FIB_NH_NONE);
	ck_assert_int_eq(fib6_build(f, a, l, nh, 0), 0);
	ck_assert_uint_eq(fib6_count(f), 0);
	ck_assert_int_eq(f6_add(f, p, 32, FIB_NH_MAX), 0);
	ck_assert_uint_eq(f6_lookup(f, p | 1), FIB_NH_MAX);
	ck_assert_int_eq(f6_add(f, p | 0xff, 128, 1), 0);
	ck_assert_uint_eq(f6_lookup(f, p | 0xff), 1);
	ck_assert_uint_eq(f6_lookup(f, p | 0xfe), FIB_NH_MAX);
	fib6_free(f);
}
END_TEST

START_TEST(test_basic)
{
	struct fib6 *f = fib6_new();
	u128 db8 = (u128)0x20010db8 << 96;

	ck_assert_int_eq(f6_add(f, db8, 32, 1), 0);
	ck_assert_int_eq(f6_add(f, db8 | (u128)0x0001ffff << 64, 48, 2), 0); /* host bits ignored */
	ck_assert_int_eq(f6_add(f, db8 | (u128)1 << 80 | 0x1234, 128, 3), 0);
	ck_assert_int_eq(f6_add(f, db8 | (u128)1 << 80 | 0x1234, 127, 5), 0);
	ck_assert_int_eq(f6_add(f, db8 | (u128)1 << 80, 64, 6), 0);
	ck_assert_int_eq(f6_add(f, rnd128(), 0, 4), 0);
	ck_assert_uint_eq(fib6_count(f), 6);
	ck_assert_uint_eq(f6_lookup(f, db8 | 7), 1);
	ck_assert_uint_eq(f6_lookup(f, db8 | (u128)1 << 80 | (u128)1 << 64), 2);
	ck_assert_uint_eq(f6_lookup(f, db8 | (u128)1 << 80 | 0x1234), 3);
	ck_assert_uint_eq(f6_lookup(f, db8 | (u128)1 << 80 | 0x1235), 5);
	ck_assert_uint_eq(f6_lookup(f, db8 | (u128)1 << 80 | 0x1236), 6);
	ck_assert_uint_eq(f6_lookup(f, db8 | (u128)1 << 80 | (u128)1 << 63), 6);
	ck_assert_uint_eq(f6_lookup(f, (u128)0x20010db9 << 96), 4);
	ck_assert_uint_eq(f6_lookup(f, ~(u128)0), 4);
	/* replace */
	ck_assert_int_eq(f6_add(f, db8 | (u128)1 << 80, 48, 7), 0);
	ck_assert_uint_eq(fib6_count(f), 6);
	ck_assert_uint_eq(f6_lookup(f, db8 | (u128)1 << 80 | (u128)1 << 64), 7);
	ck_assert_int_eq(f6_add(f, db8 | (u128)1 << 80, 48, 7), 0);
	ck_assert_uint_eq(fib6_count(f), 6);
	/* delete */
	ck_assert_int_eq(f6_del(f, db8 | (u128)1 << 80, 48), 0);
	ck_assert_int_eq(f6_del(f, db8 | (u128)1 << 80, 48), -1);
	ck_assert_uint_eq(f6_lookup(f, db8 | (u128)1 << 80 | (u128)1 << 64), 1);
	ck_assert_uint_eq(f6_lookup(f, db8 | (u128)1 << 80 | 0x1234), 3);
	ck_assert_int_eq(f6_del(f, 0, 0), 0);
	ck_assert_uint_eq(f6_lookup(f, (u128)0x20010db9 << 96), FIB_NH_NONE);
	ck_assert_int_eq(f6_del(f, db8, 32), 0);
	ck_assert_uint_eq(f6_lookup(f, db8 | 7), FIB_NH_NONE);
	ck_assert_uint_eq(f6_lookup(f, db8 | (u128)1 << 80 | 0x1234), 3);
	ck_assert_int_eq(f6_del(f, db8 | (u128)1 << 80 | 0x1234, 128), 0);
	ck_assert_int_eq(f6_del(f, db8 | (u128)1 << 80 | 0x1234, 127), 0);
	ck_assert_int_eq(f6_del(f, db8 | (u128)1 << 80, 64), 0);
	ck_assert_uint_eq(fib6_count(f), 0);
	ck_assert_uint_eq(fib6_memory(f), empty_memory());
	fib6_free(f);
}
END_TEST

/* The hash reference agrees with the linear scan (so a mistake shared by
 * the hash reference and fib6 is unlikely to go unseen). */
START_TEST(test_reference_agree)
{
	struct lin lr;
	struct ref r;
	struct pfx p;
	u128 hot[8];
	size_t i;

	memset(&lr, 0, sizeof(lr));
	memset(&r, 0, sizeof(r));
	rng_seed(4242);
	make_hot(hot, 8);
	for (i = 0; i < 1500; i++) {
		rand_pfx(&p, hot, 8);
		lin_add(&lr, p.addr, p.len, p.nh);
		ref_add(&r, p.addr, p.len, p.nh);
	}
	ck_assert_uint_eq(lr.n, r.count);
	for (i = 0; i < 20000; i++) {
		u128 a = rand_key(lr.p, lr.n);

		ck_assert_uint_eq(lin_lookup(&lr, a), ref_lookup(&r, a));
	}
	free(lr.p);
	ref_free(&r);
}
END_TEST

static const size_t table_sizes[] = { 1, 2, 10, 100, 1000, 5000, 20000 };

/* Random tables of several sizes, built by fib6_add and by fib6_build. */
START_TEST(test_random_tables)
{
	size_t n = table_sizes[_i], i;
	struct pfx *p = xcalloc(n, sizeof(*p));
	u128 hot[16];
	uint8_t *a, *l;
	uint32_t *nh;
	struct ref r;
	struct lin lr;
	struct fib6 *f1 = fib6_new(), *f2 = fib6_new();

	memset(&r, 0, sizeof(r));
	memset(&lr, 0, sizeof(lr));
	rng_seed(1000 + (uint64_t)_i);
	make_hot(hot, 16);
	for (i = 0; i < n; i++) {
		rand_pfx(&p[i], hot, 16);
		ref_add(&r, p[i].addr, p[i].len, p[i].nh);
		if (n <= 1000)
			lin_add(&lr, p[i].addr, p[i].len, p[i].nh);
		/* host bits ignored */
		ck_assert_int_eq(f6_add(f1, p[i].addr | (rnd128() & ~mask(p[i].len)), p[i].len, p[i].nh), 0);
	}
	pfx_arrays(p, n, &a, &l, &nh);
	ck_assert_int_eq(fib6_build(f2, a, l, nh, n), 0);
	if (n <= 1000) {
		check_all(f1, lin_fn, &lr, p, n, 20000);
		check_all(f2, lin_fn, &lr, p, n, 20000);
	}
	check_all(f1, ref_fn_hash, &r, p, n, 50000);
	check_all(f2, ref_fn_hash, &r, p, n, 50000);
	check_walk(f1, &r);
	check_walk(f2, &r);
	check_same_shape(f1, f2);
	fib6_free(f1);
	fib6_free(f2);
	ref_free(&r);
	free(lr.p);
	free(p);
	free(a);
	free(l);
	free(nh);
}
END_TEST

/* Adds, replaces and deletes interleaved with lookups; the table grows past
 * the 4096-prefix threshold of the wider top level and shrinks to empty. */
START_TEST(test_churn)
{
	enum { N = 8000 };
	struct pfx *p = xcalloc(N, sizeof(*p));
	u128 hot[8];
	struct ref r;
	struct fib6 *f = fib6_new();
	size_t m0 = fib6_memory(f), i, step;
	bool saw12 = false;

	memset(&r, 0, sizeof(r));
	rng_seed(77);
	make_hot(hot, 8);
	for (i = 0; i < N; i++)
		rand_pfx(&p[i], hot, 8);
	for (step = 0; step < 60000; step++) {
		bool grow = step < 30000 ? (rnd() % 100) < 90 : (rnd() % 100) < 20;
		size_t k = rnd() % N;
		u128 last = p[k].addr | ~mask(p[k].len);

		if (grow) {
			uint32_t nh = 1 + rnd() % 1000;

			ck_assert_int_eq(f6_add(f, p[k].addr, p[k].len, nh), 0);
			ref_add(&r, p[k].addr, p[k].len, nh);
		} else {
			int want = ref_del(&r, p[k].addr, p[k].len) ? 0 : -1;

			ck_assert_int_eq(f6_del(f, p[k].addr, p[k].len), want);
		}
		if (fib6_count(f) != r.count)
			ck_abort_msg("count %zu, reference %zu", fib6_count(f), r.count);
		check_key(f, ref_fn_hash, &r, p[k].addr);
		check_key(f, ref_fn_hash, &r, last);
		check_key(f, ref_fn_hash, &r, last + 1);
		check_key(f, ref_fn_hash, &r, p[k].addr - 1);
		check_key(f, ref_fn_hash, &r, p[k].addr | (rnd128() & ~mask(p[k].len)));
		check_key(f, ref_fn_hash, &r, rand_key(p, N));
		if (step % 5000 == 0) {
			struct fib_stats st;

			check_all(f, ref_fn_hash, &r, p, N, 20000);
			fib6_stats(f, &st);
			if (r.count >= 4096) {
				ck_assert_uint_eq(st.direct_bits, 12);
				saw12 = true;
			}
		}
	}
	ck_assert(saw12);
	check_walk(f, &r);
	for (i = 0; i < N; i++) {
		if (ref_del(&r, p[i].addr, p[i].len))
			ck_assert_int_eq(f6_del(f, p[i].addr, p[i].len), 0);
		else
			ck_assert_int_eq(f6_del(f, p[i].addr, p[i].len), -1);
	}
	ck_assert_uint_eq(fib6_count(f), 0);
	ck_assert_uint_eq(fib6_memory(f), m0);
	check_all(f, ref_fn_hash, &r, p, 100, 1000);
	fib6_free(f);
	ref_free(&r);
	free(p);
}
END_TEST

/* Nested chains of every length 0..128 at boundary bases (all zeros, all
 * ones, across the 64-bit halves), removed alternating short and long. */
START_TEST(test_nested_lengths)
{
	enum { NB = 5 };
	struct fib6 *f = fib6_new();
	struct lin lr;
	struct pfx p[129 * NB];
	size_t np = 0;
	unsigned len, k;
	u128 bases[NB] = { 0, ~(u128)0, (u128)0x20010db8 << 96 | (u128)0x8000000000000001ULL << 32 | 0xdead,
			   (u128)1 << 64 | ((u128)1 << 63), (u128)0x8000000000000000ULL << 64 | 1 };

	memset(&lr, 0, sizeof(lr));
	rng_seed(5);
	for (k = 0; k < NB; k++) {
		for (len = 0; len <= 128; len++) {
			uint32_t nh = k * 200 + len + 1;

			p[np].addr = bases[k] & mask(len);
			p[np].len = (uint8_t)len;
			p[np].nh = nh;
			np++;
			ck_assert_int_eq(f6_add(f, bases[k], (uint8_t)len, nh), 0);
			lin_add(&lr, bases[k], len, nh);
			check_all(f, lin_fn, &lr, p, np, 50);
		}
	}
	for (len = 0; len <= 128; len++) {
		for (k = 0; k < NB; k++) {
			unsigned l2 = (len % 2) ? 128 - len / 2 : len / 2;

			if (lin_del(&lr, bases[k], l2))
				ck_assert_int_eq(f6_del(f, bases[k], (uint8_t)l2), 0);
			check_all(f, lin_fn, &lr, p, np, 20);
		}
	}
	ck_assert_uint_eq(fib6_count(f), 0);
	ck_assert_uint_eq(fib6_memory(f), empty_memory());
	fib6_free(f);
	free(lr.p);
}
END_TEST

/* Short prefixes (length <= the direct-pointing bits, kept apart from the
 * nodes) under and over long ones, at 6 and 12 direct bits. */
START_TEST(test_short_prefixes)
{
	struct fib6 *f = fib6_new();
	struct ref r;
	struct pfx *p = xcalloc(9000, sizeof(*p));
	size_t n = 0, i, round;
	u128 hot[4];

	memset(&r, 0, sizeof(r));
	rng_seed(606);
	make_hot(hot, 4);
	for (round = 0; round < 2; round++) {
		/* round 0 stays below 4096 prefixes (6 bits), round 1 above (12) */
		size_t target = round == 0 ? 3000 : 9000;

		for (; n < target; n++) {
			if (rnd() % 3 == 0) {
				p[n].len = (uint8_t)(rnd() % 19);
				p[n].addr = rnd128() & mask(p[n].len);
			} else {
				rand_pfx(&p[n], hot, 4);
			}
			p[n].nh = 1 + rnd() % 100;
			ck_assert_int_eq(f6_add(f, p[n].addr, p[n].len, p[n].nh), 0);
			ref_add(&r, p[n].addr, p[n].len, p[n].nh);
			if (n % 97 == 0)
				check_all(f, ref_fn_hash, &r, p, n + 1, 500);
		}
		check_all(f, ref_fn_hash, &r, p, n, 20000);
		check_walk(f, &r);
		/* replace and delete short ones only */
		for (i = 0; i < n; i += 3) {
			if (p[i].len > 18)
				continue;
			if (rnd() % 2) {
				p[i].nh = 1 + rnd() % 100;
				ck_assert_int_eq(f6_add(f, p[i].addr, p[i].len, p[i].nh), 0);
				ref_add(&r, p[i].addr, p[i].len, p[i].nh);
			} else if (ref_del(&r, p[i].addr, p[i].len)) {
				ck_assert_int_eq(f6_del(f, p[i].addr, p[i].len), 0);
			}
			if (i % 31 == 0)
				check_all(f, ref_fn_hash, &r, p + i, 1, 300);
		}
		check_all(f, ref_fn_hash, &r, p, n, 20000);
		check_walk(f, &r);
	}
	fib6_free(f);
	ref_free(&r);
	free(p);
}
END_TEST

/* fib6_build on a table that is not empty: new entries win, old ones stay;
 * fib6_clear; later duplicates in one build win. */
START_TEST(test_build_merge_clear)
{
	struct fib6 *f = fib6_new(), *g = fib6_new();
	size_t m0 = fib6_memory(f), n1 = 3000, n2 = 3000, i;
	struct pfx *p = xcalloc(n1 + n2 + 1, sizeof(*p));
	uint8_t *a, *l;
	uint32_t *nh;
	struct ref r;
	u128 hot[8];

	memset(&r, 0, sizeof(r));
	rng_seed(9);
	make_hot(hot, 8);
	for (i = 0; i < n1 + n2; i++)
		rand_pfx(&p[i], hot, 8);
	/* a duplicate of p[n1] at the end, with another next hop */
	p[n1 + n2] = p[n1];
	p[n1 + n2].nh = p[n1].nh % FIB_NH_MAX + 1;
	for (i = 0; i < n1; i++) {
		ck_assert_int_eq(f6_add(f, p[i].addr, p[i].len, p[i].nh), 0);
		ref_add(&r, p[i].addr, p[i].len, p[i].nh);
		ck_assert_int_eq(f6_add(g, p[i].addr, p[i].len, p[i].nh), 0);
	}
	pfx_arrays(p + n1, n2 + 1, &a, &l, &nh);
	ck_assert_int_eq(fib6_build(f, a, l, nh, n2 + 1), 0);
	for (i = n1; i <= n1 + n2; i++) {
		ref_add(&r, p[i].addr, p[i].len, p[i].nh);
		ck_assert_int_eq(f6_add(g, p[i].addr, p[i].len, p[i].nh), 0);
	}
	check_all(f, ref_fn_hash, &r, p, n1 + n2, 20000);
	check_walk(f, &r);
	check_same_shape(f, g);
	ck_assert(fib6_memory(f) > m0);
	fib6_clear(f);
	ck_assert_uint_eq(fib6_count(f), 0);
	ck_assert_uint_eq(fib6_memory(f), m0);
	ck_assert_uint_eq(f6_lookup(f, p[0].addr), FIB_NH_NONE);
	ck_assert_int_eq(f6_add(f, 0, 0, 9), 0);
	ck_assert_uint_eq(f6_lookup(f, rnd128()), 9);
	fib6_free(f);
	fib6_free(g);
	ref_free(&r);
	free(p);
	free(a);
	free(l);
	free(nh);
}
END_TEST

/* A table past 2^20 prefixes gets the 18-bit direct-pointing level (the
 * bulk walk's bit budget is tightest there); deleting most of it brings
 * back 12 bits. */
START_TEST(test_top18)
{
	enum { N = 1100000 };
	struct pfx *p = xcalloc(N, sizeof(*p));
	u128 hot[64];
	uint8_t *a, *l;
	uint32_t *nh;
	struct fib_stats st;
	struct ref r;
	struct fib6 *f = fib6_new();
	size_t i, n = 0;

	memset(&r, 0, sizeof(r));
	rng_seed(1818);
	make_hot(hot, 64);
	while (n < N) {
		rand_pfx(&p[n], hot, 64);
		if (ref_get(&r, p[n].addr, p[n].len) == 0) {
			ref_add(&r, p[n].addr, p[n].len, p[n].nh);
			n++;
		}
	}
	pfx_arrays(p, n, &a, &l, &nh);
	ck_assert_int_eq(fib6_build(f, a, l, nh, n), 0);
	fib6_stats(f, &st);
	ck_assert_uint_eq(st.direct_bits, 18);
	check_all(f, ref_fn_hash, &r, p, 20000, 200000);
	/* down to 500,000: below 2^19, the level goes back to 12 bits */
	for (i = n; i > 500000; i--) {
		if (f6_del(f, p[i - 1].addr, p[i - 1].len) != 0)
			ck_abort_msg("fib6_del %zu", i - 1);
		ref_del(&r, p[i - 1].addr, p[i - 1].len);
	}
	fib6_stats(f, &st);
	ck_assert_uint_eq(st.direct_bits, 12);
	ck_assert_uint_eq(fib6_count(f), r.count);
	check_all(f, ref_fn_hash, &r, p, 20000, 200000);
	fib6_free(f);
	ref_free(&r);
	free(p);
	free(a);
	free(l);
	free(nh);
}
END_TEST

/* ------------------------------------------------------------- notify */

struct nrec {
	u128 a;
	unsigned len;
	uint32_t nh;
};

struct nlog {
	struct nrec r[64];
	size_t n;
	size_t total;
};

static void notify_cb(void *arg, const uint8_t addr[16], uint8_t len, uint32_t nh)
{
	struct nlog *l = arg;

	if (l->n < 64) {
		l->r[l->n].a = from_bytes(addr);
		l->r[l->n].len = len;
		l->r[l->n].nh = nh;
		l->n++;
	}
	l->total++;
}

static void expect_one(struct nlog *l, u128 a, unsigned len, uint32_t nh)
{
	ck_assert_uint_eq(l->n, 1);
	ck_assert(l->r[0].a == a);
	ck_assert_uint_eq(l->r[0].len, len);
	ck_assert_uint_eq(l->r[0].nh, nh);
	l->n = 0;
}

START_TEST(test_notify)
{
	struct fib6 *f = fib6_new();
	struct nlog lg;
	u128 db8 = (u128)0x20010db8 << 96, x = db8 | (u128)0xabcd << 80;
	uint8_t a[32], l[2] = { 48, 8 };
	uint32_t nh[2] = { 5, 6 };

	memset(&lg, 0, sizeof(lg));
	fib6_set_notify(f, notify_cb, &lg);
	ck_assert_int_eq(f6_add(f, x | 0xffff, 48, 1), 0);
	expect_one(&lg, x, 48, 1); /* masked */
	ck_assert_int_eq(f6_add(f, x, 48, 1), 0);
	ck_assert_uint_eq(lg.n, 0); /* no change, no call */
	ck_assert_int_eq(f6_add(f, x, 48, 2), 0);
	expect_one(&lg, x, 48, 2);
	ck_assert_int_eq(f6_add(f, db8, 4, 3), 0);
	expect_one(&lg, (u128)2 << 124, 4, 3);
	ck_assert_int_eq(f6_add(f, 0, 0, 4), 0);
	expect_one(&lg, 0, 0, 4);
	ck_assert_int_eq(f6_del(f, x, 48), 0);
	expect_one(&lg, x, 48, FIB_NH_NONE);
	ck_assert_int_eq(f6_del(f, x, 48), -1);
	ck_assert_uint_eq(lg.n, 0);
	ck_assert_int_eq(f6_add(f, x, 129, 1), -1);
	ck_assert_uint_eq(lg.n, 0);
	/* build: one call per entry, in input order */
	to_bytes(x, a);
	to_bytes(~(u128)0, a + 16);
	ck_assert_int_eq(fib6_build(f, a, l, nh, 2), 0);
	ck_assert_uint_eq(lg.n, 2);
	ck_assert(lg.r[0].a == x && lg.r[0].len == 48 && lg.r[0].nh == 5);
	ck_assert(lg.r[1].a == (u128)0xff << 120 && lg.r[1].len == 8 && lg.r[1].nh == 6);
	lg.n = 0;
	/* clear: a removal for each of the 4 prefixes, in address order */
	ck_assert_uint_eq(fib6_count(f), 4);
	fib6_clear(f);
	ck_assert_uint_eq(lg.n, 4);
	ck_assert(lg.r[0].a == 0 && lg.r[0].len == 0 && lg.r[0].nh == FIB_NH_NONE);
	ck_assert(lg.r[1].a == (u128)2 << 124 && lg.r[1].len == 4);
	ck_assert(lg.r[2].a == x && lg.r[2].len == 48);
	ck_assert(lg.r[3].len == 8 && lg.r[3].nh == FIB_NH_NONE);
	fib6_free(f);
}
END_TEST

static int stop_cb(const uint8_t addr[16], uint8_t len, uint32_t nh, void *arg)
{
	size_t *n = arg;

	(void)addr;
	(void)len;
	(void)nh;
	return ++*n == 3 ? 42 : 0;
}

START_TEST(test_walk_stop)
{
	struct fib6 *f = fib6_new();
	size_t n = 0, i;

	for (i = 0; i < 10; i++)
		ck_assert_int_eq(f6_add(f, (u128)(0x2001 + i) << 112, 16, 1), 0);
	ck_assert_int_eq(fib6_walk(f, stop_cb, &n), 42);
	ck_assert_uint_eq(n, 3);
	fib6_free(f);
}
END_TEST

/* -------------------------------------------- reclaim, concurrent readers */

struct reclaim_list {
	void **p;
	size_t n, cap;
	pthread_mutex_t mu;
};

static void reclaim_cb(void *ptr, void *arg)
{
	struct reclaim_list *l = arg;

	pthread_mutex_lock(&l->mu);
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->p = xrealloc(l->p, l->cap * sizeof(void *));
	}
	l->p[l->n++] = ptr;
	pthread_mutex_unlock(&l->mu);
}

static void reclaim_drain(struct reclaim_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->p[i]);
	l->n = 0;
}

/* The writer churns inside 2001:db8::/32; the rest is stable. */
#define CHURN_BASE ((u128)0x20010db8 << 96)

struct reader_ctx {
	const struct fib6 *f;
	const struct ref *stable;
	int stop;
	unsigned long lookups;
	int bad;
};

static void *reader(void *arg)
{
	struct reader_ctx *c = arg;
	uint64_t st = 0x1234567;
	uint8_t keys[64 * 16];
	uint32_t nhs[64];
	u128 k[64];
	unsigned i;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		for (i = 0; i < 64; i++) {
			st ^= st << 13;
			st ^= st >> 7;
			st ^= st << 17;
			k[i] = (u128)st << 64 | (st * 0x9e3779b97f4a7c15ULL);
			if (i & 1)
				k[i] = CHURN_BASE | (k[i] & ~mask(32));
			else
				k[i] = (k[i] & ~mask(3)) | ((u128)1 << 125);
			to_bytes(k[i], keys + 16 * i);
		}
		fib6_lookup_bulk(c->f, keys, nhs, 64);
		for (i = 0; i < 64; i++) {
			if ((k[i] & mask(32)) == CHURN_BASE) {
				if (nhs[i] != 7 && (nhs[i] < 1000 || nhs[i] > 1999))
					c->bad++;
			} else if (nhs[i] != ref_lookup(c->stable, k[i])) {
				c->bad++;
			}
			if (fib6_lookup(c->f, keys + 16 * i) > 1999)
				c->bad++;
		}
		c->lookups += 128;
	}
	return NULL;
}

START_TEST(test_concurrent_readers)
{
	struct reclaim_list rl = { NULL, 0, 0, PTHREAD_MUTEX_INITIALIZER };
	struct fib6 *f = fib6_new();
	struct ref stable;
	struct reader_ctx rc;
	pthread_t th;
	size_t i;

	memset(&stable, 0, sizeof(stable));
	rng_seed(31);
	fib6_set_reclaim(f, reclaim_cb, &rl);
	for (i = 0; i < 3000; i++) {
		u128 a = (rnd128() & ~mask(3)) | ((u128)1 << 125);
		unsigned len = 1 + rnd() % 128;
		uint32_t nh;

		if ((a & mask(32)) == CHURN_BASE || (len < 32 && (a & mask(len)) == (CHURN_BASE & mask(len))))
			continue;
		nh = 1 + rnd() % 999;
		ck_assert_int_eq(f6_add(f, a, len, nh), 0);
		ref_add(&stable, a, len, nh);
	}
	ck_assert_int_eq(f6_add(f, CHURN_BASE, 32, 7), 0);
	reclaim_drain(&rl);
	rc.f = f;
	rc.stable = &stable;
	rc.stop = 0;
	rc.lookups = 0;
	rc.bad = 0;
	ck_assert_int_eq(pthread_create(&th, NULL, reader, &rc), 0);
	/* across the 4096 threshold, so the top array is replaced too */
	for (i = 0; i < 30000; i++) {
		u128 a = CHURN_BASE | (rnd128() & ~mask(32));
		unsigned len = 33 + rnd() % 96;

		if (i < 15000 || rnd() % 3 == 0)
			f6_add(f, a, (uint8_t)len, 1000 + rnd() % 1000);
		else
			f6_del(f, a, (uint8_t)len);
	}
	__atomic_store_n(&rc.stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	ck_assert_msg(rc.bad == 0, "%d bad lookups out of %lu", rc.bad, rc.lookups);
	ck_assert(rl.n > 0);
	reclaim_drain(&rl);
	fib6_free(f);
	reclaim_drain(&rl);
	free(rl.p);
	ref_free(&stable);
}
END_TEST

/* ---------------------------------------------------- the real table */

/* "X:X::X:X/M" lines; anything else (the IPv4 lines) is skipped. */
static int parse6(char *line, u128 *a, unsigned *len)
{
	uint8_t b[16];
	char *sl = strchr(line, '/'), *end;
	unsigned long l;

	if (strchr(line, ':') == NULL || sl == NULL)
		return -1;
	*sl = '\0';
	l = strtoul(sl + 1, &end, 10);
	if (end == sl + 1 || l > 128 || inet_pton(AF_INET6, line, b) != 1)
		return -1;
	*a = from_bytes(b) & mask((unsigned)l);
	*len = (unsigned)l;
	return 0;
}

/* The IPv6 prefixes of the real table, next hops round-robin over 1000;
 * NULL if the file is absent. */
static struct pfx *load_table(size_t *np)
{
	const char *file = table_file();
	char line[256], cmd[4200];
	size_t n = 0, cap = 1 << 18;
	struct pfx *p;
	FILE *fp;

	if (access(file, R_OK) != 0)
		return NULL;
	ck_assert_msg(strchr(file, '\'') == NULL, "quote in path %s", file);
	snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", file);
	fp = popen(cmd, "r");
	ck_assert_msg(fp != NULL, "cannot run gzip -dc %s", file);
	p = xcalloc(cap, sizeof(*p));
	while (fgets(line, sizeof(line), fp) != NULL) {
		u128 a;
		unsigned len;

		line[strcspn(line, "\r\n \t")] = '\0';
		if (parse6(line, &a, &len) != 0)
			continue;
		if (n == cap) {
			cap *= 2;
			p = xrealloc(p, cap * sizeof(*p));
		}
		p[n].addr = a;
		p[n].len = (uint8_t)len;
		p[n].nh = 1 + (uint32_t)(n % 1000);
		n++;
	}
	ck_assert_msg(pclose(fp) == 0, "gzip -dc %s failed", file);
	*np = n;
	return p;
}

/* Reference for big tables: the address space cut into intervals of equal
 * answer, searched by bisection. */
struct ivref {
	u128 *start;
	uint32_t *nh;
	size_t n;
};

static int pfx_cmp(const void *a, const void *b)
{
	const struct pfx *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->len - (int)y->len;
}

static void iv_emit(struct ivref *iv, u128 start, uint32_t nh)
{
	if (iv->n > 0 && iv->start[iv->n - 1] == start)
		iv->n--;
	if (iv->n > 0 && iv->nh[iv->n - 1] == nh)
		return;
	iv->start[iv->n] = start;
	iv->nh[iv->n] = nh;
	iv->n++;
}

/* p: distinct prefixes (sorted here). */
static void iv_build(struct ivref *iv, struct pfx *p, size_t n)
{
	struct {
		u128 last;
		uint32_t nh;
	} st[130];
	unsigned sp = 0;
	size_t i;

	qsort(p, n, sizeof(*p), pfx_cmp);
	iv->start = xcalloc(2 * n + 2, sizeof(u128));
	iv->nh = xcalloc(2 * n + 2, sizeof(uint32_t));
	iv->n = 0;
	iv_emit(iv, 0, FIB_NH_NONE);
	for (i = 0; i <= n; i++) {
		/* close the open prefixes that end before p[i] */
		while (sp > 0 && (i == n || st[sp - 1].last < p[i].addr)) {
			u128 last = st[--sp].last;

			if (last != ~(u128)0)
				iv_emit(iv, last + 1, sp > 0 ? st[sp - 1].nh : FIB_NH_NONE);
		}
		if (i == n)
			break;
		iv_emit(iv, p[i].addr, p[i].nh);
		st[sp].last = p[i].addr | ~mask(p[i].len);
		st[sp].nh = p[i].nh;
		sp++;
	}
}

static uint32_t iv_lookup(const void *arg, u128 a)
{
	const struct ivref *iv = arg;
	size_t lo = 0, hi = iv->n - 1;

	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;

		if (iv->start[mid] <= a)
			lo = mid;
		else
			hi = mid - 1;
	}
	return iv->nh[lo];
}

static void iv_free(struct ivref *iv)
{
	free(iv->start);
	free(iv->nh);
}

/* The interval reference agrees with the hash reference. */
START_TEST(test_interval_reference)
{
	struct pfx *p = xcalloc(3000, sizeof(*p));
	u128 hot[4];
	struct ref r;
	struct ivref iv;
	size_t i, n = 0;

	memset(&r, 0, sizeof(r));
	rng_seed(4243);
	make_hot(hot, 4);
	for (i = 0; i < 3000; i++) {
		rand_pfx(&p[n], hot, 4);
		if (ref_get(&r, p[n].addr, p[n].len) == 0) {
			ref_add(&r, p[n].addr, p[n].len, p[n].nh);
			n++;
		}
	}
	iv_build(&iv, p, n);
	for (i = 0; i < n; i++) {
		u128 last = p[i].addr | ~mask(p[i].len);

		ck_assert_uint_eq(iv_lookup(&iv, p[i].addr), ref_lookup(&r, p[i].addr));
		ck_assert_uint_eq(iv_lookup(&iv, last), ref_lookup(&r, last));
		ck_assert_uint_eq(iv_lookup(&iv, last + 1), ref_lookup(&r, last + 1));
		ck_assert_uint_eq(iv_lookup(&iv, p[i].addr - 1), ref_lookup(&r, p[i].addr - 1));
	}
	for (i = 0; i < 100000; i++) {
		u128 a = rand_key(p, n);

		ck_assert_uint_eq(iv_lookup(&iv, a), ref_lookup(&r, a));
	}
	iv_free(&iv);
	ref_free(&r);
	free(p);
}
END_TEST

START_TEST(test_real_table)
{
	size_t n, i, half;
	struct pfx *p = load_table(&n);
	uint8_t *a, *l;
	uint32_t *nh;
	struct fib6 *f, *g;
	struct fib_stats st;
	struct ivref iv;
	struct ref r;

	if (p == NULL) {
		fprintf(stderr, "test_fib6: %s absent, real-table test skipped\n", table_file());
		return;
	}
	ck_assert_uint_eq(n, REAL_V6);
	memset(&r, 0, sizeof(r));
	for (i = 0; i < n; i++)
		ref_add(&r, p[i].addr, p[i].len, p[i].nh);
	ck_assert_uint_eq(r.count, n); /* distinct */
	f = fib6_new();
	g = fib6_new();
	pfx_arrays(p, n, &a, &l, &nh);
	ck_assert_int_eq(fib6_build(f, a, l, nh, n), 0);
	ck_assert_uint_eq(fib6_count(f), n);
	iv_build(&iv, p, n);
	rng_seed(2026);
	check_all(f, iv_lookup, &iv, p, n, 2000000);
	check_walk(f, &r);
	fib6_stats(f, &st);
	fprintf(stderr, "test_fib6: real table %zu prefixes: %.2f B/prefix (lookup %.2f, prefixes %.2f), "
			"%u direct bits, %zu nodes, %zu blocks, %zu leaves\n",
		n, (double)st.mem_total / (double)n, (double)st.mem_lookup / (double)n,
		(double)st.mem_control / (double)n, st.direct_bits, st.nodes, st.blocks, st.leaves);
	ck_assert_uint_eq(st.direct_bits, 12);
	/* target <= 20 B/prefix: met by the lookup structure; the prefixes
	 * kept in it bring the total to about 23 */
	ck_assert_msg(st.mem_lookup <= 20 * n, "lookup structure %zu bytes for %zu prefixes", st.mem_lookup, n);
	ck_assert_msg(st.mem_total <= 24 * n, "%zu bytes for %zu prefixes", st.mem_total, n);

	/* The same table added one by one in a random order gives the same
	 * answers and the same structure. */
	for (i = n - 1; i > 0; i--) {
		size_t j = rnd() % (i + 1);
		struct pfx t = p[i];

		p[i] = p[j];
		p[j] = t;
	}
	for (i = 0; i < n; i++)
		if (f6_add(g, p[i].addr, p[i].len, p[i].nh) != 0)
			ck_abort_msg("fib6_add %zu", i);
	check_same_shape(f, g);
	check_all(g, iv_lookup, &iv, p, 0, 500000);
	iv_free(&iv);
	/* Delete a random half, check against a new reference, then the rest:
	 * back to the empty cost. */
	half = n / 2;
	for (i = 0; i < half; i++)
		if (f6_del(g, p[i].addr, p[i].len) != 0)
			ck_abort_msg("fib6_del %zu", i);
	ck_assert_int_eq(f6_del(g, p[0].addr, p[0].len), -1);
	ck_assert_uint_eq(fib6_count(g), n - half);
	iv_build(&iv, p + half, n - half);
	check_all(g, iv_lookup, &iv, p + half, n - half, 500000);
	check_all(g, iv_lookup, &iv, p, 50000, 0); /* edges of deleted prefixes */
	iv_free(&iv);
	for (i = half; i < n; i++)
		if (f6_del(g, p[i].addr, p[i].len) != 0)
			ck_abort_msg("fib6_del %zu", i);
	ck_assert_uint_eq(fib6_count(g), 0);
	ck_assert_uint_eq(fib6_memory(g), empty_memory());
	fib6_free(f);
	fib6_free(g);
	ref_free(&r);
	free(p);
	free(a);
	free(l);
	free(nh);
}
END_TEST

static Suite *fib6_suite(void)
{
	Suite *s = suite_create("fib6");
	TCase *tc = tcase_create("core"), *tr = tcase_create("real_table");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_reference_agree);
	tcase_add_loop_test(tc, test_random_tables, 0, (int)(sizeof(table_sizes) / sizeof(table_sizes[0])));
	tcase_add_test(tc, test_churn);
	tcase_add_test(tc, test_nested_lengths);
	tcase_add_test(tc, test_short_prefixes);
	tcase_add_test(tc, test_build_merge_clear);
	tcase_add_test(tc, test_notify);
	tcase_add_test(tc, test_walk_stop);
	tcase_add_test(tc, test_concurrent_readers);
	tcase_add_test(tc, test_interval_reference);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	tcase_add_test(tr, test_real_table);
	tcase_add_test(tr, test_top18);
	tcase_set_timeout(tr, 240);
	suite_add_tcase(s, tr);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fib6_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
