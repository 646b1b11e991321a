/* `explain`: why a route of a VRF is (or is not) in its table and in the
 * dataplane, as one ordered chain of steps (explain.c). */
#ifndef PE_BGP_EXPLAIN_H
#define PE_BGP_EXPLAIN_H

#include <stdbool.h>

#include "lib/prefix.h"

struct vrf;
struct cli;
struct json_object;

/* The dataplane's side (pe/ owns it; dependencies go lib <- vrf <- mpbgp <-
 * pe, so pe/ hands these in at init). Both add their fields and a "detail"
 * string to o; read-only. */
struct explain_dp_ops {
	/* What the dataplane holds for pfx of vrf, whose RIB installed
	 * next-hop group nhg (0: none): true if it forwards (or drops on
	 * purpose, a blackhole). */
	bool (*fib_entry)(const struct vrf *vrf, const struct prefix *pfx, uint32_t nhg,
			  struct json_object *o);
	/* LDP's labelled paths for core FEC as the dataplane pushes them:
	 * their count (0: no binding); *label gets the first one's label. */
	int (*ldp_binding)(const struct prefix *fec, uint32_t *label, struct json_object *o);
};
void explain_set_dataplane_ops(const struct explain_dp_ops *ops);

/* What the chain is about: BGP's route for the prefix (`show bgp ...
 * explain`), or whatever the VRF table holds (`show ip route ... explain`). */
enum explain_scope { EXPLAIN_BGP, EXPLAIN_ROUTE };

#define EXPLAIN_SCHEMA_VERSION 1

/* The chain for pfx in vrf as a JSON document (caller frees):
 * {schemaVersion, vrfName, vrfId, prefix, scope, result, firstFailure?,
 *  steps: [{step, status, detail, ...}]}. */
struct json_object *explain_route(struct vrf *vrf, const struct prefix *pfx,
				  enum explain_scope scope);
/* Numbered lines, the first failing step marked. */
void explain_print(struct cli *cli, struct json_object *doc);
void explain_init(void);

#endif
