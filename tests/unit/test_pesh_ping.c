/* cli/pesh_ping.c: ping and traceroute lines in pesh. One row per line:
 * the argv it must give (after argv[0]), or the column and a substring of
 * the message it must be refused with. Then '?' (ping_next), the command
 * word (ping_which, ping_cmd_partial). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/pesh_ping.h"

struct pcase {
	const char *line;
	const char *argv; /* arguments after the program, joined by ' '; NULL: refused */
	size_t col;	  /* refused: column of the caret */
	const char *err;  /* refused: substring of the message */
	const char *vrf;  /* accepted: the VRF ("" default) */
};

/* clang-format off */
#define OK(l, a, v) { l, a, 0, NULL, v }
#define ERR(l, c, e) { l, NULL, c, e, NULL }
/* clang-format on */

static const struct pcase cases[] = {
	OK("ping 10.1.1.2", "-n -4 -c 5 -- 10.1.1.2", ""),
	OK("ping vrf CUST-A 192.168.2.1 repeat 2", "-n -4 -c 2 -- 192.168.2.1", "CUST-A"),
	OK("pi v CUST-A 192.168.2.1 r 2", "-n -4 -c 2 -- 192.168.2.1", "CUST-A"),
	OK("do ping 10.0.0.1", "-n -4 -c 5 -- 10.0.0.1", ""),
	OK("  ping\t10.0.0.1  ", "-n -4 -c 5 -- 10.0.0.1", ""),
	OK("ping 10.0.0.1 size 1500 df-bit timeout 2 source eth3 repeat 3",
	   "-n -4 -c 3 -s 1472 -M do -W 2 -I eth3 -- 10.0.0.1", ""),
	OK("ping 10.0.0.1 source 10.255.0.1", "-n -4 -c 5 -I 10.255.0.1 -- 10.0.0.1", ""),
	OK("ping 10.0.0.1 size 36", "-n -4 -c 5 -s 8 -- 10.0.0.1", ""),
	OK("ping 10.0.0.1 repeat 2147483647", "-n -4 -c 2147483647 -- 10.0.0.1", ""),
	OK("ping 2001:db8::1", "-n -6 -c 5 -- 2001:db8::1", ""),
	OK("ping 2001:db8::1 size 48 source 2001:db8::2", "-n -6 -c 5 -s 0 -I 2001:db8::2 -- 2001:db8::1", ""),
	OK("ping fe80::1%eth1", "-n -6 -c 5 -- fe80::1%eth1", ""),
	OK("ping vrf A 2001:db8:1:1::2 df-bit", "-n -6 -c 5 -M do -- 2001:db8:1:1::2", "A"),
	OK("traceroute 10.255.0.3", "-n -4 -- 10.255.0.3", ""),
	OK("tr vrf CUST-B 2001:db8::1", "-n -6 -- 2001:db8::1", "CUST-B"),

	ERR("ping", 5, "Incomplete command"),
	ERR("ping vrf", 9, "Incomplete command"),
	ERR("ping vrf A", 11, "Incomplete command"),
	ERR("ping 10.0.0.1 repeat", 21, "Incomplete command"),
	ERR("ping 1.2.3", 5, "Invalid value \"1.2.3\" for A.B.C.D|X:X::X:X: not an IPv4 or IPv6"),
	ERR("ping www.example.com", 5, "names are not resolved"),
	ERR("ping vrf A/B 1.2.3.4", 9, "Invalid value \"A/B\" for NAME: not a VRF name"),
	ERR("ping 1.2.3.4 repeat 0", 20, "Invalid value \"0\" for repeat (1-2147483647): out of range"),
	ERR("ping 1.2.3.4 repeat 2147483648", 20, "out of range"),
	ERR("ping 1.2.3.4 repeat 99999999999999999999999", 20, "out of range"),
	ERR("ping 1.2.3.4 repeat -1", 20, "not a number"),
	ERR("ping 1.2.3.4 repeat 5x", 20, "not a number"),
	ERR("ping 1.2.3.4 size 35", 18, "Invalid value \"35\" for size (36-18024): out of range"),
	ERR("ping 1.2.3.4 size 18025", 18, "out of range"),
	ERR("ping ::1 size 47", 14, "Invalid value \"47\" for size (48-18024): out of range"),
	ERR("ping 1.2.3.4 timeout 0", 21, "Invalid value \"0\" for timeout (1-3600): out of range"),
	ERR("ping 1.2.3.4 timeout 3601", 21, "out of range"),
	ERR("ping 1.2.3.4 source 2001:db8::1", 20, "an IPv6 source for an IPv4 destination"),
	ERR("ping ::1 source 10.0.0.1", 16, "an IPv4 source for an IPv6 destination"),
	ERR("ping 1.2.3.4 source a/b", 20, "not an address or an interface name"),
	ERR("ping 1.2.3.4 source averyveryverylongname", 20, "not an address or an interface name"),
	ERR("ping 1.2.3.4 s 1", 13, "Ambiguous command: source or size"),
	ERR("ping 1.2.3.4 df-bit df-bit", 20, "df-bit given twice"),
	ERR("ping 1.2.3.4 repeat 1 r 2", 22, "repeat given twice"),
	ERR("ping 1.2.3.4 bogus", 13, "Unknown option \"bogus\""),
	ERR("ping 1.2.3.4 \x1b[2J", 13, "Unknown option \"?[2J\""),
	ERR("traceroute 1.2.3.4 repeat 2", 19, "traceroute takes only [vrf NAME] ADDR"),
	ERR("ping fe80::1%", 5, "not an IPv4 or IPv6 address"),
	ERR("ping fe80::1%a/b", 5, "not an IPv4 or IPv6 address"),
	ERR("show version", 0, "Unknown command"),
};

