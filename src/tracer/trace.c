#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trace.h"
#include "units.h"
#include "xalloc.h"
#include "banned.h"

/*
 * The masks of kinds the grammar is asked to match, from the descriptors'
 * flags (schema.c), computed in tracer_init.  Every use is in a function
 * with the tracer t at hand.
 */
#define TRACE_KINDS (t->trace_kinds)		/* trace lines */
#define STRONG_KINDS (t->mid_line_kinds)	/* looked for mid-line */

/* One physical line taken apart. */
struct line {
	const char	*orig;
	size_t		 orig_len;
	const char	*prefix;
	size_t		 prefix_len;
	const char	*body;
	size_t		 body_len;
	const char	*eol;
	size_t		 eol_len;
	int64_t		 line_no;
	int		 has_wall;
	double		 wall_s;
	size_t		 stamp;		/* first time stamp in body, or body_len */
};

/*
 * The descriptors of schema.c with their column names resolved to
 * indexes (-1: the kind has no such column), once per tracer: the
 * derivations and checks run for every record.
 */
struct tracer_derived {
	int	column, from[2];
};

struct tracer_check {
	int	column, from[2], scale;
};

struct tracer_kind {
	int			 number, time, goal, forced;
	struct tracer_derived	*derived;
	struct tracer_check	*checks;
	/* Merge keys then merge columns: in this kind, in merge_into. */
	int			 merge_from[SCHEMA_MAX_MERGE];
	int			 merge_to[SCHEMA_MAX_MERGE];
	int			 nmerge_keys, nmerge;
};

static int
name_index(enum kind k, const char *name)
{
	return name != NULL ? schema_column_index(k, name) : -1;
}

static void
resolve_merge(struct tracer_kind *tk, enum kind k, const struct kind_info *ki)
{
	const char *const *lists[2] = { ki->merge_keys, ki->merge_columns };
	int l, i;

	for (l = 0; l < 2; l++)
		for (i = 0; lists[l] != NULL && lists[l][i] != NULL &&
		    tk->nmerge < SCHEMA_MAX_MERGE; i++) {
			tk->merge_from[tk->nmerge] = name_index(k, lists[l][i]);
			tk->merge_to[tk->nmerge++] = name_index(
			    (enum kind)ki->merge_into, lists[l][i]);
			if (l == 0)
				tk->nmerge_keys++;
		}
}

static struct tracer_kind *
resolve_kinds(void)
{
	struct tracer_kind *tks = xcalloc(KIND_COUNT, sizeof *tks);
	int k;
	size_t i;

	for (k = 0; k < KIND_COUNT; k++) {
		const struct kind_info *ki = schema_kind((enum kind)k);
		struct tracer_kind *tk = &tks[k];

		tk->number = name_index(k, ki->number_column);
		tk->time = name_index(k, ki->time_column);
		tk->goal = name_index(k, ki->goal_column);
		tk->forced = name_index(k, ki->forced_column);
		tk->derived = xcalloc(ki->nderived + 1, sizeof *tk->derived);
		for (i = 0; i < ki->nderived; i++) {
			tk->derived[i].column = name_index(k,
			    ki->derived[i].column);
			tk->derived[i].from[0] = name_index(k,
			    ki->derived[i].from[0]);
			tk->derived[i].from[1] = name_index(k,
			    ki->derived[i].from[1]);
		}
		tk->checks = xcalloc(ki->nchecks + 1, sizeof *tk->checks);
		for (i = 0; i < ki->nchecks; i++) {
			tk->checks[i].column = name_index(k,
			    ki->checks[i].column);
			tk->checks[i].from[0] = name_index(k,
			    ki->checks[i].from[0]);
			tk->checks[i].from[1] = name_index(k,
			    ki->checks[i].from[1]);
			tk->checks[i].scale = name_index(k,
			    ki->checks[i].scale);
		}
		if (ki->merge_columns != NULL)
			resolve_merge(tk, (enum kind)k, ki);
	}
	return tks;
}

void
tracer_init(struct tracer *t, struct grammar *g,
    const struct tracer_callbacks *cb)
{
	time_t now = time(NULL);
	struct tm tm;

	int i, j;

	memset(t, 0, sizeof *t);
	t->grammar = g;
	t->cb = *cb;
	t->last_prefix = -1;
	t->kinds = resolve_kinds();
	t->trace_kinds = schema_kind_mask(KIND_TRACE_LINE);
	t->mid_line_kinds = schema_kind_mask(KIND_MID_LINE);
	t->held_kind = -1;
	localtime_r(&now, &tm);
	t->year = tm.tm_year + 1900;
	/* The distinct signatures of the kinds looked for mid-line. */
	t->sigs = xcalloc((size_t)g->nrules + 1, sizeof *t->sigs);
	t->sig_lens = xcalloc((size_t)g->nrules + 1, sizeof *t->sig_lens);
	for (i = 0; i < g->nrules; i++) {
		const struct grammar_rule *r = &g->rules[i];

		if (!(STRONG_KINDS & (1u << r->kind)) || r->signature_len == 0)
			continue;
		for (j = 0; j < t->nsigs; j++)
			if (t->sig_lens[j] == r->signature_len &&
			    memcmp(t->sigs[j], r->signature,
			    r->signature_len) == 0)
				break;
		if (j < t->nsigs)
			continue;
		t->sigs[t->nsigs] = r->signature;
		t->sig_lens[t->nsigs++] = r->signature_len;
		t->sig_first[(unsigned char)r->signature[0]] = 1;
	}
}

void
tracer_free(struct tracer *t)
{
	int i;

	buf_free(&t->pending.text);
	buf_free(&t->pending.held);
	buf_free(&t->pending.foreign);
	buf_free(&t->pending.last_prefix);
	buf_free(&t->pending.after_last);
	buf_free(&t->pending.last_text);
	buf_free(&t->pending.last_eol);
	buf_free(&t->deferred.text);
	buf_free(&t->err);
	buf_free(&t->work);
	free(t->sigs);
	free(t->sig_lens);
	for (i = 0; i < RECORD_MAX_LISTS; i++)
		free(t->listbuf[i]);
	for (i = 0; t->kinds != NULL && i < KIND_COUNT; i++) {
		free(t->kinds[i].derived);
		free(t->kinds[i].checks);
	}
	free(t->kinds);
}

/* The bytes of a line the grammar is run on (see TRACER_MAX_TRACE). */
static size_t
window(size_t len)
{
	return len < TRACER_MAX_TRACE ? len : TRACER_MAX_TRACE;
}

/* grammar_match on at most TRACER_MAX_TRACE bytes, its work counted. */
static int
trace_match(struct tracer *t, unsigned kinds, const char *s, size_t len,
    struct grammar_match *m)
{
	t->pending.spent += window(len);
	return grammar_match(t->grammar, kinds, s, window(len), m, &t->err);
}

/*
 * grammar_viable_prefix on at most TRACER_MAX_TRACE bytes: a line whose
 * whole window is viable would be longer than any trace line, and is none.
 */
static size_t
trace_viable(struct tracer *t, unsigned kinds, const char *s, size_t len,
    const struct grammar_rule **rule)
{
	size_t w = window(len), k;

	t->pending.spent += 2 * w;
	k = grammar_viable_prefix(t->grammar, kinds, s, w, rule);
	if (w < len && k == w) {
		*rule = NULL;
		return 0;
	}
	return k;
}

/* Start looking for signatures in a new line (see find_signature). */
static void
signature_scan_start(struct tracer *t)
{
	t->sig_at = SIZE_MAX;
}

/*
 * The next signature of a kind looked for mid-line at or after from in
 * s[0..len), or len.  Calls for one line follow signature_scan_start with
 * from never going back: the line is read once, byte by byte, stopping
 * only at bytes a signature starts with, whatever the number of calls.
 */
