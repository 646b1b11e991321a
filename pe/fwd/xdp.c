/* The XDP fast path's loader and map writer (see xdp.h and
 * bpf/fwd_xdp.bpf.c). The program is compiled at build time and embedded in
 * the binary (bpftool gen skeleton, bpf/fwd_xdp.skel.h).
 *
 * The maps are created once, by an instance whose programs are not loaded;
 * the program is loaded (verified) once, by a second instance sharing those
 * maps, when the first port needs it; each port then gets its own instance
 * of a small stub (the port index is a read-only constant of the instance)
 * that tail-calls the program. Verifying the program takes a good part of a
 * second; a stub, next to nothing, so a P with 64 ports opens them at once.
 * Programs are
 * attached through BPF links in native (driver) mode: a link is detached
 * when ped closes it or exits, so a crashed ped never leaves a program
 * behind, and an interface that already has an XDP program (someone
 * else's) is refused rather than taken over. */
#include "config.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <linux/if_link.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/netns.h"
/* generated code: bpftool casts const away */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include "pe/fwd/bpf/fwd_xdp.skel.h"
#pragma GCC diagnostic pop
#include "pe/fwd/bpf/xdp_maps.h"
#include "pe/fwd/xdp.h"
#include "vrf/fib.h"
#include "vrf/fib6.h"

_Static_assert(XF_MAX_PORTS == FWD_MAX_PORTS, "ports");
_Static_assert(XF_MAX_VRFS == FWD_MAX_VRFS, "vrfs");
_Static_assert(XF_MAX_PUSH == FWD_MAX_PUSH, "push");
_Static_assert(XF_MAX_ADJ == FWD_MAX_ADJ, "adj");
_Static_assert(XF_MAX_PE == FWD_MAX_PE, "PE slots");
_Static_assert(XF_DROP_MAX == FWD_DROP_MAX, "drop causes");
_Static_assert(XF_PUNT == FWD_PUNT, "punt");
_Static_assert(XF_DROP_STACK == FWD_DROP_STACK && XF_DROP_NO_NEIGH == FWD_DROP_NO_NEIGH &&
		       XF_DROP_TX == FWD_DROP_TX && XF_DROP_MALFORMED == FWD_DROP_MALFORMED,
	       "drop cause values");
_Static_assert(XF_NH_LOOKUP == FWD_NH_LOOKUP && XF_NH_FWD == FWD_NH_FWD &&
		       XF_NH_RECEIVE == FWD_NH_RECEIVE && XF_NH_DROP == FWD_NH_DROP,
	       "next-hop types");
_Static_assert(sizeof(struct xf_adj) == sizeof(struct fwd_adj) &&
		       offsetof(struct xf_adj, gw_af) == offsetof(struct fwd_adj, gw_af) &&
		       offsetof(struct xf_adj, gw6) == offsetof(struct fwd_adj, gw6) &&
		       offsetof(struct xf_adj, labels) == offsetof(struct fwd_adj, labels),
	       "adjacency layout");
_Static_assert(XF_AF_INET6 == AF_INET6 && XF_AF_IPV4 == FWD_AF_IPV4 && XF_AF_IPV6 == FWD_AF_IPV6,
	       "families");
_Static_assert(sizeof(struct xf_counters) == sizeof(struct fwd_counters) &&
		       offsetof(struct xf_counters, af) == offsetof(struct fwd_counters, af) &&
		       sizeof(struct xf_af_counters) == sizeof(struct fwd_af_counters),
	       "counter layout");
_Static_assert(XF_SLOW_LEN == FWD_BUF_SIZE - FWD_HEADROOM && XF_SLOW_LEN <= XF_SLOW_MAX,
	       "slow-path frames fit the worker's buffers");
_Static_assert(FIB_NH_MAX < XF_LPM_CHILD, "next-hop ids and child pointers differ");
_Static_assert(sizeof(struct xf_lpm_node) == XF_LPM_SLOTS * sizeof(uint32_t), "node layout");

/* The VRF tries of xf_lpm (xdp_maps.h) as user space keeps them: the
 * array itself (mmapped, written with 32-bit atomic stores) and a shadow
 * of it giving each slot the route it stands for (next hop and length: the
 * longest route of length <= 8 (L + 1) covering the slot of a node at level
 * L, also where the slot points to a child), plus every route of every VRF
 * in a hash (vrf, len, prefix) -> nh, where a delete finds the covering
 * route that takes over.
 *
 * Nodes are never freed: a child stays under its slot when the routes that
 * made it go (its slots then all hold the inherited route), and is reused
 * when longer routes come back, so the nodes in use are bounded by the
 * distinct /8, /16 and /24 of the routes longer than them that ever
 * existed, whatever the churn; fwd_xdp_sync starts afresh. */
struct lpm_route {
	uint64_t key;         /* vrf << 40 | len << 32 | prefix; nh 0: empty */
	uint32_t nh;
};

struct lpm {
	uint32_t *a;          /* the mmapped xf_lpm: node n slot s = a[n * 256 + s] */
	size_t maplen;
	uint32_t *sh;         /* shadow: nh << 8 | len, nh 0: no route */
	uint32_t nodes, used; /* capacity, allocated (node 0 included) */
	uint32_t root[FWD_MAX_VRFS];
	struct lpm_route *rt; /* open addressing, linear probing */
	size_t rtmask, rtn;
};

/* default: 2048 nodes of 1 KiB (2 MiB mapped, as much again for the
 * shadow), enough for many small VRFs (a VRF of routes no longer than /24
 * needs at most 1 + its distinct /8 + its distinct /16 of routes longer
 * than those); a full Internet table needs tens of thousands */
static size_t lpm_nodes_next = XF_LPM_NODES;

struct xport {
	struct xf_bpf *skel;  /* this port's stub instance, NULL: none loaded */
	struct bpf_link *link;
	bool adopted;         /* link is a previous ped's, still running its program */
	int nsfd;             /* dup of the namespace it is attached in, -1 */
	int ifindex;
};

struct fwd_xdp {
	struct xf_bpf *maps;  /* the instance that owns the maps */
	struct xf_bpf *prog;  /* the instance whose fwd_xdp is loaded (xf_main[0]), NULL: not yet */
	int fd_ports, fd_tx, fd_lpm, fd_local, fd_vrf, fd_nh, fd_lfib, fd_neigh, fd_cfg, fd_pedown;
	int fd_pcnt, fd_vcnt, fd_slow;
	int fd_lpm6, fd_local6, fd_neigh6, fd_vlocal;
	uint32_t v6[FWD_MAX_VRFS]; /* struct xf_vrf.v6 of each VRF */
	int ncpu;
	struct ring_buffer *ring;
	struct lpm lpm;
	struct xport port[FWD_MAX_PORTS];
	/* the poll in progress (slow path) */
	void (*frame)(void *arg, uint16_t in_port, const uint8_t *data, uint16_t len);
	void (*resolve)(void *arg, uint16_t port, uint32_t ip);
	void *arg;
	unsigned left, done;
	/* hitless restart: links a previous ped pinned, not claimed by a port
	 * yet; frozen: the maps belong to a program that outlives us */
	struct adopted { char name[32]; struct bpf_link *link; } *adopt;
	size_t nadopt;
	int old_main[8];      /* the adopted programs' xf_main, held until the switch */
	int nold_main;
	bool frozen;
};

