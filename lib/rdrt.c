/* Route distinguishers (RFC 4364 4.2) and route-target / site-of-origin
 * extended communities (RFC 4360 4, RFC 5668 2), parsed from and printed as
 * the text FRR uses, stored in wire format.
 *
 * Text forms (the same for RDs and RTs):
 *   ASN:NN       ASN <= 65535:  RD type 0 / ecomm type 0x00, NN <= 4294967295
 *                ASN >  65535:  RD type 2 / ecomm type 0x02, NN <= 65535
 *   A.B.C.D:NN   RD type 1 / ecomm type 0x01, NN <= 65535
 *
 * Our implementation is stricter than FRR's (which uses strtoul): every
 * number is plain decimal, with no sign, no whitespace anywhere, no leading
 * zero ("0" itself is fine) and nothing after the assigned number. The
 * IPv4 administrator follows lib/prefix.c addr4_parse (full dotted quad, no
 * leading zeros), so asdot AS numbers ("1.10:5") are rejected. Each
 * rejection writes a reason naming the offending part and limit. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "lib/prefix.h"
#include "lib/rdrt.h"
#include "lib/wbuf.h"

/* RFC 4360 3.1, 3.2; RFC 5668 2: the transitive "type high" octets. */
#define ECOMM_TYPE_AS2 0x00
#define ECOMM_TYPE_IP 0x01
#define ECOMM_TYPE_AS4 0x02

#define FORMS "expected ASN:NN or A.B.C.D:NN"

/* A parsed value, common to RDs and extended communities. */
struct rdrt_val {
	int type;       /* enum rd_type */
	uint32_t admin; /* AS number or IPv4 address (host order) */
	uint32_t nn;    /* assigned number */
};

enum dec_result { DEC_OK, DEC_SIGN, DEC_NOT_NUMBER, DEC_JUNK, DEC_LEADING_ZERO, DEC_OVERFLOW };

static int PE_PRINTF(3, 4) fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Strict decimal in s[0, n): digits only, no leading zero, <= UINT32_MAX.
 * *ndigits is the length of the leading digit run. */
static enum dec_result parse_dec(const char *s, size_t n, uint32_t *out, size_t *ndigits)
{
	uint64_t v = 0;
	bool over = false;
	size_t i;

	if (n > 0 && (s[0] == '+' || s[0] == '-'))
		return DEC_SIGN;
	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > UINT32_MAX) {
			over = true;
			v = (uint64_t)UINT32_MAX + 1; /* saturate, keep scanning */
		}
	}
	*ndigits = i;
	if (i == 0)
		return DEC_NOT_NUMBER;
	if (i < n)
		return DEC_JUNK;
	if (s[0] == '0' && n > 1)
		return DEC_LEADING_ZERO;
	if (over)
		return DEC_OVERFLOW;
	*out = (uint32_t)v;
	return DEC_OK;
}

/* "1.10": name the asplain equivalent (RFC 5396 2) rather than only
 * calling it a bad address. */
static int asdot_hint(const char *s, size_t n, char *err, size_t errlen)
{
	const char *dot = memchr(s, '.', n);
	size_t hn = (size_t)(dot - s), nd;
	uint32_t hi, lo;

	if (parse_dec(s, hn, &hi, &nd) == DEC_OK && hi <= UINT16_MAX &&
	    parse_dec(dot + 1, n - hn - 1, &lo, &nd) == DEC_OK && lo <= UINT16_MAX)
		return fail(err, errlen,
			    "invalid IPv4 address \"%.*s\" (asdot AS numbers are not supported, "
			    "write AS %.*s as %u)",
			    (int)n, s, (int)n, s, hi << 16 | lo);
	return fail(err, errlen,
		    "invalid IPv4 address \"%.*s\" (asdot AS numbers are not supported)", (int)n,
		    s);
}

/* The administrator s[0, n): an AS number or, if it has a dot, an IPv4
 * address. */
