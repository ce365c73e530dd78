/* quote.h - the one rule for untrusted bytes on stderr, in syslog and in --check */
#ifndef TAPGATE_QUOTE_H
#define TAPGATE_QUOTE_H

#include <stddef.h>

/* Most bytes of one untrusted value shown; a longer one is cut, with
 * "..." after the closing quote. The value itself is always judged whole. */
#define QUOTE_MAX 64
/* Room quote_untrusted() needs: two quotes, each byte as \xNN, "...", NUL. */
#define QUOTE_BUF (2 + QUOTE_MAX * 4 + 3 + 1)

/**
 * quote_untrusted() - show an untrusted value, in single quotes, safely
 * @out:	buffer of QUOTE_BUF bytes
 * @s:		the value (argv, a word of the ACL, a name from the kernel)
 *
 * The rule, one for every program and every channel:
 * - a byte below 0x20 and DEL become \xNN;
 * - bytes of 0x80 and up stay only when they form valid UTF-8 (shortest
 *   form, no surrogate, at most U+10FFFF) for a character that is neither
 *   a C1 control (U+0080-U+009F: ESC [ to a terminal) nor a bidirectional
 *   control or line separator (U+061C, U+200E, U+200F, U+2028-U+202E,
 *   U+2066-U+2069: text that reads backwards); every other byte is \xNN;
 * - inside the quotes, a backslash is \\ and a quote, '"', '=' and a space
 *   are \xNN, so that the value can neither end early nor read as a
 *   "key=value" field of a log line;
 * - at most QUOTE_MAX bytes of @s are shown, never half a character.
 *
 * Return: @out, e.g. "'br0'", "'x\x27\x20uid\x3d0'", "'aaaa...a'...".
 */
const char *quote_untrusted(char out[QUOTE_BUF], const char *s);

/**
 * quote_text() - make a whole message safe to print, leaving it readable
 * @out:	result
 * @outlen:	room in @out (at least 4)
 * @s:		the message
 *
 * The first two parts of the rule only (controls, bytes of 0x80 and up):
 * for text built by the program itself, whose untrusted parts have
 * already gone through quote_untrusted(). A backslash, quotes and spaces
 * stay. What does not fit in @out is cut, and "..." ends it.
 *
 * Return: @out.
 */
const char *quote_text(char *out, size_t outlen, const char *s);

#endif /* TAPGATE_QUOTE_H */
