"""poplab against Dovecot, in one run, over the same Maildirs (project issue 14's comparison).

    python tests/bench/compare_dovecot.py [--rounds 3] [--json-only] [--reuse-pop3]

Run as root on Debian: Dovecot (``dovecot-core dovecot-pop3d``) is installed with apt-get when missing. Everything
lives in one temporary directory, removed at the end (also after an error or Ctrl-C): three copies of the same
mailboxes, Dovecot's own ``dovecot.conf`` (see ``dovecot_server.py``; nothing from ``/etc/dovecot``) and the
servers' logs. Three servers run side by side, each in its own process(es), on free loopback ports:

- Dovecot, high-performance login mode, over ``maildir:<tmp>/dovecot/mail/%u``;
- poplab (``python -m poplab serve --data DIR --port 0 --tls-port -1 --login-delay 0``) with its default session
  log (to a file), and the same with ``--quiet``.

The mailboxes: ``bench1..50@example.com`` (password ``bench``) with 21 messages of 1.2–50 KB each (the five sizes
of ``poplab.bench.fixtures``, four times over, and one more; LF line ends, some body lines begin with a dot), and
``large1..4@example.com`` with one 2 MB message. Files are named as Dovecot's LDA names them
(``<time>.M<n>P<n>Q<n>.bench,S=<size>,W=<CRLF size>:2,S`` in ``cur/``); both servers convert to CRLF and stuff dots.

The load generator is ``poplab bench``'s own code, in this process. Measured, alternating between the servers
round by round and keeping each server's best of ``--rounds``:

- full sessions/s, 50 concurrent clients, one account each (USER, PASS, STAT, LIST, UIDL, RETR of all 21, QUIT);
- RETR of a 2 MB message, MB/s, with 1 and with 4 clients;
- a short session's (USER, PASS, STAT, QUIT) p50 latency with 800 idle connections held vs none (before/after);
- the server's memory with 1,000 idle connections held (RSS; for Dovecot summed over its processes, and PSS).

Idle connections come from 127.0.0.2, 127.0.0.3, ... (50 per address): poplab allows 100 connections per client
address, loopback included. Also shown: each server's CPU per session / per RETR (from /proc, Dovecot's whole
process tree), which moves much less with other work on the machine than throughput does. Every step is bounded;
``--max-minutes`` (default 20) stops the whole run. Not collected by pytest; Linux only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import comparison_table
import dovecot_server
import process_tree
from comparison_table import Figures, Round

from poplab.bench import fixtures
from poplab.bench.accounts import Credential, from_pattern
from poplab.bench.bounds import EXPECTED, Bounds, Tally
from poplab.bench.idle import WARMUP, raise_nofile, time_short_sessions
from poplab.bench.retr import run_retr
from poplab.bench.sessions import run_sessions
from poplab.bench.stats import Latency

HOST = "127.0.0.1"
ACCOUNTS = 50
MESSAGES = 21
LARGE_ACCOUNTS = 4
CLIENTS = 50
IDLE = 800
RSS_IDLE = 1000
PER_SOURCE = 50
"""Idle connections per loopback source address (poplab's limit per client address is 100)."""
CONNECT_AT_ONCE = 50
START_TIMEOUT = 30.0
LOOSEN = {"--login-delay": "0", "--max-per-address": "4096", "--max-connections": "4096"}
"""poplab serve options that keep throttling out of a benchmark, passed when ``--help`` lists them."""


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the mailboxes -------------------------------------------------------------------------------------------


def session_messages() -> list[bytes]:
    return [fixtures.make_message(fixtures.MESSAGE_SIZES[i % 5], i + 1) for i in range(MESSAGES)]


def mailboxes() -> dict[str, list[bytes]]:
    boxes = {fixtures.SESSION_USER.format(n=n): session_messages() for n in range(1, ACCOUNTS + 1)}
    for n in range(1, LARGE_ACCOUNTS + 1):
        boxes[fixtures.LARGE_USER.format(n=n)] = [fixtures.large_message()]
    return boxes


def write_maildir(path: Path, messages: list[bytes]) -> None:
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    for i, message in enumerate(messages):
        crlf_size = len(message) + message.count(b"\n")
        name = f"{1_700_000_000 + i}.M{i}P1Q{i}.bench,S={len(message)},W={crlf_size}:2,S"
        (path / "cur" / name).write_bytes(message)


def write_poplab_data(data: Path, boxes: dict[str, list[bytes]]) -> None:
    data.mkdir(parents=True)
    (data / "accounts.toml").write_text(
        "".join(f'[accounts."{name}"]\npassword = "{fixtures.BENCH_PASSWORD}"\n\n' for name in boxes)
    )
    for name, messages in boxes.items():
        write_maildir(data / "mail" / name, messages)


def write_dovecot_mail(root: Path, boxes: dict[str, list[bytes]]) -> None:
    for name, messages in boxes.items():
        write_maildir(root / "mail" / name, messages)
    for folder, dirs, files in os.walk(root / "mail"):
        for entry in [folder, *(os.path.join(folder, f) for f in dirs + files)]:
            os.chown(entry, dovecot_server.MAIL_UID, dovecot_server.MAIL_GID)


# --- the servers ---------------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    folder: Path
    logfile: Path

    def cpu(self) -> float:
        return process_tree.cpu_seconds(self.process.pid)

    def memory(self) -> process_tree.Memory:
        return process_tree.memory(self.process.pid)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def greets(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=2) as conn:
            return conn.recv(512).startswith(b"+OK")
    except OSError:
        return False


def wait_ready(server: Server, port_from: Callable[[], int | None]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        port = port_from()
        if port and greets(port):
            server.port = port
            return
        time.sleep(0.1)
    tail = server.logfile.read_text(errors="replace")[-2000:] if server.logfile.exists() else ""
    raise SystemExit(f"{server.name} did not start (exit code {server.process.poll()}):\n{tail}")


def poplab_options() -> list[str]:
    """The throttle-off options this version of ``poplab serve`` knows (read from its --help)."""
    text = subprocess.run(
        [sys.executable, "-m", "poplab", "serve", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    return [part for option, value in LOOSEN.items() if option in text for part in (option, value)]


def start_poplab(name: str, folder: Path, options: list[str]) -> Server:
    data = folder / "data"
    command = [sys.executable, "-m", "poplab", "serve", "--data", str(data), "--port", "0", "--tls-port", "-1"]
    banner, logfile = folder / "banner.txt", folder / "session.log"
    with banner.open("wb") as out, logfile.open("wb") as err:
        process = subprocess.Popen(
            [*command, *options],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=dovecot_server.die_with_parent,
        )
    server = Server(name, process, 0, folder, logfile)

    def port_from_banner() -> int | None:
        for line in banner.read_text(errors="replace").splitlines():
            if line.startswith("poplab: POP3 on "):
                return int(line.rsplit(":", 1)[1].split()[0])
        return None

    wait_ready(server, port_from_banner)
    return server


def start_dovecot(binary: str, folder: Path, boxes: dict[str, list[bytes]], reuse_pop3: bool) -> Server:
    write_dovecot_mail(folder, boxes)
    port = free_port()
    users = [(name, fixtures.BENCH_PASSWORD) for name in boxes]
    config = dovecot_server.write_config(folder, port, users, reuse_pop3)
    server = Server("dovecot", dovecot_server.start(binary, config), 0, folder, folder / "dovecot.log")
    wait_ready(server, lambda: port)
    return server


def stop(server: Server) -> None:
    with contextlib.suppress(ProcessLookupError):
        server.process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.process.wait(10)
    with contextlib.suppress(ProcessLookupError, PermissionError):  # its own session: whatever is left of it
        os.killpg(server.process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.process.wait(10)


# --- measuring -----------------------------------------------------------------------------------------------


Measure = Callable[[Server], Awaitable[tuple[float, int, float, int]]]


def sessions_round(duration: float) -> Measure:
    credentials = from_pattern(fixtures.SESSION_USER, fixtures.BENCH_PASSWORD, CLIENTS)

    async def measure(server: Server) -> tuple[float, int, float, int]:
        result = await run_sessions(HOST, server.port, credentials, Bounds(duration))
        return result.sessions_per_s, result.sessions, result.elapsed_s, result.errors

    return measure


def retr_round(duration: float, clients: int) -> Measure:
    credentials = from_pattern(fixtures.LARGE_USER, fixtures.BENCH_PASSWORD, clients)

    async def measure(server: Server) -> tuple[float, int, float, int]:
        result = await run_retr(HOST, server.port, credentials, Bounds(duration))
        return result.mb_per_s, result.retrievals, result.elapsed_s, result.errors

    return measure


def run_rounds(servers: list[Server], measure: Measure, rounds: int) -> Figures:
    """Round i starts with server i (mod n), so none is always measured first or last."""
    figures = Figures({server.name: [] for server in servers})
    for index in range(rounds):
        shift = index % len(servers)
        for server in servers[shift:] + servers[:shift]:
            cpu, client = server.cpu(), time.process_time()
            figure, operations, elapsed, errors = asyncio.run(measure(server))
            figures.rounds[server.name].append(
                Round(figure, operations, server.cpu() - cpu, time.process_time() - client, elapsed, errors)
            )
    return figures


@contextlib.asynccontextmanager
async def idle_connections(port: int, count: int, tally: Tally) -> AsyncIterator[int]:
    """Hold ``count`` greeted, silent connections, :data:`PER_SOURCE` from each of 127.0.0.2, 127.0.0.3, ..."""
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)

    async def one(index: int) -> asyncio.StreamWriter | None:
        source = f"127.0.0.{2 + index // PER_SOURCE}"
        async with gate:
            writer = None
            try:
                async with asyncio.timeout(30):
                    reader, writer = await asyncio.open_connection(HOST, port, local_addr=(source, 0))
                    greeting = await reader.readline()
                if not greeting.startswith(b"+OK"):
                    raise ConnectionError(f"greeting {greeting[:60]!r}")
                return writer
            except EXPECTED as problem:
                tally.fail(problem)
                if writer is not None:
                    writer.transport.abort()
                return None

    held = [w for w in await asyncio.gather(*(one(i) for i in range(count))) if w is not None]
    try:
        yield len(held)
    finally:
        for writer in held:
            writer.transport.abort()


def idle_figures(server: Server, credential: Credential, bounds: Bounds) -> dict[str, Any]:
    async def run() -> dict[str, Any]:
        tally = Tally()
        warm = Bounds(bounds.duration, WARMUP, bounds.timeout)
        await time_short_sessions(HOST, server.port, credential, warm, tally)
        before = await time_short_sessions(HOST, server.port, credential, bounds, tally)
        async with idle_connections(server.port, IDLE, tally) as held:
            loaded = await time_short_sessions(HOST, server.port, credential, bounds, tally)
        after = await time_short_sessions(HOST, server.port, credential, bounds, tally)
        return summary(before, loaded, after, held, tally)

    return asyncio.run(run())


def summary(before: Latency, loaded: Latency, after: Latency, held: int, tally: Tally) -> dict[str, Any]:
    none = (before.p50_ms + after.p50_ms) / 2
    return {
        "p50_none_ms": round(none, 3),
        "p50_none_before_ms": before.p50_ms,
        "p50_none_after_ms": after.p50_ms,
        "p50_idle_ms": loaded.p50_ms,
        "p99_none_ms": before.p99_ms,
        "p99_idle_ms": loaded.p99_ms,
        "sessions": before.count + loaded.count + after.count,
        "ratio": round(loaded.p50_ms / none, 3) if none else float("nan"),
        "held": held,
        "errors": tally.failed,
        "first_errors": tally.messages,
    }


def memory_figures(server: Server) -> dict[str, Any]:
    async def hold() -> dict[str, Any]:
        before = server.memory()
        tally = Tally()
        async with idle_connections(server.port, RSS_IDLE, tally) as held:
            await asyncio.sleep(1.0)
            during = server.memory()
        return {
            "rss_before_mb": before.rss_mb,
            "pss_before_mb": before.pss_mb,
            "rss_idle_mb": during.rss_mb,
            "pss_idle_mb": during.pss_mb,
            "processes": during.processes,
            "held": held,
            "errors": tally.failed,
        }

    return asyncio.run(hold())


# --- the run -------------------------------------------------------------------------------------------------


def measure_all(servers: list[Server], args: argparse.Namespace) -> dict[str, Any]:
    say = (lambda text: None) if args.json_only else log
    say("warming up (indexes, caches) ...")
    run_rounds(servers, sessions_round(1.0), 1)
    run_rounds(servers, retr_round(1.0, LARGE_ACCOUNTS), 1)
    say(f"sessions: {args.rounds} rounds x {args.sessions_seconds:g} s per server ...")
    sessions = run_rounds(servers, sessions_round(args.sessions_seconds), args.rounds)
    retr = {}
    for clients in args.retr_clients:
        say(f"retr, {clients} client(s): {args.rounds} rounds x {args.retr_seconds:g} s per server ...")
        retr[clients] = run_rounds(servers, retr_round(args.retr_seconds, clients), args.rounds)
    say(f"idle: short sessions with {IDLE} idle connections vs none ...")
    credential = Credential(fixtures.SESSION_USER.format(n=1), fixtures.BENCH_PASSWORD)
    idle = {s.name: idle_figures(s, credential, Bounds(duration=8, limit=800)) for s in servers}
    say(f"memory: {RSS_IDLE} idle connections ...")
    memory = {s.name: memory_figures(s) for s in servers}
    return {"sessions": sessions, "retr": retr, "idle": idle, "memory": memory}


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="rounds per server and figure (default 3)")
    parser.add_argument("--sessions-seconds", type=float, default=6.0)
    parser.add_argument("--retr-seconds", type=float, default=5.0)
    parser.add_argument("--retr-clients", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--reuse-pop3", action="store_true", help="Dovecot: reuse POP3 processes (service_count=0)")
    parser.add_argument("--max-minutes", type=float, default=20.0, help="stop the whole run after this long")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, config)")
    parser.add_argument("--json-only", action="store_true")
    return parser.parse_args()


def interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    args = parse()
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored (nohup, &)
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)
    signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(int(args.max_minutes * 60))
    binary = dovecot_server.ensure_installed(log)
    raise_nofile(RSS_IDLE + IDLE + 4 * CLIENTS)
    began, load_before = time.monotonic(), os.getloadavg()
    root = Path(tempfile.mkdtemp(prefix="poplab-vs-dovecot-"))
    root.chmod(0o755)  # Dovecot's mail processes (nobody) and login processes (dovenull) look inside
    servers: list[Server] = []
    try:
        boxes = mailboxes()
        options = poplab_options()
        for name in ("poplab", "poplab-quiet"):
            write_poplab_data(root / name / "data", boxes)
        servers.append(start_dovecot(binary, root / "dovecot", boxes, args.reuse_pop3))
        servers.append(start_poplab("poplab", root / "poplab", options))
        servers.append(start_poplab("poplab-quiet", root / "poplab-quiet", [*options, "--quiet"]))
        figures = measure_all(servers, args)
        context = {
            "dovecot": dovecot_server.version(binary),
            "poplab_options": options,
            "reuse_pop3": args.reuse_pop3,
            "rounds": args.rounds,
            "load": (load_before, os.getloadavg()),
            "logs": {s.name: comparison_table.log_summary(s.logfile) for s in servers},
        }
        lines, data = comparison_table.render(figures, context)
    finally:
        signal.alarm(0)
        for server in servers:
            stop(server)
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    data["seconds"] = round(time.monotonic() - began, 1)
    if not args.json_only:
        print("\n".join(lines))
    print(json.dumps(data))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt as stopped:
        log(f"interrupted ({stopped or 'Ctrl-C'}): servers stopped, temporary directory removed")
        sys.exit(130)
