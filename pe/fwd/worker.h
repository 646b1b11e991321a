/* The forwarding worker: one thread that receives bursts from AF_PACKET
 * ports (afpacket.c: TPACKET_V2 receive ring, BPF filter,
 * PACKET_IGNORE_OUTGOING, fast transmit) and from an optional slow-path
 * source (the XDP fast path's hand-over), runs fwd_process() and transmits,
 * and the epochs (epoch.c) that tell the control plane when memory unlinked
 * from struct fwd_tables may be freed.
 *
 * Threads: every function here is called from the control thread (the one
 * that called fwd_worker_new) unless it says otherwise. */
#ifndef PE_FWD_WORKER_H
#define PE_FWD_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "pe/fwd/fwd.h"

struct fwd_worker;

enum fwd_port_kind {
	FWD_PORT_CORE,     /* receives MPLS unicast frames (ethertype 0x8847) only */
	FWD_PORT_VRF,      /* receives IPv4 and IPv6 frames addressed to the port's MAC only */
	FWD_PORT_ALL,      /* everything not outgoing (benchmarks: null mode) */
	FWD_PORT_TXONLY,   /* receives nothing (an XDP program owns the receive
			    * side: no receive ring); transmits as the others */
};

/* worker.c */
struct fwd_worker *fwd_worker_new(struct fwd_tables *t);
/* Stops the thread if running, closes every port, runs every deferred free. */
void fwd_worker_free(struct fwd_worker *w);
/* Opens port idx on interface ifindex of namespace nsfd (-1: the current
 * one): the socket is created in that namespace, bound to the interface,
 * filtered by kind (and mac for FWD_PORT_VRF). The worker starts polling it
 * (it may run already; FWD_PORT_TXONLY: it only transmits through it).
 * -1 + reason in err. Re-opening an open idx closes the old socket first. */
int fwd_worker_port_open(struct fwd_worker *w, uint16_t idx, int nsfd, int ifindex,
			 enum fwd_port_kind kind, const uint8_t mac[6], char *err, size_t errlen);
/* The worker stops polling the port and its socket is closed before this
 * returns. */
void fwd_worker_port_close(struct fwd_worker *w, uint16_t idx);
bool fwd_worker_port_is_open(const struct fwd_worker *w, uint16_t idx);
/* Starts the thread (optionally pinned to cpu >= 0). */
int fwd_worker_start(struct fwd_worker *w, int cpu);
void fwd_worker_stop(struct fwd_worker *w);
/* Null mode (benchmark ceiling): frames received on port a go out port b
 * untouched, without fwd_process(). Set before start. */
void fwd_worker_set_null(struct fwd_worker *w, uint16_t a, uint16_t b);

/* Slow-path source (the XDP fast path's hand-over). Set while the thread
 * does not run (before fwd_worker_start, or after fwd_worker_stop); fd < 0
 * or poll_fn NULL removes it. The worker waits for fd (not closed by the
 * worker; it must stay open while set) to become readable along with its
 * ports, and calls poll_fn(arg, pkts, max) on the worker thread, online
 * (it may read the tables; they stay valid until it returns):
 *   - max <= FWD_BURST; pkts[i].buf is a worker-owned buffer of
 *     FWD_BUF_SIZE bytes and pkts[i].data = buf + FWD_HEADROOM, as for a
 *     received frame;
 *   - poll_fn copies up to max frames in, sets data, len and in_port of
 *     pkts[0..k) (the frame within [buf, buf + FWD_BUF_SIZE), in_port <
 *     FWD_MAX_PORTS, else it is counted malformed) and returns k;
 *   - the worker then processes and transmits them exactly as received
 *     frames (counters, transmit, resolution requests), and calls poll_fn
 *     again while it returned max, a bounded number of times per loop turn
 *     (fairness with the ports); it also calls it every turn while busy.
 * poll_fn may call fwd_worker_resolve(). */
void fwd_worker_set_slow(struct fwd_worker *w, int fd,
			 unsigned (*poll_fn)(void *arg, struct fwd_pkt *pkts, unsigned max),
			 void *arg);

/* Neighbor resolution requests (verdict FWD_DROP_NO_NEIGH): the worker queues
 * (port, ip) without blocking (a full queue drops the request; duplicates
 * within a short time are suppressed); ip is IPv4 (ARP) or IPv6 (ND). fd
 * becomes readable when there are requests (an eventfd: read it, then pop
 * until 0). */
int fwd_worker_event_fd(const struct fwd_worker *w);
int fwd_worker_pop_resolve(struct fwd_worker *w, uint16_t *port, struct ipaddr *ip);
/* Worker thread only (from a slow-path poll_fn): queues a request for ip on
 * port as a FWD_DROP_NO_NEIGH verdict does (same suppression, same wakeup). */
void fwd_worker_resolve(struct fwd_worker *w, uint16_t port, const struct ipaddr *ip);

/* Epochs (quiescent-state based reclamation, epoch.c): memory unlinked from
 * the tables before this call is freed with free() once the worker has
 * passed a quiescent state (or is blocked waiting for packets). Immediate
 * when the thread is not running. */
void fwd_defer_free(struct fwd_worker *w, void *ptr);
/* Frees what is safe now; call it from a timer (e.g. every 50 ms) and after
 * batches of updates. Returns the number of objects still waiting. */
size_t fwd_reclaim(struct fwd_worker *w);
/* Blocks until the worker has passed a quiescent state (or is not running). */
void fwd_synchronize(struct fwd_worker *w);

/* I/O statistics (rings): frames the kernel dropped because our ring was
 * full (PACKET_STATISTICS tp_drops), per port, cumulative. */
uint64_t fwd_worker_ring_drops(struct fwd_worker *w, uint16_t idx);

#endif
