#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store-sqlite.h"
#include "schema.h"
#include "store.h"
#include "store-shape.h"
#include "store-sql.h"
#include "xalloc.h"
#include "banned.h"


static int
exec(struct sqlite_store *s, const char *sql, struct buf *err)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		buf_addf(err, "'%s': %s", s->path,
		    msg != NULL ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * The frozen DDL (src/store/sql): a new store is made by the latest version's,
 * an older one brought up by the steps from its version on; step n goes
 * from version n to n + 1.
 */
#define STORE_SQL_OF(v) STORE_SQL_OF_(v)
#define STORE_SQL_OF_(v) store_sql_v##v
#define store_sql_latest STORE_SQL_OF(STORE_SCHEMA_VERSION)
static const char *const store_sql_steps[STORE_SCHEMA_VERSION] = {
	NULL, store_sql_v1_v2, store_sql_v2_v3, store_sql_v3_v4
};

/*
 * Is this file a tracestat store, or empty?  Only reads: a file that is
 * not ours is refused before anything is written to it.
 */
static int
check_identity(struct sqlite_store *s, int64_t *version, struct buf *err)
{
	/* One statement, so one snapshot: another ingest may be creating. */
	static const char sql[] =
	    "SELECT (SELECT application_id FROM pragma_application_id), "
	    "(SELECT count(*) FROM sqlite_master), "
	    "(SELECT user_version FROM pragma_user_version)";
	sqlite3_stmt *st;
	int64_t appid = 0, tables = 0;
	int rc;

	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			appid = sqlite3_column_int64(st, 0);
			tables = sqlite3_column_int64(st, 1);
			*version = sqlite3_column_int64(st, 2);
		}
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_ROW) {
		if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_NOTADB)
			buf_addf(err, "'%s' is not a tracestat store (not an "
			    "SQLite database)", s->path);
		else
			buf_addf(err, "'%s': %s", s->path,
			    sqlite3_errmsg(s->db));
		return -1;
	}
	if (tables > 0 && appid != STORE_APPLICATION_ID) {
		buf_addf(err, "'%s' is an SQLite database but not a tracestat "
		    "store", s->path);
		return -1;
	}
	if (*version > STORE_SCHEMA_VERSION) {
		buf_addf(err, "'%s' has schema version %lld, newer than this "
		    "tracestat understands (%d)", s->path, (long long)*version,
		    STORE_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/*
 * Bring the schema to STORE_SCHEMA_VERSION.  Several ingests may create
 * the same new store at once: the version is read again inside the write
 * transaction, so exactly one of them creates the tables.
 */
static int
migrate(struct sqlite_store *s, struct buf *err)
{
	int64_t version = 0;
	struct buf sql = BUF_INIT;
	int rc;

	if (check_identity(s, &version, err) < 0)
		return -1;
	if (version == STORE_SCHEMA_VERSION)
		return 0;
	if (!s->writable) {
		buf_addf(err, "'%s' has schema version %lld; open it once "
		    "with 'tracestat ingest' to upgrade it", s->path,
		    (long long)version);
		return -1;
	}
	if (exec(s, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if (check_identity(s, &version, err) < 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (version < 1)
		buf_adds(&sql, store_sql_latest);
	for (; version >= 1 && version < STORE_SCHEMA_VERSION; version++)
		buf_adds(&sql, store_sql_steps[version]);
	buf_addf(&sql, "PRAGMA application_id = %d;\n"
	    "PRAGMA user_version = %d;\nCOMMIT;\n", STORE_APPLICATION_ID,
	    STORE_SCHEMA_VERSION);
	rc = exec(s, sql.data, err);
	if (rc < 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	buf_free(&sql);
	return rc;
}

static int
prepare(struct sqlite_store *s, const char *sql, sqlite3_stmt **st,
    struct buf *err)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
	    NULL) != SQLITE_OK) {
		buf_addf(err, "'%s': %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

static int
prepare_inserts(struct sqlite_store *s, struct buf *err)
{
	struct buf sql = BUF_INIT;
	size_t i, n;
	int k, rc = 0;

	for (k = 0; k < KIND_COUNT && rc == 0; k++) {
		const struct kind_info *ki = schema_kind((enum kind)k);

		if (ki->table == NULL)
			continue;
		buf_reset(&sql);
		s->sample_col[k] = schema_column_index((enum kind)k,
		    "sample_id");
		buf_addf(&sql, "INSERT INTO %s_rows (run_id, segment, "
		    "line_no, wall_s, repaired", ki->table);
		for (i = 0; i < ki->ncolumns; i++)
			buf_addf(&sql, ", %s", ki->columns[i].name);
		buf_adds(&sql, ", rule_id, line, extra) VALUES (?");
		n = schema_ncommon_columns + ki->ncolumns + 3;
		for (i = 1; i < n; i++)
			buf_adds(&sql, ", ?");
		buf_adds(&sql, ")");
		rc = prepare(s, sql.data, &s->insert[k], err);
	}
	buf_free(&sql);
	if (rc == 0)
		rc = prepare(s, "INSERT INTO sched_p_rows (run_id, segment, "
		    "line_no, wall_s, repaired, sample_id, p_idx, local_runq, "
		    "schedtick) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    &s->insert_list_p, err);
	if (rc == 0)
		rc = prepare(s, "INSERT INTO broken_lines (run_id, line_no, "
		    "reason, text) VALUES (?, ?, ?, ?)", &s->insert_broken,
		    err);
	if (rc == 0)
		rc = prepare(s, "INSERT OR REPLACE INTO segments (run_id, "
		    "segment, reason, first_line, last_line, go_min, go_max, "
		    "gc_cycles, forced_cycles, periodic_cycles, "
		    "sched_samples, first_gc_num, last_gc_num, first_ms, "
		    "last_ms, first_sched_ms, last_sched_ms, repaired_records) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "?)",
		    &s->upsert_segment, err);
	if (rc == 0)
		rc = prepare(s, "INSERT INTO run_ranges (run_id, tbl, "
		    "first_id, last_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
		    "(run_id, tbl) DO UPDATE SET first_id = min(first_id, "
		    "excluded.first_id), last_id = max(last_id, "
		    "excluded.last_id)", &s->upsert_range, err);
	if (rc == 0)
		rc = prepare(s, "SELECT id FROM rules WHERE name = ? AND "
		    "shape = ?", &s->find_rule, err);
	if (rc == 0)
		rc = prepare(s, "INSERT INTO rules (name, shape) VALUES (?, ?)",
		    &s->insert_rule, err);
	if (rc == 0)
		rc = prepare(s, "INSERT INTO rule_pieces (rule_id, seq, text, "
		    "col, fmt) VALUES (?, ?, ?, ?, ?)", &s->insert_piece, err);
	return rc;
}

/* SQL run_status(status, pid, host): 'abandoned' for a dead writer. */
static void
sql_run_status(sqlite3_context *c, int argc, sqlite3_value **v)
{
	const unsigned char *status = sqlite3_value_text(v[0]);

	if (status != NULL && strcmp((const char *)status, "running") == 0 &&
	    sqlite3_value_type(v[1]) == SQLITE_INTEGER &&
	    !store_writer_alive(sqlite3_value_int64(v[1]),
	    (const char *)sqlite3_value_text(v[2]))) {
		sqlite3_result_text(c, "abandoned", -1, SQLITE_STATIC);
		return;
	}
	sqlite3_result_value(c, v[0]);
}

/* Runs left 'running' by an ingest that died are marked 'abandoned'. */
static int
mark_abandoned(struct sqlite_store *s, struct buf *err)
{
	return exec(s, "UPDATE runs SET status = 'abandoned', "
	    "status_reason = 'the ingest (pid ' || pid || ' on ' || host || "
	    "') ended without closing the run' WHERE status = 'running' AND "
	    "run_status(status, pid, host) = 'abandoned'", err);
}

struct store *
sqlite_open(const char *path, int writable, struct buf *err)
{
	struct sqlite_store *s;
	int flags, rc;
	int64_t version;
	struct stat st;

	if (!writable && stat(path, &st) < 0) {
		if (errno == ENOENT)
			buf_addf(err, "no store '%s' (create one with "
			    "'tracestat ingest')", path);
		else
			buf_addf(err, "cannot open '%s': %s", path,
			    strerror(errno));
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->base.engine = &store_engine_sqlite;
	s->path = xstrdup(path);
	s->writable = writable;
	flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE :
	    SQLITE_OPEN_READONLY;
	rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		buf_addf(err, "cannot open '%s': %s", path,
		    s->db != NULL ? sqlite3_errmsg(s->db) :
		    sqlite3_errstr(rc));
		sqlite_close(&s->base);
		return NULL;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	sqlite3_create_function(s->db, "run_status", 3, SQLITE_UTF8, NULL,
	    sql_run_status, NULL, NULL);
	if (writable && stat(path, &st) == 0) {
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	/* Refuse another program's file before writing anything. */
	if (check_identity(s, &version, err) < 0) {
		sqlite_close(&s->base);
		return NULL;
	}
	if (writable) {
		if (exec(s, "PRAGMA journal_mode = WAL; "
		    "PRAGMA synchronous = NORMAL; "
		    "PRAGMA cache_size = -8192;", err) < 0) {
			sqlite_close(&s->base);
			return NULL;
		}
	} else if (exec(s, "PRAGMA query_only = 1; "
	    "PRAGMA cache_size = -16384; PRAGMA mmap_size = 268435456;",
	    err) < 0) {
		sqlite_close(&s->base);
		return NULL;
	}
	if (migrate(s, err) < 0 || (writable && (prepare_inserts(s, err) < 0 ||
	    mark_abandoned(s, err) < 0))) {
		sqlite_close(&s->base);
		return NULL;
	}
	/* A reading command sees one snapshot, however long it reads. */
	if (!writable && sqlite_read_snapshot(&s->base, NULL, err) < 0) {
		sqlite_close(&s->base);
		return NULL;
	}
	return &s->base;
}

int
sqlite_read_snapshot(struct store *base, struct buf *token, struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);
	sqlite3 *db = s->db;
	/*
	 * Every part through ifnull: one NULL (no SCHED sample yet) would
	 * make the whole token NULL, and two different snapshots alike.
	 */
	static const char token_sql[] =
	    "SELECT (SELECT count(*) || ':' || total(lines) || ':' || "
	    "ifnull(group_concat(status), '-') FROM runs) || ':' || "
	    "(SELECT count(*) || ':' || total(gc_cycles) || ':' || "
	    "total(last_line) FROM segments) || ':' || "
	    "ifnull((SELECT max(id) FROM gc_cycles), '-') || ':' || "
	    "ifnull((SELECT max(id) FROM sched_samples), '-') || ':' || "
	    "ifnull((SELECT max(id) FROM sched_p), '-') || ':' || "
	    "ifnull((SELECT max(id) FROM broken_lines), '-')";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_get_autocommit(db) &&
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	/* The snapshot is taken by the first read. */
	if (sqlite3_prepare_v2(db, token_sql, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && token != NULL) {
		buf_reset(token);
		if (sqlite3_column_text(st, 0) != NULL)
			buf_adds(token, (const char *)sqlite3_column_text(st,
			    0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		goto fail;
	return 0;
fail:
	buf_addf(err, "cannot read the store: %s", sqlite3_errmsg(db));
	return -1;
}

/*
 * Is the store still the file we opened, and still writable?  SQLite does
 * not notice a store deleted under it (it writes on into the unlinked
 * file), and a store made immutable (chattr +i) fails its next write to
 * the mapped -shm file with SIGBUS, not with an error: both are caught
 * here, before each transaction starts and commits.
 */
static int
store_check_file(struct sqlite_store *s, struct buf *err)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	struct buf name = BUF_INIT;
	struct stat st;
	size_t i;
	int rc = 0;

	if (!s->writable || s->ino == 0)
		return 0;
	if (stat(s->path, &st) < 0) {
		buf_addf(err, "'%s' was removed while tracestat was writing "
		    "it: %s", s->path, strerror(errno));
		rc = -1;
	} else if (st.st_dev != s->dev || st.st_ino != s->ino) {
		buf_addf(err, "'%s' was replaced by another file while "
		    "tracestat was writing it", s->path);
		rc = -1;
	}
	for (i = 0; rc == 0 && i < sizeof suffixes / sizeof suffixes[0];
	    i++) {
		buf_reset(&name);
		buf_addf(&name, "%s%s", s->path, suffixes[i]);
		/* access(2) refuses W_OK on an immutable file, even to root. */
		if (access(name.data, W_OK) < 0 && errno != ENOENT) {
			buf_addf(err, "'%s' can no longer be written: %s",
			    name.data, strerror(errno));
			rc = -1;
		}
	}
	buf_free(&name);
	if (rc < 0)
		s->failed = 1;
	return rc;
}

void
sqlite_close(struct store *base)
{
	struct sqlite_store *s = sqlite_store_of(base);
	struct buf ignored = BUF_INIT;
	int k;

	if (s == NULL)
		return;
	/*
	 * A store that vanished or became read-only gets no last commit and
	 * no checkpoint: either would write the mapped -shm file (SIGBUS).
	 */
	if (s->writable && (s->failed ||
	    store_check_file(s, &ignored) < 0)) {
		s->in_tx = 0;
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
		    NULL);
	}
	buf_free(&ignored);
	if (s->in_tx || (s->db != NULL && !s->writable &&
	    !sqlite3_get_autocommit(s->db)))
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	for (k = 0; k < KIND_COUNT; k++)
		sqlite3_finalize(s->insert[k]);
	sqlite3_finalize(s->insert_list_p);
	sqlite3_finalize(s->insert_broken);
	sqlite3_finalize(s->upsert_segment);
	sqlite3_finalize(s->upsert_range);
	sqlite3_finalize(s->find_rule);
	sqlite3_finalize(s->insert_rule);
	sqlite3_finalize(s->insert_piece);
	sqlite3_close(s->db);
	shape_table_free(s->shapes);
	free(s->path);
	free(s);
}

const char *
sqlite_path(const struct store *base)
{
	const struct sqlite_store *s = (const struct sqlite_store *)base;

	return s->path;
}

static int
step_done(struct sqlite_store *s, sqlite3_stmt *st, struct buf *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		buf_addf(err, "cannot write '%s': %s", s->path,
		    sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

int
sqlite_run_begin(struct store *base, const char *name, const char *source,
    char *const *labels, int nlabels, int64_t *run_id, struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	sqlite3_stmt *st = NULL;
	char now[64], host[256];
	int i, rc = -1;

	store_now_iso(now, sizeof now);
	if (exec(s, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if (gethostname(host, sizeof host) < 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	if (prepare(s, "INSERT INTO runs (name, source, started_at, "
	    "tracestat_version, pid, host) VALUES (?, ?, ?, ?, ?, ?)", &st,
	    err) < 0)
		goto out;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, PACKAGE_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)getpid());
	sqlite3_bind_text(st, 6, host, -1, SQLITE_STATIC);
	if (step_done(s, st, err) < 0)
		goto out;
	*run_id = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	st = NULL;
	if (prepare(s, "INSERT OR REPLACE INTO run_labels (run_id, key, "
	    "value) VALUES (?, ?, ?)", &st, err) < 0)
		goto out;
	for (i = 0; i < nlabels; i++) {
		const char *eq = strchr(labels[i], '=');

		if (eq == NULL)
			continue;
		sqlite3_bind_int64(st, 1, *run_id);
		sqlite3_bind_text(st, 2, labels[i], (int)(eq - labels[i]),
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 3, eq + 1, -1, SQLITE_STATIC);
		if (step_done(s, st, err) < 0)
			goto out;
	}
	rc = exec(s, "COMMIT", err);
out:
	sqlite3_finalize(st);
	if (rc < 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int
sqlite_run_input(struct store *base, int64_t run_id, int input_no,
    const char *path, struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	sqlite3_stmt *st;
	int rc;

	if (prepare(s, "INSERT OR REPLACE INTO run_inputs (run_id, input_no, "
	    "path) VALUES (?, ?, ?)", &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int(st, 2, input_no);
	sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
	rc = step_done(s, st, err);
	sqlite3_finalize(st);
	return rc;
}

int
sqlite_run_input_end(struct store *base, int64_t run_id, int input_no,
    int64_t first_line, int64_t last_line, struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	sqlite3_stmt *st;
	int rc;

	if (prepare(s, "UPDATE run_inputs SET first_line = ?, last_line = ? "
	    "WHERE run_id = ? AND input_no = ?", &st, err) < 0)
		return -1;
	if (last_line >= first_line) {
		sqlite3_bind_int64(st, 1, first_line);
		sqlite3_bind_int64(st, 2, last_line);
	}
	sqlite3_bind_int64(st, 3, run_id);
	sqlite3_bind_int(st, 4, input_no);
	rc = step_done(s, st, err);
	sqlite3_finalize(st);
	return rc;
}

int
sqlite_run_update(struct store *base, int64_t run_id,
    const struct run_counts *c, const char *status, const char *reason,
    struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	sqlite3_stmt *st;
	char now[64];
	int rc;

	store_now_iso(now, sizeof now);
	if (prepare(s, "UPDATE runs SET lines = ?, trace_lines = ?, "
	    "other_lines = ?, gc_cycles = ?, sched_samples = ?, "
	    "repaired_lines = ?, unrecognised_lines = ?, overlong_lines = ?, "
	    "invalid_values = ?, segments = ?, bytes = ?, status = ?, "
	    "ended_at = CASE WHEN ? = 'running' THEN NULL ELSE ? END, "
	    "status_reason = ?, dropped_records = ? WHERE id = ?", &st,
	    err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, c->lines);
	sqlite3_bind_int64(st, 2, c->trace_lines);
	sqlite3_bind_int64(st, 3, c->other_lines);
	sqlite3_bind_int64(st, 4, c->gc_cycles);
	sqlite3_bind_int64(st, 5, c->sched_samples);
	sqlite3_bind_int64(st, 6, c->repaired);
	sqlite3_bind_int64(st, 7, c->unrecognised);
	sqlite3_bind_int64(st, 8, c->overlong);
	sqlite3_bind_int64(st, 9, c->invalid_values);
	sqlite3_bind_int64(st, 10, c->segments);
	sqlite3_bind_int64(st, 11, c->bytes);
	sqlite3_bind_text(st, 12, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 16, c->dropped);
	sqlite3_bind_int64(st, 17, run_id);
	rc = step_done(s, st, err);
	sqlite3_finalize(st);
	return rc;
}

static void
bind_value(sqlite3_stmt *st, int i, const struct value *v)
{
	switch (v->type) {
	case VAL_NULL:
		sqlite3_bind_null(st, i);
		break;
	case VAL_INT:
		sqlite3_bind_int64(st, i, v->i);
		break;
	case VAL_REAL:
		sqlite3_bind_double(st, i, v->r);
		break;
	case VAL_TEXT:
		sqlite3_bind_text(st, i, v->s, (int)v->len, SQLITE_STATIC);
		break;
	}
}

/* The rules.id of shape sh, adding the shape when it is new. */
static int
shape_id(struct sqlite_store *s, struct shape *sh, struct buf *err)
{
	const struct kind_info *ki = schema_kind(sh->kind);
	sqlite3_stmt *st = s->find_rule;
	const char *name;
	int i, rc;

	sqlite3_bind_text(st, 1, sh->rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, sh->text, (int)sh->text_len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		sh->store_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		buf_addf(err, "cannot read '%s': %s", s->path,
		    sqlite3_errmsg(s->db));
		return -1;
	}
	if (rc == SQLITE_DONE) {
		st = s->insert_rule;
		sqlite3_bind_text(st, 1, sh->rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, sh->text, (int)sh->text_len,
		    SQLITE_STATIC);
		if (step_done(s, st, err) < 0)
			return -1;
		sh->store_id = sqlite3_last_insert_rowid(s->db);
		st = s->insert_piece;
		for (i = 0; i < sh->npieces; i++) {
			const struct shape_piece *p = &sh->pieces[i];

			sqlite3_bind_int64(st, 1, sh->store_id);
			sqlite3_bind_int(st, 2, i);
			sqlite3_bind_text(st, 3, p->text, (int)p->len,
			    SQLITE_STATIC);
			if (p->fmt != SHAPE_NONE) {
				name = p->fmt == SHAPE_LIST ?
				    ki->lists[p->col] :
				    ki->columns[p->col].name;
				sqlite3_bind_text(st, 4, name, -1,
				    SQLITE_STATIC);
				sqlite3_bind_text(st, 5,
				    shape_fmt_name(p->fmt), -1,
				    SQLITE_STATIC);
			}
			if (step_done(s, st, err) < 0)
				return -1;
		}
	}
	/* Forgotten again if the transaction is rolled back. */
	sh->next_new = s->tx_shapes;
	s->tx_shapes = sh;
	return 0;
}

/* Every parameter is bound for each row: no sqlite3_clear_bindings. */
static int
step_row(struct sqlite_store *s, sqlite3_stmt *st, struct buf *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		buf_addf(err, "cannot write '%s': %s", s->path,
		    sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/* Widen the run's row of run_ranges for kind k to the ids written. */
static int
range_flush(struct sqlite_store *s, int k, struct buf *err)
{
	sqlite3_stmt *st = s->upsert_range;

	if (s->range_first[k] == 0)
		return 0;
	sqlite3_bind_int64(st, 1, s->range_run[k]);
	sqlite3_bind_text(st, 2, schema_kind((enum kind)k)->table, -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, s->range_first[k]);
	sqlite3_bind_int64(st, 4, s->range_last[k]);
	if (step_row(s, st, err) < 0)
		return -1;
	s->range_first[k] = 0;
	return 0;
}

/* Row id of kind k of run run_id was just written. */
static int
range_note(struct sqlite_store *s, int k, int64_t run_id, int64_t id,
    struct buf *err)
{
	if (s->range_first[k] != 0 && s->range_run[k] != run_id &&
	    range_flush(s, k, err) < 0)
		return -1;
	if (s->range_first[k] == 0) {
		s->range_run[k] = run_id;
		s->range_first[k] = s->range_last[k] = id;
	}
	if (id < s->range_first[k])
		s->range_first[k] = id;
	if (id > s->range_last[k])
		s->range_last[k] = id;
	return 0;
}

int
sqlite_write_record(struct store *base, int64_t run_id, const struct record *r,
    struct shape *sh, struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);
	const struct kind_info *ki = schema_kind(r->kind);
	sqlite3_stmt *st = s->insert[r->kind];
	int i = 1, sample_col = s->sample_col[r->kind];
	size_t c;

	if (st == NULL)
		return 0;
	if (sh == NULL && r->rule != NULL) {
		if (s->shapes == NULL)
			s->shapes = shape_table_new();
		sh = shape_whole(s->shapes, r->rule, r->kind);
	}
	if (sh != NULL && sh->store_id == 0 && shape_id(s, sh, err) < 0)
		return -1;
	sqlite3_bind_int64(st, i++, run_id);
	sqlite3_bind_int(st, i++, r->segment);
	sqlite3_bind_int64(st, i++, r->line_no);
	if (r->has_wall)
		sqlite3_bind_double(st, i++, r->wall_s);
	else
		sqlite3_bind_null(st, i++);
	sqlite3_bind_int(st, i++, r->repaired);
	for (c = 0; c < ki->ncolumns; c++, i++) {
		if ((int)c == sample_col && s->last_sample_id > 0)
			sqlite3_bind_int64(st, i, s->last_sample_id);
		else
			bind_value(st, i, &r->columns[c]);
	}
	if (sh != NULL)
		sqlite3_bind_int64(st, i++, sh->store_id);
	else
		sqlite3_bind_null(st, i++);
	if ((sh != NULL && sh->whole) || (sh == NULL && r->raw_len > 0))
		sqlite3_bind_text(st, i++, r->raw, (int)r->raw_len,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i++);
	if (r->extra.len > 0)
		sqlite3_bind_text(st, i, r->extra.data, (int)r->extra.len,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
	if (step_row(s, st, err) < 0 || range_note(s, r->kind, run_id,
	    sqlite3_last_insert_rowid(s->db), err) < 0)
		return -1;
	if (r->kind != KIND_SCHED)
		return 0;

	s->last_sample_id = sqlite3_last_insert_rowid(s->db);
	if (r->lists[0] == NULL && r->lists[1] == NULL)
		return 0;
	st = s->insert_list_p;
	for (c = 0; c < r->list_len[0] || c < r->list_len[1]; c++) {
		sqlite3_bind_int64(st, 1, run_id);
		sqlite3_bind_int(st, 2, r->segment);
		sqlite3_bind_int64(st, 3, r->line_no);
		if (r->has_wall)
			sqlite3_bind_double(st, 4, r->wall_s);
		else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_int(st, 5, r->repaired);
		sqlite3_bind_int64(st, 6, s->last_sample_id);
		sqlite3_bind_int64(st, 7, (sqlite3_int64)c);
		if (c < r->list_len[0])
			sqlite3_bind_int64(st, 8, r->lists[0][c]);
		else
			sqlite3_bind_null(st, 8);
		if (c < r->list_len[1])
			sqlite3_bind_int64(st, 9, r->lists[1][c]);
		else
			sqlite3_bind_null(st, 9);
		if (step_row(s, st, err) < 0 || range_note(s, KIND_SCHED_P,
		    run_id, sqlite3_last_insert_rowid(s->db), err) < 0)
			return -1;
	}
	return 0;
}

int
sqlite_write_segment(struct store *base, int64_t run_id,
    const struct segment *seg, struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	sqlite3_stmt *st = s->upsert_segment;
	char vmin[16], vmax[16];

	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int(st, 2, seg->number);
	sqlite3_bind_text(st, 3, seg->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, seg->first_line);
	sqlite3_bind_int64(st, 5, seg->last_line);
	if (seg->go_min > 0) {
		record_version_text(seg->go_min, vmin, sizeof vmin);
		sqlite3_bind_text(st, 6, vmin, -1, SQLITE_TRANSIENT);
	}
	if (seg->go_max < 999) {
		record_version_text(seg->go_max, vmax, sizeof vmax);
		sqlite3_bind_text(st, 7, vmax, -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_int64(st, 8, seg->gc_cycles);
	sqlite3_bind_int64(st, 9, seg->forced_cycles);
	sqlite3_bind_int64(st, 10, seg->periodic_cycles);
	sqlite3_bind_int64(st, 11, seg->sched_samples);
	if (seg->has_gc) {
		sqlite3_bind_int64(st, 12, seg->first_gc_num);
		sqlite3_bind_int64(st, 13, seg->last_gc_num);
		sqlite3_bind_int64(st, 14, seg->first_ms);
		sqlite3_bind_int64(st, 15, seg->last_ms);
	}
	if (seg->has_sched) {
		sqlite3_bind_int64(st, 16, seg->first_sched_ms);
		sqlite3_bind_int64(st, 17, seg->last_sched_ms);
	}
	sqlite3_bind_int64(st, 18, seg->repaired);
	return step_done(s, st, err);
}

int
sqlite_write_broken(struct store *base, int64_t run_id, int64_t line_no,
    const char *reason, const char *text, size_t len, struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	sqlite3_stmt *st = s->insert_broken;

	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, line_no);
	sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, (int)len, SQLITE_STATIC);
	return step_done(s, st, err);
}

int
sqlite_begin(struct store *base, struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	if (s->in_tx)
		return 0;
	/* Take the write lock now: a deferred transaction could not wait. */
	if (store_check_file(s, err) < 0 ||
	    exec(s, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	s->in_tx = 1;
	s->tx_sample_id = s->last_sample_id;
	s->tx_shapes = NULL;
	return 0;
}

void
sqlite_rollback(struct store *base)
{
	struct sqlite_store *s = sqlite_store_of(base);

	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
	/* The samples, shapes and ranges written in the batch are gone. */
	s->last_sample_id = s->tx_sample_id;
	memset(s->range_first, 0, sizeof s->range_first);
	for (; s->tx_shapes != NULL; s->tx_shapes = s->tx_shapes->next_new)
		s->tx_shapes->store_id = 0;
}

int
sqlite_error_is_transient(struct store *base)
{
	struct sqlite_store *s = sqlite_store_of(base);

	/* The file vanished or became read-only: waiting will not help. */
	if (s->failed)
		return 0;
	switch (sqlite3_extended_errcode(s->db) & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_PROTOCOL:
	case SQLITE_NOMEM:
		return 1;
	default:
		return 0;
	}
}

int
sqlite_commit(struct store *base, struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);
	int k;

	if (!s->in_tx)
		return 0;
	if (store_check_file(s, err) < 0) {
		/* Rolled back by store_close, which writes nothing more. */
		return -1;
	}
	for (k = 0; k < KIND_COUNT; k++)
		if (range_flush(s, k, err) < 0)
			return -1;
	if (exec(s, "COMMIT", err) < 0) {
		/* The caller rolls back, or retries the COMMIT when busy. */
		return -1;
	}
	s->in_tx = 0;
	s->tx_shapes = NULL;
	return 0;
}

int
sqlite_find_runs(struct store *base, const char *spec, int64_t **ids, int *n,
    struct buf *err)
{
	struct sqlite_store *s = sqlite_store_of(base);

	sqlite3_stmt *st;
	size_t cap = 0;
	int64_t id;
	char *end;
	int rc;

	*ids = NULL;
	*n = 0;
	if (spec == NULL || strcmp(spec, "latest") == 0)
		rc = prepare(s, "SELECT max(id) FROM runs HAVING max(id) "
		    "IS NOT NULL", &st, err);
	else if (strcmp(spec, "all") == 0)
		rc = prepare(s, "SELECT id FROM runs ORDER BY id", &st, err);
	else {
		id = strtoll(spec, &end, 10);
		if (*spec != '\0' && *end == '\0') {
			rc = prepare(s, "SELECT id FROM runs WHERE id = ?",
			    &st, err);
			if (rc == 0)
				sqlite3_bind_int64(st, 1, id);
		} else {
			rc = prepare(s, "SELECT max(id) FROM runs WHERE "
			    "name = ? HAVING max(id) IS NOT NULL", &st, err);
			if (rc == 0)
				sqlite3_bind_text(st, 1, spec, -1,
				    SQLITE_STATIC);
		}
	}
	if (rc < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ids = xgrow(*ids, &cap, (size_t)*n + 1, sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		buf_addf(err, "'%s': %s", s->path, sqlite3_errmsg(s->db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	if (*n == 0) {
		if (spec == NULL || strcmp(spec, "latest") == 0 ||
		    strcmp(spec, "all") == 0)
			buf_addf(err, "'%s' holds no run yet", s->path);
		else
			buf_addf(err, "no run '%s' in '%s'", spec, s->path);
		return -1;
	}
	return 0;
}

/* A store that could not be opened: worth trying again when locked. */
static int
sqlite_open_failed_transient(const struct buf *err)
{
	return strstr(buf_str(err), "locked") != NULL;
}

/* Any --db value without a URI scheme ("postgresql://") is a file path. */
static int
sqlite_claims(const char *db)
{
	size_t n = strspn(db, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

	return !(n > 0 && isalpha((unsigned char)db[0]) &&
	    strncmp(db + n, "://", 3) == 0);
}

const struct store_engine store_engine_sqlite = {
	.name = "sqlite",
	.claims = sqlite_claims,
	.open = sqlite_open,
	.open_failed_transient = sqlite_open_failed_transient,
	.open_reader = sqlite_open_reader,
	.close = sqlite_close,
	.read_snapshot = sqlite_read_snapshot,
	.path = sqlite_path,
	.run_begin = sqlite_run_begin,
	.run_input = sqlite_run_input,
	.run_input_end = sqlite_run_input_end,
	.run_update = sqlite_run_update,
	.write_record = sqlite_write_record,
	.write_segment = sqlite_write_segment,
	.write_broken = sqlite_write_broken,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.error_is_transient = sqlite_error_is_transient,
	.find_runs = sqlite_find_runs,
	.run_get = sqlite_run_get,
	.runs_list = sqlite_runs_list,
	.segments = sqlite_segments,
	.cursor_open = sqlite_cursor_open,
	.cursor_open_backward = sqlite_cursor_open_backward,
	.cursor_next = sqlite_cursor_next,
	.cursor_close = sqlite_cursor_close,
	.query = sqlite_query,
};
