#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an-leaks.h"
#include "an-pauses.h"
#include "an-sched.h"
#include "cmd.h"
#include "figures.h"
#include "xalloc.h"
#include "store-sqlite.h"
#include "banned.h"

/*
 * summary: one row per run and segment.  As a table it is a health
 * report, a few lines per segment, each pointing to the command with the
 * details; as CSV or JSON it is one flat row with every figure.
 */

#define SUMMARY_OVER_US 100.0

/* What the segments table and the trace tables say of one segment. */
struct summary_row {
	int64_t		 run_id;
	const char	*name;
	int		 has_segment;
	int		 segment;
	const char	*reason;
	char		 go_format[64];
	int		 has_duration;
	double		 duration_s;
	int		 has_first, has_last;
	double		 first_s, last_s;
	int64_t		 gc_cycles, forced, periodic, sched_samples;
	int64_t		 repaired, unrecognised;
	const char	*status;
};

/* GC CPU from the cpu fields of the gc lines. */
struct summary_cpu {
	/* (and the heap headline) */
	int		 valid;		/* at least one interval */
	double		 share;		/* STW + assist + background, 0..1 */
	double		 idle_share;	/* idle-priority marking, 0..1 */
	int		 has_runtime;
	int64_t		 runtime_pct;	/* the last line's P% */
	double		 cycles_per_s;
	/* The heap headline, as tracestat-heap computes it: over cycles
	 * with a time and all four heap sizes. */
	int64_t		 heap_cycles;
	int64_t		 first_live_mib, last_live_mib;
	int64_t		 peak_live_mib;
	double		 peak_live_t_s;
	int64_t		 overshoot_cycles;
};

struct summary_all {
	struct summary_cpu	 cpu;
	int			 has_pauses, has_leaks, has_sched;
	struct pauses_result	 pauses;
	struct leaks_result	 leaks;
	int			 has_stack_leaks;
	struct leaks_result	 stack_leaks;	/* the stacks series */
	struct sched_result	 sched;
};

static const char summary_sql[] =
	"SELECT r.id, r.name, s.segment, s.reason, s.go_min, s.go_max, "
	"s.first_ms, s.last_ms, s.first_sched_ms, s.last_sched_ms, "
	"s.gc_cycles, s.forced_cycles, s.periodic_cycles, s.sched_samples, "
	"s.repaired_records, r.unrecognised_lines, "
	"run_status(r.status, r.pid, r.host) "
	"FROM runs r LEFT JOIN segments s ON s.run_id = r.id "
	"WHERE r.id = ?1 AND (?2 = 0 OR s.segment = ?2) ORDER BY s.segment";

static void
summary_read_row(sqlite3_stmt *st, struct summary_row *row)
{
	const char *lo = (const char *)sqlite3_column_text(st, 4);
	const char *hi = (const char *)sqlite3_column_text(st, 5);
	int64_t a = INT64_MAX, b = INT64_MIN, v;
	int col;

	memset(row, 0, sizeof *row);
	row->run_id = sqlite3_column_int64(st, 0);
	row->name = (const char *)sqlite3_column_text(st, 1);
	row->has_segment = sqlite3_column_type(st, 2) != SQLITE_NULL;
	row->segment = sqlite3_column_int(st, 2);
	row->reason = (const char *)sqlite3_column_text(st, 3);
	if (lo == NULL && hi == NULL)
		row->go_format[0] = '\0';
	else if (hi == NULL)
		snprintf(row->go_format, sizeof row->go_format, "go%s+", lo);
	else if (lo == NULL || strcmp(lo, hi) == 0)
		snprintf(row->go_format, sizeof row->go_format, "go%s", hi);
	else
		snprintf(row->go_format, sizeof row->go_format, "go%s-%s", lo,
		    hi);
	for (col = 6; col <= 9; col++) {
		if (sqlite3_column_type(st, col) == SQLITE_NULL)
			continue;
		v = sqlite3_column_int64(st, col);
		if (v < a)
			a = v;
		if (v > b)
			b = v;
	}
	if (a <= b) {
		row->has_duration = 1;
		row->duration_s = ((double)b - (double)a) / 1000.0;
	}
	if ((row->has_first = sqlite3_column_type(st, 6) != SQLITE_NULL))
		row->first_s = sqlite3_column_int64(st, 6) / 1000.0;
	if ((row->has_last = sqlite3_column_type(st, 7) != SQLITE_NULL))
		row->last_s = sqlite3_column_int64(st, 7) / 1000.0;
	row->gc_cycles = sqlite3_column_int64(st, 10);
	row->forced = sqlite3_column_int64(st, 11);
	row->periodic = sqlite3_column_int64(st, 12);
	row->sched_samples = sqlite3_column_int64(st, 13);
	row->repaired = sqlite3_column_int64(st, 14);
	row->unrecognised = sqlite3_column_int64(st, 15);
	row->status = (const char *)sqlite3_column_text(st, 16);
}

