#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "writer.h"
#include "store-shape.h"
#include "xalloc.h"
#include "banned.h"

enum op_type {
	OP_RECORD,
	OP_BROKEN,
	OP_SEGMENT,
	OP_INPUT,
	OP_INPUT_END,
	OP_MARK
};

struct op {
	struct op		*next;
	enum op_type		 type;
	size_t			 size;		/* bytes counted in the queue */
	union {
		struct record	 record;
		struct segment	 segment;
		struct {
			int64_t	 line_no;
			int64_t	 last_line;
			int	 input_no;
			size_t	 len;
		} line;
		struct {
			struct run_counts counts;
			/* Open segments; their reasons are static text. */
			struct segment	*segments;
			int		 nsegments;
		} mark;
	} u;
	/* Strings of the operation, owned by it. */
	char			*text;		/* raw, path, status */
	char			*extra;		/* rule, reason */
};

struct writer {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 work;		/* the writer has something to do */
	pthread_cond_t	 done;		/* the queue shrank, or health changed */
	struct writer_run run;
	char		*strings[3];	/* the run's own copies */
	char		**labels;
	size_t		 cap;

	struct op	*head, *tail;
	int64_t		 nops;
	size_t		 bytes;
	int		 marks;		/* marks in the queue */
	int		 room_wanted;	/* a reader waits for room */
	int		 stop;		/* finish what is queued, then end */
	int		 abandon;	/* end now */
	int		 exited;
	int		 started;	/* the thread exists */

	struct store	*store;		/* the thread's own */
	struct shape_table *shapes;	/* the thread's own */
	/* Copies of the rules' names: the grammar may go before the thread. */
	struct {
		const char	*name;
		char		*copy;
	}		*rules;
	size_t		 nrules, rules_cap, last_rule;
	enum writer_health health;
	int64_t		 run_id;
	int64_t		 failing_since;	/* ms, or -1 */
	int64_t		 attempts;
	int64_t		 stored_records;
	int		 changes;
	struct buf	 error;
};

