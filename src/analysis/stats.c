#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "xalloc.h"
#include "banned.h"

static int
compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
stats_sort(double *v, size_t n)
{
	qsort(v, n, sizeof *v, compare_double);
}

double
stats_percentile(const double *sorted, size_t n, double p)
{
	double h, lo;
	size_t i;

	if (n == 1 || p <= 0)
		return sorted[0];
	if (p >= 100)
		return sorted[n - 1];
	h = (double)(n - 1) * p / 100.0;
	lo = floor(h);
	i = (size_t)lo;
	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]);
}

double
stats_mean(const double *v, size_t n)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	return n > 0 ? sum / (double)n : 0;
}

double
stats_min(const double *v, size_t n)
{
	double m = n > 0 ? v[0] : 0;
	size_t i;

	for (i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

double
stats_max(const double *v, size_t n)
{
	double m = n > 0 ? v[0] : 0;
	size_t i;

	for (i = 1; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

int
stats_least_squares(const double *x, const double *y, size_t n,
    double *slope, double *intercept, double *r2)
{
	double mx, my, sxx = 0, sxy = 0, syy = 0;
	size_t i;

	if (n < 2)
		return -1;
	mx = stats_mean(x, n);
	my = stats_mean(y, n);
	for (i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
		syy += (y[i] - my) * (y[i] - my);
	}
	if (sxx == 0)
		return -1;
	*slope = sxy / sxx;
	*intercept = my - *slope * mx;
	if (r2 != NULL)
		*r2 = syy == 0 ? 1 : (sxy * sxy) / (sxx * syy);
	return 0;
}

int
stats_theil_sen(const double *x, const double *y, size_t n, double *slope,
    double *intercept)
{
	double *slopes, *resid;
	size_t i, j, m = 0, cap;

	if (n < 2)
		return -1;
	cap = n <= 2000 ? n * (n - 1) / 2 : n;
	slopes = xmalloc(cap * sizeof *slopes);
	if (n <= 2000) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (x[j] != x[i])
					slopes[m++] = (y[j] - y[i]) /
					    (x[j] - x[i]);
	} else {
		for (i = 0; i + n / 2 < n; i++) {
			j = i + n / 2;
			if (x[j] != x[i])
				slopes[m++] = (y[j] - y[i]) / (x[j] - x[i]);
		}
	}
	if (m == 0) {
		free(slopes);
		return -1;
	}
	stats_sort(slopes, m);
	*slope = stats_percentile(slopes, m, 50);
	free(slopes);
	resid = xmalloc(n * sizeof *resid);
	for (i = 0; i < n; i++)
		resid[i] = y[i] - *slope * x[i];
	stats_sort(resid, n);
	*intercept = stats_percentile(resid, n, 50);
	free(resid);
	return 0;
}

int
stats_mann_kendall(const double *y, size_t n, double *s_out, double *z_out,
    double *p_out)
{
	double s = 0, var, z, *sorted;
	size_t i, j, t;

	if (n < 3)
		return -1;
	if (n > 5000) {
		/* O(n^2): beyond this the caller should pass window values. */
		n = 5000;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			s += (y[j] > y[i]) - (y[j] < y[i]);
	var = (double)n * (n - 1) * (2 * n + 5);
	sorted = xmalloc(n * sizeof *sorted);
	memcpy(sorted, y, n * sizeof *sorted);
	stats_sort(sorted, n);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && sorted[j] == sorted[i]; j++)
			;
		t = j - i;
		if (t > 1)
			var -= (double)t * (t - 1) * (2 * t + 5);
	}
	free(sorted);
	var /= 18;
	if (var <= 0)
		z = 0;
	else if (s > 0)
		z = (s - 1) / sqrt(var);
	else if (s < 0)
		z = (s + 1) / sqrt(var);
	else
		z = 0;
	*s_out = s;
	*z_out = z;
	*p_out = erfc(fabs(z) / sqrt(2));
	return 0;
}

/*
 * Multiply the distribution dist (counts of D = 0..*deg) by the Gaussian
 * binomial [a + b choose b]_q: the inversions between a group of b equal
 * values and the a smaller ones already placed.  merge[i][j] counts the
 * interleavings of i smaller and j larger values by inversions; placing
 * a smaller value after j larger ones adds j inversions.
 */
static void
stats_mk_add_group(double *dist, size_t *deg, size_t a, size_t b)
{
	size_t i, j, k, top = a * b, width = top + 1;
	double *row, *prev, *out;

	/* row[j * width + k]: interleavings of i smaller, j larger, k inv. */
	row = xcalloc((b + 1) * width, sizeof *row);
	prev = xcalloc((b + 1) * width, sizeof *prev);
	for (j = 0; j <= b; j++)
		prev[j * width] = 1;	/* i = 0: one way, no inversion */
	for (i = 1; i <= a; i++) {
		memset(row, 0, (b + 1) * width * sizeof *row);
		for (j = 0; j <= b; j++)
			for (k = 0; k <= top; k++) {
				if (k >= j)
					row[j * width + k] +=
					    prev[j * width + k - j];
				if (j > 0)
					row[j * width + k] +=
					    row[(j - 1) * width + k];
			}
		out = prev;
		prev = row;
		row = out;
	}
	out = xcalloc(*deg + top + 1, sizeof *out);
	for (i = 0; i <= *deg; i++)
		if (dist[i] != 0)
			for (k = 0; k <= top; k++)
				out[i + k] += dist[i] * prev[b * width + k];
	*deg += top;
	memcpy(dist, out, (*deg + 1) * sizeof *dist);
	free(out);
	free(row);
	free(prev);
}

int
stats_mann_kendall_exact(const double *y, size_t n, double *s_out,
    double *p_rise, double *p_least)
{
	double *sorted, *dist, s = 0, total = 0, tail = 0;
	size_t i, j, placed, deg = 0, untied, d_obs;

	if (n < 2 || n > STATS_MK_EXACT_MAX)
		return -1;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			s += (y[j] > y[i]) - (y[j] < y[i]);
	sorted = xmalloc(n * sizeof *sorted);
	memcpy(sorted, y, n * sizeof *sorted);
	stats_sort(sorted, n);
	dist = xcalloc(n * n / 2 + 1, sizeof *dist);
	dist[0] = 1;
	untied = n * (n - 1) / 2;
	for (placed = 0, i = 0; i < n; i = j) {
		for (j = i + 1; j < n && sorted[j] == sorted[i]; j++)
			;
		untied -= (j - i) * (j - i - 1) / 2;
		if (placed > 0)
			stats_mk_add_group(dist, &deg, placed, j - i);
		placed += j - i;
	}
	free(sorted);
	/* S = untied - 2D, so S >= s is D <= (untied - s) / 2. */
	d_obs = (size_t)(((double)untied - s) / 2 + 0.5);
	for (i = 0; i <= deg; i++) {
		total += dist[i];
		if (i <= d_obs)
			tail += dist[i];
	}
	*s_out = s;
	*p_rise = fmin(1.0, tail / total);
	*p_least = dist[0] / total;
	free(dist);
	return 0;
}
