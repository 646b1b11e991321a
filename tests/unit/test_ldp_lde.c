/* ldp/lde.c: the label decision engine driven through its API with a fake
 * ops table that records sends, label allocations and the LFIB. Scenarios
 * follow RFC 5036 A.1 (mapping, request, withdraw, release), independent
 * and ordered control, implicit/explicit null, the host-routes filter,
 * next-hop changes, neighbor loss; then a random sequence checking the
 * invariants (every advertised label allocated exactly once, to one FEC;
 * every LFIB entry's out-labels are the in-use neighbors' current
 * bindings; everything freed at the end). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldp/lde.h"
#include "lib/log.h"

#define NONE MPLS_LABEL_NONE
#define LBL_LIMIT 4096

/* ---- fake environment ---- */

enum ev_type { EV_MAP, EV_WDRAW, EV_REL, EV_NOTIF, EV_LFIB_UPD, EV_LFIB_DEL, EV_BOUND };

struct ev {
	enum ev_type type;
	uint32_t lsr;
	struct prefix4 pfx;
	mpls_label_t label;
	bool has_req;
	uint32_t req; /* request id, or notification status */
	uint32_t msgid;
	int npaths;
	struct lde_path paths[LDE_MAX_NH];
};

struct lfib_ent {
	bool used;
	struct prefix4 pfx;
	int npaths;
	struct lde_path paths[LDE_MAX_NH];
};

static struct {
	struct ev ev[8192];
	int nev;
	bool alloc[LBL_LIMIT];
	struct prefix4 owner[LBL_LIMIT];
	int nalloc, errors, allocs;
	bool exhausted;
	struct lfib_ent lfib[LBL_LIMIT];
	int nlfib;
} env;

static void ev_add(const struct ev *e)
{
	if (env.nev < (int)(sizeof(env.ev) / sizeof(env.ev[0])))
		env.ev[env.nev++] = *e;
}

static mpls_label_t f_alloc(void *arg, const struct prefix4 *fec)
{
	mpls_label_t l;

	(void)arg;
	if (env.exhausted)
		return NONE;
	for (l = 16; l < LBL_LIMIT; l++) {
		if (!env.alloc[l]) {
			env.alloc[l] = true;
			env.owner[l] = *fec;
			env.nalloc++;
			env.allocs++;
			return l;
		}
	}
	return NONE;
}

static void f_release(void *arg, mpls_label_t l)
{
	(void)arg;
	if (l >= LBL_LIMIT || !env.alloc[l]) {
		env.errors++; /* double free or never allocated */
		return;
	}
	if (env.lfib[l].used)
		env.errors++; /* freed while still forwarding */
	env.alloc[l] = false;
	env.nalloc--;
}

static void f_map(void *arg, uint32_t lsr, const struct prefix4 *fec, mpls_label_t l,
		  const uint32_t *req)
{
	struct ev e = { .type = EV_MAP, .lsr = lsr, .pfx = *fec, .label = l };

	(void)arg;
	if (req) {
		e.has_req = true;
		e.req = *req;
	}
	if (l >= 16 && (l >= LBL_LIMIT || !env.alloc[l] || !prefix4_equal(&env.owner[l], fec)))
		env.errors++; /* advertising a label that is not this FEC's */
	ev_add(&e);
}

static void f_wdraw(void *arg, uint32_t lsr, const struct prefix4 *fec, mpls_label_t l)
{
	struct ev e = { .type = EV_WDRAW, .lsr = lsr, .pfx = *fec, .label = l };

	(void)arg;
	ev_add(&e);
}

static void f_rel(void *arg, uint32_t lsr, const struct prefix4 *fec, mpls_label_t l)
{
	struct ev e = { .type = EV_REL, .lsr = lsr, .pfx = *fec, .label = l };

	(void)arg;
	ev_add(&e);
}

static void f_notif(void *arg, uint32_t lsr, uint32_t status, const struct prefix4 *fec,
		    uint32_t msgid)
{
	struct ev e = { .type = EV_NOTIF, .lsr = lsr, .pfx = *fec, .req = status, .msgid = msgid };

	(void)arg;
	ev_add(&e);
}

static struct lde *lde;

/* The LIB is the one copy of the labelled paths (lde_fec_paths): what a
 * callback is handed must be what a query answers at that moment. */
static void check_query(const struct prefix4 *fec, const struct lde_path *p, int n)
{
	const struct lde_path *q;

	if (lde_fec_paths(lde, fec, &q) != n || (n > 0 && memcmp(p, q, (size_t)n * sizeof(*p)) != 0))
		env.errors++;
}

static void f_lfib_upd(void *arg, mpls_label_t in, const struct prefix4 *fec,
		       const struct lde_path *p, int n)
{
	struct ev e = { .type = EV_LFIB_UPD, .pfx = *fec, .label = in, .npaths = n };

	(void)arg;
	ck_assert(n > 0 && n <= LDE_MAX_NH);
	check_query(fec, p, n);
	memcpy(e.paths, p, (size_t)n * sizeof(*p));
	ev_add(&e);
	if (in >= LBL_LIMIT || !env.alloc[in]) {
		env.errors++;
		return;
	}
	if (!env.lfib[in].used)
		env.nlfib++;
	env.lfib[in].used = true;
	env.lfib[in].pfx = *fec;
	env.lfib[in].npaths = n;
	memcpy(env.lfib[in].paths, p, (size_t)n * sizeof(*p));
}

static void f_lfib_del(void *arg, mpls_label_t in, const struct prefix4 *fec)
{
	struct ev e = { .type = EV_LFIB_DEL, .pfx = *fec, .label = in };

	(void)arg;
	ev_add(&e);
	if (in >= LBL_LIMIT || !env.lfib[in].used) {
		env.errors++;
		return;
	}
	env.lfib[in].used = false;
	env.nlfib--;
}

