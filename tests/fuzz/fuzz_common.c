/* Helpers shared by the fuzz targets (fuzz.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "lib/log.h"
#include "tests/fuzz/fuzz.h"

void fuzz_quiet(void)
{
	FILE *null;

	log_init("fuzz", true, false);
	if (getenv("FUZZ_VERBOSE") != NULL)
		return;
	null = fopen("/dev/null", "w");
	if (null != NULL)
		stderr = null;
}
