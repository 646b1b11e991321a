/* VRF commands: the `vrf NAME` block (rd, route-target, maximum routes,
 * static routes), top-level `ip route ... [vrf NAME]`, `show vrf`,
 * `show ip route`. Handlers are thin wrappers around vrf.c / rib.c. */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cmd.h"
#include "lib/jsonw.h"
#include "lib/log.h"
#include "vrf/fib.h"
#include "vrf/vrf.h"

static struct vrf *ctx_vrf(struct cli *cli)
{
	struct vrf *vrf = vrf_lookup(cli_ctx(cli));

	if (vrf == NULL)
		cli_out(cli, "%% VRF %s no longer exists\n", cli_ctx(cli));
	return vrf;
}

/* ---- vrf NAME ---- */

static int vrf_cmd(struct cli *cli, const struct cmd_args *a)
{
	char err[128];
	struct vrf *vrf = vrf_create(cmd_arg(a, "NAME"), err, sizeof(err));

	if (vrf == NULL) {
		cli_out(cli, "%% %s\n", err);
		return CMD_ERROR;
	}
	cli_set_node(cli, NODE_VRF, vrf->name);
	return CMD_SUCCESS;
}

static int no_vrf_cmd(struct cli *cli, const struct cmd_args *a)
{
	char err[320];
	struct vrf *vrf = vrf_lookup(cmd_arg(a, "NAME"));

	if (vrf == NULL) {
		cli_out(cli, "%% VRF %s does not exist\n", cmd_arg(a, "NAME"));
		return CMD_ERROR;
	}
	if (vrf_delete(vrf, err, sizeof(err)) != 0) {
		cli_out(cli, "%% %s\n", err);
		return CMD_ERROR;
	}
	return CMD_SUCCESS;
}

static int exit_vrf_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	cli_set_node(cli, NODE_CONFIG, NULL);
	return CMD_SUCCESS;
}

static int rd_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct vrf *vrf = ctx_vrf(cli);
	struct rd rd;
	char err[128];

	if (vrf == NULL)
		return CMD_ERROR;
	if (rd_parse(cmd_arg(a, "rd"), &rd, err, sizeof(err)) != 0) {
		cli_out(cli, "%% Invalid route distinguisher \"%s\": %s\n", cmd_arg(a, "rd"), err);
		return CMD_ERROR;
	}
	vrf->rd = rd;
	vrf->rd_set = true;
	vrf->rd_rt_in_bgp = false;
	vrf_cfg_changed(vrf);
	return CMD_SUCCESS;
}

static int no_rd_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct vrf *vrf = ctx_vrf(cli);
	struct rd rd;
	char err[128];

	if (vrf == NULL)
		return CMD_ERROR;
	if (cmd_arg(a, "rd") != NULL) {
		if (rd_parse(cmd_arg(a, "rd"), &rd, err, sizeof(err)) != 0) {
			cli_out(cli, "%% Invalid route distinguisher \"%s\": %s\n",
				cmd_arg(a, "rd"), err);
			return CMD_ERROR;
		}
		if (!vrf->rd_set || rd_cmp(&rd, &vrf->rd) != 0) {
			cli_out(cli, "%% RD %s is not configured on VRF %s\n", cmd_arg(a, "rd"),
				vrf->name);
			return CMD_ERROR;
		}
	}
	vrf->rd_set = false;
	memset(&vrf->rd, 0, sizeof(vrf->rd));
	vrf_cfg_changed(vrf);
	return CMD_SUCCESS;
}

static int route_target_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct vrf *vrf = ctx_vrf(cli);
	struct ecomm rt;
	char err[128];
	bool imp = cmd_has(a, "import") || cmd_has(a, "both");
	bool exp = cmd_has(a, "export") || cmd_has(a, "both");
	bool no = cmd_is_no(a);

	if (vrf == NULL)
		return CMD_ERROR;
	if (ecomm_parse(cmd_arg(a, "rt"), ECOMM_SUB_RT, &rt, err, sizeof(err)) != 0) {
		cli_out(cli, "%% Invalid route target \"%s\": %s\n", cmd_arg(a, "rt"), err);
		return CMD_ERROR;
	}
	if (no) {
		int missing = 0;

		if (imp && rt_set_del(&vrf->rt_import, &rt) != 0)
			missing++;
		if (exp && rt_set_del(&vrf->rt_export, &rt) != 0)
			missing++;
		if (missing == imp + exp) {
			cli_out(cli, "%% Route target %s is not configured\n", cmd_arg(a, "rt"));
			return CMD_ERROR;
		}
		vrf_cfg_changed(vrf);
		return CMD_SUCCESS;
	}
	if ((imp && !rt_set_has(&vrf->rt_import, &rt) && vrf->rt_import.count >= VRF_MAX_RT) ||
	    (exp && !rt_set_has(&vrf->rt_export, &rt) && vrf->rt_export.count >= VRF_MAX_RT)) {
		cli_out(cli, "%% At most %d route targets per direction\n", VRF_MAX_RT);
		return CMD_ERROR;
	}
	if (imp)
		rt_set_add(&vrf->rt_import, &rt);
	if (exp)
		rt_set_add(&vrf->rt_export, &rt);
	vrf->rd_rt_in_bgp = false;
	vrf_cfg_changed(vrf);
	return CMD_SUCCESS;
}

static int max_routes_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct vrf *vrf = ctx_vrf(cli);

	if (vrf == NULL)
		return CMD_ERROR;
	if (cmd_is_no(a)) {
		vrf->max_routes = 0;
		vrf->max_warn_only = false;
	} else {
		unsigned long long n = cmd_arg_u64(a, "max");

		vrf->max_routes = (uint32_t)n;
		vrf->max_warn_only = cmd_has(a, "warning-only");
		if (rib_count_af(vrf->rib, AF_INET) > n)
			cli_out(cli, "%% VRF %s already holds %llu routes, more than %llu%s\n",
				vrf->name, (unsigned long long)rib_count_af(vrf->rib, AF_INET), n,
				vrf->max_warn_only ? "" : "; existing routes stay, new ones are refused");
	}
	vrf->limit_warned = false;
	static_refresh(vrf);
	return CMD_SUCCESS;
}

/* ---- static routes ---- */

static const char *af_word(int af)
{
	return af == AF_INET6 ? "IPv6" : "IPv4";
}

