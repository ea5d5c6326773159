#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "output.h"
#include "xalloc.h"
#include "banned.h"

enum cell_kind {
	CELL_NULL,
	CELL_NUMBER,
	CELL_TEXT
};

struct cell {
	enum cell_kind	 kind;
	char		*text;		/* NUL-ended, may hold NULs */
	size_t		 len;
};

struct out {
	FILE		*fp;
	enum out_format	 format;
	char		**names;
	size_t		 ncols, names_cap;
	/* The row being built. */
	struct cell	*row;
	size_t		 ncells, row_cap;
	size_t		 nrows;
	/* Table mode keeps every row. */
	struct cell	*rows;
	size_t		 rows_len, rows_cap;
	struct buf	 tmp;
};

static size_t utf8_len(const unsigned char *s, size_t left);

/*
 * Text as a terminal shows it harmlessly: control characters (C0, DEL,
 * C1), NUL bytes and bytes that are not UTF-8 become \xHH, a backslash
 * \\, so that a table never sends an escape sequence to the terminal and
 * never hides a byte.
 */
static char *
visible_text(const char *text, size_t len, size_t *outlen)
{
	struct buf b = BUF_INIT;
	const unsigned char *s = (const unsigned char *)text;
	size_t n;

	while (len > 0) {
		n = utf8_len(s, len);
		if (*s == '\\') {
			buf_adds(&b, "\\\\");
		} else if (n == 0 || *s < 0x20 || *s == 0x7f ||
		    (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)) {
			buf_addf(&b, "\\x%02x", *s);
			n = 1;
			if (s[0] == 0xc2 && len > 1 && s[1] >= 0x80 &&
			    s[1] < 0xa0) {
				/* U+0080-U+009F, CSI among them */
				buf_addf(&b, "\\x%02x", s[1]);
				n = 2;
			}
		} else {
			buf_add(&b, s, n);
		}
		s += n;
		len -= n;
	}
	*outlen = b.len;
	if (b.data == NULL)
		return xstrdup("");
	return buf_detach(&b);
}

int
out_parse_format(const char *s, enum out_format *f)
{
	if (strcmp(s, "table") == 0)
		*f = OUT_TABLE;
	else if (strcmp(s, "csv") == 0)
		*f = OUT_CSV;
	else if (strcmp(s, "json") == 0)
		*f = OUT_JSON;
	else
		return -1;
	return 0;
}

struct out *
out_new(FILE *fp, enum out_format format)
{
	struct out *o = xcalloc(1, sizeof *o);

	o->fp = fp;
	o->format = format;
	if (format == OUT_JSON)
		fputc('[', fp);
	return o;
}

static int
out_has_name(const struct out *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->ncols; i++)
		if (strcmp(o->names[i], name) == 0)
			return 1;
	return 0;
}

void
out_column(struct out *o, const char *name)
{
	struct buf b = BUF_INIT;
	size_t len;
	int k;

	o->names = xgrow(o->names, &o->names_cap, o->ncols + 1,
	    sizeof *o->names);
	if (o->format == OUT_TABLE) {
		o->names[o->ncols++] = visible_text(name, strlen(name), &len);
		return;
	}
	if (o->format == OUT_JSON && out_has_name(o, name)) {
		/* Keys of an object are unique: a, a_2, a_3 ... */
		for (k = 2;; k++) {
			buf_reset(&b);
			buf_addf(&b, "%s_%d", name, k);
			if (!out_has_name(o, b.data))
				break;
		}
		o->names[o->ncols++] = buf_detach(&b);
		return;
	}
	o->names[o->ncols++] = xstrdup(name);
}

static void
add_cell(struct out *o, enum cell_kind kind, const char *text, size_t len)
{
	struct cell *c;

	o->row = xgrow(o->row, &o->row_cap, o->ncells + 1, sizeof *o->row);
	c = &o->row[o->ncells++];
	c->kind = kind;
	c->text = NULL;
	c->len = 0;
	if (kind == CELL_NULL)
		return;
	if (kind == CELL_TEXT && o->format == OUT_TABLE) {
		c->text = visible_text(text, len, &c->len);
		return;
	}
	c->text = xmalloc(len + 1);
	memcpy(c->text, text, len);
	c->text[len] = '\0';
	c->len = len;
}

void
out_null(struct out *o)
{
	add_cell(o, CELL_NULL, NULL, 0);
}

