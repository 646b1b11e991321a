/* mpbgp/session.c + fsm.c over real TCP: two speakers in one process on
 * loopback addresses (127.0.0.1 and 127.0.0.2, same port). Establishment
 * (iBGP and eBGP), KEEPALIVE exchange, an UPDATE and a ROUTE-REFRESH
 * through the hooks, hold timer expiry (4/0), bad OPENs (2/2, 2/6),
 * simultaneous open (collision: exactly one session), TCP MD5 (same and
 * different keys), peer deletion (Cease/3), reset and clean restart,
 * connections from unknown addresses. Every wait is bounded. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/log.h"
#include "mpbgp/session.h"

#define ADDR_A 0x7f000001 /* 127.0.0.1 */
#define ADDR_B 0x7f000002 /* 127.0.0.2 */
#define ADDR_X 0x7f000003 /* 127.0.0.3: not a configured peer */

static struct event_base *base;
static struct event *tick;
static struct bgp bgp_a, bgp_b;
static struct bgp_peer pa, pb; /* pa: A's peer (B); pb: B's peer (A) */
static uint16_t port;

static struct {
	int est, down, update, rr;
	size_t update_len;
	uint8_t update_body[64];
	int rr_af;
} hk[2];

static int idx(const struct bgp_peer *p)
{
	return p == &pa ? 0 : 1;
}
static void h_est(struct bgp_peer *p)
{
	hk[idx(p)].est++;
}
static void h_down(struct bgp_peer *p, const char *reason)
{
	(void)reason;
	hk[idx(p)].down++;
}
static void h_update(struct bgp_peer *p, const uint8_t *body, size_t len)
{
	int i = idx(p);

	hk[i].update++;
	hk[i].update_len = len;
	memcpy(hk[i].update_body, body, len < 64 ? len : 64);
}
static void h_rr(struct bgp_peer *p, int af)
{
	hk[idx(p)].rr++;
	hk[idx(p)].rr_af = af;
}
static const struct bgp_session_hooks hooks = {
	.established = h_est,
	.down = h_down,
	.update = h_update,
	.route_refresh = h_rr,
};

static void tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

static double now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Runs the loop until cond() holds or secs pass; returns cond(). */
static bool run_until(bool (*cond)(void), double secs)
{
	double end = now() + secs;

	while (!(cond != NULL && cond()) && now() < end)
		event_base_loop(base, EVLOOP_ONCE);
	return cond != NULL && cond();
}

static bool never(void)
{
	return false;
}
static void run_for(double secs)
{
	run_until(never, secs);
}

static bool both_established(void)
{
	return pa.state == BGP_ST_ESTABLISHED && pb.state == BGP_ST_ESTABLISHED;
}

static void peer_init(struct bgp *b, struct bgp_peer *p, uint32_t addr, uint32_t src,
		      uint32_t remote_as)
{
	memset(p, 0, sizeof(*p));
	p->bgp = b;
	p->cfg.addr = ipaddr_v4(addr);
	p->cfg.update_source_addr = src ? ipaddr_v4(src) : (struct ipaddr){ 0 };
	p->cfg.remote_as = remote_as;
	p->cfg.connect_retry = 1;
	p->cfg.holdtime = 9;
	p->cfg.af_active[BGP_AF_VPNV4] = true;
	p->cfg.af_active[BGP_AF_IPV4_UNICAST] = true;
	b->peers = p;
}

/* A in AS 65000; B in as_b; each configured with the other. */
static void speakers(uint32_t as_b)
{
	char err[128];

	memset(&bgp_a, 0, sizeof(bgp_a));
	memset(&bgp_b, 0, sizeof(bgp_b));
	bgp_a.asn = 65000;
	bgp_a.router_id = 0x01010101;
	bgp_b.asn = as_b;
	bgp_b.router_id = 0x02020202;
	peer_init(&bgp_a, &pa, ADDR_B, ADDR_A, as_b);
	peer_init(&bgp_b, &pb, ADDR_A, ADDR_B, 65000);
	ck_assert_msg(bgp_listen_start_at(&bgp_a, -1, ADDR_A, port, err, sizeof(err)) == 0, "%s",
		      err);
	ck_assert_msg(bgp_listen_start_at(&bgp_b, -1, ADDR_B, port, err, sizeof(err)) == 0, "%s",
		      err);
}

