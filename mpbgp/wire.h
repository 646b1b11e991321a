/* BGP-4 wire formats: message header, OPEN (+ capabilities), KEEPALIVE,
 * NOTIFICATION, ROUTE-REFRESH, UPDATE (path attributes, IPv4 unicast NLRI,
 * MP_REACH/MP_UNREACH with VPN-IPv4 NLRI). RFC 4271, 4760, 4364, 8277, 4360,
 * 4456, 6793, 2918, 5492, 7606. Decoders read through lib/wbuf (bounded);
 * encoders write through lib/wbuf. Nothing here owns a socket or a timer.
 *
 * Table-driven: one row per address family (bgp_af_table) and one row per
 * path attribute (in attr.c); VPNv6 is a new row later. */
#ifndef PE_BGP_WIRE_H
#define PE_BGP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/label.h"
#include "lib/prefix.h"
#include "lib/rdrt.h"

struct wbuf;

#define BGP_MAX_MSG 4096
#define BGP_HDR_LEN 19
#define BGP_PORT 179

enum bgp_msg_type {
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5,
};

/* NOTIFICATION codes (RFC 4271 4.5, 6.x) */
enum bgp_err {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_ROUTE_REFRESH = 7, /* RFC 7313 */
};
/* subcodes used by the code (the rest are in wire.c's name tables) */
#define BGP_HDR_SYNC 1
#define BGP_HDR_BAD_LEN 2
#define BGP_HDR_BAD_TYPE 3
#define BGP_OPEN_UNSUP_VERSION 1
#define BGP_OPEN_BAD_PEER_AS 2
#define BGP_OPEN_BAD_BGP_ID 3
#define BGP_OPEN_UNSUP_PARAM 4
#define BGP_OPEN_BAD_HOLD 6
#define BGP_OPEN_UNSUP_CAPA 7
#define BGP_UPD_MALFORMED_ATTR_LIST 1
#define BGP_UPD_UNRECOGNIZED_WK 2
#define BGP_UPD_MISSING_WK 3
#define BGP_UPD_ATTR_FLAGS 4
#define BGP_UPD_ATTR_LEN 5
#define BGP_UPD_INVALID_ORIGIN 6
#define BGP_UPD_INVALID_NEXTHOP 8
#define BGP_UPD_OPT_ATTR 9
#define BGP_UPD_INVALID_NETWORK 10
#define BGP_UPD_MALFORMED_ASPATH 11
#define BGP_CEASE_MAX_PREFIX 1
#define BGP_CEASE_ADMIN_SHUTDOWN 2
#define BGP_CEASE_PEER_DECONFIG 3
#define BGP_CEASE_ADMIN_RESET 4
#define BGP_CEASE_CONN_REJECTED 5
#define BGP_CEASE_CONFIG_CHANGE 6
#define BGP_CEASE_COLLISION 7
#define BGP_CEASE_OUT_OF_RESOURCES 8

/* ---- address families ---- */

#define BGP_AFI_IPV4 1
#define BGP_AFI_IPV6 2
#define BGP_SAFI_UNICAST 1
#define BGP_SAFI_MPLS_VPN 128
#define BGP_SAFI_RTC 132 /* RFC 4684 route target membership (AFI 1) */

enum bgp_af { BGP_AF_IPV4_UNICAST, BGP_AF_VPNV4, BGP_AF_IPV6_UNICAST, BGP_AF_VPNV6, BGP_AF_MAX };

#define BGP_MAX_LABELS 4 /* label stack entries accepted in one NLRI */

/* The key of a route: RD (all zero for unicast) + prefix of either family. */
struct bgp_prefix {
	struct rd rd;
	struct prefix pfx;
};

/* Hash and equality of route keys (RIB and Adj-RIB-Out tables). */
static inline uint32_t bgp_prefix_hash(const struct bgp_prefix *p)
{
	uint64_t rd, h, x;

	memcpy(&rd, p->rd.b, 8);
	h = rd * 0x9e3779b97f4a7c15ull;
	if (p->pfx.af == AF_INET) {
		x = (uint64_t)p->pfx.v4 << 8 | p->pfx.len;
	} else {
		uint64_t hi, lo;

		memcpy(&hi, p->pfx.v6, 8);
		memcpy(&lo, p->pfx.v6 + 8, 8);
		x = (hi * 0xff51afd7ed558ccdull) ^ lo ^ ((uint64_t)p->pfx.len << 56 | 1);
	}
	h ^= x * 0xc2b2ae3d27d4eb4full;
	h ^= h >> 29;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 32;
	return (uint32_t)h;
}

