/* pesh: the shell for ped, a thin client of its control socket
 * (cli/ctl_proto.h). ped owns the command tree: pesh sends lines, asks for
 * '?' help and TAB candidates, and prints what comes back.
 *
 *   pesh [-N NODE] [-S SOCKET] [-c COMMAND]...
 *
 * Interactive on a terminal (GNU readline, history in ~/.pesh_history);
 * otherwise runs the -c commands, or the lines of stdin, in one session.
 * Exit status: 0 all commands succeeded (or warned), 1 some failed,
 * 2 ped cannot be reached or the connection was lost. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli/cmd.h"
#include "cli/ctl_proto.h"

#define HISTORY_FILE ".pesh_history"
#define HISTORY_MAX 1000

static int ctl_fd = -1;
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path) + 64];
static char prompt[256] = "pe# ";
static bool session_closed;
static volatile sig_atomic_t got_sigint;
static char *reply_buf;

static void __attribute__((noreturn)) lost(const char *why)
{
	fprintf(stderr, "\npesh: %s (%s)\n", why, sock_path);
	exit(2);
}

static int ctl_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void write_all(const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t r;

	while (n > 0) {
		r = send(ctl_fd, p, n, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			lost("lost the connection to ped");
		p += r;
		n -= (size_t)r;
	}
}

static void read_all(void *buf, size_t n)
{
	char *p = buf;
	ssize_t r;

	while (n > 0) {
		r = read(ctl_fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			lost(session_closed ? "session closed" : "lost the connection to ped");
		p += r;
		n -= (size_t)r;
	}
}

static void send_req(uint8_t type, const char *line)
{
	uint8_t h[CTL_HDR_LEN];
	size_t len = strlen(line);

	ctl_hdr_put(h, (uint32_t)len, type);
	write_all(h, sizeof(h));
	write_all(line, len);
}

typedef void (*out_fn)(void *arg, const char *buf, size_t len);

/* Reads the reply to one request: OUTPUT frames go to out, DONE gives the
 * status and the new prompt. */
static int recv_reply(out_fn out, void *arg)
{
	uint8_t h[CTL_HDR_LEN];
	uint32_t len;
	bool discard = false;

	if (reply_buf == NULL && (reply_buf = malloc(CTL_MAX_REPLY + 1)) == NULL) {
		fprintf(stderr, "pesh: out of memory\n");
		exit(2);
	}
	for (;;) {
		read_all(h, sizeof(h));
		len = ctl_hdr_len(h);
		if (len > CTL_MAX_REPLY)
			lost("malformed reply from ped");
		read_all(reply_buf, len);
		if (h[4] == CTL_OUTPUT) {
			/* ^C while a long output scrolls: drop the rest of it */
			if (got_sigint && out != NULL && !discard) {
				discard = true;
				got_sigint = 0;
				out(arg, "\n% Interrupted\n", 15);
			}
			if (out != NULL && !discard)
				out(arg, reply_buf, len);
			continue;
		}
		if (h[4] != CTL_DONE || len < 2)
			lost("malformed reply from ped");
		reply_buf[len] = '\0';
		snprintf(prompt, sizeof(prompt), "%s", reply_buf + 2);
		if (reply_buf[1] & CTL_F_CLOSED)
			session_closed = true;
		return (uint8_t)reply_buf[0];
	}
}

static void out_stdout(void *arg, const char *buf, size_t len)
{
	(void)arg;
	fwrite(buf, 1, len, stdout);
}

static bool failed(int status)
{
	return status != CMD_SUCCESS && status != CMD_WARNING;
}

static int exec_line(const char *line, bool help_ok)
{
	size_t len = strlen(line);
	int status;

	if (len > CTL_MAX_REQ) {
		printf("%% Line too long (more than %u characters)\n", CTL_MAX_REQ);
		return CMD_ERR_INVALID;
	}
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	/* pesh -c "show ip ?": help, as '?' gives on a terminal; a '?' ending
	 * a word ("description ok?") is text */
	if (help_ok && len > 0 && line[len - 1] == '?' &&
	    (len == 1 || line[len - 2] == ' ' || line[len - 2] == '\t')) {
		char *l = strndup(line, len - 1);

		if (l == NULL)
			return CMD_ERROR;
		send_req(CTL_DESCRIBE, l);
		free(l);
		status = recv_reply(out_stdout, NULL);
		fflush(stdout);
		return status;
	}
	send_req(CTL_EXEC, line);
	status = recv_reply(out_stdout, NULL);
	fflush(stdout);
	return status;
}

/* ---- interactive ---- */

static void describe(const char *line)
{
	if (strlen(line) > CTL_MAX_REQ)
		return;
	send_req(CTL_DESCRIBE, line);
	recv_reply(out_stdout, NULL);
	fflush(stdout);
}

/* '?': help for the line up to the cursor, then the same line again. */
static int describe_key(int count, int key)
{
	char *line = strndup(rl_line_buffer, (size_t)rl_point);

	(void)count;
	(void)key;
	if (line == NULL)
		return 0;
	fputc('\n', rl_outstream);
	fflush(rl_outstream);
	describe(line);
	free(line);
	rl_on_new_line();
	return 0;
}

struct cands {
	char *text; /* candidates, one per line */
	size_t len;
	char **v;
	size_t n, next;
};

static struct cands cands;

static void out_cands(void *arg, const char *buf, size_t len)
{
	char *t = realloc(cands.text, cands.len + len + 1);

	(void)arg;
	if (t == NULL)
		return;
	cands.text = t;
	memcpy(t + cands.len, buf, len);
	cands.len += len;
	t[cands.len] = '\0';
}

