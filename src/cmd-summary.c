#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xalloc.h"
#include "banned.h"

/* Per segment: repaired rows summed over every trace table. */
static void
summary_sql(struct buf *b)
{
	int k, first = 1;

	buf_adds(b, "SELECT r.id, r.name, s.segment, s.reason, s.go_min, "
	    "s.go_max, s.first_ms, s.last_ms, s.first_sched_ms, "
	    "s.last_sched_ms, s.gc_cycles, s.forced_cycles, "
	    "s.periodic_cycles, s.sched_samples, (");
	for (k = 0; k < KIND_COUNT; k++) {
		const char *table = schema_kind((enum kind)k)->table;

		if (table == NULL)
			continue;
		buf_addf(b, "%s(SELECT count(*) FROM %s t WHERE t.run_id = "
		    "r.id AND t.segment = s.segment AND t.repaired)",
		    first ? "" : " + ", table);
		first = 0;
	}
	buf_adds(b, "), r.unrecognised_lines, r.status "
	    "FROM runs r LEFT JOIN segments s ON s.run_id = r.id "
	    "WHERE r.id = ?1 AND (?2 = 0 OR s.segment = ?2) "
	    "ORDER BY s.segment");
}

static void
summary_go_format(struct out *o, sqlite3_stmt *st)
{
	const char *lo = (const char *)sqlite3_column_text(st, 4);
	const char *hi = (const char *)sqlite3_column_text(st, 5);
	char text[64];

	if (lo == NULL && hi == NULL) {
		out_null(o);
		return;
	}
	if (hi == NULL)
		snprintf(text, sizeof text, "go%s+", lo);
	else if (lo == NULL || strcmp(lo, hi) == 0)
		snprintf(text, sizeof text, "go%s", hi);
	else
		snprintf(text, sizeof text, "go%s-%s", lo, hi);
	out_text(o, text);
}

/* Seconds from a millisecond column, or NULL. */
static void
summary_seconds(struct out *o, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		out_null(o);
	else
		out_real(o, sqlite3_column_int64(st, col) / 1000.0, 3);
}

static void
summary_duration(struct out *o, sqlite3_stmt *st)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN, v;
	int col;

	for (col = 6; col <= 9; col++) {
		if (sqlite3_column_type(st, col) == SQLITE_NULL)
			continue;
		v = sqlite3_column_int64(st, col);
		if (v < lo)
			lo = v;
		if (v > hi)
			hi = v;
	}
	if (lo > hi)
		out_null(o);
	else
		out_real(o, (hi - lo) / 1000.0, 3);
}

int
cmd_summary(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		CMD_COMMON_OPTIONS,
		CMD_RUN_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = { "run", "name", "segment",
	    "started_by", "go_format", "duration_s", "first_s", "last_s",
	    "gc_cycles", "forced_cycles", "periodic_cycles", "sched_samples",
	    "repaired_lines", "unrecognised_lines", "status" };
	struct store *s;
	sqlite3_stmt *st = NULL;
	struct buf sql = BUF_INIT;
	struct out *o;
	int64_t *ids = NULL;
	int c, rc, n, i, col;
	size_t k;

	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		rc = cmd_common_option(ctx, c, optarg, argv);
		if (rc <= 0)
			return rc == 0 ? EXIT_OK : EXIT_USAGE;
	}
	if (optind != argc)
		return cmd_usage_error(ctx->cmd, "unexpected argument '%s'",
		    argv[optind]);
	s = cmd_open_store(ctx, 0);
	if (s == NULL)
		return EXIT_STORE;
	rc = cmd_find_runs(ctx, s, &ids, &n);
	if (rc != EXIT_OK)
		goto out;
	summary_sql(&sql);
	if (sqlite3_prepare_v2(store_db(s), sql.data, -1, &st, NULL) !=
	    SQLITE_OK) {
		cmd_error("'%s': %s", ctx->db_path,
		    sqlite3_errmsg(store_db(s)));
		rc = EXIT_STORE;
		goto out;
	}
	o = out_new(stdout, ctx->format);
	for (k = 0; k < sizeof names / sizeof names[0]; k++)
		out_column(o, names[k]);
	for (i = 0; i < n && rc == EXIT_OK; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int(st, 2, ctx->segment);
		while (sqlite3_step(st) == SQLITE_ROW) {
			out_int(o, sqlite3_column_int64(st, 0));
			out_text(o, (const char *)sqlite3_column_text(st, 1));
			for (col = 2; col <= 3; col++)
				if (sqlite3_column_type(st, col) ==
				    SQLITE_NULL)
					out_null(o);
				else if (col == 2)
					out_int(o, sqlite3_column_int64(st,
					    col));
				else
					out_text(o, (const char *)
					    sqlite3_column_text(st, col));
			summary_go_format(o, st);
			summary_duration(o, st);
			summary_seconds(o, st, 6);
			summary_seconds(o, st, 7);
			for (col = 10; col <= 15; col++)
				out_int(o, sqlite3_column_int64(st, col));
			out_text(o, (const char *)sqlite3_column_text(st,
			    16));
			out_row_end(o);
		}
		sqlite3_reset(st);
	}
	out_finish(o);
out:
	sqlite3_finalize(st);
	buf_free(&sql);
	free(ids);
	store_close(s);
	return rc;
}
