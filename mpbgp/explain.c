/* `show bgp [vrf NAME] ipv4|ipv6 unicast PREFIX explain [json]` and
 * `show ip|ipv6 route [vrf NAME] PREFIX explain [json]`: why a route is,
 * or is not, in a VRF's table and in the dataplane, as one ordered chain.
 *
 * The chain, in the order a route travels:
 *   vrf, bgpInstance   the VRF, its RD and route targets, its BGP instance
 *   candidatePath      each BGP path and its source (peer, VPN route, local)
 *   loopCheck, pathValid  a peer path's loop check, a path left invalid
 *   importRouteTarget  imported paths: the import RT that matched
 *   routeMap           each policy that applies (neighbor in, vpn import),
 *                      re-run with a trace on a copy of the attributes
 *   nexthopResolution  the core (or VRF) route the next hop resolves over
 *   ldpBinding         the transport label toward a remote PE, or why none
 *   vpnRoute, vpnImport, vpnPathValid
 *                      VPN routes with this prefix (any RD) not imported,
 *                      and the first check that refused each
 *   bestPath           the step of the decision that chose the best path
 *   vrfRib             the VRF table's routes, which one is selected and why
 *   labelStack         the labels pushed (transport, then VPN label)
 *   dataplane          the entry the forwarding plane holds (pe/ tells)
 * Steps about one candidate among several ("alternatives") are failures
 * only while nothing made it: once some path is best or the route is
 * installed they are shown as info. Read-only: nothing here changes a RIB
 * (policies run on a template copy). One data path, two renderers: a
 * json-c document, printed as JSON or as numbered lines. */
#include "config.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/explain.h"
#include "mpbgp/policy.h"
#include "mpbgp/rib.h"
#include "mpbgp/speaker.h"
#include "mpbgp/vpn.h"
#include "vrf/vrf.h"

#define XP_MAX_STEPS 128
#define XP_MAX_VPN 64 /* VPN routes of one prefix shown */

static const struct explain_dp_ops *dp_ops;

void explain_set_dataplane_ops(const struct explain_dp_ops *ops)
{
	dp_ops = ops;
}

struct xp {
	json_object *steps;
	int n;
	bool alt[XP_MAX_STEPS];
	struct vrf *vrf;
	struct bgp *b;            /* the VRF's BGP instance, or NULL */
	struct prefix pfx;
	enum explain_scope scope;
	const struct bgp_dest *d; /* BGP's dest in the VRF instance, or NULL */
	int npaths;
};

/* Human names of the steps, for the text renderer. */
static const struct {
	const char *step, *words;
} step_words[] = {
	{ "vrf", "vrf" },
	{ "bgpInstance", "BGP instance" },
	{ "candidatePath", "candidate" },
	{ "importRouteTarget", "import route target" },
	{ "routeMap", "route-map" },
	{ "loopCheck", "loop check" },
	{ "nexthopResolution", "next-hop resolution" },
	{ "ldpBinding", "LDP binding" },
	{ "pathValid", "path valid" },
	{ "vpnRoute", "VPN route" },
	{ "vpnImport", "VPN import" },
	{ "vpnPathValid", "VPN path valid" },
	{ "bestPath", "best path" },
	{ "vrfRib", "VRF RIB" },
	{ "labelStack", "label stack" },
	{ "dataplane", "dataplane" },
};

static const char *words_of(const char *step)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(step_words); i++)
		if (strcmp(step_words[i].step, step) == 0)
			return step_words[i].words;
	return step;
}

static void jstr(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void jint(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

/* Appends a step; the caller adds structured fields to what it returns. */
__attribute__((format(printf, 5, 6))) static json_object *
step(struct xp *x, const char *name, const char *status, bool alt, const char *fmt, ...)
{
	json_object *o = json_object_new_object();
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	jstr(o, "step", name);
	jstr(o, "status", status);
	jstr(o, "detail", detail);
	if (x->n >= XP_MAX_STEPS) { /* the chain is cut there */
		json_object_put(o);
		return NULL;
	}
	x->alt[x->n++] = alt;
	json_object_array_add(x->steps, o);
	return o;
}

/* json_object_object_add on a step that may have been dropped */
static void sadd(json_object *s, const char *k, json_object *v)
{
	if (s != NULL)
		json_object_object_add(s, k, v);
	else
		json_object_put(v);
}

/* ---- formatting ---- */

static bool is_rt(const struct ecomm *e)
{
	return e->b[1] == ECOMM_SUB_RT && e->b[0] <= 0x02;
}

/* "65000:1 65000:2" and the JSON array of the same */
static json_object *rts_attr(const struct bgp_attr *a, char *buf, size_t len)
{
	json_object *arr = json_object_new_array();
	char one[RD_STRLEN];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; a != NULL && i < a->necomms; i++) {
		if (!is_rt(&a->ecomms[i]))
			continue;
		ecomm_format(&a->ecomms[i], one, sizeof(one));
		json_object_array_add(arr, json_object_new_string(one));
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? " " : "", one);
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "(none)");
	return arr;
}

static json_object *rts_set(const struct rt_set *s, char *buf, size_t len)
{
	json_object *arr = json_object_new_array();
	char one[RD_STRLEN];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < s->count; i++) {
		ecomm_format(&s->rt[i], one, sizeof(one));
		json_object_array_add(arr, json_object_new_string(one));
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? " " : "", one);
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "(none)");
	return arr;
}

static const char *nh_str(const struct ipaddr *a, char *buf, size_t len)
{
	if (a->af == 0)
		return snprintf(buf, len, "none"), buf;
	return ipaddr_ntop(a, buf, len);
}

/* "static [1/0] via 10.1.1.2 eth1" */
static void rib_route_str(const struct rib_route *r, char *buf, size_t len)
{
	char gw[IPADDR_STRLEN];
	size_t off;
	int i;

	off = (size_t)snprintf(buf, len, "%s [%u/%u]", rib_proto_name(r->proto), r->distance,
			       r->metric);
	for (i = 0; i < r->nh_count && off < len; i++) {
		const struct rib_nh *nh = &r->nh[i];
		const char *ifn = nh->ifname[0] ? nh->ifname : nh->res_ifname;

		if (nh->blackhole)
			off += (size_t)snprintf(buf + off, len - off, "%s blackhole", i ? "," : "");
		else if (ipaddr_is_zero(&nh->gw))
			off += (size_t)snprintf(buf + off, len - off, "%s directly connected %s",
						i ? "," : "", ifn);
		else
			off += (size_t)snprintf(buf + off, len - off, "%s via %s%s%s", i ? "," : "",
						ipaddr_ntop(&nh->gw, gw, sizeof(gw)), ifn[0] ? " " : "",
						ifn);
		if (nh->backup && off < len)
			off += (size_t)snprintf(buf + off, len - off, " (backup)");
		if (!nh->active && off < len)
			off += (size_t)snprintf(buf + off, len - off, " (inactive)");
	}
}

