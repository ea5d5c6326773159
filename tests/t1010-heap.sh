#!/bin/sh
# tracestat heap: heap growth, buckets, goal overshoot and allocation rate,
# against an independent computation (tests/expect-heap.py over the
# reference parser's gc rows) on real traces, small inputs checked by hand,
# and the ground truth the sample programs wrote themselves.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
EXPECT="python3 $SRCDIR/tests/expect-heap.py"

truth() {
	sed -n "s/^$2=//p" "$S/$1.truth"
}

# A go1.19 gc line: gcline NUM AT_S START END LIVE GOAL
gcline() {
	echo "gc $1 @$2s 1%: 0.010+1.0+0.010 ms clock, 0.020+0.50/1.0/0+0.020 ms cpu, $3->$4->$5 MB, $6 MB goal, 0 MB stacks, 0 MB globals, 2 P"
}

for name in steady leak saturate forced torn; do
	[ -f "$S/$name.log" ] || continue
	detear=
	[ "$name" = torn ] && detear=--detear
	test_expect_success "$name: summary and buckets as computed independently" "
		tracestat ingest -q '$S/$name.log' 2>/dev/null &&
		for n in 10 1 3 7 50; do
			tracestat heap --buckets \$n --format json >actual &&
			$EXPECT $detear --buckets \$n '$S/$name.log' actual &&
			tracestat heap --buckets \$n --by-bucket --format json >actual &&
			$EXPECT $detear --by-bucket --buckets \$n '$S/$name.log' actual || exit 1
		done
	"
done

for f in "$SRCDIR"/tests/fixtures/go1.*.txt; do
	v=$(basename "$f" .txt)
	test_expect_success "fixture $v: summary and buckets as computed independently" "
		tracestat ingest -q '$f' >/dev/null 2>&1 &&
		tracestat heap --format json >actual &&
		$EXPECT '$f' actual &&
		tracestat heap --by-bucket --buckets 4 --format json >actual &&
		$EXPECT --by-bucket --buckets 4 '$f' actual
	"
done

test_expect_success 'leak: live heap grows as the program says it leaked' '
	tracestat ingest -q "$S/leak.log" 2>/dev/null &&
	rate=$(truth leak leak_bytes_per_s) &&
	got=$(tracestat heap --format csv | python3 -c "import csv,sys; print(next(csv.DictReader(sys.stdin))[\"growth_mib_per_min\"])") &&
	# 2 MiB/s retained = 120 MiB/min; within 15% (MiB truncation, start-up)
	python3 -c "w = $rate * 60 / 2**20; assert abs($got - w) <= 0.15 * w, ($got, w)"
'

test_expect_success 'steady: allocation rate near the runtime total, live heap flat' '
	tracestat ingest -q "$S/steady.log" 2>/dev/null &&
	tracestat heap --format csv >out &&
	total=$(truth steady total_alloc_bytes) && secs=$(truth steady duration_s) &&
	live=$(truth steady live_set_bytes) &&
	python3 -c "
import csv
r = next(csv.DictReader(open(\"out\")))
want = $total / 2**20 / $secs
got = float(r[\"alloc_rate_mean_mib_per_s\"])
assert abs(got - want) <= 0.10 * want, (got, want)
assert int(r[\"peak_live_mib\"]) == $live // 2**20, r[\"peak_live_mib\"]
"
'

test_expect_success 'by hand: three cycles' '
	{ gcline 1 1.000 4 5 2 5; gcline 2 2.000 6 8 3 7;
	  gcline 3 3.000 9 9 4 8; } >in &&
	tracestat ingest -q in 2>/dev/null &&
	tracestat heap --buckets 2 --format json >out &&
	python3 -c "
import json
r = json.load(open(\"out\"))[0]
# allocation 1->2: (5-4) + (6-2) = 5 MiB in 1 s; 2->3: (8-6) + (9-3) = 8 MiB
# in 1 s; mean 13/2; p99 = 5 + 0.99 * 3; growth 4 - 2 = 2 MiB in 2 s
# overshoot: 8 > 7 and 9 > 8, max 1 MiB, 1/7 = 14.286%
# buckets of 1 s: [2] and [3, 4]: fastest (3.5 - 2) / (1/60 min) = 90
want = dict(cycles=3, alloc_pairs=2, alloc_mib=13, alloc_rate_mean_mib_per_s=6.5,
            alloc_rate_p50_mib_per_s=6.5, alloc_rate_p99_mib_per_s=7.97,
            alloc_rate_max_mib_per_s=8, growth_mib=2, growth_mib_per_min=60,
            overshoot_cycles=2, overshoot_max_mib=1, overshoot_max_pct=14.286,
            peak_live_mib=4, peak_live_gc_num=3, peak_live_t_s=3,
            peak_start_mib=9, fastest_from_s=1, fastest_to_s=3,
            fastest_growth_mib=1.5, fastest_growth_mib_per_min=90, duration_s=2)
for k, v in want.items():
    assert abs(r[k] - v) < 1e-9, (k, r[k], v)
assert abs(r[\"overshoot_share\"] - 2 / 3) < 1e-6
"
'

test_expect_success 'by hand: a missing gc number is not an allocation interval' '
	{ gcline 1 1.000 4 5 2 5; gcline 2 2.000 6 8 3 7;
	  gcline 4 3.000 9 9 4 8; } >in &&
	tracestat ingest -q in 2>/dev/null &&
	test "$(tracestat heap --format csv | sed 1d | cut -d, -f33-36)" = "1,1,5,5.000"
'

test_expect_success 'by hand: one cycle, one bucket, no rates' '
	gcline 1 1.000 4 5 2 5 >in &&
	tracestat ingest -q in 2>/dev/null &&
	test "$(tracestat heap --by-bucket --format csv | sed 1d)" = "1,1,1,1.000,1.000,1,2,2.0,2,4,4.0,4,5,5.0,5,0,0" &&
	test "$(tracestat heap --format csv | sed 1d | cut -d, -f23,24,25,33,36)" = "0,,,0,"
'

test_expect_success 'table format: a block and a bucket table per segment' '
	tracestat ingest -q "$S/restart.log" 2>/dev/null &&
	tracestat heap --buckets 4 >out &&
	test "$(grep -c "^run 1, segment [123]:" out)" = 3 &&
	test "$(grep -c "^bucket " out)" = 3 &&
	grep -q "^allocation:" out
'

test_expect_success 'usage errors exit 2, an unknown run exits 4' '
	tracestat ingest -q "$S/steady.log" 2>/dev/null &&
	expect_exit 2 tracestat heap --buckets 0 2>err &&
	grep -q "^tracestat: error: --buckets takes" err &&
	expect_exit 2 tracestat heap --buckets 10x 2>/dev/null &&
	expect_exit 2 tracestat heap --bucket-size 3 2>/dev/null &&
	expect_exit 4 tracestat heap --run 99 >out 2>err &&
	test ! -s out &&
	expect_exit 4 tracestat heap --segment 7 2>/dev/null
'

test_done
