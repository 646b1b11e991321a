/* AF_PACKET port I/O (afpacket.h) for the forwarding worker.
 *
 * Receive: one AF_PACKET SOCK_RAW socket per port with a TPACKET_V2 ring
 * (RX_FRAMES slots of RX_FRAME bytes, 4 MiB; frames up to 1982 bytes, longer
 * ones arrive truncated and count as malformed), PACKET_IGNORE_OUTGOING
 * (our own and the kernel's transmissions are not seen again) and a classic
 * BPF filter per port kind (core: ethertype 0x8847; VRF: IPv4 or IPv6 to the
 * port's MAC, so not ND's multicast; both refuse frames whose VLAN tag the
 * kernel stripped). The socket is
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
 * timeout) is kept, selected by the environment variable PE_FWD_RX=v3
 * (benchmarks); a block goes back to the kernel once every frame in it is
 * copied (a burst may end inside a block: the next one continues there).
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
 * Transmit-only ports (FWD_PORT_TXONLY, whose receive side an XDP program
 * owns): only the transmit socket is opened, with a filter that accepts
 * nothing on top of its protocol 0; no receive socket, no receive ring.
 *
 * Per packet: no allocation, no lock, no logging. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/netns.h"
#include "pe/fwd/afpacket.h"

#define RX_BLOCK (1u << 17)     /* 128 KiB: ~900 small frames (V3), 64 of 2 KiB (V2) */
#define RX_BLOCKS 32u           /* 4 MiB per port */
#define RX_FRAME 2048u          /* V2 slot (V3 frames are variable; nominal) */
#define RX_FRAMES (RX_BLOCK / RX_FRAME * RX_BLOCKS) /* V2: 2048 slots */
#define RX_TOV_MS 1u            /* V3: retire a partly filled block after 1 ms */

#define TX_FRAME 2112u          /* 32 bytes of tpacket2_hdr + FWD_BUF_SIZE + spare */
#define TX_BLOCK (1u << 16)
#define TX_BLOCKS 16u           /* 31 frames per block: 496 slots, 1 MiB */
#define TX_DATA_OFF (TPACKET2_HDRLEN - sizeof(struct sockaddr_ll))

struct afp {
	bool rx_v3;             /* PE_FWD_RX=v3 */
	bool use_mmsg;          /* not PE_FWD_TX=ring */
	/* transmit scratch (the worker's) */
	struct mmsghdr msgs[FWD_BURST];
	struct iovec iov[FWD_BURST];
};

struct afp_port {
	uint16_t idx;
	int fd;                 /* receive socket (V2 or V3 ring); -1: transmit only */
	bool rx_v3;
	uint8_t *rx_ring;
	size_t rx_len;
	uint32_t rx_cur;        /* next frame (V2) or block (V3) we expect */
	struct tpacket3_hdr *v3_next; /* V3: next frame of the open block, or NULL */
	uint32_t v3_left;       /* V3: frames left in the open block */
	int txfd;               /* transmit socket */
	uint8_t *tx_ring;       /* PE_FWD_TX=ring only */
	size_t tx_len;
	uint32_t tx_nframes;
	uint32_t tx_cur;
	bool tx_pending;        /* tx ring slots filled since the last send() */
};

struct afp *afp_new(void)
{
	struct afp *a = xcalloc(1, sizeof(*a));
	const char *tx = getenv("PE_FWD_TX");
	const char *rx = getenv("PE_FWD_RX");

	a->use_mmsg = tx == NULL || strcmp(tx, "ring") != 0;
	a->rx_v3 = rx != NULL && strcmp(rx, "v3") == 0;
	return a;
}

void afp_free(struct afp *a)
{
	free(a);
}

/* ----------------------------------------------------------- transmit */

static void tx_fail(struct fwd_counters *cnt, struct fwd_pkt *p, enum fwd_drop why)
{
	struct fwd_counters *c = &cnt[p->out_port];

	p->verdict = why;
	c->tx_pkts--;
	c->tx_bytes -= p->len;
	c->drop[why]++;
}

static void tx_ring_flush(struct afp_port *p)
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
static bool tx_ring_put(struct afp_port *p, const uint8_t *data, uint16_t len)
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

