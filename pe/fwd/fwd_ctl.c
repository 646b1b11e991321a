/* Control plane -> forwarding plane (see fwd_ctl.h).
 *
 * What becomes a port: every interface present in a VRF namespace (a
 * customer port of that VRF) and, on a router that does MPLS (LDP enabled
 * or any VRF configured), every interface of ped's own namespace but lo (a
 * core port: MPLS frames only). Ports are (VRF id, ifindex); a move or a
 * rename closes and reopens.
 *
 * Next hops: each VRF next-hop group id (vrf/vrf.c interns them; the FIBs
 * of both families store the id) gets a struct fwd_nh before a FIB uses the
 * id. A member in the VRF itself (connected, static, a CE's BGP route) is an
 * adjacency on the VRF port, toward an IPv4 or IPv6 gateway (an IPv4-mapped
 * one is its IPv4 address); a member reached through the core (an imported
 * VPN route: gateway = remote PE, IPv4 or IPv4-mapped for VPN-IPv6 (6VPE),
 * label = its VPN label) is resolved through LDP: the labelled paths of the
 * core route covering the remote PE give the port, the next hop and the
 * transport label (none for implicit-null); without an LDP binding, the
 * core route's next hop with the VPN label only. Any change of core routes,
 * LDP bindings or ports re-resolves every group once per event-loop turn (a
 * new fwd_nh is published only if it differs).
 *
 * LFIB: LDP's entries (swap/pop toward the next LSR) and BGP's VPN labels
 * (per-VRF and per-prefix: pop and look up in the VRF; per-nexthop: pop and
 * send to that CE, IPv4 or IPv6).
 *
 * Neighbors: the kernel's ARP and ND entries of each port (two snapshots);
 * missing ones are asked for (nl_neigh_resolve) when the worker drops for
 * them and ahead of traffic for every gateway the tables use.
 *
 * Memory the worker may still read is released through the worker's epochs
 * (fwd_defer_free), VRF FIBs included (fib_set_reclaim, fib6_set_reclaim). */
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
#include "mpbgp/speaker.h"
#include "pe/fwd/fwd.h"
#include "pe/fwd/fwd_ctl.h"
#include "pe/fwd/fwd_ctl_priv.h"
#include "pe/fwd/worker.h"
#include "pe/iface.h"
#include "pe/ped.h"
#include "vrf/fib.h"
#include "vrf/fib6.h"
#include "vrf/vrf.h"


/* ---- state ---- */
struct fwd_ctl_state fc;

static void defer(void *p)
{
	if (p == NULL)
		return;
	if (fc.w != NULL)
		fwd_defer_free(fc.w, p);
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

	if (fc.ev_sync != NULL)
		event_add(fc.ev_sync, &zero);
}

/* ---- ports ---- */

static int port_find(uint32_t vrf_id, int ifindex)
{
	int i;

	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (fc.port[i].used && fc.port[i].vrf_id == vrf_id && fc.port[i].ifindex == ifindex)
			return i;
	return -1;
}

static int port_by_name(uint32_t vrf_id, const char *name)
{
	int i;

	if (name == NULL || name[0] == '\0')
		return -1;
	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (fc.port[i].used && fc.port[i].vrf_id == vrf_id && strcmp(fc.port[i].name, name) == 0)
			return i;
	return -1;
}

static struct neigh_list *neigh_list_get(uint32_t vrf_id, int ifindex, bool create)
{
	struct neigh_list *l;

	for (l = fc.neighs; l != NULL; l = l->next)
		if (l->vrf_id == vrf_id && l->ifindex == ifindex)
			return l;
	if (!create)
		return NULL;
	l = xcalloc(1, sizeof(*l));
	l->vrf_id = vrf_id;
	l->ifindex = ifindex;
	l->next = fc.neighs;
	fc.neighs = l;
	return l;
}

static void neigh_publish(int idx)
{
	struct neigh_list *l = neigh_list_get(fc.port[idx].vrf_id, fc.port[idx].ifindex, false);
	struct fwd_neigh_tab *nt = NULL, *old;
	struct fwd_neigh6_tab *nt6 = NULL, *old6;

	if (l != NULL && l->n > 0)
		nt = fwd_neigh_build(l->e, l->n);
	old = atomic_exchange_explicit(&fc.t->neigh[idx], nt, memory_order_release);
	be_neigh(idx, old, nt);
	defer(old);
	if (l != NULL && l->n6 > 0)
		nt6 = fwd_neigh6_build(l->e6, l->n6);
	old6 = atomic_exchange_explicit(&fc.t->neigh6[idx], nt6, memory_order_release);
	be_neigh6(idx, old6, nt6);
	defer(old6);
}

/* Kernel forwarding stays off for VRF ports (architecture), IPv4 and IPv6:
 * transit packets are the dataplane's, the kernel drops its copy silently. */
static void vrf_port_kernel_fwd_off(int nsfd, const char *ifname)
{
	static const char *const fam[] = { "ipv4", "ipv6" };
	char path[96];
	int self = netns_self(), fd;
	size_t k;

	if (nsfd < 0 || self < 0 || setns(nsfd, CLONE_NEWNET) != 0)
		return;
	for (k = 0; k < sizeof(fam) / sizeof(fam[0]); k++) {
		snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/forwarding", fam[k], ifname);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (write(fd, "0", 1) != 1)
				log_warn("%s", path);
			close(fd);
		}
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
	struct port *p = &fc.port[idx];
	struct fwd_port_cfg *old;

	be_port_close(idx);
	if (p->open)
		fwd_worker_port_close(fc.w, (uint16_t)idx);
	old = atomic_exchange_explicit(&fc.t->port[idx], NULL, memory_order_release);
	defer(old);
	defer(atomic_exchange_explicit(&fc.t->neigh[idx], NULL, memory_order_release));
	defer(atomic_exchange_explicit(&fc.t->neigh6[idx], NULL, memory_order_release));
	log_info("dataplane: port %s (VRF id %u) removed", p->name, p->vrf_id);
	memset(p, 0, sizeof(*p));
	fc.resolve_dirty = true;
}

