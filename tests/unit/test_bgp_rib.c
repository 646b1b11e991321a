/* mpbgp/rib.c and mpbgp/adjout.c: Loc-RIB with Adj-RIB-In index (best-path
 * changes and hooks, withdraw, session down, loop detection RFC 4271 9.1.2 /
 * RFC 4456 8, next-hop revalidation, ordered walk, memory per path and
 * insert rate at 200k paths) and Adj-RIB-Out (split horizon, RFC 4456
 * reflection, eBGP rules, packing of many NLRI per UPDATE, withdrawals,
 * End-of-RIB RFC 4724 2, queue-full resume).
 *
 * The attribute interning and UPDATE encoders of mpbgp/attr.c and
 * mpbgp/update.c are stubbed here with weak symbols, so linking the real
 * files replaces them (then every UPDATE sent is decoded back with the real
 * decoder). The stub encoder writes a marker (reach, withdraw, EoR, and how
 * many NLRI) and packs VPNv4 NLRI by their real wire size. */
#include "config.h"

#include <check.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "lib/wbuf.h"
#include "mpbgp/rib.h"

#define WEAK __attribute__((weak))

/* ---- test-only stand-ins for attr.c / update.c ---- */

struct stub_attr {
	struct bgp_attr a;
	struct stub_attr *next;
};
static struct stub_attr *interned;
static size_t ninterned;

WEAK void bgp_attr_init(struct bgp_attr *a)
{
	memset(a, 0, sizeof(*a));
}

WEAK void bgp_attr_clear(struct bgp_attr *a)
{
	free(a->aspath);
	free(a->communities);
	free(a->ecomms);
	free(a->cluster_list);
	free(a->unknown);
	memset(a, 0, sizeof(*a));
}

static void *dup_mem(const void *p, size_t n)
{
	void *q;

	if (p == NULL || n == 0)
		return NULL;
	q = xmalloc(n);
	memcpy(q, p, n);
	return q;
}

WEAK void bgp_attr_copy(struct bgp_attr *dst, const struct bgp_attr *src)
{
	*dst = *src;
	dst->aspath = dup_mem(src->aspath, src->aspath_len);
	dst->communities = dup_mem(src->communities, src->ncommunities * sizeof(uint32_t));
	dst->ecomms = dup_mem(src->ecomms, src->necomms * sizeof(struct ecomm));
	dst->cluster_list = dup_mem(src->cluster_list, src->ncluster * sizeof(uint32_t));
	dst->unknown = dup_mem(src->unknown, src->unknown_len);
	dst->refcnt = 0;
}

