/* Per-VRF RIB.
 *
 * Prefixes live in a path-compressed binary trie (glue nodes carry no
 * destination), which gives exact lookup, longest match for next-hop
 * resolution, and an in-order walk that is the order `show ip route` prints.
 * Each destination holds one route per (source, key); the selected route is
 * the active one with the lowest administrative distance, then the lowest
 * metric, then the lowest source number (connected before kernel before
 * static ...), as zebra does. The owner's install hook gets every change of
 * the selected route and puts it into a FIB (the kernel's, or the
 * dataplane's LPM table). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "vrf/rib.h"
#include "vrf/vrf.h"

struct rib_node {
	struct prefix p;
	struct rib_node *child[2];
	struct rib_node *parent;
	struct rib_dest *dest;
};

struct rib {
	struct vrf *vrf;
	struct rib_node *root[AFI_COUNT]; /* one trie per family */
	uint64_t count[AFI_COUNT];
	struct rib_hooks hooks;
	struct rib_stats stats;
};

static bool (*ifstate_fn)(const struct vrf *vrf, const char *ifname, int *ifindex);

static const struct {
	const char *name;
	char code;
	uint8_t distance;
} proto_info[RIB_PROTO_MAX] = {
	[RIB_CONNECTED] = { "connected", 'C', 0 },
	[RIB_KERNEL] = { "kernel", 'K', 0 },
	[RIB_STATIC] = { "static", 'S', 1 },
	[RIB_OSPF] = { "ospf", 'O', 110 },
	[RIB_BGP] = { "bgp", 'B', 20 },
};

const char *rib_proto_name(enum rib_proto p)
{
	return p < RIB_PROTO_MAX ? proto_info[p].name : "unknown";
}

char rib_proto_code(enum rib_proto p)
{
	return p < RIB_PROTO_MAX ? proto_info[p].code : '?';
}

uint8_t rib_proto_distance(enum rib_proto p)
{
	return p < RIB_PROTO_MAX ? proto_info[p].distance : 255;
}

void rib_set_ifstate_fn(bool (*fn)(const struct vrf *vrf, const char *ifname, int *ifindex))
{
	ifstate_fn = fn;
}

struct rib *rib_new(struct vrf *vrf)
{
	struct rib *rib = xcalloc(1, sizeof(*rib));

	rib->vrf = vrf;
	return rib;
}

static void node_free_all(struct rib_node *n)
{
	struct rib_route *r, *next;

	if (n == NULL)
		return;
	node_free_all(n->child[0]);
	node_free_all(n->child[1]);
	if (n->dest != NULL) {
		for (r = n->dest->routes; r != NULL; r = next) {
			next = r->next;
			free(r);
		}
		free(n->dest);
	}
	free(n);
}

void rib_free(struct rib *rib)
{
	if (rib == NULL)
		return;
	node_free_all(rib->root[0]);
	node_free_all(rib->root[1]);
	free(rib);
}

void rib_set_hooks(struct rib *rib, const struct rib_hooks *hooks)
{
	rib->hooks = *hooks;
}

struct vrf *rib_vrf(const struct rib *rib)
{
	return rib->vrf;
}

static struct rib_node *node_new(const struct prefix *p, struct rib_node *parent)
{
	struct rib_node *n = xcalloc(1, sizeof(*n));

	n->p = *p;
	n->parent = parent;
	return n;
}

static bool node_covers(const struct rib_node *n, const struct prefix *p)
{
	return n->p.len <= p->len && prefix_common_bits(&n->p, p) >= n->p.len;
}

static struct rib_node *node_find(const struct rib *rib, const struct prefix *p)
{
	struct rib_node *n;

	if ((p->af != AF_INET && p->af != AF_INET6) || p->len > af_maxlen(p->af))
		return NULL;
	n = rib->root[af_index(p->af)];
	while (n != NULL && node_covers(n, p)) {
		if (n->p.len == p->len)
			return n;
		n = n->child[prefix_bit(p, n->p.len)];
	}
	return NULL;
}

