/* acl_file.c - the ACL's file layer: open and trust-check each file, read its lines, follow includes */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* Most symbolic links followed while opening one file (the kernel's
 * own bound for a path, MAXSYMLINKS). */
#define ACL_SYMLINKS_MAX 40

/**
 * owner_problem() - why a directory or symlink owned by @uid must not be
 *		     trusted, or NULL: root may own it, and so may the ACL's
 *		     trusted owner (which only unit tests change)
 */
static const char *owner_problem(const struct acl *acl, uid_t uid,
				 char *buf, size_t size)
{
	if (uid == 0 || uid == acl->owner)
		return NULL;
	if (!acl->owner)
		return "not owned by root";
	snprintf(buf, size, "not owned by root or uid %u",
		 (unsigned)acl->owner);
	return buf;
}

/**
 * dir_problem() - why the opened directory @st must not be trusted, or
 *		   NULL
 *
 * Whoever may write a directory may rename a trusted file in it away and
 * put a symlink to any other root-owned file (one that says "allow all")
 * in its place. The sticky bit is no exception: in a sticky, world-
 * writable directory anyone may still create the name before root does.
 */
static const char *dir_problem(const struct acl *acl, const struct stat *st,
			       char *buf, size_t size)
{
	const char *why = owner_problem(acl, st->st_uid, buf, size);

	if (why)
		return why;
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return st->st_mode & S_ISVTX ?
			"writable by group or others (sticky or not)" :
			"writable by group or others";
	return NULL;
}

/* The walk's state: the directory reached, and its path for messages. */
struct walk {
	int dir;		/* O_PATH fd of a trusted directory */
	char at[PATH_MAX];	/* its path, as resolved */
	char *why;		/* set with a trust problem */
	size_t whylen;
};

/**
 * walk_enter() - make @fd, opened as @name in the current directory (or
 *		  "/" when @name is NULL), the current directory, if it is
 *		  a trusted one
 * @st:		fstat() of @fd
 *
 * Return: 0; 1 when it is not trusted (@w->why says why); or -errno.
 * @fd is consumed either way.
 */
static int walk_enter(const struct acl *acl, struct walk *w, int fd,
		      const struct stat *st, const char *name)
{
	char buf[48], q[QUOTE_BUF], *slash;
	const char *why;
	size_t len;

	if (!S_ISDIR(st->st_mode)) {
		close(fd);
		return -ENOTDIR;
	}
	if (!name) {
		memcpy(w->at, "/", 2);
	} else if (!strcmp(name, "..")) {
		/* The physical parent, as the kernel resolved it: w->at
		 * holds no symlink and no "..", so this is its dirname. */
		slash = strrchr(w->at, '/');
		slash[slash == w->at] = '\0';
	} else {
		len = strlen(w->at);
		if (len + 1 + strlen(name) >= sizeof(w->at)) {
			close(fd);
			return -ENAMETOOLONG;
		}
		snprintf(w->at + len, sizeof(w->at) - len, "%s%s",
			 len > 1 ? "/" : "", name);
	}
	why = dir_problem(acl, st, buf, sizeof(buf));
	if (why) {
		close(fd);
		snprintf(w->why, w->whylen, "directory %s is %s",
			 quote_untrusted(q, w->at), why);
		return 1;
	}
	if (w->dir >= 0)
		close(w->dir);
	w->dir = fd;
	return 0;
}

/**
 * walk_root() - start (again) at "/", which must be trusted too
 *
 * Return: as walk_enter().
 */
static int walk_root(const struct acl *acl, struct walk *w)
{
	struct stat st;
	int fd, err;

	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = errno;
		close(fd);
		return -err;
	}
	return walk_enter(acl, w, fd, &st, NULL);
}

/**
 * walk_link() - follow the symlink @fd (an O_PATH fd of @name in the
 *		 current, trusted directory): it must be owned as a
 *		 directory must be (its mode bits mean nothing on Linux)
 * @todo:	the rest of the path, replaced by the link's target followed
 *		by the rest
 *
 * Return: 0; 1 when the link is not trusted (@w->why says why); or -errno.
 * @fd is consumed.
 */
static int walk_link(const struct acl *acl, struct walk *w, int fd,
		     const struct stat *st, const char *name,
		     char todo[PATH_MAX])
{
	char target[PATH_MAX], rest[PATH_MAX], buf[48], q[QUOTE_BUF];
	const char *why;
	ssize_t n;
	int len;

	why = owner_problem(acl, st->st_uid, buf, sizeof(buf));
	if (why) {
		close(fd);
		/* Only shown, and quote_untrusted() shows 64 bytes. */
		if (snprintf(rest, sizeof(rest), "%s%s%s", w->at,
			     strcmp(w->at, "/") ? "/" : "", name) < 0)
			rest[0] = '\0';
		snprintf(w->why, w->whylen, "symlink %s is %s",
			 quote_untrusted(q, rest), why);
		return 1;
	}
	/* An empty path reads the link an O_PATH fd names (Linux 2.6.39). */
	n = readlinkat(fd, "", target, sizeof(target));
	close(fd);
	if (n < 0)
		return -errno;
	if ((size_t)n >= sizeof(target))
		return -ENAMETOOLONG;
	target[n] = '\0';
	len = snprintf(rest, sizeof(rest), "%s/%s", target, todo);
	if (len < 0 || len >= (int)sizeof(rest))
		return -ENAMETOOLONG;
	memcpy(todo, rest, (size_t)len + 1);
	return target[0] == '/' ? walk_root(acl, w) : 0;
}