static inline bool bgp_prefix_eq(const struct bgp_prefix *a, const struct bgp_prefix *b)
{
	if (a->pfx.af != b->pfx.af || a->pfx.len != b->pfx.len || memcmp(a->rd.b, b->rd.b, 8) != 0)
		return false;
	return a->pfx.af == AF_INET ? a->pfx.v4 == b->pfx.v4 : memcmp(a->pfx.v6, b->pfx.v6, 16) == 0;
}

/* One NLRI as decoded or to encode. */
struct bgp_nlri {
	struct bgp_prefix p;
	int nlabels;                       /* 0 for IPv4 unicast */
	mpls_label_t labels[BGP_MAX_LABELS]; /* 20-bit values, outermost first */
};

struct bgp_af_info {
	uint16_t afi;
	uint8_t safi;
	const char *name; /* "ipv4 unicast", "ipv4 vpn" (FRR's words) */
	const char *json_name; /* "ipv4Unicast", "ipv4Vpn" */
};
extern const struct bgp_af_info bgp_af_table[BGP_AF_MAX];
int bgp_af_from_afisafi(uint16_t afi, uint8_t safi); /* enum bgp_af or -1 */
int bgp_af_family(enum bgp_af af);  /* AF_INET or AF_INET6 of its prefixes */
bool bgp_af_is_vpn(enum bgp_af af); /* SAFI 128: RD + labels */

/* ---- path attributes ---- */

enum bgp_attr_type {
	BGP_ATTR_ORIGIN = 1,
	BGP_ATTR_AS_PATH = 2,
	BGP_ATTR_NEXT_HOP = 3,
	BGP_ATTR_MED = 4,
	BGP_ATTR_LOCAL_PREF = 5,
	BGP_ATTR_ATOMIC_AGGREGATE = 6,
	BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8,
	BGP_ATTR_ORIGINATOR_ID = 9,
	BGP_ATTR_CLUSTER_LIST = 10,
	BGP_ATTR_MP_REACH = 14,
	BGP_ATTR_MP_UNREACH = 15,
	BGP_ATTR_EXT_COMMUNITIES = 16,
	BGP_ATTR_AS4_PATH = 17,
	BGP_ATTR_AS4_AGGREGATOR = 18,
};

#define BGP_ORIGIN_IGP 0
#define BGP_ORIGIN_EGP 1
#define BGP_ORIGIN_INCOMPLETE 2

/* AS_PATH segments, always held with 4-octet ASNs (RFC 6793). */
#define BGP_ASPATH_SET 1
#define BGP_ASPATH_SEQUENCE 2
#define BGP_ASPATH_CONFED_SEQUENCE 3
#define BGP_ASPATH_CONFED_SET 4

/* Which optional fields of struct bgp_attr are present (bit = 1 << type). */
#define BGP_ATTR_BIT(t) (1u << (t))

/* A decoded path-attribute set. Variable parts are heap arrays owned by the
 * struct (bgp_attr_clear frees them). Interned copies (bgp_attr_intern) are
 * shared, reference-counted and must not be modified. */
struct bgp_attr {
	uint32_t present; /* BGP_ATTR_BIT() of each attribute present */
	uint8_t origin;
	uint16_t aspath_len;   /* bytes of aspath: segments as on the wire, 4-octet ASNs */
	uint8_t *aspath;
	struct ipaddr nexthop; /* NEXT_HOP, or the next hop of MP_REACH */
	uint32_t med;
	uint32_t local_pref;
	uint32_t aggregator_as;
	uint32_t aggregator_addr;
	uint16_t ncommunities;
	uint32_t *communities;
	uint16_t necomms;
	struct ecomm *ecomms;
	uint32_t originator_id;
	uint16_t ncluster;
	uint32_t *cluster_list;
	uint16_t unknown_len;  /* optional transitive attributes we do not know, */
	uint8_t *unknown;      /* re-sent with the Partial bit set (wire form) */
	/* interning */
	uint32_t refcnt;       /* 0 for a template */
	uint32_t hash;
	struct bgp_attr *next; /* intern hash chain (attr.c private) */
};

