/* lib/wbuf.c: bounded readers leave the cursor alone on a short read,
 * sub-views cannot be escaped, writers respect a fixed capacity and leave
 * the buffer unchanged when full, back-patching of length fields. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/wbuf.h"

/* 0x01 0x02 ... 0x10 */
static const uint8_t seq[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

/* ---- readers: exact-length reads ---- */

START_TEST(test_read_exact)
{
	struct wbuf b = wbuf_from(seq, 15);
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	ck_assert_uint_eq(wbuf_len(&b), 15);
	ck_assert_int_eq(wbuf_get_u8(&b, &u8), 0);
	ck_assert_uint_eq(u8, 0x01);
	ck_assert_int_eq(wbuf_get_u16(&b, &u16), 0);
	ck_assert_uint_eq(u16, 0x0203);
	ck_assert_int_eq(wbuf_get_u32(&b, &u32), 0);
	ck_assert_uint_eq(u32, 0x04050607);
	ck_assert_uint_eq(wbuf_left(&b), 8);
	ck_assert_int_eq(wbuf_get_u64(&b, &u64), 0);
	ck_assert(u64 == 0x08090a0b0c0d0e0fULL);
	ck_assert_uint_eq(wbuf_left(&b), 0);
	ck_assert_uint_eq(wbuf_rpos(&b), 15);
	ck_assert_int_eq(wbuf_get_u8(&b, &u8), -1);
	ck_assert_int_eq(wbuf_skip(&b, 0), 0);
	ck_assert_int_eq(wbuf_get_bytes(&b, &u8, 0), 0);
	ck_assert_uint_eq(wbuf_rpos(&b), 15);
}
END_TEST

START_TEST(test_read_u24_bytes_skip)
{
	struct wbuf b = wbuf_from(seq, 16);
	uint32_t u24;
	uint8_t out[5];

	ck_assert_int_eq(wbuf_get_u24(&b, &u24), 0);
	ck_assert_uint_eq(u24, 0x010203);
	ck_assert_int_eq(wbuf_skip(&b, 2), 0);
	ck_assert_int_eq(wbuf_get_bytes(&b, out, 5), 0);
	ck_assert_mem_eq(out, seq + 5, 5);
	ck_assert_ptr_eq(wbuf_cur(&b), seq + 10);
	ck_assert_ptr_eq(wbuf_data(&b), seq);
	wbuf_rewind(&b);
	ck_assert_uint_eq(wbuf_rpos(&b), 0);
	ck_assert_uint_eq(wbuf_left(&b), 16);
}
END_TEST

START_TEST(test_read_empty)
{
	struct wbuf b = wbuf_from(NULL, 0);
	struct wbuf sub;
	uint8_t u8 = 0x5a;

	ck_assert_uint_eq(wbuf_len(&b), 0);
	ck_assert_uint_eq(wbuf_left(&b), 0);
	ck_assert_int_eq(wbuf_get_bytes(&b, &u8, 0), 0);
	ck_assert_int_eq(wbuf_get_u8(&b, &u8), -1);
	ck_assert_uint_eq(u8, 0x5a);
	ck_assert_int_eq(wbuf_get_sub(&b, &sub, 0), 0);
	ck_assert_uint_eq(wbuf_len(&sub), 0);
	/* NULL with a length is still empty, not a wild pointer */
	b = wbuf_from(NULL, 100);
	ck_assert_uint_eq(wbuf_len(&b), 0);
	ck_assert_int_eq(wbuf_skip(&b, 1), -1);
}
END_TEST

/* ---- readers: every op at every boundary; a failure changes nothing ---- */

enum rop { R_U8, R_U16, R_U24, R_U32, R_U64, R_BYTES, R_SKIP, R_SUB, R_PEEK8, R_PEEK16, R_PEEK32 };

static const struct rd_case {
	const char *name;
	size_t len;   /* buffer length */
	size_t pre;   /* bytes consumed first */
	enum rop op;  /* operation */
	size_t n;     /* for BYTES/SKIP/SUB */
	int ret;      /* expected return */
	uint64_t val; /* expected value on success */
} rd_cases[] = {
	{ "u8 exact", 1, 0, R_U8, 0, 0, 0x01 },
	{ "u8 empty", 0, 0, R_U8, 0, -1, 0 },
	{ "u8 at end", 4, 4, R_U8, 0, -1, 0 },
	{ "u16 exact", 3, 1, R_U16, 0, 0, 0x0203 },
	{ "u16 one short", 3, 2, R_U16, 0, -1, 0 },
	{ "u24 exact", 3, 0, R_U24, 0, 0, 0x010203 },
	{ "u24 one short", 3, 1, R_U24, 0, -1, 0 },
	{ "u32 exact", 6, 2, R_U32, 0, 0, 0x03040506 },
	{ "u32 one short", 6, 3, R_U32, 0, -1, 0 },
	{ "u32 of 1", 1, 0, R_U32, 0, -1, 0 },
	{ "u64 exact", 8, 0, R_U64, 0, 0, 0x0102030405060708ULL },
	{ "u64 offset", 16, 8, R_U64, 0, 0, 0x090a0b0c0d0e0f10ULL },
	{ "u64 one short", 16, 9, R_U64, 0, -1, 0 },
	{ "u64 of 7", 7, 0, R_U64, 0, -1, 0 },
	{ "bytes exact", 10, 4, R_BYTES, 6, 0, 0 },
	{ "bytes one short", 10, 4, R_BYTES, 7, -1, 0 },
	{ "bytes SIZE_MAX", 10, 4, R_BYTES, SIZE_MAX, -1, 0 },
	{ "bytes zero at end", 10, 10, R_BYTES, 0, 0, 0 },
	{ "skip exact", 10, 1, R_SKIP, 9, 0, 0 },
	{ "skip one short", 10, 1, R_SKIP, 10, -1, 0 },
	{ "skip SIZE_MAX", 10, 1, R_SKIP, SIZE_MAX, -1, 0 },
	{ "sub exact", 12, 2, R_SUB, 10, 0, 0 },
	{ "sub one short", 12, 2, R_SUB, 11, -1, 0 },
	{ "sub SIZE_MAX", 12, 2, R_SUB, SIZE_MAX, -1, 0 },
	{ "peek8", 2, 1, R_PEEK8, 0, 0, 0x02 },
	{ "peek8 at end", 2, 2, R_PEEK8, 0, -1, 0 },
	{ "peek16", 4, 2, R_PEEK16, 0, 0, 0x0304 },
	{ "peek16 one short", 4, 3, R_PEEK16, 0, -1, 0 },
	{ "peek32", 4, 0, R_PEEK32, 0, 0, 0x01020304 },
	{ "peek32 one short", 4, 1, R_PEEK32, 0, -1, 0 },
};

START_TEST(test_read_table)
{
	const struct rd_case *c = &rd_cases[_i];
	struct wbuf b = wbuf_from(seq, c->len);
	struct wbuf sub = wbuf_from(seq, 1); /* sentinel */
	uint8_t u8 = 0xee, out[16];
	uint16_t u16 = 0xeeee;
	uint32_t u32 = 0xeeeeeeee;
	uint64_t u64 = 0xeeeeeeeeeeeeeeeeULL, got = 0;
	size_t pos, adv = 0;
	int ret = -2;

	memset(out, 0xee, sizeof(out));
	ck_assert_msg(wbuf_skip(&b, c->pre) == 0, "%s: pre-skip", c->name);
	pos = wbuf_rpos(&b);
	switch (c->op) {
	case R_U8:
		ret = wbuf_get_u8(&b, &u8), got = u8, adv = 1;
		break;
	case R_U16:
		ret = wbuf_get_u16(&b, &u16), got = u16, adv = 2;
		break;
	case R_U24:
		ret = wbuf_get_u24(&b, &u32), got = u32, adv = 3;
		break;
	case R_U32:
		ret = wbuf_get_u32(&b, &u32), got = u32, adv = 4;
		break;
	case R_U64:
		ret = wbuf_get_u64(&b, &u64), got = u64, adv = 8;
		break;
	case R_BYTES:
		ret = wbuf_get_bytes(&b, out, c->n), adv = c->n;
		if (ret == 0)
			ck_assert_mem_eq(out, seq + pos, c->n);
		break;
	case R_SKIP:
		ret = wbuf_skip(&b, c->n), adv = c->n;
		break;
	case R_SUB:
		ret = wbuf_get_sub(&b, &sub, c->n), adv = c->n;
		if (ret == 0) {
			ck_assert_uint_eq(wbuf_len(&sub), c->n);
			ck_assert_ptr_eq(wbuf_data(&sub), seq + pos);
		} else {
			ck_assert_ptr_eq(wbuf_data(&sub), seq); /* untouched */
			ck_assert_uint_eq(wbuf_len(&sub), 1);
		}
		break;
	case R_PEEK8:
		ret = wbuf_peek_u8(&b, &u8), got = u8;
		break;
	case R_PEEK16:
		ret = wbuf_peek_u16(&b, &u16), got = u16;
		break;
	case R_PEEK32:
		ret = wbuf_peek_u32(&b, &u32), got = u32;
		break;
	}
	ck_assert_msg(ret == c->ret, "%s: returned %d, want %d", c->name, ret, c->ret);
	if (ret == 0) {
		ck_assert_msg(wbuf_rpos(&b) == pos + adv, "%s: cursor %zu, want %zu", c->name,
			      wbuf_rpos(&b), pos + adv);
		if (c->op != R_BYTES && c->op != R_SKIP && c->op != R_SUB)
			ck_assert_msg(got == c->val, "%s: value %#llx, want %#llx", c->name,
				      (unsigned long long)got, (unsigned long long)c->val);
	} else {
		ck_assert_msg(wbuf_rpos(&b) == pos, "%s: cursor moved on a short read", c->name);
		ck_assert_msg(u8 == 0xee && u16 == 0xeeee && u32 == 0xeeeeeeee &&
				      u64 == 0xeeeeeeeeeeeeeeeeULL,
			      "%s: output written on a short read", c->name);
		ck_assert_msg(out[0] == 0xee, "%s: bytes copied on a short read", c->name);
	}
	ck_assert_uint_eq(wbuf_left(&b), c->len - wbuf_rpos(&b));
}
END_TEST

START_TEST(test_peek_does_not_advance)
{
	struct wbuf b = wbuf_from(seq, 4);
	uint8_t out[4];
	uint16_t u16;

	ck_assert_int_eq(wbuf_peek_u16(&b, &u16), 0);
	ck_assert_int_eq(wbuf_peek_bytes(&b, out, 4), 0);
	ck_assert_mem_eq(out, seq, 4);
	ck_assert_int_eq(wbuf_peek_bytes(&b, out, 5), -1);
	ck_assert_uint_eq(wbuf_rpos(&b), 0);
	/* a struct copy is an independent look-ahead cursor */
	{
		struct wbuf la = b;

		ck_assert_int_eq(wbuf_skip(&la, 3), 0);
		ck_assert_uint_eq(wbuf_rpos(&b), 0);
	}
}
END_TEST

/* ---- sub-buffers ---- */

/* type 1, len 3, value a b c | type 2, len 2, value d e | trailing 0xff */
static const uint8_t tlvs[] = { 1, 3, 'a', 'b', 'c', 2, 2, 'd', 'e', 0xff };

START_TEST(test_sub_bounded)
{
	struct wbuf b = wbuf_from(tlvs, sizeof(tlvs));
	struct wbuf v;
	uint8_t type, len, out[8];
	uint16_t u16;
	uint32_t u32;

	ck_assert_int_eq(wbuf_get_u8(&b, &type), 0);
	ck_assert_int_eq(wbuf_get_u8(&b, &len), 0);
	ck_assert_int_eq(wbuf_get_sub(&b, &v, len), 0);
	ck_assert_uint_eq(wbuf_rpos(&b), 5); /* parent advanced past the value */
	ck_assert_uint_eq(wbuf_len(&v), 3);
	ck_assert_uint_eq(wbuf_left(&v), 3);
	/* the view ends at the value: a 4-byte read must not see the next TLV */
	ck_assert_int_eq(wbuf_get_u32(&v, &u32), -1);
	ck_assert_int_eq(wbuf_get_bytes(&v, out, 4), -1);
	ck_assert_int_eq(wbuf_skip(&v, 4), -1);
	ck_assert_uint_eq(wbuf_rpos(&v), 0);
	ck_assert_int_eq(wbuf_get_u16(&v, &u16), 0);
	ck_assert_uint_eq(u16, ('a' << 8) | 'b');
	ck_assert_int_eq(wbuf_get_u16(&v, &u16), -1);
	ck_assert_int_eq(wbuf_get_u8(&v, &type), 0);
	ck_assert_uint_eq(type, 'c');
	ck_assert_int_eq(wbuf_get_u8(&v, &type), -1);
	/* rewinding the view goes to its own start, not the parent's */
	wbuf_rewind(&v);
	ck_assert_ptr_eq(wbuf_cur(&v), tlvs + 2);
	/* a view is read-only */
	ck_assert_int_eq(wbuf_put_u8(&v, 0), -1);
	ck_assert_int_eq(wbuf_set_u8_at(&v, 0, 0), -1);
	ck_assert_int_eq(wbuf_truncate(&v, 0), -1);
	ck_assert_uint_eq(wbuf_room(&v), 0);

	/* second TLV claims more than is left: parent unchanged */
	ck_assert_int_eq(wbuf_get_u8(&b, &type), 0);
	ck_assert_int_eq(wbuf_get_u8(&b, &len), 0);
	ck_assert_int_eq(wbuf_get_sub(&b, &v, 3), 0); /* d e ff: still inside */
	ck_assert_int_eq(wbuf_get_sub(&b, &v, 1), -1);
	ck_assert_uint_eq(wbuf_len(&v), 3);
	ck_assert_uint_eq(wbuf_left(&b), 0);
}
END_TEST

START_TEST(test_sub_nested_and_alias)
{
	struct wbuf b = wbuf_from(seq, 16);
	struct wbuf outer, inner;
	uint8_t u8;
	uint64_t u64;

	ck_assert_int_eq(wbuf_skip(&b, 2), 0);
	ck_assert_int_eq(wbuf_get_sub(&b, &outer, 8), 0); /* bytes 3..10 */
	ck_assert_int_eq(wbuf_skip(&outer, 1), 0);
	ck_assert_int_eq(wbuf_get_sub(&outer, &inner, 9), -1); /* 7 left in outer */
	ck_assert_int_eq(wbuf_get_sub(&outer, &inner, 4), 0);  /* bytes 4..7 */
	ck_assert_int_eq(wbuf_get_u64(&inner, &u64), -1);
	ck_assert_int_eq(wbuf_skip(&inner, 3), 0);
	ck_assert_int_eq(wbuf_get_u8(&inner, &u8), 0);
	ck_assert_uint_eq(u8, 7);
	ck_assert_int_eq(wbuf_get_u8(&inner, &u8), -1);
	ck_assert_uint_eq(wbuf_left(&outer), 3);

	/* narrowing in place: sub == parent */
	ck_assert_int_eq(wbuf_get_sub(&outer, &outer, 2), 0);
	ck_assert_uint_eq(wbuf_len(&outer), 2);
	ck_assert_uint_eq(wbuf_rpos(&outer), 0);
	ck_assert_int_eq(wbuf_get_u8(&outer, &u8), 0);
	ck_assert_uint_eq(u8, 8);
	ck_assert_int_eq(wbuf_get_sub(&outer, &outer, 2), -1);
	ck_assert_uint_eq(wbuf_len(&outer), 2);
	ck_assert_uint_eq(wbuf_rpos(&outer), 1);
}
END_TEST

/* ---- writers ---- */

START_TEST(test_write_values)
{
	/* u8, u16, u24, u32, u64, bytes, zero */
	static const uint8_t want[] = { 0xab, 0x12, 0x34, 0x56, 0x9a, 0x78, 0xde, 0xad,
					0xbe, 0xef, 1,    2,    3,    4,    5,    6,
					7,    8,    'x',  'y',  0,    0,    0 };
	uint8_t mem[64];
	struct wbuf w = wbuf_init_fixed(mem, sizeof(mem));
	struct wbuf r;
	uint8_t u8;
	uint16_t u16;
	uint32_t u24, u32;
	uint64_t u64;
	uint8_t xy[2];

	ck_assert_uint_eq(wbuf_len(&w), 0);
	ck_assert_uint_eq(wbuf_room(&w), 64);
	ck_assert_int_eq(wbuf_put_u8(&w, 0xab), 0);
	ck_assert_int_eq(wbuf_put_u16(&w, 0x1234), 0);
	ck_assert_int_eq(wbuf_put_u24(&w, 0xff569a78), 0); /* high byte dropped */
	ck_assert_int_eq(wbuf_put_u32(&w, 0xdeadbeef), 0);
	ck_assert_int_eq(wbuf_put_u64(&w, 0x0102030405060708ULL), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, "xy", 2), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, NULL, 0), 0);
	ck_assert_int_eq(wbuf_put_zero(&w, 3), 0);
	ck_assert_uint_eq(wbuf_len(&w), sizeof(want));
	ck_assert_mem_eq(mem, want, sizeof(want));
	ck_assert_ptr_eq(wbuf_data(&w), mem);
	ck_assert_uint_eq(wbuf_room(&w), 64 - sizeof(want));

	/* what was written reads back */
	r = wbuf_from(wbuf_data(&w), wbuf_len(&w));
	ck_assert_int_eq(wbuf_get_u8(&r, &u8), 0);
	ck_assert_uint_eq(u8, 0xab);
	ck_assert_int_eq(wbuf_get_u16(&r, &u16), 0);
	ck_assert_uint_eq(u16, 0x1234);
	ck_assert_int_eq(wbuf_get_u24(&r, &u24), 0);
	ck_assert_uint_eq(u24, 0x569a78);
	ck_assert_int_eq(wbuf_get_u32(&r, &u32), 0);
	ck_assert_uint_eq(u32, 0xdeadbeef);
	ck_assert_int_eq(wbuf_get_u64(&r, &u64), 0);
	ck_assert(u64 == 0x0102030405060708ULL);
	ck_assert_int_eq(wbuf_get_bytes(&r, xy, 2), 0);
	ck_assert_mem_eq(xy, "xy", 2);
	ck_assert_uint_eq(wbuf_left(&r), 3);
	/* a writable buffer can also be read in place */
	ck_assert_int_eq(wbuf_get_u8(&w, &u8), 0);
	ck_assert_uint_eq(u8, 0xab);
}
END_TEST

