"""What the server reports about its sessions: every C/S line and each session's end, for the per-session log,
transcripts, live mailbox views and classroom checks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from poplab.transcript import redact_command

logger = logging.getLogger("poplab.server")
line_logger = logging.getLogger("poplab.server.lines")
"""Every C/S line and session event (``poplab serve --log lines``). It inherits ``poplab.server``'s level unless set:
``poplab serve`` sets it to WARNING by default and logs one summary line per session instead
(:mod:`poplab.server.session_log`)."""


@dataclass(frozen=True)
class SessionInfo:
    id: int
    peer: str
    tls_port: bool


@dataclass(frozen=True)
class LineEvent:
    """A line crossed the wire. ``raw`` is exactly the bytes (a whole multi-line reply for S) — except for a
    large message streamed from its file, whose reply is reported once sent: ``raw`` is its status line and
    ``more`` the octets of the body and terminator that followed it."""

    session: SessionInfo
    direction: Literal["C", "S"]
    raw: bytes
    tls: bool
    time: float
    sensitive: bool = False
    more: int = 0

    @property
    def octets(self) -> int:
        """Octets that crossed the wire: ``raw`` and what followed it."""
        return len(self.raw) + self.more


@dataclass(frozen=True)
class SessionEvent:
    """Something happened in a session: ``kind`` is one of opened, login, login-failed, committed, closed."""

    session: SessionInfo
    kind: str
    detail: str
    time: float


ServerEvent = LineEvent | SessionEvent
Observer = Callable[[ServerEvent], None]


def shown(event: LineEvent) -> bytes:
    """The line as logs and records show it: a credential-carrying line with its secret replaced."""
    if not event.sensitive:
        return event.raw
    verb = event.raw.split(b" ", 1)[0].upper()
    return redact_command(event.raw, sasl_response=verb not in (b"PASS", b"APOP", b"AUTH"))


def log_event(event: ServerEvent) -> None:
    """The per-line session log on the ``poplab.server.lines`` logger (INFO). What a client sent is escaped: a CR,
    an escape sequence or a Unicode direction mark can neither forge a log line nor drive the teacher's terminal."""
    if not line_logger.isEnabledFor(logging.INFO):
        return
    if isinstance(event, SessionEvent):
        line_logger.info("[%d] %s %s", event.session.id, event.kind, printable(event.detail))
        return
    raw = shown(event)
    head, crlf, rest = raw.partition(b"\r\n")
    if not crlf and head.endswith(b"\n"):
        head = head[:-1]  # a bare LF line end is a line end, not content
    first = printable(head[:200].decode("utf-8", "backslashreplace"))
    more = f" (+ {len(rest) + event.more} octets)" if rest or event.more else ""
    line_logger.info("[%d] %s: %s%s", event.session.id, event.direction, first, more)


def printable(text: str) -> str:
    """``text`` with every character that is not printable (controls, C1, bidi and other format marks, line and
    paragraph separators) written as ``\\xNN`` or ``\\uNNNN``, as :func:`poplab.transcript.display` shows them."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escaped(char) for char in text)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
