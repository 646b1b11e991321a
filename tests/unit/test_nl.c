/* lib/netns.c and lib/nl.c against the real kernel (needs root): named
 * namespaces as iproute2 sees them, link moves, addresses, routes and their
 * notifications and dumps; plus nl_feed() with malformed messages.
 *
 * Every namespace is named PREFIX<pid>-x. Leftovers of dead runs are removed
 * at start; the unchecked fixture (run in the parent, even when a test fails
 * or crashes in its forked child) removes all of this run's namespaces. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <net/if.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "lib/log.h"
#include "lib/netns.h"
#include "lib/nl.h"
#include "lib/prefix.h"

#define PREFIX "pe-t-nl-"
#define NSFS_MAGIC_ 0x6e736673

static char run_prefix[64]; /* PREFIX<pid>- */

static const char *nsname(char *buf, size_t len, const char *suffix)
{
	snprintf(buf, len, "%s%s", run_prefix, suffix);
	return buf;
}

static bool ns_listed(const char *name)
{
	char line[512], first[256];
	bool found = false;
	FILE *fp;

	fp = popen("ip netns list 2>/dev/null", "r");
	if (fp == NULL)
		return false;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%255s", first) == 1 && strcmp(first, name) == 0)
			found = true;
	}
	pclose(fp);
	return found;
}

static int sh(const char *fmt, ...) PE_PRINTF(1, 2);
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Deletes our namespaces; with others_dead also those of dead runs. */
static void cleanup(bool others_dead)
{
	char err[256];
	struct dirent *de;
	DIR *d;
	long pid;

	d = opendir("/run/netns");
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, run_prefix, strlen(run_prefix)) != 0) {
			if (!others_dead || strncmp(de->d_name, PREFIX, strlen(PREFIX)) != 0)
				continue;
			pid = strtol(de->d_name + strlen(PREFIX), NULL, 10);
			if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM))
				continue; /* a run still going on */
		}
		if (netns_delete(de->d_name, err, sizeof(err)) < 0)
			fprintf(stderr, "cleanup %s: %s\n", de->d_name, err);
	}
	closedir(d);
}

static void unchecked_setup(void)
{
	cleanup(true);
}

static void unchecked_teardown(void)
{
	cleanup(false);
}

/* In fork mode a failing test exits before the checked teardown: the
 * checked setup cleans up after the test before it as well. */
static void checked_setup(void)
{
	cleanup(false);
}

static void checked_teardown(void)
{
	cleanup(false);
}

/* quiet the log in tests that make the parser complain on purpose */
static void quiet_setup(void)
{
	log_set_file("/dev/null");
}

/* Creates namespace PREFIX<pid>-suffix, returns its fd. */
static int mkns(const char *suffix)
{
	char name[128], err[256];
	int created = -1, fd;

	nsname(name, sizeof(name), suffix);
	ck_assert_msg(netns_create(name, &created, err, sizeof(err)) == 0, "create %s: %s", name,
		      err);
	ck_assert_int_eq(created, 1);
	fd = netns_open(name);
	ck_assert_msg(fd >= 0, "open %s: %s", name, strerror(errno));
	return fd;
}

static ino_t fd_ino(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return st.st_ino;
}

static ino_t thread_ns_ino(void)
{
	struct stat st;

	ck_assert_int_eq(stat("/proc/thread-self/ns/net", &st), 0);
	return st.st_ino;
}

static bool fd_is_nsfs(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == NSFS_MAGIC_;
}

/* ---- event recorder ---------------------------------------------------- */

#define MAXEV 512

struct ev {
	char kind; /* 'l' link, 'a' addr, 'r' route, 'n' neighbor */
	bool add;
	struct nl_link l;
	struct nl_addr a;
	struct nl_route r;
	struct nl_neigh nb;
};

struct rec {
	struct ev ev[MAXEV];
	int n;
	int dropped;
	int resync_begin, resync_end;
};

static struct ev *rec_next(struct rec *rc)
{
	if (rc->n >= MAXEV) {
		rc->dropped++;
		return NULL;
	}
	memset(&rc->ev[rc->n], 0, sizeof(rc->ev[0]));
	return &rc->ev[rc->n++];
}

static void cb_link(void *arg, bool add, const struct nl_link *l)
{
	struct ev *e = rec_next(arg);

	if (e != NULL) {
		e->kind = 'l';
		e->add = add;
		e->l = *l;
	}
}

static void cb_addr(void *arg, bool add, const struct nl_addr *a)
{
	struct ev *e = rec_next(arg);

	if (e != NULL) {
		e->kind = 'a';
		e->add = add;
		e->a = *a;
	}
}

static void cb_route(void *arg, bool add, const struct nl_route *r)
{
	struct ev *e = rec_next(arg);

	if (e != NULL) {
		e->kind = 'r';
		e->add = add;
		e->r = *r;
	}
}

static void cb_resync(void *arg, bool end)
{
	struct rec *rc = arg;

	if (end)
		rc->resync_end++;
	else
		rc->resync_begin++;
}

static const struct nl_cbs rec_cbs = {
	.link = cb_link,
	.addr = cb_addr,
	.route = cb_route,
	.resync = cb_resync,
};

static void cb_neigh(void *arg, bool add, const struct nl_neigh *n)
{
	struct ev *e = rec_next(arg);

	if (e != NULL) {
		e->kind = 'n';
		e->add = add;
		e->nb = *n;
	}
}

/* the same with neighbors: subscribes to and dumps them too */
static const struct nl_cbs neigh_cbs = {
	.link = cb_link,
	.addr = cb_addr,
	.route = cb_route,
	.neigh = cb_neigh,
	.resync = cb_resync,
};

typedef bool (*ev_pred)(const struct ev *e, const void *want);

static const struct ev *rec_find(const struct rec *rc, ev_pred pred, const void *want)
{
	int i;

	for (i = rc->n - 1; i >= 0; i--)
		if (pred(&rc->ev[i], want))
			return &rc->ev[i];
	return NULL;
}

/* Dispatches nl until pred matches a recorded event or 3 s pass. */
static const struct ev *wait_ev(struct nl_sock *nl, struct rec *rc, ev_pred pred, const void *want)
{
	struct timespec start, now;
	struct pollfd pfd = { .fd = nl_fd(nl), .events = POLLIN };
	const struct ev *e;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		ck_assert_int_eq(nl_dispatch(nl), 0);
		e = rec_find(rc, pred, want);
		if (e != NULL)
			return e;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >
		    3000)
			return NULL;
		(void)poll(&pfd, 1, 100);
	}
}

struct want_link {
	const char *name;
	bool add;
	int up; /* -1: don't care */
};

static bool pred_link(const struct ev *e, const void *w)
{
	const struct want_link *wl = w;

	return e->kind == 'l' && e->add == wl->add && strcmp(e->l.name, wl->name) == 0 &&
	       (wl->up < 0 || e->l.up == (wl->up != 0));
}

struct want_addr {
	int ifindex;
	const char *pfx;
	bool add;
};

static bool pred_addr(const struct ev *e, const void *w)
{
	const struct want_addr *wa = w;
	char buf[PREFIX_STRLEN];

	return e->kind == 'a' && e->add == wa->add && e->a.ifindex == wa->ifindex &&
	       strcmp(prefix_ntop(&e->a.pfx, buf, sizeof(buf)), wa->pfx) == 0;
}

struct want_route {
	const char *dst;
	bool add;
	int nh_count; /* -1: don't care */
};

static bool pred_route(const struct ev *e, const void *w)
{
	const struct want_route *wr = w;
	char buf[PREFIX_STRLEN];

	return e->kind == 'r' && e->add == wr->add && e->r.table == RT_TABLE_MAIN &&
	       strcmp(prefix_ntop(&e->r.dst, buf, sizeof(buf)), wr->dst) == 0 &&
	       (wr->nh_count < 0 || e->r.nh_count == wr->nh_count);
}

static uint32_t ip(const char *s)
{
	uint32_t a = 0;

	ck_assert_int_eq(addr4_parse(s, &a), 0);
	return a;
}

/* either family, by syntax */
static struct ipaddr ipa(const char *s)
{
	struct ipaddr a;

	ck_assert_msg(ipaddr_parse(s, &a) == 0, "bad address %s", s);
	return a;
}

/* a (an expression of type struct ipaddr) is the address s */
#define ck_assert_ip_eq(a, s)                                                          \
	do {                                                                           \
		struct ipaddr got_ = (a), want_ = ipa(s);                              \
		char gb_[IPADDR_STRLEN];                                               \
                                                                                       \
		ck_assert_msg(ipaddr_equal(&got_, &want_), "address '%s', expected %s", \
			      ipaddr_ntop(&got_, gb_, sizeof(gb_)), (s));              \
	} while (0)

static bool ip_is(const struct ipaddr *a, const char *s)
{
	struct ipaddr want = ipa(s);

	return ipaddr_equal(a, &want);
}

/* an interface address: host bits kept */
static struct prefix ifaddr(const char *s, uint8_t len)
{
	struct ipaddr a = ipa(s);
	struct prefix p = prefix_host(&a);

	p.len = len;
	return p;
}

static struct prefix pfx(const char *s)
{
	struct prefix p;
	bool host;

	ck_assert_int_eq(prefix_parse(s, &p, &host), 0);
	return p;
}

/* ---- netns ------------------------------------------------------------- */

