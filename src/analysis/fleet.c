#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "an-overview.h"
#include "an-pauses.h"
#include "an-sched.h"
#include "figures.h"
#include "fleet.h"
#include "units.h"
#include "xalloc.h"
#include "banned.h"

static const char *const fleet_problem_names[FLEET_PROBLEMS] = {
	"pauses", "gc-cpu", "saturated", "stacks-leak", "heap-leak"
};

const char *
fleet_problem_name(int k)
{
	return k >= 0 && k < FLEET_PROBLEMS ? fleet_problem_names[k] : NULL;
}

void
fleet_options_init(struct fleet_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->over_us = FLEET_OVER_US;
	opt->max_gc_cpu = FLEET_MAX_GC_CPU;
	opt->max_saturated = FLEET_MAX_SATURATED;
}

/* Is "key=value" one of the run's labels? */
static int
fleet_has_label(const struct store_run *run, const char *label)
{
	size_t k;

	for (k = 0; k < run->nlabels; k++)
		if (strcmp(run->labels[k], label) == 0)
			return 1;
	return 0;
}

/* The value of the run's label key, or NULL. */
static const char *
fleet_label(const struct store_run *run, const char *key)
{
	size_t k, len = strlen(key);

	for (k = 0; k < run->nlabels; k++)
		if (strncmp(run->labels[k], key, len) == 0 &&
		    run->labels[k][len] == '=')
			return run->labels[k] + len + 1;
	return NULL;
}

static int
fleet_time(const char *iso, double *s)
{
	return iso != NULL && units_parse_rfc3339(iso, strlen(iso), s) == 0 &&
	    isfinite(*s);
}

/* Do the filters of opt keep this run? */
static int
fleet_selected(const struct fleet_row *row, const struct fleet_options *opt)
{
	const struct store_run *run = &row->run;
	double from = opt->now_s - opt->since_s, ended;
	size_t k;

	for (k = 0; k < opt->nlabels; k++)
		if (!fleet_has_label(run, opt->labels[k]))
			return 0;
	if (!(opt->since_s > 0))
		return 1;
	if (run->status != NULL && strcmp(run->status, "running") == 0)
		return 1;
	if (row->has_started && row->started_s >= from)
		return 1;
	return fleet_time(run->ended_at, &ended) && ended >= from;
}

/*
 * One series' verdict over the segments: leak when a segment leaks;
 * else no-leak when a segment was judged so; else inconclusive.  The
 * slope is the steepest among the segments of that verdict.
 */
static void
fleet_leak_add(struct fleet_leak *l, const struct leaks_result *r)
{
	static const int rank[] = {
		[LEAKS_INCONCLUSIVE] = 0, [LEAKS_NO_LEAK] = 1, [LEAKS_LEAK] = 2
	};
	double slope;

	if (r->no_data)
		return;
	if (l->has_verdict && rank[r->verdict] < rank[l->verdict])
		return;
	if (!l->has_verdict || rank[r->verdict] > rank[l->verdict]) {
		l->has_verdict = 1;
		l->verdict = r->verdict;
		l->has_slope = 0;
	}
	if (!r->has_fit)
		return;
	slope = figures_slope_per_minute(r->slope_mib_per_s);
	if (!isfinite(slope))
		return;
	if (!l->has_slope || slope > l->slope_mib_per_min) {
		l->has_slope = 1;
		l->slope_mib_per_min = slope;
	}
}

/* What the segments table says of segment g: its cycles and span. */
static void
fleet_run_segment(struct fleet_row *row, const struct store_segment *g)
{
	double span;

	row->segments++;
	if (__builtin_add_overflow(row->cycles, g->gc_cycles, &row->cycles))
		row->cycles = INT64_MAX;
	if (overview_segment_duration(g, &span) == 0) {
		row->duration_s = row->has_duration ? row->duration_s + span :
		    span;
		row->has_duration = 1;
	}
}

