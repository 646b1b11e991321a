/* LDP graceful restart (RFC 3478): the Fault Tolerant Session TLV (RFC
 * 3479) in Initialization, as vectors (lengths other than 12 refused with
 * Bad TLV Length, U/F bits, flags and reserved bits, repeats, order) and as
 * encoded; the Recovery Time we advertise; the helper, ldp/gr.c driving the
 * real LDE (ldp/lde.c) with a recording ops table and time passed in:
 * bindings kept stale on session loss and still forwarding, the reconnect
 * time (the smaller of the peer's and ours) deleting them all, a return
 * with a Recovery Time refreshing the re-advertised ones and sweeping the
 * rest at its end, Recovery Time 0 or no TLV deleting them at once, peers
 * that do not qualify, flush (`clear`), a flap during recovery; then the
 * commands, their running configuration and the JSON of a neighbor. */
#include "config.h"

#include <check.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "ldp/gr.h"
#include "ldp/lde.h"
#include "ldp/ldpd.h"
#include "ldp/wire.h"
#include "lib/log.h"
#include "lib/wbuf.h"
#include "vrf/vrf.h"

#define NONE MPLS_LABEL_NONE
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ FT TLV codec */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static size_t hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *s != '\0'; s++) {
		if ((v = hexval(*s)) < 0)
			continue;
		if (hi < 0) {
			hi = v;
			continue;
		}
		ck_assert(n < cap);
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	ck_assert(hi < 0);
	return n;
}

/* An Initialization message (ID 7) whose parameters are the TLVs in hex. */
static size_t init_msg(const char *tlvs, uint8_t *out, size_t cap)
{
	size_t n;

	ck_assert(cap > 8);
	n = hex(tlvs, out + 8, cap - 8);
	out[0] = 0x02;
	out[1] = 0x00;
	out[2] = (uint8_t)((n + 4) >> 8);
	out[3] = (uint8_t)(n + 4);
	memcpy(out + 4, "\x00\x00\x00\x07", 4);
	return n + 8;
}

#define CS "0500 000e 0001 00b4 00 00 1000 0a000001 0000 "

static const struct ft_vec {
	const char *name;
	const char *tlvs;
	uint32_t status; /* 0: accepted */
	bool has_ft;
	uint16_t flags;
	uint32_t reconnect, recovery;
} ft_vecs[] = {
	{ "no FT TLV", CS, 0, false, 0, 0, 0 },
	{ "FT L 120 s / 120 s", CS "8503 000c 0001 0000 0001d4c0 0001d4c0", 0, true, LDP_FT_L,
	  120000, 120000 },
	{ "FT before the common session TLV", "8503 000c 0001 0000 0001d4c0 00000000 " CS, 0, true,
	  LDP_FT_L, 120000, 0 },
	{ "FT with U=0 is still known", CS "0503 000c 0001 0000 00002710 00002710", 0, true,
	  LDP_FT_L, 10000, 10000 },
	{ "FT with U=1 F=1", CS "c503 000c 0001 0000 00000001 00000002", 0, true, LDP_FT_L, 1, 2 },
	{ "FT R and L, reserved bits ignored", CS "8503 000c 8001 ffff 00000000 0000ea60", 0, true,
	  LDP_FT_R | LDP_FT_L, 0, 60000 },
	{ "FT without L (RFC 3479 fault tolerance)", CS "8503 000c 000c 0000 00001000 00001000", 0,
	  true, LDP_FT_S | LDP_FT_A, 4096, 4096 },
	{ "FT repeated: the first counts",
	  CS "8503 000c 0001 0000 00000064 000000c8 8503 000c 0000 0000 00000000 00000000", 0, true,
	  LDP_FT_L, 100, 200 },
	{ "FT length 0", CS "8503 0000", LDP_ST_BAD_TLV_LEN, false, 0, 0, 0 },
	{ "FT length 8", CS "8503 0008 0001 0000 0001d4c0", LDP_ST_BAD_TLV_LEN, false, 0, 0, 0 },
	{ "FT length 11", CS "8503 000b 0001 0000 0001d4c0 0001d4", LDP_ST_BAD_TLV_LEN, false, 0,
	  0, 0 },
	{ "FT length 13", CS "8503 000d 0001 0000 0001d4c0 0001d4c0 00", LDP_ST_BAD_TLV_LEN,
	  false, 0, 0, 0 },
	{ "FT length 16", CS "8503 0010 0001 0000 0001d4c0 0001d4c0 00000000", LDP_ST_BAD_TLV_LEN,
	  false, 0, 0, 0 },
	{ "FT length beyond the message", CS "8503 000c 0001 0000 0001", LDP_ST_BAD_TLV_LEN, false,
	  0, 0, 0 },
	{ "FT header cut", CS "8503 00", LDP_ST_BAD_TLV_LEN, false, 0, 0, 0 },
	{ "FT alone: common session missing", "8503 000c 0001 0000 0001d4c0 0001d4c0",
	  LDP_ST_MISSING_PARAMS, false, 0, 0, 0 },
};

