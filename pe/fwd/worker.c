/* The forwarding worker (worker.h): AF_PACKET ports and the thread that
 * moves frames between them through fwd_process().
 *
 * Receive: one AF_PACKET SOCK_RAW socket per port with a TPACKET_V2 ring
 * (RX_FRAMES slots of RX_FRAME bytes, 4 MiB; frames up to 1982 bytes, longer
 * ones arrive truncated and count as malformed), PACKET_IGNORE_OUTGOING
 * (our own and the kernel's transmissions are not seen again) and a classic
 * BPF filter per port kind (core: ethertype 0x8847; VRF: IPv4 to the port's
 * MAC; both refuse frames whose VLAN tag the kernel stripped). The socket is
 * created with protocol 0, which receives nothing; filter and ring are set
 * up first and only then is it bound to the interface with ETH_P_ALL, so no
 * unfiltered frame is ever queued. Frames are copied out of the ring into
 * the worker's burst buffers (headroom for pushes, room for ICMP errors)
 * and each slot is given back as soon as it is copied.
 * Why V2 and not V3: a V3 block is handed to user space only when full or
 * after its retire timeout (1 ms at least), so at low rates every frame
 * waited ~1 ms per hop (ping through pe1-p1-pe2: 2.7-4.6 ms RTT; V2: 0.3
 * ms). A smaller block does not help there: the timeout is the issue. V2
 * wakes us per frame, and on this 2-CPU veth rig it forwarded as much as
 * V3 or more (null and push, 64 and 1518 bytes, overload and 250-400 kpps
 * offered). The V3 ring (RX_BLOCKS blocks of RX_BLOCK bytes, 1 ms retire
 * timeout, a whole block per look) is kept, selected by the environment
 * variable PE_FWD_RX=v3 (benchmarks).
 *
 * Transmit: a second AF_PACKET socket per port, bound with protocol 0 (it
 * receives nothing), PACKET_QDISC_BYPASS, and one sendmmsg(MSG_DONTWAIT)
 * per output port and burst. Measured on this veth setup against a
 * TPACKET_V2 PACKET_TX_RING with one send() per burst, sendmmsg cost ~5-8 %
 * less CPU per frame (60 and 1514 bytes: the ring's zero-copy page
 * references and skb destructor cost more than the copy), needs no ring
 * memory, and tells exactly which frame the driver refused (a full veth
 * peer backlog: ENOBUFS); the ring only says it is full. The ring is kept,
 * selected by the environment variable PE_FWD_TX=ring (benchmarks). A
 * refused frame (sendmmsg error, full ring) is counted as FWD_DROP_TX on
 * the output port instead of tx.
 *
 * The thread never busy-polls: when no ring has a ready frame it goes
 * offline (epochs) and blocks in epoll_wait() on the sockets and a control
 * eventfd.
 *
 * Epochs (quiescent-state based reclamation). One global epoch counter
 * (per worker object) and one word the worker publishes, seen:
 *   - the worker, between bursts (holding no table pointer), stores
 *     seen = epoch (both seq_cst) before it reads any table again;
 *   - before blocking it stores seen = EPOCH_OFFLINE (all ones, i.e. "has
 *     seen everything"); after waking it stores seen = epoch followed by a
 *     seq_cst fence, and only then touches the tables;
 *   - fwd_defer_free tags an object (already unlinked by the caller) with
 *     ++epoch; fwd_reclaim issues a seq_cst fence, loads seen and frees the
 *     objects whose tag <= seen.
 * Why it is safe: if the worker read epoch >= tag, its load is ordered after
 * the increment, which is ordered after the unlink, so the pointer it reads
 * afterwards is the new one; the old one was dropped at the quiescent point
 * before the store. If the reclaimer reads EPOCH_OFFLINE while the worker is
 * waking up, the two seq_cst fences (reclaimer: unlink; fence; load seen /
 * worker: store seen; fence; load table) form the Dekker pattern: either the
 * reclaimer sees the worker online, or the worker sees the unlink. The
 * release/acquire pair on seen also orders every read the worker made of an
 * old object before its free().
 *
 * Control: port open/close go through a one-slot command (mutex + condvar,
 * an eventfd to wake the worker, an atomic flag it checks between bursts so
 * a worker that never blocks still sees it); the control thread waits for
 * the acknowledgement, so a closed port's socket is unused when it is
 * closed. When the thread does not run, the control thread applies commands
 * itself.
 *
 * Neighbor resolution requests: a single-producer single-consumer ring of
 * RESOLVE_RING entries and an eventfd written when the consumer may have
 * found it empty; a small direct-mapped cache suppresses repeats within
 * RESOLVE_HOLD_NS.
 *
 * Per packet: no allocation, no lock, no logging. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/netns.h"
#include "pe/fwd/fwd.h"
#include "pe/fwd/worker.h"

#define RX_BLOCK (1u << 17)     /* 128 KiB: ~900 small frames (V3), 64 of 2 KiB (V2) */
#define RX_BLOCKS 32u           /* 4 MiB per port */
#define RX_FRAME 2048u          /* V2 slot (V3 frames are variable; nominal) */
#define RX_FRAMES (RX_BLOCK / RX_FRAME * RX_BLOCKS) /* V2: 2048 slots */
#define RX_TOV_MS 1u            /* V3: retire a partly filled block after 1 ms */
#define RX_BURSTS_PER_TURN 8    /* fairness between ports */

