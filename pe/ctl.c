/* ped's control socket (protocol: cli/ctl_proto.h). One libevent
 * bufferevent and one CLI session per connection.
 *
 * A command runs inside the event loop; its output is framed into
 * CTL_CHUNK-sized CTL_OUTPUT frames and queued on the bufferevent, which
 * sends it as fast as the client reads. A command whose output grows with
 * a table (cli_defer) runs in steps instead, a few per turn of the event
 * loop: a turn ends when CTL_OUT_LOW bytes wait for the client (the next
 * one comes from the write callback, once the client has read them) or
 * after CTL_TURN_STEPS steps (the next one from a zero timer, so sockets
 * are polled in between); the client's backlog stays near CTL_OUT_LOW,
 * under CTL_OUT_HIGH. The daemon keeps routing while a dump is written,
 * and a slow or stuck client costs about CTL_OUT_HIGH bytes, whatever the
 * size of the output. While a client has output pending its further
 * requests wait (and, once its input buffer is full, libevent stops
 * reading it). */
#include "config.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h> /* malloc_trim */
#endif
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "cli/cmd.h"
#include "cli/ctl_proto.h"
#include "lib/log.h"
#include "pe/ctl.h"

#define CTL_OUT_HIGH (1024u * 1024) /* stop taking requests above this backlog */
#define CTL_OUT_LOW (256u * 1024)   /* ... and resume below this */
#define CTL_IN_HIGH (4 * (CTL_MAX_REQ + CTL_HDR_LEN))
#define CTL_MAX_CONNS 64
#define CTL_TURN_STEPS 64 /* steps of a deferred command per turn of the event loop */
#define CTL_TRIM_AFTER (16u * 1024 * 1024) /* output of a command that ends with malloc_trim */

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn) entry;
	struct ctl *ctl;
	struct bufferevent *bev;
	struct cli *cli;
	struct evbuffer *pend; /* output of the running command, not yet framed */
	struct event *step_ev; /* next step of a deferred command */
	size_t out_bytes;      /* output of the running command so far */
	int status;            /* its handler's status */
	bool running;          /* a deferred command has output left */
	bool closing;
};

TAILQ_HEAD(ctl_conns, ctl_conn);

struct ctl {
	struct event_base *base;
	struct evconnlistener *lev;
	char *path;
	const char *hostname; /* the caller's: prompts follow `hostname` */
	struct ctl_conns conns;
	unsigned nconns;
};

static void (*ctl_init_fn)(struct cli *cli);
static void (*ctl_fini_fn)(struct cli *cli);

void ctl_set_init(void (*fn)(struct cli *cli))
{
	ctl_init_fn = fn;
}

void ctl_set_fini(void (*fn)(struct cli *cli))
{
	ctl_fini_fn = fn;
}

void ctl_set_hostname(struct ctl *c, const char *hostname)
{
	c->hostname = hostname;
}

static void conn_free(struct ctl_conn *cc)
{
	struct ctl *c = cc->ctl;

	TAILQ_REMOVE(&c->conns, cc, entry);
	c->nconns--;
	if (ctl_fini_fn != NULL)
		ctl_fini_fn(cc->cli);
	cli_free(cc->cli); /* a pending dump's state goes with it */
	event_free(cc->step_ev);
	bufferevent_free(cc->bev);
	evbuffer_free(cc->pend);
	free(cc);
}

static void frame(struct ctl_conn *cc, uint8_t type, const void *data, size_t len)
{
	struct evbuffer *out = bufferevent_get_output(cc->bev);
	uint8_t h[CTL_HDR_LEN];

	ctl_hdr_put(h, (uint32_t)len, type);
	evbuffer_add(out, h, sizeof(h));
	if (len > 0)
		evbuffer_add(out, data, len);
}

/* Moves up to CTL_CHUNK bytes of pending output into an OUTPUT frame. */
static void flush_chunk(struct ctl_conn *cc)
{
	struct evbuffer *out = bufferevent_get_output(cc->bev);
	size_t n = evbuffer_get_length(cc->pend);
	uint8_t h[CTL_HDR_LEN];

	if (n == 0)
		return;
	if (n > CTL_CHUNK)
		n = CTL_CHUNK;
	ctl_hdr_put(h, (uint32_t)n, CTL_OUTPUT);
	evbuffer_add(out, h, sizeof(h));
	evbuffer_remove_buffer(cc->pend, out, n);
}

static void conn_write(void *arg, const char *buf, size_t len)
{
	struct ctl_conn *cc = arg;

	evbuffer_add(cc->pend, buf, len);
	cc->out_bytes += len;
	while (evbuffer_get_length(cc->pend) >= CTL_CHUNK)
		flush_chunk(cc);
}

static void complete_cb(void *arg, const char *cand)
{
	struct ctl_conn *cc = arg;

	conn_write(cc, cand, strlen(cand));
	conn_write(cc, "\n", 1);
}

