"""A notebook session: the learner's blocking POP3 session, recording every line into a transcript, and turning
each ``send`` into an :class:`~poplab.notebook.exchange.Exchange` that renders as the annotated exchange."""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from types import EllipsisType, TracebackType
from typing import Protocol

from poplab.client import ReplyTimeout, Session, SessionClosed, SessionError
from poplab.client.certificate import CertificateInfo
from poplab.client.session import Security
from poplab.i18n import translator
from poplab.notebook import texts
from poplab.notebook.exchange import Exchange
from poplab.notebook.notes import Notes
from poplab.notebook.raw import RawView
from poplab.notebook.transcript_view import TranscriptView
from poplab.protocol.client import ServerReply
from poplab.protocol.states import State
from poplab.transcript import TranscriptLine


class LabError(Exception):
    """Something the learner can fix; the message (in the lab's language) says how."""


class Place(Protocol):
    """What a session needs from its lab: the language to render in, and a name for the server."""

    @property
    def lang(self) -> str: ...

    @property
    def server_name(self) -> str: ...

    def tls_context(self) -> ssl.SSLContext | None:
        """The context for STLS and implicit TLS (the bundled lab's trusts its own certificate)."""
        ...


class LabSession:
    """``s = lab.session("wiki@example.com")``; ``s.send("STAT")`` renders the annotated exchange."""

    def __init__(self, place: Place, client: Session, lines: list[TranscriptLine]) -> None:
        self.cut_by_lab = False
        """The lab cut this session (``lab.reset()``), not the learner or the server: a console reopens it."""
        self.place = place
        self.client = client
        self.transcript_lines = lines
        self.notes = Notes(lines)
        self.replies: list[ServerReply] = []
        """Every reply the server gave in this session, in order (each knows the command it answers)."""

    @classmethod
    def open(cls, place: Place, host: str, port: int, security: Security, context: ssl.SSLContext | None) -> LabSession:
        try:
            client = Session.connect(host, port, security, context=context)
        except SessionError as problem:
            raise LabError(translator(place.lang)(texts.ERR_CANNOT_GO_ON, reason=str(problem))) from None
        return cls(place, client, client.lines)

    # ---- what the learner sees ----------------------------------------------------------------------

    @property
    def lang(self) -> str:
        return self.place.lang

    @property
    def state(self) -> State:
        return self.client.state

    @property
    def closed(self) -> bool:
        return self.client.closed

    @property
    def certificate(self) -> CertificateInfo | None:
        return self.client.certificate

    @property
    def greeting(self) -> Exchange:
        first = self.client.greeting
        return Exchange(self, 0, 1 if self.transcript_lines else 0, (first,) if first else ())

    @property
    def transcript(self) -> TranscriptView:
        """The whole session as a table, with its exports (JSON, Markdown, HTML, text)."""
        return TranscriptView(self, len(self.transcript_lines))

    @property
    def raw(self) -> RawView:
        """Every byte of the session, with ␍␊ and stuffed dots made visible."""
        return RawView(self.transcript_lines, self.lang)

    # ---- sending --------------------------------------------------------------------------------------

    def send(self, line: str | bytes | EllipsisType) -> Exchange:
        """Send one line exactly as given (CRLF added unless it ends in LF); the annotated exchange."""
        return self.pipeline([line])

    def pipeline(self, lines: Iterable[str | bytes | EllipsisType]) -> Exchange:
        """Send several lines in one packet (PIPELINING); one exchange with all the replies."""
        chosen = list(lines)
        start = len(self.transcript_lines)
        if any(line is Ellipsis for line in chosen):
            return Exchange(self, start, start, (), translator(self.lang)(texts.ERR_PLACEHOLDER))
        try:
            replies = tuple(self.client.pipeline([line for line in chosen if not isinstance(line, EllipsisType)]))
        except SessionError as problem:
            sent = any(line.direction == "C" for line in self.transcript_lines[start:])
            return Exchange(self, start, len(self.transcript_lines), (), self.reason(problem, sent))
        self.replies += replies
        if self.client.closed:
            self._server_closed()
        return Exchange(self, start, len(self.transcript_lines), replies)

    def reason(self, problem: SessionError, sent: bool = True) -> str:
        """Why the session cannot go on, in the learner's language (never a library's exception)."""
        t = translator(self.lang)
        if isinstance(problem, SessionClosed):
            return t(texts.ERR_SERVER_CLOSED if sent else texts.ERR_CLOSED)
        if isinstance(problem, ReplyTimeout):
            return t(texts.ERR_NO_REPLY_IN_TIME)
        return t(texts.ERR_CANNOT_GO_ON, reason=str(problem))

    def starttls(self) -> Exchange:
        """STLS and, after +OK, the TLS handshake (the lab's certificate is trusted)."""
        start = len(self.transcript_lines)
        try:
            reply = self.client.starttls(self.place.tls_context())
        except SessionError as problem:
            return Exchange(self, start, len(self.transcript_lines), (), self.reason(problem))
        self.replies.append(reply)
        return Exchange(self, start, len(self.transcript_lines), (reply,))

    def login(self, name: str, password: str) -> Exchange:
        """USER and PASS; the exchange of the PASS."""
        self.send(f"USER {name}")
        return self.send(f"PASS {password}")

    def apop(self, name: str, secret: str) -> Exchange:
        """APOP with the digest computed from the greeting's timestamp."""
        start = len(self.transcript_lines)
        try:
            reply = self.client.apop(name, secret)
        except SessionError as problem:
            return Exchange(self, start, len(self.transcript_lines), (), self.reason(problem))
        self.replies.append(reply)
        return Exchange(self, start, len(self.transcript_lines), (reply,))

    def quit(self) -> Exchange:
        return self.send("QUIT")

    def drop(self) -> None:
        """Cut the connection without QUIT, as a crashed client or a lost network does."""
        if not self.client.closed:
            self.client.close()

    def _server_closed(self) -> None:
        """After +OK to QUIT the server closes at once: mark it now, as the client would on its next read."""
        last = self.transcript_lines[-1] if self.transcript_lines else None
        if last is not None and not last.closed:
            self.transcript_lines.append(TranscriptLine("S", b"", time.time(), last.tls))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.place.server_name} {self.state}{' closed' if self.closed else ''}>"

    def __enter__(self) -> LabSession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.drop()