static void errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* libbpf prints through log.c, warnings only (its debug output is loud) */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	if (level != LIBBPF_WARN)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_debug("libbpf: %s", line);
	return 0;
}

/* ---- maps ---- */

static int ring_sample(void *ctx, void *data, size_t size);
static void adopted_drop(struct fwd_xdp *x, size_t i);

struct fwd_xdp *fwd_xdp_new(char *err, size_t errlen)
{
	struct fwd_xdp *x = xcalloc(1, sizeof(*x));
	struct xf_cfg cfg = { 0, 1 };
	uint32_t zero = 0;
	size_t nodes = lpm_nodes_next;
	void *m;
	int i;

	libbpf_set_print(libbpf_print);
	x->lpm.a = MAP_FAILED;
	for (i = 0; i < FWD_MAX_PORTS; i++)
		x->port[i].nsfd = -1;
	x->ncpu = libbpf_num_possible_cpus();
	if (x->ncpu <= 0) {
		errf(err, errlen, "cannot count CPUs: %s", strerror(-x->ncpu));
		goto fail;
	}
	x->maps = xf_bpf__open();
	if (x->maps == NULL) {
		errf(err, errlen, "cannot open the XDP object: %s", strerror(errno));
		goto fail;
	}
	bpf_program__set_autoload(x->maps->progs.fwd_xdp, false);
	bpf_program__set_autoload(x->maps->progs.fwd_xdp_port, false);
	if (nodes < 2 || nodes > XF_LPM_CHILD / XF_LPM_SLOTS ||
	    bpf_map__set_max_entries(x->maps->maps.xf_lpm, (uint32_t)nodes) != 0) {
		errf(err, errlen, "bad XDP route table size (%zu nodes)", nodes);
		goto fail;
	}
	if ((i = xf_bpf__load(x->maps)) != 0) {
		errf(err, errlen, "cannot create the XDP maps: %s", strerror(-i));
		goto fail;
	}
	x->fd_ports = bpf_map__fd(x->maps->maps.xf_ports);
	x->fd_tx = bpf_map__fd(x->maps->maps.xf_tx);
	x->fd_lpm = bpf_map__fd(x->maps->maps.xf_lpm);
	x->fd_local = bpf_map__fd(x->maps->maps.xf_local);
	x->fd_vrf = bpf_map__fd(x->maps->maps.xf_vrf);
	x->fd_nh = bpf_map__fd(x->maps->maps.xf_nh);
	x->fd_lfib = bpf_map__fd(x->maps->maps.xf_lfib);
	x->fd_pedown = bpf_map__fd(x->maps->maps.xf_pedown);
	x->fd_neigh = bpf_map__fd(x->maps->maps.xf_neigh);
	x->fd_cfg = bpf_map__fd(x->maps->maps.xf_cfg);
	x->fd_pcnt = bpf_map__fd(x->maps->maps.xf_pcnt);
	x->fd_vcnt = bpf_map__fd(x->maps->maps.xf_vcnt);
	x->fd_slow = bpf_map__fd(x->maps->maps.xf_slow);
	x->fd_lpm6 = bpf_map__fd(x->maps->maps.xf_lpm6);
	x->fd_local6 = bpf_map__fd(x->maps->maps.xf_local6);
	x->fd_neigh6 = bpf_map__fd(x->maps->maps.xf_neigh6);
	x->fd_vlocal = bpf_map__fd(x->maps->maps.xf_vlocal);
	x->lpm.nodes = (uint32_t)nodes;
	x->lpm.used = 1; /* node 0: "none" */
	x->lpm.maplen = nodes * sizeof(struct xf_lpm_node);
	m = mmap(NULL, x->lpm.maplen, PROT_READ | PROT_WRITE, MAP_SHARED, x->fd_lpm, 0);
	if (m == MAP_FAILED) {
		errf(err, errlen, "cannot map the XDP route table: %s", strerror(errno));
		goto fail;
	}
	x->lpm.a = m;
	x->lpm.sh = xcalloc(nodes, sizeof(struct xf_lpm_node));
	x->lpm.rtmask = 1023;
	x->lpm.rt = xcalloc(x->lpm.rtmask + 1, sizeof(*x->lpm.rt));
	if (bpf_map_update_elem(x->fd_cfg, &zero, &cfg, BPF_ANY) != 0) {
		errf(err, errlen, "cannot write the XDP configuration: %s", strerror(errno));
		goto fail;
	}
	x->ring = ring_buffer__new(x->fd_slow, ring_sample, x, NULL);
	if (x->ring == NULL) {
		errf(err, errlen, "cannot map the slow-path ring: %s", strerror(errno));
		goto fail;
	}
	return x;
fail:
	fwd_xdp_free(x);
	return NULL;
}

void fwd_xdp_free(struct fwd_xdp *x)
{
	int i;

	if (x == NULL)
		return;
	for (i = 0; i < FWD_MAX_PORTS; i++)
		fwd_xdp_detach(x, (uint16_t)i);
	while (x->nadopt > 0)
		adopted_drop(x, x->nadopt - 1);
	free(x->adopt);
	while (x->nold_main > 0)
		close(x->old_main[--x->nold_main]);
	xf_bpf__destroy(x->prog);
	ring_buffer__free(x->ring);
	if (x->lpm.a != MAP_FAILED)
		munmap(x->lpm.a, x->lpm.maplen);
	free(x->lpm.sh);
	free(x->lpm.rt);
	xf_bpf__destroy(x->maps);
	free(x);
}

/* ---- programs ---- */

/* Runs fn(x, arg) inside namespace nsfd (< 0: here) on this thread. */
static int in_netns(int nsfd, int (*fn)(void *arg), void *arg)
{
	int self, r, e;

	if (nsfd < 0)
		return fn(arg);
	if ((self = netns_self()) < 0 || setns(nsfd, CLONE_NEWNET) != 0)
		return -errno;
	r = fn(arg);
	e = errno;
	if (setns(self, CLONE_NEWNET) != 0)
		fatal("setns back");
	errno = e;
	return r;
}

/* Opens an instance of the object whose maps are the ones x created and
 * whose only program loaded is prog (fwd_xdp or fwd_xdp_port). */
static struct xf_bpf *instance_open(struct fwd_xdp *x, bool stub, char *err, size_t errlen)
{
	struct bpf_map *m;
	struct xf_bpf *s;

	if ((s = xf_bpf__open()) == NULL) {
		errf(err, errlen, "cannot open the XDP object: %s", strerror(errno));
		return NULL;
	}
	bpf_program__set_autoload(stub ? s->progs.fwd_xdp : s->progs.fwd_xdp_port, false);
	/* every map but the instance's own constants is the shared one */
	bpf_object__for_each_map(m, s->obj) {
		const char *name = bpf_map__name(m);
		struct bpf_map *shared;

		if (strchr(name, '.') != NULL)
			continue;
		shared = bpf_object__find_map_by_name(x->maps->obj, name);
		if (shared == NULL || bpf_map__reuse_fd(m, bpf_map__fd(shared)) != 0) {
			errf(err, errlen, "cannot share map %s", name);
			xf_bpf__destroy(s);
			return NULL;
		}
	}
	return s;
}

/* The program itself, once: verified, then entered from every port's stub
 * through xf_main[0]. */
