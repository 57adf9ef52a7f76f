"""What a login needs of a Maildir, kept between logins so that a large maildrop opens fast: every message's UID,
CRLF size and delivery order (read once per file, kept by file name while its size and mtime stay the same), and
the whole listing (kept while the new/ and cur/ directories stay unchanged, as Dovecot keeps its index).

A directory's mtime changes whenever a file is added, removed or renamed in it. A listing is trusted again only if
it was taken at least :data:`SETTLE_NS` after the directory's last change, so a change within the same tick of a
coarse file-system clock is never missed. Maildir files are never changed in place (a changed message is a new
file); a file edited in place anyway is seen when its directory next changes.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from poplab.protocol.octets import wire_size
from poplab.protocol.seams import MessageInfo
from poplab.store import maildir, message_file
from poplab.store.uids import delivery_order, uid_for_key

SIZING_CHUNK = 1024 * 1024
"""Message files are sized in line-aligned pieces of about this size (the sum is the size of the whole)."""

SETTLE_NS = 2_000_000_000
"""A listing taken this long after its directories last changed is reused while they stay unchanged."""

Snapshot = tuple[tuple[MessageInfo, maildir.Entry], ...]


@dataclass(frozen=True)
class Sized:
    """What a login needs of one message file, kept while the file's size and mtime stay the same."""

    size: int
    mtime_ns: int
    wire: int
    uid: str
    order: tuple[int, int, int, str]


@dataclass(frozen=True)
class _Listing:
    stamps: tuple[tuple[int, int] | None, ...]
    listed_ns: int
    sizes: dict[str, Sized]
    snapshot: Snapshot

    def still_valid(self, stamps: tuple[tuple[int, int] | None, ...]) -> bool:
        if stamps != self.stamps:
            return False
        return all(stamp is None or self.listed_ns - stamp[1] >= SETTLE_NS for stamp in stamps)


class MaildirIndex:
    """The cached listings of the Maildirs of one store, by account; safe to share between threads."""

    def __init__(self) -> None:
        self._listings: dict[str, _Listing] = {}
        self._mutex = threading.Lock()

    def snapshot(self, name: str, root: Path) -> Snapshot:
        """Every message now, in delivery order, one per UID, with its size as sent (CRLF)."""
        stamps = _stamps(root)
        with self._mutex:
            known = self._listings.get(name)
        if known is not None and known.still_valid(stamps):
            return known.snapshot
        listed_ns = time.time_ns()
        sizes, snapshot = _scan(root, known.sizes if known is not None else {})
        with self._mutex:
            self._listings[name] = _Listing(stamps, listed_ns, sizes, snapshot)
        return snapshot

    def forget(self, name: str) -> None:
        with self._mutex:
            self._listings.pop(name, None)


def _stamps(root: Path) -> tuple[tuple[int, int] | None, ...]:
    stamps: list[tuple[int, int] | None] = []
    for sub in maildir.SUBDIRS:
        try:
            info = os.stat(os.path.join(root, sub))
        except FileNotFoundError:
            stamps.append(None)
        else:
            stamps.append((info.st_ino, info.st_mtime_ns))
    return tuple(stamps)


def _scan(root: Path, known: dict[str, Sized]) -> tuple[dict[str, Sized], Snapshot]:
    """List the Maildir, reading only files that are new or changed (by name, size and mtime)."""
    sizes: dict[str, Sized] = {}
    found: dict[str, tuple[maildir.Entry, Sized]] = {}
    for entry in maildir.list_entries(root):
        if entry.key in found:
            continue  # in new/ and cur/ at once while a client moves it: new/ counts
        cached = known.get(entry.path)
        if cached is None or cached.size != entry.size or cached.mtime_ns != entry.mtime_ns:
            cached = _sized(entry)
            if cached is None:
                continue  # removed (or moved, or a link put in its place) since the listing: next login
        sizes[entry.path] = cached
        found[entry.key] = (entry, cached)
    snapshot: dict[str, tuple[MessageInfo, maildir.Entry]] = {}
    for entry, sized in sorted(found.values(), key=lambda pair: pair[1].order):
        if sized.uid not in snapshot:
            snapshot[sized.uid] = (MessageInfo(sized.uid, sized.wire), entry)
    return sizes, tuple(snapshot.values())


def _sized(entry: maildir.Entry) -> Sized | None:
    """Read one message file for its CRLF size; None if it is gone (or a link) now."""
    try:
        with message_file.open_message(entry.path) as file:  # in pieces: a 200 MB message is not held at once
            wire = sum(wire_size(piece) for piece in message_file.iter_chunks(file, SIZING_CHUNK))
    except OSError:
        return None
    uid = uid_for_key(entry.key)
    return Sized(entry.size, entry.mtime_ns, wire, uid, delivery_order(entry.key, entry.mtime_ns))
