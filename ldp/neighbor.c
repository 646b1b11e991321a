/* LDP neighbors and their sessions (RFC 5036 2.5): lookup, creation and
 * deletion (ldpd_nbr_new / ldpd_nbr_del), the glue to the session state machine
 * (ldp/fsm.c: nbr_fsm_ops), KeepAlive timers, the TCP session's reads and
 * writes, the messages received on it, and the active role's connect.
 *
 * One neighbor per LSR ID; the LSR with the higher transport address is
 * active (2.5.2) and connects from its transport address to TCP 646, the
 * other accepts (socket.c) and matches the connection to an adjacency by
 * source address. Initialization carries the Common Session Parameters
 * (keepalive from config, max PDU 4096, receiver LDP ID); KeepAlives every
 * third of the negotiated time. A failed initialization backs off
 * exponentially (15 s .. 120 s, 2.5.3) before the next connect. Decoder
 * errors answer with the codec's status (advisory: Notification and go on;
 * fatal: Notification and reset). A dropped session frees everything and
 * tells the LDE (lde_nbr_down), unless the neighbor does graceful restart
 * (RFC 3478, ldp/gr.c): then its bindings stay, stale, while gr.c's timers
 * run (one libevent timer in ldpd.c at the next deadline). A session closed
 * by our own configuration or by `clear mpls ldp neighbor` (ldpd_g.admin) is
 * never kept. */
#include "config.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ldp/ldpd_priv.h"
#include "ldp/wire.h"
#include "lib/log.h"

#define LDP_INBUF_SIZE (LDP_MAX_PDU_DEFAULT * 4)

static uint16_t session_keepalive(uint32_t lsr_id)
{
	struct ldp_nbr_conf *nc = ldpd_nbr_conf(lsr_id);

	if (nc && nc->keepalive)
		return nc->keepalive;
	return ldpd_conf.keepalive ? ldpd_conf.keepalive : LDP_DEF_KEEPALIVE;
}

/* ---- neighbors: lookup, creation, deletion ---- */

struct ldp_nbr *ldpd_nbr_find(uint32_t lsr_id)
{
	for (struct ldp_nbr *n = ldpd_g.nbrs; n; n = n->next)
		if (n->lsr_id == lsr_id)
			return n;
	return NULL;
}

struct ldp_nbr *ldpd_nbr_find_addr(uint32_t raddr)
{
	for (struct ldp_nbr *n = ldpd_g.nbrs; n; n = n->next)
		if (n->raddr == raddr)
			return n;
	return NULL;
}

static const struct ldp_fsm_ops nbr_fsm_ops;
static void nbr_reset_cb(evutil_socket_t fd, short what, void *arg);
static void nbr_ka_timeout_cb(evutil_socket_t fd, short what, void *arg);
static void nbr_ka_timer_cb(evutil_socket_t fd, short what, void *arg);
static void nbr_connect_cb(evutil_socket_t fd, short what, void *arg);

struct ldp_nbr *ldpd_nbr_new(uint32_t lsr_id, uint32_t raddr)
{
	struct ldp_nbr *n = xcalloc(1, sizeof(*n));
	char name[ADDR4_STRLEN];
	struct ldp_nbr_conf *nc = ldpd_nbr_conf(lsr_id);

