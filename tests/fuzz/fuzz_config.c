/* libFuzzer target: configuration files, through the path `ped -C -f FILE`
 * takes (pe/config.c config_load_fp: bounded line reading, the command
 * engine cli/cmd.c and every module's configuration commands), then the
 * canonical running configuration is printed (config_write) as `ped -C`
 * prints it.
 *
 * Input: the text of a configuration file (seeds: tests/data/config/,
 * the topologies' node configurations). Each input gets fresh daemon state
 * (ped_harness.c) with ped.kernel_apply false, as in `ped -C`: nothing
 * reaches the kernel.
 *
 * Oracle beyond "no crash, no sanitizer report, no leak": when the file
 * loads without an error, its canonical form (what `ped -C` prints) must
 * load without an error too, into fresh state, and print the same again
 * (the golden round trip of tests/topo/config_golden.sh, on every input). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "pe/ped.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/ped_harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

struct text {
	char *buf;
	size_t len;
};

static void sink(void *arg, const char *buf, size_t len)
{
	struct text *t = arg;

	t->buf = xrealloc(t->buf, t->len + len + 1);
	memcpy(t->buf + t->len, buf, len);
	t->len += len;
	t->buf[t->len] = '\0';
}

/* Loads size bytes of data into fresh state; the canonical config in *out. */
static int load(const void *data, size_t size, struct text *out)
{
	FILE *fp = fmemopen((void *)(uintptr_t)data, size, "r");
	struct cli *cli;
	int errors;

	if (fp == NULL)
		abort();
	fuzz_ped_begin();
	errors = config_load_fp(fp, "fuzz.conf");
	fclose(fp);
	out->buf = NULL;
	out->len = 0;
	cli = cli_new(sink, out);
	config_write(cli, true);
	cli_free(cli);
	fuzz_ped_end();
	return errors;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct text t1, t2;

	if (size == 0)
		return 0;
	if (load(data, size, &t1) == 0) {
		if (load(t1.buf, t1.len, &t2) != 0) {
			fprintf(stdout, "fuzz_config: the canonical config does not load:\n%s", t1.buf);
			abort();
		}
		if (t1.len != t2.len || memcmp(t1.buf, t2.buf, t1.len) != 0) {
			fprintf(stdout, "fuzz_config: the canonical config changes when loaded again:"
				"\n--- first\n%s--- second\n%s", t1.buf, t2.buf);
			abort();
		}
		free(t2.buf);
	}
	free(t1.buf);
	return 0;
}
