/* The forwarding worker (worker.h): the thread that moves frames between
 * ports through fwd_process(), its control channel and its neighbor
 * resolution requests. Port I/O is afpacket.c, reclamation epoch.c.
 *
 * Loop: each turn the thread passes a quiescent state (no table pointer is
 * held between turns), applies a pending control command, then reads up to
 * RX_BURSTS_PER_TURN bursts from each receiving port (fairness between
 * ports) and up to SLOW_BURSTS_PER_TURN from the slow-path source, if one is
 * set; every burst goes through fwd_process() (or null mode) and out
 * through afp_tx_burst(), and its FWD_DROP_NO_NEIGH verdicts become
 * resolution requests. The thread never busy-polls: when no port had a
 * frame and the slow-path source did not fill its bursts, it goes offline
 * (epochs) and blocks in epoll_wait() on the receive sockets, the
 * slow-path fd and a control eventfd.
 *
 * Slow-path source (the XDP fast path's hand-over): a poll function that
 * copies frames into the worker's burst buffers, laid out as received
 * frames are; it runs on the worker thread, online, and may call
 * fwd_worker_resolve(). What it fills is checked like a received frame
 * (port index, length within the buffer) and then treated as one.
 *
 * Control: port open/close go through a one-slot command (mutex + condvar,
 * an eventfd to wake the worker, an atomic flag it checks between bursts so
 * a worker that never blocks still sees it); the control thread waits for
 * the acknowledgement, so a closed port's socket is unused when it is
 * closed. When the thread does not run, the control thread applies commands
 * itself.
 *
 * Neighbor resolution requests (ARP and ND alike): a single-producer
 * single-consumer ring of RESOLVE_RING entries and an eventfd written when
 * the consumer may have found it empty; a small direct-mapped cache
 * suppresses repeats within RESOLVE_HOLD_NS.
 *
 * Per packet: no allocation, no lock, no logging. */
#include "config.h"

#include <errno.h>
#include <net/ethernet.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "pe/fwd/afpacket.h"
#include "pe/fwd/epoch.h"
#include "pe/fwd/fwd.h"
#include "pe/fwd/worker.h"

#define RX_BURSTS_PER_TURN 8    /* fairness between ports */
#define SLOW_BURSTS_PER_TURN 8  /* and for the slow-path source */

#define RESOLVE_RING 256u       /* power of two */
#define RESOLVE_CACHE 64u       /* power of two */
#define RESOLVE_HOLD_NS 1000000000ull

#define EV_CTL UINT32_MAX       /* epoll data of the control eventfd */
#define EV_SLOW (UINT32_MAX - 1) /* epoll data of the slow-path fd */

enum { CMD_NONE, CMD_OPEN, CMD_CLOSE };

struct resolve_req {
	uint16_t port;
	struct ipaddr ip;
};

struct resolve_seen {
	struct ipaddr ip;
	uint16_t port;
	uint64_t when;
};

struct fwd_worker {
	struct fwd_tables *t;
	struct afp *io;
	pthread_t thread;
	bool running;           /* control thread's view */
	_Atomic bool stop;
	int epfd;
	int ctlfd;              /* eventfd: commands for the worker */
	int evfd;               /* eventfd: resolve requests for the control thread */

	/* control thread's view of the ports */
	struct afp_port *ctl_port[FWD_MAX_PORTS];
	uint64_t ring_drops[FWD_MAX_PORTS];

	/* one pending command */
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	_Atomic bool cmd_pending;
	int cmd_op;
	struct afp_port *cmd_port;
	uint16_t cmd_idx;
	bool cmd_done;

	struct fwd_epoch ep;

	/* resolve requests: worker produces, control thread consumes */
	struct resolve_req rq[RESOLVE_RING];
	_Alignas(64) _Atomic uint32_t rq_head;
	_Alignas(64) _Atomic uint32_t rq_tail;
	struct resolve_seen rq_seen[RESOLVE_CACHE];

	/* slow-path source, set while the thread does not run */
	int slow_fd;
	unsigned (*slow_poll)(void *arg, struct fwd_pkt *pkts, unsigned max);
	void *slow_arg;

