/* sealport.h - the helper's steps for a sealed port: its need decided, its namespace, TAP and veth pair made, its MAC locked, undone on failure */
#ifndef TAPGATE_SEALPORT_H
#define TAPGATE_SEALPORT_H

#include <stdbool.h>

#include "acl.h"
#include "rtnl.h"
#include "seal.h"
#include "tap.h"

/* These steps die with a refusal line on failure (log.h), like main's. */

/* End of step 4: does the port need, and can the helper make, a sealed
 * port's namespace (priv_seal_decided())? A macguard port needs --mac
 * (@has_mac) too. */
void sealport_decide(const char *bridge, const struct acl_decision *d,
		     bool has_mac);

/**
 * sealport_make() - step 6 of a sealed port (seal.c): move the helper to a
 *		     new network namespace, make the TAP there and join it
 *		     to a veth pair whose other end is the bridge port
 * @host:	netlink socket opened in the host's namespace
 * @br:		the bridge (its MTU)
 * @tun:	the TUN_PATH fds step 2 opened in the host's namespace;
 *		closed, and replaced by fds opened in the sealed one
 * @queues:	how many
 * @req:	the TAP as a plain port would ask for it (its name is the
 *		bridge port's)
 * @tap:	the TAP made
 * @d:		the decision (the limit's slot goes on the bridge port)
 *
 * A later die() removes the pair at once (sealport_undo(), the die hook).
 * Return: the bridge port, for step 7 to configure as it does a plain TAP.
 */
const struct seal_port *sealport_make(struct nl *host,
				      const struct nl_link *br, int *tun,
				      unsigned queues,
				      const struct tap_request *req,
				      struct tap_result *tap,
				      const struct acl_decision *d);

/* Step 7 of a macguard port, once configured: locked to @mac, then up. */
void sealport_guard(struct nl *host, const char *bridge,
		    const struct seal_port *port, const unsigned char *mac);

/* Remove the veth pair sealport_make() made, if any (from the die hook). */
void sealport_undo(void);

#endif /* TAPGATE_SEALPORT_H */