#define TX_FRAME 2112u          /* 32 bytes of tpacket2_hdr + FWD_BUF_SIZE + spare */
#define TX_BLOCK (1u << 16)
#define TX_BLOCKS 16u           /* 31 frames per block: 496 slots, 1 MiB */
#define TX_DATA_OFF (TPACKET2_HDRLEN - sizeof(struct sockaddr_ll))

#define RESOLVE_RING 256u       /* power of two */
#define RESOLVE_CACHE 64u       /* power of two */
#define RESOLVE_HOLD_NS 1000000000ull

#define EPOCH_OFFLINE UINT64_MAX
#define EV_CTL UINT32_MAX       /* epoll data of the control eventfd */

struct wport {
	uint16_t idx;
	int fd;                 /* receive socket (V2 or V3 ring) */
	bool rx_v3;
	uint8_t *rx_ring;
	size_t rx_len;
	uint32_t rx_cur;        /* next frame (V2) or block (V3) we expect */
	int txfd;               /* transmit socket */
	uint8_t *tx_ring;       /* PE_FWD_TX=ring only */
	size_t tx_len;
	uint32_t tx_nframes;
	uint32_t tx_cur;
	bool tx_pending;        /* tx ring slots filled since the last send() */
};

enum { CMD_NONE, CMD_OPEN, CMD_CLOSE };

struct deferred {
	void *ptr;
	uint64_t epoch;
};

struct resolve_req {
	uint16_t port;
	uint32_t ip;
};

struct resolve_seen {
	uint32_t ip;
	uint16_t port;
	uint64_t when;
};

struct fwd_worker {
	struct fwd_tables *t;
	pthread_t thread;
	bool running;           /* control thread's view */
	_Atomic bool stop;
	bool use_mmsg;
	bool rx_v3;             /* PE_FWD_RX=v3 */
	int epfd;
	int ctlfd;              /* eventfd: commands for the worker */
	int evfd;               /* eventfd: resolve requests for the control thread */

	/* control thread's view of the ports */
	struct wport *ctl_port[FWD_MAX_PORTS];
	uint64_t ring_drops[FWD_MAX_PORTS];

	/* one pending command */
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	_Atomic bool cmd_pending;
	int cmd_op;
	struct wport *cmd_port;
	uint16_t cmd_idx;
	bool cmd_done;

	/* epochs */
	_Atomic uint64_t epoch;
	_Alignas(64) _Atomic uint64_t seen; /* written by the worker only */
	struct deferred *dfr;
	size_t ndfr, dfr_cap;

	/* resolve requests: worker produces, control thread consumes */
	struct resolve_req rq[RESOLVE_RING];
	_Alignas(64) _Atomic uint32_t rq_head;
	_Alignas(64) _Atomic uint32_t rq_tail;
	struct resolve_seen rq_seen[RESOLVE_CACHE];

	/* worker's own state */
	struct wport *port[FWD_MAX_PORTS];
	struct wport *act[FWD_MAX_PORTS];
	unsigned nact;
	bool null_mode;
	uint16_t null_a, null_b;
	struct fwd_pkt pkts[FWD_BURST];
	uint8_t *bufs;          /* FWD_BURST * FWD_BUF_SIZE */
	struct mmsghdr msgs[FWD_BURST];
	struct iovec iov[FWD_BURST];
};

/* ------------------------------------------------------------- epochs */

static void epoch_online(struct fwd_worker *w)
{
	atomic_store(&w->seen, atomic_load(&w->epoch));
	atomic_thread_fence(memory_order_seq_cst);
}

static void epoch_offline(struct fwd_worker *w)
{
	atomic_store_explicit(&w->seen, EPOCH_OFFLINE, memory_order_release);
}

