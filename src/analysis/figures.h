/*
 * figures.h - the figures that more than one command shows, each computed
 * by one function here: GC CPU, growth rates, and durations as text.
 *
 * summary, report and the plots call these; nothing else may compute
 * them.  Nothing here reads the store, prints or exits: callers hand in
 * the values of the rows they read.
 */
#ifndef TRACESTAT_FIGURES_H
#define TRACESTAT_FIGURES_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

/* ---------------------------------------------------------------- GC CPU */

/*
 * GC CPU, the runtime's definition (the P% of a gc line, runtime/mgc.go
 * gcMarkTermination): the collector's CPU time is sweep termination +
 * (Go 1.5 only) root scan + mark assist + background marking (dedicated
 * and fractional workers) + mark termination, as the "ms cpu" fields of
 * the gc line print them.  Idle marking (mark workers on Ps that had
 * nothing else to run) is spare CPU: the runtime leaves it out, and so
 * does GC CPU; it is given apart.
 *
 * Unlike P%, which is cumulative since the process started, tracestat
 * measures each cycle: cycle n's CPU time over the CPU capacity until the
 * next cycle starts, gomaxprocs(n) x (start(n + 1) - start(n)).  A
 * segment's GC CPU is the sum of those CPU times over the sum of those
 * capacities (a capacity-weighted mean, not a mean of ratios).
 *
 * Cycles are fed in their order in the segment.  A pair n, n + 1 counts
 * when both have a start time, start(n + 1) > start(n) and gomaxprocs(n)
 * is at least 1; a cycle without a start time ends the pairs before it
 * (its place in time is unknown).  A CPU field the line does not have,
 * or could not hold, counts as 0.
 */

/* One gc cycle as GC CPU needs it; CPU times in microseconds. */
struct figures_cycle_cpu {
	int	 has_start;
	int64_t	 start_ms;	/* since the process started */
	int64_t	 gomaxprocs;	/* the "N P" field */
	int64_t	 sweepterm_us, scan_us, assist_us, background_us;
	int64_t	 idle_us, markterm_us;
};

/*
 * The gc_cycles columns (tracestat-db(5)) that make a figures_cycle_cpu,
 * in the order figures_cycle_cpu_read takes their values: ask a store
 * cursor for these and hand its row's values over.
 */
#define FIGURES_GC_CPU_NCOLUMNS 8
extern const char *const figures_gc_cpu_columns[FIGURES_GC_CPU_NCOLUMNS];

/* A cycle from the values of figures_gc_cpu_columns: NULL reads as 0
 * (a wrap-around value), a NULL start_ms as no start. */
void figures_cycle_cpu_read(struct figures_cycle_cpu *cycle,
    const struct value *values);

/* Cycle n over the capacity until cycle n + 1 started. */
struct figures_gc_cpu_interval {
	int64_t	 from_ms, to_ms;	/* start(n), start(n + 1) */
	double	 capacity_us;		/* gomaxprocs(n) x (to - from) */
	double	 stw_us;		/* both stop-the-world phases */
	double	 assist_us;
	double	 background_us;		/* background workers (+ scan) */
	double	 idle_us;		/* idle marking: not GC CPU */
};

/* The running sums of one segment; zero it with figures_gc_cpu_init. */
struct figures_gc_cpu {
	int				have_prev;
	struct figures_cycle_cpu	prev;
	double				gc_us, idle_us, capacity_us;
	int64_t				intervals;
};

void figures_gc_cpu_init(struct figures_gc_cpu *acc);

/*
 * Add the next cycle of the segment.  Returns 1 and fills *iv when it
 * closes an interval (the previous cycle's), 0 when not.
 */
int figures_gc_cpu_add(struct figures_gc_cpu *acc,
    const struct figures_cycle_cpu *cycle,
    struct figures_gc_cpu_interval *iv);

/* The GC CPU time of an interval (all but idle marking), microseconds. */
double figures_gc_cpu_interval_us(const struct figures_gc_cpu_interval *iv);

/*
 * The segment's GC CPU and idle marking, each a fraction of the capacity
 * (0.25 is 25%).  Returns 0, or -1 when no interval counted.
 */
int figures_gc_cpu_share(const struct figures_gc_cpu *acc, double *gc_share,
    double *idle_share);

/* ---------------------------------------------------------- growth rates */

/*
 * Growth rates are given per minute (MiB/min, threads/min): a change over
 * a time span in seconds, or a slope fitted per second.  NaN when the span
 * is not above 0.
 */
double figures_per_minute(double change, double seconds);
double figures_slope_per_minute(double per_second);

/* ---------------------------------------------------------- segment span */

/*
 * How long a segment lasted, in seconds: from the earliest to the latest
 * of the times (ms since the process started) that are known (VAL_NULL
 * ones are not): summary and fleet hand in its first and last gc start
 * and scheduler sample.  Returns 0, or -1 when no time is known.
 */
int figures_span_s(const struct value *const *times_ms, size_t n,
    double *span_s);

/* ------------------------------------------------------------- durations */

/*
 * A duration in microseconds as a person reads it, into buf: "643 µs"
 * under a millisecond ("0.25 µs" under half of one, never a "0" that is
 * not 0), "1.12 ms" under a second, "2.35 s" from there;
 * the unit is picked on the value as rounded, so 999.7 us reads
 * "1.00 ms", never "1000 µs".  With ascii, "us" instead of "µs" (for
 * plain-text output).  Truncated to size; returns buf.
 */
char *figures_duration_us(char *buf, size_t size, double us, int ascii);

#endif
