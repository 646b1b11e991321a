/* rtcpe: N PE clients of a route reflector in one process, for the
 * RT-Constrain benchmark (bench/rtc/run.sh). Session i (0..N-1) connects
 * from BASE + i to the reflector, opens iBGP with VPN-IPv4 (and, with -r,
 * the RTC family, RFC 4684), sends its VPN-IPv4 End-of-RIB and, with -r,
 * one route target membership (origin AS, RT AS:(i+1)) then the RTC
 * End-of-RIB. It reads everything the reflector sends: bytes and VPN-IPv4
 * NLRI (announced minus withdrawn) per session, and answers KEEPALIVEs.
 * Every 0.2 s it rewrites STATUS (-s) with one line:
 *   "established E bytes B nlri R updates U last_rx EPOCH"
 * (totals over the sessions, E of them Established) for the runner.
 *
 *   rtcpe -c RR_ADDR -b BASE_ADDR -n N [-a AS] [-r] [-s STATUS] [-H HOLD]
 *
 * Runs until SIGTERM/SIGINT. The addresses BASE..BASE+N-1 must be on a
 * local interface. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/wbuf.h"
#include "mpbgp/wire.h"

#define MAXS 1024

struct sess {
	int fd;
	uint8_t buf[2 * BGP_MAX_MSG];
	size_t len;
	bool open_rcvd, up;
	uint64_t bytes, nlri, updates;
};

static volatile sig_atomic_t stop;
static struct sess s[MAXS];
static int n = 0;
static uint32_t as = 65000;
static bool rtc;

static void on_sig(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void send_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pf = { fd, POLLOUT, 0 };

			poll(&pf, 1, 100);
			continue;
		}
		if (w <= 0) {
			perror("rtcpe: write");
			exit(1);
		}
		p += w;
		len -= (size_t)w;
	}
}

static void send_wbuf(int fd, struct wbuf *w)
{
	send_all(fd, wbuf_data(w), wbuf_len(w));
}

/* Established: VPN-IPv4 End-of-RIB, our membership and the RTC End-of-RIB */
static void on_up(int i)
{
	uint8_t buf[BGP_MAX_MSG];
	struct wbuf w = wbuf_init_fixed(buf, sizeof(buf));
	struct bgp_attr a;
	struct ipaddr nh;
	struct sockaddr_in me;
	socklen_t sl = sizeof(me);

	bgp_update_encode_eor(&w, BGP_AF_VPNV4);
	send_wbuf(s[i].fd, &w);
	if (!rtc)
		return;
	getsockname(s[i].fd, (struct sockaddr *)&me, &sl);
	nh = ipaddr_v4(ntohl(me.sin_addr.s_addr));
	bgp_attr_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		    BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	a.origin = BGP_ORIGIN_IGP;
	a.local_pref = 100;
	{
		/* route target AS:(i+1), type 0 (2-octet AS), subtype 2 */
		struct bgp_rtc r = { 96, as, { 0x00, 0x02, (uint8_t)(as >> 8), (uint8_t)as, 0, 0,
					       (uint8_t)((i + 1) >> 8), (uint8_t)(i + 1) } };

		w = wbuf_init_fixed(buf, sizeof(buf));
		if (bgp_update_encode_rtc(&w, &a, true, &nh, &r, 1, NULL, 0) != 0) {
			fprintf(stderr, "rtcpe: encode\n");
			exit(1);
		}
		send_wbuf(s[i].fd, &w);
	}
	bgp_attr_clear(&a);
	w = wbuf_init_fixed(buf, sizeof(buf));
	bgp_update_encode_rtc(&w, NULL, true, &nh, NULL, 0, NULL, 0); /* End-of-RIB */
	send_wbuf(s[i].fd, &w);
}

static void on_update(int i, const uint8_t *body, size_t len)
{
	static struct bgp_decode_ctx ctx;
	struct bgp_update u;

	ctx.as4 = true;
	ctx.local_as = as;
	ctx.peer_as = as;
	ctx.af[BGP_AF_VPNV4] = true;
	bgp_update_init(&u);
	bgp_update_decode(body, len, &ctx, &u);
	s[i].nlri += (uint64_t)u.reach[BGP_AF_VPNV4].n;
	s[i].nlri -= (uint64_t)u.withdrawn[BGP_AF_VPNV4].n;
	s[i].updates++;
	bgp_update_free(&u);
}

