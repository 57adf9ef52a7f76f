"""Running the lab's SMTP server: :class:`SmtpServer` listens inside a running asyncio loop (``poplab serve``
runs it beside the POP3 server), :class:`SmtpThread` runs it in a thread of its own with aiosmtpd's
``Controller`` (tests, notebooks, ``poplab talk --smtp``, the tutor)."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from typing import Any, Self

from aiosmtpd.controller import Controller

from poplab.smtp.events import SmtpEvent, SmtpObserver, log_event, logger
from poplab.smtp.handler import LabHandler, LoginLimiter
from poplab.smtp.recording import RecordingSMTP, Refusal
from poplab.smtp.settings import SmtpSettings
from poplab.store.api import ManagedStore
from poplab.transcript import TranscriptLine

IDENT = "ESMTP poplab teaching server"
"""The greeting after ``220 hostname``."""


class SmtpServer:
    """The lab's SMTP server over one store; ``await start()`` in a running loop, ``port`` is known after."""

    def __init__(
        self, store: ManagedStore, settings: SmtpSettings | None = None, limiter: LoginLimiter | None = None
    ) -> None:
        self.settings = settings or SmtpSettings()
        self.handler = LabHandler(store, self.settings, limiter=limiter)
        self.sessions: set[RecordingSMTP] = set()
        self.observers: list[SmtpObserver] = []
        self.refused = 0
        self.port: int | None = None
        self.unlisted = 0
        """Connections still to come that are neither logged nor observed (aiosmtpd's start-up probe)."""
        self._ids = itertools.count(1)
        self._server: asyncio.Server | None = None

    def protocol(self) -> asyncio.BaseProtocol:
        """A protocol for one accepted connection: aiosmtpd's SMTP (recorded), or a 421 over the limit."""
        if len(self.sessions) >= self.settings.max_connections:
            self.refused += 1
            return Refusal()
        quiet = self.unlisted > 0
        self.unlisted = max(0, self.unlisted - 1)
        listened = not quiet and (bool(self.observers) or logger.isEnabledFor(logging.INFO))
        return RecordingSMTP(self, 0 if quiet else next(self._ids), listened, **self.smtp_options())

    def smtp_options(self) -> dict[str, Any]:
        """aiosmtpd's own STARTTLS, AUTH, size and time limits, as the settings say."""
        settings = self.settings
        return {
            "hostname": settings.hostname,
            "ident": IDENT,
            "tls_context": settings.tls,
            "data_size_limit": settings.max_message_size,
            "enable_SMTPUTF8": True,
            "timeout": settings.timeout,
            "auth_require_tls": False,  # per peer instead: LabHandler.handle_AUTH (clear text on loopback only)
            "auth_exclude_mechanism": [],
            "authenticator": self.handler.authenticate,
            "command_call_limit": settings.command_limit,
        }

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self.protocol, self.settings.host, self.settings.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and cut every session (a message not finished with its dot is not delivered)."""
        if self._server is not None:
            self._server.close()
        for session in list(self.sessions):
            session.close()
        await asyncio.sleep(0)
        self._server = None

    def subscribe(self, observer: SmtpObserver) -> Callable[[], None]:
        """Call ``observer`` for every session event (in the server's loop); returns a function that unsubscribes."""
        self.observers.append(observer)
        return lambda: self.observers.remove(observer)

    # ---- called by the sessions ---------------------------------------------------------------------------

    def opened(self, session: RecordingSMTP) -> None:
        self.sessions.add(session)
        if session.listened:
            self.publish(SmtpEvent(session.number, session.peer, "opened"))

    def line(self, session: RecordingSMTP, line: TranscriptLine, secret: bool) -> None:
        self.publish(SmtpEvent(session.number, session.peer, "line", line, secret))

    def closed(self, session: RecordingSMTP) -> None:
        self.sessions.discard(session)
        if session.listened:
            self.publish(SmtpEvent(session.number, session.peer, "closed"))

    def publish(self, event: SmtpEvent) -> None:
        log_event(event)
        for observer in list(self.observers):
            try:
                observer(event)
            except Exception:
                logger.exception("SMTP observer failed; the session goes on")


class SmtpThread(Controller):
    """``with SmtpThread(store, settings) as smtp: smtp.port`` — aiosmtpd's ``Controller`` running
    :class:`SmtpServer`'s protocol in its own thread and loop; ``port=0`` in the settings picks a free port."""

    def __init__(
        self, store: ManagedStore, settings: SmtpSettings | None = None, limiter: LoginLimiter | None = None
    ) -> None:
        self.lab = SmtpServer(store, settings, limiter)
        super().__init__(self.lab.handler, hostname=self.lab.settings.host, port=self.lab.settings.port)

    def factory(self) -> Any:
        return self.lab.protocol()

    def _trigger_server(self) -> None:
        # The Controller probes its new server once; with port 0 it must first learn which port it got.
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        self.lab.port = self.port
        self.lab.unlisted += 1
        super()._trigger_server()  # type: ignore[no-untyped-call]  # aiosmtpd leaves it unannotated

    def start(self) -> Self:  # type: ignore[override]
        super().start()
        return self

    def stop(self, no_assert: bool = False) -> None:
        if self._thread is not None:
            self.loop.call_soon_threadsafe(self._cut_sessions)
        super().stop(no_assert)

    def _cut_sessions(self) -> None:
        for session in list(self.lab.sessions):
            session.close()

    def subscribe(self, observer: SmtpObserver) -> Callable[[], None]:
        """Observers are called in the SMTP thread."""
        return self.lab.subscribe(observer)

    def __enter__(self) -> Self:
        return self if self._thread is not None else self.start()  # lab_smtp() hands it over started

    def __exit__(self, *exc: object) -> None:
        self.stop()
