/* Running things: short helper commands (ip, ped -C, vtysh) with their
 * output captured and their exit status checked, and long-running daemons
 * started inside a node's namespace.
 *
 * Helpers get their own process group, so a Ctrl-C at the terminal reaches
 * petopo only, which then tears down in order. Daemons get their own session
 * and are "gated": the forked child waits on a pipe until petopo has written
 * its pid and start time to the state file, and exits without exec'ing if
 * petopo dies first (EOF on the pipe). So no daemon runs unrecorded. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/netns.h"
#include "topologies/petopo.h"

bool netns_exists(const char *name)
{
	char path[300];
	struct stat sb;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return stat(path, &sb) == 0;
}

char *argv_join(char *const argv[])
{
	size_t len = 1, o = 0;
	char *s;
	int i;

	for (i = 0; argv[i] != NULL; i++)
		len += strlen(argv[i]) + 3;
	s = xmalloc(len);
	for (i = 0; argv[i] != NULL; i++) {
		bool q = argv[i][0] == '\0' || strpbrk(argv[i], " \t\"'") != NULL;

		o += (size_t)snprintf(s + o, len - o, "%s%s%s%s", i ? " " : "", q ? "'" : "",
				      argv[i], q ? "'" : "");
	}
	s[o] = '\0';
	return s;
}

/* Enters namespace ns (from /run/netns). With remount_sys, also what
 * `ip netns exec` does for programs that read /sys/class/net: a private
 * mount namespace with this namespace's sysfs (best effort), and on it the
 * bpffs that was at /sys/fs/bpf, the same instance, so that what ped pins
 * there outlives it (topo_bpffs.c). */
int enter_netns(const char *ns, bool remount_sys, char *err, size_t errlen)
{
	struct statvfs sv;
	unsigned long flags = 0;
	int fd, bpf;

	fd = netns_open(ns);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open namespace %s: %s", ns, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		snprintf(err, errlen, "cannot enter namespace %s: %s", ns, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (!remount_sys)
		return 0;
	if (unshare(CLONE_NEWNS) < 0)
		return 0;
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return 0;
	if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
		flags = MS_RDONLY;
	bpf = bpffs_hold();
	if (umount2("/sys", MNT_DETACH) == 0 && mount(ns, "/sys", "sysfs", flags, NULL) == 0)
		bpffs_attach(bpf);
	else if (bpf >= 0)
		close(bpf);
	return 0;
}

static void close_fds_from(int lowfd)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lowfd, ~0u, 0) == 0)
		return;
#endif
	for (int fd = lowfd; fd < 1024; fd++)
		close(fd);
}

/* In a child before exec: default signal dispositions, nothing blocked. */
static void child_signals(void)
{
	sigset_t none;
	int s;

	for (s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int run_argv(char *const argv[], const struct run_opts *o, char *err, size_t errlen)
{
	char *buf = NULL, *cmd;
	size_t len = 0, cap = 0;
	int p[2], status = 0, timeout_ms;
	struct timespec t0, t1;
	pid_t pid;
	bool killed = false;

	if (o->out != NULL)
		*o->out = NULL;
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		char e[300];
		int devnull = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		child_signals();
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		if (o->netns != NULL && enter_netns(o->netns, false, e, sizeof(e)) < 0) {
			dprintf(2, "%s\n", e);
			_exit(126);
		}
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	timeout_ms = (o->timeout_s > 0 ? o->timeout_s : 30) * 1000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		ssize_t n;
		long el;
		int r;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		el = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (el >= timeout_ms && !killed) {
			kill(pid, SIGKILL);
			killed = true;
		}
		r = poll(&pfd, 1, killed ? 1000 : (int)(timeout_ms - el));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		n = read(p[0], buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (buf == NULL)
		buf = xstrdup("");
	else
		buf[len] = '\0';
	if (o->out != NULL)
		*o->out = buf;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !killed) {
		if (o->out == NULL)
			free(buf);
		return 0;
	}
	cmd = argv_join(argv);
	{
		/* the first line of output usually says why */
		char *nl = strchr(buf, '\n');
		int l = nl ? (int)(nl - buf) : (int)strlen(buf);

		if (killed)
			snprintf(err, errlen, "`%s` timed out", cmd);
		else if (WIFSIGNALED(status))
			snprintf(err, errlen, "`%s` killed by signal %d", cmd, WTERMSIG(status));
		else if (l > 0)
			snprintf(err, errlen, "`%s` failed: %.*s", cmd, l, buf);
		else
			snprintf(err, errlen, "`%s` exited with %d", cmd, WEXITSTATUS(status));
	}
	free(cmd);
	if (o->out == NULL)
		free(buf);
	return -1;
}

int run_ip(char *err, size_t errlen, ...)
{
	char *argv[32];
	struct run_opts o = { 0 };
	va_list ap;
	int n = 0;

	argv[n++] = (char *)(uintptr_t) "ip";
	va_start(ap, errlen);
	while (n < 31 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	o.timeout_s = 15;
	return run_argv(argv, &o, err, errlen);
}

/* Writes val to /proc/sys/KEY (dots for slashes) inside namespace ns. */
int sysctl_netns(const char *ns, const char *key, const char *val, char *err, size_t errlen)
{
	char path[256], e[300];
	int p[2], status, fd;
	ssize_t n;
	size_t i;
	pid_t pid;

	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	for (i = strlen("/proc/sys/"); path[i]; i++)
		if (path[i] == '.')
			path[i] = '/';
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		if (enter_netns(ns, false, e, sizeof(e)) < 0) {
			dprintf(p[1], "%s", e);
			_exit(1);
		}
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val)) {
			dprintf(p[1], "cannot write %s in namespace %s: %s", path, ns,
				strerror(errno));
			_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], e, sizeof(e) - 1);
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	e[n > 0 ? n : 0] = '\0';
	snprintf(err, errlen, "%s", n > 0 ? e : "sysctl helper failed");
	return -1;
}

