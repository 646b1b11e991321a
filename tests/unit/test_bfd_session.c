/* bfd/session.c and bfd/bfd.c without sockets: two sessions wired back to
 * back through the codec run the RFC 5880 6.8.6 three-way handshake, the
 * Poll Sequence that follows it (6.8.3), detection time expiry (6.8.4),
 * AdminDown both ways (6.8.16), the passive role (6.1), jitter bounds
 * (6.8.7), timer changes under Poll; the registry demultiplexes received
 * datagrams (Your Discriminator, then addresses), enforces the TTL rules of
 * RFC 5881 5 and RFC 5883 2, tells clients, and frees sessions nobody
 * wants. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd/bfd.h"

#define MS 1000u

static void mk(struct bfd_sess *s, uint32_t disc)
{
	memset(s, 0, sizeof(*s));
	s->local_disc = disc;
	s->txfd = -1;
	bfd_sess_init(s, 0);
	bfd_sess_params(s, NULL, 0);
}

/* from sends its next packet (final or not) to to, through the codec */
static bool xfer(struct bfd_sess *from, struct bfd_sess *to, bool final, uint64_t now)
{
	struct bfd_ctl c, d;
	uint8_t buf[BFD_MAX_LEN];
	size_t n;
	bool dropped;

	bfd_sess_packet(from, &c, final);
	n = bfd_encode(&c, buf, sizeof(buf));
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(bfd_decode(buf, n, &d), BFD_OK);
	bool changed = bfd_sess_rx(to, &d, now, &dropped);

	ck_assert(!dropped);
	return changed;
}

/* what a peer does with a Poll: answer with F at once */
static void answer(struct bfd_sess *from, struct bfd_sess *to, uint64_t now)
{
	if (from->send_final) {
		from->send_final = false;
		xfer(from, to, true, now);
	}
}

START_TEST(three_way_handshake_then_poll)
{
	struct bfd_sess a, b;

	mk(&a, 0x1111);
	mk(&b, 0x2222);
	ck_assert_uint_eq(a.state, BFD_DOWN);
	/* 6.8.3: at least 1 s while not Up */
	ck_assert_uint_eq(a.desired_min_tx, BFD_SLOW_TX_US);
	ck_assert_uint_eq(a.required_min_rx, 300 * MS);
	ck_assert(xfer(&a, &b, false, 1));        /* Down -> b: Down => Init */
	ck_assert_uint_eq(b.state, BFD_INIT);
	ck_assert_uint_eq(b.remote_disc, 0x1111);
	ck_assert(xfer(&b, &a, false, 2));        /* Init -> a: Down => Up */
	ck_assert_uint_eq(a.state, BFD_UP);
	ck_assert_uint_eq(a.remote_disc, 0x2222);
	ck_assert_uint_eq(a.cnt.up, 1);
	/* Up: the real rate, announced with a Poll Sequence */
	ck_assert_uint_eq(a.desired_min_tx, 300 * MS);
	ck_assert(a.poll);
	ck_assert(xfer(&a, &b, false, 3));        /* Up + P -> b: Init => Up */
	ck_assert_uint_eq(b.state, BFD_UP);
	ck_assert(b.send_final);
	ck_assert(b.poll);                        /* b polls for its own change too */
	answer(&b, &a, 4);                        /* F ends a's Poll */
	ck_assert(!a.poll);
	ck_assert(!a.send_final);                 /* never P and F together (6.5) */
	xfer(&b, &a, false, 5);                   /* b's next packet carries its P */
	ck_assert(a.send_final);
	answer(&a, &b, 6);
	ck_assert(!b.poll);
	ck_assert_uint_eq(a.remote_desired_min_tx, 300 * MS);
	/* 6.8.4: Detect Mult of the remote x max(our RequiredMinRx, its DesiredMinTx) */
	ck_assert_uint_eq(bfd_sess_detect_time(&a), 3 * 300 * MS);
	ck_assert_uint_eq(bfd_sess_tx_interval(&a), 300 * MS);
}
END_TEST