	/* worker's own state */
	struct afp_port *port[FWD_MAX_PORTS]; /* open ports, for transmit */
	struct afp_port *act[FWD_MAX_PORTS];  /* those that receive */
	unsigned nact;
	bool null_mode;
	uint16_t null_a, null_b;
	struct fwd_pkt pkts[FWD_BURST];
	uint8_t *bufs;          /* FWD_BURST * FWD_BUF_SIZE */
};

/* ------------------------------------------------------------- epochs */

void fwd_defer_free(struct fwd_worker *w, void *ptr)
{
	fwd_epoch_defer(&w->ep, ptr);
}

size_t fwd_reclaim(struct fwd_worker *w)
{
	return fwd_epoch_reclaim(&w->ep);
}

void fwd_synchronize(struct fwd_worker *w)
{
	fwd_epoch_synchronize(&w->ep);
}

/* ------------------------------------------------------- resolve queue */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Worker side. ip: an IPv4 or IPv6 address. */
static void resolve_push(struct fwd_worker *w, uint16_t port, const struct ipaddr *ip,
			 uint64_t *now)
{
	uint32_t h = ip->af == AF_INET6 ? fwd_neigh6_hash(ip->v6) ^ port
					 : fwd_neigh_hash(ip->v4 ^ port);
	struct resolve_seen *c = &w->rq_seen[h & (RESOLVE_CACHE - 1)];
	uint32_t head, tail;
	uint64_t one = 1;

	if (*now == 0)
		*now = now_ns();
	if (c->port == port && ipaddr_equal(&c->ip, ip) && *now - c->when < RESOLVE_HOLD_NS)
		return;
	head = atomic_load_explicit(&w->rq_head, memory_order_relaxed);
	tail = atomic_load_explicit(&w->rq_tail, memory_order_acquire);
	if (head - tail >= RESOLVE_RING)
		return; /* full: dropped, asked again after the hold time */
	c->ip = *ip;
	c->port = port;
	c->when = *now;
	w->rq[head & (RESOLVE_RING - 1)].port = port;
	w->rq[head & (RESOLVE_RING - 1)].ip = *ip;
	/* seq_cst store then load, against the consumer's tail store then head
	 * load: either the consumer sees this entry or we see it drained. */
	atomic_store(&w->rq_head, head + 1);
	tail = atomic_load(&w->rq_tail);
	if (tail == head && write(w->evfd, &one, sizeof(one)) < 0) {
		/* eventfd counter cannot overflow here; nothing to do */
	}
}

void fwd_worker_resolve(struct fwd_worker *w, uint16_t port, const struct ipaddr *ip)
{
	uint64_t now = 0;

	resolve_push(w, port, ip, &now);
}

int fwd_worker_event_fd(const struct fwd_worker *w)
{
	return w->evfd;
}

int fwd_worker_pop_resolve(struct fwd_worker *w, uint16_t *port, struct ipaddr *ip)
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

/* ------------------------------------------------------------- bursts */

/* Null mode: in_port null_a goes out null_b untouched, the rest is punted. */
static void null_burst(struct fwd_worker *w, unsigned n)
{
	unsigned i;

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
}

/* Runs pkts[0..n), whose data, len and in_port a source has set, through
 * fwd_process() and transmits them. */
static void run_burst(struct fwd_worker *w, unsigned n)
{
	uint64_t now = 0;
	unsigned i;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		w->pkts[i].out_port = 0;
		w->pkts[i].verdict = FWD_OK;
		w->pkts[i].icmp = 0;
		w->pkts[i].resolve_ip = 0;
		w->pkts[i].resolve_af = 0;
	}
	if (w->null_mode)
		null_burst(w, n);
	else
		fwd_process(w->t, w->pkts, n);
	afp_tx_burst(w->io, w->port, w->pkts, n, w->t->port_cnt);
	for (i = 0; i < n; i++) {
		const struct fwd_pkt *p = &w->pkts[i];
		struct ipaddr ip;

		if (p->verdict != FWD_DROP_NO_NEIGH)
			continue;
		ip = p->resolve_af == AF_INET6 ? ipaddr_v6(p->resolve_ip6)
					       : ipaddr_v4(p->resolve_ip);
		resolve_push(w, p->out_port, &ip, &now);
	}
}

