/* Control plane -> forwarding plane (see fwd_ctl.h).
 *
 * What becomes a port: every interface present in a VRF namespace (a
 * customer port of that VRF) and, on a router that does MPLS (LDP enabled
 * or any VRF configured), every interface of ped's own namespace but lo (a
 * core port: MPLS frames only). Ports are (VRF id, ifindex); a move or a
 * rename closes and reopens.
 *
 * Next hops: each VRF next-hop group id (vrf/vrf.c interns them; the FIB
 * stores the id) gets a struct fwd_nh before the FIB uses the id. A member
 * in the VRF itself (connected, static, a CE's BGP route) is an adjacency on
 * the VRF port; a member reached through the core (an imported VPN route:
 * gateway = remote PE, label = its VPN label) is resolved through LDP: the
 * labelled paths of the core route covering the remote PE give the port,
 * the next hop and the transport label (none for implicit-null); without
 * an LDP binding, the core route's next hop with the VPN label only.
 * Any change of core routes, LDP bindings or ports re-resolves every group
 * once per event-loop turn (a new fwd_nh is published only if it differs).
 *
 * LFIB: LDP's entries (swap/pop toward the next LSR) and BGP's VPN labels
 * (per-VRF and per-prefix: pop and look up in the VRF; per-nexthop: pop and
 * send to that CE).
 *
 * Memory the worker may still read is released through the worker's epochs
 * (fwd_defer_free), VRF FIBs included (fib_set_reclaim). */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/neighbour.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "ldp/ldpd.h"
#include "lib/log.h"
#include "lib/netns.h"
#include "pe/fwd/fwd.h"
#include "pe/fwd/fwd_ctl.h"
#include "pe/fwd/worker.h"
#include "pe/iface.h"
#include "pe/ped.h"
#include "vrf/fib.h"
#include "vrf/vrf.h"

#define CORE_ENCAP 8 /* two labels: what a customer packet gains in the core */

/* ---- state ---- */

struct neigh_list { /* kernel neighbors of one interface, ports or not */
	struct neigh_list *next;
	uint32_t vrf_id;
	int ifindex;
	size_t n, cap;
	struct fwd_neigh *e;
	bool dirty;
};

struct port {
	bool used;
	uint32_t vrf_id;
	int ifindex;
	char name[16];
	bool open;
	struct fwd_counters base; /* `clear dataplane counters` */
	uint64_t ring_drops;
};

enum lfib_owner { OWN_NONE, OWN_LDP, OWN_BGP_VRF, OWN_BGP_NH, OWN_BGP_PFX };

struct lfib_own {
	enum lfib_owner type;
	char vrf[VRF_NAMSIZ];
	uint32_t addr; /* per-nexthop: the CE */
	struct prefix4 fec;
	int npaths;
	struct lde_path *paths;
};

struct ldp_bound { /* labelled paths of a FEC */
	struct ldp_bound *next;
	struct prefix4 fec;
	int npaths;
	struct lde_path paths[LDE_MAX_NH];
};
#define BOUND_BUCKETS 65536

static struct {
	struct fwd_tables *t;
	struct fwd_worker *w;
	bool started, running;
	struct event *ev_sync, *ev_reclaim, *ev_worker;
	bool ports_dirty, resolve_dirty, neigh_dirty;
	struct port port[FWD_MAX_PORTS];
	struct neigh_list *neighs;
	struct lfib_own **own;
	uint32_t own_cap;
	struct ldp_bound **bound;
	struct fwd_counters vrf_base[FWD_MAX_VRFS];
	uint64_t resolve_requests;
	uint32_t nh_labels; /* OWN_BGP_NH entries: VRF route changes move them */
	/* gateways the tables point at: resolved ahead of traffic, so that
	 * the first packets toward them are not dropped as noNeighbor */
	uint64_t *want;
	size_t nwant, capwant;
	struct event *ev_prewarm;
} F;

static void defer(void *p)
{
	if (p == NULL)
		return;
	if (F.w != NULL)
		fwd_defer_free(F.w, p);
	else
		free(p);
}

static void fib_defer(void *p, void *arg)
{
	(void)arg;
	defer(p);
}

static void schedule(void)
{
	static const struct timeval zero = { 0, 0 };

	if (F.ev_sync != NULL)
		event_add(F.ev_sync, &zero);
}

/* ---- ports ---- */

static int port_find(uint32_t vrf_id, int ifindex)
{
	int i;

	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (F.port[i].used && F.port[i].vrf_id == vrf_id && F.port[i].ifindex == ifindex)
			return i;
	return -1;
}

static int port_by_name(uint32_t vrf_id, const char *name)
{
	int i;

	if (name == NULL || name[0] == '\0')
		return -1;
	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (F.port[i].used && F.port[i].vrf_id == vrf_id && strcmp(F.port[i].name, name) == 0)
			return i;
	return -1;
}

static struct neigh_list *neigh_list_get(uint32_t vrf_id, int ifindex, bool create)
{
	struct neigh_list *l;

	for (l = F.neighs; l != NULL; l = l->next)
		if (l->vrf_id == vrf_id && l->ifindex == ifindex)
			return l;
	if (!create)
		return NULL;
	l = xcalloc(1, sizeof(*l));
	l->vrf_id = vrf_id;
	l->ifindex = ifindex;
	l->next = F.neighs;
	F.neighs = l;
	return l;
}

static void neigh_publish(int idx)
{
	struct neigh_list *l = neigh_list_get(F.port[idx].vrf_id, F.port[idx].ifindex, false);
	struct fwd_neigh_tab *nt = NULL, *old;

	if (l != NULL && l->n > 0)
		nt = fwd_neigh_build(l->e, l->n);
	old = atomic_exchange_explicit(&F.t->neigh[idx], nt, memory_order_release);
	defer(old);
}

/* Kernel forwarding stays off for VRF ports (architecture): transit packets
 * are the dataplane's, the kernel drops its copy silently. */
