/* BGP configuration commands in FRR's syntax (`router bgp`, `neighbor`,
 * `address-family ipv4 unicast|vpn`, and the VRF <-> VPN commands `rd vpn
 * export`, `rt vpn`, `label vpn export`, `import vpn`, `export vpn`) and the
 * canonical running configuration. Handlers are thin: they change the
 * objects of bgp.h and tell the speaker through bgp_peer_changed(). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "mpbgp/bgp.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/rib.h"
#include "mpbgp/gr.h"
#include "mpbgp/rtc.h"
#include "mpbgp/speaker.h"
#include "vrf/vrf.h"

#define AS_STR "AS number\n"

/* ---- context ---- */

static struct bgp *ctx_bgp(struct cli *cli)
{
	const char *v = cli_node_ctx(cli, NODE_BGP);
	struct bgp *b = bgp_lookup(v != NULL && strcmp(v, VRF_DEFAULT_NAME) != 0 ? v : NULL);

	if (b == NULL)
		cli_out(cli, "%% BGP instance no longer exists\n");
	return b;
}

static int ctx_af(struct cli *cli)
{
	const char *af = cli_ctx(cli);

	int i;

	for (i = 0; af != NULL && i < BGP_AF_MAX; i++)
		if (strcmp(af, bgp_af_table[i].name) == 0)
			return i;
	return BGP_AF_IPV4_UNICAST;
}

static struct bgp *ctx_uni(struct cli *cli, bool vrf_only, int *fi);

/* ---- router bgp ---- */

static int router_bgp_cmd(struct cli *cli, const struct cmd_args *a)
{
	char err[160];
	const char *vrf = cmd_arg(a, "vrf");
	struct bgp *b;

	/* FRR finds the VRF in the kernel; here `vrf NAME` declares it (and
	 * its namespace): a typo must not create one */
	if (vrf != NULL && strcmp(vrf, VRF_DEFAULT_NAME) != 0 && vrf_lookup(vrf) == NULL) {
		cli_out(cli, "%% VRF %s is not configured: declare it first (`vrf %s` then `exit-vrf`)\n",
			vrf, vrf);
		return CMD_ERROR;
	}
	b = bgp_create((uint32_t)cmd_arg_u64(a, "asn"), cmd_arg(a, "vrf"), err,
				   sizeof(err));

	if (b == NULL) {
		cli_out(cli, "%% %s\n", err);
		return CMD_ERROR;
	}
	cli_set_node(cli, NODE_BGP, b->vrf_name[0] ? b->vrf_name : VRF_DEFAULT_NAME);
	return CMD_SUCCESS;
}

static int no_router_bgp_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = bgp_lookup(cmd_arg(a, "vrf"));

	if (b == NULL || (cmd_has(a, "asn") && b->asn != cmd_arg_u64(a, "asn"))) {
		cli_out(cli, "%% No BGP process is configured%s%s with that AS\n",
			cmd_arg(a, "vrf") ? " in VRF " : "", cmd_arg(a, "vrf") ? cmd_arg(a, "vrf") : "");
		return CMD_ERROR;
	}
	if (b->vrf == NULL) {
		struct bgp *o;

		for (o = bgp_first(); o != NULL; o = bgp_next(o))
			if (o != b) {
				cli_out(cli, "%% Remove the VRF instances first (router bgp %u vrf %s)\n",
					o->asn, o->vrf_name);
				return CMD_ERROR;
			}
	}
	bgp_delete(b);
	return CMD_SUCCESS;
}

static int router_id_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);
	uint32_t id = 0;

	if (b == NULL)
		return CMD_ERROR;
	if (!cmd_is_no(a) && (addr4_parse(cmd_arg(a, "id"), &id) != 0 || id == 0)) {
		cli_out(cli, "%% Invalid router id \"%s\"\n", cmd_arg(a, "id"));
		return CMD_ERROR;
	}
	if (cmd_has(a, "router-id"))
		b->router_id = id;
	else
		b->cluster_id = id;
	for (struct bgp_peer *p = b->peers; p != NULL; p = p->next)
		bgp_peer_changed(p, true);
	return CMD_SUCCESS;
}

static int bgp_flag_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);
	bool on = !cmd_is_no(a);

	if (b == NULL)
		return CMD_ERROR;
	if (cmd_has(a, "ipv4-unicast"))
		b->default_ipv4_unicast = on;
	else if (cmd_has(a, "always-compare-med"))
		b->always_compare_med = on;
	else if (cmd_has(a, "route-target"))
		b->retain_rt_all = on;
	else if (cmd_has(a, "ebgp-requires-policy")) {
		if (b->ebgp_requires_policy == on)
			return CMD_SUCCESS;
		b->ebgp_requires_policy = on;
		/* RFC 8212: every eBGP neighbor's routes in and out again */
		for (struct bgp_peer *p = b->peers; p != NULL; p = p->next)
			if (bgp_peer_ebgp(p, b->asn))
				for (int af = 0; af < BGP_AF_MAX; af++)
					bgp_peer_policy_changed(p, (enum bgp_af)af, true, true);
	} else if (cmd_has(a, "enforce-first-as")) {
		/* from the next UPDATE on, as FRR */
		b->no_enforce_first_as = !on;
	} else if (cmd_has(a, "import-check")) {
		/* a unicast `network` only while the table has its prefix: FRR's
		 * default since 7.4; applied at once */
		if (b->no_import_check != !on) {
			b->no_import_check = !on;
			if (bgp_get_ops()->vpn_changed) /* re-originates networks */
				bgp_get_ops()->vpn_changed(b);
		}
	}
	else if (cmd_has(a, "pic")) {
		if (b->no_pic != !on) {
			b->no_pic = !on;
			/* sets the tables' backup selection; the default instance's
			 * setting covers the VRF instances too */
			for (struct bgp *x = bgp_first(); x != NULL; x = bgp_next(x))
				if ((x == b || b->vrf == NULL) && bgp_get_ops()->vpn_changed)
					bgp_get_ops()->vpn_changed(x);
		}
	}
	else if (cmd_has(a, "labelled-nexthop-resolution")) {
		b->nh_unlabelled_ok = !on;
		if (b->rib[BGP_AF_VPNV4] != NULL)
			bgp_rib_revalidate(b->rib[BGP_AF_VPNV4], NULL);
		if (b->rib[BGP_AF_VPNV6] != NULL)
			bgp_rib_revalidate(b->rib[BGP_AF_VPNV6], NULL);
	}
	return CMD_SUCCESS;
}

