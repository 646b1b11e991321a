/* VRF registry, static routes, and the hand-off from a VRF's RIB to its LPM
 * FIB through interned next-hop groups. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "vrf/fib.h"
#include "vrf/fib6.h"
#include "vrf/vrf.h"

static struct vrf *vrf_def;
/* The non-default VRFs: a list sorted by name (sorted again, lazily, when
 * walked after creations, so that creating n VRFs costs O(n log n) and not
 * O(n^2)), hashed by name and by id; ids of deleted VRFs are given again
 * (lowest first) so that they stay below the dataplane's limit. */
static struct vrf *vrf_list;
static bool vrf_unsorted;
static size_t vrf_n;
static struct vrf **by_name, **by_id;
static size_t hcap; /* buckets of both tables, a power of two */
static uint32_t vrf_next_id = 1;
static uint32_t *free_ids; /* a min-heap of ids to give again */
static size_t nfree, free_cap;
static struct vrf_hooks hooks;
static void (*route_notify)(struct vrf *vrf, const struct rib_dest *d);

void vrf_set_route_notify(void (*fn)(struct vrf *vrf, const struct rib_dest *d))
{
	route_notify = fn;
}

static void (*cfg_notify)(struct vrf *vrf);

void vrf_set_cfg_notify(void (*fn)(struct vrf *vrf))
{
	cfg_notify = fn;
}

void vrf_cfg_changed(struct vrf *vrf)
{
	if (cfg_notify != NULL)
		cfg_notify(vrf);
}

/* ---- next-hop groups: the FIB stores a 24-bit id per prefix ---- */

#define nhg vrf_nhg

static void (*nhg_notify)(const struct vrf_nhg *g, bool add);

#define NHG_BUCKETS 4096
static struct nhg *nhg_hash[NHG_BUCKETS];
static struct nhg **nhg_by_id; /* index id -> group */
static uint32_t nhg_cap, nhg_free_hint = 1;

