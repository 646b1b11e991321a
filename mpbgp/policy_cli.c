/* Policy configuration commands in FRR's syntax (see policy.h): prefix-lists,
 * community / large-community / extcommunity lists, AS-path access lists,
 * route-maps and their `route-map NAME permit|deny N` sub-mode, the show
 * commands (text and FRR's JSON field names) and the running-config.
 * Handlers parse and validate, then call policy.c; a refused line changes
 * nothing. */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "mpbgp/policy.h"

#define POLICY_PREPEND_MAX 32
#define POLICY_SET_MAX 64 /* values in one set community / set extcommunity rt */

static bool is_permit(const struct cmd_args *a)
{
	const char *s = cmd_arg(a, "action");

	return s != NULL && strcmp(s, "permit") == 0;
}

static uint32_t arg_u32(const struct cmd_args *a, const char *name)
{
	return (uint32_t)cmd_arg_u64(a, name);
}

static int fail(struct cli *cli, const char *err)
{
	cli_out(cli, "%s\n", err);
	return CMD_ERROR;
}

/* ------------------------------------------------------------ prefix-lists */

static int plist_cmd(struct cli *cli, const struct cmd_args *a, int af)
{
	char err[256];
	const char *pfx = cmd_has(a, "any") ? NULL : cmd_arg(a, "pfx");

	if (policy_plist_add(af, cmd_arg(a, "name"), arg_u32(a, "seq"), is_permit(a), pfx,
			     (unsigned)cmd_arg_u64(a, "ge"), (unsigned)cmd_arg_u64(a, "le"), err,
			     sizeof(err)) != 0)
		return fail(cli, err);
	return CMD_SUCCESS;
}

static int no_plist_cmd(struct cli *cli, const struct cmd_args *a, int af)
{
	char err[256], ps[PREFIX_STRLEN];
	const char *name = cmd_arg(a, "name");
	uint32_t seq = arg_u32(a, "seq");
	const struct plist *pl = policy_obj_lookup(af == AF_INET ? POBJ_PLIST4 : POBJ_PLIST6, name);
	size_t i;
	int rc;

	if (cmd_arg(a, "action") != NULL) {
		rc = policy_plist_del_entry(af, name, seq, is_permit(a),
					    cmd_has(a, "any") ? NULL : cmd_arg(a, "pfx"),
					    (unsigned)cmd_arg_u64(a, "ge"),
					    (unsigned)cmd_arg_u64(a, "le"), err, sizeof(err));
	} else if (seq != 0) {
		/* `no ip prefix-list NAME seq N`: the entry at N, whatever it is */
		for (i = 0; pl != NULL && i < pl->n && pl->e[i].seq != seq; i++)
			;
		if (pl == NULL || i == pl->n)
			return fail(cli, "% Can't find specified prefix-list entry");
		prefix_ntop(&pl->e[i].p, ps, sizeof(ps));
		rc = policy_plist_del_entry(af, name, seq, pl->e[i].permit,
					    pl->e[i].any ? NULL : ps, pl->e[i].ge, pl->e[i].le,
					    err, sizeof(err));
	} else {
		rc = policy_plist_del(af, name, err, sizeof(err));
	}
	return rc != 0 ? fail(cli, err) : CMD_SUCCESS;
}

static int ip_plist_cmd(struct cli *cli, const struct cmd_args *a)
{
	return plist_cmd(cli, a, AF_INET);
}

static int ipv6_plist_cmd(struct cli *cli, const struct cmd_args *a)
{
	return plist_cmd(cli, a, AF_INET6);
}

static int no_ip_plist_cmd(struct cli *cli, const struct cmd_args *a)
{
	return no_plist_cmd(cli, a, AF_INET);
}

static int no_ipv6_plist_cmd(struct cli *cli, const struct cmd_args *a)
{
	return no_plist_cmd(cli, a, AF_INET6);
}

static int plist_descr_cmd(struct cli *cli, const struct cmd_args *a)
{
	int af = cmd_has(a, "ipv6") ? AF_INET6 : AF_INET;
	const char *name = cmd_arg(a, "name");

	if (strlen(name) > POLICY_NAME_MAX)
		return fail(cli, "% Name too long");
	if (policy_plist_descr(af, name, cmd_is_no(a) ? NULL : cmd_arg(a, "LINE")) != 0)
		return fail(cli, "% Can't find specified prefix-list");
	return CMD_SUCCESS;
}

/* ------------------------------------------------------------ community lists */

static enum clist_kind clist_kind_of(const struct cmd_args *a)
{
	if (cmd_has(a, "large-community-list"))
		return CLIST_LCOMM;
	if (cmd_has(a, "extcommunity-list"))
		return CLIST_ECOMM;
	return CLIST_COMM;
}

static int clist_cmd(struct cli *cli, const struct cmd_args *a)
{
	char err[256];
	const char *name = cmd_arg(a, "name");
	bool expanded = cmd_has(a, "expanded");

	if (name == NULL) { /* numbered: 1-99 standard, 100-500 expanded */
		name = cmd_arg(a, "num");
		expanded = cmd_arg_u64(a, "num") >= 100;
	}
	if (policy_clist_add(clist_kind_of(a), expanded, name, arg_u32(a, "seq"), is_permit(a),
			     cmd_arg(a, "LINE"), err, sizeof(err)) != 0)
		return fail(cli, err);
	return CMD_SUCCESS;
}

static int no_clist_cmd(struct cli *cli, const struct cmd_args *a)
{
	char err[256];
	const char *name = cmd_arg(a, "name") ? cmd_arg(a, "name") : cmd_arg(a, "num");

	if (policy_clist_del(clist_kind_of(a), name, cmd_arg(a, "action") != NULL, is_permit(a),
			     cmd_arg(a, "LINE"), err, sizeof(err)) != 0)
		return fail(cli, err);
	return CMD_SUCCESS;
}

/* ------------------------------------------------------------ as-path lists */

static int aslist_cmd(struct cli *cli, const struct cmd_args *a)
{
	char err[256];

	if (policy_aslist_add(cmd_arg(a, "name"), arg_u32(a, "seq"), is_permit(a),
			      cmd_arg(a, "LINE"), err, sizeof(err)) != 0)
		return fail(cli, err);
	return CMD_SUCCESS;
}

