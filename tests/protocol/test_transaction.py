"""The TRANSACTION state: message numbers and deletion marks, RSET, TOP, byte-stuffing, sizes, UIDL."""

from __future__ import annotations

import pytest

from poplab.protocol import effects as fx
from poplab.protocol.seams import Account
from poplab.protocol.states import State
from poplab.store.memory import MemoryStore
from tests.protocol.wire import (
    ALICE,
    ALICE_WIRE,
    BOB,
    BOB_PASSWORD,
    EMPTY,
    EMPTY_PASSWORD,
    SEED_PASSWORD,
    SEED_USER,
    logged_in,
    make_store,
    multiline,
)

MARKED = b"+OK message marked for delete - will be deleted on QUIT\r\n"


def retr(message: bytes, status: str = "+OK message follows") -> bytes:
    """A RETR/TOP reply for an unstuffed CRLF message that has no line beginning with '.'."""
    assert b"\n." not in message and not message.startswith(b".")
    return status.encode() + b"\r\n" + message + b".\r\n"


# ---- deleted numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["LIST 2", "RETR 2", "TOP 2 0", "DELE 2", "UIDL 2"])
def test_a_deleted_number_answers_err_everywhere(line: str) -> None:
    wire = logged_in()
    assert wire.data("DELE 2") == MARKED
    assert wire.data(line) == b"-ERR message 2 already deleted\r\n"
    assert wire.states == (State.TRANSACTION, State.TRANSACTION)


def test_stat_list_uidl_leave_deleted_messages_out_and_numbers_never_shift() -> None:
    wire = logged_in()
    assert wire.data("DELE 2") == MARKED
    assert wire.data("STAT") == b"+OK 2 139\r\n"
    assert wire.data("LIST") == multiline("+OK mailbox has 2 messages (139 octets)", b"1 103", b"3 36")
    assert wire.data("UIDL") == multiline("+OK unique-id listing follows", b"1 uid-one", b"3 uid-three")
    assert wire.data("LIST 3") == b"+OK 3 36\r\n"
    assert wire.data("UIDL 3") == b"+OK 3 uid-three\r\n"
    assert wire.data("RETR 3") == retr(ALICE_WIRE[2])
    assert wire.data("DELE 1") == MARKED
    assert wire.data("DELE 3") == MARKED
    assert wire.data("STAT") == b"+OK 0 0\r\n"
    assert wire.data("LIST") == b"+OK mailbox has 0 messages (0 octets)\r\n.\r\n"
    assert wire.data("UIDL") == b"+OK unique-id listing follows\r\n.\r\n"
    assert wire.data("LIST 4") == b"-ERR no such message, only 3 messages in maildrop\r\n"


def test_rset_clears_every_mark() -> None:
    wire = logged_in()
    for number in (1, 3):
        assert wire.data(f"DELE {number}") == MARKED
    assert wire.data("RSET") == b"+OK maildrop has 3 messages (210 octets)\r\n"
    assert wire.data("LIST 1") == b"+OK 1 103\r\n"
    assert wire.data("LIST") == multiline("+OK mailbox has 3 messages (210 octets)", b"1 103", b"2 71", b"3 36")
    assert wire.data("RSET") == b"+OK maildrop has 3 messages (210 octets)\r\n"
    exchange = wire.cmd("QUIT")
    assert exchange.data == b"+OK bye\r\n"
    assert exchange.of(fx.Committed) == [fx.Committed(ALICE, ())]
    assert list(wire.store.stored(ALICE)) == ["uid-one", "uid-two", "uid-three"]


def test_rset_after_some_marks_reports_the_full_maildrop_of_one_message() -> None:
    wire = logged_in(SEED_USER, SEED_PASSWORD)
    assert wire.data("DELE 1") == MARKED
    assert wire.data("STAT") == b"+OK 0 0\r\n"
    assert wire.data("RSET") == b"+OK maildrop has 1 messages (236 octets)\r\n"


