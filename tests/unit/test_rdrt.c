/* lib/rdrt.c: route distinguishers and route-target / site-of-origin
 * extended communities. One row per input: the wire bytes it must give,
 * or a substring of the reason it must be refused with. */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rdrt.h"

struct rd_case {
	const char *in;
	bool ok;
	uint8_t b[8];    /* RD wire bytes when ok */
	const char *err; /* substring of the reason when not ok */
};

/* clang-format off */
#define OK(s, ...) { s, true, { __VA_ARGS__ }, NULL }
#define ERR(s, why) { s, false, { 0 }, why }
/* clang-format on */

static const struct rd_case rd_cases[] = {
	/* type 0: 2-octet AS, 4-octet number */
	OK("65000:1", 0, 0, 0xfd, 0xe8, 0, 0, 0, 1),
	OK("0:0", 0, 0, 0, 0, 0, 0, 0, 0),
	OK("1:4294967295", 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff),
	OK("65535:4294967295", 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
	OK("100:65536", 0, 0, 0, 100, 0, 1, 0, 0),
	/* type 2: 4-octet AS (> 65535), 2-octet number */
	OK("65536:1", 0, 2, 0, 1, 0, 0, 0, 1),
	OK("65536:0", 0, 2, 0, 1, 0, 0, 0, 0),
	OK("4200000000:7", 0, 2, 0xfa, 0x56, 0xea, 0x00, 0, 7),
	OK("4294967295:65535", 0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
	/* type 1: IPv4 address, 2-octet number */
	OK("10.0.0.1:5", 0, 1, 10, 0, 0, 1, 0, 5),
	OK("0.0.0.0:0", 0, 1, 0, 0, 0, 0, 0, 0),
	OK("255.255.255.255:65535", 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
	OK("192.0.2.1:300", 0, 1, 192, 0, 2, 1, 0x01, 0x2c),

	ERR("", "empty route distinguisher"),
	ERR("65000", "missing ':'"),
	ERR("10.0.0.1", "missing ':'"),
	ERR("65000:1:2", "too many ':'"),
	ERR("1.2.3.4:5:6", "too many ':'"),
	ERR("::", "too many ':'"),
	ERR(":1", "missing administrator"),
	ERR(":", "missing administrator"),
	ERR("65000:", "missing assigned number"),
	/* non-digits */
	ERR("abc:1", "administrator \"abc\" is neither a decimal AS number nor an IPv4 address"),
	ERR("65a00:1", "administrator \"65a00\" is neither"),
	ERR("0x10:1", "administrator \"0x10\" is neither"),
	ERR("65000:abc", "assigned number \"abc\" is not a decimal number"),
	ERR("65000:x1", "assigned number \"x1\" is not a decimal number"),
	/* signs */
	ERR("+65000:1", "sign '+' not allowed in administrator \"+65000\""),
	ERR("-1:1", "sign '-' not allowed in administrator"),
	ERR("+10.0.0.1:1", "sign '+' not allowed in administrator"),
	ERR("65000:+1", "sign '+' not allowed in assigned number \"+1\""),
	ERR("65000:-1", "sign '-' not allowed in assigned number"),
	/* whitespace, anywhere */
	ERR(" 65000:1", "whitespace not allowed in route distinguisher"),
	ERR("65000 :1", "whitespace"),
	ERR("65000: 1", "whitespace"),
	ERR("65000:1 ", "whitespace"),
	ERR("65000:\t1", "whitespace"),
	ERR("65000:1\n", "whitespace"),
	/* overflow of the AS and of the assigned number, limit named */
	ERR("4294967296:1", "AS number 4294967296 exceeds 4294967295"),
	ERR("99999999999999999999:1", "AS number 99999999999999999999 exceeds 4294967295"),
	ERR("65000:4294967296", "assigned number 4294967296 exceeds 4294967295"),
	ERR("65535:99999999999999999999", "assigned number 99999999999999999999 exceeds"),
	ERR("65536:65536", "assigned number 65536 exceeds 65535 for a 4-octet AS"),
	ERR("4200000000:70000", "assigned number 70000 exceeds 65535 for a 4-octet AS"),
	ERR("65536:4294967296", "assigned number 4294967296 exceeds 4294967295"),
	ERR("10.0.0.1:65536", "assigned number 65536 exceeds 65535 for an IPv4 address"),
	/* bad IPv4, asdot */
	ERR("10.0.0.256:1", "invalid IPv4 address \"10.0.0.256\""),
	ERR("300.1.1.1:1", "invalid IPv4 address \"300.1.1.1\""),
	ERR("1.2.3:5", "invalid IPv4 address \"1.2.3\""),
	ERR("1.2.3.4.5:1", "invalid IPv4 address \"1.2.3.4.5\""),
	ERR("1..2.3:1", "invalid IPv4 address"),
	ERR("1.2.3.4x:1", "invalid IPv4 address \"1.2.3.4x\""),
	ERR("010.0.0.1:1", "invalid IPv4 address \"010.0.0.1\""),
	ERR("1111111111111111.1:1", "invalid IPv4 address"),
	ERR("1.10:5", "invalid IPv4 address \"1.10\" (asdot AS numbers are not supported"),
	ERR("1.10:5", "write AS 1.10 as 65546)"),
	ERR("65535.65535:5", "write AS 65535.65535 as 4294967295)"),
	ERR("65536.1:5", "invalid IPv4 address \"65536.1\" (asdot AS numbers are not supported)"),
	ERR("01.1:5", "(asdot AS numbers are not supported)"),
	/* trailing garbage and leading zeros */
	ERR("65000:1x", "trailing garbage \"x\" after assigned number 1"),
	ERR("65000:12abc", "trailing garbage \"abc\" after assigned number 12"),
	ERR("65000:1.5", "trailing garbage \".5\""),
	ERR("10.0.0.1:5/24", "trailing garbage \"/24\""),
	ERR("065000:1", "leading zero in AS number \"065000\""),
	ERR("00:1", "leading zero in AS number"),
	ERR("65000:01", "leading zero in assigned number \"01\""),
	ERR("65000:00", "leading zero in assigned number"),
};

static void check_rd_row(const struct rd_case *c)
{
	struct rd rd, before;
	char err[128], buf[RD_STRLEN];
	int ret;

	memset(&rd, 0xee, sizeof(rd));
	before = rd;
	strcpy(err, "untouched");
	ret = rd_parse(c->in, &rd, err, sizeof(err));
	if (c->ok) {
		ck_assert_msg(ret == 0, "\"%s\": refused: %s", c->in, err);
		ck_assert_msg(memcmp(rd.b, c->b, 8) == 0, "\"%s\": wrong wire bytes", c->in);
		ck_assert_int_eq(rd_type(&rd), c->b[1]);
		/* canonical input prints back unchanged */
		ck_assert_str_eq(rd_format(&rd, buf, sizeof(buf)), c->in);
		ck_assert_str_eq(buf, c->in);
	} else {
		ck_assert_msg(ret == -1, "\"%s\": accepted", c->in);
		ck_assert_msg(strstr(err, c->err) != NULL, "\"%s\": reason \"%s\", want \"%s\"",
			      c->in, err, c->err);
		ck_assert_msg(memcmp(&rd, &before, sizeof(rd)) == 0, "\"%s\": rd written", c->in);
	}
}

START_TEST(test_rd_table)
{
	check_rd_row(&rd_cases[_i]);
}
END_TEST

/* The same rows as route targets and sites of origin: type octet 0x00,
 * 0x01, 0x02 (RD type), subtype 0x02 or 0x03, same 6 value bytes. */
START_TEST(test_rt_table)
{
	static const uint8_t subtypes[] = { ECOMM_SUB_RT, ECOMM_SUB_SOO };
	const struct rd_case *c = &rd_cases[_i];
	size_t k;

	for (k = 0; k < sizeof(subtypes); k++) {
		struct ecomm ec, before;
		char err[128], buf[RD_STRLEN];
		int ret;

		memset(&ec, 0xee, sizeof(ec));
		before = ec;
		strcpy(err, "untouched");
		ret = ecomm_parse(c->in, subtypes[k], &ec, err, sizeof(err));
		if (c->ok) {
			ck_assert_msg(ret == 0, "\"%s\": refused: %s", c->in, err);
			ck_assert_uint_eq(ec.b[0], c->b[1]);
			ck_assert_uint_eq(ec.b[1], subtypes[k]);
			ck_assert_msg(memcmp(ec.b + 2, c->b + 2, 6) == 0, "\"%s\": wrong value",
				      c->in);
			ck_assert_str_eq(ecomm_format(&ec, buf, sizeof(buf)), c->in);
		} else {
			const char *what = subtypes[k] == ECOMM_SUB_RT ? "route target" :
									 "site of origin";
			char want[128];

			/* the RD rows name the object; swap in the ecomm's name */
			if (strstr(c->err, "route distinguisher") != NULL)
				snprintf(want, sizeof(want), "%.*s%s",
					 (int)(strstr(c->err, "route distinguisher") - c->err),
					 c->err, what);
			else
				snprintf(want, sizeof(want), "%s", c->err);
			ck_assert_msg(ret == -1, "\"%s\": accepted", c->in);
			ck_assert_msg(strstr(err, want) != NULL,
				      "\"%s\": reason \"%s\", want \"%s\"", c->in, err, want);
			ck_assert_msg(memcmp(&ec, &before, sizeof(ec)) == 0, "\"%s\": written",
				      c->in);
		}
	}
}
END_TEST

START_TEST(test_rt_examples)
{
	static const struct {
		const char *in;
		uint8_t sub;
		uint8_t b[8];
	} rows[] = {
		{ "65000:1", ECOMM_SUB_RT, { 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 1 } },
		{ "10.0.0.1:5", ECOMM_SUB_RT, { 0x01, 0x02, 10, 0, 0, 1, 0, 5 } },
		{ "4200000000:7", ECOMM_SUB_RT, { 0x02, 0x02, 0xfa, 0x56, 0xea, 0x00, 0, 7 } },
		{ "65000:1", ECOMM_SUB_SOO, { 0x00, 0x03, 0xfd, 0xe8, 0, 0, 0, 1 } },
		{ "10.0.0.1:5", ECOMM_SUB_SOO, { 0x01, 0x03, 10, 0, 0, 1, 0, 5 } },
		{ "65536:1", ECOMM_SUB_SOO, { 0x02, 0x03, 0, 1, 0, 0, 0, 1 } },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ecomm ec;
		char err[128];

		ck_assert_int_eq(ecomm_parse(rows[i].in, rows[i].sub, &ec, err, sizeof(err)), 0);
		ck_assert_mem_eq(ec.b, rows[i].b, 8);
	}
}
END_TEST

START_TEST(test_ecomm_errors)
{
	struct ecomm ec;
	char err[128];

	ck_assert_int_eq(ecomm_parse("", ECOMM_SUB_RT, &ec, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "empty route target");
	ck_assert_int_eq(ecomm_parse(NULL, ECOMM_SUB_SOO, &ec, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "empty site of origin");
	ck_assert_int_eq(ecomm_parse("65000:1", 0x0b, &ec, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "unsupported extended community subtype 0x0b");
	ck_assert_int_eq(ecomm_parse("65000", ECOMM_SUB_RT, &ec, err, sizeof(err)), -1);
	ck_assert_str_eq(err,
			 "missing ':' in route target \"65000\" (expected ASN:NN or A.B.C.D:NN)");
}
END_TEST

START_TEST(test_err_buffer)
{
	struct rd rd;
	char err[8];

	/* no reason buffer at all */
	ck_assert_int_eq(rd_parse("65536:65536", &rd, NULL, 0), -1);
	ck_assert_int_eq(rd_parse("65536:65536", &rd, err, 0), -1);
	/* a short buffer is truncated, still terminated */
	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(rd_parse("65536:65536", &rd, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "assigne");
	ck_assert_int_eq(rd_parse(NULL, &rd, err, sizeof(err)), -1);
	/* success leaves err alone */
	strcpy(err, "same");
	ck_assert_int_eq(rd_parse("1:1", &rd, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "same");
}
END_TEST

/* Values that only come from the wire. */
START_TEST(test_format_unknown)
{
	struct rd rd = { { 0x00, 0x03, 1, 2, 3, 4, 5, 6 } };
	struct rd big = { { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	struct ecomm ec = { { 0x43, 0x0b, 0, 0, 0, 0, 0, 0x2a } };
	char buf[RD_STRLEN], tiny[6];

	ck_assert_int_eq(rd_type(&rd), 3);
	ck_assert_str_eq(rd_format(&rd, buf, sizeof(buf)), "type3:010203040506");
	ck_assert_int_eq(rd_type(&big), 65535);
	ck_assert_str_eq(rd_format(&big, buf, sizeof(buf)), "type65535:ffffffffffff");
	ck_assert_str_eq(ecomm_format(&ec, buf, sizeof(buf)), "0x430b00000000002a");
	/* RD_STRLEN holds the longest form; a short buffer truncates */
	ck_assert_int_eq(rd_parse("255.255.255.255:65535", &rd, NULL, 0), 0);
	ck_assert_str_eq(rd_format(&rd, buf, sizeof(buf)), "255.255.255.255:65535");
	ck_assert_str_eq(rd_format(&rd, tiny, sizeof(tiny)), "255.2");
}
END_TEST

START_TEST(test_cmp)
{
	/* ascending: by type, then administrator, then number */
	static const char *const order[] = {
		"0:0",
		"0:1",
		"1:0",
		"65000:1",
		"65000:2",
		"65000:10",
		"65535:4294967295",
		"0.0.0.0:0",
		"10.0.0.1:5",
		"10.0.0.2:1",
		"255.255.255.255:65535",
		"65536:0",
		"65536:1",
		"4200000000:7",
		"4294967295:65535",
	};
	enum { N = sizeof(order) / sizeof(order[0]) };
	struct rd rd[N];
	struct ecomm ec[N];
	size_t i, j;

	for (i = 0; i < N; i++) {
		ck_assert_int_eq(rd_parse(order[i], &rd[i], NULL, 0), 0);
		ck_assert_int_eq(ecomm_parse(order[i], ECOMM_SUB_RT, &ec[i], NULL, 0), 0);
	}
	for (i = 0; i < N; i++) {
		for (j = 0; j < N; j++) {
			int want = i < j ? -1 : i > j;

			ck_assert_msg(rd_cmp(&rd[i], &rd[j]) == want, "rd_cmp(%s, %s)", order[i],
				      order[j]);
			ck_assert_msg(ecomm_cmp(&ec[i], &ec[j]) == want, "ecomm_cmp(%s, %s)",
				      order[i], order[j]);
		}
	}
}
END_TEST

START_TEST(test_cmp_subtype)
{
	struct ecomm rt, soo;

	ck_assert_int_eq(ecomm_parse("65000:1", ECOMM_SUB_RT, &rt, NULL, 0), 0);
	ck_assert_int_eq(ecomm_parse("65000:1", ECOMM_SUB_SOO, &soo, NULL, 0), 0);
	ck_assert_int_ne(ecomm_cmp(&rt, &soo), 0);
	ck_assert_int_eq(ecomm_cmp(&rt, &rt), 0);
}
END_TEST

static Suite *rdrt_suite(void)
{
	Suite *s = suite_create("rdrt");
	TCase *tc;
	int n = (int)(sizeof(rd_cases) / sizeof(rd_cases[0]));

	tc = tcase_create("rd");
	tcase_add_loop_test(tc, test_rd_table, 0, n);
	tcase_add_test(tc, test_err_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("ecomm");
	tcase_add_loop_test(tc, test_rt_table, 0, n);
	tcase_add_test(tc, test_rt_examples);
	tcase_add_test(tc, test_ecomm_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("format_cmp");
	tcase_add_test(tc, test_format_unknown);
	tcase_add_test(tc, test_cmp);
	tcase_add_test(tc, test_cmp_subtype);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rdrt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