static void setup(void)
{
	struct timeval tv = { 0, 50000 };

	log_init("test_bgp_session", true, false);
	base = event_base_new();
	bgp_session_init(base, &hooks);
	tick = event_new(base, -1, EV_PERSIST, tick_cb, NULL);
	event_add(tick, &tv);
	/* a fresh port per test (each runs in its own process) */
	port = (uint16_t)(20000 + (getpid() % 20000));
	bgp_session_port = port;
	bgp_idle_hold_secs = 1;
	memset(hk, 0, sizeof(hk));
}

static void teardown(void)
{
	bgp_peer_free_session(&pa);
	bgp_peer_free_session(&pb);
	bgp_listen_stop(&bgp_a);
	bgp_listen_stop(&bgp_b);
	event_free(tick);
	event_base_free(base);
}

static size_t build_msg(uint8_t *m, uint8_t type, const uint8_t *body, size_t len)
{
	memset(m, 0xff, 16);
	m[16] = (uint8_t)((BGP_HDR_LEN + len) >> 8);
	m[17] = (uint8_t)(BGP_HDR_LEN + len);
	m[18] = type;
	memcpy(m + BGP_HDR_LEN, body, len);
	return BGP_HDR_LEN + len;
}

static void establish(void)
{
	bgp_peer_start(&pa);
	bgp_peer_start(&pb);
	ck_assert_msg(run_until(both_established, 10), "A %s (%s), B %s (%s)",
		      bgp_state_name(pa.state), pa.last_error, bgp_state_name(pb.state),
		      pb.last_error);
}

/* ---- tests ---- */

START_TEST(test_ibgp_established)
{
	/* an End-of-RIB for IPv4 unicast: 4 zero bytes */
	static const uint8_t eor[4] = { 0, 0, 0, 0 };
	static const uint8_t rr[4] = { 0, 1, 0, 128 }; /* VPNv4 */
	uint8_t m[64];
	size_t n;
	uint64_t ka_a, ka_b;

	speakers(65000);
	pb.cfg.holdtime = 6;
	n = build_msg(m, BGP_MSG_UPDATE, eor, sizeof(eor));
	ck_assert_int_eq(bgp_peer_send(&pa, m, n), -1); /* not Established yet */
	establish();
	ck_assert_uint_eq(pa.holdtime, 6); /* min(9, 6) */
	ck_assert_uint_eq(pb.holdtime, 6);
	ck_assert_uint_eq(pa.keepalive, 2);
	ck_assert(pa.af_nego[BGP_AF_VPNV4] && pa.af_nego[BGP_AF_IPV4_UNICAST]);
	ck_assert(pa.as4 && pb.as4);
	ck_assert_uint_eq(pa.remote_id, 0x02020202);
	ck_assert_uint_eq(pb.remote_id, 0x01010101);
	ck_assert_int_eq(hk[0].est, 1);
	ck_assert_int_eq(hk[1].est, 1);
	ck_assert_uint_eq(pa.local_port, pb.remote_port);
	ck_assert_uint_eq(pb.local_port, pa.remote_port);

	/* KEEPALIVEs flow, the session stays up */
	ka_a = pa.cnt.msgs_in[BGP_MSG_KEEPALIVE];
	ka_b = pb.cnt.msgs_in[BGP_MSG_KEEPALIVE];
	run_for(4.5);
	ck_assert(both_established());
	ck_assert_uint_ge(pa.cnt.msgs_in[BGP_MSG_KEEPALIVE], ka_a + 2);
	ck_assert_uint_ge(pb.cnt.msgs_in[BGP_MSG_KEEPALIVE], ka_b + 2);

	/* UPDATE and ROUTE-REFRESH through the hooks */
	ck_assert_int_eq(bgp_peer_send(&pa, m, n), 0);
	n = build_msg(m, BGP_MSG_ROUTE_REFRESH, rr, sizeof(rr));
	ck_assert_int_eq(bgp_peer_send(&pa, m, n), 0);
	run_for(0.3);
	ck_assert_int_eq(hk[1].update, 1);
	ck_assert_uint_eq(hk[1].update_len, 4);
	ck_assert_int_eq(hk[1].rr, 1);
	ck_assert_int_eq(hk[1].rr_af, BGP_AF_VPNV4);
	ck_assert_uint_eq(pb.cnt.msgs_in[BGP_MSG_UPDATE], 1);
	ck_assert_uint_eq(pa.cnt.msgs_out[BGP_MSG_UPDATE], 1);
	ck_assert_uint_eq(bgp_peer_outq(&pa), 0);
	ck_assert(both_established());
}
END_TEST