pid_t spawn_gated(const struct spawn *sp, int *gate)
{
	int g[2];
	pid_t pid;

	if (pipe2(g, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(g[0]);
		close(g[1]);
		return -1;
	}
	if (pid == 0) {
		char e[300], go;
		ssize_t r;
		int fd, i;

		close(g[1]);
		setsid();
		child_signals();
		go = 0;
		do {
			r = read(g[0], &go, 1);
		} while (r < 0 && errno == EINTR);
		if (r != 1 || go != 'g')
			_exit(127); /* petopo did not record us: do not run */
		fd = open(sp->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			dup2(fd, 0);
		if (enter_netns(sp->netns, true, e, sizeof(e)) < 0) {
			dprintf(2, "petopo: %s\n", e);
			_exit(127);
		}
		if (sp->hostname != NULL &&
		    (unshare(CLONE_NEWUTS) < 0 || sethostname(sp->hostname, strlen(sp->hostname)) < 0))
			dprintf(2, "petopo: cannot set hostname %s: %s\n", sp->hostname,
				strerror(errno));
		for (i = 0; sp->env_add != NULL && sp->env_add[i] != NULL; i++)
			putenv(sp->env_add[i]);
		close_fds_from(3);
		execvp(sp->argv[0], sp->argv);
		dprintf(2, "petopo: cannot run %s: %s\n", sp->argv[0], strerror(errno));
		_exit(127);
	}
	close(g[0]);
	*gate = g[1];
	return pid;
}

/* Lets the gated child exec (go) or makes it exit (!go, then reaped). */
int spawn_release(pid_t pid, int gate, bool go)
{
	int status;
	ssize_t n = 0;

	if (go)
		n = write(gate, "g", 1);
	close(gate);
	if (!go || n != 1) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		return -1;
	}
	return 0;
}

/* 1: the child exited (status set), 0: still running, -1: not our child. */
int wait_child(pid_t pid, int *status)
{
	pid_t r = waitpid(pid, status, WNOHANG);

	if (r == pid)
		return 1;
	return r == 0 ? 0 : -1;
}

/* The last lines of a file, malloc'd ("" if unreadable). */
char *file_tail(const char *path, int lines)
{
	char buf[8192], *s;
	ssize_t n;
	off_t size;
	int fd, seen = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xstrdup("");
	size = lseek(fd, 0, SEEK_END);
	if (size > (off_t)sizeof(buf) - 1)
		lseek(fd, size - (off_t)sizeof(buf) + 1, SEEK_SET);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return xstrdup("");
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	for (s = buf + n; s > buf; s--)
		if (s[-1] == '\n' && ++seen == lines)
			break;
	return xstrdup(s);
}
