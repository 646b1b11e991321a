/* Hitless restart: XDP forwarding, labels and kernel routes outlive ped
 * (see hitless.c). */
#ifndef PE_HITLESS_H
#define PE_HITLESS_H

#include <stdbool.h>

struct cli;
struct event_base;
struct json_object;

void hitless_cli_init(void);
/* Before the configuration is read: a previous ped's pinned state, if
 * valid, is adopted (labels reserved, BGP and LDP told, dataplane links
 * to take over); if not valid, discarded with a log line. */
void hitless_open(void);
/* After the protocols started: watches the restart until it completes. */
void hitless_start(struct event_base *base);
bool hitless_adopting(void);
/* At exit, before the modules stop: pins what keeps forwarding running;
 * true if something was kept (then ped.kept: routes and sessions are left
 * as a restart wants them). */
bool hitless_keep(void);
void hitless_config_write(struct cli *cli);
/* "restart" of `show dataplane json`. */
void hitless_json(struct json_object *o);

#endif
