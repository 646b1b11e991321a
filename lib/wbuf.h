/* Bounded wire buffer: the one type every byte crossing a socket goes
 * through (after OpenBSD's ibuf). A wbuf is a window [0, len) over bytes
 * plus a read cursor; a writable wbuf also has a capacity limit.
 *
 * Readers (wbuf_get_*, wbuf_peek_*, wbuf_skip, wbuf_get_sub) consume from
 * the cursor, convert from network byte order, and return 0 on success or
 * -1 when fewer bytes are left than asked for. On -1 NOTHING changes: the
 * cursor stays where it was and the output argument is not written. Peer
 * input is never asserted on; decoders check the return and map it to the
 * protocol's error code.
 *
 * wbuf_get_sub() hands out a read-only view of the next n bytes (one TLV,
 * path attribute, capability) and advances the parent past them; a reader
 * of the view cannot see a byte outside it. A struct copy of a reading
 * wbuf is a valid look-ahead cursor: `struct wbuf la = *b;`.
 *
 * Writers (wbuf_put_*, wbuf_reserve) append in network byte order and
 * return 0 (wbuf_reserve: the offset) on success or -1 when the bytes do
 * not fit within the capacity limit (e.g. a 4096-byte BGP message) or the
 * buffer is read-only. On -1 the buffer is unchanged. A growable buffer
 * reallocates up to its limit; failed allocation is fatal (lib/log.c
 * xrealloc), as out-of-memory is not recoverable.
 *
 * Length fields are back-patched: reserve the field, write the body, then
 * store the length with wbuf_set_u16_at():
 *
 *	ssize_t off = wbuf_reserve(b, 2);
 *	if (off < 0 || encode_body(b) < 0)
 *		goto full;
 *	wbuf_set_u16_at(b, off, wbuf_len(b) - off - 2);
 *
 * Multi-field encoders that must be all-or-nothing save wbuf_len() first
 * and wbuf_truncate() back to it on failure.
 *
 * Three ways to make one:
 *	struct wbuf r = wbuf_from(pkt, pktlen);        read-only view
 *	struct wbuf w = wbuf_init_fixed(msg, 4096);     write into caller memory
 *	struct wbuf *g = wbuf_new(64); ... wbuf_free(g); growable, heap */
#ifndef PE_WBUF_H
#define PE_WBUF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Fields are private to wbuf.c; use the accessors. */
struct wbuf {
	const uint8_t *rbuf; /* data, for reading */
	uint8_t *wbuf;       /* same memory when writable, else NULL */
	size_t len;          /* bytes of data: [0, len) */
	size_t cap;          /* bytes of storage at wbuf */
	size_t max;          /* capacity limit (== cap unless growable) */
	size_t rpos;         /* read cursor, <= len */
	unsigned flags;
};

#define WBUF_GROWABLE 0x01 /* storage is ours (wbuf_new), realloc'd up to max */

/* wbuf.c */
/* Construction. wbuf_from() and wbuf_init_fixed() do not copy or own the
 * memory; the caller keeps it alive while the wbuf is used. A NULL pointer
 * with size 0 gives an empty buffer. */
struct wbuf wbuf_from(const void *data, size_t len);
struct wbuf wbuf_init_fixed(void *mem, size_t cap);
struct wbuf *wbuf_new(size_t initial);
struct wbuf *wbuf_new_max(size_t initial, size_t max);
void wbuf_free(struct wbuf *b); /* wbuf_new() buffers only; NULL is ignored */

/* Size and cursor. */
size_t wbuf_len(const struct wbuf *b);         /* bytes of data (written, or viewed) */
size_t wbuf_left(const struct wbuf *b);        /* unread bytes: len - cursor */
size_t wbuf_room(const struct wbuf *b);        /* bytes that can still be written */
size_t wbuf_rpos(const struct wbuf *b);        /* cursor offset from the start */
const void *wbuf_data(const struct wbuf *b);   /* first byte of data (to send it) */
const uint8_t *wbuf_cur(const struct wbuf *b); /* byte at the cursor; wbuf_left() valid */
void wbuf_rewind(struct wbuf *b);              /* cursor back to 0 */

/* Readers: 0, or -1 on a short read with cursor and *v untouched. */
int wbuf_get_u8(struct wbuf *b, uint8_t *v);
int wbuf_get_u16(struct wbuf *b, uint16_t *v);
int wbuf_get_u24(struct wbuf *b, uint32_t *v); /* 3 bytes, e.g. an NLRI label */
int wbuf_get_u32(struct wbuf *b, uint32_t *v);
int wbuf_get_u64(struct wbuf *b, uint64_t *v);
int wbuf_get_bytes(struct wbuf *b, void *dst, size_t n);
int wbuf_skip(struct wbuf *b, size_t n);
/* Read-only view of the next n bytes; parent advances by n. sub may be b
 * itself (narrow in place). On -1 neither is changed. */
int wbuf_get_sub(struct wbuf *b, struct wbuf *sub, size_t n);

/* Peeks: as the readers, at the cursor, without moving it. */
int wbuf_peek_u8(const struct wbuf *b, uint8_t *v);
int wbuf_peek_u16(const struct wbuf *b, uint16_t *v);
int wbuf_peek_u32(const struct wbuf *b, uint32_t *v);
int wbuf_peek_bytes(const struct wbuf *b, void *dst, size_t n);

/* Writers: 0, or -1 (buffer unchanged) when full or read-only. */
int wbuf_put_u8(struct wbuf *b, uint8_t v);
int wbuf_put_u16(struct wbuf *b, uint16_t v);
int wbuf_put_u24(struct wbuf *b, uint32_t v); /* low 24 bits */
int wbuf_put_u32(struct wbuf *b, uint32_t v);
int wbuf_put_u64(struct wbuf *b, uint64_t v);
int wbuf_put_bytes(struct wbuf *b, const void *src, size_t n);
int wbuf_put_zero(struct wbuf *b, size_t n);
/* Appends n zero bytes; returns their offset for wbuf_set_*_at(), or -1. */
ssize_t wbuf_reserve(struct wbuf *b, size_t n);

/* Back-patch bytes already written ([off, off + width) within wbuf_len()).
 * 0, or -1 (nothing written) when out of range or read-only. */
int wbuf_set_u8_at(struct wbuf *b, size_t off, uint8_t v);
int wbuf_set_u16_at(struct wbuf *b, size_t off, uint16_t v);
int wbuf_set_u32_at(struct wbuf *b, size_t off, uint32_t v);

/* Drop written bytes beyond len (undo a partial encoding); -1 if len is
 * beyond wbuf_len() or the buffer is read-only. The cursor is clamped. */
int wbuf_truncate(struct wbuf *b, size_t len);
/* Empty a writable buffer for reuse (length and cursor 0); a read-only
 * view is only rewound. */
void wbuf_reset(struct wbuf *b);

#endif
