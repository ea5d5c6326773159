#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot-reduce.h"
#include "xalloc.h"
#include "banned.h"

struct plot_reduce_row {
	double	 y[PLOT_REDUCE_MAX_SERIES];
	int	 marked;
	size_t	 at, len;	/* its text in r->text */
};

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The cell of n that the share f of n falls in: 0 for f <= 0 or NaN. */
static int
plot_cell(double f, int n)
{
	if (!(f > 0))
		return 0;
	if (f >= n)
		return n - 1;
	return (int)f;
}

void
plot_reduce_init(struct plot_reduce *r, struct buf *out, double x_lo,
    double x_hi, int columns, int nseries)
{
	int k;

	memset(r, 0, sizeof *r);
	r->out = out;
	r->x_lo = x_lo;
	r->x_hi = x_hi;
	r->columns = columns < 1 ? 1 : columns;
	r->nseries = clamp(nseries, 1, PLOT_REDUCE_MAX_SERIES);
	r->column = -1;
	for (k = 0; k < PLOT_REDUCE_MAX_SERIES; k++)
		r->min_at[k] = r->max_at[k] = -1;
}

/* x's pixel column, x outside the range in the first or last one. */
static int
plot_reduce_column(const struct plot_reduce *r, double x)
{
	if (!(r->x_hi > r->x_lo) || isnan(x))
		return 0;
	return plot_cell((x - r->x_lo) / (r->x_hi - r->x_lo) * r->columns,
	    r->columns);
}

/* Row i of the pending rows is kept: marked, or a minimum or maximum. */
static int
plot_reduce_kept(const struct plot_reduce *r, size_t i)
{
	int k;

	if (r->rows[i].marked)
		return 1;
	for (k = 0; k < r->nseries; k++)
		if (r->min_at[k] == (long)i || r->max_at[k] == (long)i)
			return 1;
	return 0;
}

/*
 * Drop the pending rows no longer kept (a new minimum replaced them), so
 * that a column of rising values holds a few rows, not all of them.
 */
static void
plot_reduce_compact(struct plot_reduce *r)
{
	struct buf text = BUF_INIT;
	long *map;
	size_t i, n = 0;
	int k;

	map = xcalloc(r->nrows, sizeof *map);
	for (i = 0; i < r->nrows; i++) {
		map[i] = -1;
		if (!plot_reduce_kept(r, i))
			continue;
		map[i] = (long)n;
		r->rows[n] = r->rows[i];
		buf_add(&text, r->text.data + r->rows[i].at, r->rows[i].len);
		r->rows[n].at = text.len - r->rows[i].len;
		n++;
	}
	for (k = 0; k < r->nseries; k++) {
		if (r->min_at[k] >= 0)
			r->min_at[k] = map[r->min_at[k]];
		if (r->max_at[k] >= 0)
			r->max_at[k] = map[r->max_at[k]];
	}
	free(map);
	r->nrows = n;
	buf_free(&r->text);
	r->text = text;
}

void
plot_reduce_flush(struct plot_reduce *r)
{
	size_t i;
	int k;

	for (i = 0; i < r->nrows; i++)
		if (plot_reduce_kept(r, i)) {
			buf_add(r->out, r->text.data + r->rows[i].at,
			    r->rows[i].len);
			r->rows_out++;
		}
	r->nrows = 0;
	r->marked = 0;
	buf_reset(&r->text);
	for (k = 0; k < PLOT_REDUCE_MAX_SERIES; k++)
		r->min_at[k] = r->max_at[k] = -1;
	r->column = -1;
}

