/* `petopo up FILE`: validate everything, then create, recording each step in
 * the state file before doing it:
 *   1. namespaces: one per node ("PREFIX-NODE"), one per VRF of ped nodes
 *      ("PREFIX-NODE-VRF", handed to ped with -P PREFIX-NODE-)
 *   2. sysctls (ip_forward and net.ipv6.conf.all.forwarding on for routers,
 *      off in VRF namespaces), loopbacks
 *   3. veth links, created directly in the two namespaces, GRO on at both
 *      ends, addressed (IPv4 and IPv6; the kernel's own IPv6 link-local
 *      addresses are left as they are), up (interfaces ped moves into a VRF
 *      get their addresses from ped)
 *   4. host routes (either family)
 *   5. daemons, node by node in file order, each waited for (with ped
 *      nodes, a bpffs at /sys/fs/bpf first: topo_bpffs.c)
 *   6. a last check that every daemon is still alive
 * Any failure or a signal (Ctrl-C) tears down what the state file lists. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/ethtool.h"
#include "lib/netns.h"
#include "topologies/petopo.h"

#define ERRLEN 4096

static json_object *jstrarr_taddr(const struct taddr *a, int n)
{
	json_object *arr = json_object_new_array();
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(arr, json_object_new_string(a[i].str));
	return arr;
}

/* The plan: what the topology is, for status, exec, audit and down. */
static json_object *plan_nodes(struct topo *t)
{
	json_object *nodes = json_object_new_object();
	char vns[128];
	int i, k;

	for (i = 0; i < t->nnodes; i++) {
		struct tnode *n = &t->nodes[i];
		json_object *o = json_object_new_object(), *ifs = json_object_new_object();
		json_object *vrfs = json_object_new_array(), *d;

		json_object_object_add(o, "kind", json_object_new_string(kind_name(n->kind)));
		json_object_object_add(o, "netns", json_object_new_string(n->netns));
		if (n->config != NULL)
			json_object_object_add(o, "startupConfig", json_object_new_string(n->config));
		json_object_object_add(o, "loopback", jstrarr_taddr(n->loop, n->nloop));
		for (k = 0; k < n->nvrfs; k++) {
			d = json_object_new_object();
			json_object_object_add(d, "name", json_object_new_string(n->vrfs[k]));
			json_object_object_add(d, "netns", json_object_new_string(node_vrf_netns(
								   n, k, vns, sizeof(vns))));
			json_object_array_add(vrfs, d);
		}
		if (n->kind == KIND_PED)
			json_object_object_add(o, "vrfs", vrfs);
		else
			json_object_put(vrfs);
		for (k = 0; k < n->nifaces; k++) {
			struct tiface *f = &n->ifaces[k];

			struct taddr *all;
			int nall = tiface_addrs(f, &all);

			if (f->link < 0)
				continue;
			d = json_object_new_object();
			json_object_object_add(d, "addresses", jstrarr_taddr(all, nall));
			free(all);
			if (f->vrf[0])
				json_object_object_add(d, "vrf", json_object_new_string(f->vrf));
			json_object_object_add(ifs, f->name, d);
		}
		json_object_object_add(o, "interfaces", ifs);
		if (n->kind == KIND_FRR || n->frr_config != NULL) {
			d = json_object_new_array();
			json_object_array_add(d, json_object_new_string("zebra"));
			for (k = 0; k < n->ndaemons; k++)
				json_object_array_add(d, json_object_new_string(n->daemons[k]));
			json_object_object_add(o, "daemons", d);
		}
		if (n->nroutes > 0) {
			d = json_object_new_array();
			for (k = 0; k < n->nroutes; k++)
				json_object_array_add(d, json_object_new_string(n->routes[k].text));
			json_object_object_add(o, "routes", d);
		}
		json_object_object_add(nodes, n->name, o);
	}
	return nodes;
}

static json_object *plan_links(struct topo *t)
{
	json_object *links = json_object_new_array();
	char ep[64];
	int i, e;

	for (i = 0; i < t->nlinks; i++) {
		json_object *o = json_object_new_object(), *eps = json_object_new_array();

		for (e = 0; e < 2; e++) {
			struct tnode *n = &t->nodes[t->links[i].end[e].node];

			snprintf(ep, sizeof(ep), "%s:%s", n->name,
				 n->ifaces[t->links[i].end[e].iface].name);
			json_object_array_add(eps, json_object_new_string(ep));
		}
		json_object_object_add(o, "endpoints", eps);
		json_object_array_add(links, o);
	}
	return links;
}

