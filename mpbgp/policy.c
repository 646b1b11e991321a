/* Routing policy engine (see policy.h): the objects, compiled when they are
 * configured, and their evaluation.
 *
 * Our implementation:
 * - every object lives in a name hash (one table per kind); a route-map
 *   entry caches the objects its clauses name until any object changes
 *   (the generation counter), so applying costs no lookup per clause and
 *   no allocation beyond what the set clauses need;
 * - the prefix-lists of all `match ip|ipv6 address prefix-list` clauses of
 *   a route-map are compiled into one trie per family: one walk of the
 *   route's bits answers every such clause of the map (a 50-entry map
 *   falling through 30 entries costs one walk, not 30);
 * - BGP ingest applies route-maps to interned attributes through a memo:
 *   the route-map is first evaluated without changing anything, and when
 *   no attribute match follows a set clause, the result is fully given by
 *   the input attributes and the entries taken, so routes that share both
 *   share one interned result (policy_route_map_apply_interned);
 * - a prefix-list is a binary trie on the entries' prefix bits; a route
 *   walks at most its own length and takes the lowest-seq entry whose
 *   length range fits (FRR: first match in seq order, else deny);
 * - regular expressions (expanded community lists, AS-path lists) are
 *   compiled once with REG_EXTENDED|REG_NOSUB; AS-path lists translate
 *   FRR's `_` into `(^|[,{}() ]|$)`;
 * - route-maps follow FRR's route_map_apply: entries in seq order, deny
 *   entry matched = deny, permit entry matched = sets, then `call` (a
 *   callee that denies denies; a callee that does not exist is skipped),
 *   then the exit policy (exit, next, goto N forward only); no entry
 *   matched = deny. Calls nest at most POLICY_CALL_DEPTH deep and loops are
 *   refused at configuration time, so evaluation always ends.
 * Deviation: a call chain deeper than the limit denies (FRR logs and
 * denies too). */
#include "config.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "mpbgp/policy.h"

#define POLICY_CALL_DEPTH 10
#define NTAB_SIZE 256
#define BGP_ATTR_LARGE_COMMUNITIES 32

struct nent {
	char *name;
	void *obj;
	struct nent *next;
};

struct ntab {
	struct nent *b[NTAB_SIZE];
	size_t n;
};

struct pl_node {
	struct pl_node *child[2];
	uint32_t *idx; /* entries ending here, ascending index = ascending seq */
	size_t nidx;
};

static struct ntab tabs[POBJ_MAX];
static uint64_t pgen = 1; /* bumped by every change of any object */
struct rm_ct;
static void ct_free(struct rm_ct *ct);

static policy_change_fn change_fn;
static struct event_base *ev_base;
static struct event *ev_change;

/* ------------------------------------------------------------ names */

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 16777619u;
	}
	return h;
}

void *policy_obj_lookup(enum policy_obj kind, const char *name)
{
	struct nent *n;

	if (name == NULL || (int)kind < 0 || kind >= POBJ_MAX)
		return NULL;
	for (n = tabs[kind].b[name_hash(name) % NTAB_SIZE]; n != NULL; n = n->next)
		if (strcmp(n->name, name) == 0)
			return n->obj;
	return NULL;
}

/* name must be the object's own copy (it stays valid while it is in). */
static void ntab_add(enum policy_obj kind, char *name, void *obj)
{
	struct nent *n = xcalloc(1, sizeof(*n));
	uint32_t h = name_hash(name) % NTAB_SIZE;

	pgen++;
	n->name = name;
	n->obj = obj;
	n->next = tabs[kind].b[h];
	tabs[kind].b[h] = n;
	tabs[kind].n++;
}

static void ntab_del(enum policy_obj kind, const char *name)
{
	struct nent **pp = &tabs[kind].b[name_hash(name) % NTAB_SIZE], *n;

	pgen++;
	for (; (n = *pp) != NULL; pp = &n->next)
		if (strcmp(n->name, name) == 0) {
			*pp = n->next;
			free(n);
			tabs[kind].n--;
			return;
		}
}

static int cmp_obj_name(const void *a, const void *b)
{
	/* every object struct starts with its name */
	const char *const *na = *(const char *const *const *)a;
	const char *const *nb = *(const char *const *const *)b;

	return strcmp(*na, *nb);
}

void **policy_obj_sorted(enum policy_obj kind, size_t *n)
{
	void **v;
	size_t i, k = 0;
	struct nent *e;

	*n = 0;
	if ((int)kind < 0 || kind >= POBJ_MAX)
		return NULL;
	v = xcalloc(tabs[kind].n + 1, sizeof(*v));
	for (i = 0; i < NTAB_SIZE; i++)
		for (e = tabs[kind].b[i]; e != NULL; e = e->next)
			v[k++] = e->obj;
	qsort(v, k, sizeof(*v), cmp_obj_name);
	*n = k;
	return v;
}

