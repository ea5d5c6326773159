#include "config.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "an-heap.h"
#include "an-leaks.h"
#include "an-overview.h"
#include "an-pauses.h"
#include "an-sched.h"
#include "cmd.h"
#include "figures.h"
#include "plot.h"
#include "report-html.h"
#include "safefile.h"
#include "units.h"
#include "xalloc.h"
#include "banned.h"

/*
 * report: one self-contained HTML page for a run, to attach to a bug.
 * From the top: the context, the key figures of each segment with their
 * verdicts, the plots (SVG inlined as data: URIs), the tables, and the
 * definitions of the figures, each stated once.  Every number comes from
 * the analyses summary uses; nothing is computed here.
 */

/* The options, set by the table of cmd_report_entry. */
static const char *report_opt_output;
static const char *report_opt_gnuplot;
static double report_opt_over_us = PLOT_OVER_US;

/* The images' size: legible at 100% on a laptop screen. */
#define REPORT_PLOT_WIDTH	800
#define REPORT_PLOT_HEIGHT	400
/* An image larger than this is refused; an SVG larger than
 * REPORT_MAX_SVG is drawn again as PNG, whose size its pixels bound. */
#define REPORT_MAX_IMAGE	(64u << 20)
#define REPORT_MAX_SVG		(2u << 20)
/* Saturated in at least this share of samples: the bad badge. */
#define REPORT_SATURATED_MOSTLY	0.5

/* Everything the page says about one segment. */
struct report_segment {
	struct store_segment	*info;		/* in report.segs */
	int			 segment;
	double			 duration_s;	/* -1: unknown */
	struct overview_result	 overview;
	struct pauses_result	 pauses;
	struct heap_result	 heap;
	struct leaks_result	 leaks[LEAKS_SERIES_COUNT];
	struct sched_result	 sched;
	int			 leaks_done;	/* leaks[] to free */
	/* Finished, for the plots (report_given_*; under share_lock). */
	int			 pauses_shared, leaks_shared;
};

struct report;

/* A plot of the page: drawn into a temporary file, read back. */
struct report_plot {
	struct report		*report;	/* the report it is for */
	struct plot_request	 req;
	const char		*tmpdir;	/* where it is drawn */
	struct buf		 path;		/* the image file */
	struct buf		 image;		/* its bytes */
	struct buf		 messages, err;
	int			 rc;		/* plot_failure, or 0 */
};

struct report {
	struct cmd_ctx		*ctx;
	struct store		*store;
	int64_t			 run_id;
	struct store_run	 run;
	const char		*run_name;
	double			 over_us;
	const char		*gnuplot;
	struct store_segment	*segs;
	size_t			 nsegs;
	struct report_segment	*rs;
	struct buf		 html;
	int			 compact;	/* key figures as a table */
	struct report_plot	 plots[PLOT_KIND_COUNT];
	int			 plot_failed;	/* an exit code, or 0 */
	/* The analyses the plots take from the tables' (report_given_*). */
	struct plot_given	 given;
	pthread_mutex_t		 share_lock;
};

static const char report_css[] =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
	"sans-serif;margin:1.5em auto;max-width:1680px;padding:0 1.2em;"
	"color:#222;background:#fff}\n"
	"h1{font-size:1.5em;margin:0 0 .4em}h2{font-size:1.25em;"
	"margin-top:1.6em;border-bottom:1px solid #ccc;padding-bottom:.2em}\n"
	"h3{font-size:1.05em;margin:1em 0 .3em}\n"
	"table{border-collapse:collapse;margin:.4em 0}\n"
	"th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;"
	"vertical-align:top}\n"
	"td{font-variant-numeric:tabular-nums}th{background:#f4f4f4;"
	"font-weight:600}\n"
	"table.context th{width:9em}\n"
	".v{font-weight:600;padding:1px 7px;border-radius:3px;"
	"white-space:nowrap}\n"
	".bad{background:#fdd;color:#900}.good{background:#dfd;color:#060}"
	".warn{background:#fec;color:#850}.unknown{background:#eee;"
	"color:#555}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,"
	"minmax(190px,1fr));gap:10px;margin:.5em 0 1em}\n"
	".card{border:1px solid #ccc;border-radius:6px;padding:8px 12px}\n"
	".card .name{font-size:.85em;color:#555}"
	".card .name a{color:inherit}\n"
	".card .value{font-size:1.6em;font-weight:600;"
	"font-variant-numeric:tabular-nums;margin:.1em 0}\n"
	".card .sub{font-size:.85em;color:#555;margin-top:.3em}\n"
	".plots{display:grid;grid-template-columns:repeat(auto-fill,"
	"minmax(min(100%,800px),1fr));gap:12px}\n"
	".plot img{max-width:100%;height:auto;border:1px solid #ddd}\n"
	".plot h3{margin:.2em 0}\n"
	".note{color:#666;font-size:.9em}\n"
	"table.figs{font-size:.9em}table.figs .v{white-space:normal}\n"
	"table.figs td.fig .value{font-size:1.15em;font-weight:600;"
	"white-space:nowrap}\n"
	"table.figs th a{color:inherit}\n"
	"dl.defs dt{font-weight:600;margin-top:.6em}"
	"dl.defs dd{margin-left:1.5em}\n"
	"code{background:#f4f4f4;padding:0 3px}\n";

/* ------------------------------------------------------------ analyses */

/* The segment's duration as summary gives it; -1 when it has none. */
static double
report_duration(const struct store_segment *g)
{
	double seconds;

	return overview_segment_duration(g, &seconds) == 0 ? seconds : -1;
}

/* The analyses of a segment, in parts that may run in parallel: each
 * fills its own fields of the segment. */
enum report_part {
	PART_OVERVIEW, PART_PAUSES, PART_HEAP, PART_LEAKS, PART_SCHED,
	PART_COUNT
};

/* One part of the analyses of a segment: the same calls and options as
 * summary. */
static int
report_analyse(struct report *r, struct store *s, struct report_segment *g,
    enum report_part part, struct buf *err)
{
	struct pauses_options po;
	struct heap_options ho;
	struct leaks_options lo;

	switch (part) {
	case PART_OVERVIEW:
		return overview_compute(s, r->run_id, g->segment, &g->overview,
		    err);
	case PART_PAUSES:
		memset(&po, 0, sizeof po);
		po.over_us = r->over_us;
		po.phase = PAUSES_ANY;
		po.top = 5;
		po.keep_cycles = 1;	/* for pause-dist (report_given_pauses) */
		return pauses_compute(s, r->run_id, g->segment, &po,
		    &g->pauses, err);
	case PART_HEAP:
		memset(&ho, 0, sizeof ho);
		ho.buckets = 10;
		return heap_compute(s, r->run_id, g->segment, &ho, &g->heap,
		    err);
	case PART_LEAKS:
		leaks_options_init(&lo);
		if (leaks_analyse_all(s, r->run_id, g->segment, &lo, g->leaks,
		    err) < 0)
			return -1;
		g->leaks_done = 1;
		return 0;
	default:
		return sched_analyse(s, r->run_id, g->segment, &g->sched,
		    err);
	}
}

static void
report_segment_free(struct report_segment *g)
{
	int k;

	pauses_result_free(&g->pauses);
	heap_result_free(&g->heap);
	if (g->leaks_done)
		for (k = 0; k < LEAKS_SERIES_COUNT; k++)
			leaks_result_free(&g->leaks[k]);
	sched_result_free(&g->sched);
}

/* ------------------------------------------------------------- context */

