/* execv0.c - test tool: execute a program with argc == 0 (pkexec's CVE-2021-4034) */

/*
 * Usage: execv0 PROGRAM [NAME=VALUE...]
 *
 * Runs PROGRAM with an empty argument vector (not even argv[0]) and
 * exactly the given environment, as the pkexec exploit did: a program that
 * reads argv[1] without checking argc then reads the environment. Since
 * Linux 5.18 the kernel gives such a program argc 1 with argv[0] = "";
 * older kernels give argc 0. Either way the program must refuse cleanly.
 * Exit status: the program's; 127 when it cannot be executed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *empty[] = { NULL };

	if (argc < 2) {
		fputs("usage: execv0 PROGRAM [NAME=VALUE...]\n", stderr);
		return 2;
	}
	execve(argv[1], empty, argv + 2);
	fprintf(stderr, "execv0: cannot execute %s: %s\n", argv[1],
		strerror(errno));
	return 127;
}
