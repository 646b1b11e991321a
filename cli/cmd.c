/* The command engine: syntax strings compiled into token graphs, and the
 * matcher that walks them for execution, '?' help and TAB completion.
 *
 * Each command is compiled into its own small graph. Token nodes consume one
 * input word (LINE consumes the rest); fork nodes are epsilon moves that
 * express [optional], <one|of> and {any|order}. An any-order group is a loop
 * whose alternatives start with a "once" node; a path may pass a once node
 * at most one time, which gives "each alternative at most once" and also
 * bounds every epsilon cycle (the only cycles in a graph are those loops).
 * As in FRR, {a|b} needs at least one alternative; write [{a|b}] for none.
 *
 * Matching walks every command of a node depth-first and scores each input
 * word: exact keyword > keyword prefix > specific variable (address, prefix,
 * range, RD) > WORD > LINE. Among complete paths the one with the
 * lexicographically best scores wins; a tie between paths that differ in
 * some token is ambiguous. When nothing matches, the error is reported at
 * the furthest word any path reached; a variable whose shape fits the word
 * there (digits and dots for A.B.C.D...) turns "unknown" into "invalid
 * value" with the parser's reason. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/cmd_priv.h"
#include "lib/log.h"
#include "lib/prefix.h"
#include "lib/rdrt.h"

enum gkind { G_TOKEN, G_FORK, G_END };

struct gnode {
	enum gkind kind;
	bool once; /* entry of an any-order alternative: once per path */
	struct cmd_token *tok;
	struct gnode **next;
	size_t nnext;
};

struct cmd_elem {
	char *syntax;
	cmd_fn fn;
	struct gnode *start;
	struct gnode **nodes; /* every graph node, for freeing */
	size_t nnodes;
	struct cmd_token **toks;
	size_t ntoks;
};

struct node_info {
	char *name;
	enum cli_node parent;
	bool ready;
	struct cmd_elem **cmds;
	size_t ncmds;
};

static const struct {
	const char *name;
	enum cli_node parent;
} node_defaults[NODE_MAX] = {
	[NODE_VIEW] = { "", NODE_VIEW },
	[NODE_CONFIG] = { "config", NODE_VIEW },
	[NODE_VRF] = { "config-vrf", NODE_CONFIG },
	[NODE_INTERFACE] = { "config-if", NODE_CONFIG },
	[NODE_BGP] = { "config-router", NODE_CONFIG },
	[NODE_BGP_AF] = { "config-router-af", NODE_BGP },
	[NODE_BGP_VRF_AF] = { "config-router-af", NODE_BGP },
	[NODE_LDP] = { "config-ldp", NODE_CONFIG },
	[NODE_LDP_AF] = { "config-ldp-af", NODE_LDP },
	[NODE_LDP_IF] = { "config-ldp-af-if", NODE_LDP_AF },
	[NODE_ROUTE_MAP] = { "config-route-map", NODE_CONFIG },
	[NODE_BGP_RTC] = { "config-router-af", NODE_BGP },
	[NODE_BFD] = { "config-bfd", NODE_CONFIG },
	[NODE_BFD_PEER] = { "config-bfd-peer", NODE_BFD },
	[NODE_BFD_PROFILE] = { "config-bfd-profile", NODE_BFD },
};

static struct node_info nodes[NODE_MAX];
static bool cmd_ready;

#define MAX_GROUP_ALTS 64
#define MAX_GROUP_DEPTH 16
#define MAX_ONCE 64            /* any-order alternatives per command */
#define WALK_MAX_STEPS 200000u /* per command and line: a runaway syntax cannot hang ped */
#define MAX_TIED 16

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool only_chars(const char *s, const char *set)
{
	for (; *s; s++)
		if (strchr(set, *s) == NULL)
			return false;
	return true;
}

static bool has_digit(const char *s)
{
	for (; *s; s++)
		if (is_digit(*s))
			return true;
	return false;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* ---- nodes ---- */

bool cmd_node_valid(enum cli_node node)
{
	return (int)node >= 0 && node < NODE_MAX;
}

static struct node_info *node_get(enum cli_node node)
{
	struct node_info *ni = &nodes[node];

	if (!ni->ready) {
		ni->ready = true; /* before the built-ins, which install into it */
		ni->name = xstrdup(node_defaults[node].name ? node_defaults[node].name : "config");
		ni->parent = node_defaults[node].parent;
		cli_install_builtins(node);
	}
	return ni;
}

void cmd_init(void)
{
	if (cmd_ready)
		return;
	cmd_ready = true;
	node_get(NODE_VIEW);
	node_get(NODE_CONFIG);
}

static void elem_free(struct cmd_elem *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nnodes; i++) {
		free(c->nodes[i]->next);
		free(c->nodes[i]);
	}
	for (i = 0; i < c->ntoks; i++) {
		free(c->toks[i]->text);
		free(c->toks[i]->name);
		free(c->toks[i]->help);
		free(c->toks[i]);
	}
	free(c->nodes);
	free(c->toks);
	free(c->syntax);
	free(c);
}

