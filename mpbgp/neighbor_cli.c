/* `neighbor ...` commands in FRR's syntax and semantics, for peers and
 * peer-groups, and their part of the running configuration.
 *
 * - `neighbor NAME peer-group` creates a group; `neighbor X peer-group NAME`
 *   makes X a member (creating X when the group has a remote-as). Every
 *   other `neighbor` command takes a group name as well as an address.
 * - A member inherits each knob from its group unless it sets the knob
 *   itself (peer->own, peer->own_af); `no` on a member inherits again.
 *   The member's cfg is the effective configuration the speaker reads.
 *   Deviation from FRR: a boolean knob set on the group (passive,
 *   shutdown, next-hop-self, ...) cannot be turned off on one member (FRR's
 *   inverted flags are not done).
 * - `remote-as internal|external`: internal is our AS; external is any AS
 *   but ours, learned from the OPEN (session.c refuses our AS).
 * - Per family: activate, route-reflector-client, next-hop-self [force],
 *   as-override, allowas-in, soo, maximum-prefix, and the policy
 *   attachments `route-map|prefix-list|filter-list NAME in|out`, which
 *   re-evaluate routes without a session reset (soft reconfiguration).
 *
 * Running configuration in FRR's order: groups first (`neighbor NAME
 * peer-group` then its knobs), then peers; a member writes `neighbor X
 * peer-group NAME` and only the knobs it sets itself. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "mpbgp/bgp.h"
#include "mpbgp/bgp_cfg.h"

#define NEIGHBOR_STR "Specify neighbor router\nNeighbor address\nNeighbor IPv6 address\nNeighbor tag\n"
#define AS_STR "AS number\n"

/* What a `neighbor X|NAME` command configures: a peer or a peer-group. */
struct nbr {
	struct bgp *b;
	struct bgp_peer *peer;
	struct bgp_peer_group *group;
	struct bgp_peer_cfg *cfg;
};

/* How the peers concerned learn of a change. */
enum nbr_effect { NBR_SOFT, NBR_RESET, NBR_POLICY_IN, NBR_POLICY_OUT };

static int ctx_nbr(struct cli *cli, const struct cmd_args *a, struct nbr *n)
{
	const char *s = cmd_arg(a, "peer");
	struct ipaddr addr;

	memset(n, 0, sizeof(*n));
	if ((n->b = bgp_cli_instance(cli)) == NULL)
		return -1;
	if (ipaddr_parse(s, &addr) == 0) {
		if ((n->peer = bgp_peer_lookup(n->b, &addr)) == NULL) {
			cli_out(cli, "%% Specify remote-as or peer-group commands first\n");
			return -1;
		}
		n->cfg = &n->peer->cfg;
		return 0;
	}
	if ((n->group = bgp_group_lookup(n->b, s)) == NULL) {
		cli_out(cli, "%% Create the peer-group or interface first\n");
		return -1;
	}
	n->cfg = &n->group->cfg;
	return 0;
}

static void notify(struct bgp_peer *p, int af, enum nbr_effect how)
{
	switch (how) {
	case NBR_SOFT:
	case NBR_RESET:
		bgp_peer_changed(p, how == NBR_RESET);
		break;
	case NBR_POLICY_IN:
	case NBR_POLICY_OUT:
		bgp_peer_policy_changed(p, (enum bgp_af)af, how == NBR_POLICY_IN, how == NBR_POLICY_OUT);
		break;
	}
}

/* After n->cfg changed the knobs in knob (global) or afknob (family af):
 * a peer records that it sets them (with `no`: inherits them again from
 * its group); a group passes them on to the members that do not set them. */
static void nbr_done(struct nbr *n, uint32_t knob, int af, uint32_t afknob, bool no,
		     enum nbr_effect how)
{
	struct bgp_peer *p;

	if (n->peer != NULL) {
		p = n->peer;
		if (no) {
			p->own &= ~knob;
			if (af >= 0)
				p->own_af[af] &= ~afknob;
			if (p->group != NULL) {
				bgp_cfg_knob_copy(&p->cfg, &p->group->cfg, knob);
				if (af >= 0)
					bgp_cfg_afknob_copy(&p->cfg, &p->group->cfg, af, afknob);
			}
		} else {
			p->own |= knob;
			if (af >= 0)
				p->own_af[af] |= afknob;
		}
		notify(p, af, how);
		return;
	}
	for (p = n->b->peers; p != NULL; p = p->next) {
		uint32_t k = knob & ~p->own, ak = af >= 0 ? afknob & ~p->own_af[af] : 0;

		if (p->group != n->group || (k == 0 && ak == 0))
			continue;
		bgp_cfg_knob_copy(&p->cfg, &n->group->cfg, k);
		if (af >= 0)
			bgp_cfg_afknob_copy(&p->cfg, &n->group->cfg, af, ak);
		notify(p, af, how);
	}
}

