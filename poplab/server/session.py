"""One connection: an asyncio protocol that feeds bytes to the sans-IO :class:`ServerConnection` and carries out
the effects it returns, in order — writes, the failed-login delay, the STLS handshake, closing.

While a delay or a handshake is under way, or a flood of pipelined commands waits for its next turn, reading is
paused and anything that still arrives waits, so replies always go out in the order of the commands (pipelining)
and the session's buffers stay bounded. Any failure stays inside this connection.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import time
from collections import deque
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
    """One connection, counted from the moment it was accepted (``peer``: the client's address, ``slot``: the key
    its per-address count is kept under)."""

    def __init__(self, server: PopServer, implicit_tls: bool, peer: tuple[str, int] = ("?", 0), slot: str = "") -> None:
        self.server = server
        self.implicit_tls = implicit_tls
        self.peer = peer
        self.slot = slot
        self.transport: asyncio.Transport | None = None
        self.conn: ServerConnection | None = None
        self.info = SessionInfo(server.next_session_id(), f"{peer[0]}:{peer[1]}", implicit_tls)
        self.secure = implicit_tls
        self._queue: deque[fx.Effect] = deque()
        self._out: list[bytes] = []
        self._backlog: list[bytes] = []
        self._busy = False
        self._turn: asyncio.Handle | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._login_timer: asyncio.TimerHandle | None = None
        self._last_activity = 0.0
        self._shaper: WireShaper | None = None
        self._handshake_task: asyncio.Task[None] | None = None
        self._write_paused = False

    # ---- asyncio.Protocol -------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        if self.transport is not None:
            return  # the TLS transport of a handshake this session started itself
        self.transport = transport
        loop = asyncio.get_running_loop()
        self._login_timer = loop.call_later(self.server.settings.effective_login_timeout, self._login_timed_out)
        if self.implicit_tls:
            self._start_handshake(self._open)  # RFC 8314: TLS first; the greeting once it is up
        else:
            self._open()

    def _open(self) -> None:
        settings = self.server.settings
        address = self.peer[0]
        self.conn = ServerConnection(
            self.server.store,
            settings.protocol,
            secure=self.secure,
            peer_trusted=is_loopback(address),
            token=f"<{os.getpid()}.{time.time_ns()}@{settings.domain}>",
            peer=address,
            gate=self.server.login_gate(self.slot),
        )
        if settings.protocol.faults:
            self._shaper = wire_shaper(settings.protocol.faults, settings.protocol.line_delay)
        self._emit(lambda: SessionEvent(self.info, "opened", self.info.peer, time.time()))
        self._touch()
        self._run(self.conn.greeting())

    def data_received(self, data: bytes) -> None:
        if self.conn is None:
            return
        if self._busy or self._write_paused or self._turn is not None:
            self._backlog.append(data)  # bounded: reading is paused meanwhile
            return
        self._run(self.conn.receive_data(data))

    def connection_lost(self, exc: Exception | None) -> None:
        for handle in (self._timer, self._login_timer, self._turn):
            if handle is not None:
                handle.cancel()
        self._turn = None
        if self.conn is not None:
            self.conn.connection_lost()
            self.conn = None
            self._emit(lambda: SessionEvent(self.info, "closed", "", time.time()))
        self.server.forget(self)

    # ---- effects ----------------------------------------------------------------------------------------

    def _run(self, effects: list[fx.Effect]) -> None:
        """Carry out effects in order; lines the core held back and data that waited go on in the next turn of
        the event loop, after the other sessions' turns (a flood of pipelined commands cannot stall them)."""
        self._queue.extend(self._shaped(effects))
        while self.transport is not None and not self._busy and not self._write_paused and self._queue:
            self._do(self._queue.popleft())
        self._flush()
        conn = self.conn
        if self._busy or self._write_paused or conn is None or self.transport is None:
            return
        if (conn.held or self._backlog) and self._turn is None:
            self._turn = asyncio.get_running_loop().call_soon(self._next_turn)
        self._update_reading()

    def _next_turn(self) -> None:
        self._turn = None
        conn = self.conn
        if conn is None or self._busy or self._write_paused:
            return
        if conn.held:
            self._run(conn.resume())
        elif self._backlog:
            data = b"".join(self._backlog)
            self._backlog.clear()
            self._run(conn.receive_data(data))
        else:
            self._update_reading()

    def _flush(self) -> None:
        """Write the replies of this turn in one go (one system call, not one per reply)."""
        if self._out and self.transport is not None:
            data = self._out[0] if len(self._out) == 1 else b"".join(self._out)
            self._out.clear()
            self.transport.write(data)
        self._out.clear()

    def _shaped(self, effects: list[fx.Effect]) -> list[fx.Effect]:
        """Fault profiles that change the bytes or timing of what is sent (none: unchanged)."""
        return self._shaper.shape(effects) if self._shaper is not None else effects

    # ---- flow control: a client that does not read holds its own pipelined commands back ----------------

    def pause_writing(self) -> None:
        self._write_paused = True
        self._update_reading()

    def resume_writing(self) -> None:
        self._write_paused = False
        self._touch()  # a long download is activity, too
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
        if self._busy or self._write_paused or self._turn is not None:
            transport.pause_reading()
        else:
            transport.resume_reading()

    def _do(self, effect: fx.Effect) -> None:
        transport = self.transport
        assert transport is not None
        match effect:
            case fx.Send(data=data):
                self._out.append(data)
                self._emit(lambda: LineEvent(self.info, "S", data, self.secure, time.time()))
            case fx.Received(raw=raw, sensitive=sensitive):
                self._touch()  # RFC 1939 §3: the autologout timer counts from the last command
                self._emit(lambda: LineEvent(self.info, "C", raw, self.secure, time.time(), sensitive))
            case fx.Delay(seconds=seconds) if seconds > 0:
                self._flush()
                self._busy = True
                self._update_reading()
                asyncio.get_running_loop().call_later(seconds, self._resume)
            case fx.StartTLS():
                self._flush()
                self._start_handshake(self._tls_started)
            case fx.Close():
                self._flush()
                transport.close()
                self._queue.clear()
                self._backlog.clear()
            case fx.LoggedIn():
                if self._login_timer is not None:
                    self._login_timer.cancel()
                    self._login_timer = None
                self._emit(lambda: SessionEvent(self.info, _kind(effect), _detail(effect), time.time()))
            case fx.LoginFailed() | fx.Committed():
                self._emit(lambda: SessionEvent(self.info, _kind(effect), _detail(effect), time.time()))

    def _resume(self) -> None:
        self._busy = False
        if self.transport is not None and not self.transport.is_closing():
            self._update_reading()
            self._run([])

    # ---- TLS: implicit (from accept) and STLS; the handshake has its own time limit ---------------------

    def _start_handshake(self, then: Callable[[], None]) -> None:
        self._busy = True
        self._handshake_task = asyncio.get_running_loop().create_task(self._handshake(then))

    async def _handshake(self, then: Callable[[], None]) -> None:
        transport, settings = self.transport, self.server.settings
        assert transport is not None and settings.tls is not None
        try:
            new = await asyncio.get_running_loop().start_tls(
                transport, self, settings.tls, server_side=True, ssl_handshake_timeout=settings.tls_handshake_timeout
            )
        except (OSError, ConnectionError, asyncio.CancelledError, ValueError):
            new = None
        if new is None:
            transport.abort()  # its protocol is TLS's by now, which does not tell this session
            self.connection_lost(None)
            return
        self.transport = new
        self.secure = True
        self._busy = False
        then()

    def _tls_started(self) -> None:
        assert self.conn is not None
        self.conn.tls_started()
        self._run([])

    # ---- timers: autologout after login, a total time limit before it ----------------------------------

    def _touch(self) -> None:
        """Note activity. One timer per session, re-armed when it fires early, rather than a new timer for every
        command (creating and cancelling a timer per command was a tenth of the server's time per session)."""
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

    def _login_timed_out(self) -> None:
        """No login within the pre-login time (counted from accept, in total): the slot goes back."""
        self._login_timer = None
        seconds = self.server.settings.effective_login_timeout
        self._emit(lambda: SessionEvent(self.info, "login-timeout", f"{seconds:g} s", time.time()))
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self.conn is None or self._busy:
            transport.abort()  # still in the TLS handshake (or the STLS one): nothing can be said
            return
        self._flush()
        transport.write(f"-ERR no login within {seconds:g} seconds, closing connection\r\n".encode())
        transport.close()

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
