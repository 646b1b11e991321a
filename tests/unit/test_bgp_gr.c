/* Graceful restart (RFC 4724 3, RFC 8538): the capability both ways (R and
 * N bits, Restart Time, families with their F bits), entries of unknown
 * families ignored, a length that is not 2 + 4k refused with an OPEN
 * error; long-lived GR's capability (RFC 9494 3) the same way. (Stale and
 * long-lived stale routes: tests/topo/bgp_gr_frr.sh; LLGR in the decision:
 * test_bgp_decide.) */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lib/wbuf.h"
#include "mpbgp/wire.h"

static int open_rt(const struct bgp_capa *c, struct bgp_open *o)
{
	uint8_t m[BGP_MAX_MSG];
	struct wbuf w = wbuf_init_fixed(m, sizeof(m));
	uint8_t code, sub;
	char err[128];

	ck_assert_int_eq(bgp_open_encode(&w, 65000, 90, 0x0a000001, c), 0);
	return bgp_open_decode(m + BGP_HDR_LEN, wbuf_len(&w) - BGP_HDR_LEN, o, &code, &sub, err,
			       sizeof(err));
}

START_TEST(capability_round_trip)
{
	struct bgp_capa c = { 0 };
	struct bgp_open o;

	c.mp[BGP_AF_VPNV4] = c.mp[BGP_AF_IPV4_UNICAST] = true;
	c.gr = true;
	c.gr_restarting = true;
	c.gr_notification = true;
	c.gr_time = 4095;
	c.gr_af[BGP_AF_VPNV4] = true;
	c.gr_fwd[BGP_AF_VPNV4] = true;
	c.gr_af[BGP_AF_IPV4_UNICAST] = true;
	ck_assert_int_eq(open_rt(&c, &o), 0);
	ck_assert(o.capa.gr && o.capa.gr_restarting && o.capa.gr_notification);
	ck_assert_uint_eq(o.capa.gr_time, 4095);
	ck_assert(o.capa.gr_af[BGP_AF_VPNV4] && o.capa.gr_fwd[BGP_AF_VPNV4]);
	ck_assert(o.capa.gr_af[BGP_AF_IPV4_UNICAST] && !o.capa.gr_fwd[BGP_AF_IPV4_UNICAST]);
	ck_assert(!o.capa.gr_af[BGP_AF_VPNV6]);
	/* helper mode: no families, nothing else set */
	memset(&c, 0, sizeof(c));
	c.gr = true;
	c.gr_time = 120;
	ck_assert_int_eq(open_rt(&c, &o), 0);
	ck_assert(o.capa.gr && !o.capa.gr_restarting && !o.capa.gr_notification);
	ck_assert_uint_eq(o.capa.gr_time, 120);
	for (int af = 0; af < BGP_AF_MAX; af++)
		ck_assert(!o.capa.gr_af[af]);
}
END_TEST

/* RFC 9494 3: long-lived GR, per family its F bit and 24-bit stale time */
START_TEST(llgr_capability_round_trip)
{
	struct bgp_capa c = { 0 };
	struct bgp_open o;

	c.mp[BGP_AF_VPNV4] = c.mp[BGP_AF_VPNV6] = true;
	c.gr = true;
	c.llgr = true;
	c.llgr_af[BGP_AF_VPNV4] = c.llgr_af[BGP_AF_VPNV6] = true;
	c.llgr_fwd[BGP_AF_VPNV4] = true;
	c.llgr_time[BGP_AF_VPNV4] = 16777215;
	c.llgr_time[BGP_AF_VPNV6] = 3600;
	ck_assert_int_eq(open_rt(&c, &o), 0);
	ck_assert(o.capa.llgr);
	ck_assert(o.capa.llgr_af[BGP_AF_VPNV4] && o.capa.llgr_fwd[BGP_AF_VPNV4]);
	ck_assert_uint_eq(o.capa.llgr_time[BGP_AF_VPNV4], 16777215);
	ck_assert(o.capa.llgr_af[BGP_AF_VPNV6] && !o.capa.llgr_fwd[BGP_AF_VPNV6]);
	ck_assert_uint_eq(o.capa.llgr_time[BGP_AF_VPNV6], 3600);
	ck_assert(!o.capa.llgr_af[BGP_AF_IPV4_UNICAST]);
}
END_TEST

