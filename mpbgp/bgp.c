/* BGP instances and peers: creation, lookup, teardown. The session layer
 * and the RIBs attach to these objects through bgp_ops so that configuration
 * (bgp_cli.c) can be loaded and checked before anything runs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "mpbgp/bgp.h"
#include "mpbgp/bgp_cfg.h"
#include "vrf/vrf.h"

static struct bgp *instances; /* default first, then VRF instances by name */
static struct bgp_ops ops;

void bgp_set_ops(const struct bgp_ops *o)
{
	ops = *o;
}

const struct bgp_ops *bgp_get_ops(void)
{
	return &ops;
}

struct bgp *bgp_first(void)
{
	return instances;
}

struct bgp *bgp_next(const struct bgp *bgp)
{
	return bgp->next;
}

bool bgp_cfg_write_secrets;
static const char *(*local_addr_fn)(const char *vrf, const struct ipaddr *a);

void bgp_set_local_addr_fn(const char *(*fn)(const char *vrf, const struct ipaddr *a))
{
	local_addr_fn = fn;
}

const char *bgp_local_addr(const char *vrf, const struct ipaddr *a)
{
	return local_addr_fn != NULL ? local_addr_fn(vrf, a) : NULL;
}

struct bgp *bgp_lookup(const char *vrf)
{
	struct bgp *b;

	if (vrf != NULL && strcmp(vrf, VRF_DEFAULT_NAME) == 0)
		vrf = NULL;
	for (b = instances; b != NULL; b = b->next)
		if ((vrf == NULL && b->vrf_name[0] == '\0') ||
		    (vrf != NULL && strcmp(b->vrf_name, vrf) == 0))
			return b;
	return NULL;
}

struct bgp *bgp_default_instance(void)
{
	return bgp_lookup(NULL);
}

struct bgp *bgp_create(uint32_t asn, const char *vrf, char *err, size_t errlen)
{
	struct bgp *b, **bp;

	if (vrf != NULL && strcmp(vrf, VRF_DEFAULT_NAME) == 0)
		vrf = NULL;
	if ((b = bgp_lookup(vrf)) != NULL) {
		if (b->asn != asn) {
			snprintf(err, errlen, "BGP is already running; AS is %u", b->asn);
			return NULL;
		}
		return b;
	}
	if (asn == 0) {
		snprintf(err, errlen, "AS 0 is reserved (RFC 7607)");
		return NULL;
	}
	if (vrf != NULL && vrf_lookup(vrf) == NULL &&
	    vrf_create(vrf, err, errlen) == NULL)
		return NULL;
	b = xcalloc(1, sizeof(*b));
	b->asn = asn;
	if (vrf != NULL) {
		snprintf(b->vrf_name, sizeof(b->vrf_name), "%s", vrf);
		b->vrf = vrf_lookup(vrf);
	}
	b->holdtime = BGP_DEFAULT_HOLDTIME;
	b->keepalive = BGP_DEFAULT_KEEPALIVE;
	b->retain_rt_all = true;
	b->default_ipv4_unicast = true;
	b->ebgp_requires_policy = true;
	b->gr_restart_time = 120; /* FRR's defaults */
	b->gr_stalepath_time = 360;
	b->label_alloc = BGP_LABEL_PER_VRF;
	/* the default instance first: it holds the VPN table */
	for (bp = &instances; *bp != NULL; bp = &(*bp)->next)
		if (vrf == NULL || ((*bp)->vrf_name[0] != '\0' && strcmp((*bp)->vrf_name, vrf) > 0))
			break;
	b->next = *bp;
	*bp = b;
	if (ops.instance_created != NULL)
		ops.instance_created(b);
	return b;
}

static void networks_free(struct bgp *b)
{
	struct bgp_network *n, *next;

	for (n = b->networks; n != NULL; n = next) {
		next = n->next;
		free(n);
	}
	b->networks = b->networks_tail = NULL;
	free(b->nethash);
	b->nethash = NULL;
	b->nethash_mask = b->nnetworks = 0;
}

/* ---- network statements ---- */

static size_t net_bucket(const struct bgp *b, enum bgp_af af, const struct bgp_prefix *p)
{
	return (bgp_prefix_hash(p) ^ (uint32_t)af * 0x9e3779b9u) & b->nethash_mask;
}

