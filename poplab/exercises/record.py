"""The server-side record the checks read: each session as the server saw it (lines, logins, the maildrop snapshot
at login, what QUIT committed, how it ended) and the mailbox state now — and their JSON form.

Lines that carry credentials are stored redacted; a server reply keeps only its first line (its status) and
its size, so a record stays small even when a learner downloads a 3 MB message. A session's lines are capped
(see :mod:`poplab.exercises.recorder`): the first ones and the last ones are kept, with a summary of what was
left out between them; logins, the snapshot, what QUIT committed and how the session ended are always kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

Direction = Literal["C", "S"]
End = Literal["quit", "dropped", "autologout", "open"]
Protocol = Literal["pop3", "smtp"]


@dataclass(frozen=True)
class RecordedLine:
    direction: Direction
    raw: bytes
    tls: bool
    time: float
    octets: int = 0
    """For a reply: its whole size on the wire (``raw`` is only its first line)."""


@dataclass(frozen=True)
class LoginEvent:
    """A login attempt the server reported: ``how`` is the mechanism (``USER/PASS``, ``APOP``, ``AUTH PLAIN``)
    when ``ok``, else the reason it was refused."""

    user: str
    ok: bool
    how: str
    tls: bool
    time: float
    verified: bool = False
    """A refused login whose credentials were right (the maildrop was in use): it proves who sent it."""


@dataclass(frozen=True)
class Exchange:
    """One client line and the reply it got. ``verb`` is empty for a SASL response line."""

    command: bytes
    verb: str
    args: tuple[str, ...]
    reply: bytes
    tls: bool
    octets: int = 0
    """The whole reply's size on the wire."""

    @property
    def ok(self) -> bool | None:
        """True for +OK, False for -ERR, None for a SASL continuation or no reply."""
        if self.reply.startswith(b"+OK"):
            return True
        if self.reply.startswith(b"-ERR"):
            return False
        return None

    @property
    def code(self) -> str | None:
        """The RFC 2449 response code of the reply, e.g. ``IN-USE``."""
        words = self.reply.split(b" ", 2)
        if len(words) > 1 and words[1].startswith(b"[") and b"]" in words[1]:
            return words[1][1 : words[1].index(b"]")].decode("ascii", "replace")
        return None

    @property
    def number(self) -> int | None:
        """The message number argument (RETR, TOP, DELE, LIST, UIDL), if it is one."""
        return int(self.args[0]) if self.args and self.args[0].isdigit() else None

    @property
    def shown(self) -> str:
        return self.command.rstrip(b"\r\n").decode("utf-8", "replace")


@dataclass(frozen=True)
class SessionRecord:
    """One session from the server's point of view."""

    id: int
    opened: float
    implicit_tls: bool
    lines: tuple[RecordedLine, ...] = ()
    logins: tuple[LoginEvent, ...] = ()
    snapshot: tuple[str, ...] = ()
    """The UIDs of the maildrop at login, in message-number order."""
    committed: tuple[str, ...] | None = None
    """The UIDs QUIT removed in the UPDATE state; None when the session never reached UPDATE."""
    end: End = "open"
    closed: float | None = None
    gap: int | None = None
    """Lines were left out before ``lines[gap]`` (the record was capped); None when every line is kept."""
    omitted: tuple[tuple[str, int, int], ...] = ()
    """What was left out, by kind (``commands``, ``replies``, ``logins``, ``command NOOP``...): lines, octets."""
    protocol: Protocol = "pop3"
    """Which of the exercise's servers saw the session: POP3, or SMTP (exercises that serve it)."""

    @property
    def login(self) -> LoginEvent | None:
        """The successful login, if any."""
        return next((login for login in self.logins if login.ok), None)

    @property
    def account(self) -> str | None:
        """The account this session belongs to: the one logged in to, else one whose right credentials were
        refused (its maildrop was in use). A session whose logins all failed on the password belongs to nobody:
        anyone can type another's login name."""
        login = self.login
        if login is not None:
            return login.user
        return next((login.user for login in self.logins if login.verified), None)

    @property
    def tried(self) -> str | None:
        """The account the last login attempt named, whether or not it succeeded."""
        return self.logins[-1].user if self.logins else None

    def uid(self, number: int) -> str | None:
        return self.snapshot[number - 1] if 0 < number <= len(self.snapshot) else None

    def exchanges(self) -> tuple[Exchange, ...]:
        """Each command with its reply; a command is never paired with a reply across the lines left out."""
        if self.gap is None:
            return pair_lines(self.lines)
        return pair_lines(self.lines[: self.gap]) + pair_lines(self.lines[self.gap :])


