#include "config.h"

/* NLRI codecs, one row per address family (after BIRD bgp_af_table[]):
 *  - IPv4 unicast: RFC 4271 4.3 (length in bits + minimal prefix bytes).
 *  - VPN-IPv4: RFC 4364 4.3.4 and RFC 8277 2: length in bits covering the
 *    label stack (3 bytes per entry), the 8-byte RD and the prefix. The
 *    label stack of an advertisement is walked to the bottom-of-stack bit
 *    with the explicit bound BGP_MAX_LABELS (after OpenBGPD nlri_get_vpn4).
 *  - IPv6 unicast (RFC 4760, RFC 2545) and VPN-IPv6 (RFC 4659 3.2): the
 *    same layouts with up to 128 prefix bits.
 *  - MP_REACH next hops (RFC 4760 3): 4 bytes for IPv4 unicast, 12 bytes
 *    (RD 0 + IPv4, RFC 4364 4.3.2) for VPN-IPv4; IPv6 unicast 16 bytes
 *    (global) or 32 (global + link-local, RFC 2545 3); VPN-IPv6 24 bytes
 *    (RD 0 + IPv6) or 48 (the same for a link-local address too), RFC 4659
 *    3.2.1. A 6VPE next hop is the IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 *    of the PE's IPv4 loopback (RFC 4659 3.2.1.1): it is decoded to that
 *    IPv6 address and mapped back to IPv4 by whoever resolves it; an IPv4
 *    next hop is encoded the same way. The link-local half is read and
 *    dropped (it only matters to directly connected peers).
 *
 * Decisions and deviations:
 *  - Withdrawals (RFC 8277 2.4): exactly one 3-byte label field is read and
 *    ignored whatever its value; FRR sends 0x800000 (compatibility value,
 *    bottom-of-stack bit clear). We send 0x800000 too.
 *  - A prefix length that does not fit (IPv4 > 32, IPv6 > 128; VPN < 88
 *    bits for one label + RD, or more than 32/128 bits left after labels
 *    and RD), a label stack with
 *    no bottom-of-stack bit within BGP_MAX_LABELS, or a truncated NLRI makes
 *    the NLRI field unparseable: return -1 (session reset, RFC 7606 5.3).
 *  - An RD of unknown type (not 0/1/2, RFC 4364 4.2) does not stop parsing:
 *    the NLRI is returned and bgp_nlri_decode() reports 1, the UPDATE is
 *    then treated as withdraw (RFC 7606 2 spirit; OpenBGPD resets instead).
 *  - Host bits set beyond the prefix length are cleared silently.
 *  - A VPN-IPv4 next hop with a non-zero RD is accepted (RD ignored). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/wbuf.h"
#include "mpbgp/wire.h"

#define LABEL_BOS 0x000001u
#define LABEL_WITHDRAW 0x800000u /* RFC 8277 2.4 compatibility value */
#define VPN_RD_BITS 64
#define LABEL_BITS 24

/* Result of one NLRI: 0 ok, -1 unparseable, 1 parsed but invalid. */
typedef int (*nlri_dec_fn)(struct wbuf *b, int af, struct bgp_nlri *n, bool withdraw, char *err,
			   size_t errlen);
typedef int (*nlri_enc_fn)(struct wbuf *w, const struct bgp_nlri *n, bool withdraw);
typedef size_t (*nlri_size_fn)(const struct bgp_nlri *n, bool withdraw);
typedef int (*nh_dec_fn)(struct wbuf *b, struct ipaddr *nh, char *err, size_t errlen);
typedef int (*nh_enc_fn)(struct wbuf *w, const struct ipaddr *nh);

struct af_codec {
	int family; /* of the prefixes: AF_INET, AF_INET6 */
	nlri_dec_fn decode;
	nlri_enc_fn encode;
	nlri_size_fn size;
	nh_dec_fn decode_nh;
	nh_enc_fn encode_nh;
};

