"""Pipelining, line lengths, control bytes, bare LF, empty lines, and closing after too many bad commands."""

from __future__ import annotations

import pytest

from poplab.protocol import effects as fx
from poplab.protocol.config import ServerConfig
from poplab.protocol.states import State
from tests.protocol.wire import ALICE, Wire, logged_in, sent_bytes

A, T = State.AUTHORIZATION, State.TRANSACTION
TOO_LONG = b"-ERR line too long (at most 255 octets)\r\n"

# ---- pipelining (RFC 2449 §6.6) ----------------------------------------------------------------------------

SESSIONS = [
    [b"USER alice\r\n", b"PASS wonder land\r\n", b"STAT\r\n", b"LIST\r\n", b"UIDL 2\r\n", b"RETR 2\r\n",
     b"TOP 1 1\r\n", b"DELE 1\r\n", b"LIST 1\r\n", b"RSET\r\n", b"DELE 3\r\n", b"NOOP\r\n", b"QUIT\r\n"],
    [b"CAPA\r\n", b"AUTH\r\n", b"BOGUS\r\n", b"\r\n", b"USER bob\r\n", b"PASS wrong\r\n", b"USER alice\r\n",
     b"PASS wonder land\r\n", b"RETR 9\r\n", b"stat\n", b"CAPA\r\n", b"QUIT\r\n"],
    [b"USER wiki@example.com\r\n", b"PASS passwort_im_klartext\r\n", b"RETR 1\r\n", b"DELE 1\r\n", b"STAT\r\n"],
]  # fmt: skip


def one_by_one(lines: list[bytes]) -> tuple[bytes, list[fx.Effect]]:
    wire = Wire()
    effects = [effect for line in lines for effect in wire.server.receive_data(line)]
    return sent_bytes(effects), effects


@pytest.mark.parametrize("lines", SESSIONS)
def test_pipelined_commands_are_answered_as_if_sent_one_by_one(lines: list[bytes]) -> None:
    expected_bytes, expected_effects = one_by_one(lines)
    wire = Wire()
    effects = wire.server.receive_data(b"".join(lines))
    assert sent_bytes(effects) == expected_bytes
    assert effects == expected_effects


@pytest.mark.parametrize("lines", SESSIONS)
def test_commands_split_at_every_byte_are_answered_the_same(lines: list[bytes]) -> None:
    _, expected_effects = one_by_one(lines)
    wire = Wire()
    data = b"".join(lines)
    effects = [effect for i in range(len(data)) for effect in wire.server.receive_data(data[i : i + 1])]
    assert effects == expected_effects


def test_pipelined_replies_reach_the_client_tracker_in_order() -> None:
    wire = logged_in()
    exchange = wire.send(b"STAT\r\nLIST\r\nUIDL 1\r\nRETR 3\r\nNOOP\r\n")
    assert [r.command.verb if r.command else None for r in exchange.replies] == ["STAT", "LIST", "UIDL", "RETR", "NOOP"]
    assert [r.status_line for r in exchange.replies] == [
        b"+OK 3 210\r\n",
        b"+OK mailbox has 3 messages (210 octets)\r\n",
        b"+OK 1 uid-one\r\n",
        b"+OK message follows\r\n",
        b"+OK\r\n",
    ]
    assert exchange.replies[3].body == b"Subject: three\r\n\r\nno final newline\r\n"
    assert wire.client.pending == ()


# ---- line length (RFC 2449 §4) -----------------------------------------------------------------------------


def test_a_255_octet_line_is_accepted_and_256_is_too_long() -> None:
    wire = Wire()
    line = b"PASS " + b"x" * 248 + b"\r\n"
    assert len(line) == 255
    assert wire.send(line).data == b"-ERR send USER first, then PASS\r\n"
    assert wire.send(b"PASS " + b"x" * 248 + b"\n").data == b"-ERR send USER first, then PASS\r\n"
    exchange = wire.send(b"PASS " + b"x" * 249 + b"\r\n")
    assert exchange.data == TOO_LONG
    assert exchange.effects[0] == fx.Received(b"PASS " + b"x" * 35, sensitive=True)  # a password prefix
    assert wire.states == (A, A)


def test_a_1_mb_line_without_crlf_gives_one_err_and_a_bounded_buffer() -> None:
    wire = logged_in()
    chunk = b"A" * 4096
    effects: list[fx.Effect] = []
    for _ in range(256):  # 1 MiB
        effects += wire.server.receive_data(chunk)
        assert wire.server._lines.pending <= 255
    assert sent_bytes(effects) == TOO_LONG
    assert [e for e in effects if isinstance(e, fx.Received)] == [fx.Received(b"A" * 40)]
    # the rest of the long line, up to its end, is dropped; then the session goes on
    assert sent_bytes(wire.server.receive_data(b"AAAA\r\nSTAT\r\n")) == b"+OK 3 210\r\n"
    assert wire.server._lines.pending == 0


def test_a_1_mb_line_in_one_piece() -> None:
    wire = logged_in()
    effects = wire.server.receive_data(b"B" * (1 << 20))
    assert sent_bytes(effects) == TOO_LONG
    assert wire.server._lines.pending <= 255
    assert sent_bytes(wire.server.receive_data(b"\r\nNOOP\r\n")) == b"+OK\r\n"


def test_a_long_line_then_a_good_one_in_the_same_packet() -> None:
    wire = logged_in()
    assert sent_bytes(wire.server.receive_data(b"C" * 1000 + b"\r\nSTAT\r\n")) == TOO_LONG + b"+OK 3 210\r\n"


