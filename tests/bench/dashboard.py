"""The class dashboard under load: a classroom server with 200 students (two exercises each), every student running
a session (USER, PASS, STAT, a bad RETR, QUIT over a raw socket) every 2–4 s, and ``poplab classroom watch``'s
screen running headless in a process of its own on the classroom's directory. Measured: how long after a session's
QUIT its cell shows the new count (every session, as each cell's count goes up), and the dashboard process's CPU
time over the run. Not a test (no assertion); the targets are < 1 s behind and < 20 % of one core.

    python tests/bench/dashboard.py [--students 200] [--seconds 30]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

STAT_CLOCK = os.sysconf("SC_CLK_TCK")


def child(directory: Path) -> None:
    """The dashboard, headless; prints ``slug exercise attempts time`` for every cell it redraws."""
    from poplab.exercises import load_exercises
    from poplab.exercises.classroom import Classroom
    from poplab.tui.app import TutorApp, TutorOptions
    from poplab.tui.class_grid import ClassGrid
    from poplab.tui.screens.dashboard import DashboardScreen

    class Timed(DashboardScreen):
        def poll(self) -> None:
            before = dict(self.grid.cells)
            super().poll()
            now = time.time()
            for key, cell in self.grid.cells.items():
                if before.get(key) != cell:
                    print(key[0], key[1], cell.attempts, f"{now:.3f}", flush=True)

    grid = ClassGrid(Classroom(directory, load_exercises()))
    print("ready", flush=True)
    TutorApp(TutorOptions(lang="en", welcome=False, screen=lambda: Timed(grid))).run(headless=True, size=(120, 40))


def session(port: int, account: str, password: str) -> float:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        reader = raw.makefile("rb")
        reader.readline()
        for line in (f"USER {account}", f"PASS {password}", "STAT", "RETR 99", "QUIT"):
            raw.sendall(line.encode() + b"\r\n")
            reader.readline()
        return time.time()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / STAT_CLOCK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    from poplab.exercises import find_exercise, load_exercises
    from poplab.exercises.class_server import ClassServer
    from poplab.exercises.classroom import Classroom
    from poplab.protocol.config import ServerConfig
    from poplab.server.settings import ServerSettings

    with tempfile.TemporaryDirectory(prefix="poplab-dashboard-bench-") as temporary:
        directory = Path(temporary) / "class"
        started = time.monotonic()
        exercises = load_exercises()
        names = [f"Student {n:03d}" for n in range(args.students)]
        classroom = Classroom.setup(directory, names, [find_exercise(n, exercises) for n in ("01", "05")])
        print(f"classroom of {args.students} students set up in {time.monotonic() - started:.1f} s")
        settings = ServerSettings(port=0, tls_port=None, protocol=ServerConfig(failed_login_delay=0.0))
        with ClassServer(classroom, settings) as server:
            command = [sys.executable, __file__, "--child", str(directory)]
            dashboard = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, stderr=subprocess.DEVNULL)
            assert dashboard.stdout is not None
            assert dashboard.stdout.readline().strip() == "ready"
            shown: list[tuple[str, str, int, float]] = []
            reader = threading.Thread(target=lambda: _read(dashboard, shown), daemon=True)
            reader.start()
            time.sleep(2.0)  # the first screen
            cpu_before, wall_before = cpu_seconds(dashboard.pid), time.monotonic()
            quits: dict[tuple[str, str], list[float]] = {}
            stop = time.monotonic() + args.seconds
            workers = [
                threading.Thread(target=_student, args=(server.port, classroom, n, stop, quits), daemon=True)
                for n in range(args.students)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            server.wait_idle(timeout=30)
            time.sleep(2.0)
            cpu = cpu_seconds(dashboard.pid) - cpu_before
            wall = time.monotonic() - wall_before
            dashboard.send_signal(signal.SIGTERM)
            dashboard.wait(timeout=10)
        _report(quits, shown, cpu, wall, args)


def _student(port: int, classroom: object, n: int, stop: float, quits: dict[tuple[str, str], list[float]]) -> None:
    student = classroom.students[n]  # type: ignore[attr-defined]
    exercise = classroom.exercises[n % 2]  # type: ignore[attr-defined]
    account = classroom.account(student, exercise)  # type: ignore[attr-defined]
    key = (student.slug, exercise.id)
    time.sleep(random.uniform(0, 3))
    while time.monotonic() < stop:
        quits.setdefault(key, []).append(session(port, account, student.password))
        time.sleep(random.uniform(2, 4))


def _read(process: subprocess.Popen[str], shown: list[tuple[str, str, int, float]]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        slug, exercise, attempts, moment = line.split()
        shown.append((slug, exercise, int(attempts), float(moment)))


def _report(
    quits: dict[tuple[str, str], list[float]],
    shown: list[tuple[str, str, int, float]],
    cpu: float,
    wall: float,
    args: argparse.Namespace,
) -> None:
    delays = []
    missing = 0
    for key, times in quits.items():
        seen = sorted((attempts, moment) for slug, exercise, attempts, moment in shown if (slug, exercise) == key)
        for number, quit_at in enumerate(times, 1):
            first = next((moment for attempts, moment in seen if attempts >= number), None)
            if first is None:
                missing += 1
            else:
                delays.append(max(0.0, first - quit_at))
    sessions = sum(len(times) for times in quits.values())
    delays.sort()
    print(f"{args.students} students, {sessions} sessions in {args.seconds:g} s ({sessions / args.seconds:.0f}/s)")
    print(
        f"behind after QUIT: median {statistics.median(delays):.2f} s, p95 {delays[int(len(delays) * 0.95)]:.2f} s, "
        f"max {delays[-1]:.2f} s; never shown: {missing}"
    )
    print(f"dashboard CPU: {cpu:.1f} s in {wall:.0f} s = {100 * cpu / wall:.1f} % of one core")


if __name__ == "__main__":
    main()
