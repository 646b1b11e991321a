/* Command engine, sessions and the control socket.
 *
 * A small command tree with recording handlers checks matching,
 * abbreviations, precedence, errors with their caret, nodes and walk-up,
 * built-ins, '?' and TAB, config-file errors and bounds; random input must
 * never crash. The control socket runs ped's real pe/ctl.c on an event loop
 * in a thread, driven by a client speaking cli/ctl_proto.h. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>
#include <json-c/json.h>

#include "cli/cmd.h"
#include "cli/cmd_priv.h"
#include "cli/ctl_proto.h"
#include "lib/log.h"
#include "pe/ctl.h"


/* ---- output capture and recording handlers ---- */

static char *out;
static size_t out_len, out_cap;

static void out_write(void *arg, const char *buf, size_t len)
{
	(void)arg;
	if (out_len + len + 1 > out_cap) {
		out_cap = (out_len + len + 1) * 2;
		out = xrealloc(out, out_cap);
	}
	memcpy(out + out_len, buf, len);
	out_len += len;
	out[out_len] = '\0';
}

static void out_reset(void)
{
	out_len = 0;
	if (out != NULL)
		out[0] = '\0';
}

static const char *OUT(void)
{
	return out != NULL ? out : "";
}

static const char *const rec_names[] = {
	"vrf", "all",   "prefix",    "json", "NAME", "IFNAME",  "A.B.C.D", "A.B.C.D/M",
	"rd",  "count", "bgp",       "ldp",  "upd",  "mode",    "LINE",    "n",
	"ip",  "show",  "(68-9000)", "WORD", "no",   "(1-100)",
};

static struct {
	char fn[32];
	int calls;
	bool no;
	char *val[ARRAY_SIZE(rec_names)];
} rec;

static void rec_reset(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rec_names); i++) {
		free(rec.val[i]);
		rec.val[i] = NULL;
	}
	rec.fn[0] = '\0';
	rec.calls = 0;
	rec.no = false;
}

static void record(const char *fn, const struct cmd_args *a)
{
	size_t i;

	rec_reset();
	snprintf(rec.fn, sizeof(rec.fn), "%s", fn);
	rec.calls = 1;
	rec.no = cmd_is_no(a);
	for (i = 0; i < ARRAY_SIZE(rec_names); i++) {
		const char *v = cmd_arg(a, rec_names[i]);

		ck_assert(cmd_has(a, rec_names[i]) == (v != NULL));
		rec.val[i] = v != NULL ? xstrdup(v) : NULL;
	}
}

static const char *ARG(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rec_names); i++)
		if (strcmp(rec_names[i], name) == 0)
			return rec.val[i];
	ck_abort_msg("not recorded: %s", name);
	return NULL;
}

