"""Over real sockets: pipelined password guesses are slowed down and cut off, and a client that pipelines many
large RETRs without reading holds its own commands back — the server's buffers stay bounded, and every reply
still arrives intact once it reads."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from poplab.protocol.config import ServerConfig
from poplab.protocol.seams import Account
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore

MESSAGE = b"Subject: large\n\n" + (b"z" * 98 + b"\n") * 10_000  # 1 MB on the wire


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    store.add_account(Account("u", "p"), [MESSAGE])
    return store


@pytest.fixture
def server(store: MemoryStore) -> Iterator[ServerThread]:
    settings = ServerSettings(port=0, tls_port=None, protocol=ServerConfig(failed_login_delay=0.05))
    with ServerThread(store, settings) as running:
        yield running


def read_all(sock: socket.socket) -> bytes:
    data = bytearray()  # not bytes: 30 MB gathered by += on bytes is quadratic (it took 20 s)
    while chunk := sock.recv(1 << 16):
        data += chunk
    return bytes(data)


def test_pipelined_guesses_are_cut_off_and_delete_nothing(server: ServerThread, store: MemoryStore) -> None:
    guesses = b"USER u\r\nPASS wrong\r\n" * 200 + b"USER u\r\nPASS p\r\nDELE 1\r\nQUIT\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(guesses)
        replies = read_all(sock)
    assert replies.count(b"-ERR [AUTH]") == 5
    assert replies.endswith(b"too many failed logins, closing connection\r\n")
    assert len(store.stored("u")) == 1


def test_a_client_that_does_not_read_holds_its_own_commands_back(server: ServerThread) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)
        sock.sendall(b"USER u\r\nPASS p\r\n" + b"RETR 1\r\n" * 30 + b"QUIT\r\n")
        time.sleep(0.5)  # the server writes until the socket is full, then waits
        pending = server.call(lambda: [session.pending_output() for session in server.server.sessions])
        assert 0 < max(pending) < 4 * len(MESSAGE)  # not 30 MB
        replies = read_all(sock)
    assert replies.count(b"+OK message follows\r\n") == 30
    assert replies.endswith(b"+OK bye\r\n")