static bool mem_eq(const void *a, const void *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

WEAK bool bgp_attr_equal(const struct bgp_attr *a, const struct bgp_attr *b)
{
	return a->present == b->present && a->origin == b->origin &&
	       a->aspath_len == b->aspath_len && mem_eq(a->aspath, b->aspath, a->aspath_len) &&
	       ipaddr_equal(&a->nexthop, &b->nexthop) && a->med == b->med && a->local_pref == b->local_pref &&
	       a->originator_id == b->originator_id && a->ncluster == b->ncluster &&
	       mem_eq(a->cluster_list, b->cluster_list, a->ncluster * sizeof(uint32_t)) &&
	       a->necomms == b->necomms &&
	       mem_eq(a->ecomms, b->ecomms, a->necomms * sizeof(struct ecomm)) &&
	       a->ncommunities == b->ncommunities &&
	       mem_eq(a->communities, b->communities, a->ncommunities * sizeof(uint32_t));
}

WEAK const struct bgp_attr *bgp_attr_intern(const struct bgp_attr *tmpl)
{
	struct stub_attr *s;

	for (s = interned; s != NULL; s = s->next)
		if (bgp_attr_equal(&s->a, tmpl)) {
			s->a.refcnt++;
			return &s->a;
		}
	s = xcalloc(1, sizeof(*s));
	bgp_attr_copy(&s->a, tmpl);
	s->a.refcnt = 1;
	s->next = interned;
	interned = s;
	ninterned++;
	return &s->a;
}

WEAK void bgp_attr_ref(const struct bgp_attr *ca)
{
	struct bgp_attr *a = (struct bgp_attr *)(uintptr_t)ca;

	ck_assert_uint_gt(a->refcnt, 0);
	a->refcnt++;
}

WEAK void bgp_attr_unref(const struct bgp_attr *ca)
{
	struct bgp_attr *a = (struct bgp_attr *)(uintptr_t)ca;
	struct stub_attr **pp;

	if (a == NULL)
		return;
	ck_assert_uint_gt(a->refcnt, 0);
	if (--a->refcnt > 0)
		return;
	for (pp = &interned; &(*pp)->a != a; pp = &(*pp)->next)
		;
	*pp = (*pp)->next;
	bgp_attr_clear(a);
	free(a); /* a is the first member of its stub_attr */
	ninterned--;
}

WEAK size_t bgp_attr_interned_count(void)
{
	return ninterned;
}

WEAK void bgp_aspath_prepend(struct bgp_attr *a, uint32_t asn)
{
	uint8_t *n = xmalloc((size_t)a->aspath_len + 6);
	uint8_t v[4] = {(uint8_t)(asn >> 24), (uint8_t)(asn >> 16), (uint8_t)(asn >> 8),
			(uint8_t)asn};
	size_t len;

	if (a->aspath_len >= 2 && a->aspath[0] == BGP_ASPATH_SEQUENCE && a->aspath[1] < 255) {
		n[0] = BGP_ASPATH_SEQUENCE;
		n[1] = (uint8_t)(a->aspath[1] + 1);
		memcpy(n + 2, v, 4);
		memcpy(n + 6, a->aspath + 2, a->aspath_len - 2u);
		len = a->aspath_len + 4u;
	} else {
		n[0] = BGP_ASPATH_SEQUENCE;
		n[1] = 1;
		memcpy(n + 2, v, 4);
		if (a->aspath_len > 0)
			memcpy(n + 6, a->aspath, a->aspath_len);
		len = a->aspath_len + 6u;
	}
	free(a->aspath);
	a->aspath = n;
	a->aspath_len = (uint16_t)len;
	a->present |= BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
}

#define MARK_REACH 1
#define MARK_WITHDRAW 2
#define MARK_EOR 3

static size_t stub_nlri_size(enum bgp_af af, const struct bgp_nlri *n)
{
	size_t s = 1 + (n->p.pfx.len + 7u) / 8;

	if (af == BGP_AF_VPNV4)
		s += 8 + 3 * (size_t)(n->nlabels > 0 ? n->nlabels : 1);
	return s;
}

static const struct bgp_attr *last_attr;
static bool stub_wire; /* the stub encoders ran (update.c not linked) */

WEAK void bgp_update_init(struct bgp_update *u)
{
	memset(u, 0, sizeof(*u));
}

WEAK void bgp_update_free(struct bgp_update *u)
{
	(void)u;
}

WEAK void bgp_update_decode(const uint8_t *body, size_t len, const struct bgp_decode_ctx *ctx,
			    struct bgp_update *u)
{
	(void)body;
	(void)len;
	(void)ctx;
	(void)u;
	ck_abort_msg("stub decoder called with the stub encoder");
}

/* header, marker byte, count, then padding to the real size */
static int stub_encode(struct wbuf *w, enum bgp_af af, const struct bgp_attr *attr,
		       const struct bgp_nlri *nlri, int n, uint8_t mark)
{
	size_t used = BGP_HDR_LEN + 4, i;
	int k = 0;

	if (attr != NULL) /* ~ORIGIN, AS_PATH, LOCAL_PREF, MP_REACH header with next hop */
		used += 4 + 4 + attr->aspath_len + 7 + 7 + 21 + 4 * (size_t)attr->ncluster;
	else if (af == BGP_AF_VPNV4)
		used += 7; /* MP_UNREACH header */
	for (i = 0; i < (size_t)n; i++) {
		size_t s = stub_nlri_size(af, &nlri[i]);

		if (attr != NULL && af == BGP_AF_VPNV4 && nlri[i].nlabels < 1)
			break; /* as nlri.c: a VPN route needs a label */
		if (used + s > BGP_MAX_MSG)
			break;
		used += s;
		k++;
	}
	if (k == 0)
		return -1;
	wbuf_put_zero(w, BGP_HDR_LEN - 1);
	wbuf_put_u8(w, BGP_MSG_UPDATE);
	wbuf_put_u8(w, mark);
	wbuf_put_u16(w, (uint16_t)k);
	wbuf_put_zero(w, used - wbuf_len(w));
	last_attr = attr;
	stub_wire = true;
	return k;
}

WEAK int bgp_update_encode_reach(struct wbuf *w, enum bgp_af af, const struct bgp_attr *attr,
				 const struct bgp_nlri *nlri, int n, bool as4)
{
	(void)as4;
	return stub_encode(w, af, attr, nlri, n, MARK_REACH);
}

WEAK int bgp_update_encode_withdraw(struct wbuf *w, enum bgp_af af, const struct bgp_nlri *nlri,
				    int n)
{
	return stub_encode(w, af, NULL, nlri, n, MARK_WITHDRAW);
}

WEAK int bgp_update_encode_eor(struct wbuf *w, enum bgp_af af)
{
	(void)af;
	wbuf_put_zero(w, BGP_HDR_LEN - 1);
	wbuf_put_u8(w, BGP_MSG_UPDATE);
	wbuf_put_u8(w, MARK_EOR);
	wbuf_put_u16(w, 0);
	stub_wire = true;
	return 0;
}

/* ---- fixture ---- */

#define LOCAL_AS 65000
#define ROUTER_ID 0x01010101u

static struct bgp bgp;
static struct bgp_peer pi1, pi2, pe3, pc4, pi5; /* iBGP, iBGP, eBGP, RR client, late iBGP */
static struct bgp_rib *rib;
static int hook_calls;
static const struct bgp_path *hook_last_best;
static bool hook_last_gone;

static bool nh_down[4];

static bool nh_cb(const struct ipaddr *a, uint32_t *metric, void *arg)
{
	uint32_t nh = a->v4;

	(void)arg;
	ck_assert_int_eq(a->af, AF_INET);
	*metric = nh & 0xff;
	return !nh_down[nh & 3];
}

static void hook(struct bgp_rib *r, struct bgp_dest *d, const struct bgp_path *old, void *arg)
{
	(void)r;
	(void)old;
	(void)arg;
	hook_calls++;
	hook_last_best = d->best;
	hook_last_gone = d->paths == NULL;
}

static void mkpeer(struct bgp_peer *p, uint32_t addr, uint32_t as, uint32_t id)
{
	memset(p, 0, sizeof(*p));
	p->cfg.addr = ipaddr_v4(addr);
	p->cfg.remote_as = as;
	p->remote_id = id;
	p->local_addr = ipaddr_v4(0x0a0000fe);
	p->bgp = &bgp;
	p->as4 = true;
	p->state = BGP_ST_ESTABLISHED;
	p->next = bgp.peers;
	bgp.peers = p;
}

static void setup(void)
{
	memset(&bgp, 0, sizeof(bgp));
	bgp.asn = LOCAL_AS;
	bgp.router_id = ROUTER_ID;
	mkpeer(&pi1, 0x0a000001, LOCAL_AS, 0x0b000001);
	mkpeer(&pi2, 0x0a000002, LOCAL_AS, 0x0b000002);
	mkpeer(&pe3, 0x0a000003, 65001, 0x0b000003);
	mkpeer(&pc4, 0x0a000004, LOCAL_AS, 0x0b000004);
	pc4.cfg.rr_client[BGP_AF_VPNV4] = true;
	pi5 = pi2; /* joins later */
	pi5.cfg.addr = ipaddr_v4(0x0a000005);
	pi5.remote_id = 0x0b000005;
	pi5.next = NULL;
	rib = bgp_rib_new(&bgp, BGP_AF_VPNV4);
	bgp_rib_add_hook(rib, hook, NULL);
	bgp_rib_set_nh(rib, nh_cb, NULL);
	memset(nh_down, 0, sizeof(nh_down));
	hook_calls = 0;
}

static void teardown(void)
{
	struct bgp_peer *p;

	for (p = bgp.peers; p != NULL; p = p->next)
		bgp_adjout_peer_down(rib, p);
	bgp_rib_free(rib);
	ck_assert_uint_eq(bgp_attr_interned_count(), 0);
}

static uint8_t aspbuf[64];

/* Interned attributes: AS path "as" (0 = empty), next hop, local pref (0 = absent). */
static const struct bgp_attr *mkattr(uint32_t as, uint32_t nh, uint32_t lp)
{
	struct bgp_attr a;

	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.nexthop = ipaddr_v4(nh);
	if (as != 0) {
		aspbuf[0] = BGP_ASPATH_SEQUENCE;
		aspbuf[1] = 1;
		aspbuf[2] = (uint8_t)(as >> 24);
		aspbuf[3] = (uint8_t)(as >> 16);
		aspbuf[4] = (uint8_t)(as >> 8);
		aspbuf[5] = (uint8_t)as;
		a.aspath = aspbuf;
		a.aspath_len = 6;
	}
	if (lp != 0) {
		a.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
		a.local_pref = lp;
	}
	return bgp_attr_intern(&a);
}

static struct bgp_nlri mknlri(uint16_t rdval, uint32_t addr, uint8_t len)
{
	struct bgp_nlri n;

	memset(&n, 0, sizeof(n));
	n.p.rd.b[1] = RD_TYPE_AS2;
	n.p.rd.b[2] = 0xfd; /* 65000:rdval */
	n.p.rd.b[3] = 0xe8;
	n.p.rd.b[6] = (uint8_t)(rdval >> 8);
	n.p.rd.b[7] = (uint8_t)rdval;
	n.p.pfx = prefix_v4(addr, len);
	n.nlabels = 1;
	n.labels[0] = 100 + rdval;
	return n;
}

static struct bgp_rib_src peer_src(struct bgp_peer *p)
{
	struct bgp_rib_src s = {.src = BGP_SRC_PEER, .peer = p};

	return s;
}

/* update with a fresh attribute reference, dropped after (the RIB holds its own) */
static struct bgp_path *upd(struct bgp_peer *p, const struct bgp_nlri *n, const struct bgp_attr *a)
{
	struct bgp_rib_src s = peer_src(p);
	struct bgp_path *path = bgp_rib_update(rib, &s, n, a, 0);

	bgp_attr_unref(a);
	return path;
}

static int wd(struct bgp_peer *p, const struct bgp_nlri *n)
{
	struct bgp_rib_src s = peer_src(p);

	return bgp_rib_withdraw(rib, &s, &n->p);
}

/* ---- Loc-RIB ---- */

START_TEST(t_pool)
{
	struct bgp_pool p;
	void *v[3000];
	int i;

	bgp_pool_init(&p, 41);
	ck_assert_uint_eq(p.size, 48);
	for (i = 0; i < 3000; i++) {
		v[i] = bgp_pool_get(&p);
		ck_assert_uint_eq(((const uint8_t *)v[i])[47], 0);
		memset(v[i], 0xa5, 48);
	}
	ck_assert_uint_eq(p.inuse, 3000);
	for (i = 0; i < 3000; i += 2)
		bgp_pool_put(&p, v[i]);
	ck_assert_uint_eq(p.inuse, 1500);
	for (i = 0; i < 3000; i += 2) {
		v[i] = bgp_pool_get(&p); /* reused, zeroed */
		ck_assert_uint_eq(((const uint8_t *)v[i])[0], 0);
	}
	for (i = 0; i < 3000; i++)
		bgp_pool_put(&p, v[i]);
	ck_assert_uint_eq(p.inuse, 0);
	bgp_pool_destroy(&p);
}
END_TEST

/* Objects of a pool: each carries a pattern of its index, checked later. */
#define PW 5 /* 40-byte objects */
static void pat_fill(uint64_t *o, size_t i)
{
	int k;

	for (k = 0; k < PW; k++)
		o[k] = i * 1000003u + (uint64_t)k;
}

static bool pat_ok(const uint64_t *o, size_t i)
{
	int k;

	for (k = 0; k < PW; k++)
		if (o[k] != i * 1000003u + (uint64_t)k)
			return false;
	return true;
}

/* Blocks whose objects all came back are given back (one kept spare),
 * partly used blocks keep every live object intact, their holes and the
 * spare are used before a new block is taken, and after trim nothing is
 * left mapped. Under AddressSanitizer the same code runs (blocks from
 * aligned_alloc, free objects poisoned), so a lost block is a leak. */
START_TEST(t_pool_release)
{
	enum { NB = 40 }; /* blocks: even ones emptied, odd ones keep one object */
	struct bgp_pool p;
	uint64_t **v;
	void **more;
	size_t i, n, per, extra, mapped0 = bgp_pool_mapped();

	bgp_pool_init(&p, PW * sizeof(uint64_t));
	per = p.per;
	ck_assert_uint_gt(per, 100);
	n = NB * per;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i] = bgp_pool_get(&p);
		ck_assert(((uintptr_t)v[i] & 7) == 0);
		pat_fill(v[i], i);
	}
	ck_assert_uint_eq(p.nblocks, NB); /* filled one after the other */
	ck_assert_uint_eq(bgp_pool_mapped() - mapped0, NB * 65536);
	for (i = 0; i < n; i++) {
		if ((i / per) % 2 == 0 || i % per != per / 2) {
			bgp_pool_put(&p, v[i]);
			v[i] = NULL;
		}
	}
	ck_assert_uint_eq(p.inuse, NB / 2);
	ck_assert_uint_eq(p.nblocks, NB / 2 + 1); /* one empty block kept spare */
	ck_assert_uint_eq(p.released, NB / 2 - 1);
	ck_assert_uint_eq(bgp_pool_mapped() - mapped0, (NB / 2 + 1) * 65536);
	for (i = 0; i < n; i++)
		if (v[i] != NULL)
			ck_assert_msg(pat_ok(v[i], i), "object %zu changed", i);
	/* the holes of the odd blocks and the spare first, then a new block */
	extra = p.nblocks * per - p.inuse;
	more = xcalloc(extra + 1, sizeof(*more));
	for (i = 0; i < extra; i++) {
		more[i] = bgp_pool_get(&p);
		ck_assert_uint_eq(((const uint64_t *)more[i])[0], 0); /* zeroed */
		ck_assert_uint_eq(((const uint64_t *)more[i])[PW - 1], 0);
		pat_fill(more[i], n + i);
	}
	ck_assert_uint_eq(p.nblocks, NB / 2 + 1);
	more[extra] = bgp_pool_get(&p);
	ck_assert_uint_eq(p.nblocks, NB / 2 + 2);
	for (i = 0; i < n; i++)
		if (v[i] != NULL)
			ck_assert_msg(pat_ok(v[i], i), "object %zu changed", i);
	for (i = 0; i < extra; i++)
		ck_assert_msg(pat_ok(more[i], n + i), "object %zu changed", n + i);
	/* everything back: one spare block, then none */
	for (i = 0; i <= extra; i++)
		bgp_pool_put(&p, more[i]);
	for (i = 0; i < n; i++)
		bgp_pool_put(&p, v[i]);
	ck_assert_uint_eq(p.inuse, 0);
	ck_assert_uint_eq(p.nblocks, 1);
	bgp_pool_trim(&p);
	ck_assert_uint_eq(p.nblocks, 0);
	ck_assert_uint_eq(bgp_pool_mapped(), mapped0);
	/* and it still works */
	v[0] = bgp_pool_get(&p);
	ck_assert_uint_eq(p.nblocks, 1);
	bgp_pool_destroy(&p);
	ck_assert_uint_eq(bgp_pool_mapped(), mapped0);
	free(more);
	free(v);
}
END_TEST

