"""How a bench result is shown: a few human lines, then one line of JSON with every figure."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

from poplab.bench.idle import IdleResult
from poplab.bench.retr import RetrResult
from poplab.bench.sessions import SessionsResult

Result = SessionsResult | RetrResult | IdleResult


def human(result: Result, target: str) -> list[str]:
    lines = [f"poplab bench {result.mode} against {target}"]
    match result:
        case SessionsResult():
            lines.append(f"  {result.clients} clients, {result.sessions} sessions in {result.elapsed_s:.1f} s")
            lines.append(f"  {result.sessions_per_s:.1f} sessions/s; session latency {result.latency.describe()}")
            lines.append(f"  {result.retrieved_mb:.1f} MB retrieved")
        case RetrResult():
            lines.append(
                f"  {result.clients} clients, RETR {result.message} ({result.message_octets} octets) "
                f"x {result.retrievals} in {result.elapsed_s:.1f} s"
            )
            lines.append(f"  {result.mb_per_s:.1f} MB/s; one RETR {result.latency.describe()}")
        case IdleResult():
            lines.append(f"  short session, no idle connections: {result.without_idle.describe()}")
            lines.append(f"  with {result.idle_held} idle connections held: {result.with_idle.describe()}")
            lines.append(f"  no idle connections again: {result.without_idle_after.describe()}")
            lines.append(f"  p50 with / mean p50 without: {result.p50_ratio:.2f}")
    lines.append(f"  errors: {result.errors}")
    lines.extend(f"    {message}" for message in result.first_errors)
    return lines


def as_json(result: Result) -> str:
    """One line of JSON; NaN (no samples) becomes null so any JSON reader takes it."""
    return json.dumps(_clean(dataclasses.asdict(result)), separators=(", ", ": "))


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
