"""``poplab exercise list|show|start|check|hint|reset``: the exercises on the command line.

``start`` runs the exercise's own server on a fresh mailbox until Ctrl-C and records every session in the
learner's progress directory; ``check`` (in another terminal, or after ``start`` has ended) evaluates that
record, so the learner can use any client at all: telnet, openssl s_client, poplib, the tutor.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from poplab.commands.common import CliError, port, port_or_none
from poplab.exercises import Exercise, ExerciseError, Listen, Progress, find_exercise, load_exercises, start
from poplab.exercises.classroom import classroom_seed
from poplab.exercises.record import SessionRecord
from poplab.exercises.result import evaluate
from poplab.exercises.running import RunningExercise, check_recorded, hint_text, new_seed
from poplab.exercises.texts import msg
from poplab.exercises.variant import Variant, make_variant

if TYPE_CHECKING:
    from poplab.commands.common import Subparsers


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "exercise",
        help="classroom exercises with automatic checks",
        description="Exercises with automatic checks: start one (its own server on a fresh mailbox), solve it "
        "with any POP3 client, then check it.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    _add(actions, "list", "list the exercises and your progress", run_list, with_key=False)
    show = _add(actions, "show", "show an exercise's task and which checks it has", run_show)
    show.add_argument(
        "--solution", action="store_true", help="also show the checks' parameters and the reference solution (teachers)"
    )
    show.add_argument("--account", help="fill in this account (in class: your account for the exercise)")
    show.add_argument("--password", help="fill in this password (in class: yours; also the APOP secret)")
    show.add_argument("--host", default="127.0.0.1", help="fill in this server address")
    show.add_argument("--port", default="N", help="fill in this POP3 port")
    show.add_argument("--smtp-port", default="N", help="fill in this SMTP port (the exercise that sends mail)")
    begin = _add(actions, "start", "start an exercise's server on a fresh mailbox (until Ctrl-C)", run_start)
    begin.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    begin.add_argument("--port", type=port, default=0, help="POP3 port (default 0: any free port)")
    begin.add_argument("--tls-port", type=port_or_none, default=0, help="POP3S port (default 0: any free; -1: none)")
    check = _add(actions, "check", "check what you did in the exercise", run_check)
    check.add_argument("--answer", help="your answer, for exercises that ask for one")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    _add(actions, "hint", "show the next hint", run_hint)
    _add(actions, "reset", "forget your progress in an exercise (start it again for a fresh mailbox)", run_reset)


def _add(
    actions: Subparsers, name: str, help_text: str, run: object, *, with_key: bool = True
) -> argparse.ArgumentParser:
    parser = actions.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
    if with_key:
        parser.add_argument("exercise", metavar="NN", help="the exercise: its number (05) or name (delete-one)")
    parser.add_argument("--lang", default=None, metavar="LANG", help="en or de (default: $POPLAB_LANG or the locale)")
    parser.add_argument("--progress", type=Path, default=None, metavar="DIR", help="progress directory")
    parser.add_argument("--learner", default=None, help="whose progress (default: $POPLAB_LEARNER or your login)")
    parser.add_argument("--exercises", type=Path, default=None, metavar="DIR", help="the exercises folder")
    parser.set_defaults(run=run)
    return parser


def _all(args: argparse.Namespace) -> tuple[Exercise, ...]:
    try:
        return load_exercises(args.exercises)
    except ExerciseError as problem:
        raise CliError(str(problem)) from None


def _one(args: argparse.Namespace) -> Exercise:
    try:
        return find_exercise(args.exercise, _all(args))
    except KeyError as problem:
        raise CliError(str(problem.args[0])) from None


def _progress(args: argparse.Namespace) -> Progress:
    return Progress(args.progress, args.learner)


def run_list(args: argparse.Namespace) -> int:
    entries = _progress(args).entries()
    title = msg("exercise (✓ done)").render(args.lang)
    print(f"      {title:<60} {msg('points').render(args.lang):>6}")
    for exercise in _all(args):
        entry = entries.get(exercise.id)
        mark = "✓" if entry is not None and entry.done else " "
        print(f"{mark} {exercise.id}  {exercise.title.render(args.lang):<60} {exercise.points:>6}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    exercise = _one(args)
    fixture = exercise.fixture
    password = args.password or fixture.password
    values = {
        **_variant(args, exercise).values(),
        "account": args.account or fixture.account,
        "password": password,
        "secret": args.password or fixture.apop_secret or fixture.password,
        "host": args.host,
        "port": args.port,
        "smtp_port": args.smtp_port,
        "tls_port": "N",
        "data_dir": "DIR",
    }
    print(msg("Exercise {id}: {title}", id=exercise.id, title=exercise.title.render(args.lang)).render(args.lang))
    print(exercise.task_text(args.lang, values).rstrip())
    print()
    print(msg("Checks ({points} points):", points=exercise.points).render(args.lang))
    for spec in exercise.checks:
        params = ", ".join(f"{key}={value}" for key, value in spec.params) if args.solution else ""
        print(f"  - {spec.name}" + (f" ({params})" if params else ""))
    if exercise.answer is not None:
        print(f"  - answer: {exercise.answer.question.render(args.lang)}")
    print(msg("Start it with: poplab exercise start {id}", id=exercise.id).render(args.lang))
    if args.solution:
        print()
        print(exercise.solution_path.read_text(encoding="utf-8").rstrip())
    return 0


def _variant(args: argparse.Namespace, exercise: Exercise) -> Variant:
    """The variant whose message numbers and UIDs the task names: a class account's (from its login and
    password), else that of the learner's running exercise, else the exercise as written."""
    if args.account and args.password:
        return make_variant(exercise, classroom_seed(args.account, args.password))
    run = _progress(args).read_run(exercise.id)
    return make_variant(exercise, run.info.get("seed") if run is not None else None)


