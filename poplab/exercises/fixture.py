"""An exercise's starting point, made real: a fresh store (in memory, or a Maildir data directory when the
learner is to administer it) holding the exercise's accounts and a copy of their mailboxes, the UIDs the
mailbox starts with, and reading the store's state back for the checks."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from poplab.exercises.model import Exercise
from poplab.exercises.record import AccountState, MailboxState, SessionRecord
from poplab.exercises.registry import CheckContext
from poplab.exercises.variant import Variant, expected_answers, make_variant, octets
from poplab.protocol.seams import Account
from poplab.store.accounts_file import dump_accounts, write_atomically
from poplab.store.api import ManagedStore
from poplab.store.demo import demo_messages
from poplab.store.maildir_store import ACCOUNTS_FILE, MaildirStore
from poplab.store.memory import MemoryStore


def initial_uids(exercise: Exercise, variant: Variant | None = None) -> tuple[str, ...]:
    """The UIDs of the learner's mailbox at the start, in message-number order."""
    return (variant or make_variant(exercise)).initial


def add_learner_account(
    store: ManagedStore,
    exercise: Exercise,
    name: str,
    password: str,
    secret: str | None,
    variant: Variant | None = None,
) -> None:
    """Add ``name`` with a fresh copy of the exercise's mailbox (the variant's; the same for the same seed)."""
    store.add_account(Account(name, password, True, secret))
    fill_mailbox(store, exercise, name, variant)


def fill_mailbox(store: ManagedStore, exercise: Exercise, name: str, variant: Variant | None = None) -> None:
    """Empty ``name``'s mailbox and put the exercise's messages (as ``variant`` serves them) back into it."""
    store.clear(name)
    for uid, data in (variant or make_variant(exercise)).messages:
        store.deliver(name, data, uid)


def check_context(
    exercise: Exercise,
    variant: Variant,
    account: str,
    sessions: tuple[SessionRecord, ...],
    mailbox: MailboxState,
    port: int = 0,
) -> CheckContext:
    """What the checks read about ``account``, who was served ``variant`` of the exercise; ``sessions`` may mix
    POP3 and SMTP records (the checks read them apart)."""
    answers = expected_answers(exercise.answer, variant) if exercise.answer is not None else ()
    sizes = tuple(octets(data) for _, data in variant.messages)
    pop3 = tuple(record for record in sessions if record.protocol == "pop3")
    smtp = tuple(record for record in sessions if record.protocol == "smtp")
    return CheckContext(account, variant.initial, pop3, mailbox, port, variant.uids, answers, sizes, smtp)


def build_store(exercise: Exercise, data_dir: Path | None = None, variant: Variant | None = None) -> ManagedStore:
    """A fresh store for one learner: in memory, or (``store = "maildir"``) a new data directory at ``data_dir``
    (whatever was there is removed); the learner's mailbox as ``variant`` serves it (default: as written)."""
    fixture = exercise.fixture
    store: ManagedStore
    if fixture.store == "maildir":
        if data_dir is None:
            raise ValueError(f"exercise {exercise.id} keeps its mail on disk: give it a data directory")
        store = empty_maildir_store(data_dir)
    else:
        store = MemoryStore()
    add_learner_account(store, exercise, fixture.account, fixture.password, fixture.apop_secret, variant)
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
