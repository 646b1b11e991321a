/* Allocation helpers for struct fwd_tables (fwd.h): construction, growth of
 * the next-hop and label arrays, neighbor snapshots (ARP and ND), drop-cause names.
 *
 * Growth and the worker: the nh and lfib arrays are replaced as a whole.
 * The writer stores the new array first and its capacity second (both
 * release); a reader loads the capacity first and the array second (both
 * acquire). A reader that sees the new capacity therefore also sees the new
 * array, and one that sees the old capacity indexes either array within
 * bounds: capacities only grow. pipeline.c follows this order. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "pe/fwd/fwd.h"

typedef _Atomic(struct fwd_nh *) nh_slot;

static const char *const drop_names[FWD_DROP_MAX] = {
	[FWD_OK] = "ok",
	[FWD_DROP_MALFORMED] = "malformed",
	[FWD_DROP_NO_ROUTE] = "noRoute",
	[FWD_DROP_BLACKHOLE] = "blackhole",
	[FWD_DROP_NO_LSP] = "noLsp",
	[FWD_DROP_TTL] = "ttlExpired",
	[FWD_DROP_MTU] = "mtuExceeded",
	[FWD_DROP_NO_NEIGH] = "noNeighbor",
	[FWD_DROP_BAD_LABEL] = "badLabel",
	[FWD_DROP_PORT_DOWN] = "portDown",
	[FWD_DROP_NOT_IP] = "notIp",
	[FWD_DROP_TX] = "txFailed",
	[FWD_DROP_STACK] = "stackTooDeep",
};

const char *fwd_drop_name(enum fwd_drop d)
{
	if ((unsigned)d >= FWD_DROP_MAX)
		return "unknown";
	return drop_names[d];
}

struct fwd_tables *fwd_tables_new(void)
{
	struct fwd_tables *t = xcalloc(1, sizeof(*t));

	t->vrf_cnt = xcalloc(FWD_MAX_VRFS, sizeof(*t->vrf_cnt));
	atomic_init(&t->nh, NULL);
	atomic_init(&t->nh_cap, 0);
	atomic_init(&t->lfib, NULL);
	atomic_init(&t->lfib_cap, 0);
	atomic_init(&t->ttl_pipe, false);
	atomic_init(&t->icmp_errors, true);
	return t;
}

static void free_nh_array(nh_slot *a, uint32_t cap)
{
	uint32_t i;

	if (a == NULL)
		return;
	for (i = 0; i < cap; i++)
		free(atomic_load_explicit(&a[i], memory_order_relaxed));
	free(a);
}

/* Frees everything reachable except the VRFs' struct fib and fib6: their
 * owner (vrf.c through fwd_ctl.c) creates and frees them, and may keep
 * using them after the forwarding tables are gone. */
void fwd_tables_free(struct fwd_tables *t)
{
	unsigned i;

	if (t == NULL)
		return;
	free_nh_array(atomic_load_explicit(&t->nh, memory_order_relaxed),
		      atomic_load_explicit(&t->nh_cap, memory_order_relaxed));
	free_nh_array(atomic_load_explicit(&t->lfib, memory_order_relaxed),
		      atomic_load_explicit(&t->lfib_cap, memory_order_relaxed));
	for (i = 0; i < FWD_MAX_VRFS; i++)
		free(atomic_load_explicit(&t->vrf[i], memory_order_relaxed));
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		free(atomic_load_explicit(&t->neigh[i], memory_order_relaxed));
		free(atomic_load_explicit(&t->neigh6[i], memory_order_relaxed));
		free(atomic_load_explicit(&t->port[i], memory_order_relaxed));
	}
	free(t->vrf_cnt);
	free(t);
}

struct fwd_nh *fwd_nh_new(enum fwd_nh_type type, uint8_t nadj)
{
	struct fwd_nh *nh;

	if (nadj > FWD_MAX_ADJ)
		fatalx("%s: %u adjacencies", __func__, nadj);
	nh = xcalloc(1, sizeof(*nh) + (size_t)nadj * sizeof(struct fwd_adj));
	nh->type = (uint8_t)type;
	nh->nadj = nadj;
	return nh;
}