static int no_aslist_cmd(struct cli *cli, const struct cmd_args *a)
{
	char err[256];

	if (policy_aslist_del(cmd_arg(a, "name"), arg_u32(a, "seq"), cmd_arg(a, "LINE"), err,
			      sizeof(err)) != 0)
		return fail(cli, err);
	return CMD_SUCCESS;
}

/* ------------------------------------------------------------ route-map NAME */

static int route_map_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "name");
	uint32_t seq = arg_u32(a, "seq");
	char ctx[96];

	if (strlen(name) > POLICY_NAME_MAX)
		return fail(cli, "% Route-map name too long");
	if (policy_rmap_entry(name, is_permit(a), seq, true) == NULL)
		return fail(cli, "% Could not create route-map entry");
	snprintf(ctx, sizeof(ctx), "%s %u", name, seq);
	cli_set_node(cli, NODE_ROUTE_MAP, ctx);
	return CMD_SUCCESS;
}

static int no_route_map_cmd(struct cli *cli, const struct cmd_args *a)
{
	char err[256];

	if (policy_rmap_del(cmd_arg(a, "name"), cmd_arg(a, "action") != NULL, is_permit(a),
			    arg_u32(a, "seq"), err, sizeof(err)) != 0)
		return fail(cli, err);
	return CMD_SUCCESS;
}

/* The entry of the sub-mode, from the context "NAME SEQ". */
static struct rm_entry *ctx_entry(struct cli *cli, char *name, size_t len)
{
	const char *ctx = cli_node_ctx(cli, NODE_ROUTE_MAP), *sp;
	struct rm_entry *e = NULL;

	if (ctx != NULL && (sp = strrchr(ctx, ' ')) != NULL && (size_t)(sp - ctx) < len) {
		memcpy(name, ctx, (size_t)(sp - ctx));
		name[sp - ctx] = '\0';
		e = policy_rmap_entry(name, true, (uint32_t)strtoul(sp + 1, NULL, 10), false);
	}
	if (e == NULL)
		cli_out(cli, "%% route-map entry %s no longer exists\n", ctx ? ctx : "");
	return e;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
}

static const struct {
	const char *kw; /* the words after "match" */
	enum rm_match m;
} match_kw[] = {
	{ "address", RM_MATCH_IP_PL },	      { "next-hop", RM_MATCH_NH_PL },
	{ "community", RM_MATCH_COMM },	      { "large-community", RM_MATCH_LCOMM },
	{ "extcommunity", RM_MATCH_ECOMM },   { "as-path", RM_MATCH_ASPATH },
	{ "source-vrf", RM_MATCH_SRC_VRF },   { "metric", RM_MATCH_METRIC },
	{ "local-preference", RM_MATCH_LPREF },
};

static int match_cmd(struct cli *cli, const struct cmd_args *a)
{
	char map[POLICY_NAME_MAX + 1];
	struct rm_entry *e = ctx_entry(cli, map, sizeof(map));
	const char *name = cmd_arg(a, "name");
	int m = -1;
	size_t i;

	if (e == NULL)
		return CMD_ERROR;
	for (i = 0; i < ARRAY_SIZE(match_kw) && m < 0; i++)
		if (cmd_has(a, match_kw[i].kw))
			m = match_kw[i].m;
	if (m == RM_MATCH_IP_PL && cmd_has(a, "ipv6"))
		m = RM_MATCH_IPV6_PL;
	if (m < 0)
		return fail(cli, "% Unknown match clause");
	if (cmd_is_no(a)) {
		if (e->match[m] == NULL || (name != NULL && strcmp(name, e->match[m]) != 0))
			return fail(cli, "% This match clause is not configured");
		set_str(&e->match[m], NULL);
		if (m == RM_MATCH_COMM)
			e->comm_exact = false;
	} else {
		if (strlen(name) > POLICY_NAME_MAX)
			return fail(cli, "% Name too long");
		set_str(&e->match[m], name);
		if (m == RM_MATCH_COMM)
			e->comm_exact = cmd_has(a, "exact-match");
	}
	policy_notify();
	return CMD_SUCCESS;
}

