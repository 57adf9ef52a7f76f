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
from poplab.commands.common import CliError

MODES = ("sessions", "retr", "idle")
DEFAULT_USER = {"sessions": fixtures.SESSION_USER, "retr": fixtures.LARGE_USER, "idle": fixtures.SESSION_USER}
DEFAULT_CLIENTS = {"sessions": 50, "retr": 1, "idle": 1}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="load-test a POP3 server (sessions/s, RETR MB/s, latency with idle connections)",
        description="Load-test a POP3 server with a raw client. Every mode stops on its own (--duration, and a "
        "count). Prints a summary and, last, one line of JSON with all figures. Each client logs in to its own "
        "account, so maildrop locks do not serialize them.",
    )
    parser.add_argument("host", metavar="HOST", help="server address, e.g. 127.0.0.1")
    parser.add_argument("port", metavar="PORT", type=int, help="plain POP3 port, e.g. 1110")
    parser.add_argument("--mode", choices=MODES, default="sessions", help="what to measure (default sessions)")
    parser.add_argument("--clients", type=int, help="concurrent clients (default 50 for sessions, 1 for retr)")
    parser.add_argument(
        "--duration", type=float, default=10.0, metavar="SECONDS", help="stop after this long (default 10)"
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
    limit = {"sessions": args.sessions, "retr": args.retrievals, "idle": args.samples}[args.mode]
    try:
        return Bounds(duration=args.duration, limit=limit, timeout=args.timeout)
    except ValueError as problem:
        raise CliError(f"{problem} (--duration at most {MAX_DURATION:g})") from None


async def measure(args: argparse.Namespace) -> Result:
    clients = args.clients if args.clients is not None else DEFAULT_CLIENTS[args.mode]
    if not 1 <= clients <= 10_000:
        raise CliError("--clients must be between 1 and 10000")
    if args.mode == "idle" and not 0 <= args.idle <= 100_000:
        raise CliError("--idle must be between 0 and 100000")
    creds, limits = credentials(args, clients), bounds(args)
    if args.mode == "sessions":
        return await run_sessions(args.host, args.port, creds, limits)
    if args.mode == "retr":
        return await run_retr(args.host, args.port, creds, limits, args.message)
    return await run_idle(args.host, args.port, creds[0], args.idle, limits)


def run(args: argparse.Namespace) -> int:
    result = asyncio.run(measure(args))
    for line in human(result, f"{args.host}:{args.port}"):
        print(line)
    print(as_json(result), flush=True)
    if result.errors and not result.completed:
        raise CliError(f"nothing succeeded against {args.host}:{args.port}: {'; '.join(result.first_errors[:1])}")
    return 1 if result.errors else 0
