/* Interfaces and VRF namespaces.
 *
 * A VRF is backed by a network namespace (ARCHITECTURE.md): `interface eth1
 * vrf CUST-A` moves eth1 into CUST-A's namespace and sets its addresses there,
 * so overlapping customer addresses never meet in one kernel table. ped
 * watches its own namespace and every VRF namespace over netlink; what the
 * kernel reports (links, addresses) is the truth from which connected routes
 * are derived, and configuration is re-applied whenever an interface
 * (re)appears. While the startup config is checked nothing is applied. */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <json-c/json.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "lib/netns.h"
#include "lib/nl.h"
#include "pe/fwd/fwd_ctl.h"
#include "pe/iface.h"
#include "pe/ped.h"
#include "mpbgp/bgp_cfg.h"

static struct iface *ifaces; /* sorted by name */
static struct nswatch main_ns;

static struct iface *iface_find(const char *name)
{
	struct iface *i;

	for (i = ifaces; i != NULL; i = i->next)
		if (strcmp(i->name, name) == 0)
			return i;
	return NULL;
}

static struct iface *iface_get(const char *name)
{
	struct iface *i = iface_find(name), **ip;

	if (i != NULL)
		return i;
	i = xcalloc(1, sizeof(*i));
	snprintf(i->name, sizeof(i->name), "%s", name);
	for (ip = &ifaces; *ip != NULL && strcmp((*ip)->name, name) < 0; ip = &(*ip)->next)
		;
	i->next = *ip;
	*ip = i;
	return i;
}

static void iface_forget_if_unused(struct iface *i)
{
	struct iface **ip;

	if (i->configured || i->present)
		return;
	for (ip = &ifaces; *ip != i; ip = &(*ip)->next)
		;
	*ip = i->next;
	free(i);
}

struct iface *iface_first(void)
{
	return ifaces;
}

struct iface *iface_by_ifindex(uint32_t vrf_id, int ifindex)
{
	struct iface *i;

	for (i = ifaces; i != NULL; i = i->next)
		if (i->present && i->kvrf == vrf_id && i->ifindex == ifindex)
			return i;
	return NULL;
}

static struct vrf *iface_cfg_vrf(const struct iface *i)
{
	return i->vrf[0] ? vrf_lookup(i->vrf) : vrf_default();
}

/* The namespace holding vrf's interfaces: ped's own for the default VRF. */
static int vrf_nsfd(const struct vrf *vrf)
{
	return vrf->id == VRF_DEFAULT_ID ? netns_self() : vrf->nsfd;
}

/* RIB callback: is ifname up in vrf's namespace? */
static bool iface_state(const struct vrf *vrf, const char *ifname, int *ifindex)
{
	struct iface *i = iface_find(ifname);

	if (i == NULL || !i->present || i->kvrf != vrf->id)
		return false;
	*ifindex = i->ifindex;
	return i->up && i->running;
}

/* ---- connected routes ---- */

/* The loopback net (127/8, ::1) is no route (zebra skips it too). */
static void connected_sync(struct iface *i, const struct prefix *a, bool add)
{
	struct vrf *vrf = vrf_lookup_id(i->kvrf);
	struct prefix p = *a;
	struct ipaddr host = prefix_addr(a);
	struct rib_nh nh;

	if (vrf == NULL || ipaddr_is_loopback(&host))
		return;
	prefix_apply_mask(&p);
	if (add && i->up && i->running) {
		memset(&nh, 0, sizeof(nh));
		snprintf(nh.ifname, sizeof(nh.ifname), "%s", i->name);
		nh.ifindex = i->ifindex;
		if (rib_update(vrf->rib, &p, RIB_CONNECTED, (uint32_t)i->ifindex, 0, 0, &nh, 1) != 0)
			log_warnx("VRF %s: connected route of %s refused (route limit)", vrf->name,
				  i->name);
	} else {
		rib_withdraw(vrf->rib, &p, RIB_CONNECTED, (uint32_t)i->ifindex);
	}
}

static void connected_all(struct iface *i, bool add)
{
	int k;

	for (k = 0; k < i->nkaddr; k++)
		connected_sync(i, &i->kaddr[k], add);
}

/* ---- applying configuration to the kernel ---- */

static bool kaddr_has(const struct iface *i, const struct prefix *a)
{
	int k;

	for (k = 0; k < i->nkaddr; k++)
		if (prefix_equal(&i->kaddr[k], a))
			return true;
	return false;
}

