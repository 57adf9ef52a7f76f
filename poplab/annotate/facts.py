"""What the annotator learns about a session as it reads it: deletion marks, message count and sizes, the
greeting's APOP timestamp, the capabilities, TLS, the SASL exchange in progress. The state itself is tracked by
the core's :class:`~poplab.protocol.client.ClientConnection`; these facts only feed explanations and hints."""

from __future__ import annotations

from dataclasses import dataclass, field

from poplab.i18n import Translator
from poplab.protocol.client import SentCommand, ServerReply
from poplab.protocol.octets import unstuff_line
from poplab.protocol.sasl import greeting_timestamp
from poplab.protocol.states import State

MESSAGE_VERBS = frozenset({"LIST", "RETR", "DELE", "TOP", "UIDL"})
"""Verbs whose first argument is a message number."""
PLAINTEXT_MECHANISMS = frozenset({"PLAIN", "LOGIN"})
_MAX_DIGITS = 18


def message_number(arg: str) -> int | None:
    """A message number as the RFC writes it (decimal digits), or None."""
    if not arg or len(arg) > _MAX_DIGITS or not arg.isascii() or not arg.isdigit():
        return None
    return int(arg)


def number_and_rest(text: str) -> tuple[int, str] | None:
    """``"2 4012"`` → ``(2, "4012")``: a listing line or the text of a one-line LIST/UIDL reply."""
    words = text.split()
    if len(words) < 2:
        return None
    number = message_number(words[0])
    return None if number is None else (number, words[1])


def body_texts(lines: tuple[bytes, ...] | None) -> list[str]:
    """The content lines of a multi-line body as text (unstuffed, terminator left off)."""
    if not lines:
        return []
    return [unstuff_line(line).rstrip(b"\r\n").decode("utf-8", "replace") for line in lines[:-1]]


@dataclass
class Facts:
    """The facts of one session (one connection)."""

    secure: bool = False
    stls_done: bool = False
    capa_after_stls: bool = False
    warned_stls_capa: bool = False
    apop_timestamp: str | None = None
    capabilities: tuple[str, ...] | None = None
    capa_supported: bool = False
    """The server answered CAPA with a list (RFC 2449): it accepts command lines of 255 octets (§4), and STLS does
    not take that back."""
    injected: tuple[SentCommand, ...] = ()
    """Commands sent after STLS before its +OK arrived: a correct server never answers them (CVE-2011-0411)."""
    mechanisms: tuple[str, ...] | None = None
    user_accepted: bool = False
    sasl_mechanism: str | None = None
    sasl_responses: int = 0
    sasl_cancelled: bool = False
    challenge: str = ""
    deleted: set[int] = field(default_factory=set)
    sizes: dict[int, int] = field(default_factory=dict)
    total: int | None = None
    quit_sent: bool = False
    ended: bool = False

    def sent(self, command: SentCommand) -> None:
        """Learn from a line the client sent."""
        if command.sasl_response:
            self.sasl_responses += 1
            self.sasl_cancelled = command.raw.strip() == b"*"
            return
        if self.stls_done and not self.capa_after_stls:
            self.warned_stls_capa = True
        if command.verb == "AUTH" and command.args:
            self.sasl_mechanism, self.sasl_responses, self.sasl_cancelled = command.args[0].upper(), 0, False
        elif command.verb == "CAPA" and self.stls_done:
            self.capa_after_stls = True
        elif command.verb == "QUIT":
            self.quit_sent = True

    def learn(self, reply: ServerReply) -> None:
        """Learn from a complete reply."""
        command = reply.command
        if command is None:
            self.apop_timestamp = greeting_timestamp(reply.text) if reply.ok else None
            return
        verb = command.verb or ""
        if reply.ok is not None and verb == "AUTH":
            self.sasl_mechanism = None
        if reply.ok is not None and verb == "QUIT":
            self.ended = True
        learn = _LEARN.get(verb)
        if learn is not None and reply.ok:
            learn(self, reply, command.args)
        elif verb == "USER" or verb == "PASS":
            self.user_accepted = False

    def _capa(self, reply: ServerReply, args: tuple[str, ...]) -> None:
        lines = body_texts(reply.body_lines)
        self.capa_supported = True
        self.capabilities = tuple(line.split()[0].upper() for line in lines if line.split())
        for line in lines:
            words = line.split()
            if words and words[0].upper() == "SASL":
                self.mechanisms = tuple(word.upper() for word in words[1:])

    def _auth(self, reply: ServerReply, args: tuple[str, ...]) -> None:
        if not args and reply.body_lines is not None:
            self.mechanisms = tuple(line.split()[0].upper() for line in body_texts(reply.body_lines) if line.split())

    def _user(self, reply: ServerReply, args: tuple[str, ...]) -> None:
        self.user_accepted = True

    def _stls(self, reply: ServerReply, args: tuple[str, ...]) -> None:
        self.stls_done = self.secure = True
        self.capabilities = self.mechanisms = None

    def _stat(self, reply: ServerReply, args: tuple[str, ...]) -> None:
        words = reply.text.split()
        count = message_number(words[0]) if words else None
        if count is not None:
            self.total = count + len(self.deleted)

    def _list(self, reply: ServerReply, args: tuple[str, ...]) -> None:
        if args:
            pair = number_and_rest(reply.text)
            size = message_number(pair[1]) if pair else None
            if pair is not None and size is not None:
                self.sizes[pair[0]] = size
            return
        listed = [pair for pair in map(number_and_rest, body_texts(reply.body_lines)) if pair is not None]
        for number, rest in listed:
            size = message_number(rest)
            if size is not None:
                self.sizes[number] = size
        self.total = len(listed) + len(self.deleted)

    def _dele(self, reply: ServerReply, args: tuple[str, ...]) -> None:
        number = message_number(args[0]) if args else None
        if number is not None:
            self.deleted.add(number)

    def _rset(self, reply: ServerReply, args: tuple[str, ...]) -> None:
        self.deleted.clear()


_LEARN = {
    "CAPA": Facts._capa,
    "AUTH": Facts._auth,
    "USER": Facts._user,
    "STLS": Facts._stls,
    "STAT": Facts._stat,
    "LIST": Facts._list,
    "DELE": Facts._dele,
    "RSET": Facts._rset,
}


@dataclass(frozen=True)
class Context:
    """Everything an explanation of one line may look at."""

    t: Translator
    facts: Facts
    state: State
    """The session state when the line is read."""
    possible: frozenset[State]
    """The states the server may be in when it reads a command (more than one when commands are pipelined)."""
    secure: bool
    ended: bool
