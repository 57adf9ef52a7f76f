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
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from poplab.protocol import effects as fx
from poplab.protocol.faults import WireShaper, wire_shaper
from poplab.protocol.seams import StoreError
from poplab.protocol.server import ServerConnection
from poplab.server.events import LineEvent, ServerEvent, SessionEvent, SessionInfo, logger
from poplab.server.session_log import Tally, log_summary, summarizing

if TYPE_CHECKING:
    from poplab.server.app import PopServer


STREAM_FROM = 256 * 1024
"""Messages of at least this many octets are sent piece by piece from the store as the client takes them (memory
per session: a piece and the transport's buffer, not the message); smaller ones go out whole, in one write with
the replies around them."""


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
        self._stream: _Streaming | None = None
        self.tally = Tally(time.monotonic())

    @property
    def _held(self) -> bool:
        """Nothing more may be done or read now: a delay or handshake, a full write buffer, a body being sent."""
        return self._busy or self._write_paused or self._stream is not None

    # ---- asyncio.Protocol -------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self.transport is not None:
            return  # the TLS transport of a handshake this session started itself
        self.transport = cast("asyncio.Transport", transport)  # a stream transport (uvloop's is no subclass)
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
        self.conn.stream_from = STREAM_FROM
        if settings.protocol.faults:
            self._shaper = wire_shaper(settings.protocol.faults, settings.protocol.line_delay)
        self._emit(lambda: SessionEvent(self.info, "opened", self.info.peer, time.time()))
        self._touch()
        self._run(self.conn.greeting())

    def data_received(self, data: bytes) -> None:
        if self.conn is None:
            return
        if self._held or self._turn is not None:
            self._backlog.append(data)  # bounded: reading is paused meanwhile
            return
        self._run(self.conn.receive_data(data))

    def connection_lost(self, exc: Exception | None) -> None:
        for handle in (self._timer, self._login_timer, self._turn):
            if handle is not None:
                handle.cancel()
        self._turn = None
        if self._stream is not None:
            self._end_stream()
        if self.conn is not None:
            self.conn.connection_lost()
            self.conn = None
            self._emit(lambda: SessionEvent(self.info, "closed", "", time.time()))
            if summarizing():
                log_summary(self.info, self.tally)
        self.server.forget(self)

    # ---- effects ----------------------------------------------------------------------------------------

    def _run(self, effects: list[fx.Effect]) -> None:
        """Carry out effects in order; lines the core held back and data that waited go on in the next turn of
        the event loop, after the other sessions' turns (a flood of pipelined commands cannot stall them)."""
        self._queue.extend(self._shaped(effects))
        if self._stream is not None:
            self._pump()
        while self.transport is not None and not self._held and self._queue:
            self._do(self._queue.popleft())
        self._flush()
        conn = self.conn
        if self._held or conn is None or self.transport is None:
            return
        if (conn.held or self._backlog) and self._turn is None:
            self._turn = asyncio.get_running_loop().call_soon(self._next_turn)
        self._update_reading()

    def _next_turn(self) -> None:
        self._turn = None
        conn = self.conn
        if conn is None or self._held:
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
        queued += sum(effect.size for effect in self._queue if isinstance(effect, fx.Stream))
        return queued + (self.transport.get_write_buffer_size() if self.transport is not None else 0)

    def _update_reading(self) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self._held or self._turn is not None:
            transport.pause_reading()
        else:
            transport.resume_reading()

    def _do(self, effect: fx.Effect) -> None:
        transport = self.transport
        assert transport is not None
        match effect:
            case fx.Send(data=data, ok=ok):
                self._out.append(data)
                self.tally.sent += len(data)
                self.tally.errors += ok is False
                self._emit(lambda: LineEvent(self.info, "S", data, self.secure, time.time()))
            case fx.Stream():
                self._out.append(effect.head)
                self._stream = _Streaming(effect, time.time())
                self._pump()
            case fx.Received(raw=raw, sensitive=sensitive):
                self._touch()  # RFC 1939 §3: the autologout timer counts from the last command
                self.tally.commands += 1
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
            case fx.LoggedIn(user=user, mechanism=mechanism):
                if self._login_timer is not None:
                    self._login_timer.cancel()
                    self._login_timer = None
                self.tally.user, self.tally.mechanism = user, mechanism
                self._emit(lambda: SessionEvent(self.info, _kind(effect), _detail(effect), time.time()))
            case fx.LoginFailed():
                self.tally.failed_logins += 1
                if summarizing():  # failed logins are logged as they happen, also without the per-line detail
                    logger.info("[%d] %s login-failed %s", self.info.id, self.info.peer, _detail(effect))
                self._emit(lambda: SessionEvent(self.info, _kind(effect), _detail(effect), time.time()))
            case fx.Committed(deleted=deleted):
                self.tally.deleted = len(deleted)
                self.tally.end = "quit"
                self._emit(lambda: SessionEvent(self.info, _kind(effect), _detail(effect), time.time()))

    # ---- a large message's body, sent piece by piece as the client takes it --------------------------------

    def _pump(self) -> None:
        """Write the body's next pieces while the transport takes them: each write goes out at once or stays in
        the transport's buffer, which calls :meth:`pause_writing` when full; :meth:`resume_writing` goes on."""
        stream, transport = self._stream, self.transport
        if stream is None or transport is None:
            return
        self._flush()  # the status line, and any reply before it
        while not self._write_paused and not transport.is_closing():
            try:
                piece = next(stream.effect.pieces, None)
            except StoreError:
                # The +OK is sent; the message cannot be read further. Ending the connection is the only way
                # to tell the client (without the terminator it cannot take a part for the whole).
                self._end_stream()
                transport.abort()
                return
            if piece is None:
                self._end_stream()
                return
            stream.sent += len(piece)
            transport.write(piece)

    def _end_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        close = getattr(stream.effect.pieces, "close", None)
        if close is not None:
            close()  # the message file, at once
        self.tally.sent += len(stream.effect.head) + stream.sent
        head, more = stream.effect.head, stream.sent
        self._emit(lambda: LineEvent(self.info, "S", head, self.secure, stream.started, more=more))

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
        self.tally.end = "autologout"
        self._emit(lambda: SessionEvent(self.info, "autologout", "", time.time()))
        if self.transport is not None:
            self.transport.abort()

    def _login_timed_out(self) -> None:
        """No login within the pre-login time (counted from accept, in total): the slot goes back."""
        self._login_timer = None
        seconds = self.server.settings.effective_login_timeout
        self.tally.end = "login-timeout"
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


@dataclass
class _Streaming:
    """A streamed reply under way: what was asked, when it began, the body's octets written so far."""

    effect: fx.Stream
    started: float
    sent: int = 0


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
