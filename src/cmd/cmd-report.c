#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "an-heap.h"
#include "an-leaks.h"
#include "an-pauses.h"
#include "an-sched.h"
#include "cmd.h"
#include "figures.h"
#include "plot.h"
#include "safefile.h"
#include "units.h"
#include "xalloc.h"
#include "banned.h"

/* The options, set by the table of cmd_report_entry. */
static const char *report_opt_output;
static const char *report_opt_gnuplot;
static double report_opt_over_us = PLOT_OVER_US;

struct report {
	struct cmd_ctx	*ctx;
	struct store	*store;
	int64_t		 run_id;
	struct store_run run;		/* the run's header */
	const char	*run_name;	/* run.name */
	double		 over_us;
	const char	*gnuplot;
	const char	*dir;
	struct buf	 html;		/* the page */
	struct buf	 body;		/* the sections, after the verdicts */
	int		*segments;
	size_t		 nsegments;
	int		 plot_failed;	/* an exit code, or 0 */
};

/* Text into HTML: the five specials escaped, control characters and
 * invalid bytes left to the browser except NUL-free C0 controls. */
static void
report_text(struct buf *b, const char *s)
{
	const unsigned char *p;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		switch (*p) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		default:
			if ((*p < 0x20 && *p != '\n' && *p != '\t') ||
			    *p == 0x7f)
				buf_addc(b, '?');
			else
				buf_addc(b, *p);
		}
}

static void
report_textf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
report_textf(struct buf *b, const char *fmt, ...)
{
	struct buf t = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&t, fmt, ap);
	va_end(ap);
	report_text(b, buf_str(&t));
	buf_free(&t);
}

/* A table row of cells; NULL cells print as an en dash. */
static void
report_row(struct buf *b, int header, int n, ...)
{
	va_list ap;
	const char *cell;
	int i;

	va_start(ap, n);
	buf_adds(b, "<tr>");
	for (i = 0; i < n; i++) {
		cell = va_arg(ap, const char *);
		buf_adds(b, header ? "<th>" : "<td>");
		if (cell == NULL)
			buf_adds(b, "&ndash;");
		else
			report_text(b, cell);
		buf_adds(b, header ? "</th>" : "</td>");
	}
	buf_adds(b, "</tr>\n");
	va_end(ap);
}

/* A "name: value" line of a definition table. */
static void
report_pair(struct buf *b, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
report_pair(struct buf *b, const char *name, const char *fmt, ...)
{
	struct buf t = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&t, fmt, ap);
	va_end(ap);
	buf_adds(b, "<tr><th>");
	report_text(b, name);
	buf_adds(b, "</th><td>");
	report_text(b, buf_str(&t));
	buf_adds(b, "</td></tr>\n");
	buf_free(&t);
}

static void
report_verdict(struct buf *b, const char *cls, const char *text)
{
	buf_addf(b, "<span class=\"v %s\">", cls);
	report_text(b, text);
	buf_adds(b, "</span>");
}

static const char report_css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
	"sans-serif;margin:2em auto;max-width:1240px;padding:0 1em;"
	"color:#222}\n"
	"h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;"
	"border-bottom:1px solid #ccc;padding-bottom:.2em}\n"
	"h3{margin-bottom:.3em}\n"
	"table{border-collapse:collapse;margin:.5em 0}\n"
	"th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;"
	"vertical-align:top}\n"
	"td{font-variant-numeric:tabular-nums}th{background:#f4f4f4}\n"
	".v{font-weight:bold;padding:1px 6px;border-radius:3px}\n"
	".bad{background:#fdd;color:#900}.good{background:#dfd;color:#060}"
	".unknown{background:#eee;color:#555}\n"
	"img{max-width:100%;border:1px solid #ddd;margin:.5em 0}\n"
	".note{color:#666;font-size:.92em}\n"
	"code{background:#f4f4f4;padding:0 3px}\n";

/* ----------------------------------------------------------- sections */