static int timers_bgp_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);
	unsigned long long ka = cmd_arg_u64(a, "keepalive"), hold = cmd_arg_u64(a, "hold");

	if (b == NULL)
		return CMD_ERROR;
	if (cmd_is_no(a)) {
		b->keepalive = BGP_DEFAULT_KEEPALIVE;
		b->holdtime = BGP_DEFAULT_HOLDTIME;
		return CMD_SUCCESS;
	}
	if (hold != 0 && hold < 3) {
		cli_out(cli, "%% Hold time must be 0 or at least 3 seconds (RFC 4271 4.2)\n");
		return CMD_ERROR;
	}
	b->keepalive = (uint16_t)ka;
	b->holdtime = (uint16_t)hold;
	return CMD_SUCCESS;
}

/* `distance bgp EXT INT LOCAL` (FRR: per unicast family; at the router
 * bgp level IPv4): the distances of eBGP (and VPN-imported) and iBGP routes
 * in the VRF's table; LOCAL is kept for FRR's sake, ped does not put its
 * own originations into the table. */
static int distance_cmd(struct cli *cli, const struct cmd_args *a)
{
	int fi;
	struct bgp *b = ctx_uni(cli, false, &fi);

	if (b == NULL)
		return CMD_ERROR;
	if (cmd_is_no(a)) {
		memset(b->distance[fi], 0, sizeof(b->distance[fi]));
	} else {
		b->distance[fi][0] = (uint8_t)cmd_arg_u64(a, "ext");
		b->distance[fi][1] = (uint8_t)cmd_arg_u64(a, "int");
		b->distance[fi][2] = (uint8_t)cmd_arg_u64(a, "local");
	}
	speaker_vrf_reinstall(b);
	return CMD_SUCCESS;
}

/* BGP unnumbered (`neighbor eth0 interface`) runs over IPv6 link-local
 * addresses with RFC 8950 next hops: neither is done. */
static int neighbor_interface_cmd(struct cli *cli, const struct cmd_args *a)
{
	cli_out(cli, "%% neighbor %s interface: BGP unnumbered (IPv6 link-local sessions, RFC 8950 "
		"next hops) is not supported; configure the neighbor's address\n",
		cmd_arg(a, "ifname"));
	return CMD_ERROR;
}

/* ---- address families ---- */

static int address_family_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);

	bool v6 = cmd_has(a, "ipv6");

	if (b == NULL)
		return CMD_ERROR;
	if (cmd_has(a, "vpn")) {
		if (b->vrf != NULL) {
			cli_out(cli, "%% The VPN family belongs to the default instance (router bgp %u)\n",
				b->asn);
			return CMD_ERROR;
		}
		cli_set_node(cli, NODE_BGP_AF, v6 ? "ipv6 vpn" : "ipv4 vpn");
	} else if (v6) {
		cli_set_node(cli, NODE_BGP_AF, "ipv6 unicast");
	} else {
		cli_set_node(cli, NODE_BGP_AF, "ipv4 unicast");
	}
	return CMD_SUCCESS;
}

int bgp_cli_exit_af(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	cli_exit_node(cli);
	return CMD_SUCCESS;
}

static int redistribute_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);

	if (b == NULL)
		return CMD_ERROR;
	int af = ctx_af(cli);

	if (af != BGP_AF_IPV4_UNICAST && af != BGP_AF_IPV6_UNICAST) {
		cli_out(cli, "%% redistribute belongs to address-family ipv4 unicast or ipv6 unicast\n");
		return CMD_ERROR;
	}
	{
		int fi = af_index(bgp_af_family(af)), k = cmd_has(a, "connected") ? 0 : 1;
		const char *rm = cmd_is_no(a) ? NULL : cmd_arg(a, "rmap");

		if (rm != NULL && strlen(rm) >= BGP_POLICY_NAME_LEN) {
			cli_out(cli, "%% Route-map name too long\n");
			return CMD_ERROR;
		}
		if (k == 0)
			b->redist_connected[fi] = !cmd_is_no(a);
		else
			b->redist_static[fi] = !cmd_is_no(a);
		snprintf(b->redist_rmap[k][fi], BGP_POLICY_NAME_LEN, "%s", rm != NULL ? rm : "");
	}
	if (bgp_get_ops()->vpn_changed)
		bgp_get_ops()->vpn_changed(b);
	return CMD_SUCCESS;
}