/* An IPv6 address an interface can send ICMPv6 errors from (RFC 4443 2.2):
 * a global one, else its link-local one, else none (all zero). */
static void port_addr6(const struct iface *i, uint8_t a6[16])
{
	struct ipaddr a;
	int k, ll = -1;

	memset(a6, 0, 16);
	for (k = 0; k < i->nkaddr; k++) {
		if (i->kaddr[k].af != AF_INET6)
			continue;
		a = prefix_addr(&i->kaddr[k]);
		if (ipaddr_is_linklocal(&a)) {
			if (ll < 0)
				ll = k;
			continue;
		}
		if (a.v6[0] == 0xff || ipaddr_is_zero(&a) || ipaddr_v4mapped(&a, &(uint32_t){ 0 }))
			continue;
		memcpy(a6, a.v6, 16);
		return;
	}
	if (ll >= 0)
		memcpy(a6, i->kaddr[ll].v6, 16);
}

static void port_update(const struct iface *i)
{
	struct vrf *vrf = vrf_lookup_id(i->kvrf);
	struct fwd_port_cfg *cfg, *old;
	char err[200];
	int idx = port_find(i->kvrf, i->ifindex), k, nsfd;

	if (vrf == NULL)
		return;
	nsfd = i->kvrf ? vrf->nsfd : -1;
	if (idx < 0) {
		for (idx = 0; idx < FWD_MAX_PORTS && fc.port[idx].used; idx++)
			;
		if (idx == FWD_MAX_PORTS) {
			log_warnx("dataplane: more than %d ports, %s not forwarded", FWD_MAX_PORTS,
				  i->name);
			return;
		}
		memset(&fc.port[idx], 0, sizeof(fc.port[idx]));
		fc.port[idx].used = true;
		fc.port[idx].vrf_id = i->kvrf;
		fc.port[idx].ifindex = i->ifindex;
		/* counters of a reused index start from zero for this port */
		be_port_counters(idx, &fc.port[idx].base);
		fc.resolve_dirty = true;
	}
	snprintf(fc.port[idx].name, sizeof(fc.port[idx].name), "%s", i->name);
	cfg = xcalloc(1, sizeof(*cfg));
	cfg->idx = (uint16_t)idx;
	cfg->ifindex = i->ifindex;
	cfg->vrf_id = i->kvrf;
	memcpy(cfg->mac, i->mac, 6);
	cfg->mtu = i->mtu ? i->mtu : 1500;
	cfg->up = i->up && i->running;
	snprintf(cfg->name, sizeof(cfg->name), "%s", i->name);
	for (k = 0; k < i->nkaddr; k++)
		if (i->kaddr[k].af == AF_INET && (i->kaddr[k].v4 >> 24) != 127) {
			cfg->addr = i->kaddr[k].v4;
			break;
		}
	port_addr6(i, cfg->addr6);
	old = atomic_load_explicit(&fc.t->port[idx], memory_order_relaxed);
	if (old != NULL && memcmp(old, cfg, sizeof(*cfg)) == 0) {
		free(cfg);
	} else {
		if (old == NULL || old->up != cfg->up || old->mtu != cfg->mtu)
			fc.resolve_dirty = true;
		atomic_store_explicit(&fc.t->port[idx], cfg, memory_order_release);
		be_port_cfg(idx, cfg, nsfd);
		defer(old);
	}
	if (!fc.port[idx].open) {
		enum fwd_port_kind kind = i->kvrf ? FWD_PORT_VRF : FWD_PORT_CORE;

		if (i->kvrf)
			vrf_port_kernel_fwd_off(vrf->nsfd, i->name);
		kind = be_port_open(idx, i->name, nsfd, i->ifindex,
				    atomic_load_explicit(&fc.t->port[idx], memory_order_relaxed), kind);
		if (fwd_worker_port_open(fc.w, (uint16_t)idx, nsfd, i->ifindex, kind, i->mac, err,
					 sizeof(err)) != 0) {
			log_warnx("dataplane: port %s: %s", i->name, err);
			be_port_close(idx);
			return;
		}
		fc.port[idx].open = true;
		neigh_publish(idx);
		log_info("dataplane: port %s open (%s, VRF %s, %s%s%s)", i->name,
			 !i->kvrf ? "core" : localport_name(i->name) ? "local" : "customer", vrf->name,
			 fwd_backend_name(fc.port[idx].backend), fc.port[idx].be_why[0] ? ": " : "",
			 fc.port[idx].be_why);
		if (!fc.running && fwd_worker_start(fc.w, -1) == 0)
			fc.running = true;
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
		if (fc.port[idx].used && !keep[idx])
			port_close(idx);
}

/* ---- VRFs ---- */

static void vrf_publish(struct vrf *vrf)
{
	struct fwd_vrf *fv, *old;
	const struct iface *i;
	char lname[16];
	int k, lp;

	if (vrf->id >= FWD_MAX_VRFS) {
		/* once, not per VRF: with 100k VRFs a line each would bury the log */
		static bool said;

		if (!said)
			log_warnx("dataplane: more than %d VRFs: VRF %s (id %u) and every VRF with "
				  "a higher id are routed but not forwarded",
				  FWD_MAX_VRFS - 1, vrf->name, vrf->id);
		said = true;
		return;
	}
	fv = xcalloc(1, sizeof(*fv));
	fv->id = vrf->id;
	fv->fib = vrf->fib;
	fv->fib6 = vrf->fib6;
	localport_fwd_name(vrf->id, lname);
	if ((lp = port_by_name(vrf->id, lname)) >= 0 && fc.port[lp].open) {
		fv->has_local = true;
		fv->local_adj.port = (uint16_t)lp;
		fv->local_adj.gw_af = AF_INET;
		fv->local_adj.gw = LOCALPORT_HOST4;
	}
	for (i = iface_first(); i != NULL; i = i->next) {
		if (!i->present || i->kvrf != vrf->id)
			continue;
		for (k = 0; k < i->nkaddr; k++) {
			if (i->kaddr[k].af == AF_INET && fv->nlocal < FWD_MAX_LOCAL)
				fv->local[fv->nlocal++] = i->kaddr[k].v4;
			/* link-local destinations are punted whatever they are */
			if (i->kaddr[k].af == AF_INET6 && fv->nlocal6 < FWD_MAX_LOCAL &&
			    !(i->kaddr[k].v6[0] == 0xfe && (i->kaddr[k].v6[1] & 0xc0) == 0x80))
				memcpy(fv->local6[fv->nlocal6++], i->kaddr[k].v6, 16);
		}
	}
	old = atomic_load_explicit(&fc.t->vrf[vrf->id], memory_order_relaxed);
	if (old != NULL && memcmp(old, fv, sizeof(*fv)) == 0) {
		free(fv);
		return;
	}
	atomic_store_explicit(&fc.t->vrf[vrf->id], fv, memory_order_release);
	be_vrf(vrf->id, old, fv);
	defer(old);
}

void fwd_ctl_vrf_created(struct vrf *vrf)
{
	if (fc.t == NULL)
		return;
	fib_set_reclaim(vrf->fib, fib_defer, NULL);
	fib6_set_reclaim(vrf->fib6, fib_defer, NULL);
	be_vrf_fib(vrf, true);
	vrf_publish(vrf);
	fc.ports_dirty = fc.resolve_dirty = true;
	schedule();
}

void fwd_ctl_vrf_deleted(struct vrf *vrf)
{
	struct fwd_vrf *old;

	if (fc.t == NULL || vrf->id >= FWD_MAX_VRFS)
		return;
	old = atomic_exchange_explicit(&fc.t->vrf[vrf->id], NULL, memory_order_release);
	be_vrf(vrf->id, old, NULL);
	be_vrf_fib(vrf, false);
	if (fc.w != NULL)
		fwd_synchronize(fc.w); /* the FIB is freed right after */
	defer(old);
	fc.ports_dirty = fc.resolve_dirty = true;
	schedule();
}

/* ---- next-hop resolution ---- */

/* LDP's labelled paths for exactly fec, read in its LIB (the one copy of
 * them); 0 if none or LDP does not run. */
int fwd_ctl_ldp_paths(const struct prefix4 *fec, const struct lde_path **paths)
{
	*paths = NULL;
	return ldpd_lde() != NULL ? lde_fec_paths(ldpd_lde(), fec, paths) : 0;
}

void fwd_ctl_ldp_paths_changed(void)
{
	if (fc.t == NULL)
		return;
	fc.resolve_dirty = true;
	schedule();
}

/* fwd_nh_new(type, FWD_MAX_ADJ) trimmed to the adjacencies used */
static struct fwd_nh *nh_shrink(struct fwd_nh *n)
{
	unsigned k = (unsigned)n->nadj + n->nbackup;

	return xrealloc(n, sizeof(*n) + sizeof(n->adj[0]) * (k ? k : 1));
}

static void want_gw(int port, const struct ipaddr *gw)
{
	size_t i, h;

	if (ipaddr_is_zero(gw))
		return;
	if (fc.nwant * 2 >= fc.capwant) {
		struct want_gw *old = fc.want;
		size_t oldcap = fc.capwant;

		fc.capwant = fc.capwant ? fc.capwant * 2 : 64;
		fc.want = xcalloc(fc.capwant, sizeof(*fc.want));
		fc.nwant = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].used)
				want_gw(old[i].port, &old[i].ip);
		free(old);
	}
	for (h = ipaddr_hash(gw, (uint32_t)port) & (fc.capwant - 1); fc.want[h].used;
	     h = (h + 1) & (fc.capwant - 1))
		if (fc.want[h].port == port && ipaddr_equal(&fc.want[h].ip, gw))
			return;
	fc.want[h].used = true;
	fc.want[h].port = (uint16_t)port;
	fc.want[h].ip = *gw;
	fc.nwant++;
	if (fc.ev_prewarm != NULL) { /* a new gateway: resolve it soon */
		static const struct timeval soon = { 0, 0 };

		event_add(fc.ev_prewarm, &soon);
	}
}

