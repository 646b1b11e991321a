/* BFD sessions: the registry, sockets, timers and clients (see bfd.h; the
 * state machine is session.c).
 *
 * Sockets. Received packets come in on one socket per (VRF, family, hop
 * mode), bound to port 3784 (single-hop) or 4784 (multi-hop) in the VRF's
 * namespace, with the TTL/hop limit and destination address of each
 * datagram asked from the kernel (RFC 5881 5 wants 255 for single-hop; a
 * multi-hop packet must arrive with at least the session's minimum TTL).
 * Each session sends from a socket of its own, bound to its local address
 * (if given) and to a source port in 49152-65535 that no other session of
 * ours holds (RFC 5881 4), with TTL 255 and DSCP CS6.
 *
 * Demultiplexing (RFC 5880 6.8.6): Your Discriminator when set, else the
 * addresses, VRF, hop mode and (single-hop with `interface`) the ifindex.
 *
 * Clients are called back in the middle of packet and timer handling, and
 * may delete clients (theirs or others'): while any handling is under way
 * (depth > 0) a deleted client is only marked, and sessions nobody wants
 * any more are freed when the outermost handling returns (leave()). A
 * session that goes away says AdminDown first (RFC 5880 6.8.16) so that the
 * remote does not take it for a failure. A session whose sockets cannot be
 * opened (its local address not there yet, its VRF namespace missing) is
 * retried every 5 s. */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bfd/bfd.h"
#include "lib/log.h"
#include "lib/netns.h"

struct bfd_client {
	struct bfd_client *next;
	struct bfd_sess *s;
	bfd_notify_fn cb;
	void *arg;
	char profile[BFD_NAME_LEN];
	uint8_t min_ttl;
	bool dead;                 /* deleted during a callback; freed by leave() */
};

struct rxsock {
	struct rxsock *next;
	char vrf[BFD_VRFNAMSIZ];
	int af;
	bool multihop;
	int fd;
	unsigned refs;             /* sessions using it; closed at 0 */
	struct event *ev;
};

#define DISC_BUCKETS 1024

static struct bfd_sess *sessions;
static size_t nsessions;
static struct bfd_sess *disc_hash[DISC_BUCKETS];
static struct bfd_profile *profiles;
static struct rxsock *rxsocks;
static struct event_base *base;
static int (*nsfd_fn)(const char *vrf);
static int (*ifindex_fn)(const char *vrf, const char *ifname);
static uint32_t rnd_state;
static unsigned depth;         /* handling under way: frees wait */
static bool gc_pending;
static struct event *retry_ev;

uint64_t bfd_rx_no_session;
uint64_t bfd_rx_bad;

static void sess_start(struct bfd_sess *s);
static void sess_stop(struct bfd_sess *s);

uint64_t bfd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Discriminators and source ports are not predictable (getrandom): with
 * no authentication they are what a blind attacker must guess. */
static uint32_t rnd_strong(void)
{
	uint32_t v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v))
		v = (uint32_t)bfd_now() * 2654435761u ^ (uint32_t)getpid();
	return v;
}

static uint32_t rnd(void)
{
	/* xorshift32 for jitter: spread, not secrecy */
	uint32_t x = rnd_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rnd_state = x;
}

void bfd_set_nsfd_fn(int (*fn)(const char *vrf))
{
	nsfd_fn = fn;
}

void bfd_set_ifindex_fn(int (*fn)(const char *vrf, const char *ifname))
{
	ifindex_fn = fn;
}

/* ---- registry ---- */

struct bfd_sess *bfd_sess_first(void)
{
	return sessions;
}

struct bfd_sess *bfd_sess_next(const struct bfd_sess *s)
{
	return s->next;
}

size_t bfd_sess_count(void)
{
	return nsessions;
}

bool bfd_key_equal(const struct bfd_key *a, const struct bfd_key *b)
{
	return a->multihop == b->multihop && ipaddr_equal(&a->peer, &b->peer) &&
	       a->local.af == b->local.af && (a->local.af == 0 || ipaddr_equal(&a->local, &b->local)) &&
	       strcmp(a->ifname, b->ifname) == 0 && strcmp(a->vrf, b->vrf) == 0;
}

struct bfd_sess *bfd_sess_lookup(const struct bfd_key *k)
{
	for (struct bfd_sess *s = sessions; s != NULL; s = s->next)
		if (bfd_key_equal(&s->key, k))
			return s;
	return NULL;
}

