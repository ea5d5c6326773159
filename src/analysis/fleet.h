/*
 * fleet.h - one row per run of a store: the figures that summary shows
 * for each of its segments, taken from the same analyses (an-overview,
 * an-pauses, an-leaks, an-sched), and whether the run is in trouble.
 *
 * A run with several segments (the program restarted within one
 * stream) gives one row: cycles and duration add up over its segments,
 * and every other figure is its worst segment's (see fleet_part_add).
 * The criteria and the order are written out in tracestat-fleet(1).
 * Reads only through store.h; never prints.
 */
#ifndef TRACESTAT_FLEET_H
#define TRACESTAT_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "an-leaks.h"
#include "an-overview.h"
#include "buf.h"
#include "store.h"

/* The defaults of the criteria, tracestat-fleet(1). */
#define FLEET_OVER_US		100.0	/* as pauses and summary */
#define FLEET_MAX_OVER_SHARE	0.01	/* pauses: over 1 cycle in 100 */
#define FLEET_MAX_GC_CPU	OVERVIEW_GC_CPU_HIGH	/* the collector's own target */
#define FLEET_MAX_SATURATED	0.50	/* saturated in half the samples */

/*
 * The criteria a run can fail, most severe first: the order in which
 * they rank runs that fail as many (a higher bit is more severe).
 */
enum fleet_problem {
	FLEET_PAUSES	= 1 << 0,	/* over share > FLEET_MAX_OVER_SHARE */
	FLEET_GC_CPU	= 1 << 1,	/* GC CPU > max_gc_cpu */
	FLEET_SATURATED	= 1 << 2,	/* saturated share > max_saturated */
	FLEET_STACKS_LEAK = 1 << 3,	/* goroutine stacks: leak */
	FLEET_HEAP_LEAK	= 1 << 4	/* live heap: leak */
};
#define FLEET_PROBLEMS 5

/* The name of problem bit k (0 .. FLEET_PROBLEMS - 1), most severe last:
 * "pauses", "gc-cpu", "saturated", "stacks-leak", "heap-leak". */
const char *fleet_problem_name(int k);

struct fleet_options {
	double		 over_us;	/* pauses over it count */
	double		 max_gc_cpu;	/* 0..1 */
	double		 max_saturated;	/* 0..1 */
	/* Filters: every "KEY=VALUE" of labels must be a label of the run;
	 * with since_s > 0, the run started, ended or is still being
	 * written within since_s seconds before now_s (Unix seconds). */
	char *const	*labels;
	size_t		 nlabels;
	double		 since_s;
	double		 now_s;
};

/* Set the defaults: the FLEET_* criteria, no filter. */
void fleet_options_init(struct fleet_options *opt);

/* One series' leak verdict over the segments of a run. */
struct fleet_leak {
	int		 has_verdict;	/* 0: no segment has the figure */
	enum leaks_verdict verdict;
	int		 has_slope;
	double		 slope_mib_per_min;	/* of the deciding segment */
};

struct fleet_row {
	struct store_run run;		/* owned */
	const char	*host;		/* its host label; NULL: none */
	int		 has_started;
	double		 started_s;	/* Unix seconds */
	size_t		 segments;
	int64_t		 cycles;	/* gc cycles of all segments */
	int		 has_duration;
	double		 duration_s;	/* the segments' spans added up */
	int		 has_gc_cpu;
	double		 gc_cpu;	/* 0..1, the worst segment's */
	int64_t		 stw_cycles;	/* cycles with both pauses */
	int64_t		 max_pause_us;	/* valid when stw_cycles > 0 */
	double		 p99_pause_us;	/* the worst segment's p99 */
	int64_t		 cycles_over;	/* over over_us, all segments */
	struct fleet_leak heap, stacks;
	int		 has_saturated;
	double		 saturated;	/* 0..1, the worst segment's */
	unsigned	 problems;	/* enum fleet_problem bits */
	int		 nproblems;
};

struct fleet_result {
	struct fleet_row *rows;		/* in run order */
	size_t		 n;
};

/*
 * The rows of the runs of s that pass the filters of opt, in run order.
 * Returns 0, or -1 with err set; the caller frees *res with
 * fleet_result_free, also after -1.
 */
int fleet_compute(struct store *s, const struct fleet_options *opt,
    struct fleet_result *res, struct buf *err);

/* How fleet_sort orders the rows. */
enum fleet_sort {
	FLEET_SORT_WORST,	/* the default, tracestat-fleet(1) */
	FLEET_SORT_RUN,
	FLEET_SORT_HOST,
	FLEET_SORT_NAME,
	FLEET_SORT_STARTED,
	FLEET_SORT_DURATION,
	FLEET_SORT_CYCLES,
	FLEET_SORT_GC_CPU,
	FLEET_SORT_MAX_PAUSE,
	FLEET_SORT_P99_PAUSE,
	FLEET_SORT_OVER,
	FLEET_SORT_HEAP_SLOPE,
	FLEET_SORT_STACKS_SLOPE,
	FLEET_SORT_SATURATED
};

/* Parse a --sort key ("worst", "gc-cpu", ...); -1 when unknown. */
int fleet_sort_parse(const char *s, enum fleet_sort *key);
/* The keys, separated by ", ", for messages and help. */
extern const char fleet_sort_keys[];

/* Sort the rows: the key's order, ties broken by the worst order. */
void fleet_sort(struct fleet_result *res, enum fleet_sort key);

void fleet_result_free(struct fleet_result *res);

#endif