/* The dataplane's core is IPv4: an IPv4 address, or the IPv4 address in an
 * IPv4-mapped IPv6 one (a 6VPE next hop: the remote PE's loopback, reached
 * over the IPv4 LSP; a CE's IPv4 address in an IPv6 route). false for
 * other IPv6 addresses. */
static bool gw4(const struct ipaddr *a, uint32_t *v4)
{
	if (a->af == AF_INET) {
		*v4 = a->v4;
		return true;
	}
	if (a->af == 0) {
		*v4 = 0;
		return true;
	}
	return ipaddr_v4mapped(a, v4);
}

/* An adjacency toward gw: IPv4 (or IPv4-mapped), IPv6 (a CE's address), or
 * none (af 0: directly connected). */
static bool adj_add_ip(struct fwd_nh *n, int port, const struct ipaddr *gw, const uint32_t *labels,
		       int nl)
{
	struct fwd_adj *a;
	struct ipaddr g4;
	uint32_t v4;

	if (port < 0 || n->nadj >= FWD_MAX_ADJ || nl > FWD_MAX_PUSH)
		return false;
	a = &n->adj[n->nadj++];
	memset(a, 0, sizeof(*a));
	a->port = (uint16_t)port;
	if (gw4(gw, &v4)) {
		g4 = ipaddr_v4(v4);
		want_gw(port, &g4);
		a->gw = v4;
	} else {
		want_gw(port, gw);
		a->gw_af = AF_INET6;
		memcpy(a->gw6, gw->v6, 16);
	}
	a->nlabels = (uint8_t)nl;
	memcpy(a->labels, labels, sizeof(labels[0]) * (size_t)nl);
	return true;
}

