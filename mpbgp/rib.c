/* Loc-RIB and Adj-RIB-In (RFC 4271 3.2, 9.1). One table per instance and
 * family, keyed by RD + prefix: a chained hash table (the chain link is the
 * dest's private sel_state pointer, so a dest is exactly struct bgp_dest),
 * doubled when the load passes 1. Ordered output sorts on demand. Dests
 * and paths come from per-RIB fixed-size pools (no malloc header each).
 *
 * Adj-RIB-In is not a copy: a peer's paths live in the Loc-RIB dests and are
 * also on a doubly linked per-peer list (peer->adj_in[af]) so that session
 * down removes them without scanning the table. A path is struct bgp_path
 * plus a dest back pointer and the two list links; its attributes are one
 * interned pointer.
 *
 * Inbound policy (the speaker's, applied before bgp_rib_update_in) leaves
 * every received path here: a denied one is flagged BGP_PATH_DENIED (never
 * valid, not counted as accepted); one whose attributes policy changed
 * keeps what was received in attr_in. bgp_rib_reeval_peer() re-runs the
 * policy over a peer's paths from those (soft reconfiguration inbound
 * without a refresh from the peer: FRR's "soft-reconfiguration inbound",
 * always on, at the cost of one pointer per path).
 *
 * Loop detection (RFC 4271 9.1.2 AS loop, with allowas-in; RFC 4456 8
 * ORIGINATOR_ID and CLUSTER_LIST) and next-hop accessibility (RFC 4271
 * 9.1.2.1, through the owner's callback) set BGP_PATH_LOOP / NH_OK / VALID;
 * invalid paths stay in the RIB (shown, never best). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "lib/log.h"
#include "mpbgp/rib.h"

struct rib_path {
	struct bgp_path p; /* first: a bgp_path * is a rib_path * */
	struct bgp_dest *dest;
	struct rib_path *pnext, **pprev; /* per-peer list */
};

struct rib_adjin {
	struct rib_path *head;
	size_t count;
	size_t denied;  /* of count, BGP_PATH_DENIED */
	size_t changed; /* of count, with attr_in */
};

struct rib_hook {
	bgp_rib_change_fn fn;
	void *arg;
};

struct bgp_rib {
	struct bgp_pool dests, paths;
	struct bgp *bgp;
	enum bgp_af af;
	struct bgp_dest **tab;
	size_t mask; /* buckets - 1 */
	size_t ndest, npath;
	struct rib_hook hooks[BGP_RIB_MAX_HOOKS];
	int nhooks;
	bgp_rib_nh_fn nh;
	void *nh_arg;
	struct bgp_decide_ctx ctx;
	uint16_t maxpaths_ebgp, maxpaths_ibgp; /* `maximum-paths [ibgp]` (0, 1: none) */
	bool backup; /* PIC edge: flag a backup path (bgp_rib_set_backup) */
	void *adjout; /* adjout.c's per-RIB state, freed with the RIB */
};

/* ---- object pools ---- */

#if defined(__SANITIZE_ADDRESS__)
#define POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_ASAN 1
#endif
#endif
#ifdef POOL_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(a, n) ASAN_POISON_MEMORY_REGION((a), (n))
#define UNPOISON(a, n) ASAN_UNPOISON_MEMORY_REGION((a), (n))
#else
#define POISON(a, n) ((void)(a), (void)(n))
#define UNPOISON(a, n) ((void)(a), (void)(n))
#endif

/* A block: this header, then objects. Aligned on POOL_BLOCK so that an
 * object's block is its address masked. Objects never handed out yet are
 * taken in order (carved), those given back from the block's free list. */
#define POOL_BLOCK ((size_t)65536)
struct pool_block {
	struct pool_block *anext, **aprev; /* pool->avail: has a free object */
	struct pool_block *bnext, **bprev; /* pool->blocks: all */
	void *free;
	uint32_t inuse, carved;
};
#define POOL_HDR ((sizeof(struct pool_block) + 15) & ~(size_t)15)

static size_t pool_mapped; /* bytes in pool blocks, every pool */
static size_t freed_bytes;  /* by bgp_pool_put and released blocks, since bgp_mem_compacted */
static size_t freed_notify = 16u << 20;
static void (*freed_fn)(void);
static bool freed_armed;

void bgp_mem_set_freed_hook(void (*fn)(void), size_t after)
{
	freed_fn = fn;
	freed_notify = after;
	freed_armed = false;
}

size_t bgp_pool_mapped(void)
{
	return pool_mapped;
}

size_t bgp_mem_freed(void)
{
	return freed_bytes;
}

void bgp_mem_compacted(void)
{
	freed_bytes = 0;
	freed_armed = false;
}

static inline void note_freed(size_t n)
{
	freed_bytes += n;
	if (freed_bytes >= freed_notify && !freed_armed && freed_fn != NULL) {
		freed_armed = true;
		freed_fn();
	}
}

void bgp_pool_init(struct bgp_pool *p, size_t size)
{
	memset(p, 0, sizeof(*p));
	p->size = (size + 7) & ~(size_t)7;
	if (p->size < sizeof(void *))
		p->size = sizeof(void *);
	if (p->size > POOL_BLOCK - POOL_HDR)
		fatalx("bgp_pool_init: objects of %zu bytes do not fit a block", size);
	p->per = (POOL_BLOCK - POOL_HDR) / p->size;
}

