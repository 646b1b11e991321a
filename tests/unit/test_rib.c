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

/* Either family, by syntax. */
static struct prefix P(const char *s)
{
	struct prefix p;

	ck_assert_msg(prefix_parse(s, &p, NULL) == 0, "bad prefix %s", s);
	return p;
}

/* IPv4, host byte order (the FIB's keys). */
static uint32_t A(const char *s)
{
	uint32_t a;

	ck_assert_int_eq(addr4_parse(s, &a), 0);
	return a;
}

/* Either family, by syntax. */
static struct ipaddr IP(const char *s)
{
	struct ipaddr a;

	ck_assert_msg(ipaddr_parse(s, &a) == 0, "bad address %s", s);
	return a;
}

/* a (an expression of type struct ipaddr) is the address s */
#define ck_assert_ip_eq(a, s)                                                          \
	do {                                                                           \
		struct ipaddr got_ = (a), want_ = IP(s);                               \
		char gb_[IPADDR_STRLEN];                                               \
                                                                                       \
		ck_assert_msg(ipaddr_equal(&got_, &want_), "address %s, expected %s",  \
			      ipaddr_ntop(&got_, gb_, sizeof(gb_)), (s));              \
	} while (0)

/* d is the destination for prefix s */
#define ck_assert_pfx_eq(d, s)                                                         \
	do {                                                                           \
		const struct rib_dest *d_ = (d);                                       \
		struct prefix want_ = P(s);                                            \
		char pb_[PREFIX_STRLEN];                                               \
                                                                                       \
		ck_assert_msg(d_ != NULL, "no destination, expected %s", (s));         \
		ck_assert_msg(prefix_equal(&d_->pfx, &want_), "prefix %s, expected %s", \
			      prefix_ntop(&d_->pfx, pb_, sizeof(pb_)), (s));           \
	} while (0)

static void add_connected(struct vrf *v, const char *pfx, const char *ifname)
{
	struct rib_nh nh;
	struct prefix p = P(pfx);

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
		s.gw = IP(gw);
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
	struct prefix p = P("10.1.0.0/24");
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
	struct prefix p = P("192.168.1.0/24"), c = P("10.9.1.0/24");
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
	struct prefix p = P("172.16.0.0/16");

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
	struct prefix p = P("192.168.5.0/24");
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
	ck_assert_ip_eq(d->selected->nh[0].gw, "10.9.2.2");
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
	struct prefix p = P("192.168.1.0/24");

	add_connected(a, "10.9.1.0/24", "eth1");
	add_connected(b, "10.9.1.0/24", "eth2");
	ck_assert_int_eq(static_add(a, &sa), STATIC_ADDED);
	ck_assert_int_eq(static_add(b, &sb), STATIC_ADDED);
	ck_assert_ip_eq(rib_lookup_exact(a->rib, &p)->selected->nh[0].gw, "10.9.1.2");
	ck_assert_ip_eq(rib_lookup_exact(b->rib, &p)->selected->nh[0].gw, "10.9.1.3");
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
		struct prefix p = P("10.200.0.0/16");

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

/* The route limit counts each family on its own: a full IPv4 table does
 * not refuse IPv6 prefixes, and the other way round. */
START_TEST(test_route_limit_per_family)
{
	char err[128];
	struct vrf *v = vrf_create("LIM6", err, sizeof(err));
	struct static_route s;
	struct rib_nh nh;
	struct prefix p;

	memset(&nh, 0, sizeof(nh));
	strcpy(nh.ifname, "eth1");
	v->max_routes = 2;
	s = S("10.0.0.0/16", NULL, "eth1", 1);
	ck_assert_int_eq(static_add(v, &s), STATIC_ADDED);
	s = S("10.1.0.0/16", NULL, "eth1", 1);
	ck_assert_int_eq(static_add(v, &s), STATIC_ADDED);
	s = S("10.2.0.0/16", NULL, "eth1", 1);
	ck_assert_int_eq(static_add(v, &s), STATIC_LIMIT);
	p = P("10.3.0.0/16");
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_CONNECTED, 1, 0, 0, &nh, 1), -1);
	ck_assert_uint_eq(rib_stats(v->rib)->rejected, 2);
	/* IPv4 is full, IPv6 is not */
	s = S("2001:db8:1::/48", NULL, "eth1", 1);
	ck_assert_int_eq(static_add(v, &s), STATIC_ADDED);
	p = P("2001:db8:2::/48");
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_CONNECTED, 1, 0, 0, &nh, 1), 0);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 2);
	/* now IPv6 is full too */
	s = S("2001:db8:3::/48", NULL, "eth1", 1);
	ck_assert_int_eq(static_add(v, &s), STATIC_LIMIT);
	p = P("2001:db8:4::/48");
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_CONNECTED, 1, 0, 0, &nh, 1), -1);
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));
	/* another next hop for an existing IPv6 prefix is not a new route */
	s = S("2001:db8:1::/48", NULL, "eth2", 1);
	ck_assert_int_eq(static_add(v, &s), STATIC_ADDED);
	ck_assert_int_eq(rib_lookup_exact(v->rib, &s.pfx)->selected->nh_count, 2);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET), 2);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 2);
	ck_assert_uint_eq(rib_count(v->rib), 4);
	ck_assert_uint_eq(rib_stats(v->rib)->rejected, 4);
	/* room again in IPv4 after a withdrawal, IPv6 still full */
	p = P("10.1.0.0/16");
	ck_assert_int_eq(rib_withdraw(v->rib, &p, RIB_STATIC, 1), 0);
	p = P("10.3.0.0/16");
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_CONNECTED, 1, 0, 0, &nh, 1), 0);
	p = P("2001:db8:4::/48");
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_CONNECTED, 1, 0, 0, &nh, 1), -1);
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

/* Many VRFs: walked in name order whatever the creation order, found by
 * name and id across table growth, ids of deleted VRFs given again (lowest
 * first) so that churn does not push new VRFs past the dataplane's limit. */
