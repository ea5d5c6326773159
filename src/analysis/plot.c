#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "an-leaks.h"
#include "an-sched.h"
#include "buf.h"
#include "figures.h"
#include "plot.h"
#include "safefile.h"
#include "xalloc.h"
#include "banned.h"

extern char **environ;

#define PLOT_MESSAGES_MAX	(64 * 1024)

static const char *const plot_kind_names[PLOT_KIND_COUNT] = {
	"heap", "pauses", "sched", "gc-cpu"
};

const char *
plot_kind_name(enum plot_kind kind)
{
	return kind < PLOT_KIND_COUNT ? plot_kind_names[kind] : NULL;
}

int
plot_kind_parse(const char *name)
{
	int k;

	for (k = 0; k < PLOT_KIND_COUNT; k++)
		if (strcmp(plot_kind_names[k], name) == 0)
			return k;
	return -1;
}

const char *
plot_program(const char *option)
{
	const char *env;

	if (option != NULL)
		return option;
	env = getenv("TRACESTAT_GNUPLOT");
	if (env != NULL && *env != '\0')
		return env;
	return "gnuplot";
}

void
plot_add_quoted(struct buf *b, const char *s)
{
	const unsigned char *p;

	buf_addc(b, '\'');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			continue;
		if (*p == '\'')
			buf_addc(b, '\'');
		buf_addc(b, *p);
	}
	buf_addc(b, '\'');
}

void
plot_add_file_part(struct buf *b, const char *s)
{
	size_t start = b->len;
	int gap = 0;
	unsigned char c;

	for (; *s != '\0' && b->len - start < 64; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		    c == '_') {
			if (b->len == start && (c == '.' || c == '-'))
				c = '_';
			buf_addc(b, c);
			gap = 0;
		} else if (!gap) {
			buf_addc(b, '_');
			gap = 1;
		}
	}
	if (b->len == start)
		buf_addc(b, '_');
}

void
plot_default_output(struct buf *b, const struct plot_request *req)
{
	buf_adds(b, "tracestat-");
	if (req->run_name != NULL && *req->run_name != '\0')
		plot_add_file_part(b, req->run_name);
	else
		buf_addf(b, "%lld", (long long)req->run_id);
	if (req->segment > 0)
		buf_addf(b, "-seg%d", req->segment);
	buf_addf(b, "-%s.%s", plot_kind_name(req->kind),
	    req->svg ? "svg" : "png");
}

/* ------------------------------------------------------------------ data */

/* One segment of the plot and where its time axis starts. */
struct plot_segment {
	int	 segment;
	double	 offset_s;	/* added to the segment's own times */
	double	 end_s;		/* the segment's last time stamp */
};

struct plot_data {
	struct store		*store;
	const struct plot_request *req;
	struct plot_segment	*segs;
	size_t			 nsegs;
	double			 span_s;	/* the whole x axis */
	double			 unit_s;	/* seconds per x unit */
	const char		*unit_name;
};

/*
 * The gc cycles of the plotted segments, segment after segment, each in
 * store order, with the columns asked for: a cursor per segment.  With
 * timed, only the cycles with a start time, which is the first column.
 */
struct plot_cycles {
	struct plot_data	*d;
	const char *const	*columns;
	size_t			 ncolumns;
	int			 timed;
	size_t			 next;		/* the segment to open next */
	int			 segment;	/* the rows' segment */
	struct store_cursor	*cursor;
};

static void
plot_cycles_open(struct plot_cycles *it, struct plot_data *d,
    const char *const *columns, size_t ncolumns, int timed)
{
	memset(it, 0, sizeof *it);
	it->d = d;
	it->columns = columns;
	it->ncolumns = ncolumns;
	it->timed = timed;
}

/* The next cycle into *row (of segment it->segment): 1, 0 at the end,
 * -1 with err set. */
static int
plot_cycles_next(struct plot_cycles *it, struct store_row *row,
    struct buf *err)
{
	int rc;

	for (;;) {
		if (it->cursor == NULL) {
			if (it->next == it->d->nsegs)
				return 0;
			it->segment = it->d->segs[it->next++].segment;
			it->cursor = store_cursor_open(it->d->store, KIND_GC,
			    it->d->req->run_id, it->segment, it->columns,
			    it->ncolumns, err);
			if (it->cursor == NULL)
				return -1;
		}
		rc = store_cursor_next(it->cursor, row, err);
		if (rc > 0 && it->timed && row->values[0].type == VAL_NULL)
			continue;
		if (rc != 0)
			return rc;
		store_cursor_close(it->cursor);
		it->cursor = NULL;
	}
}

static void
plot_cycles_close(struct plot_cycles *it)
{
	store_cursor_close(it->cursor);
	it->cursor = NULL;
}

/* A time or count the store may not have: 0 when it has not. */
static int64_t
plot_value_or_0(const struct value *v)
{
	return v->type == VAL_NULL ? 0 : v->i;
}

/*
 * The segments asked for, each laid after the previous one: segment k's
 * times are shifted by the sum of the lengths (last time stamp) of the
 * segments before it, so restarts follow one another on one axis.
 */
