#!/bin/sh
# tracestat report: one self-contained HTML page with the context, the key
# figures and their verdicts, the plots inlined, the tables and the
# definitions.  Verdicts are checked against the samples' truth files
# (written by the Go programs themselves) and counts against
# tests/plotcheck.py working from the raw logs; t1621 looks at the pages in
# a browser.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
CHECK="python3 $SRCDIR/tests/plotcheck.py"

# A gnuplot that draws nothing but writes a small SVG where it is asked.
mkdir -p "$TEST_TMP/bin"
cat >"$TEST_TMP/bin/fake-gnuplot" <<'FAKE'
#!/bin/sh
out=$(sed -n "s/^set output '\(.*\)'\$/\1/p")
test -n "$out" || exit 1
printf '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5" height="5"/></svg>\n' >"$out"
FAKE
chmod +x "$TEST_TMP/bin/fake-gnuplot"
FAKE=$TEST_TMP/bin/fake-gnuplot

# The images of a page, one a line: their data: URI heads.
images() {
	grep -o '<img src="[^"]*"' "$1" | cut -c1-46
}
# The verdict badge of key figure $2 of segment $3 (1) in page $1.
badge() {
	grep -o "data-figure=\"$2\" data-segment=\"${3:-1}\"[^>]*>[^<]*</div><div class=\"verdict\"><span class=\"v [a-z]*\">[^<]*<" "$1" |
	    sed 's/.*<span class="v \([a-z]*\)">\([^<]*\)<$/\1 \2/'
}
# The text of key figure $2 of segment $3 (1) in page $1.
figure() {
	grep -o "data-figure=\"$2\" data-segment=\"${3:-1}\"[^>]*>[^<]*<" "$1" |
	    sed 's/.*>\([^<]*\)<$/\1/'
}

test_expect_success 'leak: one page, its verdicts and its counts' '
	tracestat ingest -q --name leak "$S/leak.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" >out &&
	echo tracestat-report-leak.html >expect && test_cmp expect out &&
	p=tracestat-report-leak.html &&
	test "$(ls | grep -v "^tracestat\.db" | tr "\n" " ")" = "expect out $p " &&
	test "$(badge $p peak-heap)" = "bad $(sed -n "s/^verdict_expected=//p" "$S/leak.truth")" &&
	over=$($CHECK over "$S/leak.log" 100) &&
	test "$(figure $p cycles-over)" = "$over" &&
	test "$(badge $p cycles-over)" = "bad over 100 µs" &&
	grep -q "of $($CHECK expect pauses "$S/leak.log") cycles" $p &&
	test "$(badge $p threads)" = "good $(sed -n "s/^threads_expected=//p" "$S/leak.truth")" &&
	grep -q "^<!DOCTYPE html>" $p && grep -q "</html>\$" $p &&
	test "$(images $p | sort -u)" = "<img src=\"data:image/svg+xml;base64,PHN2ZyB3aW" &&
	test "$(images $p | wc -l)" = "$(grep -c "<figure class=\"plot\"" $p)" &&
	test "$(images $p | wc -l)" -ge 4
'

test_expect_success 'one heap rate on the page: every MiB/min is a named leak trend' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" -o r.html >/dev/null &&
	sed "s/<[^>]*>/ /g" r.html | grep -o "[A-Za-z -]*[+-][0-9.]* MiB/min" >rates &&
	test -s rates &&
	! grep -v "leak trend " rates
'

test_expect_success 'the order of the page: context, key figures, plots, tables, definitions' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" -o r.html >/dev/null &&
	{ grep -o "<section id=\"[a-z]*\"" r.html | tr "\n" " "; echo; } >got &&
	echo "<section id=\"context\" <section id=\"figures\" <section id=\"plots\" <section id=\"tables\" <section id=\"definitions\" " >want &&
	test_cmp want got &&
	for id in $(grep -o "href=\"#def-[a-z0-9-]*\"" r.html | sed "s/.*#//; s/\"//" | sort -u); do
		test "$(grep -c "<dt id=\"$id\">" r.html)" = 1 || { echo "$id"; exit 1; }
	done &&
	! grep -q "src=\"http\|href=\"http\|<script\|<link" r.html
'

test_expect_success 'the context: labels of the run, GODEBUG, Go version' '
	tracestat ingest -q -l go_version=go1.19.8 -l godebug=gctrace=1,schedtrace=1000 \
	    -l cmd="./srv -port 80" -l team=a "$S/leak.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" -o r.html >/dev/null &&
	grep -q "<tr><th>command</th><td><code>./srv -port 80</code></td></tr>" r.html &&
	grep -q "<tr><th>Go version</th><td><code>go1.19.8</code></td></tr>" r.html &&
	grep -q "<tr><th>GODEBUG</th><td><code>gctrace=1,schedtrace=1000</code></td></tr>" r.html &&
	grep -q "<tr><th>labels</th><td><code>team=a</code></td></tr>" r.html &&
	grep -q "<tr><th>not recorded</th><td>main module " r.html
