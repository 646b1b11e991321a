/* BGP show and clear commands, one data path and two renderers: a json-c
 * tree with FRR's field names, printed as JSON or as text. */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cmd.h"
#include "lib/jsonw.h"
#include "lib/kbatch.h"
#include "lib/log.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/gr.h"
#include "mpbgp/explain.h"
#include "mpbgp/peer_filter.h"
#include "mpbgp/policy.h"
#include "mpbgp/rib.h"
#include "mpbgp/session.h"
#include "mpbgp/speaker.h"
#include "mpbgp/vpn.h"
#include "vrf/vrf.h"


static const char *a4(uint32_t a, char *buf)
{
	return addr4_ntop(a, buf, IPADDR_STRLEN);
}

static void uptime_str(time_t since, char *buf, size_t len)
{
	long s = since ? (long)(time(NULL) - since) : 0;

	if (s < 86400)
		snprintf(buf, len, "%02ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
	else
		snprintf(buf, len, "%ldd%02ldh%02ldm", s / 86400, (s / 3600) % 24, (s / 60) % 60);
}

static struct bgp *instance_arg(struct cli *cli, const struct cmd_args *a)
{
	const char *v = cmd_arg(a, "vrf");
	struct bgp *b = bgp_lookup(v);

	if (b == NULL && !cmd_has(a, "json")) /* JSON callers print {} themselves */
		cli_out(cli, "%% No BGP instance%s%s\n", v ? " for VRF " : "", v ? v : "");
	return b;
}

/* ---- summary ---- */

static uint64_t msgs(const uint64_t *v)
{
	uint64_t n = 0;
	int i;

	for (i = 1; i < 6; i++)
		n += v[i];
	return n;
}

static json_object *summary_json(struct bgp *b, enum bgp_af af)
{
	json_object *o = json_object_new_object(), *peers = json_object_new_object();
	struct bgp_peer *p;
	char buf[64];
	int n = 0, failed = 0;

	json_object_object_add(o, "routerId",
			       json_object_new_string(a4(bgp_effective_router_id(b), buf)));
	json_object_object_add(o, "as", json_object_new_int64(b->asn));
	json_object_object_add(o, "vrfId", json_object_new_int64(b->vrf ? b->vrf->id : 0));
	json_object_object_add(o, "vrfName",
			       json_object_new_string(b->vrf_name[0] ? b->vrf_name : VRF_DEFAULT_NAME));
	json_object_object_add(o, "ribCount",
			       json_object_new_int64(b->rib[af] ? (int64_t)bgp_rib_dest_count(b->rib[af]) : 0));
	for (p = b->peers; p != NULL; p = p->next) {
		json_object *j;

		if (!p->cfg.af_active[af])
			continue;
		j = json_object_new_object();
		n++;
		failed += p->state != BGP_ST_ESTABLISHED;
		json_object_object_add(j, "remoteAs", json_object_new_int64(p->cfg.remote_as));
		json_object_object_add(j, "localAs", json_object_new_int64(b->asn));
		json_object_object_add(j, "version", json_object_new_int(4));
		json_object_object_add(j, "msgRcvd", json_object_new_int64((int64_t)msgs(p->cnt.msgs_in)));
		json_object_object_add(j, "msgSent", json_object_new_int64((int64_t)msgs(p->cnt.msgs_out)));
		json_object_object_add(j, "outq", json_object_new_int64((int64_t)bgp_peer_outq(p)));
		json_object_object_add(j, "inq", json_object_new_int(0));
		uptime_str(p->state_since, buf, sizeof(buf));
		json_object_object_add(j, "peerUptime", json_object_new_string(buf));
		json_object_object_add(j, "pfxRcd",
				       json_object_new_int64(b->rib[af] ? (int64_t)bgp_rib_peer_path_count(b->rib[af], p) : 0));
		json_object_object_add(j, "pfxSnt", json_object_new_int64((int64_t)bgp_adjout_count(p, af)));
		json_object_object_add(j, "state", json_object_new_string(bgp_state_name(p->state)));
		json_object_object_add(j, "peerState",
				       json_object_new_string(p->cfg.shutdown ? "Admin" : "OK"));
		json_object_object_add(j, "connectionsEstablished",
				       json_object_new_int64((int64_t)p->cnt.established_count));
		json_object_object_add(j, "connectionsDropped",
				       json_object_new_int64((int64_t)p->cnt.dropped_count));
		if (p->cfg.description[0])
			json_object_object_add(j, "desc", json_object_new_string(p->cfg.description));
		json_object_object_add(j, "idType", json_object_new_string("ipv4"));
		json_object_object_add(peers, bgp_peer_str(p, buf, sizeof(buf)), j);
	}
	json_object_object_add(o, "peers", peers);
	json_object_object_add(o, "failedPeers", json_object_new_int(failed));
	json_object_object_add(o, "totalPeers", json_object_new_int(n));
	return o;
}

static void summary_text(struct cli *cli, struct bgp *b, enum bgp_af af)
{
	json_object *o = summary_json(b, af), *peers;
	struct bgp_peer *p = b->peers;
	char buf[64];

	cli_out(cli, "\n%s Summary (VRF %s):\n", bgp_af_table[af].json_name,
		b->vrf_name[0] ? b->vrf_name : VRF_DEFAULT_NAME);
	cli_out(cli, "BGP router identifier %s, local AS number %u\n",
		a4(bgp_effective_router_id(b), buf), b->asn);
	cli_out(cli, "RIB entries %lld\n\n",
		(long long)json_object_get_int64(json_object_object_get(o, "ribCount")));
	cli_out(cli, "%-16s %1s %10s %8s %8s %5s %10s %12s %8s %s\n", "Neighbor", "V", "AS", "MsgRcvd",
		"MsgSent", "OutQ", "Up/Down", "State/PfxRcd", "PfxSnt", "Desc");
	peers = json_object_object_get(o, "peers");
	json_object_object_foreach(peers, addr, j)
	{
		const char *st = json_object_get_string(json_object_object_get(j, "state"));
		char sp[32], ss[32];

		/* the peers in summary_json's order */
		while (p != NULL && !p->cfg.af_active[af])
			p = p->next;
		snprintf(ss, sizeof(ss), "%lld",
			 (long long)json_object_get_int64(json_object_object_get(j, "pfxSnt")));
		if (strcmp(st, "Established") == 0)
			snprintf(sp, sizeof(sp), "%lld",
				 (long long)json_object_get_int64(json_object_object_get(j, "pfxRcd")));
		else
			snprintf(sp, sizeof(sp), "%s", st);
		/* RFC 8212 (ebgp-requires-policy): FRR's words for what is held back */
		if (p != NULL && strcmp(st, "Established") == 0) {
			if (bgp_ebgp_policy_missing(p, af, BGP_DIR_IN))
				snprintf(sp, sizeof(sp), "(Policy)");
			if (bgp_ebgp_policy_missing(p, af, BGP_DIR_OUT))
				snprintf(ss, sizeof(ss), "(Policy)");
		}
		if (p != NULL)
			p = p->next;
		cli_out(cli, "%-16s 4 %10lld %8lld %8lld %5lld %10s %12s %8s %s\n", addr,
			(long long)json_object_get_int64(json_object_object_get(j, "remoteAs")),
			(long long)json_object_get_int64(json_object_object_get(j, "msgRcvd")),
			(long long)json_object_get_int64(json_object_object_get(j, "msgSent")),
			(long long)json_object_get_int64(json_object_object_get(j, "outq")),
			json_object_get_string(json_object_object_get(j, "peerUptime")), sp, ss,
			json_object_object_get(j, "desc")
				? json_object_get_string(json_object_object_get(j, "desc"))
				: "N/A");
	}
	cli_out(cli, "\nTotal number of neighbors %d\n",
		json_object_get_int(json_object_object_get(o, "totalPeers")));
	json_object_put(o);
}

static int show_summary_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = instance_arg(cli, a);
	bool json = cmd_has(a, "json");
	int af, only = cmd_has(a, "ipv6")  ? (cmd_has(a, "vpn") ? BGP_AF_VPNV6 : BGP_AF_IPV6_UNICAST)
		       : cmd_has(a, "vpn") ? BGP_AF_VPNV4
		       : cmd_has(a, "unicast") || cmd_has(a, "ipv4") ? BGP_AF_IPV4_UNICAST
								     : -1;
	json_object *top;

	if (b == NULL)
		return json ? (cli_out(cli, "{}\n"), CMD_SUCCESS) : CMD_ERROR;
	if (only >= 0 && b->rib[only] == NULL) {
		cli_out(cli, json ? "{}\n" : "%% No such address family in this instance\n");
		return json ? CMD_SUCCESS : CMD_ERROR;
	}
	if (only >= 0) {
		if (json)
			cli_json(cli, summary_json(b, (enum bgp_af)only));
		else
			summary_text(cli, b, (enum bgp_af)only);
		return CMD_SUCCESS;
	}
	top = json ? json_object_new_object() : NULL;
	for (af = 0; af < BGP_AF_MAX; af++) {
		struct bgp_peer *p;
		bool any = false;

		for (p = b->peers; p != NULL; p = p->next)
			any |= p->cfg.af_active[af];
		if (b->rib[af] == NULL || !any)
			continue;
		if (json)
			json_object_object_add(top, bgp_af_table[af].json_name,
					       summary_json(b, (enum bgp_af)af));
		else
			summary_text(cli, b, (enum bgp_af)af);
	}
	if (json)
		cli_json(cli, top);
	return CMD_SUCCESS;
}

