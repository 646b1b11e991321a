/* The dataplane's show/clear commands and its configuration knob:
 *   show dataplane [json]       per port and per VRF counters by cause, and
 *                               by family (ipv4/ipv6) beside the totals
 *   clear dataplane counters    a baseline kept here (the worker's counters stay)
 *   show mpls table [LABEL] [json]  the installed LFIB (FRR's field names);
 *                               with LABEL that entry alone, its object
 *                               itself in JSON as zebra prints it ({} if none)
 *   [no] mpls ip propagate-ttl  uniform (default) or pipe TTL mode
 * (counters: the C pipeline's plus the XDP program's, fwd_backend.c)
 * One json-c tree per view; text is rendered beside it. */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/prefix.h"
#include "pe/fwd/fwd_ctl.h"
#include "pe/hitless.h"
#include "pe/fwd/fwd_ctl_priv.h"
#include "pe/fwd/worker.h"
#include "pe/iface.h"
#include "vrf/vrf.h"


/* One family's share (fwd.h struct fwd_af_counters), as "ipv4"/"ipv6". */
static json_object *af_json(const struct fwd_af_counters *c, const struct fwd_af_counters *base)
{
	json_object *o = json_object_new_object(), *drops = json_object_new_object();
	uint64_t total = 0;
	int d;

#define N(x) json_object_new_int64((int64_t)(x))
	json_object_object_add(o, "txPackets", N(c->tx_pkts - base->tx_pkts));
	json_object_object_add(o, "txBytes", N(c->tx_bytes - base->tx_bytes));
	json_object_object_add(o, "punted", N(c->punt - base->punt));
	json_object_object_add(o, "icmpSent", N(c->icmp_sent - base->icmp_sent));
	for (d = 1; d < FWD_DROP_MAX; d++) {
		uint64_t v = c->drop[d] - base->drop[d];

		total += v;
		json_object_object_add(drops, fwd_drop_name((enum fwd_drop)d), N(v));
	}
	json_object_object_add(o, "dropped", N(total));
	json_object_object_add(o, "drops", drops);
#undef N
	return o;
}

static void counters_json(json_object *o, const struct fwd_counters *c,
			  const struct fwd_counters *base)
{
	json_object *drops = json_object_new_object();
	uint64_t total = 0;
	int d;

	json_object_object_add(o, "rxPackets", json_object_new_int64((int64_t)(c->rx_pkts - base->rx_pkts)));
	json_object_object_add(o, "rxBytes", json_object_new_int64((int64_t)(c->rx_bytes - base->rx_bytes)));
	json_object_object_add(o, "txPackets", json_object_new_int64((int64_t)(c->tx_pkts - base->tx_pkts)));
	json_object_object_add(o, "txBytes", json_object_new_int64((int64_t)(c->tx_bytes - base->tx_bytes)));
	json_object_object_add(o, "punted", json_object_new_int64((int64_t)(c->punt - base->punt)));
	json_object_object_add(o, "icmpSent",
			       json_object_new_int64((int64_t)(c->icmp_sent - base->icmp_sent)));
	for (d = 1; d < FWD_DROP_MAX; d++) {
		uint64_t v = c->drop[d] - base->drop[d];

		total += v;
		json_object_object_add(drops, fwd_drop_name((enum fwd_drop)d),
				       json_object_new_int64((int64_t)v));
	}
	json_object_object_add(o, "dropped", json_object_new_int64((int64_t)total));
	json_object_object_add(o, "drops", drops);
	json_object_object_add(o, "icmpRateLimited", json_object_new_int64(
			       (int64_t)(c->icmp_limited - base->icmp_limited)));
	json_object_object_add(o, "ipv4",
			       af_json(&c->af[FWD_AF_IPV4 - 1], &base->af[FWD_AF_IPV4 - 1]));
	json_object_object_add(o, "ipv6",
			       af_json(&c->af[FWD_AF_IPV6 - 1], &base->af[FWD_AF_IPV6 - 1]));
}

