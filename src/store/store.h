/*
 * store.h - what tracestat needs from a store: open it with its version
 * checks, write runs, segments and records in batches, and read them back
 * as typed values.  Nothing here names an engine: store.c hands each
 * call to the engine of the store (store-engine.h), chosen by store_open
 * from the --db value.  The SQLite engine is store-sqlite.c (opening,
 * migrating, writing) and store-sqlite-read.c (reading), sharing the
 * private store-sqlite.h; the PostgreSQL engine (a postgresql:// --db)
 * is store-pg.c and store-pg-read.c.  The schema, the same in both, is
 * described in tracestat-db(5).
 */
#ifndef TRACESTAT_STORE_H
#define TRACESTAT_STORE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "record.h"

/* The one place the schema version is set: the SQLite engine takes its
 * frozen DDL (src/store/sql/vN.sql) by this number. */
#define STORE_SCHEMA_VERSION 4
/* PRAGMA application_id: "TrSt" */
#define STORE_APPLICATION_ID 0x54725374

struct store;

struct run_counts {
	int64_t	lines, trace_lines, other_lines, gc_cycles, sched_samples;
	int64_t	repaired, unrecognised, overlong, invalid_values, segments;
	int64_t	bytes;
	int64_t	dropped;	/* records not stored: the queue was full */
};

/* How long one statement waits for another writer's lock (ms). */
#define STORE_BUSY_MS 200

/*
 * Open path.  With writable, create it if needed and bring its schema up
 * to date; else open it read-only (it must exist and be a tracestat
 * store).  Returns NULL with err set.
 */
struct store *store_open(const char *path, int writable, struct buf *err);
void store_close(struct store *s);

/*
 * Start the read transaction of a reading command, so that everything it
 * reads comes from one snapshot of a live store, and put a token naming
 * that snapshot into *token (when not NULL): two handles with equal
 * tokens see the same rows.  store_open does this for a read-only store.
 */
int store_read_snapshot(struct store *s, struct buf *token,
    struct buf *err);

/*
 * Can the ingest of process pid on host still be running?  1 unless it
 * is known to be gone.  The SQL function run_status(status, pid, host)
 * of every connection gives 'abandoned' for a 'running' run whose
 * writer is gone; opening a store writable marks such runs for good.
 */
int store_writer_alive(int64_t pid, const char *host);
const char *store_path(const struct store *s);

/* Start a run; labels is an array of "key=value" strings. */
int store_run_begin(struct store *s, const char *name, const char *source,
    char *const *labels, int nlabels, int64_t *run_id, struct buf *err);
int store_run_input(struct store *s, int64_t run_id, int input_no,
    const char *path, struct buf *err);
int store_run_input_end(struct store *s, int64_t run_id, int input_no,
    int64_t first_line, int64_t last_line, struct buf *err);
int store_run_update(struct store *s, int64_t run_id,
    const struct run_counts *c, const char *status, const char *reason,
    struct buf *err);

/*
 * Write record r.  sh is the shape of its line (see store-shape.h),
 * taken while r's column bytes were valid: the line's text is stored
 * only when sh is a whole-line shape, or NULL.
 */
struct shape;
int store_write_record(struct store *s, int64_t run_id,
    const struct record *r, struct shape *sh, struct buf *err);
int store_write_segment(struct store *s, int64_t run_id,
    const struct segment *seg, struct buf *err);
int store_write_broken(struct store *s, int64_t run_id, int64_t line_no,
    const char *reason, const char *text, size_t len, struct buf *err);

/*
 * Transactions for batching writes.  store_begin takes the write lock at
 * once.  After a failed write or commit, store_rollback undoes the batch;
 * store_error_is_transient says whether trying it again later can work
 * (the store is locked, full, or its file system failed for a while).
 */
int store_begin(struct store *s, struct buf *err);
int store_commit(struct store *s, struct buf *err);
void store_rollback(struct store *s);
int store_error_is_transient(struct store *s);

/*
 * Resolve a run given as ID, NAME, "latest" or "all" into ids.  *ids is
 * allocated (the caller frees it).  Returns 0, or -1 with err set (no such
 * run, or an empty store).
 */
int store_find_runs(struct store *s, const char *spec, int64_t **ids,
    int *n, struct buf *err);

/*
 * Reading.  Every function below reads the snapshot of a read-only store
 * (see store_read_snapshot), returns 0 or 1 (see each), or -1 with err
 * set, and allocates only what it says the caller frees.
 *
 * Records come back row by row through a cursor with the columns asked
 * for by name, never as an engine's statement: the analyses aggregate in
 * C over the rows (one pass, no sort the store must do), which any engine
 * can serve with one ordered scan.  The only aggregates the interface
 * keeps are the counts a run and a segment carry anyway.
 */

/* A run, as the runs table holds it. */
struct store_run {
	int64_t		 id;
	char		*name;		/* NULL: none given */
	char		*source;	/* what was read: paths, "-", ... */
	char		*started_at;	/* ISO 8601 UTC, ms */
	char		*ended_at;	/* NULL while running */
	/* running, complete, interrupted, failed, or "abandoned" for a
	 * running run whose ingest is gone (store_writer_alive). */
	char		*status;
	char		*reason;	/* why it ended so; NULL: no reason */
	int		 has_pid;
	int64_t		 pid;		/* of the ingest that wrote it */
	char		*host;		/* NULL: unknown (older stores) */
	struct run_counts counts;
	char		**labels;	/* "key=value", sorted by key */
	size_t		 nlabels;
	char		*tracestat_version;	/* of the ingest */
};