/* sendmmsg() of the FWD_OK packets of pkts[0..n) going out port out (op). */
static void tx_mmsg(struct afp *a, struct afp_port *op, uint16_t out, struct fwd_pkt *pkts,
		    unsigned n, struct fwd_counters *cnt)
{
	struct fwd_pkt *sel[FWD_BURST];
	unsigned m = 0, sent = 0, i;
	int r;

	for (i = 0; i < n; i++) {
		if (pkts[i].verdict != FWD_OK || pkts[i].out_port != out)
			continue;
		sel[m] = &pkts[i];
		a->iov[m].iov_base = pkts[i].data;
		a->iov[m].iov_len = pkts[i].len;
		a->msgs[m].msg_hdr.msg_iov = &a->iov[m];
		a->msgs[m].msg_hdr.msg_iovlen = 1;
		m++;
	}
	/* sendmmsg stops at the first failure (-1 if it is the first
	 * message): what did not go is counted as a tx drop */
	while (sent < m) {
		r = sendmmsg(op->txfd, a->msgs + sent, m - sent, MSG_DONTWAIT);
		if (r <= 0)
			break;
		sent += (unsigned)r;
	}
	for (; sent < m; sent++)
		tx_fail(cnt, sel[sent], FWD_DROP_TX);
}

void afp_tx_burst(struct afp *a, struct afp_port *const *port, struct fwd_pkt *pkts, unsigned n,
		  struct fwd_counters *cnt)
{
	uint16_t ports[FWD_BURST];
	unsigned nports = 0, i, j;

	for (i = 0; i < n; i++) {
		struct fwd_pkt *p = &pkts[i];
		struct afp_port *op;

		if (p->verdict != FWD_OK)
			continue;
		op = p->out_port < FWD_MAX_PORTS ? port[p->out_port] : NULL;
		if (op == NULL) {
			tx_fail(cnt, p, FWD_DROP_PORT_DOWN);
			continue;
		}
		if (!a->use_mmsg && !tx_ring_put(op, p->data, p->len)) {
			tx_fail(cnt, p, FWD_DROP_TX);
			continue;
		}
		for (j = 0; j < nports && ports[j] != p->out_port; j++)
			;
		if (j == nports)
			ports[nports++] = p->out_port;
	}
	for (j = 0; j < nports; j++) {
		if (a->use_mmsg)
			tx_mmsg(a, port[ports[j]], ports[j], pkts, n, cnt);
		else
			tx_ring_flush(port[ports[j]]);
	}
}

/* ------------------------------------------------------------ receive */

/* Copies one received frame into pk (true), or counts it dropped. */
static inline bool rx_frame(struct afp_port *p, struct fwd_pkt *pk, struct fwd_counters *c,
			    const uint8_t *frame, uint32_t snaplen, uint32_t len, uint32_t status)
{
	if (status & TP_STATUS_VLAN_VALID) {
		/* tag stripped by the kernel (FWD_PORT_ALL only: the filters
		 * refuse these): not ours */
		c->rx_pkts++;
		c->rx_bytes += len;
		c->punt++;
		return false;
	}
	if (snaplen != len || len > FWD_BUF_SIZE - FWD_HEADROOM || len < ETH_HLEN) {
		c->rx_pkts++;
		c->rx_bytes += len;
		c->drop[FWD_DROP_MALFORMED]++;
		return false;
	}
	pk->data = pk->buf + FWD_HEADROOM;
	memcpy(pk->data, frame, len);
	pk->len = (uint16_t)len;
	pk->in_port = p->idx;
	return true;
}

/* V2: frame by frame. */
static unsigned rx_v2(struct afp_port *p, struct fwd_pkt *pkts, unsigned max,
		      struct fwd_counters *c, bool *busy)
{
	unsigned n = 0;

	while (n < max) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)(void *)(p->rx_ring +
								(size_t)p->rx_cur * RX_FRAME);
		uint32_t st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);

		if (!(st & TP_STATUS_USER))
			break;
		*busy = true;
		if (rx_frame(p, &pkts[n], c, (const uint8_t *)h + h->tp_mac, h->tp_snaplen,
			     h->tp_len, st))
			n++;
		/* copied out: the slot goes back to the kernel */
		__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		if (++p->rx_cur == RX_FRAMES)
			p->rx_cur = 0;
	}
	return n;
}

static inline struct tpacket_block_desc *rx_block(struct afp_port *p, uint32_t b)
{
	return (struct tpacket_block_desc *)(void *)(p->rx_ring + (size_t)b * RX_BLOCK);
}

/* V3: block by block; a block stays open (v3_next) until all its frames
 * are copied. */
static unsigned rx_v3(struct afp_port *p, struct fwd_pkt *pkts, unsigned max,
		      struct fwd_counters *c, bool *busy)
{
	unsigned n = 0;

