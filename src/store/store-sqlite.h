/*
 * store-sqlite.h - private to the SQLite engine (src/store/store.c, which opens
 * and writes, and src/store/store-read.c, which reads) and to `query`, whose
 * SQL goes to the engine that holds the store.  Nothing else includes it.
 */
#ifndef TRACESTAT_STORE_SQLITE_H
#define TRACESTAT_STORE_SQLITE_H

#include <sqlite3.h>
#include <sys/types.h>

#include "store.h"

struct store {
	sqlite3		*db;
	char		*path;
	int		 writable;
	int		 in_tx;
	sqlite3_stmt	*insert[KIND_COUNT];
	sqlite3_stmt	*insert_list_p;
	sqlite3_stmt	*insert_broken;
	sqlite3_stmt	*upsert_segment;
	sqlite3_stmt	*find_rule, *insert_rule, *insert_piece;
	int		 sample_col[KIND_COUNT];	/* -1: none */
	/* Shapes of lines written whole without one from the caller. */
	struct shape_table *shapes;
	/* Shapes given a rules.id in the open transaction. */
	struct shape	*tx_shapes;
	int64_t		 last_sample_id;
	int64_t		 tx_sample_id;	/* last_sample_id at store_begin */
	/* The file a writer opened, to notice it vanish or be replaced. */
	dev_t		 dev;
	ino_t		 ino;
	int		 failed;	/* the file check failed once */
};

/* The connection behind s, for `query` alone. */
sqlite3 *store_db(struct store *s);

#endif
