/*
 * input.c - files (or standard input) to application lines: the layer
 * between the bytes and the tracer.
 *
 * bytes -> input-compress.c (gzip/zstd/xz by magic) -> reader.c (bounded
 * lines) -> one decoder per format (text, CRI, Docker json-file, journal
 * JSON) -> the lines the program wrote, with the time and stream its log
 * collector recorded.
 *
 * Several files are one stream, as rotation makes them: a collector rotates
 * between records, so a CRI "P" piece or a Docker entry without its newline
 * at the end of one file is continued in the next, and logrotate's
 * copytruncate cuts a plain file at any byte, so a last line without a
 * newline is continued by the next file's first line (what `cat` does).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "input-format.h"
#include "units.h"
#include "xalloc.h"
#include "banned.h"

static const char *const input_format_names[] = {
	"auto", "text", "cri", "docker-json", "journal-json"
};

int
input_format_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof input_format_names /
	    sizeof input_format_names[0]; i++)
		if (strcmp(name, input_format_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
input_stream_name(enum input_stream s)
{
	switch (s) {
	case INPUT_STREAM_STDOUT:
		return "stdout";
	case INPUT_STREAM_STDERR:
		return "stderr";
	default:
		return NULL;
	}
}

void
input_init(struct input *in, enum input_format format)
{
	memset(in, 0, sizeof *in);
	in->want = format;
	in->record_buf = xcalloc(1, sizeof *in->record_buf);
}

void
input_free(struct input *in)
{
	int i;

	if (in->open) {
		reader_free(&in->reader);
		input_source_free(in->source);
	}
	for (i = 0; i < INPUT_STREAMS; i++)
		buf_free(&in->join[i].text);
	if (in->record_buf != NULL)
		buf_free(&in->record_buf->text);
	free(in->record_buf);
	buf_free(&in->ready);
	buf_free(&in->carry);
	buf_free(&in->error);
	buf_free(&in->why);
	buf_free(&in->notice);
	memset(in, 0, sizeof *in);
}

void
input_open(struct input *in, int fd, const char *name)
{
	if (in->file_timed) {
		in->prev_timed = 1;
		in->prev_last_wall = in->file_last_wall;
		in->prev_name = in->name;
	}
	in->file_timed = 0;
	in->name = name;
	in->open = 1;
	in->source = input_source_new(fd);
	reader_init(&in->reader, fd, INPUT_MAX_LINE);
	in->reader.source = input_source_read;
	in->reader.source_ready = input_source_ready;
	in->reader.source_ctx = in->source;
	in->format = in->want;
	in->record = 0;
}

static void
input_close_file(struct input *in)
{
	in->bytes += input_source_bytes(in->source);
	reader_free(&in->reader);
	input_source_free(in->source);
	in->source = NULL;
	in->open = 0;
}

void
input_end(struct input *in)
{
	in->ending = 1;
}

/*
 * Rotated files given newest first (the order of `ls app.log*`) would make
 * every file a restart: say so when a file starts well before the
 * previous one ended.
 */
static void
check_order(struct input *in, double wall_s)
{
	if (!in->file_timed && in->prev_timed &&
	    wall_s < in->prev_last_wall - 1) {
		buf_reset(&in->notice);
		buf_addf(&in->notice, "'%s' begins %.0f s before the end of "
		    "'%s': give rotated files oldest first, as in "
		    "'app.log.2.gz app.log.1 app.log'", in->name,
		    in->prev_last_wall - wall_s, in->prev_name);
	}
	if (!in->file_timed || wall_s > in->file_last_wall)
		in->file_last_wall = wall_s;
	in->file_timed = 1;
}

/* Queue text to hand out (split at newlines unless it is a piece). */
static void
ready_push(struct input *in, const char *s, size_t len, int piece,
    int has_wall, double wall_s, enum input_stream stream)
{
	struct input_chunk *c;

	if (in->chunk == in->nchunks) {
		in->chunk = in->nchunks = 0;
		buf_reset(&in->ready);
	}
	if (len == 0 || in->nchunks == INPUT_CHUNKS)
		return;
	if (has_wall && in->open)
		check_order(in, wall_s);
	c = &in->chunks[in->nchunks++];
	c->off = in->ready.len;
	c->len = len;
	c->piece = piece;
	c->has_wall = has_wall;
	c->wall_s = wall_s;
	c->stream = stream;
	buf_add(&in->ready, s, len);
}

