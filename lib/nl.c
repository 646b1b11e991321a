/* rtnetlink over libmnl.
 *
 * Two kinds of sockets:
 * - the listening socket of an nl_sock (non-blocking, subscribed to the link,
 *   IPv4 address and IPv4 route groups, large receive buffer);
 * - short-lived request sockets (blocking with a receive timeout) for dumps
 *   and one-shot changes, so that dump replies and ACKs never mix with
 *   notifications and sequence numbers stay simple.
 *
 * Everything read from the kernel is walked with explicit bounds: message
 * headers with unsigned length checks (nl_msg_ok), attributes with mnl_attr_ok() and
 * mnl_attr_validate(), RTA_MULTIPATH entries against rtnh_len. A message that
 * does not fit is skipped with a log line; the rest of its datagram cannot be
 * trusted and is dropped too. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/veth.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "lib/log.h"
#include "lib/netns.h"
#include "lib/nl.h"

/* Receive buffer for one datagram: the kernel never builds netlink skbs
 * above 32 KiB for dumps, notifications are far smaller. */
#define NL_BUF_SIZE (64 * 1024)
/* Socket receive buffer asked for the listening socket. */
#define NL_RCVBUF (8 * 1024 * 1024)
/* Seconds a request socket waits for the kernel. */
#define NL_TIMEOUT_SEC 5
/* Datagrams one nl_dispatch() reads at most before returning to the loop
 * (the fd stays readable, so the event loop calls again). */
#define NL_DISPATCH_MAX 4096
/* Datagrams discarded at most while draining after an overrun. */
#define NL_DRAIN_MAX 65536
/* Attempts at a dump the kernel marks inconsistent (NLM_F_DUMP_INTR). */
#define NL_DUMP_TRIES 4
/* Request message buffer (largest: a route with NL_MAX_NEXTHOPS next hops). */
#define NL_REQ_SIZE 2048

struct nl_sock {
	struct mnl_socket *mnl;
	int nsfd; /* our own fd of the namespace, for dump sockets */
	struct nl_cbs cbs;
	void *arg;
	char *buf; /* NL_BUF_SIZE */
};

static uint32_t nl_seq_next(void)
{
	static uint32_t seq;
	uint32_t s;

	s = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
	if (s == 1) /* first use: start somewhere unlikely to be stale */
		s = __atomic_add_fetch(&seq, (uint32_t)time(NULL) & 0xffffff, __ATOMIC_RELAXED);
	return s;
}

static const char *nl_type_name(uint16_t type)
{
	switch (type) {
	case RTM_NEWLINK:
		return "RTM_NEWLINK";
	case RTM_DELLINK:
		return "RTM_DELLINK";
	case RTM_NEWADDR:
		return "RTM_NEWADDR";
	case RTM_DELADDR:
		return "RTM_DELADDR";
	case RTM_NEWROUTE:
		return "RTM_NEWROUTE";
	case RTM_DELROUTE:
		return "RTM_DELROUTE";
	case RTM_NEWNEIGH:
		return "RTM_NEWNEIGH";
	case RTM_DELNEIGH:
		return "RTM_DELNEIGH";
	case NLMSG_ERROR:
		return "NLMSG_ERROR";
	case NLMSG_DONE:
		return "NLMSG_DONE";
	default:
		return "message";
	}
}

/* ---- parsing ----------------------------------------------------------- */

/* mnl_nlmsg_ok() compares (int)nlmsg_len, so a length >= 2^31 passes it and
 * mnl_nlmsg_next() then jumps outside the buffer: use unsigned checks. */
static bool nl_msg_ok(const struct nlmsghdr *h, size_t rem)
{
	return rem >= sizeof(*h) && h->nlmsg_len >= sizeof(*h) && h->nlmsg_len <= rem;
}

static const struct nlmsghdr *nl_msg_next(const struct nlmsghdr *h, size_t *rem)
{
	size_t step = MNL_ALIGN((size_t)h->nlmsg_len);

	if (step >= *rem) {
		*rem = 0;
		return h;
	}
	*rem -= step;
	return (const struct nlmsghdr *)(const void *)((const char *)h + step);
}

/* Indexes the attributes in [start, start + len) by type into tb[0..max]
 * (last one wins; types above max are ignored). -1 if an attribute header
 * or length does not fit. */
static int nl_attrs(const void *start, size_t len, const struct nlattr **tb, unsigned max)
{
	const struct nlattr *a = start;
	long rem = (long)len;
	uint16_t type;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (rem >= (long)sizeof(struct nlattr)) {
		if (!mnl_attr_ok(a, (int)rem))
			return -1;
		type = mnl_attr_get_type(a);
		if (type <= max)
			tb[type] = a;
		rem -= MNL_ALIGN(a->nla_len);
		a = mnl_attr_next(a);
	}
	/* 1..3 bytes left can only be padding; anything else was caught. */
	return 0;
}

/* Attributes following a fixed header of hdrlen bytes in nlh's payload. */
static int nl_msg_attrs(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb,
			unsigned max)
{
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	size_t off = MNL_ALIGN(hdrlen);

	if (plen < hdrlen)
		return -1;
	if (off >= plen) {
		memset(tb, 0, (max + 1) * sizeof(*tb));
		return 0;
	}
	return nl_attrs((const char *)mnl_nlmsg_get_payload(nlh) + off, plen - off, tb, max);
}

static int nl_attr_in_addr(const struct nlattr *a, uint32_t *out)
{
	uint32_t v;

	if (mnl_attr_validate2(a, MNL_TYPE_BINARY, sizeof(v)) < 0)
		return -1;
	memcpy(&v, mnl_attr_get_payload(a), sizeof(v));
	*out = ntohl(v);
	return 0;
}

/* An address attribute of family af: 4 or 16 bytes exactly. */
static int nl_attr_ip(const struct nlattr *a, int af, struct ipaddr *out)
{
	uint32_t v;

	if (af == AF_INET) {
		if (nl_attr_in_addr(a, &v) < 0)
			return -1;
		*out = ipaddr_v4(v);
		return 0;
	}
	if (af != AF_INET6 || mnl_attr_validate2(a, MNL_TYPE_BINARY, 16) < 0)
		return -1;
	*out = ipaddr_v6(mnl_attr_get_payload(a));
	return 0;
}

static bool nl_put_ip(struct nlmsghdr *nlh, size_t buflen, uint16_t type, const struct ipaddr *a)
{
	uint32_t v;

	if (a->af == AF_INET) {
		v = htonl(a->v4);
		return mnl_attr_put_check(nlh, buflen, type, 4, &v);
	}
	return mnl_attr_put_check(nlh, buflen, type, 16, a->v6);
}

static bool nl_af_ok(int af)
{
	return af == AF_INET || af == AF_INET6;
}

/* Copies a NUL-terminated string attribute into dst[dstlen]; -1 if the
 * attribute is not a proper string or does not fit. */
static int nl_attr_str(const struct nlattr *a, char *dst, size_t dstlen)
{
	const char *s;
	size_t n;

	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return -1;
	s = mnl_attr_get_str(a);
	n = strnlen(s, mnl_attr_get_payload_len(a));
	if (n >= dstlen)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

/* 1 parsed, 0 not for us, -1 malformed. */
static int nl_parse_link(const struct nlmsghdr *nlh, struct nl_link *l)
{
	const struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	const struct ifinfomsg *ifi;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return -1;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (ifi->ifi_family != AF_UNSPEC) /* e.g. AF_BRIDGE port messages */
		return 0;
	if (nl_msg_attrs(nlh, sizeof(*ifi), tb, IFLA_MAX) < 0)
		return -1;
	memset(l, 0, sizeof(*l));
	if (ifi->ifi_index <= 0)
		return -1;
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->up = (ifi->ifi_flags & IFF_UP) != 0;
	l->running = (ifi->ifi_flags & IFF_RUNNING) != 0;
	if (tb[IFLA_IFNAME] != NULL && nl_attr_str(tb[IFLA_IFNAME], l->name, sizeof(l->name)) < 0)
		return -1;
	if (tb[IFLA_MTU] != NULL) {
		if (mnl_attr_validate(tb[IFLA_MTU], MNL_TYPE_U32) < 0)
			return -1;
		l->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	}
	/* Only Ethernet-sized link addresses are kept (tun has none). */
	if (tb[IFLA_ADDRESS] != NULL && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == sizeof(l->mac))
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), sizeof(l->mac));
	if (tb[IFLA_LINKINFO] != NULL) {
		if (mnl_attr_validate(tb[IFLA_LINKINFO], MNL_TYPE_NESTED) < 0)
			return -1;
		if (nl_attrs(mnl_attr_get_payload(tb[IFLA_LINKINFO]),
			     mnl_attr_get_payload_len(tb[IFLA_LINKINFO]), li, IFLA_INFO_MAX) < 0)
			return -1;
		if (li[IFLA_INFO_KIND] != NULL &&
		    nl_attr_str(li[IFLA_INFO_KIND], l->kind, sizeof(l->kind)) < 0)
			return -1;
	}
	return 1;
}

static int nl_parse_addr(const struct nlmsghdr *nlh, struct nl_addr *a)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa;
	struct ipaddr v;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return -1;
	ifa = mnl_nlmsg_get_payload(nlh);
	if (!nl_af_ok(ifa->ifa_family))
		return 0;
	if (ifa->ifa_prefixlen > af_maxlen(ifa->ifa_family) || ifa->ifa_index == 0 ||
	    ifa->ifa_index > INT_MAX)
		return -1;
	if (nl_msg_attrs(nlh, sizeof(*ifa), tb, IFA_MAX) < 0)
		return -1;
	memset(a, 0, sizeof(*a));
	a->ifindex = (int)ifa->ifa_index;
	/* IFA_LOCAL is the local address; IFA_ADDRESS is the peer on
	 * point-to-point links and equal to IFA_LOCAL otherwise. */
	if (tb[IFA_LOCAL] != NULL) {
		if (nl_attr_ip(tb[IFA_LOCAL], ifa->ifa_family, &v) < 0)
			return -1;
	} else if (tb[IFA_ADDRESS] != NULL) {
		if (nl_attr_ip(tb[IFA_ADDRESS], ifa->ifa_family, &v) < 0)
			return -1;
	} else {
		return -1;
	}
	a->pfx = prefix_host(&v);
	a->pfx.len = ifa->ifa_prefixlen;
	return 1;
}

static int nl_parse_neigh(const struct nlmsghdr *nlh, struct nl_neigh *n)
{
	const struct nlattr *tb[NDA_MAX + 1];
	const struct ndmsg *ndm;
	struct ipaddr v;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ndm))
		return -1;
	ndm = mnl_nlmsg_get_payload(nlh);
	if (!nl_af_ok(ndm->ndm_family))
		return 0;
	if (ndm->ndm_ifindex <= 0)
		return -1;
	if (nl_msg_attrs(nlh, sizeof(*ndm), tb, NDA_MAX) < 0)
		return -1;
	if (tb[NDA_DST] == NULL || nl_attr_ip(tb[NDA_DST], ndm->ndm_family, &v) < 0)
		return -1;
	memset(n, 0, sizeof(*n));
	n->ifindex = ndm->ndm_ifindex;
	n->ip = v;
	n->state = ndm->ndm_state;
	if (tb[NDA_LLADDR] != NULL) {
		if (mnl_attr_get_payload_len(tb[NDA_LLADDR]) != 6)
			return 0; /* not Ethernet */
		memcpy(n->mac, mnl_attr_get_payload(tb[NDA_LLADDR]), 6);
		n->has_mac = true;
	}
	return 1;
}