START_TEST(ft_decode_table)
{
	const struct ft_vec *v = &ft_vecs[_i];
	uint8_t buf[256];
	size_t n = init_msg(v->tlvs, buf, sizeof(buf));
	struct wbuf b = wbuf_from(buf, n);
	struct ldp_err err;
	struct ldp_msg m;
	int r;

	memset(&err, 0, sizeof(err));
	r = ldp_msg_next(&b, &m, &err);
	if (v->status != 0) {
		ck_assert_msg(r == -1, "%s: accepted", v->name);
		ck_assert_msg(err.status == v->status, "%s: status 0x%08x (%s), want 0x%08x", v->name,
			      err.status, ldp_status_name(err.status), v->status);
		ck_assert_uint_eq(err.msg_id, 7);
		ck_assert(ldp_status_fatal(err.status) == (v->status != LDP_ST_MISSING_PARAMS));
		return;
	}
	ck_assert_msg(r == 1, "%s: %s", v->name, err.reason);
	ck_assert_uint_eq(m.type, LDP_MSG_INIT);
	ck_assert_uint_eq(m.u_.init.keepalive, 180);
	ck_assert_uint_eq(m.u_.init.receiver.lsr_id, 0x0a000001);
	ck_assert_msg(m.u_.init.has_ft == v->has_ft, "%s: has_ft", v->name);
	ck_assert_uint_eq(m.u_.init.ft.flags, v->flags);
	ck_assert_uint_eq(m.u_.init.ft.reconnect_ms, v->reconnect);
	ck_assert_uint_eq(m.u_.init.ft.recovery_ms, v->recovery);
	ck_assert_uint_eq(m.unknown_tlvs, 0);
	ck_assert_uint_eq(wbuf_left(&b), 0);
	ldp_msg_clear(&m);
}
END_TEST

/* Our Initialization: the TLV with U=1 F=0, reserved 0, after the common
 * session TLV; all or nothing into short buffers; decoded back the same. */
START_TEST(ft_encode)
{
	uint8_t want[128], mem[128];
	size_t wn = init_msg(CS "8503 000c 0001 0000 0000ea60 0001d4c0", want, sizeof(want));
	struct ldp_msg m, back;
	struct ldp_err err;
	struct wbuf w, b;

	memset(&m, 0, sizeof(m));
	m.type = LDP_MSG_INIT;
	m.id = 7;
	m.u_.init.proto_version = 1;
	m.u_.init.keepalive = 180;
	m.u_.init.max_pdu = 4096;
	m.u_.init.receiver.lsr_id = 0x0a000001;
	m.u_.init.has_ft = true;
	m.u_.init.ft.flags = LDP_FT_L;
	m.u_.init.ft.reconnect_ms = 60000;
	m.u_.init.ft.recovery_ms = 120000;
	w = wbuf_init_fixed(mem, sizeof(mem));
	ck_assert_int_eq(ldp_msg_encode(&w, &m), 0);
	ck_assert_uint_eq(wbuf_len(&w), wn);
	ck_assert(memcmp(mem, want, wn) == 0);
	for (size_t cap = 0; cap < wn; cap++) {
		w = wbuf_init_fixed(mem, cap);
		ck_assert_int_eq(ldp_msg_encode(&w, &m), -1);
		ck_assert_uint_eq(wbuf_len(&w), 0);
	}
	b = wbuf_from(want, wn);
	ck_assert_int_eq(ldp_msg_next(&b, &back, &err), 1);
	ck_assert(memcmp(&back.u_.init, &m.u_.init, sizeof(m.u_.init)) == 0);
	ldp_msg_clear(&back);
	/* without graceful restart: no TLV at all */
	m.u_.init.has_ft = false;
	memset(&m.u_.init.ft, 0, sizeof(m.u_.init.ft));
	w = wbuf_init_fixed(mem, sizeof(mem));
	ck_assert_int_eq(ldp_msg_encode(&w, &m), 0);
	ck_assert_uint_eq(wbuf_len(&w), wn - 16);
}
END_TEST

/* Restarting side (RFC 3478): Recovery Time = what is left of our
 * Forwarding State Holding time, 0 without preserved forwarding. */
START_TEST(local_ft)
{
	struct ldp_ft ft;

	ldp_gr_local_ft(&ft, 120000, 0, 5000);
	ck_assert_uint_eq(ft.flags, LDP_FT_L);
	ck_assert_uint_eq(ft.reconnect_ms, 120000);
	ck_assert_uint_eq(ft.recovery_ms, 0);
	ldp_gr_local_ft(&ft, 30000, 5000 + 120000, 5000);
	ck_assert_uint_eq(ft.reconnect_ms, 30000);
	ck_assert_uint_eq(ft.recovery_ms, 120000);
	ldp_gr_local_ft(&ft, 30000, 5000 + 120000, 35000);
	ck_assert_uint_eq(ft.recovery_ms, 90000);
	ldp_gr_local_ft(&ft, 30000, 5000 + 120000, 125000);
	ck_assert_uint_eq(ft.recovery_ms, 0);
	ldp_gr_local_ft(&ft, 30000, 5000 + 120000, 999999);
	ck_assert_uint_eq(ft.recovery_ms, 0);
	ck_assert(ldp_gr_peer_capable(&ft));
	ft.reconnect_ms = 0; /* supports GR, does not keep its forwarding */
	ck_assert(!ldp_gr_peer_capable(&ft));
	ck_assert(!ldp_gr_peer_capable(NULL));
}
END_TEST

/* ------------------------------------------------------------ helper */

#define LBL_LIMIT 1024

static struct {
	bool alloc[LBL_LIMIT];
	int nalloc, errors;
	bool lfib[LBL_LIMIT];
	mpls_label_t lfib_out[LBL_LIMIT]; /* first path's label */
	int nlfib, lfib_dels, bound_empty, maps_to[8], rels_to[8];
	int sweeps;
	uint32_t swept_id;
} env;

