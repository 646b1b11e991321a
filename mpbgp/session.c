#include "config.h"

/* BGP transport: TCP connections under the FSM of fsm.c. RFC 4271 8 (the
 * connection side of the FSM), 6.8 (connection collision detection), 4.1
 * (framing), 6.1/6.2 (header and OPEN checks), RFC 2385 (TCP MD5),
 * RFC 6286 (BGP identifier: equal identifiers allowed for eBGP only),
 * RFC 6793 (AS4: peer AS from the capability), RFC 2918/7313 (route
 * refresh).
 *
 * One listening socket per instance (namespace); incoming connections are
 * matched to a configured peer by remote address. A peer runs one
 * connection for its FSM and may hold a second, incoming one during a
 * collision: we send our OPEN on it and, when its OPEN arrives, keep the
 * connection opened by the speaker with the higher BGP identifier (6.8)
 * and send Cease/7 on the other.
 *
 * Deviations / choices:
 *  - Every incoming connection while the FSM has one is treated as a
 *    possible collision, in Established too (then the new one loses, as
 *    RFC 4271 6.8 says); a third one is closed at once.
 *  - An unknown ROUTE-REFRESH AFI/SAFI is ignored (RFC 2918 4); a
 *    ROUTE-REFRESH of bad length gets NOTIFICATION 7/1 (RFC 7313 5).
 *  - Output goes to an evbuffer per connection, flushed when writable;
 *    bgp_peer_send() refuses beyond bgp_outq_max. Before closing after a
 *    NOTIFICATION we flush, shut down the write side and drain unread input
 *    so that the peer gets a FIN after the NOTIFICATION, not a RST.
 *  - GTSM (RFC 5082) is not implemented; eBGP sets IP_TTL to
 *    ebgp-multihop (1 when directly connected). */

#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/netns.h"
#include "lib/wbuf.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/session.h"
#include "vrf/vrf.h"

struct bgp_listener {
	struct bgp *bgp;
	int fd;
	int nsfd;
	struct event *ev;
	int fd6;           /* IPv6 (IPV6_V6ONLY), -1 if none */
	struct event *ev6;
};

/* The listening socket that takes connections from addr's family. */
static int listen_fd(const struct bgp_listener *l, const struct ipaddr *addr)
{
	return addr->af == AF_INET6 ? l->fd6 : l->fd;
}

struct bgp_conn {
	struct bgp_peer *peer;
	int fd;
	bool outgoing;
	bool connecting;
	bool busy;   /* inside its read callback: free later */
	bool dead;
	bool failed; /* a write failed: report from the loop */
	struct event *ev_read, *ev_write;
	struct evbuffer *out;
	size_t inlen;
	uint8_t in[2 * BGP_MAX_MSG];
};

#define SESS(p) ((struct bgp_sess *)(p)->sess)

static const char *addr_str(const struct ipaddr *a, char *buf, size_t len)
{
	return ipaddr_ntop(a, buf, len);
}

/* struct ipaddr <-> socket addresses; an IPv4-mapped IPv6 address from a
 * dual-stack socket is its IPv4 address. */
static socklen_t ip_to_sa(const struct ipaddr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a->v6, 16);
		s6->sin6_port = htons(port);
		return sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(a->v4);
		s4->sin_port = htons(port);
		return sizeof(*s4);
	}
}

static struct ipaddr sa_to_ip(const struct sockaddr_storage *ss, uint16_t *port)
{
	struct ipaddr a;
	uint32_t v4;

	memset(&a, 0, sizeof(a));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		a = ipaddr_v4(ntohl(s4->sin_addr.s_addr));
		if (port != NULL)
			*port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		a = ipaddr_v6(s6->sin6_addr.s6_addr);
		if (ipaddr_v4mapped(&a, &v4))
			a = ipaddr_v4(v4);
		if (port != NULL)
			*port = ntohs(s6->sin6_port);
	}
	return a;
}

/* ------------------------------------------------------------ socket options */

static int set_md5(int fd, const struct ipaddr *addr, const char *password)
{
	struct tcp_md5sig md5;
	struct sockaddr_storage ss;
	size_t klen = strlen(password);

	memset(&md5, 0, sizeof(md5));
	ip_to_sa(addr, 0, &ss);
	memcpy(&md5.tcpm_addr, &ss, sizeof(md5.tcpm_addr));
	if (klen > TCP_MD5SIG_MAXKEYLEN)
		klen = TCP_MD5SIG_MAXKEYLEN;
	md5.tcpm_keylen = (uint16_t)klen;
	memcpy(md5.tcpm_key, password, klen);
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5));
}

