"""How long the terminal tutor takes from starting ``poplab`` to the first usable screen: the real console script
in a pseudo-terminal (100×30), timed until the bundled server's greeting and the footer's keys have been drawn.
Then Ctrl+Q, and the time to exit. Not a test (no assertion); the target is 1.0 s on the 2-core machine.

    python tests/bench/tui_startup.py [--runs 5] [--command poplab]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shlex
import statistics
import struct
import subprocess
import tempfile
import termios
import time

READY = (b"POP3-Server", b"Quit")
"""The greeting in the transcript and the last key in the footer: the screen is there and takes commands."""


def read_until(fd: int, wanted: tuple[bytes, ...], timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while not all(text in seen for text in wanted):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"not seen within {timeout:g} s: {wanted}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def one_run(command: list[str], data: str) -> tuple[float, float]:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "POPLAB_DATA": data, "POPLAB_LANG": "en", "TERM": "xterm-256color"}
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    try:
        read_until(leader, READY, 30)
        ready = time.perf_counter() - start
        os.write(leader, b"\x11")  # Ctrl+Q
        quit_at = time.perf_counter()
        while process.poll() is None:
            select.select([leader], [], [], 0.05)
            try:
                os.read(leader, 65536)
            except OSError:
                break
        process.wait(timeout=30)
        return ready, time.perf_counter() - quit_at
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--command", default="poplab", help="what to start (default: poplab)")
    args = parser.parse_args()
    command = shlex.split(args.command)
    with tempfile.TemporaryDirectory(prefix="poplab-bench-") as data:
        one_run(command, data)  # the first run creates the certificate and warms the disk cache
        runs = [one_run(command, data) for _ in range(args.runs)]
    ready = [run[0] for run in runs]
    exits = [run[1] for run in runs]
    print(f"start to first usable screen: median {statistics.median(ready):.3f} s, min {min(ready):.3f} s, "
          f"max {max(ready):.3f} s over {len(runs)} runs (target 1.0 s)")  # fmt: skip
    print(f"Ctrl+Q to exit: median {statistics.median(exits):.3f} s")


if __name__ == "__main__":
    main()
