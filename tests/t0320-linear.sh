#!/bin/sh
# Linear time on any line (issue 9): crafted lines that made torn-line
# repair or the signature search quadratic ("gc 1 @" and digits, "x" and
# "gc " repeated, ...) at 64 KiB and 1 MiB cost about what ordinary input
# of the same size costs, measured in the same test (a generous ratio, so
# a loaded machine does not fail it); and a writer feeding such lines into
# a pipe is never blocked much longer than the hold time.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is needed"

# crafted NAME SIZE: write the crafted input NAME of about SIZE bytes.
cat >"$TEST_TMP/craft.py" <<'EOT'
import glob, os, sys
name, size = sys.argv[1], int(sys.argv[2])
SCHED = "SCHED 1ms: gomaxprocs=2 idleprocs=0 threads=3 spinningthreads=0 idlethreads=0 runqueue=0 ["
# Each crafted line is followed by another, which has the repair try to
# join it (what made "gc 1 @" and 64k digits cost 24 s).
NEXT = "next line\n"
if name == "digits":        # one line: gc 1 @ and digits
    s = "gc 1 @" + "1" * (size - 8 - len(NEXT)) + "\n" + NEXT
elif name == "gc":          # one line: x and "gc " repeated
    s = "x" + "gc " * ((size - 2 - len(NEXT)) // 3) + "\n" + NEXT
elif name == "sched":       # one line: x and "SCHED " repeated
    s = "x" + "SCHED " * ((size - 2 - len(NEXT)) // 6) + "\n" + NEXT
elif name == "list":        # one SCHED line whose run-queue list never ends
    s = SCHED + "0 " * ((size - len(SCHED) - 1 - len(NEXT)) // 2) + "\n" + NEXT
elif name == "pending":     # long torn starts, each followed by short lines
    unit = "gc 1 @" + "1" * 16000 + "\n" + "x y\n" * 40
    s = unit * (size // len(unit) + 1)
elif name == "ordinary":    # real traces of the same size
    s = ""
    for f in sorted(glob.glob(os.path.join(os.environ["SRCDIR"], "samples", "*.log"))):
        s += open(f).read()
        if len(s) >= size:
            break
    s = s[:s.rindex("\n", 0, size) + 1]
sys.stdout.write(s)
EOT

# seconds COMMAND...: the least wall time of three runs.
cat >"$TEST_TMP/ratio.py" <<'EOT'
import subprocess, sys, time
def cost(path):
    best = None
    for _ in range(3):
        t = time.monotonic()
        rc = subprocess.run([sys.argv[1], "--db", "t.db", "ingest", "-q",
                             path], stderr=subprocess.DEVNULL).returncode
        # 7: no trace line in the crafted input, as it should be
        if rc not in (0, 7):
            sys.exit("ingest exited %d" % rc)
        t = time.monotonic() - t
        best = t if best is None or t < best else best
    return best
crafted, ordinary = cost(sys.argv[2]), cost(sys.argv[3])
print("crafted %.3f s, ordinary %.3f s, ratio %.1f" % (crafted, ordinary, crafted / ordinary))
sys.exit(crafted > 10 * ordinary)
EOT

for size in 65536 1048000; do
	python3 "$TEST_TMP/craft.py" ordinary $size >"$TEST_TMP/ordinary.$size"
	for name in digits gc sched list pending; do
		test_expect_success "$name at $size bytes: under 10 times ordinary input" "
			python3 '$TEST_TMP/craft.py' $name $size >in &&
			python3 '$TEST_TMP/ratio.py' \"\$TRACESTAT\" in '$TEST_TMP/ordinary.$size'
		"
	done
done

# A writer feeding the crafted lines (1 MiB each) in 64 KiB writes: no
# write waits longer than the hold time (100 ms) plus 3 s of slack.
test_expect_success 'a writer of crafted lines is never blocked for long' '
	for name in digits gc sched list pending; do
		python3 "$TEST_TMP/craft.py" $name 1048000 || exit 1
	done >in &&
	python3 - "$TRACESTAT" in <<-\EOT
	import os, subprocess, sys, time
	data = open(sys.argv[2], "rb").read()
	p = subprocess.Popen([sys.argv[1], "--db", "t.db", "ingest", "-q", "--hold", "100"],
	                     stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)
	worst = 0
	fd = p.stdin.fileno()
	for i in range(0, len(data), 65536):
	    t = time.monotonic()
	    view = memoryview(data[i:i + 65536])
	    while view:
	        view = view[os.write(fd, view):]
	    worst = max(worst, time.monotonic() - t)
	p.stdin.close()
	p.wait()
	print("longest write %.3f s" % worst)
	sys.exit(worst > 3.1 or p.returncode != 0)
	EOT
'

test_done