/* eBGP: TTL = multihop (1 = directly connected); iBGP: 255. */
static void set_ttl(int fd, const struct bgp_peer *p)
{
	int ttl = 255;

	if (p->bgp != NULL && bgp_peer_ebgp(p, p->bgp->asn))
		ttl = p->cfg.ebgp_multihop ? p->cfg.ebgp_multihop : 1;
	if (p->cfg.addr.af == AF_INET6) {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)) == -1)
			log_warn("bgp: IPV6_UNICAST_HOPS");
	} else if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == -1) {
		log_warn("bgp: IP_TTL");
	}
}

static uint32_t our_id(const struct bgp_peer *p)
{
	if (p->bgp != NULL && p->bgp->router_id)
		return p->bgp->router_id;
	if (bgp_hooks != NULL && bgp_hooks->router_id != NULL && p->bgp != NULL) {
		uint32_t id = bgp_hooks->router_id(p->bgp);

		if (id)
			return id;
	}
	return p->local_addr.af == AF_INET ? p->local_addr.v4 : 0;
}

int bgp_instance_nsfd(const struct bgp *bgp)
{
	const struct bgp_listener *l;

	if (bgp == NULL)
		return -1;
	l = bgp->listen;
	if (l != NULL)
		return l->nsfd;
	if (bgp->vrf != NULL)
		return bgp->vrf->nsfd;
	return -1;
}

/* ------------------------------------------------------------ connections */

static void conn_read_cb(evutil_socket_t fd, short what, void *arg);
static void conn_write_cb(evutil_socket_t fd, short what, void *arg);

static struct bgp_conn *conn_new(struct bgp_peer *p, int fd, bool outgoing)
{
	struct bgp_conn *c = xcalloc(1, sizeof(*c));

	c->peer = p;
	c->fd = fd;
	c->outgoing = outgoing;
	c->out = evbuffer_new();
	c->ev_read = event_new(bgp_evbase, fd, EV_READ | EV_PERSIST, conn_read_cb, c);
	c->ev_write = event_new(bgp_evbase, fd, EV_WRITE | EV_PERSIST, conn_write_cb, c);
	if (c->out == NULL || c->ev_read == NULL || c->ev_write == NULL)
		fatalx("bgp: out of memory (connection)");
	return c;
}

static void conn_release(struct bgp_conn *c)
{
	event_free(c->ev_read);
	event_free(c->ev_write);
	evbuffer_free(c->out);
	free(c);
}

/* Closes the socket; frees now, or when its read callback returns. */
static void conn_close(struct bgp_conn *c)
{
	char junk[4096];
	int i;

	if (c == NULL || c->dead)
		return;
	event_del(c->ev_read);
	event_del(c->ev_write);
	if (c->fd >= 0) {
		if (!c->connecting) {
			/* last words (a NOTIFICATION) out, FIN, not RST */
			if (evbuffer_get_length(c->out) > 0)
				evbuffer_write(c->out, c->fd);
			shutdown(c->fd, SHUT_WR);
			for (i = 0; i < 16 && read(c->fd, junk, sizeof(junk)) > 0; i++)
				;
		}
		close(c->fd);
		c->fd = -1;
	}
	c->dead = true;
	c->peer = NULL;
	if (!c->busy)
		conn_release(c);
}

static void conn_flush(struct bgp_conn *c)
{
	while (evbuffer_get_length(c->out) > 0) {
		int n = evbuffer_write(c->out, c->fd);

		if (n > 0)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			break;
		/* report from the loop, never from inside an FSM action */
		c->failed = true;
		event_active(c->ev_write, EV_WRITE, 0);
		return;
	}
	if (evbuffer_get_length(c->out) > 0)
		event_add(c->ev_write, NULL);
	else if (!c->connecting)
		event_del(c->ev_write);
}

static int conn_send(struct bgp_conn *c, const void *msg, size_t len)
{
	if (c == NULL || c->dead || c->fd < 0)
		return -1;
	if (evbuffer_add(c->out, msg, len) == -1)
		return -1;
	if (!c->connecting)
		conn_flush(c);
	return 0;
}

static void conn_addrs(struct bgp_peer *p, struct bgp_conn *c)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(c->fd, (struct sockaddr *)&ss, &sl) == 0)
		p->local_addr = sa_to_ip(&ss, &p->local_port);
	sl = sizeof(ss);
	if (getpeername(c->fd, (struct sockaddr *)&ss, &sl) == 0)
		sa_to_ip(&ss, &p->remote_port);
}

/* ------------------------------------------------------------ messages out */

