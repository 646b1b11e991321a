/* LDP configuration commands in FRR's syntax (ldpd's `mpls ldp` tree):
 *   mpls ldp
 *    router-id A.B.C.D | ordered-control | neighbor A.B.C.D password WORD |
 *    neighbor A.B.C.D session holdtime N | neighbor A.B.C.D ttl-security disable |
 *    discovery hello holdtime|interval N | discovery targeted-hello holdtime|interval N |
 *    graceful-restart | graceful-restart reconnect-time|recovery-time N
 *    address-family ipv4
 *     discovery transport-address A.B.C.D | discovery hello holdtime|interval N |
 *     neighbor A.B.C.D targeted | session holdtime N | ttl-security disable |
 *     label local allocate host-routes | label local advertise explicit-null
 *     interface IFNAME
 *      discovery hello holdtime|interval N
 * and the running configuration in FRR's layout. Handlers change
 * ldpd_conf and call ldpd_conf_changed(). Deviation: IPv6 is refused.
 * FRR has no LDP graceful restart: its commands follow Cisco's `mpls ldp
 * graceful-restart` (RFC 3478) in FRR's shape, under `mpls ldp`. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "ldp/ldpd.h"
#include "lib/prefix.h"

#define MPLS_STR "Global MPLS configuration subcommands\n"
#define LDP_STR "Label Distribution Protocol\n"
#define NBR_STR "Configure neighbor parameters\nLDP Id of neighbor\n"
#define DISC_STR "Configure discovery parameters\n"

static int addr_arg(struct cli *cli, const struct cmd_args *a, const char *name, uint32_t *out)
{
	if (addr4_parse(cmd_arg(a, name), out) != 0) {
		cli_out(cli, "%% Malformed address\n");
		return -1;
	}
	return 0;
}

/* ---- mpls ldp ---- */

static int mpls_ldp_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	if (!ldpd_conf.enabled) {
		ldpd_conf.enabled = true;
		ldpd_conf_changed();
	}
	cli_set_node(cli, NODE_LDP, NULL);
	return CMD_SUCCESS;
}

static int no_mpls_ldp_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)cli;
	(void)a;
	ldpd_conf_clear();
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

static int router_id_cmd(struct cli *cli, const struct cmd_args *a)
{
	uint32_t id = 0;

	if (!cmd_is_no(a) && addr_arg(cli, a, "A.B.C.D", &id) != 0)
		return CMD_ERROR;
	ldpd_conf.router_id = id;
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

static int ordered_control_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)cli;
	ldpd_conf.ordered_control = !cmd_is_no(a);
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

/* `graceful-restart`: the FT TLV in our Initialization, and the helper.
 * Applies to sessions that start from now on (the TLV is in the
 * Initialization); `no` also deletes the stale bindings kept now. */
static int gr_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)cli;
	ldpd_conf.gr = !cmd_is_no(a);
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

