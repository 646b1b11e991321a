/* Adj-RIB-Out and UPDATE generation (RFC 4271 3.2, 9.2, 9.1.3; RFC 4456 8
 * route reflection; RFC 4724 2 End-of-RIB; RFC 8277 labels).
 *
 * Per peer and family we remember what was advertised: prefix -> interned
 * outgoing attribute set + label stack, in a 40-byte pooled entry (~51
 * bytes per prefix per peer with the hash table). A best-path change (the RIB's
 * change hook) runs the export policy for every peer that is up and, when
 * the result differs from what the peer has, appends a pending record
 * (prefix, wanted attributes or NULL = withdraw, labels) to the peer's
 * queue. Nothing is sent from the hook: the owner calls bgp_adjout_flush()
 * after a batch of input (and when the peer's output queue drains). The
 * flush keeps the newest record per prefix, drops those that change
 * nothing, groups the rest by identical outgoing attributes (interned
 * pointer equality) and packs many NLRI per UPDATE; withdrawals go first.
 * The send hook may say the queue is full: we stop and keep the rest. After
 * the initial table dump of a session, End-of-RIB is sent once it is out.
 *
 * Labels remembered per advertised prefix: the first two exactly, deeper
 * ones as a 12-bit hash (only used to notice a change; VPN-IPv4 withdrawals
 * carry 0x800000, RFC 8277 2.4, so they need no label).
 *
 * Deviations: no MRAI timer (RFC 4271 9.2.1.1) - batching is per flush;
 * no sharing of encoded messages between peers with the same policy. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/wbuf.h"
#include "mpbgp/rib.h"

#define ADJ_BATCH 1024 /* NLRI handed to one encode call at most */

/* w: label 0 (20 bits) | label count << 20 (3 bits) | flags */
#define W_LABEL_MASK 0xfffffu
#define W_NL_SHIFT 20
#define W_QUEUED 0x01000000u /* a pending record exists */
#define W_SEEN 0x02000000u   /* flush: newest record found */

struct adj_entry {
	struct bgp_prefix p;
	const struct bgp_attr *adv; /* advertised (interned, our ref); NULL: not yet */
	struct adj_entry *hnext;
	uint32_t w;
	uint32_t lx; /* label 1 (20 bits) | hash of labels 2.. << 20 */
};

/* A wanted change, only while queued. */
struct adj_pend {
	struct adj_entry *e;
	const struct bgp_attr *attr; /* our ref; NULL = withdraw */
	uint32_t w, lx;              /* label words as in adj_entry (w: label bits only) */
	mpls_label_t labels[BGP_MAX_LABELS]; /* the exact stack to send */
};

struct adjout {
	struct bgp_pool entries;
	struct bgp_rib *rib;
	struct adj_entry **tab;
	size_t mask, nentry, nadv;
	struct adj_pend *q;
	size_t nq, qcap;
	bool eor_pending;
	bool eor_sent;
	bool blocked; /* the send hook said full */
};

struct adj_rib {
	struct bgp_adjout_ops ops;
};

static void label_words(const struct bgp_nlri *n, uint32_t *w, uint32_t *lx)
{
	int nl = n->nlabels < 0 ? 0 : n->nlabels > BGP_MAX_LABELS ? BGP_MAX_LABELS : n->nlabels;
	uint32_t h = 0;
	int i;

	*w = (nl > 0 ? n->labels[0] & W_LABEL_MASK : 0) | (uint32_t)nl << W_NL_SHIFT;
	*lx = nl > 1 ? n->labels[1] & W_LABEL_MASK : 0;
	for (i = 2; i < nl; i++)
		h = h * 0x9e3779b1u + (n->labels[i] & W_LABEL_MASK) + 1;
	*lx |= (h ^ h >> 12 ^ h >> 24) << 20;
}

static void labels_out(uint32_t w, uint32_t lx, struct bgp_nlri *n)
{
	n->nlabels = (int)(w >> W_NL_SHIFT & 7);
	n->labels[0] = w & W_LABEL_MASK;
	n->labels[1] = lx & W_LABEL_MASK;
}

