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
#include "xalloc.h"
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
 * GC CPU share: for each pair of consecutive cycles n, n+1 of the segment,
 * cycle n's CPU (sweep termination + assist + background + mark
 * termination, and idle marking apart) over the wall time to the next
 * cycle times GOMAXPROCS; summed over the pairs before dividing.
 */
static int
summary_cpu(sqlite3 *db, int64_t run_id, int segment, struct summary_cpu *c,
    struct buf *err)
{
	sqlite3_stmt *st;
	double busy = 0, idle = 0, avail = 0;
	int64_t prev_start = -1, prev_procs = 0, first = -1, last = -1;
	int64_t pairs = 0, n = 0;
	double prev_busy = 0, prev_idle = 0;
	int rc;

	memset(c, 0, sizeof *c);
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
		if (sqlite3_column_type(st, 0) == SQLITE_NULL || procs < 1) {
			prev_start = -1;
			continue;
		}
		n++;
		if (first < 0)
			first = start;
		last = start;
		if (prev_start >= 0 && start > prev_start) {
			busy += prev_busy;
			idle += prev_idle;
			avail += ((double)start - (double)prev_start) * 1000.0 *
			    (double)prev_procs;
			pairs++;
		}
		prev_start = start;
		prev_procs = procs;
		/* NULL (a wrap-around value) reads as 0 */
		prev_busy = sqlite3_column_double(st, 2) +
		    sqlite3_column_double(st, 3) +
		    sqlite3_column_double(st, 4) +
		    sqlite3_column_double(st, 5) +
		    sqlite3_column_double(st, 6);
		prev_idle = (double)sqlite3_column_int64(st, 7);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		buf_addf(err, "%s", sqlite3_errmsg(db));
		return -1;
	}
	if (pairs > 0 && avail > 0) {
		c->valid = 1;
		c->share = busy / avail;
		c->idle_share = idle / avail;
	}
	if (n > 1 && last > first)
		c->cycles_per_s = (double)(n - 1) / ((double)(last - first) /
		    1000.0);
	return 0;
}

/*
 * The analyses of one segment, in two threads with a connection each:
 * on a store of a million cycles each reads the whole segment, and two
 * cores halve the wait.
 */
struct summary_job {
	const char		*path;
	const struct summary_row *row;
	struct summary_all	*all;
	const char		*token;		/* the command's snapshot */
	int			 part;
	int			 rc;
	struct buf		 err;
};

/* One half of the analyses of a row, on connection db. */
static void
summary_job_compute(struct summary_job *job, sqlite3 *db)
{
	const struct summary_row *row = job->row;
	struct summary_all *a = job->all;
	struct pauses_options po;
	struct leaks_options lo;
	struct leaks_result leaks[LEAKS_SERIES_COUNT];

	job->rc = -1;
	if (job->part == 0) {
		memset(&po, 0, sizeof po);
		po.over_us = SUMMARY_OVER_US;
		po.phase = PAUSES_ANY;
		po.top = 1;
		if (pauses_compute(db, row->run_id, row->segment, &po,
		    &a->pauses, &job->err) < 0)
			return;
		a->has_pauses = 1;
		leaks_options_init(&lo);
		if (leaks_analyse_all(db, row->run_id, row->segment, &lo,
		    leaks, &job->err) < 0)
			return;
		a->leaks = leaks[LEAKS_SERIES_HEAP];
		a->stack_leaks = leaks[LEAKS_SERIES_STACKS];
		a->has_leaks = 1;
		a->has_stack_leaks = 1;
	} else {
		if (summary_cpu(db, row->run_id, row->segment, &a->cpu,
		    &job->err) < 0)
			return;
		if (sched_analyse(db, row->run_id, row->segment, &a->sched,
		    &job->err) < 0)
			return;
		a->has_sched = 1;
	}
	job->rc = 0;
}

/*
 * Run a job on a connection of its own, if that connection sees the same
 * snapshot as the command's: a live ingest may have committed since.
 * Else leave rc at 1 for the caller to run it on the command's own.
 */