START_TEST(test_netns_lifecycle)
{
	char name[128], err[256];
	struct rec *rc = calloc(1, sizeof(*rc));
	struct want_link wl = { "lo", true, 1 };
	struct nl_sock *nl;
	int fd, fd2, created = -1;

	nsname(name, sizeof(name), "a");
	ck_assert(!ns_listed(name));
	ck_assert_int_lt(netns_open(name), 0);
	ck_assert_int_eq(errno, ENOENT);

	fd = mkns("a");
	ck_assert(fd_is_nsfs(fd));
	ck_assert(ns_listed(name));
	ck_assert_int_eq(sh("ip netns exec %s true", name), 0);
	ck_assert_int_ne(fd_ino(fd), fd_ino(netns_self()));

	/* exists: 0 and created = 0, same namespace */
	ck_assert_int_eq(netns_create(name, &created, err, sizeof(err)), 0);
	ck_assert_int_eq(created, 0);
	fd2 = netns_open(name);
	ck_assert_int_eq(fd_ino(fd2), fd_ino(fd));
	close(fd2);

	/* lo is up inside, and only lo is there */
	ck_assert_int_eq(nl_ifindex(fd, "lo"), 1);
	nl = nl_listen(fd, &rec_cbs, rc);
	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq(nl_dump(nl), 0);
	ck_assert_ptr_nonnull(rec_find(rc, pred_link, &wl));
	ck_assert_int_eq(rc->resync_begin, 1);
	ck_assert_int_eq(rc->resync_end, 1);
	nl_close(nl);

	/* bad names */
	ck_assert_int_lt(netns_create("", NULL, err, sizeof(err)), 0);
	ck_assert_int_lt(netns_create("a/b", NULL, err, sizeof(err)), 0);
	ck_assert_int_lt(netns_create("..", NULL, err, sizeof(err)), 0);

	ck_assert_msg(netns_delete(name, err, sizeof(err)) == 0, "delete: %s", err);
	ck_assert(!ns_listed(name));
	ck_assert_int_lt(netns_open(name), 0);
	ck_assert_int_lt(netns_delete(name, err, sizeof(err)), 0);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_nonnull(strstr(err, name));
	close(fd);
	free(rc);
}
END_TEST

START_TEST(test_netns_socket)
{
	ino_t before = thread_ns_ino();
	int fd, s, nsfd, junk;

	fd = mkns("a");
	s = netns_socket(fd, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(thread_ns_ino(), before);
	nsfd = ioctl(s, SIOCGSKNS);
	ck_assert_int_ge(nsfd, 0);
	ck_assert_int_eq(fd_ino(nsfd), fd_ino(fd));
	close(nsfd);
	close(s);

	/* -1: the current namespace */
	s = netns_socket(-1, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(s, 0);
	nsfd = ioctl(s, SIOCGSKNS);
	ck_assert_int_eq(fd_ino(nsfd), before);
	close(nsfd);
	close(s);

	/* errors leave the thread where it was: not a namespace fd ... */
	junk = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_lt(netns_socket(junk, AF_INET, SOCK_DGRAM, 0), 0);
	ck_assert_int_eq(thread_ns_ino(), before);
	close(junk);
	/* ... and a failing socket() inside */
	ck_assert_int_lt(netns_socket(fd, 12345, SOCK_DGRAM, 0), 0);
	ck_assert_int_eq(errno, EAFNOSUPPORT);
	ck_assert_int_eq(thread_ns_ino(), before);
	close(fd);
}
END_TEST

/* ped under `ip netns exec`: a slave mount namespace. The namespace must be
 * made in the initial mount namespace so that the host sees it. */
START_TEST(test_netns_create_from_slave_mntns)
{
	char name[128], err[256], line[1024], mp[160];
	bool mounted = false;
	int status, fd, created = -1;
	FILE *fp;
	pid_t pid;

	/* a first namespace so that /run/netns is a shared mount already, as
	 * it is whenever `ip netns exec NODE` could run */
	close(mkns("a"));
	nsname(name, sizeof(name), "slave");
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
			_exit(2);
		if (netns_create(name, &created, err, sizeof(err)) < 0 || created != 1) {
			fprintf(stderr, "child: %s\n", err);
			_exit(3);
		}
		fd = netns_open(name); /* propagated back into our slave */
		if (fd < 0 || !fd_is_nsfs(fd) || setns(fd, CLONE_NEWNET) < 0)
			_exit(4);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);

	/* visible on the host: listed, mounted here, usable */
	ck_assert(ns_listed(name));
	snprintf(mp, sizeof(mp), " /run/netns/%s ", name);
	fp = fopen("/proc/self/mountinfo", "r");
	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strstr(line, mp) != NULL)
			mounted = true;
	fclose(fp);
	ck_assert_msg(mounted, "no mount on /run/netns/%s in the host mount namespace", name);
	fd = netns_open(name);
	ck_assert_int_ge(fd, 0);
	ck_assert(fd_is_nsfs(fd));
	close(fd);
	ck_assert_int_eq(sh("ip netns exec %s ip link show lo | grep -q UP", name), 0);

	/* delete from a slave as well */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
			_exit(2);
		_exit(netns_delete(name, err, sizeof(err)) == 0 ? 0 : 3);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	ck_assert(!ns_listed(name));
}
END_TEST

/* A mount namespace that sees the file /run/netns/NAME but not the bind
 * mount on it: netns_open falls back to the initial mount namespace. */
START_TEST(test_netns_open_unpropagated)
{
	char name[128], path[192];
	int status, fd;
	pid_t pid;

	close(mkns("d"));
	nsname(name, sizeof(name), "d");
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    umount2("/run/netns", MNT_DETACH) < 0)
			_exit(2);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fd_is_nsfs(fd))
			_exit(3); /* precondition: a plain file here */
		close(fd);
		fd = netns_open(name);
		if (fd < 0 || !fd_is_nsfs(fd) || setns(fd, CLONE_NEWNET) < 0)
			_exit(4);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
}
END_TEST

/* ---- links ------------------------------------------------------------- */

START_TEST(test_link_move)
{
	char a[128], b[128], err[256];
	struct rec *rc = calloc(1, sizeof(*rc));
	struct want_link gone = { "va", false, -1 }, back = { "va", true, -1 };
	struct want_link up = { "va", true, 1 };
	const struct ev *e;
	struct nl_sock *nl;
	int fa, fb;

	fa = mkns("a");
	fb = mkns("b");
	nsname(a, sizeof(a), "a");
	ck_assert_int_eq(sh("ip -n %s link add va type veth peer name vb", a), 0);
	ck_assert_int_gt(nl_ifindex(fa, "va"), 0);
	ck_assert_int_lt(nl_ifindex(fb, "va"), 0);

	nl = nl_listen(fa, &rec_cbs, rc);
	ck_assert_ptr_nonnull(nl);

	ck_assert_msg(nl_link_move(fa, "va", fb, err, sizeof(err)) == 0, "move: %s", err);
	ck_assert_int_lt(nl_ifindex(fa, "va"), 0);
	ck_assert_int_gt(nl_ifindex(fb, "va"), 0);
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_link, &gone));

	ck_assert_msg(nl_link_move(fb, "va", fa, err, sizeof(err)) == 0, "move back: %s", err);
	ck_assert_int_gt(nl_ifindex(fa, "va"), 0);
	e = wait_ev(nl, rc, pred_link, &back);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->l.kind, "veth");
	ck_assert_int_eq(e->l.ifindex, nl_ifindex(fa, "va"));
	ck_assert(e->l.mtu == 1500);

	ck_assert_msg(nl_link_set_up(fa, "va", true, err, sizeof(err)) == 0, "up: %s", err);
	e = wait_ev(nl, rc, pred_link, &up);
	ck_assert_ptr_nonnull(e);
	ck_assert(e->l.flags & IFF_UP);

	/* errors */
	err[0] = '\0';
	ck_assert_int_eq(nl_link_move(fa, "nope0", fb, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "nope0") != NULL, "message: '%s'", err);
	err[0] = '\0';
	ck_assert_int_eq(nl_link_set_up(fa, "nope0", true, err, sizeof(err)), -1);
	ck_assert(err[0] != '\0');
	ck_assert_int_eq(nl_link_move(fa, "a-name-much-too-long", fb, err, sizeof(err)), -1);
	ck_assert_int_lt(nl_ifindex(fa, ""), 0);
	/* moving into a namespace that has the name already */
	nsname(b, sizeof(b), "b");
	ck_assert_int_eq(sh("ip -n %s link add va type veth peer name vx", b), 0);
	err[0] = '\0';
	ck_assert_int_eq(nl_link_move(fa, "va", fb, err, sizeof(err)), -1);
	ck_assert(err[0] != '\0');
	ck_assert_int_gt(nl_ifindex(fa, "va"), 0);
	nl_close(nl);
	close(fa);
	close(fb);
	free(rc);
}
END_TEST

/* ---- addresses --------------------------------------------------------- */

START_TEST(test_addr)
{
	char a[128], err[256];
	struct rec *rc = calloc(1, sizeof(*rc));
	struct prefix p = ifaddr("10.11.12.1", 24);
	struct want_addr wadd, wdel;
	struct nl_sock *nl;
	int fa, idx;

	fa = mkns("a");
	nsname(a, sizeof(a), "a");
	ck_assert_int_eq(sh("ip -n %s link add va type veth peer name vb", a), 0);
	idx = nl_ifindex(fa, "va");
	ck_assert_int_gt(idx, 0);
	wadd = (struct want_addr){ idx, "10.11.12.1/24", true };
	wdel = (struct want_addr){ idx, "10.11.12.1/24", false };

	nl = nl_listen(fa, &rec_cbs, rc);
	ck_assert_ptr_nonnull(nl);
	ck_assert_msg(nl_addr_change(fa, true, "va", &p, err, sizeof(err)) == 0, "add: %s", err);
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_addr, &wadd));
	ck_assert_int_eq(sh("ip -n %s -4 addr show dev va | grep -q 'inet 10.11.12.1/24 brd "
			    "10.11.12.255'",
			    a),
			 0);

	/* duplicate */
	ck_assert_int_eq(nl_addr_change(fa, true, "va", &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "address already present");

	/* the dump has it too */
	rc->n = 0;
	ck_assert_int_eq(nl_dump(nl), 0);
	ck_assert_ptr_nonnull(rec_find(rc, pred_addr, &wadd));

	ck_assert_msg(nl_addr_change(fa, false, "va", &p, err, sizeof(err)) == 0, "del: %s", err);
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_addr, &wdel));
	ck_assert_int_eq(nl_addr_change(fa, false, "va", &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "address not present");

	/* /32 (no broadcast) and a bad interface */
	p = ifaddr("10.99.0.1", 32);
	ck_assert_msg(nl_addr_change(fa, true, "va", &p, err, sizeof(err)) == 0, "add: %s", err);
	ck_assert_int_eq(nl_addr_change(fa, true, "nope0", &p, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "nope0"));
	nl_close(nl);
	close(fa);
	free(rc);
}
END_TEST