/* A word in the interface slot of `ip|ipv6 route` that cannot be an
 * interface: a number (a distance out of 1-255 lands there), something that
 * looks like an address (256.0.0.1, 2001:db8::zz), or a name Linux refuses
 * (over 15 bytes, '/', ':', blanks). The reason, or NULL. */
static const char *route_ifname_bad(const char *w, char *buf, size_t len)
{
	size_t i, n = strlen(w), digits = 0, dots = 0;
	struct ipaddr ad;

	if (ipaddr_parse(w, &ad) == 0)
		return NULL; /* an address of the other family: said below */
	for (i = 0; i < n; i++) {
		digits += w[i] >= '0' && w[i] <= '9';
		dots += w[i] == '.';
	}
	if (digits == n) {
		snprintf(buf, len, "distance %s out of range (1-255)", w);
		return buf;
	}
	if (digits + dots == n || strchr(w, ':') != NULL) {
		snprintf(buf, len, "\"%s\" is neither an address nor an interface name", w);
		return buf;
	}
	if (n > 15 || strchr(w, '/') != NULL || strpbrk(w, " \t") != NULL) {
		snprintf(buf, len, "\"%s\" is not a valid interface name", w);
		return buf;
	}
	return NULL;
}

static int static_route_do(struct cli *cli, const struct cmd_args *a, struct vrf *vrf, int af)
{
	struct static_route sr;
	const char *gw = cmd_arg(a, "gw"), *ifn = cmd_arg(a, "ifname"), *gwif = cmd_arg(a, "gwif");
	bool host_bits;
	char buf[PREFIX_STRLEN];
	enum static_result res;

	memset(&sr, 0, sizeof(sr));
	{
		char why[96];
		const char *bad = NULL;

		if ((ifn != NULL && (bad = route_ifname_bad(ifn, why, sizeof(why))) != NULL) ||
		    (gwif != NULL && (bad = route_ifname_bad(gwif, why, sizeof(why))) != NULL)) {
			cli_out(cli, "%% Invalid route: %s\n", bad);
			return CMD_ERROR;
		}
	}
	if (prefix_parse(cmd_arg(a, "prefix"), &sr.pfx, &host_bits) != 0 || sr.pfx.af != af) {
		cli_out(cli, "%% Invalid %s prefix \"%s\"\n", af_word(af), cmd_arg(a, "prefix"));
		return CMD_ERROR;
	}
	if (host_bits) {
		cli_out(cli, "%% Prefix %s has host bits set (did you mean %s?)\n",
			cmd_arg(a, "prefix"), prefix_ntop(&sr.pfx, buf, sizeof(buf)));
		return CMD_ERROR;
	}
	if (gw != NULL && ipaddr_parse(gw, &sr.gw) != 0) {
		cli_out(cli, "%% Invalid next hop \"%s\"\n", gw);
		return CMD_ERROR;
	}
	if (gw != NULL && sr.gw.af != af) {
		cli_out(cli, "%% Invalid next hop %s: an %s address for an %s route\n", gw,
			af_word(sr.gw.af), af_word(af));
		return CMD_ERROR;
	}
	if (gw != NULL && af == AF_INET &&
	    (sr.gw.v4 == 0 || (sr.gw.v4 >> 24) == 127 || (sr.gw.v4 >> 28) >= 14)) {
		cli_out(cli, "%% Invalid next hop %s: not a unicast address\n", gw);
		return CMD_ERROR;
	}
	if (gw != NULL && af == AF_INET6) {
		if (ipaddr_is_zero(&sr.gw) || ipaddr_is_multicast(&sr.gw) ||
		    ipaddr_is_loopback(&sr.gw)) {
			cli_out(cli, "%% Invalid next hop %s: not a unicast address\n", gw);
			return CMD_ERROR;
		}
		if (ipaddr_is_linklocal(&sr.gw) && gwif == NULL) {
			cli_out(cli, "%% Next hop %s is link-local: name the interface too (ipv6 route %s %s IFNAME)\n",
				gw, cmd_arg(a, "prefix"), gw);
			return CMD_ERROR;
		}
	}
	{
		/* an address in the interface position: the wrong family's next hop
		 * (FRR's syntax would read it as an interface name) */
		const char *name = ifn ? ifn : gwif;
		struct ipaddr x;

		if (ifn != NULL && ipaddr_parse(ifn, &x) == 0) {
			cli_out(cli, "%% Invalid next hop %s: an %s address for an %s route\n", ifn,
				af_word(x.af), af_word(af));
			return CMD_ERROR;
		}
		if (name != NULL && ipaddr_parse(name, &x) == 0) {
			cli_out(cli, "%% Invalid interface name \"%s\": it is an address\n", name);
			return CMD_ERROR;
		}
	}
	if (cmd_has(a, "blackhole") || cmd_has(a, "Null0"))
		sr.blackhole = true;
	else if (ifn != NULL || gwif != NULL) {
		const char *name = ifn ? ifn : gwif;

		if (strlen(name) >= RIB_IFNAMSIZ) {
			cli_out(cli, "%% Interface name \"%s\" is longer than %d characters\n", name,
				RIB_IFNAMSIZ - 1);
			return CMD_ERROR;
		}
		snprintf(sr.ifname, sizeof(sr.ifname), "%s", name);
	}
	sr.distance = cmd_has(a, "distance") ? (uint8_t)cmd_arg_u64(a, "distance") : 1;
	if (cmd_has(a, "bfd") && !cmd_is_no(a)) {
		const char *src = cmd_arg(a, "bfdsrc"), *prof = cmd_arg(a, "bfdprof");

		if (gw == NULL) {
			cli_out(cli, "%% BFD needs a gateway address to watch\n");
			return CMD_ERROR;
		}
		sr.bfd = true;
		sr.bfd_multihop = cmd_has(a, "multi-hop");
		if (src != NULL && (ipaddr_parse(src, &sr.bfd_source) != 0 || sr.bfd_source.af != af)) {
			cli_out(cli, "%% Invalid BFD source \"%s\"\n", src);
			return CMD_ERROR;
		}
		if (sr.bfd_multihop && sr.bfd_source.af == 0) {
			cli_out(cli, "%% A multi-hop BFD session needs a source address\n");
			return CMD_ERROR;
		}
		if (prof != NULL && strlen(prof) >= sizeof(sr.bfd_profile)) {
			cli_out(cli, "%% BFD profile name longer than %zu characters\n",
				sizeof(sr.bfd_profile) - 1);
			return CMD_ERROR;
		}
		snprintf(sr.bfd_profile, sizeof(sr.bfd_profile), "%s", prof ? prof : "");
	}

	if (cmd_is_no(a)) {
		if (static_del(vrf, &sr, !cmd_has(a, "distance")) == STATIC_NOTFOUND) {
			cli_out(cli, "%% Static route %s not found in VRF %s\n",
				cmd_arg(a, "prefix"), vrf->name);
			return CMD_ERROR;
		}
		return CMD_SUCCESS;
	}
	res = static_add(vrf, &sr);
	switch (res) {
	case STATIC_EXISTS:
		cli_out(cli, "%% Static route %s via %s already exists in VRF %s\n",
			cmd_arg(a, "prefix"), gw ? gw : (ifn ? ifn : "blackhole"), vrf->name);
		return CMD_WARNING;
	case STATIC_LIMIT:
		cli_out(cli, "%% VRF %s: route limit (maximum routes %u) or next-hop limit (%d) reached, route refused\n",
			vrf->name, vrf->max_routes, RIB_MAX_NH);
		return CMD_ERROR;
	default:
		return CMD_SUCCESS;
	}
}

