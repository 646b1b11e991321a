#include "config.h"

/* BGP path attributes: decoding with RFC 7606 error handling, encoding,
 * interning (hash-consing, reference counted) and AS path helpers.
 * Standards: RFC 4271 4.3, 5, 6.3; RFC 7606 3, 4, 7; RFC 4760 (MP_REACH,
 * MP_UNREACH, NLRI via nlri.c); RFC 6793 (AS4_PATH/AS4_AGGREGATOR, merged
 * into the 4-octet AS_PATH when the session is not as4); RFC 1997
 * communities; RFC 4360 extended communities (kept as 8-byte values);
 * RFC 4456 ORIGINATOR_ID/CLUSTER_LIST.
 *
 * One row per attribute (attr_table[], after BIRD bgp_attr_table[]):
 * {type, name, flags, decode, encode}. Each decoder has one error exit per
 * verdict (labels bad_len, withdraw, discard), after OpenBGPD rde_attr_parse.
 *
 * RFC 7606 decisions (section in brackets):
 *   attribute flags (O/T bits) wrong ..... treat-as-withdraw [3.c]
 *                                          (AS4_PATH/AS4_AGGREGATOR: discard)
 *   attribute header / length overrun .... treat-as-withdraw [4], but
 *       session reset (3,1) when no MP_REACH/UNREACH has been seen yet and
 *       the session has VPNv4: its NLRI cannot be located [5.1]
 *   duplicate attribute .................. later copies discarded [3.g]
 *   duplicate MP_REACH/MP_UNREACH ........ session reset (3,1) [3.g]
 *   unknown well-known ................... session reset (3,2) [RFC 4271 6.3]
 *   unknown optional transitive .......... kept, Partial bit set [RFC 4271 5]
 *   unknown optional non-transitive ...... dropped silently
 *   ORIGIN length / value ................ treat-as-withdraw [7.1]
 *   AS_PATH malformed, first AS != peer AS (eBGP) ... treat-as-withdraw [7.2]
 *   NEXT_HOP length, 0/127/multicast/class E ........ treat-as-withdraw [7.3]
 *   MED length ........................... treat-as-withdraw [7.4]
 *   LOCAL_PREF from eBGP, any length ..... discard [7.5]; iBGP length: withdraw
 *   ATOMIC_AGGREGATE length .............. discard [7.6]
 *   AGGREGATOR length .................... discard [7.7]
 *   COMMUNITIES length ................... treat-as-withdraw [7.8]
 *   ORIGINATOR_ID / CLUSTER_LIST from eBGP, any length ... discard [7.9,
 *                              7.10]; from iBGP, length: treat-as-withdraw
 *   MP_REACH attribute too short / NLRI unparseable ... session reset (3,9)
 *       [7.11, RFC 4760 7]; next-hop length wrong for the AFI/SAFI: session
 *       reset (3,9), as 7.11 says the NLRI cannot then be located; next hop
 *       address 0/127/multicast: treat-as-withdraw [7.3 by analogy]
 *   MP_UNREACH too short / NLRI unparseable ........... session reset (3,9)
 *   unknown AFI/SAFI in MP_REACH/MP_UNREACH ........... ignored
 *   VPN NLRI with an unknown RD type .................. treat-as-withdraw
 *   EXT_COMMUNITIES length ............... treat-as-withdraw [7.14]
 *   AS4_PATH malformed, AS4_* on an as4 session ... discard [RFC 6793 6]
 *   AS4_AGGREGATOR length ................ discard [RFC 6793 6]
 *
 * Deviations: confederation segments from eBGP peers are accepted; only
 * one next hop is held, so an UPDATE carrying both NEXT_HOP and MP_REACH
 * keeps the MP_REACH next hop (FRR never sends both). The present bit of
 * NEXT_HOP is set for either source; MP_REACH/MP_UNREACH bits are not set
 * in struct bgp_attr (they are per UPDATE, not per attribute set). */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/wbuf.h"
#include "mpbgp/wire.h"

#define F_OPTIONAL 0x80
#define F_TRANSITIVE 0x40
#define F_PARTIAL 0x20
#define F_EXTLEN 0x10
#define F_OT (F_OPTIONAL | F_TRANSITIVE)

#define AS_TRANS 23456

/* Decoding state of one UPDATE's attribute list. */
struct adec {
	const struct bgp_decode_ctx *ctx;
	struct bgp_update *u;
	struct bgp_attr *a;
	const uint8_t *raw; /* the whole attribute (for NOTIFICATION data) */
	size_t rawlen;
	bool mp_seen;
	uint8_t *as4path;
	uint16_t as4path_len;
	bool has_as4path, has_as4agg;
	uint32_t as4agg_as, as4agg_addr;
};

/* A decoder returns one of these; the caller records the verdict. */
enum adec_res { R_OK, R_DISCARD, R_WITHDRAW, R_RESET };

typedef enum adec_res (*attr_dec_fn)(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				     uint8_t *subcode);
struct aenc {
	const struct bgp_attr *a;
	int af;
	bool as4;
};
/* Writes the value of the attribute; 1 when absent (nothing written). */
typedef int (*attr_enc_fn)(const struct aenc *e, struct wbuf *w, uint8_t *flags);

struct attr_row {
	uint8_t type;
	const char *name;
	uint8_t flags; /* expected Optional/Transitive bits */
	attr_dec_fn decode;
	attr_enc_fn encode;
};

static const struct attr_row *attr_row(uint8_t type);

/* ------------------------------------------------------------ AS path helpers */

/* Validates an AS_PATH/AS4_PATH value with asz-octet ASNs (RFC 7606 7.2)
 * and converts it to the 4-octet form. confed: confed segments allowed. */
