/* Policy attachment points of the BGP speaker (mpbgp/neighbor_cli.c,
 * peer_filter.c, rib.c's denied paths) driven through the real command
 * engine, without sockets: inbound route-map deny kept in the Adj-RIB-In
 * and re-accepted after a policy change (no reset); prefix-list in;
 * outbound route-map deny withdraws from the Adj-RIB-Out; network
 * route-map; peer-group inheritance, overrides and the running-config
 * round trip. The policy objects are configured with their own commands
 * (`route-map ...`, `ip prefix-list ...`) from policy_cli.c. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "lib/wbuf.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/peer_filter.h"
#include "mpbgp/policy.h"
#include "mpbgp/rib.h"
#include "mpbgp/speaker.h"
#include "vrf/vrf.h"

static char out[65536];
static size_t out_len;
static struct cli *cli;

static void out_write(void *arg, const char *buf, size_t len)
{
	(void)arg;
	if (out_len + len >= sizeof(out))
		len = sizeof(out) - out_len - 1;
	memcpy(out + out_len, buf, len);
	out_len += len;
	out[out_len] = '\0';
}

static mpls_label_t lab_alloc(const struct label_owner *own)
{
	static mpls_label_t next = 100;

	(void)own;
	return next++;
}

static int lab_alloc_specific(mpls_label_t l, const struct label_owner *own, char *err, size_t len)
{
	(void)l;
	(void)own;
	(void)err;
	(void)len;
	return 0;
}

static void lab_release(mpls_label_t l)
{
	(void)l;
}

static const struct speaker_label_ops lops = { lab_alloc, lab_alloc_specific, lab_release };

static uint32_t rid(void)
{
	return 0x0a000001;
}

/* Runs configuration lines (from `configure`), failing the test on an error. */
static void conf(const char *lines)
{
	char buf[4096], *l, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", lines);
	for (l = strtok_r(buf, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
		int rc;

		out_len = 0;
		out[0] = '\0';
		rc = cli_execute(cli, l);
		ck_assert_msg(rc == CMD_SUCCESS || rc == CMD_WARNING, "\"%s\": %d %s", l, rc, out);
	}
}

static const char *run(const char *line)
{
	out_len = 0;
	out[0] = '\0';
	cli_execute(cli, line);
	return out;
}

static void setup(void)
{
	log_init("test_bgp_policy_attach", true, false);
	cmd_init();
	cmd_node_install(NODE_VIEW, "view", NODE_VIEW);
	cmd_node_install(NODE_CONFIG, "config", NODE_VIEW);
	cmd_node_install(NODE_VRF, "config-vrf", NODE_CONFIG);
	cmd_node_install(NODE_BGP, "config-router", NODE_CONFIG);
	cmd_node_install(NODE_BGP_AF, "config-router-af", NODE_BGP);
	vrf_init();
	bgp_cli_init();
	bgp_show_init();
	policy_cli_init();
	speaker_init(rid, &lops);
	/* speaker_start's wiring; no event base: the hook runs at once */
	policy_set_event_base(NULL);
	policy_set_change_hook(bgp_policy_changed);
	cli = cli_new(out_write, NULL);
	/* these tests are about attachments: RFC 8212 off (its own test below) */
	conf("configure\nrouter bgp 65000\n bgp router-id 10.0.0.1\n no bgp ebgp-requires-policy\n"
	     " neighbor 10.0.0.2 remote-as 65010\n");
}

static void teardown(void)
{
	cli_free(cli);
	bgp_fini();
	policy_fini();
	cmd_fini();
}

static struct bgp_peer *peer2(void)
{
	struct ipaddr a = ipaddr_v4(0x0a000002);

	return bgp_peer_lookup(bgp_default_instance(), &a);
}

static struct bgp_rib *v4rib(void)
{
	struct bgp_rib *rib = bgp_default_instance()->rib[BGP_AF_IPV4_UNICAST];

	bgp_rib_set_nh(rib, NULL, NULL); /* every next hop accessible */
	return rib;
}

/* A route from 10.0.0.2 as the speaker's UPDATE path takes it. */
static void receive(const char *pfx, uint32_t med)
{
	struct bgp_peer *p = peer2();
	struct bgp_nlri n;
	struct bgp_attr a;
	const struct bgp_attr *ia;

	memset(&n, 0, sizeof(n));
	ck_assert_int_eq(prefix_parse(pfx, &n.p.pfx, NULL), 0);
	bgp_attr_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP) | BGP_ATTR_BIT(BGP_ATTR_MED);
	a.nexthop = ipaddr_v4(0x0a000002);
	a.med = med;
	bgp_aspath_prepend(&a, 65010);
	ia = bgp_attr_intern(&a);
	bgp_attr_clear(&a);
	/* as speaker.c: through policy when there is some, or RFC 8212 applies */
	bgp_policy_ingest(v4rib(), p,
			  bgp_peer_has_policy(p, BGP_AF_IPV4_UNICAST, BGP_DIR_IN) ||
				  bgp_ebgp_policy_missing(p, BGP_AF_IPV4_UNICAST, BGP_DIR_IN),
			  &n, ia);
	bgp_attr_unref(ia);
}

