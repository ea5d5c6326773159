#!/bin/sh
# A PostgreSQL server that hangs (its processes stopped: the connection
# stays open but nothing answers) must not hold the ingest for ever
# (issue 11): every round trip has a deadline ($TRACESTAT_PG_TIMEOUT,
# tracestat-db(5)), after which the server is treated as lost, and one
# that does not take a new connection either is given up.  The program's
# output passes through whole and at once all along, and the ingest ends
# by itself once its input has ended, with the lost records reported.
# The counts to check against are the feeding program's own.
#
# These tests stop a server: they run on a cluster of their own.
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
# the cluster's processes: its postmaster and the postmaster's children
procs() {
	pm=$(head -n 1 "$DIR/data/postmaster.pid") &&
	echo "$pm" $(ps -o pid= --ppid "$pm")
}
resume_all() {
	[ -z "${STOPPED:-}" ] || kill -CONT $STOPPED 2>/dev/null
	STOPPED=
}
trap 'resume_all; "$CLUSTER" stop "$DIR"; rm -rf "$TEST_TMP"' EXIT
export URI DIR FEED CLUSTER

rows() {
	"$TRACESTAT" --db "$URI" query --format csv "SELECT (SELECT count(*) FROM gc_cycles WHERE run_id = $1) || '/' || status || '/' || dropped_records FROM runs WHERE id = $1" | sed 1d
}

fast() {
	max=$(sed "s/.*max_ms=\([0-9.]*\).*/\1/" "$1") &&
	python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 1000 else 1)" "$max"
}

test_expect_success 'the server hangs mid-ingest: output passes at once, the ingest ends by itself and reports the loss' '
	{ python3 "$FEED" write 6 --gc-ms 10 --app-ms 5 --counts counts |
		{ TRACESTAT_PG_TIMEOUT=2 "$TRACESTAT" --db "$URI" ingest 2>err; echo $? >rc; } |
		python3 "$FEED" read --out out >delays; } &
	feed=$! &&
	wait_for "n=\$(rows 1 2>/dev/null | cut -d/ -f1) && [ \"\${n:-0}\" -gt 50 ]" &&
	STOPPED=$(procs) && test -n "$STOPPED" &&
	kill -STOP $STOPPED &&
	# the input ends 6 s after it began; the ingest must end by itself
	# (2 s per round trip, 2 s to connect, the writer'"'"'s back-off:
	# 60 s is generous) -- before, it waited for the server for ever
	wait_for "test -s counts" 30 &&
	wait_for "test -s rc" 60 &&
	wait $feed &&
	cat delays err rc &&
	app=$(sed -n "s/^app=//p" counts) && gc=$(sed -n "s/^gc=//p" counts) &&
	test "$(grep -c "^APP " out)" = "$app" &&
	fast delays &&
	test "$(cat rc)" = 4 &&
	grep -q "no answer" err &&
	lost=$(sed -n "s/^tracestat: not stored: \([0-9]*\) gc cycles.*/\1/p" err) &&
	test -n "$lost" && test "$lost" -gt 0 && test "$lost" -le "$gc" &&
	resume_all &&
	# the server answers again, and holds what came before it hung
	stored=$(rows 1 | cut -d/ -f1) &&
	test "$stored" -gt 50 && test "$stored" -le "$gc"
'

resume_all
"$CLUSTER" stop "$DIR"
test_done
