#!/bin/sh
# tracestat run: a real Go program (samples/gen/runprobe, built now) started
# with the trace switches, its stdout untouched, its stderr ingested and
# passed on, its exit status returned, signals passed on, labels from its
# build information.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
. "$SRCDIR/tests/gobuild.sh"

PROBE=$TEST_TMP/runprobe
unset GODEBUG GOGC GOMEMLIMIT

# wait_for CMD: up to 60 s for CMD to succeed (only stops a hung test).
wait_for() {
	i=0
	while ! eval "$1"; do
		i=$((i + 1))
		[ $i -lt 600 ] || return 1
		sleep 0.1
	done
}

truth() {
	sed -n "s/^$2=//p" "$1"
}

test_expect_success 'build runprobe' '
	go_build "$PROBE" runprobe && test -x "$PROBE"
'

test_expect_success 'exit 0: every gc cycle stored, as many as NumGC' '
	tracestat run -- "$PROBE" -mode gc -mib 1024 -truth truth >out 2>err &&
	test "$(truth truth godebug)" = "gctrace=1,schedtrace=1000" &&
	test "$(cat out)" = "GODEBUG=gctrace=1,schedtrace=1000" &&
	numgc=$(truth truth num_gc) &&
	test "$numgc" -gt 5 &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles")" = "$numgc" &&
	test "$(sql tracestat.db "SELECT gc_cycles FROM runs")" = "$numgc" &&
	test "$(sql tracestat.db "SELECT status FROM runs")" = complete &&
	grep -qx "runprobe: done" err &&
	grep -q "^tracestat: run 1: $numgc gc cycles" err &&
	! grep -q "^gc [0-9]" err
'

test_expect_success 'the run: named after the command, labelled from the binary' '
	GODEBUG=madvdontneed=1 tracestat run -- "$PROBE" -mode gc -mib 16 -truth truth >/dev/null 2>&1 &&
	go version -m "$PROBE" >gov &&
	sed -n "1s/^.*: //p" gov >go_version &&
	awk -F"\t" "\$2 == \"mod\" { print \$3 }" gov >main_module &&
	test "$(cat main_module)" = tracestatgen &&
	cat >expected <<-EOT &&
	cmd|$PROBE -mode gc -mib 16 -truth truth
	go_version|$(cat go_version)
	"godebug|madvdontneed=1,gctrace=1,schedtrace=1000"
	host|$(uname -n)
	main_module|tracestatgen
	pid|$(truth truth pid)
	EOT
	sql tracestat.db "SELECT key || char(124) || value FROM run_labels ORDER BY key" >actual &&
	test_cmp expected actual &&
	test "$(sql tracestat.db "SELECT name FROM runs")" = runprobe
'

test_expect_success 'exit 3 is returned; --name and --label win over ours' '
	expect_exit 3 tracestat run --name probe3 --label host=elsewhere -l team=a \
	    -- "$PROBE" -mode gc -mib 16 -code 3 >/dev/null 2>err &&
	test "$(sql tracestat.db "SELECT name FROM runs")" = probe3 &&
	test "$(sql tracestat.db "SELECT value FROM run_labels WHERE key = char(104,111,115,116)")" = elsewhere &&
	test "$(sql tracestat.db "SELECT value FROM run_labels WHERE key = char(116,101,97,109)")" = a
'

test_expect_success 'killed by SIGKILL: exit 137, the run is stored' '
	tracestat run -- "$PROBE" -mode sleep >out 2>err &
	pid=$! &&
	wait_for "grep -q ^ready out" &&
	kill -KILL "$(sed -n "s/^ready //p" out)" &&
	expect_exit 137 wait $pid &&
	test "$(sql tracestat.db "SELECT count(*) FROM runs")" = 1 &&
	grep -q "^tracestat: run 1:" err
'

test_expect_success 'stdout is byte-identical, to a file and to a pipe' '
	"$PROBE" -mode bytes -n 3000000 >expected &&
	test "$(wc -c <expected)" = 3000000 &&
	tracestat run -- "$PROBE" -mode bytes -n 3000000 >actual 2>/dev/null &&
	cmp expected actual &&
	tracestat run -- "$PROBE" -mode bytes -n 3000000 2>/dev/null | cat >piped &&
	cmp expected piped