static int
plot_load_segments(struct plot_data *d, struct buf *err)
{
	struct store_segment *segs = NULL;
	size_t n = 0, i;
	double offset = 0, end;
	int64_t a, b;

	if (store_segments(d->store, d->req->run_id, d->req->segment > 0 ?
	    d->req->segment : STORE_ALL_SEGMENTS, &segs, &n, err) < 0) {
		store_segments_free(segs, n);
		return -1;
	}
	d->segs = n > 0 ? xcalloc(n, sizeof *d->segs) : NULL;
	for (i = 0; i < n; i++) {
		a = plot_value_or_0(&segs[i].last_ms);
		b = plot_value_or_0(&segs[i].last_sched_ms);
		end = (a > b ? a : b) / 1000.0;
		d->segs[d->nsegs].segment = segs[i].segment;
		d->segs[d->nsegs].offset_s = offset;
		d->segs[d->nsegs].end_s = end;
		d->nsegs++;
		offset += end;
	}
	store_segments_free(segs, n);
	d->span_s = offset;
	/* Seconds up to 10 minutes, minutes up to 10 hours, then hours. */
	if (d->span_s < 600) {
		d->unit_s = 1;
		d->unit_name = "s";
	} else if (d->span_s < 36000) {
		d->unit_s = 60;
		d->unit_name = "min";
	} else {
		d->unit_s = 3600;
		d->unit_name = "h";
	}
	return 0;
}

static double
plot_offset(const struct plot_data *d, int segment)
{
	size_t i;

	for (i = 0; i < d->nsegs; i++)
		if (d->segs[i].segment == segment)
			return d->segs[i].offset_s;
	return 0;
}

/*
 * " N" as " %lld" writes it, without printf: a plot of a long run writes
 * millions of numbers.
 */