/* ---- neighbors --------------------------------------------------------- */

struct want_neigh {
	int ifindex;
	struct ipaddr ip;
	const uint8_t *mac;
};

static bool pred_neigh(const struct ev *e, const void *w)
{
	const struct want_neigh *wn = w;

	return e->kind == 'n' && e->add && e->nb.ifindex == wn->ifindex &&
	       ipaddr_equal(&e->nb.ip, &wn->ip) && e->nb.has_mac &&
	       memcmp(e->nb.mac, wn->mac, 6) == 0;
}

/* nl_neigh_resolve() makes the kernel ARP for a missing entry; the listener
 * sees the entry appear with the peer's MAC, and the dump reports it. */
START_TEST(test_neigh_resolve)
{
	char a[128], b[128], err[256];
	struct rec *rc = calloc(1, sizeof(*rc));
	struct prefix pa = ifaddr("10.31.0.1", 24), pb = ifaddr("10.31.0.2", 24);
	struct want_neigh w;
	struct ipaddr nb_ip;
	struct nl_link lb;
	struct nl_sock *nl;
	int fa, fb, idx, idxb;
	const struct ev *e;

	fa = mkns("a");
	fb = mkns("b");
	nsname(a, sizeof(a), "a");
	nsname(b, sizeof(b), "b");
	ck_assert_int_eq(sh("ip -n %s link add va type veth peer name vb netns %s", a, b), 0);
	ck_assert_int_eq(nl_addr_change(fa, true, "va", &pa, err, sizeof(err)), 0);
	ck_assert_int_eq(nl_addr_change(fb, true, "vb", &pb, err, sizeof(err)), 0);
	ck_assert_int_eq(nl_link_set_up(fa, "va", true, err, sizeof(err)), 0);
	ck_assert_int_eq(nl_link_set_up(fb, "vb", true, err, sizeof(err)), 0);
	idx = nl_ifindex(fa, "va");
	idxb = nl_ifindex(fb, "vb");
	ck_assert_int_gt(idxb, 0);

	/* vb's MAC, from a dump of namespace b */
	{
		struct nl_sock *nb = nl_listen(fb, &rec_cbs, rc);

		ck_assert_ptr_nonnull(nb);
		ck_assert_int_eq(nl_dump(nb), 0);
		for (int i = 0; i < rc->n; i++)
			if (rc->ev[i].kind == 'l' && rc->ev[i].l.ifindex == idxb)
				lb = rc->ev[i].l;
		nl_close(nb);
		rc->n = 0;
	}

	nl = nl_listen(fa, &neigh_cbs, rc);
	ck_assert_ptr_nonnull(nl);
	nb_ip = ipaddr_v4(0);
	ck_assert_int_eq(nl_neigh_resolve(fa, idx, &nb_ip, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "invalid neighbor");
	nb_ip = ipa("10.31.0.2");
	ck_assert_int_eq(nl_neigh_resolve(fa, 0, &nb_ip, err, sizeof(err)), -1);
	ck_assert_msg(nl_neigh_resolve(fa, idx, &nb_ip, err, sizeof(err)) == 0, "%s", err);
	w = (struct want_neigh){ idx, ipa("10.31.0.2"), lb.mac };
	e = wait_ev(nl, rc, pred_neigh, &w);
	ck_assert_ptr_nonnull(e);
	ck_assert(e->nb.state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE));
	ck_assert_int_eq(sh("ip -n %s neigh show 10.31.0.2 dev va | grep -q lladdr", a), 0);

	/* the dump has it too */
	rc->n = 0;
	ck_assert_int_eq(nl_dump(nl), 0);
	ck_assert_ptr_nonnull(rec_find(rc, pred_neigh, &w));

	/* nobody answers for .9: the kernel still tries (an entry without a
	 * MAC; it notifies only when that fails, seconds later) */
	nb_ip = ipa("10.31.0.9");
	ck_assert_int_eq(nl_neigh_resolve(fa, idx, &nb_ip, err, sizeof(err)), 0);
	ck_assert_int_eq(sh("ip -n %s neigh show 10.31.0.9 dev va | grep -Eq 'INCOMPLETE|FAILED'", a),
			 0);
	nl_close(nl);
	close(fa);
	close(fb);
	free(rc);
}
END_TEST

/* ---- routes ------------------------------------------------------------ */

struct route_set {
	bool single, ecmp, blackhole, many;
	int nh_many;
};

static void check_dump(const struct rec *rc, struct route_set *rs, int idx)
{
	char buf[PREFIX_STRLEN];
	int i;

	memset(rs, 0, sizeof(*rs));
	for (i = 0; i < rc->n; i++) {
		const struct nl_route *r = &rc->ev[i].r;

		if (rc->ev[i].kind != 'r' || r->table != RT_TABLE_MAIN)
			continue;
		prefix_ntop(&r->dst, buf, sizeof(buf));
		if (strcmp(buf, "10.20.0.0/16") == 0 && r->nh_count == 1 &&
		    ip_is(&r->nh[0].gw, "10.11.12.2") && r->nh[0].ifindex == idx &&
		    r->protocol == RTPROT_STATIC && r->type == RTN_UNICAST)
			rs->single = true;
		if (strcmp(buf, "10.21.0.0/16") == 0 && r->nh_count == 2 &&
		    ip_is(&r->nh[0].gw, "10.11.12.2") && ip_is(&r->nh[1].gw, "10.11.12.3") &&
		    r->nh[0].ifindex == idx && r->nh[1].ifindex == idx && r->metric == 20)
			rs->ecmp = true;
		if (strcmp(buf, "10.22.0.0/16") == 0 && r->nh_count == 0 &&
		    r->type == RTN_BLACKHOLE)
			rs->blackhole = true;
		if (strcmp(buf, "10.23.0.0/16") == 0) {
			rs->many = true;
			rs->nh_many = r->nh_count;
		}
	}
}

START_TEST(test_routes)
{
	char a[128], b[128], err[256];
	struct rec *rc = calloc(1, sizeof(*rc));
	struct nl_route r1, r2, r3;
	struct want_route w;
	struct route_set rs;
	const struct ev *e;
	struct nl_sock *nl;
	struct prefix p = ifaddr("10.11.12.1", 24);
	int fa, idx, i;

	fa = mkns("a");
	close(mkns("b"));
	nsname(a, sizeof(a), "a");
	nsname(b, sizeof(b), "b");
	ck_assert_int_eq(sh("ip -n %s link add va type veth peer name vb netns %s", a, b), 0);
	ck_assert_int_eq(nl_addr_change(fa, true, "va", &p, err, sizeof(err)), 0);
	ck_assert_int_eq(nl_link_set_up(fa, "va", true, err, sizeof(err)), 0);
	idx = nl_ifindex(fa, "va");

	nl = nl_listen(fa, &rec_cbs, rc);
	ck_assert_ptr_nonnull(nl);

	memset(&r1, 0, sizeof(r1));
	r1.dst = pfx("10.20.0.0/16");
	r1.protocol = RTPROT_STATIC;
	r1.nh_count = 1;
	r1.nh[0].gw = ipa("10.11.12.2");
	r1.nh[0].ifindex = idx;
	ck_assert_msg(nl_route_change(fa, true, &r1, err, sizeof(err)) == 0, "single: %s", err);
	w = (struct want_route){ "10.20.0.0/16", true, 1 };
	e = wait_ev(nl, rc, pred_route, &w);
	ck_assert_ptr_nonnull(e);
	ck_assert_ip_eq(e->r.nh[0].gw, "10.11.12.2");
	ck_assert_int_eq(e->r.nh[0].ifindex, idx);
	ck_assert_uint_eq(e->r.protocol, RTPROT_STATIC);

	memset(&r2, 0, sizeof(r2));
	r2.dst = pfx("10.21.0.0/16");
	r2.protocol = RTPROT_STATIC;
	r2.metric = 20;
	r2.nh_count = 2;
	r2.nh[0].gw = ipa("10.11.12.2");
	r2.nh[0].ifindex = idx;
	r2.nh[1].gw = ipa("10.11.12.3");
	r2.nh[1].ifindex = idx;
	ck_assert_msg(nl_route_change(fa, true, &r2, err, sizeof(err)) == 0, "ecmp: %s", err);
	w = (struct want_route){ "10.21.0.0/16", true, 2 };
	e = wait_ev(nl, rc, pred_route, &w);
	ck_assert_ptr_nonnull(e);
	ck_assert_ip_eq(e->r.nh[1].gw, "10.11.12.3");
	ck_assert_uint_eq(e->r.metric, 20);

	memset(&r3, 0, sizeof(r3));
	r3.dst = pfx("10.22.0.0/16");
	r3.protocol = RTPROT_STATIC;
	ck_assert_msg(nl_route_change(fa, true, &r3, err, sizeof(err)) == 0, "blackhole: %s", err);
	w = (struct want_route){ "10.22.0.0/16", true, 0 };
	e = wait_ev(nl, rc, pred_route, &w);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->r.type, RTN_BLACKHOLE);

	/* more next hops than NL_MAX_NEXTHOPS, added by ip(8): bounded */
	{
		char cmd[2048];
		size_t off;

		off = (size_t)snprintf(cmd, sizeof(cmd), "ip -n %s route add 10.23.0.0/16", a);
		for (i = 0; i < NL_MAX_NEXTHOPS + 4; i++)
			off += (size_t)snprintf(cmd + off, sizeof(cmd) - off,
						" nexthop via 10.11.12.%d dev va", 10 + i);
		ck_assert_int_eq(sh("%s", cmd), 0);
	}
	w = (struct want_route){ "10.23.0.0/16", true, NL_MAX_NEXTHOPS };
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_route, &w));

	/* the dump sees all of it */
	rc->n = 0;
	ck_assert_int_eq(nl_dump(nl), 0);
	check_dump(rc, &rs, idx);
	ck_assert(rs.single && rs.ecmp && rs.blackhole && rs.many);
	ck_assert_int_eq(rs.nh_many, NL_MAX_NEXTHOPS);

	/* replace: same prefix, new gateway */
	r1.nh[0].gw = ipa("10.11.12.4");
	ck_assert_msg(nl_route_change(fa, true, &r1, err, sizeof(err)) == 0, "replace: %s", err);
	ck_assert_int_eq(sh("test $(ip -n %s route show 10.20.0.0/16 | wc -l) = 1 && "
			    "ip -n %s route show 10.20.0.0/16 | grep -q 'via 10.11.12.4'",
			    a, a),
			 0);

	/* deletes */
	rc->n = 0;
	ck_assert_msg(nl_route_change(fa, false, &r1, err, sizeof(err)) == 0, "del: %s", err);
	ck_assert_msg(nl_route_change(fa, false, &r2, err, sizeof(err)) == 0, "del: %s", err);
	ck_assert_msg(nl_route_change(fa, false, &r3, err, sizeof(err)) == 0, "del: %s", err);
	w = (struct want_route){ "10.20.0.0/16", false, -1 };
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_route, &w));
	w = (struct want_route){ "10.21.0.0/16", false, 2 };
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_route, &w));
	w = (struct want_route){ "10.22.0.0/16", false, 0 };
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_route, &w));
	rc->n = 0;
	ck_assert_int_eq(nl_dump(nl), 0);
	check_dump(rc, &rs, idx);
	ck_assert(!rs.single && !rs.ecmp && !rs.blackhole && rs.many);

	/* errors */
	ck_assert_int_eq(nl_route_change(fa, false, &r1, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "no such route");
	r1.nh[0].gw = ipa("192.0.2.1"); /* not on any link */
	ck_assert_int_eq(nl_route_change(fa, true, &r1, err, sizeof(err)), -1);
	ck_assert_msg(err[0] != '\0', "empty kernel reason");
	r1.nh_count = NL_MAX_NEXTHOPS + 1;
	ck_assert_int_eq(nl_route_change(fa, true, &r1, err, sizeof(err)), -1);
	r1.nh_count = 1;
	memset(&r1.nh[0].gw, 0, sizeof(r1.nh[0].gw));
	r1.nh[0].ifindex = 0;
	ck_assert_int_eq(nl_route_change(fa, true, &r1, err, sizeof(err)), -1);
	nl_close(nl);
	close(fa);
	free(rc);
}
END_TEST

