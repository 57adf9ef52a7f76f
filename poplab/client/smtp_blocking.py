"""The blocking facade over :class:`AsyncSmtpSession` for notebooks, scripts and ``poplab talk --smtp``: the same
methods without ``await``, plus one helper per SMTP command. Safe inside a running Jupyter loop."""

from __future__ import annotations

import base64
import ssl
from collections.abc import Iterable

from poplab.client import background
from poplab.client.blocking import BlockingStream
from poplab.client.session import Listener
from poplab.client.smtp_session import AsyncSmtpSession, SmtpReply, SmtpSecurity


class SmtpSession(BlockingStream[AsyncSmtpSession]):
    """``with SmtpSession.connect("127.0.0.1", 1025) as s: s.ehlo(); s.mail_from("alice@example.com") ...``."""

    @classmethod
    def connect(
        cls,
        host: str,
        port: int,
        security: SmtpSecurity = "plain",
        *,
        context: ssl.SSLContext | None = None,
        timeout: float = 10.0,
        listeners: Iterable[Listener] = (),
    ) -> SmtpSession:
        session = AsyncSmtpSession.connect(host, port, security, context=context, timeout=timeout, listeners=listeners)
        return cls(background.run(session))

    @property
    def greeting(self) -> SmtpReply | None:
        return self.inner.greeting

    @property
    def in_data(self) -> bool:
        return self.inner.in_data

    def send(self, line: str | bytes) -> SmtpReply | None:
        return background.run(self.inner.send(line))

    def starttls(self, context: ssl.SSLContext | None = None) -> SmtpReply:
        return background.run(self.inner.starttls(context))

    # ---- one helper per command -------------------------------------------------------------------------

    def _command(self, line: str) -> SmtpReply:
        reply = self.send(line)
        assert reply is not None, "a command sent while mail data was expected"
        return reply

    def ehlo(self, name: str = "poplab.invalid") -> SmtpReply:
        return self._command(f"EHLO {name}")

    def auth_plain(self, name: str, password: str) -> SmtpReply:
        """AUTH PLAIN with an initial response: base64 of NUL name NUL password (RFC 4616, RFC 4954 §4)."""
        response = base64.b64encode(b"\0" + name.encode() + b"\0" + password.encode()).decode("ascii")
        return self._command(f"AUTH PLAIN {response}")

    def mail_from(self, address: str) -> SmtpReply:
        return self._command(f"MAIL FROM:<{address}>")

    def rcpt_to(self, address: str) -> SmtpReply:
        return self._command(f"RCPT TO:<{address}>")

    def data(self, message: bytes | None = None) -> SmtpReply:
        """DATA; with ``message``, and a 354, the message (byte-stuffed) and its final dot: the final reply."""
        reply = self._command("DATA")
        if message is None or reply.code != 354:
            return reply
        return background.run(self.inner.send_data(message))

    def rset(self) -> SmtpReply:
        return self._command("RSET")

    def noop(self) -> SmtpReply:
        return self._command("NOOP")

    def quit(self) -> SmtpReply:
        return self._command("QUIT")
