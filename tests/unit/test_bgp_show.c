/* Streamed BGP table dumps (mpbgp/bgp_show.c): `show bgp ipv4 vpn [json]`
 * over a table larger than one pass of the cursor (DUMP_BATCH keys), run
 * whole (a synchronous session) and in steps (an async session, as the
 * control socket runs it) with the table changed between steps. The JSON
 * is json-c's own text (parsed and printed again it is the same bytes),
 * grouped by RD in the RIB's order, each prefix once; what a dump shows of
 * a table that changes under it is what bgp_show.c promises: routes present
 * throughout are shown, routes removed before their turn are not, routes
 * added ahead of the cursor are, routes added behind it are not. */
#include "config.h"

#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/rib.h"
#include "mpbgp/speaker.h"
#include "vrf/vrf.h"

#define NROUTES 70000 /* more than one pass (65536 keys) */

static mpls_label_t lbl_alloc(const struct label_owner *own)
{
	(void)own;
	return 1000;
}

static int lbl_alloc_specific(mpls_label_t l, const struct label_owner *own, char *err,
			      size_t errlen)
{
	(void)l;
	(void)own;
	(void)err;
	(void)errlen;
	return 0;
}

static void lbl_release(mpls_label_t l)
{
	(void)l;
}

static const struct speaker_label_ops lops = { lbl_alloc, lbl_alloc_specific, lbl_release };

static uint32_t rid(void)
{
	return 0x0aff0001;
}

static struct bgp *def;
static struct bgp_peer *peer;
static struct cli *cli;
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

static struct bgp_prefix key(unsigned rd, unsigned i)
{
	struct bgp_prefix k;
	char s[64], err[64];

	memset(&k, 0, sizeof(k));
	snprintf(s, sizeof(s), "65000:%u", rd);
	ck_assert_int_eq(rd_parse(s, &k.rd, err, sizeof(err)), 0);
	snprintf(s, sizeof(s), "10.%u.%u.0/24", (i >> 8) & 255, i & 255);
	ck_assert_int_eq(prefix_parse(s, &k.pfx, NULL), 0);
	return k;
}

static struct bgp_rib_src src_peer(void)
{
	struct bgp_rib_src s = { BGP_SRC_PEER, peer, NULL, NULL };

	return s;
}

static void add(unsigned rd, unsigned i)
{
	struct bgp_rib_src src = src_peer();
	struct bgp_nlri n;
	struct bgp_attr a;
	const struct bgp_attr *ia;

	memset(&n, 0, sizeof(n));
	n.p = key(rd, i);
	n.nlabels = 1;
	n.labels[0] = 100 + rd;
	bgp_attr_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		    BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	a.local_pref = 100 + (i % 3);
	ck_assert_int_eq(ipaddr_parse("10.255.0.3", &a.nexthop), 0);
	ia = bgp_attr_intern(&a);
	bgp_attr_clear(&a);
	ck_assert_ptr_nonnull(bgp_rib_update(def->rib[BGP_AF_VPNV4], &src, &n, ia, 0));
	bgp_attr_unref(ia);
}

static void del(unsigned rd, unsigned i)
{
	struct bgp_rib_src src = src_peer();
	struct bgp_prefix k = key(rd, i);

	ck_assert_int_eq(bgp_rib_withdraw(def->rib[BGP_AF_VPNV4], &src, &k), 0);
}

/* 7 RDs (65000:1..7) of 10000 prefixes each, inserted out of order */
static void fill(void)
{
	unsigned j;

	for (j = 0; j < NROUTES; j++) {
		unsigned x = (j * 7919u) % NROUTES;

		add(1 + x / 10000, x % 10000);
	}
	ck_assert_uint_eq(bgp_rib_dest_count(def->rib[BGP_AF_VPNV4]), NROUTES);
}

