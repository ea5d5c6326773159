/*
 * fuzz-line.c - the line path: the input layer (format detection, CRI,
 * Docker and journal JSON, compressed streams, the line reader), prefixes,
 * grammar matching, torn-line repair, segments, and the store writer on an
 * in-memory database.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "grammar.h"
#include "input.h"
#include "store.h"
#include "store-shape.h"
#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_ctx {
	struct store	*store;
	struct buf	 err;
	int64_t		 run_id;
};

static struct grammar fuzz_grammar;
static int fuzz_loaded;
/* One in-memory store for many inputs: making the schema costs more than
 * a run; it is made afresh every FUZZ_STORE_RUNS inputs. */
static struct store *fuzz_store;
static int fuzz_store_runs;
#define FUZZ_STORE_RUNS 200

static int
fuzz_record(void *arg, const struct record *r)
{
	struct fuzz_ctx *c = arg;

	static struct shape_table *shapes;	/* bounded: SHAPE_MAX_* */

	if (shapes == NULL)
		shapes = shape_table_new();
	buf_reset(&c->err);
	return store_write_record(c->store, c->run_id, r,
	    shape_of(shapes, r), &c->err) < 0 ? -1 : 0;
}

static void
fuzz_output(void *arg, const char *s, size_t len, int trace)
{
	(void)arg;
	(void)s;
	(void)len;
	(void)trace;
}

static void
fuzz_segment_closed(void *arg, const struct segment *s)
{
	struct fuzz_ctx *c = arg;

	store_write_segment(c->store, c->run_id, s, &c->err);
}

static void
fuzz_broken(void *arg, int64_t line_no, const char *reason, const char *s,
    size_t len)
{
	struct fuzz_ctx *c = arg;

	store_write_broken(c->store, c->run_id, line_no, reason, s, len,
	    &c->err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ctx c;
	struct tracer t;
	struct tracer_callbacks cb;
	struct input in;
	struct input_line line;
	struct buf err = BUF_INIT, msg = BUF_INIT;
	enum input_status st;
	int fd, n, i, quiet = 0;
	struct segment *segs;

	if (!fuzz_loaded) {
		if (grammar_load_dir(&fuzz_grammar, SRCDIR "/grammars",
		    &err) < 0) {
			fprintf(stderr, "%s\n", buf_str(&err));
			abort();
		}
		fuzz_loaded = 1;
	}
	memset(&c, 0, sizeof c);
	if (fuzz_store != NULL && ++fuzz_store_runs >= FUZZ_STORE_RUNS) {
		store_close(fuzz_store);
		fuzz_store = NULL;
	}
	if (fuzz_store == NULL) {
		fuzz_store = store_open(":memory:", 1, &err);
		fuzz_store_runs = 0;
	}
	c.store = fuzz_store;
	if (c.store == NULL) {
		fprintf(stderr, "%s\n", buf_str(&err));
		abort();
	}
	if (store_run_begin(c.store, "fuzz", "-", NULL, 0, &c.run_id,
	    &err) < 0 || store_begin(c.store, &err) < 0)
		abort();
	memset(&cb, 0, sizeof cb);
	cb.ctx = &c;
	cb.record = fuzz_record;
	cb.output = fuzz_output;
	cb.segment_closed = fuzz_segment_closed;
	cb.broken = fuzz_broken;
	tracer_init(&t, &fuzz_grammar, &cb);

	fd = memfd_create("fuzz-line", MFD_CLOEXEC);
	if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	input_init(&in, INPUT_AUTO);
	input_open(&in, fd, "fuzz");
	input_end(&in);
	i = 0;
	while ((st = input_next(&in, &line, 0, &msg)) != INPUT_EOF &&
	    st != INPUT_ERROR) {
		buf_reset(&msg);
		if (st == INPUT_LINE) {
			tracer_set_next_line(&t, line.has_wall, line.wall_s,
			    input_stream_name(line.stream));
			tracer_feed(&t, line.s, line.len);
		} else if (st == INPUT_PIECE) {
			tracer_feed_overlong(&t, line.s, line.len,
			    line.first_piece);
		} else if (st == INPUT_TIMEOUT && ++quiet > 1000) {
			break;	/* a regular file never keeps us waiting */
		}
		/* Now and then the writer goes quiet. */
		if (++i % 7 == 0 && (tracer_holding(&t) || tracer_waiting(&t)))
			tracer_release(&t);
	}
	tracer_finish(&t);
	segs = tracer_open_segments(&t, &n);
	for (i = 0; i < n; i++)
		store_write_segment(c.store, c.run_id, &segs[i], &c.err);
	store_commit(c.store, &err);
	input_free(&in);
	close(fd);
	buf_free(&msg);
	tracer_free(&t);
	buf_free(&c.err);
	buf_free(&err);
	return 0;
}