static int nl_parse_multipath(const struct nlattr *mp, int af, struct nl_route *r)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const char *p = mnl_attr_get_payload(mp);
	long rem = mnl_attr_get_payload_len(mp);
	const struct rtnexthop *rtnh;
	struct nl_nexthop nh;
	bool truncated = false;

	while (rem >= (long)sizeof(*rtnh)) {
		rtnh = (const struct rtnexthop *)(const void *)p;
		if (rtnh->rtnh_len < sizeof(*rtnh) || rtnh->rtnh_len > rem)
			return -1;
		memset(&nh, 0, sizeof(nh));
		nh.ifindex = rtnh->rtnh_ifindex;
		if (rtnh->rtnh_len > RTNH_ALIGN(sizeof(*rtnh))) {
			if (nl_attrs(p + RTNH_ALIGN(sizeof(*rtnh)),
				     rtnh->rtnh_len - RTNH_ALIGN(sizeof(*rtnh)), tb, RTA_MAX) < 0)
				return -1;
			if (tb[RTA_GATEWAY] != NULL && nl_attr_ip(tb[RTA_GATEWAY], af, &nh.gw) < 0)
				return -1;
		}
		if (r->nh_count < NL_MAX_NEXTHOPS)
			r->nh[r->nh_count++] = nh;
		else
			truncated = true;
		rem -= RTNH_ALIGN(rtnh->rtnh_len);
		p += RTNH_ALIGN(rtnh->rtnh_len);
	}
	if (truncated) {
		char buf[PREFIX_STRLEN];

		log_warnx("netlink: route %s has more than %d next hops, extra ones ignored",
			  prefix_ntop(&r->dst, buf, sizeof(buf)), NL_MAX_NEXTHOPS);
	}
	return 0;
}

static int nl_parse_route(const struct nlmsghdr *nlh, struct nl_route *r)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm;
	struct ipaddr dst;
	uint32_t v;
	int af;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return -1;
	rtm = mnl_nlmsg_get_payload(nlh);
	af = rtm->rtm_family;
	if (!nl_af_ok(af))
		return 0;
	if (rtm->rtm_flags & RTM_F_CLONED) /* cache entries, not routes */
		return 0;
	if (rtm->rtm_dst_len > af_maxlen(af))
		return -1;
	if (nl_msg_attrs(nlh, sizeof(*rtm), tb, RTA_MAX) < 0)
		return -1;
	memset(r, 0, sizeof(*r));
	memset(&dst, 0, sizeof(dst));
	dst.af = (uint8_t)af;
	r->dst = prefix_host(&dst);
	r->dst.len = rtm->rtm_dst_len;
	r->table = rtm->rtm_table;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->type = rtm->rtm_type;
	if (tb[RTA_TABLE] != NULL) {
		if (mnl_attr_validate(tb[RTA_TABLE], MNL_TYPE_U32) < 0)
			return -1;
		r->table = mnl_attr_get_u32(tb[RTA_TABLE]);
	}
	if (tb[RTA_DST] != NULL) {
		if (nl_attr_ip(tb[RTA_DST], af, &dst) < 0)
			return -1;
		r->dst = prefix_host(&dst);
		r->dst.len = rtm->rtm_dst_len;
	}
	if (tb[RTA_PRIORITY] != NULL) {
		if (mnl_attr_validate(tb[RTA_PRIORITY], MNL_TYPE_U32) < 0)
			return -1;
		r->metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	}
	if (tb[RTA_MULTIPATH] != NULL) {
		if (nl_parse_multipath(tb[RTA_MULTIPATH], af, r) < 0)
			return -1;
	} else if (tb[RTA_GATEWAY] != NULL || tb[RTA_OIF] != NULL) {
		if (tb[RTA_GATEWAY] != NULL && nl_attr_ip(tb[RTA_GATEWAY], af, &r->nh[0].gw) < 0)
			return -1;
		if (tb[RTA_OIF] != NULL) {
			if (mnl_attr_validate(tb[RTA_OIF], MNL_TYPE_U32) < 0)
				return -1;
			v = mnl_attr_get_u32(tb[RTA_OIF]);
			if (v > INT_MAX)
				return -1;
			r->nh[0].ifindex = (int)v;
		}
		r->nh_count = 1;
	}
	return 1;
}

