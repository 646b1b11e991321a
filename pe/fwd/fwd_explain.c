/* The dataplane's part of `explain` (mpbgp/explain.c): what the published
 * tables hold for a VRF prefix (the FIB's next-hop group, its resolved
 * next hop and adjacencies: port, gateway, labels pushed, neighbor MAC),
 * and LDP's labelled paths of a core FEC as the dataplane pushes them.
 * Read-only, on the libevent thread (the only writer of these tables). */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "lib/prefix.h"
#include "mpbgp/explain.h"
#include "pe/fwd/fwd_ctl.h"
#include "pe/fwd/fwd_ctl_priv.h"
#include "vrf/fib.h"
#include "vrf/fib6.h"
#include "vrf/vrf.h"

static void jstr(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

/* The MAC of gw in the published neighbor table of port, or false. */
static bool neigh_mac(int port, const struct fwd_adj *a, uint8_t mac[6])
{
	uint32_t i;

	if (a->gw_af == AF_INET6) {
		const struct fwd_neigh6_tab *t =
			atomic_load_explicit(&fc.t->neigh6[port], memory_order_acquire);

		if (t == NULL)
			return false;
		for (i = fwd_neigh6_hash(a->gw6) & t->mask;; i = (i + 1) & t->mask) {
			static const uint8_t zero[16];

			if (memcmp(t->slot[i].ip, zero, 16) == 0)
				return false;
			if (memcmp(t->slot[i].ip, a->gw6, 16) == 0) {
				memcpy(mac, t->slot[i].mac, 6);
				return true;
			}
		}
	} else {
		const struct fwd_neigh_tab *t =
			atomic_load_explicit(&fc.t->neigh[port], memory_order_acquire);

		if (t == NULL || a->gw == 0)
			return false;
		for (i = fwd_neigh_hash(a->gw) & t->mask;; i = (i + 1) & t->mask) {
			if (t->slot[i].ip == 0)
				return false;
			if (t->slot[i].ip == a->gw) {
				memcpy(mac, t->slot[i].mac, 6);
				return true;
			}
		}
	}
}

/* One adjacency: "push 17/100 out eth1 to 10.0.12.2 (MAC 02:..)" */
static json_object *adj_json(const struct fwd_adj *a, char *line, size_t len, bool *mac_ok)
{
	json_object *o = json_object_new_object(), *labels = json_object_new_array();
	char gw[IPADDR_STRLEN], mac_s[24], lab[64] = "";
	struct ipaddr g;
	uint8_t mac[6];
	size_t off = 0;
	int k;

	g = a->gw_af == AF_INET6 ? ipaddr_v6(a->gw6) : ipaddr_v4(a->gw);
	if (a->gw_af != AF_INET6 && a->gw == 0)
		snprintf(gw, sizeof(gw), "directly connected");
	else
		ipaddr_ntop(&g, gw, sizeof(gw));
	for (k = 0; k < a->nlabels && k < FWD_MAX_PUSH; k++) {
		json_object_array_add(labels, json_object_new_int64(a->labels[k]));
		off += (size_t)snprintf(lab + off, sizeof(lab) - off, "%s%u", k ? "/" : "", a->labels[k]);
	}
	json_object_object_add(o, "port", json_object_new_int(a->port));
	if (a->port < FWD_MAX_PORTS && fc.port[a->port].used) {
		const struct vrf *pv = vrf_lookup_id(fc.port[a->port].vrf_id);

		jstr(o, "interface", fc.port[a->port].name);
		jstr(o, "interfaceVrf", pv != NULL ? pv->name : "unknown");
	}
	jstr(o, "gateway", gw);
	json_object_object_add(o, "labels", labels);
	*mac_ok = a->port < FWD_MAX_PORTS && neigh_mac(a->port, a, mac);
	if (*mac_ok) {
		snprintf(mac_s, sizeof(mac_s), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
			 mac[3], mac[4], mac[5]);
		jstr(o, "neighborMac", mac_s);
	}
	json_object_object_add(o, "neighborResolved", json_object_new_boolean(*mac_ok));
	snprintf(line, len, "%s%s%sout %s to %s (%s)", a->nlabels ? "push " : "", lab,
		 a->nlabels ? " " : "",
		 a->port < FWD_MAX_PORTS && fc.port[a->port].used ? fc.port[a->port].name : "?", gw,
		 *mac_ok ? mac_s : "neighbor MAC not resolved");
	return o;
}

static bool fib_entry(const struct vrf *vrf, const struct prefix *pfx, uint32_t nhg,
		      json_object *o)
{
	const struct fwd_nh *n;
	json_object *adjs;
	char detail[600], line[160];
	uint32_t lk = FIB_NH_NONE;
	size_t off;
	bool all_mac = true;
	int i;

	if (fc.t == NULL) {
		jstr(o, "detail", "the dataplane is not running");
		return false;
	}
	/* the FIB as the worker reads it, at the prefix's first address */
	if (pfx->af == AF_INET && vrf->fib != NULL)
		lk = fib_lookup(vrf->fib, pfx->v4);
	else if (pfx->af == AF_INET6 && vrf->fib6 != NULL)
		lk = fib6_lookup(vrf->fib6, pfx->v6);
	json_object_object_add(o, "nexthopGroupId", json_object_new_int64(nhg));
	json_object_object_add(o, "fibLookup", json_object_new_int64(lk));
	if (nhg == 0) {
		jstr(o, "detail", "not in the VRF's FIB");
		return false;
	}
	n = fwd_ctl_nh_current(nhg, false);
	if (n == NULL) {
		snprintf(detail, sizeof(detail), "next-hop group %u has no dataplane entry", nhg);
		jstr(o, "detail", detail);
		return false;
	}
	jstr(o, "type", n->type == FWD_NH_DROP	     ? "drop"
			: n->type == FWD_NH_UNRESOLVED ? "unresolved"
			: n->type == FWD_NH_RECEIVE    ? "receive"
						       : "forward");
	if (n->type == FWD_NH_DROP) {
		snprintf(detail, sizeof(detail), "next-hop group %u: blackhole (dropped on purpose)", nhg);
		jstr(o, "detail", detail);
		return true;
	}
	if (n->type == FWD_NH_UNRESOLVED) {
		snprintf(detail, sizeof(detail),
			 "next-hop group %u unresolved: no port or no core path to the next hop "
			 "(packets dropped as noLsp)",
			 nhg);
		jstr(o, "detail", detail);
		return false;
	}
	adjs = json_object_new_array();
	off = (size_t)snprintf(detail, sizeof(detail), "next-hop group %u%s: ", nhg,
			       lk != nhg ? " (FIB lookup of the prefix's address gives another group)" : "");
	for (i = 0; i < n->nadj; i++) {
		bool mac_ok;

		json_object_array_add(adjs, adj_json(&n->adj[i], line, sizeof(line), &mac_ok));
		all_mac &= mac_ok;
		if (off < sizeof(detail))
			off += (size_t)snprintf(detail + off, sizeof(detail) - off, "%s%s", i ? "; " : "",
						line);
	}
	json_object_object_add(o, "adjacencies", adjs);
	if (n->nbackup > 0) {
		/* PIC edge: the backups, and whether they are in use now */
		json_object *bk = json_object_new_array();
		char pe[IPADDR_STRLEN];
		bool down = fwd_ctl_pe_slot(n->pe_slot, pe, sizeof(pe));

		for (i = n->nadj; i < n->nadj + n->nbackup; i++) {
			bool mac_ok;

			json_object_array_add(bk, adj_json(&n->adj[i], line, sizeof(line), &mac_ok));
		}
		json_object_object_add(o, "backupAdjacencies", bk);
		jstr(o, "protectedPe", pe);
		json_object_object_add(o, "usingBackup", json_object_new_boolean(down));
		if (off < sizeof(detail))
			off += (size_t)snprintf(detail + off, sizeof(detail) - off,
						"; backup through another PE (%s while PE %s is %s)",
						down ? "in use" : "ready", pe, down ? "down" : "up");
	}
	json_object_object_add(o, "neighborsResolved", json_object_new_boolean(all_mac));
	jstr(o, "detail", detail);
	/* a missing MAC is asked of the kernel; until then frames are dropped */
	return all_mac;
}

static int ldp_binding(const struct prefix *fec, uint32_t *label, json_object *o)
{
	struct prefix4 f4 = prefix_to4(fec);
	const struct lde_path *lp;
	json_object *paths;
	int k, np;

	if (fec->af != AF_INET || (np = fwd_ctl_ldp_paths(&f4, &lp)) == 0)
		return 0;
	paths = json_object_new_array();
	for (k = 0; k < np; k++) {
		json_object *p = json_object_new_object();
		char a[IPADDR_STRLEN];

		json_object_object_add(p, "label", json_object_new_int64(lp[k].label));
		jstr(p, "via", addr4_ntop(lp[k].nexthop, a, sizeof(a)));
		jstr(p, "interface", lp[k].ifname);
		json_object_array_add(paths, p);
	}
	json_object_object_add(o, "ldpPaths", paths);
	*label = lp[0].label;
	return np;
}

static const struct explain_dp_ops ops = { fib_entry, ldp_binding };

void fwd_explain_init(void)
{
	explain_set_dataplane_ops(&ops);
}