/* The value of label key of the run, or NULL. */
static const char *
report_label(const struct store_run *run, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; i < run->nlabels; i++)
		if (strncmp(run->labels[i], key, n) == 0 &&
		    run->labels[i][n] == '=')
			return run->labels[i] + n + 1;
	return NULL;
}

/* The Go format of a segment, "-" when unknown. */
static void
report_go_format(char *s, size_t n, const struct store_segment *g)
{
	overview_go_format(s, n, g);
	if (*s == '\0')
		snprintf(s, n, "-");
}

/* A context row, or its name added to unknown when there is no value. */
static void
report_context_row(struct buf *b, const char *name, const char *value,
    struct buf *unknown)
{
	if (value == NULL || *value == '\0') {
		buf_addf(unknown, "%s%s", unknown->len > 0 ? ", " : "", name);
		return;
	}
	buf_adds(b, "<tr><th>");
	report_text(b, name);
	buf_adds(b, "</th><td><code>");
	report_text(b, value);
	buf_adds(b, "</code></td></tr>\n");
}

static void
report_context(struct report *r)
{
	const struct store_run *run = &r->run;
	const struct run_counts *c = &run->counts;
	struct buf *b = &r->html, t = BUF_INIT, unknown = BUF_INIT;
	const char *go, *host;
	char fmt[64];
	double total = 0;
	int known = 0;
	size_t i;
	static const char *const skip[] = { "cmd", "host", "go_version",
	    "main_module", "godebug" };

	buf_adds(b, "<section id=\"context\">\n<table class=\"context\">\n");
	report_context_row(b, "command", report_label(run, "cmd"), &unknown);
	host = report_label(run, "host");
	if (host == NULL)
		host = run->host;
	report_context_row(b, "host", host, &unknown);
	go = report_label(run, "go_version");
	if (go == NULL && r->nsegs > 0) {
		/* The lines' format narrows the release down. */
		report_go_format(fmt, sizeof fmt, &r->segs[0]);
		report_pair(b, "Go version", "not recorded; the trace lines "
		    "fit %s", fmt);
	} else
		report_context_row(b, "Go version", go, &unknown);
	report_context_row(b, "main module", report_label(run, "main_module"),
	    &unknown);
	report_context_row(b, "GODEBUG", report_label(run, "godebug"),
	    &unknown);
	for (i = 0; i < run->nlabels; i++) {
		size_t k, klen = strcspn(run->labels[i], "=");
		int seen = 0;

		for (k = 0; k < sizeof skip / sizeof skip[0]; k++)
			seen |= strlen(skip[k]) == klen &&
			    strncmp(skip[k], run->labels[i], klen) == 0;
		if (!seen)
			buf_addf(&t, "%s%s", t.len > 0 ? ", " : "",
			    run->labels[i]);
	}
	if (t.len > 0)
		report_context_row(b, "labels", t.data, &unknown);
	report_pair(b, "run", "%lld%s%s, read from %s", (long long)r->run_id,
	    r->run_name != NULL ? " " : "",
	    r->run_name != NULL ? r->run_name : "", run->source);
	report_pair(b, "stored", "%s to %s UTC (%s)", run->started_at,
	    run->ended_at == NULL ? "-" : run->ended_at, run->status);
	for (i = 0; i < r->nsegs; i++)
		if (r->rs[i].duration_s >= 0) {
			total += r->rs[i].duration_s;
			known = 1;
		}
	buf_reset(&t);
	for (i = 0; r->nsegs > 1 && i < r->nsegs; i++) {
		buf_addf(&t, "%s%d", i > 0 ? ", " : ": ", r->rs[i].segment);
		if (r->rs[i].duration_s >= 0)
			buf_addf(&t, " (%.1f s)", r->rs[i].duration_s);
	}
	if (known)
		report_pair(b, "duration", "%.1f s of trace in %zu segment%s "
		    "(one per Go process)%s", total, r->nsegs,
		    r->nsegs == 1 ? "" : "s", buf_str(&t));
	else
		report_pair(b, "duration", "unknown (%zu segments)", r->nsegs);
	report_pair(b, "lines", "%lld read: %lld gc cycles, %lld scheduler "
	    "samples, %lld repaired, %lld unrecognised",
	    (long long)c->lines, (long long)c->gc_cycles,
	    (long long)c->sched_samples, (long long)c->repaired,
	    (long long)c->unrecognised);
	if (unknown.len > 0)
		report_pair(b, "not recorded", "%s (tracestat run records "
		    "them when it starts the program)", unknown.data);
	buf_adds(b, "</table>\n</section>\n");
	buf_free(&t);
	buf_free(&unknown);
}

/* --------------------------------------------------------- key figures */

/* The key figures, in the order of the page; ids name the definitions. */
enum report_fig {
	FIG_GC_CPU, FIG_PAUSE_P99, FIG_PAUSE_MAX, FIG_CYCLES_OVER,
	FIG_PEAK_HEAP, FIG_STACKS, FIG_ALLOC_RATE, FIG_GC_FREQUENCY,
	FIG_THREADS, FIG_SATURATED, FIG_COUNT
};

static const struct {
	const char	*id, *name;
} report_figs[FIG_COUNT] = {
	{ "gc-cpu", "GC CPU" }, { "pause-p99", "pause p99" },
	{ "pause-max", "pause max" },
	{ "cycles-over", "cycles over threshold" },
	{ "peak-heap", "peak live heap" }, { "stacks", "goroutine stacks" },
	{ "alloc-rate", "allocation rate" }, { "gc-frequency", "GC frequency" },
	{ "threads", "OS threads" }, { "saturated", "scheduler saturated" }
};

/*
 * A key figure: as a card (one segment), or as a cell of the segments'
 * table (r->compact, the line below as its title).  The name links to
 * the definition, the value carries its exact number in data-value (for
 * machines), and a badge says the verdict when the figure has one (cls
 * NULL: none).
 */
static void
report_card(struct report *r, int segment, enum report_fig fig,
    const char *value, double exact, const char *cls, const char *verdict,
    const char *sub)
{
	struct buf *b = &r->html;
	const char *id = report_figs[fig].id;

	if (r->compact) {
		buf_addf(b, "<td class=\"fig\" id=\"s%d-%s\"", segment, id);
		if (sub != NULL && *sub != '\0') {
			buf_adds(b, " title=\"");
			report_text(b, sub);
			buf_adds(b, "\"");
		}
		buf_adds(b, ">");
	} else {
		buf_addf(b, "<div class=\"card\" id=\"s%d-%s\">"
		    "<div class=\"name\"><a href=\"#def-%s\">", segment, id,
		    id);
		report_text(b, report_figs[fig].name);
		buf_adds(b, "</a></div>");
	}
	buf_addf(b, "<div class=\"value\" data-figure=\"%s\" "
	    "data-segment=\"%d\"", id, segment);
	if (!isnan(exact))
		buf_addf(b, " data-value=\"%.17g\"", exact);
	buf_adds(b, ">");
	report_text(b, value);
	buf_adds(b, "</div>");
	if (cls != NULL) {
		buf_adds(b, "<div class=\"verdict\">");
		report_verdict(b, cls, verdict);
		buf_adds(b, "</div>");
	}
	if (!r->compact && sub != NULL && *sub != '\0') {
		buf_adds(b, "<div class=\"sub\">");
		report_text(b, sub);
		buf_adds(b, "</div>");
	}
	buf_adds(b, r->compact ? "</td>\n" : "</div>\n");
}

