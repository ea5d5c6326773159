#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "plot.h"
#include "units.h"
#include "banned.h"

/*
 * The commands, in the order tracestat --help lists them: NAME stands for
 * cmd_NAME_entry of src/cmd-NAME.c.  A new command is its file and its
 * line here.
 */
#define CMD_TABLE(X) \
	X(ingest) \
	X(runs) \
	X(summary) \
	X(query) \
	X(leaks) \
	X(pauses) \
	X(heap) \
	X(sched) \
	X(plot) \
	X(report) \
	X(run) \
	X(fleet) \
	X(help)

#define CMD_DECLARE(name) extern const struct cmd_entry cmd_##name##_entry;
#define CMD_POINTER(name) &cmd_##name##_entry,
CMD_TABLE(CMD_DECLARE)

const struct cmd_entry *const cmd_table[] = {
	CMD_TABLE(CMD_POINTER)
	NULL
};

const struct option_spec cmd_global_options[] = {
	OPTION_STRING_AT("db", 0, "FILE",
	    "the store (default $TRACESTAT_DB or ./tracestat.db)",
	    offsetof(struct cmd_ctx, db_path)),
	CMD_OPTION_GRAMMARS,
	OPTION_STOP("version", 'V', "show the version"),
	OPTION_END
};

void
cmd_usage(FILE *fp)
{
	const struct cmd_entry *const *c;
	struct buf options = BUF_INIT;

	fprintf(fp, "usage: tracestat [--db FILE] [--grammars DIR] COMMAND "
	    "[options] [args]\n\n"
	    "Store Go runtime gc and scheduler traces (GODEBUG=gctrace=1,"
	    "schedtrace=N)\nin SQLite and answer questions about them.\n\n"
	    "commands:\n");
	for (c = cmd_table; *c != NULL; c++)
		fprintf(fp, "  %-10s %s\n", (*c)->name, (*c)->summary);
	options_help(cmd_global_options, &options);
	fprintf(fp, "\noptions:\n%s\n"
	    "Run 'tracestat COMMAND --help' for a command's options; see "
	    "tracestat(1).\n", buf_str(&options));
	buf_free(&options);
}

