/* Label manager: a bitmap of the whole 20-bit space (128 KiB) for
 * allocation, and an open-addressing table of the labels in use with their
 * client, owner and reference count. Dynamic allocation walks the bitmap
 * from a rotating cursor so a released label is not reused at once (a label
 * a neighbour may still be sending on should rest a while). */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "pe/label.h"
#include "vrf/vrf.h"

#define LABEL_SPACE (MPLS_LABEL_MAX + 1)

struct label_ent {
	mpls_label_t label; /* MPLS_LABEL_NONE: empty slot */
	uint8_t client;
	uint32_t refcnt;
	struct label_owner owner;
};

static uint64_t *bitmap;
static struct label_ent *tab;
static size_t tab_cap, tab_used;
static size_t per_client[LABEL_CLIENT_MAX];
static mpls_label_t dyn_lo = LABEL_DYN_DEFAULT_LO, dyn_hi = LABEL_DYN_DEFAULT_HI, cursor;

static const char *client_names[LABEL_CLIENT_MAX] = { "static", "bgp", "ldp" };

const char *label_client_name(enum label_client c)
{
	return c < LABEL_CLIENT_MAX ? client_names[c] : "?";
}

/* Owners name their VRF by id; the audit shows its name. A VRF outlives its
 * labels (its BGP instance holds them), so "#id" is only a safety net. */
static const char *vrf_str(uint32_t id, char *buf, size_t len)
{
	const struct vrf *vrf = vrf_lookup_id(id);

	if (vrf != NULL)
		return vrf->name;
	snprintf(buf, len, "#%u", id);
	return buf;
}

const char *label_owner_str(const struct label_owner *o, char *buf, size_t len)
{
	char v[16], a[PREFIX_STRLEN];

	switch (o->kind) {
	case LABEL_OWN_LDP:
		snprintf(buf, len, "ldp %s", prefix_ntop(&o->prefix, a, sizeof(a)));
		break;
	case LABEL_OWN_VRF:
		snprintf(buf, len, "vrf %s", vrf_str(o->vrf_id, v, sizeof(v)));
		break;
	case LABEL_OWN_VRF_NEXTHOP:
		snprintf(buf, len, "vrf %s nexthop %s", vrf_str(o->vrf_id, v, sizeof(v)),
			 ipaddr_ntop(&o->nexthop, a, sizeof(a)));
		break;
	case LABEL_OWN_VRF_PREFIX:
		snprintf(buf, len, "vrf %s prefix %s", vrf_str(o->vrf_id, v, sizeof(v)),
			 prefix_ntop(&o->prefix, a, sizeof(a)));
		break;
	default:
		snprintf(buf, len, "%s", "");
		break;
	}
	return buf;
}

/* Same owner: the fields its kind uses are equal. */
static bool owner_equal(const struct label_owner *x, const struct label_owner *y)
{
	if (x->kind != y->kind)
		return false;
	switch (x->kind) {
	case LABEL_OWN_LDP:
		return prefix_equal(&x->prefix, &y->prefix);
	case LABEL_OWN_VRF:
		return x->vrf_id == y->vrf_id;
	case LABEL_OWN_VRF_NEXTHOP:
		return x->vrf_id == y->vrf_id && ipaddr_equal(&x->nexthop, &y->nexthop);
	case LABEL_OWN_VRF_PREFIX:
		return x->vrf_id == y->vrf_id && prefix_equal(&x->prefix, &y->prefix);
	default:
		return true;
	}
}

static inline bool bit_get(mpls_label_t l)
{
	return (bitmap[l >> 6] >> (l & 63)) & 1;
}

static inline void bit_set(mpls_label_t l, bool v)
{
	if (v)
		bitmap[l >> 6] |= 1ull << (l & 63);
	else
		bitmap[l >> 6] &= ~(1ull << (l & 63));
}

static size_t slot_of(mpls_label_t l, size_t cap)
{
	return (size_t)(l * 2654435761u) & (cap - 1);
}

static struct label_ent *ent_find(mpls_label_t l)
{
	size_t i;

	if (tab_cap == 0)
		return NULL;
	for (i = slot_of(l, tab_cap);; i = (i + 1) & (tab_cap - 1)) {
		if (tab[i].label == l)
			return &tab[i];
		if (tab[i].label == MPLS_LABEL_NONE)
			return NULL;
	}
}

