/* ped's daemon state for the fuzz targets (ped_harness.h). main.c, which
 * owns `struct ped ped` in the daemon, is not linked: it is defined here. */
#include "config.h"

#include <string.h>

#include "pe/ped.h"
#include "tests/fuzz/ped_harness.h"

struct ped ped;

void fuzz_ped_begin(void)
{
	struct event_base *base = ped.base;

	memset(&ped, 0, sizeof(ped));
	ped.base = base;
	strcpy(ped.hostname, "fuzz");
	strcpy(ped.netns_prefix, "fuzz-");
	ped.kernel_apply = false; /* the dry-run seam of `ped -C` */
	ped_modules_init();
}

void fuzz_ped_end(void)
{
	ped_modules_fini();
}
