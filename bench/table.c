/* Route-table loader of the benchmarks (bench/table.h). */
#include "config.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/table.h"
#include "lib/log.h"
#include "lib/prefix.h"

/* The file, through gzip -dc if its name ends in .gz. */
static FILE *table_open(const char *path, bool *gz)
{
	size_t plen = strlen(path);
	char cmd[4200];
	FILE *fp;

	*gz = plen > 3 && strcmp(path + plen - 3, ".gz") == 0;
	if (*gz) {
		if (strchr(path, '\'') != NULL)
			fatalx("%s: a table path must not contain a quote", path);
		snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", path);
		fp = popen(cmd, "r");
	} else {
		fp = fopen(path, "r");
	}
	if (fp == NULL)
		fatal("%s", path);
	return fp;
}

void bench_table_load(const char *path, struct bench_table *t)
{
	size_t cap = 1 << 20;
	char line[256];
	bool gz;
	FILE *fp = table_open(path, &gz);

	t->addr = xcalloc(cap, sizeof(*t->addr));
	t->len = xcalloc(cap, 1);
	t->n = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		struct prefix4 p;

		line[strcspn(line, "\r\n \t")] = '\0';
		if (line[0] == '\0' || line[0] == '#' || strchr(line, ':') != NULL ||
		    prefix4_parse(line, &p, NULL) != 0)
			continue;
		prefix4_apply_mask(&p);
		if (t->n == cap) {
			cap *= 2;
			t->addr = xrealloc(t->addr, cap * sizeof(*t->addr));
			t->len = xrealloc(t->len, cap);
		}
		t->addr[t->n] = p.addr;
		t->len[t->n] = p.len;
		t->n++;
	}
	if ((gz ? pclose(fp) : fclose(fp)) != 0 || t->n == 0)
		fatalx("cannot read IPv4 prefixes from %s", path);
}

void bench_table_free(struct bench_table *t)
{
	free(t->addr);
	free(t->len);
	memset(t, 0, sizeof(*t));
}

/* "X:X::X:X/L" (RFC 4291 text, as inet_pton takes it); host bits cleared. */
static int parse6(char *s, uint8_t a[16], uint8_t *len)
{
	char *sl = strchr(s, '/'), *end;
	unsigned long l;
	unsigned i;

	if (sl == NULL)
		return -1;
	*sl = '\0';
	l = strtoul(sl + 1, &end, 10);
	if (end == sl + 1 || *end != '\0' || l > 128 || inet_pton(AF_INET6, s, a) != 1)
		return -1;
	for (i = 0; i < 16; i++) {
		unsigned keep = l >= 8 * (i + 1) ? 8 : l > 8 * i ? (unsigned)l - 8 * i : 0;

		a[i] &= (uint8_t)(0xff00u >> keep);
	}
	*len = (uint8_t)l;
	return 0;
}

void bench_table6_load(const char *path, struct bench_table6 *t)
{
	size_t cap = 1 << 18;
	char line[256];
	bool gz;
	FILE *fp = table_open(path, &gz);

	t->addr = xcalloc(cap, 16);
	t->len = xcalloc(cap, 1);
	t->n = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		uint8_t a[16], len;

		line[strcspn(line, "\r\n \t")] = '\0';
		if (line[0] == '\0' || line[0] == '#' || strchr(line, ':') == NULL || parse6(line, a, &len) != 0)
			continue;
		if (t->n == cap) {
			cap *= 2;
			t->addr = xrealloc(t->addr, cap * 16);
			t->len = xrealloc(t->len, cap);
		}
		memcpy(t->addr + 16 * t->n, a, 16);
		t->len[t->n] = len;
		t->n++;
	}
	if ((gz ? pclose(fp) : fclose(fp)) != 0 || t->n == 0)
		fatalx("cannot read IPv6 prefixes from %s", path);
}

void bench_table6_free(struct bench_table6 *t)
{
	free(t->addr);
	free(t->len);
	memset(t, 0, sizeof(*t));
}