const struct bgp_af_info bgp_af_table[BGP_AF_MAX] = {
	[BGP_AF_IPV4_UNICAST] = { BGP_AFI_IPV4, BGP_SAFI_UNICAST, "ipv4 unicast", "ipv4Unicast" },
	[BGP_AF_VPNV4] = { BGP_AFI_IPV4, BGP_SAFI_MPLS_VPN, "ipv4 vpn", "ipv4Vpn" },
	[BGP_AF_IPV6_UNICAST] = { BGP_AFI_IPV6, BGP_SAFI_UNICAST, "ipv6 unicast", "ipv6Unicast" },
	[BGP_AF_VPNV6] = { BGP_AFI_IPV6, BGP_SAFI_MPLS_VPN, "ipv6 vpn", "ipv6Vpn" },
};

int bgp_af_from_afisafi(uint16_t afi, uint8_t safi)
{
	int i;

	for (i = 0; i < BGP_AF_MAX; i++)
		if (bgp_af_table[i].afi == afi && bgp_af_table[i].safi == safi)
			return i;
	return -1;
}

/* ------------------------------------------------------------ prefix bits */

/* plen bits of a prefix of family af from b (exactly (plen + 7) / 8 bytes). */
static int prefix_get(struct wbuf *b, int af, uint8_t plen, struct prefix *p)
{
	uint8_t a[16];

	memset(a, 0, sizeof(a));
	if (plen > af_maxlen(af) || wbuf_get_bytes(b, a, (plen + 7u) / 8) == -1)
		return -1;
	memset(p, 0, sizeof(*p));
	p->af = (uint8_t)af;
	p->len = plen;
	if (af == AF_INET)
		p->v4 = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	else
		memcpy(p->v6, a, 16);
	prefix_apply_mask(p);
	return 0;
}

static int prefix_put(struct wbuf *w, const struct prefix *p)
{
	uint8_t a4[4] = { (uint8_t)(p->v4 >> 24), (uint8_t)(p->v4 >> 16), (uint8_t)(p->v4 >> 8),
			  (uint8_t)p->v4 };

	if ((p->af != AF_INET && p->af != AF_INET6) || p->len > af_maxlen(p->af))
		return -1;
	return wbuf_put_bytes(w, p->af == AF_INET ? a4 : p->v6, (p->len + 7u) / 8);
}

/* ------------------------------------------------------------ IPv4 unicast */

static int uni_decode(struct wbuf *b, int af, struct bgp_nlri *n, bool withdraw, char *err,
		      size_t errlen)
{
	uint8_t plen;

	(void)withdraw;
	memset(n, 0, sizeof(*n));
	if (wbuf_get_u8(b, &plen) == -1)
		goto trunc;
	if (plen > af_maxlen(af)) {
		snprintf(err, errlen, "prefix length %u exceeds %u", plen, af_maxlen(af));
		return -1;
	}
	if (prefix_get(b, af, plen, &n->p.pfx) == -1)
		goto trunc;
	return 0;
trunc:
	snprintf(err, errlen, "truncated prefix (%zu bytes left)", wbuf_left(b));
	return -1;
}

static int uni_encode(struct wbuf *w, const struct bgp_nlri *n, bool withdraw)
{
	(void)withdraw;
	if (n->p.pfx.len > af_maxlen(n->p.pfx.af) || wbuf_put_u8(w, n->p.pfx.len) == -1)
		return -1;
	return prefix_put(w, &n->p.pfx);
}

static size_t uni_size(const struct bgp_nlri *n, bool withdraw)
{
	(void)withdraw;
	return 1 + (n->p.pfx.len + 7u) / 8;
}

static int v4_decode_nh(struct wbuf *b, struct ipaddr *nh, char *err, size_t errlen)
{
	uint32_t v;

	if (wbuf_left(b) != 4 || wbuf_get_u32(b, &v) == -1) {
		snprintf(err, errlen, "next hop length %zu, expected 4", wbuf_left(b));
		return -1;
	}
	*nh = ipaddr_v4(v);
	return 0;
}