/*
 * One pass over the segment's cycles for the GC CPU share and the heap
 * headline (a full tracestat-heap pass would sort every allocation rate).
 *
 * GC CPU share: as figures.h defines it.
 */
static int
summary_cpu(sqlite3 *db, int64_t run_id, int segment, struct summary_cpu *c,
    struct buf *err)
{
	sqlite3_stmt *st;
	struct figures_gc_cpu acc;
	struct figures_cycle_cpu cycle;
	struct figures_gc_cpu_interval iv;
	int64_t first = -1, last = -1, n = 0;
	int rc;

	memset(c, 0, sizeof *c);
	figures_gc_cpu_init(&acc);
	if (sqlite3_prepare_v2(db, "SELECT start_ms, gomaxprocs, "
	    "stw_sweepterm_cpu_us, scan_cpu_us, assist_cpu_us, bg_mark_cpu_us, "
	    "stw_markterm_cpu_us, idle_mark_cpu_us, gc_cpu_pct, "
	    "heap_start_mib, heap_end_mib, heap_live_mib, heap_goal_mib "
	    "FROM gc_cycles WHERE run_id = ? AND segment = ? ORDER BY id", -1,
	    &st, NULL) != SQLITE_OK) {
		buf_addf(err, "%s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int(st, 2, segment);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t start = sqlite3_column_int64(st, 0);
		int64_t procs = sqlite3_column_int64(st, 1);

		if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
			c->has_runtime = 1;
			c->runtime_pct = sqlite3_column_int64(st, 8);
		}
		if (sqlite3_column_type(st, 0) != SQLITE_NULL &&
		    sqlite3_column_type(st, 9) != SQLITE_NULL &&
		    sqlite3_column_type(st, 10) != SQLITE_NULL &&
		    sqlite3_column_type(st, 11) != SQLITE_NULL &&
		    sqlite3_column_type(st, 12) != SQLITE_NULL) {
			int64_t live = sqlite3_column_int64(st, 11);

			if (c->heap_cycles == 0 || live > c->peak_live_mib) {
				c->peak_live_mib = live;
				c->peak_live_t_s = (double)start / 1000.0;
			}
			if (c->heap_cycles == 0)
				c->first_live_mib = live;
			c->last_live_mib = live;
			if (sqlite3_column_int64(st, 10) >
			    sqlite3_column_int64(st, 12))
				c->overshoot_cycles++;
			c->heap_cycles++;
		}
		/* NULL (a wrap-around value) reads as 0 */
		cycle.has_start = sqlite3_column_type(st, 0) != SQLITE_NULL;
		cycle.start_ms = start;
		cycle.gomaxprocs = procs;
		cycle.sweepterm_us = sqlite3_column_int64(st, 2);
		cycle.scan_us = sqlite3_column_int64(st, 3);
		cycle.assist_us = sqlite3_column_int64(st, 4);
		cycle.background_us = sqlite3_column_int64(st, 5);
		cycle.markterm_us = sqlite3_column_int64(st, 6);
		cycle.idle_us = sqlite3_column_int64(st, 7);
		figures_gc_cpu_add(&acc, &cycle, &iv);
		if (sqlite3_column_type(st, 0) == SQLITE_NULL || procs < 1)
			continue;
		n++;
		if (first < 0)
			first = start;
		last = start;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		buf_addf(err, "%s", sqlite3_errmsg(db));
		return -1;
	}
	c->valid = figures_gc_cpu_share(&acc, &c->share, &c->idle_share) == 0;
	if (n > 1 && last > first)
		c->cycles_per_s = (double)(n - 1) / ((double)(last - first) /
		    1000.0);
	return 0;
}

/*
 * The analyses of one segment, in two threads with a reading handle each:
 * on a store of a million cycles each reads the whole segment, and two
 * cores halve the wait.
 */
struct summary_job {
	struct store		*store;
	const struct summary_row *row;
	struct summary_all	*all;
	int			 part;
	int			 rc;
	struct buf		 err;
};

