/* Route distinguishers (RFC 4364 4.2) and route-target / site-of-origin
 * extended communities (RFC 4360 4, RFC 5668), kept in wire format. */
#ifndef PE_RDRT_H
#define PE_RDRT_H

#include <stddef.h>
#include <stdint.h>

struct rd {
	uint8_t b[8]; /* type (2 bytes, network order) + 6-byte value */
};

struct ecomm {
	uint8_t b[8]; /* type, subtype, 6-byte value */
};

enum rd_type { RD_TYPE_AS2 = 0, RD_TYPE_IP = 1, RD_TYPE_AS4 = 2 };

#define ECOMM_SUB_RT 0x02
#define ECOMM_SUB_SOO 0x03

#define RD_STRLEN 24 /* "4294967295:65535", "255.255.255.255:65535" */

/* rdrt.c */
/* All parsers return 0 on success and -1 on error, with a human reason such
 * as "assigned number 70000 exceeds 65535 for a 4-octet AS" in err. Forms:
 *   ASN:NN   ASN <= 65535: type 0, NN <= 4294967295
 *            ASN >  65535: type 2 (ASN <= 4294967295), NN <= 65535
 *   A.B.C.D:NN   type 1, NN <= 65535 */
int rd_parse(const char *s, struct rd *rd, char *err, size_t errlen);
const char *rd_format(const struct rd *rd, char *buf, size_t len);
int rd_type(const struct rd *rd);
int rd_cmp(const struct rd *a, const struct rd *b);

/* subtype is ECOMM_SUB_RT or ECOMM_SUB_SOO; type bytes 0x00/0x01/0x02
 * (transitive two-octet AS, IPv4, four-octet AS specific). */
int ecomm_parse(const char *s, uint8_t subtype, struct ecomm *ec, char *err, size_t errlen);
/* Formats the value only ("65000:1"), as FRR prints RTs in `show` output. */
const char *ecomm_format(const struct ecomm *ec, char *buf, size_t len);
int ecomm_cmp(const struct ecomm *a, const struct ecomm *b);

#endif
