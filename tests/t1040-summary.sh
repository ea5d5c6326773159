#!/bin/sh
# summary: the health report per run and segment, its figures checked
# against an independent computation from the raw logs (refparse.py).
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples

# expect LOG: the summary figures computed in Python from the raw log.
expect() {
	python3 - "$1" "$SRCDIR/tests/refparse.py" <<-'EOT'
	import csv, io, subprocess, sys
	log, ref = sys.argv[1], sys.argv[2]
	def rows(kind):
	    out = subprocess.run(["python3", ref, kind, log], capture_output=True, text=True).stdout
	    return list(csv.DictReader(io.StringIO(out)))
	gc = rows("gc")
	num = lambda r, k: int(r[k]) if r[k] != "" else None
	# GC CPU: cycle n's CPU over (start(n+1) - start(n)) x GOMAXPROCS(n)
	busy = idle = avail = 0.0
	for a, b in zip(gc, gc[1:]):
	    dt = num(b, "start_ms") - num(a, "start_ms")
	    if dt <= 0:
	        continue
	    busy += sum(num(a, k) or 0 for k in ("stw_sweepterm_cpu_us", "assist_cpu_us", "bg_mark_cpu_us", "stw_markterm_cpu_us"))
	    idle += num(a, "idle_mark_cpu_us") or 0
	    avail += dt * 1000.0 * num(a, "gomaxprocs")
	# a cycle's pause: the longer of its two stop-the-world phases
	stw = [max(num(r, "stw_sweepterm_wall_us"), num(r, "stw_markterm_wall_us")) for r in gc]
	over = sum(1 for r in gc if num(r, "stw_sweepterm_wall_us") > 100 or num(r, "stw_markterm_wall_us") > 100)
	span = (num(gc[-1], "start_ms") - num(gc[0], "start_ms")) / 1000.0
	sched = rows("sched")
	threads = [num(r, "threads") for r in sched]
	print("gc_cycles=%d" % len(gc))
	print("cycles_per_s=%.3f" % ((len(gc) - 1) / span))
	print("gc_cpu_pct=%.2f" % (busy / avail * 100))
	print("gc_idle_cpu_pct=%.2f" % (idle / avail * 100))
	print("max_pause_us=%d" % max(stw))
	print("cycles_over_100us=%d" % over)
	print("peak_live_mib=%d" % max(num(r, "heap_live_mib") for r in gc))
	print("live_growth_mib=%d" % (num(gc[-1], "heap_live_mib") - num(gc[0], "heap_live_mib")))
	print("threads_min=%d" % min(threads))
	print("threads_max=%d" % max(threads))
	EOT
}

# actual: the same keys from summary --format json.
actual() {
	tracestat summary --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)[0]
for k in ("gc_cycles", "cycles_per_s", "gc_cpu_pct", "gc_idle_cpu_pct", "max_pause_us",
          "cycles_over_100us", "peak_live_mib", "live_growth_mib", "threads_min", "threads_max"):
    v = r[k]
    print("%s=%s" % (k, ("%.3f" % v) if k == "cycles_per_s" else ("%.2f" % v) if k.endswith("cpu_pct") else v))
'
}

for name in steady leak saturate threads; do
	test_expect_success "$name: the summary figures as computed from the raw log" "
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		expect '$S/$name.log' >expect &&
		actual >out &&
		test_cmp expect out
	"
done

test_expect_success 'the verdicts of the health report agree with the truth files' '
	for name in steady leak leaksteps sawtooth warmcache threads; do
		tracestat --db $name.db ingest -q "$S/$name.log" 2>/dev/null || exit 1
		v=$(tracestat --db $name.db summary --format json | python3 -c "import json,sys; r=json.load(sys.stdin)[0]; print(r[\"leak_verdict\"], r[\"thread_verdict\"])")
		want="$(sed -n "s/^verdict_expected=//p" "$S/$name.truth") $(sed -n "s/^threads_expected=//p" "$S/$name.truth")"
		[ "$v" = "$want" ] || { echo "$name: $v, truth $want"; exit 1; }
	done
'

