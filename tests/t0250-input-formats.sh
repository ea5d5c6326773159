#!/bin/sh
# Container and journal log files: CRI, Docker json-file, journalctl -o json.
# Each must give exactly the rows of the same trace read as plain text, with
# the time and stream the log recorded, and pass the decoded application
# lines through.  The files are written by tests/input-gen.py from the
# formats' definitions, not by tracestat.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

GEN="python3 $SRCDIR/tests/input-gen.py"
SAME="python3 $SRCDIR/tests/rowsame.py"
GC='gc 1 @0.002s 1%: 0.007+0.39+0.002 ms clock, 0.014+0.022/0.044/0.090+0.005 ms cpu, 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P'
export GEN SAME GC

# The leak sample as every format, once for all tests.
LEAK=$TEST_TMP/leak
mkdir -p "$LEAK" && $GEN "$SRCDIR/samples/leak.log" "$LEAK" &&
	"$TRACESTAT" --db "$LEAK/plain.db" ingest "$LEAK/plain.log" \
		>"$LEAK/plain.out" 2>/dev/null &&
	"$TRACESTAT" --db "$LEAK/journal-plain.db" ingest \
		"$LEAK/journal.log" >/dev/null 2>&1
export LEAK

# epoch PYTHON-DATETIME-EXPR: the expected Unix time, computed by Python.
epoch() {
	python3 -c "import datetime as d; print(repr(($1).timestamp()))"
}
near() { # actual expected
	python3 -c 'import sys; sys.exit(abs(float(sys.argv[1]) - float(sys.argv[2])) > 1e-6)' "$1" "$2"
}

test_expect_success 'the fixtures have what they must: P pieces, both streams, escapes, byte arrays' '
	test "$(grep -c " stderr P " $LEAK/0.log)" -gt 40 &&
	test "$(grep -c " stdout P " $LEAK/0.log)" -gt 0 &&
	grep -q " stdout F " $LEAK/0.log &&
	grep -q "\"log\":\"[^\"]*[^n]\",\"stream\":\"stderr\"" $LEAK/json.log &&
	grep -q "\\\\ud83d\\\\ude42" $LEAK/json.log &&
	grep -q "\\\\u003c" $LEAK/json.log &&
	grep -q "\"MESSAGE\": \\[" $LEAK/journal.json
'

test_expect_success 'a CRI log gives exactly the rows of the plain trace, its time and stream kept' '
	tracestat ingest $LEAK/0.log >out 2>err &&
	$SAME $LEAK/plain.db tracestat.db --stream stderr --walls $LEAK/walls.csv &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles")" = 189 &&
	test "$(sql tracestat.db "SELECT count(*) FROM sched_samples")" = 61
'

test_expect_success 'a CRI log passes the application lines through decoded, pieces joined' '
	tracestat ingest $LEAK/0.log >out 2>/dev/null &&
	cmp $LEAK/app.out out
'

test_expect_success 'a Docker json-file log gives exactly the rows of the plain trace' '
	tracestat ingest $LEAK/json.log >out 2>err &&
	$SAME $LEAK/plain.db tracestat.db --stream stderr --walls $LEAK/walls.csv &&
	cmp $LEAK/app.out out
'

test_expect_success 'journalctl -o json gives exactly the rows of the plain messages, realtime kept' '
	tracestat ingest $LEAK/journal.json >out 2>err &&
	$SAME $LEAK/journal-plain.db tracestat.db --walls $LEAK/jwalls.csv &&
	cmp $LEAK/japp.out out
'

test_expect_success 'torn lines in a container log are repaired exactly as in the plain stream' '
	$GEN "$SRCDIR/samples/torn.log" . &&
	tracestat --db plain.db ingest plain.log >plain.out 2>/dev/null &&
	tracestat --db cri.db ingest 0.log >cri.out 2>/dev/null &&
	tracestat --db json.db ingest json.log >json.out 2>/dev/null &&
	$SAME plain.db cri.db --stream stderr --walls walls.csv &&
	$SAME plain.db json.db --stream stderr --walls walls.csv &&
	test "$(sql cri.db "SELECT count(*) FROM gc_cycles")" = \
		"$(sed -n "s/^num_gc=//p" $SRCDIR/samples/torn.truth)" &&
	test "$(sql cri.db "SELECT count(*) FROM gc_cycles WHERE repaired = 1")" -gt 0 &&
	cmp plain.out cri.out && cmp plain.out json.out