static void f_bound(void *arg, const struct prefix4 *fec, const struct lde_path *p, int n)
{
	struct ev e = { .type = EV_BOUND, .pfx = *fec, .npaths = n };

	(void)arg;
	check_query(fec, p, n);
	if (n > 0) /* no paths: p may be NULL */
		memcpy(e.paths, p, (size_t)n * sizeof(*p));
	ev_add(&e);
}

static const struct lde_ops ops = {
	.alloc_label = f_alloc,
	.release_label = f_release,
	.send_mapping = f_map,
	.send_withdraw = f_wdraw,
	.send_release = f_rel,
	.send_notification = f_notif,
	.lfib_update = f_lfib_upd,
	.lfib_delete = f_lfib_del,
	.nh_bound = f_bound,
};

/* ---- helpers ---- */

static struct prefix4 P(const char *s) {
	struct prefix4 p;
	bool hb;

	ck_assert_int_eq(prefix4_parse(s, &p, &hb), 0);
	return p;
}

static uint32_t
A(const char *s)
{
	uint32_t a;

	ck_assert_int_eq(addr4_parse(s, &a), 0);
	return a;
}

/* Counts recorded events; lsr 0, pfx NULL and label NONE match anything. */
static int count(enum ev_type t, uint32_t lsr, const char *pfx, mpls_label_t l)
{
	struct prefix4 p;
	int i, n = 0;

	if (pfx)
		p = P(pfx);
	for (i = 0; i < env.nev; i++) {
		const struct ev *e = &env.ev[i];

		if (e->type != t || (lsr && e->lsr != lsr) ||
		    (pfx && !prefix4_equal(&e->pfx, &p)) || (l != NONE && e->label != l))
			continue;
		n++;
	}
	return n;
}

static const struct ev *last(enum ev_type t, const char *pfx)
{
	struct prefix4 p = P(pfx);
	int i;

	for (i = env.nev - 1; i >= 0; i--)
		if (env.ev[i].type == t && prefix4_equal(&env.ev[i].pfx, &p))
			return &env.ev[i];
	return NULL;
}

static void clear(void)
{
	env.nev = 0;
}

static uint32_t R2, R3, R4, NH2, NH3;

static struct lde_config cfg(bool ordered, bool expnull, bool hosts)
{
	struct lde_config c = { .ordered_control = ordered,
				.explicit_null = expnull,
				.host_routes_only = hosts };
	return c;
}

static void setup(void)
{
	struct lde_config c = cfg(false, false, false);

	log_init("test", true, false);
	memset(&env, 0, sizeof(env));
	R2 = A("2.2.2.2");
	R3 = A("3.3.3.3");
	R4 = A("4.4.4.4");
	NH2 = A("10.0.12.2");
	NH3 = A("10.0.13.3");
	lde = lde_new(&ops, NULL, &c);
}

static void teardown(void)
{
	lde_free(lde);
	lde = NULL;
	ck_assert_int_eq(env.nalloc, 0);
	ck_assert_int_eq(env.errors, 0);
	ck_assert_int_eq(env.nlfib, 0);
}

static void nbrs_up(void)
{
	uint32_t a2[] = { R2, NH2 }, a3[] = { R3, NH3 };

	ck_assert_int_eq(lde_nbr_up(lde, R2, a2, 2), 0);
	ck_assert_int_eq(lde_nbr_up(lde, R3, a3, 2), 0);
}

static void route(const char *pfx, uint32_t nh, const char *ifn)
{
	struct prefix4 p = P(pfx);
	struct lde_nh n;

	memset(&n, 0, sizeof(n));
	n.addr = nh;
	snprintf(n.ifname, sizeof(n.ifname), "%s", ifn);
	lde_route_update(lde, &p, &n, 1, false);
}

static void route2(const char *pfx)
{
	struct prefix4 p = P(pfx);
	struct lde_nh n[2];

	memset(n, 0, sizeof(n));
	n[0].addr = NH2;
	snprintf(n[0].ifname, sizeof(n[0].ifname), "eth0");
	n[1].addr = NH3;
	snprintf(n[1].ifname, sizeof(n[1].ifname), "eth1");
	lde_route_update(lde, &p, n, 2, false);
}

static void egress(const char *pfx)
{
	struct prefix4 p = P(pfx);
	struct lde_nh n;

	memset(&n, 0, sizeof(n));
	snprintf(n.ifname, sizeof(n.ifname), "lo");
	lde_route_update(lde, &p, &n, 1, true);
}

static void del(const char *pfx)
{
	struct prefix4 p = P(pfx);

	lde_route_delete(lde, &p);
}

static void rmap(uint32_t lsr, const char *pfx, mpls_label_t l)
{
	struct prefix4 p = P(pfx);

	lde_recv_mapping(lde, lsr, &p, l);
}

static void rwd(uint32_t lsr, const char *pfx, mpls_label_t l)
{
	struct prefix4 p = P(pfx);

	lde_recv_withdraw(lde, lsr, &p, l);
}

static void rrel(uint32_t lsr, const char *pfx, mpls_label_t l)
{
	struct prefix4 p = P(pfx);

	lde_recv_release(lde, lsr, &p, l);
}

static void rreq(uint32_t lsr, const char *pfx, uint32_t id)
{
	struct prefix4 p = P(pfx);

	lde_recv_request(lde, lsr, &p, id);
}

static mpls_label_t local(const char *pfx)
{
	struct prefix4 p = P(pfx);

	return lde_local_label(lde, &p);
}

static const struct lfib_ent *lfib(const char *pfx)
{
	mpls_label_t l = local(pfx);

	if (l == NONE || l >= LBL_LIMIT || !env.lfib[l].used)
		return NULL;
	return &env.lfib[l];
}

/* ---- independent control ---- */