static int send_open_on(struct bgp_peer *p, struct bgp_conn *c)
{
	uint8_t msg[BGP_MAX_MSG];
	struct wbuf w = wbuf_init_fixed(msg, sizeof(msg));
	struct bgp_capa capa;

	bgp_fsm_local_capa(p, &capa);
	if (bgp_open_encode(&w, p->bgp->asn, bgp_fsm_cfg_holdtime(p), our_id(p), &capa) == -1)
		return -1;
	p->capa_sent = capa;
	p->cnt.msgs_out[BGP_MSG_OPEN]++;
	return conn_send(c, wbuf_data(&w), wbuf_len(&w));
}

static int notify_on(struct bgp_peer *p, struct bgp_conn *c, uint8_t code, uint8_t subcode,
		     const uint8_t *data, size_t len)
{
	uint8_t msg[BGP_MAX_MSG];
	struct wbuf w = wbuf_init_fixed(msg, sizeof(msg));

	if (bgp_notification_encode(&w, code, subcode, data, len) == -1 &&
	    bgp_notification_encode(&w, code, subcode, NULL, 0) == -1)
		return -1;
	p->cnt.msgs_out[BGP_MSG_NOTIFICATION]++;
	return conn_send(c, wbuf_data(&w), wbuf_len(&w));
}

/* ------------------------------------------------------------ FSM operations */

static int op_connect(struct bgp_peer *p)
{
	struct bgp_sess *s = SESS(p);
	struct sockaddr_storage ss;
	socklen_t sl;
	char a[IPADDR_STRLEN];
	struct ipaddr src = p->cfg.update_source_addr;
	int fd, fam = p->cfg.addr.af == AF_INET6 ? AF_INET6 : AF_INET;

	fd = netns_socket(bgp_instance_nsfd(p->bgp), fam,
			  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("peer %s: socket", addr_str(&p->cfg.addr, a, sizeof(a)));
		return -1;
	}
	if (src.af != 0 && src.af != fam)
		memset(&src, 0, sizeof(src)); /* an IPv4 source for an IPv6 peer: the kernel's choice */
	if (src.af == 0 && fam == AF_INET && p->cfg.update_source[0] != '\0') {
		/* the interface's address, looked up in the socket's namespace */
		struct ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", p->cfg.update_source);
		if (ioctl(fd, SIOCGIFADDR, &ifr) == 0)
			src = ipaddr_v4(ntohl(
				((struct sockaddr_in *)(void *)&ifr.ifr_addr)->sin_addr.s_addr));
		else
			log_warn("peer %s: update-source %s", addr_str(&p->cfg.addr, a, sizeof(a)),
				 p->cfg.update_source);
	}
	if (src.af != 0) {
		sl = ip_to_sa(&src, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl) == -1) {
			log_warn("peer %s: bind to update source", addr_str(&p->cfg.addr, a, sizeof(a)));
			goto fail;
		}
	}
	set_ttl(fd, p);
	if (p->cfg.password[0] != '\0' && set_md5(fd, &p->cfg.addr, p->cfg.password) == -1) {
		log_warn("peer %s: TCP_MD5SIG", addr_str(&p->cfg.addr, a, sizeof(a)));
		goto fail;
	}
	sl = ip_to_sa(&p->cfg.addr, s->port ? s->port : bgp_session_port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1 && errno != EINPROGRESS) {
		snprintf(p->last_error, sizeof(p->last_error), "connect: %s", strerror(errno));
		goto fail;
	}
	s->conn = conn_new(p, fd, true);
	s->conn->connecting = true;
	event_add(s->conn->ev_write, NULL);
	return 0;
fail:
	close(fd);
	return -1;
}

static void op_close(struct bgp_peer *p)
{
	struct bgp_sess *s = SESS(p);

	if (s == NULL)
		return;
	conn_close(s->conn);
	conn_close(s->conn2);
	s->conn = s->conn2 = NULL;
}

static int op_promote(struct bgp_peer *p)
{
	struct bgp_sess *s = SESS(p);

	conn_close(s->conn);
	s->conn = s->conn2;
	s->conn2 = NULL;
	if (s->conn == NULL)
		return -1;
	conn_addrs(p, s->conn);
	return 0;
}

static int op_send_open(struct bgp_peer *p)
{
	return send_open_on(p, SESS(p)->conn);
}

static int op_send_keepalive(struct bgp_peer *p)
{
	uint8_t msg[BGP_HDR_LEN];
	struct wbuf w = wbuf_init_fixed(msg, sizeof(msg));

	if (bgp_keepalive_encode(&w) == -1)
		return -1;
	p->cnt.msgs_out[BGP_MSG_KEEPALIVE]++;
	return conn_send(SESS(p)->conn, wbuf_data(&w), wbuf_len(&w));
}

