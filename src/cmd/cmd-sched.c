#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an-sched.h"
#include "cmd.h"
#include "xalloc.h"
#include "banned.h"

enum sched_mode {
	SCHED_MODE_SEGMENT,
	SCHED_MODE_LIST,
	SCHED_MODE_PROCS,
	SCHED_MODE_DETAIL,
	SCHED_MODE_GOROUTINES
};

/* The views, set by the table of cmd_sched_entry: one at most. */
static int sched_opt_views[SCHED_MODE_GOROUTINES + 1];

struct sched_print {
	struct out	*out;
	enum sched_mode	 mode;
};

static const char *const sched_segment_columns[] = {
	"run", "name", "segment", "samples", "detailed_samples",
	"duration_s", "gomaxprocs", "gomaxprocs_changes", "gomaxprocs_values",
	"idle_procs_mean", "idle_procs_min", "idle_zero_share",
	"backlog_p50_goroutines", "backlog_p99_goroutines",
	"backlog_max_goroutines", "saturated_samples", "saturated_share",
	"threads_min", "threads_max", "threads_slope_per_min",
	"threads_trend_p", "thread_verdict", "spinning_threads_mean",
	"spinning_threads_max", "schedticks_per_s", "detail_goroutines_mean",
	"detail_goroutines_max", "detail_ms_mean", "detail_top_wait_reason",
	"detail_goroutines_slope_per_min", "detail_goroutines_trend_p",
	NULL
};

static const char *const sched_list_columns[] = {
	"run", "segment", "t_ms", "detailed", "gomaxprocs", "idle_procs",
	"threads", "spinning_threads", "idle_threads", "global_runq",
	"local_runq_total", "backlog_goroutines", "saturated",
	"schedticks_delta", "schedticks_per_s", NULL
};

static const char *const sched_procs_columns[] = {
	"run", "segment", "p_idx", "samples", "local_runq_mean_goroutines",
	"local_runq_max_goroutines", "schedtick_intervals", "schedticks",
	"elapsed_s", "schedticks_per_s", NULL
};

static const char *const sched_goroutines_columns[] = {
	"run", "segment", "t_ms", "goroutines", "runnable", "running",
	"syscall", "waiting", NULL
};

static const char *const sched_detail_columns[] = {
	"run", "segment", "group", "value", "count", "per_dump_mean",
	"share", NULL
};

/* An integer that is -1 when unknown. */
static void
sched_out_count(struct out *o, int64_t v)
{
	if (v < 0)
		out_null(o);
	else
		out_int(o, v);
}

static void
sched_out_rate(struct out *o, double v)
{
	if (v < 0)
		out_null(o);
	else
		out_real(o, v, 1);
}

static void
sched_print_segment(struct out *o, const struct segment_ref *ref,
    const struct sched_result *r)
{
	struct buf values = BUF_INIT;
	const char *top = NULL;
	size_t i;
	double dumps = (double)r->detailed_samples;

	out_int(o, ref->run_id);
	out_text(o, ref->run_name);
	out_int(o, ref->segment);
	out_int(o, (int64_t)r->n_samples);
	out_int(o, r->detailed_samples);
	out_real(o, r->duration_s, 3);
	sched_out_count(o, r->gomaxprocs_last);
	out_int(o, r->gomaxprocs_changes);
	for (i = 0; i < r->n_gomaxprocs_values; i++)
		buf_addf(&values, "%s%lld", i ? "," : "",
		    (long long)r->gomaxprocs_values[i]);
	if (r->n_gomaxprocs_values > 0)
		out_text(o, buf_str(&values));
	else
		out_null(o);
	buf_free(&values);
	out_real(o, r->idle_procs_mean, 2);
	sched_out_count(o, r->idle_procs_min);
	out_real(o, r->idle_zero_share, 4);
	out_real(o, r->backlog_p50, 1);
	out_real(o, r->backlog_p99, 1);
	sched_out_count(o, r->backlog_max);
	out_int(o, r->saturated_samples);
	out_real(o, r->saturated_share, 4);
	sched_out_count(o, r->threads_min);
	sched_out_count(o, r->threads_max);
	out_real(o, r->threads_slope_per_min, 2);
	out_real(o, r->threads_trend_p, 4);
	out_text(o, sched_verdict_name(r->thread_verdict));
	out_real(o, r->spinning_mean, 2);
	sched_out_count(o, r->spinning_max);
	sched_out_rate(o, r->schedticks_per_s);
	for (i = 0; i < r->n_counts; i++)
		if (strcmp(r->counts[i].group, "wait_reason") == 0) {
			top = r->counts[i].value;
			break;
		}
	if (r->detailed_samples > 0) {
		out_real(o, (double)r->goroutines / dumps, 2);
		sched_out_count(o, r->goroutines_max);
		out_real(o, (double)r->m_rows / dumps, 2);
		out_text(o, top);
	} else {
		for (i = 0; i < 4; i++)
			out_null(o);
	}
	out_real_if(o, !isnan(r->goroutines_slope_per_min),
	    r->goroutines_slope_per_min, 1);
	out_real_if(o, !isnan(r->goroutines_trend_p), r->goroutines_trend_p,
	    4);
	out_row_end(o);
}