static uint32_t R2, R3, NH2, NH3;
static struct lde *lde;
static struct ldp_gr *gr;

static int who(uint32_t lsr)
{
	return lsr == R2 ? 2 : lsr == R3 ? 3 : 0;
}

static mpls_label_t f_alloc(void *arg, const struct prefix4 *fec)
{
	(void)arg, (void)fec;
	for (mpls_label_t l = 16; l < LBL_LIMIT; l++)
		if (!env.alloc[l]) {
			env.alloc[l] = true;
			env.nalloc++;
			return l;
		}
	return NONE;
}

static void f_release(void *arg, mpls_label_t l)
{
	(void)arg;
	if (l >= LBL_LIMIT || !env.alloc[l] || env.lfib[l]) {
		env.errors++;
		return;
	}
	env.alloc[l] = false;
	env.nalloc--;
}

static void f_map(void *arg, uint32_t lsr, const struct prefix4 *fec, mpls_label_t l,
		  const uint32_t *req)
{
	(void)arg, (void)fec, (void)l, (void)req;
	env.maps_to[who(lsr)]++;
}

static void f_wdraw(void *arg, uint32_t lsr, const struct prefix4 *fec, mpls_label_t l)
{
	(void)arg, (void)lsr, (void)fec, (void)l;
}

static void f_rel(void *arg, uint32_t lsr, const struct prefix4 *fec, mpls_label_t l)
{
	(void)arg, (void)fec, (void)l;
	env.rels_to[who(lsr)]++;
}

static void f_notif(void *arg, uint32_t lsr, uint32_t st, const struct prefix4 *fec, uint32_t id)
{
	(void)arg, (void)lsr, (void)st, (void)fec, (void)id;
}

static void f_lfib_upd(void *arg, mpls_label_t in, const struct prefix4 *fec,
		       const struct lde_path *p, int n)
{
	(void)arg, (void)fec;
	if (in >= LBL_LIMIT || !env.alloc[in] || n < 1) {
		env.errors++;
		return;
	}
	if (!env.lfib[in])
		env.nlfib++;
	env.lfib[in] = true;
	env.lfib_out[in] = p[0].label;
}

static void f_lfib_del(void *arg, mpls_label_t in, const struct prefix4 *fec)
{
	(void)arg, (void)fec;
	if (in >= LBL_LIMIT || !env.lfib[in]) {
		env.errors++;
		return;
	}
	env.lfib[in] = false;
	env.nlfib--;
	env.lfib_dels++;
}

static void f_bound(void *arg, const struct prefix4 *fec, const struct lde_path *p, int n)
{
	(void)arg, (void)fec, (void)p;
	if (n == 0)
		env.bound_empty++;
}

static const struct lde_ops lops = {
	.alloc_label = f_alloc,
	.release_label = f_release,
	.send_mapping = f_map,
	.send_withdraw = f_wdraw,
	.send_release = f_rel,
	.send_notification = f_notif,
	.lfib_update = f_lfib_upd,
	.lfib_delete = f_lfib_del,
	.nh_bound = f_bound,
};

/* as ldpd.c does it */
static void g_sweep(void *arg, uint32_t lsr_id, const char *why)
{
	(void)arg, (void)why;
	env.sweeps++;
	env.swept_id = lsr_id;
	lde_nbr_stale_sweep(lde, lsr_id);
}

static const struct ldp_gr_ops gops = { g_sweep };

static struct prefix4 P(const char *s)
{
	struct prefix4 p;

	ck_assert_int_eq(prefix4_parse(s, &p, NULL), 0);
	return p;
}

static uint32_t A(const char *s)
{
	uint32_t a;

	ck_assert_int_eq(addr4_parse(s, &a), 0);
	return a;
}

static void route(const char *pfx, uint32_t nh)
{
	struct prefix4 p = P(pfx);
	struct lde_nh n;

	memset(&n, 0, sizeof(n));
	n.addr = nh;
	snprintf(n.ifname, sizeof(n.ifname), "eth0");
	lde_route_update(lde, &p, &n, 1, false);
}

static void rmap(uint32_t lsr, const char *pfx, mpls_label_t l)
{
	struct prefix4 p = P(pfx);

	lde_recv_mapping(lde, lsr, &p, l);
}

/* The label FEC pfx is forwarded with (out-label of its LFIB entry), NONE
 * when it has no entry. */
static mpls_label_t out_label(const char *pfx)
{
	struct prefix4 p = P(pfx);
	mpls_label_t in = lde_local_label(lde, &p);

	return in < LBL_LIMIT && env.lfib[in] ? env.lfib_out[in] : NONE;
}

static int stale_cb(void *arg, const struct lde_fec_info *fi)
{
	for (int i = 0; i < fi->nbindings; i++)
		if (fi->bindings[i].lsr_id == R2)
			*(bool *)arg = fi->bindings[i].stale;
	return 0;
}

static bool is_stale(const char *pfx)
{
	struct prefix4 p = P(pfx);
	bool st = false;

	lde_fec_get(lde, &p, stale_cb, &st);
	return st;
}

static const struct ldp_ft FT = { LDP_FT_L, 120000, 120000 };
static const struct ldp_gr_limits LIM = { 60000, 90000 }; /* ours */