/*
 * Read run id into *run (0), or leave it empty and return 1 when there is
 * no such run.  The caller frees it with store_run_free, also after -1.
 */
int store_run_get(struct store *s, int64_t id, struct store_run *run,
    struct buf *err);

/* Every run in id order into *runs (the caller frees it with
 * store_runs_free, also after -1). */
int store_runs_list(struct store *s, struct store_run **runs, size_t *n,
    struct buf *err);

void store_run_free(struct store_run *run);
void store_runs_free(struct store_run *runs, size_t n);

/*
 * A segment of a run, as store_write_segment left it.  The values that
 * can be unknown are struct values: VAL_NULL when unknown, else VAL_INT
 * (or, in a damaged store, whatever type it holds: see struct store_row).
 */
struct store_segment {
	int64_t		 run_id;
	int		 segment;	/* from 1 */
	char		*reason;	/* why it started */
	int64_t		 first_line, last_line;
	char		*go_min, *go_max;	/* "1.18"; NULL: not known */
	int64_t		 gc_cycles, forced_cycles, periodic_cycles;
	int64_t		 sched_samples, repaired_records;
	struct value	 first_gc_num, last_gc_num;
	struct value	 first_ms, last_ms;		/* gc start times */
	struct value	 first_sched_ms, last_sched_ms;
};

/*
 * Every segment, where a segment number is asked for.  Segments are
 * numbered from 1, but a damaged store may hold any number, and such a
 * segment still selects only itself.
 */
#define STORE_ALL_SEGMENTS INT_MIN

/*
 * The segments of run run_id in segment order (only segment `segment`
 * unless it is STORE_ALL_SEGMENTS) into *segs, none when there are none.
 * The caller frees them with store_segments_free, also after -1.
 */
int store_segments(struct store *s, int64_t run_id, int segment,
    struct store_segment **segs, size_t *n, struct buf *err);
void store_segments_free(struct store_segment *segs, size_t n);

/*
 * One record of a cursor.  values[i] is the i-th column asked for; it and
 * its text stay valid until the next store_cursor_next or close.  Numbers
 * come back with the type the store holds them in: VAL_INT with i and r
 * (= (double)i) set, VAL_REAL with r and i (r truncated toward zero,
 * clamped to int64_t) set, VAL_NULL with i = r = 0.  A damaged store may
 * hold text in a number column: VAL_TEXT, with i and r the engine's
 * numeric reading of the text.
 */
struct store_row {
	const struct value	*values;
};

struct store_cursor;

/*
 * Open a cursor over the records of kind `kind` of run run_id, segment
 * `segment`, in store order (the order they were written in;
 * STORE_ALL_SEGMENTS: of every segment), giving the columns named in
 * columns[0..ncolumns-1]: the kind's own columns (src/tracer/schema.c),
 * the common segment, line_no, wall_s and repaired, and "id", the
 * record's identity, increasing in store order (a scheduler detail's
 * sample_id is the id of its KIND_SCHED record).  Only the columns asked
 * for are read: each costs time on every row.  An unknown column or a
 * kind that is not stored is an error.  Returns NULL with err set; the
 * caller closes the cursor.
 */
struct store_cursor *store_cursor_open(struct store *s, enum kind kind,
    int64_t run_id, int segment, const char *const *columns,
    size_t ncolumns, struct buf *err);

/* The same rows newest first: the last of a kind that passes a test
 * without reading the others. */
struct store_cursor *store_cursor_open_backward(struct store *s,
    enum kind kind, int64_t run_id, int segment,
    const char *const *columns, size_t ncolumns, struct buf *err);

/* The next row into *row: 1, or 0 at the end, or -1 with err set. */
int store_cursor_next(struct store_cursor *c, struct store_row *row,
    struct buf *err);
void store_cursor_close(struct store_cursor *c);

/* Is v true as a condition: a number other than 0 (NULL is false)? */
int store_value_true(const struct value *v);

/*
 * A second reading handle on the store s reads, for another thread: 0
 * with *reader set when it sees the same snapshot as s, 1 with *reader
 * NULL when the store has changed since s's snapshot was taken (read
 * through s instead), -1 with err set.  The caller closes *reader with
 * store_close; no two threads may use one handle at once.
 */
int store_open_reader(struct store *s, struct store **reader,
    struct buf *err);

/*
 * After store_open(db) failed with err: can trying again later work (the
 * store is locked, its server is down or starting)?
 */
int store_open_failed_transient(const char *db, const struct buf *err);

/* The rows of store_query, as they come: the columns' names once, then
 * each row (VAL_NULL, VAL_INT, VAL_REAL or VAL_TEXT values, valid during
 * the call). */
struct store_query_sink {
	void	*arg;
	void	(*columns)(void *arg, const char *const *names, size_t n);
	void	(*row)(void *arg, const struct value *values, size_t n);
};

/*
 * Run one SQL statement, in the dialect of the store's engine, on a store
 * opened read-only, inside its read-only snapshot.  Returns 0; 1 with err
 * set ("SQL: ...") when the statement is refused (not SQL, more than one
 * statement, or one that would change something); -1 with err set when
 * reading failed.
 */
int store_query(struct store *s, const char *sql,
    const struct store_query_sink *sink, struct buf *err);

#endif
