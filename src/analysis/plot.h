/*
 * plot.h - gnuplot scripts for the plot kinds, and running gnuplot.
 *
 * A plot is built in two steps: plot_script() reads the store (and the
 * analyses) and writes a complete gnuplot script, data included as inline
 * data blocks ($name << EOD ... EOD), that sets its own terminal and
 * output; plot_run() feeds that script to gnuplot on its standard input.
 * Nothing here prints or exits.  Definitions are in tracestat-plot(1).
 */
#ifndef TRACESTAT_PLOT_H
#define TRACESTAT_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct buf;

enum plot_kind {
	PLOT_HEAP,
	PLOT_PAUSES,
	PLOT_SCHED,
	PLOT_GC_CPU,
	PLOT_PAUSE_DIST,	/* the pauses' cumulative distribution */
	PLOT_KIND_COUNT
};

/* Default image size and pause threshold. */
#define PLOT_WIDTH		1200
#define PLOT_HEIGHT		600
#define PLOT_OVER_US		100.0
/* Where a pause printed as "0" (under 1 us) is drawn on the log axis. */
#define PLOT_ZERO_FLOOR_US	0.5

/*
 * Analyses a caller has made already (the report makes them for its
 * tables), which a plot then uses instead of reading the store again.
 * Either function may return NULL (not made, or not yet finished): the
 * plot then makes its own.  pauses must be made with keep_cycles and the
 * request's threshold; leaks (both series, LEAKS_SERIES_COUNT results)
 * with leaks_options_init's options.  What they return stays the
 * caller's, unchanged while the plot is made.
 */
struct pauses_result;
struct leaks_result;

struct plot_given {
	const struct pauses_result	*(*pauses)(void *ctx, int segment);
	const struct leaks_result	*(*leaks)(void *ctx, int segment);
	void				*ctx;
};

struct plot_request {
	const struct plot_given *given;	/* NULL: none */
	enum plot_kind	 kind;
	int64_t		 run_id;
	const char	*run_name;	/* NULL when the run has none */
	int		 segment;	/* 0: every segment, end to end */
	const char	*output;	/* the image file */
	int		 svg;		/* svg terminal instead of png */
	int		 width, height;	/* pixels */
	double		 over_us;	/* pauses: the threshold */
};

/* What plot_script found, for the caller's messages and the report. */
struct plot_info {
	int64_t		 rows;		/* data rows plotted */
	int		 segments;	/* segments plotted */
	int64_t		 over;		/* pauses: cycles above the threshold */
	int		 leak_line;	/* heap: a fitted leak line is drawn */
};

/* "heap", "pauses", "sched", "gc-cpu", "pause-dist". */
const char *plot_kind_name(enum plot_kind kind);
/* The kind named name; -1 when there is none. */
int plot_kind_parse(const char *name);

/*
 * The gnuplot program to run: option when not NULL, else
 * $TRACESTAT_GNUPLOT when set and not empty, else "gnuplot".
 */
const char *plot_program(const char *option);

/*
 * Append s to b as a gnuplot single-quoted string: quotes around it,
 * every single quote doubled, control characters dropped (gnuplot does
 * no other processing inside single quotes).
 */
void plot_add_quoted(struct buf *b, const char *s);

/*
 * Append s to b made safe as part of a file name: letters, digits, '.',
 * '-' and '_' are kept, runs of anything else become one '_'; at most 64
 * bytes; a leading '.' or '-' becomes '_'.
 */
void plot_add_file_part(struct buf *b, const char *s);

/*
 * The default image name: tracestat-RUN-KIND.png (.svg with svg), RUN
 * being the run's name when it has one, else its number, and "-segN"
 * added when one segment is asked for.  Appended to b.
 */
void plot_default_output(struct buf *b, const struct plot_request *req);

/*
 * Append to script the complete gnuplot script of req.  Returns 0, or -1
 * with a message in err (the store could not be read, an output name
 * gnuplot cannot take).  info may be NULL.
 */
int plot_script(struct store *store, const struct plot_request *req,
    struct buf *script, struct plot_info *info, struct buf *err);

/*
 * Run program with no arguments but "-" (read the script from standard
 * input) without a shell, write script to it and wait for it.  What
 * gnuplot writes to its standard error and output is appended to
 * messages (at most 64 KiB).  Returns 0 when it exited with status 0;
 * -1 with err set when it could not be started, was killed or exited
 * non-zero (messages then holds its own explanation).
 */
int plot_run(const char *program, const char *script, size_t len,
    struct buf *messages, struct buf *err);

/*
 * Make script, which plot_script wrote for the request from, draw as to
 * asks instead (SVG or PNG, and its output), at the same size: the data
 * are not read again.  Returns 0, or -1 with err set.
 */
int plot_script_retarget(struct buf *script, const struct plot_request *from,
    const struct plot_request *to, struct buf *err);

/* What plot_draw could not do. */
enum plot_failure {
	PLOT_FAIL_DATA = 1,	/* reading the store or building the script */
	PLOT_FAIL_SCRIPT,	/* writing the script file */
	PLOT_FAIL_GNUPLOT	/* gnuplot missing or failing */
};

/*
 * Build the script of req, write it to script_path when not NULL (for the
 * user to restyle: 'gnuplot FILE' redraws the image), and run program on
 * it.  Returns 0, or a plot_failure with err set (and messages holding
 * gnuplot's own words).  info may be NULL.
 */
int plot_draw(struct store *store, const struct plot_request *req,
    const char *program, const char *script_path, struct plot_info *info,
    struct buf *messages, struct buf *err);

#endif
