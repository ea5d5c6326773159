/*
 * an-heap.h - heap growth of one run segment.
 *
 * Reads the heap figures of the gc lines (gc_cycles: heap_start_mib,
 * heap_end_mib, heap_live_mib, heap_goal_mib, stacks_mib, globals_mib,
 * start_ms) of one segment in store order and computes peaks, growth,
 * per-bucket levels, goal overshoot and the allocation rate between
 * cycles.  It never prints; the method is written out in tracestat-heap(1).
 *
 * Every MiB figure of the trace is truncated (bytes >> 20), so a stored
 * value v means v to v + 0.99 MiB.  Times are in seconds since the
 * runtime started (the gc line's @).
 */
#ifndef TRACESTAT_AN_HEAP_H
#define TRACESTAT_AN_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "store.h"

#define HEAP_MAX_BUCKETS 10000

struct heap_options {
	int	buckets;	/* 1 .. HEAP_MAX_BUCKETS */
};

/* Min, mean and max of one column over some cycles. */
struct heap_range {
	int64_t	min_mib, max_mib;
	double	mean_mib;
};

/*
 * One of the equal time buckets.  Bucket i of N covers start times t with
 * floor((t - first_ms) * N / (last_ms - first_ms)) == i (integer ms
 * arithmetic; the last cycle goes into bucket N - 1).  The figures are
 * valid only when cycles > 0.
 */
struct heap_bucket {
	double	start_s, end_s;
	int64_t	cycles;
	struct heap_range live, start, goal;
	int64_t	stacks_max_mib;		/* -1: no cycle printed stacks */
	int64_t	globals_max_mib;	/* -1: no cycle printed globals */
};

/* A peak: its value, and the first cycle that reached it. */
struct heap_peak {
	int64_t	mib;
	int64_t	gc_num;
	double	t_s;
};

struct heap_result {
	int64_t	run_id;
	int	segment;
	int64_t	rows;		/* gc rows of the segment */
	int64_t	cycles;		/* rows with a time and all four heap sizes */
	int64_t	skipped;	/* rows without (NULL values) */
	int64_t	forced;		/* valid cycles marked (forced) */
	/* Everything below is meaningful only when cycles > 0. */
	double	first_s, last_s, duration_s;
	int64_t	first_live_mib, last_live_mib, min_live_mib;
	double	mean_live_mib;
	struct heap_peak peak_live, peak_start, peak_goal;
	int64_t	max_stacks_mib;		/* -1 when never printed (< 1.18) */
	int64_t	max_globals_mib;	/* -1 when never printed */
	/* Live heap of the last cycle minus that of the first. */
	int64_t	growth_mib;
	int	has_growth_rate;	/* 0 when duration_s is 0 */
	double	growth_mib_per_min;
	/*
	 * The fastest growth between two consecutive non-empty buckets:
	 * (mean live of bucket j - mean live of bucket i) per minute between
	 * their midpoints, the largest over the pairs (first pair on a tie;
	 * may be <= 0).  from_s is the start of bucket i, to_s the end of j.
	 */
	int	has_fastest;		/* 0 with fewer than 2 such buckets */
	double	fastest_from_s, fastest_to_s;
	double	fastest_growth_mib, fastest_growth_mib_per_min;
	/* Goal overshoot: heap_end_mib > heap_goal_mib. */
	int64_t	overshoot_cycles;
	double	overshoot_share;	/* of cycles, 0..1 */
	int64_t	overshoot_max_mib;	/* max(end - goal), 0 if never over */
	double	overshoot_max_pct;	/* max((end - goal) / goal * 100) */
	/*
	 * Allocation between the starts of consecutive cycles n-1 and n:
	 * (heap_end - heap_start of n-1) + (heap_start of n - heap_live of
	 * n-1), over start_ms(n) - start_ms(n-1).  Pairs are used only when
	 * gc_num(n) = gc_num(n-1) + 1 and the time moved on.
	 */
	int64_t	alloc_pairs, alloc_skipped_pairs;
	int64_t	alloc_mib;		/* summed over the pairs used */
	int	has_alloc;		/* alloc_pairs > 0 */
	double	alloc_rate_mean_mib_per_s;	/* alloc_mib / their time */
	double	alloc_rate_p50_mib_per_s, alloc_rate_p99_mib_per_s;
	double	alloc_rate_max_mib_per_s;	/* per pair, type 7 */
	/* The buckets (empty when cycles is 0). */
	struct heap_bucket *buckets;
	size_t	nbuckets;
};

/*
 * Compute the heap figures of segment `segment` of run `run_id` of store s
 * into *res (overwritten).  Returns 0, or -1 with err set (the store could
 * not be read).  The caller frees the result with heap_result_free, also
 * after -1.
 */
int heap_compute(struct store *s, int64_t run_id, int segment,
    const struct heap_options *opt, struct heap_result *res,
    struct buf *err);

void heap_result_free(struct heap_result *res);

/*
 * Is a cycle one the heap figures count: its start_ms and its four heap
 * sizes (heap_start_mib, heap_end_mib, heap_live_mib, heap_goal_mib, in
 * that order from sizes) all numbers within reason?  1 or 0.  summary's
 * heap headline (an-overview.h) counts the same cycles.
 */
int heap_cycle_usable(const struct value *start_ms, const struct value *sizes);

/* Fold value v of cycle gc_num at t_s into peak p (first: the first
 * cycle); a peak keeps the first cycle that reached it. */
void heap_peak_add(struct heap_peak *p, int64_t v, int64_t gc_num, double t_s,
    int first);

#endif
