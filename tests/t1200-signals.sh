#!/bin/sh
# Signals like tee -i: Ctrl-C to a whole pipeline lets the program log its
# shutdown through tracestat and exit 0; a second SIGINT, or SIGTERM, ends
# the ingest; SIGINT stops the reading of a file at once.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

command -v go >/dev/null || skip_all "go is not installed"
command -v setsid >/dev/null || skip_all "setsid is not installed"

# The service that traps SIGINT, built now (stdlib only, no network).
GOBIN_DIR="$TEST_TMP/go"
mkdir -p "$GOBIN_DIR"
if ! (cd "$SRCDIR/tests/go/shutdown" && GOCACHE="$GOBIN_DIR/cache" \
    GOPATH="$GOBIN_DIR/path" GOFLAGS=-mod=mod GO111MODULE=off \
    go build -o "$GOBIN_DIR/shutdown" main.go) >"$GOBIN_DIR/build.log" 2>&1; then
	cat "$GOBIN_DIR/build.log"
	echo "Bail out! cannot build tests/go/shutdown"
	exit 1
fi
SHUTDOWN="$GOBIN_DIR/shutdown"
export SHUTDOWN

test_expect_success 'Ctrl-C to the pipeline: every shutdown line comes through, the program exits 0' '
	setsid bash -c "echo \$\$ >pgid; GODEBUG=gctrace=1 \"\$SHUTDOWN\" -steps 20 -step-ms 25 -ready ready -truth truth 2>&1 | \"\$TRACESTAT\" ingest --hold 3000 >out 2>err; echo \"\${PIPESTATUS[*]}\" >status.tmp; mv status.tmp status" </dev/null &
	wait_for "test -f ready && test -s pgid" || exit 1
	sleep 0.3
	python3 -c "import os, signal, sys; os.killpg(int(sys.argv[1]), signal.SIGINT)" "$(cat pgid)"
	wait_for "test -f status" || exit 1
	cat err
	test "$(cat status)" = "0 0" || exit 1
	# the program'"'"'s own lines, in its order (gc lines may tear them
	# apart in the pipe: tracestat must give them back whole; --hold
	# 3000 above lets the repair wait for a runtime thread descheduled
	# on a loaded machine)
	requests=$(sed -n "s/^requests=//p" truth) &&
	{
		i=1; while [ $i -le $requests ]; do echo "request $i served"; i=$((i + 1)); done
		echo "shutdown: signal received after $requests requests"
		i=1; while [ $i -le 20 ]; do echo "shutdown: step $i of 20"; echo "stdout: step $i of 20"; i=$((i + 1)); done
		echo "shutdown: complete"
	} >expect &&
	test_cmp expect out &&
	# every collection the runtime completed is stored, shutdown ones too
	test "$(sql tracestat.db "SELECT gc_cycles || char(47) || status FROM runs")" = "$(sed -n "s/^num_gc=//p" truth)/complete" &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles")" = "$(sed -n "s/^num_gc=//p" truth)" &&
	test "$(sql tracestat.db "SELECT status_reason FROM runs")" = "SIGINT: read on to the end of the input"
'

test_expect_success 'a second SIGINT commits and ends the ingest' '
	mkfifo pipe || exit 1
	( GODEBUG=gctrace=1 "$SHUTDOWN" -ready ready 2>&1; sleep 60 ) >pipe &
	writer=$!
	"$TRACESTAT" ingest <pipe >out 2>err &
	pid=$!
	wait_for "test -f ready" || exit 1
	wait_for "[ \"\$(sql tracestat.db \"SELECT count(*) FROM gc_cycles\" 2>/dev/null)\" -gt 0 ]" || exit 1
	kill -INT $pid
	sleep 0.5
	kill -0 $pid || exit 1
	kill -INT $pid
	wait $pid || exit 1
	pkill -P $writer 2>/dev/null; kill $writer 2>/dev/null
	test "$(sql tracestat.db "SELECT status || char(47) || status_reason FROM runs")" = interrupted/SIGINT &&
	grep -q "^tracestat: run 1: [1-9][0-9]* gc cycles" err
'

test_expect_success 'SIGTERM and SIGHUP commit and end the ingest at once' '
	for s in TERM HUP; do
		rm -f pipe && mkfifo pipe || exit 1
		( printf "gc 1 @1.000s 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\n"; sleep 60 ) >pipe &
		writer=$!
		"$TRACESTAT" --db $s.db ingest <pipe >out 2>err &
		pid=$!
		wait_for "[ \"\$(sql $s.db \"SELECT count(*) FROM gc_cycles\" 2>/dev/null)\" = 1 ]" || exit 1
		kill -$s $pid
		wait $pid || exit 1
		kill $writer 2>/dev/null
		test "$(sql $s.db "SELECT status || char(47) || status_reason FROM runs")" = interrupted/SIG$s || exit 1
	done
'

test_expect_success 'SIGINT stops the reading of a file at once' '
	python3 - >big <<-EOT
	for n in range(1, 1000001):
	    print("gc %d @%d.000s 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P" % (n, n))
	EOT
	"$TRACESTAT" ingest -q big 2>err &
	pid=$!
	wait_for "[ \"\$(sql tracestat.db \"SELECT count(*) FROM gc_cycles\" 2>/dev/null)\" -gt 0 ]" || exit 1
	kill -INT $pid
	wait $pid || exit 1
	test "$(sql tracestat.db "SELECT status FROM runs")" = interrupted &&
	test "$(sql tracestat.db "SELECT gc_cycles < 1000000 AND gc_cycles = (SELECT count(*) FROM gc_cycles) FROM runs")" = 1
'

test_done
