/* LDP interfaces at run time (struct ldp_ifrt) and our own addresses.
 *
 * Each LDP interface joins 224.0.0.2 with a socket of its own (the kernel
 * limits the groups per socket), a refusal being logged and shown as the
 * interface's state; link Hellos (RFC 5036 2.4.1) go out of each
 * `interface IFNAME` every hello interval, and at once on a link where a
 * new neighbor appears. An interface that goes down drops its link
 * adjacencies at once. ldpd_ifaces_sync() follows the configuration at every
 * tick (ldpd.c).
 *
 * Our addresses are advertised when a session comes up and their changes
 * (polled every second) as Address / Address Withdraw (3.5.5, 3.5.6), split
 * over as many messages as the negotiated max PDU length needs. No table
 * here has a fixed size: interfaces and address lists grow. */
#include "config.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ldp/ldpd_priv.h"
#include "ldp/wire.h"
#include "lib/log.h"

uint16_t ldpd_link_hold(const char *ifname)
{
	struct ldp_iface_conf *ic = ifname ? ldpd_iface_conf(ifname) : NULL;

	if (ic && ic->hello_hold)
		return ic->hello_hold;
	return ldpd_conf.link_hold ? ldpd_conf.link_hold : LDP_DEF_LINK_HOLD;
}

static uint16_t link_interval(const char *ifname)
{
	struct ldp_iface_conf *ic = ifname ? ldpd_iface_conf(ifname) : NULL;

	if (ic && ic->hello_interval)
		return ic->hello_interval;
	return ldpd_conf.link_interval ? ldpd_conf.link_interval : LDP_DEF_LINK_INTERVAL;
}

/* ---- 224.0.0.2 membership and link Hellos ---- */

/* A link Hello out of r; a refusal is logged once per cause and shown. */
static void ifrt_hello(struct ldp_ifrt *r)
{
	int err = ldpd_hello_send(r->ifindex, LDP_ALL_ROUTERS, false, ldpd_link_hold(r->name));

	if (err != 0 && err != r->send_errno)
		log_warnx("ldp: interface %s: cannot send Hello: %s", r->name, strerror(err));
	else if (err == 0 && r->send_errno != 0)
		log_info("ldp: interface %s: Hellos go out again", r->name);
	r->send_errno = err;
}

/* Joins 224.0.0.2 on the interface with a socket of its own (struct
 * ldp_ifrt); a refusal is logged once per cause and kept as the
 * interface's state for show. */
static int ifrt_join(struct ldp_ifrt *r)
{
	struct ip_mreqn mr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), zero = 0, err;

	memset(&mr, 0, sizeof(mr));
	mr.imr_multiaddr.s_addr = htonl(LDP_ALL_ROUTERS);
	mr.imr_ifindex = r->ifindex;
	if (s >= 0) {
		/* never read: it must not collect other sockets' groups either */
		setsockopt(s, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof(zero));
		if (setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) == 0) {
			if (r->join_errno != 0)
				log_info("ldp: interface %s joined 224.0.0.2", r->name);
			r->mfd = s;
			r->join_errno = 0;
			return 0;
		}
	}
	err = errno;
	if (s >= 0)
		close(s);
	if (err != r->join_errno) {
		log_warnx("ldp: interface %s: cannot join 224.0.0.2: %s", r->name, strerror(err));
		ldpd_g.st.join_failed++;
	}
	r->join_errno = err;
	return -1;
}

/* Closing the socket drops its membership. */
void ldpd_ifrt_leave(struct ldp_ifrt *r)
{
	if (r->mfd >= 0)
		close(r->mfd);
	r->mfd = -1;
	r->joined = false;
	r->uptime = 0;
}

/* A Hello now on the link where a new neighbor appeared: its first Hellos
 * may have gone out before we had joined, and its session needs ours.
 * At most one every LDP_FAST_HELLO_MS per interface (a flood of new LSR IDs
 * costs at most that many packets). */
#define LDP_FAST_HELLO_MS 50
void ldpd_hello_fast(const char *ifname)
{
	int64_t now = ldpd_mono_ms();

	if (ldpd_g.base == NULL || ldpd_g.udp_fd < 0)
		return;
	for (int i = 0; i < ldpd_g.nifrt; i++) {
		struct ldp_ifrt *r = &ldpd_g.ifrt[i];

		if (strcmp(r->name, ifname) != 0 || !r->joined ||
		    (r->last_fast_ms != 0 && now - r->last_fast_ms < LDP_FAST_HELLO_MS))
			continue;
		ifrt_hello(r);
		r->last_fast_ms = now;
	}
}

/* An LDP interface that is down holds no link adjacency (as FRR does):
 * the sessions over it go at once instead of after the hello hold time. */
static void ifrt_adjs_drop(const char *ifname)
{
	struct ldp_adj *a, *next;

	for (a = ldpd_g.adjs; a; a = next) {
		next = a->next;
		if (a->type == LDP_ADJ_LINK && strcmp(a->ifname, ifname) == 0) {
			if (ldp_debug & LDP_DEBUG_EVENTS)
				log_info("ldp: interface %s down: adjacency dropped", ifname);
			ldpd_adj_del(a);
		}
	}
}

static bool ifrt_oper_up(const char *ifname)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(ldpd_g.udp_fd, SIOCGIFFLAGS, &ifr) != 0)
		return false;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
}

static void ifrt_remove(int i)
{
	struct ldp_adj *a, *next;

	ldpd_ifrt_leave(&ldpd_g.ifrt[i]);
	for (a = ldpd_g.adjs; a; a = next) {
		next = a->next;
		if (a->type == LDP_ADJ_LINK && strcmp(a->ifname, ldpd_g.ifrt[i].name) == 0)
			ldpd_adj_del(a); /* may free later entries' neighbor, not adjacencies */
	}
	ldpd_g.ifrt[i] = ldpd_g.ifrt[--ldpd_g.nifrt];
}

