/* The local port of a VRF (pe/iface.h): a veth pair inside the VRF's
 * namespace, so that what the VRF's own kernel originates (`ping vrf`, a
 * traceroute, a TCP session to a remote site) enters the dataplane and
 * crosses the VPN, and the replies come back to that kernel.
 *
 *   VRF kernel --default route, metric 2^32-1, via 169.254.0.1 onlink-->
 *   pelocal  ====veth====  pefwd<VRF id> (a dataplane port of the VRF)
 *
 * The default route has the worst metric, so connected and CE routes win;
 * 169.254.0.1 has a permanent neighbor entry with pefwd<id>'s MAC (no
 * ARP); IPv6 likewise (::/0 via fe80::1, a permanent ND entry; IPv6 stays
 * off on pefwd<id>, which needs none), and pefwd<id> has one for 169.254.0.2 with pelocal's MAC: the
 * dataplane sends replies there (fwd_ctl.c vrf_publish). Neither end has an
 * address, so the kernel sources packets from the VRF's other interfaces.
 * On the kernel end: rp_filter loose (replies arrive there while the
 * source's best route may be elsewhere), GRO on (an XDP redirect into
 * pefwd<id> needs NAPI on its peer), transmit checksum offload off (the
 * dataplane forwards what the kernel sends as is); kernel forwarding off on
 * both ends. The MACs are fixed, locally administered: each pair is alone
 * in its namespace. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/ethtool.h"
#include "lib/log.h"
#include "lib/netns.h"
#include "lib/nl.h"
#include "pe/iface.h"
#include "pe/ped.h"

static const uint8_t mac_kernel[6] = { 0x02, 0x70, 0x65, 0x6c, 0x00, 0x01 };
static const uint8_t mac_fwd[6] = { 0x02, 0x70, 0x65, 0x6c, 0x00, 0x02 };

void localport_fwd_name(uint32_t vrf_id, char name[16])
{
	snprintf(name, 16, "%s%u", LOCALPORT_FWD, vrf_id % 1000000000u);
}

bool localport_name(const char *ifname)
{
	size_t n = strlen(LOCALPORT_FWD);

	if (strcmp(ifname, LOCALPORT_KERNEL) == 0)
		return true;
	if (strncmp(ifname, LOCALPORT_FWD, n) != 0 || ifname[n] == '\0')
		return false;
	return strspn(ifname + n, "0123456789") == strlen(ifname + n);
}

/* Writes val to /proc/sys/net/PATH inside namespace nsfd. */
static int sysctl_ns(int nsfd, const char *path, const char *val)
{
	char p[128];
	int self = netns_self(), fd, rc = -1;

	if (self < 0 || setns(nsfd, CLONE_NEWNET) != 0)
		return -1;
	snprintf(p, sizeof(p), "/proc/sys/net/%s", path);
	if ((fd = open(p, O_WRONLY | O_CLOEXEC)) >= 0) {
		if (write(fd, val, strlen(val)) == (ssize_t)strlen(val))
			rc = 0;
		close(fd);
	}
	if (setns(self, CLONE_NEWNET) != 0)
		fatal("setns back");
	return rc;
}

static void sysctl_fwd(int nsfd, const char *ifname, const char *fam, const char *knob,
		       const char *val)
{
	char p[96];

	snprintf(p, sizeof(p), "%s/conf/%s/%s", fam, ifname, knob);
	sysctl_ns(nsfd, p, val);
}

