/* The state of a topology: $PETOPO_RUNDIR/NAME/state.json (default
 * /run/petopo), written atomically (temporary file, fsync, rename) BEFORE
 * each creation step, so that it always lists a superset of what exists:
 * namespaces, veth links, daemons (pid + start time), directories. `down`
 * works from it alone. The topology directory is flock()ed by `up` and
 * `down` so that they never run at once on one topology.
 *
 * A process is identified by its pid AND its start time (/proc/PID/stat
 * field 22, clock ticks since boot): a pid recycled by an unrelated process
 * has another start time and is never signalled. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "topologies/petopo.h"

int mkdir_p(const char *path, mode_t mode)
{
	char buf[1024];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -1;
		buf[i] = i < n ? '/' : '\0';
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

int rm_rf(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void iso8601_now(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char base[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03ldZ", base, ts.tv_nsec / 1000000);
}

/* ---- processes ---- */

int proc_info(pid_t pid, char *state, pid_t *ppid, unsigned long long *start)
{
	char path[64], buf[1024];
	const char *p;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold spaces and ')' */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return -1;
	p += 2;
	*state = *p;
	if (ppid != NULL)
		*ppid = (pid_t)strtol(p + 1, NULL, 10);
	for (field = 3; field < 22 && p != NULL; field++) {
		p = strchr(p, ' ');
		if (p != NULL)
			p++;
	}
	if (p == NULL)
		return -1;
	*start = strtoull(p, NULL, 10);
	return 0;
}

int proc_starttime(pid_t pid, unsigned long long *st)
{
	char state;

	return proc_info(pid, &state, NULL, st);
}

bool proc_alive(pid_t pid, unsigned long long start)
{
	unsigned long long st;
	char state;

	if (pid <= 1 || proc_info(pid, &state, NULL, &st) < 0)
		return false;
	return st == start && state != 'Z' && state != 'X' && state != 'x';
}

/* ---- the state directory and its lock ---- */

int state_topo_dir(const char *name, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/%s", penv.rundir, name) >= len)
		return -1;
	return 0;
}

/* Locks the topology's directory (creating it with create). Returns 0,
 * 1 if it does not exist (and !create), -1 on error (message printed). */
int state_lock(struct state *st, const char *name, bool create, int wait_s)
{
	struct stat sb;
	int tries = wait_s * 10, fd;

	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
	if (state_topo_dir(name, st->dir, sizeof(st->dir)) < 0)
		return -1;
	snprintf(st->path, sizeof(st->path), "%s/state.json", st->dir);
	for (;;) {
		if (create && (mkdir_p(penv.rundir, 0755) < 0 ||
			       (mkdir(st->dir, 0755) < 0 && errno != EEXIST))) {
			msg("petopo: cannot create %s: %s", st->dir, strerror(errno));
			return -1;
		}
		fd = open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT && !create)
				return 1;
			msg("petopo: cannot open %s: %s", st->dir, strerror(errno));
			return -1;
		}
		while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			if (errno != EWOULDBLOCK || tries-- <= 0 || topo_interrupted) {
				msg("petopo: topology %s is busy: another petopo works on it "
				    "(lock on %s)", name, st->dir);
				close(fd);
				return -1;
			}
			usleep(100 * 1000);
		}
		/* removed by the holder we waited for: start over */
		if (fstat(fd, &sb) == 0 && sb.st_nlink == 0) {
			close(fd);
			continue;
		}
		st->lockfd = fd;
		return 0;
	}
}

void state_unlock(struct state *st)
{
	if (st->lockfd >= 0)
		close(st->lockfd);
	st->lockfd = -1;
	if (st->root != NULL)
		json_object_put(st->root);
	st->root = NULL;
}

/* 0 read, 1 no state file, -1 unreadable. */
int state_read(struct state *st)
{
	if (access(st->path, F_OK) < 0)
		return 1;
	if (st->root != NULL)
		json_object_put(st->root);
	st->root = json_object_from_file(st->path);
	if (st->root == NULL || !json_object_is_type(st->root, json_type_object)) {
		msg("petopo: %s is unreadable: %s", st->path, json_util_get_last_err());
		return -1;
	}
	return 0;
}

int state_write(struct state *st)
{
	char tmp[760];
	const char *text;
	size_t len, off = 0;
	ssize_t n;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", st->path);
	text = json_object_to_json_string_ext(st->root, JSON_C_TO_STRING_PRETTY |
								JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(text);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	while (off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			goto fail;
		}
		off += (size_t)n;
	}
	if (write(fd, "\n", 1) != 1 || fsync(fd) < 0) {
		close(fd);
		goto fail;
	}
	close(fd);
	if (rename(tmp, st->path) < 0)
		goto fail;
	return 0;
fail:
	msg("petopo: cannot write %s: %s", st->path, strerror(errno));
	unlink(tmp);
	return -1;
}

json_object *state_list(struct state *st, const char *key)
{
	json_object *a;

	if (!json_object_object_get_ex(st->root, key, &a)) {
		a = json_object_new_array();
		json_object_object_add(st->root, key, a);
	}
	return a;
}

void state_list_add_str(struct state *st, const char *key, const char *s)
{
	json_object *a = state_list(st, key);
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(a, i)), s) == 0)
			return;
	json_object_array_add(a, json_object_new_string(s));
}

void state_list_del_str(struct state *st, const char *key, const char *s)
{
	json_object *a = state_list(st, key);
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(a, i)), s) == 0) {
			json_object_array_del_idx(a, i, 1);
			return;
		}
}

json_object *state_daemon_add(struct state *st, const char *node, const char *name, pid_t pid,
			      unsigned long long start, const char *log)
{
	json_object *d = json_object_new_object();

	json_object_object_add(d, "node", json_object_new_string(node));
	json_object_object_add(d, "name", json_object_new_string(name));
	json_object_object_add(d, "pid", json_object_new_int64(pid));
	json_object_object_add(d, "startTime", json_object_new_uint64(start));
	json_object_object_add(d, "log", json_object_new_string(log));
	json_object_array_add(state_list(st, "daemons"), d);
	return d;
}

const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_get_string(v);
}

int64_t jint(json_object *o, const char *key)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return 0;
	return json_object_get_int64(v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the topologies with a state file, sorted. */
int state_names(char ***names)
{
	DIR *d = opendir(penv.rundir);
	struct dirent *e;
	char path[1200];
	int n = 0;

	*names = NULL;
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/state.json", penv.rundir, e->d_name);
		if (access(path, F_OK) < 0)
			continue;
		*names = xrealloc(*names, sizeof(**names) * (size_t)(n + 1));
		(*names)[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(*names, (size_t)n, sizeof(**names), cmp_str);
	return n;
}