static int op_send_notification(struct bgp_peer *p, uint8_t code, uint8_t subcode,
				const uint8_t *data, size_t len)
{
	char a[IPADDR_STRLEN];

	log_info("peer %s: sending NOTIFICATION %u/%u (%s/%s)", addr_str(&p->cfg.addr, a, sizeof(a)),
		 code, subcode, bgp_err_name(code), bgp_suberr_name(code, subcode));
	return notify_on(p, SESS(p)->conn, code, subcode, data, len);
}

static const struct bgp_fsm_ops session_ops = {
	.connect = op_connect,
	.close = op_close,
	.promote = op_promote,
	.send_open = op_send_open,
	.send_keepalive = op_send_keepalive,
	.send_notification = op_send_notification,
};

/* ------------------------------------------------------------ messages in */

/* RFC 4271 6.2 checks that need the configuration (the decoder did the
 * rest: version, hold time 1-2, identifier 0, parameters). */
static int open_verify(struct bgp_peer *p, const struct bgp_open *o, uint8_t *code,
		       uint8_t *subcode, char *err, size_t errlen)
{
	uint32_t as = o->capa.as4 ? o->capa.as4_asn : o->my_as;

	*code = BGP_ERR_OPEN;
	if (p->cfg.as_type == BGP_AS_EXTERNAL) {
		/* `remote-as external`: any AS but ours (FRR: Bad Peer AS) */
		if (as == p->bgp->asn) {
			snprintf(err, errlen, "OPEN: bad peer AS %u: remote-as external, and it is ours", as);
			*subcode = BGP_OPEN_BAD_PEER_AS;
			return -1;
		}
		p->cfg.remote_as = as;
	} else if (as != p->cfg.remote_as) {
		snprintf(err, errlen, "OPEN: bad peer AS %u, expected %u", as, p->cfg.remote_as);
		*subcode = BGP_OPEN_BAD_PEER_AS;
		return -1;
	}
	if (o->holdtime == 1 || o->holdtime == 2) {
		snprintf(err, errlen, "OPEN: unacceptable hold time %u", o->holdtime);
		*subcode = BGP_OPEN_BAD_HOLD;
		return -1;
	}
	/* RFC 6286 2.2: the same identifier is an error only within one AS */
	if (!bgp_peer_ebgp(p, p->bgp->asn) && o->bgp_id == our_id(p)) {
		snprintf(err, errlen, "OPEN: BGP identifier is ours");
		*subcode = BGP_OPEN_BAD_BGP_ID;
		return -1;
	}
	return 0;
}

static int open_parse(struct bgp_peer *p, const uint8_t *body, size_t len, struct bgp_open *o,
		      uint8_t *code, uint8_t *subcode, char *err, size_t errlen)
{
	if (bgp_open_decode(body, len, o, code, subcode, err, errlen) == -1)
		return -1;
	return open_verify(p, o, code, subcode, err, errlen);
}

/* The secondary connection's OPEN decides the collision (RFC 4271 6.8). */
static void collision_resolve(struct bgp_peer *p, const struct bgp_open *o)
{
	struct bgp_sess *s = SESS(p);
	char a[IPADDR_STRLEN];
	bool keep_new;

	if (p->state == BGP_ST_ESTABLISHED && p->capa_sent.gr && p->capa_rcvd.gr) {
		/* RFC 4724 4.2: a new connection from a peer that can restart
		 * gracefully, while the old one still looks up: the peer
		 * restarted and its FIN got lost. The old session ends as a TCP
		 * failure would (no NOTIFICATION: its routes are kept, stale) and
		 * the new one carries on. */
		struct bgp_fsm_arg arg = { .quiet = true,
					   .reason = "the peer restarted (a new connection, RFC 4724 4.2)" };

		log_info("peer %s: new connection while Established: the peer restarted",
			 addr_str(&p->cfg.addr, a, sizeof(a)));
		bgp_fsm_event(p, BGP_EV_COLLISION_DUMP, &arg);
		if (p->state == BGP_ST_OPENSENT) {
			struct bgp_fsm_arg oa = { .open = o };

			bgp_fsm_event(p, BGP_EV_OPEN, &oa);
		}
		return;
	}
	if (p->state == BGP_ST_ESTABLISHED)
		keep_new = false; /* 6.8: an Established connection wins */
	else if (p->state < BGP_ST_OPENSENT || !s->conn->outgoing)
		keep_new = true;  /* nothing to keep on the other one */
	else
		/* keep the one opened by the higher identifier: the remote's
		 * (the new, incoming one) if ours is lower */
		keep_new = our_id(p) < o->bgp_id;
	log_info("peer %s: connection collision in %s, keeping the %s connection",
		 addr_str(&p->cfg.addr, a, sizeof(a)), bgp_state_name(p->state),
		 keep_new ? "incoming" : "existing");
	if (!keep_new) {
		s->collisions++;
		notify_on(p, s->conn2, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0);
		conn_close(s->conn2);
		s->conn2 = NULL;
		return;
	}
	bgp_fsm_event(p, BGP_EV_COLLISION_DUMP, NULL);
	if (p->state == BGP_ST_OPENSENT) {
		struct bgp_fsm_arg arg = { .open = o };

		bgp_fsm_event(p, BGP_EV_OPEN, &arg);
	}
}