static void *block_map(void)
{
#ifdef POOL_ASAN
	void *m = aligned_alloc(POOL_BLOCK, POOL_BLOCK);

	if (m == NULL)
		fatal("pool block");
	return m;
#else
	/* twice the size, then unmap around the aligned middle */
	uint8_t *m = mmap(NULL, 2 * POOL_BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	uint8_t *a;

	if (m == MAP_FAILED)
		fatal("pool block");
	a = (uint8_t *)(((uintptr_t)m + POOL_BLOCK - 1) & ~(uintptr_t)(POOL_BLOCK - 1));
	if (a > m)
		munmap(m, (size_t)(a - m));
	munmap(a + POOL_BLOCK, (size_t)(m + 2 * POOL_BLOCK - (a + POOL_BLOCK)));
	return a;
#endif
}

static void block_unmap(void *b)
{
#ifdef POOL_ASAN
	UNPOISON(b, POOL_BLOCK);
	free(b);
#else
	munmap(b, POOL_BLOCK);
#endif
}

static void avail_push(struct bgp_pool *p, struct pool_block *b)
{
	b->anext = p->avail;
	if (b->anext != NULL)
		b->anext->aprev = &b->anext;
	b->aprev = (struct pool_block **)&p->avail;
	p->avail = b;
}

static void avail_del(struct pool_block *b)
{
	*b->aprev = b->anext;
	if (b->anext != NULL)
		b->anext->aprev = b->aprev;
	b->aprev = NULL;
}

static struct pool_block *block_new(struct bgp_pool *p)
{
	struct pool_block *b = block_map();

	memset(b, 0, sizeof(*b));
	POISON((uint8_t *)b + POOL_HDR, POOL_BLOCK - POOL_HDR);
	b->bnext = p->blocks;
	if (b->bnext != NULL)
		b->bnext->bprev = &b->bnext;
	b->bprev = (struct pool_block **)&p->blocks;
	p->blocks = b;
	p->nblocks++;
	pool_mapped += POOL_BLOCK;
	avail_push(p, b);
	return b;
}

static void block_release(struct bgp_pool *p, struct pool_block *b)
{
	if (b->aprev != NULL)
		avail_del(b);
	*b->bprev = b->bnext;
	if (b->bnext != NULL)
		b->bnext->bprev = b->bprev;
	p->nblocks--;
	p->released++;
	pool_mapped -= POOL_BLOCK;
	block_unmap(b);
}

void *bgp_pool_get(struct bgp_pool *p)
{
	struct pool_block *b = p->avail;
	void *o;

	if (b == NULL)
		b = block_new(p);
	if (b == p->spare)
		p->spare = NULL;
	if (b->free != NULL) {
		o = b->free;
		UNPOISON(o, p->size);
		b->free = *(void **)o;
	}
	else {
		o = (uint8_t *)b + POOL_HDR + (size_t)b->carved * p->size;
		b->carved++;
		UNPOISON(o, p->size);
	}
	if (++b->inuse == p->per)
		avail_del(b);
	p->inuse++;
	memset(o, 0, p->size);
	return o;
}

void bgp_pool_put(struct bgp_pool *p, void *o)
{
	struct pool_block *b;

	if (o == NULL)
		return;
	if (p->inuse == 0)
		fatalx("bgp_pool_put: more objects returned than taken");
	b = (struct pool_block *)((uintptr_t)o & ~(uintptr_t)(POOL_BLOCK - 1));
	if (b->inuse == 0)
		fatalx("bgp_pool_put: object of an empty block");
	p->inuse--;
	*(void **)o = b->free;
	b->free = o;
	POISON(o, p->size);
	if (b->inuse-- == p->per)
		avail_push(p, b);
	note_freed(p->size);
	if (b->inuse > 0)
		return;
	/* all back: keep one empty block, give the others back */
	if (p->spare == NULL)
		p->spare = b;
	else
		block_release(p, b);
}

void bgp_pool_trim(struct bgp_pool *p)
{
	if (p->spare != NULL) {
		block_release(p, p->spare);
		p->spare = NULL;
	}
}

void bgp_pool_destroy(struct bgp_pool *p)
{
	while (p->blocks != NULL) {
		struct pool_block *b = p->blocks;

		p->blocks = b->bnext;
		pool_mapped -= POOL_BLOCK;
		block_unmap(b);
	}
	p->avail = NULL;
	p->spare = NULL;
	p->inuse = 0;
	p->nblocks = 0;
}

/* ---- the table ---- */

#define DEST_NEXT(d) (*(struct bgp_dest **)&(d)->sel_state)

struct bgp_rib *bgp_rib_new(struct bgp *bgp, enum bgp_af af)
{
	struct bgp_rib *rib = xcalloc(1, sizeof(*rib));

	bgp_pool_init(&rib->dests, sizeof(struct bgp_dest));
	bgp_pool_init(&rib->paths, sizeof(struct rib_path));
	rib->bgp = bgp;
	rib->af = af;
	rib->mask = 1023;
	rib->tab = xcalloc(rib->mask + 1, sizeof(*rib->tab));
	rib->ctx.local_as = bgp->asn;
	return rib;
}

struct bgp *bgp_rib_bgp(const struct bgp_rib *rib)
{
	return rib->bgp;
}

enum bgp_af bgp_rib_af(const struct bgp_rib *rib)
{
	return rib->af;
}

int bgp_rib_add_hook(struct bgp_rib *rib, bgp_rib_change_fn fn, void *arg)
{
	if (rib->nhooks >= BGP_RIB_MAX_HOOKS)
		return -1;
	rib->hooks[rib->nhooks].fn = fn;
	rib->hooks[rib->nhooks].arg = arg;
	rib->nhooks++;
	return 0;
}

void bgp_rib_set_nh(struct bgp_rib *rib, bgp_rib_nh_fn fn, void *arg)
{
	rib->nh = fn;
	rib->nh_arg = arg;
}

void bgp_rib_set_always_compare_med(struct bgp_rib *rib, bool on)
{
	rib->ctx.always_compare_med = on;
}

static bool reselect(struct bgp_rib *rib, struct bgp_dest *d, const struct bgp_path *changed,
		     const struct bgp_path *old_best);

/* The decision again for every dest (a setting of the table changed). */
static void reselect_all(struct bgp_rib *rib)
{
	size_t i;

	for (i = 0; i <= rib->mask; i++) {
		struct bgp_dest *d = rib->tab[i];

		while (d != NULL) {
			struct bgp_dest *dn = DEST_NEXT(d);

			reselect(rib, d, NULL, d->best);
			d = dn;
		}
	}
}

void bgp_rib_set_maxpaths(struct bgp_rib *rib, uint16_t ebgp, uint16_t ibgp)
{
	if (rib->maxpaths_ebgp == ebgp && rib->maxpaths_ibgp == ibgp)
		return;
	rib->maxpaths_ebgp = ebgp;
	rib->maxpaths_ibgp = ibgp;
	reselect_all(rib);
}

void bgp_rib_set_backup(struct bgp_rib *rib, bool on)
{
	if (rib->backup == on)
		return;
	rib->backup = on;
	reselect_all(rib);
}

static void free_path(struct bgp_rib *rib, struct rib_path *rp)
{
	bgp_attr_unref(rp->p.attr);
	if (rp->p.attr_in != NULL)
		bgp_attr_unref(rp->p.attr_in);
	bgp_pool_put(&rib->paths, rp);
	rib->npath--;
}

void bgp_rib_free(struct bgp_rib *rib)
{
	struct bgp_peer *peer;
	size_t i;

	if (rib == NULL)
		return;
	/* what was advertised from this RIB holds attribute references too */
	for (peer = rib->bgp->peers; peer != NULL; peer = peer->next)
		bgp_adjout_peer_down(rib, peer);
	for (i = 0; i <= rib->mask; i++) {
		struct bgp_dest *d = rib->tab[i];

		while (d != NULL) {
			struct bgp_dest *dn = DEST_NEXT(d);
			struct bgp_path *p = d->paths;

			while (p != NULL) {
				struct bgp_path *pn = p->next;

				free_path(rib, (struct rib_path *)p);
				p = pn;
			}
			bgp_pool_put(&rib->dests, d);
			d = dn;
		}
	}
	for (peer = rib->bgp->peers; peer != NULL; peer = peer->next) {
		free(peer->adj_in[rib->af]);
		peer->adj_in[rib->af] = NULL;
	}
	free(rib->adjout);
	bgp_pool_destroy(&rib->dests);
	bgp_pool_destroy(&rib->paths);
	free(rib->tab);
	free(rib);
}

void **bgp_rib_adjout_slot(struct bgp_rib *rib)
{
	return &rib->adjout;
}

static void rehash(struct bgp_rib *rib, size_t nmask)
{
	struct bgp_dest **ntab = xcalloc(nmask + 1, sizeof(*ntab));
	size_t i;

	for (i = 0; i <= rib->mask; i++) {
		struct bgp_dest *d = rib->tab[i];

		while (d != NULL) {
			struct bgp_dest *dn = DEST_NEXT(d);
			size_t b = bgp_prefix_hash(&d->p) & nmask;

			DEST_NEXT(d) = ntab[b];
			ntab[b] = d;
			d = dn;
		}
	}
	free(rib->tab);
	rib->tab = ntab;
	rib->mask = nmask;
}

/* After a large withdrawal: a table at most a quarter used goes back to
 * the smallest size the load rule allows (not from dest_unlink_free, so
 * that a walk over the buckets never sees them move), and the pools' spare
 * blocks go back. */
void bgp_rib_compact(struct bgp_rib *rib)
{
	size_t want = 1023;

	while (want < rib->ndest)
		want = want * 2 + 1;
	if (want < rib->mask / 4)
		rehash(rib, want);
	bgp_pool_trim(&rib->dests);
	bgp_pool_trim(&rib->paths);
	bgp_adjout_compact(rib);
}

size_t bgp_rib_buckets(const struct bgp_rib *rib)
{
	return rib->mask + 1;
}

struct bgp_dest *bgp_rib_lookup(const struct bgp_rib *rib, const struct bgp_prefix *p)
{
	struct bgp_dest *d = rib->tab[bgp_prefix_hash(p) & rib->mask];

	for (; d != NULL; d = DEST_NEXT(d))
		if (bgp_prefix_eq(&d->p, p))
			return d;
	return NULL;
}

static struct bgp_dest *dest_get(struct bgp_rib *rib, const struct bgp_prefix *p)
{
	struct bgp_dest *d = bgp_rib_lookup(rib, p);
	size_t b;

	if (d != NULL)
		return d;
	if (rib->ndest > rib->mask)
		rehash(rib, rib->mask * 2 + 1);
	d = bgp_pool_get(&rib->dests);
	d->p = *p;
	b = bgp_prefix_hash(p) & rib->mask;
	DEST_NEXT(d) = rib->tab[b];
	rib->tab[b] = d;
	rib->ndest++;
	return d;
}

static void dest_unlink_free(struct bgp_rib *rib, struct bgp_dest *d)
{
	struct bgp_dest **pp = &rib->tab[bgp_prefix_hash(&d->p) & rib->mask];

	while (*pp != d)
		pp = (struct bgp_dest **)&(*pp)->sel_state;
	*pp = DEST_NEXT(d);
	bgp_pool_put(&rib->dests, d);
	rib->ndest--;
}

/* Multipath (FRR's maximum-paths): the paths that may share forwarding
 * with best, best first and then in decision order, up to the limit for
 * best's kind. Returns true if the set of flagged paths changed. */
#define MP_MAX 64
static bool select_multipath(struct bgp_rib *rib, struct bgp_dest *d, struct bgp_path *best)
{
	struct bgp_path *cand[MP_MAX], *p;
	bool ebgp = best != NULL && best->src == BGP_SRC_PEER && best->peer != NULL &&
		    bgp_peer_ebgp(best->peer, rib->ctx.local_as);
	unsigned max = ebgp ? rib->maxpaths_ebgp : rib->maxpaths_ibgp, n = 0, i, j;
	bool changed = false;

	if (max > MP_MAX)
		max = MP_MAX;
	if (best != NULL && max > 1)
		for (p = d->paths; p != NULL; p = p->next) {
			if (!bgp_path_multipath_eq(p, best, &rib->ctx))
				continue;
			/* insertion in decision order; the worst falls off */
			for (i = n; i > 0 && bgp_path_cmp(p, cand[i - 1], &rib->ctx, NULL) < 0; i--)
				;
			if (i >= max - 1)
				continue;
			if (n < max - 1)
				n++;
			for (j = n - 1; j > i; j--)
				cand[j] = cand[j - 1];
			cand[i] = p;
		}
	for (p = d->paths; p != NULL; p = p->next) {
		bool mp = false;

		if (n > 0 && p == best)
			mp = true;
		for (i = 0; i < n && !mp; i++)
			mp = cand[i] == p;
		if (mp != ((p->flags & BGP_PATH_MULTIPATH) != 0))
			changed = true;
		if (mp)
			p->flags |= BGP_PATH_MULTIPATH;
		else
			p->flags &= ~BGP_PATH_MULTIPATH;
	}
	return changed;
}

/* PIC edge: the best valid path, in decision order, that is neither best
 * nor multipath and whose next hop differs from all of theirs (a second
 * path through the same next hop protects nothing). Returns true if the
 * flagged path changed. */
static bool select_backup(struct bgp_rib *rib, struct bgp_dest *d, struct bgp_path *best)
{
	struct bgp_path *bk = NULL, *p, *q;
	bool changed = false;

	if (rib->backup && best != NULL)
		for (p = d->paths; p != NULL; p = p->next) {
			if (p == best || (p->flags & (BGP_PATH_MULTIPATH | BGP_PATH_DENIED)) ||
			    !(p->flags & BGP_PATH_VALID) || p->src == BGP_SRC_LOCAL)
				continue;
			for (q = d->paths; q != NULL; q = q->next)
				if ((q == best || (q->flags & BGP_PATH_MULTIPATH)) &&
				    ipaddr_equal(&q->attr->nexthop, &p->attr->nexthop))
					break;
			if (q != NULL)
				continue;
			if (bk == NULL || bgp_path_cmp(p, bk, &rib->ctx, NULL) < 0)
				bk = p;
		}
	for (p = d->paths; p != NULL; p = p->next) {
		bool was = (p->flags & BGP_PATH_BACKUP) != 0;

		if (was != (p == bk))
			changed = true;
		if (p == bk)
			p->flags |= BGP_PATH_BACKUP;
		else
			p->flags &= ~BGP_PATH_BACKUP;
	}
	return changed;
}

/* Runs the decision over every path of d (RFC 4271 9.1.2); the dest's
 * reason is the step of the last comparison, as FRR shows it. *mp_changed:
 * the multipath set changed. */
static struct bgp_path *select_best(struct bgp_rib *rib, struct bgp_dest *d, bool *mp_changed)
{
	struct bgp_path *best = NULL, *p;
	enum bgp_select_reason r = BGP_SEL_NONE;

	for (p = d->paths; p != NULL; p = p->next) {
		p->flags &= ~BGP_PATH_BEST;
		if (!(p->flags & BGP_PATH_VALID))
			continue;
		if (best == NULL) {
			best = p;
			continue;
		}
		if (bgp_path_cmp(p, best, &rib->ctx, &r) < 0)
			best = p;
	}
	if (best != NULL)
		best->flags |= BGP_PATH_BEST;
	d->best = best;
	d->reason = r;
	*mp_changed = select_multipath(rib, d, best);
	if (select_backup(rib, d, best))
		*mp_changed = true;
	return best;
}

static void run_hooks(struct bgp_rib *rib, struct bgp_dest *d, const struct bgp_path *old)
{
	int i;

	for (i = 0; i < rib->nhooks; i++)
		rib->hooks[i].fn(rib, d, old, rib->hooks[i].arg);
}

/* Decision after a change of path `changed` (NULL: none in particular);
 * hooks when the best moved, the best itself or a multipath changed, or the
 * multipath set changed (force: a multipath went away); frees an empty dest. */
static bool reselect_mp(struct bgp_rib *rib, struct bgp_dest *d, const struct bgp_path *changed,
			const struct bgp_path *old_best, bool force)
{
	bool mp_changed;
	struct bgp_path *best = select_best(rib, d, &mp_changed);
	bool moved = best != old_best || (changed != NULL && best == changed);

	if (moved || mp_changed || force ||
	    (changed != NULL && (changed->flags & (BGP_PATH_MULTIPATH | BGP_PATH_BACKUP))))
		run_hooks(rib, d, old_best);
	if (d->paths == NULL)
		dest_unlink_free(rib, d);
	return moved;
}

static bool reselect(struct bgp_rib *rib, struct bgp_dest *d, const struct bgp_path *changed,
		     const struct bgp_path *old_best)
{
	return reselect_mp(rib, d, changed, old_best, false);
}

uint32_t bgp_cluster_id(const struct bgp *bgp)
{
	return bgp->cluster_id != 0 ? bgp->cluster_id : bgp->router_id;
}

static int aspath_count(const struct bgp_attr *a, uint32_t asn)
{
	size_t off = 0;
	int n = 0;

	if (a->aspath == NULL)
		return 0;
	while (off + 2 <= a->aspath_len) {
		size_t cnt = a->aspath[off + 1], i;
		const uint8_t *v = a->aspath + off + 2;

		for (i = 0; i < cnt && off + 2 + i * 4 + 4 <= a->aspath_len; i++) {
			const uint8_t *q = v + i * 4;

			if (((uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3]) == asn)
				n++;
		}
		off += 2 + cnt * 4;
	}
	return n;
}

bool bgp_rib_path_looped(const struct bgp *bgp, const struct bgp_peer *peer,
			 const struct bgp_attr *attr)
{
	uint32_t cid = bgp_cluster_id(bgp);
	uint16_t i;

	/* RFC 4271 9.1.2: own AS in the path; allowas-in tolerates N copies */
	if (aspath_count(attr, bgp->asn) > (peer != NULL ? peer->cfg.allowas_in : 0))
		return true;
	/* RFC 4456 8: "SHOULD ignore a route received with its BGP Identifier
	 * as the ORIGINATOR_ID" */
	if ((attr->present & BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID)) && bgp->router_id != 0 &&
	    attr->originator_id == bgp->router_id)
		return true;
	/* RFC 4456 8: "MUST ignore ... its local CLUSTER_ID" in CLUSTER_LIST */
	if ((attr->present & BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST)) && cid != 0)
		for (i = 0; i < attr->ncluster; i++)
			if (attr->cluster_list[i] == cid)
				return true;
	return false;
}