static bool adj_add(struct fwd_nh *n, int port, uint32_t gw, const uint32_t *labels, int nl)
{
	struct ipaddr g = ipaddr_v4(gw);

	return adj_add_ip(n, port, &g, labels, nl);
}

/* Adjacencies toward remote PE `pe` pushing vpn labels under the transport
 * label. */
static void resolve_remote(struct fwd_nh *n, uint32_t pe, const uint32_t *vpn, int nvpn)
{
	struct vrf *core = vrf_default();
	struct ipaddr pea = ipaddr_v4(pe);
	struct rib_dest *d = rib_match(core->rib, &pea);
	struct prefix4 fec;
	const struct lde_path *lp;
	uint32_t stack[FWD_MAX_PUSH];
	int i, np;

	if (d == NULL || d->selected == NULL || nvpn > FWD_MAX_PUSH - 1)
		return;
	fec = prefix_to4(&d->pfx);
	if ((np = fwd_ctl_ldp_paths(&fec, &lp)) > 0) {
		for (i = 0; i < np; i++) {
			int nl = 0;

			if (lp[i].label != MPLS_LABEL_IMPLICIT_NULL)
				stack[nl++] = lp[i].label;
			memcpy(stack + nl, vpn, sizeof(vpn[0]) * (size_t)nvpn);
			adj_add(n, port_by_name(VRF_DEFAULT_ID, lp[i].ifname),
				lp[i].nexthop ? lp[i].nexthop : pe, stack, nl + nvpn);
		}
		return;
	}
	/* no LDP binding: the core route's next hop, VPN label only (a remote
	 * PE one hop away, or `no bgp labelled-nexthop-resolution`) */
	for (i = 0; i < d->selected->nh_count; i++) {
		const struct rib_nh *nh = &d->selected->nh[i];

		uint32_t g;

		if (!nh->active || nh->blackhole || !gw4(&nh->gw, &g))
			continue;
		adj_add(n, port_by_name(VRF_DEFAULT_ID, nh->ifname[0] ? nh->ifname : nh->res_ifname),
			g ? g : pe, vpn, nvpn);
	}
}

/* The port of a next hop in a VRF: its interface, else the interface of the
 * VRF route covering the gateway (BGP routes from a CE come unresolved:
 * the CE's address is on a connected subnet), of the gateway's family. */
static int port_in_vrf(uint32_t vrf_id, const char *ifname, const struct ipaddr *gw0)
{
	struct ipaddr gw = *gw0;
	struct vrf *vrf;
	struct rib_dest *d;
	int i, depth, port = port_by_name(vrf_id, ifname);
	uint32_t v4;

	if (port >= 0 || ipaddr_is_zero(&gw) || (vrf = vrf_lookup_id(vrf_id)) == NULL)
		return port;
	if (gw.af == AF_INET6 && ipaddr_v4mapped(&gw, &v4))
		gw = ipaddr_v4(v4); /* a CE's IPv4 address in an IPv6 route */
	for (depth = 0; depth < 3; depth++) {
		if ((d = rib_match(vrf->rib, &gw)) == NULL || d->selected == NULL)
			return -1;
		for (i = 0; i < d->selected->nh_count; i++) {
			const struct rib_nh *nh = &d->selected->nh[i];

			if (!nh->active || nh->blackhole || (nh->nh_vrf_set && nh->nh_vrf_id != vrf_id))
				continue;
			port = port_by_name(vrf_id, nh->ifname[0] ? nh->ifname : nh->res_ifname);
			if (port >= 0)
				return port;
			if (nh->gw.af == gw.af && !ipaddr_is_zero(&nh->gw) &&
			    !ipaddr_equal(&nh->gw, &gw))
				break;
		}
		if (i == d->selected->nh_count || d->selected->nh[i].gw.af != gw.af)
			return -1;
		gw = d->selected->nh[i].gw;
	}
	return -1;
}

/* ---- PIC edge: remote PE liveness ----
 *
 * A next hop whose primaries all go to one remote PE and that has backups
 * (through another PE) names that PE's slot. The slot is down while a BFD
 * session to the PE's address that was up is down (a failure, not an
 * administrative down), or while the core has no path to the PE. Taking a
 * slot down is one store for the worker and one map write for XDP, so every
 * prefix behind that PE moves to its backup at once, before BGP withdraws
 * or re-selects anything; the groups are then re-resolved as usual. */
struct pe_slot {
	uint32_t addr;        /* host order; 0: free */
	bool bfd_down, core_down, bgp_down, down;
	uint64_t changes;     /* down and up transitions */
	struct timespec since; /* of the last transition (CLOCK_REALTIME) */
};
static struct pe_slot pe_slots[FWD_MAX_PE]; /* slot 0 unused: "none" */
static uint32_t pe_nslots = 1;

static uint32_t pe_slot_find(uint32_t addr, bool create)
{
	uint32_t i;

	for (i = 1; i < pe_nslots; i++)
		if (pe_slots[i].addr == addr)
			return i;
	if (!create || addr == 0 || pe_nslots >= FWD_MAX_PE)
		return 0; /* full: such next hops get no backup */
	pe_slots[pe_nslots].addr = addr;
	return pe_nslots++;
}

static void pe_slot_update(uint32_t i, const char *why)
{
	struct pe_slot *ps = &pe_slots[i];
	bool down = ps->bfd_down || ps->core_down || ps->bgp_down;
	char a[IPADDR_STRLEN];

	if (down == ps->down)
		return;
	ps->down = down;
	ps->changes++;
	clock_gettime(CLOCK_REALTIME, &ps->since);
	if (fc.t != NULL)
		atomic_store_explicit(&fc.t->pe_down[i], down, memory_order_relaxed);
	be_pe_down(i, down);
	log_info("PIC: remote PE %s %s (%s): its next hops %s", addr4_ntop(ps->addr, a, sizeof(a)),
		 down ? "down" : "up", why, down ? "use their backups" : "use it again");
}

