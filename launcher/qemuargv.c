/* qemuargv.c - QEMU's command line: the user's, plus -netdev/-device per NIC; shell quoting */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemuargv.h"

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* "tap,id=tapgateI,fd=K" or "tap,id=tapgateI,fds=K1:K2:..." */
static char *netdev_arg(size_t i, const struct qemu_nic *nic)
{
	/* 16 fds of at most 10 digits and their separators, plus the rest. */
	char buf[64 + 11 * 16];
	size_t j;
	int n;

	n = snprintf(buf, sizeof(buf), "tap,id=tapgate%zu,%s=", i,
		     nic->nfds > 1 ? "fds" : "fd");
	for (j = 0; j < nic->nfds && n > 0 && (size_t)n < sizeof(buf); j++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s%d",
			      j ? ":" : "", nic->fds[j]);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	return strdup(buf);
}

/* "MODEL,netdev=tapgateI,mac=MAC[,mq=on[,vectors=2N+2]]" */
static char *device_arg(size_t i, const struct qemu_nic *nic,
			const char *model)
{
	char mac[MAC_STRLEN], mq[40] = "";
	char *s;

	if (nic->nfds > 1 && starts_with(model, "virtio-net-pci"))
		snprintf(mq, sizeof(mq), ",mq=on,vectors=%zu",
			 2 * nic->nfds + 2);
	else if (nic->nfds > 1 && starts_with(model, "virtio-net"))
		snprintf(mq, sizeof(mq), ",mq=on");
	if (asprintf(&s, "%s,netdev=tapgate%zu,mac=%s%s", model, i,
		     mac_format(nic->mac, mac), mq) < 0)
		return NULL;
	return s;
}

char **qemuargv_build(char *const *user, size_t nuser,
		      const struct qemu_nic *nics, size_t nnics,
		      const char *model, bool no_device)
{
	size_t max = nuser + 4 * nnics + 1, n = 0, i;
	char **argv = calloc(max, sizeof(*argv));

	if (!argv)
		return NULL;
	for (i = 0; i < nuser; i++)
		if (!(argv[n++] = strdup(user[i])))
			goto oom;
	for (i = 0; i < nnics; i++) {
		if (!(argv[n++] = strdup("-netdev")) ||
		    !(argv[n++] = netdev_arg(i, &nics[i])))
			goto oom;
		if (no_device)
			continue;
		if (!(argv[n++] = strdup("-device")) ||
		    !(argv[n++] = device_arg(i, &nics[i], model)))
			goto oom;
	}
	argv[n] = NULL;
	return argv;
oom:
	qemuargv_free(argv);
	return NULL;
}

void qemuargv_free(char **argv)
{
	char **p;

	if (!argv)
		return;
	for (p = argv; *p; p++)
		free(*p);
	free(argv);
}

static bool needs_quotes(const char *s, bool first)
{
	/* A first word with '=' would be read as a variable assignment. */
	if (!*s || (first && strchr(s, '=')))
		return true;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_@%+=:,./-", *s))
			return true;
	return false;
}

char *qemuargv_quote(char *const *argv)
{
	size_t len = 1, i;
	char *out, *o;

	/* Worst case: every byte is a quote, which becomes '\'' (4 bytes). */
	for (i = 0; argv[i]; i++)
		len += 4 * strlen(argv[i]) + 3;
	out = o = malloc(len);
	if (!out)
		return NULL;
	for (i = 0; argv[i]; i++) {
		const char *s = argv[i];

		if (i)
			*o++ = ' ';
		if (!needs_quotes(s, i == 0)) {
			o = stpcpy(o, s);
			continue;
		}
		*o++ = '\'';
		for (; *s; s++) {
			if (*s == '\'')
				o = stpcpy(o, "'\\''");
			else
				*o++ = *s;
		}
		*o++ = '\'';
	}
	*o = '\0';
	return out;
}