static size_t
find_signature(struct tracer *t, const char *s, size_t len, size_t from)
{
	size_t at;
	int i;

	if (t->sig_at != SIZE_MAX && t->sig_at >= from)
		return t->sig_at;
	for (at = from; at < len; at++) {
		if (!t->sig_first[(unsigned char)s[at]])
			continue;
		for (i = 0; i < t->nsigs; i++)
			if (t->sig_lens[i] <= len - at &&
			    s[at] == t->sigs[i][0] &&
			    memcmp(s + at, t->sigs[i], t->sig_lens[i]) == 0)
				return t->sig_at = at;
	}
	return t->sig_at = len;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Does s[0..len) match a pattern of '9' (a digit) and literal bytes? */
static int
shape_is(const char *s, size_t len, const char *pattern)
{
	size_t i, n = strlen(pattern);

	if (len < n)
		return 0;
	for (i = 0; i < n; i++)
		if (pattern[i] == '9' ? !is_digit(s[i]) : s[i] != pattern[i])
			return 0;
	return 1;
}

/*
 * Does a time stamp of an application's log begin at s: Go's log package
 * ("2026/11/27 14:27:38"), ISO 8601 ("2026-11-27T14:27:38" or with a
 * blank) or a bare time of day ("14:27:38")?  The runtime prints none of
 * these shapes anywhere in a trace line, so trace text never holds one.
 */
static int
stamp_at(const char *s, size_t len)
{
	if (len < 8 || !is_digit(s[0]) || !is_digit(s[1]))
		return 0;
	if (s[2] == ':')
		return shape_is(s, len, "99:99:99");
	if (len < 19 || (s[4] != '/' && s[4] != '-'))
		return 0;
	return shape_is(s, len, "9999/99/99 99:99:99") ||
	    shape_is(s, len, "9999-99-99T99:99:99") ||
	    shape_is(s, len, "9999-99-99 99:99:99");
}

/*
 * Where trace text that starts at s[from] must end at the latest: the
 * first time stamp at or after from (looked for up to to), else len.
 */
static size_t
stamp_limit(const char *s, size_t len, size_t from, size_t to)
{
	const char *c;
	size_t at, best = len, i, k;
	/* Where a stamp's first ':' is, from its first byte. */
	static const size_t colon[] = { 13, 2 };

	if (to > len)
		to = len;
	/*
	 * Every stamp has a ':' 2 (time of day) or 13 (a date first) bytes
	 * after its start, and none before: only the places a ':' allows
	 * are tried.  Stamps found from later colons start later once the
	 * colon is 13 bytes past the best so far.
	 */
	for (at = from; at < len; at = (size_t)(c - s) + 1) {
		c = memchr(s + at, ':', len - at);
		if (c == NULL || (size_t)(c - s) >= best + 13)
			break;
		for (k = 0; k < 2; k++) {
			if ((size_t)(c - s) < from + colon[k])
				continue;
			i = (size_t)(c - s) - colon[k];
			if (i < to && i < best && stamp_at(s + i, len - i))
				best = i;
		}
	}
	return best;
}

static void
output(struct tracer *t, const char *s, size_t len)
{
	if (len > 0)
		t->cb.output(t->cb.ctx, s, len, 0);
}

/* Pass a foreign piece of a line through, with the line's prefix. */
static void
output_piece(struct tracer *t, const struct line *l, const char *s,
    size_t len, struct buf *into)
{
	struct buf tmp = BUF_INIT;
	struct buf *b = into != NULL ? into : &tmp;

	buf_add(b, l->prefix, l->prefix_len);
	buf_add(b, s, len);
	buf_add(b, l->eol, l->eol_len);
	if (into == NULL) {
		output(t, tmp.data, tmp.len);
		buf_free(&tmp);
	}
}

static void
json_escape(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_addc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			buf_addf(b, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			buf_addf(b, "\\u%04x", c);
		else
			buf_addc(b, c);
	}
	buf_addc(b, '"');
}

static int
parse_list(struct tracer *t, int idx, const char *s, size_t len,
    struct record *r)
{
	size_t n = 0, i = 0, start;
	int64_t v;

	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		if (units_parse_int(s + start, i - start, &v) < 0)
			return -1;
		t->listbuf[idx] = xgrow(t->listbuf[idx], &t->listcap[idx],
		    n + 1, sizeof(int64_t));
		t->listbuf[idx][n++] = v;
	}
	r->lists[idx] = t->listbuf[idx];
	r->list_len[idx] = n;
	return 0;
}

static void
set_int(struct value *v, int64_t i)
{
	v->type = VAL_INT;
	v->i = i;
}

/* Convert field f's bytes into the record. */
static void
set_field(struct tracer *t, struct record *r, const struct grammar_field *f,
    const char *s, size_t len)
{
	struct value v;
	int rc;

	memset(&v, 0, sizeof v);
	v.type = VAL_NULL;
	if (f->has_const) {
		set_int(&v, f->const_value);
		goto store;
	}
	if (s == NULL) {
		if (f->type == FIELD_FLAG)
			set_int(&v, 0);
		if (f->target == TARGET_COLUMN)
			r->columns[f->index] = v;
		return;
	}
	/* The bytes read, kept so the store can tell the line's shape. */
	v.s = s;
	v.len = len;
	switch (f->type) {
	case FIELD_INT:
		if (units_parse_int(s, len, &v.i) == 0)
			v.type = VAL_INT;
		else
			t->counts.invalid_values++;
		break;
	case FIELD_MS:
		rc = units_parse_ms_us(s, len, &v.i);
		if (rc == 0)
			v.type = VAL_INT;
		else
			t->counts.invalid_values++;
		break;
	case FIELD_SECONDS:
		rc = units_parse_seconds_ms(s, len, &v.i);
		if (rc == 0)
			v.type = VAL_INT;
		else
			t->counts.invalid_values++;
		break;
	case FIELD_FLOAT:
		if (units_parse_float(s, len, &v.r) == 0)
			v.type = VAL_REAL;
		break;
	case FIELD_FLAG:
		set_int(&v, len > 0);
		break;
	case FIELD_BOOL:
		if ((len == 4 && memcmp(s, "true", 4) == 0) ||
		    (len == 1 && s[0] == '1'))
			set_int(&v, 1);
		else if ((len == 5 && memcmp(s, "false", 5) == 0) ||
		    (len == 1 && s[0] == '0'))
			set_int(&v, 0);
		break;
	case FIELD_ID:
		if ((len == 3 && memcmp(s, "nil", 3) == 0) ||
		    (len == 2 && memcmp(s, "-1", 2) == 0))
			break;
		if (units_parse_int(s, len, &v.i) == 0)
			v.type = VAL_INT;
		break;
	case FIELD_TEXT:
		v.type = VAL_TEXT;
		v.s = s;
		v.len = len;
		break;
	case FIELD_INTLIST:
		if (f->target == TARGET_LIST)
			parse_list(t, f->index, s, len, r);
		return;
	case FIELD_TIME:
		if (units_parse_rfc3339(s, len, &r->wall_s) == 0)
			r->has_wall = 1;
		return;
	case FIELD_SYSLOGTIME:
		if (units_parse_syslog_time(s, len, t->year, &r->wall_s) == 0)
			r->has_wall = 1;
		return;
	}
store:
	switch (f->target) {
	case TARGET_COLUMN:
		r->columns[f->index] = v;
		break;
	case TARGET_LIST:
		break;
	case TARGET_EXTRA:
		buf_addc(&r->extra, r->extra.len == 0 ? '{' : ',');
		json_escape(&r->extra, f->name + 2, strlen(f->name + 2));
		buf_addc(&r->extra, ':');
		if (v.type == VAL_INT)
			buf_addf(&r->extra, "%lld", (long long)v.i);
		else if (v.type == VAL_REAL)
			buf_addf(&r->extra, "%.17g", v.r);
		else if (v.type == VAL_TEXT)
			json_escape(&r->extra, v.s, v.len);
		else
			buf_adds(&r->extra, "null");
		break;
	}
}

/* Fill r from match m (whose subject is the trace text). */
static void
build_record(struct tracer *t, struct record *r,
    const struct grammar_match *m)
{
	const struct grammar_rule *rule = m->rule;
	size_t ncols = schema_kind(rule->kind)->ncolumns, len;
	const char *s;
	int i;

	buf_reset(&r->extra);
	r->kind = rule->kind;
	r->rule = rule->name;
	for (i = 0; i < (int)ncols; i++) {
		r->columns[i].type = VAL_NULL;
		r->columns[i].s = NULL;
	}
	for (i = 0; i < RECORD_MAX_LISTS; i++) {
		r->lists[i] = NULL;
		r->list_len[i] = 0;
	}
	for (i = 0; i < rule->nfields; i++) {
		const struct grammar_field *f = &rule->fields[i];

		s = f->has_const ? NULL : grammar_field_bytes(m, f, &len);
		set_field(t, r, f, s, len);
	}
	if (r->extra.len > 0)
		buf_addc(&r->extra, '}');
}

