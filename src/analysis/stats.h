/*
 * stats.h - the statistics the analyses share.
 *
 * Pure functions over arrays of doubles; nothing here prints or touches
 * the store.  Methods are described in the analyses' man pages.
 */
#ifndef TRACESTAT_STATS_H
#define TRACESTAT_STATS_H

#include <stddef.h>

/* Sort v ascending (NaN never given). */
void stats_sort(double *v, size_t n);

/*
 * The p-th percentile (0 <= p <= 100) of sorted v by linear interpolation
 * between closest ranks: rank h = (n - 1) * p / 100, value v[floor(h)] +
 * (h - floor(h)) * (v[floor(h) + 1] - v[floor(h)]) (Hyndman and Fan type 7,
 * the default of R and NumPy).  n must be > 0.
 */
double stats_percentile(const double *sorted, size_t n, double p);

double stats_mean(const double *v, size_t n);
double stats_min(const double *v, size_t n);
double stats_max(const double *v, size_t n);

/*
 * Least-squares line y = intercept + slope * x.  Returns -1 when n < 2 or
 * all x are equal.  r2 may be NULL.
 */
int stats_least_squares(const double *x, const double *y, size_t n,
    double *slope, double *intercept, double *r2);

/*
 * Theil-Sen line: the median of the slopes of all pairs with distinct x,
 * and the median of y - slope * x as intercept.  Robust to up to 29% of
 * outliers.  O(n^2) memory for the pairs when n is small; for n above
 * 2000 the pairs are those of points i and i + n/2 (a deterministic
 * subsample).  Returns -1 when no pair has distinct x.
 */
int stats_theil_sen(const double *x, const double *y, size_t n,
    double *slope, double *intercept);

/*
 * Mann-Kendall trend test on y in time order: S, its variance (with the
 * correction for ties), the normal score Z, and the two-sided p-value.
 * Returns -1 when n < 3.
 */
int stats_mann_kendall(const double *y, size_t n, double *s, double *z,
    double *p);

/* The largest n stats_mann_kendall_exact takes (n! stays a double). */
#define STATS_MK_EXACT_MAX	60

/*
 * Mann-Kendall on y in time order with the exact null distribution of S:
 * every ordering of the values (ties kept) equally likely, S = T - 2D
 * where T is the number of untied pairs and D the discordant ones, whose
 * distribution is the q-multinomial coefficient of the tie groups (the
 * inversions of a multiset permutation).  Gives S, the one-sided p-value
 * of a rise, P(S >= s), and the smallest one the sample could reach at
 * all (1 / the number of distinct orderings).  Returns -1 when n < 2 or
 * n > STATS_MK_EXACT_MAX.
 */
int stats_mann_kendall_exact(const double *y, size_t n, double *s,
    double *p_rise, double *p_least);

#endif
