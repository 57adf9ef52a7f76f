"""Accounts and maildrops: an in-memory store, a Maildir store over the stdlib ``mailbox`` module in a data
directory (see DATADIR.md), the bundled demo data, and the administration API."""

from __future__ import annotations

from poplab.store.api import (
    AdminError,
    BadAccountName,
    BadMessage,
    DataDirError,
    DuplicateAccount,
    ManagedStore,
    UnknownAccount,
)
from poplab.store.datadir import open_data_dir
from poplab.store.demo import install_demo, load_demo_into, reset_demo, restore_demo
from poplab.store.maildir_store import MaildirStore
from poplab.store.memory import MemoryStore

__all__ = [
    "AdminError",
    "BadAccountName",
    "BadMessage",
    "DataDirError",
    "DuplicateAccount",
    "MaildirStore",
    "ManagedStore",
    "MemoryStore",
    "UnknownAccount",
    "install_demo",
    "load_demo_into",
    "open_data_dir",
    "reset_demo",
    "restore_demo",
]
