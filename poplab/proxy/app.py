"""The proxy: one listener for the learner's clients (plain, or implicit TLS with the lab's certificate), one
:class:`~poplab.proxy.relay.ProxySession` per client, and the observers that see every proxied line. It runs in
one asyncio loop; every session is independent, so a slow or broken server holds up only its own session."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable

from poplab.proxy.events import Observer, ProxyEvent
from poplab.proxy.relay import ProxySession
from poplab.proxy.settings import ProxySettings

logger = logging.getLogger("poplab.proxy")


class ProxyServer:
    def __init__(self, settings: ProxySettings) -> None:
        self.settings = settings
        self.sessions: set[ProxySession] = set()
        self.observers: list[Observer] = []
        self._numbers = itertools.count(1)
        self._server: asyncio.Server | None = None
        self.port: int | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._new_session, self.settings.host, self.settings.port, ssl=self.settings.client_tls
        )
        self.port = self._server.sockets[0].getsockname()[1]

    def _new_session(self) -> asyncio.Protocol:
        session = ProxySession(self, next(self._numbers))
        self.sessions.add(session)
        return session.client

    async def stop(self) -> None:
        """Stop listening and cut every proxied session."""
        if self._server is not None:
            self._server.close()
        tasks = [task for session in list(self.sessions) for task in session.shutdown()]
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer`` (in the proxy's loop) for every event; returns a function that unsubscribes."""
        self.observers.append(observer)
        return lambda: self.observers.remove(observer)

    def publish(self, event: ProxyEvent) -> None:
        for observer in list(self.observers):
            try:
                observer(event)
            except Exception:
                logger.exception("proxy observer failed; the session goes on")

    def forget(self, session: ProxySession) -> None:
        self.sessions.discard(session)
