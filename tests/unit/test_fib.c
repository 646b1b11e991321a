#include "config.h"

/* Unit tests for vrf/fib.c: every lookup result is compared with a naive
 * reference (one hash table per prefix length, probed from /32 down). */

#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "vrf/fib.h"

#define TABLE_REL "/data/full-table-prefixes.txt.gz"

/* ../shared beside the repository; PE_SHARED_DIR overrides (make distcheck
 * builds from a copy of the tree elsewhere). */
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

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

static uint32_t mask(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

/* Reference: per-length open-addressing hash (addr -> nh, nh 0 = empty). */
struct rtab {
	uint32_t *key, *val;
	size_t cap, n;
};

struct ref {
	struct rtab t[33];
	uint64_t lens; /* bit l: some prefix of length l */
	size_t count;
};

static size_t rslot(const struct rtab *t, uint32_t k)
{
	return (size_t)((k * 0x9e3779b1u) ^ (k >> 15)) & (t->cap - 1);
}

static void rtab_grow(struct rtab *t)
{
	struct rtab o = *t;
	size_t i, j;

	t->cap = o.cap ? o.cap * 2 : 16;
	t->key = xcalloc(t->cap, sizeof(uint32_t));
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

static uint32_t ref_get(const struct ref *r, uint32_t a, unsigned len)
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

static void ref_add(struct ref *r, uint32_t a, unsigned len, uint32_t nh)
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
	r->lens |= 1ULL << len;
}

/* Backward-shift deletion. Returns false if absent. */
static bool ref_del(struct ref *r, uint32_t a, unsigned len)
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
		/* move k to j if h is not cyclically in (j, k] */
		if ((j < k) ? (h <= j || h > k) : (h <= j && h > k)) {
			t->key[j] = t->key[k];
			t->val[j] = t->val[k];
			t->val[k] = 0;
			j = k;
		}
	}
	t->n--;
	r->count--;
	if (t->n == 0)
		r->lens &= ~(1ULL << len);
	return true;
}

static uint32_t ref_lookup(const struct ref *r, uint32_t a)
{
	uint64_t l = r->lens;

	while (l) {
		unsigned len = 63u - (unsigned)__builtin_clzll(l);
		uint32_t v = ref_get(r, a & mask(len), len);

		if (v)
			return v;
		l &= ~(1ULL << len);
	}
	return FIB_NH_NONE;
}

static void ref_free(struct ref *r)
{
	unsigned l;

	for (l = 0; l <= 32; l++) {
		free(r->t[l].key);
		free(r->t[l].val);
	}
	memset(r, 0, sizeof(*r));
}

struct pfx {
	uint32_t addr;
	uint8_t len;
	uint32_t nh;
};

/* Random prefixes of every length 0..32, many of them overlapping (drawn
 * around a few hot bases). */
static void rand_pfx(struct pfx *p, const uint32_t *hot, unsigned nhot)
{
	uint32_t r = rnd();

	p->len = (uint8_t)(rnd() % 33);
	if (r % 4 != 0)
		p->addr = hot[(r >> 8) % nhot] ^ (rnd() >> (rnd() % 32));
	else
		p->addr = rnd();
	p->addr &= mask(p->len);
	p->nh = 1 + rnd() % FIB_NH_MAX;
}

static void check_key(const struct fib *f, const struct ref *r, uint32_t a)
{
	uint32_t got = fib_lookup(f, a), want = ref_lookup(r, a);

	/* if/ck_abort rather than ck_assert: Check records every passed
	 * assertion with a write(), too slow for millions of keys */
	if (got != want)
		ck_abort_msg("lookup %08x: fib %u, reference %u", a, got, want);
}

/* Random keys, and the first, last, and neighbouring addresses of the
 * given prefixes; single and bulk lookups. */
