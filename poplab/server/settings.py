"""What a teacher chooses when starting the teaching server."""

from __future__ import annotations

import ipaddress
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
DEFAULT_MAX_PER_ADDRESS = 100
"""Connections from one client address (an IPv6 /64 counts as one). A class of 30–40 behind one NAT address,
each learner with the tutor and a mail client open (two connections, Thunderbird briefly more), fits; one address
alone can hold at most 100 of the 4,096 slots. Loopback counts too."""
DEFAULT_LOGIN_TIMEOUT = 60.0
"""Seconds from accept to a completed login, in total (not per byte), as Dovecot limits its login processes: a
slot held before login is cheap to take, so it is given back soon."""
DEFAULT_TLS_HANDSHAKE_TIMEOUT = 10.0
"""Seconds from accept (implicit TLS) or from STLS's ``+OK`` to a finished TLS handshake."""


@dataclass(frozen=True)
class LoginThrottle:
    """Failed logins slowed down across connections, per account and per client address (in memory).

    Each account and each address has a score that grows by one per failed login and halves every
    ``half_life`` seconds. Above ``free_per_account`` (or ``free_per_address``) failures, a login for that
    account (or from that address) is refused unchecked, with ``-ERR [LOGIN-DELAY]``, for a delay that doubles with
    every further failure from ``base_delay`` up to ``max_delay`` seconds. At most ``max_entries`` accounts and
    addresses are remembered (the least recently failed are forgotten first). Loopback has no address score (see
    :mod:`poplab.server.throttle`)."""

    free_per_account: int = 5
    free_per_address: int = 30
    """A classroom behind one NAT address shares this: 30 typos in a few minutes before anyone waits."""
    base_delay: float = 1.0
    max_delay: float = 60.0
    half_life: float = 300.0
    max_entries: int = 10_000


@dataclass(frozen=True)
class ServerSettings:
    """Listening addresses, TLS, timeouts and limits. ``tls`` set means STLS is offered and, with
    ``tls_port`` not None, an implicit-TLS listener is opened.

    ``login_timeout`` None: :data:`DEFAULT_LOGIN_TIMEOUT` when the server listens beyond loopback; on loopback
    only (the tutor's and the notebooks' own server, where a learner reads before logging in) the autologout time.
    ``login_throttle`` None switches cross-connection throttling off; it is off, too, when the protocol's
    ``failed_login_delay`` is 0 (tests, and servers that slow nothing down). ``raise_fd_limit``: raise the
    process's soft limit of open files to its hard limit at start and keep the connection limit below it."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    tls_port: int | None = DEFAULT_TLS_PORT
    tls: ssl.SSLContext | None = None
    autologout: float = MIN_AUTOLOGOUT_SECONDS
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_per_address: int = DEFAULT_MAX_PER_ADDRESS
    login_timeout: float | None = None
    tls_handshake_timeout: float = DEFAULT_TLS_HANDSHAKE_TIMEOUT
    login_throttle: LoginThrottle | None = field(default_factory=LoginThrottle)
    raise_fd_limit: bool = True
    protocol: ServerConfig = field(default_factory=ServerConfig)
    domain: str = "example.com"

    @property
    def autologout_below_rfc(self) -> bool:
        """RFC 1939 §3 asks for at least 10 minutes; a shorter timer is for demos only."""
        return self.autologout < MIN_AUTOLOGOUT_SECONDS

    @property
    def effective_login_timeout(self) -> float:
        if self.login_timeout is not None:
            return self.login_timeout
        return self.autologout if loopback_host(self.host) else DEFAULT_LOGIN_TIMEOUT

    @property
    def effective_throttle(self) -> LoginThrottle | None:
        return self.login_throttle if self.protocol.failed_login_delay > 0 else None


def loopback_host(host: str) -> bool:
    """Whether ``host`` names loopback only (``localhost``, 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