test_expect_success 'summary agrees with pauses, heap, leaks and sched' '
	for name in leak torn restart; do
		tracestat --db $name.db ingest -q "$S/$name.log" 2>/dev/null || exit 1
		for c in summary pauses heap leaks sched; do
			tracestat --db $name.db $c --format json >$name.$c.json || exit 1
		done
		python3 - $name <<-EOT || exit 1
		import json, sys
		n = sys.argv[1]
		load = lambda c: {(r["run"], r["segment"]): r for r in json.load(open("%s.%s.json" % (n, c)))}
		s, p, h, c = (load(x) for x in ("summary", "pauses", "heap", "sched"))
		leaks = json.load(open("%s.leaks.json" % n))
		l = {(r["run"], r["segment"]): r for r in leaks if r["series"] == "heap"}
		ls = {(r["run"], r["segment"]): r for r in leaks if r["series"] == "stacks"}
		for k, r in s.items():
		    # summary gives the p99 to 0.1 us, pauses to 0.001 us
		    assert abs(r["p99_pause_us"] - p[k]["p99_pause_us"]) <= 0.05 + 1e-9, (n, k, r["p99_pause_us"], p[k]["p99_pause_us"])
		    pairs = [("max_pause_us", p[k]["max_pause_us"]),
		             ("cycles_over_100us", p[k]["cycles_over"]), ("peak_live_mib", h[k]["peak_live_mib"]),
		             ("live_growth_mib", h[k]["growth_mib"]), ("leak_verdict", l[k]["verdict"]),
		             ("threads_max", c[k]["threads_max"]), ("thread_verdict", c[k]["thread_verdict"]),
		             ("stacks_leak_verdict", ls[k]["verdict"]),
		             ("stacks_leak_slope_mib_per_min", ls[k]["slope_mib_per_min"])]
		    for key, want in pairs:
		        assert r[key] == want, (n, k, key, r[key], want)
		EOT
	done
'

test_expect_success 'the table is a report pointing to the commands with the details' '
	tracestat ingest -q -n web "$S/leak.log" 2>/dev/null &&
	tracestat summary >out &&
	head -1 out | grep -q "^run 1 (web), segment 1, go1.18-1.19, 60.2 s, 189 gc cycles" &&
	grep -q "^  pauses .*-> tracestat pauses$" out &&
	grep -q "^  heap .*-> tracestat heap$" out &&
	grep -q "^  leak       leak, +1[12][0-9].[0-9][0-9] MiB/min.*-> tracestat leaks$" out &&
	grep -q "^  scheduler .*-> tracestat sched$" out &&
	test "$(wc -l <out)" -le 8
'

test_expect_success 'one row per segment; a run without trace lines says so' '
	cat "$S/steady.log" "$S/leak.log" | tracestat ingest -q 2>/dev/null &&
	tracestat summary --format csv >out &&
	test "$(sed 1d out | cut -d, -f3 | tr "\n" " ")" = "1 2 " &&
	: | expect_exit 7 tracestat ingest 2>/dev/null &&
	tracestat summary >out &&
	grep -q "^run 2: no trace lines (complete)$" out &&
	expect_exit 4 tracestat summary --run 1 --segment 3 2>err &&
	grep -q "no segment 3" err
'

# Two SCHED samples are too few for a thread trend: the line says so,
# and JSON gives null (never a "(null)" from printf).
test_expect_success 'a segment with two scheduler samples: no thread trend, said in words' '
	A="gomaxprocs=2 idleprocs=1" &&
	B="spinningthreads=0 needspinning=0 idlethreads=1 runqueue=0 [0 0]" &&
	printf "SCHED 0ms: $A threads=4 $B\nSCHED 1000ms: $A threads=5 $B\n" >two.log &&
	tracestat --db two.db ingest -q two.log 2>/dev/null &&
	tracestat --db two.db summary >out &&
	grep -q "threads 4-5 (too few samples for a trend)  -> tracestat sched" out &&
	! grep -q "(null)" out &&
	tracestat --db two.db summary --format json >out.json &&
	python3 -c "import json,sys; r=json.load(open(sys.argv[1]))[0]; sys.exit(not (r[\"thread_verdict\"] is None and r[\"threads_min\"] == 4 and r[\"threads_max\"] == 5))" out.json
'

test_done