/* `graceful-restart reconnect-time|recovery-time (1-1800)` in seconds */
static int gr_time_cmd(struct cli *cli, const struct cmd_args *a)
{
	uint16_t v = cmd_is_no(a) ? 0 : (uint16_t)cmd_arg_u64(a, "secs");

	(void)cli;
	if (cmd_has(a, "reconnect-time"))
		ldpd_conf.gr_reconnect = v;
	else
		ldpd_conf.gr_recovery = v;
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

static struct ldp_nbr_conf *nbr_conf_get(struct cli *cli, const struct cmd_args *a, bool create)
{
	uint32_t id;
	struct ldp_nbr_conf *nc;

	if (addr_arg(cli, a, "A.B.C.D", &id) != 0)
		return NULL;
	if ((nc = ldpd_nbr_conf(id)) != NULL || !create)
		return nc;
	return ldpd_nbr_conf_add(id);
}

/* drops a neighbor entry that no longer carries any setting */
static void nbr_conf_gc(void)
{
	for (int i = 0; i < ldpd_conf.nnbr; i++) {
		struct ldp_nbr_conf *nc = &ldpd_conf.nbr[i];

		if (!nc->password[0] && !nc->targeted && !nc->keepalive && !nc->ttl_security_off)
			ldpd_conf.nbr[i--] = ldpd_conf.nbr[--ldpd_conf.nnbr];
	}
}

static int nbr_password_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct ldp_nbr_conf *nc = nbr_conf_get(cli, a, !cmd_is_no(a));
	const char *pw = cmd_arg(a, "WORD");

	if (nc == NULL)
		return cmd_is_no(a) ? CMD_SUCCESS : CMD_ERROR;
	if (!cmd_is_no(a) && strcmp(pw, "<hidden>") == 0) {
		cli_out(cli, "%% \"<hidden>\" is how show running-config masks a password; give the password\n");
		return CMD_ERROR;
	}
	if (!cmd_is_no(a) && strlen(pw) > LDP_PASSWORD_LEN) {
		cli_out(cli, "%% Password too long (%d characters at most)\n", LDP_PASSWORD_LEN);
		return CMD_ERROR;
	}
	snprintf(nc->password, sizeof(nc->password), "%s", cmd_is_no(a) ? "" : pw);
	nbr_conf_gc();
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

static int nbr_holdtime_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct ldp_nbr_conf *nc = nbr_conf_get(cli, a, !cmd_is_no(a));

	if (nc == NULL)
		return cmd_is_no(a) ? CMD_SUCCESS : CMD_ERROR;
	nc->keepalive = cmd_is_no(a) ? 0 : (uint16_t)cmd_arg_u64(a, "holdtime");
	nbr_conf_gc();
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

static int nbr_ttl_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct ldp_nbr_conf *nc = nbr_conf_get(cli, a, !cmd_is_no(a));

	if (nc == NULL)
		return cmd_is_no(a) ? CMD_SUCCESS : CMD_ERROR;
	nc->ttl_security_off = !cmd_is_no(a);
	nbr_conf_gc();
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

static int nbr_targeted_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct ldp_nbr_conf *nc = nbr_conf_get(cli, a, !cmd_is_no(a));

	if (nc == NULL)
		return cmd_is_no(a) ? CMD_SUCCESS : CMD_ERROR;
	nc->targeted = !cmd_is_no(a);
	nbr_conf_gc();
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

/* `discovery hello|targeted-hello holdtime|interval N` at the LDP, AF or
 * interface level */
static int discovery_timer_cmd(struct cli *cli, const struct cmd_args *a)
{
	bool targeted = cmd_has(a, "targeted-hello"), hold = cmd_has(a, "holdtime");
	uint16_t v = cmd_is_no(a) ? 0 : (uint16_t)cmd_arg_u64(a, "value");
	struct ldp_iface_conf *ic = NULL;

	if (cli_node(cli) == NODE_LDP_IF && !targeted) {
		if ((ic = ldpd_iface_conf(cli_ctx(cli))) == NULL)
			return CMD_ERROR;
		if (hold)
			ic->hello_hold = v;
		else
			ic->hello_interval = v;
	} else if (targeted) {
		if (hold)
			ldpd_conf.targeted_hold = v;
		else
			ldpd_conf.targeted_interval = v;
	} else if (hold) {
		ldpd_conf.link_hold = v;
	} else {
		ldpd_conf.link_interval = v;
	}
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

/* ---- address-family ipv4 ---- */

static int af_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	if (!ldpd_conf.af_ipv4) {
		ldpd_conf.af_ipv4 = true;
		ldpd_conf_changed();
	}
	cli_set_node(cli, NODE_LDP_AF, "ipv4");
	return CMD_SUCCESS;
}

static int no_af_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)cli;
	(void)a;
	ldpd_conf.af_ipv4 = false;
	ldpd_conf.transport_addr = 0;
	ldpd_conf.niface = 0;
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

static int exit_af_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	cli_set_node(cli, NODE_LDP, NULL);
	return CMD_SUCCESS;
}

static int transport_cmd(struct cli *cli, const struct cmd_args *a)
{
	uint32_t t = 0;

	if (!cmd_is_no(a) && addr_arg(cli, a, "A.B.C.D", &t) != 0)
		return CMD_ERROR;
	ldpd_conf.transport_addr = t;
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

static int session_holdtime_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)cli;
	ldpd_conf.keepalive = cmd_is_no(a) ? 0 : (uint16_t)cmd_arg_u64(a, "holdtime");
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

static int ttl_security_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)cli;
	ldpd_conf.gtsm_off = !cmd_is_no(a);
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

static int label_local_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)cli;
	if (cmd_has(a, "host-routes"))
		ldpd_conf.host_routes_only = !cmd_is_no(a);
	else
		ldpd_conf.explicit_null = !cmd_is_no(a);
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

static int interface_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "IFNAME");
	struct ldp_iface_conf *ic = ldpd_iface_conf(name);

	if (strlen(name) >= LDP_IFNAMSIZ) {
		cli_out(cli, "%% Interface name too long\n");
		return CMD_ERROR;
	}
	if (ic == NULL) {
		ic = ldpd_iface_conf_add(name);
		ldpd_conf_changed();
	}
	cli_set_node(cli, NODE_LDP_IF, ic->name);
	return CMD_SUCCESS;
}

static int no_interface_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct ldp_iface_conf *ic = ldpd_iface_conf(cmd_arg(a, "IFNAME"));

	(void)cli;
	if (ic == NULL)
		return CMD_SUCCESS;
	ldpd_iface_conf_del(ic);
	ldpd_conf_changed();
	return CMD_SUCCESS;
}

/* ---- tables ---- */

