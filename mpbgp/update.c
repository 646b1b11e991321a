#include "config.h"

/* UPDATE messages: decoding (RFC 4271 4.3, 6.3 as revised by RFC 7606) and
 * encoding (RFC 4271 4.3, RFC 4760 3/4, RFC 4364 4.3.4, RFC 8277 2,
 * RFC 4724 2 End-of-RIB). Attributes are in attr.c, NLRI codecs in nlri.c.
 *
 * Decoding never fails hard: the verdict is u->action (most severe wins:
 * session reset > treat-as-withdraw > attribute discard) with the first
 * reason at that level. On BGP_UPD_TREAT_AS_WITHDRAW the NLRI to withdraw
 * are still in u->reach[] (plus u->withdrawn[] as usual).
 *   withdrawn routes length overrun ............ session reset (3,1)
 *   total path attribute length overrun ........ session reset (3,1)
 *   IPv4 NLRI / withdrawn field syntax error ... session reset (3,10)
 *       [RFC 7606 5.3: such NLRI cannot be reliably parsed]
 *   missing ORIGIN/AS_PATH (any NLRI) or NEXT_HOP (IPv4 NLRI field) ...
 *       treat-as-withdraw [RFC 7606 3.d]; LOCAL_PREF missing on iBGP is
 *       accepted (not an error).
 * End-of-RIB: an UPDATE with nothing in it (IPv4 unicast), or an MP_UNREACH
 * with no NLRI (other families) sets u->eor[af].
 *
 * Encoding: the MP_REACH_NLRI / MP_UNREACH_NLRI attribute is written
 * FIRST, then the other attributes by ascending type code. This follows
 * RFC 7606 5.1 ("SHALL be encoded as the very first path attribute"),
 * which overrides the RFC 4271 5 SHOULD of ascending order for these two.
 * MP_REACH/MP_UNREACH always carry the Extended Length flag (RFC 4271 4.3
 * allows it for any length). VPN-IPv4 withdrawals carry the label field
 * 0x800000 (RFC 8277 2.4, as FRR). Each encoder writes one whole message
 * at the end of w, packs as many NLRI as fit in 4096 bytes (or in w), and
 * leaves w unchanged on failure. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/wbuf.h"
#include "mpbgp/wire.h"

#define F_OPTIONAL 0x80
#define F_EXTLEN 0x10

void bgp_update_init(struct bgp_update *u)
{
	memset(u, 0, sizeof(*u));
	bgp_attr_init(&u->attr);
}

void bgp_update_free(struct bgp_update *u)
{
	int af;

	for (af = 0; af < BGP_AF_MAX; af++) {
		bgp_nlri_list_free(&u->withdrawn[af]);
		bgp_nlri_list_free(&u->reach[af]);
	}
	free(u->rtc_reach.v);
	free(u->rtc_withdrawn.v);
	bgp_attr_clear(&u->attr);
	bgp_update_init(u);
}

void bgp_update_verdict(struct bgp_update *u, enum bgp_upd_action a, uint8_t code,
			uint8_t subcode, const char *fmt, ...)
{
	va_list ap;

	/* enum order is severity order; keep the first reason of the worst */
	if (a == BGP_UPD_OK || a <= u->action)
		return;
	u->action = a;
	if (a == BGP_UPD_SESSION_RESET) {
		u->code = code;
		u->subcode = subcode;
	}
	va_start(ap, fmt);
	vsnprintf(u->reason, sizeof(u->reason), fmt, ap);
	va_end(ap);
}

static void reset(struct bgp_update *u, uint8_t subcode, const char *what, const char *err)
{
	bgp_update_verdict(u, BGP_UPD_SESSION_RESET, BGP_ERR_UPDATE, subcode, "%s: %s", what, err);
}

void bgp_update_decode(const uint8_t *body, size_t len, const struct bgp_decode_ctx *ctx,
		       struct bgp_update *u)
{
	struct wbuf b = wbuf_from(body, len), wd, attrs;
	uint16_t wlen, alen;
	char err[128];
	bool any_reach = false;
	int af;

