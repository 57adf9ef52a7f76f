"""The ``idle`` mode: K idle connections held open (greeted, then silent) while a short session — USER, PASS,
STAT, QUIT — is timed over and over; the same short session is timed with none held just before and just after
(so a slow phase of other work on the machine shows as a difference between those two). A server whose
per-connection cost does not grow with idle connections shows the same latency all three times.

:func:`idle_connections` is also what the comparison script uses to read a server's memory with 1,000 idle
connections held.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from poplab.bench.accounts import Credential
from poplab.bench.bounds import EXPECTED, Bounds, Clock, Tally
from poplab.bench.stats import Latency
from poplab.bench.wire import Connection

CONNECT_AT_ONCE = 50
"""Idle connections are opened this many at a time, so the server's listen backlog never overflows."""
WARMUP = 10
"""Short sessions run and not counted before the first timing."""
SPARE_FDS = 64


@dataclass(frozen=True)
class IdleResult:
    mode: str
    idle_requested: int
    idle_held: int
    without_idle: Latency
    with_idle: Latency
    without_idle_after: Latency
    p50_ratio: float
    errors: int
    nofile_limit: int
    first_errors: tuple[str, ...]

    @property
    def completed(self) -> int:
        return self.without_idle.count + self.with_idle.count + self.without_idle_after.count


def raise_nofile(needed: int) -> int:
    """Raise the soft RLIMIT_NOFILE towards the hard limit when ``needed`` descriptors would not fit; the limit
    in force is returned (0 where the platform has no such limit)."""
    try:
        import resource
    except ImportError:  # not on this platform: nothing to raise
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed + SPARE_FDS:
        wanted = needed + SPARE_FDS if hard == resource.RLIM_INFINITY else min(hard, needed + SPARE_FDS)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
    return int(soft)


@contextlib.asynccontextmanager
async def idle_connections(host: str, port: int, count: int, tally: Tally, timeout: float = 30.0) -> AsyncIterator[int]:
    """Hold ``count`` greeted, silent connections open; yields how many could be opened."""
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)

    async def one() -> Connection | None:
        async with gate:
            try:
                async with asyncio.timeout(timeout):
                    return await Connection.open(host, port)
            except EXPECTED as problem:
                tally.fail(problem)
                return None

    held = [conn for conn in await asyncio.gather(*(one() for _ in range(count))) if conn is not None]
    try:
        yield len(held)
    finally:
        for conn in held:
            conn.abort()


async def short_session(host: str, port: int, credential: Credential) -> None:
    conn = await Connection.open(host, port)
    try:
        await conn.ok(f"USER {credential.name}")
        await conn.ok(f"PASS {credential.password}")
        await conn.ok("STAT")
        await conn.quit()
    finally:
        conn.close()


async def time_short_sessions(host: str, port: int, credential: Credential, bounds: Bounds, tally: Tally) -> Latency:
    """Short sessions one after another until ``bounds`` stop them; their latency."""
    clock = Clock(bounds)
    seconds: list[float] = []
    while not clock.expired and len(seconds) < bounds.limit and not tally.hopeless:
        began = time.perf_counter()
        try:
            async with asyncio.timeout(bounds.timeout):
                await short_session(host, port, credential)
        except EXPECTED as problem:
            tally.fail(problem)
            continue
        seconds.append(time.perf_counter() - began)
        tally.done += 1
    return Latency.of(seconds)


async def run_idle(host: str, port: int, credential: Credential, idle: int, bounds: Bounds) -> IdleResult:
    """``bounds`` apply to each of the three timings. The ratio is the p50 with idle connections over the mean of
    the two p50s without."""
    limit = raise_nofile(idle)
    tally = Tally()
    await time_short_sessions(host, port, credential, Bounds(bounds.duration, WARMUP, bounds.timeout), tally)
    without = await time_short_sessions(host, port, credential, bounds, tally)
    async with idle_connections(host, port, idle, tally, bounds.timeout) as held:
        loaded = await time_short_sessions(host, port, credential, bounds, tally)
    after = await time_short_sessions(host, port, credential, bounds, tally)
    baseline = (without.p50_ms + after.p50_ms) / 2
    ratio = round(loaded.p50_ms / baseline, 3) if without.count and loaded.count and after.count else float("nan")
    return IdleResult(
        mode="idle",
        idle_requested=idle,
        idle_held=held,
        without_idle=without,
        with_idle=loaded,
        without_idle_after=after,
        p50_ratio=ratio,
        errors=tally.failed,
        nofile_limit=limit,
        first_errors=tuple(tally.messages),
    )
