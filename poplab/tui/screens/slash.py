"""Tutor commands typed in the command line after a slash — never sent to the server: ``/apop USER SECRET``
(fills in the APOP line with the digest), ``/plain USER PASSWORD`` (fills in AUTH PLAIN's base64), ``/drop``,
``/reconnect``, ``/tls``, ``/reset``, ``/raw``,
``/lang de|en``, ``/lesson NAME``, ``/export FILE``, ``/help``. Handy without a mouse or function keys."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from poplab.tui import texts
from poplab.tui.lessons import LESSONS
from poplab.tui.screens.export import SUFFIX_KINDS
from poplab.tui.widgets.lesson_pane import LessonPane

if TYPE_CHECKING:
    from poplab.tui.app import TutorApp
    from poplab.tui.screens.main import MainScreen

KNOWN = (
    "/apop", "/plain", "/drop", "/reconnect", "/tls", "/reset", "/raw", "/lang", "/lesson", "/exercise", "/check",
    "/hint", "/answer", "/stop", "/export", "/diagram", "/smtp", "/pop3", "/help",
)  # fmt: skip


async def _exercise(screen: MainScreen, name: str, args: list[str], line: str) -> bool:
    """The exercise commands; False when ``line`` is none of them."""
    coach = screen.conductor.coach
    exercises = {exercise.id: exercise for exercise in screen.query_one(LessonPane).exercises}
    if name == "/exercise" and len(args) == 1 and args[0].isdigit() and f"{int(args[0]):02d}" in exercises:
        await coach.start_exercise(exercises[f"{int(args[0]):02d}"])
    elif name == "/check" and not args:
        await coach.check()
    elif name == "/answer" and args:
        await coach.check(line.split(None, 1)[1])
    elif name == "/hint" and not args:
        await coach.hint()
    elif name == "/stop" and not args:
        await coach.stop()
    else:
        return False
    return True


async def run(screen: MainScreen, line: str) -> None:
    words = line.split()
    name, args = words[0].lower(), words[1:]
    conductor = screen.conductor
    app = cast("TutorApp", screen.app)
    if name in ("/apop", "/plain") and len(args) == 2:
        make = conductor.apop if name == "/apop" else conductor.sasl_plain
        filled = await make(args[0], args[1])
        if filled is not None:
            command_input = screen.query_one("#command")
            command_input.value = filled  # type: ignore[attr-defined]
            command_input.cursor_position = len(filled)  # type: ignore[attr-defined]
        return
    simple = {
        "/drop": conductor.drop,
        "/reconnect": conductor.reconnect,
        "/tls": conductor.toggle_tls,
        "/reset": conductor.reset,
    }
    if name in simple and not args:
        await simple[name]()
    elif name == "/raw" and not args:
        screen.action_raw()
    elif name == "/lang" and len(args) == 1:
        app.set_language(args[0])
    elif name == "/lesson" and len(args) == 1 and args[0] in {lesson.key for lesson in LESSONS}:
        await conductor.coach.start_lesson(args[0])
    elif await _exercise(screen, name, args, line):
        return
    elif name == "/export" and len(args) == 1 and Path(args[0]).suffix.lower() in SUFFIX_KINDS:
        path = Path(args[0]).expanduser()
        screen.export(path, SUFFIX_KINDS[path.suffix.lower()], redact=True)
    elif name in ("/smtp", "/pop3") and not args:
        if (name == "/smtp") != conductor.lab.smtp:
            await conductor.toggle_protocol()
    elif name == "/diagram" and not args:
        screen.action_diagram()
    elif name == "/help" and not args:
        app.action_help()
    else:
        lessons = "|".join(lesson.key for lesson in LESSONS)
        known = ", ".join(KNOWN).replace("/lesson", f"/lesson {lessons}")
        await conductor.note(texts.UNKNOWN_TUTOR_COMMAND, "warning", command=line, known=known)
