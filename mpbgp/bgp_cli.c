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
#include "vrf/vrf.h"

#define BGP_STR "BGP information\n"
#define NEIGHBOR_STR "Specify neighbor router\nNeighbor address\nNeighbor IPv6 address\n"
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

static struct bgp_peer *ctx_peer(struct cli *cli, struct bgp *b, const struct cmd_args *a)
{
	struct ipaddr addr;
	struct bgp_peer *p;

	if (ipaddr_parse(cmd_arg(a, "peer"), &addr) != 0) {
		cli_out(cli, "%% Malformed address \"%s\"\n", cmd_arg(a, "peer"));
		return NULL;
	}
	if ((p = bgp_peer_lookup(b, &addr)) == NULL)
		cli_out(cli, "%% Specify remote-as or peer-group commands first\n");
	return p;
}

/* ---- router bgp ---- */

static int router_bgp_cmd(struct cli *cli, const struct cmd_args *a)
{
	char err[160];
	struct bgp *b = bgp_create((uint32_t)cmd_arg_u64(a, "asn"), cmd_arg(a, "vrf"), err,
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

/* ---- neighbor (instance level) ---- */

static int neighbor_remote_as_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);
	struct bgp_peer *p;
	struct ipaddr addr;
	uint32_t as;

	if (b == NULL)
		return CMD_ERROR;
	if (ipaddr_parse(cmd_arg(a, "peer"), &addr) != 0 || ipaddr_is_zero(&addr)) {
		cli_out(cli, "%% Malformed address \"%s\"\n", cmd_arg(a, "peer"));
		return CMD_ERROR;
	}
	if (ipaddr_is_linklocal(&addr)) {
		cli_out(cli, "%% Link-local neighbor %s: link-local sessions are not supported (use a global address)\n",
			cmd_arg(a, "peer"));
		return CMD_ERROR;
	}
	if (addr.af == AF_INET6 && (ipaddr_is_multicast(&addr) || ipaddr_v4mapped(&addr, NULL))) {
		cli_out(cli, "%% Invalid neighbor address %s\n", cmd_arg(a, "peer"));
		return CMD_ERROR;
	}
	as = cmd_has(a, "internal") ? b->asn : (uint32_t)cmd_arg_u64(a, "asn");
	if (cmd_has(a, "external")) {
		cli_out(cli, "%% remote-as external needs a peer group; give the AS number\n");
		return CMD_ERROR;
	}
	if ((p = bgp_peer_lookup(b, &addr)) == NULL) {
		bgp_peer_create(b, &addr, as);
		return CMD_SUCCESS;
	}
	if (p->cfg.remote_as != as) {
		p->cfg.remote_as = as;
		bgp_peer_changed(p, true);
	}
	return CMD_SUCCESS;
}

static int no_neighbor_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);
	struct bgp_peer *p;

	if (b == NULL || (p = ctx_peer(cli, b, a)) == NULL)
		return CMD_ERROR;
	bgp_peer_delete(p);
	return CMD_SUCCESS;
}

static int neighbor_opt_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);
	struct bgp_peer *p;
	bool no = cmd_is_no(a), reset = true;
	struct bgp_peer_cfg *c;

	if (b == NULL || (p = ctx_peer(cli, b, a)) == NULL)
		return CMD_ERROR;
	c = &p->cfg;
	if (cmd_has(a, "description")) {
		snprintf(c->description, sizeof(c->description), "%s", no ? "" : cmd_arg(a, "desc"));
		reset = false;
	} else if (cmd_has(a, "update-source")) {
		c->update_source[0] = '\0';
		memset(&c->update_source_addr, 0, sizeof(c->update_source_addr));
		if (!no && cmd_arg(a, "src") != NULL)
			ipaddr_parse(cmd_arg(a, "src"), &c->update_source_addr);
		else if (!no) {
			if (strlen(cmd_arg(a, "ifname")) >= sizeof(c->update_source)) {
				cli_out(cli, "%% Interface name too long\n");
				return CMD_ERROR;
			}
			snprintf(c->update_source, sizeof(c->update_source), "%s", cmd_arg(a, "ifname"));
		}
	} else if (cmd_has(a, "ebgp-multihop")) {
		c->ebgp_multihop = no ? 1 : (cmd_has(a, "ttl") ? (uint8_t)cmd_arg_u64(a, "ttl") : 255);
	} else if (cmd_has(a, "connect")) {
		c->connect_retry = no ? 0 : (uint16_t)cmd_arg_u64(a, "connect");
		reset = false;
	} else if (cmd_has(a, "timers")) {
		unsigned long long hold = cmd_arg_u64(a, "hold");

		if (!no && hold != 0 && hold < 3) {
			cli_out(cli, "%% Hold time must be 0 or at least 3 seconds (RFC 4271 4.2)\n");
			return CMD_ERROR;
		}
		c->keepalive = no ? 0 : (uint16_t)cmd_arg_u64(a, "keepalive");
		c->holdtime = no ? 0 : (uint16_t)hold;
	} else if (cmd_has(a, "password")) {
		const char *pw = no ? "" : cmd_arg(a, "pw");

		if (strlen(pw) > 80) { /* TCP_MD5SIG_MAXKEYLEN */
			cli_out(cli, "%% Password longer than 80 characters\n");
			return CMD_ERROR;
		}
		snprintf(c->password, sizeof(c->password), "%s", pw);
	} else if (cmd_has(a, "passive")) {
		c->passive = !no;
	} else if (cmd_has(a, "shutdown")) {
		c->shutdown = !no;
	}
	bgp_peer_changed(p, reset);
	return CMD_SUCCESS;
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