/* R2 (next hop NH2) maps 9/8/7, R3 (NH3) maps 6. */
static void gr_setup(void)
{
	uint32_t a2[2], a3[2];

	log_init("test", true, false);
	memset(&env, 0, sizeof(env));
	R2 = A("2.2.2.2");
	R3 = A("3.3.3.3");
	NH2 = A("10.0.12.2");
	NH3 = A("10.0.13.3");
	a2[0] = R2, a2[1] = NH2, a3[0] = R3, a3[1] = NH3;
	lde = lde_new(&lops, NULL, NULL);
	gr = ldp_gr_new(&gops, NULL);
	ck_assert_int_eq(lde_nbr_up(lde, R2, a2, 2), 0);
	ck_assert_int_eq(lde_nbr_up(lde, R3, a3, 2), 0);
	route("9.9.9.9/32", NH2);
	route("8.8.8.8/32", NH2);
	route("7.7.7.7/32", NH2);
	route("6.6.6.6/32", NH3);
	rmap(R2, "9.9.9.9/32", 200);
	rmap(R2, "8.8.8.8/32", 201);
	rmap(R2, "7.7.7.7/32", 202);
	rmap(R3, "6.6.6.6/32", 300);
	ck_assert_int_eq(env.nlfib, 4);
}

static void gr_teardown(void)
{
	ldp_gr_free(gr);
	lde_free(lde);
	ck_assert_int_eq(env.errors, 0);
	ck_assert_int_eq(env.nalloc, 0);
	ck_assert_int_eq(env.nlfib, 0);
}

/* R2's session goes down at t and it qualifies: kept stale. */
static void r2_down(int64_t t)
{
	ck_assert(ldp_gr_session_down(gr, R2, &FT, &LIM, t));
	lde_nbr_down_stale(lde, R2);
}

static void r2_up(const struct ldp_ft *ft, int64_t t)
{
	ck_assert_int_eq(lde_nbr_up(lde, R2, NULL, 0), 0);
	ldp_gr_session_up(gr, R2, ft, &LIM, t);
}

START_TEST(stale_kept_on_session_loss)
{
	const struct ldp_gr_peer *p;

	r2_down(1000);
	/* still forwarding with R2's labels: nothing left the LFIB or BGP */
	ck_assert_int_eq(env.lfib_dels, 0);
	ck_assert_int_eq(env.bound_empty, 0);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), 200);
	ck_assert_uint_eq(out_label("7.7.7.7/32"), 202);
	ck_assert(is_stale("9.9.9.9/32"));
	ck_assert(lde_nbr_exists(lde, R2));
	ck_assert_uint_eq(lde_nbr_stale_count(lde, R2), 3);
	/* R2 has no session: a new FEC is advertised to R3 only */
	env.maps_to[2] = env.maps_to[3] = 0;
	route("5.5.5.5/32", NH3);
	ck_assert_int_eq(env.maps_to[2], 0);
	ck_assert_int_eq(env.maps_to[3], 1);
	/* min(its 120 s, our 60 s) */
	p = ldp_gr_find(gr, R2);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->state, LDP_GR_RECONNECT);
	ck_assert_uint_eq(p->reconnect_ms, 120000);
	ck_assert_int_eq(ldp_gr_next_deadline(gr), 61000);
	ck_assert_int_eq(ldp_gr_expire(gr, 60999), 61000);
	ck_assert_int_eq(env.sweeps, 0);
	ck_assert_uint_eq(out_label("8.8.8.8/32"), 201);
}
END_TEST

START_TEST(reconnect_expiry_drops_all)
{
	r2_down(1000);
	ck_assert_int_eq(ldp_gr_expire(gr, 61000), -1);
	ck_assert_int_eq(env.sweeps, 1);
	ck_assert_uint_eq(env.swept_id, R2);
	ck_assert_ptr_null(ldp_gr_find(gr, R2));
	ck_assert(!lde_nbr_exists(lde, R2));
	ck_assert_uint_eq(out_label("9.9.9.9/32"), NONE);
	ck_assert_uint_eq(out_label("8.8.8.8/32"), NONE);
	ck_assert_uint_eq(out_label("7.7.7.7/32"), NONE);
	ck_assert_int_eq(env.lfib_dels, 3);
	ck_assert_int_eq(env.bound_empty, 3); /* BGP's labelled paths hear of it */
	ck_assert_int_eq(env.rels_to[2], 0);
	ck_assert_uint_eq(out_label("6.6.6.6/32"), 300); /* R3's untouched */
	/* it comes back late: a fresh start, no stale state */
	r2_up(&FT, 70000);
	ck_assert_ptr_null(ldp_gr_find(gr, R2));
	ck_assert_uint_eq(lde_nbr_stale_count(lde, R2), 0);
}
END_TEST

