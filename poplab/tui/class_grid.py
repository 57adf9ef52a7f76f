"""The class dashboard's grid, without Textual: every student × exercise of a running classroom as done, in progress,
stuck (many ``-ERR`` replies or many sessions in the last minutes) or not started — the same outcomes
``poplab classroom report`` prints, read from the same files — plus sorting and class totals.

It watches the classroom's data directory rather than asking the server: :meth:`ClassGrid.poll` looks at the
modification time of each student's ``results/<student>/`` folder (the classroom writes a result file whole, by
rename, after every session it checked, so the folder changes), and re-reads only what changed, appending the new
lines of the student's record files. A poll with nothing new costs one ``stat`` per student.

Notebook lessons, when the grid is given them, are columns of their own (``L01`` ...): tasks done / tasks of the
student's self-checks, read from ``results/<student>/notebooks.json`` — which the student's notebook replaces
whole at every check, so the same folder's modification time tells.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from poplab.exercises.classroom import Classroom, Student
from poplab.exercises.model import Exercise
from poplab.exercises.notebook_progress import LessonProgress, lesson_column
from poplab.exercises.record import SessionRecord, records_from_jsonl

Status = Literal["done", "stuck", "working", "new"]
STUCK_WINDOW = 300.0
"""Seconds: "lately" for the stuck rule."""
STUCK_ERRORS = 5
"""This many -ERR replies in the sessions of the last :data:`STUCK_WINDOW` seconds make a student stuck."""
STUCK_SESSIONS = 4
"""So do this many sessions in that time without getting the exercise done."""
FRESH_NS = 1_000_000_000
"""A folder changed this recently is read again at every poll: two results written within one tick of a coarse
file-system clock leave the same modification time."""
MARKS = {"done": "✓", "stuck": "⚠", "working": "✗", "new": "·"}
SORTS = ("name", "done", "stuck")


@dataclass(frozen=True)
class Cell:
    status: Status
    attempts: int = 0
    failed_logins: int = 0
    recent_errors: int = 0
    recent_sessions: int = 0

    @property
    def mark(self) -> str:
        return "·" if self.status == "new" else f"{MARKS[self.status]}{self.attempts}"


@dataclass
class _Records:
    """One record file as far as it has been read."""

    offset: int = 0
    sessions: list[SessionRecord] = field(default_factory=list)


class ClassGrid:
    def __init__(
        self, classroom: Classroom, clock: Callable[[], float] = time.time, lessons: Iterable[tuple[str, int]] = ()
    ) -> None:
        self.classroom = classroom
        self.clock = clock
        self.students: tuple[Student, ...] = classroom.students
        self.exercises: tuple[Exercise, ...] = classroom.exercises
        self.lessons: tuple[tuple[str, int], ...] = tuple(lessons)
        """The notebook lessons with self-checks and their number of tasks."""
        self.lesson_columns: tuple[str, ...] = tuple(lesson_column(lesson) for lesson, _ in self.lessons)
        self.cells: dict[tuple[str, str], Cell] = {}
        self.notebooks: dict[tuple[str, str], LessonProgress] = {}
        """(student, lesson column) → the student's notebook progress in that lesson."""
        self._seen: dict[str, int] = {}
        """mtime (ns) of each student's results folder when last read."""
        self._records: dict[tuple[str, str], _Records] = {}
        self.poll()

    # ---- watching ---------------------------------------------------------------------------------------

    def poll(self) -> set[tuple[str, str]]:
        """Read what changed since the last poll; the (student, exercise) cells whose mark or status changed
        (also a stuck student who is no longer stuck, as minutes pass)."""
        changed: set[tuple[str, str]] = set()
        results = self.classroom.dir / "results"
        recently = time.time_ns() - FRESH_NS
        for student in self.students:
            try:
                stamp = os.stat(results / student.slug).st_mtime_ns
            except FileNotFoundError:
                stamp = 0
            if self._seen.get(student.slug) != stamp or stamp > recently:
                self._seen[student.slug] = stamp
                changed |= self._read_student(student)
        changed |= self._age()
        return changed

    def _read_student(self, student: Student) -> set[tuple[str, str]]:
        changed = set()
        for exercise in self.exercises:
            key = (student.slug, exercise.id)
            cell = self._cell(student, exercise)
            if self.cells.get(key) != cell:
                self.cells[key] = cell
                changed.add(key)
        if self.lessons:
            for progress in self.classroom.notebooks(student, self.lessons):
                key = (student.slug, progress.column)
                if self.notebooks.get(key) != progress:
                    self.notebooks[key] = progress
                    changed.add(key)
        return changed

    def _cell(self, student: Student, exercise: Exercise) -> Cell:
        outcome = self.classroom.outcome(student, exercise)
        if outcome.attempts == 0:
            return Cell("new", 0, outcome.failed_logins)
        sessions = self.sessions(student.slug, exercise.id)
        since = self.clock() - STUCK_WINDOW
        recent = [s for s in sessions if (s.closed or s.opened) >= since]
        errors = sum(1 for s in recent for e in s.exchanges() if e.ok is False)
        if outcome.done:
            status: Status = "done"
        elif errors >= STUCK_ERRORS or len(recent) >= STUCK_SESSIONS:
            status = "stuck"
        else:
            status = "working"
        return Cell(status, outcome.attempts, outcome.failed_logins, errors, len(recent))

    def _age(self) -> set[tuple[str, str]]:
        """Stuck cells whose sessions have grown old are worked out again."""
        changed = set()
        for (slug, number), cell in list(self.cells.items()):
            if cell.status == "stuck":
                student = next(s for s in self.students if s.slug == slug)
                exercise = next(e for e in self.exercises if e.id == number)
                new = self._cell(student, exercise)
                if new != cell:
                    self.cells[(slug, number)] = new
                    changed.add((slug, number))
        return changed

    def sessions(self, slug: str, exercise: str) -> list[SessionRecord]:
        """Every recorded session of the student on the exercise, reading only the lines appended since."""
        path = self.classroom.dir / "records" / slug / f"{exercise}.jsonl"
        known = self._records.setdefault((slug, exercise), _Records())
        try:
            with path.open("rb") as file:
                size = os.fstat(file.fileno()).st_size
                if size < known.offset:  # reset: a new file
                    known.offset, known.sessions = 0, []
                file.seek(known.offset)
                new = file.read()
        except FileNotFoundError:
            known.offset, known.sessions = 0, []
            return []
        complete = new[: new.rfind(b"\n") + 1]
        known.sessions.extend(records_from_jsonl(complete.decode("utf-8", "replace")))
        known.offset += len(complete)
        return list(known.sessions)

    # ---- what the screen shows ------------------------------------------------------------------------------

    def cell(self, slug: str, exercise: str) -> Cell:
        return self.cells.get((slug, exercise), Cell("new"))

    def lesson(self, slug: str, column: str) -> LessonProgress:
        """The student's notebook progress in the lesson of ``column`` (``L01``)."""
        found = self.notebooks.get((slug, column))
        if found is not None:
            return found
        lesson = column.removeprefix("L")
        return LessonProgress(lesson, dict(self.lessons).get(lesson, 0))

    def lesson_status(self, slug: str, column: str) -> Status:
        """done (every task), working (checked at least once), new."""
        progress = self.lesson(slug, column)
        return "done" if progress.complete else "working" if progress.attempts else "new"

    def done(self, slug: str) -> int:
        return sum(self.cell(slug, e.id).status == "done" for e in self.exercises)

    def stuck(self, slug: str) -> int:
        return sum(self.cell(slug, e.id).status == "stuck" for e in self.exercises)

    def points(self, slug: str) -> int:
        return sum(e.points for e in self.exercises if self.cell(slug, e.id).status == "done")

    def order(self, key: str) -> list[Student]:
        """The students sorted by ``name``, ``done`` (most first), ``stuck`` (most stuck cells first) or an
        exercise's id (done, stuck, in progress, not started; then more sessions first)."""
        rank = {"done": 0, "stuck": 1, "working": 2, "new": 3}
        students = sorted(self.students, key=lambda s: s.name.casefold())
        if key == "done":
            return sorted(students, key=lambda s: -self.done(s.slug))
        if key == "stuck":
            return sorted(
                students, key=lambda s: -sum(self.cell(s.slug, e.id).status == "stuck" for e in self.exercises)
            )
        if key in self.lesson_columns:
            return sorted(students, key=lambda s: (-self.lesson(s.slug, key).done, -self.lesson(s.slug, key).attempts))
        if any(e.id == key for e in self.exercises):
            return sorted(
                students, key=lambda s: (rank[self.cell(s.slug, key).status], -self.cell(s.slug, key).attempts)
            )
        return students

    def totals(self, exercise: str | None = None) -> dict[Status, int]:
        """How many cells (of one exercise, or of all) have each status."""
        counts: dict[Status, int] = {"done": 0, "stuck": 0, "working": 0, "new": 0}
        for student in self.students:
            for item in self.exercises:
                if exercise is None or item.id == exercise:
                    counts[self.cell(student.slug, item.id).status] += 1
        return counts

    def lesson_marks(self) -> dict[tuple[str, str], str]:
        """Every notebook cell's mark (``·`` or tasks done / tasks), by (student, lesson column)."""
        return {(s.slug, c): self.lesson(s.slug, c).mark for s in self.students for c in self.lesson_columns}

    def marks(self) -> dict[tuple[str, str], str]:
        """Every cell's mark (for tests and the benchmark)."""
        return {(s.slug, e.id): self.cell(s.slug, e.id).mark for s in self.students for e in self.exercises}
