/* libFuzzer target: LDP PDU decoding (ldp/packet.c and the message
 * decoders hello.c, init.c, address.c, labelmapping.c, notification.c), as
 * ldp/neighbor.c reads a session's TCP stream and ldp/adjacency.c a Hello datagram.
 *
 * Input: a byte stream of LDP PDUs, 10-byte header included (the seeds are
 * a captured FRR session, tests/data/ldp/). The first PDU is also read as a
 * UDP Hello is (any LDP ID); then the stream is split with ldp_pdu_peek()
 * and every PDU opened with the first one's LDP ID and walked message by
 * message, going on after advisory errors as a session does.
 *
 * Oracle beyond "no crash, no sanitizer report, no leak": a message that
 * decodes is encoded again (ldp_msg_encode), and that encoding must decode
 * and re-encode to the same bytes (the canonical form is a fixed point). */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldp/wire.h"
#include "lib/wbuf.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

/* The message m decoded from the wire: encode, decode, encode again. */
static void roundtrip(const struct ldp_msg *m)
{
	static uint8_t b1[65536], b2[65536];
	struct wbuf w1 = wbuf_init_fixed(b1, sizeof(b1)), w2 = wbuf_init_fixed(b2, sizeof(b2));
	struct wbuf r;
	struct ldp_msg m2;
	struct ldp_err err;

	if (m->ignored || ldp_msg_encode(&w1, m) != 0)
		return; /* not every decodable message is encodable (sizes) */
	r = wbuf_from(b1, wbuf_len(&w1));
	memset(&err, 0, sizeof(err));
	if (ldp_msg_next(&r, &m2, &err) != 1) {
		fprintf(stdout, "fuzz_ldp: re-encoded %s does not decode: %s\n",
			ldp_msg_name(m->type), err.reason);
		abort();
	}
	if (ldp_msg_encode(&w2, &m2) != 0 || wbuf_len(&w1) != wbuf_len(&w2) ||
	    memcmp(b1, b2, wbuf_len(&w1)) != 0) {
		fprintf(stdout, "fuzz_ldp: %s: encode(decode(encode(m))) != encode(m)\n",
			ldp_msg_name(m->type));
		abort();
	}
	ldp_msg_clear(&m2);
}

static void pdu(const uint8_t *data, size_t len, const struct ldp_id *expect, uint16_t max_pdu)
{
	struct wbuf b = wbuf_from(data, len), msgs;
	struct ldp_pdu_hdr h;
	struct ldp_err err;
	struct ldp_msg m;
	int rc;

	memset(&err, 0, sizeof(err));
	if (ldp_pdu_open(&b, max_pdu, expect, &h, &msgs, &err) != 0) {
		ldp_status_name(err.status);
		return;
	}
	for (;;) {
		memset(&err, 0, sizeof(err));
		rc = ldp_msg_next(&msgs, &m, &err);
		if (rc == 0)
			return;
		if (rc < 0) {
			ldp_msg_clear(&m);
			if (ldp_status_fatal(err.status))
				return;
			ldp_notification_from_err(&m, &err); /* the advisory reply */
			roundtrip(&m);
			ldp_msg_clear(&m);
			continue;
		}
		ldp_msg_name(m.type);
		roundtrip(&m);
		ldp_msg_clear(&m);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ldp_err err;
	struct ldp_id id;
	size_t off = 0, total;

	if (size >= LDP_HDR_LEN) {
		pdu(data, size, NULL, LDP_MAX_PDU_DEFAULT); /* as a Hello datagram */
		id.lsr_id = (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 |
			    (uint32_t)data[6] << 8 | data[7];
		id.lspace = (uint16_t)(data[8] << 8 | data[9]);
	}
	while (off < size) {
		struct wbuf b = wbuf_from(data + off, size - off);

		memset(&err, 0, sizeof(err));
		if (ldp_pdu_peek(&b, LDP_MAX_PDU_DEFAULT, &total, &err) != 1)
			break; /* short (waits for more) or bad (session reset) */
		pdu(data + off, total, &id, LDP_MAX_PDU_DEFAULT);
		off += total;
	}
	return 0;
}
