"""Reference solutions (``solution.txt``) and other scripted attempts: their format, and replaying one over real
connections with the learner's session class — exactly what a learner at a terminal would send.

Format, one step a line (``#`` starts a comment line)::

    USER {account}            a raw command line; {account} {password} {secret} are filled in,
    PASS {password}           {apop_digest} is MD5(greeting timestamp + secret), {auth_plain} the base64 of
    B: USER {account}         NUL account NUL password. "B:" sends on a second connection (A is the default).
    @connect tls              open this connection over implicit TLS (before its first line; default plain)
    @connect smtp             make this connection one to the SMTP port: its lines are SMTP commands, after
                              DATA's 354 the message's lines up to the line "." ("S:" alone sends an empty line)
    STLS                      sends STLS and, on +OK, does the TLS handshake (STARTTLS on an SMTP connection)
    @drop                     close this connection without QUIT
    @admin pop-disable NAME   switch POP3 off (pop-enable: on) for an account in the exercise's store
    @answer TEXT              the answer the attempt gives (see below)

A line may use ``{message:N}`` and ``{uid:N}`` (the learner's number and the UID of the fixture's message N, as
the task names them) and what the server has answered so far: ``{stat}`` (the last STAT reply, "6 8231"),
``{count}`` (its first number), ``{code}`` (the last response code, "IN-USE"), ``{find:TEXT}`` (the number of
the last RETR/TOP whose reply holds TEXT), ``{uidl:UID}`` (the number the last UIDL listing gives that UID),
``{line_after:TEXT}`` (the line after TEXT in the last body holding it, as stored) and ``{wire_after:TEXT}``
(the same line as it crossed the wire).

A connection opens at its first line and is finished by QUIT or @drop; a later line opens a new one. Any
connection still open at the end is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from poplab.client import Session, SmtpSession, tls_context
from poplab.exercises.model import fill
from poplab.protocol.client import ServerReply
from poplab.protocol.sasl import apop_digest, encode_challenge, greeting_timestamp
from poplab.store.admin import set_pop_enabled
from poplab.store.api import ManagedStore

StepKind = Literal["line", "connect", "drop", "admin", "answer"]
_LABEL = re.compile(r"([A-Z]):\s?(.*)")
_SECURITY = ("plain", "tls", "smtp")
_ADMIN = {"pop-disable": False, "pop-enable": True}
_DERIVED = re.compile(r"\{(stat|count|code)\}|\{(find|uidl|line_after|wire_after):([^{}]*)\}")


class SolutionError(ValueError):
    """A solution file is not in the format above; the message names the line."""


@dataclass(frozen=True)
class Step:
    label: str
    kind: StepKind
    text: str
    line: int


@dataclass(frozen=True)
class Target:
    """Where and as whom a solution is replayed."""

    host: str
    port: int
    account: str
    password: str
    secret: str
    tls_port: int | None = None
    store: ManagedStore | None = None
    values: dict[str, str] = field(default_factory=dict)
    """``{message:N}`` and ``{uid:N}`` of the variant served (:meth:`Variant.values`)."""
    smtp_port: int | None = None
    """The SMTP port of an exercise that serves SMTP (for ``@connect smtp``)."""


def parse_solution(text: str, source: str = "solution.txt") -> tuple[Step, ...]:
    steps = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        label, body = "A", line
        if match := _LABEL.fullmatch(line):
            label, body = match.group(1), match.group(2)
        steps.append(_step(label, body, number, source))
    return tuple(steps)


def _step(label: str, body: str, number: int, source: str) -> Step:
    if not body.startswith("@"):
        return Step(label, "line", body, number)
    words = body[1:].split()
    kind = words[0] if words else ""
    if kind == "connect" and len(words) == 2 and words[1] in _SECURITY:
        return Step(label, "connect", words[1], number)
    if kind == "drop" and len(words) == 1:
        return Step(label, "drop", "", number)
    if kind == "answer" and len(words) > 1:
        return Step(label, "answer", body[1:].split(None, 1)[1], number)
    if kind == "admin" and len(words) == 3 and words[1] in _ADMIN:
        return Step(label, "admin", f"{words[1]} {words[2]}", number)
    raise SolutionError(
        f"{source}:{number}: unknown directive {body!r} (@connect plain|tls|smtp, @drop, @admin ..., @answer ...)"
    )


@dataclass
class _Connection:
    session: Session | None = None
    security: str = "plain"
    smtp: SmtpSession | None = None
    replies: list[ServerReply] = field(default_factory=list)


class Replay:
    """Run steps against a server; :attr:`replies` holds every reply, in order, for a test to look at."""

    def __init__(self, target: Target, timeout: float = 10.0) -> None:
        self.target = target
        self.timeout = timeout
        self.connections: dict[str, _Connection] = {}
        self.replies: list[tuple[Step, ServerReply]] = []
        self.answer: str | None = None

    def run(self, steps: tuple[Step, ...]) -> Replay:
        try:
            for step in steps:
                self._step(step)
        finally:
            for connection in self.connections.values():
                if connection.session is not None:
                    connection.session.close()
                if connection.smtp is not None and not connection.smtp.closed:
                    connection.smtp.close()
        return self

    def _step(self, step: Step) -> None:
        connection = self.connections.setdefault(step.label, _Connection())
        if step.kind == "connect":
            connection.security = step.text
        elif step.kind == "drop":
            if connection.session is not None:
                connection.session.close()
            if connection.smtp is not None and not connection.smtp.closed:
                connection.smtp.close()
            connection.session = connection.smtp = None
        elif step.kind == "admin":
            self._admin(step)
        elif step.kind == "answer":
            self.answer = self._derive(fill(step.text, self.target.values))
        elif connection.security == "smtp":
            self._send_smtp(connection, step)
        else:
            self._send(connection, step)

    def _send_smtp(self, connection: _Connection, step: Step) -> None:
        if connection.smtp is None:
            assert self.target.smtp_port is not None, "this exercise serves no SMTP"
            connection.smtp = SmtpSession.connect(self.target.host, self.target.smtp_port, timeout=self.timeout)
        session = connection.smtp
        values = {**self.target.values, "account": self.target.account, "password": self.target.password}
        line = fill(step.text, values)
        if line.upper() == "STARTTLS" and not session.in_data:
            session.starttls(tls_context(verify=False))
        else:
            session.send(line)
        if session.closed:
            connection.smtp = None

    def _send(self, connection: _Connection, step: Step) -> None:
        session = connection.session or self._open(connection)
        line = self._fill(step.text, session)
        reply = session.starttls(tls_context(verify=False)) if line.upper() == "STLS" else session.send(line)
        self.replies.append((step, reply))
        if line.upper() == "QUIT" or session.closed:
            session.close()
            connection.session = None

    def _open(self, connection: _Connection) -> Session:
        target = self.target
        if connection.security == "tls":
            assert target.tls_port is not None, "this server has no implicit-TLS port"
            session = Session.connect(
                target.host, target.tls_port, "tls", context=tls_context(verify=False), timeout=self.timeout
            )
        else:
            session = Session.connect(target.host, target.port, "plain", timeout=self.timeout)
        connection.session = session
        return session

    def _fill(self, text: str, session: Session) -> str:
        target = self.target
        values = {**target.values, "account": target.account, "password": target.password, "secret": target.secret}
        line = self._derive(fill(text, values))
        if "{apop_digest}" in line:
            greeting = session.greeting.text if session.greeting else ""
            line = line.replace("{apop_digest}", apop_digest(greeting_timestamp(greeting) or "", target.secret))
        credentials = b"\0" + target.account.encode() + b"\0" + target.password.encode()
        return line.replace("{auth_plain}", encode_challenge(credentials))

    def _derive(self, text: str) -> str:
        return _DERIVED.sub(lambda match: self._derived(match.group(1) or match.group(2), match.group(3)), text)

    def _derived(self, name: str, argument: str | None) -> str:
        """What the server said so far, for ``{stat}``, ``{find:TEXT}`` and the like ("" if nothing fits)."""
        for _, reply in reversed(self.replies):
            sent = reply.command
            verb = (sent.verb or "").upper() if sent is not None else ""
            args = sent.args if sent is not None else ()
            body = reply.body_lines or ()
            if name == "code" and reply.code:
                return reply.code
            if name in ("stat", "count") and verb == "STAT" and reply.ok:
                return reply.text if name == "stat" else reply.text.split()[0]
            if name == "find" and verb in ("RETR", "TOP") and args and argument and argument.encode() in reply.raw:
                return args[0]
            if name == "uidl" and verb == "UIDL" and reply.ok:
                pairs = [line.decode("utf-8", "replace").split() for line in body]
                return next((pair[0] for pair in pairs if pair[1:] == [argument]), "")
            if name in ("line_after", "wire_after") and argument:
                lines = [line.decode("utf-8", "replace").rstrip("\r\n") for line in body]
                for index, line in enumerate(lines[:-1]):
                    if line == argument:
                        following = lines[index + 1]
                        return following[1:] if name == "line_after" and following.startswith(".") else following
        return ""

    def _admin(self, step: Step) -> None:
        if self.target.store is None:
            raise SolutionError(f"line {step.line}: @admin needs the exercise's store")
        action, name = step.text.split()
        set_pop_enabled(self.target.store, fill(name, {"account": self.target.account}), _ADMIN[action])


def replay(text: str, target: Target, timeout: float = 10.0) -> Replay:
    """Parse and run a solution (or any attempt in the same format) against ``target``."""
    return Replay(target, timeout).run(parse_solution(text))
