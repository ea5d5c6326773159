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

#define STORE_SCHEMA_VERSION 2
/* PRAGMA application_id: "TrSt" */
#define STORE_APPLICATION_ID 0x54725374

struct store;

struct run_counts {
	int64_t	lines, trace_lines, other_lines, gc_cycles, sched_samples;
	int64_t	repaired, unrecognised, overlong, invalid_values, segments;
	int64_t	bytes;
};

/*
 * Open path.  With writable, create it if needed and bring its schema up
 * to date; else open it read-only (it must exist and be a tracestat
 * store).  Returns NULL with err set.
 */
struct store *store_open(const char *path, int writable, struct buf *err);
void store_close(struct store *s);
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
    const struct run_counts *c, const char *status, struct buf *err);

int store_write_record(struct store *s, int64_t run_id,
    const struct record *r, struct buf *err);
int store_write_segment(struct store *s, int64_t run_id,
    const struct segment *seg, struct buf *err);
int store_write_broken(struct store *s, int64_t run_id, int64_t line_no,
    const char *reason, const char *text, size_t len, struct buf *err);

/* Transactions for batching writes. */
int store_begin(struct store *s, struct buf *err);
int store_commit(struct store *s, struct buf *err);

/*
 * Resolve a run given as ID, NAME, "latest" or "all" into ids.  *ids is
 * allocated (the caller frees it).  Returns 0, or -1 with err set (no such
 * run, or an empty store).
 */
int store_find_runs(struct store *s, const char *spec, int64_t **ids,
    int *n, struct buf *err);

#endif
