/* Helpers shared by the forwarding benchmark's generators (pktgen.c,
 * xdpgen.c): random numbers, time, MAC parsing, frame building. */
#ifndef BENCH_FWD_GEN_H
#define BENCH_FWD_GEN_H

#include <stddef.h>
#include <stdint.h>

/* gen.c */
void gen_seed(uint64_t s);    /* nonzero */
uint64_t gen_rng(void);       /* xorshift64*, fixed seed: the same frames every run */
double gen_now(void);         /* CLOCK_MONOTONIC, seconds */
int gen_parse_mac(const char *s, uint8_t mac[6]); /* "aa:bb:..": 0, or -1 */
uint16_t gen_ip_csum(const uint8_t *p, size_t len); /* RFC 1071 */
void gen_put16(uint8_t *p, uint16_t v);             /* big-endian */
void gen_put32(uint8_t *p, uint32_t v);

#endif
