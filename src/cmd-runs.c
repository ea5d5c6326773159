#include "config.h"

#include <stdio.h>

#include "cmd.h"
#include "store-sqlite.h"
#include "banned.h"

static const char runs_sql[] =
	"SELECT id, name, started_at, ended_at, "
	"run_status(status, pid, host), source, segments, "
	"gc_cycles, sched_samples, lines, repaired_lines, "
	"unrecognised_lines, "
	"(SELECT group_concat(key || '=' || value, ',') FROM "
	"(SELECT key, value FROM run_labels WHERE run_id = runs.id "
	"ORDER BY key)), dropped_records, "
	"CASE WHEN run_status(status, pid, host) = 'abandoned' AND "
	"status = 'running' THEN 'the ingest (pid ' || pid || ' on ' || host "
	"|| ') ended without closing the run' ELSE status_reason END "
	"FROM runs ORDER BY id";

int
cmd_runs(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const names[] = { "run", "name", "started_at",
	    "ended_at", "status", "source", "segments", "gc_cycles",
	    "sched_samples", "lines", "repaired_lines",
	    "unrecognised_lines", "labels", "dropped_records",
	    "status_reason" };
	struct store *s;
	sqlite3_stmt *st;
	struct out *o;
	size_t i;
	int rc;

	if ((rc = cmd_parse_common_only(ctx, argc, argv, options)) >= 0)
		return rc;
	s = cmd_open_store(ctx, 0);
	if (s == NULL)
		return EXIT_STORE;
	if (sqlite3_prepare_v2(store_db(s), runs_sql, -1, &st, NULL) !=
	    SQLITE_OK) {
		cmd_error("'%s': %s", ctx->db_path,
		    sqlite3_errmsg(store_db(s)));
		store_close(s);
		return EXIT_STORE;
	}
	o = out_new(stdout, ctx->format);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		out_column(o, names[i]);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < sizeof names / sizeof names[0]; i++) {
			int col = (int)i;

			if (sqlite3_column_type(st, col) == SQLITE_NULL)
				out_null(o);
			else if (sqlite3_column_type(st, col) ==
			    SQLITE_INTEGER)
				out_int(o, sqlite3_column_int64(st, col));
			else
				out_text(o, (const char *)
				    sqlite3_column_text(st, col));
		}
		out_row_end(o);
	}
	out_finish(o);
	rc = rc == SQLITE_DONE ? EXIT_OK : EXIT_STORE;
	if (rc != EXIT_OK)
		cmd_error("'%s': %s", ctx->db_path,
		    sqlite3_errmsg(store_db(s)));
	sqlite3_finalize(st);
	store_close(s);
	return rc;
}
