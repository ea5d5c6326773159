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
	for k in ("gc_cpu_pct", "max_pause_us", "p99_pause_us", "cycles_over",
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
	assert r["max_pause_us"] == max(max(a, b) for a, b in zip(sw, mk)), r
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

test_expect_success 'two ingests at once into one store: their rows interleave, each run reads as alone' '
	tracestat --db a.db ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat --db b.db ingest -q "$S/steady.log" 2>/dev/null &&
	mkfifo p1 p2 || exit 1
	tracestat --db ab.db ingest -q --name leak <p1 2>/dev/null &
	i1=$!
	tracestat --db ab.db ingest -q --name steady <p2 2>/dev/null &
	i2=$!
	python3 - "$S/leak.log" "$S/steady.log" <<-\EOT
	import sys, time
	a = open(sys.argv[1]).readlines()
	b = open(sys.argv[2]).readlines()
	with open("p1", "w") as p, open("p2", "w") as q:
	    for i in range(max(len(a), len(b))):
	        if i < len(a):
	            p.write(a[i]); p.flush()
	        if i < len(b):
	            q.write(b[i]); q.flush()
	        if i % 50 == 0:
	            time.sleep(0.3)
	EOT
	wait $i1 && wait $i2 &&
	sqlite3 ab.db "SELECT tbl, group_concat(first_id || \"-\" || last_id) FROM run_ranges WHERE tbl = \"gc_cycles\" GROUP BY tbl" >ranges &&
	cat ranges &&
	for n in leak steady; do
		db=a.db; [ $n = leak ] || db=b.db
		tracestat --db $db pauses --format json | sed "s/\"run\": [0-9]*,//; s/\"name\": [^,]*,//" >alone.$n &&
		tracestat --db ab.db pauses --run $n --format json | sed "s/\"run\": [0-9]*,//; s/\"name\": [^,]*,//" >both.$n &&
		test_cmp alone.$n both.$n || exit 1
		tracestat --db $db leaks --format csv | cut -d, -f3- >alone.$n &&
		tracestat --db ab.db leaks --run $n --format csv | cut -d, -f3- >both.$n &&
		test_cmp alone.$n both.$n || exit 1
	done
'

test_expect_success 'a store of schema 3 upgraded: its runs are found where they are' '
	cp "$SRCDIR/tests/stores/v3.db" s.db &&
	tracestat --db s.db ingest -q "$S/threads.log" 2>/dev/null &&
	test "$(sqlite3 s.db "SELECT count(*) FROM run_ranges WHERE run_id = 1 AND tbl = \"gc_cycles\"")" = 1 &&
	for r in 1:steady 4:threads; do
		tracestat --db s.db pauses --run ${r%:*} --format json |
		python3 -c "import json,sys; o=json.load(sys.stdin); o=o[0] if isinstance(o, list) else o; o.update(run=1, name=None); json.dump([o], sys.stdout)" >out.json &&
		python3 "$SRCDIR/tests/expect-pauses.py" "$S/${r#*:}.log" out.json || exit 1
	done &&
	tracestat --db s.db fleet --format csv --sort run | cut -d, -f1,3,8 >got &&
	printf "run,name,gc_cycles\n4,,49\n3,v3-go1.13,13\n2,v3-detail,22\n1,v3-steady,257\n" >want &&
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
