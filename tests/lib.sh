# lib.sh - a small TAP library for tracestat's shell tests.
#
# A test script sources this file, calls test_expect_success (and friends)
# and ends with test_done.  It prints TAP for automake's tap-driver.sh.
#
#   TRACESTAT  the binary under test (set by make check)
#   SRCDIR     the source tree (for samples, fixtures, grammars)
#
# Each test runs in a fresh directory under $TEST_TMP, in a subshell, with
# "set -e" semantics left to the test body (use && chains).

set -u
: "${SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${TRACESTAT:=$SRCDIR/tracestat}"
export SRCDIR TRACESTAT
SHARED=${SHARED:-$SRCDIR/../shared}
unset TRACESTAT_DB TRACESTAT_GRAMMARS TRACESTAT_GNUPLOT
export LC_ALL=C TZ=UTC

test_count=0
test_failed=0
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tracestat-test.XXXXXX")
trap 'rm -rf "$TEST_TMP"' EXIT

tracestat() {
	"$TRACESTAT" "$@"
}

# test_expect_success DESCRIPTION BODY
test_expect_success() {
	test_count=$((test_count + 1))
	dir="$TEST_TMP/$test_count"
	mkdir -p "$dir"
	if (cd "$dir" && eval "$2") >"$dir/.out" 2>&1; then
		echo "ok $test_count - $1"
	else
		echo "not ok $test_count - $1"
		sed 's/^/# /' "$dir/.out" | tail -40
		test_failed=$((test_failed + 1))
	fi
}

# test_skip DESCRIPTION REASON
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

# skip_all REASON: skip the whole script.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# test_cmp EXPECTED ACTUAL
test_cmp() {
	diff -u "$1" "$2"
}

# expect_exit CODE COMMAND...: run COMMAND, fail unless it exits CODE.
expect_exit() {
	want=$1
	shift
	set +e
	"$@"
	got=$?
	set -e
	if [ "$got" != "$want" ]; then
		echo "expected exit $want, got $got: $*" >&2
		return 1
	fi
}

# csv_same EXPECTED ACTUAL: the same CSV, numbers compared as numbers.
csv_same() {
	python3 "$SRCDIR/tests/csvsame.py" "$1" "$2"
}

# sql DB QUERY: one value (CSV without header).
sql() {
	"$TRACESTAT" --db "$1" query --format csv "$2" | sed 1d
}

# wait_for CMD [SECONDS]: poll CMD every 0.1 s until it succeeds, for at
# most SECONDS (30).  Not a timing test: the bound only stops a hung test.
wait_for() {
	wait_for_n=0
	while ! eval "$1"; do
		wait_for_n=$((wait_for_n + 1))
		[ $wait_for_n -lt $(( ${2:-30} * 10 )) ] || return 1
		sleep 0.1
	done
}

# keep_gnuplot: the path of a fake gnuplot that keeps the script it is
# given in ./kept.gp and succeeds (made once under $TEST_TMP/bin).
keep_gnuplot() {
	if [ ! -x "$TEST_TMP/bin/keep-gnuplot" ]; then
		mkdir -p "$TEST_TMP/bin" &&
		printf '#!/bin/sh\ncat >kept.gp\n' >"$TEST_TMP/bin/keep-gnuplot" &&
		chmod +x "$TEST_TMP/bin/keep-gnuplot"
	fi
	echo "$TEST_TMP/bin/keep-gnuplot"
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
}
