"""Reading one message file safely and in pieces: never through a symbolic link (a Maildir entry that is a link
could point anywhere, such as ``/etc/hostname``), whole, in line-aligned chunks for RETR, or only as far as TOP
needs it. Every function reads stored bytes (line ends as stored); the protocol converts them to CRLF.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import BinaryIO

CHUNK = 64 * 1024
"""Pieces of about this size (the size the protocol converts in, ``poplab.protocol.octets.CHUNK``)."""

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_HEADER_END = re.compile(rb"\n\r?\n")
"""The blank line after the header in stored bytes: two line ends with nothing (or the CR of a CRLF) between."""


def open_message(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a message file for reading; a symbolic link is refused (``OSError`` ELOOP), never followed."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        return os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


def read_message(path: str | os.PathLike[str]) -> bytes:
    """The whole stored message."""
    with open_message(path) as file:
        return file.read()


def iter_chunks(file: BinaryIO, size: int = CHUNK) -> Iterator[bytes]:
    """The stored bytes of ``file`` in pieces exactly as :func:`poplab.protocol.octets.line_chunks` cuts the whole:
    each of about ``size`` octets, ending just after a LF (or at the end), so no piece splits a CRLF and each begins
    a line. Memory: about ``size`` plus the longest line."""
    buffer = b""
    eof = False
    while buffer or not eof:
        while not eof and len(buffer) < size + 1:  # one octet more: a LF at the very end of a piece counts
            block = file.read(max(size, CHUNK))
            eof = not block
            buffer += block
        if eof and len(buffer) <= size:
            if buffer:
                yield buffer
            return
        end = buffer.rfind(b"\n", 0, size) + 1
        searched = size
        while end <= 0:  # a line longer than a piece: cut after its end
            found = buffer.find(b"\n", searched)
            if found >= 0:
                end = found + 1
            elif eof:
                end = len(buffer)
            else:
                searched = len(buffer)
                block = file.read(max(size, CHUNK))
                eof = not block
                buffer += block
        yield buffer[:end]
        buffer = buffer[end:]


def read_head(file: BinaryIO, lines: int, size: int = CHUNK) -> bytes:
    """The start of the stored message that TOP with ``lines`` needs: the header, the blank line and the first
    ``lines`` lines of the body (or all of it if shorter). ``top(to_crlf(head), lines)`` is what
    ``top(to_crlf(whole), lines)`` is; the rest of the file is never read."""
    data = b""
    while True:
        block = file.read(size)
        data += block
        end = top_end(data, lines)
        if end is not None:
            return data[:end]
        if not block:
            return data


def top_end(data: bytes, lines: int) -> int | None:
    """Where the TOP part of a stored message ends in ``data`` (its beginning), or None if ``data`` ends first.

    Every stored LF becomes one CRLF on the wire, and the header ends at the first LF followed by another one
    (with at most a CR between) — or at once, when the message begins with a blank line."""
    if data.startswith(b"\n"):
        end = 1
    elif data.startswith(b"\r\n"):
        end = 2
    else:
        match = _HEADER_END.search(data)
        if match is None:
            return None
        end = match.end()
    for _ in range(max(lines, 0)):
        found = data.find(b"\n", end)
        if found < 0:
            return None
        end = found + 1
    return end
