"""The bundled demo data: accounts (``demo/accounts.toml``) and their messages (``demo/mail/<account>/<key>.eml``,
the large one as ``.eml.gz``), loading it into any store, and installing or resetting it in a data directory.

Every demo message is delivered under the Maildir key its file is named after, so the memory store and the
Maildir store give the same UIDs, sizes and contents, and a reset brings back the very same UIDs.
"""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from poplab.protocol.seams import Account
from poplab.store.accounts_file import parse_accounts, write_atomically
from poplab.store.api import ManagedStore
from poplab.store.maildir_store import ACCOUNTS_FILE, MaildirStore
from poplab.store.memory import MemoryStore
from poplab.store.uids import delivery_order

SEED_ACCOUNT = "wiki@example.com"
"""The account of the article's session: one message of exactly 236 octets."""

_SUFFIXES = (".eml.gz", ".eml")


@dataclass(frozen=True)
class DemoMessage:
    """One demo message: the Maildir key (its UID) and its bytes as stored (LF line ends)."""

    key: str
    data: bytes


def _demo_root() -> Traversable:
    return resources.files("poplab.store").joinpath("demo")


def demo_accounts_text() -> str:
    """The demo ``accounts.toml``, with its comments."""
    return _demo_root().joinpath(ACCOUNTS_FILE).read_text(encoding="utf-8")


@functools.cache
def demo_accounts() -> tuple[Account, ...]:
    """The demo accounts, in the order of the demo accounts file."""
    return tuple(parse_accounts(demo_accounts_text(), Path("poplab/store/demo") / ACCOUNTS_FILE).values())


@functools.cache
def demo_messages(name: str) -> tuple[DemoMessage, ...]:
    """The messages of one demo account, in delivery order (empty for an account without mail)."""
    folder = _demo_root().joinpath("mail").joinpath(name)
    if not folder.is_dir():
        return ()
    messages = [_read(item) for item in folder.iterdir() if item.name.endswith(_SUFFIXES)]
    return tuple(sorted(messages, key=lambda message: delivery_order(message.key, 0)))


def _read(item: Traversable) -> DemoMessage:
    for suffix in _SUFFIXES:
        if item.name.endswith(suffix):
            key = item.name.removesuffix(suffix)
            data = item.read_bytes()
            return DemoMessage(key, gzip.decompress(data) if suffix.endswith(".gz") else data)
    raise ValueError(f"not a demo message file: {item.name}")


def restore_demo(store: ManagedStore) -> None:
    """Give every demo account its demo settings and exactly its demo messages; other accounts stay as they are."""
    for account in demo_accounts():
        existing = store.account(account.name)
        if existing is None:
            store.add_account(account)
        elif existing != account:
            store.set_account(account)
        store.replace(account.name, [(message.key, message.data) for message in demo_messages(account.name)])


def load_demo_into(store: MemoryStore) -> None:
    """Fill a memory store with the demo accounts and messages (the same UIDs and sizes as on disk)."""
    restore_demo(store)


def install_demo(data_dir: Path | str) -> MaildirStore:
    """Put the demo data into a data directory, creating it if needed, and return its store.

    A new data directory gets the demo ``accounts.toml`` with its comments; in an existing one the demo accounts
    and mailboxes are restored and every other account is left alone.
    """
    path = Path(data_dir)
    path.mkdir(parents=True, exist_ok=True)
    accounts = path / ACCOUNTS_FILE
    if not accounts.exists():
        write_atomically(accounts, demo_accounts_text().encode("utf-8"))
    store = MaildirStore(path)
    restore_demo(store)
    return store


def reset_demo(data_dir: Path | str) -> MaildirStore:
    """Restore the demo accounts and their mailboxes exactly (``poplab reset``); the same as :func:`install_demo`.

    The demo messages come back under their old UIDs: that is what makes the seed session replay exactly.
    """
    return install_demo(data_dir)
