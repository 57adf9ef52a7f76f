"""The tutor's lab, without Textual: the bundled teaching server run in the app's own event loop (a fresh demo
memory store, free loopback ports, the lab's certificate) and the learner's one connection to it or to any other
server — connect, send, drop, toggle TLS, reset — with every line recorded across reconnects.

The app drives a :class:`Lab` and renders what it reports; the lab knows nothing about widgets.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from poplab.client import AsyncSession, AsyncSmtpSession, SessionError, SmtpReply, WireLine, tls_context
from poplab.client.session import Security
from poplab.protocol.client import ServerReply
from poplab.protocol.config import ServerConfig
from poplab.protocol.states import State
from poplab.server.app import PopServer
from poplab.server.bundled import lab_smtp_in_loop
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.events import Observer
from poplab.server.settings import ServerSettings
from poplab.store.demo import restore_demo
from poplab.store.memory import MemoryStore
from poplab.transcript import Transcript, TranscriptLine

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Endpoint:
    """Where the learner connects: ``security`` is plain, stls (plain, then STLS) or tls (implicit TLS).
    ``cafile`` is a certificate to trust; ``insecure`` accepts any certificate (only when asked for)."""

    host: str
    port: int
    security: Security = "plain"
    cafile: Path | None = None
    insecure: bool = False

    def context(self) -> ssl.SSLContext:
        return tls_context(self.cafile, verify=not self.insecure)

    @property
    def label(self) -> str:
        return f"{self.host}:{self.port}"


class BundledServer:
    """The teaching server inside the tutor: a :class:`PopServer` in the app's loop on free loopback ports, and
    beside it the lab's SMTP server over the same store (mail sent to bob is in bob's mailbox at his next login)."""

    def __init__(self, cert_dir: Path, store: MemoryStore | None = None, failed_login_delay: float = 1.0) -> None:
        self.store = store if store is not None else MemoryStore.with_demo()
        self.cert = ensure_certificate(cert_dir)
        config = ServerConfig(tls_available=True, failed_login_delay=failed_login_delay)
        settings = ServerSettings(host=LOOPBACK, port=0, tls_port=0, tls=server_context(self.cert), protocol=config)
        self.server = PopServer(self.store, settings)
        self.smtp = lab_smtp_in_loop(self.store, cert_dir, host=LOOPBACK)

    async def start(self) -> None:
        await self.server.start()
        await self.smtp.start()

    async def stop(self) -> None:
        await self.smtp.stop()
        await self.server.stop()

    @property
    def apop(self) -> bool:
        return self.server.settings.protocol.apop

    def set_apop(self, on: bool) -> None:
        """Offer APOP (a timestamp in the greeting) to connections made from now on."""
        settings = self.server.settings
        protocol = dataclasses.replace(settings.protocol, apop=on)
        self.server.settings = dataclasses.replace(settings, protocol=protocol)

    def reset(self) -> None:
        """Every demo mailbox back to its demo messages, under the same UIDs."""
        restore_demo(self.store)

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        return self.server.subscribe(observer)

    def endpoint(self, security: Security) -> Endpoint:
        port = self.server.tls_port if security == "tls" else self.server.port
        assert port is not None, "the bundled server is not started"
        return Endpoint(LOOPBACK, port, security, cafile=self.cert.cert)

    def smtp_endpoint(self) -> Endpoint:
        assert self.smtp.port is not None, "the bundled SMTP server is not started"
        return Endpoint(LOOPBACK, self.smtp.port, "plain", cafile=self.cert.cert)


Line = TranscriptLine
"""A line as recorded: the client's own record (its lines are transcript lines), or a close the lab marks."""
Announce = Callable[[], None]


def transcript_line(line: Line) -> TranscriptLine:
    return line