START_TEST(test_vrf_many)
{
	char err[320], name[32], prev[32];
	struct vrf *v, *b7, *b3;
	uint32_t id7, id3;
	int i, n;

	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "V%d", (i * 7919) % 3000); /* a scrambled order */
		ck_assert_ptr_nonnull(vrf_create(name, err, sizeof(err)));
	}
	ck_assert_int_eq(vrf_count(), 3000);
	n = 0;
	prev[0] = '\0';
	for (v = vrf_first(); v != NULL; v = vrf_next(v), n++) {
		ck_assert_msg(strcmp(prev, v->name) < 0, "%s before %s", prev, v->name);
		ck_assert_ptr_eq(vrf_lookup(v->name), v);
		ck_assert_ptr_eq(vrf_lookup_id(v->id), v);
		snprintf(prev, sizeof(prev), "%s", v->name);
	}
	ck_assert_int_eq(n, 3000);
	b7 = vrf_lookup("V7");
	b3 = vrf_lookup("V3");
	id7 = b7->id;
	id3 = b3->id;
	ck_assert_int_eq(vrf_delete(b7, err, sizeof(err)), 0);
	ck_assert_int_eq(vrf_delete(b3, err, sizeof(err)), 0);
	ck_assert_ptr_null(vrf_lookup("V7"));
	ck_assert_ptr_null(vrf_lookup_id(id7));
	ck_assert_int_eq(vrf_count(), 2998);
	v = vrf_create("NEW1", err, sizeof(err));
	ck_assert_uint_eq(v->id, id3 < id7 ? id3 : id7);
	v = vrf_create("NEW2", err, sizeof(err));
	ck_assert_uint_eq(v->id, id3 < id7 ? id7 : id3);
	v = vrf_create("NEW3", err, sizeof(err));
	ck_assert_uint_eq(v->id, 3001); /* none left to give again */
	/* deleting while unsorted (NEW1-3 not yet walked), then while sorted,
	 * keeps the walk whole */
	ck_assert_int_eq(vrf_delete(vrf_lookup("NEW2"), err, sizeof(err)), 0);
	ck_assert_int_eq(vrf_delete(vrf_first(), err, sizeof(err)), 0);
	ck_assert_int_eq(vrf_delete(vrf_lookup("V2999"), err, sizeof(err)), 0);
	n = 0;
	for (v = vrf_first(); v != NULL; v = vrf_next(v))
		n++;
	ck_assert_int_eq(n, 2998);
	ck_assert_int_eq(vrf_count(), 2998);
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

