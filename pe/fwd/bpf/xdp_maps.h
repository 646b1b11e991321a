/* The XDP fast path's tables: the layout shared by the BPF program
 * (fwd_xdp.bpf.c) and its loader and map writer (../xdp.c). Plain fixed-size
 * types only: this header is compiled for the BPF target and for the host.
 *
 * Every mutable table is a map whose update replaces an entry as a whole
 * under RCU (hash maps without preallocation), so a reader in the driver's
 * context never sees a half-written entry and a change never stops
 * forwarding; the VRF route tables (xf_lpm) are written in place through
 * mmap with single 32-bit stores in an order that keeps every state a
 * reader can see consistent (../xdp.c); the IPv6 routes (xf_lpm6) are a
 * BPF LPM trie, whose updates are RCU-safe as well. IPv4 addresses are in
 * HOST byte order, IPv6 addresses 16 bytes in network order (as in fwd.h).
 *
 * Maps (names are the ELF names):
 *   xf_ports   hash   u32 port idx            -> struct xf_port
 *   xf_tx      devmap u32 port idx            -> ifindex (written from the
 *                                               port's namespace)
 *   xf_lpm     array  node index              -> struct xf_lpm_node (mmapable;
 *                                               the multibit tries of every VRF)
 *   xf_lpm6    lpm trie struct xf_lpm6_key    -> u32 next-hop id (IPv6 routes
 *                                               of every VRF: VRF id + prefix)
 *   xf_local   hash   struct xf_addr_key      -> u32 1 (own addresses of a VRF)
 *   xf_local6  hash   struct xf_addr6_key     -> u32 1 (own IPv6 addresses)
 *   xf_vlocal  hash   u32 VRF id              -> struct xf_adj (the way to the
 *                                               VRF's kernel: its local port)
 *   xf_nh      hash   u32 next-hop id         -> struct xf_nh
 *   xf_lfib    hash   u32 label               -> struct xf_nh
 *   xf_pedown  array  u32 remote PE slot      -> u32 (non-zero: that PE is down,
 *                                               PIC edge: next hops use their backups)
 *   xf_neigh   hash   struct xf_addr_key      -> struct xf_mac (key: port, ip)
 *   xf_neigh6  hash   struct xf_addr6_key     -> struct xf_mac (key: port, ip)
 *   xf_vrf     array  VRF id                  -> struct xf_vrf
 *   xf_cfg     array  0                       -> struct xf_cfg
 *   xf_pcnt    percpu array port idx          -> struct xf_counters
 *   xf_vcnt    percpu array VRF id            -> struct xf_counters
 *   xf_slow    ringbuf                        struct xf_slow records
 */
#ifndef PE_FWD_XDP_MAPS_H
#define PE_FWD_XDP_MAPS_H

#define XF_MAX_PORTS 256     /* = FWD_MAX_PORTS */
#define XF_MAX_VRFS 4096     /* = FWD_MAX_VRFS */
#define XF_MAX_PUSH 3        /* = FWD_MAX_PUSH */
#define XF_MAX_ADJ 16        /* = FWD_MAX_ADJ */
#define XF_MAX_PE 4096       /* = FWD_MAX_PE */
#define XF_DROP_MAX 13       /* = FWD_DROP_MAX */
#define XF_LPM_NODES 2048    /* default xf_lpm size (fwd_xdp_set_lpm_nodes) */
#define XF_NH_MAX (1u << 20)
#define XF_LFIB_MAX (1u << 20)
#define XF_NEIGH_MAX 65536
#define XF_LOCAL_MAX 65536
#define XF_LPM6_MAX (1u << 20) /* IPv6 routes over all VRFs */
#define XF_AF_INET6 10       /* = AF_INET6 (struct xf_adj.gw_af) */
#define XF_SLOW_MAX 2048     /* room for a frame in a slow-path record (power of 2) */
#define XF_SLOW_LEN 1984     /* longest frame handed over (= FWD_BUF_SIZE - FWD_HEADROOM) */
#define XF_SLOW_RING (1u << 22) /* 4 MiB of records */

/* enum fwd_drop and enum fwd_nh_type of fwd.h (xdp.c checks they agree) */
#define XF_OK 0
#define XF_DROP_MALFORMED 1
#define XF_DROP_NO_ROUTE 2
#define XF_DROP_BLACKHOLE 3
#define XF_DROP_NO_LSP 4
#define XF_DROP_TTL 5
#define XF_DROP_MTU 6
#define XF_DROP_NO_NEIGH 7
#define XF_DROP_BAD_LABEL 8
#define XF_DROP_PORT_DOWN 9
#define XF_DROP_NOT_IP 10
#define XF_DROP_TX 11
#define XF_DROP_STACK 12
#define XF_PUNT 0xfe
#define XF_AF_IPV4 1         /* = FWD_AF_IPV4: struct xf_counters.af index + 1 */
#define XF_AF_IPV6 2
#define XF_SLOW 0xfd          /* internal: hand the frame to the slow path */
#define XF_NH_DROP 0
#define XF_NH_UNRESOLVED 1
#define XF_NH_RECEIVE 2
#define XF_NH_FWD 3
#define XF_NH_LOOKUP 4