static enum input_status
ready_take(struct input *in, struct input_line *line)
{
	struct input_chunk *c = &in->chunks[in->chunk];
	const char *s = in->ready.data + c->off, *nl;
	size_t n = c->len;

	if (!c->piece && (nl = memchr(s, '\n', n)) != NULL)
		n = (size_t)(nl + 1 - s);
	memset(line, 0, sizeof *line);
	line->s = s;
	line->len = n;
	line->first_piece = c->piece == 2;
	line->has_wall = c->has_wall;
	line->wall_s = c->wall_s;
	line->stream = c->stream;
	c->off += n;
	c->len -= n;
	if (c->len == 0)
		in->chunk++;
	return c->piece ? INPUT_PIECE : INPUT_LINE;
}

/* The rest of a joined line is known: queue it. */
static void
join_flush(struct input *in, enum input_stream stream)
{
	struct input_join *j = &in->join[stream];

	if (!j->active)
		return;
	ready_push(in, j->text.data, j->text.len, j->overlong ? 1 : 0,
	    j->has_wall, j->wall_s, stream);
	buf_reset(&j->text);
	j->active = 0;
	j->overlong = 0;
}

/* A record's message; partial ones are joined with the next of the stream. */
static void
join_add(struct input *in, const struct input_record *r)
{
	struct input_join *j = &in->join[r->stream];

	if (!j->active) {
		j->active = 1;
		j->overlong = 0;
		j->has_wall = r->has_wall;
		j->wall_s = r->wall_s;
		buf_reset(&j->text);
	}
	buf_add(&j->text, r->text.data, r->text.len);
	if (!r->partial) {
		buf_addc(&j->text, '\n');
		join_flush(in, r->stream);
	} else if (j->text.len >= INPUT_MAX_LINE) {
		/* Bounded memory: hand a line this long out in pieces. */
		ready_push(in, j->text.data, j->text.len, j->overlong ? 1 : 2,
		    j->has_wall, j->wall_s, r->stream);
		buf_reset(&j->text);
		j->overlong = 1;
	}
}

/*
 * A CRI record: "TIME STREAM TAG MESSAGE", TAG "F" (full) or "P" (partial,
 * more of the line follows), optionally with more ':'-separated tags.
 */
static int
cri_decode(const char *s, size_t len, struct input_record *r,
    struct buf *why)
{
	const char *end = s + len, *sp, *tag;

	buf_reset(&r->text);
	r->has_wall = 0;
	r->stream = INPUT_STREAM_NONE;
	sp = memchr(s, ' ', len);
	if (sp == NULL || units_parse_rfc3339(s, (size_t)(sp - s),
	    &r->wall_s) < 0) {
		buf_adds(why, "no RFC 3339 time stamp first");
		return -1;
	}
	r->has_wall = 1;
	s = sp + 1;
	if (end - s >= 7 && memcmp(s, "stdout ", 7) == 0)
		r->stream = INPUT_STREAM_STDOUT;
	else if (end - s >= 7 && memcmp(s, "stderr ", 7) == 0)
		r->stream = INPUT_STREAM_STDERR;
	else {
		buf_adds(why, "the stream is not stdout or stderr");
		return -1;
	}
	tag = s + 7;
	if (tag < end && (*tag == 'F' || *tag == 'P') &&
	    (tag + 1 == end || tag[1] == ' ' || tag[1] == ':')) {
		r->partial = *tag == 'P';
	} else {
		buf_adds(why, "the tag is not F or P");
		return -1;
	}
	sp = memchr(tag, ' ', (size_t)(end - tag));
	if (sp != NULL)
		buf_add(&r->text, sp + 1, (size_t)(end - sp - 1));
	return 0;
}