static void state_init(struct state *st, struct topo *t)
{
	json_object *r = json_object_new_object();
	char now[40];

	iso8601_now(now, sizeof(now));
	json_object_object_add(r, "schemaVersion", json_object_new_int(1));
	json_object_object_add(r, "name", json_object_new_string(t->name));
	json_object_object_add(r, "prefix", json_object_new_string(t->prefix));
	json_object_object_add(r, "file", json_object_new_string(t->abspath));
	json_object_object_add(r, "peRundir", json_object_new_string(penv.pe_rundir));
	json_object_object_add(r, "phase", json_object_new_string("creating"));
	json_object_object_add(r, "upPid", json_object_new_int64(getpid()));
	json_object_object_add(r, "createdAt", json_object_new_string(now));
	json_object_object_add(r, "nodes", plan_nodes(t));
	json_object_object_add(r, "links", plan_links(t));
	/* what exists (superset): filled before each creation step */
	json_object_object_add(r, "netns", json_object_new_array());
	json_object_object_add(r, "veths", json_object_new_array());
	json_object_object_add(r, "daemons", json_object_new_array());
	json_object_object_add(r, "dirs", json_object_new_array());
	st->root = r;
}

static bool sock_live(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	bool ok;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return false;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return false;
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return ok;
}

/* Nothing petopo would create may exist already. */
static int preflight(struct topo *t)
{
	char vns[128], sock[700];
	int i, k, bad = 0;

	for (i = 0; i < t->nnodes; i++) {
		struct tnode *n = &t->nodes[i];

		if (netns_exists(n->netns)) {
			msg("petopo: namespace %s exists already and is not part of topology %s "
			    "(another topology with prefix \"%s\"?): remove it or set another "
			    "prefix:", n->netns, t->name, t->prefix);
			bad++;
		}
		for (k = 0; k < n->nvrfs; k++)
			if (netns_exists(node_vrf_netns(n, k, vns, sizeof(vns)))) {
				msg("petopo: namespace %s exists already and is not part of "
				    "topology %s", vns, t->name);
				bad++;
			}
		if (n->kind != KIND_PED)
			continue;
		snprintf(sock, sizeof(sock), "%s/%s/ped.sock", penv.pe_rundir, n->name);
		if (sock_live(sock)) {
			msg("petopo: node %s: a ped already answers on %s (a running topology "
			    "has a node named %s, and `pesh -N %s` can reach only one): bring "
			    "that topology down or rename the node", n->name, sock, n->name,
			    n->name);
			bad++;
		}
	}
	return bad ? -1 : 0;
}

static int create_netns(struct state *st, const char *ns, char *err, size_t errlen)
{
	char e[300];
	int created = 0;

	state_list_add_str(st, "netns", ns);
	if (state_write(st) < 0) {
		snprintf(err, errlen, "state file not written");
		return -1;
	}
	if (netns_create(ns, &created, e, sizeof(e)) < 0) {
		snprintf(err, errlen, "cannot create namespace %s: %s", ns, e);
		return -1;
	}
	if (!created) {
		/* someone else made it since the preflight: not ours */
		state_list_del_str(st, "netns", ns);
		(void)state_write(st);
		snprintf(err, errlen, "namespace %s appeared meanwhile (not created by petopo)",
			 ns);
		return -1;
	}
	return 0;
}

/* Both families' forwarding switch of namespace ns. The IPv6 one only when
 * the kernel has IPv6 or the topology needs it: an IPv4 topology still
 * comes up on a kernel booted with ipv6.disable=1. Writing
 * net.ipv6.conf.all.forwarding also sets the default for interfaces made
 * later (the veths). */
static int set_forwarding(const struct topo *t, const char *ns, bool on, char *e, size_t elen)
{
	if (sysctl_netns(ns, "net.ipv4.ip_forward", on ? "1" : "0", e, elen) < 0)
		return -1;
	if (!t->ipv6 && access("/proc/sys/net/ipv6/conf/all/forwarding", F_OK) < 0)
		return 0;
	return sysctl_netns(ns, "net.ipv6.conf.all.forwarding", on ? "1" : "0", e, elen);
}

