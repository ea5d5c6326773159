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
	if [ "${TRACESTAT_TEST_ENGINE:-sqlite}" = pg ]; then
		pg_tracestat "$@"
	else
		"$TRACESTAT" "$@"
	fi
}

# PostgreSQL (the engine's tests, t15xx).
#
# pg_need: make sure a server is there: $TRACESTAT_TEST_PG (a URI that
# quickstart check and .ci/run export), else a throwaway cluster of this
# script's own (tests/pg-cluster.sh); skip the script only when the
# server programs are not installed, and never in CI.
pg_need() {
	if [ -z "${TRACESTAT_TEST_PG:-}" ]; then
		if ! "$SRCDIR/tests/pg-cluster.sh" bindir >/dev/null 2>&1; then
			if [ "${CI:-}" = true ]; then
				echo "Bail out! CI: no PostgreSQL server programs (quickstart installs postgresql)"
				exit 1
			fi
			skip_all "no PostgreSQL server programs (apt-get install postgresql)"
		fi
		TRACESTAT_TEST_PG=$("$SRCDIR/tests/pg-cluster.sh" start) || {
			echo "Bail out! cannot start a PostgreSQL cluster"
			exit 1
		}
		pg_own_cluster=${TRACESTAT_TEST_PG#*host=}
		export TRACESTAT_TEST_PG
	fi
	pg_psql_bin=$("$SRCDIR/tests/pg-cluster.sh" bindir)/psql
	pg_prefix=ts$(printf '%s' "$TEST_TMP" | cksum | cut -d" " -f1)
	trap 'pg_cleanup; rm -rf "$TEST_TMP"' EXIT
}

# pg_psql SQL...: run SQL on the cluster's own database.
pg_psql() {
	"$pg_psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$TRACESTAT_TEST_PG" "$@"
}

# pg_uri NAME: the URI of database NAME on the cluster.
pg_uri() {
	printf 'postgresql:///%s?host=%s\n' "$1" "${TRACESTAT_TEST_PG#*host=}"
}

# pg_new_db: create a database no other test uses; print its URI.
pg_new_db() {
	# unique also among the subshells of the tests: a new folder's name
	pg_name=$(mktemp -d "$TEST_TMP/.pgdb.XXXXXXXX") || return 1
	pg_name=${pg_prefix}_$(printf '%s' "${pg_name##*.}" | od -An -tx1 |
	    tr -d ' \n')
	pg_psql -c "CREATE DATABASE $pg_name" >/dev/null || return 1
	echo "$pg_name" >>"$TEST_TMP/.pg-databases"
	pg_uri "$pg_name"
}

pg_cleanup() {
	if [ -f "$TEST_TMP/.pg-databases" ]; then
		while read -r name; do
			pg_psql -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" \
			    >/dev/null 2>&1
		done <"$TEST_TMP/.pg-databases"
	fi
	if [ -n "${pg_own_cluster:-}" ]; then
		"$SRCDIR/tests/pg-cluster.sh" stop "$pg_own_cluster"
	fi
}

# pg_db_for FILE: the PostgreSQL store standing in for the SQLite store
# FILE.  A FILE that does not exist gets a new database, and FILE itself
# then names it, so that the test's own `rm -f FILE` gives a new store
# next time; an existing SQLite file (a fixture) is left as it is.
pg_db_for() {
	# one database for FILE even when two commands start at once
	while ! mkdir "$1.pg-lock" 2>/dev/null; do
		sleep 0.05
	done
	if [ ! -e "$1" ]; then
		pg_new_db_uri=$(pg_new_db) &&
		printf 'tracestat-pg %s\n' "$pg_new_db_uri" >"$1"
	fi
	rmdir "$1.pg-lock"
	if [ "$(head -c 13 "$1" 2>/dev/null)" = "tracestat-pg " ]; then
		sed -n '1s/^tracestat-pg //p' "$1"
	else
		printf '%s\n' "$1"
	fi
}

# pg_tracestat ARGS: tracestat with every --db FILE (and $TRACESTAT_DB,
# and the default ./tracestat.db) replaced by a PostgreSQL store.
pg_tracestat() {
	pg_db_seen=0
	pg_args_n=$#
	pg_i=0
	while [ $pg_i -lt $pg_args_n ]; do
		pg_a=$1
		shift
		pg_i=$((pg_i + 1))
		case $pg_a in
		--db=*)
			set -- "$@" "--db=$(pg_db_for "${pg_a#--db=}")"
			pg_db_seen=1 ;;
		--db)
			if [ $pg_i -lt $pg_args_n ]; then
				set -- "$@" --db "$(pg_db_for "$1")"
				shift
				pg_i=$((pg_i + 1))
				pg_db_seen=1
			else
				set -- "$@" "$pg_a"
			fi ;;
		--)
			# operands follow: a program and its arguments
			set -- "$@" "$pg_a"
			while [ $pg_i -lt $pg_args_n ]; do
				set -- "$@" "$1"
				shift
				pg_i=$((pg_i + 1))
			done ;;
		*)
			set -- "$@" "$pg_a" ;;
		esac
	done
	if [ $pg_db_seen = 0 ]; then
		set -- --db "$(pg_db_for "${TRACESTAT_DB:-tracestat.db}")" "$@"
	fi
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
	tracestat --db "$1" query --format csv "$2" | sed 1d
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
	# a cluster of the script's own stops here, not only in the trap
	if [ -n "${pg_own_cluster:-}" ]; then
		pg_cleanup
		pg_own_cluster=
	fi
	[ "$test_failed" -eq 0 ]
}

# Under TRACESTAT_TEST_ENGINE=pg (the t15xx wrappers), every store of the
# script is a PostgreSQL database (see tracestat above).
if [ "${TRACESTAT_TEST_ENGINE:-sqlite}" = pg ]; then
	pg_need
fi
