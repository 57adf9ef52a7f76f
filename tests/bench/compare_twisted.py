"""poplab against twisted.mail.pop3, in one run, over the same bench mailboxes (``poplab.bench.fixtures``).

    pip install -e '.[bench]'            # twisted
    python tests/bench/compare_twisted.py [--rounds 3] [--json-only]

Each server runs in its own process (so the load generator, this process, does not share its GIL); the load
generator is ``poplab bench``'s own code. Measured, alternating between the servers round by round and keeping
each server's best round (other work on the machine only ever makes a round slower):

- sessions/s with 50 concurrent clients doing full sessions (target: poplab >= 1.5x twisted),
- RETR MB/s on a 2 MB message (target: >= 2x), with one client (each RETR waits for the one before:
  latency-bound) and with two (the server has work all the time: throughput-bound),
- a short session's p50 latency with 800 idle connections held vs none (target: no slower),
- poplab's RSS with 1,000 idle connections held (target: < 100 MB, from /proc/PID/status VmRSS).

Also shown: each server's CPU time per session / per RETR (from /proc/PID/stat), which depends neither on how
busy the load generator is nor (much) on other work on the machine. The whole run takes under two minutes;
every step is bounded and ends by itself. Not collected by pytest (``tests/bench`` is excluded); Linux only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from comparison_table import Figures, Round  # shared with compare_dovecot.py

from poplab.bench import fixtures
from poplab.bench.accounts import Credential, from_pattern
from poplab.bench.bounds import Bounds, Tally
from poplab.bench.idle import idle_connections, raise_nofile, run_idle
from poplab.bench.retr import run_retr
from poplab.bench.sessions import run_sessions

HERE = Path(__file__).parent
SERVERS = {"poplab": HERE / "poplab_server.py", "twisted": HERE / "twisted_server.py"}
CLIENTS = 50
IDLE = 800
RSS_IDLE = 1000
LIFETIME = 600.0
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    name: str
    process: subprocess.Popen[str]
    port: int

    def cpu(self) -> float:
        """User + system CPU seconds of the server process so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")