struct bfd_sess *bfd_sess_by_disc(uint32_t disc)
{
	for (struct bfd_sess *s = disc_hash[disc % DISC_BUCKETS]; s != NULL; s = s->dnext)
		if (s->local_disc == disc)
			return s;
	return NULL;
}

static const struct bfd_profile *sess_profile(const struct bfd_sess *s)
{
	if (s->profile[0])
		return bfd_profile_lookup(s->profile);
	if (!s->configured)
		for (const struct bfd_client *c = s->clients; c != NULL; c = c->next)
			if (!c->dead && c->profile[0])
				return bfd_profile_lookup(c->profile);
	return NULL;
}

/* The profile, with the lowest minimum TTL a client asked for under it. */
static const struct bfd_profile *sess_settings(const struct bfd_sess *s, struct bfd_profile *buf)
{
	const struct bfd_profile *p = sess_profile(s);
	uint8_t ttl = 0;

	for (const struct bfd_client *c = s->clients; c != NULL; c = c->next)
		if (!c->dead && c->min_ttl != 0 && (ttl == 0 || c->min_ttl < ttl))
			ttl = c->min_ttl;
	if (ttl == 0 || (p != NULL && (p->p.set & BFD_SET_TTL)))
		return p;
	if (p != NULL)
		*buf = *p;
	else
		memset(buf, 0, sizeof(*buf));
	buf->p.set |= BFD_SET_TTL;
	buf->p.min_ttl = ttl;
	return buf;
}

/* keys sort as FRR lists them: by VRF, then peer address, then the rest */
static int key_cmp(const struct bfd_key *a, const struct bfd_key *b)
{
	int r = strcmp(a->vrf, b->vrf);

	if (r == 0)
		r = ipaddr_cmp(&a->peer, &b->peer);
	if (r == 0)
		r = (int)a->multihop - (int)b->multihop;
	if (r == 0)
		r = ipaddr_cmp(&a->local, &b->local);
	if (r == 0)
		r = strcmp(a->ifname, b->ifname);
	return r;
}

static struct bfd_sess *sess_create(const struct bfd_key *k)
{
	struct bfd_sess *s = xcalloc(1, sizeof(*s)), **pp;
	uint32_t d;

	s->key = *k;
	s->txfd = -1;
	do
		d = rnd_strong();
	while (d == 0 || bfd_sess_by_disc(d) != NULL);
	s->local_disc = d;
	s->dnext = disc_hash[d % DISC_BUCKETS];
	disc_hash[d % DISC_BUCKETS] = s;
	bfd_sess_init(s, bfd_now());
	bfd_sess_params(s, NULL, bfd_now());
	for (pp = &sessions; *pp != NULL && key_cmp(&(*pp)->key, k) < 0; pp = &(*pp)->next)
		;
	s->next = *pp;
	*pp = s;
	nsessions++;
	return s;
}

static void tx_send(struct bfd_sess *s, bool final);

static void (*observer)(const struct bfd_sess *s, uint8_t old_state, bool gone);

static void sess_free(struct bfd_sess *s)
{
	struct bfd_sess **pp;

	if (observer != NULL)
		observer(s, s->state, true);

	if (s->started && s->state != BFD_ADMIN_DOWN) {
		/* 6.8.16: tell the remote it is administrative, not a failure */
		s->state = BFD_ADMIN_DOWN;
		s->diag = BFD_DIAG_ADMIN_DOWN;
		for (int i = 0; i < 3; i++)
			tx_send(s, false);
	}
	sess_stop(s);
	for (pp = &disc_hash[s->local_disc % DISC_BUCKETS]; *pp != s; pp = &(*pp)->dnext)
		;
	*pp = s->dnext;
	for (pp = &sessions; *pp != s; pp = &(*pp)->next)
		;
	*pp = s->next;
	nsessions--;
	free(s);
}

static void client_free_dead(struct bfd_sess *s)
{
	for (struct bfd_client **pp = &s->clients; *pp != NULL;) {
		struct bfd_client *c = *pp;

		if (c->dead) {
			*pp = c->next;
			free(c);
		} else {
			pp = &c->next;
		}
	}
}