#define XF_VRF_SLOW 0xffffffffu

/* struct xf_port.flags */
#define XF_PORT_UP 1         /* carrier and admin up */
#define XF_PORT_SLOWTX 2     /* no redirect into it: frames to it take the slow path */

struct xf_port {
	unsigned int vrf_id;  /* 0: core port */
	unsigned int mtu;
	unsigned int addr;    /* primary IPv4 address, 0: none */
	unsigned char mac[6];
	unsigned char flags;
	unsigned char pad;
	unsigned char addr6[16]; /* source of ICMPv6 errors, all zero: none */
};

/* == struct fwd_adj: gw_af XF_AF_INET6: the next hop is gw6, else gw */
struct xf_adj {
	unsigned short port;
	unsigned char nlabels;
	unsigned char gw_af;
	union {
		unsigned int gw;
		unsigned char gw6[16];
	};
	unsigned int labels[XF_MAX_PUSH];
};

/* == struct fwd_nh with room for every member (nadj + nbackup <= XF_MAX_ADJ;
 * the backups are used while xf_pedown[pe_slot] is non-zero) */
struct xf_nh {
	unsigned char type;   /* enum fwd_nh_type */
	unsigned char nadj;
	unsigned char nbackup;
	unsigned char pad;
	unsigned int vrf_id;
	unsigned int pe_slot;
	struct xf_adj adj[XF_MAX_ADJ];
};

/* A VRF: state 0 absent, XF_VRF_SLOW (its routes could not all be written:
 * the slow path forwards it, both families), else 1 + number of own
 * addresses (in xf_local); root: its trie's root node in xf_lpm (0: no
 * route yet); v6: 0 no IPv6 FIB, else 1 + number of own IPv6 addresses (in
 * xf_local6). */
struct xf_vrf {
	unsigned int state;
	unsigned int root;
	unsigned int v6;
};

/* The VRF FIBs: multibit tries of stride 8 (4 levels for IPv4), controlled
 * prefix expansion with leaf pushing. The slot of a node at level L
 * (0..3) is byte L of the destination (most significant first); an entry
 * is 0 (no route), XF_LPM_CHILD | node index (longer routes below: go on
 * at level L + 1), or a next-hop id (1..FIB_NH_MAX). Node 0 is never used,
 * so a 0 root or index means "none". One map value is one node: in the
 * mmapped array node n's slot s is the 32-bit word n * 256 + s (an array of
 * single u32 values would be laid out every 8 bytes). */
#define XF_LPM_STRIDE 8
#define XF_LPM_SLOTS 256
#define XF_LPM_CHILD 0x80000000u
struct xf_lpm_node {
	unsigned int slot[XF_LPM_SLOTS];
};

struct xf_addr_key {
	unsigned int id;      /* VRF id (xf_local) or port idx (xf_neigh) */
	unsigned int ip;
};

struct xf_addr6_key {
	unsigned int id;      /* VRF id (xf_local6) or port idx (xf_neigh6) */
	unsigned char ip[16];
};

/* An LPM trie key: prefixlen counts the 32 bits of the VRF id (always
 * matched whole) and the prefix length. */
struct xf_lpm6_key {
	unsigned int prefixlen; /* 32 + 0..128 */
	unsigned int vrf;
	unsigned char ip[16];
};

struct xf_mac {
	unsigned char mac[6];
	unsigned char pad[2];
};

struct xf_cfg {
	unsigned int ttl_pipe;
	unsigned int icmp_errors;
};

/* == struct fwd_af_counters */
struct xf_af_counters {
	unsigned long long tx_pkts, tx_bytes;
	unsigned long long punt;
	unsigned long long icmp_sent;
	unsigned long long drop[XF_DROP_MAX];
};

/* == struct fwd_counters (icmp_sent, icmp_limited: the C pipeline's only) */
struct xf_counters {
	unsigned long long rx_pkts, rx_bytes;
	unsigned long long tx_pkts, tx_bytes;
	unsigned long long punt;
	unsigned long long icmp_sent;
	unsigned long long drop[XF_DROP_MAX];
	unsigned long long icmp_limited;
	struct xf_af_counters af[2];
};

/* A record of xf_slow. FRAME: the frame as received on in_port, for the C
 * pipeline (ICMP errors, ports XDP cannot send to); the program counted
 * nothing for it. RESOLVE: ask the kernel for ip's MAC on port (the frame
 * was dropped and counted noNeighbor). */
#define XF_SLOW_FRAME 1
#define XF_SLOW_RESOLVE 2
struct xf_slow {
	unsigned short kind;
	unsigned short port;  /* FRAME: in port; RESOLVE: out port */
	unsigned short len;   /* FRAME: bytes in data */
	unsigned short pad;
	unsigned int ip;      /* RESOLVE */
	unsigned int pad2;
	unsigned char data[XF_SLOW_MAX];
};

#endif
