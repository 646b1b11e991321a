/* Looking at a running topology: `status` (from the state file, with a
 * liveness check of every recorded pid), `exec` (a command inside a node's
 * namespace), `audit` (one JSON document with every router's show ... json
 * outputs). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/ctl_proto.h"
#include "topologies/petopo.h"

/* ---- status ---- */

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (o != NULL)
		json_object_object_get_ex(o, key, &v);
	return v;
}

static json_object *status_obj(struct state *st)
{
	json_object *r = json_object_new_object(), *nodes = json_object_new_object();
	json_object *links = json_object_new_array(), *pn, *pl, *ds;
	const char *phase = jstr(st->root, "phase");
	size_t i, k;

	json_object_object_add(r, "name", json_object_new_string(jstr(st->root, "name")));
	json_object_object_add(r, "phase", json_object_new_string(phase ? phase : "?"));
	if (phase && strcmp(phase, "creating") == 0 && jint(st->root, "upPid") > 0)
		json_object_object_add(r, "upPid", json_object_new_int64(jint(st->root, "upPid")));
	json_object_object_add(r, "file", json_object_new_string(jstr(st->root, "file")));
	json_object_object_add(r, "prefix", json_object_new_string(jstr(st->root, "prefix")));
	json_object_object_add(r, "createdAt",
			       json_object_new_string(jstr(st->root, "createdAt")));
	json_object_object_add(r, "stateDir", json_object_new_string(st->dir));
	pn = jget(st->root, "nodes");
	ds = jget(st->root, "daemons");
	if (pn != NULL) {
		json_object_object_foreach(pn, name, nv) {
			json_object *o = json_object_new_object(), *dl = json_object_new_array();
			json_object *vrfs = jget(nv, "vrfs"), *vl = json_object_new_array();
			const char *ns = jstr(nv, "netns");

			json_object_object_add(o, "kind", json_object_new_string(jstr(nv, "kind")));
			json_object_object_add(o, "netns", json_object_new_string(ns));
			json_object_object_add(o, "netnsExists",
					       json_object_new_boolean(netns_exists(ns)));
			for (i = 0; vrfs != NULL && i < json_object_array_length(vrfs); i++) {
				json_object *v = json_object_array_get_idx(vrfs, i);
				json_object *vo = json_object_new_object();

				json_object_object_add(vo, "name",
						       json_object_new_string(jstr(v, "name")));
				json_object_object_add(vo, "netns",
						       json_object_new_string(jstr(v, "netns")));
				json_object_object_add(vo, "netnsExists",
						       json_object_new_boolean(
							       netns_exists(jstr(v, "netns"))));
				json_object_array_add(vl, vo);
			}
			if (vrfs != NULL)
				json_object_object_add(o, "vrfs", vl);
			else
				json_object_put(vl);
			for (k = 0; ds != NULL && k < json_object_array_length(ds); k++) {
				json_object *d = json_object_array_get_idx(ds, k), *dob;

				if (strcmp(jstr(d, "node"), name) != 0)
					continue;
				dob = json_object_new_object();
				json_object_object_add(dob, "name",
						       json_object_new_string(jstr(d, "name")));
				json_object_object_add(dob, "pid",
						       json_object_new_int64(jint(d, "pid")));
				json_object_object_add(
					dob, "alive",
					json_object_new_boolean(proc_alive(
						(pid_t)jint(d, "pid"),
						(unsigned long long)jint(d, "startTime"))));
				json_object_object_add(dob, "log",
						       json_object_new_string(jstr(d, "log")));
				json_object_array_add(dl, dob);
			}
			json_object_object_add(o, "daemons", dl);
			if (jget(nv, "loopback") != NULL)
				json_object_object_add(o, "loopback",
						       json_object_get(jget(nv, "loopback")));
			if (strcmp(jstr(nv, "kind"), "ped") == 0 && jstr(st->root, "peRundir")) {
				char sock[700];

				snprintf(sock, sizeof(sock), "%s/%s/ped.sock",
					 jstr(st->root, "peRundir"), name);
				json_object_object_add(o, "controlSocket",
						       json_object_new_string(sock));
			}
			if (strcmp(jstr(nv, "kind"), "frr") == 0) {
				char dir[800];

				snprintf(dir, sizeof(dir), "%s/%s", st->dir, name);
				json_object_object_add(o, "vtySocketDir",
						       json_object_new_string(dir));
			}
			json_object_object_add(nodes, name, o);
		}
	}
	json_object_object_add(r, "nodes", nodes);
	pl = jget(st->root, "links");
	for (i = 0; pl != NULL && i < json_object_array_length(pl); i++) {
		json_object *l = json_object_array_get_idx(pl, i), *eps = jget(l, "endpoints");
		json_object *lo = json_object_new_object(), *ends = json_object_new_array();

		for (k = 0; eps != NULL && k < json_object_array_length(eps); k++) {
			const char *ep = json_object_get_string(json_object_array_get_idx(eps, k));
			const char *colon = strchr(ep, ':');
			json_object *eo = json_object_new_object(), *nv, *ifo;
			char node[64];

			snprintf(node, sizeof(node), "%.*s", (int)(colon - ep), ep);
			nv = jget(pn, node);
			ifo = jget(jget(nv, "interfaces"), colon + 1);
			json_object_object_add(eo, "node", json_object_new_string(node));
			json_object_object_add(eo, "ifname", json_object_new_string(colon + 1));
			json_object_object_add(eo, "netns",
					       json_object_new_string(jstr(nv, "netns")));
			json_object_object_add(eo, "addresses",
					       ifo && jget(ifo, "addresses")
						       ? json_object_get(jget(ifo, "addresses"))
						       : json_object_new_array());
			if (jstr(ifo, "vrf") != NULL)
				json_object_object_add(eo, "vrf",
						       json_object_new_string(jstr(ifo, "vrf")));
			json_object_array_add(ends, eo);
		}
		json_object_object_add(lo, "endpoints", ends);
		json_object_array_add(links, lo);
	}
	json_object_object_add(r, "links", links);
	return r;
}