START_TEST(independent_advertise_and_swap)
{
	const struct lfib_ent *e;
	mpls_label_t l;

	nbrs_up();
	route("9.9.9.9/32", NH2, "eth0");
	l = local("9.9.9.9/32");
	ck_assert_uint_ge(l, 16);
	/* advertised to every neighbor at once, the next hop included */
	ck_assert_int_eq(count(EV_MAP, R2, "9.9.9.9/32", l), 1);
	ck_assert_int_eq(count(EV_MAP, R3, "9.9.9.9/32", l), 1);
	ck_assert_int_eq(count(EV_LFIB_UPD, 0, NULL, NONE), 0);

	rmap(R2, "9.9.9.9/32", 200);
	e = lfib("9.9.9.9/32");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->npaths, 1);
	ck_assert_uint_eq(e->paths[0].label, 200);
	ck_assert_uint_eq(e->paths[0].nexthop, NH2);
	ck_assert_uint_eq(e->paths[0].lsr_id, R2);
	ck_assert_str_eq(e->paths[0].ifname, "eth0");
	ck_assert_int_eq(last(EV_BOUND, "9.9.9.9/32")->npaths, 1);

	/* liberal retention: R3's label is kept but not used */
	clear();
	rmap(R3, "9.9.9.9/32", 300);
	{
		struct prefix4 p = P("9.9.9.9/32");

		ck_assert_uint_eq(lde_remote_label(lde, R3, &p), 300);
	}
	ck_assert_int_eq(env.nev, 0);
	ck_assert_int_eq(env.nlfib, 1);
	ck_assert_int_eq(env.nalloc, 1);
}
END_TEST

START_TEST(mapping_before_route)
{
	nbrs_up();
	rmap(R2, "9.9.9.9/32", 200);
	ck_assert_int_eq(env.nlfib, 0);
	ck_assert_uint_eq(local("9.9.9.9/32"), NONE);
	route("9.9.9.9/32", NH2, "eth0");
	ck_assert_ptr_nonnull(lfib("9.9.9.9/32"));
	ck_assert_uint_eq(lfib("9.9.9.9/32")->paths[0].label, 200);
}
END_TEST

START_TEST(implicit_null_from_next_hop_is_pop)
{
	nbrs_up();
	route("2.2.2.2/32", NH2, "eth0");
	rmap(R2, "2.2.2.2/32", MPLS_LABEL_IMPLICIT_NULL);
	ck_assert_uint_eq(lfib("2.2.2.2/32")->paths[0].label, MPLS_LABEL_IMPLICIT_NULL);
}
END_TEST

START_TEST(address_list_maps_next_hop)
{
	uint32_t a2[] = { R2 };

	ck_assert_int_eq(lde_nbr_up(lde, R2, a2, 1), 0);
	ck_assert_int_eq(lde_nbr_up(lde, R2, a2, 1), -1);
	route("9.9.9.9/32", NH2, "eth0");
	rmap(R2, "9.9.9.9/32", 200);
	ck_assert_int_eq(env.nlfib, 0); /* 10.0.12.2 is nobody's yet */
	lde_nbr_address_add(lde, R2, NH2);
	ck_assert_ptr_nonnull(lfib("9.9.9.9/32"));
	clear();
	lde_nbr_address_add(lde, R2, NH2); /* duplicate: nothing */
	ck_assert_int_eq(env.nev, 0);
	lde_nbr_address_del(lde, R2, NH2); /* Address Withdraw */
	ck_assert_int_eq(env.nlfib, 0);
	ck_assert_int_eq(count(EV_LFIB_DEL, 0, "9.9.9.9/32", NONE), 1);
	ck_assert_int_eq(last(EV_BOUND, "9.9.9.9/32")->npaths, 0);
}
END_TEST

/* ---- ordered control ---- */

START_TEST(ordered_waits_for_next_hop)
{
	struct lde_config c = cfg(true, false, false);
	mpls_label_t l;

	lde_set_config(lde, &c);
	nbrs_up();
	egress("1.1.1.1/32");
	route("9.9.9.9/32", NH2, "eth0");
	/* egress FEC goes out at once, the transit one waits */
	ck_assert_int_eq(count(EV_MAP, R2, "1.1.1.1/32", MPLS_LABEL_IMPLICIT_NULL), 1);
	ck_assert_int_eq(count(EV_MAP, 0, "9.9.9.9/32", NONE), 0);
	ck_assert_int_eq(env.nalloc, 0);
	rmap(R3, "9.9.9.9/32", 300); /* not the next hop */
	ck_assert_int_eq(count(EV_MAP, 0, "9.9.9.9/32", NONE), 0);
	rmap(R2, "9.9.9.9/32", 200);
	l = local("9.9.9.9/32");
	ck_assert_uint_ge(l, 16);
	ck_assert_int_eq(count(EV_MAP, R2, "9.9.9.9/32", l), 1);
	ck_assert_int_eq(count(EV_MAP, R3, "9.9.9.9/32", l), 1);
	ck_assert_uint_eq(lfib("9.9.9.9/32")->paths[0].label, 200);

	/* the next hop withdraws: release to it, withdraw ours upstream */
	clear();
	rwd(R2, "9.9.9.9/32", 200);
	ck_assert_int_eq(count(EV_REL, R2, "9.9.9.9/32", 200), 1);
	ck_assert_int_eq(count(EV_WDRAW, R2, "9.9.9.9/32", l), 1);
	ck_assert_int_eq(count(EV_WDRAW, R3, "9.9.9.9/32", l), 1);
	ck_assert_int_eq(env.nlfib, 0);
	ck_assert_uint_eq(local("9.9.9.9/32"), NONE);
	rrel(R2, "9.9.9.9/32", l);
	ck_assert(env.alloc[l]);
	rrel(R3, "9.9.9.9/32", l);
	ck_assert(!env.alloc[l]);
}
END_TEST

