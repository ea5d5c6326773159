#!/bin/sh
# tracestat sched: saturation, backlog, threads, schedtick rates and the
# scheddetail aggregates, against tests/schedref.py (which computes them
# from the raw SCHED lines through tests/refparse.py), the samples' truth
# files (written by the Go programs themselves) and hand arithmetic.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
F=$SRCDIR/tests/fixtures
REF="python3 $SRCDIR/tests/schedref.py"

truth() {
	sed -n "s/^$2=//p" "$S/$1.truth"
}

# pick COLUMNS: keep the named columns (comma separated) of a CSV on stdin.
pick() {
	python3 -c '
import csv, sys
cols = sys.argv[1].split(",")
r = list(csv.DictReader(sys.stdin))
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(cols)
for row in r:
    w.writerow([row[c] for c in cols])
' "$1"
}

# one COLUMN: the value of COLUMN in the single row of a CSV on stdin.
one() {
	pick "$1" | sed 1d
}

SUMMARY_COLS=$($REF summary "$S/steady.log" | head -1)

for name in saturate threads steady detail; do
	test_expect_success "$name: summary figures as the reference computes them" "
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		$REF summary '$S/$name.log' >expect &&
		tracestat sched --format csv | pick '$SUMMARY_COLS' >actual &&
		csv_same expect actual
	"
done

test_expect_success 'saturate: saturated in the window the program reports' '
	tracestat ingest -q "$S/saturate.log" 2>/dev/null &&
	from=$(truth saturate saturated_from_ms) &&
	to=$(truth saturate saturated_to_ms) &&
	test "$from" = 5001 && test "$to" = 25023 &&
	$REF window "$S/saturate.log" "$from" "$to" >expect &&
	tracestat sched --list --format csv >list &&
	python3 -c "