void fwd_defer_free(struct fwd_worker *w, void *ptr)
{
	if (ptr == NULL)
		return;
	if (!w->running) {
		free(ptr);
		return;
	}
	if (w->ndfr == w->dfr_cap) {
		w->dfr_cap = w->dfr_cap ? w->dfr_cap * 2 : 64;
		w->dfr = xrealloc(w->dfr, w->dfr_cap * sizeof(*w->dfr));
	}
	w->dfr[w->ndfr].ptr = ptr;
	w->dfr[w->ndfr].epoch = atomic_fetch_add(&w->epoch, 1) + 1;
	w->ndfr++;
}

size_t fwd_reclaim(struct fwd_worker *w)
{
	uint64_t seen;
	size_t i, j;

	atomic_thread_fence(memory_order_seq_cst);
	seen = w->running ? atomic_load(&w->seen) : EPOCH_OFFLINE;
	for (i = j = 0; i < w->ndfr; i++) {
		if (w->dfr[i].epoch <= seen)
			free(w->dfr[i].ptr);
		else
			w->dfr[j++] = w->dfr[i];
	}
	w->ndfr = j;
	return j;
}

void fwd_synchronize(struct fwd_worker *w)
{
	uint64_t e = atomic_fetch_add(&w->epoch, 1) + 1;
	struct timespec ts = { 0, 100000 };

	atomic_thread_fence(memory_order_seq_cst);
	while (w->running && atomic_load(&w->seen) < e)
		nanosleep(&ts, NULL);
}

/* ------------------------------------------------------- resolve queue */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Worker side. */
static void resolve_push(struct fwd_worker *w, uint16_t port, uint32_t ip, uint64_t *now)
{
	struct resolve_seen *c = &w->rq_seen[fwd_neigh_hash(ip ^ port) & (RESOLVE_CACHE - 1)];
	uint32_t head, tail;
	uint64_t one = 1;

	if (*now == 0)
		*now = now_ns();
	if (c->ip == ip && c->port == port && *now - c->when < RESOLVE_HOLD_NS)
		return;
	head = atomic_load_explicit(&w->rq_head, memory_order_relaxed);
	tail = atomic_load_explicit(&w->rq_tail, memory_order_acquire);
	if (head - tail >= RESOLVE_RING)
		return; /* full: dropped, asked again after the hold time */
	c->ip = ip;
	c->port = port;
	c->when = *now;
	w->rq[head & (RESOLVE_RING - 1)].port = port;
	w->rq[head & (RESOLVE_RING - 1)].ip = ip;
	/* seq_cst store then load, against the consumer's tail store then head
	 * load: either the consumer sees this entry or we see it drained. */
	atomic_store(&w->rq_head, head + 1);
	tail = atomic_load(&w->rq_tail);
	if (tail == head && write(w->evfd, &one, sizeof(one)) < 0) {
		/* eventfd counter cannot overflow here; nothing to do */
	}
}

int fwd_worker_event_fd(const struct fwd_worker *w)
{
	return w->evfd;
}

int fwd_worker_pop_resolve(struct fwd_worker *w, uint16_t *port, uint32_t *ip)
{
	uint32_t tail = atomic_load_explicit(&w->rq_tail, memory_order_relaxed);
	uint32_t head = atomic_load(&w->rq_head);

	if (head == tail)
		return 0;
	*port = w->rq[tail & (RESOLVE_RING - 1)].port;
	*ip = w->rq[tail & (RESOLVE_RING - 1)].ip;
	atomic_store(&w->rq_tail, tail + 1);
	return 1;
}

/* ----------------------------------------------------------- transmit */

static void tx_fail(struct fwd_worker *w, struct fwd_pkt *p, enum fwd_drop why)
{
	struct fwd_counters *c = &w->t->port_cnt[p->out_port];

	c->tx_pkts--;
	c->tx_bytes -= p->len;
	c->drop[why]++;
}

static void tx_ring_flush(struct wport *p)
{
	if (!p->tx_pending)
		return;
	p->tx_pending = false;
	/* Errors (ENOBUFS from a full peer) leave frames in SEND_REQUEST:
	 * they go with the next flush. */
	if (send(p->txfd, NULL, 0, MSG_DONTWAIT) < 0) {
		/* nothing to undo here */
	}
}

/* Copies one frame into the port's tx ring; false if the ring is full. */
static bool tx_ring_put(struct wport *p, const uint8_t *data, uint16_t len)
{
	struct tpacket2_hdr *h = (struct tpacket2_hdr *)(void *)(p->tx_ring +
		(size_t)(p->tx_cur / (TX_BLOCK / TX_FRAME)) * TX_BLOCK +
		(size_t)(p->tx_cur % (TX_BLOCK / TX_FRAME)) * TX_FRAME);

	if (len > TX_FRAME - TX_DATA_OFF)
		return false;
	if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) {
		/* full: hand what we queued to the driver, and look again (a
		 * slot is free once the driver has freed its skb) */
		if (!p->tx_pending)
			return false;
		tx_ring_flush(p);
		if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE)
			return false;
	}
	memcpy((uint8_t *)h + TX_DATA_OFF, data, len);
	h->tp_len = len;
	__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
	if (++p->tx_cur == p->tx_nframes)
		p->tx_cur = 0;
	p->tx_pending = true;
	return true;
}