static int aspath_parse(struct wbuf *v, int asz, bool confed, uint8_t **out, uint16_t *outlen,
			char *err, size_t errlen)
{
	struct wbuf w;
	uint8_t st, sl;
	uint32_t as;
	uint16_t as16;
	int i;
	size_t cap = wbuf_left(v) * 2 + 2;
	struct wbuf *o = wbuf_new_max(cap, cap);

	w = *v;
	while (wbuf_left(&w) > 0) {
		if (wbuf_get_u8(&w, &st) == -1 || wbuf_get_u8(&w, &sl) == -1) {
			snprintf(err, errlen, "truncated segment header (%zu byte left)",
				 wbuf_left(&w));
			goto bad;
		}
		if (st < BGP_ASPATH_SET || st > BGP_ASPATH_CONFED_SET ||
		    (!confed && st >= BGP_ASPATH_CONFED_SEQUENCE)) {
			snprintf(err, errlen, "bad segment type %u", st);
			goto bad;
		}
		if (sl == 0) {
			snprintf(err, errlen, "segment length 0");
			goto bad;
		}
		if ((size_t)sl * (size_t)asz > wbuf_left(&w)) {
			snprintf(err, errlen, "segment length %u exceeds attribute (%zu bytes left)",
				 sl, wbuf_left(&w));
			goto bad;
		}
		wbuf_put_u8(o, st);
		wbuf_put_u8(o, sl);
		for (i = 0; i < sl; i++) {
			if (asz == 4) {
				wbuf_get_u32(&w, &as);
			} else {
				wbuf_get_u16(&w, &as16);
				as = as16;
			}
			wbuf_put_u32(o, as);
		}
	}
	*outlen = (uint16_t)wbuf_len(o);
	*out = NULL;
	if (*outlen > 0) {
		*out = xmalloc(*outlen);
		memcpy(*out, wbuf_data(o), *outlen);
	}
	wbuf_free(o);
	*v = w;
	return 0;
bad:
	wbuf_free(o);
	return -1;
}

/* Iterate segments of a 4-octet path: returns 0 and the segment, -1 at end. */
struct seg_it {
	struct wbuf b;
};

static int seg_next(struct seg_it *it, uint8_t *type, uint8_t *n, struct wbuf *asns)
{
	if (wbuf_get_u8(&it->b, type) == -1 || wbuf_get_u8(&it->b, n) == -1 ||
	    wbuf_get_sub(&it->b, asns, (size_t)*n * 4) == -1)
		return -1;
	return 0;
}

static int seg_count(uint8_t type, uint8_t n)
{
	/* RFC 4271 9.1.2.2 a), RFC 5065 5.3: confed segments do not count */
	if (type == BGP_ASPATH_SET)
		return 1;
	if (type == BGP_ASPATH_SEQUENCE)
		return n;
	return 0;
}

static int path_length(const uint8_t *p, uint16_t len)
{
	struct seg_it it = { wbuf_from(p, len) };
	struct wbuf asns;
	uint8_t t, n;
	int c = 0;

	while (seg_next(&it, &t, &n, &asns) == 0)
		c += seg_count(t, n);
	return c;
}

int bgp_aspath_length(const struct bgp_attr *a)
{
	return path_length(a->aspath, a->aspath_len);
}

bool bgp_aspath_contains(const struct bgp_attr *a, uint32_t asn, int *count)
{
	struct seg_it it = { wbuf_from(a->aspath, a->aspath_len) };
	struct wbuf asns;
	uint8_t t, n;
	uint32_t as;
	int c = 0;

	while (seg_next(&it, &t, &n, &asns) == 0)
		while (wbuf_get_u32(&asns, &as) == 0)
			if (as == asn)
				c++;
	if (count != NULL)
		*count = c;
	return c > 0;
}

uint32_t bgp_aspath_first_as(const struct bgp_attr *a)
{
	struct seg_it it = { wbuf_from(a->aspath, a->aspath_len) };
	struct wbuf asns;
	uint8_t t, n;
	uint32_t as;

	while (seg_next(&it, &t, &n, &asns) == 0) {
		if (t == BGP_ASPATH_CONFED_SEQUENCE || t == BGP_ASPATH_CONFED_SET)
			continue;
		if (t == BGP_ASPATH_SEQUENCE && wbuf_get_u32(&asns, &as) == 0)
			return as;
		return 0;
	}
	return 0;
}

void bgp_aspath_prepend(struct bgp_attr *a, uint32_t asn)
{
	struct wbuf *o = wbuf_new((size_t)a->aspath_len + 6);
	struct wbuf in = wbuf_from(a->aspath, a->aspath_len);
	uint8_t t = 0, n = 0;

	if (wbuf_peek_u8(&in, &t) == 0 && t == BGP_ASPATH_SEQUENCE && wbuf_left(&in) >= 2 &&
	    a->aspath[1] < 255) {
		n = a->aspath[1];
		wbuf_skip(&in, 2);
		wbuf_put_u8(o, BGP_ASPATH_SEQUENCE);
		wbuf_put_u8(o, (uint8_t)(n + 1));
	} else {
		wbuf_put_u8(o, BGP_ASPATH_SEQUENCE);
		wbuf_put_u8(o, 1);
	}
	wbuf_put_u32(o, asn);
	wbuf_put_bytes(o, wbuf_cur(&in), wbuf_left(&in));
	free(a->aspath);
	a->aspath_len = (uint16_t)wbuf_len(o);
	a->aspath = xmalloc(a->aspath_len);
	memcpy(a->aspath, wbuf_data(o), a->aspath_len);
	a->present |= BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	wbuf_free(o);
}

char *bgp_aspath_str(const struct bgp_attr *a, char *buf, size_t len)
{
	static const char open[] = " { ([", close[] = " } )]";
	struct seg_it it = { wbuf_from(a->aspath, a->aspath_len) };
	struct wbuf asns;
	uint8_t t, n;
	uint32_t as;
	size_t off = 0;
	int first;

#define APPEND(...)                                                                    \
	do {                                                                           \
		if (off < len) {                                                       \
			int r_ = snprintf(buf + off, len - off, __VA_ARGS__);          \
			off += r_ > 0 ? (size_t)r_ : 0;                                \
		}                                                                      \
	} while (0)
	if (len > 0)
		buf[0] = '\0';
	while (seg_next(&it, &t, &n, &asns) == 0) {
		bool seq = t == BGP_ASPATH_SEQUENCE;
		char sep = (t == BGP_ASPATH_SET || t == BGP_ASPATH_CONFED_SET) ? ',' : ' ';

		if (off > 0)
			APPEND(" ");
		if (!seq)
			APPEND("%c", open[t <= 4 ? t : 0]);
		first = 1;
		while (wbuf_get_u32(&asns, &as) == 0) {
			if (!first)
				APPEND("%c", sep);
			APPEND("%u", as);
			first = 0;
		}
		if (!seq)
			APPEND("%c", close[t <= 4 ? t : 0]);
	}
#undef APPEND
	return buf;
}

