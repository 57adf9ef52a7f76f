"""The bundled server as the faces start it: free loopback ports, plain with STLS plus implicit TLS, the lab's
certificate, and a short failed-login delay — and beside it the lab's SMTP server (on by default for the faces:
:func:`lab_smtp`), which delivers into the same store."""

from __future__ import annotations

from pathlib import Path

from poplab.protocol.config import ServerConfig
from poplab.server.certs import ensure_certificate, server_context
from poplab.server.settings import DEFAULT_HOST, ServerSettings
from poplab.smtp import SmtpServer, SmtpSettings, SmtpThread
from poplab.store.api import ManagedStore

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


def lab_smtp_settings(cert_dir: Path, *, host: str = DEFAULT_HOST, port: int = 0) -> SmtpSettings:
    """Settings for the lab's SMTP server: a free port by default, STARTTLS with the same certificate."""
    return SmtpSettings(host=host, port=port, tls=server_context(ensure_certificate(cert_dir)))


def lab_smtp(store: ManagedStore, cert_dir: Path, *, host: str = DEFAULT_HOST, port: int = 0) -> SmtpThread:
    """The lab's SMTP server over ``store`` (the bundled POP3 server's), in a thread of its own, started:
    ``smtp = lab_smtp(store, folder / "tls")`` — then ``smtp.port``; ``smtp.stop()`` at the end."""
    return SmtpThread(store, lab_smtp_settings(cert_dir, host=host, port=port)).start()


def lab_smtp_in_loop(store: ManagedStore, cert_dir: Path, *, host: str = DEFAULT_HOST) -> SmtpServer:
    """The lab's SMTP server over ``store`` for a caller that runs the POP3 server in its own event loop (the
    tutor): not started — ``await smtp.start()`` in that loop, then ``smtp.port``; ``await smtp.stop()``."""
    return SmtpServer(store, lab_smtp_settings(cert_dir, host=host))
