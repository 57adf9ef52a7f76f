"""What the annotator hands out: one frozen :class:`Annotation` per line (a multi-line body is one annotation),
with its :class:`Kind`, :class:`Finding` s (warnings a teacher wants) and, for every ``-ERR``, a :class:`Why`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal

from poplab.protocol.rfc import RfcRef
from poplab.protocol.states import State


class Kind(Enum):
    """What a line is."""

    GREETING = "greeting"
    COMMAND = "command"
    SASL_RESPONSE = "sasl-response"
    """The client's answer to a SASL challenge."""
    STATUS = "status"
    """A status line: +OK or -ERR."""
    CONTINUATION = "continuation"
    """A SASL challenge from the server: ``+`` SP base64."""
    LISTING = "listing"
    """The body of LIST, UIDL, CAPA or AUTH, with its terminator."""
    MESSAGE = "message"
    """Message data of RETR or TOP, with its terminator."""
    TERMINATOR = "terminator"
    """A body that is only the terminating ``.`` line."""
    UNEXPECTED = "unexpected"
    """A server line no command was waiting for."""
    CLOSED = "closed"
    """The connection ended."""
    END = "end"
    """The transcript ended (only when that matters: an open session, a cut-off reply)."""


class Severity(Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Finding:
    """Something a teacher wants pointed out. ``code`` is stable (for checks), ``text`` is translated."""

    code: str
    severity: Severity
    text: str
    ref: RfcRef | None = None


@dataclass(frozen=True)
class Why:
    """Why the server said -ERR, inferred from the command and the state (not from the server's text), and what
    to do about it. ``code`` is stable, ``reason`` and ``hint`` are translated."""

    code: str
    reason: str
    hint: str
    ref: RfcRef | None = None


@dataclass(frozen=True)
class Annotation:
    """One line explained (or one multi-line body, summarised).

    ``index`` is the position of the (first) transcript line it covers; ``lines`` are the covered lines as
    readable text, passwords redacted (a long body is cut after a few lines); ``raw`` the exact bytes;
    ``octets`` the bytes on the wire and ``octets_note`` what they cover.
    """

    index: int
    direction: Literal["C", "S"] | None
    kind: Kind
    lines: tuple[str, ...]
    line_count: int
    raw: bytes
    summary: str
    detail: str
    ref: RfcRef | None
    state_before: State
    state_after: State
    octets: int
    octets_note: str
    verb: str | None = None
    ok: bool | None = None
    tls: bool = False
    findings: tuple[Finding, ...] = ()
    why: Why | None = None

    @property
    def severity(self) -> Severity:
        """The worst of the findings; a -ERR reply is an error."""
        worst = Severity.ERROR if self.why is not None else Severity.INFO
        for finding in self.findings:
            if finding.severity.rank > worst.rank:
                worst = finding.severity
        return worst

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the findings (and of the Why), for checks and tests."""
        why = (self.why.code,) if self.why is not None else ()
        return (*(finding.code for finding in self.findings), *why)
