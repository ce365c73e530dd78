/* tapcheck.h - is what the helper sent the TAP that was asked for? */
#ifndef TAPGATE_TAPCHECK_H
#define TAPGATE_TAPCHECK_H

#include <stdbool.h>

#include <stddef.h>

#include "tuninfo.h"

/**
 * tap_problem() - why one TAP is not what was asked for, from what the
 *		   kernel says about it (pure; unit-tested)
 * @iff:	TUNGETIFF flags of its fds (IFF_TAP, IFF_VNET_HDR,
 *		IFF_MULTI_QUEUE are read from here; IFF_NO_PI is not, as
 *		TUNGETIFF reports IFF_NOFILTER in the same bit)
 * @ti:		the interface over rtnetlink (for IFF_NO_PI, persistence and
 *		the queue count)
 * @queues:	queues asked for
 * @features:	TUNGETFEATURES: IFF_VNET_HDR may be missing only when the
 *		kernel does not offer it (the helper adds it when it can)
 *
 * Return: NULL when it is right, else a phrase that completes
 * "the helper's TAP tap0 ...".
 */
const char *tap_problem(unsigned iff, const struct tuninfo *ti,
			unsigned queues, unsigned features);

/**
 * sealed_tap_problem() - what is wrong with a sealed port's TAP, from the
 *			  flags its fd reports (TUNGETIFF), or NULL
 *
 * The TAP itself is in a network namespace the launcher cannot see; only
 * the fd's own flags can be checked (IFF_TAP, IFF_VNET_HDR when offered,
 * IFF_PERSIST, IFF_MULTI_QUEUE). IFF_NO_PI cannot: TUNGETIFF reports the
 * fd's IFF_NOFILTER in that bit.
 */
const char *sealed_tap_problem(unsigned iff, unsigned queues,
			       unsigned features);

/**
 * tap_check_fds() - check @n fds received for one TAP of @queues queues
 * @fds:	the fds
 * @n:		how many arrived
 * @queues:	how many were asked for
 * @name:	set to the TAP's name
 * @ifindex:	set to its index (a sealed port's: its bridge port's)
 * @sealed:	set when the TAP is a sealed port's: the name is then, here,
 *		that of its bridge port, a veth
 * @whybuf:	on failure, what is wrong, as one phrase
 * @whylen:	its size
 *
 * Checks that exactly @queues fds came, each attached to a TAP
 * (TUNGETIFF), all the same one, with the flags asked for.
 * Return: 0, or -EPROTO with @whybuf set.
 */
int tap_check_fds(const int *fds, size_t n, unsigned queues, char *name,
		  int *ifindex, bool *sealed, char *whybuf, size_t whylen);

#endif /* TAPGATE_TAPCHECK_H */
