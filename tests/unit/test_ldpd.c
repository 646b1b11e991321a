/* ldp/ldpd.c (with neighbor.c, adjacency.c, interface.c, socket.c) and
 * ldp/ldp_cli.c without namespaces: the session role by
 * transport address (RFC 5036 2.5.2), the initialization backoff (2.5.3),
 * hello hold time negotiation (2.5.5 / 3.5.2), the adjacency table bound
 * under a flood of Hellos from random sources, the Hello acceptance rules
 * (LDP interface, targeted neighbor, our own LSR ID), and the running
 * configuration round trip in FRR's layout. The instance runs with timers
 * on an event base that is never dispatched and without sockets. */
#include "config.h"

#include <check.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "ldp/ldpd.h"
#include "ldp/wire.h"
#include "lib/log.h"
#include "vrf/vrf.h"

void ldpd_test_start(struct event_base *base);

static struct event_base *base;
static mpls_label_t next_label = 16;

static uint32_t rid(void) { return 0x0a000001; }
static mpls_label_t lalloc(const struct prefix4 *p) { (void)p; return next_label++; }
static void lrel(mpls_label_t l) { (void)l; }
static const struct ldpd_ops ops = { rid, lalloc, lrel, NULL, NULL, NULL };

static struct cli *cli;
static char out[65536];

static void capture(void *arg, const char *buf, size_t len)
{
	(void)arg;
	strncat(out, buf, len < sizeof(out) - strlen(out) - 1 ? len : sizeof(out) - strlen(out) - 1);
}

static void run(const char *line)
{
	ck_assert_int_eq(cli_execute(cli, line), CMD_SUCCESS);
}

static void setup(void)
{
	log_init("test", true, false);
	cmd_init();
	cmd_node_install(NODE_VIEW, "view", NODE_VIEW);
	cmd_node_install(NODE_CONFIG, "config", NODE_VIEW);
	vrf_init();
	ldpd_init(&ops);
	cli = cli_new(capture, NULL);
	cli_set_node(cli, NODE_CONFIG, NULL);
	out[0] = '\0';
	base = event_base_new();
}

static void teardown(void)
{
	ldpd_fini();
	cli_free(cli);
	vrf_fini();
	cmd_fini();
	event_base_free(base);
}

static void start_on(const char *ifname)
{
	char line[64];

	run("mpls ldp");
	run("router-id 10.0.0.1");
	run("address-family ipv4");
	snprintf(line, sizeof(line), "interface %s", ifname);
	run(line);
	ldpd_test_start(base);
}

START_TEST(role_by_transport_address)
{
	ck_assert(ldp_active_role(0x0a000002, 0x0a000001));
	ck_assert(!ldp_active_role(0x0a000001, 0x0a000002));
	ck_assert(!ldp_active_role(0x0a000001, 0x0a000001));
	ck_assert(ldp_active_role(0xc0000001, 0x0a000001)); /* unsigned compare */
}
END_TEST

START_TEST(backoff_15_to_120)
{
	int b = 0, seq[] = { 15, 30, 60, 120, 120, 120 };

	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		b = ldp_backoff_next(b);
		ck_assert_int_eq(b, seq[i]);
	}
}
END_TEST

START_TEST(hold_negotiation)
{
	ck_assert_int_eq(ldp_hold_negotiate(15, 0, false), 15);
	ck_assert_int_eq(ldp_hold_negotiate(0, 0, true), 45);
	ck_assert_int_eq(ldp_hold_negotiate(30, 10, false), 10);
	ck_assert_int_eq(ldp_hold_negotiate(10, 30, false), 10);
}
END_TEST

START_TEST(flood_is_bounded)
{
	struct ldp_hello h = { .holdtime = 15, .flags = LDP_HELLO_G };
	uint32_t seed = 12345;

	start_on("eth0");
	for (int i = 0; i < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		h.has_trans_addr = (i & 1) != 0;
		h.trans_addr = seed ^ 0x5a5a5a5a;
		ldpd_hello_input("eth0", seed | 1, seed | 1, &h);
	}
	ck_assert_int_le(ldpd_adj_count(), ldpd_adj_limit());
	ck_assert_int_gt(ldpd_adj_count(), 0);
	ck_assert_uint_gt(ldpd_stats()->hello_dropped_full, 0);
	/* a known adjacency keeps being refreshed while the table is full */
	ck_assert_int_eq(ldpd_hello_input("eth0", ldpd_adj_first()->src,
					  ldpd_adj_first()->lsr_id, &h), 0);
}
END_TEST

