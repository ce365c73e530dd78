#!/bin/bash
# ns.sh - run one test script inside private net, mount and pid namespaces
#
# Usage: tests/lib/ns.sh SCRIPT [ARGS...]     (root only)
#
# The script runs as a child of a fresh PID 1 in new network, mount and pid
# namespaces, with mount propagation private. Whatever the script does or
# however it ends, the namespaces take everything with them: when PID 1
# exits the kernel kills every process left in the pid namespace, the network
# namespace takes its interfaces (bridges, TAPs, veths) with it, and mounts
# made inside (tmpfs work dirs, the private /dev, the overlay on /etc)
# never reach the host. unshare --kill-child makes the whole namespace die
# when the runner's timeout kills unshare itself.
#
# lib.sh calls this on its own when a script is started outside (so
# `sudo tests/integration/test_x.sh` works alone); TAPGATE_NS=1 marks the
# inside. Everything else about the inside (sysfs, /dev, /tmp, users) is set
# up by lib.sh, because it belongs to the test, not to the namespace.
set -u

if [ "$#" -lt 1 ]; then
	echo "usage: $0 SCRIPT [ARGS...]" >&2
	exit 2
fi
if [ "$(id -u)" != 0 ]; then
	echo "ns.sh: must run as root (private namespaces)" >&2
	exit 2
fi

if [ "${TAPGATE_NS:-}" != 1 ]; then
	export TAPGATE_NS=1
	exec unshare --net --mount --pid --fork --kill-child --mount-proc \
		--propagation private -- /bin/bash "$0" "$@"
fi

# Inside, as PID 1: the script is our child, so that PID 1 (this shell,
# which ignores signals it has no handler for) outlives it and then ends the
# namespace by exiting.
/bin/bash "$@"
exit $?
