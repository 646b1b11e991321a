/* Semantic checks of a parsed topology, all of them before anything is
 * created: namespace names, interfaces on links, addresses (duplicates per
 * namespace or VRF, per link), host routes, and each router's own config as
 * its daemon would read it (ped -C for ped nodes: errors are reported, and
 * the canonical output tells which interfaces ped moves into which VRF). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "topologies/petopo.h"

const char *node_vrf_netns(const struct tnode *n, int i, char *buf, size_t len)
{
	snprintf(buf, len, "%s-%s", n->netns, n->vrfs[i]);
	return buf;
}

static void node_add_vrf(struct tnode *n, const char *name, const struct mark *m)
{
	int i;

	for (i = 0; i < n->nvrfs; i++)
		if (strcmp(n->vrfs[i], name) == 0)
			return;
	n->vrfs = xrealloc(n->vrfs, sizeof(*n->vrfs) * (size_t)(n->nvrfs + 1));
	n->vrf_m = xrealloc(n->vrf_m, sizeof(*n->vrf_m) * (size_t)(n->nvrfs + 1));
	n->vrf_m[n->nvrfs] = *m;
	n->vrfs[n->nvrfs++] = xstrdup(name);
}

/* Reads ped's canonical configuration (ped -C): VRFs, and interfaces with
 * their VRF and addresses. Canonical output has one statement per line,
 * sub-mode lines indented by one space. */
static void ped_config_read(struct topo *t, struct tnode *n)
{
	char *text = xstrdup(n->config_text), *line, *save = NULL;
	struct tiface *cur = NULL;
	char a[64], b[64], c[64], d[64];
	int k;

	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != ' ')
			cur = NULL;
		if (sscanf(line, "vrf %63s", a) == 1 && line[0] == 'v') {
			node_add_vrf(n, a, &n->config_m);
			continue;
		}
		k = sscanf(line, "interface %63s %63s %63s %63s", a, b, c, d);
		if (line[0] == 'i' && k >= 1 && strncmp(line, "interface ", 10) == 0) {
			if (strcmp(a, "lo") == 0 || strlen(a) > TOPO_IFNAME_MAX)
				continue;
			cur = tnode_iface(n, a, false);
			if (cur == NULL) {
				topo_warn(t, &n->config_m, "node %s: %s configures interface %s, "
							   "which no link of this topology creates",
					  n->name, n->config_arg, a);
				continue;
			}
			cur->in_config = true;
			if (k == 3 && strcmp(b, "vrf") == 0)
				snprintf(cur->vrf, sizeof(cur->vrf), "%s", c);
			continue;
		}
		if (cur != NULL && sscanf(line, " ip address %63s", a) == 1) {
			struct taddr ta;

			memset(&ta, 0, sizeof(ta));
			if (taddr_parse(a, &ta) == 0) {
				ta.m = n->config_m;
				cur->cfg_addrs = xrealloc(cur->cfg_addrs, sizeof(*cur->cfg_addrs) *
										  (size_t)(cur->ncfg + 1));
				cur->cfg_addrs[cur->ncfg++] = ta;
			}
		}
	}
	free(text);
}

static void check_ped_config(struct topo *t, struct tnode *n)
{
	char *argv[] = { penv.ped, (char *)(uintptr_t) "-C", (char *)(uintptr_t) "-f", n->config,
			 NULL };
	struct run_opts o = { 0 };
	char err[512], *out = NULL, *line, *save = NULL, text[1800];
	size_t len;

	o.out = &out;
	if (run_argv(argv, &o, err, sizeof(err)) != 0) {
		len = (size_t)snprintf(text, sizeof(text), "node %s: startup-config %s has errors "
							   "(ped -C):", n->name, n->config_arg);
		for (line = strtok_r(out ? out : err, "\n", &save); line != NULL && len < sizeof(text);
		     line = strtok_r(NULL, "\n", &save))
			len += (size_t)snprintf(text + len, sizeof(text) - len, "\n    %s", line);
		topo_err(t, &n->config_m, "%s", text);
		free(out);
		return;
	}
	n->config_text = out;
	ped_config_read(t, n);
}

static bool addr_in(const struct taddr *arr, int n, const struct taddr *a)
{
	int i;

	for (i = 0; i < n; i++)
		if (arr[i].addr == a->addr && arr[i].len == a->len)
			return true;
	return false;
}