	n->lsr_id = lsr_id;
	n->raddr = raddr;
	n->fd = -1;
	n->max_pdu = LDP_MAX_PDU_DEFAULT;
	n->active = ldp_active_role(ldpd_g.trans, raddr);
	ldp_fsm_init(&n->fsm, &nbr_fsm_ops, n, addr4_ntop(lsr_id, name, sizeof(name)));
	n->ev_ka_timeout = evtimer_new(ldpd_g.base, nbr_ka_timeout_cb, n);
	n->ev_ka_timer = evtimer_new(ldpd_g.base, nbr_ka_timer_cb, n);
	n->ev_connect = evtimer_new(ldpd_g.base, nbr_connect_cb, n);
	n->ev_reset = evtimer_new(ldpd_g.base, nbr_reset_cb, n);
	n->out = evbuffer_new();
	n->inbuf = xmalloc(LDP_INBUF_SIZE);
	n->next = ldpd_g.nbrs;
	ldpd_g.nbrs = n;
	ldpd_g.nnbr++;
	if (nc && nc->password[0] && ldpd_g.tcp_fd >= 0)
		ldpd_md5_set(ldpd_g.tcp_fd, raddr, nc->password);
	log_debug("ldp nbr %s: new (transport %s, %s role)", name,
		 addr4_ntop(raddr, (char[ADDR4_STRLEN]){ 0 }, ADDR4_STRLEN),
		 n->active ? "active" : "passive");
	return n;
}

/* Mirror of ldpd_nbr_new(): the session (if any) is closed with Shutdown. */
void ldpd_nbr_del(struct ldp_nbr *n)
{
	struct ldp_nbr **pp;

	if (n->fsm.state != LDP_NBR_STA_NONEXISTENT)
		ldpd_nbr_close(n, LDP_FSM_ST_SHUTDOWN);
	if (n->fd >= 0) { /* connect in progress */
		close(n->fd);
		n->fd = -1;
	}
	for (pp = &ldpd_g.nbrs; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	ldpd_g.nnbr--;
	event_free(n->ev_ka_timeout);
	event_free(n->ev_ka_timer);
	event_free(n->ev_connect);
	event_free(n->ev_reset);
	if (n->ev_read)
		event_free(n->ev_read);
	if (n->ev_write)
		event_free(n->ev_write);
	evbuffer_free(n->out);
	free(n->inbuf);
	free(n->addrs);
	free(n);
}

static void debug_msg(bool sent, const struct ldp_nbr *n, const struct ldp_msg *m)
{
	char lsr[ADDR4_STRLEN], fec[PREFIX4_STRLEN] = "";
	const struct ldp_label_msg *lm = &m->u_.label;

	if (!(ldp_debug & LDP_DEBUG_MESSAGES))
		return;
	addr4_ntop(n->lsr_id, lsr, sizeof(lsr));
	if (m->type >= LDP_MSG_LABEL_MAPPING && m->type <= LDP_MSG_LABEL_ABORT && lm->nfec > 0) {
		if (lm->fecs[0].type == LDP_FEC_PREFIX)
			prefix4_ntop(&lm->fecs[0].pfx, fec, sizeof(fec));
		else
			snprintf(fec, sizeof(fec), "wildcard");
		if (lm->has_label)
			log_info("ldp: %s %s %s %s FEC %s label %u", sent ? "sent" : "received",
				 ldp_msg_name(m->type), sent ? "to" : "from", lsr, fec, lm->label);
		else
			log_info("ldp: %s %s %s %s FEC %s", sent ? "sent" : "received",
				 ldp_msg_name(m->type), sent ? "to" : "from", lsr, fec);
		return;
	}
	log_info("ldp: %s %s %s %s", sent ? "sent" : "received", ldp_msg_name(m->type),
		 sent ? "to" : "from", lsr);
}

/* ---- session I/O ---- */

static size_t outbuf_limit(void)
{
	struct lde_stats st = { 0 };

	if (ldpd_g.lde != NULL)
		lde_get_stats(ldpd_g.lde, &st);
	return LDP_OUTBUF_BASE + LDP_OUTBUF_PER_FEC * (size_t)st.fecs;
}

static void nbr_reset_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;

	(void)fd;
	(void)what;
	if (n->out_full && n->fsm.state != LDP_NBR_STA_NONEXISTENT)
		ldpd_nbr_close(n, LDP_FSM_ST_INTERNAL_ERROR);
	n->out_full = false;
}

