/* Core (default VRF) routes.
 *
 * In: every IPv4 route of the main table of ped's namespace, whatever put it
 * there (an IGP such as FRR's ospfd+zebra, `ip route`, a DHCP client), read
 * over rtnetlink and followed as it changes. Routes the kernel derives from
 * addresses (protocol "kernel") are skipped: connected routes come from the
 * addresses themselves, as zebra does. Routes ped installed (RTPROT_PED) are
 * skipped too: they are already in the RIB as static routes.
 * Out: the selected static routes of the default VRF go into the kernel
 * table with protocol RTPROT_PED; they are removed at shutdown, except when
 * ped exits keeping its forwarding (pe/hitless.c): then the next ped
 * removes, with core_sweep_ped, those it does not install itself. */
#include "config.h"

#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "lib/netns.h"
#include "lib/nl.h"
#include "pe/iface.h"
#include "pe/ped.h"

static enum rib_proto proto_from_kernel(uint8_t p)
{
	switch (p) {
	case 188: /* RTPROT_OSPF */
		return RIB_OSPF;
	default: /* including 186 (a zebra's BGP): ours are RIB_BGP */
		return RIB_KERNEL;
	}
}

static const enum rib_proto kernel_protos[] = { RIB_KERNEL, RIB_OSPF };

/* A full redump (after a netlink overrun) is bracketed by these: routes of
 * the kernel's that the dump did not bring again are gone. */
void core_resync(bool end)
{
	struct rib *rib = vrf_default()->rib;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kernel_protos); i++) {
		if (end)
			rib_sweep_stale(rib, kernel_protos[i]);
		else
			rib_mark_stale(rib, kernel_protos[i]);
	}
}

/* Prefixes of RTPROT_PED routes the kernel has (a previous ped's too). */
static struct prefix *ped_routes;
static size_t ped_n, ped_cap;

static void ped_route_seen(const struct prefix *p, bool add)
{
	size_t i;

	for (i = 0; i < ped_n && !prefix_equal(&ped_routes[i], p); i++)
		;
	if (!add) {
		if (i < ped_n)
			ped_routes[i] = ped_routes[--ped_n];
		return;
	}
	if (i < ped_n)
		return;
	if (ped_n == ped_cap) {
		ped_cap = ped_cap ? ped_cap * 2 : 16;
		ped_routes = xrealloc(ped_routes, ped_cap * sizeof(*ped_routes));
	}
	ped_routes[ped_n++] = *p;
}

size_t core_sweep_ped(void)
{
	struct rib *rib = vrf_default()->rib;
	struct nl_route r;
	char err[160];
	size_t i = 0, n = 0;

	while (i < ped_n) {
		const struct rib_dest *d = rib_lookup_exact(rib, &ped_routes[i]);

		if (d != NULL && d->selected != NULL && d->selected->installed &&
		    (d->selected->proto == RIB_STATIC || d->selected->proto == RIB_BGP)) {
			i++;
			continue;
		}
		memset(&r, 0, sizeof(r));
		r.dst = ped_routes[i];
		r.table = RT_TABLE_MAIN;
		r.protocol = RTPROT_PED;
		r.metric = 20;
		if (nl_route_change(netns_self(), false, &r, err, sizeof(err)) == 0)
			n++;
		ped_routes[i] = ped_routes[--ped_n];
	}
	return n;
}

void core_route_cb(void *arg, bool add, const struct nl_route *r)
{
	struct vrf *vrf = vrf_default();
	struct rib_nh nh[RIB_MAX_NH];
	enum rib_proto proto;
	int i, n = 0;

	(void)arg;
	if (r->table == RT_TABLE_MAIN && r->protocol == RTPROT_PED)
		ped_route_seen(&r->dst, add);
	if (r->table != RT_TABLE_MAIN || r->protocol == RTPROT_KERNEL ||
	    r->protocol == RTPROT_PED)
		return;
	if (r->type != RTN_UNICAST && r->type != RTN_BLACKHOLE && r->type != RTN_UNREACHABLE &&
	    r->type != RTN_PROHIBIT)
		return;
	proto = proto_from_kernel(r->protocol);
	if (!add) {
		rib_withdraw(vrf->rib, &r->dst, proto, r->metric);
		return;
	}
	memset(nh, 0, sizeof(nh));
	if (r->type != RTN_UNICAST || r->nh_count == 0) {
		nh[0].blackhole = true;
		n = 1;
	}
	for (i = 0; i < r->nh_count && n < RIB_MAX_NH; i++, n++) {
		struct iface *ifp = iface_by_ifindex(VRF_DEFAULT_ID, r->nh[i].ifindex);

		nh[n].gw = r->nh[i].gw;
		nh[n].ifindex = r->nh[i].ifindex;
		if (ifp != NULL)
			memcpy(nh[n].res_ifname, ifp->name, sizeof(nh[n].res_ifname));
		if (ifp != NULL && ipaddr_is_zero(&nh[n].gw))
			memcpy(nh[n].ifname, ifp->name, sizeof(nh[n].ifname));
	}
	/* kernel routes of equal metric are one route; several metrics coexist */
	if (rib_update(vrf->rib, &r->dst, proto, r->metric, rib_proto_distance(proto), r->metric,
		       nh, n) != 0)
		log_warnx("core route refused");
}

