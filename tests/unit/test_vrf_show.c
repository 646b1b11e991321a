/* Streamed `show ip route [vrf NAME] [json]` (vrf/vrf_cli.c) over a RIB
 * larger than one pass of its cursor (65536 prefixes), with nested and
 * random IPv4 prefixes and an IPv6 table: the JSON is json-c's own text,
 * its prefixes come in the RIB walk's order (what the json-c tree held),
 * each once; in steps (an async session) with routes removed and added
 * between steps, routes present throughout are shown, those removed ahead
 * of the cursor are not; a VRF deleted mid-dump ends the output well
 * formed; `vrf all` streams every VRF in turn. */
#include "config.h"

#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "vrf/rib.h"
#include "vrf/vrf.h"

#define NROUTES 70000

static struct cli *cli;
static char *out;
static size_t out_len, out_cap;
static struct vrf *va;

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

static unsigned rs = 7;
static unsigned rnd(void)
{
	rs = rs * 1103515245u + 12345u;
	return rs >> 4;
}

static struct prefix pfx4(uint32_t a, uint8_t len)
{
	struct prefix p;

	memset(&p, 0, sizeof(p));
	p.af = AF_INET;
	p.len = len;
	p.v4 = len ? a & (0xffffffffu << (32 - len)) : 0;
	return p;
}

