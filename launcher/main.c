/* main.c - tapgate: run QEMU with TAP ports on allowed bridges, and see the TAPs go */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gettap.h"
#include "log.h"
#include "mac.h"
#include "nic.h"
#include "opts.h"
#include "qemuargv.h"
#include "quote.h"
#include "run.h"
#include "stdfds.h"
#include "teardown.h"
#include "vmmac.h"

/* The first fd number QEMU gets a TAP as (after stdio). */
#define FIRST_QEMU_FD 3

static struct nic nics[OPTS_NICS_MAX];

static struct opts parse(int argc, char **argv)
{
	struct opts o;
	char err[256];

	switch (opts_parse(argc, argv, &o, err, sizeof(err))) {
	case OPTS_RUN:
		return o;
	case OPTS_HELP:
		opts_help(stdout);
		exit(fflush(stdout) ? 1 : 0);
	case OPTS_VERSION:
		printf("tapgate %s\n", TAPGATE_VERSION);
		exit(fflush(stdout) ? 1 : 0);
	default:
		die("%s", err);
	}
}

/*
 * MACs and the fd numbers QEMU will see. A NIC's MAC is its -m, else the
 * stable one of the VM's name (--name, else QEMU's -name), else random.
 * Everything here is decided before --dry-run returns, so a dry run shows
 * the MACs a real run with the same arguments uses (random ones excepted:
 * each run draws its own).
 */
static void plan_nics(const struct opts *o)
{
	char qname[VMMAC_NAME_MAX + 1];
	const char *name = o->name;
	int next = FIRST_QEMU_FD;
	size_t i, j;

	if (!name)
		name = vmmac_qemu_name(o->qemu + 1, o->nqemu - 1, qname,
				       sizeof(qname));

	for (i = 0; i < o->nbridges; i++) {
		struct nic *n = &nics[i];
		int r;

		n->bridge = o->bridge[i];
		n->iface_id = i < o->niface_ids ? o->iface_id[i] : NULL;
		n->nfds = o->queues;
		if (i < o->nmacs)
			memcpy(n->mac, o->mac[i], MAC_LEN);
		else if (name)
			vmmac_stable(getuid(), name, i, n->mac);
		else if ((r = mac_random(n->mac)) < 0)
			die_errno(-r, "getrandom");
		for (j = 0; j < n->nfds; j++) {
			n->fd[j] = -1;
			n->qemu_fd[j] = next++;
		}
	}
}

static char **build_argv(const struct opts *o)
{
	struct qemu_nic q[OPTS_NICS_MAX];
	char **argv;
	size_t i;

	for (i = 0; i < o->nbridges; i++) {
		q[i].fds = nics[i].qemu_fd;
		q[i].nfds = nics[i].nfds;
		memcpy(q[i].mac, nics[i].mac, MAC_LEN);
	}
	argv = qemuargv_build(o->qemu, o->nqemu, q, o->nbridges, o->model,
			      o->no_device);
	if (!argv)
		die("out of memory");
	return argv;
}

static void print_dry_run(char **argv)
{
	char *line = qemuargv_quote(argv);

	if (!line)
		die("out of memory");
	printf("%s\n", line);
	free(line);
	if (fflush(stdout))
		die_errno(errno, "writing to stdout");
}

static void say_where(const struct opts *o)
{
	size_t i;

	for (i = 0; i < o->nbridges; i++) {
		char mac[MAC_STRLEN], br[QUOTE_BUF];

		fprintf(stderr, "tapgate: TAP %s on bridge %s, %zu queue%s, guest MAC %s%s%s\n",
			nics[i].tap,
			quote_text(br, sizeof(br), nics[i].bridge), nics[i].nfds,
			nics[i].nfds == 1 ? "" : "s",
			mac_format(nics[i].mac, mac),
			nics[i].iface_id ? ", OVN port " : "",
			nics[i].iface_id ? nics[i].iface_id : "");
	}
}

int main(int argc, char **argv)
{
	struct opts o;
	char **qemu;
	size_t i;
	int status, r;

	log_init("tapgate");
	o = parse(argc, argv);
	/* Before the first socket or TAP fd: none may become QEMU's or the
	 * helper's stdio. */
	r = stdfds_open();
	if (r)
		die_errno(-r, "cannot open /dev/null for a closed fd 0-2");
	plan_nics(&o);
	qemu = build_argv(&o);
	if (o.dry_run) {
		print_dry_run(qemu);
		/* LeakSanitizer counts it otherwise (make check SANITIZE=1). */
		qemuargv_free(qemu);
		return 0;
	}
	for (i = 0; i < o.nbridges; i++)
		helper_get_tap(o.helper, o.queues, !o.no_device, &nics[i]);
	if (o.verbose)
		say_where(&o);
	status = run_qemu(qemu, nics, o.nbridges);
	teardown_sweep(o.helper, nics, o.nbridges);
	teardown_confirm(nics, o.nbridges);
	/* Open vSwitch keeps a gone TAP's rows (and OVN its port up) until
	 * the helper removes them. A failure is the helper's to explain;
	 * QEMU's status stays the exit status. */
	for (i = 0; i < o.nbridges; i++)
		if (nics[i].ovs && helper_release(o.helper, &nics[i]) &&
		    o.verbose)
			fprintf(stderr, "tapgate: released %s on bridge %s\n",
				nics[i].tap, nics[i].bridge);
	if (o.verbose && status < 128)
		fprintf(stderr, "tapgate: QEMU exited with status %d\n", status);
	else if (o.verbose)
		fprintf(stderr, "tapgate: QEMU was killed by signal %d\n",
			status - 128);
	qemuargv_free(qemu);
	return status;
}
