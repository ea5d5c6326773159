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

const struct cmd commands[] = {
	{ "ingest", "[options] [FILE ...]",
	    "store the gc and scheduler traces of a Go program",
	    "  -q, --quiet          do not pass application lines through\n"
	    "  -e, --echo           pass trace lines through as well\n"
	    "  -n, --name NAME      name the run\n"
	    "  -l, --label KEY=VAL  label the run (repeatable)\n"
	    "      --hold MS        wait for the rest of a torn line (100)\n"
	    "      --input-format F auto, text, cri, docker-json or "
	    "journal-json\n"
	    "      --backlog SIZE   records kept while the store is busy (64MiB)\n"
	    "      --grammars DIR   read line shapes from DIR\n"
	    "      --db FILE        the store (./tracestat.db)\n",
	    cmd_ingest },
	{ "runs", "[options]", "list the runs in the store",
	    "      --format F       table, csv or json\n"
	    "      --db FILE        the store (./tracestat.db)\n",
	    cmd_runs },
	{ "summary", "[options]", "one report per run and segment",
	    "      --run R          ID, NAME, latest (default) or all\n"
	    "      --segment N      only segment N\n"
	    "      --format F       table, csv or json\n"
	    "      --db FILE        the store (./tracestat.db)\n",
	    cmd_summary },
	{ "query", "[options] SQL", "run a read-only SQL query on the store",
	    "      --format F       table, csv or json\n"
	    "      --db FILE        the store (./tracestat.db)\n",
	    cmd_query },
	{ "leaks", "[options]", "leaks of the live heap or of goroutine stacks",
	    "      --warmup W       auto (default), a duration (30s) or 20%\n"
	    "      --min-rise SIZE  least rise called a leak (4MiB)\n"
	    "      --limit SIZE     time until the live heap reaches SIZE\n"
	    "      --check          exit 1 on a leak, 7 if nothing to judge\n"
	    "      --run R          ID, NAME, latest (default) or all\n"
	    "      --segment N      only segment N\n"
	    "      --format F       table, csv or json\n"
	    "      --db FILE        the store (./tracestat.db)\n",
	    cmd_leaks },
	{ "pauses", "[options]", "stop-the-world pauses per phase and cycle",
	    "      --over DUR       threshold, e.g. 100us, 1ms (100us)\n"
	    "      --phase P        over and --top by sweep, mark or any (any)\n"
	    "      --top N          list the N worst cycles (5)\n"
	    "      --list           every cycle instead of the summary\n"
	    "      --run R          ID, NAME, latest (default) or all\n"
	    "      --segment N      only segment N\n"
	    "      --format F       table, csv or json\n"
	    "      --db FILE        the store (./tracestat.db)\n",
	    cmd_pauses },
	{ "heap", "[options]",
	    "heap growth, goal overshoot and allocation rate",
	    "      --buckets N      N equal time buckets (10)\n"
	    "      --by-bucket      one row per bucket instead of the summary\n"
	    "      --run R          ID, NAME, latest (default) or all\n"
	    "      --segment N      only segment N\n"
	    "      --format F       table, csv or json\n"
	    "      --db FILE        the store (./tracestat.db)\n",
	    cmd_heap },
	{ "sched", "[options]", "scheduler load, saturation and threads",
	    "      --run R          ID, NAME, latest (default) or all\n"
	    "      --segment N      only segment N\n"
	    "      --list           one row per SCHED sample\n"
	    "      --procs          one row per P: queues, scheduling rate\n"
	    "      --detail         scheddetail counts: G, P and M states\n"
	    "      --goroutines     one row per scheddetail dump: goroutines\n"
	    "      --format F       table, csv or json\n"
	    "      --db FILE        the store (./tracestat.db)\n",
	    cmd_sched },
	{ "plot", "[options] KIND", "draw heap, pauses, sched or gc-cpu with gnuplot",
	    "  -o, --output FILE    the image (tracestat-RUN-KIND.png)\n"
	    "      --size WxH       image size in pixels (1200x600)\n"
	    "      --svg            draw SVG instead of PNG\n"
	    "      --script         also write the gnuplot script, FILE.gp\n"
	    "      --over DUR       pauses: threshold, e.g. 100us, 1ms (100us)\n"
	    "      --gnuplot PATH   the gnuplot program ($TRACESTAT_GNUPLOT, gnuplot)\n"
	    "      --run R          ID, NAME, latest (default) or all\n"
	    "      --segment N      only segment N (default: all, end to end)\n"
	    "      --db FILE        the store (./tracestat.db)\n",
	    cmd_plot },
	{ "report", "[options]", "one HTML page with every analysis and plot",
	    "  -o, --output DIR     the directory (tracestat-report-RUN)\n"
	    "      --over DUR       pause threshold, e.g. 100us, 1ms (100us)\n"
	    "      --gnuplot PATH   the gnuplot program ($TRACESTAT_GNUPLOT, gnuplot)\n"
	    "      --run R          ID, NAME or latest (default)\n"
	    "      --segment N      only segment N (default: all)\n"
	    "      --db FILE        the store (./tracestat.db)\n",
	    cmd_report },
	{ "run", "[options] [--] CMD [ARGS ...]",
	    "run a program with gc and scheduler traces and store them",
	    "      --gctrace        gctrace=1 even if GODEBUG says otherwise\n"
	    "      --schedtrace MS  scheduler trace period, 0 for none (1000)\n"
	    "      --scheddetail    scheddetail=1: every G, P and M\n"
	    "  -q, --quiet          do not pass CMD's other stderr lines on\n"
	    "  -e, --echo           pass trace lines on as well\n"
	    "  -n, --name NAME      name the run (CMD's base name)\n"
	    "  -l, --label KEY=VAL  label the run (repeatable)\n"
	    "      --hold MS        wait for the rest of a torn line (100)\n"
	    "      --grammars DIR   read line shapes from DIR\n"
	    "      --db FILE        the store (./tracestat.db)\n",
	    cmd_run },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct cmd *
cmd_find(const char *name)
{
	const struct cmd *c;

	for (c = commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
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
cmd_usage_error(const struct cmd *c, const char *fmt, ...)
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
cmd_help(const struct cmd *c)
{
	printf("usage: tracestat %s %s\n\n%s.\n\noptions:\n%s"
	    "  -h, --help           show this help\n\n"
	    "See tracestat-%s(1).\n", c->name, c->usage, c->summary,
	    c->options, c->name);
}

int
cmd_common_option(struct cmd_ctx *ctx, int c, const char *arg, char **argv)
{
	char *end;
	long long segment;

	switch (c) {
	case OPT_DB:
		ctx->db_path = arg;
		return 1;
	case OPT_GRAMMARS:
		ctx->grammar_dir = arg;
		return 1;
	case OPT_FORMAT:
		if (out_parse_format(arg, &ctx->format) < 0) {
			cmd_usage_error(ctx->cmd, "unknown format '%s' (use "
			    "table, csv or json)", arg);
			return -1;
		}
		return 1;
	case OPT_RUN:
		ctx->run = arg;
		return 1;
	case OPT_SEGMENT:
		/* Range-checked as a long long before it becomes an int. */
		errno = 0;
		segment = strtoll(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || errno != 0 ||
		    segment < 1 || segment > INT_MAX) {
			cmd_usage_error(ctx->cmd, "--segment takes a segment "
			    "number from 1 to %d, not '%s'", INT_MAX, arg);
			return -1;
		}
		ctx->segment = (int)segment;
		return 1;
	case 'h':
	case OPT_HELP:
		cmd_help(ctx->cmd);
		return 0;
	case ':':
		cmd_usage_error(ctx->cmd, "option '%s' needs a value",
		    argv[optind - 1]);
		return -1;
	default:
		cmd_usage_error(ctx->cmd, "unknown option '%s'",
		    argv[optind - 1]);
		return -1;
	}
}

int
cmd_parse_common_only(struct cmd_ctx *ctx, int argc, char **argv,
    const struct option *options)
{
	int c, rc;

	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		rc = cmd_common_option(ctx, c, optarg, argv);
		if (rc <= 0)
			return rc == 0 ? EXIT_OK : EXIT_USAGE;
	}
	if (optind != argc)
		return cmd_usage_error(ctx->cmd, "unexpected argument '%s'",
		    argv[optind]);
	return -1;
}

int
cmd_over_option(struct cmd_ctx *ctx, const char *arg, double *us)
{
	if (units_parse_duration_us(arg, us) < 0 || !(*us >= 0))
		return cmd_usage_error(ctx->cmd, "--over takes a duration "
		    "with a unit (ns, us, ms, s), not '%s'", arg);
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
	int64_t *ids = NULL;
	size_t k, nsegs = 0;
	int n, i, rc, found = 0;

	rc = cmd_find_runs(ctx, s, &ids, &n);
	if (rc != EXIT_OK)
		return rc;
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
	free(ids);
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
