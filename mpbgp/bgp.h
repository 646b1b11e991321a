/* The BGP speaker's shared objects: instances (`router bgp ASN [vrf NAME]`),
 * peers, paths. Stage files (session/fsm, rib/decide/adjout, vpn, cli)
 * share these; each keeps its private state behind the void pointers. */
#ifndef PE_BGP_H
#define PE_BGP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "mpbgp/wire.h"

struct event_base;
struct vrf;
struct bgp;

enum { BGP_GR_HELPER, BGP_GR_RESTART, BGP_GR_DISABLE };

/* RFC 4271 8.2.2 */
enum bgp_state {
	BGP_ST_IDLE,
	BGP_ST_CONNECT,
	BGP_ST_ACTIVE,
	BGP_ST_OPENSENT,
	BGP_ST_OPENCONFIRM,
	BGP_ST_ESTABLISHED,
	BGP_ST_MAX
};

struct bgp_peer_counters {
	uint64_t msgs_in[6], msgs_out[6]; /* by message type 1..5 */
	uint64_t updates_treat_as_withdraw;
	uint64_t updates_attr_discard;
	uint64_t updates_reset;
	uint64_t prefixes_received[BGP_AF_MAX]; /* currently in Adj-RIB-In */
	uint64_t prefixes_sent[BGP_AF_MAX];
	uint64_t loop_dropped[BGP_AF_MAX]; /* NLRIs dropped at input: AS, originator, cluster loop */
	uint64_t established_count;
	uint64_t dropped_count;
};

/* Policy attached to a neighbor in one family (FRR's `neighbor X route-map
 * NAME in|out`, `prefix-list`, `filter-list`): names, "" = none; looked up
 * when applied (policy.h). */
enum bgp_dir { BGP_DIR_IN, BGP_DIR_OUT };
#define BGP_POLICY_NAME_LEN 64
struct bgp_peer_filter {
	char route_map[2][BGP_POLICY_NAME_LEN];
	char prefix_list[2][BGP_POLICY_NAME_LEN];
	char filter_list[2][BGP_POLICY_NAME_LEN]; /* `bgp as-path access-list` */
};

/* `neighbor X remote-as N|internal|external` */
enum bgp_as_type { BGP_AS_UNSPEC, BGP_AS_SPECIFIED, BGP_AS_INTERNAL, BGP_AS_EXTERNAL };

/* `neighbor A.B.C.D ...` configuration (also a peer-group's) */
struct bgp_peer_cfg {
	struct ipaddr addr;        /* peer address, IPv4 or IPv6 */
	/* the peer's AS: configured; our AS for `internal`; for `external`
	 * the AS of the last OPEN (0 before one) */
	uint32_t remote_as;        /* 0 = not configured yet */
	enum bgp_as_type as_type;
	char description[81];      /* FRR: up to 80 characters */
	char update_source[16];    /* interface name (its first address), or "" */
	struct ipaddr update_source_addr; /* or an address, af 0 = kernel's choice */
	uint8_t ebgp_multihop;     /* TTL for eBGP (1 = directly connected) */
	uint16_t holdtime;         /* 0 = instance default */
	uint16_t keepalive;
	uint16_t connect_retry;
	char password[81];         /* TCP MD5, "" = none */
	bool passive;
	bool shutdown;
	bool rtc;                  /* `address-family ipv4 rtc` / `neighbor X activate` */
	bool bfd;                  /* `neighbor X bfd` */
	bool bfd_cpf;              /* `... bfd check-control-plane-failure` */
	char bfd_profile[64];      /* `... bfd profile NAME`, "" = none */
	bool af_active[BGP_AF_MAX];
	bool rr_client[BGP_AF_MAX];
	bool next_hop_self[BGP_AF_MAX];
	bool nhs_force[BGP_AF_MAX]; /* next-hop-self force: reflected routes too */
	bool as_override;
	uint8_t allowas_in;        /* 0 = off */
	struct ecomm soo;          /* all zero = none */
	uint32_t max_prefix[BGP_AF_MAX];
	uint16_t max_prefix_restart; /* minutes, 0 = stay down */
	bool max_prefix_warning_only[BGP_AF_MAX];
	struct bgp_peer_filter filter[BGP_AF_MAX];
};