START_TEST(hello_acceptance)
{
	struct ldp_hello h = { .holdtime = 0 };
	struct ldp_hello t = { .holdtime = 0, .flags = LDP_HELLO_T };
	struct ldp_adj *a;

	start_on("eth0");
	ck_assert_int_eq(ldpd_hello_input("eth9", 0x0a000102, 0x0a0000ff, &h), -1);
	ck_assert_int_eq(ldpd_hello_input("eth0", 0x0a000102, 0x0a000001, &h), -1); /* ours */
	ck_assert_int_eq(ldpd_hello_input(NULL, 0x0a000102, 0x0a0000ff, &t), -1);   /* not configured */
	ck_assert_int_eq(ldpd_adj_count(), 0);
	ck_assert_int_eq(ldpd_hello_input("eth0", 0x0a000102, 0x0a0000ff, &h), 0);
	a = ldpd_adj_first();
	ck_assert_int_eq(a->holdtime, 15);         /* 0 = default 15 s */
	ck_assert_uint_eq(a->trans_addr, 0x0a000102); /* no TLV: the source */
	ck_assert(a->nbr != NULL);
	ck_assert(!a->nbr->active); /* 10.0.0.1 < 10.0.1.2: passive */
	cli_set_node(cli, NODE_LDP_AF, "ipv4");
	run("neighbor 10.0.0.255 targeted");
	ck_assert_int_eq(ldpd_hello_input(NULL, 0x0a0000ff, 0x0a0000ff, &t), 0);
	ck_assert_int_eq(ldpd_adj_count(), 2);
	ck_assert_int_eq(ldpd_adj_first()->holdtime, 45);
	/* both adjacencies belong to one neighbor */
	ck_assert_ptr_eq(ldpd_adj_first()->nbr, ldpd_adj_first()->next->nbr);
	ck_assert_int_eq(ldpd_adj_first()->nbr->nadj, 2);
}
END_TEST

START_TEST(config_round_trip)
{
	static const char *conf[] = {
		"mpls ldp",
		"router-id 10.255.0.1",
		"ordered-control",
		"neighbor 10.255.0.2 password s3cret",
		"neighbor 10.255.0.2 session holdtime 60",
		"address-family ipv4",
		"discovery transport-address 10.255.0.1",
		"label local allocate host-routes",
		"neighbor 10.255.0.9 targeted",
		"interface eth3",
		"discovery hello holdtime 9",
		"exit",
		"exit-address-family",
		"exit",
	};
	const char *expect = "mpls ldp\n"
			     " router-id 10.255.0.1\n"
			     " ordered-control\n"
			     " neighbor 10.255.0.2 password <hidden>\n"
			     " neighbor 10.255.0.2 session holdtime 60\n"
			     " !\n"
			     " address-family ipv4\n"
			     "  discovery transport-address 10.255.0.1\n"
			     "  label local allocate host-routes\n"
			     "  neighbor 10.255.0.9 targeted\n"
			     "  !\n"
			     "  interface eth3\n"
			     "   discovery hello holdtime 9\n"
			     "  exit\n"
			     "  !\n"
			     " exit-address-family\n"
			     " !\n"
			     "exit\n"
			     "!\n";

	for (size_t i = 0; i < sizeof(conf) / sizeof(conf[0]); i++)
		run(conf[i]);
	ck_assert_int_eq(cli_node(cli), NODE_CONFIG);
	out[0] = '\0';
	ldp_config_write(cli);
	ck_assert_str_eq(out, expect); /* show running-config: the password masked */
	ldp_cfg_write_secrets = true;  /* write memory: the password itself */
	out[0] = '\0';
	ldp_config_write(cli);
	ldp_cfg_write_secrets = false;
	ck_assert_ptr_nonnull(strstr(out, " neighbor 10.255.0.2 password s3cret\n"));
	ck_assert_int_ne(cli_execute(cli, "mpls ldp"), CMD_ERR_UNKNOWN);
	ck_assert_int_eq(cli_execute(cli, "neighbor 10.255.0.3 password <hidden>"), CMD_ERROR);
	run("exit");
	run("no mpls ldp");
	out[0] = '\0';
	ldp_config_write(cli);
	ck_assert_str_eq(out, "");
}
END_TEST

/* No fixed-size tables: 200 interfaces and 100 neighbors are configured
 * and written back in order, the adjacency bound grows with them, and
 * 2000 neighbors over those links all get an adjacency (the old tables
 * stopped at 64 interfaces, 64 neighbors and 256 adjacencies). */
