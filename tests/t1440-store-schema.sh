#!/bin/sh
# The schema of each version is frozen DDL (src/store/sql/v1.sql, v3.sql, v4.sql; schema
# 2 is schema 1 and its step) and each upgrade a frozen step
# (src/store/sql/vN-vM.sql): the frozen text is what the
# old tracestats wrote (tests/stores/vN.db), a new store is the frozen
# latest, and a store of every earlier version comes out of the upgrade
# with the same schema as a new one and every row it had.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/src/store/sql
ST=$SRCDIR/tests/stores
SCHEMA="python3 $SRCDIR/tests/schemasame.py schema"
ROWS="python3 $SRCDIR/tests/schemasame.py rows"
LATEST=4

# frozen FILES...: frozen.db made anew by those frozen files, in order.
frozen() {
	rm -f frozen.db && cat "$@" | sqlite3 -bail frozen.db
}

test_expect_success 'schema 1: the frozen DDL is what the tracestat of 762533d wrote' '
	frozen "$S/v1.sql" &&
	sqlite3 frozen.db "PRAGMA user_version = 1; PRAGMA application_id = 1416778612" &&
	$SCHEMA frozen.db >expect &&
	$SCHEMA "$ST/v1.db" >actual &&
	test_cmp expect actual
'

test_expect_success 'schema 2: the frozen DDL (v1 and its ALTERs) has the columns the tracestat of schema 2 wrote' '
	frozen "$S/v1.sql" "$S/v1-v2.sql" &&
	sqlite3 frozen.db "PRAGMA user_version = 2; PRAGMA application_id = 1416778612" &&
	$SCHEMA frozen.db --unordered >expect &&
	$SCHEMA "$ST/v2.db" --unordered >actual &&
	test_cmp expect actual
'

test_expect_success 'schema 3: the frozen DDL is what the tracestat of 2956a70 wrote' '
	frozen "$S/v3.sql" &&
	sqlite3 frozen.db "PRAGMA user_version = 3; PRAGMA application_id = 1416778612" &&
	$SCHEMA frozen.db >expect &&
	$SCHEMA "$ST/v3.db" >actual &&
	test_cmp expect actual
'

test_expect_success 'a new store is the frozen latest DDL, and so is every upgrade path' '
	tracestat --db new.db ingest -q "$SRCDIR/samples/steady.log" 2>/dev/null &&
	test "$(sqlite3 new.db "PRAGMA user_version")" = $LATEST &&
	$SCHEMA new.db >new &&
	frozen "$S/v$LATEST.sql" &&
	sqlite3 frozen.db "PRAGMA user_version = $LATEST; PRAGMA application_id = 1416778612" &&
	$SCHEMA frozen.db >expect &&
	test_cmp expect new &&
	for path in "v1.sql v1-v2.sql v2-v3.sql v3-v4.sql" "v3.sql v3-v4.sql"; do
		frozen $(for f in $path; do echo "$S/$f"; done) &&
		sqlite3 frozen.db "PRAGMA user_version = $LATEST; PRAGMA application_id = 1416778612" &&
		$SCHEMA frozen.db >actual &&
		test_cmp expect actual || { echo "path $path"; exit 1; }
	done
'

for v in 1 2 3; do
	test_expect_success "a store of schema $v: upgraded to the new schema, every row kept" '
		v='$v' &&
		cp "$ST/v$v.db" s.db &&
		test "$(sqlite3 s.db "PRAGMA user_version")" = $v &&
		expect_exit 4 tracestat --db s.db query "SELECT 1" 2>err &&
		grep -q "schema version $v" err &&
		tracestat --db s.db ingest -q "$SRCDIR/samples/leak.log" 2>/dev/null &&
		tracestat --db new.db ingest -q "$SRCDIR/samples/leak.log" 2>/dev/null &&
		$SCHEMA new.db >expect &&
		$SCHEMA s.db >actual &&
		test_cmp expect actual &&
		$ROWS "$ST/v$v.db" s.db &&
		runs=$(sqlite3 "$ST/v$v.db" "SELECT count(*) FROM runs") &&
		tracestat --db s.db summary --run $((runs + 1)) >out &&
		grep -q "189 gc cycles" out &&
		tracestat --db s.db summary --run 1 >out &&
		grep -q "257 gc cycles" out
	'
done

test_done