/* Column i of r as an integer: *ok is 0 when it is none (or i is -1). */
static int64_t
col_int(const struct record *r, int i, int *ok)
{
	if (i < 0 || r->columns[i].type != VAL_INT) {
		*ok = 0;
		return 0;
	}
	*ok = 1;
	return r->columns[i].i;
}

/* Column i of r, or dflt when it is none. */
static int64_t
col_or(const struct record *r, int i, int64_t dflt)
{
	int ok;
	int64_t v = col_int(r, i, &ok);

	return ok ? v : dflt;
}

/*
 * Store a + b in v; a sum that does not fit in 64 bits is stored as NULL
 * and counted as an invalid value.
 */
static void
set_sum(struct tracer *t, struct value *v, int64_t a, int64_t b)
{
	int64_t sum;

	if (__builtin_add_overflow(a, b, &sum)) {
		v->type = VAL_NULL;
		t->counts.invalid_values++;
	} else {
		set_int(v, sum);
	}
}

static void
segment_close(struct tracer *t, struct segment *s)
{
	if (t->cb.segment_closed != NULL)
		t->cb.segment_closed(t->cb.ctx, s);
}

static struct segment *
segment_new(struct tracer *t, const char *reason, int64_t line_no)
{
	struct segment *s;
	int i, oldest = 0;

	if (t->nsegments == TRACER_OPEN_SEGMENTS) {
		for (i = 1; i < t->nsegments; i++)
			if (t->segments[i].last_used <
			    t->segments[oldest].last_used)
				oldest = i;
		segment_close(t, &t->segments[oldest]);
		s = &t->segments[oldest];
	} else {
		s = &t->segments[t->nsegments++];
	}
	memset(s, 0, sizeof *s);
	s->number = (int)++t->counts.segments;
	s->reason = reason;
	s->first_line = s->last_line = line_no;
	s->go_min = 0;
	s->go_max = 999;
	return s;
}

/*
 * The gc and scheduler clocks of one process differ by a few ms (both
 * count from process start); allow that much when comparing them.
 */
#define CLOCK_SKEW_MS 50

/* The latest process time seen in segment s, or -1. */
static int64_t
segment_latest_ms(const struct segment *s)
{
	int64_t t = -1;

	if (s->has_gc)
		t = s->last_ms;
	if (s->has_sched && s->last_sched_ms > t)
		t = s->last_sched_ms;
	return t;
}

/*
 * The segment a gc line of number n at ms (or -1) belongs to; NULL when
 * it would start a new one and may_start is 0.
 */
static struct segment *
segment_for_gc(struct tracer *t, int64_t n, int64_t ms, int64_t line_no,
    int may_start)
{
	struct segment *best = NULL, *cur = t->current;
	int64_t gap, best_gap = 0;
	int i;

	for (i = 0; i < t->nsegments; i++) {
		struct segment *s = &t->segments[i];

		if (!s->has_gc || n != s->last_gc_num + 1)
			continue;
		gap = ms >= 0 ? ms - segment_latest_ms(s) : 0;
		if (gap < -CLOCK_SKEW_MS)
			continue;
		if (best == NULL || gap < best_gap ||
		    (gap == best_gap && s->last_used > best->last_used)) {
			best = s;
			best_gap = gap;
		}
	}
	if (best != NULL)
		return best;
	if (cur != NULL && !cur->has_gc && (ms < 0 ||
	    ms >= segment_latest_ms(cur) - CLOCK_SKEW_MS))
		return cur;
	/*
	 * A gap in the numbers (cycles lost); a repaired line only a small
	 * one, so that a number grown by foreign digits ("gc 2026") does not
	 * make the next real cycle look like a new process.
	 */
	if (cur != NULL && cur->has_gc && n > cur->last_gc_num &&
	    (ms < 0 || ms >= cur->last_ms) &&
	    (may_start || n - cur->last_gc_num <= TRACER_MAX_GC_GAP))
		return cur;
	if (!may_start && cur != NULL)
		return NULL;
	if (cur == NULL)
		return segment_new(t, "start", line_no);
	return segment_new(t, cur->has_gc && n <= cur->last_gc_num ?
	    "gc number went back" : "gc clock went back", line_no);
}

/*
 * The segment a SCHED line at ms belongs to; NULL when it would start a
 * new one and may_start is 0.
 */
static struct segment *
segment_for_sched(struct tracer *t, int64_t ms, int64_t line_no,
    int may_start)
{
	struct segment *best = NULL, *cur = t->current;
	int64_t gap, best_gap = 0;
	int i;

	/*
	 * The process that printed the last line most likely printed this
	 * one too, if it comes about one schedtrace period later.
	 */
	if (cur != NULL && cur->has_sched && cur->sched_period_ms > 0 &&
	    ms >= segment_latest_ms(cur) - CLOCK_SKEW_MS &&
	    ms - cur->last_sched_ms <= 2 * cur->sched_period_ms +
	    CLOCK_SKEW_MS)
		return cur;
	/* A repaired line far from where its process is: not trusted. */
	if (!may_start && cur != NULL && cur->has_sched &&
	    cur->sched_period_ms > 0)
		return NULL;
	for (i = 0; i < t->nsegments; i++) {
		struct segment *s = &t->segments[i];
		int64_t latest = segment_latest_ms(s);

		if (latest >= 0 && ms < latest - CLOCK_SKEW_MS)
			continue;
		if (s->has_sched)
			gap = ms - s->last_sched_ms;
		else if (s == cur)
			gap = latest >= 0 ? ms - latest : 0;
		else
			continue;
		if (gap < 0)
			gap = -gap;
		if (best == NULL || gap < best_gap ||
		    (gap == best_gap && s->last_used > best->last_used)) {
			best = s;
			best_gap = gap;
		}
	}
	if (best != NULL)
		return best;
	if (!may_start && cur != NULL)
		return NULL;
	return segment_new(t, cur == NULL ? "start" :
	    "scheduler clock went back", line_no);
}

static void
segment_note_rule(struct segment *s, const char *rule_unused, int go_min,
    int go_max)
{
	(void)rule_unused;
	if (go_min > s->go_min)
		s->go_min = go_min;
	if (go_max < s->go_max)
		s->go_max = go_max;
	if (s->go_min > s->go_max) {
		/* Contradicting shapes: trust the latest line. */
		s->go_min = go_min;
		s->go_max = go_max;
	}
}

static void broken(struct tracer *t, int64_t line_no, const char *reason,
    const char *s, size_t len);

/* The stream the input format gave line_no, as "stream" in extra. */
static void
add_stream(struct tracer *t, struct record *r)
{
	int i = (int)(r->line_no % TRACER_STREAMS);

	if (r->line_no <= 0 || t->stream_lines[i] != r->line_no ||
	    t->streams[i] == NULL)
		return;
	if (r->extra.len > 0)
		r->extra.data[r->extra.len - 1] = ',';
	else
		buf_addc(&r->extra, '{');
	buf_addf(&r->extra, "\"stream\":\"%s\"}", t->streams[i]);
}

/* Apply derivation d of r's kind (see enum derive_op in schema.h). */
static void
derive(struct tracer *t, struct record *r, struct segment *seg,
    const struct derived *d, const struct tracer_derived *td)
{
	struct value *v, *from;
	const int64_t *list;
	int64_t a, b, sum;
	int ok, ok2;
	size_t i;

	if (td->column < 0)
		return;
	v = &r->columns[td->column];
	a = col_int(r, td->from[0], &ok);
	b = col_int(r, td->from[1], &ok2);
	switch (d->op) {
	case DERIVE_DEFAULT:
		if (v->type == VAL_NULL)
			set_int(v, d->value);
		break;
	case DERIVE_DEFAULT_EQUALS:
		if (v->type == VAL_NULL)
			set_int(v, ok && a == d->value);
		break;
	case DERIVE_SUM_IF_NULL:
		if (v->type != VAL_NULL)
			break;
		/* FALLTHROUGH */
	case DERIVE_SUM:
		if (ok && ok2)
			set_sum(t, v, a, b);
		break;
	case DERIVE_LIST_SUM:
		if ((list = r->lists[d->list]) == NULL)
			break;
		for (i = 0, sum = 0; i < r->list_len[d->list]; i++)
			if (__builtin_add_overflow(sum, list[i], &sum)) {
				v->type = VAL_NULL;
				t->counts.invalid_values++;
				return;
			}
		set_int(v, sum);
		break;
	case DERIVE_LIST_MAX:
		if ((list = r->lists[d->list]) == NULL)
			break;
		for (i = 0, b = 0; i < r->list_len[d->list]; i++)
			if (list[i] > b)
				b = list[i];
		set_int(v, b);
		break;
	case DERIVE_AND:
		if (ok)
			set_int(v, a & d->value);
		break;
	case DERIVE_TEST:
		if (ok)
			set_int(v, (a & d->value) != 0);
		break;
	case DERIVE_SHIFT_IF_NULL:
		if (ok && v->type == VAL_NULL)
			set_int(v, a >> d->value);
		break;
	case DERIVE_TEXT_IS:
		from = td->from[0] >= 0 ? &r->columns[td->from[0]] : NULL;
		if (from != NULL && from->type == VAL_TEXT &&
		    from->len == strlen(d->text) &&
		    memcmp(from->s, d->text, from->len) == 0)
			set_int(v, d->value);
		break;
	case DERIVE_NEXT_GC:
		set_int(v, seg->has_gc ? seg->last_gc_num + 1 : 1);
		break;
	case DERIVE_LAST_GC:
		if (seg->has_gc)
			set_int(v, seg->last_gc_num);
		break;
	case DERIVE_PERIODIC:
		/* The cycle after a "GC forced" line takes its mark. */
		set_int(v, seg->periodic_next);
		if (seg->periodic_next)
			seg->periodic_cycles++;
		seg->periodic_next = 0;
		break;
	}
}

