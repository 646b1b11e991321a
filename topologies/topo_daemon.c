/* Node kinds: what each needs to be valid, how its daemons start inside the
 * node's namespace, how petopo knows they are ready, how they stop.
 *
 *   ped    our router: `ped -N NODE -f COPY -P NETNS- -l LOG` in the
 *          foreground (petopo records the pid itself); ready when its control
 *          socket $PE_RUNDIR/NODE/ped.sock accepts. ped reads a copy of the
 *          startup-config, so `write memory` never changes the topology's files.
 *          `restart` starts it again from that copy with the argv recorded
 *          in the state file (ped_start).
 *          With `daemons: [ospfd]` (or isisd, ospf6d) and `frr-config: FILE`,
 *          FRR's zebra and those daemons start first, as for an frr node, and
 *          load FILE: the IGP fills the kernel table that ped follows.
 *   frr    FRR's zebra then each listed daemon, in the foreground, each with its
 *          own vty socket, pid file and log in the node's directory (owned by
 *          frr:frr), in a UTS namespace whose hostname is the node name; ready
 *          when DAEMON.vty accepts; then `vtysh --vty_socket DIR -f CONFIG`.
 *   gobgp  gobgpd -f CONFIG -t toml --api-hosts 127.0.0.1:50051; ready when
 *          the gRPC port accepts inside the namespace.
 *   bird   bird -f -c CONFIG -s DIR/bird.ctl; ready when the socket accepts.
 *   host   no daemon.
 *
 * Stopping: SIGTERM to each recorded pid whose start time still matches,
 * and to the processes it forked (ldpd's lde and ldpe), SIGKILL after a
 * grace period. Nothing else is ever signalled. */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/netns.h"
#include "topologies/petopo.h"

static const char *const frr_daemons[] = { "bgpd",  "ospfd", "ospf6d", "ldpd", "staticd",
					   "bfdd",  "isisd", "ripd",   "pimd", NULL };

const char *frr_daemon_ok(const char *d)
{
	int i;

	for (i = 0; frr_daemons[i] != NULL; i++)
		if (strcmp(frr_daemons[i], d) == 0)
			return NULL;
	return "unknown FRR daemon (expected zebra, bgpd, ospfd, ospf6d, ldpd, staticd, bfdd, "
	       "isisd, ripd or pimd)";
}

/* Beside ped only an IGP: ped itself speaks BGP and LDP (and their ports
 * are taken), and its own static routes replace staticd. */
const char *ped_daemon_ok(const char *d)
{
	static const char *const igp[] = { "ospfd", "ospf6d", "isisd", NULL };
	int i;

	for (i = 0; igp[i] != NULL; i++)
		if (strcmp(igp[i], d) == 0)
			return NULL;
	if (strcmp(d, "bgpd") == 0 || strcmp(d, "ldpd") == 0)
		return "ped speaks BGP and LDP itself; beside ped only an IGP runs "
		       "(ospfd, ospf6d or isisd)";
	return "beside ped only an IGP runs (ospfd, ospf6d or isisd)";
}

bool kind_needs_config(enum node_kind k)
{
	return k != KIND_HOST;
}

