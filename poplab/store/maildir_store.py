"""The Maildir store: accounts from ``DATA/accounts.toml`` and one Maildir per account under ``DATA/mail/`` (the
format is described in :mod:`poplab.store.datadir`), implementing the protocol's ``AccountStore`` seam and the
administration protocol. Safe to share between the sessions and threads of one server process, and locked
against other processes (:mod:`poplab.store.file_locks`).
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from poplab.protocol.seams import Account, MaildropLocked, MessageInfo, StoreError
from poplab.store import maildir, maildir_swap, message_file
from poplab.store.accounts_file import AccountsFile
from poplab.store.api import BadMessage, DataDirError, UnknownAccount, check_account_name, check_new_name
from poplab.store.file_locks import FileLock, maildrop_lock_path, read_pid, server_lock_path
from poplab.store.maildir_index import MaildirIndex
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
_SWAPPING = _LockRegistry()
"""Maildirs being changed as a whole by a thread of this process (the swap lock's in-process half)."""

SWAP_WAIT = 10.0
"""How long an administrative change waits for another one on the same maildrop (a reset takes well below)."""


class DataDirInUse(DataDirError):
    """Another process serves this data directory."""


def hold_server_lock(data_dir: Path | str) -> FileLock:
    """Lock the data directory for a server process (until the lock is released or the process ends);
    :class:`DataDirInUse` naming the other server's pid if one holds it."""
    path = server_lock_path(Path(data_dir))
    lock = FileLock(path)
    try:
        if not lock.acquire():
            pid = read_pid(path)
            held_by = f" (pid {pid})" if pid is not None else ""
            raise DataDirInUse(f"another poplab server is using {data_dir}{held_by}")
        lock.write_pid()
    except OSError as problem:
        lock.release()
        raise DataDirError(f"{path}: cannot lock: {problem.strerror or problem}") from None
    return lock


class MaildirStore:
    """Accounts and Maildirs in a data directory. Raises :class:`DataDirError` if ``accounts.toml`` is unusable."""

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self._mutex = threading.RLock()
        self._file = AccountsFile(self.data_dir / ACCOUNTS_FILE)
        self._file.load()
        self._index = MaildirIndex()
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
        lock = self._session_lock(name, MaildropLocked(name))
        try:
            return self._open_locked(name, lock)
        except BaseException:
            self._release(name, lock)
            raise

    def _session_lock(self, name: str, refusal: StoreError) -> FileLock:
        """Take the maildrop's session lock, in this process and across processes, or raise ``refusal``."""
        if not _LOCKS.acquire(self._lock_key(name)):
            raise refusal
        lock = FileLock(maildrop_lock_path(self._lock_root, name))
        try:
            if not lock.acquire():
                raise refusal  # a session of another process holds it
        except OSError as problem:
            _LOCKS.release(self._lock_key(name))
            raise StoreError(f"cannot lock the maildrop of {name}: {problem.strerror or problem}") from None
        except BaseException:
            _LOCKS.release(self._lock_key(name))
            raise
        return lock

    def _open_locked(self, name: str, lock: FileLock) -> MaildirMaildrop:
        if self.account(name) is None:
            raise StoreError(f"no account {name!r}")  # removed while this session waited for the lock
        root = self.maildir_path(name)
        try:
            with self._swapping(name, wait=0.0, refusal=MaildropLocked(name)):  # a reset is under way: in use
                if maildir_swap.needs_recovery(root):
                    maildir_swap.recover(root)
                maildir.open_maildir(root)
                entries = self._index.snapshot(name, root)
        except OSError as problem:
            raise StoreError(f"cannot read the maildrop of {name}: {problem.strerror or problem}") from problem
        return MaildirMaildrop(self, name, root, entries, lock)

    @contextmanager
    def _swapping(self, name: str, wait: float = SWAP_WAIT, refusal: StoreError | None = None) -> Iterator[None]:
        """Hold the maildrop's swap lock (this process's threads, then other processes) for a change as a whole."""
        key = self._lock_key(name)
        busy = refusal or StoreError(f"the maildrop of {name} is being changed by another poplab; try again")
        if not _wait_for(lambda: _SWAPPING.acquire(key), wait):
            raise busy
        lock = FileLock(maildrop_lock_path(self._lock_root, name, ".swap"))
        try:
            if not lock.acquire(wait):
                raise busy
            yield
        finally:
            lock.release()
            _SWAPPING.release(key)

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
            lock = self._session_lock(name, _in_use(name))  # held while removing: no session can open it meanwhile
            try:
                with self._swapping(name):
                    self._file.save(accounts.values())
                    self._index.forget(name)
                    root = self.maildir_path(name)
                    _remove_tree(root)
                    for leftover in maildir_swap.staging_paths(root):
                        _remove_tree(leftover)
            finally:
                self._release(name, lock)

    def replace(self, name: str, messages: Iterable[tuple[str | None, bytes]], *, if_unused: bool = False) -> list[str]:
        """Make the mailbox hold exactly ``messages`` (a chosen UID, or None for a fresh one), in this order, and
        return their UIDs. The new Maildir is built aside and swapped in, so an interruption leaves the old or the
        new one. ``if_unused`` refuses (``MaildropLocked``) while a session of any process holds the maildrop;
        otherwise an open session keeps its snapshot and finds removed messages gone."""
        root = self._existing_maildir(name)
        chosen = [(None if uid is None else check_chosen_uid(uid), data) for uid, data in messages]
        keys = [uid for uid, _ in chosen if uid is not None]
        if len(set(keys)) != len(keys):
            raise BadMessage(f"a UID is given twice for the maildrop of {name}")
        lock = self._session_lock(name, _in_use(name)) if if_unused else None
        try:
            with self._swapping(name):
                return [uid_for_key(key) for key in maildir_swap.swap_in(root, chosen)]
        except OSError as problem:
            raise StoreError(f"cannot replace the mailbox in {root}: {problem.strerror or problem}") from None
        finally:
            if lock is not None:
                self._release(name, lock)

    def deliver(self, name: str, message: bytes, uid: str | None = None) -> str:
        root = self._existing_maildir(name)
        with self._mutex, self._swapping(name):
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
            with self._swapping(name):
                maildir_swap.recover(root)
                maildir.open_maildir(root)
                maildir.clear(root)
        except OSError as problem:
            raise StoreError(f"cannot empty {root}: {problem.strerror or problem}") from None

    def stored(self, name: str) -> dict[str, bytes]:
        root = self._settled_maildir(name)
        stored = {}
        for entry in maildir.scan(root):
            try:
                stored[uid_for_key(entry.key)] = message_file.read_message(entry.path)
            except OSError:
                continue  # removed, or a link put in its place, since the listing
        return stored

    def mailbox_stats(self, name: str) -> tuple[int, int]:
        root = self._settled_maildir(name)
        snapshot = self._index.snapshot(name, root)
        return len(snapshot), sum(info.size for info, _ in snapshot)

    def is_locked(self, name: str) -> bool:
        return _LOCKS.held(self._lock_key(name))

    def _lock_key(self, name: str) -> str:
        return str(self._lock_dir / check_account_name(name))

    def _settled_maildir(self, name: str) -> Path:
        """The account's Maildir, after finishing a swap that an interruption left undone (if nobody swaps now)."""
        root = self._existing_maildir(name)
        if maildir_swap.needs_recovery(root):
            try:
                with self._swapping(name, wait=0.0):
                    maildir_swap.recover(root)
            except (StoreError, OSError):
                pass  # another poplab is swapping it right now: read what is there
        return root

    def _existing_maildir(self, name: str) -> Path:
        if self.account(name) is None:
            raise UnknownAccount(f"no account {name!r}")
        return self.maildir_path(name)

    @property
    def _lock_root(self) -> Path:
        return self.data_dir

    def _release(self, name: str, lock: FileLock) -> None:
        lock.release()
        _LOCKS.release(self._lock_key(name))


def _in_use(name: str) -> MaildropLocked:
    return MaildropLocked(f"the maildrop of {name} is in use by a POP3 session")


def _wait_for(attempt: Callable[[], bool], wait: float) -> bool:
    deadline = time.monotonic() + wait
    while not attempt():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


def _remove_tree(root: Path) -> None:
    try:
        shutil.rmtree(root)
    except FileNotFoundError:
        pass  # an account that never had mail
    except OSError as problem:
        raise StoreError(f"cannot remove {root}: {problem.strerror or problem}") from None


class MaildirMaildrop:
    """A locked snapshot of one account's Maildir, taken at login.

    Besides the protocol's ``content``, a message can be read in pieces (:meth:`iter_content`, for RETR) and only
    as far as TOP needs (:meth:`head`), so a large message is never held in memory at once."""

    def __init__(
        self,
        store: MaildirStore,
        name: str,
        root: Path,
        snapshot: Sequence[tuple[MessageInfo, maildir.Entry]],
        lock: FileLock,
    ) -> None:
        self._store = store
        self._name = name
        self._root = root
        self.messages: Sequence[MessageInfo] = tuple(info for info, _ in snapshot)
        self._entries = {info.uid: entry for info, entry in snapshot}
        self._lock = lock
        self._released = False
        self._mutex = threading.Lock()

    def content(self, uid: str) -> bytes:
        with self._open(uid) as file:
            return self._read(uid, file.read)

    def iter_content(self, uid: str, chunk_size: int = message_file.CHUNK) -> Iterator[bytes]:
        """The stored bytes of a message in line-aligned pieces of about ``chunk_size`` octets, exactly as
        ``poplab.protocol.octets.line_chunks(content(uid))`` cuts them; the file is opened at once (so a missing
        message raises ``StoreError`` here, not while iterating) and closed when the iteration ends or is closed."""
        file = self._open(uid)
        return self._pieces(uid, file, chunk_size)

    def _pieces(self, uid: str, file: BinaryIO, chunk_size: int) -> Iterator[bytes]:
        with file:
            pieces = message_file.iter_chunks(file, chunk_size)
            while True:
                piece = self._read(uid, lambda: next(pieces, b""))
                if not piece:
                    return
                yield piece

    def head(self, uid: str, lines: int) -> bytes:
        """The start of the stored message that ``TOP uid lines`` needs (header, blank line, ``lines`` body lines):
        ``top(to_crlf(head(uid, n)), n) == top(to_crlf(content(uid)), n)``; the rest of the file is not read."""
        with self._open(uid) as file:
            return self._read(uid, lambda: message_file.read_head(file, lines))

    def _open(self, uid: str) -> BinaryIO:
        entry = self._entries[uid]
        try:
            return message_file.open_message(entry.path)
        except FileNotFoundError:
            return self._moved(entry)
        except OSError as problem:
            raise StoreError(f"cannot read message {uid}: {problem.strerror or problem}") from None

    def _read(self, uid: str, read: Callable[[], bytes]) -> bytes:
        try:
            return read()
        except OSError as problem:
            raise StoreError(f"cannot read message {uid}: {problem.strerror or problem}") from None

    def _moved(self, entry: maildir.Entry) -> BinaryIO:
        """A mail client (mutt, say) moved the file from new/ to cur/ meanwhile: find it by its key."""
        try:
            moved = maildir.find(self._root, entry.key)
            if moved is None:
                raise StoreError(f"message {uid_for_key(entry.key)} was removed from {self._root} meanwhile")
            return message_file.open_message(moved.path)
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
        self._store._release(self._name, self._lock)