static int64_t
writer_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
deadline_in(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

static void
op_free(struct op *op)
{
	if (op->type == OP_RECORD) {
		free(op->u.record.lists[0]);
		free(op->u.record.lists[1]);
	}
	if (op->type == OP_MARK)
		free(op->u.mark.segments);
	free(op->text);
	free(op->extra);
	free(op);
}

/* This thread's copy of a rule's name (the reading thread's). */
static const char *
rule_copy(struct writer *w, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	if (w->last_rule < w->nrules && w->rules[w->last_rule].name == name)
		return w->rules[w->last_rule].copy;
	for (i = 0; i < w->nrules; i++)
		if (w->rules[i].name == name)
			break;
	if (i == w->nrules) {
		w->rules = xgrow(w->rules, &w->rules_cap, w->nrules + 1,
		    sizeof *w->rules);
		w->rules[i].name = name;
		w->rules[i].copy = xstrdup(name);
		w->nrules++;
	}
	w->last_rule = i;
	return w->rules[i].copy;
}

/*
 * Copy a record with everything it points to, in one allocation.  The
 * bytes each column was read from are pointed to in the copy of the
 * line, for the writer thread to tell the line's shape (store-shape.h).
 */
static struct op *
op_record(struct writer *w, const struct record *r)
{
	const struct kind_info *ki = schema_kind(r->kind);
	const char *raw = r->raw != NULL ? r->raw : "";
	size_t i, rlen = r->raw != NULL ? r->raw_len : 0;
	size_t textlen = rlen + 1 + r->extra.len + 1;
	struct op *op;
	struct record *c;
	char *p;

	for (i = 0; i < ki->ncolumns; i++)
		if (r->columns[i].type == VAL_TEXT)
			textlen += r->columns[i].len + 1;
	op = xmalloc(sizeof *op + textlen);
	memset(op, 0, offsetof(struct op, u));
	c = &op->u.record;
	op->type = OP_RECORD;
	/* The columns the kind has, not the whole array. */
	memcpy(c, r, offsetof(struct record, columns) +
	    ki->ncolumns * sizeof r->columns[0]);
	memcpy(c->lists, r->lists, sizeof r->lists);
	memcpy(c->list_len, r->list_len, sizeof r->list_len);
	op->text = NULL;
	op->extra = NULL;
	p = (char *)(op + 1);
	memcpy(p, raw, rlen);
	c->raw = p;
	c->raw_len = rlen;
	p += rlen;
	*p++ = '\0';
	memset(&c->extra, 0, sizeof c->extra);
	if (r->extra.len > 0) {
		memcpy(p, r->extra.data, r->extra.len);
		c->extra.data = p;
		c->extra.len = r->extra.len;
		p += r->extra.len;
	}
	*p++ = '\0';
	for (i = 0; i < ki->ncolumns; i++) {
		const struct value *v = &r->columns[i];

		if (v->s != NULL && v->s >= raw && v->len <= rlen &&
		    (size_t)(v->s - raw) <= rlen - v->len)
			c->columns[i].s = c->raw + (v->s - raw);
		else if (v->type == VAL_TEXT) {
			memcpy(p, v->s, v->len);
			c->columns[i].s = p;
			p += v->len;
			*p++ = '\0';
		} else
			c->columns[i].s = NULL;
	}
	c->rule = rule_copy(w, r->rule);
	for (i = 0; i < RECORD_MAX_LISTS; i++) {
		c->lists[i] = NULL;
		if (r->lists[i] == NULL)
			continue;
		c->lists[i] = xmalloc(sizeof *r->lists[i] *
		    (r->list_len[i] + 1));
		memcpy(c->lists[i], r->lists[i], sizeof *r->lists[i] *
		    r->list_len[i]);
		textlen += sizeof *r->lists[i] * r->list_len[i];
	}
	op->size = sizeof *op + textlen;
	return op;
}

static int
op_apply(struct writer *w, struct op *op, struct buf *err)
{
	struct store *s = w->store;
	int i;

	switch (op->type) {
	case OP_RECORD:
		return store_write_record(s, w->run_id, &op->u.record,
		    shape_of(w->shapes, &op->u.record), err);
	case OP_BROKEN:
		return store_write_broken(s, w->run_id, op->u.line.line_no,
		    op->extra, op->text, op->u.line.len, err);
	case OP_SEGMENT:
		op->u.segment.reason = op->extra;
		return store_write_segment(s, w->run_id, &op->u.segment, err);
	case OP_INPUT:
		return store_run_input(s, w->run_id, op->u.line.input_no,
		    op->text, err);
	case OP_INPUT_END:
		return store_run_input_end(s, w->run_id, op->u.line.input_no,
		    op->u.line.line_no, op->u.line.last_line, err);
	case OP_MARK:
		for (i = 0; i < op->u.mark.nsegments; i++)
			if (store_write_segment(s, w->run_id,
			    &op->u.mark.segments[i], err) < 0)
				return -1;
		return store_run_update(s, w->run_id, &op->u.mark.counts,
		    op->text, op->extra, err);
	}
	return 0;
}

/* Called with the lock held. */
static void
set_health(struct writer *w, enum writer_health h)
{
	if (w->health != h) {
		w->health = h;
		w->changes++;
	}
	if (h == WRITER_OK) {
		w->failing_since = -1;
		w->attempts = 0;
	}
	pthread_cond_broadcast(&w->done);
}

/*
 * A failed attempt: note it, and wait before the next one.  Returns 0
 * to try again, -1 when the writer must end (failed for good, or told to
 * abandon).
 */
static int
writer_failed(struct writer *w, int transient, struct buf *err)
{
	struct timespec ts;
	int64_t backoff, i;
	int rc = 0;

	pthread_mutex_lock(&w->lock);
	buf_reset(&w->error);
	buf_adds(&w->error, buf_str(err));
	buf_reset(err);
	if (!transient) {
		set_health(w, WRITER_FAILED);
		pthread_mutex_unlock(&w->lock);
		return -1;
	}
	if (w->failing_since < 0)
		w->failing_since = writer_now_ms();
	w->attempts++;
	set_health(w, WRITER_RETRYING);
	backoff = WRITER_BACKOFF_FIRST_MS;
	for (i = 1; i < w->attempts && backoff < WRITER_BACKOFF_MAX_MS;
	    i++)
		backoff *= 2;
	if (backoff > WRITER_BACKOFF_MAX_MS)
		backoff = WRITER_BACKOFF_MAX_MS;
	deadline_in(&ts, (int)backoff);
	while (!w->abandon && pthread_cond_timedwait(&w->work, &w->lock,
	    &ts) != ETIMEDOUT)
		;
	if (w->abandon)
		rc = -1;
	pthread_mutex_unlock(&w->lock);
	return rc;
}

/* Open the store and create the run, trying again while it is busy. */
static int
writer_open(struct writer *w)
{
	struct buf err = BUF_INIT;
	int transient;

	for (;;) {
		if (w->store == NULL)
			w->store = store_open(w->run.db_path, 1, &err);
		if (w->store != NULL && store_run_begin(w->store, w->run.name,
		    w->run.source, w->run.labels, w->run.nlabels, &w->run_id,
		    &err) == 0)
			break;
		/*
		 * A store that cannot be opened is tried again only when
		 * it is locked, or its server is down or starting.
		 */
		transient = w->store != NULL ?
		    store_error_is_transient(w->store) :
		    store_open_failed_transient(w->run.db_path, &err);
		if (writer_failed(w, transient, &err) < 0) {
			buf_free(&err);
			return -1;
		}
	}
	pthread_mutex_lock(&w->lock);
	set_health(w, WRITER_OK);
	pthread_mutex_unlock(&w->lock);
	buf_free(&err);
	return 0;
}

/* Write the first n queued operations in one transaction. */
static int
writer_batch(struct writer *w, struct op *first, int64_t n, int64_t *records,
    struct buf *err)
{
	struct op *op = first;
	int64_t i;

	*records = 0;
	if (store_begin(w->store, err) < 0)
		return -1;
	for (i = 0; i < n; i++, op = op->next) {
		if (op_apply(w, op, err) < 0)
			return -1;
		if (op->type == OP_RECORD)
			(*records)++;
	}
	return store_commit(w->store, err);
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	struct buf err = BUF_INIT;
	struct op *first, *op;
	int64_t n, records;
	size_t size;
	int marks;

	if (writer_open(w) < 0)
		goto out;
	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->abandon && !w->stop && w->marks == 0 &&
		    w->nops < WRITER_BATCH_OPS &&
		    w->bytes < WRITER_BATCH_BYTES && !w->room_wanted)
			pthread_cond_wait(&w->work, &w->lock);
		if (w->abandon || (w->stop && w->nops == 0)) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		/* Up to the first mark, or a full batch. */
		first = w->head;
		size = 0;
		for (n = 0, op = first; op != NULL && n < WRITER_BATCH_OPS &&
		    size < WRITER_BATCH_BYTES; op = op->next) {
			n++;
			size += op->size;
			if (op->type == OP_MARK)
				break;
		}
		pthread_mutex_unlock(&w->lock);

		while (writer_batch(w, first, n, &records, &err) < 0) {
			int transient = store_error_is_transient(w->store);

			store_rollback(w->store);
			if (writer_failed(w, transient, &err) < 0)
				goto out;
		}

		pthread_mutex_lock(&w->lock);
		size = 0;
		marks = 0;
		for (; n > 0; n--) {
			op = w->head;
			w->head = op->next;
			size += op->size;
			marks += op->type == OP_MARK;
			op_free(op);
			w->nops--;
		}
		if (w->head == NULL)
			w->tail = NULL;
		w->bytes -= size;
		w->marks -= marks;
		w->stored_records += records;
		set_health(w, WRITER_OK);
		pthread_mutex_unlock(&w->lock);
	}
