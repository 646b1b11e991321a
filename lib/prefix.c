/* Strict IPv4 address/prefix parsing: dotted quad only, every octet 0..255,
 * no leading '+', no spaces, no trailing garbage, length 0..32. Leading
 * zeros ("01.2.3.4", "10.0.0.0/08") are rejected, as glibc inet_pton does:
 * inet_aton() and iproute2 read "010" as octal 8, so accepting it as
 * decimal would make one config line mean two different addresses. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "lib/prefix.h"

static const char *parse_octets(const char *s, uint32_t *out)
{
	uint32_t a = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned v = 0;
		int digits = 0;

		while (*s >= '0' && *s <= '9') {
			if (digits == 1 && v == 0)
				return NULL; /* leading zero */
			v = v * 10 + (unsigned)(*s - '0');
			if (++digits > 3 || v > 255)
				return NULL;
			s++;
		}
		if (digits == 0)
			return NULL;
		a = (a << 8) | v;
		if (i < 3) {
			if (*s != '.')
				return NULL;
			s++;
		}
	}
	*out = a;
	return s;
}

/* Returns 0 on success, -1 on any syntax error (*out untouched). */
int addr4_parse(const char *s, uint32_t *out)
{
	uint32_t a;
	const char *end = parse_octets(s, &a);

	if (end == NULL || *end != '\0')
		return -1;
	*out = a;
	return 0;
}

/* Parses "A.B.C.D/M". host_bits (optional) tells whether bits beyond the
 * length were set; they are cleared in *p either way. */
int prefix4_parse(const char *s, struct prefix4 *p, bool *host_bits)
{
	uint32_t a;
	const char *end = parse_octets(s, &a);
	unsigned len = 0;
	int digits = 0;

	if (end == NULL || *end != '/')
		return -1;
	end++;
	while (*end >= '0' && *end <= '9') {
		if (digits == 1 && len == 0)
			return -1; /* leading zero */
		len = len * 10 + (unsigned)(*end - '0');
		if (++digits > 2 || len > 32)
			return -1;
		end++;
	}
	if (digits == 0 || *end != '\0')
		return -1;
	p->addr = a;
	p->len = (uint8_t)len;
	if (host_bits != NULL)
		*host_bits = (a & ~prefix4_mask(p->len)) != 0;
	prefix4_apply_mask(p);
	return 0;
}

const char *addr4_ntop(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return buf;
}

const char *prefix4_ntop(const struct prefix4 *p, char *buf, size_t len)
{
	uint32_t a = p->addr;

	snprintf(buf, len, "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff,
		 p->len);
	return buf;
}

void prefix4_apply_mask(struct prefix4 *p)
{
	p->addr &= prefix4_mask(p->len);
}

/* Compares only the first len bits, so a prefix that still has host bits
 * set (built by hand, not by prefix4_parse) contains its own addresses. */
bool prefix4_contains(const struct prefix4 *p, uint32_t addr)
{
	return ((addr ^ p->addr) & prefix4_mask(p->len)) == 0;
}

bool prefix4_equal(const struct prefix4 *a, const struct prefix4 *b)
{
	return a->addr == b->addr && a->len == b->len;
}

/* Orders by address, then by length: the order `show ip route` prints. */
int prefix4_cmp(const struct prefix4 *a, const struct prefix4 *b)
{
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return 0;
}

/* ---- family-neutral ---- */

/* inet_pton(AF_INET6) accepts what RFC 4291 2.2 allows (and an embedded
 * dotted quad, parsed as strictly as ours); refuse anything outside the
 * alphabet first, so a zone ("%eth0"), spaces or a sign never get there. */
static int addr6_parse(const char *s, uint8_t out[16])
{
	const char *c;

	if (*s == '\0' || strlen(s) >= INET6_ADDRSTRLEN)
		return -1;
	for (c = s; *c != '\0'; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f') ||
		      (*c >= 'A' && *c <= 'F') || *c == ':' || *c == '.'))
			return -1;
	return inet_pton(AF_INET6, s, out) == 1 ? 0 : -1;
}