void cmd_fini(void)
{
	int n;
	size_t i;

	for (n = 0; n < NODE_MAX; n++) {
		for (i = 0; i < nodes[n].ncmds; i++)
			elem_free(nodes[n].cmds[i]);
		free(nodes[n].cmds);
		free(nodes[n].name);
	}
	memset(nodes, 0, sizeof(nodes));
	cmd_ready = false;
}

void cmd_node_install(enum cli_node node, const char *name, enum cli_node parent)
{
	struct node_info *ni;

	if (!cmd_node_valid(node) || !cmd_node_valid(parent)) {
		log_warnx("cmd: cmd_node_install: bad node %d or parent %d", (int)node,
			  (int)parent);
		return;
	}
	cmd_init();
	ni = node_get(node);
	free(ni->name);
	ni->name = xstrdup(name ? name : "");
	ni->parent = node == NODE_VIEW ? NODE_VIEW : parent;
}

const char *cmd_node_name(enum cli_node node)
{
	if (!cmd_node_valid(node))
		return "";
	return nodes[node].ready ? nodes[node].name : node_defaults[node].name;
}

enum cli_node cmd_node_parent(enum cli_node node)
{
	if (!cmd_node_valid(node))
		return NODE_VIEW;
	return nodes[node].ready ? nodes[node].parent : node_defaults[node].parent;
}

/* ---- syntax strings -> graphs ---- */

struct parser {
	const char *s; /* cursor in the syntax */
	const char *help;
	struct cmd_elem *c;
	size_t missing_help;
	int depth;
	char err[160];
};

enum { LX_END = 0, LX_WORD = 'w' };

#define SYNTAX_SPECIAL "[]<>{}|"

/* Returns the next lexeme without consuming it: LX_END, LX_WORD (text in
 * *w, *wl) or one of the bracket/pipe characters. */
static int lex_peek(struct parser *p, const char **w, size_t *wl)
{
	const char *s = p->s;

	while (is_blank(*s))
		s++;
	p->s = s;
	if (*s == '\0')
		return LX_END;
	if (strchr(SYNTAX_SPECIAL, *s) != NULL)
		return *s;
	*w = s;
	while (*s != '\0' && !is_blank(*s) && strchr(SYNTAX_SPECIAL, *s) == NULL)
		s++;
	*wl = (size_t)(s - *w);
	return LX_WORD;
}

static int lex_next(struct parser *p, const char **w, size_t *wl)
{
	int t = lex_peek(p, w, wl);

	if (t == LX_WORD)
		p->s = *w + *wl;
	else if (t != LX_END)
		p->s++;
	return t;
}

static int PE_PRINTF(2, 3) perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -1;
}

static struct gnode *gnew(struct parser *p, enum gkind kind)
{
	struct gnode *g = xcalloc(1, sizeof(*g));

	g->kind = kind;
	p->c->nodes = xrealloc(p->c->nodes, (p->c->nnodes + 1) * sizeof(*p->c->nodes));
	p->c->nodes[p->c->nnodes++] = g;
	return g;
}

static void glink(struct gnode *a, struct gnode *b)
{
	a->next = xrealloc(a->next, (a->nnext + 1) * sizeof(*a->next));
	a->next[a->nnext++] = b;
}

static bool is_upper_word(const char *t)
{
	if (!(t[0] >= 'A' && t[0] <= 'Z'))
		return false;
	for (; *t; t++)
		if (*t >= 'a' && *t <= 'z')
			return false;
	return true;
}

/* "(lo-hi)" with decimal bounds, lo <= hi. */
static int parse_range(const char *t, unsigned long long *lo, unsigned long long *hi)
{
	size_t n = strlen(t);
	char *end;

	if (n < 5 || t[0] != '(' || t[n - 1] != ')' || !is_digit(t[1]))
		return -1;
	errno = 0;
	*lo = strtoull(t + 1, &end, 10);
	if (errno != 0 || *end != '-' || !is_digit(end[1]))
		return -1;
	*hi = strtoull(end + 1, &end, 10);
	if (errno != 0 || end != t + n - 1)
		return -1;
	return *lo <= *hi ? 0 : -1;
}

