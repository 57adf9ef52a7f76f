"""Honest capabilities: the client's CAPA lists STLS exactly when the proxy can do TLS with this client, the proxy
answers STLS itself (in order, after replies still due, and never reading plain text pipelined after it), and
everything else passes through unchanged."""

from __future__ import annotations

import ssl

import pytest

from poplab.annotate import annotate
from poplab.protocol.client import ServerReply
from poplab.protocol.states import State
from poplab.proxy import capa, texts
from poplab.server.runner import ServerThread
from tests.proxy.helpers import MakeProxy, Raw

CAPS_WITHOUT_STLS = [
    b"+OK Capability list follows\r\n",
    b"TOP\r\n",
    b"USER\r\n",
    b"UIDL\r\n",
    b"RESP-CODES\r\n",
    b"AUTH-RESP-CODE\r\n",
    b"PIPELINING\r\n",
    b"SASL PLAIN LOGIN CRAM-MD5\r\n",
    b"IMPLEMENTATION poplab-0.1.0\r\n",
    b".\r\n",
]
GREETING = b"+OK example.com POP3-Server\r\n"


def reply(*lines: bytes, ok: bool = True) -> ServerReply:
    body = tuple(lines[1:]) if len(lines) > 1 else None
    return ServerReply(None, lines[0], ok, body, State.AUTHORIZATION, State.AUTHORIZATION)


def test_rewrite_capa_takes_stls_out_or_puts_it_in() -> None:
    listed = reply(b"+OK\r\n", b"TOP\r\n", b"STLS\r\n", b"UIDL\r\n", b".\r\n")
    removed = capa.rewrite_capa(listed, offer_stls=False)
    assert removed == capa.Rewritten((b"+OK\r\n", b"TOP\r\n", b"UIDL\r\n", b".\r\n"), texts.STLS_REMOVED)
    assert capa.rewrite_capa(listed, False, client_secure=True).note == texts.STLS_REMOVED_SECURE
    assert capa.rewrite_capa(listed, offer_stls=True) == capa.Rewritten((listed.status_line, *listed.body_lines), None)
    bare = reply(b"+OK\n", b"TOP\n", b".\n")
    assert capa.rewrite_capa(bare, offer_stls=True).lines == (b"+OK\n", b"TOP\n", b"STLS\n", b".\n")
    refused = reply(b"-ERR unknown command\r\n", ok=False)
    assert capa.rewrite_capa(refused, offer_stls=True) == capa.Rewritten((b"-ERR unknown command\r\n",), None)


@pytest.mark.parametrize(
    ("state", "secure", "can_offer", "expected"),
    [
        (State.AUTHORIZATION, False, True, (texts.STLS_OK, True)),
        (State.AUTHORIZATION, False, False, (texts.STLS_UNAVAILABLE, False)),
        (State.AUTHORIZATION, True, True, (texts.TLS_ACTIVE, False)),
        (State.TRANSACTION, False, True, (texts.STLS_STATE, False)),
    ],
)
def test_answer_stls(state: State, secure: bool, can_offer: bool, expected: tuple[str, bool]) -> None:
    answer = capa.answer_stls(state, secure, can_offer)
    assert (answer.reply.decode(), answer.start_tls) == expected


def test_a_plain_proxy_hides_the_servers_stls_and_refuses_it_itself(
    server: ServerThread, make_proxy: MakeProxy
) -> None:
    proxied = make_proxy(server.port, "plain")
    raw = Raw(proxied.port)
    assert raw.line() == GREETING
    raw.send(b"CAPA\r\n")
    assert raw.until_dot() == CAPS_WITHOUT_STLS
    raw.send(b"STLS\r\nUSER wiki@example.com\r\n")
    assert raw.lines(2) == [texts.STLS_UNAVAILABLE.encode(), b"+OK Please enter password\r\n"]
    raw.send(b"QUIT\r\n")
    assert raw.rest() == b"+OK bye\r\n"
    assert proxied.recorder.notes() == [texts.STARTED, texts.STLS_REMOVED, texts.CLIENT_STLS_REFUSED]