int ipaddr_parse_af(int af, const char *s, struct ipaddr *a)
{
	if (af == AF_INET) {
		uint32_t v4;

		if (addr4_parse(s, &v4) < 0)
			return -1;
		*a = ipaddr_v4(v4);
		return 0;
	}
	if (af == AF_INET6) {
		uint8_t v6[16];

		if (addr6_parse(s, v6) < 0)
			return -1;
		*a = ipaddr_v6(v6);
		return 0;
	}
	return -1;
}

int ipaddr_parse(const char *s, struct ipaddr *a)
{
	return ipaddr_parse_af(strchr(s, ':') != NULL ? AF_INET6 : AF_INET, s, a);
}

int prefix_parse(const char *s, struct prefix *p, bool *host_bits)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	struct ipaddr a;
	unsigned len = 0;
	int digits = 0;
	const char *c;
	size_t n;

	if (strchr(s, ':') == NULL) {
		struct prefix4 p4;

		if (prefix4_parse(s, &p4, host_bits) < 0)
			return -1;
		*p = prefix_from4(&p4);
		return 0;
	}
	if (slash == NULL || (n = (size_t)(slash - s)) >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (ipaddr_parse_af(AF_INET6, buf, &a) < 0)
		return -1;
	for (c = slash + 1; *c >= '0' && *c <= '9'; c++) {
		if (digits == 1 && len == 0)
			return -1; /* leading zero */
		len = len * 10 + (unsigned)(*c - '0');
		if (++digits > 3 || len > 128)
			return -1;
	}
	if (digits == 0 || *c != '\0')
		return -1;
	memset(p, 0, sizeof(*p));
	p->af = AF_INET6;
	p->len = (uint8_t)len;
	memcpy(p->v6, a.v6, 16);
	prefix_apply_mask(p);
	if (host_bits != NULL)
		*host_bits = memcmp(p->v6, a.v6, 16) != 0;
	return 0;
}

const char *ipaddr_ntop(const struct ipaddr *a, char *buf, size_t len)
{
	if (a->af == AF_INET)
		return addr4_ntop(a->v4, buf, len);
	if (a->af == AF_INET6 && inet_ntop(AF_INET6, a->v6, buf, (socklen_t)len) != NULL)
		return buf;
	if (len > 0)
		buf[0] = '\0';
	return buf;
}

const char *prefix_ntop(const struct prefix *p, char *buf, size_t len)
{
	struct ipaddr a = prefix_addr(p);
	char ab[IPADDR_STRLEN];

	if (p->af != AF_INET && p->af != AF_INET6) {
		if (len > 0)
			buf[0] = '\0';
		return buf;
	}
	snprintf(buf, len, "%s/%u", ipaddr_ntop(&a, ab, sizeof(ab)), p->len);
	return buf;
}

static void mask6(uint8_t *v6, unsigned len)
{
	unsigned i;

	for (i = 0; i < 16; i++) {
		if (len >= 8) {
			len -= 8;
			continue;
		}
		v6[i] &= (uint8_t)(0xff00u >> len);
		len = 0;
	}
}

void prefix_apply_mask(struct prefix *p)
{
	if (p->af == AF_INET)
		p->v4 &= prefix4_mask(p->len);
	else if (p->af == AF_INET6)
		mask6(p->v6, p->len);
}

bool prefix_contains(const struct prefix *p, const struct ipaddr *a)
{
	uint8_t x[16];
	unsigned i;

	if (p->af != a->af)
		return false;
	if (p->af == AF_INET)
		return ((a->v4 ^ p->v4) & prefix4_mask(p->len)) == 0;
	for (i = 0; i < 16; i++)
		x[i] = a->v6[i] ^ p->v6[i];
	mask6(x, p->len);
	for (i = 0; i < 16; i++)
		if (x[i] != 0)
			return false;
	return true;
}

struct ipaddr prefix_addr(const struct prefix *p)
{
	struct ipaddr a;

