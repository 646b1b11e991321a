/* RT-Constrain (RFC 4684): route target membership, AFI 1 / SAFI 132.
 *
 * With a peer that negotiated the family (`address-family ipv4 rtc`,
 * `neighbor X activate`):
 *  - we advertise one membership per route target our VRFs import (origin
 *    AS: ours, 96 bits), and the default membership (length 0) to a route
 *    reflector client, so that the client sends the reflector every VPN
 *    route it has (RFC 4684 3.2: a reflector needs them all to serve its
 *    other clients), and for the same reason to every other peer once we
 *    have VPN clients (another reflector, a non-client PE: Junos'
 *    advertise-default); then End-of-RIB;
 *  - we keep the memberships the peer advertised, and send it a VPN route
 *    (VPN-IPv4 or VPN-IPv6) only if one of the route's targets is covered
 *    by one of them (or the peer sent the default). A change of the peer's
 *    memberships re-runs the export of the VPN tables toward it, which
 *    advertises what became wanted and withdraws what no longer is; that
 *    walk of the VPN tables runs once per turn of the event loop for all
 *    the UPDATEs that arrived, not once per UPDATE.
 * A peer without the family gets every VPN route, as before.
 *
 * Memberships are kept as sets, not as BGP paths with best-path selection:
 * ped originates and consumes them but does not reflect them between
 * peers (a hierarchy of route reflectors needs that; a reflector with PE
 * clients does not, since it sends its clients the default). Received
 * memberships are bounded by BGP_RTC_MAX_PER_UPDATE per UPDATE and
 * RTC_MAX_PER_PEER in all. The next hop of received memberships is not used. */
#include "config.h"

#include <event2/event.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/wbuf.h"
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/rib.h"
#include "mpbgp/rtc.h"
#include "mpbgp/session.h"
#include "vrf/vrf.h"

#define RTC_MAX_PER_PEER 65536
#define RTC_PER_MSG 250 /* 13 bytes each at most: well inside 4096 */

struct rtc_set {
	int n, cap;
	struct bgp_rtc *v; /* sorted (rtc_cmp), unique */
};

struct rtc_peer {
	struct rtc_set in, out;
	bool dirty;       /* memberships changed: the VPN export runs again */
	int nshort;       /* received entries shorter than 96 bits */
	bool has_default; /* received the default (length 0) */
	bool eor_rcvd, eor_sent;
	bool warned;
};

static int rtc_cmp(const void *a, const void *b)
{
	const struct bgp_rtc *x = a, *y = b;
	int r = memcmp(x->rt, y->rt, 8);

	if (r == 0)
		r = (int)x->len - (int)y->len;
	if (r == 0)
		r = x->origin_as < y->origin_as ? -1 : x->origin_as > y->origin_as;
	return r;
}

static void set_free(struct rtc_set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int set_find(const struct rtc_set *s, const struct bgp_rtc *r)
{
	int lo = 0, hi = s->n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = rtc_cmp(&s->v[mid], r);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -(lo + 1);
}

static bool set_add(struct rtc_set *s, const struct bgp_rtc *r)
{
	int i = set_find(s, r);

	if (i >= 0)
		return false;
	i = -i - 1;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, (size_t)s->cap * sizeof(*s->v));
	}
	memmove(s->v + i + 1, s->v + i, (size_t)(s->n - i) * sizeof(*s->v));
	s->v[i] = *r;
	s->n++;
	return true;
}

static bool set_del(struct rtc_set *s, const struct bgp_rtc *r)
{
	int i = set_find(s, r);

	if (i < 0)
		return false;
	memmove(s->v + i, s->v + i + 1, (size_t)(s->n - i - 1) * sizeof(*s->v));
	s->n--;
	return true;
}

static struct event_base *base;
static struct event *refresh_ev;

static struct rtc_peer *rp_get(struct bgp_peer *p)
{
	if (p->rtc == NULL)
		p->rtc = xcalloc(1, sizeof(struct rtc_peer));
	return p->rtc;
}

/* ---- the filter ---- */

static bool is_rt(const struct ecomm *e)
{
	return e->b[1] == 0x02 && (e->b[0] == 0x00 || e->b[0] == 0x01 || e->b[0] == 0x02);
}

bool bgp_rtc_allows(const struct bgp_peer *p, const struct bgp_attr *a)
{
	const struct rtc_peer *rp = p->rtc;
	const struct rtc_set *s;

	if (!p->rtc_nego)
		return true;
	if (rp == NULL || rp->in.n == 0)
		return false;
	if (rp->has_default)
		return true; /* every VPN route, with a route target or not */
	s = &rp->in;
	for (int i = 0; i < a->necomms; i++) {
		const struct ecomm *e = &a->ecomms[i];
		struct bgp_rtc key = { 96, 0, { 0 } };
		int j;

		if (!is_rt(e))
			continue;
		memcpy(key.rt, e->b, 8);
		/* an exact membership: the first entry with this RT and length 96 */
		j = set_find(s, &key);
		if (j < 0)
			j = -j - 1;
		if (j < s->n && memcmp(s->v[j].rt, e->b, 8) == 0 && s->v[j].len == 96)
			return true;
		for (j = 0; rp->nshort > 0 && j < s->n; j++)
			if (s->v[j].len < 96 && bgp_rtc_covers(&s->v[j], e->b))
				return true; /* origin AS only, or a partial RT */
	}
	return false;
}

