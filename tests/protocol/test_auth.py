"""AUTHORIZATION: USER/PASS, APOP (RFC 1939's example), SASL (PLAIN, LOGIN, CRAM-MD5 with RFC 2195's example),
login failures, the maildrop lock and the plaintext policy."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Collection, Sequence

import pytest

from poplab.protocol import effects as fx
from poplab.protocol.config import ServerConfig
from poplab.protocol.seams import Account, MessageInfo, StoreError
from poplab.protocol.states import State
from poplab.store.memory import MemoryStore
from tests.protocol.wire import (
    ALICE,
    ALICE_PASSWORD,
    APOP_DIGEST,
    APOP_SECRET,
    APOP_TOKEN,
    APOP_USER,
    CRAM_CHALLENGE_B64,
    CRAM_RESPONSE_B64,
    CRAM_SECRET,
    CRAM_TOKEN,
    CRAM_USER,
    DISABLED,
    DISABLED_PASSWORD,
    Wire,
    logged_in,
    make_store,
    multiline,
    sent_bytes,
)

A, T = State.AUTHORIZATION, State.TRANSACTION
READY = b"+OK mailbox locked and ready\r\n"
BAD_LOGIN = b"-ERR [AUTH] invalid user name or password\r\n"
PLAINTEXT_REFUSED = (
    b"-ERR [AUTH] plaintext authentication disallowed on non-secure connections, use STLS or TLS first\r\n"
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def not_sent(exchange_effects: list[fx.Effect]) -> list[fx.Effect]:
    return [e for e in exchange_effects if not isinstance(e, (fx.Received, fx.Send))]


# ---- APOP (RFC 1939 §7) ------------------------------------------------------------------------------------


def apop_wire(store: MemoryStore | None = None, **kwargs: bool) -> Wire:
    return Wire(store, ServerConfig(apop=True), token=APOP_TOKEN, **kwargs)


def test_apop_with_the_rfc_1939_example() -> None:
    assert hashlib.md5((APOP_TOKEN + APOP_SECRET).encode()).hexdigest() == APOP_DIGEST
    wire = apop_wire()
    assert wire.greeting == b"+OK example.com POP3-Server <1896.697170952@dbc.mtview.ca.us>\r\n"
    exchange = wire.cmd(f"APOP {APOP_USER} {APOP_DIGEST}")
    assert exchange.data == READY
    assert not_sent(exchange.effects) == [fx.LoggedIn(APOP_USER, "APOP")]
    assert wire.states == (T, T)
    assert wire.store.is_locked(APOP_USER)


def test_apop_digest_in_upper_case_is_accepted() -> None:
    assert apop_wire().data(f"APOP {APOP_USER} {APOP_DIGEST.upper()}") == READY


def test_apop_uses_the_password_when_the_account_has_no_own_secret() -> None:
    digest = hashlib.md5((APOP_TOKEN + ALICE_PASSWORD).encode()).hexdigest()
    assert apop_wire().data(f"APOP {ALICE} {digest}") == READY


def test_apop_with_the_account_password_instead_of_its_apop_secret_fails() -> None:
    digest = hashlib.md5((APOP_TOKEN + "the-password").encode()).hexdigest()
    assert apop_wire().data(f"APOP {APOP_USER} {digest}") == BAD_LOGIN


def test_apop_is_not_plaintext_so_an_untrusted_peer_may_use_it() -> None:
    assert apop_wire(peer_trusted=False).data(f"APOP {APOP_USER} {APOP_DIGEST}") == READY


def test_apop_disabled() -> None:
    wire = Wire(token=APOP_TOKEN)
    assert wire.greeting == b"+OK example.com POP3-Server\r\n"
    assert wire.data(f"APOP {APOP_USER} {APOP_DIGEST}") == (
        b"-ERR APOP is not enabled on this server (no timestamp in the greeting)\r\n"
    )
    assert wire.states == (A, A)


@pytest.mark.parametrize(
    "line", [f"APOP {APOP_USER} c4c9334bac560ecc979e58001b3e22fa", f"APOP nobody {APOP_DIGEST}", "APOP mrose x"]
)
def test_apop_wrong_digest_or_user(line: str) -> None:
    wire = apop_wire()
    exchange = wire.cmd(line)
    assert exchange.data == BAD_LOGIN
    user = line.split()[1]
    assert not_sent(exchange.effects) == [fx.LoginFailed(user, "invalid user name or password"), fx.Delay(1.0)]
    assert wire.states == (A, A)
    assert not wire.store.is_locked(APOP_USER)


# ---- SASL PLAIN (RFC 4616 over RFC 5034) -------------------------------------------------------------------


def test_auth_plain_with_initial_response() -> None:
    wire = Wire()
    exchange = wire.cmd("AUTH PLAIN " + b64(b"\0alice\0wonder land"))
    assert exchange.data == READY
    assert not_sent(exchange.effects) == [fx.LoggedIn(ALICE, "AUTH PLAIN")]
    assert wire.states == (T, T)


def test_auth_plain_with_authzid_equal_to_authcid() -> None:
    assert Wire().data("AUTH PLAIN " + b64(b"alice\0alice\0wonder land")) == READY


def test_auth_plain_acting_as_another_user_is_refused() -> None:
    wire = Wire()
    assert wire.data("AUTH PLAIN " + b64(b"bob\0alice\0wonder land")) == (
        b"-ERR acting as another user (authzid) is not allowed\r\n"
    )
    assert wire.states == (A, A)


def test_auth_plain_with_a_challenge_then_the_response() -> None:
    wire = Wire()
    challenge = wire.cmd("AUTH PLAIN")
    assert challenge.data == b"+ \r\n"
    assert challenge.reply.ok is None
    assert challenge.effects[-1] == fx.Send(b"+ \r\n", None)
    assert wire.states == (A, A)
    assert wire.data(b64(b"\0alice\0wonder land")) == READY
    assert wire.states == (T, T)


def test_auth_plain_lower_case_mechanism_name() -> None:
    assert Wire().data("auth plain " + b64(b"\0alice\0wonder land")) == READY


MALFORMED_PLAIN = b"-ERR malformed PLAIN response (expected authzid NUL authcid NUL password)\r\n"


def test_auth_plain_with_the_empty_initial_response() -> None:
    wire = Wire()
    assert wire.data("AUTH PLAIN =") == MALFORMED_PLAIN
    assert wire.states == (A, A)
    assert wire.data("AUTH PLAIN " + b64(b"\0alice\0wonder land")) == READY


def test_auth_plain_with_the_empty_response_after_the_challenge() -> None:
    wire = Wire()
    assert wire.data("AUTH PLAIN") == b"+ \r\n"
    assert wire.data("=") == MALFORMED_PLAIN
    assert wire.states == (A, A)


def test_auth_cancelled_with_a_star() -> None:
    wire = Wire()
    assert wire.data("AUTH PLAIN") == b"+ \r\n"
    exchange = wire.cmd("*")
    assert exchange.data == b"-ERR authentication cancelled\r\n"
    assert exchange.reply.command is not None and exchange.reply.command.verb == "AUTH"
    assert wire.states == (A, A)
    assert wire.data("USER alice") == b"+OK Please enter password\r\n"


def test_auth_plain_wrong_password() -> None:
    wire = Wire()
    exchange = wire.cmd("AUTH PLAIN " + b64(b"\0alice\0wrong"))
    assert exchange.data == BAD_LOGIN
    assert not_sent(exchange.effects) == [fx.LoginFailed(ALICE, "invalid user name or password"), fx.Delay(1.0)]


def test_auth_plain_not_utf8() -> None:
    assert Wire().data("AUTH PLAIN " + b64(b"\0alice\0\xff")) == b"-ERR PLAIN response is not valid UTF-8\r\n"


@pytest.mark.parametrize("response", ["!!!!", "abc", "YWxpY2U", "é"])
def test_bad_base64_initial_response(response: str) -> None:
    wire = Wire()
    assert wire.data(f"AUTH PLAIN {response}") == b"-ERR initial response is not valid base64\r\n"
    assert wire.states == (A, A)


@pytest.mark.parametrize("response", [b"!!!!", b"abc", b"YWxpY2U", b"\xc3\xa9"])
def test_bad_base64_response_aborts_the_exchange(response: bytes) -> None:
    wire = Wire()
    assert wire.data("AUTH PLAIN") == b"+ \r\n"
    assert wire.data(response) == b"-ERR response is not valid base64, authentication aborted\r\n"
    assert wire.states == (A, A)
    assert wire.data("CAPA").startswith(b"+OK Capability list follows\r\n")


def test_a_sasl_response_may_be_longer_than_a_command_line() -> None:
    """RFC 5034 §4: responses as long as the mechanism makes them, whatever the command line limit."""
    store = make_store()
    store.add_account(Account("long", "p" * 300))
    wire = Wire(store)
    assert wire.data("AUTH PLAIN") == b"+ \r\n"
    response = b64(b"\0long\0" + b"p" * 300)
    assert len(response) > 255
    assert wire.data(response) == READY
    assert wire.states == (T, T)
    # after the exchange, command lines are bound to 255 octets again
    assert wire.send(b"NOOP " + b"x" * 300 + b"\r\n").data == b"-ERR line too long (at most 255 octets)\r\n"


def test_a_too_long_sasl_response_ends_the_exchange() -> None:
    wire = Wire()
    assert wire.data("AUTH PLAIN") == b"+ \r\n"
    exchange = wire.send(b"A" * 9000 + b"\r\n")
    assert exchange.data == b"-ERR line too long (at most 8192 octets)\r\n"
    assert exchange.effects[0] == fx.Received(b"A" * 40, True)
    assert wire.states == (A, A)
    assert wire.server._lines.pending == 0
    # CAPA is valid base64: it must be read as a command again, not as a SASL response
    assert wire.data("CAPA").startswith(b"+OK Capability list follows\r\nTOP\r\nUSER\r\n")
    assert wire.send(b"CAPA " + b"x" * 300 + b"\r\n").data == b"-ERR line too long (at most 255 octets)\r\n"


def test_a_long_sasl_response_pipelined_after_its_challenge() -> None:
    store = make_store()
    store.add_account(Account("long", "p" * 300))
    effects = Wire(store).server.receive_data(b"AUTH PLAIN\r\n" + b64(b"\0long\0" + b"p" * 300).encode() + b"\r\n")
    assert sent_bytes(effects) == b"+ \r\n" + READY


# ---- SASL LOGIN --------------------------------------------------------------------------------------------


def test_auth_login() -> None:
    wire = Wire()
    assert wire.data("AUTH LOGIN") == b"+ VXNlcm5hbWU6\r\n"  # "Username:"
    assert wire.data(b64(b"alice")) == b"+ UGFzc3dvcmQ6\r\n"  # "Password:"
    assert wire.states == (A, A)
    exchange = wire.cmd(b64(b"wonder land"))
    assert exchange.data == READY
    assert not_sent(exchange.effects) == [fx.LoggedIn(ALICE, "AUTH LOGIN")]
    assert wire.states == (T, T)


def test_auth_login_with_the_user_name_as_initial_response() -> None:
    wire = Wire()
    assert wire.data("AUTH LOGIN " + b64(b"alice")) == b"+ UGFzc3dvcmQ6\r\n"
    assert wire.data(b64(b"wrong")) == BAD_LOGIN
    assert wire.states == (A, A)


# ---- SASL CRAM-MD5 (RFC 2195) ------------------------------------------------------------------------------


def test_cram_md5_with_the_rfc_2195_example() -> None:
    digest = hmac.new(CRAM_SECRET.encode(), CRAM_TOKEN.encode(), hashlib.md5).hexdigest()
    assert digest == "b913a602c7eda7a495b4e6e7334d3890"
    assert base64.b64decode(CRAM_RESPONSE_B64) == b"tim " + digest.encode()
    wire = Wire(token=CRAM_TOKEN)
    assert wire.data("AUTH CRAM-MD5") == f"+ {CRAM_CHALLENGE_B64}\r\n".encode()
    exchange = wire.cmd(CRAM_RESPONSE_B64)
    assert exchange.data == READY
    assert not_sent(exchange.effects) == [fx.LoggedIn(CRAM_USER, "AUTH CRAM-MD5")]
    assert wire.states == (T, T)


def test_cram_md5_wrong_digest() -> None:
    wire = Wire(token=CRAM_TOKEN)
    wire.cmd("AUTH CRAM-MD5")
    assert wire.data(b64(b"tim b913a602c7eda7a495b4e6e7334d3891")) == BAD_LOGIN


def test_cram_md5_malformed_response() -> None:
    wire = Wire(token=CRAM_TOKEN)
    wire.cmd("AUTH CRAM-MD5")
    assert wire.data(b64(b"tim")) == b"-ERR malformed CRAM-MD5 response (expected: user SP hex-digest)\r\n"


def test_cram_md5_takes_no_initial_response() -> None:
    assert Wire().data("AUTH CRAM-MD5 " + b64(b"tim x")) == b"-ERR CRAM-MD5 takes no initial response\r\n"


# ---- AUTH listing and unknown mechanisms -------------------------------------------------------------------


def test_auth_without_arguments_lists_the_mechanisms() -> None:
    wire = Wire()
    exchange = wire.cmd("AUTH")
    assert exchange.data == multiline("+OK SASL mechanisms follow", b"PLAIN", b"LOGIN", b"CRAM-MD5")
    assert exchange.reply.body == b"PLAIN\r\nLOGIN\r\nCRAM-MD5\r\n"
    assert wire.states == (A, A)


def test_auth_lists_only_the_configured_mechanisms() -> None:
    wire = Wire(config=ServerConfig(sasl_mechanisms=("CRAM-MD5",)))
    assert wire.data("AUTH") == multiline("+OK SASL mechanisms follow", b"CRAM-MD5")
    assert wire.data("AUTH PLAIN") == b"-ERR unsupported authentication mechanism PLAIN\r\n"


@pytest.mark.parametrize("mechanism", ["KERBEROS_V4", "GSSAPI", "SCRAM-SHA-1", "x", "pla\u0131n", "\u0142ogin"])
def test_unknown_mechanism(mechanism: str) -> None:
    wire = Wire()
    assert wire.data(f"AUTH {mechanism}") == f"-ERR unsupported authentication mechanism {mechanism}\r\n".encode()
    assert wire.states == (A, A)


# ---- login failures ----------------------------------------------------------------------------------------


def test_wrong_password_gives_auth_code_delay_and_log_effect() -> None:
    wire = Wire()
    wire.cmd("USER alice")
    exchange = wire.cmd("PASS wrong")
    assert exchange.effects == [
        fx.Received(b"PASS wrong\r\n", True),
        fx.LoginFailed(ALICE, "invalid user name or password"),
        fx.Delay(1.0),
        fx.Send(BAD_LOGIN, False),
    ]
    assert wire.states == (A, A)
    assert wire.data("PASS wonder land") == b"-ERR send USER first, then PASS\r\n"
    assert not wire.store.is_locked(ALICE)


def test_unknown_user_gets_the_same_answer() -> None:
    wire = Wire(config=ServerConfig(failed_login_delay=0.25))
    assert wire.data("USER nobody") == b"+OK Please enter password\r\n"
    exchange = wire.cmd("PASS x")
    assert exchange.data == BAD_LOGIN
    assert not_sent(exchange.effects) == [fx.LoginFailed("nobody", "invalid user name or password"), fx.Delay(0.25)]


def test_pass_without_user() -> None:
    wire = Wire()
    assert wire.data("PASS wonder land") == b"-ERR send USER first, then PASS\r\n"
    assert wire.states == (A, A)


def test_a_password_with_spaces_is_one_argument() -> None:
    wire = Wire()
    wire.cmd("USER alice")
    assert wire.data("PASS wonder") == BAD_LOGIN
    wire.cmd("USER alice")
    assert wire.data("PASS wonder land") == READY


def test_pop_disabled_account_is_told_so() -> None:
    wire = Wire()
    wire.cmd(f"USER {DISABLED}")
    exchange = wire.cmd(f"PASS {DISABLED_PASSWORD}")
    assert exchange.data == b"-ERR [AUTH] POP3 access is disabled for this account\r\n"
    assert not_sent(exchange.effects) == [fx.LoginFailed(DISABLED, "POP3 access is disabled for this account")]
    assert wire.states == (A, A)
    assert not wire.store.is_locked(DISABLED)


def test_pop_disabled_account_with_a_wrong_password_reveals_nothing() -> None:
    wire = Wire()
    wire.cmd(f"USER {DISABLED}")
    assert wire.data("PASS wrong") == BAD_LOGIN


def test_second_login_to_a_locked_maildrop_is_in_use() -> None:
    first = logged_in()
    second = Wire(first.store)
    second.cmd("USER alice")
    exchange = second.cmd("PASS wonder land")
    assert exchange.data == b"-ERR [IN-USE] mailbox already locked by another session\r\n"
    assert not_sent(exchange.effects) == [fx.LoginFailed(ALICE, "mailbox already locked by another session")]
    assert second.states == (A, A)
    assert exchange.reply.code == "IN-USE"
    assert first.data("STAT") == b"+OK 3 210\r\n"


def test_lock_released_after_quit() -> None:
    first = logged_in()
    assert first.store.is_locked(ALICE)
    first.cmd("QUIT")
    assert not first.store.is_locked(ALICE)
    logged_in(store=first.store)


def test_lock_released_after_a_drop_and_nothing_deleted() -> None:
    first = logged_in()
    assert first.data("DELE 1") == b"+OK message marked for delete - will be deleted on QUIT\r\n"
    first.server.connection_lost()
    assert not first.store.is_locked(ALICE)
    assert list(first.store.stored(ALICE)) == ["uid-one", "uid-two", "uid-three"]
    assert first.server.receive_data(b"QUIT\r\n") == []
    assert logged_in(store=first.store).data("STAT") == b"+OK 3 210\r\n"


def test_lock_released_when_too_many_bad_commands_close_the_session() -> None:
    wire = logged_in()
    wire.cmd("DELE 1")
    for _ in range(19):
        assert wire.data("BAD") == b"-ERR unknown command\r\n"
    exchange = wire.cmd("BAD")
    assert exchange.data == b"-ERR unknown command; too many bad commands, closing connection\r\n"
    assert exchange.of(fx.Close) == [fx.Close()]
    assert not wire.store.is_locked(ALICE)
    assert len(wire.store.stored(ALICE)) == 3


def test_a_failed_login_locks_nothing() -> None:
    store = make_store()
    wire = Wire(store)
    wire.cmd("USER alice")
    wire.cmd("PASS wrong")
    assert not store.is_locked(ALICE)
    logged_in(store=store)


# ---- store failures ----------------------------------------------------------------------------------------


class FailingStore:
    """A store whose maildrops cannot be opened, or whose UPDATE step fails."""

    def __init__(self, fail_open: bool) -> None:
        self.inner = make_store()
        self.fail_open = fail_open

    def account(self, name: str) -> Account | None:
        return self.inner.account(name)

    def open_maildrop(self, name: str) -> FailingMaildrop:
        if self.fail_open:
            raise StoreError("disk on fire")
        return FailingMaildrop(self.inner, name)


class FailingMaildrop:
    def __init__(self, store: MemoryStore, name: str) -> None:
        self.inner = store.open_maildrop(name)
        self.released = False

    @property
    def messages(self) -> Sequence[MessageInfo]:
        return self.inner.messages

    def content(self, uid: str) -> bytes:
        return self.inner.content(uid)

    def commit(self, deleted: Collection[str]) -> None:
        raise StoreError("disk on fire")

    def release(self) -> None:
        self.released = True
        self.inner.release()


def test_a_store_that_cannot_open_the_maildrop_gives_sys_temp() -> None:
    wire = Wire(FailingStore(fail_open=True))  # type: ignore[arg-type]
    wire.cmd("USER alice")
    exchange = wire.cmd("PASS wonder land")
    assert exchange.data == b"-ERR [SYS/TEMP] mailbox temporarily unavailable\r\n"
    assert wire.states == (A, A)
    assert b"disk on fire" not in exchange.data


def test_a_failed_commit_gives_sys_temp_and_closes() -> None:
    store = FailingStore(fail_open=False)
    wire = Wire(store)  # type: ignore[arg-type]
    wire.login()
    wire.cmd("DELE 1")
    exchange = wire.cmd("QUIT")
    assert exchange.data == b"-ERR [SYS/TEMP] some deleted messages were not removed\r\n"
    assert exchange.of(fx.Close) == [fx.Close()]
    assert not exchange.of(fx.Committed)
    assert not store.inner.is_locked(ALICE)


def test_messages_removed_under_an_open_session_answer_sys_temp() -> None:
    wire = logged_in()
    wire.store.clear(ALICE)  # the teacher resets the mailbox while the learner is logged in
    for line in ("RETR 1", "TOP 2 0"):
        exchange = wire.cmd(line)
        assert exchange.data == b"-ERR [SYS/TEMP] message cannot be read right now\r\n"
        assert exchange.reply.code == "SYS/TEMP"
    assert wire.data("STAT") == b"+OK 3 210\r\n"  # the session's snapshot stands
    assert wire.data("QUIT") == b"+OK bye\r\n"


# ---- plaintext policy (PROTOCOL.md §3) ---------------------------------------------------------------------


def test_untrusted_plain_connection_refuses_plaintext_logins() -> None:
    wire = Wire(peer_trusted=False)
    assert wire.data("USER alice") == PLAINTEXT_REFUSED
    assert wire.data("PASS wonder land") == PLAINTEXT_REFUSED
    assert wire.data("AUTH PLAIN " + b64(b"\0alice\0wonder land")) == PLAINTEXT_REFUSED
    assert wire.data("AUTH PLAIN") == PLAINTEXT_REFUSED
    assert wire.data("AUTH LOGIN") == PLAINTEXT_REFUSED
    assert wire.states == (A, A)
    assert not wire.store.is_locked(ALICE)


def test_untrusted_plain_connection_still_allows_cram_md5() -> None:
    wire = Wire(peer_trusted=False, token=CRAM_TOKEN)
    assert wire.data("AUTH CRAM-MD5") == f"+ {CRAM_CHALLENGE_B64}\r\n".encode()
    assert wire.data(CRAM_RESPONSE_B64) == READY


@pytest.mark.parametrize(
    "wire_factory",
    [
        lambda: Wire(peer_trusted=False, config=ServerConfig(allow_plaintext=True)),
        lambda: Wire(peer_trusted=False, secure=True),
        lambda: Wire(peer_trusted=True),
    ],
    ids=["allow_plaintext", "secure", "trusted"],
)
def test_plaintext_allowed(wire_factory: Callable[[], Wire]) -> None:
    wire = wire_factory()
    assert wire.data("USER alice") == b"+OK Please enter password\r\n"
    assert wire.data("PASS wonder land") == READY
    other = wire_factory()
    assert other.data("AUTH PLAIN " + b64(b"\0bob\0builder")) == READY
