/*
 * an-overview.h - the headline figures of one segment's gc cycles, from
 * one pass over them: GC CPU (as figures.h defines it), the cycle rate
 * and the heap headline.
 *
 * summary and fleet show these; a full tracestat-heap pass would sort
 * every allocation rate, so the headline is read here in the same pass
 * as GC CPU.  Nothing here prints.
 */
#ifndef TRACESTAT_AN_OVERVIEW_H
#define TRACESTAT_AN_OVERVIEW_H

#include <stdint.h>

#include "buf.h"
#include "store.h"

struct overview_result {
	/* GC CPU, figures_gc_cpu_share: valid when an interval counted. */
	int		 valid;
	double		 share;		/* STW + assist + background, 0..1 */
	double		 idle_share;	/* idle-priority marking, 0..1 */
	int		 has_runtime;
	int64_t		 runtime_pct;	/* the last line's P% */
	/* Cycles per second between the first and the last cycle with a
	 * start time and a GOMAXPROCS; 0 below two such cycles. */
	double		 cycles_per_s;
	/* The heap headline, as tracestat-heap computes it: over cycles
	 * with a time and all four heap sizes. */
	int64_t		 heap_cycles;
	int64_t		 first_live_mib, last_live_mib;
	int64_t		 peak_live_mib;
	double		 peak_live_t_s;
	int64_t		 overshoot_cycles;	/* heap_end above the goal */
};

/*
 * The overview of segment `segment` of run run_id into *o (overwritten).
 * Returns 0, or -1 with err set (the store could not be read).
 */
int overview_compute(struct store *s, int64_t run_id, int segment,
    struct overview_result *o, struct buf *err);

#endif
