/* pesh: the shell for ped, a thin client of its control socket
 * (cli/ctl_proto.h). ped owns the command tree: pesh sends lines, asks for
 * '?' help and TAB candidates, and prints what comes back.
 *
 *   pesh [-N NODE] [-S SOCKET] [-c COMMAND]...
 *
 * Interactive on a terminal (GNU readline, history in ~/.pesh_history);
 * otherwise runs the -c commands, or the lines of stdin, in one session.
 * ping and traceroute are pesh's own (cli/pesh_ping.h): pesh runs iputils
 * ping or traceroute inside the namespace of ped or of the VRF, so that
 * their output streams as it comes and ^C stops them, not pesh.
 * Exit status: 0 all commands succeeded (or warned), 1 some failed,
 * 2 ped cannot be reached or the connection was lost. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli/cmd.h"
#include "cli/ctl_proto.h"
#include "cli/pesh_ping.h"

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
			/* ^C while a long output scrolls: drop the rest of it,
			 * and ask ped to stop writing it (a streamed dump) */
			if (got_sigint && out != NULL && !discard) {
				discard = true;
				got_sigint = 0;
				send_req(CTL_CANCEL, "");
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

/* ---- ping and traceroute: pesh's own commands ---- */

static const char *const tool_name[] = { "ping", "traceroute" };
static const char *const tool_help[] = { "Send echo messages", "Trace route to destination" };

/* A reply collected in memory (TAB candidates, help to merge, show vrf
 * json), bounded. */
struct collect {
	char *buf;
	size_t len;
	bool over;
};

#define COLLECT_MAX (64u * 1024 * 1024)

static void out_collect(void *arg, const char *buf, size_t len)
{
	struct collect *c = arg;
	char *t;

	if (c->over)
		return;
	if (c->len + len > COLLECT_MAX || (t = realloc(c->buf, c->len + len + 1)) == NULL) {
		c->over = true;
		return;
	}
	c->buf = t;
	memcpy(t + c->len, buf, len);
	c->len += len;
	t[c->len] = '\0';
}

/* The line again with a caret under column col, then "% msg", as ped
 * reports a bad word. */
static void put_error(const char *line, size_t col, const char *msg)
{
	size_t len = strlen(line), i;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		putchar((c < 0x20 && c != '\t') || c == 0x7f ? '?' : c);
	}
	putchar('\n');
	for (i = 0; i < col; i++)
		putchar(i < len && line[i] == '\t' ? '\t' : ' ');
	printf("^\n%% %s\n", msg);
}

static bool config_mode(void)
{
	return strstr(prompt, "(config") != NULL;
}

/* Does the line start with "do"? (the only way to ping from a
 * configuration mode, as in FRR) */
static bool has_do(const char *line)
{
	line += strspn(line, " \t");
	return strncmp(line, "do", 2) == 0 && (line[2] == ' ' || line[2] == '\t');
}

/* pesh's own tool for this line, or PING_NONE (ped's line). The command word
 * may be a prefix of ping or traceroute and also of one of ped's commands:
 * then it is ambiguous (-2), reported with a caret when report is set. */
static int own_tool(const char *line, bool report)
{
	size_t start, end;
	enum ping_tool t = ping_which(line, &start, &end);
	struct collect c = { 0 };
	char *head;

	if (t == PING_NONE || (config_mode() && !has_do(line)))
		return PING_NONE;
	if (end - start == strlen(tool_name[t]))
		return t;
	if ((head = strndup(line, end)) == NULL)
		return PING_NONE;
	send_req(CTL_COMPLETE, head);
	free(head);
	recv_reply(out_collect, &c);
	if (c.len == 0) {
		free(c.buf);
		return t;
	}
	if (report) {
		char *p, *nl;

		put_error(line, start, "Ambiguous command");
		printf("  %s\n", tool_name[t]);
		for (p = c.buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
			printf("  %.*s\n", (int)(nl - p), p);
	}
	free(c.buf);
	return -2;
}

/* '?' after the command word of ping or traceroute. */
static int describe_own(const char *line)
{
	struct ping_next next[PING_NEXT_MAX];
	struct ping_err e;
	bool cr;
	int n = ping_next(line, next, PING_NEXT_MAX, &cr, &e), i, width = 0;

	if (n < 0) {
		put_error(line, e.col, e.msg);
		return CMD_ERR_INVALID;
	}
	if (n == 0 && !cr) {
		printf("%% There is no matched command.\n");
		return CMD_ERR_UNKNOWN;
	}
	width = cr ? 4 : 0;
	for (i = 0; i < n; i++)
		if ((int)strlen(next[i].text) > width)
			width = (int)strlen(next[i].text);
	for (i = 0; i < n; i++)
		printf("  %-*s  %s\n", width, next[i].text, next[i].help);
	if (cr)
		printf("  <cr>\n");
	return CMD_SUCCESS;
}

struct help_row {
	char *text, *help;
};

static int row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct help_row *)a)->text, ((const struct help_row *)b)->text);
}