static void
plot_add_int(struct buf *b, int64_t v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	*--p = ' ';
	buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* A value as a data value: integers as such, NULL as NaN. */
static void
plot_add_value(struct buf *b, const struct value *v)
{
	if (v->type == VAL_NULL)
		buf_adds(b, " NaN");
	else
		plot_add_int(b, v->i);
}

/*
 * A blank line in a data block where a new segment begins, so that
 * gnuplot does not join the last point of one process to the first of
 * the next.  *last is the segment of the previous row (-1 at first).
 */
static void
plot_add_break(struct buf *b, int *last, int segment)
{
	if (*last >= 0 && segment != *last)
		buf_addc(b, '\n');
	*last = segment;
}

/* A count, NaN when negative (unknown). */
static void
plot_add_count(struct buf *b, int64_t v)
{
	if (v < 0)
		buf_adds(b, " NaN");
	else
		plot_add_int(b, v);
}

/*
 * Below this many milliseconds, ms / 1000.0 is within 2e-4 of the exact
 * decimal, so "%.3f" of it writes the integer's digits.
 */
#define PLOT_EXACT_MS	((int64_t)1 << 50)

/* x: seconds since the start of the plot's time axis, 3 decimals. */
static void
plot_add_time(struct buf *b, const struct plot_data *d, int segment,
    int64_t ms)
{
	double offset = plot_offset(d, segment);
	char tmp[32], *p = tmp + sizeof tmp;
	uint64_t u;
	int k;

	if (offset != 0 || ms <= -PLOT_EXACT_MS || ms >= PLOT_EXACT_MS) {
		buf_addf(b, "%.3f", offset + ms / 1000.0);
		return;
	}
	/* The first segment, or the only one: the digits of ms. */
	u = ms < 0 ? (uint64_t)-ms : (uint64_t)ms;
	for (k = 0; k < 3; k++) {
		*--p = (char)('0' + u % 10);
		u /= 10;
	}
	*--p = '.';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (ms < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* ---------------------------------------------------------------- script */

static void
plot_add_title(struct buf *b, const struct plot_data *d, const char *what)
{
	const struct plot_request *req = d->req;
	struct buf t = BUF_INIT;

	buf_addf(&t, "%s - run %lld", what, (long long)req->run_id);
	if (req->run_name != NULL && *req->run_name != '\0')
		buf_addf(&t, " '%s'", req->run_name);
	if (req->segment > 0)
		buf_addf(&t, ", segment %d", req->segment);
	else if (d->nsegs > 1)
		buf_addf(&t, ", segments %d-%d (%zu processes, laid end to "
		    "end)", d->segs[0].segment, d->segs[d->nsegs - 1].segment,
		    d->nsegs);
	buf_adds(b, "set title ");
	plot_add_quoted(b, t.data != NULL ? t.data : "");
	buf_adds(b, "\n");
	buf_free(&t);
}

static int
plot_add_header(struct buf *b, const struct plot_data *d, const char *what,
    struct buf *err)
{
	const struct plot_request *req = d->req;
	const char *p;

	for (p = req->output; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			buf_addf(err, "the output file name has a control "
			    "character");
			return -1;
		}
	buf_addf(b, "# tracestat plot %s: a gnuplot script with its data; "
	    "'gnuplot FILE' redraws\n# the image.  Times are seconds since "
	    "the process started (x is divided by xs).\n",
	    plot_kind_name(req->kind));
	/* No "set encoding": cairo and svg take the UTF-8 text as it is,
	 * and in the C locale "set encoding utf8" only earns a warning. */
	if (req->svg)
		buf_addf(b, "set terminal svg size %d,%d dynamic noenhanced "
		    "font 'Sans,11' background '#ffffff'\n", req->width,
		    req->height);
	else
		buf_addf(b, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) "
		    "{\n\tset terminal pngcairo size %d,%d noenhanced "
		    "font 'Sans,10'\n} else {\n\tset terminal png size %d,%d "
		    "noenhanced\n}\n", req->width, req->height, req->width,
		    req->height);
	buf_adds(b, "set output ");
	plot_add_quoted(b, req->output);
	buf_adds(b, "\n");
	plot_add_title(b, d, what);
	buf_addf(b, "xs = %g\t# seconds per x unit\n", d->unit_s);
	if (req->segment == 0 && d->nsegs > 1)
		buf_addf(b, "set xlabel 'time since process start, restarts "
		    "laid end to end (%s)'\n", d->unit_name);
	else
		buf_addf(b, "set xlabel 'time since process start (%s)'\n",
		    d->unit_name);
	buf_adds(b, "set grid xtics ytics lc rgb '#d9d9d9' lt 1\n"
	    "set border 3\nset tics nomirror\nset mxtics\n"
	    "set key below center horizontal\n"
	    "set datafile missing 'NaN'\n");
	return 0;
}

/* Dotted vertical lines where a later segment (a restart) begins. */
static void
plot_add_restarts(struct buf *b, const struct plot_data *d)
{
	size_t i;

	if (d->req->segment > 0)
		return;
	for (i = 1; i < d->nsegs; i++) {
		buf_addf(b, "set arrow from first %.3f/xs, graph 0 to first "
		    "%.3f/xs, graph 1 nohead dt 3 lw 1.5 lc rgb '#555555' "
		    "front\n", d->segs[i].offset_s, d->segs[i].offset_s);
		buf_addf(b, "set label 'restart: segment %d' at first "
		    "%.3f/xs, graph 0.98 offset 0.5,0 left front "
		    "tc rgb '#555555'\n", d->segs[i].segment,
		    d->segs[i].offset_s);
	}
}

/* The x range of the whole axis, so every kind lines up. */
static void
plot_add_xrange(struct buf *b, const struct plot_data *d)
{
	/* 1% more on the right keeps the last point off the border. */
	if (d->span_s > 0)
		buf_addf(b, "set xrange [0:%.3f/xs]\n", d->span_s * 1.01);
}

/* A plot with no data: an empty frame that says so. */
static void
plot_add_empty(struct buf *b, const char *what)
{
	buf_adds(b, "set xrange [0:1]\nset yrange [0:1]\nunset logscale y\n"
	    "set label ");
	plot_add_quoted(b, what);
	buf_adds(b, " at graph 0.5, graph 0.5 center\n"
	    "plot 2 notitle\n");
}

static void
plot_add_block_end(struct buf *b)
{
	buf_adds(b, "EOD\n");
}

/* The fitted line of the leak analysis of one segment. */
struct plot_leak_line {
	int	leak;			/* the analysis says leak */
	double	slope_mib_per_s, intercept_mib;	/* heap = a + b * t_s */
	double	from_s, to_s;		/* the window fitted */
};

/* The leak analysis of one series with its defaults (tracestat-leaks(1)). */
static int
plot_leak_line(struct store *store, int64_t run_id, int segment,
    enum leaks_series series, struct plot_leak_line *line, struct buf *err)
{
	struct leaks_options opt;
	struct leaks_result res;
	int rc;

	memset(line, 0, sizeof *line);
	memset(&res, 0, sizeof res);
	leaks_options_init(&opt);
	rc = leaks_analyse_series(store, run_id, segment, series, &opt, &res,
	    err);
	if (rc == 0 && res.verdict == LEAKS_LEAK && res.has_fit &&
	    res.has_window) {
		line->leak = 1;
		line->slope_mib_per_s = res.slope_mib_per_s;
		line->intercept_mib = res.intercept_mib;
		line->from_s = res.window_start_s;
		line->to_s = res.window_end_s;
	}
	leaks_result_free(&res);
	return rc < 0 ? -1 : 0;
}

/*
 * The data block $name of the fitted leak line of every segment the
 * analysis calls a leak in series, appended to b, and the slopes
 * ("+1.2, +0.8") to slopes.  Returns the number of lines, or -1.
 */
static int
plot_heap_fits(struct plot_data *d, enum leaks_series series,
    const char *name, struct buf *b, struct buf *slopes, struct buf *err)
{
	struct plot_leak_line line;
	struct buf fit = BUF_INIT;
	size_t i;
	int leaks = 0;

	for (i = 0; i < d->nsegs; i++) {
		if (plot_leak_line(d->store, d->req->run_id,
		    d->segs[i].segment, series, &line, err) < 0) {
			buf_free(&fit);
			return -1;
		}
		if (!line.leak)
			continue;
		if (leaks++ == 0)
			buf_addf(&fit, "$%s << EOD\n# time_s %s_mib: the "
			    "fitted leak line at both ends of its window\n",
			    name, leaks_series_name(series));
		else {
			buf_adds(&fit, "\n");
			buf_adds(slopes, ", ");
		}
		buf_addf(&fit, "%.3f %.3f\n%.3f %.3f\n",
		    d->segs[i].offset_s + line.from_s,
		    line.intercept_mib + line.slope_mib_per_s * line.from_s,
		    d->segs[i].offset_s + line.to_s,
		    line.intercept_mib + line.slope_mib_per_s * line.to_s);
		buf_addf(slopes, "%+.3g",
		    figures_slope_per_minute(line.slope_mib_per_s));
	}
	if (leaks > 0) {
		buf_add(b, fit.data, fit.len);
		plot_add_block_end(b);
	}
	buf_free(&fit);
	return leaks;
}

/*
 * heap: start, end, live and goal per cycle, the goroutine stacks where
 * the lines give them (Go 1.18+), and the fitted leak lines of both.
 */
static int
plot_heap(struct plot_data *d, struct buf *b, struct plot_info *info,
    struct buf *err)
{
	static const char *const columns[] = { "start_ms", "gc_num",
	    "heap_start_mib", "heap_end_mib", "heap_live_mib",
	    "heap_goal_mib", "stacks_mib" };
	struct plot_cycles it;
	struct store_row row;
	struct buf slopes = BUF_INIT, stack_slopes = BUF_INIT;
	int64_t rows = 0, stacks = 0;
	int rc, last = -1, leaks, stack_leaks, col;

	buf_adds(b, "$gc << EOD\n# time_s gc_num heap_start_mib heap_end_mib "
	    "heap_live_mib heap_goal_mib stacks_mib\n");
	plot_cycles_open(&it, d, columns, 7, 1);
	while ((rc = plot_cycles_next(&it, &row, err)) > 0) {
		plot_add_break(b, &last, it.segment);
		plot_add_time(b, d, it.segment, row.values[0].i);
		for (col = 1; col <= 6; col++)
			plot_add_value(b, &row.values[col]);
		if (row.values[6].type != VAL_NULL)
			stacks++;
		buf_addc(b, '\n');
		rows++;
	}
	plot_cycles_close(&it);
	if (rc < 0)
		return -1;
	plot_add_block_end(b);

	leaks = plot_heap_fits(d, LEAKS_SERIES_HEAP, "fit", b, &slopes, err);
	stack_leaks = leaks < 0 ? -1 : plot_heap_fits(d, LEAKS_SERIES_STACKS,
	    "stackfit", b, &stack_slopes, err);
	if (leaks < 0 || stack_leaks < 0) {
		buf_free(&slopes);
		buf_free(&stack_slopes);
		return -1;
	}
	if (info != NULL)
		info->leak_line = leaks > 0;

	buf_adds(b, "set ylabel 'heap (MiB)'\nset yrange [0:*]\n"
	    "set offsets 0, 0, graph 0.05, 0\n");
	plot_add_xrange(b, d);
	plot_add_restarts(b, d);
	if (info != NULL)
		info->rows = rows;
	if (rows == 0) {
		plot_add_empty(b, "no gc cycles in this run");
		goto out;
	}
	buf_adds(b, "plot $gc using ($1/xs):4 with lines lw 1 "
	    "lc rgb '#9ecae1' title 'heap at mark end (H1)', \\\n"
	    "     $gc using ($1/xs):3 with lines lw 1 lc rgb '#c6dbef' "
	    "title 'heap at cycle start (H0)', \\\n"
	    "     $gc using ($1/xs):6 with lines dt 2 lw 1.5 "
	    "lc rgb '#e6550d' title 'heap goal', \\\n"
	    "     $gc using ($1/xs):5 with linespoints pt 7 ps 0.5 lw 2 "
	    "lc rgb '#08519c' title 'live heap after mark (H2)'");
	if (stacks > 0)
		buf_adds(b, ", \\\n     $gc using ($1/xs):7 with linespoints "
		    "pt 5 ps 0.4 lw 1.5 lc rgb '#31a354' title 'goroutine "
		    "stacks'");
	if (leaks > 0)
		buf_addf(b, ", \\\n     $fit using ($1/xs):2 with lines lw 3 "
		    "lc rgb '#d62728' title 'leak: fitted live-heap floor, %s "
		    "MiB/min'", slopes.data);
	if (stack_leaks > 0)
		buf_addf(b, ", \\\n     $stackfit using ($1/xs):2 with lines "
		    "lw 3 dt 3 lc rgb '#d62728' title 'goroutine leak: fitted "
		    "stacks floor, %s MiB/min'", stack_slopes.data);
	buf_adds(b, "\n");
out:
	buf_free(&slopes);
	buf_free(&stack_slopes);
	return 0;
}

/* pauses: both stop-the-world phases per cycle on a log axis. */
static int
plot_pauses(struct plot_data *d, struct buf *b, struct plot_info *info,
    struct buf *err)
{
	static const char *const columns[] = { "start_ms", "gc_num",
	    "stw_sweepterm_wall_us", "stw_markterm_wall_us" };
	struct plot_cycles it;
	struct store_row row;
	struct buf title = BUF_INIT;
	char thr[32];
	int64_t rows = 0, over = 0, zeros = 0, v, max;
	int64_t phase_over[2] = { 0, 0 };
	int rc, col, last = -1;

	buf_adds(b, "$gc << EOD\n# time_s gc_num stw_sweepterm_wall_us "
	    "stw_markterm_wall_us\n");
	plot_cycles_open(&it, d, columns, 4, 1);
	while ((rc = plot_cycles_next(&it, &row, err)) > 0) {
		plot_add_break(b, &last, it.segment);
		plot_add_time(b, d, it.segment, row.values[0].i);
		plot_add_value(b, &row.values[1]);
		plot_add_value(b, &row.values[2]);
		plot_add_value(b, &row.values[3]);
		buf_addc(b, '\n');
		rows++;
		max = -1;
		for (col = 2; col <= 3; col++) {
			if (row.values[col].type == VAL_NULL)
				continue;
			v = row.values[col].i;
			if (v == 0)
				zeros++;
			if ((double)v > d->req->over_us)
				phase_over[col - 2]++;
			if (v > max)
				max = v;
		}
		if (max >= 0 && (double)max > d->req->over_us)
			over++;
	}
	plot_cycles_close(&it);
	if (rc < 0)
		return -1;
	plot_add_block_end(b);
	if (info != NULL) {
		info->rows = rows;
		info->over = over;
	}
	buf_addf(b, "thr = %g\t# us: the threshold (--over)\n"
	    "floor = %g\t# us: where a pause printed as 0 (< 1 us) is drawn\n"
	    "shown(v) = v < floor ? floor : v\n"
	    "above(v) = v > thr ? shown(v) : NaN\n"
	    "below(v) = v > thr ? NaN : shown(v)\n",
	    d->req->over_us, PLOT_ZERO_FLOOR_US);
	if (zeros > 0)
		buf_addf(b, "set ylabel 'stop-the-world pause (µs, log "
		    "scale; 0 = under 1 µs, drawn at %g)'\n",
		    PLOT_ZERO_FLOOR_US);
	else
		buf_adds(b, "set ylabel 'stop-the-world pause (µs, log "
		    "scale)'\n");
	buf_adds(b, "set logscale y\nset format y '%g'\n");
	plot_add_xrange(b, d);
	plot_add_restarts(b, d);
	if (rows == 0) {
		plot_add_empty(b, "no gc cycles in this run");
		return 0;
	}
	buf_adds(b, "plot $gc using ($1/xs):(below($3)) with points pt 7 "
	    "ps 0.6 lc rgb '#3182bd' title 'sweep termination', \\\n"
	    "     $gc using ($1/xs):(below($4)) with points pt 5 ps 0.6 "
	    "lc rgb '#31a354' title 'mark termination', \\\n");
	/* Only series with points: gnuplot warns about empty ones. */
	if (phase_over[0] > 0)
		buf_adds(b, "     $gc using ($1/xs):(above($3)) with points "
		    "pt 6 ps 1.6 lw 2 lc rgb '#d62728' title 'sweep "
		    "termination over threshold', \\\n");
	if (phase_over[1] > 0)
		buf_adds(b, "     $gc using ($1/xs):(above($4)) with points "
		    "pt 4 ps 1.6 lw 2 lc rgb '#d62728' title 'mark "
		    "termination over threshold', \\\n");
	figures_duration_us(thr, sizeof thr, d->req->over_us, 0);
	buf_addf(&title, "threshold %s (%lld of %lld cycles over)", thr,
	    (long long)over, (long long)rows);
	buf_adds(b, "     thr with lines dt 2 lw 1.5 lc rgb '#d62728' "
	    "title ");
	plot_add_quoted(b, title.data);
	buf_adds(b, "\n");
	buf_free(&title);
	return 0;
}

/* sched: runnable backlog, idle Ps and threads, gc starts as a rug. */
static int
plot_sched(struct plot_data *d, struct buf *b, struct plot_info *info,
    struct buf *err)
{
	static const char *const columns[] = { "start_ms" };
	struct plot_cycles it;
	struct store_row row;
	struct sched_result res;
	const struct sched_sample *x;
	int64_t rows = 0, gcs = 0;
	size_t i, k;
	int rc, last = -1;

	/* The scheduler analysis' samples: it fills the local queues of a
	 * scheddetail dump in from its per-P lines. */
	buf_adds(b, "$sched << EOD\n# time_s runnable idle_procs threads "
	    "gomaxprocs global_runq local_runq_total\n");
	for (i = 0; i < d->nsegs; i++) {
		memset(&res, 0, sizeof res);
		if (sched_analyse(d->store, d->req->run_id,
		    d->segs[i].segment, &res, err) < 0) {
			sched_result_free(&res);
			return -1;
		}
		for (k = 0; k < res.n_samples; k++) {
			x = &res.samples[k];
			plot_add_break(b, &last, d->segs[i].segment);
			plot_add_time(b, d, d->segs[i].segment, x->t_ms);
			plot_add_count(b, x->backlog);
			plot_add_count(b, x->idle_procs);
			plot_add_count(b, x->threads);
			plot_add_count(b, x->gomaxprocs);
			plot_add_count(b, x->global_runq);
			plot_add_count(b, x->local_runq_total);
			buf_addc(b, '\n');
			rows++;
		}
		sched_result_free(&res);
	}
	plot_add_block_end(b);
	buf_adds(b, "$gcstart << EOD\n# time_s (start of each gc cycle)\n");
	last = -1;
	plot_cycles_open(&it, d, columns, 1, 1);
	while ((rc = plot_cycles_next(&it, &row, err)) > 0) {
		plot_add_break(b, &last, it.segment);
		plot_add_time(b, d, it.segment, row.values[0].i);
		buf_addc(b, '\n');
		gcs++;
	}
	plot_cycles_close(&it);
	if (rc < 0)
		return -1;
	plot_add_block_end(b);
	if (info != NULL)
		info->rows = rows;
	buf_adds(b, "set ylabel 'goroutines, Ps, threads (count)'\n"
	    "set offsets 0, 0, graph 0.05, 0\n"
	    "set yrange [0:*]\nset y2range [0:1]\nunset y2tics\n");
	plot_add_xrange(b, d);
	plot_add_restarts(b, d);
	if (rows == 0) {
		plot_add_empty(b, "no scheduler samples in this run "
		    "(GODEBUG=schedtrace=1000 makes them)");
		return 0;
	}
	buf_adds(b, "plot $sched using ($1/xs):2 with steps lw 2 "
	    "lc rgb '#d62728' title 'runnable backlog (global + local run "
	    "queues)', \\\n"
	    "     $sched using ($1/xs):3 with steps lw 1.5 lc rgb '#31a354' "
	    "title 'idle Ps', \\\n"
	    "     $sched using ($1/xs):4 with steps lw 1.5 lc rgb '#3182bd' "
	    "title 'OS threads'");
	if (gcs > 0)
		buf_adds(b, ", \\\n     $gcstart using ($1/xs):(0.04) axes x1y2 "
		    "with impulses lw 1 lc rgb '#969696' title 'gc cycle "
		    "start'");
	buf_adds(b, "\n");
	return 0;
}

/*
 * The segment's GC CPU as a horizontal line over its intervals, appended
 * to the $mean block in means, and its value ("1.23%") to titles.
 */
static void
plot_gc_cpu_mean(struct plot_data *d, int segment,
    const struct figures_gc_cpu *acc, int64_t from_ms, int64_t to_ms,
    struct buf *means, struct buf *titles)
{
	double share, idle;

	if (figures_gc_cpu_share(acc, &share, &idle) < 0)
		return;
	if (means->len > 0) {
		buf_addc(means, '\n');
		buf_adds(titles, ", ");
	}
	plot_add_time(means, d, segment, from_ms);
	buf_addf(means, " %.3f\n", 100 * share);
	plot_add_time(means, d, segment, to_ms);
	buf_addf(means, " %.3f\n", 100 * share);
	buf_addf(titles, "%.2f%%", 100 * share);
}

/*
 * gc-cpu: cycle n's GC CPU time over the CPU capacity until the next
 * cycle starts, in percent, stacked by class (STW, assist, background),
 * as figures.h defines it; idle marking apart; the segment's GC CPU as a
 * line.
 */
static int
plot_gc_cpu(struct plot_data *d, struct buf *b, struct plot_info *info,
    struct buf *err)
{
	struct plot_cycles it;
	struct store_row row;
	struct figures_gc_cpu acc;
	struct figures_cycle_cpu cycle;
	struct figures_gc_cpu_interval iv;
	struct buf means = BUF_INIT, titles = BUF_INIT;
	int64_t rows = 0, from_ms = 0, to_ms = 0;
	int rc, seg, prev_seg = -1, last = -1;

	buf_adds(b, "$cpu << EOD\n# from_s to_s stw_pct assist_pct "
	    "background_pct idle_pct (of gomaxprocs x time to the next "
	    "cycle)\n");
	figures_gc_cpu_init(&acc);
	plot_cycles_open(&it, d, figures_gc_cpu_columns,
	    FIGURES_GC_CPU_NCOLUMNS, 0);
	while ((rc = plot_cycles_next(&it, &row, err)) > 0) {
		seg = it.segment;
		if (seg != prev_seg) {
			if (prev_seg >= 0)
				plot_gc_cpu_mean(d, prev_seg, &acc, from_ms,
				    to_ms, &means, &titles);
			figures_gc_cpu_init(&acc);
			prev_seg = seg;
		}
		figures_cycle_cpu_read(&cycle, row.values);
		if (!figures_gc_cpu_add(&acc, &cycle, &iv))
			continue;
		if (acc.intervals == 1)
			from_ms = iv.from_ms;
		to_ms = iv.to_ms;
		plot_add_break(b, &last, seg);
		plot_add_time(b, d, seg, iv.from_ms);
		buf_addc(b, ' ');
		plot_add_time(b, d, seg, iv.to_ms);
		buf_addf(b, " %.3f %.3f %.3f %.3f\n",
		    100.0 * iv.stw_us / iv.capacity_us,
		    100.0 * iv.assist_us / iv.capacity_us,
		    100.0 * iv.background_us / iv.capacity_us,
		    100.0 * iv.idle_us / iv.capacity_us);
		rows++;
	}
	plot_cycles_close(&it);
	if (rc < 0) {
		buf_free(&means);
		buf_free(&titles);
		return -1;
	}
	if (prev_seg >= 0)
		plot_gc_cpu_mean(d, prev_seg, &acc, from_ms, to_ms, &means,
		    &titles);
	plot_add_block_end(b);
	if (means.len > 0) {
		buf_adds(b, "$mean << EOD\n# time_s gc_cpu_pct: the "
		    "segment's GC CPU over its intervals\n");
		buf_add(b, means.data, means.len);
		plot_add_block_end(b);
	}
	if (info != NULL)
		info->rows = rows;
	buf_adds(b, "set ylabel 'GC CPU (% of GOMAXPROCS x time to the next "
	    "cycle)'\nset yrange [0:*]\nset style fill solid 1.0 noborder\n"
	    "set offsets 0, 0, graph 0.05, 0\n");
	plot_add_xrange(b, d);
	plot_add_restarts(b, d);
	if (rows == 0) {
		plot_add_empty(b, "fewer than two gc cycles in this run");
		goto out;
	}
	/* Stacked: each class drawn from the axis, tallest sum first; idle
	 * marking is not GC CPU, so it is a line of its own. */
	buf_adds(b, "mid(a, b) = (a + b) / 2 / xs\nwid(a, b) = (b - a) / xs\n"
	    "plot $cpu using (mid($1,$2)):($3+$4+$5):(wid($1,$2)) "
	    "with boxes lc rgb '#6baed6' title 'background marking', \\\n"
	    "     $cpu using (mid($1,$2)):($3+$4):(wid($1,$2)) "
	    "with boxes lc rgb '#fd8d3c' title 'mark assist', \\\n"
	    "     $cpu using (mid($1,$2)):3:(wid($1,$2)) "
	    "with boxes lc rgb '#a50f15' title 'stop-the-world', \\\n"
	    "     $cpu using ($1/xs):6 with steps lw 1 lc rgb '#31a354' "
	    "title 'idle marking (spare Ps, not GC CPU)'");
	if (means.len > 0)
		buf_addf(b, ", \\\n     $mean using ($1/xs):2 with lines "
		    "dt 2 lw 2 lc rgb '#252525' title 'GC CPU of the segment: "
		    "%s'", titles.data);
	buf_adds(b, "\n");
out:
	buf_free(&means);
	buf_free(&titles);
	return 0;
}

int
plot_script(struct store *store, const struct plot_request *req,
    struct buf *script, struct plot_info *info, struct buf *err)
{
	static const char *const what[PLOT_KIND_COUNT] = {
		"Heap", "GC stop-the-world pauses", "Scheduler",
		"GC CPU per cycle"
	};
	struct plot_data d;
	int rc = -1;

	memset(&d, 0, sizeof d);
	d.store = store;
	d.req = req;
	if (info != NULL)
		memset(info, 0, sizeof *info);
	if (plot_load_segments(&d, err) < 0)
		goto out;
	if (info != NULL)
		info->segments = (int)d.nsegs;
	if (plot_add_header(script, &d, what[req->kind], err) < 0)
		goto out;
	switch (req->kind) {
	case PLOT_HEAP:
		rc = plot_heap(&d, script, info, err);
		break;
	case PLOT_PAUSES:
		rc = plot_pauses(&d, script, info, err);
		break;
	case PLOT_SCHED:
		rc = plot_sched(&d, script, info, err);
		break;
	case PLOT_GC_CPU:
		rc = plot_gc_cpu(&d, script, info, err);
		break;
	default:
		buf_addf(err, "unknown plot kind %d", (int)req->kind);
		break;
	}
	if (rc == 0)
		buf_adds(script, "unset output\n");
out:
	free(d.segs);
	return rc;
}

/* ---------------------------------------------------------------- gnuplot */

static void
plot_keep(struct buf *messages, const char *data, size_t n)
{
	if (messages->len >= PLOT_MESSAGES_MAX)
		return;
	if (n > PLOT_MESSAGES_MAX - messages->len)
		n = PLOT_MESSAGES_MAX - messages->len;
	buf_add(messages, data, n);
}

/*
 * Write script to fd_in and read fd_out until gnuplot closes it, both at
 * once so that neither side can block the other on a full pipe.
 */
static int
plot_exchange(int fd_in, int fd_out, const char *script, size_t len,
    struct buf *messages, struct buf *err)
{
	struct pollfd pfd[2];
	char chunk[4096];
	size_t done = 0;
	ssize_t n;
	int rc = 0;

	if (len == 0) {
		close(fd_in);
		fd_in = -1;
	} else
		fcntl(fd_in, F_SETFL, fcntl(fd_in, F_GETFL) | O_NONBLOCK);
	while (fd_out >= 0) {
		pfd[0].fd = fd_in;
		pfd[0].events = POLLOUT;
		pfd[0].revents = 0;
		pfd[1].fd = fd_out;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			buf_addf(err, "poll: %s", strerror(errno));
			rc = -1;
			break;
		}
		if (fd_in >= 0 && pfd[0].revents != 0) {
			n = write(fd_in, script + done, len - done);
			if (n > 0)
				done += (size_t)n;
			if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
			    done == len) {
				/* EPIPE: gnuplot stopped reading; its exit
				 * status tells why. */
				close(fd_in);
				fd_in = -1;
			}
		}
		if (pfd[1].revents != 0) {
			n = read(fd_out, chunk, sizeof chunk);
			if (n > 0)
				plot_keep(messages, chunk, (size_t)n);
			else if (n == 0 || (errno != EAGAIN &&
			    errno != EINTR)) {
				close(fd_out);
				fd_out = -1;
			}
		}
	}
	if (fd_in >= 0)
		close(fd_in);
	return rc;
}

