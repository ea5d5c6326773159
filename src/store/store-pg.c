#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "store-pg.h"
#include "schema.h"
#include "store-shape.h"
#include "store-sql.h"
#include "xalloc.h"
#include "banned.h"

/*
 * The PostgreSQL engine: one libpq connection per store.  A new store is
 * made by the frozen DDL of src/store/sql/pg-vN.sql, which has the
 * tables, views and columns of the SQLite store of the same version.
 * Records are written through COPY: each batch keeps the rows of each
 * table in COPY's text format and sends them when it commits, so a batch
 * costs one round trip per table, whatever its size.
 */

/* The DDL of a new store: that of the schema version of store.h. */
#define store_sql_pg_latest store_sql_pg_v4
_Static_assert(STORE_SCHEMA_VERSION == 4,
    "a new schema version needs its src/store/sql/pg-vN.sql");

/* Held while sched sample ids are taken from the sequence or given back
 * (a session lock: the key is the store's application id plus one). */
#define PG_SAMPLE_LOCK "SELECT pg_advisory_lock(1416778613)"
#define PG_SAMPLE_UNLOCK "SELECT pg_advisory_unlock(1416778613)"

/* Flush a table's COPY data once it holds this much. */
#define PG_COPY_FLUSH_BYTES ((size_t)4 << 20)

/* Was the last pg_open of this thread refused by a server that may come
 * back (store_open_failed_transient)? */
static _Thread_local int pg_open_transient;

static void
pg_notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* libpq's message on one line: its lines joined, no final newline. */
static void
pg_add_message(struct buf *err, const char *msg)
{
	int space = 0;

	for (; *msg != '\0'; msg++) {
		if (*msg == '\n' || *msg == '\t' || *msg == ' ') {
			space = 1;
			continue;
		}
		if (space && err->len > 0 && err->data[err->len - 1] != ' ')
			buf_addc(err, ' ');
		space = 0;
		buf_addc(err, *msg);
	}
}

/*
 * How long one round trip may take: $TRACESTAT_PG_TIMEOUT seconds, 30 by
 * default.  A server that stops answering but keeps the connection (a
 * hung host, a stopped process) is then treated as a lost one.
 */
int
pg_timeout_ms(void)
{
	const char *e = getenv("TRACESTAT_PG_TIMEOUT");
	char *end;
	double v;

	if (e != NULL && *e != '\0') {
		v = strtod(e, &end);
		if (*end == '\0' && v > 0 && v <= 86400)
			return v * 1000 < 1 ? 1 : (int)(v * 1000);
	}
	return PG_TIMEOUT_DEFAULT_S * 1000;
}

int64_t
pg_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
pg_wait(struct pg_store *s, int events, int64_t deadline)
{
	struct pollfd p;
	int64_t left;
	int n;

	p.fd = PQsocket(s->conn);
	p.events = (short)events;
	if (p.fd < 0)
		return -1;
	for (;;) {
		left = deadline - pg_now_ms();
		if (left <= 0)
			break;
		n = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
	}
	/* Too long: the connection is closed under libpq, whose next read
	 * sees its end, so every caller's handling of a lost server
	 * applies. */
	s->timed_out = 1;
	shutdown(p.fd, SHUT_RDWR);
	return -1;
}

int
pg_push(struct pg_store *s, int64_t deadline)
{
	int n;

	while ((n = PQflush(s->conn)) == 1) {
		if (pg_wait(s, POLLIN | POLLOUT, deadline) < 0 ||
		    !PQconsumeInput(s->conn))
			return -1;
	}
	return n == 0 ? 0 : -1;
}

PGresult *
pg_result(struct pg_store *s, int64_t deadline)
{
	while (PQisBusy(s->conn)) {
		if (pg_wait(s, POLLIN, deadline) < 0)
			break;
		if (!PQconsumeInput(s->conn))
			break;
	}
	return PQgetResult(s->conn);
}

/* As PQexec (or PQexecParams with params), but no longer than the
 * timeout: the last result, the first error if any, or a COPY's start. */
PGresult *
pg_exec_params(struct pg_store *s, const char *sql, int nparams,
    const char *const *params, int binary)
{
	int64_t deadline = pg_now_ms() + pg_timeout_ms();
	PGresult *res, *last = NULL;
	int sent;

	s->timed_out = 0;
	if (nparams == 0 && !binary)
		sent = PQsendQuery(s->conn, sql);
	else
		sent = PQsendQueryParams(s->conn, sql, nparams, NULL, params,
		    NULL, NULL, binary);
	if (!sent || pg_push(s, deadline) < 0)
		return NULL;
	while ((res = pg_result(s, deadline)) != NULL) {
		if (last != NULL &&
		    PQresultStatus(last) == PGRES_FATAL_ERROR) {
			PQclear(res);
			continue;
		}
		PQclear(last);
		last = res;
		if (PQresultStatus(res) == PGRES_COPY_IN ||
		    PQresultStatus(res) == PGRES_COPY_OUT)
			break;
		if (PQstatus(s->conn) == CONNECTION_BAD)
			break;
	}
	return last;
}

void
pg_fail(struct pg_store *s, const PGresult *res, const char *what,
    struct buf *err)
{
	const char *state = res != NULL ?
	    PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res != NULL ? PQresultErrorMessage(res) : "";

	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(s->conn);
	if (msg == NULL || *msg == '\0')
		msg = "unknown error";
	if (s->timed_out) {
		/* the connection was closed here: not the server's word */
		msg = "no answer from the server in time "
		    "($TRACESTAT_PG_TIMEOUT, tracestat-db(5))";
		state = NULL;
	}
	snprintf(s->sqlstate, sizeof s->sqlstate, "%s",
	    state != NULL ? state : "");
	if (PQstatus(s->conn) == CONNECTION_BAD || state == NULL ||
	    strncmp(s->sqlstate, "08", 2) == 0 ||
	    strncmp(s->sqlstate, "57P", 3) == 0)
		s->connection_lost = 1;
	buf_addf(err, "%s '%s': ", what, s->uri);
	pg_add_message(err, msg);
	if (strcmp(s->sqlstate, "42501") == 0)
		buf_addf(err, " (the role '%s' lacks a right: see "
		    "tracestat-db(5), PostgreSQL)", PQuser(s->conn));
}

