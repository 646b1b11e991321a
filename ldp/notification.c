#include "config.h"

/* LDP Notification message (RFC 5036 3.5.1) with the Status TLV (3.4.6),
 * and the status code table (3.9, IANA "LDP Status Code Name Space").
 *
 * Status Code field (3.4.6): E bit (0x80000000) = fatal error, the session
 * closes (3.5.1.1); F bit (0x40000000) = forward; 30 bits of status data.
 * The E bits in enum ldp_status follow the table of RFC 5036 3.9 (the same
 * values FRR ldpd sends, ldpd/ldp.h S_*).
 *
 * Deviations / choices:
 *  - Extended Status is kept; Returned PDU / Returned Message are skipped.
 *  - A FEC TLV in a Notification (e.g. with No Route, 3.4.6) is decoded
 *    leniently: the first element is kept when it parses, else dropped.
 *  - Status TLV header: U=0 and F = the Status Code's F bit (3.4.6). */

#include <stdlib.h>
#include <string.h>

#include "ldp/wire.h"
#include "lib/wbuf.h"

/* RFC 5036 3.9 (status data without E/F). */
static const struct {
	uint32_t code;
	const char *name;
} status_table[] = {
	{ 0x00, "Success" },
	{ 0x01, "Bad LDP Identifier" },
	{ 0x02, "Bad Protocol Version" },
	{ 0x03, "Bad PDU Length" },
	{ 0x04, "Unknown Message Type" },
	{ 0x05, "Bad Message Length" },
	{ 0x06, "Unknown TLV" },
	{ 0x07, "Bad TLV Length" },
	{ 0x08, "Malformed TLV Value" },
	{ 0x09, "Hold Timer Expired" },
	{ 0x0a, "Shutdown" },
	{ 0x0b, "Loop Detected" },
	{ 0x0c, "Unknown FEC" },
	{ 0x0d, "No Route" },
	{ 0x0e, "No Label Resources" },
	{ 0x0f, "Label Resources Available" },
	{ 0x10, "Session Rejected/No Hello" },
	{ 0x11, "Session Rejected/Parameters Advertisement Mode" },
	{ 0x12, "Session Rejected/Parameters Max PDU Length" },
	{ 0x13, "Session Rejected/Parameters Label Range" },
	{ 0x14, "KeepAlive Timer Expired" },
	{ 0x15, "Label Request Aborted" },
	{ 0x16, "Missing Message Parameters" },
	{ 0x17, "Unsupported Address Family" },
	{ 0x18, "Session Rejected/Bad KeepAlive Time" },
	{ 0x19, "Internal Error" },
	/* common extensions seen from FRR ldpd */
	{ 0x24, "Illegal C-Bit" },                 /* RFC 4447 */
	{ 0x25, "Wrong C-Bit" },                   /* RFC 4447 */
	{ 0x28, "PW Status" },                     /* RFC 4447 */
	{ 0x2e, "Unsupported Capability" },        /* RFC 5561 */
	{ 0x32, "Transport Connection Mismatch" }, /* RFC 7552 */
	{ 0x33, "Dual-Stack Noncompliance" },      /* RFC 7552 */
};

const char *ldp_status_name(uint32_t status)
{
	size_t i;

	for (i = 0; i < sizeof(status_table) / sizeof(status_table[0]); i++)
		if (status_table[i].code == (status & LDP_STATUS_DATA))
			return status_table[i].name;
	return "Unknown Status";
}

bool ldp_status_fatal(uint32_t status)
{
	return (status & LDP_STATUS_E) != 0;
}

static int status_tlv(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_notification *n = &m->u_.notif;

	if (wbuf_get_u32(&t->val, &n->status) == -1 || wbuf_get_u32(&t->val, &n->msg_id) == -1 ||
	    wbuf_get_u16(&t->val, &n->msg_type) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "status TLV truncated");
	n->status_tlv_f = t->f;
	return 0;
}

static int ext_status_tlv(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_notification *n = &m->u_.notif;

	if (wbuf_get_u32(&t->val, &n->ext_status) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "extended status TLV truncated");
	n->has_ext_status = true;
	return 0;
}

static int notif_fec_tlv(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_notification *n = &m->u_.notif;
	struct ldp_err ignored;
	struct ldp_fec *fecs;
	uint16_t nfec;

	(void)err;
	if (ldp_fec_tlv_decode(t, &fecs, &nfec, &ignored) == 0) {
		n->has_fec = true;
		n->fec = fecs[0];
		free(fecs);
	}
	return 0;
}

static const struct ldp_tlv_rule notif_tlvs[] = {
	{ LDP_TLV_STATUS, 10, 10, true, status_tlv },
	{ LDP_TLV_EXT_STATUS, 4, 4, false, ext_status_tlv },
	{ LDP_TLV_RETURNED_PDU, 0, 0xffff, false, NULL },
	{ LDP_TLV_RETURNED_MSG, 0, 0xffff, false, NULL },
	{ LDP_TLV_FEC, 0, 0xffff, false, notif_fec_tlv },
};

int ldp_notification_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err)
{
	return ldp_tlvs_decode(body, notif_tlvs, sizeof(notif_tlvs) / sizeof(notif_tlvs[0]), m,
			       err);
}

int ldp_notification_encode(struct wbuf *w, const struct ldp_msg *m)
{
	const struct ldp_notification *n = &m->u_.notif;
	uint16_t type = LDP_TLV_STATUS | ((n->status & LDP_STATUS_F) ? LDP_F_BIT : 0);

	if (ldp_tlv_put_hdr(w, type, 10) == -1 || wbuf_put_u32(w, n->status) == -1 ||
	    wbuf_put_u32(w, n->msg_id) == -1 || wbuf_put_u16(w, n->msg_type) == -1)
		return -1;
	if (n->has_ext_status && (ldp_tlv_put_hdr(w, LDP_TLV_EXT_STATUS, 4) == -1 ||
				  wbuf_put_u32(w, n->ext_status) == -1))
		return -1;
	if (n->has_fec && ldp_fec_tlv_encode(w, &n->fec, 1) == -1)
		return -1;
	return 0;
}

void ldp_notification_from_err(struct ldp_msg *m, const struct ldp_err *err)
{
	memset(m, 0, sizeof(*m));
	m->type = LDP_MSG_NOTIFICATION;
	m->u_.notif.status = err->status;
	m->u_.notif.msg_id = err->msg_id;
	m->u_.notif.msg_type = err->msg_type;
}