out:
	pthread_mutex_lock(&w->lock);
	w->exited = 1;
	pthread_cond_broadcast(&w->done);
	pthread_mutex_unlock(&w->lock);
	buf_free(&err);
	return NULL;
}

struct writer *
writer_start(const struct writer_run *run, size_t cap, struct buf *err)
{
	struct writer *w = xcalloc(1, sizeof *w);
	sigset_t all, old;
	int i, rc;

	w->run = *run;
	w->strings[0] = xstrdup(run->db_path);
	w->strings[1] = run->name != NULL ? xstrdup(run->name) : NULL;
	w->strings[2] = xstrdup(run->source != NULL ? run->source : "-");
	w->run.db_path = w->strings[0];
	w->run.name = w->strings[1];
	w->run.source = w->strings[2];
	w->labels = xcalloc((size_t)run->nlabels + 1, sizeof *w->labels);
	for (i = 0; i < run->nlabels; i++)
		w->labels[i] = xstrdup(run->labels[i]);
	w->run.labels = w->labels;
	w->cap = cap;
	w->failing_since = -1;
	w->health = WRITER_STARTING;
	w->shapes = shape_table_new();
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	/*
	 * Signals go to the reading thread: a signal taken by this one
	 * would not end a read that waits.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, writer_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	w->started = rc == 0;
	if (rc != 0) {
		buf_addf(err, "cannot start the store's thread: %s",
		    strerror(rc));
		writer_stop(w, 1, 0, NULL);
		return NULL;
	}
	return w;
}

/* Append op; with a cap, refuse it (-1) unless room comes in wait_ms. */
static int
enqueue(struct writer *w, struct op *op, int capped, int wait_ms)
{
	struct timespec ts;
	size_t cap = w->cap;

	if (wait_ms > 0 && cap > WRITER_WAIT_CAP)
		cap = WRITER_WAIT_CAP;
	pthread_mutex_lock(&w->lock);
	if (capped && w->bytes + op->size > cap && wait_ms > 0) {
		/* Write what is there without waiting for a mark. */
		w->room_wanted = 1;
		pthread_cond_signal(&w->work);
		deadline_in(&ts, wait_ms);
		while (w->bytes + op->size > cap && !w->exited &&
		    pthread_cond_timedwait(&w->done, &w->lock, &ts) !=
		    ETIMEDOUT)
			;
		w->room_wanted = 0;
	}
	if (w->exited || (capped && w->bytes + op->size > cap &&
	    w->nops > 0)) {
		pthread_mutex_unlock(&w->lock);
		op_free(op);
		return -1;
	}
	if (w->tail != NULL)
		w->tail->next = op;
	else
		w->head = op;
	w->tail = op;
	w->nops++;
	w->bytes += op->size;
	if (op->type == OP_MARK)
		w->marks++;
	if (op->type == OP_MARK || w->nops >= WRITER_BATCH_OPS ||
	    w->bytes >= WRITER_BATCH_BYTES)
		pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

int
writer_record(struct writer *w, const struct record *r, int wait_ms)
{
	if (schema_kind(r->kind)->table == NULL)
		return 0;
	return enqueue(w, op_record(w, r), 1, wait_ms);
}

int
writer_broken(struct writer *w, int64_t line_no, const char *reason,
    const char *text, size_t len, int wait_ms)
{
	struct op *op = xcalloc(1, sizeof *op);

	op->type = OP_BROKEN;
	op->u.line.line_no = line_no;
	op->u.line.len = len;
	op->text = xmalloc(len + 1);
	memcpy(op->text, text, len);
	op->text[len] = '\0';
	op->extra = xstrdup(reason);
	op->size = sizeof *op + len + strlen(reason) + 2;
	return enqueue(w, op, 1, wait_ms);
}

void
writer_segment(struct writer *w, const struct segment *seg)
{
	struct op *op = xcalloc(1, sizeof *op);

	op->type = OP_SEGMENT;
	op->u.segment = *seg;
	op->extra = xstrdup(seg->reason != NULL ? seg->reason : "");
	op->size = sizeof *op + strlen(op->extra) + 1;
	enqueue(w, op, 0, 0);
}

void
writer_input(struct writer *w, int input_no, const char *path)
{
	struct op *op = xcalloc(1, sizeof *op);

	op->type = OP_INPUT;
	op->u.line.input_no = input_no;
	op->text = xstrdup(path);
	op->size = sizeof *op + strlen(path) + 1;
	enqueue(w, op, 0, 0);
}

void
writer_input_end(struct writer *w, int input_no, int64_t first_line,
    int64_t last_line)
{
	struct op *op = xcalloc(1, sizeof *op);

	op->type = OP_INPUT_END;
	op->u.line.input_no = input_no;
	op->u.line.line_no = first_line;
	op->u.line.last_line = last_line;
	op->size = sizeof *op;
	enqueue(w, op, 0, 0);
}

int
writer_mark(struct writer *w, const struct run_counts *c, const char *status,
    const char *reason, const struct segment *segments, int nsegments,
    int force)
{
	struct op *op;
	int marks;

	pthread_mutex_lock(&w->lock);
	marks = w->marks;
	pthread_mutex_unlock(&w->lock);
	if (marks > 0 && !force)
		return -1;
	op = xcalloc(1, sizeof *op);
	op->type = OP_MARK;
	op->u.mark.counts = *c;
	if (nsegments > 0) {
		op->u.mark.segments = xcalloc((size_t)nsegments,
		    sizeof *segments);
		memcpy(op->u.mark.segments, segments, sizeof *segments *
		    (size_t)nsegments);
		op->u.mark.nsegments = nsegments;
	}
	op->text = xstrdup(status);
	op->extra = reason != NULL ? xstrdup(reason) : NULL;
	op->size = sizeof *op + strlen(status) + 1 +
	    (reason != NULL ? strlen(reason) + 1 : 0) +
	    sizeof *segments * (size_t)nsegments;
	return enqueue(w, op, 0, 0);
}

void
writer_state(struct writer *w, struct writer_state *st)
{
	pthread_mutex_lock(&w->lock);
	st->health = w->health;
	st->run_id = w->run_id;
	st->retrying_ms = w->failing_since < 0 ? 0 :
	    writer_now_ms() - w->failing_since;
	st->attempts = w->attempts;
	st->queued_bytes = w->bytes;
	st->queued_ops = w->nops;
	st->stored_records = w->stored_records;
	st->changes = w->changes;
	pthread_mutex_unlock(&w->lock);
}

void
writer_error(struct writer *w, struct buf *err)
{
	pthread_mutex_lock(&w->lock);
	buf_reset(err);
	buf_adds(err, buf_str(&w->error));
	pthread_mutex_unlock(&w->lock);
}

int
writer_drain(struct writer *w, int timeout_ms)
{
	struct timespec ts;
	int drained;

	deadline_in(&ts, timeout_ms);
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_signal(&w->work);
	while (!w->exited && pthread_cond_timedwait(&w->done, &w->lock,
	    &ts) != ETIMEDOUT)
		;
	drained = w->exited;
	pthread_mutex_unlock(&w->lock);
	return drained;
}

void
writer_stop(struct writer *w, int abandon, int timeout_ms, int64_t *dropped)
{
	struct timespec ts;
	struct op *op;
	int exited, i;

	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	if (abandon)
		w->abandon = 1;
	pthread_cond_broadcast(&w->work);
	if (timeout_ms > 0) {
		deadline_in(&ts, timeout_ms);
		while (!w->exited && pthread_cond_timedwait(&w->done,
		    &w->lock, &ts) != ETIMEDOUT)
			;
	}
	exited = w->exited;
	pthread_mutex_unlock(&w->lock);
	if (dropped != NULL) {
		*dropped = 0;
		for (op = w->head; op != NULL; op = op->next)
			*dropped += op->type == OP_RECORD;
	}
	if (!exited && w->started) {
		/*
		 * Stuck in a frozen file system: leave the thread behind.  The
		 * store's journal keeps the store whole when the process ends.
		 */
		return;
	}
	if (w->started)
		pthread_join(w->thread, NULL);
	while ((op = w->head) != NULL) {
		w->head = op->next;
		op_free(op);
	}
	store_close(w->store);
	shape_table_free(w->shapes);
	for (i = 0; i < (int)w->nrules; i++)
		free(w->rules[i].copy);
	free(w->rules);
	buf_free(&w->error);
	for (i = 0; i < 3; i++)
		free(w->strings[i]);
	for (i = 0; i < w->run.nlabels; i++)
		free(w->labels[i]);
	free(w->labels);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->done);
	free(w);
}
