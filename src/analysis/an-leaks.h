/*
 * an-leaks.h - is the live heap of one segment growing?
 *
 * The method, its constants and its limits are written out in
 * tracestat-leaks(1); in short:
 *
 *  1. take the segment's gc cycles, leaving out forced and periodic ones;
 *  2. leave out a warm-up (automatic, or a duration or a percentage);
 *  3. cut the rest of the segment into up to LEAKS_MAX_WINDOWS windows of
 *     equal time and keep the floor (minimum heap_live_mib) of each;
 *  4. fit a Theil-Sen line through the floors and run a Mann-Kendall
 *     trend test on them;
 *  5. call it a leak when the trend is significant, the fitted rise over
 *     the window analysed reaches the threshold, and the second half of
 *     the floors still rises.
 *
 * When the cycles are too few for the floors (a fast leak doubles the
 * heap, and so the time between cycles, at every cycle), the same line and
 * the same three conditions are taken on the cycles themselves, with the
 * exact distribution of Mann-Kendall's S from LEAKS_MIN_CYCLES cycles on
 * and a one-sided test of a rise.
 *
 * The same method reads either series of the gc lines: the live heap, or
 * the goroutine stacks (Go 1.18 and later), where a goroutine leak shows.
 *
 * Nothing here prints; the leaks command, the summary report and the heap
 * plot all read the same struct leaks_result.
 */
#ifndef TRACESTAT_AN_LEAKS_H
#define TRACESTAT_AN_LEAKS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "store.h"

#define LEAKS_MAX_WINDOWS	10	/* windows of the floors */
#define LEAKS_MIN_WINDOWS	6	/* fewer usable windows: inconclusive */
#define LEAKS_CYCLES_PER_WINDOW	3	/* windows = min(10, cycles / 3) */
#define LEAKS_MIN_WINDOW_CYCLES	2	/* a window with fewer is not used */
#define LEAKS_ALPHA		0.05	/* Mann-Kendall two-sided level */
#define LEAKS_QUANTUM_FLOOR_MIB	2.0	/* lowest threshold: 2 x 1 MiB */
#define LEAKS_RELATIVE_FLOOR	0.01	/* threshold >= 1% of the heap */
#define LEAKS_LATE_FRACTION	0.25	/* late slope >= 1/4 of the slope */
#define LEAKS_AUTO_WARMUP_MIN	0.10	/* automatic warm-up: 10% .. */
#define LEAKS_AUTO_WARMUP_MAX	0.25	/* .. 25% of the segment */
#define LEAKS_DEFAULT_MIN_RISE_MIB 4.0
#define LEAKS_MIN_CYCLES	4	/* the cycles method: fewer, inconclusive */

/* What a row is about: the live heap or the goroutine stacks. */
enum leaks_series {
	LEAKS_SERIES_HEAP,
	LEAKS_SERIES_STACKS
};
#define LEAKS_SERIES_COUNT	2

/* "heap" or "stacks". */
const char *leaks_series_name(enum leaks_series series);

/* How the verdict was reached: on window floors, or on the cycles. */
enum leaks_method {
	LEAKS_METHOD_FLOORS,
	LEAKS_METHOD_CYCLES
};

/* A few words naming the method, for the method column. */
const char *leaks_method_name(enum leaks_method method);

enum leaks_warmup {
	LEAKS_WARMUP_AUTO,
	LEAKS_WARMUP_SECONDS,
	LEAKS_WARMUP_PERCENT
};

struct leaks_options {
	enum leaks_warmup	warmup;
	double			warmup_value;	/* seconds or percent */
	double			min_rise_mib;	/* --min-rise */
	double			limit_bytes;	/* --limit, 0 = none */
};

/* Set the defaults: automatic warm-up, 4 MiB minimum rise, no limit. */
void leaks_options_init(struct leaks_options *opt);

enum leaks_verdict {
	LEAKS_INCONCLUSIVE,
	LEAKS_NO_LEAK,
	LEAKS_LEAK
};

/* "inconclusive", "no-leak" or "leak". */
const char *leaks_verdict_name(enum leaks_verdict v);