static int exit_af_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	cli_exit_node(cli);
	return CMD_SUCCESS;
}

static int neighbor_af_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);
	struct bgp_peer *p;
	int af = ctx_af(cli);
	bool no = cmd_is_no(a);
	struct bgp_peer_cfg *c;

	if (b == NULL || (p = ctx_peer(cli, b, a)) == NULL)
		return CMD_ERROR;
	c = &p->cfg;
	if (cmd_has(a, "activate")) {
		c->af_active[af] = !no;
	} else if (cmd_has(a, "route-reflector-client")) {
		if (!no && p->cfg.remote_as != b->asn) {
			cli_out(cli, "%% Invalid command: not an internal neighbor\n");
			return CMD_ERROR;
		}
		c->rr_client[af] = !no;
	} else if (cmd_has(a, "next-hop-self")) {
		c->next_hop_self[af] = !no;
	} else if (cmd_has(a, "as-override")) {
		c->as_override = !no;
	} else if (cmd_has(a, "allowas-in")) {
		c->allowas_in = no ? 0 : (cmd_has(a, "count") ? (uint8_t)cmd_arg_u64(a, "count") : 3);
	} else if (cmd_has(a, "soo")) {
		char err[128];

		memset(&c->soo, 0, sizeof(c->soo));
		if (!no && ecomm_parse(cmd_arg(a, "soo"), ECOMM_SUB_SOO, &c->soo, err, sizeof(err)) != 0) {
			cli_out(cli, "%% Invalid site of origin \"%s\": %s\n", cmd_arg(a, "soo"), err);
			return CMD_ERROR;
		}
	} else if (cmd_has(a, "maximum-prefix")) {
		c->max_prefix[af] = no ? 0 : (uint32_t)cmd_arg_u64(a, "max");
		c->max_prefix_restart = no || !cmd_has(a, "restart") ? 0 : (uint16_t)cmd_arg_u64(a, "restart");
		c->max_prefix_warning_only[af] = !no && cmd_has(a, "warning-only");
	}
	bgp_peer_changed(p, cmd_has(a, "activate") || cmd_has(a, "route-reflector-client"));
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
	if (cmd_has(a, "connected"))
		b->redist_connected[af_index(bgp_af_family(af))] = !cmd_is_no(a);
	else
		b->redist_static[af_index(bgp_af_family(af))] = !cmd_is_no(a);
	if (bgp_get_ops()->vpn_changed)
		bgp_get_ops()->vpn_changed(b);
	return CMD_SUCCESS;
}

static int network_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = ctx_bgp(cli);
	struct bgp_network n, *e, **np;
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
	for (np = &b->networks; (e = *np) != NULL; np = &e->next)
		if ((int)e->af == af && bgp_prefix_cmp(&e->p, &n.p) == 0)
			break;
	if (cmd_is_no(a)) {
		if (e == NULL) {
			cli_out(cli, "%% Can't find the specified static route configuration\n");
			return CMD_ERROR;
		}
		*np = e->next;
		free(e);
	} else if (e != NULL) {
		e->label = n.label;
		e->label_set = n.label_set;
	} else {
		e = xmalloc(sizeof(*e));
		*e = n;
		for (np = &b->networks; *np != NULL && bgp_prefix_cmp(&(*np)->p, &n.p) < 0;
		     np = &(*np)->next)
			;
		e->next = *np;
		*np = e;
	}
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