static int
value_equal(const struct value *a, const struct value *b)
{
	if (a->type != b->type)
		return 0;
	return a->type == VAL_NULL || (a->type == VAL_INT && a->i == b->i);
}

/*
 * Give r the values of a held line of the kind that merges into r's
 * (same merge keys), then hold r's own if its kind merges into another.
 * Merge keys and columns are integers (t1480 checks), so nothing held
 * points into a line.
 */
static void
merge_held(struct tracer *t, struct record *r)
{
	const struct tracer_kind *tk;
	int i;

	if (t->held_kind >= 0 &&
	    schema_kind((enum kind)t->held_kind)->merge_into == (int)r->kind) {
		tk = &t->kinds[t->held_kind];
		for (i = 0; i < tk->nmerge_keys; i++)
			if (tk->merge_to[i] < 0 || !value_equal(&t->held[i],
			    &r->columns[tk->merge_to[i]]))
				break;
		if (i == tk->nmerge_keys)
			for (; i < tk->nmerge; i++)
				if (tk->merge_to[i] >= 0 &&
				    t->held[i].type != VAL_NULL)
					r->columns[tk->merge_to[i]] =
					    t->held[i];
		t->held_kind = -1;
	}
	if (schema_kind(r->kind)->merge_columns == NULL)
		return;
	tk = &t->kinds[r->kind];
	t->held_kind = (int)r->kind;
	for (i = 0; i < tk->nmerge; i++) {
		memset(&t->held[i], 0, sizeof t->held[i]);
		if (tk->merge_from[i] >= 0 &&
		    r->columns[tk->merge_from[i]].type == VAL_INT)
			t->held[i] = r->columns[tk->merge_from[i]];
	}
}

/*
 * Derive values, assign the segment and hand the record on: what a kind
 * means to the segments is its role, its values its descriptor's.
 */
static void deferred_take(struct tracer *t, int forced);

static void
emit_record(struct tracer *t, struct record *r,
    const struct grammar_rule *rule)
{
	const struct kind_info *ki = schema_kind(r->kind);
	const struct tracer_kind *tk = &t->kinds[r->kind];
	struct segment *seg;
	int has_num, has_time;
	int64_t num, time;
	size_t i;

	/* A gc line still waiting for its " (forced)" came first. */
	if (t->deferred.active)
		deferred_take(t, 0);
	seg = t->current;
	num = col_int(r, tk->number, &has_num);
	time = col_int(r, tk->time, &has_time);
	/*
	 * A repaired line is not trusted to start a process of its own (a
	 * year glued to a gc number would): one that fits no open segment
	 * is kept as broken.  Only a first cycle (gc 1, SCHED 0ms) may.
	 */
	if (r->repaired && (ki->role == ROLE_GC_CYCLE ||
	    ki->role == ROLE_SCHED_SAMPLE)) {
		if (ki->role == ROLE_GC_CYCLE)
			seg = segment_for_gc(t, has_num ? num : 0,
			    has_time ? time : -1, r->line_no,
			    has_num && num == 1);
		else
			seg = segment_for_sched(t, has_time ? time : 0,
			    r->line_no, has_time && time == 0);
		if (seg == NULL) {
			broken(t, r->line_no, "repaired line continues no process",
			    r->raw, r->raw_len);
			return;
		}
	}
	t->counts.trace_lines++;
	if (r->repaired)
		t->counts.repaired++;

	switch (ki->role) {
	case ROLE_GC_CYCLE:
		if (!r->repaired)
			seg = segment_for_gc(t, has_num ? num : 0,
			    has_time ? time : -1, r->line_no, 1);
		if (has_num) {
			if (!seg->has_gc)
				seg->first_gc_num = num;
			seg->last_gc_num = num;
		}
		if (has_time) {
			if (!seg->has_gc)
				seg->first_ms = time;
			seg->last_ms = time;
		}
		seg->last_goal_mib = col_or(r, tk->goal, -1);
		seg->has_gc = 1;
		seg->gc_cycles++;
		t->counts.gc_cycles++;
		break;
	case ROLE_SCHED_SAMPLE:
		if (!r->repaired)
			seg = segment_for_sched(t, has_time ? time : 0,
			    r->line_no, 1);
		if (has_time) {
			if (!seg->has_sched)
				seg->first_sched_ms = time;
			else if (time > seg->last_sched_ms)
				seg->sched_period_ms = time -
				    seg->last_sched_ms;
			seg->last_sched_ms = time;
		}
		seg->has_sched = 1;
		seg->sched_samples++;
		t->counts.sched_samples++;
		break;
	case ROLE_GC_FORCED:
		if (seg == NULL)
			seg = segment_new(t, "start", r->line_no);
		seg->periodic_next = 1;
		break;
	case ROLE_NONE:
		break;
	}
	if (seg == NULL)
		seg = segment_new(t, "start", r->line_no);
	for (i = 0; i < ki->nderived; i++)
		derive(t, r, seg, &ki->derived[i], &tk->derived[i]);
	if (col_or(r, tk->forced, 0) != 0)
		seg->forced_cycles++;
	merge_held(t, r);
	segment_note_rule(seg, rule->name, rule->go_min, rule->go_max);
	seg->records++;
	if (r->repaired)
		seg->repaired++;
	seg->last_line = r->line_no;
	seg->last_used = ++t->clock;
	seg->dirty = 1;
	t->current = seg;
	r->segment = seg->number;

	if (ki->table == NULL)
		return;
	add_stream(t, r);
	if (t->cb.record(t->cb.ctx, r) < 0)
		t->failed = 1;
}

/* Record the trace text s (a complete match m of it). */
static void
take_match(struct tracer *t, const struct grammar_match *m, const char *s,
    size_t len, int64_t line_no, int has_wall, double wall, int repaired)
{
	struct record r;

	memset(&r, 0, sizeof r);
	build_record(t, &r, m);
	r.line_no = line_no;
	if (!r.has_wall && has_wall) {
		r.has_wall = 1;
		r.wall_s = wall;
	}
	r.repaired = repaired;
	r.raw = s;
	r.raw_len = len;
	emit_record(t, &r, m->rule);
	buf_free(&r.extra);
}

#define FORCED_SUFFIX " (forced)"
#define FORCED_SUFFIX_LEN (sizeof FORCED_SUFFIX - 1)

/*
 * Does the text glued after a whole gc line end with the line's own
 * " (forced)" (the application wrote no newline before it)?
 */
static int
glued_forced(const struct grammar_match *m, const char *glued, size_t n)
{
	return m->rule->kind == KIND_GC && n > FORCED_SUFFIX_LEN &&
	    memcmp(glued + n - FORCED_SUFFIX_LEN, FORCED_SUFFIX,
	    FORCED_SUFFIX_LEN) == 0;
}

/*
 * Record the gc text s[0..len), which had application text glued after
 * it, now or once its " (forced)" has had the chance to come (see struct
 * tracer_deferred).  With forced, the suffix came in the same line.
 */