static int parse_peer_addr(struct cli *cli, const struct bgp *b, const char *s, struct ipaddr *addr)
{
	const char *ifname;

	if (ipaddr_parse(s, addr) != 0 || ipaddr_is_zero(addr)) {
		cli_out(cli, "%% Malformed address \"%s\"\n", s);
		return -1;
	}
	if (ipaddr_is_linklocal(addr)) {
		cli_out(cli, "%% Link-local neighbor %s: link-local sessions are not supported (use a global address)\n",
			s);
		return -1;
	}
	if (addr->af == AF_INET6 && (ipaddr_is_multicast(addr) || ipaddr_v4mapped(addr, NULL))) {
		cli_out(cli, "%% Invalid neighbor address %s\n", s);
		return -1;
	}
	/* IPv4: a unicast address (not 0/8, loopback, multicast, class E or
	 * the broadcast address) */
	if (addr->af == AF_INET && ((addr->v4 >> 24) == 0 || (addr->v4 >> 24) == 127 ||
				    (addr->v4 >> 28) >= 14)) {
		cli_out(cli, "%% Invalid neighbor address %s: not a unicast address\n", s);
		return -1;
	}
	if ((ifname = bgp_local_addr(b->vrf_name, addr)) != NULL) {
		cli_out(cli, "%% Invalid neighbor address %s: it is this router's own (interface %s%s%s)\n",
			s, ifname, b->vrf_name[0] ? ", VRF " : "", b->vrf_name);
		return -1;
	}
	return 0;
}

static bool is_address(const char *s)
{
	struct ipaddr addr;

	return ipaddr_parse(s, &addr) == 0;
}

/* ---- remote-as, peer-groups, deletion ---- */

static int neighbor_remote_as_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = bgp_cli_instance(cli);
	const char *s = cmd_arg(a, "peer");
	enum bgp_as_type t = cmd_has(a, "internal")   ? BGP_AS_INTERNAL
			     : cmd_has(a, "external") ? BGP_AS_EXTERNAL
						      : BGP_AS_SPECIFIED;
	uint32_t as = t == BGP_AS_INTERNAL ? 0 : t == BGP_AS_EXTERNAL ? 0 : (uint32_t)cmd_arg_u64(a, "asn");
	struct bgp_peer *p;
	struct ipaddr addr;
	struct nbr n;

	if (b == NULL)
		return CMD_ERROR;
	if (t == BGP_AS_INTERNAL)
		as = b->asn;
	if (!is_address(s)) {
		if (ctx_nbr(cli, a, &n) != 0)
			return CMD_ERROR;
		if (n.cfg->as_type == t && n.cfg->remote_as == as)
			return CMD_SUCCESS;
		n.cfg->remote_as = as;
		n.cfg->as_type = t;
		nbr_done(&n, BGP_KNOB_REMOTE_AS, -1, 0, false, NBR_RESET);
		return CMD_SUCCESS;
	}
	if (parse_peer_addr(cli, b, s, &addr) != 0)
		return CMD_ERROR;
	if ((p = bgp_peer_lookup(b, &addr)) == NULL) {
		p = bgp_peer_create(b, &addr, as);
		p->cfg.as_type = t;
		p->own |= BGP_KNOB_REMOTE_AS;
		if (t == BGP_AS_EXTERNAL)
			bgp_peer_changed(p, false); /* bgp_peer_create did not start it (AS 0) */
		return CMD_SUCCESS;
	}
	if (p->group != NULL && p->group->cfg.as_type != BGP_AS_UNSPEC) {
		cli_out(cli, "%% Peer-group member cannot override remote-as of peer-group\n");
		return CMD_ERROR;
	}
	p->own |= BGP_KNOB_REMOTE_AS;
	if (p->cfg.remote_as != as || p->cfg.as_type != t) {
		p->cfg.remote_as = as;
		p->cfg.as_type = t;
		bgp_peer_changed(p, true);
	}
	return CMD_SUCCESS;
}

static int no_neighbor_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp_peer *p, *next;
	struct nbr n;

	if (ctx_nbr(cli, a, &n) != 0)
		return CMD_ERROR;
	if (n.peer != NULL) {
		bgp_peer_delete(n.peer);
		return CMD_SUCCESS;
	}
	if (!cmd_has(a, "remote-as")) {
		bgp_group_delete(n.group);
		return CMD_SUCCESS;
	}
	/* `no neighbor GROUP remote-as`: the members that took it go (FRR) */
	n.group->cfg.remote_as = 0;
	n.group->cfg.as_type = BGP_AS_UNSPEC;
	for (p = n.b->peers; p != NULL; p = next) {
		next = p->next;
		if (p->group == n.group && !(p->own & BGP_KNOB_REMOTE_AS))
			bgp_peer_delete(p);
	}
	return CMD_SUCCESS;
}

static int peer_group_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = bgp_cli_instance(cli);
	const char *name = cmd_arg(a, "peer");
	struct bgp_peer_group *g;

	if (b == NULL)
		return CMD_ERROR;
	if (is_address(name) || strlen(name) >= sizeof(g->name)) {
		cli_out(cli, "%% Invalid peer-group name \"%s\"\n", name);
		return CMD_ERROR;
	}
	if (cmd_is_no(a)) {
		if ((g = bgp_group_lookup(b, name)) == NULL) {
			cli_out(cli, "%% Create the peer-group or interface first\n");
			return CMD_ERROR;
		}
		bgp_group_delete(g);
		return CMD_SUCCESS;
	}
	bgp_group_create(b, name);
	return CMD_SUCCESS;
}