static struct adj_entry *entry_find(const struct adjout *ao, const struct bgp_prefix *p)
{
	struct adj_entry *e = ao->tab[bgp_prefix_hash(p) & ao->mask];

	for (; e != NULL; e = e->hnext)
		if (bgp_prefix_eq(&e->p, p))
			return e;
	return NULL;
}

static void ao_rehash(struct adjout *ao, size_t nmask)
{
	size_t i;
	struct adj_entry **nt = xcalloc(nmask + 1, sizeof(*nt));

	for (i = 0; i <= ao->mask; i++) {
		struct adj_entry *e = ao->tab[i];

		while (e != NULL) {
			struct adj_entry *en = e->hnext;
			size_t b = bgp_prefix_hash(&e->p) & nmask;

			e->hnext = nt[b];
			nt[b] = e;
			e = en;
		}
	}
	free(ao->tab);
	ao->tab = nt;
	ao->mask = nmask;
}

static struct adj_entry *entry_get(struct adjout *ao, const struct bgp_prefix *p)
{
	struct adj_entry *e = entry_find(ao, p);
	size_t b;

	if (e != NULL)
		return e;
	if (ao->nentry > ao->mask)
		ao_rehash(ao, ao->mask * 2 + 1);
	e = bgp_pool_get(&ao->entries);
	e->p = *p;
	b = bgp_prefix_hash(p) & ao->mask;
	e->hnext = ao->tab[b];
	ao->tab[b] = e;
	ao->nentry++;
	return e;
}

static void entry_del(struct adjout *ao, struct adj_entry *e)
{
	struct adj_entry **pp = &ao->tab[bgp_prefix_hash(&e->p) & ao->mask];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	if (e->adv != NULL) {
		bgp_attr_unref(e->adv);
		ao->nadv--;
	}
	bgp_pool_put(&ao->entries, e);
	ao->nentry--;
}

static void enqueue(struct adjout *ao, struct adj_entry *e, const struct bgp_attr *attr,
		    uint32_t w, uint32_t lx, const struct bgp_nlri *n)
{
	struct adj_pend *r;

	if (ao->nq == ao->qcap) {
		ao->qcap = ao->qcap ? ao->qcap * 2 : 256;
		ao->q = xrealloc(ao->q, ao->qcap * sizeof(*ao->q));
	}
	r = &ao->q[ao->nq++];
	r->e = e;
	r->attr = attr;
	r->w = w;
	r->lx = lx;
	memcpy(r->labels, n->labels, sizeof(r->labels));
	e->w |= W_QUEUED;
}

/* What peer should have for dest now: attr (interned, a new reference) or
 * NULL (nothing), with labels in *n. */
static const struct bgp_attr *export_one(struct adj_rib *ar, struct bgp_peer *peer, enum bgp_af af,
					 const struct bgp_dest *d, struct bgp_nlri *n)
{
	const struct bgp_path *best = d->best;
	struct bgp_attr tmpl;
	const struct bgp_attr *res = NULL;
	bool ok;

	memset(n, 0, sizeof(*n));
	n->p = d->p;
	if (best == NULL || !(best->flags & BGP_PATH_VALID))
		return NULL;
	if (best->src == BGP_SRC_PEER && best->peer == peer)
		return NULL; /* never back to its source: skip the copy */
	n->nlabels = best->nlabels;
	memcpy(n->labels, best->labels, sizeof(n->labels));
	bgp_attr_init(&tmpl);
	bgp_attr_copy(&tmpl, best->attr);
	if (ar->ops.export_filter != NULL)
		ok = ar->ops.export_filter(peer, af, d, best, &tmpl, n, ar->ops.arg);
	else
		ok = bgp_export_default(peer, af, d, best, &tmpl, n);
	if (ok)
		res = bgp_attr_intern(&tmpl);
	bgp_attr_clear(&tmpl);
	return res;
}

