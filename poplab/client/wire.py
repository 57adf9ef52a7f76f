"""The lines a learner session records (the transcript's line type) and the errors of a learner session."""

from __future__ import annotations

from poplab.transcript import Direction, TranscriptLine

WireLine = TranscriptLine
"""A line sent (C) or received (S), exactly as it crossed the wire, with its line end; an empty ``raw`` marks
the side that closed the connection. It is the transcript's own line type."""

__all__ = ["Direction", "ReplyTimeout", "SessionClosed", "SessionError", "WireLine"]


class SessionError(Exception):
    """The session cannot go on as asked; the message is one line for the learner."""


class SessionClosed(SessionError):
    """The server closed the connection (after QUIT, after too many bad commands, or it dropped)."""


class ReplyTimeout(SessionError):
    """No complete reply arrived in time."""
