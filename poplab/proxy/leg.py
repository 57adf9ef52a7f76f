"""One side of a proxied session (the learner's client, or the upstream server) as an asyncio protocol: it hands
received bytes to the session, writes, switches to TLS in place (dropping any plaintext that arrives while the
handshake starts: RFC 2595 §4, the CVE-2011-0411 class of bug), and passes flow control on to the other side,
so a slow reader slows the writer down instead of filling the proxy's memory."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable


class Leg(asyncio.Protocol):
    def __init__(
        self,
        on_data: Callable[[bytes], None],
        on_lost: Callable[[], None],
        on_made: Callable[[], None] | None = None,
    ) -> None:
        self._on_data = on_data
        self._on_lost = on_lost
        self._on_made = on_made
        self.transport: asyncio.Transport | None = None
        self.other: Leg | None = None
        self.tls = False
        self.switching = False
        self.lost = False

    # ---- asyncio.Protocol -------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.tls = transport.get_extra_info("ssl_object") is not None
        if self._on_made is not None:
            self._on_made()

    def data_received(self, data: bytes) -> None:
        if not self.switching and not self.lost:
            self._on_data(data)

    def eof_received(self) -> bool:
        return False  # close our side too: POP3 has no half-closed connections

    def connection_lost(self, exc: Exception | None) -> None:
        if self.lost:
            return
        self.lost = True
        self._on_lost()

    def pause_writing(self) -> None:
        if self.other is not None:
            self.other.pause_reading()

    def resume_writing(self) -> None:
        if self.other is not None:
            self.other.resume_reading()

    # ---- what the session calls -------------------------------------------------------------------------

    @property
    def open(self) -> bool:
        return self.transport is not None and not self.lost and not self.transport.is_closing()

    def write(self, data: bytes) -> None:
        if self.open and self.transport is not None:
            self.transport.write(data)

    def close(self) -> None:
        """Close after what was written (a FIN, not a reset)."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def pause_reading(self) -> None:
        if self.open and self.transport is not None and self.transport.is_reading():
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self.open and self.transport is not None and not self.transport.is_reading():
            self.transport.resume_reading()

    async def start_tls(self, context: ssl.SSLContext, server_side: bool, hostname: str | None = None) -> str:
        """Switch this connection to TLS; the TLS version. Raises OSError, ssl.SSLError or TimeoutError."""
        transport = self.transport
        assert transport is not None
        # Plain text that arrived since the switch was decided was dropped (``switching``). From here on the
        # transport reads through TLS (start_tls pauses it and puts the TLS layer in front before it first
        # waits), so what arrives now is already encrypted and may be read: a TLS 1.3 client sends its next
        # command right with the end of the handshake.
        self.switching = False
        loop = asyncio.get_running_loop()
        new = await loop.start_tls(
            transport, self, context, server_side=server_side, server_hostname=hostname, ssl_handshake_timeout=15
        )
        if new is None:
            raise ConnectionError("the connection closed during the TLS handshake")
        self.transport = new
        self.tls = True
        return tls_version(new)


def tls_version(transport: asyncio.BaseTransport) -> str:
    ssl_object = transport.get_extra_info("ssl_object")
    version = ssl_object.version() if ssl_object is not None else None
    return str(version or "TLS")