/* ---- IPv6 against the kernel ------------------------------------------- */

/* nl_addr_change, nl_route_change and nl_neigh_resolve with IPv6, seen by
 * the listener (notifications) and by nl_dump(). DAD is off so that the
 * addresses are usable at once. */
START_TEST(test_v6_kernel)
{
	char a[128], b[128], err[256];
	struct rec *rc = calloc(1, sizeof(*rc));
	struct prefix p = ifaddr("2001:db8:31::1", 64), pb = ifaddr("2001:db8:31::2", 64);
	struct prefix ll = ifaddr("fe80::31:1", 64);
	struct want_addr wadd, wll, wdel;
	struct want_route w;
	struct want_neigh wn;
	struct nl_route r1, r2, r3, r4;
	struct nl_link lb;
	struct ipaddr nb_ip;
	struct nl_sock *nl;
	const struct ev *e;
	int fa, fb, idx, idxb, i;

	fa = mkns("a");
	fb = mkns("b");
	nsname(a, sizeof(a), "a");
	nsname(b, sizeof(b), "b");
	ck_assert_int_eq(sh("ip -n %s link add va type veth peer name vb netns %s", a, b), 0);
	ck_assert_int_eq(sh("ip netns exec %s sysctl -qw net.ipv6.conf.va.accept_dad=0", a), 0);
	ck_assert_int_eq(sh("ip netns exec %s sysctl -qw net.ipv6.conf.vb.accept_dad=0", b), 0);
	idx = nl_ifindex(fa, "va");
	idxb = nl_ifindex(fb, "vb");
	ck_assert_int_gt(idx, 0);
	ck_assert_int_gt(idxb, 0);
	wadd = (struct want_addr){ idx, "2001:db8:31::1/64", true };
	wll = (struct want_addr){ idx, "fe80::31:1/64", true };
	wdel = (struct want_addr){ idx, "2001:db8:31::1/64", false };

	nl = nl_listen(fa, &neigh_cbs, rc);
	ck_assert_ptr_nonnull(nl);

	/* addresses */
	ck_assert_msg(nl_addr_change(fa, true, "va", &p, err, sizeof(err)) == 0, "add: %s", err);
	e = wait_ev(nl, rc, pred_addr, &wadd);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->a.pfx.af, AF_INET6);
	ck_assert_int_eq(sh("ip -n %s -6 addr show dev va | grep -q 'inet6 2001:db8:31::1/64 scope "
			    "global'",
			    a),
			 0);
	ck_assert_int_eq(nl_addr_change(fa, true, "va", &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "address already present");
	ck_assert_msg(nl_addr_change(fa, true, "va", &ll, err, sizeof(err)) == 0, "add: %s", err);
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_addr, &wll));
	ck_assert_int_eq(sh("ip -n %s -6 addr show dev va | "
			    "grep -q 'inet6 fe80::31:1/64 scope link'",
			    a),
			 0);
	rc->n = 0;
	ck_assert_int_eq(nl_dump(nl), 0);
	ck_assert_ptr_nonnull(rec_find(rc, pred_addr, &wadd));
	ck_assert_ptr_nonnull(rec_find(rc, pred_addr, &wll));

	ck_assert_int_eq(nl_addr_change(fb, true, "vb", &pb, err, sizeof(err)), 0);
	ck_assert_int_eq(nl_link_set_up(fa, "va", true, err, sizeof(err)), 0);
	ck_assert_int_eq(nl_link_set_up(fb, "vb", true, err, sizeof(err)), 0);

	/* routes: one gateway, two, a blackhole, a directly connected one */
	memset(&r1, 0, sizeof(r1));
	r1.dst = pfx("2001:db8:40::/48");
	r1.protocol = RTPROT_STATIC;
	r1.nh_count = 1;
	r1.nh[0].gw = ipa("2001:db8:31::2");
	r1.nh[0].ifindex = idx;
	ck_assert_msg(nl_route_change(fa, true, &r1, err, sizeof(err)) == 0, "single: %s", err);
	w = (struct want_route){ "2001:db8:40::/48", true, 1 };
	e = wait_ev(nl, rc, pred_route, &w);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->r.dst.af, AF_INET6);
	ck_assert_ip_eq(e->r.nh[0].gw, "2001:db8:31::2");
	ck_assert_int_eq(e->r.nh[0].ifindex, idx);
	ck_assert_uint_eq(e->r.protocol, RTPROT_STATIC);
	ck_assert_uint_eq(e->r.metric, 1024); /* the kernel's default for IPv6 */

	memset(&r2, 0, sizeof(r2));
	r2.dst = pfx("2001:db8:41::/48");
	r2.protocol = RTPROT_STATIC;
	r2.metric = 20;
	r2.nh_count = 2;
	r2.nh[0].gw = ipa("2001:db8:31::2");
	r2.nh[0].ifindex = idx;
	r2.nh[1].gw = ipa("2001:db8:31::3");
	r2.nh[1].ifindex = idx;
	ck_assert_msg(nl_route_change(fa, true, &r2, err, sizeof(err)) == 0, "ecmp: %s", err);
	ck_assert_int_eq(sh("ip -n %s -6 route show 2001:db8:41::/48 | grep -c 'via 2001:db8:31::' "
			    "| grep -qx 2",
			    a),
			 0);
	w = (struct want_route){ "2001:db8:41::/48", true, 2 };
	e = wait_ev(nl, rc, pred_route, &w);
	ck_assert_ptr_nonnull(e);
	ck_assert_ip_eq(e->r.nh[0].gw, "2001:db8:31::2");
	ck_assert_ip_eq(e->r.nh[1].gw, "2001:db8:31::3");
	ck_assert_int_eq(e->r.nh[1].ifindex, idx);
	ck_assert_uint_eq(e->r.metric, 20);

	memset(&r3, 0, sizeof(r3));
	r3.dst = pfx("2001:db8:42::/48");
	r3.protocol = RTPROT_STATIC;
	ck_assert_msg(nl_route_change(fa, true, &r3, err, sizeof(err)) == 0, "blackhole: %s", err);
	w = (struct want_route){ "2001:db8:42::/48", true, -1 }; /* IPv6 ones show "dev lo" */
	e = wait_ev(nl, rc, pred_route, &w);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->r.type, RTN_BLACKHOLE);

	memset(&r4, 0, sizeof(r4));
	r4.dst = pfx("2001:db8:43::/48");
	r4.protocol = RTPROT_STATIC;
	r4.nh_count = 1;
	r4.nh[0].ifindex = idx;
	ck_assert_msg(nl_route_change(fa, true, &r4, err, sizeof(err)) == 0, "connected: %s", err);
	w = (struct want_route){ "2001:db8:43::/48", true, 1 };
	e = wait_ev(nl, rc, pred_route, &w);
	ck_assert_ptr_nonnull(e);
	ck_assert(ipaddr_is_zero(&e->r.nh[0].gw));
	ck_assert_int_eq(e->r.nh[0].ifindex, idx);

	/* the dump sees all of it */
	rc->n = 0;
	ck_assert_int_eq(nl_dump(nl), 0);
	w = (struct want_route){ "2001:db8:40::/48", true, 1 };
	ck_assert_ptr_nonnull(rec_find(rc, pred_route, &w));
	w = (struct want_route){ "2001:db8:41::/48", true, 2 };
	e = rec_find(rc, pred_route, &w);
	ck_assert_ptr_nonnull(e);
	ck_assert_ip_eq(e->r.nh[1].gw, "2001:db8:31::3");
	w = (struct want_route){ "2001:db8:42::/48", true, -1 };
	ck_assert_ptr_nonnull(rec_find(rc, pred_route, &w));
	w = (struct want_route){ "2001:db8:43::/48", true, 1 };
	ck_assert_ptr_nonnull(rec_find(rc, pred_route, &w));
	/* and the IPv6 address next to the kernel's IPv6 prefix route */
	ck_assert_ptr_nonnull(rec_find(rc, pred_addr, &wadd));
	w = (struct want_route){ "2001:db8:31::/64", true, 1 };
	ck_assert_ptr_nonnull(rec_find(rc, pred_route, &w));

	/* replace: same prefix, new gateway */
	r1.nh[0].gw = ipa("2001:db8:31::4");
	ck_assert_msg(nl_route_change(fa, true, &r1, err, sizeof(err)) == 0, "replace: %s", err);
	ck_assert_int_eq(sh("test $(ip -n %s -6 route show 2001:db8:40::/48 | wc -l) = 1 && "
			    "ip -n %s -6 route show 2001:db8:40::/48 | "
			    "grep -q 'via 2001:db8:31::4'",
			    a, a),
			 0);

	/* a neighbor solicitation for vb's address: the entry appears with
	 * vb's MAC (from a dump of namespace b) */
	{
		struct rec *rb = calloc(1, sizeof(*rb));
		struct nl_sock *nb = nl_listen(fb, &rec_cbs, rb);

		ck_assert_ptr_nonnull(nb);
		ck_assert_int_eq(nl_dump(nb), 0);
		memset(&lb, 0, sizeof(lb));
		for (i = 0; i < rb->n; i++)
			if (rb->ev[i].kind == 'l' && rb->ev[i].l.ifindex == idxb)
				lb = rb->ev[i].l;
		ck_assert_int_eq(lb.ifindex, idxb);
		nl_close(nb);
		free(rb);
	}
	nb_ip = ipa("2001:db8:31::2");
	ck_assert_msg(nl_neigh_resolve(fa, idx, &nb_ip, err, sizeof(err)) == 0, "%s", err);
	wn = (struct want_neigh){ idx, nb_ip, lb.mac };
	e = wait_ev(nl, rc, pred_neigh, &wn);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->nb.ip.af, AF_INET6);
	ck_assert(e->nb.state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE));
	ck_assert_int_eq(sh("ip -n %s -6 neigh show 2001:db8:31::2 dev va | grep -q lladdr", a), 0);
	rc->n = 0;
	ck_assert_int_eq(nl_dump(nl), 0);
	ck_assert_ptr_nonnull(rec_find(rc, pred_neigh, &wn));
	nb_ip = ipaddr_v6((const uint8_t[16]){ 0 }); /* :: */
	ck_assert_int_eq(nl_neigh_resolve(fa, idx, &nb_ip, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "invalid neighbor");

	/* deletes */
	rc->n = 0;
	ck_assert_msg(nl_route_change(fa, false, &r1, err, sizeof(err)) == 0, "del: %s", err);
	ck_assert_msg(nl_route_change(fa, false, &r2, err, sizeof(err)) == 0, "del: %s", err);
	ck_assert_msg(nl_route_change(fa, false, &r3, err, sizeof(err)) == 0, "del: %s", err);
	ck_assert_msg(nl_route_change(fa, false, &r4, err, sizeof(err)) == 0, "del: %s", err);
	w = (struct want_route){ "2001:db8:40::/48", false, -1 };
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_route, &w));
	w = (struct want_route){ "2001:db8:41::/48", false, -1 };
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_route, &w));
	w = (struct want_route){ "2001:db8:42::/48", false, -1 };
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_route, &w));
	w = (struct want_route){ "2001:db8:43::/48", false, -1 };
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_route, &w));
	ck_assert_int_eq(sh("test -z \"$(ip -n %s -6 route show | grep 2001:db8:4)\"", a), 0);
	ck_assert_int_eq(nl_route_change(fa, false, &r1, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "no such route");

	ck_assert_msg(nl_addr_change(fa, false, "va", &p, err, sizeof(err)) == 0, "del: %s", err);
	ck_assert_ptr_nonnull(wait_ev(nl, rc, pred_addr, &wdel));
	ck_assert_int_eq(nl_addr_change(fa, false, "va", &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "address not present");

	/* a length beyond 128 is refused before the kernel sees it */
	p.len = 129;
	ck_assert_int_eq(nl_addr_change(fa, true, "va", &p, err, sizeof(err)), -1);
	r1.dst.len = 129;
	ck_assert_int_eq(nl_route_change(fa, true, &r1, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "invalid route");
	nl_close(nl);
	close(fa);
	close(fb);
	free(rc);
}
END_TEST

/* nl_dispatch() after an overrun: a small receive buffer is not possible
 * with our socket, so flood until ENOBUFS and check the redump happened. */
START_TEST(test_overrun_resync)
{
	char a[128];
	struct rec *rc = calloc(1, sizeof(*rc));
	struct nl_sock *nl;
	int fa, rcv = 0, i;

	fa = mkns("a");
	nsname(a, sizeof(a), "a");
	nl = nl_listen(fa, &rec_cbs, rc);
	ck_assert_ptr_nonnull(nl);
	/* shrink the listening socket's buffer to force an overrun */
	ck_assert_int_eq(setsockopt(nl_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)), 0);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(sh("ip -n %s link add d%d type veth peer name e%d", a, i, i), 0);
	ck_assert_int_eq(nl_dispatch(nl), 0);
	ck_assert_int_ge(rc->resync_end, 1);
	nl_close(nl);
	close(fa);
	free(rc);
}
END_TEST

/* ---- malformed input through nl_feed() --------------------------------- */

struct msgbuf {
	char buf[4096] __attribute__((aligned(8)));
	size_t len;
};

static struct nlmsghdr *mb_msg(struct msgbuf *mb, uint16_t type, size_t hdrlen)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(mb->buf + mb->len);

	nlh->nlmsg_type = type;
	mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

static void mb_end(struct msgbuf *mb, struct nlmsghdr *nlh)
{
	mb->len += MNL_ALIGN(nlh->nlmsg_len);
}

static void mb_route(struct msgbuf *mb, uint8_t family, const char *dst, uint8_t len)
{
	struct nlmsghdr *nlh = mb_msg(mb, RTM_NEWROUTE, sizeof(struct rtmsg));
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	rtm->rtm_family = family;
	rtm->rtm_dst_len = len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_type = RTN_UNICAST;
	if (family == AF_INET) {
		mnl_attr_put_u32(nlh, RTA_DST, htonl(ip(dst)));
	} else if (family == AF_INET6) {
		struct ipaddr a = ipa(dst);

		mnl_attr_put(nlh, RTA_DST, 16, a.v6);
	} else {
		mnl_attr_put(nlh, RTA_DST, 16, "0123456789abcdef");
	}
	mnl_attr_put_u32(nlh, RTA_OIF, 7);
	mnl_attr_put_u32(nlh, 0x7ff0 & 0x3fff, 1); /* unknown attribute: ignored */
	mb_end(mb, nlh);
}

static struct nlmsghdr *mb_neigh(struct msgbuf *mb, uint16_t type, uint8_t family, int ifindex)
{
	struct nlmsghdr *nlh = mb_msg(mb, type, sizeof(struct ndmsg));
	struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);

	ndm->ndm_family = family;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_REACHABLE;
	return nlh;
}