/* Sends the FWD_OK packets of a burst, grouped by output port: one send()
 * or sendmmsg() per port. */
static void tx_burst(struct fwd_worker *w, struct fwd_pkt *pkts, unsigned n)
{
	uint16_t ports[FWD_BURST];
	unsigned nports = 0, i, j;

	for (i = 0; i < n; i++) {
		struct fwd_pkt *p = &pkts[i];
		struct wport *op;

		if (p->verdict != FWD_OK)
			continue;
		op = p->out_port < FWD_MAX_PORTS ? w->port[p->out_port] : NULL;
		if (op == NULL) {
			p->verdict = FWD_DROP_PORT_DOWN;
			tx_fail(w, p, FWD_DROP_PORT_DOWN);
			continue;
		}
		if (!w->use_mmsg && !tx_ring_put(op, p->data, p->len)) {
			p->verdict = FWD_DROP_TX;
			tx_fail(w, p, FWD_DROP_TX);
			continue;
		}
		for (j = 0; j < nports && ports[j] != p->out_port; j++)
			;
		if (j == nports)
			ports[nports++] = p->out_port;
	}
	for (j = 0; j < nports; j++) {
		struct wport *op = w->port[ports[j]];
		struct fwd_pkt *sel[FWD_BURST];
		unsigned m = 0, sent = 0;
		int r;

		if (!w->use_mmsg) {
			tx_ring_flush(op);
			continue;
		}
		for (i = 0; i < n; i++) {
			if (pkts[i].verdict != FWD_OK || pkts[i].out_port != ports[j])
				continue;
			sel[m] = &pkts[i];
			w->iov[m].iov_base = pkts[i].data;
			w->iov[m].iov_len = pkts[i].len;
			w->msgs[m].msg_hdr.msg_iov = &w->iov[m];
			w->msgs[m].msg_hdr.msg_iovlen = 1;
			m++;
		}
		/* sendmmsg stops at the first failure (-1 if it is the first
		 * message): what did not go is counted as a tx drop */
		while (sent < m) {
			r = sendmmsg(op->txfd, w->msgs + sent, m - sent, MSG_DONTWAIT);
			if (r <= 0)
				break;
			sent += (unsigned)r;
		}
		for (; sent < m; sent++) {
			sel[sent]->verdict = FWD_DROP_TX;
			tx_fail(w, sel[sent], FWD_DROP_TX);
		}
	}
}

/* ------------------------------------------------------------ receive */

static void count_rx_drop(struct fwd_worker *w, uint16_t port, uint32_t len, enum fwd_drop why)
{
	struct fwd_counters *c = &w->t->port_cnt[port];

	c->rx_pkts++;
	c->rx_bytes += len;
	c->drop[why]++;
}

static void run_burst(struct fwd_worker *w, unsigned n)
{
	uint64_t now = 0;
	unsigned i;

	if (n == 0)
		return;
	if (w->null_mode) {
		for (i = 0; i < n; i++) {
			struct fwd_pkt *p = &w->pkts[i];
			struct fwd_counters *c = &w->t->port_cnt[p->in_port];

			c->rx_pkts++;
			c->rx_bytes += p->len;
			if (p->in_port == w->null_a) {
				p->verdict = FWD_OK;
				p->out_port = w->null_b;
				c = &w->t->port_cnt[w->null_b];
				c->tx_pkts++;
				c->tx_bytes += p->len;
			} else {
				p->verdict = FWD_PUNT;
				c->punt++;
			}
		}
	} else {
		fwd_process(w->t, w->pkts, n);
	}
	tx_burst(w, w->pkts, n);
	for (i = 0; i < n; i++)
		if (w->pkts[i].verdict == FWD_DROP_NO_NEIGH)
			resolve_push(w, w->pkts[i].out_port, w->pkts[i].resolve_ip, &now);
}

/* Copies one received frame into the burst at *n (or counts it dropped);
 * runs the burst when it is full. Returns true when it ran one. */