START_TEST(test_lines)
{
	const struct pcase *c = &cases[_i];
	struct ping_req r;
	struct ping_err e;
	char *argv[32], store[1024], joined[1024] = "";
	int n, k, rc = ping_parse(c->line, &r, &e);

	if (c->argv == NULL) {
		ck_assert_msg(rc == -1, "%s: accepted", c->line);
		ck_assert_msg(strstr(e.msg, c->err) != NULL, "%s: message \"%s\", want \"%s\"",
			      c->line, e.msg, c->err);
		ck_assert_msg(e.col == c->col, "%s: caret at %zu, want %zu", c->line, e.col, c->col);
		return;
	}
	ck_assert_msg(rc == 0, "%s: refused: %s (col %zu)", c->line, e.msg, e.col);
	ck_assert_str_eq(r.vrf, c->vrf);
	n = ping_argv(&r, "/usr/bin/ping", argv, 32, store, sizeof(store));
	ck_assert_int_gt(n, 1);
	ck_assert_str_eq(argv[0], "/usr/bin/ping");
	ck_assert_ptr_null(argv[n]);
	for (k = 1; k < n; k++) {
		if (k > 1)
			strcat(joined, " ");
		strcat(joined, argv[k]);
	}
	ck_assert_str_eq(joined, c->argv);
}
END_TEST

START_TEST(test_vrf_col)
{
	struct ping_req r;
	struct ping_err e;

	ck_assert_int_eq(ping_parse("ping vrf NOPE 1.2.3.4", &r, &e), 0);
	ck_assert_str_eq(r.vrf, "NOPE");
	ck_assert_uint_eq(r.vrf_col, 9);
	ck_assert_int_eq(r.tool, PING_PING);
	ck_assert_int_eq(r.af, AF_INET);
}
END_TEST

START_TEST(test_limits)
{
	char line[4096];
	struct ping_req r;
	struct ping_err e;
	char *argv[4], store[16];
	int i;

	/* too many words: refused at the first one over */
	strcpy(line, "ping 1.2.3.4");
	for (i = 0; i < PING_WORDS_MAX; i++)
		strcat(line, " df-bit");
	ck_assert_int_eq(ping_parse(line, &r, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "Too many words"));
	ck_assert_uint_eq(e.col, 12 + 7 * (PING_WORDS_MAX - 2) + 1);
	/* a word over the limit */
	strcpy(line, "ping ");
	memset(line + 5, '1', 300);
	line[305] = '\0';
	ck_assert_int_eq(ping_parse(line, &r, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "Word too long"));
	ck_assert_uint_eq(e.col, 5);
	/* an argv that does not fit is refused, not cut */
	ck_assert_int_eq(ping_parse("ping 1.2.3.4", &r, &e), 0);
	ck_assert_int_eq(ping_argv(&r, "ping", argv, 4, store, sizeof(store)), -1);
}
END_TEST