void
out_int(struct out *o, int64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);

	add_cell(o, CELL_NUMBER, tmp, (size_t)n);
}

void
out_int_sum(struct out *o, int64_t a, int64_t b)
{
	int64_t sum;

	if (__builtin_add_overflow(a, b, &sum))
		out_null(o);
	else
		out_int(o, sum);
}

/* The shortest text that reads back as v, without exponent if sensible. */
static int
shortest_real(char *buf, size_t size, double v)
{
	int prec, n = 0;

	if (fabs(v) >= 1e-4 && fabs(v) < 1e15) {
		for (prec = 0; prec <= 17; prec++) {
			n = snprintf(buf, size, "%.*f", prec, v);
			if (strtod(buf, NULL) == v)
				return n;
		}
	}
	for (prec = 1; prec <= 17; prec++) {
		n = snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return n;
}

void
out_real(struct out *o, double v, int decimals)
{
	char tmp[64];
	double rounded;
	int n;

	if (!isfinite(v)) {
		out_null(o);
		return;
	}
	/* From 1e15 on, decimals mean nothing and %f would not fit tmp. */
	if (decimals < 0 || fabs(v) >= 1e15)
		n = shortest_real(tmp, sizeof tmp, v);
	else if (o->format == OUT_JSON) {
		/* Round to the precision shown, then keep it short. */
		rounded = round(v * pow(10, decimals)) / pow(10, decimals);
		n = shortest_real(tmp, sizeof tmp, isfinite(rounded) ?
		    rounded : v);
	} else
		n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof tmp)
		n = (int)strlen(tmp);
	add_cell(o, CELL_NUMBER, tmp, (size_t)n);
}

void
out_text_len(struct out *o, const char *s, size_t len)
{
	if (s == NULL)
		out_null(o);
	else
		add_cell(o, CELL_TEXT, s, len);
}

void
out_text(struct out *o, const char *s)
{
	out_text_len(o, s, s != NULL ? strlen(s) : 0);
}

void
out_int_if(struct out *o, int has, int64_t v)
{
	if (has)
		out_int(o, v);
	else
		out_null(o);
}

void
out_real_if(struct out *o, int has, double v, int decimals)
{
	if (has)
		out_real(o, v, decimals);
	else
		out_null(o);
}

void
out_bool(struct out *o, int v)
{
	if (o->format == OUT_JSON)
		add_cell(o, CELL_NUMBER, v ? "true" : "false", v ? 4 : 5);
	else
		out_int(o, v != 0);
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t
utf8_len(const unsigned char *s, size_t left)
{
	if (left == 0)
		return 0;
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return n;
}

static void
json_string(FILE *fp, const char *str, size_t left)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', fp);
	while (left > 0) {
		if (*s == '"' || *s == '\\') {
			fputc('\\', fp);
			fputc(*s, fp);
		} else if (*s == '\n') {
			fputs("\\n", fp);
		} else if (*s == '\t') {
			fputs("\\t", fp);
		} else if (*s == '\r') {
			fputs("\\r", fp);
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(fp, "\\u%04x", *s);
		} else if ((n = utf8_len(s, left)) > 0) {
			fwrite(s, 1, n, fp);
			s += n;
			left -= n;
			continue;
		} else {
			fputs("\\ufffd", fp);
		}
		s++;
		left--;
	}
	fputc('"', fp);
}

/* 1 when a CSV field must be quoted: separators, quotes or any control
 * character (NUL among them). */
static int
csv_needs_quotes(const struct cell *c)
{
	size_t i;

	for (i = 0; i < c->len; i++) {
		unsigned char ch = (unsigned char)c->text[i];

		if (ch == ',' || ch == '"' || ch < 0x20 || ch == 0x7f)
			return 1;
	}
	return 0;
}

static void
csv_field(FILE *fp, const struct cell *c)
{
	size_t i;

	if (c->kind == CELL_NULL)
		return;
	if (c->kind == CELL_NUMBER || !csv_needs_quotes(c)) {
		fwrite(c->text, 1, c->len, fp);
		return;
	}
	fputc('"', fp);
	for (i = 0; i < c->len; i++) {
		if (c->text[i] == '"')
			fputc('"', fp);
		fputc(c->text[i], fp);
	}
	fputc('"', fp);
}

static void
free_cells(struct cell *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].text);
}

