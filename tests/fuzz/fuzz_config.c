/* libFuzzer target: configuration files, through the path `ped -C -f FILE`
 * takes (pe/config.c config_load_fp: bounded line reading, the command
 * engine cli/cmd.c and every module's configuration commands), then the
 * canonical running configuration is printed (config_write) as `ped -C`
 * prints it.
 *
 * Input: the text of a configuration file (seeds: tests/data/config/,
 * the topologies' node configurations). Each input gets fresh daemon state
 * (ped_harness.c) with ped.kernel_apply false, as in `ped -C`: nothing
 * reaches the kernel. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd.h"
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

static void sink(void *arg, const char *buf, size_t len)
{
	(void)arg;
	(void)buf;
	(void)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *fp;
	struct cli *cli;

	if (size == 0)
		return 0;
	fp = fmemopen((void *)(uintptr_t)data, size, "r");
	if (fp == NULL)
		return 0;
	fuzz_ped_begin();
	config_load_fp(fp, "fuzz.conf");
	fclose(fp);
	cli = cli_new(sink, NULL);
	config_write(cli);
	cli_free(cli);
	fuzz_ped_end();
	return 0;
}