/* Stores nh at id, growing the array to the next power of two first; see
 * the top of the file for the publication order. */
static struct fwd_nh *set_slot(_Atomic(nh_slot *) *arrp, _Atomic uint32_t *capp, uint32_t id,
			       struct fwd_nh *nh, void (*defer_free)(void *))
{
	nh_slot *a = atomic_load_explicit(arrp, memory_order_relaxed), *na;
	uint32_t cap = atomic_load_explicit(capp, memory_order_relaxed), ncap, i;

	if (id >= cap) {
		if (nh == NULL)
			return NULL;
		ncap = cap ? cap : 64;
		while (ncap <= id)
			ncap *= 2;
		na = xcalloc(ncap, sizeof(*na));
		for (i = 0; i < cap; i++)
			atomic_init(&na[i], atomic_load_explicit(&a[i], memory_order_relaxed));
		for (; i < ncap; i++)
			atomic_init(&na[i], NULL);
		atomic_store_explicit(arrp, na, memory_order_release);
		atomic_store_explicit(capp, ncap, memory_order_release);
		if (a != NULL) {
			if (defer_free != NULL)
				defer_free(a);
			else
				free(a);
		}
		a = na;
	}
	return atomic_exchange_explicit(&a[id], nh, memory_order_acq_rel);
}

struct fwd_nh *fwd_set_nh(struct fwd_tables *t, uint32_t id, struct fwd_nh *nh,
			  void (*defer_free)(void *))
{
	/* ids above FIB_NH_MAX (vrf/fib.h) cannot come out of a lookup */
	if (id > 0x00ffffffu)
		fatalx("%s: next-hop id %u", __func__, id);
	return set_slot(&t->nh, &t->nh_cap, id, nh, defer_free);
}

struct fwd_nh *fwd_set_lfib(struct fwd_tables *t, mpls_label_t label, struct fwd_nh *nh,
			    void (*defer_free)(void *))
{
	if (label > MPLS_LABEL_MAX)
		fatalx("%s: label %u", __func__, label);
	return set_slot(&t->lfib, &t->lfib_cap, label, nh, defer_free);
}

/* Open addressing at most half full, so probes stay short and the reader's
 * linear probe always ends at an empty slot. Address 0 is the empty marker
 * and is skipped; a repeated address keeps the last MAC. */
struct fwd_neigh_tab *fwd_neigh_build(const struct fwd_neigh *e, size_t n)
{
	struct fwd_neigh_tab *tab;
	size_t slots = 4, i;
	uint32_t j;

	while (slots < 2 * n)
		slots *= 2;
	tab = xcalloc(1, sizeof(*tab) + slots * sizeof(struct fwd_neigh));
	tab->mask = (uint32_t)(slots - 1);
	for (i = 0; i < n; i++) {
		if (e[i].ip == 0)
			continue;
		j = fwd_neigh_hash(e[i].ip) & tab->mask;
		while (tab->slot[j].ip != 0 && tab->slot[j].ip != e[i].ip)
			j = (j + 1) & tab->mask;
		tab->slot[j] = e[i];
	}
	return tab;
}

static bool ip6_empty(const uint8_t ip[16])
{
	static const uint8_t zero[16];

	return memcmp(ip, zero, 16) == 0;
}

/* The same for IPv6: the all-zero address (never a neighbor) marks an
 * empty slot. */
struct fwd_neigh6_tab *fwd_neigh6_build(const struct fwd_neigh6 *e, size_t n)
{
	struct fwd_neigh6_tab *tab;
	size_t slots = 4, i;
	uint32_t j;

	while (slots < 2 * n)
		slots *= 2;
	tab = xcalloc(1, sizeof(*tab) + slots * sizeof(struct fwd_neigh6));
	tab->mask = (uint32_t)(slots - 1);
	for (i = 0; i < n; i++) {
		if (ip6_empty(e[i].ip))
			continue;
		j = fwd_neigh6_hash(e[i].ip) & tab->mask;
		while (!ip6_empty(tab->slot[j].ip) && memcmp(tab->slot[j].ip, e[i].ip, 16) != 0)
			j = (j + 1) & tab->mask;
		tab->slot[j] = e[i];
	}
	return tab;
}