/* ---- policy ---- */

/* `route-map vpn import NAME` of the VRF instance, for the prefix's family */
static const char *rmap_vpn_import(const struct xp *x)
{
	const char *n = x->b->rmap_vpn_import[af_index(x->pfx.af)];

	return n[0] != '\0' ? n : NULL;
}

/* The local VRF instance a VPN path was exported from (leaking between
 * VRFs of this PE), or NULL: as vpn.c's local_origin. */
static struct bgp *local_origin(const struct bgp_path *vp)
{
	return vp != NULL && vp->src == BGP_SRC_LOCAL && vp->origin_bgp != NULL &&
			       vp->origin_bgp->vrf != NULL
		       ? vp->origin_bgp
		       : NULL;
}

/* Re-runs route-map name on a template copy of attr with a trace; returns
 * whether it permits. */
static bool policy_step(struct xp *x, bool alt, const char *attach, const char *name,
			const struct bgp_attr *attr, const struct ipaddr *peer_addr,
			const char *source_vrf)
{
	struct policy_trace tr;
	struct policy_route r;
	struct bgp_attr a;
	uint32_t weight = 0;
	enum policy_result res;
	json_object *s, *entries;
	int i;

	memset(&tr, 0, sizeof(tr));
	memset(&r, 0, sizeof(r));
	bgp_attr_init(&a);
	bgp_attr_copy(&a, attr);
	r.pfx = &x->pfx;
	r.attr = &a;
	r.weight = &weight;
	r.peer_addr = peer_addr;
	r.source_vrf = source_vrf;
	res = policy_route_map_apply(name, &r, &tr);
	bgp_attr_clear(&a);
	if (tr.reason[0] == '\0')
		snprintf(tr.reason, sizeof(tr.reason), "%s", res == POLICY_PERMIT ? "permitted" : "denied");
	s = step(x, "routeMap", res == POLICY_PERMIT ? "ok" : "fail", alt, "%s %s: %s", attach, name,
		 tr.reason);
	if (s == NULL)
		return res == POLICY_PERMIT;
	jstr(s, "attachment", attach);
	jstr(s, "routeMap", name);
	jstr(s, "result", res == POLICY_PERMIT ? "permit" : "deny");
	jstr(s, "reason", tr.reason);
	json_object_object_add(s, "defined", json_object_new_boolean(policy_route_map_exists(name)));
	entries = json_object_new_array();
	for (i = 0; i < tr.n && i < POLICY_TRACE_MAX; i++) {
		json_object *e = json_object_new_object();

		jstr(e, "routeMap", tr.step[i].map);
		jint(e, "sequence", tr.step[i].seq);
		jstr(e, "type", tr.step[i].permit ? "permit" : "deny");
		json_object_object_add(e, "matched", json_object_new_boolean(tr.step[i].matched));
		jstr(e, "detail", tr.step[i].detail);
		json_object_array_add(entries, e);
	}
	json_object_object_add(s, "entries", entries);
	return res == POLICY_PERMIT;
}

/* ---- next hops ---- */

/* Next-hop resolution (and for VPN next hops the LDP binding); true if the
 * next hop is usable as the RIB decided. */
static bool nexthop_steps(struct xp *x, bool alt, const struct ipaddr *nh, bool vpn)
{
	struct speaker_nh_info ni;
	char a[IPADDR_STRLEN], p[PREFIX_STRLEN], r[256], gw[IPADDR_STRLEN];
	json_object *s;

	speaker_nh_explain(vpn ? NULL : (x->vrf == vrf_default() ? NULL : x->vrf), nh, vpn, &ni);
	ipaddr_ntop(&ni.addr, a, sizeof(a));
	if (!ni.covered)
		s = step(x, "nexthopResolution", "fail", alt, "no route to %s in VRF %s", a,
			 vpn ? VRF_DEFAULT_NAME : x->vrf->name);
	else if (ni.default_only)
		s = step(x, "nexthopResolution", "fail", alt,
			 "%s is covered only by the default route, which does not resolve BGP next hops",
			 a);
	else {
		rib_route_str(ni.sel, r, sizeof(r));
		s = step(x, "nexthopResolution", ni.resolved ? "ok" : "fail", alt, "%s resolves over %s %s",
			 a, prefix_ntop(&ni.route, p, sizeof(p)), r);
	}
	if (s != NULL) {
		jstr(s, "nexthop", nh_str(nh, gw, sizeof(gw)));
		if (!ipaddr_equal(&ni.addr, nh))
			jstr(s, "resolvedAs", a);
		jstr(s, "vrf", vpn ? VRF_DEFAULT_NAME : x->vrf->name);
		if (ni.covered) {
			jstr(s, "route", prefix_ntop(&ni.route, p, sizeof(p)));
			jstr(s, "protocol", rib_proto_name(ni.sel->proto));
			if (ni.sel->nh_count > 0 && !ipaddr_is_zero(&ni.sel->nh[0].gw))
				jstr(s, "via", ipaddr_ntop(&ni.sel->nh[0].gw, gw, sizeof(gw)));
			if (ni.sel->nh_count > 0)
				jstr(s, "interface", ni.sel->nh[0].ifname[0] ? ni.sel->nh[0].ifname
									    : ni.sel->nh[0].res_ifname);
			jint(s, "metric", ni.sel->metric);
		}
		json_object_object_add(s, "resolved", json_object_new_boolean(ni.resolved));
	}
	if (!vpn || !ni.resolved)
		return ni.usable;
	prefix_ntop(&ni.route, p, sizeof(p));
	switch (ni.ldp) {
	case SPK_NH_LDP_OFF:
		s = step(x, "ldpBinding", "info", alt, "LDP not running: labels not required");
		break;
	case SPK_NH_LDP_KNOB:
		s = step(x, "ldpBinding", "info", alt,
			 "no bgp labelled-nexthop-resolution: labels not required");
		break;
	case SPK_NH_LDP_CONNECTED:
		s = step(x, "ldpBinding", "ok", alt,
			 "%s is directly connected: no transport label needed", a);
		break;
	case SPK_NH_LDP_LABELLED: {
		json_object *o = json_object_new_object();
		uint32_t label = MPLS_LABEL_NONE;
		int n = dp_ops != NULL && dp_ops->ldp_binding != NULL
				? dp_ops->ldp_binding(&ni.route, &label, o)
				: 0;

		if (n > 0 && label == MPLS_LABEL_IMPLICIT_NULL)
			s = step(x, "ldpBinding", "ok", alt,
				 "LDP label implicit-null for %s (penultimate hop pops: no transport label)",
				 p);
		else if (n > 0)
			s = step(x, "ldpBinding", "ok", alt, "LDP label %u for %s", label, p);
		else
			s = step(x, "ldpBinding", "ok", alt, "LDP has a labelled path for %s", p);
		if (s != NULL && n > 0) {
			jint(s, "label", label);
			json_object_object_foreach(o, k, v)
			{
				if (strcmp(k, "detail") != 0)
					sadd(s, k, json_object_get(v));
			}
		}
		json_object_put(o);
		break;
	}
	case SPK_NH_LDP_NONE:
	default:
		s = step(x, "ldpBinding", "fail", alt, "no LDP label for %s", p);
		break;
	}
	if (s != NULL) {
		jstr(s, "fec", p);
		jstr(s, "ldp", ni.ldp == SPK_NH_LDP_OFF	       ? "not running"
			       : ni.ldp == SPK_NH_LDP_KNOB      ? "not required"
			       : ni.ldp == SPK_NH_LDP_LABELLED  ? "labelled"
			       : ni.ldp == SPK_NH_LDP_CONNECTED ? "connected"
								: "no label");
	}
	return ni.usable;
}

