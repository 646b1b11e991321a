/* Where ped pins what outlives it (pe/hitless.c) and where petopo looks for
 * it (topologies/topo_bpffs.c): one rule for both. */
#ifndef PE_LIB_BPFFS_H
#define PE_LIB_BPFFS_H

#include <stdbool.h>
#include <stddef.h>

#define PE_BPFFS "/sys/fs/bpf"

/* path is a mounted bpffs. */
bool bpffs_is(const char *path);
/* PE_BPFFS/pe/ID into buf; -1 if ID is not one plain name (empty, a
 * leading dot, a '/') or buf is too short. */
int bpffs_node_dir(const char *id, char *buf, size_t len);

#endif
