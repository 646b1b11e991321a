/* Routing policy engine (mpbgp/policy.c, policy_cli.c).
 *
 * Configuration goes through the real command handlers (error messages
 * checked word for word), evaluation through the public API. Expected
 * values are worked out by hand in the comments. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "mpbgp/policy.h"

static char *out;
static size_t out_len, out_cap;
static struct cli *cli;
static int hook_calls;

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

static void hook(void)
{
	hook_calls++;
}

static void setup(void)
{
	log_init("test_policy", true, false);
	cmd_init();
	policy_cli_init();
	policy_set_change_hook(hook);
	hook_calls = 0;
	cli = cli_new(out_write, NULL);
	cli_execute(cli, "configure terminal");
	out_reset();
}

static void teardown(void)
{
	cli_free(cli);
	cli = NULL;
	policy_fini();
	cmd_fini();
	free(out);
	out = NULL;
	out_len = out_cap = 0;
}

/* Runs a line in CONFIG (or the current sub-mode). */
static int X(const char *line)
{
	out_reset();
	return cli_execute(cli, line);
}

#define OK(line) ck_assert_msg(X(line) == CMD_SUCCESS, "%s: %s", line, OUT())

static struct prefix P(const char *s)
{
	struct prefix p;

	ck_assert_int_eq(prefix_parse(s, &p, NULL), 0);
	return p;
}

static enum policy_result PL(const char *name, const char *pfx)
{
	struct prefix p = P(pfx);

	return policy_prefix_list_apply(name, &p, NULL);
}

/* AS path of one AS_SEQUENCE. */
static void set_path(struct bgp_attr *a, const uint32_t *as, int n)
{
	int i;

	free(a->aspath);
	a->aspath = NULL;
	a->aspath_len = 0;
	if (n == 0)
		return;
	a->aspath_len = (uint16_t)(2 + 4 * n);
	a->aspath = xmalloc(a->aspath_len);
	a->aspath[0] = 2;
	a->aspath[1] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		a->aspath[2 + 4 * i] = (uint8_t)(as[i] >> 24);
		a->aspath[3 + 4 * i] = (uint8_t)(as[i] >> 16);
		a->aspath[4 + 4 * i] = (uint8_t)(as[i] >> 8);
		a->aspath[5 + 4 * i] = (uint8_t)as[i];
	}
	a->present |= BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
}

static void set_comms(struct bgp_attr *a, const uint32_t *c, int n)
{
	free(a->communities);
	a->communities = n ? xmalloc((size_t)n * 4) : NULL;
	if (n)
		memcpy(a->communities, c, (size_t)n * 4);
	a->ncommunities = (uint16_t)n;
	a->present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
}

static enum policy_result AP(const char *name, const uint32_t *as, int n)
{
	struct bgp_attr a;
	enum policy_result r;

	bgp_attr_init(&a);
	set_path(&a, as, n);
	r = policy_as_path_apply(name, &a, NULL);
	bgp_attr_clear(&a);
	return r;
}

/* Applies map to pfx with attr a (changed in place). */
static enum policy_result RM(const char *map, const char *pfx, struct bgp_attr *a,
			     struct policy_trace *t)
{
	struct prefix p = P(pfx);
	struct policy_route r = { .pfx = &p, .attr = a };

	return policy_route_map_apply(map, &r, t);
}

#define C(a, b) ((uint32_t)(a) << 16 | (b))

/* ------------------------------------------------------------ prefix-lists */

START_TEST(plist_edges)
{
	bool exists = true;
	struct prefix p = P("10.0.0.0/8");

	OK("ip prefix-list EXACT permit 10.0.0.0/8");
	ck_assert_int_eq(PL("EXACT", "10.0.0.0/8"), POLICY_PERMIT);
	ck_assert_int_eq(PL("EXACT", "10.0.0.0/9"), POLICY_DENY);
	ck_assert_int_eq(PL("EXACT", "11.0.0.0/8"), POLICY_DENY);
	ck_assert_int_eq(PL("EXACT", "0.0.0.0/0"), POLICY_DENY);

	/* /0 exact is the default route only; le 32 is everything */
	OK("ip prefix-list DEF permit 0.0.0.0/0");
	ck_assert_int_eq(PL("DEF", "0.0.0.0/0"), POLICY_PERMIT);
	ck_assert_int_eq(PL("DEF", "10.0.0.0/8"), POLICY_DENY);
	OK("ip prefix-list ALL permit 0.0.0.0/0 le 32");
	ck_assert_int_eq(PL("ALL", "0.0.0.0/0"), POLICY_PERMIT);
	ck_assert_int_eq(PL("ALL", "192.0.2.1/32"), POLICY_PERMIT);

	/* ge = len + 1: the /8 itself is out, /9 .. /32 in */
	OK("ip prefix-list GE permit 10.0.0.0/8 ge 9");
	ck_assert_int_eq(PL("GE", "10.0.0.0/8"), POLICY_DENY);
	ck_assert_int_eq(PL("GE", "10.128.0.0/9"), POLICY_PERMIT);
	ck_assert_int_eq(PL("GE", "10.1.2.3/32"), POLICY_PERMIT);
	ck_assert_int_eq(PL("GE", "11.1.2.3/32"), POLICY_DENY);

	/* le = max */
	OK("ip prefix-list LE permit 10.0.0.0/8 le 32");
	ck_assert_int_eq(PL("LE", "10.0.0.0/8"), POLICY_PERMIT);
	ck_assert_int_eq(PL("LE", "10.255.255.255/32"), POLICY_PERMIT);
	ck_assert_int_eq(PL("LE", "10.0.0.0/7"), POLICY_DENY);

	/* ge/le window */
	OK("ip prefix-list WIN permit 10.0.0.0/8 ge 16 le 24");
	ck_assert_int_eq(PL("WIN", "10.1.0.0/15"), POLICY_DENY);
	ck_assert_int_eq(PL("WIN", "10.1.0.0/16"), POLICY_PERMIT);
	ck_assert_int_eq(PL("WIN", "10.1.1.0/24"), POLICY_PERMIT);
	ck_assert_int_eq(PL("WIN", "10.1.1.0/25"), POLICY_DENY);

	/* /32 exact */
	OK("ip prefix-list HOST permit 192.0.2.1/32");
	ck_assert_int_eq(PL("HOST", "192.0.2.1/32"), POLICY_PERMIT);
	ck_assert_int_eq(PL("HOST", "192.0.2.2/32"), POLICY_DENY);

	/* first match by seq; automatic seq 5, 10; any */
	OK("ip prefix-list ANY deny 10.0.0.0/8 le 32");
	OK("ip prefix-list ANY permit any");
	ck_assert_int_eq(PL("ANY", "10.1.0.0/16"), POLICY_DENY);
	ck_assert_int_eq(PL("ANY", "11.0.0.0/8"), POLICY_PERMIT);
	ck_assert_int_eq(PL("ANY", "0.0.0.0/0"), POLICY_PERMIT);

	/* seq order wins over configuration order (the deeper entry has the
	 * lower seq and decides for 10.1/16; the shorter one for the rest) */
	OK("ip prefix-list SEQ seq 20 permit 10.0.0.0/8 le 24");
	OK("ip prefix-list SEQ seq 10 deny 10.1.0.0/16");
	ck_assert_int_eq(PL("SEQ", "10.1.0.0/16"), POLICY_DENY);
	ck_assert_int_eq(PL("SEQ", "10.2.0.0/16"), POLICY_PERMIT);
	OK("ip prefix-list SEQ seq 5 permit 10.1.0.0/16");
	ck_assert_int_eq(PL("SEQ", "10.1.0.0/16"), POLICY_PERMIT);

	/* missing and empty lists deny */
	ck_assert_int_eq(policy_prefix_list_apply("NOPE", &p, &exists), POLICY_DENY);
	ck_assert(!exists);
	OK("ip prefix-list EMPTY description nothing in it");
	ck_assert_int_eq(policy_prefix_list_apply("EMPTY", &p, &exists), POLICY_DENY);
	ck_assert(exists);

	/* IPv6, and the families do not mix */
	OK("ipv6 prefix-list V6 permit 2001:db8::/32 ge 48 le 64");
	ck_assert_int_eq(PL("V6", "2001:db8:1::/48"), POLICY_PERMIT);
	ck_assert_int_eq(PL("V6", "2001:db8:1:2::/64"), POLICY_PERMIT);
	ck_assert_int_eq(PL("V6", "2001:db8::/32"), POLICY_DENY);
	ck_assert_int_eq(PL("V6", "2001:db8::/65"), POLICY_DENY);
	ck_assert_int_eq(PL("EXACT", "2001:db8::/32"), POLICY_DENY);
	ck_assert(hook_calls > 0);
}
END_TEST