struct leaks_result {
	enum leaks_verdict	 verdict;
	/* Why, in a few words ("steady growth", "too few cycles", ...). */
	const char		*reason;
	enum leaks_series	 series;
	enum leaks_method	 method;
	/* The series has no value at all in the segment (stacks before
	 * Go 1.18): not applicable rather than undecided. */
	int			 no_data;

	/* Cycles of the segment: all, left out as forced or periodic, in
	 * the warm-up, and used for the floors. */
	int			 cycles_total;
	int			 cycles_excluded;
	int			 cycles_warmup;
	int			 cycles_used;

	/* The window analysed, in seconds of the segment's clock (the gc
	 * line's @ time), and the warm-up before it.  has_window is 0 when
	 * the segment has fewer than two usable cycles. */
	int			 has_window;
	double			 warmup_s;
	double			 window_start_s;
	double			 window_end_s;

	/* The floors: time (s) and value (MiB) of the lowest cycle of each
	 * usable window, in time order (n_floors of them, owned); with
	 * LEAKS_METHOD_CYCLES, every cycle after the warm-up. */
	size_t			 n_floors;
	double			*floor_t_s;
	double			*floor_mib;
	int			 windows_planned;

	/* The rest is valid when has_fit (n_floors >= LEAKS_MIN_WINDOWS). */
	int			 has_fit;
	/* Theil-Sen line through the floors: live floor (MiB) = intercept_mib
	 * + slope_mib_per_s * t (s). */
	double			 slope_mib_per_s;
	double			 intercept_mib;
	/* The same on the later half of the floors. */
	double			 late_slope_mib_per_s;
	/* Mann-Kendall on the floors: S, Z and the two-sided p-value; with
	 * LEAKS_METHOD_CYCLES the p-value is the exact one-sided P(S >= s). */
	double			 mk_s;
	double			 mk_z;
	double			 p_value;
	/* slope x (window_end_s - window_start_s), and the threshold it must
	 * reach: max(min_rise, LEAKS_QUANTUM_FLOOR_MIB, 1% of the fitted
	 * floor at the window start). */
	double			 rise_mib;
	double			 threshold_mib;
	/* The least slope this window could call a leak: threshold_mib /
	 * (window_end_s - window_start_s). */
	double			 detectable_mib_per_s;
	/* The fitted floor at window_end_s, and the last used cycle's value
	 * (live heap or stacks). */
	double			 floor_end_mib;
	double			 last_live_mib;
	/* Confidence in the verdict, 0..1 (0 when inconclusive): see
	 * tracestat-leaks(1). */
	double			 confidence;

	/* With a limit: seconds from window_end_s until the fitted floor
	 * reaches it; has_time_to_limit is 0 when the slope is not positive
	 * or the floor is already at or above the limit. */
	int			 has_time_to_limit;
	double			 time_to_limit_s;
};

/*
 * Analyse segment `segment` of run `run_id` in store s.  Fills *res (free it
 * with leaks_result_free).  Returns 0, or -1 with err set when the store
 * cannot be read.
 */
int leaks_analyse(struct store *s, int64_t run_id, int segment,
    const struct leaks_options *opt, struct leaks_result *res,
    struct buf *err);

/*
 * The same on arrays already in memory: n cycles in time order with their
 * start (s), heap_live_mib and whether each is excluded (forced or
 * periodic; excluded may be NULL).
 */
/*
 * The same for one series: the live heap (heap_live_mib) or the stacks
 * (stacks_mib; cycles without the figure are not read, and a segment
 * without any is inconclusive, "no stacks figures").
 */
int leaks_analyse_series(struct store *s, int64_t run_id, int segment,
    enum leaks_series series, const struct leaks_options *opt,
    struct leaks_result *res, struct buf *err);

/*
 * Both series of a segment from one read of its cycles: res[k] is series
 * k (LEAKS_SERIES_HEAP, LEAKS_SERIES_STACKS); free each with
 * leaks_result_free.  Returns 0, or -1 with err set (nothing to free).
 */
int leaks_analyse_all(struct store *s, int64_t run_id, int segment,
    const struct leaks_options *opt,
    struct leaks_result res[LEAKS_SERIES_COUNT], struct buf *err);

void leaks_analyse_cycles(const double *t_s, const double *live_mib,
    const int *excluded, size_t n, const struct leaks_options *opt,
    struct leaks_result *res);

void leaks_result_free(struct leaks_result *res);

#endif
