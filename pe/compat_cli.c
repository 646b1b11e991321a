/* Lines FRR configurations carry that have no effect on ped ("Coming from
 * FRR" in docs/user-guide.md): accepted, kept in the running configuration
 * as written, and otherwise ignored; and the IGP blocks (`router ospf`,
 * `ip ospf ...`, ...), which are refused with one message per block that
 * names the supported way (FRR's ospfd/isisd beside ped).
 *
 * The kept lines are a small ordered list keyed by what a later line
 * replaces (`log file A` then `log file B` keeps B, as FRR does); `no KEY`
 * removes the entry. Secrets (`password`, `enable password`) are printed
 * masked unless the writer asks for them (write memory, ped -C). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "pe/ped.h"

#define COMPAT_MAX 128
#define COMPAT_KEY 96
#define COMPAT_TEXT 320

struct compat_line {
	char key[COMPAT_KEY];   /* "log file", "password", "if r1-eth0 mpls bgp forwarding" */
	char text[COMPAT_TEXT]; /* the line as written back */
	int secret_off;         /* > 0: text from here on is a secret */
	char ifname[32];        /* interface-level line: its interface */
};

static struct compat_line lines[COMPAT_MAX];
static int nlines;
static unsigned igp_refused;
static bool igp_skip;

/* Words joined by single spaces (the engine hands us named arguments; the
 * no-op lines are rebuilt from them). false: longer than len - 1. */
static bool join(char *out, size_t len, const char *const *w, int n)
{
	size_t off = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (w[i] == NULL || w[i][0] == '\0')
			continue;
		off += (size_t)snprintf(out + off, len - off, "%s%s", off ? " " : "", w[i]);
		if (off >= len)
			return false;
	}
	return true;
}

static int too_long(struct cli *cli)
{
	cli_out(cli, "%% Line longer than %d characters\n", COMPAT_TEXT - 1);
	return CMD_ERROR;
}

static struct compat_line *find(const char *key)
{
	int i;

	for (i = 0; i < nlines; i++)
		if (strcmp(lines[i].key, key) == 0)
			return &lines[i];
	return NULL;
}

static void drop(const char *key)
{
	struct compat_line *l = find(key);

	if (l == NULL)
		return;
	memmove(l, l + 1, sizeof(*l) * (size_t)(&lines[nlines] - l - 1));
	nlines--;
}

/* Keeps `text` under `key` (replacing what the key held). secret: the
 * offset in text where a secret begins (0: none). */
static int keep(struct cli *cli, const char *key, const char *text, int secret, const char *ifname)
{
	struct compat_line *l = find(key);

	if (strlen(key) >= COMPAT_KEY || strlen(text) >= COMPAT_TEXT)
		return too_long(cli);
	if (l == NULL) {
		if (nlines == COMPAT_MAX) {
			cli_out(cli, "%% At most %d such lines are kept\n", COMPAT_MAX);
			return CMD_ERROR;
		}
		l = &lines[nlines++];
	}
	memset(l, 0, sizeof(*l));
	snprintf(l->key, sizeof(l->key), "%s", key);
	snprintf(l->text, sizeof(l->text), "%s", text);
	l->secret_off = secret;
	if (ifname != NULL)
		snprintf(l->ifname, sizeof(l->ifname), "%s", ifname);
	return CMD_SUCCESS;
}

/* ---- top level ---- */

static const char *const log_levels[] = { "emergencies", "alerts",        "critical",
					  "errors",      "warnings",      "notifications",
					  "informational", "debugging" };

static bool valid_level(struct cli *cli, const char *lvl)
{
	size_t i;

	if (lvl == NULL)
		return true;
	for (i = 0; i < ARRAY_SIZE(log_levels); i++)
		if (strcmp(lvl, log_levels[i]) == 0)
			return true;
	cli_out(cli, "%% Unknown log level \"%s\" (emergencies .. debugging)\n", lvl);
	return false;
}

