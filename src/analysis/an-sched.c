#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an-sched.h"
#include "buf.h"
#include "stats.h"
#include "xalloc.h"
#include "banned.h"

/* schedtick is a uint32. */
#define SCHED_TICK_WRAP	INT64_C(4294967296)
#define SCHED_G_DEAD	6

/* One sched_p row, as read. */
struct sched_prow {
	int64_t		 id;		/* its store order */
	size_t		 sample;	/* index in r->samples */
	int		 p_idx;
	int64_t		 local_runq;	/* -1 when NULL */
	int64_t		 schedtick;	/* -1 when NULL */
	int64_t		 status;	/* -1 when NULL */
};

/* Where a sample's P rows are in the row array. */
struct sched_prange {
	size_t		 first;
	size_t		 count;
	size_t		 ticks;		/* rows with a schedtick */
};

static const char *const sched_g_status_names[] = {
	"idle", "runnable", "running", "syscall", "waiting",
	"moribund", "dead", "enqueue", "copystack", "preempted"
};

static const char *const sched_p_status_names[] = {
	"idle", "running", "syscall", "gcstop", "dead"
};

const char *
sched_g_status_name(int64_t status)
{
	if (status < 0 || (size_t)status >= sizeof sched_g_status_names /
	    sizeof sched_g_status_names[0])
		return NULL;
	return sched_g_status_names[status];
}

const char *
sched_p_status_name(int64_t status)
{
	if (status < 0 || (size_t)status >= sizeof sched_p_status_names /
	    sizeof sched_p_status_names[0])
		return NULL;
	return sched_p_status_names[status];
}

const char *
sched_verdict_name(enum sched_verdict v)
{
	switch (v) {
	case SCHED_VERDICT_GROWING:
		return "growing";
	case SCHED_VERDICT_RISING:
		return "rising";
	case SCHED_VERDICT_STABLE:
		return "stable";
	default:
		return NULL;
	}
}

/* A value as an integer, -1 when NULL. */
static int64_t
sched_int(const struct value *v)
{
	return v->type == VAL_NULL ? -1 : v->i;
}

static int
sched_load_samples(struct store *store, struct sched_result *r,
    struct buf *err)
{
	static const char *const cols[] = { "id", "t_ms", "gomaxprocs",
	    "idle_procs", "threads", "spinning_threads", "idle_threads",
	    "global_runq", "local_runq_total", "detailed" };
	struct store_cursor *cur;
	struct store_row row;
	const struct value *v;
	struct sched_sample *x;
	size_t cap = 0;
	int rc;

	cur = store_cursor_open(store, KIND_SCHED, r->run_id, r->segment,
	    cols, sizeof cols / sizeof cols[0], err);
	if (cur == NULL)
		return -1;
	while ((rc = store_cursor_next(cur, &row, err)) == 1) {
		v = row.values;
		r->samples = xgrow(r->samples, &cap, r->n_samples + 1,
		    sizeof *r->samples);
		x = &r->samples[r->n_samples++];
		memset(x, 0, sizeof *x);
		x->id = v[0].i;
		x->t_ms = sched_int(&v[1]);
		x->gomaxprocs = sched_int(&v[2]);
		x->idle_procs = sched_int(&v[3]);
		x->threads = sched_int(&v[4]);
		x->spinning_threads = sched_int(&v[5]);
		x->idle_threads = sched_int(&v[6]);
		x->global_runq = sched_int(&v[7]);
		x->local_runq_total = sched_int(&v[8]);
		x->detailed = v[9].i != 0;
		x->backlog = -1;
		x->schedticks_delta = -1;
		x->schedticks_per_s = -1;
		x->goroutines = -1;
		x->g_runnable = x->g_running = x->g_syscall = -1;
		x->g_waiting = -1;
	}
	store_cursor_close(cur);
	return rc < 0 ? -1 : 0;
}