/* Strictly increasing prefix_cmp order; prev->len 255 before the first. */
static int walk_check(void *arg, struct rib_dest *d)
{
	struct prefix *prev = arg;

	if (prev->len != 255)
		ck_assert_int_lt(prefix_cmp(prev, &d->pfx), 0);
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
		struct prefix prev = { .len = 255 };
		uint32_t probe = ((uint32_t)(random() % 4) << 30) | ((uint32_t)random() & 0x00ff00ff);
		struct ipaddr probe_a = ipaddr_v4(probe);
		struct prefix kp = prefix_from4(&ref[k].p);
		int best = -1, j;
		uint64_t cnt = 0;

		if (random() % 2) {
			ck_assert_int_eq(rib_update(v->rib, &kp, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
			for (j = 0; j < N; j++)
				if (prefix4_equal(&ref[j].p, &ref[k].p))
					ref[j].in = true;
		} else {
			int rc = rib_withdraw(v->rib, &kp, RIB_STATIC, 1);

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
			struct rib_dest *m = rib_match(v->rib, &probe_a);

			if (best < 0) {
				ck_assert_ptr_null(m);
			} else {
				struct prefix bp = prefix_from4(&ref[best].p);

				ck_assert(m != NULL && prefix_equal(&m->pfx, &bp));
			}
			ck_assert_uint_eq(fib_lookup(v->fib, probe),
					  m ? m->fib_nh : FIB_NH_NONE);
		}
		ck_assert((rib_lookup_exact(v->rib, &kp) != NULL) == ref[k].in);
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

/* The same brute-force check with both families in one RIB: IPv6 prefixes
 * of every length 0..128 (bits on and off byte boundaries), clustered so
 * that they nest, beside IPv4 ones; exact lookups, longest match, walk
 * order (IPv4 first) and per-family counts after every step. */
struct ref6 {
	struct prefix p;
	bool in;
};

static struct ipaddr rand_addr(bool v6)
{
	uint8_t b[16];
	int i;

	if (!v6)
		return ipaddr_v4(((uint32_t)(random() % 4) << 30) |
				 ((uint32_t)random() & 0x00ff00ff));
	/* few distinct values per byte, so that prefixes share long branches */
	for (i = 0; i < 16; i++) {
		static const uint8_t vals[] = { 0x00, 0x20, 0x80, 0xff };

		b[i] = vals[random() % 4];
		if (random() % 8 == 0)
			b[i] ^= (uint8_t)(1u << (random() % 8));
	}
	return ipaddr_v6(b);
}

START_TEST(test_trie_random_mixed)
{
	char err[128];
	struct vrf *v = vrf_create("RM", err, sizeof(err));
	enum { N = 600 };
	static struct ref6 ref[N];
	struct rib_nh nh;
	int i, step;

	srandom(4242);
	memset(&nh, 0, sizeof(nh));
	nh.blackhole = true;
	for (i = 0; i < N; i++) {
		bool v6 = i % 3 != 0;
		struct ipaddr a = rand_addr(v6);

		ref[i].p = prefix_host(&a);
		ref[i].p.len = (uint8_t)(random() % (af_maxlen(a.af) + 1));
		prefix_apply_mask(&ref[i].p);
		ref[i].in = false;
	}
	for (step = 0; step < 6000; step++) {
		int k = (int)(random() % N);
		struct prefix prev = { .len = 255 };
		struct ipaddr probe = rand_addr(random() % 3 != 0);
		int best = -1, j;
		uint64_t cnt[AFI_COUNT] = { 0, 0 };

		if (random() % 2) {
			ck_assert_int_eq(rib_update(v->rib, &ref[k].p, RIB_STATIC, 1, 1, 0, &nh, 1),
					 0);
			for (j = 0; j < N; j++)
				if (prefix_equal(&ref[j].p, &ref[k].p))
					ref[j].in = true;
		} else {
			int rc = rib_withdraw(v->rib, &ref[k].p, RIB_STATIC, 1);

			ck_assert_int_eq(rc, ref[k].in ? 0 : -1);
			for (j = 0; j < N; j++)
				if (prefix_equal(&ref[j].p, &ref[k].p))
					ref[j].in = false;
		}
		for (j = 0; j < N; j++) {
			if (!ref[j].in)
				continue;
			if (prefix_contains(&ref[j].p, &probe) &&
			    (best < 0 || ref[j].p.len > ref[best].p.len))
				best = j;
		}
		{
			struct rib_dest *m = rib_match(v->rib, &probe);
			char pb[IPADDR_STRLEN];

			if (best < 0)
				ck_assert_msg(m == NULL, "%s matched",
					      ipaddr_ntop(&probe, pb, sizeof(pb)));
			else
				ck_assert_msg(m != NULL && prefix_equal(&m->pfx, &ref[best].p),
					      "%s: wrong match",
					      ipaddr_ntop(&probe, pb, sizeof(pb)));
			if (probe.af == AF_INET)
				ck_assert_uint_eq(fib_lookup(v->fib, probe.v4),
						  m ? m->fib_nh : FIB_NH_NONE);
		}
		ck_assert((rib_lookup_exact(v->rib, &ref[k].p) != NULL) == ref[k].in);
		rib_walk(v->rib, walk_check, &prev);
		if (step % 50 == 0) {
			for (j = 0; j < N; j++) {
				int l;
				bool dup = false;

				for (l = 0; l < j; l++)
					if (ref[l].in && prefix_equal(&ref[l].p, &ref[j].p))
						dup = true;
				if (ref[j].in && !dup)
					cnt[af_index(ref[j].p.af)]++;
			}
			ck_assert_uint_eq(rib_count_af(v->rib, AF_INET), cnt[0]);
			ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), cnt[1]);
			ck_assert_uint_eq(rib_count(v->rib), cnt[0] + cnt[1]);
			ck_assert_uint_eq(fib_count(v->fib), cnt[0]);
		}
	}
}
END_TEST

START_TEST(test_mark_sweep)
{
	struct vrf *v = vrf_default();
	struct rib_nh nh;
	struct prefix a = P("10.1.0.0/16"), b = P("10.2.0.0/16");

	memset(&nh, 0, sizeof(nh));
	nh.gw = IP("10.255.0.2");
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

/* ---- IPv6 in the same RIB ---------------------------------------------- */

/* Exact lookup and longest match over both families, lengths on and off
 * byte boundaries, static gateways resolved through IPv6 connected routes;
 * the IPv4 FIB never sees an IPv6 prefix. */
START_TEST(test_v6_lookup_and_match)
{
	char err[128];
	struct vrf *v = vrf_create("V6", err, sizeof(err));
	static const struct {
		const char *addr, *want; /* want NULL: no match */
	} probes[] = {
		{ "2001:db8:1:2::1", "2001:db8:1:2::1/128" },
		{ "2001:db8:1:2::2", "2001:db8:1:2::/64" },
		{ "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2:8000::/65" },
		{ "2001:db8:1:2:7fff:ffff:ffff:ffff", "2001:db8:1:2::/64" },
		{ "2001:db8:1:3::1", "2001:db8:1::/48" },
		{ "2001:db8:1:7f::1", "2001:db8:1::/48" },
		{ "2001:db8:1:80::1", "2001:db8:1:80::/57" },
		{ "2001:db8:1:ff::1", "2001:db8:1:80::/57" },
		{ "2001:db8:1:100::1", "2001:db8:1::/48" },
		{ "2001:db8:2::1", "2001:db8::/32" },
		{ "2001:db8:ffff:ffff::", "2001:db8::/32" },
		{ "2001:db9::1", NULL },
		{ "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", NULL },
		{ "::", NULL },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", NULL },
		{ "10.1.2.3", "10.1.0.0/16" },
		{ "10.2.0.1", "10.0.0.0/8" },
		{ "11.0.0.1", NULL },
	};
	static const char *const v6[] = { "2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64",
					  "2001:db8:1:2:8000::/65", "2001:db8:1:80::/57",
					  "2001:db8:1:2::1/128" };
	struct prefix p;
	struct rib_dest *d;
	size_t i;

	ck_assert_ptr_nonnull(v);
	add_connected(v, "10.0.0.0/8", "eth1");
	add_connected(v, "10.1.0.0/16", "eth2");
	for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		add_connected(v, v6[i], i % 2 ? "eth2" : "eth1");
	ck_assert_uint_eq(rib_count(v->rib), 8);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET), 2);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 6);
	ck_assert_uint_eq(fib_count(v->fib), 2); /* the IPv4 FIB has the IPv4 prefixes only */

	for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
		p = P(v6[i]);
		d = rib_lookup_exact(v->rib, &p);
		ck_assert_pfx_eq(d, v6[i]);
		ck_assert_int_eq(d->pfx.af, AF_INET6);
		ck_assert_ptr_nonnull(d->selected);
		ck_assert_int_eq(d->selected->proto, RIB_CONNECTED);
		ck_assert_str_eq(d->selected->nh[0].ifname, i % 2 ? "eth2" : "eth1");
	}
	/* exact means exact: neighbours in length and address are absent */
	p = P("2001:db8:1::/47");
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));
	p = P("2001:db8:1::/49");
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));
	p = P("2001:db8::/31");
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));
	p = P("2001:db8:1:2::/63");
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));
	p = P("2001:db8:1:2::2/128");
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));
	p = P("2001:db8:1:2::1/127");
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));
	p = P("::/0");
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));

	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		struct ipaddr a = IP(probes[i].addr);

		d = rib_match(v->rib, &a);
		if (probes[i].want == NULL)
			ck_assert_msg(d == NULL, "%s matched", probes[i].addr);
		else
			ck_assert_pfx_eq(d, probes[i].want);
	}

	/* static routes with IPv6 gateways resolve through IPv6 routes */
	{
		struct static_route s1 = S("2001:db8:99::/48", "2001:db8:1:2::9", NULL, 1);
		struct static_route s2 = S("2001:db8:98::/48", "2001:db8:3::1", NULL, 1);
		struct static_route s3 = S("2001:db8:97::/48", "2001:dead::1", NULL, 1);
		struct static_route s4 = S("2001:db8:96::/48", NULL, "eth2", 1);

		ck_assert_int_eq(static_add(v, &s1), STATIC_ADDED);
		ck_assert_int_eq(static_add(v, &s2), STATIC_ADDED);
		ck_assert_int_eq(static_add(v, &s3), STATIC_ADDED);
		ck_assert_int_eq(static_add(v, &s4), STATIC_ADDED);
		d = rib_lookup_exact(v->rib, &s1.pfx);
		ck_assert_ptr_nonnull(d->selected);
		ck_assert(d->selected->nh[0].active);
		ck_assert_ip_eq(d->selected->nh[0].gw, "2001:db8:1:2::9");
		ck_assert_str_eq(d->selected->nh[0].res_ifname, "eth1"); /* via the /64 */
		d = rib_lookup_exact(v->rib, &s2.pfx);
		ck_assert_ptr_nonnull(d->selected);
		ck_assert_str_eq(d->selected->nh[0].res_ifname, "eth1"); /* via the /32 */
		d = rib_lookup_exact(v->rib, &s3.pfx);
		ck_assert_ptr_null(d->selected); /* unreachable gateway */
		ck_assert(!d->routes->nh[0].active);
		d = rib_lookup_exact(v->rib, &s4.pfx);
		ck_assert_ptr_nonnull(d->selected);
		ck_assert_int_eq(d->selected->nh[0].ifindex, 2);
		ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 10);
		ck_assert_uint_eq(fib_count(v->fib), 2);
		{
			struct ipaddr a = IP("2001:db8:99::1");

			ck_assert_pfx_eq(rib_match(v->rib, &a), "2001:db8:99::/48");
			a = IP("2001:db8:97::1"); /* no selected route: falls back */
			ck_assert_pfx_eq(rib_match(v->rib, &a), "2001:db8::/32");
		}

		/* the /64 goes: s1 re-resolves over the /48 on eth2 */
		p = P("2001:db8:1:2::/64");
		ck_assert_int_eq(rib_withdraw(v->rib, &p, RIB_CONNECTED, 1), 0);
		ck_assert_int_eq(rib_withdraw(v->rib, &p, RIB_CONNECTED, 1), -1);
		d = rib_lookup_exact(v->rib, &s1.pfx);
		ck_assert_ptr_nonnull(d->selected);
		ck_assert_str_eq(d->selected->nh[0].res_ifname, "eth2");
		{
			struct ipaddr a = IP("2001:db8:1:2::2");

			ck_assert_pfx_eq(rib_match(v->rib, &a), "2001:db8:1::/48");
			a = IP("2001:db8:1:2::1"); /* the /128 below it stays */
			ck_assert_pfx_eq(rib_match(v->rib, &a), "2001:db8:1:2::1/128");
		}
		ck_assert_int_eq(static_del(v, &s1, true), STATIC_ADDED);
		ck_assert_ptr_null(rib_lookup_exact(v->rib, &s1.pfx));
		ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 8);
		ck_assert_uint_eq(rib_count_af(v->rib, AF_INET), 2);
	}
}
END_TEST