#define HELLO_TIMER_SYNTAX "[no] discovery <hello|targeted-hello> <holdtime|interval> (1-65535)$value"
#define HELLO_TIMER_HELP                                                                   \
	NO_STR DISC_STR "LDP Link Hellos\nLDP Targeted Hellos\nHello holdtime\nHello interval\n" \
			"Time (seconds)\n"

#define GR_STR "Graceful restart (RFC 3478)\n"
#define GR_TIMES_HELP                                                                           \
	"How long a restarting neighbor's bindings are kept for it to reconnect (FT Reconnect " \
	"Timeout we send)\n"                                                                    \
	"How long they are kept once it is back (Recovery Time we send)\n"                      \
	"Time (seconds)\n"

static const struct cmd_def config_cmds[] = {
	{ "mpls ldp", MPLS_STR LDP_STR, mpls_ldp_cmd },
	{ "no mpls ldp", NO_STR MPLS_STR LDP_STR, no_mpls_ldp_cmd },
};

static const struct cmd_def ldp_cmds[] = {
	{ "[no] router-id A.B.C.D", NO_STR "Configure router Id\nLSR Id (in form of an IPv4 address)\n",
	  router_id_cmd },
	{ "no router-id", NO_STR "Configure router Id\n", router_id_cmd },
	{ "[no] ordered-control", NO_STR "Configure LDP ordered label distribution control\n",
	  ordered_control_cmd },
	{ "[no] graceful-restart", NO_STR GR_STR, gr_cmd },
	{ "graceful-restart <reconnect-time|recovery-time> (1-1800)$secs", GR_STR GR_TIMES_HELP,
	  gr_time_cmd },
	{ "no graceful-restart <reconnect-time|recovery-time> [(1-1800)$secs]",
	  NO_STR GR_STR GR_TIMES_HELP, gr_time_cmd },
	{ "[no] neighbor A.B.C.D password WORD",
	  NO_STR NBR_STR "Configure password for MD5 authentication\nThe password\n",
	  nbr_password_cmd },
	{ "no neighbor A.B.C.D password",
	  NO_STR NBR_STR "Configure password for MD5 authentication\n", nbr_password_cmd },
	{ "[no] neighbor A.B.C.D session holdtime (15-65535)$holdtime",
	  NO_STR NBR_STR "Configure session parameters\nSession holdtime\nTime (seconds)\n",
	  nbr_holdtime_cmd },
	{ "[no] neighbor A.B.C.D ttl-security disable",
	  NO_STR NBR_STR "LDP ttl security check\nDisable ttl security\n", nbr_ttl_cmd },
	{ HELLO_TIMER_SYNTAX, HELLO_TIMER_HELP, discovery_timer_cmd },
	{ "address-family ipv4", "Configure Address Family and its parameters\nIPv4\n", af_cmd },
	{ "no address-family ipv4", NO_STR "Configure Address Family and its parameters\nIPv4\n",
	  no_af_cmd },
};

static const struct cmd_def af_cmds[] = {
	{ "[no] discovery transport-address A.B.C.D",
	  NO_STR DISC_STR "Specify transport address for TCP connection\nIP address to be used as transport address\n",
	  transport_cmd },
	{ "no discovery transport-address", NO_STR DISC_STR "Specify transport address for TCP connection\n",
	  transport_cmd },
	{ HELLO_TIMER_SYNTAX, HELLO_TIMER_HELP, discovery_timer_cmd },
	{ "[no] neighbor A.B.C.D targeted", NO_STR NBR_STR "Establish targeted session\n",
	  nbr_targeted_cmd },
	{ "[no] session holdtime (15-65535)$holdtime",
	  NO_STR "Configure session parameters\nSession holdtime\nTime (seconds)\n",
	  session_holdtime_cmd },
	{ "[no] ttl-security disable", NO_STR "LDP ttl security check\nDisable ttl security\n",
	  ttl_security_cmd },
	{ "[no] label local <allocate host-routes|advertise explicit-null>",
	  NO_STR "Configure label control and policies\nConfigure local label control and policies\n"
		 "Configure label allocation control\nallocate local label for host routes only\n"
		 "Configure outbound label advertisement control\nAdvertise Explicit NULL label in place of Implicit NULL\n",
	  label_local_cmd },
	{ "interface IFNAME", "Enable LDP on an interface and enter interface submode\nInterface's name\n",
	  interface_cmd },
	{ "no interface IFNAME", NO_STR "Enable LDP on an interface and enter interface submode\nInterface's name\n",
	  no_interface_cmd },
	{ "exit-address-family", "Exit from Address Family configuration mode\n", exit_af_cmd },
};

static const struct cmd_def if_cmds[] = {
	{ HELLO_TIMER_SYNTAX, HELLO_TIMER_HELP, discovery_timer_cmd },
};

