#include "config.h"

/* BGP-4 message framing and the small messages: header check (RFC 4271
 * 4.1, 6.1), OPEN with Capabilities (RFC 4271 4.2, 6.2; RFC 5492; RFC 4760
 * 8; RFC 6793 (AS4); RFC 2918 route refresh, code 2 and the pre-standard
 * code 128 still sent by FRR; RFC 7313 enhanced route refresh recognized),
 * KEEPALIVE (4.4), NOTIFICATION (4.5), ROUTE-REFRESH (RFC 2918 3).
 *
 * Deviations / choices:
 *  - Extended optional parameters (RFC 9072) are not supported: an OPEN
 *    whose first optional parameter is the 255/255 marker gets "unsupported
 *    optional parameter" (2,4). We never send more than 255 bytes of them.
 *  - A malformed Capabilities parameter (truncated TLV, bad MP or AS4
 *    length) gets OPEN error subcode 0 (unspecific, RFC 4271 6.2 "an
 *    erroneous value"); unknown capabilities are ignored (RFC 5492 3).
 *  - The NOTIFICATION data that RFC 4271 6.1/6.2 asks for (the bad length,
 *    the bad type, the supported version) is not produced by the decoders:
 *    the caller has the header and builds it (see bgp_hdr_check()).
 *  - ROUTE-REFRESH with a body other than 4 bytes: bgp_route_refresh_decode()
 *    returns -1; RFC 7313 5 wants NOTIFICATION (7,1) for that.
 * Encoders write one whole message (header included) at the end of w and
 * leave w unchanged when it does not fit. bgp_hdr_finish() assumes the
 * message starts at offset 0 of w. */

#include <stdio.h>
#include <string.h>

#include "lib/wbuf.h"
#include "mpbgp/wire.h"

#define BGP_VERSION 4
#define BGP_AS_TRANS 23456
#define BGP_OPT_CAPABILITIES 2

#define CAPA_MP 1
#define CAPA_RR 2
#define CAPA_GR 64
#define CAPA_AS4 65
#define CAPA_ERR 70
#define CAPA_LLGR 71
#define CAPA_RR_OLD 128

/* ------------------------------------------------------------ names */

static const char *const err_names[] = {
	[0] = "Unknown error",
	[BGP_ERR_HEADER] = "Message Header Error",
	[BGP_ERR_OPEN] = "OPEN Message Error",
	[BGP_ERR_UPDATE] = "UPDATE Message Error",
	[BGP_ERR_HOLD] = "Hold Timer Expired",
	[BGP_ERR_FSM] = "Finite State Machine Error",
	[BGP_ERR_CEASE] = "Cease",
	[BGP_ERR_ROUTE_REFRESH] = "ROUTE-REFRESH Message Error",
};

static const char *const hdr_sub[] = {
	"Unspecific", "Connection Not Synchronized", "Bad Message Length",
	"Bad Message Type",
};
static const char *const open_sub[] = {
	"Unspecific", "Unsupported Version Number", "Bad Peer AS",
	"Bad BGP Identifier", "Unsupported Optional Parameter",
	"Authentication Failure", "Unacceptable Hold Time",
	"Unsupported Capability", "Deprecated", "Deprecated",
	"Deprecated", "Role Mismatch",
};
static const char *const upd_sub[] = {
	"Unspecific", "Malformed Attribute List",
	"Unrecognized Well-known Attribute", "Missing Well-known Attribute",
	"Attribute Flags Error", "Attribute Length Error", "Invalid ORIGIN Attribute",
	"AS Routing Loop", "Invalid NEXT_HOP Attribute", "Optional Attribute Error",
	"Invalid Network Field", "Malformed AS_PATH",
};
static const char *const fsm_sub[] = {
	"Unspecified Error", "Receive Unexpected Message in OpenSent State",
	"Receive Unexpected Message in OpenConfirm State",
	"Receive Unexpected Message in Established State",
};
static const char *const cease_sub[] = {
	"Unspecific", "Maximum Number of Prefixes Reached", "Administrative Shutdown",
	"Peer De-configured", "Administrative Reset", "Connection Rejected",
	"Other Configuration Change", "Connection Collision Resolution",
	"Out of Resources", "Hard Reset", "BFD Down",
};
static const char *const rr_sub[] = { "Reserved", "Invalid Message Length" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *const *names;
	size_t n;
} sub_names[] = {
	[BGP_ERR_HEADER] = { hdr_sub, NELEM(hdr_sub) },
	[BGP_ERR_OPEN] = { open_sub, NELEM(open_sub) },
	[BGP_ERR_UPDATE] = { upd_sub, NELEM(upd_sub) },
	[BGP_ERR_FSM] = { fsm_sub, NELEM(fsm_sub) },
	[BGP_ERR_CEASE] = { cease_sub, NELEM(cease_sub) },
	[BGP_ERR_ROUTE_REFRESH] = { rr_sub, NELEM(rr_sub) },
};