void fwd_ctl_pe_bfd(const struct ipaddr *pe, bool down)
{
	uint32_t v4, i;

	if (!ipaddr_v4mapped(pe, &v4) && pe->af != AF_INET)
		return;
	if (pe->af == AF_INET)
		v4 = pe->v4;
	if ((i = pe_slot_find(v4, down)) == 0)
		return;
	pe_slots[i].bfd_down = down;
	pe_slot_update(i, "BFD");
}

bool fwd_ctl_pe_slot(uint32_t slot, char *addr, size_t len)
{
	if (slot == 0 || slot >= pe_nslots) {
		snprintf(addr, len, "?");
		return false;
	}
	addr4_ntop(pe_slots[slot].addr, addr, len);
	return pe_slots[slot].down;
}

void fwd_ctl_pe_bgp(const struct ipaddr *pe, bool lost)
{
	uint32_t v4, i;

	if (pe->af == AF_INET)
		v4 = pe->v4;
	else if (!ipaddr_v4mapped(pe, &v4))
		return;
	if ((i = pe_slot_find(v4, lost)) == 0)
		return;
	pe_slots[i].bgp_down = lost;
	pe_slot_update(i, "BGP session lost");
}

static void resolve_remote(struct fwd_nh *n, uint32_t pe, const uint32_t *vpn, int nvpn);

/* After a change of core routes, LDP bindings or ports: slots whose PE the
 * core cannot reach any more go down before the groups are re-resolved. */
static void pe_core_check(void)
{
	struct fwd_nh *n = fwd_nh_new(FWD_NH_FWD, FWD_MAX_ADJ);
	uint32_t i, none[1] = { 0 };

	for (i = 1; i < pe_nslots; i++) {
		struct ipaddr a = ipaddr_v4(pe_slots[i].addr);

		n->nadj = 0;
		resolve_remote(n, pe_slots[i].addr, none, 0);
		/* no core route, or (LDP running) no transport label for it */
		pe_slots[i].core_down = n->nadj == 0 || !speaker_vpn_nh_usable(&a);
		pe_slot_update(i, "no core path or LDP label");
	}
	free(n);
}

void fwd_ctl_pic_json(json_object *top)
{
	json_object *arr = json_object_new_array();
	char a[IPADDR_STRLEN];
	uint32_t i;

	for (i = 1; i < pe_nslots; i++) {
		const struct pe_slot *ps = &pe_slots[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "address",
				       json_object_new_string(addr4_ntop(ps->addr, a, sizeof(a))));
		json_object_object_add(o, "slot", json_object_new_int64(i));
		json_object_object_add(o, "state", json_object_new_string(ps->down ? "down" : "up"));
		if (ps->down)
			json_object_object_add(o, "downReason",
					       json_object_new_string(ps->bfd_down    ? "bfd"
								      : ps->core_down ? "noCorePath"
										      : "bgpSessionLost"));
		json_object_object_add(o, "transitions", json_object_new_int64((int64_t)ps->changes));
		if (ps->changes > 0)
			json_object_object_add(o, "lastChangeEpochMsecs",
					       json_object_new_int64((int64_t)ps->since.tv_sec * 1000 +
								     ps->since.tv_nsec / 1000000));
		json_object_array_add(arr, o);
	}
	json_object_object_add(top, "picRemotePes", arr);
}

/* The remote PE a group member goes to (host order), 0 if none. */
static uint32_t member_pe(const struct vrf_nhg *g, const struct vrf_nh *m)
{
	uint32_t gw;

	if (m->blackhole || m->nh_vrf_id != VRF_DEFAULT_ID || g->vrf_id == VRF_DEFAULT_ID ||
	    !gw4(&m->gw, &gw))
		return 0;
	return gw;
}

static void resolve_member(struct fwd_nh *n, const struct vrf_nhg *g, const struct vrf_nh *m)
{
	uint32_t gw = member_pe(g, m);

	if (gw != 0 || (m->nh_vrf_id == VRF_DEFAULT_ID && g->vrf_id != VRF_DEFAULT_ID)) {
		/* a remote PE: IPv4, or IPv4-mapped for 6VPE (no IPv6 core) */
		if (gw != 0)
			resolve_remote(n, gw, m->labels, m->nlabels);
		return;
	}
	/* a CE or a connected subnet, of either family, in this VRF or,
	 * leaked from another VRF of this PE, in that one: its port lives
	 * in that VRF's namespace (the neighbor table is the port's, XDP
	 * redirects across namespaces); no labels then */
	adj_add_ip(n, port_in_vrf(m->nh_vrf_id, m->ifname, &m->gw), &m->gw, m->labels, m->nlabels);
}

/* The primaries' adjacencies, then (PIC edge) the backups' when the
 * primaries all go to one remote PE: that PE's slot decides between them.
 * Primaries that resolve to nothing leave the backups as the only way. */
static struct fwd_nh *resolve_nhg(const struct vrf_nhg *g)
{
	struct fwd_nh *n = fwd_nh_new(FWD_NH_FWD, FWD_MAX_ADJ);
	int i, blackholes = 0, nprim;
	uint32_t pe = 0;
	bool one_pe = true;

	n->nadj = 0;
	for (i = 0; i < g->count; i++) {
		const struct vrf_nh *m = &g->nh[i];
		uint32_t mp;

		if (m->backup)
			continue;
		if (m->blackhole) {
			blackholes++;
			one_pe = false;
			continue;
		}
		mp = member_pe(g, m);
		if (mp == 0 || (pe != 0 && mp != pe))
			one_pe = false;
		pe = mp;
		resolve_member(n, g, m);
	}
	nprim = n->nadj;
	for (i = 0; i < g->count; i++)
		if (g->nh[i].backup && member_pe(g, &g->nh[i]) != pe)
			resolve_member(n, g, &g->nh[i]);
	if (n->nadj > nprim && nprim > 0) {
		uint32_t slot = one_pe && pe != 0 ? pe_slot_find(pe, true) : 0;

		if (slot != 0) {
			n->nbackup = (uint8_t)(n->nadj - nprim);
			n->pe_slot = slot;
		}
		n->nadj = (uint8_t)nprim;
	}
	if (n->nadj == 0)
		n->type = blackholes > 0 ? FWD_NH_DROP : FWD_NH_UNRESOLVED;
	return nh_shrink(n);
}

