#include "config.h"

/*
 * Device under test for the veth forwarding benchmark, method C of
 * BENCHMARK-METHODS.md: the real worker (pe/fwd/worker.c) and pipeline
 * (pe/fwd/pipeline.c) between two interfaces of the current namespace.
 *
 *   fwdut --mode null|push|swap|pop --in IFNAME --out IFNAME
 *         --dst-mac AA:BB:CC:DD:EE:FF [--routes FILE] [--cpu N]
 *         [--duration SECONDS] [--strict] [--backend afpacket|xdp]
 *
 * Port 0 is --in, port 1 is --out; frames go 0 -> 1 only.
 *   null: rx -> tx untouched (fwd_worker_set_null), the ceiling of our I/O.
 *   push: PE ingress. Port 0 is a customer port of VRF 1, its FIB loaded
 *         from --routes (the prefix list bench/lpm uses: one a.b.c.d/len per
 *         line, gzip'ed if the name ends in .gz, IPv6 lines skipped; without
 *         it 0.0.0.0/0), route k -> next-hop id 1 + k % 16, id i leading to
 *         port 1 via 10.9.9.2 pushing [2000+i (VPN, inner), 1000+i (outer)]:
 *         outermost first in fwd_adj, so labels = {1000+i, 2000+i}.
 *         Port 0 is opened FWD_PORT_ALL (any destination MAC, as the
 *         pipeline does not check it) so that any generator works; --strict
 *         opens it FWD_PORT_VRF (IPv4 to the --in MAC only), as ped does.
 *   swap: P router. Port 0 core; labels 1000..1015 swapped to 1100..1115,
 *         out port 1 (core) via 10.9.9.2.
 *   pop:  PE egress. Port 0 core; labels 2000..2015 pop and look up in VRF 1
 *         (FIB from --routes), every route to port 1 (a VRF 1 port) via
 *         10.9.9.2 without labels.
 * The neighbor 10.9.9.2 on port 1 has --dst-mac. Both ports: MTU 1500, up,
 * their interface's real MAC.
 *
 * --backend afpacket (the default): the AF_PACKET worker above.
 * --backend xdp: ped's XDP fast path (pe/fwd/xdp.h, bpf/fwd_xdp.bpf.c) on
 * the same tables: fwd_xdp_new, fwd_xdp_sync (every map written from the
 * tables, the ports' DEVMAP entries included) and the program attached
 * (native mode, BPF links) to --in (port 0) and --out (port 1); no worker
 * thread: the frames are forwarded in the kernel's receive context of --in
 * (on a veth, its NAPI: give it threaded NAPI pinned to the DUT's CPU),
 * redirected into --out. Modes push, swap, pop (no null: the program has no
 * such mode); --cpu, --strict do not apply. Frames the program hands to the
 * slow path are counted ("slow") and dropped; the program's links are gone
 * when fwdut exits, however it exits. "ready" goes to stderr once attached.
 *
 * Runs until SIGINT/SIGTERM or --duration, then prints one JSON line:
 *   {"mode":"push","rx":N,"tx":N,"drops":{"noRoute":N,...},"punt":N,"ringDrops":N}
 * (xdp: {"mode":"push","backend":"xdp","rx":N,"tx":N,"drops":{...},"punt":N,
 * "slow":N,"loadSeconds":S})
 * rx counts port 0, tx port 1, drops all ports by cause (non-zero only).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <pthread.h>
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

#include "bench/table.h"
#include "lib/log.h"
#include "pe/fwd/fwd.h"
#include "pe/fwd/worker.h"
#include "pe/fwd/xdp.h"
#include "vrf/fib.h"

#define NNH 16
#define GW 0x0a090902u /* 10.9.9.2, fake */

enum mode { M_NULL, M_PUSH, M_SWAP, M_POP };

static const char *const mode_names[] = { "null", "push", "swap", "pop" };

static void usage(void)
{
	fprintf(stderr, "usage: fwdut --mode null|push|swap|pop --in IFNAME --out IFNAME "
		"--dst-mac MAC [--routes FILE] [--cpu N] [--duration SECONDS] [--strict]\n"
		"       [--backend afpacket|xdp]\n");
	exit(2);
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static void if_info(const char *name, int *ifindex, uint8_t mac[6])
{
	struct ifreq ifr;
	int s;

	if ((*ifindex = (int)if_nametoindex(name)) == 0)
		fatal("interface %s", name);
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		fatal("socket");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0)
		fatal("SIOCGIFHWADDR %s", name);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(s);
}

