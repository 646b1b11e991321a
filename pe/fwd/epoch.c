/* Epochs (epoch.h): quiescent-state based reclamation for the forwarding
 * tables, one reader (the worker thread) and one writer (the control
 * thread).
 *
 * One epoch counter (per struct fwd_epoch) and one word the reader
 * publishes, seen:
 *   - the reader, between bursts (holding no table pointer), stores
 *     seen = epoch (both seq_cst) before it reads any table again;
 *   - before blocking it stores seen = EPOCH_OFFLINE (all ones, i.e. "has
 *     seen everything"); after waking it stores seen = epoch followed by a
 *     seq_cst fence, and only then touches the tables;
 *   - fwd_epoch_defer tags an object (already unlinked by the caller) with
 *     ++epoch; fwd_epoch_reclaim issues a seq_cst fence, loads seen and frees
 *     the objects whose tag <= seen.
 * Why it is safe: if the reader read epoch >= tag, its load is ordered after
 * the increment, which is ordered after the unlink, so the pointer it reads
 * afterwards is the new one; the old one was dropped at the quiescent point
 * before the store. If the reclaimer reads EPOCH_OFFLINE while the reader is
 * waking up, the two seq_cst fences (reclaimer: unlink; fence; load seen /
 * reader: store seen; fence; load table) form the Dekker pattern: either the
 * reclaimer sees the reader online, or the reader sees the unlink. The
 * release/acquire pair on seen also orders every read the reader made of an
 * old object before its free().
 *
 * While no reader runs (reader false) nothing can hold an old pointer:
 * deferred frees are immediate and fwd_epoch_synchronize returns at once. */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "lib/log.h"
#include "pe/fwd/epoch.h"

#define EPOCH_OFFLINE UINT64_MAX

struct fwd_deferred {
	void *ptr;
	uint64_t epoch;
};

void fwd_epoch_init(struct fwd_epoch *e)
{
	e->reader = false;
	atomic_init(&e->epoch, 1);
	atomic_init(&e->seen, EPOCH_OFFLINE);
	e->dfr = NULL;
	e->ndfr = e->dfr_cap = 0;
}

void fwd_epoch_fini(struct fwd_epoch *e)
{
	fwd_epoch_reclaim(e);
	free(e->dfr);
	e->dfr = NULL;
	e->dfr_cap = 0;
}

void fwd_epoch_reader_start(struct fwd_epoch *e)
{
	e->reader = true;
}

void fwd_epoch_reader_stop(struct fwd_epoch *e)
{
	e->reader = false;
	atomic_store(&e->seen, EPOCH_OFFLINE);
	/* not running: everything deferred may go */
	fwd_epoch_reclaim(e);
}

/* ------------------------------------------------------------ reader */

void fwd_epoch_online(struct fwd_epoch *e)
{
	atomic_store(&e->seen, atomic_load(&e->epoch));
	atomic_thread_fence(memory_order_seq_cst);
}

void fwd_epoch_offline(struct fwd_epoch *e)
{
	atomic_store_explicit(&e->seen, EPOCH_OFFLINE, memory_order_release);
}

void fwd_epoch_quiescent(struct fwd_epoch *e)
{
	atomic_store(&e->seen, atomic_load(&e->epoch));
}

/* ------------------------------------------------------------ writer */

void fwd_epoch_defer(struct fwd_epoch *e, void *ptr)
{
	if (ptr == NULL)
		return;
	if (!e->reader) {
		free(ptr);
		return;
	}
	if (e->ndfr == e->dfr_cap) {
		e->dfr_cap = e->dfr_cap ? e->dfr_cap * 2 : 64;
		e->dfr = xrealloc(e->dfr, e->dfr_cap * sizeof(*e->dfr));
	}
	e->dfr[e->ndfr].ptr = ptr;
	e->dfr[e->ndfr].epoch = atomic_fetch_add(&e->epoch, 1) + 1;
	e->ndfr++;
}

size_t fwd_epoch_reclaim(struct fwd_epoch *e)
{
	uint64_t seen;
	size_t i, j;

	atomic_thread_fence(memory_order_seq_cst);
	seen = e->reader ? atomic_load(&e->seen) : EPOCH_OFFLINE;
	for (i = j = 0; i < e->ndfr; i++) {
		if (e->dfr[i].epoch <= seen)
			free(e->dfr[i].ptr);
		else
			e->dfr[j++] = e->dfr[i];
	}
	e->ndfr = j;
	return j;
}

void fwd_epoch_synchronize(struct fwd_epoch *e)
{
	uint64_t n = atomic_fetch_add(&e->epoch, 1) + 1;
	struct timespec ts = { 0, 100000 };

	atomic_thread_fence(memory_order_seq_cst);
	while (e->reader && atomic_load(&e->seen) < n)
		nanosleep(&ts, NULL);
}