static int route_cmd(struct cli *cli, const struct cmd_args *a, int af)
{
	struct vrf *vrf = vrf_default();
	const char *name = cmd_arg(a, "vrf");

	if (cli_node(cli) == NODE_VRF) {
		if ((vrf = ctx_vrf(cli)) == NULL)
			return CMD_ERROR;
		if (name != NULL && strcmp(name, vrf->name) != 0) {
			cli_out(cli, "%% Cannot name VRF %s inside the block of VRF %s\n", name,
				vrf->name);
			return CMD_ERROR;
		}
	} else if (name != NULL && (vrf = vrf_lookup(name)) == NULL) {
		cli_out(cli, "%% VRF %s does not exist (create it with `vrf %s`)\n", name, name);
		return CMD_ERROR;
	}
	return static_route_do(cli, a, vrf, af);
}

static int ip_route_cmd(struct cli *cli, const struct cmd_args *a)
{
	return route_cmd(cli, a, AF_INET);
}

static int ipv6_route_cmd(struct cli *cli, const struct cmd_args *a)
{
	return route_cmd(cli, a, AF_INET6);
}

/* ---- show vrf ---- */

static json_object *rt_set_json(const struct rt_set *s)
{
	json_object *arr = json_object_new_array();
	char buf[RD_STRLEN];
	int i;

	for (i = 0; i < s->count; i++)
		json_object_array_add(arr,
				      json_object_new_string(ecomm_format(&s->rt[i], buf, sizeof(buf))));
	return arr;
}

static void rt_set_text(struct cli *cli, const struct rt_set *s)
{
	char buf[RD_STRLEN];
	int i;

	for (i = 0; i < s->count; i++)
		cli_out(cli, "%s%s", i ? " " : "", ecomm_format(&s->rt[i], buf, sizeof(buf)));
	if (s->count == 0)
		cli_out(cli, "-");
}

static json_object *vrf_json(const struct vrf *vrf)
{
	json_object *o = json_object_new_object();
	const struct rib_stats *st = rib_stats(vrf->rib);
	char buf[RD_STRLEN];

	json_object_object_add(o, "vrfName", json_object_new_string(vrf->name));
	json_object_object_add(o, "vrfId", json_object_new_int64(vrf->id));
	json_object_object_add(o, "rd", vrf->rd_set ? json_object_new_string(
							       rd_format(&vrf->rd, buf, sizeof(buf)))
						     : NULL);
	json_object_object_add(o, "importRts", rt_set_json(&vrf->rt_import));
	json_object_object_add(o, "exportRts", rt_set_json(&vrf->rt_export));
	json_object_object_add(o, "netns", json_object_new_string(vrf->netns));
	/* routeCount: IPv4 (as before IPv6 existed); the limit applies to each
	 * family on its own */
	json_object_object_add(o, "routeCount",
			       json_object_new_int64((int64_t)rib_count_af(vrf->rib, AF_INET)));
	json_object_object_add(o, "routeCountIpv6",
			       json_object_new_int64((int64_t)rib_count_af(vrf->rib, AF_INET6)));
	json_object_object_add(o, "maximumRoutes", json_object_new_int64(vrf->max_routes));
	json_object_object_add(o, "warningOnly", json_object_new_boolean(vrf->max_warn_only));
	json_object_object_add(o, "limitExceeded",
			       json_object_new_boolean(
				       vrf->max_routes != 0 &&
				       (rib_count_af(vrf->rib, AF_INET) >= vrf->max_routes ||
					rib_count_af(vrf->rib, AF_INET6) >= vrf->max_routes)));
	json_object_object_add(o, "routesRejected", json_object_new_int64((int64_t)st->rejected));
	json_object_object_add(o, "fibPrefixes", json_object_new_int64((int64_t)fib_count(vrf->fib)));
	json_object_object_add(o, "fibBytes", json_object_new_int64((int64_t)fib_memory(vrf->fib)));
	return o;
}

/* Interface lists come from pe/ (the owner of interfaces). */
static void (*vrf_ifaces_json_fn)(const struct vrf *vrf, json_object *arr);

void vrf_cli_set_ifaces_fn(void (*fn)(const struct vrf *vrf, json_object *arr))
{
	vrf_ifaces_json_fn = fn;
}

