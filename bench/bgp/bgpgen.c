/* bgpgen: VPNv4 UPDATE generator for benchmark A (BENCHMARK-METHODS.md,
 * bench/README.md). Connects to a BGP speaker, opens an iBGP session with
 * the multiprotocol VPNv4 and 4-octet AS capabilities, pre-encodes N VPNv4
 * paths (prefixes from the real table, spread over RDs: 10 big ones with
 * 8 % of the paths each, the rest in small RDs of SMALL paths) into
 * UPDATEs packed to 4096 bytes with mpbgp's encoder, waits for a go signal,
 * then writes them as fast as TCP takes them, followed by End-of-RIB. It
 * keeps the session up (KEEPALIVEs) until SIGTERM/SIGINT.
 *
 *   bgpgen [-b SRC_ADDR] -c DUT_ADDR -f TABLE.gz -n PATHS [-a AS]
 *          [-i ROUTER_ID] [-N NEXTHOP] [-H HOLD] [-s SMALL] [-w GOFILE]
 *          [-V VRFS [-L LARGE] [-P PERCENT]] [-W WDFILE] [-x]
 *
 * -W WDFILE: once everything is sent, when WDFILE exists, withdraw every
 * path (MP_UNREACH_NLRI, UPDATEs of up to 4096 bytes), print "withdrawn
 * EPOCH" and keep the session up (for bench/bgpmem: memory after a
 * large withdrawal).
 *
 * -x: build and encode the paths, print the summary lines ("vrf I PATHS",
 * "updates ...") and exit without connecting (the layout for a runner).
 *
 * VRF-shaped scenario, -V VRFS (for the VRF import benchmark,
 * bench/vrfimport/): VRFS RDs, each with a route target of its own (RD
 * AS:i, RT AS:i, label 15 + i, i = 1..VRFS): LARGE of them (default 4)
 * with PERCENT % of the paths each (default 10), the rest spread over the
 * other VRFS - LARGE with weights 1/sqrt(j) (j = 1, 2, ...: about 9.7k down
 * to 308 paths for 1M paths over 1,000 VRFs), deterministic; when VRFS <=
 * LARGE every VRF is large and the paths are split evenly. Prefixes as
 * without -V: consecutive table entries, continuing from one VRF to the
 * next (distinct inside a VRF, which may hold no more than the table). One
 * UPDATE carries paths of one VRF only (its RT); prints "vrf I PATHS" for
 * each VRF and "vrfs V large L" before "updates ...". -s is ignored.
 *
 * Router id and next hop default to the local address of the connection;
 * two generators bound to two addresses send the same paths (same RD,
 * prefix, label) with different next hops, so best path has work to do.
 *
 * Output lines on stdout (for run.sh): "updates M bytes B paths N rds R",
 * "first_small PREFIX" (first path of RD 65000:11), "established",
 * "first_byte EPOCH", "last_byte EPOCH". Without -w it starts sending at
 * once.
 *
 * Sink mode, -S TARGET (no -f): opens the same session, sends nothing,
 * decodes the UPDATEs it receives (mpbgp's bgp_update_decode) and keeps the
 * set of VPNv4 (RD, prefix) announced and not withdrawn; prints "progress
 * EPOCH COUNT" at most every 0.25 s when the count changed and "sink_done
 * EPOCH count C" when it first holds TARGET, followed by "sink_attrs COUNT lp
 * LOCAL_PREF comm C1,C2,..." lines: how many (RD, prefix) arrived first with
 * that LOCAL_PREF ("-" when absent) and those standard communities ("none"),
 * for checking what a DUT's routing policy set. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/prefix.h"
#include "lib/rdrt.h"
#include "lib/wbuf.h"
#include "mpbgp/wire.h"

static volatile sig_atomic_t stop;

static void on_sig(int s)
{
	(void)s;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *m)
{
	fprintf(stderr, "bgpgen: %s: %s\n", m, strerror(errno));
	exit(1);
}

/* growing byte buffer for the whole stream */
struct out {
	uint8_t *p;
	size_t len, cap;
};