static int parse_admin(const char *s, size_t n, struct rdrt_val *v, char *err, size_t errlen)
{
	char ip[ADDR4_STRLEN];
	size_t nd, i, dots = 0;

	if (s[0] == '+' || s[0] == '-')
		return fail(err, errlen, "sign '%c' not allowed in administrator \"%.*s\"", s[0],
			    (int)n, s);
	if (memchr(s, '.', n) != NULL) {
		bool digits_and_dots = true;

		for (i = 0; i < n; i++) {
			if (s[i] == '.')
				dots++;
			else if (s[i] < '0' || s[i] > '9')
				digits_and_dots = false;
		}
		if (n < sizeof(ip)) {
			memcpy(ip, s, n);
			ip[n] = '\0';
			if (addr4_parse(ip, &v->admin) == 0) {
				v->type = RD_TYPE_IP;
				return 0;
			}
		}
		if (dots == 1 && digits_and_dots)
			return asdot_hint(s, n, err, errlen);
		return fail(err, errlen, "invalid IPv4 address \"%.*s\"", (int)n, s);
	}

	switch (parse_dec(s, n, &v->admin, &nd)) {
	case DEC_OK:
		break;
	case DEC_SIGN: /* handled above */
	case DEC_NOT_NUMBER:
	case DEC_JUNK:
		return fail(err, errlen,
			    "administrator \"%.*s\" is neither a decimal AS number nor an IPv4 "
			    "address",
			    (int)n, s);
	case DEC_LEADING_ZERO:
		return fail(err, errlen, "leading zero in AS number \"%.*s\"", (int)n, s);
	case DEC_OVERFLOW:
		return fail(err, errlen, "AS number %.*s exceeds 4294967295", (int)n, s);
	}
	v->type = v->admin > UINT16_MAX ? RD_TYPE_AS4 : RD_TYPE_AS2;
	return 0;
}

/* The assigned number s (to the end of the string), after the type is
 * known, so the limit can be named. */
static int parse_nn(const char *s, struct rdrt_val *v, char *err, size_t errlen)
{
	size_t nd;

	switch (parse_dec(s, strlen(s), &v->nn, &nd)) {
	case DEC_OK:
		break;
	case DEC_SIGN:
		return fail(err, errlen, "sign '%c' not allowed in assigned number \"%s\"", s[0],
			    s);
	case DEC_NOT_NUMBER:
		return fail(err, errlen, "assigned number \"%s\" is not a decimal number", s);
	case DEC_JUNK:
		return fail(err, errlen, "trailing garbage \"%s\" after assigned number %.*s",
			    s + nd, (int)nd, s);
	case DEC_LEADING_ZERO:
		return fail(err, errlen, "leading zero in assigned number \"%s\"", s);
	case DEC_OVERFLOW:
		return fail(err, errlen, "assigned number %s exceeds 4294967295", s);
	}
	if (v->type == RD_TYPE_AS2 || v->nn <= UINT16_MAX)
		return 0;
	if (v->type == RD_TYPE_IP)
		return fail(err, errlen,
			    "assigned number %s exceeds 65535 for an IPv4 address administrator",
			    s);
	return fail(err, errlen, "assigned number %s exceeds 65535 for a 4-octet AS", s);
}

static int rdrt_parse(const char *s, const char *what, struct rdrt_val *v, char *err, size_t errlen)
{
	const char *colon, *p;

	if (s == NULL || *s == '\0')
		return fail(err, errlen, "empty %s", what);
	for (p = s; *p != '\0'; p++)
		if (isspace((unsigned char)*p))
			return fail(err, errlen, "whitespace not allowed in %s \"%s\"", what, s);
	colon = strchr(s, ':');
	if (colon == NULL)
		return fail(err, errlen, "missing ':' in %s \"%s\" (" FORMS ")", what, s);
	if (strchr(colon + 1, ':') != NULL)
		return fail(err, errlen, "too many ':' in %s \"%s\" (" FORMS ")", what, s);
	if (colon == s)
		return fail(err, errlen,
			    "missing administrator (AS number or IPv4 address) before ':'");
	if (colon[1] == '\0')
		return fail(err, errlen, "missing assigned number after ':'");
	if (parse_admin(s, (size_t)(colon - s), v, err, errlen) == -1)
		return -1;
	return parse_nn(colon + 1, v, err, errlen);
}

/* The 6-byte value shared by RDs and extended communities (RFC 4364 4.2,
 * RFC 4360 3.1/3.2, RFC 5668 2). */
static void rdrt_encode(uint8_t *val6, const struct rdrt_val *v)
{
	struct wbuf w = wbuf_init_fixed(val6, 6);

	if (v->type == RD_TYPE_AS2) {
		wbuf_put_u16(&w, (uint16_t)v->admin);
		wbuf_put_u32(&w, v->nn);
	} else {
		wbuf_put_u32(&w, v->admin);
		wbuf_put_u16(&w, (uint16_t)v->nn);
	}
}