/* ---- the VPN table ---- */

struct vpn_collect {
	const struct prefix *pfx;
	const struct bgp_dest *v[XP_MAX_VPN];
	int n;
	size_t more;
};

static void vpn_collect_fn(struct bgp_dest *d, void *arg)
{
	struct vpn_collect *c = arg;

	if (!prefix_equal(&d->p.pfx, c->pfx))
		return;
	if (c->n < XP_MAX_VPN)
		c->v[c->n++] = d;
	else
		c->more++;
}

static int vpn_rd_cmp(const void *a, const void *b)
{
	const struct bgp_dest *x = *(const struct bgp_dest *const *)a;
	const struct bgp_dest *y = *(const struct bgp_dest *const *)b;

	return rd_cmp(&x->p.rd, &y->p.rd);
}

static struct bgp_rib *vpn_rib(const struct prefix *pfx)
{
	struct bgp *def = bgp_default_instance();

	return def != NULL ? def->rib[pfx->af == AF_INET6 ? BGP_AF_VPNV6 : BGP_AF_VPNV4] : NULL;
}

/* "RD 65000:2, next hop 10.0.0.2, label 100, RT 65000:2, from 10.0.0.3" */
static json_object *vpn_route_step(struct xp *x, const struct bgp_dest *vd, const char *status,
				   bool alt, const char *prefix_words)
{
	const struct bgp_path *p = vd->best != NULL ? vd->best : vd->paths;
	char rd[RD_STRLEN], rts[512], nh[IPADDR_STRLEN], peer[IPADDR_STRLEN] = "";
	json_object *s, *arr;
	int npaths = 0;

	rd_format(&vd->p.rd, rd, sizeof(rd));
	if (p == NULL)
		return step(x, "vpnRoute", status, alt, "%sRD %s: no path", prefix_words, rd);
	arr = rts_attr(p->attr, rts, sizeof(rts));
	if (p->src == BGP_SRC_PEER)
		bgp_peer_str(p->peer, peer, sizeof(peer));
	s = step(x, "vpnRoute", status, alt, "%sRD %s: next hop %s, label %s%u, RT %s, from %s",
		 prefix_words, rd, nh_str(&p->attr->nexthop, nh, sizeof(nh)),
		 p->nlabels > 0 ? "" : "none ", p->nlabels > 0 ? p->labels[0] : 0, rts,
		 p->src == BGP_SRC_PEER ? peer : p->origin_bgp != NULL && p->origin_bgp->vrf != NULL
						? p->origin_bgp->vrf_name
						: "local");
	if (s == NULL) {
		json_object_put(arr);
		return NULL;
	}
	jstr(s, "rd", rd);
	jstr(s, "nexthop", nh);
	if (p->nlabels > 0)
		jint(s, "vpnLabel", p->labels[0]);
	json_object_object_add(s, "routeTargets", arr);
	if (p->src == BGP_SRC_PEER) {
		jstr(s, "peer", peer);
		jint(s, "peerAs", p->peer->cfg.remote_as);
	}
	for (p = vd->paths; p != NULL; p = p->next)
		npaths++;
	jint(s, "paths", npaths);
	return s;
}

/* Why VPN route vd is not imported into the VRF (the first refusing check). */
static void not_imported_steps(struct xp *x, const struct bgp_dest *vd)
{
	char rts[512], imp[512], rd[RD_STRLEN];
	enum vpn_import_verdict v = vpn_import_check(x->b, vd, NULL);
	const struct bgp_path *best = vd->best;
	json_object *s, *a1, *a2;

	rd_format(&vd->p.rd, rd, sizeof(rd));
	if (v == VPN_IMPORT_OWN_EXPORT) {
		vpn_route_step(x, vd, "info", true, "exported by this VRF: ");
		return;
	}
	vpn_route_step(x, vd, "info", true, "");
	switch (v) {
	case VPN_IMPORT_NO_RIB:
		step(x, "vpnImport", "fail", true, "BGP instance of VRF %s has no table of this family",
		     x->vrf->name);
		break;
	case VPN_IMPORT_DISABLED:
		s = step(x, "vpnImport", "fail", true, "VRF %s has no `import vpn`: RD %s not imported",
			 x->vrf->name, rd);
		if (s != NULL)
			json_object_object_add(s, "importVpn", json_object_new_boolean(false));
		break;
	case VPN_IMPORT_NO_BEST:
	case VPN_IMPORT_INVALID: {
		const struct bgp_path *p = best != NULL ? best : vd->paths;

		if (p != NULL && (p->flags & BGP_PATH_LOOP)) {
			step(x, "vpnPathValid", "fail", true,
			     "VPN route RD %s is looped (own AS, originator id or cluster id)", rd);
			break;
		}
		/* the next-hop steps name the cause (no route, no LDP label) */
		if (p != NULL && !nexthop_steps(x, true, &p->attr->nexthop, true))
			break;
		step(x, "vpnPathValid", "fail", true, "VPN route RD %s has no valid path", rd);
		break;
	}
	case VPN_IMPORT_NO_RT:
		a1 = rts_attr(best->attr, rts, sizeof(rts));
		a2 = rts_set(&x->vrf->rt_import, imp, sizeof(imp));
		s = step(x, "importRouteTarget", "fail", true, "none of %s in import set %s", rts, imp);
		sadd(s, "routeTargets", a1);
		sadd(s, "importSet", a2);
		if (s != NULL)
			jstr(s, "rd", rd);
		break;
	case VPN_IMPORT_OK: {
		const char *rm = rmap_vpn_import(x);
		struct bgp *from = local_origin(best);
		char one[RD_STRLEN];
		struct ecomm m;

		vpn_import_check(x->b, vd, &m);
		a2 = rts_set(&x->vrf->rt_import, imp, sizeof(imp));
		s = step(x, "importRouteTarget", "ok", true, "%s matched (import set %s)",
			 ecomm_format(&m, one, sizeof(one)), imp);
		if (s != NULL)
			jstr(s, "matched", one);
		sadd(s, "importSet", a2);
		if (rm != NULL && !policy_step(x, true, "route-map vpn import", rm, best->attr, NULL,
					       from != NULL ? from->vrf_name : NULL))
			break;
		step(x, "vpnImport", "info", true,
		     "VPN route RD %s passes every import check but is not imported yet", rd);
		break;
	}
	case VPN_IMPORT_OWN_EXPORT:
		break;
	}
}

