"""Helpers for proxy tests: what the teaching server saw, what the proxy reported, and a proxy in a thread."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from poplab.protocol.config import ServerConfig
from poplab.proxy import ProxyThread
from poplab.proxy.events import Note, ProxyEvent, Relayed, SessionEnded
from poplab.server.certs import CertificateFiles, server_context
from poplab.server.events import LineEvent, ServerEvent
from poplab.server.settings import ServerSettings
from poplab.transcript import Transcript


def server_settings(certificate: CertificateFiles, **protocol: object) -> ServerSettings:
    config = ServerConfig(tls_available=True, failed_login_delay=0.05, **protocol)  # type: ignore[arg-type]
    return ServerSettings(port=0, tls_port=0, tls=server_context(certificate), protocol=config)


@dataclass
class Seen:
    """What the teaching server saw: every line event, in order (observers run in the server's thread)."""

    events: list[LineEvent] = field(default_factory=list)

    def __call__(self, event: ServerEvent) -> None:
        if isinstance(event, LineEvent):
            self.events.append(event)

    def sent(self, direction: str) -> bytes:
        return b"".join(event.raw for event in list(self.events) if event.direction == direction)


class Recorder:
    """Every proxy event, thread-safe; waits for sessions to end."""

    def __init__(self) -> None:
        self.events: list[ProxyEvent] = []
        self._changed = threading.Condition()

    def __call__(self, event: ProxyEvent) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def ended(self, count: int = 1, timeout: float = 10.0) -> list[Transcript]:
        """The transcripts of the first ``count`` sessions to end, waiting for them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._transcripts()) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"only {len(self._transcripts())} of {count} proxied sessions ended"
                self._changed.wait(left)
            return self._transcripts()[:count]

    def _transcripts(self) -> list[Transcript]:
        return [event.transcript for event in self.events if isinstance(event, SessionEnded)]

    def notes(self) -> list[str]:
        return [event.message for event in list(self.events) if isinstance(event, Note)]

    def relayed(self) -> list[Relayed]:
        return [event for event in list(self.events) if isinstance(event, Relayed)]


@dataclass
class Proxied:
    proxy: ProxyThread
    recorder: Recorder

    @property
    def port(self) -> int:
        return self.proxy.port


MakeProxy = Callable[..., Proxied]


class Raw:
    """A client that sends exact bytes and reads exact lines (a socket with a timeout)."""

    def __init__(self, port: int, context: ssl.SSLContext | None = None) -> None:
        plain = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock: socket.socket = context.wrap_socket(plain, server_hostname="localhost") if context else plain
        self.buffer = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def line(self) -> bytes:
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError(f"closed; left over: {self.buffer!r}")
            self.buffer += chunk
        end = self.buffer.index(b"\n") + 1
        line, self.buffer = self.buffer[:end], self.buffer[end:]
        return line

    def lines(self, count: int) -> list[bytes]:
        return [self.line() for _ in range(count)]

    def until_dot(self) -> list[bytes]:
        """The lines of a multi-line reply, status line and final dot included."""
        lines = [self.line()]
        while lines[-1] != b".\r\n":
            lines.append(self.line())
        return lines

    def rest(self) -> bytes:
        """Everything until the other side closes."""
        data = self.buffer
        while chunk := self.sock.recv(65536):
            data += chunk
        self.buffer = b""
        return data

    def starttls(self, context: ssl.SSLContext) -> None:
        assert not self.buffer
        self.sock = context.wrap_socket(self.sock, server_hostname="localhost")

    def close(self) -> None:
        self.sock.close()


Behaviour = Callable[[socket.socket, int], None]


class FakeUpstream:
    """A scripted "POP3 server" on a free port: each connection runs ``behave(connection, number)`` in a thread
    (number 1, 2, ...); the listener and every connection are closed by :meth:`close`."""

    def __init__(self, behave: Behaviour) -> None:
        self.behave = behave
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.release = threading.Event()
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        number = 0
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            number += 1
            self.connections.append(connection)
            threading.Thread(target=self._run, args=(connection, number), daemon=True).start()

    def _run(self, connection: socket.socket, number: int) -> None:
        try:
            self.behave(connection, number)
        except OSError:
            pass  # the proxy went away first: that is what some tests do
        finally:
            connection.close()

    def close(self) -> None:
        self.release.set()
        self.listener.close()
        for connection in self.connections:
            connection.close()


def forward(connection: socket.socket, port: int) -> None:
    """Relay a connection to the real server on ``port`` until either side closes."""
    upstream = socket.create_connection(("127.0.0.1", port), timeout=10)

    def pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
            target.shutdown(socket.SHUT_WR)
        except OSError:
            return

    back = threading.Thread(target=pump, args=(upstream, connection), daemon=True)
    back.start()
    pump(connection, upstream)
    back.join(10)
    upstream.close()


def free_port() -> int:
    """A port on which nothing listens (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