static int v4_encode_nh(struct wbuf *w, const struct ipaddr *nh)
{
	if (nh->af != AF_INET || wbuf_put_u8(w, 4) == -1 || wbuf_put_u32(w, nh->v4) == -1)
		return -1;
	return 0;
}

/* An IPv6 next hop to encode: IPv4 addresses as IPv4-mapped. */
static struct ipaddr nh6_of(const struct ipaddr *nh)
{
	return nh->af == AF_INET ? ipaddr_v4mapped_make(nh->v4) : *nh;
}

/* RFC 2545 3: global (16) or global + link-local (32). */
static int v6_decode_nh(struct wbuf *b, struct ipaddr *nh, char *err, size_t errlen)
{
	uint8_t a[16];
	size_t len = wbuf_left(b);

	if ((len != 16 && len != 32) || wbuf_get_bytes(b, a, 16) == -1 ||
	    wbuf_skip(b, len - 16) == -1) {
		snprintf(err, errlen, "next hop length %zu, expected 16 or 32", len);
		return -1;
	}
	*nh = ipaddr_v6(a);
	return 0;
}

static int v6_encode_nh(struct wbuf *w, const struct ipaddr *nh)
{
	struct ipaddr a = nh6_of(nh);

	if (a.af != AF_INET6 || wbuf_put_u8(w, 16) == -1 || wbuf_put_bytes(w, a.v6, 16) == -1)
		return -1;
	return 0;
}

/* RFC 4659 3.2.1: RD (zero) + IPv6 (24), twice with a link-local (48). */
static int vpn6_decode_nh(struct wbuf *b, struct ipaddr *nh, char *err, size_t errlen)
{
	uint8_t a[16];
	size_t len = wbuf_left(b);

	if ((len != 24 && len != 48) || wbuf_skip(b, 8) == -1 || wbuf_get_bytes(b, a, 16) == -1 ||
	    wbuf_skip(b, len - 24) == -1) {
		snprintf(err, errlen, "next hop length %zu, expected 24 or 48", len);
		return -1;
	}
	*nh = ipaddr_v6(a);
	return 0;
}

static int vpn6_encode_nh(struct wbuf *w, const struct ipaddr *nh)
{
	struct ipaddr a = nh6_of(nh);

	if (a.af != AF_INET6 || wbuf_put_u8(w, 24) == -1 || wbuf_put_zero(w, 8) == -1 ||
	    wbuf_put_bytes(w, a.v6, 16) == -1)
		return -1;
	return 0;
}

/* ------------------------------------------------------------ VPN-IPv4 */