static void
report_header(struct report *r)
{
	const struct store_run *run = &r->run;
	const struct run_counts *c = &run->counts;
	struct buf *b = &r->html, labels = BUF_INIT;
	size_t i;

	buf_adds(b, "<table>\n");
	report_pair(b, "run", "%lld%s%s", (long long)r->run_id,
	    r->run_name != NULL ? " " : "",
	    r->run_name != NULL ? r->run_name : "");
	report_pair(b, "source", "%s", run->source);
	report_pair(b, "stored", "%s to %s (%s)", run->started_at,
	    run->ended_at == NULL ? "-" : run->ended_at, run->status);
	for (i = 0; i < run->nlabels; i++)
		buf_addf(&labels, "%s%s", i > 0 ? ", " : "", run->labels[i]);
	if (run->nlabels > 0)
		report_pair(b, "labels", "%s", labels.data);
	report_pair(b, "lines", "%lld read, %lld gc cycles, %lld scheduler "
	    "samples, %lld repaired, %lld unrecognised",
	    (long long)c->lines, (long long)c->gc_cycles,
	    (long long)c->sched_samples, (long long)c->repaired,
	    (long long)c->unrecognised);
	report_pair(b, "segments", "%lld (one per Go process)",
	    (long long)c->segments);
	report_pair(b, "tracestat", "%s", run->tracestat_version);
	buf_adds(b, "</table>\n");
	buf_free(&labels);
}

/* A time the store may not have: 0 when it has not, as SQL's coalesce. */
static int64_t
report_ms_or_0(const struct value *v)
{
	return v->type == VAL_NULL ? 0 : v->i;
}

static int
report_segments(struct report *r, struct buf *err)
{
	struct buf *b = &r->body;
	struct store_segment *segs = NULL, *g;
	char seg[32], go[64], dur[32], gc[32], forced[96], sched[32];
	int64_t first, last, v;
	size_t n = 0, i;

	if (store_segments(r->store, r->run_id, r->ctx->segment > 0 ?
	    r->ctx->segment : STORE_ALL_SEGMENTS, &segs, &n, err) < 0) {
		store_segments_free(segs, n);
		return -1;
	}
	buf_adds(b, "<h2>Segments</h2>\n<table>\n");
	report_row(b, 1, 6, "segment", "started by", "go format",
	    "duration (s)", "gc cycles (forced, periodic)",
	    "scheduler samples");
	r->segments = n > 0 ? xcalloc(n, sizeof *r->segments) : NULL;
	for (i = 0; i < n; i++) {
		g = &segs[i];
		r->segments[r->nsegments++] = g->segment;
		snprintf(seg, sizeof seg, "%d", g->segment);
		if (g->go_min == NULL && g->go_max == NULL)
			snprintf(go, sizeof go, "-");
		else if (g->go_max == NULL)
			snprintf(go, sizeof go, "go%s+", g->go_min);
		else if (g->go_min == NULL || strcmp(g->go_min,
		    g->go_max) == 0)
			snprintf(go, sizeof go, "go%s", g->go_max);
		else
			snprintf(go, sizeof go, "go%s-%s", g->go_min,
			    g->go_max);
		/* From the first time stamp of either clock to the last. */
		last = report_ms_or_0(&g->last_ms);
		if ((v = report_ms_or_0(&g->last_sched_ms)) > last)
			last = v;
		first = report_ms_or_0(&g->first_ms);
		if ((v = report_ms_or_0(&g->first_sched_ms)) < first)
			first = v;
		/* In doubles: a damaged store's times may be any int64. */
		snprintf(dur, sizeof dur, "%.3f",
		    ((double)last - (double)first) / 1000.0);
		snprintf(gc, sizeof gc, "%lld", (long long)g->gc_cycles);
		snprintf(forced, sizeof forced, "%s (%lld, %lld)", gc,
		    (long long)g->forced_cycles,
		    (long long)g->periodic_cycles);
		snprintf(sched, sizeof sched, "%lld",
		    (long long)g->sched_samples);
		report_row(b, 0, 6, seg, g->reason, go, dur, forced, sched);
	}
	buf_adds(b, "</table>\n");
	store_segments_free(segs, n);
	return 0;
}

/* A duration as figures.h writes it, µs and all. */
static void
report_us(char *s, size_t n, double us)
{
	figures_duration_us(s, n, us, 0);
}