static int peer_group_member_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bgp *b = bgp_cli_instance(cli);
	struct bgp_peer_group *g;
	struct bgp_peer *p;
	struct ipaddr addr;

	if (b == NULL || parse_peer_addr(cli, b, cmd_arg(a, "peer"), &addr) != 0)
		return CMD_ERROR;
	if ((g = bgp_group_lookup(b, cmd_arg(a, "group"))) == NULL) {
		cli_out(cli, "%% Configure the peer-group first\n");
		return CMD_ERROR;
	}
	p = bgp_peer_lookup(b, &addr);
	if (cmd_is_no(a)) {
		if (p == NULL || p->group != g) {
			cli_out(cli, "%% Peer is not a member of this peer-group\n");
			return CMD_ERROR;
		}
		bgp_peer_delete(p); /* FRR: the neighbor goes with its membership */
		return CMD_SUCCESS;
	}
	if (p == NULL) {
		if (g->cfg.as_type == BGP_AS_UNSPEC) {
			cli_out(cli, "%% Specify remote-as or peer-group remote AS first\n");
			return CMD_ERROR;
		}
		bgp_peer_create_member(b, &addr, g);
		return CMD_SUCCESS;
	}
	if (p->group == g)
		return CMD_SUCCESS;
	if (g->cfg.as_type != BGP_AS_UNSPEC && (p->own & BGP_KNOB_REMOTE_AS) &&
	    (p->cfg.as_type != g->cfg.as_type || p->cfg.remote_as != g->cfg.remote_as)) {
		cli_out(cli, "%% Peer with AS %u cannot be in this peer-group, members must be all internal or all external\n",
			p->cfg.remote_as);
		return CMD_ERROR;
	}
	if (g->cfg.as_type != BGP_AS_UNSPEC)
		p->own &= ~BGP_KNOB_REMOTE_AS;
	bgp_peer_group_bind(p, g);
	bgp_peer_changed(p, true);
	return CMD_SUCCESS;
}

/* ---- knobs of the neighbor ---- */

static int neighbor_opt_cmd(struct cli *cli, const struct cmd_args *a)
{
	bool no = cmd_is_no(a);
	enum nbr_effect how = NBR_RESET;
	struct bgp_peer_cfg *c;
	uint32_t knob = 0;
	struct nbr n;

	if (ctx_nbr(cli, a, &n) != 0)
		return CMD_ERROR;
	c = n.cfg;
	if (cmd_has(a, "description")) {
		if (!no && strlen(cmd_arg(a, "desc")) >= sizeof(c->description)) {
			cli_out(cli, "%% Description longer than %zu characters\n",
				sizeof(c->description) - 1);
			return CMD_ERROR;
		}
		snprintf(c->description, sizeof(c->description), "%s", no ? "" : cmd_arg(a, "desc"));
		knob = BGP_KNOB_DESCRIPTION;
		how = NBR_SOFT;
	} else if (cmd_has(a, "update-source")) {
		c->update_source[0] = '\0';
		memset(&c->update_source_addr, 0, sizeof(c->update_source_addr));
		if (!no && cmd_arg(a, "src") != NULL)
			ipaddr_parse(cmd_arg(a, "src"), &c->update_source_addr);
		else if (!no) {
			if (strlen(cmd_arg(a, "ifname")) >= sizeof(c->update_source)) {
				cli_out(cli, "%% Interface name too long\n");
				return CMD_ERROR;
			}
			snprintf(c->update_source, sizeof(c->update_source), "%s", cmd_arg(a, "ifname"));
		}
		knob = BGP_KNOB_UPDATE_SOURCE;
	} else if (cmd_has(a, "ebgp-multihop")) {
		c->ebgp_multihop = no ? 1 : (cmd_has(a, "ttl") ? (uint8_t)cmd_arg_u64(a, "ttl") : 255);
		knob = BGP_KNOB_EBGP_MULTIHOP;
	} else if (cmd_has(a, "connect")) {
		c->connect_retry = no ? 0 : (uint16_t)cmd_arg_u64(a, "connect");
		knob = BGP_KNOB_CONNECT;
		how = NBR_SOFT;
	} else if (cmd_has(a, "timers")) {
		unsigned long long hold = cmd_arg_u64(a, "hold");

		if (!no && hold != 0 && hold < 3) {
			cli_out(cli, "%% Hold time must be 0 or at least 3 seconds (RFC 4271 4.2)\n");
			return CMD_ERROR;
		}
		c->keepalive = no ? 0 : (uint16_t)cmd_arg_u64(a, "keepalive");
		c->holdtime = no ? 0 : (uint16_t)hold;
		knob = BGP_KNOB_TIMERS;
	} else if (cmd_has(a, "password")) {
		const char *pw = no ? "" : cmd_arg(a, "pw");

		if (strlen(pw) > 80) { /* TCP_MD5SIG_MAXKEYLEN */
			cli_out(cli, "%% Password longer than 80 characters\n");
			return CMD_ERROR;
		}
		if (strcmp(pw, "<hidden>") == 0) {
			cli_out(cli, "%% \"<hidden>\" is how show running-config masks a password; give the password\n");
			return CMD_ERROR;
		}
		snprintf(c->password, sizeof(c->password), "%s", pw);
		knob = BGP_KNOB_PASSWORD;
	} else if (cmd_has(a, "passive")) {
		c->passive = !no;
		knob = BGP_KNOB_PASSIVE;
	} else if (cmd_has(a, "shutdown")) {
		c->shutdown = !no;
		knob = BGP_KNOB_SHUTDOWN;
	}
	nbr_done(&n, knob, -1, 0, no, how);
	return CMD_SUCCESS;
}

