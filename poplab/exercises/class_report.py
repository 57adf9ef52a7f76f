"""The teacher's report: student × exercise — done, attempts (sessions on the exercise's account), first done at —
and, beside the exercises, student × notebook lesson — tasks done / tasks of the lesson's self-checks — as a table
for the terminal, as CSV (one row per student and exercise, then per student and lesson) and as a printable HTML
page whose cells link to each student's sessions, annotated (passwords never in them: the records hold them
redacted)."""

from __future__ import annotations

import csv
import html as markup
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from poplab.annotate import annotate, render
from poplab.exercises.classroom import Classroom, Outcome, Student
from poplab.exercises.model import Exercise
from poplab.exercises.notebook_progress import LessonProgress, lesson_column, lessons_of
from poplab.exercises.record import SessionRecord, records_from_jsonl
from poplab.exercises.texts import msg
from poplab.i18n import N_, translator
from poplab.transcript import Transcript, TranscriptLine

NAME_WIDTH = 22
CELL_WIDTH = 9
LESSON_WIDTH = 6


@dataclass(frozen=True)
class Report:
    students: tuple[Student, ...]
    exercises: tuple[Exercise, ...]
    cells: tuple[tuple[str, str, Outcome], ...]
    """(student slug, exercise id, outcome) for every pair, in roster and exercise order."""
    lessons: tuple[tuple[str, int], ...] = ()
    """The notebook lessons with self-checks and their number of tasks (none: no notebook columns)."""
    notebooks: tuple[tuple[str, LessonProgress], ...] = ()
    """(student slug, progress) for every student and lesson."""

    def lesson(self, slug: str, lesson: str) -> LessonProgress:
        found = (p for s, p in self.notebooks if s == slug and p.lesson == lesson)
        return next(found, LessonProgress(lesson, dict(self.lessons).get(lesson, 0)))

    def cell(self, slug: str, exercise: str) -> Outcome:
        return next(outcome for s, e, outcome in self.cells if (s, e) == (slug, exercise))

    def points(self, student: Student) -> int:
        return sum(e.points for e in self.exercises if self.cell(student.slug, e.id).done)

    def table(self, lang: str | None = None) -> str:
        header = msg("student").render(lang).ljust(NAME_WIDTH)
        header += "".join(exercise.id.ljust(CELL_WIDTH) for exercise in self.exercises)
        header += "".join(lesson_column(lesson).ljust(LESSON_WIDTH) for lesson, _ in self.lessons)
        lines = [header + msg("done").render(lang) + "  " + msg("points").render(lang)]
        for student in self.students:
            row = student.name[: NAME_WIDTH - 1].ljust(NAME_WIDTH)
            row += "".join(_cell(self.cell(student.slug, e.id)).ljust(CELL_WIDTH) for e in self.exercises)
            row += "".join(self.lesson(student.slug, n).mark.ljust(LESSON_WIDTH) for n, _ in self.lessons)
            done = sum(1 for e in self.exercises if self.cell(student.slug, e.id).done)
            row += f"{done}/{len(self.exercises)}".ljust(6) + str(self.points(student))
            lines.append(row.rstrip())
        lines.append("")
        legend = msg(
            "✓ done, ✗ tried, not done yet, · not tried; the number is the sessions, the time when it was first done."
        )
        lines.append(legend.render(lang))
        if self.lessons:
            lines.append(translator(lang)(NOTEBOOK_LEGEND))
        return "\n".join(lines)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "student",
                "login",
                "exercise",
                "title",
                "done",
                "attempts",
                "first_done_at",
                "points",
                "tasks",
                "failed_logins",
            ]
        )
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
                        "",
                        outcome.failed_logins,
                    ]
                )
        for student in self.students:
            for lesson, _ in self.lessons:
                progress = self.lesson(student.slug, lesson)
                done = "yes" if progress.complete else "no"
                tasks = f"{progress.done}/{progress.total}"
                title = f"notebook lesson {lesson}"
                row = [student.name, student.slug, lesson_column(lesson), title, done, progress.attempts]
                writer.writerow([*row, progress.finished_at or "", 0, tasks, ""])
        return out.getvalue()

    def html(self, lang: str | None = None, links: dict[tuple[str, str], str] | None = None) -> str:
        """A printable page: the grid (✓ done, ✗ tried, · not tried, with the sessions), points, the legend; a
        tried cell links to ``links[(student, exercise)]``."""
        t, links = translator(lang), links or {}
        head = "".join(f"<th title='{_e(e.title.render(lang))}'>{_e(e.id)}</th>" for e in self.exercises)
        lesson_title = t(LESSON_TITLE)
        head += "".join(f"<th title='{_e(lesson_title)} {n}'>{_e(lesson_column(n))}</th>" for n, _ in self.lessons)
        rows = []
        for student in self.students:
            cells = []
            for exercise in self.exercises:
                outcome = self.cell(student.slug, exercise.id)
                text = _e(_cell(outcome))
                link = links.get((student.slug, exercise.id))
                text = f"<a href='{_e(link)}'>{text}</a>" if link else text
                kind = "done" if outcome.done else "tried" if outcome.attempts else "new"
                cells.append(f"<td class='{kind}'>{text}</td>")
            cells.extend(_lesson_td(self.lesson(student.slug, lesson)) for lesson, _ in self.lessons)
            done = sum(1 for e in self.exercises if self.cell(student.slug, e.id).done)
            totals = f"<td>{done}/{len(self.exercises)}</td><td>{self.points(student)}</td>"
            rows.append(f"<tr><th>{_e(student.name)}</th>{''.join(cells)}{totals}</tr>")
        legend = msg(
            "✓ done, ✗ tried, not done yet, · not tried; the number is the sessions, the time when it was first done."
        ).render(lang)
        title = t(REPORT_TITLE)
        header = f"<tr><th>{_e(msg('student').render(lang))}</th>{head}"
        header += f"<th>{_e(msg('done').render(lang))}</th><th>{_e(msg('points').render(lang))}</th></tr>"
        table = f"<table><thead>{header}</thead><tbody>{''.join(rows)}</tbody></table>"
        body = f"<h1>{_e(title)}</h1>{table}<p>{_e(legend)}</p>"
        if self.lessons:
            body += f"<p>{_e(t(NOTEBOOK_LEGEND))}</p>"
        return _page(title, body, t.language)


