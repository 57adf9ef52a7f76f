"""What a teacher chooses when starting the teaching server."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field

from poplab.protocol.config import ServerConfig
from poplab.protocol.limits import MIN_AUTOLOGOUT_SECONDS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 1110
"""Unprivileged stand-in for POP3's port 110."""
DEFAULT_TLS_PORT = 1995
"""Unprivileged stand-in for POP3S's port 995 (implicit TLS, RFC 8314)."""
DEFAULT_MAX_CONNECTIONS = 4096


@dataclass(frozen=True)
class ServerSettings:
    """Listening addresses, TLS, timeouts and limits. ``tls`` set means STLS is offered and, with
    ``tls_port`` not None, an implicit-TLS listener is opened."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    tls_port: int | None = DEFAULT_TLS_PORT
    tls: ssl.SSLContext | None = None
    autologout: float = MIN_AUTOLOGOUT_SECONDS
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    protocol: ServerConfig = field(default_factory=ServerConfig)
    domain: str = "example.com"

    @property
    def autologout_below_rfc(self) -> bool:
        """RFC 1939 §3 asks for at least 10 minutes; a shorter timer is for demos only."""
        return self.autologout < MIN_AUTOLOGOUT_SECONDS