static int show_vrf_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct vrf *vrf;

	if (cmd_has(a, "json")) {
		json_object *top = json_object_new_object(), *vrfs = json_object_new_object();

		json_object_object_add(top, "schemaVersion", json_object_new_int(1));
		for (vrf = vrf_first(); vrf != NULL; vrf = vrf_next(vrf)) {
			json_object *o = vrf_json(vrf), *ifs = json_object_new_array();

			if (vrf_ifaces_json_fn != NULL)
				vrf_ifaces_json_fn(vrf, ifs);
			json_object_object_add(o, "interfaces", ifs);
			json_object_object_add(vrfs, vrf->name, o);
		}
		json_object_object_add(top, "vrfs", vrfs);
		cli_json(cli, top);
		return CMD_SUCCESS;
	}
	cli_out(cli, "%-16s %4s %-22s %-8s %-24s %-24s %s\n", "VRF", "Id", "RD", "Routes",
		"Import RTs", "Export RTs", "Namespace");
	for (vrf = vrf_first(); vrf != NULL; vrf = vrf_next(vrf)) {
		char rd[RD_STRLEN], cnt[32];

		if (vrf->max_routes)
			snprintf(cnt, sizeof(cnt), "%llu/%u",
				 (unsigned long long)rib_count_af(vrf->rib, AF_INET), vrf->max_routes);
		else
			snprintf(cnt, sizeof(cnt), "%llu",
				 (unsigned long long)rib_count_af(vrf->rib, AF_INET));
		cli_out(cli, "%-16s %4u %-22s %-8s ", vrf->name, vrf->id,
			vrf->rd_set ? rd_format(&vrf->rd, rd, sizeof(rd)) : "-", cnt);
		rt_set_text(cli, &vrf->rt_import);
		cli_out(cli, " | ");
		rt_set_text(cli, &vrf->rt_export);
		cli_out(cli, " %s\n", vrf->netns[0] ? vrf->netns : "-");
	}
	return CMD_SUCCESS;
}

/* ---- show ip route ---- */