def test_an_stls_proxy_offers_stls_the_server_behind_it_does_not(
    server: ServerThread, make_proxy: MakeProxy, client_tls: ssl.SSLContext
) -> None:
    assert server.tls_port is not None
    proxied = make_proxy(server.tls_port, "tls", "stls")
    raw = Raw(proxied.port)
    assert raw.line() == GREETING
    raw.send(b"CAPA\r\n")
    assert raw.until_dot() == [*CAPS_WITHOUT_STLS[:-1], b"STLS\r\n", b".\r\n"]
    raw.send(b"STLS\r\n")
    assert raw.line() == texts.STLS_OK.encode()
    raw.starttls(client_tls)
    raw.send(b"CAPA\r\n")
    assert raw.until_dot() == CAPS_WITHOUT_STLS
    raw.send(b"STLS\r\n")
    assert raw.line() == texts.TLS_ACTIVE.encode()
    raw.close()
    (transcript,) = proxied.recorder.ended()
    assert [line.tls for line in transcript if line.raw == b"CAPA\r\n"] == [False, True]
    assert texts.STLS_ADDED in proxied.recorder.notes()


def test_plain_text_pipelined_after_stls_is_never_read(
    server: ServerThread, make_proxy: MakeProxy, client_tls: ssl.SSLContext
) -> None:
    """RFC 2595 §4 and CVE-2011-0411: CAPA sent in the same packet as STLS gets no answer, before or after TLS."""
    proxied = make_proxy(server.port, "plain", "stls")
    raw = Raw(proxied.port)
    assert raw.line() == GREETING
    raw.send(b"STLS\r\nCAPA\r\n")
    assert raw.line() == texts.STLS_OK.encode()
    raw.starttls(client_tls)
    raw.send(b"NOOP\r\n")
    assert raw.line() == b"-ERR command not valid in this state\r\n"  # the first reply after TLS is NOOP's
    raw.close()
    (transcript,) = proxied.recorder.ended()
    # recorded as the client sent it, in plain text before the +OK, and never answered
    raws = [line.raw for line in transcript]
    assert raws[raws.index(b"STLS\r\n") : raws.index(b"STLS\r\n") + 3] == [
        b"STLS\r\n",
        b"CAPA\r\n",
        texts.STLS_OK.encode(),
    ]
    assert [line.tls for line in transcript if line.raw == b"CAPA\r\n"] == [False]
    assert not any(line.raw.startswith(b"+OK Capability") for line in transcript)
    assert texts.CLIENT_PIPELINED_AFTER_STLS in proxied.recorder.notes()
    annotated = annotate(transcript)
    capa_line = next(a for a in annotated if a.raw == b"CAPA\r\n")
    assert "sent-before-tls" in capa_line.codes
    assert not any("stls-injection" in a.codes for a in annotated)


def test_stls_after_a_pipelined_command_is_answered_in_order(
    server: ServerThread, make_proxy: MakeProxy, client_tls: ssl.SSLContext
) -> None:
    proxied = make_proxy(server.port, "plain", "stls")
    raw = Raw(proxied.port)
    assert raw.line() == GREETING
    raw.send(b"CAPA\r\nSTLS\r\n")
    assert b"STLS\r\n" in raw.until_dot()  # the server's own STLS, kept: this proxy can do it, too
    assert raw.line() == texts.STLS_OK.encode()
    raw.starttls(client_tls)
    raw.send(b"USER wiki@example.com\r\nPASS passwort_im_klartext\r\nSTLS\r\nQUIT\r\n")
    assert raw.lines(2) == [b"+OK Please enter password\r\n", b"+OK mailbox locked and ready\r\n"]
    assert raw.lines(2) == [texts.STLS_STATE.encode(), b"+OK bye\r\n"]


def test_an_implicit_tls_proxy_lists_no_stls(
    server: ServerThread, make_proxy: MakeProxy, client_tls: ssl.SSLContext
) -> None:
    proxied = make_proxy(server.port, "plain", "tls")
    raw = Raw(proxied.port, client_tls)
    assert raw.line() == GREETING
    raw.send(b"CAPA\r\nSTLS\r\n")
    assert raw.until_dot() == CAPS_WITHOUT_STLS
    assert raw.line() == texts.TLS_ACTIVE.encode()
    raw.close()
    proxied.recorder.ended()
    assert texts.STLS_REMOVED_SECURE in proxied.recorder.notes()
