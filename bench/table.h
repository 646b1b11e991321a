/* The route tables the benchmarks read (../shared/data/): one prefix per
 * line, IPv4 A.B.C.D/L or IPv6 X:X::X:X/L, plain or gzip'ed (name ending in
 * .gz). bench_table_load keeps the IPv4 lines, bench_table6_load the IPv6
 * ones; comments and anything that is not a prefix are skipped; host bits
 * are cleared. Shared by bench/lpm and bench/fwd. */
#ifndef PE_BENCH_TABLE_H
#define PE_BENCH_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct bench_table {
	uint32_t *addr; /* host order, masked */
	uint8_t *len;
	size_t n;
};

struct bench_table6 {
	uint8_t *addr; /* 16 bytes per prefix, network order, masked */
	uint8_t *len;
	size_t n;
};

/* table.c: exit (fatalx) if the file cannot be read or holds no prefix of
 * the family */
void bench_table_load(const char *path, struct bench_table *t);
void bench_table_free(struct bench_table *t);
void bench_table6_load(const char *path, struct bench_table6 *t);
void bench_table6_free(struct bench_table6 *t);

#endif
