#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-pg.h"
#include "schema.h"
#include "xalloc.h"
#include "banned.h"

/*
 * The read side of the PostgreSQL engine.  A reading command reads in
 * one REPEATABLE READ READ ONLY transaction whose snapshot is exported,
 * so a second connection (store_open_reader) sees the very same rows.
 * Records come through server-side cursors, PG_FETCH_ROWS rows at a
 * time: memory stays bounded however long the run.
 *
 * In the read transaction a cursor is instead a COPY (SELECT ...) TO
 * STDOUT in binary, read row by row as the server sends it: no FETCH
 * round trips, and the server hands each row straight to the socket
 * rather than through a FETCH's tuple store (a third of its time), while
 * the client decodes the rows already sent.  The socket's back pressure
 * keeps memory bounded.  Such a stream holds the connection, so anything
 * else sent on it first parks the stream (pg_settle): the COPY is
 * cancelled inside a savepoint of its own, and the cursor starts again
 * after the id of the last row it gave (the rows are in id order, and the
 * transaction's snapshot does not change).  Identifiers in the
 * SQL come from the schema tables, never from the caller's text.
 */

#define PG_FETCH_ROWS 16384
#define CURSOR_MAX_COLUMNS (RECORD_MAX_COLUMNS + 8)

/* Type oids of the values read (pg_type.dat). */
#define PG_OID_BOOL 16
#define PG_OID_INT8 20
#define PG_OID_INT2 21
#define PG_OID_INT4 23
#define PG_OID_OID 26
#define PG_OID_FLOAT4 700
#define PG_OID_FLOAT8 701
#define PG_OID_NUMERIC 1700

struct pg_cursor {
	struct store_cursor base;	/* first: the engine table */
	struct pg_store	*s;
	char		 name[32];
	char		*fetch;		/* FETCH n FROM name */
	PGresult	*res;		/* the rows fetched */
	/* Read through COPY (see above). */
	int		 stream;
	int		 active;	/* its COPY is running: s->streaming */
	int		 backward;
	char		*select;	/* "SELECT id, ... WHERE ..." */
	Oid		 types[CURSOR_MAX_COLUMNS];
	int64_t		 last_id;	/* of the last row given */
	int		 have_last;
	char		*msg;		/* the COPY data being read */
	int		 msg_len, msg_pos;
	struct buf	 text;		/* the row's text values, NUL ended */
	int		 row, done;
	size_t		 ncolumns;
	struct value	 values[CURSOR_MAX_COLUMNS];
};

int
pg_begin_read(struct pg_store *s, const char *snapshot, struct buf *err)
{
	struct buf sql = BUF_INIT;
	PGresult *res;
	int rc;

	if (pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	    err) < 0)
		return -1;
	s->reading = 1;
	if (snapshot != NULL) {
		/* A snapshot id is hex digits and dashes: no quoting needed. */
		if (strspn(snapshot, "0123456789ABCDEFabcdef-") !=
		    strlen(snapshot)) {
			buf_addf(err, "'%s': bad snapshot id", s->uri);
			return -1;
		}
		buf_addf(&sql, "SET TRANSACTION SNAPSHOT '%s'", snapshot);
		rc = pg_exec(s, buf_str(&sql), err);
		buf_free(&sql);
		if (rc == 0)
			s->snapshot = xstrdup(snapshot);
		return rc;
	}
	res = pg_exec_wait(s, "SELECT pg_export_snapshot()");
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_fail(s, res, "cannot read", err);
		PQclear(res);
		return -1;
	}
	s->snapshot = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int
pg_read_snapshot(struct store *base, struct buf *token, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);

	if (!s->reading && !s->in_tx && pg_begin_read(s, NULL, err) < 0)
		return -1;
	if (token != NULL) {
		buf_reset(token);
		buf_adds(token, s->snapshot != NULL ? s->snapshot : "");
	}
	return 0;
}

int
pg_open_reader(struct store *base, struct store **reader, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	struct pg_store *r;
	struct store *rb;
	int rc;

	*reader = NULL;
	/* A writer's connection has no snapshot to share. */
	if (!s->reading || s->snapshot == NULL)
		return 1;
	/*
	 * Opened read-only with every check, then moved to s's snapshot: a
	 * new transaction, as the one pg_open began has read nothing yet
	 * that matters.
	 */
	if ((rb = pg_open(s->uri, 0, err)) == NULL)
		return -1;
	r = pg_store_of(rb);
	PQclear(pg_exec_wait(r, "COMMIT"));
	free(r->snapshot);
	r->snapshot = NULL;
	r->reading = 0;
	rc = pg_begin_read(r, s->snapshot, err);
	if (rc < 0) {
		pg_close(rb);
		return -1;
	}
	*reader = rb;
	return 0;
}

