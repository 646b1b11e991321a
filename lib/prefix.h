/* IPv4 addresses and prefixes: strict parsing, formatting, masks.
 * Addresses are kept in host byte order inside the suite; wire and kernel
 * code converts at the boundary. */
#ifndef PE_PREFIX_H
#define PE_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct prefix4 {
	uint32_t addr; /* host byte order, host bits zero after prefix4_apply_mask */
	uint8_t len;   /* 0..32 */
};

#define PREFIX4_STRLEN 19 /* "255.255.255.255/32" + NUL */
#define ADDR4_STRLEN 16

static inline uint32_t prefix4_mask(uint8_t len)
{
	return len == 0 ? 0 : (uint32_t)0xffffffffu << (32 - len);
}

/* prefix.c */
int addr4_parse(const char *s, uint32_t *out);
int prefix4_parse(const char *s, struct prefix4 *p, bool *host_bits);
const char *addr4_ntop(uint32_t a, char *buf, size_t len);
const char *prefix4_ntop(const struct prefix4 *p, char *buf, size_t len);
void prefix4_apply_mask(struct prefix4 *p);
bool prefix4_contains(const struct prefix4 *p, uint32_t addr);
bool prefix4_equal(const struct prefix4 *a, const struct prefix4 *b);
int prefix4_cmp(const struct prefix4 *a, const struct prefix4 *b);

#endif