static inline bool rx_frame(struct fwd_worker *w, struct wport *p, unsigned *n,
			    const uint8_t *frame, uint32_t snaplen, uint32_t len, uint32_t status)
{
	struct fwd_pkt *pk;

	if (status & TP_STATUS_VLAN_VALID) {
		/* tag stripped by the kernel (FWD_PORT_ALL only: the filters
		 * refuse these): not ours */
		w->t->port_cnt[p->idx].rx_pkts++;
		w->t->port_cnt[p->idx].rx_bytes += len;
		w->t->port_cnt[p->idx].punt++;
		return false;
	}
	if (snaplen != len || len > FWD_BUF_SIZE - FWD_HEADROOM || len < ETH_HLEN) {
		count_rx_drop(w, p->idx, len, FWD_DROP_MALFORMED);
		return false;
	}
	pk = &w->pkts[*n];
	pk->data = pk->buf + FWD_HEADROOM;
	memcpy(pk->data, frame, len);
	pk->len = (uint16_t)len;
	pk->in_port = p->idx;
	pk->out_port = 0;
	pk->verdict = FWD_OK;
	pk->icmp = 0;
	pk->resolve_ip = 0;
	if (++*n < FWD_BURST)
		return false;
	run_burst(w, *n);
	*n = 0;
	return true;
}

/* V2: receives up to RX_BURSTS_PER_TURN bursts from p, frame by frame;
 * true if it found anything (there may be more). */
static bool port_rx_v2(struct fwd_worker *w, struct wport *p)
{
	unsigned bursts = 0, n = 0;
	bool any = false;

	while (bursts < RX_BURSTS_PER_TURN) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)(void *)(p->rx_ring +
								(size_t)p->rx_cur * RX_FRAME);
		uint32_t st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);

		if (!(st & TP_STATUS_USER))
			break;
		any = true;
		if (rx_frame(w, p, &n, (const uint8_t *)h + h->tp_mac, h->tp_snaplen, h->tp_len,
			     st))
			bursts++;
		/* copied out: the slot goes back to the kernel */
		__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		if (++p->rx_cur == RX_FRAMES)
			p->rx_cur = 0;
	}
	run_burst(w, n);
	return any;
}

static inline struct tpacket_block_desc *rx_block(struct wport *p, uint32_t b)
{
	return (struct tpacket_block_desc *)(void *)(p->rx_ring + (size_t)b * RX_BLOCK);
}

/* V3: receives up to RX_BURSTS_PER_TURN bursts from p (whole blocks);
 * true if it found anything (there may be more). */
static bool port_rx_v3(struct fwd_worker *w, struct wport *p)
{
	unsigned bursts = 0, n = 0;
	bool any = false;

	while (bursts < RX_BURSTS_PER_TURN) {
		struct tpacket_block_desc *bd = rx_block(p, p->rx_cur);
		uint32_t st = __atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE);
		struct tpacket3_hdr *h;
		uint32_t k, num;

		if (!(st & TP_STATUS_USER))
			break;
		any = true;
		num = bd->hdr.bh1.num_pkts;
		h = (struct tpacket3_hdr *)(void *)((uint8_t *)bd +
						    bd->hdr.bh1.offset_to_first_pkt);
		for (k = 0; k < num; k++) {
			if (rx_frame(w, p, &n, (const uint8_t *)h + h->tp_mac, h->tp_snaplen,
				     h->tp_len, h->tp_status))
				bursts++;
			h = (struct tpacket3_hdr *)(void *)((uint8_t *)h + h->tp_next_offset);
		}
		/* everything copied out: the block goes back to the kernel */
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		if (++p->rx_cur == RX_BLOCKS)
			p->rx_cur = 0;
	}
	run_burst(w, n);
	return any;
}

static bool port_rx(struct fwd_worker *w, struct wport *p)
{
	return p->rx_v3 ? port_rx_v3(w, p) : port_rx_v2(w, p);
}

/* ------------------------------------------------------------ control */

static void act_add(struct fwd_worker *w, struct wport *p)
{
	w->port[p->idx] = p;
	w->act[w->nact++] = p;
}

static void act_del(struct fwd_worker *w, uint16_t idx)
{
	unsigned i;

	w->port[idx] = NULL;
	for (i = 0; i < w->nact; i++)
		if (w->act[i]->idx == idx) {
			w->act[i] = w->act[--w->nact];
			break;
		}
}

static void cmd_apply(struct fwd_worker *w)
{
	switch (w->cmd_op) {
	case CMD_OPEN:
		act_add(w, w->cmd_port);
		break;
	case CMD_CLOSE:
		act_del(w, w->cmd_idx);
		break;
	}
	w->cmd_op = CMD_NONE;
}

/* Worker side: applies a pending command and acknowledges it. */
static void cmd_poll(struct fwd_worker *w)
{
	if (!atomic_load_explicit(&w->cmd_pending, memory_order_acquire))
		return;
	pthread_mutex_lock(&w->mtx);
	atomic_store_explicit(&w->cmd_pending, false, memory_order_relaxed);
	cmd_apply(w);
	w->cmd_done = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mtx);
}