static void check_all(const struct fib *f, const struct ref *r, const struct pfx *p, size_t np, size_t nrand)
{
	uint32_t keys[256], nhs[256];
	size_t i, k;

	for (i = 0; i < np; i++) {
		uint32_t last = p[i].addr | ~mask(p[i].len);

		check_key(f, r, p[i].addr);
		check_key(f, r, last);
		check_key(f, r, p[i].addr - 1);
		check_key(f, r, last + 1);
	}
	for (i = 0; i < nrand; i += k) {
		for (k = 0; k < 256 && i + k < nrand; k++)
			keys[k] = rnd();
		fib_lookup_bulk(f, keys, nhs, k);
		for (size_t j = 0; j < k; j++)
			if (nhs[j] != ref_lookup(r, keys[j]))
				ck_abort_msg("bulk lookup %08x: fib %u, reference %u", keys[j], nhs[j],
					     ref_lookup(r, keys[j]));
	}
}

struct walk_ctx {
	const struct ref *r;
	size_t n;
	uint64_t last; /* (addr << 6 | len) of the previous prefix + 1 */
};

static int walk_cb(uint32_t addr, uint8_t len, uint32_t nh, void *arg)
{
	struct walk_ctx *w = arg;
	uint64_t key = (uint64_t)addr << 6 | len;

	if (key + 1 <= w->last || (addr & ~mask(len)) != 0 || ref_get(w->r, addr, len) != nh)
		ck_abort_msg("fib_walk: %08x/%u -> %u out of order or wrong", addr, len, nh);
	w->last = key + 1;
	w->n++;
	return 0;
}

static void check_walk(const struct fib *f, const struct ref *r)
{
	struct walk_ctx w = { r, 0, 0 };

	ck_assert_int_eq(fib_walk(f, walk_cb, &w), 0);
	ck_assert_uint_eq(w.n, r->count);
	ck_assert_uint_eq(fib_count(f), r->count);
}

/* Incremental and bulk builds give the same lookup structure (the control
 * trie may differ in realloc slack). */
static void check_same_shape(const struct fib *f1, const struct fib *f2)
{
	struct fib_stats a, b;

	fib_stats(f1, &a);
	fib_stats(f2, &b);
	ck_assert_uint_eq(a.nodes, b.nodes);
	ck_assert_uint_eq(a.leaves, b.leaves);
	ck_assert_uint_eq(a.cnodes, b.cnodes);
	ck_assert_uint_eq(a.direct_bits, b.direct_bits);
	ck_assert_uint_eq(a.blocks, b.blocks);
}

static size_t empty_memory(void)
{
	struct fib *f = fib_new();
	size_t m = fib_memory(f);

	fib_free(f);
	return m;
}

/* -------------------------------------------------------------- tests */

START_TEST(test_empty)
{
	struct fib *f = fib_new();
	struct fib_stats st;
	unsigned i;

	ck_assert_uint_eq(fib_count(f), 0);
	ck_assert_msg(fib_memory(f) <= 4096, "empty VRF costs %zu bytes", fib_memory(f));
	for (i = 0; i < 1000; i++)
		ck_assert_uint_eq(fib_lookup(f, rnd()), FIB_NH_NONE);
	ck_assert_uint_eq(fib_lookup(f, 0), FIB_NH_NONE);
	ck_assert_uint_eq(fib_lookup(f, ~0u), FIB_NH_NONE);
	ck_assert_int_eq(fib_del(f, 0, 0), -1);
	ck_assert_int_eq(fib_del(f, 0x0a000000, 8), -1);
	fib_stats(f, &st);
	ck_assert_uint_eq(st.mem_total, fib_memory(f));
	ck_assert_uint_eq(st.nodes, 0);
	fib_free(f);
	fib_free(NULL);
}
END_TEST

