#!/bin/sh
# Several processes in one stream (restarts, go run / go test printing the
# toolchain's own traces): one segment per process, never mixed.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

# gc N T: a go1.19 gc line of cycle N at T seconds
gc() {
	printf 'gc %s @%ss 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\n' "$1" "$2"
}
sched() {
	printf 'SCHED %sms: gomaxprocs=2 idleprocs=2 threads=5 spinningthreads=0 idlethreads=3 runqueue=0 [0 0]\n' "$1"
}
segments() {
	sql tracestat.db "SELECT group_concat(n, char(32)) FROM (SELECT gc_cycles || char(47) || sched_samples AS n FROM segments ORDER BY segment)"
}

test_expect_success 'the gc number going back starts a segment' '
	{ gc 1 0.010; gc 2 0.020; gc 3 0.030; gc 1 0.005; gc 2 0.015; } >in &&
	tracestat ingest in 2>/dev/null &&
	test "$(segments)" = "3/0 2/0" &&
	test "$(sql tracestat.db "SELECT reason FROM segments WHERE segment = 2")" = "gc number went back"
'

test_expect_success 'the scheduler clock going back starts one; gc 1 joins it' '
	{ sched 0; gc 1 0.010; sched 1000; gc 2 1.100; sched 0; gc 1 0.002; sched 1000; } >in &&
	tracestat ingest in 2>/dev/null &&
	test "$(segments)" = "2/2 1/2"
'

test_expect_success 'two processes interleaved (go test and its binary)' '
	{ gc 1 0.010; gc 2 0.020; gc 1 0.001; gc 3 0.030; gc 2 0.011; gc 4 0.040; gc 3 0.012; } >in &&
	tracestat ingest in 2>/dev/null &&
	test "$(segments)" = "4/0 3/0" &&
	test "$(sql tracestat.db "SELECT group_concat(gc_num, char(32)) FROM (SELECT gc_num FROM gc_cycles WHERE segment = 1 ORDER BY id)")" = "1 2 3 4"
'

test_expect_success 'lost lines (a gap in gc numbers) do not split a segment' '
	{ gc 1 0.010; gc 2 0.020; gc 5 0.050; gc 6 0.060; } >in &&
	tracestat ingest in 2>/dev/null &&
	test "$(segments)" = "4/0"
'

test_expect_success 'the clock going back with a higher number starts one' '
	{ gc 5 10.000; gc 6 11.000; gc 7 0.500; } >in &&
	tracestat ingest in 2>/dev/null &&
	test "$(segments)" = "2/0 1/0"
'

test_expect_success 'summary shows one row per segment' '
	{ gc 1 0.010; gc 2 0.020; gc 1 0.005; } >in &&
	tracestat ingest in 2>/dev/null &&
	tracestat summary --format csv >out &&
	test "$(sed 1d out | cut -d, -f3,9 | tr "\n" " ")" = "1,2 2,1 " &&
	tracestat summary --segment 2 --format csv >out &&
	test "$(sed 1d out | cut -d, -f3,9)" = "2,1"
'

test_done
