/*
 * input-compress.c - bytes of a file, decompressed when they are gzip, zstd
 * or xz data.
 *
 * The compression is told by the first bytes (the formats' magic numbers),
 * never by a file name, so a rotated app.log.1 that logrotate compressed
 * without renaming, or a compressed stream on standard input, is read the
 * same way.  Decoding streams through a 64 KiB input buffer: memory does not
 * grow with the file.  A text that happens to start with one of the magic
 * bytes is decided as soon as a byte differs, so a live pipe is never kept
 * waiting for more than the few bytes of a magic number.
 */
#include "config.h"

#include <errno.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "input-format.h"
#include "xalloc.h"
#include "banned.h"

#define SOURCE_IN_SIZE 65536
/* xz -9 needs 65 MiB to decompress; refuse the absurd, not the real. */
#define SOURCE_XZ_MEMLIMIT (512u << 20)

struct input_source {
	int			 fd;
	int			 decided;
	enum input_compression	 compression;
	unsigned char		*in;
	size_t			 in_pos, in_len;
	int			 fd_eof;
	int			 started;	/* inside a member or frame */
	int			 more_out;	/* output may be held */
	z_stream		 z;
	int			 z_ready;
	ZSTD_DStream		*zstd;
	lzma_stream		 lzma;
	int			 lzma_ready;
	struct buf		 err;
	uint64_t		 bytes;
};

static const struct {
	enum input_compression	 compression;
	const char		*magic;
	size_t			 len;
} source_magics[] = {
	{ INPUT_GZIP, "\x1f\x8b\x08", 3 },
	{ INPUT_ZSTD, "\x28\xb5\x2f\xfd", 4 },
	{ INPUT_XZ, "\xfd" "7zXZ\x00", 6 },
};

struct input_source *
input_source_new(int fd)
{
	struct input_source *s = xcalloc(1, sizeof *s);
	lzma_stream init = LZMA_STREAM_INIT;

	s->fd = fd;
	s->in = xmalloc(SOURCE_IN_SIZE);
	s->lzma = init;
	return s;
}

void
input_source_free(struct input_source *s)
{
	if (s == NULL)
		return;
	if (s->z_ready)
		inflateEnd(&s->z);
	if (s->zstd != NULL)
		ZSTD_freeDStream(s->zstd);
	if (s->lzma_ready)
		lzma_end(&s->lzma);
	buf_free(&s->err);
	free(s->in);
	free(s);
}

const char *
input_source_error(const struct input_source *s)
{
	return buf_str(&s->err);
}

uint64_t
input_source_bytes(const struct input_source *s)
{
	return s->bytes;
}

int
input_source_ready(void *ctx)
{
	struct input_source *s = ctx;

	if (!s->decided)
		return 0;
	return s->in_pos < s->in_len || s->more_out ||
	    (s->fd_eof && s->compression != INPUT_PLAIN);
}

/* One read(2) into the input buffer: 1, 0 at the end, -1 (errno). */
static int
source_fill(struct input_source *s)
{
	ssize_t n;

	if (s->in_pos > 0) {
		memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
		s->in_len -= s->in_pos;
		s->in_pos = 0;
	}
	n = read(s->fd, s->in + s->in_len, SOURCE_IN_SIZE - s->in_len);
	if (n < 0)
		return -1;
	if (n == 0) {
		s->fd_eof = 1;
		return 0;
	}
	s->in_len += (size_t)n;
	s->bytes += (uint64_t)n;
	return 1;
}

static const char *
compression_name(enum input_compression c)
{
	switch (c) {
	case INPUT_GZIP:
		return "gzip";
	case INPUT_ZSTD:
		return "zstd";
	case INPUT_XZ:
		return "xz";
	case INPUT_PLAIN:
		break;
	}
	return "none";
}

static int
source_fail(struct input_source *s, const char *what, const char *detail)
{
	buf_reset(&s->err);
	buf_addf(&s->err, "%s %s data", what,
	    compression_name(s->compression));
	if (detail != NULL && *detail != '\0')
		buf_addf(&s->err, " (%s)", detail);
	return -1;
}

/* Decide the compression from the bytes seen; 0: more are needed. */
static int
source_detect(struct input_source *s)
{
	size_t i, n;
	int possible = 0;

	for (i = 0; i < sizeof source_magics / sizeof source_magics[0]; i++) {
		n = s->in_len < source_magics[i].len ? s->in_len :
		    source_magics[i].len;
		if (memcmp(s->in, source_magics[i].magic, n) != 0)
			continue;
		if (n == source_magics[i].len) {
			s->compression = source_magics[i].compression;
			s->decided = 1;
			s->started = 1;
			return 1;
		}
		possible = 1;
	}
	if (possible && !s->fd_eof)
		return 0;
	s->compression = INPUT_PLAIN;
	s->decided = 1;
	return 1;
}

static int
source_setup(struct input_source *s)
{
	switch (s->compression) {
	case INPUT_GZIP:
		memset(&s->z, 0, sizeof s->z);
		if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
			return source_fail(s, "cannot decode", "zlib failed");
		s->z_ready = 1;
		break;
	case INPUT_ZSTD:
		s->zstd = ZSTD_createDStream();
		if (s->zstd == NULL)
			return source_fail(s, "cannot decode", NULL);
		break;
	case INPUT_XZ:
		if (lzma_stream_decoder(&s->lzma, SOURCE_XZ_MEMLIMIT,
		    LZMA_CONCATENATED) != LZMA_OK)
			return source_fail(s, "cannot decode", NULL);
		s->lzma_ready = 1;
		break;
	case INPUT_PLAIN:
		break;
	}
	return 0;
}

