/*
 * report-html.h - the HTML pieces of tracestat report: text escaped for
 * HTML, table rows, verdict badges, and files inlined as data: URIs so
 * that the page stands alone.  Nothing here prints.
 */
#ifndef TRACESTAT_REPORT_HTML_H
#define TRACESTAT_REPORT_HTML_H

#include <stddef.h>

#include "buf.h"

/* s as HTML text (the five specials escaped, C0 controls as '?'). */
void report_text(struct buf *b, const char *s);
void report_textf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A table row of n cells (th when header); a NULL cell is an en dash. */
void report_row(struct buf *b, int header, int n, ...);

/* A "name: value" row of a two-column table. */
void report_pair(struct buf *b, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The badge of a verdict: cls is good, warn, bad or unknown. */
void report_verdict(struct buf *b, const char *cls, const char *text);

/* len bytes of data as base64 (RFC 4648, padded). */
void report_base64(struct buf *b, const void *data, size_t len);

/*
 * The whole of the file path into out (appended), at most max bytes.
 * Returns 0, or -1 with err set (cannot be read, empty, too large).
 */
int report_read_file(const char *path, size_t max, struct buf *out,
    struct buf *err);

#endif
