/* AF_PACKET port I/O for the forwarding worker (worker.c): opening a port's
 * sockets in a namespace, receive rings with a classic BPF filter per port
 * kind, transmission of a processed burst, and the ring-drop statistics.
 * The worker owns the ports and decides when to read and write; nothing here
 * keeps a thread or looks at the tables except the counters passed in.
 *
 * Threads: afp_new/afp_free, afp_port_open/close and afp_port_ring_drops on
 * the control thread; afp_rx_burst and afp_tx_burst on the one thread that
 * moves frames (the worker), for ports it was handed. */
#ifndef PE_FWD_AFPACKET_H
#define PE_FWD_AFPACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pe/fwd/fwd.h"
#include "pe/fwd/worker.h" /* enum fwd_port_kind */

struct afp;      /* ring choices and the transmit scratch of the worker */
struct afp_port; /* one open port */

/* afpacket.c */
/* Reads the ring choices from the environment: PE_FWD_RX=v3 (TPACKET_V3
 * receive ring instead of V2), PE_FWD_TX=ring (PACKET_TX_RING instead of
 * sendmmsg). */
struct afp *afp_new(void);
void afp_free(struct afp *a);
/* Opens port idx on interface ifindex of namespace nsfd (-1: the current
 * one), filtered by kind (and mac for FWD_PORT_VRF). NULL + reason in err. */
struct afp_port *afp_port_open(const struct afp *a, uint16_t idx, int nsfd, int ifindex,
			       enum fwd_port_kind kind, const uint8_t mac[6], char *err,
			       size_t errlen);
void afp_port_close(struct afp_port *p);
uint16_t afp_port_idx(const struct afp_port *p);
/* The receive socket, readable when the ring has frames; -1 for a
 * FWD_PORT_TXONLY port (nothing to receive). */
int afp_port_fd(const struct afp_port *p);
/* Frames the kernel dropped because the ring was full since the last call
 * (reading resets the kernel's count). */
uint64_t afp_port_ring_drops(struct afp_port *p);

/* Copies up to max received frames into pkts[0..k): sets data (buf +
 * FWD_HEADROOM), len and in_port, and returns k. Frames it refuses (too long
 * or truncated: FWD_DROP_MALFORMED; VLAN tag stripped by the kernel: punt)
 * are counted in cnt[port index] (rx and the cause). Sets *busy if the ring
 * had anything. Ring slots are given back once copied. */
unsigned afp_rx_burst(struct afp_port *p, struct fwd_pkt *pkts, unsigned max,
		      struct fwd_counters *cnt, bool *busy);
/* Sends the FWD_OK packets of pkts[0..n), grouped by output port (one
 * sendmmsg() or ring send() per port) through port[out_port]. A packet whose
 * port is NULL becomes FWD_DROP_PORT_DOWN, one the kernel refused
 * FWD_DROP_TX; both are moved from tx to that drop in cnt[out_port]. */
void afp_tx_burst(struct afp *a, struct afp_port *const *port, struct fwd_pkt *pkts, unsigned n,
		  struct fwd_counters *cnt);

#endif
