/* ped's BFD clients: BGP peers (`neighbor X bfd`) and static routes
 * (`ip route ... bfd`), as FRR's bgpd and staticd are bfdd's through zebra.
 *
 * BGP (bgp_bfd_hooks).
 * The session's key follows FRR: the peer's address in the instance's VRF;
 * multi-hop for eBGP with ebgp-multihop and for iBGP to an address outside
 * the connected subnets (FRR's PEER_IS_MULTIHOP), with a minimum TTL of
 * 256 - the peer's TTL (1 for iBGP, as bgpd's hop count makes it);
 * single-hop otherwise; the local address is the
 * update-source, else the local address of the BGP connection once one
 * came up (a multi-hop session waits for it: the remote end keys its
 * session on our address). A session that goes from Up to Down resets the
 * BGP session with Cease/10 "BFD Down" (RFC 9384), unless the remote said
 * AdminDown (RFC 5880 6.8.16: not a failure of the path).
 *
 * Static routes (static_bfd_hooks): the session watches the gateway
 * (single-hop through the route's interface if it names one, or multi-hop
 * from its source); the next hop counts only while the session is Up, as
 * on IOS and Junos (FRR's staticd keeps it until the first Down), or while
 * either end holds it AdminDown (6.8.16 again). */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd/bfd.h"
#include "lib/log.h"
#include "mpbgp/bgp_cfg.h"
#include "pe/fwd/fwd_ctl.h"
#include "pe/iface.h"
#include "pe/ped.h"
#include "vrf/vrf.h"

struct peer_bfd {
	struct bfd_client *c;
	struct bfd_key key;
	char profile[64];
	uint8_t min_ttl;
	time_t last_update;
};

static void on_state(void *arg, const struct bfd_sess *s, uint8_t old)
{
	struct bgp_peer *p = arg;
	struct peer_bfd *pb = p->bfd;

	pb->last_update = time(NULL);
	if (old == BFD_UP && s->state == BFD_DOWN && s->remote_state != BFD_ADMIN_DOWN)
		bgp_peer_bfd_down(p);
}

static bool connected(const struct vrf *vrf, const struct ipaddr *a)
{
	const char *name = vrf != NULL ? vrf->name : "";

	for (const struct iface *i = iface_first(); i != NULL; i = i->next) {
		if (!i->present || strcmp(i->vrf, name) != 0)
			continue;
		for (int j = 0; j < i->nkaddr; j++)
			if (i->kaddr[j].af == a->af && prefix_contains(&i->kaddr[j], a))
				return true;
	}
	return false;
}

/* bgpd gives bfdd the peer's TTL as the hop count and bfdd expects packets
 * with at least 256 - TTL: 1 for iBGP (TTL 255), 256 - N for ebgp-multihop N */
static uint8_t min_ttl(const struct bgp_peer *p)
{
	unsigned ttl = bgp_peer_ebgp(p, p->bgp->asn) ? p->cfg.ebgp_multihop : 255;

	return (uint8_t)(ttl >= 255 ? 1 : 256 - ttl);
}

static bool want_key(const struct bgp_peer *p, const struct peer_bfd *cur, struct bfd_key *k)
{
	const struct bgp *b = p->bgp;

	memset(k, 0, sizeof(*k));
	k->peer = p->cfg.addr;
	if (b->vrf != NULL)
		snprintf(k->vrf, sizeof(k->vrf), "%s", b->vrf_name);
	/* FRR's PEER_IS_MULTIHOP: eBGP with ebgp-multihop, or iBGP to an
	 * address outside the connected subnets */
	k->multihop = p->cfg.ebgp_multihop > 1 ||
		      (!bgp_peer_ebgp(p, b->asn) && !connected(b->vrf, &p->cfg.addr));
	if (p->cfg.update_source_addr.af != 0) {
		k->local = p->cfg.update_source_addr;
	} else if (p->cfg.update_source[0] && p->cfg.addr.af == AF_INET) {
		uint32_t a = iface_addr_of(b->vrf != NULL ? b->vrf : vrf_default(), p->cfg.update_source);

		if (a != 0)
			k->local = ipaddr_v4(a);
	}
	if (k->local.af == 0 && k->multihop) {
		if (p->local_addr.af == p->cfg.addr.af)
			k->local = p->local_addr;
		else if (cur != NULL && cur->c != NULL)
			k->local = cur->key.local; /* the connection went; the session stays */
	}
	return !k->multihop || k->local.af != 0;
}

static void drop(struct bgp_peer *p)
{
	struct peer_bfd *pb = p->bfd;

	if (pb == NULL)
		return;
	if (pb->c != NULL)
		bfd_client_del(pb->c);
	free(pb);
	p->bfd = NULL;
}

static void track(struct bgp_peer *p)
{
	struct peer_bfd *pb = p->bfd;
	struct bfd_key k;
	bool complete;

	if (!p->cfg.bfd) {
		drop(p);
		return;
	}
	complete = want_key(p, pb, &k);
	if (pb != NULL && pb->c != NULL && complete && bfd_key_equal(&pb->key, &k) &&
	    pb->min_ttl == min_ttl(p)) {
		if (strcmp(pb->profile, p->cfg.bfd_profile) != 0) {
			/* in place: the session and its discriminator stay */
			snprintf(pb->profile, sizeof(pb->profile), "%s", p->cfg.bfd_profile);
			bfd_client_set_profile(pb->c, pb->profile);
		}
		return;
	}
	if (pb == NULL) {
		pb = xcalloc(1, sizeof(*pb));
		p->bfd = pb;
	}
	if (pb->c != NULL) {
		bfd_client_del(pb->c);
		pb->c = NULL;
	}
	pb->key = k;
	pb->min_ttl = min_ttl(p);
	snprintf(pb->profile, sizeof(pb->profile), "%s", p->cfg.bfd_profile);
	if (complete)
		pb->c = bfd_client_add(&k, pb->profile, k.multihop ? pb->min_ttl : 0, on_state, p);
}