/* `ip addr add` of a topology address. IPv6 ones get nodad (IFA_F_NODAD):
 * they are usable at once instead of "tentative" for the second or two of
 * duplicate address detection, which on a veth between two namespaces that
 * we just made has nothing to detect; tests need not wait for it. */
static int addr_add(const char *ns, const struct taddr *a, const char *dev, char *e, size_t elen)
{
	if (a->p.af == AF_INET6)
		return run_ip(e, elen, "-n", ns, "addr", "add", a->str, "dev", dev, "nodad", NULL);
	return run_ip(e, elen, "-n", ns, "addr", "add", a->str, "dev", dev, NULL);
}

static int setup_node(const struct topo *t, struct tnode *n, char *err, size_t errlen)
{
	char e[1024], vns[128];
	int k;

	if (set_forwarding(t, n->netns, n->forwarding, e, sizeof(e)) < 0) {
		snprintf(err, errlen, "node %s: %s", n->name, e);
		return -1;
	}
	for (k = 0; k < n->nvrfs; k++) {
		/* the kernel must not forward in a VRF: the dataplane does */
		if (set_forwarding(t, node_vrf_netns(n, k, vns, sizeof(vns)), false, e,
				   sizeof(e)) < 0) {
			snprintf(err, errlen, "node %s: %s", n->name, e);
			return -1;
		}
	}
	for (k = 0; k < n->nloop; k++)
		if (addr_add(n->netns, &n->loop[k], "lo", e, sizeof(e)) < 0) {
			snprintf(err, errlen, "node %s: %s", n->name, e);
			return -1;
		}
	return 0;
}

static int setup_end(struct tnode *n, struct tiface *f, char *err, size_t errlen)
{
	char e[1024];
	int i;

	if (!f->vrf[0]) /* ped addresses what it moves into a VRF */
		for (i = 0; i < f->naddr; i++)
			if (addr_add(n->netns, &f->addrs[i], f->name, e, sizeof(e)) < 0) {
				snprintf(err, errlen, "node %s: %s", n->name, e);
				return -1;
			}
	if (run_ip(e, sizeof(e), "-n", n->netns, "link", "set", f->name, "up", NULL) < 0) {
		snprintf(err, errlen, "node %s: %s", n->name, e);
		return -1;
	}
	return 0;
}

/* The offloads of one end of a veth, set from inside its namespace:
 * - GRO on: a veth drops every frame XDP-redirected into it (ped's DEVMAP
 *   forwarding) unless its peer has NAPI, which GRO gives it (lib/ethtool.h);
 * - transmit checksum offload off (as containerlab does): a kernel that
 *   offloads hands the frame over with its TCP/UDP checksum unfinished,
 *   which a forwarding plane that is not the kernel (ped's) passes on as a
 *   wrong checksum, as a real wire never would. */
static int veth_offloads(struct tnode *n, struct tiface *f, char *err, size_t errlen)
{
	int nsfd, rc;
	const char *what = "turn GRO on";

	nsfd = netns_open(n->netns);
	if (nsfd < 0) {
		snprintf(err, errlen, "node %s: cannot open namespace %s: %s", n->name, n->netns,
			 strerror(errno));
		return -1;
	}
	rc = eth_set_gro_ns(nsfd, f->name, true);
	if (rc == 0) {
		what = "turn transmit checksum offload off";
		rc = eth_set_tx_csum_ns(nsfd, f->name, false);
	}
	close(nsfd);
	if (rc < 0) {
		snprintf(err, errlen, "node %s: cannot %s for %s in namespace %s: %s "
				      "(ped's XDP forwarding needs it)",
			 n->name, what, f->name, n->netns, strerror(-rc));
		return -1;
	}
	return 0;
}

