#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "banned.h"

/* Print the rows of a prepared statement; returns an exit code. */
static int
query_print(struct cmd_ctx *ctx, struct store *s, sqlite3_stmt *st)
{
	struct out *o = out_new(stdout, ctx->format);
	int i, n = sqlite3_column_count(st), rc;

	for (i = 0; i < n; i++)
		out_column(o, sqlite3_column_name(st, i));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL:
				out_null(o);
				break;
			case SQLITE_INTEGER:
				out_int(o, sqlite3_column_int64(st, i));
				break;
			case SQLITE_FLOAT:
				out_real(o, sqlite3_column_double(st, i), -1);
				break;
			default:
				out_text_len(o,
				    (const char *)sqlite3_column_text(st, i),
				    (size_t)sqlite3_column_bytes(st, i));
				break;
			}
		}
		out_row_end(o);
	}
	out_finish(o);
	if (rc != SQLITE_DONE) {
		cmd_error("query failed: %s", sqlite3_errmsg(store_db(s)));
		return EXIT_STORE;
	}
	return EXIT_OK;
}

int
cmd_query(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct store *s;
	sqlite3_stmt *st = NULL;
	const char *tail;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		rc = cmd_common_option(ctx, c, optarg, argv);
		if (rc <= 0)
			return rc == 0 ? EXIT_OK : EXIT_USAGE;
	}
	if (optind != argc - 1)
		return cmd_usage_error(ctx->cmd, optind == argc ?
		    "missing SQL" : "give the SQL as one argument (quote it)");
	s = cmd_open_store(ctx, 0);
	if (s == NULL)
		return EXIT_STORE;
	if (sqlite3_prepare_v2(store_db(s), argv[optind], -1, &st, &tail) !=
	    SQLITE_OK) {
		cmd_error("SQL: %s", sqlite3_errmsg(store_db(s)));
		store_close(s);
		return EXIT_USAGE;
	}
	while (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == ';')
		tail++;
	if (st == NULL || *tail != '\0') {
		cmd_error("SQL: give exactly one statement");
		sqlite3_finalize(st);
		store_close(s);
		return EXIT_USAGE;
	}
	if (!sqlite3_stmt_readonly(st)) {
		cmd_error("SQL: the store is opened read-only: only queries "
		    "that change nothing are allowed");
		sqlite3_finalize(st);
		store_close(s);
		return EXIT_USAGE;
	}
	rc = query_print(ctx, s, st);
	sqlite3_finalize(st);
	store_close(s);
	return rc;
}
