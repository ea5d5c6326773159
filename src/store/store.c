/*
 * store.c - the store interface (store.h) over its engines: store_open
 * asks each engine whether the --db value is one of its stores, and every
 * other function goes to the engine of the store (or cursor) it is given
 * (store-engine.h).  What needs no engine (freeing what the reading
 * functions return, whether a run's ingest is still alive) is here.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "schema.h"
#include "store-engine.h"
#include "store.h"
#include "banned.h"

/*
 * The engines, asked in this order.  Helpers that need SQLite alone (the
 * fuzzers, tests/store-read-dump) are built with STORE_SQLITE_ONLY.
 */
#if defined(HAVE_LIBPQ) && !defined(STORE_SQLITE_ONLY)
#define STORE_WITH_PG 1
#endif
static const struct store_engine *const engines[] = {
#ifdef STORE_WITH_PG
	&store_engine_pg,
#endif
	&store_engine_sqlite,
	NULL
};

/* A PostgreSQL address in a build without the engine. */
static int
store_is_pg_address(const char *db)
{
	return strncmp(db, "postgresql://", 13) == 0 ||
	    strncmp(db, "postgres://", 11) == 0;
}

struct store *
store_open(const char *db, int writable, struct buf *err)
{
	int i;

	for (i = 0; engines[i] != NULL; i++)
		if (engines[i]->claims(db))
			return engines[i]->open(db, writable, err);
	if (store_is_pg_address(db))
		buf_addf(err, "'%s': this build of tracestat has no PostgreSQL "
		    "engine (install libpq-dev, then ./configure and make "
		    "again; configure says whether it found libpq)", db);
	else
		buf_addf(err, "'%s': no store engine for this address in this "
		    "build (a path is a SQLite store)", db);
	return NULL;
}

int
store_open_failed_transient(const char *db, const struct buf *err)
{
	int i;

	for (i = 0; engines[i] != NULL; i++)
		if (engines[i]->claims(db))
			return engines[i]->open_failed_transient(err);
	return 0;
}

int
store_query(struct store *s, const char *sql,
    const struct store_query_sink *sink, struct buf *err)
{
	return s->engine->query(s, sql, sink, err);
}

void
store_close(struct store *s)
{
	if (s != NULL)
		s->engine->close(s);
}

const char *
store_path(const struct store *s)
{
	return s->engine->path(s);
}

int
store_read_snapshot(struct store *s, struct buf *token, struct buf *err)
{
	return s->engine->read_snapshot(s, token, err);
}

int
store_run_begin(struct store *s, const char *name, const char *source,
    char *const *labels, int nlabels, int64_t *run_id, struct buf *err)
{
	return s->engine->run_begin(s, name, source, labels, nlabels, run_id,
	    err);
}

int
store_run_input(struct store *s, int64_t run_id, int input_no,
    const char *path, struct buf *err)
{
	return s->engine->run_input(s, run_id, input_no, path, err);
}

int
store_run_input_end(struct store *s, int64_t run_id, int input_no,
    int64_t first_line, int64_t last_line, struct buf *err)
{
	return s->engine->run_input_end(s, run_id, input_no, first_line,
	    last_line, err);
}

int
store_run_update(struct store *s, int64_t run_id,
    const struct run_counts *c, const char *status, const char *reason,
    struct buf *err)
{
	return s->engine->run_update(s, run_id, c, status, reason, err);
}

int
store_write_record(struct store *s, int64_t run_id,
    const struct record *r, struct shape *sh, struct buf *err)
{
	return s->engine->write_record(s, run_id, r, sh, err);
}

int
store_write_segment(struct store *s, int64_t run_id,
    const struct segment *seg, struct buf *err)
{
	return s->engine->write_segment(s, run_id, seg, err);
}

int
store_write_broken(struct store *s, int64_t run_id, int64_t line_no,
    const char *reason, const char *text, size_t len, struct buf *err)
{
	return s->engine->write_broken(s, run_id, line_no, reason, text,
	    len, err);
}

int
store_begin(struct store *s, struct buf *err)
{
	return s->engine->begin(s, err);
}

int
store_commit(struct store *s, struct buf *err)
{
	return s->engine->commit(s, err);
}

void
store_rollback(struct store *s)
{
	s->engine->rollback(s);
}

int
store_error_is_transient(struct store *s)
{
	return s->engine->error_is_transient(s);
}

int
store_find_runs(struct store *s, const char *spec, int64_t **ids, int *n,
    struct buf *err)
{
	return s->engine->find_runs(s, spec, ids, n, err);
}

int
store_run_get(struct store *s, int64_t id, struct store_run *run,
    struct buf *err)
{
	return s->engine->run_get(s, id, run, err);
}

int
store_runs_list(struct store *s, struct store_run **runs, size_t *n,
    struct buf *err)
{
	return s->engine->runs_list(s, runs, n, err);
}

int
store_segments(struct store *s, int64_t run_id, int segment,
    struct store_segment **segs, size_t *n, struct buf *err)
{
	return s->engine->segments(s, run_id, segment, segs, n,
	    err);
}