/* ---- routes ---- */

static const char *origin_str(uint8_t o)
{
	return o == BGP_ORIGIN_IGP ? "IGP" : o == BGP_ORIGIN_EGP ? "EGP" : "incomplete";
}

static json_object *ecomm_json(const struct bgp_attr *at)
{
	char buf[1024], one[RD_STRLEN];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < at->necomms && off < sizeof(buf) - 40; i++) {
		const char *kind = at->ecomms[i].b[1] == ECOMM_SUB_RT    ? "RT:"
				   : at->ecomms[i].b[1] == ECOMM_SUB_SOO ? "SoO:"
									 : "";
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s%s", i ? " " : "", kind,
					ecomm_format(&at->ecomms[i], one, sizeof(one)));
	}
	{
		json_object *o = json_object_new_object();

		json_object_object_add(o, "string", json_object_new_string(buf));
		return o;
	}
}

/* FRR's "community" and "largeCommunity": {"string": "a b", "list": [a, b]} */
static json_object *strlist_json(char (*v)[40], size_t n)
{
	json_object *o = json_object_new_object(), *l = json_object_new_array();
	char buf[1024];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < n && off < sizeof(buf) - 42; i++) {
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? " " : "", v[i]);
		json_object_array_add(l, json_object_new_string(v[i]));
	}
	json_object_object_add(o, "string", json_object_new_string(buf));
	json_object_object_add(o, "list", l);
	return o;
}

static json_object *comm_json(const struct bgp_attr *at)
{
	char v[64][40];
	size_t i, n = at->ncommunities < 64 ? at->ncommunities : 64;
	json_object *o;

	for (i = 0; i < n; i++)
		policy_comm_str(at->communities[i], v[i], sizeof(v[i]));
	o = strlist_json(v, n);
	return o;
}

static json_object *lcomm_json(const struct lcomm *lc, size_t n)
{
	char v[64][40];
	size_t i;

	for (i = 0; i < n && i < 64; i++)
		snprintf(v[i], sizeof(v[i]), "%u:%u:%u", lc[i].g, lc[i].l1, lc[i].l2);
	return strlist_json(v, n < 64 ? n : 64);
}

/* FRR's aspath.segments: [{"type": "as-sequence", "list": [65001, ...]}]
 * from the wire form kept in the attribute (RFC 4271 4.3, 4-octet ASNs,
 * checked when it was received; walked with bounds all the same). */
