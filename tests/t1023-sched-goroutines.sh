#!/bin/sh
# tracestat sched --goroutines: the goroutines of every scheddetail dump,
# counted again here from the raw G lines, and the goroutine-leak sample
# against the NumGoroutine its program sampled.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples

truth() {
	sed -n "s/^$2=//p" "$S/$1.truth"
}

# dumps LOG: "t_ms goroutines runnable running syscall waiting" for every
# SCHED header followed by G lines (scheddetail), counted with a regex:
# status without the scan bit (0x1000), dead (6) left out.
dumps() {
	python3 -c 'import re, sys
out, cur = [], None
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"SCHED (\d+)ms: ", line)
    if m:
        cur = [int(m.group(1)), 0, 0, 0, 0, 0, False]
        out.append(cur)
        continue
    if line.startswith("  P") or line.startswith("  M"):
        if cur is not None:
            cur[6] = True
        continue
    m = re.match(r"  G\d+: status=(\d+)", line)
    if m and cur is not None:
        cur[6] = True
        st = int(m.group(1)) & ~0x1000
        if st != 6:
            cur[1] += 1
        if 1 <= st <= 4:
            cur[1 + st] += 1
for d in out:
    if d[6]:
        print(" ".join(str(v) for v in d[:6]))' "$1"
}

test_expect_success 'detail: one row per dump, every count as the G lines say' '
	tracestat ingest -q "$S/detail.log" 2>/dev/null &&
	tracestat sched --goroutines --format csv >out.csv &&
	head -1 out.csv | grep -qx "run,segment,t_ms,goroutines,runnable,running,syscall,waiting" &&
	sed 1d out.csv | cut -d, -f3- | tr , " " >got &&
	dumps "$S/detail.log" >want &&
	test -s want &&
	test_cmp want got
'

test_expect_success 'goleak: the goroutines of each dump, and about 1000 more every 10 s' '
	tracestat ingest -q "$S/goleak.log" 2>/dev/null &&
	tracestat sched --goroutines --format csv >out.csv &&
	sed 1d out.csv | cut -d, -f3- | tr , " " >got &&
	dumps "$S/goleak.log" >want &&
	test "$(wc -l <want)" = 7 &&
	test_cmp want got &&
	python3 -c "import sys
rows = [list(map(int, l.split())) for l in open(\"got\")]
truth = [tuple(map(float, p.split(\":\"))) for p in sys.argv[1].split(\",\")]
for t_ms, n, *rest in rows:
    # NumGoroutine sampled by the program at the nearest time (every 500 ms,
    # so up to 250 ms, 25 goroutines, apart), plus the runtime system
    # goroutines the dump lists and NumGoroutine does not count (< 10).
    near = min(truth, key=lambda p: abs(p[0] * 1000 - t_ms))
    assert abs(n - near[1]) <= 40, (t_ms, n, near)
" "$(truth goleak num_goroutine_list)"
'

test_expect_success 'goleak: the trend of the goroutines, per minute, as the truth rate' '
	tracestat ingest -q "$S/goleak.log" 2>/dev/null &&
	tracestat sched --format json >out.json &&
	python3 -c "import json, sys
r = json.load(open(\"out.json\"))[0]
want = float(sys.argv[1]) * 60
got = r[\"detail_goroutines_slope_per_min\"]
assert abs(got - want) <= 0.05 * want, (got, want)
assert r[\"detail_goroutines_trend_p\"] < 0.01, r
assert r[\"detail_goroutines_max\"] >= int(sys.argv[2]), r" \
	"$(truth goleak leak_goroutines_per_s)" "$(truth goleak leaked_goroutines)"
'

test_expect_success 'no dumps: no rows, and the trend columns empty' '
	tracestat ingest -q "$S/steady.log" 2>/dev/null &&
	tracestat sched --goroutines --format csv >out.csv &&
	test "$(wc -l <out.csv)" = 1 &&
	tracestat sched --format json >out.json &&
	python3 -c "import json
r = json.load(open(\"out.json\"))[0]
assert r[\"detail_goroutines_slope_per_min\"] is None and r[\"detail_goroutines_trend_p\"] is None, r"
'

test_expect_success '--goroutines with another view is a usage error' '
	tracestat ingest -q "$S/detail.log" 2>/dev/null &&
	for v in --list --procs --detail; do
		expect_exit 2 tracestat sched --goroutines $v >out 2>err || exit 1
		grep -q "^tracestat: error: .*cannot be combined" err || exit 1
		test ! -s out || exit 1
	done
'

test_done
