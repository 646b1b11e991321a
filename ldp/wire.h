/* LDP wire formats (RFC 5036): PDU header, message header, TLVs, and the
 * messages of the base protocol for IPv4 prefix FECs in downstream
 * unsolicited mode: Notification, Hello, Initialization, KeepAlive,
 * Address, Address Withdraw, Label Mapping, Label Request, Label Withdraw,
 * Label Release, Label Abort Request. Decoders read through lib/wbuf
 * (bounded); encoders write through lib/wbuf. Nothing here owns a socket,
 * a timer or a session: the caller (neighbor FSM) decides what to do with
 * a decoded message or an error.
 *
 * Errors: every decoder returns 0 (or an iterator's 1/0) on success, or -1
 * with err->status set to the 32-bit Status Code to put in the Notification
 * (E bit included: ldp_status_fatal() says whether the session must close,
 * RFC 5036 3.5.1.1), err->msg_id/msg_type of the offending message when
 * known, and a reason for the log.
 *
 * Layout after OpenBSD ldpd: packet.c (PDU/message/TLV framing and the
 * message table), hello.c, init.c (Initialization, KeepAlive), address.c,
 * labelmapping.c, notification.c (Notification, status code table). */
#ifndef PE_LDP_WIRE_H
#define PE_LDP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/label.h"
#include "lib/prefix.h"
#include "lib/wbuf.h"

#define LDP_PORT 646
#define LDP_VERSION 1
#define LDP_MAX_PDU_DEFAULT 4096 /* RFC 5036 3.5.3: until negotiated */
#define LDP_HDR_LEN 10           /* version, PDU length, LDP ID (3.5.1) */
#define LDP_HDR_DEAD_LEN 4       /* version + PDU length: not counted in PDU length */
#define LDP_MSG_HDR_LEN 8        /* U+type, length, message ID (3.5) */
#define LDP_MSG_DEAD_LEN 4       /* U+type + length: not counted in message length */
#define LDP_TLV_HDR_LEN 4        /* U+F+type, length (3.3) */

#define LDP_U_BIT 0x8000 /* message and TLV: unknown -> ignore silently */
#define LDP_F_BIT 0x4000 /* TLV only: unknown -> forward */
#define LDP_MSG_TYPE_MASK 0x7fff
#define LDP_TLV_TYPE_MASK 0x3fff

/* Message types (RFC 5036 3.7) */
enum ldp_msg_type {
	LDP_MSG_NOTIFICATION = 0x0001,
	LDP_MSG_HELLO = 0x0100,
	LDP_MSG_INIT = 0x0200,
	LDP_MSG_KEEPALIVE = 0x0201,
	LDP_MSG_ADDRESS = 0x0300,
	LDP_MSG_ADDRESS_WITHDRAW = 0x0301,
	LDP_MSG_LABEL_MAPPING = 0x0400,
	LDP_MSG_LABEL_REQUEST = 0x0401,
	LDP_MSG_LABEL_WITHDRAW = 0x0402,
	LDP_MSG_LABEL_RELEASE = 0x0403,
	LDP_MSG_LABEL_ABORT = 0x0404,
};

/* TLV types (RFC 5036 3.4, 3.8; 0x0403 from RFC 7552) */
enum ldp_tlv_type {
	LDP_TLV_FEC = 0x0100,
	LDP_TLV_ADDRESS_LIST = 0x0101,
	LDP_TLV_HOP_COUNT = 0x0103,
	LDP_TLV_PATH_VECTOR = 0x0104,
	LDP_TLV_GENERIC_LABEL = 0x0200,
	LDP_TLV_ATM_LABEL = 0x0201,
	LDP_TLV_FR_LABEL = 0x0202,
	LDP_TLV_STATUS = 0x0300,
	LDP_TLV_EXT_STATUS = 0x0301,
	LDP_TLV_RETURNED_PDU = 0x0302,
	LDP_TLV_RETURNED_MSG = 0x0303,
	LDP_TLV_COMMON_HELLO = 0x0400,
	LDP_TLV_IPV4_TRANSPORT = 0x0401,
	LDP_TLV_CONFIG_SEQ = 0x0402,
	LDP_TLV_IPV6_TRANSPORT = 0x0403,
	LDP_TLV_COMMON_SESSION = 0x0500,
	LDP_TLV_ATM_SESSION = 0x0501,
	LDP_TLV_FR_SESSION = 0x0502,
	LDP_TLV_FT_SESSION = 0x0503, /* RFC 3479, sent with U=1 F=0 */
	LDP_TLV_LABEL_REQUEST_ID = 0x0600,
};

/* Status codes (RFC 5036 3.9, IANA "LDP Status Code Name Space"), as the
 * 32-bit Status Code field: E bit (fatal) included, F bit clear. */
