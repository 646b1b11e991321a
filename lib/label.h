/* MPLS labels: one type everywhere (RFC 3032: 20-bit values, 0..15 reserved). */
#ifndef PE_LABEL_H
#define PE_LABEL_H

#include <stdint.h>

typedef uint32_t mpls_label_t;

#define MPLS_LABEL_IPV4_EXPLICIT_NULL 0
#define MPLS_LABEL_IMPLICIT_NULL 3
#define MPLS_LABEL_FIRST_UNRESERVED 16
#define MPLS_LABEL_MAX 1048575
#define MPLS_LABEL_NONE 0xffffffffu /* "no label" marker, never on the wire */

#endif