static int parse_communities(struct cli *cli, const char *line, uint32_t *v, uint16_t *n,
			     bool *additive, bool *none)
{
	char *copy = xstrdup(line), *save = NULL, *w;
	int rc = 0;

	*n = 0;
	*additive = *none = false;
	for (w = strtok_r(copy, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
		if (strcmp(w, "additive") == 0 && *n > 0) {
			*additive = true;
		} else if (strcmp(w, "none") == 0 && *n == 0 && !*none) {
			*none = true;
		} else if (*additive || *none || *n >= POLICY_SET_MAX ||
			   policy_comm_parse(w, &v[*n]) != 0) {
			cli_out(cli, "%% Malformed communities attribute \"%s\"\n", w);
			rc = -1;
			break;
		} else {
			(*n)++;
		}
	}
	free(copy);
	if (rc == 0 && *n == 0 && !*none) {
		cli_out(cli, "%% Malformed communities attribute: no value\n");
		rc = -1;
	}
	return rc;
}

static int parse_ecomms(struct cli *cli, const char *line, uint8_t sub, struct ecomm *v,
			uint16_t *n)
{
	char *copy = xstrdup(line), *save = NULL, *w, err[128];
	int rc = 0;

	*n = 0;
	for (w = strtok_r(copy, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
		if (*n >= POLICY_SET_MAX || ecomm_parse(w, sub, &v[*n], err, sizeof(err)) != 0) {
			cli_out(cli, "%% Malformed extended community \"%s\": %s\n", w,
				*n >= POLICY_SET_MAX ? "too many values" : err);
			rc = -1;
			break;
		}
		(*n)++;
	}
	free(copy);
	return rc;
}

static int parse_asns(struct cli *cli, const char *line, uint32_t *v, uint16_t *n)
{
	char *copy = xstrdup(line), *save = NULL, *w, *end;
	int rc = 0;

	*n = 0;
	for (w = strtok_r(copy, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
		unsigned long long x = strtoull(w, &end, 10);

		if (*w < '1' || *w > '9' || *end != '\0' || x > UINT32_MAX ||
		    *n >= POLICY_PREPEND_MAX) {
			cli_out(cli, "%% Invalid AS number \"%s\" (1-4294967295, at most %d)\n", w,
				POLICY_PREPEND_MAX);
			rc = -1;
			break;
		}
		v[(*n)++] = (uint32_t)x;
	}
	free(copy);
	return rc;
}

static int set_cmd(struct cli *cli, const struct cmd_args *a)
{
	char map[POLICY_NAME_MAX + 1];
	struct rm_entry *e = ctx_entry(cli, map, sizeof(map));
	const char *v;

	if (e == NULL)
		return CMD_ERROR;
	if (cmd_has(a, "local-preference")) {
		e->lpref = arg_u32(a, "val");
		e->sets |= RM_SET_LPREF;
	} else if (cmd_has(a, "weight")) {
		e->weight = arg_u32(a, "val");
		e->sets |= RM_SET_WEIGHT;
	} else if (cmd_has(a, "metric")) {
		char *end;
		unsigned long long x;

		if ((v = cmd_arg(a, "expr")) == NULL) {
			e->metric = arg_u32(a, "val");
			e->metric_op = '=';
		} else {
			x = strtoull(v + 1, &end, 10);
			if ((v[0] != '+' && v[0] != '-') || v[1] < '0' || v[1] > '9' ||
			    *end != '\0' || x > UINT32_MAX)
				return fail(cli, "% Invalid metric: (0-4294967295), +N or -N");
			e->metric = (uint32_t)x;
			e->metric_op = v[0];
		}
		e->sets |= RM_SET_METRIC;
	} else if (cmd_has(a, "origin")) {
		v = cmd_arg(a, "origin");
		e->origin = strcmp(v, "igp") == 0   ? BGP_ORIGIN_IGP
			    : strcmp(v, "egp") == 0 ? BGP_ORIGIN_EGP
						    : BGP_ORIGIN_INCOMPLETE;
		e->sets |= RM_SET_ORIGIN;
	} else if (cmd_has(a, "community")) {
		uint32_t c[POLICY_SET_MAX];
		uint16_t n;
		bool add, none;

		if (parse_communities(cli, cmd_arg(a, "LINE"), c, &n, &add, &none) != 0)
			return CMD_ERROR;
		policy_rmap_entry_clear_sets(e, RM_SET_COMM);
		e->comm = n ? xmalloc(n * sizeof(*c)) : NULL;
		if (n)
			memcpy(e->comm, c, n * sizeof(*c));
		e->ncomm = n;
		e->comm_additive = add;
		e->sets |= RM_SET_COMM;
	} else if (cmd_has(a, "comm-list")) {
		if (strlen(cmd_arg(a, "name")) > POLICY_NAME_MAX)
			return fail(cli, "% Name too long");
		set_str(&e->comm_delete, cmd_arg(a, "name"));
		e->sets |= RM_SET_COMM_DELETE;
	} else if (cmd_has(a, "rt")) {
		struct ecomm ec[POLICY_SET_MAX];
		uint16_t n;

		if (parse_ecomms(cli, cmd_arg(a, "LINE"), ECOMM_SUB_RT, ec, &n) != 0)
			return CMD_ERROR;
		policy_rmap_entry_clear_sets(e, RM_SET_RT);
		e->rt = xmalloc(n * sizeof(*ec));
		memcpy(e->rt, ec, n * sizeof(*ec));
		e->nrt = n;
		e->sets |= RM_SET_RT;
	} else if (cmd_has(a, "soo")) {
		char err[128];

		if (ecomm_parse(cmd_arg(a, "soo"), ECOMM_SUB_SOO, &e->soo, err, sizeof(err)) != 0) {
			cli_out(cli, "%% Malformed extended community \"%s\": %s\n",
				cmd_arg(a, "soo"), err);
			return CMD_ERROR;
		}
		e->sets |= RM_SET_SOO;
	} else if (cmd_has(a, "prepend")) {
		uint32_t as[POLICY_PREPEND_MAX];
		uint16_t n;

		if (parse_asns(cli, cmd_arg(a, "LINE"), as, &n) != 0)
			return CMD_ERROR;
		policy_rmap_entry_clear_sets(e, RM_SET_PREPEND);
		e->prepend = xmalloc(n * sizeof(*as));
		memcpy(e->prepend, as, n * sizeof(*as));
		e->nprepend = n;
		e->sets |= RM_SET_PREPEND;
	} else if (cmd_has(a, "next-hop")) {
		if (cmd_has(a, "peer-address")) {
			e->nh_mode = RM_NH_PEER;
		} else if (cmd_has(a, "unchanged")) {
			e->nh_mode = RM_NH_UNCHANGED;
		} else {
			e->nh_mode = RM_NH_ADDR;
			if (ipaddr_parse_af(AF_INET, cmd_arg(a, "addr"), &e->nh) != 0)
				return fail(cli, "% Malformed next-hop address");
		}
		e->sets |= RM_SET_NH;
	}
	policy_notify();
	return CMD_SUCCESS;
}

static const struct {
	const char *kw;
	uint32_t bit;
} set_kw[] = {
	{ "local-preference", RM_SET_LPREF }, { "metric", RM_SET_METRIC },
	{ "weight", RM_SET_WEIGHT },	      { "origin", RM_SET_ORIGIN },
	{ "community", RM_SET_COMM },	      { "comm-list", RM_SET_COMM_DELETE },
	{ "rt", RM_SET_RT },		      { "soo", RM_SET_SOO },
	{ "prepend", RM_SET_PREPEND },	      { "next-hop", RM_SET_NH },
};

static int no_set_cmd(struct cli *cli, const struct cmd_args *a)
{
	char map[POLICY_NAME_MAX + 1];
	struct rm_entry *e = ctx_entry(cli, map, sizeof(map));
	size_t i;

	if (e == NULL)
		return CMD_ERROR;
	for (i = 0; i < ARRAY_SIZE(set_kw); i++)
		if (cmd_has(a, set_kw[i].kw)) {
			if (!(e->sets & set_kw[i].bit))
				return fail(cli, "% This set clause is not configured");
			policy_rmap_entry_clear_sets(e, set_kw[i].bit);
			policy_notify();
			return CMD_SUCCESS;
		}
	return fail(cli, "% Unknown set clause");
}

static int on_match_cmd(struct cli *cli, const struct cmd_args *a)
{
	char map[POLICY_NAME_MAX + 1];
	struct rm_entry *e = ctx_entry(cli, map, sizeof(map));
	uint32_t n = arg_u32(a, "n");

	if (e == NULL)
		return CMD_ERROR;
	if (cmd_is_no(a)) {
		e->exit = RM_EXIT;
		e->goto_seq = 0;
	} else if (n != 0) {
		if (n <= e->seq) {
			cli_out(cli,
				"%% Cannot go to route-map entry %u: on-match goto must go forward "
				"(this entry is %u)\n",
				n, e->seq);
			return CMD_ERROR;
		}
		e->exit = RM_GOTO;
		e->goto_seq = n;
	} else {
		e->exit = RM_NEXT;
		e->goto_seq = 0;
	}
	policy_notify();
	return CMD_SUCCESS;
}

static int call_cmd(struct cli *cli, const struct cmd_args *a)
{
	char map[POLICY_NAME_MAX + 1], err[512];
	struct rm_entry *e = ctx_entry(cli, map, sizeof(map));
	const char *name = cmd_arg(a, "name");

	if (e == NULL)
		return CMD_ERROR;
	if (cmd_is_no(a)) {
		set_str(&e->call, NULL);
	} else {
		if (strlen(name) > POLICY_NAME_MAX)
			return fail(cli, "% Name too long");
		if (policy_rmap_call_check(map, name, err, sizeof(err)) != 0)
			return fail(cli, err);
		set_str(&e->call, name);
	}
	policy_notify();
	return CMD_SUCCESS;
}

static int rm_descr_cmd(struct cli *cli, const struct cmd_args *a)
{
	char map[POLICY_NAME_MAX + 1];
	struct rm_entry *e = ctx_entry(cli, map, sizeof(map));

	if (e == NULL)
		return CMD_ERROR;
	set_str(&e->descr, cmd_is_no(a) ? NULL : cmd_arg(a, "LINE"));
	return CMD_SUCCESS;
}

/* ------------------------------------------------------------ clause text */

static void match_str(const struct rm_entry *e, int k, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s%s", policy_match_text(k), e->match[k],
		 k == RM_MATCH_COMM && e->comm_exact ? " exact-match" : "");
}

static bool match_missing(const struct rm_entry *e, int k)
{
	return policy_match_obj(k) != POBJ_MAX && policy_obj_lookup(policy_match_obj(k), e->match[k]) == NULL;
}

static void cat(char *buf, size_t len, const char *s)
{
	size_t off = strlen(buf);

	snprintf(buf + off, len - off, "%s", s);
}

/* Set clause number i (in RM_SET_* bit order) as FRR writes it, "" if unset. */
static void set_str_of(const struct rm_entry *e, uint32_t bit, char *buf, size_t len)
{
	char vb[64];
	size_t i;

	buf[0] = '\0';
	if (!(e->sets & bit))
		return;
	switch (bit) {
	case RM_SET_LPREF:
		snprintf(buf, len, "local-preference %u", e->lpref);
		break;
	case RM_SET_METRIC:
		snprintf(buf, len, "metric %s%u", e->metric_op == '=' ? "" : (e->metric_op == '+' ? "+" : "-"),
			 e->metric);
		break;
	case RM_SET_WEIGHT:
		snprintf(buf, len, "weight %u", e->weight);
		break;
	case RM_SET_ORIGIN:
		snprintf(buf, len, "origin %s",
			 e->origin == BGP_ORIGIN_IGP ? "igp"
			 : e->origin == BGP_ORIGIN_EGP ? "egp" : "incomplete");
		break;
	case RM_SET_COMM:
		snprintf(buf, len, "community");
		if (e->ncomm == 0)
			cat(buf, len, " none");
		for (i = 0; i < e->ncomm; i++) {
			cat(buf, len, " ");
			cat(buf, len, policy_comm_str(e->comm[i], vb, sizeof(vb)));
		}
		if (e->comm_additive)
			cat(buf, len, " additive");
		break;
	case RM_SET_COMM_DELETE:
		snprintf(buf, len, "comm-list %s delete", e->comm_delete);
		break;
	case RM_SET_RT:
		snprintf(buf, len, "extcommunity rt");
		for (i = 0; i < e->nrt; i++) {
			cat(buf, len, " ");
			cat(buf, len, ecomm_format(&e->rt[i], vb, sizeof(vb)));
		}
		break;
	case RM_SET_SOO:
		snprintf(buf, len, "extcommunity soo %s", ecomm_format(&e->soo, vb, sizeof(vb)));
		break;
	case RM_SET_PREPEND:
		snprintf(buf, len, "as-path prepend");
		for (i = 0; i < e->nprepend; i++) {
			snprintf(vb, sizeof(vb), " %u", e->prepend[i]);
			cat(buf, len, vb);
		}
		break;
	case RM_SET_NH:
		snprintf(buf, len, "ip next-hop %s",
			 e->nh_mode == RM_NH_PEER	 ? "peer-address"
			 : e->nh_mode == RM_NH_UNCHANGED ? "unchanged"
							 : ipaddr_ntop(&e->nh, vb, sizeof(vb)));
		break;
	default:
		break;
	}
}

#define RM_SET_ALL_BITS 10

static void plist_entry_str(const struct plist_entry *e, char *buf, size_t len)
{
	char ps[PREFIX_STRLEN], tail[32] = "";

	if (e->any) {
		snprintf(buf, len, "%s any", e->permit ? "permit" : "deny");
		return;
	}
	prefix_ntop(&e->p, ps, sizeof(ps));
	if (e->ge)
		snprintf(tail, sizeof(tail), " ge %u", e->ge);
	if (e->le)
		snprintf(tail + strlen(tail), sizeof(tail) - strlen(tail), " le %u", e->le);
	snprintf(buf, len, "%s %s%s", e->permit ? "permit" : "deny", ps, tail);
}

/* ------------------------------------------------------------ running-config */

static const char *const clist_cmd_name[CLIST_KIND_MAX] = { "community-list",
							    "large-community-list",
							    "extcommunity-list" };

static void write_plists(struct cli *cli, int af)
{
	size_t n, i, k;
	void **v = policy_obj_sorted(af == AF_INET ? POBJ_PLIST4 : POBJ_PLIST6, &n);
	const char *kw = af == AF_INET ? "ip" : "ipv6";
	char buf[128];

	for (i = 0; i < n; i++) {
		const struct plist *pl = v[i];

		if (pl->descr != NULL)
			cli_out(cli, "%s prefix-list %s description %s\n", kw, pl->name, pl->descr);
		for (k = 0; k < pl->n; k++) {
			plist_entry_str(&pl->e[k], buf, sizeof(buf));
			cli_out(cli, "%s prefix-list %s seq %u %s\n", kw, pl->name, pl->e[k].seq,
				buf);
		}
	}
	if (n > 0)
		cli_out(cli, "!\n");
	free(v);
}

static void write_clists(struct cli *cli)
{
	int kind;
	size_t n, i, k, total = 0;

	for (kind = 0; kind < CLIST_KIND_MAX; kind++) {
		void **v = policy_obj_sorted((enum policy_obj)(POBJ_CLIST_COMM + kind), &n);

		for (i = 0; i < n; i++) {
			const struct clist *cl = v[i];

			for (k = 0; k < cl->n; k++)
				cli_out(cli, "bgp %s %s %s seq %u %s %s\n", clist_cmd_name[kind],
					cl->expanded ? "expanded" : "standard", cl->name,
					cl->e[k].seq, cl->e[k].permit ? "permit" : "deny",
					cl->e[k].text);
		}
		total += n;
		free(v);
	}
	if (total > 0)
		cli_out(cli, "!\n");
}

static void write_aslists(struct cli *cli)
{
	size_t n, i, k;
	void **v = policy_obj_sorted(POBJ_ASLIST, &n);

	for (i = 0; i < n; i++) {
		const struct aslist *al = v[i];

		for (k = 0; k < al->n; k++)
			cli_out(cli, "bgp as-path access-list %s seq %u %s %s\n", al->name,
				al->e[k].seq, al->e[k].permit ? "permit" : "deny", al->e[k].text);
	}
	if (n > 0)
		cli_out(cli, "!\n");
	free(v);
}

static void write_rmaps(struct cli *cli)
{
	size_t n, i, k;
	void **v = policy_obj_sorted(POBJ_RMAP, &n);
	char buf[1024];
	int m, b;

	for (i = 0; i < n; i++) {
		const struct route_map *rm = v[i];

		for (k = 0; k < rm->n; k++) {
			const struct rm_entry *e = rm->e[k];

			cli_out(cli, "route-map %s %s %u\n", rm->name, e->permit ? "permit" : "deny",
				e->seq);
			if (e->descr != NULL)
				cli_out(cli, " description %s\n", e->descr);
			for (m = 0; m < RM_MATCH_MAX; m++)
				if (e->match[m] != NULL) {
					match_str(e, m, buf, sizeof(buf));
					cli_out(cli, " match %s\n", buf);
				}
			for (b = 0; b < RM_SET_ALL_BITS; b++) {
				set_str_of(e, 1u << b, buf, sizeof(buf));
				if (buf[0] != '\0')
					cli_out(cli, " set %s\n", buf);
			}
			if (e->call != NULL)
				cli_out(cli, " call %s\n", e->call);
			if (e->exit == RM_NEXT)
				cli_out(cli, " on-match next\n");
			else if (e->exit == RM_GOTO)
				cli_out(cli, " on-match goto %u\n", e->goto_seq);
			cli_out(cli, "exit\n!\n");
		}
	}
	free(v);
}

void policy_config_write(struct cli *cli)
{
	write_plists(cli, AF_INET);
	write_plists(cli, AF_INET6);
	write_clists(cli);
	write_aslists(cli);
	write_rmaps(cli);
}

/* ------------------------------------------------------------ show */

static void **objs_named(enum policy_obj kind, const char *name, size_t *n)
{
	void *o;
	void **v;

	if (name == NULL)
		return policy_obj_sorted(kind, n);
	o = policy_obj_lookup(kind, name);
	v = xcalloc(1, sizeof(*v));
	*n = 0;
	if (o != NULL)
		v[(*n)++] = o;
	return v;
}

static int show_plist(struct cli *cli, const struct cmd_args *a, int af)
{
	const char *name = cmd_arg(a, "name"), *kw = af == AF_INET ? "ip" : "ipv6";
	bool json = cmd_has(a, "json");
	size_t n, i, k;
	void **v = objs_named(af == AF_INET ? POBJ_PLIST4 : POBJ_PLIST6, name, &n);
	json_object *top = json ? json_object_new_object() : NULL;
	char buf[128], ps[PREFIX_STRLEN];

	for (i = 0; i < n; i++) {
		const struct plist *pl = v[i];
		json_object *jl, *je;

		if (!json) {
			cli_out(cli, "%s prefix-list %s: %zu entries\n", kw, pl->name, pl->n);
			if (pl->descr != NULL)
				cli_out(cli, "   Description: %s\n", pl->descr);
			for (k = 0; k < pl->n; k++) {
				plist_entry_str(&pl->e[k], buf, sizeof(buf));
				cli_out(cli, "   seq %u %s\n", pl->e[k].seq, buf);
			}
			continue;
		}
		jl = json_object_new_object();
		json_object_object_add(jl, "addressFamily",
				       json_object_new_string(af == AF_INET ? "IPv4" : "IPv6"));
		if (pl->descr != NULL)
			json_object_object_add(jl, "description",
					       json_object_new_string(pl->descr));
		je = json_object_new_array();
		for (k = 0; k < pl->n; k++) {
			const struct plist_entry *e = &pl->e[k];
			json_object *o = json_object_new_object();

			json_object_object_add(o, "sequenceNumber", json_object_new_int64(e->seq));
			json_object_object_add(o, "type",
					       json_object_new_string(e->permit ? "permit" : "deny"));
			if (e->any)
				snprintf(ps, sizeof(ps), "any");
			else
				prefix_ntop(&e->p, ps, sizeof(ps));
			json_object_object_add(o, "prefix", json_object_new_string(ps));
			if (e->ge)
				json_object_object_add(o, "minimumPrefixLength",
						       json_object_new_int(e->ge));
			if (e->le)
				json_object_object_add(o, "maximumPrefixLength",
						       json_object_new_int(e->le));
			json_object_array_add(je, o);
		}
		json_object_object_add(jl, "entries", je);
		json_object_object_add(top, pl->name, jl);
	}
	if (json)
		cli_json(cli, top);
	else if (name != NULL && n == 0)
		cli_out(cli, "%% Can't find specified prefix-list\n");
	free(v);
	return CMD_SUCCESS;
}

static int show_ip_plist_cmd(struct cli *cli, const struct cmd_args *a)
{
	return show_plist(cli, a, AF_INET);
}

static int show_ipv6_plist_cmd(struct cli *cli, const struct cmd_args *a)
{
	return show_plist(cli, a, AF_INET6);
}

static int show_clist_cmd(struct cli *cli, const struct cmd_args *a)
{
	static const char *const title[CLIST_KIND_MAX] = { "Community", "Large Community",
							   "Extended community" };
	enum clist_kind kind = clist_kind_of(a);
	const char *name = cmd_arg(a, "name");
	bool json = cmd_has(a, "json");
	size_t n, i, k;
	void **v = objs_named((enum policy_obj)(POBJ_CLIST_COMM + kind), name, &n);
	json_object *top = json ? json_object_new_object() : NULL;

	for (i = 0; i < n; i++) {
		const struct clist *cl = v[i];
		json_object *jl, *je;

		if (!json) {
			cli_out(cli, "Named %s %s list %s\n", title[kind],
				cl->expanded ? "expanded" : "standard", cl->name);
			for (k = 0; k < cl->n; k++)
				cli_out(cli, "    seq %u %s %s\n", cl->e[k].seq,
					cl->e[k].permit ? "permit" : "deny", cl->e[k].text);
			continue;
		}
		jl = json_object_new_object();
		json_object_object_add(jl, "type", json_object_new_string(cl->expanded ? "expanded"
											: "standard"));
		je = json_object_new_array();
		for (k = 0; k < cl->n; k++) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "sequenceNumber",
					       json_object_new_int64(cl->e[k].seq));
			json_object_object_add(o, "type", json_object_new_string(
								  cl->e[k].permit ? "permit" : "deny"));
			json_object_object_add(o, "value", json_object_new_string(cl->e[k].text));
			json_object_array_add(je, o);
		}
		json_object_object_add(jl, "entries", je);
		json_object_object_add(top, cl->name, jl);
	}
	if (json)
		cli_json(cli, top);
	else if (name != NULL && n == 0)
		cli_out(cli, "%% Can't find %s %s\n", clist_cmd_name[kind], name);
	free(v);
	return CMD_SUCCESS;
}

