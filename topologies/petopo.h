/* petopo: multi-node network-namespace testbeds built from a topology file.
 *
 * Stages, one file each:
 *   topo_parse.c   YAML -> struct topo (libyaml document API, line:column marks)
 *   topo_check.c   semantic validation: names, addresses, links, node configs
 *                  (ped -C, vtysh -C), before anything is created
 *   topo_state.c   the per-topology state file (write-ahead record of what was
 *                  created), its lock, and process identity (pid + start time)
 *   topo_proc.c    running helper commands and daemons (fork/exec, namespaces)
 *   topo_daemon.c  node kinds: how each kind's daemons start, get ready, stop
 *   topo_bpffs.c   the bpffs where ped pins its XDP state across restarts
 *   topo_up.c      `up`: the creation sequence
 *   topo_down.c    `down`: teardown from the state file, idempotent
 *   topo_restart.c `restart`: one node's ped stopped and started again
 *   topo_show.c    `status`, `exec`, `audit`
 *   petopo.c       command line
 */
#ifndef PE_PETOPO_H
#define PE_PETOPO_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "lib/bpffs.h"
#include "lib/log.h"
#include "lib/prefix.h"

#define TOPO_NAME_MAX 24   /* topology name, prefix, node name */
#define TOPO_NETNS_MAX 31  /* every namespace name petopo makes */
#define TOPO_IFNAME_MAX 15 /* IFNAMSIZ - 1 */
#define TOPO_VRF_MAX 31

#define PETOPO_RUNDIR_DEFAULT "/run/petopo"
#define FRR_DAEMON_DIR "/usr/lib/frr"
#define PETOPO_BPFFS PE_BPFFS /* ped pins under PETOPO_BPFFS/pe/NETNS (lib/bpffs.h) */

enum node_kind { KIND_PED, KIND_FRR, KIND_HOST, KIND_GOBGP, KIND_BIRD, KIND_COUNT };

/* Where something was written in the topology file (1-based). */
struct mark {
	int line, col;
};

/* An interface or loopback address, either family: p.af, p.len, and the
 * address itself in p (host bits kept: it is the interface address, not
 * its subnet). */
struct taddr {
	struct prefix p;
	char str[PREFIX_STRLEN]; /* canonical "A.B.C.D/M" or "X:X::X:X/M" (RFC 5952) */
	struct mark m;
};

struct tiface {
	char name[TOPO_IFNAME_MAX + 1];
	struct mark m;       /* interfaces: entry, else the link endpoint */
	bool declared;       /* has an interfaces: entry */
	int link;            /* index into topo.links, -1 if on none */
	struct taddr *addrs; /* from the topology file */
	int naddr;
	/* ped nodes, from the canonical config (ped -C): */
	char vrf[TOPO_VRF_MAX + 1]; /* "" = default VRF */
	bool in_config;
	struct taddr *cfg_addrs;
	int ncfg;
};

/* A host route; dst and via are of one family ("default" is 0.0.0.0/0 or
 * ::/0, after the gateway's family). */
struct troute {
	struct prefix dst;
	struct ipaddr via;
	char text[PREFIX_STRLEN + IPADDR_STRLEN + 8]; /* "10.0.0.0/8 via 10.1.1.1",
							 "2001:db8::/32 via 2001:db8:1:1::1" */
	struct mark m;
};

struct tnode {
	char name[TOPO_NAME_MAX + 1];
	enum node_kind kind;
	struct mark m, kind_m, config_m;
	char *config;      /* absolute path, NULL if none */
	char *config_arg;  /* as written in the topology file */
	char *config_text; /* ped -C canonical output (ped nodes) */
	char netns[TOPO_NETNS_MAX + 1];
	struct tiface *ifaces;
	int nifaces;
	struct taddr *loop;
	int nloop;
	struct troute *routes;
	int nroutes;
	char **vrfs; /* ped: declared + from the config */
	struct mark *vrf_m;
	int nvrfs;
	char **daemons; /* frr, or an IGP beside ped: besides zebra, in start order */
	int ndaemons;
	char *frr_config;     /* ped with daemons: their config (absolute path) */
	char *frr_config_arg; /* as written in the topology file */
	struct mark frr_config_m;
	int forwarding; /* 0/1; -1 = kind default */
};

struct tlink {
	struct {
		int node, iface;
		struct mark m;
	} end[2];
	struct mark m;
};

struct topo_msg {
	int line, col, seq;
	char *text;
};

struct topo {
	char *file;   /* as given (for messages) */
	char *dir;    /* absolute directory of the file (relative config paths) */
	char *abspath;
	char name[TOPO_NAME_MAX + 1];
	char prefix[TOPO_NAME_MAX + 1];
	struct mark name_m, prefix_m;
	bool has_prefix;
	struct tnode *nodes;
	int nnodes;
	struct tlink *links;
	int nlinks;
	bool ipv6;    /* some address or route is IPv6 (after topo_check) */
	int errors, warnings;
	struct topo_msg *msgs; /* reported by topo_report() */
	int nmsgs;
};

