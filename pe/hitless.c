/* Hitless restart: forwarding that outlives ped.
 *
 * On exit, with `dataplane keep-on-exit` (the default), ped pins in bpffs,
 * under /sys/fs/bpf/pe/ID (ID: the node's namespace prefix without its
 * '-', else the node name):
 *   link_PORT  each XDP port's link ('.' written '~': bpffs refuses dots): the program and its maps stay attached
 *              and forwarding, with the tables as they were;
 *   labels     the labels in use, by client and owner (an array map);
 *   meta       written last: format, node, counts. Without it (a save
 *              that did not finish) the directory is discarded.
 * The kernel routes ped installed stay, and BGP sessions of instances in
 * graceful-restart mode close without a NOTIFICATION, so helpers keep our
 * routes (RFC 4724).
 *
 * On start, before the configuration is read, a valid directory gives:
 * the label manager its previous labels (each owner gets its own back, so
 * the labels neighbours hold stay valid), BGP the R bit and the F bit,
 * LDP its recovery time (RFC 3478), and the dataplane the pinned links:
 * each port takes its link over while the old program keeps forwarding on
 * the old maps, untouched, as new tables are built beside them. When the
 * restart is complete (every BGP peer that was up is back with End-of-RIB
 * for all its families, as many LDP sessions as before are up and no
 * label mapping came for a second, or the hold time passed) each port
 * switches to the new program with one atomic link update, the labels
 * nobody claimed are freed, and BGP sends its routes and End-of-RIB.
 * Stale entries are thus replaced only once fresh ones exist.
 *
 * A directory that is not valid (no meta, another format, another node's)
 * is discarded with a log line: its links are detached and ped starts
 * clean. `petopo down` removes the directory; tests start ped in a mount
 * namespace without bpffs, where nothing is kept. */
#include "config.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <event2/event.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "ldp/ldpd.h"
#include "lib/bpffs.h"
#include "lib/log.h"
#include "mpbgp/gr.h"
#include "mpbgp/speaker.h"
#include "pe/fwd/fwd_ctl.h"
#include "pe/hitless.h"
#include "pe/label.h"
#include "pe/ped.h"

#define META_MAGIC "PEKEEP"
#define META_VERSION 1
#define HOLD_DEFAULT 120


struct meta {
	char magic[8];
	uint32_t version;
	uint32_t nlinks, nlabels;
	uint32_t bgp_established, ldp_sessions;
	uint64_t saved_at; /* CLOCK_REALTIME seconds */
	char id[64];
};

struct lrec {
	uint32_t label;
	uint32_t client;
	char owner[LABEL_OWNER_KEYLEN];
};

static struct {
	bool no_keep;          /* `no dataplane keep-on-exit` */
	unsigned hold;         /* `dataplane restart-hold`, 0: default */
	char dir[300];
	/* the restart in progress */
	bool adopting;
	struct meta prev;
	struct timespec t0;
	struct event *ev;
	int quiet_ok;          /* consecutive checks with everything back */
	/* the last one, for show */
	bool done;
	double took;
	int switched;
	size_t freed;
	char how[200];
} H;

static double now_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The directory (lib/bpffs.h's rule, as petopo's): -P and -N come from the
 * command line, and "..", "a/b" or a dot name would point elsewhere */
static bool have_id(void)
{
	size_t n = strlen(ped.netns_prefix);
	char id[sizeof(ped.netns_prefix)];

	if (n > 1 && ped.netns_prefix[n - 1] == '-')
		snprintf(id, sizeof(id), "%.*s", (int)(n - 1), ped.netns_prefix);
	else if (ped.node[0])
		snprintf(id, sizeof(id), "%s", ped.node);
	else
		return false;
	return bpffs_node_dir(id, H.dir, sizeof(H.dir)) == 0;
}

static bool fwd_adopted(void)
{
	return H.adopting && H.prev.nlinks > 0 &&
	       (fwd_ctl_adopted_ports() > 0 || fwd_ctl_ports_pending());
}

/* RFC 3478's FT Reconnect Timeout is only promised when a restart of ours
 * would keep forwarding (ldpd_set_fwd_keepable_fn) */
static bool can_keep(void)
{
	return !H.no_keep && have_id() && bpffs_is(PE_BPFFS) && fwd_ctl_xdp_ports() > 0;
}

static const char *dir_id(void)
{
	return strrchr(H.dir, '/') + 1;
}

static void dir_clear(const char *dir, bool rm)
{
	struct dirent *de;
	char path[600];
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	if (rm)
		rmdir(dir);
}

static void discard(const char *why)
{
	log_warnx("hitless restart: discarding the pinned forwarding state in %s: %s; starting "
		  "clean",
		  H.dir, why);
	dir_clear(H.dir, true); /* its links detach as their last pin goes */
}