/* Addresses of one realm (a namespace: the node's own or one VRF's) must be
 * unique; so must the two ends of a link. */
struct realm_addr {
	const struct taddr *a;
	const char *where;
	const char *vrf;
};

static void check_node_addrs(struct topo *t, struct tnode *n)
{
	struct realm_addr *ra = NULL;
	int nra = 0, i, k, j;

	for (i = 0; i < n->nloop; i++) {
		ra = xrealloc(ra, sizeof(*ra) * (size_t)(nra + 1));
		ra[nra++] = (struct realm_addr){ &n->loop[i], "lo", "" };
	}
	for (k = 0; k < n->nifaces; k++) {
		struct tiface *f = &n->ifaces[k];
		const struct taddr *arr = f->naddr ? f->addrs : f->cfg_addrs;
		int cnt = f->naddr ? f->naddr : f->ncfg;

		for (i = 0; i < cnt; i++) {
			ra = xrealloc(ra, sizeof(*ra) * (size_t)(nra + 1));
			ra[nra++] = (struct realm_addr){ &arr[i], f->name, f->vrf };
		}
	}
	for (i = 0; i < nra; i++)
		for (j = 0; j < i; j++)
			if (ra[i].a->addr == ra[j].a->addr && strcmp(ra[i].vrf, ra[j].vrf) == 0) {
				char buf[ADDR4_STRLEN];

				topo_err(t, &ra[i].a->m, "duplicate address %s on node %s%s%s "
							 "(%s and %s)",
					 addr4_ntop(ra[i].a->addr, buf, sizeof(buf)), n->name,
					 ra[i].vrf[0] ? " VRF " : "", ra[i].vrf, ra[j].where,
					 ra[i].where);
				break;
			}
	free(ra);
}

static const struct taddr *iface_addrs(const struct tiface *f, int *cnt)
{
	*cnt = f->naddr ? f->naddr : f->ncfg;
	return f->naddr ? f->addrs : f->cfg_addrs;
}

static void check_link(struct topo *t, struct tlink *l)
{
	struct tnode *na = &t->nodes[l->end[0].node], *nb = &t->nodes[l->end[1].node];
	struct tiface *fa = &na->ifaces[l->end[0].iface], *fb = &nb->ifaces[l->end[1].iface];
	const struct taddr *aa, *ab;
	int ca, cb, i, j;
	bool shared = false;
	char buf[ADDR4_STRLEN];

	aa = iface_addrs(fa, &ca);
	ab = iface_addrs(fb, &cb);
	for (i = 0; i < ca; i++)
		for (j = 0; j < cb; j++) {
			if (aa[i].addr == ab[j].addr)
				topo_err(t, &l->m, "duplicate address %s on both ends of the link "
						   "%s:%s -- %s:%s",
					 addr4_ntop(aa[i].addr, buf, sizeof(buf)), na->name, fa->name,
					 nb->name, fb->name);
			if (aa[i].len == ab[j].len &&
			    ((aa[i].addr ^ ab[j].addr) & prefix4_mask(aa[i].len)) == 0)
				shared = true;
		}
	if (ca > 0 && cb > 0 && !shared)
		topo_warn(t, &l->m, "the ends of the link %s:%s -- %s:%s share no subnet",
			  na->name, fa->name, nb->name, fb->name);
}

static void check_routes(struct topo *t, struct tnode *n)
{
	int r, k, i, j;

	for (r = 0; r < n->nroutes; r++) {
		struct troute *rt = &n->routes[r];
		bool ok = false;

		for (k = 0; k < n->nifaces && !ok; k++)
			for (i = 0; i < n->ifaces[k].naddr; i++) {
				const struct taddr *a = &n->ifaces[k].addrs[i];

				if (((a->addr ^ rt->via) & prefix4_mask(a->len)) == 0 &&
				    a->addr != rt->via)
					ok = true;
			}
		if (!ok)
			topo_err(t, &rt->m, "route \"%s\" on node %s: the gateway is in no subnet "
					    "of the node's interfaces", rt->text, n->name);
		for (j = 0; j < r; j++)
			if (prefix4_equal(&n->routes[j].dst, &rt->dst))
				topo_err(t, &rt->m, "route \"%s\" on node %s: destination already "
						    "routed at line %d", rt->text, n->name,
					 n->routes[j].m.line);
	}
}

/* ped interfaces: the topology's addresses must agree with the config's,
 * and interfaces ped moves into a VRF are addressed by ped only. */
