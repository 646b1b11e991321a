/* lib/prefix.c: strict IPv4 address and prefix parsing (no leading zeros,
 * no signs, no spaces, no trailing garbage), host-bit flag, formatting,
 * masks, containment and ordering. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/prefix.h"

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* ---- addr4_parse ---- */

static const struct addr_case {
	const char *in;
	bool ok;
	uint32_t addr;
} addr_cases[] = {
	{ "0.0.0.0", true, 0 },
	{ "255.255.255.255", true, 0xffffffff },
	{ "10.0.0.1", true, A(10, 0, 0, 1) },
	{ "192.168.1.254", true, A(192, 168, 1, 254) },
	{ "1.2.3.4", true, A(1, 2, 3, 4) },
	{ "100.64.0.0", true, A(100, 64, 0, 0) },
	{ "0.10.100.200", true, A(0, 10, 100, 200) },

	{ "", false, 0 },
	{ "1", false, 0 },
	{ "1.2.3", false, 0 },
	{ "1.2.3.4.5", false, 0 },
	{ "256.0.0.1", false, 0 },
	{ "300.1.1.1", false, 0 },
	{ "1.2.3.256", false, 0 },
	{ "1234.1.1.1", false, 0 },
	{ "1.2.3.-1", false, 0 },
	{ "+1.2.3.4", false, 0 },
	{ "1.+2.3.4", false, 0 },
	{ " 1.2.3.4", false, 0 },
	{ "1.2.3.4 ", false, 0 },
	{ "1. 2.3.4", false, 0 },
	{ "1.2.3.4/24", false, 0 },
	{ "1.2.3.4x", false, 0 },
	{ "1..2.3", false, 0 },
	{ "1.2.3.", false, 0 },
	{ ".1.2.3", false, 0 },
	{ "a.b.c.d", false, 0 },
	{ "0x1.2.3.4", false, 0 },
	/* leading zeros: rejected (inet_aton would read "010" as octal 8) */
	{ "01.2.3.4", false, 0 },
	{ "1.2.3.04", false, 0 },
	{ "1.2.3.00", false, 0 },
	{ "010.0.0.1", false, 0 },
	{ "0001.1.1.1", false, 0 },
	{ "1.2.3.4\n", false, 0 },
};

START_TEST(test_addr_parse)
{
	const struct addr_case *c = &addr_cases[_i];
	uint32_t a = 0xdeadbeef;
	char buf[ADDR4_STRLEN];
	int ret = addr4_parse(c->in, &a);

	if (c->ok) {
		ck_assert_msg(ret == 0, "\"%s\" refused", c->in);
		ck_assert_msg(a == c->addr, "\"%s\" gave %08x", c->in, a);
		/* canonical input prints back unchanged */
		ck_assert_str_eq(addr4_ntop(a, buf, sizeof(buf)), c->in);
	} else {
		ck_assert_msg(ret == -1, "\"%s\" accepted", c->in);
		ck_assert_msg(a == 0xdeadbeef, "\"%s\": output written on failure", c->in);
	}
}
END_TEST

/* ---- prefix4_parse ---- */