static struct rib_node *node_get(struct rib *rib, const struct prefix *p)
{
	struct rib_node **link = &rib->root[af_index(p->af)], *parent = NULL, *n, *glue, *leaf;
	unsigned common;
	struct prefix gp;

	while ((n = *link) != NULL) {
		if (node_covers(n, p)) {
			if (n->p.len == p->len)
				return n;
			parent = n;
			link = &n->child[prefix_bit(p, n->p.len)];
			continue;
		}
		common = prefix_common_bits(&n->p, p);
		if (common > n->p.len)
			common = n->p.len;
		if (common > p->len)
			common = p->len;
		if (common == p->len) {
			/* p is an ancestor of n */
			leaf = node_new(p, parent);
			leaf->child[prefix_bit(&n->p, p->len)] = n;
			n->parent = leaf;
			*link = leaf;
			return leaf;
		}
		gp = *p;
		gp.len = (uint8_t)common;
		prefix_apply_mask(&gp);
		glue = node_new(&gp, parent);
		leaf = node_new(p, glue);
		glue->child[prefix_bit(p, common)] = leaf;
		glue->child[prefix_bit(&n->p, common)] = n;
		n->parent = glue;
		*link = glue;
		return leaf;
	}
	n = node_new(p, parent);
	*link = n;
	return n;
}

/* Removes n if it no longer carries a destination and has < 2 children. */
static void node_prune(struct rib *rib, struct rib_node *n)
{
	while (n != NULL && n->dest == NULL && (n->child[0] == NULL || n->child[1] == NULL)) {
		struct rib_node *child = n->child[0] ? n->child[0] : n->child[1];
		struct rib_node *parent = n->parent;
		struct rib_node **link;

		if (parent == NULL)
			link = &rib->root[af_index(n->p.af)];
		else
			link = parent->child[0] == n ? &parent->child[0] : &parent->child[1];
		*link = child;
		if (child != NULL)
			child->parent = parent;
		free(n);
		n = parent;
	}
}

struct rib_dest *rib_lookup_exact(const struct rib *rib, const struct prefix *pfx)
{
	struct rib_node *n = node_find(rib, pfx);

	return n ? n->dest : NULL;
}

static struct rib_dest *match_excluding(const struct rib *rib, const struct ipaddr *addr,
					const struct rib_dest *skip, bool skip_default)
{
	struct rib_node *n;
	struct rib_dest *best = NULL;
	struct prefix host = prefix_host(addr);

	if (addr->af != AF_INET && addr->af != AF_INET6)
		return NULL;
	n = rib->root[af_index(addr->af)];
	while (n != NULL && node_covers(n, &host)) {
		if (n->dest != NULL && n->dest->selected != NULL && n->dest != skip &&
		    !(skip_default && n->p.len == 0))
			best = n->dest;
		if (n->p.len == host.len)
			break;
		n = n->child[ipaddr_bit(addr, n->p.len)];
	}
	return best;
}

struct rib_dest *rib_match(const struct rib *rib, const struct ipaddr *addr)
{
	return match_excluding(rib, addr, NULL, false);
}

/* A gateway is reachable when the longest match for it (not the default
 * route, not the route itself) is a direct route, or a route whose own first
 * active next hop is (one level of recursion, enough for static-over-static). */
static bool resolve_gw(const struct rib *rib, const struct rib_dest *self,
		       const struct ipaddr *gw, char *ifname, int depth)
{
	struct rib_dest *d = match_excluding(rib, gw, self, true);
	struct rib_route *sel;
	int i;

	if (d == NULL)
		return false;
	sel = d->selected;
	for (i = 0; i < sel->nh_count; i++) {
		const struct rib_nh *nh = &sel->nh[i];

		if (!nh->active || nh->blackhole)
			continue;
		if (sel->proto == RIB_CONNECTED || ipaddr_is_zero(&nh->gw)) {
			strncpy(ifname, nh->ifname, RIB_IFNAMSIZ - 1);
			ifname[RIB_IFNAMSIZ - 1] = '\0';
			return true;
		}
		if (sel->proto != RIB_STATIC) {
			/* kernel / IGP routes were resolved by the kernel */
			strncpy(ifname, nh->res_ifname[0] ? nh->res_ifname : nh->ifname,
				RIB_IFNAMSIZ - 1);
			ifname[RIB_IFNAMSIZ - 1] = '\0';
			return true;
		}
		if (depth < 2 && resolve_gw(rib, d, &nh->gw, ifname, depth + 1))
			return true;
	}
	return false;
}

