"""The server-side mailbox at every step of a recorded session, reconstructed without Textual from what the
transcript says: which messages there are (STAT, LIST, UIDL replies — or, for a classroom record, the UIDs the
server logged at login), their sizes in octets (LIST, ``LIST n``, a one-message STAT, a RETR body — or the sizes
the classroom's own mailbox gives), the deletion marks (DELE, RSET) and what the UPDATE state after QUIT removed
(RFC 1939 §6). A session that ended without QUIT keeps every message: its deletion marks are lost.

What a transcript never says stays unknown (shown as ``?``): a size nobody asked for, messages before the first
STAT or LIST.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from poplab.annotate.model import Annotation, Kind
from poplab.protocol.states import State
from poplab.tui.entries import body_counts

Phase = Literal["before", "open", "updated", "lost"]
"""``before``: no login yet (a POP3 server shows no mailbox); ``open``: the session holds the mailbox (its marks
count); ``updated``: QUIT entered UPDATE and the marked messages are gone; ``lost``: the session ended without
QUIT, the marks are lost and every message stays."""

_NUMBERS = re.compile(rb"^\+OK\s+(\d+)\s+(\d+)")
_NUMBER_WORD = re.compile(rb"^\+OK\s+(\d+)\s+(\S+)")
_HAS = re.compile(rb"(\d+)\s+messages?\s*\((\d+)\s+octets", re.IGNORECASE)


@dataclass(frozen=True)
class Message:
    number: int
    octets: int | None = None
    uid: str | None = None
    deleted: bool = False


@dataclass(frozen=True)
class MailboxAt:
    """The mailbox as the server had it after one step. ``known``: the number of messages is known."""

    phase: Phase
    account: str | None = None
    messages: tuple[Message, ...] = ()
    removed: tuple[Message, ...] = ()
    """What the UPDATE state removed (phase ``updated``)."""
    known: bool = False

    @property
    def marked(self) -> int:
        return sum(message.deleted for message in self.messages)

    def rows(self) -> list[tuple[str, str, str, str]]:
        """Number, mark, octets, UID as text (``?`` where the transcript never said): for tests and the pane."""
        return [
            (
                str(message.number),
                "✗" if message.deleted else "",
                "?" if message.octets is None else str(message.octets),
                message.uid or "?",
            )
            for message in self.messages
        ]


@dataclass(frozen=True)
class ServerLog:
    """What a server logged about the session (a classroom record): the UIDs at login in number order, what QUIT
    committed, and each UID's size on the wire, where known."""

    snapshot: tuple[str, ...] = ()
    committed: tuple[str, ...] | None = None
    sizes: Mapping[str, int] = dataclasses.field(default_factory=dict)


