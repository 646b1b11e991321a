/* ldpgen: targeted-LDP label mapping generator for benchmark D
 * (BENCHMARK-METHODS.md, bench/README.md). One instance = one LDP session.
 *
 *   ldpgen -l LOCAL -d DUT -r DUT_LSR_ID -n FECS [-p PLEN] [-b BASE]
 *          [-w GOFILE] [-W WITHDRAWFILE]
 *
 * The LSR ID and transport address are LOCAL (pick it above the DUT's
 * transport address, so this side is the active one, RFC 5036 2.5.2).
 * Sends extended (targeted) Hellos to DUT:646 every 5 s from LOCAL:646,
 * connects to DUT:646 (retrying every 20 ms until the DUT accepts the
 * session), exchanges Initialization and KeepAlive, sends an Address
 * message with LOCAL, then waits for GOFILE to exist and writes FECS Label
 * Mappings (one prefix FEC each, PLEN-bit prefixes from BASE upwards,
 * labels 16, 17, ...) packed into 4096-byte PDUs with ldp/wire.h's PDU
 * builder, all pre-encoded before the session opens, then a Label Request
 * for 192.0.2.1/32 (no route at the DUT: it answers with a No Route
 * Notification after everything before it, the end marker). When
 * WITHDRAWFILE appears it writes a Label Withdraw (FEC + label) for every
 * mapping the same way, then a Label Request for 192.0.2.2/32. Answers the session with a KeepAlive every 30 s and keeps it
 * up until SIGTERM/SIGINT; reads and counts what the DUT sends.
 *
 * Output lines on stdout (for run.sh): "pdus P bytes B", "established
 * EPOCH setup SECONDS attempts N" (first Hello sent -> the DUT's KeepAlive
 * after the Initialization exchange), "first_byte EPOCH", "last_byte
 * EPOCH", "done EPOCH" (the first No Route Notification arrived),
 * "wd_first_byte EPOCH", "wd_last_byte EPOCH", "wd_done EPOCH" (the
 * second), "notification EPOCH NAME STATUS" (any other Notification), "closed EPOCH" and at exit "rx mappings M withdraws W
 * releases R notifications N". Exit status 2 when the session dropped. */
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

#include "ldp/wire.h"
#include "lib/wbuf.h"

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

static void die(const char *m)
{
	fprintf(stderr, "ldpgen: %s: %s\n", m, strerror(errno));
	exit(1);
}

static uint32_t laddr, daddr, drid, msgid = 1;
static struct ldp_id myid;

/* Encodes a whole stream of label messages of one type into pdus. */
static struct wbuf *encode_labels(uint16_t type, long n, uint32_t base, int plen, long *npdu,
				  uint32_t marker)
{
	struct wbuf *w = wbuf_new_max(1 << 16, (size_t)1 << 34);
	struct ldp_pdu_builder pb;
	struct ldp_fec fec = { .type = LDP_FEC_PREFIX };
	struct ldp_msg m;
	uint32_t step = plen >= 32 ? 1u : 1u << (32 - plen);

	*npdu = 0;
	if (ldp_pdu_begin(&pb, w, &myid, LDP_MAX_PDU_DEFAULT, &msgid) < 0)
		abort();
	for (long i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		m.type = type;
		fec.pfx.addr = base + (uint32_t)i * step;
		fec.pfx.len = (uint8_t)plen;
		m.u_.label.nfec = 1;
		m.u_.label.fecs = &fec;
		m.u_.label.has_label = true;
		m.u_.label.label = 16 + (mpls_label_t)i;
		if (ldp_pdu_add(&pb, &m) < 0) {
			if (ldp_pdu_finish(&pb) < 0 || ldp_pdu_begin(&pb, w, &myid, LDP_MAX_PDU_DEFAULT, &msgid) < 0 ||
			    ldp_pdu_add(&pb, &m) < 0) {
				fprintf(stderr, "ldpgen: encode failed\n");
				exit(1);
			}
			(*npdu)++;
		}
	}
	if (ldp_pdu_finish(&pb) > 0)
		(*npdu)++;
	/* the marker: a Label Request for a FEC without a route, in a PDU of
	 * its own after the stream. The DUT answers it with a No Route
	 * Notification once it has processed everything before it (a session
	 * is processed in order), which times the stream without querying
	 * the DUT. */
	memset(&m, 0, sizeof(m));
	m.type = LDP_MSG_LABEL_REQUEST;
	fec.pfx.addr = marker;
	fec.pfx.len = 32;
	m.u_.label.nfec = 1;
	m.u_.label.fecs = &fec;
	if (ldp_pdu_begin(&pb, w, &myid, LDP_MAX_PDU_DEFAULT, &msgid) < 0 || ldp_pdu_add(&pb, &m) < 0 ||
	    ldp_pdu_finish(&pb) < 0) {
		fprintf(stderr, "ldpgen: encode failed\n");
		exit(1);
	}
	return w;
}