/* RTM_NEWNEIGH / RTM_DELNEIGH parsing: a good entry, one without MAC, and
 * every malformed shape skipped without stopping the batch. */
START_TEST(test_feed_neigh)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 7 };
	struct rec *rc = calloc(1, sizeof(*rc));
	struct msgbuf *mb = calloc(1, sizeof(*mb));
	struct nlmsghdr *nlh;
	size_t i, full;

	nlh = mb_neigh(mb, RTM_NEWNEIGH, AF_INET, 5); /* good */
	mnl_attr_put_u32(nlh, NDA_DST, htonl(ip("10.1.1.2")));
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	mb_end(mb, nlh);
	nlh = mb_neigh(mb, RTM_NEWNEIGH, AF_INET, 5); /* incomplete: no MAC */
	mnl_attr_put_u32(nlh, NDA_DST, htonl(ip("10.1.1.3")));
	mb_end(mb, nlh);
	nlh = mb_neigh(mb, RTM_NEWNEIGH, AF_BRIDGE, 5); /* not IP (an FDB entry): ignored */
	mnl_attr_put_u32(nlh, NDA_DST, htonl(ip("10.1.1.9")));
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	mb_end(mb, nlh);
	nlh = mb_neigh(mb, RTM_NEWNEIGH, AF_INET, 5); /* no destination: malformed */
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	mb_end(mb, nlh);
	nlh = mb_neigh(mb, RTM_NEWNEIGH, AF_INET, 0); /* no interface: malformed */
	mnl_attr_put_u32(nlh, NDA_DST, htonl(ip("10.1.1.4")));
	mb_end(mb, nlh);
	nlh = mb_neigh(mb, RTM_NEWNEIGH, AF_INET, 5); /* 2-byte destination: malformed */
	mnl_attr_put_u16(nlh, NDA_DST, 7);
	mb_end(mb, nlh);
	nlh = mb_neigh(mb, RTM_NEWNEIGH, AF_INET, 5); /* 4-byte lladdr: not Ethernet */
	mnl_attr_put_u32(nlh, NDA_DST, htonl(ip("10.1.1.5")));
	mnl_attr_put_u32(nlh, NDA_LLADDR, 1);
	mb_end(mb, nlh);
	nlh = mb_msg(mb, RTM_NEWNEIGH, 2); /* header shorter than struct ndmsg */
	mb_end(mb, nlh);
	nlh = mb_neigh(mb, RTM_DELNEIGH, AF_INET, 6); /* a delete */
	mnl_attr_put_u32(nlh, NDA_DST, htonl(ip("10.1.1.2")));
	mb_end(mb, nlh);

	/* without a neigh callback nothing is parsed */
	nl_feed(&rec_cbs, rc, mb->buf, mb->len);
	ck_assert_int_eq(rc->n, 0);

	nl_feed(&neigh_cbs, rc, mb->buf, mb->len);
	ck_assert_int_eq(rc->n, 3);
	ck_assert(rc->ev[0].kind == 'n' && rc->ev[0].add);
	ck_assert_int_eq(rc->ev[0].nb.ifindex, 5);
	ck_assert_ip_eq(rc->ev[0].nb.ip, "10.1.1.2");
	ck_assert(rc->ev[0].nb.has_mac);
	ck_assert_mem_eq(rc->ev[0].nb.mac, mac, 6);
	ck_assert_uint_eq(rc->ev[0].nb.state, NUD_REACHABLE);
	ck_assert_ip_eq(rc->ev[1].nb.ip, "10.1.1.3");
	ck_assert(!rc->ev[1].nb.has_mac);
	ck_assert(!rc->ev[2].add);
	ck_assert_int_eq(rc->ev[2].nb.ifindex, 6);

	/* every truncation of the batch: no crash, never more than the 3 */
	full = mb->len;
	for (i = 0; i <= full; i++) {
		rc->n = 0;
		nl_feed(&neigh_cbs, rc, mb->buf, i);
		ck_assert_int_le(rc->n, 3);
	}
	free(mb);
	free(rc);
}
END_TEST