START_TEST(test_errors)
{
	struct fib *f = fib_new();
	size_t m0 = fib_memory(f);
	uint32_t a[2] = { 0x0a000000, 0x0b000000 }, nh[2] = { 1, 0 };
	uint8_t l[2] = { 8, 8 };

	ck_assert_int_eq(fib_add(f, 0x0a000000, 33, 1), -1);
	ck_assert_int_eq(fib_add(f, 0x0a000000, 8, FIB_NH_NONE), -1);
	ck_assert_int_eq(fib_add(f, 0x0a000000, 8, FIB_NH_MAX + 1), -1);
	ck_assert_int_eq(fib_add(f, 0x0a000000, 8, 0xffffffffu), -1);
	ck_assert_int_eq(fib_del(f, 0x0a000000, 33), -1);
	ck_assert_int_eq(fib_build(f, a, l, nh, 2), -1);
	ck_assert_uint_eq(fib_count(f), 0);
	ck_assert_uint_eq(fib_memory(f), m0);
	ck_assert_uint_eq(fib_lookup(f, 0x0a000001), FIB_NH_NONE);
	ck_assert_int_eq(fib_add(f, 0x0a000000, 8, FIB_NH_MAX), 0);
	ck_assert_uint_eq(fib_lookup(f, 0x0a000001), FIB_NH_MAX);
	ck_assert_int_eq(fib_add(f, 0x0a0000ff, 32, 1), 0);
	ck_assert_uint_eq(fib_lookup(f, 0x0a0000ff), 1);
	fib_free(f);
}
END_TEST

START_TEST(test_basic)
{
	struct fib *f = fib_new();

	ck_assert_int_eq(fib_add(f, 0x0a000000, 8, 1), 0);
	ck_assert_int_eq(fib_add(f, 0x0a01ffff, 16, 2), 0); /* host bits ignored */
	ck_assert_int_eq(fib_add(f, 0x0a010203, 32, 3), 0);
	ck_assert_int_eq(fib_add(f, 0x0a010200, 31, 5), 0);
	ck_assert_int_eq(fib_add(f, 0x12345678, 0, 4), 0);
	ck_assert_uint_eq(fib_count(f), 5);
	ck_assert_uint_eq(fib_lookup(f, 0x0a000001), 1);
	ck_assert_uint_eq(fib_lookup(f, 0x0a010001), 2);
	ck_assert_uint_eq(fib_lookup(f, 0x0a010203), 3);
	ck_assert_uint_eq(fib_lookup(f, 0x0a010202), 2);
	ck_assert_uint_eq(fib_lookup(f, 0x0a010201), 5);
	ck_assert_uint_eq(fib_lookup(f, 0x0a010200), 5);
	ck_assert_uint_eq(fib_lookup(f, 0x0b000000), 4);
	ck_assert_uint_eq(fib_lookup(f, 0xffffffff), 4);
	/* replace */
	ck_assert_int_eq(fib_add(f, 0x0a010000, 16, 7), 0);
	ck_assert_uint_eq(fib_count(f), 5);
	ck_assert_uint_eq(fib_lookup(f, 0x0a01fffe), 7);
	ck_assert_int_eq(fib_add(f, 0x0a010000, 16, 7), 0);
	ck_assert_uint_eq(fib_lookup(f, 0x0a01fffe), 7);
	/* delete */
	ck_assert_int_eq(fib_del(f, 0x0a010000, 16), 0);
	ck_assert_int_eq(fib_del(f, 0x0a010000, 16), -1);
	ck_assert_uint_eq(fib_lookup(f, 0x0a01fffe), 1);
	ck_assert_uint_eq(fib_lookup(f, 0x0a010203), 3);
	ck_assert_int_eq(fib_del(f, 0, 0), 0);
	ck_assert_uint_eq(fib_lookup(f, 0x0b000000), FIB_NH_NONE);
	ck_assert_int_eq(fib_del(f, 0x0a000000, 8), 0);
	ck_assert_uint_eq(fib_lookup(f, 0x0a000001), FIB_NH_NONE);
	ck_assert_uint_eq(fib_lookup(f, 0x0a010203), 3);
	ck_assert_int_eq(fib_del(f, 0x0a010203, 32), 0);
	ck_assert_int_eq(fib_del(f, 0x0a010200, 31), 0);
	ck_assert_uint_eq(fib_count(f), 0);
	ck_assert_uint_eq(fib_memory(f), empty_memory());
	fib_free(f);
}
END_TEST