static int main_load(struct fwd_xdp *x, char *err, size_t errlen)
{
	uint32_t zero = 0;
	struct xf_bpf *s;
	int r, fd;

	if (x->prog != NULL)
		return 0;
	if ((s = instance_open(x, false, err, errlen)) == NULL)
		return -1;
	if ((r = xf_bpf__load(s)) != 0) {
		errf(err, errlen, "the kernel refused the XDP program: %s", strerror(-r));
		xf_bpf__destroy(s);
		return -1;
	}
	fd = bpf_program__fd(s->progs.fwd_xdp);
	if (bpf_map_update_elem(bpf_map__fd(x->maps->maps.xf_main), &zero, &fd, BPF_ANY) != 0) {
		errf(err, errlen, "cannot enter the XDP program in xf_main: %s", strerror(errno));
		xf_bpf__destroy(s);
		return -1;
	}
	x->prog = s;
	return 0;
}

int fwd_xdp_prog_load(struct fwd_xdp *x, uint16_t idx, char *err, size_t errlen)
{
	struct xport *p;
	struct xf_bpf *s;
	int r;

	if (idx >= FWD_MAX_PORTS) {
		errf(err, errlen, "port index %u out of range", idx);
		return -1;
	}
	p = &x->port[idx];
	if (p->skel != NULL)
		return 0;
	if (main_load(x, err, errlen) != 0)
		return -1;
	if ((s = instance_open(x, true, err, errlen)) == NULL)
		return -1;
	s->rodata->xf_port_idx = idx;
	if ((r = xf_bpf__load(s)) != 0) {
		errf(err, errlen, "the kernel refused the XDP program: %s", strerror(-r));
		xf_bpf__destroy(s);
		return -1;
	}
	p->skel = s;
	return 0;
}

struct attach_arg {
	struct xport *p;
	int ifindex;
	struct bpf_link *link;
	const char *why;
};

/* A link in the mode the driver offers; anything but native (driver) mode
 * is refused: generic XDP would cost more than the AF_PACKET path. */
static int attach_here(void *arg)
{
	struct attach_arg *a = arg;
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	a->link = bpf_program__attach_xdp(a->p->skel->progs.fwd_xdp_port, a->ifindex);
	if (a->link == NULL) {
		a->why = errno == EBUSY || errno == EEXIST ? "another XDP program is attached"
							    : strerror(errno);
		return -1;
	}
	if (bpf_xdp_query(a->ifindex, 0, &q) != 0 || q.attach_mode != XDP_ATTACHED_DRV) {
		bpf_link__destroy(a->link);
		a->link = NULL;
		a->why = "the driver has no native XDP";
		return -1;
	}
	return 0;
}

int fwd_xdp_attach(struct fwd_xdp *x, uint16_t idx, int nsfd, int ifindex, char *err,
		   size_t errlen)
{
	struct attach_arg a;
	struct xport *p;

	if (fwd_xdp_prog_load(x, idx, err, errlen) != 0)
		return -1;
	p = &x->port[idx];
	if (p->link != NULL && p->ifindex == ifindex)
		return 0;
	if (p->link != NULL) {
		bpf_link__destroy(p->link);
		p->link = NULL;
	}
	memset(&a, 0, sizeof(a));
	a.p = p;
	a.ifindex = ifindex;
	if (in_netns(nsfd, attach_here, &a) != 0) {
		errf(err, errlen, "cannot attach XDP: %s", a.why ? a.why : strerror(errno));
		return -1;
	}
	p->link = a.link;
	p->ifindex = ifindex;
	if (p->nsfd >= 0)
		close(p->nsfd);
	p->nsfd = nsfd >= 0 ? dup(nsfd) : -1;
	return 0;
}

void fwd_xdp_detach(struct fwd_xdp *x, uint16_t idx)
{
	struct xport *p;

	if (idx >= FWD_MAX_PORTS)
		return;
	p = &x->port[idx];
	if (p->link != NULL && p->adopted && !x->frozen)
		bpf_link__unpin(p->link); /* else its pin would keep it */
	if (p->link != NULL)
		bpf_link__destroy(p->link); /* closing the link detaches (not a kept one) */
	p->link = NULL;
	p->adopted = false;
	xf_bpf__destroy(p->skel);
	p->skel = NULL;
	if (p->nsfd >= 0)
		close(p->nsfd);
	p->nsfd = -1;
	p->ifindex = 0;
}

bool fwd_xdp_attached(const struct fwd_xdp *x, uint16_t idx)
{
	return idx < FWD_MAX_PORTS && x->port[idx].link != NULL;
}

/* ---- hitless restart ---- */

/* dir/link_NAME: bpffs refuses names with a dot, so a dot of an interface
 * name (eth1.100) is written '~' */
static void pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	size_t n = (size_t)snprintf(buf, len, "%s/link_", dir);

	for (; *name && n + 1 < len; name++)
		buf[n++] = *name == '.' ? '~' : *name;
	buf[n < len ? n : len - 1] = '\0';
}

/* Pins one link at dir/link_NAME: by fd, since libbpf refuses to pin a
 * link it opened from a pin (its pin_path is set) */
static int pin_link(struct bpf_link *l, const char *dir, const char *name, char *path,
		    size_t len)
{
	pin_path(path, len, dir, name);
	return bpf_obj_pin(bpf_link__fd(l), path);
}

