"""What every poplab store offers beyond the protocol seam: the administration protocol both stores implement,
the rules for account names, and the errors an administrator (or the CLI) gets, each with a one-line message.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Protocol

from poplab.protocol.seams import Account, AccountStore, StoreError

MAX_NAME_OCTETS = 200
"""An account name must fit a ``USER name`` command line (RFC 2449 §4: 255 octets) and a file name (255)."""


class DataDirError(StoreError, ValueError):
    """The data directory or its ``accounts.toml`` is missing or invalid; the message names the file."""


class AdminError(ValueError):
    """An administration request that cannot be carried out; the message is one line for the user."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class BadAccountName(AdminError):
    """The name cannot be an account name (empty, '/', control characters, ...)."""


class DuplicateAccount(AdminError):
    """An account of this name exists already."""


class UnknownAccount(AdminError, KeyError):
    """No account of this name (also a ``KeyError``, as a lookup that failed)."""


class BadMessage(AdminError):
    """The bytes to deliver do not look like a mail message, or the requested UID is unusable."""


def check_account_name(name: str) -> str:
    """Return ``name`` if it can be an account name, else raise :class:`BadAccountName` saying why.

    The name is also the directory of the account's Maildir, so it must be a single, ordinary path component.
    """
    problem = _name_problem(name)
    if problem:
        raise BadAccountName(f"invalid account name {name!r}: {problem}")
    return name


def _name_problem(name: str) -> str | None:
    if not name:
        return "it is empty"
    if "/" in name or "\\" in name:
        return "it must not contain '/' or '\\'"
    if name.startswith("."):
        return "it must not begin with '.'"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        return "it must not contain control characters"
    if any(c.isspace() for c in name):
        return "it must not contain spaces"
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_OCTETS:
        return f"it is longer than {MAX_NAME_OCTETS} octets"
    return None


def check_new_name(name: str, existing: Iterable[str]) -> str:
    """A valid name that no existing account has, ignoring case (Maildirs on macOS ignore case)."""
    check_account_name(name)
    folded = name.casefold()
    for other in existing:
        if other.casefold() == folded:
            raise DuplicateAccount(f"account {other!r} exists already")
    return name


class ManagedStore(AccountStore, Protocol):
    """A store an administrator can change: both :class:`MemoryStore` and :class:`MaildirStore` are one."""

    def accounts(self) -> list[Account]:
        """Every account, sorted by name."""
        ...

    def add_account(self, account: Account, messages: Iterable[bytes] = ()) -> None:
        """Add a new account (with messages); :class:`DuplicateAccount` or :class:`BadAccountName` if not."""
        ...

    def set_account(self, account: Account) -> None:
        """Replace an account's settings (password, pop_enabled, apop_secret); :class:`UnknownAccount` if absent."""
        ...

    def remove_account(self, name: str) -> None:
        """Remove an account and all its mail; ``MaildropLocked`` while a session has it open."""
        ...

    def deliver(self, name: str, message: bytes, uid: str | None = None) -> str:
        """Store a message as it is (no checks); returns its UID. ``uid`` chooses the UID (it must be new)."""
        ...

    def clear(self, name: str) -> None:
        """Remove every message of an account."""
        ...

    def replace(self, name: str, messages: Iterable[tuple[str | None, bytes]], *, if_unused: bool = False) -> list[str]:
        """Make the mailbox hold exactly these messages (a chosen UID, or None for a fresh one) as one change: an
        interruption leaves the old or the new mailbox. Returns their UIDs. ``if_unused`` refuses
        (``MaildropLocked``) while a POP3 session holds the maildrop; otherwise an open session keeps its snapshot."""
        ...

    def stored(self, name: str) -> dict[str, bytes]:
        """Every message of an account now, by UID, in delivery order (bytes as stored)."""
        ...

    def mailbox_stats(self, name: str) -> tuple[int, int]:
        """Number of messages and their total size in octets as sent (CRLF)."""
        ...

    def is_locked(self, name: str) -> bool:
        """Whether a session of this process holds the account's maildrop."""
        ...