static json_object *aspath_segments_json(const struct bgp_attr *at)
{
	static const char *const types[] = { "unknown", "as-set", "as-sequence",
					     "as-confed-sequence", "as-confed-set" };
	json_object *segs = json_object_new_array();
	size_t off = 0;

	while (at->aspath != NULL && off + 2 <= at->aspath_len) {
		uint8_t type = at->aspath[off], n = at->aspath[off + 1];
		json_object *seg, *list;
		size_t i;

		off += 2;
		if (off + (size_t)n * 4 > at->aspath_len)
			break;
		seg = json_object_new_object();
		list = json_object_new_array();
		json_object_object_add(seg, "type", json_object_new_string(
			type < sizeof(types) / sizeof(types[0]) ? types[type] : types[0]));
		for (i = 0; i < n; i++, off += 4) {
			const uint8_t *a = at->aspath + off;

			json_object_array_add(list, json_object_new_int64(
				(int64_t)((uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
					  (uint32_t)a[2] << 8 | a[3])));
		}
		json_object_object_add(seg, "list", list);
		json_object_array_add(segs, seg);
	}
	return segs;
}

/* FRR's per-path "peer" of the detail view; our own paths come from
 * peer_self: peerId 0.0.0.0 and our router id. */
static json_object *peer_json(struct bgp *b, const struct bgp_path *p)
{
	json_object *o = json_object_new_object();
	char buf[64];

	if (p->src != BGP_SRC_PEER) {
		json_object_object_add(o, "peerId", json_object_new_string("0.0.0.0"));
		json_object_object_add(o, "routerId",
				       json_object_new_string(a4(bgp_effective_router_id(b), buf)));
		return o;
	}
	json_object_object_add(o, "peerId",
			       json_object_new_string(bgp_peer_str(p->peer, buf, sizeof(buf))));
	json_object_object_add(o, "routerId", json_object_new_string(a4(p->peer->remote_id, buf)));
	json_object_object_add(o, "type", json_object_new_string(
		bgp_peer_ebgp(p->peer, b->asn) ? "external" : "internal"));
	return o;
}

static json_object *path_json(struct bgp *b, const struct bgp_dest *d, const struct bgp_path *p,
			      bool detail)
{
	struct lcomm lc[64];
	size_t nlc;
	json_object *o = json_object_new_object(), *nhs = json_object_new_array(), *nh;
	const struct bgp_attr *at = p->attr;
	char buf[512];

	json_object_object_add(o, "valid", json_object_new_boolean((p->flags & BGP_PATH_VALID) != 0));
	if (p->flags & BGP_PATH_STALE)
		json_object_object_add(o, "stale", json_object_new_boolean(true)); /* graceful restart */
	if (!detail && d->best == p) {
		json_object_object_add(o, "bestpath", json_object_new_boolean(true));
		json_object_object_add(o, "selectionReason",
				       json_object_new_string(bgp_select_reason_str(d->reason)));
	}
	if (detail) {
		json_object *bp = json_object_new_object();

		json_object_object_add(bp, "overall", json_object_new_boolean(d->best == p));
		if (d->best == p)
			json_object_object_add(bp, "selectionReason",
					       json_object_new_string(bgp_select_reason_str(d->reason)));
		json_object_object_add(o, "bestpath", bp);
	}
	/* FRR: our own paths (network, redistribute, VRF export, leaks) come
	 * from its peer_self, which is "external" with peerId "(unspec)" */
	json_object_object_add(o, "pathFrom",
			       json_object_new_string(p->src != BGP_SRC_PEER ? "external"
						      : bgp_peer_ebgp(p->peer, b->asn) ? "external"
										   : "internal"));
	{
		struct ipaddr pa = prefix_addr(&d->p.pfx);

		json_object_object_add(o, "prefix",
				       json_object_new_string(ipaddr_ntop(&pa, buf, sizeof(buf))));
	}
	json_object_object_add(o, "prefixLen", json_object_new_int(d->p.pfx.len));
	json_object_object_add(o, "network",
			       json_object_new_string(prefix_ntop(&d->p.pfx, buf, sizeof(buf))));
	if (at->present & BGP_ATTR_BIT(BGP_ATTR_MED))
		json_object_object_add(o, "metric", json_object_new_int64(at->med));
	if (at->present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF))
		json_object_object_add(o, "locPrf", json_object_new_int64(at->local_pref));
	json_object_object_add(o, "weight", json_object_new_int64(p->weight));
	bgp_aspath_str(at, buf, sizeof(buf));
	if (detail) {
		json_object *ap = json_object_new_object();

		json_object_object_add(ap, "string", json_object_new_string(buf[0] ? buf : "Local"));
		json_object_object_add(ap, "segments", aspath_segments_json(at));
		json_object_object_add(ap, "length", json_object_new_int(bgp_aspath_length(at)));
		json_object_object_add(o, "aspath", ap);
	} else {
		json_object_object_add(o, "path", json_object_new_string(buf));
	}
	json_object_object_add(o, "origin", json_object_new_string(origin_str(at->origin)));
	if (at->ncommunities > 0)
		json_object_object_add(o, "community", comm_json(at));
	if (at->necomms > 0)
		json_object_object_add(o, "extendedCommunity", ecomm_json(at));
	if ((nlc = policy_lcomm_get(at, lc, sizeof(lc) / sizeof(lc[0]))) > 0)
		json_object_object_add(o, "largeCommunity", lcomm_json(lc, nlc));
	if (at->present & BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID))
		json_object_object_add(o, "originatorId", json_object_new_string(a4(at->originator_id, buf)));
	if (at->ncluster > 0) {
		json_object *cl = json_object_new_array();
		int i;

		for (i = 0; i < at->ncluster; i++)
			json_object_array_add(cl, json_object_new_string(a4(at->cluster_list[i], buf)));
		json_object_object_add(o, "clusterList", cl);
	}
	if (p->nlabels > 0)
		json_object_object_add(o, "remoteLabel", json_object_new_int64(p->labels[0]));
	json_object_object_add(o, "peerId", json_object_new_string(
		p->src == BGP_SRC_PEER ? bgp_peer_str(p->peer, buf, sizeof(buf)) : "(unspec)"));
	if (detail)
		json_object_object_add(o, "peer", peer_json(b, p));
	nh = json_object_new_object();
	json_object_object_add(nh, "ip", json_object_new_string(
						 ipaddr_is_zero(&at->nexthop) && at->nexthop.af == 0
							 ? "0.0.0.0"
							 : ipaddr_ntop(&at->nexthop, buf, sizeof(buf))));
	json_object_object_add(nh, "afi", json_object_new_string(at->nexthop.af == AF_INET6 ? "ipv6"
												: "ipv4"));
	json_object_object_add(nh, "metric", json_object_new_int64(p->igp_metric));
	json_object_object_add(nh, "accessible",
			       json_object_new_boolean(p->src != BGP_SRC_PEER || (p->flags & BGP_PATH_NH_OK)));
	json_object_object_add(nh, "used", json_object_new_boolean(true));
	json_object_array_add(nhs, nh);
	json_object_object_add(o, "nexthops", nhs);
	if (p->flags & BGP_PATH_MULTIPATH)
		json_object_object_add(o, "multipath", json_object_new_boolean(true));
	if (p->flags & BGP_PATH_BACKUP) /* the name of FRR's PIC work (PR 21814) */
		json_object_object_add(o, "backup", json_object_new_boolean(true));
	if (p->src != BGP_SRC_PEER && p->origin_bgp != NULL &&
	    (p->src == BGP_SRC_IMPORTED || p->origin_bgp != b)) {
		/* leaked (from the VPN table into a VRF, from a VRF into the VPN
		 * table or another VRF): FRR names the instance the next hop
		 * belongs to, "default" for the VPN table's */
		const struct bgp *ob = p->origin_bgp;

		json_object_object_add(o, "nhVrfName", json_object_new_string(
			ob->vrf_name[0] ? ob->vrf_name : VRF_DEFAULT_NAME));
		json_object_object_add(o, "nhVrfId", json_object_new_int64(ob->vrf ? ob->vrf->id : 0));
	}
	if (p->src == BGP_SRC_IMPORTED)
		json_object_object_add(o, "importedFrom", json_object_new_string(
			p->origin == NULL && p->origin_bgp != NULL ? p->origin_bgp->vrf_name : "vpn"));
	if (!(p->flags & BGP_PATH_VALID)) {
		const char *why = (p->flags & BGP_PATH_LOOP)     ? "as-path, originator or cluster loop"
				  : !(p->flags & BGP_PATH_NH_OK) ? "next hop inaccessible (no core route, or no labelled path while LDP runs)"
								 : "invalid";
		json_object_object_add(o, "notUsedReason", json_object_new_string(why));
	}
	return o;
}

struct walk_ctx {
	struct cli *cli;
	struct bgp *b;
	json_object *routes;   /* rd -> {prefix, paths} ("" key for unicast) */
	enum bgp_af af;
	bool vpn;
	struct prefix pfx;     /* prefix detail */
	bool rd_filter;
	struct rd rd;
};

/* Paths denied by inbound policy are in the Adj-RIB-In only: tables show
 * neither them nor a dest that has nothing else. */
static bool dest_shown(const struct bgp_dest *d)
{
	const struct bgp_path *p;

	for (p = d->paths; p != NULL; p = p->next)
		if (!(p->flags & BGP_PATH_DENIED))
			return true;
	return false;
}

/* FRR's "advertisedTo": {"PEER": {}} for each peer whose Adj-RIB-Out
 * holds the prefix */
static json_object *advertised_to_json(struct bgp *b, enum bgp_af af, const struct bgp_dest *d)
{
	json_object *o = json_object_new_object();
	struct bgp_peer *peer;
	struct bgp_nlri n;
	char buf[64];

	for (peer = b->peers; peer != NULL; peer = peer->next)
		if (bgp_adjout_lookup(peer, af, &d->p, &n) != NULL)
			json_object_object_add(o, bgp_peer_str(peer, buf, sizeof(buf)),
					       json_object_new_object());
	return o;
}