/* '?' on the command word: ped's list with ping and traceroute in it. */
static int describe_merged(const char *line, const char *partial)
{
	struct collect c = { 0 };
	struct help_row *rows = NULL, *r;
	size_t n = 0, i;
	bool cr = false, list = true, ours = false;
	char *p, *nl;
	int status, width = 0, t;

	send_req(CTL_DESCRIBE, line);
	status = recv_reply(out_collect, &c);
	for (t = 0; t < 2; t++)
		if (strncmp(tool_name[t], partial, strlen(partial)) == 0 &&
		    (!config_mode() || has_do(line)))
			ours = true;
	if (!ours || c.over) {
		if (c.len > 0)
			fwrite(c.buf, 1, c.len, stdout);
		free(c.buf);
		return status;
	}
	/* ped's rows: "  TEXT  HELP" or "  <cr>"; anything else is a message */
	for (p = c.buf; list && p != NULL && *p; p = nl + 1) {
		char *sp;

		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		if (strncmp(p, "  ", 2) != 0 || p[2] == ' ' || p[2] == '\0') {
			list = false;
			break;
		}
		if (strcmp(p + 2, "<cr>") == 0) {
			cr = true;
			continue;
		}
		if ((r = realloc(rows, (n + 1) * sizeof(*rows))) == NULL)
			break;
		rows = r;
		rows[n].text = p + 2;
		sp = strchr(p + 2, ' ');
		if (sp != NULL) {
			*sp = '\0';
			rows[n].help = sp + 1 + strspn(sp + 1, " ");
		} else {
			rows[n].help = (char *)(uintptr_t) "";
		}
		n++;
	}
	if (!list)
		n = 0, cr = false; /* ped had nothing to say here: only ours */
	for (t = 0; t < 2; t++)
		if (strncmp(tool_name[t], partial, strlen(partial)) == 0 &&
		    (r = realloc(rows, (n + 1) * sizeof(*rows))) != NULL) {
			rows = r;
			rows[n].text = (char *)(uintptr_t)tool_name[t];
			rows[n].help = (char *)(uintptr_t)tool_help[t];
			n++;
		}
	qsort(rows, n, sizeof(*rows), row_cmp);
	width = cr ? 4 : 0;
	for (i = 0; i < n; i++)
		if ((int)strlen(rows[i].text) > width)
			width = (int)strlen(rows[i].text);
	for (i = 0; i < n; i++)
		printf("  %-*s  %s\n", width, rows[i].text, rows[i].help);
	if (cr)
		printf("  <cr>\n");
	free(rows);
	free(c.buf);
	return CMD_SUCCESS;
}

/* The ped process at the other end of the control socket. */
static pid_t ped_pid(void)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(ctl_fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || cr.pid <= 0)
		return -1;
	return cr.pid;
}

/* The namespace of a VRF, from ped (show vrf json, in a session of its own
 * so that the user's mode is left alone). 1 if ped has no such VRF, -1 with
 * the reason printed if it cannot be asked. */
