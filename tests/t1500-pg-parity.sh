#!/bin/sh
# The PostgreSQL engine gives what the SQLite engine gives (issue 11):
# every sample ingested into a SQLite file and into a PostgreSQL database,
# then every command's output compared byte for byte, in each format it
# offers, and every table and view read back through query (the raw
# lines rebuilt by the views included).  Times of day (when a run was
# ingested) and the store's own name are the only things masked.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
pg_need

S=$SRCDIR/samples

# mask: the ingest's clock and the store's name differ between the two.
mask() {
	sed -e 's/20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:.]*Z/TIME/g' \
	    -e "s#$PGURI#STORE#g" -e "s#$LITE#STORE#g"
}

# both ARGS...: run tracestat ARGS on each store; the same exit code,
# stdout and stderr, masked.
both() {
	set +e
	"$TRACESTAT" --db "$LITE" "$@" >lite.out 2>lite.err
	lrc=$?
	"$TRACESTAT" --db "$PGURI" "$@" >pg.out 2>pg.err
	prc=$?
	set -e
	mask <lite.out >lite.m && mask <pg.out >pg.m &&
	mask <lite.err >lite.e && mask <pg.err >pg.e || return 1
	if [ "$lrc" != "$prc" ] || ! cmp -s lite.m pg.m || ! cmp -s lite.e pg.e; then
		echo "differs: tracestat $* (exit $lrc and $prc)"
		diff -u lite.m pg.m | head -20
		diff -u lite.e pg.e | head -10
		return 1
	fi
	cat lite.out >>all.out
}

PGURI=$(pg_new_db) || exit 1
LITE=$TEST_TMP/lite.db

