"""``check("05-1")``: a lesson task's self-check, as a locked cell under the task calls it.

It looks up what the task needs in the notebook (the lab, the answer), says which cell to run when something is
missing, runs the task's check — on the task's own fresh copy of the mailboxes, learner code with a timeout of a
few seconds — notes the attempt in the learner's progress (and, for a class, in the classroom:
:mod:`poplab.notebook.lesson_progress`), and returns a :class:`~poplab.notebook.verdict.Verdict`
(✓ or "Not yet" with the server's real reply and a hint). Every check can run any number of times and after a
wrong try; none raises into the notebook for a learner's mistake."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from poplab.i18n import resolve_language, translator
from poplab.notebook import texts
from poplab.notebook.session import LabError
from poplab.notebook.verdict import Outcome, Verdict

T = TypeVar("T")

CHECK_SECONDS = float(os.environ.get("POPLAB_CHECK_TIMEOUT") or 3)
"""How long learner socket code may wait for a line before the check says so (a few seconds)."""

TASK_CELL = ""
"""A need made in the task cell right above the check."""


class LearnerFailed(Exception):
    """The learner's code raised or waited too long; the message (translated) says so."""


@dataclass(frozen=True)
class Context:
    """What a task's check works with: the lab, the names it needs from the notebook, the language."""

    lab: Any
    values: Mapping[str, Any]
    lang: str

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def t(self, message: str, /, **values: object) -> str:
        return translator(self.lang)(message, **values)

    def call(self, function: Callable[..., T], *args: Any) -> T:
        """Run the learner's function with a socket timeout of :data:`CHECK_SECONDS`; a raise or a wait becomes
        :class:`LearnerFailed` with a friendly message."""
        previous = socket.getdefaulttimeout()
        socket.setdefaulttimeout(CHECK_SECONDS)
        try:
            return function(*args)
        except TimeoutError:
            raise LearnerFailed(self.t(texts.CHECK_NO_ANSWER, seconds=f"{CHECK_SECONDS:g}")) from None
        except Exception as problem:  # the learner's own code: any error is theirs to see, briefly
            text = self.t(texts.CHECK_YOUR_CODE_RAISED, error=type(problem).__name__, message=str(problem))
            raise LearnerFailed(text) from None
        finally:
            socket.setdefaulttimeout(previous)


@dataclass(frozen=True)
class TaskCheck:
    needs: tuple[tuple[str, str], ...]
    """(name, the code that makes it — or :data:`TASK_CELL`), besides ``lab``."""
    run: Callable[[Context], Outcome]


TASKS: dict[str, TaskCheck] = {}


def task(
    ident: str, *needs: tuple[str, str] | str
) -> Callable[[Callable[[Context], Outcome]], Callable[[Context], Outcome]]:
    """Register a task's check: ``@task("01-1", "command")`` (a bare name is made in the task cell)."""

    def register(run: Callable[[Context], Outcome]) -> Callable[[Context], Outcome]:
        made = tuple((need, TASK_CELL) if isinstance(need, str) else need for need in needs)
        TASKS[ident] = TaskCheck(made, run)
        return run

    return register


def _registered() -> dict[str, TaskCheck]:
    from poplab.notebook import (  # noqa: F401  (they register)
        lesson_checks_01_04,
        lesson_checks_05_08,
        lesson_checks_09,
        lesson_checks_10,
    )

    return TASKS


def check(ident: str, lang: str | None = None, namespace: Mapping[str, Any] | None = None) -> Verdict:
    """Check task ``ident`` (e.g. "05-1") against the notebook's names (the caller's globals by default)."""
    names = namespace if namespace is not None else sys._getframe(1).f_globals
    from poplab.notebook.lab import Lab

    lab = names.get("lab")
    language = lab.lang if isinstance(lab, Lab) else resolve_language(lang)
    t = translator(language)
    spec = _registered().get(ident)
    if spec is None:
        return Verdict(ident, Outcome(False, t(texts.CHECK_UNKNOWN_TASK, task=ident)), language)
    if not isinstance(lab, Lab):
        return Verdict(ident, Outcome(False, t(texts.CHECK_MISSING_NAME, name="lab", where="lab = Lab(...)")), language)
    if not lab.running:
        return Verdict(ident, Outcome(False, t(texts.CHECK_LAB_STOPPED)), language)
    missing = _missing(spec, names, t)
    if missing:
        return Verdict(ident, Outcome(False, missing), language)
    values = {name: names[name] for name, _ in spec.needs}
    if any(value is Ellipsis for value in values.values()):
        outcome = Outcome(False, t(texts.CHECK_PLACEHOLDER))
    else:
        outcome = _run(spec, Context(lab, values, language))
    _note(ident, outcome.passed)
    return Verdict(ident, outcome, language)


def _missing(spec: TaskCheck, names: Mapping[str, Any], t: Callable[..., str]) -> str:
    for name, where in spec.needs:
        if name not in names:
            if where == TASK_CELL:
                return t(texts.CHECK_MISSING_ANSWER, name=name)
            return t(texts.CHECK_MISSING_NAME, name=name, where=where)
    return ""


def _run(spec: TaskCheck, context: Context) -> Outcome:
    try:
        return spec.run(context)
    except (LearnerFailed, LabError) as problem:
        return Outcome(False, str(problem))


def _note(ident: str, passed: bool) -> None:
    from poplab.notebook.lesson_progress import note

    note(ident, passed)


def task_ids() -> tuple[str, ...]:
    """Every lesson task with a self-check (``"01-1"`` ...), in order: the columns of a class's notebook
    progress."""
    return tuple(sorted(_registered()))
