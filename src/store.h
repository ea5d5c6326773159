/*
 * store.h - the SQLite store: schema, migrations, writing runs, finding
 * them again.  The schema is described in tracestat-db(5).
 */
#ifndef TRACESTAT_STORE_H
#define TRACESTAT_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "buf.h"
#include "record.h"

#define STORE_SCHEMA_VERSION 3
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
 * that snapshot into *token (when not NULL): two connections with equal
 * tokens see the same rows.  store_open does this for a read-only store.
 */
int store_read_snapshot(sqlite3 *db, struct buf *token, struct buf *err);

/*
 * Can the ingest of process pid on host still be running?  1 unless it
 * is known to be gone.  The SQL function run_status(status, pid, host)
 * of every connection gives 'abandoned' for a 'running' run whose
 * writer is gone; opening a store writable marks such runs for good.
 */
int store_writer_alive(int64_t pid, const char *host);
sqlite3 *store_db(struct store *s);
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

#endif