static bool nh_same(const struct fwd_nh *a, const struct fwd_nh *b)
{
	return a != NULL && b != NULL && a->type == b->type && a->nadj == b->nadj &&
	       a->nbackup == b->nbackup && a->pe_slot == b->pe_slot && a->vrf_id == b->vrf_id &&
	       memcmp(a->adj, b->adj, sizeof(a->adj[0]) * ((size_t)a->nadj + a->nbackup)) == 0;
}

struct fwd_nh *fwd_ctl_nh_current(uint32_t id, bool lfib)
{
	_Atomic(struct fwd_nh *) *arr =
		atomic_load_explicit(lfib ? &fc.t->lfib : &fc.t->nh, memory_order_relaxed);
	uint32_t cap = atomic_load_explicit(lfib ? &fc.t->lfib_cap : &fc.t->nh_cap,
					    memory_order_relaxed);

	return arr != NULL && id < cap ? atomic_load_explicit(&arr[id], memory_order_relaxed)
				       : NULL;
}

/* Publishes n for id unless equal to what is there (n is consumed). */
static void nh_install(uint32_t id, struct fwd_nh *n, bool lfib)
{
	struct fwd_nh *old = fwd_ctl_nh_current(id, lfib);

	if (n != NULL && nh_same(old, n)) {
		free(n);
		return;
	}
	if (lfib)
		old = fwd_set_lfib(fc.t, id, n, defer);
	else
		old = fwd_set_nh(fc.t, id, n, defer);
	be_nh(id, n, lfib);
	defer(old);
}

static void nhg_notify(const struct vrf_nhg *g, bool add)
{
	if (fc.t == NULL || g->vrf_id == VRF_DEFAULT_ID)
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
	if (l >= fc.own_cap) {
		uint32_t cap = fc.own_cap ? fc.own_cap : 1024;

		if (!create || l > MPLS_LABEL_MAX)
			return NULL;
		while (cap <= l)
			cap *= 2;
		fc.own = xrealloc(fc.own, cap * sizeof(*fc.own));
		memset(fc.own + fc.own_cap, 0, (cap - fc.own_cap) * sizeof(*fc.own));
		fc.own_cap = cap;
	}
	if (fc.own[l] == NULL && create)
		fc.own[l] = xcalloc(1, sizeof(*fc.own[l]));
	return fc.own[l];
}

/* A new owner for o, keeping the count of per-next-hop labels. */
static void own_set(struct lfib_own *o, const struct label_owner *own)
{
	if (o->owner.kind == LABEL_OWN_VRF_NEXTHOP)
		fc.nh_labels--;
	if (own->kind == LABEL_OWN_VRF_NEXTHOP)
		fc.nh_labels++;
	o->owner = *own;
}

static void own_del(mpls_label_t l)
{
	struct lfib_own *o = own_get(l, false);

	if (o == NULL)
		return;
	if (o->owner.kind == LABEL_OWN_VRF_NEXTHOP)
		fc.nh_labels--;
	free(o);
	fc.own[l] = NULL;
	nh_install(l, NULL, true);
}

static struct fwd_nh *lfib_resolve(const struct lfib_own *o)
{
	struct vrf *vrf;
	struct fwd_nh *n;
	struct rib_dest *d;
	uint32_t lab;
	int i;