static int show_aslist_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "name");
	bool json = cmd_has(a, "json");
	size_t n, i, k;
	void **v = objs_named(POBJ_ASLIST, name, &n);
	json_object *top = json ? json_object_new_object() : NULL;

	for (i = 0; i < n; i++) {
		const struct aslist *al = v[i];
		json_object *je;

		if (!json) {
			cli_out(cli, "AS path access list %s\n", al->name);
			for (k = 0; k < al->n; k++)
				cli_out(cli, "    seq %u %s %s\n", al->e[k].seq,
					al->e[k].permit ? "permit" : "deny", al->e[k].text);
			continue;
		}
		je = json_object_new_array();
		for (k = 0; k < al->n; k++) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "sequenceNumber",
					       json_object_new_int64(al->e[k].seq));
			json_object_object_add(o, "type", json_object_new_string(
								  al->e[k].permit ? "permit" : "deny"));
			json_object_object_add(o, "regExp", json_object_new_string(al->e[k].text));
			json_object_array_add(je, o);
		}
		json_object_object_add(top, al->name, je);
	}
	if (json)
		cli_json(cli, top);
	else if (name != NULL && n == 0)
		cli_out(cli, "%% Can't find as-path access-list %s\n", name);
	free(v);
	return CMD_SUCCESS;
}

