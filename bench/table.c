/* Route-table loader of the benchmarks (bench/table.h). */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/table.h"
#include "lib/log.h"
#include "lib/prefix.h"

void bench_table_load(const char *path, struct bench_table *t)
{
	size_t cap = 1 << 20, plen = strlen(path);
	bool gz = plen > 3 && strcmp(path + plen - 3, ".gz") == 0;
	char cmd[4200], line[256];
	FILE *fp;

	if (gz) {
		if (strchr(path, '\'') != NULL)
			fatalx("%s: a table path must not contain a quote", path);
		snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", path);
		fp = popen(cmd, "r");
	} else {
		fp = fopen(path, "r");
	}
	if (fp == NULL)
		fatal("%s", path);
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
