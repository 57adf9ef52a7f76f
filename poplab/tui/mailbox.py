"""The server-side mailbox as the tutor shows it, without Textual: for one account, every message with its
number, size in octets, UIDL, subject and whether it is marked for deletion.

Deletion marks live in the server's session, not in the store, so while the learner's session has the maildrop
open the rows come from that session's view (its fixed numbers and marks); otherwise from the store as it is
now. Read in the server's own loop (the app's loop for the bundled server).
"""

from __future__ import annotations

import email.parser
import email.policy
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from poplab.protocol.maildrop_view import MaildropView
from poplab.protocol.octets import wire_size
from poplab.protocol.seams import StoreError
from poplab.protocol.states import State
from poplab.server.app import PopServer
from poplab.store.api import ManagedStore, UnknownAccount

_HEADER_LIMIT = 64 * 1024
_parser = email.parser.BytesHeaderParser(policy=email.policy.default)


@dataclass(frozen=True)
class MailboxRow:
    number: int
    octets: int
    uid: str
    subject: str
    deleted: bool


@dataclass(frozen=True)
class Mailbox:
    """One account's messages. ``live``: the rows are a session's view (its numbers, its deletion marks)."""

    account: str
    rows: tuple[MailboxRow, ...]
    live: bool
    exists: bool = True

    @property
    def marked(self) -> int:
        return sum(row.deleted for row in self.rows)


def subject_of(message: bytes) -> str:
    """The decoded Subject header of a stored message ('' if none); only the header block is parsed."""
    end = min((i for i in (message.find(b"\r\n\r\n"), message.find(b"\n\n")) if i >= 0), default=len(message))
    try:
        headers = _parser.parsebytes(message[: min(end, _HEADER_LIMIT)])
        subject = headers.get("subject")
    except (ValueError, TypeError, IndexError):
        return ""
    return " ".join(str(subject).split()) if subject is not None else ""


class SubjectCache:
    """Subjects by UID, so a 3 MB message's headers are parsed once."""

    def __init__(self) -> None:
        self._subjects: dict[str, str] = {}

    def get(self, uid: str, load: Callable[[], bytes]) -> str:
        subject = self._subjects.get(uid)
        if subject is None:
            try:
                subject = subject_of(load())
            except (KeyError, OSError, StoreError):
                return ""
            self._subjects[uid] = subject
        return subject


def session_view(server: PopServer, account: str) -> MaildropView | None:
    """The maildrop view of the session that has ``account`` open in TRANSACTION, if any."""
    for session in server.sessions:
        conn = session.conn
        if conn is not None and conn.user == account and conn.view is not None and conn.state is State.TRANSACTION:
            return conn.view
    return None


def peer_account(server: PopServer, peer: str | None) -> str | None:
    """The account the session from ``peer`` is logged in as, or has named with USER."""
    for session in server.sessions:
        conn = session.conn
        if conn is not None and peer is not None and session.info.peer == peer:
            return conn.user or conn.pending_user
    return None


def read_mailbox(server: PopServer, store: ManagedStore, account: str, subjects: SubjectCache) -> Mailbox:
    view = session_view(server, account)
    if view is not None:
        return Mailbox(account, tuple(_view_rows(view, subjects)), live=True)
    try:
        stored = store.stored(account)
    except UnknownAccount:
        return Mailbox(account, (), live=False, exists=False)
    rows = (
        MailboxRow(number, wire_size(data), uid, subjects.get(uid, functools.partial(bytes, data)), False)
        for number, (uid, data) in enumerate(stored.items(), 1)
    )
    return Mailbox(account, tuple(rows), live=False)


def _view_rows(view: MaildropView, subjects: SubjectCache) -> Iterable[MailboxRow]:
    for number, info in enumerate(view.messages, 1):
        subject = subjects.get(info.uid, functools.partial(view.maildrop.content, info.uid))
        yield MailboxRow(number, info.size, info.uid, subject, number in view.deleted)
