#!/bin/sh
# fleet: one row per run of a store holding several hosts' runs, built
# from the real samples (a leaking heap, leaking goroutines, long pauses,
# saturation, a clean run, too few cycles), every figure, the verdicts
# and the order checked against tests/expect-fleet.py (the independent
# references of the other tests, and the criteria and order written again
# from tracestat-fleet(1)) and the truth files, in table, CSV and JSON.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
EXPECT="python3 $SRCDIR/tests/expect-fleet.py"
DB=$TEST_TMP/fleet.db
# host:name:sample, in the order they are ingested (run 1, 2, ...).
RUNS="web-1:leak:leak web-2:pausy:detail web-3:clean:threads b-1:goleak:goleak b-2:sat:saturate b-3:few:periodic"
ARGS=
for r in $RUNS; do
	host=${r%%:*}
	rest=${r#*:}
	name=${rest%%:*}
	log=${rest#*:}
	case $host in web-*) env=prod ;; *) env=batch ;; esac
	"$TRACESTAT" --db "$DB" ingest -q --name "$name" --label "host=$host" \
	    --label "env=$env" "$S/$log.log" 2>/dev/null
	ARGS="$ARGS $host:$name:$S/$log.log"
done

# csv_to_json CSV: fleet's CSV as its JSON (empty cells null, numbers).
csv_to_json() {
	python3 -c '
import csv, json, sys
out = []
for r in csv.DictReader(open(sys.argv[1])):
    row = {}
    for k, v in r.items():
        if v == "":
            row[k] = None
        else:
            try:
                row[k] = int(v)
            except ValueError:
                try:
                    row[k] = float(v)
                except ValueError:
                    row[k] = v
    out.append(row)
json.dump(out, sys.stdout)
' "$1"
}

test_expect_success 'json: every figure, verdict and the order against the references' '
	tracestat --db "$DB" fleet --format json >out.json &&
	$EXPECT --compare out.json $ARGS
'

test_expect_success 'csv: the same rows, the same order' '
	tracestat --db "$DB" fleet --format csv >out.csv &&
	head -1 out.csv >header &&
	echo "run,host,name,status,started_at,segments,duration_s,gc_cycles,gc_cpu_pct,max_pause_us,p99_pause_us,cycles_over,heap_leak,heap_slope_mib_per_min,stacks_leak,stacks_slope_mib_per_min,saturated_pct,trouble" >want &&
	test_cmp want header &&
	csv_to_json out.csv >out.json &&
	$EXPECT --compare out.json $ARGS
'

test_expect_success 'table: the same runs in the same order, with what is in trouble' '
	tracestat --db "$DB" fleet >out &&
	$EXPECT $ARGS | python3 -c "
