/* RT-Constrain's commands (`address-family ipv4 rtc`, `neighbor X
 * activate`) and `show bgp ipv4 rtc [json]`: see rtc.c. */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>

#include "cli/cmd.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/rtc.h"

/* ---- configuration ---- */

static int af_rtc_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = bgp_cli_instance(cli);

	(void)a;
	if (b == NULL)
		return CMD_ERROR;
	if (b->vrf != NULL) {
		cli_out(cli, "%% The RTC family belongs to the default instance (router bgp %u)\n",
			b->asn);
		return CMD_ERROR;
	}
	cli_set_node(cli, NODE_BGP_RTC, "ipv4 rtc");
	return CMD_SUCCESS;
}

static int activate_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = bgp_cli_instance(cli);
	struct bgp_peer *p;
	struct ipaddr addr;

	if (b == NULL)
		return CMD_ERROR;
	if (ipaddr_parse(cmd_arg(a, "peer"), &addr) != 0 || (p = bgp_peer_lookup(b, &addr)) == NULL) {
		cli_out(cli, "%% Specify remote-as or peer-group commands first\n");
		return CMD_ERROR;
	}
	if (p->cfg.rtc == !cmd_is_no(a))
		return CMD_SUCCESS;
	p->cfg.rtc = !cmd_is_no(a);
	bgp_peer_changed(p, true); /* a capability: the session restarts */
	return CMD_SUCCESS;
}

void bgp_rtc_config_write(struct cli *cli, const struct bgp *b)
{
	bool any = false;
	char a[IPADDR_STRLEN];

	for (const struct bgp_peer *p = b->peers; p != NULL; p = p->next) {
		if (!p->cfg.rtc)
			continue;
		if (!any)
			cli_out(cli, " !\n address-family ipv4 rtc\n");
		any = true;
		cli_out(cli, "  neighbor %s activate\n", bgp_peer_str(p, a, sizeof(a)));
	}
	if (any)
		cli_out(cli, " exit-address-family\n");
}

/* ---- show bgp ipv4 rtc [json] ---- */

static json_object *set_json(const struct bgp_rtc *v, int n)
{
	json_object *arr = json_object_new_array();
	char buf[64];

	for (int i = 0; i < n; i++)
		json_object_array_add(arr, json_object_new_string(bgp_rtc_str(&v[i], buf, sizeof(buf))));
	return arr;
}

static int show_rtc_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = bgp_lookup(NULL);
	json_object *top = json_object_new_object(), *nbrs = json_object_new_object();
	char pb[IPADDR_STRLEN], buf[64];

	if (b == NULL) {
		json_object_put(top);
		json_object_put(nbrs);
		if (cmd_has(a, "json"))
			cli_out(cli, "{}\n");
		else
			cli_out(cli, "%% No BGP instance\n");
		return cmd_has(a, "json") ? CMD_SUCCESS : CMD_ERROR;
	}
	json_object_object_add(top, "localAs", json_object_new_int64(b->asn));
	for (const struct bgp_peer *p = b->peers; p != NULL; p = p->next) {
		const struct bgp_rtc *in, *out;
		int nin, nout;
		json_object *o;

		if (!p->cfg.rtc)
			continue;
		in = bgp_rtc_received(p, &nin);
		out = bgp_rtc_advertised(p, &nout);
		o = json_object_new_object();
		json_object_object_add(o, "negotiated", json_object_new_boolean(p->rtc_nego));
		json_object_object_add(o, "routeReflectorClient", json_object_new_boolean(bgp_rtc_rr_client(p)));
		json_object_object_add(o, "endOfRibReceived", json_object_new_boolean(bgp_rtc_eor(p, false)));
		json_object_object_add(o, "endOfRibSent", json_object_new_boolean(bgp_rtc_eor(p, true)));
		json_object_object_add(o, "received", set_json(in, nin));
		json_object_object_add(o, "advertised", set_json(out, nout));
		json_object_object_add(nbrs, bgp_peer_str(p, pb, sizeof(pb)), o);
	}
	json_object_object_add(top, "neighbors", nbrs);
	if (cmd_has(a, "json")) {
		cli_json(cli, top);
		return CMD_SUCCESS;
	}
	cli_out(cli, "Route target membership (RFC 4684), local AS %u\n", b->asn);
	for (const struct bgp_peer *p = b->peers; p != NULL; p = p->next) {
		const struct bgp_rtc *in, *out;
		int nin, nout;

		if (!p->cfg.rtc)
			continue;
		in = bgp_rtc_received(p, &nin);
		out = bgp_rtc_advertised(p, &nout);
		cli_out(cli, "\nNeighbor %s: %s%s\n", bgp_peer_str(p, pb, sizeof(pb)),
			p->rtc_nego ? "negotiated" : "not negotiated",
			bgp_rtc_rr_client(p) ? ", route reflector client" : "");
		cli_out(cli, "  Received (%d):", nin);
		for (int i = 0; i < nin; i++)
			cli_out(cli, " %s", bgp_rtc_str(&in[i], buf, sizeof(buf)));
		cli_out(cli, "\n  Advertised (%d):", nout);
		for (int i = 0; i < nout; i++)
			cli_out(cli, " %s", bgp_rtc_str(&out[i], buf, sizeof(buf)));
		cli_out(cli, "\n");
	}
	json_object_put(top);
	return CMD_SUCCESS;
}

static const struct cmd_def bgp_cmds[] = {
	{ "address-family ipv4 rtc",
	  "Enter Address Family command mode\nAddress Family\n"
	  "Route target membership (RT-Constrain, RFC 4684)\n",
	  af_rtc_cmd },
};

static const struct cmd_def rtc_cmds[] = {
	{ "[no] neighbor <A.B.C.D$peer|X:X::X:X$peer> activate",
	  NO_STR "Specify neighbor router\nNeighbor address\nNeighbor IPv6 address\n"
		 "Enable the Address Family for this Neighbor\n",
	  activate_cmd },
	{ "exit-address-family", "Exit from Address Family configuration mode\n", bgp_cli_exit_af },
};

static const struct cmd_def show_cmds[] = {
	{ "show bgp ipv4 rtc [json]",
	  SHOW_STR "BGP information\nAddress Family\nRoute target membership (RFC 4684)\n" JSON_STR,
	  show_rtc_cmd },
};

void bgp_rtc_cli_init(void)
{
	cmd_node_install(NODE_BGP_RTC, "config-router-af", NODE_BGP);
	cmd_install_table(NODE_BGP, bgp_cmds, ARRAY_SIZE(bgp_cmds));
	cmd_install_table(NODE_BGP_RTC, rtc_cmds, ARRAY_SIZE(rtc_cmds));
	cmd_install_table(NODE_VIEW, show_cmds, ARRAY_SIZE(show_cmds));
}