/* Interfaces follow the config: join/leave, and send due Hellos. */
void ldpd_ifaces_sync(time_t now)
{
	int i, j;

	for (i = 0; i < ldpd_g.nifrt; i++)
		if (ldpd_iface_conf(ldpd_g.ifrt[i].name) == NULL)
			ifrt_remove(i--);
	for (j = 0; j < ldpd_conf.niface; j++) {
		struct ldp_ifrt *r = NULL;
		unsigned idx = if_nametoindex(ldpd_conf.iface[j].name);

		for (i = 0; i < ldpd_g.nifrt; i++)
			if (strcmp(ldpd_g.ifrt[i].name, ldpd_conf.iface[j].name) == 0)
				r = &ldpd_g.ifrt[i];
		if (r == NULL) {
			if (ldpd_g.nifrt == ldpd_g.ifrt_cap) {
				ldpd_g.ifrt_cap = ldpd_g.ifrt_cap ? ldpd_g.ifrt_cap * 2 : 8;
				ldpd_g.ifrt = xrealloc(ldpd_g.ifrt, (size_t)ldpd_g.ifrt_cap * sizeof(*ldpd_g.ifrt));
			}
			r = &ldpd_g.ifrt[ldpd_g.nifrt++];
			memset(r, 0, sizeof(*r));
			r->mfd = -1;
			snprintf(r->name, sizeof(r->name), "%s", ldpd_conf.iface[j].name);
		}
		if (r->joined && (int)idx != r->ifindex)
			ldpd_ifrt_leave(r); /* interface went away or was recreated */
		r->ifindex = (int)idx;
		if (idx != 0 && !ifrt_oper_up(r->name)) {
			if (r->oper_up)
				ifrt_adjs_drop(r->name);
			r->oper_up = false;
			continue;
		}
		r->oper_up = idx != 0;
		if (!r->joined && idx != 0 && ifrt_join(r) == 0) {
			r->joined = true;
			r->uptime = now;
		}
		if (r->joined && now - r->last_hello >= link_interval(r->name)) {
			ifrt_hello(r);
			r->last_hello = now;
		}
	}
}

/* ---- our addresses ---- */

/* Our IPv4 addresses except 127/8, in a heap array that grows with the
 * interfaces (*out, freed by the caller). */
static int local_addrs(uint32_t **out)
{
	struct ifaddrs *ifa, *i;
	int n = 0, cap = 0;

	*out = NULL;
	if (getifaddrs(&ifa) != 0)
		return 0;
	for (i = ifa; i; i = i->ifa_next) {
		uint32_t a;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET)
			continue;
		a = ntohl(((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr.s_addr);
		if ((a >> 24) == 127)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = xrealloc(*out, (size_t)cap * sizeof(**out));
		}
		(*out)[n++] = a;
	}
	freeifaddrs(ifa);
	return n;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Address / Address Withdraw for addrs[0..n) to one neighbor, split over as
 * many messages (one per PDU) as its negotiated max PDU length needs. */
void ldpd_addr_send_nbr(struct ldp_nbr *nb, uint16_t type, uint32_t *addrs, int n)
{
	int per = ldp_addrs_per_msg(nb->max_pdu), off;

	for (off = 0; per > 0 && off < n; off += per) {
		struct ldp_msg m = { .type = type };

		m.u_.addr.family = LDP_AF_IPV4;
		m.u_.addr.naddr = (uint16_t)(n - off < per ? n - off : per);
		m.u_.addr.addrs = addrs + off;
		if (ldpd_nbr_send(nb, &m) != 0)
			return;
		if (type == LDP_MSG_ADDRESS)
			nb->st.addr_sent++;
		else
			nb->st.addrwd_sent++;
	}
}

static void addr_send_all(uint16_t type, uint32_t *addrs, int n)
{
	if (n == 0)
		return;
	for (struct ldp_nbr *nb = ldpd_g.nbrs; nb; nb = nb->next)
		if (nb->fsm.state == LDP_NBR_STA_OPERATIONAL)
			ldpd_addr_send_nbr(nb, type, addrs, n);
}

/* Our interface addresses now; with notify, operational neighbors get
 * Address / Address Withdraw for the difference (RFC 5036 3.5.5, 3.5.6). */
void ldpd_addr_refresh(bool notify)
{
	uint32_t *cur, *add, *del;
	int n = local_addrs(&cur), i = 0, j = 0, na = 0, nd = 0;

	if (n > 0)
		qsort(cur, (size_t)n, sizeof(cur[0]), cmp_u32);
	add = xcalloc((size_t)n + 1, sizeof(*add));
	del = xcalloc((size_t)ldpd_g.nadv + 1, sizeof(*del));
	while (i < n || j < ldpd_g.nadv) {
		if (j >= ldpd_g.nadv || (i < n && cur[i] < ldpd_g.adv[j]))
			add[na++] = cur[i++];
		else if (i >= n || ldpd_g.adv[j] < cur[i])
			del[nd++] = ldpd_g.adv[j++];
		else
			i++, j++;
	}
	free(ldpd_g.adv);
	ldpd_g.adv = cur;
	ldpd_g.nadv = n;
	ldpd_g.adv_valid = true;
	if (notify) {
		addr_send_all(LDP_MSG_ADDRESS_WITHDRAW, del, nd);
		addr_send_all(LDP_MSG_ADDRESS, add, na);
	}
	free(add);
	free(del);
}
