#!/bin/sh
# The store's read interface (src/store/store.h: runs, segments, record cursors)
# read by a small program linked against the store alone
# (tests/store-read-dump.c), compared with the independent reference
# parser (tests/refparse.py), the line numbers grep finds and the counts
# the Go runtime wrote itself (samples/*.truth).
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

DUMP=$(dirname "$TRACESTAT")/tests/store-read-dump
S=$SRCDIR/samples
[ -x "$DUMP" ] || skip_all "no $DUMP (make check builds it)"

truth() {
	sed -n "s/^$2=//p" "$S/$1.truth"
}


GC_COLUMNS=$(python3 "$SRCDIR/tests/refparse.py" gc /dev/null | head -1 | tr , ' ')

for name in steady leak sawtooth periodic forced; do
	[ -f "$S/$name.log" ] || continue
	test_expect_success "$name: every gc row through a cursor as the reference parser reads it" "
		tracestat --db t.db ingest -q '$S/$name.log' 2>/dev/null &&
		python3 '$SRCDIR/tests/refparse.py' gc '$S/$name.log' >expect &&
		'$DUMP' t.db gc 1 1 $GC_COLUMNS >actual &&
		csv_same expect actual &&
		test \$(sed 1d actual | wc -l) = '$(truth $name num_gc)'
	"
	test_expect_success "$name: each gc row's line number is its line in the log" "
		tracestat --db t.db ingest -q '$S/$name.log' 2>/dev/null &&
		grep -n '^gc [0-9]' '$S/$name.log' | cut -d: -f1 >expect &&
		'$DUMP' t.db gc 1 1 line_no | sed 1d >actual &&
		test_cmp expect actual
	"
done

test_expect_success 'backward: the same rows, last first' '
	tracestat --db t.db ingest -q "$S/leak.log" 2>/dev/null &&
	"$DUMP" t.db gc 1 1 id gc_num start_ms heap_live_mib | sed 1d >forward &&
	"$DUMP" t.db gc 1 1 --backward id gc_num start_ms heap_live_mib | sed 1d >backward &&
	cut -d, -f1 forward | sort -c -n -u &&
	tac forward >want &&
	test_cmp want backward &&
	test "$(wc -l <forward)" -gt 10
'

test_expect_success 'restart: the segments as the processes were, and a cursor per segment' '
	tracestat --db t.db ingest -q "$S/restart.log" 2>/dev/null &&
	"$DUMP" t.db --runs >runs &&
	test "$(grep -c "^segment " runs)" = "$(truth restart processes)" &&
	grep "^segment " runs | sed "s/.*gc_cycles=\([0-9]*\).*/\1/" | paste -sd, >per &&
	echo "$(truth restart num_gc_per_process)" >want &&
	test_cmp want per &&
	: every segment, segment by segment, is the whole run &&
	for seg in 1 2 3; do "$DUMP" t.db gc 1 $seg gc_num segment | sed 1d; done >each &&
	"$DUMP" t.db gc 1 all gc_num segment | sed 1d >all &&
	test_cmp all each &&
	test "$(wc -l <all)" = "$(truth restart num_gc)" &&
	cut -d, -f2 all | uniq -c | awk "{ print \$1 }" | paste -sd, >counts &&
	test_cmp want counts
'

test_expect_success 'saturate: a scheduler detail names its sample by the sample record id' '
	tracestat --db t.db ingest -q "$S/saturate.log" 2>/dev/null &&
	python3 "$SRCDIR/tests/refparse.py" sched_p "$S/saturate.log" >expect &&
	"$DUMP" t.db sched 1 1 id | sed 1d >ids &&
	"$DUMP" t.db sched-p 1 1 sample_id p_idx local_runq schedtick status syscalltick m_id gfree_count timers_len >p &&
	python3 - ids p >actual <<-\PY &&
	import sys
	ordinal = {line.strip(): n for n, line in enumerate(open(sys.argv[1]), 1)}
	rows = open(sys.argv[2]).read().splitlines()
	print("sample," + rows[0].split(",", 1)[1])
	for r in rows[1:]:
	    f = r.split(",")
	    print(",".join([str(ordinal[f[0]])] + f[1:]))
	PY
	csv_same expect actual
'

test_expect_success 'runs: labels sorted by key, counts, status' '
	tracestat --db t.db ingest -q --name one --label zone=b --label host=h --label app=a "$S/steady.log" 2>/dev/null &&
	"$DUMP" t.db --runs | grep "^run " >runs &&
	echo "run 1 name=one status=complete gc_cycles=$(truth steady num_gc) segments=1 labels=app=a,host=h,zone=b" >want &&
	test_cmp want runs
'

test_expect_success 'a column the kind does not have, or a kind not stored: an error' '
	tracestat --db t.db ingest -q "$S/steady.log" 2>/dev/null &&
	expect_exit 1 "$DUMP" t.db gc 1 1 gc_num "start_ms; DROP TABLE runs" 2>err &&
	grep -q "no column .start_ms; DROP TABLE runs. in .gc_cycles." err &&
	expect_exit 1 "$DUMP" t.db gc 1 1 raw 2>err &&
	grep -q "no column .raw." err &&
	expect_exit 1 "$DUMP" t.db gc 1 1 run_id 2>err &&
	grep -q "no column .run_id." err &&
	expect_exit 1 "$DUMP" t.db gc-forced 1 1 gc_num 2>err &&
	grep -q "no stored records" err &&
	test "$(sql t.db "SELECT count(*) FROM runs")" = 1
'

test_expect_success 'a run or segment that is not there: no rows' '
	tracestat --db t.db ingest -q "$S/steady.log" 2>/dev/null &&
	"$DUMP" t.db gc 7 1 gc_num >none &&
	"$DUMP" t.db gc 1 9 gc_num >>none &&
	printf "gc_num\ngc_num\n" >want &&
	test_cmp want none
'

test_done
