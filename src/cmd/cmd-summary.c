#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an-leaks.h"
#include "an-overview.h"
#include "an-pauses.h"
#include "an-sched.h"
#include "cmd.h"
#include "figures.h"
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

struct summary_all {
	struct overview_result	 cpu;	/* GC CPU and the heap headline */
	int			 has_pauses, has_leaks, has_sched;
	struct pauses_result	 pauses;
	struct leaks_result	 leaks;
	int			 has_stack_leaks;
	struct leaks_result	 stack_leaks;	/* the stacks series */
	struct sched_result	 sched;
};

/* The row of segment g of run, or of a run without segments (g NULL). */
static void
summary_read_row(const struct store_run *run, const struct store_segment *g,
    struct summary_row *row)
{
	memset(row, 0, sizeof *row);
	row->run_id = run->id;
	row->name = run->name;
	row->unrecognised = run->counts.unrecognised;
	row->status = run->status;
	if (g == NULL)
		return;
	row->has_segment = 1;
	row->segment = g->segment;
	row->reason = g->reason;
	overview_go_format(row->go_format, sizeof row->go_format, g);
	row->has_duration = overview_segment_duration(g,
	    &row->duration_s) == 0;
	if ((row->has_first = g->first_ms.type != VAL_NULL))
		row->first_s = g->first_ms.i / 1000.0;
	if ((row->has_last = g->last_ms.type != VAL_NULL))
		row->last_s = g->last_ms.i / 1000.0;
	row->gc_cycles = g->gc_cycles;
	row->forced = g->forced_cycles;
	row->periodic = g->periodic_cycles;
	row->sched_samples = g->sched_samples;
	row->repaired = g->repaired_records;
}

/*
 * The analyses of one segment, in three parts with a reading handle and a
 * thread each: on a store of a million cycles each part reads the whole
 * segment, and two cores share three parts of about the same length
 * better than two parts of unequal length.
 */
#define SUMMARY_PARTS 3

struct summary_job {
	struct store		*store;
	const struct summary_row *row;
	struct summary_all	*all;
	int			 part;
	int			 rc;
	struct buf		 err;
};