static void out_put(struct out *o, const void *d, size_t n)
{
	if (o->len + n > o->cap) {
		o->cap = (o->cap + n) * 2;
		o->p = realloc(o->p, o->cap);
		if (o->p == NULL)
			die("realloc");
	}
	memcpy(o->p + o->len, d, n);
	o->len += n;
}

static struct prefix4 *read_table(const char *path, size_t *np)
{
	char cmd[4096], line[256];
	FILE *f;
	struct prefix4 *v = NULL;
	size_t n = 0, cap = 0;

	snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", path);
	f = popen(cmd, "r");
	if (f == NULL)
		die("popen");
	while (fgets(line, sizeof(line), f) != NULL) {
		struct prefix4 p;
		bool hb;

		line[strcspn(line, "\r\n \t")] = '\0';
		if (line[0] == '\0' || strchr(line, ':') != NULL)
			continue; /* IPv6 or empty */
		if (prefix4_parse(line, &p, &hb) != 0)
			continue;
		prefix4_apply_mask(&p);
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			v = realloc(v, cap * sizeof(*v));
			if (v == NULL)
				die("realloc");
		}
		v[n++] = p;
	}
	pclose(f);
	*np = n;
	return v;
}

static void send_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t r = write(fd, p, len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pf = { fd, POLLOUT, 0 };

				poll(&pf, 1, 1000);
				continue;
			}
			die("write");
		}
		p += r;
		len -= (size_t)r;
	}
}

/* Sink mode (-S TARGET): the set of (RD, prefix) the peer announced and
 * has not withdrawn; "sink_done" when it holds TARGET. */
struct skey {
	uint8_t k[13]; /* RD, address (network order), length */
	uint8_t used, present;
};
static unsigned long sink_target;
static struct skey *sset;
static size_t sset_cap, sset_used, sink_count;
static double sink_done_t;
static struct bgp_decode_ctx sink_ctx;

/* attribute tally of the sink: distinct (LOCAL_PREF, communities) */
#define SINK_ATTRS_MAX 256
static struct {
	char key[160];
	size_t count;
} sink_attrs[SINK_ATTRS_MAX];
static size_t sink_nattrs, sink_attrs_over;

static void sink_tally(const struct bgp_attr *a, size_t n)
{
	char key[160];
	size_t i, o;

	if (a->present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF))
		o = (size_t)snprintf(key, sizeof(key), "lp %u comm ", a->local_pref);
	else
		o = (size_t)snprintf(key, sizeof(key), "lp - comm ");
	if (a->ncommunities == 0)
		snprintf(key + o, sizeof(key) - o, "none");
	for (i = 0; i < a->ncommunities && o < sizeof(key); i++)
		o += (size_t)snprintf(key + o, sizeof(key) - o, "%s%u:%u", i ? "," : "",
				      a->communities[i] >> 16, a->communities[i] & 0xffff);
	for (i = 0; i < sink_nattrs; i++)
		if (strcmp(sink_attrs[i].key, key) == 0) {
			sink_attrs[i].count += n;
			return;
		}
	if (sink_nattrs == SINK_ATTRS_MAX) {
		sink_attrs_over += n;
		return;
	}
	snprintf(sink_attrs[sink_nattrs].key, sizeof(sink_attrs[0].key), "%s", key);
	sink_attrs[sink_nattrs++].count = n;
}