/* ---- the BGP side ---- */

static const char *local_kind(const struct xp *x, const struct bgp_path *p)
{
	const struct bgp_network *net;

	if (p->origin_bgp != NULL && p->origin_bgp != x->b)
		return "leaked from another instance";
	for (net = x->b->networks; net != NULL; net = net->next)
		if (!bgp_af_is_vpn(net->af) && prefix_equal(&net->p.pfx, &x->pfx))
			return "network statement";
	return "redistributed from the VRF table";
}

/* One list attached to a neighbor inbound (`prefix-list` or `filter-list`,
 * JSON field field) and its verdict; ok passes through. */
static bool list_step(struct xp *x, bool alt, const char *peer, const char *what,
		      const char *field, const char *name, bool ok, bool exists)
{
	json_object *s = step(x, "routeMap", ok ? "ok" : "fail", alt, "neighbor %s %s %s in: %s%s",
			      peer, what, name, ok ? "permitted" : "denied",
			      exists ? "" : " (list not defined)");
	char attach[64];

	if (s != NULL) {
		snprintf(attach, sizeof(attach), "neighbor %s in", what);
		jstr(s, "attachment", attach);
		jstr(s, field, name);
		jstr(s, "result", ok ? "permit" : "deny");
	}
	return ok;
}

/* A peer's inbound policy as speaker.c applies it (prefix-list, filter-list,
 * then route-map), on the attributes as received; false if it denies. */
static bool inbound_policy_steps(struct xp *x, const struct bgp_path *p, enum bgp_af af,
				 const char *peer, bool alt)
{
	const struct bgp_peer_filter *f = &p->peer->cfg.filter[af];
	const struct bgp_attr *in = p->attr_in != NULL ? p->attr_in : p->attr;
	const char *pl = f->prefix_list[BGP_DIR_IN], *fl = f->filter_list[BGP_DIR_IN];
	const char *rm = f->route_map[BGP_DIR_IN];
	bool exists, ok = true;

	if (pl[0] != '\0') {
		ok = policy_prefix_list_apply(pl, &x->pfx, &exists) == POLICY_PERMIT;
		if (!list_step(x, alt, peer, "prefix-list", "prefixList", pl, ok, exists))
			return false;
	}
	if (fl[0] != '\0') {
		ok = policy_as_path_apply(fl, in, &exists) == POLICY_PERMIT;
		if (!list_step(x, alt, peer, "filter-list", "filterList", fl, ok, exists))
			return false;
	}
	if (rm[0] != '\0') {
		char attach[96];

		snprintf(attach, sizeof(attach), "neighbor %s route-map in", peer);
		ok = policy_step(x, alt, attach, rm, in, &p->peer->cfg.addr, NULL);
	}
	if (ok && (p->flags & BGP_PATH_DENIED))
		step(x, "routeMap", "fail", alt, "denied by the inbound policy of neighbor %s", peer);
	return ok && !(p->flags & BGP_PATH_DENIED);
}

/* One candidate path: its source and the checks it passed. */
static void path_steps(struct xp *x, const struct bgp_path *p, int idx, struct vpn_collect *vc)
{
	char nh[IPADDR_STRLEN], peer[IPADDR_STRLEN], rts[512], imp[512], rd[RD_STRLEN];
	enum bgp_af uaf = x->pfx.af == AF_INET6 ? BGP_AF_IPV6_UNICAST : BGP_AF_IPV4_UNICAST;
	bool multi = x->npaths > 1;
	json_object *s, *arr;
	int i;

	nh_str(&p->attr->nexthop, nh, sizeof(nh));
	switch (p->src) {
	case BGP_SRC_PEER:
		bgp_peer_str(p->peer, peer, sizeof(peer));
		s = step(x, "candidatePath", "info", false, "path %d: from %s peer %s (AS %u), next hop %s",
			 idx, bgp_peer_ebgp(p->peer, x->b->asn) ? "eBGP" : "iBGP", peer,
			 p->peer->cfg.remote_as, nh);
		if (s != NULL) {
			jint(s, "path", idx);
			jstr(s, "source", "peer");
			jstr(s, "peer", peer);
			jint(s, "peerAs", p->peer->cfg.remote_as);
			jstr(s, "nexthop", nh);
		}
		if (!inbound_policy_steps(x, p, uaf, peer, multi))
			return;
		if (p->flags & BGP_PATH_LOOP) {
			step(x, "loopCheck", "fail", multi,
			     "path %d is looped: own AS in AS_PATH, our originator id or cluster id", idx);
			return;
		}
		nexthop_steps(x, multi, &p->attr->nexthop, false);
		break;
	case BGP_SRC_IMPORTED: {
		const struct bgp_dest *vd = NULL;

		/* the path's origin names its VPN dest (compared, never followed) */
		for (i = 0; i < vc->n; i++)
			if ((const void *)vc->v[i] == (const void *)p->origin)
				vd = vc->v[i];
		if (vd != NULL)
			rd_format(&vd->p.rd, rd, sizeof(rd));
		else
			snprintf(rd, sizeof(rd), "?");
		arr = rts_attr(p->attr, rts, sizeof(rts));
		s = step(x, "candidatePath", "info", false,
			 "path %d: imported from VPN route RD %s, remote PE %s, VPN label %s%u, RT %s", idx,
			 rd, nh, p->nlabels > 0 ? "" : "none ", p->nlabels > 0 ? p->labels[0] : 0, rts);
		if (s != NULL) {
			jint(s, "path", idx);
			jstr(s, "source", "imported");
			jstr(s, "rd", rd);
			jstr(s, "nexthop", nh);
			if (p->nlabels > 0)
				jint(s, "vpnLabel", p->labels[0]);
			if (vd != NULL && vd->best != NULL && vd->best->src == BGP_SRC_PEER)
				jstr(s, "peer", bgp_peer_str(vd->best->peer, peer, sizeof(peer)));
		}
		sadd(s, "routeTargets", arr);
		{
			struct ecomm m;
			enum vpn_import_verdict v =
				vd != NULL ? vpn_import_check(x->b, vd, &m) : VPN_IMPORT_NO_BEST;
			char one[RD_STRLEN];

			if (v == VPN_IMPORT_OK) {
				arr = rts_set(&x->vrf->rt_import, imp, sizeof(imp));
				s = step(x, "importRouteTarget", "ok", false, "%s matched (route %s, import set %s)",
					 ecomm_format(&m, one, sizeof(one)), rts, imp);
				if (s != NULL)
					jstr(s, "matched", one);
				sadd(s, "importSet", arr);
			} else {
				step(x, "importRouteTarget", "info", false,
				     "the VPN route changed since it was imported (re-import pending)");
			}
		}
		{
			const char *rm = rmap_vpn_import(x);
			const struct bgp_path *vb = vd != NULL ? vd->best : NULL;
			struct bgp *from = local_origin(vb);

			/* the policy ran on the VPN path's attributes */
			if (rm != NULL && vb != NULL)
				policy_step(x, multi, "route-map vpn import", rm, vb->attr, NULL,
					    from != NULL ? from->vrf_name : NULL);
		}
		if (p->origin_bgp != NULL && p->origin_bgp->vrf != NULL) {
			/* leaked from a VRF of this PE: its next hop lives there */
			struct vrf *save = x->vrf;

			s = step(x, "candidatePath", "info", false,
				 "path %d is leaked from local VRF %s (no labels, next hop in %s)", idx,
				 p->origin_bgp->vrf_name, p->origin_bgp->vrf_name);
			if (s != NULL)
				jstr(s, "sourceVrf", p->origin_bgp->vrf_name);
			if (!ipaddr_is_zero(&p->attr->nexthop)) {
				x->vrf = p->origin_bgp->vrf;
				nexthop_steps(x, multi, &p->attr->nexthop, false);
				x->vrf = save;
			}
			break;
		}
		nexthop_steps(x, multi, &p->attr->nexthop, true);
		break;
	}
	case BGP_SRC_LOCAL:
	default:
		s = step(x, "candidatePath", "info", false, "path %d: local (%s)", idx, local_kind(x, p));
		if (s != NULL) {
			jint(s, "path", idx);
			jstr(s, "source", "local");
			jstr(s, "origin", local_kind(x, p));
		}
		break;
	}
	if (!(p->flags & BGP_PATH_VALID))
		step(x, "pathValid", "fail", multi, "path %d is not valid", idx);
}

