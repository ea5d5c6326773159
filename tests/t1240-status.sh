#!/bin/sh
# Telling the user what happened: a run's true status and its reason, a
# run whose ingest died shown as abandoned, one snapshot for a reading
# command on a live store, and the progress line on a terminal.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

SQ="'"
GC19='gc 14 @0.464s 11%: 0.046+23+0.025 ms clock, 0.092+15/11/0+0.051 ms cpu, 168->204->137 MB, 196 MB goal, 0 MB stacks, 0 MB globals, 2 P'

test_expect_success 'a run whose ingest was killed is shown abandoned, and marked so by the next ingest' '
	mkfifo pipe || exit 1
	( printf "%s\n" "$GC19"; sleep 60 ) >pipe &
	writer=$!
	"$TRACESTAT" ingest <pipe >/dev/null 2>&1 &
	pid=$!
	wait_for "[ \"\$(sql tracestat.db \"SELECT count(*) FROM gc_cycles\" 2>/dev/null)\" = 1 ]" || exit 1
	test "$(sql tracestat.db "SELECT status FROM runs")" = running || exit 1
	tracestat runs --format csv >out || exit 1
	grep -q ",running," out || exit 1
	kill -KILL $pid
	wait $pid
	kill $writer
	test "$(sql tracestat.db "SELECT pid || char(47) || host FROM runs")" = "$pid/$(hostname)" || exit 1
	# read-only commands show it abandoned, and say why
	tracestat runs --format csv >out &&
	grep -q ",abandoned,.*,the ingest (pid $pid on $(hostname)) ended without closing the run$" out &&
	tracestat summary >out &&
	grep -q "(abandoned)" out &&
	# a writable open marks it for good
	printf "%s\n" "$GC19" | tracestat ingest 2>/dev/null &&
	test "$(sql tracestat.db "SELECT status FROM runs WHERE id = 1")" = abandoned &&
	test "$(sql tracestat.db "SELECT status FROM runs WHERE id = 2")" = complete
'

test_expect_success 'a running run of another host is left running' '
	printf "%s\n" "$GC19" | tracestat ingest 2>/dev/null &&
	python3 -c "
import sqlite3
c = sqlite3.connect(\"tracestat.db\")
c.execute(\"UPDATE runs SET status = \x27running\x27, host = \x27elsewhere.example\x27, pid = 1\")
c.commit()
" &&
	tracestat runs --format csv | grep -q ",running," &&
	printf "%s\n" "$GC19" | tracestat ingest 2>/dev/null &&
	test "$(sql tracestat.db "SELECT status FROM runs WHERE id = 1")" = running
'

test_expect_success 'an input that cannot be read: run failed, with the reason, exit 3' '
	mkdir adir &&
	printf "%s\n" "$GC19" >in &&
	expect_exit 3 tracestat ingest in adir 2>err &&
	grep -q "^tracestat: error: cannot read .adir.: Is a directory" err &&
	test "$(sql tracestat.db "SELECT status || char(47) || status_reason || char(47) || gc_cycles FROM runs")" = "failed/cannot read ${SQ}adir${SQ}: Is a directory/1"
'

test_expect_success 'summary on a live store: one snapshot across its threads' '
	# every cycle: live heap = its number, so the live heap growth (read
	# on the second connection) is the cycle count (read on the first) - 1
	python3 -c "
import sys, time
for n in range(1, 6001):
    sys.stdout.write(\"gc %d @%d.%03ds 0%%: 0.20+1.0+0.010 ms clock, 0.40+0/1.0/0+0.020 ms cpu, %d->%d->%d MB, %d MB goal, 0 MB stacks, 0 MB globals, 2 P\n\" % (n, n // 1000, n % 1000, n + 1, n + 2, n, 2 * n + 10))
    sys.stdout.flush()
    time.sleep(0.001)
" | tracestat ingest 2>/dev/null &
	wait_for "[ \"\$(sql tracestat.db \"SELECT count(*) FROM gc_cycles\" 2>/dev/null)\" -gt 100 ]" || exit 1
	k=0
	while [ $k -lt 15 ]; do
		tracestat summary --format csv >s.csv || exit 1
		python3 -c "
import csv, sys
row = next(csv.DictReader(open(\"s.csv\")))
n, growth = int(row[\"gc_cycles\"]), int(row[\"live_growth_mib\"])
sys.exit(0 if growth == n - 1 else \"%d cycles but growth %d\" % (n, growth))
" || exit 1
		k=$((k + 1))
	done
	wait
'

test_expect_success 'a progress line on a terminal, a few times a second; none off a terminal or with -q' '
	command -v script >/dev/null || { echo "script(1) missing"; exit 1; }
	python3 -c "
for n in range(1, 400001):
    print(\"gc %d @%d.000s 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\" % (n, n))
" >big &&
	size=$(wc -c <big) &&
	start=$(date +%s%N) &&
	script -qec "\"$TRACESTAT\" --db tty.db ingest big >/dev/null" typescript >/dev/null &&
	ms=$(( ($(date +%s%N) - start) / 1000000 )) &&
	tr "\r" "\n" <typescript | grep -a "^tracestat: [0-9.]* [KMG]*i*B of [0-9.]* MiB ([0-9]*%), [0-9]* lines/s, [0-9]* gc cycles" >updates &&
	n=$(wc -l <updates) &&
	echo "$n updates in $ms ms" &&
	test "$n" -ge 1 &&
	# at most 4 a second
	test "$n" -le $(( ms / 250 + 1 )) &&
	# the last one is not behind the cycles before it
	grep -a -q "tracestat: run 1: 400000 gc cycles" typescript &&
	# none without a terminal, none with -q
	tracestat --db plain.db ingest big >/dev/null 2>err &&
	test "$(cat err)" = "tracestat: run 1: 400000 gc cycles, 0 scheduler samples, 0 repaired, 0 unrecognised" &&
	script -qec "\"$TRACESTAT\" --db quiet.db ingest -q big" typescript2 >/dev/null &&
	! grep -a -q "lines/s" typescript2
'

test_done
