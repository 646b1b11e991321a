/* pktgen: an AF_PACKET frame blaster for the forwarding benchmark (method C of
 * BENCHMARK-METHODS.md, see bench/README.md and bench/fwd/run.sh).
 *
 *   pktgen --dev IF --dst-mac MAC [--src-mac MAC] --type ipv4|mpls1|mpls2
 *          [--labels L1[,L2]] [--label-spread 16] [--dsts FILE | --dst-count N]
 *          [--pool N] [--size 64] [--rate PPS] [--duration S] [--count N]
 *          [--burst 64] [--src-ip A.B.C.D] [--seed N] [--tx-ring]
 *
 * Frames: Ethernet II, then (mpls1/mpls2) one or two MPLS label stack entries
 * (TTL 64, the last with S=1), then IPv4 (20 bytes, TTL 64, valid header
 * checksum, protocol UDP) and UDP (checksum 0, ports varying per frame), padded
 * with zeros. --size counts the 4-byte FCS the wire would carry, as the usual
 * "64-byte frame" does: --size 64 sends 60 bytes from the first byte of the
 * Ethernet header (the kernel adds no FCS on a veth).
 *
 * Destinations: --dsts FILE (one prefix a line, "a.b.c.d/len"; CR, blank and
 * IPv6 lines are skipped; FILE ending in .gz is read through gzip -dc): every
 * frame of the pool gets an address drawn inside a prefix picked uniformly at
 * random (random host bits), so a FIB lookup sees real keys. Without --dsts,
 * destinations are 198.18.0.0 + i (i < --dst-count). --pool frames (default
 * 16384, or the --dst-count given) are built once and sent round-robin.
 * Labels: frame i carries L1 + (i mod spread) on top, L2 below it (mpls2).
 *
 * Sending: sendmmsg() bursts on a socket bound to the interface with protocol 0
 * (it receives nothing) and PACKET_QDISC_BYPASS; --tx-ring uses a
 * PACKET_TX_RING (TPACKET_V2) with send() per burst instead. --rate PPS (0 =
 * as fast as possible) paces bursts with a token bucket on
 * clock_gettime(CLOCK_MONOTONIC), busy-waiting. Stops after --duration
 * seconds, --count frames or SIGINT/SIGTERM, then prints one JSON line:
 * {"sent":N,"attempted":N,"errors":N,"seconds":S,"pps":P}
 * attempted = frames handed to the kernel or refused by it (ENOBUFS: the
 * receiving side's backlog was full); sent = accepted. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench/fwd/gen.h"
#include "bench/table.h"
#include "lib/log.h"
#include "lib/prefix.h"

#define MAX_BURST 256
#define MAX_FRAME 1514

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void die(const char *msg)
{
	fprintf(stderr, "pktgen: %s\n", msg);
	exit(1);
}

static void die_errno(const char *what)
{
	fprintf(stderr, "pktgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Reads the IPv4 prefixes of path (bench/table.c: plain or .gz). */
static struct prefix4 *load_prefixes(const char *path, size_t *n)
{
	struct bench_table t;
	struct prefix4 *v;
	size_t k;

	bench_table_load(path, &t);
	v = xcalloc(t.n, sizeof(*v));
	for (k = 0; k < t.n; k++) {
		v[k].addr = t.addr[k];
		v[k].len = t.len[k];
	}
	*n = t.n;
	bench_table_free(&t);
	return v;
}

enum ftype { T_IPV4, T_MPLS1, T_MPLS2 };