class Lab:
    """The learner's connection (one at a time) and the transcript of everything said on any of them."""

    def __init__(
        self, endpoint: Endpoint | None = None, bundled: BundledServer | None = None, smtp: Endpoint | None = None
    ) -> None:
        if endpoint is None and bundled is None:
            raise ValueError("a lab needs an endpoint or a bundled server")
        self.bundled = bundled
        self.target = endpoint
        """Where to connect instead of the bundled server: another server, or an exercise's."""
        self.smtp_target = smtp
        """That server's SMTP side (a classroom's, ``poplab tutor HOST PORT --smtp-port N``), if there is one."""
        self.security: Security = endpoint.security if endpoint is not None else "plain"
        self.protocol: Literal["pop3", "smtp"] = "pop3"
        """Which side the learner talks to: POP3, or SMTP (the bundled server's, or ``smtp_target``)."""
        self.session: AsyncSession | AsyncSmtpSession | None = None
        self.lines: list[Line] = []
        self.listeners: list[Announce] = []
        """Called once, soon, after one or more lines were recorded (not once per line: a 5 MB body brings
        tens of thousands at once)."""
        self._due = False
        self.error: str | None = None

    # ---- where -------------------------------------------------------------------------------------------

    @property
    def endpoint(self) -> Endpoint:
        if self.smtp and self.smtp_target is not None:
            return self.smtp_target
        if self.smtp:
            assert self.bundled is not None
            return self.bundled.smtp_endpoint()
        if self.target is not None:
            return dataclasses.replace(self.target, security=self.security)
        assert self.bundled is not None
        return self.bundled.endpoint(self.security)

    @property
    def smtp(self) -> bool:
        return self.protocol == "smtp"

    @property
    def can_use_smtp(self) -> bool:
        """SMTP needs the bundled server's SMTP side, or the other server's when it was given."""
        if self.target is not None:
            return self.smtp_target is not None
        return self.bundled is not None

    def retarget(self, endpoint: Endpoint | None) -> None:
        """Connect to ``endpoint`` from now on (None: back to the bundled server), in plain text at first."""
        if endpoint is None and self.bundled is None:
            raise ValueError("without a bundled server the lab needs an endpoint")
        self.target = endpoint
        self.smtp_target = None  # the first server's SMTP side is not this one's
        self.security = endpoint.security if endpoint is not None else "plain"
        self.protocol = "pop3"

    @property
    def can_toggle_tls(self) -> bool:
        """The bundled server has both ports; another server can switch between plain and STLS on one port.
        SMTP starts in plain text; STARTTLS typed by the learner switches it (RFC 3207)."""
        return not self.smtp and (self.target is None or self.security != "tls")

    def toggle_tls(self) -> Security:
        """Choose the other security for the next connection: plain ↔ implicit TLS (bundled) or STLS."""
        if not self.can_toggle_tls:
            return self.security
        if self.security != "plain":
            self.security = "plain"
        else:
            self.security = "tls" if self.target is None else "stls"
        return self.security

    # ---- the connection ----------------------------------------------------------------------------------

    async def connect(self) -> list[ServerReply]:
        """Drop any open connection and connect again; the greeting (and the STLS reply) come back."""
        await self.drop()
        endpoint = self.endpoint
        implicit = endpoint.security == "tls"
        context = endpoint.context() if endpoint.security != "plain" else None
        self.error = None
        if self.smtp:
            return await self._connect_smtp(endpoint)
        try:
            session = await AsyncSession.connect(
                endpoint.host, endpoint.port, "tls" if implicit else "plain", context=context, listeners=[self._line]
            )
        except SessionError as problem:
            self.error = str(problem)
            raise
        self.session = session
        replies = [session.greeting] if session.greeting is not None else []
        if endpoint.security == "stls":
            replies.append(await session.starttls(context))
        return replies

    async def _connect_smtp(self, endpoint: Endpoint) -> list[ServerReply]:
        try:
            self.session = await AsyncSmtpSession.connect(endpoint.host, endpoint.port, listeners=[self._line])
        except SessionError as problem:
            self.error = str(problem)
            raise
        return []

    async def send(self, line: str) -> ServerReply | SmtpReply | None:
        """Send one line as typed; raises :class:`SessionError` (closed, timed out) with a one-line message.
        ``STLS`` (POP3) and ``STARTTLS`` (SMTP) are sent as typed too, and on a yes the TLS handshake follows, as
        in any client (RFC 2595, RFC 3207). An SMTP line of mail data gets no reply (None)."""
        if self.session is None:
            raise SessionError("not connected; reconnect first")
        reply: ServerReply | SmtpReply | None
        try:
            if line.strip().upper() == ("STARTTLS" if self.smtp else "STLS"):
                reply = await self.session.starttls(self.endpoint.context())
            else:
                reply = await self.session.send(line)
        except SessionError:
            self._closed("S")
            raise
        if self.session.closed:
            self._closed("S")
        return reply

    async def drop(self) -> None:
        """Close the connection without QUIT, as a crashed client or a lost network would."""
        session = self.session
        if session is None:
            return
        if not session.closed:
            await session.close()
            self._closed("C")

    @property
    def state(self) -> State | None:
        """The POP3 session's state (None for SMTP, or before a connection)."""
        return self.session.state if isinstance(self.session, AsyncSession) else None

    @property
    def in_data(self) -> bool:
        """An SMTP session between DATA's 354 and the final dot: the lines typed are the mail."""
        return isinstance(self.session, AsyncSmtpSession) and self.session.in_data and not self.session.closed

    @property
    def closed(self) -> bool:
        return self.session is None or self.session.closed

    @property
    def tls(self) -> bool:
        return self.session is not None and self.session.tls and not self.session.closed

    def local_address(self) -> str | None:
        """``host:port`` of the learner's socket, which the bundled server sees as the session's peer."""
        if self.session is None:
            return None
        writer = self.session._writer  # the client keeps the stream private; only its address is read here
        name = writer.get_extra_info("sockname")
        return f"{name[0]}:{name[1]}" if name else None

    # ---- recording ---------------------------------------------------------------------------------------

    @property
    def transcript(self) -> Transcript:
        """Everything said on every connection so far, with the closed marks."""
        return Transcript(map(transcript_line, self.lines))

    def _line(self, wire: WireLine) -> None:
        """Called by the client for every line; kept cheap, as a 5 MB body brings tens of thousands at once.
        The client marks a close when it notices it; the lab may have marked it already (right after QUIT)."""
        if not wire.raw and self.lines and not self.lines[-1].raw:
            return
        self.lines.append(wire)
        if not self._due:
            self._due = True
            asyncio.get_running_loop().call_soon(self._announce)

    def _announce(self) -> None:
        self._due = False
        for listener in list(self.listeners):
            listener()

    def _closed(self, side: str) -> None:
        if self.lines and not self.lines[-1].raw:
            return
        tls = self.session.tls if self.session is not None else False
        self._record(TranscriptLine("C" if side == "C" else "S", b"", time.time(), tls))

    def _record(self, line: TranscriptLine) -> None:
        self.lines.append(line)
        self._announce()