REPORT_TITLE = N_("Class report")
SESSIONS_TITLE = N_("Sessions of {account}")
LESSON_TITLE = N_("Notebook lesson")
NOTEBOOK_LEGEND = N_("L01, L02 …: the notebook lessons' self-checks, tasks done / tasks; · none checked yet.")
STYLE = """body{font-family:system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}
table{border-collapse:collapse}th,td{border:1px solid #999;padding:.2em .5em;text-align:center}
tbody th{text-align:left}td.done{background:#dff5e1}td.tried{background:#fff4d6}td.new{color:#666}
a{color:#0645ad}pre{white-space:pre-wrap;border-left:3px solid #999;padding-left:.8em}
@media print{a{color:inherit;text-decoration:none}td.done,td.tried{background:none}}"""


def _e(text: str) -> str:
    return markup.escape(text, quote=True)


def _page(title: str, body: str, lang: str) -> str:
    return (
        f"<!DOCTYPE html>\n<html lang='{lang}'><head><meta charset='utf-8'><title>{_e(title)}</title>"
        f"<style>{STYLE}</style></head><body>{body}</body></html>\n"
    )


def recorded_sessions(classroom: Classroom, student: Student, exercise: Exercise) -> tuple[SessionRecord, ...]:
    """Every session of the student on the exercise, as the server recorded it."""
    path = classroom.dir / "records" / student.slug / f"{exercise.id}.jsonl"
    try:
        return tuple(records_from_jsonl(path.read_text(encoding="utf-8", errors="replace")))
    except FileNotFoundError:
        return ()


