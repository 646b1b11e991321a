/* RT-Constrain (RFC 4684) codec and filter: NLRI vectors (default, origin
 * AS only, partial and full route targets; lengths 1-31 and over 96,
 * truncations and the per-UPDATE bound refused), host bits cleared, the
 * capability in an OPEN both ways, an UPDATE of memberships and the RTC
 * End-of-RIB decoded back from our encoder, GoBGP's UPDATE as captured,
 * and the covering rule of bgp_rtc_covers. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lib/wbuf.h"
#include "mpbgp/wire.h"

static int dec(const uint8_t *b, size_t n, struct bgp_rtc_list *l)
{
	struct wbuf r = wbuf_from(b, n);
	char err[128];

	memset(l, 0, sizeof(*l));
	return bgp_rtc_decode(&r, l, err, sizeof(err));
}

START_TEST(nlri_vectors)
{
	/* default; AS 65000 only; 65000 + RT 0:2:65000:1 (full); a 64-bit partial */
	static const uint8_t ok[] = {
		0x00,
		0x20, 0x00, 0x00, 0xfd, 0xe8,
		0x60, 0x00, 0x00, 0xfd, 0xe8, 0x00, 0x02, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x01,
		0x40, 0x00, 0x00, 0xfd, 0xe8, 0x00, 0x02, 0xfd, 0xe8,
	};
	struct bgp_rtc_list l;
	char buf[64];

	ck_assert_int_eq(dec(ok, sizeof(ok), &l), 0);
	ck_assert_int_eq(l.n, 4);
	ck_assert_uint_eq(l.v[0].len, 0);
	ck_assert_str_eq(bgp_rtc_str(&l.v[0], buf, sizeof(buf)), "default");
	ck_assert_uint_eq(l.v[1].len, 32);
	ck_assert_uint_eq(l.v[1].origin_as, 65000);
	ck_assert_uint_eq(l.v[2].len, 96);
	ck_assert_str_eq(bgp_rtc_str(&l.v[2], buf, sizeof(buf)), "65000:65000:1");
	ck_assert_uint_eq(l.v[3].len, 64);
	free(l.v);
}
END_TEST

