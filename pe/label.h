/* The label manager: the one owner of the label space 16..1048575 (0..15 are
 * reserved, RFC 3032/7274). A dynamic block hands out labels on demand;
 * labels outside it may be taken explicitly (`label vpn export 100`).
 * Every label records its client and owner (lib/label.h), for audits and
 * for release. */
#ifndef PE_LABEL_MGR_H
#define PE_LABEL_MGR_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/label.h"

enum label_client { LABEL_CLIENT_STATIC, LABEL_CLIENT_BGP, LABEL_CLIENT_LDP, LABEL_CLIENT_MAX };

#define LABEL_DYN_DEFAULT_LO 16
#define LABEL_DYN_DEFAULT_HI 1048575
#define LABEL_OWNER_STRLEN 48 /* the owner as the audit prints it (longer is cut) */

struct json_object;
struct cli;

/* label.c */
void label_mgr_init(void);
void label_mgr_fini(void);
/* Changes the dynamic block for new allocations; labels in use are kept
 * until released, also those outside the new block. -1 + reason only for a
 * block outside 16..1048575 or with start > end. */
int label_set_dynamic_block(mpls_label_t lo, mpls_label_t hi, char *err, size_t errlen);
/* BGP/LDP labels in use that lie outside the current dynamic block. */
size_t label_count_outside_block(void);
void label_get_dynamic_block(mpls_label_t *lo, mpls_label_t *hi);
/* Next free label of the dynamic block; MPLS_LABEL_NONE when exhausted. */
mpls_label_t label_alloc(enum label_client c, const struct label_owner *own);
/* A given label (16..1048575), free or already owned by the same client and
 * owner (then it is shared: a second reference). -1 + reason otherwise. */
int label_alloc_specific(enum label_client c, mpls_label_t l, const struct label_owner *own,
			 char *err, size_t errlen);
/* Drops one reference; the label is free at zero. -1 if not owned by c. */
int label_release(enum label_client c, mpls_label_t l);
bool label_in_use(mpls_label_t l, enum label_client *c);
size_t label_count(enum label_client c);
const char *label_client_name(enum label_client c);
/* The owner as the audit prints it: "ldp P/L", "vrf NAME",
 * "vrf NAME nexthop A.B.C.D", "vrf NAME prefix P/L" ("" for none). */
const char *label_owner_str(const struct label_owner *o, char *buf, size_t len);
/* Hitless restart (pe/hitless.c): before anything allocates, the labels a
 * previous ped held, by client and owner (label_owner_str with
 * LABEL_OWNER_KEYLEN): label_alloc gives each owner its old label back,
 * nobody else gets one of them. done: the unclaimed ones become free
 * (returns how many). foreach: every label in use, and those still reserved
 * for an owner that has not come back, for saving. */
#define LABEL_OWNER_KEYLEN 128
int label_restore_add(enum label_client c, mpls_label_t l, const char *owner);
size_t label_restore_pending(void);
size_t label_restore_done(void);
void label_foreach(void (*fn)(void *arg, mpls_label_t l, enum label_client c, const char *owner),
		   void *arg);
void label_cli_init(void);
void label_config_write(struct cli *cli);

#endif