struct store_cursor *
store_cursor_open(struct store *s, enum kind kind, int64_t run_id,
    int segment, const char *const *columns, size_t ncolumns,
    struct buf *err)
{
	return s->engine->cursor_open(s, kind, run_id, segment,
	    columns, ncolumns, err);
}

struct store_cursor *
store_cursor_open_backward(struct store *s, enum kind kind,
    int64_t run_id, int segment, const char *const *columns,
    size_t ncolumns, struct buf *err)
{
	return s->engine->cursor_open_backward(s, kind, run_id,
	    segment, columns, ncolumns, err);
}

int
store_cursor_next(struct store_cursor *c, struct store_row *row,
    struct buf *err)
{
	return c->engine->cursor_next(c, row, err);
}

int
store_open_reader(struct store *s, struct store **reader, struct buf *err)
{
	return s->engine->open_reader(s, reader, err);
}

void
store_cursor_close(struct store_cursor *c)
{
	if (c != NULL)
		c->engine->cursor_close(c);
}

/*
 * Is the ingest that wrote a run still alive?  Only a process on this
 * host can be checked; a pid now used by another program (not tracestat)
 * or by this very process is a dead writer.
 */
int
store_writer_alive(int64_t pid, const char *host)
{
	char self[256], path[64], comm[64];
	FILE *fp;
	size_t n;

	if (pid <= 0 || host == NULL)
		return 1;
	if (gethostname(self, sizeof self) < 0)
		return 1;
	self[sizeof self - 1] = '\0';
	if (strcmp(self, host) != 0)
		return 1;
	if ((pid_t)pid == getpid())
		return 0;
	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		return 0;
	snprintf(path, sizeof path, "/proc/%lld/comm", (long long)pid);
	fp = fopen(path, "r");
	if (fp == NULL)
		return 1;
	n = fread(comm, 1, sizeof comm - 1, fp);
	fclose(fp);
	comm[n] = '\0';
	return strncmp(comm, "tracestat", 9) == 0;
}

void
store_run_free(struct store_run *r)
{
	size_t i;

	free(r->name);
	free(r->source);
	free(r->started_at);
	free(r->ended_at);
	free(r->status);
	free(r->reason);
	free(r->host);
	free(r->tracestat_version);
	for (i = 0; i < r->nlabels; i++)
		free(r->labels[i]);
	free(r->labels);
	memset(r, 0, sizeof *r);
}

void
store_runs_free(struct store_run *runs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		store_run_free(&runs[i]);
	free(runs);
}

int
store_runs_take_first(struct store_run *runs, size_t n, struct store_run *run)
{
	if (n == 0) {
		free(runs);
		return 1;
	}
	*run = runs[0];
	while (n > 1)
		store_run_free(&runs[--n]);
	free(runs);
	return 0;
}

void
store_segments_free(struct store_segment *segs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(segs[i].reason);
		free(segs[i].go_min);
		free(segs[i].go_max);
	}
	free(segs);
}

int
store_value_true(const struct value *v)
{
	switch (v->type) {
	case VAL_INT:
		return v->i != 0;
	case VAL_REAL:
	case VAL_TEXT:
		return v->r != 0;
	default:
		return 0;
	}
}

/* Engines' helpers (store-engine.h). */

/* The table column called name in kind k's rows, or NULL. */
static const char *
store_cursor_column(enum kind k, const char *name)
{
	const struct kind_info *ki = schema_kind(k);
	size_t i;

	for (i = 0; i < ki->ncolumns; i++)
		if (strcmp(ki->columns[i].name, name) == 0)
			return ki->columns[i].name;
	if (strcmp(name, "id") == 0)
		return "id";
	/* The common ones but run_id, which the cursor was asked for. */
	for (i = 0; i < schema_ncommon_columns; i++)
		if (strcmp(schema_common_columns[i].name, name) == 0 &&
		    strcmp(name, "run_id") != 0)
			return schema_common_columns[i].name;
	return NULL;
}

int
store_cursor_columns(enum kind kind, const char *const *columns,
    size_t ncolumns, size_t max, struct buf *sql, struct buf *err)
{
	const struct kind_info *ki;
	const char *col;
	size_t i;

	if ((unsigned)kind >= KIND_COUNT ||
	    (ki = schema_kind(kind))->table == NULL) {
		buf_addf(err, "no stored records of kind %d", (int)kind);
		return -1;
	}
	if (ncolumns > max) {
		buf_addf(err, "too many columns of '%s' asked for", ki->table);
		return -1;
	}
	if (ncolumns == 0) {
		buf_adds(err, "a cursor needs a column");
		return -1;
	}
	for (i = 0; i < ncolumns; i++) {
		if ((col = store_cursor_column(kind, columns[i])) == NULL) {
			buf_addf(err, "no column '%s' in '%s'", columns[i],
			    ki->table);
			return -1;
		}
		buf_addf(sql, "%s%s", i > 0 ? ", " : "", col);
	}
	return 0;
}

void
store_now_iso(char *out, size_t size)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000));
}
