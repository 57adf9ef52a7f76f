"""A raw POP3 client made for load: one asyncio protocol per connection that sends a command line and waits for
its whole reply — one line, or a multi-line body up to the ``.`` CRLF terminator — with as little work per byte
as it can, so that the server, not the load generator, is what gets measured.

Which replies are multi-line comes from the protocol's command table. The client never pipelines, so a
multi-line reply is complete exactly when what has arrived ends with CRLF ``.`` CRLF (inside a stuffed body that
sequence cannot occur), which needs no scan of a large body. Bodies are handed back still stuffed;
:class:`SizeCheck` checks a RETR against its LIST size.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from poplab.protocol.octets import TERMINATOR
from poplab.protocol.table import COMMANDS

_END = b"\r\n" + TERMINATOR


class BenchError(Exception):
    """A session did not go as a POP3 session should: an ``-ERR``, a dropped connection, a wrong size."""


@dataclass(frozen=True)
class Reply:
    """A status line (with CRLF) and, for a positive multi-line reply, the body (stuffed, terminator removed)."""

    status: bytes
    body: bytes | None = None

    @property
    def ok(self) -> bool:
        return self.status.startswith(b"+OK")


def body_octets(body: bytes) -> int:
    """The size of a received body as RFC 1939 §11 counts it: stuffed dots left out."""
    stuffed = body.count(b"\r\n..") + (1 if body.startswith(b"..") else 0)
    return len(body) - stuffed


class SizeCheck:
    """Checks RETR bodies against their LIST sizes. Counting stuffed dots is the costly part, so once a message
    has passed, a later copy of exactly the same length is taken as right."""

    def __init__(self) -> None:
        self._passed: dict[tuple[int, int], int] = {}

    def check(self, number: int, size: int, body: bytes) -> None:
        key = (number, size)
        if self._passed.get(key) == len(body):
            return
        octets = body_octets(body)
        if octets != size:
            raise BenchError(f"RETR {number}: {octets} octets, LIST said {size}")
        self._passed[key] = len(body)


def is_multiline(line: str) -> bool:
    """Whether a positive reply to this command line carries a body (from the command table)."""
    verb, _, rest = line.partition(" ")
    spec = COMMANDS.get(verb.upper())
    if spec is None:
        return False
    count = (1 if rest else 0) if spec.rest_is_one_argument else len(rest.split())
    return spec.is_multiline(count)


class _Wire(asyncio.Protocol):
    """Buffers what arrives and completes the one reply being waited for."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[Reply] | None = None
        self.multiline = False
        self.status_end = -1
        self.closed: asyncio.Future[None] = loop.create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is not None:
            self._complete()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(BenchError("connection closed by the server before its reply"))

    def expect(self, multiline: bool) -> asyncio.Future[Reply]:
        if self.closed.done():
            raise BenchError("connection already closed")
        self.waiter = self.loop.create_future()
        self.multiline = multiline
        self.status_end = -1
        self._complete()
        return self.waiter

    def _complete(self) -> None:
        buffer = self.buffer
        if self.status_end < 0:
            self.status_end = buffer.find(b"\n")
            if self.status_end < 0:
                return
        end = self.status_end
        if self.multiline and buffer.startswith(b"+OK"):
            if not buffer.endswith(_END) or len(buffer) - len(_END) < end - 1:
                return
            with memoryview(buffer) as view:
                reply = Reply(bytes(view[: end + 1]), bytes(view[end + 1 : len(buffer) - len(TERMINATOR)]))
            buffer.clear()
        else:
            reply = Reply(bytes(buffer[: end + 1]))
            del buffer[: end + 1]
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(reply)


class Connection:
    """One client connection: ``await Connection.open(host, port)``, then ``await conn.ok("STAT")``."""

    def __init__(self, wire: _Wire, greeting: Reply) -> None:
        self._wire = wire
        self.greeting = greeting

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        loop = asyncio.get_running_loop()
        _, wire = await loop.create_connection(lambda: _Wire(loop), host, port)
        connection = cls(wire, Reply(b""))
        try:
            connection.greeting = await wire.expect(False)
            if not connection.greeting.ok:
                raise BenchError(f"greeting: {_shown(connection.greeting.status)}")
        except BaseException:
            connection.abort()
            raise
        return connection

    async def command(self, line: str) -> Reply:
        transport = self._wire.transport
        assert transport is not None
        waiter = self._wire.expect(is_multiline(line))
        transport.write(line.encode("utf-8") + b"\r\n")
        return await waiter

    async def ok(self, line: str) -> Reply:
        """Send a command and insist on ``+OK`` (the error names the verb, never a password)."""
        reply = await self.command(line)
        if not reply.ok:
            raise BenchError(f"{line.split(' ')[0]}: {_shown(reply.status)}")
        return reply

    async def quit(self) -> None:
        """QUIT, then wait for the server to close (so the server, not the load generator, holds TIME_WAIT)."""
        await self.ok("QUIT")
        await self._wire.closed

    def close(self) -> None:
        if self._wire.transport is not None and not self._wire.transport.is_closing():
            self._wire.transport.close()

    def abort(self) -> None:
        if self._wire.transport is not None:
            self._wire.transport.abort()


def _shown(status: bytes) -> str:
    return status.rstrip(b"\r\n")[:120].decode("utf-8", "replace")