	while (n < max) {
		struct tpacket_block_desc *bd = rx_block(p, p->rx_cur);

		if (p->v3_next == NULL) {
			uint32_t st = __atomic_load_n(&bd->hdr.bh1.block_status,
						      __ATOMIC_ACQUIRE);

			if (!(st & TP_STATUS_USER))
				break;
			p->v3_left = bd->hdr.bh1.num_pkts;
			p->v3_next = (struct tpacket3_hdr *)(void *)((uint8_t *)bd +
						bd->hdr.bh1.offset_to_first_pkt);
		}
		*busy = true;
		for (; p->v3_left > 0 && n < max; p->v3_left--) {
			struct tpacket3_hdr *h = p->v3_next;

			if (rx_frame(p, &pkts[n], c, (const uint8_t *)h + h->tp_mac, h->tp_snaplen,
				     h->tp_len, h->tp_status))
				n++;
			p->v3_next = (struct tpacket3_hdr *)(void *)((uint8_t *)h +
								     h->tp_next_offset);
		}
		if (p->v3_left > 0)
			break;
		/* everything copied out: the block goes back to the kernel */
		p->v3_next = NULL;
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		if (++p->rx_cur == RX_BLOCKS)
			p->rx_cur = 0;
	}
	return n;
}

unsigned afp_rx_burst(struct afp_port *p, struct fwd_pkt *pkts, unsigned max,
		      struct fwd_counters *cnt, bool *busy)
{
	if (p->rx_ring == NULL)
		return 0;
	if (p->rx_v3)
		return rx_v3(p, pkts, max, &cnt[p->idx], busy);
	return rx_v2(p, pkts, max, &cnt[p->idx], busy);
}

/* ------------------------------------------------------------ ports */

void afp_port_close(struct afp_port *p)
{
	if (p == NULL)
		return;
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
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 8),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3),  /* MAC bytes 0-3 */
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),  /* MAC bytes 4-5 */
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter none[] = {
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog;

	switch (kind) {
	case FWD_PORT_CORE:
		prog.filter = core;
		prog.len = sizeof(core) / sizeof(core[0]);
		break;
	case FWD_PORT_VRF:
		vrf[6].k = (uint32_t)mac[0] << 24 | (uint32_t)mac[1] << 16 |
			   (uint32_t)mac[2] << 8 | mac[3];
		vrf[8].k = (uint32_t)mac[4] << 8 | mac[5];
		prog.filter = vrf;
		prog.len = sizeof(vrf) / sizeof(vrf[0]);
		break;
	case FWD_PORT_TXONLY:
		prog.filter = none;
		prog.len = sizeof(none) / sizeof(none[0]);
		break;
	default:
		return 0;
	}
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static int port_setup_rx(struct afp_port *p, int nsfd, int ifindex, enum fwd_port_kind kind,
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

static int tx_ring_setup(struct afp_port *p, char *err, size_t errlen)
{
	struct tpacket_req req;
	int v;

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
	p->tx_ring = mmap(NULL, p->tx_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			  p->txfd, 0);
	if (p->tx_ring == MAP_FAILED) {
		p->tx_ring = NULL;
		snprintf(err, errlen, "mmap tx ring: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int port_setup_tx(struct afp_port *p, int nsfd, int ifindex, enum fwd_port_kind kind,
			 bool mmsg, char *err, size_t errlen)
{
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
	if (kind == FWD_PORT_TXONLY && set_filter(p->txfd, kind, NULL) < 0) {
		snprintf(err, errlen, "SO_ATTACH_FILTER: %s", strerror(errno));
		return -1;
	}
	if (!mmsg && tx_ring_setup(p, err, errlen) < 0)
		return -1;
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

struct afp_port *afp_port_open(const struct afp *a, uint16_t idx, int nsfd, int ifindex,
			       enum fwd_port_kind kind, const uint8_t mac[6], char *err,
			       size_t errlen)
{
	struct afp_port *p = xcalloc(1, sizeof(*p));

	p->idx = idx;
	p->fd = p->txfd = -1;
	if ((kind != FWD_PORT_TXONLY &&
	     port_setup_rx(p, nsfd, ifindex, kind, mac, a->rx_v3, err, errlen) < 0) ||
	    port_setup_tx(p, nsfd, ifindex, kind, a->use_mmsg, err, errlen) < 0) {
		afp_port_close(p);
		return NULL;
	}
	return p;
}

uint16_t afp_port_idx(const struct afp_port *p)
{
	return p->idx;
}

int afp_port_fd(const struct afp_port *p)
{
	return p->fd;
}

uint64_t afp_port_ring_drops(struct afp_port *p)
{
	union {
		struct tpacket_stats v2;
		struct tpacket_stats_v3 v3;
	} st;
	socklen_t sl = p->rx_v3 ? sizeof(st.v3) : sizeof(st.v2);

	if (p->fd < 0)
		return 0;
	/* reading the statistics resets them in the kernel */
	if (getsockopt(p->fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) < 0)
		return 0;
	return p->rx_v3 ? st.v3.tp_drops : st.v2.tp_drops;
}
