"""Run the teaching server in a background thread with its own event loop, from synchronous code (tests,
notebooks, the tutor). Nothing starts until :meth:`ServerThread.start`."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from poplab.protocol.seams import AccountStore
from poplab.server.app import PopServer
from poplab.server.events import Observer
from poplab.server.settings import ServerSettings

T = TypeVar("T")


class ServerThread:
    """``with ServerThread(store, settings) as server: server.port`` — ports are known once started."""

    def __init__(self, store: AccountStore, settings: ServerSettings | None = None) -> None:
        self.server = PopServer(store, settings)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self.server.port is not None, "server not started"
        return self.server.port

    @property
    def tls_port(self) -> int | None:
        return self.server.tls_port

    def start(self) -> ServerThread:
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._main, args=(ready,), name="poplab-server", daemon=True)
        self._thread.start()
        ready.result(timeout=30)
        return self

    def _main(self, ready: concurrent.futures.Future[None]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self.server.start())
        except BaseException as problem:
            ready.set_exception(problem)
            loop.close()
            return
        ready.set_result(None)
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self.server.stop())
            loop.close()

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` in the server's loop thread and return its result."""
        assert self._loop is not None
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(function())
            except Exception as problem:
                future.set_exception(problem)

        self._loop.call_soon_threadsafe(run)
        return future.result(timeout=30)

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Observers are called in the server's thread."""
        return self.call(lambda: self.server.subscribe(observer))

    def session_count(self) -> int:
        return self.call(lambda: len(self.server.sessions))

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop = None

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
