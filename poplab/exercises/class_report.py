"""The teacher's report: student × exercise — done, attempts (sessions on the exercise's account), first done at —
as a table for the terminal and as CSV (one row per student and exercise)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from poplab.exercises.classroom import Classroom, Outcome, Student
from poplab.exercises.model import Exercise
from poplab.exercises.texts import msg

NAME_WIDTH = 22
CELL_WIDTH = 9


@dataclass(frozen=True)
class Report:
    students: tuple[Student, ...]
    exercises: tuple[Exercise, ...]
    cells: tuple[tuple[str, str, Outcome], ...]
    """(student slug, exercise id, outcome) for every pair, in roster and exercise order."""

    def cell(self, slug: str, exercise: str) -> Outcome:
        return next(outcome for s, e, outcome in self.cells if (s, e) == (slug, exercise))

    def points(self, student: Student) -> int:
        return sum(e.points for e in self.exercises if self.cell(student.slug, e.id).done)

    def table(self, lang: str | None = None) -> str:
        header = msg("student").render(lang).ljust(NAME_WIDTH)
        header += "".join(exercise.id.ljust(CELL_WIDTH) for exercise in self.exercises)
        lines = [header + msg("done").render(lang) + "  " + msg("points").render(lang)]
        for student in self.students:
            row = student.name[: NAME_WIDTH - 1].ljust(NAME_WIDTH)
            row += "".join(_cell(self.cell(student.slug, e.id)).ljust(CELL_WIDTH) for e in self.exercises)
            done = sum(1 for e in self.exercises if self.cell(student.slug, e.id).done)
            row += f"{done}/{len(self.exercises)}".ljust(6) + str(self.points(student))
            lines.append(row.rstrip())
        lines.append("")
        legend = msg(
            "✓ done, ✗ tried, not done yet, · not tried; the number is the sessions, the time when it was first done."
        )
        lines.append(legend.render(lang))
        return "\n".join(lines)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["student", "login", "exercise", "title", "done", "attempts", "first_done_at", "points"])
        for student in self.students:
            for exercise in self.exercises:
                outcome = self.cell(student.slug, exercise.id)
                writer.writerow(
                    [
                        student.name,
                        f"{student.slug}-{exercise.id}",
                        exercise.id,
                        exercise.title.en,
                        "yes" if outcome.done else "no",
                        outcome.attempts,
                        outcome.first_done_at or "",
                        exercise.points if outcome.done else 0,
                    ]
                )
        return out.getvalue()


def report(classroom: Classroom) -> Report:
    cells = tuple(
        (student.slug, exercise.id, classroom.outcome(student, exercise))
        for student in classroom.students
        for exercise in classroom.exercises
    )
    return Report(classroom.students, classroom.exercises, cells)


def _cell(outcome: Outcome) -> str:
    if outcome.attempts == 0:
        return "·"
    if not outcome.done:
        return f"✗{outcome.attempts}"
    when = (outcome.first_done_at or "")[11:16]
    return f"✓{outcome.attempts} {when}"