/* attr.c */
void bgp_attr_init(struct bgp_attr *a);
void bgp_attr_clear(struct bgp_attr *a);          /* frees arrays of a template */
void bgp_attr_copy(struct bgp_attr *dst, const struct bgp_attr *src); /* deep */
bool bgp_attr_has_comm(const struct bgp_attr *a, uint32_t c);
/* Hash-consed copy: equal sets share one object. */
const struct bgp_attr *bgp_attr_intern(const struct bgp_attr *tmpl);
void bgp_attr_ref(const struct bgp_attr *a);     /* aborts on overflow */
void bgp_attr_unref(const struct bgp_attr *a);   /* aborts on underflow; frees at 0 */
size_t bgp_attr_interned_count(void);
/* Shrink the intern table after a burst of unrefs; its bucket count. */
void bgp_attr_compact(void);
size_t bgp_attr_buckets(void);
bool bgp_attr_equal(const struct bgp_attr *a, const struct bgp_attr *b);
/* AS path helpers (4-octet form) */
int bgp_aspath_length(const struct bgp_attr *a);   /* RFC 4271 9.1.2.2 a): SET counts 1 */
bool bgp_aspath_contains(const struct bgp_attr *a, uint32_t asn, int *count);
uint32_t bgp_aspath_first_as(const struct bgp_attr *a); /* neighbor AS, 0 if empty */
/* New path with asn prepended (SEQUENCE); replaces a->aspath. */
void bgp_aspath_prepend(struct bgp_attr *a, uint32_t asn);
/* "65001 65002 {65003,65004}" */
char *bgp_aspath_str(const struct bgp_attr *a, char *buf, size_t len);
/* Additions (attr.c). Decodes the path attributes field of an UPDATE into
 * u->attr; MP_REACH/MP_UNREACH NLRI go to u->reach/u->withdrawn; verdicts
 * via bgp_update_verdict(). AS4_PATH/AS4_AGGREGATOR are merged (RFC 6793
 * 4.2.3) when !ctx->as4. */
struct bgp_update;
struct bgp_decode_ctx;
void bgp_attr_decode(struct wbuf *attrs, const struct bgp_decode_ctx *ctx, struct bgp_update *u);
/* Encodes every attribute of a except MP_REACH/MP_UNREACH, by ascending
 * type code; NEXT_HOP only for BGP_AF_IPV4_UNICAST; 2-octet AS_PATH with
 * AS_TRANS + AS4_PATH (and AS4_AGGREGATOR) when !as4. 0 or -1 (w unchanged). */
int bgp_attr_encode(struct wbuf *w, const struct bgp_attr *a, int af, bool as4);
const char *bgp_attr_name(uint8_t type);

/* ---- messages ---- */

struct bgp_capa {
	bool mp[BGP_AF_MAX];      /* multiprotocol (RFC 4760) per family */
	bool rtc;                 /* multiprotocol AFI 1 / SAFI 132 (RFC 4684) */
	bool gr;                  /* graceful restart (RFC 4724 3) */
	bool gr_restarting;       /* its R bit */
	bool gr_notification;     /* N bit (RFC 8538) */
	uint16_t gr_time;         /* Restart Time, seconds (12 bits) */
	bool gr_af[BGP_AF_MAX];   /* families listed */
	bool gr_fwd[BGP_AF_MAX];  /* their F bit: forwarding state preserved */
	bool llgr;                /* long-lived graceful restart (RFC 9494 3, code 71) */
	bool llgr_af[BGP_AF_MAX];
	bool llgr_fwd[BGP_AF_MAX];
	uint32_t llgr_time[BGP_AF_MAX]; /* Long-lived Stale Time, seconds (24 bits) */
	bool as4;                 /* 4-octet AS (RFC 6793) */
	uint32_t as4_asn;
	bool route_refresh;       /* RFC 2918 (code 2; FRR's old code 128 accepted too) */
	bool enhanced_rr;         /* RFC 7313 (recognized, not sent) */
};

struct bgp_open {
	uint8_t version;
	uint16_t my_as;   /* AS_TRANS (23456) when the real AS needs 4 octets */
	uint16_t holdtime;
	uint32_t bgp_id;  /* host order */
	struct bgp_capa capa;
	bool has_capabilities;
};

/* msg.c: every decoder returns 0, or -1 with *code and *subcode set for the
 * NOTIFICATION to send (and a reason in err). */