START_TEST(recovery_refreshes_and_sweeps_the_rest)
{
	uint32_t a2[2];
	const struct ldp_gr_peer *p;

	r2_down(1000);
	env.maps_to[2] = 0;
	r2_up(&FT, 5000);
	/* every local binding goes to it again (RFC 5036 2.6.1.1) */
	ck_assert_int_eq(env.maps_to[2], 4);
	/* min(its 120 s, our 90 s) from its return */
	p = ldp_gr_find(gr, R2);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->state, LDP_GR_RECOVERY);
	ck_assert_int_eq(ldp_gr_next_deadline(gr), 95000);
	/* its Address message has not come yet: the old addresses still map
	 * the next hop */
	ck_assert_uint_eq(out_label("9.9.9.9/32"), 200);
	a2[0] = R2, a2[1] = NH2;
	lde_nbr_addresses_add(lde, R2, a2, 2);
	/* same label: refreshed; new label: replaces the stale one, no Release */
	rmap(R2, "9.9.9.9/32", 200);
	rmap(R2, "8.8.8.8/32", 250);
	ck_assert(!is_stale("9.9.9.9/32"));
	ck_assert(!is_stale("8.8.8.8/32"));
	ck_assert(is_stale("7.7.7.7/32"));
	ck_assert_uint_eq(out_label("8.8.8.8/32"), 250);
	ck_assert_int_eq(env.rels_to[2], 0);
	ck_assert_uint_eq(lde_nbr_stale_count(lde, R2), 1);
	ck_assert_int_eq(env.lfib_dels, 0);
	ck_assert_int_eq(ldp_gr_expire(gr, 94999), 95000);
	ck_assert_int_eq(env.sweeps, 0);
	/* recovery over: only 7.7.7.7 (not advertised again) goes */
	ck_assert_int_eq(ldp_gr_expire(gr, 95000), -1);
	ck_assert_int_eq(env.sweeps, 1);
	ck_assert_uint_eq(out_label("7.7.7.7/32"), NONE);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), 200);
	ck_assert_uint_eq(out_label("8.8.8.8/32"), 250);
	ck_assert_int_eq(env.lfib_dels, 1);
	ck_assert_int_eq(env.bound_empty, 1);
	ck_assert_int_eq(env.rels_to[2], 0);
	ck_assert_uint_eq(lde_nbr_stale_count(lde, R2), 0);
	ck_assert(lde_nbr_exists(lde, R2));
	ck_assert_ptr_null(ldp_gr_find(gr, R2));
}
END_TEST

START_TEST(recovery_time_zero_drops_at_once)
{
	struct ldp_ft ft0 = FT;

	ft0.recovery_ms = 0; /* it did not keep its forwarding */
	r2_down(1000);
	r2_up(&ft0, 2000);
	ck_assert_int_eq(env.sweeps, 1);
	ck_assert_ptr_null(ldp_gr_find(gr, R2));
	ck_assert_int_eq(ldp_gr_next_deadline(gr), -1);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), NONE);
	ck_assert_uint_eq(out_label("7.7.7.7/32"), NONE);
	ck_assert_int_eq(env.lfib_dels, 3);
	ck_assert(lde_nbr_exists(lde, R2)); /* the session itself stays up */
	/* its addresses from before went with the stale state: what it maps
	 * after its Address message is used again */
	rmap(R2, "9.9.9.9/32", 400);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), NONE);
	lde_nbr_addresses_add(lde, R2, &NH2, 1);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), 400);
	ck_assert(!is_stale("9.9.9.9/32"));
}
END_TEST

START_TEST(back_without_ft_drops_at_once)
{
	r2_down(1000);
	r2_up(NULL, 2000);
	ck_assert_int_eq(env.sweeps, 1);
	ck_assert_uint_eq(out_label("8.8.8.8/32"), NONE);
	ck_assert_uint_eq(lde_nbr_stale_count(lde, R2), 0);
}
END_TEST

/* No helper: the peer does not qualify, or we do not help (graceful
 * restart off, our own config or `clear`: lim NULL). A record from before
 * is forgotten (the caller deletes the bindings). */
START_TEST(not_kept_when_not_qualified)
{
	struct ldp_ft noL = FT, norec = FT;

	noL.flags = LDP_FT_R;
	norec.reconnect_ms = 0;
	ck_assert(!ldp_gr_session_down(gr, R2, NULL, &LIM, 1000));
	ck_assert(!ldp_gr_session_down(gr, R2, &noL, &LIM, 1000));
	ck_assert(!ldp_gr_session_down(gr, R2, &norec, &LIM, 1000));
	ck_assert(!ldp_gr_session_down(gr, R2, &FT, NULL, 1000));
	ck_assert_ptr_null(ldp_gr_first(gr));
	r2_down(1000);
	ck_assert_int_eq(lde_nbr_up(lde, R2, NULL, 0), 0);
	ck_assert(!ldp_gr_session_down(gr, R2, &FT, NULL, 2000)); /* `clear` */
	ck_assert_ptr_null(ldp_gr_find(gr, R2));
	lde_nbr_down(lde, R2);
	ck_assert_int_eq(env.sweeps, 0);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), NONE);
	ck_assert(!lde_nbr_exists(lde, R2));
}
END_TEST

/* `clear mpls ldp neighbor`, `no graceful-restart`, `no mpls ldp`. */
START_TEST(flush_drops_at_once)
{
	ck_assert(ldp_gr_session_down(gr, R3, &FT, &LIM, 1000));
	lde_nbr_down_stale(lde, R3);
	r2_down(1000);
	ldp_gr_flush(gr, R2, "cleared");
	ck_assert_int_eq(env.sweeps, 1);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), NONE);
	ck_assert_uint_eq(out_label("6.6.6.6/32"), 300);
	ck_assert_ptr_nonnull(ldp_gr_find(gr, R3));
	ldp_gr_flush(gr, 0, "stopped");
	ck_assert_int_eq(env.sweeps, 2);
	ck_assert_uint_eq(out_label("6.6.6.6/32"), NONE);
	ck_assert_ptr_null(ldp_gr_first(gr));
	ck_assert(!lde_nbr_exists(lde, R3));
}
END_TEST

/* Down again during its recovery: the refreshed bindings are stale again
 * and the reconnect time starts over. */