static int iface_apply(struct iface *i)
{
	struct vrf *vrf;
	char err[160];
	int k, rc = 0;

	if (!ped.kernel_apply || !i->configured || !i->present)
		return 0;
	if ((vrf = iface_cfg_vrf(i)) == NULL || (vrf->id != VRF_DEFAULT_ID && vrf->nsfd < 0))
		return 0;
	if (i->kvrf != vrf->id) {
		struct vrf *from = vrf_lookup_id(i->kvrf);
		int from_fd = (from == NULL || from->id == VRF_DEFAULT_ID) ? netns_self() : from->nsfd;
		int to_fd = vrf_nsfd(vrf);

		if (nl_link_move(from_fd, i->name, to_fd, err, sizeof(err)) != 0) {
			if (nl_ifindex(from_fd, i->name) < 0)
				return 0; /* already on its way: a stale event of the old namespace */
			snprintf(i->last_error, sizeof(i->last_error), "move to VRF %s: %s",
				 vrf->name, err);
			log_warnx("interface %s: %s", i->name, i->last_error);
			return -1;
		}
		log_info("interface %s moved to VRF %s (namespace %s)", i->name, vrf->name,
			 vrf->netns[0] ? vrf->netns : "main");
		/* the link reappears in the new namespace; apply continues there */
		return 0;
	}
	if (!i->shutdown && !i->up) {
		if (nl_link_set_up(vrf_nsfd(vrf), i->name, true,
				   err, sizeof(err)) != 0) {
			snprintf(i->last_error, sizeof(i->last_error), "set up: %s", err);
			rc = -1;
		}
	} else if (i->shutdown && i->up) {
		nl_link_set_up(vrf_nsfd(vrf), i->name, false,
			       err, sizeof(err));
	}
	for (k = 0; k < i->naddr; k++) {
		if (kaddr_has(i, &i->addr[k]))
			continue;
		if (nl_addr_change(vrf_nsfd(vrf), true,
				   i->name, &i->addr[k], err, sizeof(err)) != 0 &&
		    !kaddr_has(i, &i->addr[k]) && strstr(err, "already present") == NULL) {
			char a[PREFIX_STRLEN];

			snprintf(i->last_error, sizeof(i->last_error), "address %s: %s",
				 prefix_ntop(&i->addr[k], a, sizeof(a)), err);
			log_warnx("interface %s: %s", i->name, i->last_error);
			rc = -1;
		}
	}
	if (rc == 0)
		i->last_error[0] = '\0';
	return rc;
}

/* The kernel refused to move i into its VRF (lo, for one, never moves):
 * the configuration that asked for it is not kept. */
static bool iface_move_refused(struct iface *i)
{
	if (strncmp(i->last_error, "move to VRF", 11) != 0)
		return false;
	i->configured = false;
	i->naddr = 0;
	i->vrf[0] = '\0';
	i->description[0] = '\0';
	i->shutdown = false;
	return true;
}

void iface_apply_all(void)
{
	struct iface *i, *next;

	for (i = ifaces; i != NULL; i = next) {
		next = i->next;
		if (iface_apply(i) != 0 && iface_move_refused(i)) {
			log_warnx("interface %s: %s; its configuration is dropped", i->name, i->last_error);
			iface_forget_if_unused(i);
		}
	}
}

/* ---- netlink callbacks, one namespace each ---- */

static void link_cb(void *arg, bool add, const struct nl_link *l)
{
	struct nswatch *w = arg;
	struct iface *i;
	bool was_oper, was_up;

	/* the kernel's end of a VRF's local port is not ours to forward or show */
	if (w->vrf->id != VRF_DEFAULT_ID && strcmp(l->name, LOCALPORT_KERNEL) == 0)
		return;
	i = iface_find(l->name);
	if (!add) {
		if (i != NULL && i->present && i->kvrf == w->vrf->id && i->ifindex == l->ifindex) {
			connected_all(i, false);
			if (w->vrf->id == VRF_DEFAULT_ID)
				core_link_down(i->ifindex);
			i->present = false;
			i->nkaddr = 0;
			rib_reevaluate(w->vrf->rib);
			iface_forget_if_unused(i);
			fwd_ctl_ifaces_changed();
		}
		return;
	}
	/* A link moved to another namespace is announced there and, one last
	 * time, in the namespace it left (before its removal there): the two
	 * sockets are read in any order, so a late report from the old
	 * namespace must not take the link back. The kernel says where it is. */
	if (i != NULL && i->present && i->kvrf != w->vrf->id &&
	    nl_ifindex(w->nsfd, l->name) != l->ifindex)
		return;
	if (i == NULL)
		i = iface_get(l->name);
	/* a link renamed or moved away from us in the same namespace */
	if (i->present && (i->kvrf != w->vrf->id || i->ifindex != l->ifindex)) {
		connected_all(i, false);
		i->nkaddr = 0;
	}
	was_oper = i->present && i->kvrf == w->vrf->id && i->up && i->running;
	was_up = i->present && i->kvrf == w->vrf->id && i->up && i->ifindex == l->ifindex;
	i->stale = false;
	i->present = true;
	i->kvrf = w->vrf->id;
	i->ifindex = l->ifindex;
	i->up = l->up;
	i->running = l->running;
	i->mtu = l->mtu;
	memcpy(i->mac, l->mac, sizeof(i->mac));
	/* set down: the kernel flushed the routes through it, silently */
	if (was_up && !i->up && w->vrf->id == VRF_DEFAULT_ID)
		core_link_down(i->ifindex);
	if (was_oper != (i->up && i->running)) {
		connected_all(i, i->up && i->running);
		rib_reevaluate(w->vrf->rib);
	}
	iface_apply(i);
	fwd_ctl_ifaces_changed();
}

