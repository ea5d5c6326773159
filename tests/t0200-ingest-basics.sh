#!/bin/sh
# ingest: pass-through, the summary line, options, exit codes, bad input.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

FIX=$SRCDIR/tests/fixtures
GC19='gc 14 @0.464s 11%: 0.046+23+0.025 ms clock, 0.092+15/11/0+0.051 ms cpu, 168->204->137 MB, 196 MB goal, 0 MB stacks, 0 MB globals, 2 P'
export GC19

test_expect_success 'application lines pass through unchanged, trace lines do not' '
	printf "hello\n%s\nworld  with  spaces\n\n" "$GC19" >in &&
	tracestat ingest in >out 2>err &&
	printf "hello\nworld  with  spaces\n\n" >expect &&
	test_cmp expect out
'

test_expect_success 'one summary line on stderr, nothing else' '
	printf "hello\n%s\n" "$GC19" >in &&
	tracestat ingest in >out 2>err &&
	echo "tracestat: run 1: 1 gc cycles, 0 scheduler samples, 0 repaired, 0 unrecognised" >expect &&
	test_cmp expect err
'

test_expect_success '-q drops application lines, -e echoes trace lines' '
	printf "hello\n%s\n" "$GC19" >in &&
	tracestat ingest -q in >out 2>/dev/null &&
	test ! -s out &&
	tracestat ingest -e in >out 2>/dev/null &&
	printf "hello\n%s\n" "$GC19" >expect &&
	test_cmp expect out
'

test_expect_success '-q still passes runtime crash lines through; they are events' '
	printf "app\nfatal error: all goroutines are asleep - deadlock!\n%s\n" "$GC19" >in &&
	tracestat ingest -q in >out 2>/dev/null &&
	echo "fatal error: all goroutines are asleep - deadlock!" >expect &&
	test_cmp expect out &&
	test "$(sql tracestat.db "SELECT event || char(47) || line_no FROM events")" = "fatal error/2"
'

test_expect_success '-e writes a repaired trace line once, joined' '
	printf "%s\n%s\n" "gc 14 @0.464s 11%: 0.046+23+0.025 ms clock, 0.092+15/11/0+0.051 ms cpuAPP" ", 168->204->137 MB, 196 MB goal, 0 MB stacks, 0 MB globals, 2 P" >in &&
	tracestat ingest -e in >out 2>/dev/null &&
	printf "APP\n%s\n" "$GC19" >expect &&
	test_cmp expect out
'

test_expect_success 'standard input, and - as a file name' '
	printf "%s\n" "$GC19" | tracestat ingest 2>/dev/null &&
	printf "%s\n" "$GC19" | tracestat ingest - 2>/dev/null &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles")" = 2 &&
	test "$(sql tracestat.db "SELECT source FROM runs WHERE id = 1")" = "-"
'

test_expect_success '--db before and after the command, and TRACESTAT_DB' '
	printf "%s\n" "$GC19" >in &&
	tracestat --db a.db ingest in 2>/dev/null &&
	tracestat ingest --db b.db in 2>/dev/null &&
	TRACESTAT_DB=c.db tracestat ingest in 2>/dev/null &&
	test ! -e tracestat.db &&
	for d in a b c; do
		test "$(sql $d.db "SELECT count(*) FROM gc_cycles")" = 1 || exit 1
	done &&
	test "$(tracestat query --db a.db --format csv "SELECT count(*) AS n FROM runs" | sed 1d)" = 1
'

test_expect_success '--name and --label are kept on the run' '
	tracestat ingest --name web --label env=prod -l host=a1 "$FIX/go1.19.txt" 2>/dev/null &&
	tracestat runs --format csv >out &&
	grep -q "^1,web,.*,\"env=prod,host=a1\",0,$" out &&
	tracestat summary --run web --format csv | grep -q "^1,web,1,"
'