/* `show bgp ipv4 vpn [rd RD] A.B.C.D/M`: FRR's shape, keyed by RD. */
static void prefix_detail(struct bgp_dest *d, void *arg)
{
	struct walk_ctx *w = arg;
	json_object *o, *paths;
	struct bgp_path *p;
	char buf[RD_STRLEN + PREFIX_STRLEN];

	if (!prefix_equal(&d->p.pfx, &w->pfx) || (w->rd_filter && rd_cmp(&d->p.rd, &w->rd) != 0))
		return;
	if (!dest_shown(d))
		return;
	o = json_object_new_object();
	paths = json_object_new_array();
	json_object_object_add(o, "prefix", json_object_new_string(prefix_ntop(&d->p.pfx, buf, sizeof(buf))));
	json_object_object_add(o, "advertisedTo", advertised_to_json(w->b, w->af, d));
	for (p = d->paths; p != NULL; p = p->next)
		if (!(p->flags & BGP_PATH_DENIED))
			json_object_array_add(paths, path_json(w->b, d, p, true));
	json_object_object_add(o, "paths", paths);
	json_object_object_add(w->routes, w->vpn ? rd_format(&d->p.rd, buf, sizeof(buf)) : "", o);
}

/* ---- table dumps, streamed ----
 *
 * `show bgp ... ipv4|ipv6 [unicast|vpn] [json]` writes its answer while it
 * walks the table, in steps (cli_defer), so ped holds a bounded part of the
 * output whatever the table size and keeps routing between steps (pe/ctl.c
 * runs the steps as the client reads). The bytes are those of the json-c
 * tree this used to build (lib/jsonw.c prints json-c's format).
 *
 * The cursor is a key, never a pointer: each pass over the (hash) table
 * picks the next DUMP_BATCH or more keys above the last one taken, sorted;
 * each key is then looked up again when its turn comes. A dest freed
 * between steps is simply not found, so table changes during a dump are
 * safe. What the dump shows: the table in (RD, prefix) order, each prefix
 * once, as it is when its line is written; a prefix present for the whole
 * dump is shown, one added or removed meanwhile may or may not be. The
 * instance and its table are looked up again at each step too: if they go
 * away the output ends there, well formed. Memory: the batch of keys (28
 * bytes each: DUMP_BATCH, or an eighth of the table above 512k dests, 3.5 MB
 * at 1M); time: at most 8 passes over the table plus the output. */
#define DUMP_BATCH 65536u /* keys per pass, at least */
#define DUMP_STEP 64u     /* dests written per step */

struct dump {
	struct cli *cli;
	char vrf[sizeof(((struct bgp *)0)->vrf_name)]; /* instance ("" default) */
	enum bgp_af af;
	bool json, vpn;
	struct jsonw jw;
	struct kbatch kb;        /* this pass's keys (struct bgp_prefix), the cursor */
	bool rd_open;
	struct rd rd;            /* VPN: RD of the open object / text header */
	uint64_t count;
};

static int key_cmp(const struct bgp_prefix *x, const struct bgp_prefix *y)
{
	int c = memcmp(x->rd.b, y->rd.b, 8); /* rib.c's sorted order */

	return c != 0 ? c : prefix_cmp(&x->pfx, &y->pfx);
}

static int key_qsort_cmp(const void *a, const void *b)
{
	return key_cmp(a, b);
}

/* pass: the batch keeps the smallest keys above the cursor */
static void dump_pick(struct bgp_dest *d, void *arg)
{
	kbatch_offer(&((struct dump *)arg)->kb, &d->p);
}

static void dump_pass(struct dump *u, struct bgp_rib *rib)
{
	size_t cap = bgp_rib_dest_count(rib) / 8;

	kbatch_begin(&u->kb, cap < DUMP_BATCH ? DUMP_BATCH : cap);
	bgp_rib_walk(rib, dump_pick, u);
	kbatch_end(&u->kb);
}

static void dump_write(void *arg, const char *buf, size_t len)
{
	cli_write(arg, buf, len);
}

static void dest_json(struct dump *u, struct bgp *b, struct bgp_dest *d)
{
	json_object *arr = json_object_new_array();
	struct bgp_path *p;
	char buf[RD_STRLEN + PREFIX_STRLEN];

	for (p = d->paths; p != NULL; p = p->next)
		if (!(p->flags & BGP_PATH_DENIED))
			json_object_array_add(arr, path_json(b, d, p, false));
	if (u->vpn && (!u->rd_open || rd_cmp(&u->rd, &d->p.rd) != 0)) {
		if (u->rd_open)
			jsonw_close(&u->jw);
		jsonw_open(&u->jw, rd_format(&d->p.rd, buf, sizeof(buf)), '{');
		u->rd = d->p.rd;
		u->rd_open = true;
	}
	jsonw_value(&u->jw, prefix_ntop(&d->p.pfx, buf, sizeof(buf)), arr);
}

static void dest_text(struct dump *u, struct bgp *b, struct bgp_dest *d)
{
	struct cli *cli = u->cli;
	struct bgp_path *p;
	char pfx[PREFIX_STRLEN], nh[IPADDR_STRLEN], path[256], rd[RD_STRLEN];
	bool first = true;

	if (u->vpn && (!u->rd_open || rd_cmp(&u->rd, &d->p.rd) != 0)) {
		cli_out(cli, "Route Distinguisher: %s\n", rd_format(&d->p.rd, rd, sizeof(rd)));
		u->rd = d->p.rd;
		u->rd_open = true;
	}
	for (p = d->paths; p != NULL; p = p->next) {
		const struct bgp_attr *at = p->attr;
		char med[16] = "", lp[16] = "";

		if (p->flags & BGP_PATH_DENIED)
			continue;
		if (at->present & BGP_ATTR_BIT(BGP_ATTR_MED))
			snprintf(med, sizeof(med), "%u", at->med);
		if (at->present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF))
			snprintf(lp, sizeof(lp), "%u", at->local_pref);
		bgp_aspath_str(at, path, sizeof(path));
		cli_out(cli, "%c%c%c %-18s %-15s %6s %6s %6u %s%s%s", (p->flags & BGP_PATH_VALID) ? '*' : ' ',
			d->best == p ? '>' : (p->flags & BGP_PATH_BACKUP) ? 'b' : ' ', p->src == BGP_SRC_PEER && !bgp_peer_ebgp(p->peer, b->asn) ? 'i' : ' ',
			first ? prefix_ntop(&d->p.pfx, pfx, sizeof(pfx)) : "",
			!ipaddr_is_zero(&at->nexthop) ? ipaddr_ntop(&at->nexthop, nh, sizeof(nh)) : "0.0.0.0", med, lp, p->weight, path,
			path[0] ? " " : "",
			at->origin == BGP_ORIGIN_IGP ? "i" : at->origin == BGP_ORIGIN_EGP ? "e" : "?");
		if (p->nlabels > 0)
			cli_out(cli, "  label %u", p->labels[0]);
		cli_out(cli, "\n");
		first = false;
	}
}

static int dump_end(struct dump *u)
{
	if (!u->json) {
		cli_out(u->cli, "\nDisplayed %llu routes\n", (unsigned long long)u->count);
		return CMD_SUCCESS;
	}
	if (u->rd_open)
		jsonw_close(&u->jw); /* the RD */
	if (u->vpn)
		jsonw_close(&u->jw); /* routeDistinguishers */
	jsonw_close(&u->jw);         /* routes */
	jsonw_value(&u->jw, "totalRoutes", json_object_new_int64((int64_t)u->count));
	jsonw_close(&u->jw);
	return CMD_SUCCESS;
}

