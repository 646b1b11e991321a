/* mpbgp/explain.c: the chain of `show bgp vrf NAME ipv4 unicast P explain`
 * and `show ip route vrf NAME P explain`, driven without sockets: the real
 * speaker (not started), a VRF instance importing 65000:1, VPN paths put
 * into the default instance's VPNv4 table as if from a peer, and a core
 * route to the remote PE. Cases: imported (RT matched, installed),
 * blocked by route target (both sets named), absent (no VPN route
 * anywhere), no LDP label for the next hop, a static route without BGP,
 * and that explain changes nothing. */
#include "config.h"

#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpbgp/bgp_cfg.h"
#include "mpbgp/explain.h"
#include "mpbgp/rib.h"
#include "mpbgp/speaker.h"
#include "mpbgp/vpn.h"
#include "vrf/vrf.h"

static mpls_label_t next_label = 1000;

static mpls_label_t lbl_alloc(const struct label_owner *own)
{
	(void)own;
	return next_label++;
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

static bool ifstate(const struct vrf *vrf, const char *ifname, int *ifindex)
{
	(void)vrf;
	(void)ifname;
	*ifindex = 2;
	return true;
}

static bool ldp_on;
static bool ldp_enabled(void)
{
	return ldp_on;
}

static struct bgp *def, *ba;
static struct bgp_peer *peer;

static struct prefix P(const char *s)
{
	struct prefix p;

	ck_assert_int_eq(prefix_parse(s, &p, NULL), 0);
	return p;
}

static struct ecomm RT(const char *s)
{
	struct ecomm e;
	char err[64];

	ck_assert_int_eq(ecomm_parse(s, ECOMM_SUB_RT, &e, err, sizeof(err)), 0);
	return e;
}

static void core_route(const char *pfx, const char *gw)
{
	struct rib_nh nh;
	struct prefix p = P(pfx);

	memset(&nh, 0, sizeof(nh));
	ck_assert_int_eq(ipaddr_parse(gw, &nh.gw), 0);
	snprintf(nh.ifname, sizeof(nh.ifname), "eth3");
	ck_assert_int_eq(rib_update(vrf_default()->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
}

/* A VPN route from the peer: RD, prefix, next hop (remote PE), RT, label. */
static void vpn_route(const char *rd, const char *pfx, const char *pe, const char *rt,
		      mpls_label_t label)
{
	struct bgp_rib_src src = { BGP_SRC_PEER, peer, NULL, NULL };
	struct bgp_nlri n;
	struct bgp_attr a;
	const struct bgp_attr *ia;
	char err[64];

	memset(&n, 0, sizeof(n));
	ck_assert_int_eq(rd_parse(rd, &n.p.rd, err, sizeof(err)), 0);
	n.p.pfx = P(pfx);
	n.nlabels = 1;
	n.labels[0] = label;
	bgp_attr_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		    BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) | BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES);
	a.local_pref = 100;
	ck_assert_int_eq(ipaddr_parse(pe, &a.nexthop), 0);
	a.necomms = 1;
	a.ecomms = calloc(1, sizeof(*a.ecomms));
	a.ecomms[0] = RT(rt);
	ia = bgp_attr_intern(&a);
	bgp_attr_clear(&a);
	ck_assert_ptr_nonnull(bgp_rib_update(def->rib[BGP_AF_VPNV4], &src, &n, ia, 0));
	bgp_attr_unref(ia);
}

/* the one FEC LDP has a labelled path for (len 0: none) */
static struct prefix4 labelled_fec;

static bool ldp_labelled(const struct prefix4 *fec)
{
	return labelled_fec.len != 0 && prefix4_equal(fec, &labelled_fec);
}

static void setup(void)
{
	char err[128];
	struct ecomm rt = RT("65000:1");
	struct ipaddr pa;

	vrf_init();
	rib_set_ifstate_fn(ifstate);
	speaker_init(rid, &lops);
	speaker_set_ldp_enabled_fn(ldp_enabled);
	speaker_set_ldp_labelled_fn(ldp_labelled);
	ldp_on = false;
	labelled_fec = (struct prefix4){ 0, 0 };
	def = bgp_create(65000, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(def);
	ba = bgp_create(65000, "CUST-A", err, sizeof(err));
	ck_assert_ptr_nonnull(ba);
	ba->vrf->rd_set = true;
	ck_assert_int_eq(rd_parse("65000:11", &ba->vrf->rd, err, sizeof(err)), 0);
	rt_set_add(&ba->vrf->rt_import, &rt);
	rt_set_add(&ba->vrf->rt_export, &rt);
	ba->import_vpn = true;
	vpn_vrf_refresh(ba);
	ck_assert_int_eq(ipaddr_parse("10.255.0.3", &pa), 0);
	peer = bgp_peer_create(def, &pa, 65000);
	ck_assert_ptr_nonnull(peer);
	core_route("10.255.0.3/32", "10.0.12.2");
}

static void teardown(void)
{
	speaker_fini();
	vrf_fini();
}

/* The step named name (the n-th of that name, from 0), or NULL. */
static json_object *step_of(json_object *doc, const char *name, int nth)
{
	json_object *steps = json_object_object_get(doc, "steps");
	size_t i;

	for (i = 0; i < json_object_array_length(steps); i++) {
		json_object *s = json_object_array_get_idx(steps, i);

		if (strcmp(json_object_get_string(json_object_object_get(s, "step")), name) == 0 &&
		    nth-- == 0)
			return s;
	}
	return NULL;
}

static const char *sget(json_object *o, const char *k)
{
	json_object *v = json_object_object_get(o, k);

	return v != NULL ? json_object_get_string(v) : "";
}

static json_object *explain(const char *pfx, enum explain_scope scope)
{
	struct prefix p = P(pfx);
	json_object *doc = explain_route(ba->vrf, &p, scope);

	ck_assert_int_eq(json_object_get_int(json_object_object_get(doc, "schemaVersion")),
			 EXPLAIN_SCHEMA_VERSION);
	if (getenv("EXPLAIN_DUMP") != NULL) /* to read the documents */
		printf("%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY));
	return doc;
}

START_TEST(t_imported)
{
	json_object *doc, *s;
	struct prefix p = P("192.168.2.0/24");
	size_t routes_before = rib_count(ba->vrf->rib), paths_before;

	vpn_route("65000:1", "192.168.2.0/24", "10.255.0.3", "65000:1", 100);
	ck_assert_ptr_nonnull(rib_lookup_exact(ba->vrf->rib, &p));
	paths_before = bgp_rib_path_count(ba->rib[BGP_AF_IPV4_UNICAST]);
	routes_before = rib_count(ba->vrf->rib);
	doc = explain("192.168.2.0/24", EXPLAIN_BGP);
	ck_assert_str_eq(sget(doc, "result"), "installed");
	ck_assert_ptr_null(json_object_object_get(doc, "firstFailure"));
	s = step_of(doc, "candidatePath", 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(sget(s, "source"), "imported");
	ck_assert_str_eq(sget(s, "rd"), "65000:1");
	ck_assert_str_eq(sget(s, "nexthop"), "10.255.0.3");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(s, "vpnLabel")), 100);
	s = step_of(doc, "importRouteTarget", 0);
	ck_assert_str_eq(sget(s, "status"), "ok");
	ck_assert_str_eq(sget(s, "matched"), "65000:1");
	s = step_of(doc, "nexthopResolution", 0);
	ck_assert_str_eq(sget(s, "status"), "ok");
	ck_assert_str_eq(sget(s, "route"), "10.255.0.3/32");
	ck_assert_str_eq(sget(s, "via"), "10.0.12.2");
	s = step_of(doc, "ldpBinding", 0);
	ck_assert_str_eq(sget(s, "detail"), "LDP not running: labels not required");
	s = step_of(doc, "bestPath", 0);
	ck_assert_str_eq(sget(s, "status"), "ok");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(s, "bestPath")), 1);
	s = step_of(doc, "vrfRib", 0);
	ck_assert_str_eq(sget(s, "status"), "ok");
	ck_assert_str_eq(sget(s, "selectedProtocol"), "bgp");
	s = step_of(doc, "labelStack", 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(s, "vpnLabel")), 100);
	ck_assert_str_eq(sget(step_of(doc, "dataplane", 0), "status"), "info");
	json_object_put(doc);
	/* the same through `show ip route ... explain` */
	doc = explain("192.168.2.0/24", EXPLAIN_ROUTE);
	ck_assert_str_eq(sget(doc, "result"), "installed");
	ck_assert_ptr_nonnull(step_of(doc, "importRouteTarget", 0));
	json_object_put(doc);
	/* read-only */
	ck_assert_uint_eq(bgp_rib_path_count(ba->rib[BGP_AF_IPV4_UNICAST]), paths_before);
	ck_assert_uint_eq(rib_count(ba->vrf->rib), routes_before);
}
END_TEST

