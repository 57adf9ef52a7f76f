"""The Maildir store: accounts from ``DATA/accounts.toml`` and one Maildir per account under ``DATA/mail/`` (the
format is described in :mod:`poplab.store.datadir`), implementing the protocol's ``AccountStore`` seam and the
administration protocol. Safe to share between the sessions and threads of one server process.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from poplab.protocol.octets import wire_size
from poplab.protocol.seams import Account, MaildropLocked, MessageInfo, StoreError
from poplab.store import maildir
from poplab.store.accounts_file import AccountsFile
from poplab.store.api import BadMessage, UnknownAccount, check_account_name, check_new_name
from poplab.store.uids import check_chosen_uid, uid_for_key

ACCOUNTS_FILE = "accounts.toml"
MAIL_DIR = "mail"


class _LockRegistry:
    """Maildrop locks of this process, by Maildir path, shared by every store over the same data directory."""

    def __init__(self) -> None:
        self._held: set[str] = set()
        self._mutex = threading.Lock()

    def acquire(self, key: str) -> bool:
        with self._mutex:
            if key in self._held:
                return False
            self._held.add(key)
            return True

    def release(self, key: str) -> None:
        with self._mutex:
            self._held.discard(key)

    def held(self, key: str) -> bool:
        with self._mutex:
            return key in self._held


_LOCKS = _LockRegistry()


@dataclass(frozen=True)
class _Sized:
    size: int
    mtime_ns: int
    wire: int


class MaildirStore:
    """Accounts and Maildirs in a data directory. Raises :class:`DataDirError` if ``accounts.toml`` is unusable."""

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self._mutex = threading.RLock()
        self._file = AccountsFile(self.data_dir / ACCOUNTS_FILE)
        self._file.load()
        self._sizes: dict[str, dict[str, _Sized]] = {}
        self._lock_dir = self.data_dir.resolve() / MAIL_DIR

    @property
    def accounts_path(self) -> Path:
        return self._file.path

    @property
    def problem(self) -> str | None:
        """Why the last re-read of accounts.toml failed (the store then serves the last good accounts)."""
        return self._file.problem

    def maildir_path(self, name: str) -> Path:
        return self.data_dir / MAIL_DIR / check_account_name(name)

    # ---- AccountStore -----------------------------------------------------------------------------------

    def account(self, name: str) -> Account | None:
        with self._mutex:
            return self._file.current().get(name)

    def open_maildrop(self, name: str) -> MaildirMaildrop:
        if self.account(name) is None:
            raise StoreError(f"no account {name!r}")
        if not _LOCKS.acquire(self._lock_key(name)):
            raise MaildropLocked(name)
        try:
            return self._open_locked(name)
        except BaseException:
            self._release(name)
            raise

    def _open_locked(self, name: str) -> MaildirMaildrop:
        if self.account(name) is None:
            raise StoreError(f"no account {name!r}")  # removed while this session waited for the lock
        root = self.maildir_path(name)
        try:
            maildir.open_maildir(root)
            entries = self._snapshot(name, root)
        except OSError as problem:
            raise StoreError(f"cannot read the maildrop of {name}: {problem.strerror or problem}") from problem
        return MaildirMaildrop(self, name, root, entries)

    def _snapshot(self, name: str, root: Path) -> list[tuple[MessageInfo, maildir.Entry]]:
        snapshot: dict[str, tuple[MessageInfo, maildir.Entry]] = {}
        for entry, wire in self._sized_scan(name, root):
            uid = uid_for_key(entry.key)
            snapshot.setdefault(uid, (MessageInfo(uid, wire), entry))
        return list(snapshot.values())

    def _sized_scan(self, name: str, root: Path) -> list[tuple[maildir.Entry, int]]:
        """Scan the Maildir and make sure every message's CRLF size is known, reading only changed files."""
        with self._mutex:
            known = self._sizes.get(name, {})
        sizes: dict[str, _Sized] = {}
        entries = []
        for entry in maildir.scan(root):
            cached = known.get(entry.key)
            if cached is None or (cached.size, cached.mtime_ns) != (entry.size, entry.mtime_ns):
                try:
                    cached = _Sized(entry.size, entry.mtime_ns, wire_size(entry.path.read_bytes()))
                except FileNotFoundError:
                    continue  # removed (or moved) since the scan: the next login sees it as it is then
            sizes[entry.key] = cached
            entries.append((entry, cached.wire))
        with self._mutex:
            self._sizes[name] = sizes
        return entries

    # ---- administration ---------------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        with self._mutex:
            return sorted(self._file.current().values(), key=lambda account: account.name)

    def add_account(self, account: Account, messages: Iterable[bytes] = ()) -> None:
        with self._mutex:
            accounts = self._file.load()
            check_new_name(account.name, accounts)
            maildir.open_maildir(self.maildir_path(account.name))
            self._file.save([*accounts.values(), account])
        for message in messages:
            self.deliver(account.name, message)

    def set_account(self, account: Account) -> None:
        with self._mutex:
            accounts = self._file.load()
            if account.name not in accounts:
                raise UnknownAccount(f"no account {account.name!r}")
            accounts[account.name] = account
            self._file.save(accounts.values())

    def remove_account(self, name: str) -> None:
        with self._mutex:
            accounts = self._file.load()
            if accounts.pop(name, None) is None:
                raise UnknownAccount(f"no account {name!r}")
            if not _LOCKS.acquire(self._lock_key(name)):  # held while removing: no session can open it meanwhile
                raise MaildropLocked(f"the maildrop of {name} is in use by a POP3 session")
            try:
                self._file.save(accounts.values())
                self._sizes.pop(name, None)
                _remove_tree(self.maildir_path(name))
            finally:
                self._release(name)

    def deliver(self, name: str, message: bytes, uid: str | None = None) -> str:
        root = self._existing_maildir(name)
        with self._mutex:
            try:
                if uid is None:
                    return uid_for_key(maildir.deliver(root, message))
                maildir.deliver_with_key(root, check_chosen_uid(uid), message)
            except FileExistsError:
                raise BadMessage(f"UID {uid!r} exists already in the maildrop of {name}") from None
            except OSError as problem:
                raise StoreError(f"cannot deliver to {root}: {problem.strerror or problem}") from None
            return uid

    def clear(self, name: str) -> None:
        root = self._existing_maildir(name)
        try:
            maildir.open_maildir(root)
            maildir.clear(root)
        except OSError as problem:
            raise StoreError(f"cannot empty {root}: {problem.strerror or problem}") from None

    def stored(self, name: str) -> dict[str, bytes]:
        root = self._existing_maildir(name)
        return {uid_for_key(entry.key): entry.path.read_bytes() for entry in maildir.scan(root)}

    def mailbox_stats(self, name: str) -> tuple[int, int]:
        root = self._existing_maildir(name)
        entries = self._sized_scan(name, root)
        return len(entries), sum(wire for _, wire in entries)

    def is_locked(self, name: str) -> bool:
        return _LOCKS.held(self._lock_key(name))

    def _lock_key(self, name: str) -> str:
        return str(self._lock_dir / check_account_name(name))

    def _existing_maildir(self, name: str) -> Path:
        if self.account(name) is None:
            raise UnknownAccount(f"no account {name!r}")
        return self.maildir_path(name)

    def _release(self, name: str) -> None:
        _LOCKS.release(self._lock_key(name))


