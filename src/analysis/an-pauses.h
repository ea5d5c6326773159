/*
 * an-pauses.h - stop-the-world pauses of one run segment.
 *
 * A gc line's clock has the two stop-the-world phases first and last:
 * sweep termination (gc_cycles.stw_sweepterm_wall_us) and mark termination
 * (stw_markterm_wall_us).  This module reads them for one segment and
 * computes counts over a threshold, percentiles (type 7, stats.h), totals
 * and the worst cycles.  It never prints; the method is written out in
 * tracestat-pauses(1).
 */
#ifndef TRACESTAT_AN_PAUSES_H
#define TRACESTAT_AN_PAUSES_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "store.h"

/* Which pause decides "over" and the ranking of the worst cycles. */
enum pauses_phase {
	PAUSES_ANY,		/* either phase (rank by the larger one) */
	PAUSES_SWEEP,		/* sweep termination only */
	PAUSES_MARK		/* mark termination only */
};

struct pauses_options {
	double		 over_us;	/* threshold; "over" is strictly > */
	enum pauses_phase phase;
	size_t		 top;		/* how many worst cycles to keep */
	int		 keep_cycles;	/* fill pauses_result.cycles */
};

/* One cycle.  Values are whole microseconds as stored. */
struct pauses_cycle {
	int64_t	gc_num;
	int64_t	start_ms;	/* cycle start; valid when has_start */
	int	has_start;	/* 0 when start_ms was a wrap-around (NULL) */
	int	valid;		/* 0 when a phase is NULL (skipped cycle) */
	int64_t	sweep_us;	/* sweep termination (valid only) */
	int64_t	mark_us;	/* mark termination (valid only) */
	int	forced;
	int	over;		/* over the threshold by options.phase */
	/* For the worst list: the phase ranked ("sweep" or "mark") and its
	 * value. */
	const char *worst_phase;
	int64_t	worst_us;
};

/*
 * Figures of one series: sweep, mark, their per-cycle sum, or a cycle's
 * pause as options.phase counts it (with any, the longer of the two:
 * the longest stop-the-world pause of the cycle).
 */
struct pauses_series {
	int64_t	count;		/* valid cycles (== pauses_result.cycles) */
	int64_t	over;		/* values strictly over the threshold */
	double	share_over;	/* over / count, 0..1; 0 when count is 0 */
	double	p50_us, p90_us, p99_us, p999_us;	/* type 7 */
	double	mean_us;
	int64_t	max_us;
	int64_t	total_us;	/* sum over valid cycles */
};

struct pauses_result {
	int64_t	run_id;
	int	segment;
	double	threshold_us;		/* options.over_us, to the ns */
	enum pauses_phase phase;
	int64_t	rows;			/* gc rows of the segment */
	int64_t	cycles;			/* rows with both phases */
	int64_t	skipped;		/* rows with a NULL phase */
	int64_t	forced;			/* valid cycles marked (forced) */
	/* Series statistics; all zero when cycles is 0 (check it).  cycle
	 * is of each cycle's pause by options.phase: its over is
	 * cycles_over, and its p99 and max are the headline figures of
	 * summary, report and fleet. */
	struct pauses_series sweep, mark, stw, cycle;
	/* Cycles over by options.phase: any = sweep or mark over. */
	int64_t	cycles_over;
	double	share_over;		/* cycles_over / cycles */
	/* The worst valid cycles by options.phase, worst first (ties: the
	 * earlier row first); at most options.top. */
	struct pauses_cycle *worst;
	size_t	nworst;
	/* Every row in store order (id), when options.keep_cycles. */
	struct pauses_cycle *cycles_list;
	size_t	ncycles_list;
};

/* "sweep", "mark" or "any". */
const char *pauses_phase_name(enum pauses_phase p);
/* Parse a phase name; -1 when unknown. */
int pauses_phase_parse(const char *s, enum pauses_phase *p);

/*
 * Compute the pauses of segment `segment` of run `run_id` of store s into
 * *res (which is overwritten).  Returns 0, or -1 with err set (the store
 * could not be read).  The caller frees the result with pauses_result_free,
 * also after -1.
 */
int pauses_compute(struct store *s, int64_t run_id, int segment,
    const struct pauses_options *opt, struct pauses_result *res,
    struct buf *err);

void pauses_result_free(struct pauses_result *res);

#endif