static void sess_gc(struct bfd_sess *s)
{
	if (depth > 0) {
		gc_pending = true;
		return;
	}
	client_free_dead(s);
	if (!s->configured && s->clients == NULL)
		sess_free(s);
}

static void enter(void)
{
	depth++;
}

static void leave(void)
{
	struct bfd_sess *s, *next;

	if (--depth > 0 || !gc_pending)
		return;
	gc_pending = false;
	for (s = sessions; s != NULL; s = next) {
		next = s->next;
		sess_gc(s);
	}
}

const char *bfd_key_str(const struct bfd_key *k, char *buf, size_t len)
{
	char p[IPADDR_STRLEN], l[IPADDR_STRLEN];

	ipaddr_ntop(&k->peer, p, sizeof(p));
	if (k->local.af != 0)
		ipaddr_ntop(&k->local, l, sizeof(l));
	snprintf(buf, len, "%s%s%s%s%s%s%s%s", p, k->multihop ? " multihop" : "",
		 k->local.af ? " local-address " : "", k->local.af ? l : "",
		 k->ifname[0] ? " interface " : "", k->ifname, k->vrf[0] ? " vrf " : "", k->vrf);
	return buf;
}

static void tx_schedule(struct bfd_sess *s, bool now);

void bfd_set_observer(void (*fn)(const struct bfd_sess *s, uint8_t old_state, bool gone))
{
	observer = fn;
}

static void notify(struct bfd_sess *s, uint8_t old)
{
	struct bfd_client *c, *next;
	char name[128];

	if (observer != NULL)
		observer(s, old, false);

	log_info("BFD peer %s: %s -> %s%s%s", bfd_key_str(&s->key, name, sizeof(name)), bfd_state_str(old),
		 bfd_state_str(s->state), s->diag ? ", " : "", s->diag ? bfd_diag_str(s->diag) : "");
	enter();
	for (c = s->clients; c != NULL; c = next) {
		next = c->next; /* not freed before leave() */
		if (c->dead)
			continue;
		s->cnt.notifications++;
		c->cb(c->arg, s, old);
	}
	leave();
}

/* Settings changed (own, profile or a client's profile): recompute, tell
 * the remote at once. */
static void sess_refresh(struct bfd_sess *s)
{
	struct bfd_profile buf;
	uint8_t old = s->state;

	enter();
	if (bfd_sess_params(s, sess_settings(s, &buf), bfd_now()))
		notify(s, old);
	tx_schedule(s, true);
	leave();
}

struct bfd_sess *bfd_peer_get(const struct bfd_key *k, char *err, size_t errlen)
{
	struct bfd_sess *s = bfd_sess_lookup(k);

	if (k->peer.af != AF_INET && k->peer.af != AF_INET6) {
		snprintf(err, errlen, "peer address family not supported");
		return NULL;
	}
	if (k->local.af != 0 && k->local.af != k->peer.af) {
		snprintf(err, errlen, "local-address and peer are not of the same family");
		return NULL;
	}
	if (k->multihop && k->local.af == 0) {
		snprintf(err, errlen, "multihop sessions need a local-address");
		return NULL;
	}
	if (s == NULL) {
		s = sess_create(k);
		if (base != NULL)
			sess_start(s);
	}
	s->configured = true;
	return s;
}

void bfd_peer_del(struct bfd_sess *s)
{
	s->configured = false;
	memset(&s->own, 0, sizeof(s->own));
	s->profile[0] = '\0';
	if (s->clients != NULL)
		sess_refresh(s);
	sess_gc(s);
}

void bfd_peer_changed(struct bfd_sess *s)
{
	sess_refresh(s);
}

/* ---- profiles ---- */

struct bfd_profile *bfd_profile_first(void)
{
	return profiles;
}

