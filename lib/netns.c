/* Named network namespaces, kept the way iproute2 keeps them: an empty file
 * /run/netns/NAME with the namespace's nsfs inode bind-mounted on it, and
 * /run/netns itself a shared mount so that the bind mounts propagate into the
 * slave mount namespaces `ip netns exec` creates.
 *
 * ped usually runs under `ip netns exec NODE ped`, i.e. in a private slave
 * mount namespace. A bind mount made there would be invisible on the host
 * (mounts propagate master -> slave only), so every mount/umount is done by a
 * short-lived forked child that first joins the initial mount namespace:
 * /proc/1/ns/mnt when we may open it, else the mount namespace of the topmost
 * ancestor process we may open (pid 1 may be protected, e.g. in sandboxes),
 * else our own. The child never touches the parent's state; it reports back
 * over a socketpair (status, errno, message and, for netns_open's fallback, a
 * file descriptor passed with SCM_RIGHTS). Between fork and _exit the child
 * only uses system calls and snprintf: the parent may be multi-threaded. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/netns.h"

#define NETNS_RUN_DIR "/run/netns"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* How far up the process tree we look for the initial mount namespace. */
#define NETNS_MAX_ANCESTORS 64

static int self_fd = -1;

int netns_self(void)
{
	int fd, expected = -1;

	fd = __atomic_load_n(&self_fd, __ATOMIC_ACQUIRE);
	if (fd >= 0)
		return fd;
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_warn("open /proc/self/ns/net");
		return -1;
	}
	if (!__atomic_compare_exchange_n(&self_fd, &expected, fd, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		close(fd); /* another thread won the race */
		return expected;
	}
	return fd;
}

static bool netns_name_ok(const char *name)
{
	size_t len;

	if (name == NULL)
		return false;
	len = strlen(name);
	if (len == 0 || len >= NAME_MAX)
		return false;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	return strchr(name, '/') == NULL;
}

static bool fd_is_netns(int fd)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs) < 0)
		return false;
	return sfs.f_type == (typeof(sfs.f_type))NSFS_MAGIC ||
	       sfs.f_type == (typeof(sfs.f_type))PROC_SUPER_MAGIC;
}

/* ---- the forked helper ------------------------------------------------- */

struct ns_reply {
	int rc;
	int err;        /* errno */
	int err_in_msg; /* msg is complete, do not append strerror(err) */
	int created;    /* netns_create */
	char msg[384];
};

enum ns_op { NS_CREATE, NS_DELETE, NS_OPEN };

/* Reads the parent pid of pid from /proc/PID/stat; 0 when unknown. */
static pid_t proc_ppid(pid_t pid)
{
	char path[64], buf[512];
	const char *p;
	ssize_t n;
	long ppid;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may contain spaces and ')' */
	p = strrchr(buf, ')');
	if (p == NULL || p[1] != ' ' || p[2] == '\0' || p[3] != ' ')
		return 0;
	ppid = strtol(p + 4, NULL, 10);
	if (ppid <= 0 || ppid > INT_MAX)
		return 0;
	return (pid_t)ppid;
}

/* fd of the initial mount namespace, or -1 (then stay in our own). */
static int init_mntns_open(void)
{
	char path[64];
	pid_t pid;
	int fd, best = -1, i;

	fd = open("/proc/1/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	/* pid 1 is out of reach: take the topmost ancestor we can open. */
	pid = getppid();
	for (i = 0; i < NETNS_MAX_ANCESTORS && pid > 1; i++) {
		snprintf(path, sizeof(path), "/proc/%ld/ns/mnt", (long)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (best >= 0)
				close(best);
			best = fd;
		}
		pid = proc_ppid(pid);
	}
	return best;
}

/* In the child: join the initial mount namespace if we can and if it has the
 * same root directory as ours (else /run/netns would not be the same
 * directory for us and for it). Failure only means staying where we are. */
static void child_enter_init_mntns(void)
{
	struct stat before, after;
	int target, own;

	target = init_mntns_open();
	if (target < 0)
		return;
	own = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (own < 0 || stat("/", &before) < 0) {
		close(target);
		if (own >= 0)
			close(own);
		return;
	}
	if (setns(target, CLONE_NEWNS) == 0) {
		if (stat("/", &after) < 0 || after.st_dev != before.st_dev ||
		    after.st_ino != before.st_ino) {
			if (setns(own, CLONE_NEWNS) < 0)
				_exit(125); /* lost: the parent reports it */
		}
	}
	close(target);
	close(own);
}

/* The child only records what failed and errno; the parent appends
 * strerror() (not async-signal-safe: it may take locale locks). */
#define CHILD_FAIL(rep, e, ...)                                        \
	do {                                                           \
		(rep)->rc = -1;                                        \
		(rep)->err = (e);                                      \
		snprintf((rep)->msg, sizeof((rep)->msg), __VA_ARGS__); \
	} while (0)

/* iproute2's dance: make /run/netns a shared mount, bind-mounting it on
 * itself first if it is not a mount point yet. */
static int child_prepare_run_dir(struct ns_reply *rep)
{
	bool bound = false;

	if (mkdir("/run", 0755) < 0 && errno != EEXIST) {
		CHILD_FAIL(rep, errno, "mkdir /run");
		return -1;
	}
	if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST) {
		CHILD_FAIL(rep, errno, "mkdir %s", NETNS_RUN_DIR);
		return -1;
	}
	while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL || bound) {
			CHILD_FAIL(rep, errno, "mount --make-shared %s", NETNS_RUN_DIR);
			return -1;
		}
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0) {
			CHILD_FAIL(rep, errno, "mount --bind %s", NETNS_RUN_DIR);
			return -1;
		}
		bound = true;
	}
	return 0;
}