/* A message on the second connection of a collision. */
static void secondary_msg(struct bgp_peer *p, uint8_t type, const uint8_t *body, size_t len)
{
	struct bgp_sess *s = SESS(p);
	struct bgp_open o;
	uint8_t code, subcode;
	char err[160];

	if (type == BGP_MSG_OPEN) {
		if (open_parse(p, body, len, &o, &code, &subcode, err, sizeof(err)) == 0) {
			collision_resolve(p, &o);
			return;
		}
		{
			char a[IPADDR_STRLEN];

			log_info("peer %s: second connection: %s", addr_str(&p->cfg.addr, a, sizeof(a)),
				 err);
		}
		notify_on(p, s->conn2, code, subcode, NULL, 0);
	} else if (type != BGP_MSG_NOTIFICATION) {
		notify_on(p, s->conn2, BGP_ERR_FSM, 1, NULL, 0);
	}
	conn_close(s->conn2);
	s->conn2 = NULL;
}

/* A failed connection: the FSM's, or the spare one of a collision. */
static void conn_fail(struct bgp_conn *c, const char *reason)
{
	struct bgp_peer *p = c->peer;
	struct bgp_sess *s = SESS(p);
	struct bgp_fsm_arg arg = { .reason = reason, .quiet = true };

	if (c == s->conn2) {
		conn_close(c);
		s->conn2 = NULL;
		return;
	}
	if (s->conn2 != NULL) /* the other connection carries on */
		bgp_fsm_event(p, BGP_EV_COLLISION_DUMP, &arg);
	else
		bgp_fsm_event(p, BGP_EV_TCP_FAILS, &arg);
}

static void primary_msg(struct bgp_peer *p, uint8_t type, const uint8_t *body, size_t len)
{
	struct bgp_sess *s = SESS(p);
	struct bgp_fsm_arg arg;
	struct bgp_open o;
	char err[160];

	memset(&arg, 0, sizeof(arg));
	switch (type) {
	case BGP_MSG_OPEN:
		if (open_parse(p, body, len, &o, &arg.code, &arg.subcode, err, sizeof(err)) == -1) {
			arg.reason = err;
			bgp_fsm_event(p, BGP_EV_OPEN_ERR, &arg);
			return;
		}
		arg.open = &o;
		bgp_fsm_event(p, BGP_EV_OPEN, &arg);
		return;
	case BGP_MSG_UPDATE:
		arg.data = body;
		arg.len = len;
		bgp_fsm_event(p, BGP_EV_UPDATE, &arg);
		return;
	case BGP_MSG_NOTIFICATION:
		if (bgp_notification_decode(body, len, &arg.code, &arg.subcode, &arg.data,
					    &arg.len) == -1)
			arg.code = arg.subcode = 0;
		{
			char a[IPADDR_STRLEN];

			log_info("peer %s: received NOTIFICATION %u/%u (%s/%s)",
				 addr_str(&p->cfg.addr, a, sizeof(a)), arg.code, arg.subcode,
				 bgp_err_name(arg.code), bgp_suberr_name(arg.code, arg.subcode));
		}
		if (arg.code == BGP_ERR_CEASE && arg.subcode == BGP_CEASE_COLLISION &&
		    s->conn2 != NULL) {
			/* the peer dumped this one: go on with the other */
			arg.quiet = true;
			bgp_fsm_event(p, BGP_EV_COLLISION_DUMP, &arg);
			return;
		}
		bgp_fsm_event(p, BGP_EV_NOTIF, &arg);
		return;
	case BGP_MSG_KEEPALIVE:
		bgp_fsm_event(p, BGP_EV_KEEPALIVE, NULL);
		return;
	case BGP_MSG_ROUTE_REFRESH:
		if (bgp_route_refresh_decode(body, len, &arg.af) == -1) {
			arg.code = BGP_ERR_ROUTE_REFRESH;
			arg.subcode = 1; /* RFC 7313 5: Invalid Message Length */
			arg.reason = "bad ROUTE-REFRESH length";
			bgp_fsm_event(p, BGP_EV_HDR_ERR, &arg);
			return;
		}
		if (arg.af < 0 || (p->state == BGP_ST_ESTABLISHED && !p->af_nego[arg.af])) {
			/* RFC 2918 4: ignore an AFI/SAFI not negotiated, but it
			 * still proves the peer alive */
			if (p->state == BGP_ST_ESTABLISHED && p->holdtime)
				bgp_fsm_event(p, BGP_EV_KEEPALIVE, NULL);
			return;
		}
		bgp_fsm_event(p, BGP_EV_ROUTE_REFRESH, &arg);
		return;
	}
}

