/* LDP's sockets: the discovery (UDP 646) and session (TCP 646) listeners,
 * the options of a session's socket, and the connections accepted in the
 * passive role (RFC 5036 2.5.2). A connection from an address we have no
 * Hello from yet is held LDP_PENDING_CONN_TIMEOUT seconds for that Hello
 * (struct ldp_pending).
 *
 * Security: TCP MD5 (RFC 5925's predecessor, RFC 2385) with TCP_MD5SIG for
 * `neighbor X password`; GTSM (RFC 6720) for link sessions: our link
 * Hellos carry the G bit unless `ttl-security disable`; when the peer's
 * Hellos carry it, the session sends with TTL 255 and (if ours is on too)
 * accepts only TTL 255 (IP_MINTTL). */
#include "config.h"

#include <event2/event.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ldp/ldpd_priv.h"
#include "ldp/wire.h"
#include "lib/log.h"

#ifndef IP_MINTTL
#define IP_MINTTL 21
#endif

/* A connection from an address with no adjacency yet (the peer heard our
 * Hello before we heard its own): held until its Hello comes. */
struct ldp_pending {
	struct ldp_pending *next;
	int fd;
	uint32_t addr;
	uint16_t port;
	struct event *ev_timeout;
};

/* ---- listeners ---- */

int ldpd_udp_open(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1, ttl = 1,
	    zero = 0;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(LDP_PORT) };

	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(s, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)); /* link hellos: TTL 1 */
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero));
	/* Linux: Hellos to the groups joined by the interfaces' membership
	 * sockets (struct ldp_ifrt) are delivered here */
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_ALL, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		log_warn("ldp: bind UDP 646");
		close(s);
		return -1;
	}
	return s;
}

int ldpd_tcp_open(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1, ttl = 255;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(LDP_PORT) };

	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* RFC 6720: the SYN-ACK already goes out with TTL 255 (a GTSM peer
	 * drops anything lower) */
	setsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 || listen(s, SOMAXCONN) != 0) {
		log_warn("ldp: listen TCP 646");
		close(s);
		return -1;
	}
	for (int i = 0; i < ldpd_conf.nnbr; i++)
		if (ldpd_conf.nbr[i].password[0])
			ldpd_md5_set(s, ldpd_conf.nbr[i].lsr_id, ldpd_conf.nbr[i].password);
	return s;
}

/* ---- socket options ---- */

void ldpd_md5_set(int fd, uint32_t addr, const char *password)
{
	struct tcp_md5sig md5;
	struct sockaddr_in *sin = (struct sockaddr_in *)&md5.tcpm_addr;
	size_t len = strlen(password);

	memset(&md5, 0, sizeof(md5));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
	if (len > TCP_MD5SIG_MAXKEYLEN)
		len = TCP_MD5SIG_MAXKEYLEN;
	md5.tcpm_keylen = (uint16_t)len;
	memcpy(md5.tcpm_key, password, len);
	if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5)) != 0)
		log_warn("ldp: TCP_MD5SIG");
}

static bool nbr_gtsm(const struct ldp_nbr *n, bool *check)
{
	struct ldp_nbr_conf *nc = ldpd_nbr_conf(n->lsr_id);

	*check = !ldpd_conf.gtsm_off && !(nc && nc->ttl_security_off);
	for (struct ldp_adj *a = ldpd_g.adjs; a; a = a->next)
		if (a->nbr == n && a->type == LDP_ADJ_LINK && a->gtsm)
			return true;
	return false;
}

/* RFC 6720: send with TTL 255 and, when both ends do GTSM, accept only 255 */
void ldpd_sock_session_opts(struct ldp_nbr *n, int fd)
{
	int one = 1, ttl = 255;
	bool check;
	struct ldp_nbr_conf *nc = ldpd_nbr_conf(n->lsr_id);

	evutil_make_socket_nonblocking(fd);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	n->gtsm = nbr_gtsm(n, &check);
	if (n->gtsm) {
		setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
		if (check)
			setsockopt(fd, IPPROTO_IP, IP_MINTTL, &ttl, sizeof(ttl));
		else
			n->gtsm = false;
	}
	n->md5 = nc && nc->password[0];
	if (n->md5)
		ldpd_md5_set(fd, n->raddr, nc->password);
}