def test_quit_commits_exactly_the_marked_messages() -> None:
    wire = logged_in()
    wire.cmd("DELE 1")
    wire.cmd("DELE 3")
    exchange = wire.cmd("QUIT")
    assert exchange.data == b"+OK bye\r\n"
    assert [e for e in exchange.effects if not isinstance(e, (fx.Received, fx.Send))] == [
        fx.Committed(ALICE, ("uid-one", "uid-three")),
        fx.Close(),
    ]
    assert wire.store.stored(ALICE) == {
        "uid-two": b"From: carol@example.com\nSubject: dots\n\n.hidden\n..two dots\n.\nend\n"
    }
    again = logged_in(store=wire.store)
    assert again.data("LIST") == multiline("+OK mailbox has 1 messages (71 octets)", b"1 71")
    assert again.data("UIDL") == multiline("+OK unique-id listing follows", b"1 uid-two")


@pytest.mark.parametrize("verb", ["LIST", "RETR", "DELE", "UIDL"])
def test_message_zero(verb: str) -> None:
    wire = logged_in()
    assert wire.data(f"{verb} 0") == b"-ERR no such message, message numbers start at 1\r\n"


def test_message_zero_in_top() -> None:
    wire = logged_in()
    assert wire.data("TOP 0 1") == b"-ERR no such message, message numbers start at 1\r\n"


@pytest.mark.parametrize("line", ["LIST 4", "RETR 4", "DELE 4", "UIDL 4", "TOP 4 0", "RETR 99999999999"])
def test_numbers_beyond_the_count(line: str) -> None:
    wire = logged_in()
    assert wire.data(line) == b"-ERR no such message, only 3 messages in maildrop\r\n"
    assert wire.data("STAT") == b"+OK 3 210\r\n"


def test_numbers_beyond_the_count_with_one_and_no_message() -> None:
    assert logged_in(SEED_USER, SEED_PASSWORD).data("RETR 2") == b"-ERR no such message, only 1 message in maildrop\r\n"
    empty = logged_in(EMPTY, EMPTY_PASSWORD)
    assert empty.data("RETR 1") == b"-ERR no such message, only 0 messages in maildrop\r\n"
    assert empty.data("STAT") == b"+OK 0 0\r\n"
    assert empty.data("LIST") == b"+OK mailbox has 0 messages (0 octets)\r\n.\r\n"


@pytest.mark.parametrize("arg", ["x", "-1", "+1", "1.5", "0x1", "\u0661", "\u00b2"])
@pytest.mark.parametrize("verb", ["LIST", "RETR", "DELE", "UIDL"])
def test_non_numeric_message_numbers(verb: str, arg: str) -> None:
    wire = logged_in()
    assert wire.data(f"{verb} {arg}") == f"-ERR invalid message number: {arg} (use a number like 1)\r\n".encode()
    assert wire.data("STAT") == b"+OK 3 210\r\n"


def test_leading_zeros_name_the_same_message() -> None:
    wire = logged_in()
    assert wire.data("LIST 002") == b"+OK 2 71\r\n"


# ---- TOP ---------------------------------------------------------------------------------------------------

ONE_HEADER = b"From: bob@example.com\r\nTo: alice@example.com\r\nSubject: one\r\n\r\n"
TOP_STATUS = "+OK top of message follows"


@pytest.mark.parametrize(
    ("lines", "body"),
    [
        ("0", b""),
        ("1", b"Hello Alice.\r\n"),
        ("2", b"Hello Alice.\r\nSecond line.\r\n"),
        ("3", b"Hello Alice.\r\nSecond line.\r\nThird line.\r\n"),
        ("4", b"Hello Alice.\r\nSecond line.\r\nThird line.\r\n"),
        ("99999999", b"Hello Alice.\r\nSecond line.\r\nThird line.\r\n"),
        ("000", b""),
    ],
)
def test_top(lines: str, body: bytes) -> None:
    wire = logged_in()
    assert wire.data(f"TOP 1 {lines}") == retr(ONE_HEADER + body, TOP_STATUS)