static void vrf_port_kernel_fwd_off(int nsfd, const char *ifname)
{
	char path[96];
	int self = netns_self(), fd;

	if (nsfd < 0 || self < 0 || setns(nsfd, CLONE_NEWNET) != 0)
		return;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/forwarding", ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "0", 1) != 1)
			log_warn("%s", path);
		close(fd);
	}
	if (setns(self, CLONE_NEWNET) != 0)
		fatal("setns back");
}

static bool mpls_router(void)
{
	return ldpd_conf.enabled || vrf_count() > 0;
}

static void port_close(int idx)
{
	struct port *p = &F.port[idx];
	struct fwd_port_cfg *old;

	if (p->open)
		fwd_worker_port_close(F.w, (uint16_t)idx);
	old = atomic_exchange_explicit(&F.t->port[idx], NULL, memory_order_release);
	defer(old);
	defer(atomic_exchange_explicit(&F.t->neigh[idx], NULL, memory_order_release));
	log_info("dataplane: port %s (VRF id %u) removed", p->name, p->vrf_id);
	memset(p, 0, sizeof(*p));
	F.resolve_dirty = true;
}

static void port_update(const struct iface *i)
{
	struct vrf *vrf = vrf_lookup_id(i->kvrf);
	struct fwd_port_cfg *cfg, *old;
	char err[200];
	int idx = port_find(i->kvrf, i->ifindex), k;

	if (vrf == NULL)
		return;
	if (idx < 0) {
		for (idx = 0; idx < FWD_MAX_PORTS && F.port[idx].used; idx++)
			;
		if (idx == FWD_MAX_PORTS) {
			log_warnx("dataplane: more than %d ports, %s not forwarded", FWD_MAX_PORTS,
				  i->name);
			return;
		}
		memset(&F.port[idx], 0, sizeof(F.port[idx]));
		F.port[idx].used = true;
		F.port[idx].vrf_id = i->kvrf;
		F.port[idx].ifindex = i->ifindex;
		/* counters of a reused index start from zero for this port */
		F.port[idx].base = F.t->port_cnt[idx];
		F.resolve_dirty = true;
	}
	snprintf(F.port[idx].name, sizeof(F.port[idx].name), "%s", i->name);
	cfg = xcalloc(1, sizeof(*cfg));
	cfg->idx = (uint16_t)idx;
	cfg->ifindex = i->ifindex;
	cfg->vrf_id = i->kvrf;
	memcpy(cfg->mac, i->mac, 6);
	cfg->mtu = i->mtu ? i->mtu : 1500;
	cfg->up = i->up && i->running;
	snprintf(cfg->name, sizeof(cfg->name), "%s", i->name);
	for (k = 0; k < i->nkaddr; k++)
		if ((i->kaddr[k].addr >> 24) != 127) {
			cfg->addr = i->kaddr[k].addr;
			break;
		}
	old = atomic_load_explicit(&F.t->port[idx], memory_order_relaxed);
	if (old != NULL && memcmp(old, cfg, sizeof(*cfg)) == 0) {
		free(cfg);
	} else {
		if (old == NULL || old->up != cfg->up || old->mtu != cfg->mtu)
			F.resolve_dirty = true;
		atomic_store_explicit(&F.t->port[idx], cfg, memory_order_release);
		defer(old);
	}
	if (!F.port[idx].open) {
		enum fwd_port_kind kind = i->kvrf ? FWD_PORT_VRF : FWD_PORT_CORE;

		if (i->kvrf)
			vrf_port_kernel_fwd_off(vrf->nsfd, i->name);
		if (fwd_worker_port_open(F.w, (uint16_t)idx, i->kvrf ? vrf->nsfd : -1, i->ifindex,
					 kind, i->mac, err, sizeof(err)) != 0) {
			log_warnx("dataplane: port %s: %s", i->name, err);
			return;
		}
		F.port[idx].open = true;
		neigh_publish(idx);
		log_info("dataplane: port %s open (%s, VRF %s)", i->name,
			 i->kvrf ? "customer" : "core", vrf->name);
		if (!F.running && fwd_worker_start(F.w, -1) == 0)
			F.running = true;
	}
}

static bool want_port(const struct iface *i)
{
	if (!i->present || i->ifindex <= 0 || strcmp(i->name, "lo") == 0)
		return false;
	if (i->kvrf != VRF_DEFAULT_ID)
		return i->kvrf < FWD_MAX_VRFS && vrf_lookup_id(i->kvrf) != NULL;
	return mpls_router();
}

static void ports_sync(void)
{
	const struct iface *i;
	bool keep[FWD_MAX_PORTS];
	int idx;

	memset(keep, 0, sizeof(keep));
	for (i = iface_first(); i != NULL; i = i->next) {
		if (!want_port(i))
			continue;
		port_update(i);
		if ((idx = port_find(i->kvrf, i->ifindex)) >= 0)
			keep[idx] = true;
	}
	for (idx = 0; idx < FWD_MAX_PORTS; idx++)
		if (F.port[idx].used && !keep[idx])
			port_close(idx);
}

/* ---- VRFs ---- */

static void vrf_publish(struct vrf *vrf)
{
	struct fwd_vrf *fv, *old;
	const struct iface *i;
	int k;

	if (vrf->id >= FWD_MAX_VRFS) {
		log_warnx("dataplane: VRF %s has id %u beyond %d: not forwarded", vrf->name, vrf->id,
			  FWD_MAX_VRFS);
		return;
	}
	fv = xcalloc(1, sizeof(*fv));
	fv->id = vrf->id;
	fv->fib = vrf->fib;
	for (i = iface_first(); i != NULL; i = i->next) {
		if (!i->present || i->kvrf != vrf->id)
			continue;
		for (k = 0; k < i->nkaddr && fv->nlocal < FWD_MAX_LOCAL; k++)
			fv->local[fv->nlocal++] = i->kaddr[k].addr;
	}
	old = atomic_load_explicit(&F.t->vrf[vrf->id], memory_order_relaxed);
	if (old != NULL && memcmp(old, fv, sizeof(*fv)) == 0) {
		free(fv);
		return;
	}
	atomic_store_explicit(&F.t->vrf[vrf->id], fv, memory_order_release);
	defer(old);
}

