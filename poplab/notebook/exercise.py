"""``lab.exercise("05")``: a classroom exercise in a notebook. It runs on its own server (a fresh mailbox, the
server-side record the checks read) started by :mod:`poplab.exercises`; the notebook shows the task, opens
sessions to it, and renders ``check()`` (what passed, what did not, the next hint) and ``hint()``."""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING

from poplab.client import tls_context
from poplab.i18n import translator
from poplab.notebook import render as r
from poplab.notebook import texts
from poplab.notebook.place import Tls, security_of
from poplab.notebook.session import LabError, LabSession

if TYPE_CHECKING:
    from poplab.exercises import CheckResult, RunningExercise
    from poplab.notebook.lab import Lab


def load(lab: Lab, ident: str, save_progress: bool) -> NotebookExercise:
    """Start exercise ``ident`` (e.g. "05") on its own server, trusting the lab's certificate."""
    from poplab.exercises import ExerciseError, Listen, Progress, find_exercise, load_exercises, start

    try:
        exercise = find_exercise(ident, load_exercises())
    except (ExerciseError, KeyError) as problem:
        raise LabError(str(problem.args[0]) if problem.args else str(problem)) from None
    listen = Listen(cert_dir=lab.cafile.parent, failed_login_delay=lab.login_delay)
    progress = Progress() if save_progress else None
    return NotebookExercise(lab, start(exercise, listen, progress))


class NotebookExercise:
    """A running exercise: ``.session()``, ``.check(answer=None)``, ``.hint()``, ``.stop()``."""

    def __init__(self, lab: Lab, running: RunningExercise) -> None:
        self.lab = lab
        self.running = running
        self.sessions: list[LabSession] = []

    @property
    def lang(self) -> str:
        return self.lab.lang

    @property
    def server_name(self) -> str:
        return f"{self.running.host}:{self.running.port}"

    def tls_context(self) -> ssl.SSLContext:
        return tls_context(self.lab.cafile)

    @property
    def title(self) -> str:
        return self.running.exercise.title.render(self.lang)

    @property
    def task(self) -> str:
        return self.running.task(self.lang)

    def session(self, login: bool = False, *, tls: Tls = False) -> LabSession:
        """A session to the exercise's server; ``login=True`` logs in as the exercise's account."""
        port = self.running.tls_port if tls is True and self.running.tls_port else self.running.port
        context = self.tls_context() if tls else None
        session = LabSession.open(self, self.running.host, port, security_of(tls), context)
        self.sessions.append(session)
        if login:
            session.login(self.running.account, self.running.password)
        return session

    def check(self, answer: str | None = None) -> CheckView:
        """Check the work now: what the server saw and the mailbox as it is."""
        return CheckView(self.running.check(answer), self.lang)

    def hint(self) -> str:
        """The next hint (they get more concrete)."""
        return self.running.hint().render(self.lang)

    def stop(self) -> None:
        for session in self.sessions:
            session.drop()
        self.sessions.clear()
        self.running.stop()

    def _repr_html_(self) -> str:
        title = f"<b>{r.esc(self.running.exercise.id)} · {r.esc(self.title)}</b>"
        task = f"<div {r.style(white_space='pre-wrap')}>{r.esc(self.task.strip())}</div>"
        return r.box(title + task, "exercise")

    def __repr__(self) -> str:
        return f"{self.running.exercise.id} · {self.title}\n{self.task.strip()}"


class CheckView:
    """A check result: one line per check (✓ or ✗), the hint under each failed one, a summary."""

    def __init__(self, result: CheckResult, lang: str) -> None:
        self.result = result
        self.lang = lang

    @property
    def passed(self) -> bool:
        return self.result.passed

    def _repr_html_(self) -> str:
        rows = []
        for outcome in self.result.outcomes:
            mark = r.code("✓", r.OK, bold=True) if outcome.passed else r.code("✗", r.ERROR, bold=True)
            hint = outcome.hint.render(self.lang) if outcome.hint is not None and not outcome.passed else ""
            detail = r.esc(outcome.detail.render(self.lang)) + (r.paragraph(r.muted(hint)) if hint else "")
            rows.append((mark, detail))
        summary = self.result.text(self.lang).splitlines()
        head, tail = r.esc(summary[0]), r.esc(summary[-1])
        grid = r.table(["", translator(self.lang)(texts.EXPLANATION)], rows, head)
        return r.box(grid + r.paragraph(f"<b>{tail}</b>", r.OK if self.passed else r.ERROR), "check")

    def __repr__(self) -> str:
        return self.result.text(self.lang)
