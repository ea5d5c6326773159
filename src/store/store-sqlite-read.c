#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store-sqlite.h"
#include "xalloc.h"
#include "banned.h"

/*
 * The read side of the SQLite engine: runs, segments and records as the
 * typed values of store.h.  Identifiers in the SQL come from the schema
 * tables (src/tracer/schema.c), never from the caller's text.
 */

#define CURSOR_MAX_COLUMNS (RECORD_MAX_COLUMNS + 8)

struct sqlite_cursor {
	struct store_cursor base;	/* first: the engine table */
	struct sqlite_store	*s;
	sqlite3_stmt	*st;
	size_t		 ncolumns;
	struct value	 values[CURSOR_MAX_COLUMNS];
};

static int
read_fail(struct sqlite_store *s, struct buf *err)
{
	buf_addf(err, "cannot read '%s': %s", s->path, sqlite3_errmsg(s->db));
	return -1;
}

static int
read_prepare(struct sqlite_store *s, const char *sql, sqlite3_stmt **st,
    struct buf *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return read_fail(s, err);
	}
	return 0;
}

/* Column col of the current row as a value (text valid until the next
 * step); see struct store_row for what i and r hold.  One column call
 * and cheap value calls: the column calls are most of a cursor's time. */
static void
read_value(sqlite3_stmt *st, int col, struct value *v)
{
	sqlite3_value *m = sqlite3_column_value(st, col);

	switch (sqlite3_value_type(m)) {
	case SQLITE_INTEGER:
		v->type = VAL_INT;
		v->i = sqlite3_value_int64(m);
		v->r = (double)v->i;
		break;
	case SQLITE_FLOAT:
		v->type = VAL_REAL;
		v->r = sqlite3_value_double(m);
		v->i = sqlite3_value_int64(m);
		break;
	case SQLITE_NULL:
		v->type = VAL_NULL;
		v->i = 0;
		v->r = 0;
		break;
	default:
		/* Numbers first: reading the text may convert a blob. */
		v->type = VAL_TEXT;
		v->i = sqlite3_column_int64(st, col);
		v->r = sqlite3_column_double(st, col);
		v->s = (const char *)sqlite3_column_text(st, col);
		v->len = (size_t)sqlite3_column_bytes(st, col);
		return;
	}
	v->s = NULL;
	v->len = 0;
}

/* Column col as a value that outlives the statement: no text. */
static void
read_number(sqlite3_stmt *st, int col, struct value *v)
{
	read_value(st, col, v);
	v->s = NULL;
	v->len = 0;
}

static char *
read_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

/* Runs. */

static const char run_sql[] =
	"SELECT id, name, source, started_at, ended_at, "
	"run_status(status, pid, host), "
	"CASE WHEN run_status(status, pid, host) = 'abandoned' AND "
	"status = 'running' THEN 'the ingest (pid ' || pid || ' on ' || host "
	"|| ') ended without closing the run' ELSE status_reason END, "
	"pid, host, lines, trace_lines, other_lines, gc_cycles, "
	"sched_samples, repaired_lines, unrecognised_lines, overlong_lines, "
	"invalid_values, segments, bytes, dropped_records, "
	"tracestat_version FROM runs ";

static void
read_run(sqlite3_stmt *st, struct store_run *r)
{
	struct run_counts *c = &r->counts;

	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->name = read_text(st, 1);
	r->source = read_text(st, 2);
	r->started_at = read_text(st, 3);
	r->ended_at = read_text(st, 4);
	r->status = read_text(st, 5);
	r->reason = read_text(st, 6);
	r->has_pid = sqlite3_column_type(st, 7) != SQLITE_NULL;
	r->pid = sqlite3_column_int64(st, 7);
	r->host = read_text(st, 8);
	c->lines = sqlite3_column_int64(st, 9);
	c->trace_lines = sqlite3_column_int64(st, 10);
	c->other_lines = sqlite3_column_int64(st, 11);
	c->gc_cycles = sqlite3_column_int64(st, 12);
	c->sched_samples = sqlite3_column_int64(st, 13);
	c->repaired = sqlite3_column_int64(st, 14);
	c->unrecognised = sqlite3_column_int64(st, 15);
	c->overlong = sqlite3_column_int64(st, 16);
	c->invalid_values = sqlite3_column_int64(st, 17);
	c->segments = sqlite3_column_int64(st, 18);
	c->bytes = sqlite3_column_int64(st, 19);
	c->dropped = sqlite3_column_int64(st, 20);
	r->tracestat_version = read_text(st, 21);
}