void fwd_ctl_vrf_created(struct vrf *vrf)
{
	if (F.t == NULL)
		return;
	fib_set_reclaim(vrf->fib, fib_defer, NULL);
	vrf_publish(vrf);
	F.ports_dirty = F.resolve_dirty = true;
	schedule();
}

void fwd_ctl_vrf_deleted(struct vrf *vrf)
{
	struct fwd_vrf *old;

	if (F.t == NULL || vrf->id >= FWD_MAX_VRFS)
		return;
	old = atomic_exchange_explicit(&F.t->vrf[vrf->id], NULL, memory_order_release);
	if (F.w != NULL)
		fwd_synchronize(F.w); /* the FIB is freed right after */
	defer(old);
	F.ports_dirty = F.resolve_dirty = true;
	schedule();
}

/* ---- next-hop resolution ---- */

static uint32_t bound_hash(const struct prefix4 *p)
{
	return ((p->addr * 2654435761u) ^ p->len) & (BOUND_BUCKETS - 1);
}

static struct ldp_bound *bound_find(const struct prefix4 *fec)
{
	struct ldp_bound *b;

	if (F.bound == NULL)
		return NULL;
	for (b = F.bound[bound_hash(fec)]; b != NULL; b = b->next)
		if (b->fec.addr == fec->addr && b->fec.len == fec->len)
			return b;
	return NULL;
}

void fwd_ctl_ldp_bound(const struct prefix4 *fec, const struct lde_path *paths, int npaths)
{
	struct ldp_bound *b = bound_find(fec), **bp;

	if (F.t == NULL)
		return;
	if (F.bound == NULL)
		F.bound = xcalloc(BOUND_BUCKETS, sizeof(*F.bound));
	if (npaths <= 0) {
		if (b == NULL)
			return;
		for (bp = &F.bound[bound_hash(fec)]; *bp != b; bp = &(*bp)->next)
			;
		*bp = b->next;
		free(b);
	} else {
		if (b == NULL) {
			b = xcalloc(1, sizeof(*b));
			b->fec = *fec;
			b->next = F.bound[bound_hash(fec)];
			F.bound[bound_hash(fec)] = b;
		}
		b->npaths = npaths > LDE_MAX_NH ? LDE_MAX_NH : npaths;
		memcpy(b->paths, paths, sizeof(paths[0]) * (size_t)b->npaths);
	}
	F.resolve_dirty = true;
	schedule();
}

/* fwd_nh_new(type, FWD_MAX_ADJ) trimmed to the adjacencies used */
static struct fwd_nh *nh_shrink(struct fwd_nh *n)
{
	return xrealloc(n, sizeof(*n) + sizeof(n->adj[0]) * (n->nadj ? n->nadj : 1));
}

static void want_gw(int port, uint32_t gw)
{
	uint64_t k = (uint64_t)port << 32 | gw;
	size_t i, h;

	if (gw == 0)
		return;
	if (F.nwant * 2 >= F.capwant) { /* open addressing, at most half full */
		uint64_t *old = F.want;
		size_t oldcap = F.capwant;

		F.capwant = F.capwant ? F.capwant * 2 : 64;
		F.want = xcalloc(F.capwant, sizeof(*F.want));
		F.nwant = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i] != 0)
				want_gw((int)(old[i] >> 32), (uint32_t)old[i]);
		free(old);
	}
	for (h = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 40) & (F.capwant - 1); F.want[h] != 0;
	     h = (h + 1) & (F.capwant - 1))
		if (F.want[h] == k)
			return;
	F.want[h] = k;
	F.nwant++;
	if (F.ev_prewarm != NULL) { /* a new gateway: resolve it soon */
		static const struct timeval soon = { 0, 0 };

		event_add(F.ev_prewarm, &soon);
	}
}

static bool adj_add(struct fwd_nh *n, int port, uint32_t gw, const uint32_t *labels, int nl)
{
	struct fwd_adj *a;

	if (port < 0 || n->nadj >= FWD_MAX_ADJ || nl > FWD_MAX_PUSH)
		return false;
	want_gw(port, gw);
	a = &n->adj[n->nadj++];
	a->port = (uint16_t)port;
	a->gw = gw;
	a->nlabels = (uint8_t)nl;
	memcpy(a->labels, labels, sizeof(labels[0]) * (size_t)nl);
	return true;
}

/* Adjacencies toward remote PE `pe` pushing vpn labels under the transport
 * label. */
static void resolve_remote(struct fwd_nh *n, uint32_t pe, const uint32_t *vpn, int nvpn)
{
	struct vrf *core = vrf_default();
	struct rib_dest *d = rib_match(core->rib, pe);
	struct ldp_bound *b;
	uint32_t stack[FWD_MAX_PUSH];
	int i;

	if (d == NULL || d->selected == NULL || nvpn > FWD_MAX_PUSH - 1)
		return;
	if ((b = bound_find(&d->pfx)) != NULL) {
		for (i = 0; i < b->npaths; i++) {
			int nl = 0;

			if (b->paths[i].label != MPLS_LABEL_IMPLICIT_NULL)
				stack[nl++] = b->paths[i].label;
			memcpy(stack + nl, vpn, sizeof(vpn[0]) * (size_t)nvpn);
			adj_add(n, port_by_name(VRF_DEFAULT_ID, b->paths[i].ifname),
				b->paths[i].nexthop ? b->paths[i].nexthop : pe, stack, nl + nvpn);
		}
		return;
	}
	/* no LDP binding: the core route's next hop, VPN label only (a remote
	 * PE one hop away, or `no bgp labelled-nexthop-resolution`) */
	for (i = 0; i < d->selected->nh_count; i++) {
		const struct rib_nh *nh = &d->selected->nh[i];

		if (!nh->active || nh->blackhole)
			continue;
		adj_add(n, port_by_name(VRF_DEFAULT_ID, nh->ifname[0] ? nh->ifname : nh->res_ifname),
			nh->gw ? nh->gw : pe, vpn, nvpn);
	}
}