import json, sys
for r in json.load(sys.stdin):
    print(r[\"run\"], r[\"host\"], r[\"name\"], r[\"trouble\"] or \"-\")
" >want &&
	sed 1d out | awk "{ print \$1, \$2, \$3, \$NF }" >got &&
	test_cmp want got &&
	head -1 out | grep -q "^run  *host  *name  *status  *started_at"
'

test_expect_success 'the verdicts agree with the truth files the programs wrote' '
	tracestat --db "$DB" fleet --format json >out.json &&
	for r in $RUNS; do
		name=${r#*:}; log=${name#*:}; name=${name%%:*}
		python3 - "$S/$log.truth" "$name" <<-\EOT || exit 1
		import json, sys
		truth = dict(l.strip().split("=", 1) for l in open(sys.argv[1])
		             if "=" in l and not l.startswith("#"))
		row = [r for r in json.load(open("out.json")) if r["name"] == sys.argv[2]][0]
		want = truth.get("verdict_expected")
		# Too few cycles to judge (periodic: 3) is no disagreement.
		if want and row["heap_leak"] not in (want, "inconclusive"):
		    sys.exit("%s: heap %s, truth %s" % (sys.argv[2], row["heap_leak"], want))
		stacks = truth.get("stacks_verdict_expected", "no-leak")
		if row["heap_leak"] != "inconclusive" and row["stacks_leak"] != stacks:
		    sys.exit("%s: stacks %s, truth %s" % (sys.argv[2], row["stacks_leak"], stacks))
		sat = truth.get("saturated_expected")
		trouble = (row["trouble"] or "").split(",")
		if sat and (sat == "yes") != ("saturated" in trouble):
		    sys.exit("%s: saturated %s, truth %s" % (sys.argv[2], trouble, sat))
		EOT
	done
'

test_expect_success 'the leaking, the pausing and the saturated runs first, the clean one last but the one with too few cycles' '
	tracestat --db "$DB" fleet --format csv | cut -d, -f3 | sed 1d | tr "\n" " " >got &&
	printf "leak goleak sat pausy clean few " >want &&
	test_cmp want got
'

test_expect_success '--over, --max-gc-cpu, --max-saturated move the criteria' '
	tracestat --db "$DB" fleet --format json --over 1ms --max-gc-cpu 0.1 --max-saturated 60 >out.json &&
	$EXPECT --over 1000 --max-gc-cpu 0.1 --max-saturated 60 --compare out.json $ARGS &&
	tracestat --db "$DB" fleet --format json --over 250us --max-saturated 100 >out.json &&
	$EXPECT --over 250 --max-saturated 100 --compare out.json $ARGS
'

test_expect_success '--check: exit 1 when a run is in trouble, 0 when none is' '
	expect_exit 1 tracestat --db "$DB" fleet --check >out 2>err &&
	test "$(sed 1d out | wc -l)" = 6 &&
	grep -q "^tracestat: error: 4 of 6 runs in trouble$" err &&
	tracestat --db "$DB" fleet --check --label host=web-3 >out 2>err &&
	test_cmp /dev/null err &&
	expect_exit 1 tracestat --db "$DB" fleet --check --label host=b-2 --format json >out 2>err &&
	grep -q "in trouble" err &&
	tracestat --db "$DB" fleet --check --label host=b-2 --max-saturated 90 --over 10ms >out 2>err
'

test_expect_success '--label: every label given must match' '
	tracestat --db "$DB" fleet --label env=prod --format csv | cut -d, -f2 | sed 1d | sort | tr "\n" " " >got &&
	printf "web-1 web-2 web-3 " >want &&
	test_cmp want got &&
	tracestat --db "$DB" fleet --label env=prod -l host=web-2 --format csv | cut -d, -f3 | sed 1d >got &&
	echo pausy >want &&
	test_cmp want got &&
	expect_exit 7 tracestat --db "$DB" fleet --label env=prod --label host=b-1 >out 2>err &&
	test_cmp /dev/null out &&
	grep -q "^tracestat: error: no run in .*fleet.db. matches --label and --since$" err &&
	expect_exit 2 tracestat --db "$DB" fleet --label env 2>err &&
	grep -q "a label is KEY=VALUE, not .env." err
'

test_expect_success '--since: runs started, ended or running within DUR of now' '
	cp "$DB" s.db &&
	python3 -c "
import sqlite3, datetime
c = sqlite3.connect(\"s.db\")
old = datetime.datetime.utcnow() - datetime.timedelta(hours=50)
t = old.strftime(\"%Y-%m-%dT%H:%M:%S.000Z\")
c.execute(\"UPDATE runs SET started_at = ?, ended_at = ? WHERE id IN (1, 2)\", (t, t))
# run 3 started long ago and ended an hour ago
c.execute(\"UPDATE runs SET started_at = ?, ended_at = ? WHERE id = 3\", (t,
    (datetime.datetime.utcnow() - datetime.timedelta(hours=1)).strftime(\"%Y-%m-%dT%H:%M:%S.000Z\")))
c.commit()
" &&
	tracestat --db s.db fleet --since 24h --format csv | cut -d, -f1 | sed 1d | sort -n | tr "\n" " " >got &&
	printf "3 4 5 6 " >want &&
	test_cmp want got &&
	tracestat --db s.db fleet --since 30min --format csv | cut -d, -f1 | sed 1d | sort -n | tr "\n" " " >got &&
	printf "4 5 6 " >want &&
	test_cmp want got &&
	tracestat --db s.db fleet --since 51h --format csv | sed 1d | wc -l >got &&
	echo 6 >want &&
	test_cmp want got &&
	expect_exit 7 tracestat --db s.db fleet --since 24h --label host=web-1 2>err &&
	grep -q "matches --label and --since" err
'

# sorted_by KEY COLUMN: fleet --sort KEY gives COLUMN in the order Python
# sorts it (numbers largest first, text in byte order, unknown last, ties
# worst first as the default order gives them).
sorted_by() {
	tracestat --db "$DB" fleet --format json >worst.json &&
	tracestat --db "$DB" fleet --format json --sort "$1" >sorted.json &&
	python3 - "$2" <<-\EOT
	import json, sys
	col = sys.argv[1]
	worst = json.load(open("worst.json"))
	got = [r["run"] for r in json.load(open("sorted.json"))]
	def key(r):
	    v = r[col]
	    if v is None:
	        return (1, 0)
	    if isinstance(v, str):
	        return (0, v) if col != "started_at" else (0, [-ord(c) for c in v])
	    return (0, -v)
	want = [r["run"] for r in sorted(worst, key=key)]
	if got != want:
	    sys.exit("--sort by %s: %s, want %s" % (col, got, want))
	EOT
}

test_expect_success '--sort: each key orders by its column, ties worst first' '
	sorted_by run run &&
	sorted_by host host &&
	sorted_by name name &&
	sorted_by started started_at &&
	sorted_by duration duration_s &&
	sorted_by cycles gc_cycles &&
	sorted_by gc-cpu gc_cpu_pct &&
	sorted_by max-pause max_pause_us &&
	sorted_by p99-pause p99_pause_us &&
	sorted_by over cycles_over &&
	sorted_by heap-slope heap_slope_mib_per_min &&
	sorted_by stacks-slope stacks_slope_mib_per_min &&
	sorted_by saturated saturated_pct &&
	tracestat --db "$DB" fleet --sort worst --format json >a.json &&
	tracestat --db "$DB" fleet --format json >b.json &&
	cmp a.json b.json
'

test_done
