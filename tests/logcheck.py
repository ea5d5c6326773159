#!/usr/bin/env python3
"""logcheck.py OUT TRUTH: the passed-through lines are exactly what
samples/gen/logtorn wrote.

Every line of OUT must be one log line of the program, byte for byte in
its format (date, microseconds, worker, seq and the fields derived from
seq, see samples/gen/logtorn/main.go), and worker W's lines must be seq
0 .. app_lines_wW - 1 in order, as TRUTH (written by the program) says.
Prints what is wrong and exits 1.
"""
import re
import sys

LINE = re.compile(rb'[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} '
                  rb'worker=([0-9]) seq=(0|[1-9][0-9]*) msg=handled request '
                  rb'bytes=(0|[1-9][0-9]*) took=0\.([0-9]{2})ms\n')


def main():
    out, truth = sys.argv[1], sys.argv[2]
    t = {}
    for line in open(truth):
        if '=' in line and not line.startswith('#'):
            k, v = line.rstrip('\n').split('=', 1)
            t[k] = v
    seqs, bad = {}, []
    for n, line in enumerate(open(out, 'rb'), 1):
        m = LINE.fullmatch(line)
        if m:
            w, s, b, ms = (int(x) for x in m.groups())
        if not m or b != s * 37 % 4096 or ms != s % 100:
            bad.append('line %d is not one the program wrote: %r' % (n, line))
            continue
        seqs.setdefault(w, []).append(s)
    total = 0
    for w in range(int(t['workers'])):
        want = int(t['app_lines_w%d' % w])
        total += want
        if seqs.get(w, []) != list(range(want)):
            got = seqs.get(w, [])
            bad.append('worker %d: %d lines, want seq 0..%d in order' % (w, len(got), want - 1))
    if total != int(t['app_lines']):
        bad.append('truth: per-worker counts do not add up to app_lines')
    print('\n'.join(bad[:20]))
    sys.exit(1 if bad else 0)


main()