/* An array map pinned at dir/name with this geometry, else -1. */
static int open_array(const char *name, uint32_t vsize, uint32_t entries, char *why, size_t wl)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	char path[600];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", H.dir, name);
	if ((fd = bpf_obj_get(path)) < 0) {
		snprintf(why, wl, "%s: %s", name, strerror(errno));
		return -1;
	}
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0 || info.type != BPF_MAP_TYPE_ARRAY ||
	    info.key_size != 4 || info.value_size != vsize ||
	    (entries != 0 && info.max_entries != entries)) {
		snprintf(why, wl, "%s is not this version's map (wrong type or size)", name);
		close(fd);
		return -1;
	}
	return fd;
}

static int restore_labels(uint32_t n, char *why, size_t wl)
{
	struct lrec r;
	uint32_t i;
	size_t bad = 0;
	int fd;

	if (n == 0)
		return 0;
	if ((fd = open_array("labels", sizeof(struct lrec), n, why, wl)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(fd, &i, &r) != 0 || r.client >= LABEL_CLIENT_MAX ||
		    memchr(r.owner, '\0', sizeof(r.owner)) == NULL ||
		    label_restore_add((enum label_client)r.client, r.label, r.owner) != 0)
			bad++;
	}
	close(fd);
	if (bad > 0)
		log_warnx("hitless restart: %zu of %u saved labels not restored (bad or duplicate "
			  "records)",
			  bad, n);
	return 0;
}

void hitless_open(void)
{
	struct stat st;
	char why[200];
	uint32_t zero = 0;
	int fd;

	if (!have_id() || stat(H.dir, &st) != 0)
		return;
	if ((fd = open_array("meta", sizeof(struct meta), 1, why, sizeof(why))) < 0) {
		discard(why);
		return;
	}
	memset(&H.prev, 0, sizeof(H.prev));
	if (bpf_map_lookup_elem(fd, &zero, &H.prev) != 0) {
		close(fd);
		discard("meta cannot be read");
		return;
	}
	close(fd);
	H.prev.id[sizeof(H.prev.id) - 1] = '\0';
	if (memcmp(H.prev.magic, META_MAGIC, sizeof(META_MAGIC)) != 0 ||
	    H.prev.version != META_VERSION) {
		snprintf(why, sizeof(why), "format %.6s version %u, this ped reads %s version %u",
			 H.prev.magic[0] ? H.prev.magic : "?", H.prev.version, META_MAGIC,
			 META_VERSION);
		discard(why);
		return;
	}
	if (strcmp(H.prev.id, dir_id()) != 0) {
		snprintf(why, sizeof(why), "it is node %.60s's, not %s's", H.prev.id, dir_id());
		discard(why);
		return;
	}
	if (restore_labels(H.prev.nlabels, why, sizeof(why)) != 0) {
		label_restore_done();
		discard(why);
		return;
	}
	/* everything stays pinned until the switch: a ped that fails or stops
	 * before it leaves the same state to the next one */
	H.adopting = true;
	clock_gettime(CLOCK_MONOTONIC, &H.t0);
	fwd_ctl_adopt_from(H.dir);
	bgp_gr_set_restarting(fwd_adopted); /* F bit: while ports run the adopted programs */
	ldpd_set_fwd_preserved(H.prev.nlinks > 0);
	log_info("hitless restart: adopting the forwarding state saved %lds ago in %s (%u ports, "
		 "%u labels; before: %u BGP peers up, %u LDP sessions)",
		 (long)(time(NULL) - (time_t)H.prev.saved_at), H.dir, H.prev.nlinks,
		 H.prev.nlabels, H.prev.bgp_established, H.prev.ldp_sessions);
}

static void finish(const char *how)
{
	H.switched = fwd_ctl_adopt_finish();
	H.freed = label_restore_done();
	H.took = now_since(&H.t0);
	H.adopting = false;
	H.done = true;
	snprintf(H.how, sizeof(H.how), "%s", how);
	dir_clear(H.dir, true);
	if (H.ev != NULL)
		event_free(H.ev);
	H.ev = NULL;
	log_info("hitless restart complete after %.2f s (%s): %d ports on the new tables, %zu "
		 "labels of the previous run freed, %zu of its kernel routes removed",
		 H.took, how, H.switched, H.freed, core_sweep_ped());
	speaker_restart_done(); /* our routes and End-of-RIB, after the FIB (RFC 4724 4.1) */
}