int
plot_run(const char *program, const char *script, size_t len,
    struct buf *messages, struct buf *err)
{
	posix_spawn_file_actions_t fa;
	struct sigaction ignore, old;
	char *argv[3];
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	int status, rc, spawned = 0;
	pid_t pid;

	if (pipe(in) < 0 || pipe(out) < 0) {
		buf_addf(err, "pipe: %s", strerror(errno));
		goto fail;
	}
	fcntl(in[1], F_SETFD, FD_CLOEXEC);
	fcntl(out[0], F_SETFD, FD_CLOEXEC);
	argv[0] = (char *)program;
	argv[1] = (char *)"-";
	argv[2] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, out[1], 2);
	posix_spawn_file_actions_addclose(&fa, in[0]);
	posix_spawn_file_actions_addclose(&fa, out[1]);
	rc = posix_spawnp(&pid, program, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	if (rc != 0) {
		buf_addf(err, "cannot run '%s': %s", program, strerror(rc));
		goto fail;
	}
	spawned = 1;

	/* A gnuplot that exits early must not kill us with SIGPIPE. */
	memset(&ignore, 0, sizeof ignore);
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGPIPE, &ignore, &old);
	rc = plot_exchange(in[1], out[0], script, len, messages, err);
	in[1] = out[0] = -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			buf_addf(err, "waitpid: %s", strerror(errno));
			sigaction(SIGPIPE, &old, NULL);
			return -1;
		}
	sigaction(SIGPIPE, &old, NULL);
	if (rc < 0)
		return -1;
	if (WIFSIGNALED(status)) {
		buf_addf(err, "'%s' was killed by signal %d", program,
		    WTERMSIG(status));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		if (WEXITSTATUS(status) == 127 && messages->len == 0)
			buf_addf(err, "cannot run '%s'", program);
		else
			buf_addf(err, "'%s' failed with exit status %d",
			    program, WEXITSTATUS(status));
		return -1;
	}
	return 0;
