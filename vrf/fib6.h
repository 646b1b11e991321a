/* Per-VRF IPv6 forwarding table: longest-prefix match from an address to a
 * next-hop id. The IPv6 member of the Poptrie family of vrf/fib.c, see
 * fib6.c. Same contract as fib.h.
 *
 * Addresses are 16 bytes in network byte order (struct in6_addr's layout).
 * Next-hop ids, FIB_NH_NONE and FIB_NH_MAX, and struct fib_stats are those
 * of fib.h.
 *
 * Concurrency: one writer (fib6_add/fib6_del/fib6_build/fib6_clear/
 * fib6_free) and any number of readers (fib6_lookup*) on other threads.
 * Readers never see a half-written structure; memory that readers may still
 * hold is released through the reclaim hook (fib6_set_reclaim), e.g. liburcu
 * call_rcu, and lookups must then run inside a read-side critical section. */
#ifndef PE_FIB6_H
#define PE_FIB6_H

#include <stddef.h>
#include <stdint.h>

#include "vrf/fib.h"

struct fib6;

/* fib6.c */
struct fib6 *fib6_new(void);
void fib6_free(struct fib6 *f);
/* Host bits of addr are ignored; replaces an existing entry. Returns 0, or
 * -1 for len > 128 or nh outside 1..FIB_NH_MAX. */
int fib6_add(struct fib6 *f, const uint8_t addr[16], uint8_t len, uint32_t nh);
/* Returns 0, or -1 if the prefix is absent (or len > 128). */
int fib6_del(struct fib6 *f, const uint8_t addr[16], uint8_t len);
/* Longest match, FIB_NH_NONE if none. */
uint32_t fib6_lookup(const struct fib6 *f, const uint8_t addr[16]);
/* addrs: n addresses of 16 bytes each, back to back (an array of struct
 * in6_addr will do). */
void fib6_lookup_bulk(const struct fib6 *f, const uint8_t *addrs, uint32_t *nhs, size_t n);
size_t fib6_count(const struct fib6 *f);
/* Bytes allocated, everything included (malloc chunk sizes). */
size_t fib6_memory(const struct fib6 *f);
/* Adds n prefixes (addrs: 16 bytes each, as fib6_add; later duplicates win)
 * and rebuilds the lookup structure once. Returns 0, or -1 if an entry is
 * invalid (nothing is added). */
int fib6_build(struct fib6 *f, const uint8_t *addrs, const uint8_t *lens, const uint32_t *nhs, size_t n);
/* Removes every prefix. */
void fib6_clear(struct fib6 *f);
/* Memory that a concurrent reader may still hold is passed to defer_free
 * once unlinked; the default (NULL) frees it at once. */
void fib6_set_reclaim(struct fib6 *f, void (*defer_free)(void *ptr, void *arg), void *arg);
/* One observer of every change, after it is visible to readers:
 * notify(arg, prefix, len, nh) with nh FIB_NH_NONE for a removal. */
void fib6_set_notify(struct fib6 *f,
		     void (*notify)(void *arg, const uint8_t addr[16], uint8_t len, uint32_t nh), void *arg);
/* mem_lookup: the direct-pointing array and the blocks, less the prefixes
 * kept in them; mem_control: those prefixes and the array of prefixes of
 * length 1..s (see fib6.c); cnodes: the nodes that hold prefixes. */
void fib6_stats(const struct fib6 *f, struct fib_stats *st);
/* Calls cb for every prefix in address order (shorter first at equal
 * addresses); stops and returns the first non-zero cb result. */
int fib6_walk(const struct fib6 *f, int (*cb)(const uint8_t addr[16], uint8_t len, uint32_t nh, void *arg),
	      void *arg);

#endif