'

test_expect_success 'a trace written to stdout (2>&1 in the container) is stored with stream stdout' '
	$GEN "$SRCDIR/samples/leak.log" . --trace-stream stdout &&
	tracestat ingest 0.log >out 2>/dev/null &&
	$SAME $LEAK/plain.db tracestat.db --stream stdout --walls walls.csv
'

test_expect_success 'the wall time of each format, against the time computed by Python' '
	printf "2026-11-21T18:58:07.599879Z stderr F %s\n" "$GC" >cri.log &&
	tracestat --db cri.db ingest cri.log 2>/dev/null &&
	near "$(sql cri.db "SELECT wall_s FROM gc_cycles")" \
		"$(epoch "d.datetime(2026, 11, 21, 18, 58, 7, 599879, tzinfo=d.timezone.utc)")" &&
	printf "{\"log\":\"%s\\\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-21T18:58:07.123456789Z\"}\n" "$GC" >docker.log &&
	tracestat --db docker.db ingest docker.log 2>/dev/null &&
	near "$(sql docker.db "SELECT wall_s FROM gc_cycles")" \
		"$(epoch "d.datetime(2026, 11, 21, 18, 58, 7, 123457, tzinfo=d.timezone.utc)")" &&
	printf "{\"__REALTIME_TIMESTAMP\":\"1795287487599879\",\"MESSAGE\":\"%s\"}\n" "$GC" >journal.json &&
	tracestat --db journal.db ingest journal.json 2>/dev/null &&
	near "$(sql journal.db "SELECT wall_s FROM gc_cycles")" \
		"$(epoch "d.datetime(1970, 1, 1, tzinfo=d.timezone.utc) + d.timedelta(microseconds=1795287487599879)")" &&
	printf "2026-11-21T19:58:07.599879123+01:00 stderr F %s\n" "$GC" >crio.log &&
	tracestat --db crio.db ingest crio.log 2>/dev/null &&
	near "$(sql crio.db "SELECT wall_s FROM gc_cycles")" \
		"$(epoch "d.datetime(2026, 11, 21, 18, 58, 7, 599879, tzinfo=d.timezone.utc)")"
'