void
out_row_end(struct out *o)
{
	size_t i;

	while (o->ncells < o->ncols)
		out_null(o);
	switch (o->format) {
	case OUT_CSV:
		if (o->nrows == 0) {
			for (i = 0; i < o->ncols; i++) {
				struct cell h = { CELL_TEXT, o->names[i],
				    strlen(o->names[i]) };

				if (i > 0)
					fputc(',', o->fp);
				csv_field(o->fp, &h);
			}
			fputc('\n', o->fp);
		}
		for (i = 0; i < o->ncols; i++) {
			if (i > 0)
				fputc(',', o->fp);
			csv_field(o->fp, &o->row[i]);
		}
		fputc('\n', o->fp);
		free_cells(o->row, o->ncells);
		break;
	case OUT_JSON:
		fputs(o->nrows == 0 ? "\n  {" : ",\n  {", o->fp);
		for (i = 0; i < o->ncols; i++) {
			if (i > 0)
				fputs(", ", o->fp);
			json_string(o->fp, o->names[i], strlen(o->names[i]));
			fputs(": ", o->fp);
			if (o->row[i].kind == CELL_NULL)
				fputs("null", o->fp);
			else if (o->row[i].kind == CELL_NUMBER)
				fputs(o->row[i].text, o->fp);
			else
				json_string(o->fp, o->row[i].text,
				    o->row[i].len);
		}
		fputc('}', o->fp);
		free_cells(o->row, o->ncells);
		break;
	case OUT_TABLE:
		o->rows = xgrow(o->rows, &o->rows_cap,
		    o->rows_len + o->ncols, sizeof *o->rows);
		memcpy(o->rows + o->rows_len, o->row,
		    o->ncols * sizeof *o->row);
		o->rows_len += o->ncols;
		break;
	}
	o->ncells = 0;
	o->nrows++;
}

/* Display width of a UTF-8 string (code points, good enough here). */
static size_t
display_width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void
table_print(struct out *o)
{
	size_t *width, i, r, w;
	const char *text;

	if (o->ncols == 0)
		return;
	width = xcalloc(o->ncols, sizeof *width);
	for (i = 0; i < o->ncols; i++)
		width[i] = display_width(o->names[i]);
	for (r = 0; r < o->nrows; r++)
		for (i = 0; i < o->ncols; i++) {
			const struct cell *c = &o->rows[r * o->ncols + i];

			w = c->kind == CELL_NULL ? 1 : display_width(c->text);
			if (w > width[i])
				width[i] = w;
		}
	for (i = 0; i < o->ncols; i++)
		fprintf(o->fp, "%s%-*s", i > 0 ? "  " : "",
		    i + 1 < o->ncols ? (int)width[i] : 0, o->names[i]);
	fputc('\n', o->fp);
	for (r = 0; r < o->nrows; r++) {
		for (i = 0; i < o->ncols; i++) {
			const struct cell *c = &o->rows[r * o->ncols + i];
			int pad;

			text = c->kind == CELL_NULL ? "-" : c->text;
			pad = (int)(width[i] - display_width(text));
			if (i > 0)
				fputs("  ", o->fp);
			if (c->kind == CELL_NUMBER) {
				fprintf(o->fp, "%*s%s", pad, "", text);
			} else {
				fputs(text, o->fp);
				if (i + 1 < o->ncols)
					fprintf(o->fp, "%*s", pad, "");
			}
		}
		fputc('\n', o->fp);
	}
	free(width);
}

void
out_finish(struct out *o)
{
	size_t i;

	if (o->ncells > 0)
		out_row_end(o);
	switch (o->format) {
	case OUT_TABLE:
		table_print(o);
		free_cells(o->rows, o->rows_len);
		break;
	case OUT_JSON:
		fputs(o->nrows == 0 ? "]\n" : "\n]\n", o->fp);
		break;
	case OUT_CSV:
		if (o->nrows == 0 && o->ncols > 0) {
			for (i = 0; i < o->ncols; i++) {
				struct cell h = { CELL_TEXT, o->names[i],
				    strlen(o->names[i]) };

				if (i > 0)
					fputc(',', o->fp);
				csv_field(o->fp, &h);
			}
			fputc('\n', o->fp);
		}
		break;
	}
	for (i = 0; i < o->ncols; i++)
		free(o->names[i]);
	free(o->names);
	free(o->row);
	free(o->rows);
	buf_free(&o->tmp);
	free(o);
}
