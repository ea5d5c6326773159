#!/bin/sh
# Segments that do not start near t = 0 (a process tracestat met late, a
# log cut by rotation) are drawn from their first line: the first segment
# from its own first time, each later one beginning where the previous
# one ended, the restart marker exactly there, no gap.  Streams built from
# real lines of samples/leak.log; the expected x of every row computed
# here from the lines alone.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

S=$SRCDIR/samples
KEEP=$(keep_gnuplot)

# cut FROM_S TO_S: the lines of leak.log whose time is in [FROM_S, TO_S)
cut() {
	python3 - "$S/leak.log" "$1" "$2" <<-'EOT'
	import re, sys
	lo, hi = float(sys.argv[2]), float(sys.argv[3])
	for line in open(sys.argv[1]):
	    m = re.match(r'gc \d+ @([0-9.]+)s', line) or re.match(r'SCHED (\d+)ms', line)
	    if not m:
	        continue
	    t = float(m.group(1)) if line.startswith('gc') else int(m.group(1)) / 1000
	    if lo <= t < hi:
	        sys.stdout.write(line)
	EOT
}

# Process A from 0 to 30 s, then process B whose first line is at 17 s:
# its gc numbers go back, so it is a new segment.
cut 0 30 >"$TEST_TMP/late2.log"
cut 17 61 | sed -n '/^gc /,$p' >>"$TEST_TMP/late2.log"
# Both late: a process met at 17 s, then one whose first line is at 5 s.
cut 17 40 | sed -n '/^gc /,$p' >"$TEST_TMP/late12.log"
cut 5 61 | sed -n '/^gc /,$p' >>"$TEST_TMP/late12.log"
# One process met at 17 s.
cut 17 61 | sed -n '/^gc /,$p' >"$TEST_TMP/late1.log"

cat >"$TEST_TMP/check.py" <<'PY'
"""check.py SCRIPT LOG KIND [SEGMENT]: every row's x in the plot script
against the x computed from the log: segment 1 at its own times, segment
k moved to begin at the end of segment k - 1; restart arrows there; the
x range from the first time on."""
import re, sys

script, log, kind = sys.argv[1], sys.argv[2], sys.argv[3]
only = int(sys.argv[4]) if len(sys.argv) > 4 else 0
segs, last_gc = [], None
for line in open(log):
    m = re.match(r'gc (\d+) @([0-9.]+)s', line)
    if m:
        n, t = int(m.group(1)), float(m.group(2))
        if not segs or (last_gc is not None and n <= last_gc):
            segs.append({'gc': {}, 'sched': []})
        last_gc = n
        segs[-1]['gc'][n] = t
        continue
    m = re.match(r'SCHED (\d+)ms', line)
    if m:
        if not segs:
            segs.append({'gc': {}, 'sched': []})
        segs[-1]['sched'].append(int(m.group(1)) / 1000)
if only:
    segs = [segs[only - 1]]
x_end, lo = None, None
for s in segs:
    times = list(s['gc'].values()) + s['sched']
    s['first'], s['end'] = min(times), max(times)
    s['offset'] = 0 if x_end is None else x_end - s['first']
    x_end = s['offset'] + s['end']
    lo = s['first'] if lo is None else lo

text = open(script, encoding='utf-8').read()
def block(name):
    m = re.search(r'^\$%s << EOD\n(.*?)^EOD$' % name, text, re.S | re.M)
    if not m:
        sys.exit('no block $' + name)
    parts, cur = [], []
    for line in m.group(1).split('\n'):
        if line.startswith('#'):
            continue
        if not line.strip():
            if cur:
                parts.append(cur)
            cur = []
            continue
        cur.append(line.split())
    if cur:
        parts.append(cur)
    return parts

def near(a, b):
    return abs(a - b) < 0.0015

# The x range begins at the first line; restarts where segments meet.
m = re.search(r'^set xrange \[([-0-9.]+)/xs:([-0-9.]+)/xs\]$', text, re.M)
if not m or not near(float(m.group(1)), lo):
    sys.exit('x range %s, expected it to begin at %.3f' % (m and m.group(0), lo))
arrows = sorted(set(float(a) for a in re.findall(r'^set arrow from first ([-0-9.]+)/xs, graph 0', text, re.M)))
want = [segs[i - 1]['offset'] + segs[i - 1]['end'] for i in range(1, len(segs))]
if len(arrows) != len(want) or not all(near(a, b) for a, b in zip(arrows, want)):
    sys.exit('restart arrows at %s, expected %s' % (arrows, want))
for i in range(1, len(segs)):
    if not near(segs[i]['offset'] + segs[i]['first'], want[i - 1]):
        sys.exit('segment %d does not begin where %d ends' % (i + 1, i))

