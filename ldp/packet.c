#include "config.h"

/* LDP framing: PDU header (RFC 5036 3.5.1), message header (3.5), TLV
 * encoding (3.3), the U/F bit rules for unknown messages and TLVs
 * (3.5.1.1 and 3.3), the message table that dispatches to the per-family
 * codecs (hello.c, init.c, address.c, labelmapping.c, notification.c), and
 * the PDU builder that packs several messages into one PDU.
 *
 * Deviations / choices:
 *  - "Max PDU Length" is compared with the whole PDU (header included),
 *    as OpenBSD ldpd does: PDU Length + 4 <= max_pdu.
 *  - Mandatory TLVs are accepted in any order (RFC 5036 3.5 puts them
 *    first, in a fixed order); a repeated TLV is ignored after the first.
 *  - A TLV known to LDP but not allowed in the message at hand is treated
 *    like an unknown TLV (U bit rule), as FRR ldpd does.
 *  - F=1 unknown TLVs are not forwarded: we are not a transit LSR.
 *  - A zero-message PDU is accepted (PDU Length 6). */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldp/wire.h"
#include "lib/wbuf.h"

/* ------------------------------------------------------------ errors */

int ldp_err_set(struct ldp_err *err, uint32_t status, const char *fmt, ...)
{
	va_list ap;

	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	return -1;
}

/* ------------------------------------------------------------ message table */

