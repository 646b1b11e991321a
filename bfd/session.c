/* The BFD state machine and timers of RFC 5880 6.8, without I/O: see bfd.h.
 * All intervals are in microseconds, as on the wire. */
#include "config.h"

#include <string.h>

#include "bfd/bfd.h"

static uint32_t max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

static uint32_t min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* DesiredMinTxInterval for the current state: at least one second while
 * not Up (6.8.3), the configured value when Up. */
static uint32_t tx_for_state(const struct bfd_sess *s, uint8_t state)
{
	uint32_t cfg = s->eff.tx_ms * 1000u;

	return state == BFD_UP ? cfg : max32(cfg, BFD_SLOW_TX_US);
}

static void poll_start(struct bfd_sess *s, uint32_t old_tx, uint32_t old_rx)
{
	if (!s->poll) {
		s->poll_old_tx = old_tx;
		s->poll_old_rx = old_rx;
	}
	s->poll = true;
}

static void set_state(struct bfd_sess *s, uint8_t st, uint64_t now)
{
	uint32_t old_tx = s->desired_min_tx;

	if (st == s->state)
		return;
	if (st == BFD_UP) {
		s->cnt.up++;
		s->diag = BFD_DIAG_NONE;
	} else if (s->state == BFD_UP) {
		s->cnt.down++;
	}
	s->state = st;
	s->since = now;
	s->desired_min_tx = tx_for_state(s, st);
	if (st == BFD_UP && s->desired_min_tx != old_tx)
		poll_start(s, old_tx, s->required_min_rx); /* from the slow rate to the real one */
	else if (st != BFD_UP)
		s->poll = false;
}

void bfd_sess_init(struct bfd_sess *s, uint64_t now)
{
	s->state = BFD_DOWN;
	s->remote_state = BFD_DOWN;
	s->diag = BFD_DIAG_NONE;
	s->remote_diag = BFD_DIAG_NONE;
	s->remote_disc = 0;
	s->remote_min_rx = 1; /* 6.8.1: initialized to 1 */
	s->remote_desired_min_tx = 0;
	s->remote_min_echo_rx = 0;
	s->remote_detect_mult = 0;
	s->poll = false;
	s->send_final = false;
	s->since = now;
	if (s->eff.detect_mult == 0) { /* bfd_sess_params not called yet */
		s->eff.detect_mult = BFD_DEF_MULT;
		s->eff.tx_ms = BFD_DEF_TX_MS;
		s->eff.rx_ms = BFD_DEF_RX_MS;
		s->eff.min_ttl = BFD_DEF_MHOP_TTL;
	}
	s->desired_min_tx = tx_for_state(s, s->state);
	s->required_min_rx = s->eff.rx_ms * 1000u;
}

static void overlay(struct bfd_params *e, const struct bfd_params *p)
{
	if (p->set & BFD_SET_MULT)
		e->detect_mult = p->detect_mult;
	if (p->set & BFD_SET_TX)
		e->tx_ms = p->tx_ms;
	if (p->set & BFD_SET_RX)
		e->rx_ms = p->rx_ms;
	if (p->set & BFD_SET_TTL)
		e->min_ttl = p->min_ttl;
	if (p->set & BFD_SET_PASSIVE)
		e->passive = p->passive;
	if (p->set & BFD_SET_SHUTDOWN)
		e->shutdown = p->shutdown;
}

bool bfd_sess_params(struct bfd_sess *s, const struct bfd_profile *prof, uint64_t now)
{
	struct bfd_params e = { 0, BFD_DEF_MULT, BFD_DEF_TX_MS, BFD_DEF_RX_MS, BFD_DEF_MHOP_TTL,
				false, false };
	uint32_t old_tx = s->desired_min_tx, old_rx = s->required_min_rx, tx, rx;
	uint8_t old_state = s->state;

	if (prof != NULL)
		overlay(&e, &prof->p);
	overlay(&e, &s->own);
	e.set = 0;
	s->eff = e;
	tx = tx_for_state(s, s->state);
	rx = e.rx_ms * 1000u;
	if (s->state == BFD_UP && (tx != old_tx || rx != old_rx))
		poll_start(s, old_tx, old_rx);
	s->desired_min_tx = tx;
	s->required_min_rx = rx;
	/* 6.8.16: AdminDown with diagnostic 7, and back to Down */
	if (e.shutdown && s->state != BFD_ADMIN_DOWN) {
		set_state(s, BFD_ADMIN_DOWN, now);
		s->diag = BFD_DIAG_ADMIN_DOWN;
	} else if (!e.shutdown && s->state == BFD_ADMIN_DOWN) {
		set_state(s, BFD_DOWN, now);
		s->diag = BFD_DIAG_NONE;
	}
	return s->state != old_state;
}

