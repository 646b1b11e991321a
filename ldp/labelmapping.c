#include "config.h"

/* LDP label distribution messages: Label Mapping (RFC 5036 3.5.7), Label
 * Request (3.5.8), Label Abort Request (3.5.9), Label Withdraw (3.5.10),
 * Label Release (3.5.11), with the FEC TLV (3.4.1: Wildcard and Prefix
 * elements, IPv4), Generic Label TLV (3.4.2.1), Label Request Message ID
 * TLV (3.5.8), Hop Count TLV (3.4.4) and Path Vector TLV (3.4.5).
 *
 * Checks and the status each one gives:
 *  - FEC element type other than Wildcard/Prefix: Unknown FEC (advisory).
 *  - Prefix family other than IPv4: Unsupported Address Family.
 *  - Prefix length > 32: Malformed TLV Value; prefix bytes beyond the TLV
 *    (ceil(len/8) are needed): Bad TLV Length. Host bits are cleared.
 *  - Wildcard not alone in its FEC TLV, or in a message other than Label
 *    Withdraw / Release (3.4.1): Malformed TLV Value.
 *  - Label above 20 bits or reserved (1, 2, 4..15; 0 explicit null and 3
 *    implicit null are allowed): Malformed TLV Value, as FRR ldpd does.
 *  - Path Vector length not a positive multiple of 4: Bad TLV Length.
 *
 * Deviations / choices:
 *  - Several FEC elements are accepted in every message (RFC 5036 3.4.1
 *    permits them in Label Mapping only); the LDE handles each one.
 *  - ATM and Frame Relay label TLVs are not in the tables, so they are
 *    unknown TLVs (U=0: message rejected with Unknown TLV).
 *  - IPv6 prefixes (RFC 7552) are not decoded. */

#include <stdlib.h>
#include <string.h>

#include "ldp/wire.h"
#include "lib/log.h"
#include "lib/wbuf.h"

bool ldp_label_valid(mpls_label_t label)
{
	if (label > MPLS_LABEL_MAX)
		return false;
	return label == MPLS_LABEL_IPV4_EXPLICIT_NULL || label == MPLS_LABEL_IMPLICIT_NULL ||
	       label >= MPLS_LABEL_FIRST_UNRESERVED;
}

/* ------------------------------------------------------------ FEC TLV */

static void fec_append(struct ldp_fec **fecs, uint16_t *nfec, const struct ldp_fec *f)
{
	/* grow by powers of two: at most TLV length elements anyway */
	if ((*nfec & (*nfec - 1)) == 0)
		*fecs = xrealloc(*fecs, sizeof(**fecs) * (*nfec == 0 ? 1 : 2u * *nfec));
	(*fecs)[(*nfec)++] = *f;
}

int ldp_fec_tlv_decode(const struct ldp_tlv *t, struct ldp_fec **fecs, uint16_t *nfec,
		       struct ldp_err *err)
{
	struct wbuf v = t->val;
	struct ldp_fec f;
	uint8_t type, plen, bytes[4];
	uint16_t af;
	bool wildcard = false;
	int i;

	*fecs = NULL;
	*nfec = 0;
	while (wbuf_left(&v) > 0) {
		memset(&f, 0, sizeof(f));
		if (wbuf_get_u8(&v, &type) == -1)
			goto bad_len;
		f.type = type;
		switch (type) {
		case LDP_FEC_WILDCARD:
			wildcard = true;
			break;
		case LDP_FEC_PREFIX:
			if (wbuf_get_u16(&v, &af) == -1 || wbuf_get_u8(&v, &plen) == -1)
				goto bad_len;
			if (af != LDP_AF_IPV4) {
				ldp_err_set(err, LDP_ST_UNSUP_ADDR_FAMILY,
					    "FEC: prefix address family %u", af);
				goto fail;
			}
			if (plen > 32) {
				ldp_err_set(err, LDP_ST_MALFORMED_TLV, "FEC: prefix length %u",
					    plen);
				goto fail;
			}
			memset(bytes, 0, sizeof(bytes));
			if (wbuf_get_bytes(&v, bytes, (plen + 7u) / 8) == -1)
				goto bad_len;
			for (i = 0; i < 4; i++)
				f.pfx.addr = f.pfx.addr << 8 | bytes[i];
			f.pfx.len = plen;
			prefix4_apply_mask(&f.pfx);
			break;
		default:
			ldp_err_set(err, LDP_ST_UNKNOWN_FEC, "FEC: element type %u unsupported",
				    type);
			goto fail;
		}
		fec_append(fecs, nfec, &f);
	}
	if (*nfec == 0)
		goto bad_len;
	/* RFC 5036 3.4.1: wildcard "must be the only FEC Element in the FEC TLV" */
	if (wildcard && *nfec > 1) {
		ldp_err_set(err, LDP_ST_MALFORMED_TLV, "FEC: wildcard with %u other elements",
			    *nfec - 1);
		goto fail;
	}
	return 0;

bad_len:
	ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "FEC: element truncated (TLV length %u)", t->len);
