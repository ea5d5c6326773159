#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "plot.h"
#include "units.h"
#include "xalloc.h"
#include "banned.h"

/* The options, set by the table of cmd_plot_entry, and the kind. */
static const char *plot_opt_output;
static struct {
	int	width, height;
} plot_opt_size = { PLOT_WIDTH, PLOT_HEIGHT };
static int plot_opt_svg;
static int plot_opt_script;
static const char *plot_opt_gnuplot;
static double plot_opt_over_us = PLOT_OVER_US;
static enum plot_kind plot_opt_kind;

/* "1200x600": both from 100 to 20000 pixels. */
static int
plot_parse_size(const char *s, int *width, int *height)
{
	char *end;
	long w, h;

	w = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	s = end + 1;
	h = strtol(s, &end, 10);
	if (end == s || *end != '\0')
		return -1;
	if (w < 100 || w > 20000 || h < 100 || h > 20000)
		return -1;
	*width = (int)w;
	*height = (int)h;
	return 0;
}

/* FILE.png -> FILE.gp (also .svg); any other name gets .gp added. */
static char *
plot_script_path(const char *output)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(output);

	if (n > 4 && (strcmp(output + n - 4, ".png") == 0 ||
	    strcmp(output + n - 4, ".svg") == 0))
		n -= 4;
	buf_add(&b, output, n);
	buf_adds(&b, ".gp");
	return buf_detach(&b);
}

/* The run's name, or NULL; the caller frees it. */
static char *
plot_run_name(struct store *s, int64_t id, struct buf *err)
{
	struct store_run run;
	char *name = NULL;

	if (store_run_get(s, id, &run, err) == 0 && run.name != NULL)
		name = xstrdup(run.name);
	store_run_free(&run);
	return name;
}

/* 1 when run id has segment, 0 when not, -1 with err set. */
static int
plot_has_segment(struct store *s, int64_t id, int segment, struct buf *err)
{
	struct store_segment *segs = NULL;
	size_t n = 0;
	int rc;

	rc = store_segments(s, id, segment, &segs, &n, err);
	store_segments_free(segs, n);
	return rc < 0 ? -1 : n > 0;
}

static int
plot_option_size(const char *arg, void *value, struct buf *err)
{
	if (plot_parse_size(arg, &plot_opt_size.width,
	    &plot_opt_size.height) < 0) {
		buf_addf(err, "--size takes WIDTHxHEIGHT in pixels, each from "
		    "100 to 20000, not '%s'", arg);
		return -1;
	}
	return 0;
}

static int
cmd_plot_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	int kind;

	if (argc == 0)
		return cmd_usage_error(ctx->cmd, "which plot? heap, pauses, "
		    "pause-dist, sched or gc-cpu");
	kind = plot_kind_parse(argv[0]);
	if (kind < 0)
		return cmd_usage_error(ctx->cmd, "unknown plot '%s' (use heap, "
		    "pauses, pause-dist, sched or gc-cpu)", argv[0]);
	if (argc > 1)
		return cmd_usage_error(ctx->cmd, "unexpected argument '%s'",
		    argv[1]);
	plot_opt_kind = (enum plot_kind)kind;
	return EXIT_OK;
}

static int
cmd_plot(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct plot_request req;
	struct buf out = BUF_INIT, err = BUF_INIT, messages = BUF_INIT;
	const char *output = plot_opt_output, *gnuplot = plot_opt_gnuplot;
	char *name = NULL, *script_path = NULL;
	struct store *s = ctx->store;
	int64_t *ids = ctx->run_ids;
	int c, rc = EXIT_OK, n = ctx->nruns, i, script = plot_opt_script, has;

	memset(&req, 0, sizeof req);
	req.width = plot_opt_size.width;
	req.height = plot_opt_size.height;
	req.over_us = plot_opt_over_us;
	req.svg = plot_opt_svg;
	req.kind = plot_opt_kind;
	req.segment = ctx->segment;

	if (n > 1 && output != NULL) {
		rc = cmd_usage_error(ctx->cmd, "-o names one file, but --run "
		    "'%s' selects %d runs (leave -o out: each run gets its "
		    "own file)", ctx->run, n);
		goto out;
	}
	for (i = 0; i < n && rc == EXIT_OK; i++) {
		if (ctx->segment > 0) {
			has = plot_has_segment(s, ids[i], ctx->segment, &err);
			if (has <= 0) {
				if (has < 0)
					cmd_error("%s", buf_str(&err));
				else
					cmd_error("no segment %d in run %lld "
					    "of '%s'", ctx->segment,
					    (long long)ids[i], ctx->db_path);
				rc = EXIT_STORE;
				break;
			}
		}
		free(name);
		buf_reset(&err);
		name = plot_run_name(s, ids[i], &err);
		req.run_id = ids[i];
		req.run_name = name;
		buf_reset(&out);
		if (output != NULL)
			buf_adds(&out, output);
		else
			plot_default_output(&out, &req);
		req.output = out.data;
		free(script_path);
		script_path = script ? plot_script_path(req.output) : NULL;
		buf_reset(&messages);
		buf_reset(&err);
		c = plot_draw(s, &req, plot_program(gnuplot),
		    script_path, NULL, &messages, &err);
		if (c != 0) {
			rc = cmd_plot_failure(c, &err, &messages);
			break;
		}
		/* Success: gnuplot's warnings, then the files made. */
		if (messages.len > 0) {
			cmd_warn("gnuplot had something to say about '%s':",
			    req.output);
			cmd_plot_messages(&messages);
		}
		printf("%s\n", req.output);
		if (script_path != NULL)
			printf("%s\n", script_path);
	}
out:
	free(name);
	free(script_path);
	buf_free(&out);
	buf_free(&err);
	buf_free(&messages);
	return rc;
}

const struct cmd_entry cmd_plot_entry = {
	.name = "plot",
	.usage = "[options] KIND",
	.summary = "draw heap, pauses, pause-dist, sched or gc-cpu with "
	    "gnuplot",
	.options = (const struct option_spec[]){
		OPTION_NONEMPTY("output", 'o', "FILE",
		    "the image (tracestat-RUN-KIND.png)", &plot_opt_output,
		    "a file name"),
		OPTION_CUSTOM("size", 0, "WxH",
		    "image size in pixels (1200x600)", &plot_opt_size,
		    plot_option_size),
		OPTION_FLAG("svg", 0, "draw SVG instead of PNG", &plot_opt_svg),
		OPTION_FLAG("script", 0,
		    "also write the gnuplot script, FILE.gp",
		    &plot_opt_script),
		OPTION_CUSTOM("over", 0, "DUR",
		    "pauses: threshold, e.g. 100us, 1ms (100us)",
		    &plot_opt_over_us, cmd_parse_plot_over),
		CMD_OPTION_GNUPLOT(&plot_opt_gnuplot),
		CMD_OPTION_RUN,
		CMD_OPTION_SEGMENT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ | CMD_RUN_SELECT | CMD_OPERANDS,
	.check = cmd_plot_check,
	.exec = cmd_plot
};