bool bfd_sess_rx(struct bfd_sess *s, const struct bfd_ctl *c, uint64_t now, bool *dropped)
{
	uint8_t old = s->state;

	*dropped = false;
	/* 6.8.6: the A bit without authentication in use; a Your
	 * Discriminator that is not ours (the caller demultiplexed on it,
	 * this is a second guard) */
	if ((c->flags & BFD_F_AUTH) || (c->your_disc != 0 && c->your_disc != s->local_disc)) {
		*dropped = true;
		return false;
	}
	s->remote_disc = c->my_disc;
	s->remote_state = c->state;
	s->remote_diag = c->diag;
	s->remote_demand = (c->flags & BFD_F_DEMAND) != 0;
	s->remote_min_rx = c->required_min_rx;
	s->remote_desired_min_tx = c->desired_min_tx;
	s->remote_min_echo_rx = c->required_min_echo_rx;
	s->remote_detect_mult = c->detect_mult;
	if ((c->flags & BFD_F_FINAL) && s->poll)
		s->poll = false;
	s->last_rx = now;
	if (s->state == BFD_ADMIN_DOWN) {
		*dropped = true;
		return false;
	}
	if (c->flags & BFD_F_POLL)
		s->send_final = true;
	if (c->state == BFD_ADMIN_DOWN) {
		if (s->state != BFD_DOWN) {
			set_state(s, BFD_DOWN, now);
			s->diag = BFD_DIAG_NEIGHBOR_DOWN;
		}
	} else if (s->state == BFD_DOWN) {
		if (c->state == BFD_DOWN)
			set_state(s, BFD_INIT, now);
		else if (c->state == BFD_INIT)
			set_state(s, BFD_UP, now);
	} else if (s->state == BFD_INIT) {
		if (c->state == BFD_INIT || c->state == BFD_UP)
			set_state(s, BFD_UP, now);
	} else if (s->state == BFD_UP) {
		if (c->state == BFD_DOWN) {
			set_state(s, BFD_DOWN, now);
			s->diag = BFD_DIAG_NEIGHBOR_DOWN;
		}
	}
	return s->state != old;
}

bool bfd_sess_expired(struct bfd_sess *s, uint64_t now)
{
	uint8_t old = s->state;

	/* 6.8.1 bfd.RemoteDiscr, 6.8.4 */
	s->remote_disc = 0;
	s->remote_state = BFD_DOWN;
	s->remote_detect_mult = 0;
	s->remote_min_rx = 1;
	s->send_final = false;
	if (s->state == BFD_INIT || s->state == BFD_UP) {
		set_state(s, BFD_DOWN, now);
		s->diag = BFD_DIAG_TIME_EXPIRED;
	}
	return s->state != old;
}

void bfd_sess_packet(struct bfd_sess *s, struct bfd_ctl *c, bool final)
{
	memset(c, 0, sizeof(*c));
	c->version = BFD_VERSION;
	c->diag = s->diag;
	c->state = s->state;
	/* 6.5: never P and F together; the answer to a Poll carries F */
	if (final)
		c->flags = BFD_F_FINAL;
	else if (s->poll)
		c->flags = BFD_F_POLL;
	c->detect_mult = s->eff.detect_mult;
	c->my_disc = s->local_disc;
	c->your_disc = s->remote_disc;
	c->desired_min_tx = s->desired_min_tx;
	c->required_min_rx = s->required_min_rx;
	c->required_min_echo_rx = 0; /* no echo function */
}

bool bfd_sess_may_send(const struct bfd_sess *s)
{
	if (s->remote_min_rx == 0)
		return false; /* 6.8.7: the remote wants no packets */
	if (s->eff.passive && s->remote_disc == 0)
		return false; /* 6.1: passive until the remote speaks */
	return true;
}

uint64_t bfd_sess_tx_interval(const struct bfd_sess *s)
{
	/* 6.8.3: an increase of DesiredMinTx takes effect once the Poll
	 * Sequence is over */
	uint32_t tx = s->poll ? min32(s->desired_min_tx, s->poll_old_tx) : s->desired_min_tx;

	return max32(tx, s->remote_min_rx);
}

uint64_t bfd_sess_tx_jittered(const struct bfd_sess *s, uint32_t rnd)
{
	uint64_t iv = bfd_sess_tx_interval(s);
	/* 6.8.7: reduced by 0-25 %, by 10-25 % with Detect Mult 1 */
	unsigned pct = s->eff.detect_mult == 1 ? 75 + rnd % 16 : 75 + rnd % 26;

	return iv * pct / 100;
}

uint64_t bfd_sess_detect_time(const struct bfd_sess *s)
{
	/* 6.8.3: a reduced RequiredMinRx counts once the Poll is over */
	uint32_t rx = s->poll ? max32(s->required_min_rx, s->poll_old_rx) : s->required_min_rx;

	if (s->remote_detect_mult == 0)
		return 0;
	return (uint64_t)s->remote_detect_mult * max32(rx, s->remote_desired_min_tx);
}
