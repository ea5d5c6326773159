#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an-leaks.h"
#include "cmd.h"
#include "figures.h"
#include "units.h"
#include "xalloc.h"
#include "banned.h"

/* The options, set by the table of cmd_leaks_entry; 0 or NULL: not given. */
static const char *leaks_opt_warmup;
static double leaks_opt_min_rise_mib;
static double leaks_opt_limit_bytes;
static int leaks_opt_check;

struct leaks_state {
	struct leaks_options	 opt;
	struct out		*out;
	int			 wide;		/* csv and json: every column */
	int			 leaks;		/* segments called a leak */
	int			 check;		/* --check */
	struct buf		 unjudged;	/* --check: why, by line */
	int64_t			*runs_seen;	/* --check: runs seen */
	size_t			 nruns_seen, runs_seen_cap;
};

/* Columns of csv and json; a table shows those marked 1, and those marked
 * 2 when --limit is given. */
static const struct {
	const char	*name;
	int		 in_table;
} leaks_columns[] = {
	{ "run", 1 }, { "name", 0 }, { "segment", 1 }, { "series", 1 },
	{ "verdict", 1 },
	{ "reason", 1 }, { "slope_mib_per_min", 1 },
	{ "slope_bytes_per_s", 0 }, { "intercept_mib", 0 },
	{ "confidence", 1 }, { "p_value", 0 }, { "rise_mib", 1 },
	{ "threshold_mib", 0 }, { "detectable_mib_per_min", 0 },
	{ "warmup_s", 0 }, { "window_start_s", 1 },
	{ "window_end_s", 1 }, { "windows", 0 }, { "cycles_used", 0 },
	{ "cycles_excluded", 0 }, { "floor_end_mib", 0 },
	{ "last_live_mib", 0 }, { "limit_bytes", 0 },
	{ "time_to_limit_s", 2 }, { "method", 0 },
};

static int
leaks_parse_warmup(const char *arg, struct leaks_options *opt)
{
	size_t len = strlen(arg);
	double v, us;
	char *end;

	if (strcmp(arg, "auto") == 0) {
		opt->warmup = LEAKS_WARMUP_AUTO;
		return 0;
	}
	if (strcmp(arg, "0") == 0) {
		opt->warmup = LEAKS_WARMUP_SECONDS;
		opt->warmup_value = 0;
		return 0;
	}
	if (len > 1 && arg[len - 1] == '%') {
		v = strtod(arg, &end);
		if (end != arg + len - 1 || !(v >= 0 && v < 100))
			return -1;
		opt->warmup = LEAKS_WARMUP_PERCENT;
		opt->warmup_value = v;
		return 0;
	}
	if (units_parse_duration_us(arg, &us) < 0 || !(us >= 0) ||
	    !isfinite(us))
		return -1;
	opt->warmup = LEAKS_WARMUP_SECONDS;
	opt->warmup_value = us / 1e6;
	return 0;
}

/* --check: an inconclusive segment is never a pass; say why. */
static void
leaks_check_segment(struct leaks_state *state, const struct segment_ref *ref,
    const struct leaks_result *r)
{
	if (state->nruns_seen == 0 ||
	    state->runs_seen[state->nruns_seen - 1] != ref->run_id) {
		state->runs_seen = xgrow(state->runs_seen,
		    &state->runs_seen_cap, state->nruns_seen + 1,
		    sizeof *state->runs_seen);
		state->runs_seen[state->nruns_seen++] = ref->run_id;
	}
	if (r->verdict != LEAKS_INCONCLUSIVE)
		return;
	if (r->cycles_total == 0) {
		/* One line for the segment, not one per series. */
		if (r->series == LEAKS_SERIES_HEAP)
			buf_addf(&state->unjudged, "run %lld segment %d: no gc "
			    "cycles to judge (was GODEBUG=gctrace=1 set for "
			    "the program?)", (long long)ref->run_id,
			    ref->segment);
		else
			return;
	} else if (r->series == LEAKS_SERIES_STACKS && r->no_data) {
		/* Go before 1.18 prints no stacks: nothing to judge there,
		 * and nothing missing either. */
		return;
	} else {
		buf_addf(&state->unjudged, "run %lld segment %d %s: "
		    "inconclusive with %d gc cycles (%s): not judged, not a "
		    "pass", (long long)ref->run_id, ref->segment,
		    leaks_series_name(r->series), r->cycles_total, r->reason);
	}
	buf_addc(&state->unjudged, '\n');
}