/* `neighbor X bfd [profile NAME|check-control-plane-failure]` (FRR):
 * `no neighbor X bfd` turns BFD off; `no ... bfd profile` and `no ... bfd
 * check-control-plane-failure` undo only that part. */
static int neighbor_bfd_cmd(struct cli *cli, const struct cmd_args *a)
{
	bool no = cmd_is_no(a);
	struct nbr n;

	if (ctx_nbr(cli, a, &n) != 0)
		return CMD_ERROR;
	if (cmd_has(a, "profile")) {
		const char *name = no ? "" : cmd_arg(a, "bfdprof");

		if (strlen(name) >= sizeof(n.cfg->bfd_profile)) {
			cli_out(cli, "%% Profile name longer than %zu characters\n",
				sizeof(n.cfg->bfd_profile) - 1);
			return CMD_ERROR;
		}
		snprintf(n.cfg->bfd_profile, sizeof(n.cfg->bfd_profile), "%s", name);
		if (!no)
			n.cfg->bfd = true;
	} else if (cmd_has(a, "check-control-plane-failure")) {
		n.cfg->bfd_cpf = !no;
		if (!no)
			n.cfg->bfd = true;
	} else {
		n.cfg->bfd = !no;
		if (no) {
			n.cfg->bfd_profile[0] = '\0';
			n.cfg->bfd_cpf = false;
		}
	}
	/* `no` on a member inherits again only when nothing of BFD is left */
	nbr_done(&n, BGP_KNOB_BFD, -1, 0, no && !n.cfg->bfd, NBR_SOFT);
	return CMD_SUCCESS;
}

/* `neighbor X route-map|prefix-list|filter-list NAME in|out` */
static int neighbor_filter_cmd(struct cli *cli, const struct cmd_args *a)
{
	int af = bgp_cli_af(cli), d = cmd_has(a, "out") ? BGP_DIR_OUT : BGP_DIR_IN;
	const char *name = cmd_is_no(a) ? "" : cmd_arg(a, "name");
	struct bgp_peer_filter *f;
	uint32_t knob;
	char *slot;
	struct nbr n;

	if (ctx_nbr(cli, a, &n) != 0)
		return CMD_ERROR;
	if (strlen(name) >= BGP_POLICY_NAME_LEN) {
		cli_out(cli, "%% Name longer than %d characters\n", BGP_POLICY_NAME_LEN - 1);
		return CMD_ERROR;
	}
	f = &n.cfg->filter[af];
	if (cmd_has(a, "route-map")) {
		slot = f->route_map[d];
		knob = d == BGP_DIR_IN ? BGP_AFKNOB_RMAP_IN : BGP_AFKNOB_RMAP_OUT;
	} else if (cmd_has(a, "prefix-list")) {
		slot = f->prefix_list[d];
		knob = d == BGP_DIR_IN ? BGP_AFKNOB_PLIST_IN : BGP_AFKNOB_PLIST_OUT;
	} else {
		slot = f->filter_list[d];
		knob = d == BGP_DIR_IN ? BGP_AFKNOB_FLIST_IN : BGP_AFKNOB_FLIST_OUT;
	}
	snprintf(slot, BGP_POLICY_NAME_LEN, "%s", name);
	nbr_done(&n, 0, af, knob, cmd_is_no(a), d == BGP_DIR_IN ? NBR_POLICY_IN : NBR_POLICY_OUT);
	return CMD_SUCCESS;
}