int fwd_xdp_keep(struct fwd_xdp *x, const char *dir, const char *(*name_of)(uint16_t idx),
		 char *err, size_t errlen)
{
	char path[512];
	int i, n = 0;
	size_t k;

	for (i = 0; i < FWD_MAX_PORTS; i++) {
		struct xport *p = &x->port[i];
		const char *name;

		if (p->link == NULL || (name = name_of((uint16_t)i)) == NULL)
			continue;
		if (pin_link(p->link, dir, name, path, sizeof(path)) != 0) {
			errf(err, errlen, "cannot pin %s: %s", path, strerror(errno));
			return -1; /* the caller empties dir */
		}
		n++;
	}
	/* links of a previous ped no port claimed yet: the next ped may */
	for (k = 0; k < x->nadopt; k++)
		if (pin_link(x->adopt[k].link, dir, x->adopt[k].name, path, sizeof(path)) != 0)
			log_warnx("dataplane: cannot pin %s: %s", path, strerror(errno));
	/* the kernel empties a program array when its last user reference
	 * goes (the stubs' tail call would then fail): pinned, it stays;
	 * so do those of ports still on a previous program */
	for (i = 0; i < x->nold_main; i++) {
		snprintf(path, sizeof(path), "%s/main_array_%d", dir, i);
		if (bpf_obj_pin(x->old_main[i], path) != 0)
			log_warnx("dataplane: cannot pin %s: %s", path, strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/main_array", dir);
	if (x->prog != NULL && bpf_obj_pin(bpf_map__fd(x->maps->maps.xf_main), path) != 0) {
		errf(err, errlen, "cannot pin %s: %s", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (x->port[i].link != NULL)
			bpf_link__disconnect(x->port[i].link); /* destroy must not detach it */
	for (k = 0; k < x->nadopt; k++)
		bpf_link__disconnect(x->adopt[k].link);
	x->frozen = true;
	return n;
}

int fwd_xdp_adopt(struct fwd_xdp *x, const char *dir)
{
	struct dirent *de;
	char path[512];
	DIR *d;
	int fd;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		struct bpf_link *l;

		char *c;

		if (strncmp(de->d_name, "main_array", 10) == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			if (x->nold_main == (int)(sizeof(x->old_main) / sizeof(x->old_main[0])))
				log_warnx("dataplane: more than %zu program arrays pinned; %s not held",
					  sizeof(x->old_main) / sizeof(x->old_main[0]), path);
			else if ((fd = bpf_obj_get(path)) >= 0)
				x->old_main[x->nold_main++] = fd;
			continue;
		}
		if (strncmp(de->d_name, "link_", 5) != 0 || strlen(de->d_name + 5) >= 32)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((l = bpf_link__open(path)) == NULL) {
			log_warnx("dataplane: pinned link %s cannot be opened: %s", path,
				  strerror(errno));
			continue;
		}
		x->adopt = xrealloc(x->adopt, (x->nadopt + 1) * sizeof(*x->adopt));
		snprintf(x->adopt[x->nadopt].name, sizeof(x->adopt[0].name), "%s", de->d_name + 5);
		for (c = x->adopt[x->nadopt].name; *c; c++)
			if (*c == '~')
				*c = '.';
		x->adopt[x->nadopt++].link = l;
	}
	closedir(d);
	return (int)x->nadopt;
}

static void adopted_drop(struct fwd_xdp *x, size_t i)
{
	if (!x->frozen)
		bpf_link__unpin(x->adopt[i].link);
	bpf_link__destroy(x->adopt[i].link); /* the last reference: detached */
	x->adopt[i] = x->adopt[--x->nadopt];
}

int fwd_xdp_adopt_port(struct fwd_xdp *x, uint16_t idx, const char *name, int nsfd, int ifindex,
		       char *err, size_t errlen)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);
	struct xport *p;
	size_t i;

	for (i = 0; i < x->nadopt; i++)
		if (strcmp(x->adopt[i].name, name) == 0)
			break;
	if (i == x->nadopt || idx >= FWD_MAX_PORTS)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_link__fd(x->adopt[i].link), &info, &len) != 0) {
		log_warnx("dataplane: port %s: its pinned link cannot be read: %s; discarded", name,
			  strerror(errno));
		adopted_drop(x, i);
		return 0;
	}
	if (info.type != BPF_LINK_TYPE_XDP || (int)info.xdp.ifindex != ifindex) {
		log_info("dataplane: port %s: its pinned link was another interface's of that name "
			 "(ifindex %u, now %d); discarded",
			 name, info.xdp.ifindex, ifindex);
		adopted_drop(x, i);
		return 0;
	}
	if (fwd_xdp_prog_load(x, idx, err, errlen) != 0)
		return -1;
	p = &x->port[idx];
	if (p->link != NULL)
		bpf_link__destroy(p->link);
	p->link = x->adopt[i].link;
	p->adopted = true;
	p->ifindex = ifindex;
	if (p->nsfd >= 0)
		close(p->nsfd);
	p->nsfd = nsfd >= 0 ? dup(nsfd) : -1;
	x->adopt[i] = x->adopt[--x->nadopt];
	return 1;
}

int fwd_xdp_adopt_finish(struct fwd_xdp *x)
{
	char err[200];
	int i, n = 0;

	while (x->nadopt > 0)
		adopted_drop(x, x->nadopt - 1);
	free(x->adopt);
	x->adopt = NULL;
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		struct xport *p = &x->port[i];
		int ifindex = p->ifindex, nsfd;

		if (p->link == NULL || !p->adopted)
			continue;
		bpf_link__unpin(p->link);
		p->adopted = false;
		/* one atomic swap per port: the old program forwards until the new
		 * one does */
		if (bpf_link__update_program(p->link, p->skel->progs.fwd_xdp_port) == 0) {
			n++;
			continue;
		}
		log_warnx("dataplane: port %u: cannot replace the previous program: %s; attaching "
			  "afresh", (unsigned)i, strerror(errno));
		bpf_link__destroy(p->link);
		p->link = NULL;
		nsfd = p->nsfd >= 0 ? dup(p->nsfd) : -1;
		if (fwd_xdp_attach(x, (uint16_t)i, nsfd, ifindex, err, sizeof(err)) != 0)
			log_warnx("dataplane: port %u: %s", (unsigned)i, err);
		if (nsfd >= 0)
			close(nsfd);
	}
	while (x->nold_main > 0)
		close(x->old_main[--x->nold_main]);
	return n;
}

bool fwd_xdp_adopting(const struct fwd_xdp *x, uint16_t idx)
{
	return idx < FWD_MAX_PORTS && x->port[idx].adopted;
}

/* ---- map writers ---- */

struct devmap_arg {
	int fd;
	uint32_t key, ifindex;
};

static int devmap_here(void *arg)
{
	struct devmap_arg *d = arg;

	return bpf_map_update_elem(d->fd, &d->key, &d->ifindex, BPF_ANY);
}

int fwd_xdp_set_port(struct fwd_xdp *x, uint16_t idx, const struct fwd_port_cfg *cfg, int nsfd,
		     bool slowtx)
{
	struct devmap_arg d = { x->fd_tx, idx, 0 };
	uint32_t key = idx;
	struct xf_port v;

	if (x->frozen)
		return 0;
	if (idx >= FWD_MAX_PORTS)
		return -1;
	if (cfg == NULL) {
		bpf_map_delete_elem(x->fd_tx, &key);
		if (bpf_map_delete_elem(x->fd_ports, &key) != 0 && errno != ENOENT)
			return -1;
		return 0;
	}
	memset(&v, 0, sizeof(v));
	v.vrf_id = cfg->vrf_id;
	v.mtu = cfg->mtu;
	v.addr = cfg->addr;
	memcpy(v.addr6, cfg->addr6, 16);
	memcpy(v.mac, cfg->mac, 6);
	v.flags = (uint8_t)((cfg->up ? XF_PORT_UP : 0) | (slowtx ? XF_PORT_SLOWTX : 0));
	/* the DEVMAP entry first: a port is never routed to before it has one
	 * (and without one, frames to it are counted txFailed) */
	d.ifindex = (uint32_t)cfg->ifindex;
	if (cfg->ifindex > 0 && in_netns(nsfd, devmap_here, &d) != 0)
		log_debug("xdp: no redirect entry for port %u (ifindex %d): %s", idx, cfg->ifindex,
			  strerror(errno));
	return bpf_map_update_elem(x->fd_ports, &key, &v, BPF_ANY);
}

static void nh_to_xf(const struct fwd_nh *nh, struct xf_nh *v)
{
	unsigned n = nh->nadj < FWD_MAX_ADJ ? nh->nadj : FWD_MAX_ADJ;
	unsigned nb = nh->nbackup <= FWD_MAX_ADJ - n ? nh->nbackup : FWD_MAX_ADJ - n;

	memset(v, 0, sizeof(*v));
	v->type = nh->type;
	v->nadj = (uint8_t)n;
	v->nbackup = (uint8_t)nb;
	v->pe_slot = nh->pe_slot;
	v->vrf_id = nh->vrf_id;
	memcpy(v->adj, nh->adj, (n + nb) * sizeof(nh->adj[0]));
}

int fwd_xdp_set_pe_down(struct fwd_xdp *x, uint32_t slot, bool down)
{
	uint32_t v = down;

	if (x->frozen || slot >= XF_MAX_PE)
		return 0;
	return bpf_map_update_elem(x->fd_pedown, &slot, &v, BPF_ANY);
}