int ldpd_nbr_send(struct ldp_nbr *n, struct ldp_msg *m)
{
	uint8_t buf[LDP_MAX_PDU_DEFAULT];
	struct wbuf w = wbuf_init_fixed(buf, sizeof(buf));
	struct ldp_pdu_builder pb;
	struct ldp_id id = { ldpd_g.rid, 0 };
	int len;

	if (n->fd < 0 || n->connecting)
		return -1;
	if (evbuffer_get_length(n->out) > outbuf_limit()) {
		/* mappings may not be dropped on a live session: it is reset
		 * (after this call chain returns) and resynchronized when it
		 * comes back */
		if (!n->out_full) {
			n->out_full = true;
			log_warnx(
				"ldp nbr %s: more than %zu bytes waiting to be sent (the peer does "
				"not read): session reset",
				n->fsm.name, outbuf_limit());
			event_active(n->ev_reset, EV_TIMEOUT, 0);
		}
		snprintf(n->last_error, sizeof(n->last_error), "output buffer full");
		return -1;
	}
	if (ldp_pdu_begin(&pb, &w, &id, n->max_pdu, &n->msg_id) < 0 || ldp_pdu_add(&pb, m) < 0 ||
	    (len = ldp_pdu_finish(&pb)) < 0)
		return -1;
	evbuffer_add(n->out, buf, (size_t)len);
	if (n->ev_write)
		event_add(n->ev_write, NULL);
	debug_msg(true, n, m);
	return 0;
}

static void nbr_flush(struct ldp_nbr *n)
{
	if (n->fd >= 0 && !n->connecting)
		while (evbuffer_get_length(n->out) > 0)
			if (evbuffer_write(n->out, n->fd) <= 0)
				break;
}

static int op_send_init(void *ctx)
{
	struct ldp_nbr *n = ctx;
	struct ldp_msg m = { .type = LDP_MSG_INIT };

	m.u_.init.proto_version = LDP_VERSION;
	m.u_.init.keepalive = session_keepalive(n->lsr_id);
	m.u_.init.max_pdu = LDP_MAX_PDU_DEFAULT;
	m.u_.init.receiver.lsr_id = n->lsr_id;
	m.u_.init.receiver.lspace = 0;
	if (ldpd_conf.gr) { /* RFC 3478 3: the FT Session TLV */
		m.u_.init.has_ft = true;
		/* RFC 3478 3: a reconnect time only if our forwarding would
		 * survive our restart */
		ldp_gr_local_ft(&m.u_.init.ft,
				ldpd_fwd_keepable == NULL || ldpd_fwd_keepable() ? ldpd_gr_reconnect_ms() : 0,
				ldpd_g.fwd_hold_until, ldpd_mono_ms());
	}
	return ldpd_nbr_send(n, &m);
}

static int op_send_keepalive(void *ctx)
{
	struct ldp_nbr *n = ctx;
	struct ldp_msg m = { .type = LDP_MSG_KEEPALIVE };

	n->st.ka_sent++;
	return ldpd_nbr_send(n, &m);
}

static void op_send_notification(void *ctx, uint32_t status)
{
	struct ldp_nbr *n = ctx;
	struct ldp_msg m = { .type = LDP_MSG_NOTIFICATION };

	m.u_.notif.status = status;
	n->st.notif_sent++;
	snprintf(n->last_error, sizeof(n->last_error), "sent %s", ldp_status_name(status));
	if (ldpd_nbr_send(n, &m) == 0)
		nbr_flush(n);
}

