/* Bounded wire buffer (see wbuf.h). Every reader checks the length before
 * it touches a byte and changes state only after the check; every writer
 * checks the capacity the same way. Sizes are compared by subtraction
 * (n > len - rpos), never by addition, so a huge n cannot wrap. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/wbuf.h"

/* Offsets are returned as ssize_t, so no buffer may grow past SSIZE_MAX. */
#define WBUF_MAX_LIMIT ((size_t)SSIZE_MAX)

struct wbuf wbuf_from(const void *data, size_t len)
{
	struct wbuf b;

	memset(&b, 0, sizeof(b));
	b.rbuf = data;
	b.len = data != NULL ? len : 0;
	return b;
}

struct wbuf wbuf_init_fixed(void *mem, size_t cap)
{
	struct wbuf b;

	memset(&b, 0, sizeof(b));
	if (mem == NULL)
		cap = 0;
	if (cap > WBUF_MAX_LIMIT)
		cap = WBUF_MAX_LIMIT;
	b.rbuf = mem;
	b.wbuf = mem;
	b.cap = cap;
	b.max = cap;
	return b;
}

struct wbuf *wbuf_new_max(size_t initial, size_t max)
{
	struct wbuf *b = xcalloc(1, sizeof(*b));

	if (max > WBUF_MAX_LIMIT)
		max = WBUF_MAX_LIMIT;
	if (initial > max)
		initial = max;
	if (initial == 0)
		initial = max < 64 ? max : 64;
	/* malloc(0) may return NULL; always keep a real allocation. */
	b->wbuf = xmalloc(initial > 0 ? initial : 1);
	b->rbuf = b->wbuf;
	b->cap = initial;
	b->max = max;
	b->flags = WBUF_GROWABLE;
	return b;
}

struct wbuf *wbuf_new(size_t initial)
{
	return wbuf_new_max(initial, WBUF_MAX_LIMIT);
}

void wbuf_free(struct wbuf *b)
{
	if (b == NULL)
		return;
	if (b->flags & WBUF_GROWABLE)
		free(b->wbuf);
	free(b);
}

size_t wbuf_len(const struct wbuf *b)
{
	return b->len;
}

size_t wbuf_left(const struct wbuf *b)
{
	return b->len - b->rpos;
}

size_t wbuf_room(const struct wbuf *b)
{
	return b->wbuf != NULL ? b->max - b->len : 0;
}

size_t wbuf_rpos(const struct wbuf *b)
{
	return b->rpos;
}

const void *wbuf_data(const struct wbuf *b)
{
	return b->rbuf;
}

const uint8_t *wbuf_cur(const struct wbuf *b)
{
	return b->rbuf != NULL ? b->rbuf + b->rpos : NULL;
}

void wbuf_rewind(struct wbuf *b)
{
	b->rpos = 0;
}

/* ---- readers ---- */

/* 0 if at least n bytes are unread, else -1. */
static int wbuf_need(const struct wbuf *b, size_t n)
{
	return n > b->len - b->rpos ? -1 : 0;
}

static uint16_t load16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t load24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int wbuf_peek_u8(const struct wbuf *b, uint8_t *v)
{
	if (wbuf_need(b, 1) == -1)
		return -1;
	*v = *wbuf_cur(b);
	return 0;
}

int wbuf_peek_u16(const struct wbuf *b, uint16_t *v)
{
	if (wbuf_need(b, 2) == -1)
		return -1;
	*v = load16(wbuf_cur(b));
	return 0;
}

int wbuf_peek_u32(const struct wbuf *b, uint32_t *v)
{
	if (wbuf_need(b, 4) == -1)
		return -1;
	*v = load32(wbuf_cur(b));
	return 0;
}