START_TEST(test_feed_malformed)
{
	struct rec *rc = calloc(1, sizeof(*rc));
	struct msgbuf *mb = calloc(1, sizeof(*mb));
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct rtmsg *rtm;
	struct nlattr *nest, *mp;
	struct rtnexthop *rtnh;
	int i;

	/* good route + a route of another family (MPLS: ignored) + an IPv6
	 * route (parsed since IPv6 support; more in test_feed_v6) */
	mb_route(mb, AF_INET, "10.1.0.0", 16);
	mb_route(mb, AF_MPLS, NULL, 20);
	mb_route(mb, AF_INET6, "2001:db8::", 64);
	nl_feed(&rec_cbs, rc, mb->buf, mb->len);
	ck_assert_int_eq(rc->n, 2);
	ck_assert_int_eq(rc->ev[0].r.nh_count, 1);
	ck_assert_int_eq(rc->ev[0].r.nh[0].ifindex, 7);
	ck_assert_int_eq(rc->ev[0].r.dst.af, AF_INET);
	ck_assert_uint_eq(rc->ev[0].r.dst.v4, ip("10.1.0.0"));
	ck_assert_int_eq(rc->ev[1].r.dst.af, AF_INET6);
	ck_assert_int_eq(rc->ev[1].r.nh[0].ifindex, 7);

	/* attribute longer than the message: skipped, the next one parsed */
	rc->n = 0;
	memset(mb, 0, sizeof(*mb));
	nlh = mb_msg(mb, RTM_NEWROUTE, sizeof(struct rtmsg));
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 16;
	nest = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, RTA_DST, htonl(ip("10.2.0.0")));
	nest->nla_len = 200;
	mb_end(mb, nlh);
	mb_route(mb, AF_INET, "10.3.0.0", 16);
	nl_feed(&rec_cbs, rc, mb->buf, mb->len);
	ck_assert_int_eq(rc->n, 1);
	ck_assert_int_eq(rc->ev[0].r.dst.af, AF_INET);
	ck_assert_uint_eq(rc->ev[0].r.dst.v4, ip("10.3.0.0"));

	/* wrong attribute sizes, dst_len > 32, short header */
	rc->n = 0;
	memset(mb, 0, sizeof(*mb));
	nlh = mb_msg(mb, RTM_NEWROUTE, sizeof(struct rtmsg));
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = AF_INET;
	mnl_attr_put_u16(nlh, RTA_OIF, 3);
	mb_end(mb, nlh);
	nlh = mb_msg(mb, RTM_NEWROUTE, sizeof(struct rtmsg));
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 33;
	mb_end(mb, nlh);
	nlh = mb_msg(mb, RTM_NEWADDR, 2);
	mb_end(mb, nlh);
	nlh = mb_msg(mb, RTM_NEWLINK, sizeof(struct ifinfomsg));
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_index = 5;
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "eth0"); /* no NUL */
	mb_end(mb, nlh);
	nlh = mb_msg(mb, RTM_NEWLINK, sizeof(struct ifinfomsg));
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_index = 6;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "a-name-far-too-long-for-ifnamsiz");
	mb_end(mb, nlh);
	nl_feed(&rec_cbs, rc, mb->buf, mb->len);
	ck_assert_int_eq(rc->n, 0);

	/* link with kind; a kind longer than the field is refused */
	rc->n = 0;
	memset(mb, 0, sizeof(*mb));
	nlh = mb_msg(mb, RTM_NEWLINK, sizeof(struct ifinfomsg));
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_index = 9;
	ifi->ifi_flags = IFF_UP | IFF_RUNNING;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "ve0");
	mnl_attr_put_u32(nlh, IFLA_MTU, 9000);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, "\x02\x00\x00\x00\x00\x01");
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_nest_end(nlh, nest);
	mb_end(mb, nlh);
	nlh = mb_msg(mb, RTM_NEWLINK, sizeof(struct ifinfomsg));
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_index = 10;
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "a-kind-longer-than-16");
	mnl_attr_nest_end(nlh, nest);
	mb_end(mb, nlh);
	nlh = mb_msg(mb, RTM_NEWLINK, sizeof(struct ifinfomsg)); /* AF_BRIDGE: ignored */
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_family = AF_BRIDGE;
	ifi->ifi_index = 11;
	mb_end(mb, nlh);
	nl_feed(&rec_cbs, rc, mb->buf, mb->len);
	ck_assert_int_eq(rc->n, 1);
	ck_assert_str_eq(rc->ev[0].l.name, "ve0");
	ck_assert_str_eq(rc->ev[0].l.kind, "veth");
	ck_assert_uint_eq(rc->ev[0].l.mtu, 9000);
	ck_assert(rc->ev[0].l.up && rc->ev[0].l.running);
	ck_assert_uint_eq(rc->ev[0].l.mac[5], 1);

	/* multipath: 20 entries are bounded to NL_MAX_NEXTHOPS; a bad
	 * rtnh_len makes the message skipped */
	rc->n = 0;
	memset(mb, 0, sizeof(*mb));
	nlh = mb_msg(mb, RTM_NEWROUTE, sizeof(struct rtmsg));
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 8;
	mnl_attr_put_u32(nlh, RTA_DST, htonl(ip("10.0.0.0")));
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (i = 0; i < 20; i++) {
		rtnh = mnl_nlmsg_get_payload_tail(nlh);
		nlh->nlmsg_len += RTNH_ALIGN(sizeof(*rtnh));
		memset(rtnh, 0, sizeof(*rtnh));
		rtnh->rtnh_ifindex = i + 1;
		mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(ip("192.0.2.0") + (uint32_t)i));
		rtnh->rtnh_len = (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) -
						  (char *)rtnh);
	}
	mnl_attr_nest_end(nlh, mp);
	mb_end(mb, nlh);
	nlh = mb_msg(mb, RTM_NEWROUTE, sizeof(struct rtmsg));
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = AF_INET;
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	rtnh = mnl_nlmsg_get_payload_tail(nlh);
	nlh->nlmsg_len += RTNH_ALIGN(sizeof(*rtnh));
	memset(rtnh, 0, sizeof(*rtnh));
	rtnh->rtnh_len = 200;
	mnl_attr_nest_end(nlh, mp);
	mb_end(mb, nlh);
	nl_feed(&rec_cbs, rc, mb->buf, mb->len);
	ck_assert_int_eq(rc->n, 1);
	ck_assert_int_eq(rc->ev[0].r.nh_count, NL_MAX_NEXTHOPS);
	ck_assert_int_eq(rc->ev[0].r.nh[15].ifindex, 16);
	ck_assert_ip_eq(rc->ev[0].r.nh[15].gw, "192.0.2.15");

	/* message length beyond the buffer, garbage, truncated buffers */
	rc->n = 0;
	memset(mb, 0, sizeof(*mb));
	mb_route(mb, AF_INET, "10.4.0.0", 16);
	nlh = (struct nlmsghdr *)(void *)(mb->buf + mb->len);
	mb_route(mb, AF_INET, "10.5.0.0", 16);
	nlh->nlmsg_len = 4000;
	nl_feed(&rec_cbs, rc, mb->buf, mb->len);
	ck_assert_int_eq(rc->n, 1);
	for (i = 0; i < (int)mb->len; i++) /* every truncation of the buffer */
		nl_feed(&rec_cbs, rc, mb->buf, (size_t)i);
	for (i = 0; i < 200; i++) {
		size_t j;

		for (j = 0; j < sizeof(mb->buf); j++)
			mb->buf[j] = (char)(rand() & 0xff);
		nl_feed(&rec_cbs, rc, mb->buf, sizeof(mb->buf));
	}
	nl_feed(&rec_cbs, rc, mb->buf, 0);
	free(mb);
	free(rc);
}
END_TEST

/* ---- IPv6 through nl_feed() -------------------------------------------- */

/* an IPv6 address attribute (16 bytes, network order) */
static void put6(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	struct ipaddr a = ipa(s);

	ck_assert_int_eq(a.af, AF_INET6);
	mnl_attr_put(nlh, type, 16, a.v6);
}

static struct nlmsghdr *mb_addr(struct msgbuf *mb, uint16_t type, uint8_t family, uint8_t plen,
				int ifindex)
{
	struct nlmsghdr *nlh = mb_msg(mb, type, sizeof(struct ifaddrmsg));
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	ifa->ifa_family = family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_index = (uint32_t)ifindex;
	return nlh;
}

static struct nlmsghdr *mb_rt(struct msgbuf *mb, uint16_t type, uint8_t family, uint8_t dst_len)
{
	struct nlmsghdr *nlh = mb_msg(mb, type, sizeof(struct rtmsg));
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	rtm->rtm_family = family;
	rtm->rtm_dst_len = dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_type = RTN_UNICAST;
	return nlh;
}

/* one struct rtnexthop inside an RTA_MULTIPATH nest: a gateway attribute
 * of gwlen bytes (0: none) */