static void up_pair(struct bfd_sess *a, struct bfd_sess *b)
{
	mk(a, 0x1111);
	mk(b, 0x2222);
	xfer(a, b, false, 1);
	xfer(b, a, false, 2);
	xfer(a, b, false, 3);
	answer(b, a, 4);
	xfer(b, a, false, 5);
	answer(a, b, 6);
	ck_assert_uint_eq(a->state, BFD_UP);
	ck_assert_uint_eq(b->state, BFD_UP);
	ck_assert(!a->poll && !b->poll);
}

START_TEST(detection_time_expiry)
{
	struct bfd_sess a, b;

	up_pair(&a, &b);
	ck_assert(bfd_sess_expired(&a, 1000));
	ck_assert_uint_eq(a.state, BFD_DOWN);
	ck_assert_uint_eq(a.diag, BFD_DIAG_TIME_EXPIRED);
	ck_assert_uint_eq(a.remote_disc, 0);          /* 6.8.1 */
	ck_assert_uint_eq(a.cnt.down, 1);
	ck_assert_uint_eq(a.desired_min_tx, BFD_SLOW_TX_US);
	ck_assert_uint_eq(bfd_sess_detect_time(&a), 0); /* nothing to wait for */
	/* b hears Down (diag 1) and goes down: neighbor signaled */
	ck_assert(xfer(&a, &b, false, 1001));
	ck_assert_uint_eq(b.state, BFD_DOWN);
	ck_assert_uint_eq(b.diag, BFD_DIAG_NEIGHBOR_DOWN);
	ck_assert_uint_eq(b.remote_diag, BFD_DIAG_TIME_EXPIRED);
	/* expiry in Down changes nothing */
	ck_assert(!bfd_sess_expired(&b, 2000));
	ck_assert_uint_eq(b.state, BFD_DOWN);
	/* and they come back up; Up clears the diagnostic */
	xfer(&b, &a, false, 3000);
	xfer(&a, &b, false, 3001);
	ck_assert_uint_eq(b.state, BFD_UP);
	ck_assert_uint_eq(b.diag, BFD_DIAG_NONE);
}
END_TEST

START_TEST(admin_down_both_ways)
{
	struct bfd_sess a, b;

	up_pair(&a, &b);
	a.own.set |= BFD_SET_SHUTDOWN;
	a.own.shutdown = true;
	ck_assert(bfd_sess_params(&a, NULL, 10));
	ck_assert_uint_eq(a.state, BFD_ADMIN_DOWN);
	ck_assert_uint_eq(a.diag, BFD_DIAG_ADMIN_DOWN);
	ck_assert(xfer(&a, &b, false, 11));
	ck_assert_uint_eq(b.state, BFD_DOWN);
	ck_assert_uint_eq(b.diag, BFD_DIAG_NEIGHBOR_DOWN);
	ck_assert_uint_eq(b.remote_state, BFD_ADMIN_DOWN);
	/* AdminDown discards what it receives (6.8.6), without changing state */
	{
		struct bfd_ctl c;
		bool dropped;

		bfd_sess_packet(&b, &c, false);
		ck_assert(!bfd_sess_rx(&a, &c, 12, &dropped));
		ck_assert(dropped);
		ck_assert_uint_eq(a.state, BFD_ADMIN_DOWN);
	}
	a.own.shutdown = false;
	ck_assert(bfd_sess_params(&a, NULL, 13));
	ck_assert_uint_eq(a.state, BFD_DOWN);
	ck_assert_uint_eq(a.diag, BFD_DIAG_NONE);
}
END_TEST

START_TEST(down_received_while_up)
{
	struct bfd_sess a, b, c;

	up_pair(&a, &b);
	mk(&c, 0x3333); /* a new incarnation of b: Down, no remote discriminator */
	c.remote_disc = a.local_disc;
	ck_assert(xfer(&c, &a, false, 20));
	ck_assert_uint_eq(a.state, BFD_DOWN);
	ck_assert_uint_eq(a.diag, BFD_DIAG_NEIGHBOR_DOWN);
	ck_assert_uint_eq(a.remote_disc, 0x3333);
}
END_TEST