fail:
	free(*fecs);
	*fecs = NULL;
	*nfec = 0;
	return -1;
}

static size_t fec_size(const struct ldp_fec *f)
{
	return f->type == LDP_FEC_WILDCARD ? 1 : 4 + (f->pfx.len + 7u) / 8;
}

int ldp_fec_tlv_encode(struct wbuf *w, const struct ldp_fec *fecs, uint16_t nfec)
{
	size_t len = 0, start = wbuf_len(w);
	uint16_t i;
	uint32_t a;
	int k;

	for (i = 0; i < nfec; i++) {
		if (fecs[i].type != LDP_FEC_WILDCARD &&
		    (fecs[i].type != LDP_FEC_PREFIX || fecs[i].pfx.len > 32))
			return -1;
		len += fec_size(&fecs[i]);
	}
	if (nfec == 0 || len > 0xffff || ldp_tlv_put_hdr(w, LDP_TLV_FEC, (uint16_t)len) == -1)
		return -1;
	for (i = 0; i < nfec; i++) {
		if (wbuf_put_u8(w, fecs[i].type) == -1)
			goto full;
		if (fecs[i].type == LDP_FEC_WILDCARD)
			continue;
		if (wbuf_put_u16(w, LDP_AF_IPV4) == -1 || wbuf_put_u8(w, fecs[i].pfx.len) == -1)
			goto full;
		a = fecs[i].pfx.addr & prefix4_mask(fecs[i].pfx.len);
		for (k = 0; k < (fecs[i].pfx.len + 7) / 8; k++)
			if (wbuf_put_u8(w, (uint8_t)(a >> (24 - 8 * k))) == -1)
				goto full;
	}
	return 0;

full:
	wbuf_truncate(w, start);
	return -1;
}

/* ------------------------------------------------------------ TLV decoders */

static int fec_tlv(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_label_msg *l = &m->u_.label;

	if (ldp_fec_tlv_decode(t, &l->fecs, &l->nfec, err) == -1)
		return -1;
	if (l->fecs[0].type == LDP_FEC_WILDCARD && m->type != LDP_MSG_LABEL_WITHDRAW &&
	    m->type != LDP_MSG_LABEL_RELEASE)
		return ldp_err_set(err, LDP_ST_MALFORMED_TLV, "%s: wildcard FEC not allowed",
				   ldp_msg_name(m->type));
	return 0;
}

static int label_tlv(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_label_msg *l = &m->u_.label;

	if (wbuf_get_u32(&t->val, &l->label) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "label TLV truncated");
	if (!ldp_label_valid(l->label))
		return ldp_err_set(err, LDP_ST_MALFORMED_TLV, "%s: label %u invalid",
				   ldp_msg_name(m->type), l->label);
	l->has_label = true;
	return 0;
}

static int reqid_tlv(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_label_msg *l = &m->u_.label;

	if (wbuf_get_u32(&t->val, &l->reqid) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "request ID TLV truncated");
	l->has_reqid = true;
	return 0;
}

static int hop_count_tlv(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_label_msg *l = &m->u_.label;

	if (wbuf_get_u8(&t->val, &l->hop_count) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "hop count TLV truncated");
	l->has_hop_count = true;
	return 0;
}

static int path_vector_tlv(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_label_msg *l = &m->u_.label;
	uint16_t i, n = t->len / 4;

	if (t->len % 4 != 0)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "path vector length %u", t->len);
	l->path = xcalloc(n, sizeof(*l->path));
	for (i = 0; i < n; i++) {
		if (wbuf_get_u32(&t->val, &l->path[i]) == -1)
			return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "path vector truncated");
		l->npath++;
	}
	return 0;
}

/* One table per message type (RFC 5036 3.5.7-3.5.11): FEC first, then the
 * TLVs the message may carry. */