static uint32_t nhg_hash_of(const struct nhg *g)
{
	uint32_t h = 2166136261u ^ g->vrf_id;
	const unsigned char *p = (const unsigned char *)g->nh;
	size_t i, n = sizeof(g->nh[0]) * (size_t)g->count;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static uint32_t nhg_get(const struct vrf *vrf, const struct rib_route *r)
{
	struct nhg key, *g;
	uint32_t id;
	int i;

	memset(&key, 0, sizeof(key));
	key.vrf_id = vrf->id;
	for (i = 0; i < r->nh_count; i++) {
		const struct rib_nh *nh = &r->nh[i];

		if (!nh->active)
			continue;
		key.nh[key.count].gw = nh->gw;
		memcpy(key.nh[key.count].ifname, nh->ifname[0] ? nh->ifname : nh->res_ifname,
		       RIB_IFNAMSIZ);
		key.nh[key.count].blackhole = nh->blackhole;
		key.nh[key.count].nh_vrf_id = nh->nh_vrf_set ? nh->nh_vrf_id : vrf->id;
		key.nh[key.count].nlabels = nh->nlabels;
		key.nh[key.count].backup = nh->backup;
		memcpy(key.nh[key.count].labels, nh->labels, sizeof(nh->labels));
		key.count++;
	}
	key.hash = nhg_hash_of(&key);
	for (g = nhg_hash[key.hash % NHG_BUCKETS]; g != NULL; g = g->hnext)
		if (g->hash == key.hash && g->vrf_id == key.vrf_id && g->count == key.count &&
		    memcmp(g->nh, key.nh, sizeof(key.nh[0]) * (size_t)key.count) == 0) {
			g->refcnt++;
			return g->id;
		}
	for (id = nhg_free_hint; id < nhg_cap && nhg_by_id[id] != NULL; id++)
		;
	if (id >= nhg_cap) {
		uint32_t ncap = nhg_cap ? nhg_cap * 2 : 256;

		if (ncap > FIB_NH_MAX)
			fatalx("next-hop group ids exhausted");
		nhg_by_id = xrealloc(nhg_by_id, ncap * sizeof(*nhg_by_id));
		memset(nhg_by_id + nhg_cap, 0, (ncap - nhg_cap) * sizeof(*nhg_by_id));
		if (nhg_cap == 0)
			id = 1;
		nhg_cap = ncap;
	}
	g = xmalloc(sizeof(*g));
	*g = key;
	g->id = id;
	g->refcnt = 1;
	g->hnext = nhg_hash[key.hash % NHG_BUCKETS];
	nhg_hash[key.hash % NHG_BUCKETS] = g;
	nhg_by_id[id] = g;
	nhg_free_hint = id + 1;
	if (nhg_notify != NULL)
		nhg_notify(g, true);
	return id;
}

static void nhg_put(uint32_t id)
{
	struct nhg *g, **gp;

	if (id == 0 || id >= nhg_cap || (g = nhg_by_id[id]) == NULL)
		fatalx("nhg_put: bad id %u", id);
	if (--g->refcnt > 0)
		return;
	for (gp = &nhg_hash[g->hash % NHG_BUCKETS]; *gp != g; gp = &(*gp)->hnext)
		;
	*gp = g->hnext;
	if (nhg_notify != NULL)
		nhg_notify(g, false);
	nhg_by_id[id] = NULL;
	if (id < nhg_free_hint)
		nhg_free_hint = id;
	free(g);
}

const struct vrf_nhg *vrf_nhg(uint32_t id)
{
	return id < nhg_cap ? nhg_by_id[id] : NULL;
}

void vrf_set_nhg_notify(void (*fn)(const struct vrf_nhg *g, bool add))
{
	nhg_notify = fn;
}

int vrf_nhg_walk(int (*fn)(void *arg, const struct vrf_nhg *g), void *arg)
{
	uint32_t id;
	int rc;

	for (id = 1; id < nhg_cap; id++)
		if (nhg_by_id[id] != NULL && (rc = fn(arg, nhg_by_id[id])) != 0)
			return rc;
	return 0;
}

/* Default install hook: the selected route's active next hops go into the
 * VRF's LPM FIB (the forwarding plane reads it). */
bool vrf_fib_install(void *arg, struct rib *rib, struct rib_dest *d, struct rib_route *sel)
{
	struct vrf *vrf = rib_vrf(rib);
	uint32_t old = d->fib_nh;
	int i, active = 0;

	(void)arg;
	if (sel != NULL)
		for (i = 0; i < sel->nh_count; i++)
			active += sel->nh[i].active;
	if (sel != NULL && active > 0) {
		d->fib_nh = nhg_get(vrf, sel);
		if ((d->pfx.af == AF_INET ? fib_add(vrf->fib, d->pfx.v4, d->pfx.len, d->fib_nh)
					  : fib6_add(vrf->fib6, d->pfx.v6, d->pfx.len, d->fib_nh)) != 0)
			fatalx("fib_add failed");
	} else {
		d->fib_nh = 0;
		if (old != 0 && d->pfx.af == AF_INET)
			fib_del(vrf->fib, d->pfx.v4, d->pfx.len);
		else if (old != 0)
			fib6_del(vrf->fib6, d->pfx.v6, d->pfx.len);
	}
	if (old != 0)
		nhg_put(old);
	if (route_notify != NULL)
		route_notify(vrf, d);
	return d->fib_nh != 0;
}

static struct vrf *vrf_alloc(const char *name, uint32_t id)
{
	struct vrf *vrf = xcalloc(1, sizeof(*vrf));
	struct rib_hooks rh = { .install = vrf_fib_install, .arg = NULL };

	snprintf(vrf->name, sizeof(vrf->name), "%s", name);
	vrf->id = id;
	vrf->nsfd = -1;
	vrf->rib = rib_new(vrf);
	vrf->fib = fib_new();
	vrf->fib6 = fib6_new();
	rib_set_hooks(vrf->rib, &rh);
	return vrf;
}

static const struct static_bfd_hooks *sbfd;

void static_set_bfd_hooks(const struct static_bfd_hooks *h)
{
	sbfd = h;
}

static void static_untrack(struct static_route *s)
{
	if (sbfd != NULL && s->bfd_handle != NULL)
		sbfd->untrack(s);
	s->bfd_handle = NULL;
}

static void static_track(struct vrf *vrf, struct static_route *s)
{
	if (sbfd != NULL)
		sbfd->track(vrf, s);
}

/* Static routes: the VRF's list keeps them in the order they came; an
 * index by prefix (chained hash, grown at load 1) finds the ones of a
 * prefix, so that a configuration of N static routes loads in O(N), not
 * O(N^2) (100,000 routes took minutes). */
struct static_index {
	struct static_route **tab;
	size_t mask, n;
	struct static_route *tail;
	uint64_t seq;
};

static size_t sidx_slot(const struct static_index *x, const struct prefix *p)
{
	uint32_t h = 2166136261u ^ (uint32_t)p->af ^ ((uint32_t)p->len << 8);
	const unsigned char *b = (const unsigned char *)(p->af == AF_INET6 ? (const void *)p->v6
									  : (const void *)&p->v4);
	size_t i, n = p->af == AF_INET6 ? 16 : sizeof(p->v4);

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h & x->mask;
}

static struct static_index *sidx_get(struct vrf *vrf)
{
	if (vrf->sidx == NULL) {
		vrf->sidx = xcalloc(1, sizeof(*vrf->sidx));
		vrf->sidx->mask = 63;
		vrf->sidx->tab = xcalloc(64, sizeof(*vrf->sidx->tab));
	}
	return vrf->sidx;
}

/* The first static route of pfx in its chain (the others follow it in the
 * same chain: they are inserted together), NULL if none. */
static struct static_route *sidx_first(const struct vrf *vrf, const struct prefix *pfx)
{
	struct static_route *s;

	if (vrf->sidx == NULL)
		return NULL;
	for (s = vrf->sidx->tab[sidx_slot(vrf->sidx, pfx)]; s != NULL; s = s->hnext)
		if (prefix_equal(&s->pfx, pfx))
			return s;
	return NULL;
}

static void sidx_insert(struct vrf *vrf, struct static_route *n)
{
	struct static_index *x = sidx_get(vrf);
	struct static_route **sp;

	if (x->n + 1 > x->mask + 1) {
		size_t ocap = x->mask + 1, i;
		struct static_route **old = x->tab;

		x->mask = ocap * 2 - 1;
		x->tab = xcalloc(ocap * 2, sizeof(*x->tab));
		for (i = 0; i < ocap; i++) {
			struct static_route *s = old[i], *next;

			/* move the chain keeping each prefix's routes together and
			 * in order: append each route to its new chain's end */
			for (; s != NULL; s = next) {
				struct static_route **q = &x->tab[sidx_slot(x, &s->pfx)];

				next = s->hnext;
				while (*q != NULL)
					q = &(*q)->hnext;
				s->hnext = NULL;
				*q = s;
			}
		}
		free(old);
	}
	/* after the last route of its prefix, else at the chain's head */
	sp = &x->tab[sidx_slot(x, &n->pfx)];
	for (struct static_route **q = sp; *q != NULL; q = &(*q)->hnext)
		if (prefix_equal(&(*q)->pfx, &n->pfx))
			sp = &(*q)->hnext;
	n->hnext = *sp;
	*sp = n;
	x->n++;
	n->seq = ++x->seq;
	n->next = NULL;
	if (x->tail != NULL)
		x->tail->next = n;
	else
		vrf->statics = n;
	x->tail = n;
}

static void sidx_remove(struct vrf *vrf, struct static_route *n)
{
	struct static_index *x = vrf->sidx;
	struct static_route **sp, *prev = NULL;

	for (sp = &x->tab[sidx_slot(x, &n->pfx)]; *sp != n; sp = &(*sp)->hnext)
		;
	*sp = n->hnext;
	x->n--;
	for (sp = &vrf->statics; *sp != n; sp = &(*sp)->next)
		prev = *sp;
	*sp = n->next;
	if (x->tail == n)
		x->tail = prev;
}

static int static_order(const void *a, const void *b)
{
	const struct static_route *x = *(const struct static_route *const *)a;
	const struct static_route *y = *(const struct static_route *const *)b;
	int c = prefix_cmp(&x->pfx, &y->pfx);

	return c != 0 ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct static_route **static_sorted(const struct vrf *vrf, size_t *n)
{
	struct static_route **a, *s;
	size_t i = 0;

	*n = vrf->sidx != NULL ? vrf->sidx->n : 0;
	if (*n == 0)
		return NULL;
	a = xmalloc(*n * sizeof(*a));
	for (s = vrf->statics; s != NULL && i < *n; s = s->next)
		a[i++] = s;
	*n = i;
	qsort(a, i, sizeof(*a), static_order);
	return a;
}

static void statics_free(struct vrf *vrf)
{
	struct static_route *s, *next;

	for (s = vrf->statics; s != NULL; s = next) {
		next = s->next;
		static_untrack(s);
		free(s);
	}
	vrf->statics = NULL;
	if (vrf->sidx != NULL) {
		free(vrf->sidx->tab);
		free(vrf->sidx);
		vrf->sidx = NULL;
	}
}

static int release_fib(void *arg, struct rib_dest *d)
{
	(void)arg;
	if (d->fib_nh != 0) {
		nhg_put(d->fib_nh);
		d->fib_nh = 0;
	}
	return 0;
}

static void vrf_free(struct vrf *vrf)
{
	statics_free(vrf);
	rib_walk(vrf->rib, release_fib, NULL);
	rib_free(vrf->rib);
	fib_free(vrf->fib);
	fib6_free(vrf->fib6);
	free(vrf);
}

void vrf_init(void)
{
	vrf_def = vrf_alloc(VRF_DEFAULT_NAME, VRF_DEFAULT_ID);
}

void vrf_fini(void)
{
	struct vrf *v, *next;

	for (v = vrf_list; v != NULL; v = next) {
		next = v->next;
		vrf_free(v);
	}
	vrf_list = NULL;
	vrf_unsorted = false;
	vrf_n = 0;
	free(by_name);
	free(by_id);
	by_name = by_id = NULL;
	hcap = 0;
	free(free_ids);
	free_ids = NULL;
	nfree = free_cap = 0;
	if (vrf_def != NULL)
		vrf_free(vrf_def);
	vrf_def = NULL;
	free(nhg_by_id);
	nhg_by_id = NULL;
	nhg_cap = 0;
	nhg_free_hint = 1;
	vrf_next_id = 1;
}

void vrf_set_hooks(const struct vrf_hooks *h)
{
	hooks = *h;
}

struct vrf *vrf_default(void)
{
	return vrf_def;
}

static size_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return (size_t)(h ^ h >> 32);
}

static size_t id_hash(uint32_t id)
{
	return (size_t)(id * 2654435761u);
}

static void hash_insert(struct vrf *v)
{
	size_t bn = name_hash(v->name) & (hcap - 1), bi = id_hash(v->id) & (hcap - 1);

	v->hnext_name = by_name[bn];
	by_name[bn] = v;
	v->hnext_id = by_id[bi];
	by_id[bi] = v;
}

static void hash_remove(struct vrf *v)
{
	struct vrf **pp;

	for (pp = &by_name[name_hash(v->name) & (hcap - 1)]; *pp != v; pp = &(*pp)->hnext_name)
		;
	*pp = v->hnext_name;
	for (pp = &by_id[id_hash(v->id) & (hcap - 1)]; *pp != v; pp = &(*pp)->hnext_id)
		;
	*pp = v->hnext_id;
}

static void hash_grow(void)
{
	struct vrf *v;

	free(by_name);
	free(by_id);
	hcap = hcap == 0 ? 64 : hcap * 2;
	by_name = xcalloc(hcap, sizeof(*by_name));
	by_id = xcalloc(hcap, sizeof(*by_id));
	for (v = vrf_list; v != NULL; v = v->next)
		hash_insert(v);
}

/* Merge sort of the list by name, then the back links. */
static struct vrf *sort_list(struct vrf *h, size_t n)
{
	struct vrf *a, *b, *t, **tp = &h, *out = NULL, **op = &out;
	size_t i;

	if (n < 2)
		return h;
	for (i = 0; i < n / 2; i++)
		tp = &(*tp)->next;
	b = *tp;
	*tp = NULL;
	a = sort_list(h, n / 2);
	b = sort_list(b, n - n / 2);
	while (a != NULL && b != NULL) {
		if (strcmp(a->name, b->name) <= 0) {
			t = a;
			a = a->next;
		} else {
			t = b;
			b = b->next;
		}
		*op = t;
		op = &t->next;
	}
	*op = a != NULL ? a : b;
	return out;
}

static void ensure_sorted(void)
{
	struct vrf *v, *prev = NULL;

	if (!vrf_unsorted)
		return;
	vrf_list = sort_list(vrf_list, vrf_n);
	for (v = vrf_list; v != NULL; v = v->next) {
		v->prev = prev;
		prev = v;
	}
	vrf_unsorted = false;
}

static uint32_t id_take(void)
{
	uint32_t top;
	size_t i = 0;

	if (nfree == 0)
		return vrf_next_id++;
	top = free_ids[0];
	free_ids[0] = free_ids[--nfree];
	for (;;) { /* sift down */
		size_t l = 2 * i + 1, m = i;
		uint32_t t;

		if (l < nfree && free_ids[l] < free_ids[m])
			m = l;
		if (l + 1 < nfree && free_ids[l + 1] < free_ids[m])
			m = l + 1;
		if (m == i)
			break;
		t = free_ids[i];
		free_ids[i] = free_ids[m];
		free_ids[m] = t;
		i = m;
	}
	return top;
}

static void id_give_back(uint32_t id)
{
	size_t i;

	if (nfree == free_cap) {
		free_cap = free_cap ? free_cap * 2 : 16;
		free_ids = xrealloc(free_ids, free_cap * sizeof(*free_ids));
	}
	i = nfree++;
	free_ids[i] = id;
	while (i > 0 && free_ids[(i - 1) / 2] > free_ids[i]) { /* sift up */
		uint32_t t = free_ids[i];

		free_ids[i] = free_ids[(i - 1) / 2];
		free_ids[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

struct vrf *vrf_lookup(const char *name)
{
	struct vrf *v;

	if (strcmp(name, VRF_DEFAULT_NAME) == 0)
		return vrf_def;
	if (hcap == 0)
		return NULL;
	for (v = by_name[name_hash(name) & (hcap - 1)]; v != NULL; v = v->hnext_name)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

struct vrf *vrf_lookup_id(uint32_t id)
{
	struct vrf *v;

	if (id == VRF_DEFAULT_ID)
		return vrf_def;
	if (hcap == 0)
		return NULL;
	for (v = by_id[id_hash(id) & (hcap - 1)]; v != NULL; v = v->hnext_id)
		if (v->id == id)
			return v;
	return NULL;
}

struct vrf *vrf_first(void)
{
	ensure_sorted();
	return vrf_list;
}

struct vrf *vrf_next(const struct vrf *vrf)
{
	return vrf->next;
}

int vrf_count(void)
{
	return (int)vrf_n;
}

/* VRF names become namespace names and appear in config: keep them to
 * letters, digits, '-', '_' and '.', starting with a letter or digit. */
static int vrf_name_check(const char *name, char *err, size_t errlen)
{
	size_t i, len = strlen(name);

	if (len == 0 || len >= VRF_NAMSIZ) {
		snprintf(err, errlen, "VRF name must be 1 to %d characters", VRF_NAMSIZ - 1);
		return -1;
	}
	if (strcmp(name, VRF_DEFAULT_NAME) == 0) {
		snprintf(err, errlen, "\"default\" is the default VRF and cannot be created");
		return -1;
	}
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      (i > 0 && (c == '-' || c == '_' || c == '.')))) {
			snprintf(err, errlen, "invalid character '%c' in VRF name \"%s\"", c, name);
			return -1;
		}
	}
	return 0;
}

struct vrf *vrf_create(const char *name, char *err, size_t errlen)
{
	struct vrf *vrf;

	if (vrf_name_check(name, err, errlen) != 0)
		return NULL;
	if ((vrf = vrf_lookup(name)) != NULL)
		return vrf;
	vrf = vrf_alloc(name, id_take());
	vrf->next = vrf_list; /* sorted when next walked */
	if (vrf_list != NULL)
		vrf_list->prev = vrf;
	vrf_list = vrf;
	vrf_unsorted = vrf->next != NULL;
	if (++vrf_n > hcap)
		hash_grow(); /* inserts every VRF, this one too */
	else
		hash_insert(vrf);
	if (hooks.created != NULL)
		hooks.created(vrf);
	return vrf;
}

int vrf_delete(struct vrf *vrf, char *err, size_t errlen)
{
	char users[256];

	if (vrf == vrf_def) {
		snprintf(err, errlen, "the default VRF cannot be deleted");
		return -1;
	}
	if (hooks.users != NULL && hooks.users(vrf, users, sizeof(users)) > 0) {
		snprintf(err, errlen, "VRF %s is in use by %s; remove them first",
			 vrf->name, users);
		return -1;
	}
	if (vrf_lookup(vrf->name) != vrf)
		fatalx("vrf_delete: %s not in list", vrf->name);
	if (vrf->prev != NULL)
		vrf->prev->next = vrf->next;
	else
		vrf_list = vrf->next;
	if (vrf->next != NULL)
		vrf->next->prev = vrf->prev;
	hash_remove(vrf);
	vrf_n--;
	if (hooks.deleted != NULL)
		hooks.deleted(vrf);
	id_give_back(vrf->id);
	vrf_free(vrf);
	return 0;
}

int rt_set_add(struct rt_set *s, const struct ecomm *rt)
{
	int i, j;

	for (i = 0; i < s->count; i++) {
		int c = ecomm_cmp(&s->rt[i], rt);

		if (c == 0)
			return 1; /* already there */
		if (c > 0)
			break;
	}
	if (s->count >= VRF_MAX_RT)
		return -1;
	for (j = s->count; j > i; j--)
		s->rt[j] = s->rt[j - 1];
	s->rt[i] = *rt;
	s->count++;
	return 0;
}

int rt_set_del(struct rt_set *s, const struct ecomm *rt)
{
	int i;

	for (i = 0; i < s->count; i++)
		if (ecomm_cmp(&s->rt[i], rt) == 0) {
			memmove(&s->rt[i], &s->rt[i + 1], (size_t)(s->count - i - 1) * sizeof(*rt));
			s->count--;
			return 0;
		}
	return -1;
}

bool rt_set_has(const struct rt_set *s, const struct ecomm *rt)
{
	int i;

	for (i = 0; i < s->count; i++)
		if (ecomm_cmp(&s->rt[i], rt) == 0)
			return true;
	return false;
}

int vrf_route_limit_check(struct vrf *vrf, uint64_t current)
{
	if (vrf == NULL || vrf->max_routes == 0 || current < vrf->max_routes)
		return 0;
	if (vrf->max_warn_only) {
		if (!vrf->limit_warned)
			log_warnx("VRF %s: %llu routes, over the maximum of %u (warning only)",
				  vrf->name, (unsigned long long)current + 1, vrf->max_routes);
		vrf->limit_warned = true;
		return 0;
	}
	if (!vrf->limit_warned)
		log_warnx("VRF %s: maximum of %u routes reached, refusing new prefixes", vrf->name,
			  vrf->max_routes);
	vrf->limit_warned = true;
	return -1;
}

/* ---- static routes ---- */

static bool static_same_nh(const struct static_route *a, const struct static_route *b)
{
	return ipaddr_equal(&a->gw, &b->gw) && a->blackhole == b->blackhole &&
	       strcmp(a->ifname, b->ifname) == 0;
}

/* Pushes the statics of one prefix into the RIB: one route per distance,
 * with all next hops of that distance as ECMP members (zebra's model). */
static int static_push(struct vrf *vrf, const struct prefix *pfx)
{
	bool present[256] = { false };
	struct rib_dest *d;
	struct rib_route *r;
	struct static_route *s;
	int dist, rc = 0;

	for (s = sidx_first(vrf, pfx); s != NULL && prefix_equal(&s->pfx, pfx); s = s->hnext)
		if (!(s->bfd && s->bfd_down))
			present[s->distance] = true; /* a next hop whose BFD session is down is not */
	d = rib_lookup_exact(vrf->rib, pfx);
	if (d != NULL) {
		bool again = true;

		while (again) {
			again = false;
			d = rib_lookup_exact(vrf->rib, pfx);
			for (r = d ? d->routes : NULL; r != NULL; r = r->next)
				if (r->proto == RIB_STATIC && !present[r->key]) {
					rib_withdraw(vrf->rib, pfx, RIB_STATIC, r->key);
					again = true;
					break;
				}
		}
	}
	for (dist = 1; dist < 256; dist++) {
		struct rib_nh nh[RIB_MAX_NH];
		int n = 0;

		if (!present[dist])
			continue;
		memset(nh, 0, sizeof(nh));
		for (s = sidx_first(vrf, pfx); s != NULL && n < RIB_MAX_NH && prefix_equal(&s->pfx, pfx);
		     s = s->hnext) {
			if (s->distance != dist)
				continue;
			if (s->bfd && s->bfd_down)
				continue; /* its BFD session is down */
			nh[n].gw = s->gw;
			nh[n].blackhole = s->blackhole;
			memcpy(nh[n].ifname, s->ifname, RIB_IFNAMSIZ);
			n++;
		}
		if (rib_update(vrf->rib, pfx, RIB_STATIC, (uint32_t)dist, (uint8_t)dist, 0, nh, n) != 0)
			rc = -1;
	}
	return rc;
}

enum static_result static_add(struct vrf *vrf, const struct static_route *sr)
{
	struct static_route *s;
	int nh_same_pfx = 0;

	for (s = sidx_first(vrf, &sr->pfx); s != NULL && prefix_equal(&s->pfx, &sr->pfx);
	     s = s->hnext) {
		nh_same_pfx++;
		if (static_same_nh(s, sr)) {
			bool bfd_same = s->bfd == sr->bfd && s->bfd_multihop == sr->bfd_multihop &&
					s->bfd_source.af == sr->bfd_source.af &&
					(s->bfd_source.af == 0 ||
					 ipaddr_equal(&s->bfd_source, &sr->bfd_source)) &&
					strcmp(s->bfd_profile, sr->bfd_profile) == 0;

			if (s->distance == sr->distance && bfd_same)
				return STATIC_EXISTS;
			s->distance = sr->distance;
			if (!bfd_same) {
				s->bfd = sr->bfd;
				s->bfd_multihop = sr->bfd_multihop;
				s->bfd_source = sr->bfd_source;
				memcpy(s->bfd_profile, sr->bfd_profile, sizeof(s->bfd_profile));
				s->bfd_down = false;
				static_track(vrf, s);
			}
			static_push(vrf, &sr->pfx);
			return STATIC_UPDATED;
		}
	}
	if (nh_same_pfx >= RIB_MAX_NH)
		return STATIC_LIMIT;
	if (rib_lookup_exact(vrf->rib, &sr->pfx) == NULL && vrf->max_routes != 0 &&
	    !vrf->max_warn_only && rib_count_af(vrf->rib, sr->pfx.af) >= vrf->max_routes) {
		rib_count_rejected(vrf->rib);
		vrf_route_limit_check(vrf, rib_count_af(vrf->rib, sr->pfx.af));
		return STATIC_LIMIT;
	}
	s = xmalloc(sizeof(*s));
	*s = *sr;
	s->bfd_handle = NULL;
	s->bfd_down = false;
	static_track(vrf, s);
	sidx_insert(vrf, s);
	static_push(vrf, &sr->pfx);
	return STATIC_ADDED;
}

enum static_result static_del(struct vrf *vrf, const struct static_route *sr, bool any_distance)
{
	struct static_route *s, *next;
	bool found = false;

	for (s = sidx_first(vrf, &sr->pfx); s != NULL && prefix_equal(&s->pfx, &sr->pfx); s = next) {
		next = s->hnext;
		if (static_same_nh(s, sr) && (any_distance || s->distance == sr->distance)) {
			sidx_remove(vrf, s);
			static_untrack(s);
			free(s);
			found = true;
		}
	}
	if (!found)
		return STATIC_NOTFOUND;
	static_push(vrf, &sr->pfx);
	return STATIC_ADDED;
}

void static_bfd_changed(struct vrf *vrf, struct static_route *sr)
{
	static_push(vrf, &sr->pfx);
}

/* Re-feeds every static prefix (after the route limit was raised, say). */
void static_refresh(struct vrf *vrf)
{
	struct static_route *s;
	size_t i;

	/* once per prefix: at the last of its routes in its chain */
	for (i = 0; vrf->sidx != NULL && i <= vrf->sidx->mask; i++)
		for (s = vrf->sidx->tab[i]; s != NULL; s = s->hnext)
			if (s->hnext == NULL || !prefix_equal(&s->pfx, &s->hnext->pfx))
				static_push(vrf, &s->pfx);
}
