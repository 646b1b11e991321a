/* A one-peer BGP speaker for interop tests of the session layer
 * (mpbgp/session.c, fsm.c) against other implementations: configures one
 * neighbor from the command line, listens (0.0.0.0 or -l address), prints
 * every state change on stdout, and exits 0 once the session has stayed
 * Established for -w seconds (KEEPALIVEs exchanged), 1 on timeout.
 *
 *   bgp_harness -a 65000 -i 10.0.0.1 -n 10.0.0.2 -r 65001 [-s 10.0.0.1]
 *               [-H hold] [-P password] [-p port] [-l listen-addr] [-m ttl]
 *               [-t timeout] [-w seconds] [-q (passive)] [-N netns]
 * -N runs the session inside the named namespace through an nsfd (as a
 * VRF instance's peers do) while the process stays where it is. */
#include "config.h"

#include <arpa/inet.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/netns.h"
#include "mpbgp/session.h"

static struct event_base *base;
static struct bgp bgp;
static struct bgp_peer peer;
static time_t est_since;

static void on_state(struct bgp_peer *p, enum bgp_state from, enum bgp_state to)
{
	printf("state %s -> %s%s%s\n", bgp_state_name(from), bgp_state_name(to),
	       p->last_error[0] ? " last_error: " : "", p->last_error);
	fflush(stdout);
	est_since = to == BGP_ST_ESTABLISHED ? time(NULL) : 0;
}

static void on_update(struct bgp_peer *p, const uint8_t *body, size_t len)
{
	(void)p;
	(void)body;
	printf("update %zu bytes\n", len);
	fflush(stdout);
}

static const struct bgp_session_hooks hooks = {
	.state_change = on_state,
	.update = on_update,
};

static uint32_t addr(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "bad address %s\n", s);
		exit(2);
	}
	return ntohl(a.s_addr);
}

static void usage(void)
{
	fprintf(stderr, "usage: bgp_harness -a AS -i ID -n PEER -r REMOTE_AS [-s SRC] [-H HOLD] "
			"[-P PASSWORD] [-p PORT] [-l LISTEN] [-m TTL] [-t TIMEOUT] [-w SECS] [-q] "
			"[-N NETNS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint32_t listen_addr = 0;
	int timeout = 60, wait_est = 5, ch, nsfd = -1;
	time_t end;
	char err[160];

	memset(&peer, 0, sizeof(peer));
	peer.cfg.af_active[BGP_AF_IPV4_UNICAST] = true;
	peer.cfg.af_active[BGP_AF_VPNV4] = true;
	peer.cfg.connect_retry = 3;
	while ((ch = getopt(argc, argv, "a:i:n:r:s:H:P:p:l:m:t:w:qdN:")) != -1) {
		switch (ch) {
		case 'a': bgp.asn = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'i': bgp.router_id = addr(optarg); break;
		case 'n': peer.cfg.addr = ipaddr_v4(addr(optarg)); break;
		case 'r': peer.cfg.remote_as = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 's': peer.cfg.update_source_addr = ipaddr_v4(addr(optarg)); break;
		case 'H': peer.cfg.holdtime = (uint16_t)atoi(optarg); break;
		case 'P': snprintf(peer.cfg.password, sizeof(peer.cfg.password), "%s", optarg); break;
		case 'p': bgp_session_port = (uint16_t)atoi(optarg); break;
		case 'l': listen_addr = addr(optarg); break;
		case 'm': peer.cfg.ebgp_multihop = (uint8_t)atoi(optarg); break;
		case 't': timeout = atoi(optarg); break;
		case 'w': wait_est = atoi(optarg); break;
		case 'q': peer.cfg.passive = true; break;
		case 'd': log_init("bgp_harness", true, true); break;
		case 'N':
			nsfd = netns_open(optarg);
			if (nsfd == -1) {
				perror(optarg);
				return 2;
			}
			break;
		default: usage();
		}
	}
	if (bgp.asn == 0 || bgp.router_id == 0 || ipaddr_is_zero(&peer.cfg.addr) || peer.cfg.remote_as == 0)
		usage();
	bgp.holdtime = 180;
	bgp.keepalive = 60;
	bgp.peers = &peer;
	peer.bgp = &bgp;

	base = event_base_new();
	bgp_session_init(base, &hooks);
	if (bgp_listen_start_at(&bgp, nsfd, listen_addr, bgp_session_port, err, sizeof(err)) == -1) {
		fprintf(stderr, "listen: %s\n", err);
		return 1;
	}
	bgp_peer_start(&peer);
	end = time(NULL) + timeout;
	while (time(NULL) < end) {
		struct timeval tv = { 0, 200000 };

		event_base_loopexit(base, &tv);
		event_base_dispatch(base);
		if (est_since && time(NULL) - est_since >= wait_est) {
			printf("established for %d s: hold %u keepalive %u keepalives in %llu "
			       "vpnv4 %s as4 %s\n",
			       wait_est, peer.holdtime, peer.keepalive,
			       (unsigned long long)peer.cnt.msgs_in[BGP_MSG_KEEPALIVE],
			       peer.af_nego[BGP_AF_VPNV4] ? "yes" : "no", peer.as4 ? "yes" : "no");
			bgp_peer_free_session(&peer); /* Cease/3 */
			bgp_listen_stop(&bgp);
			event_base_free(base);
			return 0;
		}
	}
	printf("timeout in %s: %s\n", bgp_state_name(peer.state), peer.last_error);
	bgp_peer_free_session(&peer);
	bgp_listen_stop(&bgp);
	event_base_free(base);
	return 1;
}
