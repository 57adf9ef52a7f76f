"""One connection: an asyncio protocol that feeds bytes to the sans-IO :class:`ServerConnection` and carries out
the effects it returns, in order — writes, the failed-login delay, the STLS handshake, closing.

While a delay or a handshake is under way, reading is paused and anything that still arrives waits, so replies
always go out in the order of the commands (pipelining). Any failure stays inside this connection.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from poplab.protocol import effects as fx
from poplab.protocol.faults import WireShaper, wire_shaper
from poplab.protocol.server import ServerConnection
from poplab.server.events import LineEvent, ServerEvent, SessionEvent, SessionInfo

if TYPE_CHECKING:
    from poplab.server.app import PopServer


def is_loopback(peer: str) -> bool:
    """Whether a peer address is on loopback (an IPv4 peer seen through a dual-stack listener too)."""
    try:
        address = ipaddress.ip_address(peer.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


class PopSession(asyncio.Protocol):
    def __init__(self, server: PopServer, implicit_tls: bool) -> None:
        self.server = server
        self.implicit_tls = implicit_tls
        self.transport: asyncio.Transport | None = None
        self.conn: ServerConnection | None = None
        self.info = SessionInfo(0, "", implicit_tls)
        self.secure = implicit_tls
        self._queue: list[fx.Effect] = []
        self._backlog: list[bytes] = []
        self._busy = False
        self._timer: asyncio.TimerHandle | None = None
        self._last_activity = 0.0
        self._shaper: WireShaper | None = None
        self._handshake_task: asyncio.Task[None] | None = None
        self._write_paused = False

    # ---- asyncio.Protocol -------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername") or ("?", 0)
        self.info = SessionInfo(self.server.next_session_id(), f"{peer[0]}:{peer[1]}", self.implicit_tls)
        if not self.server.admit(self):
            transport.write(b"-ERR [SYS/TEMP] too many connections, try again later\r\n")
            transport.close()
            return
        settings = self.server.settings
        self.conn = ServerConnection(
            self.server.store,
            settings.protocol,
            secure=self.implicit_tls,
            peer_trusted=is_loopback(str(peer[0])),
            token=f"<{os.getpid()}.{time.time_ns()}@{settings.domain}>",
            peer=str(peer[0]),
        )
        if settings.protocol.faults:
            self._shaper = wire_shaper(settings.protocol.faults, settings.protocol.line_delay)
        self._emit(lambda: SessionEvent(self.info, "opened", self.info.peer, time.time()))
        self._touch()
        self._run(self.conn.greeting())

    def data_received(self, data: bytes) -> None:
        if self.conn is None:
            return
        self._touch()
        if self._busy or self._write_paused:
            self._backlog.append(data)  # bounded: reading is paused meanwhile
            return
        self._run(self.conn.receive_data(data))

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self.conn is not None:
            self.conn.connection_lost()
            self.conn = None
            self._emit(lambda: SessionEvent(self.info, "closed", "", time.time()))
        self.server.forget(self)

    # ---- effects ----------------------------------------------------------------------------------------

    def _run(self, effects: list[fx.Effect]) -> None:
        """Carry out effects in order; then go on with lines the core held back, then with data that waited."""
        self._queue.extend(self._shaped(effects))
        while self.transport is not None and not self._busy and not self._write_paused:
            if self._queue:
                self._do(self._queue.pop(0))
            elif self.conn is not None and self.conn.held:
                self._queue.extend(self._shaped(self.conn.resume()))
            elif self.conn is not None and self._backlog:
                data = b"".join(self._backlog)
                self._backlog.clear()
                self._queue.extend(self._shaped(self.conn.receive_data(data)))
            else:
                return

    def _shaped(self, effects: list[fx.Effect]) -> list[fx.Effect]:
        """Fault profiles that change the bytes or timing of what is sent (none: unchanged)."""
        return self._shaper.shape(effects) if self._shaper is not None else effects

    # ---- flow control: a client that does not read holds its own pipelined commands back ----------------

    def pause_writing(self) -> None:
        self._write_paused = True
        self._update_reading()

    def resume_writing(self) -> None:
        self._write_paused = False
        self._update_reading()
        self._run([])

    def pending_output(self) -> int:
        """Octets produced for this client and not yet sent: the transport's buffer plus replies waiting."""
        queued = sum(len(effect.data) for effect in self._queue if isinstance(effect, fx.Send))
        return queued + (self.transport.get_write_buffer_size() if self.transport is not None else 0)

    def _update_reading(self) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self._busy or self._write_paused:
            transport.pause_reading()
        else:
            transport.resume_reading()

    def _do(self, effect: fx.Effect) -> None:
        transport = self.transport
        assert transport is not None
        match effect:
            case fx.Send(data=data):
                transport.write(data)
                self._emit(lambda: LineEvent(self.info, "S", data, self.secure, time.time()))
            case fx.Received(raw=raw, sensitive=sensitive):
                self._emit(lambda: LineEvent(self.info, "C", raw, self.secure, time.time(), sensitive))
            case fx.Delay(seconds=seconds) if seconds > 0:
                self._busy = True
                self._update_reading()
                asyncio.get_running_loop().call_later(seconds, self._resume)
            case fx.StartTLS():
                self._busy = True
                self._handshake_task = asyncio.get_running_loop().create_task(self._handshake())
            case fx.Close():
                transport.close()
                self._queue.clear()
                self._backlog.clear()
            case fx.LoggedIn() | fx.LoginFailed() | fx.Committed():
                self._emit(lambda: SessionEvent(self.info, _kind(effect), _detail(effect), time.time()))

    def _resume(self) -> None:
        self._busy = False
        if self.transport is not None and not self.transport.is_closing():
            self._update_reading()
            self._run([])

    async def _handshake(self) -> None:
        transport, context = self.transport, self.server.settings.tls
        assert transport is not None and context is not None and self.conn is not None
        try:
            new = await asyncio.get_running_loop().start_tls(transport, self, context, server_side=True)
        except (OSError, ConnectionError, asyncio.CancelledError, ValueError):
            transport.abort()
            return
        if new is None:
            transport.abort()
            return
        self.transport = new
        self.secure = True
        self.conn.tls_started()
        self._busy = False
        self._run([])

    # ---- autologout -------------------------------------------------------------------------------------

    def _touch(self) -> None:
        """Note activity. One timer per session, re-armed when it fires early, rather than a new timer for every
        packet (creating and cancelling a timer per command was a tenth of the server's time per session)."""
        loop = asyncio.get_running_loop()
        self._last_activity = loop.time()
        if self._timer is None:
            self._timer = loop.call_at(self._last_activity + self.server.settings.autologout, self._autologout)

    def _autologout(self) -> None:
        """RFC 1939 §3: the timer expired: close without entering UPDATE and without a reply."""
        loop = asyncio.get_running_loop()
        due = self._last_activity + self.server.settings.autologout
        if loop.time() < due:
            self._timer = loop.call_at(due, self._autologout)
            return
        self._timer = None
        self._emit(lambda: SessionEvent(self.info, "autologout", "", time.time()))
        if self.transport is not None:
            self.transport.abort()

    def shutdown(self) -> None:
        """Server shutdown: cut the connection; nothing is deleted."""
        if self.transport is not None:
            self.transport.abort()

    def _emit(self, make: Callable[[], ServerEvent]) -> None:
        """Build and publish an event, only when someone listens (the hot path stays cheap)."""
        if self.server.listened:
            self.server.publish(make())


def _kind(effect: fx.Effect) -> str:
    return {fx.LoggedIn: "login", fx.LoginFailed: "login-failed", fx.Committed: "committed"}[type(effect)]


def _detail(effect: fx.Effect) -> str:
    if isinstance(effect, fx.LoggedIn):
        return f"{effect.user} ({effect.mechanism})"
    if isinstance(effect, fx.LoginFailed):
        return f"{effect.user}: {effect.reason}"
    if isinstance(effect, fx.Committed):
        return f"{effect.user}: {len(effect.deleted)} deleted"
    return ""
