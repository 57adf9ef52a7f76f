"""What the server reports about its sessions: every C/S line and each session's end, for the per-session log,
transcripts, live mailbox views and classroom checks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

logger = logging.getLogger("poplab.server")


@dataclass(frozen=True)
class SessionInfo:
    id: int
    peer: str
    tls_port: bool


@dataclass(frozen=True)
class LineEvent:
    """A line crossed the wire. ``raw`` is exactly the bytes (a whole multi-line reply for S)."""

    session: SessionInfo
    direction: Literal["C", "S"]
    raw: bytes
    tls: bool
    time: float
    sensitive: bool = False


@dataclass(frozen=True)
class SessionEvent:
    """Something happened in a session: ``kind`` is one of opened, login, login-failed, committed, closed."""

    session: SessionInfo
    kind: str
    detail: str
    time: float


ServerEvent = LineEvent | SessionEvent
Observer = Callable[[ServerEvent], None]


def redact(raw: bytes) -> bytes:
    """A credential-carrying line as the log shows it: the keyword (if any) and its first word kept."""
    words = raw.rstrip(b"\r\n").split(b" ")
    keep = 2 if words[0].upper() in (b"AUTH", b"APOP") else 1
    shown = b" ".join(words[:keep]) if words[0].upper() in (b"PASS", b"AUTH", b"APOP") else b""
    return (shown + b" " if shown else b"") + b"****\r\n"


def log_event(event: ServerEvent) -> None:
    """The per-session log on the ``poplab.server`` logger (INFO)."""
    if not logger.isEnabledFor(logging.INFO):
        return
    if isinstance(event, SessionEvent):
        logger.info("[%d] %s %s", event.session.id, event.kind, event.detail)
        return
    raw = redact(event.raw) if event.sensitive else event.raw
    head, _, rest = raw.partition(b"\r\n")
    first = head[:200].decode("utf-8", "replace")
    more = f" (+ {len(rest)} octets)" if rest else ""
    logger.info("[%d] %s: %s%s", event.session.id, event.direction, first, more)