/* One row per scheddetail dump: the goroutines it lists. */
static void
sched_print_goroutines(struct out *o, const struct segment_ref *ref,
    const struct sched_result *r)
{
	const struct sched_sample *x;
	size_t i;

	for (i = 0; i < r->n_samples; i++) {
		x = &r->samples[i];
		if (!x->detailed)
			continue;
		out_int(o, ref->run_id);
		out_int(o, ref->segment);
		sched_out_count(o, x->t_ms);
		out_int(o, x->goroutines);
		out_int(o, x->g_runnable);
		out_int(o, x->g_running);
		out_int(o, x->g_syscall);
		out_int(o, x->g_waiting);
		out_row_end(o);
	}
}

static void
sched_print_list(struct out *o, const struct segment_ref *ref,
    const struct sched_result *r)
{
	const struct sched_sample *x;
	size_t i;

	for (i = 0; i < r->n_samples; i++) {
		x = &r->samples[i];
		out_int(o, ref->run_id);
		out_int(o, ref->segment);
		sched_out_count(o, x->t_ms);
		out_int(o, x->detailed);
		sched_out_count(o, x->gomaxprocs);
		sched_out_count(o, x->idle_procs);
		sched_out_count(o, x->threads);
		sched_out_count(o, x->spinning_threads);
		sched_out_count(o, x->idle_threads);
		sched_out_count(o, x->global_runq);
		sched_out_count(o, x->local_runq_total);
		sched_out_count(o, x->backlog);
		if (x->backlog < 0)
			out_null(o);
		else
			out_int(o, x->saturated);
		sched_out_count(o, x->schedticks_delta);
		sched_out_rate(o, x->schedticks_per_s);
		out_row_end(o);
	}
}

static void
sched_print_procs(struct out *o, const struct segment_ref *ref,
    const struct sched_result *r)
{
	const struct sched_proc *p;
	size_t i;

	for (i = 0; i < r->n_procs; i++) {
		p = &r->procs[i];
		out_int(o, ref->run_id);
		out_int(o, ref->segment);
		out_int(o, p->p_idx);
		out_int(o, p->samples);
		out_real(o, p->local_runq_mean, 2);
		if (p->samples > 0)
			out_int(o, p->local_runq_max);
		else
			out_null(o);
		out_int(o, p->intervals);
		out_int(o, p->schedticks);
		out_real(o, p->elapsed_s, 3);
		sched_out_rate(o, p->schedticks_per_s);
		out_row_end(o);
	}
}

static void
sched_print_detail(struct out *o, const struct segment_ref *ref,
    const struct sched_result *r)
{
	const struct sched_count *c;
	int64_t total;
	size_t i, j;

	for (i = 0; i < r->n_counts; i++) {
		c = &r->counts[i];
		total = 0;
		for (j = 0; j < r->n_counts; j++)
			if (strcmp(r->counts[j].group, c->group) == 0 &&
			    __builtin_add_overflow(total, r->counts[j].count,
			    &total))
				total = INT64_MAX;
		out_int(o, ref->run_id);
		out_int(o, ref->segment);
		out_text(o, c->group);
		out_text(o, c->value);
		out_int(o, c->count);
		out_real(o, (double)c->count / (double)r->detailed_samples,
		    2);
		if (c->partition && total > 0)
			out_real(o, (double)c->count / (double)total, 4);
		else
			out_null(o);
		out_row_end(o);
	}
}