static char *cand_gen(const char *text, int state)
{
	(void)text;
	if (state == 0)
		cands.next = 0;
	if (cands.next < cands.n)
		return strdup(cands.v[cands.next++]);
	return NULL;
}

/* TAB: candidates from ped for the word under the cursor. Nothing to
 * complete (a value is expected, or the line is done): show the '?' help. */
static char **complete(const char *text, int start, int end)
{
	char *line = strndup(rl_line_buffer, (size_t)end), *p, *nl;

	(void)start;
	rl_attempted_completion_over = 1;
	if (line == NULL || strlen(line) > CTL_MAX_REQ) {
		free(line);
		return NULL;
	}
	free(cands.text);
	free(cands.v);
	memset(&cands, 0, sizeof(cands));
	send_req(CTL_COMPLETE, line);
	recv_reply(out_cands, NULL);
	for (p = cands.text; p != NULL && *p; p = nl + 1) {
		char **v;

		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		if ((v = realloc(cands.v, (cands.n + 1) * sizeof(*v))) == NULL)
			break;
		cands.v = v;
		cands.v[cands.n++] = p;
	}
	if (cands.n == 0) {
		fputc('\n', rl_outstream);
		fflush(rl_outstream);
		describe(line);
		rl_on_new_line();
		free(line);
		return NULL;
	}
	free(line);
	return rl_completion_matches(text, cand_gen);
}

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
}

/* ^C at the prompt: drop the line and start a fresh one, like vtysh. */
static int signal_hook(void)
{
	if (got_sigint) {
		got_sigint = 0;
		rl_replace_line("", 0);
		rl_crlf();
		rl_on_new_line();
		rl_redisplay();
	}
	return 0;
}

static void interactive(void)
{
	static char word_breaks[] = " \t";
	struct sigaction sa = { .sa_handler = on_sigint };
	char hist[4096] = "";
	const char *home = getenv("HOME");
	char *line;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	rl_readline_name = "pesh";
	rl_attempted_completion_function = complete;
	rl_completer_word_break_characters = word_breaks;
	rl_signal_event_hook = signal_hook;
	rl_bind_key('?', describe_key);
	using_history();
	stifle_history(HISTORY_MAX);
	if (home != NULL && *home != '\0') {
		snprintf(hist, sizeof(hist), "%s/%s", home, HISTORY_FILE);
		read_history(hist);
	}
	send_req(CTL_PROMPT, "");
	recv_reply(NULL, NULL);
	while (!session_closed) {
		got_sigint = 0;
		if ((line = readline(prompt)) == NULL) {
			fputc('\n', stdout);
			break;
		}
		if (line[strspn(line, " \t")] != '\0') {
			HIST_ENTRY *last = history_length > 0 ?
						   history_get(history_base + history_length - 1) :
						   NULL;

			if (last == NULL || strcmp(last->line, line) != 0)
				add_history(line);
		}
		exec_line(line, false);
		free(line);
	}
	if (hist[0] != '\0')
		write_history(hist);
}

/* ---- scripts ---- */

static int run_stdin(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0;

	while (!session_closed && (n = getline(&line, &cap, stdin)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (failed(exec_line(line, false)))
			ret = 1;
	}
	free(line);
	return ret;
}

static void usage(FILE *fp)
{
	fprintf(fp, "usage: pesh [-N NODE] [-S SOCKET] [-c COMMAND]...\n"
		    "  -N NODE     the ped of testbed node NODE ($PE_RUNDIR/NODE/ped.sock)\n"
		    "  -S SOCKET   the control socket to use\n"
		    "  -c COMMAND  run COMMAND (repeatable, in one session) and exit\n");
}

int main(int argc, char **argv)
{
	const char *node = NULL, *sock = NULL;
	char **cmds;
	int ncmds = 0, ch, i, ret = 0;

	if ((cmds = calloc((size_t)argc, sizeof(*cmds))) == NULL)
		return 2;
	while ((ch = getopt(argc, argv, "N:S:c:h")) != -1) {
		switch (ch) {
		case 'N':
			node = optarg;
			break;
		case 'S':
			sock = optarg;
			break;
		case 'c':
			cmds[ncmds++] = optarg;
			break;
		case 'h':
			usage(stdout);
			free(cmds);
			return 0;
		default:
			usage(stderr);
			free(cmds);
			return 1;
		}
	}
	if (optind < argc) {
		usage(stderr);
		free(cmds);
		return 1;
	}
	if (sock != NULL)
		snprintf(sock_path, sizeof(sock_path), "%s", sock);
	else if (ctl_socket_path(sock_path, sizeof(sock_path), node) < 0) {
		fprintf(stderr, "pesh: bad node name \"%s\"\n", node != NULL ? node : "");
		free(cmds);
		return 1;
	}
	if ((ctl_fd = ctl_connect(sock_path)) < 0) {
		fprintf(stderr, "pesh: cannot connect to ped at %s: %s\n", sock_path,
			strerror(errno));
		free(cmds);
		return 2;
	}
	if (ncmds > 0) {
		for (i = 0; i < ncmds && !session_closed; i++)
			if (failed(exec_line(cmds[i], true)))
				ret = 1;
	} else if (isatty(STDIN_FILENO))
		interactive();
	else
		ret = run_stdin();
	close(ctl_fd);
	free(cmds);
	free(reply_buf);
	return ret;
}
