"""The bundled server as the faces start it: free loopback ports, plain with STLS plus implicit TLS, the lab's
certificate, and a short failed-login delay."""

from __future__ import annotations

from pathlib import Path

from poplab.protocol.config import ServerConfig
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.settings import DEFAULT_HOST, ServerSettings

LAB_LOGIN_DELAY = 0.3
"""Short enough for a learner's typo, long enough to show that failed logins are slowed down."""


def lab_settings(
    cert_dir: Path,
    *,
    apop: bool = False,
    login_delay: float = LAB_LOGIN_DELAY,
    host: str = DEFAULT_HOST,
    port: int = 0,
    tls_port: int | None = 0,
) -> ServerSettings:
    """Settings for an in-process lab server, by default on ports chosen by the system."""
    config = ServerConfig(apop=apop, tls_available=True, failed_login_delay=login_delay)
    tls = server_context(ensure_certificate(cert_dir))
    return ServerSettings(host=host, port=port, tls_port=tls_port, tls=tls, protocol=config)
