/* libFuzzer target: BGP message decoding (mpbgp/msg.c, update.c, attr.c,
 * nlri.c), as mpbgp/session.c's conn_parse() sees a TCP stream.
 *
 * Input: a byte stream of BGP messages, 19-byte header included, exactly as
 * read from a socket (the seeds are captured sessions, tests/data/bgp/).
 * Each message goes through bgp_hdr_check() and, by type, the OPEN,
 * UPDATE, NOTIFICATION or ROUTE-REFRESH decoder. An UPDATE is decoded twice,
 * as an iBGP peer with 4-octet ASNs and as an eBGP peer without them (AS4
 * merge, RFC 7606 rules that depend on the session), with every family
 * negotiated (IPv4/IPv6 unicast, VPNv4, VPNv6). What decodes is then used
 * as the speaker uses it: attributes interned and printed, NLRI printed and
 * re-encoded. A crash, a sanitizer report or a leak is a finding.
 *
 * Oracle: the NLRI of a decoded UPDATE, encoded again (as a withdrawal, and
 * as an announcement with the decoded attributes), decode to the same
 * prefixes (and labels), and our own encoding never makes us reset. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/wbuf.h"
#include "mpbgp/wire.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

static void fail(const char *what, enum bgp_af af, const struct bgp_nlri *n)
{
	char buf[128];

	fprintf(stdout, "fuzz_bgp: %s: %s %s\n", what, bgp_af_table[af].name,
		bgp_prefix_str(&n->p, af, buf, sizeof(buf)));
	abort();
}

/* out[0..wbuf_len) is one UPDATE we encoded with k NLRI of nlri[] for af. */
static void recheck(const uint8_t *out, size_t len, enum bgp_af af, const struct bgp_nlri *nlri,
		    int k, bool withdraw, bool as4)
{
	struct bgp_decode_ctx ctx;
	struct bgp_update u;
	const struct bgp_nlri_list *l;
	int i, a;

	memset(&ctx, 0, sizeof(ctx));
	ctx.as4 = as4;
	ctx.local_as = 65000;
	ctx.peer_as = 65000;
	for (a = 0; a < BGP_AF_MAX; a++)
		ctx.af[a] = true;
	bgp_update_init(&u);
	bgp_update_decode(out + BGP_HDR_LEN, len - BGP_HDR_LEN, &ctx, &u);
	if (u.action == BGP_UPD_SESSION_RESET)
		fail(u.reason, af, &nlri[0]);
	l = withdraw ? &u.withdrawn[af] : &u.reach[af];
	if (l->n != k)
		fail(withdraw ? "re-encoded withdrawal: NLRI count differs"
			      : "re-encoded announcement: NLRI count differs", af, &nlri[0]);
	for (i = 0; i < k; i++) {
		if (!bgp_prefix_eq(&l->v[i].p, &nlri[i].p))
			fail("re-encoded NLRI decodes to another prefix", af, &nlri[i]);
		if (!withdraw && (l->v[i].nlabels != nlri[i].nlabels ||
				  memcmp(l->v[i].labels, nlri[i].labels,
					 (size_t)nlri[i].nlabels * sizeof(nlri[i].labels[0])) != 0))
			fail("re-encoded NLRI decodes to other labels", af, &nlri[i]);
	}
	bgp_update_free(&u);
}

static void use_update(struct bgp_update *u, bool as4)
{
	static uint8_t out[BGP_MAX_MSG];
	char buf[1024];
	const struct bgp_attr *ia;
	struct wbuf w;
	int af, i, n;

	for (af = 0; af < BGP_AF_MAX; af++) {
		for (i = 0; i < u->withdrawn[af].n; i++)
			bgp_prefix_str(&u->withdrawn[af].v[i].p, (enum bgp_af)af, buf, sizeof(buf));
		if (u->withdrawn[af].n > 0) {
			w = wbuf_init_fixed(out, sizeof(out));
			n = bgp_update_encode_withdraw(&w, (enum bgp_af)af, u->withdrawn[af].v,
						       u->withdrawn[af].n);
			if (n > 0)
				recheck(out, wbuf_len(&w), (enum bgp_af)af, u->withdrawn[af].v, n,
					true, as4);
		}
		if (u->eor[af]) {
			w = wbuf_init_fixed(out, sizeof(out));
			bgp_update_encode_eor(&w, (enum bgp_af)af);
		}
	}
	if (u->action == BGP_UPD_SESSION_RESET || u->action == BGP_UPD_TREAT_AS_WITHDRAW)
		return;
	bgp_aspath_str(&u->attr, buf, sizeof(buf));
	bgp_aspath_length(&u->attr);
	bgp_aspath_first_as(&u->attr);
	bgp_aspath_contains(&u->attr, 65000, &n);
	ia = bgp_attr_intern(&u->attr);
	for (af = 0; af < BGP_AF_MAX; af++) {
		if (u->reach[af].n == 0)
			continue;
		for (i = 0; i < u->reach[af].n; i++)
			bgp_prefix_str(&u->reach[af].v[i].p, (enum bgp_af)af, buf, sizeof(buf));
		w = wbuf_init_fixed(out, sizeof(out));
		n = bgp_update_encode_reach(&w, (enum bgp_af)af, ia, u->reach[af].v,
					    u->reach[af].n, as4);
		if (n > 0)
			recheck(out, wbuf_len(&w), (enum bgp_af)af, u->reach[af].v, n, false,
				as4);
	}
	bgp_attr_unref(ia);
}

static void update(const uint8_t *body, size_t len, bool as4, bool ebgp)
{
	struct bgp_decode_ctx ctx;
	struct bgp_update u;
	int af;

	memset(&ctx, 0, sizeof(ctx));
	ctx.as4 = as4;
	ctx.ebgp = ebgp;
	ctx.local_as = 65000;
	ctx.peer_as = ebgp ? 65001 : 65000;
	for (af = 0; af < BGP_AF_MAX; af++)
		ctx.af[af] = true;
	bgp_update_init(&u);
	bgp_update_decode(body, len, &ctx, &u);
	use_update(&u, as4);
	bgp_update_free(&u);
}

static void message(uint8_t type, const uint8_t *body, size_t len)
{
	uint8_t code, subcode;
	const uint8_t *data;
	size_t datalen;
	struct bgp_open o;
	char err[160];
	int af;

	switch (type) {
	case BGP_MSG_OPEN:
		if (bgp_open_decode(body, len, &o, &code, &subcode, err, sizeof(err)) == -1)
			bgp_suberr_name(code, subcode);
		break;
	case BGP_MSG_UPDATE:
		update(body, len, true, false);
		update(body, len, false, true);
		break;
	case BGP_MSG_NOTIFICATION:
		if (bgp_notification_decode(body, len, &code, &subcode, &data, &datalen) == 0) {
			bgp_err_name(code);
			bgp_suberr_name(code, subcode);
		}
		break;
	case BGP_MSG_ROUTE_REFRESH:
		bgp_route_refresh_decode(body, len, &af);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	while (size - off >= BGP_HDR_LEN) {
		uint16_t len;
		uint8_t type, code, subcode;
		char err[160];

		if (bgp_hdr_check(data + off, &len, &type, &code, &subcode, err, sizeof(err)) == -1)
			break; /* the session sends a NOTIFICATION and closes */
		if (size - off < len)
			break; /* waits for the rest */
		message(type, data + off + BGP_HDR_LEN, len - BGP_HDR_LEN);
		off += len;
	}
	return 0;
}