struct bfd_profile *bfd_profile_lookup(const char *name)
{
	for (struct bfd_profile *p = profiles; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

struct bfd_profile *bfd_profile_get(const char *name)
{
	struct bfd_profile *p = bfd_profile_lookup(name), **pp;

	if (p != NULL)
		return p;
	p = xcalloc(1, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	for (pp = &profiles; *pp != NULL && strcmp((*pp)->name, name) < 0; pp = &(*pp)->next)
		;
	p->next = *pp;
	*pp = p;
	bfd_profile_changed(p); /* sessions naming it before it existed */
	return p;
}

static bool sess_uses(const struct bfd_sess *s, const char *name)
{
	if (s->profile[0] || s->configured)
		return strcmp(s->profile, name) == 0;
	for (const struct bfd_client *c = s->clients; c != NULL; c = c->next)
		if (!c->dead && c->profile[0])
			return strcmp(c->profile, name) == 0;
	return false;
}

void bfd_profile_changed(struct bfd_profile *p)
{
	enter();
	for (struct bfd_sess *s = sessions; s != NULL; s = s->next)
		if (sess_uses(s, p->name))
			sess_refresh(s);
	leave();
}

void bfd_profile_del(struct bfd_profile *p)
{
	struct bfd_profile **pp;
	char name[BFD_NAME_LEN];

	snprintf(name, sizeof(name), "%s", p->name);
	for (pp = &profiles; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	free(p);
	enter();
	for (struct bfd_sess *s = sessions; s != NULL; s = s->next)
		if (sess_uses(s, name))
			sess_refresh(s);
	leave();
}

/* ---- clients ---- */

/* A configured session the client's key matches where it is open (no local
 * address, no interface): FRR's bgpd lands on the operator's `peer` line
 * the same way. */
static struct bfd_sess *lookup_configured(const struct bfd_key *k)
{
	for (struct bfd_sess *s = sessions; s != NULL; s = s->next)
		if (s->configured && s->key.multihop == k->multihop &&
		    ipaddr_equal(&s->key.peer, &k->peer) && strcmp(s->key.vrf, k->vrf) == 0 &&
		    (k->local.af == 0 || (s->key.local.af == k->local.af &&
					  ipaddr_equal(&s->key.local, &k->local))) &&
		    (!k->ifname[0] || strcmp(s->key.ifname, k->ifname) == 0))
			return s;
	return NULL;
}

struct bfd_client *bfd_client_add(const struct bfd_key *k, const char *profile, uint8_t min_ttl,
				  bfd_notify_fn cb, void *arg)
{
	struct bfd_sess *s = bfd_sess_lookup(k);
	struct bfd_client *c = xcalloc(1, sizeof(*c));

	if (s == NULL)
		s = lookup_configured(k);
	if (s == NULL) {
		s = sess_create(k);
		if (base != NULL)
			sess_start(s);
	}
	c->s = s;
	c->cb = cb;
	c->arg = arg;
	snprintf(c->profile, sizeof(c->profile), "%s", profile != NULL ? profile : "");
	c->min_ttl = min_ttl;
	c->next = s->clients;
	s->clients = c;
	if ((c->profile[0] && !s->configured) || min_ttl != 0)
		sess_refresh(s);
	return c;
}

void bfd_client_set_profile(struct bfd_client *c, const char *profile)
{
	snprintf(c->profile, sizeof(c->profile), "%s", profile != NULL ? profile : "");
	if (!c->s->configured)
		sess_refresh(c->s);
}

void bfd_client_del(struct bfd_client *c)
{
	struct bfd_sess *s = c->s;

	c->dead = true;
	c->cb = NULL;
	enter();
	sess_refresh(s); /* what this client brought (profile, TTL) goes with it */
	leave();
	sess_gc(s);
}

size_t bfd_sess_nclients(const struct bfd_sess *s)
{
	size_t n = 0;

	for (const struct bfd_client *c = s->clients; c != NULL; c = c->next)
		n += !c->dead;
	return n;
}

const struct bfd_sess *bfd_client_sess(const struct bfd_client *c)
{
	return c->s;
}

/* ---- sockets ---- */

static int sess_nsfd(const char *vrf, bool *ok)
{
	*ok = true;
	if (!vrf[0] || nsfd_fn == NULL)
		return -1;
	int fd = nsfd_fn(vrf);

	*ok = fd >= 0;
	return fd;
}

static void sockaddr_of(const struct ipaddr *a, uint16_t port, struct sockaddr_storage *ss,
			socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->v6, 16);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr.s_addr = htonl(a->v4);
		*len = sizeof(*s4);
	}
}

static void rx_read(evutil_socket_t fd, short what, void *arg);

static struct rxsock *rxsock_get(const char *vrf, int af, bool multihop)
{
	struct rxsock *r;
	struct sockaddr_storage ss;
	struct ipaddr any = { 0 };
	socklen_t sl;
	bool ok;
	int fd, nsfd = sess_nsfd(vrf, &ok), one = 1;

	for (r = rxsocks; r != NULL; r = r->next)
		if (r->af == af && r->multihop == multihop && strcmp(r->vrf, vrf) == 0) {
			r->refs++;
			return r;
		}
	if (!ok)
		return NULL;
	fd = netns_socket(nsfd, af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("BFD: socket");
		return NULL;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (af == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	}
	any.af = (uint8_t)af;
	sockaddr_of(&any, multihop ? BFD_PORT_MULTI : BFD_PORT_SINGLE, &ss, &sl);
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0) {
		log_warn("BFD: bind port %u%s%s", multihop ? BFD_PORT_MULTI : BFD_PORT_SINGLE,
			 vrf[0] ? " in VRF " : "", vrf);
		close(fd);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	snprintf(r->vrf, sizeof(r->vrf), "%s", vrf);
	r->af = af;
	r->multihop = multihop;
	r->fd = fd;
	r->refs = 1;
	r->ev = event_new(base, fd, EV_READ | EV_PERSIST, rx_read, r);
	event_add(r->ev, NULL);
	r->next = rxsocks;
	rxsocks = r;
	return r;
}

/* The last session of a VRF/family/mode went: its socket too (a VRF
 * deleted and created again gets a socket in its new namespace). */
static void rxsock_put(struct rxsock *r)
{
	struct rxsock **pp;

	if (r == NULL || --r->refs > 0)
		return;
	for (pp = &rxsocks; *pp != r; pp = &(*pp)->next)
		;
	*pp = r->next;
	event_free(r->ev);
	close(r->fd);
	free(r);
}

static void rx_read(evutil_socket_t fd, short what, void *arg)
{
	struct rxsock *r = arg;
	uint8_t buf[BFD_MAX_LEN + 64];
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) + 64];
		struct cmsghdr align;
	} cbuf;