static struct bgp_path *path_of(const char *pfx)
{
	struct bgp_prefix k;
	struct bgp_dest *d;

	memset(&k, 0, sizeof(k));
	prefix_parse(pfx, &k.pfx, NULL);
	d = bgp_rib_lookup(v4rib(), &k);
	return d != NULL ? d->paths : NULL;
}

START_TEST(test_inbound_deny_kept_then_accepted)
{
	struct bgp_peer *p = peer2();
	struct bgp_path *path;

	conf("address-family ipv4 unicast\n neighbor 10.0.0.2 route-map IN in\n");
	receive("10.1.0.0/16", 5);
	/* route-map IN does not exist: denied, kept in the Adj-RIB-In */
	path = path_of("10.1.0.0/16");
	ck_assert_ptr_nonnull(path);
	ck_assert(path->flags & BGP_PATH_DENIED);
	ck_assert(!(path->flags & BGP_PATH_VALID));
	ck_assert_ptr_null(bgp_rib_path_dest(path)->best);
	ck_assert_uint_eq(bgp_rib_peer_path_count(v4rib(), p), 0);
	ck_assert_uint_eq(bgp_rib_peer_received_count(v4rib(), p), 1);
	ck_assert_ptr_nonnull(strstr(run("do show bgp ipv4 unicast json"), "\"totalRoutes\":0"));
	/* the route-map appears: re-evaluated from the Adj-RIB-In, no session reset */
	conf("exit\nexit\nroute-map IN permit 10\n set local-preference 200\n"
	     " set community 65000:7 no-export additive\nexit\n");
	path = path_of("10.1.0.0/16");
	/* FRR's community object in the path JSON, well-known names as FRR prints them */
	{
		const char *o = run("do show bgp ipv4 unicast 10.1.0.0/16 json"), *c = strstr(o, "\"community\":{");

		ck_assert_msg(c != NULL, "%s", o);
		ck_assert_ptr_nonnull(strstr(c, "\"string\":\"65000:7 no-export\""));
		ck_assert_ptr_nonnull(strstr(c, "\"65000:7\""));
		ck_assert_ptr_nonnull(strstr(c, "\"no-export\""));
	}
	ck_assert(!(path->flags & BGP_PATH_DENIED));
	ck_assert(path->flags & BGP_PATH_VALID);
	ck_assert(path->flags & BGP_PATH_BEST);
	ck_assert_uint_eq(path->attr->local_pref, 200);
	ck_assert_ptr_nonnull(path->attr_in);
	ck_assert(!(path->attr_in->present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF)));
	ck_assert_uint_eq(bgp_rib_peer_path_count(v4rib(), p), 1);
	ck_assert_ptr_nonnull(strstr(run("do show bgp ipv4 unicast json"), "\"totalRoutes\":1"));
	/* the attachment goes: back to what was received */
	conf("router bgp 65000\naddress-family ipv4 unicast\n no neighbor 10.0.0.2 route-map IN in\n");
	path = path_of("10.1.0.0/16");
	ck_assert_ptr_null(path->attr_in);
	ck_assert(!(path->attr->present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF)));
	ck_assert(path->flags & BGP_PATH_BEST);
	/* a route-map that denies everything: the path stays, denied */
	conf("exit\nexit\nroute-map NONE deny 10\nexit\nrouter bgp 65000\naddress-family ipv4 unicast\n"
	     " neighbor 10.0.0.2 route-map NONE in\n");
	path = path_of("10.1.0.0/16");
	ck_assert(path->flags & BGP_PATH_DENIED);
	ck_assert_uint_eq(bgp_rib_peer_path_count(v4rib(), p), 0);
	ck_assert_uint_eq(bgp_rib_peer_received_count(v4rib(), p), 1);
}
END_TEST

