#!/usr/bin/env python3
"""run-tty.py OUT TRACESTAT ARGS... - run tracestat on a pseudo-terminal,
wait until the program prints "ready", type Ctrl-C as a user would (the
terminal driver sends SIGINT to the whole foreground process group), and
write everything that appeared on the terminal to OUT.  Exits with
tracestat's exit status (128+N if tracestat itself was killed)."""
import os
import pty
import select
import sys
import time

out_path, argv = sys.argv[1], sys.argv[2:]
pid, master = pty.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    finally:
        os._exit(127)

data = b""
sent = False
deadline = time.monotonic() + 120      # only stops a hung test
while time.monotonic() < deadline:
    r, _, _ = select.select([master], [], [], 1)
    if r:
        try:
            chunk = os.read(master, 65536)
        except OSError:                # EIO: the terminal's last user left
            break
        if not chunk:
            break
        data += chunk
    if not sent and b"ready" in data:
        os.write(master, b"\x03")      # VINTR
        sent = True
_, status = os.waitpid(pid, 0)
with open(out_path, "wb") as f:
    f.write(data)
if not sent:
    sys.exit("the program never said ready")
if os.WIFSIGNALED(status):
    sys.exit(128 + os.WTERMSIG(status))
sys.exit(os.WEXITSTATUS(status))
