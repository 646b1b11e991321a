/* mpbgp/decide.c: the best-path comparator (RFC 4271 9.1.2.2, RFC 4456 9).
 * One test per step: two paths that differ only in that attribute, checking
 * the winner both ways round and the reason; then the special rules
 * (ORIGINATOR_ID, MED between neighbor ASes, invalid paths) and algebraic
 * properties (antisymmetry, transitivity) on random path sets. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mpbgp/rib.h"

#define LOCAL_AS 65000

struct tpath {
	struct bgp_path p;
	struct bgp_attr a;
	uint8_t aspath[64];
	uint32_t clusters[8];
};

static struct bgp_peer ibgp1, ibgp2, ebgp1, ebgp2;
static const struct bgp_decide_ctx ctx = {.local_as = LOCAL_AS};

static void mkpeer(struct bgp_peer *p, uint32_t addr, uint32_t as, uint32_t id)
{
	memset(p, 0, sizeof(*p));
	p->cfg.addr = ipaddr_v4(addr);
	p->cfg.remote_as = as;
	p->remote_id = id;
}

static void setup(void)
{
	mkpeer(&ibgp1, 0x0a000001, LOCAL_AS, 0x01010101);
	mkpeer(&ibgp2, 0x0a000002, LOCAL_AS, 0x02020202);
	mkpeer(&ebgp1, 0x0a000003, 65001, 0x03030303);
	mkpeer(&ebgp2, 0x0a000004, 65002, 0x04040404);
}

/* AS path of one SEQUENCE segment with n ASNs starting at first. */
static void set_seq(struct tpath *t, uint32_t first, int n)
{
	int i;

	t->aspath[0] = BGP_ASPATH_SEQUENCE;
	t->aspath[1] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		uint32_t as = first + (uint32_t)i;

		t->aspath[2 + i * 4] = (uint8_t)(as >> 24);
		t->aspath[3 + i * 4] = (uint8_t)(as >> 16);
		t->aspath[4 + i * 4] = (uint8_t)(as >> 8);
		t->aspath[5 + i * 4] = (uint8_t)as;
	}
	t->a.aspath = t->aspath;
	t->a.aspath_len = (uint16_t)(2 + 4 * n);
}

/* A valid iBGP path from ibgp1 with AS path "65010" and default attributes. */
static void mk(struct tpath *t)
{
	memset(t, 0, sizeof(*t));
	t->a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		       BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	t->a.origin = BGP_ORIGIN_IGP;
	t->a.nexthop = ipaddr_v4(0xc0a80001);
	set_seq(t, 65010, 1);
	t->p.attr = &t->a;
	t->p.src = BGP_SRC_PEER;
	t->p.peer = &ibgp1;
	t->p.flags = BGP_PATH_VALID | BGP_PATH_NH_OK;
}

/* a must beat b for reason r, both ways round. */
static void expect_better(struct tpath *a, struct tpath *b, enum bgp_select_reason r)
{
	enum bgp_select_reason got = BGP_SEL_MAX;

	ck_assert_int_lt(bgp_path_cmp(&a->p, &b->p, &ctx, &got), 0);
	ck_assert_str_eq(bgp_select_reason_str(got), bgp_select_reason_str(r));
	got = BGP_SEL_MAX;
	ck_assert_int_gt(bgp_path_cmp(&b->p, &a->p, &ctx, &got), 0);
	ck_assert_int_eq(got, r);
}

START_TEST(t_weight)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	a.p.weight = 100;
	b.a.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	b.a.local_pref = 1000; /* weight comes first */
	expect_better(&a, &b, BGP_SEL_WEIGHT);
}
END_TEST

/* RFC 9494 4.2: a long-lived stale path (LLGR_STALE) loses to any other
 * valid path, weight included; between two such paths the usual steps */