START_TEST(t_rt_blocked)
{
	json_object *doc, *ff, *s;

	vpn_route("65000:2", "192.168.3.0/24", "10.255.0.3", "65000:2", 200);
	doc = explain("192.168.3.0/24", EXPLAIN_BGP);
	ck_assert_str_eq(sget(doc, "result"), "absent");
	ff = json_object_object_get(doc, "firstFailure");
	ck_assert_ptr_nonnull(ff);
	ck_assert_str_eq(sget(ff, "step"), "importRouteTarget");
	ck_assert_str_eq(sget(ff, "reason"), "none of 65000:2 in import set 65000:1");
	s = step_of(doc, "vpnRoute", 0);
	ck_assert_str_eq(sget(s, "rd"), "65000:2");
	ck_assert_str_eq(sget(s, "peer"), "10.255.0.3");
	json_object_put(doc);
	/* a second VPN route that is imported turns the blocked one into info */
	vpn_route("65000:1", "192.168.3.0/24", "10.255.0.3", "65000:1", 201);
	doc = explain("192.168.3.0/24", EXPLAIN_BGP);
	ck_assert_str_eq(sget(doc, "result"), "installed");
	ck_assert_ptr_null(json_object_object_get(doc, "firstFailure"));
	s = step_of(doc, "importRouteTarget", 1);
	ck_assert_str_eq(sget(s, "status"), "info");
	json_object_put(doc);
}
END_TEST

