#!/bin/sh
# The reduction as plot applies it, on a 20,000-cycle trace from
# bench/gen-log: for heap and pauses, every pixel column's first lowest
# and first highest cycle of each series is in the data block, so are
# every forced cycle and the first and last; every pause over the
# threshold is in $over, or one of its phase on the same pixel; nothing
# else is, and the blocks stay small.
# Expected rows computed here from the log (tests/refparse.py).
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

KEEP=$(keep_gnuplot)
LOG=$TEST_TMP/g.log
python3 "$SRCDIR/bench/gen-log" --gc 20000 --seed 3 >"$LOG"

cat >"$TEST_TMP/check.py" <<'PY'
"""check.py SCRIPT LOG KIND WIDTH HEIGHT OVER_US"""
import csv, io, math, os, re, subprocess, sys

script, log, kind, width, height, over = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
ref = os.path.join(os.environ['SRCDIR'], 'tests', 'refparse.py')

def rows(k):
    out = subprocess.run([sys.executable, ref, k, log], check=True,
                         capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))

gc = [r for r in rows('gc') if r['start_ms'] != '']
sched = [r for r in rows('sched') if r['t_ms'] != '']
times = [int(r['start_ms']) / 1000 for r in gc] + [int(r['t_ms']) / 1000 for r in sched]
lo, hi = min(times), max(times)

def column(x):
    f = (x - lo) / (hi - lo) * width
    return 0 if not f > 0 else min(width - 1, int(f))

def block(name):
    text = open(script, encoding='utf-8').read()
    start = text.index('$%s << EOD\n' % name)
    end = text.index('\nEOD\n', start)
    return [l.split() for l in text[start:end].split('\n')[1:] if l and not l.startswith('#')]

if kind == 'heap':
    series = ['heap_start_mib', 'heap_end_mib', 'heap_live_mib', 'heap_goal_mib', 'stacks_mib']
    marked = lambda r: r['forced'] == '1'
else:
    series = ['stw_sweepterm_wall_us', 'stw_markterm_wall_us']
    marked = lambda r: r['forced'] == '1'
want = set()
cols = {}
for r in gc:
    cols.setdefault(column(int(r['start_ms']) / 1000), []).append(r)
for c, rs in cols.items():
    for s in series:
        vals = [(float(r[s]), int(r['gc_num'])) for r in rs if r[s] != '']
        if vals:
            want.add(min(vals, key=lambda v: v[0])[1])
            want.add(max(vals, key=lambda v: v[0])[1])
nmarked = 0
for r in gc:
    if marked(r):
        want.add(int(r['gc_num']))
        nmarked += 1
want.add(int(gc[0]['gc_num']))
want.add(int(gc[-1]['gc_num']))
got = [int(r[1]) for r in block('gc')]
if set(got) != want:
    sys.exit('%s: %d rows kept, %d expected; missing %s, extra %s' % (
        kind, len(got), len(want), sorted(want - set(got))[:5], sorted(set(got) - want)[:5]))
if got != sorted(got):
    sys.exit('%s: rows out of order' % kind)
bound = 2 * len(series) * width + nmarked + 2
if len(got) > bound:
    sys.exit('%s: %d rows, over %d' % (kind, len(got), bound))
if kind == 'pauses':
    # Every pause over the threshold is drawn: itself, or the first of its
    # phase on the same pixel (column over the width, row over the height
    # of the log axis the script sets), in store order.
    text = open(script, encoding='utf-8').read()
    ylo, yhi = map(float, re.search(r'^set yrange \[([^:]+):([^\]]+)\]', text, re.M).groups())
    def row(v):
        return (math.log10(v) - math.log10(ylo)) / (math.log10(yhi) - math.log10(ylo)) * height
    wanted = [(round(int(r['start_ms']) / 1000, 3), int(r[s]), i)
              for r in gc for i, s in enumerate(series)
              if r[s] != '' and int(r[s]) > over]
    got_over = [(float(a), int(b), int(c)) for a, b, c in block('over')]
    if not set(got_over) <= set(wanted):
        sys.exit('pauses: $over holds pauses that are not over: %s' % sorted(set(got_over) - set(wanted))[:5])
    # sweep termination's marks first, then mark termination's (drawn on
    # top), each in store order
    kept_set = set(got_over)
    if got_over != [w for ph in (0, 1) for w in wanted if w[2] == ph and w in kept_set]:
        sys.exit('pauses: $over not in store order, sweep then mark')
    if min(v for _, v, _ in wanted) < ylo or max(v for _, v, _ in wanted) > yhi:
        sys.exit('pauses: a pause over lies off the y axis')
    kept = {}
    for t, v, ph in got_over:
        kept.setdefault((column(t), ph), []).append(row(v))
    for (c, ph), rows in kept.items():
        cells = [math.floor(f) for f in rows]
        if len(set(cells)) != len(cells):
            sys.exit('pauses: two marks of phase %d on one pixel of column %d' % (ph, c))
    for t, v, ph in wanted:
        if not any(abs(f - row(v)) < 1 for f in kept.get((column(t), ph), [])):
            sys.exit('pauses: the pause %g us at %g s (phase %d) has no mark on its pixel' % (v, t, ph))
    print('pauses: %d of %d pauses over drawn, one per pixel and phase' % (len(got_over), len(wanted)))
print('%s: %d of %d cycles kept (bound %d)' % (kind, len(got), len(gc), bound))
PY

for kind in heap pauses; do
	test_expect_success "$kind: 20,000 cycles reduced to what each pixel column shows" "
		tracestat ingest -q '$LOG' 2>/dev/null &&
		for size in 800x400 1600x900; do
			tracestat plot $kind --size \$size --gnuplot '$KEEP' >/dev/null &&
			python3 '$TEST_TMP/check.py' kept.gp '$LOG' $kind \${size%x*} \${size#*x} 100 || exit 1
		done
	"
done

test_expect_success 'sched and gc-cpu blocks stay within the bound' "
	tracestat ingest -q '$LOG' 2>/dev/null &&
	tracestat plot sched --size 800x400 --gnuplot '$KEEP' >/dev/null &&
	test \"\$(python3 '$SRCDIR/tests/plotcheck.py' rows kept.gp sched)\" -le \$((2 * 5 * 800 + 2)) &&
	test \"\$(python3 '$SRCDIR/tests/plotcheck.py' rows kept.gp gcstart)\" -le \$((2 * 800 + 100)) &&
	tracestat plot gc-cpu --size 800x400 --gnuplot '$KEEP' >/dev/null &&
	test \"\$(python3 '$SRCDIR/tests/plotcheck.py' rows kept.gp cpu)\" -le \$((2 * 2 * 800 + 2))
"

test_done