/* The families never meet: an IPv6 ::/0 does not match IPv4 addresses and
 * 0.0.0.0/0 does not match IPv6 ones; prefixes whose bits coincide are
 * different destinations; malformed family or length is refused. */
/* Lookups and withdrawals with a length beyond the family's are misses,
 * never a read past the address (found by review: node_find walked one
 * bit past a /128). */
START_TEST(test_overlong_length)
{
	char err[128];
	struct vrf *v = vrf_create("LONG", err, sizeof(err));
	struct prefix p6 = P("2001:db8::1/128"), p4 = P("10.0.0.1/32");

	ck_assert_ptr_nonnull(v);
	add_connected(v, "2001:db8::1/128", "eth1");
	add_connected(v, "10.0.0.1/32", "eth1");
	p6.len = 129;
	p4.len = 33;
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p6));
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p4));
	ck_assert_int_eq(rib_withdraw(v->rib, &p6, RIB_CONNECTED, 1), -1);
	ck_assert_int_eq(rib_withdraw(v->rib, &p4, RIB_CONNECTED, 1), -1);
	p6.len = 255;
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p6));
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 1);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET), 1);
	ck_assert_uint_eq(rib_count_af(v->rib, 0), 0);
	ck_assert_int_eq(vrf_delete(v, err, sizeof(err)), 0);
}
END_TEST

START_TEST(test_families_apart)
{
	char err[128];
	struct vrf *v = vrf_create("APART", err, sizeof(err));
	static const char *const v4probes[] = { "0.0.0.0", "10.1.2.3", "255.255.255.255" };
	static const char *const v6probes[] = {
		"::",     "::1",         "::ffff:10.1.2.3",
		"a00::1", "2001:db8::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
	};
	struct prefix d6 = P("::/0"), d4 = P("0.0.0.0/0"), p;
	struct rib_dest *d, *x4, *x6;
	struct ipaddr a;
	struct rib_nh nh;
	size_t i;

	ck_assert_ptr_nonnull(v);
	memset(&nh, 0, sizeof(nh));
	nh.blackhole = true;

	/* only the IPv6 default */
	ck_assert_int_eq(rib_update(v->rib, &d6, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
	for (i = 0; i < sizeof(v4probes) / sizeof(v4probes[0]); i++) {
		a = IP(v4probes[i]);
		ck_assert_msg(rib_match(v->rib, &a) == NULL, "::/0 matched %s", v4probes[i]);
	}
	for (i = 0; i < sizeof(v6probes) / sizeof(v6probes[0]); i++) {
		a = IP(v6probes[i]);
		ck_assert_pfx_eq(rib_match(v->rib, &a), "::/0");
	}
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &d4));
	ck_assert_int_eq(rib_withdraw(v->rib, &d4, RIB_STATIC, 1), -1);
	ck_assert_uint_eq(fib_lookup(v->fib, A("10.1.2.3")), FIB_NH_NONE);
	ck_assert_uint_eq(fib_count(v->fib), 0);

	/* both defaults: each family gets its own */
	ck_assert_int_eq(rib_update(v->rib, &d4, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
	ck_assert_ptr_ne(rib_lookup_exact(v->rib, &d4), rib_lookup_exact(v->rib, &d6));
	for (i = 0; i < sizeof(v4probes) / sizeof(v4probes[0]); i++) {
		a = IP(v4probes[i]);
		ck_assert_pfx_eq(rib_match(v->rib, &a), "0.0.0.0/0");
	}
	for (i = 0; i < sizeof(v6probes) / sizeof(v6probes[0]); i++) {
		a = IP(v6probes[i]);
		ck_assert_pfx_eq(rib_match(v->rib, &a), "::/0");
	}
	ck_assert_uint_ne(fib_lookup(v->fib, A("10.1.2.3")), FIB_NH_NONE);

	/* only the IPv4 default */
	ck_assert_int_eq(rib_withdraw(v->rib, &d6, RIB_STATIC, 1), 0);
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &d6));
	for (i = 0; i < sizeof(v6probes) / sizeof(v6probes[0]); i++) {
		a = IP(v6probes[i]);
		ck_assert_msg(rib_match(v->rib, &a) == NULL, "0.0.0.0/0 matched %s", v6probes[i]);
	}
	a = IP("10.1.2.3");
	ck_assert_pfx_eq(rib_match(v->rib, &a), "0.0.0.0/0");
	ck_assert_int_eq(rib_withdraw(v->rib, &d4, RIB_STATIC, 1), 0);
	ck_assert_uint_eq(rib_count(v->rib), 0);

	/* same leading bits, different families: 10.0.0.0/8 is 0x0a..., so is
	 * a00::/8; ::ffff:10.0.0.0/104 is the IPv4-mapped form */
	p = P("10.0.0.0/8");
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
	x4 = rib_lookup_exact(v->rib, &p);
	p = P("a00::/8");
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));
	ck_assert_int_eq(rib_withdraw(v->rib, &p, RIB_STATIC, 1), -1);
	a = IP("a00::1");
	ck_assert_ptr_null(rib_match(v->rib, &a));
	a = IP("::ffff:10.1.1.1");
	ck_assert_ptr_null(rib_match(v->rib, &a));
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
	x6 = rib_lookup_exact(v->rib, &p);
	ck_assert_ptr_nonnull(x6);
	ck_assert_ptr_ne(x4, x6);
	ck_assert_int_eq(x4->pfx.af, AF_INET);
	ck_assert_int_eq(x6->pfx.af, AF_INET6);
	p = P("::ffff:10.0.0.0/104");
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
	a = IP("10.1.1.1");
	ck_assert_ptr_eq(rib_match(v->rib, &a), x4);
	a = IP("a00::1");
	ck_assert_ptr_eq(rib_match(v->rib, &a), x6);
	a = IP("::ffff:10.1.1.1");
	ck_assert_pfx_eq(rib_match(v->rib, &a), "::ffff:10.0.0.0/104");
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET), 1);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 2);
	ck_assert_uint_eq(fib_count(v->fib), 1);
	/* withdrawing the IPv4 one leaves the IPv6 ones alone */
	p = P("10.0.0.0/8");
	ck_assert_int_eq(rib_withdraw(v->rib, &p, RIB_STATIC, 1), 0);
	a = IP("10.1.1.1");
	ck_assert_ptr_null(rib_match(v->rib, &a));
	ck_assert_ptr_eq(rib_lookup_exact(v->rib, &x6->pfx), x6);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 2);
	ck_assert_uint_eq(fib_count(v->fib), 0);

	/* no family, or a length beyond the family's: refused / not found */
	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), -1);
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));
	memset(&a, 0, sizeof(a));
	ck_assert_ptr_null(rib_match(v->rib, &a));
	p = P("2001:db8::/64");
	p.len = 129;
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), -1);
	p = P("10.0.0.0/8");
	p.len = 33;
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), -1);
	ck_assert_uint_eq(rib_count(v->rib), 2);

	/* an IPv6 default route does not resolve IPv6 gateways either */
	{
		struct static_route def = S("::/0", NULL, "eth1", 1);
		struct static_route s = S("2001:db8:5::/48", "2001:db8:ff::1", NULL, 1);

		ck_assert_int_eq(static_add(v, &def), STATIC_ADDED);
		ck_assert_int_eq(static_add(v, &s), STATIC_ADDED);
		d = rib_lookup_exact(v->rib, &s.pfx);
		ck_assert_ptr_nonnull(d);
		ck_assert_ptr_null(d->selected);
		ck_assert_ptr_nonnull(rib_lookup_exact(v->rib, &def.pfx)->selected);
		/* nor does an IPv4 connected route with the same bits */
		add_connected(v, "32.1.13.0/24", "eth2"); /* 0x2001 0x0d.. */
		ck_assert_ptr_null(rib_lookup_exact(v->rib, &s.pfx)->selected);
		add_connected(v, "2001:db8:ff::/64", "eth2");
		d = rib_lookup_exact(v->rib, &s.pfx);
		ck_assert_ptr_nonnull(d->selected);
		ck_assert_str_eq(d->selected->nh[0].res_ifname, "eth2");
	}
}
END_TEST