checked = 0
if kind in ('heap', 'pauses'):
    parts = block('gc')
    if len(parts) != len(segs):
        sys.exit('%d parts, %d segments' % (len(parts), len(segs)))
    for s, rows in zip(segs, parts):
        for r in rows:
            x, n = float(r[0]), int(r[1])
            if not near(x, s['gc'][n] + s['offset']):
                sys.exit('gc %s at x %s, expected %.3f' % (n, x, s['gc'][n] + s['offset']))
            checked += 1
        # the first and last cycles of a segment are always kept
        ns = sorted(s['gc'])
        if int(rows[0][1]) != ns[0] or int(rows[-1][1]) != ns[-1]:
            sys.exit('a segment\'s first or last cycle is missing')
elif kind == 'sched':
    for s, rows in zip(segs, block('sched')):
        want = sorted(t + s['offset'] for t in s['sched'])
        got = [float(r[0]) for r in rows]
        if not all(any(near(g, w) for w in want) for g in got):
            sys.exit('a sched row at an x no sample has')
        if not near(got[0], want[0]) or not near(got[-1], want[-1]):
            sys.exit('sched: first or last sample missing')
        checked += len(got)
    for s, rows in zip(segs, block('gcstart')):
        want = sorted(s['gc'].values())
        for r in rows:
            if not any(near(float(r[0]), w + s['offset']) for w in want):
                sys.exit('a gc start at an x no cycle has')
            checked += 1
elif kind == 'gc-cpu':
    for s, rows in zip(segs, block('cpu')):
        want = sorted(s['gc'].values())
        for r in rows:
            a, b = float(r[0]) - s['offset'], float(r[1]) - s['offset']
            i = next((i for i, w in enumerate(want) if near(w, a)), None)
            if i is None or not near(want[i + 1], b):
                sys.exit('gc-cpu interval %s %s is not two cycles in a row' % (r[0], r[1]))
            checked += 1
print(checked)
PY
CHECK="python3 $TEST_TMP/check.py"

for kind in heap pauses sched gc-cpu; do
	test_expect_success "$kind: second segment starting late is laid right after the first" "
		tracestat ingest -q '$TEST_TMP/late2.log' 2>/dev/null &&
		tracestat query --format csv 'select count(*) from segments' >n &&
		test \"\$(sed 1d n)\" = 2 &&
		tracestat plot $kind --gnuplot '$KEEP' >/dev/null &&
		n=\$($CHECK kept.gp '$TEST_TMP/late2.log' $kind) &&
		test \"\$n\" -gt 50
	"
	test_expect_success "$kind: one segment starting late is drawn from its first line" "
		tracestat ingest -q '$TEST_TMP/late1.log' 2>/dev/null &&
		tracestat plot $kind --gnuplot '$KEEP' >/dev/null &&
		$CHECK kept.gp '$TEST_TMP/late1.log' $kind >/dev/null &&
		grep -q '^set xrange \\[17\\.' kept.gp
	"
	test_expect_success "$kind: both segments starting late" "
		tracestat ingest -q '$TEST_TMP/late12.log' 2>/dev/null &&
		tracestat plot $kind --gnuplot '$KEEP' >/dev/null &&
		$CHECK kept.gp '$TEST_TMP/late12.log' $kind >/dev/null &&
		grep -q '^set xrange \\[17\\.' kept.gp &&
		test \"\$(grep -c '^set label .restart: segment 2' kept.gp)\" -ge 1
	"
	test_expect_success "$kind: --segment 2 of the late stream, at its own times" "
		tracestat ingest -q '$TEST_TMP/late2.log' 2>/dev/null &&
		tracestat plot $kind --segment 2 --gnuplot '$KEEP' >/dev/null &&
		$CHECK kept.gp '$TEST_TMP/late2.log' $kind 2 >/dev/null &&
		! grep -q '^set arrow' kept.gp
	"
done

test_expect_success 'pause-dist: both segments pooled, no time axis' "
	tracestat ingest -q '$TEST_TMP/late2.log' 2>/dev/null &&
	tracestat plot pause-dist --gnuplot '$KEEP' >/dev/null &&
	grep -q '^\\\$sweep << EOD' kept.gp && grep -q '^\\\$mark << EOD' kept.gp
"

if command -v gnuplot >/dev/null 2>&1; then
	test_expect_success 'the late stream draws with the real gnuplot' "
		tracestat ingest -q '$TEST_TMP/late2.log' 2>/dev/null &&
		for kind in heap pauses pause-dist sched gc-cpu; do
			tracestat plot \$kind --size 800x400 -o \$kind.png >/dev/null 2>err || exit 1
			test ! -s err || { cat err; exit 1; }
		done
	"
fi

test_done
