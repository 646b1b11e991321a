/* RIB, VRF registry and static routes: selection by distance, next-hop
 * resolution, ECMP, overlapping VRFs, route limits, trie consistency. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/prefix.h"
#include "vrf/fib.h"
#include "vrf/vrf.h"

static const char *up_ifs[8];

static bool stub_ifstate(const struct vrf *vrf, const char *ifname, int *ifindex)
{
	int i;

	(void)vrf;
	for (i = 0; i < 8 && up_ifs[i]; i++)
		if (strcmp(up_ifs[i], ifname) == 0) {
			*ifindex = i + 1;
			return true;
		}
	return false;
}

static const char *users_of_a;
static int stub_users(const struct vrf *vrf, char *buf, size_t len)
{
	if (users_of_a != NULL && strcmp(vrf->name, "CUST-A") == 0) {
		snprintf(buf, len, "%s", users_of_a);
		return 1;
	}
	return 0;
}

static void setup(void)
{
	static const struct vrf_hooks h = { stub_users, NULL, NULL };

	memset(up_ifs, 0, sizeof(up_ifs));
	up_ifs[0] = "eth1";
	up_ifs[1] = "eth2";
	users_of_a = NULL;
	vrf_init();
	vrf_set_hooks(&h);
	rib_set_ifstate_fn(stub_ifstate);
}

static void teardown(void)
{
	vrf_fini();
}

static struct prefix4 P(const char *s)
{
	struct prefix4 p;

	ck_assert_int_eq(prefix4_parse(s, &p, NULL), 0);
	return p;
}

static uint32_t A(const char *s)
{
	uint32_t a;

	ck_assert_int_eq(addr4_parse(s, &a), 0);
	return a;
}

static void add_connected(struct vrf *v, const char *pfx, const char *ifname)
{
	struct rib_nh nh;
	struct prefix4 p = P(pfx);

	memset(&nh, 0, sizeof(nh));
	snprintf(nh.ifname, sizeof(nh.ifname), "%s", ifname);
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_CONNECTED, 1, 0, 0, &nh, 1), 0);
}

static struct static_route S(const char *pfx, const char *gw, const char *ifname, int dist)
{
	struct static_route s;

	memset(&s, 0, sizeof(s));
	s.pfx = P(pfx);
	if (gw)
		s.gw = A(gw);
	if (ifname)
		snprintf(s.ifname, sizeof(s.ifname), "%s", ifname);
	s.distance = (uint8_t)dist;
	return s;
}

START_TEST(test_distance_selection)
{
	char err[128];
	struct vrf *v = vrf_create("CUST-A", err, sizeof(err));
	struct static_route s1 = S("10.1.0.0/24", NULL, "eth1", 5);
	struct static_route s2 = S("10.1.0.0/24", NULL, "eth2", 1);
	struct prefix4 p = P("10.1.0.0/24");
	struct rib_dest *d;

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(static_add(v, &s1), STATIC_ADDED);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_ptr_nonnull(d->selected);
	ck_assert_int_eq(d->selected->distance, 5);
	ck_assert_int_eq(static_add(v, &s2), STATIC_ADDED);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_int_eq(d->selected->distance, 1);
	ck_assert_str_eq(d->selected->nh[0].ifname, "eth2");
	/* connected beats static */
	add_connected(v, "10.1.0.0/24", "eth1");
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_int_eq(d->selected->proto, RIB_CONNECTED);
	ck_assert(d->selected->installed);
	ck_assert_int_eq(rib_withdraw(v->rib, &p, RIB_CONNECTED, 1), 0);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_int_eq(d->selected->proto, RIB_STATIC);
	ck_assert_int_eq(d->selected->distance, 1);
	/* removing the better static falls back to the distance-5 one */
	ck_assert_int_eq(static_del(v, &s2, true), STATIC_ADDED);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_int_eq(d->selected->distance, 5);
	ck_assert_int_eq(static_del(v, &s1, true), STATIC_ADDED);
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));
	ck_assert_int_eq(static_del(v, &s1, true), STATIC_NOTFOUND);
	ck_assert_uint_eq(rib_count(v->rib), 0);
	ck_assert_uint_eq(fib_count(v->fib), 0);
}
END_TEST