const struct cmd_entry *
cmd_find(const char *name)
{
	const struct cmd_entry *const *c;

	for (c = cmd_table; *c != NULL; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

static void
vmessage(const char *level, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "tracestat: %s", level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cmd_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
}

void
cmd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

int
cmd_usage_error(const struct cmd_entry *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
	if (c != NULL)
		fprintf(stderr, "try 'tracestat %s --help'\n", c->name);
	else
		fprintf(stderr, "try 'tracestat --help'\n");
	return EXIT_USAGE;
}

void
cmd_help(const struct cmd_entry *c)
{
	struct buf options = BUF_INIT;

	options_help(c->options, &options);
	printf("usage: tracestat %s %s\n\n%s.\n\noptions:\n%s\n"
	    "See tracestat-%s(1).\n", c->name, c->usage, c->summary,
	    buf_str(&options), c->name);
	buf_free(&options);
}

int
cmd_parse(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc,
    char **argv, int *noperands)
{
	struct buf err = BUF_INIT;
	int rc;

	rc = options_parse(e->options, ctx, argc, argv,
	    e->flags & CMD_OPERANDS_END_OPTIONS ? OPTIONS_STOP_AT_OPERAND : 0,
	    noperands, &err);
	if (rc == OPTIONS_ERROR)
		cmd_usage_error(ctx->cmd, "%s", buf_str(&err));
	buf_free(&err);
	if (rc == OPTIONS_HELP) {
		cmd_help(e);
		return EXIT_OK;
	}
	if (rc != OPTIONS_OK)
		return EXIT_USAGE;
	if (!(e->flags & CMD_OPERANDS) && *noperands > 0)
		return cmd_usage_error(ctx->cmd, "unexpected argument '%s'",
		    argv[1]);
	if (e->check != NULL && (rc = e->check(ctx, *noperands,
	    argv + 1)) != EXIT_OK)
		return rc;
	return -1;
}

int
cmd_setup(struct cmd_ctx *ctx)
{
	int flags = ctx->cmd->flags;
	char *dir;
	int rc;

	if (flags & CMD_GRAMMARS) {
		dir = grammar_find_dir(ctx->grammar_dir, &ctx->grammar_error);
		if (dir == NULL || grammar_load_dir(&ctx->grammar, dir,
		    &ctx->grammar_error) < 0) {
			grammar_free(&ctx->grammar);
			if (ctx->grammar_error.len == 0)
				buf_adds(&ctx->grammar_error, "cannot load "
				    "the grammars");
		}
		free(dir);
		if (ctx->grammar_error.len > 0 &&
		    !(flags & CMD_GRAMMARS_GENTLY)) {
			cmd_error("%s", buf_str(&ctx->grammar_error));
			return EXIT_GRAMMAR;
		}
	}
	if (flags & (CMD_STORE_READ | CMD_STORE_WRITE | CMD_RUN_SELECT)) {
		ctx->store = cmd_open_store(ctx, (flags & CMD_STORE_WRITE) !=
		    0);
		if (ctx->store == NULL)
			return EXIT_STORE;
	}
	if (flags & CMD_RUN_SELECT) {
		rc = cmd_find_runs(ctx, ctx->store, &ctx->run_ids,
		    &ctx->nruns);
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}

void
cmd_teardown(struct cmd_ctx *ctx)
{
	free(ctx->run_ids);
	ctx->run_ids = NULL;
	ctx->nruns = 0;
	store_close(ctx->store);
	ctx->store = NULL;
	grammar_free(&ctx->grammar);
	buf_free(&ctx->grammar_error);
}

int
cmd_parse_format(const char *arg, void *value, struct buf *err)
{
	if (out_parse_format(arg, value) < 0) {
		buf_addf(err, "unknown format '%s' (use table, csv or json)",
		    arg);
		return -1;
	}
	return 0;
}

int
cmd_parse_over(const char *arg, void *value, struct buf *err)
{
	double *us = value;

	if (units_parse_duration_us(arg, us) < 0 || !(*us >= 0)) {
		buf_addf(err, "--over takes a duration with a unit (ns, us, "
		    "ms, s), not '%s'", arg);
		return -1;
	}
	return 0;
}

int
cmd_parse_label(const char *arg, void *value, struct buf *err)
{
	if (strchr(arg, '=') == NULL || arg[0] == '=') {
		buf_addf(err, "a label is KEY=VALUE, not '%s'", arg);
		return -1;
	}
	option_list_add(value, (char *)arg);
	return 0;
}

int
cmd_parse_plot_over(const char *arg, void *value, struct buf *err)
{
	if (cmd_parse_over(arg, value, err) < 0)
		return -1;
	if (*(double *)value <= 0) {
		buf_adds(err, "--over must be above 0: the pause axis is "
		    "logarithmic");
		return -1;
	}
	return 0;
}

struct store *
cmd_open_store(struct cmd_ctx *ctx, int writable)
{
	struct buf err = BUF_INIT;
	struct store *s;

	s = store_open(ctx->db_path, writable, &err);
	if (s == NULL)
		cmd_error("%s", buf_str(&err));
	buf_free(&err);
	return s;
}

int
cmd_find_runs(struct cmd_ctx *ctx, struct store *s, int64_t **ids, int *n)
{
	struct buf err = BUF_INIT;
	int rc = EXIT_OK;

	if (store_find_runs(s, ctx->run, ids, n, &err) < 0) {
		cmd_error("%s", buf_str(&err));
		rc = EXIT_STORE;
	}
	buf_free(&err);
	return rc;
}

int
cmd_for_each_segment(struct cmd_ctx *ctx, struct store *s, cmd_segment_fn fn,
    void *arg)
{
	struct store_run run;
	struct store_segment *segs = NULL;
	struct segment_ref ref;
	struct buf err = BUF_INIT;
	int64_t *ids = ctx->run_ids;	/* resolved by cmd_setup */
	size_t k, nsegs = 0;
	int n = ctx->nruns, i, rc = EXIT_OK, found = 0;
	for (i = 0; i < n && rc == EXIT_OK; i++) {
		if (store_run_get(s, ids[i], &run, &err) < 0 ||
		    store_segments(s, ids[i], ctx->segment > 0 ?
		    ctx->segment : STORE_ALL_SEGMENTS, &segs, &nsegs,
		    &err) < 0) {
			cmd_error("'%s': %s", ctx->db_path, buf_str(&err));
			rc = EXIT_STORE;
		}
		for (k = 0; k < nsegs && rc == EXIT_OK; k++) {
			ref.run_id = ids[i];
			ref.run_name = run.name;
			ref.segment = segs[k].segment;
			found++;
			rc = fn(ctx, s, &ref, arg);
		}
		store_segments_free(segs, nsegs);
		segs = NULL;
		nsegs = 0;
		store_run_free(&run);
	}
	buf_free(&err);
	if (rc == EXIT_OK && found == 0 && ctx->segment > 0) {
		cmd_error("no segment %d in run '%s' of '%s'", ctx->segment,
		    ctx->run, ctx->db_path);
		rc = EXIT_STORE;
	}
	return rc;
}

/* plot and report: what gnuplot and plot_draw (plot.h) had to say. */

void
cmd_plot_messages(const struct buf *messages)
{
	const char *p, *nl;

	if (messages->len == 0)
		return;
	fflush(stdout);
	for (p = messages->data; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL) {
			if (*p != '\0')
				fprintf(stderr, "gnuplot: %s\n", p);
			break;
		}
		if (nl > p)
			fprintf(stderr, "gnuplot: %.*s\n", (int)(nl - p), p);
	}
}

int
cmd_plot_failure(int failure, const struct buf *err,
    const struct buf *messages)
{
	switch (failure) {
	case PLOT_FAIL_DATA:
		cmd_error("%s", buf_str(err));
		return EXIT_STORE;
	case PLOT_FAIL_SCRIPT:
		cmd_error("%s", buf_str(err));
		return EXIT_INPUT;
	default:
		if (messages->len == 0 && strncmp(buf_str(err), "cannot run",
		    10) == 0)
			cmd_error("%s (install gnuplot, or name it with "
			    "--gnuplot PATH or TRACESTAT_GNUPLOT)",
			    buf_str(err));
		else
			cmd_error("%s", buf_str(err));
		cmd_plot_messages(messages);
		return EXIT_PLOT;
	}
}
