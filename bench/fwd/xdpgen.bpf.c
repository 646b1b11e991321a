/* The BPF side of bench/fwd/xdpgen.c (see there): an XDP program run by
 * BPF_PROG_TEST_RUN in live-frames mode on the generator's interface, once
 * per frame of the repeat count, and a drop program for a sink.
 *
 * xdpgen_tx: the kernel copies the frame the loader passed in into each page
 * of its page pool once, and recycles pages: a page may come back holding
 * what this program wrote, or what the receiver did to the frame (an XDP
 * DUT that pushed or popped labels in place). So every run first writes the
 * headers whole again (Ethernet, labels, IPv4, UDP: `hlen` bytes of `tmpl`,
 * the template the loader also passed as the frame; the padding behind
 * them is never written by a forwarder). Per frame it
 *   - takes the next index of a per-CPU counter,
 *   - paces (rate_ps != 0): a frame whose send time has not come is dropped
 *     (XDP_DROP, not counted as sent), so the frames leave evenly spaced at
 *     the asked rate with bursts of at most `burst` frames,
 *   - writes the headers of the template, then the IPv4 destination
 *     xg_dsts[i mod ndst] with the IPv4 header checksum adjusted from the
 *     template's (RFC 1624), the UDP source port
 *     1024 + i mod 60000 (UDP checksum 0), and with MPLS the top label
 *     label0 + i mod spread (TC, S and TTL kept),
 *   - returns XDP_TX: the frame leaves the interface (on a veth: into the
 *     peer's XDP ring).
 * The loader sets the constants (.rodata) before the program is verified.
 *
 * xdpgen_drop: XDP_DROP, counting frames and bytes per CPU (a sink).
 *
 * xdpgen_fwd: redirects every frame untouched to the interface fwd_ifindex
 * (bpf_redirect), counting as xdpgen_drop: the ceiling of an XDP forwarder
 * on this path, as fwdut's null mode is for the AF_PACKET one.
 *
 * Plain BPF C, no CO-RE (no vmlinux BTF here):
 *   clang -O2 -g -target bpf -I/usr/include/$(multiarch) -c xdpgen.bpf.c */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* set by the loader before load */
const volatile __u32 nlabels = 0;   /* 0 IPv4, 1 or 2 MPLS labels on top of it */
const volatile __u32 ndst = 1;      /* entries of xg_dsts in use (>= 1) */
const volatile __u32 label0 = 1000; /* top label of frame i: label0 + i mod spread */
const volatile __u32 spread = 1;
const volatile __u64 interval_t = 0; /* pacing: time between frames in 1/256 ns, 0: none */
const volatile __u32 burst = 64;      /* pacing: frames that may leave back to back */
const volatile __u32 fwd_ifindex = 0; /* xdpgen_fwd's output */
/* the headers of the frame (the rest is zeros), set by the loader; in .data,
 * not .rodata: the copies below drop the qualifiers, and the compiler would
 * fold a const zero-filled array into zeros */
#define XG_TMPL 64
__u8 tmpl[XG_TMPL] = { 0xff };

struct xg_state {
	__u64 sent;      /* frames returned XDP_TX */
	__u64 skipped;   /* pacing: runs that sent nothing */
	__u64 next_t;    /* pacing: send time of the next frame, ktime in 1/256 ns */
	__u32 di;        /* index into xg_dsts */
	__u32 li;        /* label offset */
	__u32 pi;        /* UDP port offset */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xg_state);
} xg_state SEC(".maps");

/* destination addresses, network byte order; max_entries set by the loader */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xg_dsts SEC(".maps");

struct xg_sink {
	__u64 pkts, bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xg_sink);
} xg_sink SEC(".maps");

static __always_inline __u16 csum_replace4(__u16 check, __u32 from, __u32 to)
{
	/* one's complement arithmetic is byte-order neutral: all operands are
	 * 16-bit words as they sit in the frame */
	__u32 s = (__u16)~check;

	s += (__u16)~(from & 0xffff);
	s += (__u16)~(from >> 16);
	s += to & 0xffff;
	s += to >> 16;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

SEC("xdp")
int xdpgen_tx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 zero = 0, off = sizeof(struct ethhdr) + 4 * nlabels;
	struct xg_state *st;
	struct iphdr *ip;
	struct udphdr *udp;
	__u32 *dst, old, i;

	st = bpf_map_lookup_elem(&xg_state, &zero);
	if (!st)
		return XDP_ABORTED;
	if (interval_t) {
		__u64 now = bpf_ktime_get_ns() << 8;
		__u64 slack = interval_t * burst;

		if (st->next_t + slack < now)
			st->next_t = now - slack; /* idle for a while: at most a burst */
		if (st->next_t > now) {
			st->skipped++;
			return XDP_DROP;
		}
		st->next_t += interval_t;
	}

	/* the headers whole (constant sizes: the verifier wants them) */
	if (nlabels == 0) {
		if (data + 42 > data_end)
			return XDP_ABORTED;
		__builtin_memcpy(data, tmpl, 42);
	} else if (nlabels == 1) {
		if (data + 46 > data_end)
			return XDP_ABORTED;
		__builtin_memcpy(data, tmpl, 46);
	} else {
		if (data + 50 > data_end)
			return XDP_ABORTED;
		__builtin_memcpy(data, tmpl, 50);
	}
	if (data + off + sizeof(*ip) + sizeof(*udp) > data_end)
		return XDP_ABORTED;
	if (nlabels) {
		__u32 *lse = data + sizeof(struct ethhdr);
		__u32 v = bpf_ntohl(*lse);

		v = (v & 0xfff) | (label0 + st->li) << 12;
		*lse = bpf_htonl(v);
		if (++st->li >= spread)
			st->li = 0;
	}
	ip = data + off;
	udp = data + off + sizeof(*ip);

	i = st->di;
	if (++st->di >= ndst)
		st->di = 0;
	dst = bpf_map_lookup_elem(&xg_dsts, &i);
	if (dst) {
		old = ip->daddr;
		ip->daddr = *dst;
		ip->check = csum_replace4(ip->check, old, *dst);
	}
	udp->source = bpf_htons(1024 + st->pi);
	if (++st->pi >= 60000)
		st->pi = 0;
	st->sent++;
	return XDP_TX;
}

SEC("xdp")
int xdpgen_drop(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct xg_sink *s = bpf_map_lookup_elem(&xg_sink, &zero);

	if (s) {
		s->pkts++;
		s->bytes += ctx->data_end - ctx->data;
	}
	return XDP_DROP;
}

SEC("xdp")
int xdpgen_fwd(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct xg_sink *s = bpf_map_lookup_elem(&xg_sink, &zero);

	if (s) {
		s->pkts++;
		s->bytes += ctx->data_end - ctx->data;
	}
	return bpf_redirect(fwd_ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