static int classify(struct parser *p, struct cmd_token *t)
{
	size_t n = strlen(t->text);
	const char *s;

	if (strcmp(t->text, "A.B.C.D") == 0)
		t->type = TOK_IPV4;
	else if (strcmp(t->text, "A.B.C.D/M") == 0)
		t->type = TOK_PREFIX4;
	else if (strcmp(t->text, "X:X::X:X") == 0)
		t->type = TOK_IPV6;
	else if (strcmp(t->text, "X:X::X:X/M") == 0)
		t->type = TOK_PREFIX6;
	else if (strcmp(t->text, "ASN:NN_OR_IP-ADDRESS:NN") == 0)
		t->type = TOK_RD;
	else if (t->text[0] == '(') {
		if (parse_range(t->text, &t->lo, &t->hi) < 0)
			return perr(p, "bad range \"%s\"", t->text);
		t->type = TOK_RANGE;
	} else if (is_upper_word(t->text)) {
		if (strcmp(t->text, "LINE") == 0 || (n > 3 && strcmp(t->text + n - 3, "...") == 0))
			t->type = TOK_LINE;
		else
			t->type = TOK_WORD;
	} else {
		for (s = t->text; *s; s++)
			if ((unsigned char)*s < 0x21 || *s == 0x7f || *s == '(' || *s == ')')
				return perr(p, "bad keyword \"%s\"", t->text);
		t->type = TOK_KEYWORD;
	}
	return 0;
}

static struct cmd_token *make_token(struct parser *p, const char *w, size_t wl)
{
	const char *dollar = memchr(w, '$', wl);
	size_t tl = dollar != NULL ? (size_t)(dollar - w) : wl;
	struct cmd_token *t;
	const char *nl;

	if (tl == 0) {
		perr(p, "\"$name\" without a token");
		return NULL;
	}
	if (dollar != NULL && (wl - tl < 2 || memchr(dollar + 1, '$', wl - tl - 1) != NULL)) {
		perr(p, "bad name in \"%.*s\"", (int)wl, w);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	p->c->toks = xrealloc(p->c->toks, (p->c->ntoks + 1) * sizeof(*p->c->toks));
	p->c->toks[p->c->ntoks++] = t;
	t->text = xstrndup(w, tl);
	if (dollar != NULL) {
		t->name = xstrndup(dollar + 1, wl - tl - 1);
		t->named = true;
	} else
		t->name = xstrdup(t->text);
	if (classify(p, t) < 0)
		return NULL;
	/* help: one line per token, in order of appearance */
	if (*p->help != '\0') {
		nl = strchr(p->help, '\n');
		if (nl == NULL)
			nl = p->help + strlen(p->help);
		t->help = xstrndup(p->help, (size_t)(nl - p->help));
		p->help = *nl ? nl + 1 : nl;
	} else {
		t->help = xstrdup("");
		p->missing_help++;
	}
	return t;
}

static int parse_seq(struct parser *p, struct gnode **s, struct gnode **e);

static int parse_group(struct parser *p, int open, struct gnode **s, struct gnode **e)
{
	int close = open == '[' ? ']' : open == '<' ? '>' : '}';
	struct gnode *as[MAX_GROUP_ALTS], *ae[MAX_GROUP_ALTS];
	struct gnode *f, *j, *m, *x;
	size_t n = 0, i;
	const char *w;
	size_t wl;
	int t;

	if (++p->depth > MAX_GROUP_DEPTH)
		return perr(p, "groups nested too deep");
	for (;;) {
		if (n == MAX_GROUP_ALTS)
			return perr(p, "too many alternatives");
		if (parse_seq(p, &as[n], &ae[n]) < 0)
			return -1;
		n++;
		t = lex_next(p, &w, &wl);
		if (t == '|')
			continue;
		if (t == close)
			break;
		return perr(p, "'%c' not closed", open);
	}
	p->depth--;
	/* "[a|b]$mode": names the last token of each alternative */
	if (*p->s == '$') {
		lex_next(p, &w, &wl);
		if (wl < 2 || memchr(w + 1, '$', wl - 1) != NULL)
			return perr(p, "bad group name \"%.*s\"", (int)wl, w);
		for (i = 0; i < n; i++) {
			if (ae[i]->kind != G_TOKEN || ae[i]->tok->named)
				continue;
			free(ae[i]->tok->name);
			ae[i]->tok->name = xstrndup(w + 1, wl - 1);
			ae[i]->tok->named = true;
		}
	}
	if (open == '{') {
		/* loop: L -> once entry -> alternative -> M -> (L | J) */
		f = gnew(p, G_FORK);
		m = gnew(p, G_FORK);
		j = gnew(p, G_FORK);
		for (i = 0; i < n; i++) {
			x = gnew(p, G_FORK);
			x->once = true;
			glink(f, x);
			glink(x, as[i]);
			glink(ae[i], m);
		}
		glink(m, f);
		glink(m, j);
	} else {
		f = gnew(p, G_FORK);
		j = gnew(p, G_FORK);
		for (i = 0; i < n; i++) {
			glink(f, as[i]);
			glink(ae[i], j);
		}
		if (open == '[')
			glink(f, j);
	}
	*s = f;
	*e = j;
	return 0;
}

static int parse_seq(struct parser *p, struct gnode **s, struct gnode **e)
{
	struct gnode *es, *ee;
	struct cmd_token *tok;
	const char *w;
	size_t wl;
	int t;

	*s = *e = NULL;
	for (;;) {
		t = lex_peek(p, &w, &wl);
		if (t == LX_END || t == ']' || t == '>' || t == '}' || t == '|')
			break;
		lex_next(p, &w, &wl);
		if (t == '[' || t == '<' || t == '{') {
			if (parse_group(p, t, &es, &ee) < 0)
				return -1;
		} else {
			if ((tok = make_token(p, w, wl)) == NULL)
				return -1;
			es = ee = gnew(p, G_TOKEN);
			es->tok = tok;
		}
		if (*s == NULL)
			*s = es;
		else
			glink(*e, es);
		*e = ee;
	}
	if (*s == NULL)
		*s = *e = gnew(p, G_FORK);
	return 0;
}

static struct cmd_elem *compile(const struct cmd_def *def, char *err, size_t errlen)
{
	struct cmd_elem *c = xcalloc(1, sizeof(*c));
	struct parser p = { .s = def->syntax, .help = def->help ? def->help : "", .c = c };
	struct gnode *s, *e;
	const char *w;
	size_t wl, i, k, nonce = 0;
	int t;

