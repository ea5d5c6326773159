#!/bin/sh
# Formats read since issue 8: Go 1.13's "scvg: N KB released", the
# scheduler output of Go 1.2 to 1.4, and the end of a gc line without its
# start (counted as unrecognised).  Column values are checked against the
# reference parser in t0100; here what the reference parser does not see.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

F=$SRCDIR/tests/fixtures
CAPACITY="SELECT group_concat(json_extract(extra, '\$.runq_capacity'), ' ') FROM sched_p WHERE status IS NOT NULL"

test_expect_success 'go1.2 and go1.4 scheduler dumps: every line read, versions told' '
	for v in 1.2 1.4; do
		tracestat --db $v.db ingest -q "$F/go$v.txt" 2>err &&
		grep -q " 0 repaired, 0 unrecognised" err &&
		test "$(sql $v.db "SELECT go_min || char(45) || go_max FROM segments")" = "$v-$v" ||
		exit 1
	done &&
	# the capacity of runqsize=LEN/CAP (Go 1.2) is kept as extra text
	test "$(sql 1.2.db "$CAPACITY")" = "128 128 256 128 128 128 256 128"
'

test_expect_success 'scvg: 8 KB released (Go 1.13): released_kib exact, released_mib truncated' '
	printf "%s\n" "scvg: 8 KB released" "scvg: inuse: 3, idle: 1, sys: 5, released: 0, consumed: 4 (MB)" \
		"scvg: 3072 KB released" "scvg: inuse: 3, idle: 1, sys: 5, released: 3, consumed: 1 (MB)" \
		"forced scvg: 7 MB released" "forced scvg: inuse: 3, idle: 1, sys: 5, released: 10, consumed: 1 (MB)" >in &&
	tracestat ingest in >out 2>err &&
	test ! -s out &&
	grep -q " 0 unrecognised" err &&
	test "$(sql tracestat.db "SELECT group_concat(coalesce(released_kib, char(45)) || char(47) || released_mib || char(47) || forced, char(32)) FROM scvg")" = "8/0/0 3072/3/0 -/7/1"
'

test_expect_success 'the end of a gc line without its start is unrecognised, passed through' '
	printf "%s\n" "16->2 MB, 5 MB goal, 12 P" "0.12+0.34 ms cpu, 4->4->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)" \
		"5 MB goal is what we aim for" >in &&
	tracestat ingest in >out 2>err &&
	test_cmp in out &&
	grep -q "0 gc cycles, 0 scheduler samples, 0 repaired, 2 unrecognised" err &&
	test "$(sql tracestat.db "SELECT group_concat(line_no, char(32)) FROM broken_lines")" = "1 2"
'

test_expect_success 'a SCHED line whose run-queue sum overflows: NULL and counted invalid' '
	printf "%s\n" "SCHED 100ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=0 idlethreads=0 runqueue=0 [9223372036854775807 9223372036854775806]" \
		"SCHED 200ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=0 idlethreads=0 runqueue=0 [4611686018427387904 4611686018427387903]" >in &&
	tracestat ingest in 2>/dev/null &&
	test "$(sql tracestat.db "SELECT group_concat(coalesce(local_runq_total, char(45)) || char(47) || local_runq_max, char(32)) FROM sched_samples")" = "-/9223372036854775807 9223372036854775807/4611686018427387904" &&
	test "$(sql tracestat.db "SELECT invalid_values FROM runs")" = 1
'

test_expect_success 'a store written by schema version 1 is upgraded on ingest, its runs kept' '
	cp "$SRCDIR/tests/stores/v1.db" tracestat.db &&
	test "$(sqlite3 tracestat.db "PRAGMA user_version")" = 1 &&
	expect_exit 4 tracestat query "SELECT count(*) FROM runs" 2>err &&
	grep -q "schema version 1" err &&
	tracestat ingest -q "$F/go1.13.txt" 2>/dev/null &&
	test "$(sql tracestat.db "PRAGMA user_version")" = 4 &&
	test "$(sql tracestat.db "SELECT count(released_kib) FROM scvg")" = 4 &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles WHERE run_id = 1")" = 257 &&
	test "$(sql tracestat.db "SELECT name || char(32) || status || char(32) || coalesce(pid, char(45)) FROM runs WHERE id = 1")" = "v1-steady complete -" &&
	test "$(sql tracestat.db "SELECT value FROM run_labels WHERE run_id = 1 AND key = char(101,114,97)")" = v1 &&
	test "$(sql tracestat.db "SELECT count(*) FROM runs WHERE pid IS NOT NULL")" = 1 &&
	tracestat summary --run 1 >out &&
	grep -q "257 gc cycles" out
'

test_done
