"""The teaching server: its listeners (plain with STLS, implicit TLS), the set of live sessions, the
connection limit and the observers that see every line."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable

from poplab.protocol.seams import AccountStore
from poplab.server.events import Observer, ServerEvent, log_event, logger
from poplab.server.session import PopSession
from poplab.server.settings import ServerSettings


class PopServer:
    """Owns the listeners and sessions; runs inside one asyncio loop (see :mod:`poplab.server.runner` for a
    thread that runs it from synchronous code)."""

    def __init__(self, store: AccountStore, settings: ServerSettings | None = None) -> None:
        self.store = store
        self.settings = settings or ServerSettings()
        self.sessions: set[PopSession] = set()
        self.observers: list[Observer] = []
        self._ids = itertools.count(1)
        self._servers: list[asyncio.Server] = []
        self.port: int | None = None
        self.tls_port: int | None = None

    @property
    def listened(self) -> bool:
        return bool(self.observers) or logger.isEnabledFor(logging.INFO)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        settings = self.settings
        plain = await loop.create_server(lambda: PopSession(self, False), settings.host, settings.port)
        self._servers.append(plain)
        self.port = plain.sockets[0].getsockname()[1]
        if settings.tls is not None and settings.tls_port is not None:
            secure = await loop.create_server(
                lambda: PopSession(self, True), settings.host, settings.tls_port, ssl=settings.tls
            )
            self._servers.append(secure)
            self.tls_port = secure.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and cut every session; sessions cut off delete nothing."""
        for server in self._servers:
            server.close()
        for session in list(self.sessions):
            session.shutdown()
        for server in self._servers:
            await server.wait_closed()
        self._servers.clear()

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer`` for every line and session event; returns a function that unsubscribes."""
        self.observers.append(observer)
        return lambda: self.observers.remove(observer)

    # ---- called by sessions -----------------------------------------------------------------------------

    def next_session_id(self) -> int:
        return next(self._ids)

    def admit(self, session: PopSession) -> bool:
        if len(self.sessions) >= self.settings.max_connections:
            return False
        self.sessions.add(session)
        return True

    def forget(self, session: PopSession) -> None:
        self.sessions.discard(session)

    def publish(self, event: ServerEvent) -> None:
        log_event(event)
        for observer in list(self.observers):
            try:
                observer(event)
            except Exception:
                logger.exception("observer failed; the session goes on")