START_TEST(discards)
{
	struct bfd_sess a, b;
	struct bfd_ctl c;
	bool dropped;

	up_pair(&a, &b);
	bfd_sess_packet(&b, &c, false);
	c.flags |= BFD_F_AUTH; /* no authentication configured */
	ck_assert(!bfd_sess_rx(&a, &c, 30, &dropped));
	ck_assert(dropped);
	bfd_sess_packet(&b, &c, false);
	c.your_disc = 0x9999; /* not ours */
	ck_assert(!bfd_sess_rx(&a, &c, 31, &dropped));
	ck_assert(dropped);
	ck_assert_uint_eq(a.state, BFD_UP);
}
END_TEST

START_TEST(passive_and_min_rx_zero)
{
	struct bfd_sess a, b;

	mk(&a, 1);
	mk(&b, 2);
	a.own.set = BFD_SET_PASSIVE;
	a.own.passive = true;
	bfd_sess_params(&a, NULL, 0);
	ck_assert(!bfd_sess_may_send(&a));       /* 6.1: not before the remote speaks */
	xfer(&b, &a, false, 1);
	ck_assert(bfd_sess_may_send(&a));
	ck_assert(bfd_sess_may_send(&b));
	/* 6.8.7: a RequiredMinRx of zero asks for no packets */
	b.required_min_rx = 0;
	xfer(&b, &a, false, 2);
	ck_assert(!bfd_sess_may_send(&a));
}
END_TEST

START_TEST(jitter_bounds)
{
	struct bfd_sess a, b;
	uint64_t lo = UINT64_MAX, hi = 0;

	up_pair(&a, &b);
	for (uint32_t r = 0; r < 1000; r++) {
		uint64_t t = bfd_sess_tx_jittered(&a, r * 2654435761u);

		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
	}
	ck_assert_uint_eq(lo, 300 * MS * 75 / 100);
	ck_assert_uint_eq(hi, 300 * MS);
	a.eff.detect_mult = 1; /* 6.8.7: 10-25 % off with Detect Mult 1 */
	lo = UINT64_MAX;
	hi = 0;
	for (uint32_t r = 0; r < 1000; r++) {
		uint64_t t = bfd_sess_tx_jittered(&a, r * 2654435761u);

		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
	}
	ck_assert_uint_eq(lo, 300 * MS * 75 / 100);
	ck_assert_uint_eq(hi, 300 * MS * 90 / 100);
}
END_TEST

START_TEST(timer_changes_under_poll)
{
	struct bfd_sess a, b;

	up_pair(&a, &b);
	/* a slows its transmission to 1 s: the old interval holds until F */
	a.own.set = BFD_SET_TX;
	a.own.tx_ms = 1000;
	bfd_sess_params(&a, NULL, 40);
	ck_assert(a.poll);
	ck_assert_uint_eq(a.desired_min_tx, 1000 * MS);
	ck_assert_uint_eq(bfd_sess_tx_interval(&a), 300 * MS);
	xfer(&a, &b, false, 41);
	/* b's detection time follows the new value at once (6.8.4 uses the last received) */
	ck_assert_uint_eq(bfd_sess_detect_time(&b), 3 * 1000 * MS);
	answer(&b, &a, 42);
	ck_assert(!a.poll);
	ck_assert_uint_eq(bfd_sess_tx_interval(&a), 1000 * MS);
	/* a lowers its RequiredMinRx: its detection time keeps the old one until F */
	a.own.set |= BFD_SET_RX;
	a.own.rx_ms = 100;
	b.own.set = BFD_SET_TX;
	b.own.tx_ms = 100;
	bfd_sess_params(&b, NULL, 43);
	answer(&b, &a, 43);
	xfer(&b, &a, false, 44);
	answer(&a, &b, 44);
	ck_assert(!b.poll);
	ck_assert_uint_eq(bfd_sess_detect_time(&a), 3 * 300 * MS);
	bfd_sess_params(&a, NULL, 45);
	ck_assert(a.poll);
	ck_assert_uint_eq(bfd_sess_detect_time(&a), 3 * 300 * MS);
	xfer(&a, &b, false, 46);
	answer(&b, &a, 47);
	ck_assert(!a.poll);
	ck_assert_uint_eq(bfd_sess_detect_time(&a), 3 * 100 * MS);
}
END_TEST

