#!/bin/sh
# The thread verdict agrees with its own statistics: a significant rise of
# a thread or more is never "stable".  Streams of SCHED lines are written
# here with a known shape; the expected verdict comes from a Theil-Sen
# slope and a Mann-Kendall test written out in Python below, with the
# thresholds of tracestat-sched(1).
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

cat >"$TEST_TMP/threads.py" <<'PY'
import math, sys

def stream(shape, path):
    """SCHED lines every step_s seconds for minutes; threads by shape."""
    step_s, minutes = {'slow-leak': (10, 20), 'small': (5, 10),
                       'step': (1, 1), 'flat': (1, 1)}[shape]
    out = []
    for i in range(int(minutes * 60 / step_s) + 1):
        t = i * step_s
        m = t / 60.0
        if shape == 'slow-leak':   # +0.95 a minute, as in the issue
            th = 4 + int(0.95 * m)
        elif shape == 'small':     # +0.4 a minute over 10 minutes: 4
            th = 4 + int(0.4 * m)
        elif shape == 'step':      # the warm-up step, then flat
            th = 4 if t < 2 else 5
        else:
            th = 5
        out.append('SCHED %dms: gomaxprocs=2 idleprocs=1 threads=%d '
                   'spinningthreads=0 idlethreads=1 runqueue=0 [0 0]\n'
                   % (t * 1000, th))
    open(path, 'w').write(''.join(out))

def verdict(path):
    xs, ys = [], []
    for line in open(path):
        f = line.split()
        xs.append(int(f[1][:-3]) / 60000.0)
        ys.append(int([w for w in f if w.startswith('threads=')][0][8:]))
    n = len(ys)
    slopes = sorted((ys[j] - ys[i]) / (xs[j] - xs[i])
                    for i in range(n) for j in range(i + 1, n))
    k = len(slopes)
    slope = slopes[k // 2] if k % 2 else (slopes[k // 2 - 1] + slopes[k // 2]) / 2
    rise = slope * (xs[-1] - xs[0])
    s = sum((ys[j] > ys[i]) - (ys[j] < ys[i])
            for i in range(n) for j in range(i + 1, n))
    ties = {}
    for y in ys:
        ties[y] = ties.get(y, 0) + 1
    var = (n * (n - 1) * (2 * n + 5) -
           sum(t * (t - 1) * (2 * t + 5) for t in ties.values())) / 18.0
    z = 0.0 if var <= 0 or s == 0 else (s - (1 if s > 0 else -1)) / math.sqrt(var)
    p = math.erfc(abs(z) / math.sqrt(2))
    significant = z > 0 and p < 0.01
    if significant and rise >= 8:
        return 'growing'
    if significant and rise >= 1:
        return 'rising'
    return 'stable'

if sys.argv[1] == 'stream':
    stream(sys.argv[2], sys.argv[3])
else:
    print(verdict(sys.argv[2]))
PY
REF="python3 $TEST_TMP/threads.py"

# shape, the verdict its design means
for case in slow-leak:growing small:rising step:stable flat:stable; do
	shape=${case%%:*} want=${case#*:}
	test_expect_success "$shape: thread verdict $want, as computed apart" "
		$REF stream $shape s.log &&
		test \"\$($REF verdict s.log)\" = $want &&
		tracestat ingest -q s.log 2>/dev/null &&
		tracestat sched --format csv >out &&
		python3 -c 'import csv,sys; print(next(csv.DictReader(open(\"out\")))[\"thread_verdict\"])' >got &&
		echo $want >expect && test_cmp expect got &&
		tracestat summary >sum &&
		grep -q \"threads [0-9]*-[0-9]* $want \" sum
	"
done

test_done
