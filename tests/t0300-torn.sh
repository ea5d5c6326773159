#!/bin/sh
# Torn trace lines: application text written between the ~40 write(2)
# calls of one runtime line.  The pieces are joined, the foreign text is
# passed through, the repairs are counted.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

test_expect_success 'a gc line torn four times (as observed with go1.19)' '
	cat >in <<-\EOT &&
	gc 1 @0.009s 18%: 2.1+0.15+0.017 ms clock, 4.3+0.057/0.081/0APPLINE the quick brown fox
	+0.034APPLINE the quick brown fox
	 ms cpu, APPLINE the quick brown fox
	3APPLINE the quick brown fox
	->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P
	EOT
	tracestat ingest in >out 2>err &&
	printf "APPLINE the quick brown fox\n%.0s" 1 2 3 4 >expect &&
	test_cmp expect out &&
	grep -q "1 gc cycles, 0 scheduler samples, 1 repaired, 0 unrecognised" err &&
	tracestat query --format csv "SELECT gc_num, start_ms, stw_sweepterm_wall_us, mark_wall_us, stw_markterm_wall_us, stw_sweepterm_cpu_us, assist_cpu_us, bg_mark_cpu_us, idle_mark_cpu_us, stw_markterm_cpu_us, heap_start_mib, heap_end_mib, heap_live_mib, repaired, line_no FROM gc_cycles" >out &&
	# by hand: 2.1 ms = 2100 us, 0.15 = 150, 0.017 = 17, 4.3 = 4300,
	# 0.057 = 57, 0.081 = 81, 0 = 0, 0.034 = 34; heap 3->4->0
	printf "%s\n" "gc_num,start_ms,stw_sweepterm_wall_us,mark_wall_us,stw_markterm_wall_us,stw_sweepterm_cpu_us,assist_cpu_us,bg_mark_cpu_us,idle_mark_cpu_us,stw_markterm_cpu_us,heap_start_mib,heap_end_mib,heap_live_mib,repaired,line_no" "1,9,2100,150,17,4300,57,81,0,34,3,4,0,1,1" >expect &&
	test_cmp expect out
'

test_expect_success 'the issue example: an application line after "gc "' '
	cat >in <<-\EOT &&
	gc 5 @0.600s 0%: 0.069+0.55+0.017 ms clock, 0.13+0.10/0.41/0.89+0.034 ms cpu, 3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P
	gc 2026/11/21 18:50:00 worker=4 GET /api 200
	6 @0.665s 0%: 0.069+0.55+0.017 ms clock, 0.13+0.10/0.41/0.89+0.034 ms cpu, 3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P
	EOT
	tracestat ingest in >out 2>err &&
	echo "2026/11/21 18:50:00 worker=4 GET /api 200" >expect &&
	test_cmp expect out &&
	test "$(sql tracestat.db "SELECT group_concat(gc_num || char(58) || start_ms || char(58) || repaired, char(32)) FROM gc_cycles")" = "5:600:0 6:665:1" &&
	test "$(sql tracestat.db "SELECT count(DISTINCT segment) FROM gc_cycles")" = 1
'

test_expect_success 'a line that only looks like a start passes through unchanged' '
	printf "gc collector started\nhello\ngc: 10 workers\nSCHED meeting at 10\n" >in &&
	expect_exit 7 tracestat ingest in >out 2>err &&
	test_cmp in out &&
	grep -q "0 gc cycles, 0 scheduler samples, 0 repaired, 0 unrecognised" err
'

test_expect_success 'application text glued after a whole line, its newline later' '
	printf "%s\n\n%s\n" "gc 7 @0.700s 0%: 0.069+0.55+0.017 ms clock, 0.13+0.10/0.41/0.89+0.034 ms cpu, 3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 PAPPLINE glued" "after" >in &&
	tracestat ingest in >out 2>err &&
	printf "APPLINE glued\nafter\n" >expect &&
	test_cmp expect out &&
	test "$(sql tracestat.db "SELECT gomaxprocs || char(47) || repaired FROM gc_cycles")" = "2/1"
'

test_expect_success 'a gc line printed inside a SCHED line (not under one print lock)' '
	printf "%s\n%s\n" "SCHED 100ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=0 idlethreads=0 runqueue=1gc 8 @0.800s 0%: 0.069+0.55+0.017 ms clock, 0.13+0.10/0.41/0.89+0.034 ms cpu, 3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P" " [1 3]" >in &&
	tracestat ingest in >out 2>err &&
	test ! -s out &&
	test "$(sql tracestat.db "SELECT t_ms || char(47) || global_runq || char(47) || local_runq_total || char(47) || repaired FROM sched_samples")" = "100/1/4/1" &&
	test "$(sql tracestat.db "SELECT gc_num FROM gc_cycles")" = 8