static int network_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);
	struct bgp_network n, *e;
	bool host_bits;
	char err[128];
	int af = ctx_af(cli);

	if (b == NULL)
		return CMD_ERROR;
	memset(&n, 0, sizeof(n));
	n.af = (enum bgp_af)af;
	if (prefix_parse(cmd_arg(a, "prefix"), &n.p.pfx, &host_bits) != 0 || host_bits) {
		cli_out(cli, "%% Invalid network \"%s\"%s\n", cmd_arg(a, "prefix"),
			host_bits ? " (host bits set)" : "");
		return CMD_ERROR;
	}
	if (n.p.pfx.af != bgp_af_family(n.af)) {
		cli_out(cli, "%% Invalid network \"%s\": an %s prefix in address-family %s\n",
			cmd_arg(a, "prefix"), n.p.pfx.af == AF_INET ? "IPv4" : "IPv6",
			bgp_af_table[n.af].name);
		return CMD_ERROR;
	}
	if (bgp_af_is_vpn(af)) {
		if (cmd_arg(a, "rd") == NULL) {
			cli_out(cli, "%% A VPN network needs `rd RD label LABEL`\n");
			return CMD_ERROR;
		}
		if (rd_parse(cmd_arg(a, "rd"), &n.p.rd, err, sizeof(err)) != 0) {
			cli_out(cli, "%% Invalid route distinguisher: %s\n", err);
			return CMD_ERROR;
		}
		n.label = (mpls_label_t)cmd_arg_u64(a, "label");
		n.label_set = true;
	} else if (cmd_arg(a, "rd") != NULL) {
		cli_out(cli, "%% rd/label belong to address-family ipv4 vpn\n");
		return CMD_ERROR;
	}
	if (cmd_arg(a, "rmap") != NULL) {
		if (bgp_af_is_vpn(af) || strlen(cmd_arg(a, "rmap")) >= sizeof(n.route_map)) {
			cli_out(cli, "%% network ... route-map belongs to a unicast family (name under %zu characters)\n",
				sizeof(n.route_map));
			return CMD_ERROR;
		}
		snprintf(n.route_map, sizeof(n.route_map), "%s", cmd_arg(a, "rmap"));
	}
	e = bgp_network_find(b, (enum bgp_af)af, &n.p);
	if (cmd_is_no(a)) {
		struct bgp_rib_src src = { BGP_SRC_LOCAL, NULL, b, NULL };

		if (e == NULL) {
			cli_out(cli, "%% Can't find the specified static route configuration\n");
			return CMD_ERROR;
		}
		bgp_network_del(b, e);
		/* its path goes now (a redistributed route of the same prefix
		 * comes back with the refresh below) */
		if (b->rib[af] != NULL)
			bgp_rib_withdraw(b->rib[af], &src, &n.p);
	} else if (e != NULL) {
		e->label = n.label;
		e->label_set = n.label_set;
		memcpy(e->route_map, n.route_map, sizeof(e->route_map));
	} else {
		e = xmalloc(sizeof(*e));
		*e = n;
		bgp_network_add(b, e);
	}
	if (bgp_get_ops()->vpn_changed)
		bgp_get_ops()->vpn_changed(b);
	return CMD_SUCCESS;
}

static int aggregate_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);
	int af = ctx_af(cli);
	struct prefix p;
	bool host_bits;

	if (b == NULL)
		return CMD_ERROR;
	if (af != BGP_AF_IPV4_UNICAST && af != BGP_AF_IPV6_UNICAST) {
		cli_out(cli, "%% aggregate-address belongs to address-family ipv4 unicast or ipv6 unicast\n");
		return CMD_ERROR;
	}
	if (prefix_parse(cmd_arg(a, "prefix"), &p, &host_bits) != 0 || host_bits) {
		cli_out(cli, "%% Invalid aggregate \"%s\"%s\n", cmd_arg(a, "prefix"),
			host_bits ? " (host bits set)" : "");
		return CMD_ERROR;
	}
	if (p.af != bgp_af_family(af)) {
		cli_out(cli, "%% Invalid aggregate \"%s\": an %s prefix in address-family %s\n",
			cmd_arg(a, "prefix"), p.af == AF_INET ? "IPv4" : "IPv6", bgp_af_table[af].name);
		return CMD_ERROR;
	}
	if (bgp_aggregate_set(b, (enum bgp_af)af, &p, cmd_has(a, "summary-only"), cmd_has(a, "as-set"),
			      cmd_is_no(a)) != 0) {
		cli_out(cli, "%% There is no aggregate %s\n", cmd_arg(a, "prefix"));
		return CMD_ERROR;
	}
	/* summary-only changes what peers and the VPN get */
	for (struct bgp_peer *q = b->peers; q != NULL; q = q->next)
		bgp_peer_policy_changed(q, (enum bgp_af)af, false, true);
	if (bgp_get_ops()->vpn_changed)
		bgp_get_ops()->vpn_changed(b);
	return CMD_SUCCESS;
}

/* ---- VRF <-> VPN ---- */

static struct vrf *ctx_vrf_af(struct cli *cli, struct bgp **bp)
{
	struct bgp *b = ctx_bgp(cli);

	*bp = b;
	if (b == NULL)
		return NULL;
	if (b->vrf == NULL ||
	    (ctx_af(cli) != BGP_AF_IPV4_UNICAST && ctx_af(cli) != BGP_AF_IPV6_UNICAST)) {
		cli_out(cli, "%% This command belongs to address-family ipv4|ipv6 unicast of `router bgp ASN vrf NAME`\n");
		return NULL;
	}
	b->vpn_af_mask |= (uint8_t)(1u << ctx_af(cli));
	return b->vrf;
}

static void vpn_changed(struct bgp *b)
{
	if (bgp_get_ops()->vpn_changed)
		bgp_get_ops()->vpn_changed(b);
}

static int rd_vpn_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b;
	struct vrf *vrf = ctx_vrf_af(cli, &b);
	char err[128];
	struct rd rd;

	if (vrf == NULL)
		return CMD_ERROR;
	if (cmd_is_no(a)) {
		vrf->rd_set = false;
		memset(&vrf->rd, 0, sizeof(vrf->rd));
	} else {
		if (rd_parse(cmd_arg(a, "rd"), &rd, err, sizeof(err)) != 0) {
			cli_out(cli, "%% Invalid route distinguisher \"%s\": %s\n", cmd_arg(a, "rd"), err);
			return CMD_ERROR;
		}
		vrf->rd = rd;
		vrf->rd_set = true;
	}
	vrf->rd_rt_in_bgp = true;
	vpn_changed(b);
	return CMD_SUCCESS;
}

