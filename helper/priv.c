/* priv.c - the helper's privilege, spent in the steps of SPEC §3
 *
 * Theory of operation
 *
 * tapgate-helper runs with more privilege than its caller: setuid root
 * (euid 0, every capability) or a file capability (the caller's ids;
 * cap_net_admin,cap_setpcap+ep as make install SETCAP=1 sets it, or
 * cap_net_admin+ep alone). Everything the caller controls (argv,
 * environment, fds, limits, signals, working directory, its namespaces) is
 * hostile input. The privilege is spent in the steps of SPEC §3, numbered
 * the same in main.c, tapgate-helper(8) and SECURITY.md; each gives up
 * what the next does not need.
 *
 * Step 1, priv_sanitize(), then userns_require_initial(): before anything
 * reads input but the argument vector, which args_parse() has read once
 * already (pure: no I/O, no allocation, no environment) so that this step
 * knows SOCKFD; a refusal of the arguments is made only after this step,
 * with every privilege given up by priv_become(). Make fds 0-2 open (a
 * closed stdout must not become the netlink socket or the TAP), close
 * every other inherited fd but SOCKFD (the caller must not see what we
 * open, nor hand us surprises), clear the environment (no LD_*, TZ, locale
 * or NSS tricks reach the libraries we call), ignore SIGXFSZ (RLIMIT_FSIZE
 * 0 must give an error line, not a signal) and SIGPIPE, set umask 077, and
 * become non-dumpable so the caller can neither ptrace us nor read
 * /proc/PID/mem while we hold privilege. Then refuse any user namespace
 * but the initial one (userns.c says why).
 *
 * With the installed privilege (steps 1 and 2, from entry to the end of
 * priv_keep_net_admin()), the helper opens or does what this list names,
 * and nothing else; a line added here is a security decision (SECURITY.md's
 * table of steps and test_privileges.sh's fd checks say the same):
 *   - step 1: the argument vector parsed (args.c: pure, no I/O, no
 *     allocation, no environment);
 *   - step 1: /dev/null, only where fd 0, 1 or 2 was closed (stdfds.c);
 *   - step 1: /proc and /proc/self/uid_map, read and closed (userns.c);
 *   - steps 1-2: a refusal's syslog line, a socket connected to /dev/log
 *     and closed (audit.c);
 *   - step 2: /dev/net/tun, once per queue (tap_open_nodes()): the
 *     reason for the privilege, as setuid root opens a node of mode 0600
 *     (with a file capability the node must be 0666, as most
 *     distributions ship it);
 *   - a unix socket connected to the Open vSwitch database
 *     (TAPGATE_OVSDB_SOCK), only when that socket exists (ovsport_connect(),
 *     also in --check and --release): every packaged OVS makes it
 *     srwxr-x--- root:root, so only root may connect. Connecting sends
 *     nothing. The first request goes out only after the ACL allowed the
 *     request (step 5); from then on the helper works as the caller with
 *     just that fd, and writes the port rows in step 8 with no capability
 *     left. Installed with a file capability the helper is not root: the
 *     connect fails with EACCES, an Open vSwitch bridge is refused saying
 *     so, and Linux bridges work as before;
 *   - --check --user=NAME, for a caller who is root already: NAME's
 *     passwd entry through NSS, before priv_become().
 *
 * Step 2, priv_keep_net_admin(): keep CAP_NET_ADMIN alone (effective and
 * permitted), switch every uid and gid to the caller's real ones (so the
 * ACL is read, and the TAP owned, as the caller), keep the supplementary
 * groups the caller came with (QEMU's per-user include scheme depends on
 * them), empty the inheritable and ambient sets, clear the bounding set
 * where CAP_SETPCAP allows (below), and set no_new_privs so nothing we
 * might exec could gain privilege back. Then verify the result from the
 * kernel's view and die if it is not exactly that. From here on a bug can
 * at most misuse CAP_NET_ADMIN, not root.
 *
 * Steps 3 and 4 (SOCKFD, ACL) run as the caller with CAP_NET_ADMIN and
 * open nothing with more.
 *
 * Step 2 also keeps CAP_SYS_ADMIN, permitted but not effective, when the
 * helper was given it (setuid root; or a file capability that includes
 * it): a sealed port (seal.c) needs a network namespace of its own,
 * unshare(CLONE_NEWNET) needs CAP_SYS_ADMIN, and only the ACL, read as the
 * caller after step 2, says whether the port is sealed. A permitted
 * capability grants nothing until the process itself raises it; the kernel
 * checks effective ones. Right after the decision (step 4), and before any
 * netlink request or reply is handled, priv_seal_decided():
 *
 * - A plain port: CAP_SYS_ADMIN leaves the permitted set (one capset(2),
 *   about a microsecond). Steps 5 to 7 (bridge, TAP, port) then run as the
 *   caller with CAP_NET_ADMIN alone, exactly as if it had never been kept.
 *
 * - A sealed port: priv_unshare_net() raises CAP_SYS_ADMIN for exactly one
 *   unshare(CLONE_NEWNET); then it leaves every set, and the result is
 *   verified like step 2's. The new namespace is owned by the initial user
 *   namespace, so the caller, who has no CAP_NET_ADMIN there, can neither
 *   enter it nor get a handle on it (SIOCGSKNS and TUNGETDEVNETNS on the
 *   TAP fd answer EPERM). Without CAP_SYS_ADMIN (the default
 *   file-capability install), a sealed port is refused with a line that
 *   says so: fail closed, never an unsealed port.
 *
 * Why not the alternatives: a namespace made up front, before the drop,
 * for every request would cost every plain request about 0.4 ms, plus
 * the kernel's asynchronous teardown of a namespace; made only "when the
 * ACL could need it", it would need the ACL read before the drop, as root,
 * which breaks the per-user include scheme and reads files as root that
 * must be read as the caller. A privileged child kept for the unshare
 * costs a fork on every request.
 *
 * Step 8, priv_drop_all(): once the TAP is configured, drop CAP_NET_ADMIN
 * too; on Open vSwitch the port rows are written over the OVSDB connection
 * (no capability needed), then the fd is sent with no privilege left.
 *
 * --check, --help, --version and --release create nothing: priv_become()
 * gives up every capability at once instead of step 2 (--release keeps
 * only its OVSDB connection).
 *
 * --sweep deletes interfaces, so it needs CAP_NET_ADMIN: after step 1 it
 * runs priv_keep_net_admin() with nothing opened before it (no TAP node),
 * and priv_seal_decided(false) at once (no port is made: CAP_SYS_ADMIN
 * goes), then, as the caller with CAP_NET_ADMIN alone, one dump of the
 * tun devices and an RTM_DELLINK by ifindex for each that sweep_wanted()
 * picks (persistent, held by no process, the caller's by the alias only
 * the helper writes; root: anyone's), then step 8's priv_drop_all(). It
 * opens nothing but the netlink socket, reads no file, and takes no
 * interface name from the caller.
 *
 * The bounding set can only be cleared with CAP_SETPCAP. Setuid root has
 * it, and so does the cap_net_admin,cap_setpcap+ep install: the bounding
 * set is empty from step 2 on. A plain cap_net_admin+ep install does not,
 * and its bounding set stays as the caller's was. no_new_privs makes that
 * harmless: without exec-time gains, the bounding set can never add a
 * capability back.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cap-ng.h>
#include <linux/capability.h>

#include "log.h"
#include "priv.h"
#include "stdfds.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

/* Step 2 kept CAP_SYS_ADMIN permitted, not effective (see above). */
static bool sys_admin_kept;

