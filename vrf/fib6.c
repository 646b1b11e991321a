#include "config.h"

/*
 * Per-VRF IPv6 longest-prefix-match table.
 *
 * What this implements
 *   The IPv6 member of the Poptrie family of vrf/fib.c (H. Asai, Y. Ohara,
 *   "Poptrie: A Compressed Trie with Population Count for Fast and Scalable
 *   Software IP Routing Table Lookup", SIGCOMM 2015): the same 24-byte nodes
 *   with 6-bit strides, a `vector` of internal slots and a `leafvec` of leaf
 *   runs, children and 3-byte leaves packed in arrays indexed by population
 *   count, pushed leaves (a lookup never backtracks), and a direct-pointing
 *   top level for the first s bits. Keys are 128 bits, walked as two 64-bit
 *   words shifted together.
 *
 * Shaped for real IPv6 tables
 *   Real tables sit inside 2000::/3 and most prefixes are /48 or shorter,
 *   with peaks at /32, /36, /40, /44 and /48 (the 160,147-prefix table in
 *   ../shared/data: 47 % /48, 14 % /32; 329 prefixes longer than /48).
 *   Node offsets are s + 6k with s a multiple of 6, so that a /48 ends
 *   exactly at the bottom of the node at offset 42 (no node below it), as
 *   do /36 and /42. The direct-pointing level adapts to the table size: 6 bits
 *   (512 bytes) below 4096 prefixes, 12 bits (32 KiB) from 4096, 18 bits
 *   (2 MiB) from 2^20 prefixes, with hysteresis on the way down as fib.c.
 *   s = 12 rather than 16 or 18 for a full table: a 16-bit level does not
 *   line up with /48 (a third more nodes: 94k against 70k for this table)
 *   and an 18-bit level costs 2 MiB (13 bytes per prefix) to skip the
 *   nodes at offsets 12 and 18, which are few (10 and 190 here) and stay in
 *   L1/L2, so s = 12 walks like s = 18 at 1/64 of the top's memory.
 *
 * Deviations from the paper and from fib.c
 *   - No separate control trie. fib.c keeps a stride-6 Tree Bitmap beside
 *     the lookup trie (6.7 B/prefix for IPv4); for IPv6, whose tables are
 *     sparse (2.3 prefixes per node), a second tree of the same shape would
 *     cost more than the lookup structure. Both tries have the same nodes
 *     (a node exists for a region iff the region holds a prefix longer than
 *     its offset o), so each lookup node carries its own prefixes: a list
 *     of (local index, next hop) words, the prefixes of length o+1..o+6 in
 *     Tree Bitmap heap order, stored in its block next to its leaves.
 *     Readers never look at them; updates read them from the published
 *     (immutable) blocks and write new blocks copy-on-write.
 *   - A node without children has no block of its own: its leaves and
 *     prefixes live in its parent's block after the parent's child array
 *     (two thirds of the nodes of a real table). Blocks are per node with
 *     children, so that every unlinked block can still be handed on its own
 *     to an RCU-style deferred free.
 *   - Prefixes of length 1..s (none in a real table) cannot live in nodes;
 *     they are kept in a sorted array, and the inherited value of each
 *     direct-pointing entry is painted from it when needed.
 *   - Updates (single writer) rebuild copy-on-write the nodes on the path
 *     of the change and the subtrees whose inherited value changed, as
 *     fib.c does; a new direct-pointing entry is published with one atomic
 *     release store and unlinked blocks go to the reclaim hook afterwards.
 *     A change of s, fib6_build() and fib6_clear() rebuild everything from
 *     the sorted prefix list into a new top array published the same way.
 *   - fib6_lookup_bulk() walks groups of 16 keys in lockstep without a
 *     branch per key (see lookup_group): an IPv6 walk is 4 to 6 nodes deep
 *     where an IPv4 one is 1 to 3, and its depth varies from key to key, so
 *     the scalar walk of fib.c mispredicts its exit once per key and
 *     serialises the cache misses of consecutive keys.
 *
 * Cost on the real table (bench/results/lpm6-2026-12-06.md): 22.9 bytes per
 * prefix in all (18.5 for the lookup structure, 4.4 for the prefixes kept
 * in it), 784 bytes empty; batched lookups 2.2x (addresses inside table
 * prefixes) to 3.2x (Zipf) the time of fib.c's on the IPv4 table, faster on
 * random 2000::/3 keys, equal latency in dependent chains.
 *
 * Block layouts (base: the pointer in the node; leaves at base - 3k)
 *   node with children:   [pad][prefixes 4*np][np][leaves 3*nl] base ->
 *                         [children 24*nc][childless children's data...]
 *   top node (entry of the direct-pointing level), always its own block:
 *                         [node][pad][prefixes][np][leaves] base -> [as above]
 *   childless child, inside its parent's block:
 *                         [leaves 3*nl] base -> [np][prefixes 4*np]
 *   A prefix word is nh << 8 | local index, in host byte order.
 */

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "vrf/fib6.h"
#include "vrf/fib_common.h"

#define STRIDE 6
#define TOP_MIN_BITS 6
#define TOP12_AT 4096u     /* prefixes from which the top level resolves 12 bits */
#define TOP18_AT 1048576u  /* ... and 18 bits */
#define MAXLP 126          /* prefixes local to a node: 2 + 4 + ... + 64 */

/* An address in host order: hi holds bits 0..63. */
struct a6 {
	uint64_t hi, lo;
};

/* Direct-pointing level: 1 << s entries for the top s bits of the key. */
struct ftop6 {
	uint32_t s;
	uint32_t shift;  /* 64 - s */
	uint64_t ent[];  /* (nh << 1) | 1, or a const struct pnode * (never 0 once built) */
};

struct fib6 {
	struct ftop6 *top; /* atomic: readers load it with acquire */
	unsigned s;
	uint32_t dflt;     /* next hop of ::/0, or FIB_NH_NONE */
	uint64_t *sp;      /* prefixes of length 1..s: addr bits 0..31 << 32 | len << 24 | nh, sorted */
	size_t nsp, csp;
	size_t count;
	size_t mem_lk;     /* top array and blocks */
	void (*notify)(void *arg, const uint8_t addr[16], uint8_t len, uint32_t nh);
	void *notify_arg;
	struct fib_defer dfr; /* unlinked blocks, released after publishing */
};

/* One prefix, in lists sorted by (address, length). */
struct p6 {
	struct a6 a;
	uint32_t nh;
	uint32_t seq;
	uint8_t len;
};

/* A single-prefix change below the direct-pointing level. */
struct chg6 {
	struct a6 addr;
	unsigned len;
	bool del;
	uint32_t nh;
};

/* A node's prefixes: nh << 8 | local index, sorted by index. */
struct lpl {
	unsigned np;
	uint32_t e[MAXLP];
};

