/*
 * writer.h - store a run from a thread of its own, through a bounded queue.
 *
 * The reading loop of ingest must never wait for the store: a locked,
 * slow, frozen or full store would otherwise stall the program whose
 * output passes through.  The loop queues what it parsed (records, broken
 * lines, segments, and marks carrying the run's counts) and goes on; the
 * writer thread opens the store, creates the run and writes the queue in
 * short transactions, one per mark or per WRITER_BATCH_OPS.  A write that
 * fails for a while (the store is locked, full, its file system frozen or
 * failing) is rolled back and tried again with back-off, for ever; the
 * records wait in the queue.  Only when the queue holds more than its cap
 * does writer_record refuse a record: the caller drops and counts it.
 *
 * The writer never prints: writer_state tells the caller how it is doing.
 */
#ifndef TRACESTAT_WRITER_H
#define TRACESTAT_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "record.h"
#include "store.h"

/*
 * Records and other operations written in one transaction at most, and
 * their bytes: the writer starts on what is queued once either is
 * reached, so that reading a file overlaps with writing.
 */
#define WRITER_BATCH_OPS 10000
#define WRITER_BATCH_BYTES ((size_t)2 << 20)
/* The default cap of the queue, in bytes (--backlog). */
#define WRITER_DEFAULT_CAP ((size_t)64 << 20)
/*
 * A reader that can wait for room (it reads a file: nobody is held back)
 * waits once this much is queued: more would only cost memory.
 */
#define WRITER_WAIT_CAP ((size_t)8 << 20)
/* Back-off between attempts: from the first to the last, doubling. */
#define WRITER_BACKOFF_FIRST_MS 20
#define WRITER_BACKOFF_MAX_MS 1000

struct writer;

enum writer_health {
	WRITER_STARTING,	/* opening the store, creating the run */
	WRITER_OK,		/* the last attempt worked */
	WRITER_RETRYING,	/* the store cannot be written for now */
	WRITER_FAILED		/* for good: nothing more will be stored */
};

/* What the caller may report; a copy taken under the writer's lock. */
struct writer_state {
	enum writer_health	 health;
	int64_t			 run_id;	/* 0 until the run exists */
	int64_t			 retrying_ms;	/* how long it has failed */
	int64_t			 attempts;	/* failed attempts in a row */
	size_t			 queued_bytes;
	int64_t			 queued_ops;
	int64_t			 stored_records;
	int			 changes;	/* counts health changes */
};

/* What a run is, for creating it. */
struct writer_run {
	const char	*db_path;
	const char	*name;
	const char	*source;
	char *const	*labels;
	int		 nlabels;
};

/*
 * Start the writer thread for a new run.  run is copied.  cap is the
 * queue's cap in bytes.  Returns NULL with err set when no thread could
 * be started.
 */
struct writer *writer_start(const struct writer_run *run, size_t cap,
    struct buf *err);

/*
 * Queue a record (copied).  Returns 0, or -1 when the queue is full (the
 * caller counts it as dropped) or the writer failed for good.  With
 * wait_ms > 0 the caller can wait: the queue counts as full from
 * WRITER_WAIT_CAP (or the cap, if lower) and room is waited for, for at
 * most wait_ms (then -1).
 */
int writer_record(struct writer *w, const struct record *r, int wait_ms);
int writer_broken(struct writer *w, int64_t line_no, const char *reason,
    const char *text, size_t len, int wait_ms);

/*
 * Queue a closed segment's row (copied).  Never refused for lack of room:
 * a run without its segment rows cannot be analysed, and segments are
 * few (one per process in the stream).
 */
void writer_segment(struct writer *w, const struct segment *seg);
/* An input starts, or ends (first_line > last_line: it had no line). */
void writer_input(struct writer *w, int input_no, const char *path);
void writer_input_end(struct writer *w, int input_no, int64_t first_line,
    int64_t last_line);

/*
 * Queue the run's counts and status (reason may be NULL) with the rows of
 * its open segments (copied; their reason must be static text); the writer
 * commits when it reaches them.  Returns 0, or -1 when a mark is already
 * waiting and force is 0: marks are coalesced so that a store that is
 * gone for long does not fill the queue with them.
 */
int writer_mark(struct writer *w, const struct run_counts *c,
    const char *status, const char *reason, const struct segment *segments,
    int nsegments, int force);

/* A copy of the writer's state. */
void writer_state(struct writer *w, struct writer_state *st);
/* The last error, copied into err (empty when none). */
void writer_error(struct writer *w, struct buf *err);

/*
 * Wait up to timeout_ms for the writer to write everything queued.
 * Returns 1 when it has (or failed for good), 0 on timeout.
 */
int writer_drain(struct writer *w, int timeout_ms);

/*
 * Stop the writer.  With abandon, queued operations are dropped and a
 * transaction under way is rolled back; *dropped gets the records among
 * them.  Waits at most timeout_ms for the thread (a thread stuck in a
 * frozen file system is left behind).  Frees w.
 */
void writer_stop(struct writer *w, int abandon, int timeout_ms,
    int64_t *dropped);

#endif
