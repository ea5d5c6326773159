#!/bin/sh
# The bundled real traces (samples/*.log, made by the Go programs in
# samples/gen with Go 1.19): every cycle and sample is stored, with the
# values the independent reference parser reads, and the counts the Go
# runtime itself reported (samples/*.truth, written by the programs from
# runtime.ReadMemStats, not by any log parser).
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
GC_COLUMNS=$(python3 "$SRCDIR/tests/refparse.py" gc /dev/null | head -1)

truth() {
	sed -n "s/^$2=//p" "$S/$1.truth"
}

for name in steady leak leaksteps sawtooth warmcache saturate threads detail periodic; do
	[ -f "$S/$name.log" ] || continue
	test_expect_success "$name: gc cycles and scheduler samples as the runtime counted" "
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		test \"\$(sql tracestat.db 'SELECT gc_cycles FROM runs')\" = '$(truth $name num_gc)' &&
		test \"\$(sql tracestat.db 'SELECT sched_samples FROM runs')\" = \"\$(grep -c '^SCHED' '$S/$name.log')\" &&
		test \"\$(sql tracestat.db 'SELECT unrecognised_lines + repaired_lines FROM runs')\" = 0 &&
		test \"\$(sql tracestat.db 'SELECT count(*) FROM segments')\" = 1
	"
	test_expect_success "$name: every gc row as the reference parser reads it" "
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		python3 '$SRCDIR/tests/refparse.py' gc '$S/$name.log' >expect &&
		tracestat query --format csv 'SELECT $GC_COLUMNS FROM gc_cycles ORDER BY id' >actual &&
		csv_same expect actual
	"
done

test_expect_success 'saturate: every SCHED sample and per-P queue as the reference parser reads it' '
	tracestat ingest -q "$S/saturate.log" 2>/dev/null &&
	python3 "$SRCDIR/tests/refparse.py" sched "$S/saturate.log" >expect &&
	cols=$(head -1 expect) &&
	tracestat query --format csv "SELECT $cols FROM sched_samples ORDER BY id" >actual &&
	csv_same expect actual &&
	python3 "$SRCDIR/tests/refparse.py" sched_p "$S/saturate.log" >expect &&
	tracestat query --format csv "SELECT (SELECT count(*) FROM sched_samples s WHERE s.id <= p.sample_id) AS sample, p_idx, local_runq, schedtick, status, syscalltick, m_id, gfree_count, timers_len FROM sched_p p ORDER BY id" >actual &&
	csv_same expect actual
'

test_expect_success 'detail: the scheddetail dump (P, M and G lines)' '
	tracestat ingest -q "$S/detail.log" 2>/dev/null &&
	for kind in sched_p sched_m sched_g; do
		python3 "$SRCDIR/tests/refparse.py" $kind "$S/detail.log" >expect
		cols=$(head -1 expect | sed "s/^sample,//")
		tracestat query --format csv "SELECT (SELECT count(*) FROM sched_samples s WHERE s.id <= t.sample_id) AS sample, $cols FROM $kind t ORDER BY id" >actual
		csv_same expect actual || exit 1
	done &&
	test "$(sql tracestat.db "SELECT count(*) FROM sched_g")" -gt 0
'

if [ -f "$S/forced.log" ]; then
	test_expect_success 'forced: forced cycles, scavenger and pacer lines' '
		tracestat ingest -q "$S/forced.log" 2>/dev/null &&
		test "$(sql tracestat.db "SELECT forced_cycles FROM segments")" = "$(grep -c "^gc .* P (forced)$" "$S/forced.log")" &&
		for kind in scav pacer_start pacer_end; do
			python3 "$SRCDIR/tests/refparse.py" $kind "$S/forced.log" >expect
			cols=$(head -1 expect)
			tracestat query --format csv "SELECT $cols FROM $kind ORDER BY id" >actual
			csv_same expect actual || exit 1
		done
	'
fi

if [ -f "$S/restart.log" ]; then
	test_expect_success 'restart: three processes in one stream are three segments' '
		tracestat ingest -q "$S/restart.log" 2>/dev/null &&
		test "$(sql tracestat.db "SELECT group_concat(gc_cycles, char(32)) FROM (SELECT gc_cycles FROM segments ORDER BY segment)")" = "$(truth restart proc1_num_gc) $(truth restart proc2_num_gc) $(truth restart proc3_num_gc)" &&
		test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles g JOIN segments s USING (run_id, segment) WHERE g.gc_num NOT BETWEEN s.first_gc_num AND s.last_gc_num")" = 0 &&
		# each process starts its scheduler clock at SCHED 0ms
		awk "/^SCHED 0ms/ { p++ } /^SCHED/ { n[p]++ } END { for (i = 1; i <= p; i++) printf \"%d \", n[i] }" "$S/restart.log" >expect &&
		sql tracestat.db "SELECT group_concat(sched_samples, char(32)) || char(32) FROM (SELECT sched_samples FROM segments ORDER BY segment)" >actual &&
		test "$(cat expect)" = "$(cat actual)"
	'
fi

test_expect_success 'periodic: the cycle after "GC forced" is marked periodic' '
	tracestat ingest -q "$S/periodic.log" 2>/dev/null &&
	n=$(grep -c "^GC forced" "$S/periodic.log") &&
	test "$n" -ge 1 &&
	test "$(sql tracestat.db "SELECT periodic_cycles FROM segments")" = "$n" &&
	test "$(sql tracestat.db "SELECT sum(periodic) FROM gc_cycles")" = "$n"
'

test_done
