#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an-pauses.h"
#include "cmd.h"
#include "figures.h"
#include "units.h"
#include "banned.h"

/* The options, set by the table of cmd_pauses_entry. */
static double pauses_opt_over_us = 100;
static enum pauses_phase pauses_opt_phase = PAUSES_ANY;
static int pauses_opt_top = 5;
static int pauses_opt_list;

struct pauses_cmd {
	struct pauses_options	 opt;
	int			 list;
	struct out		*o;	/* csv/json rows, and --list */
	int			 blocks;	/* table blocks printed */
};

/* A count in microseconds as the table shows it. */
static void
pauses_out_us(struct out *o, double v, int64_t count)
{
	if (count == 0)
		out_null(o);
	else
		out_real(o, v, 3);
}

static void
pauses_out_max(struct out *o, const struct pauses_series *s)
{
	if (s->count == 0)
		out_null(o);
	else
		out_int(o, s->max_us);
}

static void
pauses_out_t(struct out *o, const struct pauses_cycle *c)
{
	if (c->has_start)
		out_real(o, (double)c->start_ms / 1000.0, 3);
	else
		out_null(o);
}

static void
pauses_columns(struct pauses_cmd *pc)
{
	static const char *const head[] = { "run", "name", "segment", "phase",
	    "threshold_us", "cycles", "skipped_cycles", "forced_cycles",
	    "sweep_over", "mark_over", "stw_over", "cycles_over",
	    "share_over" };
	static const char *const series[] = { "sweep", "mark", "stw",
	    "pause" };
	static const char *const figures[] = { "p50", "p90", "p99", "p999",
	    "max", "mean", "total" };
	char name[64];
	size_t i, k;

	for (i = 0; i < sizeof head / sizeof head[0]; i++)
		out_column(pc->o, head[i]);
	for (i = 0; i < sizeof series / sizeof series[0]; i++)
		for (k = 0; k < sizeof figures / sizeof figures[0]; k++) {
			snprintf(name, sizeof name, "%s_%s_us", figures[k],
			    series[i]);
			out_column(pc->o, name);
		}
	for (i = 1; i <= pc->opt.top; i++) {
		snprintf(name, sizeof name, "worst%zu_gc_num", i);
		out_column(pc->o, name);
		snprintf(name, sizeof name, "worst%zu_t_s", i);
		out_column(pc->o, name);
		snprintf(name, sizeof name, "worst%zu_phase", i);
		out_column(pc->o, name);
		snprintf(name, sizeof name, "worst%zu_us", i);
		out_column(pc->o, name);
	}
}

static void
pauses_row(struct pauses_cmd *pc, const struct segment_ref *ref,
    const struct pauses_result *r)
{
	const struct pauses_series *s[4] = { &r->sweep, &r->mark, &r->stw,
	    &r->cycle };
	struct out *o = pc->o;
	size_t i;

	out_int(o, ref->run_id);
	out_text(o, ref->run_name);
	out_int(o, ref->segment);
	out_text(o, pauses_phase_name(r->phase));
	out_real(o, r->threshold_us, -1);
	out_int(o, r->cycles);
	out_int(o, r->skipped);
	out_int(o, r->forced);
	out_int(o, r->sweep.over);
	out_int(o, r->mark.over);
	out_int(o, r->stw.over);
	out_int(o, r->cycles_over);
	out_real(o, r->share_over, 6);
	for (i = 0; i < 4; i++) {
		pauses_out_us(o, s[i]->p50_us, s[i]->count);
		pauses_out_us(o, s[i]->p90_us, s[i]->count);
		pauses_out_us(o, s[i]->p99_us, s[i]->count);
		pauses_out_us(o, s[i]->p999_us, s[i]->count);
		pauses_out_max(o, s[i]);
		pauses_out_us(o, s[i]->mean_us, s[i]->count);
		out_int(o, s[i]->total_us);
	}
	for (i = 0; i < pc->opt.top; i++) {
		if (i >= r->nworst) {
			out_null(o);
			out_null(o);
			out_null(o);
			out_null(o);
			continue;
		}
		out_int(o, r->worst[i].gc_num);
		pauses_out_t(o, &r->worst[i]);
		out_text(o, r->worst[i].worst_phase);
		out_int(o, r->worst[i].worst_us);
	}
	out_row_end(o);
}

