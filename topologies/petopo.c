/* petopo: builds multi-node network-namespace testbeds from a topology file,
 * runs commands in them, audits them, and tears them down. See petopo.h for
 * the stages and docs/petopo.md for the user's view. */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "topologies/petopo.h"

#ifndef PETOPO_SBINDIR
#define PETOPO_SBINDIR "/usr/local/sbin"
#endif

struct petopo_env penv;
volatile sig_atomic_t topo_interrupted;

void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: petopo COMMAND ...\n"
		"  up [--name NAME] [--prefix P] [--force] [--timeout S] FILE\n"
		"                 validate FILE, then build the topology (namespaces, veth links,\n"
		"                 addresses, routes, daemons); on any failure or Ctrl-C, remove\n"
		"                 everything again\n"
		"  down NAME|FILE  stop its daemons, remove its links, namespaces and state\n"
		"  down --all      every topology that is up\n"
		"  status [NAME] [--json]\n"
		"                 nodes, namespaces, daemons (pid, alive), links and addresses\n"
		"  exec [NAME:]NODE [--vrf VRF] [-- CMD [ARG...]]\n"
		"                 run CMD (default: $SHELL) inside the node's namespace\n"
		"  restart [NAME:]NODE [--clean]\n"
		"                 stop the ped of NODE (SIGTERM, SIGKILL after 10 s), start it\n"
		"                 again as up did; what it pinned in /sys/fs/bpf/pe/ stays for\n"
		"                 the new one (hitless restart), unless --clean\n"
		"  audit NAME [--out FILE]\n"
		"                 one JSON document with every router's show ... json output\n"
		"  check FILE      validate only; nothing is created\n"
		"\n"
		"example:\n"
		"  petopo up topologies/l3vpn-basic.yml\n"
		"  pesh -N pe1 -c \"show ip route vrf all\"\n"
		"  petopo exec ce1a -- ping -c 2 10.1.1.1\n"
		"  petopo audit l3vpn-basic --out audit.json\n"
		"  petopo down l3vpn-basic\n"
		"\n"
		"a topology file:\n"
		"  name: mini\n"
		"  topology:\n"
		"    nodes:\n"
		"      pe1: {kind: ped, startup-config: pe1.conf, loopback: 10.255.0.1/32}\n"
		"      ce1:\n"
		"        kind: host\n"
		"        interfaces: {eth0: {address: 10.1.1.2/24}}\n"
		"        routes: [\"default via 10.1.1.1\"]\n"
		"    links:\n"
		"      - endpoints: [\"pe1:eth1\", \"ce1:eth0\"]\n"
		"\n"
		"environment: PETOPO_RUNDIR (state, default " PETOPO_RUNDIR_DEFAULT "), PE_RUNDIR\n"
		"(ped control sockets, default /run/pe), PETOPO_PED (the ped binary),\n"
		"PETOPO_TIMEOUT (seconds a daemon may take to start, default 20).\n"
		"See petopo(1) and docs/petopo.md.\n");
}

static void on_signal(int sig)
{
	(void)sig;
	topo_interrupted = 1;
}

static void signals_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: waits return EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static bool executable(const char *p)
{
	return access(p, X_OK) == 0;
}

/* PETOPO_PED; else the ped of the build tree petopo runs from; else the
 * installed one; else the first in PATH. */
