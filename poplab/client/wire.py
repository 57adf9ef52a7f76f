"""One line on the wire as the learner's client saw it, and the errors of a learner session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["C", "S"]


@dataclass(frozen=True)
class WireLine:
    """A line sent (C) or received (S), exactly as it crossed the wire, with its line end."""

    direction: Direction
    raw: bytes
    tls: bool
    time: float


class SessionError(Exception):
    """The session cannot go on as asked; the message is one line for the learner."""


class SessionClosed(SessionError):
    """The server closed the connection (after QUIT, after too many bad commands, or it dropped)."""


class ReplyTimeout(SessionError):
    """No complete reply arrived in time."""