static bool name_ok(const char *name, char *err, size_t errlen)
{
	if (name == NULL || name[0] == '\0' || strlen(name) > POLICY_NAME_MAX) {
		snprintf(err, errlen, "%% Name must be 1 to %d characters", POLICY_NAME_MAX);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ change hook */

static void change_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (change_fn != NULL)
		change_fn();
}

void policy_notify(void)
{
	pgen++;
	if (ev_base == NULL) {
		if (change_fn != NULL)
			change_fn();
		return;
	}
	if (ev_change == NULL)
		ev_change = event_new(ev_base, -1, 0, change_cb, NULL);
	/* several changes before the loop runs: one call */
	if (ev_change != NULL && !event_pending(ev_change, EV_TIMEOUT | EV_READ | EV_WRITE, NULL))
		event_active(ev_change, 0, 0);
}

void policy_set_change_hook(policy_change_fn fn)
{
	change_fn = fn;
}

void policy_set_event_base(struct event_base *base)
{
	if (ev_change != NULL) {
		event_free(ev_change);
		ev_change = NULL;
	}
	ev_base = base;
}

/* ------------------------------------------------------------ prefix-lists */

static enum policy_obj plist_kind(int af)
{
	return af == AF_INET6 ? POBJ_PLIST6 : POBJ_PLIST4;
}

static void trie_free(struct pl_node *n)
{
	if (n == NULL)
		return;
	trie_free(n->child[0]);
	trie_free(n->child[1]);
	free(n->idx);
	free(n);
}

static void plist_compile(struct plist *pl)
{
	size_t i;
	unsigned d;

	pgen++;
	trie_free(pl->trie);
	pl->trie = xcalloc(1, sizeof(*pl->trie));
	for (i = 0; i < pl->n; i++) {
		struct pl_node *n = pl->trie;

		for (d = 0; d < pl->e[i].p.len; d++) {
			int b = prefix_bit(&pl->e[i].p, d);

			if (n->child[b] == NULL)
				n->child[b] = xcalloc(1, sizeof(*n));
			n = n->child[b];
		}
		n->idx = xrealloc(n->idx, (n->nidx + 1) * sizeof(*n->idx));
		n->idx[n->nidx++] = (uint32_t)i;
	}
}

static void plist_free(struct plist *pl)
{
	trie_free(pl->trie);
	free(pl->e);
	free(pl->descr);
	free(pl->name);
	free(pl);
}

static struct plist *plist_get(int af, const char *name, bool create)
{
	struct plist *pl = policy_obj_lookup(plist_kind(af), name);

	if (pl != NULL || !create)
		return pl;
	pl = xcalloc(1, sizeof(*pl));
	pl->name = xstrdup(name);
	pl->af = af;
	ntab_add(plist_kind(af), pl->name, pl);
	plist_compile(pl);
	return pl;
}

/* Builds and validates an entry (FRR: mask length < ge <= le <= max). */
static int plist_entry_make(int af, bool permit, const char *pfx, unsigned ge, unsigned le,
			    struct plist_entry *e, char *err, size_t errlen)
{
	unsigned max = af_maxlen(af);
	char ps[PREFIX_STRLEN];

	memset(e, 0, sizeof(*e));
	e->permit = permit;
	if (pfx == NULL || strcmp(pfx, "any") == 0) {
		e->any = true;
		e->p.af = (uint8_t)af;
		e->lo = 0;
		e->hi = (uint8_t)max;
		return 0;
	}
	if (prefix_parse(pfx, &e->p, NULL) != 0 || e->p.af != af) {
		snprintf(err, errlen, "%% Malformed %s prefix \"%s\"", af == AF_INET ? "IPv4" : "IPv6",
			 pfx);
		return -1;
	}
	prefix_ntop(&e->p, ps, sizeof(ps));
	if (ge > max || le > max) {
		snprintf(err, errlen,
			 "%% Invalid prefix range for %s: %s %u exceeds the maximum length %u",
			 ps, ge > max ? "ge" : "le", ge > max ? ge : le, max);
		return -1;
	}
	if (ge != 0 && ge <= e->p.len) {
		snprintf(err, errlen,
			 "%% Invalid prefix range for %s: ge %u must be greater than the mask "
			 "length %u (mask length < ge <= le)",
			 ps, ge, e->p.len);
		return -1;
	}
	if (le != 0 && le <= e->p.len) {
		snprintf(err, errlen,
			 "%% Invalid prefix range for %s: le %u must be greater than the mask "
			 "length %u (mask length < ge <= le)",
			 ps, le, e->p.len);
		return -1;
	}
	if (ge != 0 && le != 0 && le < ge) {
		snprintf(err, errlen,
			 "%% Invalid prefix range for %s: le %u is less than ge %u (mask length < "
			 "ge <= le)",
			 ps, le, ge);
		return -1;
	}
	e->ge = (uint8_t)ge;
	e->le = (uint8_t)le;
	e->lo = (uint8_t)(ge ? ge : e->p.len);
	e->hi = (uint8_t)(le ? le : (ge ? max : e->p.len));
	return 0;
}

static bool plist_entry_same(const struct plist_entry *a, const struct plist_entry *b)
{
	return a->permit == b->permit && a->any == b->any && prefix_equal(&a->p, &b->p) &&
	       a->ge == b->ge && a->le == b->le;
}

int policy_plist_add(int af, const char *name, uint32_t seq, bool permit, const char *pfx,
		     unsigned ge, unsigned le, char *err, size_t errlen)
{
	struct plist_entry ne;
	struct plist *pl;
	size_t i;

	if (!name_ok(name, err, errlen) ||
	    plist_entry_make(af, permit, pfx, ge, le, &ne, err, errlen) != 0)
		return -1;
	pl = plist_get(af, name, true);
	if (seq == 0) {
		for (i = 0; i < pl->n; i++)
			if (plist_entry_same(&pl->e[i], &ne))
				return 0; /* FRR: the same entry again is no change */
		seq = pl->n ? pl->e[pl->n - 1].seq + 5 : 5;
	}
	ne.seq = seq;
	for (i = 0; i < pl->n && pl->e[i].seq < seq; i++)
		;
	if (i < pl->n && pl->e[i].seq == seq) {
		if (plist_entry_same(&pl->e[i], &ne))
			return 0;
		pl->e[i] = ne; /* FRR: a new entry at a used seq replaces it */
	} else {
		if (pl->n == pl->cap) {
			pl->cap = pl->cap ? pl->cap * 2 : 8;
			pl->e = xrealloc(pl->e, pl->cap * sizeof(*pl->e));
		}
		memmove(&pl->e[i + 1], &pl->e[i], (pl->n - i) * sizeof(*pl->e));
		pl->e[i] = ne;
		pl->n++;
	}
	plist_compile(pl);
	policy_notify();
	return 0;
}

int policy_plist_del_entry(int af, const char *name, uint32_t seq, bool permit,
			   const char *pfx, unsigned ge, unsigned le, char *err, size_t errlen)
{
	struct plist *pl = plist_get(af, name, false);
	struct plist_entry ne;
	size_t i;

	if (pl == NULL) {
		snprintf(err, errlen, "%% Can't find specified prefix-list");
		return -1;
	}
	if (plist_entry_make(af, permit, pfx, ge, le, &ne, err, errlen) != 0)
		return -1;
	for (i = 0; i < pl->n; i++)
		if ((seq == 0 || pl->e[i].seq == seq) && plist_entry_same(&pl->e[i], &ne))
			break;
	if (i == pl->n) {
		snprintf(err, errlen, "%% Can't find specified prefix-list entry");
		return -1;
	}
	memmove(&pl->e[i], &pl->e[i + 1], (pl->n - i - 1) * sizeof(*pl->e));
	pl->n--;
	if (pl->n == 0 && pl->descr == NULL) {
		ntab_del(plist_kind(af), pl->name);
		plist_free(pl);
	} else {
		plist_compile(pl);
	}
	policy_notify();
	return 0;
}

int policy_plist_del(int af, const char *name, char *err, size_t errlen)
{
	struct plist *pl = plist_get(af, name, false);

	if (pl == NULL) {
		snprintf(err, errlen, "%% Can't find specified prefix-list");
		return -1;
	}
	ntab_del(plist_kind(af), pl->name);
	plist_free(pl);
	policy_notify();
	return 0;
}

int policy_plist_descr(int af, const char *name, const char *descr)
{
	struct plist *pl = plist_get(af, name, descr != NULL);

	if (pl == NULL)
		return -1;
	free(pl->descr);
	pl->descr = descr ? xstrdup(descr) : NULL;
	if (pl->n == 0 && pl->descr == NULL) {
		ntab_del(plist_kind(af), pl->name);
		plist_free(pl);
	}
	return 0;
}

static enum policy_result plist_eval(const struct plist *pl, const struct prefix *pfx)
{
	const struct pl_node *n = pl->trie;
	uint32_t best = UINT32_MAX;
	unsigned d = 0;
	size_t k;

	while (n != NULL) {
		for (k = 0; k < n->nidx && n->idx[k] < best; k++) {
			const struct plist_entry *e = &pl->e[n->idx[k]];

			if (pfx->len >= e->lo && pfx->len <= e->hi) {
				best = n->idx[k];
				break;
			}
		}
		if (d >= pfx->len)
			break;
		n = n->child[prefix_bit(pfx, d)];
		d++;
	}
	if (best == UINT32_MAX)
		return POLICY_DENY;
	return pl->e[best].permit ? POLICY_PERMIT : POLICY_DENY;
}

enum policy_result policy_prefix_list_apply(const char *name, const struct prefix *pfx,
					    bool *exists)
{
	const struct plist *pl;

	if (pfx == NULL || (pfx->af != AF_INET && pfx->af != AF_INET6)) {
		if (exists != NULL)
			*exists = false;
		return POLICY_DENY;
	}
	pl = policy_obj_lookup(plist_kind(pfx->af), name);
	if (exists != NULL)
		*exists = pl != NULL;
	if (pl == NULL)
		return POLICY_DENY;
	return plist_eval(pl, pfx);
}

/* ------------------------------------------------------------ communities */

static const struct {
	const char *name;
	uint32_t val;
} wk_comm[] = {
	{ "internet", 0x00000000u },	       { "graceful-shutdown", 0xFFFF0000u },
	{ "accept-own", 0xFFFF0001u },	       { "route-filter-translated-v4", 0xFFFF0002u },
	{ "route-filter-v4", 0xFFFF0003u },    { "route-filter-translated-v6", 0xFFFF0004u },
	{ "route-filter-v6", 0xFFFF0005u },    { "llgr-stale", 0xFFFF0006u },
	{ "no-llgr", 0xFFFF0007u },	       { "accept-own-nexthop", 0xFFFF0008u },
	{ "blackhole", 0xFFFF029Au },	       { "no-export", 0xFFFFFF01u },
	{ "no-advertise", 0xFFFFFF02u },       { "local-AS", 0xFFFFFF03u },
	{ "no-peer", 0xFFFFFF04u },
};

const char *policy_comm_str(uint32_t c, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(wk_comm) / sizeof(wk_comm[0]); i++)
		if (wk_comm[i].val == c) {
			snprintf(buf, len, "%s", wk_comm[i].name);
			return buf;
		}
	snprintf(buf, len, "%u:%u", c >> 16, c & 0xffff);
	return buf;
}

static int parse_u32(const char *s, const char *end, uint32_t *out)
{
	uint64_t v = 0;

	if (s == end || end - s > 10)
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int policy_comm_parse(const char *s, uint32_t *out)
{
	const char *c = strchr(s, ':');
	uint32_t a, b;
	size_t i;

	for (i = 0; i < sizeof(wk_comm) / sizeof(wk_comm[0]); i++)
		if (strcmp(s, wk_comm[i].name) == 0) {
			*out = wk_comm[i].val;
			return 0;
		}
	if (c == NULL || parse_u32(s, c, &a) != 0 || parse_u32(c + 1, c + strlen(c), &b) != 0 ||
	    a > 0xffff || b > 0xffff)
		return -1;
	*out = a << 16 | b;
	return 0;
}

static int lcomm_parse(const char *s, struct lcomm *out)
{
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

	if (c2 == NULL || parse_u32(s, c1, &out->g) != 0 || parse_u32(c1 + 1, c2, &out->l1) != 0 ||
	    parse_u32(c2 + 1, c2 + strlen(c2), &out->l2) != 0)
		return -1;
	return 0;
}

size_t policy_lcomm_get(const struct bgp_attr *attr, struct lcomm *out, size_t max)
{
	const uint8_t *p = attr->unknown, *end = p + attr->unknown_len;
	size_t n = 0;

	while (p != NULL && end - p >= 3) {
		uint8_t flags = p[0], type = p[1];
		size_t hl = (flags & 0x10) ? 4 : 3, vlen;

		if ((size_t)(end - p) < hl)
			break;
		vlen = hl == 4 ? (size_t)p[2] << 8 | p[3] : p[2];
		if ((size_t)(end - p) < hl + vlen)
			break;
		if (type == BGP_ATTR_LARGE_COMMUNITIES) {
			const uint8_t *v = p + hl;
			size_t k;

			for (k = 0; k + 12 <= vlen && n < max; k += 12, n++) {
				out[n].g = (uint32_t)v[k] << 24 | (uint32_t)v[k + 1] << 16 |
					   (uint32_t)v[k + 2] << 8 | v[k + 3];
				out[n].l1 = (uint32_t)v[k + 4] << 24 | (uint32_t)v[k + 5] << 16 |
					    (uint32_t)v[k + 6] << 8 | v[k + 7];
				out[n].l2 = (uint32_t)v[k + 8] << 24 | (uint32_t)v[k + 9] << 16 |
					    (uint32_t)v[k + 10] << 8 | v[k + 11];
			}
		}
		p += hl + vlen;
	}
	return n;
}

static void clist_entry_free(struct clist_entry *e)
{
	if (e->re != NULL) {
		regfree(e->re);
		free(e->re);
	}
	free(e->text);
	free(e->comm);
	free(e->lcomm);
	free(e->ecomm);
}

static void clist_free(struct clist *cl)
{
	size_t i;

	for (i = 0; i < cl->n; i++)
		clist_entry_free(&cl->e[i]);
	free(cl->e);
	free(cl->name);
	free(cl);
}

static int regex_make(const char *pattern, regex_t **out, char *err, size_t errlen)
{
	regex_t *re = xcalloc(1, sizeof(*re));
	int rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);

	if (rc != 0) {
		char msg[128];

		regerror(rc, re, msg, sizeof(msg));
		snprintf(err, errlen, "%% Invalid regular expression \"%s\": %s", pattern, msg);
		free(re);
		return -1;
	}
	*out = re;
	return 0;
}