static void
pauses_list(struct pauses_cmd *pc, const struct segment_ref *ref,
    const struct pauses_result *r)
{
	const struct pauses_cycle *c;
	struct out *o = pc->o;
	size_t i;

	for (i = 0; i < r->ncycles_list; i++) {
		c = &r->cycles_list[i];
		out_int(o, ref->run_id);
		out_int(o, ref->segment);
		out_int(o, c->gc_num);
		pauses_out_t(o, c);
		if (c->valid) {
			out_int(o, c->sweep_us);
			out_int(o, c->mark_us);
			out_int_sum(o, c->sweep_us, c->mark_us);
		} else {
			out_null(o);
			out_null(o);
			out_null(o);
		}
		out_bool(o, c->forced);
		if (c->valid)
			out_bool(o, c->over);
		else
			out_null(o);
		out_row_end(o);
	}
}

static const char *
pauses_phase_words(enum pauses_phase p)
{
	switch (p) {
	case PAUSES_SWEEP:
		return "sweep termination";
	case PAUSES_MARK:
		return "mark termination";
	default:
		return "sweep or mark termination";
	}
}

/* The readable block of --format table. */
static void
pauses_block(struct pauses_cmd *pc, const struct segment_ref *ref,
    const struct pauses_result *r)
{
	static const char *const names[] = { "sweep termination",
	    "mark termination", "per cycle (sum)", "per cycle (longer)" };
	const struct pauses_series *s[4] = { &r->sweep, &r->mark, &r->stw,
	    &r->cycle };
	/* With one phase, a cycle's pause is that phase's: no row of its
	 * own. */
	size_t rows = r->phase == PAUSES_ANY ? 4 : 3;
	struct out *o;
	char thr[32];
	size_t i;

	if (pc->blocks++ > 0)
		putchar('\n');
	printf("run %lld%s%s%s, segment %d: %lld cycles", (long long)
	    ref->run_id, ref->run_name ? " (" : "",
	    ref->run_name ? ref->run_name : "", ref->run_name ? ")" : "",
	    ref->segment, (long long)r->cycles);
	if (r->forced > 0)
		printf(" (%lld forced)", (long long)r->forced);
	if (r->skipped > 0)
		printf(", %lld skipped (a phase was a wrap-around)",
		    (long long)r->skipped);
	printf("\n");
	if (r->cycles == 0) {
		printf("no gc cycles with both stop-the-world phases\n");
		return;
	}
	printf("over %s (%s): %lld of %lld cycles (%.2f%%)\n\n",
	    figures_duration_us(thr, sizeof thr, r->threshold_us, 1),
	    pauses_phase_words(r->phase),
	    (long long)r->cycles_over, (long long)r->cycles,
	    100.0 * r->share_over);
	o = out_new(stdout, OUT_TABLE);
	out_column(o, "stop-the-world");
	out_column(o, "over");
	out_column(o, "over_%");
	out_column(o, "p50_us");
	out_column(o, "p90_us");
	out_column(o, "p99_us");
	out_column(o, "p99.9_us");
	out_column(o, "max_us");
	out_column(o, "mean_us");
	out_column(o, "total_ms");
	for (i = 0; i < rows; i++) {
		out_text(o, names[i]);
		out_int(o, s[i]->over);
		out_real(o, 100.0 * s[i]->share_over, 2);
		out_real(o, s[i]->p50_us, 1);
		out_real(o, s[i]->p90_us, 1);
		out_real(o, s[i]->p99_us, 1);
		out_real(o, s[i]->p999_us, 1);
		out_int(o, s[i]->max_us);
		out_real(o, s[i]->mean_us, 1);
		out_real(o, (double)s[i]->total_us / 1000.0, 3);
		out_row_end(o);
	}
	out_finish(o);
	if (r->nworst == 0)
		return;
	printf("\nworst %zu by %s:\n", r->nworst,
	    pauses_phase_words(r->phase));
	o = out_new(stdout, OUT_TABLE);
	out_column(o, "gc_num");
	out_column(o, "t_s");
	out_column(o, "phase");
	out_column(o, "pause_us");
	out_column(o, "sweep_us");
	out_column(o, "mark_us");
	out_column(o, "stw_us");
	out_column(o, "forced");
	for (i = 0; i < r->nworst; i++) {
		out_int(o, r->worst[i].gc_num);
		pauses_out_t(o, &r->worst[i]);
		out_text(o, r->worst[i].worst_phase);
		out_int(o, r->worst[i].worst_us);
		out_int(o, r->worst[i].sweep_us);
		out_int(o, r->worst[i].mark_us);
		out_int_sum(o, r->worst[i].sweep_us, r->worst[i].mark_us);
		out_bool(o, r->worst[i].forced);
		out_row_end(o);
	}
	out_finish(o);
}