/* The prefix list of bench/lpm into a new FIB, route k -> 1 + k % nnh
 * (without a file: a default route). */
static struct fib *load_fib(const char *path, uint32_t nnh)
{
	struct fib *f = fib_new();
	struct bench_table t;
	uint32_t *nh;
	size_t k;

	if (path == NULL) {
		if (fib_add(f, 0, 0, 1) < 0)
			fatalx("fib_add");
		return f;
	}
	bench_table_load(path, &t);
	nh = xcalloc(t.n, sizeof(*nh));
	for (k = 0; k < t.n; k++)
		nh[k] = 1 + (uint32_t)(k % nnh);
	if (fib_build(f, t.addr, t.len, nh, t.n) < 0)
		fatalx("fib_build");
	free(nh);
	bench_table_free(&t);
	return f;
}

static void set_port(struct fwd_tables *t, uint16_t idx, int ifindex, uint32_t vrf,
		     const uint8_t mac[6], const char *name)
{
	struct fwd_port_cfg *c = xcalloc(1, sizeof(*c));

	c->idx = idx;
	c->ifindex = ifindex;
	c->vrf_id = vrf;
	memcpy(c->mac, mac, 6);
	c->mtu = 1500;
	c->up = true;
	snprintf(c->name, sizeof(c->name), "%s", name);
	atomic_store(&t->port[idx], c);
}

static struct fwd_nh *nh_fwd(uint16_t port, uint8_t nlabels, uint32_t l0, uint32_t l1)
{
	struct fwd_nh *nh = fwd_nh_new(FWD_NH_FWD, 1);

	nh->adj[0].port = port;
	nh->adj[0].gw = GW;
	nh->adj[0].nlabels = nlabels;
	nh->adj[0].labels[0] = l0;
	nh->adj[0].labels[1] = l1;
	return nh;
}