START_TEST(t_no_import_vpn)
{
	json_object *doc;

	ba->import_vpn = false;
	vpn_route("65000:1", "192.168.5.0/24", "10.255.0.3", "65000:1", 300);
	doc = explain("192.168.5.0/24", EXPLAIN_BGP);
	ck_assert_str_eq(sget(doc, "result"), "absent");
	ck_assert_str_eq(sget(json_object_object_get(doc, "firstFailure"), "step"), "vpnImport");
	json_object_put(doc);
}
END_TEST

START_TEST(t_absent)
{
	json_object *doc, *ff;

	doc = explain("10.99.0.0/16", EXPLAIN_BGP);
	ck_assert_str_eq(sget(doc, "result"), "absent");
	ff = json_object_object_get(doc, "firstFailure");
	ck_assert_str_eq(sget(ff, "step"), "vpnRoute");
	ck_assert_ptr_nonnull(strstr(sget(ff, "reason"), "no VPN route with this prefix in any RD"));
	json_object_put(doc);
	doc = explain("10.99.0.0/16", EXPLAIN_ROUTE);
	ck_assert_str_eq(sget(doc, "result"), "absent");
	json_object_put(doc);
}
END_TEST

START_TEST(t_no_ldp_label)
{
	json_object *doc, *ff;

	ldp_on = true; /* and no FEC is labelled */
	core_route("10.255.0.4/32", "10.0.12.2");
	vpn_route("65000:1", "192.168.4.0/24", "10.255.0.4", "65000:1", 400);
	doc = explain("192.168.4.0/24", EXPLAIN_BGP);
	ck_assert_str_eq(sget(doc, "result"), "absent");
	ff = json_object_object_get(doc, "firstFailure");
	ck_assert_str_eq(sget(ff, "step"), "ldpBinding");
	ck_assert_str_eq(sget(ff, "reason"), "no LDP label for 10.255.0.4/32");
	ck_assert_str_eq(sget(step_of(doc, "nexthopResolution", 0), "status"), "ok");
	json_object_put(doc);
	/* the binding arrives: the path is valid after revalidation */
	labelled_fec = (struct prefix4){ 0x0aff0004, 32 };
	speaker_ldp_paths_changed();
	bgp_rib_revalidate(def->rib[BGP_AF_VPNV4], NULL);
	doc = explain("192.168.4.0/24", EXPLAIN_BGP);
	ck_assert_str_eq(sget(doc, "result"), "installed");
	ck_assert_str_eq(sget(step_of(doc, "ldpBinding", 0), "status"), "ok");
	json_object_put(doc);
}
END_TEST

