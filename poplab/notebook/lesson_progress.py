"""Notebook progress, kept beside the exercises' (``<progress root>/<learner>/notebooks.json``): per lesson task
whether it is done, how many times it was checked, and when it was first done. Every ``check("NN-k")`` notes
one attempt; two kernels checking at once do not lose each other's attempts (the file is locked while updated)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from poplab.exercises.progress import PRIVATE_FILE, Progress, now, private_dir, read_json, write_json

FILE = "notebooks.json"


@dataclass(frozen=True)
class TaskEntry:
    done: bool = False
    attempts: int = 0
    first_done_at: str | None = None
    last_checked_at: str | None = None


class NotebookProgress:
    """One learner's notebook progress (the same learner and folder as ``poplab exercise``)."""

    def __init__(self, root: Path | None = None, learner: str | None = None) -> None:
        self.dir = Progress(root, learner).dir
        self.path = self.dir / FILE

    def entries(self) -> dict[str, TaskEntry]:
        data: dict[str, Any] = read_json(self.path) or {}
        return {task: _entry(value) for task, value in sorted(data.get("tasks", {}).items())}

    def note(self, task: str, passed: bool) -> TaskEntry:
        """One more attempt at ``task``; done stays done."""
        with self._locked():
            entries = self.entries()
            old = entries.get(task, TaskEntry())
            moment = now()
            first = old.first_done_at or (moment if passed else None)
            entry = replace(
                old, done=old.done or passed, attempts=old.attempts + 1, first_done_at=first, last_checked_at=moment
            )
            entries[task] = entry
            write_json(self.path, {"tasks": {key: asdict(value) for key, value in entries.items()}})
            return entry

    @contextmanager
    def _locked(self) -> Iterator[None]:
        private_dir(self.dir)
        handle = os.open(self.dir / f".{FILE}.lock", os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)


def _entry(data: dict[str, Any]) -> TaskEntry:
    return TaskEntry(
        done=bool(data.get("done", False)),
        attempts=int(data.get("attempts", 0)),
        first_done_at=data.get("first_done_at"),
        last_checked_at=data.get("last_checked_at"),
    )
