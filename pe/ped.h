/* ped: daemon-wide state and the wiring between modules. */
#ifndef PE_PED_H
#define PE_PED_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/nl.h"
#include "vrf/vrf.h"

struct event_base;
struct cli;

#define RTPROT_PED 200 /* protocol number of the routes ped puts in the kernel */

struct ped {
	struct event_base *base;
	char hostname[64];
	char node[64];
	char config_file[4096];
	char netns_prefix[64];
	bool kernel_apply; /* false while the startup config is loaded and checked */
	bool kept;         /* hitless.c: forwarding left running at exit */
};

extern struct ped ped;

/* modules.c */
void ped_modules_init(void);
void ped_modules_fini(void);

/* config.c */
void config_cli_init(void);
/* Loads FILE line by line; prints "FILE:LINE: reason" to stderr for each bad
 * line. Returns the number of bad lines (0 = success), -1 if unreadable. */
int config_load(const char *file);
/* The same from an open stream; file is the name used in the messages. */
int config_load_fp(FILE *fp, const char *file);
/* secrets: passwords as they are (write memory, ped -C), else <hidden> */
void config_write(struct cli *cli, bool secrets);
int config_save(const char *file, char *err, size_t errlen);

/* compat_cli.c: FRR lines with no effect on ped, IGP blocks refused */
void compat_cli_init(void);
void compat_cli_fini(void);
void compat_config_write(struct cli *cli, bool secrets);
void compat_iface_config_write(struct cli *cli, const char *ifname);
void compat_iface_forget(const char *ifname); /* `no interface IFNAME` */
/* Number of IGP lines refused so far; *skip_block: the last one opened a
 * block (`router ospf`) whose indented lines the loader skips. */
unsigned compat_igp_refusals(bool *skip_block);

/* bfd_clients.c: BGP's `neighbor X bfd` and `ip route ... bfd` on ped's
 * BFD sessions */
void bfd_clients_init(void);

/* core.c: routes of the default VRF from/to the kernel table of ped's namespace */
void core_init(void);
void core_start(void);
void core_fini(void);
/* Kernel routes of protocol RTPROT_PED that ped does not install (a
 * previous ped's, kept across a restart) are removed; returns how many. */
size_t core_sweep_ped(void);
void core_route_cb(void *arg, bool add, const struct nl_route *r);
void core_resync(bool end);
void core_link_down(int ifindex);

#endif
