/* LDP show commands with FRR's text columns and JSON field names
 * (ldpd/ldp_vty_exec.c shapes, zebra's `show mpls table`):
 *   show mpls ldp neighbor [detail] [json]   {"neighbors":[{"neighborId",...}]},
 *                                             detail keyed by LSR ID ("peerId", ...)
 *   show mpls ldp discovery [json]            {"adjacencies":[...]}
 *   show mpls ldp interface [json]            {"eth1:ipv4":{...}}
 *   show mpls ldp binding [A.B.C.D/M] [detail] [json]
 *                                             {"bindings":[...]}, detail keyed by prefix
 *   clear mpls ldp neighbor [A.B.C.D]
 * Graceful restart (RFC 3478, not in FRR) adds per neighbor "grCapable",
 * "grReconnectTimeMsecs", "grRecoveryTimeMsecs", "grStale" and, while its
 * bindings are stale, "grState", "grStaleBindings", "grRemainingMsecs"; a
 * restarting neighbor whose adjacency is gone is still listed (state
 * NONEXISTENT) while its bindings are kept. Stale remote labels say
 * "stale" in the binding detail.
 * (`show mpls table`, the installed LFIB, is pe/fwd/fwd_ctl.c's.)
 * Labels are strings in the LDP views ("imp-null", "-"), numbers in the
 * LFIB as zebra prints them. One data walk per view builds a json-c tree;
 * text output is rendered from the same objects; the binding view, which
 * grows with the LIB, is written in steps while it walks (see below). */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cmd.h"
#include "ldp/ldpd.h"
#include "lib/jsonw.h"
#include "lib/kbatch.h"
#include "lib/log.h"
#include "lib/prefix.h"

#define MPLS_STR "MPLS information\n"
#define LDP_STR "Label Distribution Protocol\n"

static const char *a4(uint32_t a, char *b)
{
	return addr4_ntop(a, b, ADDR4_STRLEN);
}