/* Splits the input into messages (RFC 4271 4.1) and dispatches them; stops
 * when the connection goes away under us. */
static void conn_parse(struct bgp_conn *c)
{
	size_t off = 0;

	while (!c->dead && c->inlen - off >= BGP_HDR_LEN) {
		struct bgp_peer *p = c->peer;
		const uint8_t *m = c->in + off;
		uint16_t len;
		uint8_t type, code, subcode;
		char err[160];

		if (bgp_hdr_check(m, &len, &type, &code, &subcode, err, sizeof(err)) == -1) {
			/* RFC 4271 6.1: the bad length or type as data */
			uint8_t data[2];
			struct bgp_fsm_arg arg = { .code = code, .subcode = subcode, .data = data,
						   .reason = err };

			if (subcode == BGP_HDR_BAD_TYPE) {
				data[0] = m[18];
				arg.len = 1;
			} else if (subcode == BGP_HDR_BAD_LEN) {
				data[0] = m[16];
				data[1] = m[17];
				arg.len = 2;
			}
			if (c == SESS(p)->conn2) {
				notify_on(p, c, code, subcode, arg.data, arg.len);
				conn_close(c);
				SESS(p)->conn2 = NULL;
			} else {
				bgp_fsm_event(p, BGP_EV_HDR_ERR, &arg);
			}
			return;
		}
		if (c->inlen - off < len)
			break;
		off += len;
		if (type < 6)
			p->cnt.msgs_in[type]++;
		if (c == SESS(p)->conn2)
			secondary_msg(p, type, m + BGP_HDR_LEN, len - BGP_HDR_LEN);
		else
			primary_msg(p, type, m + BGP_HDR_LEN, len - BGP_HDR_LEN);
	}
	if (!c->dead && off > 0) {
		memmove(c->in, c->in + off, c->inlen - off);
		c->inlen -= off;
	}
}

static void conn_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bgp_conn *c = arg;
	int rounds;

	(void)what;
	c->busy = true;
	for (rounds = 0; rounds < 8 && !c->dead; rounds++) {
		ssize_t n = read(fd, c->in + c->inlen, sizeof(c->in) - c->inlen);

		if (n == 0) {
			conn_fail(c, "connection closed by peer");
			break;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				break;
			{
				char why[96];

				snprintf(why, sizeof(why), "read: %s", strerror(errno));
				conn_fail(c, why);
			}
			break;
		}
		c->inlen += (size_t)n;
		conn_parse(c);
		if (c->dead || (c->peer != NULL && SESS(c->peer)->read_paused))
			break;
	}
	c->busy = false;
	if (c->dead)
		conn_release(c);
}

static void conn_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bgp_conn *c = arg;
	struct bgp_peer *p = c->peer;
	int err = 0;
	socklen_t el = sizeof(err);

	(void)what;
	if (c->failed) {
		conn_fail(c, "write failed");
		return;
	}
	if (c->connecting) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == -1)
			err = errno;
		if (err != 0) {
			char why[96];

			snprintf(why, sizeof(why), "connect: %s", strerror(err));
			conn_fail(c, why);
			return;
		}
		c->connecting = false;
		event_del(c->ev_write);
		if (!SESS(p)->read_paused)
			event_add(c->ev_read, NULL);
		conn_addrs(p, c);
		bgp_fsm_event(p, BGP_EV_TCP_VALID, NULL);
		return;
	}
	conn_flush(c);
	if (c->failed)
		conn_fail(c, "write failed");
}

/* ------------------------------------------------------------ listening */