START_TEST(ordered_switch_at_runtime)
{
	struct lde_config c = cfg(true, false, false);

	nbrs_up();
	route("9.9.9.9/32", NH2, "eth0");
	ck_assert_uint_ge(local("9.9.9.9/32"), 16);
	clear();
	lde_set_config(lde, &c); /* no mapping from R2: withdraw */
	ck_assert_int_eq(count(EV_WDRAW, 0, "9.9.9.9/32", NONE), 2);
	rmap(R2, "9.9.9.9/32", 200);
	ck_assert_int_eq(count(EV_MAP, 0, "9.9.9.9/32", NONE), 2);
	c.ordered_control = false;
	clear();
	lde_set_config(lde, &c);
	ck_assert_int_eq(env.nev, 0);
}
END_TEST

/* ---- egress FECs ---- */

START_TEST(egress_implicit_then_explicit_null)
{
	struct lde_config c = cfg(false, true, false);

	nbrs_up();
	egress("1.1.1.1/32");
	egress("10.0.12.0/24");
	ck_assert_uint_eq(local("1.1.1.1/32"), MPLS_LABEL_IMPLICIT_NULL);
	ck_assert_int_eq(count(EV_MAP, R2, "1.1.1.1/32", MPLS_LABEL_IMPLICIT_NULL), 1);
	ck_assert_int_eq(count(EV_MAP, R3, "10.0.12.0/24", MPLS_LABEL_IMPLICIT_NULL), 1);
	ck_assert_int_eq(env.nalloc, 0);
	/* even with a neighbor's mapping, an egress FEC is never swapped */
	rmap(R2, "1.1.1.1/32", 500);
	ck_assert_int_eq(env.nlfib, 0);

	clear();
	lde_set_config(lde, &c);
	ck_assert_uint_eq(local("1.1.1.1/32"), MPLS_LABEL_IPV4_EXPLICIT_NULL);
	ck_assert_int_eq(count(EV_WDRAW, R2, "1.1.1.1/32", MPLS_LABEL_IMPLICIT_NULL), 1);
	ck_assert_int_eq(count(EV_MAP, R2, "1.1.1.1/32", MPLS_LABEL_IPV4_EXPLICIT_NULL), 1);
	ck_assert_int_eq(count(EV_MAP, R3, "10.0.12.0/24", MPLS_LABEL_IPV4_EXPLICIT_NULL), 1);
	ck_assert_int_eq(env.nalloc, 0);
	rrel(R2, "1.1.1.1/32", MPLS_LABEL_IMPLICIT_NULL);
}
END_TEST

START_TEST(transit_becomes_egress)
{
	mpls_label_t l;

	nbrs_up();
	route("10.0.50.0/24", NH2, "eth0");
	l = local("10.0.50.0/24");
	ck_assert_uint_ge(l, 16);
	clear();
	egress("10.0.50.0/24"); /* the subnet became connected */
	ck_assert_int_eq(count(EV_WDRAW, 0, "10.0.50.0/24", l), 2);
	ck_assert_int_eq(count(EV_MAP, 0, "10.0.50.0/24", MPLS_LABEL_IMPLICIT_NULL), 2);
	rrel(R2, "10.0.50.0/24", l);
	rrel(R3, "10.0.50.0/24", l);
	ck_assert(!env.alloc[l]);
}
END_TEST

/* ---- host routes only ---- */

START_TEST(host_routes_only_filter)
{
	struct lde_config c = cfg(false, false, true);

	lde_set_config(lde, &c);
	nbrs_up();
	route("9.9.9.9/32", NH2, "eth0");
	route("10.0.34.0/24", NH2, "eth0");
	egress("10.0.12.0/24");
	ck_assert_uint_ge(local("9.9.9.9/32"), 16);
	ck_assert_uint_eq(local("10.0.34.0/24"), NONE);
	ck_assert_uint_eq(local("10.0.12.0/24"), NONE);
	ck_assert_int_eq(count(EV_MAP, 0, "10.0.34.0/24", NONE), 0);
	/* remote bindings still count for BGP next-hop resolution */
	rmap(R2, "10.0.34.0/24", 340);
	ck_assert_int_eq(last(EV_BOUND, "10.0.34.0/24")->npaths, 1);
	ck_assert_int_eq(env.nlfib, 0);
	/* a request for a filtered FEC: No Route */
	rreq(R3, "10.0.34.0/24", 77);
	ck_assert_int_eq(count(EV_NOTIF, R3, "10.0.34.0/24", NONE), 1);

	c.host_routes_only = false;
	clear();
	lde_set_config(lde, &c);
	ck_assert_uint_ge(local("10.0.34.0/24"), 16);
	ck_assert_int_eq(count(EV_MAP, 0, "10.0.34.0/24", NONE), 2);
	ck_assert_int_eq(count(EV_MAP, 0, "10.0.12.0/24", MPLS_LABEL_IMPLICIT_NULL), 2);
	ck_assert_int_eq(count(EV_MAP, 0, "9.9.9.9/32", NONE), 0);
	ck_assert_ptr_nonnull(lfib("10.0.34.0/24"));
	c.host_routes_only = true;
	clear();
	lde_set_config(lde, &c);
	ck_assert_int_eq(count(EV_WDRAW, 0, "10.0.34.0/24", NONE), 2);
	ck_assert_ptr_null(lfib("10.0.34.0/24"));
}
END_TEST

/* ---- route changes ---- */

START_TEST(next_hop_change_moves_lfib)
{
	mpls_label_t l;
	const struct lfib_ent *e;

	nbrs_up();
	route("9.9.9.9/32", NH2, "eth0");
	l = local("9.9.9.9/32");
	rmap(R2, "9.9.9.9/32", 200);
	rmap(R3, "9.9.9.9/32", 300);
	ck_assert_uint_eq(lfib("9.9.9.9/32")->paths[0].label, 200);
	clear();
	route("9.9.9.9/32", NH3, "eth1"); /* IGP moved the route */
	e = lfib("9.9.9.9/32");
	ck_assert_uint_eq(local("9.9.9.9/32"), l); /* same in-label */
	ck_assert_int_eq(e->npaths, 1);
	ck_assert_uint_eq(e->paths[0].label, 300);
	ck_assert_uint_eq(e->paths[0].lsr_id, R3);
	ck_assert_str_eq(e->paths[0].ifname, "eth1");
	ck_assert_int_eq(count(EV_MAP, 0, NULL, NONE), 0);
	ck_assert_int_eq(count(EV_LFIB_DEL, 0, NULL, NONE), 0);
	ck_assert_uint_eq(last(EV_BOUND, "9.9.9.9/32")->paths[0].lsr_id, R3);
	/* same route again: nothing */
	clear();
	route("9.9.9.9/32", NH3, "eth1");
	ck_assert_int_eq(env.nev, 0);
	/* ECMP: both */
	route2("9.9.9.9/32");
	ck_assert_int_eq(lfib("9.9.9.9/32")->npaths, 2);
}
END_TEST

