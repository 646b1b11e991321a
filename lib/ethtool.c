/* Interface offloads (SIOCETHTOOL) and counters (rtnetlink IFLA_STATS64,
 * generic netlink "netdev" xdp_features), each on a short-lived socket made
 * in the namespace asked for. See lib/ethtool.h for why ped needs them. */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/ethtool.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "lib/ethtool.h"
#include "lib/netns.h"

/* Seconds a netlink request waits for the kernel. */
#define ETH_NL_TIMEOUT_SEC 5
/* One answer datagram (a link message with every attribute is a few KiB,
 * above MNL_SOCKET_BUFFER_SIZE on 4 KiB pages). */
#define ETH_NL_BUF_SIZE (32 * 1024)
/* Generic netlink "netdev" family (linux/netdev.h, kernel >= 6.3). */
#define ETH_NETDEV_FAMILY "netdev"
#define ETH_NETDEV_CMD_DEV_GET 1
#define ETH_NETDEV_A_DEV_IFINDEX 1
#define ETH_NETDEV_A_DEV_XDP_FEATURES 3

/* ---- SIOCETHTOOL --------------------------------------------------------- */

/* A socket for ioctls in namespace nsfd (any family reaches dev_ioctl). */
static int eth_ioctl_socket(int nsfd)
{
	int fd;

	fd = netns_socket(nsfd, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 && errno == EAFNOSUPPORT)
		fd = netns_socket(nsfd, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return fd;
}

/* One ETHTOOL_* command carrying a struct ethtool_value. 0 or -errno. */
static int eth_value_cmd(int nsfd, const char *ifname, uint32_t cmd, uint32_t *data)
{
	struct ethtool_value ev = { .cmd = cmd, .data = *data };
	struct ifreq ifr;
	int fd, rc = 0;

	if (ifname == NULL || ifname[0] == '\0' || strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	fd = eth_ioctl_socket(nsfd);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname) + 1);
	ifr.ifr_data = (char *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		rc = -errno;
	else
		*data = ev.data;
	close(fd);
	return rc;
}

int eth_get_gro_ns(int nsfd, const char *ifname, bool *on)
{
	uint32_t v = 0;
	int rc;

	rc = eth_value_cmd(nsfd, ifname, ETHTOOL_GGRO, &v);
	if (rc == 0)
		*on = v != 0;
	return rc;
}

int eth_set_gro_ns(int nsfd, const char *ifname, bool on)
{
	uint32_t v = on ? 1 : 0;
	bool now = !on;
	int rc;

	rc = eth_value_cmd(nsfd, ifname, ETHTOOL_SGRO, &v);
	if (rc < 0)
		return rc;
	/* The kernel takes the wish (wanted_features) and may still refuse it
	 * (a feature it cannot change, a dependency): believe the result only. */
	rc = eth_get_gro_ns(nsfd, ifname, &now);
	if (rc < 0)
		return rc;
	return now == on ? 0 : -EOPNOTSUPP;
}

int eth_set_tx_csum_ns(int nsfd, const char *ifname, bool on)
{
	uint32_t v = on ? 1 : 0;
	int rc;

	rc = eth_value_cmd(nsfd, ifname, ETHTOOL_STXCSUM, &v);
	if (rc < 0)
		return rc;
	v = !on;
	rc = eth_value_cmd(nsfd, ifname, ETHTOOL_GTXCSUM, &v);
	if (rc < 0)
		return rc;
	return (v != 0) == on ? 0 : -EOPNOTSUPP;
}

int eth_set_gro(const char *ifname, bool on)
{
	return eth_set_gro_ns(-1, ifname, on);
}

int eth_get_gro(const char *ifname, bool *on)
{
	return eth_get_gro_ns(-1, ifname, on);
}

/* ---- netlink requests ---------------------------------------------------- */

static struct mnl_socket *eth_nl_open(int nsfd, int proto)
{
	struct timeval tv = { .tv_sec = ETH_NL_TIMEOUT_SEC, .tv_usec = 0 };
	struct mnl_socket *mnl;
	int fd, saved;

	fd = netns_socket(nsfd, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return NULL;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    (mnl = mnl_socket_fdopen(fd)) == NULL) {
		saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	if (mnl_socket_bind(mnl, 0, MNL_SOCKET_AUTOPID) < 0) {
		saved = errno;
		mnl_socket_close(mnl);
		errno = saved;
		return NULL;
	}
	return mnl;
}

/* Sends nlh (ACK asked for) on a new socket of protocol proto in nsfd and
 * runs cb on each data message of the answer. 0 or -errno. */
static int eth_nl_request(int nsfd, int proto, struct nlmsghdr *nlh, mnl_cb_t cb, void *arg)
{
	char buf[ETH_NL_BUF_SIZE] __attribute__((aligned(8)));
	struct mnl_socket *mnl;
	uint32_t seq, portid;
	ssize_t n;
	int rc;

	mnl = eth_nl_open(nsfd, proto);
	if (mnl == NULL)
		return -errno;
	seq = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	portid = mnl_socket_get_portid(mnl);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(mnl, nlh, nlh->nlmsg_len) < 0) {
		rc = -errno;
		goto out;
	}
	for (;;) {
		n = mnl_socket_recvfrom(mnl, buf, sizeof(buf));
		if (n < 0) {
			rc = errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
			break;
		}
		/* MNL_CB_STOP (0) at the ACK, -1 + errno on an error answer */
		rc = mnl_cb_run(buf, (size_t)n, seq, portid, cb, arg);
		if (rc < 0) {
			rc = errno ? -errno : -EIO;
			break;
		}
		if (rc == MNL_CB_STOP) {
			rc = 0;
			break;
		}
	}
out:
	mnl_socket_close(mnl);
	return rc;
}

/* ---- IFLA_STATS64 -------------------------------------------------------- */

struct eth_stats_ctx {
	int ifindex;
	bool found;
	struct rtnl_link_stats64 st;
};

static int eth_stats_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, IFLA_MAX) < 0)
		return MNL_CB_OK; /* newer than our headers: not ours */
	tb[type] = a;
	return MNL_CB_OK;
}