/* Parses one rtnetlink message and calls the matching callback. */
static void nl_deliver(const struct nl_cbs *cbs, void *arg, const struct nlmsghdr *nlh)
{
	union {
		struct nl_link l;
		struct nl_addr a;
		struct nl_route r;
		struct nl_neigh n;
	} u;
	bool add;
	int rc;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		add = nlh->nlmsg_type == RTM_NEWLINK;
		rc = nl_parse_link(nlh, &u.l);
		if (rc > 0 && cbs->link != NULL)
			cbs->link(arg, add, &u.l);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		add = nlh->nlmsg_type == RTM_NEWADDR;
		rc = nl_parse_addr(nlh, &u.a);
		if (rc > 0 && cbs->addr != NULL)
			cbs->addr(arg, add, &u.a);
		break;
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		add = nlh->nlmsg_type == RTM_NEWROUTE;
		rc = nl_parse_route(nlh, &u.r);
		if (rc > 0 && cbs->route != NULL)
			cbs->route(arg, add, &u.r);
		break;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		if (cbs->neigh == NULL) {
			rc = 0;
			break;
		}
		add = nlh->nlmsg_type == RTM_NEWNEIGH;
		rc = nl_parse_neigh(nlh, &u.n);
		if (rc > 0)
			cbs->neigh(arg, add, &u.n);
		break;
	default:
		rc = 0; /* other families and message types: not ours */
		break;
	}
	if (rc < 0)
		log_warnx("netlink: malformed %s (%u bytes), skipped", nl_type_name(nlh->nlmsg_type),
			  nlh->nlmsg_len);
}

/* ---- sockets and transactions ------------------------------------------ */

/* One datagram from the kernel. -1 with errno (ENOSPC: it was truncated
 * and is lost). Datagrams not sent by the kernel are dropped. */
static ssize_t nl_recv(int fd, void *buf, size_t len)
{
	struct sockaddr_nl sa;
	struct iovec iov;
	struct msghdr msg;
	ssize_t n;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		memset(&sa, 0, sizeof(sa));
		iov.iov_base = buf;
		iov.iov_len = len;
		msg.msg_name = &sa;
		msg.msg_namelen = sizeof(sa);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		n = recvmsg(fd, &msg, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (msg.msg_flags & MSG_TRUNC) {
			log_warnx("netlink: datagram larger than %zu bytes, lost", len);
			errno = ENOSPC;
			return -1;
		}
		if (msg.msg_namelen != sizeof(sa) || sa.nl_family != AF_NETLINK || sa.nl_pid != 0) {
			log_debug("netlink: dropping a datagram not sent by the kernel");
			continue;
		}
		return n;
	}
}

/* The error text of an NLMSG_ERROR or NLMSG_DONE message whose payload
 * starts with the (negative) error: the extended ACK message if any. */
static void nl_err_text(const struct nlmsghdr *nlh, int error, char *err, size_t errlen)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *payload = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	size_t off;
	const char *text = NULL;

	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = (const struct nlmsgerr *)(const void *)payload;

			off = sizeof(*e);
			if (plen >= sizeof(*e) && !(nlh->nlmsg_flags & NLM_F_CAPPED)) {
				if (e->msg.nlmsg_len >= NLMSG_HDRLEN)
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				else
					off = plen + 1; /* nonsense: no TLVs */
			}
		} else {
			off = sizeof(int);
		}
		off = MNL_ALIGN(off);
		if (off < plen && nl_attrs(payload + off, plen - off, tb, NLMSGERR_ATTR_MAX) == 0 &&
		    tb[NLMSGERR_ATTR_MSG] != NULL &&
		    mnl_attr_validate(tb[NLMSGERR_ATTR_MSG], MNL_TYPE_NUL_STRING) == 0)
			text = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	}
	if (text != NULL && *text != '\0')
		snprintf(err, errlen, "%s", text);
	else
		snprintf(err, errlen, "%s", strerror(-error));
}

/* A request socket in namespace nsfd: blocking, receive timeout, extended
 * ACKs asked for. NULL with err filled. */
static struct mnl_socket *nl_req_open(int nsfd, char *err, size_t errlen)
{
	struct timeval tv = { .tv_sec = NL_TIMEOUT_SEC, .tv_usec = 0 };
	struct mnl_socket *mnl;
	int fd, one = 1, saved;

	fd = netns_socket(nsfd, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		saved = errno;
		snprintf(err, errlen, "netlink socket: %s", strerror(saved));
		errno = saved;
		return NULL;
	}
	/* Both are optional: older kernels just give plain errnos. */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		log_warn("netlink: SO_RCVTIMEO");
	mnl = mnl_socket_fdopen(fd);
	if (mnl == NULL) {
		saved = errno;
		close(fd);
		snprintf(err, errlen, "netlink socket: %s", strerror(saved));
		errno = saved;
		return NULL;
	}
	if (mnl_socket_bind(mnl, 0, MNL_SOCKET_AUTOPID) < 0) {
		saved = errno;
		mnl_socket_close(mnl);
		snprintf(err, errlen, "netlink bind: %s", strerror(saved));
		errno = saved;
		return NULL;
	}
	return mnl;
}

struct nl_txn {
	/* each data message of the reply (dump entries, GET replies) */
	void (*data)(void *arg, const struct nlmsghdr *nlh);
	void *arg;
	bool intr; /* set when the kernel flagged the dump inconsistent */
};

/* Sends nlh (NLM_F_REQUEST added, sequence number set) and reads the reply
 * until NLMSG_DONE, the ACK or an error. 0, or -1 with errno and err. */
