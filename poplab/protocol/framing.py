"""Splitting a byte stream into command lines, with a hard bound on what is buffered.

A line longer than :data:`~poplab.protocol.limits.MAX_COMMAND_LINE` is reported once, as soon as the bound is
crossed, and then discarded up to its line end, so a 1 MB line without CRLF never grows the buffer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from poplab.protocol.limits import MAX_COMMAND_LINE


@dataclass(frozen=True)
class Line:
    """A complete line as received, with its line end (CRLF, or a bare LF from a learner's terminal)."""

    raw: bytes

    @property
    def content(self) -> bytes:
        return self.raw.rstrip(b"\r\n") if self.raw.endswith(b"\n") else self.raw

    @property
    def bare_lf(self) -> bool:
        return self.raw.endswith(b"\n") and not self.raw.endswith(b"\r\n")


@dataclass(frozen=True)
class LineTooLong:
    """A line crossed the length bound; ``prefix`` is what was kept of it for the log."""

    prefix: bytes


class LineBuffer:
    """Feed bytes in, get :class:`Line` and :class:`LineTooLong` items out, in order."""

    def __init__(self, limit: int = MAX_COMMAND_LINE) -> None:
        self.limit = limit
        self._buffer = bytearray()
        self._discarding = False

    def feed(self, data: bytes) -> Iterator[Line | LineTooLong]:
        """Append bytes and iterate over the complete lines (see :meth:`lines`)."""
        self.append(data)
        return self.lines()

    def append(self, data: bytes) -> None:
        self._buffer += data

    def lines(self) -> Iterator[Line | LineTooLong]:
        """The complete lines buffered so far. Stopping early leaves the rest buffered for a later call."""
        while True:
            end = self._buffer.find(b"\n")
            if self._discarding:
                if end < 0:
                    self._buffer.clear()
                    return
                del self._buffer[: end + 1]
                self._discarding = False
                continue
            if end < 0:
                if len(self._buffer) < self.limit:
                    return
                yield self._overflow()
                continue  # drop what was kept of the line now, not on the next feed
            if end + 1 > self.limit:
                yield self._overflow()
                continue
            raw = bytes(self._buffer[: end + 1])
            del self._buffer[: end + 1]
            yield Line(raw)

    def _overflow(self) -> LineTooLong:
        prefix = bytes(self._buffer[:40])
        self._discarding = True
        return LineTooLong(prefix)

    def clear(self) -> None:
        """Forget everything buffered (after STLS: plaintext sent before the handshake must not be read)."""
        self._buffer.clear()
        self._discarding = False

    @property
    def pending(self) -> int:
        return len(self._buffer)
