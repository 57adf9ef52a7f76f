"""Run the proxy in a background thread with its own event loop, from synchronous code (tests, notebooks).
Nothing starts until :meth:`ProxyThread.start`."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from poplab.proxy.app import ProxyServer
from poplab.proxy.events import Observer
from poplab.proxy.settings import ProxySettings

T = TypeVar("T")


class ProxyThread:
    """``with ProxyThread(settings) as proxy: proxy.port`` — the port is known once started."""

    def __init__(self, settings: ProxySettings) -> None:
        self.proxy = ProxyServer(settings)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self.proxy.port is not None, "proxy not started"
        return self.proxy.port

    def start(self) -> ProxyThread:
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._main, args=(ready,), name="poplab-proxy", daemon=True)
        self._thread.start()
        ready.result(timeout=30)
        return self

    def _main(self, ready: concurrent.futures.Future[None]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self.proxy.start())
        except BaseException as problem:
            ready.set_exception(problem)
            loop.close()
            return
        ready.set_result(None)
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self.proxy.stop())
            loop.close()

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` in the proxy's loop thread and return its result."""
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
        """Observers are called in the proxy's thread."""
        return self.call(lambda: self.proxy.subscribe(observer))

    def session_count(self) -> int:
        return self.call(lambda: len(self.proxy.sessions))

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop = None

    def __enter__(self) -> ProxyThread:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