int wbuf_peek_bytes(const struct wbuf *b, void *dst, size_t n)
{
	if (wbuf_need(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(dst, wbuf_cur(b), n);
	return 0;
}

int wbuf_get_u8(struct wbuf *b, uint8_t *v)
{
	if (wbuf_peek_u8(b, v) == -1)
		return -1;
	b->rpos += 1;
	return 0;
}

int wbuf_get_u16(struct wbuf *b, uint16_t *v)
{
	if (wbuf_peek_u16(b, v) == -1)
		return -1;
	b->rpos += 2;
	return 0;
}

int wbuf_get_u24(struct wbuf *b, uint32_t *v)
{
	if (wbuf_need(b, 3) == -1)
		return -1;
	*v = load24(wbuf_cur(b));
	b->rpos += 3;
	return 0;
}

int wbuf_get_u32(struct wbuf *b, uint32_t *v)
{
	if (wbuf_peek_u32(b, v) == -1)
		return -1;
	b->rpos += 4;
	return 0;
}

int wbuf_get_u64(struct wbuf *b, uint64_t *v)
{
	const uint8_t *p;

	if (wbuf_need(b, 8) == -1)
		return -1;
	p = wbuf_cur(b);
	*v = (uint64_t)load32(p) << 32 | load32(p + 4);
	b->rpos += 8;
	return 0;
}

int wbuf_get_bytes(struct wbuf *b, void *dst, size_t n)
{
	if (wbuf_peek_bytes(b, dst, n) == -1)
		return -1;
	b->rpos += n;
	return 0;
}

int wbuf_skip(struct wbuf *b, size_t n)
{
	if (wbuf_need(b, n) == -1)
		return -1;
	b->rpos += n;
	return 0;
}

int wbuf_get_sub(struct wbuf *b, struct wbuf *sub, size_t n)
{
	struct wbuf view;

	if (wbuf_need(b, n) == -1)
		return -1;
	/* Read-only, so a sub-decoder can neither read nor write past n. */
	view = wbuf_from(wbuf_cur(b), n);
	b->rpos += n;
	*sub = view; /* last: sub may alias b */
	return 0;
}

/* ---- writers ---- */

/* Makes room for n more bytes; -1 (nothing changed) if over the limit. */
static int wbuf_ensure(struct wbuf *b, size_t n)
{
	size_t want, ncap;

	if (b->wbuf == NULL || n > b->max - b->len)
		return -1;
	want = b->len + n;
	if (want <= b->cap)
		return 0;
	if (!(b->flags & WBUF_GROWABLE))
		return -1;
	ncap = b->cap > b->max / 2 ? b->max : b->cap * 2;
	if (ncap < want)
		ncap = want;
	b->wbuf = xrealloc(b->wbuf, ncap);
	b->rbuf = b->wbuf;
	b->cap = ncap;
	return 0;
}

/* Pointer to n freshly appended bytes, or NULL if they do not fit. */
static uint8_t *wbuf_append(struct wbuf *b, size_t n)
{
	uint8_t *p;

	if (wbuf_ensure(b, n) == -1)
		return NULL;
	p = b->wbuf + b->len;
	b->len += n;
	return p;
}

static void store16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void store32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int wbuf_put_u8(struct wbuf *b, uint8_t v)
{
	uint8_t *p = wbuf_append(b, 1);

	if (p == NULL)
		return -1;
	p[0] = v;
	return 0;
}

int wbuf_put_u16(struct wbuf *b, uint16_t v)
{
	uint8_t *p = wbuf_append(b, 2);

	if (p == NULL)
		return -1;
	store16(p, v);
	return 0;
}

int wbuf_put_u24(struct wbuf *b, uint32_t v)
{
	uint8_t *p = wbuf_append(b, 3);

	if (p == NULL)
		return -1;
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
	return 0;
}

int wbuf_put_u32(struct wbuf *b, uint32_t v)
{
	uint8_t *p = wbuf_append(b, 4);

	if (p == NULL)
		return -1;
	store32(p, v);
	return 0;
}

int wbuf_put_u64(struct wbuf *b, uint64_t v)
{
	uint8_t *p = wbuf_append(b, 8);

	if (p == NULL)
		return -1;
	store32(p, (uint32_t)(v >> 32));
	store32(p + 4, (uint32_t)v);
	return 0;
}

int wbuf_put_bytes(struct wbuf *b, const void *src, size_t n)
{
	uint8_t *p = wbuf_append(b, n);

	if (p == NULL)
		return -1;
	if (n > 0)
		memcpy(p, src, n);
	return 0;
}

int wbuf_put_zero(struct wbuf *b, size_t n)
{
	uint8_t *p = wbuf_append(b, n);

	if (p == NULL)
		return -1;
	if (n > 0)
		memset(p, 0, n);
	return 0;
}

ssize_t wbuf_reserve(struct wbuf *b, size_t n)
{
	size_t off = b->len;

	if (wbuf_put_zero(b, n) == -1)
		return -1;
	return (ssize_t)off;
}

/* Pointer to written bytes [off, off + n), or NULL. */
static uint8_t *wbuf_written(struct wbuf *b, size_t off, size_t n)
{
	if (b->wbuf == NULL || off > b->len || n > b->len - off)
		return NULL;
	return b->wbuf + off;
}

int wbuf_set_u8_at(struct wbuf *b, size_t off, uint8_t v)
{
	uint8_t *p = wbuf_written(b, off, 1);

	if (p == NULL)
		return -1;
	p[0] = v;
	return 0;
}

int wbuf_set_u16_at(struct wbuf *b, size_t off, uint16_t v)
{
	uint8_t *p = wbuf_written(b, off, 2);

	if (p == NULL)
		return -1;
	store16(p, v);
	return 0;
}

int wbuf_set_u32_at(struct wbuf *b, size_t off, uint32_t v)
{
	uint8_t *p = wbuf_written(b, off, 4);

	if (p == NULL)
		return -1;
	store32(p, v);
	return 0;
}

int wbuf_truncate(struct wbuf *b, size_t len)
{
	if (b->wbuf == NULL || len > b->len)
		return -1;
	b->len = len;
	if (b->rpos > len)
		b->rpos = len;
	return 0;
}

void wbuf_reset(struct wbuf *b)
{
	if (b->wbuf != NULL)
		b->len = 0;
	b->rpos = 0;
}