START_TEST(config_grows)
{
	struct ldp_hello h = { .holdtime = 15 };
	char line[64], want[64];
	uint64_t dropped;
	int i;

	run("mpls ldp");
	run("router-id 10.0.0.1");
	for (i = 0; i < 100; i++) {
		snprintf(line, sizeof(line), "neighbor 10.9.%d.%d password pw%d", i / 250,
			 i % 250 + 1, i);
		run(line);
	}
	run("address-family ipv4");
	for (i = 0; i < 200; i++) {
		snprintf(line, sizeof(line), "interface e%d", i);
		run(line);
		run("exit");
	}
	ck_assert_int_eq(ldpd_conf.niface, 200);
	ck_assert_int_eq(ldpd_conf.nnbr, 100);
	ck_assert_int_eq(ldpd_adj_limit(), LDP_ADJ_BASE + 200 * LDP_ADJ_PER_IFACE + 100);
	run("no interface e5");
	ck_assert_int_eq(ldpd_conf.niface, 199);
	ck_assert_ptr_null(ldpd_iface_conf("e5"));
	/* written back in the configured order, every one */
	out[0] = '\0';
	ldp_config_write(cli);
	ck_assert_ptr_nonnull(strstr(out, "  interface e4\n  exit\n  !\n  interface e6\n"));
	ck_assert_ptr_nonnull(strstr(out, "  interface e199\n"));
	ck_assert_ptr_nonnull(strstr(out, " neighbor 10.9.0.99 password <hidden>\n"));
	ldpd_test_start(base);
	dropped = ldpd_stats()->hello_dropped_full;
	for (i = 0; i < 2000; i++) {
		uint32_t id = 0x0b000000u + (uint32_t)i + 1;

		snprintf(want, sizeof(want), "e%d", i % 200 == 5 ? 6 : i % 200);
		ck_assert_int_eq(ldpd_hello_input(want, id, id, &h), 0);
	}
	ck_assert_int_eq(ldpd_adj_count(), 2000);
	ck_assert_uint_eq(ldpd_stats()->hello_dropped_full, dropped);
}
END_TEST

/* RFC 5036 3.5.5: our address list is split over Address messages that
 * each fit the negotiated max PDU length: the per-message count is the
 * largest that the PDU builder accepts. */
START_TEST(address_split)
{
	static uint32_t addrs[2000];
	uint16_t maxes[] = { 256, 1500, 4096 };
	uint8_t buf[4096];

	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
		addrs[i] = 0x0a000000u + (uint32_t)i;
	ck_assert_int_eq(ldp_addrs_per_msg(4096), 1018);
	for (size_t k = 0; k < sizeof(maxes) / sizeof(maxes[0]); k++) {
		int per = ldp_addrs_per_msg(maxes[k]);

		for (int extra = 0; extra <= 1; extra++) {
			struct wbuf w = wbuf_init_fixed(buf, sizeof(buf));
			struct ldp_pdu_builder pb;
			struct ldp_id me = { 0x0a000001, 0 };
			struct ldp_msg m = { .type = LDP_MSG_ADDRESS };
			int rc, len = 0;

			m.u_.addr.family = LDP_AF_IPV4;
			m.u_.addr.naddr = (uint16_t)(per + extra);
			m.u_.addr.addrs = addrs;
			ck_assert_int_eq(ldp_pdu_begin(&pb, &w, &me, maxes[k], NULL), 0);
			rc = ldp_pdu_add(&pb, &m);
			if (rc == 0)
				len = ldp_pdu_finish(&pb);
			if (extra == 0) {
				ck_assert_int_eq(rc, 0);
				ck_assert_int_eq(len, 24 + 4 * per);
				ck_assert_int_le(len, maxes[k]);
			} else {
				ck_assert_int_ne(rc, 0); /* one more does not fit */
			}
		}
	}
}
END_TEST

static Suite *ldpd_suite(void)
{
	Suite *s = suite_create("ldpd");
	TCase *tc = tcase_create("pure");

	tcase_add_test(tc, role_by_transport_address);
	tcase_add_test(tc, backoff_15_to_120);
	tcase_add_test(tc, hold_negotiation);
	tcase_add_test(tc, address_split);
	suite_add_tcase(s, tc);
	tc = tcase_create("instance");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, flood_is_bounded);
	tcase_add_test(tc, hello_acceptance);
	tcase_add_test(tc, config_round_trip);
	tcase_add_test(tc, config_grows);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ldpd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
