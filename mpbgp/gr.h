/* BGP graceful restart (RFC 4724, RFC 8538): see gr.c. */
#ifndef PE_MPBGP_GR_H
#define PE_MPBGP_GR_H

#include <stdbool.h>

#include "mpbgp/bgp.h"

struct cli;
struct event_base;
struct json_object;

void bgp_gr_start(struct event_base *base);
/* Our capability for p's next OPEN. */
void bgp_gr_local_capa(const struct bgp_peer *p, struct bgp_capa *c);
/* The session with p ended: true if its routes were handled here (kept as
 * stale, per family, or withdrawn), false if the caller withdraws them. */
bool bgp_gr_peer_down(struct bgp_peer *p);
/* p is back (before its routes are sent to it): families it cannot keep
 * lose their stale routes; the stale-path timer starts for the others. */
void bgp_gr_established(struct bgp_peer *p);
/* End-of-RIB from p for af: its routes still stale go. */
void bgp_gr_eor(struct bgp_peer *p, int af);
void bgp_gr_peer_deleted(struct bgp_peer *p);
/* Stale routes of p go now (shutdown, graceful restart turned off). */
void bgp_gr_flush(struct bgp_peer *p);
bool bgp_gr_stale(const struct bgp_peer *p, int af);
/* FRR's gracefulRestartInfo into o and the capability into caps. */
void bgp_gr_json(const struct bgp_peer *p, struct json_object *o, struct json_object *caps,
		 bool (*eor_sent)(const struct bgp_peer *p, int af));
/* Our own restart (pe/hitless.c): set before sessions start; the R bit
 * goes in our capability, the F bit too while forwarding_preserved() says
 * so, and peers (but restarting ones) of instances in restart mode get no
 * updates until restart_done,
 * which gives each Established one to peer_release (RFC 4724 4.1: our
 * routes and End-of-RIB once our RIB has converged). progress: peers
 * Established, and those of them whose End-of-RIB arrived for every
 * family (or restarting themselves). */
void bgp_gr_set_restarting(bool (*forwarding_preserved)(void));
bool bgp_gr_restarting(void);
bool bgp_gr_hold_updates(const struct bgp_peer *p);
void bgp_gr_progress(unsigned *established, unsigned *complete);
void bgp_gr_restart_done(void (*peer_release)(struct bgp_peer *p));
void bgp_gr_cli_init(void);
void bgp_gr_config_write(struct cli *cli, const struct bgp *b);

#endif
