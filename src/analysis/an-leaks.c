#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an-leaks.h"
#include "an-sort.h"
#include "stats.h"
#include "xalloc.h"
#include "banned.h"

void
leaks_options_init(struct leaks_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->warmup = LEAKS_WARMUP_AUTO;
	opt->min_rise_mib = LEAKS_DEFAULT_MIN_RISE_MIB;
}

const char *
leaks_verdict_name(enum leaks_verdict v)
{
	switch (v) {
	case LEAKS_LEAK:
		return "leak";
	case LEAKS_NO_LEAK:
		return "no-leak";
	default:
		return "inconclusive";
	}
}

void
leaks_result_free(struct leaks_result *res)
{
	free(res->floor_t_s);
	free(res->floor_mib);
	res->floor_t_s = NULL;
	res->floor_mib = NULL;
	res->n_floors = 0;
}

static double
leaks_median(double *v, size_t n)
{
	/* Half a segment: a million values at 2M cycles. */
	an_sort(v, n);
	return stats_percentile(v, n, 50);
}

/*
 * The automatic warm-up: the time the live heap first comes within a
 * quantum (or 1%) of the median of the later half of the segment, kept
 * between 10% and 25% of the segment.  t and live hold the used cycles.
 */
static double
leaks_auto_warmup(const double *t, const double *live, size_t n)
{
	double t0 = t[0], span = t[n - 1] - t[0], level, tol, reach;
	double *late;
	size_t i, m = 0;

	late = xmalloc(n * sizeof *late);
	for (i = 0; i < n; i++)
		if (t[i] >= t0 + span / 2)
			late[m++] = live[i];
	level = leaks_median(late, m);
	free(late);
	tol = fmax(1.0, 0.01 * level);
	reach = t[n - 1];
	for (i = 0; i < n; i++)
		if (live[i] >= level - tol) {
			reach = t[i];
			break;
		}
	return fmin(fmax(reach - t0, LEAKS_AUTO_WARMUP_MIN * span),
	    LEAKS_AUTO_WARMUP_MAX * span);
}

/*
 * A leak score in 0..1: the confidence that the values rise (`rising`, in
 * 0..1) times the fitted rise as a fraction of the threshold (at most 1).
 */
static double
leaks_score_rising(double rising, double rise, double threshold)
{
	double part = rise <= 0 ? 0 : fmin(1.0, rise / threshold);

	return rising * part;
}

/*
 * The same from Mann-Kendall's S and two-sided p-value: the one-sided
 * confidence of a rise is 1 - p/2 when S > 0, p/2 otherwise.
 */
static double
leaks_score(double s, double p, double rise, double threshold)
{
	return leaks_score_rising(s > 0 ? 1 - p / 2 : p / 2, rise,
	    threshold);
}

const char *
leaks_series_name(enum leaks_series series)
{
	return series == LEAKS_SERIES_STACKS ? "stacks" : "heap";
}

const char *
leaks_method_name(enum leaks_method method)
{
	return method == LEAKS_METHOD_CYCLES ?
	    "theil-sen+exact mann-kendall on cycles" :
	    "theil-sen+mann-kendall on window floors";
}

/*
 * The line through the points (res->floor_t_s, res->floor_mib) and what
 * both methods derive from it: the rise over the window, the threshold,
 * the fitted end, the least detectable slope, the slope of the later half,
 * and whether that half still rises enough (*growing).  Returns -1 when no
 * line can be fitted.
 */
static int
leaks_fit_line(struct leaks_result *res, const struct leaks_options *opt,
    int *growing)
{
	double ws = res->window_start_s, we = res->window_end_s;
	double fit_start, late_intercept;
	size_t h;

	if (stats_theil_sen(res->floor_t_s, res->floor_mib, res->n_floors,
	    &res->slope_mib_per_s, &res->intercept_mib) < 0)
		return -1;
	res->rise_mib = res->slope_mib_per_s * (we - ws);
	fit_start = res->intercept_mib + res->slope_mib_per_s * ws;
	res->threshold_mib = fmax(fmax(opt->min_rise_mib,
	    LEAKS_QUANTUM_FLOOR_MIB), LEAKS_RELATIVE_FLOOR * fit_start);
	res->floor_end_mib = res->intercept_mib + res->slope_mib_per_s * we;
	res->detectable_mib_per_s = res->threshold_mib / (we - ws);

	/*
	 * Still rising in the later half?  Only asked when the line predicts
	 * a rise of at least the threshold there: a smaller one may hide in
	 * the 1 MiB steps of the figures.
	 */
	h = res->n_floors / 2;
	if (stats_theil_sen(res->floor_t_s + h, res->floor_mib + h,
	    res->n_floors - h, &res->late_slope_mib_per_s,
	    &late_intercept) < 0)
		res->late_slope_mib_per_s = 0;
	*growing = res->late_slope_mib_per_s >= LEAKS_LATE_FRACTION *
	    res->slope_mib_per_s || res->slope_mib_per_s *
	    (we - res->floor_t_s[h]) < res->threshold_mib;
	return 0;
}

