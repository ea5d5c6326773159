/*
 * plot-reduce.h - the rows of a plot's data block that the eye can see.
 *
 * An image W pixels wide cannot show more than W columns of points: a
 * million gc cycles drawn one by one make a solid blob and keep gnuplot
 * busy for minutes.  The reducer takes the rows of a data block in
 * order, each with its x, the y of each of its series and a mark, and
 * keeps:
 *
 *  - per pixel column and per series, the row with the smallest and the
 *    row with the largest y (the first of equal ones), so that every
 *    spike and every dip is drawn where it was;
 *  - every marked row (a pause over the threshold, a forced cycle, the
 *    first and last row of a segment), whatever its column;
 *
 * and writes the rows kept in their original order.  A column is x's
 * share of [x_lo, x_hi] times the number of columns; x outside the range
 * counts in the first or last column.  Rows are buffered only until
 * their column ends (the next row falls in another one), so with rows in
 * x order, as the store gives a segment's cycles, at most 2 rows per
 * series and column plus the marked ones are written, and the memory
 * held is that of one column.  A NaN y takes no part in that series'
 * minimum or maximum; a row none of whose y is a number is dropped unless
 * marked.
 *
 * Statistics are never computed on the reduced rows: the analyses and
 * figures.c read every row from the store.  Nothing here prints.
 */
#ifndef TRACESTAT_PLOT_REDUCE_H
#define TRACESTAT_PLOT_REDUCE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define PLOT_REDUCE_MAX_SERIES	8

struct plot_reduce_row;

struct plot_reduce {
	struct buf		*out;		/* kept rows go here */
	double			 x_lo, x_hi;
	int			 columns;
	int			 nseries;
	int			 column;	/* pending rows'; -1 */
	struct plot_reduce_row	*rows;	/* pending, in order */
	size_t			 nrows, alloc;
	struct buf		 text;		/* pending rows' text */
	/* Per series: the pending row (index into rows) with the minimum
	 * and the maximum y; -1 when none. */
	long			 min_at[PLOT_REDUCE_MAX_SERIES];
	long			 max_at[PLOT_REDUCE_MAX_SERIES];
	size_t			 marked;	/* marked pending rows */
	int64_t			 rows_in, rows_out;
};

/*
 * Start reducing into out: columns pixel columns (at least 1) over x from
 * x_lo to x_hi, nseries series per row (1 to PLOT_REDUCE_MAX_SERIES).
 */
void plot_reduce_init(struct plot_reduce *r, struct buf *out, double x_lo,
    double x_hi, int columns, int nseries);

/*
 * The next row: its x, its nseries values y, whether it is marked, and
 * its text (a whole line with its newline, written as it is when kept).
 */
void plot_reduce_add(struct plot_reduce *r, double x, const double *y,
    int marked, const char *text, size_t len);

/*
 * Write the rows kept of the current column: call it before writing
 * anything else to out (a blank line between segments, the end of the
 * block), and at the end.
 */
void plot_reduce_flush(struct plot_reduce *r);

/* Flush and free what r holds (not out). */
void plot_reduce_end(struct plot_reduce *r);

/*
 * Marks drawn one by one on a log y axis (every pause over the
 * threshold): a mark that falls on the same pixel as one already kept, of
 * the same series, would be drawn over it, so only the first is kept.
 * The pixel is the mark's column (as the reducer's, over the image's
 * width) and its row over the image's height on the axis from y_lo to
 * y_hi: both finer than the plot area's own pixels, which lie inside the
 * image.  Marks come in x order (a column is remembered until a mark
 * falls in another one; a column visited again keeps its marks anew);
 * y outside the axis counts in its first or last row.
 */
#define PLOT_DOTS_MAX_SERIES	4

struct plot_dots {
	double		 x_lo, x_hi;
	int		 columns;
	double		 log_lo, log_span;	/* of y */
	int		 rows;
	int		 nseries;
	int		 column;	/* of the marks remembered; -1 */
	unsigned char	*seen;		/* bit per (row, series) */
	size_t		*touched;	/* the bits set, to clear them */
	size_t		 ntouched, alloc;
	int64_t		 marks_in, marks_kept;
};

/*
 * x from x_lo to x_hi in columns pixel columns, y from y_lo to y_hi (both
 * over 0) on a log axis rows pixels high.
 */
void plot_dots_init(struct plot_dots *d, double x_lo, double x_hi,
    int columns, double y_lo, double y_hi, int rows, int nseries);

/* Is the mark at (x, y) of series (0 to nseries - 1) to be drawn? */
int plot_dots_keep(struct plot_dots *d, double x, double y, int series);

void plot_dots_end(struct plot_dots *d);

#endif