void ldp_cli_init(void)
{
	cmd_node_install(NODE_LDP, "config-ldp", NODE_CONFIG);
	cmd_node_install(NODE_LDP_AF, "config-ldp-af", NODE_LDP);
	cmd_node_install(NODE_LDP_IF, "config-ldp-af-if", NODE_LDP_AF);
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
	cmd_install_table(NODE_LDP, ldp_cmds, ARRAY_SIZE(ldp_cmds));
	cmd_install_table(NODE_LDP_AF, af_cmds, ARRAY_SIZE(af_cmds));
	cmd_install_table(NODE_LDP_IF, if_cmds, ARRAY_SIZE(if_cmds));
}

/* ---- running configuration (FRR's ldp_config_write layout) ---- */

static void write_timers(struct cli *cli, const char *ind, uint16_t hold, uint16_t interval)
{
	if (hold)
		cli_out(cli, "%sdiscovery hello holdtime %u\n", ind, hold);
	if (interval)
		cli_out(cli, "%sdiscovery hello interval %u\n", ind, interval);
}

bool ldp_cfg_write_secrets;

static void write_nbrs(struct cli *cli)
{
	char b[ADDR4_STRLEN];

	for (int i = 0; i < ldpd_conf.nnbr; i++) {
		const struct ldp_nbr_conf *nc = &ldpd_conf.nbr[i];

		addr4_ntop(nc->lsr_id, b, sizeof(b));
		if (nc->password[0])
			cli_out(cli, " neighbor %s password %s\n", b,
				ldp_cfg_write_secrets ? nc->password : "<hidden>");
		if (nc->keepalive)
			cli_out(cli, " neighbor %s session holdtime %u\n", b, nc->keepalive);
		if (nc->ttl_security_off)
			cli_out(cli, " neighbor %s ttl-security disable\n", b);
	}
}

static void write_af(struct cli *cli)
{
	char b[ADDR4_STRLEN];

	cli_out(cli, " address-family ipv4\n");
	if (ldpd_conf.transport_addr)
		cli_out(cli, "  discovery transport-address %s\n",
			addr4_ntop(ldpd_conf.transport_addr, b, sizeof(b)));
	if (ldpd_conf.keepalive)
		cli_out(cli, "  session holdtime %u\n", ldpd_conf.keepalive);
	if (ldpd_conf.gtsm_off)
		cli_out(cli, "  ttl-security disable\n");
	if (ldpd_conf.host_routes_only)
		cli_out(cli, "  label local allocate host-routes\n");
	if (ldpd_conf.explicit_null)
		cli_out(cli, "  label local advertise explicit-null\n");
	for (int i = 0; i < ldpd_conf.nnbr; i++)
		if (ldpd_conf.nbr[i].targeted)
			cli_out(cli, "  neighbor %s targeted\n",
				addr4_ntop(ldpd_conf.nbr[i].lsr_id, b, sizeof(b)));
	cli_out(cli, "  !\n");
	for (int i = 0; i < ldpd_conf.niface; i++) {
		cli_out(cli, "  interface %s\n", ldpd_conf.iface[i].name);
		write_timers(cli, "   ", ldpd_conf.iface[i].hello_hold,
			     ldpd_conf.iface[i].hello_interval);
		cli_out(cli, "  exit\n  !\n");
	}
	cli_out(cli, " exit-address-family\n !\n");
}

void ldp_config_write(struct cli *cli)
{
	char b[ADDR4_STRLEN];

	if (!ldpd_conf.enabled)
		return;
	cli_out(cli, "mpls ldp\n");
	if (ldpd_conf.router_id)
		cli_out(cli, " router-id %s\n", addr4_ntop(ldpd_conf.router_id, b, sizeof(b)));
	if (ldpd_conf.ordered_control)
		cli_out(cli, " ordered-control\n");
	if (ldpd_conf.gr)
		cli_out(cli, " graceful-restart\n");
	if (ldpd_conf.gr_reconnect)
		cli_out(cli, " graceful-restart reconnect-time %u\n", ldpd_conf.gr_reconnect);
	if (ldpd_conf.gr_recovery)
		cli_out(cli, " graceful-restart recovery-time %u\n", ldpd_conf.gr_recovery);
	write_nbrs(cli);
	write_timers(cli, " ", ldpd_conf.link_hold, ldpd_conf.link_interval);
	if (ldpd_conf.targeted_hold)
		cli_out(cli, " discovery targeted-hello holdtime %u\n", ldpd_conf.targeted_hold);
	if (ldpd_conf.targeted_interval)
		cli_out(cli, " discovery targeted-hello interval %u\n",
			ldpd_conf.targeted_interval);
	cli_out(cli, " !\n");
	if (ldpd_conf.af_ipv4)
		write_af(cli);
	cli_out(cli, "exit\n!\n");
}
