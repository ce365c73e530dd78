/* acl_file.c - the ACL's file layer: open and trust-check each file, read its lines, follow includes */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acl_private.h"
#include "array.h"
#include "quote.h"

/**
 * parse_lines() - read @f line by line and parse each line
 * @acl:	the ACL
 * @f:		the stream
 * @file:	its name, owned by the ACL
 * @depth:	its include level
 *
 * A bounded reader instead of fgets(): fgets() splits long lines into
 * several and hides everything after a NUL byte from strlen(). Here a
 * line longer than ACL_LINE_MAX and a line with a NUL are errors.
 */
static void parse_lines(struct acl *acl, FILE *f, const char *file,
			unsigned depth)
{
	struct acl_origin at = { .file = file, .line = 0 };
	int c, read_err = 0;
	char *buf;

	/* One byte over the limit to hold a CR, one for the NUL. */
	buf = calloc(1, ACL_LINE_MAX + 2);
	if (!buf) {
		acl->oom = true;
		return;
	}
	do {
		bool too_long = false, nul = false;
		size_t len = 0;

		while ((c = getc_unlocked(f)) != EOF && c != '\n') {
			if (len > ACL_LINE_MAX)
				too_long = true;
			else
				buf[len++] = (char)c;
			if (!c)
				nul = true;
		}
		if (c == EOF && ferror(f))
			read_err = errno ? errno : EIO;
		if (c == EOF && !len)
			break;
		at.line++;
		if (!too_long && len && buf[len - 1] == '\r')
			len--;		/* CRLF */
		if (too_long || len > ACL_LINE_MAX) {
			err_at(acl, &at, "line longer than %d bytes",
			       ACL_LINE_MAX);
		} else if (nul) {
			err_at(acl, &at, "NUL byte in line");
		} else {
			buf[len] = '\0';
			acl_parse_line(acl, buf, &at, depth);
		}
	} while (c != EOF);
	free(buf);

	if (read_err) {
		at.line = 0;
		err_at(acl, &at, "read error: %s", strerror(read_err));
	}
}

/**
 * keep_name() - a copy of @name owned by the ACL, for origins
 *
 * Return: the copy, or NULL when out of memory.
 */
static const char *keep_name(struct acl *acl, const char *name)
{
	char *copy;

	if (array_grow(&acl->file, &acl->capfile, acl->nfile + 1,
		       sizeof(*acl->file)))
		goto oom;
	copy = strdup(name);
	if (!copy)
		goto oom;
	acl->file[acl->nfile++] = copy;
	return copy;
oom:
	acl->oom = true;
	return NULL;
}

/**
 * trust_problem() - why the opened file @st must not be trusted, or NULL
 *
 * Checked on the opened fd, never on a path, so nothing can be swapped in
 * between the check and the read.
 */
static const char *trust_problem(const struct acl *acl, const struct stat *st,
				 char *buf, size_t size)
{
	if (!S_ISREG(st->st_mode))
		return "not a regular file";
	if (st->st_uid != acl->owner) {
		if (!acl->owner)
			return "not owned by root";
		snprintf(buf, size, "not owned by uid %u", (unsigned)acl->owner);
		return buf;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "writable by group or others";
	return NULL;
}

/**
 * include_path() - @path as named by an include in @file: absolute, or
 *		    relative to @file's directory (never the working
 *		    directory: the caller chooses that)
 *
 * Return: a new string, or NULL when out of memory.
 */
static char *include_path(const char *file, const char *path)
{
	const char *slash = strrchr(file, '/');
	char *full;

	if (path[0] == '/' || !slash)
		return strdup(path);
	if (asprintf(&full, "%.*s/%s", (int)(slash - file), file, path) < 0)
		return NULL;
	return full;
}

void acl_load_file(struct acl *acl, const char *name, unsigned depth,
		   const struct acl_origin *from)
{
	struct acl_origin at = { .line = 0 };
	const char *why, *kept;
	char *path = NULL;
	char ownbuf[48];
	char s[QUOTE_BUF];
	struct stat st;
	FILE *f = NULL;
	int fd = -1, err;
	unsigned i;

	path = from ? include_path(from->file, name) : strdup(name);
	if (!path) {
		acl->oom = true;
		goto out;
	}
	at.file = path;
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer; O_NOCTTY: a terminal must not become ours. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		/* QEMU's per-user scheme: "include /etc/qemu/alice.conf",
		 * mode 0640 root:alice, is for alice alone; everybody else
		 * gets EACCES, and a user without a file gets ENOENT. */
		if (from && (err == ENOENT || err == ENOTDIR || err == EACCES))
			goto out;
		if (from)
			err_at(acl, from, "cannot open include %s: %s",
			       quote_untrusted(s, path), strerror(err));
		else
			err_at(acl, &at, "cannot open: %s", strerror(err));
		goto out;
	}
	if (fstat(fd, &st)) {
		err_at(acl, &at, "cannot stat: %s", strerror(errno));
		goto out;
	}
	why = trust_problem(acl, &st, ownbuf, sizeof(ownbuf));
	if (why) {
		err_at(acl, &at, "%s", why);
		goto out;
	}
	for (i = 0; i < acl->nopen; i++) {
		if (acl->open[i].dev == st.st_dev &&
		    acl->open[i].ino == st.st_ino) {
			err_at(acl, from ? from : &at,
			       "include cycle: %s is already being read",
			       quote_untrusted(s, path));
			goto out;
		}
	}
	/* A regular file never blocks; clear the flag all the same so the
	 * reads below mean what they say. */
	if (fcntl(fd, F_SETFL, 0)) {
		err_at(acl, &at, "cannot read: %s", strerror(errno));
		goto out;
	}
	kept = keep_name(acl, path);
	f = kept ? fdopen(fd, "r") : NULL;
	if (!f) {
		acl->oom = true;
		goto out;
	}
	fd = -1;		/* f owns it now */

	acl->open[acl->nopen].dev = st.st_dev;
	acl->open[acl->nopen].ino = st.st_ino;
	acl->nopen++;
	parse_lines(acl, f, kept, depth);
	acl->nopen--;
out:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	free(path);
}

int acl_load(struct acl *acl, const char *path)
{
	acl_load_file(acl, path, 1, NULL);
	return acl_status(acl);
}

int acl_parse_stream(struct acl *acl, FILE *f, const char *name,
		     unsigned depth)
{
	const char *kept = keep_name(acl, name);
	bool pushed = false;
	struct stat st;
	int fd;

	if (!kept)
		return -ENOMEM;
	if (depth < 1)
		depth = 1;
	/* A stream on a file takes part in cycle detection; one on memory
	 * (fmemopen) has no fd and cannot be included anyway. */
	fd = fileno(f);
	if (fd >= 0 && !fstat(fd, &st) && acl->nopen < ACL_INCLUDE_DEPTH) {
		acl->open[acl->nopen].dev = st.st_dev;
		acl->open[acl->nopen].ino = st.st_ino;
		acl->nopen++;
		pushed = true;
	}
	parse_lines(acl, f, kept, depth);
	if (pushed)
		acl->nopen--;
	return acl_status(acl);
}