static int
report_pauses(struct report *r, int segment, struct buf *verdicts,
    struct buf *err)
{
	struct buf *b = &r->body;
	struct pauses_options opt;
	struct pauses_result res;
	const struct pauses_series *s[3];
	static const char *const names[3] = { "sweep termination",
	    "mark termination", "sum of both phases" };
	char p50[32], p90[32], p99[32], p999[32], max[32], mean[32];
	char over[64], cnt[32], thr[32];
	size_t i;

	memset(&opt, 0, sizeof opt);
	opt.over_us = r->over_us;
	opt.phase = PAUSES_ANY;
	opt.top = 5;
	if (pauses_compute(r->store, r->run_id, segment, &opt, &res, err) < 0) {
		pauses_result_free(&res);
		return -1;
	}
	report_us(thr, sizeof thr, r->over_us);
	buf_addf(b, "<h3>Segment %d</h3>\n", segment);
	if (res.cycles == 0) {
		buf_adds(b, "<p>No gc cycle with both pauses.</p>\n");
		pauses_result_free(&res);
		return 0;
	}
	buf_adds(b, "<p>");
	report_verdict(b, res.cycles_over > 0 ? "bad" : "good",
	    res.cycles_over > 0 ? "pauses over threshold" :
	    "no pause over threshold");
	report_textf(b, " %lld of %lld cycles (%.2f%%) had a stop-the-world "
	    "phase over %s.", (long long)res.cycles_over,
	    (long long)res.cycles, 100 * res.share_over, thr);
	buf_adds(b, "</p>\n<table>\n");
	report_row(b, 1, 8, "phase", "p50", "p90", "p99", "p99.9", "max",
	    "mean", "over threshold");
	s[0] = &res.sweep;
	s[1] = &res.mark;
	s[2] = &res.stw;
	for (i = 0; i < 3; i++) {
		report_us(p50, sizeof p50, s[i]->p50_us);
		report_us(p90, sizeof p90, s[i]->p90_us);
		report_us(p99, sizeof p99, s[i]->p99_us);
		report_us(p999, sizeof p999, s[i]->p999_us);
		report_us(max, sizeof max, (double)s[i]->max_us);
		report_us(mean, sizeof mean, s[i]->mean_us);
		snprintf(over, sizeof over, "%lld (%.2f%%)",
		    (long long)s[i]->over, 100 * s[i]->share_over);
		report_row(b, 0, 8, names[i], p50, p90, p99, p999, max, mean,
		    over);
	}
	buf_adds(b, "</table>\n");
	if (res.nworst > 0) {
		buf_adds(b, "<table>\n");
		report_row(b, 1, 5, "worst cycles: gc", "start (s)",
		    "sweep termination", "mark termination", "forced");
		for (i = 0; i < res.nworst; i++) {
			const struct pauses_cycle *c = &res.worst[i];
			char t[32];

			snprintf(cnt, sizeof cnt, "%lld", (long long)c->gc_num);
			if (c->has_start)
				snprintf(t, sizeof t, "%.3f", c->start_ms /
				    1000.0);
			else
				snprintf(t, sizeof t, "-");
			report_us(p50, sizeof p50, (double)c->sweep_us);
			report_us(p90, sizeof p90, (double)c->mark_us);
			report_row(b, 0, 5, cnt, t, p50, p90,
			    c->forced ? "yes" : "no");
		}
		buf_adds(b, "</table>\n");
	}
	buf_addf(verdicts, "<li>Pauses, segment %d: ", segment);
	report_verdict(verdicts, res.cycles_over > 0 ? "bad" : "good",
	    res.cycles_over > 0 ? "over threshold" : "ok");
	report_us(max, sizeof max, (double)res.stw.max_us);
	report_us(p99, sizeof p99, res.stw.p99_us);
	report_textf(verdicts, " %lld of %lld cycles over %s; p99 of the sum "
	    "of both phases %s, max %s.", (long long)res.cycles_over,
	    (long long)res.cycles, thr, p99, max);
	buf_adds(verdicts, "</li>\n");
	pauses_result_free(&res);
	return 0;
}