static const size_t table_sizes[] = { 1, 2, 10, 100, 1000, 5000, 20000 };

/* Random tables of several sizes, built by fib_add and by fib_build. */
START_TEST(test_random_tables)
{
	size_t n = table_sizes[_i], i;
	struct pfx *p = xcalloc(n, sizeof(*p));
	uint32_t hot[16], *a = xcalloc(n, 4), *nh = xcalloc(n, 4);
	uint8_t *l = xcalloc(n, 1);
	struct ref r;
	struct fib *f1 = fib_new(), *f2 = fib_new();

	memset(&r, 0, sizeof(r));
	rng_seed(1000 + _i);
	for (i = 0; i < 16; i++)
		hot[i] = rnd();
	for (i = 0; i < n; i++) {
		rand_pfx(&p[i], hot, 16);
		ref_add(&r, p[i].addr, p[i].len, p[i].nh);
		ck_assert_int_eq(fib_add(f1, p[i].addr | (rnd() & ~mask(p[i].len)), p[i].len, p[i].nh), 0);
		a[i] = p[i].addr;
		l[i] = p[i].len;
		nh[i] = p[i].nh;
	}
	ck_assert_int_eq(fib_build(f2, a, l, nh, n), 0);
	check_all(f1, &r, p, n, 50000);
	check_all(f2, &r, p, n, 50000);
	check_walk(f1, &r);
	check_walk(f2, &r);
	check_same_shape(f1, f2);
	fib_free(f1);
	fib_free(f2);
	ref_free(&r);
	free(p);
	free(a);
	free(l);
	free(nh);
}
END_TEST

/* Adds and deletes interleaved with lookups; the table grows past the
 * 4096-prefix threshold of the wider top level and shrinks back to empty. */
START_TEST(test_churn)
{
	enum { N = 6000 };
	struct pfx *p = xcalloc(N, sizeof(*p));
	uint32_t hot[8];
	bool *in = xcalloc(N, sizeof(bool));
	struct ref r;
	struct fib *f = fib_new();
	size_t m0 = fib_memory(f), i, step;

	memset(&r, 0, sizeof(r));
	rng_seed(77);
	for (i = 0; i < 8; i++)
		hot[i] = rnd();
	for (i = 0; i < N; i++)
		rand_pfx(&p[i], hot, 8);
	for (step = 0; step < 60000; step++) {
		/* grow during the first half, shrink during the second */
		bool grow = step < 30000 ? (rnd() % 100) < 70 : (rnd() % 100) < 25;
		size_t k = rnd() % N;
		uint32_t key;

		if (grow) {
			uint32_t nh = 1 + rnd() % 1000;

			ck_assert_int_eq(fib_add(f, p[k].addr, p[k].len, nh), 0);
			ref_add(&r, p[k].addr, p[k].len, nh);
			in[k] = true;
		} else {
			int want = ref_del(&r, p[k].addr, p[k].len) ? 0 : -1;

			ck_assert_int_eq(fib_del(f, p[k].addr, p[k].len), want);
			in[k] = false;
		}
		ck_assert_uint_eq(fib_count(f), r.count);
		/* the changed prefix's edges, and a few random keys */
		key = p[k].addr | ~mask(p[k].len);
		check_key(f, &r, p[k].addr);
		check_key(f, &r, key);
		check_key(f, &r, key + 1);
		check_key(f, &r, p[k].addr + (rnd() & ~mask(p[k].len)));
		check_key(f, &r, rnd());
		if (step % 5000 == 0)
			check_all(f, &r, p, N, 20000);
	}
	check_walk(f, &r);
	for (i = 0; i < N; i++) {
		if (ref_del(&r, p[i].addr, p[i].len))
			ck_assert_int_eq(fib_del(f, p[i].addr, p[i].len), 0);
		else
			ck_assert_int_eq(fib_del(f, p[i].addr, p[i].len), -1);
	}
	ck_assert_uint_eq(fib_count(f), 0);
	ck_assert_uint_eq(fib_memory(f), m0);
	check_all(f, &r, p, 100, 1000);
	fib_free(f);
	ref_free(&r);
	free(p);
	free(in);
}
END_TEST