static bool find_in_path(const char *prog, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	bool found = false;

	if (strchr(prog, '/') != NULL) {
		snprintf(buf, len, "%s", prog);
		return access(buf, X_OK) == 0;
	}
	copy = xstrdup(path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
	for (dir = strtok_r(copy, ":", &save); dir != NULL && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(buf, len, "%s/%s", dir, prog);
		found = access(buf, X_OK) == 0;
	}
	/* root's PATH may lack sbin (bird lives there) */
	if (!found) {
		snprintf(buf, len, "/usr/sbin/%s", prog);
		found = access(buf, X_OK) == 0;
	}
	free(copy);
	return found;
}

/* Runs a config dry-run; reports its output under the node's config mark. */
static void dry_run(struct topo *t, struct tnode *n, struct mark *mk, const char *file,
		    char *const argv[], const char *tool)
{
	struct run_opts o = { 0 };
	char err[512], *out = NULL, *line, *save = NULL, text[1800];
	size_t len;

	o.out = &out;
	if (run_argv(argv, &o, err, sizeof(err)) == 0) {
		free(out);
		return;
	}
	len = (size_t)snprintf(text, sizeof(text), "node %s: %s %s has errors (%s):", n->name,
			       mk == &n->config_m ? "startup-config" : "frr-config", file, tool);
	for (line = strtok_r(out && *out ? out : err, "\n", &save);
	     line != NULL && len < sizeof(text); line = strtok_r(NULL, "\n", &save))
		len += (size_t)snprintf(text + len, sizeof(text) - len, "\n    %s", line);
	topo_err(t, mk, "%s", text);
	free(out);
}

/* FRR daemons run as user frr: every existing directory above the run
 * directory must let others through. */
static void check_frr_reach(struct topo *t, struct tnode *n)
{
	char path[600], *p;
	struct stat sb;

	snprintf(path, sizeof(path), "%s", penv.rundir);
	for (;;) {
		if (stat(path, &sb) == 0 && !(sb.st_mode & S_IXOTH)) {
			topo_err(t, &n->kind_m, "node %s: FRR daemons run as user frr and cannot "
						"reach %s (mode %04o): chmod o+x it or set "
						"PETOPO_RUNDIR elsewhere",
				 n->name, path, (unsigned)(sb.st_mode & 07777));
			return;
		}
		p = strrchr(path, '/');
		if (p == NULL || p == path)
			return;
		*p = '\0';
	}
}

int kind_check(struct topo *t, struct tnode *n)
{
	char bin[600], bin2[600];
	int before = t->errors, i;

	switch (n->kind) {
	case KIND_PED:
		if (access(penv.ped, X_OK) < 0)
			topo_err(t, &n->kind_m, "node %s: the ped binary %s is missing (build it, "
						"or set PETOPO_PED)", n->name, penv.ped);
		if (n->frr_config == NULL)
			break;
		__attribute__((fallthrough)); /* FRR's IGP beside ped */
	case KIND_FRR: {
		const char *conf = n->kind == KIND_PED ? n->frr_config : n->config;
		struct mark *cm = n->kind == KIND_PED ? &n->frr_config_m : &n->config_m;

		if (getpwnam("frr") == NULL || access(FRR_DAEMON_DIR "/zebra", X_OK) < 0 ||
		    !find_in_path("vtysh", bin, sizeof(bin))) {
			topo_err(t, n->kind == KIND_PED ? cm : &n->kind_m,
				 "node %s: %s needs FRR installed "
				 "(apt-get install frr: zebra, vtysh, user frr)",
				 n->name, n->kind == KIND_PED ? "frr-config" : "kind frr");
			break;
		}
		for (i = 0; i < n->ndaemons; i++) {
			snprintf(bin2, sizeof(bin2), FRR_DAEMON_DIR "/%s", n->daemons[i]);
			if (access(bin2, X_OK) < 0)
				topo_err(t, &n->kind_m, "node %s: %s is missing", n->name, bin2);
		}
		check_frr_reach(t, n);
		if (t->errors == before && conf != NULL) {
			char *argv[] = { bin, (char *)(uintptr_t) "-C", (char *)(uintptr_t) "-f",
					 (char *)(uintptr_t)conf, NULL };

			dry_run(t, n, cm, n->kind == KIND_PED ? n->frr_config_arg : n->config_arg,
				argv, "vtysh -C");
		}
		break;
	}
	case KIND_GOBGP:
		if (!find_in_path("gobgpd", bin, sizeof(bin))) {
			topo_err(t, &n->kind_m, "node %s: kind gobgp needs gobgpd "
						"(apt-get install gobgpd)", n->name);
			break;
		}
		if (n->config != NULL) {
			char *argv[] = { bin, (char *)(uintptr_t) "-d", (char *)(uintptr_t) "-t",
					 (char *)(uintptr_t) "toml", (char *)(uintptr_t) "-f",
					 n->config, NULL };

			dry_run(t, n, &n->config_m, n->config_arg, argv, "gobgpd --dry-run");
		}
		break;
	case KIND_BIRD:
		if (!find_in_path("bird", bin, sizeof(bin))) {
			topo_err(t, &n->kind_m, "node %s: kind bird needs BIRD 2 "
						"(apt-get install bird2)", n->name);
			break;
		}
		if (n->config != NULL) {
			char *argv[] = { bin, (char *)(uintptr_t) "-p", (char *)(uintptr_t) "-c",
					 n->config, NULL };

			dry_run(t, n, &n->config_m, n->config_arg, argv, "bird -p");
		}
		break;
	case KIND_HOST:
	case KIND_COUNT:
		break;
	}
	return t->errors == before ? 0 : -1;
}

/* ---- readiness ---- */

static bool unix_accepts(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	bool ok;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return false;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return ok;
}

static bool tcp_accepts_in(const char *ns, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int nsfd = netns_open(ns), fd;
	bool ok;

	if (nsfd < 0)
		return false;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = netns_socket(nsfd, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	close(nsfd);
	if (fd < 0)
		return false;
	ok = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	return ok;
}

struct ready {
	const char *sock; /* unix socket that must accept */
	const char *ns;   /* with port: TCP on 127.0.0.1 in this namespace */
	uint16_t port;
};

static bool is_ready(const struct ready *r)
{
	if (r->sock != NULL)
		return unix_accepts(r->sock);
	return tcp_accepts_in(r->ns, r->port);
}

static void status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "stopped");
}