'

test_expect_success 'steady: no-leak, and --over changes the pause count' '
	tracestat ingest -q "$S/steady.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" --over 1ms -o r.html >out &&
	echo r.html >expect && test_cmp expect out &&
	test "$(badge r.html peak-heap)" = "good $(sed -n "s/^verdict_expected=//p" "$S/steady.truth")" &&
	test "$(figure r.html cycles-over)" = "$($CHECK over "$S/steady.log" 1000)" &&
	grep -q "of $($CHECK expect pauses "$S/steady.log") cycles ([0-9.]*%) had a phase over 1.00 ms" r.html
'

test_expect_success 'threads: the growing thread count is the verdict' '
	tracestat ingest -q "$S/threads.log" 2>/dev/null &&
	test "$(sed -n "s/^threads_expected=//p" "$S/threads.truth")" = growing &&
	tracestat report --gnuplot "$FAKE" -o r.html >/dev/null &&
	test "$(badge r.html threads)" = "bad growing"
'

test_expect_success 'saturate: "at times" or "most of the time" is a warning or bad, never grey' '
	tracestat ingest -q "$S/saturate.log" 2>/dev/null &&
	test "$(sed -n "s/^saturated_expected=//p" "$S/saturate.truth")" = yes &&
	tracestat report --gnuplot "$FAKE" -o r.html >/dev/null &&
	share=$(python3 "$SRCDIR/tests/schedref.py" summary "$S/saturate.log" | python3 -c "import csv,sys; print(float(next(csv.DictReader(sys.stdin))[\"saturated_share\"]))") &&
	case $(badge r.html saturated) in
	"bad most of the time") python3 -c "import sys; assert float(sys.argv[1]) >= 0.5" $share ;;
	"warn at times") python3 -c "import sys; assert 0 < float(sys.argv[1]) < 0.5" $share ;;
	*) badge r.html saturated; exit 1 ;;
	esac
'

# gc lines (Go 1.19) every 100 ms on 2 Ps: 8.0+30+8.0 ms clock, and CPU
# fields S+10/B/2+S ms cpu, the background marking B rising by 1 ms every
# other cycle from B0 (each CPU time within its phase's clock x 2 Ps).
gclines() {
	python3 -c "import sys
n, s, b0 = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ms = lambda v: \"%.1f\" % v if v < 10 else \"%d\" % v
for i in range(n):
    print(\"gc %d @%.3fs 5%%: 8.0+30+8.0 ms clock, %s+10/%s/2.0+%s ms cpu, 4->6->3 MB, 6 MB goal, 0 MB stacks, 0 MB globals, 2 P\" % (i + 1, 1 + i * 0.1, ms(s), ms(b0 + i // 2), ms(s)))" "$@"
}
# GC CPU by its definition: the CPU of cycle n over 2 Ps x 100 ms, every
# cycle but the last, idle marking (the 2) left out.
gcpct() {
	python3 -c "import sys
n, s, b0 = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
print(\"%.1f%%\" % (100 * sum(s + 10 + b0 + i // 2 + s for i in range(n - 1)) / ((n - 1) * 200.0)))" "$@"
}

test_expect_success 'GC CPU is a verdict: over 25% is bad, under it good' '
	gclines 40 15 20 >high.log && gclines 40 1 1 >low.log &&
	tracestat --db h.db ingest -q high.log 2>/dev/null &&
	tracestat --db l.db ingest -q low.log 2>/dev/null &&
	tracestat --db h.db report --gnuplot "$FAKE" -o h.html >/dev/null &&
	tracestat --db l.db report --gnuplot "$FAKE" -o l.html >/dev/null &&
	test "$(figure h.html gc-cpu)" = "$(gcpct 40 15 20)" &&
	test "$(badge h.html gc-cpu)" = "bad over 25%" &&
	test "$(figure l.html gc-cpu)" = "$(gcpct 40 1 1)" &&
	test "$(badge l.html gc-cpu)" = "good under 25%" &&
	tracestat --db h.db summary | grep -q "^  gc cpu     $(gcpct 40 15 20) of the Ps. time (high: over 25%)" &&
	! tracestat --db l.db summary | grep -q "high: over"
'

test_expect_success 'restart: one row of key figures per segment' '
	tracestat ingest -q "$S/restart.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" -o r.html >/dev/null &&
	n=$(sed -n "s/^processes=//p" "$S/restart.truth") &&
	test "$(grep -c "data-figure=\"gc-cpu\"" r.html)" = "$n" &&
	test "$(grep -c "<table class=\"figs\">" r.html)" = 1 &&
	tracestat report --gnuplot "$FAKE" --segment 2 -o r2.html >/dev/null &&
	test "$(grep -c "data-figure=\"gc-cpu\"" r2.html)" = 1 &&
	grep -q "data-figure=\"gc-cpu\" data-segment=\"2\"" r2.html
