"""aiosmtpd's ``SMTP`` protocol with every line recorded as a transcript line for observers and the log: what
the client sent (as it arrived, TLS-decrypted after STARTTLS) and each reply line aiosmtpd pushed. It changes
nothing in how aiosmtpd reads or answers; it only listens."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any, AnyStr

from aiosmtpd.smtp import SMTP

from poplab.transcript import Direction, TranscriptLine

if TYPE_CHECKING:
    from poplab.smtp.service import SmtpServer

MAX_PARTIAL = 8192
"""A client line longer than this is recorded in pieces (aiosmtpd refuses such lines anyway)."""
TOO_MANY = b"421 4.7.0 Too many connections, try again later\r\n"


class RecordingSMTP(SMTP):
    """One connection; ``number`` is its session number in the server's log."""

    def __init__(self, owner: SmtpServer, number: int, listened: bool, **kwargs: Any) -> None:
        super().__init__(owner.handler, **kwargs)
        self.owner = owner
        self.number = number
        self.listened = listened
        self.peer = ""
        self._partial = b""
        self._challenged = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        upgrade = self.transport is not None  # STARTTLS: aiosmtpd calls this again with the TLS transport
        super().connection_made(transport)
        if upgrade:
            return
        peer = transport.get_extra_info("peername")
        self.peer = str(peer[0]) if isinstance(peer, tuple) else str(peer)
        self.owner.opened(self)

    def data_received(self, data: bytes) -> None:
        if self.listened:
            self._client_bytes(data)
        super().data_received(data)

    async def push(self, status: AnyStr) -> None:
        if self.listened:
            raw = status.encode("utf-8", "replace") if isinstance(status, str) else bytes(status)
            self._challenged = raw.startswith(b"334")
            self._record("S", raw + b"\r\n")
        await super().push(status)

    def connection_lost(self, error: Exception | None) -> None:
        if self.listened and self._partial:
            self._record("C", self._partial)
            self._partial = b""
        super().connection_lost(error)
        self.owner.closed(self)

    def close(self) -> None:
        """Cut the connection (the server stops)."""
        if self.transport is not None:
            self.transport.close()

    @property
    def secure(self) -> bool:
        return self.session is not None and self.session.ssl is not None

    def _client_bytes(self, data: bytes) -> None:
        buffer = self._partial + data
        start = 0
        while (end := buffer.find(b"\n", start)) >= 0:
            self._record("C", buffer[start : end + 1], secret=self._challenged)
            self._challenged = False
            start = end + 1
        self._partial = buffer[start:]
        if len(self._partial) > MAX_PARTIAL:
            self._record("C", self._partial)
            self._partial = b""

    def _record(self, direction: Direction, raw: bytes, secret: bool = False) -> None:
        line = TranscriptLine(direction, raw, time.time(), self.secure)
        self.owner.line(self, line, secret)


class Refusal(asyncio.Protocol):
    """Over the connection limit: one 421 line and the connection is closed (RFC 5321 §3.1)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(TOO_MANY)
        transport.close()