static void setup(void)
{
	char err[128];
	struct ipaddr pa;

	log_init("test_bgp_show", true, false);
	vrf_init();
	speaker_init(rid, &lops);
	cmd_init();
	bgp_show_init();
	def = bgp_create(65000, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(def);
	ck_assert_int_eq(ipaddr_parse("10.255.0.3", &pa), 0);
	peer = bgp_peer_create(def, &pa, 65000);
	ck_assert_ptr_nonnull(peer);
	cli = cli_new(out_write, NULL);
	out_len = 0;
}

static void teardown(void)
{
	cli_free(cli);
	speaker_fini();
	vrf_fini();
	cmd_fini();
	free(out);
	out = NULL;
	out_len = out_cap = 0;
}

/* Checks the document's form and order; returns it; *seen[rd][i] marks
 * the prefixes shown (rd 1..8, i < 10000). */
static json_object *check_doc(unsigned char seen[9][10000])
{
	json_object *doc = json_tokener_parse(out), *rds, *tot;
	const char *again;
	struct bgp_prefix prev;
	bool have_prev = false;
	long long n = 0;

	ck_assert_ptr_nonnull(doc);
	again = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE);
	ck_assert_uint_eq(strlen(again) + 1, out_len);
	ck_assert_int_eq(memcmp(again, out, out_len - 1), 0);
	ck_assert(json_object_object_get_ex(json_object_object_get(doc, "routes"),
					    "routeDistinguishers", &rds));
	json_object_object_foreach(rds, rdk, pfxs)
	{
		json_object_object_foreach(pfxs, pk, paths)
		{
			struct bgp_prefix k;
			char err[64];
			unsigned r, a, b;

			memset(&k, 0, sizeof(k));
			ck_assert_int_eq(rd_parse(rdk, &k.rd, err, sizeof(err)), 0);
			ck_assert_int_eq(prefix_parse(pk, &k.pfx, NULL), 0);
			if (have_prev) {
				int c = memcmp(prev.rd.b, k.rd.b, 8);

				ck_assert(c < 0 || (c == 0 && prefix_cmp(&prev.pfx, &k.pfx) < 0));
			}
			prev = k;
			have_prev = true;
			ck_assert_int_eq(sscanf(rdk, "65000:%u", &r), 1);
			ck_assert_int_eq(sscanf(pk, "10.%u.%u.0/24", &a, &b), 2);
			ck_assert_uint_le(r, 8);
			ck_assert_int_eq(seen[r][a * 256 + b], 0);
			seen[r][a * 256 + b] = 1;
			ck_assert_uint_eq(json_object_array_length(paths), 1);
			n++;
		}
	}
	ck_assert(json_object_object_get_ex(doc, "totalRoutes", &tot));
	ck_assert_int_eq(json_object_get_int64(tot), n);
	return doc;
}

static unsigned char seen[9][10000];

START_TEST(t_whole)
{
	json_object *doc;
	unsigned r, i;

	fill();
	ck_assert_int_eq(cli_execute(cli, "show bgp ipv4 vpn json"), CMD_SUCCESS);
	memset(seen, 0, sizeof(seen));
	doc = check_doc(seen);
	for (r = 1; r <= 7; r++)
		for (i = 0; i < 10000; i++)
			ck_assert_int_eq(seen[r][i], 1);
	json_object_put(doc);
	out_len = 0;
	ck_assert_int_eq(cli_execute(cli, "show bgp ipv4 vpn"), CMD_SUCCESS);
	ck_assert_ptr_nonnull(strstr(out, "Route Distinguisher: 65000:1\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nDisplayed 70000 routes\n"));
	ck_assert_ptr_null(strstr(out, "Route Distinguisher: 65000:8"));
}
END_TEST