static void mb_rtnh(struct nlmsghdr *nlh, int ifindex, const void *gw, uint16_t gwlen)
{
	struct rtnexthop *rtnh = mnl_nlmsg_get_payload_tail(nlh);

	nlh->nlmsg_len += RTNH_ALIGN(sizeof(*rtnh));
	memset(rtnh, 0, sizeof(*rtnh));
	rtnh->rtnh_ifindex = ifindex;
	if (gwlen > 0)
		mnl_attr_put(nlh, RTA_GATEWAY, gwlen, gw);
	rtnh->rtnh_len = (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)rtnh);
}

static const char *ntop_pfx(const struct prefix *p, char *buf)
{
	return prefix_ntop(p, buf, PREFIX_STRLEN);
}

/* Well-formed IPv6 addresses, routes (single next hop, default, multipath,
 * blackhole) and neighbors, with malformed IPv6 messages between them that
 * are skipped without a callback and without stopping the batch. */
START_TEST(test_feed_v6)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 };
	struct rec *rc = calloc(1, sizeof(*rc));
	struct msgbuf *mb = calloc(1, sizeof(*mb));
	struct nlmsghdr *nlh;
	struct nlattr *mp;
	struct ipaddr g6 = ipa("2001:db8:1::1"), g6b = ipa("fe80::2");
	uint32_t g4 = htonl(ip("192.0.2.1"));
	char buf[PREFIX_STRLEN];
	const struct ev *e;
	size_t i, full;
	enum { NGOOD = 10 };

	/* 0: an address, IFA_ADDRESS only (as the kernel sends IPv6 ones) */
	nlh = mb_addr(mb, RTM_NEWADDR, AF_INET6, 64, 4);
	put6(nlh, IFA_ADDRESS, "2001:db8:1::5");
	mb_end(mb, nlh);
	/* malformed: a 15-byte IFA_ADDRESS */
	nlh = mb_addr(mb, RTM_NEWADDR, AF_INET6, 64, 4);
	mnl_attr_put(nlh, IFA_ADDRESS, 15, "0123456789abcde");
	mb_end(mb, nlh);
	/* malformed: 17 bytes, 4 bytes (an IPv4 address in an IPv6 message) */
	nlh = mb_addr(mb, RTM_NEWADDR, AF_INET6, 64, 4);
	mnl_attr_put(nlh, IFA_ADDRESS, 17, "0123456789abcdefg");
	mb_end(mb, nlh);
	nlh = mb_addr(mb, RTM_NEWADDR, AF_INET6, 64, 4);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, g4);
	mb_end(mb, nlh);
	/* malformed: prefix length 129 */
	nlh = mb_addr(mb, RTM_NEWADDR, AF_INET6, 129, 4);
	put6(nlh, IFA_ADDRESS, "2001:db8:1::6");
	mb_end(mb, nlh);
	/* malformed: a good IFA_ADDRESS but a 15-byte IFA_LOCAL (which wins) */
	nlh = mb_addr(mb, RTM_NEWADDR, AF_INET6, 64, 4);
	mnl_attr_put(nlh, IFA_LOCAL, 15, "0123456789abcde");
	put6(nlh, IFA_ADDRESS, "2001:db8:1::7");
	mb_end(mb, nlh);
	/* malformed: a 16-byte IFA_ADDRESS in an IPv4 message; an IPv4
	 * message with prefix length 33 (the bound is the family's) */
	nlh = mb_addr(mb, RTM_NEWADDR, AF_INET, 24, 4);
	put6(nlh, IFA_ADDRESS, "2001:db8:1::8");
	mb_end(mb, nlh);
	nlh = mb_addr(mb, RTM_NEWADDR, AF_INET, 33, 4);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, g4);
	mb_end(mb, nlh);
	/* 1: point-to-point: IFA_LOCAL is ours, IFA_ADDRESS the peer; a delete */
	nlh = mb_addr(mb, RTM_DELADDR, AF_INET6, 128, 5);
	put6(nlh, IFA_LOCAL, "2001:db8:2::1");
	put6(nlh, IFA_ADDRESS, "2001:db8:2::99");
	mb_end(mb, nlh);

	/* 2: a route with RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_PRIORITY */
	nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET6, 48);
	put6(nlh, RTA_DST, "2001:db8:20::");
	put6(nlh, RTA_GATEWAY, "fe80::1");
	mnl_attr_put_u32(nlh, RTA_OIF, 3);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 1024);
	mb_end(mb, nlh);
	/* malformed: a 4-byte RTA_GATEWAY in an IPv6 route */
	nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET6, 48);
	put6(nlh, RTA_DST, "2001:db8:21::");
	mnl_attr_put_u32(nlh, RTA_GATEWAY, g4);
	mnl_attr_put_u32(nlh, RTA_OIF, 3);
	mb_end(mb, nlh);
	/* malformed: rtm_dst_len 129 */
	nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET6, 129);
	put6(nlh, RTA_DST, "2001:db8:22::");
	mnl_attr_put_u32(nlh, RTA_OIF, 3);
	mb_end(mb, nlh);
	/* malformed: a 4-byte RTA_DST, a 15-byte RTA_GATEWAY */
	nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET6, 32);
	mnl_attr_put_u32(nlh, RTA_DST, g4);
	mnl_attr_put_u32(nlh, RTA_OIF, 3);
	mb_end(mb, nlh);
	nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET6, 48);
	put6(nlh, RTA_DST, "2001:db8:23::");
	mnl_attr_put(nlh, RTA_GATEWAY, 15, "0123456789abcde");
	mb_end(mb, nlh);
	/* malformed: a 16-byte RTA_GATEWAY in an IPv4 route */
	nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET, 16);
	mnl_attr_put_u32(nlh, RTA_DST, htonl(ip("10.40.0.0")));
	put6(nlh, RTA_GATEWAY, "2001:db8:1::1");
	mb_end(mb, nlh);
	/* 3: the default route: no RTA_DST */
	nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET6, 0);
	put6(nlh, RTA_GATEWAY, "fe80::2");
	mnl_attr_put_u32(nlh, RTA_OIF, 2);
	mb_end(mb, nlh);
	/* 4: RTA_MULTIPATH with two IPv6 gateways */
	nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET6, 64);
	put6(nlh, RTA_DST, "2001:db8:30::");
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	mb_rtnh(nlh, 4, g6.v6, 16);
	mb_rtnh(nlh, 5, g6b.v6, 16);
	mnl_attr_nest_end(nlh, mp);
	mb_end(mb, nlh);
	/* malformed: multipath whose second gateway is 4 bytes */
	nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET6, 64);
	put6(nlh, RTA_DST, "2001:db8:31::");
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	mb_rtnh(nlh, 4, g6.v6, 16);
	mb_rtnh(nlh, 5, &g4, 4);
	mnl_attr_nest_end(nlh, mp);
	mb_end(mb, nlh);
	/* 5: a blackhole /128, deleted */
	nlh = mb_rt(mb, RTM_DELROUTE, AF_INET6, 128);
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_type = RTN_BLACKHOLE;
	put6(nlh, RTA_DST, "2001:db8:40::1");
	mb_end(mb, nlh);
	/* a cache entry: not a route, ignored */
	nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET6, 128);
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_flags = RTM_F_CLONED;
	put6(nlh, RTA_DST, "2001:db8:41::1");
	mnl_attr_put_u32(nlh, RTA_OIF, 3);
	mb_end(mb, nlh);

	/* 6: a neighbor: NDA_DST + NDA_LLADDR */
	nlh = mb_neigh(mb, RTM_NEWNEIGH, AF_INET6, 4);
	put6(nlh, NDA_DST, "2001:db8:1::9");
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	mb_end(mb, nlh);
	/* malformed: a 4-byte and a 15-byte NDA_DST */
	nlh = mb_neigh(mb, RTM_NEWNEIGH, AF_INET6, 4);
	mnl_attr_put_u32(nlh, NDA_DST, g4);
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	mb_end(mb, nlh);
	nlh = mb_neigh(mb, RTM_NEWNEIGH, AF_INET6, 4);
	mnl_attr_put(nlh, NDA_DST, 15, "0123456789abcde");
	mb_end(mb, nlh);
	/* 7: a link-local neighbor without MAC (incomplete) */
	nlh = mb_neigh(mb, RTM_NEWNEIGH, AF_INET6, 4);
	put6(nlh, NDA_DST, "fe80::9");
	mb_end(mb, nlh);
	/* 8: IPv4 keeps working in the same batch */
	mb_route(mb, AF_INET, "10.50.0.0", 16);
	/* 9: a neighbor delete */
	nlh = mb_neigh(mb, RTM_DELNEIGH, AF_INET6, 6);
	put6(nlh, NDA_DST, "2001:db8:1::9");
	mb_end(mb, nlh);
	ck_assert_uint_lt(mb->len, sizeof(mb->buf));

	nl_feed(&neigh_cbs, rc, mb->buf, mb->len);
	ck_assert_int_eq(rc->n, NGOOD);

	e = &rc->ev[0];
	ck_assert(e->kind == 'a' && e->add);
	ck_assert_int_eq(e->a.ifindex, 4);
	ck_assert_int_eq(e->a.pfx.af, AF_INET6);
	ck_assert_str_eq(ntop_pfx(&e->a.pfx, buf), "2001:db8:1::5/64"); /* host bits kept */

	e = &rc->ev[1];
	ck_assert(e->kind == 'a' && !e->add);
	ck_assert_int_eq(e->a.ifindex, 5);
	ck_assert_str_eq(ntop_pfx(&e->a.pfx, buf), "2001:db8:2::1/128");

	e = &rc->ev[2];
	ck_assert(e->kind == 'r' && e->add);
	ck_assert_int_eq(e->r.dst.af, AF_INET6);
	ck_assert_str_eq(ntop_pfx(&e->r.dst, buf), "2001:db8:20::/48");
	ck_assert_uint_eq(e->r.table, RT_TABLE_MAIN);
	ck_assert_uint_eq(e->r.protocol, RTPROT_STATIC);
	ck_assert_uint_eq(e->r.type, RTN_UNICAST);
	ck_assert_uint_eq(e->r.metric, 1024);
	ck_assert_int_eq(e->r.nh_count, 1);
	ck_assert_ip_eq(e->r.nh[0].gw, "fe80::1");
	ck_assert_int_eq(e->r.nh[0].ifindex, 3);

	e = &rc->ev[3];
	ck_assert(e->kind == 'r' && e->add);
	ck_assert_int_eq(e->r.dst.af, AF_INET6); /* a family even without RTA_DST */
	ck_assert_str_eq(ntop_pfx(&e->r.dst, buf), "::/0");
	ck_assert_int_eq(e->r.nh_count, 1);
	ck_assert_ip_eq(e->r.nh[0].gw, "fe80::2");
	ck_assert_int_eq(e->r.nh[0].ifindex, 2);

	e = &rc->ev[4];
	ck_assert(e->kind == 'r' && e->add);
	ck_assert_str_eq(ntop_pfx(&e->r.dst, buf), "2001:db8:30::/64");
	ck_assert_int_eq(e->r.nh_count, 2);
	ck_assert_ip_eq(e->r.nh[0].gw, "2001:db8:1::1");
	ck_assert_int_eq(e->r.nh[0].ifindex, 4);
	ck_assert_ip_eq(e->r.nh[1].gw, "fe80::2");
	ck_assert_int_eq(e->r.nh[1].ifindex, 5);

	e = &rc->ev[5];
	ck_assert(e->kind == 'r' && !e->add);
	ck_assert_str_eq(ntop_pfx(&e->r.dst, buf), "2001:db8:40::1/128");
	ck_assert_uint_eq(e->r.type, RTN_BLACKHOLE);
	ck_assert_int_eq(e->r.nh_count, 0);

	e = &rc->ev[6];
	ck_assert(e->kind == 'n' && e->add);
	ck_assert_int_eq(e->nb.ifindex, 4);
	ck_assert_int_eq(e->nb.ip.af, AF_INET6);
	ck_assert_ip_eq(e->nb.ip, "2001:db8:1::9");
	ck_assert(e->nb.has_mac);
	ck_assert_mem_eq(e->nb.mac, mac, 6);
	ck_assert_uint_eq(e->nb.state, NUD_REACHABLE);

	e = &rc->ev[7];
	ck_assert(e->kind == 'n' && e->add);
	ck_assert_ip_eq(e->nb.ip, "fe80::9");
	ck_assert(!e->nb.has_mac);

	e = &rc->ev[8];
	ck_assert(e->kind == 'r' && e->add);
	ck_assert_int_eq(e->r.dst.af, AF_INET);
	ck_assert_str_eq(ntop_pfx(&e->r.dst, buf), "10.50.0.0/16");

	e = &rc->ev[9];
	ck_assert(e->kind == 'n' && !e->add);
	ck_assert_int_eq(e->nb.ifindex, 6);
	ck_assert_ip_eq(e->nb.ip, "2001:db8:1::9");

	/* without a neigh callback the neighbors are not reported */
	rc->n = 0;
	nl_feed(&rec_cbs, rc, mb->buf, mb->len);
	ck_assert_int_eq(rc->n, NGOOD - 3);

	/* every truncation of the batch: no crash, never more than the good ones */
	full = mb->len;
	for (i = 0; i <= full; i++) {
		rc->n = 0;
		nl_feed(&neigh_cbs, rc, mb->buf, i);
		ck_assert_int_le(rc->n, NGOOD);
	}
	free(mb);
	free(rc);
}
END_TEST