static enum input_format
input_detect(const char *s, size_t len, struct input_record *r)
{
	struct buf why = BUF_INIT;
	enum input_format f = INPUT_TEXT;

	if (len > 1 && s[0] == '\x1e' && s[1] == '{')
		f = input_json_detect(s + 1, len - 1);
	else if (len > 0 && s[0] == '{')
		f = input_json_detect(s, len);
	else if (cri_decode(s, len, r, &why) == 0)
		f = INPUT_CRI;
	buf_free(&why);
	return f;
}

static const char *
input_format_title(enum input_format f)
{
	switch (f) {
	case INPUT_CRI:
		return "CRI";
	case INPUT_DOCKER_JSON:
		return "Docker json-file";
	case INPUT_JOURNAL_JSON:
		return "journal JSON";
	default:
		return "text";
	}
}

/*
 * One physical line of a structured file.  Returns 0 (its text queued, or
 * nothing to hand out) or -1 with a message (the record is skipped).
 */
static int
input_record(struct input *in, const char *s, size_t len, struct buf *msg)
{
	struct input_record *r = in->record_buf;
	int rc;

	if (len > 0 && s[len - 1] == '\n')
		len--;
	/* journalctl -o json-seq puts an RS before each entry. */
	if (len > 0 && s[0] == '\x1e' && in->format != INPUT_CRI) {
		s++;
		len--;
	}
	buf_reset(&in->why);
	switch (in->format) {
	case INPUT_CRI:
		rc = cri_decode(s, len, r, &in->why);
		break;
	case INPUT_DOCKER_JSON:
		rc = input_docker_decode(s, len, r, &in->why);
		break;
	default:
		rc = input_journal_decode(s, len, r, &in->why);
		if (rc == 0) {
			buf_addc(&r->text, '\n');
			ready_push(in, r->text.data, r->text.len, 0,
			    r->has_wall, r->wall_s, INPUT_STREAM_NONE);
		}
		if (rc >= 0)
			return 0;
		break;
	}
	if (rc < 0) {
		buf_reset(msg);
		buf_addf(msg, "'%s':%lld: malformed %s record skipped: %s",
		    in->name, (long long)in->record,
		    input_format_title(in->format), buf_str(&in->why));
		in->skipped++;
		return -1;
	}
	join_add(in, r);
	return 0;
}

/*
 * A raw line (or piece) from the reader.  Returns INPUT_LINE or
 * INPUT_PIECE with *line set (a text line handed out as it is),
 * INPUT_SKIPPED, or INPUT_EOF when nothing is to be handed out directly.
 */
static enum input_status
input_raw(struct input *in, const char *s, size_t len, int piece,
    struct input_line *line, struct buf *msg)
{
	int first = piece && in->reader.first_piece;
	int stream;

	if (!piece || first)
		in->record++;
	if (in->format == INPUT_AUTO) {
		in->format = piece ? INPUT_TEXT : input_detect(s,
		    len > 0 && s[len - 1] == '\n' ? len - 1 : len,
		    in->record_buf);
		/* A different kind of file ends what was being joined. */
		if (in->format == INPUT_TEXT)
			for (stream = 0; stream < INPUT_STREAMS; stream++)
				join_flush(in, (enum input_stream)stream);
	}
	if (in->format != INPUT_TEXT && in->carry.len > 0) {
		ready_push(in, in->carry.data, in->carry.len, 0, 0, 0,
		    INPUT_STREAM_NONE);
		buf_reset(&in->carry);
	}
	if (in->format == INPUT_TEXT) {
		if (in->carry.len > 0) {
			if (!piece && in->carry.len + len <= INPUT_MAX_LINE) {
				buf_add(&in->carry, s, len);
				/* A file of one unended line: still going on. */
				if (s[len - 1] != '\n')
					return INPUT_EOF;
				s = NULL;
			}
			ready_push(in, in->carry.data, in->carry.len, 0, 0, 0,
			    INPUT_STREAM_NONE);
			buf_reset(&in->carry);
			if (s == NULL)
				return INPUT_EOF;
		}
		if (!piece && (len == 0 || s[len - 1] != '\n')) {
			/* Only at the end of a file: the next may go on. */
			buf_add(&in->carry, s, len);
			return INPUT_EOF;
		}
		if (in->chunk < in->nchunks) {
			ready_push(in, s, len, piece ? (first ? 2 : 1) : 0, 0,
			    0, INPUT_STREAM_NONE);
			return INPUT_EOF;
		}
		memset(line, 0, sizeof *line);
		line->s = s;
		line->len = len;
		line->first_piece = first;
		return piece ? INPUT_PIECE : INPUT_LINE;
	}
	if (piece) {
		if (!first)
			return INPUT_EOF;
		buf_reset(msg);
		buf_addf(msg, "'%s':%lld: %s record longer than %d bytes "
		    "skipped", in->name, (long long)in->record,
		    input_format_title(in->format), INPUT_MAX_LINE);
		in->skipped++;
		return INPUT_SKIPPED;
	}
	return input_record(in, s, len, msg) < 0 ? INPUT_SKIPPED : INPUT_EOF;
}