static void check(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval tick = { 0, 100000 };
	unsigned est, eor, hold = H.hold ? H.hold : HOLD_DEFAULT;
	int ldp = ldpd_operational_sessions();
	uint64_t last = ldpd_last_mapping_ms();
	struct timespec t;
	uint64_t now;
	char how[200];

	(void)fd;
	(void)what;
	(void)arg;
	if (!H.adopting)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	now = (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
	bgp_gr_progress(&est, &eor);
	if (eor >= H.prev.bgp_established && ldp >= (int)H.prev.ldp_sessions &&
	    (H.prev.ldp_sessions == 0 || (last != 0 && now - last >= 1000))) {
		if (++H.quiet_ok >= 3) { /* the route notifications of the last turn applied */
			snprintf(how, sizeof(how),
				 "%u/%u BGP peers back with End-of-RIB, %d/%u LDP sessions", eor,
				 H.prev.bgp_established, ldp, H.prev.ldp_sessions);
			finish(how);
			return;
		}
	} else {
		H.quiet_ok = 0;
	}
	if (now_since(&H.t0) >= hold) {
		snprintf(how, sizeof(how),
			 "restart-hold of %u s reached with %u/%u BGP peers complete, %d/%u LDP "
			 "sessions",
			 hold, eor, H.prev.bgp_established, ldp, H.prev.ldp_sessions);
		finish(how);
		return;
	}
	event_add(H.ev, &tick);
}

/* A cold start after a kept exit: the routes that ped left in the kernel
 * and this one does not install go once the configuration is applied. */
static void cold_sweep(evutil_socket_t fd, short what, void *arg)
{
	size_t n = core_sweep_ped();

	(void)fd;
	(void)what;
	(void)arg;
	if (n > 0)
		log_info("%zu kernel routes of a previous ped removed", n);
}

void hitless_start(struct event_base *base)
{
	static const struct timeval later = { 2, 0 };

	if (!H.adopting) {
		H.ev = event_new(base, -1, 0, cold_sweep, NULL);
		event_add(H.ev, &later);
		return;
	}
	H.ev = event_new(base, -1, 0, check, NULL);
	check(-1, 0, NULL);
}

bool hitless_adopting(void)
{
	return H.adopting;
}

/* ---- keep on exit ---- */

struct lsave {
	struct lrec *r;
	uint32_t n, cap;
};

static void label_one(void *arg, mpls_label_t l, enum label_client c, const char *owner)
{
	struct lsave *s = arg;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->r = xrealloc(s->r, s->cap * sizeof(*s->r));
	}
	memset(&s->r[s->n], 0, sizeof(s->r[0]));
	s->r[s->n].label = l;
	s->r[s->n].client = (uint32_t)c;
	snprintf(s->r[s->n].owner, sizeof(s->r[0].owner), "%s", owner);
	s->n++;
}

static int pin_array(const char *name, const void *vals, uint32_t vsize, uint32_t n)
{
	char path[600];
	uint32_t i;
	int fd, r = -1;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, name, 4, vsize, n, NULL);
	if (fd < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (bpf_map_update_elem(fd, &i, (const char *)vals + (size_t)i * vsize, BPF_ANY) !=
		    0)
			goto out;
	snprintf(path, sizeof(path), "%s/%s", H.dir, name);
	r = bpf_obj_pin(fd, path);
out:
	close(fd);
	return r;
}

bool hitless_keep(void)
{
	struct lsave ls = { NULL, 0, 0 };
	struct meta m;
	unsigned est, eor;
	char err[200], path[320];
	int n;

	if (H.ev != NULL)
		event_free(H.ev);
	H.ev = NULL;
	if (H.no_keep || !have_id())
		return false;
	if (!bpffs_is(PE_BPFFS)) {
		log_info("keep-on-exit: no bpffs at %s here: forwarding stops with ped", PE_BPFFS);
		return false;
	}
	snprintf(path, sizeof(path), "%s/pe", PE_BPFFS);
	if ((mkdir(path, 0700) != 0 && errno != EEXIST) ||
	    (mkdir(H.dir, 0700) != 0 && errno != EEXIST)) {
		log_warnx("keep-on-exit: cannot make %s: %s", H.dir, strerror(errno));
		return false;
	}
	dir_clear(H.dir, false); /* what we adopted is held by fd and pinned again */
	n = fwd_ctl_keep(H.dir, err, sizeof(err));
	if (n < 0)
		log_warnx("keep-on-exit: nothing kept (%s)", err);
	else if (n == 0)
		log_info("keep-on-exit: nothing kept (no port on XDP)");
	if (n <= 0) {
		dir_clear(H.dir, true);
		return false;
	}
	label_foreach(label_one, &ls);
	memset(&m, 0, sizeof(m));
	memcpy(m.magic, META_MAGIC, sizeof(META_MAGIC));
	m.version = META_VERSION;
	m.nlinks = (uint32_t)n;
	m.nlabels = ls.n;
	bgp_gr_progress(&est, &eor);
	m.bgp_established = est;
	m.ldp_sessions = (uint32_t)ldpd_operational_sessions();
	if (H.adopting) { /* stopped mid-restart: the next one waits for as much */
		if (H.prev.bgp_established > m.bgp_established)
			m.bgp_established = H.prev.bgp_established;
		if (H.prev.ldp_sessions > m.ldp_sessions)
			m.ldp_sessions = H.prev.ldp_sessions;
	}
	m.saved_at = (uint64_t)time(NULL);
	snprintf(m.id, sizeof(m.id), "%s", dir_id());
	if ((ls.n > 0 && pin_array("labels", ls.r, sizeof(*ls.r), ls.n) != 0) ||
	    pin_array("meta", &m, sizeof(m), 1) != 0)
		log_warnx("keep-on-exit: cannot save the labels and meta in %s: %s; the next ped "
			  "will discard the links and start clean",
			  H.dir, strerror(errno));
	else
		log_info("keep-on-exit: forwarding continues on %d ports; %u labels, state in %s", n,
			 ls.n, H.dir);
	free(ls.r);
	ped.kept = true;
	return true;
}