/* The kernel flushes the IPv4 routes through a link set down (or gone)
 * without a word on netlink (fib_sync_down_dev): forget the ones we learned
 * through it, as zebra does. Routes with a next hop on another link stay
 * (the kernel keeps them, with that next hop dead). */
struct link_down {
	int ifindex;
	struct prefix *pfx;
	enum rib_proto *proto;
	uint32_t *key;
	size_t n, cap;
};

static int find_via_link(void *arg, struct rib_dest *d)
{
	struct link_down *ld = arg;
	struct rib_route *r;
	int i;

	for (r = d->routes; r != NULL; r = r->next) {
		bool all = r->nh_count > 0;

		if (r->proto != RIB_KERNEL && r->proto != RIB_OSPF)
			continue;
		for (i = 0; i < r->nh_count; i++)
			if (r->nh[i].blackhole || r->nh[i].ifindex != ld->ifindex)
				all = false;
		if (!all)
			continue;
		if (ld->n == ld->cap) {
			ld->cap = ld->cap ? ld->cap * 2 : 16;
			ld->pfx = xrealloc(ld->pfx, ld->cap * sizeof(*ld->pfx));
			ld->proto = xrealloc(ld->proto, ld->cap * sizeof(*ld->proto));
			ld->key = xrealloc(ld->key, ld->cap * sizeof(*ld->key));
		}
		ld->pfx[ld->n] = d->pfx;
		ld->proto[ld->n] = r->proto;
		ld->key[ld->n++] = r->key;
	}
	return 0;
}

void core_link_down(int ifindex)
{
	struct rib *rib = vrf_default()->rib;
	struct link_down ld = { .ifindex = ifindex };
	size_t i;

	if (ifindex <= 0)
		return;
	rib_walk_af(rib, AF_INET, find_via_link, &ld);
	for (i = 0; i < ld.n; i++)
		rib_withdraw(rib, &ld.pfx[i], ld.proto[i], ld.key[i]);
	free(ld.pfx);
	free(ld.proto);
	free(ld.key);
}

static void route_to_nl(const struct rib_dest *d, const struct rib_route *sel, struct nl_route *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->dst = d->pfx;
	r->table = RT_TABLE_MAIN;
	r->protocol = RTPROT_PED;
	r->type = RTN_UNICAST;
	r->scope = RT_SCOPE_UNIVERSE;
	r->metric = 20;
	for (i = 0; sel != NULL && i < sel->nh_count && r->nh_count < NL_MAX_NEXTHOPS; i++) {
		const struct rib_nh *nh = &sel->nh[i];

		if (!nh->active)
			continue;
		if (nh->blackhole) {
			r->type = RTN_BLACKHOLE;
			r->nh_count = 0;
			return;
		}
		r->nh[r->nh_count].gw = nh->gw;
		r->nh[r->nh_count].ifindex = nh->ifindex;
		r->nh_count++;
	}
}

/* Default VRF install hook: the LPM FIB as every VRF, plus the kernel for
 * our static routes. */
static bool core_install(void *arg, struct rib *rib, struct rib_dest *d, struct rib_route *sel)
{
	struct nl_route r;
	char err[160], buf[PREFIX_STRLEN];
	bool fib = vrf_fib_install(arg, rib, d, sel);

	if (!ped.kernel_apply)
		return sel != NULL && sel->proto != RIB_STATIC && sel->proto != RIB_BGP && fib;
	route_to_nl(d, sel, &r);
	if (sel != NULL && (sel->proto == RIB_STATIC || sel->proto == RIB_BGP) && fib) {
		if (nl_route_change(netns_self(), true, &r, err, sizeof(err)) != 0) {
			log_warnx("static route %s: kernel refused: %s",
				  prefix_ntop(&d->pfx, buf, sizeof(buf)), err);
			return false;
		}
		return true;
	}
	/* not (or no longer) ours: remove any route of ours for the prefix */
	r.nh_count = 0;
	r.type = RTN_UNSPEC; /* any type: the delete matches on protocol */
	nl_route_change(netns_self(), false, &r, err, sizeof(err));
	return fib && sel != NULL;
}

void core_init(void)
{
	struct rib_hooks h = { .install = core_install, .arg = NULL };

	rib_set_hooks(vrf_default()->rib, &h);
}

void core_start(void)
{
	iface_start();
}

static int remove_ours(void *arg, struct rib_dest *d)
{
	struct nl_route r;
	char err[160];

	(void)arg;
	if (d->selected != NULL && (d->selected->proto == RIB_STATIC || d->selected->proto == RIB_BGP) &&
	    d->selected->installed) {
		route_to_nl(d, NULL, &r);
		r.type = RTN_UNSPEC;
		nl_route_change(netns_self(), false, &r, err, sizeof(err));
	}
	return 0;
}

void core_fini(void)
{
	free(ped_routes);
	ped_routes = NULL;
	ped_n = ped_cap = 0;
	if (ped.kernel_apply && !ped.kept) /* a kept dataplane keeps its core routes */
		rib_walk(vrf_default()->rib, remove_ours, NULL);
}