static const struct pfx_case {
	const char *in;
	bool ok;
	uint32_t addr; /* after masking */
	uint8_t len;
	bool host_bits;
	const char *canon; /* prefix4_ntop of the result */
} pfx_cases[] = {
	{ "10.0.0.0/8", true, A(10, 0, 0, 0), 8, false, "10.0.0.0/8" },
	{ "10.1.2.3/8", true, A(10, 0, 0, 0), 8, true, "10.0.0.0/8" },
	{ "192.168.1.0/24", true, A(192, 168, 1, 0), 24, false, "192.168.1.0/24" },
	{ "192.168.1.1/24", true, A(192, 168, 1, 0), 24, true, "192.168.1.0/24" },
	{ "0.0.0.0/0", true, 0, 0, false, "0.0.0.0/0" },
	{ "1.2.3.4/0", true, 0, 0, true, "0.0.0.0/0" },
	{ "1.2.3.4/32", true, A(1, 2, 3, 4), 32, false, "1.2.3.4/32" },
	{ "255.255.255.255/32", true, 0xffffffff, 32, false, "255.255.255.255/32" },
	{ "255.255.255.255/31", true, 0xfffffffe, 31, true, "255.255.255.254/31" },
	{ "128.0.0.0/1", true, A(128, 0, 0, 0), 1, false, "128.0.0.0/1" },
	{ "192.0.2.129/25", true, A(192, 0, 2, 128), 25, true, "192.0.2.128/25" },
	{ "172.16.0.0/12", true, A(172, 16, 0, 0), 12, false, "172.16.0.0/12" },
	{ "172.31.255.255/12", true, A(172, 16, 0, 0), 12, true, "172.16.0.0/12" },

	{ "300.1.1.1/24", false, 0, 0, false, NULL },
	{ "1.2.3.4/33", false, 0, 0, false, NULL },
	{ "1.2.3.4/100", false, 0, 0, false, NULL },
	{ "1.2.3.4/999999999999", false, 0, 0, false, NULL },
	{ "1.2.3/24", false, 0, 0, false, NULL },
	{ "1.2.3.4.5/24", false, 0, 0, false, NULL },
	{ "01.2.3.4/8", false, 0, 0, false, NULL },
	{ "10.0.0.0/08", false, 0, 0, false, NULL },
	{ "10.0.0.0/00", false, 0, 0, false, NULL },
	{ "1.2.3.4", false, 0, 0, false, NULL },
	{ "1.2.3.4/", false, 0, 0, false, NULL },
	{ "1.2.3.4/-1", false, 0, 0, false, NULL },
	{ "1.2.3.4/+8", false, 0, 0, false, NULL },
	{ "1.2.3.4/8x", false, 0, 0, false, NULL },
	{ "1.2.3.4/ 8", false, 0, 0, false, NULL },
	{ "1.2.3.4 /8", false, 0, 0, false, NULL },
	{ "1.2.3.4/8 ", false, 0, 0, false, NULL },
	{ "1.2.3.4//8", false, 0, 0, false, NULL },
	{ "1.2.3.4/8/8", false, 0, 0, false, NULL },
	{ "1.2.3.4:8", false, 0, 0, false, NULL },
	{ "/8", false, 0, 0, false, NULL },
	{ "", false, 0, 0, false, NULL },
};

START_TEST(test_prefix_parse)
{
	const struct pfx_case *c = &pfx_cases[_i];
	struct prefix4 p = { 0xdeadbeef, 77 };
	bool hb = !c->host_bits;
	char buf[PREFIX4_STRLEN];
	int ret = prefix4_parse(c->in, &p, &hb);

	if (c->ok) {
		ck_assert_msg(ret == 0, "\"%s\" refused", c->in);
		ck_assert_msg(p.addr == c->addr && p.len == c->len, "\"%s\" gave %08x/%u", c->in,
			      p.addr, p.len);
		ck_assert_msg(hb == c->host_bits, "\"%s\": host bits %d", c->in, hb);
		ck_assert_str_eq(prefix4_ntop(&p, buf, sizeof(buf)), c->canon);
		/* host_bits is optional */
		ck_assert_int_eq(prefix4_parse(c->in, &p, NULL), 0);
		ck_assert_uint_eq(p.addr, c->addr);
	} else {
		ck_assert_msg(ret == -1, "\"%s\" accepted", c->in);
		ck_assert_msg(p.addr == 0xdeadbeef && p.len == 77, "\"%s\": prefix written", c->in);
		ck_assert_msg(hb == !c->host_bits, "\"%s\": host_bits written", c->in);
	}
}
END_TEST

/* ---- formatting ---- */

