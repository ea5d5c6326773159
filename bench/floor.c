/*
 * bench/floor.c - the pre-parsed floor of bench/ingest: the cost of
 * storing the rows of a trace already parsed.
 *
 * usage: floor SOURCE TARGET
 *
 * Reads every row of the physical tables of SOURCE (a store made by
 * tracestat ingest) into memory, then creates TARGET with SOURCE's schema
 * (sqlite_master, in order) and the same settings tracestat writes with,
 * and stores the same rows in one transaction with one prepared statement
 * per table.  Prints the wall-clock and CPU seconds from opening TARGET to
 * closing it, which is what is compared: reading SOURCE is not part of
 * the floor.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct val {
	int		 type;
	int		 len;
	union {
		int64_t	 i;
		double	 r;
		char	*s;
	} u;
};

struct table {
	char		*insert;
	int		 ncols;
	size_t		 nrows;
	struct val	*vals;
};

static void
die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, db != NULL ?
	    sqlite3_errmsg(db) : "error");
	exit(1);
}

static double
now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
load(sqlite3 *src, const char *name, struct table *t)
{
	char sql[512];
	sqlite3_stmt *st;
	size_t cap = 0;
	int i, n;

	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", name);
	if (sqlite3_prepare_v2(src, sql, -1, &st, NULL) != SQLITE_OK)
		die(src, name);
	t->ncols = sqlite3_column_count(st);
	t->insert = malloc(64 + strlen(name) + 3 * (size_t)t->ncols);
	n = sprintf(t->insert, "INSERT INTO \"%s\" VALUES (", name);
	for (i = 0; i < t->ncols; i++)
		n += sprintf(t->insert + n, i > 0 ? ", ?" : "?");
	strcpy(t->insert + n, ")");
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct val *v;

		if (t->nrows == cap) {
			cap = cap ? cap * 2 : 1024;
			t->vals = realloc(t->vals, cap * (size_t)t->ncols *
			    sizeof *t->vals);
			if (t->vals == NULL)
				die(NULL, "out of memory");
		}
		v = t->vals + t->nrows++ * (size_t)t->ncols;
		for (i = 0; i < t->ncols; i++) {
			v[i].type = sqlite3_column_type(st, i);
			switch (v[i].type) {
			case SQLITE_INTEGER:
				v[i].u.i = sqlite3_column_int64(st, i);
				break;
			case SQLITE_FLOAT:
				v[i].u.r = sqlite3_column_double(st, i);
				break;
			case SQLITE_TEXT:
			case SQLITE_BLOB:
				v[i].len = sqlite3_column_bytes(st, i);
				v[i].u.s = malloc((size_t)v[i].len + 1);
				memcpy(v[i].u.s, sqlite3_column_blob(st, i),
				    (size_t)v[i].len);
				break;
			}
		}
	}
	sqlite3_finalize(st);
}

int
main(int argc, char **argv)
{
	sqlite3 *src, *db;
	sqlite3_stmt *st, *ins;
	struct table *tabs = NULL;
	char **ddl = NULL;
	int ntabs = 0, nddl = 0, i, k;
	size_t r;
	double t0, c0;

	if (argc != 3) {
		fprintf(stderr, "usage: floor SOURCE TARGET\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		die(src, argv[1]);
	if (sqlite3_prepare_v2(src, "SELECT type, name, sql FROM "
	    "sqlite_master WHERE sql IS NOT NULL ORDER BY rowid", -1, &st,
	    NULL) != SQLITE_OK)
		die(src, "schema");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);

		ddl = realloc(ddl, sizeof *ddl * (size_t)(nddl + 1));
		ddl[nddl++] = strdup((const char *)sqlite3_column_text(st, 2));
		if (strcmp(type, "table") != 0)
			continue;
		tabs = realloc(tabs, sizeof *tabs * (size_t)(ntabs + 1));
		memset(&tabs[ntabs], 0, sizeof tabs[ntabs]);
		load(src, name, &tabs[ntabs++]);
	}
	sqlite3_finalize(st);
	sqlite3_close(src);

	t0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	if (sqlite3_open(argv[2], &db) != SQLITE_OK)
		die(db, argv[2]);
	/* What tracestat's writer sets (src/store/store.c). */
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -8192;",
	    NULL, NULL, NULL) != SQLITE_OK)
		die(db, "pragma");
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		die(db, "begin");
	for (i = 0; i < nddl; i++)
		if (sqlite3_exec(db, ddl[i], NULL, NULL, NULL) != SQLITE_OK)
			die(db, ddl[i]);
	for (k = 0; k < ntabs; k++) {
		struct table *t = &tabs[k];

		if (sqlite3_prepare_v2(db, t->insert, -1, &ins, NULL) !=
		    SQLITE_OK)
			die(db, t->insert);
		for (r = 0; r < t->nrows; r++) {
			struct val *v = t->vals + r * (size_t)t->ncols;

			for (i = 0; i < t->ncols; i++) {
				switch (v[i].type) {
				case SQLITE_INTEGER:
					sqlite3_bind_int64(ins, i + 1,
					    v[i].u.i);
					break;
				case SQLITE_FLOAT:
					sqlite3_bind_double(ins, i + 1,
					    v[i].u.r);
					break;
				case SQLITE_TEXT:
					sqlite3_bind_text(ins, i + 1, v[i].u.s,
					    v[i].len, SQLITE_STATIC);
					break;
				case SQLITE_BLOB:
					sqlite3_bind_blob(ins, i + 1, v[i].u.s,
					    v[i].len, SQLITE_STATIC);
					break;
				default:
					sqlite3_bind_null(ins, i + 1);
				}
			}
			if (sqlite3_step(ins) != SQLITE_DONE)
				die(db, "insert");
			sqlite3_reset(ins);
		}
		sqlite3_finalize(ins);
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die(db, "commit");
	if (sqlite3_close(db) != SQLITE_OK)
		die(db, "close");
	printf("%.6f %.6f\n", now(CLOCK_MONOTONIC) - t0,
	    now(CLOCK_PROCESS_CPUTIME_ID) - c0);
	return 0;
}