'

test_expect_success 'a trace line after application text without a newline' '
	printf "%s\n" "progress: 50% gc 9 @0.900s 0%: 0.069+0.55+0.017 ms clock, 0.13+0.10/0.41/0.89+0.034 ms cpu, 3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P" >in &&
	tracestat ingest in >out 2>/dev/null &&
	echo "progress: 50% " >expect &&
	test_cmp expect out &&
	test "$(sql tracestat.db "SELECT gc_num FROM gc_cycles")" = 9
'

test_expect_success 'two whole application lines between two pieces' '
	printf "%s\n%s\n%s\n" "gc 3 @0.300s 1%: 0.069+0.55+0.017 ms clock, 0.13+0.10/0.41/0.89+0.034 ms cpu, 3->3->0 MB, 4 MBfirst app line" "second app line" " goal, 0 MB stacks, 0 MB globals, 2 P" >in &&
	tracestat ingest in >out 2>/dev/null &&
	printf "first app line\nsecond app line\n" >expect &&
	test_cmp expect out &&
	test "$(sql tracestat.db "SELECT heap_goal_mib FROM gc_cycles")" = 4
'

test_expect_success 'foreign text that begins like the literal after a value: "@0.772" + "shutdown"' '
	# The runtime writes "s " in one write(2): the s of "shutdown" is
	# the application'"'"'s, though the grammar could read "@0.772s".
	g1="gc 35 @0.760s 0%: 0.063+0.14+0.001 ms clock, 0.12+0/0.10/0.005+0.002 ms cpu, 4->4->0 MB, 6 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)" &&
	rest="0.14+0.001 ms clock, 0.12+0/0.10/0.005+0.002 ms cpu, 4->4->0 MB, 6 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)" &&
	for glue in "0.063+" ""; do
		printf "%s\ngc 36 @0.772shutdown: step 7 of 20\ns 0%%: %sstdout: step 7 of 20\n%s%s\nshutdown: step 8 of 20\n" \
		    "$g1" "$glue" "$( [ -z "$glue" ] && echo 0.063+)" "$rest" >in.log &&
		rm -f tracestat.db &&
		tracestat ingest in.log >out 2>err &&
		printf "shutdown: step 7 of 20\nstdout: step 7 of 20\nshutdown: step 8 of 20\n" >expect &&
		test_cmp expect out &&
		test "$(sql tracestat.db "SELECT group_concat(gc_num || char(58) || start_ms || char(58) || stw_sweepterm_wall_us || char(58) || repaired, char(32)) FROM gc_cycles")" = "35:760:63:0 36:772:63:1" || return 1
	done
'

test_expect_success 'a torn line whose end never comes is kept as broken' '
	printf "%s\n%s\n" "gc 3 @0.300s 1%: 0.069+0.55+0.017 ms clock, 0.13+0.10/0.41/0.89+0.034 ms cpu, 3->3->0 MB, 4 MBapp" "the end" >in &&
	tracestat ingest in >out 2>err &&
	test_cmp in out &&
	grep -q "0 gc cycles, 0 scheduler samples, 0 repaired, 1 unrecognised" err &&
	test "$(sql tracestat.db "SELECT line_no FROM broken_lines")" = 1
'

test_expect_success 'held lines are released after --hold ms on a quiet pipe' '
	mkfifo pipe || exit 1
	( printf "gc collector started\n"; sleep 3; printf "bye\n" ) >pipe &
	tracestat ingest --hold 50 <pipe >out 2>/dev/null &
	pid=$!
	sleep 1.5
	echo "gc collector started" >expect
	test_cmp expect out || exit 1
	expect_exit 7 wait $pid || exit 1
	printf "gc collector started\nbye\n" >expect
	test_cmp expect out
'