static int vrf_netns(const char *vrf, char *ns, size_t len)
{
	struct collect c = { 0 };
	int fd = ctl_connect(sock_path), save_fd = ctl_fd, ret = -1;
	char save_prompt[sizeof(prompt)];
	json_object *top = NULL, *vrfs, *v, *nso;
	bool save_closed = session_closed;

	if (fd < 0) {
		printf("%% cannot ask ped for the VRFs: %s\n", strerror(errno));
		return -1;
	}
	memcpy(save_prompt, prompt, sizeof(prompt));
	ctl_fd = fd;
	send_req(CTL_EXEC, "show vrf json");
	recv_reply(out_collect, &c);
	ctl_fd = save_fd;
	session_closed = save_closed;
	memcpy(prompt, save_prompt, sizeof(prompt));
	close(fd);
	if (c.over || c.buf == NULL || (top = json_tokener_parse(c.buf)) == NULL ||
	    !json_object_object_get_ex(top, "vrfs", &vrfs)) {
		printf("%% cannot read ped's VRFs (show vrf json)\n");
		goto out;
	}
	if (!json_object_object_get_ex(vrfs, vrf, &v)) {
		ret = 1;
		goto out;
	}
	if (!json_object_object_get_ex(v, "netns", &nso) ||
	    json_object_get_string_len(nso) == 0 ||
	    (size_t)json_object_get_string_len(nso) >= len) {
		printf("%% VRF %s has no namespace\n", vrf);
		goto out;
	}
	snprintf(ns, len, "%s", json_object_get_string(nso));
	ret = 0;
out:
	json_object_put(top);
	free(c.buf);
	return ret;
}

/* The tool's binary: PATH, then the usual places (root's PATH may lack
 * /usr/sbin, where traceroute lives). */
static bool find_prog(const char *name, char *buf, size_t len)
{
	static const char *const dirs[] = { "/usr/bin", "/usr/sbin", "/bin", "/sbin", NULL };
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	bool found = false;
	int i;

	if (path != NULL && (copy = strdup(path)) != NULL) {
		for (dir = strtok_r(copy, ":", &save); dir != NULL && !found;
		     dir = strtok_r(NULL, ":", &save))
			found = *dir == '/' && (size_t)snprintf(buf, len, "%s/%s", dir, name) < len &&
				access(buf, X_OK) == 0;
		free(copy);
	}
	for (i = 0; dirs[i] != NULL && !found; i++)
		found = (size_t)snprintf(buf, len, "%s/%s", dirs[i], name) < len &&
			access(buf, X_OK) == 0;
	return found;
}

/* The namespace to run in: the VRF's, or ped's own. -1 when it cannot be
 * opened (said why), -2 when it is pesh's own already (no setns needed),
 * -3 for an unknown VRF. */
static int open_netns(const struct ping_req *r, char *what, size_t wlen)
{
	char ns[256], path[512];
	struct stat a, b;
	pid_t pid = ped_pid();
	int fd, k;

	if (r->vrf[0] != '\0') {
		if ((k = vrf_netns(r->vrf, ns, sizeof(ns))) != 0)
			return k > 0 ? -3 : -1;
		snprintf(what, wlen, "namespace %s of VRF %s", ns, r->vrf);
		snprintf(path, sizeof(path), "/run/netns/%s", ns);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && pid > 0) {
			/* ped in a mount namespace of its own: its view of /run/netns */
			snprintf(path, sizeof(path), "/proc/%d/root/run/netns/%s", (int)pid, ns);
			fd = open(path, O_RDONLY | O_CLOEXEC);
		}
	} else {
		snprintf(what, wlen, "namespace of ped (pid %d)", (int)pid);
		if (pid <= 0) {
			printf("%% cannot tell which process ped is (SO_PEERCRED)\n");
			return -1;
		}
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		printf("%% cannot open the %s: %s\n", what, strerror(errno));
		return -1;
	}
	if (fstat(fd, &a) == 0 && stat("/proc/self/ns/net", &b) == 0 && a.st_ino == b.st_ino &&
	    a.st_dev == b.st_dev) {
		close(fd);
		return -2;
	}
	return fd;
}

/* Runs ping or traceroute for the line: argv built here, never a shell;
 * inside the namespace; its output straight to ours; ^C goes to it (the
 * terminal's foreground group) while pesh ignores it and waits. */