	(void)what;
	enter();
	for (int i = 0; i < 64; i++) { /* bounded per wakeup */
		struct sockaddr_storage from;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
				    .msg_iovlen = 1, .msg_control = cbuf.b,
				    .msg_controllen = sizeof(cbuf.b) };
		struct ipaddr src = { 0 }, dst = { 0 };
		int ttl = -1, ifindex = 0;
		ssize_t n = recvmsg(fd, &m, 0);

		if (n < 0)
			break;
		if (m.msg_flags & (MSG_CTRUNC | MSG_TRUNC))
			continue; /* no TTL to check, or longer than any BFD packet */
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
			if (c->cmsg_len < CMSG_LEN(sizeof(int)))
				continue;
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
				memcpy(&ttl, CMSG_DATA(c), sizeof(int));
			} else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
				   c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
				struct in_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				dst = ipaddr_v4(ntohl(pi.ipi_addr.s_addr));
				ifindex = pi.ipi_ifindex;
			} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
				memcpy(&ttl, CMSG_DATA(c), sizeof(int));
			} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
				   c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
				struct in6_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				dst = ipaddr_v6(pi.ipi6_addr.s6_addr);
				ifindex = (int)pi.ipi6_ifindex;
			}
		}
		if (from.ss_family == AF_INET)
			src = ipaddr_v4(ntohl(((struct sockaddr_in *)&from)->sin_addr.s_addr));
		else if (from.ss_family == AF_INET6)
			src = ipaddr_v6(((struct sockaddr_in6 *)&from)->sin6_addr.s6_addr);
		else
			continue;
		bfd_input(buf, (size_t)n, &src, &dst, r->vrf, r->multihop, ttl, ifindex);
	}
	leave();
}

static int sess_ifindex(const struct bfd_sess *s)
{
	return s->key.ifname[0] && ifindex_fn != NULL ? ifindex_fn(s->key.vrf, s->key.ifname) : 0;
}

static struct bfd_sess *demux(const struct bfd_ctl *c, const struct ipaddr *src,
			      const struct ipaddr *dst, const char *vrf, bool multihop, int ifindex)
{
	struct bfd_sess *s;

	if (c->your_disc != 0) {
		s = bfd_sess_by_disc(c->your_disc);
		if (s == NULL || s->key.multihop != multihop || strcmp(s->key.vrf, vrf) != 0 ||
		    !ipaddr_equal(&s->key.peer, src))
			return NULL;
		return s;
	}
	for (s = sessions; s != NULL; s = s->next) {
		if (s->key.multihop != multihop || strcmp(s->key.vrf, vrf) != 0 ||
		    !ipaddr_equal(&s->key.peer, src))
			continue;
		if (s->key.local.af != 0 && dst->af != 0 && !ipaddr_equal(&s->key.local, dst))
			continue;
		if (s->key.ifname[0] && ifindex != 0 && sess_ifindex(s) != ifindex)
			continue;
		return s;
	}
	return NULL;
}