/* ---- commands ---- */

static int keep_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)cli;
	H.no_keep = cmd_is_no(a);
	return CMD_SUCCESS;
}

static int hold_cmd(struct cli *cli, const struct cmd_args *a)
{
	H.hold = cmd_is_no(a) ? 0 : (unsigned)cmd_arg_u64(a, "hold");
	if (H.hold > 360)
		cli_out(cli, "%% Note: helpers keep our routes for their stale-path time (FRR's "
			     "and ped's default: 360 s), less than this hold\n");
	return CMD_SUCCESS;
}

void hitless_config_write(struct cli *cli)
{
	if (H.no_keep)
		cli_out(cli, "no dataplane keep-on-exit\n!\n");
	if (H.hold)
		cli_out(cli, "dataplane restart-hold %u\n!\n", H.hold);
}

void hitless_json(struct json_object *o)
{
	struct json_object *r = json_object_new_object();
	unsigned est, eor;

	json_object_object_add(r, "keepOnExit", json_object_new_boolean(!H.no_keep));
	json_object_object_add(r, "restartHoldSecs",
			       json_object_new_int((int)(H.hold ? H.hold : HOLD_DEFAULT)));
	if (H.adopting) {
		bgp_gr_progress(&est, &eor);
		json_object_object_add(r, "state", json_object_new_string("adopting"));
		json_object_object_add(r, "elapsedSecs", json_object_new_double(now_since(&H.t0)));
		json_object_object_add(r, "adoptedPorts",
				       json_object_new_int(fwd_ctl_adopted_ports()));
		json_object_object_add(r, "bgpPeersComplete", json_object_new_int((int)eor));
		json_object_object_add(r, "bgpPeersBefore",
				       json_object_new_int((int)H.prev.bgp_established));
		json_object_object_add(r, "ldpSessions",
				       json_object_new_int(ldpd_operational_sessions()));
		json_object_object_add(r, "ldpSessionsBefore",
				       json_object_new_int((int)H.prev.ldp_sessions));
		json_object_object_add(r, "labelsPending",
				       json_object_new_int64((int64_t)label_restore_pending()));
	} else if (H.done) {
		json_object_object_add(r, "state", json_object_new_string("complete"));
		json_object_object_add(r, "tookSecs", json_object_new_double(H.took));
		json_object_object_add(r, "portsSwitched", json_object_new_int(H.switched));
		json_object_object_add(r, "labelsFreed", json_object_new_int64((int64_t)H.freed));
		json_object_object_add(r, "completedBy", json_object_new_string(H.how));
	} else {
		json_object_object_add(r, "state", json_object_new_string("cold-start"));
	}
	json_object_object_add(o, "restart", r);
}

static const struct cmd_def cmds[] = {
	{ "[no] dataplane keep-on-exit",
	  NO_STR "Forwarding plane\n"
		 "Leave XDP forwarding running when ped exits, for the next ped to adopt (default)\n",
	  keep_cmd },
	{ "no dataplane restart-hold [(5-3600)$hold]",
	  NO_STR "Forwarding plane\n"
		 "Longest wait of a restarted ped for its peers (back to 120 s)\n"
		 "Seconds\n",
	  hold_cmd },
	{ "dataplane restart-hold (5-3600)$hold",
	  "Forwarding plane\n"
		 "Longest wait of a restarted ped for its peers before it switches to its new "
		 "tables (default 120)\n"
		 "Seconds\n",
	  hold_cmd },
};

void hitless_cli_init(void)
{
	cmd_install_table(NODE_CONFIG, cmds, ARRAY_SIZE(cmds));
	ldpd_set_fwd_keepable_fn(can_keep);
}