# Real logs torn the way the runtime tears them (tests/tear.py: application
# lines land where a number meets text, with whole lines in between); the
# clean log, read by the independent reference parser, is the truth.
for spec in steady.log:1:30 leak.log:2:60 saturate.log:3:100 detail.log:4:50 threads.log:7:70; do
	log=${spec%%:*}; rest=${spec#*:}; seed=${rest%%:*}; pct=${rest#*:}
	test_expect_success "$log with $pct% of its trace lines torn (seed $seed): exact" "
		python3 '$SRCDIR/tests/tear.py' '$SRCDIR/samples/$log' $seed $pct torn.log apps text &&
		tracestat ingest torn.log >out 2>err &&
		test_cmp apps out &&
		python3 '$SRCDIR/tests/refparse.py' gc '$SRCDIR/samples/$log' >expect &&
		cols=\$(head -1 expect) &&
		tracestat query --format csv \"SELECT \$cols FROM gc_cycles ORDER BY id\" >actual &&
		csv_same expect actual &&
		python3 '$SRCDIR/tests/refparse.py' sched '$SRCDIR/samples/$log' >expect &&
		cols=\$(head -1 expect) &&
		tracestat query --format csv \"SELECT \$cols FROM sched_samples ORDER BY id\" >actual &&
		csv_same expect actual &&
		grep -q ' 0 unrecognised' err
	"
done

# Application lines that start with digits other than a time stamp
# (access logs) glued to a number cannot always be told apart from it:
# tracestat uses the shapes of recent application lines and the
# plausibility of the values (tracestat-ingest(1), LIMITS).  Bound what is
# lost or misread.  (Lines that begin with a time stamp are never taken for
# trace text: t0310 tears with them alone and allows no loss.)
for spec in steady.log:1:30 leak.log:2:60 sawtooth.log:5:40; do
	log=${spec%%:*}; rest=${spec#*:}; seed=${rest%%:*}; pct=${rest#*:}
	test_expect_success "$log with $pct% torn by time-stamped lines: <= 2% lost, <= 3% misread" "
		python3 '$SRCDIR/tests/tear.py' '$SRCDIR/samples/$log' $seed $pct torn.log apps digits &&
		tracestat ingest -q torn.log 2>/dev/null &&
		python3 '$SRCDIR/tests/refparse.py' gc '$SRCDIR/samples/$log' >expect &&
		cols=\$(head -1 expect) &&
		tracestat query --format csv \"SELECT \$cols FROM gc_cycles ORDER BY id\" >actual &&
		python3 - expect actual <<-EOT
		import csv, sys
		exp = {r[0]: r for r in list(csv.reader(open(sys.argv[1])))[1:]}
		act = {r[0]: r for r in list(csv.reader(open(sys.argv[2])))[1:]}
		lost = len(set(exp) - set(act))
		wrong = sum(1 for k in act if k in exp and act[k] != exp[k]) + len(set(act) - set(exp))
		print('cycles', len(exp), 'lost', lost, 'misread', wrong)
		sys.exit(lost > 0.02 * len(exp) or wrong > 0.03 * len(exp))
		EOT
	"
done

# The sample recorded from a real Go program (samples/gen/torn): two
# goroutines write whole application lines to stderr while the runtime
# prints gc and SCHED lines.  The program counted what it wrote and the
# runtime counted its cycles (samples/torn.truth).
truth() {
	sed -n "s/^$1=//p" "$SRCDIR/samples/torn.truth"
}
if [ -f "$SRCDIR/samples/torn.log" ]; then
	test_expect_success 'real torn sample: every gc cycle, every application line' '
		tracestat ingest "$SRCDIR/samples/torn.log" >out 2>err &&
		test "$(sql tracestat.db "SELECT gc_cycles FROM runs")" = "$(truth num_gc)" &&
		test "$(grep -c "^APPLINE" out)" = "$(truth app_lines)" &&
		test "$(grep -c APPLINE out)" = "$(truth app_lines)" &&
		test "$(sql tracestat.db "SELECT repaired_lines > 0 FROM runs")" = 1 &&
		test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles WHERE gc_num <> id")" = 0
	'
else
	test_skip 'real torn sample' 'samples/torn.log not generated'
fi

# A gc line's text after its time and CPU share, and each cycle's
# "gc_num:forced" in a store.
G="0%%: 0.062+5.5+0.19 ms clock, 0.12+0.042/0.14/0+0.39 ms cpu, 3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P"
forced_list() {
	sql "$1" "SELECT group_concat(gc_num || ':' || forced, ' ') FROM gc_cycles"
}

# file_and_pipe FORCED: ./in ingested from the file and through a pipe
# (pipe.db) writes ./expect and stores FORCED (forced_list) both ways.
file_and_pipe() {
	tracestat ingest in >out 2>err &&
	test_cmp expect out &&
	test "$(forced_list tracestat.db)" = "$1" &&
	grep -q " 0 unrecognised" err &&
	cat in | tracestat ingest --db pipe.db >out2 2>err2 &&
	test_cmp expect out2 &&
	test "$(forced_list pipe.db)" = "$1"
}

# The runtime writes " (forced)" and the newline of a gc line in writes of
# their own, so application text can come between the line and its suffix:
# after a newline of its own (cycle 2), after several lines (3), glued
# without one (4), not at all (5: the owed newline alone), or with more
# text glued after the suffix (6).  Each cycle keeps its suffix, and only
# the application's text comes out.
test_expect_success "' (forced)' after the application text glued to its gc line" '
	{
		printf "gc 1 @0.100s $G\n"
		printf "gc 2 @0.200s ${G}app one\n (forced)\n"
		printf "gc 3 @0.300s ${G}2026/11/27 10:00:00.000001 app two\n2026/11/27 10:00:00.000002 app three\n (forced)\n"
		printf "gc 4 @0.400s ${G}app four (forced)\n"
		printf "gc 5 @0.500s ${G}app five\n\n"
		printf "gc 6 @0.600s ${G}app six\n (forced)app seven\n\n"
		printf "gc 7 @0.700s ${G}app eight\ngc 8 @0.800s $G (forced)\n"
	} >in &&
	printf "%s\n" "app one" "2026/11/27 10:00:00.000001 app two" \
		"2026/11/27 10:00:00.000002 app three" "app four" "app five" \
		"app six" "app seven" "app eight" >expect &&
	file_and_pipe "1:0 2:1 3:1 4:1 5:0 6:1 7:0 8:1" &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles WHERE raw LIKE \"% P (forced)\"")" = 5 &&
	test "$(sql tracestat.db "SELECT count(*) FROM segments")" = 1
'

# The runtime's thread can be descheduled between "2 P" and " (forced)"
# while the application's threads log thousands of lines (as the
# sanitizer-slowed live test in t0310 once showed, with 44): the suffix,
# and the rest of a torn line, are taken after as many whole lines as
# tracestat-ingest(1) allows (4096), from a file and from a pipe.
test_expect_success "' (forced)' and the rest of a torn line after thousands of application lines" '
	apps() { i=0; while [ $i -lt $1 ]; do echo "APPLINE $2 $i"; i=$((i + 1)); done; } &&
	{
		printf "gc 1 @0.100s ${G}app one\n"
		apps 17 a
		printf " (forced)\n"
		printf "gc 2 @0.200s ${G}app two\n"
		apps 1000 b
		printf " (forced)\n"
		printf "gc 3 @0.300s ${G}app three\n"
		apps 4000 c
		printf " (forced)\n"
		printf "gc 4 @0.400s 0%%: 0.062+5.5+0.19 ms clock, 0.12+0.042/0.14/app four\n"
		apps 4000 d
		printf "0+0.39 ms cpu, 3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n"
		printf "gc 5 @0.500s ${G}app five\n"
		apps 3000 e
		printf "\n"
		printf "gc 6 @0.600s ${G}\n"
	} >in &&
	{
		echo "app one"; apps 17 a; echo "app two"; apps 1000 b
		echo "app three"; apps 4000 c; echo "app four"; apps 4000 d
		echo "app five"; apps 3000 e
	} >expect &&
	file_and_pipe "1:1 2:1 3:1 4:0 5:0 6:0" &&
	printf "gc 4 @0.400s $G\n" >expect4 &&
	sql tracestat.db "SELECT raw FROM gc_cycles WHERE gc_num = 4" | sed "s/^\"//; s/\"\$//" >actual4 &&
	test_cmp expect4 actual4
'

# From a pipe the gc line is recorded once its suffix comes, however long
# after --hold: nothing of the output waits for it (the application's line
# is out at once); it waits 10 --hold times at most (here 2 s).
test_expect_success "' (forced)' 0.5 s late on a pipe, the application's text out at once" '
	mkfifo pipe || exit 1
	(
		printf "gc 1 @0.100s ${G}app one\napp two\n"
		sleep 0.5
		cp out early
		printf " (forced)\ngc 2 @0.200s ${G}app three\n"
		sleep 3
		printf " (forced)\n"
	) >pipe &
	tracestat ingest --hold 200 <pipe >out 2>err || exit 1
	wait
	printf "app one\napp two\n" >expect &&
	test_cmp expect early &&
	printf "app one\napp two\napp three\n (forced)\n" >expect &&
	test_cmp expect out &&
	test "$(forced_list tracestat.db)" = "1:1 2:0"
'

test_done
