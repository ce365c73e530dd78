/* stamp.c - the benchmark's stand-in for QEMU: prints when it started (CLOCK_MONOTONIC, ns) and exits (built static by tests/bench/run) */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	return 0;
}
