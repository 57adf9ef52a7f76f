"""``poplab classroom serve ROSTER.csv | report [--html FILE] | reset STUDENT [EXERCISE] | watch``: a teacher's
server for a whole class, its report and its live dashboard. ``classroom_serve(args)`` is the same server for
``poplab serve --classroom ROSTER.csv``."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from poplab.commands.common import CliError, port, port_or_none
from poplab.exercises import Exercise, ExerciseError, SessionRecord, find_exercise, load_exercises
from poplab.exercises.class_report import Report, recorded_sessions, report, write_sessions
from poplab.exercises.class_server import ClassServer
from poplab.exercises.classroom import Classroom, ClassroomError, Outcome, Student, csv_cell, read_roster
from poplab.exercises.hub_progress import ProgressService, hub_identity
from poplab.exercises.notebook_progress import lessons_of
from poplab.exercises.progress import write_private
from poplab.exercises.texts import msg
from poplab.i18n import N_, translator
from poplab.protocol.config import ServerConfig
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.settings import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TLS_PORT, ServerSettings
from poplab.smtp import DEFAULT_SMTP_PORT

if TYPE_CHECKING:
    from poplab.commands.common import Subparsers

DEFAULT_DIR = Path("classroom")
RENAMED = N_("Login prefixes with a number, because the name was taken: {students}; the handout tells them apart")
FAILED_LOGIN = N_(
    "session {session}: no login (wrong name or password); failed logins so far: {count}, not counted as a session"
)


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "classroom",
        help="a server for a whole class, checking every student's work",
        description="Serve the exercises to a class: every student gets one account per exercise with a fresh "
        "mailbox; the server checks each session as it ends. See exercises/README.md.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    serve = actions.add_parser("serve", help="create the accounts from a roster and run the server until Ctrl-C")
    serve.add_argument("roster", type=Path, metavar="ROSTER.csv", help="the students' names, one a line")
    add_server_options(serve)
    serve.add_argument(
        "--smtp-port",
        type=port_or_none,
        default=None,
        metavar="PORT",
        help=f"SMTP for the exercise that sends mail (default {DEFAULT_SMTP_PORT}; -1: none)",
    )
    serve.add_argument(
        "--progress-port",
        type=port,
        default=None,
        metavar="PORT",
        help="also take notebook self-checks from JupyterHub students' servers over HTTP on PORT (default: none)",
    )
    serve.add_argument(
        "--progress-host", default=None, metavar="HOST", help="address for --progress-port (default: --host)"
    )
    serve.add_argument(
        "--hub-api",
        default=os.environ.get("JUPYTERHUB_API_URL"),
        metavar="URL",
        help="the hub's API, which says whose a token is (default: $JUPYTERHUB_API_URL, set by JupyterHub)",
    )
    _common(serve, classroom_serve)
    show = actions.add_parser(
        "report", help="student × exercise: done, attempts, first done at; notebook lessons: tasks done / tasks"
    )
    show.add_argument("--csv", type=Path, default=None, metavar="FILE", help="CSV file (default: DIR/report.csv)")
    show.add_argument(
        "--html", type=Path, default=None, metavar="FILE", help="also a printable page, linking each student's sessions"
    )
    _common(show, run_report)
    watch = actions.add_parser("watch", help="a live dashboard of the class: student × exercise, stuck students")
    _common(watch, run_watch)
    reset = actions.add_parser("reset", help="give a student fresh mailboxes and forget their sessions")
    reset.add_argument("student", help="the student's name or login prefix")
    reset.add_argument("exercise", nargs="?", help="only this exercise (default: all)")
    _common(reset, run_reset)


def add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}; 0.0.0.0 for the class's network)",
    )
    parser.add_argument("--port", type=port, default=DEFAULT_PORT, help=f"POP3 port (default {DEFAULT_PORT})")
    parser.add_argument(
        "--tls-port",
        type=port_or_none,
        default=DEFAULT_TLS_PORT,
        help=f"POP3S port (default {DEFAULT_TLS_PORT}; -1: none)",
    )
    parser.add_argument("--allow-plaintext", action="store_true", help="allow USER/PASS without TLS beyond loopback")
    parser.add_argument("--login-delay", type=float, default=1.0, metavar="SECONDS", help="delay after a failed login")


def _common(parser: argparse.ArgumentParser, run: object) -> None:
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the classroom directory (default ./classroom)")
    parser.add_argument("--exercises", type=Path, default=None, metavar="DIR", help="the exercises folder")
    parser.add_argument("--lang", default=None, metavar="LANG", help="en or de")
    parser.set_defaults(run=run)


def _exercises(args: argparse.Namespace) -> tuple[Exercise, ...]:
    try:
        return load_exercises(getattr(args, "exercises", None))
    except ExerciseError as problem:
        raise CliError(str(problem)) from None


def _open(args: argparse.Namespace) -> Classroom:
    try:
        return Classroom(args.dir, _exercises(args))
    except ClassroomError as problem:
        raise CliError(str(problem)) from None


def classroom_serve(args: argparse.Namespace) -> int:
    """Set up the class from ``args.roster`` (or ``args.classroom``) in ``args.dir`` and serve until Ctrl-C."""
    roster = getattr(args, "roster", None) or args.classroom
    directory = getattr(args, "dir", None) or DEFAULT_DIR
    lang = getattr(args, "lang", None)
    try:
        classroom = Classroom.setup(directory, read_roster(roster), _exercises(args))
    except ClassroomError as problem:
        raise CliError(str(problem)) from None
    tls = server_context(ensure_certificate(directory / "tls"))
    config = ServerConfig(tls_available=True, allow_plaintext=args.allow_plaintext, failed_login_delay=args.login_delay)
    tls_port = None if args.tls_port < 0 else args.tls_port
    settings = ServerSettings(host=args.host, port=args.port, tls_port=tls_port, tls=tls, protocol=config)

    def checked(student: Student, exercise: Exercise, outcome: Outcome, record: SessionRecord) -> None:
        print(_checked_line(student, exercise, outcome, record, lang), flush=True)

    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's own warnings: the lines below say it
    smtp_port = getattr(args, "smtp_port", None)
    smtp_port = DEFAULT_SMTP_PORT if smtp_port is None else smtp_port  # as `serve --classroom` gives it too
    server = ClassServer(classroom, settings, checked, smtp_port=None if smtp_port < 0 else smtp_port)
    progress = _progress_service(args, directory)
    try:
        server.start()
    except OSError as problem:
        if progress is not None:
            progress.stop()
        ports = f"{args.port} or {smtp_port}" if server.serves_smtp else f"{args.port}"
        raise CliError(f"cannot listen on {args.host}:{ports}: {problem.strerror or problem}") from None
    if progress is not None:
        progress.start()
        host = args.progress_host or args.host
        print(
            msg(
                "Notebook self-checks from JupyterHub: POST http://{host}:{port}/progress",
                host=host,
                port=progress.port,
            ).render(lang)
        )
    try:
        _serve_until_stopped(server, classroom, lang)
    finally:
        if progress is not None:
            progress.stop()
    return 0


def _progress_service(args: argparse.Namespace, directory: Path) -> ProgressService | None:
    """The notebook progress endpoint of ``--progress-port``, bound but not yet serving (None without it)."""
    port = getattr(args, "progress_port", None)
    if port is None:
        return None
    if not args.hub_api:
        raise CliError("--progress-port needs the hub's API: --hub-api URL or $JUPYTERHUB_API_URL")
    host = args.progress_host or args.host
    try:
        return ProgressService(directory, hub_identity(args.hub_api), host, port)
    except OSError as problem:
        raise CliError(f"cannot listen on {host}:{port}: {problem.strerror or problem}") from None


def _serve_until_stopped(server: ClassServer, classroom: Classroom, lang: str | None) -> None:
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    host = server.server.server.settings.host
    print(
        msg(
            "Classroom: {students} students, {exercises} exercises; the handout is {path}",
            students=len(classroom.students),
            exercises=len(classroom.exercises),
            path=classroom.dir / "handout.csv",
        ).render(lang)
    )
    if classroom.renamed:
        print(renamed_line(classroom, lang))
    print(msg("POP3 on {host}:{port} (STLS available)", host=host, port=server.port).render(lang))
    print(msg("Work in the terminal tutor: poplab tutor {host} {port}", host=host, port=server.port).render(lang))
    if server.tls_port is not None:
        print(msg("POP3S (implicit TLS) on {host}:{port}", host=host, port=server.tls_port).render(lang))
    if server.smtp_port is not None:
        smtp = msg("SMTP on {host}:{port} (log in with AUTH before MAIL FROM)", host=host, port=server.smtp_port)
        print(smtp.render(lang))
    print(
        msg(
            "Logins: <login prefix>-<NN>, e.g. {example}; the report: poplab classroom report",
            example=f"{classroom.students[0].slug}-{classroom.exercises[0].id}" if classroom.exercises else "-",
        ).render(lang)
    )
    print(msg("Press Ctrl-C to stop the server.").render(lang), flush=True)
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.wait_idle(timeout=2)
        server.stop()
    print(msg("Stopped; the results are kept in {path}.", path=classroom.dir).render(lang), file=sys.stderr)


def renamed_line(classroom: Classroom, lang: str | None) -> str:
    """One line naming the students the last setup gave a numbered login prefix, because the name was taken."""
    students = ", ".join(f"{student.name} → {student.slug}" for student in classroom.renamed)
    return translator(lang)(RENAMED, students=students)


def _checked_line(
    student: Student, exercise: Exercise, outcome: Outcome, record: SessionRecord, lang: str | None
) -> str:
    if record.protocol == "pop3" and record.account is None:
        line = translator(lang)(FAILED_LOGIN, session=record.id, count=outcome.failed_logins)
        return f"{student.slug}-{exercise.id}: {line}"
    state = msg("done").render(lang) if outcome.done else msg("not yet").render(lang)
    values = {"session": record.id, "end": record.end, "state": state, "attempts": outcome.attempts}
    if record.protocol == "smtp":
        ended = msg("SMTP session {session} ended ({end}); {state}, sessions so far: {attempts}", **values)
    else:
        ended = msg("session {session} ended ({end}); {state}, sessions so far: {attempts}", **values)
    return f"{student.slug}-{exercise.id}: " + ended.render(lang)


def notebook_tasks() -> tuple[str, ...]:
    """The lesson tasks with a self-check: a column per notebook lesson in the report and the dashboard."""
    from poplab.notebook.lesson_check import task_ids

    return task_ids()


def run_report(args: argparse.Namespace) -> int:
    classroom = _open(args)
    result = report(classroom, notebook_tasks())
    print(result.table(args.lang))
    path = args.csv or classroom.dir / "report.csv"
    write_private(path, _spreadsheet_safe(result).csv())
    print(msg("CSV written to {path}", path=path).render(args.lang))
    if args.html is not None:
        write_html_report(classroom, result, args.html, args.lang)
        print(msg("Page written to {path}", path=args.html).render(args.lang))
    return 0


def write_html_report(classroom: Classroom, result: Report, path: Path, lang: str | None) -> None:
    """The grid as a printable page; each tried cell links to the student's sessions, annotated, in a folder beside
    it (``<page>-sessions/``)."""
    folder = path.with_name(f"{path.stem}-sessions")
    links = {}
    for student in result.students:
        for exercise in result.exercises:
            sessions = recorded_sessions(classroom, student, exercise)
            if sessions:
                page = write_sessions(folder, classroom.account(student, exercise), sessions, lang)
                links[(student.slug, exercise.id)] = f"{folder.name}/{page.name}"
    write_private(path, result.html(lang, links))


def run_watch(args: argparse.Namespace) -> int:
    """The live dashboard of the classroom in ``args.dir`` (Textual is imported only here)."""
    from poplab.tui.app import TutorApp, TutorOptions
    from poplab.tui.class_grid import ClassGrid
    from poplab.tui.screens.dashboard import DashboardScreen

    grid = ClassGrid(_open(args), lessons=lessons_of(notebook_tasks()))
    TutorApp(TutorOptions(lang=args.lang, welcome=False, screen=lambda: DashboardScreen(grid))).run()
    return 0


def _spreadsheet_safe(result: Report) -> Report:
    """The report with every name and title that would start a spreadsheet formula made plain text."""
    students = tuple(replace(student, name=csv_cell(student.name)) for student in result.students)
    exercises = tuple(replace(item, title=replace(item.title, en=csv_cell(item.title.en))) for item in result.exercises)
    return replace(result, students=students, exercises=exercises)


def run_reset(args: argparse.Namespace) -> int:
    classroom = _open(args)
    try:
        student = classroom.find_student(args.student)
        exercise = find_exercise(args.exercise, classroom.exercises) if args.exercise else None
    except ClassroomError as problem:
        raise CliError(str(problem)) from None
    except KeyError as problem:
        raise CliError(str(problem.args[0])) from None
    reset = classroom.reset(student, exercise)
    ids = ", ".join(item.id for item in reset)
    print(
        msg("{student}: fresh mailboxes and no sessions in exercise {ids}", student=student.name, ids=ids).render(
            args.lang
        )
    )
    return 0
