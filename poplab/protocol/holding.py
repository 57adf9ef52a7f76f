"""Holding back logins that a gate outside the connection refuses: failed logins throttled across connections,
per account and per client address.

The core has no clock and sees one connection only, so the adapter decides, through a :class:`LoginGate`; the core
asks it before it checks any credentials (a refused guess is not checked at all, so it tells an attacker nothing)
and reports each failed and each successful login back. The refusal is ``-ERR [LOGIN-DELAY]`` (RFC 2449 §8.1.1:
the client should try again later and not ask the user for a new password).
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from poplab.protocol import effects as fx
from poplab.protocol.replies import err
from poplab.protocol.seams import Account, AccountStore, Maildrop


class LoginGate(Protocol):
    """Throttling seen from one connection (the adapter binds it to the client's address)."""

    def wait(self, user: str) -> float:
        """Seconds before a login for ``user`` from this client may be checked; 0 when it may be now."""
        ...

    def failed(self, user: str) -> None:
        """A login for ``user`` was checked and failed (wrong credentials)."""
        ...

    def succeeded(self, user: str) -> None:
        """A login for ``user`` succeeded."""
        ...


class GatedStore:
    """The store as a connection with a gate sees it: the account of a held-back login is not even looked up."""

    def __init__(self, store: AccountStore, gate: LoginGate) -> None:
        self.store = store
        self.gate = gate
        self.refused = 0.0
        """The wait of the last refused lookup, until :meth:`settle` reads it."""

    def account(self, name: str) -> Account | None:
        wait = self.gate.wait(name)
        if wait > 0:
            self.refused = wait
            return None
        return self.store.account(name)

    def open_maildrop(self, name: str) -> Maildrop:
        return self.store.open_maildrop(name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)  # whatever else the store offers

    def settle(self, effects: list[fx.Effect], bad_login: str) -> list[fx.Effect]:
        """After one line: report its login outcome to the gate, or turn a held-back login's reply into
        ``-ERR [LOGIN-DELAY]`` (``bad_login`` is the reason text of wrong credentials)."""
        if self.refused > 0:
            wait, self.refused = self.refused, 0.0
            return _refused(effects, wait)
        for effect in effects:
            if isinstance(effect, fx.LoginFailed) and effect.reason == bad_login:
                self.gate.failed(effect.user)
            elif isinstance(effect, fx.LoggedIn):
                self.gate.succeeded(effect.user)
        return effects


def _refused(effects: list[fx.Effect], wait: float) -> list[fx.Effect]:
    reason = f"too many failed logins, try again in {math.ceil(wait)} seconds"
    closing = any(isinstance(effect, fx.Close) for effect in effects)
    text = f"{reason}; too many failed logins, closing connection" if closing else reason
    out: list[fx.Effect] = []
    for effect in effects:
        if isinstance(effect, fx.LoginFailed):
            out.append(fx.LoginFailed(effect.user, reason))
        elif isinstance(effect, fx.Send) and effect.ok is False:
            out.append(fx.Send(err(text, "LOGIN-DELAY").to_bytes(), False))
        else:
            out.append(effect)
    return out
