/*
 * an-sched.h - the scheduler analysis of one segment (tracestat-sched(1)).
 *
 * Reads the SCHED samples of a segment (sched_samples, sched_p, sched_m,
 * sched_g) and fills a struct sched_result; nothing here prints.  The
 * sched command, the summary report and the plots share it.  Definitions
 * and methods are in man/tracestat-sched.1.
 */
#ifndef TRACESTAT_AN_SCHED_H
#define TRACESTAT_AN_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct buf;

/*
 * Thread verdict thresholds (documented in tracestat-sched(1)).  A rise is
 * significant when the Mann-Kendall two-sided p-value is below
 * SCHED_THREADS_TREND_P with Z > 0; its size is the Theil-Sen slope times
 * the sampled time.  Significant and at least SCHED_THREADS_MIN_RISE
 * threads: growing; significant and at least SCHED_THREADS_SMALL_RISE:
 * rising; anything else: stable.  So a verdict never says "stable" beside
 * a trend its own test finds and that adds a thread or more.
 */
#define SCHED_THREADS_TREND_P		0.01
#define SCHED_THREADS_MIN_RISE		8
#define SCHED_THREADS_SMALL_RISE	1

enum sched_verdict {
	SCHED_VERDICT_UNKNOWN,		/* fewer than 3 samples */
	SCHED_VERDICT_STABLE,
	SCHED_VERDICT_GROWING,		/* a thread leak */
	SCHED_VERDICT_RISING		/* a small significant rise */
};

/* One SCHED sample with its derived values, in line order. */
struct sched_sample {
	int64_t		 id;		/* sched_samples.id */
	int64_t		 t_ms;
	int64_t		 gomaxprocs;
	int64_t		 idle_procs;
	int64_t		 threads;
	int64_t		 spinning_threads;
	int64_t		 idle_threads;
	int64_t		 global_runq;
	int64_t		 local_runq_total;	/* -1: unknown */
	int64_t		 backlog;	/* global + local, or -1 */
	int		 saturated;	/* no idle P, backlog > 0 */
	int		 detailed;	/* header of a scheddetail dump */
	/* Sum of the per-P schedtick deltas since the previous sample and
	 * its rate; -1 when the interval has no usable schedticks. */
	int64_t		 schedticks_delta;
	double		 schedticks_per_s;
	/* G lines of a detailed dump: all but dead ones, and those runnable,
	 * running, in a system call and waiting; -1 when not detailed. */
	int64_t		 goroutines;
	int64_t		 g_runnable, g_running, g_syscall, g_waiting;
};

/* Per-P figures (P index p_idx). */
struct sched_proc {
	int		 p_idx;
	int64_t		 samples;	/* with this P's queue */
	double		 local_runq_mean;
	int64_t		 local_runq_max;
	int64_t		 intervals;	/* intervals used */
	int64_t		 schedticks;	/* summed deltas */
	double		 elapsed_s;	/* summed interval lengths */
	double		 schedticks_per_s;	/* -1: no interval */
};

/* A scheddetail count, e.g. ("wait_reason", "sleep"). */
struct sched_count {
	const char	*group;		/* static text */
	char		*value;		/* owned */
	int64_t		 count;		/* rows over all dumps */
	int		 partition;	/* the group's values partition */
};

struct sched_result {
	int64_t		 run_id;
	int		 segment;

	struct sched_sample *samples;	/* n_samples, in line order */
	size_t		 n_samples;
	int64_t		 detailed_samples;
	double		 duration_s;	/* last t_ms - first t_ms */

	/* GOMAXPROCS: values in order of appearance, without repeats. */
	int64_t		 gomaxprocs_last;
	int64_t		 gomaxprocs_min, gomaxprocs_max;
	int64_t		 gomaxprocs_changes;
	int64_t		*gomaxprocs_values;
	size_t		 n_gomaxprocs_values;

	double		 idle_procs_mean;
	int64_t		 idle_procs_min;
	/* Share of the samples with idle_procs = 0. */
	double		 idle_zero_share;

	/* Backlog over samples whose backlog is known. */
	int64_t		 backlog_samples;
	double		 backlog_p50, backlog_p99;	/* type 7 */
	int64_t		 backlog_max;
	double		 backlog_mean;
	int64_t		 saturated_samples;
	double		 saturated_share;	/* of backlog_samples */

	int64_t		 threads_min, threads_max;
	int64_t		 threads_first, threads_last;
	/* Theil-Sen slope, threads per minute; NAN below 2 samples. */
	double		 threads_slope_per_min;
	double		 threads_rise;		/* slope * span */
	/* Mann-Kendall Z and two-sided p-value; NAN below 3 samples. */
	double		 threads_trend_z, threads_trend_p;
	enum sched_verdict thread_verdict;

	double		 spinning_mean;
	int64_t		 spinning_max;

	/* Scheduling rate from schedticks (Go 1.25+ or scheddetail). */
	int64_t		 schedtick_intervals;
	int64_t		 schedticks;		/* summed deltas */
	double		 schedtick_elapsed_s;
	double		 schedticks_per_s;	/* -1: no interval */
	struct sched_proc *procs;		/* n_procs, by p_idx */
	size_t		 n_procs;

	/* scheddetail=1 aggregates; detailed_samples dumps. */
	int64_t		 g_rows;		/* all G lines */
	int64_t		 goroutines;	/* G lines not dead */
	int64_t		 goroutines_max;	/* most in one dump */
	/* Goroutines per dump over time: Theil-Sen slope per minute and the
	 * Mann-Kendall two-sided p-value; NAN below 2 (3) dumps. */
	double		 goroutines_slope_per_min;
	double		 goroutines_trend_p;
	int64_t		 m_rows;
	struct sched_count *counts;	/* g_status, wait_reason, p_status,
					 * m_state; n_counts */
	size_t		 n_counts;
};

/*
 * Analyse segment of run_id in store s into *r (zeroed first).  Returns 0,
 * or -1 with a message in err when the store cannot be read.  A segment
 * without samples gives n_samples = 0 and every figure unknown (NAN or
 * -1).  Free with sched_result_free.
 */
int sched_analyse(struct store *s, int64_t run_id, int segment,
    struct sched_result *r, struct buf *err);

void sched_result_free(struct sched_result *r);

/* "growing", "rising", "stable" or NULL for unknown. */
const char *sched_verdict_name(enum sched_verdict v);

/* Names of the runtime's G and P status numbers; NULL when unknown. */
const char *sched_g_status_name(int64_t status);
const char *sched_p_status_name(int64_t status);

#endif
