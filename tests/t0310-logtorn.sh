#!/bin/sh
# Trace lines torn by Go's log package (date and microseconds first): real
# programs of ours (samples/gen/logtorn) log from 4 goroutines at 600 and
# 1,500 lines/s each while gctrace runs.  Every cycle is stored (NumGC),
# in one segment, and every application line comes out byte for byte, in
# the order each goroutine wrote it (tests/logcheck.py against the truth
# the program wrote).  From the committed logs, and through a live pipe.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

truth() { # FILE KEY
	sed -n "s/^$2=//p" "$1"
}

# exact DB OUT TRUTH: the store and the output against the program's truth
exact() {
	test "$(sql "$1" "SELECT count(*) FROM gc_cycles")" = "$(truth "$3" num_gc)" &&
	test "$(sql "$1" "SELECT count(*) FROM segments")" = 1 &&
	test "$(sql "$1" "SELECT count(*) FROM gc_cycles WHERE gc_num <> id")" = 0 &&
	test "$(sql "$1" "SELECT unrecognised_lines FROM runs")" = 0 &&
	python3 "$SRCDIR/tests/logcheck.py" "$2" "$3"
}

for rate in 600 1500; do
	test_expect_success "samples/logtorn$rate.log (4 x $rate lines/s): every cycle, every line" "
		tracestat ingest '$SRCDIR/samples/logtorn$rate.log' >out 2>err &&
		exact tracestat.db out '$SRCDIR/samples/logtorn$rate.truth'
	"
done

# forced N: the store's forced cycles are the " (forced)" the runtime wrote
# into log N (counted in the raw bytes: no application line holds one).  The
# runtime's own NumForcedGC is no truth for this: it may print " (forced)"
# for the cycle after a forced one (work.userForced is read after the
# world restarts), so the log itself is the reference.
forced() {
	test "$(sql tracestat.db "SELECT sum(forced) FROM gc_cycles")" = \
		"$(python3 -c 'import sys; print(open(sys.argv[1], "rb").read().count(b"(forced)"))' "$1")"
}

test_expect_success "samples/logforced.log: a gc line's ' (forced)' after the log line that tore it" "
	tracestat ingest '$SRCDIR/samples/logforced.log' >out 2>err &&
	exact tracestat.db out '$SRCDIR/samples/logforced.truth' &&
	forced '$SRCDIR/samples/logforced.log' &&
	grep -c '^ (forced)' '$SRCDIR/samples/logforced.log' >torn &&
	test \$(cat torn) -ge 1
"

# same_as_clean LOG: after ingesting a torn copy of LOG (output in err),
# the store holds exactly LOG's trace lines (tests/refparse.py on the
# clean log), in one segment, with nothing unrecognised.
same_as_clean() {
	for kind in gc sched; do
		python3 "$SRCDIR/tests/refparse.py" $kind "$1" >expect &&
		cols=$(head -1 expect) &&
		case $kind in gc) table=gc_cycles ;; *) table=sched_samples ;; esac &&
		tracestat query --format csv "SELECT $cols FROM $table ORDER BY id" >actual &&
		csv_same expect actual || return 1
	done &&
	grep -q ' 0 unrecognised' err &&
	test "$(sql tracestat.db 'SELECT count(*) FROM segments')" = 1
}