/* Checks marker, length (19..4096, per-type minimum) and type of a header
 * at the start of buf (at least 19 bytes). */
int bgp_hdr_check(const uint8_t *buf, uint16_t *len, uint8_t *type, uint8_t *code,
		  uint8_t *subcode, char *err, size_t errlen);
void bgp_hdr_put(struct wbuf *w, uint8_t type); /* writes marker, len 0, type; fix with bgp_hdr_finish */
int bgp_hdr_finish(struct wbuf *w);             /* patches the length; -1 if > 4096 (message at offset 0 of w) */
int bgp_open_decode(const uint8_t *body, size_t len, struct bgp_open *o, uint8_t *code,
		    uint8_t *subcode, char *err, size_t errlen);
int bgp_open_encode(struct wbuf *w, uint32_t my_as, uint16_t holdtime, uint32_t bgp_id,
		    const struct bgp_capa *capa);
int bgp_keepalive_encode(struct wbuf *w);
int bgp_notification_encode(struct wbuf *w, uint8_t code, uint8_t subcode, const uint8_t *data,
			    size_t datalen);
int bgp_notification_decode(const uint8_t *body, size_t len, uint8_t *code, uint8_t *subcode,
			    const uint8_t **data, size_t *datalen);
int bgp_route_refresh_encode(struct wbuf *w, enum bgp_af af);
int bgp_route_refresh_decode(const uint8_t *body, size_t len, int *af); /* af -1: unknown */
const char *bgp_err_name(uint8_t code);
const char *bgp_suberr_name(uint8_t code, uint8_t subcode);

/* ---- UPDATE (update.c, nlri.c) ---- */

/* What the receiver must do with an UPDATE (RFC 7606 2, 7). */
enum bgp_upd_action {
	BGP_UPD_OK = 0,
	BGP_UPD_ATTR_DISCARD,     /* some attributes dropped; routes still good */
	BGP_UPD_TREAT_AS_WITHDRAW,/* every NLRI in it is withdrawn */
	BGP_UPD_AFI_SAFI_DISABLE, /* not used: we reset instead, as RFC 7606 allows */
	BGP_UPD_SESSION_RESET,    /* send NOTIFICATION code/subcode/data, drop the session */
};

struct bgp_nlri_list {
	int n, cap;
	struct bgp_nlri *v;
};

/* RFC 4684 4: a route target membership NLRI. len is the prefix length
 * in bits over origin AS (4 octets) + route target (8 octets): 0 (the
 * default: every route target) or 32..96; bits past len are zero. */
struct bgp_rtc {
	uint8_t len;
	uint32_t origin_as;
	uint8_t rt[8];
};
struct bgp_rtc_list {
	int n, cap;
	struct bgp_rtc *v;
};
#define BGP_RTC_MAX_PER_UPDATE 1024 /* bound on what one UPDATE may carry */

struct bgp_update {
	struct bgp_nlri_list withdrawn[BGP_AF_MAX]; /* IPv4 withdrawn routes + MP_UNREACH */
	struct bgp_nlri_list reach[BGP_AF_MAX];     /* IPv4 NLRI + MP_REACH */
	struct bgp_attr attr;                        /* template; nexthop from NEXT_HOP or MP_REACH */
	struct ipaddr nexthop_attr;                  /* the NEXT_HOP attribute itself (IPv4 NLRI
						      * beside an MP_REACH of another family) */
	bool eor[BGP_AF_MAX];                        /* End-of-RIB marker (RFC 4724 2) */
	struct bgp_rtc_list rtc_reach, rtc_withdrawn; /* RFC 4684 (AFI 1 / SAFI 132) */
	bool rtc_eor;
	enum bgp_upd_action action;
	uint8_t code, subcode;                       /* for SESSION_RESET */
	uint8_t errdata[64];
	size_t errdata_len;
	char reason[160];                            /* for the log: first problem found */
	unsigned discarded;                          /* attributes discarded */
};

struct bgp_decode_ctx {
	bool as4;          /* 4-octet AS capability negotiated both ways */
	bool ebgp;
	uint32_t local_as;
	uint32_t peer_as;
	bool af[BGP_AF_MAX]; /* families negotiated */
	bool rtc;            /* RFC 4684 negotiated: its NLRI read, else ignored */
};

