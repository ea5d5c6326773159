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
#include "an-pauses.h"
#include "an-sched.h"
#include "buf.h"
#include "figures.h"
#include "plot.h"
#include "plot-reduce.h"
#include "safefile.h"
#include "xalloc.h"
#include "banned.h"

extern char **environ;

#define PLOT_MESSAGES_MAX	(64 * 1024)

static const char *const plot_kind_names[PLOT_KIND_COUNT] = {
	"heap", "pauses", "sched", "gc-cpu", "pause-dist"
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

/*
 * One segment of the plot and where it lies on the x axis.  A segment's
 * times are its process's own (seconds since that process started); the
 * first segment is drawn at those times, and each later one (a restart)
 * is moved to begin where the previous one ended, whatever time its
 * first line says: a process that tracestat met late (its first line at
 * @17s) is drawn from its first line on, without a gap before it.
 */
struct plot_segment {
	int	 segment;
	double	 offset_s;	/* added to the segment's own times */
	double	 first_s;	/* the segment's first time stamp */
	double	 end_s;		/* the segment's last time stamp */
	int64_t	 gc_cycles;
};

struct plot_data {
	struct store		*store;
	const struct plot_request *req;
	struct plot_segment	*segs;
	size_t			 nsegs;
	double			 x_lo, x_hi;	/* the data's x (s) */
	double			 unit_s;	/* seconds per x unit */
	const char		*unit_name;
	int			 font;		/* points */
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

/* A time the store may not have, in seconds; NaN when it has not. */
static double
plot_time_s(const struct value *v)
{
	return v->type == VAL_NULL ? NAN : v->i / 1000.0;
}

/* The smaller (or larger, with larger) of two times, NaN for neither. */
static double
plot_time_pick(double a, double b, int larger)
{
	if (isnan(a))
		return b;
	if (isnan(b))
		return a;
	return (larger ? a > b : a < b) ? a : b;
}

/* Text that stays readable at 800x400 and in proportion at 1600x900. */
static void
plot_choose_font(struct plot_data *d)
{
	d->font = d->req->width < 1000 ? 9 : d->req->width < 1400 ? 10 : 12;
}

/*
 * The segments asked for, laid end to end: the first at its own times,
 * each later one moved to begin where the previous one ended (see struct
 * plot_segment), so restarts follow one another on one axis without gaps.
 */
static int
plot_load_segments(struct plot_data *d, struct buf *err)
{
	struct store_segment *segs = NULL;
	struct plot_segment *p;
	size_t n = 0, i;
	double first, end, x_end = 0, span;

	if (store_segments(d->store, d->req->run_id, d->req->segment > 0 ?
	    d->req->segment : STORE_ALL_SEGMENTS, &segs, &n, err) < 0) {
		store_segments_free(segs, n);
		return -1;
	}
	d->segs = n > 0 ? xcalloc(n, sizeof *d->segs) : NULL;
	for (i = 0; i < n; i++) {
		first = plot_time_pick(plot_time_s(&segs[i].first_ms),
		    plot_time_s(&segs[i].first_sched_ms), 0);
		end = plot_time_pick(plot_time_s(&segs[i].last_ms),
		    plot_time_s(&segs[i].last_sched_ms), 1);
		if (isnan(first))
			first = 0;
		if (isnan(end) || end < first)
			end = first;
		p = &d->segs[d->nsegs++];
		p->segment = segs[i].segment;
		p->first_s = first;
		p->end_s = end;
		p->gc_cycles = segs[i].gc_cycles;
		p->offset_s = i == 0 ? 0 : x_end - first;
		if (i == 0)
			d->x_lo = first;
		x_end = p->offset_s + end;
	}
	store_segments_free(segs, n);
	d->x_hi = x_end;
	span = d->x_hi - d->x_lo;
	/* Seconds up to 10 minutes, minutes up to 10 hours, then hours. */
	if (span < 600) {
		d->unit_s = 1;
		d->unit_name = "s";
	} else if (span < 36000) {
		d->unit_s = 60;
		d->unit_name = "min";
	} else {
		d->unit_s = 3600;
		d->unit_name = "h";
	}
	plot_choose_font(d);
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

/*
 * thousandths / 1000 with 3 decimals ("-12.345"), after a space when
 * space is set, without printf: a plot of a long run writes millions of
 * numbers.
 */
static void
plot_add_thousandths(struct buf *b, int64_t thousandths, int space)
{
	char tmp[32], *p = tmp + sizeof tmp;
	uint64_t u;
	int k;

	u = thousandths < 0 ? -(uint64_t)thousandths : (uint64_t)thousandths;
	for (k = 0; k < 3; k++) {
		*--p = (char)('0' + u % 10);
		u /= 10;
	}
	*--p = '.';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (thousandths < 0)
		*--p = '-';
	if (space)
		*--p = ' ';
	buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* " V" as " %.3f" writes it (gc-cpu writes six for every cycle). */
static void
plot_add_fixed3(struct buf *b, double v)
{
	if (!(fabs(v) < 1e12))
		buf_addf(b, " %.3f", v);
	else
		plot_add_thousandths(b, llround(v * 1000), 1);
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

	if (offset != 0 || ms <= -PLOT_EXACT_MS || ms >= PLOT_EXACT_MS)
		buf_addf(b, "%.3f", offset + ms / 1000.0);
	else	/* the first segment, or the only one: the digits of ms */
		plot_add_thousandths(b, ms, 0);
}

/* ----------------------------------------------------------------- blocks */

/*
 * A data block drawn reduced (plot-reduce.h): rows are formatted into
 * row and handed to the reducer one behind, so that the last row of each
 * segment is known and marked like the first; a blank line goes between
 * segments so that gnuplot does not join two processes.
 */
struct plot_block {
	struct plot_reduce	 r;
	struct buf		*out;
	struct buf		 row, held;
	double			 held_x, held_y[PLOT_REDUCE_MAX_SERIES];
	int			 held_mark, held_segment, nseries;
	int64_t			 rows;
};

static void
plot_block_open(struct plot_block *pb, const struct plot_data *d,
    struct buf *out, int nseries)
{
	memset(pb, 0, sizeof *pb);
	pb->out = out;
	pb->nseries = nseries;
	pb->held_segment = -1;
	plot_reduce_init(&pb->r, out, d->x_lo, d->x_hi, d->req->width,
	    nseries);
}

/* Hand the held row over, marked too when it ends its segment. */
static void
plot_block_release(struct plot_block *pb, int ends_segment)
{
	if (pb->held_segment < 0)
		return;
	plot_reduce_add(&pb->r, pb->held_x, pb->held_y,
	    pb->held_mark || ends_segment, pb->held.data, pb->held.len);
}

/* The row now in pb->row, at x with values y, of segment. */
static void
plot_block_add(struct plot_block *pb, int segment, double x,
    const double *y, int marked)
{
	int first = segment != pb->held_segment;
	struct buf t;

	plot_block_release(pb, first);
	if (first && pb->held_segment >= 0) {
		plot_reduce_flush(&pb->r);
		buf_addc(pb->out, '\n');
	}
	t = pb->held;
	pb->held = pb->row;
	pb->row = t;
	buf_reset(&pb->row);
	pb->held_x = x;
	memcpy(pb->held_y, y, (size_t)pb->nseries * sizeof *y);
	pb->held_mark = marked || first;
	pb->held_segment = segment;
	pb->rows++;
}

/* After an error: free what pb holds, write nothing more. */
static void
plot_block_abandon(struct plot_block *pb)
{
	pb->r.out = &pb->row;	/* the pending rows go nowhere kept */
	plot_reduce_end(&pb->r);
	buf_free(&pb->row);
	buf_free(&pb->held);
}

/* The last row, then the end of the block. */
static void
plot_block_close(struct plot_block *pb)
{
	plot_block_release(pb, 1);
	plot_reduce_end(&pb->r);
	buf_free(&pb->row);
	buf_free(&pb->held);
	buf_adds(pb->out, "EOD\n");
}

/*
 * Close pb and append to b its header (the "$name << EOD" line and its
 * comment) and its rows, which were kept apart in pb->out until every
 * figure of the header was known; pb->out is freed.
 */
static void
plot_block_write(struct plot_block *pb, struct buf *b, const char *header)
{
	plot_block_close(pb);
	buf_adds(b, header);
	buf_add(b, pb->out->data, pb->out->len);
	buf_free(pb->out);
}

/* ---------------------------------------------------------------- script */

/*
 * The title, and under it the line that says what the plot found (the
 * verdict), when there is one.
 */
static int
plot_add_title(struct buf *b, const struct plot_data *d, const char *what,
    const char *found)
{
	const struct plot_request *req = d->req;
	struct buf t = BUF_INIT;
	const char *nl;
	int lines = 1;

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
	/* Each line of found under it (plot_add_quoted drops newlines). */
	while (found != NULL && *found != '\0') {
		nl = strchr(found, '\n');
		buf_reset(&t);
		buf_add(&t, found, nl != NULL ? (size_t)(nl - found) :
		    strlen(found));
		buf_adds(b, " . \"\\n\" . ");
		plot_add_quoted(b, buf_str(&t));
		found = nl != NULL ? nl + 1 : NULL;
		lines++;
	}
	buf_addf(b, " font ',%d'\n", d->font + 1);
	buf_free(&t);
	return lines;
}

/*
 * The script's terminal and output, from "set terminal" (or the "if"
 * that chooses one) to the "set output" line: plot_script_retarget
 * replaces exactly these lines.
 */
static void
plot_add_terminal(struct buf *b, const struct plot_request *req, int font)
{
	/* No "set encoding": cairo and svg take the UTF-8 text as it is,
	 * and in the C locale "set encoding utf8" only earns a warning.
	 * The SVG has a fixed size and names only generic fonts, so that
	 * it can be inlined in a page as it is. */
	if (req->svg)
		buf_addf(b, "set terminal svg size %d,%d fixed noenhanced "
		    "font 'sans-serif,%d' background '#ffffff'\n", req->width,
		    req->height, font + 1);
	else
		buf_addf(b, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) "
		    "{\n\tset terminal pngcairo size %d,%d noenhanced "
		    "font 'Sans,%d'\n} else {\n\tset terminal png size %d,%d "
		    "noenhanced\n}\n", req->width, req->height, font,
		    req->width, req->height);
	buf_adds(b, "set output ");
	plot_add_quoted(b, req->output);
	buf_adds(b, "\n");
}

/*
 * The terminal, the output, the x axis and the frame every kind shares:
 * fixed margins (in character cells, so they follow the font) and the
 * key inside the top left corner on an opaque box, above the data (each
 * kind leaves room for it with plot_add_headroom).
 */
static int
plot_add_header(struct buf *b, const struct plot_data *d, struct buf *err)
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
	plot_add_terminal(b, req, d->font);
	buf_addf(b, "xs = %g\t# seconds per x unit\n", d->unit_s);
	buf_addf(b, "ps0 = %g\t# point size, larger on larger images\n",
	    req->width < 1000 ? 1.0 : req->width < 1400 ? 1.2 : 1.5);
	return 0;
}

static void
plot_add_xlabel(struct buf *b, const struct plot_data *d)
{
	if (d->req->segment == 0 && d->nsegs > 1)
		buf_addf(b, "set xlabel 'time since process start, each "
		    "restart laid after the end of the previous process "
		    "(%s)'\n", d->unit_name);
	else
		buf_addf(b, "set xlabel 'time since process start (%s)'\n",
		    d->unit_name);
}

/* Margins (character cells), grid and key; right: room for a y2 axis. */
static void
plot_add_frame(struct buf *b, int title_lines, int right)
{
	buf_addf(b, "set lmargin 11\nset rmargin %d\nset tmargin %.1f\n"
	    "set bmargin 3.5\n", right ? 9 : 3, title_lines * 1.15 + 1);
	buf_adds(b, "set grid xtics ytics lc rgb '#e0e0e0' lt 1\n"
	    "set border 3 lw 1\nset tics nomirror\nset mxtics\n"
	    "set format x '%g'\n"
	    "set key inside top left vertical Left reverse opaque "
	    "box lc rgb '#bbbbbb' samplen 2.5 spacing 1.1 height 0.5\n"
	    "set datafile missing 'NaN'\n"
	    "set style textbox opaque noborder\n");
}

/*
 * The top of a linear y axis from 0 (or of a log one from lo) that keeps
 * entries key lines free above the highest value, so the key never
 * covers data; height is the image height and font the text size.
 */
static double
plot_headroom(const struct plot_data *d, double lo, double high, int entries,
    int logscale, double panel)
{
	double plot_px, key_px, frac, hi;

	plot_px = (d->req->height * panel) - 6.5 * d->font * 1.6;
	key_px = (entries + 0.8) * d->font * 1.6 * 1.1;
	frac = plot_px > 0 ? key_px / plot_px + 0.05 : 0.6;
	if (frac > 0.7)
		frac = 0.7;
	if (logscale) {
		if (!(high > lo))
			high = lo * 10;
		hi = log10(lo) + (log10(high) - log10(lo)) / (1 - frac);
		return pow(10, hi);
	}
	if (!(high > 0))
		high = 1;
	return high / (1 - frac);
}

/* Dotted vertical lines where a later segment (a restart) begins. */
static void
plot_add_restarts(struct buf *b, const struct plot_data *d)
{
	size_t i;
	double x;

	if (d->req->segment > 0)
		return;
	for (i = 1; i < d->nsegs; i++) {
		x = d->segs[i].offset_s + d->segs[i].first_s;
		buf_addf(b, "set arrow from first %.3f/xs, graph 0 to first "
		    "%.3f/xs, graph 1 nohead dt 3 lw 1.5 lc rgb '#555555' "
		    "front\n", x, x);
		buf_addf(b, "set label 'restart: segment %d' at first "
		    "%.3f/xs, graph 0.04 offset 0.5,0 left front boxed "
		    "tc rgb '#555555'\n", d->segs[i].segment, x);
	}
}

/* The x range of the data, so every kind lines up. */
static void
plot_add_xrange(struct buf *b, const struct plot_data *d)
{
	double span = d->x_hi - d->x_lo;

	/* 1% more on the right keeps the last point off the border. */
	if (span > 0)
		buf_addf(b, "set xrange [%.3f/xs:%.3f/xs]\n", d->x_lo,
		    d->x_hi + span * 0.01);
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

/*
 * Tick labels of a log axis of durations in microseconds, from lo to hi:
 * 1 µs, 10 µs, ... 1 s, and "< 1 µs" at the floor when pauses printed
 * as 0 are drawn there.
 */
static void
plot_add_duration_tics(struct buf *b, const char *axis, double lo,
    double hi, int floor_tic)
{
	static const struct {
		double	 us;
		const char *text;
	} tics[] = {
		{ 1, "1 µs" }, { 10, "10 µs" }, { 100, "100 µs" },
		{ 1e3, "1 ms" }, { 1e4, "10 ms" }, { 1e5, "100 ms" },
		{ 1e6, "1 s" }, { 1e7, "10 s" }, { 1e8, "100 s" }
	};
	size_t i;
	int n = 0;

	buf_addf(b, "set logscale %s 10\nset m%stics 10\nset %stics (", axis,
	    axis, axis);
	if (floor_tic) {
		buf_addf(b, "'< 1 µs' %g", PLOT_ZERO_FLOOR_US);
		n++;
	}
	for (i = 0; i < sizeof tics / sizeof tics[0]; i++) {
		if (tics[i].us < lo || tics[i].us > hi)
			continue;
		buf_addf(b, "%s'%s' %g", n++ ? ", " : "", tics[i].text,
		    tics[i].us);
	}
	buf_adds(b, ")\n");
}

/* ------------------------------------------------------------------ heap */

/* The leak analysis of one series of one segment, as the plot tells it. */
struct plot_leak {
	struct leaks_result	res;
	int			ok;	/* analysed */
	int			given;	/* res is the caller's: not freed */
};

static void
plot_leak_free(struct plot_leak *l)
{
	if (!l->given)
		leaks_result_free(&l->res);
}

/*
 * The leak analyses of both series of a segment with their defaults
 * (tracestat-leaks(1)), from one read of its cycles.
 */
static const struct leaks_result *
req_given_leaks(const struct plot_request *req, int segment)
{
	if (req->given == NULL || req->given->leaks == NULL)
		return NULL;
	return req->given->leaks(req->given->ctx, segment);
}

static int
plot_leaks(struct store *store, const struct plot_request *req, int segment,
    struct plot_leak *heap, struct plot_leak *stacks, struct buf *err)
{
	struct leaks_options opt;
	struct leaks_result res[LEAKS_SERIES_COUNT];

	const struct leaks_result *given;

	memset(heap, 0, sizeof *heap);
	memset(stacks, 0, sizeof *stacks);
	given = req_given_leaks(req, segment);
	if (given != NULL) {
		heap->res = given[LEAKS_SERIES_HEAP];
		stacks->res = given[LEAKS_SERIES_STACKS];
		heap->given = stacks->given = 1;
	} else {
		leaks_options_init(&opt);
		if (leaks_analyse_all(store, req->run_id, segment, &opt, res,
		    err) < 0)
			return -1;
		heap->res = res[LEAKS_SERIES_HEAP];
		stacks->res = res[LEAKS_SERIES_STACKS];
	}
	heap->ok = stacks->ok = 1;
	return 0;
}

/* The fitted line is drawn when the analysis has a line and a window. */
static int
plot_leak_has_line(const struct plot_leak *l)
{
	return l->ok && l->res.has_fit && l->res.has_window;
}

/*
 * The verdict of one series in a few words: what was judged and what
 * came out, e.g. "live heap: leak, +120.7 MiB/min (confidence 1.00)",
 * "live heap: no leak (floor +0.3 MiB/min over 6-60 s, under the 4.0 MiB
 * rise a leak needs)".
 */
static void
plot_leak_verdict(struct buf *b, const struct plot_data *d,
    const struct plot_leak *l, const char *what)
{
	const struct leaks_result *r = &l->res;

	if (!l->ok || r->no_data)
		return;
	if (b->len > 0)
		buf_adds(b, "\n");
	if (r->verdict == LEAKS_LEAK)
		buf_addf(b, "%s: LEAK, %+.3g MiB/min (confidence %.2f)", what,
		    figures_slope_per_minute(r->slope_mib_per_s),
		    r->confidence);
	else if (r->verdict == LEAKS_NO_LEAK && r->has_fit && r->has_window)
		buf_addf(b, "%s: no leak (fitted floor %+.2g MiB/min over "
		    "%.1f-%.1f %s: a %.1f MiB rise, under the %.1f MiB of "
		    "a leak)", what,
		    figures_slope_per_minute(r->slope_mib_per_s),
		    r->window_start_s / d->unit_s, r->window_end_s / d->unit_s,
		    d->unit_name, r->rise_mib, r->threshold_mib);
	else
		buf_addf(b, "%s: %s (%s)", what,
		    leaks_verdict_name(r->verdict),
		    r->reason != NULL ? r->reason : "no reason given");
}

/* The verdicts of one series over several segments, in a few words. */
struct plot_leak_brief {
	struct buf		 list;	/* "segment 2 no-leak, ..." */
	int			 n, same;
	enum leaks_verdict	 verdict;	/* the first one */
};

static void
plot_leak_brief(struct plot_leak_brief *b, const struct plot_leak *l,
    int segment)
{
	const struct leaks_result *r = &l->res;

	if (!l->ok || r->no_data)
		return;
	if (b->n++ == 0) {
		b->verdict = r->verdict;
		b->same = 1;
	} else {
		buf_adds(&b->list, ", ");
		if (r->verdict != b->verdict)
			b->same = 0;
	}
	buf_addf(&b->list, "segment %d %s", segment,
	    r->verdict == LEAKS_LEAK ? "LEAK" : leaks_verdict_name(r->verdict));
	if (r->verdict == LEAKS_LEAK)
		buf_addf(&b->list, " %+.3g MiB/min",
		    figures_slope_per_minute(r->slope_mib_per_s));
}

/* "live heap: no leak in all 3 segments" or the list; frees b. */
static void
plot_leak_briefs(struct buf *out, struct plot_leak_brief *b,
    const char *what)
{
	if (b->n > 0) {
		if (out->len > 0)
			buf_adds(out, "\n");
		if (b->same && b->verdict != LEAKS_LEAK)
			buf_addf(out, "%s: %s in all %d segments judged (see "
			    "tracestat leaks)", what, b->verdict ==
			    LEAKS_NO_LEAK ? "no leak" : "inconclusive", b->n);
		else
			buf_addf(out, "%s: %s", what, buf_str(&b->list));
	}
	buf_free(&b->list);
}

/* Both ends of the fitted line of segment seg into the block. */
static void
plot_leak_add_line(struct buf *b, const struct plot_segment *seg,
    const struct leaks_result *r)
{
	buf_addf(b, "%.3f %.3f\n%.3f %.3f\n",
	    seg->offset_s + r->window_start_s,
	    r->intercept_mib + r->slope_mib_per_s * r->window_start_s,
	    seg->offset_s + r->window_end_s,
	    r->intercept_mib + r->slope_mib_per_s * r->window_end_s);
}

/*
 * The leak analyses of every segment: the fitted lines of the live heap
 * ($fit when the analysis calls it a leak, $flat when not) and of the
 * stacks when they leak ($stackfit), and the verdicts as text.
 */
struct plot_heap_fits {
	struct buf	 fit, flat, stackfit, verdict;
	int		 nfit, nflat, nstackfit;
	struct buf	 slopes, flat_slopes, stack_slopes;
	struct plot_leak_brief brief[LEAKS_SERIES_COUNT];
};

static void
plot_heap_fits_free(struct plot_heap_fits *f)
{
	buf_free(&f->fit);
	buf_free(&f->flat);
	buf_free(&f->stackfit);
	buf_free(&f->verdict);
	buf_free(&f->slopes);
	buf_free(&f->flat_slopes);
	buf_free(&f->stack_slopes);
	buf_free(&f->brief[0].list);
	buf_free(&f->brief[1].list);
}

/* Append a slope in MiB/min to list, after ", " when it has one. */
static void
plot_add_listed(struct buf *list, double per_s)
{
	if (list->len > 0)
		buf_adds(list, ", ");
	buf_addf(list, "%+.3g", figures_slope_per_minute(per_s));
}

static int
plot_heap_fits(struct plot_data *d, struct plot_heap_fits *f, struct buf *err)
{
	struct plot_leak heap, stacks;
	size_t i;
	int rc = 0;

	memset(f, 0, sizeof *f);
	for (i = 0; i < d->nsegs && rc == 0; i++) {
		if (plot_leaks(d->store, d->req, d->segs[i].segment,
		    &heap, &stacks, err) < 0) {
			rc = -1;
			break;
		}
		if (plot_leak_has_line(&heap)) {
			if (heap.res.verdict == LEAKS_LEAK) {
				if (f->nfit++ > 0)
					buf_adds(&f->fit, "\n");
				plot_leak_add_line(&f->fit, &d->segs[i],
				    &heap.res);
				plot_add_listed(&f->slopes,
				    heap.res.slope_mib_per_s);
			} else {
				if (f->nflat++ > 0)
					buf_adds(&f->flat, "\n");
				plot_leak_add_line(&f->flat, &d->segs[i],
				    &heap.res);
				plot_add_listed(&f->flat_slopes,
				    heap.res.slope_mib_per_s);
			}
		}
		if (plot_leak_has_line(&stacks) &&
		    stacks.res.verdict == LEAKS_LEAK) {
			if (f->nstackfit++ > 0)
				buf_adds(&f->stackfit, "\n");
			plot_leak_add_line(&f->stackfit, &d->segs[i],
			    &stacks.res);
			plot_add_listed(&f->stack_slopes,
			    stacks.res.slope_mib_per_s);
		}
		/* One segment: each series' verdict in full; more: one
		 * line per series, a few words per segment. */
		if (d->nsegs == 1) {
			plot_leak_verdict(&f->verdict, d, &heap, "live heap");
			plot_leak_verdict(&f->verdict, d, &stacks,
			    "goroutine stacks");
		} else {
			plot_leak_brief(&f->brief[0], &heap,
			    d->segs[i].segment);
			plot_leak_brief(&f->brief[1], &stacks,
			    d->segs[i].segment);
		}
		plot_leak_free(&heap);
		plot_leak_free(&stacks);
	}
	if (d->nsegs > 1) {
		plot_leak_briefs(&f->verdict, &f->brief[0], "live heap");
		plot_leak_briefs(&f->verdict, &f->brief[1],
		    "goroutine stacks");
	}
	return rc;
}

static void
plot_add_named_block(struct buf *b, const char *name, const char *comment,
    const struct buf *rows)
{
	buf_addf(b, "$%s << EOD\n# %s\n", name, comment);
	buf_add(b, rows->data, rows->len);
	plot_add_block_end(b);
}

/*
 * heap: heap at GC start, at GC end, the live heap after GC and the goal
 * per cycle, the goroutine stacks where the lines give them (Go 1.18+),
 * forced cycles marked, the leak analysis' fitted lines and its verdict
 * written under the title.
 */
static int
plot_heap(struct plot_data *d, struct buf *b, struct plot_info *info,
    struct buf *err)
{
	static const char *const columns[] = { "start_ms", "gc_num",
	    "heap_start_mib", "heap_end_mib", "heap_live_mib",
	    "heap_goal_mib", "stacks_mib", "forced" };
	struct plot_cycles it;
	struct store_row row;
	struct plot_block pb;
	struct plot_heap_fits fits;
	struct buf data = BUF_INIT;
	double y[5], top = 0, x;
	int64_t stacks = 0, forced = 0;
	int rc, col, entries, is_forced, lines;

	plot_block_open(&pb, d, &data, 5);
	plot_cycles_open(&it, d, columns, 8, 1);
	while ((rc = plot_cycles_next(&it, &row, err)) > 0) {
		plot_add_time(&pb.row, d, it.segment, row.values[0].i);
		for (col = 1; col <= 6; col++)
			plot_add_value(&pb.row, &row.values[col]);
		is_forced = row.values[7].type != VAL_NULL &&
		    row.values[7].i != 0;
		buf_adds(&pb.row, is_forced ? " 1\n" : " 0\n");
		for (col = 2; col <= 6; col++) {
			y[col - 2] = row.values[col].type == VAL_NULL ? NAN :
			    (double)row.values[col].i;
			if (y[col - 2] > top)
				top = y[col - 2];
		}
		if (row.values[6].type != VAL_NULL)
			stacks++;
		forced += is_forced;
		x = plot_offset(d, it.segment) + row.values[0].i / 1000.0;
		plot_block_add(&pb, it.segment, x, y, is_forced);
	}
	plot_cycles_close(&it);
	if (rc < 0) {
		plot_block_abandon(&pb);
		buf_free(&data);
		return -1;
	}
	plot_block_write(&pb, b, "$gc << EOD\n# time_s gc_num heap_start_mib "
	    "heap_end_mib heap_live_mib heap_goal_mib stacks_mib forced "
	    "(reduced: per pixel column the lowest and highest of each "
	    "series, every forced cycle, each segment's first and last)\n");

	if (plot_heap_fits(d, &fits, err) < 0) {
		plot_heap_fits_free(&fits);
		return -1;
	}
	if (fits.nfit > 0)
		plot_add_named_block(b, "fit", "time_s heap_live_mib: the "
		    "fitted live-heap floor at both ends of its window (leak)",
		    &fits.fit);
	if (fits.nflat > 0)
		plot_add_named_block(b, "flat", "time_s heap_live_mib: the "
		    "fitted live-heap floor at both ends of its window (no "
		    "leak)", &fits.flat);
	if (fits.nstackfit > 0)
		plot_add_named_block(b, "stackfit", "time_s stacks_mib: the "
		    "fitted stacks floor at both ends of its window (leak)",
		    &fits.stackfit);
	if (info != NULL) {
		info->leak_line = fits.nfit > 0;
		info->rows = pb.rows;
	}
	lines = plot_add_title(b, d, "Heap", fits.verdict.data);
	plot_add_frame(b, lines, 0);

	plot_add_xlabel(b, d);
	entries = 4 + (stacks > 0) + (forced > 0) + (fits.nfit > 0) +
	    (fits.nflat > 0) + (fits.nstackfit > 0);
	buf_addf(b, "set ylabel 'heap (MiB)'\nset yrange [0:%.6g]\n",
	    plot_headroom(d, 0, top, entries, 0, 1.0));
	plot_add_xrange(b, d);
	plot_add_restarts(b, d);
	if (pb.rows == 0) {
		plot_add_empty(b, "no gc cycles in this run");
		goto out;
	}
	/* Okabe-Ito colours: told apart with every colour vision. */
	buf_adds(b, "plot $gc using ($1/xs):3 with lines lw 1.5 "
	    "lc rgb '#56b4e9' title 'heap at GC start', \\\n"
	    "     $gc using ($1/xs):4 with lines lw 1.5 lc rgb '#e69f00' "
	    "title 'heap at GC end', \\\n"
	    "     $gc using ($1/xs):6 with lines dt 2 lw 2 lc rgb '#cc79a7' "
	    "title 'heap goal', \\\n"
	    "     $gc using ($1/xs):5 with lines lw 3 lc rgb '#0072b2' "
	    "title 'live heap after GC (marked)'");
	if (stacks > 0)
		buf_adds(b, ", \\\n     $gc using ($1/xs):7 with lines lw 2.5 "
		    "lc rgb '#009e73' title 'goroutine stacks'");
	if (forced > 0)
		buf_adds(b, ", \\\n     $gc using ($1/xs):($8 > 0 ? $5 : NaN) "
		    "with points pt 8 ps 0.8*ps0 lw 1.5 lc rgb '#000000' "
		    "title 'forced GC "
		    "(runtime.GC or periodic)'");
	if (fits.nfit > 0)
		buf_addf(b, ", \\\n     $fit using ($1/xs):2 with lines lw 3 "
		    "lc rgb '#d55e00' title 'leak: fitted live-heap floor, %s "
		    "MiB/min'", fits.slopes.data);
	if (fits.nflat > 0)
		buf_addf(b, ", \\\n     $flat using ($1/xs):2 with lines lw 2 "
		    "dt 4 lc rgb '#555555' title 'fitted live-heap floor, %s "
		    "MiB/min (no leak)'", fits.flat_slopes.data);
	if (fits.nstackfit > 0)
		buf_addf(b, ", \\\n     $stackfit using ($1/xs):2 with lines "
		    "lw 3 dt 3 lc rgb '#d55e00' title 'goroutine leak: fitted "
		    "stacks floor, %s MiB/min'", fits.stack_slopes.data);
	buf_adds(b, "\n");
out:
	plot_heap_fits_free(&fits);
	return 0;
}

/* ---------------------------------------------------------------- pauses */

/* "sweep termination: 14 of 189 over 100 µs (7.4%)" into t. */
static void
plot_pause_key(struct buf *t, const char *phase, int64_t over, int64_t n,
    double over_us)
{
	char thr[32];

	figures_duration_us(thr, sizeof thr, over_us, 0);
	buf_reset(t);
	buf_addf(t, "%s: %lld of %lld over %s (%.1f%%)", phase,
	    (long long)over, (long long)n, thr,
	    n > 0 ? 100.0 * (double)over / (double)n : 0.0);
}

/* Pauses and their counts over the threshold, every segment. */
struct plot_pause_counts {
	int64_t	 cycles, over, zeros;
	int64_t	 phase_n[2], phase_over[2];
	double	 lo, hi;	/* smallest and largest pause above 0 */
};

static void
plot_pause_count(struct plot_pause_counts *c, int phase, int64_t v,
    double over_us)
{
	c->phase_n[phase]++;
	if ((double)v > over_us)
		c->phase_over[phase]++;
	if (v == 0)
		c->zeros++;
	else {
		if (c->lo == 0 || v < c->lo)
			c->lo = (double)v;
		if (v > c->hi)
			c->hi = (double)v;
	}
}

/*
 * The pauses over the threshold, in store order, until the axis is known
 * and the marks that would cover one another can be told (plot_dots).
 */
struct plot_over {
	double	 x;
	int64_t	 ms, us;
	int	 segment, phase;
};

struct plot_overs {
	struct plot_over	*p;
	size_t			 n, alloc;
};

static void
plot_overs_add(struct plot_overs *o, double x, int segment, int64_t ms,
    int64_t us, int phase)
{
	o->p = xgrow(o->p, &o->alloc, o->n + 1, sizeof *o->p);
	o->p[o->n].x = x;
	o->p[o->n].ms = ms;
	o->p[o->n].us = us;
	o->p[o->n].segment = segment;
	o->p[o->n].phase = phase;
	o->n++;
}

/*
 * Write the marks drawn (one per pixel and phase) to out, sweep
 * termination's first and mark termination's after them, each in store
 * order: gnuplot draws in the block's order, and the rarer mark
 * termination pauses would otherwise be hidden under the others.  Frees o.
 */
static void
plot_overs_write(struct plot_overs *o, const struct plot_data *d,
    double lo, double hi, struct buf *out)
{
	struct plot_dots dots;
	unsigned char *keep;
	int last = -1, phase;
	size_t i;

	keep = xcalloc(o->n + 1, 1);
	plot_dots_init(&dots, d->x_lo, d->x_hi, d->req->width, lo, hi,
	    d->req->height, 2);
	for (i = 0; i < o->n; i++)
		keep[i] = (unsigned char)plot_dots_keep(&dots, o->p[i].x,
		    (double)o->p[i].us, o->p[i].phase);
	plot_dots_end(&dots);
	for (phase = 0; phase < 2; phase++)
		for (i = 0; i < o->n; i++) {
			const struct plot_over *v = &o->p[i];

			if (!keep[i] || v->phase != phase)
				continue;
			if (out->len > 0 && last != v->segment)
				buf_addc(out, '\n');
			last = v->segment;
			plot_add_time(out, d, v->segment, v->ms);
			plot_add_int(out, v->us);
			buf_adds(out, v->phase == 0 ? " 0\n" : " 1\n");
		}
	free(keep);
	free(o->p);
	memset(o, 0, sizeof *o);
}

/* The y range of a pause axis: a decade around the data, room for the
 * key above. */
static void
plot_pause_range(const struct plot_data *d,
    const struct plot_pause_counts *c, double *lo, double *hi, int entries)
{
	double floor_us = c->zeros > 0 ? PLOT_ZERO_FLOOR_US : c->lo;
	double top = c->hi > d->req->over_us ? c->hi : d->req->over_us;

	if (!(floor_us > 0))
		floor_us = 1;
	*lo = pow(10, floor(log10(floor_us)) - 0.05);
	if (c->zeros > 0)
		*lo = PLOT_ZERO_FLOOR_US / 1.6;
	*hi = plot_headroom(d, *lo, top * 1.3, entries, 1, 1.0);
}

/*
 * pauses: both stop-the-world phases per cycle on a log axis with
 * duration ticks, the threshold drawn and labelled, pauses printed as 0
 * drawn at a "< 1 µs" floor.
 */
static int
plot_pauses(struct plot_data *d, struct buf *b, struct plot_info *info,
    struct buf *err)
{
	static const char *const columns[] = { "start_ms", "gc_num",
	    "stw_sweepterm_wall_us", "stw_markterm_wall_us", "forced" };
	struct plot_cycles it;
	struct store_row row;
	struct plot_block pb;
	struct plot_pause_counts c;
	struct buf data = BUF_INIT, t = BUF_INIT, found = BUF_INIT;
	struct buf over = BUF_INIT;
	struct plot_overs overs;
	char thr[32];
	double y[2], lo, hi, x;
	int64_t v, max;
	int rc, col, mark, lines;

	memset(&c, 0, sizeof c);
	memset(&overs, 0, sizeof overs);
	plot_block_open(&pb, d, &data, 2);
	plot_cycles_open(&it, d, columns, 5, 1);
	while ((rc = plot_cycles_next(&it, &row, err)) > 0) {
		plot_add_time(&pb.row, d, it.segment, row.values[0].i);
		plot_add_value(&pb.row, &row.values[1]);
		plot_add_value(&pb.row, &row.values[2]);
		plot_add_value(&pb.row, &row.values[3]);
		buf_addc(&pb.row, '\n');
		max = -1;
		for (col = 2; col <= 3; col++) {
			y[col - 2] = NAN;
			if (row.values[col].type == VAL_NULL)
				continue;
			v = row.values[col].i;
			y[col - 2] = (double)v;
			plot_pause_count(&c, col - 2, v, d->req->over_us);
			if (v > max)
				max = v;
		}
		c.over += max >= 0 && (double)max > d->req->over_us;
		c.cycles++;
		/* Every pause over the threshold, for a block of its own: the
		 * reduced block need not keep them. */
		x = plot_offset(d, it.segment) + row.values[0].i / 1000.0;
		for (col = 0; col < 2; col++)
			if (y[col] > d->req->over_us)
				plot_overs_add(&overs, x, it.segment,
				    row.values[0].i, (int64_t)y[col], col);
		mark = row.values[4].type != VAL_NULL && row.values[4].i != 0;
		plot_block_add(&pb, it.segment, x, y, mark);
	}
	plot_cycles_close(&it);
	if (rc < 0) {
		plot_block_abandon(&pb);
		buf_free(&data);
		free(overs.p);
		return -1;
	}
	plot_block_write(&pb, b, "$gc << EOD\n# time_s gc_num "
	    "stw_sweepterm_wall_us stw_markterm_wall_us (reduced: per pixel "
	    "column the shortest and longest of each phase, every forced "
	    "cycle, each segment's first and last)\n");
	/* The axis first: the marks over the threshold are kept per
	 * pixel of it. */
	plot_pause_range(d, &c, &lo, &hi, 3);
	plot_overs_write(&overs, d, lo, hi, &over);
	if (over.len > 0)
		plot_add_named_block(b, "over", "time_s pause_us phase (0 "
		    "sweep termination, 1 mark termination): every pause over "
		    "the threshold, the first of each phase on each pixel "
		    "(the image's width and height); sweep termination's "
		    "first, mark termination's drawn over them", &over);
	buf_free(&over);
	if (info != NULL) {
		info->rows = c.cycles;
		info->over = c.over;
	}
	figures_duration_us(thr, sizeof thr, d->req->over_us, 0);
	buf_addf(&found, "%lld of %lld cycles paused over %s",
	    (long long)c.over, (long long)c.cycles, thr);
	if (c.zeros > 0)
		buf_addf(&found, "; %lld pauses printed as 0 (under the "
		    "clock's 1 µs resolution) are drawn on the '< 1 µs' line",
		    (long long)c.zeros);
	lines = plot_add_title(b, d, "GC stop-the-world pauses",
	    found.data);
	plot_add_frame(b, lines, 0);

	plot_add_xlabel(b, d);
	buf_addf(b, "thr = %g\t# us: the threshold (--over)\n"
	    "floor = %g\t# us: where a pause printed as 0 (< 1 us) is drawn\n"
	    "shown(v) = v < floor ? floor : v\n"
	    "above(v) = v > thr ? shown(v) : NaN\n"
	    "below(v) = v > thr ? NaN : shown(v)\n",
	    d->req->over_us, PLOT_ZERO_FLOOR_US);
	buf_adds(b, "set ylabel 'stop-the-world pause (log scale)'\n");
	buf_addf(b, "set yrange [%.6g:%.6g]\n", lo, hi);
	plot_add_duration_tics(b, "y", lo, hi, c.zeros > 0);
	plot_add_xrange(b, d);
	plot_add_restarts(b, d);
	/* Behind the points, unboxed: a label never hides a pause (the
	 * key names the line too). */
	buf_addf(b, "set label 'threshold %s (--over)' at graph 0.99, first "
	    "thr offset 0,0.7 right back tc rgb '#d55e00'\n", thr);
	if (c.cycles == 0) {
		plot_add_empty(b, "no gc cycles in this run");
		goto out;
	}
	/* Colour and shape both tell the phases apart (Okabe-Ito blue
	 * squares, orange triangles: cairo draws them faster than
	 * circles); over the threshold, larger. */
	plot_pause_key(&t, "sweep termination", c.phase_over[0],
	    c.phase_n[0], d->req->over_us);
	buf_adds(b, "plot $gc using ($1/xs):(below($3)) with points pt 5 "
	    "ps 0.5*ps0 lc rgb '#0072b2' title ");
	plot_add_quoted(b, t.data);
	plot_pause_key(&t, "mark termination", c.phase_over[1],
	    c.phase_n[1], d->req->over_us);
	buf_adds(b, ", \\\n     $gc using ($1/xs):(below($4)) with points "
	    "pt 9 ps 0.6*ps0 lc rgb '#e69f00' title ");
	plot_add_quoted(b, t.data);
	/* One series for both phases: gnuplot reads the block once. */
	if (c.phase_over[0] + c.phase_over[1] > 0)
		buf_adds(b, ", \\\n     $over using ($1/xs):2:($3 > 0 ? 9 : 5):"
		    "($3 > 0 ? 0xe69f00 : 0x0072b2) with points ps 1.2*ps0 "
		    "pt variable lc rgb variable notitle");
	buf_addf(b, ", \\\n     thr with lines dt 2 lw 2 lc rgb '#d55e00' "
	    "title 'threshold %s (%lld of %lld cycles over)'", thr,
	    (long long)c.over, (long long)c.cycles);
	if (c.zeros > 0)
		buf_adds(b, ", \\\n     floor with lines dt 3 lw 1 "
		    "lc rgb '#999999' notitle");
	buf_adds(b, "\n");
out:
	buf_free(&t);
	buf_free(&found);
	return 0;
}

/* ------------------------------------------------------------ pause-dist */

static int
plot_cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The cumulative distribution of sorted values v[0..n) into the block
 * $name: for each distinct value, the share of pauses at or under it,
 * reduced over the log axis's pixel columns.
 */
static void
plot_add_cdf(struct buf *b, const struct plot_data *d, const char *name,
    const int64_t *v, size_t n, double lo, double hi)
{
	struct plot_reduce r;
	struct buf line = BUF_INIT;
	double shown, y;
	size_t i;

	buf_addf(b, "$%s << EOD\n# pause_us percent_at_or_under (each "
	    "distinct pause; reduced: per pixel column of the log axis the "
	    "lowest and highest)\n", name);
	plot_reduce_init(&r, b, log10(lo), log10(hi), d->req->width, 1);
	for (i = 0; i < n; i++) {
		if (i + 1 < n && v[i + 1] == v[i])
			continue;
		shown = v[i] < 1 ? PLOT_ZERO_FLOOR_US : (double)v[i];
		y = 100.0 * (double)(i + 1) / (double)n;
		buf_reset(&line);
		buf_addf(&line, "%lld %.6f\n", (long long)v[i], y);
		plot_reduce_add(&r, log10(shown), &y, i + 1 == n,
		    line.data, line.len);
	}
	plot_reduce_end(&r);
	buf_free(&line);
	plot_add_block_end(b);
}

/*
 * pause-dist: the cumulative distribution of each stop-the-world phase
 * over every cycle of the plotted segments, on a log duration axis, the
 * threshold marked and the count over it in the key.  A CDF rather than a
 * histogram: no bin widths to choose, the median and p99 are read where
 * the curves cross 50% and 99%, and both phases overlay without hiding
 * each other.
 */
static int
plot_pause_dist(struct plot_data *d, struct buf *b, struct plot_info *info,
    struct buf *err)
{
	struct pauses_options opt;
	struct pauses_result res;
	const struct pauses_result *pr;
	struct plot_pause_counts c;
	struct buf t = BUF_INIT, found = BUF_INIT;
	int64_t *v[2] = { NULL, NULL };
	size_t n[2] = { 0, 0 }, alloc[2] = { 0, 0 }, i, k;
	char thr[32];
	double lo, hi;
	int rc = 0, p, lines;

	memset(&c, 0, sizeof c);
	memset(&opt, 0, sizeof opt);
	opt.over_us = d->req->over_us;
	opt.phase = PAUSES_ANY;
	opt.keep_cycles = 1;
	for (i = 0; i < d->nsegs && rc == 0; i++) {
		memset(&res, 0, sizeof res);
		pr = d->req->given != NULL && d->req->given->pauses != NULL ?
		    d->req->given->pauses(d->req->given->ctx,
		    d->segs[i].segment) : NULL;
		if (pr == NULL) {
			rc = pauses_compute(d->store, d->req->run_id,
			    d->segs[i].segment, &opt, &res, err);
			pr = &res;
		}
		for (k = 0; rc == 0 && k < pr->ncycles_list; k++) {
			const struct pauses_cycle *pc = &pr->cycles_list[k];

			if (!pc->valid)
				continue;
			for (p = 0; p < 2; p++) {
				v[p] = xgrow(v[p], &alloc[p], n[p] + 1,
				    sizeof *v[p]);
				v[p][n[p]++] = p == 0 ? pc->sweep_us :
				    pc->mark_us;
				plot_pause_count(&c, p, v[p][n[p] - 1],
				    d->req->over_us);
			}
		}
		c.cycles += pr->cycles;
		c.over += pr->cycles_over;
		pauses_result_free(&res);
	}
	if (rc < 0)
		goto out;
	if (info != NULL) {
		info->rows = c.cycles;
		info->over = c.over;
	}
	plot_pause_range(d, &c, &lo, &hi, 0);
	hi = (c.hi > d->req->over_us ? c.hi : d->req->over_us) * 2;
	for (p = 0; p < 2; p++) {
		if (n[p] > 0)
			qsort(v[p], n[p], sizeof *v[p], plot_cmp_int64);
		plot_add_cdf(b, d, p == 0 ? "sweep" : "mark", v[p], n[p], lo,
		    hi);
	}
	figures_duration_us(thr, sizeof thr, d->req->over_us, 0);
	buf_addf(&found, "%lld of %lld cycles paused over %s (%.1f%%); read "
	    "the median at 50%%, p99 at 99%%", (long long)c.over,
	    (long long)c.cycles, thr, c.cycles > 0 ?
	    100.0 * (double)c.over / (double)c.cycles : 0.0);
	lines = plot_add_title(b, d, "GC stop-the-world pauses, distribution",
	    found.data);
	plot_add_frame(b, lines, 0);

	/* The key at the bottom right, where a CDF has no points. */
	buf_adds(b, "set key bottom right\n");
	buf_addf(b, "thr = %g\t# us: the threshold (--over)\n"
	    "floor = %g\t# us: where a pause printed as 0 (< 1 us) is drawn\n"
	    "shown(v) = v < floor ? floor : v\n", d->req->over_us,
	    PLOT_ZERO_FLOOR_US);
	buf_adds(b, "set xlabel 'stop-the-world pause (log scale)'\n"
	    "set ylabel 'pauses at or under x (% of cycles)'\n"
	    "set yrange [0:100]\nset ytics 0, 10, 100\n"
	    "set arrow from graph 0, first 99 to graph 1, first 99 nohead "
	    "dt 3 lc rgb '#999999'\n"
	    "set label '99%' at graph 0.005, first 99 offset 0,0.6 left "
	    "tc rgb '#777777'\n");
	buf_addf(b, "set xrange [%.6g:%.6g]\n", lo, hi);
	plot_add_duration_tics(b, "x", lo, hi, c.zeros > 0);
	buf_addf(b, "set arrow from first thr, graph 0 to first thr, graph 1 "
	    "nohead dt 2 lw 2 lc rgb '#d55e00' front\n"
	    "set label 'threshold %s (--over)' at first thr, graph 0.5 "
	    "offset 0.5,0 left back tc rgb '#d55e00'\n", thr);
	if (c.cycles == 0) {
		plot_add_empty(b, "no gc cycles in this run");
		goto out;
	}
	plot_pause_key(&t, "sweep termination", c.phase_over[0], c.phase_n[0],
	    d->req->over_us);
	buf_adds(b, "plot $sweep using (shown($1)):2 with steps lw 2.5 "
	    "lc rgb '#0072b2' title ");
	plot_add_quoted(b, t.data);
	plot_pause_key(&t, "mark termination", c.phase_over[1], c.phase_n[1],
	    d->req->over_us);
	buf_adds(b, ", \\\n     $mark using (shown($1)):2 with steps lw 2.5 "
	    "dt 5 lc rgb '#e69f00' title ");
	plot_add_quoted(b, t.data);
	buf_adds(b, "\n");
out:
	free(v[0]);
	free(v[1]);
	buf_free(&t);
	buf_free(&found);
	return rc;
}

/* ----------------------------------------------------------------- sched */

/*
 * The screen (0..1 from the bottom) of the two panels of sched: counts
 * above, Ps below, room for a two-line title and the x label.
 */
struct plot_panels {
	double	 top_hi, top_lo, low_hi, low_lo, top_share, low_share;
};

static void
plot_panels(const struct plot_data *d, struct plot_panels *p)
{
	double h = d->req->height, line = d->font * 1.6;
	double title = 3.2 * line, bottom = 3.6 * line, gap = 1.0 * line;
	double avail = h - title - bottom - gap;

	p->top_hi = 1 - title / h;
	p->top_lo = p->top_hi - 0.58 * avail / h;
	p->low_hi = p->top_lo - gap / h;
	p->low_lo = bottom / h;
	p->top_share = 0.58 * avail / h;
	p->low_share = 0.42 * avail / h;
}

/*
 * sched, in two panels over one time axis: goroutines waiting in run
 * queues, goroutines (scheddetail) and OS threads above; GOMAXPROCS and
 * idle Ps below; in both, the samples the scheduler analysis calls
 * saturated shaded, and gc cycle starts as ticks along the top.
 */
static int
plot_sched(struct plot_data *d, struct buf *b, struct plot_info *info,
    struct buf *err)
{
	static const char *const columns[] = { "start_ms", "forced" };
	struct plot_cycles it;
	struct store_row row;
	struct sched_result res;
	const struct sched_sample *x;
	struct plot_block pb, gb;
	struct plot_panels pan;
	struct buf data = BUF_INIT, gcs = BUF_INIT, sat = BUF_INIT;
	struct buf found = BUF_INIT;
	double y[5], xs, top_count = 0, top_procs = 0, pixel_s, sat_from = 0;
	double sat_to = -1, t;
	int64_t samples = 0, saturated = 0, judged = 0, goroutines = 0;
	int64_t nsat = 0, prev_procs = -1;
	size_t i, k;
	int rc, forced, entries, lines;

	pixel_s = (d->x_hi - d->x_lo) / d->req->width;
	plot_block_open(&pb, d, &data, 5);
	for (i = 0; i < d->nsegs; i++) {
		memset(&res, 0, sizeof res);
		if (sched_analyse(d->store, d->req->run_id,
		    d->segs[i].segment, &res, err) < 0) {
			sched_result_free(&res);
			plot_block_abandon(&pb);
			buf_free(&data);
			buf_free(&sat);
			return -1;
		}
		saturated += res.saturated_samples;
		judged += res.backlog_samples;
		for (k = 0; k < res.n_samples; k++) {
			x = &res.samples[k];
			xs = d->segs[i].offset_s + x->t_ms / 1000.0;
			plot_add_time(&pb.row, d, d->segs[i].segment, x->t_ms);
			plot_add_count(&pb.row, x->backlog);
			plot_add_count(&pb.row, x->idle_procs);
			plot_add_count(&pb.row, x->threads);
			plot_add_count(&pb.row, x->gomaxprocs);
			plot_add_count(&pb.row, x->global_runq);
			plot_add_count(&pb.row, x->local_runq_total);
			plot_add_count(&pb.row, x->goroutines);
			buf_adds(&pb.row, x->saturated ? " 1\n" : " 0\n");
			y[0] = x->backlog < 0 ? NAN : (double)x->backlog;
			y[1] = x->idle_procs < 0 ? NAN : (double)x->idle_procs;
			y[2] = x->threads < 0 ? NAN : (double)x->threads;
			y[3] = x->gomaxprocs < 0 ? NAN : (double)x->gomaxprocs;
			y[4] = x->goroutines < 0 ? NAN : (double)x->goroutines;
			if (y[0] > top_count)
				top_count = y[0];
			if (y[2] > top_count)
				top_count = y[2];
			if (y[4] > top_count)
				top_count = y[4];
			if (y[3] > top_procs)
				top_procs = y[3];
			goroutines += x->goroutines >= 0;
			plot_block_add(&pb, d->segs[i].segment, xs, y,
			    x->gomaxprocs != prev_procs);
			prev_procs = x->gomaxprocs;
			/* Saturated from this sample to the next (or the
			 * segment's end); spans closer than a pixel merge. */
			if (!x->saturated)
				continue;
			t = k + 1 < res.n_samples ? d->segs[i].offset_s +
			    res.samples[k + 1].t_ms / 1000.0 : xs;
			if (sat_to >= 0 && xs - sat_to <= pixel_s) {
				if (t > sat_to)
					sat_to = t;
				continue;
			}
			if (sat_to >= 0) {
				buf_addf(&sat, "%.3f %.3f\n", sat_from,
				    sat_to);
				nsat++;
			}
			sat_from = xs;
			sat_to = t > xs ? t : xs + pixel_s;
		}
		samples += (int64_t)res.n_samples;
		prev_procs = -1;
		sched_result_free(&res);
	}
	if (sat_to >= 0) {
		buf_addf(&sat, "%.3f %.3f\n", sat_from, sat_to);
		nsat++;
	}
	plot_block_write(&pb, b, "$sched << EOD\n# time_s runnable "
	    "idle_procs threads gomaxprocs global_runq local_runq_total "
	    "goroutines saturated (reduced: per pixel column the lowest and "
	    "highest of each series, every change of GOMAXPROCS, each "
	    "segment's first and last)\n");
	if (nsat > 0)
		plot_add_named_block(b, "sat", "from_s to_s: saturated (no "
		    "idle P and goroutines waiting in run queues, as tracestat "
		    "sched counts it), spans closer than a pixel merged", &sat);
	buf_free(&sat);

	plot_block_open(&gb, d, &gcs, 1);
	plot_cycles_open(&it, d, columns, 2, 1);
	while ((rc = plot_cycles_next(&it, &row, err)) > 0) {
		plot_add_time(&gb.row, d, it.segment, row.values[0].i);
		buf_addc(&gb.row, '\n');
		forced = row.values[1].type != VAL_NULL && row.values[1].i != 0;
		y[0] = 0;
		plot_block_add(&gb, it.segment, plot_offset(d, it.segment) +
		    row.values[0].i / 1000.0, y, forced);
	}
	plot_cycles_close(&it);
	if (rc < 0) {
		plot_block_abandon(&gb);
		buf_free(&gcs);
		return -1;
	}
	plot_block_write(&gb, b, "$gcstart << EOD\n# time_s (start of "
	    "each gc cycle; reduced: one or two per pixel column, every "
	    "forced one)\n");
	if (info != NULL)
		info->rows = samples;

	if (judged > 0 && saturated == 0)
		buf_addf(&found, "never saturated (no idle P with goroutines "
		    "waiting) in %lld samples", (long long)judged);
	else if (judged > 0)
		buf_addf(&found, "saturated (no idle P, goroutines waiting) in "
		    "%.0f%% of %lld samples, shaded",
		    100.0 * (double)saturated / (double)judged,
		    (long long)judged);
	lines = plot_add_title(b, d, "Scheduler", found.data);
	plot_add_frame(b, lines, 0);
	buf_free(&found);

	plot_add_xrange(b, d);
	if (samples == 0) {
		plot_add_xlabel(b, d);
		plot_add_empty(b, "no scheduler samples in this run "
		    "(GODEBUG=schedtrace=1000 makes them)");
		return 0;
	}
	plot_panels(d, &pan);
	buf_adds(b, "set multiplot\n");
	/* Above: counts of goroutines and threads. */
	buf_addf(b, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
	    "set tmargin at screen %.4f\nset bmargin at screen %.4f\n",
	    11.0 * d->font * 0.8 / d->req->width,
	    1 - 3.0 * d->font * 0.8 / d->req->width, pan.top_hi, pan.top_lo);
	entries = 3 + (goroutines > 0) + (nsat > 0);
	buf_addf(b, "set format x ''\nunset xlabel\n"
	    "set ylabel 'goroutines, threads'\nset yrange [0:%.6g]\n"
	    "set y2range [0:1]\nunset y2tics\n",
	    plot_headroom(d, 0, top_count > 0 ? top_count : 1, entries, 0,
	    pan.top_share));
	plot_add_restarts(b, d);
	buf_adds(b, "plot ");
	if (nsat > 0)
		buf_adds(b, "$sat using ($1/xs):(0.5):($1/xs):($2/xs):(0):(1) "
		    "axes x1y2 with boxxyerror fs solid 0.22 noborder "
		    "lc rgb '#d55e00' title 'scheduler saturated', \\\n     ");
	buf_adds(b, "$sched using ($1/xs):2 with steps lw 2.5 "
	    "lc rgb '#d55e00' title 'goroutines waiting in run queues', \\\n"
	    "     $sched using ($1/xs):4 with steps lw 2 lc rgb '#0072b2' "
	    "title 'OS threads'");
	if (goroutines > 0)
		buf_adds(b, ", \\\n     $sched using ($1/xs):8 with steps lw 2 "
		    "lc rgb '#009e73' title 'goroutines (scheddetail)'");
	buf_adds(b, ", \\\n     $gcstart using ($1/xs):(0.94):(0):(0.06) "
	    "axes x1y2 with vectors nohead lw 1 lc rgb '#777777' "
	    "title 'GC cycle start (ticks along the top)'\n");
	/* Below: Ps. */
	buf_addf(b, "unset title\nunset arrow\nunset label\n"
	    "set tmargin at screen %.4f\nset bmargin at screen %.4f\n"
	    "set format x '%%g'\n", pan.low_hi, pan.low_lo);
	plot_add_xlabel(b, d);
	plot_add_restarts(b, d);
	buf_addf(b, "set ylabel 'Ps'\nset yrange [0:%.6g]\n"
	    "set ytics 1\nif (%g > 12) { set ytics autofreq }\n",
	    plot_headroom(d, 0, top_procs > 0 ? top_procs : 1, 2, 0,
	    pan.low_share), top_procs);
	buf_adds(b, "plot ");
	if (nsat > 0)
		buf_adds(b, "$sat using ($1/xs):(0.5):($1/xs):($2/xs):(0):(1) "
		    "axes x1y2 with boxxyerror fs solid 0.22 noborder "
		    "lc rgb '#d55e00' notitle, \\\n     ");
	buf_adds(b, "$sched using ($1/xs):3 with steps lw 2.5 "
	    "lc rgb '#009e73' title 'idle Ps', \\\n"
	    "     $sched using ($1/xs):5 with steps dt 2 lw 2 "
	    "lc rgb '#000000' title 'GOMAXPROCS'\nunset multiplot\n");
	return 0;
}

/* ---------------------------------------------------------------- gc-cpu */

/*
 * The rolling mean's window: 10 cycles, or 1/300 of the longest segment,
 * at most PLOT_MAX_WINDOW (a damaged store's count may be anything).
 */
#define PLOT_MAX_WINDOW	100000
static int64_t
plot_gc_cpu_window(const struct plot_data *d)
{
	int64_t most = 0;
	size_t i;

	for (i = 0; i < d->nsegs; i++)
		if (d->segs[i].gc_cycles > most)
			most = d->segs[i].gc_cycles;
	if (most / 300 > PLOT_MAX_WINDOW)
		return PLOT_MAX_WINDOW;
	return most / 300 > 10 ? most / 300 : 10;
}

/*
 * The segment's GC CPU as a horizontal line over its intervals, appended
 * to the $mean block in means, and its value ("1.23%") to titles.
 */
static void
plot_gc_cpu_mean(struct plot_data *d, int segment,
    const struct figures_gc_cpu *acc, int64_t from_ms, int64_t to_ms,
    struct buf *means, struct buf *titles, double *top)
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
	if (100 * share > *top)
		*top = 100 * share;
}

/* The last window intervals' GC CPU and idle time and capacity. */
struct plot_rolling {
	double	*gc, *idle, *cap;
	int64_t	 window, n;
	double	 sum_gc, sum_idle, sum_cap;
};

static void
plot_rolling_add(struct plot_rolling *r, double gc, double idle, double cap)
{
	int64_t i = r->n % r->window;

	if (r->n >= r->window) {
		r->sum_gc -= r->gc[i];
		r->sum_idle -= r->idle[i];
		r->sum_cap -= r->cap[i];
	}
	r->gc[i] = gc;
	r->idle[i] = idle;
	r->cap[i] = cap;
	r->sum_gc += gc;
	r->sum_idle += idle;
	r->sum_cap += cap;
	r->n++;
}

/*
 * gc-cpu: GC CPU (figures.h: the collector's CPU time over GOMAXPROCS x
 * wall time) as a rolling mean over a window of cycles, the segment's GC
 * CPU as a line, a 25% reference line, idle marking (spare CPU, not GC
 * CPU) faint apart.  The data block keeps each interval's classes too.
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
	struct plot_rolling roll;
	struct plot_block pb;
	struct buf means = BUF_INIT, titles = BUF_INIT, data = BUF_INIT;
	struct buf found = BUF_INIT;
	int64_t from_ms = 0, to_ms = 0;
	double y[2], top = 0, axis_top;
	int rc, seg, prev_seg = -1, lines;

	memset(&roll, 0, sizeof roll);
	roll.window = plot_gc_cpu_window(d);
	roll.gc = xcalloc((size_t)roll.window, sizeof *roll.gc);
	roll.idle = xcalloc((size_t)roll.window, sizeof *roll.idle);
	roll.cap = xcalloc((size_t)roll.window, sizeof *roll.cap);
	plot_block_open(&pb, d, &data, 2);
	figures_gc_cpu_init(&acc);
	plot_cycles_open(&it, d, figures_gc_cpu_columns,
	    FIGURES_GC_CPU_NCOLUMNS, 0);
	while ((rc = plot_cycles_next(&it, &row, err)) > 0) {
		seg = it.segment;
		if (seg != prev_seg) {
			if (prev_seg >= 0)
				plot_gc_cpu_mean(d, prev_seg, &acc, from_ms,
				    to_ms, &means, &titles, &top);
			figures_gc_cpu_init(&acc);
			prev_seg = seg;
			roll.n = 0;
			roll.sum_gc = roll.sum_idle = roll.sum_cap = 0;
		}
		figures_cycle_cpu_read(&cycle, row.values);
		if (!figures_gc_cpu_add(&acc, &cycle, &iv))
			continue;
		if (acc.intervals == 1)
			from_ms = iv.from_ms;
		to_ms = iv.to_ms;
		plot_rolling_add(&roll, figures_gc_cpu_interval_us(&iv),
		    iv.idle_us, iv.capacity_us);
		y[0] = 100.0 * roll.sum_gc / roll.sum_cap;
		y[1] = 100.0 * roll.sum_idle / roll.sum_cap;
		if (y[0] > top)
			top = y[0];
		plot_add_time(&pb.row, d, seg, iv.from_ms);
		buf_addc(&pb.row, ' ');
		plot_add_time(&pb.row, d, seg, iv.to_ms);
		plot_add_fixed3(&pb.row, 100.0 * iv.stw_us / iv.capacity_us);
		plot_add_fixed3(&pb.row,
		    100.0 * iv.assist_us / iv.capacity_us);
		plot_add_fixed3(&pb.row,
		    100.0 * iv.background_us / iv.capacity_us);
		plot_add_fixed3(&pb.row, 100.0 * iv.idle_us / iv.capacity_us);
		plot_add_fixed3(&pb.row, y[0]);
		plot_add_fixed3(&pb.row, y[1]);
		buf_addc(&pb.row, '\n');
		plot_block_add(&pb, seg, plot_offset(d, seg) +
		    iv.to_ms / 1000.0, y, 0);
	}
	plot_cycles_close(&it);
	free(roll.gc);
	free(roll.idle);
	free(roll.cap);
	if (rc < 0) {
		plot_block_abandon(&pb);
		buf_free(&data);
		buf_free(&means);
		buf_free(&titles);
		return -1;
	}
	if (prev_seg >= 0)
		plot_gc_cpu_mean(d, prev_seg, &acc, from_ms, to_ms, &means,
		    &titles, &top);
	plot_block_write(&pb, b, "$cpu << EOD\n# from_s to_s stw_pct "
	    "assist_pct background_pct idle_pct (of gomaxprocs x time to "
	    "the next cycle) rolling_gc_pct rolling_idle_pct (over the "
	    "window's cycles, ending at this one; reduced: per pixel column "
	    "the lowest and highest rolling values, each segment's first "
	    "and last)\n");
	if (means.len > 0)
		plot_add_named_block(b, "mean", "time_s gc_cpu_pct: the "
		    "segment's GC CPU over its intervals", &means);
	if (info != NULL)
		info->rows = pb.rows;
	if (titles.len > 0)
		buf_addf(&found, "GC CPU of the %s: %s of all CPU (idle "
		    "marking, spare CPU, apart)", d->nsegs > 1 ? "segments" :
		    "run", titles.data);
	lines = plot_add_title(b, d, "GC CPU", found.data);
	plot_add_frame(b, lines, 0);
	buf_free(&found);

	plot_add_xlabel(b, d);
	axis_top = plot_headroom(d, 0, top * 1.2, 4, 0, 1.0);
	buf_addf(b, "set ylabel 'GC CPU, %% of GOMAXPROCS × wall time'\n"
	    "set yrange [0:%.6g]\n", axis_top);
	plot_add_xrange(b, d);
	plot_add_restarts(b, d);
	if (pb.rows == 0) {
		plot_add_empty(b, "fewer than two gc cycles in this run");
		goto out;
	}
	if (axis_top < 25)
		buf_adds(b, "set label '25% reference line: above this axis' "
		    "at graph 0.99, graph 0.97 right front tc rgb '#777777'\n");
	buf_addf(b, "plot $cpu using ($2/xs):8 with lines lw 1 "
	    "lc rgb '#aaaaaa' title 'idle marking, rolling mean (spare CPU, "
	    "not GC CPU)', \\\n"
	    "     $cpu using ($2/xs):7 with lines lw 2.5 lc rgb '#0072b2' "
	    "title 'GC CPU, rolling mean of %lld cycles'",
	    (long long)roll.window);
	if (means.len > 0)
		buf_addf(b, ", \\\n     $mean using ($1/xs):2 with lines "
		    "dt 2 lw 2 lc rgb '#000000' title 'GC CPU of the %s: %s'",
		    d->nsegs > 1 ? "segments" : "segment", titles.data);
	if (axis_top >= 25)
		buf_adds(b, ", \\\n     25 with lines dt 3 lw 1.5 "
		    "lc rgb '#d55e00' title '25% (the background marking "
		    "target)'");
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
	if (plot_add_header(script, &d, err) < 0)
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
	case PLOT_PAUSE_DIST:
		rc = plot_pause_dist(&d, script, info, err);
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

int
plot_script_retarget(struct buf *script, const struct plot_request *from,
    const struct plot_request *to, struct buf *err)
{
	struct buf want = BUF_INIT, out = BUF_INIT;
	struct plot_data d;
	const char *at;
	int font;

	if (from->width != to->width || from->height != to->height) {
		buf_adds(err, "a script is drawn again at its own size only");
		return -1;
	}
	/* The font plot_load_segments chose for this size. */
	memset(&d, 0, sizeof d);
	d.req = from;
	plot_choose_font(&d);
	font = d.font;
	plot_add_terminal(&want, from, font);
	at = script->data != NULL ? strstr(script->data, want.data) : NULL;
	if (at == NULL) {
		buf_free(&want);
		buf_adds(err, "the script has not the terminal it was made "
		    "with");
		return -1;
	}
	buf_add(&out, script->data, (size_t)(at - script->data));
	plot_add_terminal(&out, to, font);
	at += want.len;
	buf_add(&out, at, script->len - (size_t)(at - script->data));
	buf_free(&want);
	buf_free(script);
	*script = out;
	return 0;
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