/* Starts one daemon of node `node` in namespace netns: fork (gated),
 * record in the state file (with its argv, for `restart`), release, wait
 * until ready. On failure err says why, with the log's tail. */
static int start_one(struct state *st, const char *node, const char *netns, const char *name,
		     char *const argv[], char *const env_add[], const char *hostname,
		     const char *log, const struct ready *r, char *err, size_t errlen)
{
	struct spawn sp = { netns, hostname, log, argv, env_add };
	unsigned long long start = 0;
	json_object *d, *ja;
	struct timespec t0, t1;
	char how[64], *tail;
	int gate, status, i;
	pid_t pid;

	pid = spawn_gated(&sp, &gate);
	if (pid < 0) {
		snprintf(err, errlen, "%s on node %s: fork: %s", name, node, strerror(errno));
		return -1;
	}
	if (proc_starttime(pid, &start) < 0) {
		spawn_release(pid, gate, false);
		snprintf(err, errlen, "%s on node %s: cannot read its start time", name, node);
		return -1;
	}
	d = state_daemon_add(st, node, name, pid, start, log);
	ja = json_object_new_array();
	for (i = 0; argv[i] != NULL; i++)
		json_object_array_add(ja, json_object_new_string(argv[i]));
	json_object_object_add(d, "argv", ja);
	if (state_write(st) < 0) {
		spawn_release(pid, gate, false);
		snprintf(err, errlen, "%s on node %s: state file not written, not started", name,
			 node);
		return -1;
	}
	if (spawn_release(pid, gate, true) < 0) {
		snprintf(err, errlen, "%s on node %s: could not be started", name, node);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (wait_child(pid, &status) == 1) {
			status_str(status, how, sizeof(how));
			tail = file_tail(log, 12);
			snprintf(err, errlen, "%s on node %s %s; last lines of %s:\n%s", name,
				 node, how, log, tail);
			free(tail);
			return -1;
		}
		if (is_ready(r))
			return 0;
		if (topo_interrupted) {
			snprintf(err, errlen, "interrupted while %s on node %s was starting", name,
				 node);
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (t1.tv_sec - t0.tv_sec >= penv.timeout) {
			tail = file_tail(log, 12);
			snprintf(err, errlen, "%s on node %s is not ready after %d s (%s did not "
					      "accept); last lines of %s:\n%s",
				 name, node, penv.timeout, r->sock ? r->sock : "its API port",
				 log, tail);
			free(tail);
			return -1;
		}
		usleep(30 * 1000);
	}
}

static int copy_file(const char *from, const char *to, char *err, size_t errlen)
{
	char buf[8192];
	ssize_t n;
	int in, out;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "cannot read %s: %s", from, strerror(errno));
		return -1;
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", to, strerror(errno));
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	if (close(out) < 0 || n < 0) {
		snprintf(err, errlen, "cannot copy %s to %s", from, to);
		return -1;
	}
	return 0;
}

