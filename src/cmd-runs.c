#include "config.h"

#include <stdio.h>

#include "cmd.h"
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

static int
cmd_runs(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const names[] = { "run", "name", "started_at",
	    "ended_at", "status", "source", "segments", "gc_cycles",
	    "sched_samples", "lines", "repaired_lines",
	    "unrecognised_lines", "labels", "dropped_records",
	    "status_reason" };
	struct store *s = ctx->store;
	sqlite3_stmt *st;
	struct out *o;
	size_t i;
	int rc;

	if (sqlite3_prepare_v2(store_db(s), runs_sql, -1, &st, NULL) !=
	    SQLITE_OK) {
		cmd_error("'%s': %s", ctx->db_path,
		    sqlite3_errmsg(store_db(s)));
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
	return rc;
}

const struct cmd_entry cmd_runs_entry = {
	.name = "runs",
	.usage = "[options]",
	.summary = "list the runs in the store",
	.options = (const struct option_spec[]){
		CMD_OPTION_FORMAT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ,
	.exec = cmd_runs
};
