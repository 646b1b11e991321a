/* mpbgp/aggregate.c: `aggregate-address P [summary-only] [as-set]` on a
 * unicast table: originated while a more specific exists, ORIGIN the
 * highest of the contributors', AGGREGATOR, ATOMIC_AGGREGATE without
 * as-set; with it the common leading sequence, AS_SET segments of the other
 * ASes and the union of the communities, as FRR; summary-only
 * suppression of the strictly more specific prefixes only, withdrawal
 * with the last contributor, IPv6. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/rib.h"

static struct bgp *b;
static struct bgp_rib *rib4, *rib6;
static struct bgp_rib_src src;

static struct prefix P(const char *s)
{
	struct prefix p;

	ck_assert_int_eq(prefix_parse(s, &p, NULL), 0);
	return p;
}

/* A contributor: AS_PATH one SEQUENCE of asns (first = neighbor), with
 * comms[0..ncomm) as COMMUNITIES, ATOMIC_AGGREGATE if atomic. */
static void add_ext(const char *pfx, uint8_t origin, const uint32_t *asns, int n,
		    const uint32_t *comms, int ncomm, bool atomic)
{
	struct bgp_nlri nl;
	struct bgp_attr a;
	const struct bgp_attr *ia;
	int i;

	memset(&nl, 0, sizeof(nl));
	nl.p.pfx = P(pfx);
	bgp_attr_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.origin = origin;
	for (i = n - 1; i >= 0; i--)
		bgp_aspath_prepend(&a, asns[i]);
	if (ncomm > 0) {
		a.communities = xcalloc((size_t)ncomm, sizeof(uint32_t));
		memcpy(a.communities, comms, (size_t)ncomm * sizeof(uint32_t));
		a.ncommunities = (uint16_t)ncomm;
		a.present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	}
	if (atomic)
		a.present |= BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE);
	ia = bgp_attr_intern(&a);
	bgp_attr_clear(&a);
	bgp_rib_update(nl.p.pfx.af == AF_INET ? rib4 : rib6, &src, &nl, ia, 0);
	bgp_attr_unref(ia);
}

static void add(const char *pfx, uint8_t origin, const uint32_t *asns, int n)
{
	add_ext(pfx, origin, asns, n, NULL, 0, false);
}

static void del(const char *pfx)
{
	struct bgp_prefix bp;

	memset(&bp, 0, sizeof(bp));
	bp.pfx = P(pfx);
	bgp_rib_withdraw(bp.pfx.af == AF_INET ? rib4 : rib6, &src, &bp);
}

/* The aggregate's own path at pfx (source: local, no origin), or NULL. */
static const struct bgp_path *agg_path(const char *pfx)
{
	struct bgp_prefix bp;
	const struct bgp_dest *d;
	const struct bgp_path *p;

	memset(&bp, 0, sizeof(bp));
	bp.pfx = P(pfx);
	d = bgp_rib_lookup(bp.pfx.af == AF_INET ? rib4 : rib6, &bp);
	for (p = d != NULL ? d->paths : NULL; p != NULL; p = p->next)
		if (p->src == BGP_SRC_LOCAL && p->origin_bgp == NULL)
			return p;
	return NULL;
}

static bool set_has(const struct bgp_attr *a, uint32_t asn)
{
	int i;

	for (i = 0; i < a->aspath[1]; i++)
		if (((uint32_t)a->aspath[2 + 4 * i] << 24 | (uint32_t)a->aspath[3 + 4 * i] << 16 |
		     (uint32_t)a->aspath[4 + 4 * i] << 8 | a->aspath[5 + 4 * i]) == asn)
			return true;
	return false;
}

