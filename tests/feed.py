#!/usr/bin/env python3
"""feed.py RATE COUNTFILE - write numbered Go 1.19 gc lines to standard
output at a steady RATE lines per second, for ever, and keep in COUNTFILE
how many were written (flushed into the pipe) so far.  Ends quietly when
the reader goes away."""
import os
import sys
import time

rate = int(sys.argv[1])
countfile = sys.argv[2]
tick = 0.01
per_tick = max(1, rate // 100)
n = 0
out = sys.stdout.buffer
start = time.monotonic()
try:
    while True:
        lines = []
        for _ in range(per_tick):
            n += 1
            lines.append(
                b"gc %d @%.3fs 1%%: 0.010+0.50+0.020 ms clock, "
                b"0.020+0.10/0.20/0+0.040 ms cpu, 4->5->2 MB, 5 MB goal, "
                b"0 MB stacks, 0 MB globals, 2 P\n" % (n, n / 1000.0))
        out.write(b"".join(lines))
        out.flush()
        with open(countfile + ".tmp", "w") as f:
            f.write("%d\n" % n)
        os.replace(countfile + ".tmp", countfile)
        ahead = start + (n / per_tick) * tick - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
except (BrokenPipeError, OSError):
    pass