/* Appends s to buf (space separated). */
static void text_add(char *buf, size_t len, const char *s)
{
	size_t off = strlen(buf);

	snprintf(buf + off, len - off, "%s%s", off ? " " : "", s);
}

/* Standard entry values: communities, large communities, or "rt X soo Y". */
static int clist_parse_std(enum clist_kind kind, const char *values, struct clist_entry *e,
			   char *err, size_t errlen)
{
	char *copy = xstrdup(values), *save = NULL, *w, text[1024] = "";
	int rc = -1;

	for (w = strtok_r(copy, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
		char vb[64];

		if (kind == CLIST_COMM) {
			uint32_t c;

			if (policy_comm_parse(w, &c) != 0) {
				snprintf(err, errlen, "%% Malformed community-list value \"%s\"", w);
				goto out;
			}
			e->comm = xrealloc(e->comm, (e->nval + 1) * sizeof(*e->comm));
			e->comm[e->nval++] = c;
			text_add(text, sizeof(text), policy_comm_str(c, vb, sizeof(vb)));
		} else if (kind == CLIST_LCOMM) {
			struct lcomm l;

			if (lcomm_parse(w, &l) != 0) {
				snprintf(err, errlen,
					 "%% Malformed large-community-list value \"%s\"", w);
				goto out;
			}
			e->lcomm = xrealloc(e->lcomm, (e->nval + 1) * sizeof(*e->lcomm));
			e->lcomm[e->nval++] = l;
			snprintf(vb, sizeof(vb), "%u:%u:%u", l.g, l.l1, l.l2);
			text_add(text, sizeof(text), vb);
		} else {
			uint8_t sub = strcmp(w, "rt") == 0 ? ECOMM_SUB_RT
				      : strcmp(w, "soo") == 0 ? ECOMM_SUB_SOO : 0;
			char *v = strtok_r(NULL, " \t", &save), why[128];
			struct ecomm ec;

			if (sub == 0 || v == NULL) {
				snprintf(err, errlen,
					 "%% Malformed extcommunity-list value: expected rt|soo "
					 "followed by a value");
				goto out;
			}
			if (ecomm_parse(v, sub, &ec, why, sizeof(why)) != 0) {
				snprintf(err, errlen, "%% Malformed extcommunity-list value \"%s\": %s",
					 v, why);
				goto out;
			}
			e->ecomm = xrealloc(e->ecomm, (e->nval + 1) * sizeof(*e->ecomm));
			e->ecomm[e->nval++] = ec;
			text_add(text, sizeof(text), w);
			text_add(text, sizeof(text), ecomm_format(&ec, vb, sizeof(vb)));
		}
	}
	if (e->nval == 0) {
		snprintf(err, errlen, "%% Malformed community-list value: no value given");
		goto out;
	}
	e->text = xstrdup(text);
	rc = 0;
out:
	free(copy);
	return rc;
}

static const enum policy_obj clist_obj[CLIST_KIND_MAX] = { POBJ_CLIST_COMM, POBJ_CLIST_LCOMM,
							   POBJ_CLIST_ECOMM };

int policy_clist_add(enum clist_kind kind, bool expanded, const char *name, uint32_t seq,
		     bool permit, const char *values, char *err, size_t errlen)
{
	struct clist *cl;
	struct clist_entry ne;
	size_t i;

	if (!name_ok(name, err, errlen))
		return -1;
	cl = policy_obj_lookup(clist_obj[kind], name);
	if (cl != NULL && cl->expanded != expanded) {
		snprintf(err, errlen, "%% Community name conflict, previously defined as %s",
			 cl->expanded ? "expanded" : "standard");
		return -1;
	}
	memset(&ne, 0, sizeof(ne));
	ne.permit = permit;
	if (expanded) {
		if (regex_make(values, &ne.re, err, errlen) != 0)
			return -1;
		ne.text = xstrdup(values);
	} else if (clist_parse_std(kind, values, &ne, err, errlen) != 0) {
		clist_entry_free(&ne);
		return -1;
	}
	if (cl == NULL) {
		cl = xcalloc(1, sizeof(*cl));
		cl->name = xstrdup(name);
		cl->kind = kind;
		cl->expanded = expanded;
		ntab_add(clist_obj[kind], cl->name, cl);
	}
	if (seq == 0) {
		for (i = 0; i < cl->n; i++)
			if (cl->e[i].permit == permit && strcmp(cl->e[i].text, ne.text) == 0) {
				clist_entry_free(&ne);
				return 0;
			}
		seq = cl->n ? cl->e[cl->n - 1].seq + 5 : 5;
	}
	ne.seq = seq;
	for (i = 0; i < cl->n && cl->e[i].seq < seq; i++)
		;
	if (i < cl->n && cl->e[i].seq == seq) {
		clist_entry_free(&cl->e[i]);
		cl->e[i] = ne;
	} else {
		if (cl->n == cl->cap) {
			cl->cap = cl->cap ? cl->cap * 2 : 8;
			cl->e = xrealloc(cl->e, cl->cap * sizeof(*cl->e));
		}
		memmove(&cl->e[i + 1], &cl->e[i], (cl->n - i) * sizeof(*cl->e));
		cl->e[i] = ne;
		cl->n++;
	}
	policy_notify();
	return 0;
}

int policy_clist_del(enum clist_kind kind, const char *name, bool has_entry, bool permit,
		     const char *values, char *err, size_t errlen)
{
	struct clist *cl = policy_obj_lookup(clist_obj[kind], name);
	size_t i;

	if (cl == NULL) {
		snprintf(err, errlen, "%% Can't find community-list");
		return -1;
	}
	if (has_entry) {
		struct clist_entry ne;
		bool found = false;

		memset(&ne, 0, sizeof(ne));
		if (cl->expanded)
			ne.text = xstrdup(values);
		else if (clist_parse_std(kind, values, &ne, err, errlen) != 0) {
			clist_entry_free(&ne);
			return -1;
		}
		for (i = 0; i < cl->n; i++)
			if (cl->e[i].permit == permit && strcmp(cl->e[i].text, ne.text) == 0) {
				clist_entry_free(&cl->e[i]);
				memmove(&cl->e[i], &cl->e[i + 1],
					(cl->n - i - 1) * sizeof(*cl->e));
				cl->n--;
				found = true;
				break;
			}
		clist_entry_free(&ne);
		if (!found) {
			snprintf(err, errlen, "%% Can't find community-list entry");
			return -1;
		}
		if (cl->n > 0) {
			policy_notify();
			return 0;
		}
	}
	ntab_del(clist_obj[kind], cl->name);
	clist_free(cl);
	policy_notify();
	return 0;
}

static bool comm_has(const struct bgp_attr *a, uint32_t c)
{
	size_t i;

	for (i = 0; i < a->ncommunities; i++)
		if (a->communities[i] == c)
			return true;
	return false;
}

static bool ecomm_has(const struct ecomm *v, size_t n, const struct ecomm *c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (memcmp(v[i].b, c->b, 8) == 0)
			return true;
	return false;
}

static bool lcomm_has(const struct lcomm *v, size_t n, const struct lcomm *c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].g == c->g && v[i].l1 == c->l1 && v[i].l2 == c->l2)
			return true;
	return false;
}

#define LCOMM_MAX 512 /* 4096-byte messages hold fewer */

