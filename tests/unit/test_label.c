/* Label manager: dynamic allocation, explicit labels, ownership, references,
 * exhaustion, block changes, and the in-use table against a plain array. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe/label.h"

static void setup(void)
{
	label_mgr_init();
}

static void teardown(void)
{
	label_mgr_fini();
}

START_TEST(test_dynamic)
{
	mpls_label_t a = label_alloc(LABEL_CLIENT_BGP, "vrf CUST-A");
	mpls_label_t b = label_alloc(LABEL_CLIENT_LDP, "fec 10.0.0.1/32");
	enum label_client c;

	ck_assert_uint_eq(a, 16);
	ck_assert_uint_eq(b, 17);
	ck_assert(label_in_use(a, &c));
	ck_assert_int_eq(c, LABEL_CLIENT_BGP);
	ck_assert_uint_eq(label_count(LABEL_CLIENT_BGP), 1);
	/* only the owner may release */
	ck_assert_int_eq(label_release(LABEL_CLIENT_LDP, a), -1);
	ck_assert_int_eq(label_release(LABEL_CLIENT_BGP, a), 0);
	ck_assert(!label_in_use(a, NULL));
	ck_assert_int_eq(label_release(LABEL_CLIENT_BGP, a), -1);
	/* a released label is not handed out again at once */
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_BGP, "x"), 18);
}
END_TEST

START_TEST(test_specific)
{
	char err[160];

	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 100, "vrf A", err, sizeof(err)), 0);
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 100, "vrf A", err, sizeof(err)), 0);
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 100, "vrf B", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "in use by bgp (vrf A)"));
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_LDP, 100, "vrf A", err, sizeof(err)), -1);
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 15, "r", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "reserved"));
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 1048576, "r", err, sizeof(err)), -1);
	/* two references: released twice */
	ck_assert_int_eq(label_release(LABEL_CLIENT_BGP, 100), 0);
	ck_assert(label_in_use(100, NULL));
	ck_assert_int_eq(label_release(LABEL_CLIENT_BGP, 100), 0);
	ck_assert(!label_in_use(100, NULL));
	/* dynamic allocation skips a label taken explicitly */
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_STATIC, 16, "s", err, sizeof(err)), 0);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_LDP, "f"), 17);
}
END_TEST

START_TEST(test_block)
{
	char err[160];
	mpls_label_t lo, hi, l;
	int i;

	ck_assert_int_eq(label_set_dynamic_block(1000, 1003, err, sizeof(err)), 0);
	label_get_dynamic_block(&lo, &hi);
	ck_assert_uint_eq(lo, 1000);
	ck_assert_uint_eq(hi, 1003);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(label_alloc(LABEL_CLIENT_BGP, "p"), 1000 + (mpls_label_t)i);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_BGP, "p"), MPLS_LABEL_NONE); /* exhausted */
	ck_assert_int_eq(label_release(LABEL_CLIENT_BGP, 1001), 0);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_BGP, "p"), 1001); /* wraps around */
	/* shrinking under labels in use is refused */
	ck_assert_int_eq(label_set_dynamic_block(1000, 1001, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "in use outside the new block"));
	ck_assert_int_eq(label_set_dynamic_block(5, 100, err, sizeof(err)), -1);
	ck_assert_int_eq(label_set_dynamic_block(200, 100, err, sizeof(err)), -1);
	for (l = 1000; l <= 1003; l++)
		ck_assert_int_eq(label_release(LABEL_CLIENT_BGP, l), 0);
	ck_assert_int_eq(label_set_dynamic_block(1000, 1001, err, sizeof(err)), 0);
}
END_TEST

/* Random allocations and releases against a plain array of owners: the
 * hash table's backward-shift deletion must never lose an entry. */
START_TEST(test_random)
{
	static signed char owner[2048];
	char err[160];
	int step, i;

	memset(owner, -1, sizeof(owner));
	srandom(7);
	for (step = 0; step < 50000; step++) {
		mpls_label_t l = 16 + (mpls_label_t)(random() % 2000);
		int c = (int)(random() % LABEL_CLIENT_MAX);

		if (random() % 2) {
			int rc = label_alloc_specific(c, l, "r", err, sizeof(err));

			if (owner[l] < 0) {
				ck_assert_int_eq(rc, 0);
				owner[l] = (signed char)c;
				label_release(c, l); /* keep one reference only */
				ck_assert_int_eq(label_alloc_specific(c, l, "r", err, sizeof(err)), 0);
			} else {
				ck_assert_int_eq(rc, owner[l] == c ? 0 : -1);
				if (rc == 0)
					label_release(c, l);
			}
		} else {
			int rc = label_release(c, l);

			ck_assert_int_eq(rc, owner[l] == c ? 0 : -1);
			if (rc == 0)
				owner[l] = -1;
		}
	}
	for (i = 16; i < 2016; i++) {
		enum label_client c;

		ck_assert(label_in_use((mpls_label_t)i, &c) == (owner[i] >= 0));
		if (owner[i] >= 0)
			ck_assert_int_eq((int)c, owner[i]);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("label");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dynamic);
	tcase_add_test(tc, test_specific);
	tcase_add_test(tc, test_block);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