const char *bgp_err_name(uint8_t code)
{
	if (code >= NELEM(err_names) || err_names[code] == NULL)
		return "Unknown error";
	return err_names[code];
}

const char *bgp_suberr_name(uint8_t code, uint8_t subcode)
{
	if (code >= NELEM(sub_names) || sub_names[code].names == NULL)
		return subcode == 0 ? "Unspecific" : "Unknown subcode";
	if (subcode >= sub_names[code].n)
		return "Unknown subcode";
	return sub_names[code].names[subcode];
}

/* ------------------------------------------------------------ header */

/* RFC 4271 4.1 and 6.1: the smallest legal length of each type; KEEPALIVE
 * is exactly 19. ROUTE-REFRESH (RFC 2918 3) has a 4-byte body. */
static const struct {
	uint16_t min, max;
} type_len[] = {
	[BGP_MSG_OPEN] = { 29, BGP_MAX_MSG },
	[BGP_MSG_UPDATE] = { 23, BGP_MAX_MSG },
	[BGP_MSG_NOTIFICATION] = { 21, BGP_MAX_MSG },
	[BGP_MSG_KEEPALIVE] = { 19, 19 },
	[BGP_MSG_ROUTE_REFRESH] = { 23, BGP_MAX_MSG },
};

int bgp_hdr_check(const uint8_t *buf, uint16_t *len, uint8_t *type, uint8_t *code,
		  uint8_t *subcode, char *err, size_t errlen)
{
	struct wbuf b = wbuf_from(buf, BGP_HDR_LEN);
	uint8_t marker[16];
	uint16_t l;
	uint8_t t;
	size_t i;

	if (wbuf_get_bytes(&b, marker, sizeof(marker)) == -1 || wbuf_get_u16(&b, &l) == -1 ||
	    wbuf_get_u8(&b, &t) == -1)
		goto bad_len; /* cannot happen: buf holds 19 bytes */
	*len = l;
	*type = t;
	for (i = 0; i < sizeof(marker); i++) {
		if (marker[i] != 0xff) {
			snprintf(err, errlen, "header: marker is not all ones");
			*code = BGP_ERR_HEADER;
			*subcode = BGP_HDR_SYNC;
			return -1;
		}
	}
	if (l < BGP_HDR_LEN || l > BGP_MAX_MSG) {
		snprintf(err, errlen, "header: length %u outside 19..4096", l);
		goto bad_len;
	}
	if (t < BGP_MSG_OPEN || t >= NELEM(type_len)) {
		snprintf(err, errlen, "header: unknown message type %u", t);
		*code = BGP_ERR_HEADER;
		*subcode = BGP_HDR_BAD_TYPE;
		return -1;
	}
	if (l < type_len[t].min || l > type_len[t].max) {
		snprintf(err, errlen, "header: length %u invalid for type %u (%u..%u)", l, t,
			 type_len[t].min, type_len[t].max);
		goto bad_len;
	}
	return 0;

bad_len:
	*code = BGP_ERR_HEADER;
	*subcode = BGP_HDR_BAD_LEN;
	return -1;
}