/* ---- running configuration ---- */

static void af_write(struct cli *cli, const struct bgp *b, int af)
{
	struct bgp_peer *p;
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
		cli_out(cli, "\n");
	}
	if (af == BGP_AF_IPV4_UNICAST || af == BGP_AF_IPV6_UNICAST) {
		int fi = af_index(bgp_af_family(af));

		if (b->redist_connected[fi]) {
			AF_OPEN();
			cli_out(cli, "  redistribute connected\n");
		}
		if (b->redist_static[fi]) {
			AF_OPEN();
			cli_out(cli, "  redistribute static\n");
		}
	}
	for (p = b->peers; p != NULL; p = p->next) {
		const struct bgp_peer_cfg *c = &p->cfg;
		char a[IPADDR_STRLEN];

		ipaddr_ntop(&c->addr, a, sizeof(a));
		if (af == BGP_AF_IPV4_UNICAST && c->af_active[af] != b->default_ipv4_unicast) {
			AF_OPEN();
			cli_out(cli, "  %sneighbor %s activate\n", c->af_active[af] ? "" : "no ", a);
		} else if (af != BGP_AF_IPV4_UNICAST && c->af_active[af]) {
			AF_OPEN();
			cli_out(cli, "  neighbor %s activate\n", a);
		}
		if (c->rr_client[af]) {
			AF_OPEN();
			cli_out(cli, "  neighbor %s route-reflector-client\n", a);
		}
		if (c->next_hop_self[af]) {
			AF_OPEN();
			cli_out(cli, "  neighbor %s next-hop-self\n", a);
		}
		if (af == BGP_AF_IPV4_UNICAST && c->as_override) {
			AF_OPEN();
			cli_out(cli, "  neighbor %s as-override\n", a);
		}
		if (af == BGP_AF_IPV4_UNICAST && c->allowas_in) {
			AF_OPEN();
			cli_out(cli, "  neighbor %s allowas-in %u\n", a, c->allowas_in);
		}
		if (af == BGP_AF_IPV4_UNICAST && c->soo.b[1] == ECOMM_SUB_SOO) {
			AF_OPEN();
			cli_out(cli, "  neighbor %s soo %s\n", a, ecomm_format(&c->soo, rdb, sizeof(rdb)));
		}
		if (c->max_prefix[af]) {
			AF_OPEN();
			cli_out(cli, "  neighbor %s maximum-prefix %u", a, c->max_prefix[af]);
			if (c->max_prefix_warning_only[af])
				cli_out(cli, " warning-only");
			else if (c->max_prefix_restart)
				cli_out(cli, " restart %u", c->max_prefix_restart);
			cli_out(cli, "\n");
		}
	}
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
	struct bgp_peer *p;
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
		if (b->keepalive != BGP_DEFAULT_KEEPALIVE || b->holdtime != BGP_DEFAULT_HOLDTIME)
			cli_out(cli, " timers bgp %u %u\n", b->keepalive, b->holdtime);
		for (p = b->peers; p != NULL; p = p->next) {
			const struct bgp_peer_cfg *c = &p->cfg;

			ipaddr_ntop(&c->addr, a, sizeof(a));
			cli_out(cli, " neighbor %s remote-as %u\n", a, c->remote_as);
			if (c->description[0])
				cli_out(cli, " neighbor %s description %s\n", a, c->description);
			if (c->password[0])
				cli_out(cli, " neighbor %s password %s\n", a, c->password);
			if (c->ebgp_multihop > 1)
				cli_out(cli, " neighbor %s ebgp-multihop %u\n", a, c->ebgp_multihop);
			if (c->update_source[0])
				cli_out(cli, " neighbor %s update-source %s\n", a, c->update_source);
			else if (c->update_source_addr.af != 0) { /* (resolved from update_source when set) */
				char s[IPADDR_STRLEN];

				cli_out(cli, " neighbor %s update-source %s\n", a,
					ipaddr_ntop(&c->update_source_addr, s, sizeof(s)));
			}
			if (c->holdtime || c->keepalive)
				cli_out(cli, " neighbor %s timers %u %u\n", a, c->keepalive, c->holdtime);
			if (c->connect_retry)
				cli_out(cli, " neighbor %s timers connect %u\n", a, c->connect_retry);
			if (c->passive)
				cli_out(cli, " neighbor %s passive\n", a);
			if (c->shutdown)
				cli_out(cli, " neighbor %s shutdown\n", a);
		}
		af_write(cli, b, BGP_AF_IPV4_UNICAST);
		af_write(cli, b, BGP_AF_IPV6_UNICAST);
		if (b->vrf == NULL) {
			af_write(cli, b, BGP_AF_VPNV4);
			af_write(cli, b, BGP_AF_VPNV6);
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

#define NB "neighbor <A.B.C.D$peer|X:X::X:X$peer> "

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
	{ "[no] bgp always-compare-med",
	  NO_STR BGP_STR "Allow comparing MED from different neighbors\n", bgp_flag_cmd },
	{ "timers bgp (0-65535)$keepalive (0-65535)$hold",
	  "Adjust routing timers\nBGP timers\nKeepalive interval\nHoldtime\n", timers_bgp_cmd },
	{ "no timers bgp [(0-65535) (0-65535)]",
	  NO_STR "Adjust routing timers\nBGP timers\nKeepalive interval\nHoldtime\n",
	  timers_bgp_cmd },
	{ NB "remote-as <(1-4294967295)$asn|internal|external>",
	  NEIGHBOR_STR "Specify a BGP neighbor\n" AS_STR "Internal BGP peer\nExternal BGP peer\n",
	  neighbor_remote_as_cmd },
	{ "no " NB "[remote-as [<(1-4294967295)|internal|external>]]",
	  NO_STR NEIGHBOR_STR "Specify a BGP neighbor\n" AS_STR "Internal BGP peer\nExternal BGP peer\n",
	  no_neighbor_cmd },
	{ NB "description LINE$desc", NEIGHBOR_STR "Neighbor specific description\nText\n",
	  neighbor_opt_cmd },
	{ "no " NB "description [LINE]", NO_STR NEIGHBOR_STR "Neighbor specific description\nText\n",
	  neighbor_opt_cmd },
	{ NB "update-source <A.B.C.D$src|X:X::X:X$src|IFNAME$ifname>",
	  NEIGHBOR_STR "Source of routing updates\nIPv4 address\nIPv6 address\nInterface name\n",
	  neighbor_opt_cmd },
	{ "no " NB "update-source [<A.B.C.D|X:X::X:X|IFNAME>]",
	  NO_STR NEIGHBOR_STR "Source of routing updates\nIPv4 address\nIPv6 address\nInterface name\n",
	  neighbor_opt_cmd },
	{ NB "ebgp-multihop [(1-255)$ttl]",
	  NEIGHBOR_STR "Allow EBGP neighbors not on directly connected networks\nmaximum hop count\n",
	  neighbor_opt_cmd },
	{ "no " NB "ebgp-multihop [(1-255)]",
	  NO_STR NEIGHBOR_STR "Allow EBGP neighbors not on directly connected networks\nmaximum hop count\n",
	  neighbor_opt_cmd },
	{ NB "timers connect (1-65535)$connect",
	  NEIGHBOR_STR "BGP per neighbor timers\nBGP connect timer\nConnect timer in seconds\n",
	  neighbor_opt_cmd },
	{ "no " NB "timers connect [(1-65535)]",
	  NO_STR NEIGHBOR_STR "BGP per neighbor timers\nBGP connect timer\nConnect timer in seconds\n",
	  neighbor_opt_cmd },
	{ NB "timers (0-65535)$keepalive (0-65535)$hold",
	  NEIGHBOR_STR "BGP per neighbor timers\nKeepalive interval\nHoldtime\n", neighbor_opt_cmd },
	{ "no " NB "timers [(0-65535) (0-65535)]",
	  NO_STR NEIGHBOR_STR "BGP per neighbor timers\nKeepalive interval\nHoldtime\n",
	  neighbor_opt_cmd },
	{ NB "password LINE$pw", NEIGHBOR_STR "Set a password (TCP MD5)\nThe password\n",
	  neighbor_opt_cmd },
	{ "no " NB "password [LINE]", NO_STR NEIGHBOR_STR "Set a password (TCP MD5)\nThe password\n",
	  neighbor_opt_cmd },
	{ "[no] " NB "passive", NO_STR NEIGHBOR_STR "Don't send open messages to this neighbor\n",
	  neighbor_opt_cmd },
	{ "[no] " NB "shutdown", NO_STR NEIGHBOR_STR "Administratively shut down this neighbor\n",
	  neighbor_opt_cmd },
	{ "address-family ipv4 [<unicast|vpn>]",
	  "Enter Address Family command mode\nAddress Family\nAddress Family modifier\n"
	  "Address Family modifier\n",
	  address_family_cmd },
	{ "address-family ipv6 [<unicast|vpn>]",
	  "Enter Address Family command mode\nAddress Family\nAddress Family modifier\n"
	  "Address Family modifier\n",
	  address_family_cmd },
};