static void show_rm_entry_text(struct cli *cli, const struct rm_entry *e)
{
	char buf[1024];
	int m, b;

	cli_out(cli, " %s, sequence %u Invoked %llu\n", e->permit ? "permit" : "deny", e->seq,
		(unsigned long long)e->invoked);
	if (e->descr != NULL)
		cli_out(cli, "  Description:\n    %s\n", e->descr);
	cli_out(cli, "  Match clauses:\n");
	for (m = 0; m < RM_MATCH_MAX; m++)
		if (e->match[m] != NULL) {
			match_str(e, m, buf, sizeof(buf));
			cli_out(cli, "    %s%s\n", buf, match_missing(e, m) ? " (not defined)" : "");
		}
	cli_out(cli, "  Set clauses:\n");
	for (b = 0; b < RM_SET_ALL_BITS; b++) {
		set_str_of(e, 1u << b, buf, sizeof(buf));
		if (buf[0] != '\0')
			cli_out(cli, "    %s%s\n", buf,
				(1u << b) == RM_SET_COMM_DELETE &&
						policy_obj_lookup(POBJ_CLIST_COMM, e->comm_delete) == NULL
					? " (not defined)"
					: "");
	}
	cli_out(cli, "  Call clause:\n");
	if (e->call != NULL)
		cli_out(cli, "    Call %s%s\n", e->call,
			policy_route_map_exists(e->call) ? "" : " (not defined)");
	cli_out(cli, "  Action:\n");
	if (e->exit == RM_GOTO)
		cli_out(cli, "    Goto %u\n", e->goto_seq);
	else if (e->exit == RM_NEXT)
		cli_out(cli, "    Continue to next entry\n");
	else
		cli_out(cli, "    Exit routemap\n");
}

