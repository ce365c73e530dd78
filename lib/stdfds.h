/* stdfds.h - fds 0-2 open before a program opens anything else */
#ifndef TAPGATE_STDFDS_H
#define TAPGATE_STDFDS_H

/**
 * stdfds_open() - make sure fds 0, 1 and 2 are open, on /dev/null where
 *		   they were closed
 *
 * Call it before the program opens any fd of its own: the kernel hands out
 * the lowest free number, so a caller who closed stdout would otherwise
 * see our netlink socket or TAP become fd 1, and every message we print
 * written into it (or a child's stdio be a TAP). An fd that is open
 * (whatever it is) is left alone.
 *
 * Return: 0, or -errno when /dev/null cannot be opened there; with a closed
 * stderr there may be nowhere to say so.
 */
int stdfds_open(void);

#endif /* TAPGATE_STDFDS_H */
