#!/usr/bin/env python3
"""leaks-gen.py [options]: a synthetic gctrace=1 log (Go 1.19 line shape)
whose live heap follows a known curve, for tests/t1020-leaks.sh.

The live heap of cycle i at time t (seconds) is, in MiB before truncation:

    base + slope_per_min * t / 60                  (the leak)
         + warm * min(1, t / warm_s)               (a warm-up that fills)
         + saw_amp * ((t mod saw_period) / saw_period)   (a cache cleared
                                                   every saw_period s)
         + uniform(0, noise)                       (floating garbage)

printed truncated to whole MiB as the runtime does.  With --forced-low V
--forced-until S, a forced cycle reporting V MiB follows every fifth
ordinary cycle before S seconds.  Deterministic for a given --seed.
"""
import argparse
import math
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--minutes', type=float, default=30)
    ap.add_argument('--every', type=float, default=2.0, help='seconds between cycles')
    ap.add_argument('--base', type=float, default=30)
    ap.add_argument('--slope-per-min', type=float, default=0)
    ap.add_argument('--noise', type=float, default=0)
    ap.add_argument('--warm', type=float, default=0)
    ap.add_argument('--warm-s', type=float, default=1)
    ap.add_argument('--saw-amp', type=float, default=0)
    ap.add_argument('--saw-period', type=float, default=1)
    ap.add_argument('--forced-low', type=float, default=None)
    ap.add_argument('--forced-until', type=float, default=0)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    n = int(a.minutes * 60 / a.every)
    num = 0
    goal = 4

    def line(t, live, forced):
        nonlocal num, goal
        num += 1
        ms = int(round(t * 1000))
        print('gc %d @%d.%03ds 0%%: 0.010+0.10+0.010 ms clock, '
              '0.020+0/0.010/0+0.020 ms cpu, %d->%d->%d MB, %d MB goal, '
              '0 MB stacks, 0 MB globals, 2 P%s'
              % (num, ms // 1000, ms % 1000, goal, goal + 1, live, goal,
                 ' (forced)' if forced else ''))
        goal = max(4, 2 * live)

    for i in range(n):
        t = 0.005 + i * a.every
        v = a.base + a.slope_per_min * t / 60
        v += a.warm * min(1.0, t / a.warm_s)
        if a.saw_amp:
            v += a.saw_amp * ((t % a.saw_period) / a.saw_period)
        v += rnd.uniform(0, a.noise)
        line(t, int(math.floor(v)), False)
        if a.forced_low is not None and t < a.forced_until and i % 5 == 0:
            line(t + a.every / 2, int(a.forced_low), True)


if __name__ == '__main__':
    main()
