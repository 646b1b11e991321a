/* Semantic checks of a parsed topology, all of them before anything is
 * created: namespace names, interfaces on links, addresses of both families
 * (duplicates per namespace or VRF, per link), host routes, and each
 * router's own config as its daemon would read it (ped -C for ped nodes:
 * errors are reported, and the canonical output tells which interfaces ped
 * moves into which VRF, with which addresses). */
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
 * their VRF and addresses (" ip address" and " ipv6 address" lines).
 * Canonical output has one statement per line, sub-mode lines indented by
 * one space. */
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
		if (cur != NULL && (sscanf(line, " ip address %63s", a) == 1 ||
				    sscanf(line, " ipv6 address %63s", a) == 1)) {
			bool v6 = strncmp(line, " ipv6 ", 6) == 0;
			struct taddr ta;

			memset(&ta, 0, sizeof(ta));
			if (taddr_parse(a, &ta) == 0 && (ta.p.af == AF_INET6) == v6) {
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

static bool taddr_same(const struct taddr *a, const struct taddr *b)
{
	struct ipaddr x = prefix_addr(&a->p), y = prefix_addr(&b->p);

	return a->p.len == b->p.len && ipaddr_equal(&x, &y);
}

static bool addr_in(const struct taddr *arr, int n, const struct taddr *a)
{
	int i;

	for (i = 0; i < n; i++)
		if (taddr_same(&arr[i], a))
			return true;
	return false;
}

/* The first address of family af in arr, NULL if none. */
static const struct taddr *first_af(const struct taddr *arr, int n, int af)
{
	int i;

	for (i = 0; i < n; i++)
		if (arr[i].p.af == af)
			return &arr[i];
	return NULL;
}

/* The addresses an interface will have: the topology's, then (ped nodes)
 * those of its config in a family the topology gives it none of. Returns
 * the count; *out is malloc'd (NULL when there are none). */
int tiface_addrs(const struct tiface *f, struct taddr **out)
{
	int i, n = 0;

	*out = NULL;
	if (f->naddr + f->ncfg == 0)
		return 0;
	*out = xcalloc((size_t)(f->naddr + f->ncfg), sizeof(**out));
	for (i = 0; i < f->naddr; i++)
		(*out)[n++] = f->addrs[i];
	for (i = 0; i < f->ncfg; i++)
		if (first_af(f->addrs, f->naddr, f->cfg_addrs[i].p.af) == NULL)
			(*out)[n++] = f->cfg_addrs[i];
	return n;
}

/* Addresses of one realm (a namespace: the node's own or one VRF's) must be
 * unique, each family on its own (IPv6 link-local addresses only per
 * interface); so must the two ends of a link. */
struct realm_addr {
	const struct taddr *a;
	const char *where;
	const char *vrf;
};

static void check_node_addrs(struct topo *t, struct tnode *n)
{
	struct realm_addr *ra = NULL;
	struct taddr **lists = xcalloc((size_t)n->nifaces + 1, sizeof(*lists));
	int nra = 0, i, k, j;

	for (i = 0; i < n->nloop; i++) {
		ra = xrealloc(ra, sizeof(*ra) * (size_t)(nra + 1));
		ra[nra++] = (struct realm_addr){ &n->loop[i], "lo", "" };
	}
	for (k = 0; k < n->nifaces; k++) {
		struct tiface *f = &n->ifaces[k];
		int cnt = tiface_addrs(f, &lists[k]);

		for (i = 0; i < cnt; i++) {
			ra = xrealloc(ra, sizeof(*ra) * (size_t)(nra + 1));
			ra[nra++] = (struct realm_addr){ &lists[k][i], f->name, f->vrf };
		}
	}
	for (i = 0; i < nra; i++)
		for (j = 0; j < i; j++) {
			struct ipaddr x = prefix_addr(&ra[i].a->p), y = prefix_addr(&ra[j].a->p);
			char buf[IPADDR_STRLEN];

			if (!ipaddr_equal(&x, &y) || strcmp(ra[i].vrf, ra[j].vrf) != 0)
				continue;
			if (ipaddr_is_linklocal(&x) && strcmp(ra[i].where, ra[j].where) != 0)
				continue; /* one per link: fine on two interfaces */
			topo_err(t, &ra[i].a->m, "duplicate address %s on node %s%s%s (%s and %s)",
				 ipaddr_ntop(&x, buf, sizeof(buf)), n->name,
				 ra[i].vrf[0] ? " VRF " : "", ra[i].vrf, ra[j].where, ra[i].where);
			break;
		}
	for (k = 0; k < n->nifaces; k++)
		free(lists[k]);
	free(lists);
	free(ra);
}

/* Both ends of a link with the same address is an error; ends that have
 * addresses but share no subnet (per family) get a warning. */
static void check_link(struct topo *t, struct tlink *l)
{
	struct tnode *na = &t->nodes[l->end[0].node], *nb = &t->nodes[l->end[1].node];
	struct tiface *fa = &na->ifaces[l->end[0].iface], *fb = &nb->ifaces[l->end[1].iface];
	struct taddr *aa, *ab;
	int ca, cb, i, j, f;
	bool shared[AFI_COUNT] = { false, false }, has_a[AFI_COUNT] = { false, false };
	bool has_b[AFI_COUNT] = { false, false }, v6 = false, common = false;
	char buf[IPADDR_STRLEN];

	ca = tiface_addrs(fa, &aa);
	cb = tiface_addrs(fb, &ab);
	for (i = 0; i < ca; i++)
		has_a[af_index(aa[i].p.af)] = true;
	for (j = 0; j < cb; j++)
		has_b[af_index(ab[j].p.af)] = true;
	for (i = 0; i < ca; i++)
		for (j = 0; j < cb; j++) {
			struct ipaddr x = prefix_addr(&aa[i].p), y = prefix_addr(&ab[j].p);

			if (ipaddr_equal(&x, &y))
				topo_err(t, &l->m, "duplicate address %s on both ends of the link "
						   "%s:%s -- %s:%s",
					 ipaddr_ntop(&x, buf, sizeof(buf)), na->name, fa->name,
					 nb->name, fb->name);
			if (aa[i].p.len == ab[j].p.len && prefix_contains(&aa[i].p, &y))
				shared[af_index(x.af)] = true;
		}
	v6 = has_a[1] || has_b[1];
	for (f = 0; f < AFI_COUNT; f++) {
		if (!has_a[f] || !has_b[f])
			continue;
		common = true;
		if (!shared[f])
			topo_warn(t, &l->m, "the ends of the link %s:%s -- %s:%s share no %s"
					    "subnet", na->name, fa->name, nb->name, fb->name,
				  !v6 ? "" : f == 0 ? "IPv4 " : "IPv6 ");
	}
	if (ca > 0 && cb > 0 && !common)
		topo_warn(t, &l->m, "the ends of the link %s:%s -- %s:%s share no subnet",
			  na->name, fa->name, nb->name, fb->name);
	free(aa);
	free(ab);
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
				struct ipaddr own = prefix_addr(&a->p);

				if (prefix_contains(&a->p, &rt->via) && !ipaddr_equal(&own, &rt->via))
					ok = true;
			}
		if (!ok)
			topo_err(t, &rt->m, "route \"%s\" on node %s: the gateway is in no subnet "
					    "of the node's interfaces", rt->text, n->name);
		for (j = 0; j < r; j++)
			if (prefix_equal(&n->routes[j].dst, &rt->dst))
				topo_err(t, &rt->m, "route \"%s\" on node %s: destination already "
						    "routed at line %d", rt->text, n->name,
					 n->routes[j].m.line);
	}
}