static void counters_text(struct cli *cli, const struct fwd_counters *c,
			  const struct fwd_counters *base)
{
	int d, f;

	cli_out(cli, "    rx %llu packets %llu bytes, tx %llu packets %llu bytes, punted %llu, ICMP sent %llu\n",
		(unsigned long long)(c->rx_pkts - base->rx_pkts),
		(unsigned long long)(c->rx_bytes - base->rx_bytes),
		(unsigned long long)(c->tx_pkts - base->tx_pkts),
		(unsigned long long)(c->tx_bytes - base->tx_bytes),
		(unsigned long long)(c->punt - base->punt),
		(unsigned long long)(c->icmp_sent - base->icmp_sent));
	for (d = 1; d < FWD_DROP_MAX; d++)
		if (c->drop[d] != base->drop[d])
			cli_out(cli, "    dropped %s: %llu\n", fwd_drop_name((enum fwd_drop)d),
				(unsigned long long)(c->drop[d] - base->drop[d]));
	if (c->icmp_limited != base->icmp_limited)
		cli_out(cli, "    ICMP errors not sent (rate limit): %llu\n",
			(unsigned long long)(c->icmp_limited - base->icmp_limited));
	for (f = 0; f < 2; f++) {
		const struct fwd_af_counters *a = &c->af[f], *ab = &base->af[f];
		uint64_t dropped = 0;

		for (d = 1; d < FWD_DROP_MAX; d++)
			dropped += a->drop[d] - ab->drop[d];
		if (a->tx_pkts == ab->tx_pkts && a->punt == ab->punt && dropped == 0)
			continue; /* a family without traffic */
		cli_out(cli,
			"    %s: tx %llu packets %llu bytes, punted %llu, ICMP sent %llu, dropped %llu\n",
			f == FWD_AF_IPV4 - 1 ? "IPv4" : "IPv6",
			(unsigned long long)(a->tx_pkts - ab->tx_pkts),
			(unsigned long long)(a->tx_bytes - ab->tx_bytes),
			(unsigned long long)(a->punt - ab->punt),
			(unsigned long long)(a->icmp_sent - ab->icmp_sent),
			(unsigned long long)dropped);
		for (d = 1; d < FWD_DROP_MAX; d++)
			if (a->drop[d] != ab->drop[d])
				cli_out(cli, "      dropped %s: %llu\n",
					fwd_drop_name((enum fwd_drop)d),
					(unsigned long long)(a->drop[d] - ab->drop[d]));
	}
}

/* core, customer, or local: a VRF's local port (pe/localport.c) */
static const char *port_role(const struct port *p)
{
	if (p->vrf_id == 0)
		return "core";
	return localport_name(p->name) ? "local" : "customer";
}

static int show_dataplane_cmd(struct cli *cli, const struct cmd_args *a)
{
	bool json = cmd_has(a, "json");
	json_object *top = json_object_new_object(), *ports = json_object_new_object(),
		    *vrfs = json_object_new_object();
	struct fwd_counters c;
	struct vrf *v;
	int i;

	json_object_object_add(top, "workerRunning", json_object_new_boolean(fc.running));
	json_object_object_add(top, "backend", json_object_new_string(be_default_name()));
	be_show(top);
	hitless_json(top);
	fwd_ctl_pic_json(top);
	json_object_object_add(top, "ttlMode", json_object_new_string(
			       atomic_load(&fc.t->ttl_pipe) ? "pipe" : "uniform"));
	json_object_object_add(top, "resolveRequests",
			       json_object_new_int64((int64_t)fc.resolve_requests));
	json_object_object_add(top, "resolveRequestsIpv6",
			       json_object_new_int64((int64_t)fc.resolve_requests6));
	if (!json)
		cli_out(cli, "Dataplane: backend %s, worker %s, TTL mode %s\n", be_default_name(),
			fc.running ? "running" : "idle",
			atomic_load(&fc.t->ttl_pipe) ? "pipe" : "uniform");
	if (!json) {
		json_object *r = json_object_object_get(top, "restart");
		const char *st = json_object_get_string(json_object_object_get(r, "state"));

		if (strcmp(st, "adopting") == 0)
			cli_out(cli, "Restart: adopting the previous ped's forwarding (%d ports) for "
				     "%.1f s\n",
				json_object_get_int(json_object_object_get(r, "adoptedPorts")),
				json_object_get_double(json_object_object_get(r, "elapsedSecs")));
		else if (strcmp(st, "complete") == 0)
			cli_out(cli, "Restart: hitless, complete after %.2f s (%s)\n",
				json_object_get_double(json_object_object_get(r, "tookSecs")),
				json_object_get_string(json_object_object_get(r, "completedBy")));
	}
	if (!json) {
		json_object *pes = json_object_object_get(top, "picRemotePes");

		for (size_t k = 0; k < json_object_array_length(pes); k++) {
			json_object *e = json_object_array_get_idx(pes, k);
			json_object *why = json_object_object_get(e, "downReason");

			cli_out(cli, "PIC: remote PE %s %s%s%s, %lld transitions\n",
				json_object_get_string(json_object_object_get(e, "address")),
				json_object_get_string(json_object_object_get(e, "state")),
				why ? " by " : "", why ? json_object_get_string(why) : "",
				(long long)json_object_get_int64(
					json_object_object_get(e, "transitions")));
		}
	}
	for (i = 0; i < FWD_MAX_PORTS; i++) {
		struct port *p = &fc.port[i];
		struct fwd_port_cfg *cfg;
		json_object *o;

		if (!p->used)
			continue;
		cfg = atomic_load(&fc.t->port[i]);
		v = vrf_lookup_id(p->vrf_id);
		be_port_counters(i, &c);
		o = json_object_new_object();
		json_object_object_add(o, "vrf", json_object_new_string(v ? v->name : "?"));
		json_object_object_add(o, "role", json_object_new_string(port_role(p)));
		json_object_object_add(o, "ifindex", json_object_new_int(p->ifindex));
		json_object_object_add(o, "up", json_object_new_boolean(cfg && cfg->up));
		json_object_object_add(o, "open", json_object_new_boolean(p->open));
		be_show_port(o, i);
		json_object_object_add(o, "mtu", json_object_new_int64(cfg ? cfg->mtu : 0));
		if (p->vrf_id)
			json_object_object_add(o, "customerMtu", json_object_new_int64(
					       fwd_ctl_customer_mtu(p->vrf_id, p->name)));
		if (p->open)
			p->ring_drops = fwd_worker_ring_drops(fc.w, (uint16_t)i);
		json_object_object_add(o, "ringDrops", json_object_new_int64((int64_t)p->ring_drops));
		counters_json(o, &c, &p->base);
		json_object_object_add(ports, p->name, o);
		if (!json) {
			cli_out(cli, "  port %s (%s, VRF %s)%s mtu %u, %s%s%s\n", p->name,
				port_role(p), v ? v->name : "?",
				cfg && cfg->up ? "" : " DOWN", cfg ? cfg->mtu : 0,
				fwd_backend_name(p->backend), p->be_why[0] ? ": " : "", p->be_why);
			counters_text(cli, &c, &p->base);
		}
	}
	for (v = vrf_first(); v != NULL; v = vrf_next(v)) {
		json_object *o = json_object_new_object();

		if (v->id >= FWD_MAX_VRFS)
			continue;
		be_vrf_counters(v->id, &c);
		json_object_object_add(o, "vrfId", json_object_new_int64(v->id));
		counters_json(o, &c, &fc.vrf_base[v->id]);
		json_object_object_add(vrfs, v->name, o);
		if (!json) {
			cli_out(cli, "  VRF %s\n", v->name);
			counters_text(cli, &c, &fc.vrf_base[v->id]);
		}
	}
	json_object_object_add(top, "ports", ports);
	json_object_object_add(top, "vrfs", vrfs);
	if (json)
		cli_json(cli, top);
	else
		json_object_put(top);
	return CMD_SUCCESS;
}