/* ped of node `node`, in namespace netns, reading DIR/ped.conf, logging to
 * DIR/ped.log, with argv (a JSON array recorded by an earlier start) or
 * else the usual one: `up` after copying the config, `restart`. */
int ped_start(struct state *st, const char *node, const char *netns, const char *dir,
	      json_object *jargv, char *err, size_t errlen)
{
	char conf[700], log[700], prefix[64], sock[700], rundir[700], envb[600];
	char *argv[] = { penv.ped, (char *)(uintptr_t) "-N", (char *)(uintptr_t)node,
			 (char *)(uintptr_t) "-f", conf, (char *)(uintptr_t) "-P", prefix,
			 (char *)(uintptr_t) "-l", log, NULL };
	char *env_add[] = { envb, NULL };
	struct ready r = { sock, NULL, 0 };
	char **av = argv;
	size_t i, len;
	int rc;

	snprintf(conf, sizeof(conf), "%s/ped.conf", dir);
	snprintf(log, sizeof(log), "%s/ped.log", dir);
	snprintf(prefix, sizeof(prefix), "%s-", netns);
	snprintf(rundir, sizeof(rundir), "%s/%s", penv.pe_rundir, node);
	snprintf(sock, sizeof(sock), "%s/ped.sock", rundir);
	snprintf(envb, sizeof(envb), "PE_RUNDIR=%s", penv.pe_rundir);
	if (jargv != NULL && (len = json_object_array_length(jargv)) > 0) {
		av = xcalloc(len + 1, sizeof(*av));
		for (i = 0; i < len; i++)
			av[i] = (char *)(uintptr_t)json_object_get_string(
				json_object_array_get_idx(jargv, i));
	}
	/* ped makes $PE_RUNDIR/NODE; recorded first so that down removes it */
	state_list_add_str(st, "dirs", rundir);
	rc = start_one(st, node, netns, "ped", av, env_add, NULL, log, &r, err, errlen);
	if (av != argv)
		free(av);
	return rc;
}

static int start_ped(struct state *st, struct tnode *n, const char *dir, char *err,
		     size_t errlen)
{
	char conf[700];

	snprintf(conf, sizeof(conf), "%s/ped.conf", dir);
	if (copy_file(n->config, conf, err, errlen) < 0)
		return -1;
	return ped_start(st, n->name, n->netns, dir, NULL, err, errlen);
}

