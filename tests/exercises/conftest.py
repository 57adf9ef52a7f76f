"""Fixtures for the exercise tests: the lab's certificate, a learner's progress directory, and starting exercises
(stopped after the test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from poplab.exercises import Exercise, Progress, RunningExercise, start
from tests.exercises.helpers import Starter, listen


@pytest.fixture(scope="session")
def cert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tls")


@pytest.fixture
def progress(tmp_path: Path) -> Progress:
    return Progress(tmp_path / "progress", "tester")


@pytest.fixture
def run(cert_dir: Path, progress: Progress) -> Iterator[Starter]:
    """Start exercises (recording into ``progress``); they are stopped after the test."""
    started: list[RunningExercise] = []

    def start_exercise(exercise: Exercise, seed: str | None = None) -> RunningExercise:
        running = start(exercise, listen(cert_dir), progress, seed=seed)
        started.append(running)
        return running

    yield start_exercise
    for running in started:
        running.stop()