static void op_close_conn(void *ctx)
{
	struct ldp_nbr *n = ctx;
	struct timeval tv = { 0, 0 };

	nbr_flush(n);
	if (n->ev_read) {
		event_free(n->ev_read);
		n->ev_read = NULL;
	}
	if (n->ev_write) {
		event_free(n->ev_write);
		n->ev_write = NULL;
	}
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	n->connecting = false;
	evbuffer_drain(n->out, evbuffer_get_length(n->out));
	n->inlen = 0;
	n->msg_id = 0;
	n->max_pdu = LDP_MAX_PDU_DEFAULT;
	/* RFC 5036 2.5.3: back off after a failed initialization */
	if (!n->was_oper) {
		n->init_failures++;
		log_info("ldp nbr %s: session closed before operational (%s)", n->fsm.name,
			 n->last_error[0] ? n->last_error : "no reason recorded");
	}
	n->backoff = n->was_oper ? 0 : ldp_backoff_next(n->backoff);
	n->was_oper = false;
	if (n->active) {
		tv.tv_sec = n->backoff ? n->backoff : 1;
		evtimer_add(n->ev_connect, &tv);
	}
}

static void op_session_up(void *ctx)
{
	struct ldp_nbr *n = ctx;

	n->was_oper = true;
	n->backoff = 0;
	n->uptime = time(NULL);
	n->last_error[0] = '\0';
	ldpd_g.st.sessions_up++;
	log_info("ldp nbr %s: session operational", n->fsm.name);
	/* RFC 5036 3.5.5: our addresses first, so that the peer maps next hops */
	if (!ldpd_g.adv_valid)
		ldpd_addr_refresh(false);
	ldpd_addr_send_nbr(n, LDP_MSG_ADDRESS, ldpd_g.adv, ldpd_g.nadv);
	lde_nbr_up(ldpd_g.lde, n->lsr_id, n->addrs, n->naddr);
	/* RFC 3478: a restarting neighbor is back; its Recovery Time starts */
	ldp_gr_session_up(ldpd_g.gr, n->lsr_id, n->peer_has_ft ? &n->peer_ft : NULL, ldpd_gr_limits(),
			  ldpd_mono_ms());
	ldpd_gr_arm();
}

/* An OPERATIONAL session with lsr_id is gone; ft: its Initialization's. */
void ldpd_session_lost(uint32_t lsr_id, const struct ldp_ft *ft)
{
	if (ldp_gr_session_down(ldpd_g.gr, lsr_id, ft, ldpd_gr_limits(), ldpd_mono_ms()))
		lde_nbr_down_stale(ldpd_g.lde, lsr_id); /* RFC 3478 helper */
	else
		lde_nbr_down(ldpd_g.lde, lsr_id);
	ldpd_gr_arm();
}

static void op_session_down(void *ctx)
{
	struct ldp_nbr *n = ctx;

	ldpd_g.st.sessions_down++;
	n->naddr = 0;
	n->uptime = 0;
	ldpd_session_lost(n->lsr_id, n->peer_has_ft ? &n->peer_ft : NULL);
}

static void op_start_ka_timeout(void *ctx)
{
	struct ldp_nbr *n = ctx;
	struct timeval tv = { n->keepalive ? n->keepalive : session_keepalive(n->lsr_id), 0 };

	evtimer_add(n->ev_ka_timeout, &tv);
}

static void op_start_ka_timer(void *ctx)
{
	struct ldp_nbr *n = ctx;
	int ka = n->keepalive ? n->keepalive : session_keepalive(n->lsr_id);
	struct timeval tv = { ka / 3 > 0 ? ka / 3 : 1, 0 };

	evtimer_add(n->ev_ka_timer, &tv);
}

static void op_stop_timers(void *ctx)
{
	struct ldp_nbr *n = ctx;

	evtimer_del(n->ev_ka_timeout);
	evtimer_del(n->ev_ka_timer);
}

static const struct ldp_fsm_ops nbr_fsm_ops = {
	op_send_init,	   op_send_keepalive,	op_send_notification,
	op_close_conn,	   op_session_up,	op_session_down,
	op_start_ka_timeout, op_start_ka_timer, op_stop_timers,
};

void ldpd_nbr_close(struct ldp_nbr *n, uint32_t status)
{
	ldp_fsm_event(&n->fsm, LDP_EVT_CLOSE_SESSION, status);
}

