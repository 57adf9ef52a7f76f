"""PROTOCOL.md §1: the seed article's session replays byte for byte."""

from __future__ import annotations

from poplab.protocol import effects as fx
from poplab.protocol.states import State
from tests.protocol.wire import SEED_MESSAGE, SEED_PASSWORD, SEED_USER, Wire

SEED_SESSION = [
    (b"USER wiki@example.com\r\n", b"+OK Please enter password\r\n"),
    (b"PASS passwort_im_klartext\r\n", b"+OK mailbox locked and ready\r\n"),
    (b"STAT\r\n", b"+OK 1 236\r\n"),
    (b"LIST\r\n", b"+OK mailbox has 1 messages (236 octets)\r\n1 236\r\n.\r\n"),
    (
        b"RETR 1\r\n",
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
    (b"DELE 1\r\n", b"+OK message marked for delete - will be deleted on QUIT\r\n"),
    (b"QUIT\r\n", b"+OK bye\r\n"),
]


def test_seed_message_is_236_octets() -> None:
    assert len(SEED_MESSAGE) == 236
    assert SEED_USER == "wiki@example.com" and SEED_PASSWORD == "passwort_im_klartext"


def test_seed_session_byte_for_byte() -> None:
    wire = Wire()
    assert wire.greeting == b"+OK example.com POP3-Server\r\n"
    for sent, expected in SEED_SESSION:
        assert wire.send(sent).data == expected
    assert wire.states == (State.UPDATE, State.UPDATE)
    assert wire.store.stored(SEED_USER) == {}
    assert not wire.store.is_locked(SEED_USER)


def test_seed_session_effects() -> None:
    wire = Wire()
    effects = [effect for sent, _ in SEED_SESSION for effect in wire.send(sent).effects]
    [uid] = [e.deleted for e in effects if isinstance(e, fx.Committed)]
    assert [e for e in effects if not isinstance(e, (fx.Received, fx.Send))] == [
        fx.LoggedIn(SEED_USER, "USER/PASS"),
        fx.Committed(SEED_USER, uid),
        fx.Close(),
    ]
    assert len(uid) == 1
    assert [e.raw for e in effects if isinstance(e, fx.Received)] == [sent for sent, _ in SEED_SESSION]


def test_seed_session_in_one_packet_gives_the_same_bytes() -> None:
    wire = Wire()
    assert wire.send(b"".join(sent for sent, _ in SEED_SESSION)).data == b"".join(exp for _, exp in SEED_SESSION)


def test_seed_replies_as_the_client_tracker_sees_them() -> None:
    wire = Wire()
    assert wire.greeting_reply.ok is True and wire.greeting_reply.text == "example.com POP3-Server"
    states = []
    for sent, _ in SEED_SESSION:
        reply = wire.send(sent).reply
        states.append((reply.command.verb if reply.command else None, reply.state_before, reply.state_after))
        if reply.command and reply.command.verb == "RETR":
            assert reply.body == SEED_MESSAGE
    A, T, U = State.AUTHORIZATION, State.TRANSACTION, State.UPDATE
    assert states == [
        ("USER", A, A),
        ("PASS", A, T),
        ("STAT", T, T),
        ("LIST", T, T),
        ("RETR", T, T),
        ("DELE", T, T),
        ("QUIT", T, U),
    ]
    assert wire.client.closed
