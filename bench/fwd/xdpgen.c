/* xdpgen: an XDP live-frames generator for the forwarding benchmark (method C
 * of BENCHMARK-METHODS.md, "Additions (December 2026)"; see bench/README.md
 * and bench/fwd/run.sh). Beyond what an AF_PACKET sender reaches on one core.
 *
 *   xdpgen --dev IF --dst-mac MAC [--src-mac MAC] --type ipv4|mpls1|mpls2
 *          [--labels L1[,L2]] [--label-spread 16] [--dsts FILE | --dst-count N]
 *          [--pool N] [--size 64] [--rate PPS] [--duration S] [--count N]
 *          [--burst 64] [--src-ip A.B.C.D] [--seed N]
 *          [--batch 64] [--chunk 65536] [--cpu N]
 *   xdpgen --sink IF [--duration S]
 *   xdpgen --fwd IF --out IF2 [--duration S]
 *
 * The options mean what they mean for bench/fwd/pktgen, and the frames are
 * pktgen's: Ethernet II, (mpls1/mpls2) one or two label stack entries (TTL
 * 64, the last with S=1), IPv4 (TTL 64, valid checksum, UDP) and UDP
 * (checksum 0), zero-padded; --size counts the FCS (64: 60 bytes sent).
 *
 * How: one template frame is handed to BPF_PROG_TEST_RUN with
 * BPF_F_TEST_XDP_LIVE_FRAMES (libbpf bpf_prog_test_run_opts), a repeat count
 * of --chunk runs per call and --batch frames per kernel batch, and ctx_in a
 * struct xdp_md whose ingress_ifindex is IF's (the interface is looked up in
 * the calling thread's namespace: run xdpgen inside the generator's). The
 * program (xdpgen.bpf.c, embedded through bpftool's skeleton) writes the
 * template's headers into each frame again (pages are recycled, the receiver
 * may have rewritten them) and varies them from a per-CPU counter i: IPv4
 * destination --pool[i mod N] (checksum adjusted), UDP source port, and for
 * MPLS the top label L1 + i mod spread (L2 below it untouched), and returns
 * XDP_TX: in live-frames mode the kernel redirects the frame out of IF
 * (ndo_xdp_xmit; on a veth, straight into the peer's XDP ring, which exists
 * only if the peer runs an XDP program or has GRO on). Destinations: as pktgen, --pool addresses (default 16384), each
 * a random address inside a random prefix of --dsts (or 198.18.0.0 + i).
 *
 * --rate PPS paces inside the program: a run whose send time has not come
 * drops its frame (not counted), so frames leave evenly spaced, with at most
 * --burst back to back after an idle spell. Without --rate the program sends
 * every run. The calling thread busy-loops in the kernel either way: pin it
 * (--cpu N or taskset).
 *
 * Stops after --duration seconds, --count frames, or SIGINT/SIGTERM (checked
 * between calls; a call lasts a few to some tens of ms), then prints one JSON line, the first
 * five keys as pktgen's:
 *   {"sent":N,"attempted":N,"errors":N,"seconds":S,"pps":P,"runs":N,"pacedOut":N,
 *    "calls":N,"xmitStats":true}
 * attempted = frames the program returned XDP_TX for; sent = frames the
 * device took (its tx_queue_*_xdp_xmit ethtool counters; on a veth, frames
 * put in the peer's ring; = attempted with "xmitStats":false when the device
 * has no such counters); errors = attempted - sent (the peer's ring was full,
 * or the device is no redirect target); pps = sent / seconds; runs = program
 * runs, pacedOut = those that sent nothing (--rate), calls =
 * BPF_PROG_TEST_RUN calls. A run whose frame the device refused costs far
 * less than one it took, so against a slow receiver "attempted" is high:
 * count what arrives at the receiver.
 *
 * --sink IF attaches the drop program to IF (native XDP, through a bpf_link:
 * detached when xdpgen exits, however it exits) until SIGINT/SIGTERM or
 * --duration, then prints {"pkts":N,"bytes":N,"seconds":S}. --fwd IF --out
 * IF2 does the same with a program that redirects every frame untouched to
 * IF2 (bpf_redirect; the ceiling of an XDP forwarder on a path, as fwdut's
 * null mode is for the AF_PACKET one); pkts counts the frames it saw. */
