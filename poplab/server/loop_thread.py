"""Run an asyncio service (the teaching server, the proxy) in a background thread with its own event loop, from
synchronous code — tests, notebooks, scripts. Nothing starts until :meth:`LoopThread.start`."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Sized
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar

T = TypeVar("T")


class Service(Protocol):
    """What a service run in a loop thread offers."""

    port: int | None

    @property
    def sessions(self) -> Sized: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def subscribe(self, observer: Any) -> Callable[[], None]: ...


S = TypeVar("S", bound=Service)


class LoopThread(Generic[S]):
    """``with LoopThread(service) as running: running.port`` — the port is known once started."""

    thread_name = "poplab-service"

    def __init__(self, service: S) -> None:
        self.service = service
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self.service.port is not None, "not started"
        return self.service.port

    def start(self) -> Self:
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._main, args=(ready,), name=self.thread_name, daemon=True)
        self._thread.start()
        ready.result(timeout=30)
        return self

    def _main(self, ready: concurrent.futures.Future[None]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self.service.start())
        except BaseException as problem:
            ready.set_exception(problem)
            loop.close()
            return
        ready.set_result(None)
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self.service.stop())
            _cancel_remaining(loop)
            loop.close()

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` in the service's loop thread and return its result."""
        assert self._loop is not None
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(function())
            except Exception as problem:
                future.set_exception(problem)

        self._loop.call_soon_threadsafe(run)
        return future.result(timeout=30)

    def subscribe(self, observer: Any) -> Callable[[], None]:
        """Observers are called in the service's thread."""
        return self.call(lambda: self.service.subscribe(observer))

    def session_count(self) -> int:
        return self.call(lambda: len(self.service.sessions))

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def _cancel_remaining(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what is still running (a TLS handshake cut off by the stop) and let it finish cancelling."""
    remaining = asyncio.all_tasks(loop)
    for task in remaining:
        task.cancel()

    async def settle() -> None:
        await asyncio.gather(*remaining, return_exceptions=True)

    loop.run_until_complete(settle())