def start(name: str) -> Server:
    process = subprocess.Popen(
        [sys.executable, str(SERVERS[name]), "--lifetime", str(LIFETIME)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # the server prints its port once listening, or exits
    if not line.startswith("PORT "):
        process.kill()
        raise SystemExit(f"{name} server did not start (exit code {process.wait(10)})")
    return Server(name, process, int(line.split()[1]))


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(10)


Measure = Callable[[Server], Awaitable[tuple[float, int, float, int]]]
"""Runs one round against a server: (figure, operations, elapsed seconds, errors)."""


def sessions_round(duration: float) -> Measure:
    credentials = from_pattern(fixtures.SESSION_USER, fixtures.BENCH_PASSWORD, CLIENTS)

    async def measure(server: Server) -> tuple[float, int, float, int]:
        result = await run_sessions("127.0.0.1", server.port, credentials, Bounds(duration))
        return result.sessions_per_s, result.sessions, result.elapsed_s, result.errors

    return measure


def retr_round(duration: float, clients: int) -> Measure:
    credentials = from_pattern(fixtures.LARGE_USER, fixtures.BENCH_PASSWORD, clients)

    async def measure(server: Server) -> tuple[float, int, float, int]:
        result = await run_retr("127.0.0.1", server.port, credentials, Bounds(duration))
        return result.mb_per_s, result.retrievals, result.elapsed_s, result.errors

    return measure


def run_rounds(servers: list[Server], measure: Measure, rounds: int) -> Figures:
    figures = Figures({server.name: [] for server in servers})
    for index in range(rounds):
        for server in servers if index % 2 == 0 else servers[::-1]:
            cpu, client = server.cpu(), time.process_time()
            figure, operations, elapsed, errors = asyncio.run(measure(server))
            figures.rounds[server.name].append(
                Round(figure, operations, server.cpu() - cpu, time.process_time() - client, elapsed, errors)
            )
    return figures


def idle_figures(server: Server, credential: Credential) -> dict[str, Any]:
    result = asyncio.run(run_idle("127.0.0.1", server.port, credential, IDLE, Bounds(duration=10, limit=1000)))
    return {
        "p50_none_ms": result.without_idle.p50_ms,
        "p50_none_after_ms": result.without_idle_after.p50_ms,
        "p50_idle_ms": result.with_idle.p50_ms,
        "p99_none_ms": result.without_idle.p99_ms,
        "p99_idle_ms": result.with_idle.p99_ms,
        "ratio": result.p50_ratio,
        "held": result.idle_held,
        "errors": result.errors,
    }


def rss_with_idle(server: Server) -> dict[str, Any]:
    async def hold() -> dict[str, Any]:
        before = server.rss_mb()
        tally = Tally()
        async with idle_connections("127.0.0.1", server.port, RSS_IDLE, tally) as held:
            await asyncio.sleep(0.5)
            during = server.rss_mb()
        return {"rss_before_mb": round(before, 1), "rss_idle_mb": round(during, 1), "held": held}

    return asyncio.run(hold())


def throughput_lines(label: str, unit: str, figures: Figures, target: float) -> tuple[list[str], dict[str, Any]]:
    ours, theirs = figures.best("poplab"), figures.best("twisted")
    ratio = ours.figure / theirs.figure if theirs.figure else float("inf")
    verdict = "met" if ratio >= target else "MISSED"
    cpu_ours, cpu_theirs = figures.cpu_per_op_ms("poplab"), figures.cpu_per_op_ms("twisted")
    lines = [
        f"{label}: poplab {ours.figure:.1f} {unit}, twisted {theirs.figure:.1f} {unit} "
        f"-> {ratio:.2f}x (target >= {target}x: {verdict})",
        f"    server CPU per operation: poplab {cpu_ours:.3f} ms, twisted {cpu_theirs:.3f} ms "
        f"(-> {cpu_theirs / cpu_ours:.2f}x less CPU)",
        "    rounds (figure / load generator busy): "
        + "; ".join(
            f"{name} " + ", ".join(f"{r.figure:.0f}/{100 * r.client_cpu / r.elapsed:.0f}%" for r in rounds)
            for name, rounds in figures.rounds.items()
        ),
    ]
    data = {
        "poplab": ours.figure,
        "twisted": theirs.figure,
        "ratio": round(ratio, 3),
        "target": target,
        "met": ratio >= target,
        "server_cpu_ms_per_op": {"poplab": round(cpu_ours, 4), "twisted": round(cpu_theirs, 4)},
        "errors": sum(r.errors for rounds in figures.rounds.values() for r in rounds),
    }
    return lines, data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="rounds per server and figure (default 3)")
    parser.add_argument("--sessions-seconds", type=float, default=6.0)
    parser.add_argument("--retr-seconds", type=float, default=5.0)
    parser.add_argument(
        "--retr-clients", type=int, nargs="+", default=[1, 2], help="RETR is measured at each of these concurrencies"
    )
    parser.add_argument("--json-only", action="store_true")
    args = parser.parse_args()
    try:
        import twisted  # noqa: F401
    except ImportError:
        print("twisted is missing: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    raise_nofile(2 * RSS_IDLE + 2 * IDLE)
    began = time.monotonic()
    servers = [start("poplab"), start("twisted")]
    try:
        report = measure_all(servers, args)
    finally:
        for server in servers:
            stop(server)
    report["seconds"] = round(time.monotonic() - began, 1)
    if not args.json_only:
        print("\n".join(report.pop("lines")))
    else:
        report.pop("lines")
    print(json.dumps(report))
    return 0


def measure_all(servers: list[Server], args: argparse.Namespace) -> dict[str, Any]:
    log = (lambda text: None) if args.json_only else (lambda text: print(text, file=sys.stderr, flush=True))
    log("warming up both servers ...")
    run_rounds(servers, sessions_round(1.0), 1)
    log(f"sessions: {args.rounds} rounds x {args.sessions_seconds:g} s per server ...")
    sessions = run_rounds(servers, sessions_round(args.sessions_seconds), args.rounds)
    retr = {}
    for clients in args.retr_clients:
        log(f"retr, {clients} client(s): {args.rounds} rounds x {args.retr_seconds:g} s per server ...")
        retr[clients] = run_rounds(servers, retr_round(args.retr_seconds, clients), args.rounds)
    log(f"idle: {IDLE} idle connections ...")
    idle_account = Credential(fixtures.SESSION_USER.format(n=CLIENTS + 1), fixtures.BENCH_PASSWORD)
    idle = {server.name: idle_figures(server, idle_account) for server in servers}
    log(f"memory: {RSS_IDLE} idle connections ...")
    rss = {server.name: rss_with_idle(server) for server in servers}

    lines = [f"poplab vs twisted.mail.pop3 ({os.cpu_count()} cores, best of {args.rounds} rounds each)"]
    session_lines, session_data = throughput_lines(f"sessions/s, {CLIENTS} clients", "sessions/s", sessions, 1.5)
    retr_lines: list[str] = []
    retr_data: dict[str, Any] = {}
    for clients, figures in retr.items():
        more_lines, retr_data[f"clients_{clients}"] = throughput_lines(
            f"RETR 2 MB, {clients} client(s)", "MB/s", figures, 2.0
        )
        retr_lines += more_lines
    ours = idle["poplab"]
    idle_met = ours["ratio"] <= 1.0 + 0.1  # "no slower": within 10 % timer noise of a sub-millisecond session
    lines += session_lines + retr_lines
    lines.append(
        f"short session with {IDLE} idle connections: poplab p50 {ours['p50_idle_ms']:.3f} ms vs "
        f"{ours['p50_none_ms']:.3f} / {ours['p50_none_after_ms']:.3f} ms with none (before / after) "
        f"-> {ours['ratio']:.2f}x (target <= 1.0x, 10 % noise allowed: {'met' if idle_met else 'MISSED'}); "
        f"twisted {idle['twisted']['ratio']:.2f}x"
    )
    rss_met = rss["poplab"]["rss_idle_mb"] < 100
    lines.append(
        f"poplab RSS with {rss['poplab']['held']} idle connections: {rss['poplab']['rss_idle_mb']:.1f} MB "
        f"(idle server {rss['poplab']['rss_before_mb']:.1f} MB; target < 100 MB: {'met' if rss_met else 'MISSED'}); "
        f"twisted {rss['twisted']['rss_idle_mb']:.1f} MB"
    )
    return {
        "lines": lines,
        "sessions": session_data,
        "retr": retr_data,
        "idle": {**idle, "met": idle_met},
        "rss": {**rss, "met": rss_met},
    }


if __name__ == "__main__":
    sys.exit(main())
