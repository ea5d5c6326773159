#!/bin/sh
# Figures shown by more than one command come from one function each
# (src/analysis/figures.c): GC CPU as summary prints it, as plot gc-cpu draws it and
# as the report's gc-cpu plot draws it, all equal to a computation in
# Python from the raw log (tests/figcheck.py) whose definition is first
# checked against the runtime's own P% field; durations written alike by
# summary, report, pauses and the pauses plot; the leak trend alike in
# leaks, report and summary, and the only heap rate of the report.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
FIG="python3 $SRCDIR/tests/figcheck.py"

# A fake gnuplot that keeps every script it is given, gp.PID (the report
# runs two at once), and draws nothing.
mkdir -p "$TEST_TMP/bin"
cat >"$TEST_TMP/bin/keep-gnuplot" <<'FAKE'
#!/bin/sh
cat >gp.$$
FAKE
chmod +x "$TEST_TMP/bin/keep-gnuplot"
KEEP=$TEST_TMP/bin/keep-gnuplot

# The kept script with the block $NAME in it.
kept() {
	grep -l "^\\\$$1 << EOD\$" gp.* | head -1
}

test_expect_success 'the oracle counts GC CPU as the runtime does: P% of every line, idle marking left out' "
	$FIG anchor '$S/leak.log' &&
	$FIG anchor '$S/logtorn600.log'
"

# leak: idle marking small; goleak: idle marking 3.5 times the GC CPU,
# where counting it or not makes the largest difference.
for name in leak goleak; do
	test_expect_success "$name: GC CPU of summary, plot gc-cpu and report agree with the log" "
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		tracestat summary --format json >summary.json &&
		tracestat plot gc-cpu --gnuplot '$KEEP' >/dev/null &&
		mv gp.* plot.gp &&
		{ tracestat report --gnuplot '$KEEP' -o r.html >/dev/null 2>&1; test \$? = 6; } &&
		$FIG gccpu '$S/$name.log' '$S/$name.truth' summary.json plot.gp \"\$(kept cpu)\" >got &&
		tracestat summary >table &&
		pct=\$(python3 -c 'import json; print(\"%.1f\" % json.load(open(\"summary.json\"))[0][\"gc_cpu_pct\"])') &&
		grep -q \"^  gc cpu     \$pct% of the Ps' time\" table
	"
done

# Go 1.5 lines (a root-scan CPU field) and a cycle whose start wrapped
# around (the go1.9.0 '@18446653480.186s'), GOMAXPROCS changing: the plot
# used to leave the scan out and join cycles 2 and 4 over the gap.
cat >"$TEST_TMP/go15.log" <<'LOG'
gc 1 @0.008s 2%: 0.11+0.28+0.003+1.2+0.29 ms clock, 0.23+0.28+0+0.20/0.61/0.39+0.58 ms cpu, 4->4->3 MB, 4 MB goal, 2 P
gc 2 @0.050s 3%: 0.10+0.50+0.002+2.0+0.30 ms clock, 0.20+0.90+0+0.40/1.5/0.80+0.60 ms cpu, 5->6->3 MB, 6 MB goal, 2 P
gc 3 @18446653480.186s 3%: 0.10+0.50+0.002+2.0+0.30 ms clock, 0.20+0.90+0+0.40/1.5/0.80+0.60 ms cpu, 5->6->3 MB, 6 MB goal, 2 P
gc 4 @0.120s 3%: 0.12+0.40+0.002+1.0+0.20 ms clock, 0.24+0.70+0+0.30/1.1/0.60+0.40 ms cpu, 5->6->3 MB, 6 MB goal, 2 P
gc 5 @0.160s 3%: 0.12+0.40+0.002+1.0+0.20 ms clock, 0.24+0.70+0+0.30/1.1/0.60+0.40 ms cpu, 5->6->3 MB, 6 MB goal, 4 P
gc 6 @0.200s 3%: 0.12+0.40+0.002+1.0+0.20 ms clock, 0.24+0.70+0+0.30/1.1/0.60+0.40 ms cpu, 5->6->3 MB, 6 MB goal, 4 P
LOG

test_expect_success 'go1.5 scan CPU and a wrapped start time: summary and plot still agree with the log' "
	tracestat ingest -q '$TEST_TMP/go15.log' 2>/dev/null &&
	tracestat summary --format json >summary.json &&
	tracestat plot gc-cpu --gnuplot '$KEEP' >/dev/null &&
	mv gp.* plot.gp &&
	$FIG gccpu '$TEST_TMP/go15.log' - summary.json plot.gp >got &&
	test \"\$(python3 '$SRCDIR/tests/plotcheck.py' rows plot.gp cpu)\" = 3
"

test_expect_success 'durations: summary, report, pauses and the pauses plot write them alike' "
	tracestat ingest -q '$S/goleak.log' 2>/dev/null &&
	max=\$($FIG maxpause '$S/goleak.log') &&
	want=\$($FIG duration \$max) &&
	test \"\$want\" = '12.00 ms' &&
	tracestat summary >table &&
	grep -q \"^  pauses     max \$want, p99 \" table &&
	{ tracestat report --gnuplot '$KEEP' -o r.html >/dev/null 2>&1; test \$? = 6; } &&
	grep -q \"data-figure=.pause-max. data-segment=.1. data-value=.[0-9]*.>\$want<\" r.html &&
	rm -f gp.* &&
	tracestat plot pauses --over 1ms --gnuplot '$KEEP' >/dev/null &&
	grep -q \"title 'threshold 1.00 ms (\" gp.* &&
	tracestat pauses --over 1ms >table &&
	grep -q '^over 1.00 ms (sweep or mark termination): ' table &&
	test \"\$($FIG duration 999.4)\" = '999 µs' &&
	test \"\$($FIG duration 999.6)\" = '1.00 ms' &&
	tracestat ingest -q '$S/leak.log' 2>/dev/null &&
	max=\$($FIG maxpause '$S/leak.log') &&
	want=\$($FIG duration \$max | sed 's/µs/us/') &&
	tracestat summary --run 2 >table &&
	grep -q \"^  pauses     max \$want, \" table
"

test_expect_success 'the leak trend: leaks, report and summary give the same MiB/min; no other heap rate in the report' "
	tracestat ingest -q '$S/leak.log' 2>/dev/null &&
	first_last=\$(python3 '$SRCDIR/tests/refparse.py' gc '$S/leak.log' | python3 -c '
import csv, sys
g = [r for r in csv.DictReader(sys.stdin) if r[\"start_ms\"]]
print(\"%s MiB, then %s MiB\" % (g[0][\"heap_live_mib\"], g[-1][\"heap_live_mib\"]))') &&
	{ tracestat report --gnuplot '$KEEP' -o r.html >/dev/null 2>&1; test \$? = 6; } &&
	grep -q \"<th>first and last cycle</th><td>\$first_last (warm-up included)</td>\" r.html &&
	! grep -q \"live heap growth\" r.html &&
	slope=\$(tracestat leaks --format json | python3 -c '
import json, sys
print(\"%+.3f\" % [r for r in json.load(sys.stdin) if r[\"series\"] == \"heap\"][0][\"slope_mib_per_min\"])') &&
	grep -q \"<th>live-heap floor leak trend</th><td>\$slope MiB/min\" r.html &&
	tracestat summary --format json | python3 -c '
import json, sys
print(\"%+.3f\" % json.load(sys.stdin)[0][\"leak_slope_mib_per_min\"])' >summary-slope &&
	test \"\$(cat summary-slope)\" = \"\$slope\"
"

test_done
