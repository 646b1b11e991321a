/* Internal to ldp/: the running instance's state (ldpd_g) and the functions
 * that ldpd.c, adjacency.c, interface.c, neighbor.c and socket.c call each
 * other with, listed under the file that defines them. Nothing outside
 * ldp/ includes it: the public interface is ldp/ldpd.h. */
#ifndef PE_LDP_LDPD_PRIV_H
#define PE_LDP_LDPD_PRIV_H

#include <event2/util.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "ldp/ldpd.h"

/* An LDP interface at run time. Each holds its 224.0.0.2 membership on a
 * socket of its own (mfd): the kernel allows a socket at most
 * net.ipv4.igmp_max_memberships groups (20 by default), so one socket for
 * every interface stops joining at the 21st. Membership sockets are never
 * bound and never read: the one receive socket (udp_fd, IP_MULTICAST_ALL
 * on) gets the Hellos of every group joined in the namespace, with
 * IP_PKTINFO naming the interface. */
struct ldp_ifrt {
	char name[LDP_IFNAMSIZ];
	int ifindex;
	int mfd; /* membership socket, -1 when not joined */
	bool joined;
	bool oper_up;   /* seen up: a later down drops its adjacencies */
	int join_errno; /* last refusal (0: none), shown as the state */
	int send_errno; /* last Hello refused (0: none), shown as the error */
	time_t last_hello, uptime;
	int64_t last_fast_ms; /* monotonic: last Hello sent for a new neighbor */
};

struct ldp_pending; /* socket.c */

/* The running instance (one per ped): ldpd.c starts and stops it. */
struct ldpd_instance {
	struct event_base *base;
	const struct ldpd_ops *ops;
	bool running;
	uint32_t rid, trans;
	struct lde *lde;
	int udp_fd, tcp_fd;
	struct event *ev_udp, *ev_tcp, *ev_tick, *ev_retry;
	struct event *ev_soon; /* one tick now (interfaces changed) */
	struct ldp_adj *adjs;
	int nadj;
	struct ldp_nbr *nbrs;
	int nnbr;
	int nifrt, ifrt_cap;
	struct ldp_ifrt *ifrt;
	struct ldp_pending *pending;
	int npending;
	int nadv; /* our addresses as last advertised (sorted) */
	uint32_t *adv;
	bool adv_valid;
	struct ldpd_stats st;
	/* graceful restart (RFC 3478) */
	struct ldp_gr *gr;
	struct event *ev_gr;    /* at gr's next deadline */
	bool admin;             /* sessions close by our config or `clear`: no helper */
	bool fwd_preserved;     /* ldpd_set_fwd_preserved: our forwarding survived */
	int64_t fwd_hold_until; /* end of our Forwarding State Holding time (0: none) */
	uint64_t last_mapping_ms;
};

/* ldpd.c */
extern struct ldpd_instance ldpd_g;
extern bool (*ldpd_fwd_keepable)(void); /* ldpd_set_fwd_keepable_fn */
int64_t ldpd_mono_ms(void);
uint32_t ldpd_gr_reconnect_ms(void);
const struct ldp_gr_limits *ldpd_gr_limits(void);
void ldpd_gr_arm(void);

/* adjacency.c */
void ldpd_adj_del(struct ldp_adj *a);
struct ldp_adj *ldpd_adj_find(enum ldp_adj_type type, uint32_t lsr_id, const char *ifname, uint32_t src);
bool ldpd_targeted_accepted(uint32_t lsr_id, uint32_t src);
struct ldp_adj *ldpd_adj_new(enum ldp_adj_type type, uint32_t lsr_id, const char *ifname, uint32_t src,
			uint32_t trans);
void ldpd_udp_recv_cb(evutil_socket_t fd, short what, void *arg);
int ldpd_hello_send(int ifindex, uint32_t dst, bool targeted, uint16_t hold);
void ldpd_targeted_sync(time_t now);

/* interface.c */
uint16_t ldpd_link_hold(const char *ifname);
void ldpd_ifrt_leave(struct ldp_ifrt *r);
void ldpd_hello_fast(const char *ifname);
void ldpd_ifaces_sync(time_t now);
void ldpd_addr_send_nbr(struct ldp_nbr *nb, uint16_t type, uint32_t *addrs, int n);
void ldpd_addr_refresh(bool notify);

/* neighbor.c */
struct ldp_nbr *ldpd_nbr_find(uint32_t lsr_id);
struct ldp_nbr *ldpd_nbr_find_addr(uint32_t raddr);
struct ldp_nbr *ldpd_nbr_new(uint32_t lsr_id, uint32_t raddr);
void ldpd_nbr_del(struct ldp_nbr *n);
int ldpd_nbr_send(struct ldp_nbr *n, struct ldp_msg *m);
void ldpd_nbr_close(struct ldp_nbr *n, uint32_t status);
void ldpd_session_lost(uint32_t lsr_id, const struct ldp_ft *ft);
void ldpd_nbr_maybe_connect(struct ldp_nbr *n);
void ldpd_nbr_take_conn(struct ldp_nbr *n, int s, uint16_t port);

/* socket.c */
int ldpd_udp_open(void);
int ldpd_tcp_open(void);
void ldpd_md5_set(int fd, uint32_t addr, const char *password);
void ldpd_sock_session_opts(struct ldp_nbr *n, int fd);
void ldpd_pending_del(struct ldp_pending *p, bool close_fd);
void ldpd_pending_adopt(struct ldp_nbr *n);
void ldpd_tcp_accept_cb(evutil_socket_t fd, short what, void *arg);

#endif
