/* Policy configuration commands (see policy.h). Placeholder. */
#include "config.h"

#include "cli/cmd.h"
#include "mpbgp/policy.h"

void policy_cli_init(void)
{
}

void policy_config_write(struct cli *cli)
{
	(void)cli;
}
