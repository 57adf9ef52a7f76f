"""The sans-IO client side: tracks what was sent, splits what comes back into replies, and knows from the
command table which replies are multi-line and which state each leads to.

It works on any server's replies (ours, Dovecot's, a provider's): it needs only the status indicators, never
the reply texts. The learner's client and the annotator build on it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from poplab.protocol.octets import unstuff_line
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS, state_after


@dataclass(frozen=True)
class SentCommand:
    """A line the client sent, parsed as far as it parses. ``verb`` is None for a line that is no known command."""

    raw: bytes
    verb: str | None
    args: tuple[str, ...]
    state: State
    sasl_response: bool = False

    @property
    def expects_multiline(self) -> bool:
        spec = COMMANDS.get(self.verb or "")
        return spec is not None and spec.is_multiline(len(self.args))


def describe(raw: bytes, state: State, sasl_response: bool = False) -> SentCommand:
    """Parse a client line loosely (any case, any junk) into a :class:`SentCommand`."""
    text = raw.rstrip(b"\r\n").decode("utf-8", "replace")
    if sasl_response:
        return SentCommand(raw, None, (), state, sasl_response=True)
    keyword, _, rest = text.partition(" ")
    verb = keyword.upper() if keyword.isascii() and keyword.upper() in COMMANDS else None
    if verb == "PASS":
        args: tuple[str, ...] = (rest,) if rest else ()
    else:
        args = tuple(rest.split())
    return SentCommand(raw, verb, args, state)


@dataclass(frozen=True)
class ServerReply:
    """A complete reply: its status line, body lines as received (stuffed, with CRLF), and the states around it.

    ``ok`` is True for +OK, False for -ERR and None for a SASL continuation (``+ ``). ``command`` is None for
    the greeting.
    """

    command: SentCommand | None
    status_line: bytes
    ok: bool | None
    body_lines: tuple[bytes, ...] | None
    state_before: State
    state_after: State

    @property
    def text(self) -> str:
        line = self.status_line.rstrip(b"\r\n").decode("utf-8", "replace")
        for indicator in ("+OK", "-ERR", "+"):
            if line.startswith(indicator):
                return line[len(indicator) :].lstrip(" ")
        return line

    @property
    def code(self) -> str | None:
        text = self.text
        if text.startswith("[") and "]" in text:
            return text[1 : text.index("]")]
        return None

    @property
    def body(self) -> bytes | None:
        """The multi-line body with stuffing undone and the terminator left off."""
        if self.body_lines is None:
            return None
        return b"".join(unstuff_line(line) for line in self.body_lines[:-1])

    @property
    def raw(self) -> bytes:
        return self.status_line + b"".join(self.body_lines or ())


_GREETING = object()


class ClientConnection:
    """Feed it the lines you send and the bytes you receive; it hands back complete replies in order."""

    def __init__(self, state: State = State.AUTHORIZATION) -> None:
        self.state = state
        self.closed = False
        self.greeted = False
        self.in_sasl = False
        self._pending: deque[SentCommand] = deque()
        self._buffer = bytearray()
        self._status: bytes | None = None
        self._body: list[bytes] = []
        self.discarded: tuple[SentCommand, ...] = ()
        """Commands sent after STLS before its +OK arrived: a correct server never reads them (RFC 2595 §4,
        CVE-2011-0411), so they no longer wait for a reply."""

    @property
    def pending(self) -> tuple[SentCommand, ...]:
        return tuple(self._pending)

    def requeue(self, command: SentCommand) -> None:
        """A server answers a discarded command after all (the CVE-2011-0411 bug): it waits for a reply again."""
        self._pending.appendleft(command)

    def send(self, raw: bytes) -> SentCommand:
        """Record a line about to be sent (with its line end). During SASL it is a response, not a command."""
        if self.in_sasl:
            self.in_sasl = False
            return describe(raw, self.state, sasl_response=True)
        command = describe(raw, self.state)
        self._pending.append(command)
        return command

    def receive_data(self, data: bytes) -> list[ServerReply]:
        self._buffer += data
        replies: list[ServerReply] = []
        while True:
            end = self._buffer.find(b"\n")
            if end < 0:
                return replies
            line = bytes(self._buffer[: end + 1])
            del self._buffer[: end + 1]
            reply = self._line(line)
            if reply is not None:
                replies.append(reply)

    def discard_buffered(self) -> None:
        """After +OK to STLS: what arrived in plaintext must not be read as part of the TLS session."""
        self._buffer.clear()

    def _line(self, line: bytes) -> ServerReply | None:
        if self._status is not None:
            self._body.append(line)
            if line.rstrip(b"\r\n") == b".":
                return self._finish(tuple(self._body))
            return None
        command = self._pending[0] if self._pending and self.greeted else None
        ok = _status(line)
        if ok and command is not None and command.expects_multiline:
            self._status, self._body = line, []
            return None
        self._status = line
        return self._finish(None)

    def _finish(self, body: tuple[bytes, ...] | None) -> ServerReply:
        status = self._status or b""
        self._status, self._body = None, []
        ok = _status(status)
        before = self.state
        if not self.greeted:
            self.greeted = True
            return ServerReply(None, status, ok, body, before, before)
        command = self._pending[0] if self._pending else None
        if ok is None and command is not None and command.verb == "AUTH":
            self.in_sasl = True
            return ServerReply(command, status, ok, body, before, before)
        if self._pending:
            self._pending.popleft()
        after = state_after(command.verb, before, bool(ok), len(command.args)) if command and command.verb else before
        self.state = after
        if command is not None and command.verb == "QUIT" and ok:
            self.closed = True
        if command is not None and command.verb == "STLS" and ok:
            self.discard_buffered()
            self.discarded, self._pending = tuple(self._pending), deque()
        return ServerReply(command, status, ok, body, before, after)


def _status(line: bytes) -> bool | None:
    if line.startswith(b"+OK"):
        return True
    if line.startswith(b"-ERR"):
        return False
    if line.startswith(b"+"):
        return None
    return False
