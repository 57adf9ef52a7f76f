"""What a server connection asks its adapter to do, as data. The adapter carries these out in order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Received:
    """A complete client line arrived (for the session log and transcripts). ``sensitive``: it carries a
    password or SASL credentials (PASS, AUTH with a response, a SASL response, APOP), so logs redact it."""

    raw: bytes
    sensitive: bool = False


@dataclass(frozen=True)
class Send:
    """Write these bytes to the peer. ``ok`` is the reply's status (None for a SASL continuation)."""

    data: bytes
    ok: bool | None = None


@dataclass(frozen=True)
class Stream:
    """Write ``head`` (a reply's status line), then ``pieces`` one after another as the peer takes them, each
    written only once the one before has mostly gone out: the body of a large message, read from its file and
    converted piece by piece (CRLF, stuffed, the terminator last), never held in memory whole. ``size``: about
    how many octets the pieces hold (for output accounting)."""

    head: bytes
    pieces: Iterator[bytes]
    size: int


@dataclass(frozen=True)
class Delay:
    """Wait before going on (the failed-login delay)."""

    seconds: float


@dataclass(frozen=True)
class StartTLS:
    """Start the TLS handshake now, as the server side; then call ``tls_started`` on the connection."""


@dataclass(frozen=True)
class Close:
    """Close the connection after what was sent before."""


@dataclass(frozen=True)
class LoginFailed:
    """A login attempt failed (for the log); never sent to the peer."""

    user: str
    reason: str


@dataclass(frozen=True)
class LoggedIn:
    """A login succeeded and the maildrop is locked."""

    user: str
    mechanism: str


@dataclass(frozen=True)
class Committed:
    """The UPDATE state removed these messages."""

    user: str
    deleted: tuple[str, ...]


Effect = Received | Send | Stream | Delay | StartTLS | Close | LoginFailed | LoggedIn | Committed