static int nl_txn_run(struct mnl_socket *mnl, struct nlmsghdr *nlh, struct nl_txn *t, char *buf,
		      size_t buflen, char *err, size_t errlen)
{
	uint32_t portid = mnl_socket_get_portid(mnl), seq = nl_seq_next();
	const struct nlmsghdr *h;
	int fd = mnl_socket_get_fd(mnl), error, saved;
	ssize_t n;
	size_t rem;

	nlh->nlmsg_flags |= NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;
	t->intr = false;
	if (mnl_socket_sendto(mnl, nlh, nlh->nlmsg_len) < 0) {
		saved = errno;
		snprintf(err, errlen, "netlink send: %s", strerror(saved));
		errno = saved;
		return -1;
	}
	for (;;) {
		n = nl_recv(fd, buf, buflen);
		if (n < 0) {
			saved = errno;
			if (saved == EAGAIN || saved == EWOULDBLOCK)
				snprintf(err, errlen, "no answer from the kernel within %d s",
					 NL_TIMEOUT_SEC);
			else
				snprintf(err, errlen, "netlink receive: %s", strerror(saved));
			errno = saved == EAGAIN || saved == EWOULDBLOCK ? ETIMEDOUT : saved;
			return -1;
		}
		rem = (size_t)n;
		for (h = (const struct nlmsghdr *)(const void *)buf; nl_msg_ok(h, rem);
		     h = nl_msg_next(h, &rem)) {
			if (h->nlmsg_pid != portid || h->nlmsg_seq != seq)
				continue; /* late reply to an earlier request */
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				t->intr = true;
			switch (h->nlmsg_type) {
			case NLMSG_NOOP:
				break;
			case NLMSG_ERROR:
			case NLMSG_DONE:
				if (mnl_nlmsg_get_payload_len(h) < sizeof(int)) {
					if (h->nlmsg_type == NLMSG_DONE)
						return 0;
					log_warnx("netlink: malformed %s (%u bytes)",
						  nl_type_name(h->nlmsg_type), h->nlmsg_len);
					snprintf(err, errlen, "malformed answer from the kernel");
					errno = EBADMSG;
					return -1;
				}
				memcpy(&error, mnl_nlmsg_get_payload(h), sizeof(error));
				if (error >= 0)
					return 0; /* ACK, or the end of a dump */
				nl_err_text(h, error, err, errlen);
				errno = -error;
				return -1;
			case NLMSG_OVERRUN:
				snprintf(err, errlen, "netlink overrun");
				errno = ENOBUFS;
				return -1;
			default:
				if (t->data != NULL)
					t->data(t->arg, h);
				break;
			}
		}
		if (rem > 0)
			log_warnx("netlink: %zu bytes with bad lengths at the end of a datagram, "
				  "skipped",
				  rem);
	}
}

/* One request on its own socket in namespace nsfd, ACK awaited. */
static int nl_request(int nsfd, struct nlmsghdr *nlh, struct nl_txn *t, char *err, size_t errlen)
{
	struct mnl_socket *mnl;
	char *buf;
	int rc, saved;

	mnl = nl_req_open(nsfd, err, errlen);
	if (mnl == NULL)
		return -1;
	buf = xmalloc(NL_BUF_SIZE);
	nlh->nlmsg_flags |= NLM_F_ACK;
	rc = nl_txn_run(mnl, nlh, t, buf, NL_BUF_SIZE, err, errlen);
	saved = errno;
	free(buf);
	mnl_socket_close(mnl);
	errno = saved;
	return rc;
}

/* ---- listening socket -------------------------------------------------- */

static int thread_netns_open(void)
{
	int fd;

	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	return fd;
}

struct nl_sock *nl_listen(int nsfd, const struct nl_cbs *cbs, void *arg)
{
	struct nl_sock *nl;
	int fd, sz = NL_RCVBUF;

	fd = netns_socket(nsfd, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (fd < 0) {
		log_warn("netlink: socket");
		return NULL;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz)) < 0)
		log_warn("netlink: cannot enlarge the receive buffer");
	nl = xcalloc(1, sizeof(*nl));
	nl->nsfd = -1;
	nl->mnl = mnl_socket_fdopen(fd);
	if (nl->mnl == NULL) {
		log_warn("netlink: mnl_socket_fdopen");
		close(fd);
		free(nl);
		return NULL;
	}
	if (mnl_socket_bind(nl->mnl,
			    RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE |
				    RTMGRP_IPV6_IFADDR | RTMGRP_IPV6_ROUTE |
				    (cbs != NULL && cbs->neigh != NULL ? RTMGRP_NEIGH : 0),
			    MNL_SOCKET_AUTOPID) < 0) {
		log_warn("netlink: bind");
		goto fail;
	}
	nl->nsfd = nsfd >= 0 ? fcntl(nsfd, F_DUPFD_CLOEXEC, 0) : thread_netns_open();
	if (nl->nsfd < 0) {
		log_warn("netlink: cannot keep the namespace fd");
		goto fail;
	}
	if (cbs != NULL)
		nl->cbs = *cbs;
	nl->arg = arg;
	nl->buf = xmalloc(NL_BUF_SIZE);
	return nl;
fail:
	mnl_socket_close(nl->mnl);
	if (nl->nsfd >= 0)
		close(nl->nsfd);
	free(nl);
	return NULL;
}

void nl_close(struct nl_sock *nl)
{
	if (nl == NULL)
		return;
	mnl_socket_close(nl->mnl);
	if (nl->nsfd >= 0)
		close(nl->nsfd);
	free(nl->buf);
	free(nl);
}

int nl_fd(const struct nl_sock *nl)
{
	return mnl_socket_get_fd(nl->mnl);
}

static void nl_dump_data(void *arg, const struct nlmsghdr *nlh)
{
	const struct nl_sock *nl = arg;

	nl_deliver(&nl->cbs, nl->arg, nlh);
}

