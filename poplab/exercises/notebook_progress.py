"""Notebook progress: per lesson task (``"05-1"``) whether it is done, how many times it was checked, when it was
first done — one learner's ``notebooks.json`` — and its summary per lesson (tasks done / tasks) for a class.

The same file serves a learner alone (``<progress root>/<learner>/notebooks.json``, see
:mod:`poplab.notebook.lesson_progress`) and a classroom (``<classroom>/results/<student>/notebooks.json``, which
the student's notebook writes when ``$POPLAB_CLASSROOM`` and ``$POPLAB_LEARNER`` are set), where
``poplab classroom report`` and the dashboard read it beside the exercises' results.

An update holds an exclusive lock (a file beside it) while it reads, counts and writes, so two kernels of one
learner lose no attempt, and replaces the file whole (temp file + rename), so a reader never sees half of it. Files
are created 0600, folders 0700, as every classroom file.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from poplab.exercises.progress import PRIVATE_FILE, now, private_dir, read_json, write_json

FILE = "notebooks.json"


@dataclass(frozen=True)
class TaskEntry:
    """One lesson task's self-checks."""

    done: bool = False
    attempts: int = 0
    first_done_at: str | None = None
    last_checked_at: str | None = None


class NotebookRecord:
    """The ``notebooks.json`` in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.path = directory / FILE

    def entries(self) -> dict[str, TaskEntry]:
        """Every task checked so far (none when the file is missing or unreadable)."""
        try:
            data = read_json(self.path)
        except (OSError, ValueError):
            return {}
        tasks = data.get("tasks") if isinstance(data, dict) else None
        if not isinstance(tasks, dict):
            return {}
        entries = {}
        for task, value in sorted(tasks.items()):
            try:
                entries[str(task)] = _entry(value)
            except (AttributeError, TypeError, ValueError):
                continue  # a hand-edited entry: left out, the others count
        return entries

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
            write_json(self.path, {"tasks": {key: asdict(value) for key, value in sorted(entries.items())}})
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


@dataclass(frozen=True)
class LessonProgress:
    """One learner's self-checks in one lesson: tasks done of ``total``, checks run, when the last task was done."""

    lesson: str
    total: int
    done: int = 0
    attempts: int = 0
    finished_at: str | None = None
    """When the lesson's last task was first done (only once every task is)."""

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def mark(self) -> str:
        """``·`` before the first check, else tasks done / tasks (``2/3``)."""
        return f"{self.done}/{self.total}" if self.attempts else "·"

    @property
    def column(self) -> str:
        return lesson_column(self.lesson)


def lesson_column(lesson: str) -> str:
    """A lesson's column in the report and the dashboard: ``L05`` (exercise columns are bare numbers)."""
    return f"L{lesson}"


def lessons_of(tasks: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """``("01", 3)`` for each lesson of the task names (``"01-1"``, ``"01-2"`` ...), in lesson order."""
    counts: dict[str, int] = {}
    for task in tasks:
        lesson, dash, _ = task.partition("-")
        if dash:
            counts[lesson] = counts.get(lesson, 0) + 1
    return tuple(sorted(counts.items()))


def summarize(entries: Mapping[str, TaskEntry], lessons: Iterable[tuple[str, int]]) -> tuple[LessonProgress, ...]:
    """Each lesson's progress from one learner's entries; tasks of other lessons are left out."""
    summary = []
    for lesson, total in lessons:
        mine = [entry for task, entry in entries.items() if task.partition("-")[0] == lesson]
        done = min(sum(entry.done for entry in mine), total)
        finished = max((e.first_done_at or "" for e in mine if e.done), default="") if done >= total else ""
        attempts = sum(entry.attempts for entry in mine)
        summary.append(LessonProgress(lesson, total, done, attempts, finished or None))
    return tuple(summary)


def _entry(data: dict[str, Any]) -> TaskEntry:
    return TaskEntry(
        done=bool(data.get("done", False)),
        attempts=int(data.get("attempts", 0)),
        first_done_at=data.get("first_done_at"),
        last_checked_at=data.get("last_checked_at"),
    )