START_TEST(test_ntop)
{
	struct prefix4 p = { 0xffffffff, 32 };
	char buf[PREFIX4_STRLEN], abuf[ADDR4_STRLEN], tiny[5];
	uint32_t a;

	ck_assert_str_eq(addr4_ntop(0, abuf, sizeof(abuf)), "0.0.0.0");
	ck_assert_str_eq(addr4_ntop(0xffffffff, abuf, sizeof(abuf)), "255.255.255.255");
	ck_assert_str_eq(addr4_ntop(A(10, 20, 30, 40), abuf, sizeof(abuf)), "10.20.30.40");
	/* the STRLEN constants hold the longest forms */
	ck_assert_str_eq(prefix4_ntop(&p, buf, sizeof(buf)), "255.255.255.255/32");
	ck_assert_uint_eq(strlen(buf) + 1, PREFIX4_STRLEN);
	ck_assert_uint_eq(strlen(addr4_ntop(0xffffffff, abuf, sizeof(abuf))) + 1, ADDR4_STRLEN);
	/* short buffers truncate and stay terminated */
	ck_assert_str_eq(addr4_ntop(0xffffffff, tiny, sizeof(tiny)), "255.");
	ck_assert_str_eq(prefix4_ntop(&p, tiny, sizeof(tiny)), "255.");
	/* round trip over a spread of addresses */
	for (a = 0x01020304; a < 0xff000000u; a += 0x00f1e2d3) {
		uint32_t back;

		ck_assert_int_eq(addr4_parse(addr4_ntop(a, abuf, sizeof(abuf)), &back), 0);
		ck_assert_uint_eq(back, a);
	}
}
END_TEST

/* ---- masks ---- */

START_TEST(test_mask)
{
	uint8_t len = (uint8_t)_i;
	uint32_t want = (uint32_t)(0xffffffffULL << (32 - len));
	struct prefix4 p = { 0xffffffff, len };

	ck_assert_msg(prefix4_mask(len) == want, "mask /%u = %08x", len, prefix4_mask(len));
	prefix4_apply_mask(&p);
	ck_assert_uint_eq(p.addr, want);
	ck_assert_uint_eq(p.len, len);
}
END_TEST

START_TEST(test_mask_values)
{
	ck_assert_uint_eq(prefix4_mask(0), 0);
	ck_assert_uint_eq(prefix4_mask(1), 0x80000000);
	ck_assert_uint_eq(prefix4_mask(8), 0xff000000);
	ck_assert_uint_eq(prefix4_mask(24), 0xffffff00);
	ck_assert_uint_eq(prefix4_mask(31), 0xfffffffe);
	ck_assert_uint_eq(prefix4_mask(32), 0xffffffff);
}
END_TEST

/* ---- contains ---- */

static const struct contains_case {
	const char *pfx;
	uint32_t addr;
	bool in;
} contains_cases[] = {
	{ "10.0.0.0/8", A(10, 0, 0, 0), true },
	{ "10.0.0.0/8", A(10, 255, 255, 255), true },
	{ "10.0.0.0/8", A(11, 0, 0, 0), false },
	{ "10.0.0.0/8", A(9, 255, 255, 255), false },
	{ "0.0.0.0/0", 0, true },
	{ "0.0.0.0/0", 0xffffffff, true },
	{ "1.2.3.4/32", A(1, 2, 3, 4), true },
	{ "1.2.3.4/32", A(1, 2, 3, 5), false },
	{ "192.0.2.128/25", A(192, 0, 2, 127), false },
	{ "192.0.2.128/25", A(192, 0, 2, 128), true },
	{ "192.0.2.128/25", A(192, 0, 2, 255), true },
	{ "128.0.0.0/1", A(127, 255, 255, 255), false },
	{ "128.0.0.0/1", A(128, 0, 0, 1), true },
};

START_TEST(test_contains)
{
	const struct contains_case *c = &contains_cases[_i];
	struct prefix4 p;
	char buf[ADDR4_STRLEN];

	ck_assert_int_eq(prefix4_parse(c->pfx, &p, NULL), 0);
	ck_assert_msg(prefix4_contains(&p, c->addr) == c->in, "%s contains %s: %d", c->pfx,
		      addr4_ntop(c->addr, buf, sizeof(buf)), !c->in);
}
END_TEST

/* A prefix built by hand may still carry host bits: it must contain its
 * own addresses (lib/prefix.c compares only the first len bits). */
START_TEST(test_contains_unmasked)
{
	struct prefix4 p = { A(10, 1, 2, 3), 8 };

	ck_assert(prefix4_contains(&p, A(10, 9, 9, 9)));
	ck_assert(prefix4_contains(&p, A(10, 1, 2, 3)));
	ck_assert(!prefix4_contains(&p, A(11, 1, 2, 3)));
}
END_TEST

