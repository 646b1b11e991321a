/* Interfaces: configuration (`interface IFNAME [vrf NAME]`, addresses) and the
 * kernel's view of links and addresses in ped's namespace and in every VRF
 * namespace, followed over netlink; connected routes are derived here. */
#ifndef PE_IFACE_H
#define PE_IFACE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "vrf/vrf.h"

#define IFACE_MAX_ADDR 16

struct nl_sock;
struct event;

/* One namespace ped watches: its own (default VRF) or a VRF's. */
struct nswatch {
	struct vrf *vrf;
	int nsfd;
	struct nl_sock *nl;
	struct event *ev;
};

struct iface {
	struct iface *next;
	char name[16];
	/* configuration */
	bool configured;
	char vrf[VRF_NAMSIZ]; /* "" = default VRF */
	char description[128];
	bool shutdown;
	int naddr;
	struct prefix addr[IFACE_MAX_ADDR]; /* address + length (not masked), either family */
	/* kernel state */
	bool present;
	bool stale; /* not reported again by a running redump */
	uint32_t kvrf; /* VRF id whose namespace holds it */
	int ifindex;
	bool up, running;
	uint32_t mtu;
	uint8_t mac[6];
	int nkaddr;
	struct prefix kaddr[IFACE_MAX_ADDR];
	char last_error[160];
};

/* The local port of a VRF (localport.c): a veth pair ped creates in the
 * VRF's namespace so that what the VRF's kernel originates (ping, ...)
 * crosses the VPN like CE traffic. LOCALPORT_KERNEL is the kernel's end
 * (default route of the worst metric through LOCALPORT_GW4, a permanent
 * neighbor entry with the other end's MAC); LOCALPORT_FWD<id> is a dataplane
 * port of the VRF, where replies popped into the VRF for one of its own
 * addresses go out toward LOCALPORT_HOST4 (the kernel end, a permanent
 * neighbor entry too). Neither end has an address: the kernel sources
 * what it sends from its other interfaces. */
#define LOCALPORT_KERNEL "pelocal"
#define LOCALPORT_FWD "pefwd" /* + the VRF id: interface names are unique across VRFs */
#define LOCALPORT_GW4 0xa9fe0001u   /* 169.254.0.1: the dataplane end, as a gateway */
#define LOCALPORT_HOST4 0xa9fe0002u /* 169.254.0.2: the kernel end, as a neighbor */
int localport_create(int nsfd, uint32_t vrf_id, const char *vrf, char *err, size_t errlen);
void localport_delete(int nsfd, const char *vrf);
void localport_fwd_name(uint32_t vrf_id, char name[16]);
bool localport_name(const char *ifname); /* either end, of any VRF */

/* iface.c */
void iface_init(void);
void iface_fini(void);
void iface_cli_init(void);
void iface_config_write(struct cli *cli);
/* Starts watching ped's own namespace; then VRF namespaces as VRFs appear. */
void iface_start(void);
int iface_vrf_ns_start(struct vrf *vrf, char *err, size_t errlen);
void iface_vrf_ns_stop(struct vrf *vrf);
void iface_apply_all(void);
struct iface *iface_first(void); /* all known interfaces, by name */
struct iface *iface_by_ifindex(uint32_t vrf_id, int ifindex);
/* Router id when none is configured: the highest address on lo, else the
 * highest interface address, of the default VRF (0 if none). */
uint32_t iface_router_id(void);
bool iface_addr6_for(const struct vrf *vrf, uint32_t v4, struct ipaddr *out);
uint32_t iface_addr_of(const struct vrf *vrf, const char *ifname);
const char *iface_local_addr(const char *vrf, const struct ipaddr *a);

#endif
