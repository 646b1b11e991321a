/* CLI sessions: one per pesh connection, per config file load, per test.
 * Executes lines in the session's node with FRR's walk-up to parent nodes,
 * renders engine errors (caret or file:line), '?' help and TAB candidates,
 * and provides the built-ins every node has (configure, exit, end, quit,
 * do). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cmd.h"
#include "cli/cmd_priv.h"
#include "lib/log.h"

#define CLI_MAX_DEPTH 8 /* nested cli_execute (do, handlers that run lines) */
#define DESCRIBE_MAX 512

struct cli {
	cli_write_fn write;
	void *arg;
	enum cli_node node;
	char *ctx[NODE_MAX]; /* context of each node on the way down (VRF name...) */
	char *src_file;      /* config file mode when set */
	unsigned src_line;
	void *user;
	bool closing;
	int depth;
	bool async;          /* the server can run a deferred command in steps */
	struct cli_cont {    /* the rest of a long output (cli_defer) */
		cli_step_fn step;
		void (*fini)(void *state);
		void *state;
	} cont;
	bool pending;
};

struct cli *cli_new(cli_write_fn write, void *arg)
{
	struct cli *cli = xcalloc(1, sizeof(*cli));

	cmd_init();
	cli->write = write;
	cli->arg = arg;
	cli->node = NODE_VIEW;
	return cli;
}

void cli_free(struct cli *cli)
{
	int i;

	if (cli == NULL)
		return;
	cli_abort(cli);
	for (i = 0; i < NODE_MAX; i++)
		free(cli->ctx[i]);
	free(cli->src_file);
	free(cli);
}

void cli_set_async(struct cli *cli, bool on)
{
	cli->async = on;
}

/* Synchronous sessions (config files, tests, nested commands while another
 * output is pending) run every step here, before the handler returns. */
int cli_defer(struct cli *cli, cli_step_fn step, void (*fini)(void *state), void *state)
{
	int rc;

	if (cli->async && !cli->pending) {
		cli->cont.step = step;
		cli->cont.fini = fini;
		cli->cont.state = state;
		cli->pending = true;
		return CMD_SUCCESS;
	}
	while ((rc = step(cli, state)) == CMD_PENDING)
		;
	if (fini != NULL)
		fini(state);
	return rc;
}

bool cli_pending(const struct cli *cli)
{
	return cli->pending;
}

int cli_resume(struct cli *cli, int status)
{
	int rc;

	if (!cli->pending)
		return status;
	rc = cli->cont.step(cli, cli->cont.state);
	if (rc == CMD_PENDING)
		return CMD_PENDING;
	cli_abort(cli);
	return rc != CMD_SUCCESS ? rc : status;
}

void cli_abort(struct cli *cli)
{
	struct cli_cont c = cli->cont;

	if (!cli->pending)
		return;
	cli->pending = false;
	memset(&cli->cont, 0, sizeof(cli->cont));
	if (c.fini != NULL)
		c.fini(c.state);
}

void cli_write(struct cli *cli, const char *buf, size_t len)
{
	if (cli->write != NULL && len > 0)
		cli->write(cli->arg, buf, len);
}