START_TEST(test_gateway_resolution)
{
	char err[128];
	struct vrf *v = vrf_create("CUST-A", err, sizeof(err));
	struct static_route s = S("192.168.1.0/24", "10.9.1.2", NULL, 1);
	struct prefix4 p = P("192.168.1.0/24"), c = P("10.9.1.0/24");
	struct rib_dest *d;

	ck_assert_int_eq(static_add(v, &s), STATIC_ADDED);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_null(d->selected); /* gateway not reachable yet */
	ck_assert(!d->routes->nh[0].active);
	ck_assert_uint_eq(fib_lookup(v->fib, A("192.168.1.7")), FIB_NH_NONE);

	add_connected(v, "10.9.1.0/24", "eth1");
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_ptr_nonnull(d->selected);
	ck_assert(d->selected->nh[0].active);
	ck_assert(d->selected->nh[0].fib);
	ck_assert_str_eq(d->selected->nh[0].res_ifname, "eth1");
	ck_assert_uint_ne(fib_lookup(v->fib, A("192.168.1.7")), FIB_NH_NONE);
	ck_assert_uint_ne(fib_lookup(v->fib, A("192.168.1.7")), fib_lookup(v->fib, A("10.9.1.5")));

	/* the connected route goes away: the static becomes inactive */
	ck_assert_int_eq(rib_withdraw(v->rib, &c, RIB_CONNECTED, 1), 0);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_ptr_null(d->selected);
	ck_assert_uint_eq(fib_lookup(v->fib, A("192.168.1.7")), FIB_NH_NONE);
}
END_TEST

START_TEST(test_default_route_does_not_resolve)
{
	char err[128];
	struct vrf *v = vrf_create("X", err, sizeof(err));
	struct static_route def = S("0.0.0.0/0", NULL, "eth1", 1);
	struct static_route s = S("172.16.0.0/16", "10.50.0.1", NULL, 1);
	struct prefix4 p = P("172.16.0.0/16");

	ck_assert_int_eq(static_add(v, &def), STATIC_ADDED);
	ck_assert_int_eq(static_add(v, &s), STATIC_ADDED);
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p)->selected);
	/* but the default route itself forwards */
	ck_assert_uint_ne(fib_lookup(v->fib, A("8.8.8.8")), FIB_NH_NONE);
}
END_TEST

START_TEST(test_ecmp_and_exists)
{
	char err[128];
	struct vrf *v = vrf_create("CUST-A", err, sizeof(err));
	struct static_route a = S("192.168.5.0/24", "10.9.1.2", NULL, 1);
	struct static_route b = S("192.168.5.0/24", "10.9.2.2", NULL, 1);
	struct static_route a7 = S("192.168.5.0/24", "10.9.1.2", NULL, 7);
	struct prefix4 p = P("192.168.5.0/24");
	struct rib_dest *d;

	add_connected(v, "10.9.1.0/24", "eth1");
	add_connected(v, "10.9.2.0/24", "eth2");
	ck_assert_int_eq(static_add(v, &a), STATIC_ADDED);
	ck_assert_int_eq(static_add(v, &b), STATIC_ADDED);
	ck_assert_int_eq(static_add(v, &a), STATIC_EXISTS);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_int_eq(d->selected->nh_count, 2);
	ck_assert(d->selected->nh[0].fib && d->selected->nh[1].fib);
	/* same next hop with another distance replaces the distance */
	ck_assert_int_eq(static_add(v, &a7), STATIC_UPDATED);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_int_eq(d->selected->nh_count, 1);
	ck_assert_uint_eq(d->selected->nh[0].gw, A("10.9.2.2"));
	ck_assert_ptr_nonnull(d->routes->next); /* the distance-7 route is still there */
}
END_TEST

START_TEST(test_overlapping_vrfs)
{
	char err[128];
	struct vrf *a = vrf_create("CUST-A", err, sizeof(err));
	struct vrf *b = vrf_create("CUST-B", err, sizeof(err));
	struct static_route sa = S("192.168.1.0/24", "10.9.1.2", NULL, 1);
	struct static_route sb = S("192.168.1.0/24", "10.9.1.3", NULL, 1);
	struct prefix4 p = P("192.168.1.0/24");

	add_connected(a, "10.9.1.0/24", "eth1");
	add_connected(b, "10.9.1.0/24", "eth2");
	ck_assert_int_eq(static_add(a, &sa), STATIC_ADDED);
	ck_assert_int_eq(static_add(b, &sb), STATIC_ADDED);
	ck_assert_uint_eq(rib_lookup_exact(a->rib, &p)->selected->nh[0].gw, A("10.9.1.2"));
	ck_assert_uint_eq(rib_lookup_exact(b->rib, &p)->selected->nh[0].gw, A("10.9.1.3"));
	ck_assert_uint_ne(fib_lookup(a->fib, A("192.168.1.9")), fib_lookup(b->fib, A("192.168.1.9")));
	ck_assert_ptr_null(rib_lookup_exact(vrf_default()->rib, &p));
	ck_assert_ptr_eq(vrf_lookup("CUST-B"), b);
	ck_assert_ptr_eq(vrf_first(), a); /* name order */
	ck_assert_int_eq(vrf_count(), 2);
}
END_TEST