static void set_vrf(struct fwd_tables *t, uint32_t id, struct fib *f)
{
	struct fwd_vrf *v = xcalloc(1, sizeof(*v));

	v->id = id;
	v->fib = f;
	atomic_store(&t->vrf[id], v);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void slow_frame(void *arg, uint16_t in_port, const uint8_t *data, uint16_t len)
{
	(void)in_port;
	(void)data;
	(void)len;
	(*(uint64_t *)arg)++;
}

static void slow_resolve(void *arg, uint16_t port, uint32_t ip)
{
	(void)arg;
	(void)port;
	(void)ip;
}

/* Trie nodes (pe/fwd/xdp.h) a VRF FIB needs: the root, plus one per
 * distinct /8, /16 and /24 with longer routes below it (fib_walk goes in
 * address order, so those are runs). */
struct lpm_count {
	size_t n;
	uint32_t last[3];
	int seen[3];
};

static int lpm_count_route(uint32_t addr, uint8_t len, uint32_t nh, void *arg)
{
	struct lpm_count *c = arg;
	int l;

	(void)nh;
	for (l = 0; l < 3; l++) {
		uint32_t top = addr >> (24 - 8 * l);

		if (len <= 8 * (l + 1) || (c->seen[l] && c->last[l] == top))
			continue;
		c->seen[l] = 1;
		c->last[l] = top;
		c->n++;
	}
	return 0;
}

/* --backend xdp: the tables into the maps, the program on both ports, wait,
 * report the program's counters. */
static int run_xdp(struct fwd_tables *t, int mode, int inidx, int outidx, const char *in,
		   const char *out, double duration, struct fib *fib)
{
	struct fwd_counters pc[2];
	uint64_t drops[FWD_DROP_MAX] = { 0 }, slow = 0;
	struct fwd_xdp *x;
	char err[256];
	double t0 = now_s(), tload, tend;
	bool first = true;
	sigset_t ss;
	unsigned i, d;
	int sig;

	sigemptyset(&ss);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &ss, NULL);
	/* the route table sized for the FIB (node 0 and the root included),
	 * at least the default */
	{
		struct lpm_count lc = { 2, { 0, 0, 0 }, { 0, 0, 0 } };

		if (fib != NULL)
			fib_walk(fib, lpm_count_route, &lc);
		if (lc.n > 2048)
			fwd_xdp_set_lpm_nodes(lc.n);
		fprintf(stderr, "fwdut: xdp route table: %zu trie nodes needed\n", lc.n);
	}
	if ((x = fwd_xdp_new(err, sizeof(err))) == NULL)
		fatalx("xdp: %s", err);
	if (fwd_xdp_sync(x, t, NULL) != 0)
		fatalx("xdp: fwd_xdp_sync failed");
	fprintf(stderr, "fwdut: xdp route table: %zu trie nodes used\n", fwd_xdp_lpm_nodes_used(x));
	if (fwd_xdp_attach(x, 0, -1, inidx, err, sizeof(err)) != 0)
		fatalx("xdp: %s: %s", in, err);
	if (fwd_xdp_attach(x, 1, -1, outidx, err, sizeof(err)) != 0)
		fatalx("xdp: %s: %s", out, err);
	fwd_xdp_counters_reset(x);
	tload = now_s() - t0;
	fprintf(stderr, "fwdut: xdp %s ready (%.2f s)\n", mode_names[mode], tload);
	tend = duration > 0 ? now_s() + duration : 0;
	for (;;) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		sig = sigtimedwait(&ss, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		while (fwd_xdp_slow_poll(x, 1024, slow_frame, slow_resolve, &slow) > 0)
			;
		if (tend > 0 && now_s() >= tend)
			break;
	}
	fwd_xdp_port_counters(x, 0, &pc[0]);
	fwd_xdp_port_counters(x, 1, &pc[1]);
	fwd_xdp_free(x); /* detaches */
	for (i = 0; i < 2; i++)
		for (d = 1; d < FWD_DROP_MAX; d++)
			drops[d] += pc[i].drop[d];
	printf("{\"mode\":\"%s\",\"backend\":\"xdp\",\"rx\":%llu,\"tx\":%llu,\"drops\":{",
	       mode_names[mode], (unsigned long long)pc[0].rx_pkts,
	       (unsigned long long)pc[1].tx_pkts);
	for (d = 1; d < FWD_DROP_MAX; d++) {
		if (drops[d] == 0)
			continue;
		printf("%s\"%s\":%llu", first ? "" : ",", fwd_drop_name((enum fwd_drop)d),
		       (unsigned long long)drops[d]);
		first = false;
	}
	printf("},\"punt\":%llu,\"slow\":%llu,\"loadSeconds\":%.2f}\n",
	       (unsigned long long)(pc[0].punt + pc[1].punt), (unsigned long long)slow, tload);
	fflush(stdout);
	fwd_tables_free(t);
	fib_free(fib);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "in", required_argument, NULL, 'i' },
		{ "out", required_argument, NULL, 'o' },
		{ "dst-mac", required_argument, NULL, 'd' },
		{ "routes", required_argument, NULL, 'r' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 't' },
		{ "strict", no_argument, NULL, 's' },
		{ "backend", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	const char *in = NULL, *out = NULL, *routes = NULL;
	uint8_t dmac[6], inmac[6], outmac[6];
	bool have_dmac = false, strict = false, xdp = false;
	int c, mode = -1, cpu = -1, inidx, outidx, sig;
	double duration = 0;
	struct fwd_tables *t;
	struct fwd_worker *w;
	struct fib *fib = NULL;
	struct fwd_neigh ne;
	enum fwd_port_kind kin, kout;
	char err[256];
	sigset_t ss;
	uint64_t drops[FWD_DROP_MAX] = { 0 }, punt = 0;
	unsigned i, d;
	bool first = true;

	log_init("fwdut", true, false);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			for (i = 0; i < 4; i++)
				if (strcmp(optarg, mode_names[i]) == 0)
					mode = (int)i;
			if (mode < 0)
				usage();
			break;
		case 'i':
			in = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'd':
			if (parse_mac(optarg, dmac) < 0)
				usage();
			have_dmac = true;
			break;
		case 'r':
			routes = optarg;
			break;
		case 'c':
			cpu = atoi(optarg);
			break;
		case 't':
			duration = atof(optarg);
			break;
		case 's':
			strict = true;
			break;
		case 'b':
			if (strcmp(optarg, "xdp") == 0)
				xdp = true;
			else if (strcmp(optarg, "afpacket") != 0)
				usage();
			break;
		default:
			usage();
		}
	}
	if (mode < 0 || in == NULL || out == NULL || !have_dmac || optind != argc)
		usage();
	if (xdp && mode == M_NULL)
		fatalx("--backend xdp has no null mode");
	if_info(in, &inidx, inmac);
	if_info(out, &outidx, outmac);

	t = fwd_tables_new();
	memset(&ne, 0, sizeof(ne));
	ne.ip = GW;
	memcpy(ne.mac, dmac, 6);
	atomic_store(&t->neigh[1], fwd_neigh_build(&ne, 1));
	kin = kout = FWD_PORT_ALL;
	switch (mode) {
	case M_PUSH:
		set_port(t, 0, inidx, 1, inmac, in);
		set_port(t, 1, outidx, 0, outmac, out);
		fib = load_fib(routes, NNH);
		set_vrf(t, 1, fib);
		for (i = 0; i < NNH; i++)
			fwd_set_nh(t, 1 + i, nh_fwd(1, 2, 1000 + i, 2000 + i), NULL);
		if (strict)
			kin = FWD_PORT_VRF;
		kout = FWD_PORT_CORE;
		break;
	case M_SWAP:
		set_port(t, 0, inidx, 0, inmac, in);
		set_port(t, 1, outidx, 0, outmac, out);
		for (i = 0; i < NNH; i++)
			fwd_set_lfib(t, 1000 + i, nh_fwd(1, 1, 1100 + i, 0), NULL);
		kin = kout = FWD_PORT_CORE;
		break;
	case M_POP:
		set_port(t, 0, inidx, 0, inmac, in);
		set_port(t, 1, outidx, 1, outmac, out);
		fib = load_fib(routes, 1);
		set_vrf(t, 1, fib);
		fwd_set_nh(t, 1, nh_fwd(1, 0, 0, 0), NULL);
		for (i = 0; i < NNH; i++) {
			struct fwd_nh *nh = fwd_nh_new(FWD_NH_LOOKUP, 0);

			nh->vrf_id = 1;
			fwd_set_lfib(t, 2000 + i, nh, NULL);
		}
		kin = FWD_PORT_CORE;
		kout = FWD_PORT_VRF;
		break;
	default:
		set_port(t, 0, inidx, 0, inmac, in);
		set_port(t, 1, outidx, 0, outmac, out);
		break;
	}

	if (xdp)
		return run_xdp(t, mode, inidx, outidx, in, out, duration, fib);

	w = fwd_worker_new(t);
	if (mode == M_NULL)
		fwd_worker_set_null(w, 0, 1);
	if (fwd_worker_port_open(w, 0, -1, inidx, kin, inmac, err, sizeof(err)) < 0)
		fatalx("%s: %s", in, err);
	if (fwd_worker_port_open(w, 1, -1, outidx, kout, outmac, err, sizeof(err)) < 0)
		fatalx("%s: %s", out, err);

	/* the worker thread inherits the blocked signals; we wait for them */
	sigemptyset(&ss);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &ss, NULL);
	if (fwd_worker_start(w, cpu) < 0)
		fatal("worker start");
	if (duration > 0) {
		struct timespec ts;

		ts.tv_sec = (time_t)duration;
		ts.tv_nsec = (long)((duration - (double)ts.tv_sec) * 1e9);
		do
			sig = sigtimedwait(&ss, NULL, &ts);
		while (sig < 0 && errno == EINTR);
	} else {
		do
			sig = sigwaitinfo(&ss, NULL);
		while (sig < 0 && errno == EINTR);
	}
	fwd_worker_stop(w);

	for (i = 0; i < 2; i++) {
		for (d = 1; d < FWD_DROP_MAX; d++)
			drops[d] += t->port_cnt[i].drop[d];
		punt += t->port_cnt[i].punt;
	}
	printf("{\"mode\":\"%s\",\"rx\":%llu,\"tx\":%llu,\"drops\":{", mode_names[mode],
	       (unsigned long long)t->port_cnt[0].rx_pkts,
	       (unsigned long long)t->port_cnt[1].tx_pkts);
	for (d = 1; d < FWD_DROP_MAX; d++) {
		if (drops[d] == 0)
			continue;
		printf("%s\"%s\":%llu", first ? "" : ",", fwd_drop_name((enum fwd_drop)d),
		       (unsigned long long)drops[d]);
		first = false;
	}
	printf("},\"punt\":%llu,\"ringDrops\":%llu}\n", (unsigned long long)punt,
	       (unsigned long long)(fwd_worker_ring_drops(w, 0) + fwd_worker_ring_drops(w, 1)));
	fflush(stdout);

	fwd_worker_free(w);
	fwd_tables_free(t);
	fib_free(fib);
	return 0;
}
