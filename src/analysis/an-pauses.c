#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an-pauses.h"
#include "an-sort.h"
#include "stats.h"
#include "xalloc.h"
#include "banned.h"

/* A candidate for the worst list and its row order (for ties). */
struct pauses_ranked {
	struct pauses_cycle	cycle;
	size_t			row;
};

const char *
pauses_phase_name(enum pauses_phase p)
{
	switch (p) {
	case PAUSES_SWEEP:
		return "sweep";
	case PAUSES_MARK:
		return "mark";
	default:
		return "any";
	}
}

int
pauses_phase_parse(const char *s, enum pauses_phase *p)
{
	if (strcmp(s, "any") == 0)
		*p = PAUSES_ANY;
	else if (strcmp(s, "sweep") == 0)
		*p = PAUSES_SWEEP;
	else if (strcmp(s, "mark") == 0)
		*p = PAUSES_MARK;
	else
		return -1;
	return 0;
}

/* 1 when a ranks worse than b: a larger pause, or the same and earlier. */
static int
pauses_worse(const struct pauses_ranked *a, const struct pauses_ranked *b)
{
	if (a->cycle.worst_us != b->cycle.worst_us)
		return a->cycle.worst_us > b->cycle.worst_us;
	return a->row < b->row;
}

/* A min-heap (root = the least bad kept) bounded to `cap` entries. */
static void
pauses_heap_sift_down(struct pauses_ranked *h, size_t n, size_t i)
{
	struct pauses_ranked t;
	size_t l, r, m;

	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < n && pauses_worse(&h[m], &h[l]))
			m = l;
		if (r < n && pauses_worse(&h[m], &h[r]))
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void
pauses_heap_push(struct pauses_ranked *h, size_t *n, size_t cap,
    const struct pauses_ranked *e)
{
	struct pauses_ranked t;
	size_t i, parent;

	if (cap == 0)
		return;
	if (*n == cap) {
		if (!pauses_worse(e, &h[0]))
			return;
		h[0] = *e;
		pauses_heap_sift_down(h, *n, 0);
		return;
	}
	i = (*n)++;
	h[i] = *e;
	while (i > 0) {
		parent = (i - 1) / 2;
		if (!pauses_worse(&h[parent], &h[i]))
			break;
		t = h[i];
		h[i] = h[parent];
		h[parent] = t;
		i = parent;
	}
}

static int
pauses_compare_ranked(const void *a, const void *b)
{
	const struct pauses_ranked *x = a, *y = b;

	if (pauses_worse(x, y))
		return -1;
	if (pauses_worse(y, x))
		return 1;
	return 0;
}

static void
pauses_series_fill(struct pauses_series *s, double *v, size_t n,
    double threshold)
{
	double total = 0;
	size_t i;

	memset(s, 0, sizeof *s);
	s->count = (int64_t)n;
	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		total += v[i];
		if (v[i] > threshold)
			s->over++;
	}
	an_sort(v, n);
	s->share_over = (double)s->over / (double)n;
	s->p50_us = stats_percentile(v, n, 50);
	s->p90_us = stats_percentile(v, n, 90);
	s->p99_us = stats_percentile(v, n, 99);
	s->p999_us = stats_percentile(v, n, 99.9);
	s->max_us = (int64_t)v[n - 1];
	s->total_us = (int64_t)total;
	s->mean_us = total / (double)n;
}

int
pauses_compute(struct store *s, int64_t run_id, int segment,
    const struct pauses_options *opt, struct pauses_result *res,
    struct buf *err)
{
	static const char *const cols[] = { "gc_num", "start_ms",
	    "stw_sweepterm_wall_us", "stw_markterm_wall_us", "forced" };
	struct store_cursor *cur;
	struct store_row r;
	const struct value *v;
	struct pauses_ranked *heap = NULL, e;
	struct pauses_cycle c;
	double *sweep = NULL, *mark = NULL, *stw = NULL, *worst = NULL;
	size_t n = 0, cap = 0, cap_list = 0, nheap = 0, heap_cap, row = 0;
	int rc;

