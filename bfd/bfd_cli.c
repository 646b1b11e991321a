/* BFD commands in FRR bfdd's syntax and layout:
 *   bfd
 *    profile NAME
 *     detect-multiplier (2-255) | transmit-interval (10-60000) |
 *     receive-interval (10-60000) | minimum-ttl (1-254) | passive-mode | shutdown
 *    peer <A.B.C.D|X:X::X:X> [{multihop|local-address ADDR|interface IFNAME|vrf NAME}]
 *     profile NAME | the same settings
 *   show bfd [vrf NAME] peers [brief|counters] [json]
 *   show bfd [vrf NAME] peer ADDR [{multihop|local-address ADDR|interface IFNAME}] [json]
 *   clear bfd [vrf NAME] peer ADDR [{...}] counters
 * JSON field names are bfdd's ("remote-id", "detect-multiplier", ...); text
 * output follows bfdd's too. Differences: echo mode is refused (not
 * implemented), an undeclared VRF is refused (a VRF is a namespace here),
 * and no RTT is shown (bfdd measures it with echo packets only). */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd/bfd.h"
#include "cli/cmd.h"
#include "vrf/vrf.h"

#define BFD_STR "Bidirectional Forwarding Detection\n"
#define PEER_STR "Configure peer\nIPv4 peer address\nIPv6 peer address\n"
#define KEY_SYNTAX                                                                  \
	"<A.B.C.D$peer|X:X::X:X$peer> [{multihop$mh|local-address <A.B.C.D$local|X:X::X:X$local>|" \
	"interface IFNAME$ifname|vrf NAME$vrf}]"
#define KEY_HELP                                                               \
	"Configure multihop\nConfigure local address\nIPv4 local address\n"   \
	"IPv6 local address\nConfigure interface\nInterface name\n" VRF_STR "VRF name\n"

static int key_from_args(struct cli *cli, const struct cmd_args *a, const char *vrf,
			 struct bfd_key *k)
{
	memset(k, 0, sizeof(*k));
	if (ipaddr_parse(cmd_arg(a, "peer"), &k->peer) != 0) {
		cli_out(cli, "%% Malformed peer address\n");
		return -1;
	}
	if (cmd_arg(a, "local") != NULL && ipaddr_parse(cmd_arg(a, "local"), &k->local) != 0) {
		cli_out(cli, "%% Malformed local address\n");
		return -1;
	}
	k->multihop = cmd_has(a, "mh");
	if (cmd_arg(a, "ifname") != NULL) {
		if (strlen(cmd_arg(a, "ifname")) >= sizeof(k->ifname)) {
			cli_out(cli, "%% Interface name too long\n");
			return -1;
		}
		snprintf(k->ifname, sizeof(k->ifname), "%s", cmd_arg(a, "ifname"));
	}
	if (vrf == NULL)
		vrf = cmd_arg(a, "vrf");
	if (vrf != NULL && strcmp(vrf, "default") != 0) {
		if (vrf_lookup(vrf) == NULL) {
			cli_out(cli, "%% VRF %s does not exist\n", vrf);
			return -1;
		}
		snprintf(k->vrf, sizeof(k->vrf), "%s", vrf);
	}
	if (k->multihop && k->ifname[0]) {
		cli_out(cli, "%% A multihop session is not bound to an interface\n");
		return -1;
	}
	return 0;
}

/* ---- configuration ---- */

static int bfd_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)a;
	cli_set_node(cli, NODE_BFD, NULL);
	return CMD_SUCCESS;
}

static int no_bfd_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bfd_sess *s, *next;

	(void)cli;
	(void)a;
	for (s = bfd_sess_first(); s != NULL; s = next) {
		next = bfd_sess_next(s);
		if (s->configured)
			bfd_peer_del(s);
	}
	while (bfd_profile_first() != NULL)
		bfd_profile_del(bfd_profile_first());
	return CMD_SUCCESS;
}