START_TEST(profile_overlay)
{
	struct bfd_sess a;
	struct bfd_profile p;

	mk(&a, 1);
	memset(&p, 0, sizeof(p));
	p.p.set = BFD_SET_TX | BFD_SET_RX | BFD_SET_MULT;
	p.p.tx_ms = 100;
	p.p.rx_ms = 100;
	p.p.detect_mult = 5;
	a.own.set = BFD_SET_RX;
	a.own.rx_ms = 200;
	bfd_sess_params(&a, &p, 0);
	ck_assert_uint_eq(a.eff.tx_ms, 100);
	ck_assert_uint_eq(a.eff.rx_ms, 200); /* the peer's own setting wins */
	ck_assert_uint_eq(a.eff.detect_mult, 5);
	ck_assert_uint_eq(a.eff.min_ttl, BFD_DEF_MHOP_TTL);
	ck_assert_uint_eq(a.required_min_rx, 200 * MS);
	ck_assert_uint_eq(a.desired_min_tx, BFD_SLOW_TX_US); /* still Down */
}
END_TEST

/* ---- the registry, without sockets ---- */

static int notes;
static uint8_t last_old, last_new;

static void on_change(void *arg, const struct bfd_sess *s, uint8_t old)
{
	(void)arg;
	notes++;
	last_old = old;
	last_new = s->state;
}

static size_t pkt(uint8_t state, uint32_t my, uint32_t your, uint8_t *buf)
{
	struct bfd_ctl c;

	memset(&c, 0, sizeof(c));
	c.version = 1;
	c.state = state;
	c.detect_mult = 3;
	c.my_disc = my;
	c.your_disc = your;
	c.desired_min_tx = 300 * MS;
	c.required_min_rx = 300 * MS;
	return bfd_encode(&c, buf, BFD_MAX_LEN);
}

