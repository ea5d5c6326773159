/*
 * buf.h - a growable byte string, always NUL-terminated.
 *
 * A buf may contain NUL bytes; len is authoritative.  A zero-initialised
 * struct buf (BUF_INIT) is an empty string ready for use.
 */
#ifndef TRACESTAT_BUF_H
#define TRACESTAT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, int c);
void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Empty the string but keep its memory. */
void buf_reset(struct buf *b);
/* Return the string (never NULL) and leave b empty; the caller frees it. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);
/* The contents as a C string ("" when nothing was ever added). */
const char *buf_str(const struct buf *b);

#endif
