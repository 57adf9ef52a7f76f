"""The administration API the CLI and the notebooks use: plain functions over either store, no printing.

Every refusal is an exception with a one-line message: :class:`~poplab.store.api.AdminError` subclasses for a
bad request, :class:`~poplab.store.api.DataDirError` for a bad data directory, ``MaildropLocked`` when a session
holds the maildrop, ``StoreError`` for a disk error.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from poplab.protocol.seams import Account
from poplab.store.api import BadMessage, ManagedStore, UnknownAccount, check_new_name
from poplab.store.datadir import open_data_dir
from poplab.store.demo import restore_demo

__all__ = [
    "AccountSummary",
    "add_account",
    "check_message",
    "deliver",
    "list_accounts",
    "open_data_dir",
    "remove_account",
    "replace_messages",
    "reset_demo",
    "set_pop_enabled",
]

_FIELD_NAME = re.compile(rb"[\x21-\x39\x3b-\x7e]+")
"""RFC 5322 §3.6.8: a field name is printable US-ASCII except ':' (and so without spaces)."""


@dataclasses.dataclass(frozen=True)
class AccountSummary:
    """One line of an account listing."""

    name: str
    pop_enabled: bool
    apop_secret: bool
    """Whether the account has its own APOP secret (else APOP uses the password)."""
    messages: int
    octets: int
    """Total size as POP3 counts it (every line end as CRLF)."""


def list_accounts(store: ManagedStore, *, pop_enabled: bool | None = None) -> list[AccountSummary]:
    """Every account sorted by name, or only those whose ``pop_enabled`` is the one given."""
    summaries = []
    for account in store.accounts():
        if pop_enabled is not None and account.pop_enabled != pop_enabled:
            continue
        messages, octets = store.mailbox_stats(account.name)
        summaries.append(
            AccountSummary(account.name, account.pop_enabled, account.apop_secret is not None, messages, octets)
        )
    return summaries


def add_account(
    store: ManagedStore, name: str, password: str, *, pop_enabled: bool = True, apop_secret: str | None = None
) -> Account:
    """Add an account with an empty mailbox; refuses a bad or an existing name (ignoring case)."""
    check_new_name(name, (account.name for account in store.accounts()))
    account = Account(name, password, pop_enabled, apop_secret)
    store.add_account(account)
    return account


def set_pop_enabled(store: ManagedStore, name: str, enabled: bool) -> Account:
    """Switch POP3 access of an account on or off; returns the account as it is now."""
    account = _existing(store, name)
    changed = dataclasses.replace(account, pop_enabled=enabled)
    if changed != account:
        store.set_account(changed)
    return changed


def remove_account(store: ManagedStore, name: str) -> None:
    """Remove an account and all its mail (refused while a POP3 session has its maildrop open)."""
    _existing(store, name)
    store.remove_account(name)


def deliver(store: ManagedStore, name: str, message: bytes, *, replace: bool = False) -> str:
    """Deliver one message (checked with :func:`check_message`) and return its UID; ``replace`` makes it the only
    message, as :func:`replace_messages` does."""
    if replace:
        return replace_messages(store, name, [message])[0]
    _existing(store, name)
    check_message(message)
    return store.deliver(name, message)


def replace_messages(store: ManagedStore, name: str, messages: Sequence[bytes]) -> list[str]:
    """Make these messages (each checked with :func:`check_message`) the whole mailbox, as one change: an
    interruption leaves the old or the new mailbox. Refused (``MaildropLocked``) while a POP3 session holds it."""
    _existing(store, name)
    for message in messages:
        check_message(message)
    return store.replace(name, [(None, message) for message in messages], if_unused=True)


def reset_demo(store: ManagedStore) -> None:
    """Restore the demo accounts and their mailboxes exactly; other accounts are left alone."""
    restore_demo(store)


def check_message(message: bytes) -> None:
    """Refuse bytes that do not look like a mail message: it must begin with at least one header field
    (``Name: value``, continuation lines indented) before the blank line that ends the header."""
    if not message.strip():
        raise BadMessage("not a mail message: it is empty")
    if message.startswith((b"\n", b"\r\n")):
        raise BadMessage("not a mail message: it begins with a blank line, so it has no header fields")
    header = re.split(rb"\r?\n\r?\n", message, maxsplit=1)[0].rstrip(b"\r\n")
    for number, line in enumerate(header.replace(b"\r\n", b"\n").split(b"\n"), 1):
        if number > 1 and line[:1] in (b" ", b"\t"):
            continue
        name, colon, _ = line.partition(b":")
        if not colon or not _FIELD_NAME.fullmatch(name):
            shown = line[:60].decode("utf-8", "replace")
            raise BadMessage(f"not a mail message: header line {number} is not 'Name: value': {shown!r}")


def _existing(store: ManagedStore, name: str) -> Account:
    account = store.account(name)
    if account is None:
        raise UnknownAccount(f"no account {name!r}")
    return account