/* Every /N below 16, /0 and /32 edge cases, nested chains of every length. */
START_TEST(test_nested_lengths)
{
	struct fib *f = fib_new();
	struct ref r;
	struct pfx p[33 * 4];
	size_t np = 0;
	unsigned len, k;
	uint32_t bases[4] = { 0x00000000, 0xffffffff, 0x0a0b0c0d, 0x80000001 };

	memset(&r, 0, sizeof(r));
	rng_seed(5);
	for (k = 0; k < 4; k++) {
		for (len = 0; len <= 32; len++) {
			uint32_t nh = k * 100 + len + 1;

			p[np].addr = bases[k] & mask(len);
			p[np].len = (uint8_t)len;
			np++;
			ck_assert_int_eq(fib_add(f, bases[k], (uint8_t)len, nh), 0);
			ref_add(&r, bases[k], len, nh);
			check_all(f, &r, p, np, 100);
		}
	}
	/* remove in an order that alternates short and long */
	for (len = 0; len <= 32; len++) {
		for (k = 0; k < 4; k++) {
			unsigned l2 = (len % 2) ? 32 - len / 2 : len / 2;

			if (ref_del(&r, bases[k], l2))
				ck_assert_int_eq(fib_del(f, bases[k], (uint8_t)l2), 0);
			check_all(f, &r, p, np, 100);
		}
	}
	ck_assert_uint_eq(fib_count(f), 0);
	ck_assert_uint_eq(fib_memory(f), empty_memory());
	fib_free(f);
	ref_free(&r);
}
END_TEST

/* fib_clear and rebuilding across top-level sizes. */
START_TEST(test_clear)
{
	struct fib *f = fib_new();
	size_t m0 = fib_memory(f), i;
	struct ref r;

	memset(&r, 0, sizeof(r));
	rng_seed(9);
	for (i = 0; i < 5000; i++)
		ck_assert_int_eq(fib_add(f, rnd(), (uint8_t)(8 + rnd() % 25), 1 + rnd() % 50), 0);
	ck_assert(fib_memory(f) > m0);
	fib_clear(f);
	ck_assert_uint_eq(fib_count(f), 0);
	ck_assert_uint_eq(fib_memory(f), m0);
	check_all(f, &r, NULL, 0, 1000);
	ck_assert_int_eq(fib_add(f, 0, 0, 9), 0);
	ck_assert_uint_eq(fib_lookup(f, 0x01020304), 9);
	fib_free(f);
}
END_TEST

/* Reclaim hook: unlinked memory goes to the hook, not to free(). */
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

struct reader_ctx {
	const struct fib *f;
	const struct ref *stable; /* answers outside 10.0.0.0/8 */
	int stop;
	unsigned long lookups;
	int bad;
};

static void *reader(void *arg)
{
	struct reader_ctx *c = arg;
	uint64_t st = 0x1234567;
	uint32_t keys[64], nhs[64];
	unsigned i;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		for (i = 0; i < 64; i++) {
			st ^= st << 13;
			st ^= st >> 7;
			st ^= st << 17;
			keys[i] = (uint32_t)st;
			if (i & 1)
				keys[i] = 0x0a000000 | (keys[i] & 0x00ffffff);
		}
		fib_lookup_bulk(c->f, keys, nhs, 64);
		for (i = 0; i < 64; i++) {
			if ((keys[i] >> 24) == 10) {
				/* written by the writer: 1000..1999, or the /8 */
				if (nhs[i] != 7 && (nhs[i] < 1000 || nhs[i] > 1999))
					c->bad++;
			} else if (nhs[i] != ref_lookup(c->stable, keys[i])) {
				c->bad++;
			}
			if (fib_lookup(c->f, keys[i] ^ 1) > 1999)
				c->bad++;
		}
		c->lookups += 128;
	}
	return NULL;
}