static void tab_insert_raw(struct label_ent *t, size_t cap, const struct label_ent *e)
{
	size_t i;

	for (i = slot_of(e->label, cap); t[i].label != MPLS_LABEL_NONE; i = (i + 1) & (cap - 1))
		;
	t[i] = *e;
}

static void tab_grow(void)
{
	size_t ncap = tab_cap ? tab_cap * 2 : 256, i;
	struct label_ent *nt = xcalloc(ncap, sizeof(*nt));

	for (i = 0; i < ncap; i++)
		nt[i].label = MPLS_LABEL_NONE;
	for (i = 0; i < tab_cap; i++)
		if (tab[i].label != MPLS_LABEL_NONE)
			tab_insert_raw(nt, ncap, &tab[i]);
	free(tab);
	tab = nt;
	tab_cap = ncap;
}

static void ent_add(enum label_client c, mpls_label_t l, const struct label_owner *own)
{
	struct label_ent e;

	if ((tab_used + 1) * 2 > tab_cap)
		tab_grow();
	memset(&e, 0, sizeof(e));
	e.label = l;
	e.client = (uint8_t)c;
	e.refcnt = 1;
	e.owner = *own;
	tab_insert_raw(tab, tab_cap, &e);
	tab_used++;
	per_client[c]++;
	bit_set(l, true);
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
static void ent_del(struct label_ent *e)
{
	size_t i = (size_t)(e - tab), j = i;

	per_client[e->client]--;
	bit_set(e->label, false);
	tab[i].label = MPLS_LABEL_NONE;
	tab_used--;
	for (;;) {
		size_t home;

		j = (j + 1) & (tab_cap - 1);
		if (tab[j].label == MPLS_LABEL_NONE)
			return;
		home = slot_of(tab[j].label, tab_cap);
		/* can tab[j] move to the hole at i? (home not in (i, j]) */
		if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
			tab[i] = tab[j];
			tab[j].label = MPLS_LABEL_NONE;
			i = j;
		}
	}
}

void label_mgr_init(void)
{
	bitmap = xcalloc(LABEL_SPACE / 64, sizeof(*bitmap));
	tab = NULL;
	tab_cap = tab_used = 0;
	memset(per_client, 0, sizeof(per_client));
	dyn_lo = LABEL_DYN_DEFAULT_LO;
	dyn_hi = LABEL_DYN_DEFAULT_HI;
	cursor = dyn_lo;
}

void label_mgr_fini(void)
{
	label_restore_done();
	free(bitmap);
	free(tab);
	bitmap = NULL;
	tab = NULL;
	tab_cap = tab_used = 0;
}

/* As FRR's label manager: a new block applies to new allocations only.
 * Labels already handed out (BGP, LDP) stay as they are, wherever they lie,
 * until their owner releases them; they are never renumbered behind the
 * protocols' back (neighbours hold them). */
int label_set_dynamic_block(mpls_label_t lo, mpls_label_t hi, char *err, size_t errlen)
{
	size_t i, outside = 0;

	if (lo < MPLS_LABEL_FIRST_UNRESERVED || hi > MPLS_LABEL_MAX || lo > hi) {
		snprintf(err, errlen, "the dynamic block must lie within %u..%u with start <= end",
			 MPLS_LABEL_FIRST_UNRESERVED, MPLS_LABEL_MAX);
		return -1;
	}
	for (i = 0; i < tab_cap; i++) {
		mpls_label_t l = tab[i].label;

		if (l != MPLS_LABEL_NONE && tab[i].client != LABEL_CLIENT_STATIC &&
		    (l < lo || l > hi))
			outside++;
	}
	if (outside > 0 && (lo != dyn_lo || hi != dyn_hi))
		log_info(
			"label manager: dynamic block %u-%u; %zu labels in use outside it are kept "
			"until released",
			lo, hi, outside);
	dyn_lo = lo;
	dyn_hi = hi;
	if (cursor < lo || cursor > hi)
		cursor = lo;
	return 0;
}

size_t label_count_outside_block(void)
{
	size_t i, n = 0;

	for (i = 0; i < tab_cap; i++)
		if (tab[i].label != MPLS_LABEL_NONE && tab[i].client != LABEL_CLIENT_STATIC &&
		    (tab[i].label < dyn_lo || tab[i].label > dyn_hi))
			n++;
	return n;
}