/* RFC 6793 4.2.3: AS_PATH (from a 2-octet speaker) + AS4_PATH. */
static void as4_merge(struct adec *d)
{
	struct bgp_attr *a = d->a;
	int n2 = path_length(a->aspath, a->aspath_len);
	int n4 = path_length(d->as4path, d->as4path_len), take;
	struct seg_it it = { wbuf_from(a->aspath, a->aspath_len) };
	struct wbuf asns, *o;
	uint8_t t, n;
	uint32_t as;

	/* AGGREGATOR with a real 2-octet AS: AS4_* came from elsewhere */
	if ((a->present & BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR)) && a->aggregator_as != AS_TRANS)
		return;
	if (d->has_as4agg && (a->present & BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR))) {
		a->aggregator_as = d->as4agg_as;
		a->aggregator_addr = d->as4agg_addr;
	}
	if (!d->has_as4path || n2 < n4)
		return;
	take = n2 - n4;
	o = wbuf_new((size_t)a->aspath_len + d->as4path_len + 2);
	while (take > 0 && seg_next(&it, &t, &n, &asns) == 0) {
		if (t == BGP_ASPATH_SEQUENCE && n > take) {
			wbuf_put_u8(o, t);
			wbuf_put_u8(o, (uint8_t)take);
			while (take > 0 && wbuf_get_u32(&asns, &as) == 0) {
				wbuf_put_u32(o, as);
				take--;
			}
			break;
		}
		wbuf_put_u8(o, t);
		wbuf_put_u8(o, n);
		wbuf_put_bytes(o, wbuf_cur(&asns), wbuf_left(&asns));
		take -= seg_count(t, n);
	}
	wbuf_put_bytes(o, d->as4path, d->as4path_len);
	free(a->aspath);
	a->aspath_len = (uint16_t)wbuf_len(o);
	a->aspath = NULL;
	if (a->aspath_len > 0) {
		a->aspath = xmalloc(a->aspath_len);
		memcpy(a->aspath, wbuf_data(o), a->aspath_len);
	}
	wbuf_free(o);
}

/* ------------------------------------------------------------ decoders */

static bool martian_nh4(uint32_t nh)
{
	/* RFC 4271 6.3 / 7606 7.3: not a valid host address */
	return nh == 0 || (nh >> 24) == 127 || (nh >> 28) >= 0xe;
}

/* The same for either family: IPv6 unspecified, loopback or multicast;
 * an IPv4-mapped address is judged as its IPv4 address. */
static bool martian_nh(const struct ipaddr *nh)
{
	uint32_t v4;

	if (nh->af == AF_INET)
		return martian_nh4(nh->v4);
	if (ipaddr_v4mapped(nh, &v4))
		return martian_nh4(v4);
	return ipaddr_is_zero(nh) || ipaddr_is_multicast(nh) || ipaddr_is_loopback(nh);
}

static enum adec_res dec_origin(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				uint8_t *sub)
{
	uint8_t o;

	(void)sub;
	if (wbuf_left(v) != 1 || wbuf_get_u8(v, &o) == -1) {
		snprintf(err, errlen, "length %zu, expected 1", wbuf_left(v));
		return R_WITHDRAW;
	}
	if (o > BGP_ORIGIN_INCOMPLETE) {
		snprintf(err, errlen, "undefined value %u", o);
		return R_WITHDRAW;
	}
	d->a->origin = o;
	return R_OK;
}

static enum adec_res dec_aspath(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				uint8_t *sub)
{
	uint32_t first;

	(void)sub;
	if (aspath_parse(v, d->ctx->as4 ? 4 : 2, true, &d->a->aspath, &d->a->aspath_len, err,
			 errlen) == -1)
		return R_WITHDRAW;
	/* RFC 4271 6.3: leftmost AS of an eBGP peer is its own */
	if (d->ctx->ebgp && d->ctx->peer_as != 0) {
		first = bgp_aspath_first_as(d->a);
		if (first != d->ctx->peer_as &&
		    !(first == AS_TRANS && !d->ctx->as4 && d->ctx->peer_as > 0xffff)) {
			snprintf(err, errlen, "first AS %u is not the peer's AS %u", first,
				 d->ctx->peer_as);
			return R_WITHDRAW;
		}
	}
	return R_OK;
}

static enum adec_res dec_nexthop(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				 uint8_t *sub)
{
	uint32_t nh;

	(void)sub;
	if (wbuf_left(v) != 4 || wbuf_get_u32(v, &nh) == -1) {
		snprintf(err, errlen, "length %zu, expected 4", wbuf_left(v));
		return R_WITHDRAW;
	}
	if (martian_nh4(nh)) {
		snprintf(err, errlen, "invalid address 0x%08x", nh);
		return R_WITHDRAW;
	}
	d->u->nexthop_attr = ipaddr_v4(nh);
	/* an MP_REACH next hop seen first wins */
	if (!(d->a->present & BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP)))
		d->a->nexthop = ipaddr_v4(nh);
	return R_OK;
}

static enum adec_res dec_u32(struct wbuf *v, uint32_t *out, char *err, size_t errlen)
{
	if (wbuf_left(v) != 4 || wbuf_get_u32(v, out) == -1) {
		snprintf(err, errlen, "length %zu, expected 4", wbuf_left(v));
		return R_WITHDRAW;
	}
	return R_OK;
}

static enum adec_res dec_med(struct adec *d, struct wbuf *v, char *err, size_t errlen,
			     uint8_t *sub)
{
	(void)sub;
	return dec_u32(v, &d->a->med, err, errlen);
}

static enum adec_res dec_localpref(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				   uint8_t *sub)
{
	uint32_t lp;
	enum adec_res r;

	(void)sub;
	if (d->ctx->ebgp) { /* whatever its length [7.5] */
		snprintf(err, errlen, "received from an external peer");
		return R_DISCARD;
	}
	if ((r = dec_u32(v, &lp, err, errlen)) != R_OK)
		return r;
	d->a->local_pref = lp;
	return R_OK;
}

static enum adec_res dec_atomic(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				uint8_t *sub)
{
	(void)d;
	(void)sub;
	if (wbuf_left(v) != 0) {
		snprintf(err, errlen, "length %zu, expected 0", wbuf_left(v));
		return R_DISCARD;
	}
	return R_OK;
}

static enum adec_res dec_aggregator(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				    uint8_t *sub)
{
	uint16_t as16;
	uint32_t as, addr;
	size_t want = d->ctx->as4 ? 8 : 6;