enum nkind { NK_EMPTY, NK_OWNER, NK_LEAF };

/* A child of a node being written: a node with a block of its own (pn), or
 * a childless one written into its parent's block, either copied as it is
 * from the old parent's block (copy) or painted from its prefixes. */
struct cinfo {
	struct pnode pn;
	const struct pnode *copy;
	const uint8_t *lp;
	unsigned np;
};

/* ------------------------------------------------------------ addresses */

static inline uint64_t load_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline void store_be64(uint8_t *p, uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, sizeof(v));
}

static inline struct a6 a6_load(const uint8_t b[16])
{
	struct a6 a = { load_be64(b), load_be64(b + 8) };

	return a;
}

static inline void a6_store(struct a6 a, uint8_t b[16])
{
	store_be64(b, a.hi);
	store_be64(b + 8, a.lo);
}

static inline struct a6 a6_shl(struct a6 a, unsigned n)
{
	struct a6 r = { 0, 0 };

	if (n == 0)
		return a;
	if (n < 64) {
		r.hi = a.hi << n | a.lo >> (64 - n);
		r.lo = a.lo << n;
	} else if (n < 128) {
		r.hi = a.lo << (n - 64);
	}
	return r;
}

static inline struct a6 a6_mask(struct a6 a, unsigned len)
{
	if (len == 0) {
		a.hi = a.lo = 0;
	} else if (len < 64) {
		a.hi &= ~0ULL << (64 - len);
		a.lo = 0;
	} else if (len == 64) {
		a.lo = 0;
	} else if (len < 128) {
		a.lo &= ~0ULL << (128 - len);
	}
	return a;
}

/* n bits (1..32) from bit o on, zeros past bit 127. */
static inline uint32_t a6_bits(struct a6 a, unsigned o, unsigned n)
{
	return (uint32_t)(a6_shl(a, o).hi >> (64 - n));
}

/* a with the n bits from bit o on (zero in a, o + n <= 128) set to v. */
static inline struct a6 a6_with(struct a6 a, unsigned o, unsigned n, uint32_t v)
{
	unsigned end = o + n;

	if (end <= 64) {
		a.hi |= (uint64_t)v << (64 - end);
	} else if (o >= 64) {
		a.lo |= (uint64_t)v << (128 - end);
	} else {
		a.hi |= (uint64_t)v >> (end - 64);
		a.lo |= (uint64_t)v << (128 - end);
	}
	return a;
}

