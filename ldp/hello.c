#include "config.h"

/* LDP Hello message (RFC 5036 3.5.2): Common Hello Parameters TLV
 * (3.5.2, hold time, T and R flags; the G flag of RFC 6720 is kept),
 * optional IPv4 Transport Address TLV and Configuration Sequence Number
 * TLV.
 *
 * Deviations / choices:
 *  - The IPv6 Transport Address TLV (RFC 7552) is recognized and skipped;
 *    the Dual-Stack capability TLV (0x8701, U=1) is skipped as unknown.
 *  - Hold time 0 ("use the default") and the T/R consistency rules are
 *    the neighbor code's business: the codec reports what was sent. */

#include <string.h>

#include "ldp/wire.h"
#include "lib/wbuf.h"

static int common_hello(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_hello *h = &m->u_.hello;

	if (wbuf_get_u16(&t->val, &h->holdtime) == -1 || wbuf_get_u16(&t->val, &h->flags) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "hello: common parameters truncated");
	return 0;
}

static int trans_addr(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_hello *h = &m->u_.hello;

	if (wbuf_get_u32(&t->val, &h->trans_addr) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "hello: transport address truncated");
	h->has_trans_addr = true;
	return 0;
}

static int conf_seq(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_hello *h = &m->u_.hello;

	if (wbuf_get_u32(&t->val, &h->conf_seq) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "hello: sequence number truncated");
	h->has_conf_seq = true;
	return 0;
}

static const struct ldp_tlv_rule hello_tlvs[] = {
	{ LDP_TLV_COMMON_HELLO, 4, 4, true, common_hello },
	{ LDP_TLV_IPV4_TRANSPORT, 4, 4, false, trans_addr },
	{ LDP_TLV_CONFIG_SEQ, 4, 4, false, conf_seq },
	{ LDP_TLV_IPV6_TRANSPORT, 16, 16, false, NULL },
};

int ldp_hello_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err)
{
	return ldp_tlvs_decode(body, hello_tlvs, sizeof(hello_tlvs) / sizeof(hello_tlvs[0]), m,
			       err);
}

int ldp_hello_encode(struct wbuf *w, const struct ldp_msg *m)
{
	const struct ldp_hello *h = &m->u_.hello;

	if (ldp_tlv_put_hdr(w, LDP_TLV_COMMON_HELLO, 4) == -1 ||
	    wbuf_put_u16(w, h->holdtime) == -1 || wbuf_put_u16(w, h->flags) == -1)
		return -1;
	if (h->has_trans_addr && (ldp_tlv_put_hdr(w, LDP_TLV_IPV4_TRANSPORT, 4) == -1 ||
				  wbuf_put_u32(w, h->trans_addr) == -1))
		return -1;
	if (h->has_conf_seq &&
	    (ldp_tlv_put_hdr(w, LDP_TLV_CONFIG_SEQ, 4) == -1 || wbuf_put_u32(w, h->conf_seq) == -1))
		return -1;
	return 0;
}