	c->syntax = xstrdup(def->syntax);
	c->fn = def->fn;
	if (parse_seq(&p, &s, &e) < 0)
		goto fail;
	t = lex_peek(&p, &w, &wl);
	if (t != LX_END) {
		perr(&p, "unexpected '%c'", t == LX_WORD ? *w : t);
		goto fail;
	}
	if (c->ntoks == 0) {
		perr(&p, "no tokens");
		goto fail;
	}
	for (i = 0; i < c->nnodes; i++)
		nonce += c->nodes[i]->once;
	if (nonce > MAX_ONCE) {
		perr(&p, "too many any-order alternatives");
		goto fail;
	}
	glink(e, gnew(&p, G_END));
	c->start = s;
	/* "vrf <NAME$vrf|all>": the keyword must not answer to "vrf" */
	for (i = 0; i < c->ntoks; i++)
		for (k = 0; k < c->ntoks && !c->toks[i]->named; k++)
			if (c->toks[k]->named && strcmp(c->toks[i]->name, c->toks[k]->name) == 0)
				c->toks[i]->shadowed = true;
	if (p.missing_help > 0 || *p.help != '\0')
		log_warnx("cmd: \"%s\": help strings do not match the %zu tokens", def->syntax,
			  c->ntoks);
	return c;
fail:
	snprintf(err, errlen, "%s", p.err);
	elem_free(c);
	return NULL;
}

void cmd_install(enum cli_node node, const struct cmd_def *def)
{
	struct node_info *ni;
	struct cmd_elem *c;
	char err[160];

	if (!cmd_node_valid(node) || def == NULL || def->syntax == NULL || def->fn == NULL) {
		log_warnx("cmd: cmd_install: bad node or definition");
		return;
	}
	cmd_init();
	ni = node_get(node);
	if ((c = compile(def, err, sizeof(err))) == NULL) {
		log_warnx("cmd: \"%s\": %s; command not installed", def->syntax, err);
		return;
	}
	ni->cmds = xrealloc(ni->cmds, (ni->ncmds + 1) * sizeof(*ni->cmds));
	ni->cmds[ni->ncmds++] = c;
}

void cmd_install_table(enum cli_node node, const struct cmd_def *defs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cmd_install(node, &defs[i]);
}

cmd_fn cmd_elem_fn(const struct cmd_elem *c)
{
	return c->fn;
}

/* ---- input lines ---- */

size_t cmd_utf8_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;
	uint32_t cp;

