"""An in-memory store: accounts and messages in dicts, a lock per account, deletions applied at UPDATE.

UIDs are handed out from a counter when a message is added, so they are unique in the maildrop and never
reused while the store lives.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from poplab.protocol.octets import wire_size
from poplab.protocol.seams import Account, MaildropLocked, MessageInfo, StoreError


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
        self._mutex = threading.Lock()

    # ---- administration ---------------------------------------------------------------------------------

    def add_account(self, account: Account, messages: Iterable[bytes] = ()) -> None:
        with self._mutex:
            self._accounts[account.name] = account
            self._boxes.setdefault(account.name, _Mailbox())
        for message in messages:
            self.deliver(account.name, message)

    def set_account(self, account: Account) -> None:
        with self._mutex:
            if account.name not in self._accounts:
                raise KeyError(account.name)
            self._accounts[account.name] = account

    def accounts(self) -> list[Account]:
        return sorted(self._accounts.values(), key=lambda a: a.name)

    def deliver(self, name: str, message: bytes, uid: str | None = None) -> str:
        with self._mutex:
            box = self._boxes[name]
            self._counter += 1
            uid = uid or f"{self._counter:06d}.{hashlib.sha1(message).hexdigest()[:12]}"
            box.messages[uid] = message
            box.sizes[uid] = wire_size(message)
            return uid

    def stored(self, name: str) -> dict[str, bytes]:
        """Every message of an account, by UID, as stored now (deletions of open sessions not applied)."""
        return dict(self._boxes[name].messages)

    def is_locked(self, name: str) -> bool:
        return name in self._locked

    # ---- AccountStore -----------------------------------------------------------------------------------

    def account(self, name: str) -> Account | None:
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

    def _remove(self, name: str, uids: Collection[str]) -> None:
        with self._mutex:
            box = self._boxes[name]
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
        self._released = False

    def content(self, uid: str) -> bytes:
        return self._store._boxes[self._name].messages[uid]

    def commit(self, deleted: Collection[str]) -> None:
        self._store._remove(self._name, deleted)

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._store._release(self._name)