static void nexts(const char *line, const char *want, bool want_cr)
{
	struct ping_next next[PING_NEXT_MAX];
	struct ping_err e;
	char got[512] = "";
	bool cr;
	int n = ping_next(line, next, PING_NEXT_MAX, &cr, &e), i;

	ck_assert_msg(n >= 0, "%s: %s", line, e.msg);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(got, " ");
		strcat(got, next[i].text);
	}
	ck_assert_msg(strcmp(got, want) == 0, "%s: \"%s\", want \"%s\"", line, got, want);
	ck_assert_msg(cr == want_cr, "%s: <cr> %d", line, cr);
}

START_TEST(test_next)
{
	struct ping_next next[PING_NEXT_MAX];
	struct ping_err e;
	bool cr;

	nexts("ping ", "vrf A.B.C.D|X:X::X:X", false);
	nexts("ping v", "vrf A.B.C.D|X:X::X:X", false);
	nexts("ping vrf ", "NAME", false);
	nexts("ping vrf A ", "A.B.C.D|X:X::X:X", false);
	nexts("ping 1.2.3.4 ", "source repeat size df-bit timeout", true);
	nexts("ping 1.2.3.4 s", "source size", false);
	nexts("ping 1.2.3.4 repeat 2 df-bit ", "source size timeout", true);
	nexts("ping 1.2.3.4 repeat ", "(1-2147483647)", false);
	nexts("ping ::1 size ", "(48-18024)", false);
	nexts("ping ::1 source ", "X:X::X:X IFNAME", false);
	nexts("traceroute 1.2.3.4 ", "", true);
	nexts("do ping ", "vrf A.B.C.D|X:X::X:X", false);
	/* an earlier word already wrong: said where */
	ck_assert_int_eq(ping_next("ping 1.2.3.4 repeat 0 ", next, PING_NEXT_MAX, &cr, &e), -1);
	ck_assert_uint_eq(e.col, 20);
}
END_TEST

START_TEST(test_which)
{
	size_t s, e;
	char buf[PING_WORD_MAX];

	ck_assert_int_eq(ping_which("ping 1.2.3.4", &s, &e), PING_PING);
	ck_assert_uint_eq(s, 0);
	ck_assert_uint_eq(e, 4);
	ck_assert_int_eq(ping_which("  do  pi", &s, &e), PING_PING);
	ck_assert_uint_eq(s, 6);
	ck_assert_uint_eq(e, 8);
	ck_assert_int_eq(ping_which("t", NULL, NULL), PING_TRACEROUTE);
	ck_assert_int_eq(ping_which("show ip route", NULL, NULL), PING_NONE);
	ck_assert_int_eq(ping_which("pings", NULL, NULL), PING_NONE);
	ck_assert_int_eq(ping_which("", NULL, NULL), PING_NONE);
	ck_assert_int_eq(ping_which("do", NULL, NULL), PING_NONE);

	ck_assert(ping_cmd_partial("", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "");
	ck_assert(ping_cmd_partial("pi", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "pi");
	ck_assert(ping_cmd_partial("do ", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "");
	ck_assert(ping_cmd_partial("do", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "do");
	ck_assert(ping_cmd_partial("do tr", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "tr");
	ck_assert(!ping_cmd_partial("ping ", buf, sizeof(buf)));
	ck_assert(!ping_cmd_partial("show ip", buf, sizeof(buf)));
}
END_TEST

static Suite *ping_suite(void)
{
	Suite *s = suite_create("pesh_ping");
	TCase *tc = tcase_create("lines");

	tcase_add_loop_test(tc, test_lines, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_vrf_col);
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	tc = tcase_create("help");
	tcase_add_test(tc, test_next);
	tcase_add_test(tc, test_which);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ping_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
