/* BGP configuration objects and the hooks the running speaker plugs in. */
#ifndef PE_BGP_CFG_H
#define PE_BGP_CFG_H

#include "mpbgp/bgp.h"

#define BGP_DEFAULT_HOLDTIME 180  /* FRR's "traditional" defaults */
#define BGP_DEFAULT_KEEPALIVE 60

struct cli;

struct bgp_ops {
	void (*instance_created)(struct bgp *b);
	void (*instance_deleted)(struct bgp *b);
	void (*peer_created)(struct bgp_peer *p);
	void (*peer_deleted)(struct bgp_peer *p);
	void (*peer_changed)(struct bgp_peer *p, bool needs_reset);
	void (*vpn_changed)(struct bgp *b); /* RD/RT/label/import/export of a VRF instance */
	uint32_t (*auto_router_id)(void);
	/* the label manager lives in pe/ (dependencies go lib <- vrf <- mpbgp <- pe) */
	mpls_label_t (*label_alloc)(const struct label_owner *own);
	int (*label_alloc_specific)(mpls_label_t l, const struct label_owner *own, char *err,
				    size_t errlen);
	void (*label_release)(mpls_label_t l);
};

/* bgp.c */
void bgp_set_ops(const struct bgp_ops *o);
const struct bgp_ops *bgp_get_ops(void);
struct bgp *bgp_first(void);
struct bgp *bgp_next(const struct bgp *bgp);
struct bgp *bgp_lookup(const char *vrf);
struct bgp *bgp_default_instance(void);
struct bgp *bgp_create(uint32_t asn, const char *vrf, char *err, size_t errlen);
void bgp_delete(struct bgp *b);
void bgp_fini(void);
struct bgp_peer *bgp_peer_lookup(const struct bgp *bgp, const struct ipaddr *addr);
struct bgp_peer *bgp_peer_create(struct bgp *bgp, const struct ipaddr *addr, uint32_t remote_as);
void bgp_peer_delete(struct bgp_peer *p);
void bgp_peer_changed(struct bgp_peer *p, bool needs_reset);
uint32_t bgp_effective_router_id(const struct bgp *bgp);

/* bgp_cli.c */
void bgp_cli_init(void);
void bgp_config_write(struct cli *cli);

/* bgp_show.c */
void bgp_show_init(void);

#endif