static void bestpath_step(struct xp *x)
{
	const struct bgp_dest *d = x->d;
	struct bgp_decide_ctx ctx = { x->b->asn, x->b->always_compare_med };
	const struct bgp_path *p;
	json_object *s, *others, *mp;
	char more[512] = "";
	size_t off = 0;
	int i, best = 0;

	if (d == NULL || d->paths == NULL)
		return;
	for (p = d->paths, i = 1; p != NULL; p = p->next, i++)
		if (p == d->best)
			best = i;
	if (d->best == NULL) {
		step(x, "bestPath", "fail", false, "no valid path among %d", x->npaths);
		return;
	}
	others = json_object_new_array();
	mp = json_object_new_array();
	for (p = d->paths, i = 1; p != NULL; p = p->next, i++) {
		enum bgp_select_reason r;
		json_object *o;

		if (p->flags & BGP_PATH_MULTIPATH)
			json_object_array_add(mp, json_object_new_int(i));
		if (p == d->best)
			continue;
		o = json_object_new_object();
		jint(o, "path", i);
		if (!(p->flags & BGP_PATH_VALID)) {
			jstr(o, "lostAt", "invalid");
			if (off < sizeof(more))
				off += (size_t)snprintf(more + off, sizeof(more) - off, "; path %d invalid", i);
		} else {
			bgp_path_cmp(d->best, p, &ctx, &r);
			jstr(o, "lostAt", bgp_select_reason_str(r));
			if (off < sizeof(more))
				off += (size_t)snprintf(more + off, sizeof(more) - off, "; path %d lost at %s", i,
							bgp_select_reason_str(r));
		}
		json_object_array_add(others, o);
	}
	s = step(x, "bestPath", "ok", false, "path %d is best (%s)%s%s", best,
		 x->npaths == 1 ? "only path" : bgp_select_reason_str(d->reason), more,
		 json_object_array_length(mp) > 1 ? "; multipath" : "");
	if (s == NULL) {
		json_object_put(others);
		json_object_put(mp);
		return;
	}
	jint(s, "bestPath", best);
	jstr(s, "selectionReason", bgp_select_reason_str(d->reason));
	json_object_object_add(s, "others", others);
	if (json_object_array_length(mp) > 1)
		json_object_object_add(s, "multipath", mp);
	else
		json_object_put(mp);
}

static void bgp_steps(struct xp *x)
{
	struct bgp_rib *vr = vpn_rib(&x->pfx);
	struct vpn_collect vc;
	const struct bgp_path *p;
	int i, idx, shown = 0;

	memset(&vc, 0, sizeof(vc));
	vc.pfx = &x->pfx;
	if (vr != NULL)
		bgp_rib_walk(vr, vpn_collect_fn, &vc); /* any RD, in RD order */
	qsort(vc.v, (size_t)vc.n, sizeof(vc.v[0]), vpn_rd_cmp);
	for (p = x->d != NULL ? x->d->paths : NULL, idx = 1; p != NULL; p = p->next, idx++)
		path_steps(x, p, idx, &vc);
	/* VPN routes with this prefix that no path of the VRF came from */
	for (i = 0; i < vc.n; i++) {
		bool used = false;

		for (p = x->d != NULL ? x->d->paths : NULL; p != NULL; p = p->next)
			used |= p->src == BGP_SRC_IMPORTED &&
				(const void *)p->origin == (const void *)vc.v[i];
		if (used)
			continue;
		not_imported_steps(x, vc.v[i]);
		shown++;
	}
	if (vc.more > 0)
		step(x, "vpnRoute", "info", true, "%zu more VPN routes with this prefix not shown",
		     vc.more);
	if (x->npaths == 0) {
		char p2[PREFIX_STRLEN];
		json_object *s;
		struct bgp_prefix bp;

		prefix_ntop(&x->pfx, p2, sizeof(p2));
		memset(&bp, 0, sizeof(bp));
		bp.pfx = x->pfx;
		if (!x->b->no_import_check &&
		    bgp_network_find(x->b, x->pfx.af == AF_INET6 ? BGP_AF_IPV6_UNICAST : BGP_AF_IPV4_UNICAST,
				     &bp) != NULL)
			step(x, "network", "fail", false,
			     "network %s is configured but not originated: bgp network import-check (the "
			     "default) wants a route for exactly %s in the table of VRF %s, other than BGP's",
			     p2, p2, x->vrf->name);
		if (vc.n == 0) {
			s = step(x, "vpnRoute", "fail", false,
				 "no BGP path for %s in VRF %s, and no VPN route with this prefix in any RD",
				 p2, x->vrf->name);
			if (s != NULL)
				jint(s, "vpnRoutes", 0);
		} else if (shown == 0) {
			step(x, "vpnRoute", "fail", false, "no BGP path for %s in VRF %s", p2, x->vrf->name);
		}
	}
	bestpath_step(x);
}

/* ---- the VRF table and the dataplane ---- */