/* Given back in a shuffled order: live objects intact throughout, every
 * emptied block but one released. */
START_TEST(t_pool_shuffled)
{
	enum { N = 30000 };
	struct bgp_pool p;
	uint64_t **v = xcalloc(N, sizeof(*v));
	size_t *ord = xcalloc(N, sizeof(*ord));
	size_t i, mapped0 = bgp_pool_mapped();
	uint32_t r = 12345;

	bgp_pool_init(&p, PW * sizeof(uint64_t));
	for (i = 0; i < N; i++) {
		v[i] = bgp_pool_get(&p);
		pat_fill(v[i], i);
		ord[i] = i;
	}
	for (i = N - 1; i > 0; i--) { /* Fisher-Yates, fixed seed */
		size_t j, t;

		r = r * 1103515245u + 12345u;
		j = (r >> 8) % (i + 1);
		t = ord[i];
		ord[i] = ord[j];
		ord[j] = t;
	}
	for (i = 0; i < N; i++) {
		bgp_pool_put(&p, v[ord[i]]);
		v[ord[i]] = NULL;
		if (i % 5000 == 0) {
			size_t k;

			for (k = 0; k < N; k++)
				if (v[k] != NULL)
					ck_assert_msg(pat_ok(v[k], k), "object %zu changed", k);
		}
	}
	ck_assert_uint_eq(p.nblocks, 1);
	bgp_pool_destroy(&p);
	ck_assert_uint_eq(bgp_pool_mapped(), mapped0);
	free(ord);
	free(v);
}
END_TEST

static int freed_calls;
static void freed_hook(void)
{
	freed_calls++;
}

/* Session down with a large table: the freed-bytes hook fires once (not
 * per route), compaction brings the dest table back to its first size and
 * the pools to no block at all; the RIB works as before afterwards. */
START_TEST(t_rib_compact_after_peer_down)
{
	enum { N = 50000 };
	const struct bgp_attr *a = mkattr(65010, 0x0a000101, 0);
	struct bgp_rib_src s1 = peer_src(&pi1), s2 = peer_src(&pi2);
	size_t mapped0 = bgp_pool_mapped(), i, b0 = bgp_rib_buckets(rib);
	struct bgp_nlri n;

	bgp_mem_compacted();
	bgp_mem_set_freed_hook(freed_hook, 1u << 20);
	freed_calls = 0;
	for (i = 0; i < N; i++) {
		n = mknlri((uint16_t)(i % 100), 0x0a000000u + ((uint32_t)(i / 100) << 8), 24);
		bgp_rib_update(rib, &s1, &n, a, 0);
	}
	ck_assert_uint_eq(bgp_rib_dest_count(rib), N);
	ck_assert_uint_ge(bgp_rib_buckets(rib), N);
	ck_assert_uint_gt(bgp_pool_mapped(), mapped0 + (size_t)N * sizeof(struct bgp_path));
	ck_assert_int_eq(freed_calls, 0);
	ck_assert_uint_eq(bgp_rib_withdraw_peer(rib, &pi1), N);
	ck_assert_int_eq(freed_calls, 1);
	ck_assert_uint_gt(bgp_mem_freed(), (size_t)N * sizeof(struct bgp_path));
	ck_assert_uint_eq(bgp_rib_dest_count(rib), 0);
	/* one spare block per pool until compaction */
	ck_assert_uint_eq(bgp_pool_mapped(), mapped0 + 2 * 65536);
	bgp_rib_compact(rib);
	bgp_mem_compacted();
	ck_assert_uint_eq(bgp_rib_buckets(rib), b0);
	ck_assert_uint_eq(bgp_pool_mapped(), mapped0);
	ck_assert_uint_eq(bgp_mem_freed(), 0);
	/* a few routes left: the table is sized for them, they are all found */
	for (i = 0; i < 3000; i++) {
		n = mknlri(7, 0x0b000000u + ((uint32_t)i << 8), 24);
		ck_assert_ptr_nonnull(bgp_rib_update(rib, &s2, &n, a, 0));
	}
	bgp_rib_compact(rib); /* more than 1024: nothing to shrink */
	ck_assert_uint_eq(bgp_rib_buckets(rib), 4096);
	for (i = 0; i < 3000; i++) {
		n = mknlri(7, 0x0b000000u + ((uint32_t)i << 8), 24);
		ck_assert_ptr_nonnull(bgp_rib_lookup(rib, &n.p));
	}
	ck_assert_int_eq(freed_calls, 1);
	bgp_mem_set_freed_hook(NULL, 16u << 20);
	bgp_rib_withdraw_peer(rib, &pi2);
	bgp_attr_unref(a);
}
END_TEST