	(void)sub;
	if (wbuf_left(v) != want)
		goto bad_len;
	if (d->ctx->as4) {
		if (wbuf_get_u32(v, &as) == -1)
			goto bad_len;
	} else {
		if (wbuf_get_u16(v, &as16) == -1)
			goto bad_len;
		as = as16;
	}
	if (wbuf_get_u32(v, &addr) == -1)
		goto bad_len;
	d->a->aggregator_as = as;
	d->a->aggregator_addr = addr;
	return R_OK;
bad_len:
	snprintf(err, errlen, "length %zu, expected %zu", wbuf_left(v), want);
	return R_DISCARD;
}

static enum adec_res dec_communities(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				     uint8_t *sub)
{
	size_t n = wbuf_left(v) / 4, i;

	(void)sub;
	if (wbuf_left(v) == 0 || wbuf_left(v) % 4 != 0) {
		snprintf(err, errlen, "length %zu is not a non-zero multiple of 4", wbuf_left(v));
		return R_WITHDRAW;
	}
	d->a->communities = xcalloc(n, sizeof(uint32_t));
	for (i = 0; i < n; i++)
		wbuf_get_u32(v, &d->a->communities[i]);
	d->a->ncommunities = (uint16_t)n;
	return R_OK;
}

static enum adec_res dec_originator(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				    uint8_t *sub)
{
	uint32_t id;
	enum adec_res r;

	(void)sub;
	if (d->ctx->ebgp) { /* whatever its length [7.9] */
		snprintf(err, errlen, "received from an external peer");
		return R_DISCARD;
	}
	if ((r = dec_u32(v, &id, err, errlen)) != R_OK)
		return r;
	d->a->originator_id = id;
	return R_OK;
}

static enum adec_res dec_cluster(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				 uint8_t *sub)
{
	size_t n = wbuf_left(v) / 4, i;

	(void)sub;
	if (d->ctx->ebgp) { /* whatever its length [7.10] */
		snprintf(err, errlen, "received from an external peer");
		return R_DISCARD;
	}
	if (wbuf_left(v) == 0 || wbuf_left(v) % 4 != 0) {
		snprintf(err, errlen, "length %zu is not a non-zero multiple of 4", wbuf_left(v));
		return R_WITHDRAW;
	}
	d->a->cluster_list = xcalloc(n, sizeof(uint32_t));
	for (i = 0; i < n; i++)
		wbuf_get_u32(v, &d->a->cluster_list[i]);
	d->a->ncluster = (uint16_t)n;
	return R_OK;
}

static enum adec_res dec_ecomms(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				uint8_t *sub)
{
	size_t n = wbuf_left(v) / 8, i;

	(void)sub;
	if (wbuf_left(v) == 0 || wbuf_left(v) % 8 != 0) {
		snprintf(err, errlen, "length %zu is not a non-zero multiple of 8", wbuf_left(v));
		return R_WITHDRAW;
	}
	d->a->ecomms = xcalloc(n, sizeof(struct ecomm));
	for (i = 0; i < n; i++)
		wbuf_get_bytes(v, d->a->ecomms[i].b, 8);
	d->a->necomms = (uint16_t)n;
	return R_OK;
}

static enum adec_res dec_as4path(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				 uint8_t *sub)
{
	(void)sub;
	if (d->ctx->as4) {
		/* RFC 6793 4.1: a NEW speaker ignores AS4_PATH from a NEW speaker */
		snprintf(err, errlen, "received on a 4-octet AS session");
		return R_DISCARD;
	}
	/* RFC 6793 6: confed segments in AS4_PATH are malformed: discard */
	if (aspath_parse(v, 4, false, &d->as4path, &d->as4path_len, err, errlen) == -1)
		return R_DISCARD;
	d->has_as4path = true;
	return R_OK;
}

static enum adec_res dec_as4agg(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				uint8_t *sub)
{
	(void)sub;
	if (d->ctx->as4) {
		snprintf(err, errlen, "received on a 4-octet AS session");
		return R_DISCARD;
	}
	if (wbuf_left(v) != 8 || wbuf_get_u32(v, &d->as4agg_as) == -1 ||
	    wbuf_get_u32(v, &d->as4agg_addr) == -1) {
		snprintf(err, errlen, "length %zu, expected 8", wbuf_left(v));
		return R_DISCARD;
	}
	d->has_as4agg = true;
	return R_OK;
}

/* RFC 4760 3: AFI, SAFI, next hop, reserved, NLRI. */
static enum adec_res dec_mp_reach(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				  uint8_t *sub)
{
	struct wbuf nhb;
	uint16_t afi;
	uint8_t safi, nhlen, reserved;
	struct ipaddr nh;
	int af, r;

	d->mp_seen = true;
	*sub = BGP_UPD_OPT_ATTR; /* RFC 4760 7 */
	if (wbuf_get_u16(v, &afi) == -1 || wbuf_get_u8(v, &safi) == -1 ||
	    wbuf_get_u8(v, &nhlen) == -1) {
		snprintf(err, errlen, "length %zu too short", wbuf_left(v));
		return R_RESET;
	}
	af = bgp_af_from_afisafi(afi, safi);
	if (af < 0 && afi == BGP_AFI_IPV4 && safi == BGP_SAFI_RTC && d->ctx->rtc) {
		/* RFC 4684 4: the next hop (the advertiser's address) is not used */
		if (wbuf_get_sub(v, &nhb, nhlen) == -1 || wbuf_get_u8(v, &reserved) == -1) {
			snprintf(err, errlen, "next hop length %u exceeds attribute", nhlen);
			return R_RESET;
		}
		if (bgp_rtc_decode(v, &d->u->rtc_reach, err, errlen) < 0)
			return R_RESET; /* RFC 7606 5.3: NLRI unparseable */
		return R_OK;
	}
	if (af < 0)
		return R_OK; /* not ours: ignore */
	if (wbuf_get_sub(v, &nhb, nhlen) == -1 || wbuf_get_u8(v, &reserved) == -1) {
		snprintf(err, errlen, "next hop length %u exceeds attribute", nhlen);
		return R_RESET;
	}
	if (bgp_nh_decode(af, &nhb, &nh, err, errlen) == -1)
		return R_RESET; /* RFC 7606 7.11: NLRI cannot be located reliably */
	r = bgp_nlri_decode(af, v, &d->u->reach[af], false, err, errlen);
	if (r < 0) {
		*sub = BGP_UPD_OPT_ATTR;
		return R_RESET;
	}
	d->a->nexthop = nh;
	d->a->present |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	if (r > 0)
		return R_WITHDRAW;
	if (martian_nh(&nh)) {
		char buf[IPADDR_STRLEN];

		snprintf(err, errlen, "invalid next hop %s", ipaddr_ntop(&nh, buf, sizeof(buf)));
		return R_WITHDRAW;
	}
	return R_OK;
}

