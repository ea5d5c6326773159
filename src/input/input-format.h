/*
 * input-format.h - the decoders behind input.c (not a public API).
 *
 * input-compress.c turns a file descriptor into decompressed bytes;
 * input-json.c reads the JSON records of Docker's json-file driver and of
 * journalctl -o json.
 */
#ifndef TRACESTAT_INPUT_FORMAT_H
#define TRACESTAT_INPUT_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "input.h"

enum input_compression {
	INPUT_PLAIN,
	INPUT_GZIP,
	INPUT_ZSTD,
	INPUT_XZ
};

/*
 * A byte source reading fd, decompressing it when its first bytes are the
 * magic of gzip, zstd or xz.  The caller frees it.
 */
struct input_source *input_source_new(int fd);
void input_source_free(struct input_source *s);

/*
 * Like read(2) into buf (a reader's source hook).  -1 with EAGAIN: fd must
 * become readable first; -1 with EIO: the compressed data is corrupt or
 * truncated, input_source_error says how.
 */
ssize_t input_source_read(void *ctx, char *buf, size_t size);
/* True when input_source_read has bytes without reading fd. */
int input_source_ready(void *ctx);
/* Why the last read failed with EIO. */
const char *input_source_error(const struct input_source *s);
/* Bytes read from fd. */
uint64_t input_source_bytes(const struct input_source *s);

/* One decoded record of a structured log. */
struct input_record {
	struct buf		 text;		/* the message, unescaped */
	int			 partial;	/* continued by the next one */
	int			 has_wall;
	double			 wall_s;
	enum input_stream	 stream;
};

/*
 * The format s[0..len) (one line, without its newline) is a record of:
 * INPUT_DOCKER_JSON, INPUT_JOURNAL_JSON or INPUT_TEXT (neither).
 */
enum input_format input_json_detect(const char *s, size_t len);

/*
 * Decode one record into r (its text is replaced).  Returns 0, 1 when the
 * record carries no message to hand out, or -1 with the reason in why.
 */
int input_docker_decode(const char *s, size_t len, struct input_record *r,
    struct buf *why);
int input_journal_decode(const char *s, size_t len, struct input_record *r,
    struct buf *why);

#endif
