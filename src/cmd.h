/*
 * cmd.h - the command table, the context every command gets, exit codes
 * and messages.
 */
#ifndef TRACESTAT_CMD_H
#define TRACESTAT_CMD_H

#include <getopt.h>
#include <stdint.h>

#include "output.h"
#include "store.h"

/* Exit codes, documented in tracestat(1). */
enum exit_code {
	EXIT_OK = 0,
	EXIT_CHECK = 1,		/* a requested check failed (leaks --check) */
	EXIT_USAGE = 2,
	EXIT_INPUT = 3,		/* an input file could not be read */
	EXIT_STORE = 4,		/* the store could not be opened or used */
	EXIT_GRAMMAR = 5,	/* the grammars could not be loaded */
	EXIT_PLOT = 6,		/* gnuplot is missing or failed */
	EXIT_NO_DATA = 7,	/* nothing to store or to judge */
	EXIT_OUTPUT = 8,	/* standard output could not be written */
	EXIT_INTERNAL = 70
};

struct cmd;

struct cmd_ctx {
	const struct cmd	*cmd;
	const char		*db_path;	/* --db, TRACESTAT_DB, default */
	const char		*grammar_dir;	/* --grammars or NULL */
	enum out_format		 format;
	const char		*run;		/* --run, default "latest" */
	int			 segment;	/* --segment, 0 = all */
};

struct cmd {
	const char	*name;
	const char	*usage;		/* after "tracestat NAME " */
	const char	*summary;	/* one line for --help */
	const char	*options;	/* option help, one per line */
	int		(*run)(struct cmd_ctx *ctx, int argc, char **argv);
};

extern const struct cmd commands[];

const struct cmd *cmd_find(const char *name);

/* Messages: "tracestat: error: ..." on stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: the message, then "try 'tracestat CMD --help'". */
int cmd_usage_error(const struct cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cmd_help(const struct cmd *c);

/* Options every command accepts.  Their getopt values start here. */
enum {
	OPT_DB = 1000,
	OPT_GRAMMARS,
	OPT_FORMAT,
	OPT_HELP,
	OPT_RUN,
	OPT_SEGMENT,
	OPT_COMMON_END
};

#define CMD_COMMON_OPTIONS \
	{ "db", required_argument, NULL, OPT_DB }, \
	{ "grammars", required_argument, NULL, OPT_GRAMMARS }, \
	{ "format", required_argument, NULL, OPT_FORMAT }, \
	{ "help", no_argument, NULL, OPT_HELP }

#define CMD_RUN_OPTIONS \
	{ "run", required_argument, NULL, OPT_RUN }, \
	{ "segment", required_argument, NULL, OPT_SEGMENT }

/*
 * Handle a common option returned by getopt_long.  Returns 1 when handled,
 * 0 for help (print it and exit 0), -1 after a usage error was printed.
 * c == '?' or ':' reports the bad option of argv.
 */
int cmd_common_option(struct cmd_ctx *ctx, int c, const char *arg,
    char **argv);

/*
 * Parse the options of a command that takes only common ones and no
 * argument.  Returns -1 to go on, or the exit code to return at once
 * (after --help, or a usage error).
 */
int cmd_parse_common_only(struct cmd_ctx *ctx, int argc, char **argv,
    const struct option *options);

/*
 * Parse the --over threshold of pauses, plot and report: a duration
 * with a unit (0 counts every pause of 1 us or more).  Returns 0, or EXIT_USAGE after the message.
 */
int cmd_over_option(struct cmd_ctx *ctx, const char *arg, double *us);

/* Open the store read-only (for reports) or writable; prints errors. */
struct store *cmd_open_store(struct cmd_ctx *ctx, int writable);

/* Resolve --run into ids; prints errors.  Returns 0 or an exit code. */
int cmd_find_runs(struct cmd_ctx *ctx, struct store *s, int64_t **ids,
    int *n);

/* One segment of one run, as the analyses iterate them. */
struct segment_ref {
	int64_t		 run_id;
	const char	*run_name;	/* NULL when the run has none */
	int		 segment;
};

typedef int (*cmd_segment_fn)(struct cmd_ctx *ctx, struct store *s,
    const struct segment_ref *ref, void *arg);

/*
 * Call fn for every segment selected by --run and --segment, in run and
 * segment order; stop at the first non-zero return and return it.  An
 * unknown run or segment is reported and gives EXIT_STORE.
 */
int cmd_for_each_segment(struct cmd_ctx *ctx, struct store *s,
    cmd_segment_fn fn, void *arg);

/* Commands. */
int cmd_ingest(struct cmd_ctx *, int, char **);
int cmd_runs(struct cmd_ctx *, int, char **);
int cmd_summary(struct cmd_ctx *, int, char **);
int cmd_query(struct cmd_ctx *, int, char **);
int cmd_leaks(struct cmd_ctx *, int, char **);
int cmd_pauses(struct cmd_ctx *, int, char **);
int cmd_heap(struct cmd_ctx *, int, char **);
int cmd_sched(struct cmd_ctx *, int, char **);
int cmd_plot(struct cmd_ctx *, int, char **);
int cmd_report(struct cmd_ctx *, int, char **);
int cmd_run(struct cmd_ctx *, int, char **);

/* Print what plot_draw (plot.h) could not do; returns the exit code.
 * For plot and report, in cmd.c: neither command calls the other. */
int cmd_plot_failure(int failure, const struct buf *err,
    const struct buf *messages);
/* Print gnuplot's own words on stderr, each line after "gnuplot: ". */
void cmd_plot_messages(const struct buf *messages);

#endif