static int log_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *dest = cmd_has(a, "stdout") ? "stdout" : cmd_has(a, "syslog") ? "syslog"
			 : cmd_has(a, "monitor") ? "monitor" : "file";
	const char *w[4];
	char key[COMPAT_KEY], text[COMPAT_TEXT];

	snprintf(key, sizeof(key), "log %s", dest);
	if (cmd_is_no(a)) {
		drop(key);
		return CMD_SUCCESS;
	}
	if (!valid_level(cli, cmd_arg(a, "level")))
		return CMD_ERROR;
	w[0] = key;
	w[1] = cmd_arg(a, "file");
	w[2] = cmd_arg(a, "level");
	if (!join(text, sizeof(text), w, 3))
		return too_long(cli);
	return keep(cli, key, text, 0, NULL);
}

/* Lines kept as written: the key is the whole line (or its keywords for
 * the ones with a value: `frr version`, `frr defaults`). */
static int keep_cmd(struct cli *cli, const struct cmd_args *a, const char *key, const char *value)
{
	const char *w[2] = { key, value };
	char text[COMPAT_TEXT];

	if (cmd_is_no(a)) {
		drop(key);
		/* `no ip forwarding` is itself a line FRR writes */
		if (strstr(key, "forwarding") != NULL) {
			char neg[COMPAT_KEY];

			snprintf(neg, sizeof(neg), "no %s", key);
			return keep(cli, key, neg, 0, NULL);
		}
		return CMD_SUCCESS;
	}
	if (!join(text, sizeof(text), w, 2))
		return too_long(cli);
	return keep(cli, key, text, 0, NULL);
}

static int frr_cmd(struct cli *cli, const struct cmd_args *a)
{
	if (cmd_has(a, "version"))
		return keep_cmd(cli, a, "frr version", cmd_arg(a, "ver"));
	return keep_cmd(cli, a, "frr defaults", cmd_has(a, "datacenter") ? "datacenter" : "traditional");
}

static int forwarding_cmd(struct cli *cli, const struct cmd_args *a)
{
	return keep_cmd(cli, a, cmd_has(a, "ipv6") ? "ipv6 forwarding" : "ip forwarding", NULL);
}

static int simple_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *k = cmd_has(a, "vty") ? "line vty"
		      : cmd_has(a, "integrated-vtysh-config") ? "service integrated-vtysh-config"
		      : cmd_has(a, "agentx") ? "agentx"
		      : "log commands";

	return keep_cmd(cli, a, k, NULL);
}

static int delay_timer_cmd(struct cli *cli, const struct cmd_args *a)
{
	return keep_cmd(cli, a, "bgp route-map delay-timer", cmd_is_no(a) ? NULL : cmd_arg(a, "secs"));
}

static int password_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *key = cmd_has(a, "enable") ? "enable password" : "password";
	const char *pw = cmd_arg(a, "pw");
	char text[COMPAT_TEXT];

	if (cmd_is_no(a)) {
		drop(key);
		return CMD_SUCCESS;
	}
	if (strcmp(pw, "<hidden>") == 0) {
		cli_out(cli, "%% \"<hidden>\" is how show running-config masks a password; give the password\n");
		return CMD_ERROR;
	}
	if ((size_t)snprintf(text, sizeof(text), "%s %s", key, pw) >= sizeof(text))
		return too_long(cli);
	return keep(cli, key, text, (int)strlen(key) + 1, NULL);
}

static int debug_cmd(struct cli *cli, const struct cmd_args *a)
{
	char key[COMPAT_KEY];

	if ((size_t)snprintf(key, sizeof(key), "debug %s", cmd_arg(a, "what")) >= sizeof(key)) {
		cli_out(cli, "%% Line longer than %d characters\n", COMPAT_KEY - 1);
		return CMD_ERROR;
	}
	if (cmd_is_no(a)) {
		drop(key);
		return CMD_SUCCESS;
	}
	return keep(cli, key, key, 0, NULL);
}

/* ---- interface level ---- */

static int if_keep_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *what = cmd_has(a, "link-detect") ? "link-detect" : "mpls bgp forwarding";
	char key[COMPAT_KEY], text[COMPAT_TEXT];
	const char *ifname = cli_ctx(cli);

	snprintf(key, sizeof(key), "if %s %s", ifname, what);
	/* FRR's default is link-detect on: only `no link-detect` is a line */
	if (strcmp(what, "link-detect") == 0) {
		if (!cmd_is_no(a)) {
			drop(key);
			return CMD_SUCCESS;
		}
		snprintf(text, sizeof(text), "no link-detect");
	} else {
		if (cmd_is_no(a)) {
			drop(key);
			return CMD_SUCCESS;
		}
		snprintf(text, sizeof(text), "%s", what);
	}
	return keep(cli, key, text, 0, ifname);
}