	memset(&a, 0, sizeof(a));
	a.af = p->af;
	if (p->af == AF_INET)
		a.v4 = p->v4;
	else if (p->af == AF_INET6)
		memcpy(a.v6, p->v6, 16);
	return a;
}

struct prefix prefix_host(const struct ipaddr *a)
{
	struct prefix p;

	memset(&p, 0, sizeof(p));
	p.af = a->af;
	p.len = (uint8_t)af_maxlen(a->af);
	if (a->af == AF_INET)
		p.v4 = a->v4;
	else if (a->af == AF_INET6)
		memcpy(p.v6, a->v6, 16);
	return p;
}

bool prefix_equal(const struct prefix *a, const struct prefix *b)
{
	return prefix_cmp(a, b) == 0;
}

int prefix_cmp(const struct prefix *a, const struct prefix *b)
{
	int c;

	if (a->af != b->af)
		return a->af == AF_INET ? -1 : b->af == AF_INET ? 1 : (a->af < b->af ? -1 : 1);
	if (a->af == AF_INET) {
		if (a->v4 != b->v4)
			return a->v4 < b->v4 ? -1 : 1;
	} else if (a->af == AF_INET6 && (c = memcmp(a->v6, b->v6, 16)) != 0) {
		return c < 0 ? -1 : 1;
	}
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return 0;
}

bool ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b)
{
	/* hot (next-hop and peer comparisons): no conversion to prefixes */
	if (a->af != b->af)
		return false;
	if (a->af == AF_INET)
		return a->v4 == b->v4;
	return a->af != AF_INET6 || memcmp(a->v6, b->v6, 16) == 0;
}

int ipaddr_cmp(const struct ipaddr *a, const struct ipaddr *b)
{
	struct prefix pa = prefix_host(a), pb = prefix_host(b);

	return prefix_cmp(&pa, &pb);
}

bool ipaddr_v4mapped(const struct ipaddr *a, uint32_t *v4)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (a->af != AF_INET6 || memcmp(a->v6, pfx, 12) != 0)
		return false;
	if (v4 != NULL)
		*v4 = (uint32_t)a->v6[12] << 24 | (uint32_t)a->v6[13] << 16 |
		      (uint32_t)a->v6[14] << 8 | a->v6[15];
	return true;
}

struct ipaddr ipaddr_v4mapped_make(uint32_t v4)
{
	uint8_t b[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
			  (uint8_t)(v4 >> 24), (uint8_t)(v4 >> 16), (uint8_t)(v4 >> 8), (uint8_t)v4 };

	return ipaddr_v6(b);
}

bool ipaddr_is_linklocal(const struct ipaddr *a)
{
	return a->af == AF_INET6 && a->v6[0] == 0xfe && (a->v6[1] & 0xc0) == 0x80;
}

static uint32_t fnv(uint32_t h, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

uint32_t prefix_hash(const struct prefix *p, uint32_t seed)
{
	uint8_t hdr[2] = { p->af, p->len };
	uint32_t h = fnv(seed ^ 2166136261u, hdr, 2);

	if (p->af == AF_INET)
		return fnv(h, (const uint8_t *)&p->v4, 4);
	return fnv(h, p->v6, p->af == AF_INET6 ? 16 : 0);
}

uint32_t ipaddr_hash(const struct ipaddr *a, uint32_t seed)
{
	struct prefix p = prefix_host(a);

	return prefix_hash(&p, seed);
}

unsigned prefix_common_bits(const struct prefix *a, const struct prefix *b)
{
	unsigned i;

	if (a->af == AF_INET) {
		uint32_t d = a->v4 ^ b->v4;

		return d ? (unsigned)__builtin_clz(d) : 32;
	}
	for (i = 0; i < 16; i++) {
		uint8_t d = a->v6[i] ^ b->v6[i];

		if (d != 0)
			return i * 8 + (unsigned)__builtin_clz((unsigned)d) - 24;
	}
	return 128;
}