static void
take_glued(struct tracer *t, const struct grammar_match *m, const char *s,
    size_t len, int64_t line_no, int has_wall, double wall, int forced)
{
	struct tracer_deferred *d = &t->deferred;

	if (m->rule->kind != KIND_GC || len == 0 || s[len - 1] != 'P') {
		take_match(t, m, s, len, line_no, has_wall, wall, 1);
		return;
	}
	if (d->active)
		deferred_take(t, 0);
	buf_reset(&d->text);
	buf_add(&d->text, s, len);
	d->line_no = line_no;
	d->has_wall = has_wall;
	d->wall_s = wall;
	d->gaps = 0;
	d->active = 1;
	if (forced)
		deferred_take(t, 1);
}

/* Record the waiting gc line, with its " (forced)" when it came. */
static void
deferred_take(struct tracer *t, int forced)
{
	struct tracer_deferred *d = &t->deferred;
	struct grammar_match m;
	size_t len = d->text.len;

	if (!d->active)
		return;
	d->active = 0;
	if (forced) {
		buf_add(&d->text, FORCED_SUFFIX, FORCED_SUFFIX_LEN);
		if (trace_match(t, 1u << KIND_GC, d->text.data, d->text.len,
		    &m) > 0 && m.end == d->text.len) {
			take_match(t, &m, d->text.data, d->text.len,
			    d->line_no, d->has_wall, d->wall_s, 1);
			return;
		}
		d->text.len = len;
		d->text.data[len] = '\0';
	}
	if (trace_match(t, 1u << KIND_GC, d->text.data, len, &m) > 0 &&
	    m.end == len)
		take_match(t, &m, d->text.data, len, d->line_no, d->has_wall,
		    d->wall_s, 1);
}

/*
 * A line after a gc line that waits for its " (forced)": the suffix (then
 * the line is used up, or what follows the suffix passed through), an
 * application line it may still come after, or anything else, which
 * records the gc line as it is.  Returns 1 when the line is used up.
 */
static int
deferred_line(struct tracer *t, const struct line *l)
{
	struct tracer_deferred *d = &t->deferred;

	if (l->body_len >= FORCED_SUFFIX_LEN && memcmp(l->body, FORCED_SUFFIX,
	    FORCED_SUFFIX_LEN) == 0) {
		deferred_take(t, 1);
		if (l->body_len == FORCED_SUFFIX_LEN) {
			/* The suffix and the newline owed since. */
			if (l->eol_len > 0)
				t->swallow_empty = 0;
			return 1;
		}
		/* Application text glued after the suffix: still owed. */
		t->counts.other_lines++;
		output_piece(t, l, l->body + FORCED_SUFFIX_LEN,
		    l->body_len - FORCED_SUFFIX_LEN, NULL);
		return 1;
	}
	if (l->body_len > 0 && !t->pending.active && t->swallow_empty > 0 &&
	    d->gaps < TRACER_MAX_GAPS) {
		signature_scan_start(t);
		if (find_signature(t, l->body, l->body_len, 0) ==
		    l->body_len) {
			d->gaps++;
			return 0;
		}
	}
	deferred_take(t, 0);
	return 0;
}

static int
try_whole(struct tracer *t, const char *s, size_t len, int64_t line_no,
    int has_wall, double wall, int repaired)
{
	struct grammar_match m;

	if (trace_match(t, TRACE_KINDS, s, len, &m) <= 0)
		return 0;
	if (m.end != len)
		return 0;
	take_match(t, &m, s, len, line_no, has_wall, wall, repaired);
	return 1;
}

static void
broken(struct tracer *t, int64_t line_no, const char *reason, const char *s,
    size_t len)
{
	t->counts.unrecognised++;
	if (t->cb.broken != NULL)
		t->cb.broken(t->cb.ctx, line_no, reason, s, len);
}

static void
pending_clear(struct tracer *t)
{
	struct tracer_pending *p = &t->pending;

	p->active = 0;
	p->weak = 0;
	p->rule = NULL;
	p->gaps = 0;
	p->go_on_valid = 0;
	buf_reset(&p->text);
	buf_reset(&p->held);
	buf_reset(&p->foreign);
	buf_reset(&p->last_prefix);
	buf_reset(&p->last_text);
	buf_reset(&p->last_eol);
	buf_reset(&p->after_last);
	p->last_released = 0;
}

static void remember_shape(struct tracer *t, const char *s, size_t len);

/* A foreign piece of a torn line: a whole trace line, or text to keep. */
static void
foreign_piece(struct tracer *t, const struct line *l, const char *s,
    size_t len)
{
	if (len == 0)
		return;
	if (try_whole(t, s, len, l->line_no, l->has_wall, l->wall_s, 1))
		return;
	t->counts.other_lines++;
	remember_shape(t, s, len);
	output_piece(t, l, s, len, &t->pending.foreign);
}

/* Keep the foreign part s of line l as the latest piece's. */
static void
defer_piece(struct tracer *t, const struct line *l, const char *s,
    size_t len)
{
	struct tracer_pending *p = &t->pending;

	buf_reset(&p->last_prefix);
	buf_reset(&p->last_text);
	buf_reset(&p->last_eol);
	buf_add(&p->last_prefix, l->prefix, l->prefix_len);
	buf_add(&p->last_text, s, len);
	buf_add(&p->last_eol, l->eol, l->eol_len);
	p->last_line = l->line_no;
	p->last_has_wall = l->has_wall;
	p->last_wall_s = l->wall_s;
	p->last_released = 0;
}

/* The latest piece's foreign part is final now. */
static void
commit_piece(struct tracer *t)
{
	struct tracer_pending *p = &t->pending;
	struct line l;

	if (p->last_text.len > 0 && !p->last_released) {
		memset(&l, 0, sizeof l);
		l.prefix = p->last_prefix.data;
		l.prefix_len = p->last_prefix.len;
		l.eol = p->last_eol.data;
		l.eol_len = p->last_eol.len;
		l.line_no = p->last_line;
		l.has_wall = p->last_has_wall;
		l.wall_s = p->last_wall_s;
		/* foreign_piece may match and reuse buffers: copy first */
		buf_reset(&t->work);
		buf_add(&t->work, p->last_text.data, p->last_text.len);
		foreign_piece(t, &l, t->work.data, t->work.len);
	}
	/* Whole foreign lines that came after that piece follow it. */
	buf_add(&p->foreign, p->after_last.data, p->after_last.len);
	buf_reset(&p->after_last);
	buf_reset(&p->last_text);
	p->last_released = 0;
}

/* The torn line will not be completed: let its lines go as they were. */
static void
pending_abandon(struct tracer *t)
{
	struct tracer_pending *p = &t->pending;

	if (!p->active)
		return;
	if (!p->weak)
		broken(t, p->first_line, "torn line never completed",
		    p->text.data, p->text.len);
	else
		t->counts.other_lines++;
	output(t, p->held.data, p->held.len);
	pending_clear(t);
}

static void process_fresh(struct tracer *t, const struct line *l);

static void
pending_start(struct tracer *t, const struct line *l,
    const struct grammar_rule *rule, size_t k, int weak, size_t at)
{
	struct tracer_pending *p = &t->pending;

	pending_clear(t);
	p->active = 1;
	p->spent = 0;
	p->weak = weak;
	p->rule = rule;
	p->first_line = l->line_no;
	p->has_wall = l->has_wall;
	p->wall_s = l->wall_s;
	buf_add(&p->text, l->body + at, k);
	p->floor = rule->signature_len;
	buf_add(&p->held, l->orig, l->orig_len);
	if (at > 0) {
		t->counts.other_lines++;
		output_piece(t, l, l->body, at, &p->foreign);
	}
	defer_piece(t, l, l->body + at + k, l->body_len - at - k);
}

/* The pending line is complete: record it and pass the foreign text. */
static void
pending_complete(struct tracer *t, const struct grammar_match *m,
    const struct line *l, size_t used)
{
	struct tracer_pending *p = &t->pending;
	size_t end, n = l->body_len - used;
	int echo, forced = 0;

	/* Record first: commit_piece below may match other lines. */
	if (n > 0) {
		/* Text glued after it: its " (forced)" may come later. */
		forced = glued_forced(m, l->body + used, n);
		if (forced)
			n -= FORCED_SUFFIX_LEN;
		take_glued(t, m, p->text.data, m->end, p->first_line,
		    p->has_wall, p->wall_s, forced);
	} else {
		struct record r;

		memset(&r, 0, sizeof r);
		build_record(t, &r, m);
		r.line_no = p->first_line;
		r.has_wall = r.has_wall || p->has_wall;
		if (p->has_wall)
			r.wall_s = p->wall_s;
		r.repaired = 1;
		r.raw = p->text.data;
		r.raw_len = m->end;
		emit_record(t, &r, m->rule);
		buf_free(&r.extra);
	}
	echo = t->echo || m->rule->echo ? (m->rule->echo ? 2 : 1) : 0;
	end = m->end;
	commit_piece(t);
	foreign_piece(t, l, l->body + used, n);
	output(t, p->foreign.data, p->foreign.len);
	if (echo) {
		buf_add(&p->text, "\n", 1);
		memmove(p->text.data + end, "\n", 1);
		t->cb.output(t->cb.ctx, p->text.data, end + 1, echo);
	}
	pending_clear(t);
}

