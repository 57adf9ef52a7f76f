"""A multi-line body as it streams through the proxy: its bytes are relayed as they arrive (a 200 MB message is
never held), the final dot is found across any split of the bytes, and only the first part of the body is kept
as lines for the transcript and the live view — the rest is counted, not stored. Pure: bytes in, bytes out."""

from __future__ import annotations

import re

from poplab.proxy.settings import MAX_LINE

_FINAL_DOT = re.compile(rb"\n\.\r?\n")
"""The line that ends a multi-line reply: a single dot (RFC 1939 §3), after a line end."""
_CARRIES = (b"\n.\r", b"\n.", b"\n")
"""What the end of one piece may hold of the final dot's line: kept to be searched with the next piece."""


class StreamedBody:
    """Feed it what the server sends after a multi-line reply's +OK line; it says how much belongs to the body
    and which lines to record (the first ``keep`` bytes, in whole lines, and always the final dot)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.size = 0
        """Bytes of the body relayed so far, the final dot's line included."""
        self.kept = 0
        """Bytes of the body recorded."""
        self.done = False
        self._carry = b"\n"  # the body starts at the beginning of a line
        self._partial = bytearray()
        self._dropping = False

    @property
    def omitted(self) -> int:
        """Bytes relayed but not recorded."""
        return self.size - self.kept

    def feed(self, data: bytes) -> tuple[int, list[bytes]]:
        """How many bytes at the start of ``data`` belong to the body (all of them, until the final dot arrives),
        and the lines to record now."""
        assert not self.done
        joined = self._carry + data
        found = _FINAL_DOT.search(joined)
        used = len(data) if found is None else found.end() - len(self._carry)
        self.size += used
        lines = self._record(data[:used])
        if found is None:
            self._carry = next((tail for tail in _CARRIES if joined.endswith(tail)), b"")
            return used, lines
        self.done = True
        if self._dropping:  # the final dot is recorded even when the lines before it were not
            final = found.group()[1:]
            lines.append(final)
            self.kept += len(final)
        return used, lines

    def _record(self, part: bytes) -> list[bytes]:
        if self.kept >= self.keep:
            self._dropping = self._dropping or bool(part)
            return []
        self._partial += part
        lines: list[bytes] = []
        while self.kept < self.keep:
            end = self._partial.find(b"\n")
            if end < 0 and len(self._partial) < MAX_LINE:
                break
            cut = end + 1 if end >= 0 else MAX_LINE  # an overlong body line is recorded in pieces
            line = bytes(self._partial[:cut])
            del self._partial[:cut]
            lines.append(line)
            self.kept += len(line)
        if self.kept >= self.keep and self._partial:
            self._dropping = True
            self._partial = bytearray()
        return lines
