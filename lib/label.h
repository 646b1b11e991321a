/* MPLS labels: one type everywhere (RFC 3032: 20-bit values, 0..15 reserved),
 * and who owns a label, which says what the label does. */
#ifndef PE_LABEL_H
#define PE_LABEL_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/prefix.h"

typedef uint32_t mpls_label_t;

#define MPLS_LABEL_IPV4_EXPLICIT_NULL 0
#define MPLS_LABEL_IMPLICIT_NULL 3
#define MPLS_LABEL_FIRST_UNRESERVED 16
#define MPLS_LABEL_MAX 1048575
#define MPLS_LABEL_NONE 0xffffffffu /* "no label" marker, never on the wire */

/* The owner of a label (after BIRD's label policies): LDP binds a FEC; a
 * BGP VPN label pops and looks up in a VRF (per VRF, per prefix) or pops
 * and sends to a CE of the VRF (per next hop). */
enum label_owner_kind {
	LABEL_OWN_NONE,
	LABEL_OWN_LDP,         /* prefix: the FEC */
	LABEL_OWN_VRF,         /* vrf_id */
	LABEL_OWN_VRF_NEXTHOP, /* vrf_id, nexthop: the CE */
	LABEL_OWN_VRF_PREFIX,  /* vrf_id, prefix */
};

struct label_owner {
	enum label_owner_kind kind;
	uint32_t vrf_id;
	struct prefix prefix;  /* LDP FEC (IPv4), or the VRF prefix */
	struct ipaddr nexthop; /* the CE, either family */
};

/* BGP's VPN labels: the kinds that name a VRF. */
static inline bool label_owner_is_vrf(const struct label_owner *o)
{
	return o->kind == LABEL_OWN_VRF || o->kind == LABEL_OWN_VRF_NEXTHOP ||
	       o->kind == LABEL_OWN_VRF_PREFIX;
}

#endif
