#include "config.h"

/* LDP Initialization (RFC 5036 3.5.3) with the Common Session Parameters
 * TLV and the optional Fault Tolerant Session TLV (RFC 3479, used by
 * RFC 3478 3 graceful restart), and KeepAlive (3.5.4).
 *
 * Deviations / choices:
 *  - ATM and Frame Relay Session Parameters TLVs are not in the table: an
 *    Initialization carrying one is rejected with Unknown TLV (we only do
 *    generic labels over Ethernet). Capability TLVs (RFC 5561, U=1) sent by
 *    FRR are skipped as unknown.
 *  - Session acceptance (version, keepalive time, A/D flags, max PDU
 *    length, receiver LDP ID) is checked by the session code, which sends
 *    the "Session Rejected/..." codes; the codec only checks the encoding.
 *  - FT Session TLV: known whatever its U/F bits (we send U=1 F=0). Its
 *    length is fixed at 12 (RFC 3479): any other is a malformed TLV,
 *    Bad TLV Length (RFC 5036 3.5.1.2.2), like the Common Session TLV's; the
 *    U bit's "ignore" is for TLVs the receiver does not know. The reserved
 *    16 bits are ignored; all FT flags are kept for the session code, which
 *    looks at L only (RFC 3478 3). */

#include <string.h>

#include "ldp/wire.h"
#include "lib/wbuf.h"

static int common_session(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_init *in = &m->u_.init;

	if (wbuf_get_u16(&t->val, &in->proto_version) == -1 ||
	    wbuf_get_u16(&t->val, &in->keepalive) == -1 || wbuf_get_u8(&t->val, &in->flags) == -1 ||
	    wbuf_get_u8(&t->val, &in->pvlim) == -1 || wbuf_get_u16(&t->val, &in->max_pdu) == -1 ||
	    wbuf_get_u32(&t->val, &in->receiver.lsr_id) == -1 ||
	    wbuf_get_u16(&t->val, &in->receiver.lspace) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "init: session parameters truncated");
	return 0;
}

/* RFC 3479 (length checked by the table) */
static int ft_session(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_init *in = &m->u_.init;
	uint16_t reserved;

	if (wbuf_get_u16(&t->val, &in->ft.flags) == -1 || wbuf_get_u16(&t->val, &reserved) == -1 ||
	    wbuf_get_u32(&t->val, &in->ft.reconnect_ms) == -1 ||
	    wbuf_get_u32(&t->val, &in->ft.recovery_ms) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "init: FT session TLV truncated");
	in->has_ft = true;
	return 0;
}

static const struct ldp_tlv_rule init_tlvs[] = {
	{ LDP_TLV_COMMON_SESSION, 14, 14, true, common_session },
	{ LDP_TLV_FT_SESSION, LDP_FT_TLV_LEN, LDP_FT_TLV_LEN, false, ft_session },
};

int ldp_init_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err)
{
	return ldp_tlvs_decode(body, init_tlvs, sizeof(init_tlvs) / sizeof(init_tlvs[0]), m, err);
}

int ldp_init_encode(struct wbuf *w, const struct ldp_msg *m)
{
	const struct ldp_init *in = &m->u_.init;

	if (ldp_tlv_put_hdr(w, LDP_TLV_COMMON_SESSION, 14) == -1 ||
	    wbuf_put_u16(w, in->proto_version) == -1 || wbuf_put_u16(w, in->keepalive) == -1 ||
	    wbuf_put_u8(w, in->flags) == -1 || wbuf_put_u8(w, in->pvlim) == -1 ||
	    wbuf_put_u16(w, in->max_pdu) == -1 || wbuf_put_u32(w, in->receiver.lsr_id) == -1 ||
	    wbuf_put_u16(w, in->receiver.lspace) == -1)
		return -1;
	if (in->has_ft &&
	    (ldp_tlv_put_hdr(w, LDP_U_BIT | LDP_TLV_FT_SESSION, LDP_FT_TLV_LEN) == -1 ||
	     wbuf_put_u16(w, in->ft.flags) == -1 || wbuf_put_u16(w, 0) == -1 ||
	     wbuf_put_u32(w, in->ft.reconnect_ms) == -1 ||
	     wbuf_put_u32(w, in->ft.recovery_ms) == -1))
		return -1;
	return 0;
}

/* RFC 5036 3.5.3: "A value of 255 or less specifies the default maximum
 * length of 4096 octets". */
uint16_t ldp_init_max_pdu(const struct ldp_init *in)
{
	return in->max_pdu <= 255 ? LDP_MAX_PDU_DEFAULT : in->max_pdu;
}

/* KeepAlive has no mandatory parameters (3.5.4); optional ones are not
 * defined, so every TLV is unknown (U bit rule). */
int ldp_keepalive_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err)
{
	return ldp_tlvs_decode(body, NULL, 0, m, err);
}

int ldp_keepalive_encode(struct wbuf *w, const struct ldp_msg *m)
{
	(void)w;
	(void)m;
	return 0;
}
