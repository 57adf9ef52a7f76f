"""Who the load generator logs in as: one account per client (so maildrop locks don't serialize the clients),
named by a pattern like ``bench{n}@example.com`` or read from a CSV file of ``name,password`` rows — the kind of
list a teacher hands out in a classroom."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


class AccountsError(ValueError):
    """The accounts asked for cannot be used (a bad pattern, an unreadable or short CSV file)."""


@dataclass(frozen=True)
class Credential:
    name: str
    password: str


def from_pattern(pattern: str, password: str, count: int) -> list[Credential]:
    """``count`` accounts, ``{n}`` in ``pattern`` replaced by 1..count."""
    if "{n}" not in pattern and count > 1:
        raise AccountsError(f"--user {pattern!r} has no {{n}}: {count} clients would share one maildrop lock")
    try:
        return [Credential(pattern.format(n=n), password) for n in range(1, count + 1)]
    except (KeyError, IndexError, ValueError) as problem:
        raise AccountsError(f"--user {pattern!r} is not a valid pattern (use {{n}} for the number)") from problem


def from_csv(path: Path, count: int) -> list[Credential]:
    """The first ``count`` rows of a ``name,password`` CSV file (a header row ``name,password`` is skipped)."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = [row for row in csv.reader(handle) if row and any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError, csv.Error) as problem:
        raise AccountsError(f"cannot read accounts file {path}: {problem}") from problem
    if rows and [cell.strip().lower() for cell in rows[0][:2]] == ["name", "password"]:
        rows = rows[1:]
    bad = next((i for i, row in enumerate(rows, 1) if len(row) < 2 or not row[0].strip()), None)
    if bad is not None:
        raise AccountsError(f"{path}: row {bad} is not name,password")
    if len(rows) < count:
        raise AccountsError(f"{path} has {len(rows)} accounts; {count} clients need one each")
    return [Credential(row[0].strip(), row[1]) for row in rows[:count]]