static int vpn_decode(struct wbuf *b, int af, struct bgp_nlri *n, bool withdraw, char *err,
		      size_t errlen)
{
	struct wbuf nb;
	uint8_t plen;
	unsigned bits;
	uint32_t lbl;
	int rdt;

	memset(n, 0, sizeof(*n));
	if (wbuf_get_u8(b, &plen) == -1)
		goto trunc;
	bits = plen;
	/* The whole NLRI, so nothing below can read into the next one. */
	if (wbuf_get_sub(b, &nb, (bits + 7) / 8) == -1)
		goto trunc;
	if (withdraw) {
		/* RFC 8277 2.4: one label field, value ignored */
		if (bits < LABEL_BITS || wbuf_get_u24(&nb, &lbl) == -1)
			goto bad_len;
		bits -= LABEL_BITS;
	} else {
		/* RFC 8277 2.1: labels up to the one with the bottom-of-stack bit */
		for (;;) {
			if (n->nlabels == BGP_MAX_LABELS) {
				snprintf(err, errlen,
					 "label stack has no bottom-of-stack within %d labels",
					 BGP_MAX_LABELS);
				return -1;
			}
			if (bits < LABEL_BITS || wbuf_get_u24(&nb, &lbl) == -1) {
				snprintf(err, errlen, "truncated label stack (length %u bits)",
					 plen);
				return -1;
			}
			bits -= LABEL_BITS;
			n->labels[n->nlabels++] = lbl >> 4;
			if (lbl & LABEL_BOS)
				break;
		}
	}
	if (bits < VPN_RD_BITS || wbuf_get_bytes(&nb, n->p.rd.b, sizeof(n->p.rd.b)) == -1) {
		snprintf(err, errlen, "truncated route distinguisher (length %u bits)", plen);
		return -1;
	}
	bits -= VPN_RD_BITS;
	if (bits > af_maxlen(af)) {
		snprintf(err, errlen, "prefix length %u exceeds %u after labels and RD", bits,
			 af_maxlen(af));
		return -1;
	}
	if (prefix_get(&nb, af, (uint8_t)bits, &n->p.pfx) == -1)
		goto trunc;
	rdt = rd_type(&n->p.rd);
	if (rdt != RD_TYPE_AS2 && rdt != RD_TYPE_IP && rdt != RD_TYPE_AS4) {
		snprintf(err, errlen, "unknown route distinguisher type %d", rdt);
		return 1;
	}
	return 0;

bad_len:
	snprintf(err, errlen, "prefix length %u too short for a label", plen);
	return -1;
trunc:
	snprintf(err, errlen, "truncated NLRI (length %u bits, %zu bytes left)", plen,
		 wbuf_left(b));
	return -1;
}

static size_t vpn_size(const struct bgp_nlri *n, bool withdraw)
{
	int nl = withdraw || n->nlabels < 1 ? 1 : n->nlabels;

	return 1 + 3u * (unsigned)nl + 8 + (n->p.pfx.len + 7u) / 8;
}

static int vpn_encode(struct wbuf *w, const struct bgp_nlri *n, bool withdraw)
{
	size_t start = wbuf_len(w);
	int nl = withdraw ? 1 : n->nlabels, i;
	unsigned bits;

	if (nl < 1 || nl > BGP_MAX_LABELS || n->p.pfx.len > af_maxlen(n->p.pfx.af))
		return -1;
	bits = (unsigned)nl * LABEL_BITS + VPN_RD_BITS + n->p.pfx.len;
	if (bits > 255 || wbuf_put_u8(w, (uint8_t)bits) == -1)
		goto fail;
	for (i = 0; i < nl; i++) {
		uint32_t v = withdraw ? LABEL_WITHDRAW
				      : (n->labels[i] & 0xfffffu) << 4 | (i == nl - 1 ? LABEL_BOS : 0);
		if (wbuf_put_u24(w, v) == -1)
			goto fail;
	}
	if (wbuf_put_bytes(w, n->p.rd.b, sizeof(n->p.rd.b)) == -1 || prefix_put(w, &n->p.pfx) == -1)
		goto fail;
	return 0;
fail:
	wbuf_truncate(w, start);
	return -1;
}

static int vpn4_decode_nh(struct wbuf *b, struct ipaddr *nh, char *err, size_t errlen)
{
	uint32_t v;

	/* RFC 4364 4.3.2: RD (zero) + IPv4 address */
	if (wbuf_left(b) != 12 || wbuf_skip(b, 8) == -1 || wbuf_get_u32(b, &v) == -1) {
		snprintf(err, errlen, "next hop length %zu, expected 12", wbuf_left(b));
		return -1;
	}
	*nh = ipaddr_v4(v);
	return 0;
}

static int vpn4_encode_nh(struct wbuf *w, const struct ipaddr *nh)
{
	if (nh->af != AF_INET || wbuf_put_u8(w, 12) == -1 || wbuf_put_zero(w, 8) == -1 ||
	    wbuf_put_u32(w, nh->v4) == -1)
		return -1;
	return 0;
}