static int neighbor_af_cmd(struct cli *cli, const struct cmd_args *a)
{
	int af = bgp_cli_af(cli);
	bool no = cmd_is_no(a);
	enum nbr_effect how = NBR_SOFT;
	struct bgp_peer_cfg *c;
	uint32_t knob = 0, afknob = 0;
	struct nbr n;

	if (ctx_nbr(cli, a, &n) != 0)
		return CMD_ERROR;
	c = n.cfg;
	if (cmd_has(a, "activate")) {
		c->af_active[af] = !no;
		how = NBR_RESET;
		if (n.peer != NULL) {
			/* `no neighbor X activate` on a member is its own setting
			 * (FRR writes it), not a return to the group's */
			n.peer->own_af[af] |= BGP_AFKNOB_ACTIVATE;
			no = false;
		} else {
			afknob = BGP_AFKNOB_ACTIVATE;
		}
	} else if (cmd_has(a, "route-reflector-client")) {
		if (!no && c->remote_as != n.b->asn &&
		    !(n.group != NULL && c->as_type == BGP_AS_UNSPEC)) {
			cli_out(cli, "%% Invalid command: not an internal neighbor\n");
			return CMD_ERROR;
		}
		c->rr_client[af] = !no;
		afknob = BGP_AFKNOB_RR_CLIENT;
		how = NBR_RESET;
	} else if (cmd_has(a, "next-hop-self")) {
		if (cmd_has(a, "force")) {
			c->nhs_force[af] = !no;
			afknob = BGP_AFKNOB_NHS_FORCE;
		} else {
			c->next_hop_self[af] = !no;
			afknob = BGP_AFKNOB_NHS;
		}
	} else if (cmd_has(a, "as-override")) {
		c->as_override = !no;
		knob = BGP_KNOB_AS_OVERRIDE;
	} else if (cmd_has(a, "allowas-in")) {
		c->allowas_in = no ? 0 : (cmd_has(a, "count") ? (uint8_t)cmd_arg_u64(a, "count") : 3);
		knob = BGP_KNOB_ALLOWAS_IN;
	} else if (cmd_has(a, "soo")) {
		char err[128];
		struct ecomm soo;

		memset(&soo, 0, sizeof(soo));
		if (!no && ecomm_parse(cmd_arg(a, "soo"), ECOMM_SUB_SOO, &soo, err, sizeof(err)) != 0) {
			cli_out(cli, "%% Invalid site of origin \"%s\": %s\n", cmd_arg(a, "soo"), err);
			return CMD_ERROR;
		}
		c->soo = soo;
		knob = BGP_KNOB_SOO;
	} else if (cmd_has(a, "maximum-prefix")) {
		c->max_prefix[af] = no ? 0 : (uint32_t)cmd_arg_u64(a, "max");
		c->max_prefix_restart = no || !cmd_has(a, "restart") ? 0 : (uint16_t)cmd_arg_u64(a, "restart");
		c->max_prefix_warning_only[af] = !no && cmd_has(a, "warning-only");
		afknob = BGP_AFKNOB_MAX_PREFIX;
	}
	nbr_done(&n, knob, af, afknob, no, how);
	return CMD_SUCCESS;
}

/* ---- running configuration ---- */

static void write_remote_as(struct cli *cli, const char *a, const struct bgp_peer_cfg *c)
{
	if (c->as_type == BGP_AS_INTERNAL)
		cli_out(cli, " neighbor %s remote-as internal\n", a);
	else if (c->as_type == BGP_AS_EXTERNAL)
		cli_out(cli, " neighbor %s remote-as external\n", a);
	else if (c->as_type == BGP_AS_SPECIFIED)
		cli_out(cli, " neighbor %s remote-as %u\n", a, c->remote_as);
}

/* The instance-level knobs in mask that have a value. */
static void write_global(struct cli *cli, const char *a, const struct bgp_peer_cfg *c, uint32_t mask)
{
	if ((mask & BGP_KNOB_DESCRIPTION) && c->description[0])
		cli_out(cli, " neighbor %s description %s\n", a, c->description);
	if ((mask & BGP_KNOB_PASSWORD) && c->password[0])
		cli_out(cli, " neighbor %s password %s\n", a,
			bgp_cfg_write_secrets ? c->password : "<hidden>");
	if ((mask & BGP_KNOB_EBGP_MULTIHOP) && c->ebgp_multihop > 1)
		cli_out(cli, " neighbor %s ebgp-multihop %u\n", a, c->ebgp_multihop);
	if ((mask & BGP_KNOB_UPDATE_SOURCE) && c->update_source[0])
		cli_out(cli, " neighbor %s update-source %s\n", a, c->update_source);
	else if ((mask & BGP_KNOB_UPDATE_SOURCE) && c->update_source_addr.af != 0) {
		char s[IPADDR_STRLEN];

		cli_out(cli, " neighbor %s update-source %s\n", a,
			ipaddr_ntop(&c->update_source_addr, s, sizeof(s)));
	}
	if ((mask & BGP_KNOB_TIMERS) && (c->holdtime || c->keepalive))
		cli_out(cli, " neighbor %s timers %u %u\n", a, c->keepalive, c->holdtime);
	if ((mask & BGP_KNOB_CONNECT) && c->connect_retry)
		cli_out(cli, " neighbor %s timers connect %u\n", a, c->connect_retry);
	if ((mask & BGP_KNOB_PASSIVE) && c->passive)
		cli_out(cli, " neighbor %s passive\n", a);
	if ((mask & BGP_KNOB_SHUTDOWN) && c->shutdown)
		cli_out(cli, " neighbor %s shutdown\n", a);
	if ((mask & BGP_KNOB_BFD) && c->bfd)
		cli_out(cli, " neighbor %s bfd\n", a);
	if ((mask & BGP_KNOB_BFD) && c->bfd && c->bfd_profile[0])
		cli_out(cli, " neighbor %s bfd profile %s\n", a, c->bfd_profile);
	if ((mask & BGP_KNOB_BFD) && c->bfd && c->bfd_cpf)
		cli_out(cli, " neighbor %s bfd check-control-plane-failure\n", a);
}

