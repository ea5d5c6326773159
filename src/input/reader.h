/*
 * reader.h - split a file descriptor into lines with a bounded buffer.
 *
 * Lines longer than the buffer come back in pieces (READER_PIECE), so
 * memory never grows with the input.  A timeout lets the caller do work
 * (commit, release held lines) while the writer is quiet.
 */
#ifndef TRACESTAT_READER_H
#define TRACESTAT_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define READER_MAX_LINE (1024 * 1024)

enum reader_status {
	READER_LINE,		/* a whole line, with its '\n' if it had one */
	READER_PIECE,		/* a piece of an overlong line */
	READER_EOF,
	READER_TIMEOUT,		/* nothing complete arrived in time */
	READER_INTERRUPTED,	/* a signal arrived */
	READER_ERROR		/* errno is set */
};

struct reader {
	int	 fd;
	char	*buf;
	size_t	 cap;
	size_t	 start, end;
	int	 eof;
	int	 in_overlong;
	int	 first_piece;	/* the last PIECE began an overlong line */
	uint64_t bytes;
	/*
	 * When set, bytes come from source() instead of read(2) on fd (a
	 * decompressor).  It returns like read(2); -1 with EAGAIN means it
	 * needs fd to become readable.  source_ready() is true when it has
	 * bytes to give without fd being readable.
	 */
	ssize_t	(*source)(void *ctx, char *buf, size_t size);
	int	(*source_ready)(void *ctx);
	void	*source_ctx;
};

void reader_init(struct reader *r, int fd, size_t max_line);
void reader_free(struct reader *r);

/*
 * Next line or piece in *s, *len.  timeout_ms < 0 waits for ever.  The
 * bytes stay valid until the next call.
 */
enum reader_status reader_next(struct reader *r, const char **s,
    size_t *len, int timeout_ms);

/*
 * True when reader_next has a line, a piece or the end to give without
 * reading: when false, the next call reads and may wait.
 */
int reader_buffered(const struct reader *r);

#endif