START_TEST(t_best_changes)
{
	struct bgp_nlri n = mknlri(1, 0x0a010100, 24);
	struct bgp_path *p1, *p2;
	struct bgp_dest *d;

	p1 = upd(&pi1, &n, mkattr(65010, 0x0a000101, 0));
	ck_assert_int_eq(hook_calls, 1);
	d = bgp_rib_lookup(rib, &n.p);
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_eq(d->best, p1);
	ck_assert_uint_eq(p1->flags & (BGP_PATH_VALID | BGP_PATH_BEST | BGP_PATH_NH_OK),
			  BGP_PATH_VALID | BGP_PATH_BEST | BGP_PATH_NH_OK);
	ck_assert_uint_eq(p1->igp_metric, 1);
	ck_assert_int_eq(p1->nlabels, 1);
	ck_assert_uint_eq(p1->labels[0], 101);

	/* a better path from another peer */
	p2 = upd(&pi2, &n, mkattr(65010, 0x0a000102, 200));
	ck_assert_int_eq(hook_calls, 2);
	ck_assert_ptr_eq(d->best, p2);
	ck_assert_str_eq(bgp_select_reason_str(d->reason), "Local Pref");
	ck_assert(!(p1->flags & BGP_PATH_BEST));

	/* same again: no change, no hook */
	ck_assert_ptr_eq(upd(&pi2, &n, mkattr(65010, 0x0a000102, 200)), p2);
	ck_assert_int_eq(hook_calls, 2);

	/* replace p2 with a worse set: best back to p1 (implicit withdraw) */
	ck_assert_ptr_eq(upd(&pi2, &n, mkattr(65010, 0x0a000102, 50)), p2);
	ck_assert_int_eq(hook_calls, 3);
	ck_assert_ptr_eq(d->best, p1);
	ck_assert_uint_eq(bgp_rib_path_count(rib), 2);
	ck_assert_uint_eq(bgp_rib_dest_count(rib), 1);

	/* change of the best path itself: hook */
	upd(&pi1, &n, mkattr(65011, 0x0a000101, 0));
	ck_assert_int_eq(hook_calls, 4);
	ck_assert_ptr_eq(hook_last_best, p1);

	/* a change to a non-best path that stays non-best: no hook */
	upd(&pi2, &n, mkattr(65012, 0x0a000102, 60));
	ck_assert_int_eq(hook_calls, 4);

	ck_assert_int_eq(wd(&pi1, &n), 0);
	ck_assert_int_eq(hook_calls, 5);
	ck_assert_ptr_eq(d->best, p2);
	ck_assert_int_eq(wd(&pi1, &n), -1);
	ck_assert_int_eq(wd(&pi2, &n), 0);
	ck_assert_int_eq(hook_calls, 6);
	ck_assert_ptr_null(hook_last_best);
	ck_assert(hook_last_gone);
	ck_assert_ptr_null(bgp_rib_lookup(rib, &n.p));
	ck_assert_uint_eq(bgp_rib_dest_count(rib), 0);
	ck_assert_uint_eq(bgp_rib_path_count(rib), 0);
}
END_TEST

/* a policy that permits and sets local-pref 300 */
static bool lp300(struct bgp_peer *peer, enum bgp_af af, const struct bgp_prefix *p,
		  const struct bgp_attr *in, const struct bgp_attr **out, uint32_t *weight,
		  void *arg)
{
	struct bgp_attr t;

	(void)peer, (void)af, (void)p, (void)weight, (void)arg;
	bgp_attr_copy(&t, in);
	t.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	t.local_pref = 300;
	*out = bgp_attr_intern(&t);
	bgp_attr_clear(&t);
	return true;
}

/* RFC 9494: a stale path made long-lived stale gets LLGR_STALE and loses to
 * any other path; a NO_LLGR one goes; inbound policy run again (soft
 * reconfiguration) keeps the community; a new announcement clears it. */
START_TEST(t_llgr_stale)
{
	struct bgp_nlri n = mknlri(1, 0x0a010100, 24), m = mknlri(1, 0x0a010200, 24);
	struct bgp_path *p1, *p2;
	struct bgp_attr t;
	size_t dropped;
	struct bgp_dest *d;

	p1 = upd(&pi1, &n, mkattr(65010, 0x0a000101, 200));
	p2 = upd(&pi2, &n, mkattr(65010, 0x0a000102, 100));
	memset(&t, 0, sizeof(t));
	bgp_attr_copy(&t, p1->attr);
	t.communities = xcalloc(1, sizeof(uint32_t));
	t.communities[0] = BGP_COMM_NO_LLGR;
	t.ncommunities = 1;
	t.present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	upd(&pi1, &m, bgp_attr_intern(&t));
	bgp_attr_clear(&t);
	d = bgp_rib_lookup(rib, &n.p);
	ck_assert_ptr_eq(d->best, p1);
	ck_assert_uint_eq(bgp_rib_mark_peer_stale(rib, &pi1), 2);
	ck_assert_uint_eq(bgp_rib_llgr_stale(rib, &pi1, &dropped), 1);
	ck_assert_uint_eq(dropped, 1);
	ck_assert_ptr_null(bgp_rib_lookup(rib, &m.p));
	ck_assert(bgp_attr_has_comm(p1->attr, BGP_COMM_LLGR_STALE));
	ck_assert(p1->flags & BGP_PATH_LLGR);
	ck_assert_ptr_eq(d->best, p2); /* local-pref 200 no longer helps */
	ck_assert_int_eq(d->reason, BGP_SEL_LLGR);
	ck_assert_uint_eq(bgp_rib_llgr_stale(rib, &pi1, &dropped), 0); /* marked once */
	/* soft reconfiguration: the policy result gets the community again */
	bgp_rib_reeval_peer(rib, &pi1, lp300, NULL);
	ck_assert_uint_eq(p1->attr->local_pref, 300);
	ck_assert(bgp_attr_has_comm(p1->attr, BGP_COMM_LLGR_STALE));
	ck_assert_ptr_eq(d->best, p2);
	/* announced again: fresh, best again */
	ck_assert_ptr_eq(upd(&pi1, &n, mkattr(65010, 0x0a000101, 200)), p1);
	ck_assert(!(p1->flags & (BGP_PATH_LLGR | BGP_PATH_STALE)));
	ck_assert(!bgp_attr_has_comm(p1->attr, BGP_COMM_LLGR_STALE));
	ck_assert_ptr_eq(d->best, p1);
}
END_TEST

START_TEST(t_local_and_imported_sources)
{
	struct bgp_nlri n = mknlri(1, 0x0a010100, 24);
	struct bgp_rib_src loc = {.src = BGP_SRC_LOCAL, .origin_bgp = &bgp};
	const struct bgp_attr *a = mkattr(0, 0, 0);
	struct bgp_path *pl;

	upd(&pi1, &n, mkattr(65010, 0x0a000101, 0));
	pl = bgp_rib_update(rib, &loc, &n, a, 0);
	bgp_attr_unref(a);
	ck_assert_ptr_eq(bgp_rib_lookup(rib, &n.p)->best, pl);
	ck_assert_int_eq(bgp_rib_lookup(rib, &n.p)->reason, BGP_SEL_LOCAL_ROUTE);
	ck_assert_ptr_eq(bgp_rib_path_dest(pl), bgp_rib_lookup(rib, &n.p));
	ck_assert_uint_eq(bgp_rib_peer_path_count(rib, &pi1), 1);
	ck_assert_int_eq(bgp_rib_withdraw(rib, &loc, &n.p), 0);
	ck_assert_int_eq(bgp_rib_withdraw(rib, &loc, &n.p), -1);
	ck_assert_uint_eq(bgp_rib_path_count(rib), 1);
}
END_TEST

START_TEST(t_withdraw_peer)
{
	int i;

	for (i = 0; i < 100; i++) {
		struct bgp_nlri n = mknlri((uint16_t)(i % 3), 0x0a000000u + ((uint32_t)i << 8), 24);

		upd(&pi1, &n, mkattr(65010, 0x0a000101, 300));
		upd(&pi2, &n, mkattr(65010, 0x0a000102, 100));
	}
	ck_assert_uint_eq(bgp_rib_path_count(rib), 200);
	ck_assert_uint_eq(bgp_rib_peer_path_count(rib, &pi1), 100);
	ck_assert_uint_eq(pi1.cnt.prefixes_received[BGP_AF_VPNV4], 100);
	hook_calls = 0;
	ck_assert_uint_eq(bgp_rib_withdraw_peer(rib, &pi1), 100);
	ck_assert_int_eq(hook_calls, 100); /* every best moved to pi2 */
	ck_assert_uint_eq(bgp_rib_peer_path_count(rib, &pi1), 0);
	ck_assert_uint_eq(pi1.cnt.prefixes_received[BGP_AF_VPNV4], 0);
	ck_assert_uint_eq(bgp_rib_path_count(rib), 100);
	ck_assert_uint_eq(bgp_rib_dest_count(rib), 100);
	for (i = 0; i < 100; i++) {
		struct bgp_nlri n = mknlri((uint16_t)(i % 3), 0x0a000000u + ((uint32_t)i << 8), 24);

		ck_assert_ptr_eq(bgp_rib_lookup(rib, &n.p)->best->peer, &pi2);
	}
	ck_assert_uint_eq(bgp_rib_withdraw_peer(rib, &pi2), 100);
	ck_assert_uint_eq(bgp_rib_dest_count(rib), 0);
	ck_assert_uint_eq(bgp_rib_withdraw_peer(rib, &pi2), 0);
}
END_TEST

