"""What stops a bench run on its own: a wall-clock duration, a count, a per-session timeout, and giving up
when nothing succeeds. Also the error tally every mode reports."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from poplab.bench.wire import BenchError

MAX_DURATION = 3600.0
"""No bench run goes on for more than an hour, whatever it is asked."""
EXPECTED = (BenchError, OSError, TimeoutError, EOFError)
"""What a session under load may run into; anything else is a bug in the load generator and propagates."""


@dataclass(frozen=True)
class Bounds:
    """Stop after ``duration`` seconds or ``limit`` operations, whichever comes first; each session is given
    at most ``timeout`` seconds."""

    duration: float = 10.0
    limit: int = 1_000_000
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if not 0 < self.duration <= MAX_DURATION:
            raise ValueError(f"duration must be in (0, {MAX_DURATION:g}] seconds")
        if self.limit < 1 or self.timeout <= 0:
            raise ValueError("the count and the timeout must be positive")


@dataclass
class Tally:
    """Operations started, done and failed; the first few errors are kept as text."""

    started: int = 0
    done: int = 0
    failed: int = 0
    messages: list[str] = field(default_factory=list)

    def fail(self, problem: BaseException) -> None:
        self.failed += 1
        if len(self.messages) < 5:
            self.messages.append(f"{type(problem).__name__}: {problem}")

    @property
    def hopeless(self) -> bool:
        """Nothing has worked and errors pile up: the server is not there or refuses us."""
        return self.done == 0 and self.failed >= 20


class Clock:
    """A deadline on the running loop's clock."""

    def __init__(self, bounds: Bounds) -> None:
        self.loop = asyncio.get_running_loop()
        self.start = self.loop.time()
        self.deadline = self.start + bounds.duration

    @property
    def expired(self) -> bool:
        return self.loop.time() >= self.deadline

    def elapsed(self) -> float:
        return self.loop.time() - self.start
