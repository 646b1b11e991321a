/* The command engine: one command tree owned by ped, shared by the config
 * file loader, the control socket (pesh) and unit tests.
 *
 * Commands are declared in static tables next to the feature they configure
 * (FRR-like syntax strings) and registered by the module's init:
 *
 *   static const struct cmd_def vrf_cmds[] = {
 *     { "show ip route [vrf NAME$vrf|all$all] [A.B.C.D/M$prefix] [json]",
 *       SHOW_STR IP_STR "IP routing table\n" VRF_STR "VRF name\n" "All VRFs\n"
 *       "Prefix\n" JSON_STR, show_ip_route_cmd },
 *   };
 *   cmd_install_table(NODE_VIEW, vrf_cmds, ARRAY_SIZE(vrf_cmds));
 *
 * Syntax tokens:
 *   word            keyword, matched by unique prefix ("sh" for "show")
 *   A.B.C.D         IPv4 address          A.B.C.D/M   IPv4 prefix
 *   (1-255)         integer range (inclusive, up to 64-bit unsigned)
 *   ASN:NN_OR_IP-ADDRESS:NN   route distinguisher / route target value
 *                   (validated with rd_parse)
 *   WORD, NAME, IFNAME, LINE (anything uppercase)   any single word; LINE
 *                   as the last token swallows the rest of the line
 *   [x]             optional;  <a|b|c>  one of;  [a|b]  optional one of
 *   {a|b}           any of, each at most once, any order (keywords w/ args ok);
 *                   as in FRR at least one must be given: [{a|b}] for none
 *   tok$name        names the argument for cmd_arg(); default name is the
 *                   token text itself (keyword text, or "A.B.C.D" etc.);
 *                   an explicit name shadows the same default name in
 *                   the command: in "vrf <NAME$vrf|all$all>" cmd_arg(a,
 *                   "vrf") is the VRF name, or NULL with `all`.
 *                   [a|b]$mode names the last token of each alternative.
 * Matching: keywords by unique prefix; per word, exact keyword > keyword
 * prefix > address/prefix/range/RD > WORD > LINE, so `vrf all` picks the
 * keyword `all` over NAME. Commands are matched in the session's node; an
 * unknown line is retried in the parent nodes up to CONFIG and the session
 * moves to the node that took it (FRR "walk-up"), or stays if it fails.
 * help: one line per token in order of appearance in the syntax string,
 * each ending with '\n'.
 */
#ifndef PE_CMD_H
#define PE_CMD_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define SHOW_STR "Show running system information\n"
#define IP_STR "IP information\n"
#define IPV6_STR "IPv6 information\n"
#define NO_STR "Negate a command or set its defaults\n"
#define VRF_STR "Specify the VRF\n"
#define JSON_STR "JavaScript Object Notation\n"
#define ROUTE_STR "Routing table information\n"

enum cli_node {
	NODE_VIEW,      /* "pe1#": show, configure terminal, write ... */
	NODE_CONFIG,    /* "pe1(config)#" */
	NODE_VRF,       /* "pe1(config-vrf)#", ctx = VRF name */
	NODE_INTERFACE, /* "pe1(config-if)#", ctx = interface name */
	NODE_BGP,       /* later issues */
	NODE_BGP_AF,
	NODE_BGP_VRF_AF,
	NODE_LDP,
	NODE_LDP_AF,
	NODE_LDP_IF,
	NODE_ROUTE_MAP, /* "pe1(config-route-map)#", ctx = "NAME SEQ" */
	NODE_BGP_RTC,     /* "pe1(config-router-af)#" of `address-family ipv4 rtc` */
	NODE_BFD,         /* "pe1(config-bfd)#" */
	NODE_BFD_PEER,    /* "pe1(config-bfd-peer)#", ctx = the local discriminator */
	NODE_BFD_PROFILE, /* "pe1(config-bfd-profile)#", ctx = the profile's name */
	NODE_MAX
};

enum cmd_ret {
	CMD_SUCCESS = 0,
	CMD_WARNING = 1, /* done, but the user was told something ("already exists") */
	CMD_ERROR = 2,   /* refused: nothing changed; the handler printed "% reason" */
	/* Returned by the engine only: */
	CMD_ERR_UNKNOWN = 3,
	CMD_ERR_INCOMPLETE = 4,
	CMD_ERR_AMBIGUOUS = 5,
	CMD_ERR_INVALID = 6,
	/* Returned by a cli_defer() step only: more to come */
	CMD_PENDING = 7,
};

struct cli;
struct cmd_args;

typedef int (*cmd_fn)(struct cli *cli, const struct cmd_args *args);

struct cmd_def {
	const char *syntax;
	const char *help;
	cmd_fn fn;
};

