/* strtab.h - strings kept in order of first appearance, found by hash */
#ifndef TAPGATE_STRTAB_H
#define TAPGATE_STRTAB_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The ACL names bridges and principals by index into one of these, so a
 * rule is a few integers and a verdict compares indexes, not strings.
 * A hash, not a plain array: a list of 100,000 rules naming distinct
 * bridges would otherwise take 5 * 10^9 string comparisons to load.
 * Zero-initialised is empty.
 */
struct strtab {
	char **str;		/* the strings, in order of first appearance */
	size_t n, cap;
	size_t *slot;		/* index + 1; 0 is an empty slot */
	size_t nslot;		/* a power of two, at least 2 * n */
};

/**
 * strtab_find() - index of @s in @t, or SIZE_MAX when absent
 */
size_t strtab_find(const struct strtab *t, const char *s);

/**
 * strtab_add() - the index of @s in @t, adding a copy when absent
 * @t:		table
 * @s:		string
 * @added:	set to whether @s was new
 *
 * Return: index, or SIZE_MAX when out of memory (@t is unchanged).
 */
size_t strtab_add(struct strtab *t, const char *s, bool *added);

/**
 * strtab_free() - release what @t owns; it is empty again afterwards
 */
void strtab_free(struct strtab *t);

#endif /* TAPGATE_STRTAB_H */
