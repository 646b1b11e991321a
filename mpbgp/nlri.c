#include "config.h"

/* NLRI codecs, one row per address family (after BIRD bgp_af_table[]):
 *  - IPv4 unicast: RFC 4271 4.3 (length in bits + minimal prefix bytes).
 *  - VPN-IPv4: RFC 4364 4.3.4 and RFC 8277 2: length in bits covering the
 *    label stack (3 bytes per entry), the 8-byte RD and the prefix. The
 *    label stack of an advertisement is walked to the bottom-of-stack bit
 *    with the explicit bound BGP_MAX_LABELS (after OpenBGPD nlri_get_vpn4).
 *  - MP_REACH next hops (RFC 4760 3): 4 bytes for IPv4 unicast, 12 bytes
 *    (RD 0 + IPv4, RFC 4364 4.3.2) for VPN-IPv4.
 *
 * Decisions and deviations:
 *  - Withdrawals (RFC 8277 2.4): exactly one 3-byte label field is read and
 *    ignored whatever its value; FRR sends 0x800000 (compatibility value,
 *    bottom-of-stack bit clear). We send 0x800000 too.
 *  - A prefix length that does not fit (IPv4 > 32; VPN < 88 bits for one
 *    label + RD, or > 32 bits left after labels and RD), a label stack with
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
typedef int (*nlri_dec_fn)(struct wbuf *b, struct bgp_nlri *n, bool withdraw, char *err,
			   size_t errlen);
typedef int (*nlri_enc_fn)(struct wbuf *w, const struct bgp_nlri *n, bool withdraw);
typedef size_t (*nlri_size_fn)(const struct bgp_nlri *n, bool withdraw);
typedef int (*nh_dec_fn)(struct wbuf *b, uint32_t *nh, char *err, size_t errlen);
typedef int (*nh_enc_fn)(struct wbuf *w, uint32_t nh);

struct af_codec {
	nlri_dec_fn decode;
	nlri_enc_fn encode;
	nlri_size_fn size;
	nh_dec_fn decode_nh;
	nh_enc_fn encode_nh;
};

const struct bgp_af_info bgp_af_table[BGP_AF_MAX] = {
	[BGP_AF_IPV4_UNICAST] = { BGP_AFI_IPV4, BGP_SAFI_UNICAST, "ipv4 unicast", "ipv4Unicast" },
	[BGP_AF_VPNV4] = { BGP_AFI_IPV4, BGP_SAFI_MPLS_VPN, "ipv4 vpn", "ipv4Vpn" },
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

/* plen bits of IPv4 prefix from b (exactly (plen + 7) / 8 bytes). */
static int prefix_get(struct wbuf *b, uint8_t plen, struct prefix4 *p)
{
	uint8_t a[4] = { 0, 0, 0, 0 };

	if (plen > 32 || wbuf_get_bytes(b, a, (plen + 7u) / 8) == -1)
		return -1;
	p->addr = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	p->len = plen;
	prefix4_apply_mask(p);
	return 0;
}

static int prefix_put(struct wbuf *w, const struct prefix4 *p)
{
	uint8_t a[4] = { (uint8_t)(p->addr >> 24), (uint8_t)(p->addr >> 16),
			 (uint8_t)(p->addr >> 8), (uint8_t)p->addr };

	if (p->len > 32)
		return -1;
	return wbuf_put_bytes(w, a, (p->len + 7u) / 8);
}

/* ------------------------------------------------------------ IPv4 unicast */

static int v4_decode(struct wbuf *b, struct bgp_nlri *n, bool withdraw, char *err, size_t errlen)
{
	uint8_t plen;

	(void)withdraw;
	memset(n, 0, sizeof(*n));
	if (wbuf_get_u8(b, &plen) == -1)
		goto trunc;
	if (plen > 32) {
		snprintf(err, errlen, "prefix length %u exceeds 32", plen);
		return -1;
	}
	if (prefix_get(b, plen, &n->p.pfx) == -1)
		goto trunc;
	return 0;
trunc:
	snprintf(err, errlen, "truncated prefix (%zu bytes left)", wbuf_left(b));
	return -1;
}

