/* BFD control packets: see wire.h. Written from RFC 5880 4.1-4.4 and
 * 6.8.6. */
#include "config.h"

#include <string.h>

#include "bfd/wire.h"
#include "lib/wbuf.h"

const char *bfd_err_str(enum bfd_err e)
{
	switch (e) {
	case BFD_OK:
		return "ok";
	case BFD_ERR_SHORT:
		return "shorter than the 24-byte mandatory section";
	case BFD_ERR_VERSION:
		return "version is not 1";
	case BFD_ERR_LENGTH:
		return "Length field below the minimum or beyond the packet";
	case BFD_ERR_DETECT_MULT:
		return "Detect Mult is zero";
	case BFD_ERR_MULTIPOINT:
		return "Multipoint (M) bit set";
	case BFD_ERR_MY_DISC:
		return "My Discriminator is zero";
	case BFD_ERR_YOUR_DISC:
		return "Your Discriminator is zero outside Down and AdminDown";
	case BFD_ERR_AUTH:
		return "authentication section missing or malformed";
	}
	return "?";
}

const char *bfd_state_str(uint8_t state)
{
	static const char *const s[] = { "admin-down", "down", "init", "up" };

	return state < 4 ? s[state] : "?";
}

const char *bfd_diag_str(uint8_t diag)
{
	static const char *const s[] = {
		"none",
		"control detection time expired",
		"echo function failed",
		"neighbor signaled session down",
		"forwarding plane reset",
		"path down",
		"concatenated path down",
		"administratively down",
		"reverse concatenated path down",
	};

	return diag < sizeof(s) / sizeof(s[0]) ? s[diag] : "reserved";
}

/* RFC 5880 4.2-4.4: the Auth Len each type allows */
static bool auth_len_ok(uint8_t type, uint8_t len)
{
	switch (type) {
	case BFD_AUTH_SIMPLE:
		return len >= 4 && len <= 19; /* 3 + a password of 1 to 16 bytes */
	case BFD_AUTH_KEYED_MD5:
	case BFD_AUTH_METICULOUS_MD5:
		return len == 24;
	case BFD_AUTH_KEYED_SHA1:
	case BFD_AUTH_METICULOUS_SHA1:
		return len == 28;
	default:
		return false; /* 0 and 6-255 are reserved */
	}
}

enum bfd_err bfd_decode(const uint8_t *buf, size_t len, struct bfd_ctl *c)
{
	struct wbuf r = wbuf_from(buf, len);
	uint8_t b0, b1, plen;

	if (len < BFD_HDR_LEN)
		return BFD_ERR_SHORT;
	memset(c, 0, sizeof(*c));
	if (wbuf_get_u8(&r, &b0) < 0 || wbuf_get_u8(&r, &b1) < 0 ||
	    wbuf_get_u8(&r, &c->detect_mult) < 0 || wbuf_get_u8(&r, &plen) < 0 ||
	    wbuf_get_u32(&r, &c->my_disc) < 0 || wbuf_get_u32(&r, &c->your_disc) < 0 ||
	    wbuf_get_u32(&r, &c->desired_min_tx) < 0 || wbuf_get_u32(&r, &c->required_min_rx) < 0 ||
	    wbuf_get_u32(&r, &c->required_min_echo_rx) < 0)
		return BFD_ERR_SHORT;
	c->version = b0 >> 5;
	c->diag = b0 & 0x1f;
	c->state = b1 >> 6;
	c->flags = b1 & 0x3f;
	/* RFC 5880 6.8.6, in its order */
	if (c->version != BFD_VERSION)
		return BFD_ERR_VERSION;
	if (plen < ((c->flags & BFD_F_AUTH) ? BFD_HDR_LEN + BFD_AUTH_HDR_LEN : BFD_HDR_LEN) ||
	    (size_t)plen > len)
		return BFD_ERR_LENGTH;
	if (c->detect_mult == 0)
		return BFD_ERR_DETECT_MULT;
	if (c->flags & BFD_F_MULTI)
		return BFD_ERR_MULTIPOINT;
	if (c->my_disc == 0)
		return BFD_ERR_MY_DISC;
	if (c->your_disc == 0 && c->state != BFD_DOWN && c->state != BFD_ADMIN_DOWN)
		return BFD_ERR_YOUR_DISC;
	if (c->flags & BFD_F_AUTH) {
		c->auth_type = buf[BFD_HDR_LEN];
		c->auth_len = buf[BFD_HDR_LEN + 1];
		if (BFD_HDR_LEN + (size_t)c->auth_len > plen || !auth_len_ok(c->auth_type, c->auth_len))
			return BFD_ERR_AUTH;
		c->auth = buf + BFD_HDR_LEN;
	}
	return BFD_OK;
}

size_t bfd_encode(const struct bfd_ctl *c, uint8_t *buf, size_t buflen)
{
	size_t n = BFD_HDR_LEN;
	struct wbuf w;

	if (c->flags & BFD_F_AUTH) {
		if (c->auth == NULL || c->auth_len < BFD_AUTH_HDR_LEN ||
		    c->auth_len > BFD_MAX_LEN - BFD_HDR_LEN)
			return 0;
		n += c->auth_len;
	}
	if (buflen < n)
		return 0;
	w = wbuf_init_fixed(buf, n);
	if (wbuf_put_u8(&w, (uint8_t)(BFD_VERSION << 5 | (c->diag & 0x1f))) < 0 ||
	    wbuf_put_u8(&w, (uint8_t)((c->state & 3) << 6 | (c->flags & 0x3f))) < 0 ||
	    wbuf_put_u8(&w, c->detect_mult) < 0 || wbuf_put_u8(&w, (uint8_t)n) < 0 ||
	    wbuf_put_u32(&w, c->my_disc) < 0 || wbuf_put_u32(&w, c->your_disc) < 0 ||
	    wbuf_put_u32(&w, c->desired_min_tx) < 0 || wbuf_put_u32(&w, c->required_min_rx) < 0 ||
	    wbuf_put_u32(&w, c->required_min_echo_rx) < 0 ||
	    ((c->flags & BFD_F_AUTH) && wbuf_put_bytes(&w, c->auth, c->auth_len) < 0)) /* type, length too */
		return 0;
	return n;
}