#include "config.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench/fwd/gen.h"
#include "bench/table.h"
/* bpftool casts its const ELF bytes to void * */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include "bench/fwd/xdpgen.skel.h"
#pragma GCC diagnostic pop
#include "lib/log.h"
#include "lib/prefix.h"

#define MAX_FRAME 1514

/* == struct xg_state, struct xg_sink of xdpgen.bpf.c */
struct xg_state {
	uint64_t sent, skipped, next_t;
	uint32_t di, li, pi, pad;
};
struct xg_sink {
	uint64_t pkts, bytes;
};

static void die(const char *msg)
{
	fprintf(stderr, "xdpgen: %s\n", msg);
	exit(1);
}

static void die_errno(const char *what, int err)
{
	fprintf(stderr, "xdpgen: %s: %s\n", what, strerror(err));
	exit(1);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* The device's XDP transmit counters (veth: tx_queue_<q>_xdp_xmit and
 * tx_queue_<q>_xdp_xmit_errors, summed over queues) through SIOCETHTOOL.
 * Returns false if it has none. */
struct xmit_stats {
	int fd;
	char name[IFNAMSIZ];
	uint32_t n;
	bool *is_ok, *is_err;
};

static bool xmit_stats_init(struct xmit_stats *x, const char *dev)
{
	struct ethtool_sset_info *si;
	struct ethtool_gstrings *gs;
	struct ifreq ifr;
	bool any = false;

	memset(x, 0, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "%s", dev);
	if ((x->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return false;
	si = calloc(1, sizeof(*si) + sizeof(uint32_t));
	si->cmd = ETHTOOL_GSSET_INFO;
	si->sset_mask = 1ull << ETH_SS_STATS;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ifr.ifr_data = (void *)si;
	if (ioctl(x->fd, SIOCETHTOOL, &ifr) < 0 || !(si->sset_mask & (1ull << ETH_SS_STATS)) ||
	    si->data[0] == 0) {
		free(si);
		return false;
	}
	x->n = si->data[0];
	free(si);
	gs = calloc(1, sizeof(*gs) + (size_t)x->n * ETH_GSTRING_LEN);
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_STATS;
	gs->len = x->n;
	ifr.ifr_data = (void *)gs;
	if (ioctl(x->fd, SIOCETHTOOL, &ifr) < 0) {
		free(gs);
		return false;
	}
	x->is_ok = calloc(x->n, sizeof(bool));
	x->is_err = calloc(x->n, sizeof(bool));
	for (uint32_t i = 0; i < x->n; i++) {
		char s[ETH_GSTRING_LEN + 1], tail[ETH_GSTRING_LEN + 1];
		unsigned q;

		memcpy(s, gs->data + (size_t)i * ETH_GSTRING_LEN, ETH_GSTRING_LEN);
		s[ETH_GSTRING_LEN] = 0;
		if (sscanf(s, "tx_queue_%u_xdp_xmi%s", &q, tail) == 2) {
			if (!strcmp(tail, "t"))
				x->is_ok[i] = any = true;
			else if (!strcmp(tail, "t_errors"))
				x->is_err[i] = any = true;
		}
	}
	free(gs);
	return any;
}

static void xmit_stats_read(struct xmit_stats *x, uint64_t *ok, uint64_t *err)
{
	struct ethtool_stats *st;
	struct ifreq ifr;

	*ok = *err = 0;
	if (x->n == 0)
		return;
	st = calloc(1, sizeof(*st) + (size_t)x->n * sizeof(uint64_t));
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = x->n;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", x->name);
	ifr.ifr_data = (void *)st;
	if (ioctl(x->fd, SIOCETHTOOL, &ifr) == 0) {
		for (uint32_t i = 0; i < x->n && i < st->n_stats; i++) {
			if (x->is_ok[i])
				*ok += st->data[i];
			if (x->is_err[i])
				*err += st->data[i];
		}
	}
	free(st);
}

/* true once SIGINT or SIGTERM is pending (they are blocked) */
static bool stop_pending(void)
{
	sigset_t p;

	sigpending(&p);
	return sigismember(&p, SIGINT) || sigismember(&p, SIGTERM);
}

static void block_signals(void)
{
	sigset_t ss;

	sigemptyset(&ss);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGTERM);
	sigprocmask(SIG_BLOCK, &ss, NULL);
}

static int run_sink(const char *dev, const char *out, double duration)
{
	struct xdpgen *skel;
	struct bpf_link *link;
	int ifindex, err, ncpu;
	struct xg_sink *v;
	uint64_t pkts = 0, bytes = 0;
	uint32_t zero = 0;
	double t0, t;

	struct bpf_program *prog;

	if ((ifindex = (int)if_nametoindex(dev)) == 0)
		die_errno(dev, errno);
	block_signals();
	if ((skel = xdpgen__open()) == NULL)
		die_errno("open BPF object", errno);
	bpf_program__set_autoload(skel->progs.xdpgen_tx, false);
	if (out) {
		if ((skel->rodata->fwd_ifindex = if_nametoindex(out)) == 0)
			die_errno(out, errno);
		bpf_program__set_autoload(skel->progs.xdpgen_drop, false);
		prog = skel->progs.xdpgen_fwd;
	} else {
		bpf_program__set_autoload(skel->progs.xdpgen_fwd, false);
		prog = skel->progs.xdpgen_drop;
	}
	if ((err = xdpgen__load(skel)) != 0)
		die_errno("load BPF object", -err);
	link = bpf_program__attach_xdp(prog, ifindex);
	if (!link)
		die_errno("attach XDP", errno);
	t0 = gen_now();
	for (;;) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		if (stop_pending())
			break;
		if (duration > 0 && gen_now() - t0 >= duration)
			break;
		nanosleep(&ts, NULL);
	}
	t = gen_now();
	bpf_link__destroy(link);
	ncpu = libbpf_num_possible_cpus();
	v = calloc((size_t)ncpu, sizeof(*v));
	if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.xg_sink), &zero, v) == 0)
		for (int c = 0; c < ncpu; c++) {
			pkts += v[c].pkts;
			bytes += v[c].bytes;
		}
	printf("{\"pkts\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"seconds\":%.4f}\n", pkts, bytes, t - t0);
	free(v);
	xdpgen__destroy(skel);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: xdpgen --dev IF --dst-mac MAC [--src-mac MAC] --type ipv4|mpls1|mpls2\n"
		"       [--labels L1[,L2]] [--label-spread 16] [--dsts FILE | --dst-count N]\n"
		"       [--pool N] [--size 64] [--rate PPS] [--duration S] [--count N]\n"
		"       [--burst 64] [--src-ip A.B.C.D] [--seed N] [--batch 64] [--chunk 65536]\n"
		"       [--cpu N]\n"
		"       xdpgen --sink IF [--duration S]\n"
		"       xdpgen --fwd IF --out IF2 [--duration S]\n");
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
		{"batch", required_argument, NULL, 'B'},
		{"chunk", required_argument, NULL, 'C'},
		{"cpu", required_argument, NULL, 'P'},
		{"sink", required_argument, NULL, 'K'},
		{"fwd", required_argument, NULL, 'F'},
		{"out", required_argument, NULL, 'O'},
		{NULL, 0, NULL, 0},
	};
	const char *dev = NULL, *dsts = NULL, *sink = NULL, *fwd = NULL, *fwd_out = NULL;
	uint8_t dmac[6], smac[6] = {0x02, 0, 0, 0, 0, 0x01};
	bool have_dmac = false;
	unsigned nlab = 0;
	uint32_t l1 = 1000, l2 = 3000, spread = 16, src_ip = 0x0a630002; /* 10.99.0.2 */
	size_t dst_count = 0, pool = 0;
	unsigned size = 64, burst = 64, batch = 64, chunk = 65536;
	double rate = 0, duration = 0;
	uint64_t count = 0;
	int c, cpu = -1;

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
				nlab = 0;
			else if (!strcmp(optarg, "mpls1"))
				nlab = 1;
			else if (!strcmp(optarg, "mpls2"))
				nlab = 2;
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
		case 'B': batch = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'C': chunk = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'P': cpu = atoi(optarg); break;
		case 'K': sink = optarg; break;
		case 'F': fwd = optarg; break;
		case 'O': fwd_out = optarg; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	libbpf_set_print(libbpf_print);
	if (sink)
		return run_sink(sink, NULL, duration);
	if (fwd) {
		if (!fwd_out)
			usage();
		return run_sink(fwd, fwd_out, duration);
	}
	if (!dev || !have_dmac)
		usage();
	if (spread == 0)
		spread = 1;
	if (l1 + spread - 1 > 0xfffff)
		die("--labels + --label-spread beyond 2^20");
	if (burst == 0)
		burst = 1;
	if (batch == 0 || chunk == 0)
		die("--batch and --chunk must be > 0");
	if (!pool)
		pool = dst_count ? dst_count : 16384;
	if (pool > (1u << 24))
		die("--pool at most 2^24");

	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			die_errno("sched_setaffinity", errno);
	}

	unsigned hdr = 14 + 4 * nlab;
	unsigned flen = size >= 4 ? size - 4 : 0; /* without FCS */
	if (flen < hdr + 28)
		flen = hdr + 28;
	if (flen > MAX_FRAME)
		die("--size too large");

	/* destinations, network byte order */
	uint32_t *dst = calloc(pool, sizeof(*dst));
	if (!dst)
		die("out of memory");
	if (dsts) {
		struct bench_table t;

		bench_table_load(dsts, &t);
		for (size_t i = 0; i < pool; i++) {
			size_t k = gen_rng() % t.n;
			uint32_t host = t.len[k] == 32 ? 0 : (uint32_t)gen_rng() & ~prefix4_mask(t.len[k]);
			dst[i] = htonl(t.addr[k] | host);
		}
		bench_table_free(&t);
	} else {
		for (size_t i = 0; i < pool; i++)
			dst[i] = htonl(0xc6120000u + (uint32_t)(i % (dst_count ? dst_count : pool)));
	}

	/* the template: pktgen's frame 0 */
	uint8_t frame[MAX_FRAME], *ip;
	memset(frame, 0, sizeof(frame));
	memcpy(frame, dmac, 6);
	memcpy(frame + 6, smac, 6);
	gen_put16(frame + 12, nlab ? 0x8847 : 0x0800);
	if (nlab) {
		gen_put32(frame + 14, l1 << 12 | (nlab == 1 ? 1u << 8 : 0) | 64);
		if (nlab == 2)
			gen_put32(frame + 18, l2 << 12 | 1u << 8 | 64);
	}
	ip = frame + hdr;
	uint16_t iplen = (uint16_t)(flen - hdr);
	ip[0] = 0x45;
	gen_put16(ip + 2, iplen);
	ip[8] = 64;
	ip[9] = 17;
	gen_put32(ip + 12, src_ip);
	memcpy(ip + 16, &dst[0], 4);
	gen_put16(ip + 10, gen_ip_csum(ip, 20));
	gen_put16(ip + 20, 1024);
	gen_put16(ip + 22, 9);
	gen_put16(ip + 24, (uint16_t)(iplen - 20));

	int ifindex = (int)if_nametoindex(dev);
	if (!ifindex)
		die_errno(dev, errno);

	block_signals();
	struct xdpgen *skel = xdpgen__open();
	int err;
	if (!skel)
		die_errno("open BPF object", errno);
	bpf_program__set_autoload(skel->progs.xdpgen_drop, false);
	bpf_program__set_autoload(skel->progs.xdpgen_fwd, false);
	skel->rodata->nlabels = nlab;
	skel->rodata->ndst = (uint32_t)pool;
	skel->rodata->label0 = l1;
	skel->rodata->spread = spread;
	skel->rodata->burst = burst;
	_Static_assert(sizeof(skel->data->tmpl) >= 14 + 8 + 28, "template room");
	memcpy(skel->data->tmpl, frame,
	       flen < sizeof(skel->data->tmpl) ? flen : sizeof(skel->data->tmpl));
	skel->rodata->interval_t = rate > 0 ? (uint64_t)(256e9 / rate + 0.5) : 0;
	if (rate > 0 && skel->rodata->interval_t == 0)
		skel->rodata->interval_t = 1;
	if ((err = bpf_map__set_max_entries(skel->maps.xg_dsts, (uint32_t)pool)) != 0)
		die_errno("xg_dsts size", -err);
	if ((err = xdpgen__load(skel)) != 0)
		die_errno("load BPF object", -err);
	int dfd = bpf_map__fd(skel->maps.xg_dsts);
	for (uint32_t i = 0; i < pool; i++)
		if (bpf_map_update_elem(dfd, &i, &dst[i], BPF_ANY) < 0)
			die_errno("xg_dsts update", errno);
	free(dst);

	struct xmit_stats xs;
	bool have_xs = xmit_stats_init(&xs, dev);
	uint64_t ok0, err0, ok1, err1;
	xmit_stats_read(&xs, &ok0, &err0);

	struct xdp_md md;
	memset(&md, 0, sizeof(md));
	md.data_end = flen;
	md.ingress_ifindex = (uint32_t)ifindex;
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = frame,
		.data_size_in = flen,
		.ctx_in = &md,
		.ctx_size_in = sizeof(md),
		.flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		.batch_size = batch,
	);
	int pfd = bpf_program__fd(skel->progs.xdpgen_tx);
	uint32_t zero = 0;
	int ncpu = libbpf_num_possible_cpus();
	struct xg_state *sv = calloc((size_t)ncpu, sizeof(*sv));
	uint64_t runs = 0, txed = 0, skipped = 0;
	unsigned iter = 0;
	double t0 = gen_now(), t = t0, end = duration > 0 ? t0 + duration : 0;

	for (;;) {
		uint32_t n = chunk;

		if (count) {
			/* read back what was sent, then ask only for the rest
			 * (exact without --rate; with it a call may pace out
			 * some runs, the next call makes up for them) */
			if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.xg_state), &zero, sv) == 0) {
				txed = 0;
				for (int k = 0; k < ncpu; k++)
					txed += sv[k].sent;
			}
			if (txed >= count)
				break;
			if (count - txed < n)
				n = (uint32_t)(count - txed);
		}
		o.repeat = n;
		if (bpf_prog_test_run_opts(pfd, &o) < 0)
			die_errno("BPF_PROG_TEST_RUN (live frames)", errno);
		runs += n;
		iter++;
		t = gen_now();
		if (end && t >= end)
			break;
		if (stop_pending())
			break;
	}
	double secs = t - t0;
	xmit_stats_read(&xs, &ok1, &err1);
	if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.xg_state), &zero, sv) < 0)
		die_errno("xg_state", errno);
	txed = skipped = 0;
	for (int k = 0; k < ncpu; k++) {
		txed += sv[k].sent;
		skipped += sv[k].skipped;
	}
	/* what the device took: its own count (a redirect to a device that is
	 * not a redirect target, e.g. a veth whose peer has neither XDP nor
	 * GRO, fails before the driver and leaves no other trace) */
	uint64_t sent = have_xs ? ok1 - ok0 : txed;
	if (sent > txed)
		sent = txed;
	uint64_t errors = txed - sent;
	if (have_xs && txed > 0 && sent == 0)
		fprintf(stderr, "xdpgen: %s took none of the frames (a veth needs an XDP program "
			"or GRO on its peer)\n", dev);
	printf("{\"sent\":%" PRIu64 ",\"attempted\":%" PRIu64 ",\"errors\":%" PRIu64
	       ",\"seconds\":%.4f,\"pps\":%.0f,\"runs\":%" PRIu64 ",\"pacedOut\":%" PRIu64
	       ",\"calls\":%u,\"xmitStats\":%s}\n",
	       sent, txed, errors, secs, secs > 0 ? (double)sent / secs : 0.0, runs, skipped, iter,
	       have_xs ? "true" : "false");
	free(sv);
	xdpgen__destroy(skel);
	return 0;
}
