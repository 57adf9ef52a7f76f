"""RFC 6856: UTF8 and LANG are rows of the one command table; the teaching server offers them only when switched on
(``ServerConfig(utf8=True)``), so by default they are unknown commands, as on most servers."""

from __future__ import annotations

from poplab.protocol.config import ServerConfig
from poplab.protocol.states import State
from poplab.protocol.table import COMMANDS, state_after
from tests.protocol.wire import Wire, logged_in, multiline

UTF8 = ServerConfig(utf8=True)


def test_the_table_knows_utf8_and_lang() -> None:
    assert COMMANDS["UTF8"].states == frozenset({State.AUTHORIZATION})
    assert COMMANDS["LANG"].states == frozenset({State.AUTHORIZATION, State.TRANSACTION})
    assert str(COMMANDS["UTF8"].ref) == "RFC 6856 §2"
    assert str(COMMANDS["LANG"].ref) == "RFC 6856 §3"
    assert COMMANDS["LANG"].is_multiline(0) and not COMMANDS["LANG"].is_multiline(1)


def test_off_by_default_utf8_and_lang_are_unknown() -> None:
    wire = Wire()
    assert wire.data("UTF8") == b"-ERR unknown command\r\n"
    assert wire.data("LANG") == b"-ERR unknown command\r\n"
    assert b"UTF8" not in wire.data("CAPA")


def test_switched_on_capa_lists_utf8_user_and_lang() -> None:
    data = Wire(config=UTF8).data("CAPA")
    assert b"\r\nUTF8 USER\r\n" in data and b"\r\nLANG\r\n" in data


def test_utf8_before_login_and_lang_listing() -> None:
    wire = Wire(config=UTF8)
    assert wire.data("UTF8") == b"+OK UTF8 enabled\r\n"
    assert wire.data("LANG") == multiline("+OK Language listing follows", b"en English")
    assert wire.data("LANG en") == b"+OK en Language is English\r\n"
    assert wire.data("LANG fr") == b"-ERR Unsupported language\r\n"


def test_utf8_after_login_is_not_valid_but_lang_is() -> None:
    wire = logged_in()
    wire.server.config = UTF8
    assert wire.data("UTF8") == b"-ERR command not valid in this state\r\n"
    assert wire.data("LANG *") == b"+OK en Language is English\r\n"
    assert b"UTF8" not in wire.data("CAPA")


def test_quit_from_transaction_is_update_even_after_err() -> None:
    """RFC 1939 §6: QUIT from TRANSACTION enters UPDATE; -ERR there means the removal failed."""
    assert state_after("QUIT", State.TRANSACTION, False) is State.UPDATE
    assert state_after("QUIT", State.AUTHORIZATION, False) is State.AUTHORIZATION