static const char *
report_leak_class(const struct leaks_result *leak)
{
	return leak->verdict == LEAKS_LEAK ? "bad" :
	    leak->verdict == LEAKS_NO_LEAK ? "good" : "unknown";
}

static const char *
report_thread_class(enum sched_verdict v)
{
	return v == SCHED_VERDICT_GROWING ? "bad" :
	    v == SCHED_VERDICT_RISING ? "warn" :
	    v == SCHED_VERDICT_STABLE ? "good" : "unknown";
}

/* The saturation verdict: its badge class and words. */
static const char *
report_saturation(const struct sched_result *s, const char **words)
{
	if (s->backlog_samples == 0) {
		*words = "unknown";
		return "unknown";
	}
	if (s->saturated_share >= REPORT_SATURATED_MOSTLY) {
		*words = "most of the time";
		return "bad";
	}
	if (s->saturated_samples > 0) {
		*words = "at times";
		return "warn";
	}
	*words = "never";
	return "good";
}

static void
report_figures_segment(struct report *r, const struct report_segment *g)
{
	const struct overview_result *o = &g->overview;
	const struct pauses_result *p = &g->pauses;
	const struct heap_result *h = &g->heap;
	const struct leaks_result *leak = &g->leaks[LEAKS_SERIES_HEAP];
	const struct leaks_result *stacks = &g->leaks[LEAKS_SERIES_STACKS];
	const struct sched_result *s = &g->sched;
	struct buf *b = &r->html;
	char v[64], w[96], sub[192], thr[32];
	const char *words, *cls, *tv;
	int n = g->segment;

	figures_duration_us(thr, sizeof thr, r->over_us, 0);
	if (r->compact) {
		buf_addf(b, "<tr><th>%d</th>", n);
		if (g->duration_s >= 0)
			buf_addf(b, "<td>%.1f s</td>\n", g->duration_s);
		else
			buf_adds(b, "<td>-</td>\n");
	} else
		buf_adds(b, "<div class=\"cards\">\n");

	/* GC CPU and its verdict. */
	if (o->gc_cpu_valid) {
		snprintf(v, sizeof v, "%.1f%%", o->gc_cpu_share * 100);
		snprintf(w, sizeof w, "%s %.0f%%", o->gc_cpu_high ? "over" :
		    "under", OVERVIEW_GC_CPU_HIGH * 100);
		snprintf(sub, sizeof sub, "plus %.1f%% idle marking",
		    o->gc_cpu_idle_share * 100);
		report_card(r, n, FIG_GC_CPU, v, o->gc_cpu_share * 100,
		    o->gc_cpu_high ? "bad" : "good", w, sub);
	} else
		report_card(r, n, FIG_GC_CPU, "-", NAN, "unknown",
		    "too few cycles", NULL);

	/* Pauses: p99 and max of a cycle, and the cycles over. */
	if (p->cycles > 0) {
		figures_duration_us(v, sizeof v, p->cycle.p99_us, 0);
		report_card(r, n, FIG_PAUSE_P99, v, p->cycle.p99_us,
		    NULL, NULL, "a cycle's longer phase");
		figures_duration_us(v, sizeof v, (double)p->cycle.max_us, 0);
		report_card(r, n, FIG_PAUSE_MAX, v,
		    (double)p->cycle.max_us, NULL, NULL,
		    "the longest stop-the-world pause");
		snprintf(v, sizeof v, "%lld", (long long)p->cycles_over);
		snprintf(w, sizeof w, "%s %s", p->cycles_over > 0 ?
		    "over" : "none over", thr);
		snprintf(sub, sizeof sub, "of %lld cycles (%.2f%%) had a "
		    "phase over %s", (long long)p->cycles,
		    100 * p->share_over, thr);
		report_card(r, n, FIG_CYCLES_OVER, v,
		    (double)p->cycles_over, p->cycles_over > 0 ? "bad" :
		    "good", w, sub);
	} else {
		report_card(r, n, FIG_PAUSE_P99, "-", NAN, NULL, NULL,
		    "no cycle with both pauses");
		report_card(r, n, FIG_PAUSE_MAX, "-", NAN, NULL, NULL,
		    "no cycle with both pauses");
		report_card(r, n, FIG_CYCLES_OVER, "-", NAN, "unknown",
		    "unknown", "no cycle with both pauses");
	}

	/* Peak live heap, with the leak verdict on the live heap. */
	if (o->heap_cycles > 0) {
		snprintf(v, sizeof v, "%lld MiB", (long long)o->peak_live.mib);
		if (leak->has_fit)
			snprintf(sub, sizeof sub, "at %.1f s; leak trend "
			    "%+.2f MiB/min (%s)", o->peak_live.t_s,
			    figures_slope_per_minute(leak->slope_mib_per_s),
			    leak->reason != NULL ? leak->reason : "");
		else
			snprintf(sub, sizeof sub, "at %.1f s; %s",
			    o->peak_live.t_s, leak->reason != NULL ?
			    leak->reason : "");
		snprintf(w, sizeof w, "%s", leaks_verdict_name(leak->verdict));
		report_card(r, n, FIG_PEAK_HEAP, v,
		    (double)o->peak_live.mib, report_leak_class(leak), w, sub);
	} else
		report_card(r, n, FIG_PEAK_HEAP, "-", NAN,
		    "unknown", "no heap sizes", NULL);

	/* Goroutine stacks, where the lines print them (Go 1.18+). */
	if (!stacks->no_data && stacks->cycles_total > 0) {
		snprintf(v, sizeof v, "%.0f MiB", stacks->last_live_mib);
		if (stacks->has_fit)
			snprintf(sub, sizeof sub, "at the last cycle; leak "
			    "trend %+.2f MiB/min (%s)",
			    figures_slope_per_minute(stacks->slope_mib_per_s),
			    stacks->reason != NULL ? stacks->reason : "");
		else
			snprintf(sub, sizeof sub, "at the last cycle; %s",
			    stacks->reason != NULL ? stacks->reason : "");
		report_card(r, n, FIG_STACKS, v,
		    stacks->last_live_mib, report_leak_class(stacks),
		    leaks_verdict_name(stacks->verdict), sub);
	} else
		report_card(r, n, FIG_STACKS, "-", NAN, NULL, NULL,
		    "the gc lines print no stacks (before Go 1.18)");

	/* Allocation rate and GC frequency: figures without a verdict. */
	if (h->cycles > 0 && h->has_alloc) {
		snprintf(v, sizeof v, "%.1f MiB/s",
		    h->alloc_rate_mean_mib_per_s);
		snprintf(sub, sizeof sub, "p99 %.1f MiB/s between two cycles",
		    h->alloc_rate_p99_mib_per_s);
		report_card(r, n, FIG_ALLOC_RATE, v,
		    h->alloc_rate_mean_mib_per_s, NULL, NULL, sub);
	} else
		report_card(r, n, FIG_ALLOC_RATE, "-", NAN,
		    NULL, NULL, "too few cycles");
	if (o->cycles_per_s > 0) {
		snprintf(v, sizeof v, "%.2f /s", o->cycles_per_s);
		snprintf(sub, sizeof sub, "a cycle every %s",
		    figures_duration_us(w, sizeof w, 1e6 / o->cycles_per_s,
		    0));
		report_card(r, n, FIG_GC_FREQUENCY, v,
		    o->cycles_per_s, NULL, NULL, sub);
	} else
		report_card(r, n, FIG_GC_FREQUENCY, "-", NAN,
		    NULL, NULL, "too few cycles");

	/* The scheduler: thread verdict and saturation. */
	if (s->n_samples > 0) {
		tv = sched_verdict_name(s->thread_verdict);
		snprintf(v, sizeof v, "%lld-%lld", (long long)s->threads_min,
		    (long long)s->threads_max);
		if (isnan(s->threads_trend_p))
			snprintf(sub, sizeof sub, "too few samples for a "
			    "trend");
		else
			snprintf(sub, sizeof sub, "fitted rise %+.1f threads "
			    "(%+.2f/min), p %.2g", s->threads_rise,
			    s->threads_slope_per_min, s->threads_trend_p);
		report_card(r, n, FIG_THREADS, v, NAN,
		    report_thread_class(s->thread_verdict),
		    tv != NULL ? tv : "unknown", sub);
		cls = report_saturation(s, &words);
		if (s->backlog_samples > 0)
			snprintf(v, sizeof v, "%.1f%%",
			    100 * s->saturated_share);
		else
			snprintf(v, sizeof v, "-");
		snprintf(sub, sizeof sub, "of %lld samples; GOMAXPROCS %lld",
		    (long long)s->backlog_samples,
		    (long long)s->gomaxprocs_last);
		report_card(r, n, FIG_SATURATED, v,
		    s->backlog_samples > 0 ? 100 * s->saturated_share : NAN,
		    cls, words, sub);
	} else {
		report_card(r, n, FIG_THREADS, "-", NAN, NULL, NULL,
		    "no scheduler samples (GODEBUG=schedtrace=1000)");
		report_card(r, n, FIG_SATURATED, "-", NAN, NULL, NULL,
		    "no scheduler samples (GODEBUG=schedtrace=1000)");
	}
	buf_adds(b, r->compact ? "</tr>\n" : "</div>\n");
}