START_TEST(flap_during_recovery)
{
	r2_down(1000);
	r2_up(&FT, 5000);
	rmap(R2, "9.9.9.9/32", 200);
	ck_assert_uint_eq(lde_nbr_stale_count(lde, R2), 2);
	r2_down(10000);
	ck_assert_uint_eq(lde_nbr_stale_count(lde, R2), 3);
	ck_assert_int_eq(ldp_gr_find(gr, R2)->state, LDP_GR_RECONNECT);
	ck_assert_int_eq(ldp_gr_next_deadline(gr), 70000);
	ck_assert_int_eq(ldp_gr_expire(gr, 69999), 70000);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), 200);
	ck_assert_int_eq(ldp_gr_expire(gr, 70000), -1);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), NONE);
	ck_assert(!lde_nbr_exists(lde, R2));
}
END_TEST

/* A neighbor flapping within its windows, never re-advertising 8.8.8.8:
 * what stays stale goes at our reconnect + recovery time after its first
 * loss (1000 + 60000 + 90000), not later. */
START_TEST(flapping_does_not_extend)
{
	uint32_t a2[2] = { R2, NH2 };

	r2_down(1000);
	r2_up(&FT, 40000);
	rmap(R2, "9.9.9.9/32", 200);
	r2_down(100000);
	ck_assert_int_eq(ldp_gr_next_deadline(gr), 151000);
	r2_up(&FT, 140000);
	ck_assert_int_eq(ldp_gr_next_deadline(gr), 151000);
	lde_nbr_addresses_add(lde, R2, a2, 2);
	rmap(R2, "9.9.9.9/32", 200);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), 200);
	ck_assert_uint_eq(lde_nbr_stale_count(lde, R2), 2);
	ck_assert_int_eq(ldp_gr_expire(gr, 150999), 151000);
	ck_assert_uint_eq(out_label("8.8.8.8/32"), 201);
	ck_assert_int_eq(ldp_gr_expire(gr, 151000), -1);
	ck_assert_uint_eq(out_label("8.8.8.8/32"), NONE);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), 200);
}
END_TEST

/* An address it withdraws after its return stops mapping its next hop,
 * the one from before its restart included. */
START_TEST(address_withdraw_during_recovery)
{
	uint32_t nh = NH2;

	r2_down(1000);
	r2_up(&FT, 5000);
	lde_nbr_addresses_del(lde, R2, &nh, 1);
	ck_assert_uint_eq(out_label("9.9.9.9/32"), NONE);
	ldp_gr_expire(gr, 95000);
	ck_assert_uint_eq(lde_nbr_stale_count(lde, R2), 0);
}
END_TEST

/* Random sessions going down (kept or not), coming back, mappings,
 * withdraws, routes and sweeps: the LFIB and the label manager stay
 * consistent (the recording ops count any error), each neighbor's stale
 * count is its stale bindings, and everything is freed at the end. */
struct stale_count {
	uint32_t lsr;
	size_t n;
};

static int count_cb(void *arg, const struct lde_fec_info *fi)
{
	struct stale_count *c = arg;

	for (int i = 0; i < fi->nbindings; i++)
		if (fi->bindings[i].lsr_id == c->lsr && fi->bindings[i].stale)
			c->n++;
	return 0;
}

START_TEST(random_sequence)
{
	static const char *const pfx[] = { "9.9.9.9/32", "8.8.8.8/32", "7.7.7.7/32",
					   "6.6.6.6/32", "5.5.5.0/24", "4.4.4.4/32" };
	uint32_t seed = 77u + (uint32_t)_i, ids[2] = { R2, R3 }, nhs[2] = { NH2, NH3 };
	bool up[2] = { true, true };
	int64_t now = 0;

	for (int step = 0; step < 3000; step++) {
		int k, w;

		seed = seed * 1103515245u + 12345u;
		k = (int)((seed >> 8) % 2);
		w = (int)((seed >> 12) % 10);
		now += (seed >> 16) % 20000;
		switch (w) {
		case 0:
			if (up[k] && ldp_gr_session_down(gr, ids[k], &FT, &LIM, now))
				lde_nbr_down_stale(lde, ids[k]);
			else if (up[k])
				lde_nbr_down(lde, ids[k]);
			up[k] = false;
			break;
		case 1:
			if (!up[k]) {
				struct ldp_ft ft = FT;

				ft.recovery_ms = (seed >> 20) % 3 == 0 ? 0 : 30000;
				ck_assert_int_eq(lde_nbr_up(lde, ids[k], &nhs[k], 1), 0);
				ldp_gr_session_up(gr, ids[k], &ft, &LIM, now);
				up[k] = true;
			}
			break;
		case 2:
		case 3:
		case 4:
			if (up[k])
				rmap(ids[k], pfx[(seed >> 20) % NELEM(pfx)],
				     16 + (seed >> 24) % 64);
			break;
		case 5:
			if (up[k]) {
				struct prefix4 p = P(pfx[(seed >> 20) % NELEM(pfx)]);

				lde_recv_withdraw(lde, ids[k], &p, NONE);
			}
			break;
		case 6:
			route(pfx[(seed >> 20) % NELEM(pfx)], nhs[(seed >> 24) % 2]);
			break;
		case 7: {
			struct prefix4 p = P(pfx[(seed >> 20) % NELEM(pfx)]);

			lde_route_delete(lde, &p);
			break;
		}
		case 8:
			ldp_gr_expire(gr, now);
			break;
		default:
			if ((seed >> 20) % 8 == 0)
				ldp_gr_flush(gr, ids[k], "cleared");
			break;
		}
		ck_assert_int_eq(env.errors, 0);
		for (int j = 0; j < 2; j++) {
			struct stale_count c = { ids[j], 0 };

			lde_fec_walk(lde, count_cb, &c);
			ck_assert_uint_eq(c.n, lde_nbr_stale_count(lde, ids[j]));
			/* a neighbor down and not kept is gone from the LDE */
			if (!up[j] && ldp_gr_find(gr, ids[j]) == NULL)
				ck_assert(!lde_nbr_exists(lde, ids[j]));
			if (ldp_gr_find(gr, ids[j]) == NULL)
				ck_assert_uint_eq(c.n, 0);
		}
	}
}
END_TEST

