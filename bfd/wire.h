/* BFD control packets (RFC 5880 4.1, 4.2-4.4; UDP transport RFC 5881
 * single-hop, RFC 5883 multi-hop): decoding with the reception checks of
 * RFC 5880 6.8.6 that need only the packet, and encoding. Nothing here owns
 * a socket or a session: the caller checks what needs one (the TTL/hop
 * limit of 255 for single-hop, RFC 5881 5; the session of Your
 * Discriminator; whether authentication is configured) and runs the state
 * machine.
 *
 * A packet that fails a check is discarded: bfd_decode() says which check
 * (enum bfd_err, bfd_err_str() for the log), never more than the packet
 * holds. */
#ifndef PE_BFD_WIRE_H
#define PE_BFD_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BFD_PORT_SINGLE 3784    /* RFC 5881 4 */
#define BFD_PORT_ECHO 3785      /* RFC 5881 4 */
#define BFD_PORT_MULTI 4784     /* RFC 5883 2 */
#define BFD_VERSION 1
#define BFD_HDR_LEN 24          /* the mandatory section */
#define BFD_AUTH_HDR_LEN 2      /* Auth Type, Auth Len */
#define BFD_MAX_LEN (BFD_HDR_LEN + 28) /* the longest auth section: SHA1, 28 bytes */
#define BFD_TTL 255             /* RFC 5881 5 (GTSM) */

enum bfd_state { BFD_ADMIN_DOWN = 0, BFD_DOWN = 1, BFD_INIT = 2, BFD_UP = 3 };

/* RFC 5880 4.1 diagnostic codes */
enum bfd_diag {
	BFD_DIAG_NONE = 0,
	BFD_DIAG_TIME_EXPIRED = 1,
	BFD_DIAG_ECHO_FAILED = 2,
	BFD_DIAG_NEIGHBOR_DOWN = 3,
	BFD_DIAG_FWD_RESET = 4,
	BFD_DIAG_PATH_DOWN = 5,
	BFD_DIAG_CONCAT_PATH_DOWN = 6,
	BFD_DIAG_ADMIN_DOWN = 7,
	BFD_DIAG_REV_CONCAT_PATH_DOWN = 8,
};

/* RFC 5880 4.1 flags (the byte after version/diag, without the state) */
#define BFD_F_POLL 0x20
#define BFD_F_FINAL 0x10
#define BFD_F_CPI 0x08    /* control plane independent */
#define BFD_F_AUTH 0x04
#define BFD_F_DEMAND 0x02
#define BFD_F_MULTI 0x01  /* multipoint: reserved, must be zero */

/* RFC 5880 4.2-4.4 authentication types */
enum bfd_auth_type {
	BFD_AUTH_NONE = 0,
	BFD_AUTH_SIMPLE = 1,
	BFD_AUTH_KEYED_MD5 = 2,
	BFD_AUTH_METICULOUS_MD5 = 3,
	BFD_AUTH_KEYED_SHA1 = 4,
	BFD_AUTH_METICULOUS_SHA1 = 5,
};

struct bfd_ctl {
	uint8_t version;
	uint8_t diag;            /* enum bfd_diag (0-31 on the wire) */
	uint8_t state;           /* enum bfd_state */
	uint8_t flags;           /* BFD_F_* */
	uint8_t detect_mult;
	uint32_t my_disc, your_disc;
	uint32_t desired_min_tx;  /* microseconds */
	uint32_t required_min_rx; /* microseconds */
	uint32_t required_min_echo_rx;
	/* with BFD_F_AUTH: the section as received (checked for its framing
	 * only; verifying it is the session's business) */
	uint8_t auth_type;       /* enum bfd_auth_type */
	uint8_t auth_len;        /* Auth Len: the whole section, header included */
	const uint8_t *auth;     /* into the decoded buffer: auth_len bytes */
};

enum bfd_err {
	BFD_OK = 0,
	BFD_ERR_SHORT,         /* fewer bytes than the mandatory section */
	BFD_ERR_VERSION,       /* version is not 1 */
	BFD_ERR_LENGTH,        /* Length below 24 (26 with A), or above the bytes received */
	BFD_ERR_DETECT_MULT,   /* Detect Mult is zero */
	BFD_ERR_MULTIPOINT,    /* M bit set */
	BFD_ERR_MY_DISC,       /* My Discriminator is zero */
	BFD_ERR_YOUR_DISC,     /* Your Discriminator zero outside Down and AdminDown */
	BFD_ERR_AUTH,          /* A bit: auth section absent, its length or type wrong */
};

const char *bfd_err_str(enum bfd_err e);
const char *bfd_state_str(uint8_t state);
const char *bfd_diag_str(uint8_t diag);

/* Decodes buf[0..len) (a UDP payload). BFD_OK: *c filled (c->auth points
 * into buf); anything else: the packet must be discarded, *c undefined.
 * Bytes after Length are ignored (RFC 5880 6.8.6 allows padding below). */
enum bfd_err bfd_decode(const uint8_t *buf, size_t len, struct bfd_ctl *c);

/* Encodes c (version 1, Length from the auth section) into buf: the bytes
 * written, or 0 if buflen is too small or the auth section does not fit
 * (auth_len < 2 or > 28 with BFD_F_AUTH). */
size_t bfd_encode(const struct bfd_ctl *c, uint8_t *buf, size_t buflen);

#endif