def test_an_argument_longer_than_40_characters() -> None:
    wire = Wire()
    assert wire.data("LIST " + "1" * 41) == b"-ERR argument too long (at most 40 characters)\r\n"
    assert wire.data("USER " + "u" * 41) == b"+OK Please enter password\r\n"
    assert wire.data("USER " + "u" * 40) == b"+OK Please enter password\r\n"


# ---- bad bytes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line", [b"STAT\x00\r\n", b"\x00\r\n", b"\x1b[A\r\n", b"ST\rAT\r\n", b"NOOP\x7f\r\n", b"LIST \x01\r\n"]
)
def test_control_bytes(line: bytes) -> None:
    wire = logged_in()
    assert wire.send(line).data == b"-ERR command contains control characters\r\n"
    assert wire.data("STAT") == b"+OK 3 210\r\n"


@pytest.mark.parametrize("line", [b"STAT \xff\r\n", b"\xc3\x28\r\n", b"USER \xe9\r\n", b"\x80\r\n"])
def test_non_utf8(line: bytes) -> None:
    wire = logged_in()
    assert wire.send(line).data == b"-ERR command is not valid UTF-8\r\n"
    assert wire.data("STAT") == b"+OK 3 210\r\n"


def test_utf8_that_is_not_a_command() -> None:
    wire = Wire()
    assert wire.data("STÄT") == b"-ERR unknown command\r\n"


def test_bare_lf_is_accepted_and_replies_use_crlf() -> None:
    wire = Wire()
    exchange = wire.send(b"USER alice\nPASS wonder land\nSTAT\n")
    assert exchange.data == b"+OK Please enter password\r\n+OK mailbox locked and ready\r\n+OK 3 210\r\n"
    assert wire.states == (T, T)


@pytest.mark.parametrize("line", [b"\r\n", b"\n", b"   \r\n"])
def test_empty_line(line: bytes) -> None:
    wire = Wire()
    for _ in range(5):  # an empty line is answered, but does not count as a bad command
        assert wire.server.receive_data(line)[-1] == fx.Send(b"-ERR empty command\r\n", False)
    assert wire.data("USER alice") == b"+OK Please enter password\r\n"


# ---- too many bad commands ---------------------------------------------------------------------------------


def test_three_bad_commands_before_login_close_the_connection() -> None:
    wire = Wire()
    assert wire.data("BAD") == b"-ERR unknown command\r\n"
    assert wire.data("STAT") == b"-ERR command not valid in this state\r\n"
    exchange = wire.send(b"RETR x y\r\n")
    assert exchange.effects == [
        fx.Received(b"RETR x y\r\n"),
        fx.Send(
            b"-ERR wrong number of arguments, use: RETR <msg>; too many bad commands, closing connection\r\n", False
        ),
        fx.Close(),
    ]
    assert wire.server.closed
    assert wire.server.receive_data(b"CAPA\r\n") == []


def test_bad_commands_must_come_in_a_row() -> None:
    wire = Wire(config=ServerConfig(max_bad_after_login=3))
    wire.login()
    for _ in range(5):
        assert wire.data("BAD") == b"-ERR unknown command\r\n"
        assert wire.data("BAD") == b"-ERR unknown command\r\n"
        assert wire.data("STAT").startswith(b"+OK")  # CAPA and USER do not end a run (tests/server/test_budget.py)
    assert not wire.server.closed


def test_the_rest_of_a_packet_is_dropped_once_closed() -> None:
    wire = Wire()
    effects = wire.server.receive_data(b"A\r\nB\r\nC\r\nCAPA\r\n")
    assert sent_bytes(effects) == (
        b"-ERR unknown command\r\n-ERR unknown command\r\n"
        b"-ERR unknown command; too many bad commands, closing connection\r\n"
    )
    assert effects[-1] == fx.Close()


def test_twenty_bad_commands_after_login_close_the_connection() -> None:
    wire = logged_in()
    for _ in range(19):
        assert wire.data("DELE") == b"-ERR wrong number of arguments, use: DELE <msg>\r\n"
    exchange = wire.cmd("DELE")
    assert exchange.data == (
        b"-ERR wrong number of arguments, use: DELE <msg>; too many bad commands, closing connection\r\n"
    )
    assert exchange.of(fx.Close) == [fx.Close()]
    assert not wire.store.is_locked(ALICE)


def test_an_err_from_a_valid_command_is_not_a_bad_command() -> None:
    wire = logged_in()
    for _ in range(30):
        assert wire.data("RETR 9") == b"-ERR no such message, only 3 messages in maildrop\r\n"
    assert not wire.server.closed


def test_too_long_lines_count_as_bad_commands() -> None:
    wire = Wire()
    effects = wire.server.receive_data(b"X" * 300 + b"\r\n" + b"Y" * 300 + b"\r\n" + b"Z" * 300 + b"\r\n")
    assert sent_bytes(effects) == TOO_LONG * 2 + (
        b"-ERR line too long (at most 255 octets); too many bad commands, closing connection\r\n"
    )
    assert effects[-1] == fx.Close()


# ---- drops -------------------------------------------------------------------------------------------------


def test_dele_then_drop_deletes_nothing() -> None:
    wire = logged_in()
    for number in (1, 2, 3):
        wire.cmd(f"DELE {number}")
    assert wire.server.receive_data(b"STA") == []
    wire.server.connection_lost()
    assert list(wire.store.stored(ALICE)) == ["uid-one", "uid-two", "uid-three"]
    assert not wire.store.is_locked(ALICE)
    assert wire.server.receive_data(b"T\r\nQUIT\r\n") == []


def test_quit_from_authorization_commits_nothing() -> None:
    wire = Wire()
    exchange = wire.cmd("QUIT")
    assert exchange.effects == [fx.Received(b"QUIT\r\n"), fx.Send(b"+OK bye\r\n", True), fx.Close()]
    assert wire.states == (A, A)
    assert wire.client.closed
