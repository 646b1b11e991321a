/* LDP discovery (RFC 5036 2.4): Hello adjacencies with their hold timers,
 * targeted Hellos (2.4.2), and Hello datagrams in and out.
 *
 * The one UDP socket on port 646 (socket.c) receives with IP_PKTINFO (to
 * know the interface) and hands each Hello to ldpd_hello_input (ldpd.c);
 * link Hellos go to 224.0.0.2 with TTL 1 (IP_MULTICAST_IF) out of each
 * `interface IFNAME` (interface.c); targeted Hellos unicast to `neighbor X
 * targeted`, from our transport address. Adjacencies carry the negotiated
 * hold time (2.5.5: the smaller of both, 0 meaning the default) and expire
 * on their own timer; the table is bounded by ldpd_adj_limit(), which grows
 * with the configuration: hellos from unknown sources beyond it are dropped
 * and counted, never stored. A neighbor's last adjacency takes the
 * neighbor (neighbor.c) with it. */
#include "config.h"

#include <event2/event.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ldp/ldpd_priv.h"
#include "ldp/wire.h"
#include "lib/log.h"

/* ---- adjacencies ---- */

void ldpd_adj_del(struct ldp_adj *a)
{
	struct ldp_adj **pp;
	struct ldp_nbr *n = a->nbr;

	for (pp = &ldpd_g.adjs; *pp; pp = &(*pp)->next)
		if (*pp == a) {
			*pp = a->next;
			break;
		}
	ldpd_g.nadj--;
	event_free(a->expire);
	free(a);
	if (n != NULL && --n->nadj == 0)
		ldpd_nbr_del(n); /* RFC 5036 2.5.5: last Hello adjacency gone, session goes */
}

static void adj_expire_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ldp_adj *a = arg;
	char b[ADDR4_STRLEN];

	(void)fd;
	(void)what;
	log_info("ldp adjacency %s (%s): hold time expired", addr4_ntop(a->lsr_id, b, sizeof(b)),
		 a->type == LDP_ADJ_LINK ? a->ifname : "targeted");
	ldpd_g.st.adj_expired++;
	ldpd_adj_del(a);
}

struct ldp_adj *ldpd_adj_find(enum ldp_adj_type type, uint32_t lsr_id, const char *ifname, uint32_t src)
{
	for (struct ldp_adj *a = ldpd_g.adjs; a; a = a->next) {
		if (a->type != type || a->lsr_id != lsr_id)
			continue;
		if (type == LDP_ADJ_LINK ? strcmp(a->ifname, ifname) == 0 : a->src == src)
			return a;
	}
	return NULL;
}

bool ldpd_targeted_accepted(uint32_t lsr_id, uint32_t src)
{
	for (int i = 0; i < ldpd_conf.nnbr; i++)
		if (ldpd_conf.nbr[i].targeted &&
		    (ldpd_conf.nbr[i].lsr_id == lsr_id || ldpd_conf.nbr[i].lsr_id == src))
			return true;
	return false;
}

struct ldp_adj *ldpd_adj_new(enum ldp_adj_type type, uint32_t lsr_id, const char *ifname, uint32_t src,
			uint32_t trans)
{
	struct ldp_nbr *n = ldpd_nbr_find(lsr_id);
	struct ldp_adj *a;

	if (n == NULL && ldpd_g.nnbr >= ldpd_adj_limit())
		return NULL;
	if (n == NULL)
		n = ldpd_nbr_new(lsr_id, trans);
	a = xcalloc(1, sizeof(*a));
	a->type = type;
	a->lsr_id = lsr_id;
	a->src = src;
	a->trans_addr = trans;
	if (ifname)
		snprintf(a->ifname, sizeof(a->ifname), "%s", ifname);
	a->uptime = time(NULL);
	a->expire = evtimer_new(ldpd_g.base, adj_expire_cb, a);
	a->nbr = n;
	n->nadj++;
	a->next = ldpd_g.adjs;
	ldpd_g.adjs = a;
	ldpd_g.nadj++;
	ldpd_g.st.adj_created++;
	return a;
}

/* ---- Hello datagrams in and out (the socket is socket.c's) ---- */

