/*
 * store-pg.h - private to the PostgreSQL engine (src/store/store-pg.c,
 * which connects, creates the schema and writes through COPY, and
 * src/store/store-pg-read.c, which reads through server-side cursors).
 * Nothing else includes it.
 */
#ifndef TRACESTAT_STORE_PG_H
#define TRACESTAT_STORE_PG_H

#include <libpq-fe.h>

#include "store-engine.h"
#include "store.h"

/* Rows of one table waiting for their COPY, as COPY's text format. */
struct pg_copy {
	struct buf	 data;
	int64_t		 rows;
};

/* The tables written through COPY: one per kind, sched_p's, broken. */
#define PG_COPY_TABLES (KIND_COUNT + 2)
#define PG_COPY_SCHED_P KIND_COUNT
#define PG_COPY_BROKEN (KIND_COUNT + 1)

struct pg_store {
	struct store	 base;	/* first: the engine table */
	PGconn		*conn;
	char		*uri;		/* as given, for messages */
	int		 writable;
	int		 in_tx;		/* a write batch is open */
	int		 reading;	/* the read transaction is open */
	char		*snapshot;	/* its exported snapshot, or NULL */
	/* The SQLSTATE of the last failure, "" when none or unknown. */
	char		 sqlstate[6];
	int		 connection_lost;
	int		 timed_out;	/* the last round trip took too long */
	int		 hung;		/* and reconnecting too: give up */
	/* The batch whose COMMIT was sent but not answered, or 0. */
	int64_t		 unsure_xid;
	int64_t		 tx_xid;
	/* The batch was committed before the connection went: the writer
	 * writes it again, and this time nothing is sent. */
	int		 replaying;
	struct pg_copy	 copy[PG_COPY_TABLES];
	int64_t		 cursor_seq;	/* names cursors */
	/* The cursor whose COPY holds the connection, or NULL. */
	struct pg_cursor *streaming;
	struct shape_table *shapes;
	struct shape	*tx_shapes;
	int64_t		 last_sample_id;
	int64_t		 tx_sample_id;
	/* Ids of sched_samples_rows taken from its sequence, not used yet. */
	int64_t		 sample_ids[1024];
	int		 nsample_ids, next_sample_id, tx_next_sample_id;
};

#define pg_store_of(base) ((struct pg_store *)(base))

/* The message of a failed result or connection, with what to do when the
 * role lacks a right; sets s->sqlstate and s->connection_lost. */
void pg_fail(struct pg_store *s, const PGresult *res, const char *what,
    struct buf *err);
/* Park the cursor streaming on s's connection (store-pg-read.c), so
 * the connection can take another query. */
void pg_settle(struct pg_store *s);
/* Bounded waits (a hung server is a lost one): the timeout of one round
 * trip in ms; wait for events (poll's) on the connection until deadline
 * (ms of CLOCK_MONOTONIC), or close it under libpq and set timed_out;
 * flush what libpq holds; the next result. */
#define PG_TIMEOUT_DEFAULT_S 30
int pg_timeout_ms(void);
int64_t pg_now_ms(void);
int pg_wait(struct pg_store *s, int events, int64_t deadline);
int pg_push(struct pg_store *s, int64_t deadline);
PGresult *pg_result(struct pg_store *s, int64_t deadline);
/* PQexec, or PQexecParams with params or binary, within the timeout. */
PGresult *pg_exec_params(struct pg_store *s, const char *sql, int nparams,
    const char *const *params, int binary);
#define pg_exec_wait(s, sql) pg_exec_params((s), (sql), 0, NULL, 0)
/* Run sql (no parameters) expecting no rows; -1 with err set. */
int pg_exec(struct pg_store *s, const char *sql, struct buf *err);
/* Start the read transaction (REPEATABLE READ READ ONLY) and export its
 * snapshot; with snapshot, import that one instead. */
int pg_begin_read(struct pg_store *s, const char *snapshot, struct buf *err);
struct store *pg_open(const char *uri, int writable, struct buf *err);
void pg_close(struct store *base);
int pg_store_open_failed_transient(const struct buf *err);

int pg_read_snapshot(struct store *base, struct buf *token, struct buf *err);
int pg_open_reader(struct store *base, struct store **reader,
    struct buf *err);
int pg_find_runs(struct store *base, const char *spec, int64_t **ids,
    int *n, struct buf *err);
int pg_run_get(struct store *base, int64_t id, struct store_run *run,
    struct buf *err);
int pg_runs_list(struct store *base, struct store_run **runs, size_t *n,
    struct buf *err);
int pg_segments(struct store *base, int64_t run_id, int segment,
    struct store_segment **segs, size_t *n, struct buf *err);
struct store_cursor *pg_cursor_open(struct store *base, enum kind kind,
    int64_t run_id, int segment, const char *const *columns, size_t ncolumns,
    struct buf *err);
struct store_cursor *pg_cursor_open_backward(struct store *base,
    enum kind kind, int64_t run_id, int segment, const char *const *columns,
    size_t ncolumns, struct buf *err);
int pg_cursor_next(struct store_cursor *base, struct store_row *row,
    struct buf *err);
void pg_cursor_close(struct store_cursor *base);
int pg_query(struct store *base, const char *sql,
    const struct store_query_sink *sink, struct buf *err);

#endif