/* `neighbor NAME peer-group`: a configuration its members inherit, knob by
 * knob, unless they set the knob themselves (FRR). */
struct bgp_peer_group {
	struct bgp_peer_group *next;
	struct bgp *bgp;
	char name[BGP_POLICY_NAME_LEN];
	struct bgp_peer_cfg cfg;   /* addr unused; values or defaults */
};

struct bgp_peer {
	struct bgp_peer *next;
	struct bgp *bgp;
	struct bgp_peer_cfg cfg;   /* effective: own knobs, the rest from the group */
	struct bgp_peer_group *group;
	uint32_t own;              /* BGP_KNOB_* bits set on the peer itself */
	uint32_t own_af[BGP_AF_MAX]; /* BGP_AFKNOB_* bits */
	/* session (session.c / fsm.c) */
	enum bgp_state state;
	time_t state_since;
	uint32_t remote_id;
	struct ipaddr local_addr;  /* of the TCP connection */
	uint16_t local_port, remote_port;
	uint16_t holdtime;         /* negotiated */
	uint16_t keepalive;        /* negotiated */
	struct bgp_capa capa_sent, capa_rcvd;
	bool af_nego[BGP_AF_MAX];  /* sent and received */
	bool rtc_nego;             /* RFC 4684 family sent and received */
	void *rtc;                 /* rtc.c: memberships both ways */
	/* graceful restart (gr.c) */
	bool notif_seen;           /* this session ended with a NOTIFICATION (sent or received) */
	uint8_t notif_code, notif_subcode;
	bool eor_rcvd[BGP_AF_MAX]; /* End-of-RIB received in this session */
	void *gr;                  /* gr.c: stale routes kept for a restarting peer */
	bool as4;
	char last_error[160];      /* last NOTIFICATION sent/received or reason */
	bool addr_reachable;       /* speaker.c: a route to the peer at the last check */
	bool draining;             /* speaker.c: its paths of a lost session are being removed,
				    * a few thousand per turn of the event loop */
	struct bgp_peer_counters cnt;
	void *sess;                /* session.c private */
	void *bfd;                 /* the BFD tracker's (bgp_bfd_hooks) */
	/* routes (rib.c / adjout.c) */
	void *adj_in[BGP_AF_MAX];
	void *adj_out[BGP_AF_MAX];
};

/* The peer's address as text (logs, JSON keys). */
static inline const char *bgp_peer_str(const struct bgp_peer *p, char *buf, size_t len)
{
	return ipaddr_ntop(&p->cfg.addr, buf, len);
}

static inline bool bgp_peer_ebgp(const struct bgp_peer *p, uint32_t local_as)
{
	return p->cfg.remote_as != local_as;
}

/* A path of a route: one per source (peer, or a local origination). */
enum bgp_path_src { BGP_SRC_PEER, BGP_SRC_LOCAL /* network/redistribute/VRF export */,
		    BGP_SRC_IMPORTED /* leaked from the VPN table into a VRF */ };

struct bgp_path {
	struct bgp_path *next;
	enum bgp_path_src src;
	struct bgp_peer *peer;          /* BGP_SRC_PEER (NULL otherwise) */
	const struct bgp_attr *attr;    /* interned */
	int nlabels;
	mpls_label_t labels[BGP_MAX_LABELS];
	time_t uptime;
	uint32_t flags;
	uint32_t igp_metric;            /* to the next hop, from the core RIB */
	const struct bgp_path *origin;  /* IMPORTED: the VPN path it came from */
	struct bgp *origin_bgp;         /* IMPORTED/exported: the instance it came from */
	uint32_t weight;
	/* PEER: the attributes as received when inbound policy changed them
	 * (attr is then the result); NULL when it changed nothing. Kept for
	 * soft reconfiguration (interned, one reference). */
	const struct bgp_attr *attr_in;
};
#define BGP_PATH_VALID       0x01 /* usable: not looped, next hop accessible */
#define BGP_PATH_NH_OK       0x02 /* next hop resolved through the core */
#define BGP_PATH_STALE       0x04
#define BGP_PATH_LOOP        0x08 /* own AS / originator / cluster loop */
#define BGP_PATH_BEST        0x10
#define BGP_PATH_MULTIPATH   0x20
#define BGP_PATH_DENIED      0x40 /* inbound policy denied it: kept in Adj-RIB-In
				   * only (never valid, not counted, not shown) */
