/* The integrated configuration: loading a file through the command engine
 * (every bad line reported as FILE:LINE), the canonical running config, and
 * atomic saving (temp file + fsync + rename + directory fsync). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bfd/bfd.h"
#include "cli/cmd.h"
#include "lib/log.h"
#include "pe/iface.h"
#include "pe/label.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/policy.h"
#include "ldp/ldpd.h"
#include "pe/fwd/fwd_ctl.h"
#include "pe/metrics.h"
#include "pe/ped.h"

#define CONFIG_MAX_LINE 4096

struct capture {
	char *buf;
	size_t len, cap;
};

static void capture_write(void *arg, const char *buf, size_t len)
{
	struct capture *c = arg;

	if (c->len + len + 1 > c->cap) {
		c->cap = (c->len + len + 1) * 2;
		c->buf = xrealloc(c->buf, c->cap);
	}
	memcpy(c->buf + c->len, buf, len);
	c->len += len;
	c->buf[c->len] = '\0';
}

/* Prints the captured output of one config line, each line prefixed with
 * FILE:LINE unless the engine already did. */
static void report(const char *file, unsigned lineno, const char *kind, const struct capture *c)
{
	char prefix[4200];
	const char *p = c->buf, *nl;

	snprintf(prefix, sizeof(prefix), "%s:%u:", file, lineno);
	if (c->len == 0) {
		fprintf(stderr, "%s %s\n", prefix, kind);
		return;
	}
	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			fprintf(stderr, "%.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		else
			fprintf(stderr, "%s %s%.*s\n", prefix, kind, nl ? (int)(nl - p) : (int)strlen(p),
				p);
		p = nl ? nl + 1 : NULL;
	}
}

/* A configuration file is text: lines of at most CONFIG_MAX_LINE bytes.
 * read_line() never holds more than that: a longer line is reported and
 * skipped up to its newline, but a file that goes on for CONFIG_MAX_SKIP
 * bytes without one, or holds a NUL byte, is not a configuration file
 * (`ped -C -f /dev/zero` stops at once instead of growing without bound). */
#define CONFIG_MAX_SKIP (1 << 20)
#define CONFIG_MAX_ERRORS 100
enum { LINE_EOF = -1, LINE_LONG = -2, LINE_BINARY = -3 };