static int set_nh(int fd, uint32_t key, const struct fwd_nh *nh)
{
	struct xf_nh v;

	if (nh == NULL) {
		if (bpf_map_delete_elem(fd, &key) != 0 && errno != ENOENT)
			return -1;
		return 0;
	}
	nh_to_xf(nh, &v);
	return bpf_map_update_elem(fd, &key, &v, BPF_ANY);
}

int fwd_xdp_set_nh(struct fwd_xdp *x, uint32_t id, const struct fwd_nh *nh)
{
	if (x->frozen)
		return 0;
	return set_nh(x->fd_nh, id, nh);
}

int fwd_xdp_set_lfib(struct fwd_xdp *x, mpls_label_t label, const struct fwd_nh *nh)
{
	if (x->frozen)
		return 0;
	return set_nh(x->fd_lfib, label, nh);
}

/* ---- the VRF tries ---- */

void fwd_xdp_set_lpm_nodes(size_t n)
{
	lpm_nodes_next = n;
}

size_t fwd_xdp_lpm_nodes_used(struct fwd_xdp *x)
{
	return x->lpm.used;
}

const uint32_t *fwd_xdp_lpm_array(struct fwd_xdp *x)
{
	return x->lpm.a;
}

uint32_t fwd_xdp_lpm_root(struct fwd_xdp *x, uint32_t vrf_id)
{
	struct xf_vrf v;

	if (vrf_id >= FWD_MAX_VRFS || bpf_map_lookup_elem(x->fd_vrf, &vrf_id, &v) != 0)
		return 0;
	return v.root;
}

/* The reader (the program) may walk the entry at any time: one store */
static void lpm_put(struct lpm *l, uint32_t node, uint32_t slot, uint32_t e)
{
	__atomic_store_n(&l->a[(size_t)node * XF_LPM_SLOTS + slot], e, __ATOMIC_RELEASE);
}

static uint32_t lpm_get(const struct lpm *l, uint32_t node, uint32_t slot)
{
	return l->a[(size_t)node * XF_LPM_SLOTS + slot];
}

static uint32_t *lpm_sh(struct lpm *l, uint32_t node, uint32_t slot)
{
	return &l->sh[(size_t)node * XF_LPM_SLOTS + slot];
}

static uint64_t rt_key(uint32_t vrf, uint32_t addr, uint8_t len)
{
	return (uint64_t)vrf << 40 | (uint64_t)len << 32 | addr;
}

static size_t rt_hash(uint64_t k, size_t mask)
{
	k ^= k >> 29;
	k *= 0xbf58476d1ce4e5b9ull;
	k ^= k >> 32;
	return (size_t)k & mask;
}

/* the slot of key k, or the empty slot where it would go */
static struct lpm_route *rt_find(struct lpm *l, uint64_t k)
{
	size_t i = rt_hash(k, l->rtmask);

	while (l->rt[i].nh != 0 && l->rt[i].key != k)
		i = (i + 1) & l->rtmask;
	return &l->rt[i];
}

static void rt_set(struct lpm *l, uint64_t k, uint32_t nh)
{
	struct lpm_route *r;

	if ((l->rtn + 1) * 2 > l->rtmask + 1) {
		struct lpm_route *old = l->rt;
		size_t n = l->rtmask + 1, i;

		l->rtmask = n * 2 - 1;
		l->rt = xcalloc(n * 2, sizeof(*l->rt));
		for (i = 0; i < n; i++)
			if (old[i].nh != 0)
				*rt_find(l, old[i].key) = old[i];
		free(old);
	}
	r = rt_find(l, k);
	if (r->nh == 0)
		l->rtn++;
	r->key = k;
	r->nh = nh;
}

/* deletion with backward shift: no tombstones */
static void rt_del(struct lpm *l, struct lpm_route *r)
{
	size_t i = (size_t)(r - l->rt), j = i, h;

	l->rtn--;
	for (;;) {
		l->rt[i].nh = 0;
		for (;;) {
			j = (j + 1) & l->rtmask;
			if (l->rt[j].nh == 0)
				return;
			h = rt_hash(l->rt[j].key, l->rtmask);
			/* j's entry may move to i unless its home is in (i, j] */
			if (i <= j ? (h <= i || h > j) : (h <= i && h > j))
				break;
		}
		l->rt[i] = l->rt[j];
		i = j;
	}
}

static uint32_t lpm_alloc(struct lpm *l)
{
	if (l->used >= l->nodes)
		return 0;
	return l->used++;
}

static uint32_t mask_of(uint8_t len)
{
	return len ? ~(uint32_t)((1ull << (32 - len)) - 1) : 0;
}

/* Sets the slots of node (and, where they point to children, the slots
 * below) that stand for a route the change replaces: on insert (del
 * false) those holding a route no longer than len or none, on delete those
 * holding the deleted length len; they get nh/nlen. */
static void lpm_fill(struct lpm *l, uint32_t node, uint32_t first, uint32_t count, bool del,
		     uint8_t len, uint32_t nh, uint8_t nlen)
{
	uint32_t s, *sh, e;

	for (s = first; s < first + count; s++) {
		sh = lpm_sh(l, node, s);
		if (del ? (*sh >> 8 == 0 || (*sh & 0xff) != len)
			: (*sh >> 8 != 0 && (*sh & 0xff) > len))
			continue;
		*sh = nh << 8 | nlen;
		e = lpm_get(l, node, s);
		if (e & XF_LPM_CHILD)
			lpm_fill(l, e & ~XF_LPM_CHILD, 0, XF_LPM_SLOTS, del, len, nh, nlen);
		else
			lpm_put(l, node, s, nh);
	}
}

/* The VRF state word as the program reads it, with the root we hold. */
static int vrf_write(struct fwd_xdp *x, uint32_t vrf_id, uint32_t state)
{
	struct xf_vrf v = { state, x->lpm.root[vrf_id], x->v6[vrf_id] };

	return bpf_map_update_elem(x->fd_vrf, &vrf_id, &v, BPF_ANY);
}

static uint32_t vrf_state(struct fwd_xdp *x, uint32_t vrf_id)
{
	struct xf_vrf v;

	if (bpf_map_lookup_elem(x->fd_vrf, &vrf_id, &v) != 0)
		return 0;
	return v.state;
}

/* Out of nodes: a missing route would let a shorter one match in XDP, so
 * the VRF's packets go to the slow path instead (for good). */
static int lpm_full(struct fwd_xdp *x, uint32_t vrf_id)
{
	vrf_write(x, vrf_id, XF_VRF_SLOW);
	errno = ENOSPC;
	return -1;
}