/* ------------------------------------------------------------ commands */

static struct event_base *base;
static struct cli *cli;
static char out[65536];

static uint32_t rid(void) { return 0x0a000001; }
static mpls_label_t lalloc(const struct prefix4 *p) { (void)p; return 16; }
static void lrel(mpls_label_t l) { (void)l; }
static const struct ldpd_ops ops = { rid, lalloc, lrel, NULL, NULL, NULL };

void ldpd_test_start(struct event_base *b);

static void capture(void *arg, const char *buf, size_t len)
{
	(void)arg;
	strncat(out, buf, len < sizeof(out) - strlen(out) - 1 ? len : sizeof(out) - strlen(out) - 1);
}

static void run(const char *line)
{
	ck_assert_msg(cli_execute(cli, line) == CMD_SUCCESS, "%s: %s", line, out);
}

static void cli_setup(void)
{
	log_init("test", true, false);
	cmd_init();
	cmd_node_install(NODE_VIEW, "view", NODE_VIEW);
	cmd_node_install(NODE_CONFIG, "config", NODE_VIEW);
	vrf_init();
	ldpd_init(&ops);
	cli = cli_new(capture, NULL);
	cli_set_node(cli, NODE_CONFIG, NULL);
	out[0] = '\0';
	base = event_base_new();
}

static void cli_teardown(void)
{
	ldpd_fini();
	cli_free(cli);
	vrf_fini();
	cmd_fini();
	event_base_free(base);
}

START_TEST(config_round_trip)
{
	run("mpls ldp");
	run("router-id 10.0.0.1");
	run("graceful-restart");
	run("graceful-restart reconnect-time 30");
	run("graceful-restart recovery-time 1800");
	ck_assert_int_ne(cli_execute(cli, "graceful-restart recovery-time 1801"), CMD_SUCCESS);
	ck_assert_int_ne(cli_execute(cli, "graceful-restart reconnect-time 0"), CMD_SUCCESS);
	out[0] = '\0';
	ldp_config_write(cli);
	ck_assert_str_eq(out, "mpls ldp\n"
			      " router-id 10.0.0.1\n"
			      " graceful-restart\n"
			      " graceful-restart reconnect-time 30\n"
			      " graceful-restart recovery-time 1800\n"
			      " !\n"
			      "exit\n"
			      "!\n");
	ck_assert(ldpd_conf.gr);
	ck_assert_uint_eq(ldpd_conf.gr_reconnect, 30);
	run("no graceful-restart reconnect-time");
	run("no graceful-restart recovery-time 1800");
	run("no graceful-restart");
	out[0] = '\0';
	ldp_config_write(cli);
	ck_assert_str_eq(out, "mpls ldp\n router-id 10.0.0.1\n !\nexit\n!\n");
	ck_assert(!ldpd_conf.gr);
	ck_assert_uint_eq(ldpd_conf.gr_reconnect, 0);
	ck_assert_uint_eq(ldpd_conf.gr_recovery, 0);
	run("graceful-restart");
	run("exit");
	run("no mpls ldp"); /* back to the defaults */
	ck_assert(!ldpd_conf.gr);
}
END_TEST

/* A neighbor (from a Hello, no session yet) says it is not known to do
 * graceful restart; the restart gate's counters; `clear` with nothing to
 * clear. */
START_TEST(show_and_gate)
{
	struct ldp_hello h = { .holdtime = 15 };

	run("mpls ldp");
	run("router-id 10.0.0.1");
	run("graceful-restart");
	run("address-family ipv4");
	run("interface eth0");
	ldpd_set_fwd_preserved(true);
	ldpd_test_start(base);
	ck_assert_int_eq(ldpd_hello_input("eth0", 0x0a000002, 0x0a000002, &h), 0);
	ck_assert_int_eq(ldpd_operational_sessions(), 0);
	ck_assert_uint_eq(ldpd_last_mapping_ms(), 0);
	ck_assert_ptr_nonnull(ldpd_gr());
	ck_assert_ptr_null(ldp_gr_first(ldpd_gr()));
	cli_set_node(cli, NODE_VIEW, NULL);
	out[0] = '\0';
	run("show mpls ldp neighbor json");
	ck_assert_ptr_nonnull(strstr(out, "\"neighborId\":\"10.0.0.2\""));
	ck_assert_ptr_nonnull(strstr(out, "\"grCapable\":false"));
	ck_assert_ptr_nonnull(strstr(out, "\"grStale\":false"));
	ck_assert_ptr_nonnull(strstr(out, "\"grReconnectTimeMsecs\":0"));
	out[0] = '\0';
	run("show mpls ldp neighbor detail");
	ck_assert_ptr_nonnull(strstr(out, "  Graceful Restart: not capable\n"));
	run("clear mpls ldp neighbor");
	run("clear mpls ldp neighbor 10.0.0.2");
	ck_assert_int_eq(ldpd_clear_neighbor(0), 0);
}
END_TEST