/* After the last file: what was kept for a next one goes out. */
static int
input_flush(struct input *in)
{
	int stream;

	if (in->carry.len > 0) {
		ready_push(in, in->carry.data, in->carry.len, 0, 0, 0,
		    INPUT_STREAM_NONE);
		buf_reset(&in->carry);
		return 1;
	}
	for (stream = 0; stream < INPUT_STREAMS; stream++) {
		if (in->join[stream].active) {
			join_flush(in, (enum input_stream)stream);
			return 1;
		}
	}
	return 0;
}

int
input_buffered(const struct input *in)
{
	if (in->notice.len > 0 || in->chunk < in->nchunks ||
	    in->error.len > 0 || !in->open)
		return 1;
	return reader_buffered(&in->reader);
}

enum input_status
input_next(struct input *in, struct input_line *line, int timeout_ms,
    struct buf *msg)
{
	enum reader_status st;
	enum input_status is;
	const char *s;
	size_t len;

	for (;;) {
		if (in->notice.len > 0) {
			buf_reset(msg);
			buf_add(msg, in->notice.data, in->notice.len);
			buf_reset(&in->notice);
			return INPUT_NOTICE;
		}
		if (in->chunk < in->nchunks)
			return ready_take(in, line);
		if (in->error.len > 0) {
			buf_reset(msg);
			buf_add(msg, in->error.data, in->error.len);
			buf_reset(&in->error);
			return INPUT_ERROR;
		}
		if (!in->open) {
			if (in->ending && input_flush(in))
				continue;
			return INPUT_EOF;
		}
		st = reader_next(&in->reader, &s, &len, timeout_ms);
		switch (st) {
		case READER_LINE:
		case READER_PIECE:
			is = input_raw(in, s, len, st == READER_PIECE, line,
			    msg);
			if (is != INPUT_EOF)
				return is;
			continue;
		case READER_TIMEOUT:
			return INPUT_TIMEOUT;
		case READER_INTERRUPTED:
			return INPUT_INTERRUPTED;
		case READER_EOF:
			input_close_file(in);
			if (in->ending)
				continue;
			return INPUT_EOF;
		case READER_ERROR:
			buf_reset(&in->error);
			if (errno == EIO)
				buf_addf(&in->error, "'%s': %s", in->name,
				    input_source_error(in->source));
			else
				buf_addf(&in->error, "cannot read '%s': %s",
				    in->name, strerror(errno));
			/* What was decoded before the damage still counts. */
			if (in->reader.end > in->reader.start) {
				s = in->reader.buf + in->reader.start;
				len = in->reader.end - in->reader.start;
				in->reader.start = in->reader.end;
				if (in->format == INPUT_TEXT ||
				    in->format == INPUT_AUTO)
					ready_push(in, s, len, 0, 0, 0,
					    INPUT_STREAM_NONE);
			}
			input_close_file(in);
			continue;
		}
	}
}