test_expect_success 'the gc line values are stored in microseconds and MiB' '
	printf "%s\n" "$GC19" | tracestat ingest 2>/dev/null &&
	tracestat query --format csv "SELECT gc_num, start_ms, gc_cpu_pct, stw_sweepterm_wall_us, mark_wall_us, stw_markterm_wall_us, stw_sweepterm_cpu_us, assist_cpu_us, bg_mark_cpu_us, idle_mark_cpu_us, stw_markterm_cpu_us, heap_start_mib, heap_end_mib, heap_live_mib, heap_goal_mib, stacks_mib, globals_mib, gomaxprocs, forced, stw_total_wall_us, raw FROM gc_cycles" >out &&
	# by hand: 0.046 ms = 46 us, 23 ms = 23000 us, 0.025 ms = 25 us, ...
	cat >expect <<-EOT &&
	gc_num,start_ms,gc_cpu_pct,stw_sweepterm_wall_us,mark_wall_us,stw_markterm_wall_us,stw_sweepterm_cpu_us,assist_cpu_us,bg_mark_cpu_us,idle_mark_cpu_us,stw_markterm_cpu_us,heap_start_mib,heap_end_mib,heap_live_mib,heap_goal_mib,stacks_mib,globals_mib,gomaxprocs,forced,stw_total_wall_us,raw
	14,464,11,46,23000,25,92,15000,11000,0,51,168,204,137,196,0,0,2,0,71,"$GC19"
	EOT
	test_cmp expect out
'

test_expect_success 'CRLF endings and a last line without newline' '
	printf "app one\r\n%s\r\napp two\r\n%s" "$GC19" "$(echo "$GC19" | sed "s/gc 14/gc 15/")" >in &&
	tracestat ingest in >out 2>/dev/null &&
	printf "app one\r\napp two\r\n" >expect &&
	test_cmp expect out &&
	test "$(sql tracestat.db "SELECT group_concat(gc_num, char(32)) FROM gc_cycles")" = "14 15"
'

test_expect_success 'NUL bytes and invalid UTF-8 pass through, valid lines still parse' '
	printf "a\000b\n\377\376 bad utf8\n%s\n\000\n" "$GC19" >in &&
	tracestat ingest in >out 2>/dev/null &&
	printf "a\000b\n\377\376 bad utf8\n\000\n" >expect &&
	cmp expect out &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles")" = 1 &&
	tracestat runs --format json | python3 -c "import json,sys; json.load(sys.stdin)"
'

test_expect_success 'a 3 MiB line passes through whole; the next line parses' '
	python3 -c "import sys; sys.stdout.write(\"x\" * (3 << 20) + \"\n\")" >long &&
	{ cat long; printf "%s\nafter\n" "$GC19"; } >in &&
	tracestat ingest in >out 2>/dev/null &&
	{ cat long; echo after; } >expect &&
	cmp expect out &&
	test "$(sql tracestat.db "SELECT gc_cycles || char(47) || overlong_lines FROM runs")" = "1/1"
'

test_expect_success 'empty input is a run with nothing in it, and exit 7' '
	: | expect_exit 7 tracestat ingest >out 2>err &&
	test ! -s out &&
	grep -q "run 1: 0 gc cycles, 0 scheduler samples" err &&
	grep -q "^tracestat: warning: no gc or SCHED lines: was GODEBUG=gctrace=1 set for the program?$" err &&
	tracestat summary --format csv >out &&
	test "$(sed 1d out | cut -d, -f1,3,9)" = "1,,0"
'

test_expect_success 'random bytes: no crash, every byte passes through' '
	head -c 2000000 /dev/urandom >in &&
	# 7 unless some bytes happened to look like a broken trace line
	{ tracestat ingest in >out 2>err; rc=$?; } &&
	{ [ $rc = 7 ] || { [ $rc = 0 ] && ! grep -q " 0 unrecognised" err; }; } &&
	cmp in out
'

test_expect_success 'a missing input file: exit 3, no run is made' '
	printf "%s\n" "$GC19" >in &&
	tracestat ingest in 2>/dev/null &&
	expect_exit 3 tracestat ingest nosuchfile in 2>err >out &&
	grep -q "cannot open .nosuchfile.: No such file or directory" err &&
	test ! -s out &&
	test "$(sql tracestat.db "SELECT count(*) || char(47) || max(id) FROM runs")" = 1/1
'

test_expect_success 'a store that cannot be written: exit 4, output keeps flowing' '
	mkdir ro && chmod 555 ro &&
	printf "app\n%s\nmore app\n" "$GC19" >in &&
	if [ "$(id -u)" = 0 ]; then db=/proc/version; else db=ro/x.db; fi &&
	expect_exit 4 tracestat --db "$db" ingest in >out 2>err &&
	printf "app\nmore app\n" >expect &&
	test_cmp expect out &&
	test "$(grep -c "error:" err)" = 1 &&
	grep -q "$db" err