START_TEST(test_concurrent_readers)
{
	struct reclaim_list rl = { NULL, 0, 0, PTHREAD_MUTEX_INITIALIZER };
	struct fib *f = fib_new();
	struct ref stable;
	struct reader_ctx rc;
	pthread_t th;
	size_t i;

	memset(&stable, 0, sizeof(stable));
	rng_seed(31);
	fib_set_reclaim(f, reclaim_cb, &rl);
	/* a stable table outside 10.0.0.0/8 */
	for (i = 0; i < 3000; i++) {
		uint32_t a = rnd();
		uint8_t len = (uint8_t)(1 + rnd() % 32);
		uint32_t nh;

		if ((a >> 24) == 10 || (len < 8 && (a >> (32 - len)) == (0x0a000000u >> (32 - len))))
			continue;
		nh = 1 + rnd() % 999;
		ck_assert_int_eq(fib_add(f, a, len, nh), 0);
		ref_add(&stable, a, len, nh);
	}
	fib_add(f, 0x0a000000, 8, 7);
	reclaim_drain(&rl);
	rc.f = f;
	rc.stable = &stable;
	rc.stop = 0;
	rc.lookups = 0;
	rc.bad = 0;
	ck_assert_int_eq(pthread_create(&th, NULL, reader, &rc), 0);
	/* the writer churns inside 10.0.0.0/8, across the 4096 threshold */
	for (i = 0; i < 40000; i++) {
		uint32_t a = 0x0a000000 | (rnd() & 0x00ffffff);
		uint8_t len = (uint8_t)(9 + rnd() % 24);

		if (i < 20000 || rnd() % 3 == 0)
			fib_add(f, a, len, 1000 + rnd() % 1000);
		else
			fib_del(f, a, len);
	}
	__atomic_store_n(&rc.stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	ck_assert_msg(rc.bad == 0, "%d bad lookups out of %lu", rc.bad, rc.lookups);
	ck_assert(rl.n > 0);
	reclaim_drain(&rl);
	fib_free(f);
	reclaim_drain(&rl);
	free(rl.p);
	ref_free(&stable);
}
END_TEST

/* ---------------------------------------------------- the real table */

static struct pfx *load_table(size_t *np)
{
	char line[128];
	FILE *fp;
	size_t n = 0, cap = 1 << 20;
	struct pfx *p;

	const char *file = table_file();
	char cmd[4200];

	ck_assert_msg(access(file, R_OK) == 0,
		      "missing %s: the real-table test needs ../shared/data/ beside the repository (or PE_SHARED_DIR)",
		      file);
	ck_assert_msg(strchr(file, '\'') == NULL, "quote in path %s", file);
	snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", file);
	fp = popen(cmd, "r");
	ck_assert_msg(fp != NULL, "cannot run gzip -dc %s", file);
	p = xcalloc(cap, sizeof(*p));
	while (fgets(line, sizeof(line), fp) != NULL) {
		unsigned b[4], len;

		if (strchr(line, ':') != NULL)
			continue; /* IPv6 */
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
	ck_assert_msg(pclose(fp) == 0, "gzip -dc %s failed", file);
	*np = n;
	return p;
}

/* Second reference for big tables: the address space cut into intervals
 * of equal answer, searched by bisection (much faster than probing 25
 * hash tables for every key). */
struct ivref {
	uint32_t *start, *nh;
	size_t n;
};

static int pfx_cmp(const void *a, const void *b)
{
	const struct pfx *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->len - (int)y->len;
}

static void iv_emit(struct ivref *iv, uint32_t start, uint32_t nh)
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
		uint64_t last;
		uint32_t nh;
	} st[34];
	unsigned sp = 0;
	size_t i;

	qsort(p, n, sizeof(*p), pfx_cmp);
	iv->start = xcalloc(2 * n + 2, sizeof(uint32_t));
	iv->nh = xcalloc(2 * n + 2, sizeof(uint32_t));
	iv->n = 0;
	iv_emit(iv, 0, FIB_NH_NONE);
	for (i = 0; i <= n; i++) {
		uint64_t a = i < n ? p[i].addr : (1ULL << 32);

		/* close the open prefixes that end before a */
		while (sp > 0 && st[sp - 1].last < a) {
			uint64_t end = st[--sp].last + 1;

			if (end < (1ULL << 32))
				iv_emit(iv, (uint32_t)end, sp > 0 ? st[sp - 1].nh : FIB_NH_NONE);
		}
		if (i == n)
			break;
		iv_emit(iv, p[i].addr, p[i].nh);
		st[sp].last = (uint64_t)p[i].addr + (~mask(p[i].len) & 0xffffffffULL);
		st[sp].nh = p[i].nh;
		sp++;
	}
}