struct walk_rec {
	int n;
	int stop_at; /* return 1 on the stop_at-th call (1-based), 0: never */
	char seen[32][PREFIX_STRLEN];
};

static int walk_record(void *arg, struct rib_dest *d)
{
	struct walk_rec *w = arg;

	ck_assert_int_lt(w->n, 32);
	prefix_ntop(&d->pfx, w->seen[w->n], sizeof(w->seen[0]));
	w->n++;
	return w->n == w->stop_at ? 7 : 0;
}

/* rib_walk: IPv4 first, then IPv6, each in address-then-length order;
 * rib_walk_af: one family; early stop; counts per family. */
START_TEST(test_walk_families)
{
	char err[128];
	struct vrf *v = vrf_create("WALK", err, sizeof(err));
	/* insertion order shuffled across families */
	static const char *const ins[] = {
		"2001:db8::/32", "10.0.0.0/8",     "::/0",          "192.168.0.0/16",
		"2001:db8::/64", "0.0.0.0/0",      "2001:db8:1::/48", "10.1.0.0/16",
		"fe80::/10",     "::ffff:0.0.0.0/96", "10.0.0.0/24",   "2001:db8::/48",
	};
	static const char *const want[] = {
		"0.0.0.0/0",       "10.0.0.0/8",       "10.0.0.0/24",   "10.1.0.0/16",
		"192.168.0.0/16",  "::/0",             "::ffff:0.0.0.0/96", "2001:db8::/32",
		"2001:db8::/48",   "2001:db8::/64",    "2001:db8:1::/48",   "fe80::/10",
	};
	enum { N4 = 5, N = 12 };
	struct walk_rec *w = calloc(1, sizeof(*w));
	struct rib_nh nh;
	struct prefix p;
	size_t i;

	memset(&nh, 0, sizeof(nh));
	nh.blackhole = true;
	for (i = 0; i < N; i++) {
		p = P(ins[i]);
		ck_assert_int_eq(rib_update(v->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
	}
	ck_assert_uint_eq(rib_count(v->rib), N);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET), N4);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), N - N4);

	ck_assert_int_eq(rib_walk(v->rib, walk_record, w), 0);
	ck_assert_int_eq(w->n, N);
	for (i = 0; i < N; i++)
		ck_assert_str_eq(w->seen[i], want[i]);

	memset(w, 0, sizeof(*w));
	ck_assert_int_eq(rib_walk_af(v->rib, AF_INET, walk_record, w), 0);
	ck_assert_int_eq(w->n, N4);
	for (i = 0; i < N4; i++)
		ck_assert_str_eq(w->seen[i], want[i]);

	memset(w, 0, sizeof(*w));
	ck_assert_int_eq(rib_walk_af(v->rib, AF_INET6, walk_record, w), 0);
	ck_assert_int_eq(w->n, N - N4);
	for (i = 0; i < N - N4; i++)
		ck_assert_str_eq(w->seen[i], want[N4 + i]);

	/* stopping early returns the callback's value and stops at once, in
	 * either family */
	memset(w, 0, sizeof(*w));
	w->stop_at = N4 + 1;
	ck_assert_int_eq(rib_walk(v->rib, walk_record, w), 7);
	ck_assert_int_eq(w->n, N4 + 1);
	ck_assert_str_eq(w->seen[N4], "::/0");
	memset(w, 0, sizeof(*w));
	w->stop_at = 2;
	ck_assert_int_eq(rib_walk(v->rib, walk_record, w), 7);
	ck_assert_int_eq(w->n, 2);
	memset(w, 0, sizeof(*w));
	w->stop_at = 3;
	ck_assert_int_eq(rib_walk_af(v->rib, AF_INET6, walk_record, w), 7);
	ck_assert_int_eq(w->n, 3);
	ck_assert_str_eq(w->seen[2], "2001:db8::/32");

	/* the IPv6 trie emptied: nothing IPv6 is walked or counted */
	for (i = 0; i < N; i++) {
		p = P(ins[i]);
		if (p.af == AF_INET6)
			ck_assert_int_eq(rib_withdraw(v->rib, &p, RIB_STATIC, 1), 0);
	}
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 0);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET), N4);
	ck_assert_uint_eq(rib_count(v->rib), N4);
	memset(w, 0, sizeof(*w));
	ck_assert_int_eq(rib_walk_af(v->rib, AF_INET6, walk_record, w), 0);
	ck_assert_int_eq(w->n, 0);
	memset(w, 0, sizeof(*w));
	ck_assert_int_eq(rib_walk(v->rib, walk_record, w), 0);
	ck_assert_int_eq(w->n, N4);
	ck_assert_str_eq(w->seen[N4 - 1], "192.168.0.0/16");

	/* and the IPv4 one emptied with IPv6 routes present */
	p = P("2001:db8::/32");
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
	rib_withdraw_proto(v->rib, RIB_STATIC);
	ck_assert_uint_eq(rib_count(v->rib), 0);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 0);
	ck_assert_uint_eq(fib_count(v->fib), 0);
	p = P("2001:db8::/32");
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
	memset(w, 0, sizeof(*w));
	ck_assert_int_eq(rib_walk_af(v->rib, AF_INET, walk_record, w), 0);
	ck_assert_int_eq(w->n, 0);
	ck_assert_int_eq(rib_walk(v->rib, walk_record, w), 0);
	ck_assert_int_eq(w->n, 1);
	ck_assert_str_eq(w->seen[0], "2001:db8::/32");
	free(w);
}
END_TEST