static void listen_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct bgp_listener *l = arg;
	struct sockaddr_storage sin;
	socklen_t sl = sizeof(sin);
	struct bgp_peer *p;
	struct bgp_sess *s;
	struct bgp_conn *c;
	char a[IPADDR_STRLEN];
	struct ipaddr raddr;
	int fd;

	(void)what;
	fd = accept4(lfd, (struct sockaddr *)&sin, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			log_warn("bgp: accept");
		return;
	}
	raddr = sa_to_ip(&sin, NULL);
	for (p = l->bgp->peers; p != NULL; p = p->next)
		if (ipaddr_equal(&p->cfg.addr, &raddr))
			break;
	if (p == NULL) {
		log_info("bgp: connection from unknown peer %s refused",
			 addr_str(&raddr, a, sizeof(a)));
		close(fd);
		return;
	}
	s = SESS(p);
	if (s == NULL || !s->started || p->state == BGP_ST_IDLE) {
		log_info("peer %s: connection refused in Idle", addr_str(&raddr, a, sizeof(a)));
		close(fd);
		return;
	}
	set_ttl(fd, p);
	if (s->conn == NULL) {
		s->conn = c = conn_new(p, fd, false);
		if (!s->read_paused)
			event_add(c->ev_read, NULL);
		conn_addrs(p, c);
		bgp_fsm_event(p, BGP_EV_TCP_CONFIRMED, NULL);
		return;
	}
	if (s->conn2 != NULL) {
		log_info("peer %s: third connection refused", addr_str(&raddr, a, sizeof(a)));
		close(fd);
		return;
	}
	/* possible collision: answer with our OPEN, decide on its OPEN */
	s->conn2 = c = conn_new(p, fd, false);
	if (!s->read_paused)
		event_add(c->ev_read, NULL);
	send_open_on(p, c);
}

static void listen_md5_all(struct bgp_listener *l)
{
	struct bgp_peer *p;
	char a[IPADDR_STRLEN];

	for (p = l->bgp->peers; p != NULL; p = p->next)
		if (p->cfg.password[0] != '\0' && listen_fd(l, &p->cfg.addr) >= 0 &&
		    set_md5(listen_fd(l, &p->cfg.addr), &p->cfg.addr, p->cfg.password) == -1)
			log_warn("peer %s: TCP_MD5SIG on listener", addr_str(&p->cfg.addr, a, sizeof(a)));
}

void bgp_listen_md5_update(struct bgp_peer *p)
{
	struct bgp_listener *l = p->bgp != NULL ? p->bgp->listen : NULL;

	if (l == NULL || listen_fd(l, &p->cfg.addr) < 0)
		return;
	/* an empty key deletes it (ENOENT when there was none: fine) */
	set_md5(listen_fd(l, &p->cfg.addr), &p->cfg.addr, p->cfg.password);
}

int bgp_listen_start_at(struct bgp *bgp, int nsfd, uint32_t addr, uint16_t port, char *err,
			size_t errlen)
{
	struct bgp_listener *l;
	struct sockaddr_in sin;
	int fd, on = 1;

	if (bgp->listen != NULL)
		return 0;
	fd = netns_socket(nsfd, AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(addr);
	sin.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 || listen(fd, 16) == -1) {
		snprintf(err, errlen, "bind/listen port %u: %s", port, strerror(errno));
		close(fd);
		return -1;
	}
	l = xcalloc(1, sizeof(*l));
	l->bgp = bgp;
	l->fd = fd;
	l->nsfd = nsfd;
	l->fd6 = -1;
	l->ev = event_new(bgp_evbase, fd, EV_READ | EV_PERSIST, listen_accept_cb, l);
	if (l->ev == NULL)
		fatalx("bgp: event_new");
	event_add(l->ev, NULL);
	if (addr == INADDR_ANY) {
		/* IPv6 peers: a second socket, IPv6 only (the IPv4 one keeps the
		 * IPv4 peers; a namespace without IPv6 just has no IPv6 sessions) */
		struct sockaddr_in6 s6;

		fd = netns_socket(nsfd, AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons(port);
		if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
				setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) == -1 ||
				bind(fd, (struct sockaddr *)&s6, sizeof(s6)) == -1 ||
				listen(fd, 16) == -1)) {
			log_warn("bgp: IPv6 listener on port %u", port);
			close(fd);
			fd = -1;
		}
		if (fd >= 0) {
			l->fd6 = fd;
			l->ev6 = event_new(bgp_evbase, fd, EV_READ | EV_PERSIST, listen_accept_cb, l);
			if (l->ev6 == NULL)
				fatalx("bgp: event_new");
			event_add(l->ev6, NULL);
		}
	}
	bgp->listen = l;
	listen_md5_all(l);
	return 0;
}

int bgp_listen_start(struct bgp *bgp, int nsfd, char *err, size_t errlen)
{
	return bgp_listen_start_at(bgp, nsfd, INADDR_ANY, bgp_session_port, err, errlen);
}

void bgp_listen_stop(struct bgp *bgp)
{
	struct bgp_listener *l = bgp->listen;

	if (l == NULL)
		return;
	event_free(l->ev);
	close(l->fd);
	if (l->fd6 >= 0) {
		event_free(l->ev6);
		close(l->fd6);
	}
	free(l);
	bgp->listen = NULL;
}

