"""Parsing one command line into a :class:`Command`, or a :class:`CommandError` that says what is wrong.

Keywords are case-insensitive (RFC 1939 §3); arguments are separated by single spaces. PASS takes the rest of
the line as one argument, so a password may contain spaces (RFC 1939 §7).
"""

from __future__ import annotations

from dataclasses import dataclass

from poplab.protocol.limits import MAX_ARGUMENT
from poplab.protocol.table import COMMANDS

_FORBIDDEN = frozenset(range(0x00, 0x20)) - {0x09} | {0x7F}


def has_control_bytes(content: bytes) -> bool:
    """Whether a command line's content (line end left off) holds control bytes the server refuses (tab is
    allowed)."""
    return not _FORBIDDEN.isdisjoint(content)


LONG_ARGUMENTS_ALLOWED = frozenset({"USER", "APOP", "AUTH"})
"""Names and SASL data may be longer than the 40 characters of RFC 1939 §3, as Dovecot allows: real addresses are
(RFC 2449 §4 raises the limits for servers that support CAPA, as this one does)."""


@dataclass(frozen=True)
class Command:
    """A parsed command: the upper-cased verb and its arguments as text."""

    verb: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class CommandError:
    """A line that is not a usable command, with the fixed reason sent after ``-ERR``."""

    reason: str
    verb: str | None = None


def parse(content: bytes) -> Command | CommandError:
    """Parse a line's content (without its line end)."""
    if has_control_bytes(content):
        return CommandError("command contains control characters")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return CommandError("command is not valid UTF-8")
    if not text.strip():
        return CommandError("empty command")
    keyword, _, rest = text.partition(" ")
    # ASCII only: str.upper() would turn 'ſtat' or 'ﬆat' into STAT, a keyword no other server knows.
    verb = keyword.upper() if keyword.isascii() else keyword
    spec = COMMANDS.get(verb)
    if spec is None:
        return CommandError("unknown command")
    if spec.rest_is_one_argument:
        args: tuple[str, ...] = (rest,) if rest else ()
    else:
        args = tuple(rest.split()) if rest else ()
        if verb not in LONG_ARGUMENTS_ALLOWED and any(len(arg) > MAX_ARGUMENT for arg in args):
            return CommandError(f"argument too long (at most {MAX_ARGUMENT} characters)", verb)
    if not spec.min_args <= len(args) <= spec.max_args:
        return CommandError(f"wrong number of arguments, use: {spec.syntax}", verb)
    return Command(verb, args)