static int
is_number_byte(int c)
{
	return (c >= '0' && c <= '9') || c == '.';
}

/*
 * The shape of the start of a line: digits become '9', letters 'a', other
 * bytes stay.  "2026/11/21 18:50" has the shape "9999/99/".
 */
static void
line_shape(const char *s, size_t len, char *shape)
{
	size_t i;

	memset(shape, 0, TRACER_SHAPE_LEN);
	for (i = 0; i < len && i < TRACER_SHAPE_LEN; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9')
			shape[i] = '9';
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			shape[i] = 'a';
		else
			shape[i] = (char)c;
	}
}

/* Remember how an application line begins. */
static void
remember_shape(struct tracer *t, const char *s, size_t len)
{
	if (len < 3)
		return;
	line_shape(s, len, t->shapes[t->shape_next]);
	t->shape_next = (t->shape_next + 1) % TRACER_SHAPES;
	if (t->nshapes < TRACER_SHAPES)
		t->nshapes++;
}

static int
shape_seen(const struct tracer *t, const char *s, size_t len)
{
	char shape[TRACER_SHAPE_LEN];
	int i;

	if (len < 3)
		return 0;
	line_shape(s, len, shape);
	for (i = 0; i < t->nshapes; i++)
		if (memcmp(t->shapes[i], shape, TRACER_SHAPE_LEN) == 0)
			return 1;
	/* Lines of Go's log package and ISO dates, before any was seen. */
	return memcmp(shape, "9999/99/", TRACER_SHAPE_LEN) == 0 ||
	    memcmp(shape, "9999-99-", TRACER_SHAPE_LEN) == 0;
}

/*
 * Where the trace text of a piece ends.  The grammar reads as far as it
 * can (k bytes), but when it stops in a number and the application line
 * began with digits ("gc 5" + "2026/11/21 18:50:00 ...") the number took
 * them.  If a shorter cut (by up to 24 bytes) makes the foreign text begin
 * with a digit like recent application lines and the longest does not,
 * take the longest such; min is the least the trace text may keep.
 */
static size_t
choose_cut(const struct tracer *t, const char *s, size_t len, size_t k,
    size_t min)
{
	size_t c;

	if (k >= len || k == 0 || shape_seen(t, s + k, len - k))
		return k;
	for (c = k - 1; c >= min && c > 0 && k - c <= 24; c--)
		if (is_number_byte(s[c]) && shape_seen(t, s + c, len - c))
			return c;
	return k;
}


/*
 * The runtime writes each literal between two values in one write(2)
 * ("s ", "%: ", " ms clock, "), so a piece of a gc or SCHED line never
 * ends inside one.  Did the piece s[0..len) end inside a literal (a digit
 * could not come next)?  Then the foreign text began with the literal's
 * next bytes and the grammar took them ("@0.772" + "shutdown ..." reads
 * "@0.772s"), and a shorter cut that gives them back is the better one.
 */
static int
piece_inside_literal(struct tracer *t, const struct grammar_rule *rule,
    const char *s, size_t len)
{
	const struct grammar_rule *other;
	struct buf probe = BUF_INIT;
	size_t v;

	if (rule == NULL || (rule->kind != KIND_GC && rule->kind !=
	    KIND_SCHED) || len == 0 || is_number_byte(s[len - 1]))
		return 0;
	buf_add(&probe, s, len);
	buf_addc(&probe, '0');
	v = trace_viable(t, 1u << rule->kind, probe.data, probe.len, &other);
	buf_free(&probe);
	return v <= len;
}

/*
 * Is n the next gc number of an open process, or the first of a new one
 * (or are there no gc numbers to go by)?
 */
static int
gc_number_expected(const struct tracer *t, int64_t n)
{
	int i, any = 0;

	if (n == 1)
		return 1;
	for (i = 0; i < t->nsegments; i++) {
		if (!t->segments[i].has_gc)
			continue;
		any = 1;
		if (t->segments[i].last_gc_num + 1 == n)
			return 1;
	}
	return !any;
}

/*
 * Could the runtime have printed r?  Used to choose between ways of
 * joining a torn line when application text starting with digits was
 * glued to a number ("0/16" + "2025/11/21 ..." also reads "0/162025").
 * The checks are data, each kind's in its descriptor (schema.c; struct
 * check in schema.h).
 */
static int
record_plausible(struct tracer *t, const struct record *r)
{
	const struct segment *seg = t->current;
	const struct kind_info *ki = schema_kind(r->kind);
	const struct tracer_kind *tk = &t->kinds[r->kind];
	int64_t base, scale;
	size_t i;

	for (i = 0; i < ki->nchecks; i++) {
		const struct check *c = &ki->checks[i];
		const struct tracer_check *tc = &tk->checks[i];

		switch (c->base) {
		case BASE_NEXT_GC:
			if (!gc_number_expected(t, col_or(r, tc->column, -1)))
				return 0;
			continue;
		case BASE_SEGMENT_GOAL:
			if (seg == NULL || !seg->has_gc ||
			    seg->last_goal_mib < 0)
				continue;
			base = seg->last_goal_mib + 1;
			break;
		case BASE_SEGMENT_SCHED_MS:
			if (seg == NULL || !seg->has_sched)
				continue;
			base = seg->last_sched_ms;
			break;
		case BASE_COLUMNS:
		default:
			base = col_or(r, tc->from[0], 0) +
			    col_or(r, tc->from[1], 0);
			break;
		}
		scale = col_or(r, tc->scale, 1);
		if (scale < 1)
			scale = 1;
		if (col_or(r, tc->column, 0) > base * scale * c->times +
		    c->plus)
			return 0;
	}
	return 1;
}

/* Is s[0..n) all bytes of printed numbers? */
static int
all_number_bytes(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_number_byte(s[i]))
			return 0;
	return 1;
}

/* Does s[0..n) go from a value to a literal or back, after a byte? */
static int
piece_has_boundary(const char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (is_number_byte(s[i - 1]) != is_number_byte(s[i]))
			return 1;
	return 0;
}

/*
 * Did the latest piece, text[0..cut) + moved, end inside a literal?  (See
 * piece_inside_literal.)
 */
static int
pending_inside_literal(struct tracer *t, size_t cut, const struct buf *moved)
{
	struct tracer_pending *p = &t->pending;
	struct buf text = BUF_INIT;
	int inside;

	buf_add(&text, p->text.data, cut);
	buf_add(&text, moved->data, moved->len);
	inside = piece_inside_literal(t, p->rule, text.data, text.len);
	buf_free(&text);
	return inside;
}

enum join_mode {
	JOIN_COMPLETE,		/* only a plausible complete line */
	JOIN_EXTEND,		/* that, or a line that reads further */
	JOIN_ANY		/* even an implausible complete line */
};

/*
 * Can the pending text, cut back to its first cut bytes, go on with byte
 * b?  Every join needs that (it takes at least one byte of the line), and
 * between two pieces the application may write thousands of whole lines,
 * each tried at up to TRACER_MAX_CUTS + 1 cuts: the answers are kept
 * while the text stays as it is, so such a line costs a few lookups
 * rather than a grammar pass per cut.  The first line after a piece is
 * usually its rest and is not asked.
 */
static int
pending_may_go_on(struct tracer *t, size_t cut, unsigned char b)
{
	struct tracer_pending *p = &t->pending;
	size_t back = p->text.len - cut;
	unsigned char *slot;
	char *s, saved;
	int ok;

	if (p->gaps == 0 || back > TRACER_MAX_CUTS)
		return 1;
	if (!p->go_on_valid) {
		memset(p->go_on, 0, sizeof p->go_on);
		p->go_on_valid = 1;
	}
	slot = &p->go_on[back][b];
	if (*slot == 0) {
		/* text[0..cut) + b, the text put back after (NUL at len) */
		s = p->text.data;
		saved = s[cut];
		s[cut] = (char)b;
		p->spent += cut + 1;
		ok = grammar_viable(t->grammar, 1u << p->rule->kind, s,
		    cut + 1);
		s[cut] = saved;
		*slot = ok ? 2 : 1;
	}
	return *slot == 2;
}

