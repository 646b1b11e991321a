/* Addresses and prefixes: strict parsing, formatting, masks, ordering.
 *
 * struct ipaddr and struct prefix carry their family (after OpenBGPD's
 * struct bgpd_addr: one type for every family, so that adding a family is a
 * row in a table, not a new key type). They are what crosses module
 * boundaries: BGP prefixes and next hops, the VRF RIBs and the FIB hand-off,
 * label owners, the dataplane's next-hop groups, JSON output.
 *
 * IPv4 addresses are kept in host byte order inside the suite (wire and
 * kernel code converts at the boundary); IPv6 addresses are 16 bytes in
 * network byte order (struct in6_addr's layout), compared with memcmp.
 *
 * struct prefix4 and the addr4_ and prefix4_ functions stay for code that is
 * IPv4-only on purpose (LDP FECs, the IPv4 LPM, the IPv4 dataplane tables). */
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


/* ---- family-neutral ---- */

#include <string.h>
#include <sys/socket.h> /* AF_INET, AF_INET6 */

#define IPADDR_STRLEN 46 /* INET6_ADDRSTRLEN */
#define PREFIX_STRLEN 50 /* + "/128" */

/* af: AF_INET or AF_INET6, 0 for "no address". Unused bytes are zero when
 * built by the functions below, so equal values compare equal with memcmp
 * and hash alike; code that builds one by hand starts from {0}. */
struct ipaddr {
	uint8_t af;
	union {
		uint32_t v4;    /* host byte order */
		uint8_t v6[16]; /* network byte order */
	};
};

struct prefix {
	uint8_t af;
	uint8_t len; /* 0..32 or 0..128 */
	union {
		uint32_t v4;
		uint8_t v6[16];
	};
};

static inline struct ipaddr ipaddr_v4(uint32_t a)
{
	struct ipaddr r;

	memset(&r, 0, sizeof(r));
	r.af = AF_INET;
	r.v4 = a;
	return r;
}

static inline struct ipaddr ipaddr_v6(const uint8_t a[16])
{
	struct ipaddr r;

	memset(&r, 0, sizeof(r));
	r.af = AF_INET6;
	memcpy(r.v6, a, 16);
	return r;
}

static inline bool ipaddr_is_v4(const struct ipaddr *a)
{
	return a->af == AF_INET;
}

/* Unset, or the all-zero address of its family ("no gateway"). */
static inline bool ipaddr_is_zero(const struct ipaddr *a)
{
	static const uint8_t z[16];

	return a->af == 0 || (a->af == AF_INET ? a->v4 == 0 : memcmp(a->v6, z, 16) == 0);
}

/* ::1 and 127/8 */
static inline bool ipaddr_is_loopback(const struct ipaddr *a)
{
	static const uint8_t lo6[16] = { [15] = 1 };

	if (a->af == AF_INET)
		return (a->v4 >> 24) == 127;
	return a->af == AF_INET6 && memcmp(a->v6, lo6, 16) == 0;
}

/* ff00::/8 and 224/4 */
static inline bool ipaddr_is_multicast(const struct ipaddr *a)
{
	if (a->af == AF_INET)
		return (a->v4 >> 28) == 0xe;
	return a->af == AF_INET6 && a->v6[0] == 0xff;
}

static inline struct prefix prefix_v4(uint32_t addr, uint8_t len)
{
	struct prefix r;

	memset(&r, 0, sizeof(r));
	r.af = AF_INET;
	r.len = len;
	r.v4 = addr;
	return r;
}

static inline struct prefix prefix_from4(const struct prefix4 *p)
{
	return prefix_v4(p->addr, p->len);
}

/* The IPv4 view of an AF_INET prefix (callers check the family). */
static inline struct prefix4 prefix_to4(const struct prefix *p)
{
	struct prefix4 r = { p->v4, p->len };

	return r;
}

static inline unsigned af_maxlen(int af)
{
	return af == AF_INET6 ? 128 : 32;
}

/* Bit pos (0 = most significant) of p's address. */
static inline int prefix_bit(const struct prefix *p, unsigned pos)
{
	if (p->af == AF_INET)
		return (int)((p->v4 >> (31 - pos)) & 1);
	return (p->v6[pos / 8] >> (7 - pos % 8)) & 1;
}

static inline int ipaddr_bit(const struct ipaddr *a, unsigned pos)
{
	if (a->af == AF_INET)
		return (int)((a->v4 >> (31 - pos)) & 1);
	return (a->v6[pos / 8] >> (7 - pos % 8)) & 1;
}

/* Family index for per-family arrays: 0 IPv4, 1 IPv6. */
#define AFI_COUNT 2
static inline int af_index(int af)
{
	return af == AF_INET6 ? 1 : 0;
}

/* prefix.c */
/* How many leading address bits a and b (same family) share, at most
 * the family's length. */
unsigned prefix_common_bits(const struct prefix *a, const struct prefix *b);
/* Either family, by syntax: dotted quad, or RFC 4291 text (no zone, no
 * spaces); 0 or -1 (*a untouched). */
int ipaddr_parse(const char *s, struct ipaddr *a);
/* Only af's syntax (AF_INET or AF_INET6). */
int ipaddr_parse_af(int af, const char *s, struct ipaddr *a);
/* "A.B.C.D/M" or "X:X::X:X/M", strict as above; host bits are reported
 * through host_bits (optional) and cleared. */
int prefix_parse(const char *s, struct prefix *p, bool *host_bits);
/* IPv4 as dotted quad, IPv6 per RFC 5952 (inet_ntop), "" when unset. */
const char *ipaddr_ntop(const struct ipaddr *a, char *buf, size_t len);
const char *prefix_ntop(const struct prefix *p, char *buf, size_t len);
void prefix_apply_mask(struct prefix *p);
/* False when the families differ. */
bool prefix_contains(const struct prefix *p, const struct ipaddr *a);
/* p's address part as an address. */
struct ipaddr prefix_addr(const struct prefix *p);
/* The host prefix (/32, /128) of a. */
struct prefix prefix_host(const struct ipaddr *a);
bool prefix_equal(const struct prefix *a, const struct prefix *b);
/* Orders by family (IPv4 first), address, then length. */
int prefix_cmp(const struct prefix *a, const struct prefix *b);
bool ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b);
int ipaddr_cmp(const struct ipaddr *a, const struct ipaddr *b);
/* ::ffff:a.b.c.d (RFC 4291 2.5.5.2): the IPv4 address in *v4. */
bool ipaddr_v4mapped(const struct ipaddr *a, uint32_t *v4);
struct ipaddr ipaddr_v4mapped_make(uint32_t v4);
bool ipaddr_is_linklocal(const struct ipaddr *a); /* fe80::/10 */
/* FNV-1a over the family, length and address bytes. */
uint32_t prefix_hash(const struct prefix *p, uint32_t seed);
uint32_t ipaddr_hash(const struct ipaddr *a, uint32_t seed);

#endif
