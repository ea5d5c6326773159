#!/bin/sh
# tracestat leaks on the goroutine stacks (series "stacks", Go 1.18+): the
# real goroutine-leak sample against the StackInuse its program measured,
# the heap and stacks rows of every segment, summary, report and plot.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
EXPECT="python3 $SRCDIR/tests/expect-leaks.py"

truth() {
	sed -n "s/^$2=//p" "$S/$1.truth"
}

# row SERIES KEY [INDEX]: a value of the INDEXth (0) row of SERIES in
# out.json ("None" for null).
row() {
	python3 -c 'import json, sys
rows = [r for r in json.load(open("out.json")) if r["series"] == sys.argv[1]]
print(rows[int(sys.argv[3])][sys.argv[2]])' "$1" "$2" "${3:-0}"
}

# within ACTUAL EXPECTED FRACTION
within() {
	python3 -c 'import sys
a, e, f = map(float, sys.argv[1:])
ok = abs(a - e) <= f * abs(e)
print("%s vs %s (%.2f%%): %s" % (a, e, 100 * abs(a - e) / abs(e), "ok" if ok else "too far"))
sys.exit(0 if ok else 1)' "$@"
}

# The least-squares slope (bytes/s) of the truth's StackInuse samples,
# "seconds:bytes" pairs the program took with runtime.ReadMemStats.
stack_slope() {
	python3 -c 'import sys
p = [tuple(map(float, x.split(":"))) for x in sys.argv[1].split(",")]
x = [a for a, b in p]; y = [b for a, b in p]
mx = sum(x) / len(x); my = sum(y) / len(y)
print(sum((a - mx) * (b - my) for a, b in zip(x, y)) / sum((a - mx) ** 2 for a in x))' \
	"$(truth goleak stack_inuse_list)"
}

# gclines T:LIVE:STACKS ...: a Go 1.19 log; T:LIVE alone: a Go 1.17 one
# (no stacks figure).
gclines() {
	python3 -c 'import sys
for i, a in enumerate(sys.argv[1:]):
    f = a.split(":")
    t, live = float(f[0]), int(f[1])
    head = ("gc %d @%.3fs 1%%: 0.020+1.0+0.010 ms clock, 0.040+0.10/0.50/1.0+0.020 ms cpu, "
            "%d->%d->%d MB, %d MB goal, " % (i + 1, t, live * 2, live * 2, live, live * 2))
    if len(f) > 2:
        print(head + "%s MB stacks, 0 MB globals, 2 P" % f[2])
    else:
        print(head + "2 P")' "$@"
}

test_expect_success 'goleak: the truth is a goroutine leak with nothing on the heap' '
	test "$(truth goleak verdict_expected)" = no-leak &&
	test "$(truth goleak stacks_verdict_expected)" = leak &&
	n=$(truth goleak leaked_goroutines) &&
	python3 -c "import sys; n, s = float(sys.argv[1]), float(sys.argv[2]); assert 90 <= n / s <= 110, n / s" \
		"$n" "$(truth goleak leak_seconds)"
'

test_expect_success 'goleak: a leak in the stacks, slope within 15% of the StackInuse slope of the truth' '
	tracestat ingest -q "$S/goleak.log" 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(row stacks verdict)" = leak &&
	test "$(row stacks reason)" = "steady growth" &&
	within "$(row stacks slope_bytes_per_s)" "$(stack_slope)" 0.15 &&
	within "$(row stacks slope_bytes_per_s)" "$(truth goleak stack_bytes_per_s_design)" 0.15
'

test_expect_success 'goleak: no-leak in the heap' '
	tracestat ingest -q "$S/goleak.log" 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(row heap verdict)" = no-leak
'

test_expect_success 'goleak: both rows as computed independently, --check fails on the stacks alone' '
	tracestat ingest -q "$S/goleak.log" 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	$EXPECT --compare out.json "$S/goleak.log" &&
	expect_exit 1 tracestat leaks --check >out &&
	grep -q "^  1        1  stacks  leak " out &&
	grep -q "^  1        1  heap    no-leak " out
'

test_expect_success 'one row per run, segment and series, heap first; the series column in every format' '
	cat "$S/steady.log" "$S/goleak.log" | tracestat ingest -q --name two 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	python3 -c "import json