/* Mark-and-sweep of a redump covers IPv6 routes too. */
START_TEST(test_v6_mark_sweep)
{
	struct vrf *v = vrf_default();
	struct rib_nh nh4, nh6;
	struct prefix a = P("2001:db8:a::/48"), b = P("2001:db8:b::/48"), c = P("10.3.0.0/16");

	memset(&nh4, 0, sizeof(nh4));
	memset(&nh6, 0, sizeof(nh6));
	nh4.gw = IP("10.255.0.2");
	nh6.gw = IP("fe80::1");
	snprintf(nh6.ifname, sizeof(nh6.ifname), "eth1");
	ck_assert_int_eq(rib_update(v->rib, &a, RIB_KERNEL, 0, 0, 0, &nh6, 1), 0);
	ck_assert_int_eq(rib_update(v->rib, &b, RIB_KERNEL, 0, 0, 0, &nh6, 1), 0);
	ck_assert_int_eq(rib_update(v->rib, &c, RIB_KERNEL, 0, 0, 0, &nh4, 1), 0);
	ck_assert_ip_eq(rib_lookup_exact(v->rib, &a)->selected->nh[0].gw, "fe80::1");
	add_connected(v, "2001:db8:b::/48", "eth1");
	rib_mark_stale(v->rib, RIB_KERNEL);
	/* the redump brings a again, not b nor c */
	ck_assert_int_eq(rib_update(v->rib, &a, RIB_KERNEL, 0, 0, 0, &nh6, 1), 0);
	rib_sweep_stale(v->rib, RIB_KERNEL);
	ck_assert_ptr_nonnull(rib_lookup_exact(v->rib, &a));
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &c));
	ck_assert_ptr_nonnull(rib_lookup_exact(v->rib, &b)); /* connected route stays */
	ck_assert_int_eq(rib_lookup_exact(v->rib, &b)->routes->proto, RIB_CONNECTED);
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &b)->routes->next);
	ck_assert_uint_eq(rib_count(v->rib), 2);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 2);
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET), 0);
	rib_withdraw_proto(v->rib, RIB_KERNEL);
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &a));
	ck_assert_uint_eq(rib_count(v->rib), 1);
}
END_TEST

/* ---- a route whose next-hop count changes ------------------------------ */

/* What the install hook was given, copied at the time of the call. */
static struct {
	int calls;
	struct rib_dest *d;
	struct rib_route *sel;
	int nh_count;
	struct ipaddr gw[RIB_MAX_NH];
	bool active[RIB_MAX_NH];
} inst;

static bool rec_install(void *arg, struct rib *rib, struct rib_dest *d, struct rib_route *sel)
{
	int i;

	(void)arg;
	(void)rib;
	inst.calls++;
	inst.d = d;
	inst.sel = sel;
	inst.nh_count = sel ? sel->nh_count : 0;
	for (i = 0; sel != NULL && i < sel->nh_count; i++) {
		inst.gw[i] = sel->nh[i].gw;
		inst.active[i] = sel->nh[i].active;
	}
	return sel != NULL;
}

/* The routes of d: proto order, d->selected among them and the only one
 * flagged selected, installed only if selected. Returns the (proto) one. */
static struct rib_route *route_of(const struct rib_dest *d, enum rib_proto proto, int nroutes)
{
	struct rib_route *r, *found = NULL;
	int n = 0, prev = -1;
	bool sel_seen = d->selected == NULL;

	for (r = d->routes; r != NULL; r = r->next) {
		ck_assert_int_gt((int)r->proto, prev);
		prev = (int)r->proto;
		ck_assert(r->selected == (r == d->selected));
		if (r != d->selected)
			ck_assert(!r->installed);
		if (r == d->selected)
			sel_seen = true;
		if (r->proto == proto)
			found = r;
		n++;
	}
	ck_assert_int_eq(n, nroutes);
	ck_assert(sel_seen);
	return found;
}

/* nh[] from a NULL-terminated list of gateways; returns the count */
static int mk_nh(struct rib_nh *nh, const char *const *gws)
{
	int n;

	for (n = 0; gws[n] != NULL; n++) {
		memset(&nh[n], 0, sizeof(nh[n]));
		nh[n].gw = IP(gws[n]);
	}
	return n;
}

/* The static-like route (RIB_STATIC, key 1) on dst goes through next-hop
 * counts 1, 3, 2, 1, 4, 16, 1 (its flexible array reallocated each time) with
 * a kernel route before it and a BGP route after it in the route list. */