int nl_dump(struct nl_sock *nl)
{
	static const uint16_t types[] = { RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE, RTM_GETNEIGH };
	static const char *const what[] = { "links", "addresses", "routes", "neighbors" };
	char req[NL_REQ_SIZE] __attribute__((aligned(8)));
	struct nl_txn t = { .data = nl_dump_data, .arg = nl };
	struct mnl_socket *mnl;
	struct nlmsghdr *nlh;
	char err[256];
	char *buf;
	size_t i;
	int tries, rc = 0;

	mnl = nl_req_open(nl->nsfd, err, sizeof(err));
	if (mnl == NULL) {
		log_warnx("netlink dump: %s", err);
		return -1;
	}
	if (nl->cbs.resync != NULL)
		nl->cbs.resync(nl->arg, false);
	buf = xmalloc(NL_BUF_SIZE);
	for (i = 0; i < sizeof(types) / sizeof(types[0]) && rc == 0; i++) {
		if (types[i] == RTM_GETNEIGH && nl->cbs.neigh == NULL)
			continue;
		for (tries = 0; tries < NL_DUMP_TRIES; tries++) {
			memset(req, 0, sizeof(req));
			nlh = mnl_nlmsg_put_header(req);
			nlh->nlmsg_type = types[i];
			nlh->nlmsg_flags = NLM_F_DUMP;
			if (types[i] == RTM_GETLINK) {
				struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

				ifi->ifi_family = AF_UNSPEC;
			} else if (types[i] == RTM_GETADDR) {
				struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

				ifa->ifa_family = AF_UNSPEC;
			} else if (types[i] == RTM_GETNEIGH) {
				struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));

				ndm->ndm_family = AF_UNSPEC;
			} else {
				struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

				rtm->rtm_family = AF_UNSPEC;
			}
			if (nl_txn_run(mnl, nlh, &t, buf, NL_BUF_SIZE, err, sizeof(err)) < 0) {
				log_warnx("netlink dump (%s): %s", what[i], err);
				rc = -1;
				break;
			}
			if (!t.intr)
				break;
			log_info("netlink dump changed while it ran, dumping again");
		}
	}
	free(buf);
	mnl_socket_close(mnl);
	if (rc == 0 && nl->cbs.resync != NULL)
		nl->cbs.resync(nl->arg, true);
	return rc;
}

/* After an overrun: throw away what is queued (all of it is older than the
 * dump that follows, which reflects it), then dump everything. */
static int nl_resync(struct nl_sock *nl)
{
	int fd = mnl_socket_get_fd(nl->mnl), i;
	ssize_t n;

	log_warnx("netlink: receive queue overrun, resynchronising with a full dump");
	for (i = 0; i < NL_DRAIN_MAX; i++) {
		n = nl_recv(fd, nl->buf, NL_BUF_SIZE);
		if (n >= 0 || errno == ENOBUFS || errno == ENOSPC)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		log_warn("netlink: receive");
		return -1;
	}
	return nl_dump(nl);
}

/* Walks one datagram of notifications; true if it carried NLMSG_OVERRUN. */
static bool nl_walk(const struct nl_cbs *cbs, void *arg, const void *buf, size_t len)
{
	const struct nlmsghdr *h;
	bool overrun = false;
	size_t rem = len;

	for (h = buf; nl_msg_ok(h, rem); h = nl_msg_next(h, &rem)) {
		if (h->nlmsg_type == NLMSG_OVERRUN)
			overrun = true;
		else if (h->nlmsg_type >= NLMSG_MIN_TYPE)
			nl_deliver(cbs, arg, h);
	}
	if (rem > 0)
		log_warnx("netlink: %zu bytes with bad lengths at the end of a notification, "
			  "skipped",
			  rem);
	return overrun;
}

void nl_feed(const struct nl_cbs *cbs, void *arg, const void *buf, size_t len)
{
	(void)nl_walk(cbs, arg, buf, len);
}

int nl_dispatch(struct nl_sock *nl)
{
	int fd = mnl_socket_get_fd(nl->mnl), i;
	ssize_t n;

	for (i = 0; i < NL_DISPATCH_MAX; i++) {
		n = nl_recv(fd, nl->buf, NL_BUF_SIZE);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == ENOBUFS || errno == ENOSPC) {
				if (nl_resync(nl) < 0)
					return -1;
				continue;
			}
			log_warn("netlink: receive");
			return -1;
		}
		if (nl_walk(&nl->cbs, nl->arg, nl->buf, (size_t)n) && nl_resync(nl) < 0)
			return -1;
	}
	return 0;
}

/* ---- one-shot requests ------------------------------------------------- */

static bool ifname_ok(const char *ifname, char *err, size_t errlen)
{
	size_t n;

	n = ifname != NULL ? strlen(ifname) : 0;
	if (n == 0 || n >= NL_IFNAMSIZ || n >= IFNAMSIZ) {
		snprintf(err, errlen, "invalid interface name");
		errno = EINVAL;
		return false;
	}
	return true;
}

/* An RTM_NEWLINK/RTM_DELLINK request for ifname (ifi_index 0 + IFLA_IFNAME:
 * the kernel looks the name up in the socket's namespace) in req, zeroed;
 * its ifinfomsg for the caller's flags. */
static struct ifinfomsg *link_msg(char *req, size_t reqlen, uint16_t type, const char *ifname,
				  struct nlmsghdr **nlhp)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(req, 0, reqlen);
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	*nlhp = nlh;
	return ifi;
}

/* Sends a link_msg() request; an unknown interface is said by its name. */
static int link_request(int nsfd, struct nlmsghdr *nlh, const char *ifname, char *err,
			size_t errlen)
{
	struct nl_txn t = { 0 };

	if (nl_request(nsfd, nlh, &t, err, errlen) < 0) {
		if (errno == ENODEV)
			snprintf(err, errlen, "no interface %s", ifname);
		return -1;
	}
	return 0;
}

