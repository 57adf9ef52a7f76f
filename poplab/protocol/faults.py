"""Fault and quirk profiles: a teaching server that misbehaves on purpose, one way at a time, for lessons on
writing robust POP3 clients. Each profile is switched on alone (``poplab serve --fault NAME``, repeatable, or
``ServerConfig(faults=frozenset({NAME}))``); with none, nothing here runs.

==============  =========  ======================================================================================
name            kind       what the server does
==============  =========  ======================================================================================
slow            quirk      waits before every line it sends (``ServerConfig.line_delay``, 0.5 s by default)
drop-retr       fault      sends about half of each message for RETR, then drops the connection (no final dot)
no-uidl         quirk      has no UIDL: CAPA leaves it out and UIDL gets -ERR like an unknown command (RFC 1939
                           makes UIDL optional)
no-top          quirk      has no TOP, in the same way (TOP is optional too)
no-capa         quirk      has no CAPA (an RFC 1939 server without RFC 2449): CAPA gets -ERR
login-delay     quirk      lists ``LOGIN-DELAY 900`` in CAPA and refuses every correct login with
                           ``-ERR [LOGIN-DELAY]``, as if the account had logged in minutes ago (RFC 2449 §8.1.1)
sys-temp        quirk      refuses every correct login with ``-ERR [SYS/TEMP]``: the mailbox is temporarily
                           unavailable (RFC 3206 §4)
bare-lf         BROKEN     ends every line it sends with LF instead of CRLF (violates RFC 1939 §3)
no-stuffing     BROKEN     forgets byte-stuffing: message lines that begin with a dot go out as they are, so a
                           line holding a single dot ends the message early (violates RFC 1939 §3)
apop-quirk      quirk      offers APOP with a greeting that holds a second ``<...>`` before the timestamp; clients
                           that take the first ``<...>`` (fetchmail) or everything from the first ``<`` to the
                           last ``>`` (Python's poplib) compute a wrong digest (RFC 1939 §7 wants the timestamp
                           as a msg-id; the annotator points out the ambiguity)
==============  =========  ======================================================================================

The protocol core carries out the profiles that change what is said (no-uidl, no-top, no-capa, login-delay,
sys-temp, apop-quirk); :class:`WireShaper` rewrites the bytes and timing of what is sent (slow, drop-retr,
bare-lf, no-stuffing) as effects, for the adapter to carry out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from poplab.protocol import effects as fx
from poplab.protocol import rfc


@dataclass(frozen=True)
class Fault:
    """One profile. ``wire``: carried out on the bytes by the adapter; ``broken``: it breaks an RFC rule."""

    name: str
    summary: str
    wire: bool = False
    broken: bool = False
    ref: rfc.RfcRef | None = None


_ALL = (
    Fault("slow", "wait before every line sent (latency per line)", wire=True, ref=rfc.BASIC_OPERATION),
    Fault("drop-retr", "send half of each RETR message, then drop the connection", wire=True, ref=rfc.RETR),
    Fault("no-uidl", "no UIDL command (optional in RFC 1939)", ref=rfc.UIDL),
    Fault("no-top", "no TOP command (optional in RFC 1939)", ref=rfc.TOP),
    Fault("no-capa", "no CAPA command (a server without RFC 2449)", ref=rfc.CAPA),
    Fault("login-delay", "refuse every correct login with -ERR [LOGIN-DELAY]", ref=rfc.RESP_CODES),
    Fault("sys-temp", "refuse every correct login with -ERR [SYS/TEMP]", ref=rfc.SYS_AUTH_CODES),
    Fault("bare-lf", "BROKEN: end lines with LF instead of CRLF", wire=True, broken=True, ref=rfc.BASIC_OPERATION),
    Fault("no-stuffing", "BROKEN: forget byte-stuffing", wire=True, broken=True, ref=rfc.BASIC_OPERATION),
    Fault("apop-quirk", "APOP greeting with a second <...> that clients mis-parse", ref=rfc.APOP),
)
FAULTS: Mapping[str, Fault] = MappingProxyType({fault.name: fault for fault in _ALL})

DEFAULT_LINE_DELAY = 0.5
"""Seconds the ``slow`` profile waits before each line."""
LOGIN_DELAY_SECONDS = 900
"""What the ``login-delay`` profile announces in CAPA (``LOGIN-DELAY 900``) and in its -ERR."""
MISSING_VERBS = {"no-uidl": "UIDL", "no-top": "TOP", "no-capa": "CAPA"}


def check(names: Iterable[str]) -> frozenset[str]:
    """The profile names as a set; an unknown name is our own misuse and raises ValueError."""
    chosen = frozenset(names)
    unknown = sorted(chosen - FAULTS.keys())
    if unknown:
        raise ValueError(f"unknown fault profile {', '.join(unknown)}; choose from {', '.join(FAULTS)}")
    return chosen


def missing_verbs(faults: frozenset[str]) -> frozenset[str]:
    """The verbs these profiles take away."""
    return frozenset(verb for name, verb in MISSING_VERBS.items() if name in faults)


def capabilities(caps: list[str], faults: frozenset[str]) -> list[str]:
    """A CAPA list as the profiles change it: without the verbs they take away, with ``LOGIN-DELAY``."""
    missing = missing_verbs(faults)
    kept = [cap for cap in caps if cap not in missing]
    if "login-delay" in faults:
        announced = [n for n, cap in enumerate(kept) if cap.split()[0] == "LOGIN-DELAY"]
        if announced:  # a flavour that announces its own delay (Cyrus, Gmail) now announces this one
            kept[announced[0]] = f"LOGIN-DELAY {LOGIN_DELAY_SECONDS}"
            return kept
        last = len(kept) - 1 if kept and kept[-1].startswith("IMPLEMENTATION") else len(kept)
        kept.insert(last, f"LOGIN-DELAY {LOGIN_DELAY_SECONDS}")
    return kept


def help_table() -> str:
    """One line per profile, for ``--help``."""
    return "\n".join(f"  {fault.name:<12} {fault.summary}" for fault in _ALL)


# ---- the bytes of the broken profiles ---------------------------------------------------------------------------

_STUFFED = re.compile(rb"\r\n\.\.")
_LINE = re.compile(rb"[^\n]*\n|[^\n]+$")


def unstuffed(reply: bytes) -> bytes:
    """A multi-line reply with its byte-stuffing undone, as a server that forgets it sends it."""
    return _STUFFED.sub(b"\r\n.", reply)


def bare_lf(data: bytes) -> bytes:
    """Every CRLF as a bare LF."""
    return data.replace(b"\r\n", b"\n")


def lines(data: bytes) -> list[bytes]:
    """The lines of ``data``, each with its line end."""
    return _LINE.findall(data)


def first_half(reply: bytes) -> bytes:
    """The status line and the first half of the body lines (at least one) of a multi-line reply."""
    parts = lines(reply)
    keep = 1 + max(1, (len(parts) - 2) // 2)
    return b"".join(parts[:keep])


def apop_greeting(text: str, decoy: str, token: str) -> str:
    """The ``apop-quirk`` greeting: a ``<decoy>`` (no ``@``, so not a msg-id) before the real timestamp."""
    return f"{text} <{decoy}> {token}"


# ---- the wire profiles, as effects ------------------------------------------------------------------------------


class WireShaper:
    """Rewrites one connection's effects for the wire profiles: pure, like the rest of the core.

    It follows the verbs of the commands received (to know which reply answers RETR) and turns each
    :class:`~poplab.protocol.effects.Send` into what the broken server sends.
    """

    def __init__(self, faults: frozenset[str], line_delay: float = DEFAULT_LINE_DELAY) -> None:
        self.slow = line_delay if "slow" in faults else 0.0
        self.drop = "drop-retr" in faults
        self.bare_lf = "bare-lf" in faults
        self.no_stuffing = "no-stuffing" in faults
        self.verb: str | None = None
        self.dropped = False

    def shape(self, effects: list[fx.Effect]) -> list[fx.Effect]:
        out: list[fx.Effect] = []
        for effect in effects:
            if self.dropped:
                break
            if isinstance(effect, fx.Received):
                self.verb = effect.raw.split(b" ", 1)[0].strip().upper().decode("ascii", "replace")
            if isinstance(effect, fx.Send):
                out.extend(self._send(effect))
            else:
                out.append(effect)
        return out

    def _send(self, effect: fx.Send) -> list[fx.Effect]:
        data = unstuffed(effect.data) if self.no_stuffing else effect.data
        cut = self.drop and self.verb == "RETR" and effect.ok is True and data.count(b"\n") > 1
        if cut:
            data = first_half(data)
            self.dropped = True
        if self.bare_lf:
            data = bare_lf(data)
        out: list[fx.Effect] = []
        if self.slow:
            for line in lines(data):
                out += [fx.Delay(self.slow), fx.Send(line, effect.ok)]
        else:
            out.append(fx.Send(data, effect.ok))
        return [*out, fx.Close()] if cut else out


def wire_shaper(faults: frozenset[str], line_delay: float = DEFAULT_LINE_DELAY) -> WireShaper | None:
    """A shaper when a wire profile is on, else None (the adapter then does nothing extra)."""
    if not any(FAULTS[name].wire for name in faults):
        return None
    return WireShaper(faults, line_delay)
