/* The next batch of keys above a cursor (kbatch.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/kbatch.h"
#include "lib/log.h"

void kbatch_init(struct kbatch *kb, size_t size, int (*cmp)(const void *, const void *))
{
	memset(kb, 0, sizeof(*kb));
	kb->size = size;
	kb->cmp = cmp;
	kb->last = xcalloc(1, size);
}

void *kbatch_at(const struct kbatch *kb, size_t i)
{
	return kb->keys + i * kb->size;
}

static void swap(struct kbatch *kb, size_t i, size_t j)
{
	unsigned char t[64], *a = kbatch_at(kb, i), *b = kbatch_at(kb, j);
	size_t off, k;

	for (off = 0; off < kb->size; off += k) { /* keys of any size, 64 bytes at a time */
		k = kb->size - off < sizeof(t) ? kb->size - off : sizeof(t);
		memcpy(t, a + off, k);
		memcpy(a + off, b + off, k);
		memcpy(b + off, t, k);
	}
}

void kbatch_begin(struct kbatch *kb, size_t cap)
{
	if (cap == 0)
		cap = 1;
	if (cap != kb->cap) {
		free(kb->keys);
		kb->keys = xcalloc(cap, kb->size);
		kb->cap = cap;
	}
	kb->n = kb->next = kb->seen = 0;
}

void kbatch_offer(struct kbatch *kb, const void *key)
{
	size_t i;

	if (kb->have_last && kb->cmp(key, kb->last) <= 0)
		return;
	kb->seen++;
	if (kb->n < kb->cap) { /* sift up */
		i = kb->n++;
		memcpy(kbatch_at(kb, i), key, kb->size);
		while (i > 0 && kb->cmp(kbatch_at(kb, (i - 1) / 2), kbatch_at(kb, i)) < 0) {
			swap(kb, i, (i - 1) / 2);
			i = (i - 1) / 2;
		}
		return;
	}
	if (kb->cmp(key, kb->keys) >= 0)
		return; /* not among the cap smallest */
	memcpy(kb->keys, key, kb->size);
	for (i = 0;;) { /* sift down */
		size_t l = 2 * i + 1, m = i;

		if (l < kb->n && kb->cmp(kbatch_at(kb, l), kbatch_at(kb, m)) > 0)
			m = l;
		if (l + 1 < kb->n && kb->cmp(kbatch_at(kb, l + 1), kbatch_at(kb, m)) > 0)
			m = l + 1;
		if (m == i)
			break;
		swap(kb, i, m);
		i = m;
	}
}

void kbatch_end(struct kbatch *kb)
{
	qsort(kb->keys, kb->n, kb->size, kb->cmp);
	kb->exhausted = kb->seen <= kb->cap;
	kb->next = 0;
	if (kb->n > 0) {
		memcpy(kb->last, kbatch_at(kb, kb->n - 1), kb->size);
		kb->have_last = true;
	}
}

void kbatch_free(struct kbatch *kb)
{
	free(kb->keys);
	free(kb->last);
	kb->keys = kb->last = NULL;
}