'

test_expect_success 'a file that is not a tracestat store is refused' '
	echo "not a database" >x.db &&
	expect_exit 4 tracestat --db x.db runs 2>err &&
	grep -q "x.db" err &&
	python3 -c "import sqlite3; c = sqlite3.connect(\"y.db\"); c.execute(\"create table t(a)\"); c.commit()" &&
	printf "%s\n" "$GC19" >in &&
	expect_exit 4 tracestat --db y.db ingest in >/dev/null 2>err &&
	grep -q "not a tracestat store" err
'

test_expect_success 'reading commands on a missing store: exit 4 with the path' '
	expect_exit 4 tracestat --db none.db summary 2>err &&
	grep -q "none.db" err &&
	test ! -e none.db
'

test_expect_success 'usage errors exit 2 and say what to try' '
	expect_exit 2 tracestat 2>/dev/null &&
	expect_exit 2 tracestat frobnicate 2>err &&
	grep -q "unknown command .frobnicate." err &&
	expect_exit 2 tracestat ingest --bogus 2>err &&
	grep -q "try .tracestat ingest --help." err &&
	expect_exit 2 tracestat summary --format xml 2>/dev/null &&
	expect_exit 2 tracestat ingest --label novalue 2>/dev/null &&
	expect_exit 2 tracestat query 2>/dev/null
'

test_expect_success '--help and --version' '
	tracestat --help | grep -q "^usage: tracestat" &&
	tracestat --version | grep -q "^tracestat [0-9]" &&
	for c in ingest runs summary query; do
		tracestat $c --help | grep -q "^usage: tracestat $c" || exit 1
		tracestat $c -h >/dev/null || exit 1
	done
'

test_expect_success 'a broken grammar is reported as file:line with the offset' '
	mkdir g && cp "$SRCDIR"/grammars/*.grammar g/ &&
	printf "rule bad gc\n\tsignature \"gc \"\n\tpattern gc (?<gc_num>[0-9]+\n" >g/zz-bad.grammar &&
	printf "%s\n" "$GC19" >in &&
	expect_exit 5 tracestat --grammars g ingest in >out 2>err &&
	grep -q "g/zz-bad.grammar:3: rule .bad.: pattern error at offset [0-9]*: missing closing parenthesis" err &&
	printf "%s\n" "$GC19" >expect && test_cmp expect out
'

test_expect_success 'an unknown field in a grammar names file:line' '
	mkdir g && printf "rule x gc\n\tsignature \"gc \"\n\tpattern gc (?<nonesuch>[0-9]+)\n" >g/a.grammar &&
	expect_exit 5 tracestat ingest --grammars g /dev/null 2>err &&
	grep -q "g/a.grammar:1: rule .x.: kind .gc. has no field .nonesuch." err
'

test_expect_success 'TRACESTAT_GRAMMARS and --grammars choose the grammars' '
	mkdir g && cp "$SRCDIR"/grammars/gc.grammar g/ &&
	printf "SCHED 0ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=0 idlethreads=0 runqueue=1 [1 0]\n" >in &&
	TRACESTAT_GRAMMARS=g expect_exit 7 tracestat ingest in >out 2>/dev/null &&
	test -s out &&
	tracestat ingest in >out 2>/dev/null &&
	test ! -s out
'

test_expect_success 'query is read-only' '
	printf "%s\n" "$GC19" | tracestat ingest 2>/dev/null &&
	expect_exit 2 tracestat query "DELETE FROM gc_cycles_rows" 2>err &&
	grep -q "read-only" err &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles")" = 1
'

test_expect_success 'summary --format json has the documented keys' '
	tracestat ingest "$FIX/go1.19.txt" 2>/dev/null &&
	tracestat summary --format json >out &&
	python3 - out <<-EOT
	import json, sys
	rows = json.load(open(sys.argv[1]))
	assert isinstance(rows, list) and len(rows) == 1, rows
	for key in ("run", "segment", "gc_cycles", "forced_cycles", "sched_samples",
	            "repaired_lines", "unrecognised_lines", "first_s", "last_s"):
	    assert key in rows[0], key
	r = rows[0]
	assert (r["run"], r["segment"], r["gc_cycles"]) == (1, 1, 11), r
	# by hand from the fixture: first gc @0.071s, last @0.701s
	assert (r["first_s"], r["last_s"]) == (0.071, 0.701), r
	EOT
'

test_done