START_TEST(t_changes)
{
	json_object *doc;
	unsigned i, steps = 0;
	struct ipaddr pa;
	int rc;

	fill();
	cli_set_async(cli, true);
	ck_assert_int_eq(cli_execute(cli, "show bgp ipv4 vpn json"), CMD_SUCCESS);
	ck_assert(cli_pending(cli));
	/* into RD 65000:3, within the first pass */
	while (strstr(out, "\"65000:3\"") == NULL) {
		ck_assert_int_eq(cli_resume(cli, CMD_SUCCESS), CMD_PENDING);
		steps++;
	}
	ck_assert_uint_gt(steps, 10);
	/* behind the cursor: gone and new; ahead: gone, new, changed */
	for (i = 0; i < 10000; i += 2) {
		del(1, i);
		del(6, i);
		add(7, i); /* same key: replaced in place */
	}
	del(2, 5);
	for (i = 0; i < 100; i++) {
		add(8, i);
		add(0, i); /* RD 65000:0 sorts first: behind the cursor */
	}
	while ((rc = cli_resume(cli, CMD_SUCCESS)) == CMD_PENDING)
		;
	ck_assert_int_eq(rc, CMD_SUCCESS);
	ck_assert(!cli_pending(cli));
	memset(seen, 0, sizeof(seen));
	doc = check_doc(seen);
	for (i = 0; i < 10000; i++) {
		ck_assert_int_eq(seen[1][i], 1);          /* written before the change */
		ck_assert_int_eq(seen[6][i], i % 2);      /* removed before its turn */
		ck_assert_int_eq(seen[7][i], 1);
		ck_assert_int_eq(seen[4][i], 1);
		ck_assert_int_eq(seen[2][i], 1);          /* RD 2 was written already */
	}
	for (i = 0; i < 100; i++) {
		ck_assert_int_eq(seen[8][i], 1); /* added ahead of the cursor */
		ck_assert_int_eq(seen[0][i], 0); /* added behind it */
	}
	json_object_put(doc);

	/* the instance goes away in the middle: the output ends, well formed */
	out_len = 0;
	ck_assert_int_eq(cli_execute(cli, "show bgp ipv4 vpn json"), CMD_SUCCESS);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(cli_resume(cli, CMD_SUCCESS), CMD_PENDING);
	bgp_delete(def);
	def = NULL;
	ck_assert_int_eq(cli_resume(cli, CMD_SUCCESS), CMD_SUCCESS);
	memset(seen, 0, sizeof(seen));
	json_object_put(check_doc(seen));

	/* a session that ends in the middle frees the dump (checked by the
	 * sanitizer build) */
	out_len = 0;
	ck_assert_int_eq(cli_execute(cli, "show bgp ipv4 vpn"), CMD_ERROR);
	ck_assert(!cli_pending(cli)); /* no instance: refused at once */
	def = bgp_create(65000, NULL, NULL, 0);
	ck_assert_ptr_nonnull(def);
	ck_assert_int_eq(ipaddr_parse("10.255.0.3", &pa), 0);
	peer = bgp_peer_create(def, &pa, 65000); /* the old one went with its instance */
	add(1, 1);
	ck_assert_int_eq(cli_execute(cli, "show bgp ipv4 vpn"), CMD_SUCCESS);
	ck_assert(cli_pending(cli));
	cli_free(cli);
	cli = cli_new(out_write, NULL);
}
END_TEST

/* FRR's per-path fields: a path from an internal peer with an AS path,
 * our own path (network) and a VPN copy exported from a VRF. */
