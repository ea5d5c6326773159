/*
 * store-sqlite.h - private to the SQLite engine (src/store/store-sqlite.c,
 * which opens, migrates and writes, src/store/store-sqlite-read.c, which
 * reads, and src/store/store-sqlite-query.c, which runs `query`'s SQL).
 * Nothing else includes it.
 */
#ifndef TRACESTAT_STORE_SQLITE_H
#define TRACESTAT_STORE_SQLITE_H

#include <sqlite3.h>
#include <sys/types.h>

#include "store-engine.h"
#include "store.h"

struct sqlite_store {
	struct store	 base;	/* first: the engine table */
	sqlite3		*db;
	char		*path;
	int		 writable;
	int		 in_tx;
	sqlite3_stmt	*insert[KIND_COUNT];
	sqlite3_stmt	*insert_list_p;
	sqlite3_stmt	*insert_broken;
	sqlite3_stmt	*upsert_segment;
	sqlite3_stmt	*find_rule, *insert_rule, *insert_piece;
	int		 sample_col[KIND_COUNT];	/* -1: none */
	/* Shapes of lines written whole without one from the caller. */
	struct shape_table *shapes;
	/* Shapes given a rules.id in the open transaction. */
	struct shape	*tx_shapes;
	/*
	 * The ids written in the open transaction, per kind (0: none): the
	 * run's row of run_ranges is widened to them when it commits.
	 */
	int64_t		 range_run[KIND_COUNT];
	int64_t		 range_first[KIND_COUNT], range_last[KIND_COUNT];
	sqlite3_stmt	*upsert_range;
	int64_t		 last_sample_id;
	int64_t		 tx_sample_id;	/* last_sample_id at store_begin */
	/* The file a writer opened, to notice it vanish or be replaced. */
	dev_t		 dev;
	ino_t		 ino;
	int		 failed;	/* the file check failed once */
};


/* A SQLite store or cursor from the engine-neutral head. */
#define sqlite_store_of(base) ((struct sqlite_store *)(base))
#define sqlite_cursor_of(base) ((struct sqlite_cursor *)(base))

/* The engine's functions (store-engine.h), in its two files. */
struct store *sqlite_open(const char *path, int writable, struct buf *err);
void sqlite_close(struct store *base);
int sqlite_read_snapshot(struct store *base, struct buf *token,
    struct buf *err);
const char *sqlite_path(const struct store *base);
int sqlite_run_begin(struct store *base, const char *name, const char *source,
    char *const *labels, int nlabels, int64_t *run_id, struct buf *err);
int sqlite_run_input(struct store *base, int64_t run_id, int input_no,
    const char *path, struct buf *err);
int sqlite_run_input_end(struct store *base, int64_t run_id, int input_no,
    int64_t first_line, int64_t last_line, struct buf *err);
int sqlite_run_update(struct store *base, int64_t run_id,
    const struct run_counts *c, const char *status, const char *reason,
    struct buf *err);
int sqlite_write_record(struct store *base, int64_t run_id,
    const struct record *r, struct shape *sh, struct buf *err);
int sqlite_write_segment(struct store *base, int64_t run_id,
    const struct segment *seg, struct buf *err);
int sqlite_write_broken(struct store *base, int64_t run_id, int64_t line_no,
    const char *reason, const char *text, size_t len, struct buf *err);
int sqlite_begin(struct store *base, struct buf *err);
int sqlite_commit(struct store *base, struct buf *err);
void sqlite_rollback(struct store *base);
int sqlite_error_is_transient(struct store *base);
int sqlite_find_runs(struct store *base, const char *spec, int64_t **ids,
    int *n, struct buf *err);
int sqlite_run_get(struct store *base, int64_t id, struct store_run *run,
    struct buf *err);
int sqlite_runs_list(struct store *base, struct store_run **runs, size_t *n,
    struct buf *err);
int sqlite_segments(struct store *base, int64_t run_id, int segment,
    struct store_segment **segs, size_t *n, struct buf *err);
struct store_cursor *sqlite_cursor_open(struct store *base, enum kind kind,
    int64_t run_id, int segment, const char *const *columns, size_t ncolumns,
    struct buf *err);
struct store_cursor *sqlite_cursor_open_backward(struct store *base,
    enum kind kind, int64_t run_id, int segment, const char *const *columns,
    size_t ncolumns, struct buf *err);
int sqlite_cursor_next(struct store_cursor *base, struct store_row *row,
    struct buf *err);
void sqlite_cursor_close(struct store_cursor *base);
int sqlite_open_reader(struct store *base, struct store **reader,
    struct buf *err);
int sqlite_query(struct store *base, const char *sql,
    const struct store_query_sink *sink, struct buf *err);

#endif