/**
 * next_component() - cut the next component off @todo
 *
 * Return: the component ("" when none is left), in @out.
 */
static const char *next_component(char todo[PATH_MAX], char out[PATH_MAX])
{
	char *p = todo, *end;
	size_t len;

	while (*p == '/')
		p++;
	end = strchrnul(p, '/');
	len = (size_t)(end - p);
	memcpy(out, p, len);
	out[len] = '\0';
	memmove(todo, end, strlen(end) + 1);
	return out;
}

static bool only_slashes(const char *s)
{
	return s[strspn(s, "/")] == '\0';
}

/**
 * open_trusted() - open @path for reading, through trusted directories
 *		    only
 * @acl:	the ACL (its trusted owner)
 * @path:	the file; a relative one is relative to the working directory
 * @fd:		set to the opened file, not yet checked (see trust_problem())
 * @why:	set to the trust problem, when the return value is 1
 * @whylen:	its size
 *
 * The walk starts at "/" and takes one component at a time with
 * openat(O_PATH | O_NOFOLLOW): every directory it enters must be owned by
 * root and writable by nobody else (dir_problem()), and a symlink is
 * followed only when it is in such a directory and owned by root too, as
 * sudo and OpenSSH do. The file itself is opened relative to the last
 * directory's fd, with O_NOFOLLOW, so no component is looked up twice and
 * nothing can be swapped in between a check and the open.
 *
 * Return: 0; 1 when a directory or symlink on the way is not trusted;
 * or -errno when the file cannot be opened (-ENOENT, -EACCES, -ENOTDIR,
 * -ELOOP...).
 */
static int open_trusted(const struct acl *acl, const char *path, int *fd,
			char *why, size_t whylen)
{
	struct walk w = { .dir = -1, .why = why, .whylen = whylen };
	char todo[PATH_MAX], name[PATH_MAX];
	unsigned links = 0;
	struct stat st;
	bool is_file;
	int rc, nfd;

	if (path[0] == '/') {
		rc = snprintf(todo, sizeof(todo), "%s", path);
	} else {
		/* The kernel's own path of the working directory, which the
		 * walk then checks from "/" like any other. */
		if (!getcwd(todo, sizeof(todo)))
			return -errno;
		rc = snprintf(name, sizeof(name), "%s/%s", todo, path);
		if (rc >= 0 && rc < (int)sizeof(name))
			memcpy(todo, name, (size_t)rc + 1);
	}
	if (rc < 0 || rc >= (int)sizeof(todo))
		return -ENAMETOOLONG;

	rc = walk_root(acl, &w);
	while (!rc) {
		next_component(todo, name);
		if (!name[0] || !strcmp(name, "."))  {
			if (!only_slashes(todo) || name[0])
				continue;
			/* The path ends here: it names a directory, which
			 * the file check below refuses as such. */
			memcpy(name, ".", 2);
		}
		/* The last component, unless ".." (a directory to go up
		 * to), is the file. */
		is_file = only_slashes(todo) && strcmp(name, "..");
		if (is_file) {
			/* The file: opened for reading, for real. O_NONBLOCK:
			 * a FIFO would otherwise wait for a writer;
			 * O_NOCTTY: a terminal must not become ours. */
			*fd = openat(w.dir, name, O_RDONLY | O_NONBLOCK |
				     O_NOCTTY | O_CLOEXEC | O_NOFOLLOW);
			if (*fd >= 0)
				break;
			if (errno != ELOOP) {
				rc = -errno;
				break;
			}
			/* ELOOP: a symlink, presumably; see below. */
		}
		nfd = openat(w.dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0) {
			rc = -errno;
			break;
		}
		if (fstat(nfd, &st)) {
			rc = -errno;
			close(nfd);
			break;
		}
		if (is_file && !S_ISLNK(st.st_mode)) {
			/* The file's open said ELOOP, yet it is no link. */
			close(nfd);
			rc = -ELOOP;
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			if (++links > ACL_SYMLINKS_MAX) {
				close(nfd);
				rc = -ELOOP;
				break;
			}
			rc = walk_link(acl, &w, nfd, &st, name, todo);
		} else {
			rc = walk_enter(acl, &w, nfd, &st, name);
		}
	}
	if (w.dir >= 0)
		close(w.dir);
	return rc;
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
	char untrusted[2 * QUOTE_BUF + 64];
	const char *why, *kept;
	char *path = NULL;
	char ownbuf[48];
	char s[QUOTE_BUF];
	struct stat st;
	FILE *f = NULL;
	int fd = -1, err, rc;
	unsigned i;

	path = from ? include_path(from->file, name) : strdup(name);
	if (!path) {
		acl->oom = true;
		goto out;
	}
	at.file = path;
	rc = open_trusted(acl, path, &fd, untrusted, sizeof(untrusted));
	if (rc > 0) {
		/* Never skipped, even when the file is missing: whoever may
		 * write that directory may create it. */
		if (from)
			err_at(acl, from, "include %s: %s",
			       quote_untrusted(s, path), untrusted);
		else
			err_at(acl, &at, "%s", untrusted);
		goto out;
	}
	if (rc < 0) {
		fd = -1;
		err = -rc;
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