/* Sets LOOP/NH_OK/VALID and the IGP metric of a path; true if any changed. */
static bool path_validate(struct bgp_rib *rib, struct bgp_path *p)
{
	uint32_t old = p->flags, oldm = p->igp_metric, metric = 0;
	uint32_t f = p->flags & ~(BGP_PATH_VALID | BGP_PATH_NH_OK | BGP_PATH_LOOP);
	bool nh_ok = true;

	if (p->src == BGP_SRC_PEER && (f & BGP_PATH_DENIED)) {
		nh_ok = false; /* not a candidate: no next-hop lookup */
	} else if (p->src == BGP_SRC_PEER) {
		if (bgp_rib_path_looped(rib->bgp, p->peer, p->attr))
			f |= BGP_PATH_LOOP;
		if (rib->nh != NULL)
			nh_ok = rib->nh(&p->attr->nexthop, &metric, rib->nh_arg);
	}
	if (nh_ok)
		f |= BGP_PATH_NH_OK;
	if (nh_ok && !(f & (BGP_PATH_LOOP | BGP_PATH_DENIED)))
		f |= BGP_PATH_VALID;
	p->flags = f;
	p->igp_metric = nh_ok ? metric : 0;
	return f != old || p->igp_metric != oldm;
}

static bool same_src(const struct bgp_path *p, const struct bgp_rib_src *s)
{
	return p->src == s->src && p->peer == s->peer && p->origin_bgp == s->origin_bgp &&
	       p->origin == s->origin;
}