/*
 * Try to continue the pending text, cut back to its first cut bytes, with
 * line l.  The runtime writes every number in one piece, so a join never
 * puts a digit after a digit: when the latest piece ends in digits and l
 * starts with one, those digits were the start of the foreign text.
 * Returns 1 when l was taken (the line completed or grew), else 0.
 */
static int
pending_join(struct tracer *t, const struct line *l, size_t cut,
    enum join_mode mode)
{
	struct tracer_pending *p = &t->pending;
	struct grammar_match m;
	const struct grammar_rule *rule;
	size_t len0 = p->text.len, k, used, blen;
	struct buf moved = BUF_INIT;

	if (l->body_len == 0 || (cut > 0 &&
	    is_number_byte(p->text.data[cut - 1]) &&
	    is_number_byte(l->body[0])))
		return 0;
	/*
	 * A shorter cut joins where the runtime stopped writing: a printed
	 * value meets a literal there.
	 */
	if (cut < len0 && (cut == 0 ||
	    is_number_byte(p->text.data[cut - 1]) ==
	    is_number_byte(l->body[0])))
		return 0;
	/*
	 * Trace text never holds an application's time stamp: the rest of
	 * the line ends before the first one, and a line that starts with
	 * one is foreign as a whole.
	 */
	if (cut >= TRACER_MAX_TRACE)
		return 0;
	blen = l->stamp;
	if (blen == 0)
		return 0;
	if (blen > TRACER_MAX_TRACE - cut)
		blen = TRACER_MAX_TRACE - cut;
	if (!pending_may_go_on(t, cut, (unsigned char)l->body[0]))
		return 0;
	/* text = text[0..cut) + body, keeping text[cut..len0) aside */
	buf_add(&moved, p->text.data + cut, len0 - cut);
	p->text.len = cut;
	buf_add(&p->text, l->body, blen);
	if (trace_match(t, 1u << p->rule->kind, p->text.data, p->text.len,
	    &m) > 0 && m.end > cut) {
		used = m.end - cut;
		if (mode != JOIN_ANY) {
			struct record r;
			int ok;

			memset(&r, 0, sizeof r);
			build_record(t, &r, &m);
			ok = record_plausible(t, &r);
			buf_free(&r.extra);
			if (!ok) {
				p->text.len = cut;
				buf_add(&p->text, moved.data, moved.len);
				buf_free(&moved);
				return 0;
			}
		}
	} else {
		k = mode != JOIN_COMPLETE ? trace_viable(t, 1u << p->rule->kind,
		    p->text.data, p->text.len, &rule) : 0;
		if (k <= cut) {
			/* Not taken: put the text back as it was. */
			p->text.len = cut;
			buf_add(&p->text, moved.data, moved.len);
			buf_free(&moved);
			return 0;
		}
		used = choose_cut(t, l->body, l->body_len, k - cut, 1);
		/*
		 * A shorter cut only gives back digits the number took from
		 * the foreign text, and growing by a letter or two proves
		 * nothing ("@0.300" + "second ..." reads "@0.300s"): the piece
		 * must hold a whole value and the start of the next literal.
		 */
		if (cut < len0 && (!piece_has_boundary(l->body, used) ||
		    (!all_number_bytes(moved.data, moved.len) &&
		    !pending_inside_literal(t, cut, &moved)))) {
			p->text.len = cut;
			buf_add(&p->text, moved.data, moved.len);
			buf_free(&moved);
			return 0;
		}
		m.rule = NULL;
		if (rule != NULL)
			p->rule = rule;
	}
	/* Bytes given back go before the latest piece's foreign text. */
	if (moved.len > 0) {
		buf_add(&moved, p->last_text.data, p->last_text.len);
		buf_reset(&p->last_text);
		buf_add(&p->last_text, moved.data, moved.len);
	}
	buf_free(&moved);
	buf_add(&p->held, l->orig, l->orig_len);
	if (m.rule != NULL) {
		/* Any text after the end was glued on by the application. */
		if (used < l->body_len)
			t->swallow_empty = TRACER_MAX_GAPS;
		pending_complete(t, &m, l, used);
		return 1;
	}
	p->text.len = cut + used;
	p->text.data[p->text.len] = '\0';
	p->go_on_valid = 0;
	commit_piece(t);
	p->gaps = 0;
	p->weak = 0;
	p->floor = cut;
	defer_piece(t, l, l->body + used, l->body_len - used);
	return 1;
}

/*
 * Has the torn line had its share of grammar work?  What it may spend
 * grows with the bytes held for it, so the work stays linear in the input
 * however the pieces come (TRACER_WORK_PER_BYTE).
 */
static int
pending_spent(const struct tracer *t, const struct line *l)
{
	const struct tracer_pending *p = &t->pending;

	return p->spent > TRACER_WORK_BASE + TRACER_WORK_PER_BYTE *
	    (p->held.len + l->orig_len);
}

static void
process_pending(struct tracer *t, const struct line *l)
{
	struct tracer_pending *p = &t->pending;
	struct grammar_match m;
	const struct grammar_rule *other;
	size_t cut, k, low;

	/* Enough work on this one: let it go (see pending_spent). */
	if (pending_spent(t, l)) {
		pending_abandon(t);
		process_fresh(t, l);
		return;
	}

	/* A line that starts with a time stamp is foreign as a whole. */
	if (l->stamp == 0 && l->body_len > 0)
		goto gap;

	/* The usual case: the rest of the line, where the text stopped. */
	if (pending_join(t, l, p->text.len, JOIN_COMPLETE))
		return;

	/* A whole trace line of its own: the pending one is lost. */
	if (l->body_len > 0 && trace_match(t, TRACE_KINDS, l->body,
	    l->body_len, &m) > 0 && m.end == l->body_len) {
		pending_abandon(t);
		process_fresh(t, l);
		return;
	}

	/*
	 * The latest piece may have taken the start of its foreign text for
	 * trace text ("0/16" + "2025/11/21 ..." also reads "0/162025/11"):
	 * a shorter cut that completes the line plausibly wins, longest
	 * first, never into earlier pieces and never more than
	 * TRACER_MAX_CUTS bytes back.  Then the line growing where it
	 * stopped.  (Growing at a shorter cut would take application text
	 * for trace text too often: "0.16" + "2026/11/21" as "0/2026/11".)
	 */
	low = p->text.len > TRACER_MAX_CUTS ? p->text.len - TRACER_MAX_CUTS :
	    0;
	if (low < p->floor)
		low = p->floor;
	if (p->last_released == 0)
		for (cut = p->text.len; cut-- > low && cut > 0;)
			if (pending_join(t, l, cut, JOIN_COMPLETE))
				return;
	if (pending_join(t, l, p->text.len, JOIN_EXTEND))
		return;
	if (p->last_released == 0)
		for (cut = p->text.len; cut-- > low && cut > 0;)
			if (pending_join(t, l, cut, JOIN_EXTEND))
				return;
	/* Nothing plausible: the line as it reads, values and all. */
	if (pending_join(t, l, p->text.len, JOIN_ANY))
		return;

	/*
	 * A whole foreign line between two pieces (the application often
	 * writes several), unless it starts a trace line of its own or we
	 * have waited long enough.
	 */
	k = trace_viable(t, TRACE_KINDS, l->body, l->body_len, &other);
	if (other != NULL && k > other->signature_len) {
		pending_abandon(t);
		process_fresh(t, l);
		return;
	}
gap:
	if (p->gaps >= TRACER_MAX_GAPS ||
	    p->held.len + l->orig_len > TRACER_MAX_HELD) {
		pending_abandon(t);
		process_fresh(t, l);
		return;
	}
	/*
	 * The latest piece stays open (its cut may still move); this line
	 * is kept to follow its foreign text.
	 */
	p->gaps++;
	t->counts.other_lines++;
	remember_shape(t, l->body, l->body_len);
	buf_add(&p->held, l->orig, l->orig_len);
	output_piece(t, l, l->body, l->body_len, &p->after_last);
}

/*
 * Does s look like a trace line that went wrong?  at is the first
 * signature found in it after its start (or len).
 */
