/* Epochs: quiescent-state based reclamation between one reader thread (the
 * forwarding worker) and one writer thread (the control thread). The writer
 * unlinks an object from struct fwd_tables and defers its free(); the object
 * is freed once the reader has passed a quiescent state (holding no table
 * pointer) or is offline (blocked waiting for packets), or at once while no
 * reader runs.
 *
 * struct fwd_epoch is embedded in its owner (struct fwd_worker); its members
 * are private to epoch.c. Threads: fwd_epoch_online/offline/quiescent run on
 * the reader thread, everything else on the writer thread. */
#ifndef PE_FWD_EPOCH_H
#define PE_FWD_EPOCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fwd_deferred;

struct fwd_epoch {
	bool reader;            /* the reader thread runs (writer's view) */
	_Atomic uint64_t epoch; /* bumped by the writer per deferred object */
	_Alignas(64) _Atomic uint64_t seen; /* written by the reader only */
	struct fwd_deferred *dfr;
	size_t ndfr, dfr_cap;
};

/* epoch.c */
void fwd_epoch_init(struct fwd_epoch *e);
/* Frees everything still deferred (the reader must not run). */
void fwd_epoch_fini(struct fwd_epoch *e);
/* Writer side: the reader thread was started / has been joined. Stopping
 * frees everything deferred. */
void fwd_epoch_reader_start(struct fwd_epoch *e);
void fwd_epoch_reader_stop(struct fwd_epoch *e);

/* Reader side. online: before the first table read after starting or
 * waking; offline: before blocking (or exiting); quiescent: between bursts,
 * holding no table pointer. */
void fwd_epoch_online(struct fwd_epoch *e);
void fwd_epoch_offline(struct fwd_epoch *e);
void fwd_epoch_quiescent(struct fwd_epoch *e);

/* Writer side: see fwd_defer_free, fwd_reclaim, fwd_synchronize (worker.h). */
void fwd_epoch_defer(struct fwd_epoch *e, void *ptr);
size_t fwd_epoch_reclaim(struct fwd_epoch *e);
void fwd_epoch_synchronize(struct fwd_epoch *e);

#endif