static void nbr_ka_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;

	(void)fd;
	(void)what;
	snprintf(n->last_error, sizeof(n->last_error), "keepalive timer expired");
	ldp_fsm_event(&n->fsm, LDP_EVT_KEEPALIVE_TIMEOUT, 0);
}

static void nbr_ka_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;

	(void)fd;
	(void)what;
	if (n->fsm.state != LDP_NBR_STA_OPERATIONAL)
		return;
	if (op_send_keepalive(n) != 0) {
		ldpd_nbr_close(n, LDP_FSM_ST_INTERNAL_ERROR);
		return;
	}
	op_start_ka_timer(n);
}

/* ---- received messages ---- */

static int recv_init(struct ldp_nbr *n, const struct ldp_init *in, struct ldp_err *err)
{
	uint16_t ours = session_keepalive(n->lsr_id);

	/* RFC 5036 3.5.3: the receiver LDP identifier must be ours */
	if (in->receiver.lsr_id != ldpd_g.rid || in->receiver.lspace != 0)
		return ldp_err_set(err, LDP_ST_REJ_NO_HELLO, "Init for another LDP ID");
	if (in->keepalive == 0)
		return ldp_err_set(err, LDP_ST_REJ_BAD_KEEPALIVE, "keepalive time 0");
	n->keepalive = in->keepalive < ours ? in->keepalive : ours;
	n->peer_has_ft = in->has_ft;
	n->peer_ft = in->ft; /* zero without the TLV */
	n->max_pdu = ldp_init_max_pdu(in) < LDP_MAX_PDU_DEFAULT ? ldp_init_max_pdu(in)
								: LDP_MAX_PDU_DEFAULT;
	if (n->max_pdu < 256)
		n->max_pdu = LDP_MAX_PDU_DEFAULT;
	return 0;
}

/* false when the address is refused (over LDP_NBR_ADDRS_MAX) */
static bool nbr_addr_add(struct ldp_nbr *n, uint32_t a)
{
	for (int i = 0; i < n->naddr; i++)
		if (n->addrs[i] == a)
			return true;
	if (n->naddr >= LDP_NBR_ADDRS_MAX) {
		if (n->addrs_dropped++ == 0)
			log_warnx("ldp nbr %s: more than %d addresses advertised: the rest are "
				  "ignored",
				  n->fsm.name, LDP_NBR_ADDRS_MAX);
		return false;
	}
	if (n->naddr == n->addr_cap) {
		n->addr_cap = n->addr_cap ? n->addr_cap * 2 : 16;
		n->addrs = xrealloc(n->addrs, (size_t)n->addr_cap * sizeof(*n->addrs));
	}
	n->addrs[n->naddr++] = a;
	return true;
}

static void nbr_addr_del(struct ldp_nbr *n, uint32_t a)
{
	for (int i = 0; i < n->naddr; i++)
		if (n->addrs[i] == a) {
			n->addrs[i] = n->addrs[--n->naddr];
			break;
		}
}

static void recv_label(struct ldp_nbr *n, const struct ldp_msg *m)
{
	const struct ldp_label_msg *lm = &m->u_.label;
	mpls_label_t lbl = lm->has_label ? lm->label : MPLS_LABEL_NONE;

	for (int i = 0; i < lm->nfec; i++) {
		const struct prefix4 *fec =
			lm->fecs[i].type == LDP_FEC_PREFIX ? &lm->fecs[i].pfx : NULL;

		switch (m->type) {
		case LDP_MSG_LABEL_MAPPING:
			if (fec)
				lde_recv_mapping(ldpd_g.lde, n->lsr_id, fec, lbl);
			break;
		case LDP_MSG_LABEL_WITHDRAW:
			lde_recv_withdraw(ldpd_g.lde, n->lsr_id, fec, lbl);
			break;
		case LDP_MSG_LABEL_RELEASE:
			lde_recv_release(ldpd_g.lde, n->lsr_id, fec, lbl);
			break;
		case LDP_MSG_LABEL_REQUEST:
			if (fec)
				lde_recv_request(ldpd_g.lde, n->lsr_id, fec, m->id);
			break;
		default:
			break;
		}
		if (n->fsm.state != LDP_NBR_STA_OPERATIONAL)
			return;
	}
}