enum wop { W_U8, W_U16, W_U24, W_U32, W_U64, W_BYTES, W_ZERO, W_RESERVE };

static const struct wr_case {
	const char *name;
	size_t cap;  /* fixed capacity */
	size_t fill; /* bytes written first */
	enum wop op;
	size_t n; /* for BYTES/ZERO/RESERVE */
	int ok;
} wr_cases[] = {
	{ "u8 fills last byte", 8, 7, W_U8, 0, 1 },
	{ "u8 when full", 8, 8, W_U8, 0, 0 },
	{ "u8 into zero cap", 0, 0, W_U8, 0, 0 },
	{ "u16 exact", 8, 6, W_U16, 0, 1 },
	{ "u16 one over", 8, 7, W_U16, 0, 0 },
	{ "u24 exact", 8, 5, W_U24, 0, 1 },
	{ "u24 one over", 8, 6, W_U24, 0, 0 },
	{ "u32 exact", 8, 4, W_U32, 0, 1 },
	{ "u32 one over", 8, 5, W_U32, 0, 0 },
	{ "u64 exact", 8, 0, W_U64, 0, 1 },
	{ "u64 one over", 8, 1, W_U64, 0, 0 },
	{ "bytes exact", 8, 3, W_BYTES, 5, 1 },
	{ "bytes one over", 8, 3, W_BYTES, 6, 0 },
	{ "bytes zero when full", 8, 8, W_BYTES, 0, 1 },
	{ "zero one over", 8, 3, W_ZERO, 6, 0 },
	{ "zero SIZE_MAX", 8, 3, W_ZERO, SIZE_MAX, 0 },
	{ "reserve exact", 8, 6, W_RESERVE, 2, 1 },
	{ "reserve one over", 8, 7, W_RESERVE, 2, 0 },
	{ "reserve SIZE_MAX", 8, 1, W_RESERVE, SIZE_MAX, 0 },
	{ "bgp 4096 last u16", 4096, 4094, W_U16, 0, 1 },
	{ "bgp 4096 u16 over", 4096, 4095, W_U16, 0, 0 },
	{ "bgp 4096 bytes over", 4096, 19, W_BYTES, 4078, 0 },
};

