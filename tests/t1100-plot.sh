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

for kind in heap pauses pause-dist sched gc-cpu; do
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

test_expect_success 'heap: a steady heap gets the no-leak line and says what was judged' '
	tracestat ingest -q "$S/steady.log" 2>/dev/null &&
	tracestat plot heap --gnuplot "$FAKE" >/dev/null &&
	! grep -q "^\$fit << EOD" fake-stdin.gp &&
	test "$($CHECK rows fake-stdin.gp flat)" = 2 &&
	grep -q ".live heap: no leak (fitted floor [-+0-9.e]* MiB/min over [0-9.]*-[0-9.]* s: a [0-9.]* MiB rise, under the 4.0 MiB of a leak)." fake-stdin.gp &&
	grep -q "title .fitted live-heap floor, [-+0-9.e]* MiB/min (no leak)." fake-stdin.gp
'

# The verdict in the image agrees with what the sample programs were
# written to do (their truth files).
test_expect_success 'heap: the verdict under the title agrees with every truth file' '
	for truth in "$S"/*.truth; do
		v=$(sed -n "s/^verdict_expected=//p" "$truth")
		test -n "$v" || continue
		log=${truth%.truth}.log
		rm -f tracestat.db
		tracestat ingest -q "$log" 2>/dev/null &&
		tracestat plot heap --gnuplot "$FAKE" >/dev/null || exit 1
		title=$(grep "^set title" fake-stdin.gp)
		case $v in
		leak)
			echo "$title" | grep -q "live heap: LEAK, +" ||
			    { echo "$log: $title"; exit 1; } ;;
		*)
			! echo "$title" | grep -q "live heap: LEAK" &&
			echo "$title" | grep -q "live heap: \(no leak (fitted floor\|inconclusive (\|no leak in all\)" ||
			    { echo "$log: $title"; exit 1; } ;;
		esac
	done
'

test_expect_success 'heap: two processes, a leak then a steady heap: one line per series, a verdict per segment' '
	cat "$S/leak.log" "$S/steady.log" >two.log &&
	tracestat ingest -q two.log 2>/dev/null &&
	tracestat plot heap --gnuplot "$FAKE" >/dev/null &&
	grep -q "^set title .* \. .live heap: segment 1 LEAK +[0-9.]* MiB/min, segment 2 no-leak. \. " fake-stdin.gp &&
	test "$($CHECK rows fake-stdin.gp fit)" = 2 &&
	test "$($CHECK rows fake-stdin.gp flat)" = 2 &&
	tracestat ingest -q "$S/restart.log" 2>/dev/null &&
	tracestat plot heap --gnuplot "$FAKE" >/dev/null &&
	grep -q ".live heap: no leak in all 3 segments judged (see tracestat leaks)." fake-stdin.gp
'

test_expect_success 'heap: goroutine stacks drawn, their leak fitted and written (goleak)' '
	tracestat ingest -q "$S/goleak.log" 2>/dev/null &&
	tracestat plot heap --gnuplot "$FAKE" >/dev/null &&
	grep -q "using (\$1/xs):7 with lines lw 2.5 lc rgb .#009e73. title .goroutine stacks." fake-stdin.gp &&
	test "$($CHECK rows fake-stdin.gp stackfit)" = 2 &&
	grep -q "goroutine stacks: LEAK, +" fake-stdin.gp
'

test_expect_success 'heap: plain-word legend, key inside on a box, fixed margins' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat plot heap --gnuplot "$FAKE" >/dev/null &&
	for t in "heap at GC start" "heap at GC end" "heap goal" "live heap after GC (marked)"; do
		grep -q "title .$t." fake-stdin.gp || exit 1
	done &&
	! grep -q "title .*(H[012])" fake-stdin.gp &&
	grep -q "^set key inside top left vertical .* opaque box" fake-stdin.gp &&
	grep -q "^set lmargin 11$" fake-stdin.gp && grep -q "^set rmargin [0-9]" fake-stdin.gp &&
	grep -q "^set tmargin [0-9]" fake-stdin.gp && grep -q "^set bmargin [0-9]" fake-stdin.gp
'

test_expect_success 'pauses: rows, threshold line and the count over it' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat plot pauses --over 200us --gnuplot "$FAKE" >/dev/null &&
	test "$($CHECK rows fake-stdin.gp gc)" = "$($CHECK expect pauses "$S/leak.log")" &&
	grep -q "^thr = 200" fake-stdin.gp &&
	grep -q "^set logscale y" fake-stdin.gp &&
	grep -q "thr with lines" fake-stdin.gp &&
	grep -q "^set ylabel .stop-the-world pause (log scale).$" fake-stdin.gp &&
	grep -q "^set label .threshold 200 µs (--over)." fake-stdin.gp &&
	over=$($CHECK over "$S/leak.log" 200) &&
	test "$over" -gt 0 &&
	grep -q "threshold 200 µs ($over of $($CHECK expect pauses "$S/leak.log") cycles over)" fake-stdin.gp &&
	grep -q "^set ytics (.1 µs. 1, .10 µs. 10, .100 µs. 100, .1 ms. 1000)$" fake-stdin.gp &&
	grep -q "pt 5 ps 0.5\*ps0 lc rgb .#0072b2. title .sweep termination: " fake-stdin.gp &&
	grep -q "pt 9 ps 0.6\*ps0 lc rgb .#e69f00. title .mark termination: " fake-stdin.gp
'

# Pauses printed as "0" (under 1 us) cannot sit on a log axis.
cat >"$TEST_TMP/zero.log" <<'LOG'
gc 1 @0.002s 1%: 0+0.39+0.002 ms clock, 0+0.022/0.044/0.090+0.005 ms cpu, 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 2 @0.005s 3%: 0.034+0.66+0 ms clock, 0.069+0/0.072/0.058+0 ms cpu, 7->8->8 MB, 8 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 3 @0.076s 0%: 0.30+0.62+0.002 ms clock, 0.60+0.15/0.12/0+0.004 ms cpu, 15->16->8 MB, 16 MB goal, 0 MB stacks, 0 MB globals, 2 P
LOG
ZERO=$TEST_TMP/zero.log

test_expect_success 'pauses: 0 us pauses drawn on a labelled < 1 us line, and the image says why' '
	tracestat ingest -q "$ZERO" 2>/dev/null &&
	tracestat plot pauses --gnuplot "$FAKE" >/dev/null &&
	test "$($CHECK rows fake-stdin.gp gc)" = 3 &&
	grep -q "^floor = 0.5" fake-stdin.gp &&
	grep -q "^shown(v) = v < floor ? floor : v" fake-stdin.gp &&
	grep -q "^set ytics (.< 1 µs. 0.5, .1 µs. 1," fake-stdin.gp &&
	grep -q "2 pauses printed as 0 (under the clock..s 1 µs resolution) are drawn on the ..< 1 µs.. line" fake-stdin.gp &&
	grep -q "threshold 100 µs (1 of 3 cycles over)" fake-stdin.gp &&
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat plot pauses --gnuplot "$FAKE" >/dev/null &&
	! grep -q "^set title.*printed as 0" fake-stdin.gp &&
	! grep -q "< 1 µs" fake-stdin.gp
'

test_expect_success 'sched: rows, gc starts, two panels, GOMAXPROCS, saturation shaded' '
	tracestat ingest -q "$S/saturate.log" 2>/dev/null &&
	tracestat plot sched --gnuplot "$FAKE" >/dev/null &&
	test "$($CHECK rows fake-stdin.gp sched)" = "$($CHECK expect sched "$S/saturate.log")" &&
	test "$($CHECK rows fake-stdin.gp gcstart)" = "$($CHECK expect gcstart "$S/saturate.log")" &&
	grep -q "^set multiplot" fake-stdin.gp && grep -q "^unset multiplot" fake-stdin.gp &&
	grep -q "^set ylabel .goroutines, threads.$" fake-stdin.gp &&
	grep -q "^set ylabel .Ps.$" fake-stdin.gp &&
	grep -q "title .GOMAXPROCS." fake-stdin.gp &&
	grep -q "with vectors nohead .* title .GC cycle start (ticks along the top)." fake-stdin.gp &&
	test "$($CHECK sat fake-stdin.gp "$S/saturate.log" 1200)" -ge 1 &&
	for s in leak steady threads; do
		rm -f tracestat.db
		tracestat ingest -q "$S/$s.log" 2>/dev/null &&
		tracestat plot sched --size 800x400 --gnuplot "$FAKE" >/dev/null &&
		$CHECK sat fake-stdin.gp "$S/$s.log" 800 >/dev/null || exit 1
	done
'

test_expect_success 'gc-cpu: every row, the rolling means and the run mean as computed from the log' '
	for s in leak saturate steady; do
		rm -f tracestat.db
		tracestat ingest -q "$S/$s.log" 2>/dev/null &&
		tracestat plot gc-cpu --gnuplot "$FAKE" >/dev/null &&
		test "$($CHECK gccpu fake-stdin.gp "$S/$s.log")" -gt 40 &&
		$CHECK rolling fake-stdin.gp "$S/$s.log" >/dev/null || exit 1
	done &&
	grep -q "^set ylabel .GC CPU, % of GOMAXPROCS × wall time.$" fake-stdin.gp
'

test_expect_success 'gc-cpu: the y axis sized to the data; the 25% line only when on it' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	tracestat plot gc-cpu --gnuplot "$FAKE" >/dev/null &&
	top=$(sed -n "s/^set yrange \[0:\(.*\)\]$/\1/p" fake-stdin.gp) &&
	peak=$(sed -n "/^\$cpu << EOD/,/^EOD/p" fake-stdin.gp |
	    awk "!/^[#\$E]/ && NF { if (\$7 > m) m = \$7 } END { print m }") &&
	awk -v t="$top" -v p="$peak" "BEGIN { exit !(t >= p * 1.2 && t < p * 4) }" &&
	grep -q "set label .25% reference line: above this axis." fake-stdin.gp &&
	! grep -q "^     25 with lines" fake-stdin.gp
'

test_expect_success 'pause-dist: each phase CDF and the counts over the threshold, from the log' '
	for s in leak goleak restart; do
		rm -f tracestat.db
		tracestat ingest -q "$S/$s.log" 2>/dev/null &&
		tracestat plot pause-dist --over 200us --gnuplot "$FAKE" >out &&
		echo tracestat-1-pause-dist.png >expect && test_cmp expect out &&
		$CHECK cdf fake-stdin.gp "$S/$s.log" 200 >/dev/null || exit 1
	done &&
	grep -q "^set logscale x 10" fake-stdin.gp &&
	grep -q "^set arrow from first thr, graph 0 to first thr, graph 1" fake-stdin.gp &&
	grep -q "^set label .threshold 200 µs (--over)." fake-stdin.gp
'

# The expected title line is in a file: gnuplot quoting doubles every '.
ODD=$(printf 'it'"'"'s "odd"\tx')
cat >"$TEST_TMP/odd-title" <<'EXPECT'
set title 'Heap - run 1 ''it''s "odd"x''' . "\n" . 'live heap: LEAK
EXPECT
test_expect_success 'title and file name of a run named it'"'"'s "odd" with a tab' '
	tracestat ingest -q --name "$ODD" "$S/leak.log" 2>/dev/null &&
	tracestat plot heap --gnuplot "$FAKE" >out &&
	echo "tracestat-it_s_odd_x-heap.png" >expect && test_cmp expect out &&
	grep "^set title" fake-stdin.gp | sed "s/\(LEAK\), .*/\1/" >actual &&
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
		test_expect_success "$name: every kind drawn as PNGs of 800x400 and 1600x900" "
			tracestat ingest -q '$log' 2>/dev/null &&
			for kind in heap pauses pause-dist sched gc-cpu; do
				for size in 800x400 1600x900; do
					tracestat plot \$kind --size \$size -o \$kind.png >out 2>err || exit 1
					test ! -s err || { cat err; exit 1; }
					$CHECK png \$kind.png \${size%x*} \${size#*x} 8000 || exit 1
				done
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

	test_expect_success 'svg: every kind a self-contained SVG of the asked size' "
		tracestat ingest -q '$S/saturate.log' 2>/dev/null &&
		for kind in heap pauses pause-dist sched gc-cpu; do
			tracestat plot \$kind --svg --size 1000x500 -o s.svg >/dev/null 2>err || exit 1
			test ! -s err || { cat err; exit 1; }
			$CHECK svg s.svg 1000 500 || exit 1
		done
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