static void *
summary_job_run(void *arg)
{
	struct summary_job *job = arg;
	struct buf token = BUF_INIT;
	sqlite3 *db = NULL;

	job->rc = -1;
	if (sqlite3_open_v2(job->path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA query_only = 1; "
	    "PRAGMA mmap_size = 268435456;", NULL, NULL, NULL) != SQLITE_OK) {
		buf_addf(&job->err, "%s", db != NULL ? sqlite3_errmsg(db) :
		    "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	if (store_read_snapshot(db, &token, &job->err) < 0) {
		buf_free(&token);
		sqlite3_close(db);
		return NULL;
	}
	if (strcmp(buf_str(&token), job->token) != 0)
		job->rc = 1;
	else
		summary_job_compute(job, db);
	buf_free(&token);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return NULL;
}

/*
 * The analyses of a row, in two threads on two connections when they
 * see the command's snapshot, else on the command's connection main_db.
 */
static int
summary_compute(const char *path, sqlite3 *main_db, const char *token,
    const struct summary_row *row, struct summary_all *a, struct buf *err)
{
	struct summary_job jobs[2];
	pthread_t thread;
	int i, threaded, rc = 0;

	memset(a, 0, sizeof *a);
	if (!row->has_segment)
		return 0;
	memset(jobs, 0, sizeof jobs);
	for (i = 0; i < 2; i++) {
		jobs[i].path = path;
		jobs[i].token = token;
		jobs[i].row = row;
		jobs[i].all = a;
		jobs[i].part = i;
	}
	threaded = pthread_create(&thread, NULL, summary_job_run,
	    &jobs[1]) == 0;
	summary_job_compute(&jobs[0], main_db);
	if (threaded)
		pthread_join(thread, NULL);
	if (!threaded || jobs[1].rc == 1)
		summary_job_compute(&jobs[1], main_db);
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
	    a->leaks.slope_mib_per_s * 60, 3);
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
	    a->stack_leaks.slope_mib_per_s * 60, 3);
	out_real_if(o, a->has_stack_leaks, a->stack_leaks.confidence, 3);
	out_row_end(o);
}

/* A duration in microseconds, as a person reads it. */
static void
summary_us(char *buf, size_t size, double us)
{
	if (us >= 1e6)
		snprintf(buf, size, "%.2f s", us / 1e6);
	else if (us >= 1e3)
		snprintf(buf, size, "%.2f ms", us / 1e3);
	else
		snprintf(buf, size, "%.0f us", us);
}

/* "leak, +1.00 MiB/min, confidence 0.99 (steady growth)" */
static void
summary_leak_verdict(FILE *fp, const struct leaks_result *l)
{
	fprintf(fp, "%s", leaks_verdict_name(l->verdict));
	if (l->has_fit && l->verdict != LEAKS_INCONCLUSIVE)
		fprintf(fp, ", %+.2f MiB/min, confidence %.2f",
		    l->slope_mib_per_s * 60, l->confidence);
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
		summary_us(x, sizeof x, (double)a->pauses.stw.max_us);
		summary_us(y, sizeof y, a->pauses.stw.p99_us);
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

static int
cmd_summary(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store *s = ctx->store;
	sqlite3_stmt *st = NULL;
	struct buf err = BUF_INIT, token = BUF_INIT;
	struct out *o = NULL;
	struct summary_row row;
	struct summary_all all;
	int64_t *ids = ctx->run_ids;
	int rc = EXIT_OK, n = ctx->nruns, i, rows = 0;
	size_t k;

	/* The snapshot store_open took: the threads' must be the same. */
	if (store_read_snapshot(store_db(s), &token, &err) < 0) {
		cmd_error("'%s': %s", ctx->db_path, buf_str(&err));
		rc = EXIT_STORE;
		goto out;
	}
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
			if (summary_compute(ctx->db_path, store_db(s),
			    buf_str(&token), &row, &all, &err) < 0) {
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
	buf_free(&token);
	return rc;
}

const struct cmd_entry cmd_summary_entry = {
	.name = "summary",
	.usage = "[options]",
	.summary = "one report per run and segment",
	.options = (const struct option_spec[]){
		CMD_OPTION_RUN,
		CMD_OPTION_SEGMENT,
		CMD_OPTION_FORMAT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ | CMD_RUN_SELECT,
	.exec = cmd_summary
};
