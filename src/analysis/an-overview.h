/*
 * an-overview.h - the figures of one segment that take one pass over its
 * gc cycles: GC CPU (as figures.h defines it, and its verdict), the GC
 * frequency, and the heap headline (first, last and peak live heap, goal
 * overshoot).  summary and report call this; nothing else computes these.
 * Nothing here prints.  Definitions are in tracestat-summary(1) and
 * tracestat-report(1).
 */
#ifndef TRACESTAT_AN_OVERVIEW_H
#define TRACESTAT_AN_OVERVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "an-heap.h"
#include "buf.h"
#include "store.h"

/* GC CPU over this share of the CPU capacity is called high. */
#define OVERVIEW_GC_CPU_HIGH	0.25

struct overview_result {
	/* GC CPU, figures.h: valid when at least one interval counted. */
	int		 gc_cpu_valid;
	double		 gc_cpu_share;		/* STW + assist + background */
	double		 gc_cpu_idle_share;	/* idle marking, apart */
	int		 gc_cpu_high;	/* share > OVERVIEW_GC_CPU_HIGH */
	int		 has_runtime;
	int64_t		 runtime_pct;		/* the last line's P% */
	/*
	 * GC frequency: cycles with a start time and a P count, less one,
	 * over the time from the first one's start to the last one's; 0
	 * when there are fewer than two or no time passed.
	 */
	double		 cycles_per_s;
	/* The heap headline, over the cycles tracestat-heap counts
	 * (heap_cycle_usable), and the same peak. */
	int64_t		 heap_cycles;
	int64_t		 first_live_mib, last_live_mib;
	struct heap_peak peak_live;
	int64_t		 overshoot_cycles;	/* heap_end > heap_goal */
};

/*
 * A segment's duration: from the earliest to the latest time stamp of
 * either clock (gc starts and SCHED times) of the segment, in seconds.
 * Returns 0, or -1 when the segment has no time stamp.
 */
int overview_segment_duration(const struct store_segment *g, double *seconds);

/*
 * The Go releases whose format every line of the segment fits, into s:
 * "go1.18-1.19", "go1.18+", "go1.5", or "" when unknown.
 */
void overview_go_format(char *s, size_t n, const struct store_segment *g);

/*
 * The overview of segment of run_id in s into *res (zeroed first).
 * Returns 0, or -1 with err set when the store cannot be read.
 */
int overview_compute(struct store *s, int64_t run_id, int segment,
    struct overview_result *res, struct buf *err);

#endif
