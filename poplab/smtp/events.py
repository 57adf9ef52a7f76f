"""What the SMTP server tells its observers and its log: a session opened, a line crossed the wire (as a
transcript line), a session closed. AUTH secrets never reach the log."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from poplab.transcript import REDACTED, TranscriptLine, display, redact_command

logger = logging.getLogger("poplab.smtp")

EventKind = Literal["opened", "line", "closed"]


@dataclass(frozen=True)
class SmtpEvent:
    """One thing an SMTP session did; ``line`` is set for ``kind == "line"`` (and ``secret`` marks a SASL
    response, which the log redacts)."""

    session: int
    peer: str
    kind: EventKind
    line: TranscriptLine | None = None
    secret: bool = False


SmtpObserver = Callable[[SmtpEvent], None]


def log_event(event: SmtpEvent) -> None:
    if not logger.isEnabledFor(logging.INFO):
        return
    if event.kind == "opened":
        logger.info("[smtp %d] connected from %s", event.session, event.peer)
    elif event.kind == "closed":
        logger.info("[smtp %d] closed", event.session)
    elif event.line is not None:
        logger.info("[smtp %d] %s: %s", event.session, event.line.direction, _shown(event))


def _shown(event: SmtpEvent) -> str:
    assert event.line is not None
    if event.secret:
        return REDACTED
    raw = event.line.raw
    return display(redact_command(raw) if event.line.direction == "C" else raw)