START_TEST(t_loops)
{
	struct bgp_nlri n = mknlri(1, 0x0a010100, 24);
	struct bgp_attr t;
	const struct bgp_attr *a;
	struct bgp_path *p;
	uint32_t cl[2] = {0x09090909, ROUTER_ID}; /* cluster id defaults to router id */

	/* own AS in the path */
	p = upd(&pe3, &n, mkattr(LOCAL_AS, 0x0a000101, 0));
	ck_assert(p->flags & BGP_PATH_LOOP);
	ck_assert(!(p->flags & BGP_PATH_VALID));
	ck_assert_ptr_null(bgp_rib_lookup(rib, &n.p)->best);
	ck_assert_int_eq(hook_calls, 0);
	/* allowas-in 1 accepts one copy */
	pe3.cfg.allowas_in = 1;
	wd(&pe3, &n);
	p = upd(&pe3, &n, mkattr(LOCAL_AS, 0x0a000101, 0));
	ck_assert(!(p->flags & BGP_PATH_LOOP));
	ck_assert_ptr_eq(bgp_rib_lookup(rib, &n.p)->best, p);
	wd(&pe3, &n);

	/* ORIGINATOR_ID is ours (RFC 4456 8) */
	memset(&t, 0, sizeof(t));
	t.present = BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID);
	t.originator_id = ROUTER_ID;
	t.nexthop = ipaddr_v4(0x0a000101);
	a = bgp_attr_intern(&t);
	p = upd(&pi1, &n, a);
	ck_assert(p->flags & BGP_PATH_LOOP);
	a = mkattr(65010, 1, 0);
	ck_assert(!bgp_rib_path_looped(&bgp, &pi1, a));
	bgp_attr_unref(a);

	/* our cluster id in CLUSTER_LIST */
	t.originator_id = 0x08080808;
	t.present |= BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST);
	t.cluster_list = cl;
	t.ncluster = 2;
	p = upd(&pi1, &n, bgp_attr_intern(&t));
	ck_assert(p->flags & BGP_PATH_LOOP);
	bgp.cluster_id = 0x07070707;
	ck_assert_uint_eq(bgp_rib_revalidate(rib, 0), 1); /* no longer looped */
	ck_assert(!(p->flags & BGP_PATH_LOOP));
	ck_assert_ptr_eq(bgp_rib_lookup(rib, &n.p)->best, p);
}
END_TEST

START_TEST(t_nexthop_revalidate)
{
	struct bgp_nlri n = mknlri(1, 0x0a010100, 24);
	struct bgp_path *p1, *p2;
	struct bgp_dest *d;

	nh_down[1] = true;
	p1 = upd(&pi1, &n, mkattr(65010, 0x0a000101, 300)); /* nh ...01: down */
	ck_assert(!(p1->flags & (BGP_PATH_VALID | BGP_PATH_NH_OK)));
	p2 = upd(&pi2, &n, mkattr(65010, 0x0a000102, 100));
	d = bgp_rib_lookup(rib, &n.p);
	ck_assert_ptr_eq(d->best, p2);
	hook_calls = 0;
	nh_down[1] = false;
	ck_assert_uint_eq(bgp_rib_revalidate(rib, &(struct ipaddr){ .af = AF_INET, .v4 = 0x0a000101 }), 1);
	ck_assert_ptr_eq(d->best, p1);
	ck_assert_int_eq(hook_calls, 1);
	ck_assert_uint_eq(bgp_rib_revalidate(rib, 0), 0); /* nothing changed */
	nh_down[2] = true;
	ck_assert_uint_eq(bgp_rib_revalidate(rib, &(struct ipaddr){ .af = AF_INET, .v4 = 0x0a000102 }), 0); /* non-best lost nh */
	ck_assert(!(p2->flags & BGP_PATH_VALID));
	ck_assert_int_eq(hook_calls, 1);
}
END_TEST

struct walk_log {
	int n;
	struct bgp_prefix v[16];
};

static void walk_cb(struct bgp_dest *d, void *arg)
{
	struct walk_log *l = arg;

	ck_assert_int_lt(l->n, 16);
	l->v[l->n++] = d->p;
}

START_TEST(t_walk_order)
{
	static const struct {
		uint16_t rd;
		uint32_t addr;
		uint8_t len;
	} in[] = {{2, 0x0a000000, 8}, {1, 0x0b000000, 8}, {1, 0x0a000000, 16},
		  {300, 0x01000000, 8}, {1, 0x0a000000, 8}, {2, 0x01020300, 24}};
	static const int order[] = {4, 2, 1, 5, 0, 3};
	struct walk_log l = {0};
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct bgp_nlri n = mknlri(in[i].rd, in[i].addr, in[i].len);

		upd(&pi1, &n, mkattr(65010, 0x0a000101, 0));
	}
	bgp_rib_walk_sorted(rib, walk_cb, &l);
	ck_assert_int_eq(l.n, 6);
	for (i = 0; i < 6; i++) {
		struct bgp_nlri n = mknlri(in[order[i]].rd, in[order[i]].addr, in[order[i]].len);

		ck_assert_mem_eq(&l.v[i], &n.p, sizeof(n.p));
	}
}
END_TEST

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define NBENCH 200000

/* bytes in use now: arena chunks plus mmap()ed blocks (the big hash
 * tables) plus the pools' blocks (mapped outside malloc) */
static double heap(void)
{
	struct mallinfo2 m = mallinfo2();

	return (double)m.uordblks + (double)m.hblkhd + (double)bgp_pool_mapped();
}

/* 200k VPNv4 paths from one peer (100 RDs x 2000 /24), then a second copy
 * of each from another peer; heap bytes per path (mallinfo2) and rate. No
 * timing assertion. Under AddressSanitizer mallinfo2 reports nothing. */
START_TEST(t_bench_200k)
{
	const struct bgp_attr *a1 = mkattr(65010, 0x0a000101, 0);
	const struct bgp_attr *a2 = mkattr(65020, 0x0a000102, 0);
	struct bgp_rib_src s1 = peer_src(&pi1), s2 = peer_src(&pi2);
	double m0, m1, m2, t0, t1, t2;
	int i;

	bgp_rib_set_nh(rib, NULL, NULL);
	m0 = heap();
	t0 = now_s();
	for (i = 0; i < NBENCH; i++) {
		struct bgp_nlri n = mknlri((uint16_t)(i % 100),
					   0x0a000000u + ((uint32_t)(i / 100) << 8), 24);

		bgp_rib_update(rib, &s1, &n, a1, 0);
	}
	t1 = now_s();
	m1 = heap();
	for (i = 0; i < NBENCH; i++) {
		struct bgp_nlri n = mknlri((uint16_t)(i % 100),
					   0x0a000000u + ((uint32_t)(i / 100) << 8), 24);

		bgp_rib_update(rib, &s2, &n, a2, 0);
	}
	t2 = now_s();
	m2 = heap();
	ck_assert_uint_eq(bgp_rib_path_count(rib), 2 * NBENCH);
	ck_assert_uint_eq(bgp_rib_dest_count(rib), NBENCH);
	printf("rib bench: %d paths (1 per dest): %.0f paths/s, %.1f B/path (heap, incl. hash table)\n", NBENCH,
	       NBENCH / (t1 - t0), (m1 - m0) / NBENCH);
	printf("rib bench: +%d paths (2nd per dest): %.0f paths/s, %.1f B/path (heap, incl. hash table)\n", NBENCH,
	       NBENCH / (t2 - t1), (m2 - m1) / NBENCH);
	if (m1 == m0)
		printf("rib bench: mallinfo2 reports nothing (AddressSanitizer build?)\n");
	printf("rib bench: sizeof bgp_dest %zu, bgp_path %zu\n", sizeof(struct bgp_dest),
	       sizeof(struct bgp_path));
	t0 = now_s();
	ck_assert_uint_eq(bgp_rib_withdraw_peer(rib, &pi1), NBENCH);
	printf("rib bench: withdraw_peer of %d paths: %.3f s\n", NBENCH, now_s() - t0);
	bgp_attr_unref(a1);
	bgp_attr_unref(a2);
}
END_TEST

/* ---- Adj-RIB-Out ---- */

struct sent {
	struct bgp_peer *peer;
	int mark, n;
	const struct bgp_attr *attr;
};
static struct sent sent[4096];
static int nsent;
static int full_after; /* BGP_SEND_FULL on this message number (0 = never) */