static struct rib_adjin *adjin_get(struct bgp_rib *rib, struct bgp_peer *peer)
{
	if (peer->adj_in[rib->af] == NULL)
		peer->adj_in[rib->af] = xcalloc(1, sizeof(struct rib_adjin));
	return peer->adj_in[rib->af];
}

/* The peer's accepted-prefix counter: paths not denied by policy. */
static void adjin_count(struct bgp_rib *rib, struct bgp_peer *peer, const struct rib_adjin *ai)
{
	peer->cnt.prefixes_received[rib->af] = ai->count - ai->denied;
}

/* Sets the policy outcome of a path: its attributes (a reference taken),
 * what was received when policy changed them (attr_in, or NULL), and the
 * denied flag; keeps the peer's counters. */
static void path_set_policy(struct bgp_rib *rib, struct rib_path *rp, const struct bgp_attr *attr,
			    const struct bgp_attr *attr_in, bool denied)
{
	struct bgp_path *p = &rp->p;
	struct rib_adjin *ai = rp->pprev != NULL ? p->peer->adj_in[rib->af] : NULL;

	if (attr_in != NULL)
		bgp_attr_ref(attr_in);
	if (p->attr_in != NULL)
		bgp_attr_unref(p->attr_in);
	if (ai != NULL)
		ai->changed += (size_t)(attr_in != NULL) - (size_t)(p->attr_in != NULL);
	p->attr_in = attr_in;
	if (p->attr != attr) {
		bgp_attr_ref(attr);
		if (p->attr != NULL)
			bgp_attr_unref(p->attr);
		p->attr = attr;
	}
	if (ai != NULL && denied != ((p->flags & BGP_PATH_DENIED) != 0)) {
		if (denied)
			ai->denied++;
		else
			ai->denied--;
		adjin_count(rib, p->peer, ai);
	}
	if (denied)
		p->flags |= BGP_PATH_DENIED;
	else
		p->flags &= ~BGP_PATH_DENIED;
}

