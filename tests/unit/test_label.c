/* Label manager: dynamic allocation, explicit labels, ownership, references,
 * exhaustion, block changes, owners as the audit prints them, and the
 * in-use table against a plain array. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe/label.h"
#include "vrf/vrf.h"

static const struct label_owner none = { .kind = LABEL_OWN_NONE };

static uint32_t vrf_id_of(const char *name)
{
	char err[160];
	struct vrf *vrf = vrf_create(name, err, sizeof(err));

	ck_assert_ptr_nonnull(vrf);
	return vrf->id;
}

static struct label_owner vrf_owner(const char *name)
{
	struct label_owner o = { .kind = LABEL_OWN_VRF, .vrf_id = vrf_id_of(name) };

	return o;
}

static struct label_owner ldp_owner(const char *fec)
{
	struct label_owner o = { .kind = LABEL_OWN_LDP };

	ck_assert_int_eq(prefix_parse(fec, &o.prefix, NULL), 0);
	return o;
}

static void setup(void)
{
	vrf_init();
	label_mgr_init();
}

static void teardown(void)
{
	label_mgr_fini();
	vrf_fini();
}

START_TEST(test_dynamic)
{
	struct label_owner va = vrf_owner("CUST-A"), fec = ldp_owner("10.0.0.1/32");
	mpls_label_t a = label_alloc(LABEL_CLIENT_BGP, &va);
	mpls_label_t b = label_alloc(LABEL_CLIENT_LDP, &fec);
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
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_BGP, &va), 18);
}
END_TEST

START_TEST(test_specific)
{
	struct label_owner va = vrf_owner("A"), vb = vrf_owner("B");
	char err[160];

	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 100, &va, err, sizeof(err)), 0);
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 100, &va, err, sizeof(err)), 0);
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 100, &vb, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "in use by bgp (vrf A)"));
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_LDP, 100, &va, err, sizeof(err)), -1);
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 15, &none, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "reserved"));
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 1048576, &none, err, sizeof(err)),
			 -1);
	/* two references: released twice */
	ck_assert_int_eq(label_release(LABEL_CLIENT_BGP, 100), 0);
	ck_assert(label_in_use(100, NULL));
	ck_assert_int_eq(label_release(LABEL_CLIENT_BGP, 100), 0);
	ck_assert(!label_in_use(100, NULL));
	/* dynamic allocation skips a label taken explicitly */
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_STATIC, 16, &none, err, sizeof(err)), 0);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_LDP, &none), 17);
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
		ck_assert_uint_eq(label_alloc(LABEL_CLIENT_BGP, &none), 1000 + (mpls_label_t)i);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_BGP, &none), MPLS_LABEL_NONE); /* exhausted */
	ck_assert_int_eq(label_release(LABEL_CLIENT_BGP, 1001), 0);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_BGP, &none), 1001); /* wraps around */
	ck_assert_int_eq(label_set_dynamic_block(5, 100, err, sizeof(err)), -1);
	ck_assert_int_eq(label_set_dynamic_block(200, 100, err, sizeof(err)), -1);
	for (l = 1000; l <= 1003; l++)
		ck_assert_int_eq(label_release(LABEL_CLIENT_BGP, l), 0);
	ck_assert_int_eq(label_set_dynamic_block(1000, 1001, err, sizeof(err)), 0);
}
END_TEST

/* As FRR: the block changes while LDP and BGP hold labels; those are kept
 * (not renumbered, not freed) until released, new ones come from the new
 * block, and a released old label is not handed out again. */