static json_object *show_rm_entry_json(const struct rm_entry *e)
{
	json_object *o = json_object_new_object(), *jm = json_object_new_array(),
		    *js = json_object_new_array(), *ju = json_object_new_array();
	char buf[1024];
	int m, b;

	json_object_object_add(o, "sequenceNumber", json_object_new_int64(e->seq));
	json_object_object_add(o, "type", json_object_new_string(e->permit ? "permit" : "deny"));
	json_object_object_add(o, "invoked", json_object_new_int64((int64_t)e->invoked));
	if (e->descr != NULL)
		json_object_object_add(o, "description", json_object_new_string(e->descr));
	for (m = 0; m < RM_MATCH_MAX; m++)
		if (e->match[m] != NULL) {
			match_str(e, m, buf, sizeof(buf));
			json_object_array_add(jm, json_object_new_string(buf));
			if (match_missing(e, m))
				json_object_array_add(ju, json_object_new_string(buf));
		}
	for (b = 0; b < RM_SET_ALL_BITS; b++) {
		set_str_of(e, 1u << b, buf, sizeof(buf));
		if (buf[0] != '\0')
			json_object_array_add(js, json_object_new_string(buf));
	}
	if ((e->sets & RM_SET_COMM_DELETE) &&
	    policy_obj_lookup(POBJ_CLIST_COMM, e->comm_delete) == NULL) {
		snprintf(buf, sizeof(buf), "comm-list %s", e->comm_delete);
		json_object_array_add(ju, json_object_new_string(buf));
	}
	json_object_object_add(o, "matchClauses", jm);
	json_object_object_add(o, "setClauses", js);
	if (e->call != NULL) {
		json_object_object_add(o, "callClause", json_object_new_string(e->call));
		if (!policy_route_map_exists(e->call)) {
			snprintf(buf, sizeof(buf), "call %s", e->call);
			json_object_array_add(ju, json_object_new_string(buf));
		}
	}
	if (e->exit == RM_GOTO)
		snprintf(buf, sizeof(buf), "Goto %u", e->goto_seq);
	else
		snprintf(buf, sizeof(buf), "%s",
			 e->exit == RM_NEXT ? "Continue to next entry" : "Exit routemap");
	json_object_object_add(o, "action", json_object_new_string(buf));
	json_object_object_add(o, "notDefined", ju);
	return o;
}