static int clear_dataplane_cmd(struct cli *cli, const struct cmd_args *a)
{
	int i;

	(void)cli;
	(void)a;
	for (i = 0; i < FWD_MAX_PORTS; i++)
		if (fc.port[i].used)
			be_port_counters(i, &fc.port[i].base);
	for (i = 0; i < FWD_MAX_VRFS; i++)
		be_vrf_counters((uint32_t)i, &fc.vrf_base[i]);
	return CMD_SUCCESS;
}

static const char *own_type(const struct lfib_own *o)
{
	return o->owner.kind == LABEL_OWN_LDP ? "LDP" : "BGP";
}

/* BGP entries name their VRF by id; the VRF outlives them (its BGP
 * instance holds the label). */
static const char *own_vrf(const struct lfib_own *o)
{
	const struct vrf *vrf = vrf_lookup_id(o->owner.vrf_id);

	return vrf != NULL ? vrf->name : "?";
}

static int show_mpls_table_cmd(struct cli *cli, const struct cmd_args *a)
{
	bool json = cmd_has(a, "json"), one = cmd_arg(a, "label") != NULL;
	uint32_t only = (uint32_t)cmd_arg_u64(a, "label");
	json_object *top = json_object_new_object();
	char key[16], b[IPADDR_STRLEN], p[PREFIX_STRLEN];
	uint32_t l;
	int i;

	if (!json)
		cli_out(cli, " Inbound Label  Type  Nexthop          Outbound Label  Interface\n"
			     " -------------------------------------------------------------------\n");
	for (l = 0; l < fc.own_cap; l++) {
		struct lfib_own *o = fc.own[l];
		struct fwd_nh *n;
		json_object *e, *nhs;

		if (o == NULL || (one && l != only))
			continue;
		n = fwd_ctl_nh_current(l, true);
		e = json_object_new_object();
		nhs = json_object_new_array();
		snprintf(key, sizeof(key), "%u", l);
		json_object_object_add(e, "inLabel", json_object_new_int64(l));
		json_object_object_add(e, "installed", json_object_new_boolean(
				       n != NULL && (n->type == FWD_NH_FWD || n->type == FWD_NH_LOOKUP)));
		if (o->owner.kind == LABEL_OWN_LDP)
			json_object_object_add(e, "prefix", json_object_new_string(
					       prefix_ntop(&o->owner.prefix, p, sizeof(p))));
		else
			json_object_object_add(e, "vrf", json_object_new_string(own_vrf(o)));
		if (n != NULL && n->type == FWD_NH_LOOKUP) {
			json_object *nh = json_object_new_object();

			json_object_object_add(nh, "type", json_object_new_string(own_type(o)));
			json_object_object_add(nh, "action", json_object_new_string("pop-lookup"));
			json_object_object_add(nh, "vrf", json_object_new_string(own_vrf(o)));
			json_object_object_add(nh, "installed", json_object_new_boolean(true));
			json_object_array_add(nhs, nh);
			if (!json)
				cli_out(cli, " %13u  %-4s  %-16s %-15s %s\n", l, own_type(o),
					"-", "pop", own_vrf(o));
		}
		for (i = 0; n != NULL && n->type == FWD_NH_FWD && i < n->nadj; i++) {
			const struct fwd_adj *ad = &n->adj[i];
			json_object *nh = json_object_new_object();
			const char *ifn = ad->port < FWD_MAX_PORTS ? fc.port[ad->port].name : "?";

			json_object_object_add(nh, "type", json_object_new_string(own_type(o)));
			if (ad->nlabels > 0)
				json_object_object_add(nh, "outLabel",
						       json_object_new_int64(ad->labels[0]));
			else
				json_object_object_add(nh, "outLabel",
						       json_object_new_int64(MPLS_LABEL_IMPLICIT_NULL));
			json_object_object_add(nh, "distance", json_object_new_int(
					       o->owner.kind == LABEL_OWN_LDP ? 150 : 20));
			json_object_object_add(nh, "installed", json_object_new_boolean(true));
			if (ad->gw_af == AF_INET6) {
				struct ipaddr g = ipaddr_v6(ad->gw6);

				ipaddr_ntop(&g, b, sizeof(b));
			} else {
				addr4_ntop(ad->gw, b, sizeof(b));
			}
			json_object_object_add(nh, "nexthop", json_object_new_string(b));
			json_object_object_add(nh, "interface", json_object_new_string(ifn));
			json_object_object_add(nh, "action", json_object_new_string(
					       ad->nlabels ? "swap" : "pop"));
			json_object_array_add(nhs, nh);
			if (!json) {
				char out[16];

				if (ad->nlabels)
					snprintf(out, sizeof(out), "%u", ad->labels[0]);
				else
					snprintf(out, sizeof(out), "implicit-null");
				cli_out(cli, " %13u  %-4s  %-16s %-15s %s\n", l, own_type(o), b, out, ifn);
			}
		}
		json_object_object_add(e, "nexthops", nhs);
		json_object_object_add(top, key, e);
	}
	if (json && one) { /* the entry itself */
		json_object *e = NULL;

		snprintf(key, sizeof(key), "%u", only);
		if (json_object_object_get_ex(top, key, &e))
			json_object_get(e);
		json_object_put(top);
		cli_json(cli, e != NULL ? e : json_object_new_object());
	} else if (json)
		cli_json(cli, top);
	else
		json_object_put(top);
	return CMD_SUCCESS;
}