#define BGP_PATH_LLGR        0x80 /* long-lived stale (RFC 9494): LLGR_STALE added */
#define BGP_PATH_BACKUP      0x100 /* PIC edge: the path forwarding falls back to when
				    * the best's next hop fails (bgp_rib_set_backup) */
#define BGP_COMM_LLGR_STALE  0xffff0006u /* RFC 9494 */
#define BGP_COMM_NO_LLGR     0xffff0007u

/* RFC 4271 9.1.2.2 plus the usual tie-breaks; returned by the comparator
 * and shown as bestpath.selectionReason with FRR's words. */
enum bgp_select_reason {
	BGP_SEL_NONE,           /* "none" (only one path) */
	BGP_SEL_LLGR,           /* "LLGR stale" (RFC 9494 4.2: least preferred) */
	BGP_SEL_WEIGHT,         /* "Weight" */
	BGP_SEL_LOCAL_PREF,     /* "Local Pref" */
	BGP_SEL_LOCAL_ROUTE,    /* "Local Route" */
	BGP_SEL_AS_PATH,        /* "AS Path" */
	BGP_SEL_ORIGIN,         /* "Origin" */
	BGP_SEL_MED,            /* "MED" */
	BGP_SEL_EBGP,           /* "Peer Type" (eBGP over iBGP) */
	BGP_SEL_IGP_METRIC,     /* "IGP Metric" */
	BGP_SEL_ROUTER_ID,      /* "Router ID" (originator id when reflected) */
	BGP_SEL_CLUSTER_LEN,    /* "Cluster length" */
	BGP_SEL_PEER_ADDR,      /* "Neighbor IP" */
	BGP_SEL_MAX
};

struct bgp_dest {
	struct bgp_prefix p;
	struct bgp_path *paths;
	struct bgp_path *best;
	enum bgp_select_reason reason;
	void *sel_state;             /* rib.c private */
};

struct bgp_network {
	struct bgp_network *next;
	struct bgp_network *hnext; /* bgp.c's index by (af, prefix) */
	enum bgp_af af;
	struct bgp_prefix p;   /* VPN networks (`network P rd RD label L`) carry an RD */
	mpls_label_t label;
	bool label_set;
	char route_map[BGP_POLICY_NAME_LEN]; /* `network P route-map NAME` ("" = none) */
};

/* `aggregate-address P [summary-only] [as-set]` (aggregate.c) */
struct bgp_aggregate {
	struct bgp_aggregate *next;
	enum bgp_af af;        /* BGP_AF_IPV4_UNICAST or BGP_AF_IPV6_UNICAST */
	struct prefix p;
	bool summary_only, as_set;
	bool dirty;            /* to recompute from the event loop */
	size_t contributors;   /* at the last recomputation */
};

