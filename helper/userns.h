/* userns.h - refuse to run outside the initial user namespace */
#ifndef TAPGATE_USERNS_H
#define TAPGATE_USERNS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * userns_map_is_identity() - whether the @len bytes at @map are exactly
 * what the kernel prints as /proc/self/uid_map in the initial user
 * namespace: one line, "%10u %10u %10u\n" of 0, 0 and 4294967295. Any
 * other text, however close (other spacing, a second line, a NUL), is not.
 * Pure; no system call.
 */
bool userns_map_is_identity(const char *map, size_t len);

/*
 * userns_require_initial() - die with one line unless the process is in
 * the initial user namespace, as /proc/self/uid_map says, read only from
 * /proc's own procfs mount (nothing mounted over /proc, /proc/PID or the
 * file). Dies too when that cannot be told: it fails closed.
 */
void userns_require_initial(void);

#endif /* TAPGATE_USERNS_H */