static const char *bgp_section(void);

/* RFC 8212, FRR's `bgp ebgp-requires-policy` (on by default): an eBGP
 * neighbor without inbound policy gets nothing in; show bgp neighbors says
 * why, in FRR's words; `no bgp ebgp-requires-policy` or a route-map lets
 * the kept routes in without a session reset. */
START_TEST(test_ebgp_requires_policy)
{
	struct bgp_peer *p = peer2();
	const char *o;

	conf("bgp ebgp-requires-policy\n");
	ck_assert(bgp_default_instance()->ebgp_requires_policy);
	ck_assert(bgp_ebgp_policy_missing(p, BGP_AF_IPV4_UNICAST, BGP_DIR_IN));
	ck_assert(bgp_ebgp_policy_missing(p, BGP_AF_IPV4_UNICAST, BGP_DIR_OUT));
	receive("10.1.0.0/16", 0);
	ck_assert(path_of("10.1.0.0/16")->flags & BGP_PATH_DENIED);
	ck_assert_uint_eq(bgp_rib_peer_path_count(v4rib(), p), 0);
	o = run("do show bgp neighbors 10.0.0.2 json");
	ck_assert_msg(strstr(o, "\"inboundEbgpRequiresPolicy\":\"Inbound updates discarded due to "
				"missing policy\"") != NULL, "%s", o);
	ck_assert_ptr_nonnull(strstr(o, "\"outboundEbgpRequiresPolicy\":\"Outbound updates discarded "
					"due to missing policy\""));
	o = run("do show bgp neighbors 10.0.0.2");
	ck_assert_msg(strstr(o, "  For address family: ipv4 unicast\n"
				"    Inbound updates discarded due to missing policy\n"
				"    Outbound updates discarded due to missing policy\n") != NULL, "%s", o);
	ck_assert_ptr_null(strstr(bgp_section(), "ebgp-requires-policy"));
	/* off: the kept route comes in, and the running config says so */
	conf("no bgp ebgp-requires-policy\n");
	ck_assert(path_of("10.1.0.0/16")->flags & BGP_PATH_BEST);
	ck_assert_uint_eq(bgp_rib_peer_path_count(v4rib(), p), 1);
	ck_assert_ptr_null(strstr(run("do show bgp neighbors 10.0.0.2 json"), "EbgpRequiresPolicy"));
	ck_assert_ptr_nonnull(strstr(bgp_section(), "\n no bgp ebgp-requires-policy\n"));
	/* on again: denied again */
	conf("bgp ebgp-requires-policy\n");
	ck_assert(path_of("10.1.0.0/16")->flags & BGP_PATH_DENIED);
	/* an inbound route-map is policy: in, while outbound still lacks one */
	conf("exit\nroute-map ALL permit 10\nexit\nrouter bgp 65000\naddress-family ipv4 unicast\n"
	     " neighbor 10.0.0.2 route-map ALL in\n");
	ck_assert(path_of("10.1.0.0/16")->flags & BGP_PATH_BEST);
	o = run("do show bgp neighbors 10.0.0.2 json");
	ck_assert_ptr_null(strstr(o, "inboundEbgpRequiresPolicy"));
	ck_assert_ptr_nonnull(strstr(o, "outboundEbgpRequiresPolicy"));
	/* an iBGP neighbor needs no policy */
	conf("exit\n neighbor 10.0.0.9 remote-as internal\n");
	{
		struct ipaddr a9 = ipaddr_v4(0x0a000009);

		ck_assert(!bgp_ebgp_policy_missing(bgp_peer_lookup(bgp_default_instance(), &a9),
						   BGP_AF_IPV4_UNICAST, BGP_DIR_IN));
	}
}
END_TEST