	switch (o->owner.kind) {
	case LABEL_OWN_LDP: {
		struct prefix4 fec = prefix_to4(&o->owner.prefix);
		const struct lde_path *lp;
		int np = fwd_ctl_ldp_paths(&fec, &lp);

		n = fwd_nh_new(FWD_NH_FWD, FWD_MAX_ADJ);
		n->nadj = 0;
		for (i = 0; i < np; i++) {
			lab = lp[i].label;
			adj_add(n, port_by_name(VRF_DEFAULT_ID, lp[i].ifname), lp[i].nexthop, &lab,
				lab == MPLS_LABEL_IMPLICIT_NULL ? 0 : 1);
		}
		if (n->nadj == 0)
			n->type = FWD_NH_UNRESOLVED;
		return nh_shrink(n);
	}
	case LABEL_OWN_VRF_NEXTHOP:
		/* pop and send to that CE, through the VRF's route to it */
		if ((vrf = vrf_lookup_id(o->owner.vrf_id)) == NULL || vrf->id >= FWD_MAX_VRFS)
			return NULL;
		d = rib_match(vrf->rib, &o->owner.nexthop);
		if (d != NULL && d->selected != NULL) {
			for (i = 0; i < d->selected->nh_count; i++) {
				const struct rib_nh *nh = &d->selected->nh[i];
				int port = port_by_name(vrf->id, nh->ifname[0] ? nh->ifname
									       : nh->res_ifname);

				if (!nh->active || nh->blackhole || port < 0)
					continue;
				/* the route's gateway, or the CE itself when connected
				 * (either family: an IPv6 CE for IPv6 routes) */
				n = fwd_nh_new(FWD_NH_FWD, 1);
				n->nadj = 0;
				adj_add_ip(n, port,
					   ipaddr_is_zero(&nh->gw) ? &o->owner.nexthop : &nh->gw,
					   NULL, 0);
				return n;
			}
		}
		/* not reachable now: the VRF lookup finds the best way */
		__attribute__((fallthrough));
	case LABEL_OWN_VRF:
	case LABEL_OWN_VRF_PREFIX:
		if ((vrf = vrf_lookup_id(o->owner.vrf_id)) == NULL || vrf->id >= FWD_MAX_VRFS)
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

	for (l = 0; l < fc.own_cap; l++)
		if (fc.own[l] != NULL)
			nh_install(l, lfib_resolve(fc.own[l]), true);
}

void fwd_ctl_ldp_lfib(mpls_label_t in, const struct prefix4 *fec, const struct lde_path *paths,
		      int npaths)
{
	struct label_owner ldp = { .kind = LABEL_OWN_LDP, .prefix = prefix_from4(fec) };
	struct lfib_own *o;

	if (fc.t == NULL || (o = own_get(in, true)) == NULL)
		return;
	(void)paths; /* the LIB's own copy, which lfib_resolve reads */
	(void)npaths;
	own_set(o, &ldp);
	nh_install(in, lfib_resolve(o), true);
}

void fwd_ctl_ldp_lfib_del(mpls_label_t in)
{
	struct lfib_own *o = own_get(in, false);

	if (o != NULL && o->owner.kind == LABEL_OWN_LDP)
		own_del(in);
}

void fwd_ctl_bgp_label(mpls_label_t l, const struct label_owner *own)
{
	struct lfib_own *o;

	if (fc.t == NULL || l == MPLS_LABEL_NONE || !label_owner_is_vrf(own) ||
	    (o = own_get(l, true)) == NULL)
		return;
	own_set(o, own);
	nh_install(l, lfib_resolve(o), true);
}

void fwd_ctl_bgp_label_del(mpls_label_t l)
{
	struct lfib_own *o = own_get(l, false);

	if (o != NULL && label_owner_is_vrf(&o->owner))
		own_del(l);
}

/* ---- neighbors ---- */

/* An ND entry (IPv6) into the interface's list: true if it changed. */
static bool neigh6_change(struct neigh_list *l, bool valid, const struct nl_neigh *nb)
{
	size_t k;

	for (k = 0; k < l->n6 && memcmp(l->e6[k].ip, nb->ip.v6, 16) != 0; k++)
		;
	if (valid) {
		if (k < l->n6 && memcmp(l->e6[k].mac, nb->mac, 6) == 0)
			return false;
		if (k == l->n6) {
			if (l->n6 == l->cap6) {
				l->cap6 = l->cap6 ? l->cap6 * 2 : 8;
				l->e6 = xrealloc(l->e6, l->cap6 * sizeof(*l->e6));
			}
			l->n6++;
		}
		memcpy(l->e6[k].ip, nb->ip.v6, 16);
		memcpy(l->e6[k].mac, nb->mac, 6);
	} else {
		if (k == l->n6)
			return false;
		l->e6[k] = l->e6[--l->n6];
	}
	return true;
}

void fwd_ctl_neigh(uint32_t vrf_id, bool add, const struct nl_neigh *nb)
{
	struct neigh_list *l;
	bool valid = add && nb->has_mac &&
		     (nb->state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT |
				   NUD_NOARP)) != 0;
	size_t k;

	if (fc.t == NULL || (nb->ip.af != AF_INET && nb->ip.af != AF_INET6))
		return;
	l = neigh_list_get(vrf_id, nb->ifindex, valid);
	if (l == NULL)
		return;
	if (nb->ip.af == AF_INET6) {
		if (!neigh6_change(l, valid, nb))
			return;
		l->dirty = true;
		fc.neigh_dirty = true;
		schedule();
		return;
	}
	for (k = 0; k < l->n && l->e[k].ip != nb->ip.v4; k++)
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
		l->e[k].ip = nb->ip.v4;
		memcpy(l->e[k].mac, nb->mac, 6);
	} else {
		if (k == l->n)
			return;
		l->e[k] = l->e[--l->n];
	}
	l->dirty = true;
	fc.neigh_dirty = true;
	schedule();
}

static void neigh_flush(void)
{
	struct neigh_list *l;
	int idx;

	for (l = fc.neighs; l != NULL; l = l->next) {
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
	struct ipaddr ip;
	char err[160];

	(void)what;
	(void)arg;
	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_warn("dataplane: event fd");
	while (fwd_worker_pop_resolve(fc.w, &port, &ip) > 0) {
		struct vrf *vrf;

		if (port >= FWD_MAX_PORTS || !fc.port[port].used ||
		    (vrf = vrf_lookup_id(fc.port[port].vrf_id)) == NULL)
			continue;
		fc.resolve_requests++;
		if (ip.af == AF_INET6)
			fc.resolve_requests6++;
		if (nl_neigh_resolve(fc.port[port].vrf_id ? vrf->nsfd : -1, fc.port[port].ifindex,
				     &ip, err, sizeof(err)) != 0)
			log_debug("dataplane: resolving on %s: %s", fc.port[port].name, err);
	}
}

static bool neigh_known(int port, const struct ipaddr *ip)
{
	struct neigh_list *l = neigh_list_get(fc.port[port].vrf_id, fc.port[port].ifindex, false);
	size_t k;

	if (l == NULL)
		return false;
	if (ip->af == AF_INET6) {
		for (k = 0; k < l->n6; k++)
			if (memcmp(l->e6[k].ip, ip->v6, 16) == 0)
				return true;
		return false;
	}
	for (k = 0; k < l->n; k++)
		if (l->e[k].ip == ip->v4)
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

	for (i = 0; i < fc.capwant; i++) {
		const struct want_gw *wg = &fc.want[i];
		int port = wg->port;

		if (!wg->used || port >= FWD_MAX_PORTS || !fc.port[port].used ||
		    neigh_known(port, &wg->ip) ||
		    (vrf = vrf_lookup_id(fc.port[port].vrf_id)) == NULL)
			continue;
		missing++;
		if (nl_neigh_resolve(fc.port[port].vrf_id ? vrf->nsfd : -1, fc.port[port].ifindex,
				     &wg->ip, err, sizeof(err)) != 0)
			log_debug("dataplane: resolving on %s: %s", fc.port[port].name, err);
	}
	if (missing > 0 && fc.ev_prewarm != NULL)
		event_add(fc.ev_prewarm, &again);
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
	if (fc.ports_dirty) {
		fc.ports_dirty = false;
		ports_sync();
		for (v = vrf_first(); v != NULL; v = vrf_next(v))
			vrf_publish(v);
	}
	if (fc.neigh_dirty) {
		fc.neigh_dirty = false;
		neigh_flush();
	}
	if (fc.resolve_dirty) {
		fc.resolve_dirty = false;
		if (fc.want != NULL)
			memset(fc.want, 0, fc.capwant * sizeof(*fc.want));
		fc.nwant = 0;
		pe_core_check(); /* PIC: one write per PE lost, before the walk */
		vrf_nhg_walk(nhg_reresolve, NULL);
		lfib_reresolve_all();
		prewarm();
	}
	if (fc.w != NULL)
		fwd_reclaim(fc.w);
}

static void reclaim_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (fc.w != NULL)
		fwd_reclaim(fc.w);
}