'

test_expect_success 'stdout is unbuffered: each line is read before the next is asked for' '
	python3 "$SRCDIR/tests/run-echo.py" "$TRACESTAT" "$PROBE" stdout
'

test_expect_success 'stderr text is passed on at once, each line before the next' '
	python3 "$SRCDIR/tests/run-echo.py" "$TRACESTAT" "$PROBE" stderr
'

test_expect_success 'Ctrl-C on a terminal: every shutdown line, exit 0' '
	python3 "$SRCDIR/tests/run-tty.py" tty "$TRACESTAT" run -- "$PROBE" -mode trap -steps 12 &&
	tr -d "\r" <tty >out &&
	grep -q "shutdown: got interrupt$" out &&
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		grep -qx "shutdown step $i of 12" out || { echo "no step $i"; exit 1; }
	done &&
	grep -qx "signals 1" out &&
	grep -q "^tracestat: run 1: " out &&
	test "$(sql tracestat.db "SELECT status FROM runs")" = complete
'

# forward SIG: SIGSIG sent to tracestat alone reaches CMD once.  A shell
# without job control starts a background job with SIGINT and SIGQUIT
# ignored, nohup (a CI harness, say) ignores SIGHUP, and tracestat keeps
# an ignored signal so (for CMD too): start it with the four at their
# defaults, as from a terminal.  A run still alive a minute after the
# signal is killed, and its status (137) fails the test instead of
# hanging the suite.
forward() {
	# A stale "ready" from the last round would let the signal go out
	# before tracestat has its handlers: start from no file at all.
	rm -f out err
	python3 -c "if 1:
		import os, signal, sys
		for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGTERM):
			signal.signal(s, signal.SIG_DFL)
		os.execv(sys.argv[1], sys.argv[1:])" \
	    "$TRACESTAT" run -- "$PROBE" -mode trap >out 2>err &
	pid=$!
	wait_for "grep -q ^ready out" || { kill -KILL $pid; return 1; }
	kill -"$1" $pid
	( sleep 60 && kill -KILL $pid ) </dev/null >/dev/null 2>&1 &
	watchdog=$!
	wait $pid
	forward_rc=$?
	kill $watchdog 2>/dev/null
	return $forward_rc
}

test_expect_success 'SIGINT and SIGTERM sent to tracestat alone are passed on once' '
	forward INT &&
	grep -qx "shutdown: got interrupt" out &&
	grep -qx "shutdown step 10 of 10" out &&
	grep -qx "shutdown step 9 of 10" err &&
	grep -qx "signals 1" out &&
	forward TERM &&
	grep -qx "shutdown: got terminated" out &&
	grep -qx "shutdown step 9 of 10" err &&
	grep -qx "signals 1" out
'

test_expect_success 'SIGHUP and SIGQUIT are passed on: CMD dies of them or dumps' '
	set +e
	forward HUP
	rc=$?
	set -e
	test $rc = 129 &&
	set +e
	forward QUIT
	rc=$?
	set -e
	test $rc = 2 &&
	grep -q "^SIGQUIT: quit" err &&
	grep -q "^goroutine 1 " err
'

test_expect_success 'GODEBUG: the user'"'"'s own settings win over the defaults' '
	tracestat run -- "$PROBE" -mode env >out 2>/dev/null &&
	test "$(cat out)" = "GODEBUG=gctrace=1,schedtrace=1000" &&
	GODEBUG=gctrace=0,madvdontneed=1 tracestat run -- "$PROBE" -mode env >out 2>/dev/null &&
	test "$(cat out)" = "GODEBUG=gctrace=0,madvdontneed=1,schedtrace=1000" &&
	GODEBUG=schedtrace=5000 tracestat run --scheddetail -- "$PROBE" -mode env >out 2>/dev/null &&
	test "$(cat out)" = "GODEBUG=schedtrace=5000,gctrace=1,scheddetail=1"
