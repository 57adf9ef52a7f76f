"""The learner's POP3 session, async core: connect to any server (plain, STLS or implicit TLS), send any raw line
exactly as typed — wrong ones too — and get the server's reply, with every line recorded as it crosses the
wire. Which replies are multi-line comes from the core's command table via :class:`ClientConnection`."""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from poplab.client.certificate import CertificateInfo, describe
from poplab.client.wire import Direction, ReplyTimeout, SessionClosed, SessionError, WireLine
from poplab.protocol.client import ClientConnection, ServerReply
from poplab.protocol.states import State
from poplab.transcript import Transcript

Security = Literal["plain", "stls", "tls"]
Listener = Callable[[WireLine], None]


def tls_context(cafile: Path | str | None = None, verify: bool = True) -> ssl.SSLContext:
    """A client context: verifying (against ``cafile`` if given, e.g. the lab's certificate) or, only when the
    learner says so explicitly, accepting any certificate."""
    context = ssl.create_default_context(cafile=str(cafile) if cafile else None)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class RecordedStream:
    """What the POP3 and the SMTP session share: the connection, every line recorded as it crosses the wire (and
    handed to the listeners), which side closed it, and the certificate once TLS is on."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, timeout: float) -> None:
        self._reader = reader
        self._writer = writer
        self.host = host
        self.timeout = timeout
        self.lines: list[WireLine] = []
        self.listeners: list[Listener] = []
        self.certificate: CertificateInfo | None = None
        self.tls = False

    @property
    def transcript(self) -> Transcript:
        """Every line so far, for the annotator and the exports."""
        return Transcript(self.lines)

    @property
    def closed(self) -> bool:
        """The connection is over (each protocol adds what its replies tell)."""
        return self._writer.is_closing()

    async def close(self, record: bool = True) -> None:
        """Drop the connection without QUIT (what a crashed client or a lost network does); ``record`` False when
        the server's last reply already ended it."""
        if record:
            self._mark_closed("C")
        self._writer.close()
        try:
            await self._writer.wait_closed()
        except (OSError, ssl.SSLError):
            return

    def _record(self, direction: Direction, raw: bytes) -> None:
        line = WireLine(direction, raw, time.time(), self.tls)
        self.lines.append(line)
        for listener in list(self.listeners):
            listener(line)

    def _mark_closed(self, side: Direction) -> None:
        """Record once which side closed the connection (an empty line, as the transcript marks it)."""
        if not self.lines or not self.lines[-1].closed:
            self._record(side, b"")

    def _note_tls(self) -> None:
        self.tls = True
        ssl_object = self._writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        self.certificate = describe(der) if der else None


class AsyncSession(RecordedStream):
    """Use :meth:`connect`; then ``await session.send("STAT")``."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, timeout: float) -> None:
        super().__init__(reader, writer, host, timeout)
        self.tracker = ClientConnection()
        self.greeting: ServerReply | None = None
        self._replies: list[ServerReply] = []

    @classmethod
    async def connect(
        cls,
        host: str,
        port: int,
        security: Security = "plain",
        *,
        context: ssl.SSLContext | None = None,
        timeout: float = 10.0,
        listeners: Iterable[Listener] = (),
    ) -> AsyncSession:
        implicit = security == "tls"
        if security != "plain" and context is None:
            context = tls_context()
        reader, writer = await open_stream(host, port, context if implicit else None, timeout)
        session = cls(reader, writer, host, timeout)
        session.listeners.extend(listeners)
        if implicit:
            session._note_tls()
        session.greeting = await session._next_reply()
        if security == "stls":
            assert context is not None
            await session.starttls(context)
        return session

    # ---- state ------------------------------------------------------------------------------------------

    @property
    def state(self) -> State:
        return self.tracker.state

    @property
    def closed(self) -> bool:
        return self.tracker.closed or super().closed

    # ---- sending ----------------------------------------------------------------------------------------

    async def send(self, line: str | bytes) -> ServerReply:
        """Send one line as typed (CRLF added unless it already ends in LF) and return the reply to it."""
        return (await self.pipeline([line]))[0]

    async def pipeline(self, lines: Iterable[str | bytes]) -> list[ServerReply]:
        """Send several lines in one write (as a client does when CAPA lists PIPELINING); the replies in order."""
        raws = [_as_line(line) for line in lines]
        if self.closed:
            self._mark_closed("S")
            raise SessionClosed("the connection is closed; connect again")
        for raw in raws:
            self.tracker.send(raw)
            self._record("C", raw)
        self._writer.write(b"".join(raws))
        return [await self._next_reply() for _ in raws]

    async def starttls(self, context: ssl.SSLContext | None = None) -> ServerReply:
        """STLS, and on +OK the TLS handshake (RFC 2595). The certificate is kept in :attr:`certificate`."""
        reply = await self.send("STLS")
        if reply.ok:
            self._replies.clear()
            try:
                await asyncio.wait_for(
                    self._writer.start_tls(context or tls_context(), server_hostname=self.host), self.timeout
                )
            except (OSError, ssl.SSLError, TimeoutError) as problem:
                self._writer.close()
                raise SessionError(f"TLS handshake failed: {_reason(problem)}") from None
            self._note_tls()
        return reply

    # ---- receiving --------------------------------------------------------------------------------------

    async def _next_reply(self) -> ServerReply:
        while not self._replies:
            try:
                data = await asyncio.wait_for(self._reader.read(65536), self.timeout)
            except TimeoutError:
                raise ReplyTimeout(f"no complete reply within {self.timeout:g} s") from None
            except (OSError, ssl.SSLError) as problem:
                self.tracker.closed = True
                self._mark_closed("S")
                raise SessionClosed(f"the connection was closed abruptly: {_reason(problem)}") from None
            if not data:
                self.tracker.closed = True
                self._mark_closed("S")
                raise SessionClosed("the server closed the connection")
            for reply in self.tracker.receive_data(data):
                self._record_reply(reply)
                self._replies.append(reply)
        return self._replies.pop(0)

    def _record_reply(self, reply: ServerReply) -> None:
        self._record("S", reply.status_line)
        for line in reply.body_lines or ():
            self._record("S", line)


def _as_line(line: str | bytes) -> bytes:
    raw = line.encode("utf-8") if isinstance(line, str) else line
    return raw if raw.endswith(b"\n") else raw + b"\r\n"


async def open_stream(
    host: str, port: int, tls: ssl.SSLContext | None, timeout: float, limit: int = 2**16
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """The connection a learner's session (POP3 or SMTP) runs on, TLS from the first byte when ``tls`` is given;
    a failure is one :class:`SessionError` line."""
    try:
        return await asyncio.wait_for(asyncio.open_connection(host, port, ssl=tls, limit=limit), timeout)
    except (OSError, TimeoutError) as problem:
        raise SessionError(f"cannot connect to {host}:{port}: {_reason(problem)}") from None


def _reason(problem: BaseException) -> str:
    if isinstance(problem, TimeoutError):
        return "timed out"
    if isinstance(problem, ssl.SSLCertVerificationError):
        return f"certificate not trusted ({problem.verify_message})"
    if isinstance(problem, socket.gaierror):
        return problem.strerror or "host name not found"
    if isinstance(problem, OSError) and not isinstance(problem, ssl.SSLError) and problem.errno:
        return os.strerror(problem.errno)  # "Connection refused", not asyncio's "Connect call failed (...)"
    return getattr(problem, "strerror", None) or str(problem) or type(problem).__name__
