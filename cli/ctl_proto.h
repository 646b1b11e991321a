/* Wire protocol between ped (pe/ctl.c) and pesh (cli/pesh.c) over a unix
 * stream socket.
 *
 * Every message, both ways, is a frame:
 *   u32 length (network order) | u8 type | length bytes of payload
 * length counts the payload only. Requests carry at most CTL_MAX_REQ bytes,
 * replies at most CTL_MAX_REPLY; a peer that breaks a limit or sends an
 * unknown type is disconnected.
 *
 * The client sends one request and reads the reply before the next:
 *   CTL_EXEC      payload: a command line      (runs it in the session)
 *   CTL_DESCRIBE  payload: a partial line      ('?' help)
 *   CTL_COMPLETE  payload: a partial line      (TAB: candidates for the last word)
 *   CTL_PROMPT    payload: empty               (just the prompt)
 *   CTL_CANCEL    payload: empty               (^C: see below)
 * The daemon answers each request with zero or more CTL_OUTPUT frames (text,
 * streamed in chunks of at most CTL_CHUNK bytes; for CTL_COMPLETE one
 * candidate per line) and exactly one CTL_DONE frame:
 *   u8 status (enum cmd_ret) | u8 flags (CTL_F_*) | the session's prompt
 * CTL_F_CLOSED says the session ended (`exit` in VIEW): the daemon closes
 * the connection after the frame. One connection is one CLI session, so the
 * mode persists from one request to the next.
 * CTL_CANCEL is the one request sent while a reply is coming (the user
 * pressed ^C during a long output): the daemon drops the rest of the
 * command's output at its next step and ends the reply with its CTL_DONE
 * (status CMD_WARNING). It has no reply of its own; one that arrives when no
 * output is pending (the reply was complete) is ignored. */
#ifndef PE_CTL_PROTO_H
#define PE_CTL_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CTL_HDR_LEN 5
#define CTL_MAX_REQ (8u * 1024)
#define CTL_MAX_REPLY (1024u * 1024)
#define CTL_CHUNK (64u * 1024)

enum ctl_type {
	CTL_EXEC = 1,
	CTL_DESCRIBE = 2,
	CTL_COMPLETE = 3,
	CTL_PROMPT = 4,
	CTL_CANCEL = 5,
	CTL_OUTPUT = 0x81,
	CTL_DONE = 0x82,
};

#define CTL_F_CLOSED 0x01

#ifndef PE_RUNDIR
#define PE_RUNDIR "/run/pe"
#endif

static inline void ctl_hdr_put(uint8_t *h, uint32_t len, uint8_t type)
{
	h[0] = (uint8_t)(len >> 24);
	h[1] = (uint8_t)(len >> 16);
	h[2] = (uint8_t)(len >> 8);
	h[3] = (uint8_t)len;
	h[4] = type;
}

static inline uint32_t ctl_hdr_len(const uint8_t *h)
{
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

/* $PE_RUNDIR, or /run/pe (the configure-time PE_RUNDIR). */
static inline const char *ctl_default_rundir(void)
{
	const char *dir = getenv("PE_RUNDIR");

	return (dir == NULL || *dir == '\0') ? PE_RUNDIR : dir;
}

/* The control socket of a node's ped: $PE_RUNDIR/NODE/ped.sock, or
 * $PE_RUNDIR/ped.sock without a node; PE_RUNDIR defaults to /run/pe.
 * Returns -1 if the node name is not a plain name or the path does not fit. */
static inline int ctl_socket_path(char *buf, size_t len, const char *node)
{
	const char *dir = ctl_default_rundir();
	const char *sock = "/ped.sock";
	size_t dl = strlen(dir), nl = node != NULL ? strlen(node) + 1 : 0;

	if (node != NULL && (*node == '\0' || strchr(node, '/') != NULL || strcmp(node, ".") == 0 ||
			     strcmp(node, "..") == 0))
		return -1;
	if (dl + nl + strlen(sock) >= len)
		return -1;
	memcpy(buf, dir, dl);
	if (node != NULL) {
		buf[dl] = '/';
		memcpy(buf + dl + 1, node, nl - 1);
	}
	memcpy(buf + dl + nl, sock, strlen(sock) + 1);
	return 0;
}

#endif
