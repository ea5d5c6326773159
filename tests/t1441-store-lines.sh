#!/bin/sh
# Every trace line can be given back exactly as it was read, although a
# store keeps the text only of the lines their rule's shape does not give
# back (tracestat-db(5), "Lines").  The lines expected come from the logs
# themselves (tests/linesback.py), not from tracestat.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

LB="python3 $SRCDIR/tests/linesback.py"

test_expect_success 'every sample: raw_lines gives back each trace line, byte for byte' '
	for f in "$SRCDIR"/samples/*.log; do
		rm -f s.db* &&
		tracestat --db s.db ingest -q "$f" 2>/dev/null &&
		$LB "$f" s.db >out 2>&1 || { echo "$f:"; cat out; exit 1; }
	done
'

test_expect_success 'the raw column of tracestat query is the line; rule its name' '
	tracestat ingest -q "$SRCDIR/samples/forced.log" 2>/dev/null &&
	tracestat query --format csv "SELECT raw FROM gc_cycles WHERE forced = 1 LIMIT 1" >out &&
	grep -q "^\"gc [0-9]* @.* P (forced)\"\$" out &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles WHERE rule IS NULL OR raw IS NULL")" = 0
'

test_expect_success 'lines no shape gives back are kept whole, and given back' '
	printf "%s\n" "pacer: assist ratio=+1.643288e+000 (scan 0 MB in 3->4 MB) workers=0++2.500000e-001" \
		"pacer: assist ratio=1.5 (scan 0 MB in 3->4 MB) workers=0++2.500000e-001" \
		"pacer: assist ratio=-4.772194e-001 (scan 0 MB in 7->8 MB) workers=0++2.500000e-001" >in &&
	tracestat ingest -q in 2>/dev/null &&
	test "$(sqlite3 tracestat.db "SELECT group_concat(line IS NULL, char(32)) FROM pacer_start_rows")" = "1 0 1" &&
	sqlite3 tracestat.db "SELECT raw FROM pacer_start ORDER BY id" >out &&
	test_cmp in out
'

test_expect_success 'a store of 10 runs of the same rule keeps one shape of it' '
	for i in 1 2 3 4 5 6 7 8 9 10; do
		tracestat ingest -q "$SRCDIR/samples/leak.log" 2>/dev/null || exit 1
	done &&
	test "$(sql tracestat.db "SELECT count(*) FROM rules")" = "$(tracestat --db one.db ingest -q "$SRCDIR/samples/leak.log" 2>/dev/null; sql one.db "SELECT count(*) FROM rules")"
'

test_done