START_TEST(registry_demux_ttl_clients)
{
	struct bfd_key k, mh;
	struct bfd_sess *s, *m;
	struct bfd_client *c;
	struct ipaddr peer = ipaddr_v4(0x0a000002), local = ipaddr_v4(0x0a000001);
	struct ipaddr other = ipaddr_v4(0x0a000009);
	uint8_t buf[BFD_MAX_LEN];
	char err[128];
	size_t n;

	bfd_init();
	memset(&k, 0, sizeof(k));
	k.peer = peer;
	s = bfd_peer_get(&k, err, sizeof(err));
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_eq(bfd_sess_by_disc(s->local_disc), s);
	c = bfd_client_add(&k, NULL, 0, on_change, NULL);
	ck_assert_ptr_eq(bfd_client_sess(c), s); /* the same session */
	ck_assert_uint_eq(bfd_sess_count(), 1);

	/* Your Discriminator 0: by addresses; TTL 255 only (RFC 5881 5) */
	n = pkt(BFD_DOWN, 0x77, 0, buf);
	bfd_input(buf, n, &peer, &local, "", false, 254, 0);
	ck_assert_uint_eq(s->cnt.rx_dropped, 1);
	ck_assert_uint_eq(s->state, BFD_DOWN);
	bfd_input(buf, n, &peer, &local, "", false, 255, 0);
	ck_assert_uint_eq(s->state, BFD_INIT);
	ck_assert_int_eq(notes, 1);
	ck_assert_uint_eq(last_old, BFD_DOWN);
	ck_assert_uint_eq(last_new, BFD_INIT);
	/* from another address, in another VRF, or multi-hop: no session */
	uint64_t nos = bfd_rx_no_session;

	bfd_input(buf, n, &other, &local, "", false, 255, 0);
	bfd_input(buf, n, &peer, &local, "A", false, 255, 0);
	bfd_input(buf, n, &peer, &local, "", true, 255, 0);
	ck_assert_uint_eq(bfd_rx_no_session, nos + 3);
	/* by Your Discriminator; Up */
	n = pkt(BFD_UP, 0x77, s->local_disc, buf);
	bfd_input(buf, n, &peer, &local, "", false, 255, 0);
	ck_assert_uint_eq(s->state, BFD_UP);
	ck_assert_int_eq(notes, 2);
	/* a wrong Your Discriminator matches nothing */
	n = pkt(BFD_UP, 0x77, s->local_disc ^ 1, buf);
	bfd_input(buf, n, &peer, &local, "", false, 255, 0);
	ck_assert_uint_eq(bfd_rx_no_session, nos + 4);
	/* garbage is counted, not fatal */
	uint64_t bad = bfd_rx_bad;

	bfd_input(buf, 10, &peer, &local, "", false, 255, 0);
	ck_assert_uint_eq(bfd_rx_bad, bad + 1);

	/* multi-hop needs a local address and takes TTLs down to min-ttl */
	mh = k;
	mh.multihop = true;
	ck_assert_ptr_null(bfd_peer_get(&mh, err, sizeof(err)));
	mh.local = local;
	m = bfd_peer_get(&mh, err, sizeof(err));
	ck_assert_ptr_nonnull(m);
	n = pkt(BFD_DOWN, 0x88, 0, buf);
	bfd_input(buf, n, &peer, &local, "", true, 253, 0);
	ck_assert_uint_eq(m->cnt.rx_dropped, 1);
	bfd_input(buf, n, &peer, &local, "", true, 254, 0);
	ck_assert_uint_eq(m->state, BFD_INIT);

	/* `no peer` keeps a session a client still wants; the last client frees it */
	bfd_peer_del(s);
	ck_assert_ptr_eq(bfd_sess_lookup(&k), s);
	bfd_client_del(c);
	ck_assert_ptr_null(bfd_sess_lookup(&k));
	ck_assert_uint_eq(bfd_sess_count(), 1);
	bfd_fini();
	ck_assert_uint_eq(bfd_sess_count(), 0);
}
END_TEST

START_TEST(profiles_apply_to_client_sessions)
{
	struct bfd_key k;
	struct bfd_client *c;
	struct bfd_profile *p;
	const struct bfd_sess *s;

	bfd_init();
	memset(&k, 0, sizeof(k));
	k.peer = ipaddr_v4(0x0a000002);
	c = bfd_client_add(&k, "fast", 0, on_change, NULL); /* named before it exists */
	s = bfd_client_sess(c);
	ck_assert_uint_eq(s->eff.tx_ms, BFD_DEF_TX_MS);
	p = bfd_profile_get("fast");
	p->p.set = BFD_SET_TX | BFD_SET_RX;
	p->p.tx_ms = p->p.rx_ms = 50;
	bfd_profile_changed(p);
	ck_assert_uint_eq(s->eff.tx_ms, 50);
	ck_assert_uint_eq(s->required_min_rx, 50 * MS);
	bfd_profile_del(p);
	ck_assert_uint_eq(s->eff.tx_ms, BFD_DEF_TX_MS);
	bfd_client_del(c);
	ck_assert_uint_eq(bfd_sess_count(), 0);
	bfd_fini();
}
END_TEST

/* a client that deletes itself (and its session with it) from its callback */
static struct bfd_client *self_del;

static void delete_self(void *arg, const struct bfd_sess *s, uint8_t old)
{
	(void)arg;
	(void)s;
	(void)old;
	bfd_client_del(self_del);
	self_del = NULL;
}