/*
 * The key figures: cards for one segment; for several, a table with a
 * row per segment (so the plots stay near the top).
 */
static void
report_figures(struct report *r)
{
	size_t i;
	int k;

	buf_adds(&r->html, "<section id=\"figures\">\n<h2>Key figures</h2>\n");
	r->compact = r->nsegs > 1;
	if (r->compact) {
		buf_adds(&r->html, "<table class=\"figs\">\n<tr><th>segment"
		    "</th><th>duration</th>");
		for (k = 0; k < FIG_COUNT; k++) {
			buf_addf(&r->html, "<th><a href=\"#def-%s\">",
			    report_figs[k].id);
			report_text(&r->html, report_figs[k].name);
			buf_adds(&r->html, "</a></th>");
		}
		buf_adds(&r->html, "</tr>\n");
	}
	for (i = 0; i < r->nsegs; i++)
		report_figures_segment(r, &r->rs[i]);
	if (r->compact)
		buf_adds(&r->html, "</table>\n<p class=\"note\">Hover over "
		    "a figure for its details; the tables below give them "
		    "all.</p>\n");
	buf_adds(&r->html, "</section>\n");
}

/* --------------------------------------------------------------- plots */

/* A line under each plot; the plot's own legend says the rest. */
static const char *
report_plot_note(const char *kind)
{
	static const struct {
		const char	*kind, *note;
	} notes[] = {
		{ "heap", "Heap at the start and end of each cycle, the live "
		    "heap after GC (marked), the goal and the goroutine "
		    "stacks; the leak analysis' fitted floor and its verdict "
		    "under the title." },
		{ "pauses", "The two stop-the-world phases of each cycle on a "
		    "log axis; pauses printed as 0 (under the clock's 1 µs "
		    "resolution) are drawn on the '< 1 µs' line; larger marks "
		    "are over the threshold." },
		{ "sched", "Above: goroutines waiting in run queues and OS "
		    "threads, gc starts as ticks along the top; below: "
		    "GOMAXPROCS and idle Ps; shaded where the scheduler was "
		    "saturated." },
		{ "gc-cpu", "GC CPU as a rolling mean, the run's GC CPU "
		    "dashed, idle marking (spare CPU) faint." },
		{ "pause-dist", "The share of cycles whose pause was at or "
		    "under each duration, per stop-the-world phase; the "
		    "threshold marked." }
	};
	size_t i;

	for (i = 0; i < sizeof notes / sizeof notes[0]; i++)
		if (strcmp(notes[i].kind, kind) == 0)
			return notes[i].note;
	return NULL;
}

/*
 * gnuplot's "dynamic" SVG has a viewBox but no size: without one an image
 * has no natural size of its own, and a browser guesses.  Give its root
 * element the size it was drawn at, unless it has one.
 */
static void
report_svg_sized(struct report_plot *p)
{
	struct buf out = BUF_INIT;
	const char *root, *end;
	size_t at;

	root = strstr(p->image.data, "<svg");
	if (root == NULL || (root[4] != ' ' && root[4] != '\n' &&
	    root[4] != '\t' && root[4] != '\r'))
		return;
	end = strchr(root, '>');
	if (end == NULL)
		return;
	/* A width of its own, within the root tag: leave it. */
	{
		const char *w = strstr(root, " width=");

		if (w != NULL && w < end)
			return;
		w = strstr(root, "\nwidth=");
		if (w != NULL && w < end)
			return;
	}
	at = (size_t)(root - p->image.data) + 4;
	buf_add(&out, p->image.data, at);
	buf_addf(&out, " width=\"%d\" height=\"%d\"", p->req.width,
	    p->req.height);
	buf_add(&out, p->image.data + at, p->image.len - at);
	buf_free(&p->image);
	p->image = out;
}

/* Run gnuplot on script and read the image back. */
static int
report_plot_run(struct report_plot *p, const struct buf *script)
{
	struct report *r = p->report;
	struct buf why = BUF_INIT;

	buf_reset(&p->image);
	buf_reset(&p->messages);
	buf_reset(&p->err);
	if (plot_run(plot_program(r->gnuplot), script->data, script->len,
	    &p->messages, &p->err) < 0) {
		p->rc = PLOT_FAIL_GNUPLOT;
		return -1;
	}
	if (report_read_file(p->path.data, REPORT_MAX_IMAGE, &p->image,
	    &p->err) < 0) {
		buf_addf(&why, "%s: gnuplot gave no image (%s)",
		    plot_kind_name(p->req.kind), buf_str(&p->err));
		buf_free(&p->err);
		p->err = why;
		p->rc = PLOT_FAIL_GNUPLOT;
		return -1;
	}
	p->rc = 0;
	return 0;
}

/*
 * Draw one plot: SVG, or PNG when the SVG is too large to mail (a plot
 * that keeps a mark for every pixel a million cycles touch), PNG being
 * bounded by its pixels.  The PNG is drawn from the same script, so the
 * store is read once.  The images go to the report's own temporary
 * folder (report_tmpdir), which nobody else writes.
 */
static void
report_plot_draw(struct report_plot *p, struct store *s)
{
	struct plot_request svg = p->req;
	struct buf script = BUF_INIT, svg_path = BUF_INIT;

	buf_reset(&p->err);
	if (plot_script(s, &p->req, &script, NULL, &p->err) < 0) {
		p->rc = PLOT_FAIL_DATA;
		goto out;
	}
	if (report_plot_run(p, &script) < 0)
		goto out;
	if (p->image.len <= REPORT_MAX_SVG) {
		report_svg_sized(p);
		goto out;
	}
	unlink(p->path.data);
	buf_adds(&svg_path, p->path.data);
	svg.output = svg_path.data;
	p->req.svg = 0;
	buf_reset(&p->path);
	buf_addf(&p->path, "%s/%s.png", p->tmpdir,
	    plot_kind_name(p->req.kind));
	p->req.output = p->path.data;
	if (plot_script_retarget(&script, &svg, &p->req, &p->err) < 0) {
		p->rc = PLOT_FAIL_SCRIPT;
		goto out;
	}
	report_plot_run(p, &script);
out:
	buf_free(&script);
	buf_free(&svg_path);
}

