"""What a teacher chooses for the lab's SMTP server, with where each limit comes from."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_SMTP_PORT = 1025
"""Unprivileged stand-in for submission's port 587 (RFC 6409 §3.1) and SMTP's port 25."""
DEFAULT_MAX_MESSAGE_SIZE = 10 * 1024 * 1024
"""Octets of mail data accepted in one DATA (announced with SIZE, RFC 1870); dave's 3 MB demo message fits."""
DEFAULT_MAX_RECIPIENTS = 100
"""RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients per message; more get 452."""
DEFAULT_TIMEOUT = 300.0
"""Seconds of silence before the server hangs up (RFC 5321 §4.5.3.2: the server timeout is at least 5 minutes)."""
DEFAULT_MAX_CONNECTIONS = 256
"""Connections at once; the next one is told 421 and closed (RFC 5321 §3.1 allows a server to refuse)."""
DEFAULT_COMMAND_LIMIT = 1000
"""How often one command may be sent in one connection (aiosmtpd's command_call_limit): bounds a busy peer."""
DEFAULT_FAILED_LOGIN_DELAY = 1.0
"""Seconds the server waits before it takes another AUTH in a connection where one failed (as POP3 does)."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where the SMTP server listens and what it accepts. ``tls`` set means STARTTLS is offered (RFC 3207).

    AUTH PLAIN/LOGIN in clear text is accepted from loopback peers, and from others only after STARTTLS unless
    ``allow_plaintext`` (as for POP3). A peer beyond loopback must authenticate before MAIL (RFC 6409 §4.3); the
    lab trusts loopback as the "protected subnetwork" that section allows. Recipients are always only the lab's
    own accounts: the server is no open relay.

    A classroom's server is stricter: ``require_auth`` asks every client, loopback too, to log in before MAIL,
    and ``recipient_rule(login, account)`` may refuse a recipient for that login with the reply it returns (a
    student sends only to their own accounts)."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_SMTP_PORT
    tls: ssl.SSLContext | None = None
    hostname: str = "example.com"
    max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE
    max_recipients: int = DEFAULT_MAX_RECIPIENTS
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    timeout: float = DEFAULT_TIMEOUT
    command_limit: int = DEFAULT_COMMAND_LIMIT
    allow_plaintext: bool = False
    failed_login_delay: float = DEFAULT_FAILED_LOGIN_DELAY
    require_auth: bool = False
    recipient_rule: Callable[[str, str], str | None] | None = None


def is_loopback(peer: object) -> bool:
    """Whether a peer (an address, or aiosmtpd's ``(host, port, ...)`` tuple) is on loopback."""
    host = peer[0] if isinstance(peer, tuple) and peer else peer
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return str(host) == "localhost"
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback
