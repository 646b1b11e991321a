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
	b->networks = NULL;
}

void bgp_delete(struct bgp *b)
{
	struct bgp **bp;

	while (b->peers != NULL)
		bgp_peer_delete(b->peers);
	if (ops.instance_deleted != NULL)
		ops.instance_deleted(b);
	networks_free(b);
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

struct bgp_peer *bgp_peer_create(struct bgp *bgp, const struct ipaddr *addr, uint32_t remote_as)
{
	struct bgp_peer *p = xcalloc(1, sizeof(*p)), **pp;

	p->bgp = bgp;
	p->cfg.addr = *addr;
	p->cfg.remote_as = remote_as;
	p->cfg.ebgp_multihop = 1;
	p->cfg.af_active[BGP_AF_IPV4_UNICAST] = bgp->default_ipv4_unicast;
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

void bgp_peer_delete(struct bgp_peer *p)
{
	struct bgp_peer **pp;

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
	if (ops.peer_changed != NULL)
		ops.peer_changed(p, needs_reset);
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
