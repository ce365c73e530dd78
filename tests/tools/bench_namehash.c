/* bench_namehash.c - time lookups of missing slot names: spread over the kernel's name hash, or in one bucket */

/*
 * Usage (in a network namespace of your own; no privilege needed):
 *
 *   bench_namehash ROUNDS LABEL
 *
 * Each round looks up NL_PROBE_BATCH slot names that no interface has,
 * with nl_links_by_altname() (one batch, as the limit's look above the
 * limit does), in three ways, in turn:
 *
 *   spread	the names of before issue 9's bucket change,
 *		"tapgate.<uid>.<k>": each lands in its own bucket;
 *   bucket	limit_slot_name()'s names, "tapgate.uid<uid>.slot<k>": the
 *		16 bytes the kernel hashes are the same, one bucket;
 *   warm	the same again at once, its chain still in the cache.
 *
 * Before "spread" and "bucket" it writes to 128 MiB, so that they start
 * with the cache cold, as a request from a new process does. The names are
 * the look above "limit 100" of uid 4001 (k = 100 to 115), as the scale
 * benchmark's limited requests make them; run it where that user holds no
 * slots. (With the old format, a uid of 9 or more digits, or k of 4 or more,
 * also put k beyond the hashed bytes by chance.)
 *
 * Output: one JSON line per way,
 *   {"label":L,"way":W,"median_us":M,"p95_us":P,"rounds":R}
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchstat.h"
#include "limit.h"
#include "log.h"
#include "parse.h"
#include "rtnl.h"

#define EVICT_BYTES (128UL << 20)
#define FIRST_SLOT 100UL
#define UID 4001U

enum way { SPREAD, BUCKET, WARM, WAYS };

static const char *const way_name[WAYS] = { "spread", "bucket", "warm" };

static void evict(volatile unsigned char *mem)
{
	size_t i;

	for (i = 0; i < EVICT_BYTES; i += 64)
		mem[i]++;
}

/* One batch of lookups, timed; every name must be missing. */
static double lookup(struct nl *nl, char names[][LIMIT_SLOT_NAME_SIZE])
{
	const char *ptr[NL_PROBE_BATCH];
	struct nl_link links[NL_PROBE_BATCH];
	double t0, t;
	size_t i;
	int err;

	for (i = 0; i < NL_PROBE_BATCH; i++)
		ptr[i] = names[i];
	t0 = bench_now_us();
	err = nl_links_by_altname(nl, ptr, NL_PROBE_BATCH, links);
	t = bench_now_us() - t0;
	if (err)
		die("lookup: %s", nl_error(nl, err));
	for (i = 0; i < NL_PROBE_BATCH; i++)
		if (links[i].ifindex)
			die("%s is not missing", names[i]);
	return t;
}

int main(int argc, char **argv)
{
	char spread[NL_PROBE_BATCH][LIMIT_SLOT_NAME_SIZE];
	char bucket[NL_PROBE_BATCH][LIMIT_SLOT_NAME_SIZE];
	unsigned long rounds;
	unsigned char *mem;
	double *t[WAYS];
	struct nl nl;
	size_t i, r, w;
	int err;

	log_init("bench_namehash");
	if (argc != 3 || parse_ulong(argv[1], 1, 100000, &rounds))
		die("usage: bench_namehash ROUNDS LABEL");
	for (i = 0; i < NL_PROBE_BATCH; i++) {
		unsigned long k = FIRST_SLOT + i;

		snprintf(spread[i], sizeof(spread[i]), "tapgate.%u.%lu", UID, k);
		if (limit_slot_name(bucket[i], UID, k))
			die("slot %lu has no name", k);
	}
	mem = calloc(1, EVICT_BYTES);
	for (w = 0; w < WAYS; w++)
		t[w] = calloc(rounds, sizeof(double));
	if (!mem || !t[SPREAD] || !t[BUCKET] || !t[WARM])
		die("out of memory");
	err = nl_open(&nl);
	if (err)
		die("netlink: %s", strerror(-err));

	for (r = 0; r < rounds; r++) {
		evict(mem);
		t[SPREAD][r] = lookup(&nl, spread);
		evict(mem);
		t[BUCKET][r] = lookup(&nl, bucket);
		t[WARM][r] = lookup(&nl, bucket);
	}
	for (w = 0; w < WAYS; w++) {
		bench_sort(t[w], rounds);
		printf("{\"label\":\"%s\",\"way\":\"%s\",\"median_us\":%.1f,"
		       "\"p95_us\":%.1f,\"rounds\":%lu}\n", argv[2],
		       way_name[w], bench_percentile(t[w], rounds, 50),
		       bench_percentile(t[w], rounds, 95), rounds);
	}
	nl_close(&nl);
	return 0;
}