START_TEST(t_llgr_stale)
{
	struct tpath a, b;
	uint32_t llgr[] = { 0xffff0006u }, other[] = { 0x00010002u };

	mk(&a);
	mk(&b);
	b.p.weight = 1000;
	b.a.communities = llgr;
	b.a.ncommunities = 1;
	expect_better(&a, &b, BGP_SEL_LLGR);
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_LLGR), "LLGR stale");
	a.a.communities = other; /* another community is no LLGR_STALE */
	a.a.ncommunities = 1;
	expect_better(&a, &b, BGP_SEL_LLGR);
	a.a.communities = llgr;
	expect_better(&b, &a, BGP_SEL_WEIGHT);
}
END_TEST

START_TEST(t_local_pref)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	a.a.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	a.a.local_pref = 200;
	set_seq(&a, 65010, 5); /* longer path, still wins */
	expect_better(&a, &b, BGP_SEL_LOCAL_PREF);
	/* absent = 100: beats an explicit 90 */
	b.a.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	b.a.local_pref = 90;
	mk(&a);
	expect_better(&a, &b, BGP_SEL_LOCAL_PREF);
}
END_TEST

START_TEST(t_local_route)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	a.p.src = BGP_SRC_LOCAL;
	a.p.peer = NULL;
	set_seq(&a, 65010, 3);
	expect_better(&a, &b, BGP_SEL_LOCAL_ROUTE);
}
END_TEST

START_TEST(t_as_path)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	set_seq(&b, 65010, 2);
	b.a.origin = BGP_ORIGIN_IGP;
	a.a.origin = BGP_ORIGIN_INCOMPLETE; /* origin comes later */
	expect_better(&a, &b, BGP_SEL_AS_PATH);
}
END_TEST

START_TEST(t_as_path_set_and_confed)
{
	struct tpath a, b;
	/* {65011,65012,65013} counts 1; confed sequence counts 0 */
	static const uint8_t setpath[] = {BGP_ASPATH_SET, 3, 0, 0, 0xfe, 0xf3, 0, 0, 0xfe, 0xf4,
					  0, 0, 0xfe, 0xf5};
	static const uint8_t confed[] = {BGP_ASPATH_CONFED_SEQUENCE, 2, 0, 0, 0xfe, 0xf3, 0, 0,
					 0xfe, 0xf4, BGP_ASPATH_SEQUENCE, 1, 0, 0, 0xfe, 0xf2};

	mk(&a);
	mk(&b);
	memcpy(a.aspath, setpath, sizeof(setpath));
	a.a.aspath_len = sizeof(setpath);
	set_seq(&b, 65010, 2);
	expect_better(&a, &b, BGP_SEL_AS_PATH);
	/* confed (length 1) beats a sequence of 2 */
	memcpy(a.aspath, confed, sizeof(confed));
	a.a.aspath_len = sizeof(confed);
	expect_better(&a, &b, BGP_SEL_AS_PATH);
}
END_TEST

START_TEST(t_origin)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	b.a.origin = BGP_ORIGIN_EGP;
	expect_better(&a, &b, BGP_SEL_ORIGIN);
	a.a.origin = BGP_ORIGIN_EGP;
	b.a.origin = BGP_ORIGIN_INCOMPLETE;
	expect_better(&a, &b, BGP_SEL_ORIGIN);
}
END_TEST

START_TEST(t_med)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	a.a.present |= BGP_ATTR_BIT(BGP_ATTR_MED);
	a.a.med = 10;
	b.a.present |= BGP_ATTR_BIT(BGP_ATTR_MED);
	b.a.med = 20;
	b.p.peer = &ebgp1; /* eBGP comes later */
	expect_better(&a, &b, BGP_SEL_MED);
	/* missing MED = 0 beats 10 */
	mk(&b);
	expect_better(&b, &a, BGP_SEL_MED);
}
END_TEST

START_TEST(t_med_other_as)
{
	struct tpath a, b;
	struct bgp_decide_ctx always = {.local_as = LOCAL_AS, .always_compare_med = true};
	enum bgp_select_reason r;

	mk(&a);
	mk(&b);
	set_seq(&b, 65020, 1); /* another neighbor AS */
	a.a.present |= BGP_ATTR_BIT(BGP_ATTR_MED);
	a.a.med = 50;
	b.p.peer = &ibgp2; /* loses on router id if MED is not compared */
	expect_better(&a, &b, BGP_SEL_ROUTER_ID);
	ck_assert_int_gt(bgp_path_cmp(&a.p, &b.p, &always, &r), 0);
	ck_assert_int_eq(r, BGP_SEL_MED);
}
END_TEST

