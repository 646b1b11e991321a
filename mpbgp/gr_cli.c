/* Graceful restart's commands at the `router bgp` level, FRR's: see gr.c. */
#include "config.h"

#include "cli/cmd.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/gr.h"

/* ---- commands (`router bgp` level, FRR's) ---- */

static void reset_all(struct bgp *b)
{
	for (struct bgp_peer *p = b->peers; p != NULL; p = p->next) {
		if (b->gr_mode == BGP_GR_DISABLE)
			bgp_gr_flush(p);
		bgp_peer_changed(p, true); /* a capability: the sessions restart */
	}
}

static int gr_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = bgp_cli_instance(cli);
	bool no = cmd_is_no(a);
	uint8_t mode;

	if (b == NULL)
		return CMD_ERROR;
	if (cmd_has(a, "restart-time")) {
		b->gr_restart_time = no ? 120 : (uint16_t)cmd_arg_u64(a, "secs");
		return CMD_SUCCESS; /* sent in the next OPEN, as FRR */
	}
	if (cmd_has(a, "stalepath-time")) {
		b->gr_stalepath_time = no ? 360 : (uint16_t)cmd_arg_u64(a, "secs");
		return CMD_SUCCESS;
	}
	if (cmd_has(a, "long-lived-graceful-restart")) {
		b->llgr_stale_time = no ? 0 : (uint32_t)cmd_arg_u64(a, "secs");
		return CMD_SUCCESS; /* sent in the next OPEN */
	}
	if (cmd_has(a, "preserve-fw-state")) {
		b->gr_preserve_fw = !no;
		return CMD_SUCCESS;
	}
	if (cmd_has(a, "graceful-restart-disable"))
		mode = no ? BGP_GR_HELPER : BGP_GR_DISABLE;
	else
		mode = no ? BGP_GR_HELPER : BGP_GR_RESTART;
	if (mode != b->gr_mode) {
		b->gr_mode = mode;
		reset_all(b);
	}
	return CMD_SUCCESS;
}

void bgp_gr_config_write(struct cli *cli, const struct bgp *b)
{
	if (b->gr_mode == BGP_GR_RESTART)
		cli_out(cli, " bgp graceful-restart\n");
	else if (b->gr_mode == BGP_GR_DISABLE)
		cli_out(cli, " bgp graceful-restart-disable\n");
	if (b->gr_restart_time != 120)
		cli_out(cli, " bgp graceful-restart restart-time %u\n", b->gr_restart_time);
	if (b->gr_stalepath_time != 360)
		cli_out(cli, " bgp graceful-restart stalepath-time %u\n", b->gr_stalepath_time);
	if (b->gr_preserve_fw)
		cli_out(cli, " bgp graceful-restart preserve-fw-state\n");
	if (b->llgr_stale_time)
		cli_out(cli, " bgp long-lived-graceful-restart stale-time %u\n", b->llgr_stale_time);
}

#define GR_STR "Graceful restart capability parameters\n"
static const struct cmd_def cmds[] = {
	{ "[no] bgp graceful-restart", NO_STR BGP_STR GR_STR, gr_cmd },
	{ "[no] bgp graceful-restart-disable", NO_STR BGP_STR "Disable graceful restart and helper mode\n",
	  gr_cmd },
	{ "bgp graceful-restart restart-time (1-4095)$secs",
	  BGP_STR GR_STR "Set the time to wait to delete stale routes before a BGP open message is received\n"
	  "Delay value (seconds)\n",
	  gr_cmd },
	{ "no bgp graceful-restart restart-time [(1-4095)]",
	  NO_STR BGP_STR GR_STR "Set the time to wait to delete stale routes before a BGP open message is received\n"
	  "Delay value (seconds)\n",
	  gr_cmd },
	{ "bgp graceful-restart stalepath-time (1-4095)$secs",
	  BGP_STR GR_STR "Set the max time to hold onto restarting peer's stale paths\nDelay value (seconds)\n",
	  gr_cmd },
	{ "no bgp graceful-restart stalepath-time [(1-4095)]",
	  NO_STR BGP_STR GR_STR "Set the max time to hold onto restarting peer's stale paths\nDelay value (seconds)\n",
	  gr_cmd },
	{ "[no] bgp graceful-restart preserve-fw-state",
	  NO_STR BGP_STR GR_STR "Sets F-bit indication that fib is preserved while doing Graceful Restart "
	  "(ped: set when a restart really kept its forwarding, see `dataplane keep-on-exit`)\n",
	  gr_cmd },
	{ "bgp long-lived-graceful-restart stale-time (1-16777215)$secs",
	  BGP_STR "Long-lived graceful restart (RFC 9494)\n"
	  "Time to keep a restarting peer's routes, least preferred, after its restart time\n"
	  "Seconds\n",
	  gr_cmd },
	{ "no bgp long-lived-graceful-restart stale-time [(1-16777215)]",
	  NO_STR BGP_STR "Long-lived graceful restart (RFC 9494)\n"
	  "Time to keep a restarting peer's routes, least preferred, after its restart time\n"
	  "Seconds\n",
	  gr_cmd },
};

void bgp_gr_cli_init(void)
{
	cmd_install_table(NODE_BGP, cmds, ARRAY_SIZE(cmds));
}