static void detect_arm(struct bfd_sess *s);
static void tx_send(struct bfd_sess *s, bool final);

void bfd_input(const uint8_t *buf, size_t len, const struct ipaddr *src, const struct ipaddr *dst,
	       const char *vrf, bool multihop, int ttl, int ifindex)
{
	struct bfd_ctl c;
	struct bfd_sess *s;
	enum bfd_err e = bfd_decode(buf, len, &c);
	uint64_t old_iv;
	uint8_t old;
	bool dropped;

	if (e != BFD_OK) {
		bfd_rx_bad++;
		log_debug("BFD: packet discarded: %s", bfd_err_str(e));
		return;
	}
	if ((s = demux(&c, src, dst, vrf, multihop, ifindex)) == NULL) {
		bfd_rx_no_session++;
		return;
	}
	/* RFC 5881 5 (GTSM) and RFC 5883 2 */
	if (multihop ? ttl < s->eff.min_ttl : ttl != BFD_TTL) {
		s->cnt.rx_dropped++;
		return;
	}
	s->cnt.rx++;
	old = s->state;
	old_iv = bfd_sess_tx_interval(s);
	bool changed = bfd_sess_rx(s, &c, bfd_now(), &dropped);

	if (dropped) {
		s->cnt.rx_dropped++;
		return;
	}
	enter();
	detect_arm(s);
	if (s->send_final) {
		s->send_final = false;
		tx_send(s, true);
	}
	if (changed) {
		notify(s, old);
		tx_schedule(s, true);
	} else if (bfd_sess_tx_interval(s) != old_iv) {
		tx_schedule(s, false);
	}
	leave();
}

/* ---- timers and transmission ---- */

static void tx_send(struct bfd_sess *s, bool final)
{
	struct bfd_ctl c;
	struct sockaddr_storage ss;
	socklen_t sl;
	uint8_t buf[BFD_MAX_LEN];
	size_t n;

	if (s->txfd < 0)
		return;
	bfd_sess_packet(s, &c, final);
	n = bfd_encode(&c, buf, sizeof(buf));
	sockaddr_of(&s->key.peer, s->key.multihop ? BFD_PORT_MULTI : BFD_PORT_SINGLE, &ss, &sl);
	if (sendto(s->txfd, buf, n, 0, (struct sockaddr *)&ss, sl) == (ssize_t)n)
		s->cnt.tx++;
}

static void us_to_tv(uint64_t us, struct timeval *tv)
{
	tv->tv_sec = (time_t)(us / 1000000u);
	tv->tv_usec = (suseconds_t)(us % 1000000u);
}

/* The next periodic packet: after a jittered interval, or at once (a
 * change the remote should hear about now, 6.8.7 "promptly"). */
static void tx_schedule(struct bfd_sess *s, bool now)
{
	struct timeval tv;

	if (s->tx_ev == NULL)
		return;
	if (now && bfd_sess_may_send(s))
		tx_send(s, false);
	us_to_tv(bfd_sess_tx_jittered(s, rnd()), &tv);
	evtimer_add(s->tx_ev, &tv);
}

static void tx_timer(evutil_socket_t fd, short what, void *arg)
{
	struct bfd_sess *s = arg;

	(void)fd;
	(void)what;
	tx_schedule(s, true);
}

static void detect_timer(evutil_socket_t fd, short what, void *arg)
{
	struct bfd_sess *s = arg;
	uint8_t old = s->state;

	(void)fd;
	(void)what;
	enter();
	if (bfd_sess_expired(s, bfd_now())) {
		notify(s, old);
		tx_schedule(s, true);
	}
	leave();
}

static void detect_arm(struct bfd_sess *s)
{
	struct timeval tv;
	uint64_t dt = bfd_sess_detect_time(s);

	if (s->detect_ev == NULL || dt == 0)
		return;
	us_to_tv(dt, &tv);
	evtimer_add(s->detect_ev, &tv);
}

