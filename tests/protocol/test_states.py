"""Every one of the 17 verbs in AUTHORIZATION and in TRANSACTION: legal → its reply, illegal → the state error.

The table says which verb is legal where; these tests write the expected outcome out by hand and check that the
table, the server and the client tracker all agree with it.
"""

from __future__ import annotations

import pytest

from poplab import __version__
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS, is_legal
from tests.protocol.wire import ALICE_PASSWORD, ALICE_WIRE, Wire, logged_in, multiline, sent_bytes

A, T = State.AUTHORIZATION, State.TRANSACTION
NOT_VALID = b"-ERR command not valid in this state\r\n"
IMPL = f"IMPLEMENTATION poplab-{__version__}".encode()

CAPA_BEFORE = multiline(
    "+OK Capability list follows",
    b"TOP",
    b"USER",
    b"UIDL",
    b"RESP-CODES",
    b"AUTH-RESP-CODE",
    b"PIPELINING",
    b"SASL PLAIN LOGIN CRAM-MD5",
    IMPL,
)
CAPA_AFTER = multiline(
    "+OK Capability list follows", b"TOP", b"UIDL", b"RESP-CODES", b"AUTH-RESP-CODE", b"PIPELINING", IMPL
)

# verb: (setup lines, command line, expected reply bytes, state after) — in AUTHORIZATION, on a trusted peer
IN_AUTHORIZATION: dict[str, tuple[tuple[str, ...], str, bytes, State]] = {
    "USER": ((), "USER alice", b"+OK Please enter password\r\n", A),
    "PASS": (("USER alice",), f"PASS {ALICE_PASSWORD}", b"+OK mailbox locked and ready\r\n", T),
    "APOP": (
        (),
        "APOP alice 0123456789abcdef0123456789abcdef",
        b"-ERR APOP is not enabled on this server (no timestamp in the greeting)\r\n",
        A,
    ),
    "AUTH": ((), "AUTH", multiline("+OK SASL mechanisms follow", b"PLAIN", b"LOGIN", b"CRAM-MD5"), A),
    "STLS": ((), "STLS", b"-ERR STLS is not available (this server has no certificate)\r\n", A),
    "CAPA": ((), "CAPA", CAPA_BEFORE, A),
    "QUIT": ((), "QUIT", b"+OK bye\r\n", A),
    # RFC 6856, off by default: unknown, as on most servers
    "UTF8": ((), "UTF8", b"-ERR unknown command\r\n", A),
    "LANG": ((), "LANG", b"-ERR unknown command\r\n", A),
}
# the commands of the TRANSACTION state, each well-formed, sent before login
ILLEGAL_IN_AUTHORIZATION = {
    "STAT": "STAT",
    "LIST": "LIST",
    "RETR": "RETR 1",
    "DELE": "DELE 1",
    "NOOP": "NOOP",
    "RSET": "RSET",
    "TOP": "TOP 1 0",
    "UIDL": "UIDL",
}

SIZES = [len(message) for message in ALICE_WIRE]
IN_TRANSACTION: dict[str, tuple[str, bytes, State]] = {
    "CAPA": ("CAPA", CAPA_AFTER, T),
    "QUIT": ("QUIT", b"+OK bye\r\n", State.UPDATE),
    "STAT": ("STAT", b"+OK 3 210\r\n", T),
    "LIST": ("LIST", multiline("+OK mailbox has 3 messages (210 octets)", b"1 103", b"2 71", b"3 36"), T),
    "RETR": ("RETR 1", b"+OK message follows\r\n" + ALICE_WIRE[0] + b".\r\n", T),
    "DELE": ("DELE 1", b"+OK message marked for delete - will be deleted on QUIT\r\n", T),
    "NOOP": ("NOOP", b"+OK\r\n", T),
    "RSET": ("RSET", b"+OK maildrop has 3 messages (210 octets)\r\n", T),
    "TOP": (
        "TOP 1 0",
        multiline(
            "+OK top of message follows", b"From: bob@example.com", b"To: alice@example.com", b"Subject: one", b""
        ),
        T,
    ),
    "UIDL": ("UIDL", multiline("+OK unique-id listing follows", b"1 uid-one", b"2 uid-two", b"3 uid-three"), T),
    "LANG": ("LANG", b"-ERR unknown command\r\n", T),
}
ILLEGAL_IN_TRANSACTION = {
    "USER": "USER alice",
    "PASS": "PASS wonder land",
    "APOP": "APOP alice 0123456789abcdef0123456789abcdef",
    "AUTH": "AUTH PLAIN",
    "STLS": "STLS",
    "UTF8": "UTF8",
}


def test_the_expectations_cover_all_17_verbs_in_both_states() -> None:
    assert len(COMMANDS) == 17
    assert set(IN_AUTHORIZATION) | set(ILLEGAL_IN_AUTHORIZATION) == set(COMMANDS)
    assert set(IN_TRANSACTION) | set(ILLEGAL_IN_TRANSACTION) == set(COMMANDS)
    assert not set(IN_AUTHORIZATION) & set(ILLEGAL_IN_AUTHORIZATION)
    assert not set(IN_TRANSACTION) & set(ILLEGAL_IN_TRANSACTION)
    assert SIZES == [103, 71, 36] and sum(SIZES) == 210


