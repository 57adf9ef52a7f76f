"""The client-side tracker: reply splitting, multi-line detection from the table, states, SASL, greeting."""

from __future__ import annotations

import pytest

from poplab.protocol.client import ClientConnection
from poplab.protocol.config import ServerConfig
from poplab.protocol.states import State
from tests.protocol.wire import ALICE_WIRE, Wire, logged_in, sent_bytes

A, T, U = State.AUTHORIZATION, State.TRANSACTION, State.UPDATE


def test_the_greeting() -> None:
    wire = Wire(config=ServerConfig(apop=True), token="<1.2@host>")
    greeting = wire.greeting_reply
    assert greeting.command is None
    assert greeting.status_line == b"+OK example.com POP3-Server <1.2@host>\r\n"
    assert greeting.ok is True
    assert greeting.text == "example.com POP3-Server <1.2@host>"
    assert greeting.body is None and greeting.body_lines is None
    assert (greeting.state_before, greeting.state_after) == (A, A)
    assert wire.client.greeted


def test_a_command_sent_before_the_greeting_is_not_paired_with_it() -> None:
    client = ClientConnection()
    client.send(b"CAPA\r\n")
    [greeting] = client.receive_data(b"+OK hi\r\n")
    assert greeting.command is None
    [capa] = client.receive_data(b"+OK\r\nTOP\r\n.\r\n")
    assert capa.command is not None and capa.command.verb == "CAPA"
    assert capa.body == b"TOP\r\n"


@pytest.mark.parametrize(
    ("setup", "line", "before", "after"),
    [
        ((), "USER alice", A, A),
        (("USER alice",), "PASS wonder land", A, T),
        (("USER alice",), "PASS wrong", A, A),
        ((), "PASS wonder land", A, A),
        ((), "CAPA", A, A),
        ((), "AUTH", A, A),
        ((), "QUIT", A, A),
        ((), "STAT", A, A),
        ((), "BOGUS", A, A),
    ],
)
def test_states_around_each_reply_before_login(setup: tuple[str, ...], line: str, before: State, after: State) -> None:
    wire = Wire()
    for earlier in setup:
        wire.cmd(earlier)
    reply = wire.cmd(line).reply
    assert (reply.state_before, reply.state_after) == (before, after)
    assert wire.states == (after, after)


@pytest.mark.parametrize(
    ("line", "after"),
    [
        ("STAT", T),
        ("LIST", T),
        ("RETR 1", T),
        ("DELE 1", T),
        ("RETR 9", T),
        ("USER alice", T),
        ("CAPA", T),
        ("QUIT", U),
    ],
)
def test_states_around_each_reply_after_login(line: str, after: State) -> None:
    wire = logged_in()
    reply = wire.cmd(line).reply
    assert (reply.state_before, reply.state_after) == (T, after)
    assert wire.states == (after, after)


def test_quit_closes_the_client_in_both_states() -> None:
    before_login = Wire()
    before_login.cmd("QUIT")
    assert before_login.client.closed and before_login.client.state is A
    after_login = logged_in()
    assert not after_login.client.closed
    after_login.cmd("QUIT")
    assert after_login.client.closed and after_login.client.state is U


@pytest.mark.parametrize(
    ("line", "multi"),
    [
        ("LIST", True),
        ("LIST 1", False),
        ("UIDL", True),
        ("UIDL 1", False),
        ("CAPA", True),
        ("RETR 1", True),
        ("TOP 1 0", True),
        ("STAT", False),
        ("NOOP", False),
        ("DELE 2", False),
        ("RSET", False),
    ],
)
def test_multiline_detection(line: str, multi: bool) -> None:
    wire = logged_in()
    exchange = wire.send(line.encode() + b"\r\n" + b"NOOP\r\n")
    first, noop = exchange.replies
    assert (first.body_lines is not None) is multi
    assert first.raw + noop.raw == exchange.data
    assert noop.status_line == b"+OK\r\n"


@pytest.mark.parametrize("line", ["LIST 9", "RETR 9", "TOP 9 0", "UIDL 0", "TOP 1 x"])
def test_an_err_to_a_multiline_command_is_one_line(line: str) -> None:
    wire = logged_in()
    exchange = wire.send(line.encode() + b"\r\nSTAT\r\n")
    err, stat = exchange.replies
    assert err.ok is False and err.body_lines is None
    assert stat.status_line == b"+OK 3 210\r\n"


def test_auth_without_arguments_is_multiline_and_stays_in_authorization() -> None:
    wire = Wire()
    reply = wire.cmd("AUTH").reply
    assert reply.body == b"PLAIN\r\nLOGIN\r\nCRAM-MD5\r\n"
    assert (reply.state_before, reply.state_after) == (A, A)
    assert wire.client.state is A


def test_body_is_unstuffed_and_body_lines_are_as_received() -> None:
    wire = logged_in()
    reply = wire.cmd("RETR 2").reply
    assert reply.body_lines == (
        b"From: carol@example.com\r\n",
        b"Subject: dots\r\n",
        b"\r\n",
        b"..hidden\r\n",
        b"...two dots\r\n",
        b"..\r\n",
        b"end\r\n",
        b".\r\n",
    )
    assert reply.body == ALICE_WIRE[1]
    assert reply.text == "message follows"


