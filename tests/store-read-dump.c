/*
 * store-read-dump - the records of a store as the read interface of
 * src/store/store.h gives them, for t1401 to compare with the reference parser.
 *
 *   store-read-dump DB KIND RUN SEGMENT [--backward] COLUMN...
 *
 * KIND is a grammar kind name (gc, sched, sched-p, ...), RUN a run id,
 * SEGMENT a number or "all".  Prints CSV: a header with the columns, then
 * one row per record, NULL as an empty cell, reals with 17 significant
 * digits.  Exit 0, or 1 with the error on stderr.
 *
 *   store-read-dump DB --runs
 *
 * prints the runs and their segments as store_runs_list and
 * store_segments give them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "banned.h"

static void
dump_value(const struct value *v)
{
	size_t i;

	switch (v->type) {
	case VAL_NULL:
		break;
	case VAL_INT:
		printf("%lld", (long long)v->i);
		break;
	case VAL_REAL:
		printf("%.17g", v->r);
		break;
	case VAL_TEXT:
		putchar('"');
		for (i = 0; i < v->len; i++) {
			if (v->s[i] == '"')
				putchar('"');
			putchar(v->s[i]);
		}
		putchar('"');
		break;
	}
}

static int
dump_runs(struct store *s, struct buf *err)
{
	struct store_run *runs = NULL;
	struct store_segment *segs = NULL;
	size_t n = 0, nsegs = 0, i, k;

	if (store_runs_list(s, &runs, &n, err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		printf("run %lld name=%s status=%s gc_cycles=%lld segments=%lld "
		    "labels=", (long long)runs[i].id,
		    runs[i].name != NULL ? runs[i].name : "(null)",
		    runs[i].status, (long long)runs[i].counts.gc_cycles,
		    (long long)runs[i].counts.segments);
		for (k = 0; k < runs[i].nlabels; k++)
			printf("%s%s", k > 0 ? "," : "", runs[i].labels[k]);
		putchar('\n');
		if (store_segments(s, runs[i].id, STORE_ALL_SEGMENTS, &segs,
		    &nsegs, err) < 0) {
			store_runs_free(runs, n);
			return -1;
		}
		for (k = 0; k < nsegs; k++) {
			printf("segment %d lines=%lld-%lld gc_cycles=%lld "
			    "first_ms=", segs[k].segment,
			    (long long)segs[k].first_line,
			    (long long)segs[k].last_line,
			    (long long)segs[k].gc_cycles);
			dump_value(&segs[k].first_ms);
			printf(" last_ms=");
			dump_value(&segs[k].last_ms);
			putchar('\n');
		}
		store_segments_free(segs, nsegs);
	}
	store_runs_free(runs, n);
	return 0;
}

int
main(int argc, char **argv)
{
	struct buf err = BUF_INIT;
	struct store *s;
	struct store_cursor *c;
	struct store_row row;
	int kind, segment, backward = 0, first = 5, rc, i;
	size_t k, ncols;

	if (argc == 3 && strcmp(argv[2], "--runs") == 0) {
		if ((s = store_open(argv[1], 0, &err)) == NULL ||
		    dump_runs(s, &err) < 0) {
			fprintf(stderr, "store-read-dump: %s\n", buf_str(&err));
			return 1;
		}
		store_close(s);
		return 0;
	}
	if (argc < 5) {
		fprintf(stderr, "usage: store-read-dump DB KIND RUN SEGMENT "
		    "[--backward] COLUMN...\n");
		return 2;
	}
	if ((kind = schema_kind_by_name(argv[2])) < 0) {
		fprintf(stderr, "store-read-dump: no kind '%s'\n", argv[2]);
		return 2;
	}
	segment = strcmp(argv[4], "all") == 0 ? STORE_ALL_SEGMENTS :
	    (int)strtol(argv[4], NULL, 10);
	if (argc > 5 && strcmp(argv[5], "--backward") == 0) {
		backward = 1;
		first = 6;
	}
	ncols = (size_t)(argc - first);
	if ((s = store_open(argv[1], 0, &err)) == NULL) {
		fprintf(stderr, "store-read-dump: %s\n", buf_str(&err));
		return 1;
	}
	c = (backward ? store_cursor_open_backward : store_cursor_open)(s,
	    (enum kind)kind, strtoll(argv[3], NULL, 10), segment,
	    (const char *const *)argv + first, ncols, &err);
	if (c == NULL) {
		fprintf(stderr, "store-read-dump: %s\n", buf_str(&err));
		store_close(s);
		return 1;
	}
	for (i = first; i < argc; i++)
		printf("%s%s", i > first ? "," : "", argv[i]);
	putchar('\n');
	while ((rc = store_cursor_next(c, &row, &err)) == 1) {
		for (k = 0; k < ncols; k++) {
			if (k > 0)
				putchar(',');
			dump_value(&row.values[k]);
		}
		putchar('\n');
	}
	store_cursor_close(c);
	store_close(s);
	if (rc < 0) {
		fprintf(stderr, "store-read-dump: %s\n", buf_str(&err));
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