START_TEST(test_block_change_in_use)
{
	struct label_owner fec = { .kind = LABEL_OWN_LDP };
	char err[160];
	mpls_label_t a, b, c, l;
	enum label_client cl;

	ck_assert_int_eq(label_set_dynamic_block(1000, 1999, err, sizeof(err)), 0);
	a = label_alloc(LABEL_CLIENT_LDP, &fec);
	b = label_alloc(LABEL_CLIENT_LDP, &fec);
	c = label_alloc(LABEL_CLIENT_BGP, &none);
	ck_assert_uint_eq(a, 1000);
	ck_assert_uint_eq(b, 1001);
	ck_assert_uint_eq(c, 1002);
	/* a disjoint block: accepted with all three in use */
	ck_assert_int_eq(label_set_dynamic_block(5000, 5002, err, sizeof(err)), 0);
	ck_assert_uint_eq(label_count_outside_block(), 3);
	ck_assert(label_in_use(a, &cl));
	ck_assert_int_eq(cl, LABEL_CLIENT_LDP);
	ck_assert(label_in_use(c, &cl));
	ck_assert_int_eq(cl, LABEL_CLIENT_BGP);
	/* new labels from the new block only */
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_LDP, &fec), 5000);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_LDP, &fec), 5001);
	/* an old label released: freed, and not reused (outside the block) */
	ck_assert_int_eq(label_release(LABEL_CLIENT_LDP, a), 0);
	ck_assert(!label_in_use(a, NULL));
	ck_assert_uint_eq(label_count_outside_block(), 2);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_LDP, &fec), 5002);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_LDP, &fec), MPLS_LABEL_NONE); /* exhausted */
	/* an overlapping block: labels inside it that are in use are skipped */
	ck_assert_int_eq(label_set_dynamic_block(1001, 1003, err, sizeof(err)), 0);
	ck_assert_uint_eq(label_count_outside_block(), 3); /* 5000..5002 */
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_LDP, &fec), 1003);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_LDP, &fec), MPLS_LABEL_NONE);
	ck_assert_int_eq(label_release(LABEL_CLIENT_LDP, b), 0);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_LDP, &fec), 1001);
	for (l = 5000; l <= 5002; l++)
		ck_assert_int_eq(label_release(LABEL_CLIENT_LDP, l), 0);
	ck_assert_uint_eq(label_count_outside_block(), 0);
	ck_assert_int_eq(label_release(LABEL_CLIENT_BGP, c), 0);
}
END_TEST

/* Owners print as the purpose strings of old, so audits stay the same;
 * sharing an explicit label needs the same owner, field by field. */
START_TEST(test_owner)
{
	struct label_owner v = vrf_owner("CUST-A"), nh = v, pfx = v, pfx2;
	char buf[LABEL_OWNER_STRLEN], err[160];

	nh.kind = LABEL_OWN_VRF_NEXTHOP;
	nh.nexthop = ipaddr_v4(0xc0a80102); /* 192.168.1.2 */
	pfx.kind = LABEL_OWN_VRF_PREFIX;
	ck_assert_int_eq(prefix_parse("10.1.0.0/16", &pfx.prefix, NULL), 0);
	ck_assert_str_eq(label_owner_str(&v, buf, sizeof(buf)), "vrf CUST-A");
	ck_assert_str_eq(label_owner_str(&nh, buf, sizeof(buf)), "vrf CUST-A nexthop 192.168.1.2");
	ck_assert_str_eq(label_owner_str(&pfx, buf, sizeof(buf)), "vrf CUST-A prefix 10.1.0.0/16");
	pfx2 = ldp_owner("10.0.0.1/32");
	ck_assert_str_eq(label_owner_str(&pfx2, buf, sizeof(buf)), "ldp 10.0.0.1/32");
	ck_assert_str_eq(label_owner_str(&none, buf, sizeof(buf)), "");
	/* the audit cuts long owners at its width, as it always did */
	v = vrf_owner("a-rather-long-vrf-name-0123456");
	v.kind = LABEL_OWN_VRF_PREFIX;
	v.prefix = pfx.prefix;
	ck_assert_uint_eq(strlen(label_owner_str(&v, buf, sizeof(buf))), LABEL_OWNER_STRLEN - 1);
	/* same kind and VRF, another prefix: not the same owner */
	pfx2 = pfx;
	pfx2.prefix.len = 24;
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 200, &pfx, err, sizeof(err)), 0);
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 200, &pfx, err, sizeof(err)), 0);
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 200, &pfx2, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "(vrf CUST-A prefix 10.1.0.0/16)"));
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_BGP, 200, &nh, err, sizeof(err)), -1);
}
END_TEST