/* Settings shared by every command. */
struct petopo_env {
	char rundir[512];  /* $PETOPO_RUNDIR or /run/petopo */
	char pe_rundir[512]; /* $PE_RUNDIR or /run/pe (ped control sockets) */
	char ped[1024];    /* the ped binary */
	int timeout;       /* seconds a daemon may take to get ready */
};

extern struct petopo_env penv;
extern volatile sig_atomic_t topo_interrupted;

/* petopo.c */
const char *kind_name(enum node_kind k);
void msg(const char *fmt, ...) PE_PRINTF(1, 2);

/* topo_parse.c */
struct topo *topo_load(const char *path);
void topo_free(struct topo *t);
void topo_report(struct topo *t);
void topo_err(struct topo *t, const struct mark *m, const char *fmt, ...) PE_PRINTF(3, 4);
void topo_warn(struct topo *t, const struct mark *m, const char *fmt, ...) PE_PRINTF(3, 4);
int taddr_parse(const char *s, struct taddr *a);
struct tnode *topo_node(struct topo *t, const char *name);
struct tiface *tnode_iface(struct tnode *n, const char *name, bool create);
bool topo_name_ok(const char *s);
bool ifname_ok(const char *s);

/* topo_check.c */
int topo_check(struct topo *t);
int tiface_addrs(const struct tiface *f, struct taddr **out);
const char *node_vrf_netns(const struct tnode *n, int i, char *buf, size_t len);

/* topo_state.c */
struct state {
	char dir[600];
	char path[700];
	int lockfd;
	json_object *root;
};
int state_topo_dir(const char *name, char *buf, size_t len);
int state_lock(struct state *st, const char *name, bool create, int wait_s);
void state_unlock(struct state *st);
int state_read(struct state *st);
int state_write(struct state *st);
json_object *state_list(struct state *st, const char *key);
void state_list_add_str(struct state *st, const char *key, const char *s);
void state_list_del_str(struct state *st, const char *key, const char *s);
json_object *state_daemon_add(struct state *st, const char *node, const char *name, pid_t pid,
			      unsigned long long start, const char *log);
const char *jstr(json_object *o, const char *key);
int64_t jint(json_object *o, const char *key);
int state_names(char ***names);
int proc_starttime(pid_t pid, unsigned long long *st);
int proc_info(pid_t pid, char *state, pid_t *ppid, unsigned long long *start);
bool proc_alive(pid_t pid, unsigned long long start);
void iso8601_now(char *buf, size_t len);
int mkdir_p(const char *path, mode_t mode);
int rm_rf(const char *path);

/* topo_proc.c */
struct run_opts {
	const char *netns;  /* run inside this namespace (NULL: here) */
	int timeout_s;      /* 0: 30 s */
	char **out;         /* stdout+stderr captured (malloc'd) */
};
int run_argv(char *const argv[], const struct run_opts *o, char *err, size_t errlen);
int run_ip(char *err, size_t errlen, ...) __attribute__((sentinel));
char *argv_join(char *const argv[]);
struct spawn {
	const char *netns;    /* namespace to enter */
	const char *hostname; /* NULL: keep */
	const char *log;      /* stdout and stderr appended here */
	char *const *argv;
	char *const *env_add; /* NAME=VALUE, NULL-terminated, or NULL */
};
pid_t spawn_gated(const struct spawn *sp, int *gate);
int spawn_release(pid_t pid, int gate, bool go);
int enter_netns(const char *ns, bool remount_sys, char *err, size_t errlen);
int sysctl_netns(const char *ns, const char *key, const char *val, char *err, size_t errlen);
int wait_child(pid_t pid, int *status);
char *file_tail(const char *path, int lines);
bool netns_exists(const char *name);

/* topo_daemon.c */
int node_start(struct state *st, struct topo *t, struct tnode *n, char *err, size_t errlen);
int ped_start(struct state *st, const char *node, const char *netns, const char *dir,
	      json_object *argv, char *err, size_t errlen);
int daemons_stop(json_object *daemons, int grace_ms);
bool kind_needs_config(enum node_kind k);
int kind_check(struct topo *t, struct tnode *n);
const char *frr_daemon_ok(const char *d);
const char *ped_daemon_ok(const char *d);

/* topo_bpffs.c */
int bpffs_ensure(void);
int bpffs_hold(void);
void bpffs_attach(int fd);
int bpffs_node_count(const char *ns);
int bpffs_node_clear(const char *ns);

/* topo_up.c */
int cmd_up(const char *file, const char *name, const char *prefix, bool force);

/* topo_down.c */
int topo_teardown(struct state *st, bool verbose);
int cmd_down(const char *name);
int cmd_down_all(void);

/* topo_restart.c */
int cmd_restart(const char *spec, bool clean);

/* topo_show.c */
int cmd_status(const char *name, bool json);
int cmd_exec(const char *node, const char *vrf, char **argv);
int cmd_audit(const char *name, const char *out);
int find_node(const char *spec, char *topo_name, size_t tlen, char *node, size_t nlen,
	      json_object **nodeobj, struct state *st);

/* topo_up.c: seconds since t0 (CLOCK_MONOTONIC) */
struct timespec;
double topo_since(const struct timespec *t0);

#endif