/* The segment's analyses, when the part has finished; else NULL. */
static struct report_segment *
report_shared(struct report *r, int segment, int pauses)
{
	struct report_segment *g = NULL;
	size_t i;

	pthread_mutex_lock(&r->share_lock);
	for (i = 0; i < r->nsegs; i++)
		if (r->rs[i].segment == segment &&
		    (pauses ? r->rs[i].pauses_shared : r->rs[i].leaks_shared))
			g = &r->rs[i];
	pthread_mutex_unlock(&r->share_lock);
	return g;
}

static const struct pauses_result *
report_given_pauses(void *ctx, int segment)
{
	struct report_segment *g = report_shared(ctx, segment, 1);

	return g != NULL ? &g->pauses : NULL;
}

static const struct leaks_result *
report_given_leaks(void *ctx, int segment)
{
	struct report_segment *g = report_shared(ctx, segment, 0);

	return g != NULL ? g->leaks : NULL;
}

/* The plot requests of every kind, drawn into tmpdir. */
static void
report_plots_prepare(struct report *r, const char *tmpdir)
{
	struct report_plot *p;
	int k;

	r->given.pauses = report_given_pauses;
	r->given.leaks = report_given_leaks;
	r->given.ctx = r;
	for (k = 0; k < PLOT_KIND_COUNT; k++) {
		p = &r->plots[k];
		memset(p, 0, sizeof *p);
		p->report = r;
		p->req.given = &r->given;
		p->req.kind = (enum plot_kind)k;
		p->req.run_id = r->run_id;
		p->req.run_name = r->run_name;
		p->req.segment = r->ctx->segment;
		p->req.svg = 1;
		p->req.width = REPORT_PLOT_WIDTH;
		p->req.height = REPORT_PLOT_HEIGHT;
		p->req.over_us = r->over_us;
		p->tmpdir = tmpdir;
		buf_addf(&p->path, "%s/%s.svg", tmpdir,
		    plot_kind_name(p->req.kind));
		p->req.output = p->path.data;
	}
}

static void
report_plots(struct report *r)
{
	struct buf *b = &r->html;
	const char *note;
	int k;

	buf_adds(b, "<section id=\"plots\">\n<h2>Plots</h2>\n"
	    "<div class=\"plots\">\n");
	for (k = 0; k < PLOT_KIND_COUNT; k++) {
		struct report_plot *p = &r->plots[k];
		const char *kind = plot_kind_name(p->req.kind);

		buf_addf(b, "<figure class=\"plot\" id=\"plot-%s\">"
		    "<h3>%s</h3>\n", kind, kind);
		if (p->rc == 0) {
			buf_addf(b, "<img src=\"data:image/%s;base64,",
			    p->req.svg ? "svg+xml" : "png");
			report_base64(b, p->image.data, p->image.len);
			buf_addf(b, "\" width=\"%d\" height=\"%d\" alt=\"%s "
			    "plot\">\n", p->req.width, p->req.height, kind);
		} else {
			buf_adds(b, "<p><span class=\"v bad\">not drawn</span>"
			    " ");
			report_text(b, buf_str(&p->err));
			buf_adds(b, "</p>\n");
			if (p->messages.len > 0) {
				buf_adds(b, "<pre>");
				report_text(b, p->messages.data);
				buf_adds(b, "</pre>\n");
			}
			if (r->plot_failed == 0)
				r->plot_failed = cmd_plot_failure(p->rc,
				    &p->err, &p->messages);
		}
		if ((note = report_plot_note(kind)) != NULL) {
			buf_adds(b, "<figcaption class=\"note\">");
			report_text(b, note);
			buf_adds(b, " See <code>tracestat-plot(1)</code>."
			    "</figcaption>\n");
		}
		buf_adds(b, "</figure>\n");
	}
	buf_adds(b, "</div>\n</section>\n");
}

/* Remove the images and free the plots. */
static void
report_plots_free(struct report *r)
{
	int k;

	for (k = 0; k < PLOT_KIND_COUNT; k++) {
		struct report_plot *p = &r->plots[k];

		if (p->path.len > 0)
			unlink(p->path.data);
		buf_free(&p->path);
		buf_free(&p->image);
		buf_free(&p->messages);
		buf_free(&p->err);
	}
}

/* -------------------------------------------------------------- tables */

static void
report_segments_table(struct report *r)
{
	struct buf *b = &r->html;
	const struct store_segment *g;
	char seg[32], go[64], dur[32], forced[96], sched[32];
	size_t i;

	buf_adds(b, "<h3>Segments</h3>\n<table>\n");
	report_row(b, 1, 6, "segment", "started by", "go format",
	    "duration (s)", "gc cycles (forced, periodic)",
	    "scheduler samples");
	for (i = 0; i < r->nsegs; i++) {
		g = r->rs[i].info;
		snprintf(seg, sizeof seg, "%d", g->segment);
		report_go_format(go, sizeof go, g);
		if (r->rs[i].duration_s >= 0)
			snprintf(dur, sizeof dur, "%.3f", r->rs[i].duration_s);
		else
			snprintf(dur, sizeof dur, "-");
		snprintf(forced, sizeof forced, "%lld (%lld, %lld)",
		    (long long)g->gc_cycles, (long long)g->forced_cycles,
		    (long long)g->periodic_cycles);
		snprintf(sched, sizeof sched, "%lld",
		    (long long)g->sched_samples);
		report_row(b, 0, 6, seg, g->reason, go, dur, forced, sched);
	}
	buf_adds(b, "</table>\n");
}

static void
report_pauses_table(struct report *r, const struct report_segment *g)
{
	struct buf *b = &r->html;
	const struct pauses_result *res = &g->pauses;
	const struct pauses_series *s[3];
	static const char *const names[3] = { "sweep termination",
	    "mark termination", "a cycle (its longer phase)" };
	char p50[32], p90[32], p99[32], p999[32], max[32], mean[32];
	char over[64], cnt[32], t[32];
	size_t i;

	if (res->cycles == 0) {
		buf_adds(b, "<p>Pauses: no gc cycle with both pauses.</p>\n");
		return;
	}
	buf_adds(b, "<table>\n");
	report_row(b, 1, 8, "pauses", "p50", "p90", "p99", "p99.9", "max",
	    "mean", "over threshold");
	s[0] = &res->sweep;
	s[1] = &res->mark;
	s[2] = &res->cycle;	/* the key figures' pause (pauses_result) */
	for (i = 0; i < 3; i++) {
		figures_duration_us(p50, sizeof p50, s[i]->p50_us, 0);
		figures_duration_us(p90, sizeof p90, s[i]->p90_us, 0);
		figures_duration_us(p99, sizeof p99, s[i]->p99_us, 0);
		figures_duration_us(p999, sizeof p999, s[i]->p999_us, 0);
		figures_duration_us(max, sizeof max, (double)s[i]->max_us, 0);
		figures_duration_us(mean, sizeof mean, s[i]->mean_us, 0);
		snprintf(over, sizeof over, "%lld (%.2f%%)",
		    (long long)s[i]->over, 100 * s[i]->share_over);
		report_row(b, 0, 8, names[i], p50, p90, p99, p999, max, mean,
		    over);
	}
	buf_adds(b, "</table>\n");
	if (res->nworst == 0)
		return;
	buf_adds(b, "<table>\n");
	report_row(b, 1, 5, "worst cycles: gc", "start (s)",
	    "sweep termination", "mark termination", "forced");
	for (i = 0; i < res->nworst; i++) {
		const struct pauses_cycle *c = &res->worst[i];

		snprintf(cnt, sizeof cnt, "%lld", (long long)c->gc_num);
		if (c->has_start)
			snprintf(t, sizeof t, "%.3f", c->start_ms / 1000.0);
		else
			snprintf(t, sizeof t, "-");
		figures_duration_us(p50, sizeof p50, (double)c->sweep_us, 0);
		figures_duration_us(p90, sizeof p90, (double)c->mark_us, 0);
		report_row(b, 0, 5, cnt, t, p50, p90, c->forced ? "yes" : "no");
	}
	buf_adds(b, "</table>\n");
}

