"""What the proxy is told: where it listens and how it speaks to the learner's client, and which POP3 server it
relays to and how (plain, STLS or implicit TLS, with normal certificate checks unless told otherwise)."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Literal

UpstreamSecurity = Literal["plain", "stls", "tls"]
DEFAULT_LISTEN_HOST = "127.0.0.1"
DEFAULT_LISTEN_PORT = 1100
"""Unprivileged, and next to the teaching server's 1110."""
CONNECT_TIMEOUT = 15.0
"""Seconds to reach the upstream server (TCP, TLS handshake, STLS)."""
GREETING_TIMEOUT = 30.0
"""Seconds the upstream server has for its greeting once connected; then the client gets -ERR [SYS/TEMP]."""
MAX_LINE = 64 * 1024
"""A longer line from the client is relayed in pieces (the server then sees it as it is); a status line from
the server that long closes the session: the proxy has to read it, and a server that never ends one would
otherwise fill the proxy's memory."""
MAX_CAPA_LINES = 1000
MAX_CAPA_BYTES = 64 * 1024
"""The proxy reads a CAPA reply whole (to make STLS honest); a longer one closes the session."""
BODY_RECORD = 1024 * 1024
"""Bytes of one multi-line body kept in the transcript and shown live; the rest is relayed and counted."""
SESSION_RECORD = 16 * 1024 * 1024
"""Bytes of all bodies of one session kept in the transcript."""


@dataclass(frozen=True)
class Upstream:
    """The POP3 server behind the proxy. ``context`` verifies its certificate (for stls and tls)."""

    host: str
    port: int
    security: UpstreamSecurity = "plain"
    context: ssl.SSLContext | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class ProxySettings:
    """``client_tls``: speak implicit TLS to the client with this (server-side) context; ``client_stls``: offer
    STLS to a plain client with it. Neither: the client side is plain, and STLS is neither offered nor done."""

    upstream: Upstream
    host: str = DEFAULT_LISTEN_HOST
    port: int = DEFAULT_LISTEN_PORT
    client_tls: ssl.SSLContext | None = None
    client_stls: ssl.SSLContext | None = None
    connect_timeout: float = CONNECT_TIMEOUT
    greeting_timeout: float = GREETING_TIMEOUT