def test_top_with_a_huge_count_is_the_whole_message() -> None:
    wire = logged_in()
    whole = wire.cmd("RETR 1").reply.body
    assert whole == ALICE_WIRE[0]
    assert wire.cmd("TOP 1 99999999").reply.body == whole


@pytest.mark.parametrize("count", ["x", "-1", "1.0", "\u00b2"])
def test_top_with_a_bad_line_count(count: str) -> None:
    wire = logged_in()
    assert wire.data(f"TOP 1 {count}") == f"-ERR invalid line count: {count} (use a number, 0 or more)\r\n".encode()


def test_top_of_a_message_with_no_body() -> None:
    wire = logged_in(BOB, BOB_PASSWORD)
    for count in ("0", "1", "99999999"):
        assert wire.data(f"TOP 1 {count}") == retr(b"Subject: headers only\r\n\r\n", TOP_STATUS)
    assert wire.data("RETR 1") == retr(b"Subject: headers only\r\n\r\n")
    assert wire.data("LIST 1") == b"+OK 1 25\r\n"


def test_top_of_a_message_without_a_blank_line_is_all_header() -> None:
    wire = logged_in(BOB, BOB_PASSWORD)
    message = b"Subject: no blank line at all\r\nX-Other: yes\r\n"
    assert wire.data("TOP 2 0") == retr(message, TOP_STATUS)
    assert wire.data("TOP 2 5") == retr(message, TOP_STATUS)
    assert wire.data("RETR 2") == retr(message)


# ---- byte-stuffing -----------------------------------------------------------------------------------------

DOTS_STUFFED = b"From: carol@example.com\r\nSubject: dots\r\n\r\n..hidden\r\n...two dots\r\n..\r\nend\r\n"


def test_retr_stuffs_lines_that_begin_with_a_dot() -> None:
    wire = logged_in()
    exchange = wire.cmd("RETR 2")
    assert exchange.data == b"+OK message follows\r\n" + DOTS_STUFFED + b".\r\n"
    assert exchange.reply.body == ALICE_WIRE[1]
    assert wire.data("LIST 2") == b"+OK 2 71\r\n"  # stuffed dots are not counted
    assert len(ALICE_WIRE[1]) == 71 and len(DOTS_STUFFED) == 74


@pytest.mark.parametrize(
    ("count", "stuffed", "original"),
    [
        ("0", b"", b""),
        ("1", b"..hidden\r\n", b".hidden\r\n"),
        ("2", b"..hidden\r\n...two dots\r\n", b".hidden\r\n..two dots\r\n"),
        ("3", b"..hidden\r\n...two dots\r\n..\r\n", b".hidden\r\n..two dots\r\n.\r\n"),
        ("4", b"..hidden\r\n...two dots\r\n..\r\nend\r\n", b".hidden\r\n..two dots\r\n.\r\nend\r\n"),
    ],
)
def test_top_stuffs_lines_that_begin_with_a_dot(count: str, stuffed: bytes, original: bytes) -> None:
    wire = logged_in()
    header = b"From: carol@example.com\r\nSubject: dots\r\n\r\n"
    exchange = wire.cmd(f"TOP 2 {count}")
    assert exchange.data == b"+OK top of message follows\r\n" + header + stuffed + b".\r\n"
    assert exchange.reply.body == header + original


def _store_with(*messages: bytes) -> MemoryStore:
    store = make_store()
    store.add_account(Account("dot", "pw"))
    for number, message in enumerate(messages, 1):
        store.deliver("dot", message, uid=f"d{number}")
    return store


def test_a_message_that_begins_with_a_dot() -> None:
    wire = logged_in("dot", "pw", _store_with(b".first line is a header?\n\n.\n"))
    exchange = wire.cmd("RETR 1")
    assert exchange.data == b"+OK message follows\r\n..first line is a header?\r\n\r\n..\r\n.\r\n"
    assert exchange.reply.body == b".first line is a header?\r\n\r\n.\r\n"
    assert wire.data("LIST 1") == b"+OK 1 31\r\n"


