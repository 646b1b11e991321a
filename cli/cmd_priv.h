/* Engine internals shared by cli/cmd.c (syntax graph, matcher) and
 * cli/cli.c (sessions, built-ins, error and help rendering). Nothing outside
 * cli/ includes this; modules use cli/cmd.h only. */
#ifndef PE_CMD_PRIV_H
#define PE_CMD_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cmd.h"

#define CMD_MAX_LINE 4096 /* characters in one input line */
#define CMD_MAX_WORDS 256 /* words in one input line */

enum tok_type {
	TOK_KEYWORD,
	TOK_IPV4,    /* A.B.C.D */
	TOK_PREFIX4, /* A.B.C.D/M */
	TOK_IPV6,    /* X:X::X:X */
	TOK_PREFIX6, /* X:X::X:X/M */
	TOK_RANGE,   /* (lo-hi) */
	TOK_RD,      /* ASN:NN_OR_IP-ADDRESS:NN */
	TOK_WORD,    /* any other uppercase token: any one word */
	TOK_LINE,    /* LINE or FOO...: the rest of the line */
};

struct cmd_token {
	enum tok_type type;
	char *text;    /* as written in the syntax: "show", "A.B.C.D/M", "(1-255)" */
	char *name;    /* argument name for cmd_arg() */
	bool named;    /* name given explicitly with $name */
	bool shadowed; /* default name equal to an explicit one: not an argument */
	char *help;
	unsigned long long lo, hi; /* TOK_RANGE bounds */
};

/* An input line split into words. */
struct cmd_words {
	const char *line;          /* the caller's line (for carets, LINE values) */
	size_t n;                  /* number of words */
	char *w[CMD_MAX_WORDS];    /* NUL-terminated copies in buf */
	size_t off[CMD_MAX_WORDS]; /* byte offset of each word in line */
	bool trailing_space;       /* line ends with blank space (for '?' and TAB) */
	size_t bad_off;            /* SPLIT_BAD_CHAR / SPLIT_BAD_UTF8: byte offset in line */
	char buf[CMD_MAX_LINE + 2];
};

/* Words hold no control byte and only whole UTF-8 characters, so no error
 * message that echoes a word can print either. */
enum split_err {
	SPLIT_OK = 0,
	SPLIT_TOO_LONG = -1,
	SPLIT_TOO_MANY = -2,
	SPLIT_BAD_CHAR = -3, /* a control byte other than the blanks */
	SPLIT_BAD_UTF8 = -4, /* a byte sequence that is not UTF-8 */
};

/* Length of the UTF-8 character at s (at most n bytes): 1-4, or 0 if the
 * bytes there are not one (overlong forms, surrogates and values past
 * U+10FFFF are not). */
size_t cmd_utf8_len(const char *s, size_t n);

/* Result of matching a whole line against the commands of one node. */
struct cmd_match {
	int status;                                 /* CMD_SUCCESS (found) or CMD_ERR_* */
	size_t pos;                                 /* word index where matching failed */
	const struct cmd_elem *cmd;                 /* the command found */
	const struct cmd_token *tok[CMD_MAX_WORDS]; /* its token for each word */
	/* CMD_ERR_AMBIGUOUS: the competing tokens at pos */
	const struct cmd_token *cand[16];
	size_t ncand;
	/* CMD_ERR_INVALID */
	const struct cmd_token *bad;
	char reason[160];
};

/* cmd.c */
int cmd_split(const char *line, struct cmd_words *w);
void cmd_match_line(enum cli_node node, const struct cmd_words *w, struct cmd_match *m);
/* Tokens that may follow the first nw words of w in node. With partial
 * non-NULL, only the tokens that word could become. Tokens are unique by
 * type and text and sorted by text; *cr tells whether the line may end
 * after nw words. Returns the count (at most max), or -1 if the nw words
 * lead nowhere. */
int cmd_next_tokens(enum cli_node node, const struct cmd_words *w, size_t nw, const char *partial,
		    const struct cmd_token **out, size_t max, bool *cr);
cmd_fn cmd_elem_fn(const struct cmd_elem *c);
/* Arguments of a match; the caller frees them with cmd_args_free(). */
struct cmd_args *cmd_args_new(const struct cmd_match *m, const struct cmd_words *w);
void cmd_args_free(struct cmd_args *a);
const char *cmd_node_name(enum cli_node node);
enum cli_node cmd_node_parent(enum cli_node node);
bool cmd_node_valid(enum cli_node node);

/* cli.c: installs exit/end/quit/do (config nodes) or configure/exit/quit (VIEW). */
void cli_install_builtins(enum cli_node node);

#endif