static bool nh_eval(const struct rib *rib, const struct rib_dest *d, const struct rib_route *r,
		    struct rib_nh *nh)
{
	bool was = nh->active;
	char res[RIB_IFNAMSIZ] = "";

	if (nh->blackhole) {
		nh->active = true;
	} else if (r->proto != RIB_STATIC && r->proto != RIB_CONNECTED) {
		nh->active = true; /* learned from the kernel, which resolved it */
		return was != nh->active;
	} else if (nh->ifname[0] != '\0') {
		int ifindex = 0;

		nh->active = ifstate_fn != NULL && ifstate_fn(rib->vrf, nh->ifname, &ifindex);
		nh->ifindex = ifindex;
	} else {
		nh->active = resolve_gw(rib, d, &nh->gw, res, 0);
		if (nh->active && ifstate_fn != NULL)
			ifstate_fn(rib->vrf, res, &nh->ifindex);
	}
	if (strcmp(res, nh->res_ifname) != 0) {
		memcpy(nh->res_ifname, res, sizeof(res));
		return true;
	}
	return was != nh->active;
}

static bool route_has_active(const struct rib_route *r)
{
	int i;

	for (i = 0; i < r->nh_count; i++)
		if (r->nh[i].active)
			return true;
	return false;
}

static bool route_better(const struct rib_route *a, const struct rib_route *b)
{
	if (b == NULL)
		return true;
	if (a->distance != b->distance)
		return a->distance < b->distance;
	if (a->metric != b->metric)
		return a->metric < b->metric;
	return a->proto < b->proto;
}

/* Re-runs next-hop evaluation and selection for d; calls the install hook
 * when anything that a FIB would see changed (or force). */
static void dest_process(struct rib *rib, struct rib_dest *d, bool force)
{
	struct rib_route *r, *best = NULL;
	bool changed = force;
	int i;

	for (r = d->routes; r != NULL; r = r->next)
		for (i = 0; i < r->nh_count; i++)
			if (nh_eval(rib, d, r, &r->nh[i]) && r == d->selected)
				changed = true;
	for (r = d->routes; r != NULL; r = r->next)
		if (route_has_active(r) && route_better(r, best))
			best = r;
	if (best != d->selected)
		changed = true;
	for (r = d->routes; r != NULL; r = r->next) {
		r->selected = (r == best);
		if (r != best) {
			r->installed = false;
			for (i = 0; i < r->nh_count; i++)
				r->nh[i].fib = false;
		}
	}
	d->selected = best;
	if (!changed)
		return;
	if (best != NULL) {
		for (i = 0; i < best->nh_count; i++)
			best->nh[i].fib = false;
	}
	if (rib->hooks.install != NULL) {
		bool inst = rib->hooks.install(rib->hooks.arg, rib, d, best);

		if (best != NULL) {
			best->installed = inst;
			for (i = 0; i < best->nh_count; i++)
				best->nh[i].fib = inst && best->nh[i].active;
		}
	}
}

static void dest_remove(struct rib *rib, struct rib_node *n)
{
	free(n->dest);
	n->dest = NULL;
	rib->stats.routes--;
	rib->count[af_index(n->p.af)]--;
	node_prune(rib, n);
}

static bool nh_same(const struct rib_nh *a, const struct rib_nh *b)
{
	return ipaddr_equal(&a->gw, &b->gw) && a->blackhole == b->blackhole && strcmp(a->ifname, b->ifname) == 0 &&
	       a->nh_vrf_set == b->nh_vrf_set && a->nh_vrf_id == b->nh_vrf_id &&
	       a->nlabels == b->nlabels && a->backup == b->backup &&
	       memcmp(a->labels, b->labels, sizeof(a->labels[0]) * (size_t)a->nlabels) == 0;
}