/* ---- passive role: accept ---- */

void ldpd_pending_del(struct ldp_pending *p, bool close_fd)
{
	struct ldp_pending **pp;

	for (pp = &ldpd_g.pending; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	ldpd_g.npending--;
	if (close_fd)
		close(p->fd);
	event_free(p->ev_timeout);
	free(p);
}

static void pending_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_pending *p = arg;
	char b[ADDR4_STRLEN];

	(void)fd;
	(void)what;
	log_info("ldp: connection from %s closed: no Hello from it within %d s",
		 addr4_ntop(p->addr, b, sizeof(b)), LDP_PENDING_CONN_TIMEOUT);
	ldpd_g.st.conn_pending_expired++;
	ldpd_pending_del(p, true);
}

/* A Hello made n known: a connection it opened before is its session now. */
void ldpd_pending_adopt(struct ldp_nbr *n)
{
	struct ldp_pending *p;

	if (n->active || n->fd >= 0 || n->fsm.state != LDP_NBR_STA_NONEXISTENT)
		return;
	for (p = ldpd_g.pending; p; p = p->next)
		if (p->addr == n->raddr) {
			int s = p->fd;
			uint16_t port = p->port;

			ldpd_pending_del(p, false);
			ldpd_g.st.conn_adopted++;
			if (ldp_debug & LDP_DEBUG_EVENTS)
				log_info("ldp nbr %s: held connection bound to the new adjacency",
					 n->fsm.name);
			ldpd_nbr_take_conn(n, s, port);
			return;
		}
}

/* RFC 5036 2.5.3 wants a Hello from the source before the session: a
 * connection that comes first (the peer heard our Hello, we have not heard
 * its own yet) is held for LDP_PENDING_CONN_TIMEOUT seconds instead of
 * reset, which would cost the peer its 15 s initialization backoff. One per
 * source address (a newer one replaces it), at most ldpd_adj_limit(). */
static void pending_add(int s, uint32_t addr, uint16_t port)
{
	struct timeval tv = { LDP_PENDING_CONN_TIMEOUT, 0 };
	struct ldp_pending *p;

	for (p = ldpd_g.pending; p; p = p->next)
		if (p->addr == addr) {
			ldpd_pending_del(p, true);
			break;
		}
	if (ldpd_g.npending >= ldpd_adj_limit()) {
		ldpd_g.st.conn_refused++;
		close(s);
		return;
	}
	p = xcalloc(1, sizeof(*p));
	p->fd = s;
	p->addr = addr;
	p->port = port;
	p->ev_timeout = evtimer_new(ldpd_g.base, pending_timeout_cb, p);
	evtimer_add(p->ev_timeout, &tv);
	p->next = ldpd_g.pending;
	ldpd_g.pending = p;
	ldpd_g.npending++;
	ldpd_g.st.conn_pending++;
}

void ldpd_tcp_accept_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct ldp_nbr *n;
	uint32_t addr;
	int s;

	(void)what;
	(void)arg;
	s = accept4(fd, (struct sockaddr *)&sin, &sl, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (s < 0)
		return;
	addr = ntohl(sin.sin_addr.s_addr);
	n = ldpd_nbr_find_addr(addr);
	if (n == NULL) {
		pending_add(s, addr, ntohs(sin.sin_port));
		return;
	}
	/* only when we are the passive side and have no session yet */
	if (n->fd >= 0 || n->active || n->fsm.state != LDP_NBR_STA_NONEXISTENT) {
		ldpd_g.st.conn_refused++;
		close(s);
		return;
	}
	ldpd_nbr_take_conn(n, s, ntohs(sin.sin_port));
}
