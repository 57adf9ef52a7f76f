"""The ``retr`` mode: large-RETR throughput. Each client logs in once (its own account), then retrieves one
message over and over until the bounds are reached, checking every copy's size against LIST. Reports MB/s
(message octets as RFC 1939 counts them, 1 MB = 10^6 octets) and the latency of one RETR."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from poplab.bench.accounts import Credential
from poplab.bench.bounds import EXPECTED, Bounds, Clock, Tally
from poplab.bench.sessions import listing
from poplab.bench.stats import MB, Latency, rate
from poplab.bench.wire import BenchError, Connection, SizeCheck


@dataclass(frozen=True)
class RetrResult:
    mode: str
    clients: int
    message: int
    message_octets: int
    retrievals: int
    errors: int
    elapsed_s: float
    mb_per_s: float
    latency: Latency
    first_errors: tuple[str, ...]

    @property
    def completed(self) -> int:
        return self.retrievals


async def _login(host: str, port: int, credential: Credential, number: int | None) -> tuple[Connection, int, int]:
    """Log in and choose the message: ``number``, or the largest. Returns the connection, number and size."""
    conn = await Connection.open(host, port)
    try:
        await conn.ok(f"USER {credential.name}")
        await conn.ok(f"PASS {credential.password}")
        sizes = dict(listing((await conn.ok("LIST")).body))
    except BaseException:
        conn.abort()
        raise
    if not sizes or (number is not None and number not in sizes):
        conn.abort()
        raise BenchError(f"{credential.name}: no message {number or ''} to retrieve (maildrop has {len(sizes)})")
    chosen = number if number is not None else max(sizes, key=lambda n: sizes[n])
    return conn, chosen, sizes[chosen]


async def run_retr(
    host: str, port: int, credentials: Sequence[Credential], bounds: Bounds, number: int | None = None
) -> RetrResult:
    clock = Clock(bounds)
    tally = Tally()
    latencies: list[float] = []
    octets = 0
    chosen = (0, 0)

    async def client(credential: Credential) -> None:
        nonlocal octets, chosen
        try:
            async with asyncio.timeout(bounds.timeout):
                conn, message, size = await _login(host, port, credential, number)
        except EXPECTED as problem:
            tally.fail(problem)
            return
        chosen = (message, size)
        sizes = SizeCheck()
        try:
            while not clock.expired and tally.started < bounds.limit:
                tally.started += 1
                began = time.perf_counter()
                async with asyncio.timeout(bounds.timeout):
                    body = (await conn.ok(f"RETR {message}")).body or b""
                sizes.check(message, size, body)
                latencies.append(time.perf_counter() - began)
                tally.done += 1
                octets += size
            async with asyncio.timeout(bounds.timeout):
                await conn.quit()
        except EXPECTED as problem:
            tally.fail(problem)
        finally:
            conn.close()

    await asyncio.gather(*(client(c) for c in credentials))
    elapsed = clock.elapsed()
    return RetrResult(
        mode="retr",
        clients=len(credentials),
        message=chosen[0],
        message_octets=chosen[1],
        retrievals=tally.done,
        errors=tally.failed,
        elapsed_s=round(elapsed, 3),
        mb_per_s=rate(octets / MB, elapsed),
        latency=Latency.of(latencies),
        first_errors=tuple(tally.messages),
    )
