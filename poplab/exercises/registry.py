"""The registry of named checks: what a check is (a pure function of the record and its parameters), the
context it reads, and the parameter types an exercise file may give it.

A check module registers each check with :func:`check`; the loader validates an exercise's parameters against
the registration, so a teacher's typo is a one-line error when the exercise is loaded, not a wrong result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from poplab.exercises.model import CheckSpec, Param
from poplab.exercises.record import Exchange, MailboxState, SessionRecord
from poplab.exercises.texts import Message

ParamType = Literal["int", "str", "bool", "ints", "strs"]


@dataclass(frozen=True)
class CheckContext:
    """What every check reads: the account the exercise is about, its mailbox at the start (UIDs in
    message-number order), every session the server saw, the store's state now and the server's port."""

    account: str
    initial: tuple[str, ...]
    sessions: tuple[SessionRecord, ...]
    mailbox: MailboxState = field(default_factory=MailboxState)
    port: int = 0
    fixture: tuple[str, ...] = ()
    """The same UIDs in the fixture's order (``exercise.toml``'s numbers); empty: the same order as ``initial``."""
    answers: tuple[str, ...] = ()
    """The right answers, computed from the mailbox served; empty: the exercise's fixed answer."""
    octets: tuple[int, ...] = ()
    """The messages' sizes at the start, in message-number order."""
    smtp: tuple[SessionRecord, ...] = ()
    """What the exercise's SMTP server saw (exercises that serve SMTP): every session, in order."""

    @property
    def shuffled(self) -> bool:
        """The learner's message numbers differ from the fixture's: a check must not name the ones it wants."""
        return bool(self.fixture) and self.fixture != self.initial

    def served(self, number: int) -> int:
        """The learner's number of the fixture's message ``number`` (0 if there is none)."""
        if not self.fixture:
            return number
        uid = self.fixture[number - 1] if 0 < number <= len(self.fixture) else None
        return self.number_of(uid) or 0

    def mine(self) -> list[SessionRecord]:
        """Sessions that logged in (or tried to) as the exercise's account."""
        return [record for record in self.sessions if record.account == self.account]

    def logged_in(self) -> list[SessionRecord]:
        return [record for record in self.mine() if record.login is not None]

    def number_of(self, uid: str | None) -> int | None:
        """The message number a UID had at the start of the exercise."""
        return self.initial.index(uid) + 1 if uid in self.initial else None

    def uid(self, number: int) -> str | None:
        return self.initial[number - 1] if 0 < number <= len(self.initial) else None

    def numbers_in(self, record: SessionRecord, exchanges: Iterable[Exchange]) -> set[int]:
        """The start-of-exercise numbers of the messages these exchanges name (numbers are per session)."""
        found = set()
        for exchange in exchanges:
            if exchange.number is not None and (number := self.number_of(record.uid(exchange.number))):
                found.add(number)
        return found


@dataclass(frozen=True)
class Verdict:
    passed: bool
    detail: Message


CheckFunction = Callable[[CheckContext, CheckSpec], Verdict]
HintFunction = Callable[[CheckContext, CheckSpec], Message]


@dataclass(frozen=True)
class CheckDef:
    name: str
    function: CheckFunction
    hint: HintFunction
    params: dict[str, ParamType]
    required: frozenset[str]
    summary: str


CHECKS: dict[str, CheckDef] = {}


def check(
    name: str, *, hint: HintFunction, params: dict[str, ParamType] | None = None, required: Iterable[str] = ()
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check under ``name``; its docstring's first line is its summary for teachers."""

    def register(function: CheckFunction) -> CheckFunction:
        summary = (function.__doc__ or "").strip().splitlines()[0]
        CHECKS[name] = CheckDef(name, function, hint, dict(params or {}), frozenset(required), summary)
        return function

    return register


def registered() -> dict[str, CheckDef]:
    """Every registered check (importing the check modules registers them)."""
    from poplab.exercises import checks_mailbox, checks_messages, checks_session, checks_smtp  # noqa: F401

    return CHECKS


def convert(kind: ParamType, value: object) -> Param | None:
    """A TOML value as a parameter of this type, or None if it is not one."""
    if kind == "bool":
        return value if isinstance(value, bool) else None
    if kind == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if kind == "str":
        return value if isinstance(value, str) else None
    if kind == "ints":
        items = value if isinstance(value, list) else [value]
        numbers = tuple(item for item in items if isinstance(item, int) and not isinstance(item, bool))
        return numbers if len(numbers) == len(items) else None
    items = value if isinstance(value, list) else [value]
    return tuple(str(item) for item in items) if all(isinstance(item, str) for item in items) else None


def ints(spec: CheckSpec, key: str) -> tuple[int, ...]:
    value = spec.get(key, ())
    return tuple(item for item in value if isinstance(item, int)) if isinstance(value, tuple) else ()


def messages(ctx: CheckContext, spec: CheckSpec, key: str) -> tuple[int, ...]:
    """The message numbers a check names (fixture numbers), as the learner's numbers."""
    return tuple(ctx.served(number) for number in ints(spec, key))


def text(spec: CheckSpec, key: str, default: str = "") -> str:
    value = spec.get(key, default)
    return value if isinstance(value, str) else default


def exchanges(records: Iterable[SessionRecord]) -> Iterator[tuple[SessionRecord, Exchange]]:
    for record in records:
        for exchange in record.exchanges():
            yield record, exchange
