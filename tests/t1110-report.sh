#!/bin/sh
# tracestat report: one HTML page with the verdicts, the tables and every
# plot beside it.  Verdicts are checked against the samples' truth files
# (written by the Go programs themselves) and counts against
# tests/plotcheck.py working from the raw logs.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
CHECK="python3 $SRCDIR/tests/plotcheck.py"

mkdir -p "$TEST_TMP/bin"
cat >"$TEST_TMP/bin/fake-gnuplot" <<'FAKE'
#!/bin/sh
cat >/dev/null
exit 0
FAKE
chmod +x "$TEST_TMP/bin/fake-gnuplot"
FAKE=$TEST_TMP/bin/fake-gnuplot

# The images a page shows, one a line.
images() {
	grep -o '<img src="[^"]*"' "$1" | sed 's/^<img src="//; s/"$//'
}

test_expect_success 'leak: the page, its verdicts and its counts' '
	tracestat ingest -q --name leak "$S/leak.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" >out &&
	echo tracestat-report-leak/index.html >expect && test_cmp expect out &&
	p=tracestat-report-leak/index.html &&
	test "$(sed -n "s/^verdict_expected=//p" "$S/leak.truth")" = leak &&
	grep -q "<li>Heap, segment 1: <span class=\"v bad\">leak</span>" $p &&
	over=$($CHECK over "$S/leak.log" 100) &&
	n=$($CHECK expect pauses "$S/leak.log") &&
	grep -q "$over of $n cycles over 100 µs" $p &&
	grep -q "<h2>Stop-the-world pauses</h2>" $p &&
	grep -q "<h2>Scheduler</h2>" $p &&
	grep -q "^<!DOCTYPE html>" $p && grep -q "</html>\$" $p &&
	test "$(images $p | tr "\n" " ")" = "heap.png pauses.png sched.png gc-cpu.png pause-dist.png "
'

test_expect_success 'steady: no-leak, and --over changes the pause count' '
	tracestat ingest -q "$S/steady.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" --over 1ms -o r >out &&
	echo r/index.html >expect && test_cmp expect out &&
	test "$(sed -n "s/^verdict_expected=//p" "$S/steady.truth")" = no-leak &&
	grep -q "<li>Heap, segment 1: <span class=\"v good\">no-leak</span>" r/index.html &&
	over=$($CHECK over "$S/steady.log" 1000) &&
	grep -q "$over of $($CHECK expect pauses "$S/steady.log") cycles over 1.00 ms" r/index.html
'

test_expect_success 'threads: the growing thread count is the verdict' '
	tracestat ingest -q "$S/threads.log" 2>/dev/null &&
	test "$(sed -n "s/^threads_expected=//p" "$S/threads.truth")" = growing &&
	tracestat report --gnuplot "$FAKE" -o r >/dev/null &&
	grep -q "<li>Scheduler, segment 1: threads <span class=\"v bad\">growing</span>" r/index.html
'

test_expect_success 'restart: one section per segment' '
	tracestat ingest -q "$S/restart.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" -o r >/dev/null &&
	test "$(grep -c "<li>Heap, segment" r/index.html)" = "$(sed -n "s/^processes=//p" "$S/restart.truth")" &&
	tracestat report --gnuplot "$FAKE" --segment 2 -o r2 >/dev/null &&
	test "$(grep -c "<li>Heap, segment" r2/index.html)" = 1 &&
	grep -q "<li>Heap, segment 2:" r2/index.html
'

NASTY='<b>&"x'"'"'</b>'
test_expect_success 'run names and sources are escaped as HTML' '
	tracestat ingest -q --name "$NASTY" "$S/periodic.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" -o r >/dev/null &&
	grep -q "run 1 &lt;b&gt;&amp;&quot;x&#39;&lt;/b&gt;" r/index.html &&
	! grep -q "<b>&" r/index.html
'

test_expect_success 'gnuplot missing: the page is written without images, exit 6' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	expect_exit 6 tracestat report --gnuplot "$TEST_TMP/none/gnuplot" -o r >out 2>err &&
	echo r/index.html >expect && test_cmp expect out &&
	grep -q "cannot run .*install gnuplot" err &&
	grep -q "not drawn" r/index.html &&
	test -z "$(images r/index.html)"
'

test_expect_success 'usage: --run all and extra arguments are refused; unknown run' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	expect_exit 2 tracestat report --run all 2>err &&
	expect_exit 2 tracestat report extra 2>err &&
	expect_exit 4 tracestat report --run nosuch --gnuplot "$FAKE" 2>err &&
	expect_exit 4 tracestat report --segment 7 --gnuplot "$FAKE" -o r 2>err &&
	grep -q "no segment 7" err
'

if command -v gnuplot >/dev/null 2>&1; then
	for log in "$S"/*.log; do
		name=$(basename "$log" .log)
		test_expect_success "$name: report with real images that exist" "
			tracestat ingest -q '$log' 2>/dev/null &&
			tracestat report -o r >out 2>err &&
			{ test ! -s err || { cat err; exit 1; }; } &&
			test \"\$(images r/index.html | wc -l)\" = 5 &&
			for img in \$(images r/index.html); do
				$CHECK png r/\$img 1200 600 8000 || exit 1
			done
		"
	done
else
	test_skip 'reports with real images' 'gnuplot is not installed'
fi

test_done