/* Close every fd from @lo to @hi inclusive. */
static void close_span(unsigned lo, unsigned hi)
{
	if (lo > hi)
		return;
	if (!close_range(lo, hi, 0))
		return;
	/* Kernels before 5.9: walk the table. */
	for (long fd = lo, max = sysconf(_SC_OPEN_MAX); fd <= (long)hi &&
	     fd < max; fd++)
		close((int)fd);
}

void priv_sanitize(int keep_fd)
{
	if (stdfds_open())
		_exit(1);	/* cannot even report: no stderr */
	if (keep_fd > STDERR_FILENO) {
		close_span(3, (unsigned)keep_fd - 1);
		close_span((unsigned)keep_fd + 1, ~0U);
	} else {
		close_span(3, ~0U);
	}

	clearenv();
	umask(077);
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* The process's capability sets, from the kernel: one capget(2). */
static void read_caps(uint64_t *eff, uint64_t *perm, uint64_t *inh)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, d))
		die_errno(errno, "cannot read back capabilities");
	*eff = d[0].effective | (uint64_t)d[1].effective << 32;
	*perm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	*inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
}

/*
 * Die unless the process holds exactly @keep (or nothing when @keep < 0),
 * as the kernel sees it: effective is exactly @keep, permitted exactly
 * @keep plus @also_permitted, and inheritable is empty. The ambient set is then empty too, because the
 * kernel keeps it within permitted and inheritable (it drops an ambient
 * capability that leaves either). One capget(2) reads all 64 bits of each
 * set, so a capability newer than our headers is caught as well.
 */
