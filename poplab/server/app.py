"""The teaching server: its listeners (plain with STLS, implicit TLS), the set of live sessions, the
connection limits (in total and per client address, counted from accept), the failed-login throttle and the
observers that see every line."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import socket
from collections import Counter
from collections.abc import Callable

from poplab.protocol.holding import LoginGate
from poplab.protocol.seams import AccountStore
from poplab.server.events import Observer, ServerEvent, line_logger, log_event, logger
from poplab.server.listening import FD_RESERVE, Listener, address_slot, open_sockets, raise_fd_limit
from poplab.server.session import PopSession
from poplab.server.settings import ServerSettings
from poplab.server.throttle import Throttle

TOO_MANY = b"-ERR [SYS/TEMP] too many connections, try again later\r\n"
TOO_MANY_FROM_YOU = b"-ERR [SYS/TEMP] too many connections from your address, try again later\r\n"


class PopServer:
    """Owns the listeners and sessions; runs inside one asyncio loop (see :mod:`poplab.server.runner` for a
    thread that runs it from synchronous code)."""

    def __init__(self, store: AccountStore, settings: ServerSettings | None = None) -> None:
        self.store = store
        self.settings = settings or ServerSettings()
        self.sessions: set[PopSession] = set()
        self.per_address: Counter[str] = Counter()
        self.observers: list[Observer] = []
        self.refused = 0
        """Connections refused by a connection limit since the start."""
        self.max_connections = self.settings.max_connections
        self._ids = itertools.count(1)
        self._listeners: list[Listener] = []
        self._attaching: set[asyncio.Task[None]] = set()
        throttle = self.settings.effective_throttle
        self.throttle = Throttle(throttle) if throttle is not None else None
        self.port: int | None = None
        self.tls_port: int | None = None
        self.tap: Callable[[socket.socket], socket.socket] | None = None
        """Wraps each accepted socket to see what is read and written (``poplab serve --capture``)."""

    @property
    def listened(self) -> bool:
        """Whether anyone takes line and session events: an observer, or the per-line log."""
        return bool(self.observers) or line_logger.isEnabledFor(logging.INFO)

    async def start(self) -> None:
        settings = self.settings
        if settings.raise_fd_limit:
            self._fit_fd_limit(raise_fd_limit())
        plain = await self._listen(settings.port, implicit_tls=False)
        self.port = plain[0].port
        if settings.tls is not None and settings.tls_port is not None:
            secure = await self._listen(settings.tls_port, implicit_tls=True)
            self.tls_port = secure[0].port

    async def _listen(self, port: int, implicit_tls: bool) -> list[Listener]:
        listeners = [
            Listener(sock, lambda conn, peer: self.accepted(conn, peer, implicit_tls))
            for sock in await open_sockets(self.settings.host, port)
        ]
        self._listeners += listeners
        return listeners

    def _fit_fd_limit(self, soft: int) -> None:
        if soft - FD_RESERVE < self.max_connections:
            self.max_connections = max(1, soft - FD_RESERVE)
            logger.warning("at most %d connections: the process may open %d files", self.max_connections, soft)

    async def stop(self) -> None:
        """Stop listening and cut every session; sessions cut off delete nothing."""
        for listener in self._listeners:
            listener.close()
        self._listeners.clear()
        for session in list(self.sessions):
            session.shutdown()
        for task in list(self._attaching):
            task.cancel()
        await asyncio.sleep(0)  # let the transports see their abort

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer`` for every line and session event; returns a function that unsubscribes."""
        self.observers.append(observer)
        return lambda: self.observers.remove(observer)

    # ---- accepting: counted from here, before any TLS handshake ------------------------------------------

    def accepted(self, conn: socket.socket, peer: tuple[str, int], implicit_tls: bool) -> None:
        slot = address_slot(str(peer[0]))
        if len(self.sessions) >= self.max_connections or self.per_address[slot] >= self.settings.max_per_address:
            self._refuse(
                conn, implicit_tls, TOO_MANY if len(self.sessions) >= self.max_connections else TOO_MANY_FROM_YOU
            )
            return
        conn.setblocking(False)
        if self.tap is not None:
            conn = self.tap(conn)
        session = PopSession(self, implicit_tls, (str(peer[0]), int(peer[1])), slot)
        self.sessions.add(session)
        self.per_address[slot] += 1
        task = asyncio.get_running_loop().create_task(self._attach(session, conn))
        self._attaching.add(task)
        task.add_done_callback(self._attaching.discard)

    async def _attach(self, session: PopSession, conn: socket.socket) -> None:
        try:
            await asyncio.get_running_loop().connect_accepted_socket(lambda: session, conn)
        except (OSError, asyncio.CancelledError):
            conn.close()
            self.forget(session)

    def _refuse(self, conn: socket.socket, implicit_tls: bool, reply: bytes) -> None:
        """Over a limit: say so where the client can read it (not on the TLS port) and close at once."""
        self.refused += 1
        if not implicit_tls:
            with contextlib.suppress(OSError):  # a full socket buffer: the close says enough
                conn.send(reply)
        conn.close()

    # ---- called by sessions -----------------------------------------------------------------------------

    def next_session_id(self) -> int:
        return next(self._ids)

    def login_gate(self, slot: str) -> LoginGate | None:
        return self.throttle.gate(slot) if self.throttle is not None else None

    def forget(self, session: PopSession) -> None:
        if session in self.sessions:
            self.sessions.discard(session)
            self.per_address[session.slot] -= 1
            if self.per_address[session.slot] <= 0:
                del self.per_address[session.slot]

    def publish(self, event: ServerEvent) -> None:
        log_event(event)
        for observer in list(self.observers):
            try:
                observer(event)
            except Exception:
                logger.exception("observer failed; the session goes on")