	if (wbuf_get_u16(&b, &wlen) == -1) {
		reset(u, BGP_UPD_MALFORMED_ATTR_LIST, "UPDATE", "too short");
		return;
	}
	if (wbuf_get_sub(&b, &wd, wlen) == -1) {
		snprintf(err, sizeof(err), "length %u exceeds message (%zu bytes left)", wlen,
			 wbuf_left(&b));
		reset(u, BGP_UPD_MALFORMED_ATTR_LIST, "withdrawn routes", err);
		return;
	}
	if (wbuf_get_u16(&b, &alen) == -1 || wbuf_get_sub(&b, &attrs, alen) == -1) {
		snprintf(err, sizeof(err), "total path attribute length exceeds message");
		reset(u, BGP_UPD_MALFORMED_ATTR_LIST, "path attributes", err);
		return;
	}
	/* b is now the NLRI field (RFC 4271 4.3) */
	if (bgp_nlri_decode(BGP_AF_IPV4_UNICAST, &wd, &u->withdrawn[BGP_AF_IPV4_UNICAST], true,
			    err, sizeof(err)) < 0) {
		reset(u, BGP_UPD_INVALID_NETWORK, "withdrawn routes", err);
		return;
	}
	if (bgp_nlri_decode(BGP_AF_IPV4_UNICAST, &b, &u->reach[BGP_AF_IPV4_UNICAST], false, err,
			    sizeof(err)) < 0) {
		reset(u, BGP_UPD_INVALID_NETWORK, "NLRI", err);
		return;
	}
	if (wlen == 0 && alen == 0 && len == 4)
		u->eor[BGP_AF_IPV4_UNICAST] = true; /* RFC 4724 2 */
	bgp_attr_decode(&attrs, ctx, u);
	if (u->action == BGP_UPD_SESSION_RESET)
		return;

	/* RFC 7606 3.d: missing well-known mandatory attributes */
	for (af = 0; af < BGP_AF_MAX; af++)
		if (u->reach[af].n > 0)
			any_reach = true;
	any_reach |= u->rtc_reach.n > 0;
	if (!any_reach)
		return;
	if (!(u->attr.present & BGP_ATTR_BIT(BGP_ATTR_ORIGIN)))
		bgp_update_verdict(u, BGP_UPD_TREAT_AS_WITHDRAW, 0, 0, "ORIGIN: missing");
	else if (!(u->attr.present & BGP_ATTR_BIT(BGP_ATTR_AS_PATH)))
		bgp_update_verdict(u, BGP_UPD_TREAT_AS_WITHDRAW, 0, 0, "AS_PATH: missing");
	else if (u->reach[BGP_AF_IPV4_UNICAST].n > 0 &&
		 !(u->attr.present & BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP)))
		bgp_update_verdict(u, BGP_UPD_TREAT_AS_WITHDRAW, 0, 0, "NEXT_HOP: missing");
}

/* ------------------------------------------------------------ encoding */

static size_t msg_len(const struct wbuf *w, size_t start)
{
	return wbuf_len(w) - start;
}

static int finish(struct wbuf *w, size_t start)
{
	if (msg_len(w, start) > BGP_MAX_MSG)
		return -1;
	return wbuf_set_u16_at(w, start + 16, (uint16_t)msg_len(w, start));
}

/* Packs nlri[0..n) while the message stays within 4096 - reserve bytes. */
static int pack_nlri(struct wbuf *w, size_t start, size_t reserve, enum bgp_af af,
		     const struct bgp_nlri *nlri, int n, bool withdraw)
{
	int i;
	size_t sz, before;

	for (i = 0; i < n; i++) {
		sz = withdraw ? bgp_nlri_size_withdraw(af, &nlri[i]) : bgp_nlri_size(af, &nlri[i]);
		if (msg_len(w, start) + sz + reserve > BGP_MAX_MSG)
			break;
		before = wbuf_len(w);
		if (bgp_nlri_encode(af, w, &nlri[i], withdraw) == -1) {
			wbuf_truncate(w, before);
			break;
		}
	}
	return i;
}