static enum adec_res dec_mp_unreach(struct adec *d, struct wbuf *v, char *err, size_t errlen,
				    uint8_t *sub)
{
	uint16_t afi;
	uint8_t safi;
	int af;

	d->mp_seen = true;
	*sub = BGP_UPD_OPT_ATTR;
	if (wbuf_get_u16(v, &afi) == -1 || wbuf_get_u8(v, &safi) == -1) {
		snprintf(err, errlen, "length %zu too short", wbuf_left(v));
		return R_RESET;
	}
	af = bgp_af_from_afisafi(afi, safi);
	if (af < 0 && afi == BGP_AFI_IPV4 && safi == BGP_SAFI_RTC && d->ctx->rtc) {
		if (wbuf_left(v) == 0)
			d->u->rtc_eor = true;
		if (bgp_rtc_decode(v, &d->u->rtc_withdrawn, err, errlen) < 0)
			return R_RESET;
		return R_OK;
	}
	if (af < 0)
		return R_OK;
	if (wbuf_left(v) == 0)
		d->u->eor[af] = true; /* RFC 4724 2 */
	/* an unknown RD type in a withdrawal still withdraws it: ignore 1 */
	if (bgp_nlri_decode(af, v, &d->u->withdrawn[af], true, err, errlen) < 0)
		return R_RESET;
	return R_OK;
}

/* ------------------------------------------------------------ encoders */

static int enc_origin(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	(void)flags;
	return wbuf_put_u8(w, e->a->origin);
}

static int put_path(struct wbuf *w, const uint8_t *p, uint16_t len, int asz, bool skip_confed)
{
	struct seg_it it = { wbuf_from(p, len) };
	struct wbuf asns;
	uint8_t t, n;
	uint32_t as;

	while (seg_next(&it, &t, &n, &asns) == 0) {
		if (skip_confed && (t == BGP_ASPATH_CONFED_SEQUENCE || t == BGP_ASPATH_CONFED_SET))
			continue;
		if (wbuf_put_u8(w, t) == -1 || wbuf_put_u8(w, n) == -1)
			return -1;
		while (wbuf_get_u32(&asns, &as) == 0) {
			if (asz == 4 ? wbuf_put_u32(w, as)
				     : wbuf_put_u16(w, as > 0xffff ? AS_TRANS : (uint16_t)as))
				return -1;
		}
	}
	return 0;
}

static bool path_needs_as4(const struct bgp_attr *a)
{
	struct seg_it it = { wbuf_from(a->aspath, a->aspath_len) };
	struct wbuf asns;
	uint8_t t, n;
	uint32_t as;

	while (seg_next(&it, &t, &n, &asns) == 0)
		while (wbuf_get_u32(&asns, &as) == 0)
			if (as > 0xffff)
				return true;
	return false;
}

static int enc_aspath(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	(void)flags;
	return put_path(w, e->a->aspath, e->a->aspath_len, e->as4 ? 4 : 2, false);
}

static int enc_nexthop(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	(void)flags;
	if (e->af != BGP_AF_IPV4_UNICAST)
		return 1;
	if (e->a->nexthop.af != AF_INET)
		return -1;
	return wbuf_put_u32(w, e->a->nexthop.v4);
}

static int enc_med(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	(void)flags;
	return wbuf_put_u32(w, e->a->med);
}

static int enc_localpref(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	(void)flags;
	return wbuf_put_u32(w, e->a->local_pref);
}

static int enc_atomic(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	(void)e;
	(void)w;
	(void)flags;
	return 0;
}

static int enc_aggregator(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	uint32_t as = e->a->aggregator_as;

	(void)flags;
	if (e->as4 ? wbuf_put_u32(w, as) : wbuf_put_u16(w, as > 0xffff ? AS_TRANS : (uint16_t)as))
		return -1;
	return wbuf_put_u32(w, e->a->aggregator_addr);
}

static int put_u32s(struct wbuf *w, const uint32_t *v, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		if (wbuf_put_u32(w, v[i]) == -1)
			return -1;
	return 0;
}

static int enc_communities(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	(void)flags;
	return e->a->ncommunities == 0 ? 1 : put_u32s(w, e->a->communities, e->a->ncommunities);
}

static int enc_originator(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	(void)flags;
	return wbuf_put_u32(w, e->a->originator_id);
}

static int enc_cluster(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	(void)flags;
	return e->a->ncluster == 0 ? 1 : put_u32s(w, e->a->cluster_list, e->a->ncluster);
}

static int enc_ecomms(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	uint16_t i;

	(void)flags;
	if (e->a->necomms == 0)
		return 1;
	for (i = 0; i < e->a->necomms; i++)
		if (wbuf_put_bytes(w, e->a->ecomms[i].b, 8) == -1)
			return -1;
	return 0;
}

/* RFC 6793 4.2.2: only towards an OLD speaker, only when needed. */
static int enc_as4path(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	(void)flags;
	if (e->as4 || !(e->a->present & BGP_ATTR_BIT(BGP_ATTR_AS_PATH)) || !path_needs_as4(e->a))
		return 1;
	return put_path(w, e->a->aspath, e->a->aspath_len, 4, true);
}

static int enc_as4agg(const struct aenc *e, struct wbuf *w, uint8_t *flags)
{
	(void)flags;
	if (e->as4 || !(e->a->present & BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR)) ||
	    e->a->aggregator_as <= 0xffff)
		return 1;
	if (wbuf_put_u32(w, e->a->aggregator_as) == -1)
		return -1;
	return wbuf_put_u32(w, e->a->aggregator_addr);
}