static int net_cmp(const struct bgp_network *n, enum bgp_af af, const struct bgp_prefix *p)
{
	if ((int)n->af != (int)af)
		return (int)n->af < (int)af ? -1 : 1;
	return bgp_prefix_cmp(&n->p, p);
}

struct bgp_network *bgp_network_find(const struct bgp *b, enum bgp_af af,
				     const struct bgp_prefix *p)
{
	struct bgp_network *n;

	if (b->nethash == NULL)
		return NULL;
	for (n = b->nethash[net_bucket(b, af, p)]; n != NULL; n = n->hnext)
		if (net_cmp(n, af, p) == 0)
			return n;
	return NULL;
}

static void net_rehash(struct bgp *b, size_t nmask)
{
	struct bgp_network *n;

	free(b->nethash);
	b->nethash = xcalloc(nmask + 1, sizeof(*b->nethash));
	b->nethash_mask = nmask;
	for (n = b->networks; n != NULL; n = n->next) {
		size_t k = net_bucket(b, n->af, &n->p);

		n->hnext = b->nethash[k];
		b->nethash[k] = n;
	}
}

void bgp_network_add(struct bgp *b, struct bgp_network *n)
{
	struct bgp_network **np;
	size_t k;

	/* in order: at the tail when it sorts last (a written config), else
	 * walked to its place */
	if (b->networks_tail == NULL || net_cmp(b->networks_tail, n->af, &n->p) < 0) {
		np = b->networks_tail != NULL ? &b->networks_tail->next : &b->networks;
	} else {
		for (np = &b->networks; *np != NULL && net_cmp(*np, n->af, &n->p) < 0;
		     np = &(*np)->next)
			;
	}
	n->next = *np;
	*np = n;
	if (n->next == NULL)
		b->networks_tail = n;
	b->nnetworks++;
	if (b->nethash == NULL || b->nnetworks > b->nethash_mask) {
		net_rehash(b, b->nethash == NULL ? 63 : b->nethash_mask * 2 + 1);
		return;
	}
	k = net_bucket(b, n->af, &n->p);
	n->hnext = b->nethash[k];
	b->nethash[k] = n;
}

void bgp_network_del(struct bgp *b, struct bgp_network *n)
{
	struct bgp_network **np, *prev = NULL;

	for (np = &b->nethash[net_bucket(b, n->af, &n->p)]; *np != NULL; np = &(*np)->hnext)
		if (*np == n) {
			*np = n->hnext;
			break;
		}
	for (np = &b->networks; *np != NULL && *np != n; np = &(*np)->next)
		prev = *np;
	if (*np == n)
		*np = n->next;
	if (b->networks_tail == n)
		b->networks_tail = prev;
	b->nnetworks--;
	free(n);
}

void bgp_delete(struct bgp *b)
{
	struct bgp **bp;

	while (b->peers != NULL)
		bgp_peer_delete(b->peers);
	while (b->groups != NULL)
		bgp_group_delete(b->groups);
	if (ops.instance_deleted != NULL)
		ops.instance_deleted(b);
	networks_free(b);
	bgp_aggregates_free(b);
	for (bp = &instances; *bp != b; bp = &(*bp)->next)
		;
	*bp = b->next;
	free(b);
}

void bgp_fini(void)
{
	/* VRF instances first: they export into the default one */
	while (instances != NULL) {
		struct bgp *b = instances, *last = NULL;

		for (; b != NULL; b = b->next)
			last = b;
		bgp_delete(last);
	}
}

struct bgp_peer *bgp_peer_lookup(const struct bgp *bgp, const struct ipaddr *addr)
{
	struct bgp_peer *p;

	for (p = bgp->peers; p != NULL; p = p->next)
		if (ipaddr_equal(&p->cfg.addr, addr))
			return p;
	return NULL;
}

void bgp_peer_cfg_defaults(struct bgp_peer_cfg *c, const struct bgp *bgp)
{
	memset(c, 0, sizeof(*c));
	c->ebgp_multihop = 1;
	c->af_active[BGP_AF_IPV4_UNICAST] = bgp->default_ipv4_unicast;
}

static struct bgp_peer *peer_new(struct bgp *bgp, const struct ipaddr *addr, uint32_t remote_as,
				 struct bgp_peer_group *g)
{
	struct bgp_peer *p = xcalloc(1, sizeof(*p)), **pp;

