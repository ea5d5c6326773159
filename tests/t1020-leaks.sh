#!/bin/sh
# tracestat leaks: verdicts on the real samples as their truth files state
# them (written by the Go programs, not by a parser), slopes against the
# programs' design rates, every figure against tests/expect-leaks.py (the
# method of tracestat-leaks(1) written again in Python on the raw logs
# through tests/refparse.py), and synthetic traces of known shape from
# tests/leaks-gen.py.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
EXPECT="python3 $SRCDIR/tests/expect-leaks.py"
GEN="python3 $SRCDIR/tests/leaks-gen.py"

truth() {
	sed -n "s/^$2=//p" "$S/$1.truth"
}

# json_get FILE INDEX KEY: one value of tracestat's JSON rows of the live
# heap ("None" for null); the stacks rows are tested in t1021-t1023.
json_get() {
	python3 -c 'import json, sys
rows = [r for r in json.load(open(sys.argv[1])) if r["series"] == "heap"]
print(rows[int(sys.argv[2])][sys.argv[3]])' "$@"
}

# within ACTUAL EXPECTED FRACTION: |actual - expected| <= fraction x expected.
within() {
	python3 -c 'import sys
a, e, f = map(float, sys.argv[1:])
ok = abs(a - e) <= f * abs(e)
print("%s vs %s (%.2f%%): %s" % (a, e, 100 * abs(a - e) / abs(e), "ok" if ok else "too far"))
sys.exit(0 if ok else 1)' "$@"
}

# 1. Every sample that states a verdict gets it, and every figure is the
# one the Python method computes from the raw log.
for name in steady leak leaksteps sawtooth warmcache saturate threads forced torn; do
	want=$(truth $name verdict_expected)
	test_expect_success "$name: verdict $want, as $name.truth says" "
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		tracestat leaks --format json >out.json &&
		test \"\$(json_get out.json 0 verdict)\" = '$want' &&
		test \"\$(json_get out.json 0 segment)\" = 1
	"
	# refparse.py reads whole lines only, and torn.log tears 4% of them.
	[ $name = torn ] && continue
	test_expect_success "$name: slope, line, rise, window and p as computed independently" "
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		tracestat leaks --format json --limit 1GiB >out.json &&
		$EXPECT --limit 1024 --compare out.json '$S/$name.log'
	"
done

# periodic.truth says no-leak, but the log has 3 gc lines: 2 at start-up
# and the periodic one (left out), far below 6 windows of 3 cycles.
test_expect_success 'periodic: 2 usable cycles are inconclusive, not a verdict' '
	tracestat ingest -q "$S/periodic.log" 2>/dev/null &&
	test "$(grep -c "^gc " "$S/periodic.log")" = 3 &&
	tracestat leaks --format json >out.json &&
	test "$(json_get out.json 0 verdict)" = inconclusive &&
	test "$(json_get out.json 0 reason)" = "too few cycles" &&
	test "$(json_get out.json 0 cycles_excluded)" = 1 &&
	test "$(json_get out.json 0 confidence)" = 0 &&
	test "$(json_get out.json 0 slope_mib_per_min)" = None
'

test_expect_success 'restart: each of the three processes is no-leak, as restart.truth says' '
	test "$(truth restart verdict_expected)" = no-leak &&
	tracestat ingest -q "$S/restart.log" 2>/dev/null &&
	tracestat leaks --format csv >out.csv &&
	test "$(sed 1d out.csv | grep ",heap," | cut -d, -f3,5 | tr "\n" " ")" = "1,no-leak 2,no-leak 3,no-leak "
'

# 2. The leak rates the programs were built with (and measured).
test_expect_success 'leak: slope within 15% of the designed 2 MiB/s and of the measured post-GC slope' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	slope=$(json_get out.json 0 slope_bytes_per_s) &&
	within "$slope" "$(truth leak leak_bytes_per_s)" 0.15 &&
	within "$slope" "$(truth leak postgc_heap_slope_bytes_per_s)" 0.15 &&
	within "$(json_get out.json 0 slope_mib_per_min)" "$(python3 -c "print($(truth leak leak_bytes_per_s) * 60 / 1048576)")" 0.15
'

test_expect_success 'leaksteps: +12 MiB every 6 s is a leak of about step/period' '
	tracestat ingest -q "$S/leaksteps.log" 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(json_get out.json 0 verdict)" = leak &&
	rate=$(python3 -c "print($(truth leaksteps step_bytes) / $(truth leaksteps step_period_s))") &&
	within "$(json_get out.json 0 slope_bytes_per_s)" "$rate" 0.15
'

test_expect_success 'sawtooth: a least-squares line through every cycle rises, the verdict does not' '
	tracestat ingest -q "$S/sawtooth.log" 2>/dev/null &&
	python3 "$SRCDIR/tests/refparse.py" gc "$S/sawtooth.log" >gc.csv &&
	python3 -c "import csv
