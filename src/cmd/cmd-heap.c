#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an-heap.h"
#include "cmd.h"
#include "banned.h"

/* The options, set by the table of cmd_heap_entry. */
static int heap_opt_buckets = 10;
static int heap_opt_by_bucket;

struct heap_cmd {
	struct heap_options	 opt;
	int			 by_bucket;
	struct out		*o;	/* csv/json rows, and --by-bucket */
	int			 blocks;	/* table blocks printed */
};

static const char *const heap_summary_names[] = { "run", "name", "segment",
    "cycles", "skipped_cycles", "forced_cycles", "first_s", "last_s",
    "duration_s", "first_live_mib", "last_live_mib", "min_live_mib",
    "mean_live_mib", "peak_live_mib", "peak_live_gc_num", "peak_live_t_s",
    "peak_start_mib", "peak_start_gc_num", "peak_start_t_s",
    "peak_goal_mib", "max_stacks_mib", "max_globals_mib", "growth_mib",
    "growth_mib_per_min", "fastest_from_s", "fastest_to_s",
    "fastest_growth_mib", "fastest_growth_mib_per_min",
    "overshoot_cycles", "overshoot_share", "overshoot_max_mib",
    "overshoot_max_pct", "alloc_pairs", "alloc_skipped_pairs", "alloc_mib",
    "alloc_rate_mean_mib_per_s", "alloc_rate_p50_mib_per_s",
    "alloc_rate_p99_mib_per_s", "alloc_rate_max_mib_per_s" };

static const char *const heap_bucket_names[] = { "run", "segment", "bucket",
    "start_s", "end_s", "cycles", "live_min_mib", "live_mean_mib",
    "live_max_mib", "start_min_mib", "start_mean_mib", "start_max_mib",
    "goal_min_mib", "goal_mean_mib", "goal_max_mib", "stacks_max_mib",
    "globals_max_mib" };

static void
heap_row(struct heap_cmd *hc, const struct segment_ref *ref,
    const struct heap_result *r)
{
	struct out *o = hc->o;
	int c = r->cycles > 0;

	out_int(o, ref->run_id);
	out_text(o, ref->run_name);
	out_int(o, ref->segment);
	out_int(o, r->cycles);
	out_int(o, r->skipped);
	out_int(o, r->forced);
	out_real_if(o, c, r->first_s, 3);
	out_real_if(o, c, r->last_s, 3);
	out_real_if(o, c, r->duration_s, 3);
	out_int_if(o, (c) && r->first_live_mib >= 0, r->first_live_mib);
	out_int_if(o, (c) && r->last_live_mib >= 0, r->last_live_mib);
	out_int_if(o, (c) && r->min_live_mib >= 0, r->min_live_mib);
	out_real_if(o, c, r->mean_live_mib, 3);
	out_int_if(o, (c) && r->peak_live.mib >= 0, r->peak_live.mib);
	out_int_if(o, (c) && r->peak_live.gc_num >= 0, r->peak_live.gc_num);
	out_real_if(o, c, r->peak_live.t_s, 3);
	out_int_if(o, (c) && r->peak_start.mib >= 0, r->peak_start.mib);
	out_int_if(o, (c) && r->peak_start.gc_num >= 0, r->peak_start.gc_num);
	out_real_if(o, c, r->peak_start.t_s, 3);
	out_int_if(o, (c) && r->peak_goal.mib >= 0, r->peak_goal.mib);
	out_int_if(o, (c) && r->max_stacks_mib >= 0, r->max_stacks_mib);
	out_int_if(o, (c) && r->max_globals_mib >= 0, r->max_globals_mib);
	if (c)
		out_int(o, r->growth_mib);
	else
		out_null(o);
	out_real_if(o, r->has_growth_rate, r->growth_mib_per_min, 3);
	out_real_if(o, r->has_fastest, r->fastest_from_s, 3);
	out_real_if(o, r->has_fastest, r->fastest_to_s, 3);
	out_real_if(o, r->has_fastest, r->fastest_growth_mib, 3);
	out_real_if(o, r->has_fastest, r->fastest_growth_mib_per_min, 3);
	out_int(o, r->overshoot_cycles);
	out_real_if(o, c, r->overshoot_share, 6);
	out_int_if(o, (c) && r->overshoot_max_mib >= 0, r->overshoot_max_mib);
	out_real_if(o, c, r->overshoot_max_pct, 3);
	out_int(o, r->alloc_pairs);
	out_int(o, r->alloc_skipped_pairs);
	out_int(o, r->alloc_mib);
	out_real_if(o, r->has_alloc, r->alloc_rate_mean_mib_per_s, 3);
	out_real_if(o, r->has_alloc, r->alloc_rate_p50_mib_per_s, 3);
	out_real_if(o, r->has_alloc, r->alloc_rate_p99_mib_per_s, 3);
	out_real_if(o, r->has_alloc, r->alloc_rate_max_mib_per_s, 3);
	out_row_end(o);
}