START_TEST(t_static_without_bgp)
{
	struct static_route sr;
	json_object *doc, *s;

	memset(&sr, 0, sizeof(sr));
	sr.pfx = P("10.50.0.0/24");
	ck_assert_int_eq(ipaddr_parse("10.1.1.2", &sr.gw), 0);
	snprintf(sr.ifname, sizeof(sr.ifname), "eth1");
	sr.distance = 1;
	ck_assert_int_eq(static_add(ba->vrf, &sr), STATIC_ADDED);
	doc = explain("10.50.0.0/24", EXPLAIN_ROUTE);
	ck_assert_str_eq(sget(doc, "result"), "installed");
	ck_assert_ptr_null(step_of(doc, "candidatePath", 0));
	s = step_of(doc, "vrfRib", 0);
	ck_assert_str_eq(sget(s, "selectedProtocol"), "static");
	ck_assert_str_eq(sget(s, "status"), "ok");
	json_object_put(doc);
}
END_TEST

START_TEST(t_static_beats_bgp)
{
	struct static_route sr;
	json_object *doc, *ff;

	vpn_route("65000:1", "192.168.6.0/24", "10.255.0.3", "65000:1", 600);
	memset(&sr, 0, sizeof(sr));
	sr.pfx = P("192.168.6.0/24");
	ck_assert_int_eq(ipaddr_parse("10.1.1.2", &sr.gw), 0);
	snprintf(sr.ifname, sizeof(sr.ifname), "eth1");
	sr.distance = 1;
	ck_assert_int_eq(static_add(ba->vrf, &sr), STATIC_ADDED);
	doc = explain("192.168.6.0/24", EXPLAIN_BGP);
	ck_assert_str_eq(sget(doc, "result"), "not installed");
	ff = json_object_object_get(doc, "firstFailure");
	ck_assert_str_eq(sget(ff, "step"), "vrfRib");
	ck_assert_ptr_nonnull(strstr(sget(ff, "reason"), "lower distance 1 < 20"));
	json_object_put(doc);
	doc = explain("192.168.6.0/24", EXPLAIN_ROUTE);
	ck_assert_str_eq(sget(doc, "result"), "installed");
	json_object_put(doc);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bgp_explain");
	TCase *tc = tcase_create("explain");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_imported);
	tcase_add_test(tc, t_rt_blocked);
	tcase_add_test(tc, t_no_import_vpn);
	tcase_add_test(tc, t_absent);
	tcase_add_test(tc, t_no_ldp_label);
	tcase_add_test(tc, t_static_without_bgp);
	tcase_add_test(tc, t_static_beats_bgp);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
