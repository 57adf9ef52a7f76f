"""An in-memory store: accounts and messages in dicts, a lock per account, deletions applied at UPDATE.

UIDs are handed out from a counter when a message is added, so they are unique in the maildrop and never
reused while the store lives; a caller (the demo data) may choose a UID instead. It implements the protocol's
``AccountStore`` seam and the same administration protocol as the Maildir store.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from poplab.protocol.octets import line_chunks, wire_size
from poplab.protocol.seams import Account, MaildropLocked, MessageInfo, StoreError
from poplab.store.api import BadMessage, UnknownAccount, check_new_name
from poplab.store.message_file import CHUNK, top_end
from poplab.store.uids import check_chosen_uid


@dataclass
class _Mailbox:
    messages: dict[str, bytes] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)


class MemoryStore:
    """Accounts and maildrops held in memory; safe to share between the sessions of one server."""

    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._boxes: dict[str, _Mailbox] = {}
        self._locked: set[str] = set()
        self._counter = 0
        self._mutex = threading.RLock()

    @classmethod
    def with_demo(cls) -> MemoryStore:
        """A store holding the bundled demo accounts and mailboxes (the same UIDs and sizes as on disk)."""
        from poplab.store.demo import load_demo_into  # the demo data module builds on this one

        store = cls()
        load_demo_into(store)
        return store

    # ---- administration ---------------------------------------------------------------------------------

    def add_account(self, account: Account, messages: Iterable[bytes] = ()) -> None:
        with self._mutex:
            check_new_name(account.name, self._accounts)
            self._accounts[account.name] = account
            self._boxes[account.name] = _Mailbox()
        for message in messages:
            self.deliver(account.name, message)

    def set_account(self, account: Account) -> None:
        with self._mutex:
            self._box(account.name)
            self._accounts[account.name] = account

    def remove_account(self, name: str) -> None:
        with self._mutex:
            self._box(name)
            if name in self._locked:
                raise MaildropLocked(f"the maildrop of {name} is in use by a POP3 session")
            del self._accounts[name]
            del self._boxes[name]

    def accounts(self) -> list[Account]:
        with self._mutex:
            return sorted(self._accounts.values(), key=lambda a: a.name)

    def deliver(self, name: str, message: bytes, uid: str | None = None) -> str:
        with self._mutex:
            box = self._box(name)
            self._counter += 1
            if uid is None:
                uid = f"{self._counter:06d}.{hashlib.sha1(message, usedforsecurity=False).hexdigest()[:12]}"
            elif check_chosen_uid(uid) in box.messages:
                raise BadMessage(f"UID {uid!r} exists already in the maildrop of {name}")
            box.messages[uid] = message
            box.sizes[uid] = wire_size(message)
            return uid

    def clear(self, name: str) -> None:
        with self._mutex:
            self._box(name)
            self._boxes[name] = _Mailbox()

    def replace(self, name: str, messages: Iterable[tuple[str | None, bytes]], *, if_unused: bool = False) -> list[str]:
        """Make the mailbox hold exactly ``messages`` (a chosen UID or None), at once; returns their UIDs.
        ``if_unused`` refuses (``MaildropLocked``) while a session holds the maildrop."""
        with self._mutex:
            self._box(name)
            if if_unused and name in self._locked:
                raise MaildropLocked(f"the maildrop of {name} is in use by a POP3 session")
            old, self._boxes[name] = self._boxes[name], _Mailbox()
            try:
                return [self.deliver(name, message, uid) for uid, message in messages]
            except BaseException:
                self._boxes[name] = old
                raise

    def stored(self, name: str) -> dict[str, bytes]:
        """Every message of an account, by UID, as stored now (deletions of open sessions not applied)."""
        with self._mutex:
            return dict(self._box(name).messages)

    def mailbox_stats(self, name: str) -> tuple[int, int]:
        with self._mutex:
            box = self._box(name)
            return len(box.sizes), sum(box.sizes.values())

    def is_locked(self, name: str) -> bool:
        with self._mutex:
            return name in self._locked

    def _box(self, name: str) -> _Mailbox:
        box = self._boxes.get(name)
        if box is None:
            raise UnknownAccount(f"no account {name!r}")
        return box

    # ---- AccountStore -----------------------------------------------------------------------------------

    def account(self, name: str) -> Account | None:
        with self._mutex:
            return self._accounts.get(name)

    def open_maildrop(self, name: str) -> MemoryMaildrop:
        with self._mutex:
            if name not in self._boxes:
                raise StoreError(f"no maildrop for {name}")
            if name in self._locked:
                raise MaildropLocked(name)
            self._locked.add(name)
            box = self._boxes[name]
            snapshot = tuple(MessageInfo(uid, box.sizes[uid]) for uid in box.messages)
        return MemoryMaildrop(self, name, snapshot)

    def _content(self, name: str, uid: str) -> bytes:
        with self._mutex:
            box = self._boxes.get(name)
            if box is None or uid not in box.messages:
                raise StoreError(f"message {uid} was removed from the maildrop of {name} meanwhile")
            return box.messages[uid]

    def _remove(self, name: str, uids: Collection[str]) -> None:
        with self._mutex:
            box = self._boxes.get(name, _Mailbox())
            for uid in uids:
                box.messages.pop(uid, None)
                box.sizes.pop(uid, None)

    def _release(self, name: str) -> None:
        with self._mutex:
            self._locked.discard(name)


class MemoryMaildrop:
    """A locked snapshot of one account's messages."""

    def __init__(self, store: MemoryStore, name: str, snapshot: Sequence[MessageInfo]) -> None:
        self._store = store
        self._name = name
        self.messages = snapshot
        self._uids = frozenset(info.uid for info in snapshot)
        self._released = False

    def content(self, uid: str) -> bytes:
        if uid not in self._uids:
            raise KeyError(uid)
        return self._store._content(self._name, uid)

    def iter_content(self, uid: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        """The message in line-aligned pieces (as :meth:`MaildirMaildrop.iter_content` gives them)."""
        return line_chunks(self.content(uid), chunk_size)

    def head(self, uid: str, lines: int) -> bytes:
        """What ``TOP uid lines`` needs of the stored message (as :meth:`MaildirMaildrop.head` gives it)."""
        data = self.content(uid)
        end = top_end(data, lines)
        return data if end is None else data[:end]

    def commit(self, deleted: Collection[str]) -> None:
        self._store._remove(self._name, deleted)

    def release(self) -> None:
        with self._store._mutex:
            if self._released:
                return
            self._released = True
        self._store._release(self._name)