/* The figures of one leak analysis, as rows of the open table. */
static void
report_leak_pairs(struct buf *b, const struct leaks_result *leak,
    const char *what)
{
	struct buf name = BUF_INIT;

	report_pair(b, "verdict", "%s (%s)", leaks_verdict_name(leak->verdict),
	    leak->reason != NULL ? leak->reason : "");
	if (!leak->has_fit)
		return;
	buf_addf(&name, "%s leak trend", what);
	report_pair(b, name.data, "%+.3f MiB/min (Theil-Sen through %zu %s)",
	    figures_slope_per_minute(leak->slope_mib_per_s), leak->n_floors,
	    leak->method == LEAKS_METHOD_CYCLES ? "cycles after the warm-up" :
	    "window floors after the warm-up");
	report_pair(b, "fitted rise", "%.1f MiB over the window (a leak from "
	    "%.1f MiB)", leak->rise_mib, leak->threshold_mib);
	if (leak->method == LEAKS_METHOD_CYCLES)
		report_pair(b, "trend test", "Mann-Kendall S %.0f, exact "
		    "one-sided p %.3g", leak->mk_s, leak->p_value);
	else
		report_pair(b, "trend test", "Mann-Kendall Z %.2f, p %.3g",
		    leak->mk_z, leak->p_value);
	report_pair(b, "confidence", "%.2f", leak->confidence);
	buf_free(&name);
}

static void
report_heap_table(struct report *r, const struct report_segment *g)
{
	struct buf *b = &r->html;
	const struct heap_result *heap = &g->heap;
	const struct overview_result *o = &g->overview;
	const struct leaks_result *leak = &g->leaks[LEAKS_SERIES_HEAP];
	const struct leaks_result *stacks = &g->leaks[LEAKS_SERIES_STACKS];

	buf_adds(b, "<table>\n<tr><th colspan=\"2\">live heap</th></tr>\n");
	report_leak_pairs(b, leak, "live-heap floor");
	if (leak->has_window)
		report_pair(b, "window analysed", "%.1f s to %.1f s (warm-up "
		    "%.1f s left out)", leak->window_start_s,
		    leak->window_end_s, leak->warmup_s);
	report_pair(b, "cycles", "%d in all, %d forced or periodic left out, "
	    "%d in the warm-up, %d used", leak->cycles_total,
	    leak->cycles_excluded, leak->cycles_warmup, leak->cycles_used);
	if (o->heap_cycles > 0)
		/* A change, not a rate: the only heap rate is the trend. */
		report_pair(b, "first and last cycle", "%lld MiB, then %lld "
		    "MiB (warm-up included)", (long long)o->first_live_mib,
		    (long long)o->last_live_mib);
	if (heap->cycles > 0) {
		report_pair(b, "live heap", "mean %.1f MiB, least %lld MiB",
		    heap->mean_live_mib, (long long)heap->min_live_mib);
		report_pair(b, "peak heap goal", "%lld MiB",
		    (long long)heap->peak_goal.mib);
		report_pair(b, "goal overshoot", "%lld cycles (%.1f%%), at "
		    "most %lld MiB (%.1f%%)",
		    (long long)heap->overshoot_cycles,
		    100 * heap->overshoot_share,
		    (long long)heap->overshoot_max_mib,
		    heap->overshoot_max_pct);
		if (heap->has_alloc)
			report_pair(b, "allocation rate between cycles", "p50 "
			    "%.1f, p99 %.1f, max %.1f MiB/s",
			    heap->alloc_rate_p50_mib_per_s,
			    heap->alloc_rate_p99_mib_per_s,
			    heap->alloc_rate_max_mib_per_s);
	}
	if (!stacks->no_data && stacks->cycles_total > 0) {
		buf_adds(b, "<tr><th colspan=\"2\">goroutine stacks</th>"
		    "</tr>\n");
		report_leak_pairs(b, stacks, "stacks floor");
	}
	buf_adds(b, "</table>\n");
}

static void
report_sched_table(struct report *r, const struct report_segment *g)
{
	struct buf *b = &r->html;
	const struct sched_result *res = &g->sched;

	if (res->n_samples == 0) {
		buf_adds(b, "<p>Scheduler: no samples (run the program with "
		    "<code>GODEBUG=schedtrace=1000</code> to get them).</p>\n");
		return;
	}
	buf_adds(b, "<table>\n<tr><th colspan=\"2\">scheduler</th></tr>\n");
	report_pair(b, "samples", "%zu over %.1f s (%lld scheddetail dumps)",
	    res->n_samples, res->duration_s,
	    (long long)res->detailed_samples);
	report_pair(b, "GOMAXPROCS", "%lld (min %lld, max %lld, %lld "
	    "changes)", (long long)res->gomaxprocs_last,
	    (long long)res->gomaxprocs_min, (long long)res->gomaxprocs_max,
	    (long long)res->gomaxprocs_changes);
	report_pair(b, "idle Ps", "mean %.2f, min %lld; none idle in %.1f%% "
	    "of samples", res->idle_procs_mean,
	    (long long)res->idle_procs_min, 100 * res->idle_zero_share);
	if (res->backlog_samples > 0)
		report_pair(b, "runnable backlog", "p50 %.1f, p99 %.1f, max "
		    "%lld, mean %.2f goroutines", res->backlog_p50,
		    res->backlog_p99, (long long)res->backlog_max,
		    res->backlog_mean);
	report_pair(b, "OS threads", "first %lld, last %lld",
	    (long long)res->threads_first, (long long)res->threads_last);
	if (!isnan(res->threads_trend_p))
		report_pair(b, "thread trend test", "Mann-Kendall Z %.2f, "
		    "p %.3g; fitted rise %+.1f threads",
		    res->threads_trend_z, res->threads_trend_p,
		    res->threads_rise);
	report_pair(b, "spinning threads", "mean %.2f, max %lld",
	    res->spinning_mean, (long long)res->spinning_max);
	buf_adds(b, "</table>\n");
}

static void
report_tables(struct report *r)
{
	size_t i;

	buf_adds(&r->html, "<section id=\"tables\">\n<h2>Tables</h2>\n");
	report_segments_table(r);
	for (i = 0; i < r->nsegs; i++) {
		buf_addf(&r->html, "<h3>Segment %d</h3>\n", r->rs[i].segment);
		report_pauses_table(r, &r->rs[i]);
		report_heap_table(r, &r->rs[i]);
		report_sched_table(r, &r->rs[i]);
	}
	buf_adds(&r->html, "</section>\n");
}

/* --------------------------------------------------------- definitions */