static int show_route_map_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "name");
	bool json = cmd_has(a, "json");
	size_t n, i, k;
	void **v = objs_named(POBJ_RMAP, name, &n);
	json_object *top = json ? json_object_new_object() : NULL;

	for (i = 0; i < n; i++) {
		const struct route_map *rm = v[i];
		json_object *jm, *jr;

		if (!json) {
			cli_out(cli, "route-map: %s Invoked: %llu\n", rm->name,
				(unsigned long long)rm->invoked);
			for (k = 0; k < rm->n; k++)
				show_rm_entry_text(cli, rm->e[k]);
			continue;
		}
		jm = json_object_new_object();
		jr = json_object_new_array();
		json_object_object_add(jm, "invoked", json_object_new_int64((int64_t)rm->invoked));
		for (k = 0; k < rm->n; k++)
			json_object_array_add(jr, show_rm_entry_json(rm->e[k]));
		json_object_object_add(jm, "rules", jr);
		json_object_object_add(top, rm->name, jm);
	}
	if (json)
		cli_json(cli, top);
	else if (name != NULL && n == 0)
		cli_out(cli, "'route-map %s' not found\n", name);
	free(v);
	return CMD_SUCCESS;
}

/* ------------------------------------------------------------ tables */

#define PL4 "ip prefix-list WORD$name [seq (1-4294967294)$seq] <permit|deny>$action " \
	    "<A.B.C.D/M$pfx [{ge (0-128)$ge|le (0-128)$le}]|any$any>"
#define PL6 "ipv6 prefix-list WORD$name [seq (1-4294967294)$seq] <permit|deny>$action " \
	    "<X:X::X:X/M$pfx [{ge (0-128)$ge|le (0-128)$le}]|any$any>"
#define CL_KIND "<community-list|large-community-list|extcommunity-list>"

/* Help is generated per token from this dictionary (one line per token in
 * the order of the syntax, as cmd.h wants). */
static const struct {
	const char *tok, *help;
} help_dict[] = {
	{ "no", "Negate a command or set its defaults" },
	{ "show", "Show running system information" },
	{ "ip", "IP information" },
	{ "ipv6", "IPv6 information" },
	{ "json", "JavaScript Object Notation" },
	{ "prefix-list", "Build a prefix list" },
	{ "seq", "Sequence number of an entry" },
	{ "permit", "Specify packets to forward" },
	{ "deny", "Specify packets to reject" },
	{ "ge", "Minimum prefix length to be matched" },
	{ "le", "Maximum prefix length to be matched" },
	{ "any", "Any prefix match" },
	{ "description", "Up to 80 characters describing this list or entry" },
	{ "bgp", "BGP specific commands" },
	{ "community-list", "Add a community list entry" },
	{ "large-community-list", "Add a large community list entry" },
	{ "extcommunity-list", "Add an extended community list entry" },
	{ "standard", "Add a standard list entry" },
	{ "expanded", "Add an expanded list entry" },
	{ "as-path", "BGP AS path" },
	{ "access-list", "BGP autonomous system path filter" },
	{ "as-path-access-list", "AS path access list" },
	{ "route-map", "Create route-map or enter route-map command mode" },
	{ "match", "Match values from routing table" },
	{ "address", "Match address of route" },
	{ "next-hop", "Next hop address" },
	{ "community", "BGP community" },
	{ "large-community", "BGP large community" },
	{ "extcommunity", "BGP extended community" },
	{ "source-vrf", "The VRF the route was leaked from" },
	{ "exact-match", "Do exact matching of communities" },
	{ "set", "Set values in destination routing protocol" },
	{ "local-preference", "BGP local preference path attribute" },
	{ "metric", "Metric value for destination routing protocol" },
	{ "weight", "BGP weight for routing table" },
	{ "origin", "BGP origin code" },
	{ "igp", "local IGP" },
	{ "egp", "remote EGP" },
	{ "incomplete", "unknown heritage" },
	{ "comm-list", "Set BGP community list (for deletion)" },
	{ "delete", "Delete matching communities" },
	{ "rt", "Route Target extended community" },
	{ "soo", "Site-of-Origin extended community" },
	{ "prepend", "Prepend to the as-path" },
	{ "peer-address", "Use peer address (for BGP only)" },
	{ "unchanged", "Don't modify existing Next hop address" },
	{ "on-match", "Exit policy on matches" },
	{ "next", "Next clause" },
	{ "goto", "Goto Clause number" },
	{ "continue", "Continue on a different entry within the route-map" },
	{ "call", "Jump to another Route-Map after match+set" },
	{ "WORD", "Name" },
	{ "LINE", "Values, or the text" },
	{ "A.B.C.D/M", "IPv4 prefix <network>/<length>" },
	{ "X:X::X:X/M", "IPv6 prefix <network>/<length>" },
	{ "A.B.C.D", "IPv4 address" },
	{ "ASN:NN_OR_IP-ADDRESS:NN", "Value: ASN:NN or A.B.C.D:NN" },
};