static bool route_same(const struct rib_route *r, uint8_t distance, uint32_t metric,
		       const struct rib_nh *nh, int nh_count)
{
	int i;

	if (r->distance != distance || r->metric != metric || r->nh_count != nh_count)
		return false;
	for (i = 0; i < nh_count; i++)
		if (!nh_same(&r->nh[i], &nh[i]))
			return false;
	return true;
}

static struct rib_route *route_alloc(int nh_count)
{
	return xcalloc(1, sizeof(struct rib_route) + (size_t)nh_count * sizeof(struct rib_nh));
}

int rib_update(struct rib *rib, const struct prefix *pfx, enum rib_proto proto, uint32_t key,
	       uint8_t distance, uint32_t metric, const struct rib_nh *nh, int nh_count)
{
	struct rib_node *n;
	struct rib_dest *d;
	struct rib_route *r, **rp;
	int i;

	if (nh_count < 1 || nh_count > RIB_MAX_NH || (pfx->af != AF_INET && pfx->af != AF_INET6) ||
	    pfx->len > af_maxlen(pfx->af))
		return -1;
	n = node_find(rib, pfx);
	if (n == NULL || n->dest == NULL) {
		/* the limit counts each family on its own (Cisco's and FRR's
		 * per-address-family maximum) */
		if (vrf_route_limit_check(rib->vrf, rib->count[af_index(pfx->af)]) != 0) {
			rib->stats.rejected++;
			return -1;
		}
		n = node_get(rib, pfx);
		d = xcalloc(1, sizeof(*d));
		d->pfx = *pfx;
		n->dest = d;
		rib->stats.routes++;
		rib->count[af_index(pfx->af)]++;
	}
	d = n->dest;
	for (rp = &d->routes; (r = *rp) != NULL; rp = &r->next)
		if (r->proto == proto && r->key == key)
			break;
	if (r != NULL && route_same(r, distance, metric, nh, nh_count)) {
		r->stale = false;
		return 0; /* idempotent: a redump brings the same route again */
	}
	if (r != NULL && r->nh_count != nh_count) {
		/* the next hops live in the route's own allocation */
		struct rib_route *nr = route_alloc(nh_count);

		memcpy(nr, r, sizeof(*r));
		*rp = nr;
		if (d->selected == r)
			d->selected = nr;
		free(r);
		r = nr;
	}
	if (r == NULL) {
		r = route_alloc(nh_count);
		r->proto = proto;
		r->key = key;
		r->uptime = time(NULL);
		/* keep routes ordered by source so output is stable */
		for (rp = &d->routes; *rp != NULL && (*rp)->proto <= proto; rp = &(*rp)->next)
			;
		r->next = *rp;
		*rp = r;
	}
	r->distance = distance;
	r->metric = metric;
	r->stale = false;
	r->nh_count = nh_count;
	for (i = 0; i < nh_count; i++) {
		r->nh[i] = nh[i];
		r->nh[i].active = false;
		r->nh[i].fib = false;
		if (proto == RIB_STATIC || proto == RIB_CONNECTED)
			r->nh[i].res_ifname[0] = '\0'; /* others come resolved */
	}
	dest_process(rib, d, r == d->selected || d->selected == NULL);
	if (proto == RIB_CONNECTED)
		rib_reevaluate(rib);
	return 0;
}

int rib_withdraw(struct rib *rib, const struct prefix *pfx, enum rib_proto proto, uint32_t key)
{
	struct rib_node *n = node_find(rib, pfx);
	struct rib_route *r, **rp;
	struct rib_dest *d;

	if (n == NULL || n->dest == NULL)
		return -1;
	d = n->dest;
	for (rp = &d->routes; (r = *rp) != NULL; rp = &r->next)
		if (r->proto == proto && r->key == key)
			break;
	if (r == NULL)
		return -1;
	*rp = r->next;
	if (d->selected == r)
		d->selected = NULL;
	free(r);
	dest_process(rib, d, true);
	if (d->routes == NULL)
		dest_remove(rib, n);
	if (proto == RIB_CONNECTED)
		rib_reevaluate(rib);
	return 0;
}

