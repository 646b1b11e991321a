/* ping and traceroute in pesh: the commands every PE shell has (Cisco and
 * FRR habit), run by pesh itself inside the VRF's network namespace with
 * iputils ping or traceroute, so that their output streams to the terminal
 * and ^C stops them. This file only reads the line and builds the argv; it
 * touches no socket, namespace or process (cli/pesh.c does), so the unit
 * test (tests/unit/test_pesh_ping.c) covers every word.
 *
 *   ping [vrf NAME] ADDR [source ADDR|IFNAME] [repeat N] [size N] [df-bit]
 *        [timeout S]                        (options in any order, each once)
 *   traceroute [vrf NAME] ADDR
 *
 * Keywords may be abbreviated to a unique prefix, as in ped's commands; a
 * leading `do` is allowed (from a configuration mode). */
#ifndef PE_PESH_PING_H
#define PE_PESH_PING_H

#include <stdbool.h>
#include <stddef.h>

enum ping_tool { PING_NONE = -1, PING_PING = 0, PING_TRACEROUTE = 1 };

#define PING_WORDS_MAX 32
#define PING_WORD_MAX 128
#define PING_VRF_MAX 64
#define PING_REPEAT_MAX 2147483647L
#define PING_REPEAT_DEFAULT 5 /* as Cisco IOS */
#define PING_SIZE_MAX 18024   /* bytes of the IP datagram, as Cisco IOS */
#define PING_SIZE_MIN4 36     /* 20 IPv4 + 8 ICMP + 8 of data */
#define PING_SIZE_MIN6 48     /* 40 IPv6 + 8 ICMPv6 */
#define PING_TIMEOUT_MAX 3600

struct ping_req {
	enum ping_tool tool;
	char vrf[PING_VRF_MAX]; /* "" = the default VRF (ped's own namespace) */
	size_t vrf_col;		/* column of the VRF name, for the caret */
	int af;			/* AF_INET or AF_INET6 */
	char addr[64];		/* as typed (validated) */
	char source[64];	/* address or interface name, "" if none */
	long repeat;		/* -1: default */
	long size;		/* datagram bytes, -1: default */
	long timeout;		/* seconds, -1: default */
	bool df;
};

struct ping_err {
	size_t col; /* column of the offending word (the end of the line if missing) */
	char msg[256];
};

/* One way to go on from a partial line: a keyword (completed by TAB) or a
 * value placeholder (shown by '?' only). */
struct ping_next {
	const char *text;
	const char *help;
	bool keyword;
};

#define PING_NEXT_MAX 8

/* The command word of the line (after an optional "do"): PING_PING or
 * PING_TRACEROUTE when it is a prefix of one of them, else PING_NONE; *start
 * and *end give the word's columns. A prefix may also begin one of ped's
 * commands: the caller asks ped before treating the line as its own. */
enum ping_tool ping_which(const char *line, size_t *start, size_t *end);

/* True when the cursor (the end of the partial line) is on the command word:
 * an empty line, "do ", or a first word not yet ended by a blank; the word
 * so far goes to buf. */
bool ping_cmd_partial(const char *line, char *buf, size_t len);

/* Parses a whole line. 0, or -1 with err filled. */
int ping_parse(const char *line, struct ping_req *r, struct ping_err *err);

/* What may come next after the complete words of a partial line (the last
 * word is partial unless the line ends in a blank); only those the partial
 * word is a prefix of. *cr says the line may end here. Returns how many, or
 * -1 with err filled when an earlier word is already wrong. */
int ping_next(const char *line, struct ping_next *next, size_t max, bool *cr,
	      struct ping_err *err);

/* The argv of the tool for r, in store (never a shell string): argv[0] is
 * prog. Returns the number of arguments, or -1 if they do not fit. */
int ping_argv(const struct ping_req *r, const char *prog, char **argv, size_t maxargs,
	      char *store, size_t storelen);

#endif