static void fmt_uptime(time_t since, char *buf, size_t len)
{
	long s = (long)(time(NULL) - since);

	if (s < 0)
		s = 0;
	if (s < 86400)
		snprintf(buf, len, "%02ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
	else if (s < 7 * 86400)
		snprintf(buf, len, "%ldd%02ldh%02ldm", s / 86400, (s / 3600) % 24, (s / 60) % 60);
	else
		snprintf(buf, len, "%02ldw%ldd%02ldh", s / (7 * 86400), (s / 86400) % 7,
			 (s / 3600) % 24);
}

static json_object *route_json(const struct vrf *vrf, const struct rib_dest *d,
			       const struct rib_route *r)
{
	json_object *o = json_object_new_object(), *nhs = json_object_new_array(), *backups = NULL;
	char buf[PREFIX_STRLEN];
	int i, nbackup = 0;

	json_object_object_add(o, "prefix",
			       json_object_new_string(prefix_ntop(&d->pfx, buf, sizeof(buf))));
	json_object_object_add(o, "prefixLen", json_object_new_int(d->pfx.len));
	json_object_object_add(o, "protocol", json_object_new_string(rib_proto_name(r->proto)));
	json_object_object_add(o, "vrfId", json_object_new_int64(vrf->id));
	json_object_object_add(o, "vrfName", json_object_new_string(vrf->name));
	if (r->selected)
		json_object_object_add(o, "selected", json_object_new_boolean(true));
	if (d->selected != NULL)
		json_object_object_add(o, "destSelected", json_object_new_boolean(true));
	json_object_object_add(o, "distance", json_object_new_int(r->distance));
	json_object_object_add(o, "metric", json_object_new_int64(r->metric));
	if (r->installed)
		json_object_object_add(o, "installed", json_object_new_boolean(true));
	json_object_object_add(o, "table", json_object_new_int(254));
	json_object_object_add(o, "internalNextHopNum", json_object_new_int(r->nh_count));
	{
		int act = 0;

		for (i = 0; i < r->nh_count; i++)
			act += r->nh[i].active;
		json_object_object_add(o, "internalNextHopActiveNum", json_object_new_int(act));
	}
	fmt_uptime(r->uptime, buf, sizeof(buf));
	json_object_object_add(o, "uptime", json_object_new_string(buf));
	for (i = 0; i < r->nh_count; i++)
		nbackup += r->nh[i].backup;
	if (nbackup > 0)
		backups = json_object_new_array();
	for (i = 0; i < r->nh_count; i++) {
		const struct rib_nh *nh = &r->nh[i];
		json_object *n = json_object_new_object();
		const char *ifn = nh->ifname[0] ? nh->ifname : nh->res_ifname;

		json_object_object_add(n, "flags",
				       json_object_new_int((nh->active ? 1 : 0) | (nh->fib ? 2 : 0)));
		if (nh->fib)
			json_object_object_add(n, "fib", json_object_new_boolean(true));
		if (nh->blackhole) {
			json_object_object_add(n, "unreachable", json_object_new_boolean(true));
			json_object_object_add(n, "blackhole", json_object_new_boolean(true));
		} else if (!ipaddr_is_zero(&nh->gw)) {
			json_object_object_add(n, "ip", json_object_new_string(
								ipaddr_ntop(&nh->gw, buf, sizeof(buf))));
			json_object_object_add(n, "afi", json_object_new_string(
								 nh->gw.af == AF_INET6 ? "ipv6" : "ipv4"));
		} else {
			json_object_object_add(n, "directlyConnected", json_object_new_boolean(true));
		}
		if (ifn[0] != '\0') {
			if (nh->ifindex > 0)
				json_object_object_add(n, "interfaceIndex",
						       json_object_new_int(nh->ifindex));
			json_object_object_add(n, "interfaceName", json_object_new_string(ifn));
		}
		if (nh->nh_vrf_set && nh->nh_vrf_id != vrf->id) {
			const struct vrf *nv = vrf_lookup_id(nh->nh_vrf_id);

			json_object_object_add(n, "vrf",
					       json_object_new_string(nv ? nv->name : "unknown"));
		}
		if (nh->active)
			json_object_object_add(n, "active", json_object_new_boolean(true));
		if (nh->nlabels > 0) {
			json_object *labels = json_object_new_array();
			int k;

			for (k = 0; k < nh->nlabels; k++)
				json_object_array_add(labels, json_object_new_int64(nh->labels[k]));
			json_object_object_add(n, "labels", labels);
		}
		if (r->proto == RIB_STATIC && !nh->blackhole)
			json_object_object_add(n, "weight", json_object_new_int(1));
		if (nh->backup) {
			json_object_array_add(backups, n);
			continue;
		}
		if (nbackup > 0) {
			/* FRR: a primary names the backups that protect it */
			json_object *bi = json_object_new_array();

			for (int k = 0; k < nbackup; k++)
				json_object_array_add(bi, json_object_new_int(k));
			json_object_object_add(n, "backupIndex", bi);
		}
		json_object_array_add(nhs, n);
	}
	json_object_object_add(o, "nexthops", nhs);
	if (backups != NULL)
		json_object_object_add(o, "backupNexthops", backups);
	return o;
}

static void route_text(struct cli *cli, const struct rib_dest *d, const struct rib_route *r)
{
	char pfx[PREFIX_STRLEN], gw[IPADDR_STRLEN], up[32];
	int i, indent;

	fmt_uptime(r->uptime, up, sizeof(up));
	prefix_ntop(&d->pfx, pfx, sizeof(pfx));
	for (i = 0; i < r->nh_count; i++) {
		const struct rib_nh *nh = &r->nh[i];
		const char *ifn = nh->ifname[0] ? nh->ifname : nh->res_ifname;

		if (i == 0) {
			indent = 4 + (int)strlen(pfx);
			cli_out(cli, "%c%c%c %s", rib_proto_code(r->proto), r->selected ? '>' : ' ',
				nh->fib ? '*' : ' ', pfx);
			if (r->proto != RIB_CONNECTED)
				cli_out(cli, " [%u/%u]", r->distance, r->metric);
		} else {
			indent = 4 + (int)strlen(pfx);
			cli_out(cli, "  %c %*s", nh->fib ? '*' : ' ', indent - 4, "");
			if (r->proto != RIB_CONNECTED)
				cli_out(cli, " %*s", (int)snprintf(NULL, 0, "[%u/%u]", r->distance,
								     r->metric), "");
		}
		if (nh->backup)
			cli_out(cli, " b"); /* FRR's mark of a backup next hop */
		if (nh->blackhole)
			cli_out(cli, " unreachable (blackhole)");
		else if (ipaddr_is_zero(&nh->gw))
			cli_out(cli, " is directly connected, %s", ifn);
		else {
			cli_out(cli, " via %s", ipaddr_ntop(&nh->gw, gw, sizeof(gw)));
			if (ifn[0] != '\0')
				cli_out(cli, ", %s", ifn);
			if (nh->nh_vrf_set) {
				const struct vrf *nv = vrf_lookup_id(nh->nh_vrf_id);

				cli_out(cli, " (vrf %s)", nv ? nv->name : "unknown");
			}
			if (nh->nlabels > 0)
				cli_out(cli, ", label %u", nh->labels[0]);
		}
		if (!nh->active)
			cli_out(cli, " inactive");
		cli_out(cli, ", %s\n", up);
	}
}

struct show_ctx {
	struct cli *cli;
	const struct vrf *vrf;
	json_object *json;
	int af;
};

static int show_dest(void *arg, struct rib_dest *d)
{
	struct show_ctx *sc = arg;
	struct rib_route *r;

	if (sc->json != NULL) {
		json_object *arr = json_object_new_array();
		char buf[PREFIX_STRLEN];

		for (r = d->routes; r != NULL; r = r->next)
			json_object_array_add(arr, route_json(sc->vrf, d, r));
		json_object_object_add(sc->json, prefix_ntop(&d->pfx, buf, sizeof(buf)), arr);
	} else {
		for (r = d->routes; r != NULL; r = r->next)
			route_text(sc->cli, d, r);
	}
	return 0;
}

static void show_routes_vrf(struct cli *cli, const struct vrf *vrf, json_object *json,
			    const char *filter, bool header, int af)
{
	struct show_ctx sc = { cli, vrf, json, af };

	if (header && json == NULL)
		cli_out(cli, "\nVRF %s:\n", vrf->name);
	if (filter != NULL) {
		struct prefix p;
		struct ipaddr addr;
		struct rib_dest *d = NULL;

		if (strchr(filter, '/') != NULL) {
			if (prefix_parse(filter, &p, NULL) == 0 && p.af == af)
				d = rib_lookup_exact(vrf->rib, &p);
		} else if (ipaddr_parse_af(af, filter, &addr) == 0) {
			d = rib_match(vrf->rib, &addr);
		}
		if (d != NULL)
			show_dest(&sc, d);
		return;
	}
	rib_walk_af(vrf->rib, af, show_dest, &sc);
}

/* `show ip|ipv6 route [vrf NAME] [json]` of one VRF is written while the
 * RIB is walked, in steps (cli_defer: pe/ctl.c runs them as the client
 * reads), with the bytes the json-c tree gave (lib/jsonw.c). The cursor is
 * the last prefix taken: each pass walks the trie in order (which is
 * prefix_cmp's order) from the start, skips what is not above the cursor,
 * takes the next ROUTE_BATCH prefixes, or an eighth of the table if that is
 * more (at most 8 passes), and stops; each prefix is looked up again when
 * its turn comes, and the VRF too. A prefix present for the whole dump is
 * shown once, in order, as it is when written; one added or removed
 * meanwhile may or may not be; a VRF that goes away ends the output. */
#define ROUTE_BATCH 65536u
#define ROUTE_STEP 64u

struct route_dump {
	struct cli *cli;
	char vrf[VRF_NAMSIZ]; /* "" for the default VRF */
	int af;
	bool json;
	struct jsonw jw;
	struct prefix *keys; /* this pass, in order */
	size_t nkeys, next, cap;
	struct prefix last;
	bool have_last, exhausted;
	bool all; /* `vrf all`: the default VRF, then every VRF by name */
};

/* `vrf all`: the VRF after u->vrf in the dump's order (the default first,
 * then by name), NULL after the last. A VRF deleted meanwhile is passed by
 * name. */
static const struct vrf *route_dump_next_vrf(const struct route_dump *u)
{
	const struct vrf *v;

	if (u->vrf[0] == '\0')
		return vrf_first();
	if ((v = vrf_lookup(u->vrf)) != NULL)
		return vrf_next(v);
	for (v = vrf_first(); v != NULL && strcmp(v->name, u->vrf) <= 0; v = vrf_next(v))
		;
	return v;
}

/* Starts the next VRF's section; false when there is none. */
static bool route_dump_advance(struct route_dump *u)
{
	const struct vrf *v = route_dump_next_vrf(u);

	if (v == NULL)
		return false;
	snprintf(u->vrf, sizeof(u->vrf), "%s", v->name);
	u->have_last = u->exhausted = false;
	u->nkeys = u->next = 0;
	if (u->json) {
		jsonw_close(&u->jw);
		jsonw_open(&u->jw, v->name, '{');
	} else {
		cli_out(u->cli, "\nVRF %s:\n", v->name);
	}
	return true;
}

static int route_pick(void *arg, struct rib_dest *d)
{
	struct route_dump *u = arg;

	if (u->have_last && prefix_cmp(&d->pfx, &u->last) <= 0)
		return 0;
	u->keys[u->nkeys++] = d->pfx;
	return u->nkeys == u->cap; /* full: stop the walk */
}

static void route_dump_write(void *arg, const char *buf, size_t len)
{
	cli_write(arg, buf, len);
}

static int route_dump_step(struct cli *cli, void *arg)
{
	struct route_dump *u = arg;
	const struct vrf *vrf = u->vrf[0] ? vrf_lookup(u->vrf) : vrf_default();
	struct show_ctx sc = { cli, vrf, NULL, u->af };
	unsigned n;

	if (vrf == NULL || u->next == u->nkeys) {
		size_t cap;

		if (vrf == NULL || u->exhausted) {
			if (u->all && route_dump_advance(u))
				return CMD_PENDING;
			if (u->json) {
				if (u->all)
					jsonw_close(&u->jw);
				jsonw_close(&u->jw);
			}
			return CMD_SUCCESS;
		}
		cap = (size_t)(rib_count_af(vrf->rib, u->af) / 8);
		if (cap < ROUTE_BATCH)
			cap = ROUTE_BATCH;
		if (cap != u->cap) {
			free(u->keys);
			u->keys = xcalloc(cap, sizeof(*u->keys));
			u->cap = cap;
		}
		u->nkeys = u->next = 0;
		rib_walk_af(vrf->rib, u->af, route_pick, u);
		u->exhausted = u->nkeys < u->cap;
		if (u->nkeys > 0) {
			u->last = u->keys[u->nkeys - 1];
			u->have_last = true;
		}
		return CMD_PENDING;
	}
	for (n = 0; n < ROUTE_STEP && u->next < u->nkeys; n++, u->next++) {
		struct rib_dest *d = rib_lookup_exact(vrf->rib, &u->keys[u->next]);
		struct rib_route *r;
		json_object *arr;
		char buf[PREFIX_STRLEN];

		if (d == NULL)
			continue;
		if (!u->json) {
			show_dest(&sc, d);
			continue;
		}
		arr = json_object_new_array();
		for (r = d->routes; r != NULL; r = r->next)
			json_object_array_add(arr, route_json(vrf, d, r));
		jsonw_value(&u->jw, prefix_ntop(&d->pfx, buf, sizeof(buf)), arr);
	}
	return CMD_PENDING;
}

static void route_dump_free(void *arg)
{
	struct route_dump *u = arg;

	free(u->keys);
	free(u);
}

/* One VRF, or with all (vrf == NULL) the default VRF and then every VRF by
 * name, each as {"NAME": {routes}} in JSON and under "VRF NAME:" in text. */
static int show_routes_streamed(struct cli *cli, const struct vrf *vrf, bool json, int af,
				bool all)
{
	struct route_dump *u = xcalloc(1, sizeof(*u));

	u->cli = cli;
	u->all = all;
	if (all)
		vrf = vrf_default();
	if (vrf != vrf_default())
		snprintf(u->vrf, sizeof(u->vrf), "%s", vrf->name);
	u->af = af;
	u->json = json;
	if (json) {
		jsonw_init(&u->jw, route_dump_write, cli);
		jsonw_open(&u->jw, NULL, '{');
		if (all)
			jsonw_open(&u->jw, vrf->name, '{');
	} else if (vrf != vrf_default() || all) {
		cli_out(cli, "\nVRF %s:\n", vrf->name);
	}
	return cli_defer(cli, route_dump_step, route_dump_free, u);
}

static int show_route_cmd(struct cli *cli, const struct cmd_args *a, int af)
{
	bool json = cmd_has(a, "json");
	const char *filter = cmd_arg(a, "prefix") ? cmd_arg(a, "prefix") : cmd_arg(a, "addr");
	const char *name = cmd_arg(a, "vrf");
	struct vrf *vrf;

	/* an error comes before any header */
	if (!cmd_has(a, "all") && name != NULL && vrf_lookup(name) == NULL) {
		if (json) {
			cli_out(cli, "{}\n");
			return CMD_SUCCESS;
		}
		cli_out(cli, "%% VRF %s does not exist\n", name);
		return CMD_ERROR;
	}
	if (!json)
		cli_out(cli, "Codes: K - kernel route, C - connected, S - static, O - OSPF, B - BGP\n"
			     "       > - selected route, * - FIB route\n");
	if (cmd_has(a, "all") && filter == NULL) /* every table: streamed */
		return show_routes_streamed(cli, NULL, json, af, true);
	if (cmd_has(a, "all")) {
		json_object *top = json ? json_object_new_object() : NULL;

		for (vrf = vrf_default(); vrf != NULL;
		     vrf = (vrf == vrf_default()) ? vrf_first() : vrf_next(vrf)) {
			json_object *o = json ? json_object_new_object() : NULL;

			show_routes_vrf(cli, vrf, o, filter, true, af);
			if (json)
				json_object_object_add(top, vrf->name, o);
		}
		if (json)
			cli_json(cli, top);
		return CMD_SUCCESS;
	}
	vrf = name ? vrf_lookup(name) : vrf_default();
	if (vrf == NULL) {
		if (json) {
			cli_out(cli, "{}\n");
			return CMD_SUCCESS;
		}
		cli_out(cli, "%% VRF %s does not exist\n", name);
		return CMD_ERROR;
	}
	if (filter == NULL) /* the whole table: streamed */
		return show_routes_streamed(cli, vrf, json, af, false);
	if (json) {
		json_object *o = json_object_new_object();

		show_routes_vrf(cli, vrf, o, filter, false, af);
		cli_json(cli, o);
	} else {
		show_routes_vrf(cli, vrf, NULL, filter, vrf != vrf_default(), af);
	}
	return CMD_SUCCESS;
}

static int show_ip_route_cmd(struct cli *cli, const struct cmd_args *a)
{
	return show_route_cmd(cli, a, AF_INET);
}

static int show_ipv6_route_cmd(struct cli *cli, const struct cmd_args *a)
{
	return show_route_cmd(cli, a, AF_INET6);
}

/* ---- show ip route summary ---- */

struct summary {
	uint64_t rib[RIB_PROTO_MAX];
	uint64_t fib[RIB_PROTO_MAX];
};

static int summary_dest(void *arg, struct rib_dest *d)
{
	struct summary *sm = arg;
	struct rib_route *r;

	for (r = d->routes; r != NULL; r = r->next) {
		sm->rib[r->proto]++;
		if (r->installed)
			sm->fib[r->proto]++;
	}
	return 0;
}

static void summary_vrf(struct cli *cli, const struct vrf *vrf, json_object *top, int af)
{
	struct summary sm;
	uint64_t trib = 0, tfib = 0;
	json_object *arr = top ? json_object_new_array() : NULL;
	int p;

	memset(&sm, 0, sizeof(sm));
	rib_walk_af(vrf->rib, af, summary_dest, &sm);
	if (!top)
		cli_out(cli, "%-20s %-20s %s  (vrf %s)\n", "Route Source", "Routes", "FIB", vrf->name);
	for (p = 0; p < RIB_PROTO_MAX; p++) {
		if (sm.rib[p] == 0)
			continue;
		trib += sm.rib[p];
		tfib += sm.fib[p];
		if (top) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "fib", json_object_new_int64((int64_t)sm.fib[p]));
			json_object_object_add(o, "rib", json_object_new_int64((int64_t)sm.rib[p]));
			json_object_object_add(o, "type", json_object_new_string(rib_proto_name(p)));
			json_object_array_add(arr, o);
		} else {
			cli_out(cli, "%-20s %-20llu %llu\n", rib_proto_name(p),
				(unsigned long long)sm.rib[p], (unsigned long long)sm.fib[p]);
		}
	}
	if (top) {
		json_object_object_add(top, "routes", arr);
		json_object_object_add(top, "routesTotal", json_object_new_int64((int64_t)trib));
		json_object_object_add(top, "routesTotalFib", json_object_new_int64((int64_t)tfib));
	} else {
		cli_out(cli, "------\n%-20s %-20llu %llu\n\n", "Totals", (unsigned long long)trib,
			(unsigned long long)tfib);
	}
}