static void check_ped_ifaces(struct topo *t, struct tnode *n)
{
	int k, i;

	for (k = 0; k < n->nifaces; k++) {
		struct tiface *f = &n->ifaces[k];

		if (!f->in_config || f->naddr == 0)
			continue;
		if (f->vrf[0] && f->ncfg == 0) {
			topo_err(t, &f->addrs[0].m, "node %s: %s moves %s into VRF %s, where only "
						    "its config sets addresses: add `ip address %s` "
						    "under `interface %s vrf %s` there",
				 n->name, n->config_arg, f->name, f->vrf, f->addrs[0].str, f->name,
				 f->vrf);
			continue;
		}
		for (i = 0; i < f->naddr; i++)
			if (f->ncfg > 0 && !addr_in(f->cfg_addrs, f->ncfg, &f->addrs[i]))
				topo_err(t, &f->addrs[i].m, "node %s interface %s: address %s "
							    "differs from its startup-config (%s)",
					 n->name, f->name, f->addrs[i].str, f->cfg_addrs[0].str);
	}
}

/* Unix socket paths (ped's control socket, FRR's vty sockets, BIRD's
 * control socket) must fit in sun_path. */
static void check_socket_path(struct topo *t, struct tnode *n)
{
	char path[1400];

	if (n->kind == KIND_PED)
		snprintf(path, sizeof(path), "%s/%s/ped.sock", penv.pe_rundir, n->name);
	else if (n->kind == KIND_FRR || n->kind == KIND_BIRD)
		snprintf(path, sizeof(path), "%s/%s/%s/staticd.vty", penv.rundir, t->name, n->name);
	else
		return;
	if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		topo_err(t, &n->m, "node %s: the socket path %s would be longer than %zu "
				   "characters: set a shorter %s",
			 n->name, path, sizeof(((struct sockaddr_un *)0)->sun_path) - 1,
			 n->kind == KIND_PED ? "PE_RUNDIR" : "PETOPO_RUNDIR");
}

int topo_check(struct topo *t)
{
	char ns[128];
	int i, k;

	if (t->nnodes == 0 && t->errors == 0) {
		topo_err(t, NULL, "topology has no nodes");
		topo_report(t);
		return -1;
	}
	if (!t->has_prefix)
		snprintf(t->prefix, sizeof(t->prefix), "%s", t->name);
	for (i = 0; i < t->nnodes; i++) {
		struct tnode *n = &t->nodes[i];

		snprintf(ns, sizeof(ns), "%s-%s", t->prefix, n->name);
		if (strlen(ns) > TOPO_NETNS_MAX)
			topo_err(t, &n->m, "namespace name \"%s\" is longer than %d characters: "
					   "shorten the node name or set a shorter prefix:",
				 ns, TOPO_NETNS_MAX);
		snprintf(n->netns, sizeof(n->netns), "%s", ns);
		if (n->forwarding < 0)
			n->forwarding = n->kind != KIND_HOST;
		for (k = 0; k < n->nifaces; k++)
			if (n->ifaces[k].declared && n->ifaces[k].link < 0)
				topo_err(t, &n->ifaces[k].m, "interface %s of node %s is on no link",
					 n->ifaces[k].name, n->name);
		check_socket_path(t, n);
		if (kind_check(t, n) != 0)
			continue;
		if (n->kind == KIND_PED && n->config != NULL)
			check_ped_config(t, n);
	}
	for (i = 0; i < t->nnodes; i++) {
		struct tnode *n = &t->nodes[i];

		for (k = 0; k < n->nvrfs; k++) {
			char vns[128];

			node_vrf_netns(n, k, vns, sizeof(vns));
			if (strlen(vns) > TOPO_NETNS_MAX)
				topo_err(t, &n->vrf_m[k], "VRF namespace name \"%s\" is longer than "
							  "%d characters: shorten the node or VRF "
							  "name, or set a shorter prefix:",
					 vns, TOPO_NETNS_MAX);
		}
		if (n->kind == KIND_PED && n->config_text == NULL)
			continue; /* its config failed: VRF membership unknown */
		if (n->kind == KIND_PED)
			check_ped_ifaces(t, n);
		check_node_addrs(t, n);
		check_routes(t, n);
	}
	for (i = 0; i < t->nlinks; i++)
		check_link(t, &t->links[i]);
	topo_report(t);
	return t->errors ? -1 : 0;
}
