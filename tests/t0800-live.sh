#!/bin/sh
# A live ingest: a query sees committed batches while the ingest runs,
# signals commit and print the summary, a closed stdout does not stop it.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

gc() {
	printf 'gc %s @%s.000s 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\n' "$1" "$1"
}

# wait_for CMD: up to 10 s for CMD to succeed (not a timing test: the
# batch interval is 250 ms, the bound only stops a hung test).
wait_for() {
	i=0
	while ! eval "$1"; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}

test_expect_success 'a query sees the cycles of a running ingest; a second SIGINT ends it' '
	mkfifo pipe || exit 1
	( for n in 1 2 3 4 5; do gc $n; done; echo app; sleep 30 ) >pipe &
	writer=$!
	"$TRACESTAT" ingest <pipe >out 2>err &
	pid=$!
	wait_for "[ \"\$(sql tracestat.db \"SELECT count(*) FROM gc_cycles\" 2>/dev/null)\" = 5 ]" || exit 1
	test "$(sql tracestat.db "SELECT status FROM runs")" = running || exit 1
	wait_for "grep -q app out" || exit 1
	# the first SIGINT on a pipe reads on, like tee -i (see t1200)
	kill -INT $pid
	sleep 0.5
	kill -0 $pid || exit 1
	kill -INT $pid
	wait $pid || exit 1
	kill $writer 2>/dev/null
	grep -q "^tracestat: run 1: 5 gc cycles, 0 scheduler samples, 0 repaired, 0 unrecognised$" err &&
	test "$(sql tracestat.db "SELECT status || char(47) || gc_cycles FROM runs")" = "interrupted/5"
'

test_expect_success 'SIGTERM commits too' '
	mkfifo pipe || exit 1
	( gc 1; gc 2; sleep 30 ) >pipe &
	writer=$!
	"$TRACESTAT" ingest <pipe >out 2>err &
	pid=$!
	wait_for "[ \"\$(sql tracestat.db \"SELECT count(*) FROM gc_cycles\" 2>/dev/null)\" = 2 ]" || exit 1
	kill -TERM $pid
	wait $pid
	kill $writer 2>/dev/null
	grep -q "run 1: 2 gc cycles" err &&
	test "$(sql tracestat.db "SELECT status FROM runs")" = interrupted
'

test_expect_success 'a closed standard output (| head) does not stop the ingest' '
	python3 - >in <<-EOT
	for n in range(1, 2001):
	    for k in range(20):
	        print("application line", n, k)
	    print("gc %d @%d.000s 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P" % (n, n))
	EOT
	tracestat ingest <in 2>err | head -1 >out &&
	test "$(cat out)" = "application line 1 0" &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles")" = 2000 &&
	test "$(sql tracestat.db "SELECT status FROM runs")" = complete
'

test_expect_success 'batches: a big input commits in batches of at most 10,000 lines' '
	python3 - >in <<-EOT
	for n in range(1, 25001):
	    print("gc %d @%d.000s 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P" % (n, n))
	EOT
	mkfifo pipe || exit 1
	( head -n 15000 in; sleep 30 ) >pipe &
	writer=$!
	"$TRACESTAT" ingest <pipe >/dev/null 2>err &
	pid=$!
	# 15,000 lines: the first 10,000 are committed at once, the rest
	# within 250 ms of the pipe going quiet
	wait_for "[ \"\$(sql tracestat.db \"SELECT count(*) FROM gc_cycles\" 2>/dev/null)\" = 15000 ]" || exit 1
	kill -INT $pid
	wait $pid
	kill $writer 2>/dev/null
	true
'

test_done