/* The route's values as FRR prints them, for expanded lists. */
static void clist_route_str(enum clist_kind kind, const struct bgp_attr *a,
			    const struct lcomm *lc, size_t nlc, char *buf, size_t len)
{
	char vb[64];
	size_t i;

	buf[0] = '\0';
	if (kind == CLIST_COMM) {
		for (i = 0; i < a->ncommunities; i++)
			text_add(buf, len, policy_comm_str(a->communities[i], vb, sizeof(vb)));
	} else if (kind == CLIST_LCOMM) {
		for (i = 0; i < nlc; i++) {
			snprintf(vb, sizeof(vb), "%u:%u:%u", lc[i].g, lc[i].l1, lc[i].l2);
			text_add(buf, len, vb);
		}
	} else {
		for (i = 0; i < a->necomms; i++) {
			char v[64];
			uint8_t sub = a->ecomms[i].b[1];

			if (sub != ECOMM_SUB_RT && sub != ECOMM_SUB_SOO)
				continue;
			snprintf(vb, sizeof(vb), "%s:%s", sub == ECOMM_SUB_RT ? "RT" : "SoO",
				 ecomm_format(&a->ecomms[i], v, sizeof(v)));
			text_add(buf, len, vb);
		}
	}
}

/* The values of a standard entry are all on the route (exact: and nothing
 * else, as sets). */
static bool clist_entry_std_match(const struct clist_entry *e, enum clist_kind kind,
				  const struct bgp_attr *a, const struct lcomm *lc, size_t nlc,
				  bool exact)
{
	size_t i, k, distinct = 0;

	for (i = 0; i < e->nval; i++) {
		bool has = kind == CLIST_COMM	 ? comm_has(a, e->comm[i])
			   : kind == CLIST_LCOMM ? lcomm_has(lc, nlc, &e->lcomm[i])
						 : ecomm_has(a->ecomms, a->necomms, &e->ecomm[i]);

		if (!has)
			return false;
	}
	if (!exact)
		return true;
	/* exact: every route value is in the entry */
	if (kind == CLIST_COMM) {
		for (k = 0; k < a->ncommunities; k++) {
			for (i = 0; i < e->nval && e->comm[i] != a->communities[k]; i++)
				;
			if (i == e->nval)
				return false;
			distinct++;
		}
	} else if (kind == CLIST_LCOMM) {
		for (k = 0; k < nlc; k++)
			if (!lcomm_has(e->lcomm, e->nval, &lc[k]))
				return false;
	} else {
		for (k = 0; k < a->necomms; k++)
			if (!ecomm_has(e->ecomm, e->nval, &a->ecomms[k]))
				return false;
	}
	(void)distinct;
	return true;
}

static enum policy_result clist_eval(const struct clist *cl, const struct bgp_attr *a,
				     bool exact)
{
	struct lcomm lc[LCOMM_MAX];
	size_t nlc = 0, i;
	char *str = NULL;
	enum policy_result res = POLICY_DENY;

	if (cl->kind == CLIST_LCOMM)
		nlc = policy_lcomm_get(a, lc, LCOMM_MAX);
	for (i = 0; i < cl->n; i++) {
		const struct clist_entry *e = &cl->e[i];
		bool m;

		if (cl->expanded) {
			if (str == NULL) {
				size_t len = (size_t)(a->ncommunities + a->necomms + nlc) * 40 + 1;

				str = xmalloc(len);
				clist_route_str(cl->kind, a, lc, nlc, str, len);
			}
			m = regexec(e->re, str, 0, NULL, 0) == 0;
		} else {
			m = clist_entry_std_match(e, cl->kind, a, lc, nlc, exact);
		}
		if (m) {
			res = e->permit ? POLICY_PERMIT : POLICY_DENY;
			break;
		}
	}
	free(str);
	return res;
}

/* ------------------------------------------------------------ AS-path lists */

static void aslist_free(struct aslist *al)
{
	size_t i;

	for (i = 0; i < al->n; i++) {
		regfree(al->e[i].re);
		free(al->e[i].re);
		free(al->e[i].text);
	}
	free(al->e);
	free(al->name);
	free(al);
}

