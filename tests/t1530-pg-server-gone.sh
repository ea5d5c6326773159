#!/bin/sh
# The live-pipe rules hold on PostgreSQL (issue 11): when the server goes
# away in the middle of an ingest from a pipe, or is not there from the
# start, the program's output passes through whole and at once, records
# wait in the bounded queue, the connection is tried again, and either
# every record lands or the records lost are counted and reported.  The
# counts to check against are the feeding program's own (stamped-feed.py).
#
# These tests stop and start a server: they run on a cluster of their own.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

FEED="$SRCDIR/tests/stamped-feed.py"
CLUSTER=$SRCDIR/tests/pg-cluster.sh
if ! "$CLUSTER" bindir >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		echo "Bail out! CI: no PostgreSQL server programs"
		exit 1
	fi
	skip_all "no PostgreSQL server programs (apt-get install postgresql)"
fi
URI=$("$CLUSTER" start) || { echo "Bail out! cannot start a cluster"; exit 1; }
DIR=${URI#*host=}
trap '"$CLUSTER" stop "$DIR"; rm -rf "$TEST_TMP"' EXIT
export URI DIR FEED CLUSTER

# rows RUN: the gc cycles stored for run RUN, and its status and losses.
rows() {
	"$TRACESTAT" --db "$URI" query --format csv "SELECT (SELECT count(*) FROM gc_cycles WHERE run_id = $1) || '/' || status || '/' || dropped_records FROM runs WHERE id = $1" | sed 1d
}

# fast DELAYS: the program's lines were passed on at once (1 s is a
# generous bound on a loaded machine; a pass-through that waited for the
# server would hold them for the seconds it was gone).
fast() {
	max=$(sed "s/.*max_ms=\([0-9.]*\).*/\1/" "$1") &&
	python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 1000 else 1)" "$max"
}

test_expect_success 'the server crashes mid-ingest and comes back 3 s later: every record lands, output passes at once' '
	{ python3 "$FEED" write 8 --gc-ms 10 --app-ms 5 --counts counts |
		"$TRACESTAT" --db "$URI" ingest 2>err |
		python3 "$FEED" read --out out >delays; } &
	feed=$! &&
	wait_for "n=\$(rows 1 2>/dev/null | cut -d/ -f1) && [ \"\${n:-0}\" -gt 50 ]" &&
	"$CLUSTER" halt "$DIR" &&
	sleep 3 &&
	"$CLUSTER" resume "$DIR" &&
	wait $feed &&
	cat delays err &&
	app=$(sed -n "s/^app=//p" counts) && gc=$(sed -n "s/^gc=//p" counts) &&
	test "$(grep -c "^APP " out)" = "$app" &&
	fast delays &&
	grep -q "^tracestat: warning: .*records wait in memory" err &&
	grep -q "can be written again" err &&
	rows 1 && test "$(rows 1)" = "$gc/complete/0" &&
	# the gc numbers are those of the feed, each once
	"$TRACESTAT" --db "$URI" query --format csv "SELECT count(DISTINCT gc_num) || '\''/'\'' || min(gc_num) || '\''/'\'' || max(gc_num) FROM gc_cycles WHERE run_id = 1" | sed 1d >got &&
	echo "$gc/1/$gc" >want &&
	test_cmp want got
'

test_expect_success 'the server is down from the start and comes up 3 s later: every record lands' '
	"$CLUSTER" halt "$DIR" &&
	{ python3 "$FEED" write 6 --gc-ms 10 --app-ms 5 --counts counts |
		"$TRACESTAT" --db "$URI" ingest 2>err |
		python3 "$FEED" read --out out >delays; } &
	feed=$! &&
	sleep 3 &&
	"$CLUSTER" resume "$DIR" &&
	wait $feed &&
	cat delays err &&
	app=$(sed -n "s/^app=//p" counts) && gc=$(sed -n "s/^gc=//p" counts) &&
	test "$(grep -c "^APP " out)" = "$app" &&
	fast delays &&
	# (a crashed server'"'"'s sequences may skip ahead: the run is the last)
	run=$("$TRACESTAT" --db "$URI" query --format csv "SELECT max(id) FROM runs" | sed 1d) &&
	test "$("$TRACESTAT" --db "$URI" query --format csv "SELECT count(*) FROM runs" | sed 1d)" = 2 &&
	test "$(rows $run)" = "$gc/complete/0"
'

test_expect_success 'the server never comes back: output whole, the lost records counted and reported' '
	"$CLUSTER" halt "$DIR" &&
	{ python3 "$FEED" write 3 --gc-ms 10 --app-ms 5 --counts counts |
		sh -c '\''echo $$ >pid; exec "$TRACESTAT" --db "$URI" ingest'\'' 2>err |
		python3 "$FEED" read --out out >delays; } &
	feed=$! &&
	# the input has ended once the counts are written; then give up
	wait_for "test -s counts" &&
	wait_for "grep -q \"interrupt to give up\" err" 60 &&
	kill -INT "$(cat pid)" &&
	wait $feed || true
	cat delays err &&
	app=$(sed -n "s/^app=//p" counts) && gc=$(sed -n "s/^gc=//p" counts) &&
	test "$(grep -c "^APP " out)" = "$app" &&
	fast delays &&
	grep "^tracestat: error: gave up waiting for .*: $gc records not stored" err &&
	grep -q "^tracestat: not stored: $gc gc cycles" err &&
	"$CLUSTER" resume "$DIR" &&
	test "$("$TRACESTAT" --db "$URI" query --format csv "SELECT count(*) FROM runs" | sed 1d)" = 2
'

# Stopped here too, not only by the trap: the cluster must not outlive
# the script however the test driver ends it.
"$CLUSTER" stop "$DIR"
test_done