static void recv_oper_msg(struct ldp_nbr *n, struct ldp_msg *m)
{
	switch (m->type) {
	case LDP_MSG_ADDRESS: {
		int k = 0;

		n->st.addr_rcvd++;
		/* one LDE re-evaluation per message, not per address */
		for (int i = 0; i < m->u_.addr.naddr; i++)
			if (nbr_addr_add(n, m->u_.addr.addrs[i]))
				m->u_.addr.addrs[k++] = m->u_.addr.addrs[i];
		lde_nbr_addresses_add(ldpd_g.lde, n->lsr_id, m->u_.addr.addrs, k);
		break;
	}
	case LDP_MSG_ADDRESS_WITHDRAW:
		n->st.addrwd_rcvd++;
		for (int i = 0; i < m->u_.addr.naddr; i++)
			nbr_addr_del(n, m->u_.addr.addrs[i]);
		lde_nbr_addresses_del(ldpd_g.lde, n->lsr_id, m->u_.addr.addrs, m->u_.addr.naddr);
		break;
	case LDP_MSG_LABEL_MAPPING:
		n->st.map_rcvd++;
		ldpd_g.last_mapping_ms = (uint64_t)ldpd_mono_ms(); /* ped's restart gate */
		recv_label(n, m);
		break;
	case LDP_MSG_LABEL_WITHDRAW: n->st.wd_rcvd++; recv_label(n, m); break;
	case LDP_MSG_LABEL_RELEASE: n->st.rel_rcvd++; recv_label(n, m); break;
	case LDP_MSG_LABEL_REQUEST: n->st.req_rcvd++; recv_label(n, m); break;
	case LDP_MSG_LABEL_ABORT: n->st.abort_rcvd++; break;
	default: break;
	}
}

/* One decoded message; returns -1 when the session closed. */
static int nbr_recv_msg(struct ldp_nbr *n, struct ldp_msg *m)
{
	struct ldp_err err;

	if (m->ignored)
		return 0;
	debug_msg(false, n, m);
	switch (m->type) {
	case LDP_MSG_INIT:
		memset(&err, 0, sizeof(err));
		if (recv_init(n, &m->u_.init, &err) != 0) {
			snprintf(n->last_error, sizeof(n->last_error), "%s", err.reason);
			ldpd_nbr_close(n, err.status);
			return -1;
		}
		ldp_fsm_event(&n->fsm, LDP_EVT_INIT_RCVD, 0);
		break;
	case LDP_MSG_KEEPALIVE:
		n->st.ka_rcvd++;
		ldp_fsm_event(&n->fsm, LDP_EVT_KEEPALIVE_RCVD, 0);
		break;
	case LDP_MSG_NOTIFICATION:
		n->st.notif_rcvd++;
		snprintf(n->last_error, sizeof(n->last_error), "received %s",
			 ldp_status_name(m->u_.notif.status));
		log_info("ldp nbr %s: notification %s", n->fsm.name,
			 ldp_status_name(m->u_.notif.status));
		if (ldp_status_fatal(m->u_.notif.status))
			ldpd_nbr_close(n, LDP_FSM_ST_NONE); /* 3.5.1.1: no answer to a fatal one */
		break;
	case LDP_MSG_HELLO:
		break; /* not on a session: ignored */
	default:
		if (n->fsm.state != LDP_NBR_STA_OPERATIONAL) {
			/* 2.5.4: any other message before OPERATIONAL */
			ldpd_nbr_close(n, LDP_FSM_ST_SHUTDOWN);
			return -1;
		}
		recv_oper_msg(n, m);
		break;
	}
	return n->fd >= 0 ? 0 : -1;
}