/* FRR's `_`: a delimiter, the start or the end of the path. */
static char *aspath_regex_translate(const char *s)
{
	static const char us[] = "(^|[,{}() ]|$)";
	size_t n = 1;
	const char *p;
	char *out, *o;

	for (p = s; *p; p++)
		n += *p == '_' ? sizeof(us) - 1 : 1;
	out = o = xmalloc(n);
	for (p = s; *p; p++) {
		if (*p == '_') {
			memcpy(o, us, sizeof(us) - 1);
			o += sizeof(us) - 1;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

int policy_aslist_add(const char *name, uint32_t seq, bool permit, const char *regex, char *err,
		      size_t errlen)
{
	struct aslist *al;
	struct aslist_entry ne;
	char *tr;
	size_t i;
	int rc;

	if (!name_ok(name, err, errlen))
		return -1;
	memset(&ne, 0, sizeof(ne));
	tr = aspath_regex_translate(regex);
	rc = regex_make(tr, &ne.re, err, errlen);
	free(tr);
	if (rc != 0) {
		/* name the pattern as the user wrote it */
		char *colon = strstr(err, "\": ");

		if (colon != NULL) {
			char why[128];

			snprintf(why, sizeof(why), "%s", colon + 3);
			snprintf(err, errlen, "%% Invalid regular expression \"%s\": %s", regex, why);
		}
		return -1;
	}
	ne.permit = permit;
	ne.text = xstrdup(regex);
	al = policy_obj_lookup(POBJ_ASLIST, name);
	if (al == NULL) {
		al = xcalloc(1, sizeof(*al));
		al->name = xstrdup(name);
		ntab_add(POBJ_ASLIST, al->name, al);
	}
	if (seq == 0) {
		for (i = 0; i < al->n; i++)
			if (al->e[i].permit == permit && strcmp(al->e[i].text, regex) == 0) {
				regfree(ne.re);
				free(ne.re);
				free(ne.text);
				return 0;
			}
		seq = al->n ? al->e[al->n - 1].seq + 5 : 5;
	}
	ne.seq = seq;
	for (i = 0; i < al->n && al->e[i].seq < seq; i++)
		;
	if (i < al->n && al->e[i].seq == seq) {
		regfree(al->e[i].re);
		free(al->e[i].re);
		free(al->e[i].text);
		al->e[i] = ne;
	} else {
		if (al->n == al->cap) {
			al->cap = al->cap ? al->cap * 2 : 8;
			al->e = xrealloc(al->e, al->cap * sizeof(*al->e));
		}
		memmove(&al->e[i + 1], &al->e[i], (al->n - i) * sizeof(*al->e));
		al->e[i] = ne;
		al->n++;
	}
	policy_notify();
	return 0;
}

int policy_aslist_del(const char *name, uint32_t seq, const char *regex, char *err,
		      size_t errlen)
{
	struct aslist *al = policy_obj_lookup(POBJ_ASLIST, name);
	size_t i;

	if (al == NULL) {
		snprintf(err, errlen, "%% Can't find as-path access-list %s", name);
		return -1;
	}
	if (seq != 0 || regex != NULL) {
		for (i = 0; i < al->n; i++)
			if ((seq == 0 || al->e[i].seq == seq) &&
			    (regex == NULL || strcmp(al->e[i].text, regex) == 0))
				break;
		if (i == al->n) {
			snprintf(err, errlen, "%% Can't find as-path access-list entry");
			return -1;
		}
		regfree(al->e[i].re);
		free(al->e[i].re);
		free(al->e[i].text);
		memmove(&al->e[i], &al->e[i + 1], (al->n - i - 1) * sizeof(*al->e));
		al->n--;
		if (al->n > 0) {
			policy_notify();
			return 0;
		}
	}
	ntab_del(POBJ_ASLIST, al->name);
	aslist_free(al);
	policy_notify();
	return 0;
}

static enum policy_result aslist_eval(const struct aslist *al, const struct bgp_attr *attr)
{
	char sbuf[1024], *buf = sbuf;
	size_t need = (size_t)attr->aspath_len * 3 + 16, i;
	enum policy_result res = POLICY_DENY;

	if (need > sizeof(sbuf))
		buf = xmalloc(need);
	bgp_aspath_str(attr, buf, need > sizeof(sbuf) ? need : sizeof(sbuf));
	for (i = 0; i < al->n; i++)
		if (regexec(al->e[i].re, buf, 0, NULL, 0) == 0) {
			res = al->e[i].permit ? POLICY_PERMIT : POLICY_DENY;
			break;
		}
	if (buf != sbuf)
		free(buf);
	return res;
}

enum policy_result policy_as_path_apply(const char *name, const struct bgp_attr *attr,
					bool *exists)
{
	const struct aslist *al = policy_obj_lookup(POBJ_ASLIST, name);

	if (exists != NULL)
		*exists = al != NULL;
	if (al == NULL || attr == NULL)
		return POLICY_DENY;
	return aslist_eval(al, attr);
}

/* ------------------------------------------------------------ route-maps: config */

static void rm_entry_free(struct rm_entry *e)
{
	int i;

	for (i = 0; i < RM_MATCH_MAX; i++)
		free(e->match[i]);
	policy_rmap_entry_clear_sets(e, UINT32_MAX);
	free(e->descr);
	free(e->call);
	free(e);
}

void policy_rmap_entry_clear_sets(struct rm_entry *e, uint32_t bits)
{
	if (bits & RM_SET_COMM) {
		free(e->comm);
		e->comm = NULL;
		e->ncomm = 0;
		e->comm_additive = false;
	}
	if (bits & RM_SET_COMM_DELETE) {
		free(e->comm_delete);
		e->comm_delete = NULL;
	}
	if (bits & RM_SET_RT) {
		free(e->rt);
		e->rt = NULL;
		e->nrt = 0;
	}
	if (bits & RM_SET_PREPEND) {
		free(e->prepend);
		e->prepend = NULL;
		e->nprepend = 0;
	}
	e->sets &= ~bits;
}

static void rmap_free(struct route_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		rm_entry_free(m->e[i]);
	ct_free(m->ct);
	free(m->e);
	free(m->name);
	free(m);
}

struct rm_entry *policy_rmap_entry(const char *name, bool permit, uint32_t seq, bool create)
{
	struct route_map *m = policy_obj_lookup(POBJ_RMAP, name);
	struct rm_entry *e;
	size_t i;

	if (m == NULL) {
		if (!create || name == NULL || name[0] == '\0' || strlen(name) > POLICY_NAME_MAX)
			return NULL;
		m = xcalloc(1, sizeof(*m));
		m->name = xstrdup(name);
		ntab_add(POBJ_RMAP, m->name, m);
	}
	for (i = 0; i < m->n && m->e[i]->seq < seq; i++)
		;
	if (i < m->n && m->e[i]->seq == seq) {
		if (m->e[i]->permit == permit || !create)
			return m->e[i];
		/* FRR: the other type at the same seq replaces the entry */
		rm_entry_free(m->e[i]);
		memmove(&m->e[i], &m->e[i + 1], (m->n - i - 1) * sizeof(*m->e));
		m->n--;
	}
	if (!create)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	e->seq = seq;
	e->permit = permit;
	e->metric_op = '=';
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 8;
		m->e = xrealloc(m->e, m->cap * sizeof(*m->e));
	}
	memmove(&m->e[i + 1], &m->e[i], (m->n - i) * sizeof(*m->e));
	m->e[i] = e;
	m->n++;
	policy_notify();
	return e;
}

int policy_rmap_del(const char *name, bool has_entry, bool permit, uint32_t seq, char *err,
		    size_t errlen)
{
	struct route_map *m = policy_obj_lookup(POBJ_RMAP, name);
	size_t i;

	if (m == NULL) {
		snprintf(err, errlen, "%% Could not find route-map %s", name);
		return -1;
	}
	if (has_entry) {
		for (i = 0; i < m->n && m->e[i]->seq != seq; i++)
			;
		if (i == m->n || m->e[i]->permit != permit) {
			snprintf(err, errlen, "%% Could not find route-map entry %s %s %u", name,
				 permit ? "permit" : "deny", seq);
			return -1;
		}
		rm_entry_free(m->e[i]);
		memmove(&m->e[i], &m->e[i + 1], (m->n - i - 1) * sizeof(*m->e));
		m->n--;
		if (m->n > 0) {
			policy_notify();
			return 0;
		}
	}
	ntab_del(POBJ_RMAP, m->name);
	rmap_free(m);
	policy_notify();
	return 0;
}

/* Depth-first along call clauses from cur looking for target; path[] holds
 * the maps on the way. */
static bool call_reaches(const char *cur, const char *target, const char **path, int depth)
{
	const struct route_map *m;
	size_t i, k;

	path[depth] = cur;
	if (strcmp(cur, target) == 0)
		return true;
	if (depth >= POLICY_CALL_DEPTH * 4)
		return false;
	for (k = 0; k < (size_t)depth; k++) /* already on this path */
		if (strcmp(path[k], cur) == 0)
			return false;
	m = policy_obj_lookup(POBJ_RMAP, cur);
	if (m == NULL)
		return false;
	for (i = 0; i < m->n; i++)
		if (m->e[i]->call != NULL && call_reaches(m->e[i]->call, target, path, depth + 1))
			return true;
	return false;
}

int policy_rmap_call_check(const char *map, const char *callee, char *err, size_t errlen)
{
	const char *path[POLICY_CALL_DEPTH * 4 + 2];
	int depth = 0, k;
	size_t off;

	path[0] = map;
	if (!call_reaches(callee, map, path + 1, 0))
		return 0;
	while (depth < POLICY_CALL_DEPTH * 4 + 1 && strcmp(path[depth + 1], map) != 0)
		depth++;
	off = (size_t)snprintf(err, errlen, "%% route-map call loop: %s", map);
	for (k = 1; k <= depth + 1 && off < errlen; k++)
		off += (size_t)snprintf(err + off, errlen - off, " -> %s", path[k]);
	return -1;
}

/* ------------------------------------------------------------ route-maps: apply */

/* Per match clause kind: its words and the kind of object it names
 * (POBJ_MAX: a value, no object). */
static const char *const match_names[RM_MATCH_MAX] = {
	[RM_MATCH_IP_PL] = "ip address prefix-list",
	[RM_MATCH_IPV6_PL] = "ipv6 address prefix-list",
	[RM_MATCH_NH_PL] = "ip next-hop prefix-list",
	[RM_MATCH_COMM] = "community",
	[RM_MATCH_LCOMM] = "large-community",
	[RM_MATCH_ECOMM] = "extcommunity",
	[RM_MATCH_ASPATH] = "as-path",
	[RM_MATCH_SRC_VRF] = "source-vrf",
	[RM_MATCH_METRIC] = "metric",
	[RM_MATCH_LPREF] = "local-preference",
};
static const enum policy_obj match_obj[RM_MATCH_MAX] = {
	[RM_MATCH_IP_PL] = POBJ_PLIST4,	     [RM_MATCH_IPV6_PL] = POBJ_PLIST6,
	[RM_MATCH_NH_PL] = POBJ_PLIST4,	     [RM_MATCH_COMM] = POBJ_CLIST_COMM,
	[RM_MATCH_LCOMM] = POBJ_CLIST_LCOMM, [RM_MATCH_ECOMM] = POBJ_CLIST_ECOMM,
	[RM_MATCH_ASPATH] = POBJ_ASLIST,     [RM_MATCH_SRC_VRF] = POBJ_MAX,
	[RM_MATCH_METRIC] = POBJ_MAX,	     [RM_MATCH_LPREF] = POBJ_MAX,
};

const char *policy_match_text(int k)
{
	return k >= 0 && k < RM_MATCH_MAX ? match_names[k] : "?";
}

enum policy_obj policy_match_obj(int k)
{
	return k >= 0 && k < RM_MATCH_MAX ? match_obj[k] : POBJ_MAX;
}

/* The object clause k of e names, cached until the next change of any
 * policy object (NULL: it does not exist). */
static void *entry_obj(struct rm_entry *e, int k)
{
	if (e->mobj_gen != pgen) {
		memset(e->mobj, 0, sizeof(e->mobj));
		e->mobj_gen = pgen;
	}
	if (e->mobj[k] == NULL && match_obj[k] != POBJ_MAX)
		e->mobj[k] = policy_obj_lookup(match_obj[k], e->match[k]);
	return e->mobj[k];
}

/* ---- a route-map's prefix-list clauses, compiled ----
 * Every entry of every prefix-list named by a `match ip|ipv6 address
 * prefix-list` clause of the map is an item of one trie per family, at the
 * entry's prefix, tagged with the route-map entry it answers for. Walking a
 * route's bits once, each route-map entry keeps the lowest-seq prefix-list
 * entry that fits: the same first-match answer as plist_eval, for all
 * clauses at once. Scratch arrays live in the map (evaluation is
 * single-threaded and a map never calls itself). */
struct ct_item {
	uint32_t ent;  /* index of the route-map entry */
	uint32_t pidx; /* index of the prefix-list entry (ascending = seq order) */
	uint8_t lo, hi;
	bool permit;
};
struct ct_node {
	struct ct_node *child[2];
	struct ct_item *it;
	uint32_t nit;
};
struct rm_ct {
	struct ct_node *root[2]; /* af_index */
	size_t n;                /* route-map entries */
	uint8_t *cov;            /* per entry: bit af_index set = its clause of that family is here */
	uint32_t *best;          /* per entry: best prefix-list entry so far (UINT32_MAX: none) */
	uint8_t *res;            /* per entry: that entry permits */
	/* entries whose only clauses are compiled prefix-list ones ("simple"):
	 * after the walk, hit[] has the bit of each simple entry that matches
	 * the route, so the evaluation skips the others without looking */
	size_t nw;               /* 64-bit words per bitmap */
	uint64_t *simple, *hit;
	/* the entries the last walk gave a verdict (their best[] is reset by
	 * the next walk: nothing costs per entry of the map) */
	uint32_t *touched;
	size_t ntouched;
};

static bool bit_get(const uint64_t *v, size_t i)
{
	return (v[i / 64] >> (i % 64)) & 1;
}

static void ct_node_free(struct ct_node *n)
{
	if (n == NULL)
		return;
	ct_node_free(n->child[0]);
	ct_node_free(n->child[1]);
	free(n->it);
	free(n);
}

static void ct_free(struct rm_ct *ct)
{
	if (ct == NULL)
		return;
	ct_node_free(ct->root[0]);
	ct_node_free(ct->root[1]);
	free(ct->cov);
	free(ct->best);
	free(ct->res);
	free(ct->simple);
	free(ct->hit);
	free(ct->touched);
	free(ct);
}

static struct rm_ct *ct_build(struct route_map *m)
{
	struct rm_ct *ct = NULL;
	size_t i, j;
	int f;

	for (i = 0; i < m->n; i++)
		for (f = 0; f < 2; f++) {
			int k = f == 0 ? RM_MATCH_IP_PL : RM_MATCH_IPV6_PL;
			const struct plist *pl;

			if (m->e[i]->match[k] == NULL || (pl = entry_obj(m->e[i], k)) == NULL)
				continue;
			if (ct == NULL) {
				ct = xcalloc(1, sizeof(*ct));
				ct->n = m->n;
				ct->cov = xcalloc(m->n, sizeof(*ct->cov));
				ct->best = xcalloc(m->n, sizeof(*ct->best));
				ct->res = xcalloc(m->n, sizeof(*ct->res));
			}
			ct->cov[i] |= (uint8_t)(1u << f);
			if (ct->root[f] == NULL)
				ct->root[f] = xcalloc(1, sizeof(*ct->root[f]));
			for (j = 0; j < pl->n; j++) {
				const struct plist_entry *pe = &pl->e[j];
				struct ct_node *n = ct->root[f];
				unsigned d;

				for (d = 0; d < pe->p.len; d++) {
					int b = prefix_bit(&pe->p, d);

					if (n->child[b] == NULL)
						n->child[b] = xcalloc(1, sizeof(*n));
					n = n->child[b];
				}
				n->it = xrealloc(n->it, (n->nit + 1) * sizeof(*n->it));
				n->it[n->nit++] = (struct ct_item){ (uint32_t)i, (uint32_t)j, pe->lo,
								    pe->hi, pe->permit };
			}
		}
	if (ct == NULL)
		return NULL;
	ct->touched = xcalloc(m->n, sizeof(*ct->touched));
	for (i = 0; i < m->n; i++)
		ct->best[i] = UINT32_MAX;
	ct->nw = (m->n + 63) / 64;
	ct->simple = xcalloc(ct->nw, sizeof(*ct->simple));
	ct->hit = xcalloc(ct->nw, sizeof(*ct->hit));
	for (i = 0; i < m->n; i++) {
		const struct rm_entry *e = m->e[i];
		int k, other = 0;

		for (k = 0; k < RM_MATCH_MAX; k++)
			if (e->match[k] != NULL && k != RM_MATCH_IP_PL && k != RM_MATCH_IPV6_PL)
				other++;
		if (other == 0 && ct->cov[i] != 0 &&
		    (e->match[RM_MATCH_IP_PL] == NULL || (ct->cov[i] & 1)) &&
		    (e->match[RM_MATCH_IPV6_PL] == NULL || (ct->cov[i] & 2)))
			ct->simple[i / 64] |= 1ull << (i % 64);
	}
	return ct;
}

/* One walk for pfx: every covered entry's prefix-list verdict. */
static void ct_eval(struct rm_ct *ct, const struct prefix *pfx)
{
	int f = af_index(pfx->af);
	const struct ct_node *n = ct->root[f];
	unsigned d = 0;
	size_t i;
	uint32_t k;

	for (i = 0; i < ct->ntouched; i++)
		ct->best[ct->touched[i]] = UINT32_MAX;
	ct->ntouched = 0;
	while (n != NULL) {
		for (k = 0; k < n->nit; k++) {
			const struct ct_item *it = &n->it[k];

			if (it->pidx < ct->best[it->ent] && pfx->len >= it->lo && pfx->len <= it->hi) {
				if (ct->best[it->ent] == UINT32_MAX)
					ct->touched[ct->ntouched++] = it->ent;
				ct->best[it->ent] = it->pidx;
				ct->res[it->ent] = it->permit;
			}
		}
		if (d >= pfx->len)
			break;
		n = n->child[prefix_bit(pfx, d)];
		d++;
	}
	/* a simple entry matches when the clause of the route's family is its
	 * only clause and permits (a clause of the other family never matches) */
	memset(ct->hit, 0, ct->nw * sizeof(*ct->hit));
	for (k = 0; k < ct->ntouched; k++) {
		i = ct->touched[k];
		if (bit_get(ct->simple, i) && ct->cov[i] == (1u << f) && ct->res[i])
			ct->hit[i / 64] |= 1ull << (i % 64);
	}
}

/* The next entry from i on that can match: a simple entry that hit or an
 * entry that is not simple (evaluated clause by clause). */
static size_t ct_next(const struct rm_ct *ct, size_t i)
{
	while (i < ct->n) {
		size_t w = i / 64;
		uint64_t cand = (ct->hit[w] | ~ct->simple[w]) >> (i % 64);

		if (cand != 0)
			return i + (size_t)__builtin_ctzll(cand);
		i = (w + 1) * 64;
	}
	return ct->n;
}

/* Per evaluation of one map: the compiled trie, walked at most once. */
struct rm_run {
	struct route_map *m;
	size_t idx;   /* entry being matched */
	bool walked;
};

/* One clause: 1 match, 0 no match, -1 the list does not exist. */
static int match_clause(struct rm_entry *e, int k, const struct policy_route *r,
			struct rm_run *run)
{
	const char *name = e->match[k];
	const struct bgp_attr *a = r->attr;
	const void *obj = NULL;
	struct prefix nh;

	switch (k) {
	case RM_MATCH_IP_PL:
	case RM_MATCH_IPV6_PL: {
		int f = k == RM_MATCH_IP_PL ? 0 : 1;
		struct rm_ct *ct = run != NULL ? run->m->ct : NULL;

		if (ct != NULL && run->idx < ct->n && (ct->cov[run->idx] & (1u << f))) {
			/* compiled: the list exists */
			if (r->pfx == NULL || r->pfx->af != (f == 0 ? AF_INET : AF_INET6))
				return 0;
			if (!run->walked) {
				ct_eval(ct, r->pfx);
				run->walked = true;
			}
			return ct->best[run->idx] != UINT32_MAX && ct->res[run->idx];
		}
		obj = entry_obj(e, k);
		if (obj == NULL)
			return -1;
		if (r->pfx == NULL || r->pfx->af != (f == 0 ? AF_INET : AF_INET6))
			return 0;
		return plist_eval(obj, r->pfx) == POLICY_PERMIT;
	}
	case RM_MATCH_NH_PL:
		if ((obj = entry_obj(e, k)) == NULL)
			return -1;
		if (a == NULL || a->nexthop.af != AF_INET)
			return 0;
		nh = prefix_host(&a->nexthop);
		return plist_eval(obj, &nh) == POLICY_PERMIT;
	case RM_MATCH_COMM:
	case RM_MATCH_LCOMM:
	case RM_MATCH_ECOMM:
		if ((obj = entry_obj(e, k)) == NULL)
			return -1;
		return a != NULL &&
		       clist_eval(obj, a, k == RM_MATCH_COMM && e->comm_exact) == POLICY_PERMIT;
	case RM_MATCH_ASPATH:
		if ((obj = entry_obj(e, k)) == NULL)
			return -1;
		return a != NULL && aslist_eval(obj, a) == POLICY_PERMIT;
	case RM_MATCH_SRC_VRF:
		return r->source_vrf != NULL && strcmp(r->source_vrf, name) == 0;
	case RM_MATCH_METRIC: /* FRR: a route without MED has metric 0 */
		return a != NULL && strtoul(name, NULL, 10) ==
					    ((a->present & BGP_ATTR_BIT(BGP_ATTR_MED)) ? a->med : 0);
	case RM_MATCH_LPREF: /* FRR compares the attribute (absent: no match) */
		return a != NULL && (a->present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF)) &&
		       strtoul(name, NULL, 10) == a->local_pref;
	default:
		return 0;
	}
}

/* All clauses match (none = match); detail names the first that fails. */
/* A dry run (policy_route_map_apply_interned): nothing applied, nothing
 * counted; records what the real run would do. ok stays true while the
 * result is "the input attributes with the set clauses of ent[] applied in
 * order": it turns false when an attribute is matched after a set clause
 * would have changed attributes (the match would see the changed ones), or
 * when more entries or maps are taken than recorded. */
#define DRY_MAX 8
struct dry {
	bool ok;
	bool sets_seen;
	struct rm_entry *ent[DRY_MAX]; /* permit entries matched, in order */
	uint8_t nent;
	struct route_map *maps[DRY_MAX]; /* maps run */
	uint8_t nmaps;
	struct rm_entry *deny; /* the deny entry matched */
};

static bool match_on_attr(int k)
{
	return k == RM_MATCH_NH_PL || k == RM_MATCH_COMM || k == RM_MATCH_LCOMM ||
	       k == RM_MATCH_ECOMM || k == RM_MATCH_ASPATH || k == RM_MATCH_METRIC ||
	       k == RM_MATCH_LPREF;
}

static bool entry_match(struct rm_entry *e, const struct policy_route *r, struct rm_run *run,
			struct dry *dry, char *detail, size_t dlen)
{
	int k, m;

	for (k = 0; k < RM_MATCH_MAX; k++) {
		if (e->match[k] == NULL)
			continue;
		if (dry != NULL && dry->sets_seen && match_on_attr(k)) {
			dry->ok = false;
			return false;
		}
		m = match_clause(e, k, r, run);
		if (m == 1)
			continue;
		if (detail != NULL)
			snprintf(detail, dlen, "match %s %s: %s", match_names[k], e->match[k],
				 m < 0 ? "not defined" : "no match");
		return false;
	}
	if (detail != NULL)
		snprintf(detail, dlen, "matched");
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* FRR keeps communities sorted and unique. */
static void comm_sort_uniq(struct bgp_attr *a)
{
	uint16_t i, k = 0;

	qsort(a->communities, a->ncommunities, sizeof(uint32_t), cmp_u32);
	for (i = 0; i < a->ncommunities; i++)
		if (k == 0 || a->communities[k - 1] != a->communities[i])
			a->communities[k++] = a->communities[i];
	a->ncommunities = k;
}

static void comm_none(struct bgp_attr *a)
{
	free(a->communities);
	a->communities = NULL;
	a->ncommunities = 0;
	a->present &= ~BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
}

static void set_community(const struct rm_entry *e, struct bgp_attr *a)
{
	size_t n;

	if (e->ncomm == 0) {
		comm_none(a);
		return;
	}
	if (!e->comm_additive) {
		free(a->communities);
		a->communities = NULL;
		a->ncommunities = 0;
	}
	n = (size_t)a->ncommunities + e->ncomm;
	if (n > 0xffff)
		return;
	a->communities = xrealloc(a->communities, n * sizeof(uint32_t));
	memcpy(a->communities + a->ncommunities, e->comm, e->ncomm * sizeof(uint32_t));
	a->ncommunities = (uint16_t)n;
	comm_sort_uniq(a);
	a->present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
}

/* FRR's comm-list delete: a value goes when the first entry that covers it
 * (standard: lists it; expanded: the regex matches the value alone) is a
 * permit. */
static void set_comm_delete(const char *name, struct bgp_attr *a)
{
	const struct clist *cl = policy_obj_lookup(POBJ_CLIST_COMM, name);
	uint16_t i, k = 0;
	size_t j, v;

	if (cl == NULL || a->ncommunities == 0)
		return;
	for (i = 0; i < a->ncommunities; i++) {
		uint32_t c = a->communities[i];
		bool del = false;

		for (j = 0; j < cl->n; j++) {
			const struct clist_entry *ce = &cl->e[j];
			bool m = false;

			if (cl->expanded) {
				char vb[64];

				m = regexec(ce->re, policy_comm_str(c, vb, sizeof(vb)), 0, NULL,
					    0) == 0;
			} else {
				for (v = 0; v < ce->nval && !m; v++)
					m = ce->comm[v] == c;
			}
			if (m) {
				del = ce->permit;
				break;
			}
		}
		if (!del)
			a->communities[k++] = c;
	}
	a->ncommunities = k;
	if (k == 0)
		comm_none(a);
}

static void ecomm_add(struct bgp_attr *a, const struct ecomm *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ecomm_has(a->ecomms, a->necomms, &v[i]) || a->necomms == 0xffff)
			continue;
		a->ecomms = xrealloc(a->ecomms, ((size_t)a->necomms + 1) * sizeof(*a->ecomms));
		a->ecomms[a->necomms++] = v[i];
		a->present |= BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES);
	}
}

