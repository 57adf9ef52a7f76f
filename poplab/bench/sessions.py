"""The ``sessions`` mode: N concurrent clients, each doing full sessions over and over — USER, PASS, STAT, LIST,
UIDL, RETR of every message, QUIT — one account per client. Reports sessions/s and session latency."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from poplab.bench.accounts import Credential
from poplab.bench.bounds import EXPECTED, Bounds, Clock, Tally
from poplab.bench.stats import MB, Latency, rate
from poplab.bench.wire import BenchError, Connection, SizeCheck

ERROR_PAUSE = 0.05
"""After a failed session a client waits this long, so a refusing server is not hammered in a tight loop."""


@dataclass(frozen=True)
class SessionsResult:
    mode: str
    clients: int
    sessions: int
    errors: int
    elapsed_s: float
    sessions_per_s: float
    latency: Latency
    retrieved_mb: float
    first_errors: tuple[str, ...]

    @property
    def completed(self) -> int:
        return self.sessions


def listing(reply_body: bytes | None) -> list[tuple[int, int]]:
    """``(number, size)`` pairs of a LIST body."""
    if reply_body is None:
        raise BenchError("LIST: no body")
    pairs = []
    for line in reply_body.split(b"\r\n"):
        if line:
            number, size = line.split(b" ", 2)[:2]
            pairs.append((int(number), int(size)))
    return pairs


async def full_session(host: str, port: int, credential: Credential, sizes: SizeCheck) -> int:
    """One whole POP3 session; returns the octets retrieved. Raises :class:`BenchError` on anything unexpected."""
    conn = await Connection.open(host, port)
    try:
        await conn.ok(f"USER {credential.name}")
        await conn.ok(f"PASS {credential.password}")
        count = int((await conn.ok("STAT")).status.split(b" ")[1])
        messages = listing((await conn.ok("LIST")).body)
        uids = ((await conn.ok("UIDL")).body or b"").count(b"\n")
        if len(messages) != count or uids != count:
            raise BenchError(f"STAT says {count} messages, LIST {len(messages)}, UIDL {uids}")
        retrieved = 0
        for number, size in messages:
            sizes.check(number, size, (await conn.ok(f"RETR {number}")).body or b"")
            retrieved += size
        await conn.quit()
        return retrieved
    finally:
        conn.close()


async def run_sessions(host: str, port: int, credentials: Sequence[Credential], bounds: Bounds) -> SessionsResult:
    """One client per credential, each running sessions until the bounds are reached."""
    clock = Clock(bounds)
    tally = Tally()
    latencies: list[float] = []
    octets = 0

    async def client(credential: Credential) -> None:
        nonlocal octets
        sizes = SizeCheck()
        while not clock.expired and tally.started < bounds.limit and not tally.hopeless:
            tally.started += 1
            began = time.perf_counter()
            try:
                async with asyncio.timeout(bounds.timeout):
                    retrieved = await full_session(host, port, credential, sizes)
            except EXPECTED as problem:
                tally.fail(problem)
                await asyncio.sleep(ERROR_PAUSE)
                continue
            latencies.append(time.perf_counter() - began)
            tally.done += 1
            octets += retrieved

    await asyncio.gather(*(client(c) for c in credentials))
    elapsed = clock.elapsed()
    return SessionsResult(
        mode="sessions",
        clients=len(credentials),
        sessions=tally.done,
        errors=tally.failed,
        elapsed_s=round(elapsed, 3),
        sessions_per_s=rate(tally.done, elapsed),
        latency=Latency.of(latencies),
        retrieved_mb=round(octets / MB, 3),
        first_errors=tuple(tally.messages),
    )