static int v4_encode(struct wbuf *w, const struct bgp_nlri *n, bool withdraw)
{
	(void)withdraw;
	if (n->p.pfx.len > 32 || wbuf_put_u8(w, n->p.pfx.len) == -1)
		return -1;
	return prefix_put(w, &n->p.pfx);
}

static size_t v4_size(const struct bgp_nlri *n, bool withdraw)
{
	(void)withdraw;
	return 1 + (n->p.pfx.len + 7u) / 8;
}

static int v4_decode_nh(struct wbuf *b, uint32_t *nh, char *err, size_t errlen)
{
	if (wbuf_left(b) != 4 || wbuf_get_u32(b, nh) == -1) {
		snprintf(err, errlen, "next hop length %zu, expected 4", wbuf_left(b));
		return -1;
	}
	return 0;
}

static int v4_encode_nh(struct wbuf *w, uint32_t nh)
{
	if (wbuf_put_u8(w, 4) == -1 || wbuf_put_u32(w, nh) == -1)
		return -1;
	return 0;
}

/* ------------------------------------------------------------ VPN-IPv4 */

static int vpn4_decode(struct wbuf *b, struct bgp_nlri *n, bool withdraw, char *err,
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
	if (bits > 32) {
		snprintf(err, errlen, "prefix length %u exceeds 32 after labels and RD", bits);
		return -1;
	}
	if (prefix_get(&nb, (uint8_t)bits, &n->p.pfx) == -1)
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

static size_t vpn4_size(const struct bgp_nlri *n, bool withdraw)
{
	int nl = withdraw || n->nlabels < 1 ? 1 : n->nlabels;

	return 1 + 3u * (unsigned)nl + 8 + (n->p.pfx.len + 7u) / 8;
}

static int vpn4_encode(struct wbuf *w, const struct bgp_nlri *n, bool withdraw)
{
	size_t start = wbuf_len(w);
	int nl = withdraw ? 1 : n->nlabels, i;
	unsigned bits;

	if (nl < 1 || nl > BGP_MAX_LABELS || n->p.pfx.len > 32)
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

static int vpn4_decode_nh(struct wbuf *b, uint32_t *nh, char *err, size_t errlen)
{
	/* RFC 4364 4.3.2: RD (zero) + IPv4 address */
	if (wbuf_left(b) != 12 || wbuf_skip(b, 8) == -1 || wbuf_get_u32(b, nh) == -1) {
		snprintf(err, errlen, "next hop length %zu, expected 12", wbuf_left(b));
		return -1;
	}
	return 0;
}

static int vpn4_encode_nh(struct wbuf *w, uint32_t nh)
{
	if (wbuf_put_u8(w, 12) == -1 || wbuf_put_zero(w, 8) == -1 || wbuf_put_u32(w, nh) == -1)
		return -1;
	return 0;
}

static const struct af_codec codec[BGP_AF_MAX] = {
	[BGP_AF_IPV4_UNICAST] = { v4_decode, v4_encode, v4_size, v4_decode_nh, v4_encode_nh },
	[BGP_AF_VPNV4] = { vpn4_decode, vpn4_encode, vpn4_size, vpn4_decode_nh, vpn4_encode_nh },
};

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

		r = codec[af].decode(buf, &n, withdraw, e, el);
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

int bgp_nh_decode(enum bgp_af af, struct wbuf *b, uint32_t *nh, char *err, size_t errlen)
{
	if ((unsigned)af >= BGP_AF_MAX)
		return -1;
	return codec[af].decode_nh(b, nh, err, errlen);
}

int bgp_nh_encode(enum bgp_af af, struct wbuf *w, uint32_t nh)
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
	char rd[RD_STRLEN], pfx[PREFIX4_STRLEN];

	prefix4_ntop(&p->pfx, pfx, sizeof(pfx));
	if (af == BGP_AF_VPNV4)
		snprintf(buf, len, "%s %s", rd_format(&p->rd, rd, sizeof(rd)), pfx);
	else
		snprintf(buf, len, "%s", pfx);
	return buf;
}

int bgp_prefix_cmp(const struct bgp_prefix *a, const struct bgp_prefix *b)
{
	int c = rd_cmp(&a->rd, &b->rd);

	return c != 0 ? c : prefix4_cmp(&a->pfx, &b->pfx);
}