void bgp_neighbor_config_write(struct cli *cli, const struct bgp *b)
{
	const struct bgp_peer_group *g;
	const struct bgp_peer *p;
	char a[IPADDR_STRLEN];

	for (g = b->groups; g != NULL; g = g->next) {
		cli_out(cli, " neighbor %s peer-group\n", g->name);
		write_remote_as(cli, g->name, &g->cfg);
		write_global(cli, g->name, &g->cfg, BGP_KNOB_ALL);
	}
	for (p = b->peers; p != NULL; p = p->next) {
		ipaddr_ntop(&p->cfg.addr, a, sizeof(a));
		if (p->group == NULL) {
			write_remote_as(cli, a, &p->cfg);
			write_global(cli, a, &p->cfg, BGP_KNOB_ALL);
			continue;
		}
		if (p->group->cfg.as_type == BGP_AS_UNSPEC)
			write_remote_as(cli, a, &p->cfg);
		cli_out(cli, " neighbor %s peer-group %s\n", a, p->group->name);
		write_global(cli, a, &p->cfg, p->own);
	}
}

static void af_open(struct cli *cli, int af, bool *any)
{
	if (!*any)
		cli_out(cli, " !\n address-family %s\n", bgp_af_table[af].name);
	*any = true;
}

#define LINE(...)                                     \
	do {                                          \
		af_open(cli, af, any);                \
		cli_out(cli, "  neighbor " __VA_ARGS__); \
	} while (0)

/* One neighbor's lines in family af. gc: its group's cfg (a member: the
 * knobs it does not set are not written, activate is relative to gc). */
static void write_af(struct cli *cli, const struct bgp *b, int af, const char *a,
		     const struct bgp_peer_cfg *c, const struct bgp_peer_cfg *gc, uint32_t mask,
		     uint32_t afmask, bool *any)
{
	const struct bgp_peer_filter *f = &c->filter[af];
	char rdb[RD_STRLEN];
	bool v4u = af == BGP_AF_IPV4_UNICAST;
	int d;

	/* activate: relative to the group for a member (FRR), else to the
	 * instance default */
	if ((gc != NULL && c->af_active[af] != gc->af_active[af]) ||
	    (gc == NULL && v4u && c->af_active[af] != b->default_ipv4_unicast)) {
		af_open(cli, af, any);
		cli_out(cli, "  %sneighbor %s activate\n", c->af_active[af] ? "" : "no ", a);
	} else if (gc == NULL && !v4u && c->af_active[af]) {
		LINE("%s activate\n", a);
	}
	if ((afmask & BGP_AFKNOB_RR_CLIENT) && c->rr_client[af])
		LINE("%s route-reflector-client\n", a);
	if ((afmask & BGP_AFKNOB_NHS_FORCE) && c->nhs_force[af])
		LINE("%s next-hop-self force\n", a);
	if ((afmask & BGP_AFKNOB_NHS) && c->next_hop_self[af])
		LINE("%s next-hop-self\n", a);
	if (v4u && (mask & BGP_KNOB_AS_OVERRIDE) && c->as_override)
		LINE("%s as-override\n", a);
	if (v4u && (mask & BGP_KNOB_ALLOWAS_IN) && c->allowas_in)
		LINE("%s allowas-in %u\n", a, c->allowas_in);
	if (v4u && (mask & BGP_KNOB_SOO) && c->soo.b[1] == ECOMM_SUB_SOO)
		LINE("%s soo %s\n", a, ecomm_format(&c->soo, rdb, sizeof(rdb)));
	if ((afmask & BGP_AFKNOB_MAX_PREFIX) && c->max_prefix[af]) {
		LINE("%s maximum-prefix %u", a, c->max_prefix[af]);
		if (c->max_prefix_warning_only[af])
			cli_out(cli, " warning-only");
		else if (c->max_prefix_restart)
			cli_out(cli, " restart %u", c->max_prefix_restart);
		cli_out(cli, "\n");
	}
	/* FRR's bgp_config_write_filter order: prefix-list, route-map,
	 * filter-list, each in then out */
	for (d = BGP_DIR_IN; d <= BGP_DIR_OUT; d++)
		if ((afmask & (d == BGP_DIR_IN ? BGP_AFKNOB_PLIST_IN : BGP_AFKNOB_PLIST_OUT)) &&
		    f->prefix_list[d][0])
			LINE("%s prefix-list %s %s\n", a, f->prefix_list[d], d == BGP_DIR_IN ? "in" : "out");
	for (d = BGP_DIR_IN; d <= BGP_DIR_OUT; d++)
		if ((afmask & (d == BGP_DIR_IN ? BGP_AFKNOB_RMAP_IN : BGP_AFKNOB_RMAP_OUT)) &&
		    f->route_map[d][0])
			LINE("%s route-map %s %s\n", a, f->route_map[d], d == BGP_DIR_IN ? "in" : "out");
	for (d = BGP_DIR_IN; d <= BGP_DIR_OUT; d++)
		if ((afmask & (d == BGP_DIR_IN ? BGP_AFKNOB_FLIST_IN : BGP_AFKNOB_FLIST_OUT)) &&
		    f->filter_list[d][0])
			LINE("%s filter-list %s %s\n", a, f->filter_list[d], d == BGP_DIR_IN ? "in" : "out");
}

