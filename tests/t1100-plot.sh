#!/bin/sh
# tracestat plot: the generated gnuplot script checked as text with a fake
# gnuplot (data rows counted independently from the logs with
# tests/refparse.py through tests/plotcheck.py), gnuplot missing or failing,
# and, when gnuplot is installed, real images of every kind of every sample.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
CHECK="python3 $SRCDIR/tests/plotcheck.py"

# A fake gnuplot that keeps its standard input and succeeds, and one that
# complains and fails.
mkdir -p "$TEST_TMP/bin"
cat >"$TEST_TMP/bin/fake-gnuplot" <<'FAKE'
#!/bin/sh
[ "$1" = - ] || { echo "fake-gnuplot: expected '-', got '$*'" >&2; exit 3; }
cat >fake-stdin.gp
exit 0
FAKE
cat >"$TEST_TMP/bin/bad-gnuplot" <<'FAKE'
#!/bin/sh
cat >/dev/null
echo "line 7: undefined variable: oops" >&2
exit 1
FAKE
chmod +x "$TEST_TMP/bin/fake-gnuplot" "$TEST_TMP/bin/bad-gnuplot"
FAKE=$TEST_TMP/bin/fake-gnuplot
BAD=$TEST_TMP/bin/bad-gnuplot

for kind in heap pauses sched gc-cpu; do
	# gnuplot draws into a fresh file beside p.png, renamed over it
	# (never through a link at p.png): only that line differs.
	test_expect_success "$kind: script written with --script equals what gnuplot read" "
		tracestat ingest -q '$S/leak.log' 2>/dev/null &&
		tracestat plot $kind --script --gnuplot '$FAKE' -o p.png >out &&
		printf 'p.png\np.gp\n' >expect && test_cmp expect out &&
		grep -v '^set output ' p.gp >kept && grep -v '^set output ' fake-stdin.gp >read &&
		cmp kept read &&
		grep -q \"^set output '\\.p\\.png\\.[A-Za-z0-9]\\{6\\}'\$\" fake-stdin.gp &&
		grep -q \"^set output 'p.png'\$\" p.gp &&
		grep -q '^unset output\$' p.gp
	"
done

test_expect_success 'heap: one data row per gc cycle, axis labels, leak line' "
	tracestat ingest -q '$S/leak.log' 2>/dev/null &&
	tracestat plot heap --gnuplot '$FAKE' >/dev/null &&
	test \"\$($CHECK rows fake-stdin.gp gc)\" = \"\$($CHECK expect heap '$S/leak.log')\" &&
	grep -q \"^set xlabel 'time since process start (s)'\$\" fake-stdin.gp &&
	grep -q \"^set ylabel 'heap (MiB)'\$\" fake-stdin.gp &&
	test \"\$($CHECK rows fake-stdin.gp fit)\" = 2 &&
	grep -q \"title 'leak: fitted live-heap floor, +[0-9.]* MiB/min'\" fake-stdin.gp
"

test_expect_success 'heap: no leak line for a steady heap' "
	tracestat ingest -q '$S/steady.log' 2>/dev/null &&
	tracestat plot heap --gnuplot '$FAKE' >/dev/null &&
	! grep -q 'fit' fake-stdin.gp
"

test_expect_success 'pauses: rows, threshold line and the count over it' "
	tracestat ingest -q '$S/leak.log' 2>/dev/null &&
	tracestat plot pauses --over 200us --gnuplot '$FAKE' >/dev/null &&
	test \"\$($CHECK rows fake-stdin.gp gc)\" = \"\$($CHECK expect pauses '$S/leak.log')\" &&
	grep -q '^thr = 200' fake-stdin.gp &&
	grep -q '^set logscale y' fake-stdin.gp &&
	grep -q 'thr with lines' fake-stdin.gp &&
	grep -q \"^set ylabel 'stop-the-world pause (µs, log scale\" fake-stdin.gp &&
	over=\$($CHECK over '$S/leak.log' 200) &&
	test \"\$over\" -gt 0 &&
	grep -q \"(\$over of \$($CHECK expect pauses '$S/leak.log') cycles over)\" fake-stdin.gp
"

# Pauses printed as "0" (under 1 us) cannot sit on a log axis.
cat >"$TEST_TMP/zero.log" <<'LOG'
gc 1 @0.002s 1%: 0+0.39+0.002 ms clock, 0+0.022/0.044/0.090+0.005 ms cpu, 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 2 @0.005s 3%: 0.034+0.66+0 ms clock, 0.069+0/0.072/0.058+0 ms cpu, 7->8->8 MB, 8 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 3 @0.076s 0%: 0.30+0.62+0.002 ms clock, 0.60+0.15/0.12/0+0.004 ms cpu, 15->16->8 MB, 16 MB goal, 0 MB stacks, 0 MB globals, 2 P
LOG
ZERO=$TEST_TMP/zero.log

