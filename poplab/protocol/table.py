"""The one table of POP3 commands: in which state each is legal, its arguments, whether its positive reply is
multi-line, where success leads, and the RFC section that says so.

The server, the client-side tracker and the annotator all read this table, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from poplab.protocol import rfc
from poplab.protocol.states import State

AUTH_ONLY = frozenset({State.AUTHORIZATION})
TRANSACTION_ONLY = frozenset({State.TRANSACTION})
BOTH = frozenset({State.AUTHORIZATION, State.TRANSACTION})


class Multiline(Enum):
    """When a positive reply to a command carries a multi-line body."""

    NEVER = "never"
    ALWAYS = "always"
    WITHOUT_ARGUMENT = "without argument"


@dataclass(frozen=True)
class CommandSpec:
    """One row of the table."""

    verb: str
    states: frozenset[State]
    min_args: int
    max_args: int
    multiline: Multiline
    success_state: State | None
    ref: rfc.RfcRef
    syntax: str
    rest_is_one_argument: bool = False
    """PASS takes the rest of the line, spaces included, as its one argument (RFC 1939 §7)."""
    capability: str | None = None
    """The CAPA tag that announces an optional extension command (UTF8, LANG); a server without it answers -ERR."""

    def is_multiline(self, arg_count: int) -> bool:
        if self.multiline is Multiline.ALWAYS:
            return True
        return self.multiline is Multiline.WITHOUT_ARGUMENT and arg_count == 0


def _row(
    verb: str,
    states: frozenset[State],
    args: tuple[int, int],
    multiline: Multiline,
    success_state: State | None,
    ref: rfc.RfcRef,
    syntax: str,
    rest_is_one_argument: bool = False,
    capability: str | None = None,
) -> CommandSpec:
    return CommandSpec(
        verb, states, args[0], args[1], multiline, success_state, ref, syntax, rest_is_one_argument, capability
    )


N, A, W = Multiline.NEVER, Multiline.ALWAYS, Multiline.WITHOUT_ARGUMENT
T = State.TRANSACTION

COMMANDS: dict[str, CommandSpec] = {
    spec.verb: spec
    for spec in (
        _row("USER", AUTH_ONLY, (1, 1), N, None, rfc.USER, "USER <name>"),
        _row("PASS", AUTH_ONLY, (1, 1), N, T, rfc.PASS, "PASS <password>", rest_is_one_argument=True),
        _row("APOP", AUTH_ONLY, (2, 2), N, T, rfc.APOP, "APOP <name> <digest>"),
        _row("AUTH", AUTH_ONLY, (0, 2), W, T, rfc.AUTH, "AUTH <mechanism> [initial-response]"),
        _row("STLS", AUTH_ONLY, (0, 0), N, None, rfc.STLS, "STLS"),
        _row("CAPA", BOTH, (0, 0), A, None, rfc.CAPA, "CAPA"),
        _row("QUIT", BOTH, (0, 0), N, None, rfc.QUIT_AUTH, "QUIT"),
        _row("STAT", TRANSACTION_ONLY, (0, 0), N, None, rfc.STAT, "STAT"),
        _row("LIST", TRANSACTION_ONLY, (0, 1), W, None, rfc.LIST, "LIST [<msg>]"),
        _row("RETR", TRANSACTION_ONLY, (1, 1), A, None, rfc.RETR, "RETR <msg>"),
        _row("DELE", TRANSACTION_ONLY, (1, 1), N, None, rfc.DELE, "DELE <msg>"),
        _row("NOOP", TRANSACTION_ONLY, (0, 0), N, None, rfc.NOOP, "NOOP"),
        _row("RSET", TRANSACTION_ONLY, (0, 0), N, None, rfc.RSET, "RSET"),
        _row("TOP", TRANSACTION_ONLY, (2, 2), A, None, rfc.TOP, "TOP <msg> <lines>"),
        _row("UIDL", TRANSACTION_ONLY, (0, 1), W, None, rfc.UIDL, "UIDL [<msg>]"),
        _row("UTF8", AUTH_ONLY, (0, 0), N, None, rfc.UTF8, "UTF8", capability="UTF8"),
        _row("LANG", BOTH, (0, 1), W, None, rfc.LANG, "LANG [<language-range>]", capability="LANG"),
    )
}
"""Every verb the lab knows. QUIT's success state depends on where it is sent: see :func:`state_after`. UTF8 and
LANG (RFC 6856) exist only on servers that list them in CAPA."""


def state_after(verb: str, before: State, ok: bool, arg_count: int | None = None) -> State:
    """The state a session is in after a reply to ``verb`` (sent with ``arg_count`` arguments) in ``before``.

    QUIT from TRANSACTION enters UPDATE (RFC 1939 §6), whatever the reply: -ERR there means the removal of the
    marked messages failed. QUIT from AUTHORIZATION ends without it (§4). The argument-less listing form of a
    command (``AUTH`` listing its mechanisms, RFC 5034 §4) changes nothing.
    """
    spec = COMMANDS.get(verb)
    if spec is None or before not in spec.states:
        return before
    if verb == "QUIT" and before is State.TRANSACTION:
        return State.UPDATE  # even after -ERR: the server is in UPDATE and the removal failed (RFC 1939 §6)
    if not ok:
        return before
    if arg_count == 0 and spec.multiline is Multiline.WITHOUT_ARGUMENT:
        return before
    return spec.success_state or before


def is_legal(verb: str, state: State) -> bool:
    spec = COMMANDS.get(verb)
    return spec is not None and state in spec.states