/*
 * The automatic warm-up of the cycles method, in cycles rather than time
 * (the cycles of a fast leak are spaced exponentially, so a share of the
 * time would leave almost none): the first cycle within a quantum (or 1%)
 * of the median of the later half of the cycles, kept between 10% (at
 * least one cycle: the first one starts from an empty heap) and 25% of
 * them.  Returns the number of cycles left out.
 */
static size_t
leaks_auto_warmup_cycles(const double *live, size_t n)
{
	double *late, level, tol;
	size_t i, m = n - n / 2, lo, hi, reach = n - 1;

	late = xmalloc(m * sizeof *late);
	memcpy(late, live + n / 2, m * sizeof *late);
	level = leaks_median(late, m);
	free(late);
	tol = fmax(1.0, 0.01 * level);
	for (i = 0; i < n; i++)
		if (live[i] >= level - tol) {
			reach = i;
			break;
		}
	/* 0.1 x 30 is 3.0000000000000004 in binary: round that down. */
	lo = (size_t)ceil(LEAKS_AUTO_WARMUP_MIN * (double)n - 1e-9);
	hi = (size_t)floor(LEAKS_AUTO_WARMUP_MAX * (double)n);
	if (hi < lo)
		hi = lo;
	return reach < lo ? lo : reach > hi ? hi : reach;
}

/*
 * The one-sided p-value of a rise in the n values y, P(S >= s), and the
 * least one n values with these ties could give: exact up to
 * STATS_MK_EXACT_MAX values, the normal approximation beyond (where it is
 * close and any p can be reached).  *z is the normal score, for reference.
 */
static int
leaks_rise_p(const double *y, size_t n, double *s, double *z, double *p,
    double *least)
{
	double p2;

	if (stats_mann_kendall(y, n, s, z, &p2) < 0)
		return -1;
	if (stats_mann_kendall_exact(y, n, s, p, least) == 0)
		return 0;
	*p = *s > 0 ? p2 / 2 : 1 - p2 / 2;
	*least = 0;
	return 0;
}

/*
 * The cycles method: too few cycles for the floors, so every cycle from
 * `first` on (of the m used ones) is a point of the line, and the trend
 * test is exact and one-sided.  Inconclusive only when the data cannot
 * tell: fewer than LEAKS_MIN_CYCLES cycles, or a rise of the threshold's
 * size that no ordering of these values could make significant.
 */
