"""A running exercise: a fresh store, the bundled server for it (in a thread), the recorder that builds the
server-side record, and ``check()``/``hint()`` — the API the command line, the notebooks and the tutor use::

    running = start(find_exercise("05", load_exercises()))
    running.port, running.account, running.password
    result = running.check()          # a CheckResult: what passed, what did not, the next hint
    running.stop()
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs

from poplab.exercises.fixture import accounts_of, build_store, check_context, mailbox_state
from poplab.exercises.model import Exercise
from poplab.exercises.progress import Progress
from poplab.exercises.record import MailboxState, SessionRecord, mailbox_to_json
from poplab.exercises.recorder import Recorder, RecordingStore, SessionEnded, SmtpRecorder
from poplab.exercises.registry import CheckContext
from poplab.exercises.result import CheckResult, evaluate
from poplab.exercises.texts import Say, both, msg
from poplab.exercises.variant import make_variant
from poplab.server.bundled import lab_settings, lab_smtp
from poplab.server.runner import ServerThread


def default_cert_dir() -> Path:
    """The lab's certificate, the same one ``poplab serve`` uses (``$POPLAB_DATA/tls``)."""
    env = os.environ.get("POPLAB_DATA")
    return (Path(env) if env else Path(platformdirs.user_data_dir("poplab", appauthor=False))) / "tls"


@dataclass(frozen=True)
class Listen:
    """Where the exercise's server listens; port 0 picks a free port, ``tls_port`` None opens no POP3S port."""

    host: str = "127.0.0.1"
    port: int = 0
    tls_port: int | None = 0
    cert_dir: Path | None = None
    failed_login_delay: float = 1.0
    smtp_port: int = 0
    """The SMTP port of an exercise that serves SMTP (0: a free one)."""