def run_start(args: argparse.Namespace) -> int:
    exercise = _one(args)
    listen = Listen(args.host, args.port, None if args.tls_port < 0 else args.tls_port)
    done = threading.Event()

    def ended(record: SessionRecord) -> None:
        print(_session_line(running, record, args.lang), flush=True)

    try:
        seed = new_seed(exercise.fixture.account)
        running = start(exercise, listen, _progress(args), on_end=ended, seed=seed)
    except OSError as problem:
        raise CliError(f"cannot listen on {args.host}: {problem.strerror or problem}; try --port 0") from None
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        print(_banner(running, args.lang), flush=True)
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    print(msg("Stopped. Check your work with: poplab exercise check {id}", id=exercise.id).render(args.lang))
    return 0


def _banner(running: RunningExercise, lang: str | None) -> str:
    exercise = running.exercise
    lines = [
        msg("Exercise {id}: {title}", id=exercise.id, title=exercise.title.render(lang)).render(lang),
        "",
        running.task(lang).rstrip(),
        "",
        msg("POP3 on {host}:{port} (STLS available)", host=running.host, port=running.port).render(lang),
    ]
    if running.tls_port is not None:
        lines.append(
            msg("POP3S (implicit TLS) on {host}:{port}", host=running.host, port=running.tls_port).render(lang)
        )
    if running.smtp_port is not None:
        lines.append(
            msg("SMTP on {host}:{port} (STARTTLS available)", host=running.host, port=running.smtp_port).render(lang)
        )
    lines.append(
        msg("Account: {account}  Password: {password}", account=running.account, password=running.password).render(lang)
    )
    tutor = msg("Work in the terminal tutor: poplab tutor {host} {port}", host=running.host, port=running.port)
    lines.append(tutor.render(lang))
    lines.append(msg("Check your work in another terminal: poplab exercise check {id}", id=exercise.id).render(lang))
    lines.append(msg("Press Ctrl-C to stop the server.").render(lang))
    return "\n".join(lines)


def _session_line(running: RunningExercise, record: SessionRecord, lang: str | None) -> str:
    result = evaluate(running.exercise, running.context(settle=False), with_answer=False)
    passed = len(result.outcomes) - len(result.failed)
    return msg(
        "Session {session} ended ({end}): {passed} of {total} checks pass.",
        session=record.id,
        end=record.end,
        passed=passed,
        total=len(result.outcomes),
    ).render(lang)


def run_check(args: argparse.Namespace) -> int:
    exercise = _one(args)
    result = check_recorded(exercise, _progress(args), args.answer)
    if result is None:
        raise CliError(f"exercise {exercise.id} has not been started yet: run poplab exercise start {exercise.id}")
    if args.json:
        print(json.dumps(result.to_json(args.lang), ensure_ascii=False, indent=1))
    else:
        print(result.text(args.lang))
        if not result.outcomes or result.sessions == 0:
            print(msg("The server has recorded no finished session yet.").render(args.lang))
    return 0 if result.passed else 1


def run_hint(args: argparse.Namespace) -> int:
    exercise = _one(args)
    number = _progress(args).note_hint(exercise.id, len(exercise.hints))
    print(hint_text(exercise, number).render(args.lang))
    return 0


def run_reset(args: argparse.Namespace) -> int:
    exercise = _one(args)
    _progress(args).reset(exercise.id)
    print(
        msg("Progress in exercise {id} forgotten. Start it again for a fresh mailbox.", id=exercise.id).render(
            args.lang
        )
    )
    return 0
