#!/bin/sh
# tracestat pauses: stop-the-world pauses per phase and per cycle, against
# an independent computation (tests/expect-pauses.py over the reference
# parser's gc rows) on real traces, and small inputs checked by hand.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
EXPECT="python3 $SRCDIR/tests/expect-pauses.py"

# A go1.19 gc line: gcline NUM AT_S SWEEP_MS MARK_MS
gcline() {
	echo "gc $1 @$2s 1%: $3+1.0+$4 ms clock, 0.20+0.50/1.0/0+0.020 ms cpu, 4->5->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P"
}

for name in steady leak saturate forced torn; do
	[ -f "$S/$name.log" ] || continue
	detear=
	[ "$name" = torn ] && detear=--detear
	test_expect_success "$name: summary as computed independently, several thresholds and phases" "
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		for args in '' '--over 50us' '--over 0.2ms --phase sweep' \
		    '--over 10us --phase mark --top 8' '--over 1ms --top 0' \
		    '--over 0ns --phase any --top 3' '--over 100000ns'; do
			tracestat pauses \$args --format json >actual &&
			$EXPECT $detear \$args '$S/$name.log' actual || exit 1
		done
	"
	test_expect_success "$name: --list, every cycle" "
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		$EXPECT $detear --list --over 60us --phase mark '$S/$name.log' >expect &&
		tracestat pauses --list --over 60us --phase mark --format csv >actual &&
		csv_same expect actual
	"
done

for f in "$SRCDIR"/tests/fixtures/go1.*.txt; do
	v=$(basename "$f" .txt)
	test_expect_success "fixture $v: summary as computed independently" "
		tracestat ingest -q '$f' >/dev/null 2>&1 &&
		for args in '' '--over 1ms --phase mark --top 2' '--over 20us --phase sweep'; do
			tracestat pauses \$args --format json >actual &&
			$EXPECT \$args '$f' actual || exit 1
		done
	"
done

test_expect_success 'by hand: 0.10, 0.11 and 0.099 ms: exactly one over 100us' '
	{ gcline 1 0.010 0.10 0.010; gcline 2 0.020 0.050 0.11;
	  gcline 3 0.030 0.099 0.020; } >in &&
	tracestat ingest -q in 2>/dev/null &&
	tracestat pauses --format csv >out &&
	# sweep 100, 50, 99 us: none over 100; mark 10, 110, 20: gc 2 only;
	# sums 110, 160, 119: all three; p50 sweep = 99; total 389 us
	test "$(python3 -c "import csv,sys; r=next(csv.DictReader(open(\"out\"))); print(r[\"cycles\"], r[\"sweep_over\"], r[\"mark_over\"], r[\"stw_over\"], r[\"cycles_over\"], r[\"p50_sweep_us\"], r[\"max_mark_us\"], r[\"total_stw_us\"], r[\"worst1_gc_num\"], r[\"worst1_phase\"], r[\"worst1_us\"], r[\"worst2_gc_num\"], r[\"worst2_phase\"])")" = "3 0 1 3 1 99.000 110 389 2 mark 110 1 sweep"
'

test_expect_success 'by hand: --over 99us and --phase' '
	{ gcline 1 0.010 0.10 0.010; gcline 2 0.020 0.050 0.11;
	  gcline 3 0.030 0.099 0.020; } >in &&
	tracestat ingest -q in 2>/dev/null &&
	# 100 > 99 (gc 1 sweep), 110 > 99 (gc 2 mark): two cycles, one each
	test "$(tracestat pauses --over 99us --format csv | sed 1d | cut -d, -f9-12)" = "1,1,3,2" &&
	test "$(tracestat pauses --over 99us --phase sweep --format csv | sed 1d | cut -d, -f12)" = 1 &&
	# a cycle'"'"'s pause is its longer phase (100, 110, 99): its max is the
	# longest pause and its over the cycles over; the sum (110, 160,
	# 119) is another figure
	tracestat pauses --over 99us --format json >j &&
	test "$(python3 -c "import json; r = json.load(open(\"j\"))[0]; print(r[\"max_pause_us\"], r[\"cycles_over\"], r[\"p50_pause_us\"], r[\"max_stw_us\"])")" = "110 2 100 160" &&
	test "$(tracestat pauses --over 0.099ms --phase mark --top 1 --format csv | sed 1d | cut -d, -f4,12,42-)" = "mark,1,2,0.020,mark,110" &&
	tracestat pauses --list --over 99us --phase sweep --format csv >out &&
	printf "%s\n" run,segment,gc_num,t_s,sweep_us,mark_us,stw_us,forced,over \
	    1,1,1,0.010,100,10,110,0,1 1,1,2,0.020,50,110,160,0,0 \
	    1,1,3,0.030,99,20,119,0,0 >expect &&
	test_cmp expect out
'

test_expect_success 'by hand: a wrap-around phase is skipped and counted' '
	{ gcline 1 0.010 0.10 0.010; gcline 2 0.020 0.050 18446744073709;
	  gcline 3 0.030 0.099 0.020; } >in &&
	tracestat ingest -q in 2>/dev/null &&
	test "$(tracestat pauses --format csv | sed 1d | cut -d, -f6,7)" = "2,1" &&
	test "$(tracestat pauses --list --format csv | sed -n 3p)" = "1,1,2,0.020,,,,0,"
'

test_expect_success 'json: the documented keys, numbers as numbers' '
	tracestat ingest -q "$S/steady.log" 2>/dev/null &&
	tracestat pauses --format json --top 2 >out &&
	python3 -c "
import json
r = json.load(open(\"out\"))[0]
for k in (\"run\", \"segment\", \"cycles\", \"threshold_us\", \"sweep_over\", \"mark_over\",
          \"cycles_over\", \"max_sweep_us\", \"max_mark_us\", \"p99_stw_us\", \"total_stw_us\",
          \"p50_sweep_us\", \"p999_mark_us\", \"share_over\", \"worst1_gc_num\", \"worst2_us\",
          \"p99_pause_us\", \"max_pause_us\"):
    assert isinstance(r[k], (int, float)), k
assert \"worst3_gc_num\" not in r
"
'

test_expect_success 'table format: one block per segment' '
	tracestat ingest -q "$S/restart.log" 2>/dev/null &&
	tracestat pauses >out &&
	test "$(grep -c "^run 1, segment [123]:" out)" = 3 &&
	grep -q "^sweep termination" out && grep -q "^worst 5 by" out
'

test_expect_success 'usage errors exit 2, an unknown run exits 4' '
	tracestat ingest -q "$S/steady.log" 2>/dev/null &&
	expect_exit 2 tracestat pauses --over 5 2>err &&
	grep -q "^tracestat: error: --over takes a duration" err &&
	grep -q "^try .tracestat pauses --help.$" err &&
	expect_exit 2 tracestat pauses --over -1ms 2>/dev/null &&
	expect_exit 2 tracestat pauses --phase both 2>/dev/null &&
	expect_exit 2 tracestat pauses --top x 2>/dev/null &&
	expect_exit 2 tracestat pauses extra 2>/dev/null &&
	expect_exit 4 tracestat pauses --run 99 >out 2>err &&
	test ! -s out && grep -q "^tracestat: error: " err &&
	expect_exit 4 tracestat --db missing.db pauses 2>/dev/null
'

test_done