static json_object *rib_route_json(const struct rib_route *r)
{
	json_object *o = json_object_new_object(), *nhs = json_object_new_array();
	char buf[IPADDR_STRLEN];
	int i, k;

	jstr(o, "protocol", rib_proto_name(r->proto));
	jint(o, "distance", r->distance);
	jint(o, "metric", r->metric);
	json_object_object_add(o, "selected", json_object_new_boolean(r->selected));
	json_object_object_add(o, "installed", json_object_new_boolean(r->installed));
	for (i = 0; i < r->nh_count; i++) {
		const struct rib_nh *nh = &r->nh[i];
		json_object *n = json_object_new_object();
		const char *ifn = nh->ifname[0] ? nh->ifname : nh->res_ifname;

		if (nh->blackhole)
			json_object_object_add(n, "blackhole", json_object_new_boolean(true));
		else if (!ipaddr_is_zero(&nh->gw))
			jstr(n, "ip", ipaddr_ntop(&nh->gw, buf, sizeof(buf)));
		else
			json_object_object_add(n, "directlyConnected", json_object_new_boolean(true));
		if (ifn[0] != '\0')
			jstr(n, "interfaceName", ifn);
		if (nh->nh_vrf_set) {
			const struct vrf *nv = vrf_lookup_id(nh->nh_vrf_id);

			jstr(n, "vrf", nv != NULL ? nv->name : "unknown");
		}
		json_object_object_add(n, "active", json_object_new_boolean(nh->active));
		if (nh->backup)
			json_object_object_add(n, "backup", json_object_new_boolean(true));
		if (nh->nlabels > 0) {
			json_object *l = json_object_new_array();

			for (k = 0; k < nh->nlabels; k++)
				json_object_array_add(l, json_object_new_int64(nh->labels[k]));
			json_object_object_add(n, "labels", l);
		}
		json_object_array_add(nhs, n);
	}
	json_object_object_add(o, "nexthops", nhs);
	return o;
}

/* Why route r was not selected over sel (rib.c: lowest distance, then the
 * route with an active next hop). */
static void lost_why(const struct rib_route *r, const struct rib_route *sel, char *buf, size_t len)
{
	char a[256], b[256];
	int i, act = 0;

	rib_route_str(r, a, sizeof(a));
	for (i = 0; i < r->nh_count; i++)
		act += r->nh[i].active;
	if (sel == NULL) {
		snprintf(buf, len, "%s not selected: %s", a, act ? "no next hop installable" : "no active next hop");
		return;
	}
	rib_route_str(sel, b, sizeof(b));
	if (act == 0)
		snprintf(buf, len, "%s not selected: no active next hop; %s wins", a, b);
	else if (sel->distance < r->distance)
		snprintf(buf, len, "%s not selected: %s wins (lower distance %u < %u)", a, b, sel->distance,
			 r->distance);
	else
		snprintf(buf, len, "%s not selected: %s wins (same distance %u, chosen first)", a, b,
			 sel->distance);
}

/* Returns whether the route the scope is about is installed in the FIB. */
static bool rib_steps(struct xp *x, const struct rib_dest **out)
{
	const struct rib_dest *d = rib_lookup_exact(x->vrf->rib, &x->pfx);
	const struct rib_route *r, *bgp = NULL, *sel;
	char pb[PREFIX_STRLEN], a[256], why[600];
	json_object *s, *routes;
	bool ok;

	*out = d;
	prefix_ntop(&x->pfx, pb, sizeof(pb));
	if (d == NULL || d->routes == NULL) {
		step(x, "vrfRib", "fail", false, "no route for %s in the table of VRF %s", pb, x->vrf->name);
		return false;
	}
	routes = json_object_new_array();
	for (r = d->routes; r != NULL; r = r->next) {
		json_object_array_add(routes, rib_route_json(r));
		if (r->proto == RIB_BGP)
			bgp = r;
	}
	sel = d->selected;
	if (x->scope == EXPLAIN_BGP && x->d != NULL && x->d->best != NULL &&
	    x->d->best->src == BGP_SRC_LOCAL)
		bgp = sel; /* a local path came from the table itself */
	if (x->scope == EXPLAIN_BGP && bgp == NULL) {
		s = step(x, "vrfRib", "fail", false, "no BGP route for %s in the table of VRF %s%s%s", pb,
			 x->vrf->name, sel ? "; selected: " : "", sel ? (rib_route_str(sel, a, sizeof(a)), a) : "");
		ok = false;
	} else if (x->scope == EXPLAIN_BGP && bgp != sel) {
		lost_why(bgp, sel, why, sizeof(why));
		s = step(x, "vrfRib", "fail", false, "%s", why);
		ok = false;
	} else if (sel == NULL) {
		lost_why(d->routes, NULL, why, sizeof(why));
		s = step(x, "vrfRib", "fail", false, "no route selected for %s: %s", pb, why);
		ok = false;
	} else {
		size_t off;

		rib_route_str(sel, a, sizeof(a));
		off = (size_t)snprintf(why, sizeof(why), "%s selected%s", a,
				       sel->installed ? ", installed in the FIB" : ", NOT installed in the FIB");
		for (r = d->routes; r != NULL && off < sizeof(why); r = r->next)
			if (r != sel) {
				char w[400];

				lost_why(r, sel, w, sizeof(w));
				off += (size_t)snprintf(why + off, sizeof(why) - off, "; %s", w);
			}
		s = step(x, "vrfRib", sel->installed ? "ok" : "fail", false, "%s", why);
		ok = sel->installed;
	}
	if (s == NULL) {
		json_object_put(routes);
		return ok;
	}
	if (sel != NULL) {
		jstr(s, "selectedProtocol", rib_proto_name(sel->proto));
		jint(s, "distance", sel->distance);
		json_object_object_add(s, "installed", json_object_new_boolean(sel->installed));
	}
	jint(s, "nexthopGroupId", d->fib_nh);
	json_object_object_add(s, "routes", routes);
	return ok;
}