void bgp_hdr_put(struct wbuf *w, uint8_t type)
{
	static const uint8_t marker[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	size_t start = wbuf_len(w);

	if (wbuf_put_bytes(w, marker, sizeof(marker)) == -1 || wbuf_put_u16(w, 0) == -1 ||
	    wbuf_put_u8(w, type) == -1)
		wbuf_truncate(w, start);
}

int bgp_hdr_finish(struct wbuf *w)
{
	size_t len = wbuf_len(w);

	if (len < BGP_HDR_LEN || len > BGP_MAX_MSG)
		return -1;
	return wbuf_set_u16_at(w, 16, (uint16_t)len);
}

/* Header at offset start (messages after the first in one buffer). */
static int hdr_begin(struct wbuf *w, uint8_t type, size_t *start)
{
	*start = wbuf_len(w);
	bgp_hdr_put(w, type);
	return wbuf_len(w) == *start + BGP_HDR_LEN ? 0 : -1;
}

static int hdr_end(struct wbuf *w, size_t start)
{
	size_t len = wbuf_len(w) - start;

	if (len > BGP_MAX_MSG) {
		wbuf_truncate(w, start);
		return -1;
	}
	return wbuf_set_u16_at(w, start + 16, (uint16_t)len);
}

/* ------------------------------------------------------------ OPEN */

/* One capability TLV (RFC 5492 4); -1 with *subcode on an erroneous value. */
static int capa_decode(uint8_t ccode, struct wbuf *v, struct bgp_capa *c, uint8_t *subcode,
		       char *err, size_t errlen)
{
	uint16_t afi;
	uint8_t res, safi;
	uint32_t asn;
	int af;

	switch (ccode) {
	case CAPA_MP: /* RFC 4760 8 */
		if (wbuf_left(v) != 4 || wbuf_get_u16(v, &afi) == -1 ||
		    wbuf_get_u8(v, &res) == -1 || wbuf_get_u8(v, &safi) == -1)
			goto bad_len;
		af = bgp_af_from_afisafi(afi, safi);
		if (af >= 0)
			c->mp[af] = true;
		else if (afi == BGP_AFI_IPV4 && safi == BGP_SAFI_RTC)
			c->rtc = true;
		return 0;
	case CAPA_GR: { /* RFC 4724 3: flags and time, then AFI/SAFI/flags per family */
		uint16_t ft;
		uint8_t fl;

		if (wbuf_left(v) < 2 || (wbuf_left(v) - 2) % 4 != 0 || wbuf_get_u16(v, &ft) == -1)
			goto bad_len;
		c->gr = true; /* RFC 4724 3: only the last instance counts */
		memset(c->gr_af, 0, sizeof(c->gr_af));
		memset(c->gr_fwd, 0, sizeof(c->gr_fwd));
		c->gr_restarting = (ft & 0x8000) != 0;
		c->gr_notification = (ft & 0x4000) != 0;
		c->gr_time = ft & 0x0fff;
		while (wbuf_left(v) >= 4) {
			wbuf_get_u16(v, &afi);
			wbuf_get_u8(v, &safi);
			wbuf_get_u8(v, &fl);
			af = bgp_af_from_afisafi(afi, safi);
			if (af >= 0) { /* other families (RTC, ...) are not kept */
				c->gr_af[af] = true;
				c->gr_fwd[af] = (fl & 0x80) != 0;
			}
		}
		return 0;
	}
	case CAPA_LLGR: { /* RFC 9494 3: AFI, SAFI, flags, 24-bit stale time per family */
		uint32_t t;
		uint8_t fl;

		if (wbuf_left(v) % 7 != 0)
			goto bad_len;
		c->llgr = true; /* as GR: the last instance counts */
		memset(c->llgr_af, 0, sizeof(c->llgr_af));
		memset(c->llgr_fwd, 0, sizeof(c->llgr_fwd));
		memset(c->llgr_time, 0, sizeof(c->llgr_time));
		while (wbuf_left(v) >= 7) {
			wbuf_get_u16(v, &afi);
			wbuf_get_u8(v, &safi);
			wbuf_get_u8(v, &fl);
			wbuf_get_u24(v, &t);
			af = bgp_af_from_afisafi(afi, safi);
			if (af >= 0) {
				c->llgr_af[af] = true;
				c->llgr_fwd[af] = (fl & 0x80) != 0;
				c->llgr_time[af] = t;
			}
		}
		return 0;
	}
	case CAPA_RR:
	case CAPA_RR_OLD: /* RFC 2918 2: length 0 */
		if (wbuf_left(v) != 0)
			goto bad_len;
		c->route_refresh = true;
		return 0;
	case CAPA_ERR:
		if (wbuf_left(v) != 0)
			goto bad_len;
		c->enhanced_rr = true;
		return 0;
	case CAPA_AS4: /* RFC 6793 3 */
		if (wbuf_left(v) != 4 || wbuf_get_u32(v, &asn) == -1)
			goto bad_len;
		if (asn == 0) {
			snprintf(err, errlen, "OPEN: 4-octet AS capability carries AS 0");
			*subcode = BGP_OPEN_BAD_PEER_AS;
			return -1;
		}
		c->as4 = true;
		c->as4_asn = asn;
		return 0;
	default: /* RFC 5492 3: ignore what we do not know */
		return 0;
	}

bad_len:
	snprintf(err, errlen, "OPEN: capability %u has bad length %zu", ccode, wbuf_left(v));
	*subcode = 0;
	return -1;
}

int bgp_open_decode(const uint8_t *body, size_t len, struct bgp_open *o, uint8_t *code,
		    uint8_t *subcode, char *err, size_t errlen)
{
	struct wbuf b = wbuf_from(body, len), params, p, cv;
	uint8_t optlen, ptype, plen, ccode, clen;

	memset(o, 0, sizeof(*o));
	*code = BGP_ERR_OPEN;
	if (wbuf_get_u8(&b, &o->version) == -1 || wbuf_get_u16(&b, &o->my_as) == -1 ||
	    wbuf_get_u16(&b, &o->holdtime) == -1 || wbuf_get_u32(&b, &o->bgp_id) == -1 ||
	    wbuf_get_u8(&b, &optlen) == -1) {
		snprintf(err, errlen, "OPEN: %zu bytes is too short", len);
		goto bad_len;
	}
	/* RFC 4271 6.2 */
	if (o->version != BGP_VERSION) {
		snprintf(err, errlen, "OPEN: unsupported version %u", o->version);
		*subcode = BGP_OPEN_UNSUP_VERSION;
		return -1;
	}
	if (o->holdtime == 1 || o->holdtime == 2) {
		snprintf(err, errlen, "OPEN: unacceptable hold time %u", o->holdtime);
		*subcode = BGP_OPEN_BAD_HOLD;
		return -1;
	}
	if (o->bgp_id == 0 || o->bgp_id == 0xffffffffu || (o->bgp_id >> 28) >= 0xe) {
		/* not a valid unicast host address */
		snprintf(err, errlen, "OPEN: bad BGP identifier 0x%08x", o->bgp_id);
		*subcode = BGP_OPEN_BAD_BGP_ID;
		return -1;
	}
	if (optlen == 255 && wbuf_peek_u8(&b, &ptype) == 0 && ptype == 255) {
		snprintf(err, errlen, "OPEN: extended optional parameters (RFC 9072)");
		*subcode = BGP_OPEN_UNSUP_PARAM;
		return -1;
	}
	if (optlen != wbuf_left(&b) || wbuf_get_sub(&b, &params, optlen) == -1) {
		snprintf(err, errlen, "OPEN: optional parameters length %u, %zu bytes follow",
			 optlen, wbuf_left(&b));
		goto bad_len;
	}
	while (wbuf_left(&params) > 0) {
		if (wbuf_get_u8(&params, &ptype) == -1 || wbuf_get_u8(&params, &plen) == -1 ||
		    wbuf_get_sub(&params, &p, plen) == -1) {
			snprintf(err, errlen, "OPEN: truncated optional parameter");
			goto bad_len;
		}
		if (ptype != BGP_OPT_CAPABILITIES) {
			/* includes the RFC 9072 extended-length marker 255 */
			snprintf(err, errlen, "OPEN: unsupported optional parameter %u", ptype);
			*subcode = BGP_OPEN_UNSUP_PARAM;
			return -1;
		}
		o->has_capabilities = true;
		while (wbuf_left(&p) > 0) {
			if (wbuf_get_u8(&p, &ccode) == -1 || wbuf_get_u8(&p, &clen) == -1 ||
			    wbuf_get_sub(&p, &cv, clen) == -1) {
				snprintf(err, errlen, "OPEN: truncated capability");
				goto bad_len;
			}
			if (capa_decode(ccode, &cv, &o->capa, subcode, err, errlen) == -1)
				return -1;
		}
	}
	return 0;

bad_len:
	/* RFC 4271 6.2 has no length subcode for OPEN: Unspecific */
	*subcode = 0;
	return -1;
}

static int capa_put(struct wbuf *w, uint8_t ccode, const void *val, uint8_t len)
{
	if (wbuf_put_u8(w, ccode) == -1 || wbuf_put_u8(w, len) == -1 ||
	    wbuf_put_bytes(w, val, len) == -1)
		return -1;
	return 0;
}

int bgp_open_encode(struct wbuf *w, uint32_t my_as, uint16_t holdtime, uint32_t bgp_id,
		    const struct bgp_capa *capa)
{
	size_t start;
	ssize_t optoff, poff;
	int af;

	if (hdr_begin(w, BGP_MSG_OPEN, &start) == -1)
		return -1;
	if (wbuf_put_u8(w, BGP_VERSION) == -1 ||
	    wbuf_put_u16(w, my_as > 0xffff ? BGP_AS_TRANS : (uint16_t)my_as) == -1 ||
	    wbuf_put_u16(w, holdtime) == -1 || wbuf_put_u32(w, bgp_id) == -1 ||
	    (optoff = wbuf_reserve(w, 1)) < 0)
		goto fail;
	if (capa != NULL) {
		/* one Capabilities parameter carrying all of them (as FRR) */
		if (wbuf_put_u8(w, BGP_OPT_CAPABILITIES) == -1 || (poff = wbuf_reserve(w, 1)) < 0)
			goto fail;
		for (af = 0; af < BGP_AF_MAX; af++) {
			uint8_t v[4];

			if (!capa->mp[af])
				continue;
			v[0] = (uint8_t)(bgp_af_table[af].afi >> 8);
			v[1] = (uint8_t)bgp_af_table[af].afi;
			v[2] = 0;
			v[3] = bgp_af_table[af].safi;
			if (capa_put(w, CAPA_MP, v, 4) == -1)
				goto fail;
		}
		if (capa->rtc) {
			uint8_t v[4] = { 0, BGP_AFI_IPV4, 0, BGP_SAFI_RTC };

			if (capa_put(w, CAPA_MP, v, 4) == -1)
				goto fail;
		}
		if (capa->route_refresh &&
		    (capa_put(w, CAPA_RR, NULL, 0) == -1 || capa_put(w, CAPA_RR_OLD, NULL, 0) == -1))
			goto fail;
		if (capa->gr) {
			uint8_t v[2 + 4 * BGP_AF_MAX];
			size_t vl = 2;
			uint16_t ft = (uint16_t)((capa->gr_restarting ? 0x8000 : 0) |
						 (capa->gr_notification ? 0x4000 : 0) | (capa->gr_time & 0x0fff));

			v[0] = (uint8_t)(ft >> 8);
			v[1] = (uint8_t)ft;
			for (af = 0; af < BGP_AF_MAX; af++) {
				if (!capa->gr_af[af])
					continue;
				v[vl++] = (uint8_t)(bgp_af_table[af].afi >> 8);
				v[vl++] = (uint8_t)bgp_af_table[af].afi;
				v[vl++] = bgp_af_table[af].safi;
				v[vl++] = capa->gr_fwd[af] ? 0x80 : 0;
			}
			if (capa_put(w, CAPA_GR, v, (uint8_t)vl) == -1)
				goto fail;
		}
		if (capa->llgr) {
			uint8_t v[7 * BGP_AF_MAX];
			size_t vl = 0;

			for (af = 0; af < BGP_AF_MAX; af++) {
				if (!capa->llgr_af[af])
					continue;
				v[vl++] = (uint8_t)(bgp_af_table[af].afi >> 8);
				v[vl++] = (uint8_t)bgp_af_table[af].afi;
				v[vl++] = bgp_af_table[af].safi;
				v[vl++] = capa->llgr_fwd[af] ? 0x80 : 0;
				v[vl++] = (uint8_t)(capa->llgr_time[af] >> 16);
				v[vl++] = (uint8_t)(capa->llgr_time[af] >> 8);
				v[vl++] = (uint8_t)capa->llgr_time[af];
			}
			if (capa_put(w, CAPA_LLGR, v, (uint8_t)vl) == -1)
				goto fail;
		}
		if (capa->as4) {
			uint8_t v[4] = { (uint8_t)(my_as >> 24), (uint8_t)(my_as >> 16),
					 (uint8_t)(my_as >> 8), (uint8_t)my_as };

			if (capa_put(w, CAPA_AS4, v, 4) == -1)
				goto fail;
		}
		if (wbuf_len(w) - (size_t)poff - 1 > 255)
			goto fail;
		wbuf_set_u8_at(w, (size_t)poff, (uint8_t)(wbuf_len(w) - (size_t)poff - 1));
	}
	if (wbuf_len(w) - (size_t)optoff - 1 > 255)
		goto fail;
	wbuf_set_u8_at(w, (size_t)optoff, (uint8_t)(wbuf_len(w) - (size_t)optoff - 1));
	return hdr_end(w, start);

fail:
	wbuf_truncate(w, start);
	return -1;
}

/* ------------------------------------------------------------ KEEPALIVE, NOTIFICATION, ROUTE-REFRESH */

int bgp_keepalive_encode(struct wbuf *w)
{
	size_t start;

	if (hdr_begin(w, BGP_MSG_KEEPALIVE, &start) == -1)
		return -1;
	return hdr_end(w, start);
}

int bgp_notification_encode(struct wbuf *w, uint8_t code, uint8_t subcode, const uint8_t *data,
			    size_t datalen)
{
	size_t start;

	if (hdr_begin(w, BGP_MSG_NOTIFICATION, &start) == -1)
		return -1;
	if (datalen > BGP_MAX_MSG - BGP_HDR_LEN - 2 || wbuf_put_u8(w, code) == -1 ||
	    wbuf_put_u8(w, subcode) == -1 || (datalen > 0 && wbuf_put_bytes(w, data, datalen) == -1)) {
		wbuf_truncate(w, start);
		return -1;
	}
	return hdr_end(w, start);
}

int bgp_notification_decode(const uint8_t *body, size_t len, uint8_t *code, uint8_t *subcode,
			    const uint8_t **data, size_t *datalen)
{
	struct wbuf b = wbuf_from(body, len);

	if (wbuf_get_u8(&b, code) == -1 || wbuf_get_u8(&b, subcode) == -1)
		return -1;
	*datalen = wbuf_left(&b);
	*data = *datalen > 0 ? wbuf_cur(&b) : NULL;
	return 0;
}

int bgp_route_refresh_encode(struct wbuf *w, enum bgp_af af)
{
	size_t start;

	if ((unsigned)af >= BGP_AF_MAX || hdr_begin(w, BGP_MSG_ROUTE_REFRESH, &start) == -1)
		return -1;
	/* RFC 2918 3: AFI, reserved (RFC 7313 subtype 0 = normal request), SAFI */
	if (wbuf_put_u16(w, bgp_af_table[af].afi) == -1 || wbuf_put_u8(w, 0) == -1 ||
	    wbuf_put_u8(w, bgp_af_table[af].safi) == -1) {
		wbuf_truncate(w, start);
		return -1;
	}
	return hdr_end(w, start);
}

int bgp_route_refresh_decode(const uint8_t *body, size_t len, int *af)
{
	struct wbuf b = wbuf_from(body, len);
	uint16_t afi;
	uint8_t subtype, safi;

	/* RFC 7313 5: the body is exactly 4 bytes */
	if (len != 4 || wbuf_get_u16(&b, &afi) == -1 || wbuf_get_u8(&b, &subtype) == -1 ||
	    wbuf_get_u8(&b, &safi) == -1)
		return -1;
	/* RFC 7313 3: BoRR (1) / EoRR (2) markers are not requests: af -1 */
	*af = subtype == 0 ? bgp_af_from_afisafi(afi, safi) : -1;
	return 0;
}