static int
sched_segment(struct cmd_ctx *ctx, struct store *s,
    const struct segment_ref *ref, void *arg)
{
	struct sched_print *pr = arg;
	struct sched_result r;
	struct buf err = BUF_INIT;

	if (sched_analyse(s, ref->run_id, ref->segment, &r,
	    &err) < 0) {
		cmd_error("'%s': %s", ctx->db_path, buf_str(&err));
		buf_free(&err);
		return EXIT_STORE;
	}
	switch (pr->mode) {
	case SCHED_MODE_SEGMENT:
		sched_print_segment(pr->out, ref, &r);
		break;
	case SCHED_MODE_LIST:
		sched_print_list(pr->out, ref, &r);
		break;
	case SCHED_MODE_PROCS:
		sched_print_procs(pr->out, ref, &r);
		break;
	case SCHED_MODE_DETAIL:
		sched_print_detail(pr->out, ref, &r);
		break;
	case SCHED_MODE_GOROUTINES:
		sched_print_goroutines(pr->out, ref, &r);
		break;
	}
	sched_result_free(&r);
	buf_free(&err);
	return EXIT_OK;
}

static int
cmd_sched_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	int mode, views = 0;

	for (mode = SCHED_MODE_LIST; mode <= SCHED_MODE_GOROUTINES; mode++)
		views += sched_opt_views[mode];
	if (views > 1)
		return cmd_usage_error(ctx->cmd, "--list, --procs, "
		    "--detail and --goroutines cannot be combined");
	return EXIT_OK;
}

static int
cmd_sched(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *const *columns;
	struct sched_print pr;
	struct store *s = ctx->store;
	int mode, rc;
	size_t k;

	pr.mode = SCHED_MODE_SEGMENT;
	for (mode = SCHED_MODE_LIST; mode <= SCHED_MODE_GOROUTINES; mode++)
		if (sched_opt_views[mode])
			pr.mode = (enum sched_mode)mode;
	switch (pr.mode) {
	case SCHED_MODE_LIST:
		columns = sched_list_columns;
		break;
	case SCHED_MODE_PROCS:
		columns = sched_procs_columns;
		break;
	case SCHED_MODE_DETAIL:
		columns = sched_detail_columns;
		break;
	case SCHED_MODE_GOROUTINES:
		columns = sched_goroutines_columns;
		break;
	default:
		columns = sched_segment_columns;
		break;
	}
	pr.out = out_new(stdout, ctx->format);
	for (k = 0; columns[k] != NULL; k++)
		out_column(pr.out, columns[k]);
	rc = cmd_for_each_segment(ctx, s, sched_segment, &pr);
	out_finish(pr.out);
	return rc;
}

const struct cmd_entry cmd_sched_entry = {
	.name = "sched",
	.usage = "[options]",
	.summary = "scheduler load, saturation and threads",
	.options = (const struct option_spec[]){
		CMD_OPTION_RUN,
		CMD_OPTION_SEGMENT,
		OPTION_FLAG("list", 0, "one row per SCHED sample",
		    &sched_opt_views[SCHED_MODE_LIST]),
		OPTION_FLAG("procs", 0,
		    "one row per P: queues, scheduling rate",
		    &sched_opt_views[SCHED_MODE_PROCS]),
		OPTION_FLAG("detail", 0,
		    "scheddetail counts: G, P and M states",
		    &sched_opt_views[SCHED_MODE_DETAIL]),
		OPTION_FLAG("goroutines", 0,
		    "one row per scheddetail dump: goroutines",
		    &sched_opt_views[SCHED_MODE_GOROUTINES]),
		CMD_OPTION_FORMAT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ | CMD_RUN_SELECT,
	.check = cmd_sched_check,
	.exec = cmd_sched
};