void bgp_neighbor_af_write(struct cli *cli, const struct bgp *b, int af, bool *any)
{
	const struct bgp_peer_group *g;
	const struct bgp_peer *p;
	char a[IPADDR_STRLEN];

	for (g = b->groups; g != NULL; g = g->next)
		write_af(cli, b, af, g->name, &g->cfg, NULL, BGP_KNOB_ALL, BGP_AFKNOB_ALL, any);
	for (p = b->peers; p != NULL; p = p->next) {
		ipaddr_ntop(&p->cfg.addr, a, sizeof(a));
		if (p->group == NULL)
			write_af(cli, b, af, a, &p->cfg, NULL, BGP_KNOB_ALL, BGP_AFKNOB_ALL, any);
		else
			write_af(cli, b, af, a, &p->cfg, &p->group->cfg, p->own, p->own_af[af], any);
	}
}
#undef LINE

/* ---- command tables ---- */

#define NB "neighbor <A.B.C.D$peer|X:X::X:X$peer|WORD$peer> "

static const struct cmd_def bgp_nbr_cmds[] = {
	{ NB "remote-as <(1-4294967295)$asn|internal|external>",
	  NEIGHBOR_STR "Specify a BGP neighbor\n" AS_STR "Internal BGP peer\nExternal BGP peer\n",
	  neighbor_remote_as_cmd },
	{ "no " NB "[remote-as [<(1-4294967295)|internal|external>]]",
	  NO_STR NEIGHBOR_STR "Specify a BGP neighbor\n" AS_STR "Internal BGP peer\nExternal BGP peer\n",
	  no_neighbor_cmd },
	{ "[no] neighbor WORD$peer peer-group",
	  NO_STR "Specify neighbor router\nInterface name or neighbor tag\nConfigure peer-group\n",
	  peer_group_cmd },
	{ "[no] neighbor <A.B.C.D$peer|X:X::X:X$peer> peer-group WORD$group",
	  NO_STR "Specify neighbor router\nNeighbor address\nNeighbor IPv6 address\n"
		 "Member of the peer-group\nPeer-group name\n",
	  peer_group_member_cmd },
	{ NB "description LINE$desc", NEIGHBOR_STR "Neighbor specific description\nText\n",
	  neighbor_opt_cmd },
	{ "no " NB "description [LINE]", NO_STR NEIGHBOR_STR "Neighbor specific description\nText\n",
	  neighbor_opt_cmd },
	{ NB "update-source <A.B.C.D$src|X:X::X:X$src|IFNAME$ifname>",
	  NEIGHBOR_STR "Source of routing updates\nIPv4 address\nIPv6 address\nInterface name\n",
	  neighbor_opt_cmd },
	{ "no " NB "update-source [<A.B.C.D|X:X::X:X|IFNAME>]",
	  NO_STR NEIGHBOR_STR "Source of routing updates\nIPv4 address\nIPv6 address\nInterface name\n",
	  neighbor_opt_cmd },
	{ NB "ebgp-multihop [(1-255)$ttl]",
	  NEIGHBOR_STR "Allow EBGP neighbors not on directly connected networks\nmaximum hop count\n",
	  neighbor_opt_cmd },
	{ "no " NB "ebgp-multihop [(1-255)]",
	  NO_STR NEIGHBOR_STR "Allow EBGP neighbors not on directly connected networks\nmaximum hop count\n",
	  neighbor_opt_cmd },
	{ NB "timers connect (1-65535)$connect",
	  NEIGHBOR_STR "BGP per neighbor timers\nBGP connect timer\nConnect timer in seconds\n",
	  neighbor_opt_cmd },
	{ "no " NB "timers connect [(1-65535)]",
	  NO_STR NEIGHBOR_STR "BGP per neighbor timers\nBGP connect timer\nConnect timer in seconds\n",
	  neighbor_opt_cmd },
	{ NB "timers (0-65535)$keepalive (0-65535)$hold",
	  NEIGHBOR_STR "BGP per neighbor timers\nKeepalive interval\nHoldtime\n", neighbor_opt_cmd },
	{ "no " NB "timers [(0-65535) (0-65535)]",
	  NO_STR NEIGHBOR_STR "BGP per neighbor timers\nKeepalive interval\nHoldtime\n",
	  neighbor_opt_cmd },
	{ NB "password LINE$pw", NEIGHBOR_STR "Set a password (TCP MD5)\nThe password\n",
	  neighbor_opt_cmd },
	{ "no " NB "password [LINE]", NO_STR NEIGHBOR_STR "Set a password (TCP MD5)\nThe password\n",
	  neighbor_opt_cmd },
	{ "[no] " NB "passive", NO_STR NEIGHBOR_STR "Don't send open messages to this neighbor\n",
	  neighbor_opt_cmd },
	{ "[no] " NB "shutdown", NO_STR NEIGHBOR_STR "Administratively shut down this neighbor\n",
	  neighbor_opt_cmd },
	{ "[no] " NB "bfd", NO_STR NEIGHBOR_STR "Enables BFD support\n", neighbor_bfd_cmd },
	{ NB "bfd profile BFDPROF$bfdprof",
	  NEIGHBOR_STR "Enables BFD support\nUse BFD profile\nUse profile name\n", neighbor_bfd_cmd },
	{ "no " NB "bfd profile [BFDPROF$bfdprof]",
	  NO_STR NEIGHBOR_STR "Enables BFD support\nUse BFD profile\nUse profile name\n",
	  neighbor_bfd_cmd },
	{ "[no] " NB "bfd check-control-plane-failure",
	  NO_STR NEIGHBOR_STR "Enables BFD support\nLink dataplane status with BGP control plane\n",
	  neighbor_bfd_cmd },
};