static int send_cb(struct bgp_peer *peer, const uint8_t *msg, size_t len, void *arg)
{
	struct sent *s = &sent[nsent];

	(void)arg;
	ck_assert_int_lt(nsent, 4096);
	ck_assert_uint_ge(len, BGP_HDR_LEN + 3);
	ck_assert_uint_le(len, BGP_MAX_MSG);
	s->peer = peer;
	if (stub_wire) {
		s->mark = msg[BGP_HDR_LEN];
		s->n = msg[BGP_HDR_LEN + 1] << 8 | msg[BGP_HDR_LEN + 2];
		s->attr = s->mark == MARK_REACH ? last_attr : NULL;
	} else {
		/* the real codec: decode what was sent */
		struct bgp_decode_ctx dc = {.as4 = true, .peer_as = LOCAL_AS};
		struct bgp_update u;

		/* as the receiving peer sees it */
		dc.ebgp = bgp_peer_ebgp(peer, LOCAL_AS);
		dc.local_as = peer->cfg.remote_as;
		dc.af[BGP_AF_VPNV4] = dc.af[BGP_AF_IPV4_UNICAST] = true;
		bgp_update_init(&u);
		bgp_update_decode(msg + BGP_HDR_LEN, len - BGP_HDR_LEN, &dc, &u);
		ck_assert_msg(u.action == BGP_UPD_OK, "sent UPDATE does not decode: %s", u.reason);
		if (u.eor[BGP_AF_VPNV4]) {
			s->mark = MARK_EOR;
		} else if (u.reach[BGP_AF_VPNV4].n > 0) {
			ck_assert_int_eq(u.withdrawn[BGP_AF_VPNV4].n, 0);
			s->mark = MARK_REACH;
			s->n = u.reach[BGP_AF_VPNV4].n;
			s->attr = &u.attr; /* only compared with NULL */
		} else {
			s->mark = MARK_WITHDRAW;
			s->n = u.withdrawn[BGP_AF_VPNV4].n;
			ck_assert_int_gt(s->n, 0);
		}
		bgp_update_free(&u);
	}
	nsent++;
	return nsent == full_after ? BGP_SEND_FULL : BGP_SEND_OK;
}

/* messages of mark to peer, and NLRI they carried */
static int count_sent(struct bgp_peer *p, int mark, int *nlri)
{
	int i, c = 0;

	if (nlri != NULL)
		*nlri = 0;
	for (i = 0; i < nsent; i++)
		if (sent[i].peer == p && sent[i].mark == mark) {
			c++;
			if (nlri != NULL)
				*nlri += sent[i].n;
		}
	return c;
}

static void flush_all(void)
{
	struct bgp_peer *p;

	for (p = bgp.peers; p != NULL; p = p->next)
		bgp_adjout_flush(p);
}

static void adj_setup(void)
{
	struct bgp_adjout_ops ops = {.send = send_cb};
	struct bgp_peer *p;

	setup();
	nsent = 0;
	full_after = 0;
	ck_assert_int_eq(bgp_adjout_attach(rib, &ops), 0);
	for (p = bgp.peers; p != NULL; p = p->next)
		bgp_adjout_peer_up(rib, p);
}

START_TEST(t_adj_eor_empty)
{
	struct bgp_peer *p;

	for (p = bgp.peers; p != NULL; p = p->next) {
		ck_assert_int_eq(count_sent(p, MARK_EOR, NULL), 1);
		ck_assert_uint_eq(bgp_adjout_pending(p, BGP_AF_VPNV4), 0);
	}
	ck_assert_int_eq(nsent, 4);
}
END_TEST

START_TEST(t_adj_split_horizon_and_rr)
{
	struct bgp_nlri n = mknlri(1, 0x0a010100, 24), got;
	const struct bgp_attr *a;
	int k;

	nsent = 0;
	upd(&pi1, &n, mkattr(65010, 0x0a000101, 150)); /* from iBGP non-client */
	flush_all();
	ck_assert_int_eq(count_sent(&pi1, MARK_REACH, NULL), 0); /* the source */
	ck_assert_int_eq(count_sent(&pi2, MARK_REACH, NULL), 0); /* iBGP non-client */
	ck_assert_int_eq(count_sent(&pe3, MARK_REACH, &k), 1);
	ck_assert_int_eq(k, 1);
	ck_assert_int_eq(count_sent(&pc4, MARK_REACH, NULL), 1); /* RR client */

	/* to the client: reflected (RFC 4456 8) */
	a = bgp_adjout_lookup(&pc4, BGP_AF_VPNV4, &n.p, &got);
	ck_assert_ptr_nonnull(a);
	ck_assert(a->present & BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID));
	ck_assert_uint_eq(a->originator_id, pi1.remote_id);
	ck_assert_uint_eq(a->ncluster, 1);
	ck_assert_uint_eq(a->cluster_list[0], ROUTER_ID);
	ck_assert_uint_eq(a->local_pref, 150);
	ck_assert_uint_eq(a->nexthop.v4, 0x0a000101); /* unchanged when reflecting */
	ck_assert_int_eq(got.nlabels, 1);
	ck_assert_uint_eq(got.labels[0], 101);

	/* to eBGP: our AS prepended, next hop self, no LOCAL_PREF / RR attributes */
	a = bgp_adjout_lookup(&pe3, BGP_AF_VPNV4, &n.p, NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->aspath_len, 10);
	ck_assert_uint_eq(a->aspath[1], 2);
	ck_assert_uint_eq(a->aspath[5], (uint8_t)LOCAL_AS);
	ck_assert_uint_eq(a->nexthop.v4, pe3.local_addr.v4);
	ck_assert(!(a->present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF)));
	ck_assert(!(a->present & BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID)));
	ck_assert_ptr_null(bgp_adjout_lookup(&pi2, BGP_AF_VPNV4, &n.p, NULL));

	/* from the client: to every iBGP peer, not back to the client */
	nsent = 0;
	wd(&pi1, &n);
	upd(&pc4, &n, mkattr(65010, 0x0a000104, 0));
	flush_all();
	ck_assert_int_eq(count_sent(&pi1, MARK_REACH, NULL), 1);
	ck_assert_int_eq(count_sent(&pi2, MARK_REACH, NULL), 1);
	ck_assert_int_eq(count_sent(&pc4, MARK_REACH, NULL), 0);
	ck_assert_int_eq(count_sent(&pc4, MARK_WITHDRAW, NULL), 1); /* the old reflected one */
	/* toward eBGP the outgoing set is the same (AS prepended, next hop
	 * self, no LOCAL_PREF): the withdraw-then-announce collapses to nothing */
	ck_assert_int_eq(count_sent(&pe3, MARK_REACH, NULL), 0);
	ck_assert_int_eq(count_sent(&pe3, MARK_WITHDRAW, NULL), 0);
	ck_assert_ptr_nonnull(bgp_adjout_lookup(&pe3, BGP_AF_VPNV4, &n.p, NULL));
	a = bgp_adjout_lookup(&pi2, BGP_AF_VPNV4, &n.p, NULL);
	ck_assert_uint_eq(a->originator_id, pc4.remote_id);
	ck_assert_uint_eq(a->local_pref, 100); /* iBGP: LOCAL_PREF added */
}
END_TEST

START_TEST(t_adj_local_nexthop_self)
{
	struct bgp_nlri n = mknlri(1, 0x0a010100, 24);
	struct bgp_rib_src loc = {.src = BGP_SRC_LOCAL, .origin_bgp = &bgp};
	const struct bgp_attr *a = mkattr(0, 0, 0), *o;

	bgp_rib_update(rib, &loc, &n, a, 0);
	bgp_attr_unref(a);
	flush_all();
	o = bgp_adjout_lookup(&pi2, BGP_AF_VPNV4, &n.p, NULL);
	ck_assert_ptr_nonnull(o);
	ck_assert_uint_eq(o->nexthop.v4, pi2.local_addr.v4);
	ck_assert_uint_eq(o->local_pref, 100);
	ck_assert_uint_eq(o->aspath_len, 0);
	ck_assert_uint_eq(bgp_adjout_count(&pi1, BGP_AF_VPNV4), 1);
	ck_assert_uint_eq(pi1.cnt.prefixes_sent[BGP_AF_VPNV4], 1);
}
END_TEST

