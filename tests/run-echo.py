#!/usr/bin/env python3
"""run-echo.py TRACESTAT PROBE - is CMD's stdout unbuffered under
`tracestat run`?  runprobe -mode echo prints "line N+1" for every newline
it reads; this script reads each line before it sends the next newline, so
a line held back anywhere hangs the exchange (a 60 s bound, not a timing
test, turns the hang into a failure)."""
import select
import subprocess
import sys

tracestat, probe = sys.argv[1], sys.argv[2]
p = subprocess.Popen([tracestat, "--db", "echo.db", "run", "--", probe,
                      "-mode", "echo"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def read_line():
    line = b""
    while not line.endswith(b"\n"):
        r, _, _ = select.select([p.stdout], [], [], 60)
        if not r:
            sys.exit("no line within 60 s after %r: held back" % line)
        c = p.stdout.read1(1) if hasattr(p.stdout, "read1") else p.stdout.read(1)
        if not c:
            sys.exit("end of output after %r" % line)
        line += c
    return line.decode()


for n in range(1, 11):
    got = read_line()
    if got != "line %d\n" % n:
        sys.exit("expected line %d, got %r" % (n, got))
    if n < 10:
        p.stdin.write(b"\n")
        p.stdin.flush()
p.stdin.close()
rest = p.stdout.read()
if rest:
    sys.exit("unexpected output %r" % rest)
sys.exit(p.wait())
