"""Replacing a whole Maildir so that an interruption at any point leaves either the old or the new one (``poplab
reset``, ``deliver --replace``): the new Maildir is built aside, then swapped in by renames.

Under ``DATA/mail/.poplab-swap/`` (account names never begin with '.', so it is no account's Maildir)::

    1. build  <name>.new/         the complete new Maildir (files written and synced)
    2. rename <name>      -> .poplab-swap/<name>.old      (an account without a Maildir gets an empty one first)
    3. rename <name>.new  -> <name>
    4. remove <name>.old

:func:`recover` (run before every swap and whenever the Maildir is missing) finishes what an interruption left:
between 2 and 3 it completes the swap (the new Maildir was complete before step 2 began); a half-built
``<name>.new`` or a leftover ``<name>.old`` is removed. The caller holds the account's swap lock.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from poplab.store import maildir

STAGING = ".poplab-swap"


def _no_checkpoint(step: str, root: Path) -> None:
    """Tests replace this to interrupt the swap of ``root`` at a given step."""


checkpoint: Callable[[str, Path], None] = _no_checkpoint


def staging_paths(root: Path) -> tuple[Path, Path]:
    """Where the new Maildir is built and where the old one waits to be removed."""
    staging = root.parent / STAGING
    return staging / f"{root.name}.new", staging / f"{root.name}.old"


def needs_recovery(root: Path) -> bool:
    """Whether an interrupted swap may have left the Maildir missing (cheap: one or two ``stat`` calls)."""
    return not root.is_dir() and staging_paths(root)[1].exists()


def recover(root: Path) -> None:
    """Finish or undo an interrupted swap of ``root`` (see the module's description); nothing to do is no error."""
    new, old = staging_paths(root)
    if old.exists():
        if not root.exists():
            os.rename(new if new.is_dir() else old, root)  # new was complete before old moved; else roll back
        _remove(old)
    _remove(new)


def swap_in(root: Path, messages: Iterable[tuple[str | None, bytes]]) -> list[str]:
    """Replace the Maildir ``root`` by one holding exactly ``messages`` (a chosen key, or None for a fresh one),
    in this order; returns their keys. The caller holds the swap lock."""
    recover(root)
    new, old = staging_paths(root)
    new.parent.mkdir(parents=True, exist_ok=True)
    maildir.open_maildir(root)  # so that step 2 always has something to move
    keys = _build(root, new, messages)
    checkpoint("built", root)
    os.rename(root, old)
    checkpoint("old moved aside", root)
    os.rename(new, root)
    checkpoint("new in place", root)
    _fsync_dir(root.parent)
    _remove(old)
    return keys


def _build(root: Path, new: Path, messages: Iterable[tuple[str | None, bytes]]) -> list[str]:
    box = maildir.open_maildir(new)
    keys = []
    for key, data in messages:
        if key is None:
            keys.append(box.add(data))
        else:
            _write(new / "new" / key, data)
            keys.append(key)
        checkpoint("message written", root)
    for sub in ("new", "cur", "tmp", ""):
        _fsync_dir(new / sub)
    return keys


def _write(path: Path, data: bytes) -> None:
    with open(path, "xb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