/* An OPEN body with one capability (code 64, or cc) of the given value. */
static int open_with_capa(uint8_t cc, const uint8_t *val, uint8_t len, struct bgp_open *o,
			  uint8_t *code, uint8_t *sub);
static int open_with_gr(const uint8_t *val, uint8_t len, struct bgp_open *o, uint8_t *code,
			uint8_t *sub)
{
	return open_with_capa(64, val, len, o, code, sub);
}

static int open_with_capa(uint8_t cc, const uint8_t *val, uint8_t len, struct bgp_open *o,
			  uint8_t *code, uint8_t *sub)
{
	uint8_t b[64] = { 4, 0xfd, 0xe8, 0, 90, 10, 0, 0, 1 };
	size_t n = 9;
	char err[128];

	b[n++] = (uint8_t)(len + 4); /* optional parameters length */
	b[n++] = 2;                  /* Capabilities */
	b[n++] = (uint8_t)(len + 2);
	b[n++] = cc;
	b[n++] = len;
	memcpy(b + n, val, len);
	n += len;
	return bgp_open_decode(b, n, o, code, sub, err, sizeof(err));
}

START_TEST(capability_refused_and_ignored)
{
	/* R+N, 300 s; IPv4 unicast F; AFI 25 / SAFI 70 (unknown): ignored */
	static const uint8_t ok[] = { 0xc1, 0x2c, 0x00, 0x01, 0x01, 0x80, 0x00, 0x19, 0x46, 0x80 };
	static const uint8_t bad[] = { 0x00, 0x78, 0x00, 0x01, 0x01 }; /* 2 + 3 */
	struct bgp_open o;
	uint8_t code = 0, sub = 0;

	ck_assert_int_eq(open_with_gr(ok, sizeof(ok), &o, &code, &sub), 0);
	ck_assert(o.capa.gr && o.capa.gr_restarting && o.capa.gr_notification);
	ck_assert_uint_eq(o.capa.gr_time, 300);
	ck_assert(o.capa.gr_af[BGP_AF_IPV4_UNICAST] && o.capa.gr_fwd[BGP_AF_IPV4_UNICAST]);
	ck_assert_int_eq(open_with_gr(bad, sizeof(bad), &o, &code, &sub), -1);
	ck_assert_uint_eq(code, BGP_ERR_OPEN);
	ck_assert_int_eq(open_with_gr(bad, 1, &o, &code, &sub), -1); /* shorter than flags+time */
}
END_TEST

/* LLGR (code 71): FRR's bytes for IPv4 unicast, F bit, 6 s; an unknown
 * family ignored; a length that is not 7k refused */
START_TEST(llgr_capability_refused_and_ignored)
{
	static const uint8_t ok[] = { 0x00, 0x01, 0x01, 0x80, 0x00, 0x00, 0x06,
				      0x00, 0x19, 0x46, 0x00, 0x00, 0x01, 0x00 };
	static const uint8_t bad[] = { 0x00, 0x01, 0x01, 0x80, 0x00, 0x00 };
	struct bgp_open o;
	uint8_t code = 0, sub = 0;

	ck_assert_int_eq(open_with_capa(71, ok, sizeof(ok), &o, &code, &sub), 0);
	ck_assert(o.capa.llgr && o.capa.llgr_af[BGP_AF_IPV4_UNICAST]);
	ck_assert(o.capa.llgr_fwd[BGP_AF_IPV4_UNICAST]);
	ck_assert_uint_eq(o.capa.llgr_time[BGP_AF_IPV4_UNICAST], 6);
	ck_assert_int_eq(open_with_capa(71, ok, 0, &o, &code, &sub), 0); /* no family */
	ck_assert(o.capa.llgr && !o.capa.llgr_af[BGP_AF_IPV4_UNICAST]);
	ck_assert_int_eq(open_with_capa(71, bad, sizeof(bad), &o, &code, &sub), -1);
	ck_assert_uint_eq(code, BGP_ERR_OPEN);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bgp_gr");
	TCase *tc = tcase_create("gr");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, capability_round_trip);
	tcase_add_test(tc, llgr_capability_round_trip);
	tcase_add_test(tc, llgr_capability_refused_and_ignored);
	tcase_add_test(tc, capability_refused_and_ignored);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
