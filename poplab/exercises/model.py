"""The exercise model: what one ``exercises/NN-slug/exercise.toml`` says, as frozen values (the loader builds them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from poplab.exercises.texts import Text

Param = int | str | bool | tuple[int, ...] | tuple[str, ...]
StoreKind = Literal["memory", "maildir"]
AnswerKind = Literal["text", "number", "words"]
AnswerSource = Literal["value", "stat", "count", "number", "line_after"]

PLACEHOLDERS = ("account", "password", "secret", "host", "port", "tls_port", "smtp_port", "data_dir")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r"|message:\d+|uid:\d+)\}")


def fill(text: str, values: dict[str, str]) -> str:
    """Replace the known ``{account}``-style placeholders; every other brace stays as it is."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


@dataclass(frozen=True)
class CheckSpec:
    """One named check with its parameters, and optionally a hint of the teacher's for when it fails."""

    name: str
    params: tuple[tuple[str, Param], ...] = ()
    hint: Text | None = None

    def get(self, key: str, default: Param | None = None) -> Param | None:
        return dict(self.params).get(key, default)


@dataclass(frozen=True)
class ExtraAccount:
    """Another account in the exercise's store (e.g. the one to switch off in the administration exercise)."""

    name: str
    password: str
    pop_enabled: bool = True
    mailbox: str | None = None


@dataclass(frozen=True)
class Fixture:
    """The store an exercise starts from: the learner's account, whose mailbox is a copy of a demo account's
    (``mailbox``) plus ``.eml`` files from the exercise folder, and any other accounts."""

    account: str
    password: str
    apop_secret: str | None = None
    mailbox: str | None = None
    messages: tuple[str, ...] = ()
    accounts: tuple[ExtraAccount, ...] = ()
    store: StoreKind = "memory"
    shuffle: bool = False
    """A variant serves the messages in its own order (checks still name them by their fixture number)."""


@dataclass(frozen=True)
class Answer:
    """A value the learner submits (``--answer``). ``accept`` holds every right form of a fixed answer; an
    answer ``source`` other than ``value`` is computed from the mailbox the learner was served (see
    :func:`poplab.exercises.variant.expected_answers`): ``stat`` (count and octets), ``count``, ``number`` (the
    learner's number of fixture message ``message``) or ``line_after`` (the line of message ``message`` that
    follows the line ``after``)."""

    accept: tuple[str, ...]
    question: Text
    kind: AnswerKind = "text"
    ignore_case: bool = False
    hint: Text | None = None
    source: AnswerSource = "value"
    message: int = 0
    after: str = ""

    def matches(self, given: str, expected: tuple[str, ...] | None = None) -> bool:
        """Whether ``given`` is right; ``expected``: the computed right answers (default ``accept``)."""
        mine = self._normal(given)
        return mine is not None and any(mine == self._normal(value) for value in expected or self.accept)

    def _normal(self, text: str) -> str | None:
        text = text.strip()
        if self.kind == "number":
            try:
                return str(int(text.replace("_", "")))
            except ValueError:
                return None
        if self.kind == "words":
            text = " ".join(text.split())
        return text.casefold() if self.ignore_case else text


@dataclass(frozen=True)
class Exercise:
    """One exercise. ``id`` is the number (``"05"``), ``slug`` the rest of the folder name."""

    id: str
    slug: str
    folder: Path
    title: Text
    task: Text
    fixture: Fixture
    checks: tuple[CheckSpec, ...]
    hints: tuple[Text, ...] = ()
    answer: Answer | None = None
    points: int = 10
    apop: bool = False
    smtp: bool = False
    """Serve SMTP beside POP3 (``[server] smtp = true``): mail sent there is delivered into the exercise's store."""
    classroom: bool = True
    eml: tuple[tuple[str, bytes], ...] = field(default=(), repr=False)
    """The ``.eml`` files of the fixture: (UID, bytes), read by the loader."""

    @property
    def name(self) -> str:
        """The folder name, ``NN-slug``."""
        return f"{self.id}-{self.slug}"

    @property
    def solution_path(self) -> Path:
        return self.folder / "solution.txt"

    def task_text(self, lang: str | None, values: dict[str, str]) -> str:
        return fill(self.task.render(lang), values)