static void apply_sets(const struct rm_entry *e, struct policy_route *r)
{
	struct bgp_attr *a = r->attr;
	int i;

	if (e->sets == 0)
		return;
	if (e->sets & RM_SET_WEIGHT && r->weight != NULL)
		*r->weight = e->weight;
	if (e->sets & RM_SET_NH && e->nh_mode == RM_NH_UNCHANGED)
		r->nexthop_unchanged = true;
	if (a == NULL)
		return;
	if (e->sets & RM_SET_LPREF) {
		a->local_pref = e->lpref;
		a->present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	}
	if (e->sets & RM_SET_METRIC) {
		uint32_t old = (a->present & BGP_ATTR_BIT(BGP_ATTR_MED)) ? a->med : 0;

		if (e->metric_op == '+')
			a->med = old > UINT32_MAX - e->metric ? UINT32_MAX : old + e->metric;
		else if (e->metric_op == '-')
			a->med = old < e->metric ? 0 : old - e->metric;
		else
			a->med = e->metric;
		a->present |= BGP_ATTR_BIT(BGP_ATTR_MED);
	}
	if (e->sets & RM_SET_ORIGIN)
		a->origin = e->origin;
	if (e->sets & RM_SET_COMM)
		set_community(e, a);
	if (e->sets & RM_SET_COMM_DELETE)
		set_comm_delete(e->comm_delete, a);
	if (e->sets & RM_SET_RT)
		ecomm_add(a, e->rt, e->nrt);
	if (e->sets & RM_SET_SOO)
		ecomm_add(a, &e->soo, 1);
	if (e->sets & RM_SET_PREPEND)
		for (i = (int)e->nprepend - 1; i >= 0; i--)
			bgp_aspath_prepend(a, e->prepend[i]);
	if (e->sets & RM_SET_NH) {
		if (e->nh_mode == RM_NH_ADDR)
			a->nexthop = e->nh;
		else if (e->nh_mode == RM_NH_PEER && r->peer_addr != NULL)
			a->nexthop = *r->peer_addr;
	}
}