START_TEST(t_ebgp)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	a.p.peer = &ebgp2; /* higher router id and address */
	a.p.igp_metric = 100;
	expect_better(&a, &b, BGP_SEL_EBGP);
}
END_TEST

START_TEST(t_igp_metric)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	a.p.peer = &ibgp2;
	a.p.igp_metric = 5;
	b.p.igp_metric = 10;
	expect_better(&a, &b, BGP_SEL_IGP_METRIC);
}
END_TEST

START_TEST(t_router_id)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	b.p.peer = &ibgp2;
	expect_better(&a, &b, BGP_SEL_ROUTER_ID);
}
END_TEST

START_TEST(t_originator_id)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	/* a from ibgp1 (id 1.1.1.1) but reflected from originator 9.9.9.9 */
	a.a.present |= BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID);
	a.a.originator_id = 0x09090909;
	b.p.peer = &ibgp2; /* id 2.2.2.2 */
	expect_better(&b, &a, BGP_SEL_ROUTER_ID);
	b.a.present |= BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID);
	b.a.originator_id = 0x0a0a0a0a;
	expect_better(&a, &b, BGP_SEL_ROUTER_ID);
}
END_TEST

START_TEST(t_cluster_len)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	b.p.peer = &ibgp2;
	a.a.present |= BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID) | BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST);
	b.a.present |= BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID) | BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST);
	a.a.originator_id = b.a.originator_id = 0x05050505;
	a.a.cluster_list = a.clusters;
	b.a.cluster_list = b.clusters;
	a.a.ncluster = 1;
	b.a.ncluster = 2;
	expect_better(&a, &b, BGP_SEL_CLUSTER_LEN);
}
END_TEST

START_TEST(t_peer_addr)
{
	struct tpath a, b;
	struct bgp_peer twin;

	mk(&a);
	mk(&b);
	twin = ibgp1;
	twin.cfg.addr = ipaddr_v4(0x0a000009); /* same router id, another session */
	b.p.peer = &twin;
	expect_better(&a, &b, BGP_SEL_PEER_ADDR);
	/* all equal */
	ck_assert_int_eq(bgp_path_cmp(&a.p, &a.p, &ctx, NULL), 0);
}
END_TEST

START_TEST(t_invalid_never_wins)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	b.p.weight = 1000;
	b.p.src = BGP_SRC_LOCAL;
	b.p.flags = BGP_PATH_LOOP | BGP_PATH_NH_OK; /* looped */
	ck_assert_int_lt(bgp_path_cmp(&a.p, &b.p, &ctx, NULL), 0);
	ck_assert_int_gt(bgp_path_cmp(&b.p, &a.p, &ctx, NULL), 0);
	b.p.flags = 0; /* next hop inaccessible */
	ck_assert_int_lt(bgp_path_cmp(&a.p, &b.p, &ctx, NULL), 0);
}
END_TEST

START_TEST(t_reason_strings)
{
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_WEIGHT), "Weight");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_LOCAL_PREF), "Local Pref");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_LOCAL_ROUTE), "Local Route");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_AS_PATH), "AS Path");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_ORIGIN), "Origin");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_MED), "MED");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_EBGP), "Peer Type");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_IGP_METRIC), "IGP Metric");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_ROUTER_ID), "Router ID");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_CLUSTER_LEN), "Cluster length");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_PEER_ADDR), "Neighbor IP");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_NONE), "First path received");
	ck_assert_str_eq(bgp_select_reason_str(BGP_SEL_MAX), "Nothing to Select");
}
END_TEST

#define NRAND 24

