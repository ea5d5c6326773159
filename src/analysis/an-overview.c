#include "config.h"

#include <string.h>

#include "an-overview.h"
#include "figures.h"
#include "banned.h"

int
overview_compute(struct store *s, int64_t run_id, int segment,
    struct overview_result *c, struct buf *err)
{
	/* GC CPU's columns (figures.h) first, in its order. */
	static const char *const cols[] = { "start_ms", "gomaxprocs",
	    "stw_sweepterm_cpu_us", "scan_cpu_us", "assist_cpu_us",
	    "bg_mark_cpu_us", "idle_mark_cpu_us", "stw_markterm_cpu_us",
	    "gc_cpu_pct", "heap_start_mib", "heap_end_mib", "heap_live_mib",
	    "heap_goal_mib" };
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
		if (v[0].type != VAL_NULL && v[9].type != VAL_NULL &&
		    v[10].type != VAL_NULL && v[11].type != VAL_NULL &&
		    v[12].type != VAL_NULL) {
			int64_t live = v[11].i;

			if (c->heap_cycles == 0 || live > c->peak_live_mib) {
				c->peak_live_mib = live;
				c->peak_live_t_s = (double)start / 1000.0;
			}
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
	c->valid = figures_gc_cpu_share(&acc, &c->share, &c->idle_share) == 0;
	if (n > 1 && last > first)
		c->cycles_per_s = (double)(n - 1) /
		    (((double)last - (double)first) / 1000.0);
	return 0;
}