int fwd_xdp_set_route(struct fwd_xdp *x, uint32_t vrf_id, uint32_t addr, uint8_t len, uint32_t nh)
{
	struct lpm *l = &x->lpm;
	struct lpm_route *r;
	uint32_t node, e, c, s, rnh = 0, *sh;
	uint8_t level, rlen = 0;
	int k;

	if (x->frozen)
		return 0;
	if (len > 32 || vrf_id >= FWD_MAX_VRFS || nh > FIB_NH_MAX) {
		errno = EINVAL;
		return -1;
	}
	addr &= mask_of(len);
	if (nh == FIB_NH_NONE) {
		r = rt_find(l, rt_key(vrf_id, addr, len));
		if (r->nh == 0)
			return 0;
		rt_del(l, r);
		/* the covering route takes over */
		for (k = len - 1; k >= 0; k--) {
			r = rt_find(l, rt_key(vrf_id, addr & mask_of((uint8_t)k), (uint8_t)k));
			if (r->nh != 0) {
				rnh = r->nh;
				rlen = (uint8_t)k;
				break;
			}
		}
	} else if (l->root[vrf_id] == 0) {
		if ((c = lpm_alloc(l)) == 0)
			return lpm_full(x, vrf_id);
		/* cleared, not assumed clear: a forked copy of this process
		 * (tests) may have written the shared array */
		for (k = 0; k < XF_LPM_SLOTS; k++) {
			*lpm_sh(l, c, (uint32_t)k) = 0;
			lpm_put(l, c, (uint32_t)k, 0);
		}
		l->root[vrf_id] = c;
		if (vrf_write(x, vrf_id, vrf_state(x, vrf_id)) != 0)
			return -1;
	}
	if ((node = l->root[vrf_id]) == 0)
		return 0; /* a delete in a VRF without routes */
	/* down to the level of the prefix, making the nodes on the way */
	for (level = 0; len > XF_LPM_STRIDE * (level + 1); level++) {
		s = addr >> (24 - XF_LPM_STRIDE * level) & 0xff;
		e = lpm_get(l, node, s);
		if (e & XF_LPM_CHILD) {
			node = e & ~XF_LPM_CHILD;
			continue;
		}
		if (nh == FIB_NH_NONE)
			return 0; /* not there (cannot happen) */
		if ((c = lpm_alloc(l)) == 0)
			return lpm_full(x, vrf_id);
		/* complete before it is linked: it holds what the slot did */
		sh = lpm_sh(l, node, s);
		for (k = 0; k < XF_LPM_SLOTS; k++) {
			*lpm_sh(l, c, (uint32_t)k) = *sh;
			lpm_put(l, c, (uint32_t)k, *sh >> 8);
		}
		lpm_put(l, node, s, XF_LPM_CHILD | c);
		node = c;
	}
	s = addr >> (24 - XF_LPM_STRIDE * level) & 0xff;
	c = 1u << (XF_LPM_STRIDE * (level + 1) - len);
	if (nh == FIB_NH_NONE) {
		lpm_fill(l, node, s, c, true, len, rnh, rlen);
	} else {
		rt_set(l, rt_key(vrf_id, addr, len), nh);
		lpm_fill(l, node, s, c, false, len, nh, len);
	}
	return 0;
}

