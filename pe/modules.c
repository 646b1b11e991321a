/* The modules of ped and the wiring between them: their registration
 * (commands, callbacks between BGP, LDP, labels and the dataplane) and their
 * teardown in reverse order. Split from main.c so that a harness (the
 * configuration fuzz target, tests/fuzz/) builds the same daemon state as
 * `ped -C` without the event loop and without touching the kernel:
 * ped.kernel_apply stays false until main() starts the daemon. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "bfd/bfd.h"
#include "cli/cmd.h"
#include "lib/log.h"
#include "pe/fwd/fwd_ctl.h"
#include "pe/iface.h"
#include "pe/hitless.h"
#include "pe/label.h"
#include "pe/metrics.h" /* metrics */
#include "mpbgp/bgp_cfg.h"
#include "mpbgp/policy.h"
#include "mpbgp/speaker.h"
#include "ldp/ldpd.h"
#include "pe/ped.h"
#include "vrf/vrf.h"

/* BGP's VPN labels: the owner says what the label does (pop and look up
 * in a VRF, or send to a CE); the dataplane installs it. */
static mpls_label_t bgp_label_alloc(const struct label_owner *own)
{
	mpls_label_t l = label_alloc(LABEL_CLIENT_BGP, own);

	fwd_ctl_bgp_label(l, own);
	return l;
}

static int bgp_label_alloc_specific(mpls_label_t l, const struct label_owner *own, char *err,
				    size_t errlen)
{
	if (label_alloc_specific(LABEL_CLIENT_BGP, l, own, err, errlen) != 0)
		return -1;
	fwd_ctl_bgp_label(l, own);
	return 0;
}

static void bgp_label_release(mpls_label_t l)
{
	enum label_client c;

	label_release(LABEL_CLIENT_BGP, l);
	if (!label_in_use(l, &c) || c != LABEL_CLIENT_BGP)
		fwd_ctl_bgp_label_del(l);
}

static const struct speaker_label_ops bgp_labels = { bgp_label_alloc, bgp_label_alloc_specific,
						     bgp_label_release };

static mpls_label_t ldp_label_alloc(const struct prefix4 *fec)
{
	struct label_owner own = { .kind = LABEL_OWN_LDP, .prefix = prefix_from4(fec) };

	return label_alloc(LABEL_CLIENT_LDP, &own);
}

static void ldp_label_release(mpls_label_t l)
{
	label_release(LABEL_CLIENT_LDP, l);
}

/* LDP's labelled paths live in its LIB only: BGP and the dataplane are told
 * that they changed and read them there (lde_fec_paths). */
static void ldp_nh_bound(const struct prefix4 *fec, const struct lde_path *paths, int npaths)
{
	(void)fec;
	(void)paths;
	(void)npaths;
	fwd_ctl_ldp_paths_changed();
	speaker_ldp_paths_changed();
}

static bool ldp_fec_labelled(const struct prefix4 *fec)
{
	const struct lde_path *p;

	return ldpd_lde() != NULL && lde_fec_paths(ldpd_lde(), fec, &p) > 0;
}

static bool ldp_enabled(void)
{
	return ldpd_conf.enabled;
}

static const struct ldpd_ops ldp_ops = { iface_router_id, ldp_label_alloc, ldp_label_release,
					 ldp_nh_bound,	 fwd_ctl_ldp_lfib, fwd_ctl_ldp_lfib_del };

/* selected-route changes go to BGP and to LDP (core routes) */
static void route_changed(struct vrf *vrf, const struct rib_dest *d)
{
	speaker_vrf_route_changed(vrf, d);
	ldpd_route_changed(vrf, d);
	fwd_ctl_route_changed(vrf, d);
}

/* BFD sessions live in the VRF's namespace; `interface IF` of a
 * single-hop session is matched by ifindex there. */
static int bfd_vrf_nsfd(const char *name)
{
	struct vrf *v = vrf_lookup(name);

	return v != NULL ? v->nsfd : -1;
}

static int bfd_ifindex(const char *vrf, const char *ifname)
{
	for (struct iface *i = iface_first(); i != NULL; i = i->next)
		if (strcmp(i->name, ifname) == 0 && i->present && strcmp(i->vrf, vrf) == 0)
			return i->ifindex;
	return 0;
}

/* Registers every command node and module, as ped does before reading its
 * configuration; nothing reaches the kernel here. */
void ped_modules_init(void)
{
	cmd_init();
	cmd_node_install(NODE_VIEW, "view", NODE_VIEW);
	cmd_node_install(NODE_CONFIG, "config", NODE_VIEW);
	cmd_node_install(NODE_VRF, "config-vrf", NODE_CONFIG);
	cmd_node_install(NODE_INTERFACE, "config-if", NODE_CONFIG);
	cmd_node_install(NODE_BGP, "config-router", NODE_CONFIG);
	cmd_node_install(NODE_BGP_AF, "config-router-af", NODE_BGP);
	label_mgr_init();
	vrf_init();
	fwd_ctl_init();
	fwd_explain_init();
	iface_init();
	core_init();
	vrf_cli_init();
	iface_cli_init();
	config_cli_init();
	compat_cli_init();
	label_cli_init();
	hitless_cli_init();
	metrics_init(); /* metrics: `metrics listen`, `show metrics` */
	bgp_cli_init();
	bgp_show_init();
	policy_cli_init();
	speaker_init(iface_router_id, &bgp_labels);
	speaker_set_iface_addr_fn(iface_addr_of);
	bgp_set_local_addr_fn(iface_local_addr);
	speaker_set_iface_addr6_fn(iface_addr6_for);
	speaker_set_ldp_enabled_fn(ldp_enabled);
	speaker_set_ldp_labelled_fn(ldp_fec_labelled);
	speaker_set_peer_lost_fn(fwd_ctl_pe_bgp);
	ldpd_init(&ldp_ops);
	bfd_init();
	bfd_cli_init();
	bfd_set_nsfd_fn(bfd_vrf_nsfd);
	bfd_set_ifindex_fn(bfd_ifindex);
	bfd_clients_init();
	vrf_set_route_notify(route_changed);
	vrf_set_cfg_notify(speaker_vrf_cfg_changed);
}

/* Frees what ped_modules_init() and the configuration created. */
void ped_modules_fini(void)
{
	metrics_fini(); /* metrics: its listener first, before what it reads goes */
	ldpd_fini();
	speaker_fini();
	policy_fini();
	fwd_ctl_fini();
	core_fini();
	iface_fini();
	vrf_fini();
	bfd_fini(); /* after its clients (BGP peers, static routes) went */
	label_mgr_fini();
	compat_cli_fini();
	cmd_fini();
}
