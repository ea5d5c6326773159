#!/bin/sh
# Standard output and input that are not plain blocking pipes: a full
# disk is reported once (exit 8) while storing goes on, a non-blocking
# pipe that fills is waited for, a non-blocking input never spins.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

GC19='gc 14 @0.464s 11%: 0.046+23+0.025 ms clock, 0.092+15/11/0+0.051 ms cpu, 168->204->137 MB, 196 MB goal, 0 MB stacks, 0 MB globals, 2 P'

test_expect_success 'a standard output that fails (ENOSPC, /dev/full): one message, storing goes on, exit 8' '
	python3 -c "
for k in range(1, 3001):
    print(\"application line\", k)
    print(\"gc %d @%d.000s 0%%: 0.010+1.0+0.010 ms clock, 0.020+0/1.0/0+0.020 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P\" % (k, k))
" >in &&
	expect_exit 8 tracestat ingest in >/dev/full 2>err &&
	test "$(grep -c "error:" err)" = 1 &&
	grep -q "^tracestat: error: cannot write the standard output: No space left on device" err &&
	test "$(sql tracestat.db "SELECT status || char(47) || gc_cycles || char(47) || (SELECT count(*) FROM gc_cycles) FROM runs")" = complete/3000/3000
'

test_expect_success 'a non-blocking standard output that fills (EAGAIN): waited for, nothing dropped' '
	python3 - "$TRACESTAT" <<-EOT
	import fcntl, os, subprocess, sys, time
	lines = b"".join(b"line %06d of the application, padded to be a little longer\n" % k for k in range(200000))
	open("in", "wb").write(lines + b"$GC19\n")
	r, w = os.pipe()
	fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)
	p = subprocess.Popen([sys.argv[1], "ingest", "in"], stdout=w, stderr=open("err", "wb"))
	os.close(w)
	got = []
	time.sleep(0.5)  # let the pipe fill: the writes meet EAGAIN
	with os.fdopen(r, "rb") as f:
	    while True:
	        b = f.read(4096)
	        if not b:
	            break
	        got.append(b)
	        time.sleep(0.0005)
	rc = p.wait()
	sys.exit("exit %d" % rc if rc else 0 if b"".join(got) == lines else "output differs")
	EOT
	test "$(grep -c . err)" = 1 &&
	grep -q "run 1: 1 gc cycles" err
'

test_expect_success 'a non-blocking standard input never spins the CPU' '
	python3 - "$TRACESTAT" <<-EOT
	import fcntl, os, resource, subprocess, sys, time
	r, w = os.pipe()
	fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_NONBLOCK)
	p = subprocess.Popen([sys.argv[1], "ingest"], stdin=r, stdout=subprocess.PIPE, stderr=open("err", "wb"))
	os.close(r)
	os.write(w, b"hello\n$GC19\n")
	time.sleep(3)  # quiet input: a loop on EAGAIN would burn 3 s of CPU
	os.write(w, b"bye\n")
	os.close(w)
	out = p.stdout.read()
	rc = p.wait()
	ru = resource.getrusage(resource.RUSAGE_CHILDREN)
	cpu = ru.ru_utime + ru.ru_stime
	print("cpu", cpu, "rc", rc, "out", out)
	sys.exit(0 if rc == 0 and out == b"hello\nbye\n" and cpu < 0.5 else 1)
	EOT
'

test_done