/* One row per family: adding a family is a row here and in bgp_af_table. */
static const struct af_codec codec[BGP_AF_MAX] = {
	[BGP_AF_IPV4_UNICAST] = { AF_INET, uni_decode, uni_encode, uni_size, v4_decode_nh,
				  v4_encode_nh },
	[BGP_AF_VPNV4] = { AF_INET, vpn_decode, vpn_encode, vpn_size, vpn4_decode_nh,
			   vpn4_encode_nh },
	[BGP_AF_IPV6_UNICAST] = { AF_INET6, uni_decode, uni_encode, uni_size, v6_decode_nh,
				  v6_encode_nh },
	[BGP_AF_VPNV6] = { AF_INET6, vpn_decode, vpn_encode, vpn_size, vpn6_decode_nh,
			   vpn6_encode_nh },
};

int bgp_af_family(enum bgp_af af)
{
	return (unsigned)af < BGP_AF_MAX ? codec[af].family : 0;
}

bool bgp_af_is_vpn(enum bgp_af af)
{
	return af == BGP_AF_VPNV4 || af == BGP_AF_VPNV6;
}

/* ------------------------------------------------------------ public */

int bgp_nlri_decode(enum bgp_af af, struct wbuf *buf, struct bgp_nlri_list *out, bool withdraw,
		    char *err, size_t errlen)
{
	struct bgp_nlri n;
	int r, ret = 0;

	if ((unsigned)af >= BGP_AF_MAX) {
		snprintf(err, errlen, "unknown address family %d", (int)af);
		return -1;
	}
	while (wbuf_left(buf) > 0) {
		/* once a reason is kept, later ones go to scratch (except fatal) */
		char scratch[160];
		char *e = ret == 0 ? err : scratch;
		size_t el = ret == 0 ? errlen : sizeof(scratch);

		r = codec[af].decode(buf, codec[af].family, &n, withdraw, e, el);
		if (r < 0) {
			if (e != err)
				snprintf(err, errlen, "%s", scratch);
			return -1;
		}
		if (r > 0)
			ret = 1;
		bgp_nlri_list_add(out, &n);
	}
	return ret;
}

int bgp_nlri_encode(enum bgp_af af, struct wbuf *w, const struct bgp_nlri *n, bool withdraw)
{
	if ((unsigned)af >= BGP_AF_MAX)
		return -1;
	return codec[af].encode(w, n, withdraw);
}

size_t bgp_nlri_size(enum bgp_af af, const struct bgp_nlri *n)
{
	if ((unsigned)af >= BGP_AF_MAX)
		return 0;
	return codec[af].size(n, false);
}

size_t bgp_nlri_size_withdraw(enum bgp_af af, const struct bgp_nlri *n)
{
	if ((unsigned)af >= BGP_AF_MAX)
		return 0;
	return codec[af].size(n, true);
}

int bgp_nh_decode(enum bgp_af af, struct wbuf *b, struct ipaddr *nh, char *err, size_t errlen)
{
	if ((unsigned)af >= BGP_AF_MAX)
		return -1;
	return codec[af].decode_nh(b, nh, err, errlen);
}

int bgp_nh_encode(enum bgp_af af, struct wbuf *w, const struct ipaddr *nh)
{
	if ((unsigned)af >= BGP_AF_MAX)
		return -1;
	return codec[af].encode_nh(w, nh);
}

void bgp_nlri_list_add(struct bgp_nlri_list *l, const struct bgp_nlri *n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = *n;
}