test_expect_success 'journalctl -o json-seq: the same rows as -o json' '
	printf "\036%s\n" "$(cat $LEAK/journal.json)" | sed "2,\$ s/^{/\x1e{/" >seq.json &&
	test "$(head -c 1 seq.json | od -An -c | tr -d " ")" = 036 &&
	test "$(grep -c "^{" seq.json)" = 0 &&
	tracestat ingest seq.json >out 2>err &&
	! grep -q warning err &&
	$SAME $LEAK/journal-plain.db tracestat.db --walls $LEAK/jwalls.csv
'

test_expect_success 'the format time wins over a time stamp inside the message' '
	printf "2026-11-21T18:58:07Z stderr F 2020-01-01T00:00:00Z %s\n" "$GC" >cri.log &&
	tracestat ingest cri.log 2>/dev/null &&
	near "$(sql tracestat.db "SELECT wall_s FROM gc_cycles")" \
		"$(epoch "d.datetime(2026, 11, 21, 18, 58, 7, tzinfo=d.timezone.utc)")"
'

test_expect_success 'JSON strings: \uXXXX, surrogate pairs, a lone surrogate, escapes' '
	cat >d.log <<-\EOF &&
	{"log":"caf\u00e9 \ud83d\ude42 \u003cb\u003e \"q\" \\ \/ \t|\n","stream":"stdout","time":"2026-11-21T18:58:07Z"}
	{ "attrs" : {"tag":"a}\"]", "n":[1, {"x": [true, null, -1.5e3]}]}, "log":"lone \udc00 and \ud800 end\n","stream":"stdout","time":"2026-11-21T18:58:07Z" }
	EOF
	tracestat ingest d.log >out 2>err &&
	cat >expect.py <<-\EOF &&
	import sys
	sys.stdout.buffer.write("caf\u00e9 \U0001F642 <b> \"q\" \\ / \t|\n"
	                        "lone \ufffd and \ufffd end\n".encode())
	EOF
	python3 expect.py >expect &&
	cmp expect out
'

test_expect_success 'journal MESSAGE as bytes, with several lines, and given twice' '
	cat >j.json <<-\EOF &&
	{"__REALTIME_TIMESTAMP":"1795287487000001","MESSAGE":[104,105,9,255,27,91,48,109]}
	{"__REALTIME_TIMESTAMP":"1795287487000002","MESSAGE":"one\ntwo"}
	{"__REALTIME_TIMESTAMP":"1795287487000003","MESSAGE":["first",[115,101,99]]}
	{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1795287487000004"}
	EOF
	tracestat ingest j.json >out 2>err &&
	printf "hi\t\377\033[0m\none\ntwo\nfirst\nsec\n" >expect &&
	cmp expect out
'

test_expect_success 'a line split into P pieces across both streams, and a P never finished' '
	cat >p.log <<-\EOF &&
	2026-11-21T18:58:07.1Z stdout P hel
	2026-11-21T18:58:07.2Z stderr P gc 1 @0.002s 1%: 0.007+0.39+0.002 ms clock, 0.014+0.022/0.044/0.090+0.005 ms cpu,
	2026-11-21T18:58:07.3Z stdout F lo
	2026-11-21T18:58:07.4Z stderr F  3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P
	2026-11-21T18:58:07.5Z stdout F
	2026-11-21T18:58:07.6Z stdout P never ended
	EOF
	tracestat ingest p.log >out 2>err &&
	printf "hello\n\nnever ended" >expect &&
	cmp expect out &&
	test "$(sql tracestat.db "SELECT gc_num || char(32) || repaired || char(32) || line_no FROM gc_cycles")" = "1 0 2" &&
	near "$(sql tracestat.db "SELECT wall_s FROM gc_cycles")" \
		"$(epoch "d.datetime(2026, 11, 21, 18, 58, 7, 200000, tzinfo=d.timezone.utc)")"
'

test_expect_success 'a joined line over 1 MiB passes through whole, in bounded memory' '
	python3 -c "
import sys
w = sys.stdout.write
for i in range(80):
    w(\"2026-11-21T18:58:07Z stdout P \" + chr(97 + i % 26) * 16384 + \"\n\")
w(\"2026-11-21T18:58:07Z stdout F end\n\")
w(\"2026-11-21T18:58:08Z stderr F $GC\n\")
" >long.log &&
	tracestat ingest long.log >out 2>err &&
	python3 -c "
import sys
sys.stdout.write(\"\".join(chr(97 + i % 26) * 16384 for i in range(80)) + \"end\n\")
" >expect &&
	cmp expect out &&
	test "$(sql tracestat.db "SELECT overlong_lines || char(32) || gc_cycles FROM runs")" = "1 1"
'

test_expect_success 'malformed records: skipped with file:line and why, counted, the rest stored' '
	{
		sed -n 1,10p $LEAK/0.log &&
		echo "not a cri line" &&
		echo "2026-13-45T99:00:00Z stderr F bad time" &&
		echo "2026-11-21T18:58:07Z stdin F bad stream" &&
		echo "2026-11-21T18:58:07Z stderr X bad tag" &&
		printf "\000\000\000\n" &&
		sed -n "11,\$p" $LEAK/0.log
	} >bad.log &&
	tracestat ingest bad.log >out 2>err &&
	cat err &&
	grep -q "^tracestat: warning: .bad.log.:11: malformed CRI record skipped: no RFC 3339 time stamp first\$" err &&
	grep -q "^tracestat: warning: .bad.log.:12: malformed CRI record skipped" err &&
	grep -q "^tracestat: warning: .bad.log.:13: malformed CRI record skipped: the stream is not stdout or stderr\$" err &&
	grep -q "^tracestat: warning: .bad.log.:14: malformed CRI record skipped: the tag is not F or P\$" err &&
	grep -q "^tracestat: warning: .bad.log.:15: malformed CRI record skipped" err &&
	test "$(grep -c warning err)" = 5 &&
	cmp $LEAK/app.out out &&
	$SAME $LEAK/plain.db tracestat.db --stream stderr --walls $LEAK/walls.csv
'

test_expect_success 'malformed JSON records: skipped with why, never a crash' '
	cat >bad.part <<-\EOF &&
	{"log":"cut
	{"log":123,"stream":"stdout","time":"2026-11-21T18:58:07Z"}
	{"log":"bad \x escape","stream":"stdout","time":"2026-11-21T18:58:07Z"}
	{"stream":"stdout","time":"2026-11-21T18:58:07Z"}
	{"log":"x\n","stream":"stdout","time":"2026-11-21T18:58:07Z"} trailing
	{"log":"x\n","stream":"stdout","time":"yesterday"}
	EOF
	{ head -n 5 $LEAK/json.log && cat bad.part && sed -n "6,\$p" $LEAK/json.log; } >bad.log &&
	tracestat ingest bad.log >out 2>err &&
	cat err &&
	grep -q "^tracestat: warning: .bad.log.:6: malformed Docker json-file record skipped: \"log\" is not a JSON string\$" err &&
	grep -q "^tracestat: warning: .bad.log.:7: malformed Docker json-file record skipped: \"log\" is not a JSON string\$" err &&
	grep -q "^tracestat: warning: .bad.log.:8: malformed Docker json-file record skipped: \"log\" is not a JSON string\$" err &&
	grep -q "^tracestat: warning: .bad.log.:9: malformed Docker json-file record skipped: no \"log\" field\$" err &&
	grep -q "^tracestat: warning: .bad.log.:10: malformed Docker json-file record skipped: text after the JSON object\$" err &&
	grep -q "^tracestat: warning: .bad.log.:11: malformed Docker json-file record skipped: \"time\" is not an RFC 3339 time: .yesterday.\$" err &&
	test "$(grep -c warning err)" = 6 &&
	cmp $LEAK/app.out out &&
	$SAME $LEAK/plain.db tracestat.db --stream stderr --walls $LEAK/walls.csv
'

test_expect_success 'journal MESSAGE null or not bytes: skipped and said why' '
	{
		echo "{\"__REALTIME_TIMESTAMP\":\"1795287487000001\",\"MESSAGE\":null}" &&
		echo "{\"__REALTIME_TIMESTAMP\":\"1795287487000002\",\"MESSAGE\":[104,300]}" &&
		echo "{\"__REALTIME_TIMESTAMP\":\"soon\",\"MESSAGE\":\"x\"}" &&
		cat $LEAK/journal.json
	} >j.json &&
	tracestat ingest j.json >out 2>err &&
	grep -q "^tracestat: warning: .j.json.:1: malformed journal JSON record skipped: \"MESSAGE\" is null (journalctl leaves out fields over 4096 bytes unless run with --all)\$" err &&
	grep -q "^tracestat: warning: .j.json.:2: .*\"MESSAGE\" is not a string or an array of bytes\$" err &&
	grep -q "^tracestat: warning: .j.json.:3: .*\"__REALTIME_TIMESTAMP\" is not a number of microseconds\$" err &&
	cmp $LEAK/japp.out out
'

test_expect_success 'past ten malformed records, one count instead of a line each' '
	{ sed -n 1p $LEAK/0.log; for i in $(seq 1 25); do echo "junk $i"; done; } >bad.log &&
	tracestat ingest bad.log >out 2>err &&
	test "$(grep -c "malformed CRI record skipped" err)" = 10 &&
	grep -q "^tracestat: warning: 25 malformed records skipped in all\$" err
'

test_expect_success 'random bytes in every format: no crash, no hang' '
	python3 -c "
import random, sys
random.seed(250)
out = bytearray()
for i in range(3000):
    k = random.random()
    if k < 0.3:
        out += bytes(random.randrange(256) for _ in range(random.randrange(80)))
    elif k < 0.6:
        out += b\"2026-11-21T18:58:07Z std\" + random.choice([b\"out\", b\"err\"]) + b\" \" + random.choice(b\"FPX\").to_bytes(1, \"big\") + b\" \" + bytes(random.randrange(256) for _ in range(random.randrange(60)))
    else:
        s = \"{\\\"log\\\":\\\"\" + \"\".join(random.choice([\"\\\\u\", \"\\\\ud800\", \"\\\\\\\"\", \"a\", \"\\\\\", \"\\\"\", \"{\", \"[\"]) for _ in range(20))
        out += s.encode()
    out += b\"\n\"
sys.stdout.buffer.write(bytes(out))
" >rnd &&
	for f in auto text cri docker-json journal-json; do
		expect_exit 0 tracestat --db $f.db ingest --input-format $f rnd >/dev/null 2>&1 || return 1
	done &&
	sed "s/^/{\"MESSAGE\":[1,/" rnd >rnd.json &&
	expect_exit 0 tracestat ingest --input-format journal-json rnd.json >/dev/null 2>&1
'

test_expect_success '--input-format text reads a CRI file as text; cri refuses plain text' '
	tracestat --db t.db ingest --input-format text $LEAK/0.log >out 2>/dev/null &&
	grep " stdout F " $LEAK/0.log >records &&
	test "$(grep -c -x -F -f records out)" = "$(wc -l <records)" &&
	tracestat --db c.db ingest --input-format cri $LEAK/plain.log >out 2>err &&
	test ! -s out &&
	grep -q "^tracestat: warning: $(wc -l <$LEAK/plain.log) malformed records skipped in all\$" err
'

test_expect_success '--input-format: a wrong value is a usage error' '
	expect_exit 2 tracestat ingest --input-format yaml in 2>err &&
	grep -q "^tracestat: error: --input-format is auto, text, cri, docker-json or journal-json, not .yaml.\$" err
'

test_expect_success 'the format is told per file by its content, not its name' '
	cp $LEAK/json.log 0.log && cp $LEAK/0.log app.json &&
	tracestat ingest 0.log app.json >out 2>err &&
	! grep warning err &&
	test "$(sql tracestat.db "SELECT count(*) FROM gc_cycles")" = 378
'

# wait_for CMD: up to 10 s for CMD to succeed (not a timing test: the
# bound only stops a hung test).
wait_for() {
	i=0
	while ! eval "$1"; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}

test_expect_success 'a live CRI stream on a pipe: lines decoded and stored as they come' '
	mkfifo pipe || exit 1
	( printf "2026-11-21T18:58:07Z stdout F (app) started\n2026-11-21T18:58:08Z stderr F %s\n" "$GC"; sleep 30 ) >pipe &
	writer=$!
	"$TRACESTAT" ingest <pipe >out 2>err &
	pid=$!
	wait_for "grep -q \"^(app) started\$\" out" || exit 1
	wait_for "[ \"\$(sql tracestat.db \"SELECT count(*) FROM gc_cycles\" 2>/dev/null)\" = 1 ]" || exit 1
	kill -INT $pid
	wait $pid
	kill $writer 2>/dev/null
	grep -q "^tracestat: run 1: 1 gc cycles" err
'

test_expect_success 'a live text stream starting with a magic byte is not held up' '
	mkfifo pipe || exit 1
	( printf "(starting)\n"; sleep 30 ) >pipe &
	writer=$!
	"$TRACESTAT" ingest <pipe >out 2>err &
	pid=$!
	wait_for "grep -q \"^(starting)\$\" out" || exit 1
	kill -INT $pid
	wait $pid
	kill $writer 2>/dev/null
	true
'

test_done