struct bgp_path *bgp_rib_update(struct bgp_rib *rib, const struct bgp_rib_src *src,
				const struct bgp_nlri *n, const struct bgp_attr *attr,
				uint32_t weight)
{
	return bgp_rib_update_in(rib, src, n, attr, NULL, weight, false);
}

struct bgp_path *bgp_rib_update_in(struct bgp_rib *rib, const struct bgp_rib_src *src,
				   const struct bgp_nlri *n, const struct bgp_attr *attr,
				   const struct bgp_attr *attr_in, uint32_t weight, bool denied)
{
	struct bgp_dest *d = dest_get(rib, &n->p);
	struct bgp_path *p, *old_best = d->best;
	struct rib_path *rp;
	int nl = n->nlabels < 0 ? 0 : n->nlabels > BGP_MAX_LABELS ? BGP_MAX_LABELS : n->nlabels;

	for (p = d->paths; p != NULL; p = p->next)
		if (same_src(p, src))
			break;
	if (p != NULL) {
		/* implicit withdraw (RFC 4271 3.1): replace in place */
		bool same = p->attr == attr && p->attr_in == attr_in &&
			    denied == ((p->flags & BGP_PATH_DENIED) != 0) && p->nlabels == nl &&
			    p->weight == weight &&
			    memcmp(p->labels, n->labels, sizeof(mpls_label_t) * (size_t)nl) == 0;

		if (same) {
			p->flags &= ~(BGP_PATH_STALE | BGP_PATH_LLGR);
			return p;
		}
		path_set_policy(rib, (struct rib_path *)p, attr, attr_in, denied);
	} else {
		rp = bgp_pool_get(&rib->paths);
		p = &rp->p;
		rp->dest = d;
		p->src = src->src;
		p->peer = src->peer;
		p->origin_bgp = src->origin_bgp;
		p->origin = src->origin;
		p->next = d->paths;
		d->paths = p;
		rib->npath++;
		if (src->src == BGP_SRC_PEER && src->peer != NULL) {
			struct rib_adjin *ai = adjin_get(rib, src->peer);

			rp->pnext = ai->head;
			if (ai->head != NULL)
				ai->head->pprev = &rp->pnext;
			rp->pprev = &ai->head;
			ai->head = rp;
			ai->count++;
			adjin_count(rib, src->peer, ai);
		}
		path_set_policy(rib, rp, attr, attr_in, denied);
	}
	p->nlabels = nl;
	memset(p->labels, 0, sizeof(p->labels));
	memcpy(p->labels, n->labels, sizeof(mpls_label_t) * (size_t)nl);
	p->weight = weight;
	p->uptime = time(NULL);
	p->flags &= ~(BGP_PATH_STALE | BGP_PATH_LLGR);
	path_validate(rib, p);
	reselect(rib, d, p, old_best);
	return p;
}