/* Ascending type code; encode NULL: handled by update.c (MP_*). */
static const struct attr_row attr_table[] = {
	{ BGP_ATTR_ORIGIN, "ORIGIN", F_TRANSITIVE, dec_origin, enc_origin },
	{ BGP_ATTR_AS_PATH, "AS_PATH", F_TRANSITIVE, dec_aspath, enc_aspath },
	{ BGP_ATTR_NEXT_HOP, "NEXT_HOP", F_TRANSITIVE, dec_nexthop, enc_nexthop },
	{ BGP_ATTR_MED, "MULTI_EXIT_DISC", F_OPTIONAL, dec_med, enc_med },
	{ BGP_ATTR_LOCAL_PREF, "LOCAL_PREF", F_TRANSITIVE, dec_localpref, enc_localpref },
	{ BGP_ATTR_ATOMIC_AGGREGATE, "ATOMIC_AGGREGATE", F_TRANSITIVE, dec_atomic, enc_atomic },
	{ BGP_ATTR_AGGREGATOR, "AGGREGATOR", F_OT, dec_aggregator, enc_aggregator },
	{ BGP_ATTR_COMMUNITIES, "COMMUNITIES", F_OT, dec_communities, enc_communities },
	{ BGP_ATTR_ORIGINATOR_ID, "ORIGINATOR_ID", F_OPTIONAL, dec_originator, enc_originator },
	{ BGP_ATTR_CLUSTER_LIST, "CLUSTER_LIST", F_OPTIONAL, dec_cluster, enc_cluster },
	{ BGP_ATTR_MP_REACH, "MP_REACH_NLRI", F_OPTIONAL, dec_mp_reach, NULL },
	{ BGP_ATTR_MP_UNREACH, "MP_UNREACH_NLRI", F_OPTIONAL, dec_mp_unreach, NULL },
	{ BGP_ATTR_EXT_COMMUNITIES, "EXTENDED_COMMUNITIES", F_OT, dec_ecomms, enc_ecomms },
	{ BGP_ATTR_AS4_PATH, "AS4_PATH", F_OT, dec_as4path, enc_as4path },
	{ BGP_ATTR_AS4_AGGREGATOR, "AS4_AGGREGATOR", F_OT, dec_as4agg, enc_as4agg },
};

#define ATTR_TABLE_N (sizeof(attr_table) / sizeof(attr_table[0]))

static const struct attr_row *attr_row(uint8_t type)
{
	size_t i;

	for (i = 0; i < ATTR_TABLE_N; i++)
		if (attr_table[i].type == type)
			return &attr_table[i];
	return NULL;
}

const char *bgp_attr_name(uint8_t type)
{
	const struct attr_row *r = attr_row(type);

	return r != NULL ? r->name : "UNKNOWN";
}

/* ------------------------------------------------------------ attribute list */

static void keep_unknown(struct bgp_attr *a, uint8_t flags, uint8_t type, struct wbuf *v)
{
	size_t vlen = wbuf_left(v);
	size_t hl = vlen > 255 ? 4 : 3;
	size_t nl = (size_t)a->unknown_len + hl + vlen;
	struct wbuf w;

	if (nl > 0xffff)
		return; /* cannot happen within one 4096-byte message */
	a->unknown = xrealloc(a->unknown, nl);
	w = wbuf_init_fixed(a->unknown + a->unknown_len, hl + vlen);
	flags = (uint8_t)((flags & F_OT) | F_PARTIAL | (vlen > 255 ? F_EXTLEN : 0));
	wbuf_put_u8(&w, flags);
	wbuf_put_u8(&w, type);
	if (vlen > 255)
		wbuf_put_u16(&w, (uint16_t)vlen);
	else
		wbuf_put_u8(&w, (uint8_t)vlen);
	wbuf_put_bytes(&w, wbuf_cur(v), vlen);
	a->unknown_len = (uint16_t)nl;
}

static void verdict(struct adec *d, enum adec_res r, uint8_t type, uint8_t subcode,
		    const char *err)
{
	struct bgp_update *u = d->u;
	char name[32];

	/* "AS_PATH: segment length 3 exceeds ..." / "attribute 99: ..." */
	if (attr_row(type) != NULL)
		snprintf(name, sizeof(name), "%s", bgp_attr_name(type));
	else
		snprintf(name, sizeof(name), "attribute %u", type);
	switch (r) {
	case R_OK:
		return;
	case R_DISCARD:
		u->discarded++;
		bgp_update_verdict(u, BGP_UPD_ATTR_DISCARD, 0, 0, "%s: %s, discarded", name, err);
		return;
	case R_WITHDRAW:
		bgp_update_verdict(u, BGP_UPD_TREAT_AS_WITHDRAW, 0, 0, "%s: %s", name, err);
		return;
	case R_RESET:
		if (u->action != BGP_UPD_SESSION_RESET) {
			/* RFC 4271 6.3: the data is the erroneous attribute */
			size_t n = d->rawlen < sizeof(u->errdata) ? d->rawlen : sizeof(u->errdata);

			if (subcode != BGP_UPD_MALFORMED_ATTR_LIST && d->raw != NULL) {
				memcpy(u->errdata, d->raw, n);
				u->errdata_len = n;
			}
		}
		bgp_update_verdict(u, BGP_UPD_SESSION_RESET, BGP_ERR_UPDATE, subcode, "%s: %s", name,
				   err);
		return;
	}
}

