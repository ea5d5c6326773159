#!/bin/sh
# fleet on the stores a fleet really has: none, runs with no gc cycle or
# no trace line at all, a run of several processes, a run still being
# written, many runs in one file, and damaged or forged stores.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples

test_expect_success 'no run: exit 7 in every format, nothing on standard output' '
	sed -n 1,2p "$S/threads.log" | tracestat ingest -q 2>/dev/null &&
	sqlite3 tracestat.db "DELETE FROM run_labels; DELETE FROM segments; DELETE FROM runs" &&
	for f in table csv json; do
		expect_exit 7 tracestat fleet --format $f >out 2>err &&
		test_cmp /dev/null out &&
		grep -q "^tracestat: error: no run in .tracestat.db.$" err || exit 1
	done &&
	expect_exit 7 tracestat fleet --check 2>/dev/null &&
	expect_exit 4 tracestat --db absent.db fleet 2>err &&
	test ! -e absent.db
'

test_expect_success 'a run with scheduler samples but no gc cycle, and one with no trace line' '
	grep "^SCHED" "$S/saturate.log" | tracestat ingest -q --name schedonly 2>/dev/null &&
	printf "no trace here\n" | expect_exit 7 tracestat ingest -q --name empty 2>/dev/null &&
	tracestat fleet --format json >out.json &&
	grep "^SCHED" "$S/saturate.log" >sched.log &&
	python3 "$SRCDIR/tests/schedref.py" summary sched.log >ref.csv &&
	python3 - <<-\EOT
	import csv, json
	rows = {r["name"]: r for r in json.load(open("out.json"))}
	s, e = rows["schedonly"], rows["empty"]
	share = float(list(csv.DictReader(open("ref.csv")))[0]["saturated_share"])
	assert s["gc_cycles"] == 0 and s["segments"] == 1, s
	for k in ("gc_cpu_pct", "max_stw_us", "p99_stw_us", "cycles_over",
	          "heap_slope_mib_per_min", "stacks_slope_mib_per_min"):
	    assert s[k] is None, (k, s)
	assert abs(s["saturated_pct"] - share * 100) < 0.006, s
	assert s["trouble"] == ("saturated" if share > 0.5 else None), s
	assert e["gc_cycles"] == 0 and e["segments"] == 0, e
	for k, v in e.items():
	    if k not in ("run", "host", "name", "status", "started_at", "segments", "gc_cycles"):
	        assert v is None, (k, e)
	# worst first: the saturated run before the one with nothing
	assert [r["name"] for r in json.load(open("out.json"))] == ["schedonly", "empty"]
	EOT
	tracestat fleet >out &&
	grep -q "empty .* - *$" out
'

test_expect_success 'a run of three processes: one row, cycles and pauses over of all of them, the worst pause' '
	tracestat ingest -q "$S/restart.log" 2>/dev/null &&
	tracestat fleet --format json >out.json &&
	python3 "$SRCDIR/tests/refparse.py" gc "$S/restart.log" >gc.csv &&
	python3 - <<-\EOT
	import csv, json
	r = json.load(open("out.json"))[0]
	gc = list(csv.DictReader(open("gc.csv")))
	sw = [int(c["stw_sweepterm_wall_us"]) for c in gc]
	mk = [int(c["stw_markterm_wall_us"]) for c in gc]
	assert r["segments"] == 3, r
	assert r["gc_cycles"] == len(gc), (r, len(gc))
	assert r["max_stw_us"] == max(a + b for a, b in zip(sw, mk)), r
	assert r["cycles_over"] == sum(1 for a, b in zip(sw, mk) if a > 100 or b > 100), r
	EOT
	# the truth file: three processes and their gc counts
	test "$(sed -n "s/^processes=//p" "$S/restart.truth")" = 3 &&
	n=$(sed -n "s/^proc[0-9]*_num_gc=//p" "$S/restart.truth" | python3 -c "import sys; print(sum(int(l) for l in sys.stdin))") &&
	python3 -c "import json,sys; sys.exit(json.load(open(\"out.json\"))[0][\"gc_cycles\"] != $n)"
'

test_expect_success 'a run still being written is shown running, with what it holds so far' '
	mkfifo pipe || exit 1
	( cat "$S/leak.log"; sleep 20 ) >pipe &
	writer=$!
	tracestat ingest -q --name live <pipe >/dev/null 2>&1 &
	pid=$!
	wait_for "[ \"\$(sql tracestat.db \"SELECT count(*) FROM gc_cycles\" 2>/dev/null)\" = 189 ]" &&
	tracestat fleet --format csv >out.csv &&
	tracestat fleet --since 1min --format csv >since.csv
	rc=$?
	kill -TERM $pid
	wait $pid
	kill $writer 2>/dev/null
	test $rc = 0 &&
	python3 -c "
import csv
r = list(csv.DictReader(open(\"out.csv\")))[0]
assert r[\"status\"] == \"running\" and r[\"gc_cycles\"] == \"189\" and r[\"heap_leak\"] == \"leak\", r
assert list(csv.DictReader(open(\"since.csv\")))[0][\"status\"] == \"running\"
" &&
	tracestat fleet --format csv | grep -q ",live,complete," ||
	tracestat fleet --format csv | grep -q ",live,interrupted,"
'

test_expect_success 'many runs in one file: one row each, each the same as alone' '
	tracestat --db one.db ingest -q "$S/fewflat.log" 2>/dev/null &&
	tracestat --db one.db fleet --format csv | cut -d, -f6- >alone &&
	i=0 &&
	while [ $i -lt 80 ]; do
		tracestat --db many.db ingest -q --label "host=h$i" "$S/fewflat.log" 2>/dev/null || exit 1
		i=$((i + 1))
	done &&
	tracestat --db many.db fleet --format csv >all.csv &&
	test "$(sed 1d all.csv | wc -l)" = 80 &&
	test "$(cut -d, -f2 all.csv | sed 1d | sort -u | wc -l)" = 80 &&
	cut -d, -f6- all.csv | sed 1d | sort -u >rows &&
	sed 1d alone >want &&
	test_cmp want rows &&
	tracestat --db many.db fleet --label host=h42 --format csv | cut -d, -f1 | sed 1d >got &&
	echo 43 >want &&
	test_cmp want got
'

test_expect_success 'damaged and forged stores: no crash, in every format' '
	tracestat --db base.db ingest -q --label host=a "$S/leak.log" "$S/restart.log" 2>/dev/null &&
	tracestat --db base.db ingest -q --label host=b "$S/goleak.log" 2>/dev/null &&
	for mode in value:text value:null value:max value:neginf keys:null keys:max random:1 random:7; do
		python3 "$SRCDIR/tests/forge.py" base.db f.db $mode || exit 1
		for f in table csv json; do
			for o in "" "--check" "--sort started" "--since 1h --label host=a"; do
				tracestat --db f.db fleet --format $f $o >out 2>err
				rc=$?
				if [ $rc -ge 9 ] || grep -q "Sanitizer\|runtime error:" err; then
					echo "$mode $f $o: exit $rc"; cat err; exit 1
				fi
				[ $f != json ] || [ $rc != 0 ] || python3 -c "import json,sys; json.load(open(\"out\"))" || exit 1
			done
		done
	done &&
	printf "not a store" >junk.db &&
	expect_exit 4 tracestat --db junk.db fleet 2>err &&
	grep -q "not a tracestat store" err
'

test_done