static const char *status(const struct bfd_sess *s)
{
	switch (s->state) {
	case BFD_UP:
		return "Up";
	case BFD_ADMIN_DOWN:
		return "Admin Down";
	default:
		return "Down";
	}
}

static void show(const struct bgp_peer *p, json_object *o)
{
	const struct peer_bfd *pb = p->bfd;
	const struct bfd_sess *s = pb->c != NULL ? bfd_client_sess(pb->c) : NULL;
	json_object *j = json_object_new_object();
	char up[32];
	long t = pb->last_update ? (long)(time(NULL) - pb->last_update) : 0;

	snprintf(up, sizeof(up), "%ld:%02ld:%02ld:%02ld", t / 86400, (t / 3600) % 24, (t / 60) % 60,
		 t % 60);
	json_object_object_add(j, "type",
			       json_object_new_string(pb->key.multihop ? "multi hop" : "single hop"));
	if (pb->profile[0])
		json_object_object_add(j, "profile", json_object_new_string(pb->profile));
	json_object_object_add(j, "detectMultiplier",
			       json_object_new_int(s != NULL ? s->eff.detect_mult : BFD_DEF_MULT));
	json_object_object_add(j, "rxMinInterval",
			       json_object_new_int64(s != NULL ? s->eff.rx_ms : BFD_DEF_RX_MS));
	json_object_object_add(j, "txMinInterval",
			       json_object_new_int64(s != NULL ? s->eff.tx_ms : BFD_DEF_TX_MS));
	json_object_object_add(j, "status", json_object_new_string(s != NULL ? status(s) : "Unknown"));
	json_object_object_add(j, "lastUpdate", json_object_new_string(up));
	json_object_object_add(o, "peerBfdInfo", j);
}

static const struct bgp_bfd_hooks hooks = { track, drop, show };

/* ---- static routes ---- */

struct static_bfd {
	struct bfd_client *c;
	struct vrf *vrf;
	struct static_route *sr;
};

static bool path_down(const struct bfd_sess *s)
{
	return !(s->state == BFD_UP || s->state == BFD_ADMIN_DOWN || s->remote_state == BFD_ADMIN_DOWN);
}

static void static_on_state(void *arg, const struct bfd_sess *s, uint8_t old)
{
	struct static_bfd *sb = arg;
	bool down = path_down(s);

	(void)old;
	if (down != sb->sr->bfd_down) {
		sb->sr->bfd_down = down;
		static_bfd_changed(sb->vrf, sb->sr);
	}
}

static void static_untrack(struct static_route *sr)
{
	struct static_bfd *sb = sr->bfd_handle;

	if (sb == NULL)
		return;
	bfd_client_del(sb->c);
	free(sb);
	sr->bfd_handle = NULL;
}

static void static_track(struct vrf *vrf, struct static_route *sr)
{
	struct static_bfd *sb;
	struct bfd_key k;

	static_untrack(sr);
	sr->bfd_down = false;
	if (!sr->bfd)
		return;
	memset(&k, 0, sizeof(k));
	k.peer = sr->gw;
	k.local = sr->bfd_source;
	k.multihop = sr->bfd_multihop;
	if (!k.multihop)
		snprintf(k.ifname, sizeof(k.ifname), "%s", sr->ifname);
	if (vrf != vrf_default())
		snprintf(k.vrf, sizeof(k.vrf), "%s", vrf->name);
	sb = xcalloc(1, sizeof(*sb));
	sb->vrf = vrf;
	sb->sr = sr;
	sb->c = bfd_client_add(&k, sr->bfd_profile, 0, static_on_state, sb);
	sr->bfd_handle = sb;
	sr->bfd_down = path_down(bfd_client_sess(sb->c));
}

static const struct static_bfd_hooks static_hooks = { static_track, static_untrack };

/* PIC edge: the dataplane watches remote PEs. A PE counts as failed while
 * a session of the default VRF toward its address, which was up, is not
 * (Down or Init, the remote not AdminDown): the session of a BGP neighbor
 * or any `peer` line, single or multi-hop. Its next hops then use their
 * backups, before BGP notices anything. */
static bool sess_failed(const struct bfd_sess *s)
{
	return s->cnt.up > 0 && (s->state == BFD_DOWN || s->state == BFD_INIT) &&
	       s->remote_state != BFD_ADMIN_DOWN;
}

static void pic_observer(const struct bfd_sess *s, uint8_t old, bool gone)
{
	const struct bfd_sess *o;
	bool failed = false;

	(void)old;
	if (s->key.vrf[0] != '\0')
		return;
	for (o = bfd_sess_first(); o != NULL; o = bfd_sess_next(o))
		if ((o != s || !gone) && ipaddr_equal(&o->key.peer, &s->key.peer) &&
		    o->key.vrf[0] == '\0' && sess_failed(o))
			failed = true;
	fwd_ctl_pe_bfd(&s->key.peer, failed);
}

void bfd_clients_init(void)
{
	bgp_set_bfd_hooks(&hooks);
	static_set_bfd_hooks(&static_hooks);
	bfd_set_observer(pic_observer);
}
