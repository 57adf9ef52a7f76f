"""The guided tour's engine, without Textual: which step of which lesson the learner is on, whether what they
typed (and what the server answered) completes it, and the progress file in the user data directory.

Progress is a small JSON file: for each lesson the furthest step reached and whether it was finished.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from poplab.tui.lessons import Lesson, Step

PROGRESS_FILE = "tutor-progress.json"


class Verdict(Enum):
    DONE = "done"
    """The step is complete; the tour moves on."""
    WRONG_REPLY = "wrong-reply"
    """The right command, but the server did not answer as the step expects (a typo in the password, say)."""
    OTHER = "other"
    """Not the step's command: it was sent, but the step stays."""


def words_match(step: Step, line: str) -> bool:
    """The keyword in any case, then the arguments exactly (or, with ``exact=False``, the ones the step gives)."""
    want, words = step.command.split(), line.split()
    if not want or not words or words[0].upper() != want[0].upper():
        return False
    rest = words[1 : len(want)] if not step.exact else words[1:]
    return rest == want[1:]


@dataclass
class Tour:
    """A lesson under way: ``index`` is the current step (``len(steps)`` when finished)."""

    lesson: Lesson
    index: int = 0

    @property
    def step(self) -> Step | None:
        return self.lesson.steps[self.index] if self.index < len(self.lesson.steps) else None

    @property
    def finished(self) -> bool:
        return self.step is None

    def command(self, line: str, ok: bool | None) -> Verdict:
        """The learner sent ``line`` and the server answered with ``ok`` (+OK True, -ERR False)."""
        step = self.step
        if step is None or step.action or not words_match(step, line):
            return Verdict.OTHER
        if step.ok is not None and ok is not step.ok:
            return Verdict.WRONG_REPLY
        self.index += 1
        return Verdict.DONE

    def action(self, name: str) -> Verdict:
        """The learner used a tutor action (drop, reconnect, tls)."""
        step = self.step
        if step is None or step.action != name:
            return Verdict.OTHER
        self.index += 1
        return Verdict.DONE


@dataclass(frozen=True)
class LessonProgress:
    reached: int = 0
    finished: bool = False


class Progress:
    """Per lesson, the furthest step reached and whether it was finished; saved after every change."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.lessons: dict[str, LessonProgress] = {}
        if path is not None:
            self.lessons = _load(path)

    def get(self, key: str) -> LessonProgress:
        return self.lessons.get(key, LessonProgress())

    def record(self, tour: Tour) -> None:
        old = self.get(tour.lesson.key)
        new = LessonProgress(max(old.reached, tour.index), old.finished or tour.finished)
        if new != old:
            self.lessons[tour.lesson.key] = new
            self.save()

    def save(self) -> None:
        if self.path is None:
            return
        data = {key: {"reached": p.reached, "finished": p.finished} for key, p in sorted(self.lessons.items())}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"lessons": data}, indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, self.path)


def _load(path: Path) -> dict[str, LessonProgress]:
    """The saved progress; a missing or damaged file counts as no progress (it is only a convenience)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["lessons"]
        return {
            str(key): LessonProgress(int(row["reached"]), bool(row["finished"]))
            for key, row in rows.items()
            if isinstance(row, dict)
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