START_TEST(t_adj_packing_and_withdraw)
{
	int i, nl, msgs;

	nsent = 0;
	for (i = 0; i < 1000; i++) {
		struct bgp_nlri n = mknlri(7, 0x0a000000u + ((uint32_t)i << 8), 24);

		upd(&pe3, &n, mkattr(65001, 0x0a000103, 0));
	}
	ck_assert_uint_eq(bgp_adjout_pending(&pi1, BGP_AF_VPNV4), 1000);
	flush_all();
	/* 1000 x 15-byte NLRI in ~4000-byte UPDATEs: 4 messages */
	msgs = count_sent(&pi1, MARK_REACH, &nl);
	printf("adj-out packing: 1000 VPNv4 /24 NLRI in %d UPDATEs\n", msgs);
	ck_assert_int_eq(nl, 1000);
	ck_assert_int_ge(msgs, 4);
	ck_assert_int_le(msgs, 5);
	ck_assert_int_eq(count_sent(&pe3, MARK_REACH, NULL), 0);
	ck_assert_uint_eq(bgp_adjout_count(&pi1, BGP_AF_VPNV4), 1000);
	ck_assert_uint_eq(bgp_adjout_pending(&pi1, BGP_AF_VPNV4), 0);

	/* session to pe3 down: every best is lost, pi1 gets withdrawals */
	nsent = 0;
	bgp_rib_withdraw_peer(rib, &pe3);
	flush_all();
	msgs = count_sent(&pi1, MARK_WITHDRAW, &nl);
	ck_assert_int_eq(nl, 1000);
	ck_assert_int_le(msgs, 5);
	ck_assert_int_eq(count_sent(&pi1, MARK_REACH, NULL), 0);
	ck_assert_uint_eq(bgp_adjout_count(&pi1, BGP_AF_VPNV4), 0);
	ck_assert_int_eq(count_sent(&pe3, MARK_WITHDRAW, NULL), 0); /* never sent to it */
}
END_TEST

START_TEST(t_adj_best_loss_to_ibgp)
{
	struct bgp_nlri n = mknlri(1, 0x0a010100, 24);

	upd(&pe3, &n, mkattr(65001, 0x0a000103, 0));
	upd(&pi2, &n, mkattr(65020, 0x0a000102, 50));
	flush_all();
	ck_assert_ptr_nonnull(bgp_adjout_lookup(&pi1, BGP_AF_VPNV4, &n.p, NULL));
	/* the eBGP path goes: best is now pi2's iBGP path, not for pi1 */
	nsent = 0;
	wd(&pe3, &n);
	flush_all();
	ck_assert_int_eq(count_sent(&pi1, MARK_WITHDRAW, NULL), 1);
	ck_assert_int_eq(count_sent(&pi2, MARK_WITHDRAW, NULL), 1);
	ck_assert_int_eq(count_sent(&pe3, MARK_REACH, NULL), 1); /* now pi2's path */
	ck_assert_int_eq(count_sent(&pc4, MARK_REACH, NULL), 1); /* reflected pi2 path */
	ck_assert_ptr_null(bgp_adjout_lookup(&pi1, BGP_AF_VPNV4, &n.p, NULL));
}
END_TEST

START_TEST(t_adj_initial_dump_eor_and_queue_full)
{
	int i, nl;

	for (i = 0; i < 2000; i++) {
		struct bgp_nlri n = mknlri((uint16_t)(i % 2), 0x0a000000u + ((uint32_t)i << 8), 24);

		upd(&pe3, &n, mkattr(65001 + (uint32_t)(i % 2), 0x0a000103, 0));
	}
	flush_all();
	/* a new session: the dump stops when the queue is full */
	nsent = 0;
	full_after = 2;
	pi5.next = bgp.peers;
	bgp.peers = &pi5;
	bgp_adjout_peer_up(rib, &pi5);
	ck_assert_int_eq(nsent, 2);
	ck_assert_int_eq(count_sent(&pi5, MARK_EOR, NULL), 0);
	ck_assert_uint_gt(bgp_adjout_pending(&pi5, BGP_AF_VPNV4), 0);
	/* drained: the rest, then End-of-RIB last */
	bgp_adjout_flush(&pi5);
	count_sent(&pi5, MARK_REACH, &nl);
	ck_assert_int_eq(nl, 2000);
	ck_assert_int_eq(count_sent(&pi5, MARK_EOR, NULL), 1);
	ck_assert_int_eq(sent[nsent - 1].mark, MARK_EOR);
	/* two attribute sets: no UPDATE mixes them, ~8-9 messages */
	ck_assert_int_le(count_sent(&pi5, MARK_REACH, NULL), 10);
	for (i = 1; i < nsent - 1; i++)
		ck_assert_ptr_nonnull(sent[i].attr);
	ck_assert_uint_eq(bgp_adjout_pending(&pi5, BGP_AF_VPNV4), 0);
	/* nothing more to send */
	nsent = 0;
	bgp_adjout_flush(&pi5);
	ck_assert_int_eq(nsent, 0);
}
END_TEST

/* 200k VPNv4 paths from eBGP, advertised to 3 iBGP peers (flush every 2000
 * updates, as the speaker does per input batch): rate and adj-out memory.
 * No timing assertion. */
START_TEST(t_adj_bench_200k)
{
	const struct bgp_attr *a = mkattr(65001, 0x0a000103, 0);
	struct bgp_rib_src s3 = peer_src(&pe3);
	double m0, m1, t0, t1;
	int i, msgs = 0;

	bgp_rib_set_nh(rib, NULL, NULL);
	nsent = 0;
	m0 = heap();
	t0 = now_s();
	for (i = 0; i < NBENCH; i++) {
		struct bgp_nlri n = mknlri((uint16_t)(i % 100),
					   0x0a000000u + ((uint32_t)(i / 100) << 8), 24);

		bgp_rib_update(rib, &s3, &n, a, 0);
		if (i % 2000 == 1999) {
			flush_all();
			msgs += nsent;
			nsent = 0;
		}
	}
	t1 = now_s();
	m1 = heap();
	ck_assert_uint_eq(bgp_adjout_count(&pi1, BGP_AF_VPNV4), NBENCH);
	ck_assert_uint_eq(bgp_adjout_count(&pc4, BGP_AF_VPNV4), NBENCH);
	printf("adj-out bench: %d paths to 3 iBGP peers: %.0f paths/s, %d UPDATEs, "
	       "%.1f B/path incl. 3 adj-out entries\n",
	       NBENCH, NBENCH / (t1 - t0), msgs, (m1 - m0) / NBENCH);
	bgp_attr_unref(a);
}
END_TEST

START_TEST(t_adj_coalesce_and_labels)
{
	struct bgp_nlri n = mknlri(1, 0x0a010100, 24), got;
	int k;

	/* announced and withdrawn before a flush: nothing at all */
	nsent = 0;
	upd(&pe3, &n, mkattr(65001, 0x0a000103, 0));
	wd(&pe3, &n);
	flush_all();
	ck_assert_int_eq(nsent, 0);
	ck_assert_uint_eq(bgp_adjout_pending(&pi1, BGP_AF_VPNV4), 0);

	/* three changes before a flush: only the last goes out */
	upd(&pe3, &n, mkattr(65001, 0x0a000103, 0));
	upd(&pe3, &n, mkattr(65001, 0x0a000104, 0));
	upd(&pe3, &n, mkattr(65001, 0x0a000105, 0));
	ck_assert_uint_eq(bgp_adjout_pending(&pi1, BGP_AF_VPNV4), 3);
	flush_all();
	ck_assert_int_eq(count_sent(&pi1, MARK_REACH, &k), 1);
	ck_assert_int_eq(k, 1);
	ck_assert_uint_eq(bgp_adjout_lookup(&pi1, BGP_AF_VPNV4, &n.p, NULL)->nexthop.v4, 0x0a000105);

	/* back to what pi1 has, before a flush: nothing */
	nsent = 0;
	upd(&pe3, &n, mkattr(65001, 0x0a000106, 0));
	upd(&pe3, &n, mkattr(65001, 0x0a000105, 0));
	flush_all();
	ck_assert_int_eq(count_sent(&pi1, MARK_REACH, NULL), 0);

	/* only the label changes: re-advertised with the new label */
	n.labels[0] = 777;
	upd(&pe3, &n, mkattr(65001, 0x0a000105, 0));
	flush_all();
	ck_assert_int_eq(count_sent(&pi1, MARK_REACH, NULL), 1);
	ck_assert_ptr_nonnull(bgp_adjout_lookup(&pi1, BGP_AF_VPNV4, &n.p, &got));
	ck_assert_int_eq(got.nlabels, 1);
	ck_assert_uint_eq(got.labels[0], 777);

	/* a session going down gets nothing queued */
	pi2.state = BGP_ST_IDLE;
	n.labels[0] = 778;
	upd(&pe3, &n, mkattr(65001, 0x0a000105, 0));
	ck_assert_uint_eq(bgp_adjout_pending(&pi2, BGP_AF_VPNV4), 0);
	ck_assert_uint_eq(bgp_adjout_pending(&pi1, BGP_AF_VPNV4), 1);
	pi2.state = BGP_ST_ESTABLISHED;

	/* a VPN route that lost its label cannot be encoded: withdrawn, the
	 * queue does not stick */
	nsent = 0;
	n.nlabels = 0;
	upd(&pe3, &n, mkattr(65001, 0x0a000105, 0));
	flush_all();
	ck_assert_int_eq(count_sent(&pi1, MARK_WITHDRAW, NULL), 1);
	ck_assert_ptr_null(bgp_adjout_lookup(&pi1, BGP_AF_VPNV4, &n.p, NULL));
	ck_assert_uint_eq(bgp_adjout_pending(&pi1, BGP_AF_VPNV4), 0);
}
END_TEST