static int rt_vpn_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b;
	struct vrf *vrf = ctx_vrf_af(cli, &b);
	bool imp = cmd_has(a, "import") || cmd_has(a, "both");
	bool exp = cmd_has(a, "export") || cmd_has(a, "both");
	struct ecomm rts[VRF_MAX_RT];
	char buf[4096], err[128], *tok, *save = NULL;
	int n = 0, i;

	if (vrf == NULL)
		return CMD_ERROR;
	if (cmd_arg(a, "rts") == NULL) { /* `no rt vpn both`: all of them */
		if (imp)
			vrf->rt_import.count = 0;
		if (exp)
			vrf->rt_export.count = 0;
		vpn_changed(b);
		return CMD_SUCCESS;
	}
	snprintf(buf, sizeof(buf), "%s", cmd_arg(a, "rts"));
	for (tok = strtok_r(buf, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
		if (n == VRF_MAX_RT) {
			cli_out(cli, "%% At most %d route targets\n", VRF_MAX_RT);
			return CMD_ERROR;
		}
		if (ecomm_parse(tok, ECOMM_SUB_RT, &rts[n], err, sizeof(err)) != 0) {
			cli_out(cli, "%% Invalid route target \"%s\": %s\n", tok, err);
			return CMD_ERROR;
		}
		n++;
	}
	for (i = 0; i < n; i++) {
		if (cmd_is_no(a)) {
			if (imp)
				rt_set_del(&vrf->rt_import, &rts[i]);
			if (exp)
				rt_set_del(&vrf->rt_export, &rts[i]);
			continue;
		}
		if ((imp && rt_set_add(&vrf->rt_import, &rts[i]) < 0) ||
		    (exp && rt_set_add(&vrf->rt_export, &rts[i]) < 0)) {
			cli_out(cli, "%% At most %d route targets per direction\n", VRF_MAX_RT);
			return CMD_ERROR;
		}
	}
	vrf->rd_rt_in_bgp = true;
	vpn_changed(b);
	return CMD_SUCCESS;
}

static int label_vpn_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b;
	struct vrf *vrf = ctx_vrf_af(cli, &b);

	if (vrf == NULL)
		return CMD_ERROR;
	if (cmd_is_no(a))
		b->label_mode = BGP_LABEL_NONE;
	else if (cmd_has(a, "auto"))
		b->label_mode = BGP_LABEL_AUTO;
	else {
		b->label_mode = BGP_LABEL_FIXED;
		b->label_fixed = (mpls_label_t)cmd_arg_u64(a, "label");
	}
	vpn_changed(b);
	return CMD_SUCCESS;
}

static int label_mode_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b;
	struct vrf *vrf = ctx_vrf_af(cli, &b);

	if (vrf == NULL)
		return CMD_ERROR;
	if (cmd_is_no(a) || cmd_has(a, "per-vrf"))
		b->label_alloc = BGP_LABEL_PER_VRF;
	else if (cmd_has(a, "per-nexthop"))
		b->label_alloc = BGP_LABEL_PER_NEXTHOP;
	else
		b->label_alloc = BGP_LABEL_PER_PREFIX;
	vpn_changed(b);
	return CMD_SUCCESS;
}

static int import_export_vpn_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b;
	struct vrf *vrf = ctx_vrf_af(cli, &b);

	if (vrf == NULL)
		return CMD_ERROR;
	if (cmd_has(a, "import"))
		b->import_vpn = !cmd_is_no(a);
	else
		b->export_vpn = !cmd_is_no(a);
	vpn_changed(b);
	return CMD_SUCCESS;
}

/* ---- multipath, VPN policy, VRF leaking (unicast families) ---- */

/* The instance and the family index of a unicast address-family node;
 * vrf_only: of a VRF instance. */
static struct bgp *ctx_uni(struct cli *cli, bool vrf_only, int *fi)
{
	struct bgp *b = ctx_bgp(cli);
	int af = ctx_af(cli);

	if (b == NULL)
		return NULL;
	if ((af != BGP_AF_IPV4_UNICAST && af != BGP_AF_IPV6_UNICAST) ||
	    (vrf_only && b->vrf == NULL)) {
		cli_out(cli, "%% This command belongs to address-family ipv4|ipv6 unicast%s\n",
			vrf_only ? " of `router bgp ASN vrf NAME`" : "");
		return NULL;
	}
	*fi = af_index(bgp_af_family(af));
	return b;
}

static int maximum_paths_cmd(struct cli *cli, const struct cmd_args *a)
{
	int fi;
	struct bgp *b = ctx_uni(cli, false, &fi);
	uint8_t v = cmd_is_no(a) ? 0 : (uint8_t)cmd_arg_u64(a, "n");

	if (b == NULL)
		return CMD_ERROR;
	if (v == 1)
		v = 0; /* FRR's default */
	if (cmd_has(a, "ibgp"))
		b->maxpaths_ibgp[fi] = v;
	else
		b->maxpaths[fi] = v;
	vpn_changed(b);
	return CMD_SUCCESS;
}

static void set_name(char *dst, const char *v)
{
	snprintf(dst, BGP_POLICY_NAME_LEN, "%s", v != NULL ? v : "");
}

static int route_map_vpn_cmd(struct cli *cli, const struct cmd_args *a)
{
	int fi;
	struct bgp *b = ctx_uni(cli, true, &fi);
	char *slot;

	if (b == NULL)
		return CMD_ERROR;
	slot = cmd_has(a, "import") ? b->rmap_vpn_import[fi] : b->rmap_vpn_export[fi];
	set_name(slot, cmd_is_no(a) ? NULL : cmd_arg(a, "name"));
	vpn_changed(b);
	return CMD_SUCCESS;
}

static int import_vrf_rmap_cmd(struct cli *cli, const struct cmd_args *a)
{
	int fi;
	struct bgp *b = ctx_uni(cli, true, &fi);

	if (b == NULL)
		return CMD_ERROR;
	set_name(b->rmap_import_vrf[fi], cmd_is_no(a) ? NULL : cmd_arg(a, "name"));
	vpn_changed(b);
	return CMD_SUCCESS;
}