/* ------------------------------------------------------------ upper layer */

void bgp_session_init(struct event_base *base, const struct bgp_session_hooks *h)
{
	bgp_evbase = base;
	bgp_hooks = h;
	bgp_fsm_ops = &session_ops;
}

void bgp_peer_start(struct bgp_peer *p)
{
	char a[IPADDR_STRLEN];

	bgp_sess_get(p);
	if (p->cfg.shutdown || (p->cfg.remote_as == 0 && p->cfg.as_type != BGP_AS_EXTERNAL)) {
		log_debug("peer %s: not started (shutdown or no remote-as)",
			  addr_str(&p->cfg.addr, a, sizeof(a)));
		return;
	}
	bgp_listen_md5_update(p);
	bgp_fsm_event(p, BGP_EV_START, NULL);
}

void bgp_peer_stop(struct bgp_peer *p, uint8_t cease_subcode)
{
	struct bgp_fsm_arg arg = { .subcode = cease_subcode };

	if (p->sess == NULL)
		return;
	bgp_fsm_event(p, BGP_EV_STOP, &arg);
}

void bgp_peer_reset(struct bgp_peer *p, uint8_t code, uint8_t subcode, const uint8_t *data,
		    size_t len)
{
	struct bgp_fsm_arg arg = { .code = code, .subcode = subcode, .data = data, .len = len };

	if (p->sess == NULL)
		return;
	bgp_fsm_event(p, BGP_EV_UPDATE_ERR, &arg);
}

void bgp_peer_bfd_down(struct bgp_peer *p)
{
	struct bgp_fsm_arg arg = { .code = BGP_ERR_CEASE, .subcode = 10, /* BFD Down, RFC 9384 */
				   .reason = "BFD down received" };

	if (p->sess == NULL || p->state < BGP_ST_OPENSENT)
		return;
	bgp_fsm_event(p, BGP_EV_UPDATE_ERR, &arg);
}

int bgp_peer_send(struct bgp_peer *p, const uint8_t *msg, size_t len)
{
	struct bgp_sess *s = SESS(p);

	if (s == NULL || p->state != BGP_ST_ESTABLISHED || s->conn == NULL || len < BGP_HDR_LEN ||
	    len > BGP_MAX_MSG)
		return -1;
	if (evbuffer_get_length(s->conn->out) + len > bgp_outq_max)
		return -1;
	if (msg[18] < 6)
		p->cnt.msgs_out[msg[18]]++;
	return conn_send(s->conn, msg, len);
}

size_t bgp_peer_outq(const struct bgp_peer *p)
{
	const struct bgp_sess *s = p->sess;

	if (s == NULL || s->conn == NULL)
		return 0;
	return evbuffer_get_length(s->conn->out);
}

static bool close_quietly;

void bgp_sessions_close_quietly(void)
{
	close_quietly = true;
}

void bgp_peer_free_session(struct bgp_peer *p)
{
	struct bgp_fsm_arg arg = { .subcode = BGP_CEASE_PEER_DECONFIG, .reason = "peer deleted" };
	struct bgp_sess *s = SESS(p);

	if (s == NULL)
		return;
	/* a restart that keeps forwarding: the connection just closes, and a
	 * helper keeps our routes (RFC 4724 4: a NOTIFICATION would end that) */
	if (close_quietly && p->state == BGP_ST_ESTABLISHED && p->bgp != NULL &&
	    p->bgp->gr_mode == BGP_GR_RESTART && p->capa_sent.gr && p->capa_rcvd.gr)
		log_info("BGP peer: session closed without NOTIFICATION (graceful restart)");
	else if (p->state != BGP_ST_IDLE)
		bgp_fsm_event(p, BGP_EV_STOP, &arg); /* Cease/3 when an OPEN went out */
	if (p->cfg.password[0] != '\0' && p->bgp != NULL && p->bgp->listen != NULL) {
		struct bgp_listener *l = p->bgp->listen;

		if (listen_fd(l, &p->cfg.addr) >= 0)
			set_md5(listen_fd(l, &p->cfg.addr), &p->cfg.addr, "");
	}
	bgp_sess_free(p);
	p->state = BGP_ST_IDLE;
}

void bgp_peer_set_port(struct bgp_peer *p, uint16_t port)
{
	bgp_sess_get(p)->port = port;
}

void bgp_peer_read_pause(struct bgp_peer *p, bool pause)
{
	struct bgp_sess *s = bgp_sess_get(p);

	s->read_paused = pause;
	if (s->conn != NULL && !s->conn->connecting) {
		if (pause)
			event_del(s->conn->ev_read);
		else
			event_add(s->conn->ev_read, NULL);
	}
}
