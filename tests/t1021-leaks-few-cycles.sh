#!/bin/sh
# tracestat leaks on segments with too few cycles for the window floors:
# the cycles method of tracestat-leaks(1) (exact one-sided Mann-Kendall).
# Verdicts from the samples' truth files (written by the Go programs), every
# figure against tests/expect-leaks.py, and every p-value against a brute
# force over all orderings of the values, written here.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
EXPECT="python3 $SRCDIR/tests/expect-leaks.py"
CYCLES="theil-sen+exact mann-kendall on cycles"

truth() {
	sed -n "s/^$2=//p" "$S/$1.truth"
}

# heap KEY [INDEX]: a value of the heap row INDEX (0) of out.json.
heap() {
	python3 -c 'import json, sys
rows = [r for r in json.load(open("out.json")) if r["series"] == "heap"]
print(rows[int(sys.argv[2])][sys.argv[1]])' "$1" "${2:-0}"
}

# brute_p V1 V2 ...: P(S >= s) over every ordering of the values (each
# labelled ordering once, so tied values are weighted as they should be).
brute_p() {
	python3 -c 'import itertools, sys
y = [float(v) for v in sys.argv[1:]]
n = len(y)
def S(v):
    return sum((v[j] > v[i]) - (v[j] < v[i]) for i in range(n) for j in range(i + 1, n))
s = S(y)
perms = list(itertools.permutations(y))
print(repr(sum(S(p) >= s for p in perms) / len(perms)))' "$@"
}

# close A B: |A - B| <= 5e-7 (the JSON has 6 decimals) + 1e-9 relative.
close() {
	python3 -c 'import sys
a, b = float(sys.argv[1]), float(sys.argv[2])
ok = abs(a - b) <= 5e-7 + 1e-9 * abs(b)
print(a, b, "ok" if ok else "differ"); sys.exit(0 if ok else 1)' "$1" "$2"
}

# gclines T:LIVE ...: a Go 1.19 gctrace log, one cycle per argument.
gclines() {
	python3 -c 'import sys
for i, a in enumerate(sys.argv[1:]):
    t, live = a.split(":")
    live = int(live)
    print("gc %d @%.3fs 1%%: 0.020+1.0+0.010 ms clock, 0.040+0.10/0.50/1.0+0.020 ms cpu, "
          "%d->%d->%d MB, %d MB goal, 0 MB stacks, 0 MB globals, 2 P"
          % (i + 1, float(t), live * 2, live * 2, live, live * 2))' "$@"
}

# 1. The real samples: about ten cycles in 30 s.
test_expect_success 'fastleak: 9 cycles (under 12, as the truth says), the live heap doubling at each' '
	n=$(truth fastleak num_gc) &&
	test "$n" -lt 12 &&
	test "$(grep -c "^gc [0-9]* @" "$S/fastleak.log")" = "$n" &&
	python3 -c "import sys
