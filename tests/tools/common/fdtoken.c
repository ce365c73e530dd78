/* fdtoken.c - test tools: "{fd}" in a command's words becomes the helper's socket number */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdtoken.h"

char *subst_fd(const char *s, int fd)
{
	char num[16];
	size_t len = strlen(s) + 1, nlen, tlen = strlen(FD_TOKEN);
	const char *p;
	char *out, *q;

	nlen = (size_t)snprintf(num, sizeof(num), "%d", fd);
	for (p = s; (p = strstr(p, FD_TOKEN)); p += tlen)
		len += nlen;
	out = malloc(len);
	if (!out)
		return NULL;
	for (q = out; *s; ) {
		if (!strncmp(s, FD_TOKEN, tlen)) {
			memcpy(q, num, nlen);
			q += nlen;
			s += tlen;
		} else {
			*q++ = *s++;
		}
	}
	*q = '\0';
	return out;
}
