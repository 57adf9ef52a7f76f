"""Issue 13, defect 1's target, measured: while ONE client floods the server with pipelined commands, another,
logged-in session's NOOP round trips (p50/p99/max). The server runs in its own process (`poplab serve` on a
temporary data directory, default log off with --quiet so the terminal stays readable, login delay 0); the flooding
client and the measuring session run in separate processes too, so the load generator does not share the
measuring loop. Loopback only, bounded: the flood is FLOOD_LINES lines, repeated for --seconds.

    python tests/bench/flood_fairness.py [--seconds 15] [--command "USER x"]
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOD_LINES = 200_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def flood(port: int, command: bytes, seconds: float) -> None:
    """One client: FLOOD_LINES pipelined commands in one write, again and again, reading replies as they come."""
    deadline = time.monotonic() + seconds
    burst = command + b"\r\n"
    while time.monotonic() < deadline:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.settimeout(5)
            sock.recv(1024)
            try:
                sock.sendall(burst * FLOOD_LINES)
                while time.monotonic() < deadline and sock.recv(1 << 20):
                    pass
            except OSError:
                pass  # the server cut the flood off (too many bad commands): start another


def measure(port: int, seconds: float, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    with socket.create_connection(("127.0.0.1", port)) as sock:
        wire = sock.makefile("rb")
        wire.readline()
        for line in (b"USER alice@example.com\r\n", b"PASS wonderland\r\n"):
            sock.sendall(line)
            wire.readline()
        times = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            start = time.perf_counter()
            sock.sendall(b"NOOP\r\n")
            wire.readline()
            times.append((time.perf_counter() - start) * 1000)
            time.sleep(0.01)
        sock.sendall(b"QUIT\r\n")
    results.put(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--command", default="USER x")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="poplab-flood-") as data:
        server = subprocess.Popen(
            [sys.executable, "-m", "poplab", "serve", "--data", str(Path(data) / "d"), "--port", str(port),
             "--tls-port", "-1", "--login-delay", "0", "--quiet"],
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
            baseline = multiprocessing.Process(target=measure, args=(port, 3.0, results))
            baseline.start()
            quiet = results.get(timeout=30)
            baseline.join()
            flooder = multiprocessing.Process(target=flood, args=(port, args.command.encode(), args.seconds + 2))
            flooder.start()
            time.sleep(1.0)
            probe = multiprocessing.Process(target=measure, args=(port, args.seconds, results))
            probe.start()
            loaded = results.get(timeout=args.seconds + 60)
            probe.join()
            flooder.join(timeout=args.seconds + 30)
        finally:
            server.terminate()
            server.wait(timeout=30)
    for name, times in (("no flood", quiet), (f"one client flooding '{args.command}'", loaded)):
        ranked = sorted(times)
        p99 = ranked[min(len(ranked) - 1, int(len(ranked) * 0.99))]
        print(
            f"{name:>40}: {len(times)} NOOPs, p50 {statistics.median(times):.2f} ms, p99 {p99:.2f} ms, "
            f"max {max(times):.2f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