/* The port of a next hop in a VRF: its interface, else the interface of the
 * VRF route covering the gateway (BGP routes from a CE come unresolved:
 * the CE's address is on a connected subnet). */
static int port_in_vrf(uint32_t vrf_id, const char *ifname, uint32_t gw)
{
	struct vrf *vrf;
	struct rib_dest *d;
	int i, depth, port = port_by_name(vrf_id, ifname);

	if (port >= 0 || gw == 0 || (vrf = vrf_lookup_id(vrf_id)) == NULL)
		return port;
	for (depth = 0; depth < 3; depth++) {
		if ((d = rib_match(vrf->rib, gw)) == NULL || d->selected == NULL)
			return -1;
		for (i = 0; i < d->selected->nh_count; i++) {
			const struct rib_nh *nh = &d->selected->nh[i];

			if (!nh->active || nh->blackhole || (nh->nh_vrf_set && nh->nh_vrf_id != vrf_id))
				continue;
			port = port_by_name(vrf_id, nh->ifname[0] ? nh->ifname : nh->res_ifname);
			if (port >= 0)
				return port;
			if (nh->gw != 0 && nh->gw != gw)
				break;
		}
		if (i == d->selected->nh_count)
			return -1;
		gw = d->selected->nh[i].gw;
	}
	return -1;
}

static struct fwd_nh *resolve_nhg(const struct vrf_nhg *g)
{
	struct fwd_nh *n = fwd_nh_new(FWD_NH_FWD, FWD_MAX_ADJ);
	int i, blackholes = 0;

	n->nadj = 0;
	for (i = 0; i < g->count; i++) {
		const struct vrf_nh *m = &g->nh[i];

		if (m->blackhole) {
			blackholes++;
			continue;
		}
		if (m->nh_vrf_id != g->vrf_id) {
			if (m->nh_vrf_id == VRF_DEFAULT_ID)
				resolve_remote(n, m->gw, m->labels, m->nlabels);
			continue; /* leaking between VRFs of this PE: not forwarded yet */
		}
		adj_add(n, port_in_vrf(g->vrf_id, m->ifname, m->gw), m->gw, m->labels, m->nlabels);
	}
	if (n->nadj == 0)
		n->type = blackholes > 0 ? FWD_NH_DROP : FWD_NH_UNRESOLVED;
	return nh_shrink(n);
}

static bool nh_same(const struct fwd_nh *a, const struct fwd_nh *b)
{
	return a != NULL && b != NULL && a->type == b->type && a->nadj == b->nadj &&
	       a->vrf_id == b->vrf_id && memcmp(a->adj, b->adj, sizeof(a->adj[0]) * a->nadj) == 0;
}

static struct fwd_nh *nh_current(uint32_t id, bool lfib)
{
	_Atomic(struct fwd_nh *) *arr =
		atomic_load_explicit(lfib ? &F.t->lfib : &F.t->nh, memory_order_relaxed);
	uint32_t cap = atomic_load_explicit(lfib ? &F.t->lfib_cap : &F.t->nh_cap,
					    memory_order_relaxed);

	return arr != NULL && id < cap ? atomic_load_explicit(&arr[id], memory_order_relaxed)
				       : NULL;
}

/* Publishes n for id unless equal to what is there (n is consumed). */
static void nh_install(uint32_t id, struct fwd_nh *n, bool lfib)
{
	struct fwd_nh *old = nh_current(id, lfib);

	if (n != NULL && nh_same(old, n)) {
		free(n);
		return;
	}
	if (lfib)
		old = fwd_set_lfib(F.t, id, n, defer);
	else
		old = fwd_set_nh(F.t, id, n, defer);
	defer(old);
}

static void nhg_notify(const struct vrf_nhg *g, bool add)
{
	if (F.t == NULL || g->vrf_id == VRF_DEFAULT_ID)
		return; /* core IP forwarding is the kernel's */
	nh_install(g->id, add ? resolve_nhg(g) : NULL, false);
}

static int nhg_reresolve(void *arg, const struct vrf_nhg *g)
{
	(void)arg;
	if (g->vrf_id != VRF_DEFAULT_ID)
		nh_install(g->id, resolve_nhg(g), false);
	return 0;
}

/* ---- LFIB ---- */

static struct lfib_own *own_get(mpls_label_t l, bool create)
{
	if (l >= F.own_cap) {
		uint32_t cap = F.own_cap ? F.own_cap : 1024;

		if (!create || l > MPLS_LABEL_MAX)
			return NULL;
		while (cap <= l)
			cap *= 2;
		F.own = xrealloc(F.own, cap * sizeof(*F.own));
		memset(F.own + F.own_cap, 0, (cap - F.own_cap) * sizeof(*F.own));
		F.own_cap = cap;
	}
	if (F.own[l] == NULL && create)
		F.own[l] = xcalloc(1, sizeof(*F.own[l]));
	return F.own[l];
}

static void own_del(mpls_label_t l)
{
	struct lfib_own *o = own_get(l, false);

	if (o == NULL)
		return;
	if (o->type == OWN_BGP_NH)
		F.nh_labels--;
	free(o->paths);
	free(o);
	F.own[l] = NULL;
	nh_install(l, NULL, true);
}

static struct fwd_nh *lfib_resolve(const struct lfib_own *o)
{
	struct vrf *vrf;
	struct fwd_nh *n;
	struct rib_dest *d;
	uint32_t lab;
	int i;

