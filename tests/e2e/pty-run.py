#!/usr/bin/env python3
# pty-run.py ROWS COLS OUT CMD...: runs CMD with a pseudo-terminal of ROWS x
# COLS as its stdin, stdout and stderr (what a person at a terminal has),
# writes everything it printed to OUT and exits with CMD's status.
import fcntl
import os
import pty
import struct
import sys
import termios

rows, cols, out, cmd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(cmd[0], cmd)
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(pid, 0)
with open(out, "wb") as f:
    f.write(data)
sys.exit(os.waitstatus_to_exitcode(status))
