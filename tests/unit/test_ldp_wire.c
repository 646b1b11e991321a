#include "config.h"

/* Unit tests for the LDP wire codec (ldp/packet.c, hello.c, init.c,
 * address.c, labelmapping.c, notification.c): PDU header and message
 * vector tables with the status code each error must give, FEC and label
 * edge cases, the U bit rules, encode->decode round trips of random
 * messages of every type, bulk packing of label mappings into PDUs, the
 * real PDUs of FRR ldpd captured in tests/data/ldp/frr-frr.hex, the
 * status code table, and a random-bytes fuzz of the PDU decoder. */

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldp/wire.h"
#include "lib/log.h"
#include "lib/wbuf.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define A4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* ------------------------------------------------------------ helpers */

static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s * 0x9e3779b97f4a7c15ULL + 1;
}

static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex (anything else ignored) into out; returns the byte count. */
static size_t hex(const char *s, const char *end, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *s != '\0' && (end == NULL || s < end); s++) {
		if ((v = hexval(*s)) < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			if (n >= cap)
				ck_abort_msg("hex: more than %zu bytes", cap);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		ck_abort_msg("hex: odd digit count");
	return n;
}

static void put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* One message from a spec: "TYPE ID / TLVTYPE VALUE / ..." where '/'
 * separates items; the first item is the 2-byte type and 4-byte ID, each
 * further item a 2-byte TLV type and its value (length computed); an item
 * starting with '!' is raw bytes. Returns the message size. */
static size_t msg_build(const char *spec, uint8_t *out, size_t cap)
{
	uint8_t tmp[4096];
	const char *p = spec, *e;
	size_t n = 0, tl;
	bool first = true;

	ck_assert(cap >= 4);
	n = 4; /* type + length, patched below */
	while (*p != '\0') {
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		while (*p == ' ')
			p++;
		if (first) {
			tl = hex(p, e, tmp, sizeof(tmp));
			ck_assert_msg(tl == 6, "message head '%s' is not TYPE ID", spec);
			out[0] = tmp[0];
			out[1] = tmp[1];
			memcpy(out + n, tmp + 2, 4);
			n += 4;
			first = false;
		} else if (*p == '!') {
			n += hex(p + 1, e, out + n, cap - n);
		} else {
			tl = hex(p, e, tmp, sizeof(tmp));
			ck_assert_msg(tl >= 2, "TLV '%s' lacks a type", p);
			ck_assert(n + 4 + tl - 2 <= cap);
			out[n] = tmp[0];
			out[n + 1] = tmp[1];
			put16(out + n + 2, tl - 2);
			memcpy(out + n + 4, tmp + 2, tl - 2);
			n += 4 + tl - 2;
		}
		p = *e == '/' ? e + 1 : e;
	}
	put16(out + 2, n - 4);
	return n;
}

/* PDU header (LDP ID 10.0.0.1:0) + the messages of '|'-separated specs. */
static size_t pdu_build(const char *specs, uint8_t *out, size_t cap)
{
	char item[4096];
	const char *p = specs, *e;
	size_t n = LDP_HDR_LEN;

	ck_assert(cap >= LDP_HDR_LEN);
	memcpy(out, "\x00\x01\x00\x00\x0a\x00\x00\x01\x00\x00", LDP_HDR_LEN);
	while (*p != '\0') {
		e = strchr(p, '|');
		if (e == NULL)
			e = p + strlen(p);
		ck_assert((size_t)(e - p) < sizeof(item));
		memcpy(item, p, (size_t)(e - p));
		item[e - p] = '\0';
		n += msg_build(item, out + n, cap - n);
		p = *e == '|' ? e + 1 : e;
	}
	put16(out + 2, n - LDP_HDR_DEAD_LEN);
	return n;
}

/* Decodes a whole PDU; the first error's status, or 0 (OK). Advisory
 * errors go on to the next message when cont. *nmsg: messages decoded. */
static uint32_t pdu_decode_all(const uint8_t *buf, size_t len, bool cont, int *nmsg,
			       struct ldp_msg *first)
{
	struct wbuf b = wbuf_from(buf, len), msgs;
	struct ldp_pdu_hdr h;
	struct ldp_err err;
	struct ldp_msg m;
	uint32_t status = 0;
	int r;

	*nmsg = 0;
	memset(&err, 0, sizeof(err));
	if (ldp_pdu_open(&b, LDP_MAX_PDU_DEFAULT, NULL, &h, &msgs, &err) == -1)
		return err.status == 0 ? 0xdead : err.status;
	for (;;) {
		r = ldp_msg_next(&msgs, &m, &err);
		if (r == 0)
			break;
		if (r == -1) {
			ck_assert_msg(err.status != 0, "error without status");
			ck_assert_msg(err.reason[0] != '\0', "error without reason");
			if (status == 0)
				status = err.status;
			if (!cont || ldp_status_fatal(err.status))
				break;
			continue;
		}
		if (*nmsg == 0 && first != NULL)
			*first = m;
		else
			ldp_msg_clear(&m);
		(*nmsg)++;
	}
	return status;
}

/* ------------------------------------------------------------ header vectors */

static const struct pdu_vec {
	const char *name;
	const char *hex; /* whole PDU */
	uint32_t status; /* 0: OK */
	int nmsg;
} pdu_vecs[] = {
	{ "keepalive", "0001 000e 0a000001 0000  0201 0004 00000001", 0, 1 },
	{ "empty PDU", "0001 0006 0a000001 0000", 0, 0 },
	{ "two keepalives", "0001 0016 0a000001 0000 0201 0004 00000001 0201 0004 00000002", 0, 2 },
	{ "version 0", "0000 000e 0a000001 0000  0201 0004 00000001", LDP_ST_BAD_PROTO_VERSION, 0 },
	{ "version 2", "0002 000e 0a000001 0000  0201 0004 00000001", LDP_ST_BAD_PROTO_VERSION, 0 },
	{ "PDU length 5", "0001 0005 0a000001 00", LDP_ST_BAD_PDU_LEN, 0 },
	{ "PDU length 0", "0001 0000", LDP_ST_BAD_PDU_LEN, 0 },
	{ "PDU length beyond data", "0001 000f 0a000001 0000  0201 0004 00000001",
	  LDP_ST_BAD_PDU_LEN, 0 },
	{ "PDU length 4093 > max", "0001 0ffd 0a000001 0000", LDP_ST_BAD_PDU_LEN, 0 },
	{ "truncated header", "0001", LDP_ST_BAD_PDU_LEN, 0 },
	{ "message length 3", "0001 000e 0a000001 0000  0201 0003 00000001", LDP_ST_BAD_MSG_LEN,
	  0 },
	{ "message length beyond PDU", "0001 000e 0a000001 0000  0201 0005 00000001",
	  LDP_ST_BAD_MSG_LEN, 0 },
	{ "trailing 2 bytes", "0001 0010 0a000001 0000  0201 0004 00000001 0000",
	  LDP_ST_BAD_MSG_LEN, 1 },
	{ "trailing 7 bytes", "0001 0015 0a000001 0000  0201 0004 00000001 0201 0004 000000",
	  LDP_ST_BAD_MSG_LEN, 1 },
	{ "TLV length beyond message",
	  "0001 0016 0a000001 0000  0201 000c 00000001 8123 0005 00000000", LDP_ST_BAD_TLV_LEN, 0 },
	{ "TLV header truncated", "0001 0011 0a000001 0000  0201 0007 00000001 812300",
	  LDP_ST_BAD_TLV_LEN, 0 },
	{ "unknown message U=0 then keepalive",
	  "0001 0016 0a000001 0000  0123 0004 00000001 0201 0004 00000002", LDP_ST_UNKNOWN_MSG_TYPE,
	  1 },
	{ "unknown message U=1 ignored",
	  "0001 001a 0a000001 0000  8123 0008 00000001 01020304 0201 0004 00000002", 0, 2 },
};

START_TEST(test_pdu_table)
{
	const struct pdu_vec *v = &pdu_vecs[_i];
	uint8_t buf[8192];
	size_t n = hex(v->hex, NULL, buf, sizeof(buf));
	uint32_t st;
	int nmsg;

	st = pdu_decode_all(buf, n, true, &nmsg, NULL);
	ck_assert_msg(st == v->status, "%s: status 0x%08x, want 0x%08x (%s)", v->name, st,
		      v->status, ldp_status_name(v->status));
	ck_assert_msg(nmsg == v->nmsg, "%s: %d messages, want %d", v->name, nmsg, v->nmsg);
}
END_TEST

START_TEST(test_pdu_ldp_id)
{
	uint8_t buf[64];
	size_t n = hex("0001 000e 0a000001 0000  0201 0004 00000001", NULL, buf, sizeof(buf));
	struct ldp_id good = { A4(10, 0, 0, 1), 0 }, bad_lsr = { A4(10, 0, 0, 2), 0 },
		      bad_ls = { A4(10, 0, 0, 1), 1 };
	struct wbuf b, msgs;
	struct ldp_pdu_hdr h;
	struct ldp_err err;

	b = wbuf_from(buf, n);
	ck_assert_int_eq(ldp_pdu_open(&b, 4096, &good, &h, &msgs, &err), 0);
	ck_assert_uint_eq(h.id.lsr_id, good.lsr_id);
	ck_assert_uint_eq(wbuf_left(&b), 0);
	ck_assert_uint_eq(wbuf_left(&msgs), 8);
	b = wbuf_from(buf, n);
	ck_assert_int_eq(ldp_pdu_open(&b, 4096, &bad_lsr, &h, &msgs, &err), -1);
	ck_assert_uint_eq(err.status, LDP_ST_BAD_LDP_ID);
	ck_assert_uint_eq(wbuf_rpos(&b), 0);
	b = wbuf_from(buf, n);
	ck_assert_int_eq(ldp_pdu_open(&b, 4096, &bad_ls, &h, &msgs, &err), -1);
	ck_assert_uint_eq(err.status, LDP_ST_BAD_LDP_ID);
	/* negotiated max PDU smaller than the PDU */
	b = wbuf_from(buf, n);
	ck_assert_int_eq(ldp_pdu_open(&b, 17, NULL, &h, &msgs, &err), -1);
	ck_assert_uint_eq(err.status, LDP_ST_BAD_PDU_LEN);
	b = wbuf_from(buf, n);
	ck_assert_int_eq(ldp_pdu_open(&b, 18, NULL, &h, &msgs, &err), 0);
}
END_TEST

/* A TCP stream delivered in pieces: peek says when a PDU is complete. */
START_TEST(test_pdu_peek_stream)
{
	uint8_t buf[64];
	size_t n = hex("0001 000e 0a000001 0000  0201 0004 00000001"
		       "0001 000e 0a000001 0000  0201 0004 00000002",
		       NULL, buf, sizeof(buf));
	struct ldp_err err;
	struct wbuf b;
	size_t i, total = 0;

	for (i = 0; i < 18; i++) {
		b = wbuf_from(buf, i);
		ck_assert_int_eq(ldp_pdu_peek(&b, 4096, &total, &err), 0);
	}
	b = wbuf_from(buf, n);
	ck_assert_int_eq(ldp_pdu_peek(&b, 4096, &total, &err), 1);
	ck_assert_uint_eq(total, 18);
	ck_assert_uint_eq(wbuf_rpos(&b), 0);
	buf[0] = 9;
	ck_assert_int_eq(ldp_pdu_peek(&b, 4096, &total, &err), -1);
	ck_assert_uint_eq(err.status, LDP_ST_BAD_PROTO_VERSION);
}
END_TEST

/* ------------------------------------------------------------ message vectors */

#define OKV 0
static const struct msg_vec {
	const char *name;
	const char *spec; /* see pdu_build */
	uint32_t status;  /* first error, 0 = OK */
	int nmsg;         /* messages decoded (advisory errors continue) */
} msg_vecs[] = {
	/* hello */
	{ "hello", "0100 00000001 / 0400 000f0000 / 0401 0a000001 / 0402 00000007", OKV, 1 },
	{ "hello minimal", "0100 00000001 / 0400 000f0000", OKV, 1 },
	{ "hello no common params", "0100 00000001 / 0401 0a000001", LDP_ST_MISSING_PARAMS, 0 },
	{ "hello common params len 3", "0100 00000001 / 0400 000f00", LDP_ST_BAD_TLV_LEN, 0 },
	{ "hello transport len 5", "0100 00000001 / 0400 000f0000 / 0401 0a00000101",
	  LDP_ST_BAD_TLV_LEN, 0 },
	{ "hello ipv6 transport skipped",
	  "0100 00000001 / 0400 000f0000 / 0403 20010db8000000000000000000000001", OKV, 1 },
	{ "hello unknown TLV U=0", "0100 00000001 / 0400 000f0000 / 0777 00", LDP_ST_UNKNOWN_TLV,
	  0 },
	{ "hello unknown TLV U=1", "0100 00000001 / 0400 000f0000 / 8777 00", OKV, 1 },
	{ "hello unknown TLV U=1 F=1", "0100 00000001 / 0400 000f0000 / c777 0102", OKV, 1 },
	{ "hello dual-stack TLV (U=1)", "0100 00000001 / 0400 000f0000 / 8701 40000000", OKV, 1 },
	{ "hello address list TLV (wrong message)",
	  "0100 00000001 / 0400 000f0000 / 0101 0001 0a000001", LDP_ST_UNKNOWN_TLV, 0 },
	/* init */
	{ "init", "0200 00000001 / 0500 0001 00b4 00 00 1000 0a000002 0000", OKV, 1 },
	{ "init len 13", "0200 00000001 / 0500 0001 00b4 00 00 1000 0a000002 00",
	  LDP_ST_BAD_TLV_LEN, 0 },
	{ "init missing session params", "0200 00000001", LDP_ST_MISSING_PARAMS, 0 },
	{ "init with FRR capabilities",
	  "0200 00000001 / 0500 0001 00b4 00 00 0000 0a000002 0000 / 8506 80 / 850b 80 / 8603 80",
	  OKV, 1 },
	{ "init with FT session (RFC 3478: L flag, 120 s reconnect and recovery)",
	  "0200 00000001 / 0500 0001 00b4 00 00 1000 0a000002 0000 / 8503 0001 0000 0001d4c0 0001d4c0",
	  OKV, 1 },
	{ "init FT session len 8",
	  "0200 00000001 / 0500 0001 00b4 00 00 1000 0a000002 0000 / 8503 0001 0000 0001d4c0",
	  LDP_ST_BAD_TLV_LEN, 0 },
	{ "init ATM session params",
	  "0200 00000001 / 0500 0001 00b4 00 00 1000 0a000002 0000 / 0501 00000000",
	  LDP_ST_UNKNOWN_TLV, 0 },
	/* keepalive */
	{ "keepalive unknown TLV U=0", "0201 00000001 / 0100 01", LDP_ST_UNKNOWN_TLV, 0 },
	{ "keepalive unknown TLV U=1", "0201 00000001 / 9999 01", OKV, 1 },
	/* address */
	{ "address", "0300 00000001 / 0101 0001 0a000001 0a000002", OKV, 1 },
	{ "address withdraw", "0301 00000001 / 0101 0001 0a000001", OKV, 1 },
	{ "address empty list", "0300 00000001 / 0101 0001", OKV, 1 },
	{ "address list len 1", "0300 00000001 / 0101 00", LDP_ST_BAD_TLV_LEN, 0 },
	{ "address list odd", "0300 00000001 / 0101 0001 0a0000", LDP_ST_BAD_TLV_LEN, 0 },
	{ "address IPv6", "0300 00000001 / 0101 0002 20010db8000000000000000000000001",
	  LDP_ST_UNSUP_ADDR_FAMILY, 0 },
	{ "address missing list", "0300 00000001", LDP_ST_MISSING_PARAMS, 0 },
	{ "address advisory error, next message OK",
	  "0300 00000001 / 0101 0002 00000000|0201 00000002", LDP_ST_UNSUP_ADDR_FAMILY, 1 },
	/* label mapping: FEC and label edge cases */
	{ "mapping /24 label 16", "0400 00000001 / 0100 02 0001 18 0a000c / 0200 00000010", OKV,
	  1 },
	{ "mapping implicit null", "0400 00000001 / 0100 02 0001 20 0aff0001 / 0200 00000003", OKV,
	  1 },
	{ "mapping explicit null", "0400 00000001 / 0100 02 0001 20 0aff0001 / 0200 00000000", OKV,
	  1 },
	{ "mapping /0", "0400 00000001 / 0100 02 0001 00 / 0200 00000010", OKV, 1 },
	{ "mapping label max", "0400 00000001 / 0100 02 0001 08 0a / 0200 000fffff", OKV, 1 },
	{ "mapping label 1048576", "0400 00000001 / 0100 02 0001 08 0a / 0200 00100000",
	  LDP_ST_MALFORMED_TLV, 0 },
	{ "mapping label 1 (router alert)", "0400 00000001 / 0100 02 0001 08 0a / 0200 00000001",
	  LDP_ST_MALFORMED_TLV, 0 },
	{ "mapping label 15", "0400 00000001 / 0100 02 0001 08 0a / 0200 0000000f",
	  LDP_ST_MALFORMED_TLV, 0 },
	{ "mapping label TLV len 3", "0400 00000001 / 0100 02 0001 08 0a / 0200 000010",
	  LDP_ST_BAD_TLV_LEN, 0 },
	{ "mapping prefix length 33", "0400 00000001 / 0100 02 0001 21 0a0000010a / 0200 00000010",
	  LDP_ST_MALFORMED_TLV, 0 },
	{ "mapping prefix bytes truncated", "0400 00000001 / 0100 02 0001 18 0a00 / 0200 00000010",
	  LDP_ST_BAD_TLV_LEN, 0 },
	{ "mapping prefix element header truncated", "0400 00000001 / 0100 02 0001 / 0200 00000010",
	  LDP_ST_BAD_TLV_LEN, 0 },
	{ "mapping FEC TLV empty", "0400 00000001 / 0100 / 0200 00000010", LDP_ST_BAD_TLV_LEN, 0 },
	{ "mapping IPv6 prefix",
	  "0400 00000001 / 0100 02 0002 80 20010db8000000000000000000000001 / 0200 00000010",
	  LDP_ST_UNSUP_ADDR_FAMILY, 0 },
	{ "mapping unknown FEC element", "0400 00000001 / 0100 03 0001 20 0a000001 / 0200 00000010",
	  LDP_ST_UNKNOWN_FEC, 0 },
	{ "mapping PWid FEC element (unsupported)",
	  "0400 00000001 / 0100 80 0005 00 00000000 / 0200 00000010", LDP_ST_UNKNOWN_FEC, 0 },
	{ "mapping wildcard", "0400 00000001 / 0100 01 / 0200 00000010", LDP_ST_MALFORMED_TLV, 0 },
	{ "mapping two prefixes",
	  "0400 00000001 / 0100 02000118 0a000c 02000120 0aff0001 / 0200 00000010", OKV, 1 },
	{ "mapping missing label", "0400 00000001 / 0100 02 0001 08 0a", LDP_ST_MISSING_PARAMS, 0 },
	{ "mapping missing FEC", "0400 00000001 / 0200 00000010", LDP_ST_MISSING_PARAMS, 0 },
	{ "mapping ATM label", "0400 00000001 / 0100 02 0001 08 0a / 0201 00010020",
	  LDP_ST_UNKNOWN_TLV, 0 },
	{ "mapping unknown TLV U=0", "0400 00000001 / 0100 02 0001 08 0a / 0200 00000010 / 3e00 00",
	  LDP_ST_UNKNOWN_TLV, 0 },
	{ "mapping unknown TLV U=1", "0400 00000001 / 0100 02 0001 08 0a / 0200 00000010 / be00 00",
	  OKV, 1 },
	{ "mapping with reqid, hop count, path vector",
	  "0400 00000001 / 0100 02 0001 08 0a / 0200 00000010 / 0600 00000005 / 0103 02 / 0104 0a0000010a000002",
	  OKV, 1 },
	{ "mapping hop count len 2",
	  "0400 00000001 / 0100 02 0001 08 0a / 0200 00000010 / 0103 0202", LDP_ST_BAD_TLV_LEN, 0 },
	{ "mapping path vector len 6",
	  "0400 00000001 / 0100 02 0001 08 0a / 0200 00000010 / 0104 0a0000010a00",
	  LDP_ST_BAD_TLV_LEN, 0 },
	{ "mapping path vector len 0", "0400 00000001 / 0100 02 0001 08 0a / 0200 00000010 / 0104",
	  LDP_ST_BAD_TLV_LEN, 0 },
	/* withdraw / release / request / abort */
	{ "withdraw wildcard", "0402 00000001 / 0100 01 / 0200 00000010", OKV, 1 },
	{ "withdraw wildcard no label", "0402 00000001 / 0100 01", OKV, 1 },
	{ "withdraw wildcard + prefix", "0402 00000001 / 0100 01 02000108 0a", LDP_ST_MALFORMED_TLV,
	  0 },
	{ "release prefix + label", "0403 00000001 / 0100 02 0001 20 0a000001 / 0200 00000011", OKV,
	  1 },
	{ "release wildcard", "0403 00000001 / 0100 01", OKV, 1 },
	{ "release missing FEC", "0403 00000001 / 0200 00000011", LDP_ST_MISSING_PARAMS, 0 },
	{ "request", "0401 00000001 / 0100 02 0001 20 0a000001 / 0103 01", OKV, 1 },
	{ "request wildcard", "0401 00000001 / 0100 01", LDP_ST_MALFORMED_TLV, 0 },
	{ "request with label TLV", "0401 00000001 / 0100 02 0001 20 0a000001 / 0200 00000010",
	  LDP_ST_UNKNOWN_TLV, 0 },
	{ "abort", "0404 00000001 / 0100 02 0001 20 0a000001 / 0600 00000007", OKV, 1 },
	{ "abort missing reqid", "0404 00000001 / 0100 02 0001 20 0a000001", LDP_ST_MISSING_PARAMS,
	  0 },
	/* notification */
	{ "notification shutdown", "0001 00000001 / 0300 8000000a 00000000 0000", OKV, 1 },
	{ "notification F bit", "0001 00000001 / 4300 4000000d 00000003 0400", OKV, 1 },
	{ "notification status len 9", "0001 00000001 / 0300 8000000a 00000000 00",
	  LDP_ST_BAD_TLV_LEN, 0 },
	{ "notification missing status", "0001 00000001", LDP_ST_MISSING_PARAMS, 0 },
	{ "notification with FEC + ext status + returned PDU",
	  "0001 00000001 / 0300 0000000d 00000003 0400 / 0301 00000001 / 0302 0001 / 0100 02000118 0a000c",
	  OKV, 1 },
	{ "notification with bad FEC (ignored)",
	  "0001 00000001 / 0300 0000000d 00000003 0400 / 0100 09", OKV, 1 },
};

START_TEST(test_msg_table)
{
	const struct msg_vec *v = &msg_vecs[_i];
	uint8_t buf[8192];
	size_t n = pdu_build(v->spec, buf, sizeof(buf));
	uint32_t st;
	int nmsg;

	st = pdu_decode_all(buf, n, true, &nmsg, NULL);
	ck_assert_msg(st == v->status, "%s: status 0x%08x (%s), want 0x%08x (%s)", v->name, st,
		      ldp_status_name(st), v->status, ldp_status_name(v->status));
	ck_assert_msg(nmsg == v->nmsg, "%s: %d messages, want %d", v->name, nmsg, v->nmsg);
}
END_TEST

/* Field values of a few vectors, and the offending message in the error. */
START_TEST(test_msg_values)
{
	uint8_t buf[1024];
	struct ldp_msg m;
	size_t n;
	int nmsg;

	n = pdu_build(
		"0400 00000009 / 0100 02 0001 17 0a000d / 0200 00000010 / be00 00 / 0600 00000005 / 0103 02 / 0104 0a0000010a000002",
		buf, sizeof(buf));
	ck_assert_uint_eq(pdu_decode_all(buf, n, false, &nmsg, &m), 0);
	ck_assert_uint_eq(m.type, LDP_MSG_LABEL_MAPPING);
	ck_assert_uint_eq(m.id, 9);
	ck_assert_uint_eq(m.unknown_tlvs, 1);
	ck_assert_uint_eq(m.u_.label.nfec, 1);
	ck_assert_uint_eq(m.u_.label.fecs[0].type, LDP_FEC_PREFIX);
	ck_assert_uint_eq(m.u_.label.fecs[0].pfx.len, 23);
	ck_assert_uint_eq(m.u_.label.fecs[0].pfx.addr, A4(10, 0, 12, 0)); /* host bits cleared */
	ck_assert(m.u_.label.has_label);
	ck_assert_uint_eq(m.u_.label.label, 16);
	ck_assert(m.u_.label.has_reqid);
	ck_assert_uint_eq(m.u_.label.reqid, 5);
	ck_assert(m.u_.label.has_hop_count);
	ck_assert_uint_eq(m.u_.label.hop_count, 2);
	ck_assert_uint_eq(m.u_.label.npath, 2);
	ck_assert_uint_eq(m.u_.label.path[1], A4(10, 0, 0, 2));
	ldp_msg_clear(&m);

	n = pdu_build("0402 00000003 / 0100 01", buf, sizeof(buf));
	ck_assert_uint_eq(pdu_decode_all(buf, n, false, &nmsg, &m), 0);
	ck_assert_uint_eq(m.u_.label.fecs[0].type, LDP_FEC_WILDCARD);
	ck_assert(!m.u_.label.has_label);
	ldp_msg_clear(&m);

	n = pdu_build("8123 00000004 / 0100 01", buf, sizeof(buf));
	ck_assert_uint_eq(pdu_decode_all(buf, n, false, &nmsg, &m), 0);
	ck_assert(m.ignored);
	ck_assert(m.u);
	ck_assert_uint_eq(m.type, 0x0123);
	ldp_msg_clear(&m);

	n = pdu_build("0001 00000001 / 4300 4000000d 00000003 0400 / 0100 02000118 0a000c", buf,
		      sizeof(buf));
	ck_assert_uint_eq(pdu_decode_all(buf, n, false, &nmsg, &m), 0);
	ck_assert_uint_eq(m.u_.notif.status, 0x4000000d);
	ck_assert(m.u_.notif.status_tlv_f);
	ck_assert_uint_eq(m.u_.notif.msg_id, 3);
	ck_assert_uint_eq(m.u_.notif.msg_type, LDP_MSG_LABEL_MAPPING);
	ck_assert(m.u_.notif.has_fec);
	ck_assert_uint_eq(m.u_.notif.fec.pfx.addr, A4(10, 0, 12, 0));
	ck_assert(!ldp_status_fatal(m.u_.notif.status));
	ldp_msg_clear(&m);
}
END_TEST

/* The error names the offending message, and the Notification built from
 * it carries status, message ID and type (RFC 5036 3.4.6). */
START_TEST(test_err_to_notification)
{
	uint8_t buf[256], out[256];
	size_t n = pdu_build("0100 00000021 / 0400 000f0000 / 0777 00", buf, sizeof(buf));
	struct wbuf b = wbuf_from(buf, n), msgs, w;
	struct ldp_pdu_builder pb;
	struct ldp_pdu_hdr h;
	struct ldp_id me = { A4(10, 0, 0, 2), 0 };
	struct ldp_err err;
	struct ldp_msg m, nm;
	uint32_t next = 100;
	int nmsg, size;

	ck_assert_int_eq(ldp_pdu_open(&b, 4096, NULL, &h, &msgs, &err), 0);
	ck_assert_int_eq(ldp_msg_next(&msgs, &m, &err), -1);
	ck_assert_uint_eq(err.status, LDP_ST_UNKNOWN_TLV);
	ck_assert_uint_eq(err.msg_id, 0x21);
	ck_assert_uint_eq(err.msg_type, LDP_MSG_HELLO);
	ck_assert(!ldp_status_fatal(err.status));
	ldp_notification_from_err(&nm, &err);
	/* advisory: the rest of the PDU is still readable */
	ck_assert_int_eq(ldp_msg_next(&msgs, &m, &err), 0);

	w = wbuf_init_fixed(out, sizeof(out));
	ck_assert_int_eq(ldp_pdu_begin(&pb, &w, &me, 4096, &next), 0);
	ck_assert_int_eq(ldp_pdu_add(&pb, &nm), 0);
	size = ldp_pdu_finish(&pb);
	ck_assert_int_eq(size, 10 + 8 + 14);
	ck_assert_uint_eq(next, 101);
	ck_assert_uint_eq(pdu_decode_all(out, (size_t)size, false, &nmsg, &m), 0);
	ck_assert_uint_eq(m.type, LDP_MSG_NOTIFICATION);
	ck_assert_uint_eq(m.id, 100);
	ck_assert_uint_eq(m.u_.notif.status, LDP_ST_UNKNOWN_TLV);
	ck_assert_uint_eq(m.u_.notif.msg_id, 0x21);
	ck_assert_uint_eq(m.u_.notif.msg_type, LDP_MSG_HELLO);
	ldp_msg_clear(&m);
}
END_TEST

/* ------------------------------------------------------------ status table */

/* RFC 5036 3.9 (cross-checked with FRR ldpd ldp.h S_* values) */
static const struct {
	uint32_t data;
	bool fatal;
	const char *name;
} rfc_status[] = {
	{ 0x00, false, "Success" },
	{ 0x01, true, "Bad LDP Identifier" },
	{ 0x02, true, "Bad Protocol Version" },
	{ 0x03, true, "Bad PDU Length" },
	{ 0x04, false, "Unknown Message Type" },
	{ 0x05, true, "Bad Message Length" },
	{ 0x06, false, "Unknown TLV" },
	{ 0x07, true, "Bad TLV Length" },
	{ 0x08, true, "Malformed TLV Value" },
	{ 0x09, true, "Hold Timer Expired" },
	{ 0x0a, true, "Shutdown" },
	{ 0x0b, false, "Loop Detected" },
	{ 0x0c, false, "Unknown FEC" },
	{ 0x0d, false, "No Route" },
	{ 0x0e, false, "No Label Resources" },
	{ 0x0f, false, "Label Resources Available" },
	{ 0x10, true, "Session Rejected/No Hello" },
	{ 0x11, true, "Session Rejected/Parameters Advertisement Mode" },
	{ 0x12, true, "Session Rejected/Parameters Max PDU Length" },
	{ 0x13, true, "Session Rejected/Parameters Label Range" },
	{ 0x14, true, "KeepAlive Timer Expired" },
	{ 0x15, false, "Label Request Aborted" },
	{ 0x16, false, "Missing Message Parameters" },
	{ 0x17, false, "Unsupported Address Family" },
	{ 0x18, true, "Session Rejected/Bad KeepAlive Time" },
	{ 0x19, true, "Internal Error" },
};

static const uint32_t enum_status[] = {
	LDP_ST_SUCCESS,           LDP_ST_BAD_LDP_ID,
	LDP_ST_BAD_PROTO_VERSION, LDP_ST_BAD_PDU_LEN,
	LDP_ST_UNKNOWN_MSG_TYPE,  LDP_ST_BAD_MSG_LEN,
	LDP_ST_UNKNOWN_TLV,       LDP_ST_BAD_TLV_LEN,
	LDP_ST_MALFORMED_TLV,     LDP_ST_HOLD_EXPIRED,
	LDP_ST_SHUTDOWN,          LDP_ST_LOOP_DETECTED,
	LDP_ST_UNKNOWN_FEC,       LDP_ST_NO_ROUTE,
	LDP_ST_NO_LABEL_RES,      LDP_ST_LABEL_RES_AVAILABLE,
	LDP_ST_REJ_NO_HELLO,      LDP_ST_REJ_ADV_MODE,
	LDP_ST_REJ_MAX_PDU,       LDP_ST_REJ_LABEL_RANGE,
	LDP_ST_KEEPALIVE_EXPIRED, LDP_ST_LABEL_REQ_ABORTED,
	LDP_ST_MISSING_PARAMS,    LDP_ST_UNSUP_ADDR_FAMILY,
	LDP_ST_REJ_BAD_KEEPALIVE, LDP_ST_INTERNAL_ERROR,
};

START_TEST(test_status_table)
{
	size_t i;

	ck_assert_uint_eq(NELEM(rfc_status), NELEM(enum_status));
	for (i = 0; i < NELEM(rfc_status); i++) {
		uint32_t s = enum_status[i];

		ck_assert_uint_eq(s & LDP_STATUS_DATA, rfc_status[i].data);
		ck_assert_msg(ldp_status_fatal(s) == rfc_status[i].fatal, "0x%02x E bit",
			      rfc_status[i].data);
		ck_assert_str_eq(ldp_status_name(s), rfc_status[i].name);
		/* the E/F bits do not change the name */
		ck_assert_str_eq(ldp_status_name(s | LDP_STATUS_F), rfc_status[i].name);
	}
	ck_assert_str_eq(ldp_status_name(0x3ffffff0), "Unknown Status");
	ck_assert_str_eq(ldp_msg_name(LDP_MSG_LABEL_MAPPING), "label mapping");
	ck_assert_str_eq(ldp_msg_name(0x8400), "label mapping");
	ck_assert_str_eq(ldp_msg_name(0x0999), "unknown");
}
END_TEST

/* ------------------------------------------------------------ round trips */

static const uint16_t all_types[] = {
	LDP_MSG_NOTIFICATION,  LDP_MSG_HELLO,         LDP_MSG_INIT,
	LDP_MSG_KEEPALIVE,     LDP_MSG_ADDRESS,       LDP_MSG_ADDRESS_WITHDRAW,
	LDP_MSG_LABEL_MAPPING, LDP_MSG_LABEL_REQUEST, LDP_MSG_LABEL_WITHDRAW,
	LDP_MSG_LABEL_RELEASE, LDP_MSG_LABEL_ABORT,
};

static mpls_label_t rnd_label(void)
{
	switch (rnd() % 4) {
	case 0:
		return MPLS_LABEL_IMPLICIT_NULL;
	case 1:
		return MPLS_LABEL_IPV4_EXPLICIT_NULL;
	default:
		return 16 + rnd() % (MPLS_LABEL_MAX - 15);
	}
}

static void rnd_prefix(struct ldp_fec *f)
{
	f->type = LDP_FEC_PREFIX;
	f->pfx.len = (uint8_t)(rnd() % 33);
	f->pfx.addr = rnd();
	prefix4_apply_mask(&f->pfx);
}

/* Random contents valid for type t (heap arrays owned by m). */
static void rnd_msg(struct ldp_msg *m, uint16_t t)
{
	struct ldp_label_msg *l = &m->u_.label;
	uint16_t i;

	memset(m, 0, sizeof(*m));
	m->type = t;
	m->id = rnd();
	switch (t) {
	case LDP_MSG_NOTIFICATION:
		m->u_.notif.status = rnd() & ~LDP_STATUS_F;
		if (rnd() % 2)
			m->u_.notif.status |= LDP_STATUS_F;
		m->u_.notif.status_tlv_f = (m->u_.notif.status & LDP_STATUS_F) != 0;
		m->u_.notif.msg_id = rnd();
		m->u_.notif.msg_type = (uint16_t)rnd();
		m->u_.notif.has_ext_status = rnd() % 2;
		if (m->u_.notif.has_ext_status)
			m->u_.notif.ext_status = rnd();
		m->u_.notif.has_fec = rnd() % 2;
		if (m->u_.notif.has_fec)
			rnd_prefix(&m->u_.notif.fec);
		break;
	case LDP_MSG_HELLO:
		m->u_.hello.holdtime = (uint16_t)rnd();
		m->u_.hello.flags = (uint16_t)(rnd() & 0xe000);
		m->u_.hello.has_trans_addr = rnd() % 2;
		if (m->u_.hello.has_trans_addr)
			m->u_.hello.trans_addr = rnd();
		m->u_.hello.has_conf_seq = rnd() % 2;
		if (m->u_.hello.has_conf_seq)
			m->u_.hello.conf_seq = rnd();
		break;
	case LDP_MSG_INIT:
		m->u_.init.proto_version = 1;
		m->u_.init.keepalive = (uint16_t)rnd();
		m->u_.init.flags = (uint8_t)(rnd() & 0xc0);
		m->u_.init.pvlim = (uint8_t)rnd();
		m->u_.init.max_pdu = (uint16_t)rnd();
		m->u_.init.receiver.lsr_id = rnd();
		m->u_.init.receiver.lspace = (uint16_t)rnd();
		m->u_.init.has_ft = rnd() % 2; /* RFC 3479 FT Session TLV */
		if (m->u_.init.has_ft) {
			m->u_.init.ft.flags = (uint16_t)rnd();
			m->u_.init.ft.reconnect_ms = rnd();
			m->u_.init.ft.recovery_ms = rnd();
		}
		break;
	case LDP_MSG_KEEPALIVE:
		break;
	case LDP_MSG_ADDRESS:
	case LDP_MSG_ADDRESS_WITHDRAW:
		m->u_.addr.family = LDP_AF_IPV4;
		m->u_.addr.naddr = (uint16_t)(rnd() % 40);
		m->u_.addr.addrs = xcalloc(m->u_.addr.naddr + 1u, sizeof(uint32_t));
		for (i = 0; i < m->u_.addr.naddr; i++)
			m->u_.addr.addrs[i] = rnd();
		break;
	default:
		l->nfec = (uint16_t)(1 + rnd() % 4);
		l->fecs = xcalloc(l->nfec, sizeof(*l->fecs));
		if ((t == LDP_MSG_LABEL_WITHDRAW || t == LDP_MSG_LABEL_RELEASE) && rnd() % 3 == 0) {
			l->nfec = 1;
			l->fecs[0].type = LDP_FEC_WILDCARD;
		} else {
			for (i = 0; i < l->nfec; i++)
				rnd_prefix(&l->fecs[i]);
		}
		if (t == LDP_MSG_LABEL_MAPPING ||
		    ((t == LDP_MSG_LABEL_WITHDRAW || t == LDP_MSG_LABEL_RELEASE) && rnd() % 2)) {
			l->has_label = true;
			l->label = rnd_label();
		}
		if (t == LDP_MSG_LABEL_ABORT || (t == LDP_MSG_LABEL_MAPPING && rnd() % 2)) {
			l->has_reqid = true;
			l->reqid = rnd();
		}
		if (t == LDP_MSG_LABEL_MAPPING || t == LDP_MSG_LABEL_REQUEST) {
			l->has_hop_count = rnd() % 2;
			if (l->has_hop_count)
				l->hop_count = (uint8_t)rnd();
			l->npath = (uint16_t)(rnd() % 2 ? rnd() % 8 : 0);
			if (l->npath > 0) {
				l->path = xcalloc(l->npath, sizeof(uint32_t));
				for (i = 0; i < l->npath; i++)
					l->path[i] = rnd();
			}
		}
		break;
	}
}

static void msg_compare(const struct ldp_msg *a, const struct ldp_msg *b)
{
	const struct ldp_label_msg *la = &a->u_.label, *lb = &b->u_.label;
	uint16_t i;

	ck_assert_uint_eq(a->type, b->type);
	ck_assert_uint_eq(a->id, b->id);
	ck_assert(!b->ignored);
	ck_assert_uint_eq(b->unknown_tlvs, 0);
	switch (a->type) {
	case LDP_MSG_NOTIFICATION:
		ck_assert_uint_eq(a->u_.notif.status, b->u_.notif.status);
		ck_assert_uint_eq(a->u_.notif.status_tlv_f, b->u_.notif.status_tlv_f);
		ck_assert_uint_eq(a->u_.notif.msg_id, b->u_.notif.msg_id);
		ck_assert_uint_eq(a->u_.notif.msg_type, b->u_.notif.msg_type);
		ck_assert_uint_eq(a->u_.notif.has_ext_status, b->u_.notif.has_ext_status);
		ck_assert_uint_eq(a->u_.notif.ext_status, b->u_.notif.ext_status);
		ck_assert_uint_eq(a->u_.notif.has_fec, b->u_.notif.has_fec);
		ck_assert(prefix4_equal(&a->u_.notif.fec.pfx, &b->u_.notif.fec.pfx));
		break;
	case LDP_MSG_HELLO:
		ck_assert(memcmp(&a->u_.hello, &b->u_.hello, sizeof(a->u_.hello)) == 0);
		break;
	case LDP_MSG_INIT:
		ck_assert(memcmp(&a->u_.init, &b->u_.init, sizeof(a->u_.init)) == 0);
		break;
	case LDP_MSG_KEEPALIVE:
		break;
	case LDP_MSG_ADDRESS:
	case LDP_MSG_ADDRESS_WITHDRAW:
		ck_assert_uint_eq(b->u_.addr.family, LDP_AF_IPV4);
		ck_assert_uint_eq(a->u_.addr.naddr, b->u_.addr.naddr);
		for (i = 0; i < a->u_.addr.naddr; i++)
			ck_assert_uint_eq(a->u_.addr.addrs[i], b->u_.addr.addrs[i]);
		break;
	default:
		ck_assert_uint_eq(la->nfec, lb->nfec);
		for (i = 0; i < la->nfec; i++) {
			ck_assert_uint_eq(la->fecs[i].type, lb->fecs[i].type);
			ck_assert(prefix4_equal(&la->fecs[i].pfx, &lb->fecs[i].pfx));
		}
		ck_assert_uint_eq(la->has_label, lb->has_label);
		ck_assert_uint_eq(la->label, lb->label);
		ck_assert_uint_eq(la->has_reqid, lb->has_reqid);
		ck_assert_uint_eq(la->reqid, lb->reqid);
		ck_assert_uint_eq(la->has_hop_count, lb->has_hop_count);
		ck_assert_uint_eq(la->hop_count, lb->hop_count);
		ck_assert_uint_eq(la->npath, lb->npath);
		for (i = 0; i < la->npath; i++)
			ck_assert_uint_eq(la->path[i], lb->path[i]);
		break;
	}
}

/* Every type: random message -> PDU -> decode -> same struct. */
START_TEST(test_roundtrip_random)
{
	uint16_t t = all_types[_i];
	struct ldp_id me = { A4(192, 0, 2, 1), 0 };
	struct ldp_pdu_builder pb;
	struct ldp_msg in[4], out;
	struct wbuf *w, b, msgs;
	struct ldp_pdu_hdr h;
	struct ldp_err err;
	int iter, k, size;

	rng_seed(1000 + t);
	for (iter = 0; iter < 300; iter++) {
		w = wbuf_new_max(64, LDP_MAX_PDU_DEFAULT);
		ck_assert_int_eq(ldp_pdu_begin(&pb, w, &me, LDP_MAX_PDU_DEFAULT, NULL), 0);
		for (k = 0; k < 4; k++) {
			rnd_msg(&in[k], t);
			ck_assert_int_eq(ldp_pdu_add(&pb, &in[k]), 0);
		}
		size = ldp_pdu_finish(&pb);
		ck_assert_int_eq(size, (int)wbuf_len(w));
		b = wbuf_from(wbuf_data(w), wbuf_len(w));
		ck_assert_int_eq(ldp_pdu_open(&b, LDP_MAX_PDU_DEFAULT, &me, &h, &msgs, &err), 0);
		for (k = 0; k < 4; k++) {
			ck_assert_msg(ldp_msg_next(&msgs, &out, &err) == 1, "%s: %s",
				      ldp_msg_name(t), err.reason);
			msg_compare(&in[k], &out);
			ldp_msg_clear(&out);
			ldp_msg_clear(&in[k]);
		}
		ck_assert_int_eq(ldp_msg_next(&msgs, &out, &err), 0);
		wbuf_free(w);
	}
}
END_TEST

/* Encoders refuse what they cannot encode, leaving the buffer unchanged. */
START_TEST(test_encode_refuse)
{
	uint8_t mem[64];
	struct wbuf w = wbuf_init_fixed(mem, sizeof(mem));
	struct ldp_fec f = { LDP_FEC_PREFIX, { A4(10, 0, 0, 0), 8 } };
	struct ldp_msg m;
	uint32_t addrs[20];

	memset(&m, 0, sizeof(m));
	m.type = 0x0999;
	ck_assert_int_eq(ldp_msg_encode(&w, &m), -1);
	m.type = LDP_MSG_LABEL_MAPPING; /* no FEC */
	ck_assert_int_eq(ldp_msg_encode(&w, &m), -1);
	f.pfx.len = 33;
	m.u_.label.fecs = &f;
	m.u_.label.nfec = 1;
	ck_assert_int_eq(ldp_msg_encode(&w, &m), -1);
	ck_assert_uint_eq(wbuf_len(&w), 0);
	/* does not fit in 64 bytes */
	memset(&m, 0, sizeof(m));
	memset(addrs, 0, sizeof(addrs));
	m.type = LDP_MSG_ADDRESS;
	m.u_.addr.addrs = addrs;
	m.u_.addr.naddr = 20;
	ck_assert_int_eq(ldp_msg_encode(&w, &m), -1);
	ck_assert_uint_eq(wbuf_len(&w), 0);
	m.u_.addr.naddr = 10;
	ck_assert_int_eq(ldp_msg_encode(&w, &m), 0);
	ck_assert_uint_eq(wbuf_len(&w), 8 + 4 + 2 + 40);
}
END_TEST

/* Each message into buffers of every size short of its own: -1 with the
 * buffer unchanged, never a partial message (all-or-nothing encoders). */
START_TEST(test_encode_all_sizes)
{
	uint8_t full[4096], mem[4096];
	struct wbuf w;
	struct ldp_msg m;
	size_t k, need, cap;
	int iter;

	rng_seed(31337);
	for (iter = 0; iter < 50; iter++) {
		for (k = 0; k < NELEM(all_types); k++) {
			rnd_msg(&m, all_types[k]);
			w = wbuf_init_fixed(full, sizeof(full));
			ck_assert_int_eq(ldp_msg_encode(&w, &m), 0);
			need = wbuf_len(&w);
			for (cap = 0; cap < need; cap++) {
				memset(mem, 0xa5, sizeof(mem));
				w = wbuf_init_fixed(mem, cap);
				ck_assert_int_eq(ldp_msg_encode(&w, &m), -1);
				ck_assert_uint_eq(wbuf_len(&w), 0);
			}
			w = wbuf_init_fixed(mem, need);
			ck_assert_int_eq(ldp_msg_encode(&w, &m), 0);
			ck_assert(memcmp(mem, full, need) == 0);
			ldp_msg_clear(&m);
		}
	}
}
END_TEST

/* 1000 label mappings (27 bytes each for a /24) packed into as few PDUs as fit in max_pdu, with
 * consecutive message IDs; every PDU decodes back. */
START_TEST(test_bulk_pack)
{
	const uint16_t maxes[] = { 4096, 512, 100 };
	struct ldp_id me = { A4(10, 255, 0, 1), 0 };
	struct ldp_pdu_builder pb;
	struct ldp_fec f;
	struct ldp_msg m, out;
	struct wbuf *w, b, msgs;
	struct ldp_pdu_hdr h;
	struct ldp_err err;
	uint32_t next_id, want_id;
	size_t mi;
	int i, pdus, size, got, r;

	for (mi = 0; mi < NELEM(maxes); mi++) {
		w = wbuf_new(256);
		next_id = 1;
		pdus = 0;
		i = 0;
		while (i < 1000) {
			ck_assert_int_eq(ldp_pdu_begin(&pb, w, &me, maxes[mi], &next_id), 0);
			for (; i < 1000; i++) {
				memset(&m, 0, sizeof(m));
				m.type = LDP_MSG_LABEL_MAPPING;
				f.type = LDP_FEC_PREFIX;
				f.pfx.addr = A4(10, 0, 0, 0) + ((uint32_t)i << 8);
				f.pfx.len = 24;
				m.u_.label.fecs = &f;
				m.u_.label.nfec = 1;
				m.u_.label.has_label = true;
				m.u_.label.label = 16 + (uint32_t)i;
				if (ldp_pdu_add(&pb, &m) == -1)
					break;
				ck_assert_uint_eq(m.id, (uint32_t)i + 1);
			}
			size = ldp_pdu_finish(&pb);
			ck_assert_int_gt(size, 0);
			ck_assert_int_le(size, maxes[mi]);
			/* the next message would not have fit */
			if (i < 1000)
				ck_assert_int_gt(size + 27, maxes[mi]);
			pdus++;
		}
		ck_assert_uint_eq(next_id, 1001);
		/* decode the stream PDU by PDU */
		b = wbuf_from(wbuf_data(w), wbuf_len(w));
		got = 0;
		want_id = 1;
		while (wbuf_left(&b) > 0) {
			ck_assert_int_eq(ldp_pdu_open(&b, maxes[mi], &me, &h, &msgs, &err), 0);
			while ((r = ldp_msg_next(&msgs, &out, &err)) == 1) {
				ck_assert_uint_eq(out.id, want_id);
				ck_assert_uint_eq(out.u_.label.label, 16 + want_id - 1);
				ck_assert_uint_eq(out.u_.label.fecs[0].pfx.addr,
						  A4(10, 0, 0, 0) + ((want_id - 1) << 8));
				want_id++;
				got++;
				ldp_msg_clear(&out);
			}
			ck_assert_int_eq(r, 0);
		}
		ck_assert_int_eq(got, 1000);
		if (maxes[mi] == 4096)
			ck_assert_int_eq(pdus, (1000 + 150) / 151); /* (4096-10)/27 per PDU */
		wbuf_free(w);
	}
	/* a builder with nothing in it */
	w = wbuf_new(64);
	ck_assert_int_eq(ldp_pdu_begin(&pb, w, &me, 4096, NULL), 0);
	ck_assert_int_eq(ldp_pdu_finish(&pb), -1);
	wbuf_free(w);
}
END_TEST

/* ------------------------------------------------------------ FRR capture */

struct cap_pdu {
	bool udp;
	char src[32], dst[32];
	uint8_t *buf;
	size_t len;
};

static int load_capture(const char *file, struct cap_pdu **out)
{
	char path[512], *line = NULL, proto[8], src[32], dst[32], *hexs;
	size_t cap = 0;
	ssize_t ll;
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/ldp/%s", TOP_SRCDIR, file);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	*out = NULL;
	while ((ll = getline(&line, &cap, f)) != -1) {
		if (line[0] == '#' || ll < 10)
			continue;
		hexs = xcalloc(1, (size_t)ll);
		ck_assert_int_eq(sscanf(line, "%7s %31s %31s %s", proto, src, dst, hexs), 4);
		*out = xrealloc(*out, sizeof(**out) * (size_t)(n + 1));
		(*out)[n].udp = strcmp(proto, "udp") == 0;
		snprintf((*out)[n].src, sizeof((*out)[n].src), "%s", src);
		snprintf((*out)[n].dst, sizeof((*out)[n].dst), "%s", dst);
		(*out)[n].buf = xmalloc(strlen(hexs) / 2 + 1);
		(*out)[n].len = hex(hexs, NULL, (*out)[n].buf, strlen(hexs) / 2 + 1);
		free(hexs);
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

START_TEST(test_frr_capture)
{
	const uint32_t r1 = A4(10, 255, 0, 1), r2 = A4(10, 255, 0, 2);
	struct cap_pdu *caps;
	int ncap = load_capture("frr-frr.hex", &caps), i;
	int hellos = 0, inits = 0, kas = 0, addrs = 0, maps = 0, notifs = 0, r;
	bool seen_map[2][3] = { { false } };
	struct wbuf b, msgs;
	struct ldp_pdu_hdr h;
	struct ldp_err err;
	struct ldp_msg m;

	ck_assert_int_ge(ncap, 15);
	for (i = 0; i < ncap; i++) {
		struct ldp_id peer;

		b = wbuf_from(caps[i].buf, caps[i].len);
		ck_assert_msg(ldp_pdu_open(&b, LDP_MAX_PDU_DEFAULT, NULL, &h, &msgs, &err) == 0,
			      "PDU %d: %s", i, err.reason);
		ck_assert_uint_eq(wbuf_left(&b), 0);
		ck_assert(h.id.lsr_id == r1 || h.id.lsr_id == r2);
		ck_assert_uint_eq(h.id.lspace, 0);
		peer = h.id;
		/* the session check passes with the sender's own ID */
		b = wbuf_from(caps[i].buf, caps[i].len);
		ck_assert_int_eq(ldp_pdu_open(&b, LDP_MAX_PDU_DEFAULT, &peer, &h, &msgs, &err), 0);
		while ((r = ldp_msg_next(&msgs, &m, &err)) == 1) {
			ck_assert(!m.ignored);
			switch (m.type) {
			case LDP_MSG_HELLO:
				ck_assert(caps[i].udp);
				ck_assert_uint_eq(m.u_.hello.holdtime, 15);
				ck_assert_uint_eq(m.u_.hello.flags, LDP_HELLO_G);
				ck_assert(m.u_.hello.has_trans_addr);
				ck_assert_uint_eq(m.u_.hello.trans_addr, h.id.lsr_id);
				ck_assert(m.u_.hello.has_conf_seq);
				ck_assert_uint_eq(m.u_.hello.conf_seq, 7);
				hellos++;
				break;
			case LDP_MSG_INIT:
				ck_assert_uint_eq(m.u_.init.proto_version, 1);
				ck_assert_uint_eq(m.u_.init.keepalive, 180);
				ck_assert_uint_eq(m.u_.init.flags, 0);
				ck_assert_uint_eq(m.u_.init.pvlim, 0);
				ck_assert_uint_eq(ldp_init_max_pdu(&m.u_.init), 4096);
				ck_assert_uint_eq(m.u_.init.receiver.lsr_id,
						  h.id.lsr_id == r1 ? r2 : r1);
				ck_assert_uint_eq(m.unknown_tlvs, 3); /* RFC 5561 capabilities */
				inits++;
				break;
			case LDP_MSG_KEEPALIVE:
				kas++;
				break;
			case LDP_MSG_ADDRESS:
				ck_assert_uint_eq(m.u_.addr.family, LDP_AF_IPV4);
				ck_assert_uint_ge(m.u_.addr.naddr, 2);
				ck_assert_uint_eq(m.u_.addr.addrs[0], h.id.lsr_id);
				ck_assert_uint_eq(m.u_.addr.addrs[1], h.id.lsr_id == r1 ?
									      A4(10, 0, 12, 1) :
									      A4(10, 0, 12, 2));
				addrs++;
				break;
			case LDP_MSG_LABEL_MAPPING: {
				const struct ldp_label_msg *l = &m.u_.label;
				int who = h.id.lsr_id == r1 ? 0 : 1;

				ck_assert_uint_eq(l->nfec, 1);
				ck_assert_uint_eq(l->fecs[0].type, LDP_FEC_PREFIX);
				ck_assert(l->has_label);
				if (l->fecs[0].pfx.len == 24) {
					ck_assert_uint_eq(l->fecs[0].pfx.addr, A4(10, 0, 12, 0));
					ck_assert_uint_eq(l->label, MPLS_LABEL_IMPLICIT_NULL);
					seen_map[who][0] = true;
				} else {
					ck_assert_uint_eq(l->fecs[0].pfx.len, 32);
					if (l->fecs[0].pfx.addr == h.id.lsr_id) {
						/* own loopback: implicit null */
						ck_assert_uint_eq(l->label,
								  MPLS_LABEL_IMPLICIT_NULL);
						seen_map[who][1] = true;
					} else {
						ck_assert_uint_eq(l->fecs[0].pfx.addr,
								  who == 0 ? r2 : r1);
						ck_assert_uint_eq(l->label, 16);
						seen_map[who][2] = true;
					}
				}
				maps++;
				break;
			}
			case LDP_MSG_NOTIFICATION:
				ck_assert_uint_eq(m.u_.notif.status, LDP_ST_SHUTDOWN);
				ck_assert(ldp_status_fatal(m.u_.notif.status));
				ck_assert_str_eq(ldp_status_name(m.u_.notif.status), "Shutdown");
				notifs++;
				break;
			default:
				ck_abort_msg("unexpected message 0x%04x", m.type);
			}
			ldp_msg_clear(&m);
		}
		ck_assert_msg(r == 0, "PDU %d: %s", i, err.reason);
	}
	ck_assert_int_eq(hellos, 6);
	ck_assert_int_eq(inits, 2);
	ck_assert_int_eq(kas, 2);
	ck_assert_int_eq(addrs, 2);
	ck_assert_int_eq(maps, 6);
	ck_assert_int_eq(notifs, 1);
	for (i = 0; i < 2; i++)
		ck_assert(seen_map[i][0] && seen_map[i][1] && seen_map[i][2]);
	for (i = 0; i < ncap; i++)
		free(caps[i].buf);
	free(caps);
}
END_TEST

/* Every captured PDU re-encodes byte for byte (after dropping FRR's U=1
 * capability TLVs, which we do not keep) -- checked on the messages that
 * carry none. */
START_TEST(test_frr_reencode)
{
	struct cap_pdu *caps;
	int ncap = load_capture("frr-frr.hex", &caps), i, same = 0;
	struct ldp_pdu_builder pb;
	struct wbuf b, msgs, *w;
	struct ldp_pdu_hdr h;
	struct ldp_err err;
	struct ldp_msg m;
	bool skip;

	for (i = 0; i < ncap; i++) {
		b = wbuf_from(caps[i].buf, caps[i].len);
		ck_assert_int_eq(ldp_pdu_open(&b, 4096, NULL, &h, &msgs, &err), 0);
		w = wbuf_new(64);
		ck_assert_int_eq(ldp_pdu_begin(&pb, w, &h.id, 4096, NULL), 0);
		skip = false;
		while (ldp_msg_next(&msgs, &m, &err) == 1) {
			if (m.unknown_tlvs > 0)
				skip = true;
			ck_assert_int_eq(ldp_pdu_add(&pb, &m), 0);
			ldp_msg_clear(&m);
		}
		ck_assert_int_gt(ldp_pdu_finish(&pb), 0);
		if (!skip) {
			ck_assert_uint_eq(wbuf_len(w), caps[i].len);
			ck_assert(memcmp(wbuf_data(w), caps[i].buf, caps[i].len) == 0);
			same++;
		}
		wbuf_free(w);
	}
	ck_assert_int_ge(same, 13);
	for (i = 0; i < ncap; i++)
		free(caps[i].buf);
	free(caps);
}
END_TEST

/* ------------------------------------------------------------ fuzz */

static void fuzz_one(const uint8_t *buf, size_t len)
{
	struct wbuf b = wbuf_from(buf, len), msgs;
	struct ldp_pdu_hdr h;
	struct ldp_err err;
	struct ldp_msg m;
	size_t total;
	int r, guard = 0;

	(void)ldp_pdu_peek(&b, LDP_MAX_PDU_DEFAULT, &total, &err);
	if (ldp_pdu_open(&b, LDP_MAX_PDU_DEFAULT, NULL, &h, &msgs, &err) == -1) {
		ck_assert(err.status != 0);
		return;
	}
	for (;;) {
		r = ldp_msg_next(&msgs, &m, &err);
		ck_assert(guard++ < 4096);
		if (r == 0)
			break;
		if (r == -1) {
			ck_assert(err.status != 0 && err.reason[0] != '\0');
			if (ldp_status_fatal(err.status))
				break;
			continue;
		}
		ldp_msg_clear(&m);
	}
}

/* Random bytes behind a valid header, and mutations of real PDUs. Build
 * with -DLDP_FUZZ_ITERS=N -DLDP_FUZZ_SEED=S for a longer run. */
#ifndef LDP_FUZZ_ITERS
#define LDP_FUZZ_ITERS 100000
#endif
#ifndef LDP_FUZZ_SEED
#define LDP_FUZZ_SEED 77
#endif
START_TEST(test_fuzz_pdu)
{
	static const char *const seeds[] = {
		"0400 00000001 / 0100 02000118 0a000c 02000120 0aff0001 / 0200 00000010 / 0600 00000005 / 0103 02 / 0104 0a0000010a000002",
		"0100 00000001 / 0400 000f0000 / 0401 0a000001 / 0402 00000007",
		"0200 00000001 / 0500 0001 00b4 00 00 1000 0a000002 0000 / 8506 80",
		"0300 00000001 / 0101 0001 0a000001 0a000002",
		"0001 00000001 / 0300 0000000d 00000003 0400 / 0301 00000001 / 0100 02000118 0a000c",
		"0402 00000001 / 0100 01 / 0200 00000010|0404 00000002 / 0100 02000108 0a / 0600 00000001",
	};
	uint8_t seed[512], buf[600];
	size_t slen, len, i, k;
	int iter;

	rng_seed(LDP_FUZZ_SEED);
	for (iter = 0; iter < LDP_FUZZ_ITERS; iter++) {
		if (iter % 2 == 0) {
			/* random body: header valid most of the time */
			len = LDP_HDR_LEN + rnd() % 200;
			for (i = 0; i < len; i++)
				buf[i] = (uint8_t)rnd();
			if (rnd() % 8 != 0) {
				buf[0] = 0;
				buf[1] = 1;
				put16(buf + 2, len - 4);
			}
			/* plausible message and TLV types */
			if (len > 14 && rnd() % 2) {
				buf[10] = (uint8_t)(rnd() % 2 ? 0x04 : 0x84);
				buf[11] = (uint8_t)(rnd() % 5);
			}
		} else {
			slen = pdu_build(seeds[rnd() % NELEM(seeds)], seed, sizeof(seed));
			memcpy(buf, seed, slen);
			len = slen;
			for (k = 1 + rnd() % 4; k > 0; k--) {
				i = rnd() % len;
				switch (rnd() % 3) {
				case 0:
					buf[i] = (uint8_t)rnd();
					break;
				case 1:
					buf[i] ^= (uint8_t)(1u << (rnd() % 8));
					break;
				default:
					len = i > LDP_HDR_LEN ? i : len; /* truncate */
					put16(buf + 2, len - 4);
					break;
				}
			}
		}
		fuzz_one(buf, len);
	}
}
END_TEST

/* ------------------------------------------------------------ main */

static Suite *ldp_wire_suite(void)
{
	Suite *s = suite_create("ldp_wire");
	TCase *tc;

	tc = tcase_create("pdu");
	tcase_add_loop_test(tc, test_pdu_table, 0, NELEM(pdu_vecs));
	tcase_add_test(tc, test_pdu_ldp_id);
	tcase_add_test(tc, test_pdu_peek_stream);
	suite_add_tcase(s, tc);

	tc = tcase_create("messages");
	tcase_add_loop_test(tc, test_msg_table, 0, NELEM(msg_vecs));
	tcase_add_test(tc, test_msg_values);
	tcase_add_test(tc, test_err_to_notification);
	tcase_add_test(tc, test_status_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_add_loop_test(tc, test_roundtrip_random, 0, NELEM(all_types));
	tcase_add_test(tc, test_encode_refuse);
	tcase_add_test(tc, test_encode_all_sizes);
	tcase_add_test(tc, test_bulk_pack);
	suite_add_tcase(s, tc);

	tc = tcase_create("captured");
	tcase_add_test(tc, test_frr_capture);
	tcase_add_test(tc, test_frr_reencode);
	suite_add_tcase(s, tc);

	tc = tcase_create("fuzz");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_fuzz_pdu);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ldp_wire_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
