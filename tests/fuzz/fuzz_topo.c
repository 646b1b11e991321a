/* libFuzzer target: topology files (topologies/topo_parse.c, libyaml
 * document -> struct topo, and topologies/topo_check.c's semantic checks),
 * as `petopo check FILE` reads them, without running anything.
 *
 * Input: a topology file (seeds: the .yml files of topologies/ and tests/data/topo/).
 * It is written to a file in a private temporary directory, since
 * topo_load() takes a path (node configurations are found relative to it).
 * topo_check() runs `ped -C` / `vtysh -C` / `gobgpd -d` on node
 * configurations (topo_check.c, topo_daemon.c) through run_argv(): this
 * target is linked with -Wl,--wrap=run_argv, so that those calls reach
 * __wrap_run_argv() below, which runs nothing and fails; each ped node gets
 * an empty checked configuration instead. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "topologies/petopo.h"
#include "tests/fuzz/fuzz.h"

/* petopo.c (not linked: it holds main) */
struct petopo_env penv;
volatile sig_atomic_t topo_interrupted;

void msg(const char *fmt, ...)
{
	(void)fmt;
}

static char dir[64], path[128];

int __wrap_run_argv(char *const argv[], const struct run_opts *o, char *err, size_t errlen);

int __wrap_run_argv(char *const argv[], const struct run_opts *o, char *err, size_t errlen)
{
	(void)o;
	snprintf(err, errlen, "%s: not run by the fuzzer", argv[0]);
	return -1;
}

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	fuzz_quiet();
	snprintf(dir, sizeof(dir), "%s/pe-fuzz-topo.XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("fuzz_topo: mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/topo.yml", dir);
	snprintf(penv.ped, sizeof(penv.ped), "/nonexistent/ped");
	snprintf(penv.rundir, sizeof(penv.rundir), "%s", dir);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo *t;
	int fd, i;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		perror("fuzz_topo: write");
		abort();
	}
	close(fd);
	t = topo_load(path); /* then as `petopo check`: checked even after errors */
	for (i = 0; i < t->nnodes; i++) {
		struct tnode *n = &t->nodes[i];

		if (n->kind == KIND_PED && n->config != NULL) {
			free(n->config);
			n->config = NULL;
			n->config_text = xstrdup("");
		}
	}
	topo_check(t);
	topo_free(t);
	return 0;
}
