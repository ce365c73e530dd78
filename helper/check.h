/* check.h - tapgate-helper --check: the ACL's problems and what the caller may use */
#ifndef TAPGATE_CHECK_H
#define TAPGATE_CHECK_H

#include <stdio.h>

#include "ovsdb.h"

/**
 * check_report() - load the ACL at @path as the current user and report
 *		    on @out: every error and warning as FILE:LINE: message,
 *		    then each bridge the ACL names with its kind (Linux or
 *		    Open vSwitch), verdict and the rule that decided, port
 *		    options, limit and TAPs in use
 * @path:	main ACL file
 * @out:	where the report goes
 * @db:		the Open vSwitch database, connected or not (ovsport_connect());
 *		asked only about the bridges a valid ACL names
 *
 * Creates nothing. Return: the exit status, 0 when the ACL is valid, else 1.
 */
int check_report(const char *path, FILE *out, struct ovsdb *db);

#endif /* TAPGATE_CHECK_H */