/* Up to RX_BURSTS_PER_TURN bursts from p; true if it found anything (there
 * may be more). */
static bool port_rx(struct fwd_worker *w, struct afp_port *p)
{
	unsigned b, n;
	bool any = false;

	for (b = 0; b < RX_BURSTS_PER_TURN; b++) {
		n = afp_rx_burst(p, w->pkts, FWD_BURST, w->t->port_cnt, &any);
		run_burst(w, n);
		if (n < FWD_BURST)
			break;
	}
	return any;
}

/* Keeps the first k packets a slow-path poll filled if they are laid out as
 * a received frame may be (a known port, the frame within the buffer, an
 * Ethernet header at least); the others are counted malformed on their
 * port (or, without a port, not at all) and moved past the end. */
static unsigned slow_check(struct fwd_worker *w, unsigned k)
{
	unsigned i = 0;

	while (i < k) {
		struct fwd_pkt *p = &w->pkts[i], tmp;
		size_t off = (size_t)((uintptr_t)p->data - (uintptr_t)p->buf);

		if (p->in_port < FWD_MAX_PORTS && p->len >= ETH_HLEN && p->len <= FWD_BUF_SIZE &&
		    off <= (size_t)FWD_BUF_SIZE - p->len) {
			i++;
			continue;
		}
		if (p->in_port < FWD_MAX_PORTS) {
			w->t->port_cnt[p->in_port].rx_pkts++;
			w->t->port_cnt[p->in_port].rx_bytes += p->len;
			w->t->port_cnt[p->in_port].drop[FWD_DROP_MALFORMED]++;
		}
		tmp = *p;
		*p = w->pkts[--k];
		w->pkts[k] = tmp;
	}
	return k;
}

/* Up to SLOW_BURSTS_PER_TURN bursts from the slow-path source, while it
 * fills them; true if the last one was full (there may be more). */
