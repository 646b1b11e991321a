/* The XDP fast path: loader and map writer (xdp.c) for the program in
 * bpf/fwd_xdp.bpf.c. One set of maps and one program per ped, verified
 * once; per port, an instance of a stub that says which port it serves (a
 * constant of the instance, because ifindexes repeat across namespaces) and
 * tail-calls the program. The maps mirror struct
 * fwd_tables (fwd.h) entry by entry; the control plane calls the writers
 * where it publishes to the tables, with the same objects.
 *
 * The program forwards IPv4 and IPv6 (IPv6 routes in a BPF LPM trie keyed
 * by VRF id + address, fed from each VRF's fib6).
 *
 * What the program does not finish it hands over: to the kernel (XDP_PASS:
 * ARP, ND, own addresses, non-IP; counted punt), or to the slow path through
 * a ring buffer (frames that need an ICMP(v6) error, frames to ports without
 * XDP redirect, frames toward an IPv6 neighbor without a MAC, IPv4 neighbor
 * resolution requests): fwd_xdp_slow_poll() delivers
 * them, and the C pipeline (pipeline.c) processes the frames as if they had
 * been received by the AF_PACKET worker. The program counts nothing for a
 * frame it hands to the slow path, so the XDP counters plus the pipeline's
 * are the port's counters.
 *
 * Threads: everything runs on the control thread, except fwd_xdp_slow_poll
 * (one thread at a time, e.g. the worker) and the counter readers (any). */
#ifndef PE_FWD_XDP_H
#define PE_FWD_XDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pe/fwd/fwd.h"

struct fwd_xdp;

/* xdp.c */
/* Creates the maps (no program yet). NULL and the reason in err if BPF is
 * not usable here (no privilege, no object file, old kernel). */
struct fwd_xdp *fwd_xdp_new(char *err, size_t errlen);
/* Size of the route table (trie nodes of 1 KiB, over all VRFs) of the
 * fwd_xdp_new calls that follow; default 2048 (2 MiB: many small VRFs).
 * A VRF with routes needs 1 node, plus one per distinct /8, /16 and /24
 * that has longer routes below it; the 901,899-prefix Internet table
 * needs 26,066. */
void fwd_xdp_set_lpm_nodes(size_t n);
/* Nodes allocated so far (node 0, reserved, included). */
size_t fwd_xdp_lpm_nodes_used(struct fwd_xdp *x);
/* Detaches every program it attached, closes every map. */
void fwd_xdp_free(struct fwd_xdp *x);
/* Loads port idx's stub instance, and the program the first time, if not
 * loaded yet. */
int fwd_xdp_prog_load(struct fwd_xdp *x, uint16_t idx, char *err, size_t errlen);
/* Loads if needed and attaches it (native mode, else the reason in err) to
 * ifindex in namespace nsfd (-1: the current one). */
int fwd_xdp_attach(struct fwd_xdp *x, uint16_t idx, int nsfd, int ifindex, char *err,
		   size_t errlen);
/* Detaches (if attached) and unloads port idx's instance. */
void fwd_xdp_detach(struct fwd_xdp *x, uint16_t idx);
bool fwd_xdp_attached(const struct fwd_xdp *x, uint16_t idx);

/* Hitless restart (pe/hitless.c drives it). keep: pins each attached
 * port's link in dir as link_NAME ('.' written '~') (name_of(idx); NULL: not kept) and
 * leaves links and maps to outlive the process: every writer becomes a
 * no-op, and free/detach no longer detach. Returns the links pinned, -1
 * (nothing pinned) + reason. adopt: opens the links a previous ped pinned
 * in dir; each keeps running its program, on its maps, until
 * adopt_finish. adopt_port: port idx named name takes the adopted link of
 * that name if it is ifindex's XDP link (1), its program loaded but not
 * running; 0: no such link (attach as usual). adopt_finish: every adopted
 * port switches to its new program in one atomic link update (the old
 * program forwards until then); links no port claimed are detached.
 * Returns the ports switched. The pins stay until then (a ped stopped
 * before the switch pins them again, with the links not claimed yet). */
int fwd_xdp_keep(struct fwd_xdp *x, const char *dir, const char *(*name_of)(uint16_t idx),
		 char *err, size_t errlen);
int fwd_xdp_adopt(struct fwd_xdp *x, const char *dir);
int fwd_xdp_adopt_port(struct fwd_xdp *x, uint16_t idx, const char *name, int nsfd, int ifindex,
		       char *err, size_t errlen);
int fwd_xdp_adopt_finish(struct fwd_xdp *x);
bool fwd_xdp_adopting(const struct fwd_xdp *x, uint16_t idx);

