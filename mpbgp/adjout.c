/* Adj-RIB-Out and UPDATE generation (RFC 4271 3.2, 9.2, 9.1.3; RFC 4456 8
 * route reflection; RFC 4724 2 End-of-RIB).
 *
 * Per peer and family we remember what was advertised: prefix -> interned
 * outgoing attribute set + labels. A best-path change (the RIB's change
 * hook) runs the export policy for every Established peer and, when the
 * result differs from what the peer has, queues the prefix. Nothing is sent
 * from the hook: the owner calls bgp_adjout_flush() after a batch of input
 * (and when the peer's output queue drains), so that queued prefixes are
 * grouped by identical outgoing attributes (interned pointer equality) and
 * packed many NLRI per UPDATE; withdrawals go first. The send hook may say
 * the queue is full: we stop and keep the rest queued. After the initial
 * table dump of a session, End-of-RIB is sent once the dump is out.
 *
 * Deviations: no MRAI timer (RFC 4271 9.2.1.1) - batching is per flush;
 * no per-update-group sharing of encoded messages between peers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/wbuf.h"
#include "mpbgp/rib.h"

#define ADJ_BATCH 1024 /* NLRI handed to one encode call at most */

struct adj_entry {
	struct bgp_prefix p;
	const struct bgp_attr *adv;  /* advertised (interned, our ref), NULL: not */
	const struct bgp_attr *pend; /* when queued: wanted, NULL = withdraw */
	struct adj_entry *hnext;
	struct adj_entry *qnext;
	uint8_t nl_adv, nl_pend;
	bool queued;
	mpls_label_t lab_adv[BGP_MAX_LABELS];
	mpls_label_t lab_pend[BGP_MAX_LABELS];
};

struct adjout {
	struct bgp_rib *rib;
	struct adj_entry **tab;
	size_t mask, nentry, nadv;
	struct adj_entry *qhead, **qtail;
	size_t npending;
	bool eor_pending;
	bool eor_sent;
	bool blocked; /* the send hook said full */
};

struct adj_rib {
	struct bgp_adjout_ops ops;
};

static uint32_t pfx_hash(const struct bgp_prefix *p)
{
	uint64_t rd, h;

	memcpy(&rd, p->rd.b, 8);
	h = (rd ^ ((uint64_t)p->pfx.addr << 8 | p->pfx.len)) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32);
}

static bool pfx_eq(const struct bgp_prefix *a, const struct bgp_prefix *b)
{
	return a->pfx.addr == b->pfx.addr && a->pfx.len == b->pfx.len &&
	       memcmp(a->rd.b, b->rd.b, 8) == 0;
}

static struct adj_entry *entry_find(const struct adjout *ao, const struct bgp_prefix *p)
{
	struct adj_entry *e = ao->tab[pfx_hash(p) & ao->mask];

	for (; e != NULL; e = e->hnext)
		if (pfx_eq(&e->p, p))
			return e;
	return NULL;
}