/* One small PDU (Init, KeepAlive, Address, Hello) into buf. */
static int one_pdu(uint8_t *buf, size_t len, struct ldp_msg *m)
{
	struct wbuf w = wbuf_init_fixed(buf, len);
	struct ldp_pdu_builder pb;

	if (ldp_pdu_begin(&pb, &w, &myid, LDP_MAX_PDU_DEFAULT, &msgid) < 0 || ldp_pdu_add(&pb, m) < 0)
		abort();
	return ldp_pdu_finish(&pb);
}

static void send_hello(int us)
{
	uint8_t buf[128];
	struct ldp_msg m = { .type = LDP_MSG_HELLO };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(LDP_PORT) };
	int n;

	m.u_.hello.holdtime = 45;
	m.u_.hello.flags = LDP_HELLO_T;
	m.u_.hello.has_trans_addr = true;
	m.u_.hello.trans_addr = laddr;
	n = one_pdu(buf, sizeof(buf), &m);
	sin.sin_addr.s_addr = htonl(daddr);
	if (sendto(us, buf, (size_t)n, 0, (struct sockaddr *)&sin, sizeof(sin)) != n)
		perror("ldpgen: hello");
}

static void write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n > 0) {
		ssize_t r = write(fd, b, n);

		if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pf = { fd, POLLOUT, 0 };

			poll(&pf, 1, 100);
			continue;
		}
		if (r <= 0)
			die("write");
		b += r;
		n -= (size_t)r;
	}
}

static void send_small(int fd, struct ldp_msg *m)
{
	uint8_t buf[256];
	int n = one_pdu(buf, sizeof(buf), m);

	write_all(fd, buf, (size_t)n);
}

static long rx_map, rx_wd, rx_rel, rx_notif, rx_noroute;

/* Reads what is there; sets seen_init / seen_ka when those arrive,
 * -1 on EOF or a bad stream. */
static uint8_t rbuf[1 << 17];
static size_t rlen;

