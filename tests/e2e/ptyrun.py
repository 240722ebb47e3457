#!/usr/bin/env python3
"""ptyrun.py - runs a command with stdout and stderr on a pseudo-terminal,
as a person at a terminal would, and prints what the terminal received.

usage: ptyrun.py COLS COMMAND...   (COLS 0: a terminal that reports no size)
The raw bytes go to stdout unchanged; the exit status is the command's.
"""
import fcntl
import os
import struct
import sys
import termios


def main():
    cols = int(sys.argv[1])
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24 if cols else 0, cols, 0, 0))
    pid = os.fork()
    if pid == 0:
        os.setsid()
        os.close(master)
        os.dup2(slave, 1)
        os.dup2(slave, 2)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.execvp(sys.argv[2], sys.argv[2:])
    os.close(slave)
    out = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's last writer is gone
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    sys.stdout.buffer.write(bytes(out))
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