/* One half of the analyses of a row, through job->store. */
static void
summary_job_compute(struct summary_job *job)
{
	const struct summary_row *row = job->row;
	struct summary_all *a = job->all;
	struct store *s = job->store;
	struct pauses_options po;
	struct leaks_options lo;
	struct leaks_result leaks[LEAKS_SERIES_COUNT];

	job->rc = -1;
	if (job->part == 0) {
		memset(&po, 0, sizeof po);
		po.over_us = SUMMARY_OVER_US;
		po.phase = PAUSES_ANY;
		po.top = 1;
		if (pauses_compute(s, row->run_id, row->segment, &po,
		    &a->pauses, &job->err) < 0)
			return;
		a->has_pauses = 1;
		leaks_options_init(&lo);
		if (leaks_analyse_all(s, row->run_id, row->segment, &lo,
		    leaks, &job->err) < 0)
			return;
		a->leaks = leaks[LEAKS_SERIES_HEAP];
		a->stack_leaks = leaks[LEAKS_SERIES_STACKS];
		a->has_leaks = 1;
		a->has_stack_leaks = 1;
	} else {
		if (summary_cpu(store_db(s), row->run_id, row->segment, &a->cpu,
		    &job->err) < 0)
			return;
		if (sched_analyse(s, row->run_id, row->segment, &a->sched,
		    &job->err) < 0)
			return;
		a->has_sched = 1;
	}
	job->rc = 0;
}

static void *
summary_job_run(void *arg)
{
	summary_job_compute(arg);
	return NULL;
}

/*
 * The analyses of a row, in two threads when a second reading handle
 * sees the command's snapshot (a live ingest may have committed since
 * the command's was taken), else one after the other through s.
 */
static int
summary_compute(struct store *s, const struct summary_row *row,
    struct summary_all *a, struct buf *err)
{
	struct summary_job jobs[2];
	struct store *reader = NULL;
	pthread_t thread;
	int i, threaded = 0, rc = 0;

	memset(a, 0, sizeof *a);
	if (!row->has_segment)
		return 0;
	memset(jobs, 0, sizeof jobs);
	for (i = 0; i < 2; i++) {
		jobs[i].store = s;
		jobs[i].row = row;
		jobs[i].all = a;
		jobs[i].part = i;
	}
	if (store_open_reader(s, &reader, &jobs[1].err) < 0) {
		jobs[1].rc = -1;
	} else if (reader != NULL) {
		jobs[1].store = reader;
		threaded = pthread_create(&thread, NULL, summary_job_run,
		    &jobs[1]) == 0;
		if (!threaded) {
			store_close(reader);
			reader = NULL;
			jobs[1].store = s;
		}
	}
	summary_job_compute(&jobs[0]);
	if (threaded)
		pthread_join(thread, NULL);
	else if (jobs[1].rc == 0)
		summary_job_compute(&jobs[1]);
	store_close(reader);
	for (i = 0; i < 2; i++) {
		if (jobs[i].rc < 0 && rc == 0) {
			buf_adds(err, buf_str(&jobs[i].err));
			rc = -1;
		}
		buf_free(&jobs[i].err);
	}
	return rc;
}

static void
summary_free(struct summary_all *a)
{
	if (a->has_pauses)
		pauses_result_free(&a->pauses);
	if (a->has_leaks)
		leaks_result_free(&a->leaks);
	if (a->has_stack_leaks)
		leaks_result_free(&a->stack_leaks);
	if (a->has_sched)
		sched_result_free(&a->sched);
}

static const char *const summary_names[] = {
	"run", "name", "segment", "started_by", "go_format", "duration_s",
	"first_s", "last_s", "gc_cycles", "forced_cycles", "periodic_cycles",
	"sched_samples", "repaired_lines", "unrecognised_lines", "status",
	"cycles_per_s", "gc_cpu_pct", "gc_idle_cpu_pct", "runtime_gc_cpu_pct",
	"max_stw_us", "p99_stw_us", "cycles_over_100us", "peak_live_mib",
	"live_growth_mib", "leak_verdict", "leak_slope_mib_per_min",
	"leak_confidence", "saturated_share", "threads_min", "threads_max",
	"thread_verdict", "stacks_leak_verdict",
	"stacks_leak_slope_mib_per_min", "stacks_leak_confidence"
};

