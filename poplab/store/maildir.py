"""One Maildir on disk (cur/ new/ tmp/, as mutt, Dovecot and ``mailbox.Maildir`` read it): listing its messages in
delivery order, delivering with a fresh or a chosen key, reading and removing messages. Fresh deliveries and
removals go through the stdlib ``mailbox.Maildir``; OS errors are left to the caller.
"""

from __future__ import annotations

import mailbox
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from poplab.store.uids import delivery_order

SUBDIRS = ("new", "cur")
"""Where delivered messages live; tmp/ holds deliveries in progress only."""

INFO_SEPARATOR = ":"
"""A file name in cur/ is ``key:2,FLAGS``; the key is the part before the colon."""


@dataclass(frozen=True)
class Entry:
    """One message file: its key, where it is now, and what ``stat`` said (to tell a changed file)."""

    key: str
    path: Path
    size: int
    mtime_ns: int


def key_of(file_name: str) -> str:
    return file_name.split(INFO_SEPARATOR, 1)[0]


def open_maildir(root: Path) -> mailbox.Maildir:
    """The stdlib view of the Maildir, creating it (and cur/ new/ tmp/) if missing."""
    root.parent.mkdir(parents=True, exist_ok=True)
    return mailbox.Maildir(root, factory=None, create=True)


def scan(root: Path) -> list[Entry]:
    """The messages in new/ and cur/ now, in delivery order; a missing Maildir has none."""
    found: dict[str, Entry] = {}
    for sub in SUBDIRS:
        for entry in _scan_subdir(root / sub):
            found.setdefault(entry.key, entry)
    return sorted(found.values(), key=lambda entry: delivery_order(entry.key, entry.mtime_ns))


def _scan_subdir(directory: Path) -> list[Entry]:
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
                info = item.stat()
            except FileNotFoundError:
                continue  # moved or removed by someone else since the listing
            if stat.S_ISREG(info.st_mode):
                entries.append(Entry(key_of(item.name), Path(item.path), info.st_size, info.st_mtime_ns))
    return entries


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
    temp = root / "tmp" / key
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