	switch (o->type) {
	case OWN_LDP:
		n = fwd_nh_new(FWD_NH_FWD, FWD_MAX_ADJ);
		n->nadj = 0;
		for (i = 0; i < o->npaths; i++) {
			lab = o->paths[i].label;
			adj_add(n, port_by_name(VRF_DEFAULT_ID, o->paths[i].ifname),
				o->paths[i].nexthop, &lab, lab == MPLS_LABEL_IMPLICIT_NULL ? 0 : 1);
		}
		if (n->nadj == 0)
			n->type = FWD_NH_UNRESOLVED;
		return nh_shrink(n);
	case OWN_BGP_NH:
		/* pop and send to that CE, through the VRF's route to it */
		if ((vrf = vrf_lookup(o->vrf)) == NULL || vrf->id >= FWD_MAX_VRFS)
			return NULL;
		d = rib_match(vrf->rib, o->addr);
		if (d != NULL && d->selected != NULL) {
			for (i = 0; i < d->selected->nh_count; i++) {
				const struct rib_nh *nh = &d->selected->nh[i];
				int port = port_by_name(vrf->id, nh->ifname[0] ? nh->ifname
									       : nh->res_ifname);

				if (!nh->active || port < 0)
					continue;
				n = fwd_nh_new(FWD_NH_FWD, 1);
				n->nadj = 0;
				adj_add(n, port, nh->gw ? nh->gw : o->addr, NULL, 0);
				return n;
			}
		}
		/* not reachable now: the VRF lookup finds the best way */
		__attribute__((fallthrough));
	case OWN_BGP_VRF:
	case OWN_BGP_PFX:
		if ((vrf = vrf_lookup(o->vrf)) == NULL || vrf->id >= FWD_MAX_VRFS)
			return NULL;
		n = fwd_nh_new(FWD_NH_LOOKUP, 0);
		n->vrf_id = vrf->id;
		return n;
	default:
		return NULL;
	}
}

static void lfib_reresolve_all(void)
{
	uint32_t l;

	for (l = 0; l < F.own_cap; l++)
		if (F.own[l] != NULL)
			nh_install(l, lfib_resolve(F.own[l]), true);
}

void fwd_ctl_ldp_lfib(mpls_label_t in, const struct prefix4 *fec, const struct lde_path *paths,
		      int npaths)
{
	struct lfib_own *o;

	if (F.t == NULL || (o = own_get(in, true)) == NULL)
		return;
	if (o->type == OWN_BGP_NH)
		F.nh_labels--;
	free(o->paths);
	o->type = OWN_LDP;
	o->fec = *fec;
	o->npaths = npaths;
	o->paths = xcalloc((size_t)(npaths > 0 ? npaths : 1), sizeof(*paths));
	memcpy(o->paths, paths, sizeof(*paths) * (size_t)npaths);
	nh_install(in, lfib_resolve(o), true);
}

void fwd_ctl_ldp_lfib_del(mpls_label_t in)
{
	struct lfib_own *o = own_get(in, false);

	if (o != NULL && o->type == OWN_LDP)
		own_del(in);
}

void fwd_ctl_bgp_label(mpls_label_t l, const char *purpose)
{
	char vrf[VRF_NAMSIZ + 1], what[16], arg[32];
	struct lfib_own *o;
	int n;

	if (F.t == NULL || l == MPLS_LABEL_NONE)
		return;
	n = sscanf(purpose, "vrf %32s %15s %31s", vrf, what, arg);
	if (n < 1 || strlen(vrf) >= VRF_NAMSIZ || (o = own_get(l, true)) == NULL)
		return;
	if (o->type == OWN_BGP_NH)
		F.nh_labels--;
	free(o->paths);
	memset(o, 0, sizeof(*o));
	snprintf(o->vrf, sizeof(o->vrf), "%s", vrf);
	o->type = OWN_BGP_VRF;
	if (n == 3 && strcmp(what, "nexthop") == 0 && addr4_parse(arg, &o->addr) == 0)
		o->type = OWN_BGP_NH, F.nh_labels++;
	else if (n == 3 && strcmp(what, "prefix") == 0 && prefix4_parse(arg, &o->fec, NULL) == 0)
		o->type = OWN_BGP_PFX;
	nh_install(l, lfib_resolve(o), true);
}

void fwd_ctl_bgp_label_del(mpls_label_t l)
{
	struct lfib_own *o = own_get(l, false);

	if (o != NULL && o->type != OWN_LDP && o->type != OWN_NONE)
		own_del(l);
}

/* ---- neighbors ---- */

void fwd_ctl_neigh(uint32_t vrf_id, bool add, const struct nl_neigh *nb)
{
	struct neigh_list *l;
	bool valid = add && nb->has_mac &&
		     (nb->state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT |
				   NUD_NOARP)) != 0;
	size_t k;

	if (F.t == NULL)
		return;
	l = neigh_list_get(vrf_id, nb->ifindex, valid);
	if (l == NULL)
		return;
	for (k = 0; k < l->n && l->e[k].ip != nb->ip; k++)
		;
	if (valid) {
		if (k < l->n && memcmp(l->e[k].mac, nb->mac, 6) == 0)
			return;
		if (k == l->n) {
			if (l->n == l->cap) {
				l->cap = l->cap ? l->cap * 2 : 8;
				l->e = xrealloc(l->e, l->cap * sizeof(*l->e));
			}
			l->n++;
		}
		l->e[k].ip = nb->ip;
		memcpy(l->e[k].mac, nb->mac, 6);
	} else {
		if (k == l->n)
			return;
		l->e[k] = l->e[--l->n];
	}
	l->dirty = true;
	F.neigh_dirty = true;
	schedule();
}

static void neigh_flush(void)
{
	struct neigh_list *l;
	int idx;

	for (l = F.neighs; l != NULL; l = l->next) {
		if (!l->dirty)
			continue;
		l->dirty = false;
		if ((idx = port_find(l->vrf_id, l->ifindex)) >= 0)
			neigh_publish(idx);
	}
}

static void resolve_requests(evutil_socket_t fd, short what, void *arg)
{
	uint64_t v;
	uint16_t port;
	uint32_t ip;
	char err[160];

	(void)what;
	(void)arg;
	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_warn("dataplane: event fd");
	while (fwd_worker_pop_resolve(F.w, &port, &ip) > 0) {
		struct vrf *vrf;

		if (port >= FWD_MAX_PORTS || !F.port[port].used ||
		    (vrf = vrf_lookup_id(F.port[port].vrf_id)) == NULL)
			continue;
		F.resolve_requests++;
		if (nl_neigh_resolve(F.port[port].vrf_id ? vrf->nsfd : -1, F.port[port].ifindex, ip,
				     err, sizeof(err)) != 0)
			log_debug("dataplane: resolving on %s: %s", F.port[port].name, err);
	}
}