int nl_link_move(int from_nsfd, const char *ifname, int to_nsfd, char *err, size_t errlen)
{
	char req[NL_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	int saved;

	if (!ifname_ok(ifname, err, errlen))
		return -1;
	if (to_nsfd < 0)
		to_nsfd = netns_self();
	if (to_nsfd < 0) {
		saved = errno;
		snprintf(err, errlen, "own namespace: %s", strerror(saved));
		errno = saved;
		return -1;
	}
	/* the name is looked up in from_nsfd's namespace */
	link_msg(req, sizeof(req), RTM_NEWLINK, ifname, &nlh);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)to_nsfd);
	return link_request(from_nsfd, nlh, ifname, err, errlen);
}

int nl_link_set_up(int nsfd, const char *ifname, bool up, char *err, size_t errlen)
{
	char req[NL_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (!ifname_ok(ifname, err, errlen))
		return -1;
	ifi = link_msg(req, sizeof(req), RTM_NEWLINK, ifname, &nlh);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return link_request(nsfd, nlh, ifname, err, errlen);
}

static void nl_ifindex_data(void *arg, const struct nlmsghdr *nlh)
{
	struct nl_link l;
	int *idx = arg;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return;
	if (nl_parse_link(nlh, &l) > 0)
		*idx = l.ifindex;
	else
		log_warnx("netlink: malformed %s (%u bytes), skipped", nl_type_name(nlh->nlmsg_type),
			  nlh->nlmsg_len);
}

int nl_ifindex(int nsfd, const char *ifname)
{
	char req[NL_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int idx = -1;
	struct nl_txn t = { .data = nl_ifindex_data, .arg = &idx };
	char err[256];

	if (!ifname_ok(ifname, err, sizeof(err)))
		return -1;
	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_GETLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (nl_request(nsfd, nlh, &t, err, sizeof(err)) < 0) {
		if (errno != ENODEV)
			log_debug("netlink: ifindex of %s: %s", ifname, err);
		return -1;
	}
	if (idx < 0)
		errno = ENODEV;
	return idx;
}

/* An RTM_NEWNEIGH (create or replace) for ip on ifindex in req, with its
 * NDA_DST; NULL (err set, errno EINVAL) for no interface or no address. */
static struct nlmsghdr *neigh_msg(char *req, size_t reqlen, int ifindex, const struct ipaddr *ip,
				  uint16_t state, uint8_t flags, char *err, size_t errlen)
{
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;

	if (ifindex <= 0 || ipaddr_is_zero(ip)) {
		snprintf(err, errlen, "invalid neighbor");
		errno = EINVAL;
		return NULL;
	}
	memset(req, 0, reqlen);
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = ip->af;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = state;
	ndm->ndm_flags = flags;
	nl_put_ip(nlh, reqlen, NDA_DST, ip);
	return nlh;
}

int nl_neigh_resolve(int nsfd, int ifindex, const struct ipaddr *ip, char *err, size_t errlen)
{
	char req[NL_REQ_SIZE] __attribute__((aligned(8)));
	struct nl_txn t = { 0 };
	/* NTF_USE: "use" the entry as a transmit would, which starts (or
	 * refreshes) resolution without changing a valid entry. */
	struct nlmsghdr *nlh = neigh_msg(req, sizeof(req), ifindex, ip, NUD_NONE, NTF_USE, err, errlen);

	if (nlh == NULL)
		return -1;
	return nl_request(nsfd, nlh, &t, err, errlen);
}

int nl_addr_change(int nsfd, bool add, const char *ifname, const struct prefix *addr, char *err,
		   size_t errlen)
{
	char req[NL_REQ_SIZE] __attribute__((aligned(8)));
	struct nl_txn t = { 0 };
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int idx;

	if (!ifname_ok(ifname, err, errlen))
		return -1;
	if (addr == NULL || !nl_af_ok(addr->af) || addr->len > af_maxlen(addr->af)) {
		snprintf(err, errlen, "invalid address");
		errno = EINVAL;
		return -1;
	}
	idx = nl_ifindex(nsfd, ifname);
	if (idx < 0) {
		snprintf(err, errlen, "no interface %s", ifname);
		errno = ENODEV;
		return -1;
	}
	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = addr->af;
	ifa->ifa_prefixlen = addr->len;
	ifa->ifa_index = (uint32_t)idx;
	if (addr->af == AF_INET6) {
		struct ipaddr a = prefix_addr(addr);

		/* link-local addresses get link scope, as iproute2 gives them */
		ifa->ifa_scope = ipaddr_is_linklocal(&a) ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
		nl_put_ip(nlh, sizeof(req), IFA_LOCAL, &a);
		nl_put_ip(nlh, sizeof(req), IFA_ADDRESS, &a);
	} else {
		/* as iproute2: 127/8 addresses get host scope */
		ifa->ifa_scope = (addr->v4 >> 24) == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
		mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(addr->v4));
		mnl_attr_put_u32(nlh, IFA_ADDRESS, htonl(addr->v4));
		if (add && addr->len < 31)
			mnl_attr_put_u32(nlh, IFA_BROADCAST,
					 htonl(addr->v4 | ~prefix4_mask(addr->len)));
	}
	if (nl_request(nsfd, nlh, &t, err, errlen) < 0) {
		if (add && errno == EEXIST)
			snprintf(err, errlen, "address already present");
		else if (!add && errno == EADDRNOTAVAIL)
			snprintf(err, errlen, "address not present");
		return -1;
	}
	return 0;
}

static int nl_route_put_nexthops(struct nlmsghdr *nlh, size_t buflen, const struct nl_route *r)
{
	struct rtnexthop *rtnh;
	struct nlattr *mp;
	int i;

	if (r->nh_count == 1) {
		if (!ipaddr_is_zero(&r->nh[0].gw) &&
		    !nl_put_ip(nlh, buflen, RTA_GATEWAY, &r->nh[0].gw))
			return -1;
		if (r->nh[0].ifindex > 0 &&
		    !mnl_attr_put_u32_check(nlh, buflen, RTA_OIF, (uint32_t)r->nh[0].ifindex))
			return -1;
		return 0;
	}
	mp = mnl_attr_nest_start_check(nlh, buflen, RTA_MULTIPATH);
	if (mp == NULL)
		return -1;
	for (i = 0; i < r->nh_count; i++) {
		if (nlh->nlmsg_len + RTNH_ALIGN(sizeof(*rtnh)) > buflen)
			return -1;
		rtnh = mnl_nlmsg_get_payload_tail(nlh);
		memset(rtnh, 0, sizeof(*rtnh));
		nlh->nlmsg_len += RTNH_ALIGN(sizeof(*rtnh));
		rtnh->rtnh_ifindex = r->nh[i].ifindex > 0 ? r->nh[i].ifindex : 0;
		if (!ipaddr_is_zero(&r->nh[i].gw) &&
		    !nl_put_ip(nlh, buflen, RTA_GATEWAY, &r->nh[i].gw))
			return -1;
		rtnh->rtnh_len = (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) -
						  (char *)rtnh);
	}
	mnl_attr_nest_end(nlh, mp);
	return 0;
}