static void nbr_send_err_notification(struct ldp_nbr *n, const struct ldp_err *err)
{
	struct ldp_msg m;

	memset(&m, 0, sizeof(m));
	ldp_notification_from_err(&m, err);
	n->st.notif_sent++;
	ldpd_nbr_send(n, &m);
}

/* One whole PDU of total bytes; -1 when the session closed. */
static int nbr_recv_pdu(struct ldp_nbr *n, const uint8_t *data, size_t total)
{
	struct wbuf b = wbuf_from(data, total), msgs;
	struct ldp_id expect = { n->lsr_id, 0 };
	struct ldp_pdu_hdr h;
	struct ldp_err err;
	struct ldp_msg m;
	int rc;

	memset(&err, 0, sizeof(err));
	if (ldp_pdu_open(&b, n->max_pdu, &expect, &h, &msgs, &err) != 0)
		goto fatal;
	ldp_fsm_event(&n->fsm, LDP_EVT_PDU_RCVD, 0);
	for (;;) {
		memset(&m, 0, sizeof(m));
		memset(&err, 0, sizeof(err));
		rc = ldp_msg_next(&msgs, &m, &err);
		if (rc == 0)
			return 0;
		if (rc < 0) {
			ldp_msg_clear(&m);
			if (ldp_status_fatal(err.status))
				goto fatal;
			log_info("ldp nbr %s: %s", n->fsm.name, err.reason);
			nbr_send_err_notification(n, &err); /* advisory: go on */
			continue;
		}
		rc = nbr_recv_msg(n, &m);
		ldp_msg_clear(&m);
		if (rc < 0)
			return -1;
	}
fatal:
	log_warnx("ldp nbr %s: %s (%s): session reset", n->fsm.name, err.reason,
		  ldp_status_name(err.status));
	snprintf(n->last_error, sizeof(n->last_error), "%s", err.reason);
	ldpd_nbr_close(n, err.status);
	return -1;
}

static void nbr_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;
	ssize_t r;
	size_t off = 0, total;
	struct ldp_err err;

	(void)what;
	r = read(fd, n->inbuf + n->inlen, LDP_INBUF_SIZE - n->inlen);
	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
		snprintf(n->last_error, sizeof(n->last_error), "%s",
			 r == 0 ? "connection closed by peer" : strerror(errno));
		ldpd_nbr_close(n, LDP_FSM_ST_NONE);
		return;
	}
	if (r < 0)
		return;
	n->inlen += (size_t)r;
	for (;;) {
		struct wbuf b = wbuf_from(n->inbuf + off, n->inlen - off);
		int rc;

		memset(&err, 0, sizeof(err));
		rc = ldp_pdu_peek(&b, n->max_pdu, &total, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			log_warnx("ldp nbr %s: %s: session reset", n->fsm.name, err.reason);
			snprintf(n->last_error, sizeof(n->last_error), "%s", err.reason);
			ldpd_nbr_close(n, err.status);
			return;
		}
		if (nbr_recv_pdu(n, n->inbuf + off, total) < 0)
			return; /* closed: buffers are gone */
		off += total;
	}
	memmove(n->inbuf, n->inbuf + off, n->inlen - off);
	n->inlen -= off;
}

static void nbr_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;

	(void)what;
	if (evbuffer_write(n->out, fd) < 0 && errno != EAGAIN && errno != EINTR) {
		snprintf(n->last_error, sizeof(n->last_error), "write: %s", strerror(errno));
		ldpd_nbr_close(n, LDP_FSM_ST_NONE);
		return;
	}
	if (evbuffer_get_length(n->out) > 0)
		event_add(n->ev_write, NULL);
}

/* ---- the session's socket ---- */