/* The labels of run r, "key=value" in key order. */
static int
read_labels(struct sqlite_store *s, sqlite3_stmt *st, struct store_run *r,
    struct buf *err)
{
	struct buf kv = BUF_INIT;
	size_t cap = 0;
	int rc;

	sqlite3_bind_int64(st, 1, r->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		buf_reset(&kv);
		buf_addf(&kv, "%s=%s", sqlite3_column_text(st, 0) != NULL ?
		    (const char *)sqlite3_column_text(st, 0) : "",
		    sqlite3_column_text(st, 1) != NULL ?
		    (const char *)sqlite3_column_text(st, 1) : "");
		r->labels = xgrow(r->labels, &cap, r->nlabels + 1,
		    sizeof *r->labels);
		r->labels[r->nlabels++] = xstrdup(buf_str(&kv));
	}
	buf_free(&kv);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return read_fail(s, err);
	return 0;
}

/* Runs of the statement st (run_sql and a condition) into *runs. */
static int
read_runs(struct sqlite_store *s, sqlite3_stmt *st, struct store_run **runs,
    size_t *n, struct buf *err)
{
	sqlite3_stmt *labels = NULL;
	size_t cap = 0;
	int rc;

	if (read_prepare(s, "SELECT key, value FROM run_labels WHERE "
	    "run_id = ?1 ORDER BY key", &labels, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*runs = xgrow(*runs, &cap, *n + 1, sizeof **runs);
		read_run(st, &(*runs)[*n]);
		(*n)++;
		if (read_labels(s, labels, &(*runs)[*n - 1], err) < 0) {
			sqlite3_finalize(labels);
			return -1;
		}
	}
	sqlite3_finalize(labels);
	if (rc != SQLITE_DONE)
		return read_fail(s, err);
	return 0;
}

int
sqlite_run_get(struct store *base, int64_t id, struct store_run *run,
    struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);
	struct store_run *runs = NULL;
	sqlite3_stmt *st;
	struct buf sql = BUF_INIT;
	size_t n = 0;
	int rc;

	memset(run, 0, sizeof *run);
	buf_addf(&sql, "%sWHERE id = ?1", run_sql);
	rc = read_prepare(s, buf_str(&sql), &st, err);
	buf_free(&sql);
	if (rc < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = read_runs(s, st, &runs, &n, err);
	sqlite3_finalize(st);
	if (rc < 0) {
		store_runs_free(runs, n);
		return -1;
	}
	return store_runs_take_first(runs, n, run);
}

int
sqlite_runs_list(struct store *base, struct store_run **runs, size_t *n,
    struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	sqlite3_stmt *st;
	struct buf sql = BUF_INIT;
	int rc;

	*runs = NULL;
	*n = 0;
	buf_addf(&sql, "%sORDER BY id", run_sql);
	rc = read_prepare(s, buf_str(&sql), &st, err);
	buf_free(&sql);
	if (rc < 0)
		return -1;
	rc = read_runs(s, st, runs, n, err);
	sqlite3_finalize(st);
	return rc;
}

/* Segments. */

int
sqlite_segments(struct store *base, int64_t run_id, int segment,
    struct store_segment **segs, size_t *n, struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	sqlite3_stmt *st;
	struct store_segment *g;
	size_t cap = 0;
	int rc;

	*segs = NULL;
	*n = 0;
	if (read_prepare(s, "SELECT segment, reason, first_line, last_line, "
	    "go_min, go_max, gc_cycles, forced_cycles, periodic_cycles, "
	    "sched_samples, repaired_records, first_gc_num, last_gc_num, "
	    "first_ms, last_ms, first_sched_ms, last_sched_ms FROM segments "
	    "WHERE run_id = ?1 AND (?2 IS NULL OR segment = ?2) "
	    "ORDER BY segment", &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	if (segment != STORE_ALL_SEGMENTS)
		sqlite3_bind_int(st, 2, segment);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*segs = xgrow(*segs, &cap, *n + 1, sizeof **segs);
		g = &(*segs)[(*n)++];
		memset(g, 0, sizeof *g);
		g->run_id = run_id;
		g->segment = sqlite3_column_int(st, 0);
		g->reason = read_text(st, 1);
		g->first_line = sqlite3_column_int64(st, 2);
		g->last_line = sqlite3_column_int64(st, 3);
		g->go_min = read_text(st, 4);
		g->go_max = read_text(st, 5);
		g->gc_cycles = sqlite3_column_int64(st, 6);
		g->forced_cycles = sqlite3_column_int64(st, 7);
		g->periodic_cycles = sqlite3_column_int64(st, 8);
		g->sched_samples = sqlite3_column_int64(st, 9);
		g->repaired_records = sqlite3_column_int64(st, 10);
		read_number(st, 11, &g->first_gc_num);
		read_number(st, 12, &g->last_gc_num);
		read_number(st, 13, &g->first_ms);
		read_number(st, 14, &g->last_ms);
		read_number(st, 15, &g->first_sched_ms);
		read_number(st, 16, &g->last_sched_ms);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return read_fail(s, err);
	return 0;
}

/* Records. */

static struct sqlite_cursor *
cursor_open(struct sqlite_store *s, enum kind kind, int64_t run_id, int segment,
    const char *const *columns, size_t ncolumns, int backward,
    struct buf *err)
{
	struct sqlite_cursor *c;
	struct buf sql = BUF_INIT;

	buf_adds(&sql, "SELECT ");
	if (store_cursor_columns(kind, columns, ncolumns, CURSOR_MAX_COLUMNS,
	    &sql, err) < 0) {
		buf_free(&sql);
		return NULL;
	}
	/*
	 * The run's rows lie between the first and the last id that
	 * run_ranges holds for it (schema 4): a range of the table's ids,
	 * read in id order, so nothing is sorted and the other runs' rows
	 * outside the range are never read.  A run without a range has no
	 * row in the table.
	 */
	buf_addf(&sql, " FROM %s WHERE run_id = ?1%s AND id BETWEEN "
	    "(SELECT first_id FROM run_ranges WHERE run_id = ?1 AND "
	    "tbl = ?3) AND (SELECT last_id FROM run_ranges WHERE run_id = ?1 "
	    "AND tbl = ?3) ORDER BY id%s",
	    schema_kind(kind)->table,
	    segment != STORE_ALL_SEGMENTS ? " AND segment = ?2" :
	    "",
	    backward ? " DESC" : "");
	c = xcalloc(1, sizeof *c);
	c->base.engine = &store_engine_sqlite;
	c->s = s;
	c->ncolumns = ncolumns;
	if (read_prepare(s, buf_str(&sql), &c->st, err) < 0) {
		buf_free(&sql);
		free(c);
		return NULL;
	}
	buf_free(&sql);
	sqlite3_bind_int64(c->st, 1, run_id);
	if (segment != STORE_ALL_SEGMENTS)
		sqlite3_bind_int(c->st, 2, segment);
	sqlite3_bind_text(c->st, 3, schema_kind(kind)->table, -1,
	    SQLITE_STATIC);
	return c;
}

struct store_cursor *
sqlite_cursor_open(struct store *base, enum kind kind, int64_t run_id,
    int segment, const char *const *columns, size_t ncolumns,
    struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	return (struct store_cursor *)cursor_open(s, kind, run_id, segment,
	    columns, ncolumns, 0, err);
}

struct store_cursor *
sqlite_cursor_open_backward(struct store *base, enum kind kind, int64_t run_id,
    int segment, const char *const *columns, size_t ncolumns,
    struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	return (struct store_cursor *)cursor_open(s, kind, run_id, segment,
	    columns, ncolumns, 1, err);
}

int
sqlite_cursor_next(struct store_cursor *base, struct store_row *row,
    struct buf *err)
{
	struct sqlite_cursor *c = sqlite_cursor_of(base);

	sqlite3_stmt *st = c->st;
	size_t i;
	int rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return read_fail(c->s, err);
	for (i = 0; i < c->ncolumns; i++)
		read_value(st, (int)i, &c->values[i]);
	row->values = c->values;
	return 1;
}

void
sqlite_cursor_close(struct store_cursor *base)
{
	struct sqlite_cursor *c = sqlite_cursor_of(base);

	if (c == NULL)
		return;
	sqlite3_finalize(c->st);
	free(c);
}

/* A second handle. */

int
sqlite_open_reader(struct store *base, struct store **reader, struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);
	struct buf mine = BUF_INIT, theirs = BUF_INIT;
	struct store *r;
	int rc = -1;

	*reader = NULL;
	/* Opened with every check of store_open: the same file, read-only. */
	if ((r = sqlite_open(s->path, 0, err)) == NULL)
		return -1;
	if (sqlite_read_snapshot(&s->base, &mine, err) == 0 &&
	    sqlite_read_snapshot(r, &theirs, err) == 0)
		rc = strcmp(buf_str(&mine), buf_str(&theirs)) == 0 ? 0 : 1;
	if (rc == 0)
		*reader = r;
	else
		sqlite_close(r);
	buf_free(&mine);
	buf_free(&theirs);
	return rc;
}