static void addr_cb(void *arg, bool add, const struct nl_addr *a)
{
	struct nswatch *w = arg;
	struct iface *i = iface_by_ifindex(w->vrf->id, a->ifindex);
	int k;

	if (i == NULL)
		return;
	for (k = 0; k < i->nkaddr; k++)
		if (prefix_equal(&i->kaddr[k], &a->pfx))
			break;
	if (add) {
		if (k < i->nkaddr)
			return; /* redump */
		if (i->nkaddr >= IFACE_MAX_ADDR) {
			log_warnx("interface %s: more than %d addresses, ignoring the rest", i->name,
				  IFACE_MAX_ADDR);
			return;
		}
		i->kaddr[i->nkaddr++] = a->pfx;
		connected_sync(i, &a->pfx, true);
		fwd_ctl_ifaces_changed();
	} else {
		if (k == i->nkaddr)
			return;
		i->kaddr[k] = i->kaddr[--i->nkaddr];
		connected_sync(i, &a->pfx, false);
		/* another address of the same subnet keeps the route */
		for (k = 0; k < i->nkaddr; k++)
			connected_sync(i, &i->kaddr[k], true);
		fwd_ctl_ifaces_changed();
	}
}

/* Full redump bracket: links (and so their addresses and connected routes)
 * not reported again are gone; kernel routes likewise (core.c). */
static void resync_cb(void *arg, bool end)
{
	struct nswatch *w = arg;
	struct iface *i, *next;

	for (i = ifaces; i != NULL; i = next) {
		next = i->next;
		if (!i->present || i->kvrf != w->vrf->id)
			continue;
		if (!end) {
			i->stale = true;
		} else if (i->stale) {
			connected_all(i, false);
			i->present = false;
			i->nkaddr = 0;
			iface_forget_if_unused(i);
		}
	}
	if (end)
		rib_reevaluate(w->vrf->rib);
	if (w->vrf->id == VRF_DEFAULT_ID)
		core_resync(end);
	if (end)
		fwd_ctl_ifaces_changed();
}

static void neigh_cb(void *arg, bool add, const struct nl_neigh *n)
{
	struct nswatch *w = arg;

	fwd_ctl_neigh(w->vrf->id, add, n);
}

static void ns_read(evutil_socket_t fd, short what, void *arg)
{
	struct nswatch *w = arg;

	(void)fd;
	(void)what;
	if (nl_dispatch(w->nl) < 0)
		log_warnx("netlink: read error in namespace of VRF %s", w->vrf->name);
}

static int ns_watch_start(struct nswatch *w, struct vrf *vrf, int nsfd, bool routes)
{
	struct nl_cbs cbs = { .link = link_cb, .addr = addr_cb,
			      .route = routes ? core_route_cb : NULL, .neigh = neigh_cb,
			      .resync = resync_cb };

	w->vrf = vrf;
	w->nsfd = nsfd;
	w->nl = nl_listen(nsfd, &cbs, w);
	if (w->nl == NULL)
		return -1;
	w->ev = event_new(ped.base, nl_fd(w->nl), EV_READ | EV_PERSIST, ns_read, w);
	event_add(w->ev, NULL);
	return nl_dump(w->nl);
}

static void ns_watch_stop(struct nswatch *w)
{
	struct iface *i, *next;

	if (w->ev != NULL)
		event_free(w->ev);
	if (w->nl != NULL)
		nl_close(w->nl);
	w->ev = NULL;
	w->nl = NULL;
	for (i = ifaces; i != NULL; i = next) {
		next = i->next;
		if (i->present && w->vrf != NULL && i->kvrf == w->vrf->id) {
			i->present = false;
			i->nkaddr = 0;
			iface_forget_if_unused(i);
		}
	}
}

void iface_start(void)
{
	if (ns_watch_start(&main_ns, vrf_default(), -1, true) != 0)
		fatalx("cannot watch the kernel of ped's namespace over netlink");
}

int iface_vrf_ns_start(struct vrf *vrf, char *err, size_t errlen)
{
	struct nswatch *w;
	int created = 0;

	if (vrf->owner != NULL)
		return 0;
	snprintf(vrf->netns, sizeof(vrf->netns), "%s%s", ped.netns_prefix, vrf->name);
	if (netns_create(vrf->netns, &created, err, errlen) != 0)
		return -1;
	vrf->netns_created = created;
	if ((vrf->nsfd = netns_open(vrf->netns)) < 0) {
		snprintf(err, errlen, "cannot open namespace %s: %s", vrf->netns, strerror(errno));
		return -1;
	}
	w = xcalloc(1, sizeof(*w));
	vrf->owner = w;
	if (ns_watch_start(w, vrf, vrf->nsfd, false) != 0) {
		snprintf(err, errlen, "cannot watch namespace %s over netlink", vrf->netns);
		return -1;
	}
	log_info("VRF %s: namespace %s %s", vrf->name, vrf->netns,
		 created ? "created" : "already present, used");
	if (localport_create(vrf->nsfd, vrf->id, vrf->name, err, errlen) != 0)
		log_warnx("VRF %s: %s; what the VRF's kernel originates does not cross the VPN",
			  vrf->name, err);
	return 0;
}

