/* test_lib_fdpass.c - unit tests: passing fds over AF_UNIX sockets */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "fdpass.h"

static int same_file(int a, int b)
{
	struct stat sa, sb;

	return !fstat(a, &sa) && !fstat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static void test_one_fd_arrives_with_one_byte(void **state)
{
	int sv[2], p[2], got[QUEUES_MAX];
	size_t n = 0;
	char byte;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(fd_send(sv[0], &p[0], 1), 0);
	assert_int_equal(fd_recv(sv[1], got, QUEUES_MAX, &n), 0);
	assert_int_equal(n, 1);
	assert_true(same_file(got[0], p[0]));
	/* Received fds are close-on-exec: only what QEMU should get leaks. */
	assert_true(fcntl(got[0], F_GETFD) & FD_CLOEXEC);
	/* Exactly one byte of payload was sent: nothing else is pending. */
	assert_int_equal(recv(sv[1], &byte, 1, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	close(got[0]);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

static void test_sixteen_fds_arrive_in_one_message(void **state)
{
	int sv[2], fds[QUEUES_MAX], got[QUEUES_MAX];
	size_t n = 0, i;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (i = 0; i < QUEUES_MAX; i++)
		fds[i] = open("/dev/null", O_RDONLY);
	assert_int_equal(fd_send(sv[0], fds, QUEUES_MAX), 0);
	assert_int_equal(fd_recv(sv[1], got, QUEUES_MAX, &n), 0);
	assert_int_equal(n, QUEUES_MAX);
	for (i = 0; i < QUEUES_MAX; i++) {
		assert_true(same_file(got[i], fds[i]));
		close(got[i]);
		close(fds[i]);
	}
	close(sv[0]);
	close(sv[1]);
}

static void test_more_fds_than_asked_are_refused_and_closed(void **state)
{
	int sv[2], fds[2], got[QUEUES_MAX];
	size_t n = 0;
	struct stat st;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fds[0] = open("/dev/null", O_RDONLY);
	fds[1] = open("/dev/null", O_RDONLY);
	assert_int_equal(fd_send(sv[0], fds, 2), 0);
	assert_int_equal(fd_recv(sv[1], got, 1, &n), -EPROTO);
	/* The lowest free fd numbers are the ones the extras would take. */
	close(fds[0]);
	close(fds[1]);
	got[0] = open("/dev/null", O_RDONLY);
	assert_true(got[0] <= fds[1]);
	close(got[0]);
	assert_int_equal(fstat(fds[1] + 1, &st), -1);
	close(sv[0]);
	close(sv[1]);
}

static void test_closed_peer_is_epipe(void **state)
{
	int sv[2], got[1];
	size_t n;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[0]);
	assert_int_equal(fd_recv(sv[1], got, 1, &n), -EPIPE);
	close(sv[1]);
}

static void test_message_without_fds_is_eproto(void **state)
{
	int sv[2], got[1];
	size_t n;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[0], "x", 1), 1);
	assert_int_equal(fd_recv(sv[1], got, 1, &n), -EPROTO);
	close(sv[0]);
	close(sv[1]);
}

static void test_bad_count_is_einval(void **state)
{
	int fd = 0;

	assert_int_equal(fd_send(0, &fd, 0), -EINVAL);
	assert_int_equal(fd_send(0, &fd, QUEUES_MAX + 1), -EINVAL);
}

static void test_connected_unix_socket_is_accepted(void **state)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(fd_check_unix_connected(sv[0]), 0);
	close(sv[0]);
	close(sv[1]);
}

static void test_closed_fd_is_not_a_socket(void **state)
{
	int fd = open("/dev/null", O_RDONLY);

	close(fd);
	assert_int_equal(fd_check_unix_connected(fd), -EBADF);
}

static void test_regular_file_and_pipe_are_not_sockets(void **state)
{
	int p[2], fd = open("/dev/null", O_RDONLY);

	assert_int_equal(fd_check_unix_connected(fd), -ENOTSOCK);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(fd_check_unix_connected(p[0]), -ENOTSOCK);
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void test_inet_socket_is_refused(void **state)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(fd_check_unix_connected(fd), -EAFNOSUPPORT);
	close(fd);
}

static void test_unconnected_unix_socket_is_refused(void **state)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	assert_true(fd >= 0);
	assert_int_equal(fd_check_unix_connected(fd), -ENOTCONN);
	/* A listening socket (autobind, abstract) has no peer either. */
	assert_int_equal(bind(fd, (struct sockaddr *)&addr,
			      sizeof(sa_family_t)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(fd_check_unix_connected(fd), -ENOTCONN);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_fd_arrives_with_one_byte),
		cmocka_unit_test(test_sixteen_fds_arrive_in_one_message),
		cmocka_unit_test(test_more_fds_than_asked_are_refused_and_closed),
		cmocka_unit_test(test_closed_peer_is_epipe),
		cmocka_unit_test(test_message_without_fds_is_eproto),
		cmocka_unit_test(test_bad_count_is_einval),
		cmocka_unit_test(test_connected_unix_socket_is_accepted),
		cmocka_unit_test(test_closed_fd_is_not_a_socket),
		cmocka_unit_test(test_regular_file_and_pipe_are_not_sockets),
		cmocka_unit_test(test_inet_socket_is_refused),
		cmocka_unit_test(test_unconnected_unix_socket_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
