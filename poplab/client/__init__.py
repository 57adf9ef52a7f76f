"""The learner's session: connect to any POP3 server (plain, STLS, implicit TLS) — or, with :class:`SmtpSession`,
any SMTP server — send any raw line, read the replies and record every line. An async core for the TUI and a
blocking facade for notebooks and scripts."""

from __future__ import annotations

from poplab.client.blocking import Session
from poplab.client.session import AsyncSession, tls_context
from poplab.client.smtp_blocking import SmtpSession
from poplab.client.smtp_session import AsyncSmtpSession, SmtpReply
from poplab.client.wire import ReplyTimeout, SessionClosed, SessionError, WireLine

__all__ = [
    "AsyncSession",
    "AsyncSmtpSession",
    "ReplyTimeout",
    "Session",
    "SessionClosed",
    "SessionError",
    "SmtpReply",
    "SmtpSession",
    "WireLine",
    "tls_context",
]