bool fwd_ctl_ports_pending(void)
{
	return fc.ports_dirty;
}

void fwd_ctl_port_reopen(int idx)
{
	if (fc.port[idx].used)
		port_close(idx);
	fwd_ctl_ifaces_changed();
}

void fwd_ctl_ports_reopen(void)
{
	int i;

	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (fc.port[i].used)
			port_close(i);
	fwd_ctl_ifaces_changed();
}

void fwd_ctl_ifaces_changed(void)
{
	if (fc.t == NULL)
		return;
	fc.ports_dirty = fc.resolve_dirty = true;
	schedule();
}

void fwd_ctl_route_changed(struct vrf *vrf, const struct rib_dest *d)
{
	if (fc.t == NULL)
		return;
	/* core routes move VPN next hops; connected VRF routes move CE next
	 * hops learned over BGP; VRF routes move per-nexthop labels */
	if (vrf->id == VRF_DEFAULT_ID || fc.nh_labels > 0 || d->selected == NULL ||
	    d->selected->proto == RIB_CONNECTED) {
		fc.resolve_dirty = true;
		schedule();
	}
}

uint32_t fwd_ctl_customer_mtu(uint32_t vrf_id, const char *ifname)
{
	uint32_t core = 0, mtu;
	int idx = port_by_name(vrf_id, ifname), i;
	struct fwd_port_cfg *c;

	if (vrf_id == VRF_DEFAULT_ID || idx < 0 || fc.t == NULL)
		return 0;
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		c = atomic_load_explicit(&fc.t->port[i], memory_order_relaxed);
		if (c != NULL && c->vrf_id == VRF_DEFAULT_ID && c->up && (core == 0 || c->mtu < core))
			core = c->mtu;
	}
	c = atomic_load_explicit(&fc.t->port[idx], memory_order_relaxed);
	mtu = c != NULL ? c->mtu : 1500;
	if (core > CORE_ENCAP && core - CORE_ENCAP < mtu)
		mtu = core - CORE_ENCAP;
	return mtu;
}
void fwd_ctl_init(void)
{
	fc.t = fwd_tables_new();
	fc.w = fwd_worker_new(fc.t);
	vrf_set_nhg_notify(nhg_notify);
	fwd_show_init();
	be_init();
}

void fwd_ctl_start(void)
{
	static const struct timeval tick = { 0, 100000 };
	struct vrf *v;

	fc.ev_sync = event_new(ped.base, -1, 0, sync_cb, NULL);
	fc.ev_reclaim = event_new(ped.base, -1, EV_PERSIST, reclaim_cb, NULL);
	fc.ev_prewarm = event_new(ped.base, -1, 0, prewarm_cb, NULL);
	event_add(fc.ev_reclaim, &tick);
	fc.ev_worker = event_new(ped.base, fwd_worker_event_fd(fc.w), EV_READ | EV_PERSIST,
				resolve_requests, NULL);
	event_add(fc.ev_worker, NULL);
	be_start();
	for (v = vrf_first(); v != NULL; v = vrf_next(v)) {
		fib_set_reclaim(v->fib, fib_defer, NULL);
		fib6_set_reclaim(v->fib6, fib_defer, NULL);
		vrf_publish(v);
	}
	fc.ports_dirty = fc.resolve_dirty = fc.neigh_dirty = true;
	schedule();
}

void fwd_ctl_fini(void)
{
	struct neigh_list *l, *ln;
	struct vrf *v;
	uint32_t i;

	if (fc.t == NULL)
		return;
	vrf_set_nhg_notify(NULL);
	if (fc.w != NULL)
		fwd_worker_free(fc.w); /* stops the thread, closes the ports */
	fc.w = NULL;
	be_fini(); /* detaches the XDP programs */
	for (v = vrf_first(); v != NULL; v = vrf_next(v)) {
		fib_set_reclaim(v->fib, NULL, NULL);
		fib_set_notify(v->fib, NULL, NULL);
		fib6_set_reclaim(v->fib6, NULL, NULL);
		fib6_set_notify(v->fib6, NULL, NULL);
	}
	fwd_tables_free(fc.t);
	fc.t = NULL;
	if (fc.ev_sync)
		event_free(fc.ev_sync);
	if (fc.ev_reclaim)
		event_free(fc.ev_reclaim);
	if (fc.ev_worker)
		event_free(fc.ev_worker);
	if (fc.ev_prewarm)
		event_free(fc.ev_prewarm);
	free(fc.want);
	for (l = fc.neighs; l != NULL; l = ln) {
		ln = l->next;
		free(l->e);
		free(l->e6);
		free(l);
	}
	for (i = 0; i < fc.own_cap; i++)
		free(fc.own[i]);
	free(fc.own);
	memset(&fc, 0, sizeof(fc));
	memset(pe_slots, 0, sizeof(pe_slots));
	pe_nslots = 1;
}