fail:
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	if (out[0] >= 0)
		close(out[0]);
	if (out[1] >= 0)
		close(out[1]);
	(void)spawned;
	return -1;
}

/*
 * The script as the user keeps it: naming the image asked for, not the
 * temporary file gnuplot draws into.
 */
static void
plot_user_script(struct buf *out, const struct buf *script, const char *tmp,
    const char *output)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	const char *at;

	buf_adds(&from, "set output ");
	plot_add_quoted(&from, tmp);
	buf_adds(&to, "set output ");
	plot_add_quoted(&to, output);
	at = strstr(script->data, from.data);
	if (at == NULL) {
		buf_add(out, script->data, script->len);
	} else {
		buf_add(out, script->data, (size_t)(at - script->data));
		buf_add(out, to.data, to.len);
		buf_adds(out, at + from.len);
	}
	buf_free(&from);
	buf_free(&to);
}

int
plot_draw(struct store *store, const struct plot_request *req,
    const char *program, const char *script_path, struct plot_info *info,
    struct buf *messages, struct buf *err)
{
	struct buf script = BUF_INIT, kept = BUF_INIT;
	struct plot_request to_tmp = *req;
	struct safefile image;
	int rc = 0;

	/*
	 * gnuplot opens its output as it is told, links and all: it draws
	 * into a fresh file of ours that is then renamed over the image.
	 */
	if (safefile_open(&image, req->output, err) < 0)
		return PLOT_FAIL_SCRIPT;
	to_tmp.output = image.tmp;
	if (plot_script(store, &to_tmp, &script, info, err) < 0) {
		rc = PLOT_FAIL_DATA;
		goto out;
	}
	if (script_path != NULL) {
		plot_user_script(&kept, &script, image.tmp, req->output);
		if (safefile_write(script_path, kept.data, kept.len, err) < 0) {
			rc = PLOT_FAIL_SCRIPT;
			goto out;
		}
	}
	if (plot_run(program, script.data, script.len, messages, err) < 0)
		rc = PLOT_FAIL_GNUPLOT;
	else if (safefile_commit(&image, err) < 0)
		rc = PLOT_FAIL_SCRIPT;
out:
	if (image.tmp != NULL)
		safefile_abort(&image);
	buf_free(&script);
	buf_free(&kept);
	return rc;
}
