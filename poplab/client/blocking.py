"""The blocking facade over :class:`AsyncSession` for notebooks and scripts: the same methods without ``await``,
plus one thin helper per POP3 verb. Safe inside a running Jupyter loop (it uses its own background loop)."""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from types import TracebackType
from typing import Generic, Self, TypeVar

from poplab.client import background
from poplab.client.certificate import CertificateInfo
from poplab.client.session import AsyncSession, Listener, RecordedStream, Security
from poplab.client.wire import WireLine
from poplab.protocol.client import ServerReply
from poplab.protocol.sasl import apop_digest, encode_challenge, greeting_timestamp
from poplab.protocol.states import State
from poplab.transcript import Transcript

StreamT = TypeVar("StreamT", bound=RecordedStream)


class BlockingStream(Generic[StreamT]):
    """What the blocking POP3 and SMTP sessions both pass through from their async session: the recorded lines,
    the certificate, closing, and ``with``."""

    def __init__(self, inner: StreamT) -> None:
        self.inner = inner

    @property
    def closed(self) -> bool:
        return self.inner.closed

    @property
    def lines(self) -> list[WireLine]:
        return self.inner.lines

    @property
    def transcript(self) -> Transcript:
        return self.inner.transcript

    @property
    def certificate(self) -> CertificateInfo | None:
        return self.inner.certificate

    def close(self) -> None:
        background.run(self.inner.close())

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if not self.closed:
            self.close()


class Session(BlockingStream[AsyncSession]):
    """``with Session.connect("127.0.0.1", 1110) as s: s.user("wiki@example.com")``."""

    @classmethod
    def connect(
        cls,
        host: str,
        port: int,
        security: Security = "plain",
        *,
        context: ssl.SSLContext | None = None,
        timeout: float = 10.0,
        listeners: Iterable[Listener] = (),
    ) -> Session:
        return cls(
            background.run(
                AsyncSession.connect(host, port, security, context=context, timeout=timeout, listeners=listeners)
            )
        )

    # ---- what the async session has ---------------------------------------------------------------------

    @property
    def greeting(self) -> ServerReply | None:
        return self.inner.greeting

    @property
    def state(self) -> State:
        return self.inner.state

    def send(self, line: str | bytes) -> ServerReply:
        return background.run(self.inner.send(line))

    def pipeline(self, lines: Iterable[str | bytes]) -> list[ServerReply]:
        return background.run(self.inner.pipeline(list(lines)))

    def starttls(self, context: ssl.SSLContext | None = None) -> ServerReply:
        return background.run(self.inner.starttls(context))

    # ---- one helper per verb ----------------------------------------------------------------------------

    def user(self, name: str) -> ServerReply:
        return self.send(f"USER {name}")

    def pass_(self, password: str) -> ServerReply:
        return self.send(f"PASS {password}")

    def login(self, name: str, password: str) -> ServerReply:
        self.user(name)
        return self.pass_(password)

    def apop(self, name: str, secret: str) -> ServerReply:
        """APOP with the digest computed from the greeting's timestamp (RFC 1939 §7)."""
        timestamp = greeting_timestamp(self.greeting.text if self.greeting else "") or ""
        return self.send(f"APOP {name} {apop_digest(timestamp, secret)}")

    def auth_plain(self, name: str, password: str) -> ServerReply:
        """AUTH PLAIN with an initial response: base64 of NUL name NUL password (RFC 4616)."""
        response = encode_challenge(b"\0" + name.encode() + b"\0" + password.encode())
        return self.send(f"AUTH PLAIN {response}")

    def stat(self) -> ServerReply:
        return self.send("STAT")

    def list(self, number: int | None = None) -> ServerReply:
        return self.send("LIST" if number is None else f"LIST {number}")

    def uidl(self, number: int | None = None) -> ServerReply:
        return self.send("UIDL" if number is None else f"UIDL {number}")

    def retr(self, number: int) -> ServerReply:
        return self.send(f"RETR {number}")

    def top(self, number: int, lines: int) -> ServerReply:
        return self.send(f"TOP {number} {lines}")

    def dele(self, number: int) -> ServerReply:
        return self.send(f"DELE {number}")

    def noop(self) -> ServerReply:
        return self.send("NOOP")

    def rset(self) -> ServerReply:
        return self.send("RSET")

    def capa(self) -> ServerReply:
        return self.send("CAPA")

    def quit(self) -> ServerReply:
        return self.send("QUIT")
