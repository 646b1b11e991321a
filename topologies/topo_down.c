/* `petopo down NAME`: removes what the state file lists, in reverse order of
 * creation -- daemons (pid + start time checked), what the peds pinned in
 * the bpffs, veth links, namespaces, directories -- then the state
 * directory itself. Each step tolerates what is already gone, so down is
 * idempotent and also finishes a failed or interrupted up. Besides the
 * recorded namespaces, it removes those ped made at run time for VRFs
 * configured through pesh: they carry the node's namespace name as prefix
 * ("PREFIX-NODE-"), which petopo reserved for that ped with -P. Nothing
 * else is touched; a process that petopo did not start and that still runs
 * inside one of its namespaces is named and left alone. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/netns.h"
#include "topologies/petopo.h"

/* Names processes that still run inside namespace ns. */
static void report_squatters(const char *ns)
{
	char path[300], comm[64];
	struct stat nsb, pb;
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	if (stat(path, &nsb) < 0 || (d = opendir("/proc")) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		FILE *fp;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", e->d_name);
		if (stat(path, &pb) < 0 || pb.st_ino != nsb.st_ino || pb.st_dev != nsb.st_dev)
			continue;
		comm[0] = '\0';
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		if ((fp = fopen(path, "r")) != NULL) {
			if (fgets(comm, sizeof(comm), fp) != NULL)
				comm[strcspn(comm, "\n")] = '\0';
			fclose(fp);
		}
		msg("petopo: warning: process %s (%s) still runs in namespace %s; petopo did "
		    "not start it and leaves it alone", e->d_name, comm, ns);
	}
	closedir(d);
}

/* Namespaces ped made itself for VRFs added at run time (-P NODE-NS-). */
static void scan_vrf_netns(json_object *root, json_object *list)
{
	json_object *nodes, *n;
	struct dirent *e;
	DIR *d;
	size_t i;
	bool have;

	if (!json_object_object_get_ex(root, "nodes", &nodes) || (d = opendir("/run/netns")) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		json_object_object_foreach(nodes, name, nv) {
			const char *ns = jstr(nv, "netns"), *kind = jstr(nv, "kind");
			size_t l;

			(void)name;
			if (ns == NULL || kind == NULL || strcmp(kind, "ped") != 0)
				continue;
			l = strlen(ns);
			if (strncmp(e->d_name, ns, l) != 0 || e->d_name[l] != '-' || !e->d_name[l + 1])
				continue;
			have = false;
			for (i = 0; i < json_object_array_length(list); i++) {
				n = json_object_array_get_idx(list, i);
				if (strcmp(json_object_get_string(n), e->d_name) == 0)
					have = true;
			}
			if (!have)
				json_object_array_add(list, json_object_new_string(e->d_name));
		}
	}
	closedir(d);
}

/* What the stopped peds left pinned in the bpffs (topo_bpffs.c): a pinned
 * XDP link stays attached and a pinned map stays, so none may outlive the
 * testbed. -1 if some could not be removed. */
static int unpin_peds(json_object *root)
{
	json_object *nodes;
	int rc = 0;

	if (!json_object_object_get_ex(root, "nodes", &nodes))
		return 0;
	json_object_object_foreach(nodes, name, nv) {
		const char *ns = jstr(nv, "netns"), *kind = jstr(nv, "kind");

		if (ns == NULL || kind == NULL || strcmp(kind, "ped") != 0)
			continue;
		if (bpffs_node_clear(ns) < 0) {
			msg("petopo: node %s: cannot remove %s/pe/%s: %s", name, PETOPO_BPFFS, ns,
			    strerror(errno));
			rc = -1;
		}
	}
	return rc;
}

static int cmp_len_desc(const void *a, const void *b)
{
	const json_object *const *x = a, *const *y = b;
	size_t lx = strlen(json_object_get_string((json_object *)(uintptr_t)*x));
	size_t ly = strlen(json_object_get_string((json_object *)(uintptr_t)*y));

	return lx < ly ? 1 : lx > ly ? -1 : 0;
}

static void del_veths(json_object *veths)
{
	size_t i;
	char e[512];

	for (i = 0; i < json_object_array_length(veths); i++) {
		json_object *v = json_object_array_get_idx(veths, i);
		const char *ns = jstr(v, "netns"), *ifn = jstr(v, "ifname");
		const char *pns = jstr(v, "peerNetns"), *pifn = jstr(v, "peerIfname");

		/* one end is enough; ped may have moved either into a VRF */
		if (ns && ifn && netns_exists(ns) &&
		    run_ip(e, sizeof(e), "-n", ns, "link", "del", ifn, NULL) == 0)
			continue;
		if (pns && pifn && netns_exists(pns))
			(void)run_ip(e, sizeof(e), "-n", pns, "link", "del", pifn, NULL);
	}
}