/* Records that peer should now have attr (our ref, or NULL) for p. */
static void adj_set(struct adjout *ao, const struct bgp_prefix *p, const struct bgp_attr *attr,
		    const struct bgp_nlri *n)
{
	struct adj_entry *e = entry_find(ao, p);
	uint32_t w = 0, lx = 0;

	if (attr != NULL)
		label_words(n, &w, &lx);
	if (e == NULL) {
		if (attr == NULL)
			return; /* never advertised, nothing queued */
		e = entry_get(ao, p);
	} else if (!(e->w & W_QUEUED) && e->adv == attr && (e->w & ~0xff000000u) == w &&
		   e->lx == lx) {
		if (attr != NULL)
			bgp_attr_unref(attr); /* unchanged */
		return;
	}
	enqueue(ao, e, attr, w, lx, n);
}

static void change_hook(struct bgp_rib *rib, struct bgp_dest *d, const struct bgp_path *old_best,
			void *arg)
{
	struct adj_rib *ar = arg;
	enum bgp_af af = bgp_rib_af(rib);
	struct bgp_peer *peer;

	(void)old_best;
	for (peer = bgp_rib_bgp(rib)->peers; peer != NULL; peer = peer->next) {
		struct adjout *ao = peer->adj_out[af];
		struct bgp_nlri n;
		const struct bgp_attr *a;

		/* a session going down: its adj-out is about to go */
		if (ao == NULL || ao->rib != rib || peer->state != BGP_ST_ESTABLISHED)
			continue;
		a = export_one(ar, peer, af, d, &n);
		adj_set(ao, &d->p, a, &n);
	}
}

int bgp_adjout_attach(struct bgp_rib *rib, const struct bgp_adjout_ops *ops)
{
	void **slot = bgp_rib_adjout_slot(rib);
	struct adj_rib *ar;

	if (*slot != NULL)
		return -1;
	ar = xcalloc(1, sizeof(*ar));
	ar->ops = *ops;
	if (bgp_rib_add_hook(rib, change_hook, ar) < 0) {
		free(ar);
		return -1;
	}
	*slot = ar;
	return 0;
}

struct dump_ctx {
	struct adj_rib *ar;
	struct adjout *ao;
	struct bgp_peer *peer;
	enum bgp_af af;
};

static void dump_one(struct bgp_dest *d, void *arg)
{
	struct dump_ctx *dc = arg;
	struct bgp_nlri n;
	const struct bgp_attr *a = export_one(dc->ar, dc->peer, dc->af, d, &n);

	if (a != NULL)
		adj_set(dc->ao, &d->p, a, &n);
}

/* As dump_one, but also withdraws what the peer should no longer have. */
static void refresh_one(struct bgp_dest *d, void *arg)
{
	struct dump_ctx *dc = arg;
	struct bgp_nlri n;
	const struct bgp_attr *a = export_one(dc->ar, dc->peer, dc->af, d, &n);

	adj_set(dc->ao, &d->p, a, &n);
}

void bgp_adjout_peer_up(struct bgp_rib *rib, struct bgp_peer *peer)
{
	enum bgp_af af = bgp_rib_af(rib);
	struct adj_rib *ar = *bgp_rib_adjout_slot(rib);
	struct adjout *ao;
	struct dump_ctx dc;

	if (ar == NULL)
		fatalx("bgp_adjout_peer_up: adj-out not attached to the RIB");
	if (peer->adj_out[af] != NULL)
		bgp_adjout_peer_down(rib, peer);
	ao = xcalloc(1, sizeof(*ao));
	bgp_pool_init(&ao->entries, sizeof(struct adj_entry));
	ao->rib = rib;
	ao->mask = 255;
	ao->tab = xcalloc(ao->mask + 1, sizeof(*ao->tab));
	ao->eor_pending = true;
	peer->adj_out[af] = ao;
	peer->cnt.prefixes_sent[af] = 0;
	dc.ar = ar;
	dc.ao = ao;
	dc.peer = peer;
	dc.af = af;
	bgp_rib_walk(rib, dump_one, &dc);
	bgp_adjout_flush(peer);
}

/* Outbound policy of peer changed (soft clear, soo, as-override...):
 * re-run the export of every dest and send only the differences. */