/* The malformed IPv6 shapes one at a time: each alone gives no callback. */
START_TEST(test_feed_v6_malformed_alone)
{
	struct rec *rc = calloc(1, sizeof(*rc));
	struct msgbuf *mb = calloc(1, sizeof(*mb));
	uint32_t g4 = htonl(ip("192.0.2.1"));
	struct nlmsghdr *nlh;
	int which;

	for (which = 0; which < 3; which++) {
		memset(mb, 0, sizeof(*mb));
		rc->n = 0;
		switch (which) {
		case 0: /* a 4-byte RTA_GATEWAY in an AF_INET6 route */
			nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET6, 48);
			put6(nlh, RTA_DST, "2001:db8:21::");
			mnl_attr_put_u32(nlh, RTA_GATEWAY, g4);
			mnl_attr_put_u32(nlh, RTA_OIF, 3);
			break;
		case 1: /* rtm_dst_len 129 */
			nlh = mb_rt(mb, RTM_NEWROUTE, AF_INET6, 129);
			put6(nlh, RTA_DST, "2001:db8:22::");
			mnl_attr_put_u32(nlh, RTA_OIF, 3);
			break;
		default: /* a 15-byte IFA_ADDRESS */
			nlh = mb_addr(mb, RTM_NEWADDR, AF_INET6, 64, 4);
			mnl_attr_put(nlh, IFA_ADDRESS, 15, "0123456789abcde");
			break;
		}
		mb_end(mb, nlh);
		nl_feed(&neigh_cbs, rc, mb->buf, mb->len);
		ck_assert_msg(rc->n == 0, "malformed message %d reported", which);
	}
	free(mb);
	free(rc);
}
END_TEST

/* A random walk through well-framed messages with random attribute bytes:
 * must never crash (ASan build). */
START_TEST(test_feed_fuzz)
{
	struct rec *rc = calloc(1, sizeof(*rc));
	struct msgbuf *mb = calloc(1, sizeof(*mb));
	static const uint16_t types[] = { RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR,
					  RTM_DELADDR, RTM_NEWROUTE, RTM_DELROUTE };
	struct nlmsghdr *nlh;
	unsigned char *p;
	size_t plen, j;
	int i;

	srand(42);
	for (i = 0; i < 20000; i++) {
		memset(mb, 0, sizeof(*mb));
		rc->n = 0;
		plen = (size_t)(rand() % 200);
		nlh = mnl_nlmsg_put_header(mb->buf);
		nlh->nlmsg_type = types[rand() % 6];
		p = mnl_nlmsg_put_extra_header(nlh, plen);
		for (j = 0; j < plen; j++)
			p[j] = (unsigned char)(rand() & 0xff);
		if (plen > 0 && rand() % 2)
			p[0] = (unsigned char)(nlh->nlmsg_type <= RTM_DELLINK ? AF_UNSPEC : AF_INET);
		if (plen > 20 && rand() % 2) { /* plausible attribute header */
			p[16] = (unsigned char)(rand() % 64);
			p[17] = 0;
			p[18] = (unsigned char)(rand() % 24);
			p[19] = 0;
		}
		nl_feed(&rec_cbs, rc, mb->buf, nlh->nlmsg_len);
	}
	/* the same with IPv6 (16-byte attributes) and neighbors */
	for (i = 0; i < 20000; i++) {
		static const uint16_t types6[] = { RTM_NEWADDR, RTM_DELADDR, RTM_NEWROUTE,
						   RTM_DELROUTE, RTM_NEWNEIGH, RTM_DELNEIGH };

		memset(mb, 0, sizeof(*mb));
		rc->n = 0;
		plen = (size_t)(rand() % 200);
		nlh = mnl_nlmsg_put_header(mb->buf);
		nlh->nlmsg_type = types6[rand() % 6];
		p = mnl_nlmsg_put_extra_header(nlh, plen);
		for (j = 0; j < plen; j++)
			p[j] = (unsigned char)(rand() & 0xff);
		if (plen > 0 && rand() % 4 != 0)
			p[0] = (unsigned char)(rand() % 2 ? AF_INET6 : AF_INET);
		if (plen > 24 && rand() % 2) { /* plausible attribute header, often 16 bytes */
			p[12] = (unsigned char)(rand() % 2 ? 20 : rand() % 24);
			p[13] = 0;
			p[14] = (unsigned char)(rand() % 16);
			p[15] = 0;
		}
		nl_feed(&neigh_cbs, rc, mb->buf, nlh->nlmsg_len);
	}
	free(mb);
	free(rc);
}
END_TEST

static Suite *nl_suite(void)
{
	Suite *s = suite_create("nl");
	TCase *tc = tcase_create("netns");
	TCase *tk = tcase_create("kernel");
	TCase *tf = tcase_create("feed");

	tcase_add_unchecked_fixture(tc, unchecked_setup, unchecked_teardown);
	tcase_add_checked_fixture(tc, checked_setup, checked_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_netns_lifecycle);
	tcase_add_test(tc, test_netns_socket);
	tcase_add_test(tc, test_netns_create_from_slave_mntns);
	tcase_add_test(tc, test_netns_open_unpropagated);
	suite_add_tcase(s, tc);

	tcase_add_unchecked_fixture(tk, unchecked_setup, unchecked_teardown);
	tcase_add_checked_fixture(tk, checked_setup, checked_teardown);
	tcase_set_timeout(tk, 60);
	tcase_add_test(tk, test_link_move);
	tcase_add_test(tk, test_addr);
	tcase_add_test(tk, test_routes);
	tcase_add_test(tk, test_overrun_resync);
	tcase_add_test(tk, test_neigh_resolve);
	tcase_add_test(tk, test_v6_kernel);
	suite_add_tcase(s, tk);

	tcase_add_checked_fixture(tf, quiet_setup, NULL);
	tcase_set_timeout(tf, 60);
	tcase_add_test(tf, test_feed_malformed);
	tcase_add_test(tf, test_feed_neigh);
	tcase_add_test(tf, test_feed_v6);
	tcase_add_test(tf, test_feed_v6_malformed_alone);
	tcase_add_test(tf, test_feed_fuzz);
	suite_add_tcase(s, tf);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	snprintf(run_prefix, sizeof(run_prefix), "%s%ld-", PREFIX, (long)getpid());
	log_init("test_nl", true, false);
	sr = srunner_create(nl_suite());
	if (geteuid() != 0) {
		fprintf(stderr, "test_nl: needs root for namespaces, skipped\n");
		srunner_free(sr);
		return 77;
	}
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	cleanup(false); /* belt and braces */
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