static int import_vrf_cmd(struct cli *cli, const struct cmd_args *a)
{
	int fi, i;
	struct bgp *b = ctx_bgp(cli);
	const char *name = cmd_arg(a, "vrf");

	if (b != NULL && b->vrf == NULL) {
		cli_out(cli, "%% import vrf in the default instance: leaking between a VRF and the default "
			"instance is not supported (VRF to VRF only)\n");
		return CMD_ERROR;
	}
	b = ctx_uni(cli, true, &fi);
	if (b == NULL)
		return CMD_ERROR;
	if (strcmp(name, b->vrf_name) == 0) {
		cli_out(cli, "%% Cannot import routes from the same VRF\n");
		return CMD_ERROR;
	}
	if (!cmd_is_no(a) && strcmp(name, VRF_DEFAULT_NAME) == 0) {
		cli_out(cli, "%% import vrf default: leaking between the default instance and a VRF is not "
			"supported (VRF to VRF only)\n");
		return CMD_ERROR;
	}
	for (i = 0; i < b->nimport_vrf[fi]; i++)
		if (strcmp(b->import_vrf[fi][i], name) == 0)
			break;
	if (cmd_is_no(a)) {
		if (i == b->nimport_vrf[fi])
			return CMD_SUCCESS;
		memmove(b->import_vrf[fi][i], b->import_vrf[fi][i + 1],
			sizeof(b->import_vrf[fi][0]) * (size_t)(b->nimport_vrf[fi] - i - 1));
		b->nimport_vrf[fi]--;
	} else if (i == b->nimport_vrf[fi]) {
		if (i == BGP_MAX_IMPORT_VRF) {
			cli_out(cli, "%% At most %d VRFs imported\n", BGP_MAX_IMPORT_VRF);
			return CMD_ERROR;
		}
		if (strlen(name) >= sizeof(b->import_vrf[fi][0])) {
			cli_out(cli, "%% VRF name too long\n");
			return CMD_ERROR;
		}
		snprintf(b->import_vrf[fi][i], sizeof(b->import_vrf[fi][i]), "%s", name);
		b->nimport_vrf[fi]++;
	}
	vpn_changed(b);
	return CMD_SUCCESS;
}

/* ---- running configuration ---- */

static void af_write(struct cli *cli, const struct bgp *b, int af)
{
	struct bgp_network *n;
	char buf[64], rdb[RD_STRLEN];
	bool any = false;
	int i;

#define AF_OPEN()                                                               \
	do {                                                                    \
		if (!any)                                                       \
			cli_out(cli, " !\n address-family %s\n", bgp_af_table[af].name); \
		any = true;                                                     \
	} while (0)

	for (n = b->networks; n != NULL; n = n->next) {
		if ((int)n->af != af)
			continue;
		AF_OPEN();
		cli_out(cli, "  network %s", prefix_ntop(&n->p.pfx, buf, sizeof(buf)));
		if (bgp_af_is_vpn(af))
			cli_out(cli, " rd %s label %u", rd_format(&n->p.rd, rdb, sizeof(rdb)), n->label);
		if (n->route_map[0])
			cli_out(cli, " route-map %s", n->route_map);
		cli_out(cli, "\n");
	}
	for (const struct bgp_aggregate *g = b->aggregates; g != NULL; g = g->next) {
		if ((int)g->af != af)
			continue;
		AF_OPEN();
		cli_out(cli, "  aggregate-address %s%s%s\n", prefix_ntop(&g->p, buf, sizeof(buf)),
			g->as_set ? " as-set" : "", g->summary_only ? " summary-only" : "");
	}
	if (af == BGP_AF_IPV4_UNICAST || af == BGP_AF_IPV6_UNICAST) {
		int fi = af_index(bgp_af_family(af));

		if (b->redist_connected[fi]) {
			AF_OPEN();
			cli_out(cli, "  redistribute connected%s%s\n", b->redist_rmap[0][fi][0] ? " route-map " : "",
				b->redist_rmap[0][fi]);
		}
		if (b->redist_static[fi]) {
			AF_OPEN();
			cli_out(cli, "  redistribute static%s%s\n", b->redist_rmap[1][fi][0] ? " route-map " : "",
				b->redist_rmap[1][fi]);
		}
	}
	if (af == BGP_AF_IPV4_UNICAST || af == BGP_AF_IPV6_UNICAST) {
		int fi = af_index(bgp_af_family(af));

		if (b->distance[fi][0] != 0) {
			AF_OPEN();
			cli_out(cli, "  distance bgp %u %u %u\n", b->distance[fi][0], b->distance[fi][1],
				b->distance[fi][2]);
		}
		if (b->maxpaths[fi] > 1) {
			AF_OPEN();
			cli_out(cli, "  maximum-paths %u\n", b->maxpaths[fi]);
		}
		if (b->maxpaths_ibgp[fi] > 1) {
			AF_OPEN();
			cli_out(cli, "  maximum-paths ibgp %u\n", b->maxpaths_ibgp[fi]);
		}
	}
	bgp_neighbor_af_write(cli, b, af, &any);
	if ((af == BGP_AF_IPV4_UNICAST || af == BGP_AF_IPV6_UNICAST) && b->vrf != NULL &&
	    (b->vpn_af_mask & (1u << af))) {
		const struct vrf *vrf = b->vrf;

		if (b->label_mode == BGP_LABEL_AUTO) {
			AF_OPEN();
			cli_out(cli, "  label vpn export auto\n");
		} else if (b->label_mode == BGP_LABEL_FIXED) {
			AF_OPEN();
			cli_out(cli, "  label vpn export %u\n", b->label_fixed);
		}
		if (b->label_alloc != BGP_LABEL_PER_VRF) {
			AF_OPEN();
			cli_out(cli, "  label vpn export allocation-mode %s\n",
				b->label_alloc == BGP_LABEL_PER_NEXTHOP ? "per-nexthop" : "per-prefix");
		}
		if (vrf->rd_rt_in_bgp) {
			if (vrf->rd_set) {
				AF_OPEN();
				cli_out(cli, "  rd vpn export %s\n", rd_format(&vrf->rd, rdb, sizeof(rdb)));
			}
			/* RTs in both sets print as `both`, the rest per direction */
			for (i = 0; i < 3; i++) {
				const struct rt_set *s = i == 2 ? &vrf->rt_export : &vrf->rt_import;
				const char *dir[] = { "both", "import", "export" };
				bool first = true;
				int k;

				for (k = 0; k < s->count; k++) {
					bool inboth = rt_set_has(&vrf->rt_export, &s->rt[k]) &&
						      rt_set_has(&vrf->rt_import, &s->rt[k]);

					if ((i == 0) != inboth)
						continue;
					AF_OPEN();
					cli_out(cli, "%s%s", first ? "  rt vpn " : " ", first ? dir[i] : "");
					cli_out(cli, "%s%s", first ? " " : "",
						ecomm_format(&s->rt[k], rdb, sizeof(rdb)));
					first = false;
				}
				if (!first)
					cli_out(cli, "\n");
			}
		}
		if (b->export_vpn) {
			AF_OPEN();
			cli_out(cli, "  export vpn\n");
		}
		if (b->import_vpn) {
			AF_OPEN();
			cli_out(cli, "  import vpn\n");
		}
	}
	if ((af == BGP_AF_IPV4_UNICAST || af == BGP_AF_IPV6_UNICAST) && b->vrf != NULL) {
		int fi = af_index(bgp_af_family(af));

		if (b->rmap_vpn_import[fi][0]) {
			AF_OPEN();
			cli_out(cli, "  route-map vpn import %s\n", b->rmap_vpn_import[fi]);
		}
		if (b->rmap_vpn_export[fi][0]) {
			AF_OPEN();
			cli_out(cli, "  route-map vpn export %s\n", b->rmap_vpn_export[fi]);
		}
		if (b->rmap_import_vrf[fi][0]) {
			AF_OPEN();
			cli_out(cli, "  import vrf route-map %s\n", b->rmap_import_vrf[fi]);
		}
		for (i = 0; i < b->nimport_vrf[fi]; i++) {
			AF_OPEN();
			cli_out(cli, "  import vrf %s\n", b->import_vrf[fi][i]);
		}
	}
	if (af == BGP_AF_VPNV4 && !b->retain_rt_all) {
		AF_OPEN();
		cli_out(cli, "  no bgp retain route-target all\n");
	}
	if (any)
		cli_out(cli, " exit-address-family\n");
#undef AF_OPEN
}