static const struct cmd_def config_cmds[] = {
	{ PL4, NULL, ip_plist_cmd },
	{ "no " PL4, NULL, no_ip_plist_cmd },
	{ "no ip prefix-list WORD$name [seq (1-4294967294)$seq]", NULL, no_ip_plist_cmd },
	{ PL6, NULL, ipv6_plist_cmd },
	{ "no " PL6, NULL, no_ipv6_plist_cmd },
	{ "no ipv6 prefix-list WORD$name [seq (1-4294967294)$seq]", NULL, no_ipv6_plist_cmd },
	{ "<ip|ipv6> prefix-list WORD$name description LINE", NULL, plist_descr_cmd },
	{ "no <ip|ipv6> prefix-list WORD$name description [LINE]", NULL, plist_descr_cmd },
	{ "bgp " CL_KIND " <standard|expanded> WORD$name [seq (1-4294967295)$seq] "
	  "<permit|deny>$action LINE",
	  NULL, clist_cmd },
	{ "bgp community-list (1-500)$num <permit|deny>$action LINE", NULL, clist_cmd },
	{ "no bgp " CL_KIND " <standard|expanded> WORD$name [<permit|deny>$action LINE]", NULL,
	  no_clist_cmd },
	{ "no bgp community-list (1-500)$num [<permit|deny>$action LINE]", NULL, no_clist_cmd },
	{ "bgp as-path access-list WORD$name [seq (1-4294967295)$seq] <permit|deny>$action LINE",
	  NULL, aslist_cmd },
	{ "no bgp as-path access-list WORD$name [seq (1-4294967295)$seq] [<permit|deny>$action "
	  "LINE]",
	  NULL, no_aslist_cmd },
	{ "route-map WORD$name <permit|deny>$action (1-65535)$seq", NULL, route_map_cmd },
	{ "no route-map WORD$name [<permit|deny>$action (1-65535)$seq]", NULL, no_route_map_cmd },
};

static const struct cmd_def rmap_cmds[] = {
	{ "match <ip|ipv6> address prefix-list WORD$name", NULL, match_cmd },
	{ "no match <ip|ipv6> address prefix-list [WORD$name]", NULL, match_cmd },
	{ "match ip next-hop prefix-list WORD$name", NULL, match_cmd },
	{ "no match ip next-hop prefix-list [WORD$name]", NULL, match_cmd },
	{ "match community WORD$name [exact-match]", NULL, match_cmd },
	{ "no match community [WORD$name [exact-match]]", NULL, match_cmd },
	{ "match <large-community|extcommunity|as-path|source-vrf> WORD$name", NULL, match_cmd },
	{ "match <metric|local-preference> (0-4294967295)$name", NULL, match_cmd },
	{ "no match <metric|local-preference> [(0-4294967295)$name]", NULL, match_cmd },
	{ "no match <large-community|extcommunity|as-path|source-vrf> [WORD$name]", NULL,
	  match_cmd },
	{ "set <local-preference|weight> (0-4294967295)$val", NULL, set_cmd },
	{ "set metric (0-4294967295)$val", NULL, set_cmd },
	{ "set metric WORD$expr", NULL, set_cmd },
	{ "set origin <igp|egp|incomplete>$origin", NULL, set_cmd },
	{ "set community LINE", NULL, set_cmd },
	{ "set comm-list WORD$name delete", NULL, set_cmd },
	{ "set extcommunity rt LINE", NULL, set_cmd },
	{ "set extcommunity soo ASN:NN_OR_IP-ADDRESS:NN$soo", NULL, set_cmd },
	{ "set as-path prepend LINE", NULL, set_cmd },
	{ "set ip next-hop <A.B.C.D$addr|peer-address|unchanged>", NULL, set_cmd },
	{ "no set <local-preference|weight|metric|origin> [WORD]", NULL, no_set_cmd },
	{ "no set community [LINE]", NULL, no_set_cmd },
	{ "no set comm-list [WORD delete]", NULL, no_set_cmd },
	{ "no set extcommunity <rt|soo> [LINE]", NULL, no_set_cmd },
	{ "no set as-path prepend [LINE]", NULL, no_set_cmd },
	{ "no set ip next-hop [WORD]", NULL, no_set_cmd },
	{ "on-match next", NULL, on_match_cmd },
	{ "on-match goto (1-65535)$n", NULL, on_match_cmd },
	{ "no on-match <next|goto [(1-65535)]>", NULL, on_match_cmd },
	{ "continue [(1-65535)$n]", NULL, on_match_cmd },
	{ "no continue [(1-65535)]", NULL, on_match_cmd },
	{ "call WORD$name", NULL, call_cmd },
	{ "no call [WORD$name]", NULL, call_cmd },
	{ "description LINE", NULL, rm_descr_cmd },
	{ "no description [LINE]", NULL, rm_descr_cmd },
};

static const struct cmd_def view_cmds[] = {
	{ "show ip prefix-list [WORD$name] [json]", NULL, show_ip_plist_cmd },
	{ "show ipv6 prefix-list [WORD$name] [json]", NULL, show_ipv6_plist_cmd },
	{ "show bgp " CL_KIND " [WORD$name] [json]", NULL, show_clist_cmd },
	{ "show bgp as-path-access-list [WORD$name] [json]", NULL, show_aslist_cmd },
	{ "show route-map [WORD$name] [json]", NULL, show_route_map_cmd },
};

/* One help line per token of syntax. */
static char *make_help(const char *syntax)
{
	size_t cap = 256, len = 0;
	char *out = xmalloc(cap), tok[64];
	const char *p = syntax;

	out[0] = '\0';
	while (*p) {
		size_t n = 0, i;
		const char *h = "Value";

		if (strchr(" []<>{}|", *p) != NULL) {
			p++;
			continue;
		}
		while (*p && strchr(" []<>{}|$", *p) == NULL && n < sizeof(tok) - 1)
			tok[n++] = *p++;
		tok[n] = '\0';
		if (*p == '$') /* skip the argument name */
			while (*p && strchr(" []<>{}|", *p) == NULL)
				p++;
		if (n == 0) /* the name of a group: <a|b>$name */
			continue;
		for (i = 0; i < ARRAY_SIZE(help_dict); i++)
			if (strcmp(help_dict[i].tok, tok) == 0)
				h = help_dict[i].help;
		if (tok[0] == '(')
			h = "Number";
		while (len + strlen(h) + 2 > cap) {
			cap *= 2;
			out = xrealloc(out, cap);
		}
		len += (size_t)snprintf(out + len, cap - len, "%s\n", h);
	}
	return out;
}

static void install(enum cli_node node, const struct cmd_def *defs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct cmd_def d = defs[i];
		char *help = make_help(d.syntax);

		d.help = help;
		cmd_install(node, &d);
		free(help);
	}
}

void policy_cli_init(void)
{
	cmd_node_install(NODE_ROUTE_MAP, "config-route-map", NODE_CONFIG);
	install(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
	install(NODE_ROUTE_MAP, rmap_cmds, ARRAY_SIZE(rmap_cmds));
	install(NODE_VIEW, view_cmds, ARRAY_SIZE(view_cmds));
}