static int peer_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bfd_key k;
	struct bfd_sess *s;
	char err[128], ctx[16];

	if (key_from_args(cli, a, NULL, &k) != 0)
		return CMD_ERROR;
	if ((s = bfd_peer_get(&k, err, sizeof(err))) == NULL) {
		cli_out(cli, "%% %s\n", err);
		return CMD_ERROR;
	}
	snprintf(ctx, sizeof(ctx), "%u", s->local_disc);
	cli_set_node(cli, NODE_BFD_PEER, ctx);
	return CMD_SUCCESS;
}

static int no_peer_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bfd_key k;
	struct bfd_sess *s;

	if (key_from_args(cli, a, NULL, &k) != 0)
		return CMD_ERROR;
	if ((s = bfd_sess_lookup(&k)) == NULL || !s->configured) {
		cli_out(cli, "%% No such BFD peer\n");
		return CMD_ERROR;
	}
	bfd_peer_del(s);
	return CMD_SUCCESS;
}

static int profile_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "name");

	if (strlen(name) >= BFD_NAME_LEN) {
		cli_out(cli, "%% Profile name longer than %d characters\n", BFD_NAME_LEN - 1);
		return CMD_ERROR;
	}
	bfd_profile_get(name);
	cli_set_node(cli, NODE_BFD_PROFILE, name);
	return CMD_SUCCESS;
}

static int no_profile_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bfd_profile *p = bfd_profile_lookup(cmd_arg(a, "name"));

	if (p == NULL) {
		cli_out(cli, "%% No such BFD profile\n");
		return CMD_ERROR;
	}
	bfd_profile_del(p);
	return CMD_SUCCESS;
}

/* The settings a knob command changes: the peer's or the profile's. */
struct target {
	struct bfd_params *p;
	struct bfd_sess *s;
	struct bfd_profile *prof;
};

static int target(struct cli *cli, struct target *t)
{
	memset(t, 0, sizeof(*t));
	if (cli_node(cli) == NODE_BFD_PEER) {
		unsigned long d = strtoul(cli_ctx(cli), NULL, 10);

		t->s = bfd_sess_by_disc((uint32_t)d);
		if (t->s == NULL || !t->s->configured) {
			cli_out(cli, "%% This BFD peer no longer exists\n");
			return -1;
		}
		t->p = &t->s->own;
	} else {
		t->prof = bfd_profile_lookup(cli_ctx(cli));
		if (t->prof == NULL) {
			cli_out(cli, "%% This BFD profile no longer exists\n");
			return -1;
		}
		t->p = &t->prof->p;
	}
	return 0;
}

static void target_done(struct target *t)
{
	if (t->s != NULL)
		bfd_peer_changed(t->s);
	else
		bfd_profile_changed(t->prof);
}

static int knob_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct target t;
	bool no = cmd_is_no(a);
	uint32_t bit;

	if (target(cli, &t) != 0)
		return CMD_ERROR;
	if (cmd_has(a, "detect-multiplier")) {
		bit = BFD_SET_MULT;
		t.p->detect_mult = (uint8_t)cmd_arg_u64(a, "mult");
	} else if (cmd_has(a, "transmit-interval")) {
		bit = BFD_SET_TX;
		t.p->tx_ms = (uint32_t)cmd_arg_u64(a, "ms");
	} else if (cmd_has(a, "receive-interval")) {
		bit = BFD_SET_RX;
		t.p->rx_ms = (uint32_t)cmd_arg_u64(a, "ms");
	} else if (cmd_has(a, "minimum-ttl")) {
		if (t.s != NULL && !t.s->key.multihop && !no) {
			cli_out(cli, "%% Minimum TTL is only available for multi hop sessions.\n");
			return CMD_ERROR;
		}
		bit = BFD_SET_TTL;
		t.p->min_ttl = (uint8_t)cmd_arg_u64(a, "ttl");
	} else if (cmd_has(a, "passive-mode")) {
		bit = BFD_SET_PASSIVE;
		t.p->passive = true;
	} else {
		bit = BFD_SET_SHUTDOWN;
		t.p->shutdown = true;
	}
	if (no)
		t.p->set &= ~bit;
	else
		t.p->set |= bit;
	target_done(&t);
	return CMD_SUCCESS;
}