static void
summary_out_row(struct out *o, const struct summary_row *r,
    const struct summary_all *a)
{
	int stw = a->has_pauses && a->pauses.cycles > 0;
	int heap = a->cpu.heap_cycles > 0;
	int sched = a->has_sched && a->sched.n_samples > 0;
	int64_t growth = 0;
	int has_growth = heap && !__builtin_sub_overflow(
	    a->cpu.last_live_mib, a->cpu.first_live_mib, &growth);

	out_int(o, r->run_id);
	out_text(o, r->name);
	out_int_if(o, r->has_segment, r->segment);
	out_text(o, r->reason);
	out_text(o, r->go_format[0] != '\0' ? r->go_format : NULL);
	out_real_if(o, r->has_duration, r->duration_s, 3);
	out_real_if(o, r->has_first, r->first_s, 3);
	out_real_if(o, r->has_last, r->last_s, 3);
	out_int(o, r->gc_cycles);
	out_int(o, r->forced);
	out_int(o, r->periodic);
	out_int(o, r->sched_samples);
	out_int(o, r->repaired);
	out_int(o, r->unrecognised);
	out_text(o, r->status);
	out_real_if(o, a->cpu.cycles_per_s > 0, a->cpu.cycles_per_s, 3);
	out_real_if(o, a->cpu.valid, a->cpu.share * 100, 2);
	out_real_if(o, a->cpu.valid, a->cpu.idle_share * 100, 2);
	out_int_if(o, a->cpu.has_runtime, a->cpu.runtime_pct);
	out_int_if(o, stw, a->pauses.stw.max_us);
	out_real_if(o, stw, a->pauses.stw.p99_us, 1);
	out_int_if(o, stw, a->pauses.cycles_over);
	out_int_if(o, heap, a->cpu.peak_live_mib);
	out_int_if(o, has_growth, growth);
	out_text(o, a->has_leaks ? leaks_verdict_name(a->leaks.verdict) :
	    NULL);
	out_real_if(o, a->has_leaks && a->leaks.has_fit,
	    figures_slope_per_minute(a->leaks.slope_mib_per_s), 3);
	out_real_if(o, a->has_leaks, a->leaks.confidence, 3);
	out_real_if(o, sched && a->sched.backlog_samples > 0,
	    a->sched.saturated_share, 4);
	out_int_if(o, sched, a->sched.threads_min);
	out_int_if(o, sched, a->sched.threads_max);
	out_text(o, sched ? sched_verdict_name(a->sched.thread_verdict) :
	    NULL);
	out_text(o, a->has_stack_leaks ?
	    leaks_verdict_name(a->stack_leaks.verdict) : NULL);
	out_real_if(o, a->has_stack_leaks && a->stack_leaks.has_fit,
	    figures_slope_per_minute(a->stack_leaks.slope_mib_per_s), 3);
	out_real_if(o, a->has_stack_leaks, a->stack_leaks.confidence, 3);
	out_row_end(o);
}

/* "leak, +1.00 MiB/min, confidence 0.99 (steady growth)" */
static void
summary_leak_verdict(FILE *fp, const struct leaks_result *l)
{
	fprintf(fp, "%s", leaks_verdict_name(l->verdict));
	if (l->has_fit && l->verdict != LEAKS_INCONCLUSIVE)
		fprintf(fp, ", %+.2f MiB/min, confidence %.2f",
		    figures_slope_per_minute(l->slope_mib_per_s),
		    l->confidence);
	if (l->reason != NULL)
		fprintf(fp, " (%s)", l->reason);
}