int localport_create(int nsfd, uint32_t vrf_id, const char *vrf, char *err, size_t errlen)
{
	char fwd[16];
	struct ipaddr gw = { .af = AF_INET, .v4 = LOCALPORT_GW4 };
	struct ipaddr host = { .af = AF_INET, .v4 = LOCALPORT_HOST4 };
	struct ipaddr gw6 = { .af = AF_INET6, .v6 = { 0xfe, 0x80, [15] = 1 } };
	struct nl_route r;
	char e[160];
	int kidx, fidx;

	localport_fwd_name(vrf_id, fwd);
	/* a pair left by a ped that did not exit cleanly (its other end goes too) */
	if (nl_ifindex(nsfd, LOCALPORT_KERNEL) > 0)
		nl_link_del(nsfd, LOCALPORT_KERNEL, e, sizeof(e));
	if (nl_ifindex(nsfd, fwd) > 0)
		nl_link_del(nsfd, fwd, e, sizeof(e));
	if (nl_veth_add(nsfd, LOCALPORT_KERNEL, mac_kernel, fwd, mac_fwd, e, sizeof(e)) <
	    0) {
		snprintf(err, errlen, "local port: %s", e);
		return -1;
	}
	sysctl_ns(nsfd, "ipv4/conf/" LOCALPORT_KERNEL "/rp_filter", "2");
	sysctl_ns(nsfd, "ipv4/conf/" LOCALPORT_KERNEL "/forwarding", "0");
	sysctl_fwd(nsfd, fwd, "ipv4", "forwarding", "0");
	sysctl_fwd(nsfd, fwd, "ipv6", "disable_ipv6", "1");
	if (eth_set_gro_ns(nsfd, LOCALPORT_KERNEL, true) < 0)
		log_warnx("VRF %s: local port: cannot turn GRO on for %s", vrf, LOCALPORT_KERNEL);
	if (eth_set_tx_csum_ns(nsfd, LOCALPORT_KERNEL, false) < 0)
		log_warnx("VRF %s: local port: cannot turn checksum offload off for %s", vrf,
			  LOCALPORT_KERNEL);
	if (nl_link_set_up(nsfd, fwd, true, e, sizeof(e)) < 0 ||
	    nl_link_set_up(nsfd, LOCALPORT_KERNEL, true, e, sizeof(e)) < 0)
		goto fail;
	kidx = nl_ifindex(nsfd, LOCALPORT_KERNEL);
	fidx = nl_ifindex(nsfd, fwd);
	if (kidx <= 0 || fidx <= 0) {
		snprintf(e, sizeof(e), "veth pair vanished");
		goto fail;
	}
	if (nl_neigh_set_permanent(nsfd, kidx, &gw, mac_fwd, e, sizeof(e)) < 0 ||
	    nl_neigh_set_permanent(nsfd, fidx, &host, mac_kernel, e, sizeof(e)) < 0)
		goto fail;
	memset(&r, 0, sizeof(r));
	r.dst.af = AF_INET;
	r.dst.len = 0;
	r.protocol = RTPROT_PED;
	r.metric = 0xffffffffu;
	r.onlink = true;
	r.nh_count = 1;
	r.nh[0].gw = gw;
	r.nh[0].ifindex = kidx;
	if (nl_route_change(nsfd, true, &r, e, sizeof(e)) < 0)
		goto fail;
	/* IPv6 the same way, through fe80::1 (replies come back through the
	 * IPv4 neighbor above: the dataplane needs the MAC only) */
	r.dst.af = AF_INET6;
	r.nh[0].gw = gw6;
	r.onlink = false;
	if (nl_neigh_set_permanent(nsfd, kidx, &gw6, mac_fwd, e, sizeof(e)) < 0 ||
	    nl_route_change(nsfd, true, &r, e, sizeof(e)) < 0)
		log_warnx("VRF %s: local port: no IPv6 (%s)", vrf, e);
	log_info("VRF %s: local port %s/%s created", vrf, LOCALPORT_KERNEL, fwd);
	return 0;
fail:
	snprintf(err, errlen, "local port: %s", e);
	nl_link_del(nsfd, LOCALPORT_KERNEL, e, sizeof(e));
	return -1;
}

void localport_delete(int nsfd, const char *vrf)
{
	char e[160];

	if (nsfd < 0 || nl_ifindex(nsfd, LOCALPORT_KERNEL) <= 0)
		return;
	if (nl_link_del(nsfd, LOCALPORT_KERNEL, e, sizeof(e)) < 0)
		log_warnx("VRF %s: local port: %s", vrf, e);
	else
		log_info("VRF %s: local port removed", vrf);
}
