"""Locks that hold across processes, as Dovecot's are: ``flock`` on a lock file under ``DATA/locks/``.

- ``locks/server.lock`` is held by a running ``poplab serve`` for its whole life and names its pid, so a second
  server on the same data directory is refused with one line.
- ``locks/mail/<account>.lock`` is held while a POP3 session has the account's maildrop open (RFC 1939's
  exclusive access), and while ``accounts remove`` or ``deliver --replace`` works on it, so they refuse a maildrop
  that a session of any process holds.
- ``locks/mail/<account>.swap`` is held for the short time a maildrop is changed as a whole (built aside and
  swapped in, emptied, removed), so two such changes never run into each other.

``flock`` locks belong to an open file: two opens conflict even in one process, and the lock goes when the file is
closed or the process dies (a crash leaves no stale lock). Lock files stay; removing one would race.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from pathlib import Path

LOCK_DIR = "locks"
SERVER_LOCK = "server.lock"
MAILDROP_LOCKS = "mail"

_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)


class FileLock:
    """An exclusive ``flock`` on one file, taken without waiting (or waiting up to ``wait`` seconds)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait: float = 0.0) -> bool:
        """Take the lock; False if another open file holds it (after ``wait`` seconds). OS errors are raised."""
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is locked already by this object")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, _FLAGS, 0o644)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as problem:
                if problem.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(0.01)
            else:
                self._fd = fd
                return True

    def write_pid(self) -> None:
        """Write this process's id into the held lock file (for the message that refuses a second holder)."""
        assert self._fd is not None, "write_pid without the lock"
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"{os.getpid()}\n".encode("ascii"), 0)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the file drops the flock

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def read_pid(path: Path) -> int | None:
    """The pid a lock file names, if it names one."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def server_lock_path(data_dir: Path) -> Path:
    return data_dir / LOCK_DIR / SERVER_LOCK


def maildrop_lock_path(data_dir: Path, name: str, suffix: str = ".lock") -> Path:
    return data_dir / LOCK_DIR / MAILDROP_LOCKS / f"{name}{suffix}"