int topo_teardown(struct state *st, bool verbose)
{
	json_object *ds, *nss, *dirs;
	int survivors, failed = 0, removed = 0, stopped;
	size_t i, len;
	char e[300];

	if (st->root == NULL) {
		rm_rf(st->dir);
		return 0;
	}
	json_object_object_add(st->root, "phase", json_object_new_string("tearing-down"));
	(void)state_write(st);

	ds = state_list(st, "daemons");
	stopped = (int)json_object_array_length(ds);
	survivors = daemons_stop(ds, 5000);
	if (survivors > 0) {
		msg("petopo: %d process%s would not stop, even with SIGKILL", survivors,
		    survivors == 1 ? "" : "es");
		failed++;
	} else {
		json_object_object_add(st->root, "daemons", json_object_new_array());
	}
	if (unpin_peds(st->root) < 0)
		failed++;

	del_veths(state_list(st, "veths"));
	json_object_object_add(st->root, "veths", json_object_new_array());

	nss = state_list(st, "netns");
	scan_vrf_netns(st->root, nss);
	/* "PREFIX-NODE-VRF" before "PREFIX-NODE" */
	json_object_array_sort(nss, cmp_len_desc);
	len = json_object_array_length(nss);
	for (i = 0; i < len; i++) {
		const char *ns = json_object_get_string(json_object_array_get_idx(nss, i));

		if (!netns_exists(ns))
			continue;
		report_squatters(ns);
		if (netns_delete(ns, e, sizeof(e)) < 0) {
			msg("petopo: cannot remove namespace %s: %s", ns, e);
			failed++;
			continue;
		}
		removed++;
	}

	dirs = state_list(st, "dirs");
	for (i = 0; i < json_object_array_length(dirs); i++) {
		const char *d = json_object_get_string(json_object_array_get_idx(dirs, i));

		if (rm_rf(d) < 0) {
			msg("petopo: cannot remove %s: %s", d, strerror(errno));
			failed++;
		}
	}
	if (failed) {
		(void)state_write(st);
		return -1;
	}
	if (rm_rf(st->dir) < 0) {
		msg("petopo: cannot remove %s: %s", st->dir, strerror(errno));
		return -1;
	}
	if (verbose)
		msg("petopo: %s: stopped %d daemon%s, removed %d namespace%s",
		    jstr(st->root, "name"), stopped, stopped == 1 ? "" : "s", removed,
		    removed == 1 ? "" : "s");
	return 0;
}

static int down_one(const char *name)
{
	struct state st;
	int rc;

	rc = state_lock(&st, name, false, 60);
	if (rc == 1) {
		msg("petopo: %s is not up (no %s/%s)", name, penv.rundir, name);
		return 0;
	}
	if (rc < 0)
		return 1;
	rc = state_read(&st);
	if (rc < 0) {
		state_unlock(&st);
		return 1;
	}
	rc = topo_teardown(&st, true);
	state_unlock(&st);
	(void)rmdir(penv.rundir); /* only if no other topology is up */
	return rc < 0 ? 1 : 0;
}

/* NAME, or the topology file (its name: is read). */
int cmd_down(const char *arg)
{
	size_t l = strlen(arg);
	int rc;

	if (strchr(arg, '/') != NULL || (l > 4 && strcmp(arg + l - 4, ".yml") == 0) ||
	    (l > 5 && strcmp(arg + l - 5, ".yaml") == 0)) {
		struct topo *t = topo_load(arg);

		if (t->name[0] == '\0') {
			msg("petopo: %s: no topology name found", arg);
			topo_free(t);
			return 1;
		}
		rc = down_one(t->name);
		topo_free(t);
		return rc;
	}
	if (!topo_name_ok(arg)) {
		msg("petopo: bad topology name \"%s\"", arg);
		return 1;
	}
	return down_one(arg);
}

int cmd_down_all(void)
{
	char **names;
	int n = state_names(&names), i, rc = 0;

	for (i = 0; i < n; i++) {
		if (down_one(names[i]) != 0)
			rc = 1;
		free(names[i]);
	}
	free(names);
	return rc;
}