static void print_addrs(json_object *a)
{
	size_t i;

	for (i = 0; a != NULL && i < json_object_array_length(a); i++)
		printf(" %s", json_object_get_string(json_object_array_get_idx(a, i)));
}

static void status_text(json_object *s)
{
	json_object *nodes = jget(s, "nodes"), *links = jget(s, "links");
	size_t i, k;

	printf("%s: %s", jstr(s, "name"), jstr(s, "phase"));
	if (jint(s, "upPid") > 0)
		printf(" (petopo up, pid %lld)", (long long)jint(s, "upPid"));
	printf("\n  file %s\n  since %s, state in %s\n", jstr(s, "file"), jstr(s, "createdAt"),
	       jstr(s, "stateDir"));
	printf("  %-12s %-6s %-28s %s\n", "NODE", "KIND", "NAMESPACE", "DAEMONS");
	json_object_object_foreach(nodes, name, nv) {
		json_object *dl = jget(nv, "daemons"), *vrfs = jget(nv, "vrfs");
		bool nsok = json_object_get_boolean(jget(nv, "netnsExists"));

		printf("  %-12s %-6s %-28s", name, jstr(nv, "kind"), jstr(nv, "netns"));
		if (!nsok)
			printf(" (namespace missing)");
		for (i = 0; dl != NULL && i < json_object_array_length(dl); i++) {
			json_object *d = json_object_array_get_idx(dl, i);

			printf(" %s %lld %s", jstr(d, "name"), (long long)jint(d, "pid"),
			       json_object_get_boolean(jget(d, "alive")) ? "alive" : "DEAD");
		}
		if (dl == NULL || json_object_array_length(dl) == 0)
			printf(" -");
		printf("\n");
		if (jget(nv, "loopback") && json_object_array_length(jget(nv, "loopback"))) {
			printf("  %-12s lo:", "");
			print_addrs(jget(nv, "loopback"));
			printf("\n");
		}
		if (jstr(nv, "vtySocketDir") != NULL)
			printf("  %-12s vtysh --vty_socket %s\n", "", jstr(nv, "vtySocketDir"));
		if (jstr(nv, "controlSocket") != NULL)
			printf("  %-12s pesh -N %s (%s)\n", "", name, jstr(nv, "controlSocket"));
		for (i = 0; vrfs != NULL && i < json_object_array_length(vrfs); i++) {
			json_object *v = json_object_array_get_idx(vrfs, i);

			printf("  %-12s vrf %s: namespace %s%s\n", "", jstr(v, "name"),
			       jstr(v, "netns"),
			       json_object_get_boolean(jget(v, "netnsExists")) ? "" : " (missing)");
		}
	}
	printf("  LINKS\n");
	for (i = 0; links != NULL && i < json_object_array_length(links); i++) {
		json_object *ends = jget(json_object_array_get_idx(links, i), "endpoints");

		printf("  ");
		for (k = 0; k < json_object_array_length(ends); k++) {
			json_object *e = json_object_array_get_idx(ends, k);

			printf("%s%s:%s", k ? "  --  " : "", jstr(e, "node"), jstr(e, "ifname"));
			print_addrs(jget(e, "addresses"));
			if (jstr(e, "vrf"))
				printf(" (vrf %s)", jstr(e, "vrf"));
		}
		printf("\n");
	}
}