static struct policy_trace_step *trace_step(struct policy_trace *t, const char *map,
					    uint32_t seq, bool permit, bool matched)
{
	struct policy_trace_step *s;

	if (t == NULL || t->n >= POLICY_TRACE_MAX)
		return NULL;
	s = &t->step[t->n++];
	snprintf(s->map, sizeof(s->map), "%s", map);
	s->seq = seq;
	s->permit = permit;
	s->matched = matched;
	s->detail[0] = '\0';
	return s;
}

static enum policy_result rmap_run(const char *name, struct policy_route *r,
				   struct policy_trace *t, int depth, struct dry *dry)
{
	struct route_map *m = policy_obj_lookup(POBJ_RMAP, name);
	const struct rm_entry *last = NULL;
	struct policy_trace_step *s;
	struct rm_run run = { m, 0, false };
	char detail[200];
	size_t i = 0;
	bool skip;

	if (m == NULL) {
		if ((s = trace_step(t, name, 0, false, false)) != NULL)
			snprintf(s->detail, sizeof(s->detail), "route-map %s is not defined", name);
		if (t != NULL)
			snprintf(t->reason, sizeof(t->reason), "denied: route-map %s is not defined",
				 name);
		return POLICY_DENY;
	}
	if (m->ct_gen != pgen) {
		ct_free(m->ct);
		m->ct = ct_build(m);
		m->ct_gen = pgen;
	}
	if (dry == NULL)
		m->invoked++;
	else if (dry->nmaps < DRY_MAX)
		dry->maps[dry->nmaps++] = m;
	else
		dry->ok = false;
	/* without a trace, the compiled prefix-list clauses decide the simple
	 * entries up front and the loop only visits those that can match */
	skip = t == NULL && m->ct != NULL && r->pfx != NULL &&
	       (r->pfx->af == AF_INET || r->pfx->af == AF_INET6);
	if (skip) {
		ct_eval(m->ct, r->pfx);
		run.walked = true;
	}
	while (i < m->n && (dry == NULL || dry->ok)) {
		struct rm_entry *e;
		bool matched;

		if (skip && (i = ct_next(m->ct, i)) >= m->n)
			break;
		e = m->e[i];
		run.idx = i;
		if (skip && bit_get(m->ct->simple, i))
			matched = true; /* ct_next stops only at simple entries that hit */
		else
			matched = entry_match(e, r, &run, dry, t ? detail : NULL, sizeof(detail));
		if (dry != NULL && !dry->ok)
			break;
		s = trace_step(t, m->name, e->seq, e->permit, matched);
		if (s != NULL)
			snprintf(s->detail, sizeof(s->detail), "%s", detail);
		if (!matched) {
			i++;
			continue;
		}
		if (dry == NULL)
			e->invoked++;
		if (!e->permit) {
			if (dry != NULL)
				dry->deny = e;
			if (t != NULL)
				snprintf(t->reason, sizeof(t->reason),
					 "denied by route-map %s seq %u", m->name, e->seq);
			return POLICY_DENY;
		}
		if (dry == NULL) {
			apply_sets(e, r);
		} else if (dry->nent < DRY_MAX) {
			dry->ent[dry->nent++] = e;
			dry->sets_seen |= e->sets != 0;
		} else {
			dry->ok = false;
			break;
		}
		if (s != NULL && e->sets != 0)
			snprintf(s->detail, sizeof(s->detail), "matched, set clauses applied");
		if (e->call != NULL && policy_obj_lookup(POBJ_RMAP, e->call) != NULL) {
			if (depth + 1 >= POLICY_CALL_DEPTH) {
				if (t != NULL)
					snprintf(t->reason, sizeof(t->reason),
						 "denied: route-map call depth over %d at %s seq %u",
						 POLICY_CALL_DEPTH, m->name, e->seq);
				return POLICY_DENY;
			}
			if (rmap_run(e->call, r, t, depth + 1, dry) == POLICY_DENY)
				return POLICY_DENY; /* the callee's reason stays */
			if (dry != NULL && !dry->ok)
				break;
		}
		last = e;
		if (e->exit == RM_EXIT)
			break;
		i++;
		if (e->exit == RM_GOTO)
			while (i < m->n && m->e[i]->seq < e->goto_seq)
				i++;
	}
	if (last != NULL) {
		if (t != NULL)
			snprintf(t->reason, sizeof(t->reason), "permitted by route-map %s seq %u",
				 m->name, last->seq);
		return POLICY_PERMIT;
	}
	if ((s = trace_step(t, m->name, 0, false, false)) != NULL)
		snprintf(s->detail, sizeof(s->detail), "implicit deny");
	if (t != NULL)
		snprintf(t->reason, sizeof(t->reason), "denied: no entry of route-map %s matched",
			 m->name);
	return POLICY_DENY;
}