/* true when p was not present before */
static bool sink_mark(const struct bgp_prefix *p, bool present)
{
	uint8_t k[13];
	uint64_t h = 1469598103934665603ull;
	size_t i, j;

	memcpy(k, p->rd.b, 8);
	k[8] = (uint8_t)(p->pfx.v4 >> 24);
	k[9] = (uint8_t)(p->pfx.v4 >> 16);
	k[10] = (uint8_t)(p->pfx.v4 >> 8);
	k[11] = (uint8_t)p->pfx.v4;
	k[12] = p->pfx.len;
	for (j = 0; j < sizeof(k); j++)
		h = (h ^ k[j]) * 1099511628211ull;
	i = (size_t)(h ^ (h >> 29)) & (sset_cap - 1);
	while (sset[i].used && memcmp(sset[i].k, k, sizeof(k)) != 0)
		i = (i + 1) & (sset_cap - 1);
	if (!sset[i].used) {
		if (!present)
			return false;
		if (++sset_used > sset_cap / 4 * 3) {
			fprintf(stderr, "bgpgen: sink set full\n");
			exit(1);
		}
		sset[i].used = 1;
		memcpy(sset[i].k, k, sizeof(k));
	}
	if (sset[i].present != present) {
		sset[i].present = present;
		if (present)
			sink_count++;
		else
			sink_count--;
		return present;
	}
	return false;
}

static void sink_update(const uint8_t *body, size_t len)
{
	struct bgp_update u;
	int i;
	size_t fresh = 0;

	bgp_update_init(&u);
	bgp_update_decode(body, len, &sink_ctx, &u);
	if (u.action == BGP_UPD_SESSION_RESET || u.action == BGP_UPD_TREAT_AS_WITHDRAW)
		fprintf(stderr, "bgpgen: sink: UPDATE verdict %d: %s\n", (int)u.action, u.reason);
	for (i = 0; i < u.withdrawn[BGP_AF_VPNV4].n; i++)
		sink_mark(&u.withdrawn[BGP_AF_VPNV4].v[i].p, false);
	for (i = 0; i < u.reach[BGP_AF_VPNV4].n; i++)
		fresh += sink_mark(&u.reach[BGP_AF_VPNV4].v[i].p, u.action != BGP_UPD_TREAT_AS_WITHDRAW);
	if (fresh > 0 && sink_done_t == 0)
		sink_tally(&u.attr, fresh);
	bgp_update_free(&u);
	if (sink_done_t == 0 && sink_count >= sink_target) {
		size_t k;

		sink_done_t = now();
		printf("sink_done %.6f count %zu\n", sink_done_t, sink_count);
		for (k = 0; k < sink_nattrs; k++)
			printf("sink_attrs %zu %s\n", sink_attrs[k].count, sink_attrs[k].key);
		if (sink_attrs_over > 0)
			printf("sink_attrs %zu more\n", sink_attrs_over);
		fflush(stdout);
	}
}

/* Receive side: parse messages, count them, answer nothing but note OPEN,
 * KEEPALIVE, NOTIFICATION. Returns -1 on EOF/error. */
struct rx {
	uint8_t buf[65536];
	size_t len;
	bool got_open, got_ka;
};

static int rx_read(int fd, struct rx *r)
{
	ssize_t n = read(fd, r->buf + r->len, sizeof(r->buf) - r->len);
	size_t off = 0;

	if (n == 0) {
		fprintf(stderr, "bgpgen: peer closed the connection\n");
		return -1;
	}
	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	r->len += (size_t)n;
	while (r->len - off >= BGP_HDR_LEN) {
		uint16_t mlen = (uint16_t)(r->buf[off + 16] << 8 | r->buf[off + 17]);
		uint8_t type = r->buf[off + 18];

		if (mlen < BGP_HDR_LEN || mlen > BGP_MAX_MSG) {
			fprintf(stderr, "bgpgen: bad message length %u\n", mlen);
			return -1;
		}
		if (r->len - off < mlen)
			break;
		if (type == BGP_MSG_OPEN)
			r->got_open = true;
		else if (type == BGP_MSG_KEEPALIVE)
			r->got_ka = true;
		else if (type == BGP_MSG_UPDATE && sset != NULL)
			sink_update(r->buf + off + BGP_HDR_LEN, mlen - BGP_HDR_LEN);
		else if (type == BGP_MSG_NOTIFICATION) {
			fprintf(stderr, "bgpgen: NOTIFICATION %u/%u from peer\n",
				mlen > 19 ? r->buf[off + 19] : 0, mlen > 20 ? r->buf[off + 20] : 0);
			return -1;
		}
		off += mlen;
	}
	memmove(r->buf, r->buf + off, r->len - off);
	r->len -= off;
	return 0;
}

