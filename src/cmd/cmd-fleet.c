#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "fleet.h"
#include "units.h"
#include "banned.h"

/*
 * fleet: one row per run of the store, worst first, and --check to fail
 * when any is in trouble.  The figures and the criteria are fleet.c's
 * (over the analyses summary uses); this file parses and prints.
 */

static struct option_list fleet_opt_labels;
static double fleet_opt_since_s;
static enum fleet_sort fleet_opt_sort = FLEET_SORT_WORST;
static double fleet_opt_over_us = FLEET_OVER_US;
static double fleet_opt_max_gc_cpu = FLEET_MAX_GC_CPU * 100;
static double fleet_opt_max_saturated = FLEET_MAX_SATURATED * 100;
static int fleet_opt_check;

static int
fleet_parse_since(const char *arg, void *value, struct buf *err)
{
	double us;

	if (units_parse_duration_us(arg, &us) < 0 || !(us > 0) ||
	    !isfinite(us)) {
		buf_addf(err, "--since takes a duration above 0 with a unit "
		    "(s, m, min, h), not '%s'", arg);
		return -1;
	}
	*(double *)value = us / 1e6;
	return 0;
}

static int
fleet_parse_sort(const char *arg, void *value, struct buf *err)
{
	if (fleet_sort_parse(arg, value) < 0) {
		buf_addf(err, "--sort takes one of %s, not '%s'",
		    fleet_sort_keys, arg);
		return -1;
	}
	return 0;
}

/* A percentage from 0 to 100, as a number ("25", "12.5"). */
static int
fleet_parse_percent(const char *option, const char *arg, double *value,
    struct buf *err)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end != '\0' || !(v >= 0 && v <= 100)) {
		buf_addf(err, "--%s takes a percentage from 0 to 100, not "
		    "'%s'", option, arg);
		return -1;
	}
	*value = v;
	return 0;
}

static int
fleet_parse_max_gc_cpu(const char *arg, void *value, struct buf *err)
{
	return fleet_parse_percent("max-gc-cpu", arg, value, err);
}

static int
fleet_parse_max_saturated(const char *arg, void *value, struct buf *err)
{
	return fleet_parse_percent("max-saturated", arg, value, err);
}

static const char *const fleet_columns[] = {
	"run", "host", "name", "status", "started_at", "segments",
	"duration_s", "gc_cycles", "gc_cpu_pct", "max_pause_us", "p99_pause_us",
	"cycles_over", "heap_leak", "heap_slope_mib_per_min", "stacks_leak",
	"stacks_slope_mib_per_min", "saturated_pct", "trouble"
};

static void
fleet_out_leak(struct out *o, const struct fleet_leak *l)
{
	out_text(o, l->has_verdict ? leaks_verdict_name(l->verdict) : NULL);
	out_real_if(o, l->has_slope, l->slope_mib_per_min, 3);
}

static void
fleet_out_row(struct out *o, const struct fleet_row *r)
{
	struct buf trouble = BUF_INIT;
	int stw = r->stw_cycles > 0, k;

	/* Most severe first. */
	for (k = FLEET_PROBLEMS - 1; k >= 0; k--)
		if (r->problems & (1u << k))
			buf_addf(&trouble, "%s%s", trouble.len > 0 ? "," : "",
			    fleet_problem_name(k));
	out_int(o, r->run.id);
	out_text(o, r->host);
	out_text(o, r->run.name);
	out_text(o, r->run.status);
	out_text(o, r->run.started_at);
	out_int(o, (int64_t)r->segments);
	out_real_if(o, r->has_duration, r->duration_s, 3);
	out_int(o, r->cycles);
	out_real_if(o, r->has_gc_cpu, r->gc_cpu * 100, 2);
	out_int_if(o, stw, r->max_pause_us);
	out_real_if(o, stw, r->p99_pause_us, 1);
	out_int_if(o, stw, r->cycles_over);
	fleet_out_leak(o, &r->heap);
	fleet_out_leak(o, &r->stacks);
	out_real_if(o, r->has_saturated, r->saturated * 100, 2);
	out_text(o, trouble.len > 0 ? trouble.data : NULL);
	out_row_end(o);
	buf_free(&trouble);
}