/* Random allocations and releases against a plain array of owners: the
 * hash table's backward-shift deletion must never lose an entry. */
struct saved {
	mpls_label_t l[8];
	int c[8];
	char o[8][LABEL_OWNER_KEYLEN];
	int n;
};

static void save_one(void *arg, mpls_label_t l, enum label_client c, const char *owner)
{
	struct saved *s = arg;

	ck_assert_int_lt(s->n, 8);
	s->l[s->n] = l;
	s->c[s->n] = (int)c;
	snprintf(s->o[s->n], sizeof(s->o[0]), "%s", owner);
	s->n++;
}

/* Hitless restart: the labels of a previous run, saved by owner, come back
 * to the same owners whatever the order of the new allocations; nobody
 * else gets them; the unclaimed ones are freed at the end. */
START_TEST(test_restore)
{
	struct label_owner va = vrf_owner("CUST-A"), vb = vrf_owner("CUST-B");
	struct label_owner f1 = ldp_owner("10.255.0.1/32"), f2 = ldp_owner("10.255.0.3/32");
	struct label_owner f3 = ldp_owner("10.255.0.9/32");
	mpls_label_t la, lb, l1, l2;
	struct saved s = { .n = 0 };
	int i;

	la = label_alloc(LABEL_CLIENT_BGP, &va);
	l1 = label_alloc(LABEL_CLIENT_LDP, &f1);
	lb = label_alloc(LABEL_CLIENT_BGP, &vb);
	l2 = label_alloc(LABEL_CLIENT_LDP, &f2);
	label_foreach(save_one, &s);
	ck_assert_int_eq(s.n, 4);

	/* a new process: VRFs created in another order (other ids) */
	label_mgr_fini();
	vrf_fini();
	vrf_init();
	label_mgr_init();
	vb = vrf_owner("CUST-B");
	va = vrf_owner("CUST-A");
	for (i = 0; i < s.n; i++)
		ck_assert_int_eq(label_restore_add((enum label_client)s.c[i], s.l[i], s.o[i]), 0);
	/* the same record twice, a reserved label, a bad client: refused */
	ck_assert_int_eq(label_restore_add((enum label_client)s.c[0], s.l[0], s.o[0]), -1);
	ck_assert_int_eq(label_restore_add(LABEL_CLIENT_BGP, s.l[1], "vrf OTHER"), -1);
	ck_assert_int_eq(label_restore_add(LABEL_CLIENT_MAX, 5000, "vrf X"), -1);
	ck_assert_uint_eq(label_restore_pending(), 4);
	/* a newcomer does not get any of them */
	mpls_label_t l3 = label_alloc(LABEL_CLIENT_LDP, &f3);
	ck_assert(l3 != la && l3 != lb && l3 != l1 && l3 != l2);
	/* the owners get theirs back, in any order; same FEC, other client: no */
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_LDP, &f2), l2);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_BGP, &vb), lb);
	ck_assert_uint_eq(label_alloc(LABEL_CLIENT_BGP, &va), la);
	ck_assert_uint_eq(label_restore_pending(), 1);
	/* f1 never comes back: its label is freed at the end, not before */
	ck_assert(label_in_use(l1, NULL) == false);
	ck_assert_uint_eq(label_restore_done(), 1);
	ck_assert_uint_eq(label_restore_pending(), 0);
	ck_assert_int_eq(label_alloc_specific(LABEL_CLIENT_STATIC, l1, &none, NULL, 0), 0);
	/* after the restart, allocation is as usual */
	ck_assert(label_alloc(LABEL_CLIENT_LDP, &f1) != l1);
}
END_TEST

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
			int rc = label_alloc_specific(c, l, &none, err, sizeof(err));

			if (owner[l] < 0) {
				ck_assert_int_eq(rc, 0);
				owner[l] = (signed char)c;
				label_release(c, l); /* keep one reference only */
				ck_assert_int_eq(
					label_alloc_specific(c, l, &none, err, sizeof(err)), 0);
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
	tcase_add_test(tc, test_block_change_in_use);
	tcase_add_test(tc, test_owner);
	tcase_add_test(tc, test_restore);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