/* ---- IGP blocks ---- */

static int router_igp_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *igp = cmd_arg(a, "igp");
	const char *d = strcmp(igp, "ospf6") == 0 ? "ospf6d" : strcmp(igp, "isis") == 0 ? "isisd"
		      : strcmp(igp, "ospf") == 0 ? "ospfd" : strcmp(igp, "openfabric") == 0 ? "fabricd"
		      : strcmp(igp, "ripng") == 0 ? "ripngd" : strcmp(igp, "rip") == 0 ? "ripd"
		      : strcmp(igp, "eigrp") == 0 ? "eigrpd" : "babeld";

	cli_out(cli, "%% router %s: ped has no IGP; run FRR's zebra and %s beside ped in the node's "
		"namespace (petopo: daemons: [%s]), ped follows the routes they install in the kernel "
		"table; the lines of this block are skipped\n", igp, d, d);
	igp_refused++;
	igp_skip = !cmd_is_no(a);
	return CMD_ERROR;
}

static int if_igp_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *d = cmd_has(a, "ospf6") ? "ospf6d" : cmd_has(a, "ospf") ? "ospfd" : "isisd";

	(void)a;
	cli_out(cli, "%% interface %s: IGP settings belong to %s; run FRR's zebra and %s beside ped in "
		"the node's namespace (petopo: daemons: [%s]); the IGP lines of this interface are "
		"skipped\n", cli_ctx(cli), d, d, d);
	igp_refused++;
	igp_skip = false;
	return CMD_ERROR;
}

unsigned compat_igp_refusals(bool *skip_block)
{
	*skip_block = igp_skip;
	igp_skip = false;
	return igp_refused;
}

/* ---- running configuration ---- */

static void write_line(struct cli *cli, const struct compat_line *l, bool secrets, const char *indent)
{
	if (l->secret_off > 0 && !secrets)
		cli_out(cli, "%s%.*s<hidden>\n", indent, l->secret_off, l->text);
	else
		cli_out(cli, "%s%s\n", indent, l->text);
}

void compat_config_write(struct cli *cli, bool secrets)
{
	int i, n = 0;

	for (i = 0; i < nlines; i++)
		if (lines[i].ifname[0] == '\0') {
			write_line(cli, &lines[i], secrets, "");
			n++;
		}
	if (n > 0)
		cli_out(cli, "!\n");
}

void compat_iface_forget(const char *ifname)
{
	int i = 0;

	while (i < nlines)
		if (strcmp(lines[i].ifname, ifname) == 0)
			drop(lines[i].key);
		else
			i++;
}

void compat_iface_config_write(struct cli *cli, const char *ifname)
{
	int i;

	for (i = 0; i < nlines; i++)
		if (strcmp(lines[i].ifname, ifname) == 0)
			write_line(cli, &lines[i], true, " ");
}

#define LOG_STR "Logging control\n"
#define LEVEL_HELP "Logging level\n"