class RunningExercise:
    """Use :func:`start`. Also a context manager (stops the server on exit)."""

    def __init__(
        self,
        exercise: Exercise,
        listen: Listen,
        progress: Progress | None,
        on_end: SessionEnded | None,
        seed: str | None = None,
    ) -> None:
        self.exercise = exercise
        self.progress = progress
        self.variant = make_variant(exercise, seed)
        self.initial = self.variant.initial
        data_dir = progress.run_dir(exercise.id) / "data" if progress is not None else None
        self.store = build_store(exercise, data_dir, self.variant)
        self.recording = RecordingStore(self.store)
        self.recorder = Recorder(self.recording, self._ended)
        self._on_end = on_end
        self.data_dir = data_dir if exercise.fixture.store == "maildir" else None
        settings = lab_settings(
            listen.cert_dir or default_cert_dir(),
            apop=exercise.apop,
            login_delay=listen.failed_login_delay,
            host=listen.host,
            port=listen.port,
            tls_port=listen.tls_port,
        )
        self.server = ServerThread(self.recording, settings)
        self.smtp_recorder = SmtpRecorder(self._ended)
        self.smtp: Any = None
        """The SMTP server beside the POP3 server (exercises with ``[server] smtp = true``), once started."""
        self.host = listen.host
        self._listen = listen
        self._smtp_stopped = False
        self._hints_shown = 0

    # ---- who and where ----------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def tls_port(self) -> int | None:
        return self.server.tls_port

    @property
    def smtp_port(self) -> int | None:
        return int(self.smtp.port) if self.smtp is not None else None

    @property
    def account(self) -> str:
        return self.exercise.fixture.account

    @property
    def password(self) -> str:
        return self.exercise.fixture.password

    @property
    def secret(self) -> str:
        return self.exercise.fixture.apop_secret or self.password

    def values(self) -> dict[str, str]:
        """What the task's placeholders stand for."""
        return {
            "account": self.account,
            "password": self.password,
            "secret": self.secret,
            "host": self.host,
            "port": str(self.port),
            "tls_port": str(self.tls_port or ""),
            "smtp_port": str(self.smtp_port or ""),
            "data_dir": str(self.data_dir or ""),
            **self.variant.values(),
        }

    def task(self, lang: str | None = None) -> str:
        return self.exercise.task_text(lang, self.values())

    # ---- life -------------------------------------------------------------------------------------------

    def start(self) -> RunningExercise:
        self.server.start()
        self.server.subscribe(self.recorder.observe)
        if self.exercise.smtp:
            self._start_smtp()
        if self.progress is not None:
            self.progress.begin_run(self.exercise.id, self.info())
        return self

    def _start_smtp(self) -> None:
        listen = self._listen
        try:
            smtp = lab_smtp(self.store, listen.cert_dir or default_cert_dir(), host=listen.host, port=listen.smtp_port)
        except BaseException:
            self.server.stop()
            raise
        smtp.subscribe(self.smtp_recorder.observe)
        self.smtp = smtp

    def stop(self) -> None:
        """Stop both servers (again: nothing happens)."""
        if self.smtp is not None and not self._smtp_stopped:
            self._smtp_stopped = True
            self.smtp.stop()
        self.server.stop()

    def info(self) -> dict[str, Any]:
        return {
            **self.values(),
            "exercise": self.exercise.id,
            "seed": self.variant.seed,
            "pid": os.getpid(),
            "started": time.time(),
            "initial": list(self.initial),
            "mailbox": mailbox_to_json(self.mailbox()),
        }

    def _ended(self, record: SessionRecord) -> None:
        if self.progress is not None:
            self.progress.add_session(self.exercise.id, record, self.mailbox())
        if self._on_end is not None:
            self._on_end(record)

    # ---- checking ---------------------------------------------------------------------------------------

    def mailbox(self) -> MailboxState:
        return mailbox_state(self.store, accounts_of(self.exercise))

    def context(self, settle: bool = True) -> CheckContext:
        """What the checks read now; ``settle`` first waits a moment for sessions that are just ending (never
        from the server's own thread, e.g. in an ``on_end`` callback)."""
        if settle:
            self.recorder.settle()
            self.smtp_recorder.settle()
        sessions = (*self.recorder.sessions(), *self.smtp_recorder.sessions())
        return check_context(self.exercise, self.variant, self.account, sessions, self.mailbox(), self.port)

    def check(self, answer: str | None = None) -> CheckResult:
        """Evaluate the exercise now (sessions still open count as they are) and note it in the progress."""
        result = evaluate(self.exercise, self.context(), answer)
        if self.progress is not None:
            self.progress.note_check(result)
        return result

    def hint(self) -> Say:
        """The next of the exercise's tiered hints (the last one again once all were shown)."""
        count = len(self.exercise.hints)
        if self.progress is not None:
            return hint_text(self.exercise, self.progress.note_hint(self.exercise.id, count))
        self._hints_shown = min(self._hints_shown + 1, count)
        return hint_text(self.exercise, self._hints_shown)

    def __enter__(self) -> RunningExercise:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def hint_text(exercise: Exercise, number: int) -> Say:
    """Hint ``number`` (from 1) of the exercise's tiered hints, with its place among them."""
    hints = exercise.hints
    hint = hints[number - 1]
    return both(
        lambda lang: msg("Hint {number} of {count}: {hint}", number=number, count=len(hints), hint=hint.render(lang))
    )


def start(
    exercise: Exercise,
    listen: Listen | None = None,
    progress: Progress | None = None,
    on_end: SessionEnded | None = None,
    seed: str | None = None,
) -> RunningExercise:
    """Start the exercise's server on a fresh mailbox; the record goes to ``progress`` (if given) as well.
    ``seed``: serve the learner's own variant of the mailbox (see :mod:`poplab.exercises.variant`); None serves
    it as the exercise folder describes it."""
    return RunningExercise(exercise, listen or Listen(), progress, on_end, seed).start()


def new_seed(account: str) -> str:
    """A seed for one run: the account and a random token (a new variant every time the exercise starts)."""
    return f"{account}/{secrets.token_hex(8)}"


def check_recorded(exercise: Exercise, progress: Progress, answer: str | None = None) -> CheckResult | None:
    """Check what the exercise's server (maybe in another process) recorded in the progress directory; None if
    the exercise was never started there. Only finished sessions are recorded."""
    run = progress.read_run(exercise.id)
    if run is None:
        return None
    info = run.info
    variant = make_variant(exercise, info.get("seed"))
    context = check_context(
        exercise, variant, str(info["account"]), run.sessions, run.mailbox, int(info.get("port", 0))
    )
    result = evaluate(exercise, context, answer)
    progress.note_check(result)
    return result
