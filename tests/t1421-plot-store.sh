#!/bin/sh
# plot reads the gc cycles through the store interface, one cursor per
# segment: two processes whose lines interleave in one stream (go test and
# its binary) are drawn segment after segment, each whole and in its own
# order, the second laid after the first; expected rows computed here from
# the lines written.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

mkdir -p "$TEST_TMP/bin"
cat >"$TEST_TMP/bin/keep-gnuplot" <<'FAKE'
#!/bin/sh
cat >kept.gp
FAKE
chmod +x "$TEST_TMP/bin/keep-gnuplot"
KEEP=$TEST_TMP/bin/keep-gnuplot

# gc N T CPU: a go1.19 gc line of cycle N at T seconds, background CPU ms
gc() {
	printf 'gc %s @%ss 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/%s/0+0.020 ms cpu, 4->4->%s MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\n' "$1" "$2" "$3" "$1"
}

# The lines, as "process number seconds cpu_ms": A is the test binary, B
# the toolchain, whose gc numbers start again at 1.
cat >"$TEST_TMP/lines" <<'EOF'
A 1 0.010 1.0
A 2 0.020 2.0
B 1 0.001 3.0
A 3 0.030 4.0
B 2 0.011 5.0
A 4 0.040 6.0
B 3 0.012 7.0
EOF

# want KIND: the rows plot KIND must hold, from the lines alone.
want() {
	python3 - "$1" "$TEST_TMP/lines" <<-'EOT'
	import sys
	kind, path = sys.argv[1], sys.argv[2]
	procs = {}
	for line in open(path):
	    p, n, t, cpu = line.split()
	    procs.setdefault(p, []).append((int(n), round(float(t) * 1000), float(cpu)))
	x_end, out = None, []
	for p in ("A", "B"):          # segment order: the order processes appear
	    rows = procs[p]
	    # each process begins where the previous one ended
	    offset = 0 if x_end is None else x_end - rows[0][1]
	    if out:
	        out.append("")
	    if kind == "heap":
	        for n, ms, cpu in rows:
	            out.append("%.3f %d" % ((offset + ms) / 1000.0, n))
	    else:
	        for (n0, a, cpu), (n1, b, _) in zip(rows, rows[1:]):
	            # stw 0.020 + 0.020 ms, background cpu ms; 2 Ps
	            cap = 2 * (b - a) * 1000.0
	            out.append("%.3f %.3f %.3f %.3f" % ((offset + a) / 1000.0, (offset + b) / 1000.0,
	                                                100 * 40 / cap, 100 * cpu * 1000 / cap))
	    x_end = offset + rows[-1][1]
	print("\n".join(out))
	EOT
}

# got BLOCK COLUMNS: those columns of a data block of the kept script.
got() {
	sed -n "/^\\\$$1 << EOD\$/,/^EOD\$/p" kept.gp | sed '1d;$d;/^#/d' | cut -d' ' -f"$2"
}

test_expect_success 'interleaved processes: heap rows segment by segment, the second laid after the first' "
	while read p n t cpu; do gc \$n \$t \$cpu; done <'$TEST_TMP/lines' >in &&
	tracestat ingest -q in 2>/dev/null &&
	tracestat plot heap --gnuplot '$KEEP' >/dev/null &&
	want heap >expect &&
	got gc 1,2 >actual &&
	test_cmp expect actual
"

test_expect_success 'interleaved processes: gc-cpu intervals within each process only' "
	while read p n t cpu; do gc \$n \$t \$cpu; done <'$TEST_TMP/lines' >in &&
	tracestat ingest -q in 2>/dev/null &&
	tracestat plot gc-cpu --gnuplot '$KEEP' >/dev/null &&
	want gc-cpu >expect &&
	got cpu 1,2,3,5 >actual &&
	test_cmp expect actual
"

test_done