/* ---- equal / cmp ---- */

START_TEST(test_cmp)
{
	/* ascending: by address, then length (the `show ip route` order) */
	static const char *const order[] = {
		"0.0.0.0/0",   "0.0.0.0/8",   "1.0.0.0/8",      "10.0.0.0/8",
		"10.0.0.0/16", "10.0.0.0/24", "10.0.0.1/32",    "10.0.1.0/24",
		"10.1.0.0/16", "128.0.0.0/1", "192.168.0.0/16", "255.255.255.255/32",
	};
	enum { N = sizeof(order) / sizeof(order[0]) };
	struct prefix4 p[N];
	size_t i, j;

	for (i = 0; i < N; i++)
		ck_assert_int_eq(prefix4_parse(order[i], &p[i], NULL), 0);
	for (i = 0; i < N; i++) {
		for (j = 0; j < N; j++) {
			int want = i < j ? -1 : i > j;

			ck_assert_msg(prefix4_cmp(&p[i], &p[j]) == want, "cmp(%s, %s)", order[i],
				      order[j]);
			ck_assert_msg(prefix4_equal(&p[i], &p[j]) == (i == j), "equal(%s, %s)",
				      order[i], order[j]);
		}
	}
}
END_TEST

START_TEST(test_equal_after_mask)
{
	struct prefix4 a, b;
	bool hb;

	ck_assert_int_eq(prefix4_parse("10.1.2.3/8", &a, &hb), 0);
	ck_assert(hb);
	ck_assert_int_eq(prefix4_parse("10.0.0.0/8", &b, &hb), 0);
	ck_assert(!hb);
	ck_assert(prefix4_equal(&a, &b));
	ck_assert_int_eq(prefix4_cmp(&a, &b), 0);
	b.len = 9;
	ck_assert(!prefix4_equal(&a, &b));
}
END_TEST


/* ---- family-neutral: struct ipaddr / struct prefix ---- */

static const struct any_case {
	const char *in;
	int ok;          /* 1 parses */
	int af;
	const char *out; /* canonical text (RFC 5952 for IPv6) */
	int host_bits;   /* prefixes: host bits were set */
} any_addr_cases[] = {
	{ "10.0.0.1", 1, AF_INET, "10.0.0.1", 0 },
	{ "2001:db8::1", 1, AF_INET6, "2001:db8::1", 0 },
	{ "2001:DB8:0:0:0:0:0:1", 1, AF_INET6, "2001:db8::1", 0 },
	{ "::", 1, AF_INET6, "::", 0 },
	{ "::ffff:10.1.2.3", 1, AF_INET6, "::ffff:10.1.2.3", 0 },
	{ "fe80::1", 1, AF_INET6, "fe80::1", 0 },
	{ "2001:db8:0:1:0:0:0:1", 1, AF_INET6, "2001:db8:0:1::1", 0 },
	{ "2001:db8::0:1:0:1", 1, AF_INET6, "2001:db8::1:0:1", 0 },
	{ "", 0, 0, NULL, 0 },
	{ "2001:db8::1%eth0", 0, 0, NULL, 0 },
	{ " 2001:db8::1", 0, 0, NULL, 0 },
	{ "2001:db8::1 ", 0, 0, NULL, 0 },
	{ "2001:db8:::1", 0, 0, NULL, 0 },
	{ "2001:db8::1::2", 0, 0, NULL, 0 },
	{ "12345::1", 0, 0, NULL, 0 },
	{ "g::1", 0, 0, NULL, 0 },
	{ "::ffff:010.1.2.3", 0, 0, NULL, 0 },
	{ "1:2:3:4:5:6:7:8:9", 0, 0, NULL, 0 },
	{ "2001:db8::/64", 0, 0, NULL, 0 },
	{ "010.0.0.1", 0, 0, NULL, 0 },
}, any_pfx_cases[] = {
	{ "10.1.0.0/16", 1, AF_INET, "10.1.0.0/16", 0 },
	{ "10.1.2.3/16", 1, AF_INET, "10.1.0.0/16", 1 },
	{ "2001:db8::/32", 1, AF_INET6, "2001:db8::/32", 0 },
	{ "2001:db8::1/64", 1, AF_INET6, "2001:db8::/64", 1 },
	{ "2001:db8:ffff::/33", 1, AF_INET6, "2001:db8:8000::/33", 1 },
	{ "::/0", 1, AF_INET6, "::/0", 0 },
	{ "2001:db8::1/128", 1, AF_INET6, "2001:db8::1/128", 0 },
	{ "2001:db8::/129", 0, 0, NULL, 0 },
	{ "2001:db8::/064", 0, 0, NULL, 0 },
	{ "2001:db8::/", 0, 0, NULL, 0 },
	{ "2001:db8::", 0, 0, NULL, 0 },
	{ "2001:db8::/64x", 0, 0, NULL, 0 },
	{ "2001:db8::/-1", 0, 0, NULL, 0 },
	{ "2001:db8::%1/64", 0, 0, NULL, 0 },
	{ "10.0.0.0/33", 0, 0, NULL, 0 },
};