START_TEST(test_write_table)
{
	const struct wr_case *c = &wr_cases[_i];
	uint8_t mem[4096 + 16], snap[4096 + 16], src[4096];
	struct wbuf w = wbuf_init_fixed(mem, c->cap);
	static const size_t width[] = {
		[W_U8] = 1, [W_U16] = 2, [W_U24] = 3, [W_U32] = 4, [W_U64] = 8
	};
	size_t adv = c->op >= W_BYTES ? c->n : width[c->op];
	ssize_t off = 0;
	int ret = -2;

	memset(mem, 0xee, sizeof(mem));
	memset(src, 0x11, sizeof(src));
	ck_assert_int_eq(wbuf_put_zero(&w, c->fill), 0);
	memcpy(snap, mem, sizeof(mem));
	switch (c->op) {
	case W_U8:
		ret = wbuf_put_u8(&w, 0x77);
		break;
	case W_U16:
		ret = wbuf_put_u16(&w, 0x7777);
		break;
	case W_U24:
		ret = wbuf_put_u24(&w, 0x777777);
		break;
	case W_U32:
		ret = wbuf_put_u32(&w, 0x77777777);
		break;
	case W_U64:
		ret = wbuf_put_u64(&w, 0x7777777777777777ULL);
		break;
	case W_BYTES:
		ret = wbuf_put_bytes(&w, src, c->n);
		break;
	case W_ZERO:
		ret = wbuf_put_zero(&w, c->n);
		break;
	case W_RESERVE:
		off = wbuf_reserve(&w, c->n);
		ret = off < 0 ? -1 : 0;
		if (c->ok)
			ck_assert_int_eq(off, (ssize_t)c->fill);
		break;
	}
	ck_assert_msg(ret == (c->ok ? 0 : -1), "%s: returned %d", c->name, ret);
	if (c->ok) {
		ck_assert_msg(wbuf_len(&w) == c->fill + adv, "%s: length %zu, want %zu", c->name,
			      wbuf_len(&w), c->fill + adv);
		ck_assert_uint_le(wbuf_len(&w), c->cap);
	} else {
		ck_assert_msg(wbuf_len(&w) == c->fill, "%s: length changed", c->name);
		ck_assert_msg(memcmp(mem, snap, sizeof(mem)) == 0, "%s: bytes changed", c->name);
	}
	/* nothing ever lands past the capacity */
	ck_assert_uint_eq(mem[c->cap], 0xee);
}
END_TEST

