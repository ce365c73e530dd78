/* fdtoken.h - test tools: "{fd}" in a command's words becomes the helper's socket number */
#ifndef TAPGATE_FDTOKEN_H
#define TAPGATE_FDTOKEN_H

#define FD_TOKEN "{fd}"

/**
 * subst_fd() - copy @s with every FD_TOKEN replaced by @fd
 * @s:		argument text
 * @fd:		socket number to put in
 *
 * Return: a new string, or NULL when out of memory.
 */
char *subst_fd(const char *s, int fd);

#endif /* TAPGATE_FDTOKEN_H */
