/*
 * fuzz-line.c - the line path: reader (with a small buffer, so that
 * overlong pieces occur), prefixes, grammar matching, torn-line repair,
 * segments, and the store writer on an in-memory database.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "grammar.h"
#include "reader.h"
#include "store.h"
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

	buf_reset(&c->err);
	return store_write_record(c->store, c->run_id, r, &c->err) < 0 ?
	    -1 : 0;
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
	struct reader r;
	struct buf err = BUF_INIT;
	enum reader_status st;
	const char *s;
	size_t len;
	int fd, n, i;
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
	/* A small buffer: lines over 4 KiB come as overlong pieces. */
	reader_init(&r, fd, 4096);
	i = 0;
	while ((st = reader_next(&r, &s, &len, 0)) != READER_EOF &&
	    st != READER_ERROR) {
		if (st == READER_LINE)
			tracer_feed(&t, s, len);
		else if (st == READER_PIECE)
			tracer_feed_overlong(&t, s, len, r.first_piece);
		/* Now and then the writer goes quiet. */
		if (++i % 7 == 0 && tracer_holding(&t))
			tracer_release(&t);
	}
	tracer_finish(&t);
	segs = tracer_open_segments(&t, &n);
	for (i = 0; i < n; i++)
		store_write_segment(c.store, c.run_id, &segs[i], &c.err);
	store_commit(c.store, &err);
	reader_free(&r);
	close(fd);
	tracer_free(&t);
	buf_free(&c.err);
	buf_free(&err);
	return 0;
}
