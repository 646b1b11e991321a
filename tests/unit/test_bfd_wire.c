/* bfd/wire.c: BFD control packets (RFC 5880 4.1-4.4) decoded with the
 * reception checks of 6.8.6, each failing check by a vector of its own;
 * encode -> decode round trips with and without an auth section; every
 * truncation of a valid packet is refused without reading past it. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bfd/wire.h"

/* Up, diag none, C bit, Detect Mult 3, Length 24, My 0x11223344, Your
 * 0x55667788, Desired Min TX 300 ms, Required Min RX 300 ms, echo 0 */
static const uint8_t up[24] = {
	0x20, 0xc8, 0x03, 0x18, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	0x00, 0x04, 0x93, 0xe0, 0x00, 0x04, 0x93, 0xe0, 0x00, 0x00, 0x00, 0x00,
};

START_TEST(decodes_a_valid_packet)
{
	struct bfd_ctl c;

	ck_assert_int_eq(bfd_decode(up, sizeof(up), &c), BFD_OK);
	ck_assert_uint_eq(c.version, 1);
	ck_assert_uint_eq(c.diag, BFD_DIAG_NONE);
	ck_assert_uint_eq(c.state, BFD_UP);
	ck_assert_uint_eq(c.flags, BFD_F_CPI);
	ck_assert_uint_eq(c.detect_mult, 3);
	ck_assert_uint_eq(c.my_disc, 0x11223344);
	ck_assert_uint_eq(c.your_disc, 0x55667788);
	ck_assert_uint_eq(c.desired_min_tx, 300000);
	ck_assert_uint_eq(c.required_min_rx, 300000);
	ck_assert_uint_eq(c.required_min_echo_rx, 0);
	ck_assert_ptr_null(c.auth);
	ck_assert_str_eq(bfd_state_str(c.state), "up");
	/* padding after Length is allowed */
	{
		uint8_t pad[40];

		memset(pad, 0xee, sizeof(pad));
		memcpy(pad, up, sizeof(up));
		ck_assert_int_eq(bfd_decode(pad, sizeof(pad), &c), BFD_OK);
	}
}
END_TEST

/* one byte of the valid packet changed: the check that must refuse it */
static void refused(size_t off, uint8_t val, enum bfd_err want)
{
	uint8_t b[sizeof(up)];
	struct bfd_ctl c;

	memcpy(b, up, sizeof(b));
	b[off] = val;
	ck_assert_msg(bfd_decode(b, sizeof(b), &c) == want, "byte %zu = 0x%02x: got %s, want %s", off,
		      val, bfd_err_str(bfd_decode(b, sizeof(b), &c)), bfd_err_str(want));
}

START_TEST(each_reception_check)
{
	refused(0, 0x00, BFD_ERR_VERSION);     /* version 0 */
	refused(0, 0x40, BFD_ERR_VERSION);     /* version 2 */
	refused(3, 23, BFD_ERR_LENGTH);        /* Length below 24 */
	refused(3, 25, BFD_ERR_LENGTH);        /* Length beyond the 24 bytes received */
	refused(2, 0, BFD_ERR_DETECT_MULT);
	refused(1, 0xc9, BFD_ERR_MULTIPOINT);  /* M bit */
}
END_TEST

START_TEST(discriminators)
{
	uint8_t b[sizeof(up)];
	struct bfd_ctl c;

	memcpy(b, up, sizeof(b));
	memset(b + 4, 0, 4); /* My Discriminator 0 */
	ck_assert_int_eq(bfd_decode(b, sizeof(b), &c), BFD_ERR_MY_DISC);
	memcpy(b, up, sizeof(b));
	memset(b + 8, 0, 4); /* Your Discriminator 0 in Up: refused */
	ck_assert_int_eq(bfd_decode(b, sizeof(b), &c), BFD_ERR_YOUR_DISC);
	b[1] = (uint8_t)(BFD_INIT << 6); /* in Init: refused */
	ck_assert_int_eq(bfd_decode(b, sizeof(b), &c), BFD_ERR_YOUR_DISC);
	b[1] = (uint8_t)(BFD_DOWN << 6); /* in Down: the first packets of a session */
	ck_assert_int_eq(bfd_decode(b, sizeof(b), &c), BFD_OK);
	b[1] = (uint8_t)(BFD_ADMIN_DOWN << 6);
	ck_assert_int_eq(bfd_decode(b, sizeof(b), &c), BFD_OK);
}
END_TEST

START_TEST(truncations)
{
	struct bfd_ctl c;
	uint8_t *b;
	size_t n;

	for (n = 0; n < sizeof(up); n++) {
		b = malloc(n + 1); /* exactly n bytes readable under ASan */
		memcpy(b, up, n);
		ck_assert_int_eq(bfd_decode(b, n, &c), BFD_ERR_SHORT);
		free(b);
	}
}
END_TEST