static void
leaks_by_cycles(const double *t, const double *live, size_t m, size_t first,
    const struct leaks_options *opt, struct leaks_result *res)
{
	double s, z, p, least, late_s, late_z, late_p, late_least;
	size_t n, h;
	int growing;

	res->method = LEAKS_METHOD_CYCLES;
	if (opt->warmup == LEAKS_WARMUP_AUTO) {
		first = leaks_auto_warmup_cycles(live, m);
		res->window_start_s = t[first];
		res->warmup_s = t[first] - t[0];
		res->cycles_warmup = (int)first;
		res->cycles_used = (int)(m - first);
	}
	n = m - first;
	res->reason = "too few cycles";
	if (n < LEAKS_MIN_CYCLES ||
	    res->window_end_s <= res->window_start_s)
		return;
	free(res->floor_t_s);
	free(res->floor_mib);
	res->floor_t_s = xmalloc(n * sizeof *res->floor_t_s);
	res->floor_mib = xmalloc(n * sizeof *res->floor_mib);
	memcpy(res->floor_t_s, t + first, n * sizeof *res->floor_t_s);
	memcpy(res->floor_mib, live + first, n * sizeof *res->floor_mib);
	res->n_floors = n;
	if (leaks_rise_p(res->floor_mib, n, &s, &z, &p, &least) < 0 ||
	    leaks_fit_line(res, opt, &growing) < 0)
		return;
	res->has_fit = 1;
	res->mk_s = s;
	res->mk_z = z;
	res->p_value = p;

	if (res->rise_mib < res->threshold_mib) {
		res->verdict = LEAKS_NO_LEAK;
		res->reason = res->slope_mib_per_s > 0 ?
		    "rise below threshold" : "flat or falling";
		res->confidence = 1 - leaks_score_rising(1 - p, res->rise_mib,
		    res->threshold_mib);
	} else if (least > LEAKS_ALPHA) {
		/* Inconclusive: has_fit stays for the line, confidence 0. */
		res->reason = "too few cycles";
	} else if (p > LEAKS_ALPHA) {
		res->verdict = LEAKS_NO_LEAK;
		res->reason = "no significant trend";
		res->confidence = 1 - leaks_score_rising(1 - p, res->rise_mib,
		    res->threshold_mib);
	} else if (!growing) {
		res->verdict = LEAKS_NO_LEAK;
		res->reason = "growth stopped";
		h = n / 2;
		if (leaks_rise_p(res->floor_mib + h, n - h, &late_s, &late_z,
		    &late_p, &late_least) < 0)
			res->confidence = 0.5;
		else
			res->confidence = 1 - leaks_score_rising(1 - late_p,
			    res->late_slope_mib_per_s * (res->window_end_s -
			    res->floor_t_s[h]), res->threshold_mib);
	} else {
		res->verdict = LEAKS_LEAK;
		res->reason = "steady growth";
		res->confidence = leaks_score_rising(1 - p, res->rise_mib,
		    res->threshold_mib);
	}
}

/* The time until the fitted line reaches opt->limit_bytes, if it will. */
static void
leaks_time_to_limit(struct leaks_result *res, const struct leaks_options *opt)
{
	if (res->has_fit && opt->limit_bytes > 0 &&
	    res->slope_mib_per_s > 0 &&
	    res->floor_end_mib * 1048576.0 < opt->limit_bytes) {
		res->has_time_to_limit = 1;
		res->time_to_limit_s = (opt->limit_bytes / 1048576.0 -
		    res->floor_end_mib) / res->slope_mib_per_s;
	}
}

void
leaks_analyse_cycles(const double *t_s, const double *live_mib,
    const int *excluded, size_t n, const struct leaks_options *opt,
    struct leaks_result *res)
{
	double *t, *live, ws, we, span, warm, s, z, p;
	double late_s, late_z, late_p, late_rise, x;
	size_t i, m = 0, first, k, nwin, *count, h;
	int leak, growing;

	memset(res, 0, sizeof *res);
	res->verdict = LEAKS_INCONCLUSIVE;
	res->reason = "too few cycles";
	res->cycles_total = (int)n;
	t = xmalloc((n + 1) * sizeof *t);
	live = xmalloc((n + 1) * sizeof *live);
	for (i = 0; i < n; i++) {
		if (excluded != NULL && excluded[i]) {
			res->cycles_excluded++;
			continue;
		}
		t[m] = t_s[i];
		live[m] = live_mib[i];
		m++;
	}
	if (m < 2 || t[m - 1] <= t[0])
		goto out;
	span = t[m - 1] - t[0];
	switch (opt->warmup) {
	case LEAKS_WARMUP_SECONDS:
		warm = opt->warmup_value;
		break;
	case LEAKS_WARMUP_PERCENT:
		warm = opt->warmup_value / 100 * span;
		break;
	default:
		warm = leaks_auto_warmup(t, live, m);
		break;
	}
	ws = t[0] + warm;
	we = t[m - 1];
	res->has_window = 1;
	res->warmup_s = warm;
	res->window_start_s = ws;
	res->window_end_s = we;
	for (first = 0; first < m && t[first] < ws; first++)
		;
	res->cycles_warmup = (int)first;
	res->cycles_used = (int)(m - first);
	res->last_live_mib = live[m - 1];
	if (we <= ws) {
		res->reason = "warm-up covers the segment";
		goto out;
	}

