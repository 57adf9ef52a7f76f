"""Classroom exercises inside the tutor, without Textual: an exercise's own server (from
:mod:`poplab.exercises`, in its thread, on a free port), the endpoint the learner's connection switches to, the
exercise's mailbox read in that server's thread, and check / hint / answer off the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from poplab.exercises import Exercise, ExerciseError, Listen, Progress, RunningExercise, load_exercises, start
from poplab.exercises.faces import for_tutor
from poplab.exercises.result import CheckResult
from poplab.exercises.texts import Say
from poplab.server.events import ServerEvent
from poplab.tui.lab import LOOPBACK, Endpoint
from poplab.tui.mailbox import Mailbox, SubjectCache, read_mailbox


def available_exercises() -> tuple[Exercise, ...]:
    """The exercises of the ``exercises/`` folder; none when it is missing or broken (the tutor goes on)."""
    try:
        return load_exercises()
    except (ExerciseError, OSError):
        return ()


class Practice:
    """One exercise under way. Use :meth:`open`; :meth:`close` stops its server."""

    def __init__(self, running: RunningExercise, cert: Path) -> None:
        self.running = running
        self.cert = cert
        self.result: CheckResult | None = None
        self.hint: Say | None = None
        self._subjects = SubjectCache()

    @classmethod
    async def open(cls, exercise: Exercise, cert_dir: Path, login_delay: float, progress_root: Path | None) -> Practice:
        listen = Listen(LOOPBACK, 0, 0, cert_dir, login_delay)
        progress = Progress(progress_root) if progress_root is not None else None
        running = await asyncio.to_thread(start, exercise, listen, progress)
        return cls(running, cert_dir / "poplab-cert.pem")

    async def close(self) -> None:
        await asyncio.to_thread(self.running.stop)

    @property
    def exercise(self) -> Exercise:
        return self.running.exercise

    def endpoint(self) -> Endpoint:
        return Endpoint(LOOPBACK, self.running.port, "plain", cafile=self.cert)

    def title(self, lang: str) -> str:
        return f"{self.exercise.id} {self.exercise.title.render(lang)}"

    def task(self, lang: str) -> str:
        """The task, saying how to check and answer in the tutor (F7, ``/answer``)."""
        return for_tutor(self.running.task(lang), self.exercise.id)

    def subscribe(self, wake: Callable[[], None]) -> None:
        """``wake`` runs in the caller's loop after every event of the exercise's server (which has its own)."""
        loop = asyncio.get_running_loop()

        def observe(event: ServerEvent) -> None:
            loop.call_soon_threadsafe(wake)

        self.running.server.subscribe(observe)

    def mailbox(self) -> Mailbox:
        """The exercise account's mailbox, read in the exercise server's thread."""
        thread = self.running.server
        account = self.running.account
        return thread.call(lambda: read_mailbox(thread.server, self.running.store, account, self._subjects))

    async def check(self, answer: str | None = None) -> CheckResult:
        self.result = await asyncio.to_thread(self.running.check, answer)
        return self.result

    async def next_hint(self) -> Say:
        self.hint = await asyncio.to_thread(self.running.hint)
        return self.hint