void bgp_adjout_refresh(struct bgp_rib *rib, struct bgp_peer *peer)
{
	enum bgp_af af = bgp_rib_af(rib);
	struct adj_rib *ar = *bgp_rib_adjout_slot(rib);
	struct dump_ctx dc;

	if (ar == NULL || peer->adj_out[af] == NULL || peer->state != BGP_ST_ESTABLISHED)
		return;
	dc.ar = ar;
	dc.ao = peer->adj_out[af];
	dc.peer = peer;
	dc.af = af;
	bgp_rib_walk(rib, refresh_one, &dc);
	bgp_adjout_flush(peer);
}

void bgp_adjout_peer_down(struct bgp_rib *rib, struct bgp_peer *peer)
{
	enum bgp_af af = bgp_rib_af(rib);
	struct adjout *ao = peer->adj_out[af];
	size_t i;

	if (ao == NULL)
		return;
	for (i = 0; i < ao->nq; i++)
		if (ao->q[i].attr != NULL)
			bgp_attr_unref(ao->q[i].attr);
	for (i = 0; i <= ao->mask; i++)
		while (ao->tab[i] != NULL)
			entry_del(ao, ao->tab[i]);
	free(ao->q);
	free(ao->tab);
	bgp_pool_destroy(&ao->entries);
	free(ao);
	peer->adj_out[af] = NULL;
	peer->cnt.prefixes_sent[af] = 0;
}

/* After a burst of withdrawals (rib.c's bgp_rib_compact, never inside a
 * walk): each peer's table back to the entries left, the queue's array if
 * empty, the pool's spare block. */
void bgp_adjout_compact(struct bgp_rib *rib)
{
	enum bgp_af af = bgp_rib_af(rib);
	struct bgp_peer *peer;

	for (peer = bgp_rib_bgp(rib)->peers; peer != NULL; peer = peer->next) {
		struct adjout *ao = peer->adj_out[af];
		size_t want = 255;

		if (ao == NULL)
			continue;
		while (want < ao->nentry)
			want = want * 2 + 1;
		if (want < ao->mask / 4)
			ao_rehash(ao, want);
		if (ao->nq == 0 && ao->q != NULL) {
			free(ao->q);
			ao->q = NULL;
			ao->qcap = 0;
		}
		bgp_pool_trim(&ao->entries);
	}
}

/* Withdrawals first, then by attribute set, so equal sets are adjacent. */
static int pend_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct adj_pend *)a)->attr;
	uintptr_t y = (uintptr_t)((const struct adj_pend *)b)->attr;

	return x < y ? -1 : x > y;
}

static int do_send(struct adj_rib *ar, struct bgp_peer *peer, struct wbuf *w)
{
	return ar->ops.send(peer, wbuf_data(w), wbuf_len(w), ar->ops.arg);
}

/* The record r is done (sent, or needs nothing): apply it to its entry. */
static void pend_apply(struct adjout *ao, struct adj_pend *r)
{
	struct adj_entry *e = r->e;

	e->w &= ~(W_QUEUED | W_SEEN);
	if (r->attr == NULL) {
		entry_del(ao, e);
		return;
	}
	if (e->adv != NULL)
		bgp_attr_unref(e->adv);
	else
		ao->nadv++;
	e->adv = r->attr;
	e->w = r->w;
	e->lx = r->lx;
}

/* Sends one UPDATE for v[0..n) (all withdrawals or all with v[0].attr);
 * returns how many it carried (applied), 0 on a send error (*full set),
 * -1 when v[0] cannot be encoded (e.g. a VPN route without a label): it is
 * turned into a withdrawal, so the caller re-sorts. *full is also set when
 * the queue filled up. */
static int send_batch(struct adj_rib *ar, struct bgp_peer *peer, enum bgp_af af, struct adjout *ao,
		      struct adj_pend *v, int n, bool *full)
{
	static struct bgp_nlri nl[ADJ_BATCH];
	uint8_t msg[BGP_MAX_MSG];
	struct wbuf w = wbuf_init_fixed(msg, sizeof(msg));
	const struct bgp_attr *attr = v[0].attr;
	int i, k, rc;

