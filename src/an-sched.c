#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an-sched.h"
#include "store-sqlite.h"
#include "buf.h"
#include "stats.h"
#include "xalloc.h"
#include "banned.h"

/* schedtick is a uint32. */
#define SCHED_TICK_WRAP	INT64_C(4294967296)
#define SCHED_G_DEAD	6

/* One sched_p row, as read. */
struct sched_prow {
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
	case SCHED_VERDICT_STABLE:
		return "stable";
	default:
		return NULL;
	}
}

static int
sched_prepare(sqlite3 *db, const char *sql, int64_t run_id, int segment,
    sqlite3_stmt **st, struct buf *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
		buf_addf(err, "%s", sqlite3_errmsg(db));
		*st = NULL;
		return -1;
	}
	sqlite3_bind_int64(*st, 1, run_id);
	sqlite3_bind_int(*st, 2, segment);
	return 0;
}

static int
sched_step_done(sqlite3 *db, int rc, struct buf *err)
{
	if (rc == SQLITE_DONE)
		return 0;
	buf_addf(err, "%s", sqlite3_errmsg(db));
	return -1;
}

static int64_t
sched_col_int(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return -1;
	return sqlite3_column_int64(st, col);
}

static int
sched_load_samples(sqlite3 *db, struct sched_result *r, struct buf *err)
{
	sqlite3_stmt *st;
	struct sched_sample *x;
	size_t cap = 0;
	int rc;

	if (sched_prepare(db, "SELECT id, t_ms, gomaxprocs, idle_procs, "
	    "threads, spinning_threads, idle_threads, global_runq, "
	    "local_runq_total, detailed FROM sched_samples WHERE run_id = ?1 "
	    "AND segment = ?2 ORDER BY id", r->run_id, r->segment, &st,
	    err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->samples = xgrow(r->samples, &cap, r->n_samples + 1,
		    sizeof *r->samples);
		x = &r->samples[r->n_samples++];
		memset(x, 0, sizeof *x);
		x->id = sqlite3_column_int64(st, 0);
		x->t_ms = sched_col_int(st, 1);
		x->gomaxprocs = sched_col_int(st, 2);
		x->idle_procs = sched_col_int(st, 3);
		x->threads = sched_col_int(st, 4);
		x->spinning_threads = sched_col_int(st, 5);
		x->idle_threads = sched_col_int(st, 6);
		x->global_runq = sched_col_int(st, 7);
		x->local_runq_total = sched_col_int(st, 8);
		x->detailed = sqlite3_column_int(st, 9) != 0;
		x->backlog = -1;
		x->schedticks_delta = -1;
		x->schedticks_per_s = -1;
		x->goroutines = -1;
		x->g_runnable = x->g_running = x->g_syscall = -1;
		x->g_waiting = -1;
	}
	rc = sched_step_done(db, rc, err);
	sqlite3_finalize(st);
	return rc;
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

static int
sched_load_procs(sqlite3 *db, struct sched_result *r,
    struct sched_prow **rows, size_t *n, struct buf *err)
{
	sqlite3_stmt *st;
	struct sched_prow *p;
	size_t cap = 0, k;
	int rc;

	*rows = NULL;
	*n = 0;
	if (sched_prepare(db, "SELECT sample_id, p_idx, local_runq, "
	    "schedtick, status FROM sched_p WHERE run_id = ?1 AND "
	    "segment = ?2 ORDER BY sample_id, p_idx, id", r->run_id,
	    r->segment, &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		k = sched_find_sample(r, sqlite3_column_int64(st, 0));
		if (k >= r->n_samples || r->samples[k].id !=
		    sqlite3_column_int64(st, 0) || sqlite3_column_type(st,
		    1) == SQLITE_NULL)
			continue;
		*rows = xgrow(*rows, &cap, *n + 1, sizeof **rows);
		p = &(*rows)[(*n)++];
		p->sample = k;
		p->p_idx = sqlite3_column_int(st, 1);
		p->local_runq = sched_col_int(st, 2);
		p->schedtick = sched_col_int(st, 3);
		p->status = sched_col_int(st, 4);
	}
	rc = sched_step_done(db, rc, err);
	sqlite3_finalize(st);
	return rc;
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
		if (r->threads_slope_per_min > SCHED_THREADS_SLOPE_PER_MIN &&
		    r->threads_trend_z > 0 &&
		    r->threads_trend_p < SCHED_THREADS_TREND_P &&
		    r->threads_rise >= SCHED_THREADS_MIN_RISE)
			r->thread_verdict = SCHED_VERDICT_GROWING;
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
 * The goroutines of each detailed dump (G lines not dead, and by status),
 * and their trend over the dumps.
 */
static int
sched_goroutines(sqlite3 *db, struct sched_result *r, struct buf *err)
{
	sqlite3_stmt *st;
	struct sched_sample *x;
	double *t, *n, s, z;
	size_t i = 0, m = 0;
	int64_t id;
	int rc;

	if (sched_prepare(db, "SELECT sample_id, sum(coalesce(status, -1) "
	    "<> 6), sum(status = 1), sum(status = 2), sum(status = 3), "
	    "sum(status = 4) FROM sched_g WHERE run_id = ?1 AND segment = ?2 "
	    "GROUP BY sample_id ORDER BY sample_id", r->run_id, r->segment,
	    &st, err) < 0)
		return -1;
	/* Both in sample id order: one merge. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		while (i < r->n_samples && r->samples[i].id < id)
			i++;
		if (i == r->n_samples || r->samples[i].id != id)
			continue;
		x = &r->samples[i];
		x->goroutines = sqlite3_column_int64(st, 1);
		x->g_runnable = sqlite3_column_int64(st, 2);
		x->g_running = sqlite3_column_int64(st, 3);
		x->g_syscall = sqlite3_column_int64(st, 4);
		x->g_waiting = sqlite3_column_int64(st, 5);
	}
	rc = sched_step_done(db, rc, err);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
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
	return 0;
}

/* G, M and P aggregates of the scheddetail dumps. */
static int
sched_detail(sqlite3 *db, struct sched_result *r,
    const struct sched_prow *rows, size_t nrows, struct buf *err)
{
	static const char *const m_states[] = { "with_p", "running_g",
	    "spinning", "blocked", "locked_to_g" };
	int64_t p_by_status[8] = { 0 }, p_other = 0;
	sqlite3_stmt *st;
	size_t cap = 0, k;
	const char *name;
	char text[32];
	int rc, col;

	r->goroutines_max = -1;
	r->goroutines_slope_per_min = NAN;
	r->goroutines_trend_p = NAN;
	if (r->detailed_samples == 0)
		return 0;
	if (sched_goroutines(db, r, err) < 0)
		return -1;
	/* G lines by status (without the scan bit). */
	if (sched_prepare(db, "SELECT status, count(*) FROM sched_g WHERE "
	    "run_id = ?1 AND segment = ?2 GROUP BY status ORDER BY status",
	    r->run_id, r->segment, &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t status = sched_col_int(st, 0);
		int64_t count = sqlite3_column_int64(st, 1);

		name = sched_g_status_name(status);
		if (name == NULL) {
			snprintf(text, sizeof text, "%lld", (long long)status);
			name = text;
		}
		sched_add_count(r, &cap, "g_status", name, count, 1);
		r->g_rows += count;
		if (status != SCHED_G_DEAD)
			r->goroutines += count;
	}
	rc = sched_step_done(db, rc, err);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if (sched_prepare(db, "SELECT max(n) FROM (SELECT sum(coalesce("
	    "status, -1) <> 6) AS n FROM sched_g WHERE run_id = ?1 AND "
	    "segment = ?2 GROUP BY sample_id)", r->run_id, r->segment, &st,
	    err) < 0)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		r->goroutines_max = sched_col_int(st, 0);
	sqlite3_finalize(st);
	/* Wait reasons of the waiting Gs, most frequent first. */
	if (sched_prepare(db, "SELECT wait_reason, count(*) FROM sched_g "
	    "WHERE run_id = ?1 AND segment = ?2 AND status = 4 GROUP BY "
	    "wait_reason ORDER BY count(*) DESC, wait_reason", r->run_id,
	    r->segment, &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *reason = (const char *)sqlite3_column_text(st, 0);

		sched_add_count(r, &cap, "wait_reason",
		    reason == NULL || *reason == '\0' ? "(none)" : reason,
		    sqlite3_column_int64(st, 1), 1);
	}
	rc = sched_step_done(db, rc, err);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
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
	/* Ms: each state is a flag; they overlap. */
	if (sched_prepare(db, "SELECT count(*), sum(p_id IS NOT NULL), "
	    "sum(cur_goid IS NOT NULL), sum(coalesce(spinning, 0)), "
	    "sum(coalesce(blocked, 0)), sum(locked_goid IS NOT NULL) FROM "
	    "sched_m WHERE run_id = ?1 AND segment = ?2", r->run_id,
	    r->segment, &st, err) < 0)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->m_rows = sqlite3_column_int64(st, 0);
		for (col = 1; col <= 5 && r->m_rows > 0; col++)
			sched_add_count(r, &cap, "m_state", m_states[col - 1],
			    sqlite3_column_int64(st, col), 0);
		rc = SQLITE_DONE;
	}
	rc = sched_step_done(db, rc, err);
	sqlite3_finalize(st);
	return rc;
}

int
sched_analyse(struct store *store, int64_t run_id, int segment,
    struct sched_result *r, struct buf *err)
{
	sqlite3 *db = store_db(store);
	struct sched_prow *rows = NULL;
	struct sched_prange *ranges = NULL;
	size_t nrows = 0, k, i;
	int rc = -1;

	memset(r, 0, sizeof *r);
	r->run_id = run_id;
	r->segment = segment;
	if (sched_load_samples(db, r, err) < 0 ||
	    sched_load_procs(db, r, &rows, &nrows, err) < 0)
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
	rc = sched_detail(db, r, rows, nrows, err);
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