	/* Floors of equal-time windows. */
	nwin = (m - first) / LEAKS_CYCLES_PER_WINDOW;
	if (nwin > LEAKS_MAX_WINDOWS)
		nwin = LEAKS_MAX_WINDOWS;
	res->windows_planned = (int)nwin;
	if (nwin < LEAKS_MIN_WINDOWS) {
		leaks_by_cycles(t, live, m, first, opt, res);
		goto limit;
	}
	count = xcalloc(nwin, sizeof *count);
	res->floor_t_s = xmalloc(nwin * sizeof *res->floor_t_s);
	res->floor_mib = xmalloc(nwin * sizeof *res->floor_mib);
	for (i = first; i < m; i++) {
		x = (t[i] - ws) / (we - ws) * (double)nwin;
		k = x >= (double)nwin ? nwin - 1 : (size_t)x;
		/* Cycles are in time order: the first lowest one wins. */
		if (count[k] == 0 || live[i] < res->floor_mib[k]) {
			res->floor_mib[k] = live[i];
			res->floor_t_s[k] = t[i];
		}
		count[k]++;
	}
	for (k = 0; k < nwin; k++)
		if (count[k] >= LEAKS_MIN_WINDOW_CYCLES) {
			res->floor_t_s[res->n_floors] = res->floor_t_s[k];
			res->floor_mib[res->n_floors] = res->floor_mib[k];
			res->n_floors++;
		}
	free(count);
	if (res->n_floors < LEAKS_MIN_WINDOWS) {
		res->n_floors = 0;
		leaks_by_cycles(t, live, m, first, opt, res);
		goto limit;
	}

	/* The line, the trend test, the rise. */
	if (stats_mann_kendall(res->floor_mib, res->n_floors, &s, &z,
	    &p) < 0 || leaks_fit_line(res, opt, &growing) < 0)
		goto out;
	res->has_fit = 1;
	res->mk_s = s;
	res->mk_z = z;
	res->p_value = p;
	h = res->n_floors / 2;

	leak = res->slope_mib_per_s > 0 && s > 0 && p < LEAKS_ALPHA;
	if (!leak) {
		res->verdict = LEAKS_NO_LEAK;
		res->reason = res->slope_mib_per_s > 0 && s > 0 ?
		    "no significant trend" : "flat or falling";
		res->confidence = 1 - leaks_score(s, p, res->rise_mib,
		    res->threshold_mib);
	} else if (res->rise_mib < res->threshold_mib) {
		res->verdict = LEAKS_NO_LEAK;
		res->reason = "rise below threshold";
		res->confidence = 1 - leaks_score(s, p, res->rise_mib,
		    res->threshold_mib);
	} else if (!growing) {
		res->verdict = LEAKS_NO_LEAK;
		res->reason = "growth stopped";
		late_rise = res->late_slope_mib_per_s * (we -
		    res->floor_t_s[h]);
		if (stats_mann_kendall(res->floor_mib + h, res->n_floors - h,
		    &late_s, &late_z, &late_p) < 0)
			res->confidence = 0.5;
		else
			res->confidence = 1 - leaks_score(late_s, late_p,
			    late_rise, res->threshold_mib);
	} else {
		res->verdict = LEAKS_LEAK;
		res->reason = "steady growth";
		res->confidence = leaks_score(s, p, res->rise_mib,
		    res->threshold_mib);
	}
limit:
	leaks_time_to_limit(res, opt);
out:
	free(t);
	free(live);
}

struct leaks_cycle {
	double	t, live;
	int	excluded;
	size_t	order;
};