/* ---- what we advertise ---- */

static bool rr_client_vpn(const struct bgp_peer *p)
{
	return p->cfg.rr_client[BGP_AF_VPNV4] || p->cfg.rr_client[BGP_AF_VPNV6];
}

static bool has_vpn_clients(const struct bgp *b)
{
	for (const struct bgp_peer *q = b->peers; q != NULL; q = q->next)
		if (rr_client_vpn(q))
			return true;
	return false;
}

static void local_set(const struct bgp_peer *p, struct rtc_set *s)
{
	const struct bgp *b = p->bgp;

	memset(s, 0, sizeof(*s));
	if (rr_client_vpn(p) || has_vpn_clients(b)) {
		struct bgp_rtc def = { 0, 0, { 0 } };

		set_add(s, &def);
	}
	for (const struct vrf *v = vrf_first(); v != NULL; v = vrf_next(v))
		for (int i = 0; i < v->rt_import.count; i++) {
			struct bgp_rtc r = { 96, b->asn, { 0 } };

			memcpy(r.rt, v->rt_import.rt[i].b, 8);
			set_add(s, &r);
		}
}

static int send_msg(struct bgp_peer *p, const struct bgp_rtc *reach, int nreach,
		    const struct bgp_rtc *wd, int nwd)
{
	uint8_t buf[BGP_MAX_MSG];
	struct wbuf w = wbuf_init_fixed(buf, sizeof(buf));
	struct bgp_attr a;
	int rc;

	bgp_attr_init(&a);
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.origin = BGP_ORIGIN_IGP;
	if (bgp_peer_ebgp(p, p->bgp->asn)) {
		bgp_aspath_prepend(&a, p->bgp->asn);
	} else {
		a.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
		a.local_pref = 100;
	}
	rc = bgp_update_encode_rtc(&w, &a, p->as4, &p->local_addr, reach, nreach, wd, nwd);
	bgp_attr_clear(&a);
	if (rc == 0)
		rc = bgp_peer_send(p, wbuf_data(&w), wbuf_len(&w));
	return rc;
}

/* Sends p the difference between what it has from us and what it should. */
static void sync_peer(struct bgp_peer *p)
{
	struct rtc_peer *rp;
	struct rtc_set want, add = { 0 }, del = { 0 };
	char pb[IPADDR_STRLEN];
	bool ok = true;

	if (!p->rtc_nego || p->state != BGP_ST_ESTABLISHED)
		return;
	rp = rp_get(p);
	local_set(p, &want);
	for (int i = 0; i < want.n; i++)
		if (set_find(&rp->out, &want.v[i]) < 0)
			set_add(&add, &want.v[i]);
	for (int i = 0; i < rp->out.n; i++)
		if (set_find(&want, &rp->out.v[i]) < 0)
			set_add(&del, &rp->out.v[i]);
	for (int i = 0; ok && i < del.n; i += RTC_PER_MSG) {
		int n = del.n - i < RTC_PER_MSG ? del.n - i : RTC_PER_MSG;

		if ((ok = send_msg(p, NULL, 0, del.v + i, n) == 0))
			for (int j = 0; j < n; j++)
				set_del(&rp->out, &del.v[i + j]);
	}
	for (int i = 0; ok && i < add.n; i += RTC_PER_MSG) {
		int n = add.n - i < RTC_PER_MSG ? add.n - i : RTC_PER_MSG;

		if ((ok = send_msg(p, add.v + i, n, NULL, 0) == 0))
			for (int j = 0; j < n; j++)
				set_add(&rp->out, &add.v[i + j]);
	}
	if (ok && !rp->eor_sent && send_msg(p, NULL, 0, NULL, 0) == 0)
		rp->eor_sent = true; /* RFC 4724 2: End-of-RIB after the initial memberships */
	if (!ok)
		log_warnx("BGP peer %s: route target memberships not sent (output queue full); "
			  "sent at the next change", bgp_peer_str(p, pb, sizeof(pb)));
	set_free(&want);
	set_free(&add);
	set_free(&del);
}

void bgp_rtc_peer_up(struct bgp_peer *p)
{
	bgp_rtc_peer_down(p);
	sync_peer(p);
}

void bgp_rtc_peer_down(struct bgp_peer *p)
{
	struct rtc_peer *rp = p->rtc;

	if (rp == NULL)
		return;
	set_free(&rp->in);
	set_free(&rp->out);
	free(rp);
	p->rtc = NULL;
	if (p->state != BGP_ST_ESTABLISHED)
		p->rtc_nego = false; /* until the next OPEN */
}

void bgp_rtc_local_changed(struct bgp *b)
{
	for (struct bgp_peer *p = b->peers; p != NULL; p = p->next)
		sync_peer(p);
}