START_TEST(test_read_only_writes)
{
	uint8_t mem[4] = { 1, 2, 3, 4 };
	struct wbuf r = wbuf_from(mem, sizeof(mem));

	ck_assert_int_eq(wbuf_put_u8(&r, 9), -1);
	ck_assert_int_eq(wbuf_put_bytes(&r, "x", 0), -1);
	ck_assert_int_eq(wbuf_reserve(&r, 1), -1);
	ck_assert_int_eq(wbuf_set_u8_at(&r, 0, 9), -1);
	ck_assert_int_eq(wbuf_set_u16_at(&r, 0, 9), -1);
	ck_assert_int_eq(wbuf_set_u32_at(&r, 0, 9), -1);
	ck_assert_int_eq(wbuf_truncate(&r, 0), -1);
	ck_assert_uint_eq(wbuf_room(&r), 0);
	ck_assert_uint_eq(wbuf_len(&r), 4);
	ck_assert_mem_eq(mem, "\x01\x02\x03\x04", 4);
	wbuf_reset(&r); /* a view only rewinds */
	ck_assert_uint_eq(wbuf_len(&r), 4);
}
END_TEST

/* ---- back-patching ---- */

START_TEST(test_backpatch)
{
	/* a BGP-style header: 16-byte marker, 2-byte length, type; then an
	 * attribute with a 2-byte length back-patched after its body */
	uint8_t mem[4096];
	struct wbuf w = wbuf_init_fixed(mem, sizeof(mem));
	struct wbuf r;
	ssize_t hlen, alen;
	uint16_t u16;
	uint8_t marker[16];

	ck_assert_int_eq(wbuf_put_bytes(&w,
					"\xff\xff\xff\xff\xff\xff\xff\xff"
					"\xff\xff\xff\xff\xff\xff\xff\xff",
					16),
			 0);
	hlen = wbuf_reserve(&w, 2);
	ck_assert_int_eq(hlen, 16);
	ck_assert_int_eq(wbuf_put_u8(&w, 2), 0);
	alen = wbuf_reserve(&w, 2);
	ck_assert_int_eq(alen, 19);
	ck_assert_int_eq(wbuf_put_u32(&w, 0x0a000001), 0);
	ck_assert_int_eq(wbuf_put_u8(&w, 24), 0);
	ck_assert_int_eq(wbuf_set_u16_at(&w, alen, wbuf_len(&w) - alen - 2), 0);
	ck_assert_int_eq(wbuf_set_u16_at(&w, hlen, wbuf_len(&w)), 0);
	ck_assert_uint_eq(wbuf_len(&w), 26);
	ck_assert_mem_eq(mem + 16, "\x00\x1a\x02\x00\x05\x0a\x00\x00\x01\x18", 10);

	r = wbuf_from(mem, wbuf_len(&w));
	ck_assert_int_eq(wbuf_get_bytes(&r, marker, 16), 0);
	ck_assert_int_eq(wbuf_get_u16(&r, &u16), 0);
	ck_assert_uint_eq(u16, 26);

	/* patches stay inside what was written */
	ck_assert_int_eq(wbuf_set_u8_at(&w, 25, 0x19), 0);
	ck_assert_uint_eq(mem[25], 0x19);
	ck_assert_int_eq(wbuf_set_u8_at(&w, 26, 0), -1);
	ck_assert_int_eq(wbuf_set_u16_at(&w, 25, 0), -1);
	ck_assert_int_eq(wbuf_set_u32_at(&w, 23, 0), -1);
	ck_assert_int_eq(wbuf_set_u32_at(&w, 22, 0x01020304), 0);
	ck_assert_mem_eq(mem + 22, "\x01\x02\x03\x04", 4);
	ck_assert_int_eq(wbuf_set_u16_at(&w, SIZE_MAX, 0), -1);
	ck_assert_int_eq(wbuf_set_u32_at(&w, SIZE_MAX - 1, 0), -1);
	ck_assert_uint_eq(wbuf_len(&w), 26);
}
END_TEST