static void
report_definition(struct buf *b, const char *id, const char *name,
    const char *text)
{
	buf_addf(b, "<dt id=\"def-%s\">", id);
	report_text(b, name);
	buf_adds(b, "</dt><dd>");
	report_text(b, text);
	buf_adds(b, "</dd>\n");
}

static void
report_definitions(struct report *r)
{
	struct buf *b = &r->html, t = BUF_INIT;
	char thr[32];

	figures_duration_us(thr, sizeof thr, r->over_us, 0);
	buf_adds(b, "<section id=\"definitions\">\n<h2>Definitions</h2>\n"
	    "<dl class=\"defs\">\n");
	buf_addf(&t, "The collector's CPU time (sweep termination, mark "
	    "assist, background marking and mark termination, as the gc "
	    "lines print them) over the CPU capacity, GOMAXPROCS times the "
	    "time from each cycle's start to the next one's, summed over "
	    "the segment before dividing. Idle marking (GC work on Ps that "
	    "had nothing else to run) is spare CPU and is given apart, as "
	    "the runtime does. Over %.0f%% is high.",
	    OVERVIEW_GC_CPU_HIGH * 100);
	report_definition(b, "gc-cpu", "GC CPU", t.data);
	report_definition(b, "pause-p99", "pause p99", "A cycle stops the "
	    "world twice, at sweep termination and at mark termination, "
	    "with the program running in between; a cycle's pause is the "
	    "longer of the two, wall clock, as the gc line prints them (two "
	    "significant digits; 0 means under 1 µs). The p99 is the 99th "
	    "percentile (type 7) of that over the segment's cycles.");
	report_definition(b, "pause-max", "pause max", "The longest "
	    "cycle's pause as for the p99: the longest stop-the-world "
	    "pause of the segment.");
	buf_reset(&t);
	buf_addf(&t, "Cycles whose pause, as for the p99, is over %s (set "
	    "with --over): either phase over it. So the pause max is over "
	    "%s exactly when a cycle is counted here.", thr, thr);
	report_definition(b, "cycles-over", "cycles over threshold", t.data);
	report_definition(b, "peak-heap", "peak live heap", "The largest "
	    "live heap (marked, the gc line's third heap size) of a cycle, "
	    "MiB as the runtime prints them (truncated). Its verdict is the "
	    "leak verdict of tracestat leaks with its defaults: a "
	    "significant Mann-Kendall rise of the live-heap floors (the "
	    "lowest live heap in each of up to 10 time windows) after the "
	    "warm-up, whose fitted Theil-Sen rise reaches the threshold. "
	    "The leak trend is that line's slope in MiB per minute; it "
	    "leaves out the warm-up and the peaks between collections, so "
	    "it is lower than a change from the first cycle to the last, "
	    "which this page gives as two sizes, not as a rate.");
	report_definition(b, "stacks", "goroutine stacks", "The stacks size "
	    "the gc lines print (Go 1.18 and later) at the last cycle, with "
	    "the same leak verdict and trend on that series: goroutines "
	    "that never end show here.");
	report_definition(b, "alloc-rate", "allocation rate", "The memory "
	    "allocated between the starts of consecutive cycles (heap "
	    "growth during the cycle plus growth after it), summed over the "
	    "pairs and divided by their time: MiB per second.");
	report_definition(b, "gc-frequency", "GC frequency", "gc cycles per "
	    "second: the cycles with a start time less one over the time "
	    "from the first one's start to the last one's.");
	buf_reset(&t);
	buf_addf(&t, "The fewest and most OS threads of the scheduler "
	    "samples. The trend is the Theil-Sen slope of threads against "
	    "time; it is significant when the Mann-Kendall test gives Z > 0 "
	    "and p < %.2g. Growing: significant and a fitted rise of %d "
	    "threads or more (a thread leak); rising: significant and a "
	    "rise of %d to %d threads; stable otherwise.",
	    SCHED_THREADS_TREND_P, SCHED_THREADS_MIN_RISE,
	    SCHED_THREADS_SMALL_RISE, SCHED_THREADS_MIN_RISE - 1);
	report_definition(b, "threads", "OS threads", t.data);
	buf_reset(&t);
	buf_addf(&t, "The share of scheduler samples with no idle P while "
	    "goroutines waited in the run queues. Never: good; at times: a "
	    "warning; in %.0f%% of the samples or more: bad.",
	    REPORT_SATURATED_MOSTLY * 100);
	report_definition(b, "saturated", "scheduler saturated", t.data);
	buf_adds(b, "</dl>\n<p class=\"note\">The man pages "
	    "tracestat-report(1), tracestat-summary(1) and those of each "
	    "analysis give the methods in full.</p>\n</section>\n");
	buf_free(&t);
}

/* --------------------------------------------------------------- command */

/*
 * The work before the page is written: every analysis part of every
 * segment and every plot, as tasks taken in turn by two workers (this
 * thread and one more with a second reading handle, as summary does), so
 * that the two cores share the reading and gnuplot.  The leaks and
 * pauses of every segment go first, as the heap and pause-dist plots use
 * them (a plot that finds them unfinished makes its own), then the
 * plots, which take longest, then the other parts.
 */
static const enum report_part report_early[] = { PART_LEAKS, PART_PAUSES };
static const enum report_part report_late[] = { PART_OVERVIEW, PART_HEAP,
    PART_SCHED };
#define REPORT_NEARLY	(sizeof report_early / sizeof report_early[0])
#define REPORT_NLATE	(sizeof report_late / sizeof report_late[0])
_Static_assert(REPORT_NEARLY + REPORT_NLATE == PART_COUNT,
    "every part of a segment is a task once");
struct report_pool {
	struct report	*report;
	pthread_mutex_t	 lock;
	size_t		 next, count;	/* tasks: plots, then the parts */
	int		 failed;
	struct buf	 err;		/* the first error */
};

static void
report_pool_task(struct report_pool *pool, struct store *s, size_t i,
    struct buf *err)
{
	struct report *r = pool->report;
	struct report_segment *g;
	enum report_part part;
	size_t early = r->nsegs * REPORT_NEARLY;

	if (i >= early && i < early + PLOT_KIND_COUNT) {
		report_plot_draw(&r->plots[i - early], s);
		return;
	}
	if (i < early) {
		g = &r->rs[i / REPORT_NEARLY];
		part = report_early[i % REPORT_NEARLY];
	} else {
		i -= early + PLOT_KIND_COUNT;
		g = &r->rs[i / REPORT_NLATE];
		part = report_late[i % REPORT_NLATE];
	}
	if (report_analyse(r, s, g, part, err) == 0) {
		pthread_mutex_lock(&r->share_lock);
		if (part == PART_PAUSES)
			g->pauses_shared = 1;
		else if (part == PART_LEAKS)
			g->leaks_shared = 1;
		pthread_mutex_unlock(&r->share_lock);
	} else {
		pthread_mutex_lock(&pool->lock);
		if (!pool->failed) {
			pool->failed = 1;
			buf_adds(&pool->err, buf_str(err));
		}
		pthread_mutex_unlock(&pool->lock);
	}
}

struct report_worker {
	struct report_pool	*pool;
	struct store		*store;
};

static void *
report_worker_run(void *arg)
{
	struct report_worker *w = arg;
	struct report_pool *pool = w->pool;
	struct buf err = BUF_INIT;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&pool->lock);
		i = pool->failed ? pool->count : pool->next++;
		pthread_mutex_unlock(&pool->lock);
		if (i >= pool->count)
			break;
		buf_reset(&err);
		report_pool_task(pool, w->store, i, &err);
	}
	buf_free(&err);
	return NULL;
}