START_TEST(test_prefix_list_in)
{
	struct bgp_peer *p = peer2();

	conf("exit\nip prefix-list PL seq 5 permit 10.1.0.0/16 le 24\n"
	     "router bgp 65000\naddress-family ipv4 unicast\n neighbor 10.0.0.2 prefix-list PL in\n");
	receive("10.1.0.0/16", 0);
	receive("10.1.2.0/24", 0);
	receive("10.2.0.0/16", 0);
	ck_assert(path_of("10.1.0.0/16")->flags & BGP_PATH_BEST);
	ck_assert(path_of("10.1.2.0/24")->flags & BGP_PATH_BEST);
	ck_assert(path_of("10.2.0.0/16")->flags & BGP_PATH_DENIED);
	ck_assert_uint_eq(bgp_rib_peer_path_count(v4rib(), p), 2);
	ck_assert_ptr_nonnull(strstr(run("do show bgp neighbors 10.0.0.2 json"),
				     "\"incomingUpdatePrefixFilterList\":\"PL\""));
	/* a peer not active in a family is not in its summary (and, under
	 * LeakSanitizer, leaves no object behind: it used to leak one) */
	{
		const char *o = run("do show bgp ipv4 vpn summary json");

		ck_assert_msg(strstr(o, "\"peers\"") != NULL && strstr(o, "10.0.0.2") == NULL, "%s", o);
		o = run("do show bgp ipv4 unicast summary json");
		ck_assert_msg(strstr(o, "\"10.0.0.2\"") != NULL, "%s", o);
	}
	/* the list grows: the kept route is accepted */
	conf("exit\nexit\nip prefix-list PL seq 10 permit 10.2.0.0/16\n");
	ck_assert(path_of("10.2.0.0/16")->flags & BGP_PATH_BEST);
	ck_assert_uint_eq(bgp_rib_peer_path_count(v4rib(), p), 3);
}
END_TEST

/* ---- outbound, through a real Adj-RIB-Out ---- */

static int nsent;

static int send_count(struct bgp_peer *peer, const uint8_t *msg, size_t len, void *arg)
{
	(void)peer;
	(void)msg;
	(void)len;
	(void)arg;
	nsent++;
	return BGP_SEND_OK;
}

/* speaker.c's export_filter, minus the VPN specifics */
static bool export_with_policy(struct bgp_peer *peer, enum bgp_af af, const struct bgp_dest *dest,
			       const struct bgp_path *best, struct bgp_attr *o,
			       struct bgp_nlri *on, void *arg)
{
	(void)arg;
	if (!bgp_export_default(peer, af, dest, best, o, on))
		return false;
	return !bgp_peer_has_policy(peer, af, BGP_DIR_OUT) ||
	       bgp_policy_out(peer, af, &dest->p, best->attr, o);
}

START_TEST(test_outbound_route_map_withdraw)
{
	struct bgp *b = bgp_default_instance();
	struct bgp_peer *p = peer2();
	struct bgp_rib *rib = bgp_rib_new(b, BGP_AF_IPV4_UNICAST);
	struct bgp_adjout_ops ops = { export_with_policy, send_count, NULL };
	struct bgp_rib_src src = { BGP_SRC_LOCAL, NULL, b, NULL };
	struct bgp_nlri n;
	struct bgp_attr a;
	const struct bgp_attr *ia, *adv;

	bgp_adjout_attach(rib, &ops);
	p->state = BGP_ST_ESTABLISHED;
	p->af_nego[BGP_AF_IPV4_UNICAST] = true;
	p->local_addr = ipaddr_v4(0x0a000001);
	memset(&n, 0, sizeof(n));
	prefix_parse("192.0.2.0/24", &n.p.pfx, NULL);
	bgp_attr_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	ia = bgp_attr_intern(&a);
	bgp_attr_clear(&a);
	bgp_rib_update(rib, &src, &n, ia, 32768);
	bgp_attr_unref(ia);
	conf("exit\nroute-map OUT permit 10\n set metric 77\nexit\n"
	     "router bgp 65000\naddress-family ipv4 unicast\n neighbor 10.0.0.2 route-map OUT out\n");
	bgp_adjout_peer_up(rib, p);
	bgp_adjout_flush(p);
	ck_assert_uint_eq(bgp_adjout_count(p, BGP_AF_IPV4_UNICAST), 1);
	adv = bgp_adjout_lookup(p, BGP_AF_IPV4_UNICAST, &n.p, NULL);
	ck_assert_ptr_nonnull(adv);
	ck_assert_uint_eq(adv->med, 77);
	/* the route-map now denies: withdrawn without a reset */
	conf("exit\nexit\nroute-map OUT deny 5\nexit\n");
	bgp_adjout_refresh(rib, p); /* the speaker's hook does this for b->rib[] */
	bgp_adjout_flush(p);
	ck_assert_uint_eq(bgp_adjout_count(p, BGP_AF_IPV4_UNICAST), 0);
	ck_assert_ptr_null(bgp_adjout_lookup(p, BGP_AF_IPV4_UNICAST, &n.p, NULL));
	ck_assert_int_eq(p->state, BGP_ST_ESTABLISHED);
	p->state = BGP_ST_IDLE;
	bgp_rib_free(rib);
}
END_TEST