static inline int a6_cmp(struct a6 a, struct a6 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

static inline unsigned local_idx(struct a6 a, unsigned o, unsigned len)
{
	unsigned ll = len - o;

	return (1u << ll) - 2 + a6_bits(a, o, ll);
}

/* ------------------------------------------------------- node accessors */

/* Population count for the writer, whose code is not cloned for POPCNT:
 * inline rather than a call to libgcc's table version. */
static inline unsigned pcw(uint64_t x)
{
#ifdef __POPCNT__
	return pc64(x);
#else
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
#endif
}

static inline uint32_t lp_get(const uint8_t *lp, unsigned k)
{
	uint32_t v;

	memcpy(&v, lp + 4 * (size_t)k, sizeof(v));
	return v;
}

/* A node has its own block if it is a top node or has children. */
static inline bool own_block(const struct pnode *n, bool top)
{
	return top || n->vector != 0;
}

/* The prefixes of node n (np of them). */
static inline const uint8_t *node_lp(const struct pnode *n, bool own, unsigned *np)
{
	if (own) {
		const uint8_t *p = n->base - 3 * (size_t)pcw(n->leafvec) - 1;

		*np = *p;
		return p - 4 * (size_t)*np;
	}
	*np = n->base[0];
	return n->base + 1;
}

static inline const struct pnode *children(const struct pnode *n)
{
	return (const struct pnode *)(const void *)n->base;
}

/* The part of a block before base. */
static inline size_t head_size(bool top, unsigned np, unsigned nl)
{
	return round8((top ? sizeof(struct pnode) : 0) + 4 * (size_t)np + 1 + 3 * (size_t)nl);
}

/* A childless child inside its parent's block. */
static inline size_t emb_size(unsigned np, unsigned nl)
{
	return 3 * (size_t)nl + 1 + 4 * (size_t)np;
}

/* Bytes requested for the block of node n (which has one). */
static size_t block_req(const struct pnode *n, bool top)
{
	const struct pnode *ch = children(n);
	unsigned np, cnp, nc = pcw(n->vector), k;
	size_t tail = sizeof(struct pnode) * nc;

	node_lp(n, true, &np);
	for (k = 0; k < nc; k++) {
		if (ch[k].vector == 0) {
			node_lp(&ch[k], false, &cnp);
			tail += emb_size(cnp, pcw(ch[k].leafvec));
		}
	}
	/* + 1 if nothing follows base: the last leaf is read with a 4-byte load */
	return head_size(top, np, pcw(n->leafvec)) + (tail ? tail : 1);
}

/* The 64 slot values of a node: the longest of its prefixes covering each
 * slot, else the inherited value d. lp sorted by index, i.e. by length. */
static void paint(const uint8_t *lp, unsigned np, uint32_t d, uint32_t vals[64])
{
	unsigned k, i;

	for (i = 0; i < 64; i++)
		vals[i] = d;
	for (k = 0; k < np; k++) {
		uint32_t e = lp_get(lp, k);
		unsigned x = (e & 0xff) + 2u;
		unsigned ll = 31u - (unsigned)__builtin_clz(x);
		unsigned w = STRIDE - ll;
		unsigned lo = (x - (1u << ll)) << w;

		for (i = 0; i < (1u << w); i++)
			vals[lo + i] = e >> 8;
	}
}

/* Leaf runs of the non-internal slots. Returns leafvec; lv[0..*nl). */
static uint64_t leaf_runs(const uint32_t vals[64], uint64_t vector, uint32_t lv[64], unsigned *nl)
{
	uint64_t leafvec = 0;
	unsigned j, n = 0;

	for (j = 0; j < 64; j++) {
		if ((vector >> j) & 1)
			continue;
		if (n == 0 || vals[j] != lv[n - 1]) {
			leafvec |= 1ULL << j;
			lv[n++] = vals[j];
		}
	}
	*nl = n;
	return leafvec;
}

/* Sets (or with del, removes) local index idx in l. */
static void lp_apply(struct lpl *l, unsigned idx, bool del, uint32_t nh)
{
	unsigned k;

	for (k = 0; k < l->np && (l->e[k] & 0xff) < idx; k++)
		;
	if (k < l->np && (l->e[k] & 0xff) == idx) {
		if (del) {
			memmove(&l->e[k], &l->e[k + 1], (l->np - k - 1) * sizeof(l->e[0]));
			l->np--;
		} else {
			l->e[k] = nh << 8 | idx;
		}
	} else if (!del) {
		memmove(&l->e[k + 1], &l->e[k], (l->np - k) * sizeof(l->e[0]));
		l->e[k] = nh << 8 | idx;
		l->np++;
	}
}

/* ------------------------------------------------------ block lifecycle */

static void release(struct fib6 *f, const void *p, size_t req)
{
	f->mem_lk -= chunk_size(req);
	fib_defer_push(&f->dfr, (void *)(uintptr_t)p);
}

/* Unlinks the block of node n (shallow). */
static void release_block(struct fib6 *f, const struct pnode *n, bool top)
{
	unsigned np;

	node_lp(n, true, &np);
	release(f, n->base - head_size(top, np, pcw(n->leafvec)), block_req(n, top));
}

static void release_deep(struct fib6 *f, const struct pnode *n, bool top)
{
	const struct pnode *ch = children(n);
	unsigned k, nc = pcw(n->vector);

	for (k = 0; k < nc; k++)
		if (ch[k].vector != 0)
			release_deep(f, &ch[k], false);
	release_block(f, n, top);
}

/*
 * Writes a node into a new block: its prefixes lp/np, its slot values vn,
 * its children (the bits of vector): those with children of their own are
 * the bits of owners, node ci[j].pn; the others are written into this block,
 * copied from ci[j].copy if set, else from their prefixes ci[j].lp/np and
 * inherited value vn[j]. The node's own leaves are those of same (a node
 * with the same leaves) if set, else painted from vn. A top node is
 * embedded at the start of its block and returned; otherwise the node is
 * written to *out. (ci is not const: only its vector slots are set.)
 */
static const struct pnode *write_node(struct fib6 *f, bool top, const uint8_t *lp, unsigned np,
				      const uint32_t vn[64], uint64_t vector, uint64_t owners,
				      struct cinfo *ci, const struct pnode *same, struct pnode *out)
{
	uint32_t lv[64], cv[64], clv[64];
	unsigned nl, cnl, nc = pcw(vector), q, k;
	uint64_t leafvec, b;
	size_t head, tail = sizeof(struct pnode) * nc, req;
	struct pnode *cha, self;
	uint8_t *blk, *base, *p;

	if (same != NULL) {
		leafvec = same->leafvec;
		nl = pcw(leafvec);
	} else {
		leafvec = leaf_runs(vn, vector, lv, &nl);
	}
	head = head_size(top, np, nl);

	/* childless children are painted twice: to size the block, then to
	 * write it (cheaper than keeping 64 x 64 values around) */
	for (b = vector & ~owners; b; b &= b - 1) {
		unsigned j = (unsigned)__builtin_ctzll(b);

		if (ci[j].copy != NULL) {
			node_lp(ci[j].copy, false, &ci[j].np);
			tail += emb_size(ci[j].np, pcw(ci[j].copy->leafvec));
			continue;
		}
		paint(ci[j].lp, ci[j].np, vn[j], cv);
		leaf_runs(cv, 0, clv, &cnl);
		tail += emb_size(ci[j].np, cnl);
	}
	req = head + (tail ? tail : 1);
	blk = xmalloc(req);
	f->mem_lk += chunk_size(req);
	base = blk + head;
	p = base - 3 * (size_t)nl - 1 - 4 * (size_t)np;
	memset(blk + (top ? sizeof(struct pnode) : 0), 0, (size_t)(p - blk) - (top ? sizeof(struct pnode) : 0));
	memcpy(p, lp, 4 * (size_t)np);
	p[4 * (size_t)np] = (uint8_t)np;
	if (same != NULL)
		memcpy(base - 3 * (size_t)nl, same->base - 3 * (size_t)nl, 3 * (size_t)nl);
	else
		for (k = 0; k < nl; k++)
			put24(base - 3 * (k + 1), lv[k]);
	if (tail == 0)
		base[0] = 0;
	cha = (struct pnode *)(void *)base;
	p = base + sizeof(struct pnode) * nc;
	for (b = vector, q = 0; b; b &= b - 1, q++) {
		unsigned j = (unsigned)__builtin_ctzll(b);
		uint8_t *cbase;

		if ((owners >> j) & 1) {
			cha[q] = ci[j].pn;
			continue;
		}
		if (ci[j].copy != NULL) {
			const struct pnode *oc = ci[j].copy;
			size_t lb = 3 * (size_t)pcw(oc->leafvec);

			memcpy(p, oc->base - lb, emb_size(ci[j].np, pcw(oc->leafvec)));
			cha[q].vector = 0;
			cha[q].leafvec = oc->leafvec;
			cha[q].base = p + lb;
			p += emb_size(ci[j].np, pcw(oc->leafvec));
			continue;
		}
		paint(ci[j].lp, ci[j].np, vn[j], cv);
		cha[q].vector = 0;
		cha[q].leafvec = leaf_runs(cv, 0, clv, &cnl);
		cbase = p + 3 * (size_t)cnl;
		for (k = 0; k < cnl; k++)
			put24(cbase - 3 * (k + 1), clv[k]);
		cbase[0] = (uint8_t)ci[j].np;
		memcpy(cbase + 1, ci[j].lp, 4 * (size_t)ci[j].np);
		cha[q].base = cbase;
		p = cbase + 1 + 4 * (size_t)ci[j].np;
	}
	self.vector = vector;
	self.leafvec = leafvec;
	self.base = base;
	if (top) {
		memcpy(blk, &self, sizeof(self));
		return (const struct pnode *)(void *)blk;
	}
	*out = self;
	return out;
}

/* ------------------------------------------------- copy-on-write updates */

/*
 * Rebuilds the node of region (o, ra) with inherited value d. old is the
 * node it replaces (NULL: none), whose inherited value was d_old; chg is the
 * change if it lies in this region below o, else NULL. Blocks replaced on
 * the way are released. Returns NK_EMPTY (no prefix left below o: the slot
 * becomes a leaf), NK_OWNER (a node with a block: *topout for a top node,
 * else *out), or NK_LEAF (a childless node, its prefixes in *res: the
 * parent writes it into its own block; never for a top node).
 */
static enum nkind rebuild(struct fib6 *f, unsigned o, struct a6 ra, uint32_t d, const struct pnode *old,
			  uint32_t d_old, const struct chg6 *chg, bool top, struct pnode *out,
			  const struct pnode **topout, struct lpl *res)
{
	uint32_t vn[64], vo[64];
	struct lpl ln, cres;
	struct cinfo ci[64];
	bool old_own = old != NULL && own_block(old, top);
	const struct pnode *och = NULL;
	uint64_t vector = 0, owners = 0, b;
	int jc = -1;

	/* same values: the change is below this node and d did not change,
	 * so the slot values are the old ones (vo is vn) */
	bool same = old != NULL && d == d_old && chg != NULL && chg->len > o + STRIDE;
	const uint32_t *vop = same ? vn : vo;

	ln.np = 0;
	ln.e[0] = 0;
	if (old != NULL) {
		const uint8_t *olp = node_lp(old, old_own, &ln.np);

		memcpy(ln.e, olp, 4 * (size_t)ln.np);
		if (!same)
			paint(olp, ln.np, d_old, vo);
		och = children(old);
		vector = old->vector;
	}
	if (chg != NULL && chg->len <= o + STRIDE) {
		lp_apply(&ln, local_idx(chg->addr, o, chg->len), chg->del, chg->nh);
	} else if (chg != NULL) {
		jc = (int)a6_bits(chg->addr, o, STRIDE);
		vector |= 1ULL << jc;
	}
	paint((const uint8_t *)ln.e, ln.np, d, vn);
	/* vector holds old->vector: the old children are och[0, 1, ...] in order */
	for (b = vector; b; b &= b - 1) {
		unsigned j = (unsigned)__builtin_ctzll(b);
		const struct pnode *oc = NULL;

		if (old != NULL && ((old->vector >> j) & 1))
			oc = och++;
		ci[j].copy = NULL;
		if ((int)j == jc) {
			enum nkind k = rebuild(f, o + STRIDE, a6_with(ra, o, STRIDE, j), vn[j], oc, oc ? vop[j] : 0,
					       chg, false, &ci[j].pn, NULL, &cres);

			if (k == NK_EMPTY) {
				vector &= ~(1ULL << j);
			} else if (k == NK_OWNER) {
				owners |= 1ULL << j;
			} else {
				ci[j].lp = (const uint8_t *)cres.e;
				ci[j].np = cres.np;
			}
		} else if (oc->vector != 0) {
			if (vop[j] == vn[j])
				ci[j].pn = *oc;
			else
				rebuild(f, o + STRIDE, a6_with(ra, o, STRIDE, j), vn[j], oc, vop[j], NULL, false,
					&ci[j].pn, NULL, NULL);
			owners |= 1ULL << j;
		} else if (vop[j] == vn[j]) {
			ci[j].copy = oc;
		} else {
			ci[j].lp = node_lp(oc, false, &ci[j].np);
		}
	}
	if (vector == 0 && (ln.np == 0 || !top)) {
		if (old_own)
			release_block(f, old, top);
		if (ln.np == 0)
			return NK_EMPTY;
		*res = ln;
		return NK_LEAF;
	}
	/* the leaves are the old ones if the values and the children are */
	if (!same || vector != old->vector)
		same = false;
	if (top)
		*topout = write_node(f, true, (const uint8_t *)ln.e, ln.np, vn, vector, owners, ci,
				     same ? old : NULL, NULL);
	else
		write_node(f, false, (const uint8_t *)ln.e, ln.np, vn, vector, owners, ci, same ? old : NULL,
			   out);
	if (old_own)
		release_block(f, old, top);
	return NK_OWNER;
}

static inline struct a6 entry_region(unsigned s, size_t e)
{
	struct a6 z = { 0, 0 };

	return a6_with(z, 0, s, (uint32_t)e);
}

/* Brings direct-pointing entry e up to date: inherited value d (before:
 * d_old), chg the change inside its region if any. */
static void top_update(struct fib6 *f, struct ftop6 *t, size_t e, uint32_t d, uint32_t d_old,
		       const struct chg6 *chg)
{
	uint64_t ov = t->ent[e], nv;
	const struct pnode *op = (ov & 1) ? NULL : (const struct pnode *)(uintptr_t)ov;

	if (op == NULL && chg == NULL) {
		nv = (uint64_t)d << 1 | 1;
	} else if (chg == NULL && d == d_old) {
		return;
	} else {
		const struct pnode *np = NULL;

		if (rebuild(f, t->s, entry_region(t->s, e), d, op, d_old, chg, true, NULL, &np, NULL) == NK_EMPTY)
			nv = (uint64_t)d << 1 | 1;
		else
			nv = (uint64_t)(uintptr_t)np;
	}
	if (nv != ov)
		__atomic_store_n(&t->ent[e], nv, __ATOMIC_RELEASE);
}

/* Looks up prefix (a, len > s) in the nodes. */
static uint32_t find_long(const struct fib6 *f, struct a6 a, unsigned len)
{
	const struct ftop6 *t = f->top;
	uint64_t e = t->ent[a.hi >> t->shift];
	const struct pnode *n;
	const uint8_t *lp;
	unsigned o = t->s, np, idx, k;
	bool top = true;

	if (e & 1)
		return FIB_NH_NONE;
	n = (const struct pnode *)(uintptr_t)e;
	while (len > o + STRIDE) {
		unsigned j = a6_bits(a, o, STRIDE);

		if (!((n->vector >> j) & 1))
			return FIB_NH_NONE;
		n = &children(n)[pcw(n->vector & ((1ULL << j) - 1))];
		o += STRIDE;
		top = false;
	}
	lp = node_lp(n, own_block(n, top), &np);
	idx = local_idx(a, o, len);
	for (k = 0; k < np; k++)
		if ((lp_get(lp, k) & 0xff) == idx)
			return lp_get(lp, k) >> 8;
	return FIB_NH_NONE;
}

/* ------------------------------------------- prefixes of length 1..s */

static inline uint64_t sp_key(uint32_t a, unsigned len)
{
	return (uint64_t)a << 8 | len;
}

/* First entry whose (address, length) is not below key. */
static size_t sp_lower(const struct fib6 *f, uint64_t key)
{
	size_t lo = 0, hi = f->nsp;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if ((f->sp[mid] >> 24) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint32_t sp_get(const struct fib6 *f, uint32_t a, unsigned len)
{
	size_t i = sp_lower(f, sp_key(a, len));

	if (i < f->nsp && (f->sp[i] >> 24) == sp_key(a, len))
		return (uint32_t)(f->sp[i] & 0xffffff);
	return FIB_NH_NONE;
}

static inline uint32_t mask32(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

static size_t sp_mem(const struct fib6 *f)
{
	return f->csp ? chunk_size(f->csp * sizeof(uint64_t)) : 0;
}

/* Sets or removes (nh FIB_NH_NONE) a prefix of length 1..s; returns its
 * previous next hop. */
static uint32_t sp_set(struct fib6 *f, uint32_t a, unsigned len, uint32_t nh)
{
	size_t i = sp_lower(f, sp_key(a, len));
	bool found = i < f->nsp && (f->sp[i] >> 24) == sp_key(a, len);
	uint32_t old = found ? (uint32_t)(f->sp[i] & 0xffffff) : FIB_NH_NONE;
	uint64_t v = (uint64_t)a << 32 | (uint64_t)len << 24 | nh;

	if (found && nh != FIB_NH_NONE) {
		f->sp[i] = v;
	} else if (found) {
		memmove(&f->sp[i], &f->sp[i + 1], (f->nsp - i - 1) * sizeof(f->sp[0]));
		if (--f->nsp == 0) {
			free(f->sp);
			f->sp = NULL;
			f->csp = 0;
		}
	} else if (nh != FIB_NH_NONE) {
		if (f->nsp == f->csp) {
			f->csp = f->csp ? 2 * f->csp : 4;
			f->sp = xrealloc(f->sp, f->csp * sizeof(f->sp[0]));
		}
		memmove(&f->sp[i + 1], &f->sp[i], (f->nsp - i) * sizeof(f->sp[0]));
		f->sp[i] = v;
		f->nsp++;
	}
	return old;
}

/*
 * Inherited values of the direct-pointing entries of the region of prefix
 * (a, len) (len <= s): out[k] for entry (a >> (32 - s)) + k. Painted from
 * the default, the prefixes above the region, then those inside it in
 * (address, length) order, so that a longer prefix paints over a shorter.
 */
static void sp_paint(const struct fib6 *f, unsigned s, uint32_t a, unsigned len, uint32_t *out)
{
	size_t cnt = (size_t)1 << (s - len), k, i;
	uint64_t end = (uint64_t)a + ((uint64_t)1 << (32 - len));
	uint32_t base = f->dflt, e0 = a >> (32 - s), v;
	unsigned l;

	for (l = 1; l < len; l++)
		if ((v = sp_get(f, a & mask32(l), l)) != FIB_NH_NONE)
			base = v;
	for (k = 0; k < cnt; k++)
		out[k] = base;
	for (i = sp_lower(f, sp_key(a, len)); i < f->nsp && (f->sp[i] >> 32) < end; i++) {
		uint32_t pa = (uint32_t)(f->sp[i] >> 32), nh = (uint32_t)(f->sp[i] & 0xffffff);
		unsigned pl = (unsigned)(f->sp[i] >> 24) & 0xff;
		size_t first = (pa >> (32 - s)) - e0, n = (size_t)1 << (s - pl);

		for (k = first; k < first + n; k++)
			out[k] = nh;
	}
}

static uint32_t entry_value(const struct fib6 *f, size_t e)
{
	uint32_t v;

	sp_paint(f, f->s, (uint32_t)(e << (32 - f->s)), f->s, &v);
	return v;
}

/* ---------------------------------------------------------- bulk build */

static void lp_sort(struct lpl *l)
{
	unsigned k, m;

	for (k = 1; k < l->np; k++) {
		uint32_t x = l->e[k];

		for (m = k; m > 0 && (l->e[m - 1] & 0xff) > (x & 0xff); m--)
			l->e[m] = l->e[m - 1];
		l->e[m] = x;
	}
}

/*
 * Builds the node of region o from p[lo..hi), the prefixes of the region
 * longer than o, sorted by (address, length), with inherited value d. Only
 * for nodes that get a block: top nodes and nodes with children.
 */
static const struct pnode *build_arr(struct fib6 *f, unsigned o, const struct p6 *p, size_t lo, size_t hi,
				     uint32_t d, bool top, struct pnode *out)
{
	struct lpl ln, cl;
	uint32_t vn[64], sbuf[256], *cbuf = sbuf;
	size_t clo[64], chi[64], i, ncl = 0, used = 0;
	struct cinfo ci[64];
	uint64_t vector = 0, owners = 0, b;
	const struct pnode *r;

	ln.np = 0;
	for (i = lo; i < hi; i++) {
		if (p[i].len <= o + STRIDE) {
			ln.e[ln.np++] = p[i].nh << 8 | local_idx(p[i].a, o, p[i].len);
		} else {
			unsigned j = a6_bits(p[i].a, o, STRIDE);

			if (!((vector >> j) & 1)) {
				vector |= 1ULL << j;
				clo[j] = i;
			}
			chi[j] = i + 1;
		}
	}
	lp_sort(&ln);
	paint((const uint8_t *)ln.e, ln.np, d, vn);
	for (b = vector; b; b &= b - 1) {
		unsigned j = (unsigned)__builtin_ctzll(b);

		for (i = clo[j]; i < chi[j] && p[i].len <= o + 2 * STRIDE; i++)
			;
		if (i < chi[j])
			owners |= 1ULL << j;
		else
			ncl += chi[j] - clo[j];
	}
	if (ncl > sizeof(sbuf) / sizeof(sbuf[0]))
		cbuf = xmalloc(ncl * sizeof(*cbuf));
	for (b = vector; b; b &= b - 1) {
		unsigned j = (unsigned)__builtin_ctzll(b);

		if ((owners >> j) & 1) {
			build_arr(f, o + STRIDE, p, clo[j], chi[j], vn[j], false, &ci[j].pn);
			continue;
		}
		ci[j].copy = NULL;
		cl.np = 0;
		for (i = clo[j]; i < chi[j]; i++)
			cl.e[cl.np++] = p[i].nh << 8 | local_idx(p[i].a, o + STRIDE, p[i].len);
		lp_sort(&cl);
		memcpy(cbuf + used, cl.e, cl.np * sizeof(cl.e[0]));
		ci[j].lp = (const uint8_t *)(cbuf + used);
		ci[j].np = cl.np;
		used += cl.np;
	}
	r = write_node(f, top, (const uint8_t *)ln.e, ln.np, vn, vector, owners, ci, NULL, out);
	if (cbuf != sbuf)
		free(cbuf);
	return r;
}

static size_t top_req(unsigned s)
{
	return sizeof(struct ftop6) + ((size_t)1 << s) * sizeof(uint64_t);
}

/* Unlinks the whole lookup structure of top array t. */
static void release_all(struct fib6 *f, struct ftop6 *t)
{
	size_t e;

	for (e = 0; e < ((size_t)1 << t->s); e++)
		if (!(t->ent[e] & 1))
			release_deep(f, (const struct pnode *)(uintptr_t)t->ent[e], true);
	release(f, t, top_req(t->s));
}

/* Replaces the whole table by p[0..n), distinct and sorted by (address,
 * length), with an s-bit direct-pointing level, and publishes it. */
static void build_sorted(struct fib6 *f, const struct p6 *p, size_t n, unsigned s)
{
	struct ftop6 *t = xcalloc(1, top_req(s)), *ot = f->top;
	size_t i, j, nshort = 0, e;
	uint32_t *dv;

	if (ot != NULL)
		release_all(f, ot);
	free(f->sp);
	f->sp = NULL;
	f->nsp = f->csp = 0;
	f->dflt = FIB_NH_NONE;
	for (i = 0; i < n; i++) {
		if (p[i].len == 0)
			f->dflt = p[i].nh;
		else if (p[i].len <= s)
			nshort++;
	}
	if (nshort > 0) {
		f->sp = xmalloc(nshort * sizeof(f->sp[0]));
		f->csp = nshort;
		for (i = 0; i < n; i++)
			if (p[i].len > 0 && p[i].len <= s)
				f->sp[f->nsp++] = (p[i].a.hi >> 32) << 32 | (uint64_t)p[i].len << 24 | p[i].nh;
	}
	f->mem_lk += chunk_size(top_req(s));
	t->s = s;
	t->shift = 64 - s;
	f->s = s;
	dv = xmalloc(sizeof(*dv) << s);
	sp_paint(f, s, 0, 0, dv);
	for (e = 0; e < ((size_t)1 << s); e++)
		t->ent[e] = (uint64_t)dv[e] << 1 | 1;
	for (i = 0; i < n; i = j) {
		if (p[i].len <= s) {
			j = i + 1;
			continue;
		}
		e = p[i].a.hi >> (64 - s);
		for (j = i + 1; j < n && (p[j].a.hi >> (64 - s)) == e; j++)
			;
		t->ent[e] = (uint64_t)(uintptr_t)build_arr(f, s, p, i, j, dv[e], true, NULL);
	}
	free(dv);
	f->count = n;
	__atomic_store_n(&f->top, t, __ATOMIC_RELEASE);
	fib_defer_flush(&f->dfr);
}

/* ---------------------------------------------------------------- walk */

typedef int (*walk6_fn)(struct a6 a, unsigned len, uint32_t nh, void *arg);

static int walk_node(const struct pnode *n, bool top, unsigned o, struct a6 ra, walk6_fn cb, void *arg);

/* Pre-order over the binary trie inside node n: prefix, then the lower
 * half, then the upper half. at: next hop by local index, 0 if absent. */
static int walk_local(const struct pnode *n, const uint32_t *at, unsigned o, struct a6 ra, unsigned ll,
		      uint32_t bits, walk6_fn cb, void *arg)
{
	unsigned i = (1u << ll) - 2 + bits;
	struct a6 a = a6_with(ra, o, ll, bits);
	int rc;

	if (at[i] != FIB_NH_NONE && (rc = cb(a, o + ll, at[i], arg)) != 0)
		return rc;
	if (o + ll == 128)
		return 0;
	if (ll == STRIDE) {
		if (!((n->vector >> bits) & 1))
			return 0;
		return walk_node(&children(n)[pcw(n->vector & ((1ULL << bits) - 1))], false, o + STRIDE, a, cb,
				 arg);
	}
	rc = walk_local(n, at, o, ra, ll + 1, bits << 1, cb, arg);
	return rc ? rc : walk_local(n, at, o, ra, ll + 1, (bits << 1) | 1, cb, arg);
}

static int walk_node(const struct pnode *n, bool top, unsigned o, struct a6 ra, walk6_fn cb, void *arg)
{
	uint32_t at[MAXLP];
	unsigned np, k;
	const uint8_t *lp = node_lp(n, own_block(n, top), &np);
	int rc;

	memset(at, 0, sizeof(at));
	for (k = 0; k < np; k++)
		at[lp_get(lp, k) & 0xff] = lp_get(lp, k) >> 8;
	rc = walk_local(n, at, o, ra, 1, 0, cb, arg);
	return rc ? rc : walk_local(n, at, o, ra, 1, 1, cb, arg);
}

static int walk_all(const struct fib6 *f, walk6_fn cb, void *arg)
{
	const struct ftop6 *t = f->top;
	struct a6 z = { 0, 0 };
	size_t e, i = 0;
	int rc;

	if (f->dflt != FIB_NH_NONE && (rc = cb(z, 0, f->dflt, arg)) != 0)
		return rc;
	for (e = 0; e < ((size_t)1 << t->s); e++) {
		struct a6 ra = entry_region(t->s, e);

		/* prefixes of length <= s start at an entry, before its nodes */
		for (; i < f->nsp && (f->sp[i] >> 32) <= (ra.hi >> 32); i++) {
			struct a6 a = { (f->sp[i] >> 32) << 32, 0 };

			if ((rc = cb(a, (unsigned)(f->sp[i] >> 24) & 0xff, (uint32_t)(f->sp[i] & 0xffffff), arg)) != 0)
				return rc;
		}
		if (!(t->ent[e] & 1) &&
		    (rc = walk_node((const struct pnode *)(uintptr_t)t->ent[e], true, t->s, ra, cb, arg)) != 0)
			return rc;
	}
	return 0;
}

struct plist {
	struct p6 *p;
	size_t n, cap;
};

static void plist_add(struct plist *l, struct a6 a, unsigned len, uint32_t nh, uint32_t seq)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->p = xrealloc(l->p, l->cap * sizeof(l->p[0]));
	}
	l->p[l->n].a = a;
	l->p[l->n].len = (uint8_t)len;
	l->p[l->n].nh = nh;
	l->p[l->n].seq = seq;
	l->n++;
}

static int collect_cb(struct a6 a, unsigned len, uint32_t nh, void *arg)
{
	plist_add(arg, a, len, nh, 0);
	return 0;
}

/* Every prefix, sorted by (address, length). */
static void collect(const struct fib6 *f, struct plist *l)
{
	memset(l, 0, sizeof(*l));
	if (f->count > 0) {
		l->cap = f->count;
		l->p = xmalloc(l->cap * sizeof(l->p[0]));
	}
	walk_all(f, collect_cb, l);
}

static void rebuild_all(struct fib6 *f, unsigned s)
{
	struct plist l;

	collect(f, &l);
	build_sorted(f, l.p, l.n, s);
	free(l.p);
}

static unsigned want_bits(size_t n, unsigned cur)
{
	unsigned up = n >= TOP18_AT ? 18 : n >= TOP12_AT ? 12 : TOP_MIN_BITS;
	unsigned down = n >= TOP18_AT / 2 ? 18 : n >= TOP12_AT / 2 ? 12 : TOP_MIN_BITS;

	if (up >= cur)
		return up;
	return down < cur ? down : cur;
}

/* ------------------------------------------------------------- lookups */

/* hi:lo is the key; the walk shifts both words together, 6 bits a level. */
static inline __attribute__((always_inline)) uint32_t lookup_one(const struct ftop6 *t, uint64_t hi, uint64_t lo)
{
	uint64_t e = __atomic_load_n(&t->ent[hi >> t->shift], __ATOMIC_ACQUIRE), b;
	const struct pnode *n = (const struct pnode *)(uintptr_t)e;
	unsigned s = t->s, v;

	if (e & 1)
		return (uint32_t)(e >> 1);
	hi = hi << s | lo >> (64 - s);
	lo <<= s;
	for (;;) {
		v = (unsigned)(hi >> 58);
		b = n->vector << (63 - v);
		if ((int64_t)b >= 0)
			break;
		n = children(n) + (pc64(b) - 1);
		hi = hi << STRIDE | lo >> (64 - STRIDE);
		lo <<= STRIDE;
	}
	return get24(n->base - 3 * (size_t)pc64(n->leafvec << (63 - v)));
}

FIB_CLONES uint32_t fib6_lookup(const struct fib6 *f, const uint8_t addr[16])
{
	return lookup_one(__atomic_load_n(&f->top, __ATOMIC_ACQUIRE), load_be64(addr), load_be64(addr + 8));
}

/* A node with one leaf and no children, for the keys whose direct-pointing
 * entry is a leaf (their answer is taken from the entry). */
static const uint8_t no_leaf[8];
static const struct pnode leaf_node = { 0, 1, no_leaf + 4 };

/*
 * Bulk lookups walk groups of BULK_G keys in lockstep, one level at a time
 * and without a branch per key: a key whose slot is a leaf stays where it
 * is (the step is idempotent), and the group stops when no key moved. The
 * nodes of the next level are prefetched for the whole group, so that the
 * cache misses of BULK_G walks overlap instead of forming one chain per key
 * (a real IPv6 walk is 4 to 6 nodes deep against 1 to 3 for IPv4, and its
 * exit is a branch that scalar code mispredicts once per key). These levels
 * and the leaf read after them use bits s .. s + 6 * FAST_STEPS + 5 of a key,
 * below 64 for s <= 18, so only its high word is shifted; a key whose slot
 * is still internal after FAST_STEPS levels (prefixes longer than s + 36,
 * rare) is looked up again by the general walk.
 */
#define BULK_G 16
#define FAST_STEPS 6

static inline __attribute__((always_inline)) void lookup_group(const struct ftop6 *t, const uint8_t *addrs,
							      uint32_t *nhs)
{
	const struct pnode *nd[BULK_G];
	uint64_t nk[BULK_G], lm[BULK_G], any = 0, nodes = 0;
	unsigned s = t->s, g, k;

	/* nk: the key shifted to its current level, inverted, so that the top
	 * six bits are the shift 63 - v that brings slot v to the sign bit (the
	 * low s bits and the bits shifted in at the bottom do not reach them in
	 * FAST_STEPS steps) */
	for (g = 0; g < BULK_G; g++) {
		uint64_t hi = load_be64(addrs + 16 * g);
		uint64_t e = __atomic_load_n(&t->ent[hi >> t->shift], __ATOMIC_ACQUIRE);

		lm[g] = 0 - (e & 1);
		nodes |= ~lm[g];
		nd[g] = (const struct pnode *)(uintptr_t)((e & ~lm[g]) | ((uintptr_t)&leaf_node & lm[g]));
		nk[g] = ~(hi << s);
		nhs[g] = (uint32_t)(e >> 1);
		__builtin_prefetch(nd[g]);
	}
	if (!nodes)
		return;
	for (k = 0; k < FAST_STEPS; k++) {
		any = 0;
		for (g = 0; g < BULK_G; g++) {
			const struct pnode *n = nd[g];
			uint64_t b = n->vector << (nk[g] >> 58);
			uint64_t m = (uint64_t)((int64_t)b >> 63);
			uintptr_t c;

			/* opaque to the compiler, which would make a branch of m */
			__asm__("" : "+r"(m));
			c = (uintptr_t)(children(n) + (pc64(b) - 1));
			nd[g] = (const struct pnode *)((c & m) | ((uintptr_t)n & ~m));
			nk[g] <<= m & STRIDE;
			__builtin_prefetch(nd[g]);
			any |= m;
		}
		if (!any)
			break;
	}
	for (g = 0; g < BULK_G; g++) {
		const struct pnode *n = nd[g];
		unsigned sh = (unsigned)(nk[g] >> 58);
		uint32_t r = get24(n->base - 3 * (size_t)pc64(n->leafvec << sh));

		if (__builtin_expect(any && (int64_t)(n->vector << sh) < 0, 0))
			r = lookup_one(t, load_be64(addrs + 16 * g), load_be64(addrs + 16 * g + 8));
		nhs[g] = (uint32_t)((nhs[g] & lm[g]) | (r & ~lm[g]));
	}
}

FIB_CLONES void fib6_lookup_bulk(const struct fib6 *f, const uint8_t *addrs, uint32_t *nhs, size_t n)
{
	const struct ftop6 *t = __atomic_load_n(&f->top, __ATOMIC_ACQUIRE);
	size_t i = 0;

	for (; i + BULK_G <= n; i += BULK_G)
		lookup_group(t, addrs + 16 * i, nhs + i);
	for (; i < n; i++)
		nhs[i] = lookup_one(t, load_be64(addrs + 16 * i), load_be64(addrs + 16 * i + 8));
}

/* ------------------------------------------------------------ public API */

struct fib6 *fib6_new(void)
{
	struct fib6 *f = xcalloc(1, sizeof(*f));

	fib_defer_init(&f->dfr);
	build_sorted(f, NULL, 0, TOP_MIN_BITS);
	return f;
}

void fib6_free(struct fib6 *f)
{
	if (f == NULL)
		return;
	release_all(f, f->top);
	fib_defer_flush(&f->dfr);
	free(f->sp);
	free(f);
}

void fib6_set_reclaim(struct fib6 *f, void (*defer_free)(void *ptr, void *arg), void *arg)
{
	f->dfr.fn = defer_free;
	f->dfr.arg = arg;
}

void fib6_set_notify(struct fib6 *f,
		     void (*notify)(void *arg, const uint8_t addr[16], uint8_t len, uint32_t nh), void *arg)
{
	f->notify = notify;
	f->notify_arg = arg;
}

static void notify(const struct fib6 *f, struct a6 a, unsigned len, uint32_t nh)
{
	uint8_t b[16];

	if (f->notify == NULL)
		return;
	a6_store(a, b);
	f->notify(f->notify_arg, b, (uint8_t)len, nh);
}

/* Sets (nh) or removes (FIB_NH_NONE) prefix (a, len), a masked and len <= 128.
 * Returns the previous next hop. */
static uint32_t change(struct fib6 *f, struct a6 a, unsigned len, uint32_t nh)
{
	struct ftop6 *t = f->top;
	uint32_t old;
	unsigned s;

	if (len > f->s) {
		struct chg6 chg;
		size_t e = a.hi >> t->shift;
		uint32_t d;

		old = find_long(f, a, len);
		if (old == nh)
			return old;
		chg.addr = a;
		chg.len = len;
		chg.del = nh == FIB_NH_NONE;
		chg.nh = nh;
		d = entry_value(f, e);
		top_update(f, t, e, d, d, &chg);
	} else {
		uint32_t a32 = (uint32_t)(a.hi >> 32), sv[64], *dold = sv, *dnew;
		size_t cnt = (size_t)1 << (f->s - len), k;

		old = len == 0 ? f->dflt : sp_get(f, a32, len);
		if (old == nh)
			return old;
		if (cnt > 32)
			dold = xmalloc(2 * cnt * sizeof(*dold));
		dnew = dold + cnt;
		sp_paint(f, f->s, a32, len, dold);
		if (len == 0)
			f->dflt = nh;
		else
			sp_set(f, a32, len, nh);
		sp_paint(f, f->s, a32, len, dnew);
		for (k = 0; k < cnt; k++)
			top_update(f, t, (a32 >> (32 - f->s)) + k, dnew[k], dold[k], NULL);
		if (dold != sv)
			free(dold);
	}
	if (old == FIB_NH_NONE)
		f->count++;
	else if (nh == FIB_NH_NONE)
		f->count--;
	s = want_bits(f->count, f->s);
	if (s != f->s)
		rebuild_all(f, s);
	else
		fib_defer_flush(&f->dfr);
	return old;
}

int fib6_add(struct fib6 *f, const uint8_t addr[16], uint8_t len, uint32_t nh)
{
	struct a6 a;

	if (len > 128 || nh == FIB_NH_NONE || nh > FIB_NH_MAX)
		return -1;
	a = a6_mask(a6_load(addr), len);
	if (change(f, a, len, nh) != nh)
		notify(f, a, len, nh);
	return 0;
}

int fib6_del(struct fib6 *f, const uint8_t addr[16], uint8_t len)
{
	struct a6 a;

	if (len > 128)
		return -1;
	a = a6_mask(a6_load(addr), len);
	if (change(f, a, len, FIB_NH_NONE) == FIB_NH_NONE)
		return -1;
	notify(f, a, len, FIB_NH_NONE);
	return 0;
}

static int p6_cmp(const void *x, const void *y)
{
	const struct p6 *p = x, *q = y;
	int c = a6_cmp(p->a, q->a);

	if (c != 0)
		return c;
	if (p->len != q->len)
		return p->len < q->len ? -1 : 1;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* Sorts by (address, length) and keeps the last of equal prefixes (the
 * highest seq). Returns the new count. */
static size_t sort_dedup(struct p6 *p, size_t n)
{
	size_t i, m = 0;
	bool sorted = true;

	for (i = 1; i < n && sorted; i++)
		sorted = p6_cmp(&p[i - 1], &p[i]) < 0;
	if (!sorted)
		qsort(p, n, sizeof(*p), p6_cmp);
	for (i = 0; i < n; i++) {
		if (m > 0 && a6_cmp(p[m - 1].a, p[i].a) == 0 && p[m - 1].len == p[i].len)
			m--;
		p[m++] = p[i];
	}
	return m;
}

int fib6_build(struct fib6 *f, const uint8_t *addrs, const uint8_t *lens, const uint32_t *nhs, size_t n)
{
	struct plist in, cur;
	size_t k, i, j;

	for (k = 0; k < n; k++)
		if (lens[k] > 128 || nhs[k] == FIB_NH_NONE || nhs[k] > FIB_NH_MAX)
			return -1;
	memset(&in, 0, sizeof(in));
	in.cap = n;
	in.p = n ? xmalloc(n * sizeof(in.p[0])) : NULL;
	for (k = 0; k < n; k++)
		plist_add(&in, a6_mask(a6_load(addrs + 16 * k), lens[k]), lens[k], nhs[k], (uint32_t)k);
	in.n = sort_dedup(in.p, in.n);
	collect(f, &cur);
	if (cur.n > 0) {
		/* merge, the new entries win */
		struct plist m;

		memset(&m, 0, sizeof(m));
		m.cap = cur.n + in.n;
		m.p = xmalloc(m.cap * sizeof(m.p[0]));
		for (i = 0, j = 0; i < cur.n || j < in.n;) {
			int c = i == cur.n ? 1 : j == in.n ? -1 : a6_cmp(cur.p[i].a, in.p[j].a);

			if (c == 0)
				c = cur.p[i].len < in.p[j].len ? -1 : cur.p[i].len > in.p[j].len;
			if (c < 0) {
				m.p[m.n++] = cur.p[i++];
			} else {
				if (c == 0)
					i++;
				m.p[m.n++] = in.p[j++];
			}
		}
		free(in.p);
		in = m;
	}
	free(cur.p);
	build_sorted(f, in.p, in.n, want_bits(in.n, 0));
	free(in.p);
	for (k = 0; f->notify != NULL && k < n; k++)
		notify(f, a6_mask(a6_load(addrs + 16 * k), lens[k]), lens[k], nhs[k]);
	return 0;
}

static int notify_del_cb(struct a6 a, unsigned len, uint32_t nh, void *arg)
{
	(void)nh;
	notify(arg, a, len, FIB_NH_NONE);
	return 0;
}

void fib6_clear(struct fib6 *f)
{
	if (f->notify != NULL)
		walk_all(f, notify_del_cb, f);
	build_sorted(f, NULL, 0, TOP_MIN_BITS);
}

size_t fib6_count(const struct fib6 *f)
{
	return f->count;
}

size_t fib6_memory(const struct fib6 *f)
{
	return chunk_size(sizeof(*f)) + f->mem_lk + sp_mem(f);
}

static void stats_node(const struct pnode *n, bool top, struct fib_stats *st)
{
	const struct pnode *ch = children(n);
	unsigned k, np, nc = pcw(n->vector);
	bool own = own_block(n, top);

	node_lp(n, own, &np);
	st->nodes++;
	st->blocks += own;
	st->cnodes += np > 0;
	st->leaves += pcw(n->leafvec);
	st->mem_control += 1 + 4 * (size_t)np;
	for (k = 0; k < nc; k++)
		stats_node(&ch[k], false, st);
}

void fib6_stats(const struct fib6 *f, struct fib_stats *st)
{
	const struct ftop6 *t = f->top;
	size_t e;

	memset(st, 0, sizeof(*st));
	st->prefixes = f->count;
	st->mem_total = fib6_memory(f);
	st->direct_bits = f->s;
	for (e = 0; e < ((size_t)1 << t->s); e++)
		if (!(t->ent[e] & 1))
			stats_node((const struct pnode *)(uintptr_t)t->ent[e], true, st);
	st->mem_control += sp_mem(f);
	st->mem_lookup = f->mem_lk + sp_mem(f) - st->mem_control;
}

struct uwalk {
	int (*cb)(const uint8_t addr[16], uint8_t len, uint32_t nh, void *arg);
	void *arg;
};

static int uwalk_cb(struct a6 a, unsigned len, uint32_t nh, void *arg)
{
	const struct uwalk *w = arg;
	uint8_t b[16];

	a6_store(a, b);
	return w->cb(b, (uint8_t)len, nh, w->arg);
}

int fib6_walk(const struct fib6 *f, int (*cb)(const uint8_t addr[16], uint8_t len, uint32_t nh, void *arg),
	      void *arg)
{
	struct uwalk w = { cb, arg };

	return walk_all(f, uwalk_cb, &w);
}
