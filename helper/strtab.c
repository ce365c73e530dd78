/* strtab.c - strings kept in order of first appearance, found by hash */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "strtab.h"

static size_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (size_t)h;
}

size_t strtab_find(const struct strtab *t, const char *s)
{
	size_t i;

	if (!t->nslot)
		return SIZE_MAX;
	/* Open addressing with linear probing; the table is at most half
	 * full, so an empty slot ends every search. */
	for (i = hash(s) & (t->nslot - 1); t->slot[i];
	     i = (i + 1) & (t->nslot - 1))
		if (!strcmp(t->str[t->slot[i] - 1], s))
			return t->slot[i] - 1;
	return SIZE_MAX;
}

static void strtab_place(struct strtab *t, size_t idx)
{
	size_t i = hash(t->str[idx]) & (t->nslot - 1);

	while (t->slot[i])
		i = (i + 1) & (t->nslot - 1);
	t->slot[i] = idx + 1;
}

size_t strtab_add(struct strtab *t, const char *s, bool *added)
{
	size_t idx = strtab_find(t, s);

	*added = false;
	if (idx != SIZE_MAX)
		return idx;
	if (array_grow(&t->str, &t->cap, t->n + 1, sizeof(*t->str)))
		return SIZE_MAX;
	if ((t->n + 1) * 2 > t->nslot) {
		size_t nslot = t->nslot ? t->nslot * 2 : 16, i;
		size_t *slot = calloc(nslot, sizeof(*slot));

		if (!slot)
			return SIZE_MAX;
		free(t->slot);
		t->slot = slot;
		t->nslot = nslot;
		for (i = 0; i < t->n; i++)
			strtab_place(t, i);
	}
	t->str[t->n] = strdup(s);
	if (!t->str[t->n])
		return SIZE_MAX;
	strtab_place(t, t->n);
	*added = true;
	return t->n++;
}

void strtab_free(struct strtab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->str[i]);
	free(t->str);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}