static int tx_socket(struct bfd_sess *s)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	bool ok;
	int nsfd = sess_nsfd(s->key.vrf, &ok), af = s->key.peer.af, fd, ttl = BFD_TTL, tos = 0xc0;
	struct ipaddr local = s->key.local;

	if (!ok)
		return -1;
	fd = netns_socket(nsfd, af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (af == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &ttl, sizeof(ttl));
		setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
		setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	}
	if (s->key.ifname[0] && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->key.ifname,
					   (socklen_t)strlen(s->key.ifname)) != 0)
		log_warn("BFD: SO_BINDTODEVICE %s", s->key.ifname);
	if (local.af == 0)
		local.af = (uint8_t)af;
	/* RFC 5881 4: a source port in 49152-65535, distinct per session */
	for (unsigned i = 0, p0 = rnd_strong(); i < 16384; i++) {
		uint16_t port = (uint16_t)(49152 + (p0 + i) % 16384);

		sockaddr_of(&local, port, &ss, &sl);
		if (bind(fd, (struct sockaddr *)&ss, sl) == 0) {
			s->sport = port;
			shutdown(fd, SHUT_RD); /* it only sends: nothing piles up */
			return fd;
		}
		if (errno != EADDRINUSE)
			break;
	}
	if (!s->start_warned)
		log_warn("BFD: cannot bind a source port%s", s->key.local.af ? " on the local address" : "");
	close(fd);
	return -1;
}

static void sess_start(struct bfd_sess *s)
{
	char name[128];

	if (s->started || base == NULL)
		return;
	if ((s->rx = rxsock_get(s->key.vrf, s->key.peer.af, s->key.multihop)) == NULL ||
	    (s->txfd = tx_socket(s)) < 0) {
		rxsock_put(s->rx);
		s->rx = NULL;
		if (!s->start_warned)
			log_warnx("BFD peer %s: cannot open its sockets%s; retrying every 5 s",
				  bfd_key_str(&s->key, name, sizeof(name)),
				  s->key.vrf[0] ? " (VRF namespace missing?)" : "");
		s->start_warned = true;
		return;
	}
	if (s->start_warned)
		log_info("BFD peer %s: sockets open", bfd_key_str(&s->key, name, sizeof(name)));
	s->start_warned = false;
	s->tx_ev = evtimer_new(base, tx_timer, s);
	s->detect_ev = evtimer_new(base, detect_timer, s);
	s->started = true;
	tx_schedule(s, true);
}

static void sess_stop(struct bfd_sess *s)
{
	if (s->tx_ev != NULL)
		event_free(s->tx_ev);
	if (s->detect_ev != NULL)
		event_free(s->detect_ev);
	s->tx_ev = s->detect_ev = NULL;
	if (s->txfd >= 0)
		close(s->txfd);
	s->txfd = -1;
	rxsock_put(s->rx);
	s->rx = NULL;
	s->started = false;
}

static void retry_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	for (struct bfd_sess *s = sessions; s != NULL; s = s->next)
		if (!s->started)
			sess_start(s);
}

void bfd_init(void)
{
	rnd_state = rnd_strong() | 1u;
}

void bfd_start(struct event_base *b)
{
	struct timeval five = { 5, 0 };

	base = b;
	for (struct bfd_sess *s = sessions; s != NULL; s = s->next)
		sess_start(s);
	retry_ev = event_new(base, -1, EV_PERSIST, retry_timer, NULL);
	event_add(retry_ev, &five);
}

void bfd_fini(void)
{
	while (sessions != NULL) {
		struct bfd_sess *s = sessions;

		while (s->clients != NULL) {
			struct bfd_client *c = s->clients;

			s->clients = c->next;
			free(c);
		}
		sessions = s->next;
		sess_stop(s); /* no AdminDown: ped stopping is a failure to the remote */
		free(s);
	}
	if (retry_ev != NULL)
		event_free(retry_ev);
	retry_ev = NULL;
	depth = 0;
	gc_pending = false;
	nsessions = 0;
	memset(disc_hash, 0, sizeof(disc_hash));
	while (profiles != NULL) {
		struct bfd_profile *p = profiles;

		profiles = p->next;
		free(p);
	}
	base = NULL;
}