bool policy_route_map_exists(const char *name)
{
	return policy_obj_lookup(POBJ_RMAP, name) != NULL;
}

enum policy_result policy_route_map_apply(const char *name, struct policy_route *r,
					  struct policy_trace *trace)
{
	enum policy_result res;

	if (trace != NULL) {
		trace->n = 0;
		trace->reason[0] = '\0';
	}
	if (name == NULL || name[0] == '\0') {
		if (trace != NULL) {
			trace->result = POLICY_PERMIT;
			snprintf(trace->reason, sizeof(trace->reason), "permitted: no route-map");
		}
		return POLICY_PERMIT;
	}
	res = rmap_run(name, r, trace, 0, NULL);
	if (trace != NULL)
		trace->result = res;
	return res;
}

/* ------------------------------------------------------------ interned, memoized */

/* One memo slot: (input attributes, peer address, entries taken) -> result.
 * Holds a reference on in and out; a slot of an older generation is a miss. */
#define MEMO_SLOTS 1024
struct memo {
	uint64_t gen;
	const struct bgp_attr *in, *out;
	struct ipaddr peer;
	struct rm_entry *ent[DRY_MAX];
	uint8_t nent;
	uint32_t weight;
	bool nh_unchanged;
	uint64_t used; /* memo_clock at the last hit */
};
static struct memo *memo;
static uint64_t memo_clock;

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

static void memo_clear(struct memo *m)
{
	if (m->in != NULL)
		bgp_attr_unref(m->in);
	if (m->out != NULL)
		bgp_attr_unref(m->out);
	memset(m, 0, sizeof(*m));
}

enum policy_result policy_route_map_apply_interned(const char *name, const struct prefix *pfx,
						   const struct bgp_attr *in,
						   const struct ipaddr *peer_addr,
						   const char *source_vrf,
						   const struct bgp_attr **out, uint32_t *weight,
						   bool *nh_unchanged)
{
	struct ipaddr peer = peer_addr != NULL ? *peer_addr : (struct ipaddr){ 0 };
	struct dry dry;
	struct policy_route r;
	struct bgp_attr t;
	struct memo *slot;
	enum policy_result res;
	uint64_t h;
	uint32_t w = 0;
	int i;

	*out = NULL;
	*weight = 0;
	*nh_unchanged = false;
	if (name == NULL || name[0] == '\0') {
		bgp_attr_ref(in);
		*out = in;
		return POLICY_PERMIT;
	}
	memset(&r, 0, sizeof(r));
	r.pfx = pfx;
	r.attr = (struct bgp_attr *)(uintptr_t)in; /* a dry run only reads it */
	r.peer_addr = peer_addr;
	r.source_vrf = source_vrf;
	memset(&dry, 0, sizeof(dry));
	dry.ok = true;
	res = rmap_run(name, &r, NULL, 0, &dry);
	if (dry.ok) {
		/* what the real run would have counted */
		for (i = 0; i < dry.nmaps; i++)
			dry.maps[i]->invoked++;
		for (i = 0; i < dry.nent; i++)
			dry.ent[i]->invoked++;
		if (dry.deny != NULL)
			dry.deny->invoked++;
		if (res == POLICY_DENY)
			return POLICY_DENY;
		h = mix((uint64_t)(uintptr_t)in, peer.af == AF_INET ? peer.v4 : peer.v6[15]);
		for (i = 0; i < dry.nent; i++)
			h = mix(h, (uint64_t)(uintptr_t)dry.ent[i]);
		h *= 0x9e3779b97f4a7c15ull;
		if (memo == NULL)
			memo = xcalloc(MEMO_SLOTS, sizeof(*memo));
		/* two ways: the slot and its neighbour; a miss replaces the older */
		slot = &memo[(h >> 40) % MEMO_SLOTS & ~(uint64_t)1];
		for (i = 0; i < 2; i++) {
			struct memo *m = &slot[i];

			if (m->gen == pgen && m->in == in && m->nent == dry.nent &&
			    ipaddr_equal(&m->peer, &peer) &&
			    memcmp(m->ent, dry.ent, sizeof(dry.ent[0]) * dry.nent) == 0) {
				bgp_attr_ref(m->out);
				*out = m->out;
				*weight = m->weight;
				*nh_unchanged = m->nh_unchanged;
				m->used = ++memo_clock;
				return POLICY_PERMIT;
			}
		}
		slot = slot[0].used <= slot[1].used ? &slot[0] : &slot[1];
		/* replay the set clauses of the entries taken */
		bgp_attr_init(&t);
		bgp_attr_copy(&t, in);
		r.attr = &t;
		r.weight = &w;
		for (i = 0; i < dry.nent; i++)
			apply_sets(dry.ent[i], &r);
		*out = bgp_attr_intern(&t);
		bgp_attr_clear(&t);
		*weight = w;
		*nh_unchanged = r.nexthop_unchanged;
		memo_clear(slot);
		slot->gen = pgen;
		slot->in = in;
		bgp_attr_ref(in);
		slot->out = *out;
		bgp_attr_ref(*out);
		slot->peer = peer;
		slot->nent = dry.nent;
		memcpy(slot->ent, dry.ent, sizeof(dry.ent[0]) * dry.nent);
		slot->weight = w;
		slot->nh_unchanged = r.nexthop_unchanged;
		slot->used = ++memo_clock;
		return POLICY_PERMIT;
	}
	/* a set clause feeds a later match: the real run, on a copy */
	bgp_attr_init(&t);
	bgp_attr_copy(&t, in);
	r.attr = &t;
	r.weight = &w;
	r.nexthop_unchanged = false;
	res = rmap_run(name, &r, NULL, 0, NULL);
	if (res == POLICY_PERMIT) {
		*out = bgp_attr_intern(&t);
		*weight = w;
		*nh_unchanged = r.nexthop_unchanged;
	}
	bgp_attr_clear(&t);
	return res;
}

/* ------------------------------------------------------------ teardown */

void policy_fini(void)
{
	int k;
	size_t i;

	if (memo != NULL) {
		for (i = 0; i < MEMO_SLOTS; i++)
			memo_clear(&memo[i]);
		free(memo);
		memo = NULL;
	}
	for (k = 0; k < POBJ_MAX; k++) {
		for (i = 0; i < NTAB_SIZE; i++) {
			struct nent *n = tabs[k].b[i], *next;

			for (; n != NULL; n = next) {
				next = n->next;
				switch ((enum policy_obj)k) {
				case POBJ_PLIST4:
				case POBJ_PLIST6:
					plist_free(n->obj);
					break;
				case POBJ_CLIST_COMM:
				case POBJ_CLIST_LCOMM:
				case POBJ_CLIST_ECOMM:
					clist_free(n->obj);
					break;
				case POBJ_ASLIST:
					aslist_free(n->obj);
					break;
				case POBJ_RMAP:
					rmap_free(n->obj);
					break;
				case POBJ_MAX:
					break;
				}
				free(n);
			}
		}
	}
	memset(tabs, 0, sizeof(tabs));
	if (ev_change != NULL)
		event_free(ev_change);
	ev_change = NULL;
	ev_base = NULL;
	change_fn = NULL;
}
