/* ping and traceroute in pesh: reading the line, '?' and TAB, the argv
 * (see cli/pesh_ping.h). */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/pesh_ping.h"

struct words {
	const char *line;
	char w[PING_WORDS_MAX][PING_WORD_MAX];
	size_t off[PING_WORDS_MAX];
	size_t n;
	bool trailing_blank; /* the line ends in a blank: the last word is complete */
};

static const char *const tool_names[] = { "ping", "traceroute" };

enum opt { OPT_SOURCE, OPT_REPEAT, OPT_SIZE, OPT_DF, OPT_TIMEOUT, OPT_COUNT };

static const struct {
	const char *kw, *help;
} opts[OPT_COUNT] = {
	[OPT_SOURCE] = { "source", "Source address or interface" },
	[OPT_REPEAT] = { "repeat", "Number of echo requests to send (default 5)" },
	[OPT_SIZE] = { "size", "Datagram size in bytes, headers included" },
	[OPT_DF] = { "df-bit", "Set the don't-fragment bit (IPv6: never fragment)" },
	[OPT_TIMEOUT] = { "timeout", "Seconds to wait for each reply" },
};

enum state {
	ST_VRF_OR_ADDR, /* after the tool */
	ST_VRF_NAME,
	ST_ADDR,
	ST_OPTS, /* after the address: options, or the end */
	ST_SOURCE,
	ST_REPEAT,
	ST_SIZE,
	ST_TIMEOUT,
};

#define ADDR_TOKEN "A.B.C.D|X:X::X:X"

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits the line into words with their columns. -1 (err filled) when a
 * word or the number of words is over the limit. */
static int split(const char *line, struct words *w, struct ping_err *err)
{
	size_t i = 0, len = strlen(line), k;

	memset(w, 0, sizeof(*w));
	w->line = line;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	for (;;) {
		while (i < len && blank(line[i]))
			i++;
		if (i >= len)
			break;
		if (w->n == PING_WORDS_MAX) {
			err->col = i;
			snprintf(err->msg, sizeof(err->msg), "Too many words (at most %d)",
				 PING_WORDS_MAX);
			return -1;
		}
		w->off[w->n] = i;
		for (k = 0; i < len && !blank(line[i]); i++, k++) {
			if (k + 1 >= PING_WORD_MAX) {
				err->col = w->off[w->n];
				snprintf(err->msg, sizeof(err->msg),
					 "Word too long (at most %d characters)", PING_WORD_MAX - 1);
				return -1;
			}
			w->w[w->n][k] = line[i];
		}
		w->n++;
	}
	w->trailing_blank = len > 0 && blank(line[len - 1]);
	return 0;
}