void bgp_rtc_peer_changed(struct bgp_peer *p)
{
	sync_peer(p);
}

/* ---- what we receive ---- */

static void refresh_vpn(struct bgp_peer *p)
{
	struct bgp *b = p->bgp;

	if (b->rib[BGP_AF_VPNV4] != NULL)
		bgp_adjout_refresh(b->rib[BGP_AF_VPNV4], p);
	if (b->rib[BGP_AF_VPNV6] != NULL)
		bgp_adjout_refresh(b->rib[BGP_AF_VPNV6], p);
}

static void refresh_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bgp *b = bgp_lookup(NULL);

	(void)fd;
	(void)what;
	(void)arg;
	for (struct bgp_peer *p = b != NULL ? b->peers : NULL; p != NULL; p = p->next) {
		struct rtc_peer *rp = p->rtc;

		if (rp != NULL && rp->dirty) {
			rp->dirty = false;
			refresh_vpn(p);
		}
	}
}

void bgp_rtc_start(struct event_base *b)
{
	base = b;
	refresh_ev = event_new(base, -1, 0, refresh_cb, NULL);
}

void bgp_rtc_fini(void)
{
	if (refresh_ev != NULL)
		event_free(refresh_ev);
	refresh_ev = NULL;
	base = NULL;
}

/* Many memberships at once: appended, sorted and deduplicated, instead of
 * one sorted insertion each. */
static bool set_add_many(struct rtc_set *s, const struct bgp_rtc *v, int n, int max)
{
	int k = 0, old = s->n;

	if (n < 16) {
		bool ch = false;

		for (int i = 0; i < n && s->n < max; i++)
			ch |= set_add(s, &v[i]);
		return ch;
	}
	if (s->n + n > s->cap) {
		s->cap = s->n + n;
		s->v = xrealloc(s->v, (size_t)s->cap * sizeof(*s->v));
	}
	memcpy(s->v + s->n, v, (size_t)n * sizeof(*v));
	s->n += n;
	qsort(s->v, (size_t)s->n, sizeof(*s->v), rtc_cmp);
	for (int i = 0; i < s->n; i++)
		if (k == 0 || rtc_cmp(&s->v[k - 1], &s->v[i]) != 0)
			s->v[k++] = s->v[i];
	s->n = k > max ? max : k;
	return s->n != old;
}

void bgp_rtc_input(struct bgp_peer *p, const struct bgp_update *u, bool treat_as_withdraw)
{
	struct rtc_peer *rp;
	bool changed = false;
	char pb[IPADDR_STRLEN];

	if (!p->rtc_nego || (u->rtc_reach.n == 0 && u->rtc_withdrawn.n == 0 && !u->rtc_eor))
		return;
	rp = rp_get(p);
	for (int i = 0; i < u->rtc_withdrawn.n; i++)
		changed |= set_del(&rp->in, &u->rtc_withdrawn.v[i]);
	if (treat_as_withdraw) {
		for (int i = 0; i < u->rtc_reach.n; i++)
			changed |= set_del(&rp->in, &u->rtc_reach.v[i]);
	} else if (u->rtc_reach.n > 0) {
		if (rp->in.n + u->rtc_reach.n > RTC_MAX_PER_PEER && !rp->warned) {
			log_warnx("BGP peer %s: more than %d route target memberships; the rest ignored",
				  bgp_peer_str(p, pb, sizeof(pb)), RTC_MAX_PER_PEER);
			rp->warned = true;
		}
		changed |= set_add_many(&rp->in, u->rtc_reach.v, u->rtc_reach.n, RTC_MAX_PER_PEER);
	}
	if (u->rtc_eor)
		rp->eor_rcvd = true;
	if (!changed)
		return;
	rp->nshort = 0;
	rp->has_default = false;
	for (int i = 0; i < rp->in.n; i++) {
		rp->nshort += rp->in.v[i].len < 96;
		rp->has_default |= rp->in.v[i].len == 0;
	}
	if (refresh_ev == NULL) {
		refresh_vpn(p); /* no event loop (tests) */
		return;
	}
	rp->dirty = true;
	event_active(refresh_ev, 0, 0);
}

/* ---- for show (rtc_cli.c) ---- */

const struct bgp_rtc *bgp_rtc_received(const struct bgp_peer *p, int *n)
{
	const struct rtc_peer *rp = p->rtc;

	*n = rp != NULL ? rp->in.n : 0;
	return rp != NULL ? rp->in.v : NULL;
}

const struct bgp_rtc *bgp_rtc_advertised(const struct bgp_peer *p, int *n)
{
	const struct rtc_peer *rp = p->rtc;

	*n = rp != NULL ? rp->out.n : 0;
	return rp != NULL ? rp->out.v : NULL;
}

bool bgp_rtc_eor(const struct bgp_peer *p, bool sent)
{
	const struct rtc_peer *rp = p->rtc;

	return rp != NULL && (sent ? rp->eor_sent : rp->eor_rcvd);
}

bool bgp_rtc_rr_client(const struct bgp_peer *p)
{
	return rr_client_vpn(p);
}