int nl_route_change(int nsfd, bool add, const struct nl_route *r, char *err, size_t errlen)
{
	char req[NL_REQ_SIZE] __attribute__((aligned(8)));
	struct nl_txn t = { 0 };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct prefix dst;
	struct ipaddr da;
	int i;

	if (r == NULL || !nl_af_ok(r->dst.af) || r->dst.len > af_maxlen(r->dst.af) ||
	    r->nh_count < 0 || r->nh_count > NL_MAX_NEXTHOPS) {
		snprintf(err, errlen, "invalid route");
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < r->nh_count; i++) {
		if (ipaddr_is_zero(&r->nh[i].gw) && r->nh[i].ifindex <= 0) {
			snprintf(err, errlen, "next hop %d has neither gateway nor interface", i + 1);
			errno = EINVAL;
			return -1;
		}
	}
	dst = r->dst;
	prefix_apply_mask(&dst);
	da = prefix_addr(&dst);
	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	nlh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_REPLACE : 0;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = dst.af;
	rtm->rtm_dst_len = dst.len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_type = r->nh_count == 0 ? RTN_BLACKHOLE : RTN_UNICAST;
	if (!add)
		rtm->rtm_type = r->type; /* RTN_UNSPEC deletes a route of any type */
	if (!add)
		rtm->rtm_scope = RT_SCOPE_NOWHERE; /* any scope, as `ip route del` */
	else if (r->nh_count == 1 && ipaddr_is_zero(&r->nh[0].gw))
		rtm->rtm_scope = RT_SCOPE_LINK; /* directly connected */
	else
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	if (dst.len > 0 && !nl_put_ip(nlh, sizeof(req), RTA_DST, &da))
		goto toolong;
	if (r->metric != 0 && !mnl_attr_put_u32_check(nlh, sizeof(req), RTA_PRIORITY, r->metric))
		goto toolong;
	if (r->onlink)
		rtm->rtm_flags |= RTNH_F_ONLINK;
	if (r->nh_count > 0 && nl_route_put_nexthops(nlh, sizeof(req), r) < 0)
		goto toolong;
	if (nl_request(nsfd, nlh, &t, err, errlen) < 0) {
		if (!add && errno == ESRCH)
			snprintf(err, errlen, "no such route");
		return -1;
	}
	return 0;
toolong:
	snprintf(err, errlen, "route request too large");
	errno = EMSGSIZE;
	return -1;
}

int nl_veth_add(int nsfd, const char *name, const uint8_t mac[6], const char *peer,
		const uint8_t peer_mac[6], char *err, size_t errlen)
{
	char req[NL_REQ_SIZE] __attribute__((aligned(8)));
	struct nl_txn t = { 0 };
	struct nlattr *linkinfo, *data, *pinfo;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (!ifname_ok(name, err, errlen) || !ifname_ok(peer, err, errlen))
		return -1;
	link_msg(req, sizeof(req), RTM_NEWLINK, name, &nlh);
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	pinfo = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	ifi = mnl_nlmsg_get_payload_tail(nlh);
	memset(ifi, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*ifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, peer_mac);
	mnl_attr_nest_end(nlh, pinfo);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	if (nl_request(nsfd, nlh, &t, err, errlen) < 0) {
		if (errno == EEXIST)
			snprintf(err, errlen, "interface %s or %s already exists", name, peer);
		return -1;
	}
	return 0;
}

int nl_link_del(int nsfd, const char *ifname, char *err, size_t errlen)
{
	char req[NL_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;

	if (!ifname_ok(ifname, err, errlen))
		return -1;
	link_msg(req, sizeof(req), RTM_DELLINK, ifname, &nlh);
	return link_request(nsfd, nlh, ifname, err, errlen);
}

int nl_neigh_set_permanent(int nsfd, int ifindex, const struct ipaddr *ip, const uint8_t mac[6],
			   char *err, size_t errlen)
{
	char req[NL_REQ_SIZE] __attribute__((aligned(8)));
	struct nl_txn t = { 0 };
	struct nlmsghdr *nlh = neigh_msg(req, sizeof(req), ifindex, ip, NUD_PERMANENT, 0, err, errlen);

	if (nlh == NULL)
		return -1;
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	return nl_request(nsfd, nlh, &t, err, errlen);
}