static int read_line(FILE *fp, char *buf, size_t max)
{
	size_t n = 0, skipped = 0;
	int c;

	while ((c = getc(fp)) != EOF && c != '\n') {
		if (c == '\0')
			return LINE_BINARY;
		if (n < max) {
			buf[n++] = (char)c;
			continue;
		}
		if (++skipped > CONFIG_MAX_SKIP)
			return LINE_BINARY;
	}
	if (c == EOF && n == 0 && skipped == 0)
		return LINE_EOF;
	if (skipped > 0)
		return LINE_LONG;
	while (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return (int)n;
}

int config_load(const char *file)
{
	FILE *fp = fopen(file, "r");
	int errors;

	if (fp == NULL) {
		fprintf(stderr, "%s: cannot open: %s\n", file, strerror(errno));
		return -1;
	}
	errors = config_load_fp(fp, file);
	fclose(fp);
	return errors;
}

int config_load_fp(FILE *fp, const char *file)
{
	struct capture cap = { NULL, 0, 0 };
	struct cli *cli;
	char *line = xmalloc(CONFIG_MAX_LINE + 1);
	int n;
	unsigned lineno = 0, block = 0, igp_block = 0, igp_before, igp_after;
	int errors = 0, rc;
	bool skip_block = false, skip;

	cli = cli_new(capture_write, &cap);
	cli_set_node(cli, NODE_CONFIG, NULL);
	while ((n = read_line(fp, line, CONFIG_MAX_LINE)) != LINE_EOF) {
		lineno++;
		cap.len = 0;
		if (cap.buf)
			cap.buf[0] = '\0';
		if (n == LINE_BINARY) {
			fprintf(stderr, "%s:%u: %% not a configuration file (a NUL byte, or over %d bytes "
				"without a line end); reading stops here\n", file, lineno, CONFIG_MAX_SKIP);
			errors++;
			break;
		}
		if (n == LINE_LONG) {
			fprintf(stderr, "%s:%u: %% line longer than %d characters\n", file, lineno,
				CONFIG_MAX_LINE);
			errors++;
			continue;
		}
		/* the canonical file ends with "end"; it must not leave config mode */
		if (strcmp(line, "end") == 0)
			continue;
		/* A block is a line at the left margin and the indented lines
		 * after it. The lines of a refused IGP block (`router ospf`)
		 * are skipped; an interface block reports its IGP lines once. */
		if (line[0] != ' ' && line[0] != '\t' && line[0] != '!' && line[0] != '#' &&
		    line[0] != '\0') {
			block = lineno;
			skip_block = false;
		} else if (skip_block) {
			continue;
		}
		cli_set_source(cli, file, lineno);
		igp_before = compat_igp_refusals(&skip);
		rc = cli_execute(cli, line);
		igp_after = compat_igp_refusals(&skip);
		if (igp_after != igp_before) {
			skip_block = skip;
			if (igp_block == block)
				continue;
			igp_block = block;
		}
		if (rc == CMD_WARNING) {
			report(file, lineno, "warning: ", &cap);
		} else if (rc != CMD_SUCCESS) {
			report(file, lineno, "", &cap);
			errors++;
			/* a refused block opener (`router bgp N vrf UNKNOWN`): its
			 * indented lines would only fail for want of the block */
			if (block == lineno && rc == CMD_ERROR)
				skip_block = true;
		}
		if (cli_node(cli) == NODE_VIEW) /* `exit` at top level: stay in config */
			cli_set_node(cli, NODE_CONFIG, NULL);
		if (errors >= CONFIG_MAX_ERRORS) {
			fprintf(stderr, "%s:%u: %% %d errors; reading stops here\n", file, lineno,
				errors);
			break;
		}
	}
	if (ferror(fp)) {
		fprintf(stderr, "%s: read error: %s\n", file, strerror(errno));
		errors++;
	}
	free(line);
	free(cap.buf);
	cli_free(cli);
	return errors;
}

void config_write(struct cli *cli, bool secrets)
{
	cli_out(cli, "! pesuite %s running configuration\n!\n", PACKAGE_VERSION);
	cli_out(cli, "hostname %s\n!\n", ped.hostname);
	compat_config_write(cli, secrets);
	bgp_cfg_write_secrets = secrets;
	ldp_cfg_write_secrets = secrets;
	label_config_write(cli);
	fwd_ctl_config_write(cli);
	metrics_config_write(cli);
	vrf_config_write(cli);
	iface_config_write(cli);
	bgp_config_write(cli);
	ldp_config_write(cli);
	policy_config_write(cli);
	bfd_config_write(cli);
	bgp_cfg_write_secrets = false;
	ldp_cfg_write_secrets = false;
	cli_out(cli, "end\n");
}

static void file_write(void *arg, const char *buf, size_t len)
{
	struct capture *c = arg;

	capture_write(c, buf, len);
}

int config_save(const char *file, char *err, size_t errlen)
{
	struct capture cap = { NULL, 0, 0 };
	struct cli *cli = cli_new(file_write, &cap);
	char tmp[4200], dir[4200];
	int fd, dfd;
	size_t off = 0;

	config_write(cli, true);
	cli_free(cli);
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", file);
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		free(cap.buf);
		return -1;
	}
	while (off < cap.len) {
		ssize_t w = write(fd, cap.buf + off, cap.len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "write %s: %s", tmp, strerror(errno));
			goto fail;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0600) != 0 || fsync(fd) != 0) {
		snprintf(err, errlen, "fsync %s: %s", tmp, strerror(errno));
		goto fail;
	}
	close(fd);
	if (rename(tmp, file) != 0) {
		snprintf(err, errlen, "rename %s to %s: %s", tmp, file, strerror(errno));
		unlink(tmp);
		free(cap.buf);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", file);
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(cap.buf);
	return 0;
fail:
	close(fd);
	unlink(tmp);
	free(cap.buf);
	return -1;
}