'

test_expect_success 'the old form: -o DIR/ or an existing directory gives DIR/index.html' '
	tracestat ingest -q "$S/periodic.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" -o d/ >out &&
	echo d/index.html >expect && test_cmp expect out &&
	mkdir e && tracestat report --gnuplot "$FAKE" -o e >out &&
	echo e/index.html >expect && test_cmp expect out &&
	test "$(ls d e | tr "\n" " ")" = "d: index.html  e: index.html "
'

test_expect_success 'an SVG too large to mail is drawn again as PNG' '
	cat >big-gnuplot <<-\EOF &&
	#!/bin/sh
	script=$(cat)
	out=$(printf "%s\n" "$script" | sed -n "s/^set output .\(.*\).\$/\1/p")
	case $script in
	*"set terminal svg"*)
		python3 -c "import sys; sys.stdout.write(\"<svg xmlns=\\\"http://www.w3.org/2000/svg\\\">\" + \"<!-- -->\" * 400000 + \"</svg>\")" >"$out" ;;
	*) printf "\211PNG\r\n\032\nfake" >"$out" ;;
	esac
	EOF
	chmod +x big-gnuplot &&
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat report --gnuplot ./big-gnuplot -o r.html >/dev/null &&
	test "$(images r.html | sort -u | cut -c1-32)" = "<img src=\"data:image/png;base64," &&
	grep -o "data:image/png;base64,[^\"]*" r.html | head -1 | cut -d, -f2 | base64 -d | head -c 4 | grep -q PNG &&
	test "$(images r.html | wc -l)" = "$(grep -c "<figure class=\"plot\"" r.html)"
'

NASTY='<b>&"x'"'"'</b>'
test_expect_success 'run names and sources are escaped as HTML' '
	tracestat ingest -q --name "$NASTY" "$S/periodic.log" 2>/dev/null &&
	tracestat report --gnuplot "$FAKE" -o r.html >/dev/null &&
	grep -q "run 1 &lt;b&gt;&amp;&quot;x&#39;&lt;/b&gt;" r.html &&
	! grep -q "<b>&" r.html
'

test_expect_success 'gnuplot missing: the page is written without images, exit 6' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	expect_exit 6 tracestat report --gnuplot "$TEST_TMP/none/gnuplot" -o r.html >out 2>err &&
	echo r.html >expect && test_cmp expect out &&
	grep -q "cannot run .*install gnuplot" err &&
	grep -q "not drawn" r.html &&
	test -z "$(images r.html)" &&
	test "$(ls "${TMPDIR:-/tmp}" | grep -c "^tracestat-report\.")" = 0 || true
'

test_expect_success 'usage: --run all and extra arguments are refused; unknown run' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	expect_exit 2 tracestat report --run all 2>err &&
	expect_exit 2 tracestat report extra 2>err &&
	expect_exit 4 tracestat report --run nosuch --gnuplot "$FAKE" 2>err &&
	expect_exit 4 tracestat report --segment 7 --gnuplot "$FAKE" -o r.html 2>err &&
	grep -q "no segment 7" err && test ! -e r.html
'

if command -v gnuplot >/dev/null 2>&1; then
	for log in "$S"/*.log; do
		name=$(basename "$log" .log)
		test_expect_success "$name: report with real SVG images inline" "
			tracestat ingest -q '$log' 2>/dev/null &&
			tracestat report -o r.html >out 2>err &&
			{ test ! -s err || { cat err; exit 1; }; } &&
			test \"\$(images r.html | wc -l)\" = \"\$(grep -c '<figure class=\"plot\"' r.html)\" &&
			grep -o 'data:image/svg+xml;base64,[^\"]*' r.html | cut -d, -f2 >b64 &&
			while read -r b; do
				printf %s \"\$b\" | base64 -d >img.svg &&
				tr '\\n' ' ' <img.svg | grep -q '<svg[^>]* width=\"800\" height=\"400\"' &&
				grep -q '</svg>' img.svg || exit 1
			done <b64
		"
	done
else
	test_skip 'reports with real images' 'gnuplot is not installed'
fi

test_done