static void nh_realloc_family(const char *dst, const char *const gw[6])
{
	/* gw: 0..1 reached over c1 (eth1), 2..3 over c2 (eth2), 4..5 unreachable */
	const char *const g1[] = { gw[0], NULL };
	const char *const g3[] = { gw[0], gw[2], gw[1], NULL };
	const char *const g2[] = { gw[3], gw[4], NULL };
	const char *const g1u[] = { gw[5], NULL };
	const char *const g4[] = { gw[1], gw[3], gw[0], gw[2], NULL };
	struct rib *rib = rib_new(NULL);
	struct rib_hooks h = { .install = rec_install, .arg = NULL };
	struct rib_nh nh[RIB_MAX_NH + 1], knh, bnh;
	struct prefix p = P(dst);
	struct rib_route *st, *sel;
	struct rib_dest *d;
	int n, i, calls;

	memset(&inst, 0, sizeof(inst));
	rib_set_hooks(rib, &h);
	/* the connected routes the gateways resolve over */
	{
		struct rib_nh c;
		struct prefix c1 = P(p.af == AF_INET ? "10.9.1.0/24" : "2001:db8:a::/64");
		struct prefix c2 = P(p.af == AF_INET ? "10.9.2.0/24" : "2001:db8:b::/64");

		memset(&c, 0, sizeof(c));
		strcpy(c.ifname, "eth1");
		ck_assert_int_eq(rib_update(rib, &c1, RIB_CONNECTED, 1, 0, 0, &c, 1), 0);
		strcpy(c.ifname, "eth2");
		ck_assert_int_eq(rib_update(rib, &c2, RIB_CONNECTED, 1, 0, 0, &c, 1), 0);
	}
	/* worse routes on both sides of the static one in the list */
	memset(&knh, 0, sizeof(knh));
	knh.gw = IP(gw[0]);
	ck_assert_int_eq(rib_update(rib, &p, RIB_KERNEL, 0, 250, 0, &knh, 1), 0);
	memset(&bnh, 0, sizeof(bnh));
	bnh.gw = IP(gw[2]);
	ck_assert_int_eq(rib_update(rib, &p, RIB_BGP, 0, 200, 0, &bnh, 1), 0);
	d = rib_lookup_exact(rib, &p);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->selected->proto, RIB_BGP);

	/* 1 next hop */
	n = mk_nh(nh, g1);
	ck_assert_int_eq(rib_update(rib, &p, RIB_STATIC, 1, 1, 0, nh, n), 0);
	st = route_of(d, RIB_STATIC, 3);
	ck_assert_ptr_eq(d->selected, st);
	ck_assert_int_eq(st->nh_count, 1);
	ck_assert(st->installed && st->nh[0].active && st->nh[0].fib);
	ck_assert_str_eq(st->nh[0].res_ifname, "eth1");
	ck_assert_ptr_eq(inst.d, d);
	ck_assert_ptr_eq(inst.sel, st);
	ck_assert_int_eq(inst.nh_count, 1);

	/* 3: reallocated, the list relinked around it, the hook given the new
	 * allocation with the new next hops */
	n = mk_nh(nh, g3);
	calls = inst.calls;
	ck_assert_int_eq(rib_update(rib, &p, RIB_STATIC, 1, 1, 0, nh, n), 0);
	ck_assert_int_gt(inst.calls, calls);
	st = route_of(d, RIB_STATIC, 3);
	ck_assert_ptr_eq(d->selected, st);
	ck_assert_ptr_eq(inst.sel, st);
	ck_assert_int_eq(st->nh_count, 3);
	ck_assert_int_eq(inst.nh_count, 3);
	for (i = 0; i < 3; i++) {
		ck_assert_ip_eq(st->nh[i].gw, g3[i]);
		ck_assert_ip_eq(inst.gw[i], g3[i]);
		ck_assert(st->nh[i].active && st->nh[i].fib && inst.active[i]);
	}
	ck_assert_str_eq(st->nh[0].res_ifname, "eth1");
	ck_assert_str_eq(st->nh[1].res_ifname, "eth2");
	ck_assert_str_eq(st->nh[2].res_ifname, "eth1");
	ck_assert(st->installed);
	ck_assert_int_eq(d->routes->proto, RIB_KERNEL);
	ck_assert_ptr_eq(d->routes->next, st);
	ck_assert_int_eq(st->next->proto, RIB_BGP);

	/* the same 3 again: nothing changes, not even the allocation */
	calls = inst.calls;
	ck_assert_int_eq(rib_update(rib, &p, RIB_STATIC, 1, 1, 0, nh, n), 0);
	ck_assert_int_eq(inst.calls, calls);
	ck_assert_ptr_eq(route_of(d, RIB_STATIC, 3), st);

	/* 2, one of them unreachable: still selected, only the reachable one
	 * in the FIB */
	n = mk_nh(nh, g2);
	ck_assert_int_eq(rib_update(rib, &p, RIB_STATIC, 1, 1, 0, nh, n), 0);
	st = route_of(d, RIB_STATIC, 3);
	ck_assert_ptr_eq(d->selected, st);
	ck_assert_ptr_eq(inst.sel, st);
	ck_assert_int_eq(st->nh_count, 2);
	ck_assert_int_eq(inst.nh_count, 2);
	ck_assert_ip_eq(st->nh[0].gw, gw[3]);
	ck_assert_ip_eq(st->nh[1].gw, gw[4]);
	ck_assert(st->nh[0].active && st->nh[0].fib);
	ck_assert(!st->nh[1].active && !st->nh[1].fib);
	ck_assert_str_eq(st->nh[0].res_ifname, "eth2");
	ck_assert_str_eq(st->nh[1].res_ifname, "");
	ck_assert(st->installed);

	/* 1 unreachable: the BGP route takes over */
	n = mk_nh(nh, g1u);
	ck_assert_int_eq(rib_update(rib, &p, RIB_STATIC, 1, 1, 0, nh, n), 0);
	st = route_of(d, RIB_STATIC, 3);
	sel = route_of(d, RIB_BGP, 3);
	ck_assert_ptr_eq(d->selected, sel);
	ck_assert_ptr_eq(inst.sel, sel);
	ck_assert_int_eq(st->nh_count, 1);
	ck_assert(!st->selected && !st->installed && !st->nh[0].active && !st->nh[0].fib);
	ck_assert(sel->installed);

	/* 4, all reachable: selected again while it was not */
	n = mk_nh(nh, g4);
	ck_assert_int_eq(rib_update(rib, &p, RIB_STATIC, 1, 1, 0, nh, n), 0);
	st = route_of(d, RIB_STATIC, 3);
	ck_assert_ptr_eq(d->selected, st);
	ck_assert_ptr_eq(inst.sel, st);
	ck_assert_int_eq(st->nh_count, 4);
	ck_assert_int_eq(inst.nh_count, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_ip_eq(st->nh[i].gw, g4[i]);
		ck_assert(st->nh[i].active && st->nh[i].fib);
	}
	ck_assert(st->installed);
	ck_assert(!route_of(d, RIB_BGP, 3)->installed);

	/* the most next hops there can be, then one too many (refused,
	 * nothing changed) */
	for (i = 0; i < RIB_MAX_NH + 1; i++) {
		memset(&nh[i], 0, sizeof(nh[i]));
		nh[i].gw = IP(gw[i % 4]);
	}
	ck_assert_int_eq(rib_update(rib, &p, RIB_STATIC, 1, 1, 0, nh, RIB_MAX_NH), 0);
	st = route_of(d, RIB_STATIC, 3);
	ck_assert_ptr_eq(d->selected, st);
	ck_assert_int_eq(st->nh_count, RIB_MAX_NH);
	ck_assert_int_eq(inst.nh_count, RIB_MAX_NH);
	ck_assert(st->installed && st->nh[RIB_MAX_NH - 1].fib);
	ck_assert_ip_eq(st->nh[RIB_MAX_NH - 1].gw, gw[(RIB_MAX_NH - 1) % 4]);
	ck_assert_int_eq(rib_update(rib, &p, RIB_STATIC, 1, 1, 0, nh, RIB_MAX_NH + 1), -1);
	ck_assert_int_eq(rib_update(rib, &p, RIB_STATIC, 1, 1, 0, nh, 0), -1);
	ck_assert_ptr_eq(route_of(d, RIB_STATIC, 3), st);
	ck_assert_int_eq(st->nh_count, RIB_MAX_NH);

	/* the gateways' connected route goes: re-evaluated in place */
	{
		struct prefix c2 = P(p.af == AF_INET ? "10.9.2.0/24" : "2001:db8:b::/64");

		ck_assert_int_eq(rib_withdraw(rib, &c2, RIB_CONNECTED, 1), 0);
	}
	st = route_of(d, RIB_STATIC, 3);
	ck_assert_ptr_eq(d->selected, st);
	for (i = 0; i < RIB_MAX_NH; i++)
		ck_assert(st->nh[i].active == (i % 4 < 2));
	ck_assert_ptr_eq(inst.sel, st);

	/* back to 1, then withdrawn: the BGP route again, then none */
	n = mk_nh(nh, g1);
	ck_assert_int_eq(rib_update(rib, &p, RIB_STATIC, 1, 1, 0, nh, n), 0);
	st = route_of(d, RIB_STATIC, 3);
	ck_assert_ptr_eq(d->selected, st);
	ck_assert_int_eq(st->nh_count, 1);
	ck_assert_int_eq(rib_withdraw(rib, &p, RIB_STATIC, 1), 0);
	ck_assert_int_eq(route_of(d, RIB_BGP, 2)->proto, RIB_BGP);
	ck_assert_ptr_eq(inst.sel, d->selected);
	ck_assert_int_eq(d->selected->proto, RIB_BGP);
	ck_assert_int_eq(rib_withdraw(rib, &p, RIB_BGP, 0), 0);
	ck_assert_int_eq(rib_withdraw(rib, &p, RIB_KERNEL, 0), 0);
	ck_assert_ptr_null(inst.sel);
	ck_assert_ptr_null(rib_lookup_exact(rib, &p));
	ck_assert_uint_eq(rib_count(rib), 1);
	rib_free(rib);
}

