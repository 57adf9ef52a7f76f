"""Settings of a server connection that the teacher or the adapter chooses."""

from __future__ import annotations

from dataclasses import dataclass

from poplab import __version__
from poplab.protocol import faults as fault_profiles
from poplab.protocol import limits
from poplab.protocol.flavors import Flavor, flavor

SEED_GREETING = "example.com POP3-Server"


@dataclass(frozen=True)
class ServerConfig:
    """How the teaching server behaves. The defaults replay the seed article's session exactly.

    ``flavor`` picks another server's greeting and reply texts (:mod:`poplab.protocol.flavors`); a ``greeting``
    other than the seed's wins over the flavour's. ``faults`` switches on fault and quirk profiles
    (:mod:`poplab.protocol.faults`); ``line_delay`` is the wait per line of the ``slow`` profile.
    """

    greeting: str = SEED_GREETING
    apop: bool = False
    tls_available: bool = False
    allow_plaintext: bool = False
    failed_login_delay: float = 1.0
    max_bad_before_login: int = limits.MAX_BAD_COMMANDS_BEFORE_LOGIN
    max_bad_after_login: int = limits.MAX_BAD_COMMANDS_AFTER_LOGIN
    max_failed_logins: int = limits.MAX_FAILED_LOGINS
    sasl_mechanisms: tuple[str, ...] = ("PLAIN", "LOGIN", "CRAM-MD5")
    implementation: str = f"poplab-{__version__}"
    flavor: str = "seed"
    faults: frozenset[str] = frozenset()
    line_delay: float = fault_profiles.DEFAULT_LINE_DELAY
    utf8: bool = False
    """Offer RFC 6856: CAPA lists ``UTF8 USER`` and ``LANG``, and the UTF8 and LANG commands work. Off by default
    (as most servers have it), so the seed session and every CAPA listing stay as they were."""

    def __post_init__(self) -> None:
        flavor(self.flavor)
        object.__setattr__(self, "faults", fault_profiles.check(self.faults))
        if self.line_delay < 0:
            raise ValueError("line_delay must not be negative")

    @property
    def style(self) -> Flavor:
        """The flavour whose texts the replies use."""
        return flavor(self.flavor)

    @property
    def offers_apop(self) -> bool:
        """APOP is on (the ``apop-quirk`` profile switches it on, too)."""
        return self.apop or "apop-quirk" in self.faults