static int run_tool(const char *line)
{
	struct ping_req r;
	struct ping_err e;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	char prog[512], store[1024], what[400], *argv[32];
	int nsfd, status;
	pid_t pid;

	if (ping_parse(line, &r, &e) < 0) {
		put_error(line, e.col, e.msg);
		return strncmp(e.msg, "Incomplete", 10) == 0 ? CMD_ERR_INCOMPLETE :
							      CMD_ERR_INVALID;
	}
	if (!find_prog(tool_name[r.tool], prog, sizeof(prog))) {
		printf("%% %s is not installed (Debian: apt-get install %s)\n", tool_name[r.tool],
		       r.tool == PING_PING ? "iputils-ping" : "traceroute");
		return CMD_ERROR;
	}
	if (ping_argv(&r, prog, argv, sizeof(argv) / sizeof(argv[0]), store, sizeof(store)) < 0) {
		printf("%% %s: too many arguments\n", tool_name[r.tool]);
		return CMD_ERROR;
	}
	nsfd = open_netns(&r, what, sizeof(what));
	if (nsfd == -3) {
		char msg[128];

		snprintf(msg, sizeof(msg), "VRF %s does not exist", r.vrf);
		put_error(line, r.vrf_col, msg);
		return CMD_ERROR;
	}
	if (nsfd == -1)
		return CMD_ERROR;
	fflush(stdout);
	fflush(stderr);
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };

		sigemptyset(&dfl.sa_mask);
		sigaction(SIGINT, &dfl, NULL);
		sigaction(SIGQUIT, &dfl, NULL);
		if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET) < 0) {
			printf("%% cannot enter the %s: %s\n", what, strerror(errno));
			fflush(stdout);
			_exit(126);
		}
		execv(prog, argv);
		printf("%% cannot run %s: %s\n", prog, strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	if (nsfd >= 0)
		close(nsfd);
	if (pid < 0) {
		printf("%% cannot start %s: %s\n", tool_name[r.tool], strerror(errno));
		status = -1;
	} else {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	got_sigint = 0;
	fflush(stdout);
	if (pid < 0)
		return CMD_ERROR;
	if (WIFSIGNALED(status)) {
		/* ^C: stopped as asked, not a failure */
		printf("\n");
		return WTERMSIG(status) == SIGINT ? CMD_WARNING : CMD_ERROR;
	}
	/* ping: 1 when no reply came, 2 on other errors (it said why) */
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? CMD_SUCCESS : CMD_ERROR;
}

static int describe(const char *line);

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
		status = describe(l);
		free(l);
		return status;
	}
	switch (own_tool(line, true)) {
	case PING_PING:
	case PING_TRACEROUTE: return run_tool(line);
	case -2: return CMD_ERR_AMBIGUOUS;
	default: break;
	}
	send_req(CTL_EXEC, line);
	status = recv_reply(out_stdout, NULL);
	fflush(stdout);
	return status;
}

/* ---- interactive ---- */

/* '?': ped's help, with ping and traceroute where they fit. */
static int describe(const char *line)
{
	char partial[PING_WORD_MAX];
	int status;

	if (strlen(line) > CTL_MAX_REQ)
		return CMD_ERR_INVALID;
	if (ping_cmd_partial(line, partial, sizeof(partial)))
		status = describe_merged(line, partial);
	else if (own_tool(line, false) >= 0)
		status = describe_own(line);
	else {
		send_req(CTL_DESCRIBE, line);
		status = recv_reply(out_stdout, NULL);
	}
	fflush(stdout);
	return status;
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
/* TAB after the command word of ping or traceroute: the keywords that fit. */
static void complete_own(const char *line)
{
	struct ping_next next[PING_NEXT_MAX];
	struct ping_err e;
	bool cr;
	int n = ping_next(line, next, PING_NEXT_MAX, &cr, &e), i;

	for (i = 0; i < n; i++)
		if (next[i].keyword) {
			out_cands(NULL, next[i].text, strlen(next[i].text));
			out_cands(NULL, "\n", 1);
		}
}

static char **complete(const char *text, int start, int end)
{
	char *line = strndup(rl_line_buffer, (size_t)end), *p, *nl;
	char partial[PING_WORD_MAX];
	int t;

	(void)start;
	rl_attempted_completion_over = 1;
	if (line == NULL || strlen(line) > CTL_MAX_REQ) {
		free(line);
		return NULL;
	}
	free(cands.text);
	free(cands.v);
	memset(&cands, 0, sizeof(cands));
	if (!ping_cmd_partial(line, partial, sizeof(partial)) && own_tool(line, false) >= 0) {
		complete_own(line);
	} else {
		send_req(CTL_COMPLETE, line);
		recv_reply(out_cands, NULL);
	}
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
	if (ping_cmd_partial(line, partial, sizeof(partial)) && (!config_mode() || has_do(line)))
		for (t = 0; t < 2; t++) {
			char **v;

			if (strncmp(tool_name[t], partial, strlen(partial)) != 0 ||
			    (v = realloc(cands.v, (cands.n + 1) * sizeof(*v))) == NULL)
				continue;
			cands.v = v;
			cands.v[cands.n++] = (char *)(uintptr_t)tool_name[t];
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