/* The figures of one leak analysis, as rows of the open table. */
static void
report_leak_pairs(struct buf *b, const struct leaks_result *leak)
{
	if (!leak->has_fit)
		return;
	report_pair(b, "fitted floor slope", "%+.3f MiB/min "
	    "(Theil-Sen through %zu %s)",
	    figures_slope_per_minute(leak->slope_mib_per_s),
	    leak->n_floors, leak->method == LEAKS_METHOD_CYCLES ? "cycles" :
	    "window floors");
	report_pair(b, "rise over the window", "%.1f MiB (threshold "
	    "%.1f MiB)", leak->rise_mib, leak->threshold_mib);
	if (leak->method == LEAKS_METHOD_CYCLES)
		report_pair(b, "trend test", "Mann-Kendall S %.0f, exact "
		    "one-sided p %.3g", leak->mk_s, leak->p_value);
	else
		report_pair(b, "trend test", "Mann-Kendall Z %.2f, p %.3g",
		    leak->mk_z, leak->p_value);
	report_pair(b, "confidence", "%.2f", leak->confidence);
}

static const char *
report_leak_class(const struct leaks_result *leak)
{
	return leak->verdict == LEAKS_LEAK ? "bad" :
	    leak->verdict == LEAKS_NO_LEAK ? "good" : "unknown";
}

/*
 * The leak verdict of one series as an item of the verdicts, left open
 * for more: "<li>WHAT, segment N: verdict reason; FLOOR +1.00 MiB/min".
 */
static void
report_leak_item(struct buf *verdicts, const char *what, int segment,
    const struct leaks_result *leak, const char *floor)
{
	buf_addf(verdicts, "<li>%s, segment %d: ", what, segment);
	report_verdict(verdicts, report_leak_class(leak),
	    leaks_verdict_name(leak->verdict));
	buf_adds(verdicts, " ");
	report_text(verdicts, leak->reason);
	if (leak->has_fit)
		report_textf(verdicts, "; %s %+.2f MiB/min", floor,
		    figures_slope_per_minute(leak->slope_mib_per_s));
}

/*
 * The goroutine stacks of a segment (Go 1.18+): their leak verdict and
 * figures, and a line in the verdicts.  Nothing when the lines have none.
 */
static int
report_stacks(struct report *r, int segment, struct buf *verdicts,
    struct buf *err)
{
	struct buf *b = &r->body;
	struct leaks_options lopt;
	struct leaks_result leak;
	const char *cls;

	leaks_options_init(&lopt);
	if (leaks_analyse_series(r->store, r->run_id, segment,
	    LEAKS_SERIES_STACKS, &lopt, &leak, err) < 0) {
		leaks_result_free(&leak);
		return -1;
	}
	if (leak.cycles_total == 0) {
		leaks_result_free(&leak);
		return 0;
	}
	cls = report_leak_class(&leak);
	buf_adds(b, "<p>Goroutine stacks: ");
	report_verdict(b, cls, leaks_verdict_name(leak.verdict));
	buf_adds(b, " ");
	report_text(b, leak.reason);
	buf_adds(b, "</p>\n<table>\n");
	report_leak_pairs(b, &leak);
	report_pair(b, "stacks", "%.0f MiB at the last cycle",
	    leak.last_live_mib);
	buf_adds(b, "</table>\n");
	report_leak_item(verdicts, "Goroutine stacks", segment, &leak,
	    "stacks floor");
	buf_adds(verdicts, ".</li>\n");
	leaks_result_free(&leak);
	return 0;
}

static int
report_heap(struct report *r, int segment, struct buf *verdicts,
    struct buf *err)
{
	struct buf *b = &r->body;
	struct heap_options hopt;
	struct heap_result heap;
	struct leaks_options lopt;
	struct leaks_result leak;
	const char *cls;
	int rc = -1;