void cli_out(struct cli *cli, const char *fmt, ...)
{
	char sbuf[1024], *buf = sbuf;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(sbuf, sizeof(sbuf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(sbuf)) {
		buf = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	cli_write(cli, buf, (size_t)n);
	if (buf != sbuf)
		free(buf);
}

void cli_json(struct cli *cli, struct json_object *obj)
{
	size_t len = 0;
	const char *s = json_object_to_json_string_length(
		obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE, &len);

	cli_write(cli, s, len);
	cli_write(cli, "\n", 1);
	json_object_put(obj);
}

enum cli_node cli_node(const struct cli *cli)
{
	return cli->node;
}

const char *cli_ctx(const struct cli *cli)
{
	return cli->ctx[cli->node];
}

const char *cli_node_ctx(const struct cli *cli, enum cli_node node)
{
	return cmd_node_valid(node) ? cli->ctx[node] : NULL;
}

static void set_ctx(struct cli *cli, enum cli_node node, const char *ctx)
{
	char *old = cli->ctx[node];

	cli->ctx[node] = ctx != NULL ? xstrdup(ctx) : NULL;
	free(old); /* after the copy: ctx may be the old value itself */
}

void cli_set_node(struct cli *cli, enum cli_node node, const char *ctx)
{
	if (!cmd_node_valid(node))
		return;
	cli->node = node;
	set_ctx(cli, node, ctx);
}

void cli_exit_node(struct cli *cli)
{
	enum cli_node parent = cmd_node_parent(cli->node);

	if (cli->node == NODE_VIEW)
		return;
	/* a config file never drops out of config mode */
	if (cli->node == NODE_CONFIG && cli->src_file != NULL)
		return;
	set_ctx(cli, cli->node, NULL);
	cli->node = parent;
}

bool cli_closing(const struct cli *cli)
{
	return cli->closing;
}

const char *cli_prompt(const struct cli *cli, const char *hostname, char *buf, size_t len)
{
	const char *name = cmd_node_name(cli->node);

	if (hostname == NULL || *hostname == '\0')
		hostname = "pe";
	if (cli->node == NODE_VIEW || name == NULL || *name == '\0')
		snprintf(buf, len, "%s# ", hostname);
	else
		snprintf(buf, len, "%s(%s)# ", hostname, name);
	return buf;
}

void cli_set_source(struct cli *cli, const char *file, unsigned line)
{
	if (file == NULL) {
		free(cli->src_file);
		cli->src_file = NULL;
	} else if (cli->src_file == NULL || strcmp(cli->src_file, file) != 0) {
		free(cli->src_file);
		cli->src_file = xstrdup(file);
	}
	cli->src_line = line;
}

void cli_set_user(struct cli *cli, void *user)
{
	cli->user = user;
}

void *cli_user(const struct cli *cli)
{
	return cli->user;
}

/* ---- error rendering ---- */

/* Echo of user input: control characters must not reach the terminal. */
/* Writes s for a terminal: whole UTF-8 characters as they are, control
 * bytes (but tabs) and bytes that are not UTF-8 as '?'. */
static void put_sanitized(struct cli *cli, const char *s, size_t n)
{
	char buf[256];
	size_t i = 0, k = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t cl = cmd_utf8_len(s + i, n - i);

		if (k + 4 > sizeof(buf)) {
			cli_write(cli, buf, k);
			k = 0;
		}
		if (cl > 1) {
			memcpy(buf + k, s + i, cl);
			k += cl;
			i += cl;
			continue;
		}
		buf[k++] = cl == 0 || (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c;
		i++;
	}
	cli_write(cli, buf, k);
}

static size_t word_col(const struct cmd_words *w, size_t pos)
{
	if (pos < w->n)
		return w->off[pos];
	if (w->n == 0)
		return 0;
	return w->off[w->n - 1] + strlen(w->w[w->n - 1]) + 1;
}

/* The line, then a caret under byte offset col: one pad character per
 * character of the line (as put_sanitized prints it), a tab under a tab. */
static void put_caret_at(struct cli *cli, const char *line, size_t col)
{
	size_t len = strlen(line), i = 0;
	char pad[256];
	size_t k = 0;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	put_sanitized(cli, line, len);
	cli_write(cli, "\n", 1);
	while (i < col) {
		size_t cl = i < len ? cmd_utf8_len(line + i, len - i) : 1;

		pad[k++] = (i < len && line[i] == '\t') ? '\t' : ' ';
		i += cl > 1 ? cl : 1;
		if (k == sizeof(pad)) {
			cli_write(cli, pad, k);
			k = 0;
		}
	}
	cli_write(cli, pad, k);
	cli_write(cli, "^\n", 2);
}

static void put_caret(struct cli *cli, const struct cmd_words *w, size_t pos)
{
	put_caret_at(cli, w->line, word_col(w, pos));
}

static void put_help_list(struct cli *cli, const struct cmd_token *const *t, size_t n, bool cr)
{
	int width = cr ? 4 : 0;
	size_t i;

	for (i = 0; i < n; i++)
		if ((int)strlen(t[i]->text) > width)
			width = (int)strlen(t[i]->text);
	for (i = 0; i < n; i++) {
		if (t[i]->help[0] != '\0')
			cli_out(cli, "  %-*s  %s\n", width, t[i]->text, t[i]->help);
		else
			cli_out(cli, "  %s\n", t[i]->text);
	}
	if (cr)
		cli_out(cli, "  <cr>\n");
}

static void report(struct cli *cli, const struct cmd_words *w, const struct cmd_match *m)
{
	char msg[512], word[72];
	size_t k, off = 0;

	word[0] = '\0';
	if (m->pos < w->n) {
		snprintf(word, sizeof(word), "%s", w->w[m->pos]);
		if (strlen(w->w[m->pos]) >= sizeof(word))
			memcpy(word + sizeof(word) - 4, "...", 4);
		for (k = 0; word[k]; k++)
			if ((unsigned char)word[k] < 0x20 || word[k] == 0x7f)
				word[k] = '?';
	}
	switch (m->status) {
	case CMD_ERR_INCOMPLETE:
		snprintf(msg, sizeof(msg), "Incomplete command");
		break;
	case CMD_ERR_AMBIGUOUS:
		off = (size_t)snprintf(msg, sizeof(msg), "Ambiguous command");
		if (cli->src_file != NULL)
			for (k = 0; k < m->ncand && off < sizeof(msg); k++)
				off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s%s",
							k ? ", " : ": ", m->cand[k]->text);
		break;
	case CMD_ERR_INVALID:
		snprintf(msg, sizeof(msg), "Invalid value \"%s\" for %s%s%s", word, m->bad->text,
			 m->reason[0] ? ": " : "", m->reason);
		break;
	default:
		snprintf(msg, sizeof(msg), "Unknown command");
		break;
	}
	if (cli->src_file != NULL) {
		cli_out(cli, "%s:%u: %% %s (word %zu)\n", cli->src_file, cli->src_line, msg,
			m->pos + 1);
		return;
	}
	put_caret(cli, w, m->pos);
	cli_out(cli, "%% %s\n", msg);
	if (m->status == CMD_ERR_AMBIGUOUS)
		put_help_list(cli, m->cand, m->ncand, false);
}

static void report_plain(struct cli *cli, const char *msg)
{
	if (cli->src_file != NULL)
		cli_out(cli, "%s:%u: %% %s\n", cli->src_file, cli->src_line, msg);
	else
		cli_out(cli, "%% %s\n", msg);
}

/* ---- execution ---- */

static int split_or_report(struct cli *cli, const char *line, struct cmd_words *w)
{
	char msg[96];
	int r = cmd_split(line, w);

	switch (r) {
	case SPLIT_TOO_LONG:
		snprintf(msg, sizeof(msg), "Line too long (more than %d characters)", CMD_MAX_LINE);
		report_plain(cli, msg);
		return -1;
	case SPLIT_TOO_MANY:
		snprintf(msg, sizeof(msg), "Too many words (more than %d)", CMD_MAX_WORDS);
		report_plain(cli, msg);
		return -1;
	case SPLIT_BAD_CHAR:
	case SPLIT_BAD_UTF8:
		if (r == SPLIT_BAD_CHAR)
			snprintf(msg, sizeof(msg), "Invalid character 0x%02x at byte %zu",
				 (unsigned char)line[w->bad_off], w->bad_off + 1);
		else
			snprintf(msg, sizeof(msg), "Invalid UTF-8 at byte %zu", w->bad_off + 1);
		if (cli->src_file == NULL)
			put_caret_at(cli, line, w->bad_off);
		report_plain(cli, msg);
		return -1;
	default:
		return 0;
	}
}

/* Runs the matched command in node found, which is the session's node or
 * one of its parents (walk-up): the session moves there first, and back if
 * the command refuses (CMD_ERROR), as if nothing had been typed. */
static int run(struct cli *cli, enum cli_node found, const struct cmd_match *m,
	       const struct cmd_words *w)
{
	enum cli_node saved = cli->node, n;
	char *stash[NODE_MAX] = { 0 };
	struct cmd_args *args;
	int ret, i;

	for (n = cli->node; n != found; n = cmd_node_parent(n)) {
		stash[n] = cli->ctx[n];
		cli->ctx[n] = NULL;
	}
	cli->node = found;
	args = cmd_args_new(m, w);
	ret = cmd_elem_fn(m->cmd)(cli, args);
	cmd_args_free(args);
	for (i = 0; i < NODE_MAX; i++) {
		if (stash[i] == NULL)
			continue;
		if (ret == CMD_ERROR) {
			free(cli->ctx[i]);
			cli->ctx[i] = stash[i];
		} else
			free(stash[i]);
	}
	if (ret == CMD_ERROR && found != saved)
		cli->node = saved;
	return ret;
}

int cli_execute(struct cli *cli, const char *line)
{
	struct cmd_words *w;
	struct cmd_match *cur, *best, *tmp;
	enum cli_node n, p;
	bool stop;
	int ret;

	if (line == NULL)
		return CMD_SUCCESS;
	if (cli->depth >= CLI_MAX_DEPTH) {
		report_plain(cli, "Commands nested too deep");
		return CMD_ERROR;
	}
	w = xmalloc(sizeof(*w));
	if (split_or_report(cli, line, w) < 0) {
		free(w);
		return CMD_ERR_INVALID;
	}
	if (w->n == 0 || w->w[0][0] == '!' || w->w[0][0] == '#') {
		free(w);
		return CMD_SUCCESS;
	}
	cur = xmalloc(sizeof(*cur));
	best = xmalloc(sizeof(*best));
	best->status = -1;
	/* FRR walk-up: an unknown or invalid line is retried in the parent
	 * nodes, up to CONFIG (never from config into VIEW) */
	for (n = cli->node;;) {
		cmd_match_line(n, w, cur);
		if (cur->status == CMD_SUCCESS)
			break;
		/* only "no such command here" walks up, not a prefix of one */
		stop = cur->status != CMD_ERR_UNKNOWN && cur->status != CMD_ERR_INVALID;
		if (best->status < 0 || cur->pos > best->pos) {
			tmp = best;
			best = cur;
			cur = tmp;
		}
		p = cmd_node_parent(n);
		if (stop || n == NODE_VIEW || n == NODE_CONFIG || p == n || p == NODE_VIEW)
			break;
		n = p;
	}
	cli->depth++;
	if (cur->status == CMD_SUCCESS)
		ret = run(cli, n, cur, w);
	else {
		report(cli, w, best);
		ret = best->status;
		/* "show ..." typed in config mode */
		if (cli->src_file == NULL && cli->node != NODE_VIEW &&
		    best->status == CMD_ERR_UNKNOWN && best->pos == 0) {
			cmd_match_line(NODE_VIEW, w, cur);
			if (cur->status == CMD_SUCCESS)
				cli_out(cli, "%% This is an exec-mode command: use \"do %s\"\n",
					w->w[0]);
		}
	}
	cli->depth--;
	free(cur);
	free(best);
	free(w);
	return ret;
}

/* ---- '?' and TAB ---- */

/* "do show ip ro?" in a config node: help and completion come from VIEW. */
static bool do_prefix(const struct cli *cli, const struct cmd_words *w, size_t *skip)
{
	if (cli->node == NODE_VIEW || w->n == 0 || strcmp(w->w[0], "do") != 0)
		return false;
	if (w->n == 1 && !w->trailing_space)
		return false;
	*skip = w->n == 1 ? strlen(w->line) : w->off[1];
	return true;
}

void cli_describe(struct cli *cli, const char *line)
{
	const struct cmd_token **toks;
	enum cli_node saved = cli->node;
	struct cmd_words *w;
	size_t nw, skip;
	bool cr;
	int n;

	if (line == NULL)
		line = "";
	w = xmalloc(sizeof(*w));
	if (split_or_report(cli, line, w) < 0) {
		free(w);
		return;
	}
	if (do_prefix(cli, w, &skip)) {
		cli->node = NODE_VIEW;
		cli_describe(cli, line + skip);
		cli->node = saved;
		free(w);
		return;
	}
	nw = (w->n == 0 || w->trailing_space) ? w->n : w->n - 1;
	toks = xcalloc(DESCRIBE_MAX, sizeof(*toks));
	n = cmd_next_tokens(cli->node, w, nw, nw < w->n ? w->w[nw] : NULL, toks, DESCRIBE_MAX, &cr);
	if (n <= 0 && !cr)
		cli_out(cli, "%% There is no matched command.\n");
	else
		put_help_list(cli, toks, (size_t)n, cr);
	free(toks);
	free(w);
}

void cli_complete(struct cli *cli, const char *line, void (*fn)(void *arg, const char *cand),
		  void *arg)
{
	const struct cmd_token **toks;
	enum cli_node saved = cli->node;
	struct cmd_words *w;
	size_t nw, skip;
	bool cr;
	int n, i;

	if (line == NULL)
		line = "";
	w = xmalloc(sizeof(*w));
	if (cmd_split(line, w) != SPLIT_OK) {
		free(w);
		return;
	}
	if (do_prefix(cli, w, &skip)) {
		cli->node = NODE_VIEW;
		cli_complete(cli, line + skip, fn, arg);
		cli->node = saved;
		free(w);
		return;
	}
	nw = (w->n == 0 || w->trailing_space) ? w->n : w->n - 1;
	toks = xcalloc(DESCRIBE_MAX, sizeof(*toks));
	n = cmd_next_tokens(cli->node, w, nw, nw < w->n ? w->w[nw] : "", toks, DESCRIBE_MAX, &cr);
	/* keywords only: a placeholder such as A.B.C.D is not something to
	 * insert into the line (pesh shows '?' help when nothing completes) */
	for (i = 0; i < n; i++)
		if (toks[i]->type == TOK_KEYWORD)
			fn(arg, toks[i]->text);
	free(toks);
	free(w);
}

/* ---- built-ins ---- */

static int b_configure(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	cli_set_node(cli, NODE_CONFIG, NULL);
	return CMD_SUCCESS;
}

static int b_exit(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	if (cli->node == NODE_VIEW)
		cli->closing = true;
	else
		cli_exit_node(cli);
	return CMD_SUCCESS;
}

static int b_end(struct cli *cli, const struct cmd_args *a)
{
	enum cli_node to = cli->src_file != NULL ? NODE_CONFIG : NODE_VIEW;
	int i;

	(void)a;
	for (i = 0; i < NODE_MAX; i++)
		if (i != (int)to)
			set_ctx(cli, (enum cli_node)i, NULL);
	cli->node = to;
	return CMD_SUCCESS;
}

static int b_do(struct cli *cli, const struct cmd_args *a)
{
	enum cli_node saved = cli->node;
	int ret;

	cli->node = NODE_VIEW;
	ret = cli_execute(cli, cmd_arg(a, "LINE"));
	cli->node = saved;
	return ret;
}

static const struct cmd_def view_builtins[] = {
	{ "configure [terminal]",
	  "Enter configuration mode\n"
	  "Configure from this terminal\n",
	  b_configure },
	{ "exit", "Close this session\n", b_exit },
	{ "quit", "Close this session\n", b_exit },
};

static const struct cmd_def config_builtins[] = {
	{ "exit", "Leave this mode for the enclosing one\n", b_exit },
	{ "quit", "Leave this mode for the enclosing one\n", b_exit },
	{ "end", "Leave configuration mode\n", b_end },
	{ "do LINE",
	  "Run an exec-mode command\n"
	  "The command, e.g. show running-config\n",
	  b_do },
};

void cli_install_builtins(enum cli_node node)
{
	if (node == NODE_VIEW)
		cmd_install_table(node, view_builtins, ARRAY_SIZE(view_builtins));
	else
		cmd_install_table(node, config_builtins, ARRAY_SIZE(config_builtins));
}
