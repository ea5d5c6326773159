/*
 * input.h - the lines of a program's output, from whatever holds them.
 *
 * An input is a sequence of files (or standard input) read one after the
 * other as one stream.  Each file is decoded in two steps, both decided by
 * its content, never by its name:
 *
 *   1. compression: gzip (concatenated members too), zstd or xz, found by
 *      their magic bytes and read through zlib, libzstd and liblzma;
 *   2. format: plain text, a CRI container log (kubelet's
 *      /var/log/pods/.../0.log), a Docker json-file log, or the output of
 *      journalctl -o json; found on the file's first line unless a format
 *      is forced.
 *
 * What comes out are the application's own lines (the message of each
 * record, partial records joined), each with the wall-clock time and the
 * stream (stdout, stderr) its format recorded.  Memory is bounded: a line
 * longer than INPUT_MAX_LINE comes out in pieces.  This module never prints:
 * malformed records and read errors come back with a message.
 */
#ifndef TRACESTAT_INPUT_H
#define TRACESTAT_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "reader.h"

#define INPUT_MAX_LINE READER_MAX_LINE

enum input_format {
	INPUT_AUTO,		/* decide per file from its first line */
	INPUT_TEXT,
	INPUT_CRI,
	INPUT_DOCKER_JSON,
	INPUT_JOURNAL_JSON
};

enum input_status {
	INPUT_LINE,		/* a whole line, with its '\n' if it had one */
	INPUT_PIECE,		/* a piece of a line longer than the maximum */
	INPUT_EOF,		/* the file (after input_end: all) ended */
	INPUT_TIMEOUT,		/* nothing complete arrived in time */
	INPUT_INTERRUPTED,	/* a signal arrived */
	INPUT_SKIPPED,		/* a malformed record was skipped: see msg */
	INPUT_NOTICE,		/* something to warn of (see msg); go on */
	INPUT_ERROR		/* the file cannot be read further: see msg */
};

enum input_stream {
	INPUT_STREAM_NONE,
	INPUT_STREAM_STDOUT,
	INPUT_STREAM_STDERR,
	INPUT_STREAMS
};

/* One line handed out; its bytes stay valid until the next input_next. */
struct input_line {
	const char		*s;
	size_t			 len;
	int			 first_piece;	/* INPUT_PIECE: the first one */
	int			 has_wall;
	double			 wall_s;	/* Unix time from the format */
	enum input_stream	 stream;
};

struct input_source;
struct input_record;

/* A line being joined from partial records of one stream. */
struct input_join {
	struct buf	 text;
	int		 active;
	int		 overlong;	/* pieces of it were handed out */
	int		 has_wall;
	double		 wall_s;
};

/* Decoded text waiting to be handed out, split at newlines. */
struct input_chunk {
	size_t			 off, len;
	int			 piece;		/* 0, 1 a piece, 2 the first */
	int			 has_wall;
	double			 wall_s;
	enum input_stream	 stream;
};

#define INPUT_CHUNKS 8

struct input {
	enum input_format	 want;
	/* The file being read. */
	const char		*name;
	int			 open;
	struct input_source	*source;
	struct reader		 reader;
	enum input_format	 format;	/* INPUT_AUTO until known */
	int64_t			 record;	/* its physical lines so far */
	struct buf		 error;		/* to report after its lines */
	/* Decoded text waiting to be handed out. */
	struct buf		 ready;
	struct input_chunk	 chunks[INPUT_CHUNKS];
	int			 nchunks, chunk;
	/* Kept across files: rotation does not end a line. */
	struct input_join	 join[INPUT_STREAMS];
	struct buf		 carry;		/* a last line without '\n' */
	int			 ending;	/* input_end was called */
	struct buf		 why;
	struct input_record	*record_buf;
	/* Rotated files out of order show in their times. */
	int			 file_timed;	/* the file has a record time */
	double			 file_last_wall;
	int			 prev_timed;
	double			 prev_last_wall;
	const char		*prev_name;
	struct buf		 notice;
	uint64_t		 bytes;		/* read from the files */
	int64_t			 skipped;	/* malformed records */
};

/* Start an input; format is INPUT_AUTO or the format of every file. */
void input_init(struct input *in, enum input_format format);

/*
 * Read the file open on fd (not closed by this module) as the next part of
 * the stream; name is used in messages.  The previous file must have
 * returned INPUT_EOF or INPUT_ERROR.
 */
void input_open(struct input *in, int fd, const char *name);

/*
 * The next line in *line.  timeout_ms < 0 waits for ever.  INPUT_EOF ends
 * the current file; after input_end, INPUT_EOF means everything was handed
 * out.  INPUT_SKIPPED, INPUT_NOTICE and INPUT_ERROR put a message in msg
 * ("'FILE':LINE: why"); reading goes on after the first two, not after
 * INPUT_ERROR.
 */
enum input_status input_next(struct input *in, struct input_line *line,
    int timeout_ms, struct buf *msg);

/*
 * No file follows the one open (if any): at its end, hand out what was
 * kept for a next one before INPUT_EOF.
 */
void input_end(struct input *in);

/*
 * True when input_next has something to give without reading (a line, a
 * message, the end): when false, the next call reads and may wait.
 */
int input_buffered(const struct input *in);

/* The format called name ("auto", "text", "cri", ...), or -1. */
int input_format_by_name(const char *name);
/* "stdout", "stderr", or NULL. */
const char *input_stream_name(enum input_stream s);

void input_free(struct input *in);

#endif