r = list(csv.DictReader(open(\"gc.csv\")))
x = [int(c[\"start_ms\"]) / 1000 for c in r]; y = [int(c[\"heap_live_mib\"]) for c in r]
mx = sum(x) / len(x); my = sum(y) / len(y)
b = sum((a - mx) * (c - my) for a, c in zip(x, y)) / sum((a - mx) ** 2 for a in x)
print(b); assert b > 0.05, b" &&
	tracestat leaks --format json >out.json &&
	test "$(json_get out.json 0 verdict)" = no-leak
'

# 3. --limit: from the design rate and the last live heap in the log.
test_expect_success 'leak --limit 1GiB: time to limit from the design rate and the last live heap' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat leaks --limit 1GiB --format json >out.json &&
	test "$(json_get out.json 0 limit_bytes)" = 1073741824 &&
	last=$(python3 "$SRCDIR/tests/refparse.py" gc "$S/leak.log" | tail -1 | cut -d, -f19) &&
	want=$(python3 -c "print((1024 - $last) * 1048576 / $(truth leak leak_bytes_per_s))") &&
	within "$(json_get out.json 0 time_to_limit_s)" "$want" 0.15 &&
	tracestat leaks --limit 1GiB >table &&
	head -1 table | grep -q time_to_limit_s &&
	tracestat leaks >table &&
	! head -1 table | grep -q time_to_limit_s
'

test_expect_success '--limit below the heap, or a heap not growing: no time to limit' '
	tracestat ingest -q --name leak "$S/leak.log" 2>/dev/null &&
	tracestat ingest -q --name steady "$S/steady.log" 2>/dev/null &&
	tracestat leaks --run leak --limit 64MiB --format json >out.json &&
	test "$(json_get out.json 0 time_to_limit_s)" = None &&
	tracestat leaks --run steady --limit 2GiB --format json >out.json &&
	test "$(json_get out.json 0 time_to_limit_s)" = None &&
	test "$(json_get out.json 0 limit_bytes)" = 2147483648
'

# 4. --check for CI.
test_expect_success '--check: exit 1 on a leak, after printing the row' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	expect_exit 1 tracestat leaks --check >out 2>err &&
	grep -q " leak " out &&
	test ! -s err
'

test_expect_success '--check: exit 0 on no-leak and on inconclusive' '
	tracestat ingest -q --name steady "$S/steady.log" 2>/dev/null &&
	tracestat ingest -q --name idle "$S/periodic.log" 2>/dev/null &&
	expect_exit 0 tracestat leaks --run steady --check >out &&
	grep -q no-leak out &&
	expect_exit 0 tracestat leaks --run idle --check >out &&
	grep -q inconclusive out
'

# 5. Restarts: one line per process.
test_expect_success 'steady then leak in one stream: segment 1 no-leak, segment 2 leak, each as its own log' '
	cat "$S/steady.log" "$S/leak.log" | tracestat ingest -q 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(json_get out.json 0 verdict)" = no-leak &&
	test "$(json_get out.json 1 verdict)" = leak &&
	$EXPECT --compare out.json "$S/steady.log" "$S/leak.log" &&
	expect_exit 0 tracestat leaks --segment 1 --check >/dev/null &&
	expect_exit 1 tracestat leaks --segment 2 --check >/dev/null &&
	expect_exit 1 tracestat leaks --check >/dev/null
'

# 6. Forced cycles are left out.
test_expect_success 'forced: every (forced) and periodic cycle is left out' '
	tracestat ingest -q "$S/forced.log" 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	forced=$(grep -c "^gc .*(forced)$" "$S/forced.log") &&
	periodic=$(grep -c "^GC forced$" "$S/forced.log" || :) &&
	test "$(json_get out.json 0 cycles_excluded)" = $((forced + periodic)) &&
	test "$(json_get out.json 0 verdict)" = no-leak
'

# 7. Options.
test_expect_success '--warmup 30s and 20%: the window starts there' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	first=$(python3 "$SRCDIR/tests/refparse.py" gc "$S/leak.log" | sed -n 2p | cut -d, -f2) &&
	last=$(python3 "$SRCDIR/tests/refparse.py" gc "$S/leak.log" | tail -1 | cut -d, -f2) &&
	tracestat leaks --warmup 30s --format json >out.json &&
	within "$(json_get out.json 0 window_start_s)" "$(python3 -c "print($first / 1000 + 30)")" 0.0001 &&
	$EXPECT --warmup 30s --compare out.json "$S/leak.log" &&
	tracestat leaks --warmup 20% --format json >out.json &&
	within "$(json_get out.json 0 window_start_s)" "$(python3 -c "print(($first + 0.2 * ($last - $first)) / 1000)")" 0.0001 &&
	$EXPECT --warmup 20% --compare out.json "$S/leak.log" &&
	tracestat leaks --warmup 0 --format json >out.json &&
	$EXPECT --warmup 0 --compare out.json "$S/leak.log"
'

test_expect_success 'bad option values are usage errors' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	for args in "--warmup 5x" "--warmup 100%" "--warmup -3s" "--limit lots" "--limit 0MiB" "--min-rise 0" "--min-rise 4" "extra"; do
		expect_exit 2 tracestat leaks $args >out 2>err || exit 1
		grep -q "^tracestat: error: " err || exit 1
		grep -q "^try .tracestat leaks --help.$" err || exit 1
		test ! -s out || exit 1
	done
'

test_expect_success 'JSON: the documented keys, numbers as numbers, confidence in 0..1' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat leaks --limit 1GiB --format json >out.json &&
	python3 -c "import json
r = json.load(open(\"out.json\"))[0]
for k in (\"run\", \"segment\", \"verdict\", \"slope_mib_per_min\", \"slope_bytes_per_s\",
          \"confidence\", \"rise_mib\", \"window_start_s\", \"window_end_s\", \"limit_bytes\",
          \"time_to_limit_s\", \"windows\", \"cycles_used\", \"method\", \"intercept_mib\"):
    assert k in r, k
for k in (\"slope_mib_per_min\", \"confidence\", \"rise_mib\", \"time_to_limit_s\"):
    assert isinstance(r[k], (int, float)), k
assert 0.95 <= r[\"confidence\"] <= 1, r
assert abs(r[\"slope_mib_per_min\"] * 1048576 / 60 - r[\"slope_bytes_per_s\"]) < 10, r
assert abs(r[\"intercept_mib\"] + r[\"slope_mib_per_min\"] / 60 * r[\"window_end_s\"] - r[\"floor_end_mib\"]) < 0.01, r
"
'

# 8. Synthetic traces (tests/leaks-gen.py): shapes a real run may have
# that the samples do not, each checked against the Python method too.
synthetic() {
	$GEN "$@" >trace.log &&
	tracestat ingest -q trace.log 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	$EXPECT --compare out.json trace.log
}

test_expect_success 'synthetic: a flat 30 MiB heap with up to 3 MiB of noise is no-leak' '
	synthetic --minutes 30 --base 30 --noise 3 &&
	test "$(json_get out.json 0 verdict)" = no-leak
'

test_expect_success 'synthetic: a perfect 1 MiB/min ramp over 30 min is a leak of 1.0 MiB/min' '
	synthetic --minutes 30 --base 30 --slope-per-min 1 &&
	test "$(json_get out.json 0 verdict)" = leak &&
	within "$(json_get out.json 0 slope_mib_per_min)" 1.0 0.02
'

test_expect_success 'synthetic: 24 hours, 0.1 MiB/min under a 60 MiB sawtooth on 500 MiB, is a leak of 0.1' '
	synthetic --minutes 1440 --every 10 --base 500 --slope-per-min 0.1 --saw-amp 60 --saw-period 600 --noise 2 &&
	test "$(json_get out.json 0 verdict)" = leak &&
	within "$(json_get out.json 0 slope_mib_per_min)" 0.1 0.05
'

test_expect_success 'synthetic: the same 24 hours without the leak is no-leak' '
	synthetic --minutes 1440 --every 10 --base 500 --saw-amp 60 --saw-period 600 --noise 2 &&
	test "$(json_get out.json 0 verdict)" = no-leak
'

test_expect_success 'synthetic: forced cycles at 10 MiB under a flat 40 MiB heap do not bend the line' '
	$GEN --base 40 --forced-low 10 --forced-until 1000 >trace.log &&
	n=$(grep -c "(forced)$" trace.log) &&
	tracestat ingest -q trace.log 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(json_get out.json 0 cycles_excluded)" = "$n" &&
	test "$(json_get out.json 0 verdict)" = no-leak &&
	test "$(json_get out.json 0 slope_mib_per_min)" = 0 &&
	sed "s/ (forced)$//" trace.log >unmarked.log &&
	tracestat ingest -q unmarked.log 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	python3 -c "import sys; assert float(sys.argv[1]) > 0.5" "$(json_get out.json 0 slope_mib_per_min)"
'

test_expect_success 'synthetic: 3 MiB over 30 min is below the 4 MiB threshold, a leak with --min-rise 2MiB' '
	synthetic --minutes 30 --base 30 --slope-per-min 0.1 &&
	test "$(json_get out.json 0 verdict)" = no-leak &&
	test "$(json_get out.json 0 reason)" = "rise below threshold" &&
	tracestat leaks --min-rise 2MiB --format json >out.json &&
	$EXPECT --min-rise 2 --compare out.json trace.log &&
	test "$(json_get out.json 0 verdict)" = leak
'

test_expect_success 'synthetic: a cache filling for 60% of the run, then full, is no-leak (growth stopped)' '
	synthetic --minutes 30 --base 30 --warm 30 --warm-s 1100 &&
	test "$(json_get out.json 0 verdict)" = no-leak &&
	test "$(json_get out.json 0 reason)" = "growth stopped"
'

# Too few cycles for the floors: the cycles method (t1021 tests it further).
test_expect_success 'synthetic: 12 flat cycles in a minute are no-leak, on the cycles themselves' '
	synthetic --minutes 1 --every 5 &&
	test "$(json_get out.json 0 verdict)" = no-leak &&
	test "$(json_get out.json 0 method)" = "theil-sen+exact mann-kendall on cycles"
'

test_done