static void route(struct vrf *v, const struct prefix *p, bool add)
{
	struct rib_nh nh;

	memset(&nh, 0, sizeof(nh));
	ck_assert_int_eq(ipaddr_parse(p->af == AF_INET ? "10.0.12.2" : "2001:db8::2", &nh.gw), 0);
	snprintf(nh.ifname, sizeof(nh.ifname), "eth3");
	if (add)
		ck_assert_int_eq(rib_update(v->rib, p, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
	else
		ck_assert_int_eq(rib_withdraw(v->rib, p, RIB_STATIC, 1), 0);
}

static void setup(void)
{
	char err[128];
	int i;

	log_init("test_vrf_show", true, false);
	vrf_init();
	cmd_init();
	vrf_cli_init();
	va = vrf_create("A", err, sizeof(err));
	ck_assert_ptr_nonnull(va);
	/* nested and random prefixes, some twice (replaced) */
	while (rib_count_af(va->rib, AF_INET) < NROUTES) {
		struct prefix p = pfx4(rnd(), (uint8_t)(8 + rnd() % 25));

		route(va, &p, true);
	}
	for (i = 0; i < 300; i++) {
		struct prefix p;

		ck_assert_int_eq(prefix_parse("2001:db8::/32", &p, NULL), 0);
		p.len = (uint8_t)(48 + i % 17);
		p.v6[4] = (uint8_t)i;
		p.v6[5] = (uint8_t)(i >> 8);
		route(va, &p, true);
	}
	cli = cli_new(out_write, NULL);
	out_len = 0;
}

static void teardown(void)
{
	cli_free(cli);
	cmd_fini();
	vrf_fini();
	free(out);
	out = NULL;
	out_len = out_cap = 0;
}

struct order {
	char (*v)[PREFIX_STRLEN];
	size_t n;
};

static int collect(void *arg, struct rib_dest *d)
{
	struct order *o = arg;

	prefix_ntop(&d->pfx, o->v[o->n++], PREFIX_STRLEN);
	return 0;
}

/* the document's prefixes must be the walk's, in order, each once */
static void check_json(int af, const struct order *want)
{
	json_object *doc = json_tokener_parse(out);
	const char *again;
	size_t i = 0;

	ck_assert_ptr_nonnull(doc);
	again = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE);
	ck_assert_uint_eq(strlen(again) + 1, out_len);
	ck_assert_int_eq(memcmp(again, out, out_len - 1), 0);
	json_object_object_foreach(doc, k, v)
	{
		ck_assert_uint_lt(i, want->n);
		ck_assert_str_eq(k, want->v[i]);
		ck_assert_uint_ge(json_object_array_length(v), 1);
		i++;
	}
	ck_assert_uint_eq(i, want->n);
	(void)af;
	json_object_put(doc);
}

START_TEST(t_whole)
{
	struct order o = { calloc(NROUTES + 400, PREFIX_STRLEN), 0 };
	size_t lines = 0;
	char *p;

	rib_walk_af(va->rib, AF_INET, collect, &o);
	ck_assert_uint_gt(o.n, 65536); /* two passes */
	ck_assert_int_eq(cli_execute(cli, "show ip route vrf A json"), CMD_SUCCESS);
	check_json(AF_INET, &o);
	o.n = 0;
	rib_walk_af(va->rib, AF_INET6, collect, &o);
	out_len = 0;
	ck_assert_int_eq(cli_execute(cli, "show ipv6 route vrf A json"), CMD_SUCCESS);
	check_json(AF_INET6, &o);
	/* text: the legend, the VRF line, one line per route */
	out_len = 0;
	ck_assert_int_eq(cli_execute(cli, "show ipv6 route vrf A"), CMD_SUCCESS);
	ck_assert_ptr_nonnull(strstr(out, "\nVRF A:\n"));
	for (p = out; (p = strstr(p, " via 2001:db8::2")) != NULL; p++)
		lines++;
	ck_assert_uint_eq(lines, 300);
	free(o.v);
}
END_TEST

START_TEST(t_changes)
{
	struct order before = { calloc(NROUTES + 400, PREFIX_STRLEN), 0 };
	json_object *doc, *v;
	struct prefix first, far;
	char fs[PREFIX_STRLEN], ls[PREFIX_STRLEN];
	int rc, steps = 0;

	rib_walk_af(va->rib, AF_INET, collect, &before);
	ck_assert_int_eq(prefix_parse(before.v[0], &first, NULL), 0);
	ck_assert_int_eq(prefix_parse(before.v[before.n - 1], &far, NULL), 0);
	snprintf(fs, sizeof(fs), "%s", before.v[0]);
	snprintf(ls, sizeof(ls), "%s", before.v[before.n - 1]);
	cli_set_async(cli, true);
	ck_assert_int_eq(cli_execute(cli, "show ip route vrf A json"), CMD_SUCCESS);
	ck_assert(cli_pending(cli));
	while (out_len < 100000) {
		ck_assert_int_eq(cli_resume(cli, CMD_SUCCESS), CMD_PENDING);
		steps++;
	}
	ck_assert_ptr_nonnull(strstr(out, fs)); /* written already */
	route(va, &first, false);               /* behind the cursor */
	route(va, &far, false);                 /* ahead of it */
	while ((rc = cli_resume(cli, CMD_SUCCESS)) == CMD_PENDING)
		;
	ck_assert_int_eq(rc, CMD_SUCCESS);
	doc = json_tokener_parse(out);
	ck_assert_ptr_nonnull(doc);
	ck_assert(json_object_object_get_ex(doc, fs, &v));
	ck_assert(!json_object_object_get_ex(doc, ls, &v));
	ck_assert_int_eq(json_object_object_length(doc), (int)before.n - 1);
	json_object_put(doc);

	/* the VRF goes away in the middle: the output ends, well formed */
	out_len = 0;
	ck_assert_int_eq(cli_execute(cli, "show ip route vrf A json"), CMD_SUCCESS);
	for (rc = 0; rc < 10; rc++)
		ck_assert_int_eq(cli_resume(cli, CMD_SUCCESS), CMD_PENDING);
	ck_assert_int_eq(vrf_delete(va, NULL, 0), 0);
	va = NULL;
	ck_assert_int_eq(cli_resume(cli, CMD_SUCCESS), CMD_SUCCESS);
	doc = json_tokener_parse(out);
	ck_assert_ptr_nonnull(doc);
	json_object_put(doc);
	free(before.v);
}
END_TEST

/* `vrf all`: the default VRF, then every VRF by name, one member each;
 * json-c's text; a VRF deleted while an earlier one is written is left
 * out, the others are all there. */
START_TEST(t_all)
{
	struct order o = { calloc(NROUTES + 400, PREFIX_STRLEN), 0 };
	static const char *const order[] = { "default", "A", "B", "C", "D" };
	struct vrf *vb, *vc, *vd;
	json_object *doc, *v;
	char err[128];
	const char *again, *p;
	size_t i;
	int rc;

	vd = vrf_create("D", err, sizeof(err));
	vb = vrf_create("B", err, sizeof(err));
	vc = vrf_create("C", err, sizeof(err));
	ck_assert(vb != NULL && vc != NULL && vd != NULL);
	for (i = 0; i < 5; i++) {
		struct prefix pb = pfx4(0x0a000000u + ((uint32_t)i << 8), 24);
		struct prefix pd = pfx4(0xac100000u + ((uint32_t)i << 8), 24);

		route(vb, &pb, true);
		route(vd, &pd, true);
		route(vrf_default(), &pd, true);
	}
	rib_walk_af(va->rib, AF_INET, collect, &o);
	ck_assert_int_eq(cli_execute(cli, "show ip route vrf all json"), CMD_SUCCESS);
	doc = json_tokener_parse(out);
	ck_assert_ptr_nonnull(doc);
	again = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE);
	ck_assert_uint_eq(strlen(again) + 1, out_len);
	ck_assert_int_eq(memcmp(again, out, out_len - 1), 0);
	i = 0;
	json_object_object_foreach(doc, k, val)
	{
		ck_assert_uint_lt(i, 5);
		ck_assert_str_eq(k, order[i]);
		i++;
	}
	ck_assert_uint_eq(i, 5);
	ck_assert(json_object_object_get_ex(doc, "A", &v));
	ck_assert_int_eq(json_object_object_length(v), (int)o.n);
	ck_assert(json_object_object_get_ex(doc, "B", &v));
	ck_assert_int_eq(json_object_object_length(v), 5);
	ck_assert(json_object_object_get_ex(v, "10.0.4.0/24", &v));
	ck_assert(json_object_object_get_ex(doc, "C", &v));
	ck_assert_int_eq(json_object_object_length(v), 0);
	ck_assert(json_object_object_get_ex(doc, "default", &v));
	ck_assert_int_eq(json_object_object_length(v), 5);
	json_object_put(doc);

	/* text: the legend once, then each VRF's line in order */
	out_len = 0;
	ck_assert_int_eq(cli_execute(cli, "show ip route vrf all"), CMD_SUCCESS);
	ck_assert_ptr_eq(strstr(out, "Codes:"), out);
	p = out;
	for (i = 0; i < 5; i++) {
		char hdr[32];

		snprintf(hdr, sizeof(hdr), "\nVRF %s:\n", order[i]);
		ck_assert_ptr_nonnull(p = strstr(p, hdr));
	}

	/* B deleted while A is written: default, A, C, D */
	out_len = 0;
	cli_set_async(cli, true);
	ck_assert_int_eq(cli_execute(cli, "show ip route vrf all json"), CMD_SUCCESS);
	while (strstr(out, "\"A\":") == NULL)
		ck_assert_int_eq(cli_resume(cli, CMD_SUCCESS), CMD_PENDING);
	ck_assert_int_eq(vrf_delete(vb, NULL, 0), 0);
	while ((rc = cli_resume(cli, CMD_SUCCESS)) == CMD_PENDING)
		;
	ck_assert_int_eq(rc, CMD_SUCCESS);
	doc = json_tokener_parse(out);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(json_object_object_length(doc), 4);
	ck_assert(!json_object_object_get_ex(doc, "B", &v));
	ck_assert(json_object_object_get_ex(doc, "D", &v));
	ck_assert_int_eq(json_object_object_length(v), 5);
	ck_assert(json_object_object_get_ex(doc, "A", &v));
	ck_assert_int_eq(json_object_object_length(v), (int)o.n);
	json_object_put(doc);

	/* with a prefix: not streamed, still one member per VRF */
	out_len = 0;
	cli_set_async(cli, false);
	ck_assert_int_eq(cli_execute(cli, "show ip route vrf all 172.16.3.0/24 json"), CMD_SUCCESS);
	doc = json_tokener_parse(out);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(json_object_object_length(doc), 4);
	ck_assert(json_object_object_get_ex(doc, "D", &v));
	ck_assert(json_object_object_get_ex(v, "172.16.3.0/24", &v));
	json_object_put(doc);
	free(o.v);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vrf_show");
	TCase *tc = tcase_create("dump");
	SRunner *sr;
	int nf;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, t_whole);
	tcase_add_test(tc, t_changes);
	tcase_add_test(tc, t_all);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