static bool slow_rx(struct fwd_worker *w)
{
	unsigned b, i, k;

	if (w->slow_poll == NULL)
		return false;
	for (b = 0; b < SLOW_BURSTS_PER_TURN; b++) {
		for (i = 0; i < FWD_BURST; i++)
			w->pkts[i].data = w->pkts[i].buf + FWD_HEADROOM;
		k = w->slow_poll(w->slow_arg, w->pkts, FWD_BURST);
		if (k > FWD_BURST)
			k = FWD_BURST;
		run_burst(w, slow_check(w, k));
		if (k < FWD_BURST)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ control */

static void act_add(struct fwd_worker *w, struct afp_port *p)
{
	w->port[afp_port_idx(p)] = p;
	if (afp_port_fd(p) >= 0)
		w->act[w->nact++] = p;
}

static void act_del(struct fwd_worker *w, uint16_t idx)
{
	unsigned i;

	w->port[idx] = NULL;
	for (i = 0; i < w->nact; i++)
		if (afp_port_idx(w->act[i]) == idx) {
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
static void cmd_run(struct fwd_worker *w, int op, uint16_t idx, struct afp_port *p)
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

	fwd_epoch_online(&w->ep);
	for (;;) {
		bool busy = false;

		/* quiescent point: no table pointer is held here */
		fwd_epoch_quiescent(&w->ep);
		if (atomic_load_explicit(&w->stop, memory_order_relaxed))
			break;
		cmd_poll(w);
		for (i = 0; i < (int)w->nact; i++)
			busy |= port_rx(w, w->act[i]);
		busy |= slow_rx(w);
		if (busy)
			continue;
		fwd_epoch_offline(&w->ep);
		nev = epoll_wait(w->epfd, ev, 16, -1);
		fwd_epoch_online(&w->ep);
		if (nev < 0 && errno != EINTR)
			fatal("epoll_wait");
		/* the eventfd is read here, not in cmd_poll(): a command
		 * seen early must not leave it readable (a spinning wait).
		 * A readable slow-path fd needs nothing: the next turn polls. */
		for (i = 0; i < nev; i++)
			if (ev[i].data.u32 == EV_CTL && read(w->ctlfd, &v, sizeof(v)) < 0) {
				/* EAGAIN: nothing */
			}
	}
	fwd_epoch_offline(&w->ep);
	return NULL;
}

/* ------------------------------------------------------------ ports */

static void ring_drops_collect(struct fwd_worker *w, struct afp_port *p)
{
	w->ring_drops[afp_port_idx(p)] += afp_port_ring_drops(p);
}

int fwd_worker_port_open(struct fwd_worker *w, uint16_t idx, int nsfd, int ifindex,
			 enum fwd_port_kind kind, const uint8_t mac[6], char *err, size_t errlen)
{
	struct epoll_event ev;
	struct afp_port *p;
	int fd;

	if (idx >= FWD_MAX_PORTS) {
		snprintf(err, errlen, "port index %u out of range", idx);
		return -1;
	}
	if (w->ctl_port[idx] != NULL)
		fwd_worker_port_close(w, idx);
	p = afp_port_open(w->io, idx, nsfd, ifindex, kind, mac, err, errlen);
	if (p == NULL)
		return -1;
	if ((fd = afp_port_fd(p)) >= 0) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.u32 = idx;
		if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			snprintf(err, errlen, "epoll_ctl: %s", strerror(errno));
			afp_port_close(p);
			return -1;
		}
	}
	w->ctl_port[idx] = p;
	cmd_run(w, CMD_OPEN, idx, p);
	return 0;
}

void fwd_worker_port_close(struct fwd_worker *w, uint16_t idx)
{
	struct afp_port *p;

	if (idx >= FWD_MAX_PORTS || (p = w->ctl_port[idx]) == NULL)
		return;
	if (afp_port_fd(p) >= 0)
		epoll_ctl(w->epfd, EPOLL_CTL_DEL, afp_port_fd(p), NULL);
	cmd_run(w, CMD_CLOSE, idx, NULL);
	ring_drops_collect(w, p);
	w->ctl_port[idx] = NULL;
	afp_port_close(p);
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
	unsigned i;

	w->t = t;
	w->io = afp_new();
	atomic_init(&w->stop, false);
	atomic_init(&w->cmd_pending, false);
	fwd_epoch_init(&w->ep);
	atomic_init(&w->rq_head, 0);
	atomic_init(&w->rq_tail, 0);
	pthread_mutex_init(&w->mtx, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->slow_fd = -1;
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

void fwd_worker_set_slow(struct fwd_worker *w, int fd,
			 unsigned (*poll_fn)(void *arg, struct fwd_pkt *pkts, unsigned max),
			 void *arg)
{
	struct epoll_event ev;

	if (w->running)
		fatalx("%s: the worker runs", __func__);
	if (w->slow_fd >= 0)
		epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->slow_fd, NULL);
	w->slow_fd = -1;
	w->slow_poll = NULL;
	w->slow_arg = NULL;
	if (fd < 0 || poll_fn == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u32 = EV_SLOW;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		fatal("worker: epoll_ctl slow-path fd %d", fd);
	w->slow_fd = fd;
	w->slow_poll = poll_fn;
	w->slow_arg = arg;
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
	fwd_epoch_reader_start(&w->ep);
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
	/* not running: everything deferred may go */
	fwd_epoch_reader_stop(&w->ep);
	/* a command may have been left unread: drain the eventfd */
	if (read(w->ctlfd, &one, sizeof(one)) < 0) {
		/* EAGAIN */
	}
}

void fwd_worker_free(struct fwd_worker *w)
{
	unsigned i;

	if (w == NULL)
		return;
	fwd_worker_stop(w);
	for (i = 0; i < FWD_MAX_PORTS; i++)
		fwd_worker_port_close(w, (uint16_t)i);
	fwd_epoch_fini(&w->ep);
	close(w->epfd);
	close(w->ctlfd);
	close(w->evfd);
	pthread_mutex_destroy(&w->mtx);
	pthread_cond_destroy(&w->cond);
	free(w->bufs);
	afp_free(w->io);
	free(w);
}