/*
 * The analyses summary runs on a segment, in four parts that write
 * fields of the row of their own, so that they can run at once.
 */
enum fleet_part {
	FLEET_PART_LEAKS,	/* the longest first */
	FLEET_PART_PAUSES,
	FLEET_PART_OVERVIEW,
	FLEET_PART_SCHED,
	FLEET_PARTS
};

static int
fleet_part_add(struct store *s, struct fleet_row *row, enum fleet_part part,
    int segment, const struct fleet_options *opt, struct buf *err)
{
	struct overview_result ov;
	struct pauses_options po;
	struct pauses_result pr;
	struct leaks_options lo;
	struct leaks_result lr[LEAKS_SERIES_COUNT];
	struct sched_result sr;
	int rc = 0;

	switch (part) {
	case FLEET_PART_OVERVIEW:
		if (overview_compute(s, row->run.id, segment, &ov, err) < 0)
			return -1;
		if (ov.gc_cpu_valid &&
		    (!row->has_gc_cpu || ov.gc_cpu_share > row->gc_cpu)) {
			row->has_gc_cpu = 1;
			row->gc_cpu = ov.gc_cpu_share;
		}
		break;
	case FLEET_PART_PAUSES:
		memset(&po, 0, sizeof po);
		po.over_us = opt->over_us;
		po.phase = PAUSES_ANY;
		po.top = 1;
		rc = pauses_compute(s, row->run.id, segment, &po, &pr, err);
		if (rc == 0 && pr.cycles > 0) {
			if (row->stw_cycles == 0 ||
			    pr.cycle.max_us > row->max_pause_us)
				row->max_pause_us = pr.cycle.max_us;
			if (row->stw_cycles == 0 ||
			    pr.cycle.p99_us > row->p99_pause_us)
				row->p99_pause_us = pr.cycle.p99_us;
			row->stw_cycles += pr.cycles;
			row->cycles_over += pr.cycles_over;
		}
		pauses_result_free(&pr);
		break;
	case FLEET_PART_LEAKS:
		leaks_options_init(&lo);
		if (leaks_analyse_all(s, row->run.id, segment, &lo, lr,
		    err) < 0)
			return -1;
		fleet_leak_add(&row->heap, &lr[LEAKS_SERIES_HEAP]);
		fleet_leak_add(&row->stacks, &lr[LEAKS_SERIES_STACKS]);
		leaks_result_free(&lr[LEAKS_SERIES_HEAP]);
		leaks_result_free(&lr[LEAKS_SERIES_STACKS]);
		break;
	default:
		rc = sched_analyse(s, row->run.id, segment, &sr, err);
		if (rc == 0 && sr.n_samples > 0 && sr.backlog_samples > 0 &&
		    isfinite(sr.saturated_share) && (!row->has_saturated ||
		    sr.saturated_share > row->saturated)) {
			row->has_saturated = 1;
			row->saturated = sr.saturated_share;
		}
		sched_result_free(&sr);
		break;
	}
	return rc < 0 ? -1 : 0;
}

/* The criteria of tracestat-fleet(1). */
static void
fleet_judge(struct fleet_row *row, const struct fleet_options *opt)
{
	int k;

	row->problems = 0;
	if (row->heap.has_verdict && row->heap.verdict == LEAKS_LEAK)
		row->problems |= FLEET_HEAP_LEAK;
	if (row->stacks.has_verdict && row->stacks.verdict == LEAKS_LEAK)
		row->problems |= FLEET_STACKS_LEAK;
	if (row->has_saturated && row->saturated > opt->max_saturated)
		row->problems |= FLEET_SATURATED;
	if (row->has_gc_cpu && row->gc_cpu > opt->max_gc_cpu)
		row->problems |= FLEET_GC_CPU;
	if (row->stw_cycles > 0 && (double)row->cycles_over >
	    FLEET_MAX_OVER_SHARE * (double)row->stw_cycles)
		row->problems |= FLEET_PAUSES;
	row->nproblems = 0;
	for (k = 0; k < FLEET_PROBLEMS; k++)
		if (row->problems & (1u << k))
			row->nproblems++;
}

