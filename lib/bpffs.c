/* bpffs paths shared by ped and petopo (see bpffs.h). */
#include "config.h"

#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>

#include "lib/bpffs.h"

bool bpffs_is(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && (unsigned long)sf.f_type == BPF_FS_MAGIC;
}

int bpffs_node_dir(const char *id, char *buf, size_t len)
{
	if (id == NULL || id[0] == '\0' || id[0] == '.' || strchr(id, '/') != NULL ||
	    (size_t)snprintf(buf, len, "%s/pe/%s", PE_BPFFS, id) >= len)
		return -1;
	return 0;
}
