#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "store-sqlite.h"
#include "banned.h"

/* Functions refused even in a read-only statement: they change the
 * process (a tokenizer pointer, a loaded library) or reveal its memory. */
static const char *const query_denied_functions[] = {
	"fts3_tokenizer", "load_extension", "readfile", "writefile", "edit",
	"sqlite_offset", "zeroblob", NULL
};

/* Pragmas that only read: those whose argument names a table or index,
 * and those allowed without an argument (with one they would set). */
static const char *const query_pragmas_with_arg[] = {
	"table_info", "table_xinfo", "table_list", "index_list", "index_info",
	"index_xinfo", "foreign_key_list", NULL
};
static const char *const query_pragmas_no_arg[] = {
	"user_version", "application_id", "page_count", "page_size",
	"freelist_count", "schema_version", "collation_list", "function_list",
	"pragma_list", "module_list", "database_list", "compile_options",
	"encoding", "journal_mode", NULL
};

static int
query_in_list(const char *const *list, const char *name)
{
	for (; name != NULL && *list != NULL; list++)
		if (sqlite3_stricmp(*list, name) == 0)
			return 1;
	return 0;
}

/*
 * The authorizer: reading only.  The connection is read-only already
 * (SQLITE_OPEN_READONLY, query_only); this also keeps out what needs no
 * write to do harm: ATTACH of another file, pragmas that set, and
 * functions with side effects.
 */
static int
query_authorize(void *arg, int action, const char *a1, const char *a2,
    const char *db, const char *trigger)
{
	int *wrote = arg;

	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_UPDATE:
		/*
		 * SQLite asks this itself when a statement reads an
		 * eponymous table (pragma_table_info): allowed, as the
		 * statement is still refused unless sqlite3_stmt_readonly.
		 */
		if (sqlite3_stricmp(a1, "sqlite_master") == 0)
			return SQLITE_OK;
		*wrote = 1;
		return SQLITE_DENY;
	case SQLITE_FUNCTION:
		return query_in_list(query_denied_functions, a2) ?
		    SQLITE_DENY : SQLITE_OK;
	case SQLITE_PRAGMA:
		return query_in_list(query_pragmas_with_arg, a1) ||
		    (a2 == NULL && query_in_list(query_pragmas_no_arg, a1)) ?
		    SQLITE_OK : SQLITE_DENY;
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
		return SQLITE_DENY;
	default:
		/* Creating, dropping, inserting, deleting ... */
		*wrote = 1;
		return SQLITE_DENY;
	}
}

/*
 * Switch off what a hostile statement could use, before it is compiled.
 * *wrote is set when the statement was refused for wanting to write.
 */
static void
query_harden(sqlite3 *db, int *wrote)
{
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_enable_load_extension(db, 0);
	/* Bounded memory: no value or SQL text beyond 64 MiB. */
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 64 * 1024 * 1024);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1024 * 1024);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_set_authorizer(db, query_authorize, wrote);
}

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

static int
cmd_query_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc != 1)
		return cmd_usage_error(ctx->cmd, argc == 0 ? "missing SQL" :
		    "give the SQL as one argument (quote it)");
	return EXIT_OK;
}

static int
cmd_query(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Static: the authorizer keeps it until main closes the store. */
	static int wrote;
	struct store *s = ctx->store;
	sqlite3_stmt *st = NULL, *next = NULL;
	const char *tail, *rest;
	int rc;

	query_harden(store_db(s), &wrote);
	if (sqlite3_prepare_v2(store_db(s), argv[0], -1, &st, &tail) !=
	    SQLITE_OK) {
		if (wrote)
			cmd_error("SQL: the store is opened read-only: only "
			    "queries that change nothing are allowed");
		else
			cmd_error("SQL: %s", sqlite3_errmsg(store_db(s)));
		return EXIT_USAGE;
	}
	/* What follows may be blanks, semicolons and comments, no statement. */
	while (st != NULL && *tail != '\0') {
		rc = sqlite3_prepare_v2(store_db(s), tail, -1, &next, &rest);
		sqlite3_finalize(next);
		if (rc != SQLITE_OK || next != NULL)
			break;
		if (rest == tail)
			tail += strlen(tail);
		else
			tail = rest;
	}
	if (st == NULL || *tail != '\0') {
		cmd_error("SQL: give exactly one statement");
		sqlite3_finalize(st);
		return EXIT_USAGE;
	}
	if (!sqlite3_stmt_readonly(st)) {
		cmd_error("SQL: the store is opened read-only: only queries "
		    "that change nothing are allowed");
		sqlite3_finalize(st);
		return EXIT_USAGE;
	}
	rc = query_print(ctx, s, st);
	sqlite3_finalize(st);
	return rc;
}

const struct cmd_entry cmd_query_entry = {
	.name = "query",
	.usage = "[options] SQL",
	.summary = "run a read-only SQL query on the store",
	.options = (const struct option_spec[]){
		CMD_OPTION_FORMAT,
		CMD_OPTION_DB,
		OPTION_END
	},
	.flags = CMD_STORE_READ | CMD_OPERANDS,
	.check = cmd_query_check,
	.exec = cmd_query
};