static int eth_stats_data(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct eth_stats_ctx *c = arg;
	const struct ifinfomsg *ifi;
	size_t len;

	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return MNL_CB_OK;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (ifi->ifi_index != c->ifindex)
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*ifi), eth_stats_attr, tb) < 0 || tb[IFLA_STATS64] == NULL)
		return MNL_CB_OK;
	/* the fields we read are the first ones of every version of the struct */
	len = mnl_attr_get_payload_len(tb[IFLA_STATS64]);
	if (len < offsetof(struct rtnl_link_stats64, multicast))
		return MNL_CB_OK;
	memset(&c->st, 0, sizeof(c->st));
	memcpy(&c->st, mnl_attr_get_payload(tb[IFLA_STATS64]),
	       len < sizeof(c->st) ? len : sizeof(c->st));
	c->found = true;
	return MNL_CB_OK;
}

int eth_link_stats(int nsfd, int ifindex, struct eth_link_stats *s)
{
	char req[256] __attribute__((aligned(8)));
	struct eth_stats_ctx c = { .ifindex = ifindex };
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	int rc;

	if (ifindex <= 0)
		return -EINVAL;
	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_GETLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	rc = eth_nl_request(nsfd, NETLINK_ROUTE, nlh, eth_stats_data, &c);
	if (rc < 0)
		return rc;
	if (!c.found)
		return -ENODATA;
	s->rx_packets = c.st.rx_packets;
	s->tx_packets = c.st.tx_packets;
	s->rx_bytes = c.st.rx_bytes;
	s->tx_bytes = c.st.tx_bytes;
	s->rx_errors = c.st.rx_errors;
	s->tx_errors = c.st.tx_errors;
	s->rx_dropped = c.st.rx_dropped;
	s->tx_dropped = c.st.tx_dropped;
	return 0;
}

int eth_link_tx_dropped(int nsfd, int ifindex, uint64_t *v)
{
	struct eth_link_stats s;
	int rc;

	rc = eth_link_stats(nsfd, ifindex, &s);
	if (rc == 0)
		*v = s.tx_dropped;
	return rc;
}