/* Control side: runs one command in the worker (or here if it is stopped). */
static void cmd_run(struct fwd_worker *w, int op, uint16_t idx, struct wport *p)
{
	uint64_t one = 1;

	pthread_mutex_lock(&w->mtx);
	w->cmd_op = op;
	w->cmd_idx = idx;
	w->cmd_port = p;
	if (!w->running) {
		cmd_apply(w);
		pthread_mutex_unlock(&w->mtx);
		return;
	}
	w->cmd_done = false;
	atomic_store_explicit(&w->cmd_pending, true, memory_order_release);
	if (write(w->ctlfd, &one, sizeof(one)) < 0)
		fatal("worker control eventfd");
	while (!w->cmd_done)
		pthread_cond_wait(&w->cond, &w->mtx);
	pthread_mutex_unlock(&w->mtx);
}

static void *worker_main(void *arg)
{
	struct fwd_worker *w = arg;
	struct epoll_event ev[16];
	uint64_t v;
	int i, nev;

	epoch_online(w);
	for (;;) {
		bool busy = false;

		/* quiescent point: no table pointer is held here */
		atomic_store(&w->seen, atomic_load(&w->epoch));
		if (atomic_load_explicit(&w->stop, memory_order_relaxed))
			break;
		cmd_poll(w);
		for (i = 0; i < (int)w->nact; i++)
			busy |= port_rx(w, w->act[i]);
		if (busy)
			continue;
		epoch_offline(w);
		nev = epoll_wait(w->epfd, ev, 16, -1);
		epoch_online(w);
		if (nev < 0 && errno != EINTR)
			fatal("epoll_wait");
		/* the eventfd is read here, not in cmd_poll(): a command
		 * seen early must not leave it readable (a spinning wait) */
		for (i = 0; i < nev; i++)
			if (ev[i].data.u32 == EV_CTL && read(w->ctlfd, &v, sizeof(v)) < 0) {
				/* EAGAIN: nothing */
			}
	}
	epoch_offline(w);
	return NULL;
}

/* ------------------------------------------------------------ ports */

static void wport_free(struct wport *p)
{
	if (p->rx_ring != NULL)
		munmap(p->rx_ring, p->rx_len);
	if (p->tx_ring != NULL)
		munmap(p->tx_ring, p->tx_len);
	if (p->fd >= 0)
		close(p->fd);
	if (p->txfd >= 0)
		close(p->txfd);
	free(p);
}