static const char stream_setup[] =
	/* the (run_id, id) index in id order: see cursor_open */
	"SET enable_sort = off; SET enable_bitmapscan = off; "
	"SET enable_seqscan = off; SAVEPOINT tracestat_stream";

/* sql, once more when a cancel meant for a COPY that had just ended
 * reaches it instead; -1 with err set when it fails. */
static int
exec_after_cancel(struct pg_store *s, const char *sql, struct buf *err)
{
	PGresult *res;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		res = pg_exec_wait(s, sql);
		if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK) {
			PQclear(res);
			return 0;
		}
		if (tries == 0 && res != NULL && strcmp(PQresultErrorField(res,
		    PG_DIAG_SQLSTATE) != NULL ? PQresultErrorField(res,
		    PG_DIAG_SQLSTATE) : "", "57014") == 0) {
			PQclear(res);
			continue;
		}
		pg_fail(s, res, "cannot read", err);
		PQclear(res);
		return -1;
	}
	return -1;
}

/*
 * End c's COPY: with cancel, before its end (the rest is not wanted);
 * then the savepoint and the settings are undone.  -1 with err set when
 * the COPY or the connection failed.
 */
static int
stream_end(struct pg_cursor *c, int cancel, struct buf *err)
{
	struct pg_store *s = c->s;
	PGresult *res;
	PGcancel *k;
	int64_t deadline;
	struct buf scratch = BUF_INIT;
	char *data, why[256];
	int n, rc = 0, cancelled = 0;

	c->active = 0;
	s->streaming = NULL;
	if (cancel && (k = PQgetCancel(s->conn)) != NULL) {
		cancelled = PQcancel(k, why, sizeof why);
		PQfreeCancel(k);
	}
	deadline = pg_now_ms() + pg_timeout_ms();
	while ((n = PQgetCopyData(s->conn, &data, 1)) >= 0) {
		if (n > 0)
			PQfreemem(data);
		else if (pg_wait(s, POLLIN, deadline) < 0 ||
		    !PQconsumeInput(s->conn))
			break;
	}
	while ((res = pg_result(s, deadline)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0 &&
		    !(cancelled && strcmp(PQresultErrorField(res,
		    PG_DIAG_SQLSTATE) != NULL ? PQresultErrorField(res,
		    PG_DIAG_SQLSTATE) : "", "57014") == 0)) {
			pg_fail(s, res, "cannot read", err);
			rc = -1;
		}
		PQclear(res);
	}
	if (PQstatus(s->conn) != CONNECTION_OK) {
		if (rc == 0)
			pg_fail(s, NULL, "cannot read", err);
		return -1;
	}
	if (exec_after_cancel(s, "ROLLBACK TO SAVEPOINT tracestat_stream",
	    rc == 0 ? err : &scratch) < 0 ||
	    exec_after_cancel(s, "RELEASE SAVEPOINT tracestat_stream",
	    err) < 0 ||
	    exec_after_cancel(s, "RESET enable_sort; RESET enable_bitmapscan; "
	    "RESET enable_seqscan", err) < 0)
		rc = -1;
	buf_free(&scratch);
	return rc;
}

void
pg_settle(struct pg_store *s)
{
	struct pg_cursor *c = s->streaming;
	struct buf err = BUF_INIT;

	if (c == NULL)
		return;
	/* The rest of its COPY data is dropped: it starts again after
	 * last_id.  A failure shows in the query that follows. */
	(void)stream_end(c, 1, &err);
	buf_free(&err);
	PQfreemem(c->msg);
	c->msg = NULL;
}