int fwd_xdp_set_route6(struct fwd_xdp *x, uint32_t vrf_id, const uint8_t addr[16], uint8_t len,
		       uint32_t nh)
{
	struct xf_lpm6_key k;
	int i;

	if (x->frozen)
		return 0;
	if (len > 128 || vrf_id >= FWD_MAX_VRFS || nh > FIB_NH_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(&k, 0, sizeof(k));
	k.prefixlen = 32 + (uint32_t)len;
	k.vrf = vrf_id;
	memcpy(k.ip, addr, 16);
	/* host bits off, as the trie expects a canonical key */
	for (i = 0; i < 16; i++)
		if (i * 8 >= len)
			k.ip[i] = 0;
		else if (i * 8 + 8 > len)
			k.ip[i] &= (uint8_t)(0xff00u >> (len - i * 8));
	if (nh == FIB_NH_NONE) {
		if (bpf_map_delete_elem(x->fd_lpm6, &k) != 0 && errno != ENOENT)
			return -1;
		return 0;
	}
	/* an update replaces the entry atomically for readers (RCU) */
	if (bpf_map_update_elem(x->fd_lpm6, &k, &nh, BPF_ANY) != 0) {
		int e = errno;

		lpm_full(x, vrf_id);
		errno = e;
		return -1;
	}
	return 0;
}

/* Forgets every route and node (fwd_xdp_sync; xf_vrf is reset there). */
static void lpm_reset(struct lpm *l)
{
	size_t i;

	for (i = 0; i < (size_t)l->used * XF_LPM_SLOTS; i++)
		__atomic_store_n(&l->a[i], 0, __ATOMIC_RELAXED);
	memset(l->sh, 0, (size_t)l->used * sizeof(struct xf_lpm_node));
	l->used = 1;
	memset(l->root, 0, sizeof(l->root));
	memset(l->rt, 0, (l->rtmask + 1) * sizeof(*l->rt));
	l->rtn = 0;
}

static bool has_ip(const struct fwd_neigh_tab *t, uint32_t ip, const uint8_t **mac)
{
	uint32_t i, n;

	if (t == NULL || ip == 0)
		return false;
	i = fwd_neigh_hash(ip) & t->mask;
	for (n = 0; n <= t->mask; n++) {
		if (t->slot[i].ip == ip) {
			*mac = t->slot[i].mac;
			return true;
		}
		if (t->slot[i].ip == 0)
			return false;
		i = (i + 1) & t->mask;
	}
	return false;
}

int fwd_xdp_set_neigh(struct fwd_xdp *x, uint16_t idx, const struct fwd_neigh_tab *old,
		      const struct fwd_neigh_tab *new)
{
	struct xf_addr_key k;
	struct xf_mac v;
	const uint8_t *mac;
	uint32_t i;
	int r = 0;

	if (x->frozen)
		return 0;
	k.id = idx;
	/* additions and changes first, so a present neighbor never vanishes */
	for (i = 0; new != NULL && i <= new->mask; i++) {
		if (new->slot[i].ip == 0)
			continue;
		if (has_ip(old, new->slot[i].ip, &mac) && memcmp(mac, new->slot[i].mac, 6) == 0)
			continue;
		k.ip = new->slot[i].ip;
		memset(&v, 0, sizeof(v));
		memcpy(v.mac, new->slot[i].mac, 6);
		if (bpf_map_update_elem(x->fd_neigh, &k, &v, BPF_ANY) != 0)
			r = -1;
	}
	for (i = 0; old != NULL && i <= old->mask; i++) {
		if (old->slot[i].ip == 0 || has_ip(new, old->slot[i].ip, &mac))
			continue;
		k.ip = old->slot[i].ip;
		bpf_map_delete_elem(x->fd_neigh, &k);
	}
	return r;
}

static bool has_ip6(const struct fwd_neigh6_tab *t, const uint8_t *ip, const uint8_t **mac)
{
	static const uint8_t zero[16];
	uint32_t i, n;

	if (t == NULL)
		return false;
	i = fwd_neigh6_hash(ip) & t->mask;
	for (n = 0; n <= t->mask; n++) {
		if (memcmp(t->slot[i].ip, ip, 16) == 0) {
			*mac = t->slot[i].mac;
			return true;
		}
		if (memcmp(t->slot[i].ip, zero, 16) == 0)
			return false;
		i = (i + 1) & t->mask;
	}
	return false;
}

int fwd_xdp_set_neigh6(struct fwd_xdp *x, uint16_t idx, const struct fwd_neigh6_tab *old,
		       const struct fwd_neigh6_tab *new)
{
	static const uint8_t zero[16];
	struct xf_addr6_key k;
	struct xf_mac v;
	const uint8_t *mac;
	uint32_t i;
	int r = 0;

	if (x->frozen)
		return 0;
	k.id = idx;
	for (i = 0; new != NULL && i <= new->mask; i++) {
		if (memcmp(new->slot[i].ip, zero, 16) == 0)
			continue;
		if (has_ip6(old, new->slot[i].ip, &mac) && memcmp(mac, new->slot[i].mac, 6) == 0)
			continue;
		memcpy(k.ip, new->slot[i].ip, 16);
		memset(&v, 0, sizeof(v));
		memcpy(v.mac, new->slot[i].mac, 6);
		if (bpf_map_update_elem(x->fd_neigh6, &k, &v, BPF_ANY) != 0)
			r = -1;
	}
	for (i = 0; old != NULL && i <= old->mask; i++) {
		if (memcmp(old->slot[i].ip, zero, 16) == 0 || has_ip6(new, old->slot[i].ip, &mac))
			continue;
		memcpy(k.ip, old->slot[i].ip, 16);
		bpf_map_delete_elem(x->fd_neigh6, &k);
	}
	return r;
}

static bool vrf_has6(const struct fwd_vrf *v, const uint8_t *a)
{
	int i, n;

	if (v == NULL)
		return false;
	n = v->nlocal6 < FWD_MAX_LOCAL ? v->nlocal6 : FWD_MAX_LOCAL;
	for (i = 0; i < n; i++)
		if (memcmp(v->local6[i], a, 16) == 0)
			return true;
	return false;
}

/* The own IPv6 addresses of a VRF (xf_local6): additions (new not old) or
 * removals (old not new). Returns how many new has. */
static int vrf_local6(struct fwd_xdp *x, uint32_t vrf_id, const struct fwd_vrf *from,
		      const struct fwd_vrf *other, bool add)
{
	struct xf_addr6_key k;
	uint32_t one = 1;
	int i, n;

	n = from != NULL ? (from->nlocal6 < FWD_MAX_LOCAL ? from->nlocal6 : FWD_MAX_LOCAL) : 0;
	k.id = vrf_id;
	for (i = 0; i < n; i++) {
		if (vrf_has6(other, from->local6[i]))
			continue;
		memcpy(k.ip, from->local6[i], 16);
		if (add)
			bpf_map_update_elem(x->fd_local6, &k, &one, BPF_ANY);
		else
			bpf_map_delete_elem(x->fd_local6, &k);
	}
	return n;
}

static bool vrf_has(const struct fwd_vrf *v, uint32_t a)
{
	int i, n;

	if (v == NULL)
		return false;
	n = v->nlocal < FWD_MAX_LOCAL ? v->nlocal : FWD_MAX_LOCAL;
	for (i = 0; i < n; i++)
		if (v->local[i] == a)
			return true;
	return false;
}

int fwd_xdp_set_vrf(struct fwd_xdp *x, uint32_t vrf_id, const struct fwd_vrf *old,
		    const struct fwd_vrf *new)
{
	struct xf_addr_key k = { vrf_id, 0 };
	uint32_t one = 1, state = 0;
	int i, n;

	if (x->frozen)
		return 0;
	if (vrf_id >= FWD_MAX_VRFS)
		return -1;
	/* the local port first: an own address is never without its way */
	if (new != NULL && new->has_local)
		bpf_map_update_elem(x->fd_vlocal, &vrf_id, &new->local_adj, BPF_ANY);
	else
		bpf_map_delete_elem(x->fd_vlocal, &vrf_id);
	n = new != NULL ? (new->nlocal < FWD_MAX_LOCAL ? new->nlocal : FWD_MAX_LOCAL) : 0;
	for (i = 0; i < n; i++) {
		k.ip = new->local[i];
		if (!vrf_has(old, k.ip))
			bpf_map_update_elem(x->fd_local, &k, &one, BPF_ANY);
	}
	/* a VRF without a FIB forwards nothing (pipeline.c) */
	if (new != NULL && new->fib != NULL)
		state = 1 + (uint32_t)n;
	if (state != 0 && old != NULL && vrf_state(x, vrf_id) == XF_VRF_SLOW)
		state = XF_VRF_SLOW; /* stays with the slow path */
	n = vrf_local6(x, vrf_id, new, old, true);
	x->v6[vrf_id] = new != NULL && new->fib6 != NULL ? 1 + (uint32_t)n : 0;
	if (vrf_write(x, vrf_id, state) != 0)
		return -1;
	vrf_local6(x, vrf_id, old, new, false);
	n = old != NULL ? (old->nlocal < FWD_MAX_LOCAL ? old->nlocal : FWD_MAX_LOCAL) : 0;
	for (i = 0; i < n; i++) {
		k.ip = old->local[i];
		if (!vrf_has(new, k.ip))
			bpf_map_delete_elem(x->fd_local, &k);
	}
	return 0;
}

int fwd_xdp_set_flags(struct fwd_xdp *x, bool ttl_pipe, bool icmp_errors)
{
	struct xf_cfg cfg = { ttl_pipe, icmp_errors };
	uint32_t zero = 0;

	if (x->frozen)
		return 0;
	return bpf_map_update_elem(x->fd_cfg, &zero, &cfg, BPF_ANY);
}

/* Deletes every key of a hash map. */
static void map_clear(int fd, size_t ksz)
{
	uint8_t k[64];

	if (ksz > sizeof(k))
		return;
	while (bpf_map_get_next_key(fd, NULL, k) == 0)
		if (bpf_map_delete_elem(fd, k) != 0)
			break;
}

/* Sets entries 0..n-1 of an array map to one value (per CPU: ncpu
 * copies), in one batch where the kernel has it. */
static void array_fill(int fd, uint32_t n, const void *v, size_t vsz, int ncpu)
{
	uint32_t *keys = xcalloc(n, sizeof(*keys)), i, count = n;
	size_t one = (vsz + 7) & ~(size_t)7;
	uint8_t *vals = xcalloc(n, one * (size_t)ncpu);

	for (i = 0; i < n; i++) {
		int c;

		keys[i] = i;
		for (c = 0; c < ncpu; c++)
			memcpy(vals + ((size_t)i * (size_t)ncpu + (size_t)c) * one, v, vsz);
	}
	if (bpf_map_update_batch(fd, keys, vals, &count, NULL) != 0)
		for (i = 0; i < n; i++)
			bpf_map_update_elem(fd, &i, vals + (size_t)i * (size_t)ncpu * one, BPF_ANY);
	free(keys);
	free(vals);
}

struct sync_walk {
	struct fwd_xdp *x;
	uint32_t vrf_id;
	int r;
};

static int sync_route(uint32_t addr, uint8_t len, uint32_t nh, void *arg)
{
	struct sync_walk *w = arg;

	if (fwd_xdp_set_route(w->x, w->vrf_id, addr, len, nh) != 0)
		w->r = -1;
	return 0;
}

static int sync_route6(const uint8_t addr[16], uint8_t len, uint32_t nh, void *arg)
{
	struct sync_walk *w = arg;

	if (fwd_xdp_set_route6(w->x, w->vrf_id, addr, len, nh) != 0)
		w->r = -1;
	return 0;
}

int fwd_xdp_sync(struct fwd_xdp *x, struct fwd_tables *t, int (*nsfd_of)(uint16_t idx))
{
	struct sync_walk w = { x, 0, 0 };
	struct xf_vrf none = { 0, 0, 0 };
	uint32_t i, cap;
	_Atomic(struct fwd_nh *) *a;
	struct fwd_port_cfg *pc;
	struct fwd_vrf *v;
	struct fwd_nh *nh;

	if (x->frozen)
		return 0;
	map_clear(x->fd_ports, sizeof(uint32_t));
	map_clear(x->fd_local, sizeof(struct xf_addr_key));
	map_clear(x->fd_nh, sizeof(uint32_t));
	map_clear(x->fd_lfib, sizeof(uint32_t));
	map_clear(x->fd_neigh, sizeof(struct xf_addr_key));
	map_clear(x->fd_local6, sizeof(struct xf_addr6_key));
	map_clear(x->fd_neigh6, sizeof(struct xf_addr6_key));
	map_clear(x->fd_lpm6, sizeof(struct xf_lpm6_key));
	map_clear(x->fd_vlocal, sizeof(uint32_t));
	memset(x->v6, 0, sizeof(x->v6));
	array_fill(x->fd_vrf, FWD_MAX_VRFS, &none, sizeof(none), 1);
	lpm_reset(&x->lpm); /* unreachable now: no VRF has a root */
	fwd_xdp_set_flags(x, atomic_load(&t->ttl_pipe), atomic_load(&t->icmp_errors));
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		if ((pc = atomic_load(&t->port[i])) == NULL)
			continue;
		if (fwd_xdp_set_port(x, (uint16_t)i, pc, nsfd_of ? nsfd_of((uint16_t)i) : -1, false))
			w.r = -1;
		if (fwd_xdp_set_neigh(x, (uint16_t)i, NULL, atomic_load(&t->neigh[i])) != 0)
			w.r = -1;
		if (fwd_xdp_set_neigh6(x, (uint16_t)i, NULL, atomic_load(&t->neigh6[i])) != 0)
			w.r = -1;
	}
	for (i = 0; i < FWD_MAX_PE; i++)
		if (fwd_xdp_set_pe_down(x, i, atomic_load(&t->pe_down[i])) != 0)
			w.r = -1;
	cap = atomic_load(&t->nh_cap);
	a = atomic_load(&t->nh);
	for (i = 0; a != NULL && i < cap; i++)
		if ((nh = atomic_load(&a[i])) != NULL && fwd_xdp_set_nh(x, i, nh) != 0)
			w.r = -1;
	cap = atomic_load(&t->lfib_cap);
	a = atomic_load(&t->lfib);
	for (i = 0; a != NULL && i < cap; i++)
		if ((nh = atomic_load(&a[i])) != NULL && fwd_xdp_set_lfib(x, i, nh) != 0)
			w.r = -1;
	for (i = 0; i < FWD_MAX_VRFS; i++) {
		if ((v = atomic_load(&t->vrf[i])) == NULL)
			continue;
		fwd_xdp_set_vrf(x, i, NULL, v);
		w.vrf_id = i;
		if (v->fib != NULL)
			fib_walk(v->fib, sync_route, &w);
		if (v->fib6 != NULL)
			fib6_walk(v->fib6, sync_route6, &w);
	}
	return w.r;
}