/* MP attribute header (extended length); returns the length field offset. */
static ssize_t mp_begin(struct wbuf *w, uint8_t type, enum bgp_af af)
{
	ssize_t off;

	if (wbuf_put_u8(w, F_OPTIONAL | F_EXTLEN) == -1 || wbuf_put_u8(w, type) == -1 ||
	    (off = wbuf_reserve(w, 2)) < 0 || wbuf_put_u16(w, bgp_af_table[af].afi) == -1 ||
	    wbuf_put_u8(w, bgp_af_table[af].safi) == -1)
		return -1;
	return off;
}

static void patch_len(struct wbuf *w, ssize_t off)
{
	wbuf_set_u16_at(w, (size_t)off, (uint16_t)(wbuf_len(w) - (size_t)off - 2));
}

static int begin(struct wbuf *w, size_t *start)
{
	*start = wbuf_len(w);
	bgp_hdr_put(w, BGP_MSG_UPDATE);
	return wbuf_len(w) == *start + BGP_HDR_LEN ? 0 : -1;
}

int bgp_update_encode_reach(struct wbuf *w, enum bgp_af af, const struct bgp_attr *attr,
			    const struct bgp_nlri *nlri, int n, bool as4)
{
	size_t start;
	ssize_t aoff, mpoff;
	struct wbuf *tail = NULL;
	int packed;

	if ((unsigned)af >= BGP_AF_MAX || n < 1 || begin(w, &start) == -1)
		return -1;
	if (wbuf_put_u16(w, 0) == -1 || (aoff = wbuf_reserve(w, 2)) < 0)
		goto fail;
	if (af == BGP_AF_IPV4_UNICAST) {
		if (bgp_attr_encode(w, attr, af, as4) == -1)
			goto fail;
		patch_len(w, aoff);
		packed = pack_nlri(w, start, 0, af, nlri, n, false);
	} else {
		tail = wbuf_new_max(256, BGP_MAX_MSG);
		if (bgp_attr_encode(tail, attr, af, as4) == -1)
			goto fail;
		/* RFC 4760 3: AFI, SAFI, next hop, reserved, NLRI */
		if ((mpoff = mp_begin(w, BGP_ATTR_MP_REACH, af)) < 0 ||
		    bgp_nh_encode(af, w, &attr->nexthop) == -1 || wbuf_put_u8(w, 0) == -1)
			goto fail;
		packed = pack_nlri(w, start, wbuf_len(tail), af, nlri, n, false);
		patch_len(w, mpoff);
		if (wbuf_put_bytes(w, wbuf_data(tail), wbuf_len(tail)) == -1)
			goto fail;
		patch_len(w, aoff);
		wbuf_free(tail);
		tail = NULL;
	}
	if (packed == 0 || finish(w, start) == -1)
		goto fail;
	return packed;
fail:
	wbuf_free(tail);
	wbuf_truncate(w, start);
	return -1;
}

int bgp_update_encode_withdraw(struct wbuf *w, enum bgp_af af, const struct bgp_nlri *nlri,
			       int n)
{
	size_t start;
	ssize_t off, mpoff;
	int packed;

	if ((unsigned)af >= BGP_AF_MAX || n < 1 || begin(w, &start) == -1)
		return -1;
	if (af == BGP_AF_IPV4_UNICAST) {
		if ((off = wbuf_reserve(w, 2)) < 0)
			goto fail;
		/* leave 2 bytes for the total path attribute length */
		packed = pack_nlri(w, start, 2, af, nlri, n, true);
		patch_len(w, off);
		if (wbuf_put_u16(w, 0) == -1)
			goto fail;
	} else {
		if (wbuf_put_u16(w, 0) == -1 || (off = wbuf_reserve(w, 2)) < 0 ||
		    (mpoff = mp_begin(w, BGP_ATTR_MP_UNREACH, af)) < 0)
			goto fail;
		packed = pack_nlri(w, start, 0, af, nlri, n, true);
		patch_len(w, mpoff);
		patch_len(w, off);
	}
	if (packed == 0 || finish(w, start) == -1)
		goto fail;
	return packed;
fail:
	wbuf_truncate(w, start);
	return -1;
}

