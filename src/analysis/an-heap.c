#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "an-heap.h"
#include "an-sort.h"
#include "figures.h"
#include "stats.h"
#include "xalloc.h"
#include "banned.h"

/*
 * A usable value is a number within +-2^48 (8,900 years of milliseconds,
 * 256 EiB in MiB): differences of two fit in 2^49 and times the bucket
 * count (HEAP_MAX_BUCKETS < 2^14) in int64_t.  Anything else is a value
 * no trace holds, skipped like NULL.
 */
#define HEAP_USABLE_MAX ((int64_t)1 << 48)

/* Sums of a bucket while the rows are read. */
struct heap_sums {
	double	live, start, goal;
};

static void
heap_range_add(struct heap_range *r, int64_t v, int first)
{
	if (first || v < r->min_mib)
		r->min_mib = v;
	if (first || v > r->max_mib)
		r->max_mib = v;
}

void
heap_peak_add(struct heap_peak *p, int64_t v, int64_t gc_num, double t_s,
    int first)
{
	if (first || v > p->mib) {
		p->mib = v;
		p->gc_num = gc_num;
		p->t_s = t_s;
	}
}

/* The columns read, in this order. */
static const char *const heap_columns[] = { "gc_num", "start_ms",
    "heap_start_mib", "heap_end_mib", "heap_live_mib", "heap_goal_mib",
    "stacks_mib", "globals_mib", "forced" };
#define HEAP_NCOLUMNS (sizeof heap_columns / sizeof heap_columns[0])

int
heap_cycle_usable(const struct value *start_ms, const struct value *sizes)
{
	const struct value *v;
	int col;

	for (col = 0; col <= 4; col++) {
		v = col == 0 ? start_ms : &sizes[col - 1];
		if (v->type != VAL_INT && v->type != VAL_REAL)
			return 0;
		if (!(v->r >= -(double)HEAP_USABLE_MAX &&
		    v->r <= (double)HEAP_USABLE_MAX))
			return 0;
	}
	return 1;
}

/* 1 when the row lacks its time or one of the four heap sizes (values
 * 1 to 5), or one is not a usable number. */
static int
heap_row_null(const struct value *v)
{
	return !heap_cycle_usable(&v[1], &v[2]);
}

/* The start time of the last valid row (left alone when there is none):
 * the end of the buckets, known before the rows are read. */
static int
heap_last_ms(struct store *s, int64_t run_id, int segment, int64_t *last,
    struct buf *err)
{
	struct store_cursor *cur;
	struct store_row r;
	int rc;

	cur = store_cursor_open_backward(s, KIND_GC, run_id, segment,
	    heap_columns, HEAP_NCOLUMNS, err);
	if (cur == NULL)
		return -1;
	while ((rc = store_cursor_next(cur, &r, err)) == 1) {
		if (!heap_row_null(r.values)) {
			*last = r.values[1].i;
			break;
		}
	}
	store_cursor_close(cur);
	return rc < 0 ? -1 : 0;
}

static void
heap_fastest(struct heap_result *res)
{
	struct heap_bucket *a = NULL, *b;
	double growth, seconds, rate;
	size_t i;

	for (i = 0; i < res->nbuckets; i++) {
		b = &res->buckets[i];
		if (b->cycles == 0)
			continue;
		if (a != NULL) {
			growth = b->live.mean_mib - a->live.mean_mib;
			seconds = ((b->start_s + b->end_s) -
			    (a->start_s + a->end_s)) / 2;
			rate = figures_per_minute(growth, seconds);
			if (seconds > 0 && (!res->has_fastest ||
			    rate > res->fastest_growth_mib_per_min)) {
				res->has_fastest = 1;
				res->fastest_from_s = a->start_s;
				res->fastest_to_s = b->end_s;
				res->fastest_growth_mib = growth;
				res->fastest_growth_mib_per_min = rate;
			}
		}
		a = b;
	}
}

int
heap_compute(struct store *s, int64_t run_id, int segment,
    const struct heap_options *opt, struct heap_result *res,
    struct buf *err)
{
	struct store_cursor *cur = NULL;
	struct store_row r;
	const struct value *v;
	struct heap_sums *sums = NULL;
	struct heap_bucket *b;
	double *rates = NULL, t_s, live_sum = 0, alloc_ms = 0;
	size_t nrates = 0, cap = 0, i;
	int64_t first_ms = 0, last_ms = 0, span, t, idx;
	int64_t gc_num, hstart, hend, live, goal, stacks, globals;
	int64_t prev_gc = 0, prev_t = 0, prev_start = 0, prev_end = 0;
	int64_t prev_live = 0, alloc;
	int rc, nb, have_prev = 0;