/* ped interfaces: the topology's addresses must agree with the config's,
 * each family on its own, and interfaces ped moves into a VRF are addressed
 * by ped only. */
static void check_ped_ifaces(struct topo *t, struct tnode *n)
{
	static const int afs[] = { AF_INET, AF_INET6 };
	int k, i, x;

	for (k = 0; k < n->nifaces; k++) {
		struct tiface *f = &n->ifaces[k];

		if (!f->in_config || f->naddr == 0)
			continue;
		for (x = 0; x < 2; x++) {
			const struct taddr *ta = first_af(f->addrs, f->naddr, afs[x]);
			const struct taddr *ca = first_af(f->cfg_addrs, f->ncfg, afs[x]);

			if (ta == NULL)
				continue;
			if (f->vrf[0] && ca == NULL) {
				topo_err(t, &ta->m, "node %s: %s moves %s into VRF %s, where only "
						    "its config sets addresses: add `%s address %s` "
						    "under `interface %s vrf %s` there",
					 n->name, n->config_arg, f->name, f->vrf,
					 afs[x] == AF_INET ? "ip" : "ipv6", ta->str, f->name,
					 f->vrf);
				continue;
			}
			for (i = 0; i < f->naddr; i++)
				if (f->addrs[i].p.af == afs[x] && ca != NULL &&
				    !addr_in(f->cfg_addrs, f->ncfg, &f->addrs[i]))
					topo_err(t, &f->addrs[i].m, "node %s interface %s: "
								     "address %s differs from its "
								     "startup-config (%s)",
						 n->name, f->name, f->addrs[i].str, ca->str);
		}
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
	/* FRR's IGP beside ped: its vty sockets in the node's directory */
	if (n->kind == KIND_PED && n->frr_config != NULL) {
		snprintf(path, sizeof(path), "%s/%s/%s/ospf6d.vty", penv.rundir, t->name, n->name);
		if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
			topo_err(t, &n->m, "node %s: the socket path %s would be longer than %zu "
					   "characters: set a shorter PETOPO_RUNDIR",
				 n->name, path, sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
	}
}

static bool has_v6(const struct taddr *a, int n)
{
	return first_af(a, n, AF_INET6) != NULL;
}

static bool topo_has_ipv6(const struct topo *t)
{
	int i, k;

	for (i = 0; i < t->nnodes; i++) {
		const struct tnode *n = &t->nodes[i];

		if (has_v6(n->loop, n->nloop))
			return true;
		for (k = 0; k < n->nifaces; k++)
			if (has_v6(n->ifaces[k].addrs, n->ifaces[k].naddr) ||
			    has_v6(n->ifaces[k].cfg_addrs, n->ifaces[k].ncfg))
				return true;
		for (k = 0; k < n->nroutes; k++)
			if (n->routes[k].dst.af == AF_INET6)
				return true;
	}
	return false;
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
	t->ipv6 = topo_has_ipv6(t);
	topo_report(t);
	return t->errors ? -1 : 0;
}