#define HANDLER(name)                                                  \
	static int h_##name(struct cli *cli, const struct cmd_args *a) \
	{                                                              \
		(void)cli;                                             \
		record(#name, a);                                      \
		return CMD_SUCCESS;                                    \
	}

HANDLER(route)
HANDLER(bgp)
HANDLER(iface)
HANDLER(clear_counters)
HANDLER(clear_cache)
HANDLER(list)
HANDLER(listen)
HANDLER(ping)
HANDLER(debug)
HANDLER(testrd)
HANDLER(echo)
HANDLER(core_route)
HANDLER(no_vrf)
HANDLER(vrf_rd)
HANDLER(vrf_route)
HANDLER(label)
HANDLER(ifaddr)
HANDLER(descr)
HANDLER(mtu)

static int h_vrf(struct cli *cli, const struct cmd_args *a)
{
	record("vrf", a);
	cli_set_node(cli, NODE_VRF, cmd_arg(a, "NAME"));
	return CMD_SUCCESS;
}

static int h_ifcfg(struct cli *cli, const struct cmd_args *a)
{
	record("ifcfg", a);
	cli_set_node(cli, NODE_INTERFACE, cmd_arg(a, "IFNAME"));
	return CMD_SUCCESS;
}

static int h_exit_vrf(struct cli *cli, const struct cmd_args *a)
{
	record("exit_vrf", a);
	cli_exit_node(cli);
	return CMD_SUCCESS;
}

static int h_hostname(struct cli *cli, const struct cmd_args *a)
{
	record("hostname", a);
	if (strcmp(cmd_arg(a, "WORD"), "fail") == 0) {
		cli_out(cli, "%% refused\n");
		return CMD_ERROR;
	}
	if (strcmp(cmd_arg(a, "WORD"), "warn") == 0) {
		cli_out(cli, "%% already set\n");
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

static int h_bigdump(struct cli *cli, const struct cmd_args *a)
{
	unsigned long long i, n = cmd_arg_u64(a, "n");

	for (i = 0; i < n; i++)
		cli_out(cli, "route %llu 10.%llu.%llu.0/24 via 192.0.2.1\n", i, (i >> 8) & 255,
			i & 255);
	return CMD_SUCCESS;
}

/* streamdump N: bigdump's lines, written in steps of 100 (cli_defer) */
struct sdump {
	unsigned long long i, n;
};
static volatile unsigned long long sdump_lines; /* written by the last big one */
static volatile int sdump_freed;

static int sdump_step(struct cli *c, void *arg)
{
	struct sdump *d = arg;
	int k;

	for (k = 0; k < 100 && d->i < d->n; k++, d->i++)
		cli_out(c, "route %llu 10.%llu.%llu.0/24 via 192.0.2.1 %060d\n", d->i,
			(d->i >> 8) & 255, d->i & 255, 0);
	if (d->n >= 100000)
		__atomic_store_n(&sdump_lines, d->i, __ATOMIC_SEQ_CST);
	return d->i < d->n ? CMD_PENDING : CMD_SUCCESS;
}

static void sdump_free(void *arg)
{
	free(arg);
	__atomic_add_fetch(&sdump_freed, 1, __ATOMIC_SEQ_CST);
}

static int h_streamdump(struct cli *c, const struct cmd_args *a)
{
	struct sdump *d = xcalloc(1, sizeof(*d));

	d->n = cmd_arg_u64(a, "n");
	return cli_defer(c, sdump_step, sdump_free, d);
}

static int h_json(struct cli *cli, const struct cmd_args *a)
{
	struct json_object *o = json_object_new_object();

	(void)a;
	json_object_object_add(o, "prefix", json_object_new_string("10.0.0.0/8"));
	cli_json(cli, o);
	return CMD_SUCCESS;
}

static const struct cmd_def view_cmds[] = {
	{ "show ip route [vrf NAME$vrf|all$all] [A.B.C.D/M$prefix] [json]",
	  SHOW_STR IP_STR ROUTE_STR VRF_STR "VRF name\n"
					    "All VRFs\n"
					    "Prefix\n" JSON_STR,
	  h_route },
	{ "show ip bgp vrf <NAME$vrf|all$all> [json]",
	  SHOW_STR IP_STR "BGP information\n" VRF_STR "VRF name\n"
			  "All VRFs\n" JSON_STR,
	  h_bgp },
	{ "show interface [IFNAME] [json]", SHOW_STR "Interface status\nInterface name\n" JSON_STR,
	  h_iface },
	{ "clear counters", "Reset\nCounters\n", h_clear_counters },
	{ "clear cache", "Reset\nCache\n", h_clear_cache },
	{ "list", "List\n", h_list },
	{ "listen", "Listen\n", h_listen },
	{ "ping A.B.C.D [count (1-100)]", "Ping\nAddress\nCount\nNumber\n", h_ping },
	{ "debug {bgp$bgp|ldp$ldp|updates$upd}", "Debug\nBGP\nLDP\nUpdates\n", h_debug },
	{ "test rd ASN:NN_OR_IP-ADDRESS:NN$rd", "Test\nRD\nRoute distinguisher\n", h_testrd },
	{ "echo LINE", "Echo\nText\n", h_echo },
	{ "bigdump (1-10000000)$n", "Dump\nLines\n", h_bigdump },
	{ "jsondump", "Json\n", h_json },
	{ "streamdump (1-10000000)$n", "Dump in steps\nLines\n", h_streamdump },
};

static const struct cmd_def config_cmds[] = {
	{ "vrf NAME", VRF_STR "VRF name\n", h_vrf },
	{ "no vrf NAME", NO_STR VRF_STR "VRF name\n", h_no_vrf },
	{ "interface IFNAME", "Interface\nName\n", h_ifcfg },
	{ "ip route A.B.C.D/M A.B.C.D", IP_STR "Static route\nPrefix\nNext hop\n", h_core_route },
	{ "hostname WORD", "Host name\nName\n", h_hostname },
};

static const struct cmd_def vrf_cmds[] = {
	{ "rd ASN:NN_OR_IP-ADDRESS:NN", "RD\nValue\n", h_vrf_rd },
	{ "[no] ip route A.B.C.D/M A.B.C.D", NO_STR IP_STR "Route\nPrefix\nNext hop\n",
	  h_vrf_route },
	{ "exit-vrf", "Leave\n", h_exit_vrf },
	{ "label mode <per-vrf|per-nexthop|per-prefix>$mode",
	  "Label\nMode\nPer VRF\nPer next hop\nPer prefix\n", h_label },
};

static const struct cmd_def if_cmds[] = {
	{ "[no] ip address A.B.C.D/M", NO_STR IP_STR "Address\nPrefix\n", h_ifaddr },
	{ "description LINE", "Description\nText\n", h_descr },
	{ "mtu (68-9000)", "MTU\nBytes\n", h_mtu },
};

static struct cli *cli;

static void setup(void)
{
	log_init("test_cmd", true, false);
	cmd_init();
	cmd_node_install(NODE_VRF, "config-vrf", NODE_CONFIG);
	cmd_node_install(NODE_INTERFACE, "config-if", NODE_CONFIG);
	cmd_install_table(NODE_VIEW, view_cmds, ARRAY_SIZE(view_cmds));
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
	cmd_install_table(NODE_VRF, vrf_cmds, ARRAY_SIZE(vrf_cmds));
	cmd_install_table(NODE_INTERFACE, if_cmds, ARRAY_SIZE(if_cmds));
	cli = cli_new(out_write, NULL);
	out_reset();
	rec_reset();
}

static void teardown(void)
{
	cli_free(cli);
	cli = NULL;
	cmd_fini();
	rec_reset();
	free(out);
	out = NULL;
	out_len = out_cap = 0;
}

static int X(const char *line)
{
	out_reset();
	rec_reset();
	return cli_execute(cli, line);
}

/* The caret line of the last error: column of '^'. */
static int caret_col(void)
{
	const char *nl = strchr(OUT(), '\n'), *c;

	ck_assert_msg(nl != NULL, "no caret in: %s", OUT());
	c = strchr(nl + 1, '^');
	ck_assert_msg(c != NULL, "no caret in: %s", OUT());
	return (int)(c - (nl + 1));
}

/* ---- matching ---- */

START_TEST(t_match_basic)
{
	ck_assert_int_eq(X("show ip route"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "route");
	ck_assert_ptr_null(ARG("vrf"));
	ck_assert_ptr_null(ARG("json"));

	ck_assert_int_eq(X("sh ip ro vrf CUST-A json"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "route");
	ck_assert_str_eq(ARG("vrf"), "CUST-A");
	ck_assert_str_eq(ARG("json"), "json");
	ck_assert_ptr_null(ARG("prefix"));
	ck_assert_str_eq(ARG("show"), "show"); /* keywords: full text */

	ck_assert_int_eq(X("  show   ip route 10.0.0.0/8   json  "), CMD_SUCCESS);
	ck_assert_str_eq(ARG("prefix"), "10.0.0.0/8");

	ck_assert_int_eq(X("show ip route all 10.1.0.0/16"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("all"), "all");
	ck_assert_str_eq(ARG("prefix"), "10.1.0.0/16");

	/* "i" is a prefix of ip and interface; only interface completes */
	ck_assert_int_eq(X("sh i eth0"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "iface");
	ck_assert_str_eq(ARG("IFNAME"), "eth0");
	ck_assert_int_eq(X("sh int"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "iface");
	ck_assert_ptr_null(ARG("IFNAME"));

	/* blank lines and comments */
	ck_assert_int_eq(X(""), CMD_SUCCESS);
	ck_assert_int_eq(X("   \t "), CMD_SUCCESS);
	ck_assert_int_eq(X("! comment"), CMD_SUCCESS);
	ck_assert_int_eq(X("  # comment"), CMD_SUCCESS);
	ck_assert_int_eq(rec.calls, 0);
	ck_assert_str_eq(OUT(), "");
}
END_TEST

START_TEST(t_ambiguous)
{
	ck_assert_int_eq(X("clear c"), CMD_ERR_AMBIGUOUS);
	ck_assert_int_eq(rec.calls, 0);
	ck_assert_ptr_nonnull(strstr(OUT(), "% Ambiguous command"));
	ck_assert_ptr_nonnull(strstr(OUT(), "cache"));
	ck_assert_ptr_nonnull(strstr(OUT(), "counters"));
	ck_assert_int_eq(caret_col(), 6);
	ck_assert(strncmp(OUT(), "clear c\n      ^\n", 16) == 0);

	ck_assert_int_eq(X("clear co"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "clear_counters");
	ck_assert_int_eq(X("cl ca"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "clear_cache");

	/* an exact keyword wins over a longer one it prefixes */
	ck_assert_int_eq(X("list"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "list");
	ck_assert_int_eq(X("liste"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "listen");
	ck_assert_int_eq(X("lis"), CMD_ERR_AMBIGUOUS);
	ck_assert_int_eq(caret_col(), 0);
}
END_TEST

START_TEST(t_incomplete_unknown)
{
	ck_assert_int_eq(X("show ip"), CMD_ERR_INCOMPLETE);
	ck_assert_ptr_nonnull(strstr(OUT(), "% Incomplete command"));
	ck_assert_int_eq(caret_col(), 8);
	ck_assert_int_eq(X("show ip bgp vrf"), CMD_ERR_INCOMPLETE);
	ck_assert_int_eq(X("debug"), CMD_ERR_INCOMPLETE);

	ck_assert_int_eq(X("show ip foo"), CMD_ERR_UNKNOWN);
	ck_assert_str_eq(OUT(), "show ip foo\n        ^\n% Unknown command\n");
	ck_assert_int_eq(X("frobnicate"), CMD_ERR_UNKNOWN);
	ck_assert_int_eq(caret_col(), 0);
	ck_assert_int_eq(X("show ip route json extra"), CMD_ERR_UNKNOWN);
	ck_assert_int_eq(caret_col(), 19);
	/* tabs in the line keep the caret aligned */
	ck_assert_int_eq(X("show\tip\tfoo"), CMD_ERR_UNKNOWN);
	ck_assert_str_eq(OUT(), "show\tip\tfoo\n    \t  \t^\n% Unknown command\n");
	/* control characters are refused before matching, and not echoed */
	ck_assert_int_eq(X("show \x1b[2J"), CMD_ERR_INVALID);
	ck_assert_ptr_null(strchr(OUT(), '\x1b'));
	ck_assert_int_eq(rec.calls, 0);
}
END_TEST

/* Bytes that are not text: no control byte and no part of a UTF-8
 * character ever reaches a handler or an error message. */
static bool utf8_clean(const char *s)
{
	size_t n = strlen(s), i = 0, l;

	while (i < n) {
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') || s[i] == 0x7f)
			return false;
		if ((l = cmd_utf8_len(s + i, n - i)) == 0)
			return false;
		i += l;
	}
	return true;
}

START_TEST(t_bad_bytes)
{
	ck_assert_int_eq(X("show \x1b[2J"), CMD_ERR_INVALID);
	ck_assert_str_eq(OUT(), "show ?[2J\n     ^\n% Invalid character 0x1b at byte 6\n");
	/* half a character at the end, a stray continuation byte, an overlong
	 * '/', a UTF-16 surrogate, a code point past U+10FFFF */
	ck_assert_int_eq(X("show ip route vrf A\xc3"), CMD_ERR_INVALID);
	ck_assert_str_eq(OUT(), "show ip route vrf A?\n                   ^\n"
				"% Invalid UTF-8 at byte 20\n");
	ck_assert_int_eq(X("show ip route vrf \x80"), CMD_ERR_INVALID);
	ck_assert_int_eq(X("show ip route vrf \xc0\xaf"), CMD_ERR_INVALID);
	ck_assert_int_eq(X("show ip route vrf \xed\xa0\x80"), CMD_ERR_INVALID);
	ck_assert_int_eq(X("show ip route vrf \xf4\x90\x80\x80"), CMD_ERR_INVALID);
	ck_assert(utf8_clean(OUT()));
	ck_assert_int_eq(rec.calls, 0);
	/* whole characters are text: accepted, and the caret counts characters */
	ck_assert_int_eq(X("show ip route vrf Z\xc3\xbcrich"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("vrf"), "Z\xc3\xbcrich");
	ck_assert_int_eq(X("show ip route vrf Z\xc3\xbcrich json junk"), CMD_ERR_UNKNOWN);
	ck_assert_int_eq(caret_col(), 30);
	/* in a config file: file and line, no caret */
	X("configure terminal");
	cli_set_source(cli, "pe1.conf", 7);
	ck_assert_int_eq(X("hostname a\x07" "b"), CMD_ERR_INVALID);
	ck_assert_str_eq(OUT(), "pe1.conf:7: % Invalid character 0x07 at byte 11\n");
	cli_set_source(cli, NULL, 0);
}
END_TEST

START_TEST(t_invalid)
{
	ck_assert_int_eq(X("show ip route 300.1.1.1/24"), CMD_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(OUT(), "% Invalid value \"300.1.1.1/24\" for A.B.C.D/M\n"));
	ck_assert_int_eq(caret_col(), 14);
	ck_assert_int_eq(X("show ip route vrf X 1.2.3.4/33"), CMD_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(OUT(), "\"1.2.3.4/33\" for A.B.C.D/M"));
	ck_assert_int_eq(caret_col(), 20);
	ck_assert_int_eq(X("show ip route 1.2.3.4"), CMD_ERR_INVALID);

	ck_assert_int_eq(X("ping 1.2.3.256"), CMD_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(OUT(), "% Invalid value \"1.2.3.256\" for A.B.C.D\n"));
	ck_assert_int_eq(caret_col(), 5);
	ck_assert_int_eq(X("ping 1.2.3.4 count 101"), CMD_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(OUT(), "% Invalid value \"101\" for (1-100)\n"));
	ck_assert_int_eq(caret_col(), 19);
	ck_assert_int_eq(X("ping 1.2.3.4 count 0"), CMD_ERR_INVALID);
	ck_assert_int_eq(X("ping 1.2.3.4 count 99999999999999999999999"), CMD_ERR_INVALID);
	ck_assert_int_eq(X("ping 1.2.3.4 c 100"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("(1-100)"), "100");
	ck_assert_str_eq(ARG("count"), "count");

	ck_assert_int_eq(X("test rd 65000:1"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("rd"), "65000:1");
	ck_assert_int_eq(X("test rd 192.0.2.1:7"), CMD_SUCCESS);
	ck_assert_int_eq(X("test rd 70000:70000"), CMD_ERR_INVALID);
	ck_assert_ptr_nonnull(
		strstr(OUT(), "% Invalid value \"70000:70000\" for ASN:NN_OR_IP-ADDRESS:NN: "));
	ck_assert_int_eq(caret_col(), 8);
	/* the reason from rd_parse follows the colon */
	ck_assert(strlen(strstr(OUT(), "NN: ")) > 6);
	ck_assert_int_eq(X("test rd 65000"), CMD_ERR_INVALID);
	ck_assert_int_eq(X("test rd foo"), CMD_ERR_UNKNOWN);
	ck_assert_int_eq(rec.calls, 0);
}
END_TEST

START_TEST(t_groups)
{
	ck_assert_int_eq(X("debug ldp bgp"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("ldp"), "ldp");
	ck_assert_str_eq(ARG("bgp"), "bgp");
	ck_assert_ptr_null(ARG("upd"));
	ck_assert_int_eq(X("debug u b l"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("upd"), "updates");
	ck_assert_int_eq(X("debug bgp bgp"), CMD_ERR_UNKNOWN);
	ck_assert_int_eq(caret_col(), 10);
	ck_assert_int_eq(X("debug bgp ldp updates ldp"), CMD_ERR_UNKNOWN);

	ck_assert_int_eq(X("configure terminal"), CMD_SUCCESS);
	ck_assert_int_eq(X("vrf A"), CMD_SUCCESS);
	ck_assert_int_eq(X("label mode per-n"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "label");
	ck_assert_str_eq(ARG("mode"), "per-nexthop");
	ck_assert_int_eq(X("label mode per"), CMD_ERR_AMBIGUOUS);
	ck_assert_int_eq(X("label mode"), CMD_ERR_INCOMPLETE);
}
END_TEST

START_TEST(t_keyword_vs_variable)
{
	ck_assert_int_eq(X("show ip bgp vrf all"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("all"), "all");
	ck_assert_ptr_null(ARG("vrf"));
	ck_assert_int_eq(X("show ip bgp vrf al json"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("all"), "all");
	ck_assert_int_eq(X("show ip bgp vrf CUST json"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("vrf"), "CUST");
	ck_assert_ptr_null(ARG("all"));
	ck_assert_str_eq(ARG("json"), "json");
	/* a VRF named like a keyword prefix only as the last resort */
	ck_assert_int_eq(X("show ip bgp vrf jso"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("vrf"), "jso");
	/* $name beats the default name of the keyword "vrf" */
	ck_assert_int_eq(X("show ip route vrf vrf"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("vrf"), "vrf");
	ck_assert_int_eq(X("show ip route vrf RED"), CMD_SUCCESS);
	ck_assert_str_eq(ARG("vrf"), "RED");
}
END_TEST

START_TEST(t_line_and_no)
{
	ck_assert_int_eq(X("echo hello   big world  "), CMD_SUCCESS);
	ck_assert_str_eq(ARG("LINE"), "hello   big world");
	ck_assert_int_eq(X("echo"), CMD_ERR_INCOMPLETE);

	X("configure terminal");
	ck_assert_int_eq(X("no vrf A"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "no_vrf");
	ck_assert(rec.no);
	ck_assert_int_eq(X("vrf A"), CMD_SUCCESS);
	ck_assert(!rec.no);
	ck_assert_int_eq(X("no ip route 10.0.0.0/8 192.0.2.1"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "vrf_route");
	ck_assert(rec.no);
	ck_assert_str_eq(ARG("no"), "no");
	ck_assert_int_eq(X("ip route 10.0.0.0/8 192.0.2.1"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "vrf_route");
	ck_assert(!rec.no);
	ck_assert_ptr_null(ARG("no"));

	ck_assert_int_eq(X("interface eth0"), CMD_SUCCESS);
	ck_assert_int_eq(X("description  uplink to   P1 "), CMD_SUCCESS);
	ck_assert_str_eq(ARG("LINE"), "uplink to   P1");
	ck_assert_int_eq(X("no ip add 10.0.0.1/24"), CMD_SUCCESS);
	ck_assert(rec.no);
	ck_assert_str_eq(ARG("A.B.C.D/M"), "10.0.0.1/24");
	ck_assert_int_eq(X("mtu 9000"), CMD_SUCCESS);
	ck_assert_int_eq(X("mtu 9001"), CMD_ERR_INVALID);
}
END_TEST

START_TEST(t_nodes)
{
	char buf[64];

	ck_assert_str_eq(cli_prompt(cli, "pe1", buf, sizeof(buf)), "pe1# ");
	ck_assert_int_eq(X("vrf A"), CMD_ERR_UNKNOWN); /* config commands not in VIEW */
	ck_assert_int_eq(X("conf t"), CMD_SUCCESS);
	ck_assert_int_eq(cli_node(cli), NODE_CONFIG);
	ck_assert_str_eq(cli_prompt(cli, "pe1", buf, sizeof(buf)), "pe1(config)# ");
	/* VIEW commands need `do` */
	ck_assert_int_eq(X("show ip route"), CMD_ERR_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(OUT(), "% This is an exec-mode command: use \"do show\"\n"));
	ck_assert_int_eq(X("vrf"), CMD_ERR_INCOMPLETE);
	ck_assert_ptr_null(strstr(OUT(), "exec-mode"));
	ck_assert_int_eq(X("vrf A"), CMD_SUCCESS);
	ck_assert_int_eq(cli_node(cli), NODE_VRF);
	ck_assert_str_eq(cli_ctx(cli), "A");
	ck_assert_str_eq(cli_prompt(cli, "pe1", buf, sizeof(buf)), "pe1(config-vrf)# ");

	/* the VRF's own command wins over CONFIG's */
	ck_assert_int_eq(X("ip route 10.0.0.0/8 192.0.2.1"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "vrf_route");
	ck_assert_int_eq(cli_node(cli), NODE_VRF);

	/* walk-up: interface is a CONFIG command */
	ck_assert_int_eq(X("interface eth0"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "ifcfg");
	ck_assert_int_eq(cli_node(cli), NODE_INTERFACE);
	ck_assert_str_eq(cli_ctx(cli), "eth0");
	ck_assert_ptr_null(cli_node_ctx(cli, NODE_VRF));
	ck_assert_int_eq(X("vrf B"), CMD_SUCCESS);
	ck_assert_int_eq(cli_node(cli), NODE_VRF);
	ck_assert_str_eq(cli_ctx(cli), "B");

	/* walk-up to a command that refuses: stay where we were */
	ck_assert_int_eq(X("hostname fail"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% refused\n");
	ck_assert_int_eq(cli_node(cli), NODE_VRF);
	ck_assert_str_eq(cli_ctx(cli), "B");
	ck_assert_int_eq(X("hostname warn"), CMD_WARNING);
	ck_assert_int_eq(cli_node(cli), NODE_CONFIG);

	/* unknown everywhere: error reported, node unchanged */
	X("vrf C");
	ck_assert_int_eq(X("frobnicate now"), CMD_ERR_UNKNOWN);
	ck_assert_int_eq(cli_node(cli), NODE_VRF);
	/* the furthest error of the chain: incomplete in CONFIG */
	ck_assert_int_eq(X("interface"), CMD_ERR_INCOMPLETE);
	ck_assert_int_eq(cli_node(cli), NODE_VRF);
	/* invalid in the VRF node: reported from there */
	ck_assert_int_eq(X("ip route 300.0.0.0/8 1.1.1.1"), CMD_ERR_INVALID);
	ck_assert_int_eq(cli_node(cli), NODE_VRF);
	ck_assert_str_eq(cli_ctx(cli), "C");

	ck_assert_int_eq(X("exit-vrf"), CMD_SUCCESS);
	ck_assert_int_eq(cli_node(cli), NODE_CONFIG);
}
END_TEST

START_TEST(t_builtins)
{
	X("configure");
	ck_assert_int_eq(cli_node(cli), NODE_CONFIG);
	X("interface eth1");
	ck_assert_int_eq(X("exit"), CMD_SUCCESS);
	ck_assert_int_eq(cli_node(cli), NODE_CONFIG);
	ck_assert_ptr_null(cli_ctx(cli));
	ck_assert_int_eq(X("exit"), CMD_SUCCESS);
	ck_assert_int_eq(cli_node(cli), NODE_VIEW);
	ck_assert(!cli_closing(cli));

	X("conf t");
	X("vrf A");
	ck_assert_int_eq(X("end"), CMD_SUCCESS);
	ck_assert_int_eq(cli_node(cli), NODE_VIEW);
	X("conf t");
	X("vrf A");
	ck_assert_int_eq(X("quit"), CMD_SUCCESS);
	ck_assert_int_eq(cli_node(cli), NODE_CONFIG);

	/* do: a VIEW command from config mode, the mode stays */
	X("vrf A");
	ck_assert_int_eq(X("do sh ip ro vrf A"), CMD_SUCCESS);
	ck_assert_str_eq(rec.fn, "route");
	ck_assert_str_eq(ARG("vrf"), "A");
	ck_assert_int_eq(cli_node(cli), NODE_VRF);
	ck_assert_str_eq(cli_ctx(cli), "A");
	ck_assert_int_eq(X("do show ip foo"), CMD_ERR_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(OUT(), "% Unknown command"));
	ck_assert_int_eq(X("do"), CMD_ERR_INCOMPLETE);
	ck_assert_int_eq(cli_node(cli), NODE_VRF);

	X("end");
	ck_assert_int_eq(X("quit"), CMD_SUCCESS);
	ck_assert(cli_closing(cli));
}
END_TEST

START_TEST(t_json)
{
	ck_assert_int_eq(X("jsondump"), CMD_SUCCESS);
	ck_assert_str_eq(OUT(), "{\n  \"prefix\":\"10.0.0.0/8\"\n}\n");
}
END_TEST

/* ---- '?' and TAB ---- */

static const char *D(const char *line)
{
	out_reset();
	cli_describe(cli, line);
	return OUT();
}

static char cands[1024];

static void cand_cb(void *arg, const char *c)
{
	(void)arg;
	strcat(cands, c);
	strcat(cands, " ");
}

static const char *C(const char *line)
{
	cands[0] = '\0';
	cli_complete(cli, line, cand_cb, NULL);
	return cands;
}

START_TEST(t_describe)
{
	const char *route = "  A.B.C.D/M  Prefix\n"
			    "  all        All VRFs\n"
			    "  json       JavaScript Object Notation\n"
			    "  vrf        Specify the VRF\n"
			    "  <cr>\n";

	ck_assert_str_eq(D("show ip route "), route);
	ck_assert_str_eq(D("sh ip ro "), route);
	ck_assert_str_eq(D("show i"), "  interface  Interface status\n"
				      "  ip         IP information\n");
	ck_assert_str_eq(D("show ip route vrf "), "  NAME  VRF name\n");
	ck_assert_str_eq(D("show ip route vrf X "), "  A.B.C.D/M  Prefix\n"
						    "  json       JavaScript Object Notation\n"
						    "  <cr>\n");
	/* "all" is the keyword here, so NAME's continuations are not offered twice */
	ck_assert_str_eq(D("show ip bgp vrf all "), "  json  JavaScript Object Notation\n"
						    "  <cr>\n");
	ck_assert_str_eq(D("show ip bgp vrf a"), "  NAME  VRF name\n"
						 "  all   All VRFs\n");
	ck_assert_str_eq(D("configure "), "  terminal  Configure from this terminal\n"
					  "  <cr>\n");
	ck_assert_str_eq(D("show foo "), "% There is no matched command.\n");
	ck_assert_str_eq(D("show ip route xyz"), "% There is no matched command.\n");
	ck_assert_ptr_nonnull(strstr(D(""), "  show"));
	ck_assert_ptr_nonnull(strstr(D(""), "  configure"));
	ck_assert_str_eq(D("echo "), "  LINE  Text\n");
	ck_assert_str_eq(D("echo some text "), "  LINE  Text\n"
					       "  <cr>\n");
	ck_assert_str_eq(D("echo some te"), "  LINE  Text\n");
	ck_assert_str_eq(D("debug bgp "), "  ldp      LDP\n"
					  "  updates  Updates\n"
					  "  <cr>\n");

	X("configure terminal");
	X("vrf A");
	ck_assert_ptr_nonnull(strstr(D(""), "  exit-vrf"));
	ck_assert_ptr_nonnull(strstr(D(""), "  do "));
	ck_assert_ptr_nonnull(strstr(D(""), "  end "));
	ck_assert_str_eq(D("do show ip route "), route);
	ck_assert_ptr_nonnull(strstr(D("do "), "  show"));
	ck_assert_str_eq(D("label mode per-"), "  per-nexthop  Per next hop\n"
					       "  per-prefix   Per prefix\n"
					       "  per-vrf      Per VRF\n");
}
END_TEST

START_TEST(t_complete)
{
	ck_assert_str_eq(C("sh"), "show ");
	ck_assert_str_eq(C("show i"), "interface ip ");
	ck_assert_str_eq(C("show ip route "), "all json vrf ");
	ck_assert_str_eq(C("sh ip ro v"), "vrf ");
	ck_assert_str_eq(C("sh ip ro vrf "), "");
	ck_assert_str_eq(C("sh ip ro vrf X j"), "json ");
	ck_assert_str_eq(C("show foo "), "");
	ck_assert_str_eq(C("cl c"), "cache counters ");
	ck_assert_str_eq(C("lis"), "list listen ");
	ck_assert_str_eq(C("debug ldp "), "bgp updates ");
	X("conf t");
	ck_assert_str_eq(C("in"), "interface ");
	ck_assert_str_eq(C("do sh"), "show ");
	ck_assert_str_eq(C("do show ip r"), "route ");
	ck_assert_str_eq(C("e"), "end exit ");
}
END_TEST

/* ---- config files and bounds ---- */

START_TEST(t_config_file)
{
	X("configure terminal");
	cli_set_source(cli, "pe1.conf", 12);
	ck_assert_int_eq(X("ip route 300.0.0.0/8 192.0.2.1"), CMD_ERR_INVALID);
	ck_assert_str_eq(OUT(),
			 "pe1.conf:12: % Invalid value \"300.0.0.0/8\" for A.B.C.D/M (word 3)\n");
	cli_set_source(cli, "pe1.conf", 13);
	ck_assert_int_eq(X("frobnicate"), CMD_ERR_UNKNOWN);
	ck_assert_str_eq(OUT(), "pe1.conf:13: % Unknown command (word 1)\n");
	cli_set_source(cli, "pe1.conf", 14);
	ck_assert_int_eq(X("vrf"), CMD_ERR_INCOMPLETE);
	ck_assert_str_eq(OUT(), "pe1.conf:14: % Incomplete command (word 2)\n");
	X("vrf A");
	cli_set_source(cli, "pe1.conf", 15);
	ck_assert_int_eq(X("rd 65000:1 junk"), CMD_ERR_UNKNOWN);
	ck_assert_str_eq(OUT(), "pe1.conf:15: % Unknown command (word 3)\n");
	cli_set_source(cli, "pe1.conf", 16);
	ck_assert_int_eq(X("label mode per"), CMD_ERR_AMBIGUOUS);
	ck_assert_str_eq(OUT(), "pe1.conf:16: % Ambiguous command: per-vrf, per-nexthop, "
				"per-prefix (word 3)\n");
	cli_set_source(cli, "pe1.conf", 17);
	ck_assert_int_eq(X("rd 70000:70000"), CMD_ERR_INVALID);
	ck_assert(strncmp(OUT(),
			  "pe1.conf:17: % Invalid value \"70000:70000\" for "
			  "ASN:NN_OR_IP-ADDRESS:NN: ",
			  71) == 0);
	ck_assert_ptr_nonnull(strstr(OUT(), " (word 2)\n"));
	/* a config file never leaves config mode */
	ck_assert_int_eq(X("end"), CMD_SUCCESS);
	ck_assert_int_eq(cli_node(cli), NODE_CONFIG);
	ck_assert_int_eq(X("exit"), CMD_SUCCESS);
	ck_assert_int_eq(cli_node(cli), NODE_CONFIG);
	cli_set_source(cli, NULL, 0);
	ck_assert_int_eq(X("frobnicate"), CMD_ERR_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(OUT(), "^\n% Unknown command\n"));
}
END_TEST

START_TEST(t_bounds)
{
	char *line = xmalloc(20000);
	size_t i;

	memset(line, 'a', 5000);
	line[5000] = '\0';
	ck_assert_int_eq(X(line), CMD_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(OUT(), "% Line too long"));
	line[4096] = '\0';
	ck_assert_int_eq(X(line), CMD_ERR_UNKNOWN);
	/* "echo" + 300 words: too many */
	strcpy(line, "echo");
	for (i = 0; i < 300; i++)
		strcat(line, " w");
	ck_assert_int_eq(X(line), CMD_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(OUT(), "% Too many words"));
	line[4 + 2 * 255] = '\0'; /* 256 words */
	ck_assert_int_eq(X(line), CMD_SUCCESS);
	D(line);
	C(line);
	free(line);
}
END_TEST

static int h_dummy(struct cli *c, const struct cmd_args *a)
{
	(void)c;
	(void)a;
	return CMD_SUCCESS;
}

START_TEST(t_bad_syntax)
{
	static const char *const bad[] = {
		"show [unclosed", "foo (5-1)", "$x",      "a | b", "a ]",
		"<a|b",           "x$",        "x$a$b",   "",      "   ",
		"[a]$",           "a (1-",     "a (x-9)", "{}$$",  "a\x01b",
	};
	static const struct cmd_def good = { "weird [{a|b}] <c|[d]>$m {e|f}$n [g [h [i]]]", "",
					     h_dummy };
	size_t i;

	log_set_file("/dev/null");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct cmd_def d = { bad[i], "", h_dummy };

		cmd_install(NODE_VIEW, &d);
	}
	cmd_install(NODE_VIEW, &good);
	ck_assert_int_eq(X("weird c e"), CMD_SUCCESS);
	ck_assert_int_eq(X("weird a b d f e g h i"), CMD_SUCCESS);
	ck_assert_int_eq(X("weird f"), CMD_SUCCESS);
	ck_assert_int_eq(X("weird"), CMD_ERR_INCOMPLETE);
	ck_assert_int_eq(X("weird a a c e"), CMD_ERR_UNKNOWN);
	ck_assert_int_eq(X("weird i"), CMD_ERR_UNKNOWN);
	/* the unclosed group was not installed */
	ck_assert_int_eq(X("show [unclosed"), CMD_ERR_UNKNOWN);
}
END_TEST

static unsigned long rnd_state = 12345;

static unsigned rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(rnd_state >> 33);
}

START_TEST(t_fuzz)
{
	static const char *const vocab[] = {
		"show",
		"sh",
		"ip",
		"i",
		"route",
		"ro",
		"vrf",
		"all",
		"json",
		"10.0.0.0/8",
		"300.1.1.1/24",
		"1.2.3.4",
		"65000:1",
		"70000:70000",
		"(",
		")",
		"[",
		"|",
		"?",
		"debug",
		"bgp",
		"ldp",
		"configure",
		"terminal",
		"conf",
		"t",
		"interface",
		"eth0",
		"exit",
		"end",
		"do",
		"no",
		"rd",
		"label",
		"mode",
		"per",
		"echo",
		"mtu",
		"9000",
		"99999999999999999999999",
		"",
		" ",
		"\t",
		"!",
		"#",
		"ping",
		"count",
		"1",
	};
	static const char *const syn_alpha[] = {
		"[",        "]", "<", ">",    "{",       "}",     "|",    "$n",
		" ",        "a", "b", "WORD", "A.B.C.D", "(1-5)", "LINE", "ASN:NN_OR_IP-ADDRESS:NN",
		"A.B.C.D/M"
	};
	char line[6000], syn[200];
	size_t i, k, n, len;

	log_set_file("/dev/null");
	/* random syntax strings: installed or refused, never a crash */
	for (i = 0; i < 300; i++) {
		struct cmd_def d = { syn, "h\nh\n", h_dummy };

		syn[0] = '\0';
		n = rnd() % 12;
		for (k = 0; k < n; k++) {
			strcat(syn, syn_alpha[rnd() % ARRAY_SIZE(syn_alpha)]);
			if (rnd() % 2)
				strcat(syn, " ");
		}
		cmd_install((enum cli_node)(rnd() % 4), &d);
	}
	for (i = 0; i < 20000; i++) {
		len = 0;
		if (rnd() % 3 == 0) {
			/* random bytes */
			n = rnd() % 64;
			if (rnd() % 50 == 0)
				n = 4090 + rnd() % 20;
			for (k = 0; k < n; k++)
				line[len++] = (char)(1 + rnd() % 255);
		} else {
			n = rnd() % 10;
			for (k = 0; k < n; k++) {
				const char *v = vocab[rnd() % ARRAY_SIZE(vocab)];

				memcpy(line + len, v, strlen(v));
				len += strlen(v);
				if (rnd() % 4)
					line[len++] = ' ';
			}
		}
		line[len] = '\0';
		switch (rnd() % 4) {
		case 0:
			D(line);
			break;
		case 1:
			C(line);
			break;
		default:
			X(line);
			break;
		}
		if (cli_closing(cli) || rnd() % 200 == 0) {
			cli_free(cli);
			cli = cli_new(out_write, NULL);
		}
	}
}
END_TEST

/* ---- control socket ---- */

struct loop {
	struct event_base *base;
	struct event *stop_ev;
	int pipe[2];
	pthread_t thr;
};

static void stop_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

static void *loop_run(void *arg)
{
	struct loop *l = arg;

	event_base_dispatch(l->base);
	return NULL;
}

static void loop_start(struct loop *l)
{
	ck_assert_int_eq(pipe(l->pipe), 0);
	l->stop_ev = event_new(l->base, l->pipe[0], EV_READ, stop_cb, l->base);
	event_add(l->stop_ev, NULL);
	ck_assert_int_eq(pthread_create(&l->thr, NULL, loop_run, l), 0);
}

static void loop_stop(struct loop *l)
{
	ck_assert_int_eq(write(l->pipe[1], "x", 1), 1);
	pthread_join(l->thr, NULL);
	event_free(l->stop_ev);
	close(l->pipe[0]);
	close(l->pipe[1]);
}

static int cl_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 10 };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_uint_lt(strlen(path), sizeof(sun.sun_path));
	memcpy(sun.sun_path, path, strlen(path) + 1);
	ck_assert_msg(connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0, "connect %s: %s", path, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static int read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (char *)buf + got, n - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static void cl_send(int fd, uint8_t type, const char *s)
{
	uint8_t h[CTL_HDR_LEN];

	ctl_hdr_put(h, (uint32_t)strlen(s), type);
	ck_assert_int_eq(write(fd, h, sizeof(h)), sizeof(h));
	if (*s)
		ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

struct reply {
	int status, flags;
	char prompt[256];
	size_t nframes, max_frame;
};

/* Reads one reply; output goes to the capture buffer. -1 on EOF. */
static int cl_reply(int fd, struct reply *r)
{
	uint8_t h[CTL_HDR_LEN];
	static char buf[CTL_MAX_REPLY];
	uint32_t len;

	memset(r, 0, sizeof(*r));
	out_reset();
	for (;;) {
		if (read_full(fd, h, sizeof(h)) < 0)
			return -1;
		len = ctl_hdr_len(h);
		ck_assert_uint_le(len, CTL_MAX_REPLY);
		ck_assert_int_eq(read_full(fd, buf, len), 0);
		if (h[4] == CTL_OUTPUT) {
			ck_assert_uint_le(len, CTL_CHUNK);
			r->nframes++;
			if (len > r->max_frame)
				r->max_frame = len;
			out_write(NULL, buf, len);
			continue;
		}
		ck_assert_int_eq(h[4], CTL_DONE);
		ck_assert_uint_ge(len, 2);
		r->status = (uint8_t)buf[0];
		r->flags = (uint8_t)buf[1];
		snprintf(r->prompt, sizeof(r->prompt), "%.*s", (int)(len - 2), buf + 2);
		return 0;
	}
}

static int cl_exec(int fd, const char *line, struct reply *r)
{
	cl_send(fd, CTL_EXEC, line);
	ck_assert_int_eq(cl_reply(fd, r), 0);
	return r->status;
}

static char sockdir[64], sockpath[128];
static int sess_inits;

static void sess_init(struct cli *c)
{
	(void)c;
	sess_inits++;
}

static void ctl_setup(void)
{
	setup();
	snprintf(sockdir, sizeof(sockdir), "/tmp/test_cmd.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(sockdir));
	snprintf(sockpath, sizeof(sockpath), "%s/a/b/ped.sock", sockdir);
}

static void ctl_teardown(void)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", sockdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", sockdir);
	teardown();
}

START_TEST(t_ctl_session)
{
	struct loop l = { .base = event_base_new() };
	struct ctl *c;
	struct reply r;
	struct stat st;
	size_t i, expect;
	int fd, fd2;

	static char host[32] = "pe1";

	ctl_set_init(sess_init);
	c = ctl_start(l.base, sockpath, host);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(stat(sockpath, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	loop_start(&l);

	fd = cl_connect(sockpath);
	cl_send(fd, CTL_PROMPT, "");
	ck_assert_int_eq(cl_reply(fd, &r), 0);
	ck_assert_str_eq(r.prompt, "pe1# ");
	ck_assert_int_eq(r.status, CMD_SUCCESS);

	ck_assert_int_eq(cl_exec(fd, "jsondump", &r), CMD_SUCCESS);
	ck_assert_str_eq(OUT(), "{\n  \"prefix\":\"10.0.0.0/8\"\n}\n");
	ck_assert_int_eq(cl_exec(fd, "show ip foo", &r), CMD_ERR_UNKNOWN);
	ck_assert_str_eq(OUT(), "show ip foo\n        ^\n% Unknown command\n");
	ck_assert_int_eq(cl_exec(fd, "show ip route 300.1.1.1/24", &r), CMD_ERR_INVALID);

	/* the mode persists across requests of one connection */
	ck_assert_int_eq(cl_exec(fd, "configure terminal", &r), CMD_SUCCESS);
	ck_assert_str_eq(r.prompt, "pe1(config)# ");
	ck_assert_int_eq(cl_exec(fd, "vrf CUST-A", &r), CMD_SUCCESS);
	ck_assert_str_eq(r.prompt, "pe1(config-vrf)# ");
	ck_assert_int_eq(cl_exec(fd, "hostname fail", &r), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% refused\n");
	ck_assert_str_eq(r.prompt, "pe1(config-vrf)# ");

	/* prompts follow the daemon's hostname buffer */
	snprintf(host, sizeof(host), "pe9");
	cl_send(fd, CTL_PROMPT, "");
	ck_assert_int_eq(cl_reply(fd, &r), 0);
	ck_assert_str_eq(r.prompt, "pe9(config-vrf)# ");
	snprintf(host, sizeof(host), "pe1");

	/* another session is independent */
	fd2 = cl_connect(sockpath);
	cl_send(fd2, CTL_PROMPT, "");
	ck_assert_int_eq(cl_reply(fd2, &r), 0);
	ck_assert_str_eq(r.prompt, "pe1# ");

	cl_send(fd, CTL_DESCRIBE, "label mode per-v");
	ck_assert_int_eq(cl_reply(fd, &r), 0);
	ck_assert_str_eq(OUT(), "  per-vrf  Per VRF\n");
	ck_assert_str_eq(r.prompt, "pe1(config-vrf)# ");
	cl_send(fd, CTL_COMPLETE, "do show i");
	ck_assert_int_eq(cl_reply(fd, &r), 0);
	ck_assert_str_eq(OUT(), "interface\nip\n");

	/* big output: chunked frames; the client reads late and slowly */
	cl_send(fd, CTL_EXEC, "do bigdump 300000");
	usleep(200000);
	ck_assert_int_eq(cl_reply(fd, &r), 0);
	ck_assert_int_eq(r.status, CMD_SUCCESS);
	for (expect = 0, i = 0; i < 300000; i++) {
		char b[80];

		expect += (size_t)snprintf(b, sizeof(b),
					   "route %zu 10.%zu.%zu.0/24 via 192.0.2.1\n", i,
					   (i >> 8) & 255, i & 255);
	}
	ck_assert_uint_eq(out_len, expect);
	ck_assert_uint_eq(r.max_frame, CTL_CHUNK);
	ck_assert_uint_ge(r.nframes, expect / CTL_CHUNK);
	ck_assert(strncmp(OUT(), "route 0 10.0.0.0/24 via 192.0.2.1\n", 34) == 0);

	/* pipelined requests are answered in order */
	cl_send(fd, CTL_EXEC, "end");
	cl_send(fd, CTL_EXEC, "show ip route");
	ck_assert_int_eq(cl_reply(fd, &r), 0);
	ck_assert_str_eq(r.prompt, "pe1# ");
	ck_assert_int_eq(cl_reply(fd, &r), 0);
	ck_assert_int_eq(r.status, CMD_SUCCESS);

	/* exit in VIEW: flagged reply, then the daemon closes */
	ck_assert_int_eq(cl_exec(fd, "exit", &r), CMD_SUCCESS);
	ck_assert_int_eq(r.flags & CTL_F_CLOSED, CTL_F_CLOSED);
	ck_assert_int_eq(cl_reply(fd, &r), -1);
	close(fd);
	close(fd2);

	ck_assert_int_eq(sess_inits, 2);
	loop_stop(&l);
	ctl_stop(c);
	ck_assert_int_eq(access(sockpath, F_OK), -1);
	ctl_set_init(NULL);
	event_base_free(l.base);
}
END_TEST

START_TEST(t_ctl_malformed)
{
	struct loop l = { .base = event_base_new() };
	uint8_t h[CTL_HDR_LEN];
	struct ctl *c, *c2;
	struct reply r;
	char big[CTL_MAX_REQ + 100];
	int fd, good;

	c = ctl_start(l.base, sockpath, "pe1");
	ck_assert_ptr_nonnull(c);
	/* a second daemon on a live socket is refused */
	c2 = ctl_start(l.base, sockpath, "pe2");
	ck_assert_ptr_null(c2);
	loop_start(&l);
	good = cl_connect(sockpath);

	/* oversized length */
	fd = cl_connect(sockpath);
	ctl_hdr_put(h, 0xffffffffu, CTL_EXEC);
	ck_assert_int_eq(write(fd, h, sizeof(h)), sizeof(h));
	ck_assert_int_eq(cl_reply(fd, &r), -1);
	close(fd);
	/* unknown type */
	fd = cl_connect(sockpath);
	ctl_hdr_put(h, 0, 0x42);
	ck_assert_int_eq(write(fd, h, sizeof(h)), sizeof(h));
	ck_assert_int_eq(cl_reply(fd, &r), -1);
	close(fd);
	/* a reply type sent as a request */
	fd = cl_connect(sockpath);
	ctl_hdr_put(h, 0, CTL_DONE);
	ck_assert_int_eq(write(fd, h, sizeof(h)), sizeof(h));
	ck_assert_int_eq(cl_reply(fd, &r), -1);
	close(fd);
	/* a request just over the limit */
	fd = cl_connect(sockpath);
	memset(big, 'a', sizeof(big));
	big[CTL_MAX_REQ + 1] = '\0';
	ctl_hdr_put(h, CTL_MAX_REQ + 1, CTL_EXEC);
	ck_assert_int_eq(write(fd, h, sizeof(h)), sizeof(h));
	/* the daemon may hang up before the payload: no assertion on this */
	if (send(fd, big, CTL_MAX_REQ + 1, MSG_NOSIGNAL) < 0)
		ck_assert(errno == EPIPE || errno == ECONNRESET);
	ck_assert_int_eq(cl_reply(fd, &r), -1);
	close(fd);
	/* at the limit: refused by the engine, not the protocol */
	fd = cl_connect(sockpath);
	big[CTL_MAX_REQ] = '\0';
	ck_assert_int_eq(cl_exec(fd, big, &r), CMD_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(OUT(), "% Line too long"));
	/* embedded NUL ends the line; random garbage then hang up mid-frame */
	ctl_hdr_put(h, 9, CTL_EXEC);
	ck_assert_int_eq(write(fd, h, sizeof(h)), sizeof(h));
	ck_assert_int_eq(write(fd, "list\0junk", 9), 9);
	ck_assert_int_eq(cl_reply(fd, &r), 0);
	ck_assert_int_eq(r.status, CMD_SUCCESS);
	ctl_hdr_put(h, 100, CTL_EXEC);
	ck_assert_int_eq(write(fd, h, sizeof(h)), sizeof(h));
	ck_assert_int_eq(write(fd, "show", 4), 4);
	close(fd);
	/* a client that asks for a lot and goes away */
	fd = cl_connect(sockpath);
	cl_send(fd, CTL_EXEC, "bigdump 200000");
	close(fd);

	/* the daemon still serves the first client */
	ck_assert_int_eq(cl_exec(good, "list", &r), CMD_SUCCESS);
	ck_assert_int_eq(cl_exec(good, "sh ip ro", &r), CMD_SUCCESS);
	close(good);

	loop_stop(&l);
	ctl_stop(c);
	event_base_free(l.base);
}
END_TEST

START_TEST(t_ctl_stale)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct event_base *base = event_base_new();
	char path[200];
	struct ctl *c;
	int fd;

	/* a socket file left by a dead daemon is replaced */
	snprintf(path, sizeof(path), "%s/ped.sock", sockdir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_uint_lt(strlen(path), sizeof(sun.sun_path));
	memcpy(sun.sun_path, path, strlen(path) + 1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	c = ctl_start(base, path, NULL);
	ck_assert_ptr_nonnull(c);
	ctl_stop(c);
	/* paths that cannot work */
	ck_assert_ptr_null(ctl_start(base, "/proc/nonexistent/dir/ped.sock", "pe"));
	memset(path, 'x', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	ck_assert_ptr_null(ctl_start(base, path, "pe"));
	event_base_free(base);
}
END_TEST

START_TEST(t_socket_path)
{
	char buf[128];

	unsetenv("PE_RUNDIR");
	ck_assert_str_eq(ctl_default_rundir(), "/run/pe");
	ck_assert_int_eq(ctl_socket_path(buf, sizeof(buf), NULL), 0);
	ck_assert_str_eq(buf, "/run/pe/ped.sock");
	ck_assert_int_eq(ctl_socket_path(buf, sizeof(buf), "pe1"), 0);
	ck_assert_str_eq(buf, "/run/pe/pe1/ped.sock");
	setenv("PE_RUNDIR", "/tmp/x", 1);
	ck_assert_str_eq(ctl_default_rundir(), "/tmp/x");
	ck_assert_int_eq(ctl_socket_path(buf, sizeof(buf), "pe1"), 0);
	ck_assert_str_eq(buf, "/tmp/x/pe1/ped.sock");
	ck_assert_int_eq(ctl_socket_path(buf, sizeof(buf), "../etc"), -1);
	ck_assert_int_eq(ctl_socket_path(buf, sizeof(buf), ".."), -1);
	ck_assert_int_eq(ctl_socket_path(buf, sizeof(buf), ""), -1);
	ck_assert_int_eq(ctl_socket_path(buf, 10, "pe1"), -1);
	unsetenv("PE_RUNDIR");
}
END_TEST

/* A session that is not async (config file, test) gets the whole deferred
 * output before cli_execute returns; the step's state is freed once. */
START_TEST(t_defer_sync)
{
	int freed = sdump_freed;

	ck_assert_int_eq(cli_execute(cli, "streamdump 250"), CMD_SUCCESS);
	ck_assert(!cli_pending(cli));
	ck_assert_ptr_nonnull(strstr(OUT(), "route 0 10.0.0.0/24"));
	ck_assert_ptr_nonnull(strstr(OUT(), "route 249 10.0.249.0/24"));
	ck_assert_ptr_null(strstr(OUT(), "route 250 "));
	ck_assert_int_eq(sdump_freed, freed + 1);
	/* async, pending, then freed with the session in the middle */
	cli_set_async(cli, true);
	ck_assert_int_eq(cli_execute(cli, "streamdump 1000"), CMD_SUCCESS);
	ck_assert(cli_pending(cli));
	ck_assert_int_eq(cli_resume(cli, CMD_SUCCESS), CMD_PENDING);
	/* a second deferred command meanwhile runs at once */
	out_reset();
	ck_assert_int_eq(cli_execute(cli, "streamdump 3"), CMD_SUCCESS);
	ck_assert_ptr_nonnull(strstr(OUT(), "route 2 "));
	ck_assert_int_eq(sdump_freed, freed + 2);
	cli_free(cli);
	cli = cli_new(out_write, NULL);
	ck_assert_int_eq(sdump_freed, freed + 3);
}
END_TEST

/* Wait (bounded) until the loop thread has done something. */
static void wait_for(volatile int *v, int want)
{
	int i;

	for (i = 0; i < 1000 && __atomic_load_n(v, __ATOMIC_SEQ_CST) < want; i++)
		usleep(10000);
}

/* A client that does not read its dump must neither stall the daemon (a
 * second session is served meanwhile, dump included) nor make it hold the
 * dump: the dump stops after about CTL_OUT_HIGH bytes plus the socket
 * buffers and goes on, complete and in order, once the client reads. A
 * client that goes away in the middle frees the dump's state. */
START_TEST(t_ctl_slow_reader)
{
	struct loop l = { .base = event_base_new() };
	const unsigned long long n = 300000; /* ~30 MB of output */
	unsigned long long next = 0, lines;
	struct ctl *c;
	struct reply r;
	int a, b, a2, freed;
	uint8_t h[CTL_HDR_LEN];
	static char buf[CTL_CHUNK + 512]; /* a chunk after a partial line */
	char *p, *nl;
	size_t carry = 0;
	uint32_t len;

	c = ctl_start(l.base, sockpath, "pe1");
	ck_assert_ptr_nonnull(c);
	loop_start(&l);
	a = cl_connect(sockpath);
	b = cl_connect(sockpath);
	cl_send(a, CTL_EXEC, "streamdump 300000");
	/* the other session is served while a's dump waits */
	ck_assert_int_eq(cl_exec(b, "jsondump", &r), CMD_SUCCESS);
	ck_assert_ptr_nonnull(strstr(OUT(), "10.0.0.0/8"));
	ck_assert_int_eq(cl_exec(b, "streamdump 2000", &r), CMD_SUCCESS);
	ck_assert_ptr_nonnull(strstr(OUT(), "route 1999 "));
	ck_assert_int_eq(cl_exec(b, "echo again", &r), CMD_SUCCESS);
	/* a has read nothing: its dump stopped far short of its end (the
	 * socket buffers and CTL_OUT_HIGH hold a few MB; the dump is 30 MB) */
	lines = __atomic_load_n(&sdump_lines, __ATOMIC_SEQ_CST);
	ck_assert_uint_gt(lines, 0);
	ck_assert_uint_lt(lines * 100, 12u * 1024 * 1024);
	/* now a reads: every line, once, in order, then DONE */
	for (;;) {
		ck_assert_int_eq(read_full(a, h, sizeof(h)), 0);
		len = ctl_hdr_len(h);
		ck_assert_uint_le(len, CTL_CHUNK);
		ck_assert_int_eq(read_full(a, buf + carry, len), 0);
		if (h[4] == CTL_DONE) {
			ck_assert_uint_eq(carry, 0);
			ck_assert_int_eq(buf[0], CMD_SUCCESS);
			break;
		}
		ck_assert_int_eq(h[4], CTL_OUTPUT);
		buf[carry + len] = '\0';
		for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
			unsigned long long got;

			ck_assert_int_eq(sscanf(p, "route %llu ", &got), 1);
			ck_assert_uint_eq(got, next);
			next++;
		}
		carry = strlen(p);
		memmove(buf, p, carry);
		ck_assert_uint_lt(carry, 200);
	}
	ck_assert_uint_eq(next, n);
	/* the session is usable again */
	ck_assert_int_eq(cl_exec(a, "jsondump", &r), CMD_SUCCESS);
	ck_assert_ptr_nonnull(strstr(OUT(), "10.0.0.0/8"));
	/* a client that leaves in the middle of a dump */
	freed = sdump_freed;
	a2 = cl_connect(sockpath);
	cl_send(a2, CTL_EXEC, "streamdump 300000");
	ck_assert_int_eq(cl_exec(b, "echo x", &r), CMD_SUCCESS); /* a2's dump has begun */
	close(a2);
	wait_for(&sdump_freed, freed + 1);
	ck_assert_int_eq(sdump_freed, freed + 1);
	close(a);
	close(b);
	loop_stop(&l);
	ctl_stop(c);
	event_base_free(l.base);
}
END_TEST

static Suite *cmd_suite(void)
{
	Suite *s = suite_create("cmd");
	TCase *tc = tcase_create("engine");
	TCase *tn = tcase_create("ctl");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, t_match_basic);
	tcase_add_test(tc, t_ambiguous);
	tcase_add_test(tc, t_incomplete_unknown);
	tcase_add_test(tc, t_bad_bytes);
	tcase_add_test(tc, t_invalid);
	tcase_add_test(tc, t_groups);
	tcase_add_test(tc, t_keyword_vs_variable);
	tcase_add_test(tc, t_line_and_no);
	tcase_add_test(tc, t_nodes);
	tcase_add_test(tc, t_builtins);
	tcase_add_test(tc, t_json);
	tcase_add_test(tc, t_describe);
	tcase_add_test(tc, t_complete);
	tcase_add_test(tc, t_config_file);
	tcase_add_test(tc, t_bounds);
	tcase_add_test(tc, t_bad_syntax);
	tcase_add_test(tc, t_fuzz);
	tcase_add_test(tc, t_defer_sync);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(tn, ctl_setup, ctl_teardown);
	tcase_set_timeout(tn, 60);
	tcase_add_test(tn, t_ctl_session);
	tcase_add_test(tn, t_ctl_malformed);
	tcase_add_test(tn, t_ctl_slow_reader);
	tcase_add_test(tn, t_ctl_stale);
	tcase_add_test(tn, t_socket_path);
	suite_add_tcase(s, tn);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cmd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
