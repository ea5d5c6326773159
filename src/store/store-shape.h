/*
 * store-shape.h - the shape of a trace line: the line with the values its
 * record stores taken out.  The store keeps a line's text only when its
 * shape filled with the stored values does not give the line back byte
 * for byte; the shapes themselves are kept once, in the table rules.
 *
 * A shape is literal text and slots.  A slot names one of the kind's own
 * columns (or integer lists) and the way its value was printed:
 *
 *	d	an integer in decimal
 *	ms	microseconds printed as the runtime's milliseconds (fmtNSAsMS)
 *	s	milliseconds printed as seconds with three decimals
 *	e	a real as the runtime prints floats: +d.dddddde+ddd
 *	t	text as it is
 *	list	an integer list, the numbers separated by one space
 *
 * Written as text (rules.shape), "{" and "}" are doubled and a slot is
 * "{column}" for d and t and "{column:fmt}" for the others.
 */
#ifndef TRACESTAT_STORE_SHAPE_H
#define TRACESTAT_STORE_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

enum shape_fmt {
	SHAPE_NONE,		/* the literal text ends the line */
	SHAPE_INT,
	SHAPE_MS,
	SHAPE_SEC,
	SHAPE_TEXT,
	SHAPE_LIST,
	SHAPE_FLOAT
};

struct shape_piece {
	const char	*text;		/* literal text before the value */
	size_t		 len;
	int		 col;		/* own column, or list, index */
	enum shape_fmt	 fmt;
};

struct shape {
	const char		*rule;
	enum kind		 kind;
	const char		*text;		/* "" when the line is kept */
	size_t			 text_len;
	int			 whole;		/* the line is kept as it is */
	const struct shape_piece *pieces;
	int			 npieces;
	uint64_t		 hash;
	int64_t			 store_id;	/* the store's, 0 when unknown */
	struct shape		*next_new;	/* the store's list */
};

/* At most this many shapes (and bytes of them) per table. */
#define SHAPE_MAX_SHAPES 4096
#define SHAPE_MAX_BYTES ((size_t)4 << 20)
/* Longer lines are kept whole. */
#define SHAPE_MAX_LINE 4096

struct shape_table;

struct shape_table *shape_table_new(void);
void shape_table_free(struct shape_table *t);

/*
 * The shape of r's line (r->raw), made from the bytes each column was
 * read from (struct value's s and len), so it must be called while they
 * are valid.  NULL when r has no rule (not a line of its own).  The shape
 * belongs to t.
 */
struct shape *shape_of(struct shape_table *t, const struct record *r);

/* The shape of a line kept whole, for rule. */
struct shape *shape_whole(struct shape_table *t, const char *rule,
    enum kind kind);

/* Name of a format in rules' text and rule_pieces.fmt ("d", "ms", ...). */
const char *shape_fmt_name(enum shape_fmt f);

/*
 * Print integer v as format f (SHAPE_INT, SHAPE_MS or SHAPE_SEC) into
 * out (at least 32 bytes).  Returns the length, or -1 when f cannot print
 * v (a negative duration).
 */
int shape_print_int(enum shape_fmt f, int64_t v, char *out);

/* Print real v as the runtime's print(float64) does; -1 if it cannot. */
int shape_print_float(double v, char *out);

#endif