/* The labels the selected route pushes: transport (LDP) over VPN label. */
static void label_step(struct xp *x, const struct rib_route *sel)
{
	const struct rib_nh *nh;
	struct speaker_nh_info ni;
	uint32_t tl = MPLS_LABEL_NONE;
	char pb[PREFIX_STRLEN], gw[IPADDR_STRLEN], t[48];
	json_object *s, *stack;
	int k;

	if (sel == NULL || sel->nh_count == 0)
		return;
	nh = &sel->nh[0];
	if (nh->nlabels == 0 || !nh->nh_vrf_set || nh->nh_vrf_id != VRF_DEFAULT_ID)
		return;
	speaker_nh_explain(NULL, &nh->gw, true, &ni);
	if (ni.covered && dp_ops != NULL && dp_ops->ldp_binding != NULL) {
		json_object *o = json_object_new_object();

		if (dp_ops->ldp_binding(&ni.route, &tl, o) == 0)
			tl = MPLS_LABEL_NONE;
		json_object_put(o);
	}
	stack = json_object_new_array();
	if (tl != MPLS_LABEL_NONE && tl != MPLS_LABEL_IMPLICIT_NULL)
		json_object_array_add(stack, json_object_new_int64(tl));
	for (k = 0; k < nh->nlabels; k++)
		json_object_array_add(stack, json_object_new_int64(nh->labels[k]));
	if (tl == MPLS_LABEL_NONE)
		snprintf(t, sizeof(t), "no transport label");
	else if (tl == MPLS_LABEL_IMPLICIT_NULL)
		snprintf(t, sizeof(t), "no transport label (implicit-null)");
	else
		snprintf(t, sizeof(t), "transport label %u", tl);
	s = step(x, "labelStack", "ok", false, "push VPN label %u under %s toward %s (%s)", nh->labels[0],
		 t, ipaddr_ntop(&nh->gw, gw, sizeof(gw)),
		 ni.covered ? prefix_ntop(&ni.route, pb, sizeof(pb)) : "no core route");
	if (s == NULL) {
		json_object_put(stack);
		return;
	}
	json_object_object_add(s, "labels", stack); /* outermost first */
	jint(s, "vpnLabel", nh->labels[0]);
	if (tl != MPLS_LABEL_NONE)
		jint(s, "transportLabel", tl);
}

static bool dataplane_step(struct xp *x, const struct rib_dest *d)
{
	json_object *o, *s;
	const char *detail;
	bool ok;

	if (x->vrf == vrf_default()) {
		step(x, "dataplane", "info", false, "core IP forwarding is the kernel's");
		return true;
	}
	if (dp_ops == NULL || dp_ops->fib_entry == NULL) {
		step(x, "dataplane", "info", false, "no dataplane in this process");
		return true;
	}
	o = json_object_new_object();
	ok = dp_ops->fib_entry(x->vrf, &x->pfx, d != NULL ? d->fib_nh : 0, o);
	detail = json_object_get_string(json_object_object_get(o, "detail"));
	s = step(x, "dataplane", ok ? "ok" : "fail", false, "%s", detail ? detail : "");
	if (s != NULL) {
		json_object_object_foreach(o, k, v)
		{
			if (strcmp(k, "detail") != 0 && strcmp(k, "step") != 0 && strcmp(k, "status") != 0)
				json_object_object_add(s, k, json_object_get(v));
		}
	}
	json_object_put(o);
	return ok;
}

/* ---- the document ---- */

static struct bgp *instance_of(const struct vrf *vrf)
{
	return bgp_lookup(vrf == vrf_default() ? NULL : vrf->name);
}

static void vrf_step(struct xp *x)
{
	char rd[RD_STRLEN], imp[512], exp[512];
	json_object *s, *ai, *ae;

	if (x->vrf->rd_set)
		rd_format(&x->vrf->rd, rd, sizeof(rd));
	else
		snprintf(rd, sizeof(rd), "not set");
	ai = rts_set(&x->vrf->rt_import, imp, sizeof(imp));
	ae = rts_set(&x->vrf->rt_export, exp, sizeof(exp));
	if (x->b != NULL)
		s = step(x, "vrf", "info", false,
			 "VRF %s (id %u), RD %s, import RT %s, export RT %s; BGP AS %u, import vpn %s, export vpn %s",
			 x->vrf->name, x->vrf->id, rd, imp, exp, x->b->asn, x->b->import_vpn ? "on" : "off",
			 x->b->export_vpn ? "on" : "off");
	else
		s = step(x, "vrf", "info", false, "VRF %s (id %u), RD %s, import RT %s, export RT %s; no BGP",
			 x->vrf->name, x->vrf->id, rd, imp, exp);
	if (s == NULL) {
		json_object_put(ai);
		json_object_put(ae);
		return;
	}
	jstr(s, "vrfName", x->vrf->name);
	jint(s, "vrfId", x->vrf->id);
	if (x->vrf->rd_set)
		jstr(s, "rd", rd);
	json_object_object_add(s, "importRouteTargets", ai);
	json_object_object_add(s, "exportRouteTargets", ae);
	if (x->b != NULL) {
		jint(s, "bgpAs", x->b->asn);
		json_object_object_add(s, "importVpn", json_object_new_boolean(x->b->import_vpn));
		json_object_object_add(s, "exportVpn", json_object_new_boolean(x->b->export_vpn));
	}
}

/* Alternatives' failures become info once something made it. */
static void finish(struct xp *x, json_object *top, bool downgrade)
{
	size_t i, n = json_object_array_length(x->steps);
	json_object *ff = NULL;

	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(x->steps, i);
		const char *st = json_object_get_string(json_object_object_get(s, "status"));

		if (strcmp(st, "fail") == 0 && downgrade && i < XP_MAX_STEPS && x->alt[i]) {
			jstr(s, "status", "info");
			continue;
		}
		if (strcmp(st, "fail") == 0 && ff == NULL) {
			ff = json_object_new_object();
			jstr(ff, "step", json_object_get_string(json_object_object_get(s, "step")));
			jstr(ff, "reason", json_object_get_string(json_object_object_get(s, "detail")));
			jint(ff, "index", (int64_t)i + 1);
		}
	}
	if (ff != NULL)
		json_object_object_add(top, "firstFailure", ff);
}

json_object *explain_route(struct vrf *vrf, const struct prefix *pfx0, enum explain_scope scope)
{
	json_object *top = json_object_new_object();
	const struct rib_dest *rd = NULL;
	struct xp x;
	char pb[PREFIX_STRLEN];
	bool installed, bgp_relevant;
	const char *result;
	const struct bgp_path *p;

	memset(&x, 0, sizeof(x));
	x.vrf = vrf;
	x.pfx = *pfx0;
	prefix_apply_mask(&x.pfx);
	x.scope = scope;
	x.steps = json_object_new_array();
	x.b = instance_of(vrf);
	if (x.b != NULL) {
		struct bgp_rib *rib =
			x.b->rib[x.pfx.af == AF_INET6 ? BGP_AF_IPV6_UNICAST : BGP_AF_IPV4_UNICAST];
		struct bgp_prefix key;

		memset(&key, 0, sizeof(key));
		key.pfx = x.pfx;
		x.d = rib != NULL ? bgp_rib_lookup(rib, &key) : NULL;
		for (p = x.d != NULL ? x.d->paths : NULL; p != NULL; p = p->next)
			x.npaths++;
	}
	jint(top, "schemaVersion", EXPLAIN_SCHEMA_VERSION);
	jstr(top, "vrfName", vrf->name);
	jint(top, "vrfId", vrf->id);
	jstr(top, "prefix", prefix_ntop(&x.pfx, pb, sizeof(pb)));
	jstr(top, "scope", scope == EXPLAIN_BGP ? "bgp" : "route");

	vrf_step(&x);
	/* `show ip route ... explain` of a static or connected route leaves
	 * BGP out unless BGP has something to say about the prefix */
	rd = rib_lookup_exact(vrf->rib, &x.pfx);
	bgp_relevant = scope == EXPLAIN_BGP || x.npaths > 0 || rd == NULL || rd->selected == NULL;
	if (x.b == NULL && scope == EXPLAIN_BGP)
		step(&x, "bgpInstance", "fail", false, "no BGP instance for VRF %s", vrf->name);
	else if (x.b != NULL && bgp_relevant)
		bgp_steps(&x);
	if (x.npaths == 0 && scope == EXPLAIN_BGP) {
		result = "absent";
	} else {
		installed = rib_steps(&x, &rd);
		if (rd != NULL && rd->selected != NULL && installed)
			label_step(&x, rd->selected);
		if (rd != NULL && rd->selected != NULL && installed)
			installed = dataplane_step(&x, rd);
		result = installed ? "installed" : rd == NULL ? "absent" : "not installed";
	}
	finish(&x, top, strcmp(result, "installed") == 0 || (x.d != NULL && x.d->best != NULL));
	jstr(top, "result", result);
	json_object_object_add(top, "steps", x.steps);
	return top;
}