void bgp_config_write(struct cli *cli)
{
	struct bgp *b;
	char a[IPADDR_STRLEN];

	for (b = bgp_first(); b != NULL; b = bgp_next(b)) {
		cli_out(cli, "router bgp %u%s%s\n", b->asn, b->vrf_name[0] ? " vrf " : "", b->vrf_name);
		if (b->router_id)
			cli_out(cli, " bgp router-id %s\n", addr4_ntop(b->router_id, a, sizeof(a)));
		if (b->cluster_id)
			cli_out(cli, " bgp cluster-id %s\n", addr4_ntop(b->cluster_id, a, sizeof(a)));
		if (!b->default_ipv4_unicast)
			cli_out(cli, " no bgp default ipv4-unicast\n");
		if (b->always_compare_med)
			cli_out(cli, " bgp always-compare-med\n");
		if (b->nh_unlabelled_ok)
			cli_out(cli, " no bgp labelled-nexthop-resolution\n");
		if (!b->ebgp_requires_policy)
			cli_out(cli, " no bgp ebgp-requires-policy\n");
		if (b->no_import_check)
			cli_out(cli, " no bgp network import-check\n");
		if (b->no_enforce_first_as)
			cli_out(cli, " no bgp enforce-first-as\n");
		if (b->no_pic)
			cli_out(cli, " no bgp pic\n");
		if (b->vrf == NULL)
			bgp_gr_config_write(cli, b);

		if (b->keepalive != BGP_DEFAULT_KEEPALIVE || b->holdtime != BGP_DEFAULT_HOLDTIME)
			cli_out(cli, " timers bgp %u %u\n", b->keepalive, b->holdtime);
		bgp_neighbor_config_write(cli, b);
		af_write(cli, b, BGP_AF_IPV4_UNICAST);
		af_write(cli, b, BGP_AF_IPV6_UNICAST);
		if (b->vrf == NULL) {
			af_write(cli, b, BGP_AF_VPNV4);
			af_write(cli, b, BGP_AF_VPNV6);
			bgp_rtc_config_write(cli, b);
		}
		cli_out(cli, "exit\n!\n");
	}
}

/* ---- command tables ---- */

static const struct cmd_def config_cmds[] = {
	{ "router bgp (1-4294967295)$asn [vrf NAME$vrf]",
	  "Enable a routing process\n" BGP_STR AS_STR VRF_STR "VRF name\n", router_bgp_cmd },
	{ "no router bgp [(1-4294967295)$asn] [vrf NAME$vrf]",
	  NO_STR "Enable a routing process\n" BGP_STR AS_STR VRF_STR "VRF name\n",
	  no_router_bgp_cmd },
};

