/* Prometheus metrics (docs/metrics.md is the contract: names, labels, types).
 * `metrics listen [ADDR:PORT]` serves GET /metrics in the text exposition
 * format 0.0.4 over HTTP/1.1 in ped's main namespace; `show metrics` prints
 * the same text. A scrape reads counters the modules already keep: its cost
 * grows with peers, VRFs, LDP neighbors, BFD sessions and ports, never with
 * routes or labels. */
#ifndef PE_METRICS_H
#define PE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct cli;
struct evbuffer;
struct event_base;

#define METRICS_DEFAULT_ADDR "127.0.0.1"
#define METRICS_DEFAULT_PORT 9273
/* Bounds of the HTTP side: connections served at once (more are answered
 * 503 and closed at accept), bytes of a request head, seconds for the
 * whole request to arrive (a client that trickles bytes is cut there, not
 * kept alive by each byte), seconds for the client to take the whole
 * answer, seconds to wait for its close after ours. */
#define METRICS_MAX_CONNS 8
#define METRICS_MAX_REQUEST 8192
#define METRICS_REQUEST_SECS 5
#define METRICS_ANSWER_SECS 30
#define METRICS_LINGER_SECS 2
#define METRICS_RETRY_SECS 10 /* a listener that could not open is retried */

struct metrics_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* metrics.c */
void metrics_init(void); /* commands; before the configuration is read */
/* Opens the configured listener on base (retried every METRICS_RETRY_SECS
 * while it fails); from then on configuration changes apply at once. */
void metrics_start(struct event_base *base);
void metrics_fini(void); /* listener, connections, configuration */
void metrics_config_write(struct cli *cli);
/* The whole exposition, appended to out. */
void metrics_render(struct evbuffer *out);
/* "A.B.C.D[:PORT]", "[X:X::X:X][:PORT]" or "X:X::X:X" (no port); NULL or
 * "" for 127.0.0.1:9273. -1 + reason on anything else. */
int metrics_parse_listen(const char *s, struct metrics_addr *a, char *err, size_t errlen);
/* Canonical form, as the running configuration prints it ("[::1]:9273"). */
const char *metrics_addr_str(const struct metrics_addr *a, char *buf, size_t len);
/* A label value escaped as the text format wants (\\, \", \n). */
void metrics_put_label_value(struct evbuffer *out, const char *s);

#endif