	memset(&heap, 0, sizeof heap);
	memset(&leak, 0, sizeof leak);
	hopt.buckets = 10;
	leaks_options_init(&lopt);
	if (heap_compute(r->store, r->run_id, segment, &hopt, &heap, err) < 0 ||
	    leaks_analyse(r->store, r->run_id, segment, &lopt, &leak, err) < 0)
		goto out;
	buf_addf(b, "<h3>Segment %d</h3>\n", segment);
	cls = report_leak_class(&leak);
	buf_adds(b, "<p>Leak verdict: ");
	report_verdict(b, cls, leaks_verdict_name(leak.verdict));
	buf_adds(b, " ");
	report_text(b, leak.reason);
	buf_adds(b, "</p>\n<table>\n");
	report_leak_pairs(b, &leak);
	if (leak.has_window)
		report_pair(b, "window analysed", "%.1f s to %.1f s (warm-up "
		    "%.1f s left out)", leak.window_start_s,
		    leak.window_end_s, leak.warmup_s);
	report_pair(b, "cycles", "%d in all, %d forced or periodic left out, "
	    "%d in the warm-up, %d used", leak.cycles_total,
	    leak.cycles_excluded, leak.cycles_warmup, leak.cycles_used);
	if (heap.cycles > 0) {
		report_pair(b, "live heap", "%lld MiB first, %lld MiB last, "
		    "%lld MiB at most (gc %lld at %.1f s), mean %.1f MiB",
		    (long long)heap.first_live_mib,
		    (long long)heap.last_live_mib,
		    (long long)heap.peak_live.mib,
		    (long long)heap.peak_live.gc_num, heap.peak_live.t_s,
		    heap.mean_live_mib);
		if (heap.has_growth_rate)
			report_pair(b, "live heap growth", "%+lld MiB, %+.2f "
			    "MiB/min over %.1f s", (long long)heap.growth_mib,
			    heap.growth_mib_per_min, heap.duration_s);
		report_pair(b, "peak heap goal", "%lld MiB",
		    (long long)heap.peak_goal.mib);
		report_pair(b, "goal overshoot", "%lld cycles (%.1f%%), at "
		    "most %lld MiB (%.1f%%)",
		    (long long)heap.overshoot_cycles,
		    100 * heap.overshoot_share,
		    (long long)heap.overshoot_max_mib,
		    heap.overshoot_max_pct);
		if (heap.has_alloc)
			report_pair(b, "allocation rate", "mean %.1f MiB/s, "
			    "p50 %.1f, p99 %.1f, max %.1f MiB/s",
			    heap.alloc_rate_mean_mib_per_s,
			    heap.alloc_rate_p50_mib_per_s,
			    heap.alloc_rate_p99_mib_per_s,
			    heap.alloc_rate_max_mib_per_s);
	}
	buf_adds(b, "</table>\n");
	report_leak_item(verdicts, "Heap", segment, &leak, "live-heap floor");
	if (heap.cycles > 0)
		report_textf(verdicts, "; peak live heap %lld MiB",
		    (long long)heap.peak_live.mib);
	buf_adds(verdicts, ".</li>\n");
	rc = report_stacks(r, segment, verdicts, err);
out:
	heap_result_free(&heap);
	leaks_result_free(&leak);
	return rc;
}

static int
report_sched(struct report *r, int segment, struct buf *verdicts,
    struct buf *err)
{
	struct buf *b = &r->body;
	struct sched_result res;
	const char *v, *cls;

