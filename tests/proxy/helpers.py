"""Helpers for proxy tests: what the teaching server saw, what the proxy reported, and a proxy in a thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from poplab.protocol.config import ServerConfig
from poplab.proxy import ProxyThread
from poplab.proxy.events import Note, ProxyEvent, Relayed, SessionEnded
from poplab.server.certs import CertificateFiles, server_context
from poplab.server.events import LineEvent, ServerEvent
from poplab.server.settings import ServerSettings
from poplab.transcript import Transcript


def server_settings(certificate: CertificateFiles, **protocol: object) -> ServerSettings:
    config = ServerConfig(tls_available=True, failed_login_delay=0.05, **protocol)  # type: ignore[arg-type]
    return ServerSettings(port=0, tls_port=0, tls=server_context(certificate), protocol=config)


@dataclass
class Seen:
    """What the teaching server saw: every line event, in order (observers run in the server's thread)."""

    events: list[LineEvent] = field(default_factory=list)

    def __call__(self, event: ServerEvent) -> None:
        if isinstance(event, LineEvent):
            self.events.append(event)

    def sent(self, direction: str) -> bytes:
        return b"".join(event.raw for event in list(self.events) if event.direction == direction)


class Recorder:
    """Every proxy event, thread-safe; waits for sessions to end."""

    def __init__(self) -> None:
        self.events: list[ProxyEvent] = []
        self._changed = threading.Condition()

    def __call__(self, event: ProxyEvent) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def ended(self, count: int = 1, timeout: float = 10.0) -> list[Transcript]:
        """The transcripts of the first ``count`` sessions to end, waiting for them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._transcripts()) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"only {len(self._transcripts())} of {count} proxied sessions ended"
                self._changed.wait(left)
            return self._transcripts()[:count]

    def _transcripts(self) -> list[Transcript]:
        return [event.transcript for event in self.events if isinstance(event, SessionEnded)]

    def notes(self) -> list[str]:
        return [event.message for event in list(self.events) if isinstance(event, Note)]

    def relayed(self) -> list[Relayed]:
        return [event for event in list(self.events) if isinstance(event, Relayed)]


@dataclass
class Proxied:
    proxy: ProxyThread
    recorder: Recorder

    @property
    def port(self) -> int:
        return self.proxy.port


MakeProxy = Callable[..., Proxied]