static int create_link(struct state *st, struct topo *t, struct tlink *l, char *err,
		       size_t errlen)
{
	struct tnode *na = &t->nodes[l->end[0].node], *nb = &t->nodes[l->end[1].node];
	struct tiface *fa = &na->ifaces[l->end[0].iface], *fb = &nb->ifaces[l->end[1].iface];
	json_object *v = json_object_new_object();
	char e[1024];

	json_object_object_add(v, "netns", json_object_new_string(na->netns));
	json_object_object_add(v, "ifname", json_object_new_string(fa->name));
	json_object_object_add(v, "peerNetns", json_object_new_string(nb->netns));
	json_object_object_add(v, "peerIfname", json_object_new_string(fb->name));
	json_object_array_add(state_list(st, "veths"), v);
	if (state_write(st) < 0) {
		snprintf(err, errlen, "state file not written");
		return -1;
	}
	if (run_ip(e, sizeof(e), "link", "add", fa->name, "netns", na->netns, "type", "veth",
		   "peer", "name", fb->name, "netns", nb->netns, NULL) < 0) {
		snprintf(err, errlen, "link %s:%s -- %s:%s: %s", na->name, fa->name, nb->name,
			 fb->name, e);
		return -1;
	}
	if (veth_offloads(na, fa, err, errlen) < 0 || veth_offloads(nb, fb, err, errlen) < 0)
		return -1;
	if (setup_end(na, fa, err, errlen) < 0 || setup_end(nb, fb, err, errlen) < 0)
		return -1;
	return 0;
}

static int host_routes(struct tnode *n, char *err, size_t errlen)
{
	char e[1024], dst[PREFIX_STRLEN], via[IPADDR_STRLEN];
	int k, rc;

	for (k = 0; k < n->nroutes; k++) {
		struct troute *r = &n->routes[k];

		if (r->dst.len == 0)
			snprintf(dst, sizeof(dst), "default");
		else
			prefix_ntop(&r->dst, dst, sizeof(dst));
		ipaddr_ntop(&r->via, via, sizeof(via));
		if (r->dst.af == AF_INET6) /* "default" alone would be IPv4's */
			rc = run_ip(e, sizeof(e), "-6", "-n", n->netns, "route", "add", dst, "via",
				    via, NULL);
		else
			rc = run_ip(e, sizeof(e), "-n", n->netns, "route", "add", dst, "via", via,
				    NULL);
		if (rc < 0) {
			snprintf(err, errlen, "node %s: %s", n->name, e);
			return -1;
		}
	}
	return 0;
}

/* Every recorded daemon must still run once everything is up. */
static int all_alive(struct state *st, char *err, size_t errlen)
{
	json_object *ds = state_list(st, "daemons");
	size_t i;

	for (i = 0; i < json_object_array_length(ds); i++) {
		json_object *d = json_object_array_get_idx(ds, i);

		if (!proc_alive((pid_t)jint(d, "pid"), (unsigned long long)jint(d, "startTime"))) {
			char *tail = file_tail(jstr(d, "log"), 12);

			snprintf(err, errlen, "%s on node %s (pid %lld) died during up; last "
					      "lines of %s:\n%s",
				 jstr(d, "name"), jstr(d, "node"), (long long)jint(d, "pid"),
				 jstr(d, "log"), tail);
			free(tail);
			return -1;
		}
	}
	return 0;
}

#define STEP(x)                                        \
	do {                                           \
		if (topo_interrupted) {                \
			snprintf(err, ERRLEN, "interrupted"); \
			goto fail;                     \
		}                                      \
		if ((x) < 0)                           \
			goto fail;                     \
	} while (0)

static int create_all(struct state *st, struct topo *t, char *err)
{
	char vns[128];
	int i, k;

	for (i = 0; i < t->nnodes; i++)
		STEP(create_netns(st, t->nodes[i].netns, err, ERRLEN));
	for (i = 0; i < t->nnodes; i++)
		for (k = 0; k < t->nodes[i].nvrfs; k++)
			STEP(create_netns(st, node_vrf_netns(&t->nodes[i], k, vns, sizeof(vns)),
					  err, ERRLEN));
	for (i = 0; i < t->nnodes; i++)
		STEP(setup_node(t, &t->nodes[i], err, ERRLEN));
	for (i = 0; i < t->nlinks; i++)
		STEP(create_link(st, t, &t->links[i], err, ERRLEN));
	for (i = 0; i < t->nnodes; i++)
		STEP(host_routes(&t->nodes[i], err, ERRLEN));
	for (i = 0; i < t->nnodes; i++) {
		if (t->nodes[i].kind == KIND_HOST)
			continue;
		msg("petopo: starting %s on %s", kind_name(t->nodes[i].kind), t->nodes[i].name);
		STEP(node_start(st, t, &t->nodes[i], err, ERRLEN));
	}
	STEP(all_alive(st, err, ERRLEN));
	return 0;
fail:
	return -1;
}

