#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static void
xalloc_fail(size_t size)
{
	fprintf(stderr, "tracestat: fatal: out of memory (%zu bytes)\n", size);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		xalloc_fail(size);
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		xalloc_fail(count * size);
	return p;
}

void *
xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (p == NULL)
		xalloc_fail(size);
	return p;
}

void *
xgrow(void *ptr, size_t *count, size_t need, size_t size)
{
	size_t n = *count;

	if (need <= n)
		return ptr;
	if (n < 8)
		n = 8;
	while (n < need)
		n *= 2;
	if (n > ((size_t)-1) / size)
		xalloc_fail((size_t)-1);
	ptr = xrealloc(ptr, n * size);
	*count = n;
	return ptr;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
