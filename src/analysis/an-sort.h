/*
 * an-sort.h - a fast sort for the analyses' large arrays.
 *
 * The analyses sort one value per gc cycle (a million and more) to take
 * percentiles; qsort with a comparison function is most of their time.
 */
#ifndef TRACESTAT_AN_SORT_H
#define TRACESTAT_AN_SORT_H

#include <stddef.h>

/*
 * Sort v ascending, as stats_sort does (NaN never given; -0.0 sorts before
 * 0.0): below 1024 values stats_sort, else a radix sort on the bits of the
 * doubles, turned so that they order as the numbers do.
 */
void an_sort(double *v, size_t n);

#endif
