/* `petopo restart [NAME:]NODE [--clean]`: the ped of one node of a running
 * testbed stopped and started again as `up` started it -- the argv recorded
 * in the state file, the node's copy of its config (DIR/ped.conf, with
 * whatever `write memory` saved there; the topology's files are not read
 * again), the same log, appended, the PE_RUNDIR of `up` -- then waited for
 * as `up` waits. That is how ped's hitless restart is exercised: the old
 * ped leaves its XDP links and maps pinned under /sys/fs/bpf/pe/NETNS/ and
 * forwarding goes on; the new one adopts them. --clean unpins them in
 * between (a cold restart).
 *
 * Only the recorded pid is signalled, and only while its start time still
 * matches: SIGTERM, SIGKILL after RESTART_GRACE_S. The topology's lock is
 * held throughout, so `up` and `down` of that topology wait for it. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "topologies/petopo.h"

#define RESTART_GRACE_S 10 /* from SIGTERM to SIGKILL */
#define RESTART_KILL_S 3   /* from SIGKILL to giving up */

enum stopped { STOP_TERM, STOP_KILL, STOP_STUCK, STOP_INTR };

/* Waits up to ms for the process to be gone; false if it is still there. */
static bool gone_within(pid_t pid, unsigned long long start, int ms, bool interruptible)
{
	int waited;

	for (waited = 0;; waited += 10) {
		if (!proc_alive(pid, start))
			return true;
		if (waited >= ms || (interruptible && topo_interrupted))
			return false;
		usleep(10 * 1000);
	}
}

static enum stopped stop_ped(pid_t pid, unsigned long long start)
{
	if (proc_alive(pid, start))
		kill(pid, SIGTERM);
	if (gone_within(pid, start, RESTART_GRACE_S * 1000, true))
		return STOP_TERM;
	if (topo_interrupted)
		return STOP_INTR;
	if (proc_alive(pid, start))
		kill(pid, SIGKILL);
	return gone_within(pid, start, RESTART_KILL_S * 1000, false) ? STOP_KILL : STOP_STUCK;
}

/* Index of the node's ped in the state's daemons, -1 if none. */
static int ped_index(struct state *st, const char *node)
{
	json_object *ds = state_list(st, "daemons");
	size_t i;

	for (i = 0; i < json_object_array_length(ds); i++) {
		json_object *d = json_object_array_get_idx(ds, i);
		const char *dn = jstr(d, "node"), *name = jstr(d, "name");

		if (dn && name && strcmp(dn, node) == 0 && strcmp(name, "ped") == 0)
			return (int)i;
	}
	return -1;
}

/* The topology locked and read, the node checked: a ped node of a topology
 * that is up, whose recorded ped runs. 0 ok (*idx = its daemon entry). */
static int restart_target(struct state *st, const char *tname, const char *node, json_object **nv,
			  int *idx)
{
	const char *phase, *kind;
	json_object *nodes, *d;
	int rc;

	rc = state_lock(st, tname, false, 30);
	if (rc == 1)
		msg("petopo: topology %s is not up", tname);
	if (rc != 0)
		return -1;
	if ((rc = state_read(st)) != 0) {
		if (rc == 1)
			msg("petopo: topology %s is not up", tname);
		return -1;
	}
	phase = jstr(st->root, "phase");
	if (phase == NULL || strcmp(phase, "up") != 0) {
		msg("petopo: topology %s is not up (phase %s)", tname, phase ? phase : "?");
		return -1;
	}
	if (!json_object_object_get_ex(st->root, "nodes", &nodes) ||
	    !json_object_object_get_ex(nodes, node, nv)) {
		msg("petopo: topology %s has no node %s", tname, node);
		return -1;
	}
	kind = jstr(*nv, "kind");
	if (kind == NULL || strcmp(kind, "ped") != 0) {
		msg("petopo: node %s of %s is a %s node: restart is for ped nodes", node, tname,
		    kind ? kind : "?");
		return -1;
	}
	*idx = ped_index(st, node);
	d = *idx >= 0 ? json_object_array_get_idx(state_list(st, "daemons"), (size_t)*idx) : NULL;
	if (d == NULL ||
	    !proc_alive((pid_t)jint(d, "pid"), (unsigned long long)jint(d, "startTime"))) {
		if (d != NULL)
			msg("petopo: ped on node %s of %s is not running (pid %lld recorded; its "
			    "log: %s): `petopo down %s` and up again",
			    node, tname, (long long)jint(d, "pid"), jstr(d, "log"), tname);
		else
			msg("petopo: ped on node %s of %s is not running (none recorded)", node,
			    tname);
		return -1;
	}
	return 0;
}