void label_get_dynamic_block(mpls_label_t *lo, mpls_label_t *hi)
{
	*lo = dyn_lo;
	*hi = dyn_hi;
}

/* First clear bit in [from, to], word at a time. */
static mpls_label_t find_free(mpls_label_t from, mpls_label_t to)
{
	mpls_label_t l = from;

	while (l <= to) {
		uint64_t w = ~bitmap[l >> 6] & (~0ull << (l & 63));

		if (w != 0) {
			mpls_label_t f = (l & ~63u) + (mpls_label_t)__builtin_ctzll(w);

			return f <= to ? f : MPLS_LABEL_NONE;
		}
		l = (l | 63u) + 1;
	}
	return MPLS_LABEL_NONE;
}

/* ---- hitless restart: the labels a previous ped held ----
 * (keys are the audit's owner strings, not struct label_owner: the VRF
 * must be matched by name, its id may differ in the new process) ----
 * Reserved labels have their bit set and no entry, so nobody else gets
 * them; their owner gets its own back from label_alloc. Keyed by client
 * and owner as a string (VRF by name: ids may differ after a restart). */
struct resv {
	char *key;          /* "CLIENT OWNER"; NULL: empty slot */
	mpls_label_t label;
	uint8_t client;
	bool claimed;
};
static struct resv *resv;
static size_t resv_cap, resv_n, resv_claimed;

static uint64_t key_hash(const char *k)
{
	uint64_t h = 1469598103934665603ull;

	for (; *k; k++)
		h = (h ^ (uint8_t)*k) * 1099511628211ull;
	return h;
}

static void resv_key(char *buf, size_t len, enum label_client c, const struct label_owner *own)
{
	char o[LABEL_OWNER_KEYLEN];

	snprintf(buf, len, "%s %s", label_client_name(c), label_owner_str(own, o, sizeof(o)));
}

static struct resv *resv_find(const char *key)
{
	size_t i;

	if (resv_n == 0)
		return NULL;
	for (i = key_hash(key) & (resv_cap - 1); resv[i].key != NULL; i = (i + 1) & (resv_cap - 1))
		if (strcmp(resv[i].key, key) == 0)
			return &resv[i];
	return NULL;
}

int label_restore_add(enum label_client c, mpls_label_t l, const char *owner)
{
	char key[LABEL_OWNER_KEYLEN + 16];
	size_t i;

	if (c >= LABEL_CLIENT_MAX || l < MPLS_LABEL_FIRST_UNRESERVED || l > MPLS_LABEL_MAX ||
	    bit_get(l))
		return -1;
	snprintf(key, sizeof(key), "%s %s", label_client_name(c), owner);
	if (resv_find(key) != NULL)
		return -1;
	if ((resv_n + 1) * 2 > resv_cap) {
		size_t ncap = resv_cap ? resv_cap * 2 : 256, j;
		struct resv *n = xcalloc(ncap, sizeof(*n));

		for (j = 0; j < resv_cap; j++) {
			if (resv[j].key == NULL)
				continue;
			for (i = key_hash(resv[j].key) & (ncap - 1); n[i].key != NULL;
			     i = (i + 1) & (ncap - 1))
				;
			n[i] = resv[j];
		}
		free(resv);
		resv = n;
		resv_cap = ncap;
	}
	for (i = key_hash(key) & (resv_cap - 1); resv[i].key != NULL; i = (i + 1) & (resv_cap - 1))
		;
	resv[i].key = xstrdup(key);
	resv[i].label = l;
	resv[i].client = (uint8_t)c;
	resv[i].claimed = false;
	resv_n++;
	bit_set(l, true);
	return 0;
}

size_t label_restore_pending(void)
{
	return resv_n - resv_claimed;
}

size_t label_restore_done(void)
{
	size_t i, freed = 0;

	for (i = 0; i < resv_cap; i++) {
		if (resv[i].key == NULL)
			continue;
		if (!resv[i].claimed && ent_find(resv[i].label) == NULL) {
			bit_set(resv[i].label, false);
			freed++;
		}
		free(resv[i].key);
	}
	free(resv);
	resv = NULL;
	resv_cap = resv_n = resv_claimed = 0;
	return freed;
}