def pair_lines(lines: tuple[RecordedLine, ...]) -> tuple[Exchange, ...]:
    """Each client line with the reply that followed it (the greeting and unsolicited replies are skipped)."""
    result: list[Exchange] = []
    pending: RecordedLine | None = None
    sasl = False
    for line in lines:
        if line.direction == "C":
            if pending is not None:
                result.append(_exchange(pending, b"", sasl))
            pending = line
            continue
        if pending is None:
            continue
        result.append(_exchange(pending, line.raw, sasl, line.octets))
        sasl = line.raw.startswith(b"+ ") or line.raw.rstrip(b"\r\n") == b"+"
        pending = None
    if pending is not None:
        result.append(_exchange(pending, b"", sasl))
    return tuple(result)


def _exchange(line: RecordedLine, reply: bytes, sasl: bool, octets: int = 0) -> Exchange:
    words = line.raw.rstrip(b"\r\n").decode("utf-8", "replace").split()
    if sasl or not words:
        return Exchange(line.raw, "", (), reply, line.tls, octets)
    return Exchange(line.raw, words[0].upper(), tuple(words[1:]), reply, line.tls, octets)


@dataclass(frozen=True)
class AccountState:
    exists: bool
    pop_enabled: bool = True
    uids: tuple[str, ...] = ()


@dataclass(frozen=True)
class MailboxState:
    """The accounts of the store as they are now (only those the exercise is about)."""

    accounts: tuple[tuple[str, AccountState], ...] = ()

    def get(self, name: str) -> AccountState:
        return dict(self.accounts).get(name, AccountState(False))


# ---- JSON ---------------------------------------------------------------------------------------------------


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def record_to_json(record: SessionRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "opened": record.opened,
        "implicit_tls": record.implicit_tls,
        "lines": [[line.direction, _text(line.raw), line.tls, line.time, line.octets] for line in record.lines],
        "logins": [[login.user, login.ok, login.how, login.tls, login.time, login.verified] for login in record.logins],
        "snapshot": list(record.snapshot),
        "committed": None if record.committed is None else list(record.committed),
        "end": record.end,
        "closed": record.closed,
        "gap": record.gap,
        "omitted": [list(item) for item in record.omitted],
        **({"protocol": record.protocol} if record.protocol != "pop3" else {}),
    }


def record_from_json(data: dict[str, Any]) -> SessionRecord:
    return SessionRecord(
        id=int(data["id"]),
        opened=float(data["opened"]),
        implicit_tls=bool(data["implicit_tls"]),
        lines=tuple(RecordedLine(d, _bytes(raw), bool(tls), float(t), int(o)) for d, raw, tls, t, o in data["lines"]),
        logins=tuple(_login(item) for item in data["logins"]),
        snapshot=tuple(str(uid) for uid in data["snapshot"]),
        committed=None if data["committed"] is None else tuple(str(uid) for uid in data["committed"]),
        end=data["end"],
        closed=None if data["closed"] is None else float(data["closed"]),
        gap=None if data.get("gap") is None else int(data["gap"]),
        omitted=tuple((str(kind), int(lines), int(octets)) for kind, lines, octets in data.get("omitted", ())),
        protocol="smtp" if data.get("protocol") == "smtp" else "pop3",
    )


def _login(item: list[Any]) -> LoginEvent:
    user, ok, how, tls, moment, *rest = item
    return LoginEvent(str(user), bool(ok), str(how), bool(tls), float(moment), bool(rest[0]) if rest else False)


def records_from_jsonl(text: str) -> list[SessionRecord]:
    """Every complete line; a half-written last line (a server killed mid-write) is skipped."""
    records = []
    for line in text.splitlines():
        try:
            records.append(record_from_json(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            continue
    return records


def mailbox_to_json(state: MailboxState) -> dict[str, Any]:
    return {
        name: {"exists": s.exists, "pop_enabled": s.pop_enabled, "uids": list(s.uids)} for name, s in state.accounts
    }


def mailbox_from_json(data: dict[str, Any]) -> MailboxState:
    return MailboxState(
        tuple(
            (str(name), AccountState(bool(s["exists"]), bool(s["pop_enabled"]), tuple(s["uids"])))
            for name, s in data.items()
        )
    )