static int propagate_ttl_cmd(struct cli *cli, const struct cmd_args *a)
{
	(void)cli;
	atomic_store(&fc.t->ttl_pipe, cmd_is_no(a));
	be_flags();
	return CMD_SUCCESS;
}

void fwd_ctl_config_write(struct cli *cli)
{
	if (fc.t != NULL && atomic_load(&fc.t->ttl_pipe))
		cli_out(cli, "no mpls ip propagate-ttl\n!\n");
	be_config_write(cli);
	hitless_config_write(cli);
}

static const struct cmd_def view_cmds[] = {
	{ "show dataplane [json]",
	  SHOW_STR "Forwarding plane: ports, VRFs, counters by cause\n" JSON_STR,
	  show_dataplane_cmd },
	{ "clear dataplane counters",
	  "Reset functions\n" "Forwarding plane\n" "Counters (the kernel's stay)\n",
	  clear_dataplane_cmd },
	{ "show mpls table [(16-1048575)$label] [json]",
	  SHOW_STR "MPLS information\n" "MPLS table (installed LFIB)\n" "LSP to display information about\n" JSON_STR,
	  show_mpls_table_cmd },
};

static const struct cmd_def config_cmds[] = {
	{ "[no] mpls ip propagate-ttl",
	  NO_STR "MPLS configuration\n" "IP\n"
	  "Copy the IP TTL into the labels and back (uniform mode; no: pipe mode, labels 255)\n",
	  propagate_ttl_cmd },
};

void fwd_show_init(void)
{
	cmd_install_table(NODE_VIEW, view_cmds, ARRAY_SIZE(view_cmds));
	cmd_install_table(NODE_CONFIG, config_cmds, ARRAY_SIZE(config_cmds));
}
