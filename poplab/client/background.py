"""One private event loop in a daemon thread, started on first use, so blocking code — scripts, and notebooks
whose own loop is already running — can drive async sessions without ``asyncio.run``."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None


def _background_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _lock:
        if _loop is None:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="poplab-client", daemon=True).start()
            _loop = loop
        return _loop


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on the background loop and wait for its result (never on the caller's loop)."""
    return asyncio.run_coroutine_threadsafe(coroutine, _background_loop()).result()
