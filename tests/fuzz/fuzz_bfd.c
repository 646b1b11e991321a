/* libFuzzer target: BFD control packets through decoding, demultiplexing
 * and the state machine (bfd/wire.c, bfd/bfd.c's bfd_input, bfd/session.c),
 * as the sockets hand datagrams over, without sockets or timers.
 *
 * Input: records of [control byte][length byte][length bytes of datagram].
 * The control byte picks the source among four sessions (IPv4 single-hop,
 * IPv4 multi-hop, IPv6 single-hop, one in a VRF) and a stranger (bits 0-2),
 * the TTL (bit 3: 255, else 254), whether the detection time then expires
 * (bit 4) and whether the first session's settings change (bit 5).
 *
 * Oracle beyond "no crash, no sanitizer report, no leak": every session
 * stays in a valid state; Up implies a remote discriminator; a packet that
 * decodes encodes back to a packet that decodes to the same fields. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd/bfd.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

static void roundtrip(const uint8_t *buf, size_t len)
{
	struct bfd_ctl c, d;
	uint8_t out[BFD_MAX_LEN];
	size_t n;

	if (bfd_decode(buf, len, &c) != BFD_OK)
		return;
	n = bfd_encode(&c, out, sizeof(out));
	if (n == 0 || bfd_decode(out, n, &d) != BFD_OK || c.state != d.state ||
	    c.my_disc != d.my_disc || c.your_disc != d.your_disc || c.flags != d.flags ||
	    c.detect_mult != d.detect_mult || c.desired_min_tx != d.desired_min_tx ||
	    c.required_min_rx != d.required_min_rx || c.auth_len != d.auth_len ||
	    (c.auth_len && memcmp(c.auth, d.auth, c.auth_len) != 0)) {
		fprintf(stdout, "fuzz_bfd: a decoded packet does not survive encode/decode\n");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t v6peer[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	static const uint8_t v6local[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct bfd_key k[4];
	struct bfd_sess *s[4];
	struct ipaddr src[5], dst[5];
	const char *vrf[5] = { "", "", "", "CUST", "" };
	bool mh[5] = { false, true, false, false, false };
	char err[128];
	size_t off = 0;

	bfd_init();
	memset(k, 0, sizeof(k));
	k[0].peer = ipaddr_v4(0x0a000002);
	k[1].peer = ipaddr_v4(0x0aff0002);
	k[1].local = ipaddr_v4(0x0aff0001);
	k[1].multihop = true;
	k[2].peer = ipaddr_v6(v6peer);
	k[3].peer = ipaddr_v4(0x0a000002);
	snprintf(k[3].vrf, sizeof(k[3].vrf), "CUST");
	for (int i = 0; i < 4; i++) {
		s[i] = bfd_peer_get(&k[i], err, sizeof(err));
		if (s[i] == NULL)
			abort();
		src[i] = k[i].peer;
	}
	dst[0] = dst[3] = ipaddr_v4(0x0a000001);
	dst[1] = k[1].local;
	dst[2] = ipaddr_v6(v6local);
	src[4] = ipaddr_v4(0x0a000009);
	dst[4] = dst[0];

	while (off + 2 <= size) {
		uint8_t ctl = data[off], len = data[off + 1];
		unsigned who = (ctl & 7u) % 5u;
		const uint8_t *pkt = data + off + 2;

		if (len > size - off - 2)
			len = (uint8_t)(size - off - 2);
		off += 2u + len;
		roundtrip(pkt, len);
		bfd_input(pkt, len, &src[who], &dst[who], vrf[who], mh[who], (ctl & 8) ? 255 : 254, 0);
		if ((ctl & 16) && who < 4)
			bfd_sess_expired(s[who], bfd_now());
		if (ctl & 32) {
			s[0]->own.set ^= BFD_SET_TX | BFD_SET_SHUTDOWN;
			s[0]->own.tx_ms = 10 + len;
			s[0]->own.shutdown = (ctl & 64) != 0;
			bfd_peer_changed(s[0]);
		}
		for (int i = 0; i < 4; i++) {
			if (s[i]->state > BFD_UP || (s[i]->state == BFD_UP && s[i]->remote_disc == 0) ||
			    bfd_sess_tx_interval(s[i]) == 0) {
				fprintf(stdout, "fuzz_bfd: session %d in an impossible state\n", i);
				abort();
			}
			(void)bfd_sess_detect_time(s[i]);
		}
	}
	bfd_fini();
	return 0;
}