static int set_filter(int fd, enum fwd_port_kind kind, const uint8_t mac[6])
{
	/* A VLAN tag the kernel has already stripped is in the metadata, and
	 * [12] is then the inner ethertype: tagged frames are not ours. */
	struct sock_filter core[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_MPLS_UC, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter vrf[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 7),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3),  /* MAC bytes 0-3 */
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),  /* MAC bytes 4-5 */
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog;

	switch (kind) {
	case FWD_PORT_CORE:
		prog.filter = core;
		prog.len = sizeof(core) / sizeof(core[0]);
		break;
	case FWD_PORT_VRF:
		vrf[5].k = (uint32_t)mac[0] << 24 | (uint32_t)mac[1] << 16 |
			   (uint32_t)mac[2] << 8 | mac[3];
		vrf[7].k = (uint32_t)mac[4] << 8 | mac[5];
		prog.filter = vrf;
		prog.len = sizeof(vrf) / sizeof(vrf[0]);
		break;
	default:
		return 0;
	}
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static int port_setup_rx(struct wport *p, int nsfd, int ifindex, enum fwd_port_kind kind,
			 const uint8_t mac[6], bool v3, char *err, size_t errlen)
{
	struct tpacket_req3 req;
	struct sockaddr_ll sll;
	int v;

	/* protocol 0: nothing is received before the final bind */
	p->fd = netns_socket(nsfd, AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (p->fd < 0) {
		snprintf(err, errlen, "AF_PACKET socket: %s", strerror(errno));
		return -1;
	}
	p->rx_v3 = v3;
	v = v3 ? TPACKET_V3 : TPACKET_V2;
	if (setsockopt(p->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0) {
		snprintf(err, errlen, "PACKET_VERSION: %s", strerror(errno));
		return -1;
	}
	if (set_filter(p->fd, kind, mac) < 0) {
		snprintf(err, errlen, "SO_ATTACH_FILTER: %s", strerror(errno));
		return -1;
	}
	v = 1;
	if (setsockopt(p->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &v, sizeof(v)) < 0) {
		snprintf(err, errlen, "PACKET_IGNORE_OUTGOING (Linux >= 4.20): %s",
			 strerror(errno));
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.tp_block_size = RX_BLOCK;
	req.tp_block_nr = RX_BLOCKS;
	req.tp_frame_size = RX_FRAME;
	req.tp_frame_nr = RX_FRAMES;
	if (v3)
		req.tp_retire_blk_tov = RX_TOV_MS;
	/* V2 reads a struct tpacket_req: the leading fields of tpacket_req3 */
	if (setsockopt(p->fd, SOL_PACKET, PACKET_RX_RING, &req,
		       v3 ? sizeof(req) : sizeof(struct tpacket_req)) < 0) {
		snprintf(err, errlen, "PACKET_RX_RING: %s", strerror(errno));
		return -1;
	}
	p->rx_len = (size_t)RX_BLOCK * RX_BLOCKS;
	p->rx_ring = mmap(NULL, p->rx_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			  p->fd, 0);
	if (p->rx_ring == MAP_FAILED) {
		p->rx_ring = NULL;
		snprintf(err, errlen, "mmap rx ring: %s", strerror(errno));
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifindex;
	if (bind(p->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		snprintf(err, errlen, "bind ifindex %d: %s", ifindex, strerror(errno));
		return -1;
	}
	return 0;
}

static int port_setup_tx(struct wport *p, int nsfd, int ifindex, bool mmsg, char *err,
			 size_t errlen)
{
	struct tpacket_req req;
	struct sockaddr_ll sll;
	int v;

	p->txfd = netns_socket(nsfd, AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (p->txfd < 0) {
		snprintf(err, errlen, "AF_PACKET socket: %s", strerror(errno));
		return -1;
	}
	v = 1;
	if (setsockopt(p->txfd, SOL_PACKET, PACKET_QDISC_BYPASS, &v, sizeof(v)) < 0) {
		snprintf(err, errlen, "PACKET_QDISC_BYPASS: %s", strerror(errno));
		return -1;
	}
	if (!mmsg) {
		v = TPACKET_V2;
		if (setsockopt(p->txfd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0) {
			snprintf(err, errlen, "PACKET_VERSION: %s", strerror(errno));
			return -1;
		}
		v = 1; /* skip malformed frames instead of stalling the ring */
		if (setsockopt(p->txfd, SOL_PACKET, PACKET_LOSS, &v, sizeof(v)) < 0) {
			snprintf(err, errlen, "PACKET_LOSS: %s", strerror(errno));
			return -1;
		}
		memset(&req, 0, sizeof(req));
		req.tp_block_size = TX_BLOCK;
		req.tp_block_nr = TX_BLOCKS;
		req.tp_frame_size = TX_FRAME;
		req.tp_frame_nr = TX_BLOCK / TX_FRAME * TX_BLOCKS;
		if (setsockopt(p->txfd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0) {
			snprintf(err, errlen, "PACKET_TX_RING: %s", strerror(errno));
			return -1;
		}
		p->tx_nframes = req.tp_frame_nr;
		p->tx_len = (size_t)TX_BLOCK * TX_BLOCKS;
		p->tx_ring = mmap(NULL, p->tx_len, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_POPULATE, p->txfd, 0);
		if (p->tx_ring == MAP_FAILED) {
			p->tx_ring = NULL;
			snprintf(err, errlen, "mmap tx ring: %s", strerror(errno));
			return -1;
		}
	}
	/* protocol 0: this socket never receives */
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = 0;
	sll.sll_ifindex = ifindex;
	if (bind(p->txfd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		snprintf(err, errlen, "bind ifindex %d: %s", ifindex, strerror(errno));
		return -1;
	}
	return 0;
}

static void ring_drops_collect(struct fwd_worker *w, struct wport *p)
{
	union {
		struct tpacket_stats v2;
		struct tpacket_stats_v3 v3;
	} st;
	socklen_t sl = p->rx_v3 ? sizeof(st.v3) : sizeof(st.v2);

	/* reading the statistics resets them in the kernel: accumulate */
	if (getsockopt(p->fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) == 0)
		w->ring_drops[p->idx] += p->rx_v3 ? st.v3.tp_drops : st.v2.tp_drops;
}

int fwd_worker_port_open(struct fwd_worker *w, uint16_t idx, int nsfd, int ifindex,
			 enum fwd_port_kind kind, const uint8_t mac[6], char *err, size_t errlen)
{
	struct epoll_event ev;
	struct wport *p;

	if (idx >= FWD_MAX_PORTS) {
		snprintf(err, errlen, "port index %u out of range", idx);
		return -1;
	}
	if (w->ctl_port[idx] != NULL)
		fwd_worker_port_close(w, idx);
	p = xcalloc(1, sizeof(*p));
	p->idx = idx;
	p->fd = p->txfd = -1;
	if (port_setup_rx(p, nsfd, ifindex, kind, mac, w->rx_v3, err, errlen) < 0 ||
	    port_setup_tx(p, nsfd, ifindex, w->use_mmsg, err, errlen) < 0) {
		wport_free(p);
		return -1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u32 = idx;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, p->fd, &ev) < 0) {
		snprintf(err, errlen, "epoll_ctl: %s", strerror(errno));
		wport_free(p);
		return -1;
	}
	w->ctl_port[idx] = p;
	cmd_run(w, CMD_OPEN, idx, p);
	return 0;
}

void fwd_worker_port_close(struct fwd_worker *w, uint16_t idx)
{
	struct wport *p;

	if (idx >= FWD_MAX_PORTS || (p = w->ctl_port[idx]) == NULL)
		return;
	epoll_ctl(w->epfd, EPOLL_CTL_DEL, p->fd, NULL);
	cmd_run(w, CMD_CLOSE, idx, NULL);
	ring_drops_collect(w, p);
	w->ctl_port[idx] = NULL;
	wport_free(p);
}

bool fwd_worker_port_is_open(const struct fwd_worker *w, uint16_t idx)
{
	return idx < FWD_MAX_PORTS && w->ctl_port[idx] != NULL;
}

uint64_t fwd_worker_ring_drops(struct fwd_worker *w, uint16_t idx)
{
	if (idx >= FWD_MAX_PORTS)
		return 0;
	if (w->ctl_port[idx] != NULL)
		ring_drops_collect(w, w->ctl_port[idx]);
	return w->ring_drops[idx];
}

/* ------------------------------------------------------------ worker */

struct fwd_worker *fwd_worker_new(struct fwd_tables *t)
{
	struct fwd_worker *w = xcalloc(1, sizeof(*w));
	struct epoll_event ev;
	const char *tx = getenv("PE_FWD_TX");
	const char *rx = getenv("PE_FWD_RX");
	unsigned i;

	w->t = t;
	w->use_mmsg = tx == NULL || strcmp(tx, "ring") != 0;
	w->rx_v3 = rx != NULL && strcmp(rx, "v3") == 0;
	atomic_init(&w->stop, false);
	atomic_init(&w->cmd_pending, false);
	atomic_init(&w->epoch, 1);
	atomic_init(&w->seen, EPOCH_OFFLINE);
	atomic_init(&w->rq_head, 0);
	atomic_init(&w->rq_tail, 0);
	pthread_mutex_init(&w->mtx, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->bufs = xmalloc((size_t)FWD_BURST * FWD_BUF_SIZE);
	for (i = 0; i < FWD_BURST; i++) {
		w->pkts[i].buf = w->bufs + (size_t)i * FWD_BUF_SIZE;
		w->pkts[i].data = w->pkts[i].buf + FWD_HEADROOM;
	}
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	w->ctlfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	w->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->epfd < 0 || w->ctlfd < 0 || w->evfd < 0)
		fatal("worker: epoll/eventfd");
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u32 = EV_CTL;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->ctlfd, &ev) < 0)
		fatal("worker: epoll_ctl");
	return w;
}

void fwd_worker_set_null(struct fwd_worker *w, uint16_t a, uint16_t b)
{
	w->null_mode = true;
	w->null_a = a;
	w->null_b = b;
}

int fwd_worker_start(struct fwd_worker *w, int cpu)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int r;

	if (w->running)
		return 0;
	atomic_store(&w->stop, false);
	pthread_attr_init(&attr);
	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	}
	r = pthread_create(&w->thread, &attr, worker_main, w);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		errno = r;
		return -1;
	}
	w->running = true;
	return 0;
}

void fwd_worker_stop(struct fwd_worker *w)
{
	uint64_t one = 1;

	if (!w->running)
		return;
	atomic_store(&w->stop, true);
	if (write(w->ctlfd, &one, sizeof(one)) < 0)
		fatal("worker control eventfd");
	pthread_join(w->thread, NULL);
	w->running = false;
	atomic_store(&w->seen, EPOCH_OFFLINE);
	/* a command may have been left unread: drain the eventfd */
	if (read(w->ctlfd, &one, sizeof(one)) < 0) {
		/* EAGAIN */
	}
	/* not running: everything deferred may go */
	fwd_reclaim(w);
}

void fwd_worker_free(struct fwd_worker *w)
{
	unsigned i;

	if (w == NULL)
		return;
	fwd_worker_stop(w);
	for (i = 0; i < FWD_MAX_PORTS; i++)
		fwd_worker_port_close(w, (uint16_t)i);
	fwd_reclaim(w);
	free(w->dfr);
	close(w->epfd);
	close(w->ctlfd);
	close(w->evfd);
	pthread_mutex_destroy(&w->mtx);
	pthread_cond_destroy(&w->cond);
	free(w->bufs);
	free(w);
}