#define LDP_STATUS_E 0x80000000u
#define LDP_STATUS_F 0x40000000u
#define LDP_STATUS_DATA 0x3fffffffu
enum ldp_status {
	LDP_ST_SUCCESS = 0x00000000,
	LDP_ST_BAD_LDP_ID = 0x80000001,
	LDP_ST_BAD_PROTO_VERSION = 0x80000002,
	LDP_ST_BAD_PDU_LEN = 0x80000003,
	LDP_ST_UNKNOWN_MSG_TYPE = 0x00000004,
	LDP_ST_BAD_MSG_LEN = 0x80000005,
	LDP_ST_UNKNOWN_TLV = 0x00000006,
	LDP_ST_BAD_TLV_LEN = 0x80000007,
	LDP_ST_MALFORMED_TLV = 0x80000008,
	LDP_ST_HOLD_EXPIRED = 0x80000009,
	LDP_ST_SHUTDOWN = 0x8000000a,
	LDP_ST_LOOP_DETECTED = 0x0000000b,
	LDP_ST_UNKNOWN_FEC = 0x0000000c,
	LDP_ST_NO_ROUTE = 0x0000000d,
	LDP_ST_NO_LABEL_RES = 0x0000000e,
	LDP_ST_LABEL_RES_AVAILABLE = 0x0000000f,
	LDP_ST_REJ_NO_HELLO = 0x80000010,
	LDP_ST_REJ_ADV_MODE = 0x80000011,
	LDP_ST_REJ_MAX_PDU = 0x80000012,
	LDP_ST_REJ_LABEL_RANGE = 0x80000013,
	LDP_ST_KEEPALIVE_EXPIRED = 0x80000014,
	LDP_ST_LABEL_REQ_ABORTED = 0x00000015,
	LDP_ST_MISSING_PARAMS = 0x00000016,
	LDP_ST_UNSUP_ADDR_FAMILY = 0x00000017,
	LDP_ST_REJ_BAD_KEEPALIVE = 0x80000018,
	LDP_ST_INTERNAL_ERROR = 0x80000019,
};

/* Address families in Address List TLV and Prefix FEC (RFC 1700 numbers) */
#define LDP_AF_IPV4 1
#define LDP_AF_IPV6 2

/* FEC element types (RFC 5036 3.4.1) */
#define LDP_FEC_WILDCARD 0x01
#define LDP_FEC_PREFIX 0x02

/* Common Hello Parameters flags (RFC 5036 3.5.2; G from RFC 6720) */
#define LDP_HELLO_T 0x8000 /* targeted */
#define LDP_HELLO_R 0x4000 /* request targeted hellos */
#define LDP_HELLO_G 0x2000 /* GTSM (RFC 6720), kept, not acted on */

/* Common Session Parameters flags (RFC 5036 3.5.3) */
#define LDP_INIT_A 0x80 /* downstream on demand */
#define LDP_INIT_D 0x40 /* loop detection */

/* FT Flags of the Fault Tolerant Session TLV (RFC 3479: R is the most
 * significant bit, S A C L the four least). RFC 3478 3 (graceful restart)
 * sets L only, the others 0 on transmit and ignored on receipt. */
#define LDP_FT_R 0x8000 /* FT Reconnect: state preserved (RFC 3479 only) */
#define LDP_FT_S 0x0008 /* save state (RFC 3479) */
#define LDP_FT_A 0x0004 /* all labels (RFC 3479) */
#define LDP_FT_C 0x0002 /* check-pointing (RFC 3479) */
#define LDP_FT_L 0x0001 /* learn from network: RFC 3478 graceful restart */
#define LDP_FT_TLV_LEN 12

/* ---- structs ---- */

struct ldp_id {
	uint32_t lsr_id; /* host order */
	uint16_t lspace;
};

struct ldp_pdu_hdr {
	uint16_t version;
	uint16_t len; /* PDU Length field: bytes after it */
	struct ldp_id id;
};

/* What to send back after a decode error. */
struct ldp_err {
	uint32_t status;   /* enum ldp_status (E bit included) */
	uint32_t msg_id;   /* offending message, 0 if none */
	uint16_t msg_type; /* offending message type (with U bit), 0 if none */
	char reason[160];
};

struct ldp_msg;

/* One TLV as found by ldp_tlv_next(); val is a bounded view of the value. */
struct ldp_tlv {
	uint16_t raw;  /* type field as on the wire (U, F bits included) */
	uint16_t type; /* raw & LDP_TLV_TYPE_MASK */
	bool u, f;
	uint16_t len;
	struct wbuf val; /* read-only view of the len value bytes */
};

