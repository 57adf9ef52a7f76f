"""The article's session, byte for byte, over the protocol core with either store holding the demo data."""

from __future__ import annotations

from poplab.protocol import effects as fx
from poplab.protocol.server import ServerConnection
from poplab.store.api import ManagedStore
from poplab.store.demo import restore_demo

SESSION = [
    (None, b"+OK example.com POP3-Server\r\n"),
    (b"USER wiki@example.com", b"+OK Please enter password\r\n"),
    (b"PASS passwort_im_klartext", b"+OK mailbox locked and ready\r\n"),
    (b"STAT", b"+OK 1 236\r\n"),
    (b"LIST", b"+OK mailbox has 1 messages (236 octets)\r\n1 236\r\n.\r\n"),
    (
        b"RETR 1",
        b"+OK message follows\r\n"
        b"Date: Mon, 18 Oct 2004 04:11:45 +0200\r\n"
        b"From: Someone <me@example.com>\r\n"
        b"To: wiki@example.com\r\n"
        b"Subject: Test-E-Mail\r\n"
        b"Content-Type: text/plain; charset=us-ascii; format=flowed\r\n"
        b"Content-Transfer-Encoding: 7bit\r\n"
        b"\r\n"
        b"Dies ist eine Test-E-Mail\r\n"
        b".\r\n",
    ),
    (b"DELE 1", b"+OK message marked for delete - will be deleted on QUIT\r\n"),
    (b"QUIT", b"+OK bye\r\n"),
]


def sent(effects: list[fx.Effect]) -> bytes:
    return b"".join(effect.data for effect in effects if isinstance(effect, fx.Send))


def replay(store: ManagedStore) -> None:
    server = ServerConnection(store)
    for command, expected in SESSION:
        effects = server.greeting() if command is None else server.receive_data(command + b"\r\n")
        assert sent(effects) == expected


def test_the_seed_session_replays_exactly_and_reset_brings_it_back(demo: ManagedStore) -> None:
    replay(demo)
    assert demo.stored("wiki@example.com") == {}
    assert not demo.is_locked("wiki@example.com")
    restore_demo(demo)
    replay(demo)


def test_dot_lines_of_the_demo_are_stuffed_on_the_wire(demo: ManagedStore) -> None:
    server = ServerConnection(demo)
    server.greeting()
    server.receive_data(b"USER alice@example.com\r\nPASS wonderland\r\n")
    answer = sent(server.receive_data(b"RETR 3\r\n"))
    assert b"dot:\r\n..\r\nThe next line is two dots:\r\n...\r\n..profile and .bashrc" in answer
    assert b"\r\n....and so does an ellipsis.\r\n.. (a dot and a space)\r\n" in answer
    assert answer.endswith(b"at the right place.\r\n.\r\n")
    server.connection_lost()
    assert not demo.is_locked("alice@example.com")