static const struct cmd_def bgp_cmds[] = {
	{ "bgp router-id A.B.C.D$id", BGP_STR "Override configured router identifier\nRouter id\n",
	  router_id_cmd },
	{ "no bgp router-id [A.B.C.D$id]", NO_STR BGP_STR "Override configured router identifier\nRouter id\n",
	  router_id_cmd },
	{ "bgp cluster-id A.B.C.D$id", BGP_STR "Configure Route-Reflector Cluster-id\nCluster id\n",
	  router_id_cmd },
	{ "no bgp cluster-id [A.B.C.D$id]",
	  NO_STR BGP_STR "Configure Route-Reflector Cluster-id\nCluster id\n", router_id_cmd },
	{ "[no] bgp default ipv4-unicast",
	  NO_STR BGP_STR "Configure BGP defaults\nActivate ipv4-unicast for a peer by default\n",
	  bgp_flag_cmd },
	{ "[no] bgp labelled-nexthop-resolution",
	  NO_STR BGP_STR "VPN next hops only through labelled (LDP) paths when LDP runs (default)\n",
	  bgp_flag_cmd },
	{ "[no] bgp ebgp-requires-policy",
	  NO_STR BGP_STR "Require in and out policy for eBGP peers (RFC 8212)\n", bgp_flag_cmd },
	{ "[no] bgp enforce-first-as",
	  NO_STR BGP_STR "An eBGP path must start with the neighbor's AS (default, RFC 4271 6.3)\n",
	  bgp_flag_cmd },
	{ "[no] bgp network import-check",
	  NO_STR BGP_STR "BGP network command\nCheck BGP network route exists in IGP (ped: never)\n",
	  bgp_flag_cmd },
	{ "neighbor WORD$ifname interface [LINE]",
	  "Specify neighbor router\nInterface name\nEnable BGP on interface (unnumbered: refused)\n"
	  "Arguments\n",
	  neighbor_interface_cmd },
	{ "[no] bgp pic",
	  NO_STR BGP_STR "Prefix independent convergence (PIC edge): install a backup path for "
	  "VPN routes (default)\n",
	  bgp_flag_cmd },
	{ "[no] bgp always-compare-med",
	  NO_STR BGP_STR "Allow comparing MED from different neighbors\n", bgp_flag_cmd },
	{ "timers bgp (0-65535)$keepalive (0-65535)$hold",
	  "Adjust routing timers\nBGP timers\nKeepalive interval\nHoldtime\n", timers_bgp_cmd },
	{ "no timers bgp [(0-65535) (0-65535)]",
	  NO_STR "Adjust routing timers\nBGP timers\nKeepalive interval\nHoldtime\n",
	  timers_bgp_cmd },
	{ "address-family ipv4 [<unicast|vpn>]",
	  "Enter Address Family command mode\nAddress Family\nAddress Family modifier\n"
	  "Address Family modifier\n",
	  address_family_cmd },
	{ "address-family ipv6 [<unicast|vpn>]",
	  "Enter Address Family command mode\nAddress Family\nAddress Family modifier\n"
	  "Address Family modifier\n",
	  address_family_cmd },
};

#define DISTANCE_HELP                                                                             \
	"Define an administrative distance\nBGP distance\nDistance for routes external to the AS\n" \
	"Distance for routes internal to the AS\nDistance for local routes\n"

static const struct cmd_def af_cmds[] = {
	{ "distance bgp (1-255)$ext (1-255)$int (1-255)$local",
	  DISTANCE_HELP,
	  distance_cmd },
	{ "no distance bgp [(1-255) (1-255) (1-255)]",
	  NO_STR DISTANCE_HELP,
	  distance_cmd },
	{ "[no] redistribute <connected|static> [route-map WORD$rmap]",
	  NO_STR "Redistribute information from another routing protocol\nConnected routes\nStatic routes\n"
		 "Route map reference\nPointer to route-map entries\n",
	  redistribute_cmd },
	{ "[no] network A.B.C.D/M$prefix [<rd ASN:NN_OR_IP-ADDRESS:NN$rd label (0-1048575)$label|route-map WORD$rmap>]",
	  NO_STR "Specify a network to announce via BGP\nIPv4 prefix\n"
		 "Specify Route Distinguisher\nVPN Route Distinguisher\nVPN NLRI label\nLabel value\n"
		 "Route-map to modify the attributes\nName of the route map\n",
	  network_cmd },
	{ "[no] network X:X::X:X/M$prefix [<rd ASN:NN_OR_IP-ADDRESS:NN$rd label (0-1048575)$label|route-map WORD$rmap>]",
	  NO_STR "Specify a network to announce via BGP\nIPv6 prefix\n"
		 "Specify Route Distinguisher\nVPN Route Distinguisher\nVPN NLRI label\nLabel value\n"
		 "Route-map to modify the attributes\nName of the route map\n",
	  network_cmd },
	{ "[no] aggregate-address A.B.C.D/M$prefix [{summary-only|as-set}]",
	  NO_STR "Configure BGP aggregate entries\nAggregate prefix\n"
		 "Filter more specific routes from updates\nGenerate AS set path information\n",
	  aggregate_cmd },
	{ "[no] aggregate-address X:X::X:X/M$prefix [{summary-only|as-set}]",
	  NO_STR "Configure BGP aggregate entries\nAggregate prefix\n"
		 "Filter more specific routes from updates\nGenerate AS set path information\n",
	  aggregate_cmd },
	{ "rd vpn export ASN:NN_OR_IP-ADDRESS:NN$rd",
	  "Specify route distinguisher\nBetween current address-family and vpn\n"
	  "For routes leaked from current address-family to vpn\nRoute Distinguisher\n",
	  rd_vpn_cmd },
	{ "no rd vpn export [ASN:NN_OR_IP-ADDRESS:NN]",
	  NO_STR "Specify route distinguisher\nBetween current address-family and vpn\n"
		 "For routes leaked from current address-family to vpn\nRoute Distinguisher\n",
	  rd_vpn_cmd },
	{ "rt vpn <import|export|both> LINE$rts",
	  "Specify route target list\nBetween current address-family and vpn\n"
	  "For routes leaked from vpn to current address-family: match any\n"
	  "For routes leaked from current address-family to vpn: set\nboth import: match any and export: set\n"
	  "Space separated route target list (A.B.C.D:MN|EF:OPQR|GHJK:MN)\n",
	  rt_vpn_cmd },
	{ "no rt vpn <import|export|both> [LINE$rts]",
	  NO_STR "Specify route target list\nBetween current address-family and vpn\n"
		 "For routes leaked from vpn to current address-family\n"
		 "For routes leaked from current address-family to vpn\nboth import and export\n"
		 "Space separated route target list\n",
	  rt_vpn_cmd },
	{ "label vpn export <(16-1048575)$label|auto>",
	  "label value for VRF\nBetween current address-family and vpn\n"
	  "For routes leaked from current address-family to vpn\nLabel Value <16-1048575>\n"
	  "Automatically assign a label\n",
	  label_vpn_cmd },
	{ "no label vpn export [<(16-1048575)|auto>]",
	  NO_STR "label value for VRF\nBetween current address-family and vpn\n"
		 "For routes leaked from current address-family to vpn\nLabel Value <16-1048575>\n"
		 "Automatically assign a label\n",
	  label_vpn_cmd },
	{ "label vpn export allocation-mode <per-vrf|per-nexthop|per-prefix>",
	  "label value for VRF\nBetween current address-family and vpn\n"
	  "For routes leaked from current address-family to vpn\nLabel allocation mode\n"
	  "One label for the VRF (pop and look up)\nOne label per next hop (pop and forward)\n"
	  "One label per prefix (FRR lacks it)\n",
	  label_mode_cmd },
	{ "no label vpn export allocation-mode [<per-vrf|per-nexthop|per-prefix>]",
	  NO_STR "label value for VRF\nBetween current address-family and vpn\n"
		 "For routes leaked from current address-family to vpn\nLabel allocation mode\n"
		 "One label for the VRF\nOne label per next hop\nOne label per prefix\n",
	  label_mode_cmd },
	{ "[no] <import|export> vpn",
	  NO_STR "Import routes to this address-family\nExport routes from this address-family\n"
		 "to/from default instance VPN RIB\n",
	  import_export_vpn_cmd },
	{ "maximum-paths [ibgp$ibgp] (1-64)$n",
	  "Forward packets over multiple paths\niBGP-multipath\nNumber of paths\n",
	  maximum_paths_cmd },
	{ "no maximum-paths [ibgp$ibgp] [(1-64)]",
	  NO_STR "Forward packets over multiple paths\niBGP-multipath\nNumber of paths\n",
	  maximum_paths_cmd },
	{ "route-map vpn <import|export> RMAP_NAME$name",
	  "Specify route map\nBetween current address-family and vpn\n"
	  "For routes leaked from vpn to current address-family\n"
	  "For routes leaked from current address-family to vpn\nname of route-map\n",
	  route_map_vpn_cmd },
	{ "no route-map vpn <import|export> [RMAP_NAME]",
	  NO_STR "Specify route map\nBetween current address-family and vpn\n"
		 "For routes leaked from vpn to current address-family\n"
		 "For routes leaked from current address-family to vpn\nname of route-map\n",
	  route_map_vpn_cmd },
	{ "import vrf route-map RMAP_NAME$name",
	  "Import routes from another VRF\nVRF to import from\n"
	  "Specify route map\nname of route-map\n",
	  import_vrf_rmap_cmd },
	{ "no import vrf route-map [RMAP_NAME]",
	  NO_STR "Import routes from another VRF\nVRF to import from\n"
		 "Specify route map\nname of route-map\n",
	  import_vrf_rmap_cmd },
	{ "[no] import vrf VIEWVRFNAME$vrf",
	  NO_STR "Import routes from another VRF\nVRF to import from\nThe name of the VRF\n",
	  import_vrf_cmd },
	{ "[no] bgp retain route-target all",
	  NO_STR BGP_STR "Retain BGP updates\nRetain routes by RT\nRetain all routes\n", bgp_flag_cmd },
	{ "exit-address-family", "Exit from Address Family configuration mode\n", bgp_cli_exit_af },
};