static void vrf_ns_unwatch(struct vrf *vrf)
{
	struct nswatch *w = vrf->owner;

	if (w != NULL) {
		ns_watch_stop(w);
		free(w);
		vrf->owner = NULL;
	}
	if (vrf->nsfd >= 0) {
		localport_delete(vrf->nsfd, vrf->name);
		close(vrf->nsfd);
	}
	vrf->nsfd = -1;
}

void iface_vrf_ns_stop(struct vrf *vrf)
{
	char err[160];

	vrf_ns_unwatch(vrf);
	if (vrf->netns_created && netns_delete(vrf->netns, err, sizeof(err)) != 0)
		log_warnx("VRF %s: %s", vrf->name, err);
}

static bool prefix_addr_equal(const struct prefix *p, const struct ipaddr *a)
{
	if (p->af != a->af)
		return false;
	return p->af == AF_INET ? p->v4 == a->v4 : memcmp(p->v6, a->v6, sizeof(a->v6)) == 0;
}

/* The interface of vrf (NULL: the default VRF) that has address a, as
 * configured (`ip address`) or in the kernel; NULL if none. */
const char *iface_local_addr(const char *vrf, const struct ipaddr *a)
{
	const struct vrf *v = vrf != NULL && vrf[0] ? vrf_lookup(vrf) : vrf_default();
	struct iface *i;
	int k;

	for (i = ifaces; i != NULL; i = i->next) {
		bool cfg_here = strcmp(i->vrf, vrf != NULL ? vrf : "") == 0;
		bool k_here = v != NULL && i->present && i->kvrf == v->id;

		for (k = 0; cfg_here && k < i->naddr; k++)
			if (prefix_addr_equal(&i->addr[k], a))
				return i->name;
		for (k = 0; k_here && k < i->nkaddr; k++)
			if (prefix_addr_equal(&i->kaddr[k], a))
				return i->name;
	}
	return NULL;
}

uint32_t iface_addr_of(const struct vrf *vrf, const char *ifname)
{
	struct iface *i = iface_find(ifname);
	int k;

	if (i == NULL || !i->present || i->kvrf != vrf->id)
		return 0;
	for (k = 0; k < i->nkaddr; k++)
		if (i->kaddr[k].af == AF_INET && (i->kaddr[k].v4 >> 24) != 127)
			return i->kaddr[k].v4;
	return 0;
}

bool iface_addr6_for(const struct vrf *vrf, uint32_t v4, struct ipaddr *out)
{
	struct iface *i;
	int k, j;

	for (i = ifaces; i != NULL; i = i->next) {
		if (!i->present || i->kvrf != vrf->id)
			continue;
		for (k = 0; k < i->nkaddr; k++)
			if (i->kaddr[k].af == AF_INET && i->kaddr[k].v4 == v4)
				break;
		if (k == i->nkaddr)
			continue;
		for (j = 0; j < i->nkaddr; j++) {
			struct ipaddr a = prefix_addr(&i->kaddr[j]);

			if (a.af == AF_INET6 && !ipaddr_is_linklocal(&a)) {
				*out = a;
				return true;
			}
		}
		return false;
	}
	return false;
}

uint32_t iface_router_id(void)
{
	struct iface *i;
	uint32_t best_lo = 0, best = 0;
	int k;

	for (i = ifaces; i != NULL; i = i->next) {
		if (!i->present || i->kvrf != VRF_DEFAULT_ID)
			continue;
		for (k = 0; k < i->nkaddr; k++) {
			uint32_t a = i->kaddr[k].v4;

			if (i->kaddr[k].af != AF_INET || (a >> 24) == 127)
				continue;
			if (strcmp(i->name, "lo") == 0 && a > best_lo)
				best_lo = a;
			if (a > best)
				best = a;
		}
	}
	return best_lo ? best_lo : best;
}

/* ---- VRF hooks ---- */

static int vrf_users(const struct vrf *vrf, char *buf, size_t len)
{
	struct iface *i;
	int n = 0;
	size_t off = 0;
	struct bgp *b = bgp_lookup(vrf->name);

	buf[0] = '\0';
	if (b != NULL) {
		off += (size_t)snprintf(buf, len, "router bgp %u vrf %s", b->asn, vrf->name);
		n++;
	}
	for (i = ifaces; i != NULL; i = i->next) {
		if (!i->configured || strcmp(i->vrf, vrf->name) != 0)
			continue;
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, "%sinterface %s", n ? ", " : "",
						i->name);
		n++;
	}
	return n;
}

static void vrf_created(struct vrf *vrf)
{
	char err[200];

	fwd_ctl_vrf_created(vrf);
	if (ped.kernel_apply && iface_vrf_ns_start(vrf, err, sizeof(err)) != 0)
		log_warnx("VRF %s: %s", vrf->name, err);
	else if (!ped.kernel_apply)
		snprintf(vrf->netns, sizeof(vrf->netns), "%s%s", ped.netns_prefix, vrf->name);
}

