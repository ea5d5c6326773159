#include "config.h"

#include <stdio.h>
#include <string.h>

#include "an-overview.h"
#include "figures.h"
#include "record.h"
#include "banned.h"

void
overview_go_format(char *s, size_t n, const struct store_segment *g)
{
	const char *lo = g->go_min, *hi = g->go_max;

	if (lo == NULL && hi == NULL)
		snprintf(s, n, "%s", "");
	else if (hi == NULL)
		snprintf(s, n, "go%s+", lo);
	else if (lo == NULL || strcmp(lo, hi) == 0)
		snprintf(s, n, "go%s", hi);
	else
		snprintf(s, n, "go%s-%s", lo, hi);
}

int
overview_segment_duration(const struct store_segment *g, double *seconds)
{
	const struct value *times[4];

	times[0] = &g->first_ms;
	times[1] = &g->last_ms;
	times[2] = &g->first_sched_ms;
	times[3] = &g->last_sched_ms;
	return figures_span_s(times, 4, seconds);
}

/*
 * One pass over the segment's cycles (a full tracestat-heap pass would
 * sort every allocation rate).
 */
int
overview_compute(struct store *s, int64_t run_id, int segment,
    struct overview_result *c, struct buf *err)
{
	/* GC CPU's columns (figures.h) first, in its order. */
	static const char *const cols[] = { "start_ms", "gomaxprocs",
	    "stw_sweepterm_cpu_us", "scan_cpu_us", "assist_cpu_us",
	    "bg_mark_cpu_us", "idle_mark_cpu_us", "stw_markterm_cpu_us",
	    "gc_cpu_pct", "heap_start_mib", "heap_end_mib", "heap_live_mib",
	    "heap_goal_mib", "gc_num" };
	struct store_cursor *cur;
	struct store_row row;
	const struct value *v;
	struct figures_gc_cpu acc;
	struct figures_cycle_cpu cycle;
	struct figures_gc_cpu_interval iv;
	int64_t first = -1, last = -1, n = 0;
	int rc;

	memset(c, 0, sizeof *c);
	figures_gc_cpu_init(&acc);
	cur = store_cursor_open(s, KIND_GC, run_id, segment, cols,
	    sizeof cols / sizeof cols[0], err);
	if (cur == NULL)
		return -1;
	while ((rc = store_cursor_next(cur, &row, err)) == 1) {
		int64_t start, procs;

		v = row.values;
		start = v[0].i;
		procs = v[1].i;
		if (v[8].type != VAL_NULL) {
			c->has_runtime = 1;
			c->runtime_pct = v[8].i;
		}
		if (heap_cycle_usable(&v[0], &v[9])) {
			int64_t live = v[11].i;

			heap_peak_add(&c->peak_live, live, v[13].i,
			    (double)start / 1000.0, c->heap_cycles == 0);
			if (c->heap_cycles == 0)
				c->first_live_mib = live;
			c->last_live_mib = live;
			if (v[10].i > v[12].i)
				c->overshoot_cycles++;
			c->heap_cycles++;
		}
		figures_cycle_cpu_read(&cycle, v);
		figures_gc_cpu_add(&acc, &cycle, &iv);
		if (v[0].type == VAL_NULL || procs < 1)
			continue;
		n++;
		if (first < 0)
			first = start;
		last = start;
	}
	store_cursor_close(cur);
	if (rc < 0)
		return -1;
	c->gc_cpu_valid = figures_gc_cpu_share(&acc, &c->gc_cpu_share,
	    &c->gc_cpu_idle_share) == 0;
	c->gc_cpu_high = c->gc_cpu_valid &&
	    c->gc_cpu_share > OVERVIEW_GC_CPU_HIGH;
	if (n > 1 && last > first)
		c->cycles_per_s = (double)(n - 1) /
		    (((double)last - (double)first) / 1000.0);
	return 0;
}
