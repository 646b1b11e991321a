/* Named network namespaces (/run/netns/NAME, as iproute2 keeps them). */
#ifndef PE_NETNS_H
#define PE_NETNS_H

#include <stddef.h>

/* netns.c */
/* fd of the calling process' own network namespace (opened once, cached). */
int netns_self(void);
/* O_RDONLY|O_CLOEXEC fd of /run/netns/NAME, or -1 (errno set) if absent. */
int netns_open(const char *name);
/* Creates /run/netns/NAME unless it exists (then 0 and *created = 0).
 * Works when the caller runs inside `ip netns exec` (a slave mount
 * namespace): the bind mount is made in the initial mount namespace so that
 * `ip netns list` on the host sees it. Brings `lo` up inside. -1 + err. */
int netns_create(const char *name, int *created, char *err, size_t errlen);
/* Unmounts and removes /run/netns/NAME (same mount-namespace care). */
int netns_delete(const char *name, char *err, size_t errlen);
/* socket() created inside namespace nsfd (setns there and back, on the
 * calling thread only). nsfd < 0 means the current namespace. */
int netns_socket(int nsfd, int domain, int type, int protocol);

#endif