	if (sched_analyse(r->store, r->run_id, segment, &res, err) < 0) {
		sched_result_free(&res);
		return -1;
	}
	buf_addf(b, "<h3>Segment %d</h3>\n", segment);
	if (res.n_samples == 0) {
		buf_adds(b, "<p>No scheduler samples (run the program with "
		    "<code>GODEBUG=schedtrace=1000</code> to get them).</p>\n");
		sched_result_free(&res);
		return 0;
	}
	v = sched_verdict_name(res.thread_verdict);
	cls = res.thread_verdict == SCHED_VERDICT_GROWING ? "bad" :
	    res.thread_verdict == SCHED_VERDICT_STABLE ? "good" : "unknown";
	buf_adds(b, "<p>OS threads: ");
	report_verdict(b, cls, v != NULL ? v : "unknown");
	buf_adds(b, " &nbsp; Saturation: ");
	report_verdict(b, res.saturated_share >= 0.5 ? "bad" :
	    res.saturated_samples > 0 ? "unknown" : "good",
	    res.saturated_samples > 0 ? "saturated at times" :
	    "never saturated");
	buf_adds(b, "</p>\n<table>\n");
	report_pair(b, "samples", "%zu over %.1f s (%lld scheddetail dumps)",
	    res.n_samples, res.duration_s,
	    (long long)res.detailed_samples);
	report_pair(b, "GOMAXPROCS", "%lld (min %lld, max %lld, %lld "
	    "changes)", (long long)res.gomaxprocs_last,
	    (long long)res.gomaxprocs_min, (long long)res.gomaxprocs_max,
	    (long long)res.gomaxprocs_changes);
	report_pair(b, "idle Ps", "mean %.2f, min %lld; none idle in %.1f%% "
	    "of samples", res.idle_procs_mean, (long long)res.idle_procs_min,
	    100 * res.idle_zero_share);
	if (res.backlog_samples > 0)
		report_pair(b, "runnable backlog", "p50 %.1f, p99 %.1f, max "
		    "%lld, mean %.2f goroutines",
		    res.backlog_p50, res.backlog_p99,
		    (long long)res.backlog_max, res.backlog_mean);
	report_pair(b, "saturated samples", "%lld (%.1f%%): no idle P and a "
	    "backlog", (long long)res.saturated_samples,
	    100 * res.saturated_share);
	if (isnan(res.threads_slope_per_min))
		report_pair(b, "OS threads", "%lld to %lld (first %lld, last "
		    "%lld)", (long long)res.threads_min,
		    (long long)res.threads_max, (long long)res.threads_first,
		    (long long)res.threads_last);
	else
		report_pair(b, "OS threads", "%lld to %lld (first %lld, last "
		    "%lld); trend %+.2f threads/min, Mann-Kendall p %.3g",
		    (long long)res.threads_min, (long long)res.threads_max,
		    (long long)res.threads_first, (long long)res.threads_last,
		    res.threads_slope_per_min, res.threads_trend_p);
	report_pair(b, "spinning threads", "mean %.2f, max %lld",
	    res.spinning_mean, (long long)res.spinning_max);
	buf_adds(b, "</table>\n");
	buf_addf(verdicts, "<li>Scheduler, segment %d: threads ", segment);
	report_verdict(verdicts, cls, v != NULL ? v : "unknown");
	report_textf(verdicts, " (%lld to %lld); saturated in %.1f%% of %zu "
	    "samples.", (long long)res.threads_min,
	    (long long)res.threads_max, 100 * res.saturated_share,
	    res.n_samples);
	buf_adds(verdicts, "</li>\n");
	sched_result_free(&res);
	return 0;
}