/* Unlinks and frees one path, then reruns the decision of its dest. */
static void path_remove(struct bgp_rib *rib, struct rib_path *rp)
{
	struct bgp_dest *d = rp->dest;
	struct bgp_path **pp = &d->paths, *old_best = d->best;
	bool was_mp = (rp->p.flags & (BGP_PATH_MULTIPATH | BGP_PATH_BACKUP)) != 0;

	while (*pp != &rp->p)
		pp = &(*pp)->next;
	*pp = rp->p.next;
	if (rp->pprev != NULL) {
		struct rib_adjin *ai = rp->p.peer->adj_in[rib->af];

		*rp->pprev = rp->pnext;
		if (rp->pnext != NULL)
			rp->pnext->pprev = rp->pprev;
		ai->count--;
		ai->denied -= (rp->p.flags & BGP_PATH_DENIED) != 0;
		ai->changed -= rp->p.attr_in != NULL;
		adjin_count(rib, rp->p.peer, ai);
	}
	if (d->best == &rp->p)
		d->best = NULL;
	free_path(rib, rp);
	reselect_mp(rib, d, NULL, old_best, was_mp);
}

int bgp_rib_withdraw(struct bgp_rib *rib, const struct bgp_rib_src *src,
		     const struct bgp_prefix *pfx)
{
	struct bgp_dest *d = bgp_rib_lookup(rib, pfx);
	struct bgp_path *p;

	if (d == NULL)
		return -1;
	for (p = d->paths; p != NULL; p = p->next)
		if (same_src(p, src))
			break;
	if (p == NULL)
		return -1;
	path_remove(rib, (struct rib_path *)p);
	return 0;
}

