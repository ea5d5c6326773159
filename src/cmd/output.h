/*
 * output.h - rows as an aligned table, CSV (RFC 4180) or JSON.
 *
 * Declare the columns, then add rows cell by cell.  Tables are buffered to
 * align them; CSV and JSON stream.  JSON is an array of objects keyed by
 * column name, numbers as numbers, NULL as null, text always valid UTF-8
 * (invalid bytes become U+FFFD).
 */
#ifndef TRACESTAT_OUTPUT_H
#define TRACESTAT_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

enum out_format {
	OUT_TABLE,
	OUT_CSV,
	OUT_JSON
};

struct out;

/* Parse "table", "csv" or "json"; -1 for anything else. */
int out_parse_format(const char *s, enum out_format *f);

struct out *out_new(FILE *fp, enum out_format format);
void out_column(struct out *o, const char *name);
void out_null(struct out *o);
void out_int(struct out *o, int64_t v);
/* a + b, or null when the sum does not fit (a forged store). */
void out_int_sum(struct out *o, int64_t a, int64_t b);
/* A real printed with decimals digits after the point in tables and CSV,
 * and as the shortest round-trip form in JSON when decimals < 0. */
void out_real(struct out *o, double v, int decimals);
void out_text(struct out *o, const char *s);
void out_text_len(struct out *o, const char *s, size_t len);
void out_bool(struct out *o, int v);
/* The value when has is true, else NULL. */
void out_int_if(struct out *o, int has, int64_t v);
void out_real_if(struct out *o, int has, double v, int decimals);
void out_row_end(struct out *o);
/* Finish (print the table, close the JSON array) and free o. */
void out_finish(struct out *o);

#endif
