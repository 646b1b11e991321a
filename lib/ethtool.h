/* Interface offloads and counters ped and petopo need around XDP on veths.
 *
 * Why: a veth silently refuses frames redirected into it (XDP_REDIRECT,
 * DEVMAP) unless its PEER has NAPI: GRO requested on the peer, or an XDP
 * program on the peer. The kernel (>= 6.3) reports this as the redirect
 * target's xdp_features lacking NETDEV_XDP_ACT_NDO_XMIT; the redirect then
 * fails at once, and the lost frames are counted as rx_dropped of the
 * device whose XDP program redirected them (ethtool -S:
 * rx_queue_N_drops), not on the target or its peer.
 *
 * Every function works in the network namespace nsfd (-1: the current one of
 * the calling thread): sockets are created there (lib/netns.h), nothing
 * reads /sys, which `setns()` does not remount. Returns 0 or -errno. */
#ifndef PE_ETHTOOL_H
#define PE_ETHTOOL_H

#include <stdbool.h>
#include <stdint.h>

/* NETDEV_XDP_ACT_* (linux/netdev.h, kernel >= 6.3; not in older headers) */
#define ETH_XDP_ACT_BASIC 0x01
#define ETH_XDP_ACT_REDIRECT 0x02
#define ETH_XDP_ACT_NDO_XMIT 0x04 /* frames may be redirected into the device */
#define ETH_XDP_ACT_XSK_ZEROCOPY 0x08
#define ETH_XDP_ACT_HW_OFFLOAD 0x10
#define ETH_XDP_ACT_RX_SG 0x20
#define ETH_XDP_ACT_NDO_XMIT_SG 0x40

/* IFLA_STATS64 (struct rtnl_link_stats64), the counters of `ip -s link`. */
struct eth_link_stats {
	uint64_t rx_packets, tx_packets;
	uint64_t rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors;
	uint64_t rx_dropped, tx_dropped;
};

/* ethtool.c */
/* GRO ("generic-receive-offload", SIOCETHTOOL ETHTOOL_SGRO) on or off for
 * ifname, then read back: -EOPNOTSUPP if the device would not take it,
 * -ENODEV if there is no such interface, -EPERM without CAP_NET_ADMIN. */
int eth_set_gro(const char *ifname, bool on);
int eth_set_gro_ns(int nsfd, const char *ifname, bool on);
/* Transmit checksum offload (ETHTOOL_STXCSUM, "tx-checksumming") on or off,
 * read back as for GRO. Off on test veths: a kernel that offloads sends the
 * checksum unfinished, which only works while a kernel receives it. */
int eth_set_tx_csum_ns(int nsfd, const char *ifname, bool on);
/* Current GRO state (ETHTOOL_GGRO). */
int eth_get_gro(const char *ifname, bool *on);
int eth_get_gro_ns(int nsfd, const char *ifname, bool *on);
/* IFLA_STATS64 of ifindex (rtnetlink RTM_GETLINK). */
int eth_link_stats(int nsfd, int ifindex, struct eth_link_stats *s);
/* Convenience: the tx_dropped / rx_dropped counters alone. */
int eth_link_tx_dropped(int nsfd, int ifindex, uint64_t *v);
int eth_link_rx_dropped(int nsfd, int ifindex, uint64_t *v);
/* xdp_features of ifindex (generic netlink family "netdev", NETDEV_CMD_DEV_GET):
 * ETH_XDP_ACT_* bits. -EOPNOTSUPP if the kernel has no such family (< 6.3). */
int eth_xdp_features(int nsfd, int ifindex, uint64_t *features);
/* 1 if frames XDP-redirected into ifindex are accepted (ETH_XDP_ACT_NDO_XMIT),
 * 0 if they would be dropped, -errno if it cannot be told. */
int eth_xdp_redirect_target_ok(int nsfd, int ifindex);

#endif
