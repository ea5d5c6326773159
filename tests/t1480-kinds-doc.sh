#!/bin/sh
# tracestat-db(5) stays true to the record kinds: the descriptors of
# src/tracer/schema.c (printed by tests/kinds-dump), the page, a freshly created
# store and the reference parser name the same tables and columns, with
# the same types and units.  Then the checks are shown to catch a page or
# a descriptor that drifted.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed"
DUMP=$(dirname "$TRACESTAT")/tests/kinds-dump
PAGE=$SRCDIR/man/tracestat-db.5
CHECK="python3 $SRCDIR/tests/kinds-doc.py"

"$DUMP" >"$TEST_TMP/kinds" 2>"$TEST_TMP/kinds.err"
dump_rc=$?

# The columns of a store as a new ingest creates it.
store_columns() {
	expect_exit 7 tracestat --db new.db ingest -q /dev/null 2>/dev/null &&
	tracestat --db new.db query --format csv "SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type IN ('table', 'view') ORDER BY m.name, p.cid" >"$1"
}

test_expect_success 'the descriptors hold together (kinds-dump checks)' '
	cat "$TEST_TMP/kinds.err" &&
	[ "$dump_rc" -eq 0 ] && [ ! -s "$TEST_TMP/kinds.err" ] &&
	grep -q "^kind gc gc_cycles mid-line$" "$TEST_TMP/kinds" &&
	grep -q "^column gc_cycles stw_total_wall_us INTEGER us$" "$TEST_TMP/kinds" &&
	grep -q "^derived gc stw_total_wall_us$" "$TEST_TMP/kinds"
'

test_expect_success 'every kind table and column is in tracestat-db(5), with its type and unit, and nothing else' '
	$CHECK man "$TEST_TMP/kinds" "$PAGE" >problems; cat problems &&
	[ ! -s problems ]
'

test_expect_success 'every table and column of tracestat-db(5) is in a new store, and every column of the store in the page' '
	store_columns store.csv &&
	grep -q "^gc_cycles,heap_live_mib,INTEGER$" store.csv &&
	$CHECK store "$TEST_TMP/kinds" "$PAGE" store.csv >problems; cat problems &&
	[ ! -s problems ]
'

test_expect_success 'the columns the reference parser names are its kinds columns' '
	$CHECK refparse "$TEST_TMP/kinds" "$PAGE" "$SRCDIR/tests/refparse.py" >problems; cat problems &&
	[ ! -s problems ]
'

test_expect_success 'tracestat-grammar(5) lists every kind, its table, the values derived and the kinds looked for mid-line' '
	$CHECK grammar "$TEST_TMP/kinds" "$SRCDIR/man/tracestat-grammar.5" >problems; cat problems &&
	[ ! -s problems ]
'

test_expect_success 'units agree with the ends of the column names' '
	$CHECK units "$TEST_TMP/kinds" "$PAGE" >problems; cat problems &&
	[ ! -s problems ]
'

# The checks catch drift: each edit below must be reported.
test_expect_success 'a column missing from the page, a wrong unit, a wrong type are caught' '
	grep -v "^\.It Va heap_goal_mib Pq" "$PAGE" >missing.5 &&
	! $CHECK man "$TEST_TMP/kinds" missing.5 >out &&
	grep -q "gc_cycles.*documented columns" out &&
	sed "s/^\.It Va mark_wall_us Pq INTEGER, \\\\(mcs$/.It Va mark_wall_us Pq INTEGER, ms/" "$PAGE" >unit.5 &&
	! cmp -s "$PAGE" unit.5 &&
	! $CHECK man "$TEST_TMP/kinds" unit.5 >out &&
	grep -q "gc_cycles.mark_wall_us.: documented as (INTEGER, ms), is (INTEGER, us)" out &&
	sed "s/^\.It Va assist_ratio Pq REAL, ratio$/.It Va assist_ratio Pq INTEGER, ratio/" "$PAGE" >type.5 &&
	! cmp -s "$PAGE" type.5 &&
	! $CHECK man "$TEST_TMP/kinds" type.5 >out &&
	grep -q "pacer_start.assist_ratio" out
'

test_expect_success 'a descriptor column or table the page lacks is caught' '
	sed "s/^column scav util_pct INTEGER %$/&\ncolumn scav util_max_pct INTEGER %/" "$TEST_TMP/kinds" >more &&
	! $CHECK man more "$PAGE" >out && grep -q "table .scav." out &&
	printf "kind inits inits trace\ncolumn inits clock_us INTEGER us\n" >>more &&
	! $CHECK man more "$PAGE" >out && grep -q "table .inits. is not documented" out
'

test_expect_success 'a documented column the store lacks, and a store column the page lacks, are caught' '
	store_columns store.csv &&
	grep -v "^sched_m,helpgc," store.csv >less.csv &&
	! $CHECK store "$TEST_TMP/kinds" "$PAGE" less.csv >out &&
	grep -q "sched_m.helpgc. is not in a new store" out &&
	echo "runs,secret,TEXT" >>store.csv &&
	! $CHECK store "$TEST_TMP/kinds" "$PAGE" store.csv >out &&
	grep -q "store column .runs.secret. is not documented" out
'

test_expect_success 'a reference parser column that is no column is caught' '
	sed "s/gc_num,start_ms,gc_cpu_pct/gc_num,start_s,gc_cpu_pct/" "$SRCDIR/tests/refparse.py" >ref.py &&
	! $CHECK refparse "$TEST_TMP/kinds" "$PAGE" ref.py >out &&
	grep -q "refparse .gc. column .start_s." out
'

test_expect_success 'a kind, a derived value or a mid-line kind tracestat-grammar(5) lacks is caught' '
	G=$SRCDIR/man/tracestat-grammar.5 &&
	sed "s/^derived scav prev_gc_num$/&\nderived scav util_pct/" "$TEST_TMP/kinds" >more &&
	! $CHECK grammar more "$G" >out && grep -q "scav.*util_pct" out &&
	sed "s/^kind event events trace$/kind event events mid-line/" "$TEST_TMP/kinds" >more &&
	! cmp -s "$TEST_TMP/kinds" more &&
	! $CHECK grammar more "$G" >out && grep -q "mid-line" out &&
	printf "kind inits inits trace\n" >>more &&
	! $CHECK grammar more "$G" >out && grep -q "kind .inits. is not" out
'

test_expect_success 'a unit that contradicts the name is caught' '
	sed "s/^column gc_cycles start_ms INTEGER ms$/column gc_cycles start_ms INTEGER us/" "$TEST_TMP/kinds" >wrong &&
	! cmp -s "$TEST_TMP/kinds" wrong &&
	! $CHECK units wrong >out && grep -q "gc_cycles.start_ms.: unit us" out
'

test_done