	if (n > ADJ_BATCH)
		n = ADJ_BATCH;
	for (i = 0; i < n; i++) {
		memset(&nl[i], 0, sizeof(nl[i]));
		nl[i].p = v[i].e->p;
		if (attr != NULL) {
			nl[i].nlabels = (int)(v[i].w >> W_NL_SHIFT & 7);
			memcpy(nl[i].labels, v[i].labels, sizeof(nl[i].labels));
		}
	}
	if (attr != NULL)
		k = bgp_update_encode_reach(&w, af, attr, nl, n, peer->as4);
	else
		k = bgp_update_encode_withdraw(&w, af, nl, n);
	if (k <= 0) {
		char rd[RD_STRLEN], pfx[PREFIX_STRLEN], addr[IPADDR_STRLEN];

		log_warnx("adj-out: cannot encode %s %s for peer %s; withdrawing it",
			  rd_format(&v[0].e->p.rd, rd, sizeof(rd)),
			  prefix_ntop(&v[0].e->p.pfx, pfx, sizeof(pfx)),
			  bgp_peer_str(peer, addr, sizeof(addr)));
		if (attr == NULL) {
			pend_apply(ao, &v[0]); /* cannot happen; do not loop */
			v[0].e = NULL;
		} else {
			bgp_attr_unref(attr);
			v[0].attr = NULL;
		}
		return -1;
	}
	rc = do_send(ar, peer, &w);
	if (rc == BGP_SEND_ERR) {
		*full = true;
		return 0;
	}
	if (rc == BGP_SEND_FULL)
		*full = true;
	for (i = 0; i < k; i++)
		pend_apply(ao, &v[i]);
	return k;
}

/* Keeps the newest record per prefix and drops those that change nothing;
 * the rest stay in ao->q. */
static void queue_reduce(struct adjout *ao)
{
	size_t i, n = 0;

	for (i = ao->nq; i-- > 0;) {
		struct adj_pend *r = &ao->q[i];

		if (r->e->w & W_SEEN) { /* superseded by a newer record */
			if (r->attr != NULL)
				bgp_attr_unref(r->attr);
			r->e = NULL;
			continue;
		}
		r->e->w |= W_SEEN;
	}
	for (i = 0; i < ao->nq; i++) {
		struct adj_pend *r = &ao->q[i];
		struct adj_entry *e = r->e;

		if (e == NULL)
			continue;
		if ((r->attr == NULL && e->adv == NULL) ||
		    (r->attr != NULL && r->attr == e->adv && r->w == (e->w & ~0xff000000u) &&
		     r->lx == e->lx)) {
			if (r->attr != NULL)
				bgp_attr_unref(r->attr); /* e keeps its own ref */
			r->attr = NULL;
			e->w &= ~(W_QUEUED | W_SEEN);
			if (e->adv == NULL)
				entry_del(ao, e); /* queued then withdrawn before sending */
			continue;
		}
		e->w &= ~W_SEEN;
		ao->q[n++] = *r;
	}
	ao->nq = n;
}

static void flush_af(struct adj_rib *ar, struct bgp_peer *peer, enum bgp_af af, struct adjout *ao)
{
	size_t i = 0, j;
	bool full = false;

	queue_reduce(ao);
	if (ao->nq > 1)
		qsort(ao->q, ao->nq, sizeof(*ao->q), pend_cmp);
	while (i < ao->nq && !full) {
		int k;

		for (j = i + 1; j < ao->nq && ao->q[j].attr == ao->q[i].attr; j++)
			;
		k = send_batch(ar, peer, af, ao, ao->q + i, (int)(j - i), &full);
		if (k == 0)
			break;
		if (k < 0) {
			if (ao->q[i].e == NULL)
				i++; /* dropped */
			if (ao->nq - i > 1)
				qsort(ao->q + i, ao->nq - i, sizeof(*ao->q), pend_cmp);
			continue;
		}
		i += (size_t)k;
	}
	/* what was not sent stays queued */
	if (i > 0 && i < ao->nq)
		memmove(ao->q, ao->q + i, (ao->nq - i) * sizeof(*ao->q));
	ao->nq -= i;
	if (ao->nq == 0 && ao->qcap > 4096) {
		free(ao->q); /* after a table dump */
		ao->q = NULL;
		ao->qcap = 0;
	}
	peer->cnt.prefixes_sent[af] = ao->nadv;
	ao->blocked = full;
	if (!full && ao->nq == 0 && ao->eor_pending) {
		/* RFC 4724 2: End-of-RIB after the initial update */
		uint8_t msg[64];
		struct wbuf w = wbuf_init_fixed(msg, sizeof(msg));
		int rc;

		if (bgp_update_encode_eor(&w, af) < 0)
			return;
		rc = do_send(ar, peer, &w);
		if (rc == BGP_SEND_ERR) {
			ao->blocked = true;
			return;
		}
		ao->eor_pending = false;
		ao->eor_sent = true;
		ao->blocked = rc == BGP_SEND_FULL;
	}
}