/* FRR's log_time(): 00:01:02, 1d02h03m, 01w2d03h */
static const char *uptime_str(time_t since, char *buf, size_t len)
{
	long s = since ? (long)(time(NULL) - since) : 0;

	if (s < 86400)
		snprintf(buf, len, "%02ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
	else if (s < 7 * 86400)
		snprintf(buf, len, "%ldd%02ldh%02ldm", s / 86400, (s / 3600) % 24, (s / 60) % 60);
	else
		snprintf(buf, len, "%02ldw%ldd%02ldh", s / 604800, (s / 86400) % 7, (s / 3600) % 24);
	return buf;
}

static void jstr(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void jint(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

/* ---- neighbor ---- */

/* RFC 3478: what the neighbor advertised in its last Initialization (n, or
 * the helper's record p when its neighbor entry is gone) and whether its
 * bindings are kept stale now. */
static void nbr_gr_json(json_object *o, uint32_t lsr_id, const struct ldp_nbr *n)
{
	const struct ldp_gr_peer *p = ldp_gr_find(ldpd_gr(), lsr_id);
	const struct ldp_ft *ft = n != NULL && n->peer_has_ft ? &n->peer_ft : NULL;
	const struct lde *lde = ldpd_lde();
	uint32_t reconnect = ft ? ft->reconnect_ms : p ? p->reconnect_ms : 0;
	uint32_t recovery = ft ? ft->recovery_ms : p ? p->recovery_ms : 0;

	json_object_object_add(o, "grCapable",
			       json_object_new_boolean(p != NULL || ldp_gr_peer_capable(ft)));
	jint(o, "grReconnectTimeMsecs", reconnect);
	jint(o, "grRecoveryTimeMsecs", recovery);
	json_object_object_add(o, "grStale", json_object_new_boolean(p != NULL));
	if (p == NULL)
		return;
	jstr(o, "grState", ldp_gr_state_name(p->state));
	jint(o, "grStaleBindings", lde ? (int64_t)lde_nbr_stale_count(lde, lsr_id) : 0);
	jint(o, "grRemainingMsecs", ldpd_gr_remaining_ms(p));
}

/* A restarting neighbor without a neighbor entry (its adjacency expired). */
static bool gr_only(const struct ldp_gr_peer *p)
{
	for (const struct ldp_nbr *n = ldpd_nbr_first(); n; n = n->next)
		if (n->lsr_id == p->lsr_id)
			return false;
	return true;
}

static json_object *nbr_detail_json(const struct ldp_nbr *n)
{
	json_object *o = json_object_new_object(), *src = json_object_new_array(), *v4;
	char b[ADDR4_STRLEN], t[32];

	jstr(o, "peerId", a4(n->lsr_id, b));
	jstr(o, "tcpLocalAddress", a4(n->laddr, b));
	jint(o, "tcpLocalPort", n->lport);
	jstr(o, "tcpRemoteAddress", a4(n->raddr, b));
	jint(o, "tcpRemotePort", n->rport);
	jstr(o, "authentication", n->md5 ? "TCP MD5 Signature" : "none");
	jint(o, "sessionHoldtime", n->keepalive);
	jint(o, "keepAliveInterval", n->keepalive / 3);
	jstr(o, "state", ldp_fsm_state_name(n->fsm.state));
	jstr(o, "upTime", uptime_str(n->uptime, t, sizeof(t)));
	jstr(o, "role", n->active ? "active" : "passive");
	json_object_object_add(o, "gtsm", json_object_new_boolean(n->gtsm));
	jint(o, "backoffSeconds", n->backoff);
	jint(o, "initFailures", n->init_failures);
	if (n->last_error[0])
		jstr(o, "lastError", n->last_error);
	v4 = json_object_new_object();
	for (const struct ldp_adj *a = ldpd_adj_first(); a; a = a->next) {
		char s[64];

		if (a->nbr != n)
			continue;
		if (a->type == LDP_ADJ_LINK)
			snprintf(s, sizeof(s), "interface: %s", a->ifname);
		else
			snprintf(s, sizeof(s), "targetedHello: %s", a4(a->src, b));
		json_object_array_add(src, json_object_new_string(s));
	}
	json_object_object_add(v4, "ipv4", src);
	json_object_object_add(o, "discoverySources", v4);
	nbr_gr_json(o, n->lsr_id, n);
	/* the peer's Address messages (RFC 5036 3.5.5), JSON only (not in FRR) */
	src = json_object_new_array();
	for (int i = 0; i < n->naddr; i++)
		json_object_array_add(src, json_object_new_string(a4(n->addrs[i], b)));
	json_object_object_add(o, "addresses", src);
	return o;
}

static const char *js(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_string(v) : "";
}

static void nbr_gr_text(struct cli *cli, json_object *n)
{
	if (strcmp(js(n, "grCapable"), "true") != 0) {
		cli_out(cli, "  Graceful Restart: not capable\n");
		return;
	}
	cli_out(cli, "  Graceful Restart: capable; Reconnect Time: %s ms; Recovery Time: %s ms\n",
		js(n, "grReconnectTimeMsecs"), js(n, "grRecoveryTimeMsecs"));
	if (strcmp(js(n, "grStale"), "true") == 0)
		cli_out(cli, "  Stale bindings: %s (%s, %s ms left)\n", js(n, "grStaleBindings"),
			js(n, "grState"), js(n, "grRemainingMsecs"));
}

/* FRR's `show mpls ldp neighbor detail` text, from the JSON objects */
static void nbr_detail_text(struct cli *cli, json_object *all)
{
	json_object_object_foreach(all, id, n)
	{
		json_object *src = NULL, *v4 = NULL;

		cli_out(cli, "Peer LDP Identifier: %s:0\n", id);
		if (!json_object_object_get_ex(n, "tcpLocalAddress", NULL)) {
			/* a restarting neighbor kept by graceful restart only */
			cli_out(cli, "  State: %s\n", js(n, "state"));
			nbr_gr_text(cli, n);
			cli_out(cli, "\n");
			continue;
		}
		cli_out(cli, "  TCP connection: %s:%s - %s:%s\n", js(n, "tcpLocalAddress"),
			js(n, "tcpLocalPort"), js(n, "tcpRemoteAddress"), js(n, "tcpRemotePort"));
		cli_out(cli, "  Authentication: %s\n", js(n, "authentication"));
		cli_out(cli, "  Session Holdtime: %s secs; KeepAlive interval: %s secs\n",
			js(n, "sessionHoldtime"), js(n, "keepAliveInterval"));
		cli_out(cli, "  State: %s; Downstream-Unsolicited\n", js(n, "state"));
		cli_out(cli, "  Up time: %s\n", js(n, "upTime"));
		cli_out(cli, "  Role: %s; GTSM: %s; Backoff: %s secs\n", js(n, "role"), js(n, "gtsm"),
			js(n, "backoffSeconds"));
		if (*js(n, "lastError"))
			cli_out(cli, "  Last error: %s\n", js(n, "lastError"));
		nbr_gr_text(cli, n);
		cli_out(cli, "  LDP Discovery Sources:\n    IPv4:\n");
		if (json_object_object_get_ex(n, "discoverySources", &src) &&
		    json_object_object_get_ex(src, "ipv4", &v4))
			for (size_t i = 0; i < json_object_array_length(v4); i++)
				cli_out(cli, "      %s\n",
					json_object_get_string(json_object_array_get_idx(v4, i)));
		cli_out(cli, "\n");
	}
}

/* Restarting neighbors whose entry is gone: their stale bindings are
 * still in use, so they are listed (state NONEXISTENT). */
static void show_nbr_gr_only(struct cli *cli, const struct cmd_args *a, uint32_t only, bool detail,
			     json_object *o, json_object *arr)
{
	char b[ADDR4_STRLEN];

	for (const struct ldp_gr_peer *p = ldp_gr_first(ldpd_gr()); p; p = p->next) {
		json_object *e = json_object_new_object();
		const char *st = ldp_fsm_state_name(LDP_NBR_STA_NONEXISTENT);

		if ((only != 0 && p->lsr_id != only) || !gr_only(p)) {
			json_object_put(e);
			continue;
		}
		if (detail) {
			jstr(e, "peerId", a4(p->lsr_id, b));
			jstr(e, "state", st);
		} else {
			jstr(e, "addressFamily", "ipv4");
			jstr(e, "neighborId", a4(p->lsr_id, b));
			jstr(e, "state", st);
		}
		nbr_gr_json(e, p->lsr_id, NULL);
		if (detail)
			json_object_object_add(o, a4(p->lsr_id, b), e);
		else
			json_object_array_add(arr, e);
		if (!detail && !cmd_has(a, "json"))
			cli_out(cli, "ipv4 %-15s %-11s %-15s %8s\n", a4(p->lsr_id, b), st, "-",
				"-");
	}
}

static int show_nbr_cmd(struct cli *cli, const struct cmd_args *a)
{
	bool detail = cmd_has(a, "detail");
	uint32_t only = 0;
	json_object *o, *arr;
	char b[ADDR4_STRLEN], t[32];

	if (cmd_has(a, "lsr") && addr4_parse(cmd_arg(a, "lsr"), &only) != 0)
		return CMD_ERROR;
	o = json_object_new_object();
	arr = json_object_new_array();
	if (!cmd_has(a, "json") && !detail)
		cli_out(cli, "AF   ID              State       Remote Address    Uptime\n");
	for (const struct ldp_nbr *n = ldpd_nbr_first(); n; n = n->next) {
		json_object *e;

		if (only != 0 && n->lsr_id != only)
			continue;
		if (detail) {
			json_object_object_add(o, a4(n->lsr_id, b), nbr_detail_json(n));
			continue;
		}
		e = json_object_new_object();
		jstr(e, "addressFamily", "ipv4");
		jstr(e, "neighborId", a4(n->lsr_id, b));
		jstr(e, "state", ldp_fsm_state_name(n->fsm.state));
		jstr(e, "transportAddress", a4(n->raddr, b));
		jstr(e, "upTime", uptime_str(n->uptime, t, sizeof(t)));
		nbr_gr_json(e, n->lsr_id, n);
		json_object_array_add(arr, e);
		if (!cmd_has(a, "json"))
			cli_out(cli, "ipv4 %-15s %-11s %-15s %8s\n", a4(n->lsr_id, b),
				ldp_fsm_state_name(n->fsm.state),
				addr4_ntop(n->raddr, (char[ADDR4_STRLEN]){ 0 }, ADDR4_STRLEN), t);
	}
	show_nbr_gr_only(cli, a, only, detail, o, arr);
	if (!detail)
		json_object_object_add(o, "neighbors", arr);
	else
		json_object_put(arr);
	if (cmd_has(a, "json"))
		cli_json(cli, o);
	else if (detail)
		nbr_detail_text(cli, o);
	if (!cmd_has(a, "json"))
		json_object_put(o);
	return CMD_SUCCESS;
}

/* ---- discovery ---- */

static int show_disc_cmd(struct cli *cli, const struct cmd_args *a)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	char b[ADDR4_STRLEN], t[ADDR4_STRLEN];
	bool json = cmd_has(a, "json");

	jstr(o, "lsrId", a4(ldpd_router_id(), b));
	jstr(o, "transportAddressIPv4", a4(ldpd_transport_addr(), b));
	if (!json)
		cli_out(cli, "AF   ID              Type     Source           Holdtime\n");
	for (const struct ldp_adj *ad = ldpd_adj_first(); ad; ad = ad->next) {
		json_object *e = json_object_new_object();
		bool link = ad->type == LDP_ADJ_LINK;

		jstr(e, "addressFamily", "ipv4");
		jstr(e, "neighborId", a4(ad->lsr_id, b));
		jstr(e, "type", link ? "link" : "targeted");
		if (link)
			jstr(e, "interface", ad->ifname);
		else
			jstr(e, "peer", a4(ad->src, t));
		jstr(e, "sourceAddress", a4(ad->src, t));
		jstr(e, "transportAddress", a4(ad->trans_addr, t));
		jint(e, "helloHoldtime", ad->holdtime);
		json_object_array_add(arr, e);
		if (!json)
			cli_out(cli, "ipv4 %-15s %-8s %-15s %9u\n", b, link ? "Link" : "Targeted",
				link ? ad->ifname : a4(ad->src, t), ad->holdtime);
	}
	json_object_object_add(o, "adjacencies", arr);
	if (json)
		cli_json(cli, o);
	else
		json_object_put(o);
	return CMD_SUCCESS;
}

/* ---- interface ---- */

static int show_iface_cmd(struct cli *cli, const struct cmd_args *a)
{
	json_object *o = json_object_new_object();
	bool json = cmd_has(a, "json");

	if (!json)
		cli_out(cli, "AF   Interface   State  Uptime   Hello Timers  ac\n");
	for (int i = 0; i < ldpd_conf.niface; i++) {
		const struct ldp_iface_conf *ic = &ldpd_conf.iface[i];
		json_object *e = json_object_new_object();
		char key[40], timers[24], up[32], err[64];
		const char *state;
		int nadj = 0;
		uint16_t hold = ic->hello_hold ? ic->hello_hold
			      : ldpd_conf.link_hold ? ldpd_conf.link_hold : LDP_DEF_LINK_HOLD;
		uint16_t iv = ic->hello_interval ? ic->hello_interval
			    : ldpd_conf.link_interval ? ldpd_conf.link_interval
						      : LDP_DEF_LINK_INTERVAL;

		for (const struct ldp_adj *ad = ldpd_adj_first(); ad; ad = ad->next)
			if (ad->type == LDP_ADJ_LINK && strcmp(ad->ifname, ic->name) == 0)
				nadj++;
		jstr(e, "name", ic->name);
		jstr(e, "addressFamily", "ipv4");
		state = ldpd_iface_state(ic->name, err, sizeof(err));
		jstr(e, "state", state);
		if (err[0])
			jstr(e, "error", err);
		jstr(e, "upTime", uptime_str(ldpd_iface_uptime(ic->name), up, sizeof(up)));
		jint(e, "helloInterval", iv);
		jint(e, "helloHoldtime", hold);
		jint(e, "adjacencyCount", nadj);
		snprintf(key, sizeof(key), "%s: ipv4", ic->name); /* sic, as FRR */
		json_object_object_add(o, key, e);
		snprintf(timers, sizeof(timers), "%u/%u", iv, hold);
		if (!json)
			cli_out(cli, "ipv4 %-11s %-6s %-8s %-12s %3d%s%s\n", ic->name, state, up,
				timers, nadj, err[0] ? "  " : "", err);
	}
	if (json)
		cli_json(cli, o);
	else
		json_object_put(o);
	return CMD_SUCCESS;
}

/* ---- binding ----
 *
 * Written while the LIB is walked, in steps (cli_defer: pe/ctl.c runs them
 * as the client reads), so a million bindings never sit in memory as one
 * json-c tree or one text buffer; the bytes are those the tree gave
 * (lib/jsonw.c prints json-c's format). The cursor is the last FEC taken:
 * each pass over the (hash) LIB keeps the next BIND_BATCH FECs above it,
 * or an eighth of the LIB if that is more (at most 8 passes; 1 MB of keys
 * up to 1M FECs), sorts them, and each FEC is looked up again when its
 * turn comes, so FECs may
 * come and go during a dump: one present for the whole dump is shown once,
 * in prefix order, as it is when written; one added or removed meanwhile
 * may or may not be. */
#define BIND_BATCH 131072u /* FECs per pass, at least: 1 MB of keys */
#define BIND_STEP 128u     /* FECs written per step */

struct bind_ctx {
	struct cli *cli;
	struct jsonw jw;
	bool detail, json;
	struct kbatch kb;     /* this pass's FECs (struct prefix4), the cursor */
	bool one;
};

static void bind_row(struct bind_ctx *c, const char *pfx, uint32_t nbr, const char *local,
		     const char *remote, bool in_use)
{
	json_object *e;
	char b[ADDR4_STRLEN];

	a4(nbr, b);
	if (!c->json) {
		cli_out(c->cli, "ipv4 %-18s %-15s %-11s %-13s %6s\n", pfx, b, local, remote,
			in_use ? "yes" : "no");
		return;
	}
	e = json_object_new_object();
	jstr(e, "addressFamily", "ipv4");
	jstr(e, "prefix", pfx);
	jstr(e, "neighborId", b);
	jstr(e, "localLabel", local);
	jstr(e, "remoteLabel", remote);
	jint(e, "inUse", in_use);
	jsonw_value(&c->jw, NULL, e);
}

/* FRR's `show mpls ldp binding detail` text of one FEC */
static void binding_detail_text(struct cli *cli, const char *pfx, json_object *d)
{
	json_object *adv = NULL, *rem = NULL;

	cli_out(cli, "%s\n        Local binding: label: %s\n", pfx, js(d, "localLabel"));
	json_object_object_get_ex(d, "advertisedTo", &adv);
	json_object_object_get_ex(d, "remoteLabels", &rem);
	if (adv && json_object_array_length(adv) > 0) {
		cli_out(cli, "        Advertised to:\n");
		for (size_t i = 0; i < json_object_array_length(adv); i++)
			cli_out(cli, "            %s:0\n",
				js(json_object_array_get_idx(adv, i), "neighborId"));
	}
	if (rem == NULL || json_object_array_length(rem) == 0) {
		cli_out(cli, "        No remote bindings\n");
		return;
	}
	cli_out(cli, "        Remote bindings:\n");
	for (size_t i = 0; i < json_object_array_length(rem); i++) {
		json_object *r = json_object_array_get_idx(rem, i);

		cli_out(cli, "            %s:0, label %s%s%s\n", js(r, "neighborId"),
			js(r, "label"), strcmp(js(r, "inUse"), "1") == 0 ? " (in use)" : "",
			strcmp(js(r, "stale"), "true") == 0 ? " (stale)" : "");
	}
}

static int bind_fec_cb(void *arg, const struct lde_fec_info *fi)
{
	struct bind_ctx *c = arg;
	char pfx[PREFIX4_STRLEN], local[16], remote[16], b[ADDR4_STRLEN];
	json_object *d, *adv, *rem;
	bool any = false;

	prefix4_ntop(&fi->pfx, pfx, sizeof(pfx));
	lde_label_str(fi->local_label, local, sizeof(local));
	if (!c->detail) {
		for (int i = 0; i < fi->nbindings; i++) {
			const struct lde_binding_info *bi = &fi->bindings[i];

			if (bi->remote_label == MPLS_LABEL_NONE)
				continue;
			any = true;
			bind_row(c, pfx, bi->lsr_id, local,
				 lde_label_str(bi->remote_label, remote, sizeof(remote)),
				 bi->in_use);
		}
		if (!any)
			bind_row(c, pfx, 0, local, "-", false);
		return 0;
	}
	d = json_object_new_object();
	adv = json_object_new_array();
	rem = json_object_new_array();
	jstr(d, "localLabel", local);
	for (int i = 0; i < fi->nbindings; i++) {
		const struct lde_binding_info *bi = &fi->bindings[i];
		json_object *e;

		if (bi->sent_label != MPLS_LABEL_NONE) {
			e = json_object_new_object();
			jstr(e, "neighborId", a4(bi->lsr_id, b));
			json_object_array_add(adv, e);
		}
		if (bi->remote_label != MPLS_LABEL_NONE) {
			e = json_object_new_object();
			jstr(e, "neighborId", a4(bi->lsr_id, b));
			jstr(e, "label", lde_label_str(bi->remote_label, remote, sizeof(remote)));
			jint(e, "inUse", bi->in_use);
			if (bi->stale) /* RFC 3478: kept across its restart */
				json_object_object_add(e, "stale", json_object_new_boolean(true));
			json_object_array_add(rem, e);
		}
	}
	json_object_object_add(d, "advertisedTo", adv);
	json_object_object_add(d, "remoteLabels", rem);
	if (c->json) {
		jsonw_value(&c->jw, pfx, d);
	} else {
		binding_detail_text(c->cli, pfx, d);
		json_object_put(d);
	}
	return 0;
}

static int bind_key_cmp(const void *a, const void *b)
{
	return prefix4_cmp(a, b);
}

/* pass: the batch keeps the smallest FECs above the cursor, from the
 * unordered LIB */
static void bind_pick(void *arg, const struct prefix4 *fec)
{
	kbatch_offer(&((struct bind_ctx *)arg)->kb, fec);
}

static void bind_pass(struct bind_ctx *c, const struct lde *lde)
{
	struct lde_stats st;
	size_t cap;

	lde_get_stats(lde, &st);
	cap = st.fecs / 8 > BIND_BATCH ? st.fecs / 8 : BIND_BATCH;
	kbatch_begin(&c->kb, cap);
	lde_fec_keys(lde, bind_pick, c);
	kbatch_end(&c->kb);
}

static int bind_end(struct bind_ctx *c)
{
	if (c->json) {
		if (!c->detail)
			jsonw_close(&c->jw); /* bindings */
		jsonw_close(&c->jw);
	}
	return CMD_SUCCESS;
}

static int bind_step(struct cli *cli, void *arg)
{
	struct bind_ctx *c = arg;
	const struct lde *lde = ldpd_lde();
	unsigned n;

	(void)cli;
	if (lde == NULL) /* LDP went away: end here */
		return bind_end(c);
	if (c->kb.next == c->kb.n) {
		if (c->kb.exhausted)
			return bind_end(c);
		bind_pass(c, lde);
		return CMD_PENDING;
	}
	for (n = 0; n < BIND_STEP && c->kb.next < c->kb.n; n++, c->kb.next++)
		lde_fec_get(lde, kbatch_at(&c->kb, c->kb.next), bind_fec_cb, c); /* gone: -1, skipped */
	return CMD_PENDING;
}

static void bind_free(void *arg)
{
	struct bind_ctx *c = arg;

	kbatch_free(&c->kb);
	free(c);
}

static void bind_write(void *arg, const char *buf, size_t len)
{
	cli_write(arg, buf, len);
}

static int show_binding_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bind_ctx *c = xcalloc(1, sizeof(*c));
	const char *only = cmd_arg(a, "prefix");

	c->cli = cli;
	c->detail = cmd_has(a, "detail");
	c->json = cmd_has(a, "json");
	kbatch_init(&c->kb, sizeof(struct prefix4), bind_key_cmp);
	if (only != NULL) {
		/* FRR's `show mpls ldp binding A.B.C.D/M`: that FEC only */
		struct prefix4 fec;

		if (prefix4_parse(only, &fec, NULL) != 0) {
			bind_free(c);
			cli_out(cli, "%% Malformed prefix: %s\n", only);
			return CMD_ERROR;
		}
		prefix4_apply_mask(&fec);
		kbatch_begin(&c->kb, 1); /* a batch of one, the only one */
		kbatch_offer(&c->kb, &fec);
		kbatch_end(&c->kb);
	}
	if (!c->json && !c->detail)
		cli_out(cli, "AF   Destination        Nexthop         Local Label Remote Label  In Use\n");
	if (c->json) {
		jsonw_init(&c->jw, bind_write, cli);
		jsonw_open(&c->jw, NULL, '{');
		if (!c->detail)
			jsonw_open(&c->jw, "bindings", '[');
	}
	return cli_defer(cli, bind_step, bind_free, c);
}

static int debug_ldp_cmd(struct cli *cli, const struct cmd_args *a)
{
	unsigned bit = cmd_has(a, "messages") ? LDP_DEBUG_MESSAGES : LDP_DEBUG_EVENTS;

	(void)cli;
	ldpd_set_debug(cmd_is_no(a) ? (ldp_debug & ~bit) : (ldp_debug | bit));
	return CMD_SUCCESS;
}

/* FRR's `clear mpls ldp neighbor [A.B.C.D]`: sessions reset (the active
 * side reconnects), stale bindings of restarting neighbors deleted now. */
static int clear_nbr_cmd(struct cli *cli, const struct cmd_args *a)
{
	uint32_t id = 0;

	if (cmd_has(a, "lsr") && addr4_parse(cmd_arg(a, "lsr"), &id) != 0) {
		cli_out(cli, "%% Malformed address\n");
		return CMD_ERROR;
	}
	ldpd_clear_neighbor(id);
	return CMD_SUCCESS;
}

static int show_debugging_ldp_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	cli_out(cli, "LDP debugging status:\n");
	if (ldp_debug & LDP_DEBUG_MESSAGES)
		cli_out(cli, "  LDP messages debugging is on\n");
	if (ldp_debug & LDP_DEBUG_EVENTS)
		cli_out(cli, "  LDP events debugging is on\n");
	return CMD_SUCCESS;
}