@pytest.mark.parametrize("verb", sorted(COMMANDS))
def test_table_matches_rfc_1939(verb: str) -> None:
    assert is_legal(verb, A) == (verb in IN_AUTHORIZATION)
    assert is_legal(verb, T) == (verb in IN_TRANSACTION)
    assert not is_legal(verb, State.UPDATE)


@pytest.mark.parametrize("verb", sorted(IN_AUTHORIZATION))
def test_legal_in_authorization(verb: str) -> None:
    setup, line, expected, after = IN_AUTHORIZATION[verb]
    wire = Wire()
    for earlier in setup:
        wire.cmd(earlier)
    exchange = wire.cmd(line)
    assert exchange.data == expected
    assert wire.states == (after, after)
    assert exchange.reply.state_before is A and exchange.reply.state_after is after


@pytest.mark.parametrize("verb", sorted(ILLEGAL_IN_AUTHORIZATION))
def test_illegal_in_authorization(verb: str) -> None:
    wire = Wire()
    assert wire.data(ILLEGAL_IN_AUTHORIZATION[verb]) == NOT_VALID
    assert wire.states == (A, A)
    assert wire.data("NOOP ") == NOT_VALID  # the session goes on (a second bad command does not close yet)


@pytest.mark.parametrize("verb", sorted(IN_TRANSACTION))
def test_legal_in_transaction(verb: str) -> None:
    line, expected, after = IN_TRANSACTION[verb]
    wire = logged_in()
    exchange = wire.cmd(line)
    assert exchange.data == expected
    assert wire.states == (after, after)
    assert exchange.reply.state_before is T and exchange.reply.state_after is after


@pytest.mark.parametrize("verb", sorted(ILLEGAL_IN_TRANSACTION))
def test_illegal_in_transaction(verb: str) -> None:
    wire = logged_in()
    assert wire.data(ILLEGAL_IN_TRANSACTION[verb]) == NOT_VALID
    assert wire.states == (T, T)
    assert wire.data("STAT") == b"+OK 3 210\r\n"


@pytest.mark.parametrize("state", [A, T])
@pytest.mark.parametrize("verb", sorted(COMMANDS))
def test_nothing_is_processed_after_quit(verb: str, state: State) -> None:
    wire = logged_in() if state is T else Wire()
    assert wire.data("QUIT") == b"+OK bye\r\n"
    line = {**ILLEGAL_IN_AUTHORIZATION, **ILLEGAL_IN_TRANSACTION}.get(verb, verb)
    assert wire.server.receive_data(line.encode() + b"\r\n") == []
    assert wire.server.receive_data(b"QUIT\r\n") == []


def test_quit_in_the_same_packet_discards_what_follows() -> None:
    wire = logged_in()
    assert sent_bytes(wire.server.receive_data(b"QUIT\r\nSTAT\r\nNOOP\r\n")) == b"+OK bye\r\n"
    assert wire.server.receive_data(b"NOOP\r\n") == []


@pytest.mark.parametrize("keyword", ["stat", "Stat", "sTaT", "STAT"])
def test_keywords_are_case_insensitive(keyword: str) -> None:
    wire = logged_in()
    assert wire.data(keyword) == b"+OK 3 210\r\n"


@pytest.mark.parametrize("keyword", ["\u017ftat", "\ufb06AT", "\uff33\uff34\uff21\uff34"])
def test_keywords_are_ascii(keyword: str) -> None:
    """'ſtat'.upper() == 'STAT' in Python, but no POP3 server knows that keyword."""
    wire = logged_in()
    exchange = wire.cmd(keyword)
    assert exchange.data == b"-ERR unknown command\r\n"
    assert exchange.reply.command is not None and exchange.reply.command.verb is None


def test_case_insensitive_login_and_listing() -> None:
    wire = Wire()
    assert wire.data("user alice") == b"+OK Please enter password\r\n"
    assert wire.data(f"pAsS {ALICE_PASSWORD}") == b"+OK mailbox locked and ready\r\n"
    assert wire.data("list 2") == b"+OK 2 71\r\n"
    assert wire.data("uidl") == multiline("+OK unique-id listing follows", b"1 uid-one", b"2 uid-two", b"3 uid-three")
    assert wire.data("quit") == b"+OK bye\r\n"
    assert wire.states == (State.UPDATE, State.UPDATE)


def test_unknown_command_in_both_states() -> None:
    wire = Wire()
    assert wire.data("HELO") == b"-ERR unknown command\r\n"
    wire.login()
    assert wire.data("XYZZY 1 2") == b"-ERR unknown command\r\n"
    assert wire.states == (T, T)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("STAT 1", b"-ERR wrong number of arguments, use: STAT\r\n"),
        ("RETR", b"-ERR wrong number of arguments, use: RETR <msg>\r\n"),
        ("TOP 1", b"-ERR wrong number of arguments, use: TOP <msg> <lines>\r\n"),
        ("LIST 1 2", b"-ERR wrong number of arguments, use: LIST [<msg>]\r\n"),
        ("DELE 1 2", b"-ERR wrong number of arguments, use: DELE <msg>\r\n"),
        ("NOOP x", b"-ERR wrong number of arguments, use: NOOP\r\n"),
    ],
)
def test_malformed_commands_say_what_is_wrong(line: str, expected: bytes) -> None:
    wire = logged_in()
    assert wire.data(line) == expected
    assert wire.data("NOOP") == b"+OK\r\n"