/* zebra, then each listed daemon, then vtysh -f CONF. */
static int start_frr(struct state *st, struct tnode *n, const char *dir, const char *conf,
		     char *err, size_t errlen)
{
	struct passwd *pw = getpwnam("frr");
	char bin[600], pidf[700], zserv[700], logopt[720], out[700], vty[700];
	struct run_opts o = { 0 };
	char *vout = NULL, vtysh[600];
	int i;

	if (pw == NULL || chown(dir, pw->pw_uid, pw->pw_gid) < 0) {
		snprintf(err, errlen, "node %s: cannot give %s to user frr: %s", n->name, dir,
			 pw ? strerror(errno) : "no user frr");
		return -1;
	}
	snprintf(zserv, sizeof(zserv), "%s/zserv.api", dir);
	for (i = -1; i < n->ndaemons; i++) {
		const char *d = i < 0 ? "zebra" : n->daemons[i];
		char *argv[24];
		int a = 0;
		struct ready r = { vty, NULL, 0 };

		snprintf(bin, sizeof(bin), FRR_DAEMON_DIR "/%s", d);
		snprintf(pidf, sizeof(pidf), "%s/%s.pid", dir, d);
		snprintf(logopt, sizeof(logopt), "file:%s/%s.log", dir, d);
		snprintf(out, sizeof(out), "%s/%s.out", dir, d);
		snprintf(vty, sizeof(vty), "%s/%s.vty", dir, d);
		argv[a++] = bin;
		argv[a++] = (char *)(uintptr_t) "-u";
		argv[a++] = (char *)(uintptr_t) "frr";
		argv[a++] = (char *)(uintptr_t) "-g";
		argv[a++] = (char *)(uintptr_t) "frr";
		argv[a++] = (char *)(uintptr_t) "-P";
		argv[a++] = (char *)(uintptr_t) "0";
		argv[a++] = (char *)(uintptr_t) "--vty_socket";
		argv[a++] = (char *)(uintptr_t)dir;
		argv[a++] = (char *)(uintptr_t) "-i";
		argv[a++] = pidf;
		argv[a++] = (char *)(uintptr_t) "-z";
		argv[a++] = zserv;
		argv[a++] = (char *)(uintptr_t) "--log";
		argv[a++] = logopt;
		if (i < 0) {
			argv[a++] = (char *)(uintptr_t) "-s";
			argv[a++] = (char *)(uintptr_t) "90000000";
		}
		if (strcmp(d, "ldpd") == 0) {
			/* a directory: ldpd appends ldpd.sock */
			argv[a++] = (char *)(uintptr_t) "--ctl_socket";
			argv[a++] = (char *)(uintptr_t)dir;
		}
		argv[a] = NULL;
		if (start_one(st, n->name, n->netns, d, argv, NULL, n->name, out, &r, err,
			      errlen) < 0)
			return -1;
	}
	if (!find_in_path("vtysh", vtysh, sizeof(vtysh))) {
		snprintf(err, errlen, "node %s: vtysh not found", n->name);
		return -1;
	}
	{
		char *argv[] = { vtysh, (char *)(uintptr_t) "--vty_socket", (char *)(uintptr_t)dir,
				 (char *)(uintptr_t) "-f", (char *)(uintptr_t)conf, NULL };
		char e[512];

		o.out = &vout;
		o.timeout_s = 60;
		if (run_argv(argv, &o, e, sizeof(e)) < 0) {
			snprintf(err, errlen, "node %s: loading %s: %s\n%s", n->name, conf, e,
				 vout ? vout : "");
			free(vout);
			return -1;
		}
		free(vout);
	}
	return 0;
}

static int start_gobgp(struct state *st, struct tnode *n, const char *dir, char *err,
		       size_t errlen)
{
	char bin[600], log[700];
	char *argv[] = { bin,
			 (char *)(uintptr_t) "-f",
			 n->config,
			 (char *)(uintptr_t) "-t",
			 (char *)(uintptr_t) "toml",
			 (char *)(uintptr_t) "-p",
			 (char *)(uintptr_t) "--pprof-disable",
			 (char *)(uintptr_t) "--api-hosts",
			 (char *)(uintptr_t) "127.0.0.1:50051",
			 NULL };
	struct ready r = { NULL, n->netns, 50051 };

	if (!find_in_path("gobgpd", bin, sizeof(bin))) {
		snprintf(err, errlen, "node %s: gobgpd not found", n->name);
		return -1;
	}
	snprintf(log, sizeof(log), "%s/gobgpd.log", dir);
	return start_one(st, n->name, n->netns, "gobgpd", argv, NULL, n->name, log, &r, err,
			 errlen);
}

static int start_bird(struct state *st, struct tnode *n, const char *dir, char *err,
		      size_t errlen)
{
	char bin[600], log[700], sock[700];
	char *argv[] = { bin, (char *)(uintptr_t) "-f", (char *)(uintptr_t) "-c", n->config,
			 (char *)(uintptr_t) "-s", sock, NULL };
	struct ready r = { sock, NULL, 0 };

	if (!find_in_path("bird", bin, sizeof(bin))) {
		snprintf(err, errlen, "node %s: bird not found", n->name);
		return -1;
	}
	snprintf(log, sizeof(log), "%s/bird.log", dir);
	snprintf(sock, sizeof(sock), "%s/bird.ctl", dir);
	return start_one(st, n->name, n->netns, "bird", argv, NULL, n->name, log, &r, err, errlen);
}