static void verify_caps(int keep, uint64_t also_permitted)
{
	uint64_t want = keep >= 0 ? (uint64_t)1 << keep : 0;
	uint64_t eff, perm, inh, extra;

	read_caps(&eff, &perm, &inh);
	extra = (eff & ~want) | (perm & ~(want | also_permitted)) | inh;
	if (extra)
		die("privilege drop failed: capability %d still held",
		    __builtin_ctzll(extra));
	if (keep >= 0 && (!(eff & want) || !(perm & want)))
		die("privilege drop failed: lost cap_net_admin");
	if ((perm & also_permitted) != also_permitted)
		die("privilege drop failed: lost a permitted capability");
}

/*
 * Empty the bounding set (needs CAP_SETPCAP): one PR_CAPBSET_DROP for each
 * capability the kernel knows, up to the first it answers EINVAL for. What
 * libcap-ng's CAPNG_CLEAR_BOUNDING does, without first parsing
 * /proc/PID/status through stdio.
 */
static void clear_bounding(void)
{
	for (unsigned long c = 0; c < 64; c++) {
		if (!prctl(PR_CAPBSET_DROP, c, 0, 0, 0))
			continue;
		if (errno == EINVAL && c > 0)
			return;
		die_errno(errno, "privilege drop failed: bounding set");
	}
}

/* Die unless all uids are @uid and all gids @gid. */
static void verify_ids(uid_t uid, gid_t gid)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (getresuid(&r, &e, &s) || getresgid(&rg, &eg, &sg))
		die_errno(errno, "cannot read back ids");
	if (r != uid || e != uid || s != uid ||
	    rg != gid || eg != gid || sg != gid)
		die("privilege drop failed: ids did not change");
}

static void set_no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die_errno(errno, "cannot set no_new_privs");
	/* A change of credentials resets dumpability: set it again. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* Into libcap-ng's pending sets (cleared just before): @keep effective and
 * permitted, @permitted_only permitted only; either -1 for none. */
static void select_kept(int keep, int permitted_only)
{
	if (keep >= 0)
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
			     (unsigned)keep);
	if (permitted_only >= 0)
		capng_update(CAPNG_ADD, CAPNG_PERMITTED,
			     (unsigned)permitted_only);
}

/**
 * change_to() - become @uid/@gid keeping only @keep (or nothing if < 0)
 * @uid:	target uid
 * @gid:	target gid
 * @keep:	capability to keep, or -1
 * @keep_permitted: capability to keep permitted but not effective, if the
 *		process has it permitted now; or -1
 * @flags:	extra capng_change_id() flags (supplementary group handling)
 */
