"""Helpers of the exercise tests: every exercise, scripted attempts and replaying them against a running exercise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from poplab.exercises import Listen, RunningExercise, load_exercises
from poplab.exercises.solution import Target, replay

EXERCISES = load_exercises()


Starter = Callable[..., RunningExercise]
"""``run(exercise, seed=None)``: start an exercise (its variant for ``seed``), stopped after the test."""

SEED = "tester@example.com/0009"
"""The seed of the tests' variants; every cheat of the repository's numbers fails with it."""


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
        "127.0.0.1",
        running.port,
        running.account,
        running.password,
        running.secret,
        running.tls_port,
        running.store,
        running.variant.values(),
        running.smtp_port,
    )


def play(running: RunningExercise, text: str) -> str | None:
    """Replay an attempt; the answer it gives (``@answer``), if any."""
    return replay(text, target(running)).answer


def run_program(running: RunningExercise, path: Path) -> str:
    """Run a real client program (``alternative.py`` or ``.sh``) against the exercise; what it printed."""
    env = {
        **os.environ,
        "POP_HOST": "127.0.0.1",
        "POP_PORT": str(running.port),
        "POP_TLS_PORT": str(running.tls_port),
        "POP_ACCOUNT": running.account,
        "POP_PASSWORD": running.password,
        "POP_SECRET": running.secret,
        "POP_VALUES": json.dumps(running.variant.values()),
        "SMTP_PORT": str(running.smtp_port or ""),
    }
    command = [sys.executable, str(path)] if path.suffix == ".py" else ["bash", str(path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