static const struct ldp_msg_row {
	uint16_t type;
	const char *name;
	int (*decode)(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err);
	int (*encode)(struct wbuf *w, const struct ldp_msg *m);
} msg_table[] = {
	{ LDP_MSG_NOTIFICATION, "notification", ldp_notification_decode, ldp_notification_encode },
	{ LDP_MSG_HELLO, "hello", ldp_hello_decode, ldp_hello_encode },
	{ LDP_MSG_INIT, "initialization", ldp_init_decode, ldp_init_encode },
	{ LDP_MSG_KEEPALIVE, "keepalive", ldp_keepalive_decode, ldp_keepalive_encode },
	{ LDP_MSG_ADDRESS, "address", ldp_address_decode, ldp_address_encode },
	{ LDP_MSG_ADDRESS_WITHDRAW, "address withdraw", ldp_address_decode, ldp_address_encode },
	{ LDP_MSG_LABEL_MAPPING, "label mapping", ldp_label_decode, ldp_label_encode },
	{ LDP_MSG_LABEL_REQUEST, "label request", ldp_label_decode, ldp_label_encode },
	{ LDP_MSG_LABEL_WITHDRAW, "label withdraw", ldp_label_decode, ldp_label_encode },
	{ LDP_MSG_LABEL_RELEASE, "label release", ldp_label_decode, ldp_label_encode },
	{ LDP_MSG_LABEL_ABORT, "label abort request", ldp_label_decode, ldp_label_encode },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct ldp_msg_row *msg_row(uint16_t type)
{
	size_t i;

	for (i = 0; i < NELEM(msg_table); i++)
		if (msg_table[i].type == (type & LDP_MSG_TYPE_MASK))
			return &msg_table[i];
	return NULL;
}

const char *ldp_msg_name(uint16_t type)
{
	const struct ldp_msg_row *r = msg_row(type);

	return r != NULL ? r->name : "unknown";
}

void ldp_msg_clear(struct ldp_msg *m)
{
	switch (m->type) {
	case LDP_MSG_ADDRESS:
	case LDP_MSG_ADDRESS_WITHDRAW:
		if (!m->ignored)
			free(m->u_.addr.addrs);
		break;
	case LDP_MSG_LABEL_MAPPING:
	case LDP_MSG_LABEL_REQUEST:
	case LDP_MSG_LABEL_WITHDRAW:
	case LDP_MSG_LABEL_RELEASE:
	case LDP_MSG_LABEL_ABORT:
		if (!m->ignored) {
			free(m->u_.label.fecs);
			free(m->u_.label.path);
		}
		break;
	default:
		break;
	}
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------ PDU header */

int ldp_pdu_peek(const struct wbuf *b, uint16_t max_pdu, size_t *total, struct ldp_err *err)
{
	struct wbuf la = *b;
	uint16_t version, len;

	if (wbuf_get_u16(&la, &version) == -1 || wbuf_get_u16(&la, &len) == -1)
		return 0;
	err->msg_id = 0;
	err->msg_type = 0;
	/* RFC 5036 3.5.1.2: "a PDU with an unsupported version" */
	if (version != LDP_VERSION)
		return ldp_err_set(err, LDP_ST_BAD_PROTO_VERSION, "PDU: version %u", version);
	if (len < LDP_HDR_LEN - LDP_HDR_DEAD_LEN || (size_t)len + LDP_HDR_DEAD_LEN > max_pdu)
		return ldp_err_set(err, LDP_ST_BAD_PDU_LEN, "PDU: length %u outside %u..%u", len,
				   LDP_HDR_LEN - LDP_HDR_DEAD_LEN, max_pdu - LDP_HDR_DEAD_LEN);
	if (wbuf_left(b) < (size_t)len + LDP_HDR_DEAD_LEN)
		return 0;
	*total = (size_t)len + LDP_HDR_DEAD_LEN;
	return 1;
}

int ldp_pdu_open(struct wbuf *b, uint16_t max_pdu, const struct ldp_id *expect,
		 struct ldp_pdu_hdr *h, struct wbuf *msgs, struct ldp_err *err)
{
	struct wbuf la = *b;
	size_t total;
	int r;

	r = ldp_pdu_peek(&la, max_pdu, &total, err);
	if (r == -1)
		return -1;
	if (r == 0) /* a datagram or a buffer shorter than its PDU Length */
		return ldp_err_set(err, LDP_ST_BAD_PDU_LEN,
				   "PDU: %zu bytes, shorter than its length", wbuf_left(&la));
	if (wbuf_get_u16(&la, &h->version) == -1 || wbuf_get_u16(&la, &h->len) == -1 ||
	    wbuf_get_u32(&la, &h->id.lsr_id) == -1 || wbuf_get_u16(&la, &h->id.lspace) == -1 ||
	    wbuf_get_sub(&la, msgs, total - LDP_HDR_LEN) == -1)
		return ldp_err_set(err, LDP_ST_BAD_PDU_LEN, "PDU: truncated header"); /* cannot */
	/* RFC 5036 3.5.1.2: LDP Identifier must match the session's */
	if (expect != NULL && (h->id.lsr_id != expect->lsr_id || h->id.lspace != expect->lspace))
		return ldp_err_set(err, LDP_ST_BAD_LDP_ID, "PDU: LDP ID %08x:%u, expected %08x:%u",
				   h->id.lsr_id, h->id.lspace, expect->lsr_id, expect->lspace);
	*b = la;
	return 0;
}

/* ------------------------------------------------------------ messages */

int ldp_msg_decode(uint16_t raw_type, uint32_t id, struct wbuf *body, struct ldp_msg *m,
		   struct ldp_err *err)
{
	const struct ldp_msg_row *row = msg_row(raw_type);

	memset(m, 0, sizeof(*m));
	m->type = raw_type & LDP_MSG_TYPE_MASK;
	m->u = (raw_type & LDP_U_BIT) != 0;
	m->id = id;
	err->msg_id = id;
	err->msg_type = raw_type;
	if (row == NULL) {
		/* RFC 5036 3.5.1.1 (Unknown Message Types) */
		if (m->u) {
			m->ignored = true;
			return 0;
		}
		return ldp_err_set(err, LDP_ST_UNKNOWN_MSG_TYPE, "message type 0x%04x unknown",
				   m->type);
	}
	if (row->decode(body, m, err) == -1) {
		ldp_msg_clear(m);
		return -1;
	}
	return 0;
}

int ldp_msg_next(struct wbuf *msgs, struct ldp_msg *m, struct ldp_err *err)
{
	struct wbuf la = *msgs, body;
	uint16_t raw, len;
	uint32_t id;

	memset(m, 0, sizeof(*m));
	err->msg_id = 0;
	err->msg_type = 0;
	if (wbuf_left(&la) == 0)
		return 0;
	if (wbuf_get_u16(&la, &raw) == -1 || wbuf_get_u16(&la, &len) == -1)
		goto bad_len;
	err->msg_type = raw;
	/* RFC 5036 3.5: Message Length counts the Message ID and parameters */
	if (len < LDP_MSG_HDR_LEN - LDP_MSG_DEAD_LEN || len > wbuf_left(&la) ||
	    wbuf_get_u32(&la, &id) == -1 ||
	    wbuf_get_sub(&la, &body, len - (LDP_MSG_HDR_LEN - LDP_MSG_DEAD_LEN)) == -1)
		goto bad_len;
	*msgs = la;
	return ldp_msg_decode(raw, id, &body, m, err) == 0 ? 1 : -1;

bad_len:
	return ldp_err_set(err, LDP_ST_BAD_MSG_LEN, "message: length beyond the PDU (%zu left)",
			   wbuf_left(msgs));
}

int ldp_msg_encode(struct wbuf *w, const struct ldp_msg *m)
{
	const struct ldp_msg_row *row = msg_row(m->type);
	size_t start = wbuf_len(w);
	ssize_t off;

	if (row == NULL)
		return -1;
	if (wbuf_put_u16(w, (uint16_t)((m->type & LDP_MSG_TYPE_MASK) | (m->u ? LDP_U_BIT : 0))) ==
		    -1 ||
	    (off = wbuf_reserve(w, 2)) < 0 || wbuf_put_u32(w, m->id) == -1 ||
	    row->encode(w, m) == -1 || wbuf_len(w) - (size_t)off - 2 > 0xffff)
		goto fail;
	wbuf_set_u16_at(w, (size_t)off, (uint16_t)(wbuf_len(w) - (size_t)off - 2));
	return 0;

fail:
	wbuf_truncate(w, start);
	return -1;
}

/* ------------------------------------------------------------ PDU builder */

int ldp_pdu_begin(struct ldp_pdu_builder *pb, struct wbuf *w, const struct ldp_id *id,
		  uint16_t max_pdu, uint32_t *next_id)
{
	size_t start = wbuf_len(w);

	memset(pb, 0, sizeof(*pb));
	pb->w = w;
	pb->start = start;
	pb->max_pdu = max_pdu;
	pb->next_id = next_id;
	if (max_pdu < LDP_HDR_LEN || wbuf_put_u16(w, LDP_VERSION) == -1 ||
	    wbuf_put_u16(w, 0) == -1 || wbuf_put_u32(w, id->lsr_id) == -1 ||
	    wbuf_put_u16(w, id->lspace) == -1) {
		wbuf_truncate(w, start);
		return -1;
	}
	return 0;
}

int ldp_pdu_add(struct ldp_pdu_builder *pb, struct ldp_msg *m)
{
	size_t before = wbuf_len(pb->w);
	uint32_t saved = m->id;

	if (pb->next_id != NULL)
		m->id = *pb->next_id;
	if (ldp_msg_encode(pb->w, m) == -1)
		goto full;
	if (wbuf_len(pb->w) - pb->start > pb->max_pdu) {
		wbuf_truncate(pb->w, before);
		goto full;
	}
	if (pb->next_id != NULL)
		(*pb->next_id)++;
	pb->nmsg++;
	return 0;

full:
	m->id = saved;
	return -1;
}

int ldp_pdu_finish(struct ldp_pdu_builder *pb)
{
	size_t size = wbuf_len(pb->w) - pb->start;

	if (pb->nmsg == 0)
		return -1;
	if (wbuf_set_u16_at(pb->w, pb->start + 2, (uint16_t)(size - LDP_HDR_DEAD_LEN)) == -1)
		return -1;
	return (int)size;
}

/* ------------------------------------------------------------ TLVs */

int ldp_tlv_next(struct wbuf *b, struct ldp_tlv *t, struct ldp_err *err)
{
	struct wbuf la = *b;
	uint16_t raw, len;

	if (wbuf_left(&la) == 0)
		return 0;
	if (wbuf_get_u16(&la, &raw) == -1 || wbuf_get_u16(&la, &len) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN, "TLV: %zu bytes left, no header",
				   wbuf_left(b));
	/* RFC 5036 3.3: the TLV must lie inside the message */
	if (wbuf_get_sub(&la, &t->val, len) == -1)
		return ldp_err_set(err, LDP_ST_BAD_TLV_LEN,
				   "TLV 0x%04x: length %u beyond the message (%zu left)", raw, len,
				   wbuf_left(&la));
	t->raw = raw;
	t->type = raw & LDP_TLV_TYPE_MASK;
	t->u = (raw & LDP_U_BIT) != 0;
	t->f = (raw & LDP_F_BIT) != 0;
	t->len = len;
	*b = la;
	return 1;
}

int ldp_tlv_put_hdr(struct wbuf *w, uint16_t raw_type, uint16_t len)
{
	size_t start = wbuf_len(w);

	if (wbuf_put_u16(w, raw_type) == -1 || wbuf_put_u16(w, len) == -1) {
		wbuf_truncate(w, start);
		return -1;
	}
	return 0;
}

int ldp_tlvs_decode(struct wbuf *body, const struct ldp_tlv_rule *rules, size_t n,
		    struct ldp_msg *m, struct ldp_err *err)
{
	struct ldp_tlv t;
	uint32_t seen = 0;
	size_t i;
	int r;

	while ((r = ldp_tlv_next(body, &t, err)) == 1) {
		for (i = 0; i < n && i < LDP_MAX_TLV_RULES; i++)
			if (rules[i].type == t.type)
				break;
		if (i == n || i == LDP_MAX_TLV_RULES) {
			/* RFC 5036 3.5.1.1 (Unknown TLV in known message type) */
			if (t.u) {
				m->unknown_tlvs++;
				continue;
			}
			return ldp_err_set(err, LDP_ST_UNKNOWN_TLV, "%s: unknown TLV 0x%04x",
					   ldp_msg_name(m->type), t.raw);
		}
		if (seen & (1u << i))
			continue;
		seen |= 1u << i;
		if (t.len < rules[i].min_len || t.len > rules[i].max_len)
			return ldp_err_set(err, LDP_ST_BAD_TLV_LEN,
					   "%s: TLV 0x%04x length %u outside %u..%u",
					   ldp_msg_name(m->type), t.raw, t.len, rules[i].min_len,
					   rules[i].max_len);
		if (rules[i].decode != NULL && rules[i].decode(&t, m, err) == -1)
			return -1;
	}
	if (r == -1)
		return -1;
	for (i = 0; i < n && i < LDP_MAX_TLV_RULES; i++)
		if (rules[i].mandatory && !(seen & (1u << i)))
			return ldp_err_set(err, LDP_ST_MISSING_PARAMS, "%s: TLV 0x%04x missing",
					   ldp_msg_name(m->type), rules[i].type);
	return 0;
}
