/* modes.h - the helper's modes that make no port: --help, --version, --check, --release and --sweep */
#ifndef TAPGATE_MODES_H
#define TAPGATE_MODES_H

#include "args.h"

/**
 * mode_run() - after step 1, instead of steps 2 to 8: the mode @a asks for
 *		(--help, --version, --check, --sweep or --release)
 *
 * Each spends the privilege as priv.c's theory of operation says for it.
 * Dies with a refusal line on failure (log.h), like main's steps; a
 * report that did not reach stdout is one.
 * Return: the exit status.
 */
int mode_run(const struct helper_args *a);

#endif /* TAPGATE_MODES_H */