/* Bucket rows; with ref, the run and segment columns first. */
static void
heap_buckets(struct out *o, const struct segment_ref *ref,
    const struct heap_result *r)
{
	const struct heap_bucket *b;
	size_t i;
	int c;

	for (i = 0; i < r->nbuckets; i++) {
		b = &r->buckets[i];
		c = b->cycles > 0;
		if (ref != NULL) {
			out_int(o, ref->run_id);
			out_int(o, ref->segment);
		}
		out_int(o, (int64_t)i + 1);
		out_real(o, b->start_s, 3);
		out_real(o, b->end_s, 3);
		out_int(o, b->cycles);
		out_int_if(o, (c) && b->live.min_mib >= 0, b->live.min_mib);
		out_real_if(o, c, b->live.mean_mib, 1);
		out_int_if(o, (c) && b->live.max_mib >= 0, b->live.max_mib);
		out_int_if(o, (c) && b->start.min_mib >= 0, b->start.min_mib);
		out_real_if(o, c, b->start.mean_mib, 1);
		out_int_if(o, (c) && b->start.max_mib >= 0, b->start.max_mib);
		out_int_if(o, (c) && b->goal.min_mib >= 0, b->goal.min_mib);
		out_real_if(o, c, b->goal.mean_mib, 1);
		out_int_if(o, (c) && b->goal.max_mib >= 0, b->goal.max_mib);
		out_int_if(o, (c) && b->stacks_max_mib >= 0, b->stacks_max_mib);
		out_int_if(o, (c) && b->globals_max_mib >= 0, b->globals_max_mib);
		out_row_end(o);
	}
}

/* "min/mean/max" in one cell of the table block. */
static void
heap_range_text(struct out *o, int64_t cycles, const struct heap_range *r)
{
	char text[96];

	if (cycles == 0) {
		out_null(o);
		return;
	}
	snprintf(text, sizeof text, "%lld/%.1f/%lld", (long long)r->min_mib,
	    r->mean_mib, (long long)r->max_mib);
	out_text(o, text);
}

/* The readable block of --format table. */
static void
heap_block(struct heap_cmd *hc, const struct segment_ref *ref,
    const struct heap_result *r)
{
	static const char *const names[] = { "bucket", "start_s", "end_s",
	    "cycles", "live_mib min/mean/max", "start_mib min/mean/max",
	    "goal_mib min/mean/max", "stacks_max_mib", "globals_max_mib" };
	const struct heap_bucket *b;
	struct out *o;
	size_t k;

	if (hc->blocks++ > 0)
		putchar('\n');
	printf("run %lld%s%s%s, segment %d: %lld cycles", (long long)
	    ref->run_id, ref->run_name ? " (" : "",
	    ref->run_name ? ref->run_name : "", ref->run_name ? ")" : "",
	    ref->segment, (long long)r->cycles);
	if (r->forced > 0)
		printf(" (%lld forced)", (long long)r->forced);
	if (r->skipped > 0)
		printf(", %lld skipped (missing values)",
		    (long long)r->skipped);
	if (r->cycles == 0) {
		printf("\nno gc cycles with heap sizes\n");
		return;
	}
	printf(", %.3f s to %.3f s (%.3f s)\n", r->first_s, r->last_s,
	    r->duration_s);
	printf("live heap:      first %lld MiB, last %lld MiB, min %lld MiB, "
	    "mean %.1f MiB\n", (long long)r->first_live_mib,
	    (long long)r->last_live_mib, (long long)r->min_live_mib,
	    r->mean_live_mib);
	printf("peak live:      %lld MiB at %.3f s (gc %lld)\n",
	    (long long)r->peak_live.mib, r->peak_live.t_s,
	    (long long)r->peak_live.gc_num);
	printf("peak at start:  %lld MiB at %.3f s (gc %lld)\n",
	    (long long)r->peak_start.mib, r->peak_start.t_s,
	    (long long)r->peak_start.gc_num);
	printf("peak goal:      %lld MiB at %.3f s (gc %lld)\n",
	    (long long)r->peak_goal.mib, r->peak_goal.t_s,
	    (long long)r->peak_goal.gc_num);
	if (r->max_stacks_mib >= 0 || r->max_globals_mib >= 0)
		printf("stacks/globals: max %lld MiB / %lld MiB\n",
		    (long long)r->max_stacks_mib,
		    (long long)r->max_globals_mib);
	printf("growth (live):  %+lld MiB", (long long)r->growth_mib);
	if (r->has_growth_rate)
		printf(" (%+.2f MiB/min)", r->growth_mib_per_min);
	printf("\n");
	if (r->has_fastest)
		printf("fastest growth: %+.2f MiB/min from %.3f s to %.3f s "
		    "(bucket means %+.1f MiB)\n",
		    r->fastest_growth_mib_per_min, r->fastest_from_s,
		    r->fastest_to_s, r->fastest_growth_mib);
	printf("over goal:      %lld of %lld cycles (%.2f%%)",
	    (long long)r->overshoot_cycles, (long long)r->cycles,
	    100.0 * r->overshoot_share);
	if (r->overshoot_cycles > 0)
		printf(", max %lld MiB (%.1f%%)",
		    (long long)r->overshoot_max_mib, r->overshoot_max_pct);
	printf("\n");
	if (r->has_alloc)
		printf("allocation:     mean %.1f MiB/s, p50 %.1f, p99 %.1f, "
		    "max %.1f MiB/s over %lld intervals",
		    r->alloc_rate_mean_mib_per_s,
		    r->alloc_rate_p50_mib_per_s,
		    r->alloc_rate_p99_mib_per_s,
		    r->alloc_rate_max_mib_per_s, (long long)r->alloc_pairs);
	else
		printf("allocation:     no interval between consecutive "
		    "cycles");
	if (r->alloc_skipped_pairs > 0)
		printf(" (%lld skipped)", (long long)r->alloc_skipped_pairs);
	printf("\n\n");
	o = out_new(stdout, OUT_TABLE);
	for (k = 0; k < sizeof names / sizeof names[0]; k++)
		out_column(o, names[k]);
	for (k = 0; k < r->nbuckets; k++) {
		b = &r->buckets[k];
		out_int(o, (int64_t)k + 1);
		out_real(o, b->start_s, 3);
		out_real(o, b->end_s, 3);
		out_int(o, b->cycles);
		heap_range_text(o, b->cycles, &b->live);
		heap_range_text(o, b->cycles, &b->start);
		heap_range_text(o, b->cycles, &b->goal);
		out_int_if(o, (b->cycles > 0) && b->stacks_max_mib >= 0, b->stacks_max_mib);
		out_int_if(o, (b->cycles > 0) && b->globals_max_mib >= 0, b->globals_max_mib);
		out_row_end(o);
	}
	out_finish(o);
}