static int dump_step(struct cli *cli, void *arg)
{
	struct dump *u = arg;
	struct bgp *b = bgp_lookup(u->vrf[0] ? u->vrf : NULL);
	struct bgp_rib *rib = b != NULL ? b->rib[u->af] : NULL;
	unsigned n;

	(void)cli;
	if (rib == NULL) /* the instance or family went away: end here */
		return dump_end(u);
	if (u->kb.next == u->kb.n) {
		if (u->kb.exhausted)
			return dump_end(u);
		dump_pass(u, rib);
		return CMD_PENDING;
	}
	for (n = 0; n < DUMP_STEP && u->kb.next < u->kb.n; u->kb.next++) {
		struct bgp_dest *d = bgp_rib_lookup(rib, kbatch_at(&u->kb, u->kb.next));

		if (d == NULL || !dest_shown(d))
			continue;
		if (u->json)
			dest_json(u, b, d);
		else
			dest_text(u, b, d);
		u->count++;
		n++;
	}
	return CMD_PENDING;
}

static void dump_free(void *arg)
{
	struct dump *u = arg;

	kbatch_free(&u->kb);
	free(u);
}

static int show_routes(struct cli *cli, struct bgp *b, enum bgp_af af, bool json)
{
	struct dump *u;
	char buf[64];

	if (b->rib[af] == NULL) {
		cli_out(cli, json ? "{}\n" : "%% No such address family in this instance\n");
		return json ? CMD_SUCCESS : CMD_ERROR;
	}
	u = xcalloc(1, sizeof(*u));
	u->cli = cli;
	kbatch_init(&u->kb, sizeof(struct bgp_prefix), key_qsort_cmp);
	snprintf(u->vrf, sizeof(u->vrf), "%s", b->vrf_name);
	u->af = af;
	u->json = json;
	u->vpn = bgp_af_is_vpn(af);
	if (json) {
		jsonw_init(&u->jw, dump_write, cli);
		jsonw_open(&u->jw, NULL, '{');
		jsonw_value(&u->jw, "vrfId", json_object_new_int64(b->vrf ? b->vrf->id : 0));
		jsonw_value(&u->jw, "vrfName",
			    json_object_new_string(b->vrf_name[0] ? b->vrf_name : VRF_DEFAULT_NAME));
		jsonw_value(&u->jw, "routerId",
			    json_object_new_string(a4(bgp_effective_router_id(b), buf)));
		jsonw_value(&u->jw, "defaultLocPrf", json_object_new_int(100));
		jsonw_value(&u->jw, "localAS", json_object_new_int64(b->asn));
		jsonw_open(&u->jw, "routes", '{');
		if (u->vpn)
			jsonw_open(&u->jw, "routeDistinguishers", '{');
	} else {
		cli_out(cli, "BGP table version 0, local router ID is %s, vrf %s\n",
			a4(bgp_effective_router_id(b), buf), b->vrf_name[0] ? b->vrf_name : VRF_DEFAULT_NAME);
		cli_out(cli, "Status codes: * valid, > best, b backup (PIC), i internal\nOrigin codes: i - IGP, e - EGP, ? - incomplete\n\n");
		cli_out(cli, "    %-18s %-15s %6s %6s %6s %s\n", "Network", "Next Hop", "Metric", "LocPrf",
			"Weight", "Path");
	}
	return cli_defer(cli, dump_step, dump_free, u);
}

struct match {
	const struct prefix *pfx;
	struct bgp_dest **v;
	size_t n, cap;
};

static void match_prefix(struct bgp_dest *d, void *arg)
{
	struct match *m = arg;

	if (!prefix_equal(&d->p.pfx, m->pfx))
		return;
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 8;
		m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	m->v[m->n++] = d;
}

static int match_cmp(const void *a, const void *b)
{
	return key_cmp(&(*(struct bgp_dest *const *)a)->p, &(*(struct bgp_dest *const *)b)->p);
}

static int show_prefix(struct cli *cli, struct bgp *b, enum bgp_af af, bool json,
		       const char *rdstr, const char *pfxstr)
{
	struct prefix pfx;
	struct rd rd;
	char err[128], buf[RD_STRLEN];
	json_object *top = json_object_new_object();
	struct walk_ctx w;

	memset(&rd, 0, sizeof(rd));
	if (prefix_parse(pfxstr, &pfx, NULL) != 0 || pfx.af != bgp_af_family(af) ||
	    (rdstr != NULL && rd_parse(rdstr, &rd, err, sizeof(err)) != 0)) {
		json_object_put(top);
		cli_out(cli, "%% Malformed prefix or route distinguisher\n");
		return CMD_ERROR;
	}
	if (b->rib[af] == NULL) {
		json_object_put(top);
		cli_out(cli, json ? "{}\n" : "%% No such address family in this instance\n");
		return json ? CMD_SUCCESS : CMD_ERROR;
	}
	memset(&w, 0, sizeof(w));
	w.b = b;
	w.cli = cli;
	w.pfx = pfx;
	w.rd_filter = rdstr != NULL;
	w.rd = rd;
	w.routes = top;
	w.af = af;
	w.vpn = bgp_af_is_vpn(af);
	if (rdstr != NULL || !w.vpn) {
		/* one dest: a hash lookup, not a walk of the table (0.3 s of CPU
		 * per query at 500k paths) */
		struct bgp_prefix key;
		struct bgp_dest *d;

		memset(&key, 0, sizeof(key));
		key.rd = rd;
		key.pfx = pfx;
		if ((d = bgp_rib_lookup(b->rib[af], &key)) != NULL)
			prefix_detail(d, &w);
	} else {
		/* one prefix under every RD: the few dests that match, in RD order
		 * (not a sorted copy of the whole table) */
		struct match m = { &pfx, NULL, 0, 0 };
		size_t i;

		bgp_rib_walk(b->rib[af], match_prefix, &m);
		qsort(m.v, m.n, sizeof(*m.v), match_cmp);
		for (i = 0; i < m.n; i++)
			prefix_detail(m.v[i], &w);
		free(m.v);
	}
	if (json) {
		if (!w.vpn) {
			json_object *inner = NULL;

			json_object_object_get_ex(top, "", &inner);
			if (inner != NULL) {
				json_object_get(inner);
				json_object_put(top);
				top = inner;
			}
		}
		cli_json(cli, top);
		return CMD_SUCCESS;
	}
	json_object_object_foreach(top, rdk, po)
	{
		json_object *paths = json_object_object_get(po, "paths");
		size_t i;

		if (w.vpn)
			cli_out(cli, "Route Distinguisher: %s\n", rdk);
		cli_out(cli, "BGP routing table entry for %s\nPaths: (%zu available)\n", pfxstr,
			json_object_array_length(paths));
		for (i = 0; i < json_object_array_length(paths); i++) {
			json_object *p = json_object_array_get_idx(paths, i), *v, *nh;

			nh = json_object_array_get_idx(json_object_object_get(p, "nexthops"), 0);
			cli_out(cli, "  %s\n    %s%s from %s\n",
				json_object_get_string(json_object_object_get(json_object_object_get(p, "aspath"), "string")),
				json_object_get_string(json_object_object_get(nh, "ip")),
				json_object_get_boolean(json_object_object_get(nh, "accessible")) ? "" : " (inaccessible)",
				json_object_object_get_ex(p, "peerId", &v) &&
						strcmp(json_object_get_string(v), "(unspec)") != 0
					? json_object_get_string(v)
					: "local");
			cli_out(cli, "      Origin %s", json_object_get_string(json_object_object_get(p, "origin")));
			if (json_object_object_get_ex(p, "metric", &v))
				cli_out(cli, ", metric %lld", (long long)json_object_get_int64(v));
			if (json_object_object_get_ex(p, "locPrf", &v))
				cli_out(cli, ", localpref %lld", (long long)json_object_get_int64(v));
			cli_out(cli, ", %s", json_object_get_boolean(json_object_object_get(p, "valid")) ? "valid" : "invalid");
			v = json_object_object_get(p, "bestpath");
			if (json_object_get_boolean(json_object_object_get(v, "overall")))
				cli_out(cli, ", best (%s)", json_object_get_string(json_object_object_get(v, "selectionReason")));
			cli_out(cli, "\n");
			if (json_object_object_get_ex(p, "community", &v))
				cli_out(cli, "      Community: %s\n",
					json_object_get_string(json_object_object_get(v, "string")));
			if (json_object_object_get_ex(p, "largeCommunity", &v))
				cli_out(cli, "      Large Community: %s\n",
					json_object_get_string(json_object_object_get(v, "string")));
			if (json_object_object_get_ex(p, "extendedCommunity", &v))
				cli_out(cli, "      Extended Community: %s\n",
					json_object_get_string(json_object_object_get(v, "string")));
			if (json_object_object_get_ex(p, "remoteLabel", &v))
				cli_out(cli, "      Remote label: %lld\n", (long long)json_object_get_int64(v));
			if (json_object_object_get_ex(p, "notUsedReason", &v))
				cli_out(cli, "      Not used: %s\n", json_object_get_string(v));
		}
	}
	(void)buf;
	json_object_put(top);
	return CMD_SUCCESS;
}