START_TEST(test_nh_count_changes)
{
	static const char *const gw4[6] = { "10.9.1.2", "10.9.1.3", "10.9.2.2",
					    "10.9.2.3", "10.77.0.1", "10.78.0.1" };
	static const char *const gw6[6] = { "2001:db8:a::2", "2001:db8:a::3", "2001:db8:b::2",
					    "2001:db8:b::3", "2001:db8:77::1", "2001:db8:78::1" };

	nh_realloc_family("192.168.5.0/24", gw4);
	nh_realloc_family("2001:db8:5::/48", gw6);
}
END_TEST

/* Static routes through the VRF for an IPv6 prefix: ECMP grows and shrinks
 * (static_push re-sends the route with another next-hop count). */
START_TEST(test_v6_static_ecmp)
{
	char err[128];
	struct vrf *v = vrf_create("CUST-6", err, sizeof(err));
	struct static_route a = S("2001:db8:5::/48", "2001:db8:a::2", NULL, 1);
	struct static_route b = S("2001:db8:5::/48", "2001:db8:b::2", NULL, 1);
	struct static_route c = S("2001:db8:5::/48", NULL, "eth2", 1);
	struct static_route a7 = S("2001:db8:5::/48", "2001:db8:a::2", NULL, 7);
	struct static_route a4 = S("192.168.5.0/24", "10.9.1.2", NULL, 1);
	struct prefix p = P("2001:db8:5::/48");
	struct rib_dest *d;

	add_connected(v, "2001:db8:a::/64", "eth1");
	add_connected(v, "2001:db8:b::/64", "eth2");
	add_connected(v, "10.9.1.0/24", "eth1");
	ck_assert_int_eq(static_add(v, &a), STATIC_ADDED);
	ck_assert_int_eq(static_add(v, &a4), STATIC_ADDED);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_int_eq(d->selected->nh_count, 1);
	ck_assert_int_eq(static_add(v, &b), STATIC_ADDED);
	ck_assert_int_eq(static_add(v, &c), STATIC_ADDED);
	ck_assert_int_eq(static_add(v, &a), STATIC_EXISTS);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_ptr_nonnull(d->selected);
	ck_assert_int_eq(d->selected->nh_count, 3);
	ck_assert(d->selected->nh[0].active && d->selected->nh[1].active &&
		  d->selected->nh[2].active);
	ck_assert_ptr_null(d->routes->next);
	/* same next hop with another distance: the distance-1 route shrinks */
	ck_assert_int_eq(static_add(v, &a7), STATIC_UPDATED);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_int_eq(d->selected->distance, 1);
	ck_assert_int_eq(d->selected->nh_count, 2);
	ck_assert_ip_eq(d->selected->nh[0].gw, "2001:db8:b::2");
	ck_assert_int_eq(d->selected->nh[1].gw.af, 0);
	ck_assert_str_eq(d->selected->nh[1].ifname, "eth2");
	ck_assert_ptr_nonnull(d->routes->next); /* the distance-7 route */
	ck_assert_int_eq(static_del(v, &b, true), STATIC_ADDED);
	ck_assert_int_eq(static_del(v, &c, true), STATIC_ADDED);
	d = rib_lookup_exact(v->rib, &p);
	ck_assert_int_eq(d->selected->distance, 7);
	ck_assert_int_eq(d->selected->nh_count, 1);
	ck_assert_ip_eq(d->selected->nh[0].gw, "2001:db8:a::2");
	ck_assert_ptr_null(d->routes->next);
	/* the IPv4 static beside it is untouched and forwarded */
	ck_assert_ip_eq(rib_lookup_exact(v->rib, &a4.pfx)->selected->nh[0].gw, "10.9.1.2");
	ck_assert_uint_ne(fib_lookup(v->fib, A("192.168.5.1")), FIB_NH_NONE);
	ck_assert_int_eq(static_del(v, &a7, true), STATIC_ADDED);
	ck_assert_ptr_null(rib_lookup_exact(v->rib, &p));
	ck_assert_uint_eq(rib_count_af(v->rib, AF_INET6), 2);
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
	tcase_add_test(tc, test_route_limit_per_family);
	tcase_add_test(tc, test_vrf_registry);
	tcase_add_test(tc, test_vrf_many);
	tcase_add_test(tc, test_rt_set);
	tcase_add_test(tc, test_trie_random);
	tcase_add_test(tc, test_trie_random_mixed);
	tcase_add_test(tc, test_mark_sweep);
	tcase_add_test(tc, test_v6_lookup_and_match);
	tcase_add_test(tc, test_families_apart);
	tcase_add_test(tc, test_overlong_length);
	tcase_add_test(tc, test_walk_families);
	tcase_add_test(tc, test_v6_mark_sweep);
	tcase_add_test(tc, test_nh_count_changes);
	tcase_add_test(tc, test_v6_static_ecmp);
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