/* A VRF's namespace goes with the VRF when ped created it or when nothing
 * but lo is left in it; one that still holds interfaces stays. */
static void vrf_deleted(struct vrf *vrf)
{
	struct iface *i;
	bool empty = true;

	fwd_ctl_vrf_deleted(vrf);
	for (i = ifaces; i != NULL; i = i->next)
		if (i->present && i->kvrf == vrf->id && strcmp(i->name, "lo") != 0 &&
		    !localport_name(i->name))
			empty = false;
	if (vrf->owner != NULL && empty)
		vrf->netns_created = true;
	else if (!empty)
		log_info("VRF %s deleted; namespace %s kept: it still holds interfaces", vrf->name,
			 vrf->netns);
	if (!empty)
		vrf->netns_created = false;
	iface_vrf_ns_stop(vrf);
}

static void vrf_ifaces_json(const struct vrf *vrf, json_object *arr)
{
	struct iface *i;

	for (i = ifaces; i != NULL; i = i->next)
		if ((i->configured && strcmp(i->vrf, vrf->name) == 0) ||
		    (i->present && i->kvrf == vrf->id && !localport_name(i->name)))
			json_object_array_add(arr, json_object_new_string(i->name));
}

void iface_init(void)
{
	static const struct vrf_hooks h = { vrf_users, vrf_created, vrf_deleted };

	vrf_set_hooks(&h);
	rib_set_ifstate_fn(iface_state);
	vrf_cli_set_ifaces_fn(vrf_ifaces_json);
}

void iface_fini(void)
{
	struct iface *i, *next;
	struct vrf *vrf;

	/* keep the namespaces (and the interfaces in them) across restarts */
	for (vrf = vrf_first(); vrf != NULL; vrf = vrf_next(vrf))
		vrf_ns_unwatch(vrf);
	ns_watch_stop(&main_ns);
	for (i = ifaces; i != NULL; i = next) {
		next = i->next;
		free(i);
	}
	ifaces = NULL;
}

/* ---- commands ---- */

static struct iface *ctx_iface(struct cli *cli)
{
	struct iface *i = iface_find(cli_ctx(cli));

	if (i == NULL || !i->configured)
		cli_out(cli, "%% Interface %s is no longer configured\n", cli_ctx(cli));
	return (i != NULL && i->configured) ? i : NULL;
}

static int interface_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "IFNAME"), *vname = cmd_arg(a, "vrf");
	struct iface *i;

	if (strlen(name) >= IFNAMSIZ) {
		cli_out(cli, "%% Interface name \"%s\" is longer than %d characters\n", name,
			IFNAMSIZ - 1);
		return CMD_ERROR;
	}
	if (vname != NULL && strcmp(vname, VRF_DEFAULT_NAME) == 0)
		vname = NULL;
	/* the kernel never moves a loopback device to another namespace (and
	 * each VRF namespace has its own lo, which ped does not configure) */
	if (vname != NULL && strcmp(name, "lo") == 0) {
		cli_out(cli, "%% Interface lo cannot move to VRF %s: the kernel keeps loopback devices in "
			"their namespace; put the VRF's addresses on a dummy interface (ip link add NAME "
			"type dummy) and configure `interface NAME vrf %s`\n", vname, vname);
		return CMD_ERROR;
	}
	i = iface_find(name);
	if (i != NULL && i->configured && strcmp(i->vrf, vname ? vname : "") != 0) {
		cli_out(cli, "%% Interface %s is configured in VRF %s; remove it first with `no interface %s%s%s`\n",
			name, i->vrf[0] ? i->vrf : VRF_DEFAULT_NAME, name, i->vrf[0] ? " vrf " : "",
			i->vrf);
		return CMD_ERROR;
	}
	/* a VRF is a namespace: a typo must not create one and move the
	 * interface into it (as `router bgp N vrf NAME`) */
	if (vname != NULL && vrf_lookup(vname) == NULL) {
		cli_out(cli, "%% VRF %s is not configured: declare it first (`vrf %s` then `exit-vrf`)\n",
			vname, vname);
		return CMD_ERROR;
	}
	i = iface_get(name);
	if (!i->configured) {
		i->configured = true;
		snprintf(i->vrf, sizeof(i->vrf), "%s", vname ? vname : "");
		if (iface_apply(i) != 0 && iface_move_refused(i)) {
			cli_out(cli, "%% Interface %s: %s; not configured\n", name, i->last_error);
			iface_forget_if_unused(i);
			return CMD_ERROR;
		}
	}
	cli_set_node(cli, NODE_INTERFACE, i->name);
	return CMD_SUCCESS;
}

