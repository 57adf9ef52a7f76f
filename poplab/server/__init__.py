"""The asyncio adapter around the sans-IO core: listeners (plain with STLS, implicit TLS), one protocol object
per connection, timeouts, limits, certificates, and a thread runner for tests and notebooks."""

from __future__ import annotations

from poplab.server.app import PopServer
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings

__all__ = ["PopServer", "ServerSettings", "ServerThread"]
