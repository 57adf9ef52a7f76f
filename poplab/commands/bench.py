"""``poplab bench HOST PORT``: the load generator on the command line — a human summary, then one JSON line."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from poplab.bench import fixtures
from poplab.bench.accounts import AccountsError, Credential, from_csv, from_pattern
from poplab.bench.bounds import MAX_DURATION, Bounds
from poplab.bench.idle import run_idle
from poplab.bench.report import Result, as_json, human
from poplab.bench.retr import run_retr
from poplab.bench.sessions import run_sessions
from poplab.commands.common import CliError, port

MODES = ("sessions", "retr", "idle")
DEFAULT_USER = {"sessions": fixtures.SESSION_USER, "retr": fixtures.LARGE_USER, "idle": fixtures.SESSION_USER}
DEFAULT_CLIENTS = {"sessions": 50, "retr": 1, "idle": 1}
MAX_CLIENTS = 10_000
MAX_IDLE = 100_000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="load-test a POP3 server (sessions/s, RETR MB/s, latency with idle connections)",
        description="Load-test a POP3 server with a raw client. Every mode stops on its own (--duration, and a "
        "count). Prints a summary and, last, one line of JSON with all figures. Each client logs in to its own "
        "account, so maildrop locks do not serialize them.",
    )
    parser.add_argument("host", metavar="HOST", help="server address, e.g. 127.0.0.1")
    parser.add_argument("port", metavar="PORT", type=port, help="plain POP3 port, e.g. 1110")
    parser.add_argument("--mode", choices=MODES, default="sessions", help="what to measure (default sessions)")
    parser.add_argument("--clients", type=int, help="concurrent clients (default 50 for sessions, 1 for retr)")
    parser.add_argument(
        "--duration",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="stop after this long (default 10; idle mode: each of its two timings)",
    )
    parser.add_argument("--sessions", type=int, default=1_000_000, help="sessions mode: stop after this many")
    parser.add_argument("--retrievals", type=int, default=1_000_000, help="retr mode: stop after this many RETRs")
    parser.add_argument("--samples", type=int, default=300, help="idle mode: short sessions timed each way")
    parser.add_argument("--idle", type=int, default=800, metavar="K", help="idle mode: connections held (800)")
    parser.add_argument("--message", type=int, help="retr mode: message number (default the largest)")
    parser.add_argument(
        "--user",
        metavar="PATTERN",
        help="account names, {n} = 1..clients (default bench{n}@example.com; large{n}@example.com for retr)",
    )
    parser.add_argument("--password", default=fixtures.BENCH_PASSWORD, help="password of every account (bench)")
    parser.add_argument("--accounts", type=Path, metavar="FILE.csv", help="name,password rows, one per client")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per session (default 30)")
    parser.set_defaults(run=run)


def credentials(args: argparse.Namespace, count: int) -> list[Credential]:
    try:
        if args.accounts is not None:
            return from_csv(args.accounts, count)
        return from_pattern(args.user or DEFAULT_USER[args.mode], args.password, count)
    except AccountsError as problem:
        raise CliError(str(problem)) from None


def bounds(args: argparse.Namespace) -> Bounds:
    option, limit = {
        "sessions": ("--sessions", args.sessions),
        "retr": ("--retrievals", args.retrievals),
        "idle": ("--samples", args.samples),
    }[args.mode]
    if not 0 < args.duration <= MAX_DURATION:
        raise CliError(f"--duration must be more than 0 and at most {MAX_DURATION:g} seconds")
    if limit < 1:
        raise CliError(f"{option} must be at least 1")
    if args.timeout <= 0:
        raise CliError("--timeout must be more than 0 seconds")
    return Bounds(duration=args.duration, limit=limit, timeout=args.timeout)


def client_count(args: argparse.Namespace) -> int:
    clients: int = args.clients if args.clients is not None else DEFAULT_CLIENTS[args.mode]
    if not 1 <= clients <= MAX_CLIENTS:
        raise CliError(f"--clients must be between 1 and {MAX_CLIENTS}")
    if args.mode == "idle" and not 0 <= args.idle <= MAX_IDLE:
        raise CliError(f"--idle must be between 0 and {MAX_IDLE}")
    return clients


async def measure(args: argparse.Namespace, creds: list[Credential], limits: Bounds) -> Result:
    if args.mode == "sessions":
        return await run_sessions(args.host, args.port, creds, limits)
    if args.mode == "retr":
        return await run_retr(args.host, args.port, creds, limits, args.message)
    return await run_idle(args.host, args.port, creds[0], args.idle, limits)


def run(args: argparse.Namespace) -> int:
    creds = credentials(args, client_count(args))
    result = asyncio.run(measure(args, creds, bounds(args)))
    for line in human(result, f"{args.host}:{args.port}"):
        print(line)
    print(as_json(result), flush=True)
    if result.errors and not result.completed:
        raise CliError(f"nothing succeeded against {args.host}:{args.port}: {result.first_errors[0]}")
    return 1 if result.errors else 0