static const struct ldp_tlv_rule mapping_tlvs[] = {
	{ LDP_TLV_FEC, 1, 0xffff, true, fec_tlv },
	{ LDP_TLV_GENERIC_LABEL, 4, 4, true, label_tlv },
	{ LDP_TLV_LABEL_REQUEST_ID, 4, 4, false, reqid_tlv },
	{ LDP_TLV_HOP_COUNT, 1, 1, false, hop_count_tlv },
	{ LDP_TLV_PATH_VECTOR, 4, 0xffff, false, path_vector_tlv },
};
static const struct ldp_tlv_rule request_tlvs[] = {
	{ LDP_TLV_FEC, 1, 0xffff, true, fec_tlv },
	{ LDP_TLV_HOP_COUNT, 1, 1, false, hop_count_tlv },
	{ LDP_TLV_PATH_VECTOR, 4, 0xffff, false, path_vector_tlv },
};
static const struct ldp_tlv_rule withdraw_tlvs[] = {
	/* and Label Release */
	{ LDP_TLV_FEC, 1, 0xffff, true, fec_tlv },
	{ LDP_TLV_GENERIC_LABEL, 4, 4, false, label_tlv },
};
static const struct ldp_tlv_rule abort_tlvs[] = {
	{ LDP_TLV_FEC, 1, 0xffff, true, fec_tlv },
	{ LDP_TLV_LABEL_REQUEST_ID, 4, 4, true, reqid_tlv },
};

static const struct {
	uint16_t type;
	const struct ldp_tlv_rule *rules;
	size_t n;
} label_msgs[] = {
	{ LDP_MSG_LABEL_MAPPING, mapping_tlvs, sizeof(mapping_tlvs) / sizeof(mapping_tlvs[0]) },
	{ LDP_MSG_LABEL_REQUEST, request_tlvs, sizeof(request_tlvs) / sizeof(request_tlvs[0]) },
	{ LDP_MSG_LABEL_WITHDRAW, withdraw_tlvs, sizeof(withdraw_tlvs) / sizeof(withdraw_tlvs[0]) },
	{ LDP_MSG_LABEL_RELEASE, withdraw_tlvs, sizeof(withdraw_tlvs) / sizeof(withdraw_tlvs[0]) },
	{ LDP_MSG_LABEL_ABORT, abort_tlvs, sizeof(abort_tlvs) / sizeof(abort_tlvs[0]) },
};

int ldp_label_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err)
{
	size_t i;

	for (i = 0; i < sizeof(label_msgs) / sizeof(label_msgs[0]); i++)
		if (label_msgs[i].type == m->type)
			return ldp_tlvs_decode(body, label_msgs[i].rules, label_msgs[i].n, m, err);
	return ldp_err_set(err, LDP_ST_INTERNAL_ERROR, "label decoder: type 0x%04x", m->type);
}

/* Writes the TLVs allowed in m->type, in the RFC's order: FEC, label,
 * request ID, hop count, path vector. */
int ldp_label_encode(struct wbuf *w, const struct ldp_msg *m)
{
	const struct ldp_label_msg *l = &m->u_.label;
	bool label = false, reqid = false, hops = false;
	uint16_t i;

	switch (m->type) {
	case LDP_MSG_LABEL_MAPPING:
		label = reqid = hops = true;
		break;
	case LDP_MSG_LABEL_REQUEST:
		hops = true;
		break;
	case LDP_MSG_LABEL_WITHDRAW:
	case LDP_MSG_LABEL_RELEASE:
		label = l->has_label;
		break;
	case LDP_MSG_LABEL_ABORT:
		reqid = true;
		break;
	default:
		return -1;
	}
	if (ldp_fec_tlv_encode(w, l->fecs, l->nfec) == -1)
		return -1;
	if (label &&
	    (ldp_tlv_put_hdr(w, LDP_TLV_GENERIC_LABEL, 4) == -1 || wbuf_put_u32(w, l->label) == -1))
		return -1;
	if (reqid && (m->type == LDP_MSG_LABEL_ABORT || l->has_reqid) &&
	    (ldp_tlv_put_hdr(w, LDP_TLV_LABEL_REQUEST_ID, 4) == -1 ||
	     wbuf_put_u32(w, l->reqid) == -1))
		return -1;
	if (hops && l->has_hop_count &&
	    (ldp_tlv_put_hdr(w, LDP_TLV_HOP_COUNT, 1) == -1 || wbuf_put_u8(w, l->hop_count) == -1))
		return -1;
	if (hops && l->npath > 0) {
		if (l->npath > 0xffff / 4 ||
		    ldp_tlv_put_hdr(w, LDP_TLV_PATH_VECTOR, (uint16_t)(4 * l->npath)) == -1)
			return -1;
		for (i = 0; i < l->npath; i++)
			if (wbuf_put_u32(w, l->path[i]) == -1)
				return -1;
	}
	return 0;
}