static bool neigh_known(int port, uint32_t ip)
{
	struct neigh_list *l = neigh_list_get(F.port[port].vrf_id, F.port[port].ifindex, false);
	size_t k;

	for (k = 0; l != NULL && k < l->n; k++)
		if (l->e[k].ip == ip)
			return true;
	return false;
}

/* Asks the kernel to resolve every gateway the tables use that has no MAC
 * yet (after changes, and every few seconds while some are missing). */
static void prewarm(void)
{
	static const struct timeval again = { 3, 0 };
	struct vrf *vrf;
	char err[160];
	size_t i, missing = 0;

	for (i = 0; i < F.capwant; i++) {
		int port = (int)(F.want[i] >> 32);
		uint32_t ip = (uint32_t)F.want[i];

		if (F.want[i] == 0 || port >= FWD_MAX_PORTS || !F.port[port].used ||
		    neigh_known(port, ip) || (vrf = vrf_lookup_id(F.port[port].vrf_id)) == NULL)
			continue;
		missing++;
		if (nl_neigh_resolve(F.port[port].vrf_id ? vrf->nsfd : -1, F.port[port].ifindex, ip,
				     err, sizeof(err)) != 0)
			log_debug("dataplane: resolving on %s: %s", F.port[port].name, err);
	}
	if (missing > 0 && F.ev_prewarm != NULL)
		event_add(F.ev_prewarm, &again);
}

static void prewarm_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	prewarm();
}

/* ---- the sync event ---- */

static void sync_cb(evutil_socket_t fd, short what, void *arg)
{
	struct vrf *v;

	(void)fd;
	(void)what;
	(void)arg;
	if (F.ports_dirty) {
		F.ports_dirty = false;
		ports_sync();
		for (v = vrf_first(); v != NULL; v = vrf_next(v))
			vrf_publish(v);
	}
	if (F.neigh_dirty) {
		F.neigh_dirty = false;
		neigh_flush();
	}
	if (F.resolve_dirty) {
		F.resolve_dirty = false;
		if (F.want != NULL)
			memset(F.want, 0, F.capwant * sizeof(*F.want));
		F.nwant = 0;
		vrf_nhg_walk(nhg_reresolve, NULL);
		lfib_reresolve_all();
		prewarm();
	}
	if (F.w != NULL)
		fwd_reclaim(F.w);
}

static void reclaim_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (F.w != NULL)
		fwd_reclaim(F.w);
}

void fwd_ctl_ifaces_changed(void)
{
	if (F.t == NULL)
		return;
	F.ports_dirty = F.resolve_dirty = true;
	schedule();
}

void fwd_ctl_route_changed(struct vrf *vrf, const struct rib_dest *d)
{
	if (F.t == NULL)
		return;
	/* core routes move VPN next hops; connected VRF routes move CE next
	 * hops learned over BGP; VRF routes move per-nexthop labels */
	if (vrf->id == VRF_DEFAULT_ID || F.nh_labels > 0 || d->selected == NULL ||
	    d->selected->proto == RIB_CONNECTED) {
		F.resolve_dirty = true;
		schedule();
	}
}

uint32_t fwd_ctl_customer_mtu(uint32_t vrf_id, const char *ifname)
{
	uint32_t core = 0, mtu;
	int idx = port_by_name(vrf_id, ifname), i;
	struct fwd_port_cfg *c;

	if (vrf_id == VRF_DEFAULT_ID || idx < 0 || F.t == NULL)
		return 0;
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		c = atomic_load_explicit(&F.t->port[i], memory_order_relaxed);
		if (c != NULL && c->vrf_id == VRF_DEFAULT_ID && c->up && (core == 0 || c->mtu < core))
			core = c->mtu;
	}
	c = atomic_load_explicit(&F.t->port[idx], memory_order_relaxed);
	mtu = c != NULL ? c->mtu : 1500;
	if (core > CORE_ENCAP && core - CORE_ENCAP < mtu)
		mtu = core - CORE_ENCAP;
	return mtu;
}

/* ---- show / clear / config ---- */

static void counters_json(json_object *o, const struct fwd_counters *c,
			  const struct fwd_counters *base)
{
	json_object *drops = json_object_new_object();
	uint64_t total = 0;
	int d;

	json_object_object_add(o, "rxPackets", json_object_new_int64((int64_t)(c->rx_pkts - base->rx_pkts)));
	json_object_object_add(o, "rxBytes", json_object_new_int64((int64_t)(c->rx_bytes - base->rx_bytes)));
	json_object_object_add(o, "txPackets", json_object_new_int64((int64_t)(c->tx_pkts - base->tx_pkts)));
	json_object_object_add(o, "txBytes", json_object_new_int64((int64_t)(c->tx_bytes - base->tx_bytes)));
	json_object_object_add(o, "punted", json_object_new_int64((int64_t)(c->punt - base->punt)));
	json_object_object_add(o, "icmpSent",
			       json_object_new_int64((int64_t)(c->icmp_sent - base->icmp_sent)));
	for (d = 1; d < FWD_DROP_MAX; d++) {
		uint64_t v = c->drop[d] - base->drop[d];

		total += v;
		json_object_object_add(drops, fwd_drop_name((enum fwd_drop)d),
				       json_object_new_int64((int64_t)v));
	}
	json_object_object_add(o, "dropped", json_object_new_int64((int64_t)total));
	json_object_object_add(o, "drops", drops);
}

static void counters_text(struct cli *cli, const struct fwd_counters *c,
			  const struct fwd_counters *base)
{
	int d;

	cli_out(cli, "    rx %llu packets %llu bytes, tx %llu packets %llu bytes, punted %llu, ICMP sent %llu\n",
		(unsigned long long)(c->rx_pkts - base->rx_pkts),
		(unsigned long long)(c->rx_bytes - base->rx_bytes),
		(unsigned long long)(c->tx_pkts - base->tx_pkts),
		(unsigned long long)(c->tx_bytes - base->tx_bytes),
		(unsigned long long)(c->punt - base->punt),
		(unsigned long long)(c->icmp_sent - base->icmp_sent));
	for (d = 1; d < FWD_DROP_MAX; d++)
		if (c->drop[d] != base->drop[d])
			cli_out(cli, "    dropped %s: %llu\n", fwd_drop_name((enum fwd_drop)d),
				(unsigned long long)(c->drop[d] - base->drop[d]));
}