START_TEST(test_ebgp_established)
{
	speakers(65001);
	/* update-source as an interface: lo's first address is 127.0.0.1 */
	memset(&pa.cfg.update_source_addr, 0, sizeof(pa.cfg.update_source_addr));
	strcpy(pa.cfg.update_source, "lo");
	establish();
	ck_assert_uint_eq(pa.local_addr.v4, ADDR_A);
	ck_assert(pa.af_nego[BGP_AF_VPNV4]);
	ck_assert_uint_eq(pa.cnt.established_count, 1);
	ck_assert_uint_eq(pb.cnt.established_count, 1);
}
END_TEST

/* 4-octet AS on one side: AS_TRANS in the OPEN, real AS in the capability */
START_TEST(test_as4_established)
{
	speakers(4200000001u);
	establish();
	ck_assert(pa.as4);
	ck_assert_uint_eq(pa.capa_rcvd.as4_asn, 4200000001u);
}
END_TEST

static bool a_got_hold_notif(void)
{
	const struct bgp_sess *s = pa.sess;

	return s->last_rcvd_code == BGP_ERR_HOLD;
}

START_TEST(test_hold_expiry)
{
	const struct bgp_sess *sb;

	speakers(65000);
	pa.cfg.holdtime = 3;
	pb.cfg.holdtime = 3;
	establish();
	bgp_peer_read_pause(&pb, true); /* B stops reading: its hold timer expires */
	ck_assert(run_until(a_got_hold_notif, 8));
	sb = pb.sess;
	ck_assert_uint_eq(sb->last_sent_code, BGP_ERR_HOLD);
	ck_assert_uint_eq(sb->last_sent_subcode, 0);
	ck_assert_int_ne(pa.state, BGP_ST_ESTABLISHED);
	ck_assert_int_eq(hk[0].down, 1);
	ck_assert_int_eq(hk[1].down, 1);
	ck_assert_uint_eq(pa.cnt.dropped_count, 1);
	ck_assert_ptr_nonnull(strstr(pa.last_error, "Hold Timer Expired"));
}
END_TEST

static bool b_got_open_err(void)
{
	const struct bgp_sess *s = pb.sess;

	return s->last_rcvd_code == BGP_ERR_OPEN;
}

START_TEST(test_bad_peer_as)
{
	const struct bgp_sess *sa;

	speakers(65000);
	pa.cfg.remote_as = 65005; /* A expects the wrong AS */
	bgp_peer_start(&pa);
	bgp_peer_start(&pb);
	ck_assert(run_until(b_got_open_err, 5));
	sa = pa.sess;
	ck_assert_uint_eq(sa->last_sent_code, BGP_ERR_OPEN);
	ck_assert_uint_eq(sa->last_sent_subcode, BGP_OPEN_BAD_PEER_AS);
	ck_assert_uint_eq(((const struct bgp_sess *)pb.sess)->last_rcvd_subcode,
			  BGP_OPEN_BAD_PEER_AS);
	run_for(1.5);
	ck_assert_uint_eq(pa.cnt.established_count, 0);
	ck_assert_uint_eq(pb.cnt.established_count, 0);
}
END_TEST