	memset(res, 0, sizeof *res);
	res->run_id = run_id;
	res->segment = segment;
	res->max_stacks_mib = res->max_globals_mib = -1;
	nb = opt->buckets < 1 ? 1 : opt->buckets;
	if (heap_last_ms(s, run_id, segment, &last_ms, err) < 0)
		goto fail;
	cur = store_cursor_open(s, KIND_GC, run_id, segment, heap_columns,
	    HEAP_NCOLUMNS, err);
	if (cur == NULL)
		goto fail;
	while ((rc = store_cursor_next(cur, &r, err)) == 1) {
		v = r.values;
		res->rows++;
		if (heap_row_null(v)) {
			res->skipped++;
			have_prev = 0;
			continue;
		}
		gc_num = v[0].i;
		t = v[1].i;
		hstart = v[2].i;
		hend = v[3].i;
		live = v[4].i;
		goal = v[5].i;
		stacks = v[6].type == VAL_NULL ? -1 : v[6].i;
		globals = v[7].type == VAL_NULL ? -1 : v[7].i;
		t_s = (double)t / 1000.0;
		if (res->cycles == 0) {
			first_ms = t;
			res->first_live_mib = live;
			/* One bucket when every cycle started at once. */
			if (last_ms <= first_ms)
				nb = 1;
			res->nbuckets = (size_t)nb;
			res->buckets = xcalloc((size_t)nb,
			    sizeof *res->buckets);
			sums = xcalloc((size_t)nb, sizeof *sums);
			span = last_ms - first_ms;
			for (i = 0; i < (size_t)nb; i++) {
				b = &res->buckets[i];
				b->start_s = (double)(first_ms + (span > 0 ?
				    span * (int64_t)i / nb : 0)) / 1000.0;
				b->end_s = (double)(first_ms + (span > 0 ?
				    span * (int64_t)(i + 1) / nb : 0)) /
				    1000.0;
				b->stacks_max_mib = b->globals_max_mib = -1;
			}
		}
		heap_peak_add(&res->peak_live, live, gc_num, t_s,
		    res->cycles == 0);
		heap_peak_add(&res->peak_start, hstart, gc_num, t_s,
		    res->cycles == 0);
		heap_peak_add(&res->peak_goal, goal, gc_num, t_s,
		    res->cycles == 0);
		if (res->cycles == 0 || live < res->min_live_mib)
			res->min_live_mib = live;
		if (stacks > res->max_stacks_mib)
			res->max_stacks_mib = stacks;
		if (globals > res->max_globals_mib)
			res->max_globals_mib = globals;
		live_sum += (double)live;
		res->last_live_mib = live;
		res->last_s = t_s;
		res->forced += v[8].i != 0;
		if (hend > goal) {
			res->overshoot_cycles++;
			if (hend - goal > res->overshoot_max_mib)
				res->overshoot_max_mib = hend - goal;
			if (goal > 0 && 100.0 * (double)(hend - goal) /
			    (double)goal > res->overshoot_max_pct)
				res->overshoot_max_pct = 100.0 *
				    (double)(hend - goal) / (double)goal;
		}
		/* The bucket. */
		span = last_ms - first_ms;
		idx = span > 0 ? (t - first_ms) * nb / span : 0;
		if (idx < 0)
			idx = 0;
		if (idx >= nb)
			idx = nb - 1;
		b = &res->buckets[idx];
		heap_range_add(&b->live, live, b->cycles == 0);
		heap_range_add(&b->start, hstart, b->cycles == 0);
		heap_range_add(&b->goal, goal, b->cycles == 0);
		if (stacks > b->stacks_max_mib)
			b->stacks_max_mib = stacks;
		if (globals > b->globals_max_mib)
			b->globals_max_mib = globals;
		sums[idx].live += (double)live;
		sums[idx].start += (double)hstart;
		sums[idx].goal += (double)goal;
		b->cycles++;
		/* The allocation since the previous cycle started. */
		if (have_prev) {
			if (prev_gc < INT64_MAX && gc_num == prev_gc + 1 &&
			    t > prev_t) {
				alloc = (prev_end - prev_start) +
				    (hstart - prev_live);
				if (nrates == cap) {
					cap = cap ? 2 * cap : 4096;
					rates = xrealloc(rates,
					    cap * sizeof *rates);
				}
				rates[nrates++] = (double)alloc * 1000.0 /
				    (double)(t - prev_t);
				if (__builtin_add_overflow(res->alloc_mib,
				    alloc, &res->alloc_mib))
					res->alloc_mib = alloc > 0 ?
					    INT64_MAX : INT64_MIN;
				alloc_ms += (double)(t - prev_t);
			} else {
				res->alloc_skipped_pairs++;
			}
		}
		have_prev = 1;
		prev_gc = gc_num;
		prev_t = t;
		prev_start = hstart;
		prev_end = hend;
		prev_live = live;
		res->cycles++;
	}
	if (rc < 0)
		goto fail;
	store_cursor_close(cur);
	if (res->cycles > 0) {
		res->first_s = (double)first_ms / 1000.0;
		res->duration_s = res->last_s - res->first_s;
		res->mean_live_mib = live_sum / (double)res->cycles;
		res->growth_mib = res->last_live_mib - res->first_live_mib;
		if (res->duration_s > 0) {
			res->has_growth_rate = 1;
			res->growth_mib_per_min = figures_per_minute(
			    (double)res->growth_mib, res->duration_s);
		}
		res->overshoot_share = (double)res->overshoot_cycles /
		    (double)res->cycles;
		for (i = 0; i < res->nbuckets; i++) {
			b = &res->buckets[i];
			if (b->cycles == 0)
				continue;
			b->live.mean_mib = sums[i].live / (double)b->cycles;
			b->start.mean_mib = sums[i].start / (double)b->cycles;
			b->goal.mean_mib = sums[i].goal / (double)b->cycles;
		}
		heap_fastest(res);
	}
	res->alloc_pairs = (int64_t)nrates;
	if (nrates > 0) {
		res->has_alloc = 1;
		res->alloc_rate_mean_mib_per_s = (double)res->alloc_mib *
		    1000.0 / alloc_ms;
		an_sort(rates, nrates);
		res->alloc_rate_p50_mib_per_s = stats_percentile(rates,
		    nrates, 50);
		res->alloc_rate_p99_mib_per_s = stats_percentile(rates,
		    nrates, 99);
		res->alloc_rate_max_mib_per_s = rates[nrates - 1];
	}
	free(sums);
	free(rates);
	return 0;
fail:
	store_cursor_close(cur);
	free(sums);
	free(rates);
	return -1;
}

void
heap_result_free(struct heap_result *res)
{
	free(res->buckets);
	res->buckets = NULL;
	res->nbuckets = 0;
}
