#!/bin/sh
# Stores with several writers: simultaneous first ingests into a new store
# all land, several long ingests into one store all complete, and a file
# that is not a tracestat store is refused before anything is written.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

# gc_lines N FIRST: N Go 1.19 gc lines numbered from FIRST.
gc_lines() {
	python3 -c '
import sys
n, first = int(sys.argv[1]), int(sys.argv[2])
for k in range(first, first + n):
    print("gc %d @%d.000s 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P" % (k, k))
    print("app line %d" % k)
' "$@"
}

for writers in 2 8; do
test_expect_success "$writers simultaneous first ingests into a new store, 20 times: every run has all its rows" '
	for w in $(seq 1 '$writers'); do gc_lines 200 $((w * 1000)) >in.$w; done &&
	for rep in $(seq 1 20); do
		pids=
		for w in $(seq 1 '$writers'); do
			tracestat --db s$rep.db ingest --name w$w in.$w >/dev/null 2>err.$rep.$w &
			pids="$pids $!"
		done
		for p in $pids; do wait $p || { cat err.$rep.*; exit 1; }; done
		# each writer'"'"'s run: complete, with its own 200 cycles
		sql s$rep.db "SELECT name || char(47) || status || char(47) || gc_cycles || char(47) || (SELECT count(*) FROM gc_cycles g WHERE g.run_id = runs.id) || char(47) || (SELECT min(gc_num) FROM gc_cycles g WHERE g.run_id = runs.id) FROM runs ORDER BY name" >got &&
		for w in $(seq 1 '$writers'); do echo "w$w/complete/200/200/$((w * 1000))"; done | sort >expect &&
		test_cmp expect got || exit 1
	done
'
done

test_expect_success '8 concurrent ingests of 250,000 lines each into one store: all rows land' '
	"$SRCDIR/bench/gen-log" --gc 130000 --seed 5 >in &&
	# an independent count of what each run must hold
	gc=$(grep -c "^gc [0-9]* @" in) && sched=$(grep -c "^SCHED " in) &&
	test "$(wc -l <in)" -ge 240000 &&
	pids= &&
	for w in 1 2 3 4 5 6 7 8; do
		tracestat ingest -q --name w$w in 2>err.$w &
		pids="$pids $!"
	done &&
	for p in $pids; do wait $p || exit 1; done &&
	test "$(sql tracestat.db "SELECT count(*) FROM runs WHERE status = char(99,111,109,112,108,101,116,101)")" = 8 &&
	for w in 1 2 3 4 5 6 7 8; do
		test "$(sql tracestat.db "SELECT (SELECT count(*) FROM gc_cycles g WHERE g.run_id = r.id) || char(47) || (SELECT count(*) FROM sched_samples s WHERE s.run_id = r.id) FROM runs r WHERE name = char(119) || $w")" = "$gc/$sched" || exit 1
	done
'

test_expect_success 'another program'"'"'s SQLite database is refused before anything is written to it' '
	python3 -c "
import sqlite3
c = sqlite3.connect(\"other.db\")
c.execute(\"CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)\")
c.execute(\"INSERT INTO notes (text) VALUES (\x27mine\x27)\")
c.commit()
" &&
	cp other.db before.db &&
	gc_lines 3 1 >in &&
	expect_exit 4 tracestat --db other.db ingest in >out 2>err &&
	grep -q "^tracestat: error: .other.db. is an SQLite database but not a tracestat store" err &&
	cmp before.db other.db &&
	test ! -e other.db-wal && test ! -e other.db-journal &&
	test "$(python3 -c "import sqlite3; print(sqlite3.connect(\"other.db\").execute(\"PRAGMA journal_mode\").fetchone()[0])")" = delete &&
	# the application lines still came through
	test "$(grep -c "^app line" out)" = 3
'

test_expect_success 'a text file is refused, unchanged' '
	printf "my notes\nline two\n%0500d\n" 0 >notes.txt &&
	cp notes.txt before &&
	gc_lines 3 1 >in &&
	expect_exit 4 tracestat --db notes.txt ingest in >out 2>err &&
	grep -q "^tracestat: error: .notes.txt. is not a tracestat store" err &&
	cmp before notes.txt &&
	test ! -e notes.txt-wal && test ! -e notes.txt-journal &&
	expect_exit 4 tracestat --db notes.txt runs 2>err &&
	grep -q "not a tracestat store" err
'

test_done