static int
source_gzip(struct input_source *s, char *buf, size_t size, size_t *produced)
{
	int rc;

	if (!s->started) {
		/* The next member of a concatenated file, or trailing junk. */
		if (s->in_pos == s->in_len)
			return 0;
		if (s->in[s->in_pos] != 0x1f)
			return source_fail(s, "unexpected bytes after the",
			    NULL);
		if (inflateReset(&s->z) != Z_OK)
			return source_fail(s, "cannot decode", NULL);
		s->started = 1;
	}
	s->z.next_in = s->in + s->in_pos;
	s->z.avail_in = (uInt)(s->in_len - s->in_pos);
	s->z.next_out = (unsigned char *)buf;
	s->z.avail_out = (uInt)size;
	rc = inflate(&s->z, Z_NO_FLUSH);
	s->in_pos = s->in_len - s->z.avail_in;
	*produced = size - s->z.avail_out;
	if (rc == Z_STREAM_END)
		s->started = 0;
	else if (rc != Z_OK && rc != Z_BUF_ERROR)
		return source_fail(s, "corrupt", s->z.msg);
	return 0;
}

static int
source_zstd(struct input_source *s, char *buf, size_t size, size_t *produced)
{
	ZSTD_inBuffer ib = { s->in + s->in_pos, s->in_len - s->in_pos, 0 };
	ZSTD_outBuffer ob = { buf, size, 0 };
	size_t rc;

	/* Called with nothing new only to flush what it holds. */
	if (ib.size == 0 && !s->more_out)
		return 0;
	rc = ZSTD_decompressStream(s->zstd, &ob, &ib);
	s->in_pos += ib.pos;
	*produced = ob.pos;
	if (ZSTD_isError(rc))
		return source_fail(s, "corrupt", ZSTD_getErrorName(rc));
	/* 0: a frame is complete; another may follow. */
	s->started = rc != 0;
	return 0;
}

static int
source_xz(struct input_source *s, char *buf, size_t size, size_t *produced)
{
	lzma_ret rc;

	s->lzma.next_in = s->in + s->in_pos;
	s->lzma.avail_in = s->in_len - s->in_pos;
	s->lzma.next_out = (uint8_t *)buf;
	s->lzma.avail_out = size;
	rc = lzma_code(&s->lzma, s->fd_eof ? LZMA_FINISH : LZMA_RUN);
	s->in_pos = s->in_len - s->lzma.avail_in;
	*produced = size - s->lzma.avail_out;
	switch (rc) {
	case LZMA_OK:
		return 0;
	case LZMA_STREAM_END:
		s->started = 0;
		return 0;
	case LZMA_BUF_ERROR:
		/* No progress possible: judged by the caller at the end. */
		return 0;
	case LZMA_MEMLIMIT_ERROR:
		return source_fail(s, "cannot decode", "it needs more "
		    "than 512 MiB of memory");
	case LZMA_FORMAT_ERROR:
	case LZMA_OPTIONS_ERROR:
		return source_fail(s, "unsupported", NULL);
	default:
		return source_fail(s, "corrupt", NULL);
	}
}

static int
source_decode(struct input_source *s, char *buf, size_t size,
    size_t *produced)
{
	*produced = 0;
	switch (s->compression) {
	case INPUT_GZIP:
		return source_gzip(s, buf, size, produced);
	case INPUT_ZSTD:
		return source_zstd(s, buf, size, produced);
	case INPUT_XZ:
		return source_xz(s, buf, size, produced);
	case INPUT_PLAIN:
		break;
	}
	return 0;
}

ssize_t
input_source_read(void *ctx, char *buf, size_t size)
{
	struct input_source *s = ctx;
	size_t produced, before, n;
	int did_read = 0;

	for (;;) {
		if (!s->decided) {
			if (source_detect(s)) {
				if (source_setup(s) < 0)
					goto fail;
				continue;
			}
			if (did_read)
				goto again;
			if (source_fill(s) < 0)
				return -1;
			did_read = 1;
			continue;
		}
		if (s->compression == INPUT_PLAIN) {
			ssize_t r;

			if (s->in_pos < s->in_len) {
				n = s->in_len - s->in_pos;
				if (n > size)
					n = size;
				memcpy(buf, s->in + s->in_pos, n);
				s->in_pos += n;
				return (ssize_t)n;
			}
			if (s->fd_eof)
				return 0;
			r = read(s->fd, buf, size);
			if (r > 0)
				s->bytes += (uint64_t)r;
			return r;
		}
		if (s->in_pos == s->in_len && !s->fd_eof && !s->more_out) {
			if (did_read)
				goto again;
			if (source_fill(s) < 0)
				return -1;
			did_read = 1;
			continue;
		}
		before = s->in_pos;
		if (source_decode(s, buf, size, &produced) < 0)
			goto fail;
		s->more_out = produced == size;
		if (produced > 0)
			return (ssize_t)produced;
		if (s->in_pos != before)
			continue;
		/* Neither input taken nor output given. */
		if (s->fd_eof) {
			if (!s->started && s->in_pos == s->in_len)
				return 0;
			source_fail(s, "truncated", "the file ends inside "
			    "the compressed stream");
			goto fail;
		}
		if (did_read)
			goto again;
		if (source_fill(s) < 0)
			return -1;
		did_read = 1;
	}
again:
	errno = EAGAIN;
	return -1;
fail:
	errno = EIO;
	return -1;
}