/* `remote-as external` (FRR): any AS but ours; ours is Bad Peer AS */
START_TEST(test_remote_as_external)
{
	const struct bgp_sess *sa;

	speakers(_i ? 65001 : 65000);
	pa.cfg.remote_as = 0;
	pa.cfg.as_type = BGP_AS_EXTERNAL;
	bgp_peer_start(&pa);
	bgp_peer_start(&pb);
	if (_i) {
		ck_assert_msg(run_until(both_established, 10), "A %s (%s)", bgp_state_name(pa.state),
			      pa.last_error);
		ck_assert_uint_eq(pa.cfg.remote_as, 65001); /* learned from the OPEN */
		return;
	}
	ck_assert(run_until(b_got_open_err, 5));
	sa = pa.sess;
	ck_assert_uint_eq(sa->last_sent_code, BGP_ERR_OPEN);
	ck_assert_uint_eq(sa->last_sent_subcode, BGP_OPEN_BAD_PEER_AS);
	run_for(1.5);
	ck_assert_uint_eq(pa.cnt.established_count, 0);
}
END_TEST

static bool sent_bad_id(void)
{
	const struct bgp_sess *sa = pa.sess, *sb = pb.sess;

	return (sa->last_sent_code == BGP_ERR_OPEN &&
		sa->last_sent_subcode == BGP_OPEN_BAD_BGP_ID) ||
	       (sb->last_sent_code == BGP_ERR_OPEN && sb->last_sent_subcode == BGP_OPEN_BAD_BGP_ID);
}

/* RFC 6286 2.2: equal identifiers are an error within one AS only */
START_TEST(test_same_router_id)
{
	speakers(_i ? 65001 : 65000);
	bgp_b.router_id = bgp_a.router_id;
	bgp_peer_start(&pa);
	bgp_peer_start(&pb);
	if (_i) {
		ck_assert(run_until(both_established, 10));
		return;
	}
	/* both refuse the other's OPEN (each may close before the other's
	 * NOTIFICATION arrives) */
	ck_assert(run_until(sent_bad_id, 5));
	run_for(1);
	ck_assert_uint_eq(pa.cnt.established_count, 0);
	ck_assert_uint_eq(pb.cnt.established_count, 0);
}
END_TEST

static bool a_got_open_err(void)
{
	const struct bgp_sess *s = pa.sess;

	return s->last_rcvd_code == BGP_ERR_OPEN;
}

START_TEST(test_bad_hold)
{
	speakers(65001);
	pa.cfg.holdtime = 2; /* B must refuse A's OPEN */
	bgp_peer_start(&pa);
	bgp_peer_start(&pb);
	ck_assert(run_until(a_got_open_err, 5));
	ck_assert_uint_eq(((const struct bgp_sess *)pa.sess)->last_rcvd_subcode,
			  BGP_OPEN_BAD_HOLD);
	ck_assert_uint_eq(((const struct bgp_sess *)pb.sess)->last_sent_code, BGP_ERR_OPEN);
	ck_assert_uint_eq(((const struct bgp_sess *)pb.sess)->last_sent_subcode,
			  BGP_OPEN_BAD_HOLD);
	ck_assert_uint_eq(pb.cnt.established_count, 0);
}
END_TEST

/* Both connect at the same moment; _i swaps which side has the higher
 * router id. Exactly one session survives, on both sides the same one. */
START_TEST(test_collision)
{
	const struct bgp_sess *sa, *sb;

	speakers(65000);
	if (_i) {
		bgp_a.router_id = 0x03030303;
	}
	establish();
	run_for(2.5);
	ck_assert(both_established());
	ck_assert_uint_eq(pa.cnt.established_count, 1);
	ck_assert_uint_eq(pb.cnt.established_count, 1);
	sa = pa.sess;
	sb = pb.sess;
	ck_assert_ptr_null(sa->conn2);
	ck_assert_ptr_null(sb->conn2);
	ck_assert_uint_eq(pa.local_port, pb.remote_port);
	ck_assert_uint_eq(pb.local_port, pa.remote_port);
	/* the surviving connection was opened by the higher identifier */
	if (bgp_a.router_id > bgp_b.router_id)
		ck_assert_uint_eq(pa.remote_port, port);
	else
		ck_assert_uint_eq(pb.remote_port, port);
	ck_assert_uint_ge(sa->collisions + sb->collisions, 1);
}
END_TEST