/* Rows start at the first segment, so an error leaves stdout empty. */
static void
heap_open_out(struct heap_cmd *hc, const struct cmd_ctx *ctx)
{
	size_t k;

	if (hc->o != NULL || (!hc->by_bucket && ctx->format == OUT_TABLE))
		return;
	hc->o = out_new(stdout, ctx->format);
	if (hc->by_bucket)
		for (k = 0; k < sizeof heap_bucket_names /
		    sizeof heap_bucket_names[0]; k++)
			out_column(hc->o, heap_bucket_names[k]);
	else
		for (k = 0; k < sizeof heap_summary_names /
		    sizeof heap_summary_names[0]; k++)
			out_column(hc->o, heap_summary_names[k]);
}

static int
heap_segment(struct cmd_ctx *ctx, struct store *s,
    const struct segment_ref *ref, void *arg)
{
	struct heap_cmd *hc = arg;
	struct heap_result r;
	struct buf err = BUF_INIT;

	if (heap_compute(s, ref->run_id, ref->segment, &hc->opt,
	    &r, &err) < 0) {
		cmd_error("'%s': %s", ctx->db_path, buf_str(&err));
		buf_free(&err);
		heap_result_free(&r);
		return EXIT_STORE;
	}
	heap_open_out(hc, ctx);
	if (hc->by_bucket)
		heap_buckets(hc->o, ref, &r);
	else if (hc->o != NULL)
		heap_row(hc, ref, &r);
	else
		heap_block(hc, ref, &r);
	heap_result_free(&r);
	return EXIT_OK;
}

static int
cmd_heap(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct heap_cmd hc;
	struct store *s = ctx->store;
	int rc;

	memset(&hc, 0, sizeof hc);
	hc.opt.buckets = heap_opt_buckets;
	hc.by_bucket = heap_opt_by_bucket;
	rc = cmd_for_each_segment(ctx, s, heap_segment, &hc);
	if (rc == EXIT_OK)
		heap_open_out(&hc, ctx);
	if (hc.o != NULL)
		out_finish(hc.o);
	return rc;
}

const struct cmd_entry cmd_heap_entry = {
	.name = "heap",
	.usage = "[options]",
	.summary = "heap growth, goal overshoot and allocation rate",
	.options = (const struct option_spec[]){
		OPTION_INT("buckets", 0, "N", "N equal time buckets (10)",
		    &heap_opt_buckets, 1, HEAP_MAX_BUCKETS, "a number"),
		OPTION_FLAG("by-bucket", 0,
		    "one row per bucket instead of the summary",
		    &heap_opt_by_bucket),
		CMD_OPTION_RUN,
		CMD_OPTION_SEGMENT,
		CMD_OPTION_FORMAT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ | CMD_RUN_SELECT,
	.exec = cmd_heap
};