/* OPEN (VPNv4, 4-octet AS, route refresh), our KEEPALIVE after theirs
 * OPEN, wait for their KEEPALIVE; leaves the socket non-blocking and a
 * KEEPALIVE in ka. */
static void open_session(int fd, struct rx *rx, uint32_t as, unsigned hold, uint32_t rid,
			 uint8_t *ka, struct wbuf *w)
{
	uint8_t msg[BGP_MAX_MSG];
	struct wbuf o = wbuf_init_fixed(msg, sizeof(msg));
	struct bgp_capa capa;

	memset(&capa, 0, sizeof(capa));
	capa.mp[BGP_AF_VPNV4] = true;
	capa.as4 = true;
	capa.as4_asn = as;
	capa.route_refresh = true;
	if (bgp_open_encode(&o, as, (uint16_t)hold, rid, &capa) != 0) {
		fprintf(stderr, "bgpgen: OPEN encode failed\n");
		exit(1);
	}
	send_all(fd, wbuf_data(&o), wbuf_len(&o));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (!rx->got_open && !stop) {
		struct pollfd pf = { fd, POLLIN, 0 };

		if (poll(&pf, 1, 1000) > 0 && rx_read(fd, rx) == -1)
			exit(1);
	}
	*w = wbuf_init_fixed(ka, BGP_HDR_LEN);
	bgp_keepalive_encode(w);
	send_all(fd, wbuf_data(w), wbuf_len(w));
	while (!rx->got_ka && !stop) {
		struct pollfd pf = { fd, POLLIN, 0 };

		if (poll(&pf, 1, 1000) > 0 && rx_read(fd, rx) == -1)
			exit(1);
	}
	printf("established\n");
	fflush(stdout);
}

static int sink_main(int fd, uint32_t as, unsigned hold, uint32_t rid)
{
	static struct rx rx;
	uint8_t ka[BGP_HDR_LEN];
	struct wbuf w;
	double last_ka, last_pr = 0;
	size_t last_count = (size_t)-1;

	for (sset_cap = 1024; sset_cap < sink_target * 2; sset_cap *= 2)
		;
	sset = calloc(sset_cap, sizeof(*sset));
	if (sset == NULL)
		die("calloc");
	sink_ctx.as4 = true;
	sink_ctx.local_as = as;
	sink_ctx.peer_as = as;
	sink_ctx.af[BGP_AF_VPNV4] = true;
	open_session(fd, &rx, as, hold, rid, ka, &w);
	last_ka = mono();
	while (!stop) {
		struct pollfd pf = { fd, POLLIN, 0 };

		if (poll(&pf, 1, 100) > 0 && rx_read(fd, &rx) == -1)
			return 1;
		if (mono() - last_ka > 30) {
			send_all(fd, wbuf_data(&w), wbuf_len(&w));
			last_ka = mono();
		}
		if (mono() - last_pr >= 0.25 && sink_count != last_count) {
			printf("progress %.6f %zu\n", now(), sink_count);
			fflush(stdout);
			last_count = sink_count;
			last_pr = mono();
		}
	}
	return 0;
}