static int iface_unconfigure(struct cli *cli, struct iface *i)
{
	struct vrf *vrf = iface_cfg_vrf(i);
	char err[160];
	int k, nsfd;

	if (ped.kernel_apply && i->present && vrf != NULL && i->kvrf == vrf->id) {
		nsfd = vrf_nsfd(vrf);
		for (k = 0; k < i->naddr; k++)
			if (kaddr_has(i, &i->addr[k]))
				nl_addr_change(nsfd, false, i->name, &i->addr[k], err, sizeof(err));
		if (vrf->id != VRF_DEFAULT_ID &&
		    nl_link_move(nsfd, i->name, netns_self(), err, sizeof(err)) != 0) {
			cli_out(cli, "%% Could not move %s back to the default VRF: %s\n", i->name, err);
			return CMD_ERROR;
		}
	}
	i->configured = false;
	i->naddr = 0;
	i->vrf[0] = '\0';
	i->description[0] = '\0';
	i->shutdown = false;
	compat_iface_forget(i->name);
	iface_forget_if_unused(i);
	return CMD_SUCCESS;
}

static int no_interface_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct iface *i = iface_find(cmd_arg(a, "IFNAME"));
	const char *vname = cmd_arg(a, "vrf");

	if (i == NULL || !i->configured) {
		cli_out(cli, "%% Interface %s is not configured\n", cmd_arg(a, "IFNAME"));
		return CMD_ERROR;
	}
	if (vname != NULL && strcmp(vname, i->vrf[0] ? i->vrf : VRF_DEFAULT_NAME) != 0) {
		cli_out(cli, "%% Interface %s is not in VRF %s\n", i->name, vname);
		return CMD_ERROR;
	}
	return iface_unconfigure(cli, i);
}

/* `[no] ip address A.B.C.D/M` and `[no] ipv6 address X:X::X:X/M`: the
 * host part is the interface address. */
