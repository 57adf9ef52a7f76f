"""``poplab replay FILE``: step through a recorded session in the tutor — a transcript's JSON export, a proxy's
``--save``, the ``S: …`` / ``C: …`` text form, or a classroom record (``classroom/records/<student>/<NN>.jsonl``,
``--session N``; its mailbox comes from the classroom it belongs to). Textual is imported only when it runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from poplab.commands.common import CliError
from poplab.i18n import LANGUAGES

if TYPE_CHECKING:
    from poplab.tui.app import TutorApp
    from poplab.tui.replay_files import Recording


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="step through a recorded session: the annotation, the state and the mailbox at every step",
        description="Open a recorded POP3 session in the tutor and step through it forward and back, by line or by "
        "command, or play it: at every step the line explained, the session state and the mailbox as the server "
        "had it then. T tries another branch from the step on a fresh bundled server. Passwords are never shown.",
    )
    parser.add_argument(
        "file", type=Path, metavar="FILE", help="a transcript (JSON or S:/C: text) or a classroom record"
    )
    parser.add_argument(
        "--session",
        default=None,
        metavar="N",
        help="a classroom record's session: its number, or smtpN for an SMTP one (default: the last)",
    )
    parser.add_argument("--lang", choices=LANGUAGES, help="language (default: $POPLAB_LANG or the locale)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from poplab.tui.replay_files import RecordingError, load_recording

    try:
        recording = load_recording(args.file, args.session, classroom_mailbox(args.file))
    except RecordingError as problem:
        raise CliError(str(problem)) from None
    replay_app(recording, args.lang).run()
    return 0


def replay_app(recording: Recording, lang: str | None = None) -> TutorApp:
    from poplab.tui.app import TutorApp, TutorOptions
    from poplab.tui.replay import Replay
    from poplab.tui.screens.replay import ReplayScreen

    options = TutorOptions(lang=lang, welcome=False, screen=lambda: ReplayScreen(Replay(recording)))
    return TutorApp(options)


def classroom_mailbox(path: Path) -> tuple[tuple[str, bytes], ...] | None:
    """For ``DIR/records/<student>/<NN>.jsonl`` of a classroom: that student's mailbox in exercise NN as served."""
    from poplab.exercises import load_exercises
    from poplab.exercises.classroom import Classroom, ClassroomError

    directory = path.resolve().parent.parent.parent
    if path.parent.parent.name != "records" or not (directory / "class.json").exists():
        return None
    try:
        classroom = Classroom(directory, load_exercises())
    except (ClassroomError, OSError, ValueError):
        return None
    located = classroom.locate(f"{path.parent.name}-{path.stem}")
    if located is None:
        return None
    return classroom.variant(*located).messages
