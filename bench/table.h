/* The route tables the benchmarks read (../shared/data/): one IPv4 prefix
 * A.B.C.D/L per line, plain or gzip'ed (name ending in .gz); IPv6 lines,
 * comments and anything that is not a prefix are skipped; host bits are
 * cleared. Shared by bench/lpm and bench/fwd. */
#ifndef PE_BENCH_TABLE_H
#define PE_BENCH_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct bench_table {
	uint32_t *addr; /* host order, masked */
	uint8_t *len;
	size_t n;
};

/* table.c: exits (fatalx) if the file cannot be read or holds no prefix */
void bench_table_load(const char *path, struct bench_table *t);
void bench_table_free(struct bench_table *t);

#endif
