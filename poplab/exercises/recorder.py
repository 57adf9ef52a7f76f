"""Building the server-side record from the running server: a store wrapper that notes each maildrop's snapshot
at login and what QUIT commits, and an observer that turns the server's line and session events into
:class:`SessionRecord` values, calling back whenever a session ends.

The observer runs in the server's thread; everything it shares with other threads is behind one lock.

What one session records is bounded: its first lines (:data:`HEAD_LINES`, :data:`HEAD_OCTETS`) and its last
(:data:`TAIL_LINES`), each line at most :data:`MAX_LINE` octets, and a count of what was left out between them, by
kind. A learner's session fits whole; a client that sends 200,000 lines costs the same as one that sends 2,200,
and what it did last (DELE, QUIT) is still in the record the checks read.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from poplab.exercises.record import End, LoginEvent, RecordedLine, SessionRecord
from poplab.protocol.octets import CHUNK
from poplab.protocol.seams import Account, AccountStore, Maildrop, MessageInfo
from poplab.server.events import LineEvent, ServerEvent, SessionEvent, shown
from poplab.transcript import REDACTED, TranscriptLine, redact_command

HEAD_LINES = 2000
"""Lines kept from the start of a session (a whole lesson's session is a few hundred)."""
HEAD_OCTETS = 256 * 1024
"""Octets of lines kept from the start of a session."""
TAIL_LINES = 200
"""Lines kept from the end of a session once its start is full, so what it did last is in the record."""
MAX_LINE = 1024
"""Octets kept of one line (the server takes a command of 255 octets and a SASL response of 8192)."""
MAX_LOGINS = 20
"""Login attempts kept from one session (the successful one is always kept)."""
MAX_VERB_KINDS = 16
"""Verbs the summary of left-out commands names one by one; the rest are ``command other``."""


class RecordingStore:
    """An ``AccountStore`` that passes everything on to ``inner`` and remembers, per account, the UIDs of the
    last snapshot taken at login and of the last commit (an account is in one session at a time), and which
    accounts' credentials were right when a login was refused all the same (the maildrop was in use)."""

    def __init__(self, inner: AccountStore) -> None:
        self.inner = inner
        self._snapshots: dict[str, tuple[str, ...]] = {}
        self._commits: dict[str, tuple[str, ...]] = {}
        self._verified: set[str] = set()
        self._mutex = threading.Lock()

    def account(self, name: str) -> Account | None:
        return self.inner.account(name)

    def open_maildrop(self, name: str) -> Maildrop:
        with self._mutex:
            self._verified.add(name)  # the server opens a maildrop only after the credentials were checked
        maildrop = self.inner.open_maildrop(name)
        with self._mutex:
            self._snapshots[name] = tuple(info.uid for info in maildrop.messages)
        return _RecordingMaildrop(self, name, maildrop)

    def note_commit(self, name: str, deleted: Collection[str]) -> None:
        with self._mutex:
            self._commits[name] = tuple(deleted)

    def take_snapshot(self, name: str) -> tuple[str, ...]:
        with self._mutex:
            return self._snapshots.pop(name, ())

    def take_commit(self, name: str) -> tuple[str, ...]:
        with self._mutex:
            return self._commits.pop(name, ())

    def take_verified(self, name: str) -> bool:
        """Whether the login as ``name`` that just ended got as far as opening the maildrop."""
        account = self.inner.account(name)
        with self._mutex:
            found = name in self._verified or (account is not None and account.name in self._verified)
            self._verified.discard(name)
            if account is not None:
                self._verified.discard(account.name)
            return found


class _RecordingMaildrop:
    def __init__(self, store: RecordingStore, name: str, inner: Maildrop) -> None:
        self._store = store
        self._name = name
        self._inner = inner

    @property
    def messages(self) -> Sequence[MessageInfo]:
        return self._inner.messages

    def content(self, uid: str) -> bytes:
        return self._inner.content(uid)

    def iter_content(self, uid: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        return self._inner.iter_content(uid, chunk_size)

    def head(self, uid: str, lines: int) -> bytes:
        return self._inner.head(uid, lines)

    def commit(self, deleted: Collection[str]) -> None:
        self._inner.commit(deleted)
        self._store.note_commit(self._name, deleted)

    def release(self) -> None:
        self._inner.release()


@dataclass
class _Building:
    """A session being recorded: the first lines, then the last ones, and what was left out between them."""

    record: SessionRecord
    lines: list[RecordedLine] = field(default_factory=list)
    tail: deque[RecordedLine] = field(default_factory=deque)
    full: bool = False
    octets: int = 0
    logins: list[LoginEvent] = field(default_factory=list)
    omitted: dict[str, list[int]] = field(default_factory=dict)
    tls: bool = False

    def add(self, line: RecordedLine) -> None:
        if not self.full and self._fits(line):
            self.lines.append(line)
            self.octets += len(line.raw)
            return
        self.full = True
        self.tail.append(line)
        if len(self.tail) > TAIL_LINES:
            self._leave_out(self.tail.popleft())

    def _fits(self, line: RecordedLine) -> bool:
        if line.direction == "S" and self.lines and self.lines[-1].direction == "C":
            return True  # the reply completes its command's exchange
        return len(self.lines) < HEAD_LINES and self.octets + len(line.raw) <= HEAD_OCTETS

    def add_login(self, login: LoginEvent) -> None:
        if login.ok or len(self.logins) < MAX_LOGINS:
            self.logins.append(login)
        else:
            self._count("logins", 0)

    def _leave_out(self, line: RecordedLine) -> None:
        if line.direction == "S":
            self._count("replies", line.octets or len(line.raw))
            return
        self._count("commands", line.octets or len(line.raw))
        word = line.raw.split(maxsplit=1)[:1]
        verb = word[0].decode("ascii", "replace").upper() if word and word[0].isalpha() and len(word[0]) <= 8 else ""
        named = sum(1 for kind in self.omitted if kind.startswith("command "))
        key = f"command {verb}" if verb else "command other"
        if key not in self.omitted and named >= MAX_VERB_KINDS:
            key = "command other"
        self._count(key, line.octets or len(line.raw))

    def _count(self, kind: str, octets: int) -> None:
        counts = self.omitted.setdefault(kind, [0, 0])
        counts[0] += 1
        counts[1] += octets

    def all_lines(self) -> tuple[RecordedLine, ...]:
        return (*self.lines, *self.tail)

    def freeze(self, end: End, closed: float | None) -> SessionRecord:
        gap = len(self.lines) if self.omitted.get("commands") or self.omitted.get("replies") else None
        omitted = tuple((kind, lines, octets) for kind, (lines, octets) in self.omitted.items())
        return replace(
            self.record,
            lines=self.all_lines(),
            logins=tuple(self.logins),
            end=end,
            closed=closed,
            gap=gap,
            omitted=omitted,
        )


SessionEnded = Callable[[SessionRecord], None]


class _Sessions:
    """What both recorders keep: the sessions under way, the finished ones, and the hand-off of each finished
    record to ``on_end`` outside the lock (``settle`` waits for both)."""

    def __init__(self, on_end: SessionEnded | None, keep: bool = True) -> None:
        self.on_end = on_end
        self.keep = keep
        self._open: dict[int, _Building] = {}
        self._done: list[SessionRecord] = []
        self._ending = 0
        self._mutex = threading.Lock()
        self._changed = threading.Condition(self._mutex)

    def _finished(self, record: SessionRecord) -> None:
        """Called with the lock held: keep the record and announce a hand-off (``_hand_off`` after the lock)."""
        if self.keep:
            self._done.append(record)
        self._ending += 1

    def _hand_off(self, record: SessionRecord) -> None:
        try:
            if self.on_end is not None:
                self.on_end(record)
        finally:
            with self._mutex:
                self._ending -= 1
                self._changed.notify_all()

    def sessions(self) -> list[SessionRecord]:
        """Every session so far in the order they were opened, the open ones as they are now (end "open")."""
        with self._mutex:
            current = [building.freeze("open", None) for building in self._open.values()]
            return sorted([*self._done, *current], key=lambda record: record.id)

    def open_count(self) -> int:
        with self._mutex:
            return len(self._open)

    def settle(self, timeout: float = 1.0) -> None:
        """Wait (at most ``timeout``) until no session is open and every finished one has been passed on: a
        client's QUIT or drop reaches the server a moment after the client has moved on."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while (self._open or self._ending) and (left := deadline - time.monotonic()) > 0:
                self._changed.wait(left)


class Recorder(_Sessions):
    """Subscribe :meth:`observe` to a server running over ``store``; ``on_end`` gets each finished session."""

    def __init__(self, store: RecordingStore, on_end: SessionEnded | None = None, *, keep: bool = True) -> None:
        super().__init__(on_end, keep)  # keep: False for a classroom server, which passes sessions on and forgets
        self.store = store

    def observe(self, event: ServerEvent) -> None:
        if isinstance(event, LineEvent):
            self._line(event)
        elif event.kind in ("closed", "autologout"):
            self._close(event)
        else:
            self._session(event)

    def _line(self, event: LineEvent) -> None:
        raw = shown(event)
        if event.direction == "S":
            head, _, _ = raw.partition(b"\r\n")
            raw = head + b"\r\n"
        if len(raw) > MAX_LINE:
            raw = raw[: MAX_LINE - 2] + b"\r\n"
        line = RecordedLine(event.direction, raw, event.tls, event.time, event.octets)
        with self._mutex:
            building = self._open.get(event.session.id)
            if building is not None:
                building.add(line)
                if event.direction == "C":
                    building.tls = event.tls

    def _session(self, event: SessionEvent) -> None:
        with self._mutex:
            if event.kind == "opened":
                record = SessionRecord(event.session.id, event.time, event.session.tls_port)
                self._open[event.session.id] = _Building(record, tls=event.session.tls_port)
                return
            building = self._open.get(event.session.id)
        if building is None:
            return
        if event.kind == "login":
            user, _, how = event.detail.rpartition(" (")
            snapshot = self.store.take_snapshot(user)
            self.store.take_verified(user)
            with self._mutex:
                building.add_login(LoginEvent(user, True, how.removesuffix(")"), building.tls, event.time))
                building.record = replace(building.record, snapshot=snapshot)
        elif event.kind == "login-failed":
            user, _, reason = event.detail.partition(": ")
            verified = self.store.take_verified(user)
            with self._mutex:
                building.add_login(LoginEvent(user, False, reason, building.tls, event.time, verified))
        elif event.kind == "committed":
            user = event.detail.rpartition(": ")[0]
            committed = self.store.take_commit(user)
            with self._mutex:
                building.record = replace(building.record, committed=committed)

    def _close(self, event: SessionEvent) -> None:
        with self._mutex:
            building = self._open.pop(event.session.id, None)
            if building is None:
                return
            record = building.freeze(_how_it_ended(building, event.kind), event.time)
            self._finished(record)
        self._hand_off(record)


def _how_it_ended(building: _Building, kind: str) -> End:
    if kind == "autologout":
        return "autologout"
    if building.record.committed is not None:
        return "quit"
    lines = building.all_lines()
    commands = [line for line in lines if line.direction == "C"]
    replies = [line for line in lines if line.direction == "S"]
    last = commands[-1].raw.strip().upper() if commands else b""
    if last == b"QUIT" and replies and replies[-1].raw.startswith(b"+OK"):
        return "quit"
    return "dropped"


class SmtpEventLike(Protocol):
    """What the lab's SMTP server tells an observer (``poplab.smtp.SmtpEvent``): a session opened, a line, closed."""

    @property
    def session(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def line(self) -> TranscriptLine | None: ...
    @property
    def secret(self) -> bool: ...


class SmtpRecorder(_Sessions):
    """Subscribe :meth:`observe` to the exercise's SMTP server: each SMTP session becomes a :class:`SessionRecord`
    with ``protocol="smtp"`` (lines capped as the POP3 ones, secrets redacted), passed to ``on_end`` when it ends."""

    def __init__(self, on_end: SessionEnded | None = None) -> None:
        super().__init__(on_end)

    def observe(self, event: SmtpEventLike) -> None:
        with self._mutex:
            if event.kind == "opened":
                record = SessionRecord(event.session, time.time(), False, protocol="smtp")
                self._open[event.session] = _Building(record)
                return
            building = self._open.get(event.session)
            if building is None:
                return
            if event.kind == "line" and event.line is not None:
                building.add(_smtp_line(event.line, event.secret))
                return
            if event.kind != "closed":
                return
            del self._open[event.session]
            record = building.freeze(_smtp_end(building), time.time())
            self._finished(record)
        self._hand_off(record)


def _smtp_line(line: TranscriptLine, secret: bool) -> RecordedLine:
    raw = line.raw
    if line.direction == "C":
        raw = REDACTED.encode("ascii") + b"\r\n" if secret else redact_command(raw)
    if len(raw) > MAX_LINE:
        raw = raw[: MAX_LINE - 2] + b"\r\n"
    return RecordedLine(line.direction, raw, line.tls, line.time, len(line.raw))


def _smtp_end(building: _Building) -> End:
    """QUIT answered 221 is a proper end; anything else (a client that went away) is a drop."""
    lines = building.all_lines()
    commands = [line for line in lines if line.direction == "C"]
    replies = [line for line in lines if line.direction == "S"]
    last = commands[-1].raw.strip().upper() if commands else b""
    return "quit" if last == b"QUIT" and replies and replies[-1].raw.startswith(b"221") else "dropped"
