/*
 * cmd.h - the command table, the context every command gets, exit codes
 * and messages.
 */
#ifndef TRACESTAT_CMD_H
#define TRACESTAT_CMD_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "grammar.h"
#include "options.h"
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

struct cmd_entry;

/*
 * What a command gets: the options every command shares, and what main
 * set up for it as its entry's flags asked.
 */
struct cmd_ctx {
	const struct cmd_entry	*cmd;
	const char		*db_path;	/* --db, TRACESTAT_DB, default */
	const char		*grammar_dir;	/* --grammars or NULL */
	enum out_format		 format;
	const char		*run;		/* --run, default "latest" */
	int			 segment;	/* --segment, 0 = all */

	/*
	 * Set up by cmd_setup as the entry's flags ask, and undone by
	 * cmd_teardown after exec: exec neither closes nor frees them, and
	 * what it hangs on the store must outlive it.
	 */
	struct store		*store;		/* CMD_STORE_* */
	int64_t			*run_ids;	/* CMD_RUN_SELECT */
	int			 nruns;
	struct grammar		 grammar;	/* CMD_GRAMMARS */
	struct buf		 grammar_error;	/* why it is empty */
};

/*
 * Adding a command (tmux's cmd_entry, git's commands[]):
 * 1. src/cmd-NAME.c exporting "const struct cmd_entry cmd_NAME_entry"
 *    (everything else in it static), and the source in Makefile.am;
 * 2. its line in CMD_TABLE in src/cmd/cmd.c;
 * 3. man/tracestat-NAME.1 (its options are those of the table: the tests
 *    compare), its line in man/Makefile.inc and in tracestat(1);
 * 4. tests in tests/.
 */
struct cmd_entry {
	const char		*name;
	const char		*usage;		/* after "tracestat NAME" */
	const char		*summary;	/* one line for --help */
	const struct option_spec *options;	/* -h, --help are implied */
	int			 flags;		/* CMD_* below */
	/*
	 * Optional: check the operands and what the table cannot say (which
	 * options go together) before anything is set up.  Returns 0 or the
	 * exit code after the message (cmd_usage_error).
	 */
	int			(*check)(struct cmd_ctx *ctx, int argc,
				    char **argv);
	/* The command; argv holds the operands only (argv[0] is the first). */
	int			(*exec)(struct cmd_ctx *ctx, int argc,
				    char **argv);
};

/* What main sets up before exec (git's RUN_SETUP). */
#define CMD_STORE_READ	0x01	/* open the store read-only, ctx->store */
#define CMD_STORE_WRITE	0x02	/* open or create it read-write */
#define CMD_GRAMMARS	0x04	/* load the grammars, ctx->grammar */
/*
 * With CMD_GRAMMARS: a failure is the command's to report, when it chooses
 * (ingest passes the input through all the same); ctx->grammar is empty
 * and ctx->grammar_error says why.
 */
#define CMD_GRAMMARS_GENTLY 0x08
/* --run resolved to ctx->run_ids, ctx->nruns; implies CMD_STORE_READ. */
#define CMD_RUN_SELECT	0x10
#define CMD_OPERANDS	0x20	/* takes operands (else an error) */
#define CMD_OPERANDS_END_OPTIONS 0x40	/* options end at the first one */

/* The commands, in the order tracestat --help lists them. */
extern const struct cmd_entry *const cmd_table[];

/*
 * The options before the command's name (into a struct cmd_ctx); its
 * OPTION_STOP is --version.
 */
extern const struct option_spec cmd_global_options[];

/* The usage of tracestat itself: the commands and the global options. */
void cmd_usage(FILE *fp);

const struct cmd_entry *cmd_find(const char *name);

/* Messages: "tracestat: error: ..." on stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error: the message, then "try 'tracestat CMD --help'". */
int cmd_usage_error(const struct cmd_entry *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The help of a command, made from its entry, on standard output. */
void cmd_help(const struct cmd_entry *c);

/*
 * Parse argv (argv[0] is the command's name) by the options of e into
 * the command's variables and ctx, then run e's check.  Prints the help
 * or the usage error.  Returns -1 to go on, with the operands in argv[1]
 * to argv[*noperands], or the exit code to return at once.
 */
int cmd_parse(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc,
    char **argv, int *noperands);

/*
 * Set up what ctx->cmd's flags ask for; prints what fails.  Returns 0 or
 * the exit code.  cmd_teardown undoes it (also after a failed set-up).
 */
int cmd_setup(struct cmd_ctx *ctx);
void cmd_teardown(struct cmd_ctx *ctx);

/*
 * The options several commands share, declared once: the values go to
 * the cmd_ctx.
 */
#define CMD_OPTION_DB \
	OPTION_STRING_AT("db", 0, "FILE", "the store (./tracestat.db)", \
	    offsetof(struct cmd_ctx, db_path))
#define CMD_OPTION_GRAMMARS \
	OPTION_STRING_AT("grammars", 0, "DIR", "read line shapes from DIR", \
	    offsetof(struct cmd_ctx, grammar_dir))
#define CMD_OPTION_FORMAT \
	OPTION_CUSTOM_AT("format", 0, "F", "table, csv or json", \
	    offsetof(struct cmd_ctx, format), cmd_parse_format)
#define CMD_OPTION_RUN \
	OPTION_STRING_AT("run", 0, "R", "ID, NAME, latest (default) or all", \
	    offsetof(struct cmd_ctx, run))
#define CMD_OPTION_SEGMENT \
	OPTION_INT_AT("segment", 0, "N", "only segment N", \
	    offsetof(struct cmd_ctx, segment), 1, INT_MAX, "a segment number")

/* --gnuplot of plot and report, into the const char * at v. */
#define CMD_OPTION_GNUPLOT(v) \
	OPTION_NONEMPTY("gnuplot", 0, "PATH", \
	    "the gnuplot program ($TRACESTAT_GNUPLOT, gnuplot)", (v), \
	    "a program")

/* --format: an enum out_format. */
int cmd_parse_format(const char *arg, void *value, struct buf *err);

/*
 * --over of pauses, plot and report: a duration with a unit, in us, as a
 * double (0 counts every pause of 1 us or more).
 */
int cmd_parse_over(const char *arg, void *value, struct buf *err);

/*
 * --label of ingest and run: KEY=VALUE with a key, appended to a struct
 * option_list.
 */
int cmd_parse_label(const char *arg, void *value, struct buf *err);

/* --over of plot and report: the same, above 0 (the axis is logarithmic). */
int cmd_parse_plot_over(const char *arg, void *value, struct buf *err);

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

/* Print what plot_draw (plot.h) could not do; returns the exit code.
 * For plot and report, in cmd.c: neither command calls the other. */
int cmd_plot_failure(int failure, const struct buf *err,
    const struct buf *messages);
/* Print gnuplot's own words on stderr, each line after "gnuplot: ". */
void cmd_plot_messages(const struct buf *messages);

#endif