START_TEST(clients_join_delete_and_ttl)
{
	struct bfd_key cfg, k;
	const struct bfd_sess *s;
	struct bfd_client *c, *c2;
	struct ipaddr peer = ipaddr_v4(0x0a000002), local = ipaddr_v4(0x0a000001);
	uint8_t buf[BFD_MAX_LEN];
	char err[128];
	uint32_t disc;
	size_t n;

	bfd_init();
	/* an operator's peer line with local-address and interface: BGP's
	 * key without them lands on it (one session per neighbor) */
	memset(&cfg, 0, sizeof(cfg));
	cfg.peer = peer;
	cfg.local = local;
	snprintf(cfg.ifname, sizeof(cfg.ifname), "eth0");
	s = bfd_peer_get(&cfg, err, sizeof(err));
	memset(&k, 0, sizeof(k));
	k.peer = peer;
	c = bfd_client_add(&k, NULL, 0, on_change, NULL);
	ck_assert_ptr_eq(bfd_client_sess(c), s);
	ck_assert_uint_eq(bfd_sess_count(), 1);
	bfd_client_del(c);

	/* multi-hop: a client's minimum TTL (iBGP: 1) unless minimum-ttl is set */
	k.multihop = true;
	k.local = local;
	disc = 0;
	c = bfd_client_add(&k, NULL, 1, on_change, NULL);
	s = bfd_client_sess(c);
	disc = s->local_disc;
	ck_assert_uint_eq(s->eff.min_ttl, 1);
	n = pkt(BFD_DOWN, 0x99, 0, buf);
	bfd_input(buf, n, &peer, &local, "", true, 200, 0);
	ck_assert_uint_eq(s->state, BFD_INIT);
	/* a profile change keeps the session and its discriminator */
	bfd_client_set_profile(c, "slow");
	ck_assert_ptr_eq(bfd_sess_by_disc(disc), s);
	/* a second client; the first deletes itself from its callback */
	c2 = bfd_client_add(&k, NULL, 0, on_change, NULL);
	ck_assert_ptr_eq(bfd_client_sess(c2), s);
	bfd_client_del(c);
	ck_assert_uint_eq(s->eff.min_ttl, BFD_DEF_MHOP_TTL); /* its TTL went with it */
	self_del = bfd_client_add(&k, NULL, 0, delete_self, NULL);
	bfd_client_del(c2);
	ck_assert_ptr_eq(bfd_sess_by_disc(disc), s); /* self_del still wants it */
	n = pkt(BFD_UP, 0x99, disc, buf);
	bfd_input(buf, n, &peer, &local, "", true, 255, 0); /* Init -> Up: callback frees */
	ck_assert_ptr_null(self_del);
	ck_assert_ptr_null(bfd_sess_by_disc(disc));
	ck_assert_uint_eq(bfd_sess_count(), 1); /* the configured one */
	bfd_fini();
}
END_TEST

START_TEST(no_final_from_admin_down)
{
	struct bfd_sess a, b;
	struct bfd_ctl c;
	bool dropped;

	up_pair(&a, &b);
	a.own.set = BFD_SET_SHUTDOWN;
	a.own.shutdown = true;
	bfd_sess_params(&a, NULL, 1);
	bfd_sess_packet(&b, &c, false);
	c.flags = BFD_F_POLL;
	bfd_sess_rx(&a, &c, 2, &dropped);
	ck_assert(dropped);
	ck_assert(!a.send_final);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bfd_session");
	TCase *tc = tcase_create("fsm");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, three_way_handshake_then_poll);
	tcase_add_test(tc, detection_time_expiry);
	tcase_add_test(tc, admin_down_both_ways);
	tcase_add_test(tc, down_received_while_up);
	tcase_add_test(tc, discards);
	tcase_add_test(tc, passive_and_min_rx_zero);
	tcase_add_test(tc, jitter_bounds);
	tcase_add_test(tc, timer_changes_under_poll);
	tcase_add_test(tc, profile_overlay);
	tcase_add_test(tc, registry_demux_ttl_clients);
	tcase_add_test(tc, profiles_apply_to_client_sessions);
	tcase_add_test(tc, clients_join_delete_and_ttl);
	tcase_add_test(tc, no_final_from_admin_down);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
