/* libFuzzer target: the pesh control protocol, as ped serves it
 * (pe/ctl.c: framing, back-pressure, one CLI session per connection;
 * cli/cmd.c and cli/cli.c: execution, '?' help and TAB completion over
 * ped's whole command tree).
 *
 * Input: the bytes a client writes on one connection (frames of
 * cli/ctl_proto.h: u32 length, u8 type, payload; seeds in
 * tests/fuzz/corpus/ctl/). They are written to a real ped control socket
 * (ctl_start() on a socket in a private temporary directory) and the
 * connection is then half-closed; the event loop runs until ped closes it.
 * Fresh daemon state per input (ped_harness.c), ped.kernel_apply false:
 * commands change ped's tables only, nothing reaches the kernel.
 *
 * Oracle beyond "no crash, no sanitizer report, no leak": every reply frame
 * is an OUTPUT of at most CTL_CHUNK bytes or a DONE of 2..258 bytes, and
 * ped closes the session once the client has gone (no stuck session). */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/ctl_proto.h"
#include "pe/ctl.h"
#include "pe/ped.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/ped_harness.h"

static char dir[64], path[128];
static struct ctl *ctl;

static void cleanup(void)
{
	if (ctl != NULL)
		ctl_stop(ctl);
	ctl = NULL;
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	fuzz_quiet();
	snprintf(dir, sizeof(dir), "%s/pe-fuzz-ctl.XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("fuzz_ctl: mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/ped.sock", dir);
	ped.base = event_base_new();
	if (ped.base == NULL || (ctl = ctl_start(ped.base, path, "fuzz")) == NULL) {
		fprintf(stdout, "fuzz_ctl: cannot listen on %s\n", path);
		exit(1);
	}
	atexit(cleanup);
	return 0;
}

/* Checks the reply frames in in[0..*n); keeps an incomplete one. */
static void check_frames(uint8_t *in, size_t *n)
{
	size_t off = 0;

	while (*n - off >= CTL_HDR_LEN) {
		uint32_t len = ctl_hdr_len(in + off);
		uint8_t type = in[off + 4];

		if (!((type == CTL_OUTPUT && len >= 1 && len <= CTL_CHUNK) ||
		      (type == CTL_DONE && len >= 2 && len <= 258))) {
			fprintf(stdout, "fuzz_ctl: bad reply frame: type %u length %u\n", type,
				len);
			abort();
		}
		if (*n - off < CTL_HDR_LEN + len)
			break;
		off += CTL_HDR_LEN + len;
	}
	memmove(in, in + off, *n - off);
	*n -= off;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t in[2 * CTL_CHUNK];
	struct sockaddr_un sun;
	size_t sent = 0, inlen = 0;
	bool shut = false;
	unsigned idle = 0;
	int fd;

	fuzz_ped_begin();
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		fprintf(stdout, "fuzz_ctl: connect: %s\n", strerror(errno));
		abort();
	}
	for (;;) {
		ssize_t r;
		bool progress = false;

		event_base_loop(ped.base, EVLOOP_NONBLOCK);
		if (sent < size) {
			r = write(fd, data + sent, size - sent);
			if (r > 0) {
				sent += (size_t)r;
				progress = true;
			}
		}
		if (sent == size && !shut) {
			shutdown(fd, SHUT_WR);
			shut = true;
		}
		r = read(fd, in + inlen, sizeof(in) - inlen);
		if (r == 0)
			break; /* ped closed the session */
		if (r > 0) {
			inlen += (size_t)r;
			check_frames(in, &inlen);
			progress = true;
		} else if (errno != EAGAIN && errno != EINTR && errno != ECONNRESET) {
			fprintf(stdout, "fuzz_ctl: read: %s\n", strerror(errno));
			abort();
		} else if (errno == ECONNRESET) {
			break;
		}
		idle = progress ? 0 : idle + 1;
		if (idle > 100000) {
			fprintf(stdout, "fuzz_ctl: session stuck (%zu of %zu bytes sent)\n", sent,
				size);
			abort();
		}
	}
	close(fd);
	event_base_loop(ped.base, EVLOOP_NONBLOCK);
	fuzz_ped_end();
	return 0;
}
