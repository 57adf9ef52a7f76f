"""Reaching the POP3 server behind the proxy: TCP, then implicit TLS or STLS as configured, with the normal
certificate checks of the context it is given. What the server says while the proxy sets this up (its greeting,
the reply to the proxy's own STLS) is collected by a :class:`Handshake`; the greeting is relayed afterwards."""

from __future__ import annotations

import asyncio
import ssl

from poplab.proxy import texts
from poplab.proxy.leg import Leg, tls_version
from poplab.proxy.settings import MAX_LINE, Upstream

NoteText = tuple[str, dict[str, str]]


class UpstreamError(Exception):
    """The upstream server cannot be used; the message is one line (why)."""


class Handshake:
    """Bytes from the upstream server while the connection is being set up, read a line at a time."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.lost = False
        self.overlong = False
        self._arrived = asyncio.Event()

    def data(self, data: bytes) -> None:
        if self.overlong:
            return
        self.buffer += data
        if len(self.buffer) > MAX_LINE and self.buffer.find(b"\n", 0, MAX_LINE) < 0:
            self.overlong = True  # a greeting that never ends must not fill the proxy's memory
            self.buffer.clear()
        self._arrived.set()

    def gone(self) -> None:
        self.lost = True
        self._arrived.set()

    async def line(self) -> bytes:
        while b"\n" not in self.buffer:
            if self.overlong:
                raise UpstreamError(f"the server sent more than {MAX_LINE} bytes without a line end")
            if self.lost:
                raise UpstreamError("the server closed the connection")
            self._arrived.clear()
            await self._arrived.wait()
        end = self.buffer.index(b"\n") + 1
        line = bytes(self.buffer[:end])
        del self.buffer[:end]
        return line


async def connect(upstream: Upstream, leg: Leg, handshake: Handshake) -> list[NoteText]:
    """Connect ``leg`` to the upstream server as configured; the notes to show. Raises :class:`UpstreamError`."""
    loop = asyncio.get_running_loop()
    implicit = upstream.security == "tls"
    context = _context(upstream) if upstream.security != "plain" else None
    try:
        await loop.create_connection(
            lambda: leg,
            upstream.host,
            upstream.port,
            ssl=context if implicit else None,
            server_hostname=upstream.host if implicit else None,
        )
        if upstream.security == "stls":
            assert context is not None
            return await _starttls(upstream, leg, handshake, context)
    except (OSError, ssl.SSLError, ConnectionError) as problem:
        raise UpstreamError(reason(problem)) from None
    if implicit:
        assert context is not None and leg.transport is not None
        return [_tls_note(upstream, context, tls_version(leg.transport))]
    return []


def _context(upstream: Upstream) -> ssl.SSLContext:
    return upstream.context if upstream.context is not None else ssl.create_default_context()


async def _starttls(upstream: Upstream, leg: Leg, handshake: Handshake, context: ssl.SSLContext) -> list[NoteText]:
    """Read the greeting, send STLS, and on +OK switch to TLS. The greeting stays in the handshake buffer to be
    relayed; a -ERR greeting is relayed as it is (the client sees the refusal)."""
    greeting = await handshake.line()
    if not greeting.startswith(b"+OK"):
        handshake.buffer[:0] = greeting
        return []
    leg.write(b"STLS\r\n")
    answer = await handshake.line()
    if not answer.startswith(b"+OK"):
        raise UpstreamError("the server refused STLS, and the proxy does not fall back to plain text")
    handshake.buffer.clear()  # nothing sent in plain text after +OK may count (RFC 2595 §4)
    leg.switching = True
    version = await leg.start_tls(context, server_side=False, hostname=upstream.host)
    handshake.buffer[:0] = greeting
    values = {"upstream": upstream.address}
    return [(texts.UPSTREAM_STLS, values), _tls_note(upstream, context, version)]


def _tls_note(upstream: Upstream, context: ssl.SSLContext, version: str) -> NoteText:
    checked = context.verify_mode != ssl.CERT_NONE
    message = texts.UPSTREAM_TLS if checked else texts.UPSTREAM_TLS_UNCHECKED
    return (message, {"upstream": upstream.address, "version": version})


def reason(problem: BaseException) -> str:
    """One line on why a connection failed."""
    if isinstance(problem, TimeoutError):
        return "timed out"
    if isinstance(problem, ssl.SSLCertVerificationError):
        return f"certificate not trusted ({problem.verify_message})"
    if isinstance(problem, UpstreamError):
        return str(problem)
    if isinstance(problem, ConnectionRefusedError):
        return "connection refused"
    return getattr(problem, "strerror", None) or str(problem) or type(problem).__name__
