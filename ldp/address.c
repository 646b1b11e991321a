#include "config.h"

/* LDP Address and Address Withdraw messages (RFC 5036 3.5.5, 3.5.6) with
 * the Address List TLV (3.4.3).
 *
 * Deviations / choices:
 *  - Only IPv4 (family 1) is decoded; IPv6 (family 2, RFC 7552) and any
 *    other family get Unsupported Address Family (advisory: the message
 *    is rejected, the session stays).
 *  - An empty address list is accepted (FRR withdraws nothing with it). */

#include <stdlib.h>
#include <string.h>

#include "ldp/wire.h"
#include "lib/log.h"
#include "lib/wbuf.h"

static int addr_list(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_address *a = &m->u_.addr;
	uint16_t i, n;

	if (wbuf_get_u16(&t->val, &a->family) == -1)
		goto bad_len;
	if (a->family != LDP_AF_IPV4)
		return ldp_err_set(err, LDP_ST_UNSUP_ADDR_FAMILY, "%s: address family %u",
				   ldp_msg_name(m->type), a->family);
	if (wbuf_left(&t->val) % 4 != 0)
		goto bad_len;
	n = (uint16_t)(wbuf_left(&t->val) / 4);
	a->addrs = n > 0 ? xcalloc(n, sizeof(*a->addrs)) : NULL;
	for (i = 0; i < n; i++) {
		if (wbuf_get_u32(&t->val, &a->addrs[i]) == -1)
			goto bad_len; /* cannot: length checked */
		a->naddr++;
	}
	return 0;

bad_len:
	return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "%s: address list length %u",
			   ldp_msg_name(m->type), t->len);
}

static const struct ldp_tlv_rule addr_tlvs[] = {
	{ LDP_TLV_ADDRESS_LIST, 2, 0xffff, true, addr_list },
};

int ldp_address_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err)
{
	return ldp_tlvs_decode(body, addr_tlvs, sizeof(addr_tlvs) / sizeof(addr_tlvs[0]), m, err);
}

int ldp_address_encode(struct wbuf *w, const struct ldp_msg *m)
{
	const struct ldp_address *a = &m->u_.addr;
	uint16_t i;

	if (a->naddr > (0xffff - 2) / 4 ||
	    ldp_tlv_put_hdr(w, LDP_TLV_ADDRESS_LIST, (uint16_t)(2 + 4 * a->naddr)) == -1 ||
	    wbuf_put_u16(w, LDP_AF_IPV4) == -1)
		return -1;
	for (i = 0; i < a->naddr; i++)
		if (wbuf_put_u32(w, a->addrs[i]) == -1)
			return -1;
	return 0;
}