START_TEST(t_adj_export_hook)
{
	/* covered by default path; the filter hook replaces it */
	ck_assert_int_eq(bgp_adjout_attach(rib, &(struct bgp_adjout_ops){.send = send_cb}), -1);
}
END_TEST

/* maximum-paths: equal paths are flagged multipath (the best too), up to
 * the limit, and the hook runs when the set changes without the best
 * moving; unequal local-pref never joins; 1 = no multipath. */
START_TEST(t_multipath)
{
	struct bgp_nlri n = mknlri(1, 0xc0a80100, 24);
	struct bgp_path *p1, *p2, *p5;
	struct bgp_dest *d;
	int calls;

	/* equal up to the IGP metric (the callback's: the last octet) */
	bgp_rib_set_maxpaths(rib, 1, 4);
	p1 = upd(&pi1, &n, mkattr(65010, 0x0a000101, 0));
	p2 = upd(&pi2, &n, mkattr(65010, 0x0a000201, 0));
	d = bgp_rib_lookup(rib, &n.p);
	ck_assert_ptr_eq(d->best, p1); /* lower router id */
	ck_assert(p1->flags & BGP_PATH_MULTIPATH);
	ck_assert(p2->flags & BGP_PATH_MULTIPATH);
	/* a third path with a lower local-pref: never multipath */
	pi5.next = bgp.peers;
	bgp.peers = &pi5;
	p5 = upd(&pi5, &n, mkattr(65010, 0x0a000501, 50));
	ck_assert(!(p5->flags & BGP_PATH_MULTIPATH));
	/* the limit: 1 = no multipath, flags cleared, hook told */
	calls = hook_calls;
	bgp_rib_set_maxpaths(rib, 1, 1);
	ck_assert(!(p1->flags & BGP_PATH_MULTIPATH));
	ck_assert(!(p2->flags & BGP_PATH_MULTIPATH));
	ck_assert_int_gt(hook_calls, calls);
	/* back: flagged again; a change of the non-best multipath path runs
	 * the hook though the best stays */
	bgp_rib_set_maxpaths(rib, 1, 4);
	ck_assert(p2->flags & BGP_PATH_MULTIPATH);
	calls = hook_calls;
	n.labels[0] = 999;
	upd(&pi2, &n, mkattr(65010, 0x0a000201, 0));
	ck_assert_int_gt(hook_calls, calls);
	ck_assert_ptr_eq(d->best, p1);
	/* withdrawing the multipath partner: the best loses the flag */
	calls = hook_calls;
	{
		struct bgp_rib_src s = peer_src(&pi2);

		ck_assert_int_eq(bgp_rib_withdraw(rib, &s, &n.p), 0);
	}
	ck_assert_int_gt(hook_calls, calls);
	ck_assert(!(p1->flags & BGP_PATH_MULTIPATH));
	bgp_rib_set_maxpaths(rib, 1, 2);
	bgp.peers = bgp.peers->next; /* pi5 leaves the peer list for teardown */
	bgp_adjout_peer_down(rib, &pi5);
	bgp_rib_withdraw_peer(rib, &pi5);
}
END_TEST

/* PIC edge: the backup is the best path that is neither best nor
 * multipath and goes to another next hop; its changes run the hooks; off,
 * nothing is flagged. */
START_TEST(t_backup)
{
	struct bgp_nlri n = mknlri(1, 0xc0a80200, 24);
	struct bgp_path *p1, *p2, *p5;
	struct bgp_dest *d;
	int calls;

	bgp_rib_set_backup(rib, true);
	p1 = upd(&pi1, &n, mkattr(65010, 0x0a000101, 200));
	d = bgp_rib_lookup(rib, &n.p);
	ck_assert(!(p1->flags & BGP_PATH_BACKUP)); /* alone: no backup */
	calls = hook_calls;
	p2 = upd(&pi2, &n, mkattr(65010, 0x0a000201, 100));
	ck_assert_ptr_eq(d->best, p1);
	ck_assert(p2->flags & BGP_PATH_BACKUP);
	ck_assert_int_gt(hook_calls, calls); /* the best stayed, the hook ran */
	/* a better candidate through the best's own next hop protects nothing */
	pi5.next = bgp.peers;
	bgp.peers = &pi5;
	p5 = upd(&pi5, &n, mkattr(65010, 0x0a000101, 150));
	ck_assert(!(p5->flags & BGP_PATH_BACKUP));
	ck_assert(p2->flags & BGP_PATH_BACKUP);
	/* ... through another one it becomes the backup, p2 loses the flag */
	p5 = upd(&pi5, &n, mkattr(65010, 0x0a000501, 150));
	ck_assert(p5->flags & BGP_PATH_BACKUP);
	ck_assert(!(p2->flags & BGP_PATH_BACKUP));
	/* the backup withdrawn: the hook runs, the next one takes over */
	calls = hook_calls;
	ck_assert_int_eq(wd(&pi5, &n), 0);
	ck_assert_int_gt(hook_calls, calls);
	ck_assert(p2->flags & BGP_PATH_BACKUP);
	/* the best withdrawn: p2 is best, no backup left */
	ck_assert_int_eq(wd(&pi1, &n), 0);
	ck_assert_ptr_eq(d->best, p2);
	ck_assert(!(p2->flags & BGP_PATH_BACKUP));
	p1 = upd(&pi1, &n, mkattr(65010, 0x0a000101, 200));
	ck_assert(p2->flags & BGP_PATH_BACKUP);
	/* multipath partners are not backups */
	bgp_rib_set_maxpaths(rib, 1, 4);
	upd(&pi2, &n, mkattr(65010, 0x0a000201, 200));
	ck_assert(p2->flags & BGP_PATH_MULTIPATH);
	ck_assert(!(p2->flags & BGP_PATH_BACKUP));
	bgp_rib_set_maxpaths(rib, 1, 2);
	upd(&pi2, &n, mkattr(65010, 0x0a000201, 100));
	ck_assert(p2->flags & BGP_PATH_BACKUP);
	/* off: cleared */
	bgp_rib_set_backup(rib, false);
	ck_assert(!(p2->flags & BGP_PATH_BACKUP));
	bgp.peers = bgp.peers->next;
	bgp_adjout_peer_down(rib, &pi5);
	bgp_rib_withdraw_peer(rib, &pi5);
}
END_TEST

static Suite *rib_suite(void)
{
	Suite *s = suite_create("bgp_rib");
	TCase *tc = tcase_create("rib");
	TCase *ta = tcase_create("adjout");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, t_pool);
	tcase_add_test(tc, t_pool_release);
	tcase_add_test(tc, t_pool_shuffled);
	tcase_add_test(tc, t_rib_compact_after_peer_down);
	tcase_add_test(tc, t_best_changes);
	tcase_add_test(tc, t_llgr_stale);
	tcase_add_test(tc, t_multipath);
	tcase_add_test(tc, t_backup);
	tcase_add_test(tc, t_local_and_imported_sources);
	tcase_add_test(tc, t_withdraw_peer);
	tcase_add_test(tc, t_loops);
	tcase_add_test(tc, t_nexthop_revalidate);
	tcase_add_test(tc, t_walk_order);
	tcase_add_test(tc, t_bench_200k);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(ta, adj_setup, teardown);
	tcase_set_timeout(ta, 120);
	tcase_add_test(ta, t_adj_eor_empty);
	tcase_add_test(ta, t_adj_split_horizon_and_rr);
	tcase_add_test(ta, t_adj_local_nexthop_self);
	tcase_add_test(ta, t_adj_packing_and_withdraw);
	tcase_add_test(ta, t_adj_best_loss_to_ibgp);
	tcase_add_test(ta, t_adj_initial_dump_eor_and_queue_full);
	tcase_add_test(ta, t_adj_coalesce_and_labels);
	tcase_add_test(ta, t_adj_export_hook);
	tcase_add_test(ta, t_adj_bench_200k);
	suite_add_tcase(s, ta);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rib_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