START_TEST(auth_sections)
{
	/* simple password "secret": type 1, len 3 + 6, key id 1 */
	static const uint8_t simple[9] = { 1, 9, 1, 's', 'e', 'c', 'r', 'e', 't' };
	uint8_t sha1[28], buf[BFD_MAX_LEN + 8], bad[BFD_MAX_LEN];
	struct bfd_ctl c, d;
	size_t n;

	memset(&c, 0, sizeof(c));
	c.state = BFD_UP;
	c.flags = BFD_F_AUTH | BFD_F_POLL;
	c.diag = BFD_DIAG_TIME_EXPIRED;
	c.detect_mult = 3;
	c.my_disc = 7;
	c.your_disc = 9;
	c.desired_min_tx = 100000;
	c.required_min_rx = 100000;
	c.auth = simple;
	c.auth_type = BFD_AUTH_SIMPLE;
	c.auth_len = sizeof(simple);
	n = bfd_encode(&c, buf, sizeof(buf));
	ck_assert_uint_eq(n, 24 + 9);
	ck_assert_uint_eq(buf[3], 33);
	ck_assert_int_eq(bfd_decode(buf, n, &d), BFD_OK);
	ck_assert_uint_eq(d.auth_type, BFD_AUTH_SIMPLE);
	ck_assert_uint_eq(d.auth_len, 9);
	ck_assert_int_eq(memcmp(d.auth, simple, sizeof(simple)), 0);
	ck_assert_uint_eq(d.flags, BFD_F_AUTH | BFD_F_POLL);
	ck_assert_uint_eq(d.diag, BFD_DIAG_TIME_EXPIRED);
	ck_assert_uint_eq(d.my_disc, 7);
	ck_assert_uint_eq(d.your_disc, 9);
	/* too small a buffer: nothing written */
	ck_assert_uint_eq(bfd_encode(&c, buf, n - 1), 0);

	/* keyed SHA1: 28 bytes */
	memset(sha1, 0xab, sizeof(sha1));
	sha1[0] = BFD_AUTH_KEYED_SHA1;
	sha1[1] = 28;
	c.auth = sha1;
	c.auth_type = BFD_AUTH_KEYED_SHA1;
	c.auth_len = 28;
	n = bfd_encode(&c, buf, sizeof(buf));
	ck_assert_uint_eq(n, BFD_MAX_LEN);
	ck_assert_int_eq(bfd_decode(buf, n, &d), BFD_OK);
	ck_assert_uint_eq(d.auth_len, 28);

	/* A bit with Length 24: no room for the section */
	memcpy(bad, buf, sizeof(bad));
	bad[3] = 24;
	ck_assert_int_eq(bfd_decode(bad, sizeof(bad), &d), BFD_ERR_LENGTH);
	/* Auth Len beyond Length */
	memcpy(bad, buf, sizeof(bad));
	bad[3] = 40;
	ck_assert_int_eq(bfd_decode(bad, sizeof(bad), &d), BFD_ERR_AUTH);
	/* SHA1 with the length of MD5 */
	memcpy(bad, buf, sizeof(bad));
	bad[25] = 24;
	ck_assert_int_eq(bfd_decode(bad, sizeof(bad), &d), BFD_ERR_AUTH);
	/* reserved types 0 and 6 */
	memcpy(bad, buf, sizeof(bad));
	bad[24] = 0;
	ck_assert_int_eq(bfd_decode(bad, sizeof(bad), &d), BFD_ERR_AUTH);
	bad[24] = 6;
	ck_assert_int_eq(bfd_decode(bad, sizeof(bad), &d), BFD_ERR_AUTH);
	/* a simple password of 17 bytes (Auth Len 20) */
	memcpy(bad, buf, sizeof(bad));
	bad[24] = BFD_AUTH_SIMPLE;
	bad[25] = 20;
	ck_assert_int_eq(bfd_decode(bad, sizeof(bad), &d), BFD_ERR_AUTH);
	bad[25] = 19; /* 16 bytes: the longest allowed */
	ck_assert_int_eq(bfd_decode(bad, sizeof(bad), &d), BFD_OK);
	/* an auth section the encoder cannot frame */
	c.auth_len = 1;
	ck_assert_uint_eq(bfd_encode(&c, buf, sizeof(buf)), 0);
	c.auth_len = 29;
	ck_assert_uint_eq(bfd_encode(&c, buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(round_trip_without_auth)
{
	struct bfd_ctl c, d;
	uint8_t buf[BFD_HDR_LEN];

	ck_assert_int_eq(bfd_decode(up, sizeof(up), &c), BFD_OK);
	ck_assert_uint_eq(bfd_encode(&c, buf, sizeof(buf)), sizeof(up));
	ck_assert_int_eq(memcmp(buf, up, sizeof(up)), 0);
	ck_assert_int_eq(bfd_decode(buf, sizeof(buf), &d), BFD_OK);
	ck_assert_int_eq(memcmp(&c, &d, sizeof(c)), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bfd_wire");
	TCase *tc = tcase_create("control");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, decodes_a_valid_packet);
	tcase_add_test(tc, each_reception_check);
	tcase_add_test(tc, discriminators);
	tcase_add_test(tc, truncations);
	tcase_add_test(tc, auth_sections);
	tcase_add_test(tc, round_trip_without_auth);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