/* Start (or start again) c's COPY; -1 with err set. */
static int
stream_begin(struct pg_cursor *c, struct buf *err)
{
	struct pg_store *s = c->s;
	struct buf sql = BUF_INIT;
	PGresult *res;

	pg_settle(s);
	if (pg_exec(s, stream_setup, err) < 0)
		return -1;
	buf_addf(&sql, "COPY (%s", c->select);
	if (c->have_last)
		buf_addf(&sql, " AND id %c %" PRId64, c->backward ? '<' : '>',
		    c->last_id);
	buf_addf(&sql, " ORDER BY id%s) TO STDOUT (FORMAT binary)",
	    c->backward ? " DESC" : "");
	res = pg_exec_wait(s, buf_str(&sql));
	buf_free(&sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COPY_OUT) {
		pg_fail(s, res, "cannot read", err);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	c->active = 1;
	s->streaming = c;
	c->msg_pos = c->msg_len = 0;
	return 0;
}

/* The result of a query that returns rows, or NULL with err set. */
static PGresult *
pg_select(struct pg_store *s, const char *sql, int nparams,
    const char *const *params, struct buf *err)
{
	PGresult *res;

	pg_settle(s);
	res = pg_exec_params(s, sql, nparams, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_fail(s, res, "cannot read", err);
		PQclear(res);
		return NULL;
	}
	return res;
}

static char *
get_text(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL :
	    xstrdup(PQgetvalue(res, row, col));
}

static int64_t
get_int(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

/*
 * Text as a value of struct store_row: typed by the column's type (the
 * store's schema), with SQLite's readings of it, so that every engine
 * gives an analysis the same numbers.
 */
static void
get_value(const PGresult *res, int row, int col, struct value *v)
{
	const char *t = PQgetvalue(res, row, col);
	char *end;

	v->s = NULL;
	v->len = 0;
	if (PQgetisnull(res, row, col)) {
		v->type = VAL_NULL;
		v->i = 0;
		v->r = 0;
		return;
	}
	switch (PQftype(res, col)) {
	case PG_OID_INT8:
	case PG_OID_INT4:
	case PG_OID_INT2:
	case PG_OID_OID:
		v->type = VAL_INT;
		v->i = strtoll(t, NULL, 10);
		v->r = (double)v->i;
		return;
	case PG_OID_BOOL:
		v->type = VAL_INT;
		v->i = *t == 't';
		v->r = (double)v->i;
		return;
	case PG_OID_NUMERIC:
		errno = 0;
		v->i = strtoll(t, &end, 10);
		if (*end == '\0' && errno == 0) {
			v->type = VAL_INT;
			v->r = (double)v->i;
			return;
		}
		/* FALLTHROUGH */
	case PG_OID_FLOAT4:
	case PG_OID_FLOAT8:
		v->type = VAL_REAL;
		v->r = strtod(t, NULL);
		if (isnan(v->r))
			v->i = 0;
		else if (v->r >= 9223372036854775807.0)
			v->i = INT64_MAX;
		else if (v->r <= -9223372036854775808.0)
			v->i = INT64_MIN;
		else
			v->i = (int64_t)v->r;
		return;
	default:
		v->type = VAL_TEXT;
		v->s = t;
		v->len = (size_t)PQgetlength(res, row, col);
		v->i = strtoll(t, NULL, 10);
		v->r = strtod(t, NULL);
		return;
	}
}

static uint64_t
get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* A value of a cursor's row, sent in binary: a column of the schema's
 * types (bigint, double precision, text); len -1 for NULL, a text's
 * bytes followed by a NUL. */
static void
decode_binary(const unsigned char *p, int len, Oid type, struct value *v)
{
	uint64_t u;
	uint32_t w;
	double d;
	float f;

	v->s = NULL;
	v->len = 0;
	v->i = 0;
	v->r = 0;
	if (len < 0) {
		v->type = VAL_NULL;
		return;
	}
	switch (type) {
	case PG_OID_INT8:
	case PG_OID_INT4:
	case PG_OID_INT2:
		u = len == 8 || len == 4 || len == 2 ? get_be(p, len) : 0;
		v->type = VAL_INT;
		v->i = len == 8 ? (int64_t)u : len == 4 ? (int32_t)(uint32_t)u :
		    (int16_t)(uint16_t)u;
		v->r = (double)v->i;
		return;
	case PG_OID_FLOAT8:
	case PG_OID_FLOAT4:
		d = 0;
		if (len == 8) {
			u = get_be(p, 8);
			memcpy(&d, &u, sizeof d);
		} else if (len == 4) {
			w = (uint32_t)get_be(p, 4);
			memcpy(&f, &w, sizeof f);
			d = f;
		}
		v->type = VAL_REAL;
		v->r = d;
		if (isnan(d))
			v->i = 0;
		else if (d >= 9223372036854775807.0)
			v->i = INT64_MAX;
		else if (d <= -9223372036854775808.0)
			v->i = INT64_MIN;
		else
			v->i = (int64_t)d;
		return;
	case PG_OID_BOOL:
		v->type = VAL_INT;
		v->i = len > 0 && p[0] != 0;
		v->r = (double)v->i;
		return;
	default:
		/* text: its bytes, and SQLite's readings of them */
		v->type = VAL_TEXT;
		v->s = (const char *)p;
		v->len = (size_t)len;
		v->i = strtoll(v->s, NULL, 10);
		v->r = strtod(v->s, NULL);
		return;
	}
}

/* Runs. */

static void
get_binary(const PGresult *res, int row, int col, struct value *v)
{
	decode_binary((const unsigned char *)PQgetvalue(res, row, col),
	    PQgetisnull(res, row, col) ? -1 : PQgetlength(res, row, col),
	    PQftype(res, col), v);
}

static const char run_sql[] =
	"SELECT id, name, source, started_at, ended_at, status, "
	"status_reason, pid, host, lines, trace_lines, other_lines, "
	"gc_cycles, sched_samples, repaired_lines, unrecognised_lines, "
	"overlong_lines, invalid_values, segments, bytes, dropped_records, "
	"tracestat_version FROM runs ";

static void
read_run(const PGresult *res, int row, struct store_run *r)
{
	struct run_counts *c = &r->counts;
	struct buf reason = BUF_INIT;

	memset(r, 0, sizeof *r);
	r->id = get_int(res, row, 0);
	r->name = get_text(res, row, 1);
	r->source = get_text(res, row, 2);
	r->started_at = get_text(res, row, 3);
	r->ended_at = get_text(res, row, 4);
	r->status = get_text(res, row, 5);
	r->reason = get_text(res, row, 6);
	r->has_pid = !PQgetisnull(res, row, 7);
	r->pid = r->has_pid ? get_int(res, row, 7) : 0;
	r->host = get_text(res, row, 8);
	c->lines = get_int(res, row, 9);
	c->trace_lines = get_int(res, row, 10);
	c->other_lines = get_int(res, row, 11);
	c->gc_cycles = get_int(res, row, 12);
	c->sched_samples = get_int(res, row, 13);
	c->repaired = get_int(res, row, 14);
	c->unrecognised = get_int(res, row, 15);
	c->overlong = get_int(res, row, 16);
	c->invalid_values = get_int(res, row, 17);
	c->segments = get_int(res, row, 18);
	c->bytes = get_int(res, row, 19);
	c->dropped = get_int(res, row, 20);
	r->tracestat_version = get_text(res, row, 21);
	/* What SQLite's run_status() tells: the server cannot see it. */
	if (r->status != NULL && strcmp(r->status, "running") == 0 &&
	    r->has_pid && r->host != NULL &&
	    !store_writer_alive(r->pid, r->host)) {
		free(r->status);
		r->status = xstrdup("abandoned");
		buf_addf(&reason, "the ingest (pid %" PRId64 " on %s) ended "
		    "without closing the run", r->pid, r->host);
		free(r->reason);
		r->reason = buf_detach(&reason);
	}
}

/* The runs of sql (run_sql and a condition) into *runs, with labels. */
static int
read_runs(struct pg_store *s, const char *sql, int nparams,
    const char *const *params, struct store_run **runs, size_t *n,
    struct buf *err)
{
	struct buf kv = BUF_INIT;
	PGresult *res, *lab;
	const char *lp[1];
	size_t cap;
	int i, j;

	res = pg_select(s, sql, nparams, params, err);
	if (res == NULL)
		return -1;
	*runs = xcalloc((size_t)PQntuples(res) + 1, sizeof **runs);
	for (i = 0; i < PQntuples(res); i++) {
		struct store_run *r = &(*runs)[(*n)++];

		read_run(res, i, r);
		lp[0] = PQgetvalue(res, i, 0);
		lab = pg_select(s, "SELECT key, value FROM run_labels WHERE "
		    "run_id = $1 ORDER BY key COLLATE \"C\"", 1, lp, err);
		if (lab == NULL) {
			PQclear(res);
			buf_free(&kv);
			return -1;
		}
		cap = 0;
		for (j = 0; j < PQntuples(lab); j++) {
			buf_reset(&kv);
			buf_addf(&kv, "%s=%s", PQgetvalue(lab, j, 0),
			    PQgetvalue(lab, j, 1));
			r->labels = xgrow(r->labels, &cap, r->nlabels + 1,
			    sizeof *r->labels);
			r->labels[r->nlabels++] = xstrdup(buf_str(&kv));
		}
		PQclear(lab);
	}
	PQclear(res);
	buf_free(&kv);
	return 0;
}

int
pg_run_get(struct store *base, int64_t id, struct store_run *run,
    struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	struct store_run *runs = NULL;
	struct buf sql = BUF_INIT;
	char idtext[32];
	const char *params[1] = { idtext };
	size_t n = 0;
	int rc;

	memset(run, 0, sizeof *run);
	snprintf(idtext, sizeof idtext, "%" PRId64, id);
	buf_addf(&sql, "%sWHERE id = $1", run_sql);
	rc = read_runs(s, buf_str(&sql), 1, params, &runs, &n, err);
	buf_free(&sql);
	if (rc < 0) {
		store_runs_free(runs, n);
		return -1;
	}
	return store_runs_take_first(runs, n, run);
}

int
pg_runs_list(struct store *base, struct store_run **runs, size_t *n,
    struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	struct buf sql = BUF_INIT;
	int rc;

	*runs = NULL;
	*n = 0;
	buf_addf(&sql, "%sORDER BY id", run_sql);
	rc = read_runs(s, buf_str(&sql), 0, NULL, runs, n, err);
	buf_free(&sql);
	return rc;
}

int
pg_find_runs(struct store *base, const char *spec, int64_t **ids, int *n,
    struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	const char *params[1] = { spec };
	const char *sql;
	PGresult *res;
	char *end;
	int i, np = 1;

	*ids = NULL;
	*n = 0;
	if (spec == NULL || strcmp(spec, "latest") == 0) {
		sql = "SELECT max(id) FROM runs HAVING max(id) IS NOT NULL";
		np = 0;
	} else if (strcmp(spec, "all") == 0) {
		sql = "SELECT id FROM runs ORDER BY id";
		np = 0;
	} else {
		errno = 0;
		(void)strtoll(spec, &end, 10);
		if (*spec != '\0' && *end == '\0' && errno == 0)
			sql = "SELECT id FROM runs WHERE id = $1::bigint";
		else
			sql = "SELECT max(id) FROM runs WHERE name = $1 "
			    "HAVING max(id) IS NOT NULL";
	}
	res = pg_select(s, sql, np, params, err);
	if (res == NULL)
		return -1;
	*ids = xcalloc((size_t)PQntuples(res) + 1, sizeof **ids);
	for (i = 0; i < PQntuples(res); i++)
		(*ids)[(*n)++] = get_int(res, i, 0);
	PQclear(res);
	if (*n == 0) {
		if (spec == NULL || strcmp(spec, "latest") == 0 ||
		    strcmp(spec, "all") == 0)
			buf_addf(err, "'%s' holds no run yet", s->uri);
		else
			buf_addf(err, "no run '%s' in '%s'", spec, s->uri);
		free(*ids);
		*ids = NULL;
		return -1;
	}
	return 0;
}

/* Segments. */

int
pg_segments(struct store *base, int64_t run_id, int segment,
    struct store_segment **segs, size_t *n, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	char id[32], seg[16];
	const char *params[2] = { id, NULL };
	struct store_segment *g;
	PGresult *res;
	int i;

	*segs = NULL;
	*n = 0;
	snprintf(id, sizeof id, "%" PRId64, run_id);
	if (segment != STORE_ALL_SEGMENTS) {
		snprintf(seg, sizeof seg, "%d", segment);
		params[1] = seg;
	}
	res = pg_select(s, "SELECT segment, reason, first_line, last_line, "
	    "go_min, go_max, gc_cycles, forced_cycles, periodic_cycles, "
	    "sched_samples, repaired_records, first_gc_num, last_gc_num, "
	    "first_ms, last_ms, first_sched_ms, last_sched_ms FROM segments "
	    "WHERE run_id = $1 AND ($2::bigint IS NULL OR segment = $2) "
	    "ORDER BY segment", 2, params, err);
	if (res == NULL)
		return -1;
	*segs = xcalloc((size_t)PQntuples(res) + 1, sizeof **segs);
	for (i = 0; i < PQntuples(res); i++) {
		g = &(*segs)[(*n)++];
		g->run_id = run_id;
		g->segment = (int)get_int(res, i, 0);
		g->reason = get_text(res, i, 1);
		g->first_line = get_int(res, i, 2);
		g->last_line = get_int(res, i, 3);
		g->go_min = get_text(res, i, 4);
		g->go_max = get_text(res, i, 5);
		g->gc_cycles = get_int(res, i, 6);
		g->forced_cycles = get_int(res, i, 7);
		g->periodic_cycles = get_int(res, i, 8);
		g->sched_samples = get_int(res, i, 9);
		g->repaired_records = get_int(res, i, 10);
		get_value(res, i, 11, &g->first_gc_num);
		get_value(res, i, 12, &g->last_gc_num);
		get_value(res, i, 13, &g->first_ms);
		get_value(res, i, 14, &g->last_ms);
		get_value(res, i, 15, &g->first_sched_ms);
		get_value(res, i, 16, &g->last_sched_ms);
	}
	PQclear(res);
	return 0;
}

/* Records. */

static struct store_cursor *
cursor_open(struct pg_store *s, enum kind kind, int64_t run_id, int segment,
    const char *const *columns, size_t ncolumns, int backward,
    struct buf *err)
{
	struct pg_cursor *c;
	struct buf sql = BUF_INIT, cols = BUF_INIT;
	PGresult *res;
	size_t i;
	int rc;

	if (store_cursor_columns(kind, columns, ncolumns, CURSOR_MAX_COLUMNS,
	    &cols, err) < 0) {
		buf_free(&cols);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->base.engine = &store_engine_pg;
	c->s = s;
	c->ncolumns = ncolumns;
	c->backward = backward;
	snprintf(c->name, sizeof c->name, "tracestat_c%" PRId64,
	    ++s->cursor_seq);
	if (s->reading &&
	    PQtransactionStatus(s->conn) == PQTRANS_INTRANS) {
		/* A stream, started by the first pg_cursor_next; the
		 * columns' types now (COPY's binary rows do not say). */
		buf_addf(&sql, "SELECT id, %s FROM %s_rows WHERE run_id = %"
		    PRId64, buf_str(&cols), schema_kind(kind)->table, run_id);
		buf_free(&cols);
		if (segment != STORE_ALL_SEGMENTS)
			buf_addf(&sql, " AND segment = %d", segment);
		c->select = buf_detach(&sql);
		buf_addf(&sql, "%s AND false", c->select);
		res = pg_select(s, buf_str(&sql), 0, NULL, err);
		buf_free(&sql);
		if (res == NULL || PQnfields(res) != (int)ncolumns + 1) {
			if (res != NULL)
				buf_addf(err, "cannot read '%s': unexpected "
				    "columns", s->uri);
			PQclear(res);
			free(c->select);
			free(c);
			return NULL;
		}
		for (i = 0; i < ncolumns; i++)
			c->types[i] = PQftype(res, (int)i + 1);
		PQclear(res);
		c->stream = 1;
		return &c->base;
	}
	/* Outside a transaction (a writer's), the rows are kept at once. */
	buf_addf(&sql, "DECLARE %s NO SCROLL CURSOR%s FOR SELECT %s",
	    c->name, PQtransactionStatus(s->conn) == PQTRANS_IDLE ?
	    " WITH HOLD" : "", buf_str(&cols));
	buf_free(&cols);
	/* The (run_id, id) index gives the rows in order: no sort. */
	buf_addf(&sql, " FROM %s_rows WHERE run_id = %" PRId64,
	    schema_kind(kind)->table, run_id);
	if (segment != STORE_ALL_SEGMENTS)
		buf_addf(&sql, " AND segment = %d", segment);
	buf_addf(&sql, " ORDER BY id%s", backward ? " DESC" : "");
	/*
	 * The index scan of (run_id, id) streams the rows in order.  Right
	 * after an ingest the table has no statistics yet, and for a plain
	 * SELECT of a run (a stream's COPY) the planner, expecting a few
	 * rows, picked a bitmap scan and a sort of the whole run on disk
	 * before the first row (twice the server's time on a million
	 * cycles); with statistics it may choose a sequential scan and a
	 * sort.  So cursors and streams are planned with those off, and the
	 * settings restored for any other query of the session.
	 */
	pg_settle(s);
	PQclear(pg_exec_wait(s, "SET enable_sort = off; "
	    "SET enable_bitmapscan = off; SET enable_seqscan = off"));
	rc = pg_exec(s, buf_str(&sql), err);
	PQclear(pg_exec_wait(s, "RESET enable_sort; "
	    "RESET enable_bitmapscan; RESET enable_seqscan"));
	buf_free(&sql);
	if (rc < 0) {
		free(c);
		return NULL;
	}
	buf_addf(&sql, "FETCH FORWARD %d FROM %s", PG_FETCH_ROWS, c->name);
	c->fetch = buf_detach(&sql);
	return &c->base;
}

struct store_cursor *
pg_cursor_open(struct store *base, enum kind kind, int64_t run_id,
    int segment, const char *const *columns, size_t ncolumns,
    struct buf *err)
{
	return cursor_open(pg_store_of(base), kind, run_id, segment, columns,
	    ncolumns, 0, err);
}

struct store_cursor *
pg_cursor_open_backward(struct store *base, enum kind kind, int64_t run_id,
    int segment, const char *const *columns, size_t ncolumns,
    struct buf *err)
{
	return cursor_open(pg_store_of(base), kind, run_id, segment, columns,
	    ncolumns, 1, err);
}

/* Big-endian integers of COPY's binary format. */
static int32_t
copy_int(const char *p, int n)
{
	return n == 2 ? (int16_t)(uint16_t)get_be((const unsigned char *)p,
	    2) : (int32_t)(uint32_t)get_be((const unsigned char *)p, 4);
}

/*
 * The next row of c's COPY data into c->values: 1, 0 at the end of the
 * data, -1 when it is malformed.  A message holds whole rows; the first
 * begins with the format's header, the last holds its trailer.
 */
static int
stream_row(struct pg_cursor *c)
{
	static const char sig[11] = "PGCOPY\n\377\r\n";
	const char *p = c->msg + c->msg_pos, *e = c->msg + c->msg_len;
	const char *at[CURSOR_MAX_COLUMNS];
	int32_t len[CURSOR_MAX_COLUMNS], n, l;
	size_t i;

	if (c->msg_pos == 0 && e - p >= 11 && memcmp(p, sig, 11) == 0) {
		if (e - p < 19 || (l = copy_int(p + 15, 4)) < 0 ||
		    e - p - 19 < l)
			return -1;
		p += 19 + l;
	}
	if (p == e)
		goto empty;
	if (e - p < 2)
		return -1;
	n = copy_int(p, 2);
	p += 2;
	if (n == -1) {
		p = e;
		goto empty;
	}
	if (n != (int32_t)c->ncolumns + 1)
		return -1;
	for (i = 0; i < (size_t)n; i++) {
		if (e - p < 4)
			return -1;
		l = copy_int(p, 4);
		p += 4;
		if (l > e - p)
			return -1;
		at[i] = p;
		len[i] = l;
		if (l > 0)
			p += l;
	}
	c->msg_pos = (int)(p - c->msg);
	if (len[0] != 8)
		return -1;
	c->last_id = (int64_t)get_be((const unsigned char *)at[0], 8);
	c->have_last = 1;
	/* Texts get their NUL here; pointers once the buffer has grown. */
	buf_reset(&c->text);
	for (i = 1; i < (size_t)n; i++)
		if (len[i] >= 0 && c->types[i - 1] != PG_OID_INT8 &&
		    c->types[i - 1] != PG_OID_FLOAT8) {
			buf_add(&c->text, at[i], (size_t)len[i]);
			buf_addc(&c->text, '\0');
		}
	l = 0;
	for (i = 1; i < (size_t)n; i++) {
		if (len[i] >= 0 && c->types[i - 1] != PG_OID_INT8 &&
		    c->types[i - 1] != PG_OID_FLOAT8) {
			at[i] = buf_str(&c->text) + l;
			l += len[i] + 1;
		}
		decode_binary((const unsigned char *)at[i], len[i],
		    c->types[i - 1], &c->values[i - 1]);
	}
	return 1;
empty:
	c->msg_pos = (int)(p - c->msg);
	return 0;
}

/* The next row of a stream (see the top of the file). */
static int
stream_next(struct pg_cursor *c, struct store_row *row, struct buf *err)
{
	struct pg_store *s = c->s;
	int n;

	for (;;) {
		if (c->msg != NULL) {
			n = stream_row(c);
			if (n > 0) {
				row->values = c->values;
				return 1;
			}
			if (n < 0) {
				buf_addf(err, "cannot read '%s': malformed "
				    "COPY data", s->uri);
				(void)stream_end(c, 1, err);
				c->done = 1;
				return -1;
			}
			PQfreemem(c->msg);
			c->msg = NULL;
		}
		if (c->done)
			return 0;
		if (!c->active && stream_begin(c, err) < 0) {
			c->done = 1;
			return -1;
		}
		n = PQgetCopyData(s->conn, &c->msg, 1);
		if (n == 0) {
			/* nothing yet: wait for it, within the timeout */
			if (pg_wait(s, POLLIN, pg_now_ms() +
			    pg_timeout_ms()) == 0 && PQconsumeInput(s->conn))
				continue;
			n = -2;
		}
		if (n > 0) {
			c->msg_len = n;
			c->msg_pos = 0;
			continue;
		}
		c->msg = NULL;
		/* -1: the COPY's end (its result says how); -2: failed */
		c->done = 1;
		if (n == -2 && PQstatus(s->conn) != CONNECTION_OK) {
			c->active = 0;
			s->streaming = NULL;
			pg_fail(s, NULL, "cannot read", err);
			return -1;
		}
		return stream_end(c, 0, err) < 0 ? -1 : 0;
	}
}

int
pg_cursor_next(struct store_cursor *base, struct store_row *row,
    struct buf *err)
{
	struct pg_cursor *c = (struct pg_cursor *)base;
	size_t i;

	if (c->stream)
		return stream_next(c, row, err);
	if (c->res == NULL || c->row >= PQntuples(c->res)) {
		PQclear(c->res);
		c->res = NULL;
		if (c->done)
			return 0;
		/* Binary: no number printed by the server and parsed here. */
		c->res = pg_exec_params(c->s, c->fetch, 0, NULL, 1);
		if (c->res == NULL ||
		    PQresultStatus(c->res) != PGRES_TUPLES_OK) {
			pg_fail(c->s, c->res, "cannot read", err);
			PQclear(c->res);
			c->res = NULL;
			c->done = 1;
			return -1;
		}
		c->row = 0;
		if (PQntuples(c->res) < PG_FETCH_ROWS)
			c->done = 1;
		if (PQntuples(c->res) == 0)
			return 0;
	}
	for (i = 0; i < c->ncolumns; i++)
		get_binary(c->res, c->row, (int)i, &c->values[i]);
	c->row++;
	row->values = c->values;
	return 1;
}

void
pg_cursor_close(struct store_cursor *base)
{
	struct pg_cursor *c = (struct pg_cursor *)base;
	struct buf sql = BUF_INIT;

	if (c == NULL)
		return;
	if (c->stream) {
		if (c->active)
			pg_settle(c->s);
		PQfreemem(c->msg);
		buf_free(&c->text);
		free(c->select);
		free(c);
		return;
	}
	PQclear(c->res);
	if (PQstatus(c->s->conn) == CONNECTION_OK &&
	    PQtransactionStatus(c->s->conn) != PQTRANS_INERROR) {
		buf_addf(&sql, "CLOSE %s", c->name);
		PQclear(pg_exec_wait(c->s, buf_str(&sql)));
		buf_free(&sql);
	}
	free(c->fetch);
	free(c);
}

/* query: one statement of the user's, inside the read-only transaction. */

int
pg_query(struct store *base, const char *sql,
    const struct store_query_sink *sink, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	struct value *values = NULL;
	const char **names = NULL;
	PGresult *res;
	int i, n, rc = 0, started = 0;
	const char *state;

	if (!s->reading) {
		buf_addf(err, "query failed: '%s' is not open for reading",
		    s->uri);
		return -1;
	}
	pg_settle(s);
	if (!PQsendQueryParams(s->conn, sql, 0, NULL, NULL, NULL, NULL, 0)) {
		pg_fail(s, NULL, "query failed:", err);
		return -1;
	}
	PQsetSingleRowMode(s->conn);
	while ((res = PQgetResult(s->conn)) != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
		case PGRES_TUPLES_OK:
			n = PQnfields(res);
			if (!started && rc == 0) {
				values = xcalloc((size_t)n + 1,
				    sizeof *values);
				names = xcalloc((size_t)n + 1, sizeof *names);
				for (i = 0; i < n; i++)
					names[i] = PQfname(res, i);
				sink->columns(sink->arg, names, (size_t)n);
				started = 1;
			}
			if (PQntuples(res) == 1 && rc == 0) {
				for (i = 0; i < n; i++)
					get_value(res, 0, i, &values[i]);
				sink->row(sink->arg, values, (size_t)n);
			}
			break;
		case PGRES_COMMAND_OK:
		case PGRES_EMPTY_QUERY:
			break;
		default:
			if (rc != 0)
				break;
			state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			if (state != NULL && strcmp(state, "25006") == 0) {
				buf_adds(err, "SQL: the store is opened "
				    "read-only: only queries that change "
				    "nothing are allowed");
				rc = 1;
			} else if (strstr(PQresultErrorMessage(res),
			    "multiple commands") != NULL) {
				buf_adds(err, "SQL: give exactly one "
				    "statement");
				rc = 1;
			} else if (state != NULL && !started &&
			    PQstatus(s->conn) == CONNECTION_OK &&
			    strncmp(state, "08", 2) != 0 &&
			    strncmp(state, "53", 2) != 0 &&
			    strncmp(state, "57", 2) != 0 &&
			    strncmp(state, "58", 2) != 0 &&
			    strncmp(state, "XX", 2) != 0) {
				/* The statement's fault, as SQLite's
				 * prepare errors are. */
				const char *m = PQresultErrorField(res,
				    PG_DIAG_MESSAGE_PRIMARY);

				buf_addf(err, "SQL: %s", m != NULL ? m : "");
				rc = 1;
			} else {
				pg_fail(s, res, "query failed:", err);
				rc = -1;
			}
			break;
		}
		PQclear(res);
	}
	free(values);
	free(names);
	/* COMMIT or the like as the statement: the snapshot is gone. */
	if (rc == 0 && PQtransactionStatus(s->conn) != PQTRANS_INTRANS) {
		buf_adds(err, "SQL: only a query is allowed, not a "
		    "transaction's control");
		rc = 1;
	}
	return rc;
}