static int rx(int i)
{
	struct sess *x = &s[i];
	ssize_t r = read(x->fd, x->buf + x->len, sizeof(x->buf) - x->len);
	size_t off = 0;

	if (r == 0) {
		fprintf(stderr, "rtcpe: session %d closed by the peer\n", i);
		return -1;
	}
	if (r < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	x->len += (size_t)r;
	x->bytes += (uint64_t)r;
	while (x->len - off >= BGP_HDR_LEN) {
		uint16_t mlen = (uint16_t)(x->buf[off + 16] << 8 | x->buf[off + 17]);
		uint8_t type = x->buf[off + 18];

		if (mlen < BGP_HDR_LEN || mlen > BGP_MAX_MSG)
			return -1;
		if (x->len - off < mlen)
			break;
		if (type == BGP_MSG_OPEN) {
			uint8_t ka[BGP_HDR_LEN];
			struct wbuf w = wbuf_init_fixed(ka, sizeof(ka));

			x->open_rcvd = true;
			bgp_keepalive_encode(&w);
			send_wbuf(x->fd, &w);
		} else if (type == BGP_MSG_KEEPALIVE && x->open_rcvd && !x->up) {
			x->up = true;
			on_up(i);
		} else if (type == BGP_MSG_UPDATE) {
			on_update(i, x->buf + off + BGP_HDR_LEN, mlen - BGP_HDR_LEN);
		} else if (type == BGP_MSG_NOTIFICATION) {
			fprintf(stderr, "rtcpe: session %d: NOTIFICATION %u/%u\n", i,
				mlen > 19 ? x->buf[off + 19] : 0, mlen > 20 ? x->buf[off + 20] : 0);
			return -1;
		}
		off += mlen;
	}
	memmove(x->buf, x->buf + off, x->len - off);
	x->len -= off;
	return 0;
}

int main(int argc, char **argv)
{
	const char *rr = NULL, *base = NULL, *status = NULL;
	unsigned hold = 180;
	struct in_addr b;
	double last_st = 0, last_ka = 0, last_rx = 0;
	int c;

	while ((c = getopt(argc, argv, "c:b:n:a:rs:H:")) != -1) {
		switch (c) {
		case 'c': rr = optarg; break;
		case 'b': base = optarg; break;
		case 'n': n = atoi(optarg); break;
		case 'a': as = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'r': rtc = true; break;
		case 's': status = optarg; break;
		case 'H': hold = (unsigned)atoi(optarg); break;
		default: return 2;
		}
	}
	if (rr == NULL || base == NULL || n < 1 || n > MAXS || inet_pton(AF_INET, base, &b) != 1) {
		fprintf(stderr, "usage: rtcpe -c RR_ADDR -b BASE_ADDR -n N [-a AS] [-r] [-s STATUS] [-H HOLD]\n");
		return 2;
	}
	signal(SIGTERM, on_sig);
	signal(SIGINT, on_sig);
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < n; i++) {
		struct sockaddr_in me = { 0 }, to = { 0 };
		uint8_t msg[BGP_MAX_MSG];
		struct wbuf w = wbuf_init_fixed(msg, sizeof(msg));
		struct bgp_capa capa;
		uint32_t addr = ntohl(b.s_addr) + (uint32_t)i;

		s[i].fd = socket(AF_INET, SOCK_STREAM, 0);
		me.sin_family = AF_INET;
		me.sin_addr.s_addr = htonl(addr);
		to.sin_family = AF_INET;
		to.sin_port = htons(179);
		inet_pton(AF_INET, rr, &to.sin_addr);
		if (bind(s[i].fd, (struct sockaddr *)&me, sizeof(me)) != 0 ||
		    connect(s[i].fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
			perror("rtcpe: bind/connect");
			return 1;
		}
		memset(&capa, 0, sizeof(capa));
		capa.mp[BGP_AF_VPNV4] = true;
		capa.rtc = rtc;
		capa.as4 = true;
		capa.as4_asn = as;
		capa.route_refresh = true;
		bgp_open_encode(&w, as, (uint16_t)hold, addr, &capa);
		send_wbuf(s[i].fd, &w);
		fcntl(s[i].fd, F_SETFL, fcntl(s[i].fd, F_GETFL) | O_NONBLOCK);
	}
	while (!stop) {
		struct pollfd pf[MAXS];
		double t;

		for (int i = 0; i < n; i++) {
			pf[i].fd = s[i].fd;
			pf[i].events = POLLIN;
			pf[i].revents = 0;
		}
		if (poll(pf, (nfds_t)n, 100) > 0)
			for (int i = 0; i < n; i++)
				if (pf[i].revents) {
					if (rx(i) != 0)
						return 1;
					last_rx = now();
				}
		t = now();
		if (t - last_ka > hold / 3.0) {
			uint8_t ka[BGP_HDR_LEN];
			struct wbuf w = wbuf_init_fixed(ka, sizeof(ka));

			bgp_keepalive_encode(&w);
			for (int i = 0; i < n; i++)
				if (s[i].up)
					send_wbuf(s[i].fd, &w);
			last_ka = t;
		}
		if (status != NULL && t - last_st >= 0.2) {
			uint64_t bytes = 0, nlri = 0, upd = 0;
			int up = 0;
			char tmp[4200];
			FILE *fp;

			for (int i = 0; i < n; i++) {
				bytes += s[i].bytes;
				nlri += s[i].nlri;
				upd += s[i].updates;
				up += s[i].up;
			}
			snprintf(tmp, sizeof(tmp), "%s.tmp", status);
			if ((fp = fopen(tmp, "w")) != NULL) {
				fprintf(fp, "established %d bytes %llu nlri %llu updates %llu last_rx %.3f\n", up,
					(unsigned long long)bytes, (unsigned long long)nlri,
					(unsigned long long)upd, last_rx);
				fclose(fp);
				rename(tmp, status);
			}
			last_st = t;
		}
	}
	return 0;
}
