/* Internal to vrf/fib.c (IPv4) and vrf/fib6.c (IPv6): the Poptrie node
 * layout both lookup structures are made of, the byte helpers for their
 * 3-byte leaves, the malloc cost model of fib_memory()/fib6_memory(), and
 * the list of unlinked blocks handed to the reclaim hook after publishing.
 * Not a public interface: include fib.h or fib6.h. */
#ifndef PE_FIB_COMMON_H
#define PE_FIB_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"

/* Lookup node (24 bytes). Slot v of the node is internal if bit v of vector
 * is set: the child is ((struct pnode *)base)[popcount(vector & bits 0..v) - 1].
 * Otherwise the slot's leaf is the 3 bytes at base - 3 * popcount(leafvec &
 * bits 0..v). */
struct pnode {
	uint64_t vector;
	uint64_t leafvec;
	const uint8_t *base;
};

/* What a request costs in glibc malloc: the size plus an 8-byte header,
 * rounded up to 16, at least 32. Computed, not asked of the allocator, so
 * that the figure does not depend on which free chunk served the request. */
static inline size_t chunk_size(size_t req)
{
	size_t c = (req + sizeof(size_t) + 15) & ~(size_t)15;

	return c < 32 ? 32 : c;
}

static inline unsigned pc64(uint64_t x)
{
	return (unsigned)__builtin_popcountll(x);
}

static inline uint32_t get24(const uint8_t *p)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v & 0x00ffffffu;
#else
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
#endif
}

static inline void put24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
}

static inline size_t round8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

#if defined(__x86_64__) && !defined(__POPCNT__) && defined(__GLIBC__) && !defined(__clang__)
/* Baseline x86-64 has no POPCNT instruction; pick a clone at load time. */
#define FIB_CLONES __attribute__((target_clones("arch=x86-64-v3", "popcnt", "default")))
#else
#define FIB_CLONES
#endif

/* Lookup memory unlinked by one update. Released only after the new
 * structure is published, through the reclaim hook if there is one. */
#define FIB_DEFER_INLINE 16

struct fib_defer {
	void (*fn)(void *ptr, void *arg); /* NULL: free() at once */
	void *arg;
	void **pend;
	size_t npend, cpend;
	void *pend_small[FIB_DEFER_INLINE];
};

static inline void fib_defer_init(struct fib_defer *d)
{
	d->pend = d->pend_small;
	d->npend = 0;
	d->cpend = FIB_DEFER_INLINE;
}

static inline void fib_defer_push(struct fib_defer *d, void *p)
{
	if (d->npend == d->cpend) {
		size_t nc = d->cpend * 2;
		void **np = xmalloc(nc * sizeof(*np));

		memcpy(np, d->pend, d->npend * sizeof(*np));
		if (d->pend != d->pend_small)
			free(d->pend);
		d->pend = np;
		d->cpend = nc;
	}
	d->pend[d->npend++] = p;
}

/* Called once every pushed block is unreachable from the published
 * structure. */
static inline void fib_defer_flush(struct fib_defer *d)
{
	size_t k;

	for (k = 0; k < d->npend; k++) {
		if (d->fn != NULL)
			d->fn(d->pend[k], d->arg);
		else
			free(d->pend[k]);
	}
	d->npend = 0;
	if (d->pend != d->pend_small) {
		free(d->pend);
		d->pend = d->pend_small;
		d->cpend = FIB_DEFER_INLINE;
	}
}

#endif