static void randomize(struct tpath *t, unsigned *seed, bool same_as)
{
	static struct bgp_peer *const peers[] = {&ibgp1, &ibgp2, &ebgp1, &ebgp2};

	mk(t);
	t->p.weight = (uint32_t)(rand_r(seed) % 2) * 10;
	if (rand_r(seed) % 2) {
		t->a.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
		t->a.local_pref = 90 + (uint32_t)(rand_r(seed) % 3) * 10;
	}
	if (rand_r(seed) % 5 == 0) {
		t->p.src = BGP_SRC_LOCAL;
		t->p.peer = NULL;
	} else {
		t->p.peer = peers[rand_r(seed) % 4];
	}
	set_seq(t, same_as ? 65010 : 65010 + (uint32_t)(rand_r(seed) % 2),
		1 + rand_r(seed) % 3);
	t->a.origin = (uint8_t)(rand_r(seed) % 3);
	if (rand_r(seed) % 2) {
		t->a.present |= BGP_ATTR_BIT(BGP_ATTR_MED);
		t->a.med = (uint32_t)(rand_r(seed) % 3);
	}
	t->p.igp_metric = (uint32_t)(rand_r(seed) % 3);
	if (rand_r(seed) % 3 == 0) {
		t->a.present |= BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID) |
				BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST);
		t->a.originator_id = (uint32_t)(rand_r(seed) % 3);
		t->a.cluster_list = t->clusters;
		t->a.ncluster = (uint16_t)(rand_r(seed) % 3);
	}
	if (rand_r(seed) % 8 == 0)
		t->p.flags = 0;
}

static int sgn(int x)
{
	return (x > 0) - (x < 0);
}

START_TEST(t_antisymmetric)
{
	static struct tpath v[NRAND];
	unsigned seed = 42;
	int round, i, j;

	for (round = 0; round < 50; round++) {
		for (i = 0; i < NRAND; i++)
			randomize(&v[i], &seed, false);
		for (i = 0; i < NRAND; i++)
			for (j = 0; j < NRAND; j++)
				ck_assert_int_eq(sgn(bgp_path_cmp(&v[i].p, &v[j].p, &ctx, NULL)),
						 -sgn(bgp_path_cmp(&v[j].p, &v[i].p, &ctx, NULL)));
	}
}
END_TEST

/* Transitive whenever MED is comparable between all paths (same neighbor
 * AS); MED across ASes is famously not transitive (RFC 3345). */
START_TEST(t_transitive)
{
	static struct tpath v[NRAND];
	unsigned seed = 7;
	int round, i, j, k;

	for (round = 0; round < 20; round++) {
		for (i = 0; i < NRAND; i++)
			randomize(&v[i], &seed, true);
		for (i = 0; i < NRAND; i++)
			for (j = 0; j < NRAND; j++)
				for (k = 0; k < NRAND; k++) {
					int ij = bgp_path_cmp(&v[i].p, &v[j].p, &ctx, NULL);
					int jk = bgp_path_cmp(&v[j].p, &v[k].p, &ctx, NULL);

					if (ij <= 0 && jk <= 0)
						ck_assert_int_le(bgp_path_cmp(&v[i].p, &v[k].p,
									      &ctx, NULL), 0);
				}
	}
}
END_TEST

/* ---- multipath eligibility (bgp_path_multipath_eq, FRR's rules) ---- */

START_TEST(t_mp_equal_ibgp)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	b.p.peer = &ibgp2; /* differs only after the IGP metric: router id */
	ck_assert(bgp_path_multipath_eq(&b.p, &a.p, &ctx));
	ck_assert(bgp_path_multipath_eq(&a.p, &b.p, &ctx));
	ck_assert(!bgp_path_multipath_eq(&a.p, &a.p, &ctx)); /* the best itself */
}
END_TEST