test_expect_success 'pauses: 0 us pauses are drawn at the 0.5 us floor and the label says so' '
	tracestat ingest -q "$ZERO" 2>/dev/null &&
	tracestat plot pauses --gnuplot "$FAKE" >/dev/null &&
	test "$($CHECK rows fake-stdin.gp gc)" = 3 &&
	grep -q "^floor = 0.5" fake-stdin.gp &&
	grep -q "^shown(v) = v < floor ? floor : v" fake-stdin.gp &&
	grep -q "0 = under 1 µs, drawn at 0.5" fake-stdin.gp &&
	grep -q "(1 of 3 cycles over)" fake-stdin.gp &&
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat plot pauses --gnuplot "$FAKE" >/dev/null &&
	! grep -q "drawn at 0.5" fake-stdin.gp
'

test_expect_success 'sched: one row per SCHED sample, gc starts, labels' "
	tracestat ingest -q '$S/saturate.log' 2>/dev/null &&
	tracestat plot sched --gnuplot '$FAKE' >/dev/null &&
	test \"\$($CHECK rows fake-stdin.gp sched)\" = \"\$($CHECK expect sched '$S/saturate.log')\" &&
	test \"\$($CHECK rows fake-stdin.gp gcstart)\" = \"\$($CHECK expect gcstart '$S/saturate.log')\" &&
	grep -q \"^set ylabel 'goroutines, Ps, threads (count)'\$\" fake-stdin.gp
"

test_expect_success 'gc-cpu: every row as computed from the log' "
	tracestat ingest -q '$S/leak.log' 2>/dev/null &&
	tracestat plot gc-cpu --gnuplot '$FAKE' >/dev/null &&
	$CHECK gccpu fake-stdin.gp '$S/leak.log' >n &&
	test \"\$(cat n)\" -gt 100
"

# The expected title line is in a file: gnuplot quoting doubles every '.
ODD=$(printf 'it'"'"'s "odd"\tx')
cat >"$TEST_TMP/odd-title" <<'EXPECT'
set title 'Heap - run 1 ''it''s "odd"x'''
EXPECT
test_expect_success 'title and file name of a run named it'"'"'s "odd" with a tab' '
	tracestat ingest -q --name "$ODD" "$S/leak.log" 2>/dev/null &&
	tracestat plot heap --gnuplot "$FAKE" >out &&
	echo "tracestat-it_s_odd_x-heap.png" >expect && test_cmp expect out &&
	grep "^set title" fake-stdin.gp >actual &&
	test_cmp "$TEST_TMP/odd-title" actual
'

test_expect_success 'restart: segments laid end to end, restarts marked, lines broken' "
	tracestat ingest -q --name r '$S/restart.log' 2>/dev/null &&
	tracestat plot heap --gnuplot '$FAKE' >/dev/null &&
	test \"\$($CHECK rows fake-stdin.gp gc)\" = \"\$($CHECK expect heap '$S/restart.log')\" &&
	test \"\$(grep -c '^set arrow' fake-stdin.gp)\" = 2 &&
	grep -q \"set label 'restart: segment 2'\" fake-stdin.gp &&
	grep -q 'segments 1-3 (3 processes, laid end to end)' fake-stdin.gp &&
	sed -n '/^\\\$gc << EOD/,/^EOD/p' fake-stdin.gp | grep -c '^\$' >blanks &&
	test \"\$(cat blanks)\" = 2
"

test_expect_success 'restart: --segment 2 holds the cycles of the second process only' "
	tracestat ingest -q --name r '$S/restart.log' 2>/dev/null &&
	tracestat plot pauses --segment 2 --gnuplot '$FAKE' >out &&
	echo tracestat-r-seg2-pauses.png >expect && test_cmp expect out &&
	test \"\$($CHECK rows fake-stdin.gp gc)\" = \"\$(sed -n 's/^proc2_num_gc=//p' '$S/restart.truth')\" &&
	! grep -q '^set arrow' fake-stdin.gp
"

test_expect_success 'TRACESTAT_GNUPLOT names the program; --svg and --size reach the terminal' "
	tracestat ingest -q '$S/leak.log' 2>/dev/null &&
	TRACESTAT_GNUPLOT='$FAKE' tracestat plot sched --svg --size 800x400 >out &&
	echo tracestat-1-sched.svg >expect && test_cmp expect out &&
	grep -q '^set terminal svg size 800,400 ' fake-stdin.gp
"