test_expect_success 'every sample ingests alike into both engines' '
	for f in "$S"/*.log; do
		"$TRACESTAT" --db "$LITE" ingest -q --name "$(basename "$f" .log)" "$f" 2>lite.err &&
		"$TRACESTAT" --db "$PGURI" ingest -q --name "$(basename "$f" .log)" "$f" 2>pg.err &&
		test_cmp lite.err pg.err || exit 1
	done &&
	both runs && both runs --format csv && both runs --format json
'

runs=$(ls "$S"/*.log | wc -l)

test_expect_success 'the analyses, every option and format, run by run' '
	: >all.out &&
	i=1 &&
	while [ $i -le '"$runs"' ]; do
		for fmt in table csv json; do
			both summary --run $i --format $fmt &&
			both pauses --run $i --format $fmt &&
			both pauses --run $i --list --over 50us --format $fmt &&
			both pauses --run $i --phase mark --top 3 --format $fmt &&
			both heap --run $i --format $fmt &&
			both heap --run $i --by-bucket --buckets 7 --format $fmt &&
			both leaks --run $i --format $fmt &&
			both leaks --run $i --warmup 20% --min-rise 1MiB --format $fmt &&
			both sched --run $i --format $fmt &&
			both sched --run $i --list --format $fmt &&
			both sched --run $i --procs --format $fmt &&
			both sched --run $i --detail --format $fmt &&
			both sched --run $i --goroutines --format $fmt || exit 1
		done
		both leaks --run $i --check || exit 1
		i=$((i + 1))
	done &&
	both summary --run all &&
	both pauses --run all --format csv &&
	both summary --run leak --segment 1 &&
	both pauses --run nosuchrun &&
	both heap --run 999 &&
	test -s all.out
'

test_expect_success 'every table and view through query, in every format' '
	for t in runs run_labels run_inputs segments broken_lines rules rule_pieces \
	    gc_cycles gc_legacy gc_scan_classes sched_samples sched_p sched_m \
	    sched_g scvg scav pacer_start pacer_end pacer_sweep events; do
		# a run'"'"'s pid is the ingest'"'"'s: one per engine
		cols=$("$TRACESTAT" --db "$LITE" query --format csv "SELECT * FROM $t LIMIT 0" |
		    head -1 | sed "s/,pid,/,/") &&
		for fmt in csv json table; do
			both query --format $fmt "SELECT $cols FROM $t ORDER BY 1, 2" || exit 1
		done
	done &&
	both query --format csv "SELECT tbl, id, run_id, segment, line_no, rule, raw FROM raw_lines ORDER BY tbl, id" &&
	test "$(wc -l <lite.out)" -gt 1000
'

test_expect_success 'the raw lines rebuilt by the views are the lines of the logs' '
	"$TRACESTAT" --db "$PGURI" query --format csv \
	    "SELECT r.name, l.line_no, l.raw FROM raw_lines l JOIN runs r ON r.id = l.run_id WHERE l.tbl <> '\''broken_lines'\'' ORDER BY r.name, l.line_no, l.tbl, l.id" >pg.csv &&
	python3 - "$S" pg.csv <<-"EOT"
	import csv, sys
	logs = {}
	bad = n = 0
	for name, line_no, raw in list(csv.reader(open(sys.argv[2], newline="", encoding="latin-1")))[1:]:
	    if name not in logs:
	        logs[name] = open(sys.argv[1] + "/" + name + ".log", "rb").read().decode("latin-1").split("\n")
	    # a torn line was joined from pieces of the lines that follow
	    text = "".join(logs[name][int(line_no) - 1:int(line_no) + 60])
	    it = iter(text)
	    n += 1
	    if not all(c in it for c in raw):
	        bad += 1
	        if bad < 5:
	            print("line", name, line_no, repr(raw), "not in", repr(text))
	print(n, "lines,", bad, "differ")
	sys.exit(1 if bad or n < 1000 else 0)
	EOT
'

test_expect_success 'query refusals and errors alike' '
	both query "DELETE FROM runs" &&
	both query "SELECT 1; SELECT 2" &&
	both query "SELECT count(*) AS n, sum(gc_cycles) AS s, 1.5 AS r, NULL AS z, '\''x'\'' AS t FROM runs" &&
	both query --format json "SELECT id, name FROM runs WHERE id > 1000"
'

test_expect_success 'plot scripts and the report alike' '
	for kind in heap pauses sched gc-cpu; do
		"$TRACESTAT" --db "$LITE" plot --run leak --script -o p.png $kind &&
		mv p.gp lite.gp &&
		"$TRACESTAT" --db "$PGURI" plot --run leak --script -o p.png $kind &&
		mv p.gp pg.gp &&
		test_cmp lite.gp pg.gp || exit 1
	done &&
	"$TRACESTAT" --db "$LITE" report --run restart -o rl.html >/dev/null &&
	"$TRACESTAT" --db "$PGURI" report --run restart -o rp.html >/dev/null &&
	mask <rl.html >a && mask <rp.html >b && test_cmp a b
'

test_expect_success 'fleet alike, every format, sort and check' '
	: >all.out &&
	for fmt in table csv json; do
		both fleet --format $fmt &&
		both fleet --format $fmt --sort p99 &&
		both fleet --format $fmt --over 1ms --max-gc-cpu 5 || exit 1
	done &&
	both fleet --check &&
	both fleet --label host=nosuchhost &&
	both fleet --label host="$(hostname)" --sort cycles &&
	test "$(grep -c leak all.out)" -gt 0
'

test_expect_success 'run stores into PostgreSQL as into SQLite, the output passed through' '
	for db in "$LITE" "$PGURI"; do
		"$TRACESTAT" --db "$db" run --echo --name ran -- \
		    sh -c "cat \"$S/leak.log\" >&2; echo done" >out 2>err &&
		# every line passed on, then tracestat'"'"'s closing line
		sed "\$d" err >passed &&
		test_cmp "$S/leak.log" passed &&
		tail -n 1 err | grep -q "^tracestat: run [0-9]*: 189 gc cycles, 61 scheduler samples" &&
		echo done >want && test_cmp want out || exit 1
	done &&
	both summary --run ran &&
	both pauses --run ran --format csv &&
	both leaks --run ran --format json &&
	both query --format csv "SELECT gc_num, start_ms, heap_live_mib FROM gc_cycles WHERE run_id = (SELECT max(id) FROM runs) ORDER BY id"
'

test_done