# Lines that begin with a time stamp (log package, ISO 8601, time of day)
# torn into real samples at the places the runtime can be interrupted
# (tests/tear.py): nothing lost, nothing misread, every line whole.
for spec in steady.log:1:30 leak.log:2:60 sawtooth.log:5:40 saturate.log:3:100 detail.log:4:50 threads.log:7:70 warmcache.log:9:80 forced.log:11:100; do
	log=${spec%%:*}; rest=${spec#*:}; seed=${rest%%:*}; pct=${rest#*:}
	test_expect_success "$log with $pct% torn by time-stamped lines (seed $seed): exact" "
		python3 '$SRCDIR/tests/tear.py' '$SRCDIR/samples/$log' $seed $pct torn.log apps dates &&
		tracestat ingest torn.log >out 2>err &&
		test_cmp apps out &&
		same_as_clean '$SRCDIR/samples/$log'
	"
done

# The runtime's thread may be descheduled between two writes while other
# threads log thousands of lines: the same, with a tenth of the tears
# followed by up to MAXGAP whole application lines before the rest, and
# every forced line torn before its " (forced)" (up to TRACER_MAX_GAPS,
# 4096, are allowed between two pieces; tracestat-ingest(1)).
for spec in forced.log:11:100:dates:4000 leak.log:2:60:dates:1000 detail.log:4:50:text:3000 threads.log:7:70:dates:3000 sawtooth.log:5:40:text:4000; do
	log=${spec%%:*}; rest=${spec#*:}; seed=${rest%%:*}; rest=${rest#*:}
	pct=${rest%%:*}; rest=${rest#*:}; kind=${rest%%:*}; gap=${rest#*:}
	test_expect_success "$log with $pct% torn, up to $gap application lines between pieces (seed $seed): exact" "
		python3 '$SRCDIR/tests/tear.py' '$SRCDIR/samples/$log' $seed $pct torn.log apps $kind $gap &&
		python3 -c 'import sys; print(max(map(int, sys.argv[1:])))' \$(awk '/^(APPLINE|level=|[{]|WARN|20[0-9][0-9][/-]|14:27)/ { n++; next } { if (n) print n; n = 0 }' torn.log) >longest &&
		test \$(cat longest) -ge $((gap / 4)) &&
		rm -f tracestat.db && tracestat ingest torn.log >out 2>err &&
		test_cmp apps out &&
		same_as_clean '$SRCDIR/samples/$log'
	"
done

test_expect_success 'a repaired line never starts a process: gc 2026 is kept as broken' '
	G="0%%: 0.069+0.55+0.017 ms clock, 0.13+0.10/0.41/0.89+0.034 ms cpu, 3->3->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P" &&
	for i in 1 2 3 4 5; do printf "gc $i @0.${i}00s $G\n"; done >in &&
	printf "gc 2026APPLINE one\n @0.600s $G\n" >>in &&
	for i in 6 7; do printf "gc $i @0.${i}00s $G\n"; done >>in &&
	tracestat ingest in >out 2>err &&
	echo "APPLINE one" >expect &&
	test_cmp expect out &&
	test "$(sql tracestat.db "SELECT group_concat(gc_num, char(32)) FROM gc_cycles")" = "1 2 3 4 5 6 7" &&
	test "$(sql tracestat.db "SELECT count(*) FROM segments")" = 1 &&
	test "$(sql tracestat.db "SELECT reason FROM broken_lines")" = "repaired line continues no process"
'

# The same through a live pipe: the program is built now and its output
# piped into ingest as it runs (the hold timer and the pipe's timing in
# play, not a file read at full speed).
if command -v go >/dev/null 2>&1; then
	test_expect_success 'live: logtorn at 4 x 1,500 lines/s, runtime.GC() every 10 ms, with SCHED lines, piped into ingest' '
		export GOCACHE="$TEST_TMP/gocache" GOPATH="$TEST_TMP/gopath" \
			GOFLAGS=-mod=mod GOPROXY=off GO111MODULE=on &&
		(cd "$SRCDIR/samples/gen" && go build -o "$TEST_TMP/logtorn" ./logtorn) &&
		GOMAXPROCS=2 GODEBUG=gctrace=1,schedtrace=100 "$TEST_TMP/logtorn" -truth truth \
			-rate 1500 -garbage 128 -force 10ms -duration 3s 2>&1 | tee in |
			tracestat ingest >out 2>err &&
		cat err &&
		{ { exact tracestat.db out truth && forced in; } ||
		  { tracestat query "SELECT * FROM broken_lines"; cp in "${TMPDIR:-/tmp}/t0310-live.in"; false; }; }
	'
else
	test_expect_success 'live: logtorn piped into ingest' 'echo "go is needed (quickstart installs golang-go)"; false'
fi

test_done