def test_a_body_that_looks_like_the_terminator() -> None:
    wire = logged_in("dot", "pw", _store_with(b"Subject: t\r\n\r\n.\r\n.\r\n..\r\n"))
    exchange = wire.cmd("RETR 1")
    assert exchange.data == b"+OK message follows\r\nSubject: t\r\n\r\n..\r\n..\r\n...\r\n.\r\n"
    assert exchange.reply.body == b"Subject: t\r\n\r\n.\r\n.\r\n..\r\n"


# ---- sizes and line ends -----------------------------------------------------------------------------------


def test_lf_stored_mail_is_served_and_counted_as_crlf() -> None:
    wire = logged_in()
    assert wire.data("STAT") == b"+OK 3 210\r\n"
    for number, message in enumerate(ALICE_WIRE, 1):
        assert wire.data(f"LIST {number}") == f"+OK {number} {len(message)}\r\n".encode()
        reply = wire.cmd(f"RETR {number}").reply
        assert reply.body == message
        assert len(reply.body) == len(message)
        assert b"\n" not in reply.body.replace(b"\r\n", b"")


def test_a_message_without_a_final_newline_gets_one() -> None:
    wire = logged_in()
    assert wire.data("RETR 3") == b"+OK message follows\r\nSubject: three\r\n\r\nno final newline\r\n.\r\n"
    assert wire.data("LIST 3") == b"+OK 3 36\r\n"
    assert wire.data("TOP 3 1") == b"+OK top of message follows\r\nSubject: three\r\n\r\nno final newline\r\n.\r\n"


def test_mixed_line_ends_are_all_served_as_crlf() -> None:
    wire = logged_in("dot", "pw", _store_with(b"A: b\r\nC: d\n\nx\r\ny"))
    assert wire.data("RETR 1") == b"+OK message follows\r\nA: b\r\nC: d\r\n\r\nx\r\ny\r\n.\r\n"
    assert wire.data("STAT") == b"+OK 1 20\r\n"


def test_an_empty_message() -> None:
    wire = logged_in("dot", "pw", _store_with(b""))
    assert wire.data("STAT") == b"+OK 1 0\r\n"
    assert wire.data("RETR 1") == b"+OK message follows\r\n.\r\n"
    assert wire.data("TOP 1 0") == b"+OK top of message follows\r\n.\r\n"


# ---- UIDL --------------------------------------------------------------------------------------------------


def test_uidl_listing_and_single_forms() -> None:
    wire = logged_in()
    assert wire.data("UIDL") == multiline("+OK unique-id listing follows", b"1 uid-one", b"2 uid-two", b"3 uid-three")
    assert wire.data("UIDL 1") == b"+OK 1 uid-one\r\n"
    assert wire.data("UIDL 2") == b"+OK 2 uid-two\r\n"
    assert wire.data("UIDL 3") == b"+OK 3 uid-three\r\n"


def test_uids_are_the_stores_and_stay_the_same_across_sessions() -> None:
    store = make_store()
    [uid] = store.stored(SEED_USER)
    first = logged_in(SEED_USER, SEED_PASSWORD, store)
    assert first.data("UIDL 1") == f"+OK 1 {uid}\r\n".encode()
    assert first.data("QUIT") == b"+OK bye\r\n"
    second = logged_in(SEED_USER, SEED_PASSWORD, store)
    assert second.data("UIDL") == multiline("+OK unique-id listing follows", f"1 {uid}".encode())


def test_new_mail_gets_a_new_uid_and_keeps_the_old_numbers_in_a_session() -> None:
    store = make_store()
    wire = logged_in(store=store)
    new_uid = store.deliver(ALICE, b"Subject: late\n\nlate\n")
    assert new_uid not in {"uid-one", "uid-two", "uid-three"}
    assert wire.data("STAT") == b"+OK 3 210\r\n"  # the snapshot taken at login
    assert wire.data("UIDL 4") == b"-ERR no such message, only 3 messages in maildrop\r\n"
    wire.cmd("QUIT")
    again = logged_in(store=store)
    assert again.data("UIDL 4") == f"+OK 4 {new_uid}\r\n".encode()