START_TEST(plist_refused)
{
	ck_assert_int_eq(X("ip prefix-list BAD permit 10.0.0.0/8 ge 8"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% Invalid prefix range for 10.0.0.0/8: ge 8 must be greater "
				"than the mask length 8 (mask length < ge <= le)\n");
	ck_assert_int_eq(X("ip prefix-list BAD permit 10.0.0.0/8 le 33"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% Invalid prefix range for 10.0.0.0/8: le 33 exceeds the "
				"maximum length 32\n");
	ck_assert_int_eq(X("ip prefix-list BAD permit 10.0.0.0/8 ge 24 le 16"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% Invalid prefix range for 10.0.0.0/8: le 16 is less than ge 24 "
				"(mask length < ge <= le)\n");
	ck_assert_int_eq(X("ip prefix-list BAD permit 10.0.0.0/8 le 8"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% Invalid prefix range for 10.0.0.0/8: le 8 must be greater "
				"than the mask length 8 (mask length < ge <= le)\n");
	ck_assert_int_eq(X("ipv6 prefix-list BAD6 permit 2001:db8::/32 ge 32"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% Invalid prefix range for 2001:db8::/32: ge 32 must be greater "
				"than the mask length 32 (mask length < ge <= le)\n");
	/* above 128 the command engine refuses the number itself */
	ck_assert_int_eq(X("ipv6 prefix-list BAD6 permit 2001:db8::/32 ge 129"), CMD_ERR_INVALID);
	ck_assert_ptr_null(policy_obj_lookup(POBJ_PLIST4, "BAD"));
	ck_assert_ptr_null(policy_obj_lookup(POBJ_PLIST6, "BAD6"));
	ck_assert_int_eq(hook_calls, 0);

	/* no forms */
	OK("ip prefix-list D permit 10.0.0.0/8");
	OK("ip prefix-list D permit 11.0.0.0/8");
	OK("no ip prefix-list D seq 5");
	ck_assert_int_eq(PL("D", "10.0.0.0/8"), POLICY_DENY);
	ck_assert_int_eq(PL("D", "11.0.0.0/8"), POLICY_PERMIT);
	ck_assert_int_eq(X("no ip prefix-list D permit 12.0.0.0/8"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% Can't find specified prefix-list entry\n");
	OK("no ip prefix-list D permit 11.0.0.0/8");
	ck_assert_ptr_null(policy_obj_lookup(POBJ_PLIST4, "D"));
}
END_TEST

/* ------------------------------------------------------------ as-path */

START_TEST(aspath_regex)
{
	static const uint32_t p1[] = { 65001 }, p2[] = { 1, 65001, 2 }, p3[] = { 165001 },
			      p4[] = { 650011 }, p5[] = { 65002, 65001 };

	OK("bgp as-path access-list A1 permit _65001_");
	ck_assert_int_eq(AP("A1", p1, 1), POLICY_PERMIT);
	ck_assert_int_eq(AP("A1", p2, 3), POLICY_PERMIT);
	ck_assert_int_eq(AP("A1", p3, 1), POLICY_DENY);
	ck_assert_int_eq(AP("A1", p4, 1), POLICY_DENY);
	ck_assert_int_eq(AP("A1", NULL, 0), POLICY_DENY);

	/* ^$: locally originated only */
	OK("bgp as-path access-list EMPTY permit ^$");
	ck_assert_int_eq(AP("EMPTY", NULL, 0), POLICY_PERMIT);
	ck_assert_int_eq(AP("EMPTY", p1, 1), POLICY_DENY);

	/* first match decides; origin AS */
	OK("bgp as-path access-list A2 deny ^65002_");
	OK("bgp as-path access-list A2 permit _65001$");
	ck_assert_int_eq(AP("A2", p5, 2), POLICY_DENY);
	ck_assert_int_eq(AP("A2", p2, 3), POLICY_DENY);
	ck_assert_int_eq(AP("A2", p1, 1), POLICY_PERMIT);

	/* a bad regex is refused and nothing is created */
	ck_assert_int_eq(X("bgp as-path access-list BAD permit 65001("), CMD_ERROR);
	ck_assert_msg(strncmp(OUT(), "% Invalid regular expression \"65001(\": ", 38) == 0, "%s",
		      OUT());
	ck_assert_ptr_null(policy_obj_lookup(POBJ_ASLIST, "BAD"));
	ck_assert_int_eq(X("bgp as-path access-list A1 permit [0-"), CMD_ERROR);
	ck_assert_int_eq(((struct aslist *)policy_obj_lookup(POBJ_ASLIST, "A1"))->n, 1);
	ck_assert_int_eq(AP("NOPE", p1, 1), POLICY_DENY);
}
END_TEST

/* ------------------------------------------------------------ community lists */

static enum policy_result match_comm(const char *map, const uint32_t *c, int n)
{
	struct bgp_attr a;
	enum policy_result r;

	bgp_attr_init(&a);
	set_comms(&a, c, n);
	r = RM(map, "10.0.0.0/8", &a, NULL);
	bgp_attr_clear(&a);
	return r;
}

START_TEST(community_lists)
{
	static const uint32_t both[] = { C(65000, 1), 0xFFFFFF01u, C(65000, 2) },
			      one[] = { C(65000, 1) }, exact[] = { 0xFFFFFF01u, C(65000, 1) },
			      c12[] = { C(65000, 12) };

	OK("bgp community-list standard CL permit 65000:1 no-export");
	OK("route-map RC permit 10");
	OK("match community CL");
	OK("route-map RE permit 10");
	OK("match community CL exact-match");
	OK("exit");
	/* every listed value must be on the route */
	ck_assert_int_eq(match_comm("RC", both, 3), POLICY_PERMIT);
	ck_assert_int_eq(match_comm("RC", one, 1), POLICY_DENY);
	/* exact-match: the same set, any order */
	ck_assert_int_eq(match_comm("RE", exact, 2), POLICY_PERMIT);
	ck_assert_int_eq(match_comm("RE", both, 3), POLICY_DENY);

	/* expanded: the regex sees "65000:12" */
	OK("bgp community-list expanded CE permit 65000:1[0-9]");
	OK("route-map RX permit 10");
	OK("match community CE");
	OK("exit");
	ck_assert_int_eq(match_comm("RX", c12, 1), POLICY_PERMIT);
	ck_assert_int_eq(match_comm("RX", one, 1), POLICY_DENY);
	/* no-export is printed by name */
	OK("bgp community-list expanded CN permit ^no-export 65000:1$");
	OK("route-map RN permit 10");
	OK("match community CN");
	OK("exit");
	ck_assert_int_eq(match_comm("RN", exact, 2), POLICY_PERMIT);

	/* standard and expanded do not mix; malformed values are refused */
	ck_assert_int_eq(X("bgp community-list expanded CL permit .*"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% Community name conflict, previously defined as standard\n");
	ck_assert_int_eq(X("bgp community-list standard CB permit 70000:1"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% Malformed community-list value \"70000:1\"\n");
	ck_assert_ptr_null(policy_obj_lookup(POBJ_CLIST_COMM, "CB"));
}
END_TEST

START_TEST(ext_and_large)
{
	struct bgp_attr a;
	struct ecomm rt;
	char err[64];
	/* LARGE_COMMUNITIES (optional transitive, type 32): 1:2:3 */
	static const uint8_t lc[] = { 0xC0, 32, 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3 };

	OK("bgp extcommunity-list standard EC permit rt 65000:1");
	OK("bgp large-community-list standard LC permit 1:2:3");
	OK("bgp large-community-list expanded LE permit ^1:2:");
	OK("route-map M-EC permit 10");
	OK("match extcommunity EC");
	OK("route-map M-LC permit 10");
	OK("match large-community LC");
	OK("route-map M-LE permit 10");
	OK("match large-community LE");
	OK("exit");

	bgp_attr_init(&a);
	ck_assert_int_eq(ecomm_parse("65000:1", ECOMM_SUB_RT, &rt, err, sizeof(err)), 0);
	a.ecomms = xmalloc(sizeof(rt));
	a.ecomms[0] = rt;
	a.necomms = 1;
	ck_assert_int_eq(RM("M-EC", "10.0.0.0/8", &a, NULL), POLICY_PERMIT);
	ck_assert_int_eq(ecomm_parse("65000:2", ECOMM_SUB_RT, &a.ecomms[0], err, sizeof(err)), 0);
	ck_assert_int_eq(RM("M-EC", "10.0.0.0/8", &a, NULL), POLICY_DENY);
	/* an SoO of the same value is not an RT */
	ck_assert_int_eq(ecomm_parse("65000:1", ECOMM_SUB_SOO, &a.ecomms[0], err, sizeof(err)), 0);
	ck_assert_int_eq(RM("M-EC", "10.0.0.0/8", &a, NULL), POLICY_DENY);

	ck_assert_int_eq(RM("M-LC", "10.0.0.0/8", &a, NULL), POLICY_DENY);
	a.unknown = xmalloc(sizeof(lc));
	memcpy(a.unknown, lc, sizeof(lc));
	a.unknown_len = sizeof(lc);
	ck_assert_int_eq(RM("M-LC", "10.0.0.0/8", &a, NULL), POLICY_PERMIT);
	ck_assert_int_eq(RM("M-LE", "10.0.0.0/8", &a, NULL), POLICY_PERMIT);
	a.unknown[14] = 4; /* 1:2:4 */
	ck_assert_int_eq(RM("M-LC", "10.0.0.0/8", &a, NULL), POLICY_DENY);
	ck_assert_int_eq(RM("M-LE", "10.0.0.0/8", &a, NULL), POLICY_PERMIT);
	bgp_attr_clear(&a);
}
END_TEST

/* ------------------------------------------------------------ route-map flow */

START_TEST(rmap_flow)
{
	struct bgp_attr a;
	struct policy_trace t;
	uint32_t w = 0;
	struct prefix p = P("10.1.0.0/16");
	struct policy_route r = { .pfx = &p, .attr = &a, .weight = &w };

	OK("ip prefix-list P10 permit 10.0.0.0/8 le 32");

	/* implicit deny */
	OK("route-map RM1 permit 10");
	OK("match ip address prefix-list P10");
	bgp_attr_init(&a);
	ck_assert_int_eq(RM("RM1", "11.0.0.0/8", &a, &t), POLICY_DENY);
	ck_assert_str_eq(t.reason, "denied: no entry of route-map RM1 matched");
	ck_assert_int_eq(RM("RM1", "10.0.0.0/8", &a, &t), POLICY_PERMIT);
	ck_assert_str_eq(t.reason, "permitted by route-map RM1 seq 10");
	ck_assert_int_eq(t.step[0].seq, 10);
	ck_assert(t.step[0].matched);

	/* deny entry */
	OK("route-map RM2 deny 10");
	OK("match ip address prefix-list P10");
	OK("route-map RM2 permit 20");
	ck_assert_int_eq(RM("RM2", "10.1.0.0/16", &a, &t), POLICY_DENY);
	ck_assert_str_eq(t.reason, "denied by route-map RM2 seq 10");
	ck_assert_int_eq(RM("RM2", "11.0.0.0/8", &a, &t), POLICY_PERMIT);
	ck_assert_str_eq(t.step[0].detail, "match ip address prefix-list P10: no match");

	/* without on-match next only the first permit applies */
	OK("route-map RM3 permit 10");
	OK("set local-preference 200");
	OK("route-map RM3 permit 20");
	OK("set metric 5");
	bgp_attr_clear(&a);
	ck_assert_int_eq(RM("RM3", "10.0.0.0/8", &a, NULL), POLICY_PERMIT);
	ck_assert_uint_eq(a.local_pref, 200);
	ck_assert(!(a.present & BGP_ATTR_BIT(BGP_ATTR_MED)));
	/* on-match next: both */
	OK("route-map RM3 permit 10");
	OK("on-match next");
	bgp_attr_clear(&a);
	ck_assert_int_eq(RM("RM3", "10.0.0.0/8", &a, NULL), POLICY_PERMIT);
	ck_assert_uint_eq(a.local_pref, 200);
	ck_assert_uint_eq(a.med, 5);

	/* on-match goto 30 skips 20 */
	OK("route-map RM4 permit 10");
	OK("set local-preference 100");
	OK("on-match goto 30");
	OK("route-map RM4 permit 20");
	OK("set metric 20");
	OK("route-map RM4 permit 30");
	OK("set weight 7");
	ck_assert_int_eq(X("on-match goto 20"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% Cannot go to route-map entry 20: on-match goto must go "
				"forward (this entry is 30)\n");
	ck_assert_int_eq(X("on-match goto 30"), CMD_ERROR);
	bgp_attr_clear(&a);
	ck_assert_int_eq(policy_route_map_apply("RM4", &r, NULL), POLICY_PERMIT);
	ck_assert_uint_eq(a.local_pref, 100);
	ck_assert(!(a.present & BGP_ATTR_BIT(BGP_ATTR_MED)));
	ck_assert_uint_eq(w, 7);

	/* call: the callee denies 10/8 and sets local-pref 300 otherwise */
	OK("route-map CALLEE deny 10");
	OK("match ip address prefix-list P10");
	OK("route-map CALLEE permit 20");
	OK("set local-preference 300");
	OK("route-map RM5 permit 10");
	OK("set metric 1");
	OK("call CALLEE");
	bgp_attr_clear(&a);
	ck_assert_int_eq(RM("RM5", "10.1.0.0/16", &a, &t), POLICY_DENY);
	ck_assert_str_eq(t.reason, "denied by route-map CALLEE seq 10");
	bgp_attr_clear(&a);
	ck_assert_int_eq(RM("RM5", "11.0.0.0/8", &a, &t), POLICY_PERMIT);
	ck_assert_uint_eq(a.local_pref, 300);
	ck_assert_uint_eq(a.med, 1);
	ck_assert_str_eq(t.reason, "permitted by route-map RM5 seq 10");

	/* continue: seq 10 sets, seq 20 denies 10/8, seq 30 sets metric */
	OK("route-map RM6 permit 10");
	OK("set local-preference 50");
	OK("continue");
	OK("route-map RM6 deny 20");
	OK("match ip address prefix-list P10");
	OK("route-map RM6 permit 30");
	OK("set metric 9");
	bgp_attr_clear(&a);
	ck_assert_int_eq(RM("RM6", "10.0.0.0/8", &a, NULL), POLICY_DENY);
	bgp_attr_clear(&a);
	ck_assert_int_eq(RM("RM6", "11.0.0.0/8", &a, NULL), POLICY_PERMIT);
	ck_assert_uint_eq(a.local_pref, 50);
	ck_assert_uint_eq(a.med, 9);
	/* continue 30 jumps over the deny; nothing after a continue: permit */
	OK("route-map RM6 permit 10");
	OK("continue 30");
	bgp_attr_clear(&a);
	ck_assert_int_eq(RM("RM6", "10.0.0.0/8", &a, NULL), POLICY_PERMIT);
	ck_assert_uint_eq(a.med, 9);
	OK("route-map RM7 permit 10");
	OK("continue");
	ck_assert_int_eq(RM("RM7", "10.0.0.0/8", &a, NULL), POLICY_PERMIT);

	/* undefined map, missing prefix-list, no map */
	ck_assert_int_eq(RM("NOPE", "10.0.0.0/8", &a, &t), POLICY_DENY);
	ck_assert_str_eq(t.reason, "denied: route-map NOPE is not defined");
	ck_assert(!policy_route_map_exists("NOPE"));
	OK("route-map RM8 permit 10");
	OK("match ip address prefix-list MISSING");
	ck_assert_int_eq(RM("RM8", "10.0.0.0/8", &a, &t), POLICY_DENY);
	ck_assert_str_eq(t.step[0].detail, "match ip address prefix-list MISSING: not defined");
	ck_assert_int_eq(RM("", "10.0.0.0/8", &a, NULL), POLICY_PERMIT);
	ck_assert_int_eq(RM(NULL, "10.0.0.0/8", &a, NULL), POLICY_PERMIT);
	bgp_attr_clear(&a);
}
END_TEST

START_TEST(rmap_call_loop)
{
	OK("route-map A permit 10");
	OK("call B"); /* B does not exist yet: allowed */
	OK("route-map B permit 10");
	ck_assert_int_eq(X("call A"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% route-map call loop: B -> A -> B\n");
	ck_assert_ptr_null(policy_rmap_entry("B", true, 10, false)->call);
	ck_assert_int_eq(X("call B"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% route-map call loop: B -> B\n");
	OK("route-map C permit 10");
	OK("call A");
	OK("route-map B permit 20");
	ck_assert_int_eq(X("call C"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% route-map call loop: B -> C -> A -> B\n");
}
END_TEST

/* ------------------------------------------------------------ set clauses */

START_TEST(rmap_sets)
{
	struct bgp_attr a;
	struct ipaddr peer = ipaddr_v4(0xC0000201); /* 192.0.2.1 */
	struct prefix p = P("10.0.0.0/8");
	struct policy_route r = { .pfx = &p, .attr = &a, .peer_addr = &peer };
	static const uint32_t c1[] = { C(1, 1) }, cd[] = { C(65000, 1), C(65000, 2) },
			      path[] = { 65001 };
	char buf[128], err[64];
	struct ecomm rt1;

	OK("route-map S permit 10");
	OK("set community 65000:2 65000:1");
	bgp_attr_init(&a);
	set_comms(&a, c1, 1);
	ck_assert_int_eq(policy_route_map_apply("S", &r, NULL), POLICY_PERMIT);
	/* replaced, and sorted as FRR keeps them */
	ck_assert_int_eq(a.ncommunities, 2);
	ck_assert_uint_eq(a.communities[0], C(65000, 1));
	ck_assert_uint_eq(a.communities[1], C(65000, 2));

	OK("set community 65000:3 additive");
	set_comms(&a, c1, 1);
	ck_assert_int_eq(policy_route_map_apply("S", &r, NULL), POLICY_PERMIT);
	ck_assert_int_eq(a.ncommunities, 2);
	ck_assert_uint_eq(a.communities[0], C(1, 1));
	ck_assert_uint_eq(a.communities[1], C(65000, 3));

	OK("set community none");
	ck_assert_int_eq(policy_route_map_apply("S", &r, NULL), POLICY_PERMIT);
	ck_assert_int_eq(a.ncommunities, 0);
	ck_assert(!(a.present & BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES)));
	OK("no set community");

	/* comm-list delete: 65000:1 goes, 65000:2 stays */
	OK("bgp community-list standard DEL permit 65000:1");
	OK("route-map S permit 10");
	OK("set comm-list DEL delete");
	set_comms(&a, cd, 2);
	ck_assert_int_eq(policy_route_map_apply("S", &r, NULL), POLICY_PERMIT);
	ck_assert_int_eq(a.ncommunities, 1);
	ck_assert_uint_eq(a.communities[0], C(65000, 2));
	OK("no set comm-list");

	/* local-pref, med (= + -), origin, prepend, next hop */
	OK("set local-preference 4294967295");
	OK("set metric 100");
	OK("set origin incomplete");
	OK("set as-path prepend 65000 65000");
	OK("set ip next-hop peer-address");
	set_path(&a, path, 1);
	ck_assert_int_eq(policy_route_map_apply("S", &r, NULL), POLICY_PERMIT);
	ck_assert_uint_eq(a.local_pref, 4294967295u);
	ck_assert_uint_eq(a.med, 100);
	ck_assert_int_eq(a.origin, BGP_ORIGIN_INCOMPLETE);
	ck_assert_str_eq(bgp_aspath_str(&a, buf, sizeof(buf)), "65000 65000 65001");
	ck_assert(ipaddr_equal(&a.nexthop, &peer));
	ck_assert(!r.nexthop_unchanged);

	OK("no set as-path prepend");
	OK("set metric +5");
	ck_assert_int_eq(policy_route_map_apply("S", &r, NULL), POLICY_PERMIT);
	ck_assert_uint_eq(a.med, 105);
	OK("set metric -200");
	ck_assert_int_eq(policy_route_map_apply("S", &r, NULL), POLICY_PERMIT);
	ck_assert_uint_eq(a.med, 0);
	ck_assert_int_eq(X("set metric x5"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% Invalid metric: (0-4294967295), +N or -N\n");

	OK("set ip next-hop 198.51.100.1");
	ck_assert_int_eq(policy_route_map_apply("S", &r, NULL), POLICY_PERMIT);
	ck_assert_uint_eq(a.nexthop.v4, 0xC6336401);
	OK("set ip next-hop unchanged");
	ck_assert_int_eq(policy_route_map_apply("S", &r, NULL), POLICY_PERMIT);
	ck_assert(r.nexthop_unchanged);

	/* extcommunity rt merges onto the route's set */
	OK("set extcommunity rt 65000:1 65000:2");
	ck_assert_int_eq(ecomm_parse("65000:1", ECOMM_SUB_RT, &rt1, err, sizeof(err)), 0);
	free(a.ecomms);
	a.ecomms = xmalloc(sizeof(rt1));
	a.ecomms[0] = rt1;
	a.necomms = 1;
	ck_assert_int_eq(policy_route_map_apply("S", &r, NULL), POLICY_PERMIT);
	ck_assert_int_eq(a.necomms, 2);
	ck_assert_int_eq(a.ecomms[1].b[1], ECOMM_SUB_RT);
	ck_assert_str_eq(ecomm_format(&a.ecomms[1], buf, sizeof(buf)), "65000:2");
	OK("set extcommunity soo 65000:9");
	ck_assert_int_eq(policy_route_map_apply("S", &r, NULL), POLICY_PERMIT);
	ck_assert_int_eq(a.necomms, 3);
	ck_assert_int_eq(a.ecomms[2].b[1], ECOMM_SUB_SOO);
	bgp_attr_clear(&a);
}
END_TEST

/* ------------------------------------------------------------ config, show */

static char *capture_config(void)
{
	out_reset();
	policy_config_write(cli);
	return xstrdup(OUT());
}

static const char *const golden[] = {
	"ip prefix-list PL description customer routes",
	"ip prefix-list PL seq 5 permit 10.0.0.0/8 le 24",
	"ip prefix-list PL seq 10 deny any",
	"ipv6 prefix-list P6 seq 5 permit 2001:db8::/32 ge 48 le 64",
	"bgp community-list standard CL seq 5 permit 65000:1 no-export",
	"bgp community-list expanded CX seq 5 deny ^65000:.*$",
	"bgp large-community-list standard LC seq 5 permit 1:2:3",
	"bgp extcommunity-list standard EC seq 5 permit rt 65000:1 soo 65000:2",
	"bgp as-path access-list AP seq 5 permit _65001_",
	"route-map CALLED permit 10",
	" set weight 5",
	"exit",
	"route-map RM permit 10",
	" description test entry",
	" match ip address prefix-list PL",
	" match community CL exact-match",
	" match as-path AP",
	" set local-preference 200",
	" set metric +3",
	" set community 65000:1 no-export additive",
	" set extcommunity rt 65000:1 65000:2",
	" set as-path prepend 65000",
	" set ip next-hop peer-address",
	" call CALLED",
	" on-match goto 30",
	"exit",
	"route-map RM deny 30",
	" match extcommunity EC",
	"exit",
};

START_TEST(running_config_round_trip)
{
	char *first, *second;
	size_t i;

	for (i = 0; i < sizeof(golden) / sizeof(golden[0]); i++)
		OK(golden[i]);
	first = capture_config();
	ck_assert_str_eq(first, "ip prefix-list PL description customer routes\n"
				"ip prefix-list PL seq 5 permit 10.0.0.0/8 le 24\n"
				"ip prefix-list PL seq 10 deny any\n"
				"!\n"
				"ipv6 prefix-list P6 seq 5 permit 2001:db8::/32 ge 48 le 64\n"
				"!\n"
				"bgp community-list standard CL seq 5 permit 65000:1 no-export\n"
				"bgp community-list expanded CX seq 5 deny ^65000:.*$\n"
				"bgp large-community-list standard LC seq 5 permit 1:2:3\n"
				"bgp extcommunity-list standard EC seq 5 permit rt 65000:1 soo "
				"65000:2\n"
				"!\n"
				"bgp as-path access-list AP seq 5 permit _65001_\n"
				"!\n"
				"route-map CALLED permit 10\n"
				" set weight 5\n"
				"exit\n"
				"!\n"
				"route-map RM permit 10\n"
				" description test entry\n"
				" match ip address prefix-list PL\n"
				" match community CL exact-match\n"
				" match as-path AP\n"
				" set local-preference 200\n"
				" set metric +3\n"
				" set community 65000:1 no-export additive\n"
				" set extcommunity rt 65000:1 65000:2\n"
				" set as-path prepend 65000\n"
				" set ip next-hop peer-address\n"
				" call CALLED\n"
				" on-match goto 30\n"
				"exit\n"
				"!\n"
				"route-map RM deny 30\n"
				" match extcommunity EC\n"
				"exit\n"
				"!\n");
	/* load the output into an empty engine: the same text comes back */
	policy_fini();
	{
		char *copy = xstrdup(first), *save = NULL, *line;

		for (line = strtok_r(copy, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save))
			OK(line);
		free(copy);
	}
	second = capture_config();
	ck_assert_str_eq(first, second);
	free(first);
	free(second);

	/* no route-map NAME permit N removes one entry; the last removes the map */
	OK("no route-map RM deny 30");
	ck_assert(policy_route_map_exists("RM"));
	ck_assert_int_eq(X("no route-map RM deny 10"), CMD_ERROR);
	OK("no route-map RM permit 10");
	ck_assert(!policy_route_map_exists("RM"));
}
END_TEST

START_TEST(show_commands)
{
	OK("ip prefix-list PL permit 10.0.0.0/8 ge 16 le 24");
	OK("bgp as-path access-list AP permit ^65001_");
	OK("bgp community-list standard CL permit 65000:1");
	OK("route-map RM permit 10");
	OK("match ip address prefix-list PL");
	OK("match community NOPE");
	OK("call GONE");
	OK("end");
	ck_assert_int_eq(cli_node(cli), NODE_VIEW);

	OK("show ip prefix-list");
	ck_assert_str_eq(OUT(), "ip prefix-list PL: 1 entries\n"
				"   seq 5 permit 10.0.0.0/8 ge 16 le 24\n");
	OK("show ip prefix-list PL json");
	ck_assert_msg(strstr(OUT(), "\"minimumPrefixLength\":16") != NULL ||
			      strstr(OUT(), "\"minimumPrefixLength\": 16") != NULL,
		      "%s", OUT());
	ck_assert(strstr(OUT(), "\"addressFamily\"") != NULL);
	OK("show bgp as-path-access-list AP");
	ck_assert_str_eq(OUT(), "AS path access list AP\n    seq 5 permit ^65001_\n");
	OK("show bgp community-list CL json");
	ck_assert(strstr(OUT(), "65000:1") != NULL);
	OK("show route-map RM");
	ck_assert_msg(strstr(OUT(), "    community NOPE (not defined)\n") != NULL, "%s", OUT());
	ck_assert(strstr(OUT(), "    ip address prefix-list PL\n") != NULL);
	ck_assert(strstr(OUT(), "    Call GONE (not defined)\n") != NULL);
	ck_assert(strstr(OUT(), " permit, sequence 10 Invoked 0\n") != NULL);
	OK("show route-map RM json");
	ck_assert(strstr(OUT(), "\"matchClauses\"") != NULL);
	ck_assert(strstr(OUT(), "\"sequenceNumber\"") != NULL);
	ck_assert(strstr(OUT(), "\"callClause\"") != NULL);
	OK("show route-map NONE");
	ck_assert_str_eq(OUT(), "'route-map NONE' not found\n");
}
END_TEST

START_TEST(sub_mode)
{
	char buf[64];

	OK("route-map RM permit 10");
	ck_assert_int_eq(cli_node(cli), NODE_ROUTE_MAP);
	ck_assert_str_eq(cli_prompt(cli, "pe1", buf, sizeof(buf)), "pe1(config-route-map)# ");
	OK("set weight 1");
	/* a CONFIG line walks up */
	OK("ip prefix-list X permit 10.0.0.0/8");
	ck_assert_int_eq(cli_node(cli), NODE_CONFIG);
	OK("route-map RM permit 10");
	OK("exit");
	ck_assert_int_eq(cli_node(cli), NODE_CONFIG);
	/* the entry deleted under a session in it */
	OK("route-map RM permit 10");
	policy_fini();
	ck_assert_int_eq(X("set weight 2"), CMD_ERROR);
	ck_assert_str_eq(OUT(), "% route-map entry RM 10 no longer exists\n");
}
END_TEST

START_TEST(change_hook)
{
	int before;

	OK("route-map RM permit 10");
	before = hook_calls;
	OK("set local-preference 5");
	ck_assert_int_eq(hook_calls, before + 1);
	OK("match as-path X");
	ck_assert_int_eq(hook_calls, before + 2);
	OK("bgp as-path access-list X permit .*");
	ck_assert_int_eq(hook_calls, before + 3);
	ck_assert_int_eq(X("bgp as-path access-list X permit ("), CMD_ERROR);
	ck_assert_int_eq(hook_calls, before + 3);
}
END_TEST

START_TEST(change_hook_coalesced)
{
	struct event_base *base = event_base_new();

	policy_set_event_base(base);
	OK("route-map RM permit 10");
	OK("set weight 1");
	OK("ip prefix-list PL permit any");
	ck_assert_int_eq(hook_calls, 0);
	event_base_loop(base, EVLOOP_NONBLOCK);
	ck_assert_int_eq(hook_calls, 1);
	OK("route-map RM permit 10");
	OK("set weight 2");
	event_base_loop(base, EVLOOP_NONBLOCK);
	ck_assert_int_eq(hook_calls, 2);
	policy_fini(); /* frees the event before the base goes */
	event_base_free(base);
}
END_TEST

/* ------------------------------------------------------------ cost */

START_TEST(apply_cost)
{
	char line[96];
	struct bgp_attr a;
	int i;

	/* 50 entries, each a prefix-list match and a community set; the route
	 * matches only the last */
	for (i = 0; i < 50; i++) {
		snprintf(line, sizeof(line), "ip prefix-list PL%d permit 10.%d.0.0/16 le 24", i, i);
		OK(line);
		snprintf(line, sizeof(line), "route-map BIG permit %d", (i + 1) * 10);
		OK(line);
		snprintf(line, sizeof(line), "match ip address prefix-list PL%d", i);
		OK(line);
		snprintf(line, sizeof(line), "set community 65000:%d additive", i);
		OK(line);
	}
	bgp_attr_init(&a);
	for (i = 0; i < 20000; i++) {
		ck_assert_int_eq(RM("BIG", "10.49.1.0/24", &a, NULL), POLICY_PERMIT);
		ck_assert_int_eq(RM("BIG", "10.50.1.0/24", &a, NULL), POLICY_DENY);
	}
	ck_assert_int_eq(a.ncommunities, 1);
	ck_assert_uint_eq(a.communities[0], C(65000, 49));
	bgp_attr_clear(&a);
}
END_TEST


/* The compiled form of a route-map's prefix-list clauses (one trie per
 * family for all of them) against the lists one by one: random lists of
 * random entries (permit/deny, ge/le), a map whose entries each match one
 * list (some missing) and set local-preference to the entry's number, and
 * random routes. The reference walks the entries in order and asks
 * policy_prefix_list_apply (each list's own trie, tested above). */
START_TEST(rmap_compiled_lists)
{
	char line[128];
	int i, j, k, round;
	unsigned seed = 7;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < 12; i++) {
			int n = 1 + (int)(rand_r(&seed) % 6);

			for (j = 0; j < n; j++) {
				unsigned len = rand_r(&seed) % 25;
				unsigned a = rand_r(&seed) & (len ? ~0u << (32 - len) : 0);
				unsigned ge = 0, le = 0, kind = rand_r(&seed) % 4;
				int w;

				if (kind == 1 && len < 32)
					ge = len + 1 + rand_r(&seed) % (32 - len);
				if (kind == 2 && len < 32)
					le = len + 1 + rand_r(&seed) % (32 - len);
				if (kind == 3 && len < 31) {
					ge = len + 1 + rand_r(&seed) % (31 - len);
					le = ge + rand_r(&seed) % (33 - ge);
				}
				w = snprintf(line, sizeof(line), "ip prefix-list R%d-%d seq %d %s %u.%u.%u.%u/%u",
					     round, i, (j + 1) * 5, rand_r(&seed) % 3 ? "permit" : "deny",
					     a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, len);
				if (ge)
					w += snprintf(line + w, sizeof(line) - (size_t)w, " ge %u", ge);
				if (le)
					snprintf(line + w, sizeof(line) - (size_t)w, " le %u", le);
				OK(line);
			}
		}
		for (i = 0; i < 14; i++) { /* lists 12 and 13 do not exist */
			snprintf(line, sizeof(line), "route-map RC%d %s %d", round,
				 i % 5 == 4 ? "deny" : "permit", (i + 1) * 10);
			OK(line);
			snprintf(line, sizeof(line), "match ip address prefix-list R%d-%d", round, i);
			OK(line);
			if (i % 5 != 4) {
				snprintf(line, sizeof(line), "set local-preference %d", i + 1);
				OK(line);
			}
			OK("exit");
		}
		for (k = 0; k < 3000; k++) {
			unsigned len = rand_r(&seed) % 33;
			unsigned a = rand_r(&seed) & (len ? ~0u << (32 - len) : 0);
			char pfx[32], map[16];
			struct prefix p;
			struct bgp_attr at;
			enum policy_result want = POLICY_DENY, got;
			uint32_t want_lp = 0;

			snprintf(pfx, sizeof(pfx), "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 255,
				 (a >> 8) & 255, a & 255, len);
			p = P(pfx);
			for (i = 0; i < 14; i++) {
				snprintf(line, sizeof(line), "R%d-%d", round, i);
				if (policy_prefix_list_apply(line, &p, NULL) != POLICY_PERMIT)
					continue;
				want = i % 5 == 4 ? POLICY_DENY : POLICY_PERMIT;
				want_lp = (uint32_t)i + 1;
				break;
			}
			bgp_attr_init(&at);
			snprintf(map, sizeof(map), "RC%d", round);
			got = RM(map, pfx, &at, NULL);
			ck_assert_msg(got == want, "%s: route-map %d, lists %d", pfx, got, want);
			if (want == POLICY_PERMIT)
				ck_assert_uint_eq(at.local_pref, want_lp);
			bgp_attr_clear(&at);
		}
		/* a list changed after the map was compiled: the map follows */
		snprintf(line, sizeof(line), "ip prefix-list R%d-0 seq 1 permit 0.0.0.0/0 le 32", round);
		OK(line);
		{
			struct bgp_attr at;

			bgp_attr_init(&at);
			snprintf(line, sizeof(line), "RC%d", round);
			ck_assert_int_eq(RM(line, "203.0.113.7/32", &at, NULL), POLICY_PERMIT);
			ck_assert_uint_eq(at.local_pref, 1);
			bgp_attr_clear(&at);
		}
	}
}
END_TEST

/* policy_route_map_apply_interned against policy_route_map_apply on a
 * copy: the same verdict and attributes, one interned result shared by
 * routes with the same input and entries (the memo), the fallback when a
 * set clause feeds a later match, and the same counters. */
START_TEST(rmap_interned_memo)
{
	static const char *const pfx[] = { "10.1.0.0/24", "10.1.9.0/24", "10.2.0.0/24",
					    "10.3.0.0/24", "192.0.2.0/24" };
	struct bgp_attr a0;
	const struct bgp_attr *in, *o1, *o2;
	struct ipaddr peer;
	uint32_t w;
	bool nhu;
	size_t i;

	OK("ip prefix-list ONE permit 10.1.0.0/16 le 24");
	OK("ip prefix-list TWO permit 10.2.0.0/16 le 24");
	OK("ip prefix-list NOPE permit 10.3.0.0/16 le 24");
	OK("bgp community-list standard HAS1 permit 65000:1");
	/* M: 10 sets community 65000:1 and goes on; 20 (TWO) sets lpref 200;
	 * 30 (NOPE) denies; 40 permits everything else with weight 7 and the
	 * peer's address as next hop */
	OK("route-map M permit 10");
	OK("match ip address prefix-list ONE");
	OK("set community 65000:1 additive");
	OK("on-match next");
	OK("route-map M permit 20");
	OK("match ip address prefix-list TWO");
	OK("set local-preference 200");
	OK("route-map M deny 30");
	OK("match ip address prefix-list NOPE");
	OK("route-map M permit 40");
	OK("set weight 7");
	OK("set ip next-hop peer-address");
	OK("exit");
	/* F: a set community feeds a match community (no memo possible) */
	OK("route-map F permit 10");
	OK("set community 65000:1");
	OK("on-match next");
	OK("route-map F permit 20");
	OK("match community HAS1");
	OK("set local-preference 300");
	OK("exit");

	bgp_attr_init(&a0);
	a0.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a0.nexthop = ipaddr_v4(0x0a000001);
	in = bgp_attr_intern(&a0);
	ck_assert_int_eq(ipaddr_parse("10.255.0.9", &peer), 0);
	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		const char *maps[] = { "M", "F" };
		int k;

		for (k = 0; k < 2; k++) {
			struct prefix p = P(pfx[i]);
			struct bgp_attr t;
			struct policy_route r;
			uint32_t rw = 0;
			enum policy_result want, got;

			bgp_attr_init(&t);
			bgp_attr_copy(&t, in);
			memset(&r, 0, sizeof(r));
			r.pfx = &p;
			r.attr = &t;
			r.weight = &rw;
			r.peer_addr = &peer;
			want = policy_route_map_apply(maps[k], &r, NULL);
			got = policy_route_map_apply_interned(maps[k], &p, in, &peer, NULL, &o1, &w, &nhu);
			ck_assert_msg(got == want, "%s %s", maps[k], pfx[i]);
			if (got == POLICY_PERMIT) {
				ck_assert_msg(bgp_attr_equal(o1, &t), "%s %s: attributes differ", maps[k], pfx[i]);
				ck_assert_uint_eq(w, rw);
				/* again: the memo gives the very same object */
				ck_assert_int_eq(policy_route_map_apply_interned(maps[k], &p, in, &peer, NULL,
										 &o2, &w, &nhu),
						 POLICY_PERMIT);
				ck_assert_ptr_eq(o1, o2);
				bgp_attr_unref(o2);
				bgp_attr_unref(o1);
			} else {
				ck_assert_ptr_null(o1);
			}
			bgp_attr_clear(&t);
		}
	}
	/* by hand: 10.1.0.0/24 through M: 65000:1, then entry 40: weight 7,
	 * next hop 10.255.0.9; through F: community 65000:1 then lpref 300 */
	{
		struct prefix p = P("10.1.0.0/24");

		ck_assert_int_eq(policy_route_map_apply_interned("M", &p, in, &peer, NULL, &o1, &w, &nhu),
				 POLICY_PERMIT);
		ck_assert_uint_eq(o1->ncommunities, 1);
		ck_assert_uint_eq(o1->communities[0], C(65000, 1));
		ck_assert_uint_eq(w, 7);
		ck_assert_int_eq(ipaddr_equal(&o1->nexthop, &peer), 1);
		bgp_attr_unref(o1);
		ck_assert_int_eq(policy_route_map_apply_interned("F", &p, in, &peer, NULL, &o1, &w, &nhu),
				 POLICY_PERMIT);
		ck_assert_uint_eq(o1->local_pref, 300);
		bgp_attr_unref(o1);
	}
	/* the counters count the interned applications as the plain ones: per
	 * prefix, M ran once plain, once interned and, for the 4 permitted,
	 * once more from the memo (4 x 3 + 1 x 2), then once by hand: 15; entry
	 * 10 matched the two 10.1 routes 3 times each and once by hand: 7;
	 * 20: 3; 30 (deny, 10.3): 2; 40: (2 + 1) x 3 + 1 = 10 */
	out_reset();
	X("do show route-map M json");
	ck_assert_msg(strstr(OUT(), "\"invoked\":15") != NULL, "%s", OUT());
	{
		const char *e10 = strstr(OUT(), "\"invoked\":7"), *e20 = strstr(OUT(), "\"invoked\":3"),
			   *e30 = strstr(OUT(), "\"invoked\":2"), *e40 = strstr(OUT(), "\"invoked\":10");

		ck_assert_msg(e10 && e20 && e30 && e40 && e10 < e20 && e20 < e30 && e30 < e40, "%s",
			      OUT());
	}
	/* a changed map is not served from the memo */
	OK("route-map M permit 20");
	OK("set local-preference 250");
	OK("exit");
	{
		struct prefix p = P("10.2.0.0/24");

		ck_assert_int_eq(policy_route_map_apply_interned("M", &p, in, &peer, NULL, &o1, &w, &nhu),
				 POLICY_PERMIT);
		ck_assert_uint_eq(o1->local_pref, 250);
		bgp_attr_unref(o1);
	}
	bgp_attr_unref(in);
	bgp_attr_clear(&a0);
}
END_TEST


/* match metric / local-preference (FRR: no MED counts as metric 0; no
 * LOCAL_PREF never matches a value) */
START_TEST(rmap_match_values)
{
	struct bgp_attr a;

	OK("route-map V permit 10");
	OK("match metric 7");
	OK("set weight 1");
	OK("route-map V permit 20");
	OK("match local-preference 300");
	OK("set weight 2");
	OK("route-map V permit 30");
	OK("match metric 0");
	OK("set weight 3");
	OK("exit");
	bgp_attr_init(&a);
	{
		struct prefix p = P("10.0.0.0/8");
		uint32_t w = 0;
		struct policy_route r = { .pfx = &p, .attr = &a, .weight = &w };

		/* no MED, no LOCAL_PREF: metric 0 -> entry 30 */
		ck_assert_int_eq(policy_route_map_apply("V", &r, NULL), POLICY_PERMIT);
		ck_assert_uint_eq(w, 3);
		a.present |= BGP_ATTR_BIT(BGP_ATTR_MED) | BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
		a.med = 7;
		a.local_pref = 300;
		ck_assert_int_eq(policy_route_map_apply("V", &r, NULL), POLICY_PERMIT);
		ck_assert_uint_eq(w, 1);
		a.med = 8;
		ck_assert_int_eq(policy_route_map_apply("V", &r, NULL), POLICY_PERMIT);
		ck_assert_uint_eq(w, 2);
		a.local_pref = 100;
		ck_assert_int_eq(policy_route_map_apply("V", &r, NULL), POLICY_DENY);
	}
	bgp_attr_clear(&a);
	X("do show running-config");
	X("do show route-map V");
	ck_assert_msg(strstr(OUT(), "metric 7") != NULL && strstr(OUT(), "local-preference 300") != NULL,
		      "%s", OUT());
	OK("route-map V permit 10");
	OK("no match metric");
	ck_assert_int_ne(X("no match metric"), CMD_SUCCESS);
	OK("exit");
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, plist_edges);
	tcase_add_test(tc, plist_refused);
	tcase_add_test(tc, aspath_regex);
	tcase_add_test(tc, community_lists);
	tcase_add_test(tc, ext_and_large);
	tcase_add_test(tc, rmap_flow);
	tcase_add_test(tc, rmap_call_loop);
	tcase_add_test(tc, rmap_sets);
	tcase_add_test(tc, running_config_round_trip);
	tcase_add_test(tc, show_commands);
	tcase_add_test(tc, sub_mode);
	tcase_add_test(tc, change_hook);
	tcase_add_test(tc, change_hook_coalesced);
	tcase_add_test(tc, apply_cost);
	tcase_add_test(tc, rmap_compiled_lists);
	tcase_add_test(tc, rmap_interned_memo);
	tcase_add_test(tc, rmap_match_values);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(policy_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