START_TEST(test_route_limit)
{
	char err[128];
	struct vrf *v = vrf_create("LIM", err, sizeof(err));
	struct static_route s;
	char buf[32];
	int i;

	v->max_routes = 3;
	for (i = 0; i < 3; i++) {
		snprintf(buf, sizeof(buf), "10.%d.0.0/16", i);
		s = S(buf, NULL, "eth1", 1);
		ck_assert_int_eq(static_add(v, &s), STATIC_ADDED);
	}
	s = S("10.99.0.0/16", NULL, "eth1", 1);
	ck_assert_int_eq(static_add(v, &s), STATIC_LIMIT);
	ck_assert_uint_eq(rib_count(v->rib), 3);
	ck_assert_uint_eq(rib_stats(v->rib)->rejected, 1);
	/* another next hop for an existing prefix is not a new route */
	s = S("10.1.0.0/16", NULL, "eth2", 1);
	ck_assert_int_eq(static_add(v, &s), STATIC_ADDED);
	/* dynamic sources are refused the same way */
	{
		struct rib_nh nh;
		struct prefix4 p = P("10.200.0.0/16");

		memset(&nh, 0, sizeof(nh));
		strcpy(nh.ifname, "eth1");
		ck_assert_int_eq(rib_update(v->rib, &p, RIB_CONNECTED, 1, 0, 0, &nh, 1), -1);
	}
	v->max_warn_only = true;
	s = S("10.99.0.0/16", NULL, "eth1", 1);
	ck_assert_int_eq(static_add(v, &s), STATIC_ADDED);
	ck_assert_uint_eq(rib_count(v->rib), 4);
}
END_TEST

START_TEST(test_vrf_registry)
{
	char err[320];
	struct vrf *v;

	ck_assert_ptr_null(vrf_create("default", err, sizeof(err)));
	ck_assert_ptr_null(vrf_create("", err, sizeof(err)));
	ck_assert_ptr_null(vrf_create("bad name", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "invalid character"));
	ck_assert_ptr_null(vrf_create("0123456789012345678901234567890123", err, sizeof(err)));
	v = vrf_create("CUST-A", err, sizeof(err));
	ck_assert_ptr_eq(vrf_create("CUST-A", err, sizeof(err)), v); /* idempotent */
	users_of_a = "eth1";
	ck_assert_int_eq(vrf_delete(v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "eth1"));
	users_of_a = NULL;
	ck_assert_int_eq(vrf_delete(v, err, sizeof(err)), 0);
	ck_assert_ptr_null(vrf_lookup("CUST-A"));
	ck_assert_int_eq(vrf_delete(vrf_default(), err, sizeof(err)), -1);
}
END_TEST

START_TEST(test_rt_set)
{
	struct rt_set s;
	struct ecomm a, b;
	char err[128];

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(ecomm_parse("65000:2", ECOMM_SUB_RT, &a, err, sizeof(err)), 0);
	ck_assert_int_eq(ecomm_parse("65000:1", ECOMM_SUB_RT, &b, err, sizeof(err)), 0);
	ck_assert_int_eq(rt_set_add(&s, &a), 0);
	ck_assert_int_eq(rt_set_add(&s, &b), 0);
	ck_assert_int_eq(rt_set_add(&s, &a), 1);
	ck_assert_int_eq(s.count, 2);
	ck_assert_int_eq(ecomm_cmp(&s.rt[0], &b), 0); /* sorted */
	ck_assert(rt_set_has(&s, &a));
	ck_assert_int_eq(rt_set_del(&s, &a), 0);
	ck_assert_int_eq(rt_set_del(&s, &a), -1);
	ck_assert(!rt_set_has(&s, &a));
}
END_TEST

/* The trie against a brute-force list: random prefixes added and withdrawn,
 * exact lookups, longest match and walk order checked after every step. */
struct ref {
	struct prefix4 p;
	bool in;
};

static int walk_check(void *arg, struct rib_dest *d)
{
	struct prefix4 *prev = arg;

	if (prev->len != 255)
		ck_assert_int_lt(prefix4_cmp(prev, &d->pfx), 0);
	*prev = d->pfx;
	return 0;
}