/*
 * The work is one item per row and part, taken in turn by FLEET_THREADS
 * workers, each through a reading handle of its own on the same snapshot
 * (store_open_reader): a store of many runs, and a run of many cycles,
 * keep both cores busy.  Without such a handle (the store changed since
 * the snapshot), one worker reads through the command's.
 */
#define FLEET_THREADS 3

struct fleet_work {
	pthread_mutex_t		 lock;
	struct fleet_result	*res;
	struct store_segment	**segs;		/* of each row */
	size_t			*nsegs;
	const struct fleet_options *opt;
	size_t			 next, items;	/* rows x FLEET_PARTS */
	int			 failed;
};

struct fleet_worker {
	struct fleet_work	*work;
	struct store		*store;
	struct buf		 err;
	int			 rc;
};

static void *
fleet_worker_run(void *arg)
{
	struct fleet_worker *w = arg;
	struct fleet_work *work = w->work;
	size_t item, i, k;

	for (;;) {
		pthread_mutex_lock(&work->lock);
		item = work->failed ? work->items : work->next++;
		pthread_mutex_unlock(&work->lock);
		if (item >= work->items)
			break;
		i = item / FLEET_PARTS;
		for (k = 0; k < work->nsegs[i]; k++) {
			if (fleet_part_add(w->store, &work->res->rows[i],
			    (enum fleet_part)(item % FLEET_PARTS),
			    work->segs[i][k].segment, work->opt, &w->err) == 0)
				continue;
			w->rc = -1;
			pthread_mutex_lock(&work->lock);
			work->failed = 1;
			pthread_mutex_unlock(&work->lock);
			return NULL;
		}
	}
	return NULL;
}

/* Run the work: worker 0 in this thread through s, the others each
 * through a reader of their own.  Returns 0, or -1 with err set. */
static int
fleet_work_run(struct store *s, struct fleet_work *work, struct buf *err)
{
	struct fleet_worker workers[FLEET_THREADS];
	pthread_t threads[FLEET_THREADS];
	int started[FLEET_THREADS];
	int k, rc = 0;

	memset(workers, 0, sizeof workers);
	for (k = 0; k < FLEET_THREADS; k++) {
		workers[k].work = work;
		workers[k].store = s;
		started[k] = 0;
	}
	for (k = 1; k < FLEET_THREADS && work->items > 1; k++) {
		struct store *reader = NULL;

		if (store_open_reader(s, &reader, &workers[k].err) < 0 ||
		    reader == NULL) {
			buf_reset(&workers[k].err);
			break;
		}
		workers[k].store = reader;
		started[k] = pthread_create(&threads[k], NULL, fleet_worker_run,
		    &workers[k]) == 0;
		if (!started[k]) {
			store_close(reader);
			break;
		}
	}
	fleet_worker_run(&workers[0]);
	for (k = 0; k < FLEET_THREADS; k++) {
		if (started[k]) {
			pthread_join(threads[k], NULL);
			store_close(workers[k].store);
		}
		if (workers[k].rc < 0 && rc == 0) {
			buf_adds(err, buf_str(&workers[k].err));
			rc = -1;
		}
		buf_free(&workers[k].err);
	}
	return rc;
}

int
fleet_compute(struct store *s, const struct fleet_options *opt,
    struct fleet_result *res, struct buf *err)
{
	struct store_run *runs = NULL;
	struct fleet_row *row;
	struct fleet_work work;
	size_t nruns = 0, i, k;
	int rc = -1;