static int show_summary_cmd(struct cli *cli, const struct cmd_args *a, int af)
{
	bool json = cmd_has(a, "json");
	const char *name = cmd_arg(a, "vrf");
	struct vrf *vrf;

	if (cmd_has(a, "all")) {
		json_object *top = json ? json_object_new_object() : NULL;

		for (vrf = vrf_default(); vrf != NULL;
		     vrf = (vrf == vrf_default()) ? vrf_first() : vrf_next(vrf)) {
			json_object *o = json ? json_object_new_object() : NULL;

			summary_vrf(cli, vrf, o, af);
			if (json)
				json_object_object_add(top, vrf->name, o);
		}
		if (json)
			cli_json(cli, top);
		return CMD_SUCCESS;
	}
	if ((vrf = name ? vrf_lookup(name) : vrf_default()) == NULL) {
		cli_out(cli, "%% VRF %s does not exist\n", name);
		return CMD_ERROR;
	}
	if (json) {
		json_object *o = json_object_new_object();

		summary_vrf(cli, vrf, o, af);
		cli_json(cli, o);
	} else {
		summary_vrf(cli, vrf, NULL, af);
	}
	return CMD_SUCCESS;
}

static int show_ip_route_summary_cmd(struct cli *cli, const struct cmd_args *a)
{
	return show_summary_cmd(cli, a, AF_INET);
}

