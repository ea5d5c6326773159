#!/bin/sh
# 32 ingests at once into one new PostgreSQL database (issue 11): the
# store is created once, every run gets its own id, nothing deadlocks,
# and every run holds every row of its input, per table, as the
# reference parser (tests/refparse.py) reads the input.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
pg_need

S=$SRCDIR/samples
PGURI=$(pg_new_db) || exit 1
export PGURI S

# The samples taken in turn (not the torn ones: refparse does not join
# torn lines as the tracer does).
set -- detail fastleak forced goleak gorun leak leaksteps periodic restart \
    saturate sawtooth steady threads fewflat warmcache fewsaw
export SAMPLES="$*"

test_expect_success '32 ingests at once, half of them from pipes, all succeed' '
	i=0 &&
	for n in 1 2; do
		for s in $SAMPLES; do
			i=$((i + 1))
			if [ $n = 1 ]; then
				"$TRACESTAT" --db "$PGURI" ingest -q --name "w$i-$s" "$S/$s.log" >out.$i 2>err.$i &
			else
				cat "$S/$s.log" | "$TRACESTAT" --db "$PGURI" ingest --echo --name "w$i-$s" >out.$i 2>err.$i &
			fi
			echo $! >>pids
		done
	done &&
	test $i = 32 &&
	failed=0 &&
	for p in $(cat pids); do wait $p || failed=$((failed + 1)); done &&
	cat err.* | grep -v "^tracestat: run [0-9]*:" || true
	test $failed = 0 &&
	# pipes pass their input through whole (--echo: trace lines too)
	i=16 && for s in $SAMPLES; do i=$((i + 1)); cmp "$S/$s.log" out.$i || exit 1; done
'

test_expect_success 'one run per ingest, each with its own id, all complete' '
	"$TRACESTAT" --db "$PGURI" query --format csv "SELECT count(*), count(DISTINCT id), count(DISTINCT name), sum(CASE WHEN status = '\''complete'\'' THEN 1 ELSE 0 END), sum(dropped_records) FROM runs" >got &&
	printf "count,count,count,sum,sum\n32,32,32,32,0\n" >want &&
	test_cmp want got
'

test_expect_success 'every run holds every row of its input, table by table, as refparse reads it' '
	for s in $SAMPLES; do
		for k in gc gc_legacy sched sched_p sched_m sched_g scvg scav pacer_start pacer_end pacer_sweep scan; do
			printf "%s %s %s\n" "$s" "$k" "$(python3 "$SRCDIR/tests/refparse.py" $k "$S/$s.log" | sed 1d | wc -l)"
		done
	done >want.raw &&
	"$TRACESTAT" --db "$PGURI" query --format csv "SELECT r.name, k.kind, (SELECT count(*) FROM gc_cycles_rows t WHERE t.run_id = r.id AND k.kind = '\''gc'\'') + (SELECT count(*) FROM gc_legacy_rows t WHERE t.run_id = r.id AND k.kind = '\''gc_legacy'\'') + (SELECT count(*) FROM sched_samples_rows t WHERE t.run_id = r.id AND k.kind = '\''sched'\'') + (SELECT count(*) FROM sched_p_rows t WHERE t.run_id = r.id AND k.kind = '\''sched_p'\'') + (SELECT count(*) FROM sched_m_rows t WHERE t.run_id = r.id AND k.kind = '\''sched_m'\'') + (SELECT count(*) FROM sched_g_rows t WHERE t.run_id = r.id AND k.kind = '\''sched_g'\'') + (SELECT count(*) FROM scvg_rows t WHERE t.run_id = r.id AND k.kind = '\''scvg'\'') + (SELECT count(*) FROM scav_rows t WHERE t.run_id = r.id AND k.kind = '\''scav'\'') + (SELECT count(*) FROM pacer_start_rows t WHERE t.run_id = r.id AND k.kind = '\''pacer_start'\'') + (SELECT count(*) FROM pacer_end_rows t WHERE t.run_id = r.id AND k.kind = '\''pacer_end'\'') + (SELECT count(*) FROM pacer_sweep_rows t WHERE t.run_id = r.id AND k.kind = '\''pacer_sweep'\'') + (SELECT count(*) FROM gc_scan_classes_rows t WHERE t.run_id = r.id AND k.kind = '\''scan'\'') FROM runs r, (VALUES ('\''gc'\''), ('\''gc_legacy'\''), ('\''sched'\''), ('\''sched_p'\''), ('\''sched_m'\''), ('\''sched_g'\''), ('\''scvg'\''), ('\''scav'\''), ('\''pacer_start'\''), ('\''pacer_end'\''), ('\''pacer_sweep'\''), ('\''scan'\'')) AS k(kind) ORDER BY r.id, k.kind" | sed 1d >got.csv &&
	python3 - want.raw got.csv <<-"EOT"
	import csv, sys
	want = {}
	for line in open(sys.argv[1]):
	    s, k, n = line.split()
	    want[(s, k)] = int(n)
	bad = 0
	runs = set()
	for name, kind, n in csv.reader(open(sys.argv[2])):
	    sample = name.split("-", 1)[1]
	    runs.add(name)
	    if want[(sample, kind)] != int(n):
	        bad += 1
	        print(name, kind, "stored", n, "refparse", want[(sample, kind)])
	assert len(runs) == 32, len(runs)
	assert sum(want.values()) > 10000
	sys.exit(1 if bad else 0)
	EOT
'

test_done