/* cmd.c: registration */
void cmd_init(void);
void cmd_fini(void);
/* name: "config-vrf" (for prompts "(config-vrf)#"); parent: where `exit` goes
 * and where an unmatched line is retried (FRR vtysh behaviour). */
void cmd_node_install(enum cli_node node, const char *name, enum cli_node parent);
void cmd_install(enum cli_node node, const struct cmd_def *def);
void cmd_install_table(enum cli_node node, const struct cmd_def *defs, size_t n);

/* cmd.c: arguments of a matched command */
/* Value the user typed for the token named name (variables: the value; keywords:
 * the full keyword even if abbreviated); NULL if not present. */
const char *cmd_arg(const struct cmd_args *a, const char *name);
bool cmd_has(const struct cmd_args *a, const char *name);
/* Integer value of a range token (0 if absent). */
unsigned long long cmd_arg_u64(const struct cmd_args *a, const char *name);
/* true if the line started with "no". */
bool cmd_is_no(const struct cmd_args *a);

/* cli.c: sessions */
typedef void (*cli_write_fn)(void *arg, const char *buf, size_t len);
struct cli *cli_new(cli_write_fn write, void *arg);
void cli_free(struct cli *cli);
void cli_out(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the json tree (pretty, no slash escaping) followed by '\n', then puts it. */
void cli_json(struct cli *cli, struct json_object *obj);
/* Executes one line in the session's current node. Blank lines and lines
 * starting with '!' or '#' are CMD_SUCCESS. Lines over 4096 characters or
 * 256 words are refused (CMD_ERR_INVALID). On engine errors prints the line,
 * a caret under the offending word and the message
 * ("% Unknown command", "% Incomplete command", "% Ambiguous command",
 *  "% Invalid value \"300.1.1.1\" for A.B.C.D/M"). */
int cli_execute(struct cli *cli, const char *line);
/* '?': lists the possible next words with help for the partial line. */
void cli_describe(struct cli *cli, const char *line);
/* TAB: calls fn for each completion candidate of the last (partial) word. */
void cli_complete(struct cli *cli, const char *line, void (*fn)(void *arg, const char *cand),
		  void *arg);
enum cli_node cli_node(const struct cli *cli);
const char *cli_ctx(const struct cli *cli);
/* Used by handlers that enter a sub-mode (`vrf NAME`, `interface IFNAME`). */
void cli_set_node(struct cli *cli, enum cli_node node, const char *ctx);
/* Context of an enclosing node, e.g. the BGP AS while in NODE_BGP_AF. */
const char *cli_node_ctx(const struct cli *cli, enum cli_node node);
/* Back to the parent node, as `exit` does (for exit-vrf, exit-address-family). */
void cli_exit_node(struct cli *cli);
/* true once the user ended the session (`exit`/`quit` in VIEW): the server
 * closes the connection after sending the reply. */
bool cli_closing(const struct cli *cli);
/* Raw output (no formatting, no size limit). */
void cli_write(struct cli *cli, const char *buf, size_t len);
/* "pe1(config-vrf)# " for hostname "pe1". */
const char *cli_prompt(const struct cli *cli, const char *hostname, char *buf, size_t len);
/* Config file mode: errors are reported as "file:line: % message (word N)"
 * without caret lines; `end` and `exit` never leave CONFIG. file NULL ends
 * file mode. */
void cli_set_source(struct cli *cli, const char *file, unsigned line);
/* Long outputs (a table dump): the handler hands the rest of its work to
 * cli_defer() and returns its value. step writes a bounded part of the
 * output per call and returns CMD_PENDING while there is more, then the
 * command's status; fini (may be NULL) frees state, also when the session
 * ends in the middle. On an async session (the control socket, which set
 * cli_set_async) the server calls cli_resume() once per turn of its event
 * loop while its client keeps up, so a dump neither holds the whole output
 * in memory nor stops the daemon; elsewhere (config files, tests, a second
 * deferred command while one is pending) cli_defer() runs every step before
 * it returns. */
typedef int (*cli_step_fn)(struct cli *cli, void *state);
int cli_defer(struct cli *cli, cli_step_fn step, void (*fini)(void *state), void *state);
void cli_set_async(struct cli *cli, bool on);
/* true while a deferred command has output left */
bool cli_pending(const struct cli *cli);
/* One step of the pending command: CMD_PENDING, or its final status (the
 * step's error if it failed, else status, the handler's). */
int cli_resume(struct cli *cli, int status);
/* Drops the pending command (fini called). */
void cli_abort(struct cli *cli);
/* Free-form per-session pointer for the daemon. */
void cli_set_user(struct cli *cli, void *user);
void *cli_user(const struct cli *cli);

#endif