int bgp_update_encode_eor(struct wbuf *w, enum bgp_af af)
{
	size_t start;
	ssize_t off;

	if ((unsigned)af >= BGP_AF_MAX || begin(w, &start) == -1)
		return -1;
	if (af == BGP_AF_IPV4_UNICAST) {
		/* RFC 4724 2: an UPDATE with nothing in it */
		if (wbuf_put_u16(w, 0) == -1 || wbuf_put_u16(w, 0) == -1)
			goto fail;
	} else {
		/* MP_UNREACH_NLRI with only AFI/SAFI (as FRR, without ext. length) */
		if (wbuf_put_u16(w, 0) == -1 || (off = wbuf_reserve(w, 2)) < 0 ||
		    wbuf_put_u8(w, F_OPTIONAL) == -1 || wbuf_put_u8(w, BGP_ATTR_MP_UNREACH) == -1 ||
		    wbuf_put_u8(w, 3) == -1 || wbuf_put_u16(w, bgp_af_table[af].afi) == -1 ||
		    wbuf_put_u8(w, bgp_af_table[af].safi) == -1)
			goto fail;
		patch_len(w, off);
	}
	if (finish(w, start) == -1)
		goto fail;
	return 0;
fail:
	wbuf_truncate(w, start);
	return -1;
}

/* RFC 4684: MP_UNREACH (withdrawals, or nothing at all: End-of-RIB) and
 * MP_REACH (path attributes, the IPv4 next hop) of AFI 1 / SAFI 132. */
static int rtc_mp(struct wbuf *w, uint8_t type, const struct ipaddr *nh, const struct bgp_rtc *r,
		  int n)
{
	ssize_t off;

	if (wbuf_put_u8(w, F_OPTIONAL | F_EXTLEN) == -1 || wbuf_put_u8(w, type) == -1 ||
	    (off = wbuf_reserve(w, 2)) < 0 || wbuf_put_u16(w, BGP_AFI_IPV4) == -1 ||
	    wbuf_put_u8(w, BGP_SAFI_RTC) == -1)
		return -1;
	if (type == BGP_ATTR_MP_REACH &&
	    (wbuf_put_u8(w, 4) == -1 || wbuf_put_u32(w, nh->af == AF_INET ? nh->v4 : 0) == -1 ||
	     wbuf_put_u8(w, 0) == -1))
		return -1;
	for (int i = 0; i < n; i++)
		if (bgp_rtc_encode(w, &r[i]) == -1)
			return -1;
	patch_len(w, off);
	return 0;
}

int bgp_update_encode_rtc(struct wbuf *w, const struct bgp_attr *a, bool as4,
			  const struct ipaddr *nh, const struct bgp_rtc *reach, int nreach,
			  const struct bgp_rtc *wd, int nwd)
{
	size_t start;
	ssize_t aoff;

	if (begin(w, &start) == -1)
		return -1;
	if (wbuf_put_u16(w, 0) == -1 || (aoff = wbuf_reserve(w, 2)) < 0)
		goto fail;
	/* RFC 7606 5.1: MP_REACH / MP_UNREACH first */
	if ((nwd > 0 || nreach == 0) && rtc_mp(w, BGP_ATTR_MP_UNREACH, NULL, wd, nwd) == -1)
		goto fail;
	if (nreach > 0 && (rtc_mp(w, BGP_ATTR_MP_REACH, nh, reach, nreach) == -1 ||
			   bgp_attr_encode(w, a, BGP_AF_VPNV4, as4) == -1))
		goto fail;
	patch_len(w, aoff);
	if (finish(w, start) == -1)
		goto fail;
	return 0;
fail:
	wbuf_truncate(w, start);
	return -1;
}
