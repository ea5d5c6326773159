#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store-sqlite.h"
#include "xalloc.h"
#include "banned.h"

/*
 * `query` on a SQLite store: one statement, on the read-only connection,
 * with what a hostile statement could use switched off.
 */

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

/* Hand the rows of st to sink; returns 0 or -1 with err set. */
static int
query_rows(struct sqlite_store *s, sqlite3_stmt *st,
    const struct store_query_sink *sink, struct buf *err)
{
	int i, n = sqlite3_column_count(st), rc;
	struct value *values = xcalloc((size_t)n + 1, sizeof *values);
	const char **names = xcalloc((size_t)n + 1, sizeof *names);

	for (i = 0; i < n; i++)
		names[i] = sqlite3_column_name(st, i);
	sink->columns(sink->arg, names, (size_t)n);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			struct value *v = &values[i];

			memset(v, 0, sizeof *v);
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL:
				v->type = VAL_NULL;
				break;
			case SQLITE_INTEGER:
				v->type = VAL_INT;
				v->i = sqlite3_column_int64(st, i);
				v->r = (double)v->i;
				break;
			case SQLITE_FLOAT:
				v->type = VAL_REAL;
				v->r = sqlite3_column_double(st, i);
				break;
			default:
				v->type = VAL_TEXT;
				v->s = (const char *)sqlite3_column_text(st, i);
				v->len = (size_t)sqlite3_column_bytes(st, i);
				break;
			}
		}
		sink->row(sink->arg, values, (size_t)n);
	}
	free(values);
	free(names);
	if (rc != SQLITE_DONE) {
		buf_addf(err, "query failed: %s", sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

int
sqlite_query(struct store *base, const char *sql,
    const struct store_query_sink *sink, struct buf *err)
{
	/* Static: the authorizer keeps it until the store is closed. */
	static int wrote;
	struct sqlite_store *s = sqlite_store_of(base);
	sqlite3_stmt *st = NULL, *next = NULL;
	const char *tail, *rest;
	int rc;

	query_harden(s->db, &wrote);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, &tail) != SQLITE_OK) {
		if (wrote)
			buf_adds(err, "SQL: the store is opened read-only: "
			    "only queries that change nothing are allowed");
		else
			buf_addf(err, "SQL: %s", sqlite3_errmsg(s->db));
		return 1;
	}
	/* What follows may be blanks, semicolons and comments, no statement. */
	while (st != NULL && *tail != '\0') {
		rc = sqlite3_prepare_v2(s->db, tail, -1, &next, &rest);
		sqlite3_finalize(next);
		if (rc != SQLITE_OK || next != NULL)
			break;
		if (rest == tail)
			tail += strlen(tail);
		else
			tail = rest;
	}
	if (st == NULL || *tail != '\0') {
		buf_adds(err, "SQL: give exactly one statement");
		sqlite3_finalize(st);
		return 1;
	}
	if (!sqlite3_stmt_readonly(st)) {
		buf_adds(err, "SQL: the store is opened read-only: only "
		    "queries that change nothing are allowed");
		sqlite3_finalize(st);
		return 1;
	}
	rc = query_rows(s, st, sink, err);
	sqlite3_finalize(st);
	return rc;
}