static int show_ipv6_route_summary_cmd(struct cli *cli, const struct cmd_args *a)
{
	return show_summary_cmd(cli, a, AF_INET6);
}

/* ---- running config ---- */

static void static_write(struct cli *cli, const struct vrf *vrf, const char *indent)
{
	char pfx[PREFIX_STRLEN], gw[IPADDR_STRLEN];
	size_t n, i;
	struct static_route **all = static_sorted(vrf, &n);

	for (i = 0; i < n; i++) {
		const struct static_route *s = all[i];

		cli_out(cli, "%s%s route %s", indent, s->pfx.af == AF_INET6 ? "ipv6" : "ip",
			prefix_ntop(&s->pfx, pfx, sizeof(pfx)));
		if (s->blackhole)
			cli_out(cli, " blackhole");
		if (!ipaddr_is_zero(&s->gw))
			cli_out(cli, " %s", ipaddr_ntop(&s->gw, gw, sizeof(gw)));
		if (s->ifname[0] != '\0')
			cli_out(cli, " %s", s->ifname);
		if (s->distance != 1)
			cli_out(cli, " %u", s->distance);
		if (s->bfd) {
			cli_out(cli, " bfd%s", s->bfd_multihop ? " multi-hop" : "");
			if (s->bfd_source.af != 0)
				cli_out(cli, " source %s", ipaddr_ntop(&s->bfd_source, gw, sizeof(gw)));
			if (s->bfd_profile[0])
				cli_out(cli, " profile %s", s->bfd_profile);
		}
		cli_out(cli, "\n");
	}
	free(all);
}

void vrf_config_write(struct cli *cli)
{
	struct vrf *vrf;
	char buf[RD_STRLEN];
	int i;

	if (vrf_default()->statics != NULL) {
		static_write(cli, vrf_default(), "");
		cli_out(cli, "!\n");
	}
	for (vrf = vrf_first(); vrf != NULL; vrf = vrf_next(vrf)) {
		cli_out(cli, "vrf %s\n", vrf->name);
		if (vrf->rd_set && !vrf->rd_rt_in_bgp)
			cli_out(cli, " rd %s\n", rd_format(&vrf->rd, buf, sizeof(buf)));
		for (i = 0; !vrf->rd_rt_in_bgp && i < vrf->rt_import.count; i++) {
			const char *dir = rt_set_has(&vrf->rt_export, &vrf->rt_import.rt[i]) ? "both"
											      : "import";

			cli_out(cli, " route-target %s %s\n", dir,
				ecomm_format(&vrf->rt_import.rt[i], buf, sizeof(buf)));
		}
		for (i = 0; !vrf->rd_rt_in_bgp && i < vrf->rt_export.count; i++)
			if (!rt_set_has(&vrf->rt_import, &vrf->rt_export.rt[i]))
				cli_out(cli, " route-target export %s\n",
					ecomm_format(&vrf->rt_export.rt[i], buf, sizeof(buf)));
		if (vrf->max_routes)
			cli_out(cli, " maximum routes %u%s\n", vrf->max_routes,
				vrf->max_warn_only ? " warning-only" : "");
		static_write(cli, vrf, " ");
		cli_out(cli, "exit-vrf\n!\n");
	}
}