/* Ends the request: the rest of its output, then the DONE frame. */
static void finish(struct ctl_conn *cc, int status)
{
	uint8_t done[2 + 256];

	while (evbuffer_get_length(cc->pend) > 0)
		flush_chunk(cc);
	done[0] = (uint8_t)status;
	done[1] = cli_closing(cc->cli) ? CTL_F_CLOSED : 0;
	cli_prompt(cc->cli, cc->ctl->hostname, (char *)done + 2, sizeof(done) - 2);
	frame(cc, CTL_DONE, done, 2 + strlen((char *)done + 2));
	if (cli_closing(cc->cli)) {
		cc->closing = true;
		bufferevent_disable(cc->bev, EV_READ);
	}
	/* a big dump leaves freed memory in the heap: give it back */
#ifdef __GLIBC__
	if (cc->out_bytes >= CTL_TRIM_AFTER)
		malloc_trim(0);
#endif
	cc->out_bytes = 0;
}

static void schedule_step(struct ctl_conn *cc)
{
	static const struct timeval now = { 0, 0 };

	if (!evtimer_pending(cc->step_ev, NULL))
		evtimer_add(cc->step_ev, &now);
}

static bool conn_process(struct ctl_conn *cc);

/* Steps of a deferred command until CTL_OUT_LOW bytes wait for the client
 * (then the write callback brings the next turn, once the client has read
 * below CTL_OUT_LOW) or CTL_TURN_STEPS steps ran (then a zero timer: steps
 * that write little, e.g. over entries that went away, still let the event
 * loop run). */
static void step_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_conn *cc = arg;
	struct evbuffer *out = bufferevent_get_output(cc->bev);
	int rc = CMD_PENDING, n;

	(void)fd;
	(void)what;
	if (!cc->running)
		return;
	for (n = 0; n < CTL_TURN_STEPS &&
		    evbuffer_get_length(out) + evbuffer_get_length(cc->pend) < CTL_OUT_LOW;
	     n++)
		if ((rc = cli_resume(cc->cli, cc->status)) != CMD_PENDING)
			break;
	if (rc == CMD_PENDING) {
		if (evbuffer_get_length(out) + evbuffer_get_length(cc->pend) < CTL_OUT_LOW)
			schedule_step(cc);
		return;
	}
	cc->running = false;
	finish(cc, rc);
	conn_process(cc); /* requests that came meanwhile */
}

static void handle(struct ctl_conn *cc, uint8_t type, const char *line)
{
	int status = CMD_SUCCESS;

	cc->out_bytes = 0;
	switch (type) {
	case CTL_EXEC:
		status = cli_execute(cc->cli, line);
		break;
	case CTL_DESCRIBE:
		cli_describe(cc->cli, line);
		break;
	case CTL_COMPLETE:
		cli_complete(cc->cli, line, complete_cb, cc);
		break;
	case CTL_PROMPT:
		break;
	}
	if (cli_pending(cc->cli)) {
		cc->status = status;
		cc->running = true;
		schedule_step(cc);
		return;
	}
	finish(cc, status);
}

/* Handles the complete requests in the input buffer; false if the
 * connection was closed. */
static bool conn_process(struct ctl_conn *cc)
{
	struct evbuffer *in = bufferevent_get_input(cc->bev);
	struct evbuffer *out = bufferevent_get_output(cc->bev);
	char line[CTL_MAX_REQ + 1];
	uint8_t h[CTL_HDR_LEN];
	uint32_t len;

	/* ^C in the client while a dump is written: the rest is dropped */
	if (cc->running && !cc->closing &&
	    evbuffer_copyout(in, h, sizeof(h)) == (ev_ssize_t)sizeof(h) && h[4] == CTL_CANCEL &&
	    ctl_hdr_len(h) == 0) {
		evbuffer_drain(in, CTL_HDR_LEN);
		cli_abort(cc->cli);
		cc->running = false;
		finish(cc, CMD_WARNING);
	}
	while (!cc->closing && !cc->running && evbuffer_get_length(out) < CTL_OUT_HIGH) {
		if (evbuffer_copyout(in, h, sizeof(h)) < (ev_ssize_t)sizeof(h))
			break;
		len = ctl_hdr_len(h);
		if (len > CTL_MAX_REQ || h[4] < CTL_EXEC || h[4] > CTL_CANCEL) {
			log_warnx(
				"ctl: malformed request (type %u, length %u), closing the session",
				h[4], len);
			conn_free(cc);
			return false;
		}
		if (evbuffer_get_length(in) < CTL_HDR_LEN + len)
			break;
		evbuffer_drain(in, CTL_HDR_LEN);
		evbuffer_remove(in, line, len);
		line[len] = '\0'; /* an embedded NUL just ends the line early */
		if (h[4] == CTL_CANCEL) /* late: the reply it meant was complete */
			continue;
		handle(cc, h[4], line);
	}
	return true;
}