static int
report_work(struct report *r, struct buf *err)
{
	struct report_pool pool;
	struct report_worker workers[2];
	struct store *reader = NULL;
	struct buf rerr = BUF_INIT;
	pthread_t thread;
	int threaded = 0, rc;

	memset(&pool, 0, sizeof pool);
	pool.report = r;
	/* Every part once: early and late together are PART_COUNT. */
	pool.count = PLOT_KIND_COUNT + r->nsegs * (REPORT_NEARLY +
	    REPORT_NLATE);
	pthread_mutex_init(&pool.lock, NULL);
	pthread_mutex_init(&r->share_lock, NULL);
	workers[0].pool = workers[1].pool = &pool;
	workers[0].store = r->store;
	/* No second handle (or a store that changed): one worker. */
	if (store_open_reader(r->store, &reader, &rerr) == 0 &&
	    reader != NULL) {
		workers[1].store = reader;
		threaded = pthread_create(&thread, NULL, report_worker_run,
		    &workers[1]) == 0;
	}
	report_worker_run(&workers[0]);
	if (threaded)
		pthread_join(thread, NULL);
	if (reader != NULL)
		store_close(reader);
	pthread_mutex_destroy(&pool.lock);
	pthread_mutex_destroy(&r->share_lock);
	rc = pool.failed ? -1 : 0;
	if (pool.failed)
		buf_adds(err, buf_str(&pool.err));
	buf_free(&pool.err);
	buf_free(&rerr);
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

/*
 * Where the page goes: -o FILE; -o DIR (an existing directory, or a name
 * ending in '/', made if need be) gives DIR/index.html; by default
 * tracestat-report-RUN.html.  Returns 0, or -1 with err set.
 */
static int
report_output_path(const struct report *r, struct buf *path, struct buf *err)
{
	struct stat st;
	const char *o = report_opt_output;
	size_t n = o != NULL ? strlen(o) : 0;

	if (o != NULL && ((stat(o, &st) == 0 && S_ISDIR(st.st_mode)) ||
	    o[n - 1] == '/')) {
		if (mkdir(o, 0777) < 0 && errno != EEXIST) {
			buf_addf(err, "cannot make the directory '%s': %s", o,
			    strerror(errno));
			return -1;
		}
		buf_addf(path, "%s%sindex.html", o, o[n - 1] == '/' ? "" :
		    "/");
	} else if (o != NULL)
		buf_adds(path, o);
	else {
		buf_adds(path, "tracestat-report-");
		if (r->run_name != NULL && *r->run_name != '\0')
			plot_add_file_part(path, r->run_name);
		else
			buf_addf(path, "%lld", (long long)r->run_id);
		buf_adds(path, ".html");
	}
	return 0;
}

/* A private directory for the images gnuplot writes. */
static char *
report_tmpdir(struct buf *err)
{
	const char *base = getenv("TMPDIR");
	struct buf t = BUF_INIT;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	buf_addf(&t, "%s/tracestat-report.XXXXXX", base);
	if (mkdtemp(t.data) == NULL) {
		buf_addf(err, "cannot make a temporary directory in '%s': %s",
		    base, strerror(errno));
		buf_free(&t);
		return NULL;
	}
	return buf_detach(&t);
}

static int
cmd_report(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct report r;
	struct buf path = BUF_INIT, err = BUF_INIT;
	char *tmpdir = NULL;
	size_t i;
	int rc = EXIT_OK;

	memset(&r, 0, sizeof r);
	r.ctx = ctx;
	r.over_us = report_opt_over_us;
	r.gnuplot = report_opt_gnuplot;
	r.store = ctx->store;
	r.run_id = ctx->run_ids[0];
	if (store_run_get(r.store, r.run_id, &r.run, &err) != 0) {
		cmd_error("%s", err.len > 0 ? buf_str(&err) :
		    "the run is gone");
		rc = EXIT_STORE;
		goto out;
	}
	r.run_name = r.run.name;
	if (store_segments(r.store, r.run_id, ctx->segment > 0 ?
	    ctx->segment : STORE_ALL_SEGMENTS, &r.segs, &r.nsegs, &err) < 0) {
		cmd_error("%s", buf_str(&err));
		rc = EXIT_STORE;
		goto out;
	}
	if (r.nsegs == 0 && ctx->segment > 0) {
		cmd_error("no segment %d in run %lld of '%s'", ctx->segment,
		    (long long)r.run_id, ctx->db_path);
		rc = EXIT_STORE;
		goto out;
	}
	r.rs = r.nsegs > 0 ? xcalloc(r.nsegs, sizeof *r.rs) : NULL;
	for (i = 0; i < r.nsegs; i++) {
		r.rs[i].info = &r.segs[i];
		r.rs[i].segment = r.segs[i].segment;
		r.rs[i].duration_s = report_duration(&r.segs[i]);
	}
	if (report_output_path(&r, &path, &err) < 0 ||
	    (tmpdir = report_tmpdir(&err)) == NULL) {
		cmd_error("%s", buf_str(&err));
		rc = EXIT_INPUT;
		goto out;
	}
	report_plots_prepare(&r, tmpdir);
	/* Once for all the plots' writers: a gnuplot that exits early must
	 * not kill us (plot_run's own guard is per call, not per thread). */
	signal(SIGPIPE, SIG_IGN);
	if (report_work(&r, &err) < 0) {
		cmd_error("%s", buf_str(&err));
		rc = EXIT_STORE;
		goto out;
	}

	buf_adds(&r.html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width,initial-scale=1\">\n<title>");
	report_textf(&r.html, "tracestat report: run %lld%s%s",
	    (long long)r.run_id, r.run_name != NULL ? " " : "",
	    r.run_name != NULL ? r.run_name : "");
	buf_addf(&r.html, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
	    "<h1>", report_css);
	report_textf(&r.html, "Go runtime trace report: run %lld%s%s",
	    (long long)r.run_id, r.run_name != NULL ? " " : "",
	    r.run_name != NULL ? r.run_name : "");
	if (ctx->segment > 0)
		buf_addf(&r.html, ", segment %d", ctx->segment);
	buf_adds(&r.html, "</h1>\n");
	report_context(&r);
	report_figures(&r);
	report_plots(&r);
	report_tables(&r);
	report_definitions(&r);
	buf_adds(&r.html, "<p class=\"note\">Made by tracestat " PACKAGE_VERSION
	    "; this page stands alone (images inline, nothing fetched).</p>\n"
	    "</body>\n</html>\n");
	/* Never through a link planted at the target. */
	if (safefile_write(path.data, r.html.data, r.html.len, &err) < 0) {
		cmd_error("%s", buf_str(&err));
		rc = EXIT_INPUT;
		goto out;
	}
	printf("%s\n", path.data);
	rc = r.plot_failed;
out:
	report_plots_free(&r);
	if (tmpdir != NULL) {
		rmdir(tmpdir);
		free(tmpdir);
	}
	for (i = 0; r.rs != NULL && i < r.nsegs; i++)
		report_segment_free(&r.rs[i]);
	free(r.rs);
	store_segments_free(r.segs, r.nsegs);
	store_run_free(&r.run);
	buf_free(&r.html);
	buf_free(&path);
	buf_free(&err);
	return rc;
}

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "[options]",
	.summary = "one self-contained HTML page: key figures, plots, tables",
	.options = (const struct option_spec[]){
		OPTION_NONEMPTY("output", 'o', "FILE",
		    "the page (tracestat-report-RUN.html); a directory: "
		    "DIR/index.html", &report_opt_output, "a file"),
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