START_TEST(nlri_refused)
{
	static const uint8_t len5[] = { 0x05, 0x00 };                  /* 1-31: not allowed */
	static const uint8_t len97[] = { 0x61, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t trunc[] = { 0x60, 0x00, 0x00, 0xfd, 0xe8, 0x00 };
	struct bgp_rtc_list l;
	uint8_t many[(BGP_RTC_MAX_PER_UPDATE + 1) * 5];

	ck_assert_int_eq(dec(len5, sizeof(len5), &l), -1);
	free(l.v);
	ck_assert_int_eq(dec(len97, sizeof(len97), &l), -1);
	free(l.v);
	ck_assert_int_eq(dec(trunc, sizeof(trunc), &l), -1);
	free(l.v);
	for (size_t i = 0; i < sizeof(many); i += 5) {
		many[i] = 32;
		memset(many + i + 1, 1, 4);
	}
	ck_assert_int_eq(dec(many, sizeof(many), &l), -1); /* bounded per UPDATE */
	free(l.v);
}
END_TEST

START_TEST(host_bits_and_covers)
{
	/* a 36-bit prefix with bits set past the length */
	static const uint8_t b[] = { 0x24, 0x00, 0x00, 0xfd, 0xe8, 0x0f };
	static const uint8_t rt1[8] = { 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 1 };
	static const uint8_t rt2[8] = { 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 2 };
	static const uint8_t rt_other_type[8] = { 0x01, 0x02, 0x0a, 0, 0, 1, 0, 1 };
	struct bgp_rtc_list l;
	struct bgp_rtc full = { 96, 65000, { 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 1 } };
	struct bgp_rtc part = { 64, 65000, { 0x00, 0x02, 0xfd, 0xe8 } };
	struct bgp_rtc def = { 0, 0, { 0 } };

	ck_assert_int_eq(dec(b, sizeof(b), &l), 0);
	ck_assert_uint_eq(l.v[0].rt[0], 0x00); /* 0x0f & 0xf0 */
	free(l.v);
	ck_assert(bgp_rtc_covers(&full, rt1));
	ck_assert(!bgp_rtc_covers(&full, rt2));
	ck_assert(bgp_rtc_covers(&part, rt1) && bgp_rtc_covers(&part, rt2));
	ck_assert(!bgp_rtc_covers(&part, rt_other_type));
	ck_assert(bgp_rtc_covers(&def, rt_other_type));
}
END_TEST

START_TEST(capability_both_ways)
{
	uint8_t m[BGP_MAX_MSG];
	struct wbuf w = wbuf_init_fixed(m, sizeof(m));
	struct bgp_capa c = { 0 };
	struct bgp_open o;
	uint8_t code, sub;
	char err[128];

	c.mp[BGP_AF_VPNV4] = true;
	c.rtc = true;
	c.as4 = true;
	c.as4_asn = 65000;
	ck_assert_int_eq(bgp_open_encode(&w, 65000, 90, 0x0a000001, &c), 0);
	ck_assert_int_eq(bgp_open_decode(m + BGP_HDR_LEN, wbuf_len(&w) - BGP_HDR_LEN, &o, &code, &sub,
					 err, sizeof(err)),
			 0);
	ck_assert(o.capa.rtc);
	ck_assert(o.capa.mp[BGP_AF_VPNV4]);
	ck_assert(!o.capa.mp[BGP_AF_IPV4_UNICAST]);
}
END_TEST

static void decode_update(const uint8_t *m, size_t len, struct bgp_update *u)
{
	struct bgp_decode_ctx ctx = { .as4 = true, .local_as = 65000, .peer_as = 65000, .rtc = true };

	ctx.af[BGP_AF_VPNV4] = true;
	bgp_update_init(u);
	bgp_update_decode(m + BGP_HDR_LEN, len - BGP_HDR_LEN, &ctx, u);
}

START_TEST(update_round_trip_and_eor)
{
	uint8_t m[BGP_MAX_MSG];
	struct wbuf w = wbuf_init_fixed(m, sizeof(m));
	struct bgp_rtc reach[2] = { { 96, 65000, { 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 1 } },
				    { 0, 0, { 0 } } };
	struct bgp_rtc wd[1] = { { 96, 65000, { 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 9 } } };
	struct ipaddr nh = ipaddr_v4(0x0a000001);
	struct bgp_attr a;
	struct bgp_update u;

	bgp_attr_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		    BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	a.local_pref = 100;
	ck_assert_int_eq(bgp_update_encode_rtc(&w, &a, true, &nh, reach, 2, wd, 1), 0);
	decode_update(m, wbuf_len(&w), &u);
	ck_assert_int_eq(u.action, BGP_UPD_OK);
	ck_assert_int_eq(u.rtc_reach.n, 2);
	ck_assert_int_eq(u.rtc_withdrawn.n, 1);
	ck_assert_mem_eq(u.rtc_reach.v[0].rt, reach[0].rt, 8);
	ck_assert_uint_eq(u.rtc_reach.v[1].len, 0);
	ck_assert_mem_eq(u.rtc_withdrawn.v[0].rt, wd[0].rt, 8);
	ck_assert(!u.rtc_eor);
	bgp_update_free(&u);
	bgp_attr_clear(&a);
	/* End-of-RIB: MP_UNREACH with AFI 1 / SAFI 132 and nothing else */
	w = wbuf_init_fixed(m, sizeof(m));
	ck_assert_int_eq(bgp_update_encode_rtc(&w, NULL, true, &nh, NULL, 0, NULL, 0), 0);
	decode_update(m, wbuf_len(&w), &u);
	ck_assert_int_eq(u.action, BGP_UPD_OK);
	ck_assert(u.rtc_eor);
	ck_assert_int_eq(u.rtc_reach.n + u.rtc_withdrawn.n, 0);
	bgp_update_free(&u);
}
END_TEST

/* GoBGP 3.10's membership for 65000:1, the UPDATE body as captured on rr's
 * link in rtc_gobgp.sh (tshark, tcp.payload): ORIGIN IGP, empty AS_PATH,
 * LOCAL_PREF 100, MP_REACH AFI 1 SAFI 132, next hop 10.0.2.4, NLRI 96 bits. */
START_TEST(gobgp_update)
{
	static const uint8_t body[] = {
		0x00, 0x00, 0x00, 0x27, 0x40, 0x01, 0x01, 0x00, 0x40, 0x02, 0x00, 0x40,
		0x05, 0x04, 0x00, 0x00, 0x00, 0x64, 0x80, 0x0e, 0x16, 0x00, 0x01, 0x84,
		0x04, 0x0a, 0x00, 0x02, 0x04, 0x00, 0x60, 0x00, 0x00, 0xfd, 0xe8, 0x00,
		0x02, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x01,
	};
	struct bgp_decode_ctx ctx = { .as4 = true, .local_as = 65000, .peer_as = 65000, .rtc = true };
	struct bgp_update u;
	uint8_t bad[sizeof(body)];
	char buf[64];

	bgp_update_init(&u);
	bgp_update_decode(body, sizeof(body), &ctx, &u);
	ck_assert_int_eq(u.action, BGP_UPD_OK);
	ck_assert_int_eq(u.rtc_reach.n, 1);
	ck_assert_str_eq(bgp_rtc_str(&u.rtc_reach.v[0], buf, sizeof(buf)), "65000:65000:1");
	bgp_update_free(&u);
	/* a prefix length of 5: unparseable (reset) when negotiated, ignored when not */
	memcpy(bad, body, sizeof(body));
	bad[30] = 0x05;
	bgp_update_init(&u);
	bgp_update_decode(bad, sizeof(bad), &ctx, &u);
	ck_assert_int_eq(u.action, BGP_UPD_SESSION_RESET);
	bgp_update_free(&u);
	ctx.rtc = false;
	bgp_update_init(&u);
	bgp_update_decode(bad, sizeof(bad), &ctx, &u);
	ck_assert_int_eq(u.rtc_reach.n, 0);
	ck_assert_int_ne(u.action, BGP_UPD_SESSION_RESET);
	bgp_update_free(&u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bgp_rtc");
	TCase *tc = tcase_create("rtc");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, nlri_vectors);
	tcase_add_test(tc, nlri_refused);
	tcase_add_test(tc, host_bits_and_covers);
	tcase_add_test(tc, capability_both_ways);
	tcase_add_test(tc, update_round_trip_and_eor);
	tcase_add_test(tc, gobgp_update);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
