"""Live capture for ``poplab serve --capture DIR``: every accepted connection's socket is wrapped so that what
the server really reads and writes — TLS records still encrypted — goes into one pcap file per session, packet
by packet as it happens. With :func:`keylog_path` set as the TLS context's ``keylog_filename``, Python's ssl module
writes the session keys in the ``SSLKEYLOGFILE`` format, and Wireshark decrypts STLS and implicit-TLS sessions."""

from __future__ import annotations

import itertools
import logging
import os
import socket
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from poplab.capture.tcp_flow import Endpoint, PcapSink, TcpFlow

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

KEYLOG = "sslkeys.log"
logger = logging.getLogger("poplab.capture")


def keylog_path(folder: Path) -> Path:
    return folder / KEYLOG


class CaptureFolder:
    """Where the pcap files go (created private: a capture holds passwords): one file per session, numbered."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(self.keylog, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))  # private before ssl writes
        self._numbers = itertools.count(1)

    @property
    def keylog(self) -> Path:
        return keylog_path(self.folder)

    def tap(self, conn: socket.socket) -> socket.socket:
        """Wrap an accepted socket; the session's pcap file is opened now, with the TCP handshake in it. If that
        fails (a full disk, a peer already gone), the session goes on uncaptured and the log says why."""
        try:
            client, server = _endpoint(conn.getpeername()), _endpoint(conn.getsockname())
            name = f"session-{next(self._numbers):04d}-{client.host.replace(':', '_')}-{client.port}.pcap"
            descriptor = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as problem:
            logger.warning("capture: session not captured: %s", problem.strerror or problem)
            return conn
        stream = os.fdopen(descriptor, "wb")
        flow = TcpFlow(PcapSink(stream), client, server)
        flow.handshake(time.time())
        return TapSocket(conn, flow, stream)


def _endpoint(address: Any) -> Endpoint:
    return Endpoint(str(address[0]), int(address[1]))


class TapSocket(socket.socket):
    """The accepted socket itself (same file descriptor), reporting each recv and send to its :class:`TcpFlow`."""

    def __init__(self, conn: socket.socket, flow: TcpFlow, stream: Any) -> None:
        super().__init__(conn.family, conn.type, conn.proto, fileno=conn.detach())
        self.setblocking(False)
        self.flow = flow
        self.stream = stream

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        data = super().recv(bufsize, flags)
        self._read(data)
        return data

    def recv_into(self, buffer: WriteableBuffer, nbytes: int = 0, flags: int = 0) -> int:
        count = super().recv_into(buffer, nbytes, flags)
        self._read(bytes(memoryview(buffer)[:count]))
        return count

    def send(self, data: ReadableBuffer, flags: int = 0) -> int:
        count = super().send(data, flags)
        self._wrote(bytes(memoryview(data)[:count]))
        return count

    def sendmsg(self, buffers: Iterable[ReadableBuffer], *args: Any) -> int:
        parts = [bytes(buffer) for buffer in buffers]
        count = super().sendmsg(parts, *args)
        self._wrote(b"".join(parts)[:count])
        return count

    def shutdown(self, how: int) -> None:
        super().shutdown(how)
        if how in (socket.SHUT_WR, socket.SHUT_RDWR):
            self._finish("S")

    def close(self) -> None:
        self._finish("S")
        self._finish("C")
        if not self.stream.closed:
            self.stream.close()
        super().close()

    def _read(self, data: bytes) -> None:
        if self.stream.closed:
            return
        if data:
            self.flow.data("C", data, time.time())
        else:
            self._finish("C")

    def _wrote(self, data: bytes) -> None:
        if data and not self.stream.closed:
            self.flow.data("S", data, time.time())

    def _finish(self, side: str) -> None:
        if not self.stream.closed:
            self.flow.close("C" if side == "C" else "S", time.time())