static const struct cmd_def show_cmds[] = {
	{ "[no] debug mpls ldp <messages|events>",
	  NO_STR "Debugging functions\n" MPLS_STR LDP_STR
	  "Every LDP message sent and received (type, neighbor, FEC, label)\n"
	  "Adjacency and session events\n",
	  debug_ldp_cmd },
	{ "show debugging mpls ldp", SHOW_STR "State of each debugging option\n" MPLS_STR LDP_STR,
	  show_debugging_ldp_cmd },
	{ "show mpls ldp neighbor [A.B.C.D$lsr] [detail] [json]",
	  SHOW_STR MPLS_STR LDP_STR "Neighbor information\nNeighbor LSR-ID\nShow detailed information\n" JSON_STR,
	  show_nbr_cmd },
	{ "clear mpls ldp neighbor [A.B.C.D$lsr]",
	  "Reset functions\n" MPLS_STR LDP_STR "Clear LDP neighbor sessions\nNeighbor LSR-ID\n",
	  clear_nbr_cmd },
	{ "show mpls ldp discovery [json]",
	  SHOW_STR MPLS_STR LDP_STR "Discovery Hello Information\n" JSON_STR, show_disc_cmd },
	{ "show mpls ldp interface [json]",
	  SHOW_STR MPLS_STR LDP_STR "interface information\n" JSON_STR, show_iface_cmd },
	{ "show mpls ldp binding [detail] [json]",
	  SHOW_STR MPLS_STR LDP_STR "Label Information Base (LIB) information\n"
				    "Show detailed information\n" JSON_STR,
	  show_binding_cmd },
	{ "show mpls ldp binding A.B.C.D/M$prefix [detail] [json]",
	  SHOW_STR MPLS_STR LDP_STR "Label Information Base (LIB) information\n"
				    "Destination prefix\n" "Show detailed information\n" JSON_STR,
	  show_binding_cmd },
};

void ldp_show_init(void)
{
	cmd_install_table(NODE_VIEW, show_cmds, ARRAY_SIZE(show_cmds));
}
