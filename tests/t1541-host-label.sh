#!/bin/sh
# Every run says where it was written: ingest and run label it
# host=<gethostname()>, and --label host=X names another host.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
HOST=$(python3 -c "import socket; print(socket.gethostname())")

test_expect_success 'ingest labels the run with the host name' '
	tracestat ingest -q "$S/threads.log" 2>/dev/null &&
	test "$(sql tracestat.db "SELECT value FROM run_labels WHERE key = '\''host'\''")" = "$HOST" &&
	tracestat runs --format csv >out &&
	grep -q ",host=$HOST," out
'

test_expect_success '--label host=X replaces it, the other labels stay, one host label a run' '
	tracestat ingest -q --label env=prod --label host=web-7 "$S/threads.log" 2>/dev/null &&
	sed -n 1,3p "$S/threads.log" | tracestat ingest -q -l host=db-1 -l host=db-2 2>/dev/null &&
	sql tracestat.db "SELECT run_id, key, value FROM run_labels WHERE key IN ('\''host'\'', '\''env'\'') ORDER BY run_id, key" >got &&
	printf "1,env,prod\n1,host,web-7\n2,host,db-2\n" >want &&
	test_cmp want got &&
	tracestat runs --format csv | grep -c ",\"env=prod,host=web-7\"," >n &&
	echo 1 >want &&
	test_cmp want n
'

test_expect_success 'a run with no trace line still says its host' '
	printf "hello\n" | expect_exit 7 tracestat ingest -q 2>/dev/null &&
	test "$(sql tracestat.db "SELECT value FROM run_labels WHERE key = '\''host'\''")" = "$HOST"
'

test_expect_success 'tracestat run labels the host once, and --label host=X replaces it' '
	tracestat run -q -- sh -c "echo x >&2" 2>/dev/null &&
	test "$(sql tracestat.db "SELECT value FROM run_labels WHERE run_id = 1 AND key = '\''host'\''")" = "$HOST" &&
	test "$(sql tracestat.db "SELECT count(*) FROM run_labels WHERE run_id = 1 AND key = '\''host'\''")" = 1 &&
	test "$(sql tracestat.db "SELECT value FROM run_labels WHERE run_id = 1 AND key = '\''cmd'\''")" = "sh -c echo x >&2" &&
	tracestat run -q --label host=canary-3 -- sh -c "echo x >&2" 2>/dev/null &&
	test "$(sql tracestat.db "SELECT value FROM run_labels WHERE run_id = 2 AND key = '\''host'\''")" = canary-3
'

test_expect_success 'fleet shows and filters by the host label' '
	tracestat ingest -q "$S/threads.log" 2>/dev/null &&
	tracestat ingest -q --label host=web-7 "$S/leak.log" 2>/dev/null &&
	tracestat fleet --format csv --sort run | cut -d, -f1,2 >got &&
	printf "run,host\n2,web-7\n1,%s\n" "$HOST" >want &&
	test_cmp want got &&
	tracestat fleet --label "host=$HOST" --format csv | cut -d, -f1 | sed 1d >got &&
	echo 1 >want &&
	test_cmp want got
'

test_done