static int read_state_nolock(const char *name, struct state *st)
{
	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
	if (!topo_name_ok(name) || state_topo_dir(name, st->dir, sizeof(st->dir)) < 0) {
		msg("petopo: bad topology name \"%s\"", name);
		return -1;
	}
	snprintf(st->path, sizeof(st->path), "%s/state.json", st->dir);
	return state_read(st);
}

int cmd_status(const char *name, bool json)
{
	json_object *out = json_object_new_object(), *tops = json_object_new_object();
	char **names = NULL;
	int n, i, rc = 0;
	struct state st;

	json_object_object_add(out, "schemaVersion", json_object_new_int(1));
	if (name != NULL) {
		int r = read_state_nolock(name, &st);

		if (r != 0) {
			if (r > 0)
				msg("petopo: %s is not up", name);
			json_object_put(out);
			json_object_put(tops);
			return 1;
		}
		json_object_put(tops);
		json_object_put(out);
		out = status_obj(&st);
		json_object_object_add(out, "schemaVersion", json_object_new_int(1));
		state_unlock(&st);
		if (json)
			printf("%s\n", json_object_to_json_string_ext(
					       out, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
		else
			status_text(out);
		json_object_put(out);
		return 0;
	}
	n = state_names(&names);
	for (i = 0; i < n; i++) {
		if (read_state_nolock(names[i], &st) == 0) {
			json_object *s = status_obj(&st);

			if (!json)
				status_text(s);
			json_object_object_add(tops, names[i], s);
		}
		state_unlock(&st);
		free(names[i]);
	}
	free(names);
	json_object_object_add(out, "topologies", tops);
	if (json)
		printf("%s\n", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
									   JSON_C_TO_STRING_NOSLASHESCAPE));
	else if (n == 0)
		printf("no topology is up (state in %s)\n", penv.rundir);
	json_object_put(out);
	return rc;
}

/* ---- exec ---- */

/* "NODE" or "NAME:NODE": finds the node among the topologies that are up.
 * 0 found (st holds the state, unlocked), -1 not found / ambiguous. */
int find_node(const char *spec, char *topo_name, size_t tlen, char *node, size_t nlen,
	      json_object **nodeobj, struct state *st)
{
	const char *colon = strchr(spec, ':');
	char **names;
	int n, i, found = 0;

	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
	if (colon != NULL) {
		snprintf(topo_name, tlen, "%.*s", (int)(colon - spec), spec);
		snprintf(node, nlen, "%s", colon + 1);
		if (read_state_nolock(topo_name, st) != 0) {
			msg("petopo: topology %s is not up", topo_name);
			return -1;
		}
		*nodeobj = jget(jget(st->root, "nodes"), node);
		if (*nodeobj == NULL) {
			msg("petopo: topology %s has no node %s", topo_name, node);
			state_unlock(st);
			return -1;
		}
		return 0;
	}
	snprintf(node, nlen, "%s", spec);
	n = state_names(&names);
	for (i = 0; i < n; i++) {
		struct state s2;

		if (read_state_nolock(names[i], &s2) == 0 &&
		    jget(jget(s2.root, "nodes"), node) != NULL) {
			if (found++ == 0) {
				*st = s2;
				snprintf(topo_name, tlen, "%s", names[i]);
				s2.root = NULL;
			} else {
				msg("petopo: node %s is in topologies %s and %s: say which, as "
				    "NAME:%s", node, topo_name, names[i], node);
			}
		}
		state_unlock(&s2);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (found != 1) {
		if (found == 0)
			msg("petopo: no topology that is up has a node %s", node);
		state_unlock(st);
		return -1;
	}
	*nodeobj = jget(jget(st->root, "nodes"), node);
	return 0;
}

int cmd_exec(const char *spec, const char *vrf, char **argv)
{
	char tname[64], node[64], ns[128], err[300];
	json_object *nv;
	struct state st;
	char *shell_argv[2];

	if (find_node(spec, tname, sizeof(tname), node, sizeof(node), &nv, &st) < 0)
		return 1;
	if (vrf != NULL)
		snprintf(ns, sizeof(ns), "%s-%s", jstr(nv, "netns"), vrf);
	else
		snprintf(ns, sizeof(ns), "%s", jstr(nv, "netns"));
	state_unlock(&st);
	if (!netns_exists(ns)) {
		msg("petopo: node %s: namespace %s does not exist%s", node, ns,
		    vrf ? " (no such VRF?)" : "");
		return 1;
	}
	if (enter_netns(ns, true, err, sizeof(err)) < 0) {
		msg("petopo: %s", err);
		return 1;
	}
	if (argv[0] == NULL) {
		const char *sh = getenv("SHELL");

		shell_argv[0] = (char *)(uintptr_t)(sh && *sh ? sh : "/bin/sh");
		shell_argv[1] = NULL;
		argv = shell_argv;
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	execvp(argv[0], argv);
	msg("petopo: cannot run %s: %s", argv[0], strerror(errno));
	return 127;
}

/* ---- audit ---- */

static int ctl_open(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { 15, 0 };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int io_all(int fd, void *buf, size_t n, bool wr)
{
	char *p = buf;
	ssize_t r;

	while (n > 0) {
		r = wr ? send(fd, p, n, MSG_NOSIGNAL) : read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One command over ped's control socket: *out gets the text, returns the
 * command status (0 ok), -1 on a connection problem. */
static int ctl_exec(int fd, const char *cmd, char **out)
{
	uint8_t h[CTL_HDR_LEN];
	size_t len = 0, cap = 0;
	uint32_t l;
	char *buf = NULL;
	uint8_t status = 0;

	ctl_hdr_put(h, (uint32_t)strlen(cmd), CTL_EXEC);
	if (io_all(fd, h, sizeof(h), true) < 0 || io_all(fd, (void *)(uintptr_t)cmd,
							 strlen(cmd), true) < 0)
		return -1;
	for (;;) {
		if (io_all(fd, h, sizeof(h), false) < 0)
			goto lost;
		l = ctl_hdr_len(h);
		if (l > CTL_MAX_REPLY)
			goto lost;
		if (len + l + 1 > cap) {
			cap = len + l + 4096;
			buf = xrealloc(buf, cap);
		}
		if (l > 0 && io_all(fd, buf + len, l, false) < 0)
			goto lost;
		if (h[4] == CTL_OUTPUT) {
			len += l;
			continue;
		}
		if (h[4] != CTL_DONE || l < 1)
			goto lost;
		status = (uint8_t)buf[len];
		break;
	}
	if (buf == NULL)
		buf = xstrdup("");
	buf[len] = '\0';
	*out = buf;
	return status;
lost:
	free(buf);
	return -1;
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* Parsed JSON, else the text as a JSON string. FRR prints nothing at all
 * for some empty tables asked for in JSON: that is an empty object. */
static json_object *json_or_text(const char *text)
{
	json_object *j;

	if (strspn(text, " \t\r\n") == strlen(text))
		return json_object_new_object();
	j = json_tokener_parse(text);

	return j != NULL ? j : json_object_new_string(text);
}

static const char *const ped_cmds[] = {
	"show vrf json",       "show ip route vrf all json",  "show ip route json",
	"show interface json", "show bgp ipv4 vpn json",      "show mpls ldp binding json",
	"show mpls table json", "show dataplane json", NULL,
};

/* Asked besides the above when the topology has IPv6 addresses or routes. */
static const char *const ped_cmds6[] = {
	"show ipv6 route vrf all json", "show ipv6 route json", NULL,
};

/* Runs the commands of tab over fd; false when the connection was lost. */
static bool audit_ped_cmds(int fd, const char *const *tab, json_object *cmds, json_object *errs)
{
	char *out = NULL;
	int i, rc;

	for (i = 0; tab[i] != NULL; i++) {
		rc = ctl_exec(fd, tab[i], &out);
		if (rc < 0) {
			json_object_object_add(errs, tab[i],
					       json_object_new_string("lost the connection to ped"));
			return false;
		}
		trim(out);
		if (rc == 0)
			json_object_object_add(cmds, tab[i], json_or_text(out));
		else
			json_object_object_add(errs, tab[i], json_object_new_string(out));
		free(out);
	}
	return true;
}

static void audit_ped(const char *sock, bool ipv6, json_object *cmds, json_object *errs)
{
	int fd;

	fd = ctl_open(sock);
	if (fd < 0) {
		json_object_object_add(errs, "connect", json_object_new_string(strerror(errno)));
		return;
	}
	if (audit_ped_cmds(fd, ped_cmds, cmds, errs) && ipv6)
		audit_ped_cmds(fd, ped_cmds6, cmds, errs);
	close(fd);
}

static bool jarr_has_ipv6(json_object *a)
{
	size_t i;

	for (i = 0; a != NULL && json_object_is_type(a, json_type_array) &&
		    i < json_object_array_length(a);
	     i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(a, i));

		if (s != NULL && strchr(s, ':') != NULL)
			return true;
	}
	return false;
}

/* The plan (state file) lists addresses and routes of both families in the
 * same arrays; IPv6 ones are those with a ':'. */
static bool plan_has_ipv6(json_object *nodes)
{
	if (nodes == NULL)
		return false;
	json_object_object_foreach(nodes, name, nv) {
		json_object *ifs = jget(nv, "interfaces");

		(void)name;
		if (jarr_has_ipv6(jget(nv, "loopback")) || jarr_has_ipv6(jget(nv, "routes")))
			return true;
		if (ifs == NULL)
			continue;
		json_object_object_foreach(ifs, ifn, io) {
			(void)ifn;
			if (jarr_has_ipv6(jget(io, "addresses")))
				return true;
		}
	}
	return false;
}

static void audit_run(char *const argv[], const char *ns, const char *key, json_object *cmds,
		      json_object *errs)
{
	struct run_opts o = { 0 };
	char err[512], *out = NULL;

	o.netns = ns;
	o.out = &out;
	o.timeout_s = 20;
	if (run_argv(argv, &o, err, sizeof(err)) < 0) {
		trim(out ? out : err);
		json_object_object_add(errs, key, json_object_new_string(out && *out ? out : err));
	} else {
		json_object_object_add(cmds, key, json_or_text(out));
	}
	free(out);
}

/* FRR's daemons of a node; igp_only: those beside ped (zebra's tables are
 * ped's show ip route already, and would take its keys). */
static void audit_frr(json_object *nv, const char *dir, bool ipv6, bool igp_only,
		      json_object *cmds, json_object *errs)
{
	static const struct {
		const char *daemon, *cmd;
		bool ipv6; /* only in topologies with IPv6 */
	} tab[] = {
		{ "zebra", "show ip route json", false },
		{ "zebra", "show ipv6 route json", true },
		{ "bgpd", "show bgp summary json", false },
		{ "bgpd", "show bgp ipv4 vpn json", false },
		{ "ospfd", "show ip ospf neighbor json", false },
		{ "ospf6d", "show ipv6 ospf6 neighbor json", false },
		{ "isisd", "show isis neighbor json", false },
		{ "ldpd", "show mpls ldp neighbor json", false },
		{ "ldpd", "show mpls ldp binding json", false },
	};
	json_object *ds = jget(nv, "daemons");
	size_t i, k;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		bool runs = false;

		if ((tab[i].ipv6 && !ipv6) || (igp_only && strcmp(tab[i].daemon, "zebra") == 0))
			continue;

		for (k = 0; ds != NULL && k < json_object_array_length(ds); k++)
			if (strcmp(json_object_get_string(json_object_array_get_idx(ds, k)),
				   tab[i].daemon) == 0)
				runs = true;
		if (!runs)
			continue;
		{
			char *argv[] = { (char *)(uintptr_t) "vtysh",
					 (char *)(uintptr_t) "--vty_socket", (char *)(uintptr_t)dir,
					 (char *)(uintptr_t) "-c", (char *)(uintptr_t)tab[i].cmd,
					 NULL };

			audit_run(argv, NULL, tab[i].cmd, cmds, errs);
		}
	}
}

static int write_out(const char *path, const char *text)
{
	char tmp[1100];
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fp = fopen(tmp, "w")) == NULL) {
		msg("petopo: cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	fprintf(fp, "%s\n", text);
	if (fflush(fp) != 0 || fsync(fileno(fp)) < 0 || fclose(fp) != 0 || rename(tmp, path) < 0) {
		msg("petopo: cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int cmd_audit(const char *name, const char *outpath)
{
	json_object *doc, *nodes, *pn;
	struct state st;
	char now[40], dir[800];
	bool ipv6;
	int rc;

	rc = read_state_nolock(name, &st);
	if (rc != 0) {
		if (rc > 0)
			msg("petopo: %s is not up", name);
		return 1;
	}
	doc = json_object_new_object();
	nodes = json_object_new_object();
	iso8601_now(now, sizeof(now));
	json_object_object_add(doc, "schemaVersion", json_object_new_int(1));
	json_object_object_add(doc, "topology", json_object_new_string(name));
	json_object_object_add(doc, "time", json_object_new_string(now));
	pn = jget(st.root, "nodes");
	ipv6 = plan_has_ipv6(pn);
	json_object_object_foreach(pn, node, nv) {
		const char *kind = jstr(nv, "kind");
		json_object *o, *cmds, *errs;

		if (strcmp(kind, "host") == 0)
			continue;
		o = json_object_new_object();
		cmds = json_object_new_object();
		errs = json_object_new_object();
		json_object_object_add(o, "kind", json_object_new_string(kind));
		json_object_object_add(o, "netns", json_object_new_string(jstr(nv, "netns")));
		snprintf(dir, sizeof(dir), "%s/%s", st.dir, node);
		if (strcmp(kind, "ped") == 0) {
			char sock[800];

			snprintf(sock, sizeof(sock), "%s/%s/ped.sock", jstr(st.root, "peRundir"),
				 node);
			audit_ped(sock, ipv6, cmds, errs);
			if (jget(nv, "daemons") != NULL) /* an IGP beside ped */
				audit_frr(nv, dir, ipv6, true, cmds, errs);
		} else if (strcmp(kind, "frr") == 0) {
			audit_frr(nv, dir, ipv6, false, cmds, errs);
		} else if (strcmp(kind, "gobgp") == 0) {
			char *a1[] = { (char *)(uintptr_t) "gobgp", (char *)(uintptr_t) "-j",
				       (char *)(uintptr_t) "neighbor", NULL };
			char *a2[] = { (char *)(uintptr_t) "gobgp", (char *)(uintptr_t) "-j",
				       (char *)(uintptr_t) "global",   (char *)(uintptr_t) "rib",
				       (char *)(uintptr_t) "-a",       (char *)(uintptr_t) "vpnv4",
				       NULL };

			audit_run(a1, jstr(nv, "netns"), "gobgp -j neighbor", cmds, errs);
			audit_run(a2, jstr(nv, "netns"), "gobgp -j global rib -a vpnv4", cmds,
				  errs);
		} else if (strcmp(kind, "bird") == 0) {
			char sock[900];
			char *a[] = { (char *)(uintptr_t) "birdc", (char *)(uintptr_t) "-s", sock,
				      (char *)(uintptr_t) "show", (char *)(uintptr_t) "protocols",
				      NULL };

			snprintf(sock, sizeof(sock), "%s/bird.ctl", dir);
			audit_run(a, NULL, "birdc show protocols", cmds, errs);
		}
		json_object_object_add(o, "commands", cmds);
		json_object_object_add(o, "errors", errs);
		json_object_object_add(nodes, node, o);
	}
	json_object_object_add(doc, "nodes", nodes);
	{
		const char *text = json_object_to_json_string_ext(
			doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);

		if (outpath != NULL)
			rc = write_out(outpath, text) < 0 ? 1 : 0;
		else
			rc = printf("%s\n", text) < 0 ? 1 : 0;
	}
	json_object_put(doc);
	state_unlock(&st);
	return rc;
}
