#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "xalloc.h"
#include "banned.h"

void
reader_init(struct reader *r, int fd, size_t max_line)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->cap = max_line;
	r->buf = xmalloc(max_line);
}

void
reader_free(struct reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

enum reader_status
reader_next(struct reader *r, const char **s, size_t *len, int timeout_ms)
{
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl != NULL) {
			*s = r->buf + r->start;
			*len = (size_t)(nl + 1 - *s);
			r->start += *len;
			if (r->in_overlong) {
				r->in_overlong = 0;
				r->first_piece = 0;
				return READER_PIECE;
			}
			return READER_LINE;
		}
		if (r->eof) {
			if (r->start == r->end)
				return READER_EOF;
			*s = r->buf + r->start;
			*len = r->end - r->start;
			r->start = r->end;
			if (r->in_overlong) {
				r->in_overlong = 0;
				r->first_piece = 0;
				return READER_PIECE;
			}
			return READER_LINE;
		}
		if (r->end - r->start == r->cap) {
			/* The buffer is one unfinished line: hand it out. */
			*s = r->buf + r->start;
			*len = r->cap;
			r->start = r->end = 0;
			r->first_piece = !r->in_overlong;
			r->in_overlong = 1;
			return READER_PIECE;
		}
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->start = 0;
		}
		if (timeout_ms >= 0 && (r->source_ready == NULL ||
		    !r->source_ready(r->source_ctx))) {
			struct pollfd pfd = { r->fd, POLLIN, 0 };
			int rc = poll(&pfd, 1, timeout_ms);

			if (rc == 0)
				return READER_TIMEOUT;
			if (rc < 0) {
				if (errno == EINTR)
					return READER_INTERRUPTED;
				return READER_ERROR;
			}
		}
		if (r->source != NULL)
			n = r->source(r->source_ctx, r->buf + r->end,
			    r->cap - r->end);
		else
			n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n < 0) {
			struct pollfd pfd = { r->fd, POLLIN, 0 };
			int rc;

			if (errno == EINTR)
				return READER_INTERRUPTED;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return READER_ERROR;
			/* A non-blocking input: wait, never spin. */
			rc = poll(&pfd, 1, timeout_ms);
			if (rc == 0)
				return READER_TIMEOUT;
			if (rc < 0)
				return errno == EINTR ? READER_INTERRUPTED :
				    READER_ERROR;
			continue;
		}
		if (n == 0)
			r->eof = 1;
		r->end += (size_t)n;
		r->bytes += (uint64_t)n;
	}
}

int
reader_buffered(const struct reader *r)
{
	if (r->eof || r->end - r->start == r->cap)
		return 1;
	return memchr(r->buf + r->start, '\n', r->end - r->start) != NULL;
}
