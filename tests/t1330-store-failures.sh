#!/bin/sh
# The store's own failures during an ingest: a store deleted, replaced or
# made immutable (chattr +i) mid-run is reported with its path and exit 4,
# never a signal (SIGBUS in the final checkpoint) and never a silent 0.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

LEAK=$SRCDIR/samples/leak.log
export LEAK

# wait_rows DB: until the first batch is committed (at most 60 s).
wait_rows() {
	n=0
	while [ $n -lt 600 ]; do
		c=$(sqlite3 "$1" "SELECT count(*) FROM gc_cycles" 2>/dev/null)
		[ -n "$c" ] && [ "$c" -gt 0 ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	echo "no batch committed in 60 s" >&2
	return 1
}

# feed ACTION: 100 lines, wait for a commit, ACTION, 300 more lines slowly.
feed() {
	head -100 "$LEAK"
	wait_rows t.db && eval "$1"
	sed -n 101,400p "$LEAK" | while read -r line; do
		printf '%s\n' "$line"
		case $line in gc\ 1[0-9]0\ *) sleep 0.1 ;; esac
	done
}

test_expect_success 'a store deleted mid-run: exit 4 with its path' '
	set +e
	feed "rm t.db" | "$TRACESTAT" --db t.db ingest -q >out 2>err
	rc=$?
	set -e
	cat err &&
	test "$rc" = 4 &&
	grep -q "^tracestat: error: .t.db. was removed while tracestat was writing it" err &&
	test ! -e t.db
'

test_expect_success 'a store replaced mid-run: exit 4 with its path, the new file untouched' '
	echo other >other &&
	set +e
	feed "mv other t.db" | "$TRACESTAT" --db t.db ingest -q >out 2>err
	rc=$?
	set -e
	cat err &&
	test "$rc" = 4 &&
	grep -q "^tracestat: error: .t.db. was replaced by another file" err &&
	test "$(cat t.db)" = other
'

test_expect_success 'a store truncated under a reading command: exit 4 with its path, no SIGBUS' '
	"$TRACESTAT" --db r.db ingest -q "$LEAK" 2>/dev/null &&
	timeout 120 "$TRACESTAT" --db r.db query "SELECT count(*) FROM gc_cycles a, gc_cycles b, gc_cycles c WHERE a.raw < b.raw || c.raw" >out 2>err &
	pid=$!
	sleep 1
	truncate -s 4096 r.db
	set +e
	wait $pid
	rc=$?
	set -e
	cat err &&
	test "$rc" = 4 &&
	grep -q "^tracestat: error: .r.db. changed under tracestat (a bus error" err
'

# chattr +i needs root and a file system that has the flag (ext4, xfs,
# btrfs); tmpfs and overlayfs do not.
: >"$TEST_TMP/probe"
if chattr +i "$TEST_TMP/probe" 2>/dev/null; then
	chattr -i "$TEST_TMP/probe"
	for what in "t.db" "t.db t.db-wal t.db-shm"; do
		export what
		test_expect_success "files made immutable mid-run ($what): exit 4, no SIGBUS" '
			set +e
			feed "chattr +i $what" | "$TRACESTAT" --db t.db ingest -q >out 2>err
			rc=$?
			chattr -i t.db t.db-wal t.db-shm 2>/dev/null
			set -e
			cat err &&
			test "$rc" = 4 &&
			grep -q "^tracestat: error: .t.db. can no longer be written: Operation not permitted" err &&
			test "$(sqlite3 t.db "PRAGMA integrity_check")" = ok &&
			test "$(sqlite3 t.db "SELECT count(*) FROM gc_cycles")" -gt 0
		'
	done
else
	test_skip "files made immutable mid-run" "chattr +i does not work in $TEST_TMP (needs root on ext4/xfs/btrfs)"
fi

test_done