static int
looks_broken(struct tracer *t, const char *s, size_t len, size_t at)
{
	const struct grammar_rule *rule;
	size_t k;

	k = trace_viable(t, STRONG_KINDS, s, len, &rule);
	if (rule != NULL && k >= rule->signature_len + 2)
		return 1;
	if (at < len) {
		k = trace_viable(t, STRONG_KINDS, s + at, len - at, &rule);
		if (rule != NULL && k >= rule->signature_len + 4)
			return 1;
	}
	return 0;
}

static void
process_fresh(struct tracer *t, const struct line *l)
{
	struct grammar_match m;
	const struct grammar_rule *rule;
	size_t k, at, first, lim;
	int rc, tries;

	if (l->body_len == 0) {
		if (t->swallow_empty && l->eol_len > 0) {
			/* The newline of a line that had text glued on. */
			t->swallow_empty = 0;
			return;
		}
		t->counts.other_lines++;
		output(t, l->orig, l->orig_len);
		return;
	}
	/*
	 * The newline owed by a trace line that had application text glued
	 * on may come after whole application lines, but not after the
	 * next trace text.
	 */
	if (t->swallow_empty > 0)
		t->swallow_empty--;
	/* Trace text at the start ends before any time stamp. */
	lim = l->stamp;
	rc = lim > 0 ? trace_match(t, TRACE_KINDS, l->body, lim, &m) : 0;
	if (rc > 0) {
		const struct grammar_rule *r = m.rule;

		t->swallow_empty = 0;
		if (m.end < l->body_len) {
			/* Application text glued after a whole line. */
			size_t n = l->body_len - m.end;
			int forced = glued_forced(&m, l->body + m.end, n);

			if (forced)
				n -= FORCED_SUFFIX_LEN;
			take_glued(t, &m, l->body, m.end, l->line_no,
			    l->has_wall, l->wall_s, forced);
			t->counts.other_lines++;
			output_piece(t, l, l->body + m.end, n, NULL);
			t->swallow_empty = TRACER_MAX_GAPS;
			return;
		}
		take_match(t, &m, l->body, l->body_len, l->line_no,
		    l->has_wall, l->wall_s, 0);
		if (r->echo)
			t->cb.output(t->cb.ctx, l->orig, l->orig_len, 2);
		else if (t->echo)
			t->cb.output(t->cb.ctx, l->orig, l->orig_len, 1);
		return;
	}

	/* The start of a trace line, cut by foreign text? */
	k = lim > 0 ? trace_viable(t, TRACE_KINDS, l->body, lim, &rule) : 0;
	if (k > 0 && rule != NULL && k >= rule->signature_len) {
		/* At a time stamp the cut is known; else use the shapes. */
		if (k < lim || lim == l->body_len)
			k = choose_cut(t, l->body, l->body_len, k,
			    rule->signature_len);
		t->swallow_empty = 0;
		pending_start(t, l, rule, k, k == rule->signature_len, 0);
		return;
	}

	/*
	 * A trace line starting after application text without newline;
	 * the first TRACER_MAX_SIGNATURES places where one could start.
	 */
	signature_scan_start(t);
	first = at = find_signature(t, l->body, l->body_len, 1);
	for (tries = 0; at < l->body_len && tries < TRACER_MAX_SIGNATURES;
	    tries++) {
		const char *s = l->body + at;
		size_t n = l->body_len - at;

		lim = l->stamp > at ? l->stamp - at : stamp_limit(s, n, 0,
		    window(n));
		if (trace_match(t, TRACE_KINDS, s, lim, &m) > 0) {
			t->swallow_empty = 0;
			take_match(t, &m, s, m.end, l->line_no, l->has_wall,
			    l->wall_s, 1);
			t->counts.other_lines++;
			buf_reset(&t->work);
			buf_add(&t->work, l->body, at);
			buf_add(&t->work, s + m.end, n - m.end);
			output_piece(t, l, t->work.data, t->work.len, NULL);
			return;
		}
		k = trace_viable(t, STRONG_KINDS, s, lim, &rule);
		if (rule != NULL && k == n && k > rule->signature_len) {
			t->swallow_empty = 0;
			pending_start(t, l, rule, k, 0, at);
			return;
		}
		at = find_signature(t, l->body, l->body_len, at + 1);
	}

	if (trace_match(t, 1u << KIND_FRAGMENT, l->body, l->body_len, &m) >
	    0 && m.end == l->body_len) {
		broken(t, l->line_no, "end of a trace line without its start",
		    l->body, l->body_len);
	} else if (looks_broken(t, l->body, l->body_len, first)) {
		broken(t, l->line_no, "unrecognised trace line", l->body,
		    l->body_len);
	} else {
		t->counts.other_lines++;
		remember_shape(t, l->body, l->body_len);
	}
	output(t, l->orig, l->orig_len);
}

static void
strip_prefix(struct tracer *t, struct line *l)
{
	struct grammar_match m;
	struct record r;

	if (l->body_len == 0 || t->grammar->nrules == 0)
		return;
	if (trace_match(t, 1u << KIND_PREFIX, l->body, l->body_len, &m) <= 0 ||
	    m.end == 0)
		return;
	memset(&r, 0, sizeof r);
	build_record(t, &r, &m);
	buf_free(&r.extra);
	l->prefix = l->body;
	l->prefix_len = m.end;
	l->body += m.end;
	l->body_len -= m.end;
	l->has_wall = r.has_wall;
	l->wall_s = r.wall_s;
}

void
tracer_set_next_line(struct tracer *t, int has_wall, double wall_s,
    const char *stream)
{
	t->next_has_wall = has_wall;
	t->next_wall_s = wall_s;
	t->next_stream = stream;
}

static void
take_next_line(struct tracer *t, struct line *l)
{
	int i = (int)(l->line_no % TRACER_STREAMS);

	if (t->next_has_wall) {
		l->has_wall = 1;
		l->wall_s = t->next_wall_s;
	}
	t->streams[i] = t->next_stream;
	t->stream_lines[i] = l->line_no;
	t->next_has_wall = 0;
	t->next_stream = NULL;
}

int
tracer_feed(struct tracer *t, const char *s, size_t len)
{
	struct line l;

	memset(&l, 0, sizeof l);
	l.orig = s;
	l.orig_len = len;
	l.body = s;
	l.body_len = len;
	l.eol = s + len;
	if (l.body_len > 0 && s[l.body_len - 1] == '\n')
		l.body_len--;
	if (l.body_len > 0 && s[l.body_len - 1] == '\r')
		l.body_len--;
	l.eol = s + l.body_len;
	l.eol_len = len - l.body_len;
	l.line_no = ++t->counts.lines;
	strip_prefix(t, &l);
	take_next_line(t, &l);
	l.stamp = stamp_limit(l.body, l.body_len, 0, window(l.body_len));

	if (t->deferred.active && deferred_line(t, &l))
		return t->failed ? -1 : 0;
	if (t->pending.active)
		process_pending(t, &l);
	else
		process_fresh(t, &l);
	return t->failed ? -1 : 0;
}

void
tracer_feed_overlong(struct tracer *t, const char *s, size_t len, int first)
{
	t->next_has_wall = 0;
	t->next_stream = NULL;
	if (first) {
		pending_abandon(t);
		t->counts.lines++;
		t->counts.overlong++;
		t->counts.other_lines++;
	}
	output(t, s, len);
}

int
tracer_holding(const struct tracer *t)
{
	return t->pending.active && t->pending.held.len > 0;
}

int
tracer_waiting(const struct tracer *t)
{
	return t->deferred.active;
}

void
tracer_take_waiting(struct tracer *t)
{
	deferred_take(t, 0);
}

void
tracer_release(struct tracer *t)
{
	deferred_take(t, 0);
	tracer_release_held(t);
}

void
tracer_release_held(struct tracer *t)
{
	struct tracer_pending *p = &t->pending;

	if (!p->active)
		return;
	if (p->weak) {
		pending_abandon(t);
		return;
	}
	output(t, p->held.data, p->held.len);
	buf_reset(&p->held);
	buf_reset(&p->foreign);
	buf_reset(&p->after_last);
	p->last_released = 1;
}

void
tracer_finish(struct tracer *t)
{
	int i;

	deferred_take(t, 0);
	pending_abandon(t);
	for (i = 0; i < t->nsegments; i++)
		segment_close(t, &t->segments[i]);
	t->nsegments = 0;
	t->current = NULL;
}

struct segment *
tracer_open_segments(struct tracer *t, int *n)
{
	*n = t->nsegments;
	return t->segments;
}