/* `router bgp ASN [vrf NAME]` */
struct bgp {
	struct bgp *next;
	uint32_t asn;
	uint32_t router_id;          /* 0 = derived (highest loopback address) */
	uint32_t cluster_id;         /* 0 = router id */
	struct vrf *vrf;             /* NULL: the default instance (VPN table lives here) */
	char vrf_name[32];
	uint16_t holdtime, keepalive; /* timers bgp K H (defaults 60 180, FRR's) */
	bool retain_rt_all;          /* bgp retain route-target all (default true) */
	bool default_ipv4_unicast;   /* FRR: `no bgp default ipv4-unicast` */
	bool always_compare_med;
	bool nh_unlabelled_ok;       /* `no bgp labelled-nexthop-resolution` */
	/* RFC 8212 (FRR's default since 7.4): an eBGP neighbor without inbound
	 * (outbound) policy in a family accepts (sends) nothing in it */
	bool ebgp_requires_policy;
	bool no_import_check;        /* `no bgp network import-check`: networks without a route too */
	bool no_enforce_first_as;    /* `no bgp enforce-first-as` (RFC 4271 6.3 check off) */
	bool no_pic;                 /* `no bgp pic`: no backup paths (PIC edge) in its tables */
	uint8_t gr_mode;             /* BGP_GR_HELPER (default), _RESTART, _DISABLE */
	uint16_t gr_restart_time;    /* `bgp graceful-restart restart-time` (120) */
	uint16_t gr_stalepath_time;  /* `bgp graceful-restart stalepath-time` (360) */
	bool gr_preserve_fw;         /* `bgp graceful-restart preserve-fw-state` */
	uint32_t llgr_stale_time;    /* `bgp long-lived-graceful-restart stale-time`, 0: none */
	/* `distance bgp EXT INT LOCAL` per unicast family (af_index): of the
	 * routes put into the VRF's table; 0 = FRR's defaults 20 200 200 */
	uint8_t distance[AFI_COUNT][3];
	struct bgp_peer *peers;
	struct bgp_peer_group *groups; /* by name */
	/* VRF instances: VRF <-> VPN (FRR's `address-family ipv4 unicast` of
	 * `router bgp ASN vrf NAME`); RD and RTs live in the VRF object. */
	enum bgp_label_mode { BGP_LABEL_NONE, BGP_LABEL_AUTO, BGP_LABEL_FIXED } label_mode;
	mpls_label_t label_fixed;
	enum bgp_label_alloc { BGP_LABEL_PER_VRF, BGP_LABEL_PER_NEXTHOP, BGP_LABEL_PER_PREFIX }
		label_alloc;
	bool export_vpn, import_vpn;
	bool redist_connected[AFI_COUNT], redist_static[AFI_COUNT]; /* per family (af_index) */
	/* `redistribute connected|static route-map NAME`: [0] connected, [1] static */
	char redist_rmap[2][AFI_COUNT][BGP_POLICY_NAME_LEN];
	/* unicast families (BGP_AF_IPV4_UNICAST/IPV6_UNICAST bits) under which
	 * the VRF <-> VPN commands were given: RD, RTs, label and import/export
	 * are one set per VRF (FRR keeps one per family), written back under
	 * every family that configured them */
	uint8_t vpn_af_mask;
	/* per unicast family (af_index), FRR's af commands: `maximum-paths
	 * [ibgp] N` (0 = FRR's default 1), `route-map vpn import|export NAME`,
	 * `import vrf NAME`, `import vrf route-map NAME` (bgp_cli.c sets them,
	 * rib.c and vpn.c apply them) */
	uint8_t maxpaths[AFI_COUNT], maxpaths_ibgp[AFI_COUNT];
	char rmap_vpn_import[AFI_COUNT][BGP_POLICY_NAME_LEN];
	char rmap_vpn_export[AFI_COUNT][BGP_POLICY_NAME_LEN];
	char rmap_import_vrf[AFI_COUNT][BGP_POLICY_NAME_LEN];
#define BGP_MAX_IMPORT_VRF 16
	char import_vrf[AFI_COUNT][BGP_MAX_IMPORT_VRF][32];
	uint8_t nimport_vrf[AFI_COUNT];
	struct bgp_network *networks;  /* `network A.B.C.D/M` per instance, by family then prefix */
	struct bgp_network *networks_tail;
	struct bgp_network **nethash;  /* index of networks (bgp_network_find) */
	size_t nethash_mask, nnetworks;
	struct bgp_aggregate *aggregates; /* by family, then prefix */
	void *rib[BGP_AF_MAX];       /* Loc-RIB per family (rib.c private) */
	void *vpn;                   /* vpn.c private per VRF instance */
	uint32_t vpn_gen;            /* vpn.c: visited mark of one VPN route's import */
	void *listen;                /* session.c private (listening socket) */
};

#endif