void ldpd_udp_recv_cb(evutil_socket_t fd, short what, void *arg)
{
	uint8_t pkt[LDP_MAX_PDU_DEFAULT];
	char cbuf[256], ifname[IF_NAMESIZE] = "";
	struct sockaddr_in src;
	struct iovec iov = { pkt, sizeof(pkt) };
	struct msghdr mh = { .msg_name = &src, .msg_namelen = sizeof(src), .msg_iov = &iov,
			     .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	bool mcast = false;
	ssize_t r;
	struct wbuf b, msgs;
	struct ldp_pdu_hdr h;
	struct ldp_err err;
	struct ldp_msg m;

	(void)what;
	(void)arg;
	if ((r = recvmsg(fd, &mh, 0)) <= 0)
		return;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			mcast = ntohl(pi.ipi_addr.s_addr) == LDP_ALL_ROUTERS;
			if (if_indextoname((unsigned)pi.ipi_ifindex, ifname) == NULL)
				ifname[0] = '\0';
		}
	b = wbuf_from(pkt, (size_t)r);
	memset(&err, 0, sizeof(err));
	memset(&m, 0, sizeof(m));
	if (ldp_pdu_open(&b, LDP_MAX_PDU_DEFAULT, NULL, &h, &msgs, &err) != 0 ||
	    ldp_msg_next(&msgs, &m, &err) != 1 || m.type != LDP_MSG_HELLO ||
	    mcast == ((m.u_.hello.flags & LDP_HELLO_T) != 0)) {
		ldpd_g.st.hello_bad++;
		ldp_msg_clear(&m);
		return;
	}
	ldpd_hello_input(mcast ? ifname : NULL, ntohl(src.sin_addr.s_addr), h.id.lsr_id,
			 &m.u_.hello);
	ldp_msg_clear(&m);
}

static int hello_build(uint8_t *buf, size_t len, bool targeted, uint16_t hold)
{
	struct wbuf w = wbuf_init_fixed(buf, len);
	struct ldp_pdu_builder pb;
	struct ldp_id id = { ldpd_g.rid, 0 };
	struct ldp_msg m = { .type = LDP_MSG_HELLO };
	uint32_t msgid = 0;

	m.u_.hello.holdtime = hold;
	m.u_.hello.flags = targeted ? (LDP_HELLO_T | LDP_HELLO_R)
				    : (ldpd_conf.gtsm_off ? 0 : LDP_HELLO_G);
	m.u_.hello.has_trans_addr = true;
	m.u_.hello.trans_addr = ldpd_g.trans;
	if (ldp_pdu_begin(&pb, &w, &id, LDP_MAX_PDU_DEFAULT, &msgid) < 0 ||
	    ldp_pdu_add(&pb, &m) < 0)
		return -1;
	return ldp_pdu_finish(&pb);
}

/* Targeted Hellos leave from our transport address (as FRR's do), so the
 * peer keys the adjacency on a stable source, not on an outgoing link. */
static ssize_t hello_sendmsg(const void *buf, size_t len, struct sockaddr_in *dst, bool targeted)
{
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct iovec iov = { (void *)(uintptr_t)buf, len };
	struct msghdr mh = { .msg_name = dst, .msg_namelen = sizeof(*dst), .msg_iov = &iov,
			     .msg_iovlen = 1 };
	struct cmsghdr *c;
	struct in_pktinfo pi;

	if (targeted) {
		memset(cbuf, 0, sizeof(cbuf));
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst.s_addr = htonl(ldpd_g.trans);
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	return sendmsg(ldpd_g.udp_fd, &mh, 0);
}

/* 0, or the errno of the kernel's refusal */
int ldpd_hello_send(int ifindex, uint32_t dst, bool targeted, uint16_t hold)
{
	uint8_t buf[128];
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(LDP_PORT) };
	struct ip_mreqn mr;
	int len = hello_build(buf, sizeof(buf), targeted, hold);

	if (len < 0)
		return EINVAL;
	if (!targeted) {
		memset(&mr, 0, sizeof(mr));
		mr.imr_ifindex = ifindex;
		if (setsockopt(ldpd_g.udp_fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) != 0)
			return errno;
	}
	sin.sin_addr.s_addr = htonl(dst);
	if (hello_sendmsg(buf, (size_t)len, &sin, targeted) != len)
		return errno ? errno : EIO;
	ldpd_g.st.hello_tx++;
	return 0;
}

void ldpd_targeted_sync(time_t now)
{
	int iv = ldpd_conf.targeted_interval ? ldpd_conf.targeted_interval
					     : LDP_DEF_TARGETED_INTERVAL;
	int hold = ldpd_conf.targeted_hold ? ldpd_conf.targeted_hold : LDP_DEF_TARGETED_HOLD;

	for (int i = 0; i < ldpd_conf.nnbr; i++)
		if (ldpd_conf.nbr[i].targeted && now - ldpd_conf.nbr[i].last_targeted >= iv) {
			struct ldp_nbr_conf *nc = &ldpd_conf.nbr[i];
			int err = ldpd_hello_send(0, nc->lsr_id, true, (uint16_t)hold);
			char b[ADDR4_STRLEN];

			if (err != 0 && err != nc->send_errno)
				log_warnx("ldp: cannot send targeted Hello to %s: %s",
					  addr4_ntop(nc->lsr_id, b, sizeof(b)), strerror(err));
			nc->send_errno = err;
			ldpd_conf.nbr[i].last_targeted = now;
		}
}