static int address_cmd(struct cli *cli, const struct cmd_args *a, int af)
{
	struct iface *i = ctx_iface(cli), *o;
	const char *arg = cmd_arg(a, af == AF_INET ? "A.B.C.D/M" : "X:X::X:X/M");
	struct prefix p, net;
	struct ipaddr host;
	struct vrf *vrf;
	char err[160];
	int k;

	if (i == NULL)
		return CMD_ERROR;
	if (prefix_parse(arg, &net, NULL) != 0 || net.af != af) {
		cli_out(cli, "%% Invalid address \"%s\"\n", arg);
		return CMD_ERROR;
	}
	/* keep the host part: it is the interface address */
	snprintf(err, sizeof(err), "%.*s", (int)strcspn(arg, "/"), arg);
	if (ipaddr_parse_af(af, err, &host) != 0) {
		cli_out(cli, "%% Invalid address \"%s\"\n", arg);
		return CMD_ERROR;
	}
	p = prefix_host(&host);
	p.len = net.len;
	for (k = 0; k < i->naddr; k++)
		if (prefix_equal(&i->addr[k], &p))
			break;
	if (cmd_is_no(a)) {
		if (k == i->naddr) {
			cli_out(cli, "%% Address %s is not configured on %s\n", arg, i->name);
			return CMD_ERROR;
		}
		i->addr[k] = i->addr[--i->naddr];
		vrf = iface_cfg_vrf(i);
		if (ped.kernel_apply && i->present && vrf != NULL && i->kvrf == vrf->id &&
		    kaddr_has(i, &p) &&
		    nl_addr_change(vrf_nsfd(vrf), false,
				   i->name, &p, err, sizeof(err)) != 0) {
			cli_out(cli, "%% Kernel refused to remove the address: %s\n", err);
			return CMD_WARNING;
		}
		return CMD_SUCCESS;
	}
	if (k < i->naddr) {
		cli_out(cli, "%% Address %s is already configured on %s\n", arg, i->name);
		return CMD_WARNING;
	}
	if (af == AF_INET && p.len < 31 &&
	    (p.v4 == net.v4 || p.v4 == (net.v4 | ~prefix4_mask(p.len)))) {
		cli_out(cli, "%% %s is the %s address of its subnet, not a host address\n", arg,
			p.v4 == net.v4 ? "network" : "broadcast");
		return CMD_ERROR;
	}
	if (af == AF_INET6) {
		if (ipaddr_is_zero(&host) || ipaddr_is_multicast(&host)) {
			cli_out(cli, "%% %s is not a unicast host address\n", arg);
			return CMD_ERROR;
		}
	}
	/* within one VRF an address may be configured once; across VRFs freely */
	for (o = ifaces; o != NULL; o = o->next) {
		if (!o->configured || o == i || strcmp(o->vrf, i->vrf) != 0)
			continue;
		for (k = 0; k < o->naddr; k++) {
			struct ipaddr oa = prefix_addr(&o->addr[k]);

			if (ipaddr_equal(&oa, &host)) {
				cli_out(cli, "%% Address %s is already used by %s in VRF %s\n", arg,
					o->name, i->vrf[0] ? i->vrf : VRF_DEFAULT_NAME);
				return CMD_ERROR;
			}
		}
	}
	if (i->naddr >= IFACE_MAX_ADDR) {
		cli_out(cli, "%% At most %d addresses per interface\n", IFACE_MAX_ADDR);
		return CMD_ERROR;
	}
	i->addr[i->naddr++] = p;
	if (iface_apply(i) != 0) {
		cli_out(cli, "%% %s\n", i->last_error);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

static int ip_address_cmd(struct cli *cli, const struct cmd_args *a)
{
	return address_cmd(cli, a, AF_INET);
}

static int ipv6_address_cmd(struct cli *cli, const struct cmd_args *a)
{
	return address_cmd(cli, a, AF_INET6);
}

static int description_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct iface *i = ctx_iface(cli);

	if (i == NULL)
		return CMD_ERROR;
	if (cmd_is_no(a))
		i->description[0] = '\0';
	else
		snprintf(i->description, sizeof(i->description), "%s", cmd_arg(a, "LINE"));
	return CMD_SUCCESS;
}

static int shutdown_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct iface *i = ctx_iface(cli);
	struct vrf *vrf;
	char err[160];

	if (i == NULL)
		return CMD_ERROR;
	i->shutdown = !cmd_is_no(a);
	vrf = iface_cfg_vrf(i);
	if (ped.kernel_apply && i->present && vrf != NULL && i->kvrf == vrf->id &&
	    nl_link_set_up(vrf_nsfd(vrf), i->name,
			   !i->shutdown, err, sizeof(err)) != 0) {
		cli_out(cli, "%% %s\n", err);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

static int exit_if_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	cli_set_node(cli, NODE_CONFIG, NULL);
	return CMD_SUCCESS;
}

static const char *iface_vrf_name(const struct iface *i)
{
	const struct vrf *v;

	if (i->present && (v = vrf_lookup_id(i->kvrf)) != NULL)
		return v->name;
	return i->vrf[0] ? i->vrf : VRF_DEFAULT_NAME;
}

static json_object *iface_json(const struct iface *i)
{
	json_object *o = json_object_new_object(), *addrs = json_object_new_array();
	char buf[PREFIX_STRLEN];
	int k;

	json_object_object_add(o, "administrativeStatus",
			       json_object_new_string(i->present && i->up ? "up" : "down"));
	json_object_object_add(o, "operationalStatus",
			       json_object_new_string(i->present && i->up && i->running ? "up"
											: "down"));
	json_object_object_add(o, "present", json_object_new_boolean(i->present));
	json_object_object_add(o, "vrfName", json_object_new_string(iface_vrf_name(i)));
	json_object_object_add(o, "configuredVrf",
			       json_object_new_string(i->vrf[0] ? i->vrf : VRF_DEFAULT_NAME));
	if (i->present) {
		json_object_object_add(o, "index", json_object_new_int(i->ifindex));
		json_object_object_add(o, "mtu", json_object_new_int64(i->mtu));
		if (i->kvrf != VRF_DEFAULT_ID && fwd_ctl_customer_mtu(i->kvrf, i->name) > 0)
			json_object_object_add(o, "customerMtu", json_object_new_int64(
					       fwd_ctl_customer_mtu(i->kvrf, i->name)));
		snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", i->mac[0], i->mac[1],
			 i->mac[2], i->mac[3], i->mac[4], i->mac[5]);
		json_object_object_add(o, "hardwareAddress", json_object_new_string(buf));
	}
	if (i->description[0])
		json_object_object_add(o, "description", json_object_new_string(i->description));
	for (k = 0; k < i->nkaddr; k++) {
		json_object *a = json_object_new_object();

		json_object_object_add(a, "address", json_object_new_string(
							     prefix_ntop(&i->kaddr[k], buf, sizeof(buf))));
		json_object_object_add(a, "family", json_object_new_string(
							    i->kaddr[k].af == AF_INET ? "ipv4" : "ipv6"));
		json_object_array_add(addrs, a);
	}
	json_object_object_add(o, "ipAddresses", addrs);
	if (i->last_error[0])
		json_object_object_add(o, "lastError", json_object_new_string(i->last_error));
	return o;
}

/* A VRF's local port (localport.c): listed by `show dataplane`, shown here
 * only when asked for by name. */
static bool hidden(const struct iface *i)
{
	return !i->configured && i->present && i->kvrf != VRF_DEFAULT_ID && localport_name(i->name);
}