size_t bgp_rib_withdraw_peer(struct bgp_rib *rib, struct bgp_peer *peer)
{
	struct rib_adjin *ai = peer->adj_in[rib->af];
	size_t n = 0;

	if (ai == NULL)
		return 0;
	while (ai->head != NULL) {
		path_remove(rib, ai->head);
		n++;
	}
	free(ai);
	peer->adj_in[rib->af] = NULL;
	peer->cnt.prefixes_received[rib->af] = 0;
	return n;
}

size_t bgp_rib_mark_peer_stale(struct bgp_rib *rib, struct bgp_peer *peer)
{
	struct rib_adjin *ai = peer->adj_in[rib->af];
	size_t n = 0;

	for (struct rib_path *rp = ai != NULL ? ai->head : NULL; rp != NULL; rp = rp->pnext, n++)
		rp->p.flags |= BGP_PATH_STALE;
	return n;
}

/* a with the LLGR_STALE community (kept sorted), interned, one reference
 * for the caller; a itself when it has it already */
static const struct bgp_attr *llgr_intern(const struct bgp_attr *a)
{
	const struct bgp_attr *na;
	struct bgp_attr t;
	uint16_t k;

	if (bgp_attr_has_comm(a, BGP_COMM_LLGR_STALE) || a->ncommunities == 0xffff) {
		bgp_attr_ref(a);
		return a;
	}
	bgp_attr_copy(&t, a);
	k = t.ncommunities;
	t.communities = xrealloc(t.communities, ((size_t)t.ncommunities + 1) * sizeof(uint32_t));
	while (k > 0 && t.communities[k - 1] > BGP_COMM_LLGR_STALE) {
		t.communities[k] = t.communities[k - 1];
		k--;
	}
	t.communities[k] = BGP_COMM_LLGR_STALE;
	t.ncommunities++;
	t.present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	na = bgp_attr_intern(&t);
	bgp_attr_clear(&t);
	return na;
}

size_t bgp_rib_llgr_stale(struct bgp_rib *rib, struct bgp_peer *peer, size_t *dropped)
{
	struct rib_adjin *ai = peer->adj_in[rib->af];
	struct rib_path *rp, *next;
	size_t n = 0;

	*dropped = 0;
	for (rp = ai != NULL ? ai->head : NULL; rp != NULL; rp = next) {
		struct bgp_path *p = &rp->p;
		const struct bgp_attr *in = p->attr_in != NULL ? p->attr_in : p->attr, *na;
		struct bgp_path *old_best;

		next = rp->pnext;
		if (!(p->flags & BGP_PATH_STALE) || (p->flags & (BGP_PATH_LLGR | BGP_PATH_DENIED)))
			continue;
		if (bgp_attr_has_comm(p->attr, BGP_COMM_NO_LLGR)) { /* RFC 9494 4.3 */
			path_remove(rib, rp);
			(*dropped)++;
			continue;
		}
		old_best = rp->dest->best;
		na = llgr_intern(p->attr);
		path_set_policy(rib, rp, na, in == na ? NULL : in, false);
		bgp_attr_unref(na); /* the path holds its own reference */
		p->flags |= BGP_PATH_LLGR;
		reselect(rib, rp->dest, p, old_best);
		n++;
	}
	return n;
}

size_t bgp_rib_sweep_stale(struct bgp_rib *rib, struct bgp_peer *peer)
{
	struct rib_adjin *ai = peer->adj_in[rib->af];
	struct rib_path *rp, *next;
	size_t n = 0;

	for (rp = ai != NULL ? ai->head : NULL; rp != NULL; rp = next) {
		next = rp->pnext;
		if (rp->p.flags & BGP_PATH_STALE) {
			path_remove(rib, rp);
			n++;
		}
	}
	return n;
}

size_t bgp_rib_sweep_stale_some(struct bgp_rib *rib, struct bgp_peer *peer, size_t max)
{
	struct rib_adjin *ai = peer->adj_in[rib->af];
	struct rib_path *rp, *next;
	size_t n = 0;

	for (rp = ai != NULL ? ai->head : NULL; rp != NULL && n < max; rp = next) {
		next = rp->pnext;
		if (rp->p.flags & BGP_PATH_STALE) {
			path_remove(rib, rp);
			n++;
		}
	}
	return n;
}

void bgp_rib_walk(struct bgp_rib *rib, bgp_rib_walk_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i <= rib->mask; i++) {
		struct bgp_dest *d = rib->tab[i];

		while (d != NULL) {
			struct bgp_dest *dn = DEST_NEXT(d);

			fn(d, arg);
			d = dn;
		}
	}
}

static int dest_sort_cmp(const void *a, const void *b)
{
	const struct bgp_dest *x = *(const struct bgp_dest *const *)a;
	const struct bgp_dest *y = *(const struct bgp_dest *const *)b;
	int c = memcmp(x->p.rd.b, y->p.rd.b, 8); /* wire order: type, then value */

	if (c != 0)
		return c;
	return prefix_cmp(&x->p.pfx, &y->p.pfx);
}