static bool path_is_netns(const char *path)
{
	bool ok;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ok = fd_is_netns(fd);
	close(fd);
	return ok;
}

static void child_bring_lo_up(void)
{
	struct ifreq ifr;
	int s;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		(void)ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

static void child_create(const char *path, struct ns_reply *rep)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	bool stale = false;
	int fd, i;

	if (child_prepare_run_dir(rep) < 0)
		return;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		if (errno != EEXIST) {
			CHILD_FAIL(rep, errno, "cannot create %s", path);
			return;
		}
		/* Exists: a namespace, one being created right now by someone
		 * else (wait a little), or a stale file left by a crash or a
		 * reboot with a persistent /run (take it over). */
		for (i = 0; i < 20; i++) {
			if (path_is_netns(path)) {
				rep->rc = 0;
				rep->created = 0;
				return;
			}
			nanosleep(&ts, NULL);
		}
		stale = true;
	} else {
		close(fd);
	}
	if (unshare(CLONE_NEWNET) < 0) {
		CHILD_FAIL(rep, errno, "unshare(CLONE_NEWNET)");
		goto fail;
	}
	if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0) {
		CHILD_FAIL(rep, errno, "bind mount on %s", path);
		goto fail;
	}
	child_bring_lo_up();
	rep->rc = 0;
	rep->created = 1;
	return;
fail:
	if (!stale)
		unlink(path);
}

static void child_delete(const char *path, struct ns_reply *rep)
{
	int i;

	/* Stacked mounts are possible (a stale file taken over): unmount all. */
	for (i = 0; i < 8; i++) {
		if (umount2(path, MNT_DETACH) < 0)
			break;
	}
	if (unlink(path) < 0) {
		if (errno == ENOENT) {
			CHILD_FAIL(rep, ENOENT, "no network namespace %s",
				   path + strlen(NETNS_RUN_DIR "/"));
			rep->err_in_msg = 1;
		} else
			CHILD_FAIL(rep, errno, "cannot remove %s", path);
		return;
	}
	rep->rc = 0;
}

static int child_open(const char *path, struct ns_reply *rep)
{
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		CHILD_FAIL(rep, errno, "open %s", path);
		return -1;
	}
	if (!fd_is_netns(fd)) {
		close(fd);
		CHILD_FAIL(rep, ENOENT, "%s is not a network namespace", path);
		rep->err_in_msg = 1;
		return -1;
	}
	rep->rc = 0;
	return fd;
}

static int send_reply(int sock, const struct ns_reply *rep, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)rep, .iov_len = sizeof(*rep) };
	struct msghdr msg;
	struct cmsghdr *cmsg;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == (ssize_t)sizeof(*rep) ? 0 : -1;
}

static ssize_t recv_reply(int sock, struct ns_reply *rep, int *fdp)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = rep, .iov_len = sizeof(*rep) };
	struct msghdr msg;
	struct cmsghdr *cmsg;
	ssize_t n;
	int fd;

	*fdp = -1;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof(u.buf);
	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS &&
		    cmsg->cmsg_len >= CMSG_LEN(sizeof(int))) {
			memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
			if (*fdp < 0)
				*fdp = fd;
			else
				close(fd);
		}
	}
	return n;
}

/* Runs op in a forked child inside the initial mount namespace. Returns the
 * child's rc (errno and err set on failure); *fdp receives NS_OPEN's fd. */