static void conn_read_cb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	conn_process(arg);
}

static void conn_write_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_conn *cc = arg;

	if (cc->closing) {
		if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
			conn_free(cc);
		return;
	}
	if (cc->running) { /* the client read: next part of the dump */
		schedule_step(cc);
		return;
	}
	conn_process(cc); /* requests held back while the client was slow */
}

static void conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & BEV_EVENT_ERROR)
		log_debug("ctl: session error: %s",
			  evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		conn_free(arg);
}

static void accept_cb(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa,
		      int salen, void *arg)
{
	struct ctl *c = arg;
	struct ctl_conn *cc;

	(void)lev;
	(void)sa;
	(void)salen;
	if (c->nconns >= CTL_MAX_CONNS) {
		log_warnx("ctl: %u sessions open, refusing another", c->nconns);
		evutil_closesocket(fd);
		return;
	}
	cc = xcalloc(1, sizeof(*cc));
	cc->ctl = c;
	cc->bev = bufferevent_socket_new(c->base, fd, BEV_OPT_CLOSE_ON_FREE);
	cc->pend = evbuffer_new();
	cc->step_ev = evtimer_new(c->base, step_cb, cc);
	if (cc->bev == NULL || cc->pend == NULL || cc->step_ev == NULL) {
		log_warnx("ctl: cannot set up a session");
		if (cc->bev != NULL)
			bufferevent_free(cc->bev);
		else
			evutil_closesocket(fd);
		if (cc->pend != NULL)
			evbuffer_free(cc->pend);
		if (cc->step_ev != NULL)
			event_free(cc->step_ev);
		free(cc);
		return;
	}
	cc->cli = cli_new(conn_write, cc);
	cli_set_async(cc->cli, true);
	TAILQ_INSERT_TAIL(&c->conns, cc, entry);
	c->nconns++;
	if (ctl_init_fn != NULL)
		ctl_init_fn(cc->cli);
	bufferevent_setcb(cc->bev, conn_read_cb, conn_write_cb, conn_event_cb, cc);
	bufferevent_setwatermark(cc->bev, EV_READ, 0, CTL_IN_HIGH);
	bufferevent_setwatermark(cc->bev, EV_WRITE, CTL_OUT_LOW, 0);
	bufferevent_enable(cc->bev, EV_READ | EV_WRITE);
	log_debug("ctl: new session");
}

static void accept_error_cb(struct evconnlistener *lev, void *arg)
{
	(void)lev;
	(void)arg;
	/* EMFILE and friends: keep listening, the next accept may work */
	log_warnx("ctl: accept: %s", evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
}

static int mkdir_p(const char *dir)
{
	char buf[sizeof(((struct sockaddr_un *)0)->sun_path)];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		buf[i] = i < n ? '/' : '\0';
	}
	return 0;
}

/* A socket file nobody accepts on is left over from a dead ped. */
static bool socket_alive(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool alive;

	if (fd < 0)
		return false;
	alive = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return alive;
}

struct ctl *ctl_start(struct event_base *base, const char *path, const char *hostname)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char dir[sizeof(sun.sun_path)];
	struct ctl *c;
	char *slash;
	mode_t old;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("ctl: socket path too long: %s", path);
		return NULL;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	memcpy(dir, path, strlen(path) + 1);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir) < 0) {
			log_warn("ctl: mkdir %s", dir);
			return NULL;
		}
	}
	if (socket_alive(&sun)) {
		log_warnx("ctl: %s is in use by a running daemon", path);
		return NULL;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		log_warn("ctl: unlink %s", path);
		return NULL;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) {
		log_warn("ctl: socket");
		return NULL;
	}
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		umask(old);
		log_warn("ctl: bind %s", path);
		close(fd);
		return NULL;
	}
	umask(old);
	if (chmod(path, 0600) < 0)
		log_warn("ctl: chmod %s", path);
	signal(SIGPIPE, SIG_IGN);

	c = xcalloc(1, sizeof(*c));
	TAILQ_INIT(&c->conns);
	c->base = base;
	c->path = xstrdup(path);
	c->hostname = hostname; /* NULL: cli_prompt says "pe" */
	c->lev = evconnlistener_new(base, accept_cb, c,
				    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 16, fd);
	if (c->lev == NULL) {
		log_warnx("ctl: cannot listen on %s", path);
		close(fd);
		unlink(path);
		free(c->path);
		free(c);
		return NULL;
	}
	evconnlistener_set_error_cb(c->lev, accept_error_cb);
	log_info("ctl: listening on %s", path);
	return c;
}

void ctl_stop(struct ctl *c)
{
	if (c == NULL)
		return;
	while (!TAILQ_EMPTY(&c->conns))
		conn_free(TAILQ_FIRST(&c->conns));
	evconnlistener_free(c->lev);
	unlink(c->path);
	free(c->path);
	free(c);
}