START_TEST(route_delete_withdraw_release)
{
	mpls_label_t l;

	nbrs_up();
	route("9.9.9.9/32", NH2, "eth0");
	l = local("9.9.9.9/32");
	rmap(R2, "9.9.9.9/32", 200);
	clear();
	del("9.9.9.9/32");
	ck_assert_int_eq(count(EV_WDRAW, R2, "9.9.9.9/32", l), 1);
	ck_assert_int_eq(count(EV_WDRAW, R3, "9.9.9.9/32", l), 1);
	ck_assert_int_eq(count(EV_LFIB_DEL, 0, "9.9.9.9/32", l), 1);
	ck_assert_int_eq(last(EV_BOUND, "9.9.9.9/32")->npaths, 0);
	ck_assert(env.alloc[l]); /* held until released */
	rrel(R2, "9.9.9.9/32", l);
	rrel(R2, "9.9.9.9/32", l); /* duplicate release: harmless */
	ck_assert(env.alloc[l]);
	/* the route comes back before R3 released: a new label */
	route("9.9.9.9/32", NH2, "eth0");
	ck_assert_uint_ne(local("9.9.9.9/32"), l);
	ck_assert_uint_eq(lfib("9.9.9.9/32")->paths[0].label, 200);
	rrel(R3, "9.9.9.9/32", l);
	ck_assert(!env.alloc[l]);
	ck_assert_int_eq(env.nalloc, 1);
}
END_TEST

START_TEST(route_delete_then_nbr_down_frees)
{
	mpls_label_t l;
	struct lde_stats st;

	nbrs_up();
	route("9.9.9.9/32", NH2, "eth0");
	l = local("9.9.9.9/32");
	del("9.9.9.9/32");
	lde_get_stats(lde, &st);
	ck_assert_uint_eq(st.waiting_release, 2);
	rrel(R2, "9.9.9.9/32", l);
	lde_nbr_down(lde, R3); /* its copy dies with the session */
	ck_assert(!env.alloc[l]);
	lde_get_stats(lde, &st);
	ck_assert_uint_eq(st.fecs, 0);
	ck_assert_uint_eq(st.waiting_release, 0);
	ck_assert_uint_eq(st.local_labels, 0);
}
END_TEST

START_TEST(route_delete_without_neighbors_frees_at_once)
{
	mpls_label_t l;

	route("9.9.9.9/32", NH2, "eth0");
	l = local("9.9.9.9/32");
	ck_assert(env.alloc[l]);
	del("9.9.9.9/32");
	ck_assert(!env.alloc[l]);
	del("9.9.9.9/32");
	ck_assert_int_eq(env.nev, 0);
}
END_TEST

/* ---- received messages ---- */

START_TEST(recv_withdraw_releases)
{
	mpls_label_t l;

	nbrs_up();
	route("9.9.9.9/32", NH2, "eth0");
	l = local("9.9.9.9/32");
	rmap(R2, "9.9.9.9/32", 200);
	clear();
	rwd(R2, "9.9.9.9/32", 200);
	ck_assert_int_eq(count(EV_REL, R2, "9.9.9.9/32", 200), 1);
	ck_assert_int_eq(count(EV_LFIB_DEL, 0, "9.9.9.9/32", l), 1);
	/* independent control keeps advertising */
	ck_assert_int_eq(count(EV_WDRAW, 0, NULL, NONE), 0);
	ck_assert_uint_eq(local("9.9.9.9/32"), l);
	/* a withdraw for something unknown is still released (LWd.2) */
	clear();
	rwd(R3, "7.7.7.7/32", 70);
	ck_assert_int_eq(count(EV_REL, R3, "7.7.7.7/32", 70), 1);
	/* a withdraw with another label leaves the binding alone */
	rmap(R2, "9.9.9.9/32", 201);
	rwd(R2, "9.9.9.9/32", 999);
	ck_assert_ptr_nonnull(lfib("9.9.9.9/32"));
	/* a withdraw without label removes it */
	rwd(R2, "9.9.9.9/32", NONE);
	ck_assert_ptr_null(lfib("9.9.9.9/32"));
	ck_assert_int_eq(count(EV_REL, R2, "9.9.9.9/32", 201), 1);
}
END_TEST

START_TEST(recv_wildcard_withdraw)
{
	nbrs_up();
	route("9.9.9.9/32", NH2, "eth0");
	route("8.8.8.8/32", NH2, "eth0");
	rmap(R2, "9.9.9.9/32", 200);
	rmap(R2, "8.8.8.8/32", 201);
	rmap(R2, "7.7.7.7/32", 202); /* no route: only retained */
	rmap(R3, "9.9.9.9/32", 300);
	ck_assert_int_eq(env.nlfib, 2);
	clear();
	lde_recv_withdraw(lde, R2, NULL, NONE);
	ck_assert_int_eq(count(EV_REL, R2, NULL, NONE), 3);
	ck_assert_int_eq(env.nlfib, 0);
	{
		struct prefix4 p = P("9.9.9.9/32");

		ck_assert_uint_eq(lde_remote_label(lde, R3, &p), 300);
		ck_assert_uint_eq(lde_remote_label(lde, R2, &p), NONE);
	}
}
END_TEST