/*
 * --check: runs with no segment at all (no trace line was stored).  The
 * runs seen came in the order of cmd_find_runs, so one walk finds them.
 */
static void
leaks_check_runs(struct cmd_ctx *ctx, struct store *s,
    struct leaks_state *state)
{
	int64_t *ids = NULL;
	int n, i;
	size_t k = 0;

	if (ctx->segment > 0 || cmd_find_runs(ctx, s, &ids, &n) != EXIT_OK)
		return;
	for (i = 0; i < n; i++) {
		if (k < state->nruns_seen && state->runs_seen[k] == ids[i])
			k++;
		else
			buf_addf(&state->unjudged, "run %lld: no data to judge "
			    "(was GODEBUG=gctrace=1 set for the program?)\n",
			    (long long)ids[i]);
	}
	free(ids);
}


/* One row: one series of one segment. */
static void
leaks_row(const struct segment_ref *ref, struct leaks_state *state,
    const struct leaks_result *result)
{
	const struct leaks_result r = *result;
	struct out *o = state->out;
	int fit, w = state->wide;

	fit = r.has_fit;
	if (r.verdict == LEAKS_LEAK)
		state->leaks++;
	if (state->check)
		leaks_check_segment(state, ref, &r);

	out_int(o, ref->run_id);
	if (w)
		out_text(o, ref->run_name);
	out_int(o, ref->segment);
	out_text(o, leaks_series_name(r.series));
	out_text(o, leaks_verdict_name(r.verdict));
	out_text(o, r.reason);
	out_real_if(o, fit, figures_slope_per_minute(r.slope_mib_per_s), 3);
	if (w) {
		out_real_if(o, fit, r.slope_mib_per_s * 1048576.0, 0);
		out_real_if(o, fit, r.intercept_mib, 3);
	}
	out_real(o, r.confidence, 3);
	if (w)
		out_real_if(o, fit, r.p_value, 6);
	out_real_if(o, fit, r.rise_mib, 1);
	if (w) {
		out_real_if(o, fit, r.threshold_mib, 1);
		out_real_if(o, fit,
		    figures_slope_per_minute(r.detectable_mib_per_s), 3);
		out_real_if(o, r.has_window, r.warmup_s, 3);
	}
	out_real_if(o, r.has_window, r.window_start_s, 3);
	out_real_if(o, r.has_window, r.window_end_s, 3);
	if (w) {
		out_int(o, (int64_t)r.n_floors);
		out_int(o, r.cycles_used);
		out_int(o, r.cycles_excluded);
		out_real_if(o, fit, r.floor_end_mib, 3);
		out_real_if(o, r.has_window, r.last_live_mib, 0);
		out_real_if(o, state->opt.limit_bytes > 0,
		    state->opt.limit_bytes, 0);
	}
	if (w || state->opt.limit_bytes > 0)
		out_real_if(o, r.has_time_to_limit, r.time_to_limit_s,
		    0);
	if (w)
		out_text(o, leaks_method_name(r.method));
	out_row_end(o);
}

/* The rows of one segment: the live heap, then the stacks. */
static int
leaks_segment(struct cmd_ctx *ctx, struct store *s,
    const struct segment_ref *ref, void *arg)
{
	struct leaks_state *state = arg;
	struct leaks_result r[LEAKS_SERIES_COUNT];
	struct buf err = BUF_INIT;
	int k;

	if (leaks_analyse_all(s, ref->run_id, ref->segment,
	    &state->opt, r, &err) < 0) {
		cmd_error("'%s': %s", ctx->db_path, buf_str(&err));
		buf_free(&err);
		return EXIT_STORE;
	}
	buf_free(&err);
	for (k = 0; k < LEAKS_SERIES_COUNT; k++) {
		leaks_row(ref, state, &r[k]);
		leaks_result_free(&r[k]);
	}
	return EXIT_OK;
}