void bgp_adjout_flush(struct bgp_peer *peer)
{
	int af;

	for (af = 0; af < BGP_AF_MAX; af++) {
		struct adjout *ao = peer->adj_out[af];
		struct adj_rib *ar;

		if (ao == NULL)
			continue;
		ar = *bgp_rib_adjout_slot(ao->rib);
		flush_af(ar, peer, (enum bgp_af)af, ao);
		if (ao->blocked)
			return;
	}
}

bool bgp_adjout_eor_sent(const struct bgp_peer *peer, int af)
{
	const struct adjout *ao = peer->adj_out[af];

	return ao != NULL && ao->eor_sent;
}

size_t bgp_adjout_count(const struct bgp_peer *peer, enum bgp_af af)
{
	const struct adjout *ao = peer->adj_out[af];

	return ao != NULL ? ao->nadv : 0;
}

size_t bgp_adjout_pending(const struct bgp_peer *peer, enum bgp_af af)
{
	const struct adjout *ao = peer->adj_out[af];

	return ao != NULL ? ao->nq + (ao->eor_pending ? 1 : 0) : 0;
}

const struct bgp_attr *bgp_adjout_lookup(const struct bgp_peer *peer, enum bgp_af af,
					 const struct bgp_prefix *p, struct bgp_nlri *out)
{
	const struct adjout *ao = peer->adj_out[af];
	const struct adj_entry *e;

	if (ao == NULL || (e = entry_find(ao, p)) == NULL || e->adv == NULL)
		return NULL;
	if (out != NULL) {
		memset(out, 0, sizeof(*out));
		out->p = e->p;
		labels_out(e->w, e->lx, out);
	}
	return e->adv;
}

/* ---- the standard export rules ---- */

static void cluster_prepend(struct bgp_attr *a, uint32_t cid)
{
	uint32_t *v = xcalloc((size_t)a->ncluster + 1, sizeof(*v));

	if (!(a->present & BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST)))
		a->ncluster = 0;
	v[0] = cid;
	if (a->ncluster > 0 && a->cluster_list != NULL)
		memcpy(v + 1, a->cluster_list, sizeof(*v) * a->ncluster);
	free(a->cluster_list);
	a->cluster_list = v;
	a->ncluster++;
	a->present |= BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST);
}

static void strip(struct bgp_attr *a, int type)
{
	a->present &= ~BGP_ATTR_BIT(type);
	switch (type) {
	case BGP_ATTR_LOCAL_PREF:
		a->local_pref = 0;
		break;
	case BGP_ATTR_MED:
		a->med = 0;
		break;
	case BGP_ATTR_ORIGINATOR_ID:
		a->originator_id = 0;
		break;
	case BGP_ATTR_CLUSTER_LIST:
		free(a->cluster_list);
		a->cluster_list = NULL;
		a->ncluster = 0;
		break;
	default:
		break;
	}
}

/* as-override: the peer's AS in the path becomes ours (RFC 4364 ... CE sites
 * sharing an AS; FRR's neighbor X as-override). */