START_TEST(mapping_label_change_releases_old)
{
	nbrs_up();
	route("9.9.9.9/32", NH2, "eth0");
	rmap(R2, "9.9.9.9/32", 200);
	clear();
	rmap(R2, "9.9.9.9/32", 200); /* the same mapping twice */
	ck_assert_int_eq(env.nev, 0);
	rmap(R2, "9.9.9.9/32", 201);
	ck_assert_int_eq(count(EV_REL, R2, "9.9.9.9/32", 200), 1);
	ck_assert_uint_eq(lfib("9.9.9.9/32")->paths[0].label, 201);
	ck_assert_int_eq(count(EV_LFIB_UPD, 0, NULL, NONE), 1);
	/* invalid labels and unknown neighbors are ignored */
	clear();
	rmap(R2, "9.9.9.9/32", 5);
	rmap(R4, "9.9.9.9/32", 400);
	rwd(R4, "9.9.9.9/32", 400);
	rrel(R4, "9.9.9.9/32", 400);
	rreq(R4, "9.9.9.9/32", 1);
	ck_assert_int_eq(env.nev, 0);
}
END_TEST

START_TEST(release_of_current_label)
{
	mpls_label_t l;

	nbrs_up();
	route("9.9.9.9/32", NH2, "eth0");
	l = local("9.9.9.9/32");
	rrel(R3, "9.9.9.9/32", l); /* R3 does not want it */
	clear();
	lde_nbr_address_add(lde, R2, A("10.9.9.9")); /* re-evaluates every FEC */
	ck_assert_int_eq(count(EV_MAP, R3, "9.9.9.9/32", NONE), 0);
	ck_assert(env.alloc[l]);
	rreq(R3, "9.9.9.9/32", 42); /* until it asks */
	ck_assert_int_eq(count(EV_MAP, R3, "9.9.9.9/32", l), 1);
}
END_TEST

START_TEST(label_request)
{
	struct lde_config c = cfg(true, false, false);
	const struct ev *e;

	nbrs_up();
	route("9.9.9.9/32", NH2, "eth0");
	clear();
	rreq(R3, "9.9.9.9/32", 42);
	e = last(EV_MAP, "9.9.9.9/32");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->lsr, R3);
	ck_assert(e->has_req);
	ck_assert_uint_eq(e->req, 42);
	ck_assert_uint_eq(e->label, local("9.9.9.9/32"));
	/* no route: Notification No Route with the request's message id */
	clear();
	rreq(R3, "5.5.5.5/32", 43);
	ck_assert_int_eq(env.nev, 1);
	ck_assert_int_eq(env.ev[0].type, EV_NOTIF);
	ck_assert_uint_eq(env.ev[0].req, LDE_ST_NO_ROUTE);
	ck_assert_uint_eq(env.ev[0].msgid, 43);
	/* ordered control: answered when the next hop's mapping arrives */
	lde_set_config(lde, &c);
	route("6.6.6.6/32", NH2, "eth0");
	clear();
	rreq(R3, "6.6.6.6/32", 44);
	ck_assert_int_eq(env.nev, 0);
	rmap(R2, "6.6.6.6/32", 600);
	e = last(EV_MAP, "6.6.6.6/32");
	ck_assert_uint_eq(e->lsr, R3);
	ck_assert(e->has_req);
	ck_assert_uint_eq(e->req, 44);
	ck_assert_int_eq(count(EV_MAP, R2, "6.6.6.6/32", NONE), 1);
	/* pending request and the route goes away: No Route */
	route("5.5.5.5/32", NH2, "eth0");
	rreq(R3, "5.5.5.5/32", 45);
	clear();
	del("5.5.5.5/32");
	ck_assert_int_eq(count(EV_NOTIF, R3, "5.5.5.5/32", NONE), 1);
}
END_TEST

START_TEST(label_exhaustion)
{
	nbrs_up();
	env.exhausted = true;
	route("9.9.9.9/32", NH2, "eth0");
	ck_assert_uint_eq(local("9.9.9.9/32"), NONE);
	rreq(R3, "9.9.9.9/32", 9);
	ck_assert_int_eq(count(EV_NOTIF, R3, "9.9.9.9/32", NONE), 1);
	ck_assert_uint_eq(last(EV_NOTIF, "9.9.9.9/32")->req, LDE_ST_NO_LABEL_RES);
	env.exhausted = false;
	route2("9.9.9.9/32"); /* next change retries */
	ck_assert_uint_ge(local("9.9.9.9/32"), 16);
}
END_TEST

/* ---- neighbors ---- */

START_TEST(nbr_down_clears_bindings)
{
	struct prefix4 p = P("9.9.9.9/32");

	nbrs_up();
	route2("9.9.9.9/32");
	route("8.8.8.8/32", NH2, "eth0");
	rmap(R2, "9.9.9.9/32", 200);
	rmap(R3, "9.9.9.9/32", 300);
	rmap(R2, "8.8.8.8/32", 201);
	ck_assert_int_eq(lfib("9.9.9.9/32")->npaths, 2);
	clear();
	lde_nbr_down(lde, R2);
	ck_assert(!lde_nbr_exists(lde, R2));
	ck_assert_int_eq(lfib("9.9.9.9/32")->npaths, 1);
	ck_assert_uint_eq(lfib("9.9.9.9/32")->paths[0].lsr_id, R3);
	ck_assert_ptr_null(lfib("8.8.8.8/32"));
	ck_assert_uint_eq(lde_remote_label(lde, R2, &p), NONE);
	ck_assert_int_eq(count(EV_MAP, R2, NULL, NONE) + count(EV_WDRAW, R2, NULL, NONE) +
				 count(EV_REL, R2, NULL, NONE),
			 0);
	/* back up: everything advertised again */
	{
		uint32_t a2[] = { NH2 };

		lde_nbr_up(lde, R2, a2, 1);
	}
	ck_assert_int_eq(count(EV_MAP, R2, NULL, NONE), 2);
	lde_nbr_down(lde, R4); /* unknown: nothing */
}
END_TEST