/* nlri.c: RFC 4684 NLRI. Decoding: 0, or -1 (unparseable: a length of
 * 1-31 or over 96, a truncated prefix, more than BGP_RTC_MAX_PER_UPDATE).
 * Encoding: 0 or -1 (no room). */
int bgp_rtc_decode(struct wbuf *b, struct bgp_rtc_list *out, char *err, size_t errlen);
int bgp_rtc_encode(struct wbuf *w, const struct bgp_rtc *r);
size_t bgp_rtc_size(const struct bgp_rtc *r);
/* "65000:65000:100" (origin AS:route target), "default", or with a
 * length below 96 "65000:65000:100/64" */
const char *bgp_rtc_str(const struct bgp_rtc *r, char *buf, size_t len);
/* Does membership m cover the route target rt (8 octets)? */
bool bgp_rtc_covers(const struct bgp_rtc *m, const uint8_t rt[8]);
/* update.c: an UPDATE of RTC routes (next hop nh, IPv4) or, with both
 * lists empty, the RTC End-of-RIB. a: the path attributes (ORIGIN,
 * AS_PATH, LOCAL_PREF...). -1 if it does not fit. */
int bgp_update_encode_rtc(struct wbuf *w, const struct bgp_attr *a, bool as4,
			  const struct ipaddr *nh, const struct bgp_rtc *reach, int nreach,
			  const struct bgp_rtc *wd, int nwd);

/* update.c */
void bgp_update_init(struct bgp_update *u);
void bgp_update_free(struct bgp_update *u);
/* Decodes an UPDATE body (after the 19-byte header). Never fails hard: the
 * verdict is in u->action (RFC 7606), with reason and NOTIFICATION data. */
void bgp_update_decode(const uint8_t *body, size_t len, const struct bgp_decode_ctx *ctx,
		       struct bgp_update *u);
/* Encodes one UPDATE for af carrying as many of nlri[0..n) as fit in 4096
 * bytes with the attributes attr (already prepared for this peer: AS path,
 * next hop, local pref...); returns how many were packed (>= 1), or -1.
 * For VPNv4 the next hop goes into MP_REACH (12 bytes, RD 0). as4: peer
 * understands 4-octet ASNs (else AS_PATH with AS_TRANS + AS4_PATH). */
int bgp_update_encode_reach(struct wbuf *w, enum bgp_af af, const struct bgp_attr *attr,
			    const struct bgp_nlri *nlri, int n, bool as4);
int bgp_update_encode_withdraw(struct wbuf *w, enum bgp_af af, const struct bgp_nlri *nlri,
			       int n);
int bgp_update_encode_eor(struct wbuf *w, enum bgp_af af);
/* Addition: record a verdict; the most severe wins (RESET > WITHDRAW >
 * DISCARD), its first reason is kept. code/subcode only for RESET. */
void bgp_update_verdict(struct bgp_update *u, enum bgp_upd_action a, uint8_t code,
			uint8_t subcode, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* nlri.c */
/* Decode all NLRI of family af in buf; -1 (with reason) on the first bad one. */
int bgp_nlri_decode(enum bgp_af af, struct wbuf *buf, struct bgp_nlri_list *out, bool withdraw,
		    char *err, size_t errlen);
int bgp_nlri_encode(enum bgp_af af, struct wbuf *w, const struct bgp_nlri *n, bool withdraw);
size_t bgp_nlri_size(enum bgp_af af, const struct bgp_nlri *n);
void bgp_nlri_list_add(struct bgp_nlri_list *l, const struct bgp_nlri *n);
void bgp_nlri_list_free(struct bgp_nlri_list *l);
char *bgp_prefix_str(const struct bgp_prefix *p, enum bgp_af af, char *buf, size_t len);
int bgp_prefix_cmp(const struct bgp_prefix *a, const struct bgp_prefix *b);
/* Additions (nlri.c). bgp_nlri_decode() also returns 1 when every NLRI
 * parsed but one is invalid (unknown RD type): treat-as-withdraw. */
size_t bgp_nlri_size_withdraw(enum bgp_af af, const struct bgp_nlri *n);
/* MP_REACH next hop: the whole next-hop field in b (its length checked
 * for af); encode writes the length byte and the next hop. */
int bgp_nh_decode(enum bgp_af af, struct wbuf *b, struct ipaddr *nh, char *err, size_t errlen);
int bgp_nh_encode(enum bgp_af af, struct wbuf *w, const struct ipaddr *nh);

#endif
