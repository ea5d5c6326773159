#!/bin/sh
# leaks --check never passes what it could not judge: a run with no data,
# a segment without gc cycles, an inconclusive segment exit 7 and say why;
# a leak anywhere exits 1.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
HINT="(was GODEBUG=gctrace=1 set for the program?)"

test_expect_success 'a run with no trace line: exit 7, and why' '
	echo "just the application" | expect_exit 7 tracestat ingest >/dev/null 2>&1 &&
	expect_exit 7 tracestat leaks --check >out 2>err &&
	echo "tracestat: error: run 1: no data to judge $HINT" >expected &&
	test_cmp expected err &&
	expect_exit 0 tracestat leaks >out 2>err &&
	test_cmp /dev/null err
'

test_expect_success 'a segment with scheduler samples but no gc cycle: exit 7' '
	printf "SCHED 0ms: gomaxprocs=2 idleprocs=2 threads=4 spinningthreads=0 idlethreads=1 runqueue=0 [0 0]\n" |
	    tracestat ingest 2>/dev/null &&
	expect_exit 7 tracestat leaks --check >out 2>err &&
	echo "tracestat: error: run 1 segment 1: no gc cycles to judge $HINT" >expected &&
	test_cmp expected err &&
	grep -q inconclusive out
'

test_expect_success 'inconclusive with a few cycles is not a pass: exit 7' '
	tracestat ingest -q "$S/periodic.log" 2>/dev/null &&
	n=$(sed -n "s/^num_gc=//p" "$S/periodic.truth") &&
	expect_exit 7 tracestat leaks --check >out 2>err &&
	for series in heap stacks; do
		echo "tracestat: error: run 1 segment 1 $series: inconclusive with $n gc cycles (too few cycles): not judged, not a pass"
	done >expected &&
	test_cmp expected err
'

test_expect_success 'a program older than Go 1.18 prints no stacks: a flat heap passes' '
	python3 -c "
for i in range(1, 121):
    print(\"gc %d @%.3fs 1%%: 0.010+1.0+0.003 ms clock, 0.042+0.15/0.91/0.13+0.012 ms cpu, 8->%d->4 MB, 9 MB goal, 4 P\" % (i, i * 0.5, 8 + i % 3))
" >old.log &&
	tracestat ingest -q old.log &&
	tracestat leaks --format csv >out &&
	grep -q ",stacks,inconclusive," out &&
	expect_exit 0 tracestat leaks --check >out 2>err &&
	test_cmp /dev/null err
'

test_expect_success 'a leak wins: exit 1, the empty run still named' '
	tracestat ingest -q --name leak "$S/leak.log" 2>/dev/null &&
	echo nothing | expect_exit 7 tracestat ingest --name empty >/dev/null 2>&1 &&
	expect_exit 1 tracestat leaks --run all --check >out 2>err &&
	echo "tracestat: error: run 2: no data to judge $HINT" >expected &&
	test_cmp expected err &&
	expect_exit 1 tracestat leaks --run leak --check >out 2>err &&
	test_cmp /dev/null err &&
	expect_exit 7 tracestat leaks --run empty --check >out 2>err
'

test_expect_success 'no-leak passes in silence; --segment judges only that segment' '
	cat "$S/steady.log" "$S/periodic.log" | tracestat ingest -q --name two 2>/dev/null &&
	tracestat ingest -q --name one "$S/steady.log" 2>/dev/null &&
	expect_exit 0 tracestat leaks --run one --check >out 2>err &&
	test_cmp /dev/null err &&
	expect_exit 0 tracestat leaks --run two --segment 1 --check >out 2>err &&
	test_cmp /dev/null err &&
	expect_exit 7 tracestat leaks --run two --check >out 2>err &&
	grep -q "^tracestat: error: run 1 segment 2 heap: inconclusive" err
'

test_done