static int peer_profile_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct target t;
	const char *name = cmd_is_no(a) ? "" : cmd_arg(a, "name");

	if (target(cli, &t) != 0)
		return CMD_ERROR;
	if (strlen(name) >= BFD_NAME_LEN) {
		cli_out(cli, "%% Profile name longer than %d characters\n", BFD_NAME_LEN - 1);
		return CMD_ERROR;
	}
	snprintf(t.s->profile, sizeof(t.s->profile), "%s", name);
	target_done(&t);
	return CMD_SUCCESS;
}

static int echo_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct target t;

	if (target(cli, &t) != 0)
		return CMD_ERROR;
	if (cmd_is_no(a))
		return CMD_SUCCESS; /* echo is never on */
	cli_out(cli, "%% Echo mode is not supported: ped detects failures with control packets "
		     "only (set shorter transmit and receive intervals instead)\n");
	return CMD_ERROR;
}

/* ---- running configuration ---- */

static void params_write(struct cli *cli, const struct bfd_params *p, bool multihop)
{
	if (p->set & BFD_SET_MULT)
		cli_out(cli, "  detect-multiplier %u\n", p->detect_mult);
	if (p->set & BFD_SET_TX)
		cli_out(cli, "  transmit-interval %u\n", p->tx_ms);
	if (p->set & BFD_SET_RX)
		cli_out(cli, "  receive-interval %u\n", p->rx_ms);
	if ((p->set & BFD_SET_TTL) && multihop)
		cli_out(cli, "  minimum-ttl %u\n", p->min_ttl);
	if ((p->set & BFD_SET_PASSIVE) && p->passive)
		cli_out(cli, "  passive-mode\n");
	if ((p->set & BFD_SET_SHUTDOWN) && p->shutdown)
		cli_out(cli, "  shutdown\n");
}

void bfd_config_write(struct cli *cli)
{
	bool any = bfd_profile_first() != NULL;
	char key[160];

	for (const struct bfd_sess *s = bfd_sess_first(); s != NULL; s = bfd_sess_next(s))
		any |= s->configured;
	if (!any)
		return;
	cli_out(cli, "bfd\n");
	for (const struct bfd_profile *p = bfd_profile_first(); p != NULL; p = p->next) {
		cli_out(cli, " profile %s\n", p->name);
		params_write(cli, &p->p, true);
		cli_out(cli, " exit\n !\n");
	}
	for (const struct bfd_sess *s = bfd_sess_first(); s != NULL; s = bfd_sess_next(s)) {
		if (!s->configured)
			continue;
		cli_out(cli, " peer %s\n", bfd_key_str(&s->key, key, sizeof(key)));
		if (s->profile[0])
			cli_out(cli, "  profile %s\n", s->profile);
		params_write(cli, &s->own, s->key.multihop);
		cli_out(cli, " exit\n !\n");
	}
	cli_out(cli, "exit\n!\n");
}

/* ---- show ---- */

static const char *status_str(uint8_t st)
{
	static const char *const s[] = { "shutdown", "down", "init", "up" };

	return st < 4 ? s[st] : "?";
}

static const char *diag_str(uint8_t d)
{
	return d == BFD_DIAG_NONE ? "ok" : bfd_diag_str(d);
}

static bool vrf_match(const struct bfd_sess *s, const char *vrf)
{
	if (vrf == NULL)
		return true;
	if (strcmp(vrf, "default") == 0)
		return s->key.vrf[0] == '\0';
	return strcmp(vrf, s->key.vrf) == 0;
}