static void change_to(uid_t uid, gid_t gid, int keep, int keep_permitted,
		      capng_flags_t flags)
{
	uint64_t eff, perm, inh;
	int kept = -1;	/* @keep_permitted, if the process has it */
	bool setpcap;
	int rc;

	read_caps(&eff, &perm, &inh);
	setpcap = eff & (uint64_t)1 << CAP_SETPCAP;
	if (keep_permitted >= 0 && (perm & (uint64_t)1 << keep_permitted))
		kept = keep_permitted;

	if (geteuid() == 0) {
		/* setuid root (or root itself): change ids, keep @keep. */
		capng_clear(CAPNG_SELECT_ALL);
		select_kept(keep, kept);
		clear_bounding();
		rc = capng_change_id((int)uid, (int)gid,
				     flags | CAPNG_CLEAR_AMBIENT);
		if (rc < 0)
			die("privilege drop failed (capng_change_id %d)", rc);
	} else {
		/*
		 * File capability: the ids are already the caller's; only
		 * the capability sets change.
		 */
		if (uid != getuid() || gid != getgid())
			die("cannot change identity without root");
		if (keep >= 0 && !(perm & (uint64_t)1 << keep))
			die("not privileged: install tapgate-helper setuid root "
			    "or with the file capability cap_net_admin+ep");
		if (setpcap)
			clear_bounding();
		capng_clear(CAPNG_SELECT_CAPS);
		select_kept(keep, kept);
		if (capng_apply(CAPNG_SELECT_CAPS))
			die("privilege drop failed (capng_apply)");
		prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	}
	set_no_new_privs();
	verify_ids(uid, gid);
	verify_caps(keep, kept >= 0 ? (uint64_t)1 << kept : 0);
	sys_admin_kept = kept == CAP_SYS_ADMIN;
}

void priv_keep_net_admin(void)
{
	change_to(getuid(), getgid(), CAP_NET_ADMIN, CAP_SYS_ADMIN,
		  CAPNG_NO_FLAG);
}

/* Set the capability sets to exactly @eff and @perm (inheritable empty),
 * with one capset(2): no /proc parsing on the path of every request. */
static void set_caps(uint64_t eff, uint64_t perm)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {
		{ .effective = (uint32_t)eff, .permitted = (uint32_t)perm },
		{ .effective = (uint32_t)(eff >> 32),
		  .permitted = (uint32_t)(perm >> 32) },
	};

	if (syscall(SYS_capset, &h, d))
		die_errno(errno, "cannot change capabilities");
}

#define NET_ADMIN_BIT ((uint64_t)1 << CAP_NET_ADMIN)
#define SYS_ADMIN_BIT ((uint64_t)1 << CAP_SYS_ADMIN)

/* CAP_SYS_ADMIN gone for good: only CAP_NET_ADMIN is left. */
static void drop_sys_admin(void)
{
	set_caps(NET_ADMIN_BIT, NET_ADMIN_BIT);
	sys_admin_kept = false;
	verify_caps(CAP_NET_ADMIN, 0);
}

bool priv_seal_decided(bool sealed)
{
	if (!sys_admin_kept)
		return !sealed;
	if (!sealed)
		drop_sys_admin();
	return true;
}

int priv_unshare_net(void)
{
	int rc = 0;

	if (!sys_admin_kept)
		return -EPERM;
	set_caps(NET_ADMIN_BIT | SYS_ADMIN_BIT, NET_ADMIN_BIT | SYS_ADMIN_BIT);
	if (unshare(CLONE_NEWNET))
		rc = -errno;
	/* Whatever unshare() did, CAP_SYS_ADMIN is gone for good now. */
	drop_sys_admin();
	return rc;
}

void priv_become(uid_t uid, gid_t gid, bool init_groups)
{
	capng_clear(CAPNG_SELECT_ALL);
	if (capng_get_caps_process() < 0)
		die_errno(errno, "cannot read capabilities");
	if (geteuid() != 0 && capng_have_capabilities(CAPNG_SELECT_CAPS) ==
	    CAPNG_NONE) {
		/* Not privileged at all (e.g. run from the build tree). */
		if (uid != getuid() || gid != getgid())
			die("cannot change identity without root");
		set_no_new_privs();
		return;
	}
	change_to(uid, gid, -1, -1, init_groups ? CAPNG_INIT_SUPP_GRP
						 : CAPNG_NO_FLAG);
}

void priv_drop_all(void)
{
	capng_clear(CAPNG_SELECT_CAPS);
	if (capng_apply(CAPNG_SELECT_CAPS))
		die("cannot drop cap_net_admin");
	verify_caps(-1, 0);
}