/* FRR takes these at the `router bgp` level as IPv4 unicast (ctx_af()
 * outside an address-family node is IPv4 unicast) and writes them back
 * under `address-family ipv4 unicast`; so does ped. */
static const struct cmd_def bgp_implicit_v4_cmds[] = {
	{ "distance bgp (1-255)$ext (1-255)$int (1-255)$local",
	  DISTANCE_HELP,
	  distance_cmd },
	{ "no distance bgp [(1-255) (1-255) (1-255)]",
	  NO_STR DISTANCE_HELP,
	  distance_cmd },
	{ "[no] aggregate-address A.B.C.D/M$prefix [{summary-only|as-set}]",
	  NO_STR "Configure BGP aggregate entries\nAggregate prefix\n"
		 "Filter more specific routes from updates\nGenerate AS set path information\n",
	  aggregate_cmd },
	{ "[no] redistribute <connected|static> [route-map WORD$rmap]",
	  NO_STR "Redistribute information from another routing protocol\nConnected routes\nStatic routes\n"
		 "Route map reference\nPointer to route-map entries\n",
	  redistribute_cmd },
	{ "[no] network A.B.C.D/M$prefix [route-map WORD$rmap]",
	  NO_STR "Specify a network to announce via BGP\nIPv4 prefix\n"
		 "Route-map to modify the attributes\nName of the route map\n",
	  network_cmd },
	{ "maximum-paths [ibgp$ibgp] (1-64)$n",
	  "Forward packets over multiple paths\niBGP-multipath\nNumber of paths\n", maximum_paths_cmd },
	{ "no maximum-paths [ibgp$ibgp] [(1-64)]",
	  NO_STR "Forward packets over multiple paths\niBGP-multipath\nNumber of paths\n",
	  maximum_paths_cmd },
};

void bgp_cli_init(void)
{
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
	cmd_install_table(NODE_BGP, bgp_cmds, ARRAY_SIZE(bgp_cmds));
	cmd_install_table(NODE_BGP, bgp_implicit_v4_cmds, ARRAY_SIZE(bgp_implicit_v4_cmds));
	cmd_install_table(NODE_BGP_AF, af_cmds, ARRAY_SIZE(af_cmds));
	bgp_neighbor_cli_init();
	bgp_rtc_cli_init();
	bgp_gr_cli_init();
}

struct bgp *bgp_cli_instance(struct cli *cli)
{
	return ctx_bgp(cli);
}

int bgp_cli_af(struct cli *cli)
{
	return ctx_af(cli);
}