static void
summary_report(FILE *fp, const struct summary_row *r,
    const struct summary_all *a, int first)
{
	char x[32], y[32];

	if (!first)
		fputc('\n', fp);
	fprintf(fp, "run %lld", (long long)r->run_id);
	if (r->name != NULL)
		fprintf(fp, " (%s)", r->name);
	if (!r->has_segment) {
		fprintf(fp, ": no trace lines (%s)\n", r->status);
		return;
	}
	fprintf(fp, ", segment %d", r->segment);
	if (r->go_format[0] != '\0')
		fprintf(fp, ", %s", r->go_format);
	if (r->has_duration)
		fprintf(fp, ", %.1f s", r->duration_s);
	fprintf(fp, ", %lld gc cycles", (long long)r->gc_cycles);
	if (a->cpu.cycles_per_s > 0)
		fprintf(fp, " (%.2f/s)", a->cpu.cycles_per_s);
	fprintf(fp, ", %lld forced, %lld scheduler samples\n",
	    (long long)r->forced, (long long)r->sched_samples);

	if (a->cpu.valid) {
		fprintf(fp, "  gc cpu     %.1f%% of the Ps' time", a->cpu.share *
		    100);
		if (a->cpu.idle_share > 0)
			fprintf(fp, ", plus %.1f%% idle marking",
			    a->cpu.idle_share * 100);
		if (a->cpu.has_runtime)
			fprintf(fp, " (runtime's own figure: %lld%%)",
			    (long long)a->cpu.runtime_pct);
		fputc('\n', fp);
	}
	if (a->has_pauses && a->pauses.cycles > 0) {
		figures_duration_us(x, sizeof x, (double)a->pauses.stw.max_us,
		    1);
		figures_duration_us(y, sizeof y, a->pauses.stw.p99_us, 1);
		fprintf(fp, "  pauses     max %s, p99 %s, %lld of %lld cycles "
		    "over 100 us%*s-> tracestat pauses\n", x, y,
		    (long long)a->pauses.cycles_over,
		    (long long)a->pauses.cycles, 2, "");
	}
	if (a->cpu.heap_cycles > 0)
		fprintf(fp, "  heap       live %lld -> %lld MiB, peak %lld MiB "
		    "at %.1f s, goal overshot in %lld cycles  -> tracestat "
		    "heap\n", (long long)a->cpu.first_live_mib,
		    (long long)a->cpu.last_live_mib,
		    (long long)a->cpu.peak_live_mib, a->cpu.peak_live_t_s,
		    (long long)a->cpu.overshoot_cycles);
	if (a->has_leaks) {
		fprintf(fp, "  leak       ");
		summary_leak_verdict(fp, &a->leaks);
		/* Goroutine stacks, where the gc lines give them (Go 1.18+). */
		if (a->has_stack_leaks && !a->stack_leaks.no_data) {
			fprintf(fp, "; stacks ");
			if (a->stack_leaks.verdict == LEAKS_NO_LEAK)
				fprintf(fp, "no-leak");
			else
				summary_leak_verdict(fp, &a->stack_leaks);
		}
		fprintf(fp, "  -> tracestat leaks\n");
	}
	if (a->has_sched && a->sched.n_samples > 0) {
		fprintf(fp, "  scheduler  GOMAXPROCS %lld, saturated in %.0f%% "
		    "of samples, backlog max %lld, threads %lld-%lld %s  -> "
		    "tracestat sched\n", (long long)a->sched.gomaxprocs_last,
		    a->sched.saturated_share * 100,
		    (long long)a->sched.backlog_max,
		    (long long)a->sched.threads_min,
		    (long long)a->sched.threads_max,
		    sched_verdict_name(a->sched.thread_verdict));
	}
	fprintf(fp, "  lines      %lld repaired, %lld unrecognised in the run "
	    "(%s)\n", (long long)r->repaired, (long long)r->unrecognised,
	    r->status);
}

int
cmd_summary(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		CMD_COMMON_OPTIONS,
		CMD_RUN_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct store *s;
	sqlite3_stmt *st = NULL;
	struct buf err = BUF_INIT;
	struct out *o = NULL;
	struct summary_row row;
	struct summary_all all;
	int64_t *ids = NULL;
	int rc, n, i, rows = 0;
	size_t k;

	if ((rc = cmd_parse_common_only(ctx, argc, argv, options)) >= 0)
		return rc;
	s = cmd_open_store(ctx, 0);
	if (s == NULL)
		return EXIT_STORE;
	rc = cmd_find_runs(ctx, s, &ids, &n);
	if (rc != EXIT_OK)
		goto out;
	if (sqlite3_prepare_v2(store_db(s), summary_sql, -1, &st, NULL) !=
	    SQLITE_OK) {
		cmd_error("'%s': %s", ctx->db_path,
		    sqlite3_errmsg(store_db(s)));
		rc = EXIT_STORE;
		goto out;
	}
	if (ctx->format != OUT_TABLE) {
		o = out_new(stdout, ctx->format);
		for (k = 0; k < sizeof summary_names / sizeof summary_names[0];
		    k++)
			out_column(o, summary_names[k]);
	}
	for (i = 0; i < n && rc == EXIT_OK; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int(st, 2, ctx->segment);
		while (rc == EXIT_OK && sqlite3_step(st) == SQLITE_ROW) {
			summary_read_row(st, &row);
			if (summary_compute(s, &row, &all, &err) < 0) {
				cmd_error("'%s': %s", ctx->db_path,
				    buf_str(&err));
				rc = EXIT_STORE;
			} else if (o != NULL) {
				summary_out_row(o, &row, &all);
			} else {
				summary_report(stdout, &row, &all, rows == 0);
			}
			rows++;
			summary_free(&all);
		}
		sqlite3_reset(st);
	}
	if (rc == EXIT_OK && rows == 0 && ctx->segment > 0) {
		cmd_error("no segment %d in run '%s' of '%s'", ctx->segment,
		    ctx->run, ctx->db_path);
		rc = EXIT_STORE;
	}
	if (o != NULL)
		out_finish(o);
out:
	sqlite3_finalize(st);
	buf_free(&err);
	free(ids);
	store_close(s);
	return rc;
}
