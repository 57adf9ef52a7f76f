"""CAPA (RFC 2449) before and after login, and STLS (RFC 2595) with the buffered-plaintext rule."""

from __future__ import annotations

from poplab import __version__
from poplab.protocol import effects as fx
from poplab.protocol.config import ServerConfig
from poplab.protocol.states import State
from tests.protocol.wire import ALICE_PASSWORD, Wire, multiline, sent_bytes

A, T = State.AUTHORIZATION, State.TRANSACTION
IMPL = f"IMPLEMENTATION poplab-{__version__}".encode()
COMMON = (b"TOP", b"UIDL", b"RESP-CODES", b"AUTH-RESP-CODE", b"PIPELINING")
TLS = ServerConfig(tls_available=True)


def capa(*lines: bytes) -> bytes:
    return multiline("+OK Capability list follows", *lines)


def test_capa_before_login_on_a_trusted_peer() -> None:
    wire = Wire()
    exchange = wire.cmd("CAPA")
    assert exchange.data == capa(
        b"TOP", b"USER", b"UIDL", b"RESP-CODES", b"AUTH-RESP-CODE", b"PIPELINING", b"SASL PLAIN LOGIN CRAM-MD5", IMPL
    )
    assert exchange.reply.body is not None and exchange.reply.body.endswith(IMPL + b"\r\n")


def test_capa_lists_stls_where_tls_is_configured_and_not_active() -> None:
    assert Wire(config=TLS).data("CAPA") == capa(
        b"TOP",
        b"USER",
        b"UIDL",
        b"RESP-CODES",
        b"AUTH-RESP-CODE",
        b"PIPELINING",
        b"SASL PLAIN LOGIN CRAM-MD5",
        b"STLS",
        IMPL,
    )


def test_capa_on_an_untrusted_plain_connection_drops_user_plain_and_login() -> None:
    assert Wire(config=TLS, peer_trusted=False).data("CAPA") == capa(*COMMON, b"SASL CRAM-MD5", b"STLS", IMPL)
    assert Wire(peer_trusted=False).data("CAPA") == capa(*COMMON, b"SASL CRAM-MD5", IMPL)


def test_capa_with_allow_plaintext_lists_everything() -> None:
    config = ServerConfig(tls_available=True, allow_plaintext=True)
    assert Wire(config=config, peer_trusted=False).data("CAPA") == capa(
        b"TOP",
        b"USER",
        b"UIDL",
        b"RESP-CODES",
        b"AUTH-RESP-CODE",
        b"PIPELINING",
        b"SASL PLAIN LOGIN CRAM-MD5",
        b"STLS",
        IMPL,
    )


def test_capa_over_implicit_tls() -> None:
    wire = Wire(config=TLS, peer_trusted=False, secure=True)
    assert wire.data("CAPA") == capa(
        b"TOP", b"USER", b"UIDL", b"RESP-CODES", b"AUTH-RESP-CODE", b"PIPELINING", b"SASL PLAIN LOGIN CRAM-MD5", IMPL
    )
    assert wire.data("STLS") == b"-ERR TLS is already active\r\n"


def test_capa_after_login_lists_only_what_still_applies() -> None:
    wire = Wire(config=TLS)
    wire.login()
    assert wire.data("CAPA") == capa(*COMMON, IMPL)


def test_capa_with_a_configured_implementation_and_mechanisms() -> None:
    config = ServerConfig(implementation="teaching-box", sasl_mechanisms=("CRAM-MD5", "PLAIN"))
    assert Wire(config=config).data("CAPA") == capa(
        b"TOP",
        b"USER",
        b"UIDL",
        b"RESP-CODES",
        b"AUTH-RESP-CODE",
        b"PIPELINING",
        b"SASL CRAM-MD5 PLAIN",
        b"IMPLEMENTATION teaching-box",
    )


# ---- STLS --------------------------------------------------------------------------------------------------


def test_stls_answers_ok_then_asks_for_the_handshake() -> None:
    wire = Wire(config=TLS, peer_trusted=False)
    exchange = wire.cmd("STLS")
    assert exchange.effects == [
        fx.Received(b"STLS\r\n"),
        fx.Send(b"+OK Begin TLS negotiation\r\n", True),
        fx.StartTLS(),
    ]
    assert wire.states == (A, A)
    assert exchange.reply.ok is True
    # until the handshake is done, nothing is read
    assert wire.server.receive_data(b"CAPA\r\n") == []
    wire.server.tls_started()
    assert wire.server.secure
    assert wire.data("CAPA") == capa(
        b"TOP", b"USER", b"UIDL", b"RESP-CODES", b"AUTH-RESP-CODE", b"PIPELINING", b"SASL PLAIN LOGIN CRAM-MD5", IMPL
    )
    assert wire.data("STLS") == b"-ERR TLS is already active\r\n"
    wire.login()


def test_plaintext_pipelined_after_stls_is_discarded() -> None:
    """CVE-2011-0411: ``STLS\\r\\nCAPA\\r\\n`` in one packet must not get a CAPA answer."""
    wire = Wire(config=TLS)
    effects = wire.server.receive_data(b"STLS\r\nCAPA\r\n")
    assert effects == [fx.Received(b"STLS\r\n"), fx.Send(b"+OK Begin TLS negotiation\r\n", True), fx.StartTLS()]
    wire.server.tls_started()
    assert wire.server.receive_data(b"") == []
    assert sent_bytes(wire.server.receive_data(b"NOOP\r\n")) == b"-ERR command not valid in this state\r\n"


def test_a_partial_plaintext_line_before_the_handshake_is_discarded_too() -> None:
    wire = Wire(config=TLS)
    effects = wire.server.receive_data(b"STLS\r\nCAP")
    assert sent_bytes(effects) == b"+OK Begin TLS negotiation\r\n"
    wire.server.tls_started()
    # "A" alone is an unknown command: the "CAP" sent in plaintext was not kept
    assert sent_bytes(wire.server.receive_data(b"A\r\n")) == b"-ERR unknown command\r\n"


def test_a_user_given_before_stls_is_forgotten() -> None:
    wire = Wire(config=TLS)
    assert wire.data("USER alice") == b"+OK Please enter password\r\n"
    assert wire.data("STLS") == b"+OK Begin TLS negotiation\r\n"
    wire.server.tls_started()
    assert wire.data(f"PASS {ALICE_PASSWORD}") == b"-ERR send USER first, then PASS\r\n"


def test_after_stls_plaintext_logins_are_allowed_on_an_untrusted_peer() -> None:
    wire = Wire(config=TLS, peer_trusted=False)
    assert wire.data("USER alice").startswith(b"-ERR [AUTH] plaintext authentication disallowed")
    wire.cmd("STLS")
    wire.server.tls_started()
    wire.login()


def test_stls_without_tls_available() -> None:
    wire = Wire()
    exchange = wire.cmd("STLS")
    assert exchange.data == b"-ERR STLS is not available (this server has no certificate)\r\n"
    assert not exchange.of(fx.StartTLS)
    assert wire.data("NOOP") == b"-ERR command not valid in this state\r\n"


def test_stls_in_transaction_is_not_valid() -> None:
    wire = Wire(config=TLS)
    wire.login()
    exchange = wire.cmd("STLS")
    assert exchange.data == b"-ERR command not valid in this state\r\n"
    assert not exchange.of(fx.StartTLS)
