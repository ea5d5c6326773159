/*
 * store-sql.h - the frozen DDL of every schema version of the SQLite
 * store, and the frozen steps from each version to the next (the files
 * src/store/sql/vN.sql and vN-vM.sql, compiled in by src/store/sql/embed.awk).  The
 * DDL of schema 2 is that of schema 1 and its step.  A new schema version
 * adds its files; the existing ones never change.
 */
#ifndef TRACESTAT_STORE_SQL_H
#define TRACESTAT_STORE_SQL_H

extern const char store_sql_v1[];	/* commit 762533d */
extern const char store_sql_v1_v2[];
extern const char store_sql_v2_v3[];
extern const char store_sql_v3[];
extern const char store_sql_v3_v4[];
extern const char store_sql_v4[];	/* a new store */
/* The PostgreSQL engine's (src/store/sql/pg-vN.sql). */
extern const char store_sql_pg_v4[];

#endif