class MailboxHistory:
    """Feed annotations in order; :meth:`add` returns the mailbox after each."""

    def __init__(self, log: ServerLog | None = None) -> None:
        self.log = log
        self.now = MailboxAt("before")
        self._messages: dict[int, Message] = {}
        self._command: tuple[str, tuple[str, ...]] = ("", ())
        self._named: str | None = None

    def add(self, annotation: Annotation) -> MailboxAt:
        if annotation.direction == "C" and annotation.kind is Kind.COMMAND:
            words = annotation.raw.decode("utf-8", "replace").split()
            self._command = (words[0].upper() if words else "", tuple(words[1:]))
            if self._command[0] in ("USER", "APOP") and len(words) > 1:
                self._named = words[1]
        elif annotation.direction == "S" and annotation.kind is Kind.STATUS:
            self._status(annotation)
        elif annotation.kind in (Kind.LISTING, Kind.MESSAGE) and annotation.ok:
            self._body(annotation)
        elif annotation.kind in (Kind.CLOSED, Kind.END) and self.now.phase == "open":
            self._messages = {n: dataclasses.replace(m, deleted=False) for n, m in self._messages.items()}
            self._set("lost")
        return self.now

    # ---- replies ------------------------------------------------------------------------------------------

    def _status(self, annotation: Annotation) -> None:
        verb, args = self._command
        if not annotation.ok:
            return
        raw = annotation.raw
        if annotation.state_before is State.AUTHORIZATION and annotation.state_after is State.TRANSACTION:
            self._login(raw)
        elif verb == "QUIT" and annotation.state_after is State.UPDATE:
            self._update()
        elif self.now.phase != "open":
            return
        elif verb == "STAT" and (match := _NUMBERS.match(raw)):
            self._stat(int(match.group(1)), int(match.group(2)))
        elif verb == "LIST" and args and (match := _NUMBERS.match(raw)):
            self._learn(int(match.group(1)), octets=int(match.group(2)))
        elif verb == "UIDL" and args and (match := _NUMBER_WORD.match(raw)):
            self._learn(int(match.group(1)), uid=match.group(2).decode("utf-8", "replace"))
        elif verb == "DELE" and args and args[0].isdigit():
            self._learn(int(args[0]), deleted=True)
        elif verb == "RSET":
            self._messages = {n: dataclasses.replace(m, deleted=False) for n, m in self._messages.items()}
            self._set("open")

    def _login(self, raw: bytes) -> None:
        log = self.log
        self._messages = {}
        known = False
        if log is not None and log.snapshot:
            for number, uid in enumerate(log.snapshot, 1):
                self._messages[number] = Message(number, log.sizes.get(uid), uid)
            known = True
        elif match := _HAS.search(raw):
            self._stat(int(match.group(1)), int(match.group(2)))
            known = True
        self._set("open", known=known or self.now.known)

    def _stat(self, count: int, octets: int) -> None:
        """``+OK count octets`` counts the messages not marked (RFC 1939 §5)."""
        marked = [m for m in self._messages.values() if m.deleted]
        for number in range(1, count + len(marked) + 1):
            self._messages.setdefault(number, Message(number))
        kept = [m for m in self._messages.values() if not m.deleted]
        unknown = [m for m in kept if m.octets is None]
        if len(unknown) == 1:  # every other size is known: this one is the rest of the total
            rest = octets - sum(m.octets or 0 for m in kept)
            self._messages[unknown[0].number] = dataclasses.replace(unknown[0], octets=rest)
        self._set("open", known=True)

    def _body(self, annotation: Annotation) -> None:
        verb, args = self._command
        if self.now.phase != "open":
            return
        if verb in ("LIST", "UIDL") and not args and annotation.kind is Kind.LISTING:
            for line in annotation.raw.split(b"\n"):
                words = line.split()
                if len(words) == 2 and words[0].isdigit():
                    value = words[1].decode("utf-8", "replace")
                    if verb == "LIST" and value.isdigit():
                        self._learn(int(words[0]), octets=int(value))
                    elif verb == "UIDL":
                        self._learn(int(words[0]), uid=value)
            if verb == "LIST":  # the listing leaves out the marked ones: nothing else is in the mailbox
                self._set("open", known=True)
        elif verb == "RETR" and args and args[0].isdigit():
            number = int(args[0])
            known = self._messages.get(number)
            if known is None or known.octets is None:
                self._learn(number, octets=body_counts(annotation.raw)[1])

    def _learn(self, number: int, **values: object) -> None:
        message = self._messages.get(number, Message(number))
        self._messages[number] = dataclasses.replace(message, **values)  # type: ignore[arg-type]
        self._set("open")

    def _update(self) -> None:
        log = self.log
        if log is not None and log.committed is not None:
            gone = set(log.committed)
            removed = [m for m in self._messages.values() if m.deleted or m.uid in gone]
        else:
            removed = [m for m in self._messages.values() if m.deleted]
        numbers = {m.number for m in removed}
        self._messages = {n: m for n, m in self._messages.items() if n not in numbers}
        removed = [dataclasses.replace(m, deleted=True) for m in removed]
        self._set("updated", removed=tuple(sorted(removed, key=lambda m: m.number)))

    def _set(self, phase: Phase, known: bool | None = None, removed: tuple[Message, ...] = ()) -> None:
        messages = tuple(self._messages[n] for n in sorted(self._messages))
        self.now = MailboxAt(
            phase,
            self._named,
            messages,
            removed or self.now.removed,
            self.now.known if known is None else known,
        )


def history(annotations: Iterable[Annotation], log: ServerLog | None = None) -> list[MailboxAt]:
    """The mailbox after each annotation, in order."""
    builder = MailboxHistory(log)
    return [builder.add(annotation) for annotation in annotations]
