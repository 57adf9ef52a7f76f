"""Fixtures for the exercise tests: the lab's certificate, every exercise, and running an attempt (a solution
file's steps) against a freshly started exercise over real sockets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from poplab.exercises import Exercise, Listen, Progress, RunningExercise, load_exercises, start
from poplab.exercises.solution import Target, replay

EXERCISES = load_exercises()


@pytest.fixture(scope="session")
def cert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tls")


@pytest.fixture
def progress(tmp_path: Path) -> Progress:
    return Progress(tmp_path / "progress", "tester")


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


Starter = Callable[[Exercise], RunningExercise]


@pytest.fixture
def run(cert_dir: Path, progress: Progress) -> Iterator[Starter]:
    """Start exercises (recording into ``progress``); they are stopped after the test."""
    started: list[RunningExercise] = []

    def start_exercise(exercise: Exercise) -> RunningExercise:
        running = start(exercise, listen(cert_dir), progress)
        started.append(running)
        return running

    yield start_exercise
    for running in started:
        running.stop()


def play(running: RunningExercise, text: str) -> None:
    replay(text, target(running))
