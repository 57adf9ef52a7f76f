"""What the proxy reports about each proxied session, for the live view, the tutor or a test: the session's
start, every line the client sent or received (the transcript's own line type), the proxy's own notes (what it
did between the two sides, as a translatable text and its values), and the session's end with its transcript."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from poplab.transcript import Transcript, TranscriptLine


@dataclass(frozen=True)
class SessionStarted:
    session: int
    client: str
    upstream: str


@dataclass(frozen=True)
class Relayed:
    """A line as the client sent or received it (``line.tls``: the client's side is encrypted)."""

    session: int
    line: TranscriptLine


@dataclass(frozen=True)
class Note:
    """The proxy did something of its own. ``message`` is an English text marked for translation; ``values`` fill
    its ``{names}``."""

    session: int
    message: str
    values: tuple[tuple[str, str], ...] = field(default=())
    warning: bool = False


@dataclass(frozen=True)
class SessionEnded:
    session: int
    transcript: Transcript


ProxyEvent = SessionStarted | Relayed | Note | SessionEnded
Observer = Callable[[ProxyEvent], None]