def record_transcript(record: SessionRecord) -> Transcript:
    """A recorded session as a transcript (redacted; a reply is its first line only, as the record keeps it)."""
    lines = [TranscriptLine(line.direction, line.raw, line.time, line.tls) for line in record.lines]
    return Transcript(lines).redacted()


def sessions_html(account: str, sessions: tuple[SessionRecord, ...], lang: str | None = None) -> str:
    """One page with every session of an account, each annotated line by line as plain text."""
    t = translator(lang)
    parts = []
    for record in sessions:
        text = render(annotate(record_transcript(record), t.language), t.language)
        label = f"SMTP #{record.id}" if record.protocol == "smtp" else f"#{record.id}"
        parts.append(f"<h2>{label} · {_e(record.end)}</h2><pre>{_e(text)}</pre>")
    title = t(SESSIONS_TITLE, account=account)
    return _page(title, f"<h1>{_e(title)}</h1>{''.join(parts)}", t.language)


def sessions_index(account: str, pages: list[tuple[str, str]], lang: str | None = None) -> str:
    """A page linking each session's own page: (label, file name)."""
    t = translator(lang)
    title = t(SESSIONS_TITLE, account=account)
    items = "".join(f"<li><a href='{_e(name)}'>{_e(label)}</a></li>" for label, name in pages)
    return _page(title, f"<h1>{_e(title)}</h1><ul>{items}</ul>", t.language)


def write_sessions(folder: Path, account: str, sessions: tuple[SessionRecord, ...], lang: str | None) -> Path:
    """Write the account's sessions beside the report; the page to link. ``poplab.handout`` (the annotated HTML
    export with its diagrams) makes one page per session when it is installed; else one page of annotated text."""
    from poplab.exercises.progress import write_private

    exporter = _handout_html()
    target = folder / f"{account}.html"
    if exporter is None:
        write_private(target, sessions_html(account, sessions, lang))
        return target
    pages = []
    for record in sessions:
        smtp = "smtp" if record.protocol == "smtp" else ""  # the SMTP server numbers its sessions apart
        name = f"{account}-{smtp}{record.id}.html"
        label = f"{smtp.upper()} #{record.id}".strip()
        write_private(folder / name, exporter(record_transcript(record), lang, True, f"{account} {label}"))
        pages.append((f"{label} · {record.end}", name))
    write_private(target, sessions_index(account, pages, lang))
    return target


def _handout_html() -> Any:
    """``poplab.handout.html`` if that part of the lab is installed, else None."""
    import importlib

    try:
        return getattr(importlib.import_module("poplab.handout"), "html", None)
    except ImportError:
        return None


def report(classroom: Classroom, notebook_tasks: Iterable[str] = ()) -> Report:
    """The class's report; ``notebook_tasks`` (the lesson tasks with a self-check, ``"01-1"`` ...) adds a column per
    notebook lesson."""
    cells = tuple(
        (student.slug, exercise.id, classroom.outcome(student, exercise))
        for student in classroom.students
        for exercise in classroom.exercises
    )
    lessons = lessons_of(notebook_tasks)
    notebooks = tuple(
        (student.slug, progress) for student in classroom.students for progress in classroom.notebooks(student, lessons)
    )
    return Report(classroom.students, classroom.exercises, cells, lessons, notebooks)


def _lesson_td(progress: LessonProgress) -> str:
    kind = "done" if progress.complete else "tried" if progress.attempts else "new"
    return f"<td class='{kind}'>{_e(progress.mark)}</td>"


def _cell(outcome: Outcome) -> str:
    if outcome.attempts == 0:
        return "·"
    if not outcome.done:
        return f"✗{outcome.attempts}"
    when = (outcome.first_done_at or "")[11:16]
    return f"✓{outcome.attempts} {when}"
