/* sweep.c - tapgate-helper --sweep: the persistent TAPs the helper granted, found and deleted */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "parse.h"
#include "sweep.h"

/* How many times a dump flagged inconsistent is read again. */
#define SWEEP_DUMP_TRIES 4

/* "NUMBER" then @end, at @p; the number at most @max. */
static const char *number_then(const char *p, char end, unsigned long max,
			       unsigned long *v)
{
	char digits[24];
	size_t n = 0;

	while (p[n] >= '0' && p[n] <= '9' && n < sizeof(digits) - 1) {
		digits[n] = p[n];
		n++;
	}
	digits[n] = '\0';
	if (p[n] != end || parse_ulong(digits, 0, max, v))
		return NULL;
	return p + n;
}

int sweep_alias_parse(const char *alias, uid_t *uid, pid_t *pid)
{
	static const char head[] = "tapgate uid=", mid[] = " pid=";
	unsigned long u, p;
	const char *s = alias;

	if (strncmp(s, head, sizeof(head) - 1))
		return -EINVAL;
	s = number_then(s + sizeof(head) - 1, ' ', (uid_t)-2, &u);
	if (!s || strncmp(s, mid, sizeof(mid) - 1))
		return -EINVAL;
	/* A pid is positive and fits an int (PID_MAX_LIMIT is 2^22). */
	s = number_then(s + sizeof(mid) - 1, '\0', 0x7fffffff, &p);
	if (!s || p == 0)
		return -EINVAL;
	*uid = (uid_t)u;
	*pid = (pid_t)p;
	return 0;
}

/* A string attribute, NUL-terminated, shorter than @size; else NULL. */
static const char *str_attr(const struct nlattr *a, size_t size)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ||
	    strnlen(mnl_attr_get_str(a), size) >= size)
		return NULL;
	return mnl_attr_get_str(a);
}

/* A u8 or u32 flag attribute: its value, or 0 when absent. */
static int u8_attr(const struct nlattr *a, uint8_t *v)
{
	*v = 0;
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u8(a);
	return 0;
}

static int u32_attr(const struct nlattr *a, uint32_t *v)
{
	*v = 0;
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u32(a);
	return 0;
}

int sweep_tap_parse(const struct nlmsghdr *nlh, struct sweep_tap *t)
{
	const struct nlattr *tun[IFLA_TUN_MAX + 1] = { 0 };
	struct nl_link_msg m;
	const char *alias;
	uint32_t queues, disabled;
	uint8_t persist, carrier;

	memset(t, 0, sizeof(*t));
	/* lib/nl.c's reader: a positive index, the name whole, the kind. */
	if (nl_link_msg_parse(nlh, &m))
		return -EBADMSG;
	if (strcmp(m.kind, "tun") || !m.info[IFLA_INFO_DATA])
		return 0;
	/* An alias the helper did not write is not ours, whatever it is. */
	alias = str_attr(m.tb[IFLA_IFALIAS], NL_ALIAS_MAX + 1);
	if (!alias || sweep_alias_parse(alias, &t->uid, &t->pid))
		return 0;
	if (nl_parse_nested(m.info[IFLA_INFO_DATA], tun, IFLA_TUN_MAX) ||
	    u8_attr(tun[IFLA_TUN_PERSIST], &persist) ||
	    u32_attr(tun[IFLA_TUN_NUM_QUEUES], &queues) ||
	    u32_attr(tun[IFLA_TUN_NUM_DISABLED_QUEUES], &disabled) ||
	    u8_attr(m.tb[IFLA_CARRIER], &carrier))
		return -EBADMSG;

	t->ifindex = m.ifi->ifi_index;
	memcpy(t->name, m.name, sizeof(t->name));
	t->persist = persist != 0;
	/* The tun driver turns the carrier off when the last queue closes
	 * (and on when one attaches); a multiqueue TAP also counts them. */
	t->attached = carrier || queues || disabled;
	return 1;
}

bool sweep_wanted(const struct sweep_tap *t, uid_t caller, pid_t pid)
{
	if (!t->persist || t->attached)
		return false;
	if (caller != 0 && t->uid != caller)
		return false;
	return !pid || t->pid == pid;
}

size_t sweep_build_dump(void *buf)
{
	struct nlmsghdr *nlh;
	struct nlattr *info;

	nl_build_clear(buf);
	nlh = nl_put_link_msg(buf, RTM_GETLINK, NLM_F_DUMP, 0);
	/* The kernel then skips interfaces of other kinds. */
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "tun");
	mnl_attr_nest_end(nlh, info);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nlh->nlmsg_len;
}

static int find_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sweep_list *l = data;
	struct sweep_tap t;
	int r = sweep_tap_parse(nlh, &t);

	if (r < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (r) {
		if (l->n < SWEEP_BATCH)
			l->tap[l->n] = t;
		l->n++;
	}
	return MNL_CB_OK;
}

int sweep_find(struct nl *nl, struct sweep_list *l)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	int err = -EINTR;
	int tries;

	for (tries = 0; tries < SWEEP_DUMP_TRIES && err == -EINTR; tries++) {
		memset(l, 0, sizeof(*l));
		err = nl_roundtrip(nl, buf, sweep_build_dump(buf), find_cb, l);
	}
	return err == -EINTR ? -EAGAIN : err;
}

int sweep_run(struct nl *nl, uid_t caller, pid_t pid,
	      void (*removed)(const struct sweep_tap *t, void *data),
	      void *data)
{
	char buf[NL_BUILD_SIZE] NL_ALIGNED;
	struct sweep_list l;
	int first = 0, err;
	size_t i, gone, len;

	/* A pass sees at most SWEEP_BATCH TAPs; what it deletes makes room
	 * for the next. A pass that deletes nothing is the last. */
	do {
		err = sweep_find(nl, &l);
		if (err)
			return first ? first : err;
		gone = 0;
		for (i = 0; i < l.n && i < SWEEP_BATCH; i++) {
			if (!sweep_wanted(&l.tap[i], caller, pid))
				continue;
			/* By ifindex: the name could belong to another
			 * interface by now; an index is never reused while
			 * the counter has not wrapped (2^31 interfaces). */
			len = nl_build_dellink(buf, l.tap[i].ifindex, NULL);
			err = nl_roundtrip(nl, buf, len, NULL, NULL);
			if (err == -ENODEV)
				continue;
			if (err) {
				if (!first)
					first = err;
				continue;
			}
			gone++;
			removed(&l.tap[i], data);
		}
	} while (l.n > SWEEP_BATCH && gone);
	return first;
}