def _remove_tree(root: Path) -> None:
    try:
        shutil.rmtree(root)
    except FileNotFoundError:
        pass  # an account that never had mail
    except OSError as problem:
        raise StoreError(f"cannot remove {root}: {problem.strerror or problem}") from None


class MaildirMaildrop:
    """A locked snapshot of one account's Maildir, taken at login."""

    def __init__(
        self, store: MaildirStore, name: str, root: Path, snapshot: Sequence[tuple[MessageInfo, maildir.Entry]]
    ) -> None:
        self._store = store
        self._name = name
        self._root = root
        self.messages: Sequence[MessageInfo] = tuple(info for info, _ in snapshot)
        self._entries = {info.uid: entry for info, entry in snapshot}
        self._released = False
        self._mutex = threading.Lock()

    def content(self, uid: str) -> bytes:
        entry = self._entries[uid]
        try:
            return entry.path.read_bytes()
        except FileNotFoundError:
            return self._moved(entry)
        except OSError as problem:
            raise StoreError(f"cannot read message {uid}: {problem.strerror or problem}") from None

    def _moved(self, entry: maildir.Entry) -> bytes:
        """A mail client (mutt, say) moved the file from new/ to cur/ meanwhile: find it by its key."""
        try:
            moved = maildir.find(self._root, entry.key)
            if moved is None:
                raise StoreError(f"message {uid_for_key(entry.key)} was removed from {self._root} meanwhile")
            return moved.path.read_bytes()
        except OSError as problem:
            raise StoreError(f"cannot read message {entry.key}: {problem.strerror or problem}") from None

    def commit(self, deleted: Collection[str]) -> None:
        keys = [self._entries[uid].key for uid in deleted if uid in self._entries]
        try:
            maildir.remove(self._root, keys)
        except OSError as problem:
            raise StoreError(f"cannot remove messages from {self._root}: {problem.strerror or problem}") from None

    def release(self) -> None:
        with self._mutex:
            if self._released:
                return
            self._released = True
        self._store._release(self._name)