START_TEST(test_trie_random)
{
	char err[128];
	struct vrf *v = vrf_create("R", err, sizeof(err));
	enum { N = 600 };
	static struct ref ref[N];
	struct rib_nh nh;
	int i, step;

	srandom(42);
	memset(&nh, 0, sizeof(nh));
	nh.blackhole = true;
	for (i = 0; i < N; i++) {
		ref[i].p.len = (uint8_t)(random() % 33);
		/* cluster addresses so prefixes nest and share branches */
		ref[i].p.addr = ((uint32_t)(random() % 4) << 30) | ((uint32_t)random() & 0x00ff00ff);
		prefix4_apply_mask(&ref[i].p);
		ref[i].in = false;
	}
	for (step = 0; step < 6000; step++) {
		int k = (int)(random() % N);
		struct prefix4 prev = { 0, 255 };
		uint32_t probe = ((uint32_t)(random() % 4) << 30) | ((uint32_t)random() & 0x00ff00ff);
		int best = -1, j;
		uint64_t cnt = 0;

		if (random() % 2) {
			ck_assert_int_eq(rib_update(v->rib, &ref[k].p, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
			for (j = 0; j < N; j++)
				if (prefix4_equal(&ref[j].p, &ref[k].p))
					ref[j].in = true;
		} else {
			int rc = rib_withdraw(v->rib, &ref[k].p, RIB_STATIC, 1);

			ck_assert_int_eq(rc, ref[k].in ? 0 : -1);
			for (j = 0; j < N; j++)
				if (prefix4_equal(&ref[j].p, &ref[k].p))
					ref[j].in = false;
		}
		for (j = 0; j < N; j++) {
			if (!ref[j].in)
				continue;
			if (prefix4_contains(&ref[j].p, probe) &&
			    (best < 0 || ref[j].p.len > ref[best].p.len))
				best = j;
		}
		{
			struct rib_dest *m = rib_match(v->rib, probe);

			if (best < 0)
				ck_assert_ptr_null(m);
			else
				ck_assert(m != NULL && prefix4_equal(&m->pfx, &ref[best].p));
			ck_assert_uint_eq(fib_lookup(v->fib, probe),
					  m ? m->fib_nh : FIB_NH_NONE);
		}
		ck_assert((rib_lookup_exact(v->rib, &ref[k].p) != NULL) == ref[k].in);
		rib_walk(v->rib, walk_check, &prev);
		for (j = 0; j < N; j++) {
			int l;
			bool dup = false;

			for (l = 0; l < j; l++)
				if (ref[l].in && prefix4_equal(&ref[l].p, &ref[j].p))
					dup = true;
			if (ref[j].in && !dup)
				cnt++;
		}
		if (step % 50 == 0)
			ck_assert_uint_eq(rib_count(v->rib), cnt);
	}
}
END_TEST

START_TEST(test_mark_sweep)
{
	struct vrf *v = vrf_default();
	struct rib_nh nh;
	struct prefix4 a = P("10.1.0.0/16"), b = P("10.2.0.0/16");

	memset(&nh, 0, sizeof(nh));
	nh.gw = A("10.255.0.2");
	ck_assert_int_eq(rib_update(v->rib, &a, RIB_KERNEL, 0, 0, 0, &nh, 1), 0);
	ck_assert_int_eq(rib_update(v->rib, &b, RIB_KERNEL, 0, 0, 0, &nh, 1), 0);
	add_connected(v, "10.2.0.0/16", "eth1");
	rib_mark_stale(v->rib, RIB_KERNEL);
	/* the redump brings a again, not b */
	ck_assert_int_eq(rib_update(v->rib, &a, RIB_KERNEL, 0, 0, 0, &nh, 1), 0);
	rib_sweep_stale(v->rib, RIB_KERNEL);
	ck_assert_ptr_nonnull(rib_lookup_exact(v->rib, &a));
	ck_assert_ptr_nonnull(rib_lookup_exact(v->rib, &b)); /* connected route stays */
	ck_assert_int_eq(rib_lookup_exact(v->rib, &b)->routes->proto, RIB_CONNECTED);
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &b)->routes->next);
	ck_assert_uint_eq(rib_count(v->rib), 2);
}
END_TEST

static Suite *rib_suite(void)
{
	Suite *s = suite_create("rib");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_distance_selection);
	tcase_add_test(tc, test_gateway_resolution);
	tcase_add_test(tc, test_default_route_does_not_resolve);
	tcase_add_test(tc, test_ecmp_and_exists);
	tcase_add_test(tc, test_overlapping_vrfs);
	tcase_add_test(tc, test_route_limit);
	tcase_add_test(tc, test_vrf_registry);
	tcase_add_test(tc, test_rt_set);
	tcase_add_test(tc, test_trie_random);
	tcase_add_test(tc, test_mark_sweep);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rib_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