	p->bgp = bgp;
	bgp_peer_cfg_defaults(&p->cfg, bgp);
	p->cfg.addr = *addr;
	p->cfg.remote_as = remote_as;
	p->cfg.as_type = remote_as != 0 ? BGP_AS_SPECIFIED : BGP_AS_UNSPEC;
	if (g != NULL)
		bgp_peer_group_bind(p, g);
	p->state = BGP_ST_IDLE;
	for (pp = &bgp->peers; *pp != NULL && ipaddr_cmp(&(*pp)->cfg.addr, addr) < 0;
	     pp = &(*pp)->next)
		;
	p->next = *pp;
	*pp = p;
	if (ops.peer_created != NULL)
		ops.peer_created(p);
	return p;
}

struct bgp_peer *bgp_peer_create(struct bgp *bgp, const struct ipaddr *addr, uint32_t remote_as)
{
	return peer_new(bgp, addr, remote_as, NULL);
}

struct bgp_peer *bgp_peer_create_member(struct bgp *bgp, const struct ipaddr *addr,
					struct bgp_peer_group *g)
{
	return peer_new(bgp, addr, 0, g);
}

static const struct bgp_bfd_hooks *bfd_hooks;

void bgp_set_bfd_hooks(const struct bgp_bfd_hooks *h)
{
	bfd_hooks = h;
}

void bgp_bfd_track(struct bgp_peer *p)
{
	if (bfd_hooks != NULL)
		bfd_hooks->track(p);
}

void bgp_bfd_show(const struct bgp_peer *p, struct json_object *o)
{
	if (bfd_hooks != NULL && p->bfd != NULL)
		bfd_hooks->show(p, o);
}