START_TEST(test_any_addr)
{
	const struct any_case *c = &any_addr_cases[_i];
	struct ipaddr a, keep = ipaddr_v4(0x01020304);
	char buf[IPADDR_STRLEN];

	a = keep;
	ck_assert_int_eq(ipaddr_parse(c->in, &a), c->ok ? 0 : -1);
	if (!c->ok) {
		ck_assert(ipaddr_equal(&a, &keep));
		return;
	}
	ck_assert_int_eq(a.af, c->af);
	ck_assert_str_eq(ipaddr_ntop(&a, buf, sizeof(buf)), c->out);
	/* the other family's syntax is refused */
	ck_assert_int_eq(ipaddr_parse_af(c->af == AF_INET ? AF_INET6 : AF_INET, c->in, &a), -1);
}
END_TEST

START_TEST(test_any_prefix)
{
	const struct any_case *c = &any_pfx_cases[_i];
	struct prefix p, q;
	char buf[PREFIX_STRLEN];
	bool hb = false;

	ck_assert_int_eq(prefix_parse(c->in, &p, &hb), c->ok ? 0 : -1);
	if (!c->ok)
		return;
	ck_assert_int_eq(p.af, c->af);
	ck_assert_int_eq(hb, c->host_bits);
	ck_assert_str_eq(prefix_ntop(&p, buf, sizeof(buf)), c->out);
	/* round trip */
	ck_assert_int_eq(prefix_parse(buf, &q, &hb), 0);
	ck_assert(!hb);
	ck_assert(prefix_equal(&p, &q));
	ck_assert_int_eq(memcmp(&p, &q, sizeof(p)), 0);
	ck_assert_uint_eq(prefix_hash(&p, 7), prefix_hash(&q, 7));
}
END_TEST