START_TEST(t_fields)
{
	static const uint8_t asp[] = { 2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xea, 1, 1, 0, 0, 0xfd, 0xeb };
	struct bgp_rib_src src = src_peer();
	struct bgp_nlri n;
	struct bgp_attr a;
	const struct bgp_attr *ia;
	struct bgp *vrfb;
	char err[128];
	json_object *doc, *paths, *p, *v;

	memset(&n, 0, sizeof(n));
	n.p = key(1, 1);
	n.nlabels = 1;
	n.labels[0] = 101;
	bgp_attr_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.aspath = malloc(sizeof(asp));
	memcpy(a.aspath, asp, sizeof(asp));
	a.aspath_len = sizeof(asp);
	ck_assert_int_eq(ipaddr_parse("10.255.0.3", &a.nexthop), 0);
	ia = bgp_attr_intern(&a);
	bgp_attr_clear(&a);
	ck_assert_ptr_nonnull(bgp_rib_update(def->rib[BGP_AF_VPNV4], &src, &n, ia, 0));
	/* our own path for the same RD and prefix, from a VRF instance */
	vrfb = bgp_create(65000, "CUST-A", err, sizeof(err));
	ck_assert_ptr_nonnull(vrfb);
	src.src = BGP_SRC_LOCAL;
	src.peer = NULL;
	src.origin_bgp = vrfb;
	ck_assert_ptr_nonnull(bgp_rib_update(def->rib[BGP_AF_VPNV4], &src, &n, ia, 32768));
	bgp_attr_unref(ia);

	ck_assert_int_eq(cli_execute(cli, "show bgp ipv4 vpn rd 65000:1 10.0.1.0/24 json"), CMD_SUCCESS);
	doc = json_tokener_parse(out);
	ck_assert_ptr_nonnull(doc);
	v = json_object_object_get(doc, "65000:1");
	ck_assert_ptr_nonnull(json_object_object_get(v, "advertisedTo"));
	paths = json_object_object_get(v, "paths");
	ck_assert_uint_eq(json_object_array_length(paths), 2);
	for (size_t i = 0; i < 2; i++) {
		const char *pid;

		p = json_object_array_get_idx(paths, i);
		pid = json_object_get_string(json_object_object_get(p, "peerId"));
		if (strcmp(pid, "10.255.0.3") == 0) {
			ck_assert_str_eq(json_object_get_string(json_object_object_get(p, "pathFrom")), "internal");
			ck_assert_str_eq(json_object_to_json_string_ext(json_object_object_get(p, "aspath"),
									JSON_C_TO_STRING_PLAIN),
					 "{\"string\":\"65001 65002 {65003}\",\"segments\":[{\"type\":\"as-sequence\",\"list\":[65001,65002]},{\"type\":\"as-set\",\"list\":[65003]}],\"length\":3}");
			ck_assert_str_eq(json_object_to_json_string_ext(json_object_object_get(p, "peer"),
									JSON_C_TO_STRING_PLAIN),
					 "{\"peerId\":\"10.255.0.3\",\"routerId\":\"0.0.0.0\",\"type\":\"internal\"}");
			ck_assert(!json_object_object_get_ex(p, "nhVrfName", NULL));
		} else {
			ck_assert_str_eq(pid, "(unspec)");
			ck_assert_str_eq(json_object_get_string(json_object_object_get(p, "pathFrom")), "external");
			ck_assert_int_eq(json_object_get_int(json_object_object_get(p, "weight")), 32768);
			ck_assert_str_eq(json_object_get_string(json_object_object_get(p, "nhVrfName")), "CUST-A");
			ck_assert_str_eq(json_object_get_string(json_object_object_get(
						 json_object_object_get(p, "peer"), "peerId")), "0.0.0.0");
		}
	}
	json_object_put(doc);
	/* the short form (no unicast) is the unicast table of the instance */
	out_len = 0;
	ck_assert_int_eq(cli_execute(cli, "show bgp vrf CUST-A ipv4 10.0.1.0/24 json"), CMD_SUCCESS);
	doc = json_tokener_parse(out); /* nothing under that prefix there */
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(json_object_object_length(doc), 0);
	json_object_put(doc);
	out_len = 0;
	ck_assert_int_eq(cli_execute(cli, "show bgp vrf CUST-A ipv4 10.0.1.0/24"), CMD_SUCCESS);
	bgp_delete(vrfb);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bgp_show");
	TCase *tc = tcase_create("dump");
	SRunner *sr;
	int nf;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, t_whole);
	tcase_add_test(tc, t_changes);
	tcase_add_test(tc, t_fields);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
