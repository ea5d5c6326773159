/*
 * xalloc.h - allocation that never returns NULL.
 *
 * On exhaustion these print one message and abort: there is no useful way
 * for tracestat to continue without memory, and every caller is simpler.
 */
#ifndef TRACESTAT_XALLOC_H
#define TRACESTAT_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grow an array of count elements of size bytes to hold at least need. */
void *xgrow(void *ptr, size_t *count, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

#endif