/* --warmup: checked here, applied by cmd_leaks. */
static int
leaks_option_warmup(const char *arg, void *value, struct buf *err)
{
	struct leaks_options scratch;

	if (leaks_parse_warmup(arg, &scratch) < 0) {
		buf_addf(err, "--warmup takes auto, a duration such as 30s or "
		    "a percentage such as 20%%, not '%s'", arg);
		return -1;
	}
	*(const char **)value = arg;
	return 0;
}

/* A size above 0 in bytes, or -1 with the message of --NAME. */
static double
leaks_option_size(const char *name, const char *example, const char *arg,
    struct buf *err)
{
	double bytes;

	if (units_parse_size_bytes(arg, &bytes) < 0 || !(bytes > 0) ||
	    !isfinite(bytes)) {
		buf_addf(err, "--%s takes a size such as %s, not '%s'", name,
		    example, arg);
		return -1;
	}
	return bytes;
}

static int
leaks_option_min_rise(const char *arg, void *value, struct buf *err)
{
	double bytes = leaks_option_size("min-rise", "8MiB", arg, err);

	if (bytes < 0)
		return -1;
	*(double *)value = bytes / 1048576.0;
	return 0;
}

static int
leaks_option_limit(const char *arg, void *value, struct buf *err)
{
	double bytes = leaks_option_size("limit", "2GiB", arg, err);

	if (bytes < 0)
		return -1;
	*(double *)value = bytes;
	return 0;
}

static int
cmd_leaks(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct leaks_state state;
	struct store *s = ctx->store;
	size_t k;
	const char *line, *nl;
	int rc;

	memset(&state, 0, sizeof state);
	leaks_options_init(&state.opt);
	if (leaks_opt_warmup != NULL)
		leaks_parse_warmup(leaks_opt_warmup, &state.opt);
	if (leaks_opt_min_rise_mib > 0)
		state.opt.min_rise_mib = leaks_opt_min_rise_mib;
	state.opt.limit_bytes = leaks_opt_limit_bytes;
	state.check = leaks_opt_check;
	state.wide = ctx->format != OUT_TABLE;
	state.out = out_new(stdout, ctx->format);
	for (k = 0; k < sizeof leaks_columns / sizeof leaks_columns[0]; k++)
		if (state.wide || leaks_columns[k].in_table == 1 ||
		    (leaks_columns[k].in_table == 2 &&
		    state.opt.limit_bytes > 0))
			out_column(state.out, leaks_columns[k].name);
	rc = cmd_for_each_segment(ctx, s, leaks_segment, &state);
	out_finish(state.out);
	if (rc == EXIT_OK && state.check)
		leaks_check_runs(ctx, s, &state);
	for (line = buf_str(&state.unjudged); rc == EXIT_OK && *line != '\0';
	    line = nl + 1) {
		nl = strchr(line, '\n');
		cmd_error("%.*s", (int)(nl - line), line);
	}
	/* A leak found is the stronger news; then nothing judged. */
	if (rc == EXIT_OK && state.check && state.leaks > 0)
		rc = EXIT_CHECK;
	else if (rc == EXIT_OK && state.check && state.unjudged.len > 0)
		rc = EXIT_NO_DATA;
	buf_free(&state.unjudged);
	free(state.runs_seen);
	return rc;
}

const struct cmd_entry cmd_leaks_entry = {
	.name = "leaks",
	.usage = "[options]",
	.summary = "leaks of the live heap or of goroutine stacks",
	.options = (const struct option_spec[]){
		OPTION_CUSTOM("warmup", 0, "W",
		    "auto (default), a duration (30s) or 20%",
		    &leaks_opt_warmup, leaks_option_warmup),
		OPTION_CUSTOM("min-rise", 0, "SIZE",
		    "least rise called a leak (4MiB)", &leaks_opt_min_rise_mib,
		    leaks_option_min_rise),
		OPTION_CUSTOM("limit", 0, "SIZE",
		    "time until the live heap reaches SIZE",
		    &leaks_opt_limit_bytes, leaks_option_limit),
		OPTION_FLAG("check", 0,
		    "exit 1 on a leak, 7 if nothing to judge",
		    &leaks_opt_check),
		CMD_OPTION_RUN,
		CMD_OPTION_SEGMENT,
		CMD_OPTION_FORMAT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ | CMD_RUN_SELECT,
	.exec = cmd_leaks
};