void bgp_rib_walk_sorted(struct bgp_rib *rib, bgp_rib_walk_fn fn, void *arg)
{
	struct bgp_dest **v;
	size_t i, n = 0;

	if (rib->ndest == 0)
		return;
	v = xcalloc(rib->ndest, sizeof(*v));
	for (i = 0; i <= rib->mask; i++) {
		struct bgp_dest *d;

		for (d = rib->tab[i]; d != NULL; d = DEST_NEXT(d))
			v[n++] = d;
	}
	qsort(v, n, sizeof(*v), dest_sort_cmp);
	for (i = 0; i < n; i++)
		fn(v[i], arg);
	free(v);
}

size_t bgp_rib_dest_count(const struct bgp_rib *rib)
{
	return rib->ndest;
}

size_t bgp_rib_path_count(const struct bgp_rib *rib)
{
	return rib->npath;
}

size_t bgp_rib_peer_path_count(const struct bgp_rib *rib, const struct bgp_peer *peer)
{
	const struct rib_adjin *ai = peer->adj_in[rib->af];

	return ai != NULL ? ai->count - ai->denied : 0;
}

size_t bgp_rib_peer_received_count(const struct bgp_rib *rib, const struct bgp_peer *peer)
{
	const struct rib_adjin *ai = peer->adj_in[rib->af];

	return ai != NULL ? ai->count : 0;
}

size_t bgp_rib_peer_policy_count(const struct bgp_rib *rib, const struct bgp_peer *peer)
{
	const struct rib_adjin *ai = peer->adj_in[rib->af];

	return ai != NULL ? ai->denied + ai->changed : 0;
}

size_t bgp_rib_reeval_peer(struct bgp_rib *rib, struct bgp_peer *peer, bgp_rib_in_fn fn,
			   void *arg)
{
	struct rib_adjin *ai = peer->adj_in[rib->af];
	struct rib_path *rp;
	size_t changed = 0;

	if (ai == NULL)
		return 0;
	for (rp = ai->head; rp != NULL; rp = rp->pnext) {
		struct bgp_path *p = &rp->p;
		struct bgp_dest *d = rp->dest;
		struct bgp_path *old_best = d->best;
		const struct bgp_attr *in = p->attr_in != NULL ? p->attr_in : p->attr;
		const struct bgp_attr *out = NULL;
		uint32_t weight = 0;
		bool permit = fn(peer, rib->af, &d->p, in, &out, &weight, arg);

		if (!permit && out != NULL) {
			bgp_attr_unref(out);
			out = NULL;
		}
		if (out == in) { /* the policy gave back what came in */
			bgp_attr_unref(out);
			out = NULL;
		}
		if (permit && (p->flags & BGP_PATH_LLGR)) { /* RFC 9494 4.3: it stays */
			const struct bgp_attr *l = llgr_intern(out != NULL ? out : in);

			if (out != NULL)
				bgp_attr_unref(out);
			out = l;
			if (out == in) {
				bgp_attr_unref(out);
				out = NULL;
			}
		}
		if ((out != NULL ? out : in) == p->attr && (out != NULL ? in : NULL) == p->attr_in &&
		    !permit == ((p->flags & BGP_PATH_DENIED) != 0) && p->weight == weight) {
			if (out != NULL)
				bgp_attr_unref(out);
			continue;
		}
		bgp_attr_ref(in); /* path_set_policy may drop the path's own reference */
		path_set_policy(rib, rp, out != NULL ? out : in, out != NULL ? in : NULL, !permit);
		bgp_attr_unref(in);
		if (out != NULL)
			bgp_attr_unref(out); /* the path holds its own */
		p->weight = weight;
		p->uptime = time(NULL);
		path_validate(rib, p);
		reselect(rib, d, p, old_best);
		changed++;
	}
	return changed;
}

struct bgp_dest *bgp_rib_path_dest(const struct bgp_path *path)
{
	return ((const struct rib_path *)path)->dest;
}

bool bgp_rib_revalidate_step(struct bgp_rib *rib, size_t *pos, size_t max)
{
	size_t changed = 0;

	for (; *pos <= rib->mask; (*pos)++) {
		struct bgp_dest *d = rib->tab[*pos];

		if (changed >= max)
			return false;
		while (d != NULL) {
			struct bgp_dest *dn = DEST_NEXT(d);
			struct bgp_path *p, *old_best = d->best;
			bool any = false;

			for (p = d->paths; p != NULL; p = p->next)
				if (p->src == BGP_SRC_PEER && path_validate(rib, p))
					any = true;
			if (any) {
				reselect(rib, d, NULL, old_best);
				changed++;
			}
			d = dn;
		}
	}
	*pos = 0;
	return true;
}

size_t bgp_rib_revalidate(struct bgp_rib *rib, const struct ipaddr *nexthop)
{
	size_t i, changed = 0;

	for (i = 0; i <= rib->mask; i++) {
		struct bgp_dest *d = rib->tab[i];

		while (d != NULL) {
			struct bgp_dest *dn = DEST_NEXT(d);
			struct bgp_path *p, *old_best = d->best;
			bool any = false;

			for (p = d->paths; p != NULL; p = p->next) {
				if (p->src != BGP_SRC_PEER ||
				    (nexthop != NULL && !ipaddr_equal(&p->attr->nexthop, nexthop)))
					continue;
				if (path_validate(rib, p))
					any = true;
			}
			/* a metric change of the best itself is not a new best */
			if (any && reselect(rib, d, NULL, old_best))
				changed++;
			d = dn;
		}
	}
	return changed;
}