double topo_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void summary(struct topo *t, double secs)
{
	int i, ndaemons = 0;
	const char *ped = NULL, *host = NULL;

	for (i = 0; i < t->nnodes; i++) {
		if (t->nodes[i].kind == KIND_PED && ped == NULL)
			ped = t->nodes[i].name;
		if (t->nodes[i].kind == KIND_HOST && host == NULL)
			host = t->nodes[i].name;
		if (t->nodes[i].kind == KIND_FRR)
			ndaemons += 1 + t->nodes[i].ndaemons;
		else if (t->nodes[i].kind != KIND_HOST)
			ndaemons++;
		if (t->nodes[i].kind == KIND_PED && t->nodes[i].frr_config != NULL)
			ndaemons += 1 + t->nodes[i].ndaemons; /* zebra and the IGP beside ped */
	}
	printf("%s is up: %d nodes, %d links, %d daemons (%.1f s)\n", t->name, t->nnodes,
	       t->nlinks, ndaemons, secs);
	if (ped != NULL)
		printf("  pesh -N %s                      # the shell of ped node %s\n", ped,
		       ped);
	if (host != NULL)
		printf("  petopo exec %s -- ip -br addr   # a command inside node %s\n", host,
		       host);
	printf("  petopo status %s\n  petopo down %s\n", t->name, t->name);
	fflush(stdout);
}

int cmd_up(const char *file, const char *name, const char *prefix, bool force)
{
	struct topo *t = topo_load(file);
	struct state st;
	struct timespec t0;
	char *err;
	int rc, i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (t->errors == 0 && name != NULL) {
		if (!topo_name_ok(name)) {
			msg("petopo: bad --name \"%s\"", name);
			topo_free(t);
			return 1;
		}
		snprintf(t->name, sizeof(t->name), "%s", name);
		if (prefix == NULL) {
			snprintf(t->prefix, sizeof(t->prefix), "%s", name);
			t->has_prefix = true;
		}
	}
	if (t->errors == 0 && prefix != NULL) {
		if (!topo_name_ok(prefix)) {
			msg("petopo: bad --prefix \"%s\"", prefix);
			topo_free(t);
			return 1;
		}
		snprintf(t->prefix, sizeof(t->prefix), "%s", prefix);
		t->has_prefix = true;
	}
	if (topo_check(t) < 0) {
		msg("%s: %d error%s, nothing created", t->file, t->errors,
		    t->errors == 1 ? "" : "s");
		topo_free(t);
		return 1;
	}
	if (state_lock(&st, t->name, true, 0) < 0) {
		topo_free(t);
		return 1;
	}
	rc = state_read(&st);
	if (rc < 0 || (rc == 0 && !force)) {
		if (rc == 0)
			msg("petopo: topology %s is already up (state in %s): `petopo down %s` "
			    "first, or `petopo up --force %s` to rebuild it", t->name, st.dir,
			    t->name, file);
		state_unlock(&st);
		topo_free(t);
		return 1;
	}
	if (rc == 0) {
		msg("petopo: --force: taking %s down first", t->name);
		if (topo_teardown(&st, true) < 0) {
			state_unlock(&st);
			topo_free(t);
			return 1;
		}
		state_unlock(&st);
		if (state_lock(&st, t->name, true, 0) < 0) {
			topo_free(t);
			return 1;
		}
	}
	if (preflight(t) < 0) {
		rm_rf(st.dir);
		state_unlock(&st);
		topo_free(t);
		return 1;
	}
	for (i = 0; i < t->nnodes; i++)
		if (t->nodes[i].kind == KIND_PED) {
			(void)bpffs_ensure(); /* ped's pins across restarts */
			break;
		}
	state_init(&st, t);
	err = xcalloc(1, ERRLEN);
	if (state_write(&st) < 0 || create_all(&st, t, err) < 0) {
		bool intr = topo_interrupted != 0;

		msg("petopo: up %s failed: %s", t->name, err[0] ? err : "state file");
		msg("petopo: removing what was created");
		rc = topo_teardown(&st, false);
		if (rc < 0)
			msg("petopo: some things remain: run `petopo down %s`", t->name);
		free(err);
		state_unlock(&st);
		topo_free(t);
		return intr ? 130 : 1;
	}
	json_object_object_add(st.root, "phase", json_object_new_string("up"));
	json_object_object_del(st.root, "upPid");
	(void)state_write(&st);
	free(err);
	summary(t, topo_since(&t0));
	state_unlock(&st);
	topo_free(t);
	return 0;
}