/* One row of a message's TLV table (table-driven decoding, packet.c
 * ldp_tlvs_decode): the value length must be within [min_len, max_len]
 * (else Bad TLV Length); a mandatory TLV missing gives Missing Message
 * Parameters; a TLV type not in the table is unknown (U bit rule). decode
 * may be NULL (TLV known and skipped). */
struct ldp_tlv_rule {
	uint16_t type;
	uint16_t min_len, max_len;
	bool mandatory;
	int (*decode)(struct ldp_tlv *t, struct ldp_msg *m, struct ldp_err *err);
};
#define LDP_MAX_TLV_RULES 16

struct ldp_hello {
	uint16_t holdtime;
	uint16_t flags; /* LDP_HELLO_T, _R, _G */
	bool has_trans_addr;
	uint32_t trans_addr; /* host order */
	bool has_conf_seq;
	uint32_t conf_seq;
};

/* Fault Tolerant Session TLV value (RFC 3479, RFC 3478 3); the 16
 * reserved bits after the flags are sent 0 and ignored. */
struct ldp_ft {
	uint16_t flags;        /* LDP_FT_* */
	uint32_t reconnect_ms; /* FT Reconnect Timeout; 0: forwarding not kept across a restart */
	uint32_t recovery_ms;  /* Recovery Time; 0: forwarding not kept across this restart */
};

struct ldp_init {
	uint16_t proto_version;
	uint16_t keepalive;
	uint8_t flags;    /* LDP_INIT_A, LDP_INIT_D */
	uint8_t pvlim;    /* path vector limit */
	uint16_t max_pdu; /* as sent; <= 255 means 4096 (ldp_init_max_pdu()) */
	struct ldp_id receiver;
	bool has_ft; /* Fault Tolerant Session TLV present */
	struct ldp_ft ft;
};

struct ldp_address {
	uint16_t family; /* LDP_AF_IPV4 */
	uint16_t naddr;
	uint32_t *addrs; /* host order, heap (ldp_msg_clear frees) */
};

struct ldp_fec {
	uint8_t type; /* LDP_FEC_WILDCARD or LDP_FEC_PREFIX */
	struct prefix4 pfx;
};

/* Label Mapping, Request, Withdraw, Release, Abort Request. */
struct ldp_label_msg {
	uint16_t nfec;
	struct ldp_fec *fecs; /* heap (ldp_msg_clear frees) */
	bool has_label;
	mpls_label_t label;
	bool has_reqid; /* Label Request Message ID TLV */
	uint32_t reqid;
	bool has_hop_count;
	uint8_t hop_count;
	uint16_t npath; /* Path Vector TLV: LSR IDs; 0 = absent */
	uint32_t *path; /* heap */
};

struct ldp_notification {
	uint32_t status; /* Status Code field (E, F bits included) */
	uint32_t msg_id;
	uint16_t msg_type;
	bool status_tlv_f; /* F bit of the Status TLV header */
	bool has_ext_status;
	uint32_t ext_status;
	bool has_fec;       /* RFC 5036 3.4.6 (e.g. with No Route): FEC TLV */
	struct ldp_fec fec; /* first element only */
};

struct ldp_msg {
	uint16_t type; /* enum ldp_msg_type, without the U bit */
	bool u;        /* U bit as received / to send */
	uint32_t id;
	bool ignored;          /* unknown type with U=1: nothing decoded */
	uint16_t unknown_tlvs; /* unknown TLVs with U=1 skipped */
	union {
		struct ldp_notification notif;
		struct ldp_hello hello;
		struct ldp_init init;
		struct ldp_address addr;    /* ADDRESS, ADDRESS_WITHDRAW */
		struct ldp_label_msg label; /* LABEL_* */
	} u_;
};

/* Collects messages into one PDU (several per PDU, up to max_pdu bytes). */
struct ldp_pdu_builder {
	struct wbuf *w;
	size_t start;      /* offset of the PDU header in w */
	uint16_t max_pdu;  /* whole PDU, header included */
	uint32_t *next_id; /* message ID counter, or NULL: keep m->id */
	int nmsg;
};

/* ---- API ---- */

/* packet.c */
/* Whole PDU at the cursor of a TCP stream buffer: 1 with *total (header
 * included) when it is all there, 0 when more bytes are needed, -1 on a
 * bad version or PDU length (err set). Does not move the cursor. */
int ldp_pdu_peek(const struct wbuf *b, uint16_t max_pdu, size_t *total, struct ldp_err *err);
/* Reads one PDU header from b and narrows msgs to its messages; b moves
 * past the PDU. expect: LDP ID that must match (session), NULL for any
 * (hello). Checks version (3.5.1.2), PDU length (>= 6, whole PDU <=
 * max_pdu, inside b) and LDP ID. */