START_TEST(test_md5_same)
{
	speakers(65001);
	strcpy(pa.cfg.password, "s3cret");
	strcpy(pb.cfg.password, "s3cret");
	establish();
}
END_TEST

START_TEST(test_md5_mismatch)
{
	speakers(65001);
	strcpy(pa.cfg.password, "s3cret");
	strcpy(pb.cfg.password, "other");
	bgp_peer_start(&pa);
	bgp_peer_start(&pb);
	ck_assert(!run_until(both_established, 4));
	ck_assert_uint_eq(pa.cnt.established_count, 0);
	ck_assert_uint_eq(pb.cnt.established_count, 0);
}
END_TEST

START_TEST(test_md5_one_side)
{
	speakers(65001);
	strcpy(pa.cfg.password, "s3cret");
	bgp_peer_start(&pa);
	bgp_peer_start(&pb);
	ck_assert(!run_until(both_established, 3));
	ck_assert_uint_eq(pb.cnt.established_count, 0);
}
END_TEST

static bool b_got_cease3(void)
{
	const struct bgp_sess *s = pb.sess;

	return s->last_rcvd_code == BGP_ERR_CEASE &&
	       s->last_rcvd_subcode == BGP_CEASE_PEER_DECONFIG;
}

START_TEST(test_peer_delete)
{
	speakers(65001);
	establish();
	bgp_a.peers = NULL; /* A forgets B */
	bgp_peer_free_session(&pa);
	ck_assert_ptr_null(pa.sess);
	ck_assert_int_eq(hk[0].down, 1);
	ck_assert(run_until(b_got_cease3, 3));
	ck_assert_int_ne(pb.state, BGP_ST_ESTABLISHED);
	/* B retries; A refuses the unknown peer; nothing crashes */
	run_for(2.5);
	ck_assert_uint_eq(pb.cnt.established_count, 1);
}
END_TEST

static bool drained(void)
{
	return bgp_peer_outq(&pa) == 0;
}

/* B stops reading: A's kernel buffer fills, then its output queue, then
 * bgp_peer_send refuses; when B reads again everything arrives. */
START_TEST(test_flow_control)
{
	static uint8_t m[BGP_MAX_MSG];
	static const uint8_t body[BGP_MAX_MSG - BGP_HDR_LEN];
	size_t n;
	int sent = 0, i;

	speakers(65000);
	pa.cfg.holdtime = 30;
	pb.cfg.holdtime = 30;
	establish();
	bgp_outq_max = 64 * 1024;
	bgp_peer_read_pause(&pb, true);
	n = build_msg(m, BGP_MSG_UPDATE, body, sizeof(body));
	for (i = 0; i < 20000; i++) {
		if (bgp_peer_send(&pa, m, n) == -1)
			break;
		sent++;
		if (i % 64 == 0)
			event_base_loop(base, EVLOOP_NONBLOCK);
	}
	ck_assert_int_lt(i, 20000); /* refused at some point */
	ck_assert_uint_gt(bgp_peer_outq(&pa), 0);
	ck_assert_uint_le(bgp_peer_outq(&pa), bgp_outq_max);
	ck_assert_int_eq(pa.state, BGP_ST_ESTABLISHED);
	bgp_peer_read_pause(&pb, false);
	ck_assert(run_until(drained, 10));
	run_for(0.5);
	ck_assert_int_eq(hk[1].update, sent);
	ck_assert_uint_eq(hk[1].update_len, sizeof(body));
	ck_assert(both_established());
}
END_TEST

static bool reestablished(void)
{
	return both_established() && pa.cnt.established_count == 2 &&
	       pb.cnt.established_count == 2;
}

