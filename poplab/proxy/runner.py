"""Run the proxy in a background thread with its own event loop, from synchronous code (tests, notebooks).
Nothing starts until :meth:`ProxyThread.start`."""

from __future__ import annotations

from poplab.proxy.app import ProxyServer
from poplab.proxy.settings import ProxySettings
from poplab.server.loop_thread import LoopThread


class ProxyThread(LoopThread[ProxyServer]):
    """``with ProxyThread(settings) as proxy: proxy.port`` — the port is known once started."""

    thread_name = "poplab-proxy"

    def __init__(self, settings: ProxySettings) -> None:
        super().__init__(ProxyServer(settings))

    @property
    def proxy(self) -> ProxyServer:
        return self.service