/* The word as it may appear in a message: control bytes as '?', cut. */
static const char *shown(const char *word, char *buf, size_t len)
{
	size_t i;

	snprintf(buf, len, "%s", word);
	if (strlen(word) >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
	for (i = 0; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	return buf;
}

static int fail_at(struct ping_err *err, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct ping_err *err, size_t col, const char *fmt, ...)
{
	va_list ap;

	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int invalid(struct ping_err *err, const struct words *w, size_t i, const char *what,
		   const char *why)
{
	char b[72];

	return fail_at(err, w->off[i], "Invalid value \"%s\" for %s: %s",
		       shown(w->w[i], b, sizeof(b)), what, why);
}

static bool prefix_of(const char *word, const char *kw)
{
	return *word != '\0' && strncmp(word, kw, strlen(word)) == 0;
}

/* Where the command word is: the first word, or the second after "do". */
static size_t tool_index(const struct words *w)
{
	return w->n > 0 && strcmp(w->w[0], "do") == 0 ? 1 : 0;
}

enum ping_tool ping_which(const char *line, size_t *start, size_t *end)
{
	struct words w;
	struct ping_err e;
	size_t t;
	int i;

	if (split(line, &w, &e) < 0 && w.n == 0)
		return PING_NONE;
	t = tool_index(&w);
	if (t >= w.n)
		return PING_NONE;
	for (i = 0; i < 2; i++)
		if (prefix_of(w.w[t], tool_names[i])) {
			if (start != NULL)
				*start = w.off[t];
			if (end != NULL)
				*end = w.off[t] + strlen(w.w[t]);
			/* "p" or "t" alone: a prefix of one tool only in any case */
			return (enum ping_tool)i;
		}
	return PING_NONE;
}

/* An address of either family; IPv6 link-local may carry %IFNAME. */
static int parse_addr(const char *s, int *af)
{
	unsigned char buf[16];
	char a[64];
	const char *pct;

	if (inet_pton(AF_INET, s, buf) == 1) {
		*af = AF_INET;
		return 0;
	}
	if ((pct = strchr(s, '%')) != NULL) {
		size_t n = (size_t)(pct - s);

		if (n >= sizeof(a) || pct[1] == '\0' || strlen(pct + 1) >= IFNAMSIZ ||
		    strchr(pct + 1, '/') != NULL)
			return -1;
		memcpy(a, s, n);
		a[n] = '\0';
		if (inet_pton(AF_INET6, a, buf) != 1)
			return -1;
		*af = AF_INET6;
		return 0;
	}
	if (inet_pton(AF_INET6, s, buf) == 1) {
		*af = AF_INET6;
		return 0;
	}
	return -1;
}

/* A name Linux takes for an interface. */
static bool ifname_ok(const char *s)
{
	size_t i;

	if (*s == '\0' || strlen(s) >= IFNAMSIZ || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (i = 0; s[i]; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] == '%' || !isgraph((unsigned char)s[i]))
			return false;
	return true;
}

static bool vrf_name_ok(const char *s)
{
	size_t i;

	if (*s == '\0' || strlen(s) >= PING_VRF_MAX)
		return false;
	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

/* A decimal number in [lo, hi]; -1 (err filled) otherwise. */
static int number(const struct words *w, size_t i, const char *what, long lo, long hi,
		  long *out, struct ping_err *err)
{
	const char *s = w->w[i];
	char range[64];
	long v = 0;
	size_t k;

	snprintf(range, sizeof(range), "%s (%ld-%ld)", what, lo, hi);
	for (k = 0; s[k]; k++) {
		if (!isdigit((unsigned char)s[k]))
			return invalid(err, w, i, range, "not a number");
		if (v > hi) /* keeps going without overflow: hi < LONG_MAX / 10 */
			continue;
		v = v * 10 + (s[k] - '0');
	}
	if (v < lo || v > hi)
		return invalid(err, w, i, range, "out of range");
	*out = v;
	return 0;
}

static void req_init(struct ping_req *r, enum ping_tool tool)
{
	memset(r, 0, sizeof(*r));
	r->tool = tool;
	r->repeat = -1;
	r->size = -1;
	r->timeout = -1;
}

/* Reads words [from, to) of w into r, starting in state *st. */
static int walk(const struct words *w, size_t from, size_t to, struct ping_req *r,
		enum state *st, bool *used, struct ping_err *err)
{
	size_t i;
	int k, found;

	for (i = from; i < to; i++) {
		const char *s = w->w[i];

		switch (*st) {
		case ST_VRF_OR_ADDR:
			if (prefix_of(s, "vrf")) {
				*st = ST_VRF_NAME;
				break;
			}
			/* fall through */
		case ST_ADDR:
			if (parse_addr(s, &r->af) < 0)
				return invalid(err, w, i, ADDR_TOKEN,
					       "not an IPv4 or IPv6 address (names are not "
					       "resolved)");
			snprintf(r->addr, sizeof(r->addr), "%s", s);
			*st = ST_OPTS;
			break;
		case ST_VRF_NAME:
			if (!vrf_name_ok(s))
				return invalid(err, w, i, "NAME",
					       "not a VRF name (letters, digits, '-', '_', '.')");
			snprintf(r->vrf, sizeof(r->vrf), "%s", s);
			r->vrf_col = w->off[i];
			*st = ST_ADDR;
			break;
		case ST_OPTS:
			if (r->tool == PING_TRACEROUTE)
				return fail_at(err, w->off[i], "Unknown command: traceroute takes "
							       "only [vrf NAME] ADDR");
			found = -1;
			for (k = 0; k < OPT_COUNT; k++)
				if (prefix_of(s, opts[k].kw)) {
					if (found >= 0)
						return fail_at(err, w->off[i],
							       "Ambiguous command: %s or %s",
							       opts[found].kw, opts[k].kw);
					found = k;
				}
			if (found < 0) {
				char b[72];

				return fail_at(err, w->off[i],
					       "Unknown option \"%s\" (expected source, repeat, "
					       "size, df-bit or timeout)",
					       shown(s, b, sizeof(b)));
			}
			if (used[found])
				return fail_at(err, w->off[i], "%s given twice", opts[found].kw);
			used[found] = true;
			switch ((enum opt)found) {
			case OPT_SOURCE: *st = ST_SOURCE; break;
			case OPT_REPEAT: *st = ST_REPEAT; break;
			case OPT_SIZE: *st = ST_SIZE; break;
			case OPT_TIMEOUT: *st = ST_TIMEOUT; break;
			case OPT_DF: r->df = true; break;
			case OPT_COUNT: break;
			}
			break;
		case ST_SOURCE: {
			int saf;

			if (parse_addr(s, &saf) == 0) {
				if (saf != r->af)
					return invalid(err, w, i, "source",
						       r->af == AF_INET ?
							       "an IPv6 source for an IPv4 destination" :
							       "an IPv4 source for an IPv6 destination");
			} else if (!ifname_ok(s)) {
				return invalid(err, w, i, "source",
					       "not an address or an interface name");
			}
			snprintf(r->source, sizeof(r->source), "%s", s);
			*st = ST_OPTS;
			break;
		}
		case ST_REPEAT:
			if (number(w, i, "repeat", 1, PING_REPEAT_MAX, &r->repeat, err) < 0)
				return -1;
			*st = ST_OPTS;
			break;
		case ST_SIZE:
			if (number(w, i, "size", r->af == AF_INET6 ? PING_SIZE_MIN6 : PING_SIZE_MIN4,
				   PING_SIZE_MAX, &r->size, err) < 0)
				return -1;
			*st = ST_OPTS;
			break;
		case ST_TIMEOUT:
			if (number(w, i, "timeout", 1, PING_TIMEOUT_MAX, &r->timeout, err) < 0)
				return -1;
			*st = ST_OPTS;
			break;
		}
	}
	return 0;
}

static size_t end_col(const struct words *w)
{
	if (w->n == 0)
		return 0;
	return w->off[w->n - 1] + strlen(w->w[w->n - 1]) + 1;
}

int ping_parse(const char *line, struct ping_req *r, struct ping_err *err)
{
	struct words w;
	bool used[OPT_COUNT] = { false };
	enum state st = ST_VRF_OR_ADDR;
	size_t t;
	int i;

	memset(err, 0, sizeof(*err));
	if (split(line, &w, err) < 0)
		return -1;
	t = tool_index(&w);
	req_init(r, PING_NONE);
	for (i = 0; i < 2 && t < w.n; i++)
		if (prefix_of(w.w[t], tool_names[i]))
			r->tool = (enum ping_tool)i;
	if (r->tool == PING_NONE)
		return fail_at(err, t < w.n ? w.off[t] : 0, "Unknown command");
	if (walk(&w, t + 1, w.n, r, &st, used, err) < 0)
		return -1;
	if (st != ST_OPTS)
		return fail_at(err, end_col(&w), "Incomplete command");
	return 0;
}

static void add_next(struct ping_next *next, size_t max, int *n, const char *partial,
		     const char *text, const char *help, bool keyword)
{
	if (*n >= (int)max)
		return;
	if (keyword && *partial != '\0' && !prefix_of(partial, text))
		return;
	next[*n].text = text;
	next[*n].help = help;
	next[*n].keyword = keyword;
	(*n)++;
}

int ping_next(const char *line, struct ping_next *next, size_t max, bool *cr,
	      struct ping_err *err)
{
	struct words w;
	struct ping_req r;
	bool used[OPT_COUNT] = { false };
	enum state st = ST_VRF_OR_ADDR;
	const char *partial = "";
	size_t t, done;
	int n = 0, k;

	*cr = false;
	memset(err, 0, sizeof(*err));
	if (split(line, &w, err) < 0)
		return -1;
	t = tool_index(&w);
	req_init(&r, ping_which(line, NULL, NULL));
	if (r.tool == PING_NONE || t >= w.n)
		return fail_at(err, 0, "Unknown command");
	done = w.trailing_blank ? w.n : w.n - 1;
	if (done <= t) /* still on the command word itself */
		return 0;
	if (!w.trailing_blank)
		partial = w.w[w.n - 1];
	if (walk(&w, t + 1, done, &r, &st, used, err) < 0)
		return -1;
	switch (st) {
	case ST_VRF_OR_ADDR:
		add_next(next, max, &n, partial, "vrf", "Run in this VRF's namespace", true);
		add_next(next, max, &n, partial, ADDR_TOKEN,
			 r.tool == PING_PING ? "Ping destination address" :
					       "Trace route to destination address",
			 false);
		break;
	case ST_VRF_NAME: add_next(next, max, &n, partial, "NAME", "VRF name", false); break;
	case ST_ADDR:
		add_next(next, max, &n, partial, ADDR_TOKEN,
			 r.tool == PING_PING ? "Ping destination address" :
					       "Trace route to destination address",
			 false);
		break;
	case ST_OPTS:
		if (r.tool == PING_PING)
			for (k = 0; k < OPT_COUNT; k++)
				if (!used[k])
					add_next(next, max, &n, partial, opts[k].kw, opts[k].help,
						 true);
		*cr = *partial == '\0';
		break;
	case ST_SOURCE:
		add_next(next, max, &n, partial, r.af == AF_INET6 ? "X:X::X:X" : "A.B.C.D",
			 "Source address", false);
		add_next(next, max, &n, partial, "IFNAME", "Source interface", false);
		break;
	case ST_REPEAT:
		add_next(next, max, &n, partial, "(1-2147483647)", "Number of echo requests",
			 false);
		break;
	case ST_SIZE:
		add_next(next, max, &n, partial,
			 r.af == AF_INET6 ? "(48-18024)" : "(36-18024)",
			 "Datagram size in bytes, headers included", false);
		break;
	case ST_TIMEOUT:
		add_next(next, max, &n, partial, "(1-3600)", "Seconds to wait for each reply",
			 false);
		break;
	}
	return n;
}

/* Appends one argument to argv, its text in store. */
static int put(char **argv, size_t maxargs, size_t *argc, char *store, size_t storelen,
	       size_t *used, const char *s)
{
	size_t len = strlen(s) + 1;

	if (*argc + 2 > maxargs || *used + len > storelen)
		return -1;
	memcpy(store + *used, s, len);
	argv[(*argc)++] = store + *used;
	argv[*argc] = NULL;
	*used += len;
	return 0;
}

int ping_argv(const struct ping_req *r, const char *prog, char **argv, size_t maxargs,
	      char *store, size_t storelen)
{
	size_t argc = 0, used = 0;
	char num[32];
	int bad = 0;

	if (maxargs < 1)
		return -1;
	argv[0] = NULL;
	bad |= put(argv, maxargs, &argc, store, storelen, &used, prog);
	bad |= put(argv, maxargs, &argc, store, storelen, &used, "-n");
	bad |= put(argv, maxargs, &argc, store, storelen, &used,
		   r->af == AF_INET6 ? "-6" : "-4");
	if (r->tool == PING_PING) {
		snprintf(num, sizeof(num), "%ld",
			 r->repeat > 0 ? r->repeat : (long)PING_REPEAT_DEFAULT);
		bad |= put(argv, maxargs, &argc, store, storelen, &used, "-c");
		bad |= put(argv, maxargs, &argc, store, storelen, &used, num);
		if (r->size >= 0) {
			/* iputils counts the ICMP data only */
			snprintf(num, sizeof(num), "%ld",
				 r->size - (r->af == AF_INET6 ? PING_SIZE_MIN6 : 28));
			bad |= put(argv, maxargs, &argc, store, storelen, &used, "-s");
			bad |= put(argv, maxargs, &argc, store, storelen, &used, num);
		}
		if (r->df) {
			bad |= put(argv, maxargs, &argc, store, storelen, &used, "-M");
			bad |= put(argv, maxargs, &argc, store, storelen, &used, "do");
		}
		if (r->timeout >= 0) {
			snprintf(num, sizeof(num), "%ld", r->timeout);
			bad |= put(argv, maxargs, &argc, store, storelen, &used, "-W");
			bad |= put(argv, maxargs, &argc, store, storelen, &used, num);
		}
		if (r->source[0] != '\0') {
			bad |= put(argv, maxargs, &argc, store, storelen, &used, "-I");
			bad |= put(argv, maxargs, &argc, store, storelen, &used, r->source);
		}
	}
	bad |= put(argv, maxargs, &argc, store, storelen, &used, "--");
	bad |= put(argv, maxargs, &argc, store, storelen, &used, r->addr);
	return bad ? -1 : (int)argc;
}

bool ping_cmd_partial(const char *line, char *buf, size_t len)
{
	struct words w;
	struct ping_err e;
	size_t t;

	if (split(line, &w, &e) < 0)
		return false;
	t = tool_index(&w);
	if (w.n == 0 || (t == w.n && w.trailing_blank)) {
		snprintf(buf, len, "%s", "");
		return true;
	}
	if (t == w.n) { /* "do" itself, not yet ended */
		snprintf(buf, len, "%s", w.w[0]);
		return true;
	}
	if (t == w.n - 1 && !w.trailing_blank) {
		snprintf(buf, len, "%s", w.w[t]);
		return true;
	}
	return false;
}
