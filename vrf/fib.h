/* Per-VRF IPv4 forwarding table: longest-prefix match from an address to a
 * next-hop id. A compressed multibit trie (Poptrie family), see fib.c.
 *
 * Concurrency: one writer (fib_add/fib_del/fib_build/fib_free) and any
 * number of readers (fib_lookup*) on other threads. Readers never see a
 * half-written structure; memory that readers may still hold is released
 * through the reclaim hook (fib_set_reclaim), e.g. liburcu call_rcu, and
 * lookups must then run inside a read-side critical section. */
#ifndef PE_FIB_H
#define PE_FIB_H

#include <stddef.h>
#include <stdint.h>

struct fib;

#define FIB_NH_NONE 0u          /* lookup miss */
#define FIB_NH_MAX  0x00ffffffu /* next-hop ids are 1..FIB_NH_MAX */

/* Statistics, for `show` commands and benchmarks. */
struct fib_stats {
	size_t prefixes;     /* fib_count() */
	size_t mem_total;    /* fib_memory() */
	size_t mem_lookup;   /* the lookup structure readers walk */
	size_t mem_control;  /* the prefix trie updates are made from */
	unsigned direct_bits; /* bits resolved by the direct-pointing top level */
	size_t nodes;        /* internal lookup nodes */
	size_t leaves;       /* compressed leaves */
	size_t blocks;       /* heap blocks of the lookup structure */
	size_t cnodes;       /* control nodes */
};

/* fib.c */
struct fib *fib_new(void);
void fib_free(struct fib *f);
/* addr in host byte order, host bits ignored; replaces an existing entry.
 * Returns 0, or -1 for len > 32 or nh outside 1..FIB_NH_MAX. */
int fib_add(struct fib *f, uint32_t addr, uint8_t len, uint32_t nh);
/* Returns 0, or -1 if the prefix is absent (or len > 32). */
int fib_del(struct fib *f, uint32_t addr, uint8_t len);
/* Longest match, FIB_NH_NONE if none. */
uint32_t fib_lookup(const struct fib *f, uint32_t addr);
void fib_lookup_bulk(const struct fib *f, const uint32_t *addrs, uint32_t *nhs, size_t n);
size_t fib_count(const struct fib *f);
/* Bytes allocated, everything included (malloc chunk sizes). */
size_t fib_memory(const struct fib *f);
/* Adds n prefixes (as fib_add, later duplicates win) and rebuilds the lookup
 * structure once. Returns 0, or -1 if an entry is invalid (nothing is added). */
int fib_build(struct fib *f, const uint32_t *addrs, const uint8_t *lens, const uint32_t *nhs, size_t n);
/* Removes every prefix. */
void fib_clear(struct fib *f);
/* Memory that a concurrent reader may still hold is passed to defer_free
 * once unlinked; the default (NULL) frees it at once. */
void fib_set_reclaim(struct fib *f, void (*defer_free)(void *ptr, void *arg), void *arg);
/* One observer of every change, after it is visible to readers:
 * notify(arg, prefix, len, nh) with nh FIB_NH_NONE for a removal (e.g. a
 * second copy of the table kept in another form: the XDP maps). */
void fib_set_notify(struct fib *f, void (*notify)(void *arg, uint32_t addr, uint8_t len, uint32_t nh),
		    void *arg);
void fib_stats(const struct fib *f, struct fib_stats *st);
/* Calls cb for every prefix in address order; stops and returns the first
 * non-zero cb result. */
int fib_walk(const struct fib *f, int (*cb)(uint32_t addr, uint8_t len, uint32_t nh, void *arg), void *arg);

#endif