static uint32_t iv_lookup(const struct ivref *iv, uint32_t a)
{
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

static void iv_check_key(const struct fib *f, const struct ivref *iv, uint32_t a)
{
	uint32_t got = fib_lookup(f, a), want = iv_lookup(iv, a);

	if (got != want)
		ck_abort_msg("lookup %08x: fib %u, reference %u", a, got, want);
}

/* Edges of every prefix in p, and nrand random keys (bulk). */
static void iv_check_all(const struct fib *f, const struct ivref *iv, const struct pfx *p, size_t np, size_t nrand)
{
	uint32_t keys[256], nhs[256];
	size_t i, k, j;

	for (i = 0; i < np; i++) {
		uint32_t last = p[i].addr | ~mask(p[i].len);

		iv_check_key(f, iv, p[i].addr);
		iv_check_key(f, iv, last);
		iv_check_key(f, iv, p[i].addr - 1);
		iv_check_key(f, iv, last + 1);
	}
	for (i = 0; i < nrand; i += k) {
		for (k = 0; k < 256 && i + k < nrand; k++)
			keys[k] = rnd();
		fib_lookup_bulk(f, keys, nhs, k);
		for (j = 0; j < k; j++)
			if (nhs[j] != iv_lookup(iv, keys[j]))
				ck_abort_msg("bulk lookup %08x: fib %u, reference %u", keys[j], nhs[j],
					     iv_lookup(iv, keys[j]));
	}
}

/* The interval reference agrees with the hash reference (so a shared
 * mistake in both is unlikely). */
START_TEST(test_interval_reference)
{
	struct pfx p[3000];
	uint32_t hot[4];
	struct ref r;
	struct ivref iv;
	size_t i, n = 0;

	memset(&r, 0, sizeof(r));
	rng_seed(4242);
	for (i = 0; i < 4; i++)
		hot[i] = rnd();
	for (i = 0; i < 3000; i++) {
		rand_pfx(&p[n], hot, 4);
		if (ref_get(&r, p[n].addr, p[n].len) == 0) {
			ref_add(&r, p[n].addr, p[n].len, p[n].nh);
			n++;
		}
	}
	iv_build(&iv, p, n);
	for (i = 0; i < n; i++) {
		uint32_t last = p[i].addr | ~mask(p[i].len);

		ck_assert_uint_eq(iv_lookup(&iv, p[i].addr), ref_lookup(&r, p[i].addr));
		ck_assert_uint_eq(iv_lookup(&iv, last), ref_lookup(&r, last));
		ck_assert_uint_eq(iv_lookup(&iv, last + 1), ref_lookup(&r, last + 1));
		ck_assert_uint_eq(iv_lookup(&iv, p[i].addr - 1), ref_lookup(&r, p[i].addr - 1));
	}
	for (i = 0; i < 100000; i++) {
		uint32_t a = rnd();

		ck_assert_uint_eq(iv_lookup(&iv, a), ref_lookup(&r, a));
	}
	iv_free(&iv);
	ref_free(&r);
}
END_TEST

START_TEST(test_real_table)
{
	size_t n, i, half;
	struct pfx *p = load_table(&n);
	uint32_t *a = xcalloc(n, 4), *nh = xcalloc(n, 4);
	uint8_t *l = xcalloc(n, 1);
	struct fib *f = fib_new(), *g = fib_new();
	struct fib_stats st;
	struct ivref iv;
	struct ref r;

	ck_assert_uint_eq(n, 901899);
	memset(&r, 0, sizeof(r));
	for (i = 0; i < n; i++) {
		a[i] = p[i].addr;
		l[i] = p[i].len;
		nh[i] = p[i].nh;
		ref_add(&r, p[i].addr, p[i].len, p[i].nh);
	}
	ck_assert_uint_eq(r.count, n); /* distinct */
	ck_assert_int_eq(fib_build(f, a, l, nh, n), 0);
	ck_assert_uint_eq(fib_count(f), n);
	iv_build(&iv, p, n);
	rng_seed(2026);
	iv_check_all(f, &iv, p, n, 2000000);
	check_walk(f, &r);
	fib_stats(f, &st);
	ck_assert_uint_eq(st.direct_bits, 18);
	ck_assert_msg(st.mem_lookup <= 10 * n, "lookup structure %zu bytes for %zu prefixes", st.mem_lookup, n);

	/* The same table added one by one in a random order gives the same
	 * answers and the same structure. */
	for (i = n - 1; i > 0; i--) {
		size_t j = rnd() % (i + 1);
		struct pfx t = p[i];

		p[i] = p[j];
		p[j] = t;
	}
	for (i = 0; i < n; i++)
		if (fib_add(g, p[i].addr, p[i].len, p[i].nh) != 0)
			ck_abort_msg("fib_add %08x/%u", p[i].addr, p[i].len);
	check_same_shape(f, g);
	iv_check_all(g, &iv, p, 0, 500000);
	iv_free(&iv);
	/* Delete a random half, check against a new reference, then the rest:
	 * back to the empty cost. */
	half = n / 2;
	for (i = 0; i < half; i++)
		if (fib_del(g, p[i].addr, p[i].len) != 0)
			ck_abort_msg("fib_del %08x/%u", p[i].addr, p[i].len);
	ck_assert_int_eq(fib_del(g, p[0].addr, p[0].len), -1);
	ck_assert_uint_eq(fib_count(g), n - half);
	iv_build(&iv, p + half, n - half);
	iv_check_all(g, &iv, p + half, n - half, 500000);
	iv_check_all(g, &iv, p, 100000, 0); /* edges of deleted prefixes */
	iv_free(&iv);
	for (i = half; i < n; i++)
		if (fib_del(g, p[i].addr, p[i].len) != 0)
			ck_abort_msg("fib_del %08x/%u", p[i].addr, p[i].len);
	ck_assert_uint_eq(fib_count(g), 0);
	ck_assert_uint_eq(fib_memory(g), empty_memory());
	fib_free(f);
	fib_free(g);
	ref_free(&r);
	free(p);
	free(a);
	free(l);
	free(nh);
}
END_TEST

static Suite *fib_suite(void)
{
	Suite *s = suite_create("fib");
	TCase *tc = tcase_create("core"), *tr = tcase_create("real_table");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_basic);
	tcase_add_loop_test(tc, test_random_tables, 0, (int)(sizeof(table_sizes) / sizeof(table_sizes[0])));
	tcase_add_test(tc, test_churn);
	tcase_add_test(tc, test_nested_lengths);
	tcase_add_test(tc, test_clear);
	tcase_add_test(tc, test_concurrent_readers);
	tcase_add_test(tc, test_interval_reference);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tcase_add_test(tr, test_real_table);
	tcase_set_timeout(tr, 120);
	suite_add_tcase(s, tr);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fib_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