/* floor(sqrt(x)) */
static uint64_t isqrt64(uint64_t x)
{
	uint64_t r = 0, bit = 1ull << 62;

	while (bit > x)
		bit >>= 2;
	while (bit != 0) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/* -V: paths per VRF. nlarge VRFs with pct % each (all VRFs evenly when
 * nvrf <= nlarge), the rest over the small VRFs with weights 1/sqrt(j),
 * rounded down, the leftover one by one from the first small VRF on. */
static unsigned long *vrf_sizes(unsigned long npaths, unsigned long nvrf, unsigned long nlarge,
				unsigned long pct)
{
	unsigned long *sz = calloc(nvrf, sizeof(*sz)), large_each, rest, nsmall, j, sum = 0;
	double *w, wsum = 0;

	if (sz == NULL)
		die("calloc");
	if (nlarge >= nvrf) {
		for (j = 0; j < nvrf; j++)
			sz[j] = npaths / nvrf + (j < npaths % nvrf);
		return sz;
	}
	large_each = npaths / 100 * pct + npaths % 100 * pct / 100;
	if (large_each * nlarge > npaths)
		large_each = npaths / nlarge;
	for (j = 0; j < nlarge; j++)
		sz[j] = large_each;
	rest = npaths - large_each * nlarge;
	nsmall = nvrf - nlarge;
	w = calloc(nsmall, sizeof(*w));
	if (w == NULL)
		die("calloc");
	for (j = 0; j < nsmall; j++) {
		/* 1 / sqrt(j + 1), from an integer square root (no libm) */
		w[j] = 65536.0 / (double)isqrt64((uint64_t)(j + 1) << 32);
		wsum += w[j];
	}
	for (j = 0; j < nsmall; j++) {
		sz[nlarge + j] = (unsigned long)((double)rest * w[j] / wsum);
		sum += sz[nlarge + j];
	}
	for (j = 0; sum < rest; j = (j + 1) % nsmall, sum++)
		sz[nlarge + j]++;
	free(w);
	return sz;
}

int main(int argc, char **argv)
{
	const char *dut = NULL, *table = NULL, *gofile = NULL, *wdfile = NULL;
	bool withdrawn = false;
	uint32_t as = 65000, rid = 0, nh = 0, dutaddr, bindaddr = 0;
	unsigned long npaths = 100000, small = 200, nvrf = 0, nlarge = 4, large_pct = 10;
	unsigned long *vsize = NULL, *vstart = NULL;
	bool dry = false;
	unsigned hold = 240;
	int c, fd = -1, i;
	struct prefix4 *pfx;
	size_t npfx;
	struct bgp_nlri *nl;
	struct bgp_attr attr;
	struct ecomm rt;
	struct out o = { 0 };
	uint8_t msg[BGP_MAX_MSG];
	struct wbuf w;
	struct sockaddr_in sin, me;
	socklen_t melen = sizeof(me);
	struct rx rx = { .len = 0 };
	unsigned long nmsgs = 0, big_each, p, rds = 0;
	double last_ka, t0, t1;
	size_t sent = 0;
	char err[128];

	while ((c = getopt(argc, argv, "b:c:f:n:a:i:N:H:s:w:S:V:L:P:W:x")) != -1) {
		switch (c) {
		case 'c': dut = optarg; break;
		case 'f': table = optarg; break;
		case 'n': npaths = strtoul(optarg, NULL, 0); break;
		case 'a': as = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'i': if (addr4_parse(optarg, &rid) != 0) { fprintf(stderr, "bad -i\n"); return 2; } break;
		case 'N': if (addr4_parse(optarg, &nh) != 0) { fprintf(stderr, "bad -N\n"); return 2; } break;
		case 'H': hold = (unsigned)strtoul(optarg, NULL, 0); break;
		case 's': small = strtoul(optarg, NULL, 0); break;
		case 'w': gofile = optarg; break;
		case 'W': wdfile = optarg; break;
		case 'S': sink_target = strtoul(optarg, NULL, 0); break;
		case 'b': if (addr4_parse(optarg, &bindaddr) != 0) { fprintf(stderr, "bad -b\n"); return 2; } break;
		case 'V': nvrf = strtoul(optarg, NULL, 0); break;
		case 'L': nlarge = strtoul(optarg, NULL, 0); break;
		case 'P': large_pct = strtoul(optarg, NULL, 0); break;
		case 'x': dry = true; break;
		default:
			fprintf(stderr, "usage: bgpgen [-b SRC] -c DUT -f TABLE.gz -n PATHS [-a AS] [-i RID] [-N NH] "
					"[-H HOLD] [-s SMALL] [-w GOFILE] [-V VRFS [-L LARGE] [-P PERCENT]] "
					"[-W WDFILE] [-x]\n");
			return 2;
		}
	}
	if (dut == NULL || (table == NULL && sink_target == 0) || addr4_parse(dut, &dutaddr) != 0 ||
	    small == 0) {
		fprintf(stderr, "bgpgen: -c DUT_ADDR and -f TABLE required\n");
		return 2;
	}
	if (nvrf > 0 && (nvrf > npaths || large_pct > 100 || nvrf > 0xffffffu)) {
		fprintf(stderr, "bgpgen: -V needs 1 <= VRFS <= PATHS and -P <= 100\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_sig);
	signal(SIGINT, on_sig);

	/* connect first: the local address is the next hop and router id */
	if (dry && sink_target == 0)
		goto paths;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(BGP_PORT);
	sin.sin_addr.s_addr = htonl(dutaddr);
	for (i = 0;; i++) {
		if (bindaddr != 0) {
			memset(&me, 0, sizeof(me));
			me.sin_family = AF_INET;
			me.sin_addr.s_addr = htonl(bindaddr);
			if (bind(fd, (struct sockaddr *)&me, sizeof(me)) != 0)
				die("bind");
		}
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			break;
		if (i >= 100)
			die("connect");
		close(fd);
		usleep(100000);
		fd = socket(AF_INET, SOCK_STREAM, 0);
	}
	getsockname(fd, (struct sockaddr *)&me, &melen);
	if (rid == 0)
		rid = ntohl(me.sin_addr.s_addr);
	if (nh == 0)
		nh = ntohl(me.sin_addr.s_addr);

	if (sink_target > 0)
		return sink_main(fd, as, hold, rid);

paths:
	/* the paths */
	pfx = read_table(table, &npfx);
	if (npfx == 0) {
		fprintf(stderr, "bgpgen: no IPv4 prefix in %s\n", table);
		return 1;
	}
	nl = calloc(npaths, sizeof(*nl));
	if (nl == NULL)
		die("calloc");
	/* 10 big RDs with 8 % of the paths each, then small RDs of `small`
	 * paths; within an RD the prefixes are consecutive table entries (so
	 * distinct while an RD holds no more than the table), label 16 + RD
	 * index, RD 65000:(index + 1) */
	big_each = npaths * 8 / 100;
	if (big_each > npfx)
		big_each = npfx;
	if (nvrf > 0) {
		/* -V: VRF v (0-based) holds vsize[v] paths from nl[vstart[v]],
		 * RD AS:(v + 1), label 16 + v */
		unsigned long v, pi = 0;

		vsize = vrf_sizes(npaths, nvrf, nlarge, large_pct);
		vstart = calloc(nvrf, sizeof(*vstart));
		if (vstart == NULL)
			die("calloc");
		for (v = 0, p = 0; v < nvrf; v++) {
			unsigned long k;

			if (vsize[v] > npfx) {
				fprintf(stderr, "bgpgen: VRF %lu would hold %lu paths, more than the "
						"table's %zu prefixes\n", v + 1, vsize[v], npfx);
				return 2;
			}
			vstart[v] = p;
			for (k = 0; k < vsize[v]; k++, p++, pi++) {
				nl[p].p.rd.b[0] = 0;
				nl[p].p.rd.b[1] = RD_TYPE_AS2;
				nl[p].p.rd.b[2] = (uint8_t)(as >> 8);
				nl[p].p.rd.b[3] = (uint8_t)as;
				nl[p].p.rd.b[4] = (uint8_t)((v + 1) >> 24);
				nl[p].p.rd.b[5] = (uint8_t)((v + 1) >> 16);
				nl[p].p.rd.b[6] = (uint8_t)((v + 1) >> 8);
				nl[p].p.rd.b[7] = (uint8_t)(v + 1);
				nl[p].p.pfx = prefix_from4(&pfx[pi % npfx]);
				nl[p].nlabels = 1;
				nl[p].labels[0] = (mpls_label_t)(16 + v);
			}
		}
		rds = nvrf;
	} else {
		unsigned long left_in_rd = 0, rdi = 0, pi = 0;

		for (p = 0; p < npaths; p++) {
			if (left_in_rd == 0) {
				rdi = rds++;
				left_in_rd = rdi < 10 ? big_each : small;
				if (left_in_rd == 0)
					left_in_rd = small;
			}
			nl[p].p.rd.b[0] = 0;
			nl[p].p.rd.b[1] = RD_TYPE_AS2;
			nl[p].p.rd.b[2] = (uint8_t)(as >> 8);
			nl[p].p.rd.b[3] = (uint8_t)as;
			nl[p].p.rd.b[4] = (uint8_t)((rdi + 1) >> 24);
			nl[p].p.rd.b[5] = (uint8_t)((rdi + 1) >> 16);
			nl[p].p.rd.b[6] = (uint8_t)((rdi + 1) >> 8);
			nl[p].p.rd.b[7] = (uint8_t)(rdi + 1);
			nl[p].p.pfx = prefix_from4(&pfx[pi % npfx]);
			nl[p].nlabels = 1;
			nl[p].labels[0] = (mpls_label_t)(16 + rdi);
			pi++;
			left_in_rd--;
		}
	}
	bgp_attr_init(&attr);
	if (ecomm_parse("65000:1", ECOMM_SUB_RT, &rt, err, sizeof(err)) != 0) {
		fprintf(stderr, "bgpgen: %s\n", err);
		return 1;
	}
	attr.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		       BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) | BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES);
	attr.origin = BGP_ORIGIN_IGP;
	attr.aspath_len = 0;
	attr.aspath = NULL;
	attr.local_pref = 100;
	attr.nexthop = ipaddr_v4(nh);
	attr.necomms = 1;
	attr.ecomms = &rt;
	/* without -V one run over every path (one RT); with -V one per VRF,
	 * each with its own RT */
	for (unsigned long v = 0; v < (nvrf > 0 ? nvrf : 1); v++) {
		unsigned long end = nvrf > 0 ? vstart[v] + vsize[v] : npaths;

		p = nvrf > 0 ? vstart[v] : 0;
		if (nvrf > 0) {
			char rts[32];

			snprintf(rts, sizeof(rts), "%u:%lu", as, v + 1);
			if (ecomm_parse(rts, ECOMM_SUB_RT, &rt, err, sizeof(err)) != 0) {
				fprintf(stderr, "bgpgen: RT %s: %s\n", rts, err);
				return 1;
			}
		}
		while (p < end) {
			int k;

			w = wbuf_init_fixed(msg, sizeof(msg));
			k = bgp_update_encode_reach(&w, BGP_AF_VPNV4, &attr, nl + p,
						    (int)(end - p > 100000 ? 100000 : end - p), true);
			if (k < 1) {
				fprintf(stderr, "bgpgen: encode failed at path %lu\n", p);
				return 1;
			}
			out_put(&o, wbuf_data(&w), wbuf_len(&w));
			nmsgs++;
			p += (unsigned long)k;
		}
	}
	w = wbuf_init_fixed(msg, sizeof(msg));
	if (bgp_update_encode_eor(&w, BGP_AF_VPNV4) != 0) {
		fprintf(stderr, "bgpgen: EoR encode failed\n");
		return 1;
	}
	out_put(&o, wbuf_data(&w), wbuf_len(&w));
	if (nvrf > 0) {
		unsigned long v;

		printf("vrfs %lu large %lu\n", nvrf, nlarge < nvrf ? nlarge : nvrf);
		for (v = 0; v < nvrf; v++)
			printf("vrf %lu %lu\n", v + 1, vsize[v]);
	}
	printf("updates %lu bytes %zu paths %lu rds %lu table %zu\n", nmsgs, o.len, npaths, rds, npfx);
	if (rds > 10 && nvrf == 0) {
		char pb[PREFIX4_STRLEN];

		/* the first path of the first small RD (65000:11), for a spot check */
		struct prefix4 fs = prefix_to4(&nl[10 * big_each].p.pfx);

		printf("first_small %s\n", prefix4_ntop(&fs, pb, sizeof(pb)));
	}
	fflush(stdout);
	if (dry)
		return 0;

	open_session(fd, &rx, as, hold, rid, msg, &w);
	last_ka = mono();

	/* wait for the go signal, session kept up */
	while (gofile != NULL && !stop && access(gofile, F_OK) != 0) {
		struct pollfd pf = { fd, POLLIN, 0 };

		if (poll(&pf, 1, 20) > 0 && rx_read(fd, &rx) == -1)
			return 1;
		if (mono() - last_ka > 30) {
			send_all(fd, wbuf_data(&w), wbuf_len(&w));
			last_ka = mono();
		}
	}

	/* the stream: everything as fast as TCP takes it, reading meanwhile */
	t0 = now();
	printf("first_byte %.6f\n", t0);
	fflush(stdout);
	while (sent < o.len && !stop) {
		struct pollfd pf = { fd, POLLIN | POLLOUT, 0 };

		if (poll(&pf, 1, 1000) < 0)
			continue;
		if ((pf.revents & (POLLIN | POLLHUP | POLLERR)) && rx_read(fd, &rx) == -1)
			return 1;
		if (pf.revents & POLLOUT) {
			ssize_t r = write(fd, o.p + sent, o.len - sent);

			if (r < 0 && errno != EAGAIN && errno != EINTR)
				die("write");
			if (r > 0)
				sent += (size_t)r;
		}
		if (mono() - last_ka > 30) {
			/* only between messages: keepalives wait for the end */
			last_ka = mono();
		}
	}
	t1 = now();
	printf("last_byte %.6f\n", t1);
	fflush(stdout);

	/* keep the session up */
	while (!stop) {
		struct pollfd pf = { fd, POLLIN, 0 };

		if (poll(&pf, 1, wdfile != NULL && !withdrawn ? 50 : 1000) > 0 &&
		    rx_read(fd, &rx) == -1)
			return 1;
		if (wdfile != NULL && !withdrawn && access(wdfile, F_OK) == 0) {
			for (p = 0; p < npaths;) {
				int k;

				w = wbuf_init_fixed(msg, sizeof(msg));
				k = bgp_update_encode_withdraw(&w, BGP_AF_VPNV4, nl + p,
							       (int)(npaths - p > 100000 ? 100000 : npaths - p));
				if (k < 1) {
					fprintf(stderr, "bgpgen: withdraw encode failed at path %lu\n", p);
					return 1;
				}
				send_all(fd, wbuf_data(&w), wbuf_len(&w));
				p += (unsigned long)k;
			}
			withdrawn = true;
			printf("withdrawn %.6f\n", now());
			fflush(stdout);
			w = wbuf_init_fixed(msg, sizeof(msg));
			bgp_keepalive_encode(&w); /* w is the KEEPALIVE again */
		}
		if (mono() - last_ka > 30) {
			send_all(fd, wbuf_data(&w), wbuf_len(&w));
			last_ka = mono();
		}
	}
	close(fd);
	return 0;
}
