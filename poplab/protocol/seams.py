"""What the protocol core needs from a mail store, as structural types. Stores implement these; the core never
touches a file itself."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Account:
    """A mail account. ``apop_secret`` is the shared secret for APOP; without it APOP uses the password."""

    name: str
    password: str
    pop_enabled: bool = True
    apop_secret: str | None = None

    @property
    def shared_secret(self) -> str:
        return self.apop_secret if self.apop_secret is not None else self.password


@dataclass(frozen=True)
class MessageInfo:
    """One message of a maildrop snapshot: its unique id and its size in octets as sent (CRLF)."""

    uid: str
    size: int


class StoreError(Exception):
    """The store could not do what was asked (a disk error, say). Becomes ``-ERR [SYS/TEMP]`` on the wire."""


class MaildropLocked(StoreError):
    """Another session holds this maildrop (RFC 2449 ``[IN-USE]``)."""


class Maildrop(Protocol):
    """An opened, locked maildrop: the snapshot taken at login, message contents, and the UPDATE step."""

    @property
    def messages(self) -> Sequence[MessageInfo]: ...

    def content(self, uid: str) -> bytes:
        """The stored bytes of one message of the snapshot (line ends as stored)."""
        ...

    def iter_content(self, uid: str, chunk_size: int = ...) -> Iterator[bytes]:
        """The same bytes in line-aligned pieces of about ``chunk_size`` octets, exactly as
        :func:`poplab.protocol.octets.line_chunks` cuts ``content(uid)``, read as they are taken (RETR of a large
        message). A message that cannot be read raises :class:`StoreError` at the call, not while iterating."""
        ...

    def head(self, uid: str, lines: int) -> bytes:
        """As much of the start of the stored message as ``TOP uid lines`` needs (header, blank line, ``lines``
        body lines): ``top(to_crlf(head(uid, n)), n) == top(to_crlf(content(uid)), n)``."""
        ...

    def commit(self, deleted: Collection[str]) -> None:
        """Remove these messages for good (the UPDATE state)."""
        ...

    def release(self) -> None:
        """Release the lock. Called on every way out of a session, after commit or without it."""
        ...


class AccountStore(Protocol):
    """Accounts and their maildrops."""

    def account(self, name: str) -> Account | None: ...

    def open_maildrop(self, name: str) -> Maildrop:
        """Lock and snapshot a maildrop; raises :class:`MaildropLocked` when it is in use."""
        ...