static void find_ped(void)
{
	char exe[PATH_MAX], *slash, *path, *dir, *save = NULL;
	const char *env = getenv("PETOPO_PED");
	ssize_t n;

	if (env != NULL && *env) {
		snprintf(penv.ped, sizeof(penv.ped), "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(penv.ped, sizeof(penv.ped), "%s/../pe/ped", exe);
			if (strlen(exe) > 11 && strcmp(exe + strlen(exe) - 11, "/topologies") == 0 &&
			    executable(penv.ped)) {
				char *real = realpath(penv.ped, NULL);

				if (real != NULL)
					snprintf(penv.ped, sizeof(penv.ped), "%s", real);
				free(real);
				return;
			}
		}
	}
	snprintf(penv.ped, sizeof(penv.ped), "%s/ped", PETOPO_SBINDIR);
	if (executable(penv.ped))
		return;
	path = xstrdup(getenv("PATH") ? getenv("PATH") : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (dir = strtok_r(path, ":", &save); dir != NULL; dir = strtok_r(NULL, ":", &save)) {
		snprintf(penv.ped, sizeof(penv.ped), "%s/ped", dir);
		if (executable(penv.ped)) {
			free(path);
			return;
		}
	}
	free(path);
	snprintf(penv.ped, sizeof(penv.ped), "ped");
}

static void env_init(void)
{
	const char *s;

	s = getenv("PETOPO_RUNDIR");
	snprintf(penv.rundir, sizeof(penv.rundir), "%s",
		 s && *s ? s : PETOPO_RUNDIR_DEFAULT);
	s = getenv("PE_RUNDIR");
	snprintf(penv.pe_rundir, sizeof(penv.pe_rundir), "%s", s && *s ? s : "/run/pe");
	s = getenv("PETOPO_TIMEOUT");
	penv.timeout = s && atoi(s) > 0 ? atoi(s) : 20;
	find_ped();
}

static bool need_root(void)
{
	if (geteuid() == 0)
		return true;
	msg("petopo: this needs root (network namespaces)");
	return false;
}

static int main_up(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },  { "prefix", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },	   { "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },	   { NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *prefix = NULL;
	bool force = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "n:p:ft:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 'p': prefix = optarg; break;
		case 'f': force = true; break;
		case 't': penv.timeout = atoi(optarg) > 0 ? atoi(optarg) : penv.timeout; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	if (!need_root())
		return 1;
	return cmd_up(argv[optind], name, prefix, force);
}

static int main_check(int argc, char **argv)
{
	struct topo *t;
	int rc;

	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	t = topo_load(argv[1]);
	rc = topo_check(t);
	if (rc < 0)
		msg("%s: %d error%s", t->file, t->errors, t->errors == 1 ? "" : "s");
	else
		printf("%s: topology %s is valid (%d nodes, %d links)\n", t->file, t->name,
		       t->nnodes, t->nlinks);
	topo_free(t);
	return rc < 0 ? 1 : 0;
}

static int main_down(int argc, char **argv)
{
	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	if (!need_root())
		return 1;
	if (strcmp(argv[1], "--all") == 0)
		return cmd_down_all();
	return cmd_down(argv[1]);
}

static int main_status(int argc, char **argv)
{
	const char *name = NULL;
	bool json = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "json") == 0)
			json = true;
		else if (name == NULL && argv[i][0] != '-')
			name = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	return cmd_status(name, json);
}

static int main_exec(int argc, char **argv)
{
	const char *node = NULL, *vrf = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--vrf") == 0 && i + 1 < argc) {
			vrf = argv[++i];
			continue;
		}
		if (node != NULL)
			break; /* the command, without "--" */
		node = argv[i];
	}
	if (node == NULL) {
		usage(stderr);
		return 2;
	}
	if (!need_root())
		return 1;
	return cmd_exec(node, vrf, argv + i);
}

static int main_restart(int argc, char **argv)
{
	const char *node = NULL;
	bool clean = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--clean") == 0)
			clean = true;
		else if (node == NULL && argv[i][0] != '-')
			node = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (node == NULL) {
		usage(stderr);
		return 2;
	}
	if (!need_root())
		return 1;
	return cmd_restart(node, clean);
}

static int main_audit(int argc, char **argv)
{
	const char *name = NULL, *out = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "--out") == 0 || strcmp(argv[i], "-o") == 0) && i + 1 < argc)
			out = argv[++i];
		else if (name == NULL && argv[i][0] != '-')
			name = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (name == NULL) {
		usage(stderr);
		return 2;
	}
	return cmd_audit(name, out);
}

int main(int argc, char **argv)
{
	const char *cmd;

	log_init("petopo", true, false);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("petopo (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	env_init();
	signals_init();
	setvbuf(stdout, NULL, _IOLBF, 0);
	argv++;
	argc--;
	if (strcmp(cmd, "up") == 0)
		return main_up(argc, argv);
	if (strcmp(cmd, "down") == 0)
		return main_down(argc, argv);
	if (strcmp(cmd, "status") == 0)
		return main_status(argc, argv);
	if (strcmp(cmd, "exec") == 0)
		return main_exec(argc, argv);
	if (strcmp(cmd, "restart") == 0)
		return main_restart(argc, argv);
	if (strcmp(cmd, "audit") == 0)
		return main_audit(argc, argv);
	if (strcmp(cmd, "check") == 0)
		return main_check(argc, argv);
	msg("petopo: unknown command \"%s\"", cmd);
	usage(stderr);
	return 2;
}