/* The old ped gone: what it left pinned, kept or (clean) removed. */
static int report_pins(const char *where, const char *ns, bool clean)
{
	int n = bpffs_node_count(ns);

	if (!bpffs_is(PETOPO_BPFFS)) {
		printf("%s: no bpffs at %s: nothing pinned\n", where, PETOPO_BPFFS);
		return 0;
	}
	if (clean) {
		if (bpffs_node_clear(ns) < 0) {
			msg("%s: cannot remove %s/pe/%s: %s", where, PETOPO_BPFFS, ns,
			    strerror(errno));
			return -1;
		}
		if (n > 0)
			printf("%s: removed %d pinned object%s in %s/pe/%s (--clean: cold "
			       "restart)\n",
			       where, n, n == 1 ? "" : "s", PETOPO_BPFFS, ns);
		else
			printf("%s: nothing pinned in %s/pe/%s (--clean: cold restart)\n", where,
			       PETOPO_BPFFS, ns);
	} else if (n > 0) {
		printf("%s: %d pinned object%s in %s/pe/%s, kept for the new ped\n", where, n,
		       n == 1 ? "" : "s", PETOPO_BPFFS, ns);
	} else {
		printf("%s: nothing pinned in %s/pe/%s\n", where, PETOPO_BPFFS, ns);
	}
	return 0;
}

static int restart_locked(struct state *st, const char *tname, const char *node, bool clean)
{
	char where[160], dir[700], err[4096];
	json_object *nv, *d, *argv;
	const char *ns, *rundir;
	unsigned long long start;
	struct timespec t0;
	enum stopped how;
	pid_t pid;
	int idx, rc;

	if (restart_target(st, tname, node, &nv, &idx) < 0)
		return 1;
	ns = jstr(nv, "netns");
	d = json_object_array_get_idx(state_list(st, "daemons"), (size_t)idx);
	pid = (pid_t)jint(d, "pid");
	start = (unsigned long long)jint(d, "startTime");
	/* the control socket where up put it, whatever PE_RUNDIR says now */
	if ((rundir = jstr(st->root, "peRundir")) != NULL)
		snprintf(penv.pe_rundir, sizeof(penv.pe_rundir), "%s", rundir);
	snprintf(where, sizeof(where), "petopo: %s:%s", tname, node);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	how = stop_ped(pid, start);
	switch (how) {
	case STOP_TERM:
		printf("%s: ped pid %ld exited %.2f s after SIGTERM\n", where, (long)pid,
		       topo_since(&t0));
		break;
	case STOP_KILL:
		printf("%s: ped pid %ld did not exit within %d s of SIGTERM: killed (%.2f s)\n",
		       where, (long)pid, RESTART_GRACE_S, topo_since(&t0));
		break;
	case STOP_STUCK:
		msg("%s: ped pid %ld survives SIGKILL; not restarted", where, (long)pid);
		return 1;
	case STOP_INTR:
		msg("%s: interrupted; ped pid %ld got SIGTERM and may still be exiting", where,
		    (long)pid);
		return 130;
	}
	if (report_pins(where, ns, clean) < 0)
		return 1;

	/* the new entry replaces the old one, with the same argv */
	argv = NULL;
	json_object_object_get_ex(d, "argv", &argv);
	argv = json_object_get(argv);
	json_object_array_del_idx(state_list(st, "daemons"), (size_t)idx, 1);
	snprintf(dir, sizeof(dir), "%s/%s", st->dir, node);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = ped_start(st, node, ns, dir, argv, err, sizeof(err));
	json_object_put(argv);
	if (rc < 0) {
		msg("%s: the new ped did not start: %s", where, err);
		return topo_interrupted ? 130 : 1;
	}
	idx = ped_index(st, node);
	d = json_object_array_get_idx(state_list(st, "daemons"), (size_t)idx);
	printf("%s: ped pid %lld started, ready in %.2f s (log %s)\n", where,
	       (long long)jint(d, "pid"), topo_since(&t0), jstr(d, "log"));
	return 0;
}

int cmd_restart(const char *spec, bool clean)
{
	char tname[64], node[64];
	json_object *nv;
	struct state st;
	int rc;

	/* the topology holding NODE; then again under its lock */
	if (find_node(spec, tname, sizeof(tname), node, sizeof(node), &nv, &st) < 0)
		return 1;
	state_unlock(&st);
	rc = restart_locked(&st, tname, node, clean);
	state_unlock(&st);
	return rc;
}