static int
leaks_compare_cycle(const void *a, const void *b)
{
	const struct leaks_cycle *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

static void
leaks_sort_by_time(double *t, double *live, int *excluded, size_t n)
{
	struct leaks_cycle *c;
	size_t i;

	for (i = 1; i < n && t[i - 1] <= t[i]; i++)
		;
	if (i >= n)
		return;
	c = xmalloc(n * sizeof *c);
	for (i = 0; i < n; i++) {
		c[i].t = t[i];
		c[i].live = live[i];
		c[i].excluded = excluded[i];
		c[i].order = i;
	}
	qsort(c, n, sizeof *c, leaks_compare_cycle);
	for (i = 0; i < n; i++) {
		t[i] = c[i].t;
		live[i] = c[i].live;
		excluded[i] = c[i].excluded;
	}
	free(c);
}

/* The cycles of one series, as read from the store. */
struct leaks_series_cycles {
	double	*t, *value;
	int	*excluded;
	size_t	 n, cap_t, cap_value, cap_excluded;
};

static void
leaks_series_add(struct leaks_series_cycles *c, double t, double value,
    int excluded)
{
	c->t = xgrow(c->t, &c->cap_t, c->n + 1, sizeof *c->t);
	c->value = xgrow(c->value, &c->cap_value, c->n + 1,
	    sizeof *c->value);
	c->excluded = xgrow(c->excluded, &c->cap_excluded, c->n + 1,
	    sizeof *c->excluded);
	c->t[c->n] = t;
	c->value[c->n] = value;
	c->excluded[c->n] = excluded;
	c->n++;
}

/*
 * Read the cycles of a segment once for the series marked in want[] (both
 * come from the same rows: reading them in one pass halves the time on a
 * large store), analyse each, and fill res[series] for those.
 */
static int
leaks_analyse_want(struct store *s, int64_t run_id, int segment,
    const int *want, const struct leaks_options *opt,
    struct leaks_result *res, struct buf *err)
{
	/* Values 1 and 2 are the series, in enum leaks_series order. */
	static const char *const cols[] = { "start_ms", "heap_live_mib",
	    "stacks_mib", "forced", "periodic" };
	struct leaks_series_cycles c[LEAKS_SERIES_COUNT];
	struct store_cursor *cur;
	struct store_row r;
	const struct value *v;
	double t;
	int rc, k, excluded;

	memset(c, 0, sizeof c);
	for (k = 0; k < LEAKS_SERIES_COUNT; k++)
		if (want[k])
			memset(&res[k], 0, sizeof res[k]);
	cur = store_cursor_open(s, KIND_GC, run_id, segment, cols,
	    sizeof cols / sizeof cols[0], err);
	if (cur == NULL)
		return -1;
	while ((rc = store_cursor_next(cur, &r, err)) == 1) {
		v = r.values;
		if (v[0].type == VAL_NULL)
			continue;
		t = (double)v[0].i / 1000.0;
		excluded = store_value_true(&v[3]) || store_value_true(&v[4]);
		for (k = 0; k < LEAKS_SERIES_COUNT; k++)
			if (want[k] && v[1 + k].type != VAL_NULL)
				leaks_series_add(&c[k], t, v[1 + k].r,
				    excluded);
	}
	store_cursor_close(cur);
	for (k = 0; k < LEAKS_SERIES_COUNT; k++) {
		if (want[k] && rc == 0) {
			/*
			 * Store order is time order but for the few ms of
			 * clock skew a segment tolerates; sort by time then
			 * (stably) only when needed, which is cheaper than
			 * asking the store to sort a million rows.
			 */
			leaks_sort_by_time(c[k].t, c[k].value, c[k].excluded,
			    c[k].n);
			leaks_analyse_cycles(c[k].t, c[k].value, c[k].excluded,
			    c[k].n, opt, &res[k]);
			res[k].series = (enum leaks_series)k;
			res[k].no_data = c[k].n == 0;
			if (c[k].n == 0 && k == LEAKS_SERIES_STACKS)
				res[k].reason = "no stacks figures";
		}
		free(c[k].t);
		free(c[k].value);
		free(c[k].excluded);
	}
	return rc == 0 ? 0 : -1;
}

int
leaks_analyse(struct store *s, int64_t run_id, int segment,
    const struct leaks_options *opt, struct leaks_result *res,
    struct buf *err)
{
	return leaks_analyse_series(s, run_id, segment, LEAKS_SERIES_HEAP,
	    opt, res, err);
}

int
leaks_analyse_series(struct store *s, int64_t run_id, int segment,
    enum leaks_series series, const struct leaks_options *opt,
    struct leaks_result *res, struct buf *err)
{
	struct leaks_result all[LEAKS_SERIES_COUNT];
	int want[LEAKS_SERIES_COUNT] = { 0 };

	memset(res, 0, sizeof *res);
	want[series] = 1;
	if (leaks_analyse_want(s, run_id, segment, want, opt, all, err) < 0)
		return -1;
	*res = all[series];
	return 0;
}

int
leaks_analyse_all(struct store *s, int64_t run_id, int segment,
    const struct leaks_options *opt,
    struct leaks_result res[LEAKS_SERIES_COUNT], struct buf *err)
{
	int want[LEAKS_SERIES_COUNT], k;

	for (k = 0; k < LEAKS_SERIES_COUNT; k++)
		want[k] = 1;
	return leaks_analyse_want(s, run_id, segment, want, opt, res, err);
}