/* One part of the analyses of a row, through job->store. */
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
	switch (job->part) {
	case 0:
		memset(&po, 0, sizeof po);
		po.over_us = SUMMARY_OVER_US;
		po.phase = PAUSES_ANY;
		po.top = 1;
		if (pauses_compute(s, row->run_id, row->segment, &po,
		    &a->pauses, &job->err) < 0)
			return;
		a->has_pauses = 1;
		break;
	case 1:
		leaks_options_init(&lo);
		if (leaks_analyse_all(s, row->run_id, row->segment, &lo,
		    leaks, &job->err) < 0)
			return;
		a->leaks = leaks[LEAKS_SERIES_HEAP];
		a->stack_leaks = leaks[LEAKS_SERIES_STACKS];
		a->has_leaks = 1;
		a->has_stack_leaks = 1;
		break;
	default:
		if (overview_compute(s, row->run_id, row->segment, &a->cpu,
		    &job->err) < 0)
			return;
		if (sched_analyse(s, row->run_id, row->segment, &a->sched,
		    &job->err) < 0)
			return;
		a->has_sched = 1;
		break;
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
 * The analyses of a row: parts 1 and up in threads of their own when a
 * second reading handle sees the command's snapshot (a live ingest may
 * have committed since the command's was taken), else one after the
 * other through s.
 */
static int
summary_compute(struct store *s, const struct summary_row *row,
    struct summary_all *a, struct buf *err)
{
	struct summary_job jobs[SUMMARY_PARTS];
	struct store *readers[SUMMARY_PARTS];
	pthread_t threads[SUMMARY_PARTS];
	int threaded[SUMMARY_PARTS];
	int i, rc = 0;

	memset(a, 0, sizeof *a);
	if (!row->has_segment)
		return 0;
	memset(jobs, 0, sizeof jobs);
	for (i = 0; i < SUMMARY_PARTS; i++) {
		jobs[i].store = s;
		jobs[i].row = row;
		jobs[i].all = a;
		jobs[i].part = i;
		readers[i] = NULL;
		threaded[i] = 0;
	}
	for (i = 1; i < SUMMARY_PARTS; i++) {
		if (store_open_reader(s, &readers[i], &jobs[i].err) < 0) {
			jobs[i].rc = -1;
			continue;
		}
		if (readers[i] == NULL)
			continue;
		jobs[i].store = readers[i];
		threaded[i] = pthread_create(&threads[i], NULL,
		    summary_job_run, &jobs[i]) == 0;
		if (!threaded[i]) {
			store_close(readers[i]);
			readers[i] = NULL;
			jobs[i].store = s;
		}
	}
	for (i = 0; i < SUMMARY_PARTS; i++) {
		if (threaded[i])
			continue;
		/* Not run yet, and no error opening a reader. */
		if (i == 0 || jobs[i].rc == 0)
			summary_job_compute(&jobs[i]);
	}
	for (i = 1; i < SUMMARY_PARTS; i++) {
		if (threaded[i])
			pthread_join(threads[i], NULL);
		store_close(readers[i]);
	}
	for (i = 0; i < SUMMARY_PARTS; i++) {
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
	"max_pause_us", "p99_pause_us", "cycles_over_100us", "peak_live_mib",
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
	out_real_if(o, a->cpu.gc_cpu_valid, a->cpu.gc_cpu_share * 100, 2);
	out_real_if(o, a->cpu.gc_cpu_valid, a->cpu.gc_cpu_idle_share * 100, 2);
	out_int_if(o, a->cpu.has_runtime, a->cpu.runtime_pct);
	out_int_if(o, stw, a->pauses.cycle.max_us);
	out_real_if(o, stw, a->pauses.cycle.p99_us, 1);
	out_int_if(o, stw, a->pauses.cycles_over);
	out_int_if(o, heap, a->cpu.peak_live.mib);
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

	if (a->cpu.gc_cpu_valid) {
		fprintf(fp, "  gc cpu     %.1f%% of the Ps' time",
		    a->cpu.gc_cpu_share * 100);
		if (a->cpu.gc_cpu_high)
			fprintf(fp, " (high: over %.0f%%)",
			    OVERVIEW_GC_CPU_HIGH * 100);
		if (a->cpu.gc_cpu_idle_share > 0)
			fprintf(fp, ", plus %.1f%% idle marking",
			    a->cpu.gc_cpu_idle_share * 100);
		if (a->cpu.has_runtime)
			fprintf(fp, " (runtime's own figure: %lld%%)",
			    (long long)a->cpu.runtime_pct);
		fputc('\n', fp);
	}
	if (a->has_pauses && a->pauses.cycles > 0) {
		figures_duration_us(x, sizeof x, (double)a->pauses.cycle.max_us,
		    1);
		figures_duration_us(y, sizeof y, a->pauses.cycle.p99_us, 1);
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
		    (long long)a->cpu.peak_live.mib, a->cpu.peak_live.t_s,
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
		/* No trend from fewer than 3 samples: say so, not "(null)". */
		const char *trend = sched_verdict_name(a->sched.thread_verdict);

		fprintf(fp, "  scheduler  GOMAXPROCS %lld, saturated in %.0f%% "
		    "of samples, backlog max %lld, threads %lld-%lld %s  -> "
		    "tracestat sched\n", (long long)a->sched.gomaxprocs_last,
		    a->sched.saturated_share * 100,
		    (long long)a->sched.backlog_max,
		    (long long)a->sched.threads_min,
		    (long long)a->sched.threads_max,
		    trend != NULL ? trend : "(too few samples for a trend)");
	}
	fprintf(fp, "  lines      %lld repaired, %lld unrecognised in the run "
	    "(%s)\n", (long long)r->repaired, (long long)r->unrecognised,
	    r->status);
}

static int
cmd_summary(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store *s = ctx->store;
	struct store_run run;
	struct store_segment *segs = NULL;
	struct buf err = BUF_INIT;
	struct out *o = NULL;
	struct summary_row row;
	struct summary_all all;
	int64_t *ids = ctx->run_ids;
	int rc = EXIT_OK, n = ctx->nruns, i, rows = 0;
	size_t k, nsegs = 0;
	if (ctx->format != OUT_TABLE) {
		o = out_new(stdout, ctx->format);
		for (k = 0; k < sizeof summary_names / sizeof summary_names[0];
		    k++)
			out_column(o, summary_names[k]);
	}
	memset(&run, 0, sizeof run);
	for (i = 0; i < n && rc == EXIT_OK; i++) {
		rc = store_run_get(s, ids[i], &run, &err);
		/* Not found: cannot be, the run is in the snapshot. */
		if (rc == 1)
			buf_addf(&err, "run %lld vanished", (long long)ids[i]);
		if (rc != 0 || store_segments(s, ids[i], ctx->segment > 0 ?
		    ctx->segment : STORE_ALL_SEGMENTS, &segs,
		    &nsegs, &err) < 0) {
			cmd_error("'%s': %s", ctx->db_path, buf_str(&err));
			rc = EXIT_STORE;
		}
		/* A run without segments has one row, unless one is asked. */
		for (k = 0; rc == EXIT_OK && (k < nsegs || (k == 0 &&
		    nsegs == 0 && ctx->segment == 0)); k++) {
			summary_read_row(&run, nsegs > 0 ? &segs[k] : NULL,
			    &row);
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
		store_segments_free(segs, nsegs);
		segs = NULL;
		nsegs = 0;
		store_run_free(&run);
	}
	if (rc == EXIT_OK && rows == 0 && ctx->segment > 0) {
		cmd_error("no segment %d in run '%s' of '%s'", ctx->segment,
		    ctx->run, ctx->db_path);
		rc = EXIT_STORE;
	}
	if (o != NULL)
		out_finish(o);
	buf_free(&err);
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