	memset(res, 0, sizeof *res);
	res->run_id = run_id;
	res->segment = segment;
	/* To the nanosecond: 0.29ms must not become 289.99999999999994. */
	res->threshold_us = round(opt->over_us * 1000) / 1000;
	res->phase = opt->phase;
	cur = store_cursor_open(s, KIND_GC, run_id, segment, cols,
	    sizeof cols / sizeof cols[0], err);
	if (cur == NULL)
		return -1;
	heap_cap = opt->top;
	if (heap_cap > 0)
		heap = xmalloc(heap_cap * sizeof *heap);
	while ((rc = store_cursor_next(cur, &r, err)) == 1) {
		v = r.values;
		memset(&c, 0, sizeof c);
		c.gc_num = v[0].i;
		c.has_start = v[1].type != VAL_NULL;
		c.start_ms = v[1].i;
		c.valid = v[2].type != VAL_NULL && v[3].type != VAL_NULL;
		c.sweep_us = v[2].i;
		c.mark_us = v[3].i;
		c.forced = v[4].i != 0;
		res->rows++;
		if (c.valid) {
			switch (opt->phase) {
			case PAUSES_SWEEP:
				c.worst_phase = "sweep";
				c.worst_us = c.sweep_us;
				break;
			case PAUSES_MARK:
				c.worst_phase = "mark";
				c.worst_us = c.mark_us;
				break;
			default:
				c.worst_phase = c.sweep_us >= c.mark_us ?
				    "sweep" : "mark";
				c.worst_us = c.sweep_us >= c.mark_us ?
				    c.sweep_us : c.mark_us;
				break;
			}
			c.over = (double)c.worst_us > res->threshold_us;
			if (n == cap) {
				cap = cap ? 2 * cap : 4096;
				sweep = xrealloc(sweep, cap * sizeof *sweep);
				mark = xrealloc(mark, cap * sizeof *mark);
				stw = xrealloc(stw, cap * sizeof *stw);
				worst = xrealloc(worst, cap * sizeof *worst);
			}
			sweep[n] = (double)c.sweep_us;
			mark[n] = (double)c.mark_us;
			stw[n] = (double)c.sweep_us + (double)c.mark_us;
			worst[n] = (double)c.worst_us;
			n++;
			res->cycles_over += c.over;
			res->forced += c.forced;
			if (heap_cap > 0) {
				e.cycle = c;
				e.row = row;
				pauses_heap_push(heap, &nheap, heap_cap, &e);
			}
		} else {
			res->skipped++;
		}
		if (opt->keep_cycles) {
			if (res->ncycles_list == cap_list) {
				cap_list = cap_list ? 2 * cap_list : 4096;
				res->cycles_list = xrealloc(res->cycles_list,
				    cap_list * sizeof *res->cycles_list);
			}
			res->cycles_list[res->ncycles_list++] = c;
		}
		row++;
	}
	store_cursor_close(cur);
	if (rc < 0)
		goto fail;
	res->cycles = (int64_t)n;
	res->share_over = n > 0 ? (double)res->cycles_over / (double)n : 0;
	pauses_series_fill(&res->sweep, sweep, n, res->threshold_us);
	pauses_series_fill(&res->mark, mark, n, res->threshold_us);
	pauses_series_fill(&res->stw, stw, n, res->threshold_us);
	pauses_series_fill(&res->cycle, worst, n, res->threshold_us);
	if (nheap > 0) {
		qsort(heap, nheap, sizeof *heap, pauses_compare_ranked);
		res->worst = xmalloc(nheap * sizeof *res->worst);
		for (row = 0; row < nheap; row++)
			res->worst[row] = heap[row].cycle;
		res->nworst = nheap;
	}
	free(heap);
	free(sweep);
	free(mark);
	free(stw);
	free(worst);
	return 0;
fail:
	free(heap);
	free(sweep);
	free(mark);
	free(stw);
	free(worst);
	return -1;
}

void
pauses_result_free(struct pauses_result *res)
{
	free(res->worst);
	free(res->cycles_list);
	res->worst = NULL;
	res->cycles_list = NULL;
	res->nworst = res->ncycles_list = 0;
}
