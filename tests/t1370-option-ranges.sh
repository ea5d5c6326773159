#!/bin/sh
# Numeric options are range-checked as they are written, before any cast:
# values past the int or double range are usage errors (exit 2), never
# wrapped into another number.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

DB=$TEST_TMP/t.db
"$TRACESTAT" --db "$DB" ingest -q "$SRCDIR/samples/restart.log" 2>/dev/null
export DB

test_expect_success '--segment 99999999999 is refused, not read as 1215752191' '
	expect_exit 2 tracestat --db "$DB" summary --segment 99999999999 >out 2>err &&
	grep -q "^tracestat: error: --segment takes a segment number from 1 to 2147483647, not .99999999999.\$" err &&
	expect_exit 2 tracestat --db "$DB" summary --segment 4294967298 2>err &&
	expect_exit 2 tracestat --db "$DB" summary --segment 18446744073709551617 2>err &&
	expect_exit 2 tracestat --db "$DB" summary --segment -1 2>err &&
	expect_exit 4 tracestat --db "$DB" summary --segment 2147483647 2>err &&
	grep -q "no segment 2147483647" err &&
	tracestat --db "$DB" summary --segment 2 --format csv >out &&
	test "$(sed 1d out | cut -d, -f3)" = 2
'

test_expect_success 'every numeric option refuses values past its range' '
	for args in "heap --buckets 99999999999" "heap --buckets 4294967297" \
	    "pauses --top 99999999999999999999" "pauses --over 1e400us" \
	    "pauses --over 1e308h" "leaks --min-rise 1e308TiB" \
	    "leaks --limit 1e400B" "leaks --warmup 1e400%" \
	    "leaks --warmup 1e308h" "plot heap --size 99999999999x600" \
	    "plot heap --size 4294968496x600" "report --over 1e308h"; do
		set -- $args
		expect_exit 2 "$TRACESTAT" --db "$DB" "$@" >out 2>err ||
		    { echo "accepted: $args"; return 1; }
		grep -q "^try .tracestat $1 --help.\$" err || return 1
	done &&
	printf "" | expect_exit 2 "$TRACESTAT" --db "$DB" ingest --hold 99999999999999999999 2>err
'

test_done