/* ---- commands ---- */

/* Secrets (BGP neighbor and line passwords) print as <hidden> unless
 * asked for with `show running-config with-secrets`; write memory and
 * ped -C write the real values. */
static int show_running_cmd(struct cli *cli, const struct cmd_args *a)
{
	config_write(cli, cmd_has(a, "with-secrets"));
	return CMD_SUCCESS;
}

static int write_memory_cmd(struct cli *cli, const struct cmd_args *a)
{
	char err[300];

	(void)a;
	if (ped.config_file[0] == '\0') {
		cli_out(cli, "%% No configuration file: start ped with -f FILE\n");
		return CMD_ERROR;
	}
	if (config_save(ped.config_file, err, sizeof(err)) != 0) {
		cli_out(cli, "%% Configuration not saved: %s\n", err);
		return CMD_ERROR;
	}
	cli_out(cli, "Configuration saved to %s\n", ped.config_file);
	return CMD_SUCCESS;
}

static int write_terminal_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	config_write(cli, false);
	return CMD_SUCCESS;
}

static int hostname_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *h = cmd_arg(a, "WORD");
	size_t i;

	if (cmd_is_no(a)) {
		snprintf(ped.hostname, sizeof(ped.hostname), "%s", ped.node[0] ? ped.node : "ped");
		return CMD_SUCCESS;
	}
	if (strlen(h) >= sizeof(ped.hostname)) {
		cli_out(cli, "%% Hostname longer than %zu characters\n", sizeof(ped.hostname) - 1);
		return CMD_ERROR;
	}
	for (i = 0; h[i]; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
		      (h[i] >= '0' && h[i] <= '9') || (i > 0 && (h[i] == '-' || h[i] == '.' || h[i] == '_')))) {
			cli_out(cli, "%% Invalid character '%c' in hostname\n", h[i]);
			return CMD_ERROR;
		}
	snprintf(ped.hostname, sizeof(ped.hostname), "%s", h);
	return CMD_SUCCESS;
}

static int show_version_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	cli_out(cli, "pesuite ped %s (%s)\n", PACKAGE_VERSION, ped.hostname);
	return CMD_SUCCESS;
}

static const struct cmd_def view_cmds[] = {
	{ "show running-config [with-secrets]",
	  SHOW_STR "Current operating configuration\nWith the passwords (masked as <hidden> otherwise)\n",
	  show_running_cmd },
	{ "write [memory|file]",
	  "Write running configuration to memory, network, or terminal\n"
	  "Write configuration to the file (same as write file)\n"
	  "Write configuration to the file (same as write memory)\n",
	  write_memory_cmd },
	{ "copy running-config startup-config",
	  "Copy configuration\nCopy running config to...\nCopy running config to startup config (same as write file)\n",
	  write_memory_cmd },
	{ "write terminal", "Write running configuration to memory, network, or terminal\n"
			    "Write to terminal\n",
	  write_terminal_cmd },
	{ "show version", SHOW_STR "Displays ped version\n", show_version_cmd },
};

static const struct cmd_def config_cmds[] = {
	{ "hostname WORD", "Set system's network name\nThis system's network name\n", hostname_cmd },
	{ "no hostname [WORD]", NO_STR "Reset system's network name\nHost name of this router\n",
	  hostname_cmd },
};

void config_cli_init(void)
{
	cmd_install_table(NODE_VIEW, view_cmds, ARRAY_SIZE(view_cmds));
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
}