void
plot_reduce_add(struct plot_reduce *r, double x, const double *y,
    int marked, const char *text, size_t len)
{
	struct plot_reduce_row *row;
	long at;
	int k, column, is_min[PLOT_REDUCE_MAX_SERIES];
	int is_max[PLOT_REDUCE_MAX_SERIES], keep = marked;

	r->rows_in++;
	column = plot_reduce_column(r, x);
	if (column != r->column) {
		plot_reduce_flush(r);
		r->column = column;
	}
	for (k = 0; k < r->nseries; k++) {
		is_min[k] = is_max[k] = 0;
		if (isnan(y[k]))
			continue;
		if (r->min_at[k] < 0 || y[k] < r->rows[r->min_at[k]].y[k])
			keep = is_min[k] = 1;
		if (r->max_at[k] < 0 || y[k] > r->rows[r->max_at[k]].y[k])
			keep = is_max[k] = 1;
	}
	if (!keep)
		return;
	if (r->nrows == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 16;
		r->rows = xrealloc(r->rows, r->alloc * sizeof *r->rows);
	}
	at = (long)r->nrows++;
	row = &r->rows[at];
	memset(row, 0, sizeof *row);
	for (k = 0; k < r->nseries; k++) {
		row->y[k] = y[k];
		if (is_min[k])
			r->min_at[k] = at;
		if (is_max[k])
			r->max_at[k] = at;
	}
	row->marked = marked;
	row->at = r->text.len;
	row->len = len;
	buf_add(&r->text, text, len);
	if (marked)
		r->marked++;
	/* At most 2 rows a series and the marked ones are kept: compact
	 * when the pending rows are twice that. */
	if (r->nrows >= 2 * (2 * (size_t)r->nseries + r->marked) + 16)
		plot_reduce_compact(r);
}

void
plot_reduce_end(struct plot_reduce *r)
{
	plot_reduce_flush(r);
	free(r->rows);
	r->rows = NULL;
	r->nrows = r->alloc = 0;
	buf_free(&r->text);
}

/* ------------------------------------------------------------------ dots */

void
plot_dots_init(struct plot_dots *d, double x_lo, double x_hi, int columns,
    double y_lo, double y_hi, int rows, int nseries)
{
	size_t bits;

	memset(d, 0, sizeof *d);
	d->x_lo = x_lo;
	d->x_hi = x_hi;
	d->columns = columns < 1 ? 1 : columns;
	d->rows = rows < 1 ? 1 : rows;
	d->log_lo = y_lo > 0 ? log10(y_lo) : 0;
	d->log_span = y_hi > y_lo && y_lo > 0 ? log10(y_hi) - d->log_lo : 0;
	d->nseries = clamp(nseries, 1, PLOT_DOTS_MAX_SERIES);
	d->column = -1;
	bits = (size_t)d->rows * (size_t)d->nseries;
	d->seen = xcalloc(bits / 8 + 1, 1);
}

int
plot_dots_keep(struct plot_dots *d, double x, double y, int series)
{
	struct plot_reduce cols;
	double f;
	size_t bit, i;
	int column, row;

	d->marks_in++;
	if (series < 0 || series >= d->nseries)
		series = d->nseries - 1;
	/* The reducer's columns, so a mark and its row share one. */
	cols.x_lo = d->x_lo;
	cols.x_hi = d->x_hi;
	cols.columns = d->columns;
	column = plot_reduce_column(&cols, x);
	if (column != d->column) {
		for (i = 0; i < d->ntouched; i++)
			d->seen[d->touched[i] / 8] = 0;
		d->ntouched = 0;
		d->column = column;
	}
	f = d->log_span > 0 && y > 0 ?
	    (log10(y) - d->log_lo) / d->log_span * d->rows : 0;
	row = plot_cell(f, d->rows);
	bit = (size_t)row * (size_t)d->nseries + (size_t)series;
	if (d->seen[bit / 8] & (1u << (bit % 8)))
		return 0;
	d->seen[bit / 8] |= (unsigned char)(1u << (bit % 8));
	d->touched = xgrow(d->touched, &d->alloc, d->ntouched + 1,
	    sizeof *d->touched);
	d->touched[d->ntouched++] = bit;
	d->marks_kept++;
	return 1;
}

void
plot_dots_end(struct plot_dots *d)
{
	free(d->seen);
	free(d->touched);
	memset(d, 0, sizeof *d);
}
