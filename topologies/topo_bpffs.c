/* The BPF filesystem, for ped's hitless restart. When ped exits with XDP
 * forwarding active it pins its XDP links and some maps under
 * /sys/fs/bpf/pe/ID/ (ID: its namespace prefix without the trailing '-',
 * so for a petopo node the node's namespace name), forwarding goes on while
 * it is down, and the next ped adopts them. Under petopo that needs:
 *  - a bpffs at /sys/fs/bpf in petopo's mount namespace, the host's: pins
 *    live in it as long as it stays mounted (bpffs_ensure, by `up`);
 *  - the same bpffs instance at /sys/fs/bpf in the private mount namespace
 *    every daemon starts in, whose /sys is the node namespace's sysfs
 *    (enter_netns): a clone of the mount is taken before /sys goes away
 *    (bpffs_hold) and attached on the new /sys (bpffs_attach). A bpffs
 *    mounted inside that mount namespace would die with it;
 *  - a node's pins removed once its ped is stopped for good (`down`, a
 *    failed `up`) or on purpose (`restart --clean`): a pinned XDP link
 *    stays attached, so nothing of a testbed may stay pinned
 *    (bpffs_node_clear).
 * All of it is best effort: without a bpffs ped simply cannot keep
 * forwarding across a restart. /sys/fs/bpf is never unmounted. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "topologies/petopo.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

/* `up` of a topology with ped nodes. 1 mounted now, 0 was there, -1 could
 * not mount (noted; not fatal). */
int bpffs_ensure(void)
{
	if (bpffs_is(PETOPO_BPFFS))
		return 0;
	if (mount("bpf", PETOPO_BPFFS, "bpf", 0, "mode=0700") < 0) {
		msg("petopo: note: cannot mount a bpffs on %s: %s; ped will not keep "
		    "forwarding across a restart",
		    PETOPO_BPFFS, strerror(errno));
		return -1;
	}
	printf("petopo: mounted a bpffs on %s (ped pins its XDP state there across "
	       "restarts)\n",
	       PETOPO_BPFFS);
	return 1;
}

/* A detached clone of the bpffs mount at /sys/fs/bpf, to carry it over a
 * replacement of /sys; -1 if there is none or the kernel cannot. */
int bpffs_hold(void)
{
#ifdef SYS_open_tree
	if (!bpffs_is(PETOPO_BPFFS))
		return -1;
	return (int)syscall(SYS_open_tree, AT_FDCWD, PETOPO_BPFFS,
			    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
#else
	return -1;
#endif
}

/* Attaches what bpffs_hold returned at /sys/fs/bpf (now the new sysfs'
 * empty directory), and closes it. */
void bpffs_attach(int fd)
{
	if (fd < 0)
		return;
#ifdef SYS_move_mount
	(void)syscall(SYS_move_mount, fd, "", AT_FDCWD, PETOPO_BPFFS, MOVE_MOUNT_F_EMPTY_PATH);
#endif
	close(fd);
}

/* /sys/fs/bpf/pe/ID of a ped whose ID is the namespace name ns; -1 if ns
 * could name anything else. */
/* Files (pinned objects) under dir, at most depth levels down. */
static int count_pins(const char *dir, int depth)
{
	char path[900];
	struct dirent *e;
	struct stat sb;
	int n = 0;
	DIR *d;

	if (depth < 0 || (d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &sb) < 0)
			continue;
		n += S_ISDIR(sb.st_mode) ? count_pins(path, depth - 1) : 1;
	}
	closedir(d);
	return n;
}

/* How many objects ped pinned for namespace ns (0 if none). */
int bpffs_node_count(const char *ns)
{
	char dir[600];

	if (bpffs_node_dir(ns, dir, sizeof(dir)) < 0)
		return 0;
	return count_pins(dir, 4);
}

/* Unpins everything ped pinned for namespace ns: unlinks each pinned
 * object, removes the directories. 0 done (or nothing there), -1 with
 * errno. */
int bpffs_node_clear(const char *ns)
{
	char dir[600];

	if (bpffs_node_dir(ns, dir, sizeof(dir)) < 0) {
		errno = EINVAL;
		return -1;
	}
	return rm_rf(dir);
}