static void as_override(struct bgp_attr *a, uint32_t peer_as, uint32_t our_as)
{
	size_t off = 0;

	while (a->aspath != NULL && off + 2 <= a->aspath_len) {
		size_t cnt = a->aspath[off + 1], i;

		for (i = 0; i < cnt && off + 2 + i * 4 + 4 <= a->aspath_len; i++) {
			uint8_t *q = a->aspath + off + 2 + i * 4;
			uint32_t asn = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
				       (uint32_t)q[2] << 8 | q[3];

			if (asn == peer_as) {
				q[0] = (uint8_t)(our_as >> 24);
				q[1] = (uint8_t)(our_as >> 16);
				q[2] = (uint8_t)(our_as >> 8);
				q[3] = (uint8_t)our_as;
			}
		}
		off += 2 + cnt * 4;
	}
}

bool bgp_export_default(struct bgp_peer *peer, enum bgp_af af, const struct bgp_dest *dest,
			const struct bgp_path *best, struct bgp_attr *out,
			struct bgp_nlri *out_nlri)
{
	struct bgp *bgp = peer->bgp;
	const struct bgp_peer *from = best->src == BGP_SRC_PEER ? best->peer : NULL;
	bool to_ebgp = bgp_peer_ebgp(peer, bgp->asn);
	bool from_ebgp = from != NULL && bgp_peer_ebgp(from, bgp->asn);
	bool from_ibgp = from != NULL && !from_ebgp;
	bool reflected = false;

	(void)dest;
	(void)out_nlri;
	if (!(best->flags & BGP_PATH_VALID))
		return false;
	if (from == peer)
		return false; /* never back to where it came from */
	if (from_ibgp && !to_ebgp) {
		/* RFC 4271 9.2: no iBGP-learned route to an iBGP peer, except by
		 * RFC 4456 8: from a client -> every peer; from a non-client ->
		 * clients only. */
		if (!from->cfg.rr_client[af] && !peer->cfg.rr_client[af])
			return false;
		reflected = true;
		/* RFC 4456 8: "An RR SHOULD NOT create an ORIGINATOR_ID attribute
		 * if one already exists" */
		if (!(out->present & BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID))) {
			out->originator_id = from->remote_id;
			out->present |= BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID);
		}
		/* "it MUST prepend the local CLUSTER_ID to the CLUSTER_LIST" */
		cluster_prepend(out, bgp_cluster_id(bgp));
	}
	if (to_ebgp) {
		if (peer->cfg.as_override)
			as_override(out, peer->cfg.remote_as, bgp->asn);
		/* RFC 4271 5.1.2 b) */
		bgp_aspath_prepend(out, bgp->asn);
		/* RFC 4271 5.1.3: our address toward the peer */
		out->nexthop = peer->local_addr;
		out->present |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		/* RFC 4271 5.1.5: LOCAL_PREF MUST NOT go to an external peer */
		strip(out, BGP_ATTR_LOCAL_PREF);
		/* RFC 4271 5.1.4: a MED received from a neighboring AS MUST NOT be
		 * propagated to other neighboring ASes */
		if (from_ebgp)
			strip(out, BGP_ATTR_MED);
		/* RFC 4456: reflection attributes stay inside the AS */
		strip(out, BGP_ATTR_ORIGINATOR_ID);
		strip(out, BGP_ATTR_CLUSTER_LIST);
		return true;
	}
	/* iBGP: RFC 4271 5.1.5 "MUST include the LOCAL_PREF attribute" */
	if (!(out->present & BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF))) {
		out->local_pref = 100;
		out->present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	}
	if (from == NULL && ipaddr_is_zero(&out->nexthop))
		out->nexthop = peer->local_addr; /* locally originated */
	else if (best->src == BGP_SRC_IMPORTED)
		/* imported from the VPN (a remote PE's loopback in the core) or
		 * leaked from another VRF (a CE there): out of this VRF's CE's
		 * reach, so the PE is the next hop, as FRR does for leaked routes
		 * (BGP_PATH_ANNC_NH_SELF) */
		out->nexthop = peer->local_addr;
	else if (peer->cfg.next_hop_self[af] && !reflected)
		out->nexthop = peer->local_addr;
	out->present |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	return true;
}
