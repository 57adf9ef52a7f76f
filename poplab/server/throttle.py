"""Failed logins throttled across connections, per account and per client address, in memory and bounded in size
(the adapter's side of :class:`poplab.protocol.holding.LoginGate`; the settings are
:class:`~poplab.server.settings.LoginThrottle`). One throttle may serve servers in several threads (the POP3 and
SMTP servers of a classroom): its scores are kept under a lock.

Loopback has no address score, only its accounts do: on the teacher's machine every browser tutor and every
JupyterHub notebook of a class comes from 127.0.0.1, and thirty students' typos must not hold back everyone's
login (an attacker on the network has an address of its own)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from poplab.server.session import is_loopback
from poplab.server.settings import LoginThrottle


@dataclass
class _Score:
    failures: float
    stamp: float
    until: float = 0.0


class Throttle:
    """Scores per account and per address: one point per failed login, halving every ``half_life`` seconds; above
    the free allowance, logins wait a delay that doubles with every further failure."""

    def __init__(self, settings: LoginThrottle, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self._scores: OrderedDict[str, _Score] = OrderedDict()
        self._lock = threading.Lock()

    def gate(self, address: str) -> AddressGate:
        return AddressGate(self, address)

    def wait(self, user: str, address: str) -> float:
        now = self.clock()
        with self._lock:
            scores = [self._scores.get(key) for key in _keys(user, address) if key]
        return max([0.0, *(score.until - now for score in scores if score is not None)])

    def failed(self, user: str, address: str) -> None:
        account_key, address_key = _keys(user, address)
        with self._lock:
            self._count(account_key, self.settings.free_per_account)
            if address_key:
                self._count(address_key, self.settings.free_per_address)

    def succeeded(self, user: str, address: str) -> None:
        with self._lock:
            self._scores.pop(_keys(user, address)[0], None)

    def __len__(self) -> int:
        return len(self._scores)

    def _count(self, key: str, free: int) -> None:
        settings, now = self.settings, self.clock()
        score = self._scores.pop(key, None) or _Score(0.0, now)
        score.failures = score.failures * 0.5 ** ((now - score.stamp) / settings.half_life) + 1
        score.stamp = now
        over = score.failures - free
        if over > 0:
            delay = min(settings.max_delay, settings.base_delay * 2 ** (over - 1))
            score.until = max(score.until, now + delay)
        self._scores[key] = score  # the most recently failed last
        while len(self._scores) > settings.max_entries:
            self._scores.popitem(last=False)


class AddressGate:
    """The throttle as one connection's core sees it (:class:`poplab.protocol.holding.LoginGate`)."""

    def __init__(self, throttle: Throttle, address: str) -> None:
        self.throttle = throttle
        self.address = address

    def wait(self, user: str) -> float:
        return self.throttle.wait(user, self.address)

    def failed(self, user: str) -> None:
        self.throttle.failed(user, self.address)

    def succeeded(self, user: str) -> None:
        self.throttle.succeeded(user, self.address)


def _keys(user: str, address: str) -> tuple[str, str]:
    """The account's key and the address's ("" on loopback, which has no address score)."""
    return f"account {user.casefold()}", "" if is_loopback(address) else f"address {address}"
