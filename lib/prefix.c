/* Strict IPv4 address/prefix parsing: dotted quad only, every octet 0..255,
 * no leading '+', no spaces, no trailing garbage, length 0..32. Leading
 * zeros ("01.2.3.4", "10.0.0.0/08") are rejected, as glibc inet_pton does:
 * inet_aton() and iproute2 read "010" as octal 8, so accepting it as
 * decimal would make one config line mean two different addresses. */
#include "config.h"

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