START_TEST(t_mp_unequal_steps)
{
	struct tpath a, b;

	mk(&a);
	mk(&b);
	b.p.peer = &ibgp2;
	b.a.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	b.a.local_pref = 200;
	ck_assert(!bgp_path_multipath_eq(&a.p, &b.p, &ctx)); /* local-pref differs */
	mk(&b);
	b.p.peer = &ibgp2;
	b.p.weight = 10;
	ck_assert(!bgp_path_multipath_eq(&a.p, &b.p, &ctx)); /* weight */
	mk(&b);
	b.p.peer = &ibgp2;
	set_seq(&b, 65010, 2);
	ck_assert(!bgp_path_multipath_eq(&b.p, &a.p, &ctx)); /* AS path length */
	mk(&b);
	b.p.peer = &ibgp2;
	b.a.origin = BGP_ORIGIN_INCOMPLETE;
	ck_assert(!bgp_path_multipath_eq(&b.p, &a.p, &ctx)); /* origin */
	mk(&b);
	b.p.peer = &ibgp2;
	b.a.present |= BGP_ATTR_BIT(BGP_ATTR_MED);
	b.a.med = 5;
	ck_assert(!bgp_path_multipath_eq(&b.p, &a.p, &ctx)); /* MED */
	mk(&b);
	b.p.peer = &ibgp2;
	b.p.igp_metric = 10;
	ck_assert(!bgp_path_multipath_eq(&b.p, &a.p, &ctx)); /* IGP metric */
	mk(&b);
	b.p.peer = &ibgp2;
	b.p.flags = 0;
	ck_assert(!bgp_path_multipath_eq(&b.p, &a.p, &ctx)); /* invalid */
}
END_TEST

START_TEST(t_mp_as_path_and_type)
{
	struct tpath a, b;

	/* iBGP: same length but another AS path: not multipath (no relax) */
	mk(&a);
	mk(&b);
	b.p.peer = &ibgp2;
	set_seq(&b, 65011, 1);
	ck_assert(!bgp_path_multipath_eq(&b.p, &a.p, &ctx));
	/* eBGP from two different neighbouring ASes: not multipath */
	mk(&a);
	mk(&b);
	a.p.peer = &ebgp1;
	b.p.peer = &ebgp2;
	set_seq(&a, 65001, 1);
	set_seq(&b, 65002, 1);
	ck_assert(!bgp_path_multipath_eq(&b.p, &a.p, &ctx));
	/* eBGP against iBGP: the peer type decides, never multipath */
	mk(&b);
	b.p.peer = &ibgp2;
	set_seq(&b, 65001, 1);
	ck_assert(!bgp_path_multipath_eq(&b.p, &a.p, &ctx));
	/* imported VPN paths count as iBGP; labels on one only: not equal */
	mk(&a);
	mk(&b);
	a.p.src = b.p.src = BGP_SRC_IMPORTED;
	a.p.peer = b.p.peer = NULL;
	a.p.nlabels = b.p.nlabels = 1;
	ck_assert(bgp_path_multipath_eq(&b.p, &a.p, &ctx));
	b.p.nlabels = 0;
	ck_assert(!bgp_path_multipath_eq(&b.p, &a.p, &ctx));
	/* locally originated paths never share */
	mk(&b);
	b.p.src = BGP_SRC_LOCAL;
	b.p.peer = NULL;
	ck_assert(!bgp_path_multipath_eq(&b.p, &a.p, &ctx));
}
END_TEST

static Suite *decide_suite(void)
{
	Suite *s = suite_create("bgp_decide");
	TCase *tc = tcase_create("steps");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, t_weight);
	tcase_add_test(tc, t_llgr_stale);
	tcase_add_test(tc, t_mp_equal_ibgp);
	tcase_add_test(tc, t_mp_unequal_steps);
	tcase_add_test(tc, t_mp_as_path_and_type);
	tcase_add_test(tc, t_local_pref);
	tcase_add_test(tc, t_local_route);
	tcase_add_test(tc, t_as_path);
	tcase_add_test(tc, t_as_path_set_and_confed);
	tcase_add_test(tc, t_origin);
	tcase_add_test(tc, t_med);
	tcase_add_test(tc, t_med_other_as);
	tcase_add_test(tc, t_ebgp);
	tcase_add_test(tc, t_igp_metric);
	tcase_add_test(tc, t_router_id);
	tcase_add_test(tc, t_originator_id);
	tcase_add_test(tc, t_cluster_len);
	tcase_add_test(tc, t_peer_addr);
	tcase_add_test(tc, t_invalid_never_wins);
	tcase_add_test(tc, t_reason_strings);
	tcase_add_test(tc, t_antisymmetric);
	tcase_add_test(tc, t_transitive);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(decide_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