test_expect_success 'gnuplot missing: exit 6 and a clear message' "
	tracestat ingest -q '$S/leak.log' 2>/dev/null &&
	expect_exit 6 tracestat plot heap --gnuplot '$TEST_TMP/no/such/gnuplot' >out 2>err &&
	test ! -s out &&
	grep -q \"^tracestat: error: cannot run '$TEST_TMP/no/such/gnuplot': No such file or directory (install gnuplot\" err
"

test_expect_success 'gnuplot failing: exit 6 with its stderr shown' "
	tracestat ingest -q '$S/leak.log' 2>/dev/null &&
	expect_exit 6 tracestat plot heap --gnuplot '$BAD' >out 2>err &&
	test ! -s out &&
	grep -q \"^tracestat: error: '$BAD' failed with exit status 1\\\$\" err &&
	grep -q '^gnuplot: line 7: undefined variable: oops\$' err
"

test_expect_success 'usage errors: no kind, unknown kind, bad size, bad --over, -o with two runs' "
	tracestat ingest -q '$S/leak.log' '$S/steady.log' 2>/dev/null &&
	tracestat ingest -q '$S/steady.log' 2>/dev/null &&
	expect_exit 2 tracestat plot 2>err && grep -q 'which plot' err &&
	expect_exit 2 tracestat plot heat 2>err && grep -q \"unknown plot 'heat'\" err &&
	expect_exit 2 tracestat plot heap --size 12x6 2>err &&
	expect_exit 2 tracestat plot pauses --over 100 2>err &&
	expect_exit 2 tracestat plot heap --run all -o x.png --gnuplot '$FAKE' 2>err &&
	grep -q 'selects 2 runs' err &&
	tracestat plot heap --run all --gnuplot '$FAKE' >out &&
	printf 'tracestat-1-heap.png\ntracestat-2-heap.png\n' >expect && test_cmp expect out &&
	expect_exit 4 tracestat plot heap --segment 9 --gnuplot '$FAKE' 2>err &&
	grep -q 'no segment 9' err
"

# Real gnuplot.
if command -v gnuplot >/dev/null 2>&1; then
	for log in "$S"/*.log; do
		name=$(basename "$log" .log)
		test_expect_success "$name: every kind drawn as a PNG of the asked size" "
			tracestat ingest -q '$log' 2>/dev/null &&
			for kind in heap pauses sched gc-cpu; do
				tracestat plot \$kind --size 900x450 -o \$kind.png >out 2>err || exit 1
				test ! -s err || { cat err; exit 1; }
				$CHECK png \$kind.png 900 450 8000 || exit 1
			done
		"
	done

	test_expect_success 'default size 1200x600; gnuplot FILE.gp alone draws the image again' "
		tracestat ingest -q '$S/leak.log' 2>/dev/null &&
		tracestat plot heap --script -o h.png >/dev/null &&
		$CHECK png h.png 1200 600 20000 &&
		mv h.png first.png &&
		gnuplot h.gp 2>err && test ! -s err &&
		$CHECK png h.png 1200 600 20000 &&
		cmp first.png h.png
	"

	test_expect_success 'svg: an SVG document of the asked size' "
		tracestat ingest -q '$S/saturate.log' 2>/dev/null &&
		tracestat plot sched --svg --size 1000x500 -o s.svg >/dev/null &&
		grep -q '<svg' s.svg &&
		grep -q 'width=\"1000\" height=\"500\"' s.svg
	"
else
	test_skip 'real PNGs of every sample' 'gnuplot is not installed'
fi

test_expect_success 'time axis: seconds for a minute, minutes for hours, hours for a day' '
	# a 1-minute sample, and synthetic 3-hour and 24-hour traces
	tracestat --db m.db ingest -q "$SRCDIR/samples/leak.log" 2>/dev/null &&
	python3 "$SRCDIR/tests/leaks-gen.py" --minutes 180 --every 10 >h.log &&
	tracestat --db h.db ingest -q h.log 2>/dev/null &&
	python3 "$SRCDIR/tests/leaks-gen.py" --minutes 1440 --every 20 >d.log &&
	tracestat --db d.db ingest -q d.log 2>/dev/null &&
	for case in m:s:1 h:min:60 d:h:3600; do
		db=${case%%:*}; rest=${case#*:}; unit=${rest%%:*}; xs=${rest#*:}
		tracestat --db $db.db plot heap --script -o $db.png >/dev/null 2>&1 || exit 1
		grep -q "^set xlabel .time since process start ($unit).$" $db.gp || { echo "$db: not $unit"; exit 1; }
		grep -q "^xs = $xs\b" $db.gp || { echo "$db: xs is not $xs"; exit 1; }
	done
'

test_done