/* ---- peer-groups ---- */

static const char *bgp_section(void)
{
	out_len = 0;
	out[0] = '\0';
	bgp_config_write(cli);
	return out;
}

START_TEST(test_network_route_map)
{
	struct bgp_attr a;
	struct bgp_prefix pfx;
	uint32_t w = 32768;

	memset(&pfx, 0, sizeof(pfx));
	prefix_parse("198.51.100.0/24", &pfx.pfx, NULL);
	bgp_attr_init(&a);
	ck_assert(!bgp_policy_local("MISSING", &pfx, &a, &w)); /* not defined: not originated */
	conf("exit\nroute-map NET permit 10\n set weight 5\n set metric 9\nexit\n");
	ck_assert(bgp_policy_local("NET", &pfx, &a, &w));
	ck_assert_uint_eq(w, 5);
	ck_assert_uint_eq(a.med, 9);
	bgp_attr_clear(&a);
	conf("router bgp 65000\naddress-family ipv4 unicast\n network 198.51.100.0/24 route-map NET\n"
	     " redistribute static route-map NET\n");
	bgp_section();
	ck_assert_ptr_nonnull(strstr(out, "  network 198.51.100.0/24 route-map NET\n"));
	ck_assert_ptr_nonnull(strstr(out, "  redistribute static route-map NET\n"));
}
END_TEST