r = json.load(open(\"out.json\"))
assert [(x[\"segment\"], x[\"series\"]) for x in r] == [(1, \"heap\"), (1, \"stacks\"), (2, \"heap\"), (2, \"stacks\")], r
assert [x[\"verdict\"] for x in r] == [\"no-leak\", \"no-leak\", \"no-leak\", \"leak\"], r" &&
	tracestat leaks --format csv >out.csv &&
	head -1 out.csv | grep -q "^run,name,segment,series,verdict," &&
	test "$(sed 1d out.csv | cut -d, -f3,4,5 | tr "\n" " ")" = "1,heap,no-leak 1,stacks,no-leak 2,heap,no-leak 2,stacks,leak " &&
	expect_exit 0 tracestat leaks --segment 1 --check >/dev/null &&
	expect_exit 1 tracestat leaks --segment 2 --check >/dev/null
'

test_expect_success 'stacks of 0 MB (steady, leak): no-leak, flat' '
	for name in steady leak; do
		tracestat --db $name.db ingest -q "$S/$name.log" 2>/dev/null || exit 1
		tracestat --db $name.db leaks --format json >out.json || exit 1
		test "$(row stacks verdict)" = no-leak || exit 1
		test "$(row stacks reason)" = "flat or falling" || exit 1
		$EXPECT --compare out.json "$S/$name.log" || exit 1
	done
'

test_expect_success 'stacks flickering between 0 and 1 MiB, or 5 and 6: whole MiB steps are no leak' '
	python3 -c "print(\" \".join(\"%d:20:%d\" % (2 * i, 1 if i % 3 == 0 else 0) for i in range(120)))" >a &&
	gclines $(cat a) >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(row stacks verdict)" = no-leak &&
	$EXPECT --compare out.json t.log &&
	python3 -c "print(\" \".join(\"%d:20:%d\" % (2 * i, 5 + (i > 60 and i % 2)) for i in range(120)))" >a &&
	gclines $(cat a) >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(row stacks verdict)" = no-leak &&
	$EXPECT --compare out.json t.log
'

test_expect_success 'Go 1.17 lines print no stacks: the stacks row is inconclusive, no stacks figures' '
	python3 -c "print(\" \".join(\"%d:%d\" % (2 * i, 20 + i // 10) for i in range(60)))" >a &&
	gclines $(cat a) >t.log &&
	tracestat ingest -q t.log 2>/dev/null &&
	tracestat leaks --format json >out.json &&
	test "$(row heap verdict)" = leak &&
	test "$(row stacks verdict)" = inconclusive &&
	test "$(row stacks reason)" = "no stacks figures" &&
	test "$(row stacks slope_mib_per_min)" = None &&
	tracestat summary >sum &&
	grep -q "^  leak       leak, +[0-9.]* MiB/min, confidence [0-9.]* (steady growth)  -> tracestat leaks$" sum &&
	tracestat summary --format json >sum.json &&
	python3 -c "import json
r = json.load(open(\"sum.json\"))[0]
assert r[\"stacks_leak_verdict\"] == \"inconclusive\" and r[\"stacks_leak_slope_mib_per_min\"] is None, r"
'

test_expect_success 'summary: the leak line gives the stacks verdict; CSV and JSON the stacks columns' '
	tracestat ingest -q "$S/goleak.log" 2>/dev/null &&
	tracestat summary >sum &&
	grep -q "^  leak       no-leak, .*; stacks leak, +[0-9.]* MiB/min, confidence [0-9.]* (steady growth)  -> tracestat leaks$" sum &&
	tracestat summary --format json >sum.json &&
	tracestat leaks --format json >out.json &&
	python3 -c "import json, sys
r = json.load(open(\"sum.json\"))[0]
assert r[\"stacks_leak_verdict\"] == \"leak\", r
assert r[\"leak_verdict\"] == \"no-leak\", r
assert r[\"stacks_leak_slope_mib_per_min\"] == float(sys.argv[1]), r" "$(row stacks slope_mib_per_min)" &&
	tracestat summary --format csv >sum.csv &&
	head -1 sum.csv | grep -q ",stacks_leak_verdict,stacks_leak_slope_mib_per_min,stacks_leak_confidence$"
'

test_expect_success 'report: the stacks verdict in the key figures and under the heap' '
	tracestat ingest -q "$S/goleak.log" 2>/dev/null &&
	expect_exit 6 tracestat report -o r.html --gnuplot true >/dev/null 2>&1 &&
	grep -q "data-figure=\"peak-heap\" data-segment=\"1\"[^>]*>[^<]*</div><div class=\"verdict\"><span class=\"v good\">no-leak</span>" r.html &&
	grep -q "data-figure=\"stacks\" data-segment=\"1\"[^>]*>[^<]*</div><div class=\"verdict\"><span class=\"v bad\">leak</span></div><div class=\"sub\">at the last cycle; leak trend +[0-9.]* MiB/min (steady growth)" r.html &&
	grep -A1 "<th colspan=\"2\">goroutine stacks</th>" r.html | grep -q "<tr><th>verdict</th><td>leak (steady growth)</td></tr>"
'

test_expect_success 'plot heap: the stacks of every cycle and the fitted stacks line' '
	tracestat ingest -q "$S/goleak.log" 2>/dev/null &&
	tracestat plot heap --script -o h.png --gnuplot true >/dev/null &&
	python3 "$SRCDIR/tests/refparse.py" gc "$S/goleak.log" | sed 1d | cut -d, -f21 >want &&
	python3 -c "import sys
rows, inside = [], False
for line in open(\"h.gp\"):
    line = line.strip()
    if line == \"\$gc << EOD\":
        inside = True
    elif inside and line == \"EOD\":
        break
    elif inside and line and not line.startswith(\"#\"):
        rows.append(line.split()[6])
print(\"\n\".join(rows))" >got &&
	test_cmp want got &&
	grep -q "^\$stackfit << EOD$" h.gp &&
	grep -q "title .goroutine stacks." h.gp &&
	grep -q "title .goroutine leak: fitted stacks floor, +[0-9.]* MiB/min." h.gp &&
	tracestat --db s.db ingest -q "$S/steady.log" 2>/dev/null &&
	tracestat --db s.db plot heap --script -o s.png --gnuplot true >/dev/null &&
	! grep -q "stackfit" s.gp
'

test_done