static void
report_plots(struct report *r)
{
	static const char *const notes[PLOT_KIND_COUNT] = {
		"Heap at the start and end of each cycle, the live heap after "
		"GC (marked), the goal and the goroutine stacks; the leak "
		"analysis' fitted floor and its verdict under the title.",
		"The two stop-the-world phases of each cycle on a log axis; "
		"pauses printed as 0 (under the clock's 1 µs resolution) are "
		"drawn on the '< 1 µs' line; larger marks are over the "
		"threshold.",
		"Above: goroutines waiting in run queues and OS threads, gc "
		"starts as ticks along the top; below: GOMAXPROCS and idle "
		"Ps; shaded where the scheduler was saturated.",
		"GC CPU (the collector's CPU time over GOMAXPROCS × wall "
		"time) as a rolling mean, the run's GC CPU dashed (as "
		"tracestat summary gives it), idle marking (spare CPU) faint.",
		"The share of cycles whose pause was at or under each "
		"duration, per stop-the-world phase; the threshold marked."
	};
	struct plot_request req;
	struct plot_info info;
	struct buf out = BUF_INIT, name = BUF_INIT, err = BUF_INIT;
	struct buf messages = BUF_INIT;
	int k, rc;

	buf_adds(&r->body, "<h2>Plots</h2>\n");
	for (k = 0; k < PLOT_KIND_COUNT; k++) {
		memset(&req, 0, sizeof req);
		req.kind = (enum plot_kind)k;
		req.run_id = r->run_id;
		req.run_name = r->run_name;
		req.segment = r->ctx->segment;
		req.width = PLOT_WIDTH;
		req.height = PLOT_HEIGHT;
		req.over_us = r->over_us;
		buf_reset(&name);
		buf_addf(&name, "%s.png", plot_kind_name(req.kind));
		buf_reset(&out);
		buf_addf(&out, "%s/%s", r->dir, name.data);
		req.output = out.data;
		buf_reset(&err);
		buf_reset(&messages);
		rc = plot_draw(r->store, &req, plot_program(r->gnuplot), NULL,
		    &info, &messages, &err);
		buf_addf(&r->body, "<h3>%s</h3>\n<p class=\"note\">",
		    plot_kind_name(req.kind));
		report_text(&r->body, notes[k]);
		buf_adds(&r->body, "</p>\n");
		if (rc == 0) {
			buf_adds(&r->body, "<img src=\"");
			report_text(&r->body, name.data);
			buf_addf(&r->body, "\" width=\"%d\" height=\"%d\" "
			    "alt=\"%s plot\">\n", req.width, req.height,
			    plot_kind_name(req.kind));
			continue;
		}
		buf_adds(&r->body, "<p><span class=\"v bad\">not drawn</span> ");
		report_text(&r->body, buf_str(&err));
		if (messages.len > 0) {
			buf_adds(&r->body, "</p>\n<pre>");
			report_text(&r->body, messages.data);
			buf_adds(&r->body, "</pre>\n");
		} else
			buf_adds(&r->body, "</p>\n");
		if (r->plot_failed == 0)
			r->plot_failed = cmd_plot_failure(rc, &err,
			    &messages);
	}
	buf_free(&out);
	buf_free(&name);
	buf_free(&err);
	buf_free(&messages);
}

static int
report_write(struct report *r, const char *path)
{
	struct buf err = BUF_INIT;
	int rc = EXIT_OK;

	/* Never through a link planted in the directory. */
	if (safefile_write(path, r->html.data, r->html.len, &err) < 0) {
		cmd_error("%s", buf_str(&err));
		rc = EXIT_INPUT;
	}
	buf_free(&err);
	return rc;
}

static int
report_build(struct report *r)
{
	struct buf verdicts = BUF_INIT, err = BUF_INIT;
	char thr[32];
	size_t i;
	int rc = EXIT_STORE;

	if (report_segments(r, &err) < 0)
		goto fail;
	report_us(thr, sizeof thr, r->over_us);
	buf_adds(&r->body, "<h2>Stop-the-world pauses</h2>\n<p class=\"note\">"
	    "Sweep termination and mark termination, as the gc lines print "
	    "them (two significant digits; 0 means under 1 µs). Threshold ");
	report_text(&r->body, thr);
	buf_adds(&r->body, "; a cycle is over it when either phase is.</p>\n");
	for (i = 0; i < r->nsegments; i++)
		if (report_pauses(r, r->segments[i], &verdicts, &err) < 0)
			goto fail;
	buf_adds(&r->body, "<h2>Heap and leak verdict</h2>\n<p class=\"note\">"
	    "Sizes are MiB, truncated as the runtime prints them. The "
	    "verdict is that of <code>tracestat leaks</code> with its "
	    "defaults.</p>\n");
	for (i = 0; i < r->nsegments; i++)
		if (report_heap(r, r->segments[i], &verdicts, &err) < 0)
			goto fail;
	buf_adds(&r->body, "<h2>Scheduler</h2>\n");
	for (i = 0; i < r->nsegments; i++)
		if (report_sched(r, r->segments[i], &verdicts, &err) < 0)
			goto fail;
	report_plots(r);

	/* The verdicts first, then the sections they come from. */
	buf_adds(&r->html, "<h2>Verdicts</h2>\n<ul>\n");
	buf_adds(&r->html, buf_str(&verdicts));
	buf_adds(&r->html, "</ul>\n");
	buf_adds(&r->html, buf_str(&r->body));
	rc = EXIT_OK;
	goto out;
fail:
	cmd_error("%s", buf_str(&err));
out:
	buf_free(&verdicts);
	buf_free(&err);
	return rc;
}

