"""What the protocol core needs from a mail store, as structural types. Stores implement these; the core never
touches a file itself."""

from __future__ import annotations

from collections.abc import Collection, Sequence
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