void bgp_attr_decode(struct wbuf *attrs, const struct bgp_decode_ctx *ctx, struct bgp_update *u)
{
	struct adec d;
	uint8_t seen[32];
	uint8_t flags, type, len8, subcode;
	uint16_t len16;
	size_t start, vlen;
	struct wbuf v;
	const struct attr_row *row;
	enum adec_res r;
	char err[128];

	memset(&d, 0, sizeof(d));
	memset(seen, 0, sizeof(seen));
	d.ctx = ctx;
	d.u = u;
	d.a = &u->attr;
	while (wbuf_left(attrs) > 0) {
		start = wbuf_rpos(attrs);
		d.raw = wbuf_cur(attrs);
		if (wbuf_get_u8(attrs, &flags) == -1 || wbuf_get_u8(attrs, &type) == -1)
			goto overrun;
		if (flags & F_EXTLEN) {
			if (wbuf_get_u16(attrs, &len16) == -1)
				goto overrun;
			vlen = len16;
		} else {
			if (wbuf_get_u8(attrs, &len8) == -1)
				goto overrun;
			vlen = len8;
		}
		if (wbuf_get_sub(attrs, &v, vlen) == -1)
			goto overrun;
		d.rawlen = wbuf_rpos(attrs) - start;
		row = attr_row(type);
		err[0] = '\0';
		subcode = BGP_UPD_MALFORMED_ATTR_LIST;

		/* RFC 7606 3.g */
		if (seen[type / 8] & (1u << (type % 8))) {
			if (type == BGP_ATTR_MP_REACH || type == BGP_ATTR_MP_UNREACH)
				verdict(&d, R_RESET, type, BGP_UPD_MALFORMED_ATTR_LIST,
					"appears more than once");
			else
				verdict(&d, R_DISCARD, type, 0, "duplicate");
			continue;
		}
		seen[type / 8] |= (uint8_t)(1u << (type % 8));

		if (row == NULL) {
			if (!(flags & F_OPTIONAL)) {
				verdict(&d, R_RESET, type, BGP_UPD_UNRECOGNIZED_WK,
					"unrecognized well-known attribute");
			} else if (flags & F_TRANSITIVE) {
				keep_unknown(d.a, flags, type, &v);
			} /* else optional non-transitive: dropped (RFC 4271 5) */
			continue;
		}
		/* RFC 7606 3.c: Optional/Transitive bits must match */
		if ((flags & F_OT) != row->flags) {
			snprintf(err, sizeof(err), "flags 0x%02x, expected 0x%02x", flags & F_OT,
				 row->flags);
			if (type == BGP_ATTR_AS4_PATH || type == BGP_ATTR_AS4_AGGREGATOR) {
				verdict(&d, R_DISCARD, type, 0, err);
				continue;
			}
			verdict(&d, R_WITHDRAW, type, 0, err);
			/* MP_*: still parsed below to locate the NLRI */
			if (type != BGP_ATTR_MP_REACH && type != BGP_ATTR_MP_UNREACH)
				continue;
			err[0] = '\0';
		}
		r = row->decode(&d, &v, err, sizeof(err), &subcode);
		if (r == R_OK && type != BGP_ATTR_MP_REACH && type != BGP_ATTR_MP_UNREACH &&
		    type != BGP_ATTR_AS4_PATH && type != BGP_ATTR_AS4_AGGREGATOR)
			d.a->present |= BGP_ATTR_BIT(type);
		verdict(&d, r, type, subcode, err);
	}
	goto done;

overrun:
	/* RFC 7606 4: treat-as-withdraw; the NLRI field is located through
	 * the total attribute length. MP_REACH/UNREACH NLRI may be past the
	 * broken attribute when none was seen yet (5.1): reset then. */
	d.raw = NULL;
	if (d.mp_seen || !(ctx->af[BGP_AF_VPNV4] || ctx->af[BGP_AF_IPV6_UNICAST] ||
			   ctx->af[BGP_AF_VPNV6] || ctx->rtc))
		bgp_update_verdict(u, BGP_UPD_TREAT_AS_WITHDRAW, 0, 0,
				   "attribute list: attribute at offset %zu overruns the list",
				   start);
	else
		bgp_update_verdict(u, BGP_UPD_SESSION_RESET, BGP_ERR_UPDATE,
				   BGP_UPD_MALFORMED_ATTR_LIST,
				   "attribute list: attribute at offset %zu overruns the list "
				   "before MP_REACH/MP_UNREACH",
				   start);
done:
	if (!ctx->as4 && (d.a->present & BGP_ATTR_BIT(BGP_ATTR_AS_PATH)))
		as4_merge(&d);
	free(d.as4path);
}

int bgp_attr_encode(struct wbuf *w, const struct bgp_attr *a, int af, bool as4)
{
	struct aenc e = { a, af, as4 };
	size_t start = wbuf_len(w), i;
	uint8_t tmp[BGP_MAX_MSG];
	struct wbuf v, u = wbuf_from(a->unknown, a->unknown_len);
	uint8_t flags, uf = 0, ut = 0;
	size_t ulen = 0, vlen;
	int r;
	bool have_u = false;

	for (i = 0; i <= ATTR_TABLE_N; i++) {
		const struct attr_row *row = i < ATTR_TABLE_N ? &attr_table[i] : NULL;
		unsigned type = row != NULL ? row->type : 256;

		/* unknown attributes (kept in wire form) in their place */
		for (;;) {
			if (!have_u) {
				uint8_t l8;
				uint16_t l16;

				if (wbuf_get_u8(&u, &uf) == -1 || wbuf_get_u8(&u, &ut) == -1)
					break;
				if (uf & F_EXTLEN) {
					if (wbuf_get_u16(&u, &l16) == -1)
						break;
					ulen = l16;
				} else {
					if (wbuf_get_u8(&u, &l8) == -1)
						break;
					ulen = l8;
				}
				have_u = true;
			}
			if (ut >= type)
				break;
			if (wbuf_left(&u) < ulen)
				break;
			if (wbuf_put_u8(w, uf) == -1 || wbuf_put_u8(w, ut) == -1 ||
			    ((uf & F_EXTLEN) ? wbuf_put_u16(w, (uint16_t)ulen)
					     : wbuf_put_u8(w, (uint8_t)ulen)) == -1 ||
			    wbuf_put_bytes(w, wbuf_cur(&u), ulen) == -1)
				goto full;
			wbuf_skip(&u, ulen);
			have_u = false;
		}
		if (row == NULL || row->encode == NULL)
			continue;
		if (row->type != BGP_ATTR_NEXT_HOP && row->type != BGP_ATTR_AS4_PATH &&
		    row->type != BGP_ATTR_AS4_AGGREGATOR && !(a->present & BGP_ATTR_BIT(row->type)))
			continue;
		v = wbuf_init_fixed(tmp, sizeof(tmp));
		flags = row->flags;
		r = row->encode(&e, &v, &flags);
		if (r == 1)
			continue;
		if (r == -1)
			goto full;
		vlen = wbuf_len(&v);
		if (vlen > 255)
			flags |= F_EXTLEN;
		if (wbuf_put_u8(w, flags) == -1 || wbuf_put_u8(w, row->type) == -1 ||
		    (vlen > 255 ? wbuf_put_u16(w, (uint16_t)vlen) : wbuf_put_u8(w, (uint8_t)vlen)) ==
			    -1 ||
		    wbuf_put_bytes(w, tmp, vlen) == -1)
			goto full;
	}
	return 0;
full:
	wbuf_truncate(w, start);
	return -1;
}

/* ------------------------------------------------------------ attribute sets */

void bgp_attr_init(struct bgp_attr *a)
{
	memset(a, 0, sizeof(*a));
}

void bgp_attr_clear(struct bgp_attr *a)
{
	free(a->aspath);
	free(a->communities);
	free(a->ecomms);
	free(a->cluster_list);
	free(a->unknown);
	bgp_attr_init(a);
}

