#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an-leaks.h"
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
	stats_sort(v, n);
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
 * A leak score in 0..1 for floors y: the one-sided confidence that they
 * rise (1 - p/2 when S > 0, p/2 otherwise) times the fitted rise as a
 * fraction of the threshold (at most 1).
 */
static double
leaks_score(double s, double p, double rise, double threshold)
{
	double rising = s > 0 ? 1 - p / 2 : p / 2;
	double part = rise <= 0 ? 0 : fmin(1.0, rise / threshold);

	return rising * part;
}

void
leaks_analyse_cycles(const double *t_s, const double *live_mib,
    const int *excluded, size_t n, const struct leaks_options *opt,
    struct leaks_result *res)
{
	double *t, *live, ws, we, span, warm, fit_start, s, z, p;
	double late_s, late_z, late_p, late_intercept, late_rise, x;
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
	if (nwin < LEAKS_MIN_WINDOWS)
		goto out;
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
		res->reason = "too few cycles per window";
		goto out;
	}

	/* The line, the trend test, the rise. */
	if (stats_theil_sen(res->floor_t_s, res->floor_mib, res->n_floors,
	    &res->slope_mib_per_s, &res->intercept_mib) < 0 ||
	    stats_mann_kendall(res->floor_mib, res->n_floors, &s, &z, &p) < 0)
		goto out;
	res->has_fit = 1;
	res->mk_s = s;
	res->mk_z = z;
	res->p_value = p;
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
	growing = res->late_slope_mib_per_s >= LEAKS_LATE_FRACTION *
	    res->slope_mib_per_s || res->slope_mib_per_s *
	    (we - res->floor_t_s[h]) < res->threshold_mib;

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

	if (opt->limit_bytes > 0 && res->slope_mib_per_s > 0 &&
	    res->floor_end_mib * 1048576.0 < opt->limit_bytes) {
		res->has_time_to_limit = 1;
		res->time_to_limit_s = (opt->limit_bytes / 1048576.0 -
		    res->floor_end_mib) / res->slope_mib_per_s;
	}
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

int
leaks_analyse(sqlite3 *db, int64_t run_id, int segment,
    const struct leaks_options *opt, struct leaks_result *res,
    struct buf *err)
{
	sqlite3_stmt *st = NULL;
	double *t = NULL, *live = NULL;
	int *excluded = NULL;
	size_t n = 0, cap = 0, cap_live = 0, cap_excluded = 0;
	int rc;

	memset(res, 0, sizeof *res);
	if (sqlite3_prepare_v2(db, "SELECT start_ms, heap_live_mib, "
	    "coalesce(forced, 0) OR coalesce(periodic, 0) FROM gc_cycles "
	    "WHERE run_id = ?1 AND segment = ?2 AND start_ms IS NOT NULL "
	    "AND heap_live_mib IS NOT NULL ORDER BY id", -1, &st,
	    NULL) != SQLITE_OK) {
		buf_addf(err, "%s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int(st, 2, segment);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t = xgrow(t, &cap, n + 1, sizeof *t);
		live = xgrow(live, &cap_live, n + 1, sizeof *live);
		excluded = xgrow(excluded, &cap_excluded, n + 1,
		    sizeof *excluded);
		t[n] = (double)sqlite3_column_int64(st, 0) / 1000.0;
		live[n] = sqlite3_column_double(st, 1);
		excluded[n] = sqlite3_column_int(st, 2);
		n++;
	}
	if (rc != SQLITE_DONE) {
		buf_addf(err, "%s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		free(t);
		free(live);
		free(excluded);
		return -1;
	}
	sqlite3_finalize(st);
	/*
	 * Store order is time order but for the few ms of clock skew a
	 * segment tolerates; sort by time then (stably) only when needed,
	 * which is cheaper than asking SQLite to sort a million rows.
	 */
	leaks_sort_by_time(t, live, excluded, n);
	leaks_analyse_cycles(t, live, excluded, n, opt, res);
	free(t);
	free(live);
	free(excluded);
	return 0;
}
