"""Figures from a bench run: latency percentiles and rates, as plain numbers ready for JSON."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MB = 1_000_000


@dataclass(frozen=True)
class Latency:
    """Latency of a set of timed operations, in milliseconds (nearest-rank percentiles)."""

    count: int
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency:
        if not seconds:
            return cls(0, math.nan, math.nan, math.nan, math.nan)
        ordered = sorted(seconds)
        return cls(
            count=len(ordered),
            p50_ms=_ms(percentile(ordered, 50)),
            p99_ms=_ms(percentile(ordered, 99)),
            mean_ms=_ms(sum(ordered) / len(ordered)),
            max_ms=_ms(ordered[-1]),
        )

    def describe(self) -> str:
        return f"p50 {self.p50_ms:.2f} ms, p99 {self.p99_ms:.2f} ms, max {self.max_ms:.2f} ms (n={self.count})"


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def rate(count: float, seconds: float) -> float:
    return round(count / seconds, 2) if seconds > 0 else 0.0


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)