static const struct cmd_def af_cmds[] = {
	{ "[no] " NB "activate", NO_STR NEIGHBOR_STR "Enable the Address Family for this Neighbor\n",
	  neighbor_af_cmd },
	{ "[no] " NB "route-reflector-client",
	  NO_STR NEIGHBOR_STR "Configure a neighbor as Route Reflector client\n", neighbor_af_cmd },
	{ "[no] " NB "next-hop-self",
	  NO_STR NEIGHBOR_STR "Disable the next hop calculation for this neighbor\n",
	  neighbor_af_cmd },
	{ "[no] " NB "as-override",
	  NO_STR NEIGHBOR_STR "Override ASNs in outbound updates if aspath equals remote-as\n",
	  neighbor_af_cmd },
	{ NB "allowas-in [(1-10)$count]",
	  NEIGHBOR_STR "Accept as-path with my AS present in it\nNumber of occurrences of AS number\n",
	  neighbor_af_cmd },
	{ "no " NB "allowas-in [(1-10)]",
	  NO_STR NEIGHBOR_STR "Accept as-path with my AS present in it\nNumber of occurrences of AS number\n",
	  neighbor_af_cmd },
	{ NB "soo ASN:NN_OR_IP-ADDRESS:NN$soo",
	  NEIGHBOR_STR "Site-of-Origin extended community\nSoO value (ASN:NN or A.B.C.D:NN)\n",
	  neighbor_af_cmd },
	{ "no " NB "soo [ASN:NN_OR_IP-ADDRESS:NN]",
	  NO_STR NEIGHBOR_STR "Site-of-Origin extended community\nSoO value\n", neighbor_af_cmd },
	{ NB "maximum-prefix (1-4294967295)$max [<restart (1-65535)$restart|warning-only>]",
	  NEIGHBOR_STR "Maximum number of prefixes accepted from this peer\nmaximum no. of prefix limit\n"
		       "Restart bgp connection after limit is exceeded\nRestart interval in minutes\n"
		       "Only give warning message when limit is exceeded\n",
	  neighbor_af_cmd },
	{ "no " NB "maximum-prefix [(1-4294967295) [<restart (1-65535)|warning-only>]]",
	  NO_STR NEIGHBOR_STR "Maximum number of prefixes accepted from this peer\nmaximum no. of prefix limit\n"
			      "Restart bgp connection after limit is exceeded\nRestart interval in minutes\n"
			      "Only give warning message when limit is exceeded\n",
	  neighbor_af_cmd },
	{ "[no] redistribute <connected|static>",
	  NO_STR "Redistribute information from another routing protocol\nConnected routes\nStatic routes\n",
	  redistribute_cmd },
	{ "[no] network A.B.C.D/M$prefix [rd ASN:NN_OR_IP-ADDRESS:NN$rd label (0-1048575)$label]",
	  NO_STR "Specify a network to announce via BGP\nIPv4 prefix\n"
		 "Specify Route Distinguisher\nVPN Route Distinguisher\nVPN NLRI label\nLabel value\n",
	  network_cmd },
	{ "[no] network X:X::X:X/M$prefix [rd ASN:NN_OR_IP-ADDRESS:NN$rd label (0-1048575)$label]",
	  NO_STR "Specify a network to announce via BGP\nIPv6 prefix\n"
		 "Specify Route Distinguisher\nVPN Route Distinguisher\nVPN NLRI label\nLabel value\n",
	  network_cmd },
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
	{ "[no] bgp retain route-target all",
	  NO_STR BGP_STR "Retain BGP updates\nRetain routes by RT\nRetain all routes\n", bgp_flag_cmd },
	{ "exit-address-family", "Exit from Address Family configuration mode\n", exit_af_cmd },
};

void bgp_cli_init(void)
{
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
	cmd_install_table(NODE_BGP, bgp_cmds, ARRAY_SIZE(bgp_cmds));
	cmd_install_table(NODE_BGP_AF, af_cmds, ARRAY_SIZE(af_cmds));
}