START_TEST(test_any_contains_cmp)
{
	struct prefix p4, p6, p6b, p6c;
	struct ipaddr a4, a6, b6;
	uint32_t v4;

	ck_assert_int_eq(prefix_parse("10.0.0.0/8", &p4, NULL), 0);
	ck_assert_int_eq(prefix_parse("2001:db8::/33", &p6, NULL), 0);
	ck_assert_int_eq(prefix_parse("2001:db8:8000::/33", &p6b, NULL), 0);
	ck_assert_int_eq(prefix_parse("2001:db8::/32", &p6c, NULL), 0);
	ck_assert_int_eq(ipaddr_parse("10.9.9.9", &a4), 0);
	ck_assert_int_eq(ipaddr_parse("2001:db8:7fff::1", &a6), 0);
	ck_assert_int_eq(ipaddr_parse("2001:db8:8000::1", &b6), 0);
	ck_assert(prefix_contains(&p4, &a4));
	ck_assert(!prefix_contains(&p4, &a6)); /* other family */
	ck_assert(!prefix_contains(&p6, &a4));
	ck_assert(prefix_contains(&p6, &a6));
	ck_assert(!prefix_contains(&p6, &b6));
	ck_assert(prefix_contains(&p6b, &b6));
	ck_assert(prefix_contains(&p6c, &a6) && prefix_contains(&p6c, &b6));
	/* IPv4 sorts before IPv6; then address, then length */
	ck_assert_int_lt(prefix_cmp(&p4, &p6), 0);
	ck_assert_int_gt(prefix_cmp(&p6, &p4), 0);
	ck_assert_int_lt(prefix_cmp(&p6, &p6b), 0);
	ck_assert_int_lt(prefix_cmp(&p6c, &p6), 0);
	ck_assert_int_lt(ipaddr_cmp(&a6, &b6), 0);
	ck_assert(!ipaddr_equal(&a4, &a6));
	/* host prefix, address of a prefix */
	{
		struct prefix h = prefix_host(&a6);
		struct ipaddr back = prefix_addr(&h);

		ck_assert_uint_eq(h.len, 128);
		ck_assert(ipaddr_equal(&back, &a6));
		ck_assert_int_eq(memcmp(&back, &a6, sizeof(back)), 0);
	}
	/* IPv4-mapped (RFC 4659 next hops) */
	{
		struct ipaddr m = ipaddr_v4mapped_make(0x0a000001);
		char buf[IPADDR_STRLEN];

		ck_assert_str_eq(ipaddr_ntop(&m, buf, sizeof(buf)), "::ffff:10.0.0.1");
		ck_assert(ipaddr_v4mapped(&m, &v4));
		ck_assert_uint_eq(v4, 0x0a000001);
		ck_assert(!ipaddr_v4mapped(&a6, NULL));
		ck_assert(!ipaddr_v4mapped(&a4, NULL));
	}
	ck_assert_int_eq(ipaddr_parse("fe80::1", &a6), 0);
	ck_assert(ipaddr_is_linklocal(&a6));
	ck_assert(!ipaddr_is_linklocal(&b6));
	/* zero / unset */
	{
		struct ipaddr z = { 0 }, z6;

		ck_assert(ipaddr_is_zero(&z));
		ck_assert_int_eq(ipaddr_parse("::", &z6), 0);
		ck_assert(ipaddr_is_zero(&z6));
		ck_assert(!ipaddr_is_zero(&b6));
	}
}
END_TEST

START_TEST(test_any_mask_all_lengths)
{
	struct prefix p;
	char in[PREFIX_STRLEN];
	unsigned len, bit;

	/* all-ones address at every length keeps exactly len leading ones */
	for (len = 0; len <= 128; len++) {
		snprintf(in, sizeof(in), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/%u", len);
		ck_assert_int_eq(prefix_parse(in, &p, NULL), 0);
		for (bit = 0; bit < 128; bit++) {
			int set = (p.v6[bit / 8] >> (7 - bit % 8)) & 1;

			ck_assert_int_eq(set, bit < len);
		}
	}
}
END_TEST

#define NROWS(t) ((int)(sizeof(t) / sizeof((t)[0])))

static Suite *prefix_suite(void)
{
	Suite *s = suite_create("prefix");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_addr_parse, 0, NROWS(addr_cases));
	tcase_add_loop_test(tc, test_prefix_parse, 0, NROWS(pfx_cases));
	tcase_add_test(tc, test_ntop);
	suite_add_tcase(s, tc);

	tc = tcase_create("mask");
	tcase_add_loop_test(tc, test_mask, 0, 33);
	tcase_add_test(tc, test_mask_values);
	tcase_add_loop_test(tc, test_contains, 0, NROWS(contains_cases));
	tcase_add_test(tc, test_contains_unmasked);
	suite_add_tcase(s, tc);

	tc = tcase_create("cmp");
	tcase_add_test(tc, test_cmp);
	tcase_add_test(tc, test_equal_after_mask);
	suite_add_tcase(s, tc);

	tc = tcase_create("any family");
	tcase_add_loop_test(tc, test_any_addr, 0, NROWS(any_addr_cases));
	tcase_add_loop_test(tc, test_any_prefix, 0, NROWS(any_pfx_cases));
	tcase_add_test(tc, test_any_contains_cmp);
	tcase_add_test(tc, test_any_mask_all_lengths);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(prefix_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