/* ---- counters ---- */

static void sum_counters(struct fwd_xdp *x, int fd, uint32_t key, struct fwd_counters *c)
{
	struct xf_counters *pc = xcalloc((size_t)x->ncpu, sizeof(*pc));
	int i, k, f;

	memset(c, 0, sizeof(*c));
	if (bpf_map_lookup_elem(fd, &key, pc) == 0) {
		for (i = 0; i < x->ncpu; i++) {
			c->rx_pkts += pc[i].rx_pkts;
			c->rx_bytes += pc[i].rx_bytes;
			c->tx_pkts += pc[i].tx_pkts;
			c->tx_bytes += pc[i].tx_bytes;
			c->punt += pc[i].punt;
			c->icmp_sent += pc[i].icmp_sent;
			c->icmp_limited += pc[i].icmp_limited;
			for (k = 0; k < FWD_DROP_MAX; k++)
				c->drop[k] += pc[i].drop[k];
			for (f = 0; f < 2; f++) {
				c->af[f].tx_pkts += pc[i].af[f].tx_pkts;
				c->af[f].tx_bytes += pc[i].af[f].tx_bytes;
				c->af[f].punt += pc[i].af[f].punt;
				c->af[f].icmp_sent += pc[i].af[f].icmp_sent;
				for (k = 0; k < FWD_DROP_MAX; k++)
					c->af[f].drop[k] += pc[i].af[f].drop[k];
			}
		}
	}
	free(pc);
}

void fwd_xdp_port_counters(struct fwd_xdp *x, uint16_t idx, struct fwd_counters *c)
{
	sum_counters(x, x->fd_pcnt, idx, c);
}

void fwd_xdp_vrf_counters(struct fwd_xdp *x, uint32_t vrf_id, struct fwd_counters *c)
{
	sum_counters(x, x->fd_vcnt, vrf_id, c);
}

void fwd_xdp_counters_reset(struct fwd_xdp *x)
{
	struct xf_counters z;

	memset(&z, 0, sizeof(z));
	array_fill(x->fd_pcnt, FWD_MAX_PORTS, &z, sizeof(z), x->ncpu);
	array_fill(x->fd_vcnt, FWD_MAX_VRFS, &z, sizeof(z), x->ncpu);
}

/* ---- slow path ---- */

static int ring_sample(void *ctx, void *data, size_t size)
{
	struct fwd_xdp *x = ctx;
	const struct xf_slow *r = data;

	if (size < offsetof(struct xf_slow, data))
		return 0;
	if (r->kind == XF_SLOW_RESOLVE) {
		if (x->resolve != NULL)
			x->resolve(x->arg, r->port, r->ip);
	} else if (r->kind == XF_SLOW_FRAME && r->len <= size - offsetof(struct xf_slow, data) &&
		   r->len <= XF_SLOW_MAX) {
		if (x->frame != NULL)
			x->frame(x->arg, r->port, r->data, r->len);
	}
	x->done++;
	/* a negative return stops the walk after this record (consumed) */
	return --x->left == 0 ? -1 : 0;
}

int fwd_xdp_slow_fd(struct fwd_xdp *x)
{
	return ring_buffer__epoll_fd(x->ring);
}

int fwd_xdp_slow_poll(struct fwd_xdp *x, unsigned max,
		      void (*frame)(void *arg, uint16_t in_port, const uint8_t *data, uint16_t len),
		      void (*resolve)(void *arg, uint16_t port, uint32_t ip), void *arg)
{
	if (max == 0)
		return 0;
	x->frame = frame;
	x->resolve = resolve;
	x->arg = arg;
	x->left = max;
	x->done = 0;
	ring_buffer__consume(x->ring);
	x->frame = NULL;
	x->resolve = NULL;
	return (int)x->done;
}

/* ---- tests ---- */

int fwd_xdp_test_run(struct fwd_xdp *x, uint16_t idx, const uint8_t *in, uint32_t len,
		     uint8_t *out, uint32_t *outlen)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = len, .data_out = out,
		    .data_size_out = *outlen, .repeat = 1);

	if (idx >= FWD_MAX_PORTS || x->port[idx].skel == NULL)
		return -1;
	if (bpf_prog_test_run_opts(bpf_program__fd(x->port[idx].skel->progs.fwd_xdp_port), &o) != 0)
		return -1;
	*outlen = o.data_size_out;
	return (int)o.retval;
}
