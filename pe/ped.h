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
void config_write(struct cli *cli);
int config_save(const char *file, char *err, size_t errlen);

/* core.c: routes of the default VRF from/to the kernel table of ped's namespace */
void core_init(void);
void core_start(void);
void core_fini(void);
void core_route_cb(void *arg, bool add, const struct nl_route *r);
void core_resync(bool end);

#endif
