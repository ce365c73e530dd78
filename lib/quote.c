/* quote.c - the one rule for untrusted bytes on stderr, in syslog and in --check */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "quote.h"

/*
 * Characters that change how the text around them is shown without being
 * visible: bidirectional marks, embeddings, overrides and isolates, and the
 * line and paragraph separators (a viewer may start a new line there).
 */
static bool invisible_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/**
 * utf8_shown() - length of the UTF-8 character at @p when it may be shown
 *		  as it is
 * @p:		bytes, the first one 0x80 or more
 *
 * Return: 2 to 4, or 0 when the bytes are not valid UTF-8 (a stray
 * continuation byte, a cut sequence, an overlong form, a surrogate, beyond
 * U+10FFFF) or the character is a C1 control or invisible_control().
 */
static size_t utf8_shown(const unsigned char *p)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint32_t cp;
	size_t len, i;

	if (p[0] >= 0xc0 && p[0] <= 0xdf) {
		len = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf7) {
		len = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	/* A NUL is not a continuation byte: the string never ends inside. */
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp <= 0x9f || invisible_control(cp))
		return 0;
	return len;
}

/**
 * escape() - the rule itself, shared by both entry points
 * @out:	result, NUL-terminated
 * @room:	bytes of @out usable for text, NUL not counted
 * @s:		input
 * @max:	most input bytes to take
 * @value:	inside quotes: escape '\\', quotes, '=' and space too
 *
 * Return: the number of input bytes taken (less than strlen(@s) when cut).
 */
static size_t escape(char *out, size_t room, const char *s, size_t max,
		     bool value)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t in = 0, o = 0;

	while (p[in]) {
		unsigned char c = p[in];
		size_t n = 1, need;
		const char *raw = NULL;

		if (c < 0x20 || c == 0x7f ||
		    (value && (c == '\'' || c == '"' || c == '=' || c == ' '))) {
			need = 4;
		} else if (c >= 0x80) {
			n = utf8_shown(p + in);
			need = n ? n : 4;
			if (n)
				raw = (const char *)p + in;
			else
				n = 1;
		} else if (value && c == '\\') {
			raw = "\\\\";
			need = 2;
		} else {
			raw = (const char *)p + in;
			need = 1;
		}
		if (in + n > max || o + need > room)
			break;
		if (raw)
			memcpy(out + o, raw, need);
		else
			snprintf(out + o, 5, "\\x%02x", c);
		o += need;
		in += n;
	}
	out[o] = '\0';
	return in;
}

const char *quote_untrusted(char out[QUOTE_BUF], const char *s)
{
	size_t taken, o;

	out[0] = '\'';
	/* Room for the text: all but both quotes, "..." and the NUL. */
	taken = escape(out + 1, QUOTE_BUF - 6, s, QUOTE_MAX, true);
	o = 1 + strlen(out + 1);
	out[o++] = '\'';
	if (s[taken]) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

const char *quote_text(char *out, size_t outlen, const char *s)
{
	size_t taken;

	if (outlen < 4) {
		if (outlen)
			out[0] = '\0';
		return out;
	}
	taken = escape(out, outlen - 1, s, (size_t)-1, false);
	if (s[taken]) {
		/* Cut: make room for "..." (never inside an escape). */
		escape(out, outlen - 4, s, (size_t)-1, false);
		memcpy(out + strlen(out), "...", 4);
	}
	return out;
}