START_TEST(test_peer_group_inherit_override)
{
	static const char want[] =
		"router bgp 65000\n"
		" bgp router-id 10.0.0.1\n"
		" no bgp ebgp-requires-policy\n"
		" neighbor RR peer-group\n"
		" neighbor RR remote-as internal\n"
		" neighbor RR timers connect 5\n"
		" neighbor 10.0.0.2 remote-as 65010\n"
		" neighbor 10.0.0.3 peer-group RR\n"
		" neighbor 10.0.0.4 peer-group RR\n"
		" neighbor 10.0.0.4 description four\n"
		" neighbor 10.0.0.4 timers connect 9\n"
		" !\n"
		" address-family ipv4 unicast\n"
		"  neighbor RR next-hop-self force\n"
		"  neighbor RR route-map RR-IN in\n"
		"  neighbor 10.0.0.2 route-map X out\n"
		"  no neighbor 10.0.0.3 activate\n"
		"  neighbor 10.0.0.4 route-map R4-IN in\n"
		" exit-address-family\n"
		"exit\n"
		"!\n";
	struct ipaddr a3 = ipaddr_v4(0x0a000003), a4 = ipaddr_v4(0x0a000004);
	struct bgp *b = bgp_default_instance();
	struct bgp_peer *p3, *p4;
	char *first;

	conf(" neighbor RR peer-group\n neighbor RR remote-as internal\n"
	     " neighbor RR timers connect 5\n neighbor 10.0.0.3 peer-group RR\n"
	     " neighbor 10.0.0.4 peer-group RR\n neighbor 10.0.0.4 timers connect 9\n"
	     " neighbor 10.0.0.4 description four\n neighbor 10.0.0.4 passive\n"
	     "address-family ipv4 unicast\n neighbor RR next-hop-self force\n"
	     " neighbor RR route-map RR-IN in\n neighbor 10.0.0.4 route-map R4-IN in\n"
	     " neighbor 10.0.0.2 route-map X out\n no neighbor 10.0.0.3 activate\n"
	     " neighbor 10.0.0.4 route-map RR-IN out\n no neighbor 10.0.0.4 route-map RR-IN out\n"
	     "exit-address-family\n no neighbor 10.0.0.4 passive\n");
	p3 = bgp_peer_lookup(b, &a3);
	p4 = bgp_peer_lookup(b, &a4);
	ck_assert_ptr_nonnull(p3);
	ck_assert_ptr_nonnull(p4);
	/* inherited */
	ck_assert_uint_eq(p3->cfg.remote_as, 65000);
	ck_assert_int_eq(p3->cfg.as_type, BGP_AS_INTERNAL);
	ck_assert_uint_eq(p3->cfg.connect_retry, 5);
	ck_assert(p3->cfg.nhs_force[BGP_AF_IPV4_UNICAST]);
	ck_assert_str_eq(p3->cfg.filter[BGP_AF_IPV4_UNICAST].route_map[BGP_DIR_IN], "RR-IN");
	/* overridden */
	ck_assert_uint_eq(p4->cfg.connect_retry, 9);
	ck_assert_str_eq(p4->cfg.filter[BGP_AF_IPV4_UNICAST].route_map[BGP_DIR_IN], "R4-IN");
	ck_assert(!p4->cfg.passive);
	ck_assert(!p3->cfg.af_active[BGP_AF_IPV4_UNICAST]);
	/* a group change reaches the members that do not set the knob */
	conf("neighbor RR timers connect 6\n");
	ck_assert_uint_eq(p3->cfg.connect_retry, 6);
	ck_assert_uint_eq(p4->cfg.connect_retry, 9);
	conf("neighbor RR timers connect 5\n");
	/* a member cannot override the group's remote-as (FRR) */
	ck_assert_int_ne(cli_execute(cli, "neighbor 10.0.0.3 remote-as 65001"), CMD_SUCCESS);
	first = xstrdup(bgp_section());
	ck_assert_str_eq(first, want);
	/* round trip: the written lines give the same configuration again */
	conf("exit\nno router bgp 65000\n");
	{
		char buf[4096], *l, *save = NULL;

		snprintf(buf, sizeof(buf), "%s", want);
		for (l = strtok_r(buf, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save))
			if (strcmp(l, "!") != 0 && strcmp(l, " !") != 0)
				conf(l);
	}
	ck_assert_str_eq(bgp_section(), first);
	free(first);
}
END_TEST

START_TEST(test_peer_group_delete)
{
	struct ipaddr a3 = ipaddr_v4(0x0a000003);

	conf(" neighbor RR peer-group\n");
	ck_assert_int_ne(cli_execute(cli, "neighbor 10.0.0.3 peer-group RR"), CMD_SUCCESS);
	conf(" neighbor RR remote-as external\n neighbor 10.0.0.3 peer-group RR\n");
	ck_assert_ptr_nonnull(bgp_peer_lookup(bgp_default_instance(), &a3));
	ck_assert_int_eq(bgp_peer_lookup(bgp_default_instance(), &a3)->cfg.as_type, BGP_AS_EXTERNAL);
	conf(" no neighbor RR peer-group\n");
	ck_assert_ptr_null(bgp_peer_lookup(bgp_default_instance(), &a3));
	ck_assert_ptr_null(bgp_group_lookup(bgp_default_instance(), "RR"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bgp_policy_attach");
	TCase *tc = tcase_create("attach");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_inbound_deny_kept_then_accepted);
	tcase_add_test(tc, test_prefix_list_in);
	tcase_add_test(tc, test_ebgp_requires_policy);
	tcase_add_test(tc, test_outbound_route_map_withdraw);
	tcase_add_test(tc, test_network_route_map);
	tcase_add_test(tc, test_peer_group_inherit_override);
	tcase_add_test(tc, test_peer_group_delete);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
