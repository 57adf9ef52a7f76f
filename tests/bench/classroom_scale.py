#!/usr/bin/env python3
"""How many students one classroom server holds (issue 17): N students, each running a lesson session every
PERIOD seconds (connect, USER, PASS, STAT, LIST, RETR 1, QUIT — exercise 01's session without the DELE, so the
mailbox stays), against ``poplab classroom serve`` in its own process, which checks every session as it ends.
The load generator is one asyncio process; students start spread over the first period.

    python tests/bench/classroom_scale.py --students 500 --period 5 --seconds 40
    python tests/bench/classroom_scale.py --students 500 --period 5 --seconds 40 --check-period 10

With ``--check-period S`` every student also posts a notebook self-check every S seconds to the classroom
server's progress endpoint (``--progress-port``, as students' notebooks do on JupyterHub); a stand-in for the hub
in this process answers "whose token is this" (the endpoint asks it once per student and 5 minutes).

Prints sessions/s, latency of each command reply and of the whole session (p50/p95/p99/max), errors, the
server's CPU share and RSS, and whether the checks kept up (the report's attempts). Target: >= 500 students with
p99 < 100 ms on the 2-core machine."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from process_tree import cpu_seconds, memory


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def reply(reader: asyncio.StreamReader, multi: bool) -> bytes:
    first = await reader.readline()
    if not multi or not first.startswith(b"+OK"):
        return first
    while await reader.readline() not in (b".\r\n", b""):
        pass
    return first


async def session(port: int, login: str, password: str, replies: list[float], errors: list[str]) -> float:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        await reader.readline()
        for line, multi in ((f"USER {login}", False), (f"PASS {password}", False), ("STAT", False), ("LIST", True)):
            sent = time.perf_counter()
            writer.write(line.encode() + b"\r\n")
            answer = await reply(reader, multi)
            replies.append(time.perf_counter() - sent)
            if not answer.startswith(b"+OK"):
                errors.append(f"{login} {line.split()[0]}: {answer!r}")
        for line, multi in (("RETR 1", True), ("QUIT", False)):
            sent = time.perf_counter()
            writer.write(line.encode() + b"\r\n")
            await reply(reader, multi)
            replies.append(time.perf_counter() - sent)
    finally:
        writer.close()
    return time.perf_counter() - start


async def student(port: int, login: str, password: str, args: argparse.Namespace, out: dict[str, list]) -> None:
    await asyncio.sleep(random.uniform(0, args.period))
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        began = time.monotonic()
        try:
            out["sessions"].append(await session(port, login, password, out["replies"], out["errors"]))
        except OSError as problem:
            out["errors"].append(f"{login}: {problem}")
        await asyncio.sleep(max(0.0, args.period - (time.monotonic() - began)))


async def post_check(port: int, slug: str) -> bytes:
    """One self-check as a notebook posts it (HTTP/1.0, the student's token); the status line."""
    body = b'{"task": "01-1", "passed": true}'
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = f"POST /progress HTTP/1.0\r\nAuthorization: token tok-{slug}\r\nContent-Length: {len(body)}\r\n\r\n"
        writer.write(head.encode() + body)
        status = await reader.readline()
        await reader.read()
        return status
    finally:
        writer.close()


async def checker(port: int, slug: str, args: argparse.Namespace, out: dict[str, list]) -> None:
    await asyncio.sleep(random.uniform(0, args.check_period))
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        began = time.monotonic()
        try:
            status = await post_check(port, slug)
            out["checks"].append(time.monotonic() - began)
            if b" 200 " not in status:
                out["errors"].append(f"{slug} check: {status!r}")
        except OSError as problem:
            out["errors"].append(f"{slug} check: {problem}")
        await asyncio.sleep(max(0.0, args.check_period - (time.monotonic() - began)))


async def load(port: int, students: list[dict[str, str]], args: argparse.Namespace) -> dict[str, list]:
    out: dict[str, list] = {"sessions": [], "replies": [], "errors": [], "checks": []}
    work = [student(port, f"{s['slug']}-01", s["password"], args, out) for s in students]
    if args.check_period:
        work += [checker(args.progress_port, s["slug"], args, out) for s in students]
    await asyncio.gather(*work)
    return out


class StandInHub(BaseHTTPRequestHandler):
    """``GET /hub/api/user`` with ``token tok-<slug>`` → ``{"name": "<slug>"}``, as the hub says whose a token is."""

    def do_GET(self) -> None:
        token = (self.headers.get("Authorization") or "").removeprefix("token ").strip()
        body = json.dumps({"name": token.removeprefix("tok-")}).encode()
        self.send_response(200 if token.startswith("tok-") else 403)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--period", type=float, default=5.0, help="seconds between one student's sessions")
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: a free one)")
    parser.add_argument("--check-period", type=float, default=0.0, help="seconds between a student's self-checks")
    args = parser.parse_args()
    args.port = args.port or free_port()
    args.progress_port = free_port()
    hub = ThreadingHTTPServer(("127.0.0.1", 0), StandInHub)
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        roster = folder / "roster.csv"
        roster.write_text("name\n" + "".join(f"Student {i:05d}\n" for i in range(args.students)), encoding="utf-8")
        began = time.monotonic()
        command = [sys.executable, "-m", "poplab", "classroom", "serve", str(roster), "--dir", str(folder / "c")]
        command += ["--port", str(args.port), "--tls-port", "-1", "--smtp-port", "0"]
        if args.check_period:
            command += [
                "--progress-port",
                str(args.progress_port),
                "--hub-api",
                f"http://127.0.0.1:{hub.server_port}/hub/api",
            ]
        log = folder / "server.log"
        with log.open("w") as out:
            server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        while "Press Ctrl-C" not in log.read_text() and server.poll() is None:
            time.sleep(0.2)
        setup = time.monotonic() - began
        students = json.loads((folder / "c" / "class.json").read_text())["students"]
        cpu_before, wall = cpu_seconds(server.pid), time.monotonic()
        result = asyncio.run(load(args.port, students, args))
        cpu = (cpu_seconds(server.pid) - cpu_before) / (time.monotonic() - wall)
        rss = memory(server.pid).rss_mb
        server.terminate()
        server.wait(30)
        replies = [value * 1000 for value in result["replies"]]
        sessions = [value * 1000 for value in result["sessions"]]
        print(f"students {args.students}, one session each every {args.period:g} s, {args.seconds:g} s of load")
        print(f"classroom setup {setup:.1f} s; server RSS {rss:.0f} MB; server CPU {cpu * 100:.0f}% of one core")
        print(f"sessions {len(sessions)} ({len(sessions) / args.seconds:.1f}/s), errors {len(result['errors'])}")
        checks = [value * 1000 for value in result["checks"]]
        if checks:
            print(
                f"self-checks posted {len(checks)} ({len(checks) / args.seconds:.1f}/s), "
                f"each student's every {args.check_period:g} s"
            )
        for name, values in (("reply", replies), ("session", sessions), ("check", checks)):
            if not values:
                continue
            print(
                f"{name:8} p50 {statistics.median(values):6.2f} ms  p95 {percentile(values, 0.95):6.2f} ms  "
                f"p99 {percentile(values, 0.99):6.2f} ms  max {max(values):7.2f} ms"
            )
        for error in result["errors"][:5]:
            print("  error:", error)
        if result["errors"]:
            print(log.read_text()[-3000:])
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