def test_replies_split_at_every_byte() -> None:
    wire = logged_in()
    wire.client.send(b"RETR 2\r\n")
    wire.client.send(b"LIST 1\r\n")
    data = sent_bytes(wire.server.receive_data(b"RETR 2\r\nLIST 1\r\n"))
    replies = [reply for i in range(len(data)) for reply in wire.client.receive_data(data[i : i + 1])]
    assert [r.raw for r in replies] == [data[: -len(b"+OK 1 103\r\n")], b"+OK 1 103\r\n"]
    assert replies[0].body == ALICE_WIRE[1]


def test_sasl_continuation_handling() -> None:
    wire = Wire()
    challenge = wire.cmd("AUTH LOGIN").reply
    assert challenge.ok is None
    assert challenge.text == "VXNlcm5hbWU6"
    assert challenge.command is not None and challenge.command.verb == "AUTH"
    assert (challenge.state_before, challenge.state_after) == (A, A)
    assert wire.client.in_sasl
    assert len(wire.client.pending) == 1
    # the response is not a command: a user name that looks like one must not be taken for it
    response = wire.client.send(b"UVVJVA==\r\n")
    assert response.sasl_response and response.verb is None
    assert not wire.client.in_sasl
    assert len(wire.client.pending) == 1


def test_a_whole_sasl_login_as_the_tracker_sees_it() -> None:
    wire = Wire()
    wire.cmd("AUTH LOGIN")
    second = wire.cmd("YWxpY2U=").reply  # "alice"
    assert second.ok is None and second.text == "UGFzc3dvcmQ6"
    assert second.command is not None and second.command.verb == "AUTH"
    final = wire.cmd("d29uZGVyIGxhbmQ=").reply  # "wonder land"
    assert final.ok is True
    assert final.command is not None and final.command.raw == b"AUTH LOGIN\r\n"
    assert (final.state_before, final.state_after) == (A, T)
    assert wire.client.pending == ()
    assert wire.states == (T, T)


def test_a_failed_sasl_exchange_leaves_the_tracker_in_authorization() -> None:
    wire = Wire()
    wire.cmd("AUTH PLAIN")
    final = wire.cmd("*").reply
    assert final.ok is False and final.text == "authentication cancelled"
    assert (final.state_before, final.state_after) == (A, A)
    assert not wire.client.in_sasl and wire.client.pending == ()
    assert wire.cmd("CAPA").reply.body_lines is not None


def test_response_codes() -> None:
    first = logged_in()
    second = Wire(first.store)
    second.cmd("USER alice")
    reply = second.cmd("PASS wonder land").reply
    assert reply.code == "IN-USE"
    assert reply.text == "[IN-USE] mailbox already locked by another session"
    assert first.cmd("NOOP").reply.code is None


def test_sent_commands_are_parsed_loosely() -> None:
    client = ClientConnection()
    assert client.send(b"retr 1\r\n").verb == "RETR"
    pass_ = client.send(b"PASS a b  c\r\n")
    assert (pass_.verb, pass_.args) == ("PASS", ("a b  c",))
    junk = client.send(b"\xff\xfe\r\n")
    assert junk.verb is None and not junk.expects_multiline
    assert [c.raw for c in client.pending] == [b"retr 1\r\n", b"PASS a b  c\r\n", b"\xff\xfe\r\n"]


def test_stls_ok_discards_plaintext_that_followed_it() -> None:
    client = ClientConnection()
    client.receive_data(b"+OK ready\r\n")
    client.send(b"STLS\r\n")
    replies = client.receive_data(b"+OK Begin TLS negotiation\r\n+OK injected by a man in the middle\r\n")
    assert [r.status_line for r in replies] == [b"+OK Begin TLS negotiation\r\n"]
    assert client.state is A


def test_tracking_a_foreign_server_needs_only_the_status_indicators() -> None:
    client = ClientConnection()
    assert client.receive_data(b"+OK Dovecot ready.\r\n")[0].ok is True
    for line in (b"USER a\r\n", b"PASS b\r\n", b"LIST\r\n", b"UIDL 1\r\n", b"RETR 1\r\n", b"QUIT\r\n"):
        client.send(line)
    replies = client.receive_data(
        b"+OK\r\n+OK Logged in.\r\n+OK 1 messages:\r\n1 5\r\n.\r\n+OK 1 abc\r\n+OK 5 octets\r\n"
        b"..x\r\n.\r\n+OK Logging out.\r\n"
    )
    assert [(r.command.verb if r.command else None, r.state_after) for r in replies] == [
        ("USER", A),
        ("PASS", T),
        ("LIST", T),
        ("UIDL", T),
        ("RETR", T),
        ("QUIT", U),
    ]
    assert replies[2].body == b"1 5\r\n"
    assert replies[4].body == b".x\r\n"
    assert client.closed