void bgp_peer_delete(struct bgp_peer *p)
{
	p->group = NULL;
	struct bgp_peer **pp;

	if (bfd_hooks != NULL && p->bfd != NULL)
		bfd_hooks->untrack(p);
	if (ops.peer_deleted != NULL)
		ops.peer_deleted(p);
	for (pp = &p->bgp->peers; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	free(p);
}

/* Something a session depends on changed: let the session layer decide
 * (reset with Cease/6, or start a peer that became complete). */
void bgp_peer_changed(struct bgp_peer *p, bool needs_reset)
{
	bgp_bfd_track(p);
	if (ops.peer_changed != NULL)
		ops.peer_changed(p, needs_reset);
}

void bgp_peer_policy_changed(struct bgp_peer *p, enum bgp_af af, bool in, bool out)
{
	if (ops.peer_policy_changed != NULL)
		ops.peer_policy_changed(p, af, in, out);
}

/* ---- peer-groups ---- */

void bgp_cfg_knob_copy(struct bgp_peer_cfg *dst, const struct bgp_peer_cfg *src, uint32_t mask)
{
	if (mask & BGP_KNOB_REMOTE_AS) {
		dst->remote_as = src->remote_as;
		dst->as_type = src->as_type;
	}
	if (mask & BGP_KNOB_DESCRIPTION)
		memcpy(dst->description, src->description, sizeof(dst->description));
	if (mask & BGP_KNOB_UPDATE_SOURCE) {
		memcpy(dst->update_source, src->update_source, sizeof(dst->update_source));
		dst->update_source_addr = src->update_source_addr;
	}
	if (mask & BGP_KNOB_EBGP_MULTIHOP)
		dst->ebgp_multihop = src->ebgp_multihop;
	if (mask & BGP_KNOB_TIMERS) {
		dst->holdtime = src->holdtime;
		dst->keepalive = src->keepalive;
	}
	if (mask & BGP_KNOB_CONNECT)
		dst->connect_retry = src->connect_retry;
	if (mask & BGP_KNOB_PASSWORD)
		memcpy(dst->password, src->password, sizeof(dst->password));
	if (mask & BGP_KNOB_PASSIVE)
		dst->passive = src->passive;
	if (mask & BGP_KNOB_SHUTDOWN)
		dst->shutdown = src->shutdown;
	if (mask & BGP_KNOB_BFD) {
		dst->bfd = src->bfd;
		dst->bfd_cpf = src->bfd_cpf;
		memcpy(dst->bfd_profile, src->bfd_profile, sizeof(dst->bfd_profile));
	}
	if (mask & BGP_KNOB_AS_OVERRIDE)
		dst->as_override = src->as_override;
	if (mask & BGP_KNOB_ALLOWAS_IN)
		dst->allowas_in = src->allowas_in;
	if (mask & BGP_KNOB_SOO)
		dst->soo = src->soo;
}

void bgp_cfg_afknob_copy(struct bgp_peer_cfg *dst, const struct bgp_peer_cfg *src, int af,
			 uint32_t m)
{
	struct bgp_peer_filter *df = &dst->filter[af];
	const struct bgp_peer_filter *sf = &src->filter[af];
	int d;

	if (m & BGP_AFKNOB_ACTIVATE)
		dst->af_active[af] = src->af_active[af];
	if (m & BGP_AFKNOB_RR_CLIENT)
		dst->rr_client[af] = src->rr_client[af];
	if (m & BGP_AFKNOB_NHS)
		dst->next_hop_self[af] = src->next_hop_self[af];
	if (m & BGP_AFKNOB_NHS_FORCE)
		dst->nhs_force[af] = src->nhs_force[af];
	if (m & BGP_AFKNOB_MAX_PREFIX) {
		dst->max_prefix[af] = src->max_prefix[af];
		dst->max_prefix_warning_only[af] = src->max_prefix_warning_only[af];
		dst->max_prefix_restart = src->max_prefix_restart;
	}
	for (d = BGP_DIR_IN; d <= BGP_DIR_OUT; d++) {
		uint32_t rm = d == BGP_DIR_IN ? BGP_AFKNOB_RMAP_IN : BGP_AFKNOB_RMAP_OUT;
		uint32_t pl = d == BGP_DIR_IN ? BGP_AFKNOB_PLIST_IN : BGP_AFKNOB_PLIST_OUT;
		uint32_t fl = d == BGP_DIR_IN ? BGP_AFKNOB_FLIST_IN : BGP_AFKNOB_FLIST_OUT;

		if (m & rm)
			memcpy(df->route_map[d], sf->route_map[d], sizeof(df->route_map[d]));
		if (m & pl)
			memcpy(df->prefix_list[d], sf->prefix_list[d], sizeof(df->prefix_list[d]));
		if (m & fl)
			memcpy(df->filter_list[d], sf->filter_list[d], sizeof(df->filter_list[d]));
	}
}

struct bgp_peer_group *bgp_group_lookup(const struct bgp *bgp, const char *name)
{
	struct bgp_peer_group *g;

	for (g = bgp->groups; g != NULL; g = g->next)
		if (strcmp(g->name, name) == 0)
			return g;
	return NULL;
}

struct bgp_peer_group *bgp_group_create(struct bgp *bgp, const char *name)
{
	struct bgp_peer_group *g = bgp_group_lookup(bgp, name), **gp;

	if (g != NULL)
		return g;
	g = xcalloc(1, sizeof(*g));
	g->bgp = bgp;
	snprintf(g->name, sizeof(g->name), "%s", name);
	bgp_peer_cfg_defaults(&g->cfg, bgp);
	for (gp = &bgp->groups; *gp != NULL && strcmp((*gp)->name, name) < 0; gp = &(*gp)->next)
		;
	g->next = *gp;
	*gp = g;
	return g;
}

void bgp_group_delete(struct bgp_peer_group *g)
{
	struct bgp_peer_group **gp;
	struct bgp_peer *p, *next;

	for (p = g->bgp->peers; p != NULL; p = next) {
		next = p->next;
		if (p->group == g)
			bgp_peer_delete(p);
	}
	for (gp = &g->bgp->groups; *gp != g; gp = &(*gp)->next)
		;
	*gp = g->next;
	free(g);
}

void bgp_peer_inherit(struct bgp_peer *p)
{
	int af;

	if (p->group == NULL)
		return;
	bgp_cfg_knob_copy(&p->cfg, &p->group->cfg, BGP_KNOB_ALL & ~p->own);
	for (af = 0; af < BGP_AF_MAX; af++)
		bgp_cfg_afknob_copy(&p->cfg, &p->group->cfg, af, BGP_AFKNOB_ALL & ~p->own_af[af]);
}

void bgp_peer_group_bind(struct bgp_peer *p, struct bgp_peer_group *g)
{
	p->group = g;
	bgp_peer_inherit(p);
}

uint32_t bgp_effective_router_id(const struct bgp *bgp)
{
	const struct bgp *def;

	if (bgp->router_id != 0)
		return bgp->router_id;
	def = bgp_lookup(NULL);
	if (def != NULL && def != bgp && def->router_id != 0)
		return def->router_id;
	return ops.auto_router_id != NULL ? ops.auto_router_id() : 0;
}
