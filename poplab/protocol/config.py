"""Settings of a server connection that the teacher or the adapter chooses."""

from __future__ import annotations

from dataclasses import dataclass

from poplab import __version__
from poplab.protocol import limits

SEED_GREETING = "example.com POP3-Server"


@dataclass(frozen=True)
class ServerConfig:
    """How the teaching server behaves. The defaults replay the seed article's session exactly."""

    greeting: str = SEED_GREETING
    apop: bool = False
    tls_available: bool = False
    allow_plaintext: bool = False
    failed_login_delay: float = 1.0
    max_bad_before_login: int = limits.MAX_BAD_COMMANDS_BEFORE_LOGIN
    max_bad_after_login: int = limits.MAX_BAD_COMMANDS_AFTER_LOGIN
    sasl_mechanisms: tuple[str, ...] = ("PLAIN", "LOGIN", "CRAM-MD5")
    implementation: str = f"poplab-{__version__}"