static int run_in_init_mntns(enum ns_op op, const char *name, int *created, int *fdp, char *err,
			     size_t errlen)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 1];
	struct ns_reply rep;
	int sv[2], status, fd = -1, saved;
	ssize_t n;
	pid_t pid, w;

	if (fdp != NULL)
		*fdp = -1;
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		saved = errno;
		snprintf(err, errlen, "socketpair: %s", strerror(saved));
		errno = saved;
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		saved = errno;
		close(sv[0]);
		close(sv[1]);
		snprintf(err, errlen, "fork: %s", strerror(saved));
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		memset(&rep, 0, sizeof(rep));
		child_enter_init_mntns();
		switch (op) {
		case NS_CREATE:
			child_create(path, &rep);
			break;
		case NS_DELETE:
			child_delete(path, &rep);
			break;
		case NS_OPEN:
			fd = child_open(path, &rep);
			break;
		}
		_exit(send_reply(sv[1], &rep, fd) == 0 ? 0 : 126);
	}
	close(sv[1]);
	memset(&rep, 0, sizeof(rep));
	n = recv_reply(sv[0], &rep, &fd);
	saved = errno;
	close(sv[0]);
	do {
		w = waitpid(pid, &status, 0);
	} while (w < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(rep)) {
		if (fd >= 0)
			close(fd);
		if (n < 0)
			snprintf(err, errlen, "namespace helper: %s", strerror(saved));
		else if (w == pid && WIFEXITED(status))
			snprintf(err, errlen, "namespace helper exited with %d",
				 WEXITSTATUS(status));
		else
			snprintf(err, errlen, "namespace helper died");
		errno = EIO;
		return -1;
	}
	rep.msg[sizeof(rep.msg) - 1] = '\0';
	if (rep.rc != 0) {
		if (fd >= 0)
			close(fd);
		if (rep.err_in_msg || rep.err == 0)
			snprintf(err, errlen, "%s", rep.msg);
		else
			snprintf(err, errlen, "%s: %s", rep.msg, strerror(rep.err));
		errno = rep.err ? rep.err : EIO;
		return -1;
	}
	if (created != NULL)
		*created = rep.created;
	if (fdp != NULL)
		*fdp = fd;
	else if (fd >= 0)
		close(fd);
	return 0;
}

/* ---- public API -------------------------------------------------------- */

int netns_open(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 1];
	char err[256];
	int fd, nfd;

	if (!netns_name_ok(name)) {
		errno = EINVAL;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fd_is_netns(fd))
		return fd;
	close(fd);
	/* The file is there but its bind mount is not visible in our mount
	 * namespace (made in a mount namespace that does not propagate to
	 * ours): open it from the initial one. */
	if (run_in_init_mntns(NS_OPEN, name, NULL, &nfd, err, sizeof(err)) < 0) {
		log_debug("netns %s: %s", name, err);
		errno = ENOENT;
		return -1;
	}
	return nfd;
}

int netns_create(const char *name, int *created, char *err, size_t errlen)
{
	int c = 0;

	if (created != NULL)
		*created = 0;
	if (!netns_name_ok(name)) {
		snprintf(err, errlen, "invalid namespace name");
		errno = EINVAL;
		return -1;
	}
	if (run_in_init_mntns(NS_CREATE, name, &c, NULL, err, errlen) < 0)
		return -1;
	if (created != NULL)
		*created = c;
	return 0;
}

int netns_delete(const char *name, char *err, size_t errlen)
{
	if (!netns_name_ok(name)) {
		snprintf(err, errlen, "invalid namespace name");
		errno = EINVAL;
		return -1;
	}
	return run_in_init_mntns(NS_DELETE, name, NULL, NULL, err, errlen);
}

/* The calling thread's current network namespace. */
static int thread_netns_open(void)
{
	char path[64];
	int fd;

	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	snprintf(path, sizeof(path), "/proc/self/task/%ld/ns/net", (long)syscall(SYS_gettid));
	return open(path, O_RDONLY | O_CLOEXEC);
}

int netns_socket(int nsfd, int domain, int type, int protocol)
{
	int orig, s, saved;

	if (nsfd < 0)
		return socket(domain, type, protocol);
	orig = thread_netns_open();
	if (orig < 0)
		return -1;
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		saved = errno;
		close(orig);
		errno = saved;
		return -1;
	}
	s = socket(domain, type, protocol);
	saved = errno;
	if (setns(orig, CLONE_NEWNET) < 0)
		fatal("cannot return to the original network namespace");
	close(orig);
	errno = saved;
	return s;
}