static void *dup_mem(const void *p, size_t n)
{
	void *q;

	if (n == 0 || p == NULL)
		return NULL;
	q = xmalloc(n);
	memcpy(q, p, n);
	return q;
}

bool bgp_attr_has_comm(const struct bgp_attr *a, uint32_t c)
{
	for (uint16_t i = 0; a != NULL && i < a->ncommunities; i++)
		if (a->communities[i] == c)
			return true;
	return false;
}

void bgp_attr_copy(struct bgp_attr *dst, const struct bgp_attr *src)
{
	*dst = *src;
	dst->aspath = dup_mem(src->aspath, src->aspath_len);
	dst->communities = dup_mem(src->communities, src->ncommunities * sizeof(uint32_t));
	dst->ecomms = dup_mem(src->ecomms, src->necomms * sizeof(struct ecomm));
	dst->cluster_list = dup_mem(src->cluster_list, src->ncluster * sizeof(uint32_t));
	dst->unknown = dup_mem(src->unknown, src->unknown_len);
	dst->refcnt = 0;
	dst->hash = 0;
	dst->next = NULL;
}

static bool mem_eq(const void *a, const void *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

bool bgp_attr_equal(const struct bgp_attr *a, const struct bgp_attr *b)
{
	return a->present == b->present && a->origin == b->origin &&
	       ipaddr_equal(&a->nexthop, &b->nexthop) && a->med == b->med && a->local_pref == b->local_pref &&
	       a->aggregator_as == b->aggregator_as && a->aggregator_addr == b->aggregator_addr &&
	       a->originator_id == b->originator_id && a->aspath_len == b->aspath_len &&
	       a->ncommunities == b->ncommunities && a->necomms == b->necomms &&
	       a->ncluster == b->ncluster && a->unknown_len == b->unknown_len &&
	       mem_eq(a->aspath, b->aspath, a->aspath_len) &&
	       mem_eq(a->communities, b->communities, a->ncommunities * sizeof(uint32_t)) &&
	       mem_eq(a->ecomms, b->ecomms, a->necomms * sizeof(struct ecomm)) &&
	       mem_eq(a->cluster_list, b->cluster_list, a->ncluster * sizeof(uint32_t)) &&
	       mem_eq(a->unknown, b->unknown, a->unknown_len);
}

static uint32_t h_bytes(uint32_t h, const void *p, size_t n)
{
	const uint8_t *c = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= c[i];
		h *= 16777619u; /* FNV-1a */
	}
	return h;
}

static uint32_t h_u32(uint32_t h, uint32_t v)
{
	return h_bytes(h, &v, sizeof(v));
}

static uint32_t attr_hash(const struct bgp_attr *a)
{
	uint32_t h = 2166136261u;

	h = h_u32(h, a->present);
	h = h_u32(h, a->origin);
	h = ipaddr_hash(&a->nexthop, h);
	h = h_u32(h, a->med);
	h = h_u32(h, a->local_pref);
	h = h_u32(h, a->aggregator_as);
	h = h_u32(h, a->aggregator_addr);
	h = h_u32(h, a->originator_id);
	h = h_bytes(h, a->aspath, a->aspath_len);
	h = h_bytes(h, a->communities, a->ncommunities * sizeof(uint32_t));
	h = h_bytes(h, a->ecomms, a->necomms * sizeof(struct ecomm));
	h = h_bytes(h, a->cluster_list, a->ncluster * sizeof(uint32_t));
	h = h_bytes(h, a->unknown, a->unknown_len);
	return h;
}

static struct {
	struct bgp_attr **b;
	size_t nb, n;
} itab;

static void itab_resize(size_t nb)
{
	size_t i;
	struct bgp_attr **b = xcalloc(nb, sizeof(*b)), *a, *next;

	for (i = 0; i < itab.nb; i++) {
		for (a = itab.b[i]; a != NULL; a = next) {
			next = a->next;
			a->next = b[a->hash & (nb - 1)];
			b[a->hash & (nb - 1)] = a;
		}
	}
	free(itab.b);
	itab.b = b;
	itab.nb = nb;
}

const struct bgp_attr *bgp_attr_intern(const struct bgp_attr *tmpl)
{
	uint32_t h = attr_hash(tmpl);
	struct bgp_attr *a;

	if (itab.nb > 0) {
		for (a = itab.b[h & (itab.nb - 1)]; a != NULL; a = a->next) {
			if (a->hash == h && bgp_attr_equal(a, tmpl)) {
				bgp_attr_ref(a);
				return a;
			}
		}
	}
	if (itab.n >= itab.nb)
		itab_resize(itab.nb ? itab.nb * 2 : 256);
	a = xmalloc(sizeof(*a));
	bgp_attr_copy(a, tmpl);
	a->hash = h;
	a->refcnt = 1;
	a->next = itab.b[h & (itab.nb - 1)];
	itab.b[h & (itab.nb - 1)] = a;
	itab.n++;
	return a;
}

static struct bgp_attr *unconst(const struct bgp_attr *a)
{
	return (struct bgp_attr *)(uintptr_t)a;
}

void bgp_attr_ref(const struct bgp_attr *ca)
{
	struct bgp_attr *a = unconst(ca);

	if (a->refcnt == 0)
		fatalx("%s: attribute set is not interned", __func__);
	if (a->refcnt == UINT32_MAX)
		fatalx("%s: refcount overflow", __func__);
	a->refcnt++;
}

void bgp_attr_unref(const struct bgp_attr *ca)
{
	struct bgp_attr *a = unconst(ca), **pp;

	if (a->refcnt == 0)
		fatalx("%s: refcount underflow", __func__);
	if (--a->refcnt > 0)
		return;
	for (pp = &itab.b[a->hash & (itab.nb - 1)]; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == a) {
			*pp = a->next;
			break;
		}
	}
	itab.n--;
	bgp_attr_clear(a);
	free(a);
}

/* After a burst of unrefs (not from bgp_attr_unref: the table would
 * resize back and forth around one size): at most a quarter used goes
 * back to the smallest size for what is left. */
void bgp_attr_compact(void)
{
	size_t want = 256;

	while (want <= itab.n)
		want *= 2;
	if (itab.nb > 256 && want < itab.nb / 4)
		itab_resize(want);
}

size_t bgp_attr_buckets(void)
{
	return itab.nb;
}

size_t bgp_attr_interned_count(void)
{
	return itab.n;
}