int node_start(struct state *st, struct topo *t, struct tnode *n, char *err, size_t errlen)
{
	char dir[700];

	(void)t;
	snprintf(dir, sizeof(dir), "%s/%s", st->dir, n->name);
	if (n->kind != KIND_HOST && mkdir(dir, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	switch (n->kind) {
	case KIND_PED:
		/* the IGP first: its adjacencies form while ped starts */
		if (n->frr_config != NULL && start_frr(st, n, dir, n->frr_config, err, errlen) < 0)
			return -1;
		return start_ped(st, n, dir, err, errlen);
	case KIND_FRR: return start_frr(st, n, dir, n->config, err, errlen);
	case KIND_GOBGP: return start_gobgp(st, n, dir, err, errlen);
	case KIND_BIRD: return start_bird(st, n, dir, err, errlen);
	case KIND_HOST:
	case KIND_COUNT: break;
	}
	return 0;
}

/* ---- stopping ---- */

struct victim {
	pid_t pid;
	unsigned long long start;
};

/* Adds the live descendants of v[0..*n) (transitively) to v. */
static void add_descendants(struct victim **v, int *n)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	struct victim *all = NULL;
	pid_t *ppids = NULL;
	int na = 0, i, k;
	bool grew = true;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		unsigned long long st;
		char state;
		pid_t pid, pp;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		pid = (pid_t)atol(e->d_name);
		if (proc_info(pid, &state, &pp, &st) < 0 || state == 'Z')
			continue;
		all = xrealloc(all, sizeof(*all) * (size_t)(na + 1));
		ppids = xrealloc(ppids, sizeof(*ppids) * (size_t)(na + 1));
		all[na] = (struct victim){ pid, st };
		ppids[na++] = pp;
	}
	closedir(d);
	while (grew) {
		grew = false;
		for (i = 0; i < na; i++) {
			bool have = false, parent = false;

			for (k = 0; k < *n; k++) {
				if ((*v)[k].pid == all[i].pid)
					have = true;
				if ((*v)[k].pid == ppids[i] && all[i].start >= (*v)[k].start)
					parent = true;
			}
			if (!have && parent) {
				*v = xrealloc(*v, sizeof(**v) * (size_t)(*n + 1));
				(*v)[(*n)++] = all[i];
				grew = true;
			}
		}
	}
	free(all);
	free(ppids);
}

static int count_alive(struct victim *v, int n)
{
	int i, alive = 0, status;

	for (i = 0; i < n; i++) {
		(void)wait_child(v[i].pid, &status); /* reap our own children */
		if (proc_alive(v[i].pid, v[i].start))
			alive++;
	}
	return alive;
}

/* Stops every recorded daemon still alive (pid + start time), with the
 * processes it forked. Returns how many survived SIGKILL. */
int daemons_stop(json_object *daemons, int grace_ms)
{
	struct victim *v = NULL;
	int n = 0, roots, i, waited;
	size_t k, len = daemons ? json_object_array_length(daemons) : 0;

	for (k = len; k-- > 0;) {
		json_object *d = json_object_array_get_idx(daemons, k);
		pid_t pid = (pid_t)jint(d, "pid");
		unsigned long long start = (unsigned long long)jint(d, "startTime");

		if (proc_alive(pid, start)) {
			v = xrealloc(v, sizeof(*v) * (size_t)(n + 1));
			v[n++] = (struct victim){ pid, start };
		} else {
			int status;

			(void)wait_child(pid, &status);
		}
	}
	if (n == 0) {
		free(v);
		return 0;
	}
	roots = n;
	add_descendants(&v, &n);
	for (i = 0; i < roots; i++)
		if (proc_alive(v[i].pid, v[i].start))
			kill(v[i].pid, SIGTERM);
	for (waited = 0; waited < grace_ms && count_alive(v, n) > 0; waited += 50)
		usleep(50 * 1000);
	for (i = 0; i < n; i++)
		if (proc_alive(v[i].pid, v[i].start))
			kill(v[i].pid, SIGKILL);
	for (waited = 0; waited < 3000 && count_alive(v, n) > 0; waited += 50)
		usleep(50 * 1000);
	n = count_alive(v, n);
	free(v);
	return n;
}
