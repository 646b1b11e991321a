/* ped's control socket: a unix stream socket where each connection (a pesh)
 * is one CLI session, speaking the protocol of cli/ctl_proto.h. */
#ifndef PE_CTL_H
#define PE_CTL_H

struct event_base;
struct cli;
struct ctl;

/* ctl.c */
/* Creates the socket's directory (mkdir -p), replaces a stale socket (one
 * nobody answers on; a live one makes this fail), listens with mode 0600.
 * Ignores SIGPIPE for the process (a client that goes away must not kill
 * ped). NULL, logged, on error.
 * hostname is read at each prompt, not copied: it must stay valid until
 * ctl_stop, and prompts follow changes made to it (`hostname NAME`). */
struct ctl *ctl_start(struct event_base *base, const char *path, const char *hostname);
/* Closes every session and unlinks the socket. */
void ctl_stop(struct ctl *c);
/* Points the prompts at another hostname buffer (same rules). */
void ctl_set_hostname(struct ctl *c, const char *hostname);
/* Optional hooks called on each new session and before one is freed. */
void ctl_set_init(void (*fn)(struct cli *cli));
void ctl_set_fini(void (*fn)(struct cli *cli));

#endif