static int read_stream(int fd, bool *seen_init, bool *seen_ka)
{
	ssize_t r = read(fd, rbuf + rlen, sizeof(rbuf) - rlen);

	if (r == 0)
		return -1;
	if (r < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	rlen += (size_t)r;
	for (;;) {
		struct wbuf b = wbuf_from(rbuf, rlen), msgs;
		struct ldp_err err;
		struct ldp_pdu_hdr h;
		struct ldp_msg m;
		size_t total;
		int k = ldp_pdu_peek(&b, 65535, &total, &err);

		if (k < 0) {
			fprintf(stderr, "ldpgen: bad PDU from DUT: %s\n", err.reason);
			return -1;
		}
		if (k == 0)
			break;
		if (ldp_pdu_open(&b, 65535, NULL, &h, &msgs, &err) < 0) {
			fprintf(stderr, "ldpgen: bad PDU from DUT: %s\n", err.reason);
			return -1;
		}
		memset(&m, 0, sizeof(m));
		while ((k = ldp_msg_next(&msgs, &m, &err)) != 0) {
			if (k < 0) {
				fprintf(stderr, "ldpgen: message from DUT: %s\n", err.reason);
				if (ldp_status_fatal(err.status))
					break;
				continue;
			}
			switch (m.type) {
			case LDP_MSG_INIT:
				*seen_init = true;
				break;
			case LDP_MSG_KEEPALIVE:
				*seen_ka = true;
				break;
			case LDP_MSG_LABEL_MAPPING:
				rx_map++;
				break;
			case LDP_MSG_LABEL_WITHDRAW:
				rx_wd++;
				break;
			case LDP_MSG_LABEL_RELEASE:
				rx_rel++;
				break;
			case LDP_MSG_NOTIFICATION:
				rx_notif++;
				if ((m.u_.notif.status & ~LDP_STATUS_F) == LDP_ST_NO_ROUTE) {
					rx_noroute++;
					printf("%s %.6f\n", rx_noroute == 1 ? "done" : "wd_done", now());
				} else {
					printf("notification %.6f %s 0x%08x\n", now(),
					       ldp_status_name(m.u_.notif.status), m.u_.notif.status);
				}
				fflush(stdout);
				break;
			default:
				break;
			}
			ldp_msg_clear(&m);
		}
		ldp_msg_clear(&m);
		memmove(rbuf, rbuf + total, rlen - total);
		rlen -= total;
	}
	return 0;
}

static int tcp_try(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in sin = { .sin_family = AF_INET };

	if (fd < 0)
		die("socket");
	sin.sin_addr.s_addr = htonl(laddr);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("bind tcp");
	sin.sin_addr.s_addr = htonl(daddr);
	sin.sin_port = htons(LDP_PORT);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int main(int argc, char **argv)
{
	const char *gofile = NULL, *wdfile = NULL;
	long n = 0, npdu, nwpdu;
	int plen = 32, c, us, fd = -1, attempts = 0, one = 1;
	uint32_t base = 0x64400000; /* 100.64.0.0 */
	struct wbuf *maps, *wds;
	double t0, last_hello, last_ka;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(LDP_PORT) };
	bool seen_init = false, seen_ka = false, dropped = false;

	while ((c = getopt(argc, argv, "l:d:r:n:p:b:w:W:")) != -1) {
		struct in_addr a;

		switch (c) {
		case 'l':
		case 'd':
		case 'r':
		case 'b':
			if (inet_pton(AF_INET, optarg, &a) != 1) {
				fprintf(stderr, "ldpgen: bad address %s\n", optarg);
				return 1;
			}
			if (c == 'l')
				laddr = ntohl(a.s_addr);
			else if (c == 'd')
				daddr = ntohl(a.s_addr);
			else if (c == 'r')
				drid = ntohl(a.s_addr);
			else
				base = ntohl(a.s_addr);
			break;
		case 'n':
			n = atol(optarg);
			break;
		case 'p':
			plen = atoi(optarg);
			break;
		case 'w':
			gofile = optarg;
			break;
		case 'W':
			wdfile = optarg;
			break;
		default:
			fprintf(stderr, "usage: ldpgen -l LOCAL -d DUT -r DUT_LSR_ID -n FECS [-p PLEN] "
					"[-b BASE] [-w GOFILE] [-W WITHDRAWFILE]\n");
			return 1;
		}
	}
	if (!laddr || !daddr || n <= 0 || plen < 8 || plen > 32) {
		fprintf(stderr, "ldpgen: -l, -d and -n are required\n");
		return 1;
	}
	if (!drid)
		drid = daddr;
	myid.lsr_id = laddr;
	myid.lspace = 0;
	signal(SIGTERM, on_sig);
	signal(SIGINT, on_sig);
	signal(SIGPIPE, SIG_IGN);

	maps = encode_labels(LDP_MSG_LABEL_MAPPING, n, base, plen, &npdu, 0xc0000201); /* 192.0.2.1 */
	wds = encode_labels(LDP_MSG_LABEL_WITHDRAW, n, base, plen, &nwpdu, 0xc0000202);
	printf("pdus %ld bytes %zu withdraw_pdus %ld bytes %zu\n", npdu, wbuf_len(maps), nwpdu,
	       wbuf_len(wds));
	fflush(stdout);

	us = socket(AF_INET, SOCK_DGRAM, 0);
	if (us < 0)
		die("udp socket");
	setsockopt(us, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_addr.s_addr = htonl(laddr);
	if (bind(us, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("bind udp");
	fcntl(us, F_SETFL, O_NONBLOCK);

	t0 = now();
	send_hello(us);
	last_hello = t0;
	/* session: connect (retrying) and Initialization exchange */
	while (!stop && !seen_ka) {
		struct pollfd pf[2];
		struct ldp_msg m;
		double t;

		if (fd < 0) {
			attempts++;
			fd = tcp_try();
			if (fd < 0) {
				usleep(20000);
				goto hello;
			}
			memset(&m, 0, sizeof(m));
			m.type = LDP_MSG_INIT;
			m.u_.init.proto_version = LDP_VERSION;
			m.u_.init.keepalive = 180;
			m.u_.init.max_pdu = LDP_MAX_PDU_DEFAULT;
			m.u_.init.receiver.lsr_id = drid;
			m.u_.init.receiver.lspace = 0;
			send_small(fd, &m);
			seen_init = false;
			rlen = 0;
		}
		pf[0] = (struct pollfd){ fd, POLLIN, 0 };
		if (poll(pf, 1, 100) > 0) {
			bool had_init = seen_init;

			if (read_stream(fd, &seen_init, &seen_ka) < 0) {
				close(fd);
				fd = -1;
				seen_ka = false;
				usleep(20000);
			} else if (seen_init && !had_init) {
				memset(&m, 0, sizeof(m));
				m.type = LDP_MSG_KEEPALIVE;
				send_small(fd, &m);
			}
		}
	hello:
		t = now();
		if (t - last_hello >= 5) {
			send_hello(us);
			last_hello = t;
		}
	}
	if (stop)
		return 0;
	{
		struct ldp_msg m = { .type = LDP_MSG_ADDRESS };
		uint32_t a = laddr;

		m.u_.addr.family = LDP_AF_IPV4;
		m.u_.addr.naddr = 1;
		m.u_.addr.addrs = &a;
		send_small(fd, &m);
	}
	printf("established %.6f setup %.6f attempts %d\n", now(), now() - t0, attempts);
	fflush(stdout);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	last_ka = now();

	/* operational: go -> mappings, withdraw file -> withdraws */
	{
		struct wbuf *cur = NULL;
		size_t off = 0;
		int phase = 0; /* 0 wait go, 1 sending maps, 2 wait wd, 3 sending wd, 4 done */

		while (!stop) {
			struct pollfd pf = { fd, POLLIN, 0 };
			struct stat st;
			double t = now();

			if (phase == 0 && (!gofile || stat(gofile, &st) == 0)) {
				cur = maps;
				off = 0;
				phase = 1;
				printf("first_byte %.6f\n", now());
				fflush(stdout);
			} else if (phase == 2 && wdfile && stat(wdfile, &st) == 0) {
				cur = wds;
				off = 0;
				phase = 3;
				printf("wd_first_byte %.6f\n", now());
				fflush(stdout);
			}
			if (phase == 1 || phase == 3)
				pf.events |= POLLOUT;
			if (poll(&pf, 1, (phase == 1 || phase == 3) ? 100 : 10) < 0 && errno != EINTR)
				die("poll");
			if (pf.revents & (POLLIN | POLLHUP | POLLERR)) {
				if (read_stream(fd, &seen_init, &seen_ka) < 0) {
					printf("closed %.6f\n", now());
					dropped = true;
					break;
				}
			}
			if ((pf.revents & POLLOUT) && cur) {
				ssize_t r = write(fd, (const uint8_t *)wbuf_data(cur) + off, wbuf_len(cur) - off);

				if (r > 0)
					off += (size_t)r;
				else if (r < 0 && errno != EAGAIN && errno != EINTR) {
					printf("closed %.6f\n", now());
					dropped = true;
					break;
				}
				if (off == wbuf_len(cur)) {
					printf("%s %.6f\n", phase == 1 ? "last_byte" : "wd_last_byte", now());
					fflush(stdout);
					cur = NULL;
					phase++;
				}
			}
			/* KeepAlives and Hellos only between bulk streams (PDU
			 * boundaries); a stream takes seconds, the hold times are
			 * 45 s (hello) and 180 s (session). */
			if (!cur && t - last_ka >= 30) {
				struct ldp_msg m = { .type = LDP_MSG_KEEPALIVE };

				fcntl(fd, F_SETFL, 0);
				send_small(fd, &m);
				fcntl(fd, F_SETFL, O_NONBLOCK);
				last_ka = t;
			}
			if (!cur && t - last_hello >= 5) {
				send_hello(us);
				last_hello = t;
			}
			{
				char d[512];

				while (recv(us, d, sizeof(d), MSG_DONTWAIT) > 0)
					;
			}
		}
	}
	printf("rx mappings %ld withdraws %ld releases %ld notifications %ld\n", rx_map, rx_wd, rx_rel,
	       rx_notif);
	fflush(stdout);
	return dropped ? 2 : 0;
}