/* The result of sql with params, or NULL with err set; expect is the
 * status it must have. */
static PGresult *
pg_run(struct pg_store *s, const char *sql, int nparams,
    const char *const *params, ExecStatusType expect, const char *what,
    struct buf *err)
{
	PGresult *res;

	res = pg_exec_params(s, sql, nparams, params, 0);
	if (res == NULL || PQresultStatus(res) != expect) {
		pg_fail(s, res, what, err);
		PQclear(res);
		return NULL;
	}
	return res;
}

int
pg_exec(struct pg_store *s, const char *sql, struct buf *err)
{
	PGresult *res;
	int rc = 0;

	pg_settle(s);
	res = pg_exec_wait(s, sql);

	if (res == NULL || (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)) {
		pg_fail(s, res, "cannot use", err);
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* Connect to uri with tracestat's session settings. */
static PGconn *
pg_connect(const char *uri)
{
	/*
	 * LATIN1 on the client side: every byte but NUL is a character, so
	 * a trace line comes back byte for byte whatever the database's
	 * encoding.  Values before dbname are defaults the URI may change;
	 * after it, what tracestat needs.
	 */
	static const char *const keys[] = {
		"application_name", "connect_timeout", "keepalives",
		"tcp_user_timeout", "dbname", "client_encoding", NULL
	};
	char wait_s[16], tcp_ms[16];
	const char *values[] = { "tracestat", wait_s, "1", tcp_ms, uri,
	    "LATIN1", NULL };
	PGconn *conn;
	int t = (pg_timeout_ms() + 999) / 1000;

	/* 10 s to connect, less when round trips may take less (libpq's
	 * least is 2 s). */
	snprintf(wait_s, sizeof wait_s, "%d", t < 2 ? 2 : t > 10 ? 10 : t);
	/* Over TCP, unacknowledged data fails the connection as late. */
	snprintf(tcp_ms, sizeof tcp_ms, "%d", pg_timeout_ms());
	conn = PQconnectdbParams(keys, values, 1);

	if (conn != NULL && PQstatus(conn) == CONNECTION_OK) {
		PQsetNoticeProcessor(conn, pg_notice_ignore, NULL);
		/* Compiling a run's scan costs more than it saves. */
		PQclear(PQexec(conn, "SET jit = off"));
		/* Sending waits in poll() with a deadline (pg_flush). */
		PQsetnonblocking(conn, 1);
	}
	return conn;
}

/*
 * Is the failed connection's message one that waiting can mend (the
 * server is down, starting, or full), not a wrong address or role?
 */
static int
pg_connect_failure_transient(const char *msg)
{
	static const char *const lasting[] = {
		"does not exist", "authentication failed", "password",
		"permission denied", "invalid", "no pg_hba.conf entry",
		"could not translate host name", "unsupported", NULL
	};
	int i;

	for (i = 0; lasting[i] != NULL; i++)
		if (strstr(msg, lasting[i]) != NULL)
			return 0;
	return 1;
}

int
pg_store_open_failed_transient(const struct buf *err)
{
	(void)err;
	return pg_open_transient;
}

/* Runs left 'running' by an ingest of this host that died: 'abandoned'. */
static int
pg_mark_abandoned(struct pg_store *s, struct buf *err)
{
	char host[256], id[32];
	const char *params[2];
	PGresult *res, *up;
	int i, rc = 0;

	if (gethostname(host, sizeof host) < 0)
		return 0;
	host[sizeof host - 1] = '\0';
	params[0] = host;
	res = pg_run(s, "SELECT id, pid FROM runs WHERE status = 'running' "
	    "AND host = $1 AND pid IS NOT NULL", 1, params, PGRES_TUPLES_OK,
	    "cannot read", err);
	if (res == NULL)
		return -1;
	for (i = 0; i < PQntuples(res) && rc == 0; i++) {
		if (store_writer_alive(strtoll(PQgetvalue(res, i, 1), NULL, 10),
		    host))
			continue;
		snprintf(id, sizeof id, "%s", PQgetvalue(res, i, 0));
		params[0] = id;
		up = pg_run(s, "UPDATE runs SET status = 'abandoned', "
		    "status_reason = 'the ingest (pid ' || pid || ' on ' || "
		    "host || ') ended without closing the run' WHERE id = $1 "
		    "AND status = 'running'", 1, params, PGRES_COMMAND_OK,
		    "cannot write", err);
		if (up == NULL)
			rc = -1;
		PQclear(up);
	}
	PQclear(res);
	return rc;
}

/*
 * 1 when the store's tables exist, 0 when none do, -1 (err set) when the
 * database holds something else or a newer schema.
 */
static int
pg_check_identity(struct pg_store *s, struct buf *err)
{
	PGresult *res;
	int has_schema, has_runs, rc;
	long long appid, version;

	/*
	 * pg_class read by the statement's snapshot, not to_regclass's
	 * catalog cache: under the creation lock, a store another ingest
	 * has just created must be seen.
	 */
	res = pg_run(s, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c "
	    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
	    "n.nspname = current_schema() AND c.relname = "
	    "'tracestat_schema'), EXISTS (SELECT 1 FROM pg_catalog.pg_class c "
	    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
	    "n.nspname = current_schema() AND c.relname = 'runs')", 0, NULL,
	    PGRES_TUPLES_OK, "cannot read", err);
	if (res == NULL)
		return -1;
	has_schema = *PQgetvalue(res, 0, 0) == 't';
	has_runs = *PQgetvalue(res, 0, 1) == 't';
	PQclear(res);
	if (!has_schema) {
		if (has_runs) {
			buf_addf(err, "'%s' holds a table 'runs' but is not a "
			    "tracestat store", s->uri);
			return -1;
		}
		return 0;
	}
	res = pg_run(s, "SELECT application_id, version FROM "
	    "tracestat_schema", 0, NULL, PGRES_TUPLES_OK, "cannot read", err);
	if (res == NULL)
		return -1;
	rc = 1;
	if (PQntuples(res) != 1) {
		buf_addf(err, "'%s' is not a tracestat store (its "
		    "tracestat_schema table holds %d rows)", s->uri,
		    PQntuples(res));
		rc = -1;
	} else {
		appid = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		version = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
		if (appid != STORE_APPLICATION_ID) {
			buf_addf(err, "'%s' is not a tracestat store", s->uri);
			rc = -1;
		} else if (version > STORE_SCHEMA_VERSION) {
			buf_addf(err, "'%s' has schema version %lld, newer "
			    "than this tracestat understands (%d)", s->uri,
			    version, STORE_SCHEMA_VERSION);
			rc = -1;
		} else if (version < STORE_SCHEMA_VERSION) {
			buf_addf(err, "'%s' has schema version %lld, which "
			    "no PostgreSQL store of this tracestat has", s->uri,
			    version);
			rc = -1;
		}
	}
	PQclear(res);
	return rc;
}

/*
 * Create the tables, when the role may.  Several ingests may create the
 * same new store at once: one lock, and the check again under it.
 */
static int
pg_create(struct pg_store *s, struct buf *err)
{
	struct buf sql = BUF_INIT;
	PGresult *res;
	int rc, may;
	char *schema, *db;

	res = pg_run(s, "SELECT current_schema(), current_database(), "
	    "current_schema() IS NOT NULL AND "
	    "has_schema_privilege(current_schema(), 'CREATE')", 0, NULL,
	    PGRES_TUPLES_OK, "cannot read", err);
	if (res == NULL)
		return -1;
	schema = xstrdup(PQgetvalue(res, 0, 0));
	db = xstrdup(PQgetvalue(res, 0, 1));
	may = *PQgetvalue(res, 0, 2) == 't';
	if (PQgetisnull(res, 0, 0)) {
		buf_addf(err, "'%s': no schema to create the store's tables "
		    "in: the search_path of role '%s' names none that exists",
		    s->uri, PQuser(s->conn));
		may = -1;
	} else if (!may)
		buf_addf(err, "'%s' holds no tracestat store, and the role "
		    "'%s' may not create one: it lacks the CREATE right on "
		    "schema '%s' of database '%s' (GRANT CREATE ON SCHEMA %s "
		    "TO %s; see tracestat-db(5))", s->uri, PQuser(s->conn),
		    schema, db, schema, PQuser(s->conn));
	PQclear(res);
	free(schema);
	free(db);
	if (may != 1)
		return -1;
	if (pg_exec(s, "BEGIN", err) < 0)
		return -1;
	buf_addf(&sql, "SELECT pg_advisory_xact_lock(%d)",
	    STORE_APPLICATION_ID);
	rc = pg_exec(s, buf_str(&sql), err);
	if (rc == 0)
		rc = pg_check_identity(s, err);
	if (rc == 0) {
		buf_reset(&sql);
		buf_adds(&sql, store_sql_pg_latest);
		buf_addf(&sql, "INSERT INTO tracestat_schema (application_id, "
		    "version) VALUES (%d, %d);\n", STORE_APPLICATION_ID,
		    STORE_SCHEMA_VERSION);
		rc = pg_exec(s, buf_str(&sql), err);
	}
	buf_free(&sql);
	if (rc >= 0)
		rc = pg_exec(s, "COMMIT", err);
	else
		PQclear(pg_exec_wait(s, "ROLLBACK"));
	return rc < 0 ? -1 : 0;
}

struct store *
pg_open(const char *uri, int writable, struct buf *err)
{
	struct pg_store *s;
	int rc;

	pg_open_transient = 0;
	s = xcalloc(1, sizeof *s);
	s->base.engine = &store_engine_pg;
	s->uri = xstrdup(uri);
	s->writable = writable;
	s->conn = pg_connect(uri);
	if (s->conn == NULL || PQstatus(s->conn) != CONNECTION_OK) {
		const char *msg = s->conn != NULL ? PQerrorMessage(s->conn) :
		    "out of memory";

		buf_addf(err, "cannot connect to '%s': ", uri);
		pg_add_message(err, msg);
		pg_open_transient = pg_connect_failure_transient(msg);
		pg_close(&s->base);
		return NULL;
	}
	rc = pg_check_identity(s, err);
	if (rc == 0 && !writable) {
		buf_addf(err, "no store at '%s' (create one with 'tracestat "
		    "ingest')", uri);
		rc = -1;
	} else if (rc == 0)
		rc = pg_create(s, err);
	if (rc >= 0 && writable)
		rc = pg_mark_abandoned(s, err);
	if (rc >= 0 && !writable)
		rc = pg_begin_read(s, NULL, err);
	if (rc < 0) {
		pg_open_transient = s->connection_lost ||
		    strncmp(s->sqlstate, "53", 2) == 0;
		pg_close(&s->base);
		return NULL;
	}
	return &s->base;
}

/*
 * Give the sched sample ids taken but not used back to the sequence, when
 * nobody took any after them: one ingest after another numbers its
 * samples on from the last, as SQLite does.  Ids are taken and given back
 * under one advisory lock, and only ever by this code.
 */
static void
pg_release_sample_ids(struct pg_store *s)
{
	struct buf sql = BUF_INIT, ignored = BUF_INIT;

	if (s->next_sample_id >= s->nsample_ids || s->in_tx ||
	    PQstatus(s->conn) != CONNECTION_OK ||
	    PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		return;
	buf_addf(&sql, "SELECT setval(pg_get_serial_sequence("
	    "'sched_samples_rows', 'id'), %" PRId64 ", false) FROM "
	    "sched_samples_rows_id_seq WHERE last_value = %" PRId64,
	    s->sample_ids[s->next_sample_id],
	    s->sample_ids[s->nsample_ids - 1]);
	if (pg_exec(s, PG_SAMPLE_LOCK, &ignored) == 0) {
		pg_exec(s, buf_str(&sql), &ignored);
		pg_exec(s, PG_SAMPLE_UNLOCK, &ignored);
	}
	s->nsample_ids = s->next_sample_id = 0;
	buf_free(&sql);
	buf_free(&ignored);
}

void
pg_close(struct store *base)
{
	struct pg_store *s = pg_store_of(base);
	int i;

	if (s == NULL)
		return;
	pg_settle(s);
	if (s->conn != NULL && PQstatus(s->conn) == CONNECTION_OK &&
	    PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		PQclear(pg_exec_wait(s, s->reading ? "COMMIT" : "ROLLBACK"));
	if (s->conn != NULL && s->writable)
		pg_release_sample_ids(s);
	PQfinish(s->conn);
	for (i = 0; i < PG_COPY_TABLES; i++)
		buf_free(&s->copy[i].data);
	shape_table_free(s->shapes);
	free(s->snapshot);
	free(s->uri);
	free(s);
}

static const char *
pg_path(const struct store *base)
{
	return ((const struct pg_store *)base)->uri;
}

/* Run a statement that returns nothing, with text parameters. */
static int
pg_write(struct pg_store *s, const char *sql, int nparams,
    const char *const *params, struct buf *err)
{
	PGresult *res;

	res = pg_run(s, sql, nparams, params, PGRES_COMMAND_OK,
	    "cannot write", err);
	PQclear(res);
	return res != NULL ? 0 : -1;
}

/*
 * Is the connection usable?  After it was lost, connect again; a batch
 * whose COMMIT got no answer is looked up: when it was committed, the
 * writer's retry of it is not sent again.
 */
static int
pg_ready(struct pg_store *s, struct buf *err)
{
	char xid[32];
	const char *params[1];
	PGresult *res;

	if (PQstatus(s->conn) != CONNECTION_OK) {
		int hung = s->timed_out;

		PQreset(s->conn);
		s->timed_out = 0;
		if (PQstatus(s->conn) != CONNECTION_OK) {
			/*
			 * A server that did not answer a round trip and does
			 * not answer a new connection either (connect_timeout)
			 * is hung, not restarting: waiting for it could last
			 * for ever, so the writer gives up (the records are
			 * counted as lost; the program's output is unaffected).
			 */
			if (hung && strstr(PQerrorMessage(s->conn),
			    "timeout expired") != NULL)
				s->hung = 1;
			pg_fail(s, NULL, "cannot connect to", err);
			if (s->hung)
				buf_addf(err, " (no answer since a round trip "
				    "timed out: $TRACESTAT_PG_TIMEOUT, "
				    "tracestat-db(5))");
			s->connection_lost = 1;
			return -1;
		}
		PQsetnonblocking(s->conn, 1);
		PQsetNoticeProcessor(s->conn, pg_notice_ignore, NULL);
		PQclear(pg_exec_wait(s, "SET jit = off"));
		/* The server may have lost what it had not written: ids
		 * taken from its sequences may be given again. */
		s->last_sample_id = 0;
		s->nsample_ids = s->next_sample_id = 0;
	}
	s->connection_lost = 0;
	s->sqlstate[0] = '\0';
	if (s->unsure_xid != 0) {
		snprintf(xid, sizeof xid, "%" PRId64, s->unsure_xid);
		params[0] = xid;
		res = pg_run(s, "SELECT txid_status($1)", 1, params,
		    PGRES_TUPLES_OK, "cannot read", err);
		if (res == NULL)
			return -1;
		s->replaying = strcmp(PQgetvalue(res, 0, 0), "committed") == 0;
		s->unsure_xid = 0;
		PQclear(res);
	}
	return 0;
}

static int
pg_run_begin(struct store *base, const char *name, const char *source,
    char *const *labels, int nlabels, int64_t *run_id, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	char now[64], host[256], pid[32], id[32];
	const char *params[6];
	struct buf key = BUF_INIT;
	PGresult *res;
	int i, rc = -1;

	if (pg_ready(s, err) < 0)
		return -1;
	store_now_iso(now, sizeof now);
	if (gethostname(host, sizeof host) < 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	snprintf(pid, sizeof pid, "%lld", (long long)getpid());
	if (pg_exec(s, "BEGIN", err) < 0)
		return -1;
	params[0] = name;
	params[1] = source;
	params[2] = now;
	params[3] = PACKAGE_VERSION;
	params[4] = pid;
	params[5] = host;
	res = pg_run(s, "INSERT INTO runs (name, source, started_at, "
	    "tracestat_version, pid, host) VALUES ($1, $2, $3, $4, $5, $6) "
	    "RETURNING id", 6, params, PGRES_TUPLES_OK, "cannot write", err);
	if (res == NULL)
		goto out;
	*run_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	snprintf(id, sizeof id, "%" PRId64, *run_id);
	for (i = 0; i < nlabels; i++) {
		const char *eq = strchr(labels[i], '=');

		if (eq == NULL)
			continue;
		buf_reset(&key);
		buf_add(&key, labels[i], (size_t)(eq - labels[i]));
		params[0] = id;
		params[1] = buf_str(&key);
		params[2] = eq + 1;
		if (pg_write(s, "INSERT INTO run_labels (run_id, key, value) "
		    "VALUES ($1, $2, $3) ON CONFLICT (run_id, key) DO UPDATE "
		    "SET value = EXCLUDED.value", 3, params, err) < 0)
			goto out;
	}
	rc = pg_exec(s, "COMMIT", err);
out:
	buf_free(&key);
	if (rc < 0 && PQstatus(s->conn) == CONNECTION_OK)
		PQclear(pg_exec_wait(s, "ROLLBACK"));
	return rc;
}

static int
pg_run_input(struct store *base, int64_t run_id, int input_no,
    const char *path, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	char id[32], no[16];
	const char *params[3] = { id, no, path };

	if (s->replaying)
		return 0;
	snprintf(id, sizeof id, "%" PRId64, run_id);
	snprintf(no, sizeof no, "%d", input_no);
	return pg_write(s, "INSERT INTO run_inputs (run_id, input_no, path) "
	    "VALUES ($1, $2, $3) ON CONFLICT (run_id, input_no) DO UPDATE SET "
	    "path = EXCLUDED.path, first_line = NULL, last_line = NULL", 3,
	    params, err);
}

static int
pg_run_input_end(struct store *base, int64_t run_id, int input_no,
    int64_t first_line, int64_t last_line, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	char id[32], no[16], first[32], last[32];
	const char *params[4] = { NULL, NULL, id, no };

	if (s->replaying)
		return 0;
	snprintf(id, sizeof id, "%" PRId64, run_id);
	snprintf(no, sizeof no, "%d", input_no);
	if (last_line >= first_line) {
		snprintf(first, sizeof first, "%" PRId64, first_line);
		snprintf(last, sizeof last, "%" PRId64, last_line);
		params[0] = first;
		params[1] = last;
	}
	return pg_write(s, "UPDATE run_inputs SET first_line = $1, "
	    "last_line = $2 WHERE run_id = $3 AND input_no = $4", 4, params,
	    err);
}

static int
pg_run_update(struct store *base, int64_t run_id, const struct run_counts *c,
    const char *status, const char *reason, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	int64_t v[12];
	char num[13][32], now[64];
	const char *params[16];
	int i;

	if (s->replaying)
		return 0;
	v[0] = c->lines;
	v[1] = c->trace_lines;
	v[2] = c->other_lines;
	v[3] = c->gc_cycles;
	v[4] = c->sched_samples;
	v[5] = c->repaired;
	v[6] = c->unrecognised;
	v[7] = c->overlong;
	v[8] = c->invalid_values;
	v[9] = c->segments;
	v[10] = c->bytes;
	v[11] = c->dropped;
	for (i = 0; i < 12; i++) {
		snprintf(num[i], sizeof num[i], "%" PRId64, v[i]);
		params[i] = num[i];
	}
	snprintf(num[12], sizeof num[12], "%" PRId64, run_id);
	store_now_iso(now, sizeof now);
	params[12] = status;
	params[13] = now;
	params[14] = reason;
	params[15] = num[12];
	return pg_write(s, "UPDATE runs SET lines = $1, trace_lines = $2, "
	    "other_lines = $3, gc_cycles = $4, sched_samples = $5, "
	    "repaired_lines = $6, unrecognised_lines = $7, "
	    "overlong_lines = $8, invalid_values = $9, segments = $10, "
	    "bytes = $11, dropped_records = $12, status = $13, "
	    "ended_at = CASE WHEN $13 = 'running' THEN NULL ELSE $14 END, "
	    "status_reason = $15 WHERE id = $16", 16, params, err);
}

/* Text as a field of COPY's text format. */
static void
copy_text(struct buf *b, const char *t, size_t len)
{
	size_t i, start = 0;

	for (i = 0; i < len; i++) {
		const char *esc = NULL;

		switch (t[i]) {
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\0':
			/* No PostgreSQL text holds NUL; see tracestat-db(5). */
			esc = "\\x01";
			break;
		default:
			continue;
		}
		buf_add(b, t + start, i - start);
		buf_adds(b, esc);
		start = i + 1;
	}
	buf_add(b, t + start, len - start);
}

static void
copy_sep(struct buf *b, int *first)
{
	if (!*first)
		buf_addc(b, '\t');
	*first = 0;
}

static void
copy_int(struct buf *b, int *first, int64_t v)
{
	copy_sep(b, first);
	buf_addf(b, "%" PRId64, v);
}

static void
copy_null(struct buf *b, int *first)
{
	copy_sep(b, first);
	buf_adds(b, "\\N");
}

/* A double exactly (SQLite stores NaN as NULL: so here). */
static void
copy_real(struct buf *b, int *first, double r)
{
	copy_sep(b, first);
	if (isnan(r))
		buf_adds(b, "\\N");
	else if (isinf(r))
		buf_adds(b, r < 0 ? "-Infinity" : "Infinity");
	else
		buf_addf(b, "%.17g", r);
}

static void
copy_value(struct buf *b, int *first, const struct value *v)
{
	switch (v->type) {
	case VAL_NULL:
		copy_null(b, first);
		break;
	case VAL_INT:
		copy_int(b, first, v->i);
		break;
	case VAL_REAL:
		copy_real(b, first, v->r);
		break;
	case VAL_TEXT:
		copy_sep(b, first);
		copy_text(b, v->s, v->len);
		break;
	}
}

/* Send the rows of COPY table t. */
static int
pg_flush(struct pg_store *s, int t, struct buf *err)
{
	struct pg_copy *c = &s->copy[t];
	struct buf sql = BUF_INIT;
	const struct kind_info *ki;
	PGresult *res;
	int64_t deadline;
	int n;
	size_t i;
	int rc = 0;

	if (c->rows == 0)
		return 0;
	if (t == PG_COPY_SCHED_P)
		buf_adds(&sql, "COPY sched_p_rows (run_id, segment, line_no, "
		    "wall_s, repaired, sample_id, p_idx, local_runq, schedtick)");
	else if (t == PG_COPY_BROKEN)
		buf_adds(&sql, "COPY broken_lines (run_id, line_no, reason, "
		    "text)");
	else {
		ki = schema_kind((enum kind)t);
		buf_addf(&sql, "COPY %s_rows (%srun_id, segment, line_no, "
		    "wall_s, repaired", ki->table, t == KIND_SCHED ? "id, " :
		    "");
		for (i = 0; i < ki->ncolumns; i++)
			buf_addf(&sql, ", %s", ki->columns[i].name);
		buf_adds(&sql, ", rule_id, line, extra)");
	}
	buf_adds(&sql, " FROM STDIN");
	res = pg_exec_wait(s, buf_str(&sql));
	buf_free(&sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COPY_IN) {
		pg_fail(s, res, "cannot write", err);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	/* Nonblocking (pg_connect): a server that takes no more data
	 * fails the batch once the timeout has passed. */
	deadline = pg_now_ms() + pg_timeout_ms();
	while ((n = PQputCopyData(s->conn, c->data.data,
	    (int)c->data.len)) == 0 && pg_push(s, deadline) == 0)
		;
	if (n != 1) {
		if (!s->timed_out)
			PQputCopyEnd(s->conn,
			    "tracestat could not send the rows");
		rc = -1;
	} else {
		while ((n = PQputCopyEnd(s->conn, NULL)) == 0 &&
		    pg_push(s, deadline) == 0)
			;
		if (n != 1 || pg_push(s, deadline) < 0)
			rc = -1;
	}
	while ((res = pg_result(s, deadline)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0) {
			pg_fail(s, res, "cannot write", err);
			rc = -2;
		}
		PQclear(res);
	}
	if (rc == -1)
		pg_fail(s, NULL, "cannot write", err);
	buf_reset(&c->data);
	c->rows = 0;
	return rc < 0 ? -1 : 0;
}

static void
pg_copy_reset(struct pg_store *s)
{
	int t;

	for (t = 0; t < PG_COPY_TABLES; t++) {
		buf_reset(&s->copy[t].data);
		s->copy[t].rows = 0;
	}
}

/* The rules.id of shape sh, adding the shape when it is new. */
static int
pg_shape_id(struct pg_store *s, struct shape *sh, struct buf *err)
{
	static const char find[] =
	    "SELECT id FROM rules WHERE name = $1 AND shape = $2";
	const struct kind_info *ki = schema_kind(sh->kind);
	struct buf text = BUF_INIT, piece = BUF_INIT;
	const char *params[5];
	char id[32], seq[16];
	PGresult *res;
	int i, added, rc = -1;

	/* Text parameters end at NUL: stored as COPY stores it. */
	for (i = 0; (size_t)i < sh->text_len; i++)
		buf_addc(&text, sh->text[i] == '\0' ? '\x01' : sh->text[i]);
	params[0] = sh->rule;
	params[1] = buf_str(&text);
	res = pg_run(s, find, 2, params, PGRES_TUPLES_OK, "cannot read", err);
	if (res == NULL)
		goto out;
	added = 0;
	if (PQntuples(res) == 0) {
		PQclear(res);
		res = pg_run(s, "INSERT INTO rules (name, shape) VALUES ($1, "
		    "$2) ON CONFLICT (name, shape) DO NOTHING RETURNING id",
		    2, params, PGRES_TUPLES_OK, "cannot write", err);
		if (res == NULL)
			goto out;
		added = PQntuples(res) == 1;
		if (!added) {
			/* Another ingest added it: see it now. */
			PQclear(res);
			res = pg_run(s, find, 2, params, PGRES_TUPLES_OK,
			    "cannot read", err);
			if (res == NULL)
				goto out;
		}
	}
	if (PQntuples(res) != 1) {
		buf_addf(err, "cannot write '%s': rule '%s' vanished", s->uri,
		    sh->rule);
		PQclear(res);
		goto out;
	}
	sh->store_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	snprintf(id, sizeof id, "%" PRId64, sh->store_id);
	for (i = 0; added && i < sh->npieces; i++) {
		const struct shape_piece *p = &sh->pieces[i];
		size_t k;

		buf_reset(&piece);
		for (k = 0; k < p->len; k++)
			buf_addc(&piece, p->text[k] == '\0' ? '\x01' :
			    p->text[k]);
		snprintf(seq, sizeof seq, "%d", i);
		params[0] = id;
		params[1] = seq;
		params[2] = buf_str(&piece);
		params[3] = NULL;
		params[4] = NULL;
		if (p->fmt != SHAPE_NONE) {
			params[3] = p->fmt == SHAPE_LIST ? ki->lists[p->col] :
			    ki->columns[p->col].name;
			params[4] = shape_fmt_name(p->fmt);
		}
		if (pg_write(s, "INSERT INTO rule_pieces (rule_id, seq, text, "
		    "col, fmt) VALUES ($1, $2, $3, $4, $5)", 5, params,
		    err) < 0) {
			sh->store_id = 0;
			goto out;
		}
	}
	sh->next_new = s->tx_shapes;
	s->tx_shapes = sh;
	rc = 0;
out:
	buf_free(&text);
	buf_free(&piece);
	return rc;
}

/* The common columns of a row. */
static void
copy_common(struct buf *b, int *first, int64_t run_id, const struct record *r)
{
	copy_int(b, first, run_id);
	copy_int(b, first, r->segment);
	copy_int(b, first, r->line_no);
	if (r->has_wall)
		copy_real(b, first, r->wall_s);
	else
		copy_null(b, first);
	copy_int(b, first, r->repaired);
}

static int
pg_write_record(struct store *base, int64_t run_id, const struct record *r,
    struct shape *sh, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	const struct kind_info *ki = schema_kind(r->kind);
	int sample_col = schema_column_index(r->kind, "sample_id");
	struct pg_copy *c;
	struct buf *b;
	PGresult *res;
	size_t i;
	int first = 1;

	if (ki->table == NULL || s->replaying)
		return 0;
	if (sh == NULL && r->rule != NULL) {
		if (s->shapes == NULL)
			s->shapes = shape_table_new();
		sh = shape_whole(s->shapes, r->rule, r->kind);
	}
	if (sh != NULL && sh->store_id == 0 && pg_shape_id(s, sh, err) < 0)
		return -1;
	c = &s->copy[r->kind];
	b = &c->data;
	if (r->kind == KIND_SCHED) {
		/* Its details name it: its id is known before the COPY. */
		if (s->next_sample_id >= s->nsample_ids) {
			if (pg_exec(s, PG_SAMPLE_LOCK, err) < 0)
				return -1;
			res = pg_run(s, "SELECT nextval(pg_get_serial_sequence("
			    "'sched_samples_rows', 'id')) FROM "
			    "generate_series(1, 1024)", 0, NULL,
			    PGRES_TUPLES_OK, "cannot write", err);
			if (pg_exec(s, PG_SAMPLE_UNLOCK, err) < 0 ||
			    res == NULL) {
				PQclear(res);
				return -1;
			}
			for (i = 0; i < (size_t)PQntuples(res) && i < 1024;
			    i++)
				s->sample_ids[i] = strtoll(PQgetvalue(res,
				    (int)i, 0), NULL, 10);
			s->nsample_ids = (int)i;
			s->next_sample_id = 0;
			/* A rollback gives back the new block's ids only. */
			s->tx_next_sample_id = 0;
			PQclear(res);
		}
		s->last_sample_id = s->sample_ids[s->next_sample_id++];
		copy_int(b, &first, s->last_sample_id);
	}
	copy_common(b, &first, run_id, r);
	for (i = 0; i < ki->ncolumns; i++) {
		if ((int)i == sample_col && s->last_sample_id > 0)
			copy_int(b, &first, s->last_sample_id);
		else
			copy_value(b, &first, &r->columns[i]);
	}
	if (sh != NULL)
		copy_int(b, &first, sh->store_id);
	else
		copy_null(b, &first);
	if ((sh != NULL && sh->whole) || (sh == NULL && r->raw_len > 0)) {
		copy_sep(b, &first);
		copy_text(b, r->raw, r->raw_len);
	} else
		copy_null(b, &first);
	if (r->extra.len > 0) {
		copy_sep(b, &first);
		copy_text(b, r->extra.data, r->extra.len);
	} else
		copy_null(b, &first);
	buf_addc(b, '\n');
	c->rows++;
	if (r->kind == KIND_SCHED) {
		b = &s->copy[PG_COPY_SCHED_P].data;
		for (i = 0; i < r->list_len[0] || i < r->list_len[1]; i++) {
			first = 1;
			copy_common(b, &first, run_id, r);
			copy_int(b, &first, s->last_sample_id);
			copy_int(b, &first, (int64_t)i);
			if (i < r->list_len[0])
				copy_int(b, &first, r->lists[0][i]);
			else
				copy_null(b, &first);
			if (i < r->list_len[1])
				copy_int(b, &first, r->lists[1][i]);
			else
				copy_null(b, &first);
			buf_addc(b, '\n');
			s->copy[PG_COPY_SCHED_P].rows++;
		}
	}
	if (c->data.len >= PG_COPY_FLUSH_BYTES)
		return pg_flush(s, r->kind, err);
	if (s->copy[PG_COPY_SCHED_P].data.len >= PG_COPY_FLUSH_BYTES)
		return pg_flush(s, PG_COPY_SCHED_P, err);
	return 0;
}

static int
pg_write_segment(struct store *base, int64_t run_id,
    const struct segment *seg, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	char num[18][32], vmin[16], vmax[16];
	const char *params[18];
	int i;

	if (s->replaying)
		return 0;
	for (i = 0; i < 18; i++)
		params[i] = num[i];
	snprintf(num[0], sizeof num[0], "%" PRId64, run_id);
	snprintf(num[1], sizeof num[1], "%d", seg->number);
	params[2] = seg->reason;
	snprintf(num[3], sizeof num[3], "%" PRId64, seg->first_line);
	snprintf(num[4], sizeof num[4], "%" PRId64, seg->last_line);
	params[5] = params[6] = NULL;
	if (seg->go_min > 0) {
		record_version_text(seg->go_min, vmin, sizeof vmin);
		params[5] = vmin;
	}
	if (seg->go_max < 999) {
		record_version_text(seg->go_max, vmax, sizeof vmax);
		params[6] = vmax;
	}
	snprintf(num[7], sizeof num[7], "%" PRId64, seg->gc_cycles);
	snprintf(num[8], sizeof num[8], "%" PRId64, seg->forced_cycles);
	snprintf(num[9], sizeof num[9], "%" PRId64, seg->periodic_cycles);
	snprintf(num[10], sizeof num[10], "%" PRId64, seg->sched_samples);
	snprintf(num[11], sizeof num[11], "%" PRId64, seg->first_gc_num);
	snprintf(num[12], sizeof num[12], "%" PRId64, seg->last_gc_num);
	snprintf(num[13], sizeof num[13], "%" PRId64, seg->first_ms);
	snprintf(num[14], sizeof num[14], "%" PRId64, seg->last_ms);
	if (!seg->has_gc)
		params[11] = params[12] = params[13] = params[14] = NULL;
	snprintf(num[15], sizeof num[15], "%" PRId64, seg->first_sched_ms);
	snprintf(num[16], sizeof num[16], "%" PRId64, seg->last_sched_ms);
	if (!seg->has_sched)
		params[15] = params[16] = NULL;
	snprintf(num[17], sizeof num[17], "%" PRId64, seg->repaired);
	return pg_write(s, "INSERT INTO segments (run_id, segment, reason, "
	    "first_line, last_line, go_min, go_max, gc_cycles, forced_cycles, "
	    "periodic_cycles, sched_samples, first_gc_num, last_gc_num, "
	    "first_ms, last_ms, first_sched_ms, last_sched_ms, "
	    "repaired_records) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
	    "$10, $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT (run_id, "
	    "segment) DO UPDATE SET reason = EXCLUDED.reason, first_line = "
	    "EXCLUDED.first_line, last_line = EXCLUDED.last_line, go_min = "
	    "EXCLUDED.go_min, go_max = EXCLUDED.go_max, gc_cycles = "
	    "EXCLUDED.gc_cycles, forced_cycles = EXCLUDED.forced_cycles, "
	    "periodic_cycles = EXCLUDED.periodic_cycles, sched_samples = "
	    "EXCLUDED.sched_samples, first_gc_num = EXCLUDED.first_gc_num, "
	    "last_gc_num = EXCLUDED.last_gc_num, first_ms = EXCLUDED.first_ms, "
	    "last_ms = EXCLUDED.last_ms, first_sched_ms = "
	    "EXCLUDED.first_sched_ms, last_sched_ms = EXCLUDED.last_sched_ms, "
	    "repaired_records = EXCLUDED.repaired_records", 18, params, err);
}

static int
pg_write_broken(struct store *base, int64_t run_id, int64_t line_no,
    const char *reason, const char *text, size_t len, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	struct pg_copy *c = &s->copy[PG_COPY_BROKEN];
	int first = 1;

	if (s->replaying)
		return 0;
	copy_int(&c->data, &first, run_id);
	copy_int(&c->data, &first, line_no);
	copy_sep(&c->data, &first);
	copy_text(&c->data, reason, strlen(reason));
	copy_sep(&c->data, &first);
	copy_text(&c->data, text, len);
	buf_addc(&c->data, '\n');
	c->rows++;
	if (c->data.len >= PG_COPY_FLUSH_BYTES)
		return pg_flush(s, PG_COPY_BROKEN, err);
	return 0;
}

static int
pg_begin(struct store *base, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	PGresult *res;

	if (s->in_tx)
		return 0;
	if (pg_ready(s, err) < 0)
		return -1;
	s->in_tx = 1;
	s->tx_sample_id = s->last_sample_id;
	s->tx_next_sample_id = s->next_sample_id;
	s->tx_shapes = NULL;
	s->tx_xid = 0;
	if (s->replaying)
		return 0;
	if (pg_exec(s, "BEGIN", err) < 0)
		return -1;
	res = pg_run(s, "SELECT txid_current()", 0, NULL, PGRES_TUPLES_OK,
	    "cannot write", err);
	if (res == NULL)
		return -1;
	s->tx_xid = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

static void
pg_rollback(struct store *base)
{
	struct pg_store *s = pg_store_of(base);

	if (PQstatus(s->conn) == CONNECTION_OK &&
	    PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		PQclear(pg_exec_wait(s, "ROLLBACK"));
	pg_copy_reset(s);
	s->in_tx = 0;
	s->last_sample_id = s->tx_sample_id;
	/* The ids the batch used were not stored: used again. */
	s->next_sample_id = s->tx_next_sample_id;
	for (; s->tx_shapes != NULL; s->tx_shapes = s->tx_shapes->next_new)
		s->tx_shapes->store_id = 0;
}

static int
pg_commit(struct store *base, struct buf *err)
{
	struct pg_store *s = pg_store_of(base);
	PGresult *res;
	int t;

	if (!s->in_tx)
		return 0;
	if (s->replaying) {
		/* Committed before the connection went: done. */
		s->replaying = 0;
		s->in_tx = 0;
		s->tx_shapes = NULL;
		return 0;
	}
	for (t = 0; t < PG_COPY_TABLES; t++)
		if (pg_flush(s, t, err) < 0)
			return -1;
	res = pg_exec_wait(s, "COMMIT");
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_fail(s, res, "cannot write", err);
		PQclear(res);
		/* Sent, but was it done?  Asked when connected again. */
		if (s->connection_lost)
			s->unsure_xid = s->tx_xid;
		return -1;
	}
	PQclear(res);
	s->in_tx = 0;
	s->tx_shapes = NULL;
	return 0;
}

static int
pg_error_is_transient(struct store *base)
{
	struct pg_store *s = pg_store_of(base);
	static const char *const codes[] = {
		"08", "40001", "40P01", "53", "57P01", "57P02", "57P03",
		"55P03", "58030", NULL
	};
	int i;

	if (s->hung)
		return 0;
	/* No SQLSTATE: libpq's own failure, the connection's. */
	if (s->connection_lost || PQstatus(s->conn) != CONNECTION_OK ||
	    s->sqlstate[0] == '\0')
		return 1;
	for (i = 0; codes[i] != NULL; i++)
		if (strncmp(s->sqlstate, codes[i], strlen(codes[i])) == 0)
			return 1;
	return 0;
}

/* postgresql://... and postgres://... (libpq's URI forms). */
static int
pg_claims(const char *db)
{
	return strncmp(db, "postgresql://", 13) == 0 ||
	    strncmp(db, "postgres://", 11) == 0;
}

const struct store_engine store_engine_pg = {
	.name = "postgresql",
	.claims = pg_claims,
	.open = pg_open,
	.open_failed_transient = pg_store_open_failed_transient,
	.open_reader = pg_open_reader,
	.close = pg_close,
	.read_snapshot = pg_read_snapshot,
	.path = pg_path,
	.run_begin = pg_run_begin,
	.run_input = pg_run_input,
	.run_input_end = pg_run_input_end,
	.run_update = pg_run_update,
	.write_record = pg_write_record,
	.write_segment = pg_write_segment,
	.write_broken = pg_write_broken,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.error_is_transient = pg_error_is_transient,
	.find_runs = pg_find_runs,
	.run_get = pg_run_get,
	.runs_list = pg_runs_list,
	.segments = pg_segments,
	.cursor_open = pg_cursor_open,
	.cursor_open_backward = pg_cursor_open_backward,
	.cursor_next = pg_cursor_next,
	.cursor_close = pg_cursor_close,
	.query = pg_query,
};