static void ao_grow(struct adjout *ao)
{
	size_t nmask = ao->mask * 2 + 1, i;
	struct adj_entry **nt = xcalloc(nmask + 1, sizeof(*nt));

	for (i = 0; i <= ao->mask; i++) {
		struct adj_entry *e = ao->tab[i];

		while (e != NULL) {
			struct adj_entry *en = e->hnext;
			size_t b = pfx_hash(&e->p) & nmask;

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
		ao_grow(ao);
	e = xcalloc(1, sizeof(*e));
	e->p = *p;
	b = pfx_hash(p) & ao->mask;
	e->hnext = ao->tab[b];
	ao->tab[b] = e;
	ao->nentry++;
	return e;
}

static void entry_del(struct adjout *ao, struct adj_entry *e)
{
	struct adj_entry **pp = &ao->tab[pfx_hash(&e->p) & ao->mask];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	if (e->adv != NULL)
		bgp_attr_unref(e->adv);
	if (e->pend != NULL)
		bgp_attr_unref(e->pend);
	free(e);
	ao->nentry--;
}

static void enqueue(struct adjout *ao, struct adj_entry *e)
{
	if (e->queued)
		return;
	e->queued = true;
	e->qnext = NULL;
	*ao->qtail = e;
	ao->qtail = &e->qnext;
	ao->npending++;
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

	if (best == NULL || !(best->flags & BGP_PATH_VALID))
		return NULL;
	memset(n, 0, sizeof(*n));
	n->p = d->p;
	n->nlabels = best->nlabels;
	memcpy(n->labels, best->labels, sizeof(n->labels));
	bgp_attr_init(&tmpl);
	bgp_attr_copy(&tmpl, best->attr);
	tmpl.refcnt = 0;
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
	int nl = attr != NULL ? n->nlabels : 0;

	if (nl < 0 || nl > BGP_MAX_LABELS)
		nl = nl < 0 ? 0 : BGP_MAX_LABELS;
	if (attr == NULL) {
		if (e == NULL)
			return;
		if (e->adv == NULL && !e->queued)
			return;
	} else {
		if (e == NULL)
			e = entry_get(ao, p);
		if (!e->queued && e->adv == attr && e->nl_adv == nl &&
		    memcmp(e->lab_adv, n->labels, sizeof(mpls_label_t) * (size_t)nl) == 0) {
			bgp_attr_unref(attr); /* unchanged */
			return;
		}
	}
	if (e->pend != NULL)
		bgp_attr_unref(e->pend);
	e->pend = attr;
	e->nl_pend = (uint8_t)nl;
	memset(e->lab_pend, 0, sizeof(e->lab_pend));
	if (nl > 0)
		memcpy(e->lab_pend, n->labels, sizeof(mpls_label_t) * (size_t)nl);
	enqueue(ao, e);
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

		if (ao == NULL || ao->rib != rib)
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
	ao->rib = rib;
	ao->mask = 255;
	ao->tab = xcalloc(ao->mask + 1, sizeof(*ao->tab));
	ao->qtail = &ao->qhead;
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

void bgp_adjout_peer_down(struct bgp_rib *rib, struct bgp_peer *peer)
{
	enum bgp_af af = bgp_rib_af(rib);
	struct adjout *ao = peer->adj_out[af];
	size_t i;

	if (ao == NULL)
		return;
	for (i = 0; i <= ao->mask; i++)
		while (ao->tab[i] != NULL)
			entry_del(ao, ao->tab[i]);
	free(ao->tab);
	free(ao);
	peer->adj_out[af] = NULL;
	peer->cnt.prefixes_sent[af] = 0;
}

/* Withdrawals first, then by attribute set, so equal sets are adjacent. */
static int pend_cmp(const void *a, const void *b)
{
	const struct adj_entry *x = *(const struct adj_entry *const *)a;
	const struct adj_entry *y = *(const struct adj_entry *const *)b;
	uintptr_t px = (uintptr_t)x->pend, py = (uintptr_t)y->pend;

	if (px != py)
		return px < py ? -1 : 1;
	return 0;
}

static int do_send(struct adj_rib *ar, struct bgp_peer *peer, struct wbuf *w)
{
	return ar->ops.send(peer, wbuf_data(w), wbuf_len(w), ar->ops.arg);
}

/* Sends one UPDATE for v[0..n) (all withdrawals or all with v[0]->pend);
 * returns how many it carried (they are marked done), 0 on a send error
 * or encode failure. *full is set when the queue filled up. */
static int send_batch(struct adj_rib *ar, struct bgp_peer *peer, enum bgp_af af, struct adjout *ao,
		      struct adj_entry **v, int n, bool *full)
{
	static struct bgp_nlri nl[ADJ_BATCH];
	uint8_t msg[BGP_MAX_MSG];
	struct wbuf w = wbuf_init_fixed(msg, sizeof(msg));
	const struct bgp_attr *attr = v[0]->pend;
	int i, k, rc;

	if (n > ADJ_BATCH)
		n = ADJ_BATCH;
	for (i = 0; i < n; i++) {
		memset(&nl[i], 0, sizeof(nl[i]));
		nl[i].p = v[i]->p;
		if (attr != NULL) {
			nl[i].nlabels = v[i]->nl_pend;
			memcpy(nl[i].labels, v[i]->lab_pend, sizeof(nl[i].labels));
		} else {
			/* RFC 8277 2.4: withdraw with the label we advertised */
			nl[i].nlabels = v[i]->nl_adv;
			memcpy(nl[i].labels, v[i]->lab_adv, sizeof(nl[i].labels));
		}
	}
	if (attr != NULL)
		k = bgp_update_encode_reach(&w, af, attr, nl, n, peer->as4);
	else
		k = bgp_update_encode_withdraw(&w, af, nl, n);
	if (k <= 0) {
		log_warnx("adj-out: cannot encode an UPDATE for peer %u", peer->cfg.addr);
		return 0;
	}
	rc = do_send(ar, peer, &w);
	if (rc == BGP_SEND_ERR) {
		*full = true;
		return 0;
	}
	if (rc == BGP_SEND_FULL)
		*full = true;
	for (i = 0; i < k; i++) {
		struct adj_entry *e = v[i];

		e->queued = false;
		ao->npending--;
		if (e->adv != NULL) {
			bgp_attr_unref(e->adv);
			ao->nadv--;
		}
		e->adv = e->pend;
		e->pend = NULL;
		e->nl_adv = e->nl_pend;
		memcpy(e->lab_adv, e->lab_pend, sizeof(e->lab_adv));
		if (e->adv == NULL)
			entry_del(ao, e);
		else
			ao->nadv++;
	}
	return k;
}

/* Drops queued entries that need nothing sent; returns the rest as an array. */
static struct adj_entry **collect(struct adjout *ao, size_t *np)
{
	struct adj_entry **v = xcalloc(ao->npending + 1, sizeof(*v));
	struct adj_entry *e = ao->qhead, *en;
	size_t n = 0;

	for (; e != NULL; e = en) {
		en = e->qnext;
		e->qnext = NULL;
		if (e->pend == NULL && e->adv == NULL) {
			e->queued = false; /* never advertised: nothing to withdraw */
			ao->npending--;
			entry_del(ao, e);
			continue;
		}
		if (e->pend != NULL && e->pend == e->adv && e->nl_pend == e->nl_adv &&
		    memcmp(e->lab_pend, e->lab_adv, sizeof(e->lab_adv)) == 0) {
			bgp_attr_unref(e->pend);
			e->pend = NULL;
			e->queued = false;
			ao->npending--;
			continue;
		}
		v[n++] = e;
	}
	ao->qhead = NULL;
	ao->qtail = &ao->qhead;
	*np = n;
	return v;
}

static void flush_af(struct adj_rib *ar, struct bgp_peer *peer, enum bgp_af af, struct adjout *ao)
{
	struct adj_entry **v;
	size_t n, i = 0, j;
	bool full = false;

	v = collect(ao, &n);
	qsort(v, n, sizeof(*v), pend_cmp);
	while (i < n && !full) {
		int k;

		for (j = i + 1; j < n && v[j]->pend == v[i]->pend; j++)
			;
		k = send_batch(ar, peer, af, ao, v + i, (int)(j - i), &full);
		if (k == 0)
			break;
		i += (size_t)k;
	}
	for (; i < n; i++) { /* not sent: back on the queue */
		v[i]->queued = false;
		ao->npending--;
		enqueue(ao, v[i]);
	}
	free(v);
	peer->cnt.prefixes_sent[af] = ao->nadv;
	ao->blocked = full;
	if (!full && ao->npending == 0 && ao->eor_pending) {
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

size_t bgp_adjout_count(const struct bgp_peer *peer, enum bgp_af af)
{
	const struct adjout *ao = peer->adj_out[af];

	return ao != NULL ? ao->nadv : 0;
}

size_t bgp_adjout_pending(const struct bgp_peer *peer, enum bgp_af af)
{
	const struct adjout *ao = peer->adj_out[af];

	return ao != NULL ? ao->npending + (ao->eor_pending ? 1 : 0) : 0;
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
		out->nlabels = e->nl_adv;
		memcpy(out->labels, e->lab_adv, sizeof(out->labels));
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
	if (from == NULL && out->nexthop == 0)
		out->nexthop = peer->local_addr; /* locally originated */
	else if (peer->cfg.next_hop_self[af] && !reflected)
		out->nexthop = peer->local_addr;
	out->present |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	return true;
}