	memset(res, 0, sizeof *res);
	memset(&work, 0, sizeof work);
	pthread_mutex_init(&work.lock, NULL);
	if (store_runs_list(s, &runs, &nruns, err) < 0)
		goto out;
	res->rows = xcalloc(nruns > 0 ? nruns : 1, sizeof *res->rows);
	work.segs = xcalloc(nruns > 0 ? nruns : 1, sizeof *work.segs);
	work.nsegs = xcalloc(nruns > 0 ? nruns : 1, sizeof *work.nsegs);
	for (i = 0; i < nruns; i++) {
		row = &res->rows[res->n];
		memset(row, 0, sizeof *row);
		/* The row takes the run over. */
		row->run = runs[i];
		memset(&runs[i], 0, sizeof runs[i]);
		row->has_started = fleet_time(row->run.started_at,
		    &row->started_s);
		if (!fleet_selected(row, opt)) {
			store_run_free(&row->run);
			continue;
		}
		row->host = fleet_label(&row->run, "host");
		if (store_segments(s, row->run.id, STORE_ALL_SEGMENTS,
		    &work.segs[res->n], &work.nsegs[res->n], err) < 0) {
			res->n++;
			goto out;
		}
		for (k = 0; k < work.nsegs[res->n]; k++)
			fleet_run_segment(row, &work.segs[res->n][k]);
		res->n++;
	}
	work.res = res;
	work.opt = opt;
	work.items = res->n * FLEET_PARTS;
	if (fleet_work_run(s, &work, err) < 0)
		goto out;
	for (i = 0; i < res->n; i++)
		fleet_judge(&res->rows[i], opt);
	rc = 0;
out:
	for (i = 0; work.segs != NULL && i < res->n; i++)
		store_segments_free(work.segs[i], work.nsegs[i]);
	free(work.segs);
	free(work.nsegs);
	pthread_mutex_destroy(&work.lock);
	store_runs_free(runs, nruns);
	return rc;
}

const char fleet_sort_keys[] = "worst, run, host, name, started, duration, "
    "cycles, gc-cpu, max-pause, p99-pause, over, heap-slope, stacks-slope, "
    "saturated";

static const struct {
	const char	*name;
	enum fleet_sort	 key;
} fleet_sorts[] = {
	{ "worst", FLEET_SORT_WORST }, { "run", FLEET_SORT_RUN },
	{ "host", FLEET_SORT_HOST }, { "name", FLEET_SORT_NAME },
	{ "started", FLEET_SORT_STARTED },
	{ "duration", FLEET_SORT_DURATION },
	{ "cycles", FLEET_SORT_CYCLES }, { "gc-cpu", FLEET_SORT_GC_CPU },
	{ "max-pause", FLEET_SORT_MAX_PAUSE }, { "p99-pause", FLEET_SORT_P99_PAUSE },
	{ "over", FLEET_SORT_OVER }, { "heap-slope", FLEET_SORT_HEAP_SLOPE },
	{ "stacks-slope", FLEET_SORT_STACKS_SLOPE },
	{ "saturated", FLEET_SORT_SATURATED }
};

int
fleet_sort_parse(const char *s, enum fleet_sort *key)
{
	size_t k;

	for (k = 0; k < sizeof fleet_sorts / sizeof fleet_sorts[0]; k++)
		if (strcmp(s, fleet_sorts[k].name) == 0) {
			*key = fleet_sorts[k].key;
			return 0;
		}
	return -1;
}

/* Larger first; a known value before an unknown one. */
static int
fleet_cmp_desc(int has_a, double a, int has_b, double b)
{
	if (has_a != has_b)
		return has_a ? -1 : 1;
	if (!has_a || a == b)
		return 0;
	return a > b ? -1 : 1;
}

/* In byte order; a known text before an unknown one. */
static int
fleet_cmp_text(const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL))
		return a != NULL ? -1 : 1;
	return a == NULL ? 0 : strcmp(a, b);
}

/*
 * Worst first: more problems first; among as many, by the most severe
 * problem (the bits compared as a number); then the longest p99 pause;
 * then the highest GC CPU; then the newest run.
 */