/* Rows start at the first segment, so an error leaves stdout empty. */
static void
pauses_open_out(struct pauses_cmd *pc, const struct cmd_ctx *ctx)
{
	static const char *const list_names[] = { "run", "segment", "gc_num",
	    "t_s", "sweep_us", "mark_us", "stw_us", "forced", "over" };
	size_t k;

	if (pc->o != NULL || (!pc->list && ctx->format == OUT_TABLE))
		return;
	pc->o = out_new(stdout, ctx->format);
	if (pc->list)
		for (k = 0; k < sizeof list_names / sizeof list_names[0]; k++)
			out_column(pc->o, list_names[k]);
	else
		pauses_columns(pc);
}

static int
pauses_segment(struct cmd_ctx *ctx, struct store *s,
    const struct segment_ref *ref, void *arg)
{
	struct pauses_cmd *pc = arg;
	struct pauses_result r;
	struct buf err = BUF_INIT;

	if (pauses_compute(s, ref->run_id, ref->segment, &pc->opt,
	    &r, &err) < 0) {
		cmd_error("'%s': %s", ctx->db_path, buf_str(&err));
		buf_free(&err);
		pauses_result_free(&r);
		return EXIT_STORE;
	}
	pauses_open_out(pc, ctx);
	if (pc->list)
		pauses_list(pc, ref, &r);
	else if (pc->o != NULL)
		pauses_row(pc, ref, &r);
	else
		pauses_block(pc, ref, &r);
	pauses_result_free(&r);
	return EXIT_OK;
}

static int
pauses_option_phase(const char *arg, void *value, struct buf *err)
{
	if (pauses_phase_parse(arg, value) < 0) {
		buf_addf(err, "--phase takes sweep, mark or any, not '%s'",
		    arg);
		return -1;
	}
	return 0;
}

static int
cmd_pauses(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct pauses_cmd pc;
	struct store *s = ctx->store;
	int rc;

	memset(&pc, 0, sizeof pc);
	pc.opt.over_us = pauses_opt_over_us;
	pc.opt.phase = pauses_opt_phase;
	pc.opt.top = (size_t)pauses_opt_top;
	pc.list = pauses_opt_list;
	if (pc.list) {
		pc.opt.keep_cycles = 1;
		pc.opt.top = 0;
	}
	rc = cmd_for_each_segment(ctx, s, pauses_segment, &pc);
	if (rc == EXIT_OK)
		pauses_open_out(&pc, ctx);
	if (pc.o != NULL)
		out_finish(pc.o);
	return rc;
}

const struct cmd_entry cmd_pauses_entry = {
	.name = "pauses",
	.usage = "[options]",
	.summary = "stop-the-world pauses per phase and cycle",
	.options = (const struct option_spec[]){
		OPTION_CUSTOM("over", 0, "DUR",
		    "threshold, e.g. 100us, 1ms (100us)", &pauses_opt_over_us,
		    cmd_parse_over),
		OPTION_CUSTOM("phase", 0, "P",
		    "over and --top by sweep, mark or any (any)",
		    &pauses_opt_phase, pauses_option_phase),
		OPTION_INT("top", 0, "N", "list the N worst cycles (5)",
		    &pauses_opt_top, 0, 1000000, "a number"),
		OPTION_FLAG("list", 0, "every cycle instead of the summary",
		    &pauses_opt_list),
		CMD_OPTION_RUN,
		CMD_OPTION_SEGMENT,
		CMD_OPTION_FORMAT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ | CMD_RUN_SELECT,
	.exec = cmd_pauses
};