/* ---- rendering ---- */

void explain_print(struct cli *cli, json_object *doc)
{
	json_object *steps = json_object_object_get(doc, "steps");
	json_object *ff = json_object_object_get(doc, "firstFailure");
	int64_t fidx = ff ? json_object_get_int64(json_object_object_get(ff, "index")) : 0;
	size_t i, n = json_object_array_length(steps);

	cli_out(cli, "%s %s in VRF %s: %s\n",
		strcmp(json_object_get_string(json_object_object_get(doc, "scope")), "bgp") == 0
			? "BGP route"
			: "Route",
		json_object_get_string(json_object_object_get(doc, "prefix")),
		json_object_get_string(json_object_object_get(doc, "vrfName")),
		json_object_get_string(json_object_object_get(doc, "result")));
	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(steps, i);
		const char *st = json_object_get_string(json_object_object_get(s, "status"));

		cli_out(cli, "%s%3zu. %-4s %s: %s\n", (int64_t)i + 1 == fidx ? "=>" : "  ", i + 1,
			strcmp(st, "fail") == 0 ? "FAIL" : st,
			words_of(json_object_get_string(json_object_object_get(s, "step"))),
			json_object_get_string(json_object_object_get(s, "detail")));
		if (strcmp(json_object_get_string(json_object_object_get(s, "step")), "routeMap") == 0) {
			json_object *e = json_object_object_get(s, "entries");
			size_t k;

			for (k = 0; e != NULL && k < json_object_array_length(e); k++) {
				json_object *one = json_object_array_get_idx(e, k);

				cli_out(cli, "           %s seq %lld %s: %s%s\n",
					json_object_get_string(json_object_object_get(one, "routeMap")),
					(long long)json_object_get_int64(json_object_object_get(one, "sequence")),
					json_object_get_string(json_object_object_get(one, "type")),
					json_object_get_boolean(json_object_object_get(one, "matched")) ? "matched"
													: "no match",
					json_object_get_string(json_object_object_get(one, "detail")));
			}
		}
	}
	if (ff != NULL)
		cli_out(cli, "failed at: %s: %s\n",
			words_of(json_object_get_string(json_object_object_get(ff, "step"))),
			json_object_get_string(json_object_object_get(ff, "reason")));
}

/* ---- commands ---- */

static int explain_cmd(struct cli *cli, const struct cmd_args *a, int af, enum explain_scope scope)
{
	const char *name = cmd_arg(a, "vrf");
	struct vrf *vrf = name != NULL ? vrf_lookup(name) : vrf_default();
	bool json = cmd_has(a, "json");
	struct prefix pfx;
	json_object *doc;

	if (vrf == NULL) {
		cli_out(cli, json ? "{}\n" : "%% VRF %s does not exist\n", name);
		return json ? CMD_SUCCESS : CMD_ERROR;
	}
	if (prefix_parse(cmd_arg(a, "prefix"), &pfx, NULL) != 0 || pfx.af != af) {
		cli_out(cli, "%% Malformed prefix\n");
		return CMD_ERROR;
	}
	doc = explain_route(vrf, &pfx, scope);
	if (json) {
		cli_json(cli, doc);
		return CMD_SUCCESS;
	}
	explain_print(cli, doc);
	json_object_put(doc);
	return CMD_SUCCESS;
}

static int bgp_explain4_cmd(struct cli *cli, const struct cmd_args *a)
{
	return explain_cmd(cli, a, AF_INET, EXPLAIN_BGP);
}

static int bgp_explain6_cmd(struct cli *cli, const struct cmd_args *a)
{
	return explain_cmd(cli, a, AF_INET6, EXPLAIN_BGP);
}

static int route_explain4_cmd(struct cli *cli, const struct cmd_args *a)
{
	return explain_cmd(cli, a, AF_INET, EXPLAIN_ROUTE);
}

static int route_explain6_cmd(struct cli *cli, const struct cmd_args *a)
{
	return explain_cmd(cli, a, AF_INET6, EXPLAIN_ROUTE);
}

#define EXPLAIN_STR "Why the route is, or is not, installed: the chain step by step\n"

static const struct cmd_def explain_cmds[] = {
	{ "show bgp [vrf NAME$vrf] ipv4 unicast A.B.C.D/M$prefix explain [json]",
	  SHOW_STR "BGP information\n" VRF_STR "VRF name\n" "Address Family\n"
	  "Address Family modifier\n" "Network in the BGP routing table\n" EXPLAIN_STR JSON_STR,
	  bgp_explain4_cmd },
	{ "show bgp [vrf NAME$vrf] ipv6 unicast X:X::X:X/M$prefix explain [json]",
	  SHOW_STR "BGP information\n" VRF_STR "VRF name\n" "Address Family\n"
	  "Address Family modifier\n" "Network in the BGP routing table\n" EXPLAIN_STR JSON_STR,
	  bgp_explain6_cmd },
	{ "show ip route [vrf NAME$vrf] A.B.C.D/M$prefix explain [json]",
	  SHOW_STR IP_STR ROUTE_STR VRF_STR "VRF name\n" "Exact prefix\n" EXPLAIN_STR JSON_STR,
	  route_explain4_cmd },
	{ "show ipv6 route [vrf NAME$vrf] X:X::X:X/M$prefix explain [json]",
	  SHOW_STR IPV6_STR ROUTE_STR VRF_STR "VRF name\n" "Exact prefix\n" EXPLAIN_STR JSON_STR,
	  route_explain6_cmd },
};

void explain_init(void)
{
	cmd_install_table(NODE_VIEW, explain_cmds, ARRAY_SIZE(explain_cmds));
}