	if (n == 0)
		return 0;
	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		len = 2;
		cp = u[0] & 0x1fu;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		len = 3;
		cp = u[0] & 0x0fu;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		len = 4;
		cp = u[0] & 0x07u;
	} else {
		return 0; /* continuation byte, overlong lead C0/C1, or F5-FF */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (u[i] & 0x3fu);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

int cmd_split(const char *line, struct cmd_words *w)
{
	size_t len = strnlen(line, CMD_MAX_LINE + 1), i = 0, k;

	w->line = line;
	w->n = 0;
	w->trailing_space = false;
	w->bad_off = 0;
	if (len > CMD_MAX_LINE)
		return SPLIT_TOO_LONG;
	for (k = 0; k < len;) {
		unsigned char c = (unsigned char)line[k];
		size_t cl = cmd_utf8_len(line + k, len - k);

		if ((c < 0x20 && !is_blank((char)c)) || c == 0x7f) {
			w->bad_off = k;
			return SPLIT_BAD_CHAR;
		}
		if (cl == 0) {
			w->bad_off = k;
			return SPLIT_BAD_UTF8;
		}
		k += cl;
	}
	memcpy(w->buf, line, len + 1);
	while (i < len) {
		while (i < len && is_blank(w->buf[i]))
			w->buf[i++] = '\0';
		if (i == len)
			break;
		if (w->n == CMD_MAX_WORDS)
			return SPLIT_TOO_MANY;
		w->off[w->n] = i;
		w->w[w->n++] = &w->buf[i];
		while (i < len && !is_blank(w->buf[i]))
			i++;
	}
	w->trailing_space = len > 0 && is_blank(line[len - 1]);
	return SPLIT_OK;
}

/* ---- token matching ---- */

enum score { SC_NONE = 0, SC_LINE, SC_WORD, SC_VAR, SC_PARTIAL, SC_EXACT };

static int range_value(const char *s, unsigned long long *v)
{
	char *end;

	if (!is_digit(*s) || strlen(s) > 20)
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return (errno != 0 || *end != '\0') ? -1 : 0;
}

static enum score tok_match(const struct cmd_token *t, const char *w)
{
	struct prefix4 pfx;
	struct prefix p6;
	struct ipaddr a6;
	struct rd rd;
	uint32_t a;
	unsigned long long v;
	char err[8];
	size_t n;

	switch (t->type) {
	case TOK_KEYWORD:
		n = strlen(w);
		if (strncmp(t->text, w, n) != 0)
			return SC_NONE;
		return t->text[n] == '\0' ? SC_EXACT : SC_PARTIAL;
	case TOK_IPV4:
		return addr4_parse(w, &a) == 0 ? SC_VAR : SC_NONE;
	case TOK_PREFIX4:
		return prefix4_parse(w, &pfx, NULL) == 0 ? SC_VAR : SC_NONE;
	case TOK_IPV6:
		return ipaddr_parse_af(AF_INET6, w, &a6) == 0 ? SC_VAR : SC_NONE;
	case TOK_PREFIX6:
		return strchr(w, ':') != NULL && prefix_parse(w, &p6, NULL) == 0 ? SC_VAR : SC_NONE;
	case TOK_RANGE:
		return (range_value(w, &v) == 0 && v >= t->lo && v <= t->hi) ? SC_VAR : SC_NONE;
	case TOK_RD:
		return rd_parse(w, &rd, err, sizeof(err)) == 0 ? SC_VAR : SC_NONE;
	case TOK_WORD:
		return SC_WORD;
	case TOK_LINE:
		return SC_LINE;
	}
	return SC_NONE;
}

/* w did not match t: does it look like a value of t's type, so that the
 * user gets "invalid value" rather than "unknown command"? */
static bool tok_invalid(const struct cmd_token *t, const char *w, char *reason, size_t len)
{
	struct rd rd;

	reason[0] = '\0';
	switch (t->type) {
	case TOK_IPV4:
		/* an IPv6 address where IPv4 is wanted is an invalid value too */
		return (only_chars(w, "0123456789.") && has_digit(w)) ||
		       (only_chars(w, "0123456789abcdefABCDEF:.") && strchr(w, ':') != NULL);
	case TOK_PREFIX4:
		return (only_chars(w, "0123456789./") && has_digit(w)) ||
		       (only_chars(w, "0123456789abcdefABCDEF:./") && strchr(w, ':') != NULL);
	case TOK_IPV6:
		return (only_chars(w, "0123456789abcdefABCDEF:.") && strchr(w, ':') != NULL) ||
		       (only_chars(w, "0123456789.") && strchr(w, '.') != NULL);
	case TOK_PREFIX6:
		return (only_chars(w, "0123456789abcdefABCDEF:./") && strchr(w, ':') != NULL) ||
		       (only_chars(w, "0123456789./") && strchr(w, '/') != NULL);
	case TOK_RANGE:
		return only_chars(w, "0123456789") && has_digit(w);
	case TOK_RD:
		if (!only_chars(w, "0123456789.:") || !has_digit(w))
			return false;
		if (rd_parse(w, &rd, reason, len) == 0)
			reason[0] = '\0';
		return true;
	default:
		return false;
	}
}

/* Could the partial word w still become a value of t? */
static bool tok_could_be(const struct cmd_token *t, const char *w)
{
	size_t n = strlen(w);

	switch (t->type) {
	case TOK_KEYWORD:
		return strncmp(t->text, w, n) == 0;
	case TOK_IPV4:
		return only_chars(w, "0123456789.") && n <= 15;
	case TOK_PREFIX4:
		return only_chars(w, "0123456789./") && n <= 18;
	case TOK_IPV6:
		return only_chars(w, "0123456789abcdefABCDEF:.") && n <= 45;
	case TOK_PREFIX6:
		return only_chars(w, "0123456789abcdefABCDEF:./") && n <= 49;
	case TOK_RANGE:
		return only_chars(w, "0123456789") && n <= 20;
	case TOK_RD:
		return only_chars(w, "0123456789.:") && n <= 21;
	case TOK_WORD:
	case TOK_LINE:
		return true;
	}
	return false;
}

static bool tok_same(const struct cmd_token *a, const struct cmd_token *b)
{
	return a == b || (a->type == b->type && strcmp(a->text, b->text) == 0);
}

/* ---- graph walk ---- */

struct walk {
	const struct cmd_words *in;
	size_t nw; /* words to consume */
	const struct cmd_elem *cmd;
	const struct cmd_token *ptok[CMD_MAX_WORDS];
	unsigned char pscore[CMD_MAX_WORDS];
	/* word i is itself a keyword of this node: it never abbreviates another
	 * one ("ip" is ip, not ipv6; FRR's rule too) */
	bool exact_kw[CMD_MAX_WORDS];
	const struct gnode *once[MAX_ONCE];
	size_t nonce;
	unsigned steps;
	bool line_more; /* '?' and TAB: a LINE that took words may take more */
	/* a path consumed all nw words and reached the end */
	void (*complete)(struct walk *wk);
	/* a path consumed all nw words and t could take the next one */
	void (*next)(struct walk *wk, const struct cmd_token *t);
	/* word pos did not match t (NULL: the command ended before pos) */
	void (*fail)(struct walk *wk, size_t pos, const struct cmd_token *t);
	void *arg;
};

static void walk(struct walk *wk, const struct gnode *g, size_t pos)
{
	enum score sc;
	size_t i;

	if (++wk->steps > WALK_MAX_STEPS)
		return;
	switch (g->kind) {
	case G_END:
		if (pos == wk->nw)
			wk->complete(wk);
		else if (wk->fail != NULL)
			wk->fail(wk, pos, NULL);
		return;
	case G_FORK:
		if (g->once) {
			for (i = 0; i < wk->nonce; i++)
				if (wk->once[i] == g)
					return;
			wk->once[wk->nonce++] = g;
		}
		for (i = 0; i < g->nnext; i++)
			walk(wk, g->next[i], pos);
		if (g->once)
			wk->nonce--;
		return;
	case G_TOKEN:
		if (pos == wk->nw) {
			wk->next(wk, g->tok);
			return;
		}
		sc = tok_match(g->tok, wk->in->w[pos]);
		if (sc == SC_PARTIAL && pos < CMD_MAX_WORDS && wk->exact_kw[pos])
			sc = SC_NONE;
		if (sc == SC_NONE) {
			if (wk->fail != NULL)
				wk->fail(wk, pos, g->tok);
			return;
		}
		if (g->tok->type == TOK_LINE) {
			for (i = pos; i < wk->nw; i++) {
				wk->ptok[i] = g->tok;
				wk->pscore[i] = (unsigned char)sc;
			}
			pos = wk->nw;
			if (wk->line_more)
				wk->next(wk, g->tok); /* LINE takes more words */
		} else {
			wk->ptok[pos] = g->tok;
			wk->pscore[pos] = (unsigned char)sc;
			pos++;
		}
		for (i = 0; i < g->nnext; i++)
			walk(wk, g->next[i], pos);
		return;
	}
}

static void walk_node(enum cli_node node, struct walk *wk)
{
	struct node_info *ni;
	size_t i, k, w;

	if (!cmd_node_valid(node))
		return;
	ni = &nodes[node];
	for (w = 0; w < wk->nw && w < CMD_MAX_WORDS; w++) {
		wk->exact_kw[w] = false;
		for (i = 0; i < ni->ncmds && !wk->exact_kw[w]; i++)
			for (k = 0; k < ni->cmds[i]->ntoks; k++)
				if (ni->cmds[i]->toks[k]->type == TOK_KEYWORD &&
				    strcmp(ni->cmds[i]->toks[k]->text, wk->in->w[w]) == 0) {
					wk->exact_kw[w] = true;
					break;
				}
	}
	for (i = 0; i < ni->ncmds; i++) {
		wk->cmd = ni->cmds[i];
		wk->nonce = 0;
		wk->steps = 0;
		walk(wk, ni->cmds[i]->start, 0);
	}
}

/* ---- execution match ---- */

struct exec_col {
	struct cmd_match *m;
	size_t ntied;
	const struct cmd_elem *tied_cmd[MAX_TIED];
	const struct cmd_token **tied; /* MAX_TIED rows of nw tokens */
	unsigned char *best;           /* score vector of the tied paths */
	bool incomplete;
	bool failed;
	size_t fpos;
};

static void exec_complete(struct walk *wk)
{
	struct exec_col *col = wk->arg;
	size_t nw = wk->nw, i;
	int cmp = col->ntied == 0 ? 1 : memcmp(wk->pscore, col->best, nw);

	if (cmp < 0)
		return;
	if (cmp > 0) {
		memcpy(col->best, wk->pscore, nw);
		col->ntied = 0;
	} else {
		for (i = 0; i < col->ntied; i++)
			if (memcmp(&col->tied[i * nw], wk->ptok, nw * sizeof(*wk->ptok)) == 0)
				return; /* the same tokens by another route through the graph */
		if (col->ntied == MAX_TIED)
			return;
	}
	memcpy(&col->tied[col->ntied * nw], wk->ptok, nw * sizeof(*wk->ptok));
	col->tied_cmd[col->ntied++] = wk->cmd;
}

static void exec_next(struct walk *wk, const struct cmd_token *t)
{
	struct exec_col *col = wk->arg;

	(void)t;
	col->incomplete = true;
}

static void exec_fail(struct walk *wk, size_t pos, const struct cmd_token *t)
{
	struct exec_col *col = wk->arg;
	struct cmd_match *m = col->m;

	if (!col->failed || pos > col->fpos) {
		col->failed = true;
		col->fpos = pos;
		m->bad = NULL;
	}
	if (pos == col->fpos && t != NULL && m->bad == NULL &&
	    tok_invalid(t, wk->in->w[pos], m->reason, sizeof(m->reason)))
		m->bad = t;
}

static void exec_resolve(struct exec_col *col, size_t nw)
{
	struct cmd_match *m = col->m;
	size_t i, k, pos = nw;

	/* first word where the tied paths name different tokens */
	for (i = 1; i < col->ntied; i++)
		for (k = 0; k < pos; k++)
			if (!tok_same(col->tied[k], col->tied[i * nw + k])) {
				pos = k;
				break;
			}
	if (pos == nw) {
		/* one path, or duplicates of one syntax: take the first */
		m->status = CMD_SUCCESS;
		m->cmd = col->tied_cmd[0];
		memcpy(m->tok, col->tied, nw * sizeof(*m->tok));
		return;
	}
	m->status = CMD_ERR_AMBIGUOUS;
	m->pos = pos;
	for (i = 0; i < col->ntied; i++) {
		const struct cmd_token *t = col->tied[i * nw + pos];

		for (k = 0; k < m->ncand; k++)
			if (tok_same(m->cand[k], t))
				break;
		if (k == m->ncand && m->ncand < ARRAY_SIZE(m->cand))
			m->cand[m->ncand++] = t;
	}
}

void cmd_match_line(enum cli_node node, const struct cmd_words *w, struct cmd_match *m)
{
	struct exec_col col = { .m = m };
	struct walk *wk = xcalloc(1, sizeof(*wk));
	size_t nw = w->n;

	m->status = CMD_ERR_UNKNOWN;
	m->pos = 0;
	m->cmd = NULL;
	m->ncand = 0;
	m->bad = NULL;
	m->reason[0] = '\0';
	if (nw == 0) {
		free(wk);
		return;
	}
	col.tied = xcalloc(MAX_TIED * nw, sizeof(*col.tied));
	col.best = xcalloc(nw, 1);
	wk->in = w;
	wk->nw = nw;
	wk->complete = exec_complete;
	wk->next = exec_next;
	wk->fail = exec_fail;
	wk->arg = &col;
	walk_node(node, wk);

	if (col.ntied > 0)
		exec_resolve(&col, nw);
	else if (col.incomplete) {
		m->status = CMD_ERR_INCOMPLETE;
		m->pos = nw;
	} else {
		m->status = m->bad != NULL ? CMD_ERR_INVALID : CMD_ERR_UNKNOWN;
		m->pos = col.failed ? col.fpos : 0;
	}
	free(col.tied);
	free(col.best);
	free(wk);
}

/* ---- next tokens, for '?' and TAB ---- */

struct next_col {
	const char *partial;
	const struct cmd_token **out;
	size_t max, n;
	bool reached; /* some path consumed the nw words */
	bool have;    /* best is set */
	bool cr;
	unsigned char best[CMD_MAX_WORDS];
};

/* Keeps only the paths whose earlier words scored best, so that
 * "show ip route vrf all ?" follows the keyword, not NAME. Returns false
 * if this path is worse than the best seen. */
static bool next_rank(struct walk *wk, struct next_col *col)
{
	int cmp = col->have ? memcmp(wk->pscore, col->best, wk->nw) : 1;

	if (cmp < 0)
		return false;
	if (cmp > 0) {
		memcpy(col->best, wk->pscore, wk->nw);
		col->have = true;
		col->n = 0;
		col->cr = false;
	}
	return true;
}

static void next_tok(struct walk *wk, const struct cmd_token *t)
{
	struct next_col *col = wk->arg;
	size_t i;

	col->reached = true;
	if (col->partial != NULL && !tok_could_be(t, col->partial))
		return;
	if (!next_rank(wk, col))
		return;
	for (i = 0; i < col->n; i++)
		if (tok_same(col->out[i], t))
			return;
	if (col->n < col->max)
		col->out[col->n++] = t;
}

static void next_complete(struct walk *wk)
{
	struct next_col *col = wk->arg;

	col->reached = true;
	if (col->partial != NULL)
		return; /* the line ended before the partial word */
	if (next_rank(wk, col))
		col->cr = true;
}

static int tok_cmp(const void *a, const void *b)
{
	const struct cmd_token *x = *(const struct cmd_token *const *)a;
	const struct cmd_token *y = *(const struct cmd_token *const *)b;

	return strcmp(x->text, y->text);
}

int cmd_next_tokens(enum cli_node node, const struct cmd_words *w, size_t nw, const char *partial,
		    const struct cmd_token **out, size_t max, bool *cr)
{
	struct next_col col = { .partial = partial, .out = out, .max = max };
	struct walk *wk;

	*cr = false;
	if (nw > w->n)
		return -1;
	wk = xcalloc(1, sizeof(*wk));
	wk->in = w;
	wk->nw = nw;
	wk->complete = next_complete;
	wk->next = next_tok;
	wk->line_more = true;
	wk->arg = &col;
	walk_node(node, wk);
	free(wk);
	if (!col.reached)
		return -1;
	qsort(out, col.n, sizeof(*out), tok_cmp);
	*cr = col.cr;
	return (int)col.n;
}

/* ---- arguments ---- */

struct cmd_arg {
	const char *name;
	const char *value;
	bool named;
};

struct cmd_args {
	size_t n;
	bool no;
	char *rest; /* value of a LINE token */
	struct cmd_arg a[CMD_MAX_WORDS];
};

struct cmd_args *cmd_args_new(const struct cmd_match *m, const struct cmd_words *w)
{
	struct cmd_args *a = xcalloc(1, sizeof(*a));
	const struct cmd_token *t;
	size_t i, len;

	for (i = 0; i < w->n; i++) {
		t = m->tok[i];
		if ((i > 0 && t == m->tok[i - 1] && t->type == TOK_LINE) || t->shadowed)
			continue;
		a->a[a->n].name = t->name;
		a->a[a->n].named = t->named;
		if (t->type == TOK_KEYWORD)
			a->a[a->n].value = t->text;
		else if (t->type == TOK_LINE && a->rest == NULL) {
			a->rest = xstrdup(w->line + w->off[i]);
			len = strlen(a->rest);
			while (len > 0 && is_blank(a->rest[len - 1]))
				a->rest[--len] = '\0';
			a->a[a->n].value = a->rest;
		} else
			a->a[a->n].value = w->w[i];
		a->n++;
	}
	a->no = w->n > 0 && m->tok[0]->type == TOK_KEYWORD && strcmp(m->tok[0]->text, "no") == 0;
	return a;
}

void cmd_args_free(struct cmd_args *a)
{
	if (a == NULL)
		return;
	free(a->rest);
	free(a);
}

/* Names given with $name win over default names ("vrf" the keyword and
 * NAME$vrf in "[vrf NAME$vrf]"). */
const char *cmd_arg(const struct cmd_args *a, const char *name)
{
	size_t i;

	if (a == NULL || name == NULL)
		return NULL;
	for (i = 0; i < a->n; i++)
		if (a->a[i].named && strcmp(a->a[i].name, name) == 0)
			return a->a[i].value;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->a[i].name, name) == 0)
			return a->a[i].value;
	return NULL;
}

bool cmd_has(const struct cmd_args *a, const char *name)
{
	return cmd_arg(a, name) != NULL;
}

unsigned long long cmd_arg_u64(const struct cmd_args *a, const char *name)
{
	const char *v = cmd_arg(a, name);
	unsigned long long n;

	if (v == NULL || range_value(v, &n) < 0)
		return 0;
	return n;
}

bool cmd_is_no(const struct cmd_args *a)
{
	return a != NULL && a->no;
}