static void setup(void)
{
	char err[128];

	log_init("test_bgp_aggregate", true, false);
	b = bgp_create(65000, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(b);
	b->router_id = 0x0a000001;
	rib4 = b->rib[BGP_AF_IPV4_UNICAST] = bgp_rib_new(b, BGP_AF_IPV4_UNICAST);
	rib6 = b->rib[BGP_AF_IPV6_UNICAST] = bgp_rib_new(b, BGP_AF_IPV6_UNICAST);
	bgp_rib_add_hook(rib4, bgp_aggregate_rib_changed, NULL);
	bgp_rib_add_hook(rib6, bgp_aggregate_rib_changed, NULL);
	src = (struct bgp_rib_src){ BGP_SRC_LOCAL, NULL, b, NULL };
}

static void teardown(void)
{
	bgp_rib_free(rib4);
	bgp_rib_free(rib6);
	b->rib[BGP_AF_IPV4_UNICAST] = b->rib[BGP_AF_IPV6_UNICAST] = NULL;
	bgp_fini();
}

START_TEST(originated_while_a_more_specific_exists)
{
	static const uint32_t p1[] = { 65001, 65002 }, p2[] = { 65003, 65001 }, p3[] = { 65009 };
	struct prefix agg = P("10.1.0.0/16");
	const struct bgp_path *ap;

	add("10.2.0.0/24", BGP_ORIGIN_IGP, p3, 1); /* outside: never a contributor */
	ck_assert_int_eq(bgp_aggregate_set(b, BGP_AF_IPV4_UNICAST, &agg, false, true, false), 0);
	bgp_aggregate_run();
	ck_assert_ptr_null(agg_path("10.1.0.0/16"));
	add("10.1.1.0/24", BGP_ORIGIN_IGP, p1, 2);
	add("10.1.2.0/24", BGP_ORIGIN_INCOMPLETE, p2, 2);
	bgp_aggregate_run();
	ap = agg_path("10.1.0.0/16");
	ck_assert_ptr_nonnull(ap);
	ck_assert(ap->flags & BGP_PATH_BEST);
	/* as-set: ORIGIN the highest, one AS_SET of 65001 65002 65003, no
	 * ATOMIC_AGGREGATE; AGGREGATOR our AS and router id */
	ck_assert_uint_eq(ap->attr->origin, BGP_ORIGIN_INCOMPLETE);
	ck_assert_uint_eq(ap->attr->aspath_len, 2 + 3 * 4);
	ck_assert_uint_eq(ap->attr->aspath[0], BGP_ASPATH_SET);
	ck_assert(set_has(ap->attr, 65001) && set_has(ap->attr, 65002) && set_has(ap->attr, 65003));
	ck_assert(!set_has(ap->attr, 65009));
	ck_assert(!(ap->attr->present & BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE)));
	ck_assert(ap->attr->present & BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR));
	ck_assert_uint_eq(ap->attr->aggregator_as, 65000);
	ck_assert_uint_eq(ap->attr->aggregator_addr, 0x0a000001);
	/* without as-set: empty AS_PATH and ATOMIC_AGGREGATE (RFC 4271 9.2.2.2) */
	ck_assert_int_eq(bgp_aggregate_set(b, BGP_AF_IPV4_UNICAST, &agg, false, false, false), 0);
	bgp_aggregate_run();
	ap = agg_path("10.1.0.0/16");
	ck_assert_uint_eq(ap->attr->aspath_len, 0);
	ck_assert(ap->attr->present & BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE));
	/* the more specifics stay in the table */
	del("10.1.1.0/24");
	bgp_aggregate_run();
	ck_assert_ptr_nonnull(agg_path("10.1.0.0/16"));
	ck_assert_uint_eq(agg_path("10.1.0.0/16")->attr->origin, BGP_ORIGIN_INCOMPLETE);
	/* the last contributor goes: so does the aggregate */
	del("10.1.2.0/24");
	bgp_aggregate_run();
	ck_assert_ptr_null(agg_path("10.1.0.0/16"));
	/* and `no aggregate-address` of an unknown one says so */
	ck_assert_int_eq(bgp_aggregate_set(b, BGP_AF_IPV4_UNICAST, &agg, false, false, true), 0);
	ck_assert_int_eq(bgp_aggregate_set(b, BGP_AF_IPV4_UNICAST, &agg, false, false, true), -1);
}
END_TEST

START_TEST(summary_only_suppresses_strictly_more_specific)
{
	struct prefix agg = P("10.1.0.0/16"), in = P("10.1.1.0/24"), self = P("10.1.0.0/16");
	struct prefix out = P("10.2.0.0/24"), wider = P("10.0.0.0/8");

	bgp_aggregate_set(b, BGP_AF_IPV4_UNICAST, &agg, false, false, false);
	ck_assert(!bgp_aggregate_suppressed(b, BGP_AF_IPV4_UNICAST, &in));
	bgp_aggregate_set(b, BGP_AF_IPV4_UNICAST, &agg, true, false, false);
	ck_assert(bgp_aggregate_suppressed(b, BGP_AF_IPV4_UNICAST, &in));
	ck_assert(!bgp_aggregate_suppressed(b, BGP_AF_IPV4_UNICAST, &self));
	ck_assert(!bgp_aggregate_suppressed(b, BGP_AF_IPV4_UNICAST, &out));
	ck_assert(!bgp_aggregate_suppressed(b, BGP_AF_IPV4_UNICAST, &wider));
	ck_assert(!bgp_aggregate_suppressed(b, BGP_AF_IPV6_UNICAST, &in));
}
END_TEST

/* as-set as FRR: the common leading AS_SEQUENCE, then the other ASes in
 * AS_SET segments (ascending, 255 a segment), the union of communities,
 * ATOMIC_AGGREGATE only from a contributor */
