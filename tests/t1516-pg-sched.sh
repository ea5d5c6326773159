#!/bin/sh
# t1030-sched.sh (sched) on the PostgreSQL engine (issue 11): the same tests, each
# store of them a new database on the test cluster (tests/lib.sh).
TRACESTAT_TEST_ENGINE=pg
export TRACESTAT_TEST_ENGINE
exec sh "${SRCDIR:-$(dirname "$0")/..}/tests/t1030-sched.sh"