static size_t
sched_find_sample(const struct sched_result *r, int64_t id)
{
	size_t lo = 0, hi = r->n_samples, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->samples[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* By sample, then P index, then store order. */
static int
sched_prow_compare(const void *a, const void *b)
{
	const struct sched_prow *x = a, *y = b;

	if (x->sample != y->sample)
		return x->sample < y->sample ? -1 : 1;
	if (x->p_idx != y->p_idx)
		return x->p_idx < y->p_idx ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* The P rows of the samples read, by sample and P index. */
static int
sched_load_procs(struct store *store, struct sched_result *r,
    struct sched_prow **rows, size_t *n, struct buf *err)
{
	static const char *const cols[] = { "sample_id", "p_idx",
	    "local_runq", "schedtick", "status", "id" };
	struct store_cursor *cur;
	struct store_row row;
	const struct value *v;
	struct sched_prow *p;
	size_t cap = 0, k;
	int rc, sorted = 1;

	*rows = NULL;
	*n = 0;
	cur = store_cursor_open(store, KIND_SCHED_P, r->run_id, r->segment,
	    cols, sizeof cols / sizeof cols[0], err);
	if (cur == NULL)
		return -1;
	while ((rc = store_cursor_next(cur, &row, err)) == 1) {
		v = row.values;
		if (v[0].type == VAL_NULL || v[1].type == VAL_NULL)
			continue;
		k = sched_find_sample(r, v[0].i);
		if (k >= r->n_samples || r->samples[k].id != v[0].i)
			continue;
		*rows = xgrow(*rows, &cap, *n + 1, sizeof **rows);
		p = &(*rows)[(*n)++];
		p->id = v[5].i;
		p->sample = k;
		p->p_idx = (int)v[1].i;
		p->local_runq = sched_int(&v[2]);
		p->schedtick = sched_int(&v[3]);
		p->status = sched_int(&v[4]);
		if (*n > 1 && sched_prow_compare(p - 1, p) > 0)
			sorted = 0;
	}
	store_cursor_close(cur);
	/* Written in this order; only a damaged store needs the sort. */
	if (rc == 0 && !sorted)
		qsort(*rows, *n, sizeof **rows, sched_prow_compare);
	return rc < 0 ? -1 : 0;
}

static void
sched_add_count(struct sched_result *r, size_t *cap, const char *group,
    const char *value, int64_t count, int partition)
{
	struct sched_count *c;

	r->counts = xgrow(r->counts, cap, r->n_counts + 1, sizeof *r->counts);
	c = &r->counts[r->n_counts++];
	c->group = group;
	c->value = xstrdup(value);
	c->count = count;
	c->partition = partition;
}

/* Backlog, saturation, idle Ps, spinning and GOMAXPROCS. */
static void
sched_occupancy(struct sched_result *r, const struct sched_prange *ranges,
    const struct sched_prow *rows)
{
	double *backlog, idle_sum = 0, spin_sum = 0;
	size_t i, k, nb = 0, nidle = 0, nspin = 0, zero = 0, cap = 0;
	struct sched_sample *x;
	int64_t local;
	int known;

	backlog = xmalloc((r->n_samples + 1) * sizeof *backlog);
	r->idle_procs_min = -1;
	r->spinning_max = -1;
	r->gomaxprocs_min = r->gomaxprocs_max = r->gomaxprocs_last = -1;
	for (i = 0; i < r->n_samples; i++) {
		x = &r->samples[i];
		if (x->detailed)
			r->detailed_samples++;
		if (x->local_runq_total < 0 && ranges[i].count > 0) {
			local = 0;
			known = 1;
			for (k = 0; k < ranges[i].count; k++) {
				/* A sum that does not fit is unknown. */
				if (rows[ranges[i].first + k].local_runq < 0 ||
				    __builtin_add_overflow(local, rows[
				    ranges[i].first + k].local_runq, &local))
					known = 0;
			}
			if (known)
				x->local_runq_total = local;
		}
		if (x->global_runq >= 0 && x->local_runq_total >= 0 &&
		    !__builtin_add_overflow(x->global_runq,
		    x->local_runq_total, &local)) {
			x->backlog = local;
			x->saturated = x->idle_procs == 0 && x->backlog > 0;
			backlog[nb++] = (double)x->backlog;
			if (x->saturated)
				r->saturated_samples++;
		}
		if (x->idle_procs >= 0) {
			idle_sum += (double)x->idle_procs;
			nidle++;
			if (x->idle_procs == 0)
				zero++;
			if (r->idle_procs_min < 0 ||
			    x->idle_procs < r->idle_procs_min)
				r->idle_procs_min = x->idle_procs;
		}
		if (x->spinning_threads >= 0) {
			spin_sum += (double)x->spinning_threads;
			nspin++;
			if (x->spinning_threads > r->spinning_max)
				r->spinning_max = x->spinning_threads;
		}
		if (x->gomaxprocs >= 0) {
			if (r->gomaxprocs_last >= 0 &&
			    x->gomaxprocs != r->gomaxprocs_last)
				r->gomaxprocs_changes++;
			if (r->gomaxprocs_last != x->gomaxprocs) {
				r->gomaxprocs_values = xgrow(
				    r->gomaxprocs_values, &cap,
				    r->n_gomaxprocs_values + 1,
				    sizeof *r->gomaxprocs_values);
				r->gomaxprocs_values[
				    r->n_gomaxprocs_values++] = x->gomaxprocs;
			}
			r->gomaxprocs_last = x->gomaxprocs;
			if (r->gomaxprocs_min < 0 ||
			    x->gomaxprocs < r->gomaxprocs_min)
				r->gomaxprocs_min = x->gomaxprocs;
			if (x->gomaxprocs > r->gomaxprocs_max)
				r->gomaxprocs_max = x->gomaxprocs;
		}
	}
	r->idle_procs_mean = nidle ? idle_sum / (double)nidle : NAN;
	r->idle_zero_share = nidle ? (double)zero / (double)nidle : NAN;
	r->spinning_mean = nspin ? spin_sum / (double)nspin : NAN;
	r->backlog_samples = (int64_t)nb;
	r->backlog_max = -1;
	r->backlog_p50 = r->backlog_p99 = r->backlog_mean = NAN;
	r->saturated_share = NAN;
	if (nb > 0) {
		r->backlog_mean = stats_mean(backlog, nb);
		stats_sort(backlog, nb);
		r->backlog_p50 = stats_percentile(backlog, nb, 50);
		r->backlog_p99 = stats_percentile(backlog, nb, 99);
		r->backlog_max = (int64_t)backlog[nb - 1];
		r->saturated_share = (double)r->saturated_samples /
		    (double)nb;
	}
	free(backlog);
}

/* Thread counts, their Theil-Sen slope and the Mann-Kendall trend. */
static void
sched_threads(struct sched_result *r)
{
	double *x, *y, intercept, s, span;
	size_t i, n = 0;

	r->threads_min = r->threads_max = -1;
	r->threads_first = r->threads_last = -1;
	r->threads_slope_per_min = r->threads_rise = NAN;
	r->threads_trend_z = r->threads_trend_p = NAN;
	r->thread_verdict = SCHED_VERDICT_UNKNOWN;
	x = xmalloc((r->n_samples + 1) * sizeof *x);
	y = xmalloc((r->n_samples + 1) * sizeof *y);
	for (i = 0; i < r->n_samples; i++) {
		if (r->samples[i].threads < 0 || r->samples[i].t_ms < 0)
			continue;
		x[n] = (double)r->samples[i].t_ms / 60000.0;
		y[n] = (double)r->samples[i].threads;
		if (r->threads_min < 0 || r->samples[i].threads <
		    r->threads_min)
			r->threads_min = r->samples[i].threads;
		if (r->samples[i].threads > r->threads_max)
			r->threads_max = r->samples[i].threads;
		if (r->threads_first < 0)
			r->threads_first = r->samples[i].threads;
		r->threads_last = r->samples[i].threads;
		n++;
	}
	if (n >= 2 && stats_theil_sen(x, y, n, &r->threads_slope_per_min,
	    &intercept) == 0) {
		span = x[n - 1] - x[0];
		r->threads_rise = r->threads_slope_per_min * span;
	}
	if (n >= 3 && stats_mann_kendall(y, n, &s, &r->threads_trend_z,
	    &r->threads_trend_p) == 0 && !isnan(r->threads_slope_per_min)) {
		int significant = r->threads_trend_z > 0 &&
		    r->threads_trend_p < SCHED_THREADS_TREND_P;

		if (significant && r->threads_rise >= SCHED_THREADS_MIN_RISE)
			r->thread_verdict = SCHED_VERDICT_GROWING;
		else if (significant &&
		    r->threads_rise >= SCHED_THREADS_SMALL_RISE)
			r->thread_verdict = SCHED_VERDICT_RISING;
		else
			r->thread_verdict = SCHED_VERDICT_STABLE;
	}
	free(x);
	free(y);
}

static struct sched_proc *
sched_proc_get(struct sched_result *r, size_t *cap, int p_idx)
{
	size_t i;

	for (i = 0; i < r->n_procs; i++)
		if (r->procs[i].p_idx == p_idx)
			return &r->procs[i];
	r->procs = xgrow(r->procs, cap, r->n_procs + 1, sizeof *r->procs);
	for (i = r->n_procs; i > 0 && r->procs[i - 1].p_idx > p_idx; i--)
		r->procs[i] = r->procs[i - 1];
	memset(&r->procs[i], 0, sizeof r->procs[i]);
	r->procs[i].p_idx = p_idx;
	r->n_procs++;
	return &r->procs[i];
}

/* Ticks between two readings of a uint32 counter that may have wrapped. */
static int64_t
sched_tick_delta(const struct sched_prow *a, const struct sched_prow *b)
{
	int64_t delta = b->schedtick - a->schedtick;

	if (delta < 0)
		delta += SCHED_TICK_WRAP;
	return delta;
}

/*
 * Per-P queues and schedtick rates.  An interval between consecutive
 * samples is usable when both have a schedtick for each of their
 * GOMAXPROCS Ps, GOMAXPROCS did not change and time went forward.
 */
static void
sched_procs(struct sched_result *r, const struct sched_prange *ranges,
    const struct sched_prow *rows, size_t nrows)
{
	const struct sched_sample *a, *b;
	struct sched_proc *p;
	double elapsed;
	size_t i, k, cap = 0;
	int64_t sum, delta;

	for (k = 0; k < nrows; k++) {
		p = sched_proc_get(r, &cap, rows[k].p_idx);
		if (rows[k].local_runq < 0)
			continue;
		p->samples++;
		p->local_runq_mean += (double)rows[k].local_runq;
		if (rows[k].local_runq > p->local_runq_max)
			p->local_runq_max = rows[k].local_runq;
	}
	for (i = 0; i < r->n_procs; i++) {
		p = &r->procs[i];
		p->local_runq_mean = p->samples ?
		    p->local_runq_mean / (double)p->samples : NAN;
		p->schedticks_per_s = -1;
	}
	r->schedticks_per_s = -1;
	for (i = 1; i < r->n_samples; i++) {
		a = &r->samples[i - 1];
		b = &r->samples[i];
		if (a->gomaxprocs <= 0 || a->gomaxprocs != b->gomaxprocs ||
		    b->t_ms <= a->t_ms ||
		    ranges[i - 1].ticks != (size_t)a->gomaxprocs ||
		    ranges[i].ticks != (size_t)b->gomaxprocs ||
		    ranges[i - 1].count != ranges[i].count)
			continue;
		for (k = 0; k < ranges[i].count; k++)
			if (rows[ranges[i - 1].first + k].p_idx !=
			    rows[ranges[i].first + k].p_idx)
				break;
		if (k != ranges[i].count)
			continue;
		elapsed = (double)(b->t_ms - a->t_ms) / 1000.0;
		sum = 0;
		for (k = 0; k < ranges[i].count; k++) {
			delta = sched_tick_delta(&rows[ranges[i - 1].first + k],
			    &rows[ranges[i].first + k]);
			p = sched_proc_get(r, &cap, rows[ranges[i].first +
			    k].p_idx);
			p->intervals++;
			p->schedticks += delta;
			p->elapsed_s += elapsed;
			sum += delta;
		}
		r->samples[i].schedticks_delta = sum;
		r->samples[i].schedticks_per_s = (double)sum / elapsed;
		r->schedtick_intervals++;
		r->schedticks += sum;
		r->schedtick_elapsed_s += elapsed;
	}
	for (i = 0; i < r->n_procs; i++) {
		p = &r->procs[i];
		if (p->intervals > 0 && p->elapsed_s > 0)
			p->schedticks_per_s = (double)p->schedticks /
			    p->elapsed_s;
	}
	if (r->schedtick_intervals > 0)
		r->schedticks_per_s = (double)r->schedticks /
		    r->schedtick_elapsed_s;
}

/*
 * A count per distinct key (the GROUP BY of the G and M rows): an open
 * addressing hash table, so that any number of distinct values (a
 * crafted trace) stays linear.  A key is a byte string: a tag byte, then
 * the integer or the text.
 */
struct sched_tally_entry {
	char		*key;		/* NULL: a free slot */
	size_t		 len;
	int64_t		 count;
	int64_t		 other;		/* a second count of the same rows */
};

struct sched_tally {
	struct sched_tally_entry *slots;
	size_t		 cap, used;
};

static uint64_t
sched_tally_hash(const char *key, size_t len)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * UINT64_C(1099511628211);
	return h;
}

static struct sched_tally_entry *
sched_tally_slot(struct sched_tally_entry *slots, size_t cap,
    const char *key, size_t len)
{
	size_t i = (size_t)sched_tally_hash(key, len) & (cap - 1);

	while (slots[i].key != NULL && (slots[i].len != len ||
	    memcmp(slots[i].key, key, len) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* The entry of key, created with zero counts when new. */
static struct sched_tally_entry *
sched_tally_get(struct sched_tally *t, const char *key, size_t len)
{
	struct sched_tally_entry *e, *old = t->slots;
	size_t i, oldcap = t->cap;

	if (2 * (t->used + 1) > t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->slots = xcalloc(t->cap, sizeof *t->slots);
		for (i = 0; i < oldcap; i++)
			if (old[i].key != NULL)
				*sched_tally_slot(t->slots, t->cap,
				    old[i].key, old[i].len) = old[i];
		free(old);
	}
	e = sched_tally_slot(t->slots, t->cap, key, len);
	if (e->key == NULL) {
		e->key = xmalloc(len + 1);
		memcpy(e->key, key, len);
		e->key[len] = '\0';
		e->len = len;
		t->used++;
	}
	return e;
}

/* Key tags: NULL sorts first, as in SQL. */
#define SCHED_KEY_NULL	'0'
#define SCHED_KEY_INT	'1'
#define SCHED_KEY_TEXT	'2'

/* The entry of an integer value (NULL apart). */
static struct sched_tally_entry *
sched_tally_int(struct sched_tally *t, const struct value *v)
{
	char key[1 + sizeof(int64_t)];

	if (v->type == VAL_NULL) {
		key[0] = SCHED_KEY_NULL;
		return sched_tally_get(t, key, 1);
	}
	key[0] = SCHED_KEY_INT;
	memcpy(key + 1, &v->i, sizeof v->i);
	return sched_tally_get(t, key, sizeof key);
}

static int64_t
sched_key_int(const struct sched_tally_entry *e)
{
	int64_t i = -1;

	if (e->key[0] == SCHED_KEY_INT)
		memcpy(&i, e->key + 1, sizeof i);
	return i;
}

/* The entries, in the order compare gives (the caller frees the array;
 * the keys stay the tally's). */
static struct sched_tally_entry *
sched_tally_sorted(const struct sched_tally *t,
    int (*compare)(const void *, const void *))
{
	struct sched_tally_entry *v;
	size_t i, n = 0;

	v = xmalloc((t->used + 1) * sizeof *v);
	for (i = 0; i < t->cap; i++)
		if (t->slots[i].key != NULL)
			v[n++] = t->slots[i];
	qsort(v, n, sizeof *v, compare);
	return v;
}

static void
sched_tally_free(struct sched_tally *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->slots[i].key);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

/* By key: NULL first, then integers in order, then text bytewise. */
static int
sched_compare_key(const void *a, const void *b)
{
	const struct sched_tally_entry *x = a, *y = b;
	int64_t i, j;
	int c;

	if (x->key[0] != y->key[0])
		return x->key[0] < y->key[0] ? -1 : 1;
	if (x->key[0] == SCHED_KEY_INT) {
		i = sched_key_int(x);
		j = sched_key_int(y);
		return (i > j) - (i < j);
	}
	c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
	if (c != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

/* Most rows first, then by key. */
static int
sched_compare_count(const void *a, const void *b)
{
	const struct sched_tally_entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return sched_compare_key(a, b);
}

/* The G rows of the segment, counted per dump, by status and by wait
 * reason. */
struct sched_gcounts {
	struct sched_tally	 by_status;	/* status: rows */
	struct sched_tally	 by_reason;	/* waiting: rows per reason */
	int64_t			 live_max;	/* G lines not dead, in the
						 * fullest dump; -1: no G */
};

static void
sched_gcounts_free(struct sched_gcounts *g)
{
	sched_tally_free(&g->by_status);
	sched_tally_free(&g->by_reason);
}

/* The text key of a wait reason (numbers in a damaged store as text). */
static struct sched_tally_entry *
sched_tally_text(struct sched_tally *t, const struct value *v,
    struct buf *key)
{
	buf_reset(key);
	switch (v->type) {
	case VAL_NULL:
		buf_addf(key, "%c", SCHED_KEY_NULL);
		break;
	case VAL_INT:
		buf_addf(key, "%c%lld", SCHED_KEY_TEXT, (long long)v->i);
		break;
	case VAL_REAL:
		buf_addf(key, "%c%.15g", SCHED_KEY_TEXT, v->r);
		break;
	case VAL_TEXT:
		buf_addf(key, "%c", SCHED_KEY_TEXT);
		buf_add(key, v->s != NULL ? v->s : "", v->len);
		break;
	}
	return sched_tally_get(t, key->data, key->len);
}

/*
 * Read the G rows once: per dump (sample) the goroutines not dead and by
 * status into r->samples, the rows by status, the waiting ones by reason,
 * and the most goroutines any dump had.
 */
static int
sched_read_g(struct store *store, struct sched_result *r,
    struct sched_gcounts *g, struct buf *err)
{
	static const char *const cols[] = { "sample_id", "status",
	    "wait_reason" };
	struct sched_tally other = { NULL, 0, 0 };
	struct store_cursor *cur;
	struct store_row row;
	struct sched_tally_entry *e;
	struct sched_sample *x;
	struct buf key = BUF_INIT;
	const struct value *v;
	int64_t status;
	size_t k;
	int rc, live;

	memset(g, 0, sizeof *g);
	g->live_max = -1;
	cur = store_cursor_open(store, KIND_SCHED_G, r->run_id, r->segment,
	    cols, sizeof cols / sizeof cols[0], err);
	if (cur == NULL)
		return -1;
	while ((rc = store_cursor_next(cur, &row, err)) == 1) {
		v = row.values;
		status = sched_int(&v[1]);
		/* An unknown status (NULL) is not a dead G. */
		live = status != SCHED_G_DEAD;
		sched_tally_int(&g->by_status, &v[1])->count++;
		if (v[1].type != VAL_NULL && status == 4)
			sched_tally_text(&g->by_reason, &v[2], &key)->count++;
		k = v[0].type == VAL_NULL ? r->n_samples :
		    sched_find_sample(r, v[0].i);
		if (k < r->n_samples && r->samples[k].id == v[0].i) {
			x = &r->samples[k];
			if (x->goroutines < 0)
				x->goroutines = x->g_runnable =
				    x->g_running = x->g_syscall =
				    x->g_waiting = 0;
			x->goroutines += live;
			x->g_runnable += v[1].type != VAL_NULL && status == 1;
			x->g_running += v[1].type != VAL_NULL && status == 2;
			x->g_syscall += v[1].type != VAL_NULL && status == 3;
			x->g_waiting += v[1].type != VAL_NULL && status == 4;
			if (x->goroutines > g->live_max)
				g->live_max = x->goroutines;
		} else {
			/* A dump of another segment (a damaged store). */
			e = sched_tally_int(&other, &v[0]);
			e->count += live;
			if (e->count > g->live_max)
				g->live_max = e->count;
		}
	}
	store_cursor_close(cur);
	buf_free(&key);
	sched_tally_free(&other);
	return rc < 0 ? -1 : 0;
}

/* The trend of the goroutines over the detailed dumps. */
static void
sched_goroutines(struct sched_result *r)
{
	struct sched_sample *x;
	double *t, *n, s, z;
	size_t i, m = 0;

	/* A dump without any G line still has the goroutines it printed: 0. */
	t = xmalloc((r->n_samples + 1) * sizeof *t);
	n = xmalloc((r->n_samples + 1) * sizeof *n);
	for (i = 0; i < r->n_samples; i++) {
		x = &r->samples[i];
		if (!x->detailed)
			continue;
		if (x->goroutines < 0)
			x->goroutines = x->g_runnable = x->g_running =
			    x->g_syscall = x->g_waiting = 0;
		if (x->t_ms < 0)
			continue;
		t[m] = (double)x->t_ms / 60000.0;
		n[m] = (double)x->goroutines;
		m++;
	}
	if (stats_theil_sen(t, n, m, &r->goroutines_slope_per_min, &s) < 0)
		r->goroutines_slope_per_min = NAN;
	if (stats_mann_kendall(n, m, &s, &z, &r->goroutines_trend_p) < 0)
		r->goroutines_trend_p = NAN;
	free(t);
	free(n);
}

/* A sum as SQL's sum() gives it: integers until a value is not one. */
struct sched_sum {
	int64_t		 i;
	double		 r;
	int		 real;		/* a value was not an integer */
	int		 overflow;
};

static void
sched_sum_add(struct sched_sum *sum, const struct value *v)
{
	if (v->type == VAL_INT) {
		/* Integers that overflow before any other value: an error. */
		if (!sum->real && !sum->overflow &&
		    __builtin_add_overflow(sum->i, v->i, &sum->i))
			sum->overflow = 1;
		sum->r += (double)v->i;
	} else if (v->type != VAL_NULL) {
		sum->real = 1;
		sum->r += v->r;
	}
}

static int64_t
sched_sum_value(const struct sched_sum *sum)
{
	if (!sum->real)
		return sum->i;
	if (sum->r >= 9223372036854775807.0)
		return INT64_MAX;
	if (sum->r <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)sum->r;
}

/* The Ms of the segment: rows, and rows in each state (they overlap). */
static int
sched_read_m(struct store *store, struct sched_result *r, size_t *cap,
    struct buf *err)
{
	static const char *const m_states[] = { "with_p", "running_g",
	    "spinning", "blocked", "locked_to_g" };
	static const char *const cols[] = { "p_id", "cur_goid", "spinning",
	    "blocked", "locked_goid" };
	struct sched_sum sums[5];
	struct store_cursor *cur;
	struct store_row row;
	const struct value *v;
	struct value one = { VAL_INT, 1, 1.0, NULL, 0 };
	int rc, col;

	memset(sums, 0, sizeof sums);
	cur = store_cursor_open(store, KIND_SCHED_M, r->run_id, r->segment,
	    cols, sizeof cols / sizeof cols[0], err);
	if (cur == NULL)
		return -1;
	while ((rc = store_cursor_next(cur, &row, err)) == 1) {
		v = row.values;
		r->m_rows++;
		/* Flags where a value is set, sums where it counts. */
		for (col = 0; col < 5; col++)
			if (col == 2 || col == 3)
				sched_sum_add(&sums[col], &v[col]);
			else if (v[col].type != VAL_NULL)
				sched_sum_add(&sums[col], &one);
	}
	store_cursor_close(cur);
	if (rc < 0)
		return -1;
	for (col = 0; col < 5; col++)
		if (sums[col].overflow) {
			buf_adds(err, "integer overflow");
			return -1;
		}
	for (col = 0; col < 5 && r->m_rows > 0; col++)
		sched_add_count(r, cap, "m_state", m_states[col],
		    sched_sum_value(&sums[col]), 0);
	return 0;
}

/* G, M and P aggregates of the scheddetail dumps. */
static int
sched_detail(struct store *store, struct sched_result *r,
    const struct sched_prow *rows, size_t nrows, struct buf *err)
{
	int64_t p_by_status[8] = { 0 }, p_other = 0, status;
	struct sched_gcounts g;
	struct sched_tally_entry *e;
	size_t cap = 0, k;
	const char *name;
	char text[32];

	r->goroutines_max = -1;
	r->goroutines_slope_per_min = NAN;
	r->goroutines_trend_p = NAN;
	if (r->detailed_samples == 0)
		return 0;
	if (sched_read_g(store, r, &g, err) < 0) {
		sched_gcounts_free(&g);
		return -1;
	}
	sched_goroutines(r);
	/* G lines by status (without the scan bit). */
	e = sched_tally_sorted(&g.by_status, sched_compare_key);
	for (k = 0; k < g.by_status.used; k++) {
		status = sched_key_int(&e[k]);
		name = sched_g_status_name(status);
		if (name == NULL) {
			snprintf(text, sizeof text, "%lld", (long long)status);
			name = text;
		}
		sched_add_count(r, &cap, "g_status", name, e[k].count, 1);
		r->g_rows += e[k].count;
		if (status != SCHED_G_DEAD)
			r->goroutines += e[k].count;
	}
	free(e);
	r->goroutines_max = g.live_max;
	/* Wait reasons of the waiting Gs, most frequent first. */
	e = sched_tally_sorted(&g.by_reason, sched_compare_count);
	for (k = 0; k < g.by_reason.used; k++)
		sched_add_count(r, &cap, "wait_reason", e[k].key[0] ==
		    SCHED_KEY_NULL || e[k].len == 1 ? "(none)" : e[k].key + 1,
		    e[k].count, 1);
	free(e);
	sched_gcounts_free(&g);
	/* Ps of the detailed dumps by status. */
	for (k = 0; k < nrows; k++) {
		if (!r->samples[rows[k].sample].detailed)
			continue;
		if (rows[k].status >= 0 && rows[k].status < 8)
			p_by_status[rows[k].status]++;
		else
			p_other++;
	}
	for (k = 0; k < 8; k++) {
		if (p_by_status[k] == 0)
			continue;
		name = sched_p_status_name((int64_t)k);
		if (name == NULL) {
			snprintf(text, sizeof text, "%zu", k);
			name = text;
		}
		sched_add_count(r, &cap, "p_status", name, p_by_status[k], 1);
	}
	if (p_other > 0)
		sched_add_count(r, &cap, "p_status", "unknown", p_other, 1);
	return sched_read_m(store, r, &cap, err);
}

int
sched_analyse(struct store *store, int64_t run_id, int segment,
    struct sched_result *r, struct buf *err)
{
	struct sched_prow *rows = NULL;
	struct sched_prange *ranges = NULL;
	size_t nrows = 0, k, i;
	int rc = -1;

	memset(r, 0, sizeof *r);
	r->run_id = run_id;
	r->segment = segment;
	if (sched_load_samples(store, r, err) < 0 ||
	    sched_load_procs(store, r, &rows, &nrows, err) < 0)
		goto out;
	ranges = xcalloc(r->n_samples + 1, sizeof *ranges);
	for (k = 0; k < nrows; k = i) {
		size_t s = rows[k].sample;

		ranges[s].first = k;
		for (i = k; i < nrows && rows[i].sample == s; i++)
			if (rows[i].schedtick >= 0)
				ranges[s].ticks++;
		ranges[s].count = i - k;
	}
	/* In doubles: forged stores hold times that do not subtract. */
	r->duration_s = r->n_samples > 0 ? ((double)r->samples[
	    r->n_samples - 1].t_ms - (double)r->samples[0].t_ms) / 1000.0 :
	    NAN;
	sched_occupancy(r, ranges, rows);
	sched_threads(r);
	sched_procs(r, ranges, rows, nrows);
	rc = sched_detail(store, r, rows, nrows, err);
out:
	free(rows);
	free(ranges);
	if (rc < 0)
		sched_result_free(r);
	return rc;
}

void
sched_result_free(struct sched_result *r)
{
	size_t i;

	for (i = 0; i < r->n_counts; i++)
		free(r->counts[i].value);
	free(r->counts);
	free(r->samples);
	free(r->gomaxprocs_values);
	free(r->procs);
	memset(r, 0, sizeof *r);
}