static void jadd(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

static void key_json(json_object *o, const struct bfd_sess *s)
{
	char b[IPADDR_STRLEN];

	jadd(o, "multihop", json_object_new_boolean(s->key.multihop));
	jadd(o, "peer", json_object_new_string(ipaddr_ntop(&s->key.peer, b, sizeof(b))));
	if (s->key.local.af != 0)
		jadd(o, "local", json_object_new_string(ipaddr_ntop(&s->key.local, b, sizeof(b))));
	jadd(o, "vrf", json_object_new_string(s->key.vrf[0] ? s->key.vrf : "default"));
	if (s->key.ifname[0])
		jadd(o, "interface", json_object_new_string(s->key.ifname));
}

static json_object *peer_json(const struct bfd_sess *s)
{
	json_object *o = json_object_new_object();
	int64_t age = (int64_t)((bfd_now() - s->since) / 1000000u);

	key_json(o, s);
	jadd(o, "id", json_object_new_int64(s->local_disc));
	jadd(o, "remote-id", json_object_new_int64(s->remote_disc));
	jadd(o, "passive-mode", json_object_new_boolean(s->eff.passive));
	if (s->key.multihop)
		jadd(o, "minimum-ttl", json_object_new_int(s->eff.min_ttl));
	jadd(o, "status", json_object_new_string(status_str(s->state)));
	if (s->state == BFD_UP)
		jadd(o, "uptime", json_object_new_int64(age));
	else if (s->state != BFD_ADMIN_DOWN)
		jadd(o, "downtime", json_object_new_int64(age));
	jadd(o, "diagnostic", json_object_new_string(diag_str(s->diag)));
	jadd(o, "remote-diagnostic", json_object_new_string(diag_str(s->remote_diag)));
	jadd(o, "receive-interval", json_object_new_int64(s->eff.rx_ms));
	jadd(o, "transmit-interval", json_object_new_int64(s->eff.tx_ms));
	jadd(o, "echo-receive-interval", json_object_new_int(0));
	jadd(o, "echo-transmit-interval", json_object_new_int(0));
	jadd(o, "detect-multiplier", json_object_new_int(s->eff.detect_mult));
	jadd(o, "remote-receive-interval", json_object_new_int64(s->remote_min_rx / 1000));
	jadd(o, "remote-transmit-interval", json_object_new_int64(s->remote_desired_min_tx / 1000));
	jadd(o, "remote-echo-receive-interval", json_object_new_int64(s->remote_min_echo_rx / 1000));
	jadd(o, "remote-detect-multiplier", json_object_new_int(s->remote_detect_mult));
	/* ours: what the session runs at now (slow rate while not Up) */
	jadd(o, "peerType", json_object_new_string(s->configured ? "configured" : "dynamic"));
	jadd(o, "clients", json_object_new_int((int)bfd_sess_nclients(s)));
	jadd(o, "actualTransmitIntervalMs", json_object_new_int64((int64_t)(bfd_sess_tx_interval(s) / 1000)));
	jadd(o, "detectTimeMs", json_object_new_int64((int64_t)(bfd_sess_detect_time(s) / 1000)));
	return o;
}

static json_object *counters_json(const struct bfd_sess *s)
{
	json_object *o = json_object_new_object();

	key_json(o, s);
	jadd(o, "control-packet-input", json_object_new_int64((int64_t)s->cnt.rx));
	jadd(o, "control-packet-output", json_object_new_int64((int64_t)s->cnt.tx));
	jadd(o, "echo-packet-input", json_object_new_int(0));
	jadd(o, "echo-packet-output", json_object_new_int(0));
	jadd(o, "session-up", json_object_new_int64((int64_t)s->cnt.up));
	jadd(o, "session-down", json_object_new_int64((int64_t)s->cnt.down));
	jadd(o, "zebra-notifications", json_object_new_int64((int64_t)s->cnt.notifications));
	jadd(o, "control-packet-dropped", json_object_new_int64((int64_t)s->cnt.rx_dropped));
	return o;
}

/* bfdd's "1 minute(s), 5 second(s)" */
static void duration(struct cli *cli, long secs)
{
	static const struct {
		long n;
		const char *unit;
	} u[] = { { 86400 * 30, "month" }, { 86400, "day" }, { 3600, "hour" }, { 60, "minute" } };
	bool any = false;

	for (size_t i = 0; i < ARRAY_SIZE(u); i++)
		if (secs >= u[i].n) {
			cli_out(cli, "%s%ld %s(s)", any ? ", " : "", secs / u[i].n, u[i].unit);
			secs %= u[i].n;
			any = true;
		}
	cli_out(cli, "%s%ld second(s)\n", any ? ", " : "", secs);
}

static void peer_header(struct cli *cli, const struct bfd_sess *s)
{
	char p[IPADDR_STRLEN], l[IPADDR_STRLEN];

	cli_out(cli, "\tpeer %s%s", ipaddr_ntop(&s->key.peer, p, sizeof(p)),
		s->key.multihop ? " multihop" : "");
	if (s->key.local.af != 0)
		cli_out(cli, " local-address %s", ipaddr_ntop(&s->key.local, l, sizeof(l)));
	cli_out(cli, " vrf %s", s->key.vrf[0] ? s->key.vrf : "default");
	if (s->key.ifname[0])
		cli_out(cli, " interface %s", s->key.ifname);
	cli_out(cli, "\n");
}

static void peer_text(struct cli *cli, const struct bfd_sess *s)
{
	long age = (long)((bfd_now() - s->since) / 1000000u);

	peer_header(cli, s);
	cli_out(cli, "\t\tID: %u\n\t\tRemote ID: %u\n", s->local_disc, s->remote_disc);
	cli_out(cli, "\t\t%s mode\n", s->eff.passive ? "Passive" : "Active");
	if (s->key.multihop)
		cli_out(cli, "\t\tMinimum TTL: %u\n", s->eff.min_ttl);
	cli_out(cli, "\t\tStatus: %s\n", status_str(s->state));
	if (s->state == BFD_UP) {
		cli_out(cli, "\t\tUptime: ");
		duration(cli, age);
	} else if (s->state != BFD_ADMIN_DOWN) {
		cli_out(cli, "\t\tDowntime: ");
		duration(cli, age);
	}
	cli_out(cli, "\t\tDiagnostics: %s\n\t\tRemote diagnostics: %s\n", diag_str(s->diag),
		diag_str(s->remote_diag));
	cli_out(cli, "\t\tPeer Type: %s\n", s->configured ? "configured" : "dynamic");
	cli_out(cli, "\t\tLocal timers:\n\t\t\tDetect-multiplier: %u\n\t\t\tReceive interval: %ums\n"
		     "\t\t\tTransmission interval: %ums\n\t\t\tEcho receive interval: disabled\n"
		     "\t\t\tEcho transmission interval: disabled\n",
		s->eff.detect_mult, s->eff.rx_ms, s->eff.tx_ms);
	cli_out(cli, "\t\tRemote timers:\n\t\t\tDetect-multiplier: %u\n\t\t\tReceive interval: %ums\n"
		     "\t\t\tTransmission interval: %ums\n",
		s->remote_detect_mult, s->remote_min_rx / 1000, s->remote_desired_min_tx / 1000);
	if (s->remote_min_echo_rx)
		cli_out(cli, "\t\t\tEcho receive interval: %ums\n", s->remote_min_echo_rx / 1000);
	else
		cli_out(cli, "\t\t\tEcho receive interval: disabled\n");
	cli_out(cli, "\n");
}

static void counters_text(struct cli *cli, const struct bfd_sess *s)
{
	peer_header(cli, s);
	cli_out(cli, "\t\tControl packet input: %llu packets\n\t\tControl packet output: %llu packets\n"
		     "\t\tControl packets dropped: %llu packets\n"
		     "\t\tEcho packet input: 0 packets\n\t\tEcho packet output: 0 packets\n"
		     "\t\tSession up events: %llu\n\t\tSession down events: %llu\n"
		     "\t\tClient notifications: %llu\n\n",
		(unsigned long long)s->cnt.rx, (unsigned long long)s->cnt.tx,
		(unsigned long long)s->cnt.rx_dropped, (unsigned long long)s->cnt.up,
		(unsigned long long)s->cnt.down, (unsigned long long)s->cnt.notifications);
}

static int show_peers_cmd(struct cli *cli, const struct cmd_args *a)
{
	const char *vrf = cmd_arg(a, "vrf");
	bool json = cmd_has(a, "json"), counters = cmd_has(a, "counters"), brief = cmd_has(a, "brief");
	json_object *arr = json ? json_object_new_array() : NULL;
	size_t n = 0;

	if (vrf != NULL && strcmp(vrf, "default") != 0 && vrf_lookup(vrf) == NULL) {
		if (arr != NULL)
			json_object_put(arr);
		cli_out(cli, "%% VRF %s does not exist\n", vrf);
		return CMD_ERROR;
	}
	for (const struct bfd_sess *s = bfd_sess_first(); s != NULL; s = bfd_sess_next(s))
		n += vrf_match(s, vrf);
	if (!json && brief) {
		cli_out(cli, "Session count: %zu\n", n);
		cli_out(cli, "%-10s %-40s %-40s %-15s\n", "SessionId", "LocalAddress", "PeerAddress",
			"Status");
		cli_out(cli, "%-10s %-40s %-40s %-15s\n", "=========", "============", "===========",
			"======");
	} else if (!json) {
		cli_out(cli, "BFD Peers:\n");
	}
	for (const struct bfd_sess *s = bfd_sess_first(); s != NULL; s = bfd_sess_next(s)) {
		char l[IPADDR_STRLEN], p[IPADDR_STRLEN];

		if (!vrf_match(s, vrf))
			continue;
		if (json)
			json_object_array_add(arr, counters ? counters_json(s) : peer_json(s));
		else if (counters)
			counters_text(cli, s);
		else if (brief)
			cli_out(cli, "%-10u %-40s %-40s %-15s\n", s->local_disc,
				s->key.local.af ? ipaddr_ntop(&s->key.local, l, sizeof(l))
						: (s->key.peer.af == AF_INET6 ? "::" : "0.0.0.0"),
				ipaddr_ntop(&s->key.peer, p, sizeof(p)), status_str(s->state));
		else
			peer_text(cli, s);
	}
	if (json)
		cli_json(cli, arr);
	return CMD_SUCCESS;
}

static struct bfd_sess *peer_from_args(struct cli *cli, const struct cmd_args *a)
{
	struct bfd_key k;
	struct bfd_sess *s;

	if (key_from_args(cli, a, NULL, &k) != 0)
		return NULL;
	if ((s = bfd_sess_lookup(&k)) == NULL)
		cli_out(cli, "%% No such BFD peer\n");
	return s;
}

static int show_peer_cmd(struct cli *cli, const struct cmd_args *a)
{
	const struct bfd_sess *s = peer_from_args(cli, a);

	if (s == NULL)
		return CMD_ERROR;
	if (cmd_has(a, "json")) {
		cli_json(cli, peer_json(s));
		return CMD_SUCCESS;
	}
	cli_out(cli, "BFD Peer:\n");
	peer_text(cli, s);
	return CMD_SUCCESS;
}

static int clear_counters_cmd(struct cli *cli, const struct cmd_args *a)
{
	struct bfd_sess *s = peer_from_args(cli, a);

	if (s == NULL)
		return CMD_ERROR;
	memset(&s->cnt, 0, sizeof(s->cnt));
	return CMD_SUCCESS;
}

static const struct cmd_def config_cmds[] = {
	{ "bfd", BFD_STR, bfd_cmd },
	{ "no bfd", NO_STR BFD_STR, no_bfd_cmd },
};

static const struct cmd_def bfd_cmds[] = {
	{ "peer " KEY_SYNTAX, PEER_STR KEY_HELP, peer_cmd },
	{ "no peer " KEY_SYNTAX, NO_STR PEER_STR KEY_HELP, no_peer_cmd },
	{ "profile WORD$name", "BFD profile\nProfile name\n", profile_cmd },
	{ "no profile WORD$name", NO_STR "BFD profile\nProfile name\n", no_profile_cmd },
};

static const struct cmd_def knob_cmds[] = {
	{ "detect-multiplier (1-255)$mult",
	  "Configure peer detection multiplier\nConfigure peer detection multiplier value\n",
	  knob_cmd },
	{ "no detect-multiplier [(1-255)]",
	  NO_STR "Configure peer detection multiplier\nConfigure peer detection multiplier value\n",
	  knob_cmd },
	{ "transmit-interval (10-60000)$ms",
	  "Configure peer transmit interval\nConfigure peer transmit interval value in milliseconds\n",
	  knob_cmd },
	{ "no transmit-interval [(10-60000)]",
	  NO_STR "Configure peer transmit interval\nConfigure peer transmit interval value in milliseconds\n",
	  knob_cmd },
	{ "receive-interval (10-60000)$ms",
	  "Configure peer receive interval\nConfigure peer receive interval value in milliseconds\n",
	  knob_cmd },
	{ "no receive-interval [(10-60000)]",
	  NO_STR "Configure peer receive interval\nConfigure peer receive interval value in milliseconds\n",
	  knob_cmd },
	{ "minimum-ttl (1-254)$ttl",
	  "Expect packets with at least this TTL\nMinimum TTL expected (multihop)\n", knob_cmd },
	{ "no minimum-ttl [(1-254)]", NO_STR "Expect packets with at least this TTL\nMinimum TTL\n",
	  knob_cmd },
	{ "[no] passive-mode", NO_STR "Don't attempt to start sessions\n", knob_cmd },
	{ "[no] shutdown", NO_STR "Disable BFD peer\n", knob_cmd },
	{ "[no] echo-mode", NO_STR "Configure echo mode\n", echo_cmd },
	{ "[no] echo-interval (10-60000)", NO_STR "Configure peer echo intervals\nInterval\n", echo_cmd },
	{ "[no] echo transmit-interval (10-60000)",
	  NO_STR "Echo\nConfigure peer echo transmit interval\nInterval\n", echo_cmd },
	{ "[no] echo receive-interval <disabled|(10-60000)>",
	  NO_STR "Echo\nConfigure peer echo receive interval\nDisable echo packets receive\nInterval\n",
	  echo_cmd },
};

static const struct cmd_def peer_cmds[] = {
	{ "profile WORD$name", "Use BFD profile settings\nProfile name\n", peer_profile_cmd },
	{ "no profile [WORD$name]", NO_STR "Use BFD profile settings\nProfile name\n",
	  peer_profile_cmd },
};

#define SHOW_BFD SHOW_STR BFD_STR VRF_STR "VRF name\n"
static const struct cmd_def show_cmds[] = {
	{ "show bfd [vrf NAME$vrf] peers [brief$brief|counters$counters] [json]",
	  SHOW_BFD "BFD peers status\nShow brief peer information\nShow BFD peer counters information\n" JSON_STR,
	  show_peers_cmd },
	{ "show bfd [vrf NAME$vrf] peer " KEY_SYNTAX " [json]",
	  SHOW_BFD "BFD peer\nIPv4 peer address\nIPv6 peer address\n" KEY_HELP JSON_STR,
	  show_peer_cmd },
	{ "clear bfd peer " KEY_SYNTAX " counters",
	  "Reset functions\n" BFD_STR "BFD peer\nIPv4 peer address\nIPv6 peer address\n" KEY_HELP
	  "Clear BFD peer counters\n",
	  clear_counters_cmd },
};

void bfd_cli_init(void)
{
	cmd_node_install(NODE_BFD, "config-bfd", NODE_CONFIG);
	cmd_node_install(NODE_BFD_PEER, "config-bfd-peer", NODE_BFD);
	cmd_node_install(NODE_BFD_PROFILE, "config-bfd-profile", NODE_BFD);
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
	cmd_install_table(NODE_BFD, bfd_cmds, ARRAY_SIZE(bfd_cmds));
	cmd_install_table(NODE_BFD_PEER, knob_cmds, ARRAY_SIZE(knob_cmds));
	cmd_install_table(NODE_BFD_PROFILE, knob_cmds, ARRAY_SIZE(knob_cmds));
	cmd_install_table(NODE_BFD_PEER, peer_cmds, ARRAY_SIZE(peer_cmds));
	cmd_install_table(NODE_VIEW, show_cmds, ARRAY_SIZE(show_cmds));
}