static const struct cmd_def config_cmds[] = {
	{ "[no] log <stdout|syslog|monitor> [WORD$level]",
	  NO_STR LOG_STR "Set stdout logging level\nSet syslog logging level\nSet terminal line (monitor) logging level\n" LEVEL_HELP,
	  log_cmd },
	{ "log file WORD$file [WORD$level]", LOG_STR "Logging to file\nLogging filename\n" LEVEL_HELP, log_cmd },
	{ "no log file [WORD [WORD]]", NO_STR LOG_STR "Logging to file\nLogging filename\n" LEVEL_HELP,
	  log_cmd },
	{ "[no] log commands", NO_STR LOG_STR "Log all commands (no effect: ped logs no commands)\n", simple_cmd },
	{ "frr version LINE$ver", "FRRouting global parameters\nversion FRR was built with (no effect)\nversion\n",
	  frr_cmd },
	{ "frr defaults <traditional|datacenter>",
	  "FRRouting global parameters\nSet of defaults (no effect: ped has FRR's traditional timers)\n"
	  "Traditional defaults\nDatacenter defaults\n",
	  frr_cmd },
	{ "[no] <ip|ipv6> forwarding",
	  NO_STR IP_STR IPV6_STR "Turn on forwarding (no effect: ped's dataplane forwards)\n", forwarding_cmd },
	{ "[no] line vty", NO_STR "Configure a terminal line\nVirtual terminal (no effect: ped has no vty)\n",
	  simple_cmd },
	{ "[no] service integrated-vtysh-config",
	  NO_STR "Set up miscellaneous service\nOne configuration file (always so in ped)\n", simple_cmd },
	{ "bgp route-map delay-timer (0-600)$secs",
	  "BGP information\nRoute-map\nTime before a route-map change is applied (no effect: ped applies at once)\n"
	  "Seconds\n",
	  delay_timer_cmd },
	{ "no bgp route-map delay-timer [(0-600)]",
	  NO_STR "BGP information\nRoute-map\nTime before a route-map change is applied\nSeconds\n",
	  delay_timer_cmd },
	{ "[no] agentx", NO_STR "SNMP AgentX protocol settings (no effect)\n", simple_cmd },
	{ "password LINE$pw", "Assign the terminal connection password (no effect)\nThe password\n", password_cmd },
	{ "no password [LINE]", NO_STR "Assign the terminal connection password\nThe password\n", password_cmd },
	{ "enable password LINE$pw",
	  "Modify enable password parameters\nAssign the privileged level password (no effect)\nThe password\n",
	  password_cmd },
	{ "no enable password [LINE]",
	  NO_STR "Modify enable password parameters\nAssign the privileged level password\nThe password\n",
	  password_cmd },
	{ "[no] debug LINE$what",
	  NO_STR "Debugging functions (FRR's names: kept, no effect; see `debug` in pesh)\nWhat to debug\n",
	  debug_cmd },
	{ "[no] router <ospf|ospf6|isis|rip|ripng|eigrp|babel|openfabric>$igp [LINE]",
	  NO_STR "Enable a routing process\nOSPF (refused: FRR's ospfd beside ped)\n"
	  "OSPFv3 (refused: ospf6d)\nIS-IS (refused: isisd)\nRIP (refused)\nRIPng (refused)\n"
	  "EIGRP (refused)\nBabel (refused)\nOpenFabric (refused)\nArguments\n",
	  router_igp_cmd },
};

static const struct cmd_def if_cmds[] = {
	{ "[no] link-detect", NO_STR "Enable link detection on interface (no effect: ped follows the kernel's carrier)\n",
	  if_keep_cmd },
	{ "[no] mpls bgp forwarding",
	  NO_STR "MPLS information\nBGP\nEnable MPLS forwarding for eBGP (no effect: ped forwards labelled packets on every core port)\n",
	  if_keep_cmd },
	{ "[no] ip ospf LINE", NO_STR IP_STR "OSPF interface commands (refused: ospfd)\nArguments\n",
	  if_igp_cmd },
	{ "[no] ip router isis [LINE]", NO_STR IP_STR "Routing process\nIS-IS (refused: isisd)\nArguments\n",
	  if_igp_cmd },
	{ "[no] ipv6 ospf6 LINE", NO_STR IPV6_STR "OSPFv3 interface commands (refused: ospf6d)\nArguments\n",
	  if_igp_cmd },
	{ "[no] ipv6 router isis [LINE]",
	  NO_STR IPV6_STR "Routing process\nIS-IS (refused: isisd)\nArguments\n", if_igp_cmd },
	{ "[no] isis LINE", NO_STR "IS-IS interface commands (refused: isisd)\nArguments\n", if_igp_cmd },
};

/* Forgets every kept line (a harness builds ped's state again per input). */
void compat_cli_fini(void)
{
	nlines = 0;
	igp_refused = 0;
	igp_skip = false;
}

void compat_cli_init(void)
{
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
	cmd_install_table(NODE_INTERFACE, if_cmds, ARRAY_SIZE(if_cmds));
}