v = [int(p.split(\":\")[1]) for p in sys.argv[1].split(\",\")]
assert len(v) == int(sys.argv[2]), v
assert all(b > a for a, b in zip(v, v[1:])), v
assert v[-1] > 100 * v[0], v" "$(truth fastleak postgc_list)" "$n"
'

test_expect_success 'fastleak: a leak, on the cycles, as fastleak.truth says' '
	test "$(truth fastleak verdict_expected)" = leak &&
	tracestat ingest -q "$S/fastleak.log" 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(heap verdict)" = leak &&
	test "$(heap reason)" = "steady growth" &&
	test "$(heap method)" = "$CYCLES" &&
	$EXPECT --compare out.json "$S/fastleak.log"
'

test_expect_success 'fastleak: the p-value is that of every ordering of the cycles used, counted by brute force' '
	tracestat ingest -q "$S/fastleak.log" 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	used=$(heap cycles_used) &&
	test "$used" -ge 4 &&
	vals=$(python3 "$SRCDIR/tests/refparse.py" gc "$S/fastleak.log" | sed 1d | cut -d, -f19 | tail -n "$used") &&
	close "$(heap p_value)" "$(brute_p $vals)" &&
	close "$(heap p_value)" "$(python3 -c "import math; print(1 / math.factorial($used))")"
'

test_expect_success 'fastleak: --check fails, the summary and the plot show the leak' '
	tracestat ingest -q "$S/fastleak.log" 2>/dev/null &&
	expect_exit 1 tracestat leaks --check >out &&
	tracestat summary >sum &&
	grep -q "^  leak       leak, +[0-9.]* MiB/min, confidence 1.00 (steady growth); stacks no-leak  -> tracestat leaks$" sum &&
	tracestat plot heap --script -o h.png --gnuplot true >/dev/null &&
	grep -q "title .leak: fitted live-heap floor" h.gp
'

for name in fewflat fewsaw; do
	test_expect_success "$name: a run of the same length is no-leak, as $name.truth says" "
		test \"\$(truth $name verdict_expected)\" = no-leak &&
		n=\$(truth $name num_gc) && test \"\$n\" -lt 15 &&
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		tracestat leaks --format json >out.json &&
		test \"\$(heap verdict)\" = no-leak &&
		test \"\$(heap method)\" = '$CYCLES' &&
		$EXPECT --compare out.json '$S/$name.log' &&
		expect_exit 0 tracestat leaks --check >/dev/null
	"
done

test_expect_success 'fewsaw: the live heap goes up and down (the cache is dropped), still no-leak' '
	test "$(truth fewsaw clears_done)" -ge 3 &&
	python3 "$SRCDIR/tests/refparse.py" gc "$S/fewsaw.log" | sed 1d | cut -d, -f19 >live &&
	python3 -c "import sys
v = [int(x) for x in open(\"live\")]
falls = sum(b < a for a, b in zip(v, v[1:]))
assert falls >= 3, v" &&
	tracestat ingest -q "$S/fewsaw.log" 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(heap verdict)" = no-leak &&
	close "$(heap p_value)" "$(brute_p $(tail -n "$(heap cycles_used)" live))"
'

# 2. Small cases by hand (--warmup 0: every cycle is used), each p-value
# against the brute force.
test_expect_success 'by hand: 3 cycles are too few' '
	gclines 1:10 2:40 3:80 >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --warmup 0 --format json >out.json &&
	test "$(heap verdict)" = inconclusive &&
	test "$(heap reason)" = "too few cycles" &&
	test "$(heap slope_mib_per_min)" = None &&
	expect_exit 0 tracestat leaks --warmup 0 --check >/dev/null
'

test_expect_success 'by hand: 4 strictly rising cycles are a leak at p = 1/24' '
	gclines 1:10 2:20 3:40 4:80 >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --warmup 0 --format json >out.json &&
	test "$(heap verdict)" = leak &&
	close "$(heap p_value)" "$(brute_p 10 20 40 80)" &&
	close "$(heap p_value)" 0.041667 &&
	$EXPECT --warmup 0 --compare out.json t.log
'

test_expect_success 'by hand: 4 cycles with a tie cannot reach p 0.05: inconclusive, not no-leak' '
	gclines 1:10 2:40 3:40 4:80 >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --warmup 0 --format json >out.json &&
	test "$(heap verdict)" = inconclusive &&
	test "$(heap reason)" = "too few cycles" &&
	close "$(heap p_value)" "$(brute_p 10 40 40 80)" &&
	$EXPECT --warmup 0 --compare out.json t.log
'

test_expect_success 'by hand: a rise that is not significant is no-leak' '
	gclines 1:30 2:10 3:50 4:20 5:60 6:15 7:45 >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --warmup 0 --format json >out.json &&
	test "$(heap verdict)" = no-leak &&
	test "$(heap reason)" = "no significant trend" &&
	close "$(heap p_value)" "$(brute_p 30 10 50 20 60 15 45)" &&
	$EXPECT --warmup 0 --compare out.json t.log
'

test_expect_success 'by hand: ties in many places, p exact; a rise below --min-rise is no-leak' '
	gclines 1:20 2:20 3:21 4:20 5:21 6:21 7:22 8:22 >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --warmup 0 --format json >out.json &&
	close "$(heap p_value)" "$(brute_p 20 20 21 20 21 21 22 22)" &&
	test "$(heap verdict)" = no-leak &&
	test "$(heap reason)" = "rise below threshold" &&
	$EXPECT --warmup 0 --compare out.json t.log
'

test_expect_success 'by hand: growth that stopped halfway is no-leak' '
	gclines 1:10 2:30 3:50 4:70 5:90 6:91 7:90 8:91 >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --warmup 0 --format json >out.json &&
	test "$(heap verdict)" = no-leak &&
	test "$(heap reason)" = "growth stopped" &&
	close "$(heap p_value)" "$(brute_p 10 30 50 70 90 91 90 91)" &&
	$EXPECT --warmup 0 --compare out.json t.log
'

test_expect_success 'by hand: the automatic warm-up counts cycles: 10% to 25% of them' '
	gclines 0.1:4 0.2:8 0.4:16 0.8:32 1.6:64 3.2:128 6.4:256 12.8:512 25.6:1024 >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(heap cycles_used)" = 7 &&
	test "$(heap window_start_s)" = 0.4 &&
	test "$(heap verdict)" = leak &&
	$EXPECT --compare out.json t.log &&
	tracestat leaks --warmup 5s --format json >out.json &&
	test "$(heap cycles_used)" = 3 &&
	test "$(heap verdict)" = inconclusive &&
	$EXPECT --warmup 5s --compare out.json t.log
'

test_expect_success 'by hand: 17 cycles, too few for 6 windows of 3, flat with noise: no-leak' '
	python3 -c "print(\" \".join(\"%d:%d\" % (i + 1, 20 + (i * 7) % 5) for i in range(17)))" >args &&
	gclines $(cat args) >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(heap method)" = "$CYCLES" &&
	test "$(heap verdict)" = no-leak &&
	$EXPECT --compare out.json t.log
'

# A start-up burst of 70 cycles in 7 s, then an idle service with a cycle
# every 2 minutes: the windows of the floors are nearly all empty, and the
# 67 cycles after the warm-up are beyond the exact range (60), so the
# p-value is the normal one, halved.
test_expect_success 'by hand: cycles bunched in time, beyond the exact range: the normal approximation' '
	python3 -c "
a = [\"%.3f:%d\" % (i / 10, 30 + i % 2) for i in range(70)]
a += [\"%d:%d\" % (120 * k, 30 + k % 2) for k in range(1, 6)]
print(\" \".join(a))" >args &&
	gclines $(cat args) >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(heap method)" = "$CYCLES" &&
	test "$(heap cycles_used)" -gt 60 &&
	test "$(heap verdict)" = no-leak &&
	$EXPECT --compare out.json t.log
'

test_done
