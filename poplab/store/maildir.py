"""One Maildir on disk (cur/ new/ tmp/, as mutt, Dovecot and ``mailbox.Maildir`` read it): listing its messages in
delivery order, delivering with a fresh or a chosen key, reading and removing messages. Fresh deliveries and
removals go through the stdlib ``mailbox.Maildir``; OS errors are left to the caller.

An entry that is a symbolic link is no message: it is skipped (and logged once), and message files are opened
without following links (:mod:`poplab.store.message_file`), so a link in cur/ or new/ never serves another file.
"""

from __future__ import annotations

import logging
import mailbox
import os
import secrets
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from poplab.store.uids import delivery_order

log = logging.getLogger(__name__)

SUBDIRS = ("new", "cur")
"""Where delivered messages live; tmp/ holds deliveries in progress only."""

INFO_SEPARATOR = ":"
"""A file name in cur/ is ``key:2,FLAGS``; the key is the part before the colon."""


@dataclass(frozen=True)
class Entry:
    """One message file: its key, where it is now, and what ``stat`` said (to tell a changed file)."""

    key: str
    path: str
    size: int
    mtime_ns: int

    @property
    def name(self) -> str:
        """The file name (``KEY`` or ``KEY:2,FLAGS``)."""
        return os.path.basename(self.path)


def key_of(file_name: str) -> str:
    return file_name.split(INFO_SEPARATOR, 1)[0]


def open_maildir(root: Path) -> mailbox.Maildir:
    """The stdlib view of the Maildir, creating it (and cur/ new/ tmp/) if missing."""
    root.parent.mkdir(parents=True, exist_ok=True)
    return mailbox.Maildir(root, factory=None, create=True)


def scan(root: Path) -> list[Entry]:
    """The messages in new/ and cur/ now, in delivery order; a missing Maildir has none."""
    found: dict[str, Entry] = {}
    for entry in list_entries(root):
        found.setdefault(entry.key, entry)
    return sorted(found.values(), key=lambda entry: delivery_order(entry.key, entry.mtime_ns))


def list_entries(root: Path) -> list[Entry]:
    """Every message file in new/ then cur/, unsorted (a key may appear twice while a client moves a file)."""
    entries: list[Entry] = []
    for sub in SUBDIRS:
        entries.extend(_scan_subdir(os.path.join(root, sub)))
    return entries


def _scan_subdir(directory: str) -> list[Entry]:
    entries = []
    try:
        listing = os.scandir(directory)
    except FileNotFoundError:
        return []
    with listing:
        for item in listing:
            if item.name.startswith("."):
                continue
            try:
                info = item.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # moved or removed by someone else since the listing
            if stat.S_ISREG(info.st_mode):
                entries.append(Entry(key_of(item.name), item.path, info.st_size, info.st_mtime_ns))
            elif stat.S_ISLNK(info.st_mode):
                _skipped_link(item.path)
    return entries


_LOGGED_LINKS: set[str] = set()
_LOGGED_LOCK = threading.Lock()
_MAX_LOGGED = 1000


def _skipped_link(path: str) -> None:
    """Log a symbolic link in a Maildir once (a login every minute must not repeat it)."""
    with _LOGGED_LOCK:
        if path in _LOGGED_LINKS or len(_LOGGED_LINKS) >= _MAX_LOGGED:
            return
        _LOGGED_LINKS.add(path)
    log.warning("poplab: %s is a symbolic link, not a message: ignored", path)


def find(root: Path, key: str) -> Entry | None:
    """The message stored under ``key`` now (a mail client may have moved it from new/ to cur/)."""
    return next((entry for entry in scan(root) if entry.key == key), None)


def deliver(root: Path, data: bytes) -> str:
    """Deliver a message under a fresh key (``mailbox.Maildir.add``: tmp/, then new/); returns the key."""
    try:
        return open_maildir(root).add(data)
    except mailbox.ExternalClashError as clash:  # another process made the same key in the same microsecond
        raise OSError(f"{clash}; try again") from None


def deliver_with_key(root: Path, key: str, data: bytes) -> None:
    """Deliver a message under a chosen key, as an MDA does (write tmp/key, then link it into new/)."""
    open_maildir(root)
    if find(root, key) is not None:
        raise FileExistsError(f"a message with key {key!r} exists already in {root}")
    temp = root / "tmp" / f"{key}.{os.getpid()}.{secrets.token_hex(6)}"  # a leftover of a crash is never in the way
    with open(temp, "xb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    try:
        os.link(temp, root / "new" / key)
    except PermissionError:
        os.rename(temp, root / "new" / key)  # a file system without hard links, as mailbox.Maildir does
    except BaseException:
        temp.unlink()
        raise
    else:
        temp.unlink()


def remove(root: Path, keys: list[str]) -> None:
    """Remove these messages; one already gone is no error, nor is a Maildir that no longer exists."""
    if not root.is_dir():
        return
    box = open_maildir(root)
    for key in keys:
        box.discard(key)


def clear(root: Path) -> None:
    """Remove every message (the Maildir itself stays)."""
    remove(root, [entry.key for entry in scan(root)])
