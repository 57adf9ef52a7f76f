"""The learner's SMTP session: connect to any SMTP server (plain, STARTTLS, implicit TLS), send any raw line
exactly as typed, get the reply, with every line recorded as it crosses the wire — the SMTP twin of
:class:`~poplab.client.session.AsyncSession`, for ``poplab talk --smtp``, the tutor's SMTP mode and notebooks.

After a ``354`` reply to DATA the lines sent are mail data: no reply comes until the line that is only a dot
(RFC 5321 §4.1.1.4), so :meth:`AsyncSmtpSession.send` returns None for them. A reply is complete at its line
whose code is followed by a space, not a hyphen (RFC 5321 §4.2)."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from poplab.client.session import Listener, RecordedStream, _as_line, _reason, open_stream, tls_context
from poplab.client.wire import ReplyTimeout, SessionClosed, SessionError

SmtpSecurity = Literal["plain", "starttls", "tls"]
MAX_REPLY_LINES = 1000
"""A reply longer than this is cut off (a server that never ends its reply)."""


@dataclass(frozen=True)
class SmtpReply:
    """One complete reply: its code (0 if the server sent no three digits) and its lines as received."""

    code: int
    lines: tuple[bytes, ...]

    @property
    def text(self) -> str:
        """The text after the codes, lines joined with a newline."""
        return "\n".join(line[4:].rstrip(b"\r\n").decode("utf-8", "replace") for line in self.lines)

    @property
    def ok(self) -> bool:
        """2xx (done) or 3xx (go on: 334 challenge, 354 send the data)."""
        return 200 <= self.code < 400


def reply_code(line: bytes) -> int:
    head = line[:3]
    return int(head) if len(head) == 3 and head.isdigit() else 0


def is_last_line(line: bytes) -> bool:
    """The last line of a reply: ``250 OK`` or ``250``, not ``250-SIZE``."""
    return line[3:4] != b"-" or reply_code(line) == 0


class AsyncSmtpSession(RecordedStream):
    """Use :meth:`connect`; then ``await session.send("EHLO me")``."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, timeout: float) -> None:
        super().__init__(reader, writer, host, timeout)
        self.greeting: SmtpReply | None = None
        self.in_data = False
        """True between the 354 reply to DATA and the line with only a dot: lines sent are mail data."""
        self._closed = False

    @classmethod
    async def connect(
        cls,
        host: str,
        port: int,
        security: SmtpSecurity = "plain",
        *,
        context: ssl.SSLContext | None = None,
        timeout: float = 10.0,
        listeners: Iterable[Listener] = (),
    ) -> AsyncSmtpSession:
        implicit = security == "tls"
        if security != "plain" and context is None:
            context = tls_context()
        reader, writer = await open_stream(host, port, context if implicit else None, timeout, limit=2**20)
        session = cls(reader, writer, host, timeout)
        session.listeners.extend(listeners)
        if implicit:
            session._note_tls()
        session.greeting = await session._reply()
        if security == "starttls":
            await session.send("EHLO poplab.invalid")
            await session.starttls(context)
        return session

    @property
    def closed(self) -> bool:
        return self._closed or super().closed

    async def send(self, line: str | bytes) -> SmtpReply | None:
        """Send one line as typed (CRLF added unless it ends in LF); its reply, or None for a line of mail data."""
        raw = _as_line(line)
        if self.closed:
            self._mark_closed("S")
            raise SessionClosed("the connection is closed; connect again")
        self._record("C", raw)
        self._writer.write(raw)
        if self.in_data and raw.rstrip(b"\r\n") != b".":
            return None
        self.in_data = False
        reply = await self._reply()
        if reply.code == 354:
            self.in_data = True
        if reply.code == 221:  # the server closes after QUIT's reply (RFC 5321 §4.1.1.10)
            self._mark_closed("S")
            await self.close(record=False)
        return reply

    async def send_data(self, message: bytes) -> SmtpReply:
        """After DATA's 354: the message with byte-stuffing (RFC 5321 §4.5.2), then the line with only a dot."""
        for line in message.splitlines(keepends=True):
            await self.send(b"." + line if line.startswith(b".") else line)
        reply = await self.send(".")
        assert reply is not None
        return reply

    async def starttls(self, context: ssl.SSLContext | None = None) -> SmtpReply:
        """STARTTLS, and on 220 the TLS handshake (RFC 3207 §4); the server forgets the EHLO, so send it again."""
        reply = await self.send("STARTTLS")
        assert reply is not None
        if reply.code == 220:
            try:
                await asyncio.wait_for(
                    self._writer.start_tls(context or tls_context(), server_hostname=self.host), self.timeout
                )
            except (OSError, ssl.SSLError, TimeoutError) as problem:
                self._writer.close()
                raise SessionError(f"TLS handshake failed: {_reason(problem)}") from None
            self._note_tls()
        return reply

    async def _reply(self) -> SmtpReply:
        lines: list[bytes] = []
        while True:
            try:
                raw = await asyncio.wait_for(self._reader.readline(), self.timeout)
            except TimeoutError:
                raise ReplyTimeout(f"no complete reply within {self.timeout:g} s") from None
            except (OSError, ssl.SSLError, ValueError) as problem:
                self._mark_closed("S")
                raise SessionClosed(f"the connection was closed abruptly: {_reason(problem)}") from None
            if not raw:
                self._mark_closed("S")
                self._closed = True
                raise SessionClosed("the server closed the connection")
            self._record("S", raw)
            lines.append(raw)
            if is_last_line(raw) or len(lines) >= MAX_REPLY_LINES:
                return SmtpReply(reply_code(lines[0]), tuple(lines))