/* Map writers: NULL or 0 deletes. fwd_xdp_set_port also writes the port's
 * DEVMAP entry from inside nsfd (ifindex is resolved there); slowtx: frames
 * routed to this port are handed to the slow path instead of redirected. */
int fwd_xdp_set_port(struct fwd_xdp *x, uint16_t idx, const struct fwd_port_cfg *cfg, int nsfd,
		     bool slowtx);
int fwd_xdp_set_nh(struct fwd_xdp *x, uint32_t id, const struct fwd_nh *nh);
int fwd_xdp_set_lfib(struct fwd_xdp *x, mpls_label_t label, const struct fwd_nh *nh);
/* PIC edge: remote PE slot down (next hops that name it use their backups). */
int fwd_xdp_set_pe_down(struct fwd_xdp *x, uint32_t slot, bool down);
/* A route that cannot be written (out of trie nodes: errno ENOSPC) puts
 * its VRF on the slow path for good (until fwd_xdp_sync): -1 then. nh 0
 * deletes. */
int fwd_xdp_set_route(struct fwd_xdp *x, uint32_t vrf_id, uint32_t addr, uint8_t len, uint32_t nh);
/* An IPv6 route (the LPM trie xf_lpm6): nh 0 deletes; a route that cannot
 * be written (the trie is full) puts its VRF on the slow path as above. */
int fwd_xdp_set_route6(struct fwd_xdp *x, uint32_t vrf_id, const uint8_t addr[16], uint8_t len,
		       uint32_t nh);
/* Neighbors of port idx: the difference between the two snapshots. */
int fwd_xdp_set_neigh(struct fwd_xdp *x, uint16_t idx, const struct fwd_neigh_tab *old,
		      const struct fwd_neigh_tab *new);
int fwd_xdp_set_neigh6(struct fwd_xdp *x, uint16_t idx, const struct fwd_neigh6_tab *old,
		       const struct fwd_neigh6_tab *new);
/* Own addresses of a VRF (both families), and whether it has an IPv6 FIB:
 * the difference between the two (either NULL). */
int fwd_xdp_set_vrf(struct fwd_xdp *x, uint32_t vrf_id, const struct fwd_vrf *old,
		    const struct fwd_vrf *new);
int fwd_xdp_set_flags(struct fwd_xdp *x, bool ttl_pipe, bool icmp_errors);
/* Writes everything reachable from t (VRF FIBs walked), replacing what the
 * maps held: start-up and tests. nsfd_of(port cfg) gives each port's
 * namespace (NULL: all in the current one). */
int fwd_xdp_sync(struct fwd_xdp *x, struct fwd_tables *t, int (*nsfd_of)(uint16_t idx));

/* Counters summed over CPUs. */
void fwd_xdp_port_counters(struct fwd_xdp *x, uint16_t idx, struct fwd_counters *c);
void fwd_xdp_vrf_counters(struct fwd_xdp *x, uint32_t vrf_id, struct fwd_counters *c);
/* Zeroes every counter (benchmarks). */
void fwd_xdp_counters_reset(struct fwd_xdp *x);

/* The slow path: fd becomes readable when records wait. poll() calls
 * frame(arg, in_port, data, len) per FRAME record and resolve(arg, port,
 * ip) per RESOLVE record, at most max records; returns how many. */
int fwd_xdp_slow_fd(struct fwd_xdp *x);
int fwd_xdp_slow_poll(struct fwd_xdp *x, unsigned max,
		      void (*frame)(void *arg, uint16_t in_port, const uint8_t *data, uint16_t len),
		      void (*resolve)(void *arg, uint16_t port, uint32_t ip), void *arg);

/* BPF_PROG_TEST_RUN of port idx's stub (loaded: it enters the program) on one frame: returns
 * the XDP action (XDP_DROP 1, XDP_PASS 2, XDP_REDIRECT 4...) and the frame
 * as the program left it in out (*outlen bytes); -1 on error. */
int fwd_xdp_test_run(struct fwd_xdp *x, uint16_t idx, const uint8_t *in, uint32_t len,
		     uint8_t *out, uint32_t *outlen);
/* The route table as the program reads it (bpf/xdp_maps.h: node n's slot s
 * is word n * 256 + s of the array) and a VRF's root node (0: none) as
 * xf_vrf holds it. */
const uint32_t *fwd_xdp_lpm_array(struct fwd_xdp *x);
uint32_t fwd_xdp_lpm_root(struct fwd_xdp *x, uint32_t vrf_id);

#endif