static int
cmd_report_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (strcmp(ctx->run, "all") == 0)
		return cmd_usage_error(ctx->cmd, "a report covers one run: "
		    "give --run ID, NAME or latest");
	return EXIT_OK;
}

static int
cmd_report(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct report r;
	struct buf dir = BUF_INIT, path = BUF_INIT, err = BUF_INIT;
	const char *output = report_opt_output;
	struct store *s = ctx->store;
	int rc = EXIT_OK;

	memset(&r, 0, sizeof r);
	r.ctx = ctx;
	r.over_us = report_opt_over_us;
	r.gnuplot = report_opt_gnuplot;
	r.store = s;
	r.run_id = ctx->run_ids[0];
	if (store_run_get(s, r.run_id, &r.run, &err) != 0) {
		cmd_error("%s", err.len > 0 ? buf_str(&err) :
		    "the run is gone");
		rc = EXIT_STORE;
		goto out;
	}
	r.run_name = r.run.name;

	if (output != NULL)
		buf_adds(&dir, output);
	else {
		buf_adds(&dir, "tracestat-report-");
		if (r.run_name != NULL && *r.run_name != '\0')
			plot_add_file_part(&dir, r.run_name);
		else
			buf_addf(&dir, "%lld", (long long)r.run_id);
	}
	r.dir = dir.data;
	if (mkdir(r.dir, 0777) < 0 && errno != EEXIST) {
		cmd_error("cannot make the directory '%s': %s", r.dir,
		    strerror(errno));
		rc = EXIT_INPUT;
		goto out;
	}

	buf_adds(&r.html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>");
	report_textf(&r.html, "tracestat report: run %lld%s%s",
	    (long long)r.run_id, r.run_name != NULL ? " " : "",
	    r.run_name != NULL ? r.run_name : "");
	buf_addf(&r.html, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
	    "<h1>", report_css);
	report_textf(&r.html, "Go runtime trace report: run %lld%s%s",
	    (long long)r.run_id, r.run_name != NULL ? " " : "",
	    r.run_name != NULL ? r.run_name : "");
	buf_adds(&r.html, "</h1>\n");
	if (ctx->segment > 0)
		buf_addf(&r.html, "<p>Segment %d only.</p>\n", ctx->segment);
	report_header(&r);
	rc = report_build(&r);
	if (rc != EXIT_OK)
		goto out;
	if (r.nsegments == 0 && ctx->segment > 0) {
		cmd_error("no segment %d in run %lld of '%s'", ctx->segment,
		    (long long)r.run_id, ctx->db_path);
		rc = EXIT_STORE;
		goto out;
	}
	buf_adds(&r.html, "<p class=\"note\">Made by tracestat " PACKAGE_VERSION
	    "; see tracestat-report(1) for the definitions.</p>\n"
	    "</body>\n</html>\n");
	buf_addf(&path, "%s/index.html", r.dir);
	rc = report_write(&r, path.data);
	if (rc == EXIT_OK) {
		printf("%s\n", path.data);
		rc = r.plot_failed;
	}
out:
	store_run_free(&r.run);
	free(r.segments);
	buf_free(&r.html);
	buf_free(&r.body);
	buf_free(&dir);
	buf_free(&path);
	buf_free(&err);
	return rc;
}

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "[options]",
	.summary = "one HTML page with every analysis and plot",
	.options = (const struct option_spec[]){
		OPTION_NONEMPTY("output", 'o', "DIR",
		    "the directory (tracestat-report-RUN)", &report_opt_output,
		    "a directory"),
		OPTION_CUSTOM("over", 0, "DUR",
		    "pause threshold, e.g. 100us, 1ms (100us)",
		    &report_opt_over_us, cmd_parse_plot_over),
		CMD_OPTION_GNUPLOT(&report_opt_gnuplot),
		/* One run: not the shared --run, whose help offers "all". */
		OPTION_STRING_AT("run", 0, "R", "ID, NAME or latest (default)",
		    offsetof(struct cmd_ctx, run)),
		CMD_OPTION_SEGMENT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ | CMD_RUN_SELECT,
	.check = cmd_report_check,
	.exec = cmd_report
};