int eth_link_rx_dropped(int nsfd, int ifindex, uint64_t *v)
{
	struct eth_link_stats s;
	int rc;

	rc = eth_link_stats(nsfd, ifindex, &s);
	if (rc == 0)
		*v = s.rx_dropped;
	return rc;
}

/* ---- generic netlink "netdev": xdp_features ----------------------------- */

static int eth_genl_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data; /* [0..7] */
	uint16_t type = mnl_attr_get_type(a);

	if (type < 8)
		tb[type] = a;
	return MNL_CB_OK;
}

static int eth_family_data(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[8] = { 0 };
	uint16_t *id = arg;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr) ||
	    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), eth_genl_attr, tb) < 0)
		return MNL_CB_OK;
	if (tb[CTRL_ATTR_FAMILY_ID] != NULL &&
	    mnl_attr_validate(tb[CTRL_ATTR_FAMILY_ID], MNL_TYPE_U16) == 0)
		*id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return MNL_CB_OK;
}

/* Id of the "netdev" family in nsfd (-EOPNOTSUPP: kernel without it). */
static int eth_netdev_family(int nsfd, uint16_t *id)
{
	char req[256] __attribute__((aligned(8)));
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	int rc;

	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = GENL_ID_CTRL;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ETH_NETDEV_FAMILY);
	*id = 0;
	rc = eth_nl_request(nsfd, NETLINK_GENERIC, nlh, eth_family_data, id);
	if (rc == -ENOENT)
		return -EOPNOTSUPP;
	if (rc == 0 && *id == 0)
		return -EOPNOTSUPP;
	return rc;
}

struct eth_xdpf_ctx {
	int ifindex;
	bool found;
	uint64_t features;
};

static int eth_xdpf_data(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[8] = { 0 };
	struct eth_xdpf_ctx *c = arg;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr) ||
	    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), eth_genl_attr, tb) < 0)
		return MNL_CB_OK;
	if (tb[ETH_NETDEV_A_DEV_IFINDEX] == NULL ||
	    mnl_attr_validate(tb[ETH_NETDEV_A_DEV_IFINDEX], MNL_TYPE_U32) < 0 ||
	    (int)mnl_attr_get_u32(tb[ETH_NETDEV_A_DEV_IFINDEX]) != c->ifindex)
		return MNL_CB_OK;
	if (tb[ETH_NETDEV_A_DEV_XDP_FEATURES] == NULL ||
	    mnl_attr_validate(tb[ETH_NETDEV_A_DEV_XDP_FEATURES], MNL_TYPE_U64) < 0)
		return MNL_CB_OK;
	c->features = mnl_attr_get_u64(tb[ETH_NETDEV_A_DEV_XDP_FEATURES]);
	c->found = true;
	return MNL_CB_OK;
}

int eth_xdp_features(int nsfd, int ifindex, uint64_t *features)
{
	char req[256] __attribute__((aligned(8)));
	struct eth_xdpf_ctx c = { .ifindex = ifindex };
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	uint16_t family;
	int rc;

	if (ifindex <= 0)
		return -EINVAL;
	rc = eth_netdev_family(nsfd, &family);
	if (rc < 0)
		return rc;
	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = family;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = ETH_NETDEV_CMD_DEV_GET;
	g->version = 1;
	mnl_attr_put_u32(nlh, ETH_NETDEV_A_DEV_IFINDEX, (uint32_t)ifindex);
	rc = eth_nl_request(nsfd, NETLINK_GENERIC, nlh, eth_xdpf_data, &c);
	if (rc < 0)
		return rc;
	if (!c.found)
		return -ENODATA;
	*features = c.features;
	return 0;
}

int eth_xdp_redirect_target_ok(int nsfd, int ifindex)
{
	uint64_t f;
	int rc;

	rc = eth_xdp_features(nsfd, ifindex, &f);
	if (rc < 0)
		return rc;
	return (f & ETH_XDP_ACT_NDO_XMIT) ? 1 : 0;
}
