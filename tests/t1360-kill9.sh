#!/bin/sh
# kill -9 at random points of an ingest fed at a steady rate: after each
# kill the store passes PRAGMA integrity_check, the committed gc cycles of
# the run are a contiguous prefix 1..k of what was fed, and what is lost
# is at most one batch (10,000 lines or 250 ms of lines) plus the lines
# still in the pipe: the bound documented in tracestat(1).
#
# KILL9_POINTS kill points (20 by default); KILL9_SEED to replay a run.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

POINTS=${KILL9_POINTS:-20}
SEED=${KILL9_SEED:-$$}
RATE=20000
# One batch, plus a full pipe (64 KiB of 150-byte lines).
MAX_LOST=$((10000 + 65536 / 150 + 1))
DB=$TEST_TMP/k.db
export POINTS SEED RATE MAX_LOST DB
echo "# seed $SEED, $POINTS points, $RATE lines/s, at most $MAX_LOST lost"

# The kill points, in seconds after the start: 0.3 to 3.
python3 -c "
import random
r = random.Random($SEED)
print(\" \".join(\"%.2f\" % r.uniform(0.3, 3.0) for _ in range($POINTS)))
" >"$TEST_TMP/points"

run=0
for at in $(cat "$TEST_TMP/points"); do
	run=$((run + 1))
	export at run
	test_expect_success "kill -9 after ${at}s (run $run): intact, a contiguous prefix, at most one batch lost" '
		mkfifo fifo || return 1
		python3 "$SRCDIR/tests/feed.py" $RATE fed >fifo 2>/dev/null &
		feeder=$!
		"$TRACESTAT" --db "$DB" ingest -q <fifo >/dev/null 2>err &
		ingest=$!
		# The clock starts with the first lines (python may be slow
		# to start on a loaded machine).
		n=0
		while [ ! -s fed ] && [ $n -lt 600 ]; do
			sleep 0.05
			n=$((n + 1))
		done
		sleep "$at"
		kill -9 $ingest
		wait $ingest
		rc=$?
		# What the feeder had written when the ingest died.
		fed=$(cat fed)
		kill $feeder 2>/dev/null
		wait $feeder
		test "$rc" = 137 &&
		test "$(sqlite3 "$DB" "PRAGMA integrity_check")" = ok &&
		set -- $(sqlite3 -separator " " "$DB" "SELECT count(*), count(DISTINCT gc_num), coalesce(min(gc_num), 1), coalesce(max(gc_num), 0) FROM gc_cycles WHERE run_id = (SELECT max(id) FROM runs)") &&
		echo "fed $fed, stored $1 (gc $3..$4)" &&
		test "$1" = "$2" && test "$3" = 1 && test "$4" = "$1" &&
		test $((fed - $1)) -le "$MAX_LOST" &&
		test "$(sqlite3 "$DB" "SELECT count(*) FROM runs")" = "$run"
	'
done

test_expect_success 'after the kills, ingest and query work on the same store' '
	printf "gc 1 @0.1s 1%%: 0.01+0.5+0.02 ms clock, 0.02+0.1/0.2/0+0.04 ms cpu, 4->5->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\n" |
	    "$TRACESTAT" --db "$DB" ingest 2>/dev/null &&
	test "$(sqlite3 "$DB" "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" = complete
'

test_done