#define IN_OUT_STR "Filter incoming updates\nFilter outgoing updates\n"

static const struct cmd_def af_nbr_cmds[] = {
	{ "[no] " NB "activate", NO_STR NEIGHBOR_STR "Enable the Address Family for this Neighbor\n",
	  neighbor_af_cmd },
	{ "[no] " NB "route-reflector-client",
	  NO_STR NEIGHBOR_STR "Configure a neighbor as Route Reflector client\n", neighbor_af_cmd },
	{ "[no] " NB "next-hop-self [force]",
	  NO_STR NEIGHBOR_STR "Disable the next hop calculation for this neighbor\n"
		 "Set the next hop to self for reflected routes\n",
	  neighbor_af_cmd },
	{ "[no] " NB "as-override",
	  NO_STR NEIGHBOR_STR "Override ASNs in outbound updates if aspath equals remote-as\n",
	  neighbor_af_cmd },
	{ NB "allowas-in [(1-10)$count]",
	  NEIGHBOR_STR "Accept as-path with my AS present in it\nNumber of occurrences of AS number\n",
	  neighbor_af_cmd },
	{ "no " NB "allowas-in [(1-10)]",
	  NO_STR NEIGHBOR_STR "Accept as-path with my AS present in it\nNumber of occurrences of AS number\n",
	  neighbor_af_cmd },
	{ NB "soo ASN:NN_OR_IP-ADDRESS:NN$soo",
	  NEIGHBOR_STR "Site-of-Origin extended community\nSoO value (ASN:NN or A.B.C.D:NN)\n",
	  neighbor_af_cmd },
	{ "no " NB "soo [ASN:NN_OR_IP-ADDRESS:NN]",
	  NO_STR NEIGHBOR_STR "Site-of-Origin extended community\nSoO value\n", neighbor_af_cmd },
	{ NB "maximum-prefix (1-4294967295)$max [<restart (1-65535)$restart|warning-only>]",
	  NEIGHBOR_STR "Maximum number of prefixes accepted from this peer\nmaximum no. of prefix limit\n"
		       "Restart bgp connection after limit is exceeded\nRestart interval in minutes\n"
		       "Only give warning message when limit is exceeded\n",
	  neighbor_af_cmd },
	{ "no " NB "maximum-prefix [(1-4294967295) [<restart (1-65535)|warning-only>]]",
	  NO_STR NEIGHBOR_STR "Maximum number of prefixes accepted from this peer\nmaximum no. of prefix limit\n"
			      "Restart bgp connection after limit is exceeded\nRestart interval in minutes\n"
			      "Only give warning message when limit is exceeded\n",
	  neighbor_af_cmd },
	{ "[no] " NB "route-map WORD$name <in|out>",
	  NO_STR NEIGHBOR_STR "Apply route map to neighbor\nName of route map\n" IN_OUT_STR,
	  neighbor_filter_cmd },
	{ "no " NB "route-map <in|out>",
	  NO_STR NEIGHBOR_STR "Apply route map to neighbor\n" IN_OUT_STR, neighbor_filter_cmd },
	{ "[no] " NB "prefix-list WORD$name <in|out>",
	  NO_STR NEIGHBOR_STR "Filter updates to/from this neighbor\nName of a prefix list\n" IN_OUT_STR,
	  neighbor_filter_cmd },
	{ "no " NB "prefix-list <in|out>",
	  NO_STR NEIGHBOR_STR "Filter updates to/from this neighbor\n" IN_OUT_STR, neighbor_filter_cmd },
	{ "[no] " NB "filter-list WORD$name <in|out>",
	  NO_STR NEIGHBOR_STR "Establish BGP filters\nAS path access-list name\n" IN_OUT_STR,
	  neighbor_filter_cmd },
	{ "no " NB "filter-list <in|out>",
	  NO_STR NEIGHBOR_STR "Establish BGP filters\n" IN_OUT_STR, neighbor_filter_cmd },
};

void bgp_neighbor_cli_init(void)
{
	cmd_install_table(NODE_BGP, bgp_nbr_cmds, ARRAY_SIZE(bgp_nbr_cmds));
	cmd_install_table(NODE_BGP_AF, af_nbr_cmds, ARRAY_SIZE(af_nbr_cmds));
	/* at the `router bgp` level: IPv4 unicast, as FRR */
	cmd_install_table(NODE_BGP, af_nbr_cmds, ARRAY_SIZE(af_nbr_cmds));
}
