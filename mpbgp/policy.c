/* Routing policy engine (see policy.h). Placeholder: no objects yet. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "mpbgp/policy.h"

static policy_change_fn change_fn;

bool policy_route_map_exists(const char *name)
{
	(void)name;
	return false;
}

enum policy_result policy_route_map_apply(const char *name, struct policy_route *r,
					  struct policy_trace *trace)
{
	(void)r;
	if (name == NULL || name[0] == '\0')
		return POLICY_PERMIT;
	if (trace != NULL) {
		trace->result = POLICY_DENY;
		snprintf(trace->reason, sizeof(trace->reason), "denied: route-map %s is not defined",
			 name);
	}
	return POLICY_DENY;
}

enum policy_result policy_prefix_list_apply(const char *name, const struct prefix *pfx,
					    bool *exists)
{
	(void)name;
	(void)pfx;
	if (exists != NULL)
		*exists = false;
	return POLICY_DENY;
}

enum policy_result policy_as_path_apply(const char *name, const struct bgp_attr *attr,
					bool *exists)
{
	(void)name;
	(void)attr;
	if (exists != NULL)
		*exists = false;
	return POLICY_DENY;
}

void policy_set_change_hook(policy_change_fn fn)
{
	change_fn = fn;
}

void policy_set_event_base(struct event_base *base)
{
	(void)base;
}

void policy_fini(void)
{
}