START_TEST(test_truncate_reset)
{
	uint8_t mem[8];
	struct wbuf w = wbuf_init_fixed(mem, sizeof(mem));
	uint8_t u8;
	size_t mark;

	ck_assert_int_eq(wbuf_put_u32(&w, 0x01020304), 0);
	mark = wbuf_len(&w);
	ck_assert_int_eq(wbuf_put_u16(&w, 0x0506), 0);
	ck_assert_int_eq(wbuf_put_u32(&w, 0), -1); /* does not fit: undo the u16 */
	ck_assert_int_eq(wbuf_truncate(&w, mark), 0);
	ck_assert_uint_eq(wbuf_len(&w), 4);
	ck_assert_int_eq(wbuf_truncate(&w, 5), -1);
	ck_assert_int_eq(wbuf_skip(&w, 3), 0);
	ck_assert_int_eq(wbuf_truncate(&w, 2), 0); /* cursor clamped */
	ck_assert_uint_eq(wbuf_rpos(&w), 2);
	ck_assert_int_eq(wbuf_get_u8(&w, &u8), -1);
	wbuf_reset(&w);
	ck_assert_uint_eq(wbuf_len(&w), 0);
	ck_assert_uint_eq(wbuf_rpos(&w), 0);
	ck_assert_uint_eq(wbuf_room(&w), 8);
}
END_TEST