void ldpd_test_session_loss(uint32_t lsr_id, const struct ldp_ft *ft);

static bool has(const char *s)
{
	return strstr(out, s) != NULL;
}

/* A restarting neighbor without a neighbor entry is listed while its
 * bindings are kept; `clear`, `no graceful-restart` and `no mpls ldp` end
 * that at once; without `graceful-restart` nothing is kept. */
START_TEST(helper_in_the_instance)
{
	struct ldp_ft ft = { LDP_FT_L, 300000, 120000 };

	run("mpls ldp");
	run("router-id 10.0.0.1");
	run("graceful-restart reconnect-time 30");
	ldpd_test_start(base);
	ldpd_test_session_loss(0x0a000009, &ft);
	ck_assert_ptr_null(ldp_gr_first(ldpd_gr())); /* graceful-restart not on */
	run("graceful-restart");
	ldpd_test_session_loss(0x0a000009, &ft);
	ck_assert_ptr_nonnull(ldp_gr_find(ldpd_gr(), 0x0a000009));
	ck_assert_int_le(ldpd_gr_remaining_ms(ldp_gr_first(ldpd_gr())), 30000);
	ck_assert_int_gt(ldpd_gr_remaining_ms(ldp_gr_first(ldpd_gr())), 20000);
	cli_set_node(cli, NODE_VIEW, NULL);
	out[0] = '\0';
	run("show mpls ldp neighbor json");
	ck_assert(has("\"neighborId\":\"10.0.0.9\""));
	ck_assert(has("\"state\":\"NONEXISTENT\""));
	ck_assert(has("\"grCapable\":true"));
	ck_assert(has("\"grReconnectTimeMsecs\":300000"));
	ck_assert(has("\"grRecoveryTimeMsecs\":120000"));
	ck_assert(has("\"grStale\":true"));
	ck_assert(has("\"grState\":\"reconnect\""));
	ck_assert(has("\"grStaleBindings\":0"));
	ck_assert(has("\"grRemainingMsecs\":"));
	out[0] = '\0';
	run("show mpls ldp neighbor 10.0.0.9 detail");
	ck_assert(has("Peer LDP Identifier: 10.0.0.9:0\n  State: NONEXISTENT\n"));
	ck_assert(has("  Graceful Restart: capable; Reconnect Time: 300000 ms; Recovery Time: 120000 ms\n"));
	ck_assert(has("  Stale bindings: 0 (reconnect, "));
	out[0] = '\0';
	run("show mpls ldp neighbor");
	ck_assert(has("ipv4 10.0.0.9        NONEXISTENT -"));
	run("clear mpls ldp neighbor 10.0.0.8"); /* another one */
	ck_assert_ptr_nonnull(ldp_gr_first(ldpd_gr()));
	run("clear mpls ldp neighbor 10.0.0.9");
	ck_assert_ptr_null(ldp_gr_first(ldpd_gr()));
	ldpd_test_session_loss(0x0a000009, &ft);
	ck_assert_int_eq(ldpd_clear_neighbor(0), 1);
	ck_assert_ptr_null(ldp_gr_first(ldpd_gr()));
	ldpd_test_session_loss(0x0a000009, &ft);
	cli_set_node(cli, NODE_LDP, NULL);
	run("no graceful-restart");
	ck_assert_ptr_null(ldp_gr_first(ldpd_gr()));
	run("graceful-restart");
	ldpd_test_session_loss(0x0a000009, &ft);
	ck_assert_ptr_nonnull(ldp_gr_first(ldpd_gr()));
	run("exit");
	run("no mpls ldp");
	ck_assert_ptr_null(ldpd_gr());
}
END_TEST

static Suite *gr_suite(void)
{
	Suite *s = suite_create("ldp_gr");
	TCase *tc = tcase_create("ft_tlv");

	tcase_add_loop_test(tc, ft_decode_table, 0, (int)NELEM(ft_vecs));
	tcase_add_test(tc, ft_encode);
	tcase_add_test(tc, local_ft);
	suite_add_tcase(s, tc);
	tc = tcase_create("helper");
	tcase_add_checked_fixture(tc, gr_setup, gr_teardown);
	tcase_add_test(tc, stale_kept_on_session_loss);
	tcase_add_test(tc, reconnect_expiry_drops_all);
	tcase_add_test(tc, recovery_refreshes_and_sweeps_the_rest);
	tcase_add_test(tc, recovery_time_zero_drops_at_once);
	tcase_add_test(tc, back_without_ft_drops_at_once);
	tcase_add_test(tc, not_kept_when_not_qualified);
	tcase_add_test(tc, flush_drops_at_once);
	tcase_add_test(tc, flap_during_recovery);
	tcase_add_test(tc, flapping_does_not_extend);
	tcase_add_test(tc, address_withdraw_during_recovery);
	tcase_add_loop_test(tc, random_sequence, 0, 4);
	suite_add_tcase(s, tc);
	tc = tcase_create("commands");
	tcase_add_checked_fixture(tc, cli_setup, cli_teardown);
	tcase_add_test(tc, config_round_trip);
	tcase_add_test(tc, show_and_gate);
	tcase_add_test(tc, helper_in_the_instance);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(gr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
