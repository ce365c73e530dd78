/* benchstat.h - benchmark tools: the clock and the percentiles every timing tool reports */
#ifndef TAPGATE_BENCHSTAT_H
#define TAPGATE_BENCHSTAT_H

#include <stddef.h>

/* CLOCK_MONOTONIC in microseconds. */
double bench_now_us(void);

/* Sort @v (@n values) in place, ascending, for bench_percentile(). */
void bench_sort(double *v, size_t n);

/* Nearest-rank percentile @p (0 to 100) of sorted @v; @n must be > 0. */
double bench_percentile(const double *v, size_t n, double p);

#endif /* TAPGATE_BENCHSTAT_H */