static int show_bgp_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = instance_arg(cli, a);
	enum bgp_af af = cmd_has(a, "ipv6") ? (cmd_has(a, "vpn") ? BGP_AF_VPNV6 : BGP_AF_IPV6_UNICAST)
			 : cmd_has(a, "vpn") ? BGP_AF_VPNV4
					      : BGP_AF_IPV4_UNICAST;
	bool json = cmd_has(a, "json");

	if (b == NULL) {
		if (json)
			cli_out(cli, "{}\n");
		return json ? CMD_SUCCESS : CMD_ERROR;
	}
	if (cmd_arg(a, "prefix") != NULL)
		return show_prefix(cli, b, af, json, cmd_arg(a, "rd"), cmd_arg(a, "prefix"));
	return show_routes(cli, b, af, json);
}

/* ---- neighbors ---- */

/* FRR's per-family policy fields of `show bgp neighbors json`. */
static void neighbor_policy_json(const struct bgp_peer *p, enum bgp_af af, json_object *x)
{
	const struct bgp_peer_filter *f = &p->cfg.filter[af];
	static const char *const pl[2] = { "incomingUpdatePrefixFilterList",
					   "outgoingUpdatePrefixFilterList" };
	static const char *const fl[2] = { "incomingUpdateAsPathFilterList",
					   "outgoingUpdateAsPathFilterList" };
	static const char *const rm[2] = { "routeMapForIncomingAdvertisements",
					   "routeMapForOutgoingAdvertisements" };
	int d;

	if (bgp_peer_has_policy(p, af, BGP_DIR_IN))
		json_object_object_add(x, "inboundPathPolicyConfig", json_object_new_boolean(true));
	if (bgp_peer_has_policy(p, af, BGP_DIR_OUT))
		json_object_object_add(x, "outboundPathPolicyConfig", json_object_new_boolean(true));
	/* RFC 8212 (`bgp ebgp-requires-policy`), FRR's keys and words */
	if (bgp_ebgp_policy_missing(p, af, BGP_DIR_IN))
		json_object_object_add(x, "inboundEbgpRequiresPolicy",
				       json_object_new_string("Inbound updates discarded due to missing policy"));
	if (bgp_ebgp_policy_missing(p, af, BGP_DIR_OUT))
		json_object_object_add(x, "outboundEbgpRequiresPolicy",
				       json_object_new_string("Outbound updates discarded due to missing policy"));
	for (d = BGP_DIR_IN; d <= BGP_DIR_OUT; d++) {
		if (f->prefix_list[d][0])
			json_object_object_add(x, pl[d], json_object_new_string(f->prefix_list[d]));
		if (f->filter_list[d][0])
			json_object_object_add(x, fl[d], json_object_new_string(f->filter_list[d]));
		if (f->route_map[d][0])
			json_object_object_add(x, rm[d], json_object_new_string(f->route_map[d]));
	}
}