'

test_expect_success 'GODEBUG: switches named on the command line win over GODEBUG' '
	GODEBUG=gctrace=0,schedtrace=5000,x=y tracestat run --gctrace --schedtrace 250 -- "$PROBE" -mode env >out 2>/dev/null &&
	test "$(cat out)" = "GODEBUG=x=y,gctrace=1,schedtrace=250" &&
	GODEBUG= tracestat run --schedtrace 0 -- "$PROBE" -mode env >out 2>/dev/null &&
	test "$(cat out)" = "GODEBUG=gctrace=1,schedtrace=0"
'

test_expect_success '--scheddetail: the dump is stored' '
	tracestat run --schedtrace 100 --scheddetail -- "$PROBE" -mode gc -mib 256 >/dev/null 2>err &&
	test "$(sql tracestat.db "SELECT count(*) > 0 FROM sched_samples")" = 1 &&
	test "$(sql tracestat.db "SELECT count(*) > 0 FROM sched_p")" = 1 &&
	! grep -q "^  P0:" err
'

test_expect_success '-q drops CMD'"'"'s other stderr lines, not the closing line' '
	tracestat run -q -- "$PROBE" -mode gc -mib 16 >/dev/null 2>err &&
	! grep -q "runprobe: done" err &&
	grep -q "^tracestat: run 1:" err
'

test_expect_success 'the store fails: CMD runs on; its failure, else the store'"'"'s, is the status' '
	mkdir ro && chmod 555 ro &&
	expect_exit 4 tracestat --db ro/sub/x.db run -- "$PROBE" -mode gc -mib 16 >out 2>err &&
	test "$(head -c 8 out)" = GODEBUG= &&
	grep -qx "runprobe: done" err &&
	grep -q "^tracestat: error: cannot open .ro/sub/x.db." err &&
	grep -q "^tracestat: not stored: " err &&
	expect_exit 3 tracestat --db ro/sub/x.db run -- "$PROBE" -mode gc -mib 16 -code 3 >out 2>err &&
	grep -qx "runprobe: done" err
'

test_expect_success 'not a Go binary: no Go labels, no error' '
	tracestat run -- /bin/true >out 2>err
	rc=$?
	[ $rc = 0 ] || [ $rc = 7 ] &&
	test_cmp /dev/null out &&
	! grep -q error err &&
	test "$(sql tracestat.db "SELECT group_concat(key, char(32)) FROM (SELECT key FROM run_labels ORDER BY key)")" = "cmd godebug host pid" &&
	test "$(sql tracestat.db "SELECT name FROM runs")" = true
'

test_expect_success 'cannot start CMD: 127 not found, 126 not executable' '
	expect_exit 127 tracestat run -- no-such-program-here 2>err &&
	grep -q "^tracestat: error: cannot run '"'"'no-such-program-here'"'"': No such file or directory$" err &&
	printf "#!/bin/sh\n" >noexec &&
	expect_exit 126 tracestat run -- ./noexec 2>err &&
	grep -q "^tracestat: error: cannot run '"'"'./noexec'"'"': Permission denied$" err &&
	test ! -e tracestat.db
'

test_expect_success 'usage errors start nothing' '
	expect_exit 2 tracestat run 2>err &&
	grep -q "^tracestat: error: no command to run" err &&
	expect_exit 2 tracestat run --hold x -- touch started 2>err &&
	expect_exit 2 tracestat run --label nolabel -- touch started 2>err &&
	expect_exit 2 tracestat run --schedtrace -5 -- touch started 2>err &&
	expect_exit 2 tracestat run --bogus -- touch started 2>err &&
	grep -q "^try '"'"'tracestat run --help'"'"'$" err &&
	test ! -e started && test ! -e tracestat.db
'

test_expect_success 'CMD'"'"'s own options are its own, with or without --' '
	tracestat run "$PROBE" -mode env -q >out 2>err
	test $? = 2 &&
	grep -q "flag provided but not defined: -q" err
'

test_done
