/* lib/kbatch.c: walking an unordered table in order, a bounded batch per
 * pass: every key once, in order, whatever the batch size, with keys added
 * and removed between passes (one present throughout is always seen; none
 * twice), and keys larger than the swap buffer. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kbatch.h"

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* the table: a shuffled array of distinct keys, present[] by key */
#define N 5000
static uint32_t table[N];
static bool present[N * 3];

static void shuffle(uint32_t *v, size_t n, unsigned seed)
{
	size_t i;

	srand(seed);
	for (i = n - 1; i > 0; i--) {
		size_t j = (size_t)rand() % (i + 1);
		uint32_t t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

START_TEST(test_all_in_order)
{
	static const size_t caps[] = { 1, 7, 100, N - 1, N, N + 10 };
	struct kbatch kb;
	size_t c, i, seen, passes;
	uint32_t prev;

	for (i = 0; i < N; i++)
		table[i] = (uint32_t)(i * 3 + 1);
	shuffle(table, N, 7);
	for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		kbatch_init(&kb, sizeof(uint32_t), u32_cmp);
		seen = passes = 0;
		prev = 0;
		do {
			kbatch_begin(&kb, caps[c]);
			for (i = 0; i < N; i++)
				kbatch_offer(&kb, &table[i]);
			kbatch_end(&kb);
			passes++;
			ck_assert_uint_le(kb.n, caps[c]);
			for (; kb.next < kb.n; kb.next++) {
				uint32_t k = *(uint32_t *)kbatch_at(&kb, kb.next);

				ck_assert_uint_gt(k, prev);
				prev = k;
				seen++;
			}
		} while (!kb.exhausted);
		ck_assert_uint_eq(seen, N);
		ck_assert_uint_eq(passes, (N + caps[c] - 1) / caps[c]); /* no empty last pass */
		kbatch_free(&kb);
	}
}
END_TEST

/* Between passes, keys come and go: each key present from start to end is
 * seen exactly once; none is seen twice; the order holds. */
START_TEST(test_changes_between_passes)
{
	struct kbatch kb;
	uint32_t keys[N * 3];
	int64_t prev = -1;
	size_t i, n = 0, pass = 0;
	bool always[N * 3], seen_k[N * 3];

	memset(seen_k, 0, sizeof(seen_k));
	for (i = 0; i < N * 3; i++) {
		present[i] = i % 3 == 0;
		always[i] = i % 6 == 0; /* never removed */
	}
	kbatch_init(&kb, sizeof(uint32_t), u32_cmp);
	do {
		n = 0;
		for (i = 0; i < N * 3; i++)
			if (present[i])
				keys[n++] = (uint32_t)i;
		shuffle(keys, n, (unsigned)pass);
		kbatch_begin(&kb, 300);
		for (i = 0; i < n; i++)
			kbatch_offer(&kb, &keys[i]);
		kbatch_end(&kb);
		for (; kb.next < kb.n; kb.next++) {
			uint32_t k = *(uint32_t *)kbatch_at(&kb, kb.next);

			ck_assert_int_gt(k, prev);
			ck_assert(!seen_k[k]);
			seen_k[k] = true;
			prev = k;
		}
		/* churn: drop some that may come, add some behind and ahead */
		for (i = pass % 5; i < N * 3; i += 97)
			if (!always[i])
				present[i] = !present[i];
		pass++;
	} while (!kb.exhausted);
	for (i = 0; i < N * 3; i++)
		if (always[i])
			ck_assert_msg(seen_k[i], "key %zu present throughout was not seen", i);
	kbatch_free(&kb);
}
END_TEST

/* Keys of 100 bytes (more than the 64-byte swap buffer), ordered by their
 * last byte then first. */
struct big {
	uint8_t b[100];
};

static int big_cmp(const void *a, const void *b)
{
	const struct big *x = a, *y = b;

	if (x->b[99] != y->b[99])
		return x->b[99] < y->b[99] ? -1 : 1;
	return memcmp(x->b, y->b, 99);
}

START_TEST(test_large_keys)
{
	struct kbatch kb;
	struct big v[200];
	size_t i, seen = 0;
	int last = -1;

	for (i = 0; i < 200; i++) {
		memset(v[i].b, (int)i, sizeof(v[i].b));
		v[i].b[99] = (uint8_t)(199 - i);
	}
	kbatch_init(&kb, sizeof(struct big), big_cmp);
	do {
		kbatch_begin(&kb, 16);
		for (i = 0; i < 200; i++)
			kbatch_offer(&kb, &v[i]);
		kbatch_end(&kb);
		for (; kb.next < kb.n; kb.next++) {
			const struct big *k = kbatch_at(&kb, kb.next);
			size_t j;

			ck_assert_int_gt(k->b[99], last);
			last = k->b[99];
			for (j = 0; j < 99; j++) /* whole: not torn by a swap */
				ck_assert_uint_eq(k->b[j], (uint8_t)(199 - k->b[99]));
			seen++;
		}
	} while (!kb.exhausted);
	ck_assert_uint_eq(seen, 200);
	kbatch_free(&kb);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kbatch");
	TCase *tc = tcase_create("kbatch");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_all_in_order);
	tcase_add_test(tc, test_changes_between_passes);
	tcase_add_test(tc, test_large_keys);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