static json_object *neighbor_json(struct bgp *b, struct bgp_peer *p)
{
	json_object *o = json_object_new_object(), *caps = json_object_new_object();
	json_object *msgs_o = json_object_new_object(), *afs = json_object_new_object();
	char buf[64];
	int af;

	json_object_object_add(o, "remoteAs", json_object_new_int64(p->cfg.remote_as));
	json_object_object_add(o, "localAs", json_object_new_int64(b->asn));
	json_object_object_add(o, "nbrInternalLink", json_object_new_boolean(!bgp_peer_ebgp(p, b->asn)));
	if (p->group != NULL)
		json_object_object_add(o, "peerGroup", json_object_new_string(p->group->name));
	if (p->cfg.description[0])
		json_object_object_add(o, "nbrDesc", json_object_new_string(p->cfg.description));
	json_object_object_add(o, "bgpVersion", json_object_new_int(4));
	json_object_object_add(o, "remoteRouterId", json_object_new_string(a4(p->remote_id, buf)));
	json_object_object_add(o, "localRouterId",
			       json_object_new_string(a4(bgp_effective_router_id(b), buf)));
	json_object_object_add(o, "bgpState", json_object_new_string(bgp_state_name(p->state)));
	uptime_str(p->state_since, buf, sizeof(buf));
	json_object_object_add(o, "bgpTimerUp", json_object_new_string(buf));
	json_object_object_add(o, "bgpTimerHoldTimeMsecs", json_object_new_int64((int64_t)p->holdtime * 1000));
	json_object_object_add(o, "bgpTimerKeepAliveIntervalMsecs",
			       json_object_new_int64((int64_t)p->keepalive * 1000));
	json_object_object_add(caps, "4byteAs", json_object_new_string(p->as4 ? "advertisedAndReceived" : "no"));
	json_object_object_add(caps, "routeRefresh",
			       json_object_new_string(p->capa_rcvd.route_refresh && p->capa_sent.route_refresh
							      ? "advertisedAndReceived" : "no"));
	for (af = 0; af < BGP_AF_MAX; af++) {
		json_object *x;

		json_object_object_add(caps, bgp_af_table[af].json_name,
				       json_object_new_string(p->af_nego[af] ? "advertisedAndReceived"
						       : p->capa_sent.mp[af] ? "advertised"
						       : p->capa_rcvd.mp[af] ? "received" : "no"));
		if (!p->cfg.af_active[af])
			continue;
		x = json_object_new_object();
		json_object_object_add(x, "acceptedPrefixCounter",
				       json_object_new_int64(p->bgp->rib[af] ? (int64_t)bgp_rib_peer_path_count(p->bgp->rib[af], p) : 0));
		json_object_object_add(x, "sentPrefixCounter", json_object_new_int64((int64_t)bgp_adjout_count(p, (enum bgp_af)af)));
		if (p->cfg.rr_client[af])
			json_object_object_add(x, "routeReflectorClient", json_object_new_boolean(true));
		if (p->cfg.next_hop_self[af] || p->cfg.nhs_force[af])
			json_object_object_add(x, "routerAlwaysNextHop", json_object_new_boolean(true));
		if (p->cfg.nhs_force[af])
			json_object_object_add(x, "forceRouterAlwaysNextHop", json_object_new_boolean(true));
		if (p->cfg.max_prefix[af])
			json_object_object_add(x, "prefixAllowedMax", json_object_new_int64(p->cfg.max_prefix[af]));
		neighbor_policy_json(p, (enum bgp_af)af, x);
		json_object_object_add(afs, bgp_af_table[af].json_name, x);
	}
	bgp_gr_json(p, o, caps, bgp_adjout_eor_sent);
	json_object_object_add(o, "neighborCapabilities", caps);
	json_object_object_add(o, "addressFamilyInfo", afs);
	json_object_object_add(msgs_o, "opensSent", json_object_new_int64((int64_t)p->cnt.msgs_out[1]));
	json_object_object_add(msgs_o, "opensRecv", json_object_new_int64((int64_t)p->cnt.msgs_in[1]));
	json_object_object_add(msgs_o, "updatesSent", json_object_new_int64((int64_t)p->cnt.msgs_out[2]));
	json_object_object_add(msgs_o, "updatesRecv", json_object_new_int64((int64_t)p->cnt.msgs_in[2]));
	json_object_object_add(msgs_o, "notificationsSent", json_object_new_int64((int64_t)p->cnt.msgs_out[3]));
	json_object_object_add(msgs_o, "notificationsRecv", json_object_new_int64((int64_t)p->cnt.msgs_in[3]));
	json_object_object_add(msgs_o, "keepalivesSent", json_object_new_int64((int64_t)p->cnt.msgs_out[4]));
	json_object_object_add(msgs_o, "keepalivesRecv", json_object_new_int64((int64_t)p->cnt.msgs_in[4]));
	json_object_object_add(msgs_o, "routeRefreshSent", json_object_new_int64((int64_t)p->cnt.msgs_out[5]));
	json_object_object_add(msgs_o, "routeRefreshRecv", json_object_new_int64((int64_t)p->cnt.msgs_in[5]));
	json_object_object_add(o, "messageStats", msgs_o);
	json_object_object_add(o, "updatesTreatAsWithdraw", json_object_new_int64((int64_t)p->cnt.updates_treat_as_withdraw));
	json_object_object_add(o, "updatesAttributeDiscard", json_object_new_int64((int64_t)p->cnt.updates_attr_discard));
	json_object_object_add(o, "updatesSessionReset", json_object_new_int64((int64_t)p->cnt.updates_reset));
	{
		uint64_t lp = 0;

		for (int k = 0; k < BGP_AF_MAX; k++)
			lp += p->cnt.loop_dropped[k];
		json_object_object_add(o, "prefixesDroppedLoop", json_object_new_int64((int64_t)lp));
	}
	json_object_object_add(o, "connectionsEstablished", json_object_new_int64((int64_t)p->cnt.established_count));
	json_object_object_add(o, "connectionsDropped", json_object_new_int64((int64_t)p->cnt.dropped_count));
	if (p->local_addr.af != 0) {
		json_object_object_add(o, "hostLocal", json_object_new_string(
							       ipaddr_ntop(&p->local_addr, buf, sizeof(buf))));
		json_object_object_add(o, "portLocal", json_object_new_int(p->local_port));
		json_object_object_add(o, "portForeign", json_object_new_int(p->remote_port));
	}
	if (p->last_error[0])
		json_object_object_add(o, "lastErrorCodeSubcode", json_object_new_string(p->last_error));
	bgp_bfd_show(p, o);
	return o;
}

/* FRR's lines (lib/bfd.c bfd_sess_show) from the "peerBfdInfo" object */
static void bfd_text(struct cli *cli, json_object *b)
{
	json_object *prof;

	if (b == NULL)
		return;
	cli_out(cli, "  BFD: Type: %s\n", json_object_get_string(json_object_object_get(b, "type")));
	if (json_object_object_get_ex(b, "profile", &prof))
		cli_out(cli, "  BFD: Profile: %s\n", json_object_get_string(prof));
	cli_out(cli, "  Detect Multiplier: %d, Min Rx interval: %d, Min Tx interval: %d\n",
		json_object_get_int(json_object_object_get(b, "detectMultiplier")),
		json_object_get_int(json_object_object_get(b, "rxMinInterval")),
		json_object_get_int(json_object_object_get(b, "txMinInterval")));
	cli_out(cli, "  Status: %s, Last update: %s\n",
		json_object_get_string(json_object_object_get(b, "status")),
		json_object_get_string(json_object_object_get(b, "lastUpdate")));
}

static int show_neighbors_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = instance_arg(cli, a);
	const char *only = cmd_arg(a, "peer");
	json_object *top;
	struct bgp_peer *p;
	char buf[IPADDR_STRLEN];
	struct ipaddr addr;

	memset(&addr, 0, sizeof(addr));
	if (b == NULL)
		return cmd_has(a, "json") ? (cli_out(cli, "{}\n"), CMD_SUCCESS) : CMD_ERROR;
	if (only != NULL && (ipaddr_parse(only, &addr) != 0 || bgp_peer_lookup(b, &addr) == NULL)) {
		cli_out(cli, cmd_has(a, "json") ? "{}\n" : "%% No such neighbor in this view/vrf\n");
		return cmd_has(a, "json") ? CMD_SUCCESS : CMD_ERROR;
	}
	top = json_object_new_object();
	for (p = b->peers; p != NULL; p = p->next)
		if (only == NULL || ipaddr_equal(&p->cfg.addr, &addr))
			json_object_object_add(top, bgp_peer_str(p, buf, sizeof(buf)), neighbor_json(b, p));
	if (cmd_has(a, "json")) {
		cli_json(cli, top);
		return CMD_SUCCESS;
	}
	json_object_object_foreach(top, k, v)
	{
		cli_out(cli, "BGP neighbor is %s, remote AS %lld, local AS %u, %s link\n", k,
			(long long)json_object_get_int64(json_object_object_get(v, "remoteAs")), b->asn,
			json_object_get_boolean(json_object_object_get(v, "nbrInternalLink")) ? "internal" : "external");
		cli_out(cli, "  BGP version 4, remote router ID %s, local router ID %s\n",
			json_object_get_string(json_object_object_get(v, "remoteRouterId")),
			json_object_get_string(json_object_object_get(v, "localRouterId")));
		cli_out(cli, "  BGP state = %s, up for %s\n",
			json_object_get_string(json_object_object_get(v, "bgpState")),
			json_object_get_string(json_object_object_get(v, "bgpTimerUp")));
		cli_out(cli, "  Message statistics: %s\n",
			json_object_to_json_string_ext(json_object_object_get(v, "messageStats"), JSON_C_TO_STRING_PLAIN));
		cli_out(cli, "  RFC 7606: %lld treated as withdraw, %lld attribute discard, %lld session resets\n",
			(long long)json_object_get_int64(json_object_object_get(v, "updatesTreatAsWithdraw")),
			(long long)json_object_get_int64(json_object_object_get(v, "updatesAttributeDiscard")),
			(long long)json_object_get_int64(json_object_object_get(v, "updatesSessionReset")));
		if (json_object_object_get(v, "lastErrorCodeSubcode"))
			cli_out(cli, "  Last reset: %s\n",
				json_object_get_string(json_object_object_get(v, "lastErrorCodeSubcode")));
		bfd_text(cli, json_object_object_get(v, "peerBfdInfo"));
		/* RFC 8212: per family, FRR's lines */
		for (int af = 0; af < BGP_AF_MAX; af++) {
			json_object *x = NULL, *in = NULL, *out = NULL;

			if (!json_object_object_get_ex(json_object_object_get(v, "addressFamilyInfo"),
						       bgp_af_table[af].json_name, &x))
				continue;
			json_object_object_get_ex(x, "inboundEbgpRequiresPolicy", &in);
			json_object_object_get_ex(x, "outboundEbgpRequiresPolicy", &out);
			if (in == NULL && out == NULL)
				continue;
			cli_out(cli, "  For address family: %s\n", bgp_af_table[af].name);
			if (in != NULL)
				cli_out(cli, "    %s\n", json_object_get_string(in));
			if (out != NULL)
				cli_out(cli, "    %s\n", json_object_get_string(out));
		}
		cli_out(cli, "\n");
	}
	json_object_put(top);
	return CMD_SUCCESS;
}

