/* The next batch of keys above a cursor, for walking a table that is not
 * ordered (or may change) in order, a batch per pass, with memory bounded by
 * the batch: each pass offers every key of the table; the batch keeps the
 * `cap` smallest above the cursor (a max-heap), then sorts them, and the
 * cursor moves to the last. Used by the streamed shows (bgp_show.c,
 * ldp_show.c), whose tables may change between two passes. */
#ifndef PE_KBATCH_H
#define PE_KBATCH_H

#include <stdbool.h>
#include <stddef.h>

struct kbatch {
	size_t size;                               /* of a key */
	int (*cmp)(const void *, const void *);    /* their order */
	unsigned char *keys;                       /* this pass, sorted after kbatch_end */
	size_t n, cap, next;                       /* keys taken, room, the caller's index */
	size_t seen;                               /* keys above the cursor in the pass */
	unsigned char *last;                       /* the cursor: last key taken */
	bool have_last, exhausted;                 /* exhausted: nothing beyond this pass */
};

void kbatch_init(struct kbatch *kb, size_t size, int (*cmp)(const void *, const void *));
/* A pass keeping at most cap keys (at least 1). */
void kbatch_begin(struct kbatch *kb, size_t cap);
void kbatch_offer(struct kbatch *kb, const void *key);
/* Sorts the batch, moves the cursor; next = 0. */
void kbatch_end(struct kbatch *kb);
void *kbatch_at(const struct kbatch *kb, size_t i);
void kbatch_free(struct kbatch *kb);

#endif
