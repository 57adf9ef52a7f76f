"""Run the teaching server in a background thread with its own event loop, from synchronous code (tests,
notebooks, the tutor). Nothing starts until :meth:`ServerThread.start`."""

from __future__ import annotations

from poplab.protocol.seams import AccountStore
from poplab.server.app import PopServer
from poplab.server.loop_thread import LoopThread
from poplab.server.settings import ServerSettings


class ServerThread(LoopThread[PopServer]):
    """``with ServerThread(store, settings) as server: server.port`` — ports are known once started."""

    thread_name = "poplab-server"

    def __init__(self, store: AccountStore, settings: ServerSettings | None = None) -> None:
        super().__init__(PopServer(store, settings))

    @property
    def server(self) -> PopServer:
        return self.service

    @property
    def tls_port(self) -> int | None:
        return self.service.tls_port