static void usage(void)
{
	fprintf(stderr,
		"usage: pktgen --dev IF --dst-mac MAC [--src-mac MAC] --type ipv4|mpls1|mpls2\n"
		"       [--labels L1[,L2]] [--label-spread 16] [--dsts FILE | --dst-count N]\n"
		"       [--pool N] [--size 64] [--rate PPS] [--duration S] [--count N]\n"
		"       [--burst 64] [--src-ip A.B.C.D] [--seed N] [--tx-ring]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dev", required_argument, NULL, 'i'},
		{"dst-mac", required_argument, NULL, 'd'},
		{"src-mac", required_argument, NULL, 's'},
		{"type", required_argument, NULL, 't'},
		{"labels", required_argument, NULL, 'l'},
		{"label-spread", required_argument, NULL, 'S'},
		{"dsts", required_argument, NULL, 'f'},
		{"dst-count", required_argument, NULL, 'n'},
		{"pool", required_argument, NULL, 'p'},
		{"size", required_argument, NULL, 'z'},
		{"rate", required_argument, NULL, 'r'},
		{"duration", required_argument, NULL, 'D'},
		{"count", required_argument, NULL, 'c'},
		{"burst", required_argument, NULL, 'b'},
		{"src-ip", required_argument, NULL, 'a'},
		{"seed", required_argument, NULL, 'e'},
		{"tx-ring", no_argument, NULL, 'R'},
		{NULL, 0, NULL, 0},
	};
	const char *dev = NULL, *dsts = NULL;
	uint8_t dmac[6], smac[6] = {0x02, 0, 0, 0, 0, 0x01};
	bool have_dmac = false, tx_ring = false;
	enum ftype type = T_IPV4;
	uint32_t l1 = 1000, l2 = 3000, spread = 16, src_ip = 0x0a630002; /* 10.99.0.2 */
	size_t dst_count = 0, pool = 0;
	unsigned size = 64, burst = 64;
	double rate = 0, duration = 0;
	uint64_t count = 0;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i': dev = optarg; break;
		case 'd':
			if (gen_parse_mac(optarg, dmac) < 0)
				die("bad --dst-mac");
			have_dmac = true;
			break;
		case 's':
			if (gen_parse_mac(optarg, smac) < 0)
				die("bad --src-mac");
			break;
		case 't':
			if (!strcmp(optarg, "ipv4"))
				type = T_IPV4;
			else if (!strcmp(optarg, "mpls1"))
				type = T_MPLS1;
			else if (!strcmp(optarg, "mpls2"))
				type = T_MPLS2;
			else
				die("bad --type");
			break;
		case 'l': {
			char *end;
			l1 = (uint32_t)strtoul(optarg, &end, 10);
			if (*end == ',')
				l2 = (uint32_t)strtoul(end + 1, &end, 10);
			if (*end || l1 > 0xfffff || l2 > 0xfffff)
				die("bad --labels");
			break;
		}
		case 'S': spread = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'f': dsts = optarg; break;
		case 'n': dst_count = strtoul(optarg, NULL, 10); break;
		case 'p': pool = strtoul(optarg, NULL, 10); break;
		case 'z': size = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 'D': duration = strtod(optarg, NULL); break;
		case 'c': count = strtoull(optarg, NULL, 10); break;
		case 'b': burst = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'a':
			if (addr4_parse(optarg, &src_ip) < 0)
				die("bad --src-ip");
			break;
		case 'e': gen_seed(strtoull(optarg, NULL, 10) * 0x9e3779b97f4a7c15ull + 1); break;
		case 'R': tx_ring = true; break;
		default: usage();
		}
	}
	if (!dev || !have_dmac || optind != argc)
		usage();
	if (spread == 0)
		spread = 1;
	if (burst == 0 || burst > MAX_BURST)
		die("--burst must be 1..256");
	if (!pool)
		pool = dst_count ? dst_count : 16384;

	unsigned nlab = type == T_IPV4 ? 0 : type == T_MPLS1 ? 1 : 2;
	unsigned hdr = 14 + 4 * nlab;
	unsigned flen = size >= 4 ? size - 4 : 0; /* without FCS */
	if (flen < hdr + 28)
		flen = hdr + 28;
	if (flen > MAX_FRAME)
		die("--size too large");

	struct prefix4 *pfx = NULL;
	size_t npfx = 0;
	if (dsts)
		pfx = load_prefixes(dsts, &npfx);

	/* frames at a 64-byte aligned stride */
	size_t stride = (flen + 63) & ~(size_t)63;
	uint8_t *frames = aligned_alloc(64, pool * stride);
	if (!frames)
		die("out of memory");
	memset(frames, 0, pool * stride);
	for (size_t i = 0; i < pool; i++) {
		uint8_t *f = frames + i * stride, *ip;
		uint32_t dst;
		if (pfx) {
			const struct prefix4 *p = &pfx[gen_rng() % npfx];
			uint32_t host = p->len == 32 ? 0 : (uint32_t)gen_rng() & ~prefix4_mask(p->len);
			dst = p->addr | host;
		} else {
			dst = 0xc6120000u + (uint32_t)(i % (dst_count ? dst_count : pool));
		}
		memcpy(f, dmac, 6);
		memcpy(f + 6, smac, 6);
		gen_put16(f + 12, nlab ? 0x8847 : 0x0800);
		if (nlab) {
			uint32_t top = l1 + (uint32_t)(i % spread);
			gen_put32(f + 14, top << 12 | (nlab == 1 ? 1u << 8 : 0) | 64);
			if (nlab == 2)
				gen_put32(f + 18, l2 << 12 | 1u << 8 | 64);
		}
		ip = f + hdr;
		uint16_t iplen = (uint16_t)(flen - hdr);
		ip[0] = 0x45;
		gen_put16(ip + 2, iplen);
		gen_put16(ip + 4, (uint16_t)i);
		ip[8] = 64;
		ip[9] = 17;
		gen_put32(ip + 12, src_ip);
		gen_put32(ip + 16, dst);
		gen_put16(ip + 10, gen_ip_csum(ip, 20));
		gen_put16(ip + 20, (uint16_t)(1024 + i % 60000));
		gen_put16(ip + 22, 9);
		gen_put16(ip + 24, (uint16_t)(iplen - 20));
	}
	free(pfx);

	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die_errno("socket(AF_PACKET)");
	int one = 1, sndbuf = 4 << 20;
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0)
		die_errno("PACKET_QDISC_BYPASS");
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	struct sockaddr_ll sll;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = 0;
	sll.sll_ifindex = (int)if_nametoindex(dev);
	if (!sll.sll_ifindex)
		die_errno(dev);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die_errno("bind");

	/* TX ring (optional) */
	uint8_t *ring = NULL;
	unsigned ring_frames = 0, ring_fsize = 0, ring_pos = 0;
	if (tx_ring) {
		int ver = TPACKET_V2;
		struct tpacket_req req;
		if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof(ver)) < 0)
			die_errno("PACKET_VERSION");
		ring_fsize = 2048;
		req.tp_block_size = 1 << 16;
		req.tp_block_nr = 64;
		req.tp_frame_size = ring_fsize;
		req.tp_frame_nr = req.tp_block_size / ring_fsize * req.tp_block_nr;
		ring_frames = req.tp_frame_nr;
		if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0)
			die_errno("PACKET_TX_RING");
		ring = mmap(NULL, (size_t)req.tp_block_size * req.tp_block_nr,
			    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (ring == MAP_FAILED)
			die_errno("mmap");
	}

	struct mmsghdr msgs[MAX_BURST];
	struct iovec iov[MAX_BURST];
	memset(msgs, 0, sizeof(msgs));
	for (unsigned i = 0; i < MAX_BURST; i++) {
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		iov[i].iov_len = flen;
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	uint64_t sent = 0, attempted = 0, errors = 0;
	size_t next = 0;
	double t0 = gen_now(), t = t0, end = duration > 0 ? t0 + duration : 0;
	double tokens = burst, tlast = t0;
	unsigned iter = 0;

	while (!stop_flag) {
		unsigned n = burst;
		if (count && attempted + n > count)
			n = (unsigned)(count - attempted);
		if (n == 0)
			break;
		if (rate > 0) {
			/* token bucket, bucket depth one burst */
			for (;;) {
				t = gen_now();
				tokens += (t - tlast) * rate;
				tlast = t;
				if (tokens > burst)
					tokens = burst;
				if (tokens >= n || stop_flag)
					break;
			}
			tokens -= n;
			if (end && t >= end)
				break;
		} else if ((++iter & 15) == 0) {
			t = gen_now();
			if (end && t >= end)
				break;
		}
		if (!ring) {
			for (unsigned i = 0; i < n; i++) {
				iov[i].iov_base = frames + next * stride;
				if (++next == pool)
					next = 0;
			}
			unsigned done = 0;
			while (done < n) {
				int r = sendmmsg(fd, msgs + done, n - done, MSG_DONTWAIT);
				if (r < 0) {
					if (errno == EINTR && stop_flag)
						break;
					if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
						/* refused by the receiver's backlog: skip the frame */
						errors++;
						done++;
						continue;
					}
					die_errno("sendmmsg");
				}
				sent += (unsigned)r;
				done += (unsigned)r;
			}
			attempted += done;
		} else {
			unsigned queued = 0;
			for (unsigned i = 0; i < n; i++) {
				struct tpacket2_hdr *h = (struct tpacket2_hdr *)(void *)(ring + (size_t)ring_pos * ring_fsize);
				if (h->tp_status != TP_STATUS_AVAILABLE) {
					if (h->tp_status == TP_STATUS_WRONG_FORMAT)
						die("tx ring: wrong format");
					break; /* ring full: send what is queued */
				}
				uint8_t *data = (uint8_t *)h + TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
				memcpy(data, frames + next * stride, flen);
				if (++next == pool)
					next = 0;
				h->tp_len = flen;
				__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
				if (++ring_pos == ring_frames)
					ring_pos = 0;
				queued++;
			}
			if (send(fd, NULL, 0, 0) < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
				die_errno("send(tx ring)");
			attempted += queued;
		}
	}
	t = gen_now();
	if (ring) {
		/* flush what is queued; frames the kernel refused are not counted
		 * separately in ring mode (the sink's counter is what matters) */
		(void)send(fd, NULL, 0, 0);
		sent = attempted;
	}
	double secs = t - t0;
	printf("{\"sent\":%" PRIu64 ",\"attempted\":%" PRIu64 ",\"errors\":%" PRIu64
	       ",\"seconds\":%.4f,\"pps\":%.0f}\n",
	       sent, attempted, errors, secs, secs > 0 ? (double)sent / secs : 0.0);
	return 0;
}
