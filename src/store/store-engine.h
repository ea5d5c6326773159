/*
 * store-engine.h - what a store engine gives src/store/store.c: one table
 * of functions per engine (git's struct ref_storage_be), filled in by the
 * engine's own files.  Private to store.c and the engines; callers see
 * store.h alone.
 *
 * Each function is the store.h function of the same name (store_X is
 * engine->X) and says what that one says.  An engine's store begins with
 * a struct store and its cursors with a struct store_cursor, so the
 * table is found from either.
 */
#ifndef TRACESTAT_STORE_ENGINE_H
#define TRACESTAT_STORE_ENGINE_H

#include "store.h"

struct store_engine {
	const char	*name;
	/*
	 * Is db (a --db value) a store of this engine's?  The first engine
	 * of the list that claims it opens it.
	 */
	int	(*claims)(const char *db);
	struct store *(*open)(const char *db, int writable, struct buf *err);
	/* After open failed in this thread: can trying again work? */
	int	(*open_failed_transient)(const struct buf *err);
	int	(*open_reader)(struct store *s, struct store **reader,
		    struct buf *err);
	void	(*close)(struct store *s);
	int	(*read_snapshot)(struct store *s, struct buf *token,
		    struct buf *err);
	const char *(*path)(const struct store *s);

	int	(*run_begin)(struct store *s, const char *name,
		    const char *source, char *const *labels, int nlabels,
		    int64_t *run_id, struct buf *err);
	int	(*run_input)(struct store *s, int64_t run_id, int input_no,
		    const char *path, struct buf *err);
	int	(*run_input_end)(struct store *s, int64_t run_id,
		    int input_no, int64_t first_line, int64_t last_line,
		    struct buf *err);
	int	(*run_update)(struct store *s, int64_t run_id,
		    const struct run_counts *c, const char *status,
		    const char *reason, struct buf *err);
	int	(*write_record)(struct store *s, int64_t run_id,
		    const struct record *r, struct shape *sh, struct buf *err);
	int	(*write_segment)(struct store *s, int64_t run_id,
		    const struct segment *seg, struct buf *err);
	int	(*write_broken)(struct store *s, int64_t run_id,
		    int64_t line_no, const char *reason, const char *text,
		    size_t len, struct buf *err);
	int	(*begin)(struct store *s, struct buf *err);
	int	(*commit)(struct store *s, struct buf *err);
	void	(*rollback)(struct store *s);
	int	(*error_is_transient)(struct store *s);

	int	(*find_runs)(struct store *s, const char *spec, int64_t **ids,
		    int *n, struct buf *err);
	int	(*run_get)(struct store *s, int64_t id, struct store_run *run,
		    struct buf *err);
	int	(*runs_list)(struct store *s, struct store_run **runs,
		    size_t *n, struct buf *err);
	int	(*segments)(struct store *s, int64_t run_id, int segment,
		    struct store_segment **segs, size_t *n, struct buf *err);
	struct store_cursor *(*cursor_open)(struct store *s, enum kind kind,
		    int64_t run_id, int segment, const char *const *columns,
		    size_t ncolumns, struct buf *err);
	struct store_cursor *(*cursor_open_backward)(struct store *s,
		    enum kind kind, int64_t run_id, int segment,
		    const char *const *columns, size_t ncolumns,
		    struct buf *err);
	int	(*cursor_next)(struct store_cursor *c, struct store_row *row,
		    struct buf *err);
	void	(*cursor_close)(struct store_cursor *c);
	int	(*query)(struct store *s, const char *sql,
		    const struct store_query_sink *sink, struct buf *err);
};

/*
 * For an engine's run_get: the first of the n runs an engine read (its
 * list, all freed but that one) into *run.  Returns 0, or 1 when n is 0
 * (no such run).
 */
int store_runs_take_first(struct store_run *runs, size_t n,
    struct store_run *run);

/* The head of every engine's store and cursor. */
struct store {
	const struct store_engine *engine;
};

struct store_cursor {
	const struct store_engine *engine;
};

/*
 * For the engines: append to sql the columns of kind's rows named in
 * columns[0..ncolumns-1] (at most max), as store_cursor_open says, or
 * return -1 with err set.
 */
int store_cursor_columns(enum kind kind, const char *const *columns,
    size_t ncolumns, size_t max, struct buf *sql, struct buf *err);
/* Now, UTC, as the runs table keeps times: 2026-11-27T21:17:41.589Z. */
void store_now_iso(char *out, size_t size);

/* The engines, in the order they are asked to claim a --db value. */
extern const struct store_engine store_engine_sqlite;
extern const struct store_engine store_engine_pg;	/* store-pg.c */

#endif
