"""One client's flood of pipelined commands does not stall the other sessions: each connection handles a bounded
number of commands per turn of the event loop, so another session's NOOP is answered within a few turns, not after
the whole chunk of the flood that happened to be read (issue 13: 200,000 pipelined USER lines held every other
session for seconds)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from poplab.protocol.config import ServerConfig
from poplab.protocol.limits import MAX_COMMANDS_PER_TURN
from poplab.server.events import LineEvent, ServerEvent, SessionEvent
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore

FLOOD = 40_000  # 320 KB: more than the 256 KiB a single read delivers
NOOPS = 5


@pytest.fixture
def server() -> Iterator[ServerThread]:
    settings = ServerSettings(port=0, tls_port=None, protocol=ServerConfig(failed_login_delay=0))
    with ServerThread(MemoryStore.with_demo(), settings) as running:
        yield running


def lines(sock: socket.socket, count: int) -> bytes:
    data = b""
    while data.count(b"\r\n") < count:
        data += sock.recv(100)
    return data


def reader(sock: socket.socket, received: list[int]) -> None:
    while chunk := sock.recv(1 << 16):
        received[0] += len(chunk)


def test_a_flood_of_pipelined_commands_does_not_stall_another_session(server: ServerThread) -> None:
    flood_replies = [0]
    opened: list[int] = []

    def count(event: ServerEvent) -> None:  # in the server's thread, in the order things happen there
        if isinstance(event, SessionEvent) and event.kind == "opened":
            opened.append(event.session.id)
        elif isinstance(event, LineEvent) and event.direction == "S" and event.session.id == opened[-1]:
            flood_replies[0] += 1

    server.subscribe(count)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as other:
        other.sendall(b"USER wiki@example.com\r\nPASS passwort_im_klartext\r\n")
        assert lines(other, 3).endswith(b"+OK mailbox locked and ready\r\n")
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as flood:
            assert flood.recv(100).startswith(b"+OK")  # the greeting: the flood's session is the last opened
            received = [0]
            draining = threading.Thread(target=reader, args=(flood, received), daemon=True)
            draining.start()
            sending = threading.Thread(target=flood.sendall, args=(b"USER x\r\n" * FLOOD,), daemon=True)
            sending.start()
            deadline = time.monotonic() + 30
            while flood_replies[0] < 2 * MAX_COMMANDS_PER_TURN and time.monotonic() < deadline:
                time.sleep(0.001)
            waited = []
            for _ in range(NOOPS):
                before = flood_replies[0]
                other.sendall(b"NOOP\r\n")
                assert lines(other, 1) == b"+OK\r\n"
                waited.append(flood_replies[0] - before)
            finished_flood = flood_replies[0] >= FLOOD
            sending.join(30)
            flood.shutdown(socket.SHUT_WR)
            draining.join(30)
    assert not finished_flood, "the other session's NOOPs waited for the whole flood"
    # Replies the flood got while a NOOP waited: a few turns of 64 commands, where it was a whole read's chunk
    # (some 30,000 commands) before. Generous bound: the test thread itself waits for the GIL between the steps.
    assert max(waited) < 5_000, waited
    assert received[0] == FLOOD * len(b"+OK Please enter password\r\n")