START_TEST(as_set_common_sequence_and_communities)
{
	static const uint32_t p1[] = { 65001, 65002, 65010 }, p2[] = { 65001, 65002, 65020 },
			      p3[] = { 65001, 65003 }, c1[] = { 0xfde80001, 0xfde80002 },
			      c2[] = { 0xfde80003, 0xfde80002 };
	static const uint8_t want[] = { BGP_ASPATH_SEQUENCE, 1, 0, 0, 0xfd, 0xe9, /* 65001 */
					BGP_ASPATH_SET, 4, 0, 0, 0xfd, 0xea, /* 65002 */
					0, 0, 0xfd, 0xeb, /* 65003 */
					0, 0, 0xfd, 0xf2, /* 65010 */
					0, 0, 0xfd, 0xfc /* 65020 */ };
	struct prefix agg = P("10.1.0.0/16");
	const struct bgp_path *ap;
	uint32_t many[300];
	int i;

	ck_assert_int_eq(bgp_aggregate_set(b, BGP_AF_IPV4_UNICAST, &agg, false, true, false), 0);
	add_ext("10.1.1.0/24", BGP_ORIGIN_IGP, p1, 3, c1, 2, false);
	bgp_aggregate_run();
	/* one contributor: its whole path is the common sequence */
	ap = agg_path("10.1.0.0/16");
	ck_assert_ptr_nonnull(ap);
	ck_assert_uint_eq(ap->attr->aspath_len, 2 + 3 * 4);
	ck_assert_uint_eq(ap->attr->aspath[0], BGP_ASPATH_SEQUENCE);
	ck_assert_uint_eq(ap->attr->ncommunities, 2);
	add_ext("10.1.2.0/24", BGP_ORIGIN_IGP, p2, 3, c2, 2, false);
	add("10.1.3.0/24", BGP_ORIGIN_IGP, p3, 2);
	bgp_aggregate_run();
	ap = agg_path("10.1.0.0/16");
	ck_assert_uint_eq(ap->attr->aspath_len, sizeof(want));
	ck_assert_int_eq(memcmp(ap->attr->aspath, want, sizeof(want)), 0);
	ck_assert(ap->attr->present & BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES));
	ck_assert_uint_eq(ap->attr->ncommunities, 3);
	ck_assert_uint_eq(ap->attr->communities[0], 0xfde80001);
	ck_assert_uint_eq(ap->attr->communities[1], 0xfde80002);
	ck_assert_uint_eq(ap->attr->communities[2], 0xfde80003);
	ck_assert(!(ap->attr->present & BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE)));
	/* a contributor with ATOMIC_AGGREGATE passes it on */
	add_ext("10.1.4.0/24", BGP_ORIGIN_IGP, p3, 2, NULL, 0, true);
	bgp_aggregate_run();
	ck_assert(agg_path("10.1.0.0/16")->attr->present & BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE));
	/* 300 more ASes: no common sequence left, two AS_SET segments (255 + 50
	 * with the five above) */
	for (i = 0; i < 300; i++)
		many[i] = 70000u + (uint32_t)i;
	add("10.1.5.0/24", BGP_ORIGIN_IGP, many, 300);
	bgp_aggregate_run();
	ap = agg_path("10.1.0.0/16");
	ck_assert_uint_eq(ap->attr->aspath_len, 2 + 255 * 4 + 2 + 50 * 4);
	ck_assert_uint_eq(ap->attr->aspath[0], BGP_ASPATH_SET);
	ck_assert_uint_eq(ap->attr->aspath[1], 255);
	ck_assert_uint_eq(ap->attr->aspath[2 + 255 * 4], BGP_ASPATH_SET);
	ck_assert_uint_eq(ap->attr->aspath[3 + 255 * 4], 50);
	ck_assert_int_eq(bgp_aspath_length(ap->attr), 2); /* a SET counts one */
	/* the first AS (65001) is in the set now, and sorted first */
	ck_assert_uint_eq(ap->attr->aspath[5], 0xe9);
}
END_TEST

START_TEST(ipv6)
{
	static const uint32_t p1[] = { 65001 };
	struct prefix agg = P("2001:db8::/32");

	bgp_aggregate_set(b, BGP_AF_IPV6_UNICAST, &agg, true, false, false);
	add("2001:db8:1::/48", BGP_ORIGIN_EGP, p1, 1);
	add("2001:db9::/48", BGP_ORIGIN_IGP, p1, 1);
	bgp_aggregate_run();
	ck_assert_ptr_nonnull(agg_path("2001:db8::/32"));
	ck_assert_uint_eq(agg_path("2001:db8::/32")->attr->origin, BGP_ORIGIN_EGP);
	del("2001:db8:1::/48");
	bgp_aggregate_run();
	ck_assert_ptr_null(agg_path("2001:db8::/32"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bgp_aggregate");
	TCase *tc = tcase_create("aggregate");
	SRunner *sr;
	int nf;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, originated_while_a_more_specific_exists);
	tcase_add_test(tc, summary_only_suppresses_strictly_more_specific);
	tcase_add_test(tc, as_set_common_sequence_and_communities);
	tcase_add_test(tc, ipv6);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
