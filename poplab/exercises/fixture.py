"""An exercise's starting point, made real: a fresh store (in memory, or a Maildir data directory when the
learner is to administer it) holding the exercise's accounts and a copy of their mailboxes, the UIDs the
mailbox starts with, and reading the store's state back for the checks."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from poplab.exercises.model import Exercise
from poplab.exercises.record import AccountState, MailboxState
from poplab.protocol.seams import Account
from poplab.store.accounts_file import dump_accounts, write_atomically
from poplab.store.api import ManagedStore
from poplab.store.demo import demo_messages
from poplab.store.maildir_store import ACCOUNTS_FILE, MaildirStore
from poplab.store.memory import MemoryStore


def initial_uids(exercise: Exercise) -> tuple[str, ...]:
    """The UIDs of the learner's mailbox at the start, in message-number order."""
    mailbox = exercise.fixture.mailbox
    demo = tuple(message.key for message in demo_messages(mailbox)) if mailbox else ()
    return (*demo, *(uid for uid, _ in exercise.eml))


def add_learner_account(store: ManagedStore, exercise: Exercise, name: str, password: str, secret: str | None) -> None:
    """Add ``name`` with a fresh copy of the exercise's mailbox (the same UIDs every time)."""
    store.add_account(Account(name, password, True, secret))
    fill_mailbox(store, exercise, name)


def fill_mailbox(store: ManagedStore, exercise: Exercise, name: str) -> None:
    """Empty ``name``'s mailbox and put the exercise's messages back into it."""
    store.clear(name)
    if exercise.fixture.mailbox:
        for message in demo_messages(exercise.fixture.mailbox):
            store.deliver(name, message.data, message.key)
    for uid, data in exercise.eml:
        store.deliver(name, data, uid)


def build_store(exercise: Exercise, data_dir: Path | None = None) -> ManagedStore:
    """A fresh store for one learner: in memory, or (``store = "maildir"``) a new data directory at ``data_dir``
    (whatever was there is removed)."""
    fixture = exercise.fixture
    store: ManagedStore
    if fixture.store == "maildir":
        if data_dir is None:
            raise ValueError(f"exercise {exercise.id} keeps its mail on disk: give it a data directory")
        store = empty_maildir_store(data_dir)
    else:
        store = MemoryStore()
    add_learner_account(store, exercise, fixture.account, fixture.password, fixture.apop_secret)
    for extra in fixture.accounts:
        store.add_account(Account(extra.name, extra.password, extra.pop_enabled))
        if extra.mailbox:
            for message in demo_messages(extra.mailbox):
                store.deliver(extra.name, message.data, message.key)
    return store


def empty_maildir_store(data_dir: Path) -> MaildirStore:
    """A data directory with no accounts at all (an old one at the same place is removed first)."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    write_atomically(data_dir / ACCOUNTS_FILE, dump_accounts([]).encode("utf-8"))
    return MaildirStore(data_dir)


def accounts_of(exercise: Exercise) -> tuple[str, ...]:
    """The accounts an exercise's checks may look at in the store."""
    return (exercise.fixture.account, *(extra.name for extra in exercise.fixture.accounts))


def mailbox_state(store: ManagedStore, names: Iterable[str]) -> MailboxState:
    """The accounts as they are now: whether they exist, may use POP3, and which UIDs they hold."""
    states = []
    for name in names:
        account = store.account(name)
        if account is None:
            states.append((name, AccountState(False)))
        else:
            states.append((name, AccountState(True, account.pop_enabled, tuple(store.stored(name)))))
    return MailboxState(tuple(states))
