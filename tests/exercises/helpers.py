"""Helpers of the exercise tests: every exercise, scripted attempts and replaying them against a running exercise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from poplab.exercises import Exercise, Listen, RunningExercise, load_exercises
from poplab.exercises.solution import Target, replay

EXERCISES = load_exercises()


Starter = Callable[[Exercise], RunningExercise]


@dataclass(frozen=True)
class Attempt:
    """A scripted attempt: its steps, the answer it gives and the checks it is expected to fail."""

    text: str
    answer: str | None
    fails: tuple[str, ...]


def read_attempt(path: Path) -> Attempt:
    text = path.read_text(encoding="utf-8")
    answer, fails = None, ()
    for line in text.splitlines():
        if line.startswith("# answer:"):
            answer = line.removeprefix("# answer:").strip()
        elif line.startswith("# fails:"):
            fails = tuple(name.strip() for name in line.removeprefix("# fails:").split(","))
    return Attempt(text, answer, fails)


def listen(cert_dir: Path) -> Listen:
    return Listen(cert_dir=cert_dir, failed_login_delay=0)


def target(running: RunningExercise) -> Target:
    return Target(
        "127.0.0.1", running.port, running.account, running.password, running.secret, running.tls_port, running.store
    )


def play(running: RunningExercise, text: str) -> None:
    replay(text, target(running))