void label_foreach(void (*fn)(void *arg, mpls_label_t l, enum label_client c, const char *owner),
		   void *arg)
{
	char o[LABEL_OWNER_KEYLEN];
	size_t i;

	for (i = 0; i < tab_cap; i++)
		if (tab[i].label != MPLS_LABEL_NONE)
			fn(arg, tab[i].label, (enum label_client)tab[i].client,
			   label_owner_str(&tab[i].owner, o, sizeof(o)));
	/* still reserved for an owner that has not come back: a restart
	 * before the last one completed keeps them for the next */
	for (i = 0; i < resv_cap; i++)
		if (resv[i].key != NULL && !resv[i].claimed)
			fn(arg, resv[i].label, (enum label_client)resv[i].client,
			   strchr(resv[i].key, ' ') + 1);
}

/* The label this owner had before the restart, if free. */
static mpls_label_t restored(enum label_client c, const struct label_owner *own)
{
	char key[LABEL_OWNER_KEYLEN + 16];
	struct resv *r;

	if (resv_n == resv_claimed)
		return MPLS_LABEL_NONE;
	resv_key(key, sizeof(key), c, own);
	if ((r = resv_find(key)) == NULL || r->claimed || ent_find(r->label) != NULL)
		return MPLS_LABEL_NONE;
	r->claimed = true;
	resv_claimed++;
	return r->label;
}

mpls_label_t label_alloc(enum label_client c, const struct label_owner *own)
{
	mpls_label_t l = restored(c, own);
	char o[96]; /* the log is not cut to the audit's width */

	if (l != MPLS_LABEL_NONE) {
		ent_add(c, l, own);
		return l;
	}
	l = find_free(cursor, dyn_hi);

	if (l == MPLS_LABEL_NONE && cursor > dyn_lo)
		l = find_free(dyn_lo, cursor - 1);
	if (l == MPLS_LABEL_NONE) {
		log_warnx("label manager: dynamic block %u-%u exhausted (%s, %s)", dyn_lo, dyn_hi,
			  label_client_name(c), label_owner_str(own, o, sizeof(o)));
		return MPLS_LABEL_NONE;
	}
	ent_add(c, l, own);
	cursor = l < dyn_hi ? l + 1 : dyn_lo;
	return l;
}

int label_alloc_specific(enum label_client c, mpls_label_t l, const struct label_owner *own,
			 char *err, size_t errlen)
{
	char o[LABEL_OWNER_STRLEN];
	struct label_ent *e;

	if (l < MPLS_LABEL_FIRST_UNRESERVED || l > MPLS_LABEL_MAX) {
		snprintf(err, errlen, "label %u is reserved or out of range (16-1048575)", l);
		return -1;
	}
	if ((e = ent_find(l)) != NULL) {
		if (e->client == c && owner_equal(&e->owner, own)) {
			e->refcnt++;
			return 0;
		}
		snprintf(err, errlen, "label %u is in use by %s (%s)", l,
			 label_client_name(e->client), label_owner_str(&e->owner, o, sizeof(o)));
		return -1;
	}
	ent_add(c, l, own);
	return 0;
}

int label_release(enum label_client c, mpls_label_t l)
{
	struct label_ent *e = ent_find(l);

	if (e == NULL || e->client != c)
		return -1;
	if (--e->refcnt == 0)
		ent_del(e);
	return 0;
}

bool label_in_use(mpls_label_t l, enum label_client *c)
{
	struct label_ent *e = l <= MPLS_LABEL_MAX ? ent_find(l) : NULL;

	if (e != NULL && c != NULL)
		*c = e->client;
	return e != NULL;
}

size_t label_count(enum label_client c)
{
	return c < LABEL_CLIENT_MAX ? per_client[c] : 0;
}

/* ---- shell ---- */

static int cmp_ent(const void *a, const void *b)
{
	const struct label_ent *x = *(const struct label_ent *const *)a;
	const struct label_ent *y = *(const struct label_ent *const *)b;

	return x->label < y->label ? -1 : x->label > y->label;
}