static const char *rdrt_format(int type, const uint8_t *val6, char *buf, size_t len)
{
	struct wbuf r = wbuf_from(val6, 6);
	uint16_t u16 = 0;
	uint32_t u32 = 0;
	char ip[ADDR4_STRLEN];

	if (type == RD_TYPE_AS2) {
		wbuf_get_u16(&r, &u16);
		wbuf_get_u32(&r, &u32);
		snprintf(buf, len, "%u:%u", u16, u32);
	} else {
		wbuf_get_u32(&r, &u32);
		wbuf_get_u16(&r, &u16);
		if (type == RD_TYPE_IP)
			snprintf(buf, len, "%s:%u", addr4_ntop(u32, ip, sizeof(ip)), u16);
		else
			snprintf(buf, len, "%u:%u", u32, u16);
	}
	return buf;
}

static int cmp8(const uint8_t *a, const uint8_t *b)
{
	int c = memcmp(a, b, 8);

	return c < 0 ? -1 : c > 0;
}

/* ---- route distinguishers, RFC 4364 4.2 ---- */

int rd_parse(const char *s, struct rd *rd, char *err, size_t errlen)
{
	struct rdrt_val v;

	if (rdrt_parse(s, "route distinguisher", &v, err, errlen) == -1)
		return -1;
	rd->b[0] = 0;
	rd->b[1] = (uint8_t)v.type;
	rdrt_encode(rd->b + 2, &v);
	return 0;
}

/* Unknown types (only seen from the wire) print as "type<N>:<12 hex>". */
const char *rd_format(const struct rd *rd, char *buf, size_t len)
{
	int type = rd_type(rd);
	const uint8_t *v = rd->b + 2;

	if (type == RD_TYPE_AS2 || type == RD_TYPE_IP || type == RD_TYPE_AS4)
		return rdrt_format(type, v, buf, len);
	snprintf(buf, len, "type%d:%02x%02x%02x%02x%02x%02x", type, v[0], v[1], v[2], v[3], v[4],
		 v[5]);
	return buf;
}

int rd_type(const struct rd *rd)
{
	return rd->b[0] << 8 | rd->b[1];
}

/* Wire order: by type, then administrator, then assigned number. */
int rd_cmp(const struct rd *a, const struct rd *b)
{
	return cmp8(a->b, b->b);
}

/* ---- extended communities, RFC 4360 4 / RFC 5668 ---- */

int ecomm_parse(const char *s, uint8_t subtype, struct ecomm *ec, char *err, size_t errlen)
{
	static const uint8_t type_octet[] = {
		[RD_TYPE_AS2] = ECOMM_TYPE_AS2,
		[RD_TYPE_IP] = ECOMM_TYPE_IP,
		[RD_TYPE_AS4] = ECOMM_TYPE_AS4,
	};
	struct rdrt_val v;
	const char *what;

	if (subtype == ECOMM_SUB_RT)
		what = "route target";
	else if (subtype == ECOMM_SUB_SOO)
		what = "site of origin";
	else
		return fail(err, errlen, "unsupported extended community subtype 0x%02x", subtype);
	if (rdrt_parse(s, what, &v, err, errlen) == -1)
		return -1;
	ec->b[0] = type_octet[v.type];
	ec->b[1] = subtype;
	rdrt_encode(ec->b + 2, &v);
	return 0;
}

/* Other types print as "0x" and the 8 bytes in hex. */
const char *ecomm_format(const struct ecomm *ec, char *buf, size_t len)
{
	const uint8_t *b = ec->b;

	switch (b[0]) {
	case ECOMM_TYPE_AS2:
		return rdrt_format(RD_TYPE_AS2, b + 2, buf, len);
	case ECOMM_TYPE_IP:
		return rdrt_format(RD_TYPE_IP, b + 2, buf, len);
	case ECOMM_TYPE_AS4:
		return rdrt_format(RD_TYPE_AS4, b + 2, buf, len);
	}
	snprintf(buf, len, "0x%02x%02x%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
		 b[6], b[7]);
	return buf;
}

int ecomm_cmp(const struct ecomm *a, const struct ecomm *b)
{
	return cmp8(a->b, b->b);
}