static int
fleet_cmp_worst(const struct fleet_row *a, const struct fleet_row *b)
{
	int c;

	if (a->nproblems != b->nproblems)
		return a->nproblems > b->nproblems ? -1 : 1;
	if (a->problems != b->problems)
		return a->problems > b->problems ? -1 : 1;
	if ((c = fleet_cmp_desc(a->stw_cycles > 0, a->p99_pause_us,
	    b->stw_cycles > 0, b->p99_pause_us)) != 0)
		return c;
	if ((c = fleet_cmp_desc(a->has_gc_cpu, a->gc_cpu, b->has_gc_cpu,
	    b->gc_cpu)) != 0)
		return c;
	return a->run.id == b->run.id ? 0 : a->run.id > b->run.id ? -1 : 1;
}

static enum fleet_sort fleet_sort_key;

static int
fleet_cmp(const void *pa, const void *pb)
{
	const struct fleet_row *a = pa, *b = pb;
	int c = 0;

	switch (fleet_sort_key) {
	case FLEET_SORT_WORST:
		break;
	case FLEET_SORT_RUN:
		c = fleet_cmp_desc(1, (double)a->run.id, 1, (double)b->run.id);
		break;
	case FLEET_SORT_HOST:
		c = fleet_cmp_text(a->host, b->host);
		break;
	case FLEET_SORT_NAME:
		c = fleet_cmp_text(a->run.name, b->run.name);
		break;
	case FLEET_SORT_STARTED:
		c = fleet_cmp_desc(a->has_started, a->started_s,
		    b->has_started, b->started_s);
		break;
	case FLEET_SORT_DURATION:
		c = fleet_cmp_desc(a->has_duration, a->duration_s,
		    b->has_duration, b->duration_s);
		break;
	case FLEET_SORT_CYCLES:
		c = fleet_cmp_desc(1, (double)a->cycles, 1, (double)b->cycles);
		break;
	case FLEET_SORT_GC_CPU:
		c = fleet_cmp_desc(a->has_gc_cpu, a->gc_cpu, b->has_gc_cpu,
		    b->gc_cpu);
		break;
	case FLEET_SORT_MAX_PAUSE:
		c = fleet_cmp_desc(a->stw_cycles > 0, (double)a->max_pause_us,
		    b->stw_cycles > 0, (double)b->max_pause_us);
		break;
	case FLEET_SORT_P99_PAUSE:
		c = fleet_cmp_desc(a->stw_cycles > 0, a->p99_pause_us,
		    b->stw_cycles > 0, b->p99_pause_us);
		break;
	case FLEET_SORT_OVER:
		c = fleet_cmp_desc(a->stw_cycles > 0, (double)a->cycles_over,
		    b->stw_cycles > 0, (double)b->cycles_over);
		break;
	case FLEET_SORT_HEAP_SLOPE:
		c = fleet_cmp_desc(a->heap.has_slope,
		    a->heap.slope_mib_per_min, b->heap.has_slope,
		    b->heap.slope_mib_per_min);
		break;
	case FLEET_SORT_STACKS_SLOPE:
		c = fleet_cmp_desc(a->stacks.has_slope,
		    a->stacks.slope_mib_per_min, b->stacks.has_slope,
		    b->stacks.slope_mib_per_min);
		break;
	case FLEET_SORT_SATURATED:
		c = fleet_cmp_desc(a->has_saturated, a->saturated,
		    b->has_saturated, b->saturated);
		break;
	}
	return c != 0 ? c : fleet_cmp_worst(a, b);
}

void
fleet_sort(struct fleet_result *res, enum fleet_sort key)
{
	fleet_sort_key = key;
	if (res->n > 1)
		qsort(res->rows, res->n, sizeof *res->rows, fleet_cmp);
}

void
fleet_result_free(struct fleet_result *res)
{
	size_t i;

	for (i = 0; i < res->n; i++)
		store_run_free(&res->rows[i].run);
	free(res->rows);
	memset(res, 0, sizeof *res);
}
