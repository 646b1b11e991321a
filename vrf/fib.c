#include "config.h"

/*
 * Per-VRF IPv4 longest-prefix-match table.
 *
 * What this implements
 *   The lookup structure is a Poptrie (H. Asai, Y. Ohara, "Poptrie: A
 *   Compressed Trie with Population Count for Fast and Scalable Software IP
 *   Routing Table Lookup", SIGCOMM 2015): a multibit trie with 6-bit strides
 *   whose nodes hold two 64-bit bitmaps, `vector` (slot is an internal node)
 *   and `leafvec` (slot starts a new run of equal leaves), and whose
 *   children and leaves are packed into arrays indexed by population count.
 *   Leaves are pushed (each holds the longest match for its slot), so a
 *   lookup is a branch-light walk of 1 to 3 loads for real tables and never
 *   backtracks. A direct-pointing top level resolves the first s bits with
 *   one array access (Poptrie's "direct pointing", also the first stage of
 *   DIR-24-8 and DXR).
 *
 *   Beside it sits the control structure that updates are made against: a
 *   stride-6 multibit prefix trie (Tree Bitmap layout, Eatherton et al.,
 *   2004): a control node at offset o (0, 6, ..., 30) holds the prefixes of
 *   length o+1..o+6 of its region in a 126-bit heap-ordered bitmap with a
 *   packed array of 3-byte next hops, and a 64-bit bitmap of children.
 *   Control nodes line up with lookup nodes: the lookup node of a region is
 *   a function of the control node of the same region and the value
 *   inherited from above, which makes partial rebuilds simple.
 *
 * Deviations from the paper
 *   - The direct-pointing level adapts to the table size: s = 6 bits (512
 *     bytes) for small tables, 12 bits from 4096 prefixes, 18 bits (2 MiB)
 *     from 262144 prefixes, with hysteresis on the way down. Thousands of
 *     small VRFs stay small; the full table gets Poptrie18.
 *   - Leaves are 3 bytes (next-hop ids are 24-bit), read with one 4-byte
 *     load.
 *   - Children and leaves of a node live in one heap block addressed by a
 *     pointer (leaves at negative offsets, children at positive ones) rather
 *     than 32-bit indices into buddy-allocated arrays, so that every
 *     unlinked block can be handed on its own to an RCU-style deferred free.
 *     A direct-pointing entry is a tagged 64-bit word: a leaf (nh << 1 | 1)
 *     or a pointer to a top node embedded at the start of its own block.
 *   - Updates (single writer): the control trie is changed, then the lookup
 *     nodes of the affected direct-pointing entries are rebuilt copy-on-write
 *     along the changed path. Child subtrees whose control data and inherited
 *     value did not change are shared, not copied. The new nodes are complete
 *     before they are published with one atomic release store of the entry;
 *     published memory is never written again. Blocks that were unlinked
 *     are passed to the reclaim hook only after that store (so readers that
 *     could still see them started before the hook was called). A change of
 *     s rebuilds everything into a new top array published the same way.
 *   - fib_build() fills the control trie and builds the lookup structure
 *     once (full table well under a second).
 *
 * Readers: fib_lookup*() load the top with acquire semantics and only follow
 * pointers from there, so with a reclaim hook such as liburcu's call_rcu the
 * caller runs lookups inside rcu_read_lock()/rcu_read_unlock().
 */

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "vrf/fib.h"
#include "vrf/fib_common.h"

#define STRIDE 6
#define TOP_MIN_BITS 6
#define TOP12_AT 4096u   /* prefixes from which the top level resolves 12 bits */
#define TOP18_AT 262144u /* ... and 18 bits */

/* The lookup node, struct pnode, is in fib_common.h (shared with fib6.c). */

/* Direct-pointing level: 1 << s entries for the top s bits of the key. */
struct ftop {
	uint32_t shift;  /* 32 - s */
	uint32_t kshift; /* 32 + s: moves the bits after the top s to the top of a u64 */
	uint64_t ent[];  /* (nh << 1) | 1, or a const struct pnode * (never 0 once built) */
};

/* Control node for the region at offset o: prefixes of length o+1..o+6 at
 * heap index (1 << ll) - 2 + bits (ll = length - o), children at o+6. The
 * flexible part holds popcount(cbm) child pointers then popcount(pbm)
 * 3-byte next hops. */
struct cnode {
	uint64_t pbm[2];
	uint64_t cbm;
	struct cnode *child[];
};