static int show_dataplane_cmd(struct cli *cli, const struct cmd_args *a)
{
	bool json = cmd_has(a, "json");
	json_object *top = json_object_new_object(), *ports = json_object_new_object(),
		    *vrfs = json_object_new_object();
	struct fwd_counters c;
	struct vrf *v;
	int i;

	json_object_object_add(top, "workerRunning", json_object_new_boolean(F.running));
	json_object_object_add(top, "ttlMode", json_object_new_string(
			       atomic_load(&F.t->ttl_pipe) ? "pipe" : "uniform"));
	json_object_object_add(top, "resolveRequests",
			       json_object_new_int64((int64_t)F.resolve_requests));
	if (!json)
		cli_out(cli, "Dataplane: worker %s, TTL mode %s\n", F.running ? "running" : "idle",
			atomic_load(&F.t->ttl_pipe) ? "pipe" : "uniform");
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		struct port *p = &F.port[i];
		struct fwd_port_cfg *cfg;
		json_object *o;

		if (!p->used)
			continue;
		cfg = atomic_load(&F.t->port[i]);
		v = vrf_lookup_id(p->vrf_id);
		c = F.t->port_cnt[i];
		o = json_object_new_object();
		json_object_object_add(o, "vrf", json_object_new_string(v ? v->name : "?"));
		json_object_object_add(o, "role", json_object_new_string(p->vrf_id ? "customer" : "core"));
		json_object_object_add(o, "ifindex", json_object_new_int(p->ifindex));
		json_object_object_add(o, "up", json_object_new_boolean(cfg && cfg->up));
		json_object_object_add(o, "open", json_object_new_boolean(p->open));
		json_object_object_add(o, "mtu", json_object_new_int64(cfg ? cfg->mtu : 0));
		if (p->vrf_id)
			json_object_object_add(o, "customerMtu", json_object_new_int64(
					       fwd_ctl_customer_mtu(p->vrf_id, p->name)));
		if (p->open)
			p->ring_drops = fwd_worker_ring_drops(F.w, (uint16_t)i);
		json_object_object_add(o, "ringDrops", json_object_new_int64((int64_t)p->ring_drops));
		counters_json(o, &c, &p->base);
		json_object_object_add(ports, p->name, o);
		if (!json) {
			cli_out(cli, "  port %s (%s, VRF %s)%s mtu %u\n", p->name,
				p->vrf_id ? "customer" : "core", v ? v->name : "?",
				cfg && cfg->up ? "" : " DOWN", cfg ? cfg->mtu : 0);
			counters_text(cli, &c, &p->base);
		}
	}
	for (v = vrf_first(); v != NULL; v = vrf_next(v)) {
		json_object *o = json_object_new_object();

		if (v->id >= FWD_MAX_VRFS)
			continue;
		c = F.t->vrf_cnt[v->id];
		json_object_object_add(o, "vrfId", json_object_new_int64(v->id));
		counters_json(o, &c, &F.vrf_base[v->id]);
		json_object_object_add(vrfs, v->name, o);
		if (!json) {
			cli_out(cli, "  VRF %s\n", v->name);
			counters_text(cli, &c, &F.vrf_base[v->id]);
		}
	}
	json_object_object_add(top, "ports", ports);
	json_object_object_add(top, "vrfs", vrfs);
	if (json)
		cli_json(cli, top);
	else
		json_object_put(top);
	return CMD_SUCCESS;
}

static int clear_dataplane_cmd(struct cli *cli, const struct cmd_args *a)
{
	int i;

	(void)cli;
	(void)a;
	for (i = 0; i < FWD_MAX_PORTS; i++)
		F.port[i].base = F.t->port_cnt[i];
	for (i = 0; i < FWD_MAX_VRFS; i++)
		F.vrf_base[i] = F.t->vrf_cnt[i];
	return CMD_SUCCESS;
}

static const char *own_type(const struct lfib_own *o)
{
	return o->type == OWN_LDP ? "LDP" : "BGP";
}