/* ---- queries ---- */

struct walk_res {
	int fecs, bindings, in_use;
	char first[PREFIX4_STRLEN];
	char local9[16];
};

static int walk_fn(void *arg, const struct lde_fec_info *fi)
{
	struct walk_res *r = arg;
	int i;

	if (r->fecs++ == 0)
		prefix4_ntop(&fi->pfx, r->first, sizeof(r->first));
	for (i = 0; i < fi->nbindings; i++) {
		r->bindings++;
		r->in_use += fi->bindings[i].in_use;
	}
	if (fi->pfx.addr == A("1.1.1.1"))
		lde_label_str(fi->local_label, r->local9, sizeof(r->local9));
	return 0;
}

static int lfib_fn(void *arg, mpls_label_t in, const struct prefix4 *fec, const struct lde_path *p,
		   int n)
{
	(void)in;
	(void)fec;
	(void)p;
	*(int *)arg += n;
	return 0;
}

START_TEST(queries)
{
	struct walk_res r;
	char b[16];
	int n = 0;

	memset(&r, 0, sizeof(r));
	nbrs_up();
	egress("1.1.1.1/32");
	route2("9.9.9.9/32");
	rmap(R2, "9.9.9.9/32", 200);
	rmap(R3, "9.9.9.9/32", MPLS_LABEL_IMPLICIT_NULL);
	lde_fec_walk(lde, walk_fn, &r);
	ck_assert_int_eq(r.fecs, 2);
	ck_assert_str_eq(r.first, "1.1.1.1/32");
	ck_assert_int_eq(r.bindings, 4);
	ck_assert_int_eq(r.in_use, 2);
	ck_assert_str_eq(r.local9, "imp-null");
	lde_lfib_walk(lde, lfib_fn, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(lde_label_str(MPLS_LABEL_IPV4_EXPLICIT_NULL, b, sizeof(b)), "exp-null");
	ck_assert_str_eq(lde_label_str(NONE, b, sizeof(b)), "-");
	ck_assert_str_eq(lde_label_str(16, b, sizeof(b)), "16");
	{
		struct prefix4 p = P("4.4.4.4/32");

		ck_assert_int_eq(lde_fec_get(lde, &p, walk_fn, &r), -1);
	}
}
END_TEST

/* ---- random sequence with invariants ---- */

#define RN 3
#define RP 6
static const char *const rpfx[RP] = { "1.1.1.1/32",   "9.9.9.9/32", "8.8.8.8/32",
				      "10.0.34.0/24", "7.7.7.7/32", "10.0.12.0/24" };
static uint32_t rlsr[RN], raddr[RN];
static bool rup[RN];
/* what each neighbor holds from us (per the sends), NONE if nothing */
static mpls_label_t view[RN][RP];
static int seen_ev;

/* Replays new events into the neighbors' view; returns withdraws to answer. */
static void replay(mpls_label_t pending[RN][RP][8], int npend[RN][RP])
{
	for (; seen_ev < env.nev; seen_ev++) {
		const struct ev *e = &env.ev[seen_ev];
		int n, p;

		for (n = 0; n < RN && rlsr[n] != e->lsr; n++)
			;
		for (p = 0; p < RP; p++) {
			struct prefix4 px = P(rpfx[p]);

			if (prefix4_equal(&e->pfx, &px))
				break;
		}
		if (e->type != EV_MAP && e->type != EV_WDRAW)
			continue;
		ck_assert(p < RP);
		if (e->type == EV_MAP) {
			ck_assert(n < RN && rup[n]);
			ck_assert_msg(view[n][p] == NONE || view[n][p] == e->label,
				      "mapping %u over %u without withdraw", e->label, view[n][p]);
			view[n][p] = e->label;
		} else if (e->type == EV_WDRAW) {
			ck_assert(n < RN && rup[n]);
			ck_assert_uint_eq(view[n][p], e->label);
			view[n][p] = NONE;
			if (npend[n][p] < 8)
				pending[n][p][npend[n][p]++] = e->label;
		}
	}
}

static void check_invariants(void)
{
	int n, p;
	mpls_label_t l;
	int held[LBL_LIMIT];

	memset(held, 0, sizeof(held));
	ck_assert_int_eq(env.errors, 0);
	for (n = 0; n < RN; n++) {
		for (p = 0; p < RP; p++) {
			struct prefix4 px = P(rpfx[p]);

			if (view[n][p] == NONE || view[n][p] < 16)
				continue;
			l = view[n][p];
			/* advertised => allocated, to this FEC */
			ck_assert(env.alloc[l]);
			ck_assert(prefix4_equal(&env.owner[l], &px));
			/* the current advertisement is the FEC's local label */
			ck_assert_uint_eq(lde_local_label(lde, &px), l);
			held[l]++;
		}
	}
	/* each allocated label belongs to exactly one FEC (the owner) and at
	 * most one FEC has it as local label */
	for (p = 0; p < RP; p++) {
		struct prefix4 px = P(rpfx[p]);
		int q;

		l = lde_local_label(lde, &px);
		if (l == NONE || l < 16)
			continue;
		ck_assert(env.alloc[l]);
		ck_assert(prefix4_equal(&env.owner[l], &px));
		for (q = p + 1; q < RP; q++) {
			struct prefix4 py = P(rpfx[q]);

			ck_assert_uint_ne(lde_local_label(lde, &py), l);
		}
	}
	/* LFIB entries: in = local label, out = the in-use neighbor's binding */
	for (l = 16; l < LBL_LIMIT; l++) {
		const struct lfib_ent *e = &env.lfib[l];
		int i;

		if (!e->used)
			continue;
		ck_assert_uint_eq(lde_local_label(lde, &e->pfx), l);
		for (i = 0; i < e->npaths; i++)
			ck_assert_uint_eq(lde_remote_label(lde, e->paths[i].lsr_id, &e->pfx),
					  e->paths[i].label);
	}
}

START_TEST(random_sequence)
{
	static mpls_label_t pending[RN][RP][8];
	static int npend[RN][RP];
	unsigned seed = 1000u + (unsigned)_i;
	int step, n, p, max_lfib = 0;
	struct lde_config c = cfg(false, false, false);

	srandom(seed);
	memset(npend, 0, sizeof(npend));
	memset(rup, 0, sizeof(rup));
	seen_ev = 0;
	for (n = 0; n < RN; n++) {
		rlsr[n] = A("2.2.2.2") + (uint32_t)n;
		raddr[n] = A("10.0.0.2") + (uint32_t)n;
		for (p = 0; p < RP; p++)
			view[n][p] = NONE;
	}
	for (step = 0; step < 3000; step++) {
		int op = (int)(random() % 100);
		struct prefix4 px;

		n = (int)(random() % RN);
		p = (int)(random() % RP);
		px = P(rpfx[p]);
		if (op >= 40 && op < 95 && !rup[n] && random() % 8 != 0)
			continue;     /* mostly messages from live sessions */
		if (env.nev > 7000) { /* keep the record bounded */
			replay(pending, npend);
			env.nev = seen_ev = 0;
		}
		if (op < 8) {
			if (rup[n]) {
				lde_nbr_down(lde, rlsr[n]);
				rup[n] = false;
				replay(pending, npend);
				for (p = 0; p < RP; p++) {
					view[n][p] = NONE;
					npend[n][p] = 0;
				}
			} else {
				lde_nbr_up(lde, rlsr[n], &raddr[n], 1);
				rup[n] = true;
			}
		} else if (op < 30) {
			struct lde_nh nh[2];
			int k = 1 + (int)(random() % 2);

			memset(nh, 0, sizeof(nh));
			nh[0].addr = raddr[n];
			nh[1].addr = random() % 4 ? raddr[(n + 1) % RN] : A("10.9.9.9");
			lde_route_update(lde, &px, nh, k, random() % 8 == 0);
		} else if (op < 40) {
			lde_route_delete(lde, &px);
		} else if (op < 65) {
			mpls_label_t l = random() % 5 == 0 ? MPLS_LABEL_IMPLICIT_NULL :
							     5000 + (mpls_label_t)(random() % 4);
			lde_recv_mapping(lde, rlsr[n], &px, l);
		} else if (op < 75) {
			lde_recv_withdraw(lde, rlsr[n], &px, lde_remote_label(lde, rlsr[n], &px));
		} else if (op < 90) {
			replay(pending, npend);
			if (npend[n][p] > 0 && rup[n]) {
				mpls_label_t l = pending[n][p][--npend[n][p]];

				lde_recv_release(lde, rlsr[n], &px, l);
			}
		} else if (op < 95) {
			lde_recv_request(lde, rlsr[n], &px, (uint32_t)step);
		} else {
			int which = (int)(random() % 3);

			if (which == 0)
				c.ordered_control = !c.ordered_control;
			else if (which == 1)
				c.explicit_null = !c.explicit_null;
			else
				c.host_routes_only = !c.host_routes_only;
			lde_set_config(lde, &c);
		}
		replay(pending, npend);
		check_invariants();
		if (env.nlfib > max_lfib)
			max_lfib = env.nlfib;
	}
	ck_assert_int_gt(max_lfib, 1); /* the sequence did reach forwarding */
	/* wind down: routes away, releases answered, neighbors down */
	for (p = 0; p < RP; p++) {
		struct prefix4 px = P(rpfx[p]);

		lde_route_delete(lde, &px);
	}
	replay(pending, npend);
	for (n = 0; n < RN; n++)
		for (p = 0; p < RP; p++)
			while (npend[n][p] > 0 && rup[n]) {
				struct prefix4 px = P(rpfx[p]);

				lde_recv_release(lde, rlsr[n], &px, pending[n][p][--npend[n][p]]);
			}
	check_invariants();
	ck_assert_int_eq(env.nalloc, 0); /* every label back to the manager */
	ck_assert_int_eq(env.nlfib, 0);
	for (n = 0; n < RN; n++)
		if (rup[n])
			lde_nbr_down(lde, rlsr[n]);
	{
		struct lde_stats st;

		lde_get_stats(lde, &st);
		ck_assert_uint_eq(st.fecs, 0);
		ck_assert_uint_eq(st.nbrs, 0);
		ck_assert_uint_eq(st.lfib_entries, 0);
		ck_assert_uint_eq(st.waiting_release, 0);
	}
	ck_assert_int_gt(env.allocs, 10);
}
END_TEST

static Suite *lde_suite(void)
{
	Suite *s = suite_create("ldp_lde");
	TCase *tc = tcase_create("scenarios");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, independent_advertise_and_swap);
	tcase_add_test(tc, mapping_before_route);
	tcase_add_test(tc, implicit_null_from_next_hop_is_pop);
	tcase_add_test(tc, address_list_maps_next_hop);
	tcase_add_test(tc, ordered_waits_for_next_hop);
	tcase_add_test(tc, ordered_switch_at_runtime);
	tcase_add_test(tc, egress_implicit_then_explicit_null);
	tcase_add_test(tc, transit_becomes_egress);
	tcase_add_test(tc, host_routes_only_filter);
	tcase_add_test(tc, next_hop_change_moves_lfib);
	tcase_add_test(tc, route_delete_withdraw_release);
	tcase_add_test(tc, route_delete_then_nbr_down_frees);
	tcase_add_test(tc, route_delete_without_neighbors_frees_at_once);
	tcase_add_test(tc, recv_withdraw_releases);
	tcase_add_test(tc, recv_wildcard_withdraw);
	tcase_add_test(tc, mapping_label_change_releases_old);
	tcase_add_test(tc, release_of_current_label);
	tcase_add_test(tc, label_request);
	tcase_add_test(tc, label_exhaustion);
	tcase_add_test(tc, nbr_down_clears_bindings);
	tcase_add_test(tc, queries);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, random_sequence, 0, 8);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lde_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