struct fib {
	struct ftop *top; /* atomic: readers load it with acquire */
	unsigned s;
	uint32_t dflt;    /* next hop of 0.0.0.0/0, or FIB_NH_NONE */
	struct cnode *root;
	size_t count;
	size_t mem_ctl;   /* control nodes */
	size_t mem_lk;    /* top array and lookup blocks */
	void (*notify)(void *arg, uint32_t addr, uint8_t len, uint32_t nh);
	void *notify_arg;
	struct fib_defer dfr; /* unlinked lookup memory, released after publishing */
};

/* A single-prefix change, and the state of that prefix before it. */
struct chg {
	uint32_t addr;
	uint8_t len;
	bool old_present;
	uint32_t old_nh;
};

/* ---------------------------------------------------------------- helpers */

/* chunk_size, pc64, get24, put24, round8: fib_common.h */

static inline uint32_t pfx_mask(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

/* Does addr lie in the region of offset o that starts at ra? */
static inline bool in_region(uint32_t addr, unsigned o, uint32_t ra)
{
	return o == 0 || ((addr ^ ra) >> (32 - o)) == 0;
}

/* ---------------------------------------------------------- control trie */

static inline unsigned cn_nchild(const struct cnode *c)
{
	return pc64(c->cbm);
}

static inline unsigned cn_npfx(const struct cnode *c)
{
	return pc64(c->pbm[0]) + pc64(c->pbm[1]);
}

static inline uint8_t *cn_nh(struct cnode *c)
{
	return (uint8_t *)&c->child[cn_nchild(c)];
}

static inline const uint8_t *cn_nh_c(const struct cnode *c)
{
	return (const uint8_t *)&c->child[cn_nchild(c)];
}

static inline size_t cn_size(unsigned nc, unsigned np)
{
	/* + 1: next hops are read with 4-byte loads */
	return sizeof(struct cnode) + nc * sizeof(struct cnode *) + 3 * (size_t)np + 1;
}

static inline bool pbm_test(const struct cnode *c, unsigned i)
{
	return (c->pbm[i >> 6] >> (i & 63)) & 1;
}

/* Rank of prefix index i among the node's prefixes. */
static inline unsigned pbm_rank(const struct cnode *c, unsigned i)
{
	uint64_t below = (i & 63) ? ((1ULL << (i & 63)) - 1) : 0;

	if (i < 64)
		return pc64(c->pbm[0] & below);
	return pc64(c->pbm[0]) + pc64(c->pbm[1] & below);
}

static inline struct cnode *cn_child(const struct cnode *c, unsigned j)
{
	if (c == NULL || !((c->cbm >> j) & 1))
		return NULL;
	return c->child[pc64(c->cbm & ((1ULL << j) - 1))];
}

static struct cnode *cn_resize(struct fib *f, struct cnode *c, size_t oldsz, size_t newsz)
{
	f->mem_ctl -= chunk_size(oldsz);
	c = xrealloc(c, newsz);
	f->mem_ctl += chunk_size(newsz);
	return c;
}

static struct cnode *cn_new(struct fib *f)
{
	struct cnode *c = xcalloc(1, cn_size(0, 0));

	f->mem_ctl += chunk_size(cn_size(0, 0));
	return c;
}

static void cn_free(struct fib *f, struct cnode *c)
{
	f->mem_ctl -= chunk_size(cn_size(cn_nchild(c), cn_npfx(c)));
	free(c);
}

/* Returns the slot holding child j of *cp, inserting an empty child if absent
 * (which may move *cp). */
static struct cnode **cn_child_slot(struct fib *f, struct cnode **cp, unsigned j)
{
	struct cnode *c = *cp;
	unsigned r = pc64(c->cbm & ((1ULL << j) - 1));
	unsigned nc = cn_nchild(c), np = cn_npfx(c);

	if ((c->cbm >> j) & 1)
		return &c->child[r];
	c = cn_resize(f, c, cn_size(nc, np), cn_size(nc + 1, np));
	memmove(&c->child[r + 1], &c->child[r], (nc - r) * sizeof(c->child[0]) + 3 * (size_t)np);
	c->child[r] = cn_new(f);
	c->cbm |= 1ULL << j;
	*cp = c;
	return &c->child[r];
}

static void cn_child_remove(struct fib *f, struct cnode **cp, unsigned j)
{
	struct cnode *c = *cp;
	unsigned r = pc64(c->cbm & ((1ULL << j) - 1));
	unsigned nc = cn_nchild(c), np = cn_npfx(c);

	memmove(&c->child[r], &c->child[r + 1], (nc - r - 1) * sizeof(c->child[0]) + 3 * (size_t)np);
	c->cbm &= ~(1ULL << j);
	*cp = cn_resize(f, c, cn_size(nc, np), cn_size(nc - 1, np));
}

static inline unsigned local_idx(uint32_t addr, unsigned o, unsigned len)
{
	unsigned ll = len - o;

	return (1u << ll) - 2 + ((addr << o) >> (32 - ll));
}

/* Sets prefix (addr, len >= 1). Reports its previous state. */
static void ctl_set(struct fib *f, uint32_t addr, unsigned len, uint32_t nh, bool *had, uint32_t *oldnh)
{
	struct cnode **cp = &f->root;
	unsigned o = 0, i, r, nc, np;
	struct cnode *c;

	for (;;) {
		if (*cp == NULL)
			*cp = cn_new(f);
		if (len <= o + STRIDE)
			break;
		cp = cn_child_slot(f, cp, (addr << o) >> (32 - STRIDE));
		o += STRIDE;
	}
	c = *cp;
	i = local_idx(addr, o, len);
	r = pbm_rank(c, i);
	if (pbm_test(c, i)) {
		*had = true;
		*oldnh = get24(cn_nh(c) + 3 * r);
		put24(cn_nh(c) + 3 * r, nh);
		return;
	}
	*had = false;
	nc = cn_nchild(c);
	np = cn_npfx(c);
	c = cn_resize(f, c, cn_size(nc, np), cn_size(nc, np + 1));
	memmove(cn_nh(c) + 3 * (r + 1), cn_nh(c) + 3 * r, 3 * (size_t)(np - r));
	c->pbm[i >> 6] |= 1ULL << (i & 63);
	put24(cn_nh(c) + 3 * r, nh);
	*cp = c;
}

/* Removes prefix (addr, len >= 1) and control nodes left empty. Returns
 * false if absent. */
static bool ctl_del(struct fib *f, uint32_t addr, unsigned len, uint32_t *oldnh)
{
	struct cnode **path[32 / STRIDE + 2];
	struct cnode **cp = &f->root;
	unsigned o = 0, depth = 0, i, r, nc, np;
	struct cnode *c;

	for (;;) {
		if (*cp == NULL)
			return false;
		path[depth++] = cp;
		if (len <= o + STRIDE)
			break;
		c = *cp;
		if (!((c->cbm >> ((addr << o) >> (32 - STRIDE))) & 1))
			return false;
		cp = &c->child[pc64(c->cbm & ((1ULL << ((addr << o) >> (32 - STRIDE))) - 1))];
		o += STRIDE;
	}
	c = *cp;
	i = local_idx(addr, o, len);
	if (!pbm_test(c, i))
		return false;
	r = pbm_rank(c, i);
	*oldnh = get24(cn_nh(c) + 3 * r);
	nc = cn_nchild(c);
	np = cn_npfx(c);
	memmove(cn_nh(c) + 3 * r, cn_nh(c) + 3 * (r + 1), 3 * (size_t)(np - r - 1));
	c->pbm[i >> 6] &= ~(1ULL << (i & 63));
	*cp = cn_resize(f, c, cn_size(nc, np), cn_size(nc, np - 1));
	/* Drop empty nodes bottom-up. */
	while (depth > 0) {
		c = *path[depth - 1];
		if (c->cbm != 0 || c->pbm[0] != 0 || c->pbm[1] != 0)
			break;
		cn_free(f, c);
		*path[depth - 1] = NULL;
		depth--;
		if (depth > 0) {
			o = STRIDE * (depth - 1);
			cn_child_remove(f, path[depth - 1], (addr << o) >> (32 - STRIDE));
		}
	}
	return true;
}

static void ctl_free(struct fib *f, struct cnode *c)
{
	unsigned k, nc;

	if (c == NULL)
		return;
	nc = cn_nchild(c);
	for (k = 0; k < nc; k++)
		ctl_free(f, c->child[k]);
	cn_free(f, c);
}

/* Local prefix (heap index and next hop), sorted by index, i.e. by length. */
struct lpfx {
	uint8_t idx;
	uint32_t nh;
};

/* The 64 slot values of region (o, ra): the longest local prefix covering
 * each slot, else d. With old, the change chg (if it is local to this node)
 * is undone first, giving the values before the change. */
static void paint(const struct cnode *c, unsigned o, uint32_t ra, uint32_t d,
		  const struct chg *chg, bool old, uint32_t vals[64])
{
	struct lpfx lp[128];
	unsigned n = 0, k, i;

	if (c != NULL) {
		const uint8_t *nh = cn_nh_c(c);
		unsigned w;

		for (w = 0; w < 2; w++) {
			uint64_t b = c->pbm[w];

			while (b) {
				lp[n].idx = (uint8_t)(64 * w + (unsigned)__builtin_ctzll(b));
				lp[n].nh = get24(nh + 3 * n);
				n++;
				b &= b - 1;
			}
		}
	}
	if (old && chg != NULL && chg->len > o && chg->len <= o + STRIDE &&
	    in_region(chg->addr, o, ra)) {
		unsigned ci = local_idx(chg->addr, o, chg->len);

		for (k = 0; k < n && lp[k].idx < ci; k++)
			;
		if (k < n && lp[k].idx == ci) {
			if (chg->old_present) {
				lp[k].nh = chg->old_nh;
			} else {
				memmove(&lp[k], &lp[k + 1], (n - k - 1) * sizeof(lp[0]));
				n--;
			}
		} else if (chg->old_present) {
			memmove(&lp[k + 1], &lp[k], (n - k) * sizeof(lp[0]));
			lp[k].idx = (uint8_t)ci;
			lp[k].nh = chg->old_nh;
			n++;
		}
	}
	for (i = 0; i < 64; i++)
		vals[i] = d;
	for (k = 0; k < n; k++) {
		unsigned x = lp[k].idx + 2u;
		unsigned ll = 31u - (unsigned)__builtin_clz(x);
		unsigned w = STRIDE - ll;
		unsigned lo = (x - (1u << ll)) << w;

		for (i = 0; i < (1u << w); i++)
			vals[lo + i] = lp[k].nh;
	}
}

/* ------------------------------------------------------- lookup building */

static void release(struct fib *f, void *p, size_t req)
{
	f->mem_lk -= chunk_size(req);
	fib_defer_push(&f->dfr, p);
}

/* Called once every unlinked block is unreachable from the published
 * structure. */
static void flush(struct fib *f)
{
	fib_defer_flush(&f->dfr);
}

static size_t block_req(bool top, unsigned nl, unsigned nc)
{
	return round8((top ? sizeof(struct pnode) : 0) + 3 * (size_t)nl) +
	       nc * sizeof(struct pnode) + (nc ? 0 : 1);
}

/* Unlinks the block of node n (shallow). */
static void release_block(struct fib *f, const struct pnode *n, bool top)
{
	unsigned nl = pc64(n->leafvec), nc = pc64(n->vector);
	const uint8_t *start = top ? (const uint8_t *)n : n->base - round8(3 * (size_t)nl);

	release(f, (void *)(uintptr_t)start, block_req(top, nl, nc));
}

static void release_deep(struct fib *f, const struct pnode *n, bool top)
{
	const struct pnode *ch = (const struct pnode *)n->base;
	unsigned k, nc = pc64(n->vector);

	for (k = 0; k < nc; k++)
		release_deep(f, &ch[k], false);
	release_block(f, n, top);
}

/*
 * Builds the lookup node of region (o, ra) from control node c (non-NULL)
 * and the inherited value d. old is the node it replaces (NULL: none), whose
 * inherited value was d_old; chg is the change if it lies strictly below o
 * in this region, else NULL. Old blocks on the way are released. For a top
 * node the pnode is embedded in its block and returned; otherwise it is
 * written to *out.
 */
static const struct pnode *node_build(struct fib *f, const struct cnode *c, unsigned o, uint32_t ra,
				      uint32_t d, const struct pnode *old, uint32_t d_old,
				      const struct chg *chg, bool top, struct pnode *out)
{
	uint32_t vn[64], vo[64], lv[64];
	uint64_t vector = o + STRIDE < 32 ? c->cbm : 0, leafvec = 0;
	unsigned nl = 0, nc = pc64(vector), j, q, k;
	const struct pnode *och = old ? (const struct pnode *)old->base : NULL;
	struct pnode *ch, self;
	uint8_t *blk;
	size_t req, boff;

	paint(c, o, ra, d, chg, false, vn);
	if (old != NULL)
		paint(c, o, ra, d_old, chg, true, vo);
	for (j = 0; j < 64; j++) {
		if ((vector >> j) & 1)
			continue;
		if (nl == 0 || vn[j] != lv[nl - 1]) {
			leafvec |= 1ULL << j;
			lv[nl++] = vn[j];
		}
	}
	req = block_req(top, nl, nc);
	boff = round8((top ? sizeof(struct pnode) : 0) + 3 * (size_t)nl);
	blk = xmalloc(req);
	f->mem_lk += chunk_size(req);
	if (boff > (top ? sizeof(struct pnode) : 0) + 3 * (size_t)nl)
		memset(blk + (top ? sizeof(struct pnode) : 0), 0,
		       boff - (top ? sizeof(struct pnode) : 0) - 3 * (size_t)nl);
	if (nc == 0)
		blk[boff] = 0;
	for (k = 0; k < nl; k++)
		put24(blk + boff - 3 * (k + 1), lv[k]);
	ch = (struct pnode *)(void *)(blk + boff);
	for (j = 0, q = 0; j < 64; j++) {
		const struct pnode *oc = NULL;
		uint32_t cra;
		bool onpath;

		if (!((vector >> j) & 1))
			continue;
		if (old != NULL && ((old->vector >> j) & 1))
			oc = &och[pc64(old->vector & ((1ULL << j) - 1))];
		cra = ra | (uint32_t)j << (32 - STRIDE - o);
		onpath = chg != NULL && chg->len > o + STRIDE && in_region(chg->addr, o + STRIDE, cra);
		if (oc != NULL && !onpath && vo[j] == vn[j])
			ch[q] = *oc;
		else
			node_build(f, cn_child(c, j), o + STRIDE, cra, vn[j], oc, oc ? vo[j] : 0,
				   onpath ? chg : NULL, false, &ch[q]);
		q++;
	}
	if (old != NULL) {
		/* Old children that became leaves. */
		uint64_t gone = old->vector & ~vector;

		while (gone) {
			j = (unsigned)__builtin_ctzll(gone);
			release_deep(f, &och[pc64(old->vector & ((1ULL << j) - 1))], false);
			gone &= gone - 1;
		}
		release_block(f, old, top);
	}
	self.vector = vector;
	self.leafvec = leafvec;
	self.base = blk + boff;
	if (top) {
		memcpy(blk, &self, sizeof(self));
		return (const struct pnode *)(void *)blk;
	}
	*out = self;
	return out;
}

/* Sets direct-pointing entry e (region ra at offset s) from control node cs
 * (NULL: none) with inherited value d (previously d_old). */
static void top_entry(struct fib *f, struct ftop *t, size_t e, const struct cnode *cs, uint32_t ra,
		      uint32_t d, uint32_t d_old, const struct chg *chg)
{
	uint64_t oldv = t->ent[e], nv;
	const struct pnode *op = (oldv == 0 || (oldv & 1)) ? NULL : (const struct pnode *)(uintptr_t)oldv;

	if (cs != NULL) {
		bool onpath = chg != NULL && chg->len > f->s && in_region(chg->addr, f->s, ra);

		if (op != NULL && !onpath && d == d_old)
			return;
		nv = (uint64_t)(uintptr_t)node_build(f, cs, f->s, ra, d, op, d_old,
						     onpath ? chg : NULL, true, NULL);
	} else {
		if (op != NULL)
			release_deep(f, op, true);
		nv = ((uint64_t)d << 1) | 1;
	}
	if (nv != oldv)
		__atomic_store_n(&t->ent[e], nv, __ATOMIC_RELEASE);
}

/* Visits the direct-pointing entries elo..ehi below control node c (region
 * (o, ra), o < s, c may be NULL) and updates them. */
static void top_walk(struct fib *f, struct ftop *t, const struct cnode *c, unsigned o, uint32_t ra,
		     uint32_t d, uint32_t d_old, const struct chg *chg, size_t elo, size_t ehi)
{
	uint32_t vn[64], vo[64];
	unsigned s = f->s, sh = s - o - STRIDE, j, jlo, jhi;
	size_t ebase = ra >> (32 - s), span = (size_t)1 << sh, e, last;

	paint(c, o, ra, d, chg, false, vn);
	paint(c, o, ra, d_old, chg, true, vo);
	jlo = elo > ebase ? (unsigned)((elo - ebase) >> sh) : 0;
	jhi = (unsigned)((ehi - ebase) >> sh);
	if (jhi > 63)
		jhi = 63;
	for (j = jlo; j <= jhi; j++) {
		uint32_t cra = ra | (uint32_t)j << (32 - STRIDE - o);
		const struct cnode *cc = cn_child(c, j);

		if (sh == 0) {
			top_entry(f, t, ebase + j, cc, cra, vn[j], vo[j], chg);
		} else if (cc != NULL) {
			top_walk(f, t, cc, o + STRIDE, cra, vn[j], vo[j], chg, elo, ehi);
		} else {
			e = ebase + j * span;
			last = e + span - 1;
			if (e < elo)
				e = elo;
			if (last > ehi)
				last = ehi;
			for (; e <= last; e++)
				top_entry(f, t, e, NULL, (uint32_t)(e << (32 - s)), vn[j], vo[j], chg);
		}
	}
}

static unsigned want_bits(size_t n, unsigned cur)
{
	unsigned up = n >= TOP18_AT ? 18 : n >= TOP12_AT ? 12 : TOP_MIN_BITS;
	unsigned down = n >= TOP18_AT / 2 ? 18 : n >= TOP12_AT / 2 ? 12 : TOP_MIN_BITS;

	if (up >= cur)
		return up;
	return down < cur ? down : cur;
}

static size_t top_req(unsigned s)
{
	return sizeof(struct ftop) + ((size_t)1 << s) * sizeof(uint64_t);
}

/* Rebuilds the whole lookup structure with an s-bit top level and publishes it. */
static void rebuild_all(struct fib *f, unsigned s)
{
	struct ftop *t = xcalloc(1, top_req(s)), *ot = f->top;
	size_t e;

	f->mem_lk += chunk_size(top_req(s));
	t->shift = 32 - s;
	t->kshift = 32 + s;
	f->s = s;
	top_walk(f, t, f->root, 0, 0, f->dflt, f->dflt, NULL, 0, ((size_t)1 << s) - 1);
	__atomic_store_n(&f->top, t, __ATOMIC_RELEASE);
	if (ot != NULL) {
		unsigned os = 32 - ot->shift;

		for (e = 0; e < ((size_t)1 << os); e++)
			if (!(ot->ent[e] & 1))
				release_deep(f, (const struct pnode *)(uintptr_t)ot->ent[e], true);
		release(f, ot, top_req(os));
	}
	flush(f);
}

/* Brings the lookup structure up to date after chg. */
static void apply(struct fib *f, const struct chg *chg, uint32_t dflt_old)
{
	unsigned s = want_bits(f->count, f->s);
	uint32_t last = chg->addr | ~pfx_mask(chg->len);

	if (s != f->s) {
		rebuild_all(f, s);
		return;
	}
	top_walk(f, f->top, f->root, 0, 0, f->dflt, dflt_old, chg, chg->addr >> (32 - s), last >> (32 - s));
	flush(f);
}

/* ------------------------------------------------------------- lookups */

/* The walk below the direct-pointing entry e (not a leaf). */
static inline __attribute__((always_inline)) uint32_t walk(const struct ftop *t, uint64_t e, uint32_t key)
{
	const struct pnode *n = (const struct pnode *)(uintptr_t)e;
	uint64_t k = (uint64_t)key << t->kshift, b;
	unsigned v;

	for (;;) {
		v = (unsigned)(k >> 58);
		b = n->vector << (63 - v);
		if ((int64_t)b >= 0)
			break;
		n = (const struct pnode *)n->base + (pc64(b) - 1);
		k <<= STRIDE;
	}
	return get24(n->base - 3 * (size_t)pc64(n->leafvec << (63 - v)));
}

static inline __attribute__((always_inline)) uint32_t lookup_one(const struct ftop *t, uint32_t key)
{
	uint64_t e = __atomic_load_n(&t->ent[key >> t->shift], __ATOMIC_ACQUIRE);

	if (e & 1)
		return (uint32_t)(e >> 1);
	return walk(t, e, key);
}

/* A node with one leaf and no children: walked instead of branching when a
 * direct-pointing entry is a leaf, because that branch is unpredictable for
 * random keys (a quarter of the /18 entries of a full table are nodes). */
static const uint8_t no_leaf[8];
static const struct pnode leaf_node = { 0, 1, no_leaf + 4 };

static inline __attribute__((always_inline)) uint32_t lookup_nb(const struct ftop *t, uint32_t key)
{
	uint64_t e = __atomic_load_n(&t->ent[key >> t->shift], __ATOMIC_ACQUIRE);
	uint64_t leaf = 0 - (e & 1);
	uint32_t r = walk(t, (e & ~leaf) | ((uint64_t)(uintptr_t)&leaf_node & leaf), key);

	return (uint32_t)(((e >> 1) & leaf) | (r & ~leaf));
}

/* FIB_CLONES (fib_common.h): POPCNT clones picked at load time. */
FIB_CLONES uint32_t fib_lookup(const struct fib *f, uint32_t addr)
{
	return lookup_one(__atomic_load_n(&f->top, __ATOMIC_ACQUIRE), addr);
}

/* Software pipelining: while key i is looked up, the top node of key i + 12
 * and the direct-pointing entry of key i + 24 are prefetched, so the
 * dependent loads of consecutive keys overlap. */
#define PF_NODE 12
#define PF_ENT 24

FIB_CLONES void fib_lookup_bulk(const struct fib *f, const uint32_t *addrs, uint32_t *nhs, size_t n)
{
	const struct ftop *t = __atomic_load_n(&f->top, __ATOMIC_ACQUIRE);
	size_t i = 0;

	if (n > PF_ENT) {
		for (; i < n - PF_ENT; i++) {
			uint64_t e = __atomic_load_n(&t->ent[addrs[i + PF_NODE] >> t->shift], __ATOMIC_RELAXED);
			uintptr_t p = (e & 1) ? (uintptr_t)t : (uintptr_t)e;

			__builtin_prefetch(&t->ent[addrs[i + PF_ENT] >> t->shift]);
			__builtin_prefetch((const void *)p);
			nhs[i] = lookup_one(t, addrs[i]);
		}
	}
	for (; i < n; i++)
		nhs[i] = lookup_one(t, addrs[i]);
}

/* ------------------------------------------------------------ public API */

struct fib *fib_new(void)
{
	struct fib *f = xcalloc(1, sizeof(*f));

	fib_defer_init(&f->dfr);
	rebuild_all(f, TOP_MIN_BITS);
	return f;
}

void fib_free(struct fib *f)
{
	struct ftop *t;
	size_t e;

	if (f == NULL)
		return;
	t = f->top;
	for (e = 0; e < ((size_t)1 << f->s); e++)
		if (!(t->ent[e] & 1))
			release_deep(f, (const struct pnode *)(uintptr_t)t->ent[e], true);
	release(f, t, top_req(f->s));
	flush(f);
	ctl_free(f, f->root);
	free(f);
}

void fib_set_reclaim(struct fib *f, void (*defer_free)(void *ptr, void *arg), void *arg)
{
	f->dfr.fn = defer_free;
	f->dfr.arg = arg;
}

void fib_set_notify(struct fib *f, void (*notify)(void *arg, uint32_t addr, uint8_t len, uint32_t nh),
		    void *arg)
{
	f->notify = notify;
	f->notify_arg = arg;
}

static void notify(const struct fib *f, uint32_t addr, uint8_t len, uint32_t nh)
{
	if (f->notify != NULL)
		f->notify(f->notify_arg, addr, len, nh);
}

static int notify_walk(uint32_t addr, uint8_t len, uint32_t nh, void *arg)
{
	(void)nh;
	notify(arg, addr, len, FIB_NH_NONE);
	return 0;
}

int fib_add(struct fib *f, uint32_t addr, uint8_t len, uint32_t nh)
{
	struct chg chg;
	uint32_t dflt_old = f->dflt;
	bool had;
	uint32_t oldnh = 0;

	if (len > 32 || nh == FIB_NH_NONE || nh > FIB_NH_MAX)
		return -1;
	addr &= pfx_mask(len);
	if (len == 0) {
		had = f->dflt != FIB_NH_NONE;
		oldnh = f->dflt;
		f->dflt = nh;
	} else {
		ctl_set(f, addr, len, nh, &had, &oldnh);
	}
	if (had && oldnh == nh)
		return 0;
	if (!had)
		f->count++;
	chg.addr = addr;
	chg.len = len;
	chg.old_present = had;
	chg.old_nh = oldnh;
	apply(f, &chg, dflt_old);
	notify(f, addr, len, nh);
	return 0;
}

int fib_del(struct fib *f, uint32_t addr, uint8_t len)
{
	struct chg chg;
	uint32_t dflt_old = f->dflt, oldnh;

	if (len > 32)
		return -1;
	addr &= pfx_mask(len);
	if (len == 0) {
		if (f->dflt == FIB_NH_NONE)
			return -1;
		oldnh = f->dflt;
		f->dflt = FIB_NH_NONE;
	} else if (!ctl_del(f, addr, len, &oldnh)) {
		return -1;
	}
	f->count--;
	chg.addr = addr;
	chg.len = len;
	chg.old_present = true;
	chg.old_nh = oldnh;
	apply(f, &chg, dflt_old);
	notify(f, addr, len, FIB_NH_NONE);
	return 0;
}

int fib_build(struct fib *f, const uint32_t *addrs, const uint8_t *lens, const uint32_t *nhs, size_t n)
{
	size_t k;
	bool had;
	uint32_t oldnh;

	for (k = 0; k < n; k++)
		if (lens[k] > 32 || nhs[k] == FIB_NH_NONE || nhs[k] > FIB_NH_MAX)
			return -1;
	for (k = 0; k < n; k++) {
		if (lens[k] == 0) {
			had = f->dflt != FIB_NH_NONE;
			f->dflt = nhs[k];
		} else {
			ctl_set(f, addrs[k] & pfx_mask(lens[k]), lens[k], nhs[k], &had, &oldnh);
		}
		if (!had)
			f->count++;
	}
	rebuild_all(f, want_bits(f->count, 0));
	for (k = 0; f->notify != NULL && k < n; k++)
		notify(f, addrs[k] & pfx_mask(lens[k]), lens[k], nhs[k]);
	return 0;
}

void fib_clear(struct fib *f)
{
	if (f->notify != NULL)
		fib_walk(f, notify_walk, f);
	ctl_free(f, f->root);
	f->root = NULL;
	f->dflt = FIB_NH_NONE;
	f->count = 0;
	rebuild_all(f, TOP_MIN_BITS);
}

size_t fib_count(const struct fib *f)
{
	return f->count;
}

size_t fib_memory(const struct fib *f)
{
	return chunk_size(sizeof(*f)) + f->mem_ctl + f->mem_lk;
}

static void stats_node(const struct pnode *n, struct fib_stats *st)
{
	const struct pnode *ch = (const struct pnode *)n->base;
	unsigned k, nc = pc64(n->vector);

	st->nodes++;
	st->blocks++;
	st->leaves += pc64(n->leafvec);
	for (k = 0; k < nc; k++)
		stats_node(&ch[k], st);
}

static void stats_ctl(const struct cnode *c, struct fib_stats *st)
{
	unsigned k, nc;

	if (c == NULL)
		return;
	st->cnodes++;
	nc = cn_nchild(c);
	for (k = 0; k < nc; k++)
		stats_ctl(c->child[k], st);
}

void fib_stats(const struct fib *f, struct fib_stats *st)
{
	size_t e;

	memset(st, 0, sizeof(*st));
	st->prefixes = f->count;
	st->mem_total = fib_memory(f);
	st->mem_lookup = f->mem_lk;
	st->mem_control = f->mem_ctl;
	st->direct_bits = f->s;
	for (e = 0; e < ((size_t)1 << f->s); e++)
		if (!(f->top->ent[e] & 1))
			stats_node((const struct pnode *)(uintptr_t)f->top->ent[e], st);
	stats_ctl(f->root, st);
}

/* Pre-order over the binary trie inside control node c: prefix, then the
 * lower half, then the upper half. */
static int walk_local(const struct cnode *c, unsigned o, uint32_t ra, unsigned ll, uint32_t bits,
		      int (*cb)(uint32_t, uint8_t, uint32_t, void *), void *arg);

static int walk_node(const struct cnode *c, unsigned o, uint32_t ra,
		     int (*cb)(uint32_t, uint8_t, uint32_t, void *), void *arg)
{
	int rc = walk_local(c, o, ra, 1, 0, cb, arg);

	return rc ? rc : walk_local(c, o, ra, 1, 1, cb, arg);
}

static int walk_local(const struct cnode *c, unsigned o, uint32_t ra, unsigned ll, uint32_t bits,
		      int (*cb)(uint32_t, uint8_t, uint32_t, void *), void *arg)
{
	unsigned i = (1u << ll) - 2 + bits;
	uint32_t a = ra | bits << (32 - o - ll);
	int rc;

	if (pbm_test(c, i)) {
		rc = cb(a, (uint8_t)(o + ll), get24(cn_nh_c(c) + 3 * pbm_rank(c, i)), arg);
		if (rc)
			return rc;
	}
	if (o + ll == 32)
		return 0;
	if (ll == STRIDE) {
		const struct cnode *cc = cn_child(c, bits);

		return cc ? walk_node(cc, o + STRIDE, a, cb, arg) : 0;
	}
	rc = walk_local(c, o, ra, ll + 1, bits << 1, cb, arg);
	return rc ? rc : walk_local(c, o, ra, ll + 1, (bits << 1) | 1, cb, arg);
}

int fib_walk(const struct fib *f, int (*cb)(uint32_t addr, uint8_t len, uint32_t nh, void *arg), void *arg)
{
	int rc;

	if (f->dflt != FIB_NH_NONE && (rc = cb(0, 0, f->dflt, arg)) != 0)
		return rc;
	return f->root ? walk_node(f->root, 0, 0, cb, arg) : 0;
}