START_TEST(test_reset_and_restart)
{
	const struct bgp_sess *sa;

	speakers(65000);
	establish();
	bgp_peer_reset(&pb, BGP_ERR_UPDATE, BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0);
	ck_assert_int_eq(pb.state, BGP_ST_IDLE);
	ck_assert_ptr_null(((const struct bgp_sess *)pb.sess)->conn);
	ck_assert(run_until(reestablished, 10));
	sa = pa.sess;
	ck_assert_uint_eq(sa->last_rcvd_code, BGP_ERR_UPDATE);
	ck_assert_uint_eq(sa->last_rcvd_subcode, BGP_UPD_MALFORMED_ATTR_LIST);
	ck_assert_int_eq(hk[0].est, 2);
	ck_assert_int_eq(hk[0].down, 1);
}
END_TEST

START_TEST(test_manual_stop)
{
	speakers(65000);
	establish();
	bgp_peer_stop(&pa, BGP_CEASE_ADMIN_SHUTDOWN);
	ck_assert_int_eq(pa.state, BGP_ST_IDLE);
	run_for(2.5);
	/* A stays down (no automatic restart); B got Cease/2 and retries */
	ck_assert_int_eq(pa.state, BGP_ST_IDLE);
	ck_assert_uint_eq(((const struct bgp_sess *)pb.sess)->last_rcvd_code, BGP_ERR_CEASE);
	ck_assert_uint_eq(((const struct bgp_sess *)pb.sess)->last_rcvd_subcode,
			  BGP_CEASE_ADMIN_SHUTDOWN);
	ck_assert_int_ne(pb.state, BGP_ST_ESTABLISHED);
}
END_TEST

START_TEST(test_unknown_peer)
{
	struct sockaddr_in sin;
	char c;
	int fd;
	struct timeval tv = { 2, 0 };

	speakers(65000);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(ADDR_X);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	sin.sin_addr.s_addr = htonl(ADDR_A);
	sin.sin_port = htons(port);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	run_for(0.3);
	ck_assert_int_eq(read(fd, &c, 1), 0); /* closed by A */
	close(fd);
}
END_TEST

/* Garbage instead of an OPEN: NOTIFICATION 1/1 (connection not synchronized). */
START_TEST(test_header_error)
{
	struct sockaddr_in sin;
	uint8_t buf[64];
	ssize_t n;
	int fd;
	struct timeval tv = { 2, 0 };

	speakers(65000);
	pa.cfg.passive = true;
	bgp_peer_start(&pa);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(ADDR_B); /* pretend to be B */
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	sin.sin_addr.s_addr = htonl(ADDR_A);
	sin.sin_port = htons(port);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(write(fd, buf, 19), 19);
	run_for(0.5);
	ck_assert_uint_eq(((const struct bgp_sess *)pa.sess)->last_sent_code, BGP_ERR_HEADER);
	ck_assert_uint_eq(((const struct bgp_sess *)pa.sess)->last_sent_subcode, BGP_HDR_SYNC);
	/* our OPEN, then the NOTIFICATION */
	n = read(fd, buf, sizeof(buf));
	ck_assert_int_gt(n, 19);
	ck_assert_uint_eq(buf[18], BGP_MSG_OPEN);
	close(fd);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bgp_session");
	TCase *t = tcase_create("loopback");

	tcase_set_timeout(t, 30);
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_ibgp_established);
	tcase_add_test(t, test_ebgp_established);
	tcase_add_test(t, test_as4_established);
	tcase_add_test(t, test_hold_expiry);
	tcase_add_test(t, test_bad_peer_as);
	tcase_add_loop_test(t, test_remote_as_external, 0, 2);
	tcase_add_test(t, test_bad_hold);
	tcase_add_loop_test(t, test_same_router_id, 0, 2);
	tcase_add_loop_test(t, test_collision, 0, 2);
	tcase_add_test(t, test_md5_same);
	tcase_add_test(t, test_md5_mismatch);
	tcase_add_test(t, test_md5_one_side);
	tcase_add_test(t, test_peer_delete);
	tcase_add_test(t, test_reset_and_restart);
	tcase_add_test(t, test_flow_control);
	tcase_add_test(t, test_manual_stop);
	tcase_add_test(t, test_unknown_peer);
	tcase_add_test(t, test_header_error);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