static int
cmd_fleet(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct fleet_options opt;
	struct fleet_result res;
	struct buf err = BUF_INIT;
	struct out *o;
	size_t i, trouble = 0;
	int rc = EXIT_OK;

	(void)argc;
	(void)argv;
	fleet_options_init(&opt);
	opt.over_us = fleet_opt_over_us;
	opt.max_gc_cpu = fleet_opt_max_gc_cpu / 100;
	opt.max_saturated = fleet_opt_max_saturated / 100;
	opt.labels = fleet_opt_labels.items;
	opt.nlabels = (size_t)fleet_opt_labels.n;
	opt.since_s = fleet_opt_since_s;
	opt.now_s = (double)time(NULL);
	if (fleet_compute(ctx->store, &opt, &res, &err) < 0) {
		cmd_error("'%s': %s", ctx->db_path, buf_str(&err));
		rc = EXIT_STORE;
		goto out;
	}
	if (res.n == 0) {
		cmd_error("no run in '%s'%s", ctx->db_path,
		    opt.nlabels > 0 || opt.since_s > 0 ?
		    " matches --label and --since" : "");
		rc = EXIT_NO_DATA;
		goto out;
	}
	fleet_sort(&res, fleet_opt_sort);
	o = out_new(stdout, ctx->format);
	for (i = 0; i < sizeof fleet_columns / sizeof fleet_columns[0]; i++)
		out_column(o, fleet_columns[i]);
	for (i = 0; i < res.n; i++) {
		fleet_out_row(o, &res.rows[i]);
		if (res.rows[i].problems != 0)
			trouble++;
	}
	out_finish(o);
	if (fleet_opt_check && trouble > 0) {
		cmd_error("%zu of %zu runs in trouble", trouble, res.n);
		rc = EXIT_CHECK;
	}
out:
	fleet_result_free(&res);
	buf_free(&err);
	free(fleet_opt_labels.items);
	memset(&fleet_opt_labels, 0, sizeof fleet_opt_labels);
	return rc;
}

const struct cmd_entry cmd_fleet_entry = {
	.name = "fleet",
	.usage = "[options]",
	.summary = "one row per run, worst first: which runs are in trouble",
	.options = (const struct option_spec[]){
		OPTION_CUSTOM("label", 'l', "KEY=VAL",
		    "only runs with this label (repeatable: all must match)",
		    &fleet_opt_labels, cmd_parse_label),
		OPTION_CUSTOM("since", 0, "DUR",
		    "only runs started, ended or running within DUR of now",
		    &fleet_opt_since_s, fleet_parse_since),
		OPTION_CUSTOM("sort", 0, "KEY",
		    "worst (default), run, host, name, started, duration, "
		    "cycles, gc-cpu, max-pause, p99-pause, over, heap-slope, "
		    "stacks-slope or saturated", &fleet_opt_sort,
		    fleet_parse_sort),
		OPTION_CUSTOM("over", 0, "DUR",
		    "pause threshold, e.g. 100us, 1ms (100us)",
		    &fleet_opt_over_us, cmd_parse_over),
		OPTION_CUSTOM("max-gc-cpu", 0, "PCT",
		    "GC CPU above PCT percent is trouble (25)",
		    &fleet_opt_max_gc_cpu, fleet_parse_max_gc_cpu),
		OPTION_CUSTOM("max-saturated", 0, "PCT",
		    "saturated in more than PCT percent of the samples is "
		    "trouble (50)", &fleet_opt_max_saturated,
		    fleet_parse_max_saturated),
		OPTION_FLAG("check", 0,
		    "exit 1 when any run is in trouble", &fleet_opt_check),
		CMD_OPTION_FORMAT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ,
	.exec = cmd_fleet
};