static int show_mpls_table_cmd(struct cli *cli, const struct cmd_args *a)
{
	bool json = cmd_has(a, "json");
	json_object *top = json_object_new_object();
	char key[16], b[ADDR4_STRLEN], p[PREFIX4_STRLEN];
	uint32_t l;
	int i;

	if (!json)
		cli_out(cli, " Inbound Label  Type  Nexthop          Outbound Label  Interface\n"
			     " -------------------------------------------------------------------\n");
	for (l = 0; l < F.own_cap; l++) {
		struct lfib_own *o = F.own[l];
		struct fwd_nh *n;
		json_object *e, *nhs;

		if (o == NULL)
			continue;
		n = nh_current(l, true);
		e = json_object_new_object();
		nhs = json_object_new_array();
		snprintf(key, sizeof(key), "%u", l);
		json_object_object_add(e, "inLabel", json_object_new_int64(l));
		json_object_object_add(e, "installed", json_object_new_boolean(
				       n != NULL && (n->type == FWD_NH_FWD || n->type == FWD_NH_LOOKUP)));
		if (o->type == OWN_LDP)
			json_object_object_add(e, "prefix", json_object_new_string(
					       prefix4_ntop(&o->fec, p, sizeof(p))));
		else
			json_object_object_add(e, "vrf", json_object_new_string(o->vrf));
		if (n != NULL && n->type == FWD_NH_LOOKUP) {
			json_object *nh = json_object_new_object();

			json_object_object_add(nh, "type", json_object_new_string(own_type(o)));
			json_object_object_add(nh, "action", json_object_new_string("pop-lookup"));
			json_object_object_add(nh, "vrf", json_object_new_string(o->vrf));
			json_object_object_add(nh, "installed", json_object_new_boolean(true));
			json_object_array_add(nhs, nh);
			if (!json)
				cli_out(cli, " %13u  %-4s  %-16s %-15s %s\n", l, own_type(o),
					"-", "pop", o->vrf);
		}
		for (i = 0; n != NULL && n->type == FWD_NH_FWD && i < n->nadj; i++) {
			const struct fwd_adj *ad = &n->adj[i];
			json_object *nh = json_object_new_object();
			const char *ifn = ad->port < FWD_MAX_PORTS ? F.port[ad->port].name : "?";

			json_object_object_add(nh, "type", json_object_new_string(own_type(o)));
			if (ad->nlabels > 0)
				json_object_object_add(nh, "outLabel",
						       json_object_new_int64(ad->labels[0]));
			else
				json_object_object_add(nh, "outLabel",
						       json_object_new_int64(MPLS_LABEL_IMPLICIT_NULL));
			json_object_object_add(nh, "distance", json_object_new_int(
					       o->type == OWN_LDP ? 150 : 20));
			json_object_object_add(nh, "installed", json_object_new_boolean(true));
			json_object_object_add(nh, "nexthop", json_object_new_string(
					       addr4_ntop(ad->gw, b, sizeof(b))));
			json_object_object_add(nh, "interface", json_object_new_string(ifn));
			json_object_object_add(nh, "action", json_object_new_string(
					       ad->nlabels ? "swap" : "pop"));
			json_object_array_add(nhs, nh);
			if (!json) {
				char out[16];

				if (ad->nlabels)
					snprintf(out, sizeof(out), "%u", ad->labels[0]);
				else
					snprintf(out, sizeof(out), "implicit-null");
				cli_out(cli, " %13u  %-4s  %-16s %-15s %s\n", l, own_type(o), b, out, ifn);
			}
		}
		json_object_object_add(e, "nexthops", nhs);
		json_object_object_add(top, key, e);
	}
	if (json)
		cli_json(cli, top);
	else
		json_object_put(top);
	return CMD_SUCCESS;
}

static int propagate_ttl_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)cli;
	atomic_store(&F.t->ttl_pipe, cmd_is_no(a));
	return CMD_SUCCESS;
}

void fwd_ctl_config_write(struct cli *cli)
{
	if (F.t != NULL && atomic_load(&F.t->ttl_pipe))
		cli_out(cli, "no mpls ip propagate-ttl\n!\n");
}

static const struct cmd_def view_cmds[] = {
	{ "show dataplane [json]",
	  SHOW_STR "Forwarding plane: ports, VRFs, counters by cause\n" JSON_STR,
	  show_dataplane_cmd },
	{ "clear dataplane counters",
	  "Reset functions\n" "Forwarding plane\n" "Counters (the kernel's stay)\n",
	  clear_dataplane_cmd },
	{ "show mpls table [json]",
	  SHOW_STR "MPLS information\n" "MPLS table (installed LFIB)\n" JSON_STR,
	  show_mpls_table_cmd },
};

static const struct cmd_def config_cmds[] = {
	{ "[no] mpls ip propagate-ttl",
	  NO_STR "MPLS configuration\n" "IP\n"
	  "Copy the IP TTL into the labels and back (uniform mode; no: pipe mode, labels 255)\n",
	  propagate_ttl_cmd },
};

void fwd_ctl_init(void)
{
	F.t = fwd_tables_new();
	F.w = fwd_worker_new(F.t);
	vrf_set_nhg_notify(nhg_notify);
	cmd_install_table(NODE_VIEW, view_cmds, ARRAY_SIZE(view_cmds));
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
}

void fwd_ctl_start(void)
{
	static const struct timeval tick = { 0, 100000 };
	struct vrf *v;

	F.started = true;
	F.ev_sync = event_new(ped.base, -1, 0, sync_cb, NULL);
	F.ev_reclaim = event_new(ped.base, -1, EV_PERSIST, reclaim_cb, NULL);
	F.ev_prewarm = event_new(ped.base, -1, 0, prewarm_cb, NULL);
	event_add(F.ev_reclaim, &tick);
	F.ev_worker = event_new(ped.base, fwd_worker_event_fd(F.w), EV_READ | EV_PERSIST,
				resolve_requests, NULL);
	event_add(F.ev_worker, NULL);
	for (v = vrf_first(); v != NULL; v = vrf_next(v)) {
		fib_set_reclaim(v->fib, fib_defer, NULL);
		vrf_publish(v);
	}
	F.ports_dirty = F.resolve_dirty = F.neigh_dirty = true;
	schedule();
}

void fwd_ctl_fini(void)
{
	struct neigh_list *l, *ln;
	struct ldp_bound *b, *bn;
	struct vrf *v;
	uint32_t i;

	if (F.t == NULL)
		return;
	vrf_set_nhg_notify(NULL);
	if (F.w != NULL)
		fwd_worker_free(F.w); /* stops the thread, closes the ports */
	F.w = NULL;
	for (v = vrf_first(); v != NULL; v = vrf_next(v))
		fib_set_reclaim(v->fib, NULL, NULL);
	fwd_tables_free(F.t);
	F.t = NULL;
	if (F.ev_sync)
		event_free(F.ev_sync);
	if (F.ev_reclaim)
		event_free(F.ev_reclaim);
	if (F.ev_worker)
		event_free(F.ev_worker);
	if (F.ev_prewarm)
		event_free(F.ev_prewarm);
	free(F.want);
	for (l = F.neighs; l != NULL; l = ln) {
		ln = l->next;
		free(l->e);
		free(l);
	}
	for (i = 0; i < F.own_cap; i++)
		if (F.own[i] != NULL) {
			free(F.own[i]->paths);
			free(F.own[i]);
		}
	free(F.own);
	if (F.bound != NULL) {
		for (i = 0; i < BOUND_BUCKETS; i++)
			for (b = F.bound[i]; b != NULL; b = bn) {
				bn = b->next;
				free(b);
			}
		free(F.bound);
	}
	memset(&F, 0, sizeof(F));
}