static int clear_bgp_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = instance_arg(cli, a);
	struct bgp_peer *p;
	struct ipaddr addr;
	bool soft = cmd_has(a, "soft") || cmd_has(a, "in") || cmd_has(a, "out"), found = false;
	bool in = !cmd_has(a, "out"), out = !cmd_has(a, "in");
	int only_af = -1;

	memset(&addr, 0, sizeof(addr));
	if (cmd_has(a, "ipv4") || cmd_has(a, "ipv6")) /* FRR's `clear bgp ipv4 vpn X soft in` */
		only_af = cmd_has(a, "ipv6") ? (cmd_has(a, "vpn") ? BGP_AF_VPNV6 : BGP_AF_IPV6_UNICAST)
					     : (cmd_has(a, "vpn") ? BGP_AF_VPNV4 : BGP_AF_IPV4_UNICAST);
	if (b == NULL)
		return CMD_ERROR;
	if (cmd_arg(a, "peer") != NULL && ipaddr_parse(cmd_arg(a, "peer"), &addr) != 0)
		return CMD_ERROR;
	for (p = b->peers; p != NULL; p = p->next) {
		int af;

		if (addr.af != 0 && !ipaddr_equal(&p->cfg.addr, &addr))
			continue;
		found = true;
		if (!soft) {
			bgp_peer_stop(p, BGP_CEASE_ADMIN_RESET);
			if (!p->cfg.shutdown)
				bgp_peer_start(p);
			continue;
		}
		/* soft in: inbound policy again over the kept Adj-RIB-In (no
		 * ROUTE-REFRESH needed); soft out: Adj-RIB-Out again; only the
		 * family named, if one is */
		for (af = 0; af < BGP_AF_MAX; af++)
			if (only_af < 0 || af == only_af)
				bgp_policy_soft(p, (enum bgp_af)af, in, out);
	}
	if (!found) {
		cli_out(cli, "%% No such neighbor\n");
		return CMD_ERROR;
	}
	return CMD_SUCCESS;
}

static int debug_bgp_cmd(struct cli *cli, const struct cmd_args *a)
{
	bool on = !cmd_is_no(a);

	(void)cli;
	if (cmd_has(a, "updates"))
		bgp_debug_updates = on;
	else
		bgp_debug_events = on;
	return CMD_SUCCESS;
}

static int show_debugging_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	cli_out(cli, "BGP debugging status:\n");
	if (bgp_debug_updates)
		cli_out(cli, "  BGP updates debugging is on\n");
	if (bgp_debug_events)
		cli_out(cli, "  BGP neighbor-events debugging is on\n");
	return CMD_SUCCESS;
}

static const struct cmd_def view_cmds[] = {
	{ "[no] debug bgp <updates|neighbor-events>",
	  NO_STR "Debugging functions\n" BGP_STR "BGP updates (log each UPDATE received)\n"
	  "BGP Neighbor Events\n",
	  debug_bgp_cmd },
	{ "show debugging", SHOW_STR "State of each debugging option\n", show_debugging_cmd },
	{ "show bgp [vrf NAME$vrf] [<ipv4|ipv6> [<unicast|vpn>]] summary [json]",
	  SHOW_STR BGP_STR VRF_STR "VRF name\n" "Address Family\n" "Address Family\n" "Address Family modifier\n"
	  "Address Family modifier\n" "Summary of BGP neighbor status\n" JSON_STR,
	  show_summary_cmd },
	{ "show bgp [vrf NAME$vrf] <ipv4|ipv6> [<unicast|vpn>] [json]",
	  SHOW_STR BGP_STR VRF_STR "VRF name\n" "Address Family\n" "Address Family\n" "Address Family modifier\n"
	  "Address Family modifier\n" JSON_STR,
	  show_bgp_cmd },
	{ "show bgp [vrf NAME$vrf] ipv4 [<unicast|vpn>] [rd ASN:NN_OR_IP-ADDRESS:NN$rd] A.B.C.D/M$prefix [json]",
	  SHOW_STR BGP_STR VRF_STR "VRF name\n" "Address Family\n" "Address Family modifier\n"
	  "Address Family modifier\n" "Display information for a route distinguisher\n"
	  "Route distinguisher\n" "Network in the BGP routing table to display\n" JSON_STR,
	  show_bgp_cmd },
	{ "show bgp [vrf NAME$vrf] ipv6 [<unicast|vpn>] [rd ASN:NN_OR_IP-ADDRESS:NN$rd] X:X::X:X/M$prefix [json]",
	  SHOW_STR BGP_STR VRF_STR "VRF name\n" "Address Family\n" "Address Family modifier\n"
	  "Address Family modifier\n" "Display information for a route distinguisher\n"
	  "Route distinguisher\n" "Network in the BGP routing table to display\n" JSON_STR,
	  show_bgp_cmd },
	{ "show bgp [vrf NAME$vrf] neighbors [<A.B.C.D$peer|X:X::X:X$peer>] [json]",
	  SHOW_STR BGP_STR VRF_STR "VRF name\n" "Detailed information on TCP and BGP neighbor connections\n"
	  "Neighbor to display information about\n" "IPv6 neighbor to display information about\n" JSON_STR,
	  show_neighbors_cmd },
	{ "clear bgp [vrf NAME$vrf] <*|A.B.C.D$peer|X:X::X:X$peer> [soft] [<in|out>]",
	  "Reset functions\n" BGP_STR VRF_STR "VRF name\n" "Clear all peers\n" "BGP neighbor address to clear\n" "BGP IPv6 neighbor address to clear\n"
	  "Soft reconfig: keep the session\nSoft reconfig inbound: inbound policy again over the kept Adj-RIB-In\n"
	  "Soft reconfig outbound: send the table again\n",
	  clear_bgp_cmd },
	{ "clear bgp [vrf NAME$vrf] <ipv4|ipv6> <unicast|vpn> <*|A.B.C.D$peer|X:X::X:X$peer> [soft] [<in|out>]",
	  "Reset functions\n" BGP_STR VRF_STR "VRF name\n" "Address Family\nAddress Family\n"
	  "Address Family modifier\nAddress Family modifier\n" "Clear all peers\n"
	  "BGP neighbor address to clear\n" "BGP IPv6 neighbor address to clear\n"
	  "Soft reconfig: keep the session\nSoft reconfig inbound: inbound policy again over the kept Adj-RIB-In\n"
	  "Soft reconfig outbound: send the table again\n",
	  clear_bgp_cmd },
};

void bgp_show_init(void)
{
	cmd_install_table(NODE_VIEW, view_cmds, ARRAY_SIZE(view_cmds));
	explain_init();
}