#define BFD_ROUTE_HELP                                                          \
	"Configure static BFD\nUse BFD multi hop session\nUse source for BFD session\n" \
	"Source address\nUse BFD profile\nProfile name\n"
#define IP_ROUTE_SYNTAX                                                                    \
	"ip route A.B.C.D/M$prefix <A.B.C.D$gw|blackhole|Null0|IFNAME$ifname> [IFNAME$gwif] " \
	"[(1-255)$distance] [bfd [{multi-hop|source A.B.C.D$bfdsrc|profile BFDPROF$bfdprof}]]"
#define IP_ROUTE_HELP                                                          \
	IP_STR "Establish static routes\n"                                     \
	       "IP destination prefix (e.g. 10.0.0.0/8)\n"                     \
	       "IP gateway address\n"                                          \
	       "Emit an ICMP unreachable when matched\n"                       \
	       "Null interface\n"                                              \
	       "IP gateway interface name\n"                                   \
	       "Interface to reach the gateway through\n"                      \
	       "Distance value for this route\n" BFD_ROUTE_HELP

#define IPV6_ROUTE_SYNTAX                                                                   \
	"ipv6 route X:X::X:X/M$prefix <X:X::X:X$gw|blackhole|Null0|IFNAME$ifname> [IFNAME$gwif] " \
	"[(1-255)$distance] [bfd [{multi-hop|source X:X::X:X$bfdsrc|profile BFDPROF$bfdprof}]]"
#define IPV6_ROUTE_HELP                                                        \
	IPV6_STR "Establish static routes\n"                                   \
		 "IPv6 destination prefix (e.g. 2001:db8:1::/48)\n"            \
		 "IPv6 gateway address\n"                                      \
		 "Emit an ICMP unreachable when matched\n"                     \
		 "Null interface\n"                                            \
		 "IPv6 gateway interface name\n"                               \
		 "Interface to reach the gateway through\n"                    \
		 "Distance value for this route\n" BFD_ROUTE_HELP

static const struct cmd_def config_cmds[] = {
	{ "vrf NAME", VRF_STR "VRF name\n", vrf_cmd },
	{ "no vrf NAME", NO_STR VRF_STR "VRF name\n", no_vrf_cmd },
	{ "[no] " IP_ROUTE_SYNTAX " [vrf NAME$vrf]", NO_STR IP_ROUTE_HELP VRF_STR "VRF name\n",
	  ip_route_cmd },
	{ "[no] " IPV6_ROUTE_SYNTAX " [vrf NAME$vrf]", NO_STR IPV6_ROUTE_HELP VRF_STR "VRF name\n",
	  ipv6_route_cmd },
};

static const struct cmd_def vrf_node_cmds[] = {
	{ "rd ASN:NN_OR_IP-ADDRESS:NN$rd",
	  "Route distinguisher for the VRF\n"
	  "ASN:NN (ASN up to 65535 with a 32-bit number, or a 4-octet ASN with a 16-bit number) or A.B.C.D:NN\n",
	  rd_cmd },
	{ "no rd [ASN:NN_OR_IP-ADDRESS:NN$rd]",
	  NO_STR "Route distinguisher for the VRF\nRoute distinguisher to remove\n", no_rd_cmd },
	{ "[no] route-target <import|export|both> ASN:NN_OR_IP-ADDRESS:NN$rt",
	  NO_STR "Route target extended community\nImport routes carrying this route target\n"
		 "Export routes with this route target\nImport and export\n"
		 "Route target (ASN:NN or A.B.C.D:NN)\n",
	  route_target_cmd },
	{ "maximum routes (1-4294967295)$max [warning-only]",
	  "Limits for this VRF\nMaximum number of prefixes in the VRF routing table\n"
	  "Maximum number of prefixes\nOnly log a warning when the limit is passed\n",
	  max_routes_cmd },
	{ "no maximum routes [(1-4294967295)$max] [warning-only]",
	  NO_STR "Limits for this VRF\nMaximum number of prefixes in the VRF routing table\n"
		 "Maximum number of prefixes\nOnly log a warning when the limit is passed\n",
	  max_routes_cmd },
	{ "[no] " IP_ROUTE_SYNTAX, NO_STR IP_ROUTE_HELP, ip_route_cmd },
	{ "[no] " IPV6_ROUTE_SYNTAX, NO_STR IPV6_ROUTE_HELP, ipv6_route_cmd },
	{ "exit-vrf", "Exit from the VRF configuration mode\n", exit_vrf_cmd },
};

static const struct cmd_def view_cmds[] = {
	{ "show vrf [json]", SHOW_STR "VRF information\n" JSON_STR, show_vrf_cmd },
	{ "show ip route [vrf <NAME$vrf|all$all>] [A.B.C.D$addr|A.B.C.D/M$prefix] [json]",
	  SHOW_STR IP_STR ROUTE_STR VRF_STR "VRF name\n" "All VRFs\n"
		  "Longest match for this address\nExact prefix\n" JSON_STR,
	  show_ip_route_cmd },
	{ "show ip route [vrf <NAME$vrf|all$all>] summary [json]",
	  SHOW_STR IP_STR ROUTE_STR VRF_STR "VRF name\n" "All VRFs\n" "Summary of all routes\n" JSON_STR,
	  show_ip_route_summary_cmd },
	{ "show ipv6 route [vrf <NAME$vrf|all$all>] [X:X::X:X$addr|X:X::X:X/M$prefix] [json]",
	  SHOW_STR IPV6_STR ROUTE_STR VRF_STR "VRF name\n" "All VRFs\n"
		  "Longest match for this address\nExact prefix\n" JSON_STR,
	  show_ipv6_route_cmd },
	{ "show ipv6 route [vrf <NAME$vrf|all$all>] summary [json]",
	  SHOW_STR IPV6_STR ROUTE_STR VRF_STR "VRF name\n" "All VRFs\n" "Summary of all routes\n" JSON_STR,
	  show_ipv6_route_summary_cmd },
};

void vrf_cli_init(void)
{
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
	cmd_install_table(NODE_VRF, vrf_node_cmds, ARRAY_SIZE(vrf_node_cmds));
	cmd_install_table(NODE_VIEW, view_cmds, ARRAY_SIZE(view_cmds));
}