static void nbr_session_events(struct ldp_nbr *n)
{
	n->ev_read = event_new(ldpd_g.base, n->fd, EV_READ | EV_PERSIST, nbr_read_cb, n);
	n->ev_write = event_new(ldpd_g.base, n->fd, EV_WRITE, nbr_write_cb, n);
	event_add(n->ev_read, NULL);
}

static void nbr_local_addr(struct ldp_nbr *n)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	if (getsockname(n->fd, (struct sockaddr *)&sin, &sl) == 0) {
		n->laddr = ntohl(sin.sin_addr.s_addr);
		n->lport = ntohs(sin.sin_port);
	}
}

/* ---- active role: connect ---- */

static void nbr_connected_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;
	int soerr = 0;
	socklen_t sl = sizeof(soerr);
	struct timeval tv = { 0, 0 };

	(void)what;
	if (n->connect_errno != 0)
		soerr = n->connect_errno; /* connect() itself failed: SO_ERROR is 0 */
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
		soerr = errno;
	if (soerr != 0) {
		/* a TCP failure, not a failed initialization (RFC 5036 2.5.3's
		 * backoff is for those): typically no route yet to the peer's
		 * transport address while the IGP beside ped converges, or its
		 * LDP not listening yet; try again in a second */
		snprintf(n->last_error, sizeof(n->last_error), "connect: %s", strerror(soerr));
		log_info("ldp nbr %s: %s", n->fsm.name, n->last_error);
		event_free(n->ev_write);
		n->ev_write = NULL;
		close(n->fd);
		n->fd = -1;
		n->connecting = false;
		n->connect_errno = 0;
		tv.tv_sec = 1;
		evtimer_add(n->ev_connect, &tv);
		return;
	}
	event_free(n->ev_write);
	n->ev_write = NULL;
	n->connecting = false;
	nbr_local_addr(n);
	n->rport = LDP_PORT;
	nbr_session_events(n);
	ldp_fsm_event(&n->fsm, LDP_EVT_CONNECT_UP, 0);
}

static void nbr_connect_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_nbr *n = arg;
	struct sockaddr_in sin;
	int s;

	(void)fd;
	(void)what;
	if (!n->active || n->fd >= 0 || n->fsm.state != LDP_NBR_STA_NONEXISTENT || n->nadj == 0)
		return;
	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return;
	n->fd = s;
	ldpd_sock_session_opts(n, s);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(ldpd_g.trans);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		log_warn("ldp nbr %s: bind to transport address", n->fsm.name);
	sin.sin_addr.s_addr = htonl(n->raddr);
	sin.sin_port = htons(LDP_PORT);
	n->connecting = true;
	n->connect_errno = 0;
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 && errno != EINPROGRESS) {
		n->connect_errno = errno;
		n->ev_write = event_new(ldpd_g.base, s, EV_WRITE, nbr_connected_cb, n);
		event_active(n->ev_write, EV_WRITE, 0);
		return;
	}
	n->ev_write = event_new(ldpd_g.base, s, EV_WRITE, nbr_connected_cb, n);
	event_add(n->ev_write, NULL);
}

void ldpd_nbr_maybe_connect(struct ldp_nbr *n)
{
	struct timeval tv = { 0, 0 };

	if (!n->active || n->fd >= 0 || n->fsm.state != LDP_NBR_STA_NONEXISTENT ||
	    evtimer_pending(n->ev_connect, NULL))
		return;
	tv.tv_sec = n->backoff;
	evtimer_add(n->ev_connect, &tv);
}

/* ---- passive role: a connection accepted by socket.c ---- */

/* The connection becomes the neighbor's session (passive side). */
void ldpd_nbr_take_conn(struct ldp_nbr *n, int s, uint16_t port)
{
	n->fd = s;
	n->rport = port;
	ldpd_sock_session_opts(n, s);
	nbr_local_addr(n);
	nbr_session_events(n);
	ldp_fsm_event(&n->fsm, LDP_EVT_MATCH_ADJ, 0);
}