int ldp_pdu_open(struct wbuf *b, uint16_t max_pdu, const struct ldp_id *expect,
		 struct ldp_pdu_hdr *h, struct wbuf *msgs, struct ldp_err *err);
/* Next message of a PDU: 1 with m filled (m->ignored for an unknown type
 * with U=1), 0 at the end, -1 with err set. After an advisory error (E=0:
 * Unknown Message Type, Unknown TLV, Unknown FEC, Missing Message
 * Parameters, Unsupported Address Family) msgs is past the bad message
 * and the caller may continue; after a fatal one the session closes.
 * m is overwritten: call ldp_msg_clear(m) before reusing it. */
int ldp_msg_next(struct wbuf *msgs, struct ldp_msg *m, struct ldp_err *err);
/* Decodes one message body (after the 8-byte header). */
int ldp_msg_decode(uint16_t raw_type, uint32_t id, struct wbuf *body, struct ldp_msg *m,
		   struct ldp_err *err);
void ldp_msg_clear(struct ldp_msg *m); /* frees the heap arrays, zeroes m */
const char *ldp_msg_name(uint16_t type);
/* Appends one whole message (header included); -1 with w unchanged when it
 * does not fit or m is not encodable (unknown type, too many items). */
int ldp_msg_encode(struct wbuf *w, const struct ldp_msg *m);
/* PDU builder: begin writes the header (length patched by finish). add
 * assigns m->id from *next_id (when set) and appends m; -1 (nothing
 * written) when the PDU would exceed max_pdu: finish and begin another.
 * finish returns the PDU size, or -1 for a PDU without messages. */
int ldp_pdu_begin(struct ldp_pdu_builder *pb, struct wbuf *w, const struct ldp_id *id,
		  uint16_t max_pdu, uint32_t *next_id);
int ldp_pdu_add(struct ldp_pdu_builder *pb, struct ldp_msg *m);
int ldp_pdu_finish(struct ldp_pdu_builder *pb);
/* TLV iteration inside a message body: 1 with t, 0 at the end, -1 (Bad
 * TLV Length) on a truncated header or a length beyond the message. */
int ldp_tlv_next(struct wbuf *b, struct ldp_tlv *t, struct ldp_err *err);
int ldp_tlv_put_hdr(struct wbuf *w, uint16_t raw_type, uint16_t len);
/* Walks every TLV of body through rules[0..n) (n <= LDP_MAX_TLV_RULES).
 * Unknown TLV: U=0 -> Unknown TLV (message rejected), U=1 -> skipped and
 * counted in m->unknown_tlvs (RFC 5036 3.5.1.1; we are not a transit, so
 * an F=1 TLV is not forwarded). A repeated TLV: the first one counts. */
int ldp_tlvs_decode(struct wbuf *body, const struct ldp_tlv_rule *rules, size_t n,
		    struct ldp_msg *m, struct ldp_err *err);
/* err helper: sets status and the reason; always returns -1. */
int ldp_err_set(struct ldp_err *err, uint32_t status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Per-message-family codec functions, called through packet.c's table:
 * decoders get the message body and a zeroed m (type/id set) and return
 * 0 or -1 (err set, m cleared by the caller); encoders append the body. */
/* hello.c */
int ldp_hello_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err);
int ldp_hello_encode(struct wbuf *w, const struct ldp_msg *m);
/* init.c */
int ldp_init_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err);
int ldp_init_encode(struct wbuf *w, const struct ldp_msg *m);
int ldp_keepalive_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err);
int ldp_keepalive_encode(struct wbuf *w, const struct ldp_msg *m);
uint16_t ldp_init_max_pdu(const struct ldp_init *in); /* 255 or less: 4096 */
/* address.c */
int ldp_address_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err);
int ldp_address_encode(struct wbuf *w, const struct ldp_msg *m);
/* labelmapping.c */
int ldp_label_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err);
int ldp_label_encode(struct wbuf *w, const struct ldp_msg *m);
int ldp_fec_tlv_decode(const struct ldp_tlv *t, struct ldp_fec **fecs, uint16_t *nfec,
		       struct ldp_err *err);
int ldp_fec_tlv_encode(struct wbuf *w, const struct ldp_fec *fecs, uint16_t nfec);
bool ldp_label_valid(mpls_label_t label); /* 20 bits, not 1, 2, 4..15 */
/* notification.c */
int ldp_notification_decode(struct wbuf *body, struct ldp_msg *m, struct ldp_err *err);
int ldp_notification_encode(struct wbuf *w, const struct ldp_msg *m);
/* Fills m as the Notification answering err (status, offending message). */
void ldp_notification_from_err(struct ldp_msg *m, const struct ldp_err *err);
const char *ldp_status_name(uint32_t status); /* E/F bits ignored */
bool ldp_status_fatal(uint32_t status);       /* E bit */

#endif
