#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "plot.h"
#include "units.h"
#include "xalloc.h"
#include "banned.h"

enum {
	OPT_SIZE = OPT_COMMON_END,
	OPT_SCRIPT,
	OPT_SVG,
	OPT_GNUPLOT,
	OPT_OVER
};

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

int
cmd_plot(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		CMD_COMMON_OPTIONS,
		CMD_RUN_OPTIONS,
		{ "output", required_argument, NULL, 'o' },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "script", no_argument, NULL, OPT_SCRIPT },
		{ "svg", no_argument, NULL, OPT_SVG },
		{ "gnuplot", required_argument, NULL, OPT_GNUPLOT },
		{ "over", required_argument, NULL, OPT_OVER },
		{ NULL, 0, NULL, 0 }
	};
	struct plot_request req;
	struct buf out = BUF_INIT, err = BUF_INIT, messages = BUF_INIT;
	const char *output = NULL, *gnuplot = NULL;
	char *name = NULL, *script_path = NULL;
	struct store *s = NULL;
	int64_t *ids = NULL;
	int c, rc, n, i, kind, script = 0, has;

	memset(&req, 0, sizeof req);
	req.width = PLOT_WIDTH;
	req.height = PLOT_HEIGHT;
	req.over_us = PLOT_OVER_US;
	while ((c = getopt_long(argc, argv, ":ho:", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (*optarg == '\0')
				return cmd_usage_error(ctx->cmd, "-o takes a "
				    "file name");
			output = optarg;
			continue;
		case OPT_SIZE:
			if (plot_parse_size(optarg, &req.width,
			    &req.height) < 0)
				return cmd_usage_error(ctx->cmd, "--size takes "
				    "WIDTHxHEIGHT in pixels, each from 100 to "
				    "20000, not '%s'", optarg);
			continue;
		case OPT_SCRIPT:
			script = 1;
			continue;
		case OPT_SVG:
			req.svg = 1;
			continue;
		case OPT_GNUPLOT:
			if (*optarg == '\0')
				return cmd_usage_error(ctx->cmd, "--gnuplot "
				    "takes a program");
			gnuplot = optarg;
			continue;
		case OPT_OVER:
			if (cmd_over_option(ctx, optarg, &req.over_us) != 0)
				return EXIT_USAGE;
			if (req.over_us <= 0)
				return cmd_usage_error(ctx->cmd, "--over must "
				    "be above 0: the pause axis is logarithmic");
			continue;
		}
		rc = cmd_common_option(ctx, c, optarg, argv);
		if (rc <= 0)
			return rc == 0 ? EXIT_OK : EXIT_USAGE;
	}
	if (optind >= argc)
		return cmd_usage_error(ctx->cmd, "which plot? heap, pauses, "
		    "sched or gc-cpu");
	kind = plot_kind_parse(argv[optind]);
	if (kind < 0)
		return cmd_usage_error(ctx->cmd, "unknown plot '%s' (use heap, "
		    "pauses, sched or gc-cpu)", argv[optind]);
	if (optind + 1 != argc)
		return cmd_usage_error(ctx->cmd, "unexpected argument '%s'",
		    argv[optind + 1]);
	req.kind = (enum plot_kind)kind;
	req.segment = ctx->segment;

	s = cmd_open_store(ctx, 0);
	if (s == NULL)
		return EXIT_STORE;
	rc = cmd_find_runs(ctx, s, &ids, &n);
	if (rc != EXIT_OK)
		goto out;
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
	free(ids);
	buf_free(&out);
	buf_free(&err);
	buf_free(&messages);
	store_close(s);
	return rc;
}