static void collect(struct rib_node *n, struct rib_dest ***v, size_t *cnt, size_t *cap)
{
	if (n == NULL)
		return;
	if (n->dest != NULL) {
		if (*cnt == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*v = xrealloc(*v, *cap * sizeof(**v));
		}
		(*v)[(*cnt)++] = n->dest;
	}
	collect(n->child[0], v, cnt, cap);
	collect(n->child[1], v, cnt, cap);
}

void rib_withdraw_proto(struct rib *rib, enum rib_proto proto)
{
	struct rib_dest **v = NULL;
	size_t cnt = 0, cap = 0, i;

	collect(rib->root[0], &v, &cnt, &cap);
	collect(rib->root[1], &v, &cnt, &cap);
	for (i = 0; i < cnt; i++) {
		struct rib_route *r;

		for (r = v[i]->routes; r != NULL; r = r->next)
			if (r->proto == proto)
				break;
		if (r != NULL)
			rib_withdraw(rib, &v[i]->pfx, proto, r->key);
	}
	free(v);
}

void rib_mark_stale(struct rib *rib, enum rib_proto proto)
{
	struct rib_dest **v = NULL;
	struct rib_route *r;
	size_t cnt = 0, cap = 0, i;

	collect(rib->root[0], &v, &cnt, &cap);
	collect(rib->root[1], &v, &cnt, &cap);
	for (i = 0; i < cnt; i++)
		for (r = v[i]->routes; r != NULL; r = r->next)
			if (r->proto == proto)
				r->stale = true;
	free(v);
}

void rib_sweep_stale(struct rib *rib, enum rib_proto proto)
{
	struct rib_dest **v = NULL;
	struct rib_route *r;
	size_t cnt = 0, cap = 0, i;
	bool again;

	collect(rib->root[0], &v, &cnt, &cap);
	collect(rib->root[1], &v, &cnt, &cap);
	for (i = 0; i < cnt; i++) {
		struct prefix p = v[i]->pfx;

		do {
			struct rib_dest *d = rib_lookup_exact(rib, &p);

			again = false;
			for (r = d ? d->routes : NULL; r != NULL; r = r->next)
				if (r->proto == proto && r->stale) {
					rib_withdraw(rib, &p, proto, r->key);
					again = true;
					break;
				}
		} while (again);
	}
	free(v);
}

void rib_reevaluate(struct rib *rib)
{
	struct rib_dest **v = NULL;
	size_t cnt = 0, cap = 0, i;

	collect(rib->root[0], &v, &cnt, &cap);
	collect(rib->root[1], &v, &cnt, &cap);
	for (i = 0; i < cnt; i++)
		dest_process(rib, v[i], false);
	free(v);
}

static int walk_node(struct rib_node *n, int (*fn)(void *arg, struct rib_dest *d), void *arg)
{
	int rc;

	if (n == NULL)
		return 0;
	if (n->dest != NULL && (rc = fn(arg, n->dest)) != 0)
		return rc;
	if ((rc = walk_node(n->child[0], fn, arg)) != 0)
		return rc;
	return walk_node(n->child[1], fn, arg);
}

int rib_walk(const struct rib *rib, int (*fn)(void *arg, struct rib_dest *d), void *arg)
{
	int rc = walk_node(rib->root[0], fn, arg);

	return rc != 0 ? rc : walk_node(rib->root[1], fn, arg);
}

int rib_walk_af(const struct rib *rib, int af, int (*fn)(void *arg, struct rib_dest *d), void *arg)
{
	if (af != AF_INET && af != AF_INET6)
		return 0;
	return walk_node(rib->root[af_index(af)], fn, arg);
}

uint64_t rib_count(const struct rib *rib)
{
	return rib->stats.routes;
}

uint64_t rib_count_af(const struct rib *rib, int af)
{
	return af == AF_INET || af == AF_INET6 ? rib->count[af_index(af)] : 0;
}

const struct rib_stats *rib_stats(const struct rib *rib)
{
	return &rib->stats;
}

void rib_count_rejected(struct rib *rib)
{
	rib->stats.rejected++;
}