static int show_interface_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct iface *i;
	const char *only = cmd_arg(a, "IFNAME");
	char buf[PREFIX_STRLEN];
	int k;

	if (cmd_has(a, "json")) {
		json_object *top = json_object_new_object();

		for (i = ifaces; i != NULL; i = i->next)
			if (only == NULL ? !hidden(i) : strcmp(only, i->name) == 0)
				json_object_object_add(top, i->name, iface_json(i));
		cli_json(cli, top);
		return CMD_SUCCESS;
	}
	if (only != NULL && iface_find(only) == NULL) {
		cli_out(cli, "%% Can't find interface %s\n", only);
		return CMD_ERROR;
	}
	if (cmd_has(a, "brief") || only == NULL)
		cli_out(cli, "%-16s %-6s %-16s %s\n", "Interface", "Status", "VRF", "Addresses");
	for (i = ifaces; i != NULL; i = i->next) {
		const char *st = !i->present ? "absent" : !i->up ? "down" : !i->running ? "no-carrier" : "up";

		if (only != NULL ? strcmp(only, i->name) != 0 : hidden(i))
			continue;
		if (cmd_has(a, "brief") || only == NULL) {
			cli_out(cli, "%-16s %-6s %-16s", i->name, st, iface_vrf_name(i));
			for (k = 0; k < i->nkaddr; k++)
				cli_out(cli, "%s%s", k ? ", " : " ",
					prefix_ntop(&i->kaddr[k], buf, sizeof(buf)));
			cli_out(cli, "\n");
			continue;
		}
		cli_out(cli, "Interface %s is %s\n", i->name, st);
		if (i->description[0])
			cli_out(cli, "  Description: %s\n", i->description);
		cli_out(cli, "  vrf: %s\n", iface_vrf_name(i));
		if (i->present)
			cli_out(cli, "  index %d mtu %u HWaddr %02x:%02x:%02x:%02x:%02x:%02x\n",
				i->ifindex, i->mtu, i->mac[0], i->mac[1], i->mac[2], i->mac[3],
				i->mac[4], i->mac[5]);
		if (i->present && i->kvrf != VRF_DEFAULT_ID && fwd_ctl_customer_mtu(i->kvrf, i->name))
			cli_out(cli, "  customer MTU %u (through the MPLS core: core MTU - %d bytes of labels)\n",
				fwd_ctl_customer_mtu(i->kvrf, i->name), 8);
		for (k = 0; k < i->nkaddr; k++)
			cli_out(cli, "  %s %s\n", i->kaddr[k].af == AF_INET ? "inet" : "inet6",
				prefix_ntop(&i->kaddr[k], buf, sizeof(buf)));
		if (i->last_error[0])
			cli_out(cli, "  last error: %s\n", i->last_error);
	}
	return CMD_SUCCESS;
}

void iface_config_write(struct cli *cli)
{
	struct iface *i;
	char buf[PREFIX_STRLEN];
	int k;

	for (i = ifaces; i != NULL; i = i->next) {
		if (!i->configured)
			continue;
		cli_out(cli, "interface %s%s%s\n", i->name, i->vrf[0] ? " vrf " : "", i->vrf);
		if (i->description[0])
			cli_out(cli, " description %s\n", i->description);
		for (k = 0; k < i->naddr; k++)
			if (i->addr[k].af == AF_INET)
				cli_out(cli, " ip address %s\n",
					prefix_ntop(&i->addr[k], buf, sizeof(buf)));
		for (k = 0; k < i->naddr; k++)
			if (i->addr[k].af == AF_INET6)
				cli_out(cli, " ipv6 address %s\n",
					prefix_ntop(&i->addr[k], buf, sizeof(buf)));
		if (i->shutdown)
			cli_out(cli, " shutdown\n");
		fwd_ctl_iface_config_write(cli, i->name);
		compat_iface_config_write(cli, i->name);
		cli_out(cli, "exit\n!\n");
	}
}

static const struct cmd_def config_cmds[] = {
	{ "interface IFNAME [vrf NAME$vrf]",
	  "Select an interface to configure\nInterface name\n" VRF_STR "VRF name\n", interface_cmd },
	{ "no interface IFNAME [vrf NAME$vrf]",
	  NO_STR "Delete an interface's configuration\nInterface name\n" VRF_STR "VRF name\n",
	  no_interface_cmd },
};

static const struct cmd_def if_cmds[] = {
	{ "[no] ip address A.B.C.D/M",
	  NO_STR IP_STR "Set the IP address of an interface\nIP address (e.g. 10.0.0.1/24)\n",
	  ip_address_cmd },
	{ "[no] ipv6 address X:X::X:X/M",
	  NO_STR "Interface IPv6 config commands\nSet the IPv6 address of an interface\nIPv6 address (e.g. 2001:db8::1/64)\n",
	  ipv6_address_cmd },
	{ "description LINE", "Interface specific description\nCharacters describing this interface\n",
	  description_cmd },
	{ "no description", NO_STR "Interface specific description\n", description_cmd },
	{ "[no] shutdown", NO_STR "Shutdown the selected interface\n", shutdown_cmd },
	{ "exit-interface", "Exit from the interface configuration mode\n", exit_if_cmd },
};

static const struct cmd_def view_cmds[] = {
	{ "show interface [brief] [json]",
	  SHOW_STR "Interface status and configuration\nInterface status summary\n" JSON_STR,
	  show_interface_cmd },
	{ "show interface IFNAME [json]",
	  SHOW_STR "Interface status and configuration\nInterface name\n" JSON_STR,
	  show_interface_cmd },
};

void iface_cli_init(void)
{
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
	cmd_install_table(NODE_INTERFACE, if_cmds, ARRAY_SIZE(if_cmds));
	cmd_install_table(NODE_VIEW, view_cmds, ARRAY_SIZE(view_cmds));
}
