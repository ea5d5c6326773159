#!/bin/sh
# The rights a role needs (tracestat-db(5), PostgreSQL): creating a store
# needs CREATE on the schema, and a role without it gets exit 4 and the
# right named; a writer needs INSERT, UPDATE and SELECT on the tables and
# USAGE on the sequences; a reader SELECT alone, and may not ingest.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
pg_need

DB=$(pg_new_db) || exit 1
NAME=${DB#postgresql:///}
NAME=${NAME%%\?*}
HOST=${DB#*host=}
R=${NAME}_
export DB NAME HOST R
trap 'pg_psql -c "DROP ROLE IF EXISTS ${R}maker, ${R}writer, ${R}reader" >/dev/null 2>&1; pg_cleanup; rm -rf "$TEST_TMP"' EXIT

as() {
	printf 'postgresql://%s@/%s?host=%s\n' "$R$1" "$NAME" "$HOST"
}
L=$SRCDIR/samples/leak.log

test_expect_success 'the roles, as tracestat-db(5) says to make them' '
	pg_psql -d "$DB" -c "CREATE ROLE ${R}maker LOGIN; CREATE ROLE ${R}writer LOGIN; CREATE ROLE ${R}reader LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT USAGE ON SCHEMA public TO ${R}writer, ${R}reader"
'

test_expect_success 'no CREATE on the schema: exit 4, the right named, nothing made' '
	expect_exit 4 "$TRACESTAT" --db "$(as writer)" ingest -q "$L" 2>err &&
	cat err &&
	grep "^tracestat: error: .* holds no tracestat store, and the role .${R}writer. may not create one: it lacks the CREATE right on schema .public." err &&
	test "$(pg_psql -d "$DB" -At -c "SELECT count(*) FROM pg_tables WHERE schemaname = '\''public'\''")" = 0
'

test_expect_success 'a role with CREATE makes the store on first use' '
	pg_psql -d "$DB" -c "GRANT CREATE ON SCHEMA public TO ${R}maker" &&
	"$TRACESTAT" --db "$(as maker)" ingest -q "$L" 2>err &&
	test "$("$TRACESTAT" --db "$(as maker)" query --format csv "SELECT count(*) FROM gc_cycles" | sed 1d)" = 189
'

test_expect_success 'a reader reads; it may not ingest, and is told which right it lacks' '
	pg_psql -d "$DB" -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${R}reader" &&
	"$TRACESTAT" --db "$(as reader)" summary >out &&
	grep -q "189 gc cycles" out &&
	expect_exit 4 "$TRACESTAT" --db "$(as reader)" ingest -q "$L" 2>err &&
	cat err &&
	grep -q "permission denied for table runs" err &&
	grep -q "the role .${R}reader. lacks a right" err
'

test_expect_success 'a writer with INSERT, UPDATE, SELECT and the sequences ingests' '
	pg_psql -d "$DB" -c "GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO ${R}writer; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${R}writer" &&
	"$TRACESTAT" --db "$(as writer)" ingest -q --name second "$L" 2>err &&
	test "$("$TRACESTAT" --db "$(as reader)" query --format csv "SELECT count(*) FROM gc_cycles g JOIN runs r ON r.id = g.run_id WHERE r.name = '\''second'\''" | sed 1d)" = 189
'

test_done