void bgp_nlri_list_free(struct bgp_nlri_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

char *bgp_prefix_str(const struct bgp_prefix *p, enum bgp_af af, char *buf, size_t len)
{
	char rd[RD_STRLEN], pfx[PREFIX_STRLEN];

	prefix_ntop(&p->pfx, pfx, sizeof(pfx));
	if (bgp_af_is_vpn(af))
		snprintf(buf, len, "%s %s", rd_format(&p->rd, rd, sizeof(rd)), pfx);
	else
		snprintf(buf, len, "%s", pfx);
	return buf;
}

int bgp_prefix_cmp(const struct bgp_prefix *a, const struct bgp_prefix *b)
{
	int c = rd_cmp(&a->rd, &b->rd);

	return c != 0 ? c : prefix_cmp(&a->pfx, &b->pfx);
}

/* ---- RFC 4684 route target membership ---- */

int bgp_rtc_decode(struct wbuf *b, struct bgp_rtc_list *out, char *err, size_t errlen)
{
	while (wbuf_left(b) > 0) {
		struct bgp_rtc r;
		uint8_t len, raw[12] = { 0 };
		size_t nbytes;

		if (wbuf_get_u8(b, &len) == -1)
			return -1;
		/* 4: 0 (default) or at least the origin AS, at most AS + RT */
		if ((len > 0 && len < 32) || len > 96) {
			snprintf(err, errlen, "route target membership length %u (0 or 32-96)", len);
			return -1;
		}
		nbytes = (len + 7u) / 8u;
		if (wbuf_get_bytes(b, raw, nbytes) == -1) {
			snprintf(err, errlen, "route target membership NLRI truncated");
			return -1;
		}
		if (len % 8)
			raw[nbytes - 1] &= (uint8_t)(0xff << (8 - len % 8));
		if (out->n >= BGP_RTC_MAX_PER_UPDATE) {
			snprintf(err, errlen, "more than %d route target memberships in one UPDATE",
				 BGP_RTC_MAX_PER_UPDATE);
			return -1;
		}
		memset(&r, 0, sizeof(r));
		r.len = len;
		r.origin_as = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 | raw[3];
		memcpy(r.rt, raw + 4, 8);
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 8;
			out->v = xrealloc(out->v, (size_t)out->cap * sizeof(*out->v));
		}
		out->v[out->n++] = r;
	}
	return 0;
}

size_t bgp_rtc_size(const struct bgp_rtc *r)
{
	return 1u + (r->len + 7u) / 8u;
}

int bgp_rtc_encode(struct wbuf *w, const struct bgp_rtc *r)
{
	uint8_t raw[12] = { (uint8_t)(r->origin_as >> 24), (uint8_t)(r->origin_as >> 16),
			    (uint8_t)(r->origin_as >> 8), (uint8_t)r->origin_as };

	memcpy(raw + 4, r->rt, 8);
	if (r->len > 96 || wbuf_put_u8(w, r->len) == -1 ||
	    wbuf_put_bytes(w, raw, (r->len + 7u) / 8u) == -1)
		return -1;
	return 0;
}

const char *bgp_rtc_str(const struct bgp_rtc *r, char *buf, size_t len)
{
	struct ecomm e;
	char rt[RD_STRLEN];

	if (r->len == 0) {
		snprintf(buf, len, "default");
		return buf;
	}
	memcpy(e.b, r->rt, 8);
	if (r->len < 96 && r->len > 32)
		snprintf(buf, len, "%u:%s/%u", r->origin_as, ecomm_format(&e, rt, sizeof(rt)), r->len);
	else if (r->len == 32)
		snprintf(buf, len, "%u:*", r->origin_as);
	else
		snprintf(buf, len, "%u:%s", r->origin_as, ecomm_format(&e, rt, sizeof(rt)));
	return buf;
}

bool bgp_rtc_covers(const struct bgp_rtc *m, const uint8_t rt[8])
{
	unsigned bits;

	if (m->len <= 32)
		return true; /* the default, or every route target of one origin AS */
	bits = m->len - 32u;
	if (memcmp(m->rt, rt, bits / 8) != 0)
		return false;
	if (bits % 8) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));

		return (m->rt[bits / 8] & mask) == (rt[bits / 8] & mask);
	}
	return true;
}