static int show_labels_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct label_ent **v = xcalloc(tab_used + 1, sizeof(*v));
	char owner[LABEL_OWNER_STRLEN];
	size_t i, n = 0;

	for (i = 0; i < tab_cap; i++)
		if (tab[i].label != MPLS_LABEL_NONE)
			v[n++] = &tab[i];
	qsort(v, n, sizeof(*v), cmp_ent);
	if (cmd_has(a, "json")) {
		json_object *top = json_object_new_object(), *blk = json_object_new_object();
		json_object *labels = json_object_new_object(), *cnt = json_object_new_object();
		char key[16];
		int c;

		json_object_object_add(top, "schemaVersion", json_object_new_int(1));
		json_object_object_add(blk, "start", json_object_new_int64(dyn_lo));
		json_object_object_add(blk, "end", json_object_new_int64(dyn_hi));
		json_object_object_add(blk, "inUseOutside",
				       json_object_new_int64((int64_t)label_count_outside_block()));
		json_object_object_add(top, "dynamicBlock", blk);
		for (c = 0; c < LABEL_CLIENT_MAX; c++)
			json_object_object_add(cnt, client_names[c],
					       json_object_new_int64((int64_t)per_client[c]));
		json_object_object_add(top, "counts", cnt);
		for (i = 0; i < n; i++) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "client",
					       json_object_new_string(label_client_name(v[i]->client)));
			label_owner_str(&v[i]->owner, owner, sizeof(owner));
			json_object_object_add(o, "purpose", json_object_new_string(owner));
			json_object_object_add(o, "references", json_object_new_int64(v[i]->refcnt));
			snprintf(key, sizeof(key), "%u", v[i]->label);
			json_object_object_add(labels, key, o);
		}
		json_object_object_add(top, "labels", labels);
		cli_json(cli, top);
	} else {
		cli_out(cli, "Dynamic block %u-%u, %zu labels in use", dyn_lo, dyn_hi, n);
		if ((i = label_count_outside_block()) > 0)
			cli_out(cli, " (%zu allocated outside the block, kept until released)", i);
		cli_out(cli, "\n");
		cli_out(cli, "%-8s %-7s %4s  %s\n", "Label", "Client", "Refs", "Purpose");
		for (i = 0; i < n; i++)
			cli_out(cli, "%-8u %-7s %4u  %s\n", v[i]->label,
				label_client_name(v[i]->client), v[i]->refcnt,
				label_owner_str(&v[i]->owner, owner, sizeof(owner)));
	}
	free(v);
	return CMD_SUCCESS;
}

static int dynamic_block_cmd(struct cli *cli, const struct cmd_args *a)
{
	char err[160];
	mpls_label_t lo = LABEL_DYN_DEFAULT_LO, hi = LABEL_DYN_DEFAULT_HI;

	if (!cmd_is_no(a)) {
		lo = (mpls_label_t)cmd_arg_u64(a, "start");
		hi = (mpls_label_t)cmd_arg_u64(a, "end");
	}
	if (label_set_dynamic_block(lo, hi, err, sizeof(err)) != 0) {
		cli_out(cli, "%% %s\n", err);
		return CMD_ERROR;
	}
	return CMD_SUCCESS;
}

void label_config_write(struct cli *cli)
{
	if (dyn_lo != LABEL_DYN_DEFAULT_LO || dyn_hi != LABEL_DYN_DEFAULT_HI)
		cli_out(cli, "mpls label dynamic-block %u %u\n!\n", dyn_lo, dyn_hi);
}

static const struct cmd_def view_cmds[] = {
	{ "show mpls label allocation [json]",
	  SHOW_STR "MPLS information\nLabel information\nLabels in use, by client\n" JSON_STR,
	  show_labels_cmd },
};

static const struct cmd_def config_cmds[] = {
	{ "mpls label dynamic-block (16-1048575)$start (16-1048575)$end",
	  "Global MPLS configuration subcommands\nLabel configuration\n"
	  "Dynamic label block used by BGP and LDP\nFirst label of the block\nLast label of the block\n",
	  dynamic_block_cmd },
	{ "no mpls label dynamic-block [(16-1048575) (16-1048575)]",
	  NO_STR "Global MPLS configuration subcommands\nLabel configuration\n"
		 "Dynamic label block used by BGP and LDP\nFirst label of the block\nLast label of the block\n",
	  dynamic_block_cmd },
};

void label_cli_init(void)
{
	cmd_install_table(NODE_VIEW, view_cmds, ARRAY_SIZE(view_cmds));
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
}