/* ---- growable ---- */

START_TEST(test_growable)
{
	struct wbuf *g = wbuf_new(1);
	struct wbuf r;
	uint32_t i, v;

	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(wbuf_put_u32(g, i), 0);
	ck_assert_uint_eq(wbuf_len(g), 40000);
	r = wbuf_from(wbuf_data(g), wbuf_len(g));
	for (i = 0; i < 10000; i++) {
		ck_assert_int_eq(wbuf_get_u32(&r, &v), 0);
		ck_assert_uint_eq(v, i);
	}
	ck_assert_int_eq(wbuf_get_u8(&r, (uint8_t *)&v), -1);
	ck_assert_int_eq(wbuf_set_u32_at(g, 39996, 0xcafef00d), 0);
	ck_assert_int_eq(wbuf_reserve(g, 3), 40000);
	wbuf_free(g);
	wbuf_free(NULL);

	g = wbuf_new(0);
	ck_assert_uint_eq(wbuf_len(g), 0);
	ck_assert_int_eq(wbuf_put_bytes(g, seq, 16), 0);
	ck_assert_mem_eq(wbuf_data(g), seq, 16);
	wbuf_free(g);
}
END_TEST

START_TEST(test_growable_max)
{
	struct wbuf *g = wbuf_new_max(2, 8);

	ck_assert_uint_eq(wbuf_room(g), 8);
	ck_assert_int_eq(wbuf_put_u32(g, 0x01020304), 0);
	ck_assert_int_eq(wbuf_put_u16(g, 0x0506), 0);
	ck_assert_int_eq(wbuf_put_u32(g, 0x0708090a), -1);
	ck_assert_uint_eq(wbuf_len(g), 6);
	ck_assert_int_eq(wbuf_put_u16(g, 0x0708), 0);
	ck_assert_int_eq(wbuf_put_u8(g, 0), -1);
	ck_assert_uint_eq(wbuf_room(g), 0);
	ck_assert_mem_eq(wbuf_data(g), "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	wbuf_reset(g);
	ck_assert_int_eq(wbuf_put_u64(g, 1), 0);
	wbuf_free(g);

	/* initial larger than max is clamped; a zero max never accepts a byte */
	g = wbuf_new_max(100, 4);
	ck_assert_int_eq(wbuf_put_bytes(g, seq, 5), -1);
	ck_assert_int_eq(wbuf_put_bytes(g, seq, 4), 0);
	wbuf_free(g);
	g = wbuf_new_max(0, 0);
	ck_assert_int_eq(wbuf_put_u8(g, 1), -1);
	ck_assert_int_eq(wbuf_put_bytes(g, NULL, 0), 0);
	wbuf_free(g);
}
END_TEST

static Suite *wbuf_suite(void)
{
	Suite *s = suite_create("wbuf");
	TCase *tc;

	tc = tcase_create("read");
	tcase_add_test(tc, test_read_exact);
	tcase_add_test(tc, test_read_u24_bytes_skip);
	tcase_add_test(tc, test_read_empty);
	tcase_add_loop_test(tc, test_read_table, 0, (int)(sizeof(rd_cases) / sizeof(rd_cases[0])));
	tcase_add_test(tc, test_peek_does_not_advance);
	suite_add_tcase(s, tc);

	tc = tcase_create("sub");
	tcase_add_test(tc, test_sub_bounded);
	tcase_add_test(tc, test_sub_nested_and_alias);
	suite_add_tcase(s, tc);

	tc = tcase_create("write");
	tcase_add_test(tc, test_write_values);
	tcase_add_loop_test(tc, test_write_table, 0, (int)(sizeof(wr_cases) / sizeof(wr_cases[0])));
	tcase_add_test(tc, test_read_only_writes);
	tcase_add_test(tc, test_backpatch);
	tcase_add_test(tc, test_truncate_reset);
	tcase_add_test(tc, test_growable);
	tcase_add_test(tc, test_growable_max);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(wbuf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
