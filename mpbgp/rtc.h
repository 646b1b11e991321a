/* RT-Constrain (RFC 4684): see rtc.c. */
#ifndef PE_MPBGP_RTC_H
#define PE_MPBGP_RTC_H

#include <stdbool.h>

#include "mpbgp/bgp.h"

struct cli;
struct event_base;
struct bgp_update;

/* May the VPN route with attributes a go to p? (true without RTC) */
bool bgp_rtc_allows(const struct bgp_peer *p, const struct bgp_attr *a);
/* Session events: up sends our memberships and End-of-RIB; down forgets
 * both directions. */
void bgp_rtc_peer_up(struct bgp_peer *p);
void bgp_rtc_peer_down(struct bgp_peer *p);
/* The memberships of one UPDATE (treat_as_withdraw: RFC 7606 verdict). */
void bgp_rtc_input(struct bgp_peer *p, const struct bgp_update *u, bool treat_as_withdraw);
/* Our memberships may have changed: VRF import targets (local), or the
 * peer's route reflector client flag. */
void bgp_rtc_local_changed(struct bgp *b);
void bgp_rtc_peer_changed(struct bgp_peer *p);
/* for show (rtc_cli.c): the sets, sorted */
const struct bgp_rtc *bgp_rtc_received(const struct bgp_peer *p, int *n);
const struct bgp_rtc *bgp_rtc_advertised(const struct bgp_peer *p, int *n);
bool bgp_rtc_eor(const struct bgp_peer *p, bool sent);
bool bgp_rtc_rr_client(const struct bgp_peer *p);
/* rtc_cli.c */
void bgp_rtc_cli_init(void);
void bgp_rtc_start(struct event_base *base);
void bgp_rtc_fini(void);
void bgp_rtc_config_write(struct cli *cli, const struct bgp *b);

#endif