import csv, sys
lo, hi = int(sys.argv[1]), int(sys.argv[2])
rows = [r for r in csv.DictReader(open(\"list\")) if lo <= int(r[\"t_ms\"]) <= hi]
print(\"samples,saturated\")
print(\"%d,%d\" % (len(rows), sum(int(r[\"saturated\"]) for r in rows)))
" "$from" "$to" >actual &&
	csv_same expect actual &&
	python3 -c "
import csv, sys
n, sat = [int(x) for x in list(csv.reader(open(\"actual\")))[1]]
# well above half of the window: the program kept 16 goroutines runnable
assert n >= 30 and sat / n > 0.9, (n, sat)
" &&
	share=$(tracestat sched --format csv | one saturated_share) &&
	python3 -c "
import sys
share = float(sys.argv[1])
# 20 s saturated of a 30 s trace
assert 0.5 < share < 0.8, share
" "$share" &&
	test "$(tracestat sched --format csv | one thread_verdict)" = stable
'

test_expect_success 'threads: growing, min and max as the raw lines say' '
	tracestat ingest -q "$S/threads.log" 2>/dev/null &&
	lo=$(sed -n "s/^SCHED .* threads=\([0-9]*\) .*/\1/p" "$S/threads.log" | sort -n | head -1) &&
	hi=$(sed -n "s/^SCHED .* threads=\([0-9]*\) .*/\1/p" "$S/threads.log" | sort -n | tail -1) &&
	test "$lo" = "$(truth threads threads_proc_start)" &&
	test "$hi" = "$(truth threads threads_proc_end)" &&
	tracestat sched --format csv >out &&
	test "$(one thread_verdict <out)" = "$(truth threads threads_expected)" &&
	test "$(one threads_min <out)" = "$lo" &&
	test "$(one threads_max <out)" = "$hi" &&
	slope=$(one threads_slope_per_min <out) &&
	python3 -c "
import sys
# one blocked read(2) every 200 ms = 300 threads/min during the growth
s = float(sys.argv[1])
assert 200 < s < 400, s
" "$slope"
'

for name in steady leak leaksteps sawtooth warmcache; do
	[ -f "$S/$name.log" ] || continue
	test_expect_success "$name: threads $(truth $name threads_expected)" "
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		test \"\$(tracestat sched --format csv | one thread_verdict)\" = '$(truth $name threads_expected)'
	"
done

test_expect_success 'steady: stable and not saturated' '
	tracestat ingest -q "$S/steady.log" 2>/dev/null &&
	tracestat sched --format csv >out &&
	test "$(one thread_verdict <out)" = stable &&
	test "$(one saturated_samples <out)" = 0 &&
	test "$(one backlog_max_goroutines <out)" -le 1
'

# go1.25.txt: SCHED at 0, 259, 511, 762, 1014 ms with schedticks
# [0 2] ... [13321 67710]: P0 13321 - 0 = 13321, P1 67710 - 2 = 67708
# ticks in 1.014 s: P0 13137.1/s, P1 66773.2/s, total 81029 / 1.014 =
# 79910.3/s.  Interval 259 -> 511 ms: (6501 - 3310) + (33874 - 16009) =
# 3191 + 17865 = 21056 ticks in 0.252 s = 83555.6/s.
test_expect_success 'go1.25: schedtick rates per P and in total' '
	tracestat ingest -q "$F/go1.25.txt" 2>/dev/null &&
	cat >expect <<-EOF &&
	p_idx,schedtick_intervals,schedticks,schedticks_per_s
	0,4,13321,13137.1
	1,4,67708,66773.2
	EOF
	tracestat sched --procs --format csv | pick p_idx,schedtick_intervals,schedticks,schedticks_per_s >actual &&
	csv_same expect actual &&
	test "$(tracestat sched --format csv | one schedticks_per_s)" = 79910.3 &&
	tracestat sched --list --format csv | pick t_ms,schedticks_delta,schedticks_per_s >list &&
	grep -qx "511,21056,83555.6" list &&
	grep -qx "0,," list
'

# go1.26.txt: SCHED at 0, 1003, 2006 ms, schedticks [1 5], [14002 70113],
# [29004 140277]: P0 29003, P1 140272 in 2.006 s: 14458.1/s and
# 69926.2/s, total 169275 / 2.006 = 84384.3/s (84384.346).
test_expect_success 'go1.26: schedtick rates per P and in total' '
	tracestat ingest -q "$F/go1.26.txt" 2>/dev/null &&
	cat >expect <<-EOF &&
	p_idx,schedticks,elapsed_s,schedticks_per_s
	0,29003,2.006,14458.1
	1,140272,2.006,69926.2
	EOF
	tracestat sched --procs --format csv | pick p_idx,schedticks,elapsed_s,schedticks_per_s >actual &&
	csv_same expect actual &&
	test "$(tracestat sched --format csv | one schedticks_per_s)" = 84384.3
'

# A uint32 schedtick wrapping and GOMAXPROCS going from 2 to 3:
#   0 -> 1000 ms: P0 4294967290 -> 10 = 6 + 10 = 16, P1 300 - 100 = 200
#   1000 -> 2000 ms: GOMAXPROCS changed, interval not used
#   2000 -> 3000 ms: P0 100, P1 300, P2 100
# total (216 + 500) ticks / 2 s = 358/s; P0 116 / 2 s = 58/s, P1 500 / 2 s
# = 250/s, P2 100 / 1 s = 100/s.
test_expect_success 'schedtick wrap at 2^32 and a GOMAXPROCS change' '
	h="idlethreads=1 runqueue=0" &&
	cat >wrap.txt <<-EOF &&
	SCHED 0ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=0 needspinning=0 $h [ 0 0 ] schedticks=[ 4294967290 100 ]
	SCHED 1000ms: gomaxprocs=2 idleprocs=1 threads=5 spinningthreads=0 needspinning=0 $h [ 0 0 ] schedticks=[ 10 300 ]
	SCHED 2000ms: gomaxprocs=3 idleprocs=1 threads=5 spinningthreads=0 needspinning=0 $h [ 0 1 0 ] schedticks=[ 110 500 7 ]
	SCHED 3000ms: gomaxprocs=3 idleprocs=0 threads=5 spinningthreads=0 needspinning=0 $h [ 0 0 0 ] schedticks=[ 210 800 107 ]
	EOF
	tracestat ingest -q wrap.txt 2>/dev/null &&
	cat >expect <<-EOF &&
	p_idx,schedtick_intervals,schedticks,schedticks_per_s
	0,2,116,58.0
	1,2,500,250.0
	2,1,100,100.0
	EOF
	tracestat sched --procs --format csv | pick p_idx,schedtick_intervals,schedticks,schedticks_per_s >actual &&
	csv_same expect actual &&
	cat >expect <<-EOF &&
	gomaxprocs,gomaxprocs_changes,gomaxprocs_values,schedticks_per_s,saturated_samples,idle_zero_share
	3,1,"2,3",358.0,0,0.5000
	EOF
	tracestat sched --format csv | pick gomaxprocs,gomaxprocs_changes,gomaxprocs_values,schedticks_per_s,saturated_samples,idle_zero_share >actual &&
	csv_same expect actual
'

test_expect_success 'detail: G states and wait reasons as the reference counts them' '
	tracestat ingest -q "$S/detail.log" 2>/dev/null &&
	$REF detail "$S/detail.log" >expect &&
	tracestat sched --detail --format csv >all &&
	grep -q "^1,1,p_status," all &&
	grep -q "^1,1,m_state," all &&
	grep -E "^(run|1,1,g_status|1,1,wait_reason)," all | pick group,value,count,per_dump_mean,share >actual &&
	csv_same expect actual &&
	$REF goroutines "$S/detail.log" >expect &&
	tracestat sched --format csv >out &&
	pick detailed_samples,detail_goroutines_mean,detail_goroutines_max <out >actual &&
	csv_same expect actual &&
	top=$($REF detail "$S/detail.log" | sed -n "s/^wait_reason,\([^,]*\),.*/\1/p" | head -1) &&
	test -n "$top" &&
	test "$(one detail_top_wait_reason <out)" = "$top"
'

test_expect_success 'detail: Ps by status add up to GOMAXPROCS per dump' '
	tracestat ingest -q "$S/detail.log" 2>/dev/null &&
	n=$(grep -c "^SCHED" "$S/detail.log") &&
	p=$(grep -c "^  P[0-9]*: status=" "$S/detail.log") &&
	test "$p" = $((n * 2)) &&
	test "$(tracestat sched --detail --format csv | awk -F, "\$3 == \"p_status\" { s += \$5 } END { print s }")" = "$p" &&
	test "$(tracestat sched --format csv | one detail_ms_mean)" = "$(python3 -c "print(\"%.2f\" % ($(grep -c "^  M[0-9]*: p=" "$S/detail.log") / $n))")"
'

test_expect_success 'json: the keys of a segment row' '
	tracestat ingest -q "$S/threads.log" 2>/dev/null &&
	tracestat sched --format json >out.json &&
	python3 -c "
import json
r = json.load(open(\"out.json\"))
assert len(r) == 1, r
for k in (\"run\", \"segment\", \"samples\", \"saturated_share\", \"threads_min\",
          \"threads_max\", \"thread_verdict\", \"backlog_p50_goroutines\",
          \"backlog_p99_goroutines\", \"backlog_max_goroutines\",
          \"threads_slope_per_min\", \"idle_procs_mean\", \"schedticks_per_s\"):
    assert k in r[0], k
assert r[0][\"thread_verdict\"] == \"growing\"
assert isinstance(r[0][\"threads_max\"], int)
assert r[0][\"schedticks_per_s\"] is None
"
'

test_expect_success 'a segment without SCHED lines: a row of unknowns' '
	printf "gc 1 @0.011s 2%%: 0.010+0.50+0.003 ms clock, 0.020+0.10/0.20/0+0.006 ms cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n" >gc.txt &&
	tracestat ingest -q gc.txt 2>/dev/null &&
	tracestat sched --format csv | pick samples,saturated_share,thread_verdict,backlog_max_goroutines >actual &&
	printf "samples,saturated_share,thread_verdict,backlog_max_goroutines\n0,,,\n" >expect &&
	test_cmp expect actual &&
	tracestat sched --list --format csv >list &&
	test "$(wc -l <list)" = 1
'

test_expect_success 'usage and store errors' '
	tracestat ingest -q "$S/steady.log" 2>/dev/null &&
	expect_exit 2 tracestat sched --list --procs 2>err &&
	grep -q "cannot be combined" err &&
	grep -q "try .tracestat sched --help." err &&
	expect_exit 2 tracestat sched extra 2>err &&
	expect_exit 4 tracestat sched --segment 9 2>err &&
	grep -q "^tracestat: error: no segment 9" err &&
	expect_exit 4 tracestat --db missing.db sched 2>err &&
	tracestat sched --list --list --format csv >list &&
	test "$(sed 1d list | wc -l)" = "$(grep -c "^SCHED" "$S/steady.log")"
'

test_done
